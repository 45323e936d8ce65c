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
 * every string's length agrees with its NUL-terminated copy, and
 * ds_parse's result agrees with df.fatal.
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

/* s[0..n) is a string of the tree: NUL-terminated at n (and maybe earlier, at a NUL byte) */
static void check_str(const char *s, size_t n, const char *what)
{
	if (!s || s[n] != '\0')
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
	check_str(in->keyword, in->keyword_len, "keyword length");
	check_str(in->rest, in->rest_len, "rest length");
	check_str(in->original, in->original_len, "original length");
	if (in->keyword_len > in->kw_span.end - in->kw_span.off)
		broken("keyword longer than its span");
	if (in->start_line > in->end_line)
		broken("instruction ends before it starts");
	for (uint32_t i = 0; i < in->nflags; i++) {
		check_span(in->flags[i].span, len, "flag span");
		const struct ds_flag *f = &in->flags[i];
		if (!f->text || !f->name)
			broken("flag without text or name");
		check_str(f->text, f->text_len, "flag text length");
		check_str(f->name, f->name_len, "flag name length");
		if (f->value ? f->value[f->value_len] != '\0' : f->value_len != 0)
			broken("flag value length");
		if (f->name_len + (f->value ? f->value_len + 1 : 0) > f->text_len)
			broken("flag name and value longer than the flag");
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
		check_str(in->heredocs[i].name, in->heredocs[i].name_len, "heredoc name length");
		check_str(in->heredocs[i].content, in->heredocs[i].content_len, "heredoc content length");
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
	for (uint32_t i = 0; i < df.ndirectives; i++) {
		check_span(df.directives[i].span, size, "directive span");
		check_str(df.directives[i].value, df.directives[i].value_len, "directive value length");
	}

	struct ds_buf out = DS_BUF_INIT;
	ds_dump(&df, &out);
	ds_buf_reset(&out);
	ds_dump_json(&df, &out);
	ds_buf_release(&out);
	ds_arena_release(&a);
	return 0;
}
