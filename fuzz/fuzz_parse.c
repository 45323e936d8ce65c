/* fuzz_parse.c - libFuzzer target for the front end: ds_parse, the dumps, and their invariants. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "parser/ast.h"

/*
 * Any bytes are a possible Dockerfile. Besides crashes, leaks and sanitizer
 * reports, the target aborts when an invariant of parser/ast.h breaks:
 * the tokens tile the input (lossless), every span lies inside the input,
 * and ds_parse's result agrees with df.fatal.
 */

static void broken(const char *what)
{
	fprintf(stderr, "fuzz_parse: invariant broken: %s\n", what);
	abort();
}

static void check_span(struct ds_span sp, size_t len, const char *what)
{
	if (sp.off > sp.end || sp.end > len)
		broken(what);
}

static void check_instr(const struct ds_instr *in, size_t len, unsigned depth)
{
	if (depth > 1000)
		broken("ONBUILD nesting without end");
	check_span(in->span, len, "instruction span");
	check_span(in->kw_span, len, "keyword span");
	check_span(in->line_span, len, "line span");
	check_span(in->rest_span, len, "rest span");
	if (!in->keyword || !in->rest)
		broken("instruction without keyword or rest text");
	if (in->start_line > in->end_line)
		broken("instruction ends before it starts");
	for (uint32_t i = 0; i < in->nflags; i++) {
		check_span(in->flags[i].span, len, "flag span");
		if (!in->flags[i].text || !in->flags[i].name)
			broken("flag without text or name");
	}
	for (uint32_t i = 0; i < in->nargs; i++) {
		check_span(in->args[i].span, len, "argument span");
		if (!in->args[i].text)
			broken("argument without text");
	}
	for (uint32_t i = 0; i < in->nheredocs; i++) {
		check_span(in->heredocs[i].body, len, "heredoc body span");
		check_span(in->heredocs[i].terminator, len, "heredoc terminator span");
		if (!in->heredocs[i].name || !in->heredocs[i].content)
			broken("heredoc without name or content");
	}
	if (in->sub) {
		if (in->sub->parent != in)
			broken("ONBUILD inner instruction without its parent");
		check_instr(in->sub, len, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_dockerfile df;
	struct ds_parse_opts po = { 0 };
	po.keep_tokens = true;
	ds_source_from_mem(&src, &a, "fuzz", (const char *)data, size);
	int rc = ds_parse(&a, &src, &po, &df);

	if ((rc == 0) != (df.fatal < 0))
		broken("ds_parse's result disagrees with df.fatal");
	if (df.fatal >= 0 && (size_t)df.fatal >= df.diags.n)
		broken("df.fatal out of range");
	for (size_t i = 0; i < df.diags.n; i++)
		if (df.diags.v[i].off > size || df.diags.v[i].end > size || !df.diags.v[i].msg)
			broken("diagnostic outside the input");
	size_t at = 0;
	for (size_t i = 0; i < df.ntokens; i++) {
		if (df.tokens[i].off != at || df.tokens[i].len == 0)
			broken("tokens do not tile the input");
		at += df.tokens[i].len;
	}
	if (at != size)
		broken("tokens stop before the end of the input");
	for (uint32_t i = 0; i < df.ninstrs; i++)
		check_instr(&df.instrs[i], size, 0);
	for (uint32_t i = 0; i < df.ndirectives; i++)
		check_span(df.directives[i].span, size, "directive span");

	struct ds_buf out = DS_BUF_INIT;
	ds_dump(&df, &out);
	ds_buf_reset(&out);
	ds_dump_json(&df, &out);
	ds_buf_release(&out);
	ds_arena_release(&a);
	return 0;
}
