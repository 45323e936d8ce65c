/* cmd_parse.c - `distill parse`: the AST dump, JSON view and token stream. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/io.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "common/str.h"
#include "parser/ast.h"

static const char parse_usage[] =
	"usage: distill parse [--dump | --json | --tokens] [--max-file-size N] FILE|-...\n"
	"\n"
	"Parses Dockerfiles exactly as BuildKit does.\n"
	"  --dump            print BuildKit's AST dump (the default)\n"
	"  --json            print the AST as JSON, with 1-based line and column\n"
	"                    (end positions exclusive) for every node\n"
	"  --tokens          print the token stream: kind, line:col, bytes\n"
	"  --max-file-size N refuse files larger than N bytes (or 64K, 1M, 1G; default 16M)\n"
	"Exit: 0 parsed, 2 usage, I/O or parse error (printed as FILE:LINE:COL: error: ...).\n";

/* Writes out what the dump holds once it passes 64 KiB: a big file's dump is never held whole. */
static void drain(void *ctx, struct ds_buf *out)
{
	(void)ctx;
	if (out->len < 65536)
		return;
	fwrite(out->buf, 1, out->len, stdout);
	ds_buf_reset(&out[0]);
}

/* The options of parse (cli.h): getopt_long's table, and the source of the completions. */
static const struct option parse_options[] = {
	{ "dump", no_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "tokens", no_argument, NULL, 't' },
	{ "max-file-size", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const struct option *ds_cmd_parse_options(void)
{
	return parse_options;
}

int ds_cmd_parse(int argc, char **argv)
{
	enum { DUMP, JSON, TOKENS } mode = DUMP;
	size_t max_size = DS_DEFAULT_MAX_FILE_SIZE;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", parse_options, NULL)) != -1) {
		switch (c) {
		case 'd': mode = DUMP; break;
		case 'j': mode = JSON; break;
		case 't': mode = TOKENS; break;
		case 'm':
			if (ds_str_parse_size(optarg, &max_size) < 0) {
				return ds_usage_error("parse", "invalid --max-file-size '%s' (bytes, or with K, M or G)", optarg);
			}
			break;
		case 'h': fputs(parse_usage, stdout); return DS_EXIT_OK;
		default: return ds_usage_bad_option("parse", parse_options, "h", argv, optind, optopt);
		}
	}
	if (optind >= argc)
		return ds_usage_error("parse", "no file given ('-' reads standard input)");
	int rc = DS_EXIT_OK;
	struct ds_buf out = DS_BUF_INIT;
	for (int i = optind; i < argc; i++) {
		struct ds_arena a = DS_ARENA_INIT;
		struct ds_source src;
		const char *err;
		if (ds_read_source(&a, argv[i], max_size, &src, NULL, &err)) {
			ds_print_file_error(stderr, argv[i], err);
			ds_arena_release(&a);
			rc = DS_EXIT_ERROR;
			continue;
		}
		struct ds_parse_opts po = { 0 };
		po.keep_tokens = mode == TOKENS;
		struct ds_dockerfile df;
		int prc = ds_parse(&a, &src, &po, &df);
		ds_buf_reset(&out);
		if (mode == JSON) {
			ds_dump_json_to(&df, &out, drain, NULL);
		} else if (mode == TOKENS) {
			for (size_t t = 0; t < df.ntokens; t++) {
				uint32_t line, col;
				ds_source_linecol(&src, df.tokens[t].off, &line, &col);
				ds_buf_addf(&out, "%u:%u\t%s\t", line, col, ds_tok_name((enum ds_tok_kind)df.tokens[t].kind));
				ds_buf_add_json_str(&out, src.data + df.tokens[t].off, df.tokens[t].len);
				ds_buf_addc(&out, '\n');
				drain(NULL, &out);
			}
		} else if (prc == 0) {
			ds_dump_to(&df, &out, drain, NULL);
		}
		fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
		if (prc) {
			ds_print_diag(stderr, &src, &df.diags.v[df.fatal], 0, 0);
			rc = DS_EXIT_ERROR;
		}
		ds_arena_release(&a);
	}
	ds_buf_release(&out);
	if (fflush(stdout) != 0)
		rc = DS_EXIT_ERROR;
	return rc;
}
