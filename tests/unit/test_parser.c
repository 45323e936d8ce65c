/* test_parser.c - unit tests of the front end's tree: instructions, spans, heredocs, directives, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "parser/ast.h"
#include "parser/gounicode.h"
#include "parser/json.h"

/*
 * Expected values follow BuildKit's parser (frontend/dockerfile/parser:
 * parser.go, line_parsers.go, directives.go, parser_heredoc_test.go) and the
 * README of shared/conformance. Spans are byte ranges [off, end) of the
 * source; line and column are 1-based bytes (DESIGN §4).
 */

/* ---- fixture: one parsed input at a time, its arena released by the next parse ---- */

static struct ds_arena arena = DS_ARENA_INIT;
static struct ds_source src;
static struct ds_dockerfile df;
static int rc;

static const struct ds_dockerfile *parse_mem(const char *s, size_t n)
{
	ds_arena_release(&arena);
	struct ds_parse_opts po = { 0 };
	po.keep_tokens = true;
	ds_source_from_mem(&src, &arena, "Dockerfile", s, n);
	rc = ds_parse(&arena, &src, &po, &df);
	return &df;
}

static const struct ds_dockerfile *parse(const char *s)
{
	return parse_mem(s, strlen(s));
}

static int teardown(void **state)
{
	(void)state;
	ds_arena_release(&arena);
	return 0;
}

/* The source bytes under sp, as a NUL-terminated string in the arena. */
static const char *at(struct ds_span sp)
{
	assert_true(sp.off <= sp.end);
	assert_true(sp.end <= src.len);
	return ds_arena_strndup(&arena, src.data + sp.off, sp.end - sp.off);
}

static void assert_linecol(size_t off, uint32_t line, uint32_t col)
{
	uint32_t l, c;
	ds_source_linecol(&src, off, &l, &c);
	assert_int_equal(l, line);
	assert_int_equal(c, col);
}

static const char *fatal_msg(void)
{
	assert_int_equal(rc, -1);
	assert_true(df.fatal >= 0 && (size_t)df.fatal < df.diags.n);
	return df.diags.v[df.fatal].msg;
}

static void assert_fatal_at(const char *msg, uint32_t line, uint32_t col)
{
	assert_string_equal(fatal_msg(), msg);
	assert_true(df.diags.v[df.fatal].has_pos);
	assert_linecol(df.diags.v[df.fatal].off, line, col);
}

static const char *dump(void)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_dump(&df, &b);
	const char *s = ds_arena_strndup(&arena, b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return s;
}

static const char *arg(const struct ds_instr *in, uint32_t i)
{
	assert_true(i < in->nargs);
	assert_int_equal(strlen(in->args[i].text), in->args[i].len);
	return in->args[i].text;
}

/* ---- instructions, keywords, spans ---- */

static void test_instruction_spans(void **state)
{
	(void)state;
	parse("FROM alpine:3.20 AS build\n\n  RUN make \\\n    all\nCMD x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_instr *from = &df.instrs[0], *run = &df.instrs[1], *cmd = &df.instrs[2];

	assert_int_equal(from->kind, DS_I_FROM);
	assert_string_equal(at(from->kw_span), "FROM");
	assert_string_equal(at(from->span), "FROM alpine:3.20 AS build");
	assert_int_equal(from->nargs, 3);
	assert_string_equal(arg(from, 0), "alpine:3.20");
	assert_string_equal(at(from->args[0].span), "alpine:3.20");
	assert_string_equal(at(from->args[2].span), "build");
	assert_linecol(from->args[2].span.off, 1, 21);

	/* indented, continued: the keyword is at 3:3, the instruction ends on line 4 */
	assert_string_equal(at(run->kw_span), "RUN");
	assert_linecol(run->kw_span.off, 3, 3);
	assert_int_equal(run->start_line, 3);
	assert_int_equal(run->end_line, 4);
	assert_string_equal(at(run->span), "RUN make \\\n    all");
	assert_string_equal(at(run->line_span), "RUN make \\\n    all");
	assert_string_equal(run->rest, "make     all");
	assert_string_equal(at(run->rest_span), "make \\\n    all");
	assert_linecol(run->span.end, 4, 8);

	assert_int_equal(cmd->start_line, 5);
	assert_int_equal(cmd->end_line, 5);
	assert_int_equal(cmd->index, 2);
	assert_int_equal(df.root_start_line, 1);
	assert_int_equal(df.root_end_line, 5);
}

static void test_keyword_case_kept(void **state)
{
	(void)state;
	parse("from a\nFrOm b AS c\nworkdir /x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	assert_string_equal(df.instrs[1].keyword, "FrOm");
	assert_int_equal(df.instrs[1].kind, DS_I_FROM);
	assert_int_equal(df.instrs[2].kind, DS_I_WORKDIR);
	assert_string_equal(dump(), "(from \"a\")\n(from \"b\" \"AS\" \"c\")\n(workdir \"/x\")\n");
}

static void test_instr_table(void **state)
{
	(void)state;
	assert_int_equal(ds_instr_lookup("copy", 4), DS_I_COPY);
	assert_int_equal(ds_instr_lookup("HealthCheck", 11), DS_I_HEALTHCHECK);
	assert_int_equal(ds_instr_lookup("COPYX", 5), DS_I_UNKNOWN);
	assert_int_equal(ds_instr_lookup("COP", 3), DS_I_UNKNOWN);
	assert_string_equal(ds_instr_name(DS_I_ONBUILD), "onbuild");
	assert_string_equal(ds_instr_name(DS_I_UNKNOWN), "unknown");
	assert_string_equal(ds_instr_keyword(DS_I_HEALTHCHECK), "HEALTHCHECK");
	assert_string_equal(ds_instr_keyword(DS_I_UNKNOWN), "UNKNOWN");
	assert_non_null(strstr(ds_instr_flags(DS_I_COPY), "from"));
	assert_string_equal(ds_instr_flags(DS_I_CMD), "");
}

static void test_root_lines_skip_comments(void **state)
{
	(void)state;
	parse("# a comment\n\nFROM a\n\n# trailing\n\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 1);
	assert_int_equal(df.root_start_line, 3);
	assert_int_equal(df.root_end_line, 3);
}

static void test_prev_comments(void **state)
{
	(void)state;
	parse("FROM a\n# first\n#   second  \nRUN x\nRUN y\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *r = &df.instrs[1];
	assert_int_equal(r->ncomments, 2);
	assert_string_equal(r->comments[0], "first");
	assert_string_equal(r->comments[1], "second");
	assert_int_equal(df.instrs[2].ncomments, 0);
}

/* ---- flags ---- */

static void test_flags(void **state)
{
	(void)state;
	parse("FROM a\nCOPY --from=build --chown=\"u g\" --link a b /dst/\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *c = &df.instrs[1];
	assert_int_equal(c->nflags, 3);
	assert_string_equal(c->flags[0].text, "--from=build");
	assert_string_equal(c->flags[0].name, "from");
	assert_string_equal(c->flags[0].value, "build");
	assert_string_equal(at(c->flags[0].span), "--from=build");
	assert_string_equal(c->flags[1].text, "--chown=u g");
	assert_string_equal(c->flags[1].value, "u g");
	assert_string_equal(at(c->flags[1].span), "--chown=\"u g\"");
	assert_string_equal(c->flags[2].name, "link");
	assert_null(c->flags[2].value);
	assert_string_equal(at(c->flags[2].span), "--link");
	assert_int_equal(c->nargs, 3);
	assert_string_equal(at(c->args[0].span), "a");
	assert_string_equal(at(c->args[2].span), "/dst/");
	assert_string_equal(c->rest, "a b /dst/");

	const struct ds_flag *f = ds_instr_flag(c, "chown");
	assert_non_null(f);
	assert_string_equal(f->value, "u g");
	assert_null(ds_instr_flag(c, "chmod"));
	assert_string_equal(dump(), "(from \"a\")\n(copy [\"--from=build\" \"--chown=u g\" \"--link\"] \"a\" \"b\" \"/dst/\")\n");
}

static void test_double_dash_ends_flags(void **state)
{
	(void)state;
	parse("FROM a\nCOPY --link -- --notaflag b\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *c = &df.instrs[1];
	assert_int_equal(c->nflags, 1);
	assert_int_equal(c->nargs, 2);
	assert_string_equal(arg(c, 0), "--notaflag");
	assert_string_equal(at(c->args[0].span), "--notaflag");
	assert_string_equal(dump(), "(from \"a\")\n(copy [\"--link\"] \"--notaflag\" \"b\")\n");
}

static void test_run_mount_flag(void **state)
{
	(void)state;
	parse("FROM a\nRUN --mount=type=cache,target=/root/.cache --network=none make\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *r = &df.instrs[1];
	assert_int_equal(r->nflags, 2);
	assert_string_equal(r->flags[0].name, "mount");
	assert_string_equal(r->flags[0].value, "type=cache,target=/root/.cache");
	assert_string_equal(r->flags[1].value, "none");
	assert_string_equal(arg(r, 0), "make");
	assert_string_equal(at(r->args[0].span), "make");
}

/* ---- arguments and their spans ---- */

static void test_args_across_continuations(void **state)
{
	(void)state;
	parse("FROM a\nRUN ec\\\nho \"x y\" \\\n  z\nARG a=\\\n1 b\nCOPY --chown=a\\\n:b x \\\ny\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 4);
	const struct ds_instr *run = &df.instrs[1], *argi = &df.instrs[2], *copy = &df.instrs[3];

	/* one node holding the joined line; its span covers the continuations */
	assert_int_equal(run->nargs, 1);
	assert_string_equal(arg(run, 0), "echo \"x y\"   z");
	assert_string_equal(at(run->args[0].span), "ec\\\nho \"x y\" \\\n  z");
	assert_int_equal(run->end_line, 4);

	/* a word cut by a continuation */
	assert_int_equal(argi->nargs, 2);
	assert_string_equal(arg(argi, 0), "a=1");
	assert_string_equal(at(argi->args[0].span), "a=\\\n1");
	assert_string_equal(at(argi->args[1].span), "b");
	assert_linecol(argi->args[1].span.off, 6, 3);

	/* a flag cut by a continuation, then words on two lines */
	assert_int_equal(copy->nflags, 1);
	assert_string_equal(copy->flags[0].text, "--chown=a:b");
	assert_string_equal(at(copy->flags[0].span), "--chown=a\\\n:b");
	assert_int_equal(copy->nargs, 2);
	assert_string_equal(at(copy->args[0].span), "x");
	assert_string_equal(at(copy->args[1].span), "y");
	assert_linecol(copy->args[1].span.off, 9, 1);
}

static void test_env_label_forms(void **state)
{
	(void)state;
	parse("FROM a\nENV A=1 B=\"x y\"\nENV C d e\nLABEL \"k\"=v\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *e1 = &df.instrs[1], *e2 = &df.instrs[2], *l = &df.instrs[3];
	/* key, value, "=" triples; quotes stay */
	assert_int_equal(e1->nargs, 6);
	assert_string_equal(arg(e1, 0), "A");
	assert_string_equal(arg(e1, 1), "1");
	assert_string_equal(arg(e1, 2), "=");
	assert_string_equal(arg(e1, 3), "B");
	assert_string_equal(arg(e1, 4), "\"x y\"");
	assert_string_equal(at(e1->args[0].span), "A");
	assert_string_equal(at(e1->args[1].span), "1");
	assert_string_equal(at(e1->args[4].span), "\"x y\"");
	/* old form: key, the whole rest, "" */
	assert_int_equal(e2->nargs, 3);
	assert_string_equal(arg(e2, 0), "C");
	assert_string_equal(arg(e2, 1), "d e");
	assert_string_equal(arg(e2, 2), "");
	assert_string_equal(at(e2->args[1].span), "d e");
	assert_string_equal(arg(l, 0), "\"k\"");
	assert_string_equal(dump(), "(from \"a\")\n(env \"A\" \"1\" \"=\" \"B\" \"\\\"x y\\\"\" \"=\")\n"
				    "(env \"C\" \"d e\" \"\")\n(label \"\\\"k\\\"\" \"v\" \"=\")\n");
}

static void test_env_spans_across_continuations(void **state)
{
	(void)state;
	/* key, value and "=" spans follow the joined line, not byte counts of the word */
	parse("FROM a\nENV A\\\nB=1 C=\\\n2\nLABEL D\\\n=3\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *e = &df.instrs[1], *l = &df.instrs[2];
	assert_int_equal(e->nargs, 6);
	assert_string_equal(arg(e, 0), "AB");
	assert_string_equal(at(e->args[0].span), "A\\\nB");
	assert_string_equal(at(e->args[1].span), "1");
	assert_string_equal(at(e->args[2].span), "=");
	assert_string_equal(arg(e, 3), "C");
	assert_string_equal(at(e->args[3].span), "C");
	assert_string_equal(arg(e, 4), "2");
	assert_string_equal(at(e->args[4].span), "2");
	assert_string_equal(at(e->args[5].span), "=");
	assert_string_equal(arg(l, 0), "D");
	assert_string_equal(at(l->args[0].span), "D");
	assert_string_equal(at(l->args[1].span), "3");
	assert_string_equal(at(l->args[2].span), "=");
	/* an empty value is an empty span after the '=' */
	parse("FROM a\nENV X= Y=1\n");
	assert_int_equal(rc, 0);
	assert_string_equal(arg(&df.instrs[1], 1), "");
	assert_int_equal(df.instrs[1].args[1].span.off, df.instrs[1].args[1].span.end);
	assert_linecol(df.instrs[1].args[1].span.off, 2, 7);
}

static void test_env_errors(void **state)
{
	(void)state;
	parse("FROM a\n\nENV PATH\n");
	assert_fatal_at("ENV must have two arguments", 3, 1);
	parse("FROM a\nLABEL a=b c\n");
	assert_string_equal(fatal_msg(), "Syntax error - can't find = in \"c\". Must be of the form: name=value");
}

static void test_healthcheck(void **state)
{
	(void)state;
	parse("FROM a\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"x\"]\nHEALTHCHECK NONE\n"
	      "HEALTHCHECK CMD curl -f x || exit 1\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *h = &df.instrs[1];
	assert_int_equal(h->nflags, 1);
	assert_string_equal(h->flags[0].value, "5s");
	assert_int_equal(h->nargs, 4);
	assert_string_equal(arg(h, 0), "CMD");
	assert_string_equal(arg(h, 1), "curl");
	assert_true(h->json);
	assert_string_equal(arg(&df.instrs[2], 0), "NONE");
	assert_int_equal(df.instrs[2].nargs, 1);
	assert_int_equal(df.instrs[3].nargs, 2);
	assert_string_equal(arg(&df.instrs[3], 1), "curl -f x || exit 1");
	assert_false(df.instrs[3].json);
}

/* ---- exec form vs shell form ---- */

static void test_json_form(void **state)
{
	(void)state;
	parse("FROM a\nCMD [\"a b\", \"c\\u0041\"]\nENTRYPOINT  [ \"x\" ]  \nCMD []\nCOPY [\"s p\", \"/d\"]\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *c = &df.instrs[1];
	assert_true(c->json);
	assert_int_equal(c->nargs, 2);
	assert_string_equal(arg(c, 0), "a b");
	assert_string_equal(arg(c, 1), "cA");
	/* a decoded element's span is its literal, quotes included */
	assert_string_equal(at(c->args[0].span), "\"a b\"");
	assert_string_equal(at(c->args[1].span), "\"c\\u0041\"");
	assert_true(df.instrs[2].json);
	assert_string_equal(arg(&df.instrs[2], 0), "x");
	assert_string_equal(at(df.instrs[2].args[0].span), "\"x\"");
	assert_true(df.instrs[3].json);
	assert_int_equal(df.instrs[3].nargs, 0);
	assert_true(df.instrs[4].json);
	assert_string_equal(arg(&df.instrs[4], 0), "s p");
	assert_string_equal(dump(), "(from \"a\")\n(cmd \"a b\" \"cA\")\n(entrypoint \"x\")\n(cmd)\n(copy \"s p\" \"/d\")\n");
}

static void test_json_decoding(void **state)
{
	(void)state;
	/* encoding/json: surrogate pairs join, a lone surrogate becomes U+FFFD */
	parse("FROM a\nCMD [\"\\ud83d\\ude00\", \"\\ud800x\", \"a\\/b\\t\"]\nCMD [ ]\nCMD [\"a\",]\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *c = &df.instrs[1];
	assert_true(c->json);
	assert_int_equal(c->nargs, 3);
	assert_string_equal(arg(c, 0), "\xF0\x9F\x98\x80");
	assert_string_equal(arg(c, 1), "\xEF\xBF\xBDx");
	assert_string_equal(arg(c, 2), "a/b\t");
	assert_true(df.instrs[2].json);
	assert_int_equal(df.instrs[2].nargs, 0);
	/* a trailing comma is not JSON: shell form */
	assert_false(df.instrs[3].json);
	assert_string_equal(arg(&df.instrs[3], 0), "[\"a\",]");
}

static void test_json_non_string_is_fatal(void **state)
{
	(void)state;
	parse("FROM a\nCMD [\"a\", 1]\nRUN echo after\n");
	assert_fatal_at("when using JSON array syntax, arrays must be comprised of strings only", 2, 1);
	/* the bad instruction and the ones after it are still in the tree */
	assert_int_equal(df.ninstrs, 3);
	assert_int_equal(df.instrs[1].kind, DS_I_CMD);
	assert_int_equal(df.instrs[2].kind, DS_I_RUN);
	assert_string_equal(arg(&df.instrs[2], 0), "echo after");
}

static void test_json_unterminated_is_shell_form(void **state)
{
	(void)state;
	parse("FROM a\nCMD [\"a\"\nCMD ['a']\nRUN [\"a\", \"b\"] extra\n");
	assert_int_equal(rc, 0);
	for (uint32_t i = 1; i < 4; i++) {
		assert_false(df.instrs[i].json);
		assert_int_equal(df.instrs[i].nargs, 1);
	}
	assert_string_equal(arg(&df.instrs[1], 0), "[\"a\"");
	assert_string_equal(at(df.instrs[1].args[0].span), "[\"a\"");
	assert_string_equal(arg(&df.instrs[2], 0), "['a']");
	assert_string_equal(arg(&df.instrs[3], 0), "[\"a\", \"b\"] extra");
}

/* ---- unknown instructions ---- */

static void test_unknown_instruction_kept(void **state)
{
	(void)state;
	parse("FROM a\nFOO bar baz\nRUN x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_instr *u = &df.instrs[1];
	assert_int_equal(u->kind, DS_I_UNKNOWN);
	assert_string_equal(u->keyword, "FOO");
	assert_string_equal(at(u->kw_span), "FOO");
	assert_string_equal(u->rest, "bar baz");
	assert_int_equal(u->nargs, 1);
	assert_string_equal(arg(u, 0), "");
	assert_string_equal(dump(), "(from \"a\")\n(foo \"\")\n(run \"x\")\n");
	/* the empty node of an unknown instruction right after a continuation: an empty span */
	parse("FOO \\\nbar\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.instrs[0].nargs, 1);
	assert_int_equal(df.instrs[0].args[0].span.off, df.instrs[0].args[0].span.end);
	assert_string_equal(at(df.instrs[0].rest_span), "bar");
}

/* ---- heredocs ---- */

static void test_heredoc_basic(void **state)
{
	(void)state;
	parse("FROM a\nRUN <<EOF\necho hi\nEOF\nCMD x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_instr *r = &df.instrs[1];
	assert_int_equal(r->nheredocs, 1);
	const struct ds_heredoc *h = &r->heredocs[0];
	assert_string_equal(h->name, "EOF");
	assert_false(h->chomp);
	assert_true(h->expand);
	assert_int_equal(h->fd, 0);
	assert_string_equal(h->content, "echo hi\n");
	assert_int_equal(h->content_len, 8);
	assert_string_equal(at(h->body), "echo hi\n");
	assert_string_equal(at(h->terminator), "EOF");
	/* the instruction covers its heredoc; the line span does not */
	assert_string_equal(at(r->span), "RUN <<EOF\necho hi\nEOF");
	assert_string_equal(at(r->line_span), "RUN <<EOF");
	assert_int_equal(r->start_line, 2);
	assert_int_equal(r->end_line, 4);
	assert_string_equal(arg(r, 0), "<<EOF");
	assert_int_equal(df.instrs[2].start_line, 5);
	assert_string_equal(dump(), "(from \"a\")\n(run \"<<EOF\")\n(cmd \"x\")\n");
}

static void test_heredoc_chomp(void **state)
{
	(void)state;
	parse("FROM a\nRUN <<-EOF cat\n\techo hi\n\t\tEOF\nCMD x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_heredoc *h = &df.instrs[1].heredocs[0];
	assert_int_equal(df.instrs[1].nheredocs, 1);
	assert_true(h->chomp);
	assert_string_equal(h->name, "EOF");
	/* the parser keeps the body as written; tabs go later (ChompHeredocContent) */
	assert_string_equal(h->content, "\techo hi\n");
	assert_string_equal(at(h->terminator), "\t\tEOF");
	assert_string_equal(arg(&df.instrs[1], 0), "<<-EOF cat");

	/* without '-' a tab-indented delimiter does not end the body */
	parse("FROM a\nRUN <<EOF\n\tEOF\nEOF\n");
	assert_int_equal(rc, 0);
	assert_string_equal(df.instrs[1].heredocs[0].content, "\tEOF\n");
}

static void test_heredoc_quoted(void **state)
{
	(void)state;
	parse("FROM a\nCOPY <<'EOF' /x\n$HOME\nEOF\nRUN <<\"END\"\n$X\nEND\nRUN <<E\"O\"F\nx\nEOF\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 4);
	const struct ds_heredoc *h1 = &df.instrs[1].heredocs[0];
	assert_string_equal(h1->name, "EOF");
	assert_false(h1->expand);
	assert_string_equal(h1->content, "$HOME\n");
	assert_int_equal(df.instrs[1].nargs, 2);
	assert_string_equal(arg(&df.instrs[1], 0), "<<'EOF'");
	assert_string_equal(arg(&df.instrs[1], 1), "/x");
	const struct ds_heredoc *h2 = &df.instrs[2].heredocs[0];
	assert_string_equal(h2->name, "END");
	assert_false(h2->expand);
	/* partly quoted: still quoted */
	const struct ds_heredoc *h3 = &df.instrs[3].heredocs[0];
	assert_string_equal(h3->name, "EOF");
	assert_false(h3->expand);
}

static void test_two_heredocs_one_line(void **state)
{
	(void)state;
	parse("FROM a\nRUN <<A cat && cat <<-B\na\nA\nb\n\tB\nCMD x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_instr *r = &df.instrs[1];
	assert_int_equal(r->nheredocs, 2);
	assert_string_equal(r->heredocs[0].name, "A");
	assert_false(r->heredocs[0].chomp);
	assert_string_equal(r->heredocs[0].content, "a\n");
	assert_string_equal(at(r->heredocs[0].terminator), "A");
	assert_string_equal(r->heredocs[1].name, "B");
	assert_true(r->heredocs[1].chomp);
	assert_string_equal(r->heredocs[1].content, "b\n");
	assert_linecol(r->heredocs[1].body.off, 5, 1);
	assert_int_equal(r->end_line, 6);
	assert_int_equal(df.instrs[2].start_line, 7);
}

static void test_heredoc_after_continuation(void **state)
{
	(void)state;
	/* the body starts after the last physical line of the instruction */
	parse("FROM a\nRUN <<EOF \\\n  && cat\nx\nEOF\nCMD y\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_instr *r = &df.instrs[1];
	assert_int_equal(r->nheredocs, 1);
	assert_string_equal(r->heredocs[0].content, "x\n");
	assert_linecol(r->heredocs[0].body.off, 4, 1);
	assert_string_equal(at(r->line_span), "RUN <<EOF \\\n  && cat");
	assert_int_equal(r->end_line, 5);
}

static void test_heredoc_crlf(void **state)
{
	(void)state;
	/* BuildKit's scanLines keeps line ends: the content keeps the CR */
	parse("FROM a\r\nRUN <<EOF\r\nx\r\nEOF\r\nCMD y\r\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_heredoc *h = &df.instrs[1].heredocs[0];
	assert_string_equal(h->content, "x\r\n");
	assert_string_equal(at(h->terminator), "EOF");
	assert_string_equal(arg(&df.instrs[2], 0), "y");
}

static void test_heredoc_fd(void **state)
{
	(void)state;
	parse("FROM a\nRUN 3<<EOF cat /dev/fd/3\nx\nEOF\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.instrs[1].nheredocs, 1);
	assert_int_equal(df.instrs[1].heredocs[0].fd, 3);
	assert_string_equal(df.instrs[1].heredocs[0].name, "EOF");
}

static void test_onbuild_heredoc(void **state)
{
	(void)state;
	parse("FROM a\nONBUILD RUN <<EOF\necho\nEOF\nCMD x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_instr *o = &df.instrs[1];
	assert_int_equal(o->kind, DS_I_ONBUILD);
	assert_non_null(o->sub);
	assert_int_equal(o->sub->kind, DS_I_RUN);
	assert_ptr_equal(o->sub->parent, o);
	assert_string_equal(at(o->sub->kw_span), "RUN");
	assert_string_equal(arg(o->sub, 0), "<<EOF");
	assert_int_equal(o->nheredocs, 1);
	assert_string_equal(o->heredocs[0].content, "echo\n");
	assert_int_equal(o->sub->nheredocs, 1);
	assert_int_equal(o->end_line, 4);
	assert_string_equal(dump(), "(from \"a\")\n(onbuild (run \"<<EOF\"))\n(cmd \"x\")\n");
}

static void test_onbuild_flags(void **state)
{
	(void)state;
	parse("FROM a\nonbuild COPY --from=b x y\n");
	assert_int_equal(rc, 0);
	const struct ds_instr *s = df.instrs[1].sub;
	assert_non_null(s);
	assert_int_equal(s->kind, DS_I_COPY);
	assert_int_equal(s->nflags, 1);
	assert_string_equal(at(s->flags[0].span), "--from=b");
	assert_string_equal(at(s->args[1].span), "y");
	assert_string_equal(dump(), "(from \"a\")\n(onbuild (copy [\"--from=b\"] \"x\" \"y\"))\n");
}

static void test_unterminated_heredoc(void **state)
{
	(void)state;
	parse("FROM a\nRUN <<EOF\necho hi\n");
	assert_fatal_at("unterminated heredoc", 2, 1);
	assert_int_equal(df.ninstrs, 2);
	assert_int_equal(df.instrs[1].nheredocs, 1);
	assert_string_equal(df.instrs[1].heredocs[0].content, "echo hi\n");
	/* heredocs still waiting when the file ends are empty, never missing */
	parse("FROM a\nRUN <<A <<B cat\nx");
	assert_fatal_at("unterminated heredoc", 2, 1);
	assert_int_equal(df.instrs[1].nheredocs, 2);
	assert_string_equal(df.instrs[1].heredocs[0].content, "x");
	assert_non_null(df.instrs[1].heredocs[1].content);
	assert_string_equal(df.instrs[1].heredocs[1].content, "");
	assert_int_equal(df.instrs[1].heredocs[1].body.off, src.len);
}

static void test_heredoc_only_where_allowed(void **state)
{
	(void)state;
	/* CMD and exec-form RUN take no heredoc: the next line is an instruction */
	parse("FROM a\nCMD <<EOF\nRUN [\"<<EOF\"]\nEOF\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 4);
	assert_int_equal(df.instrs[1].nheredocs, 0);
	assert_int_equal(df.instrs[2].nheredocs, 0);
	assert_int_equal(df.instrs[3].kind, DS_I_UNKNOWN);
	assert_string_equal(df.instrs[3].keyword, "EOF");
	/* a word with more '<' after the '<<', or text before it, is no heredoc */
	parse("FROM a\nRUN cat <<b<c a<<d\nCMD x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.instrs[1].nheredocs, 0);
	assert_int_equal(df.ninstrs, 3);
}

static void test_heredoc_body_is_not_parsed(void **state)
{
	(void)state;
	parse("FROM a\nCOPY <<EOF /etc/x\n# not a comment\nCMD [\"a\", 1]\n\\\nEOF\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 2);
	assert_string_equal(df.instrs[1].heredocs[0].content, "# not a comment\nCMD [\"a\", 1]\n\\\n");
}

/* ---- parser directives ---- */

static void test_escape_directive(void **state)
{
	(void)state;
	parse("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo hi\nRUN a \\\nCMD b\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.escape, '`');
	assert_int_equal(df.ndirectives, 1);
	assert_string_equal(df.directives[0].name, "escape");
	assert_string_equal(df.directives[0].value, "`");
	assert_string_equal(at(df.directives[0].span), "# escape=`");
	assert_int_equal(df.ninstrs, 4);
	/* the backtick continues the line; a backslash does not */
	assert_string_equal(arg(&df.instrs[1], 0), "dir c:\\   && echo hi");
	assert_int_equal(df.instrs[1].end_line, 4);
	assert_string_equal(arg(&df.instrs[2], 0), "a \\");
	assert_int_equal(df.instrs[3].kind, DS_I_CMD);
}

static void test_duplicate_directive(void **state)
{
	(void)state;
	parse("# escape=`\n# escape=\\\nFROM a\n");
	assert_fatal_at("only one escape parser directive can be used", 2, 1);
	parse("# syntax=a\n#syntax=b\nFROM a\n");
	assert_fatal_at("only one syntax parser directive can be used", 2, 1);
}

static void test_invalid_escape(void **state)
{
	(void)state;
	parse("# escape=x\nFROM a\n");
	assert_fatal_at("invalid escape token 'x' does not match ` or \\", 1, 1);
}

static void test_directive_after_comment(void **state)
{
	(void)state;
	parse("# hello\n# escape=`\nFROM a\nRUN a `\n b\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 0);
	assert_int_equal(df.escape, '\\');
	/* so the backtick is text and " b" is an instruction of its own */
	assert_int_equal(df.ninstrs, 3);
	assert_string_equal(df.instrs[2].keyword, "b");
	/* so does a blank line */
	parse("\n# escape=`\nFROM a\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 0);
	assert_int_equal(df.escape, '\\');
	/* white space before the '#' is allowed */
	parse("  # escape=`\nFROM a\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 1);
	assert_int_equal(df.escape, '`');
	/* after an instruction a directive is a comment too */
	parse("FROM a\n# escape=`\nRUN b\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 0);
	assert_int_equal(df.escape, '\\');
}

static void test_syntax_check_directives(void **state)
{
	(void)state;
	parse("# SYNTAX = docker/dockerfile:1 \n#check=skip=all\nFROM a\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 2);
	assert_string_equal(df.directives[0].name, "syntax");
	assert_string_equal(df.directives[0].value, "docker/dockerfile:1");
	assert_string_equal(df.directives[1].name, "check");
	assert_string_equal(df.directives[1].value, "skip=all");
	/* an unknown key ends the directives: it is a comment */
	parse("# foo=bar\n# escape=`\nFROM a\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 0);
}

/* ---- line ends, BOM, end of file ---- */

static void test_crlf(void **state)
{
	(void)state;
	parse("FROM a\r\nRUN echo \\\r\n  hi\r\nCMD [\"x\"]\r\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	assert_string_equal(arg(&df.instrs[0], 0), "a");
	assert_string_equal(at(df.instrs[0].span), "FROM a");
	assert_string_equal(arg(&df.instrs[1], 0), "echo   hi");
	assert_int_equal(df.instrs[1].start_line, 2);
	assert_int_equal(df.instrs[1].end_line, 3);
	assert_true(df.instrs[2].json);
	assert_string_equal(dump(), "(from \"a\")\n(run \"echo   hi\")\n(cmd \"x\")\n");
}

static void test_bom(void **state)
{
	(void)state;
	parse("\xEF\xBB\xBF# escape=`\nFROM a\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.escape, '`');
	assert_string_equal(at(df.instrs[0].kw_span), "FROM");
	parse("\xEF\xBB\xBF" "FROM a");
	assert_int_equal(rc, 0);
	assert_string_equal(df.instrs[0].keyword, "FROM");
	assert_int_equal(df.instrs[0].kw_span.off, 3);
	assert_linecol(df.instrs[0].kw_span.off, 1, 4);
	assert_string_equal(dump(), "(from \"a\")\n");
}

static void test_no_final_newline(void **state)
{
	(void)state;
	parse("FROM a\nCMD x  ");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 2);
	assert_string_equal(arg(&df.instrs[1], 0), "x");
	assert_int_equal(df.instrs[1].end_line, 2);
	assert_int_equal(df.root_end_line, 2);
}

static void test_continuation_at_eof(void **state)
{
	(void)state;
	parse("FROM a\nRUN echo \\");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 2);
	assert_string_equal(arg(&df.instrs[1], 0), "echo");
	parse("FROM a\nRUN echo \\\n");
	assert_int_equal(rc, 0);
	assert_string_equal(arg(&df.instrs[1], 0), "echo");
	/* a continuation into blank lines and comments up to the end */
	parse("FROM a\nRUN echo \\\n\n# c\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 2);
	assert_string_equal(arg(&df.instrs[1], 0), "echo");
}

static void test_escaped_escape_ends_line(void **state)
{
	(void)state;
	parse("FROM a\nRUN echo \\\\\nCMD x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	assert_string_equal(arg(&df.instrs[1], 0), "echo \\\\");
}

static void test_comments_blanks_in_continuation(void **state)
{
	(void)state;
	parse("FROM a\nRUN a \\\n # c\n\n    \\\n b\nCMD x\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	const struct ds_instr *r = &df.instrs[1];
	assert_int_equal(r->start_line, 2);
	assert_int_equal(r->end_line, 6);
	assert_string_equal(arg(r, 0), "a      b");
	assert_string_equal(at(r->span), "RUN a \\\n # c\n\n    \\\n b");
	assert_string_equal(at(r->args[0].span), "a \\\n # c\n\n    \\\n b");
	assert_int_equal(df.instrs[2].start_line, 7);
}

static void test_empty_and_comment_only(void **state)
{
	(void)state;
	parse("");
	assert_fatal_at("file with no instructions", 1, 1);
	parse("# only\n\n   \n# comments\n");
	assert_string_equal(fatal_msg(), "file with no instructions");
	parse("\xEF\xBB\xBF");
	assert_string_equal(fatal_msg(), "file with no instructions");
}

/* ---- limits ---- */

static void long_line_file(struct ds_buf *b, size_t n, bool newline)
{
	ds_buf_adds(b, "FROM a\nRUN ");
	while (b->len < 7 + n)
		ds_buf_addc(b, 'x');
	if (newline)
		ds_buf_addc(b, '\n');
}

static void test_line_too_long(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	/* 65536 bytes before the line end: one more than bufio.Scanner holds */
	long_line_file(&b, 65536, true);
	parse_mem(b.buf, b.len);
	assert_fatal_at("dockerfile line greater than max allowed size of 65535", 2, 1);
	/* 65535 bytes and the line end fit */
	ds_buf_reset(&b);
	long_line_file(&b, 65535, true);
	parse_mem(b.buf, b.len);
	assert_int_equal(rc, 0);
	assert_int_equal(df.instrs[1].args[0].len, 65535 - 4);
	/* a last line without a line end has one byte less room */
	ds_buf_reset(&b);
	long_line_file(&b, 65536, false);
	parse_mem(b.buf, b.len);
	assert_string_equal(fatal_msg(), "dockerfile line greater than max allowed size of 65535");
	ds_buf_reset(&b);
	long_line_file(&b, 65535, false);
	parse_mem(b.buf, b.len);
	assert_int_equal(rc, 0);
	ds_buf_release(&b);
}

static void test_nul_and_invalid_utf8(void **state)
{
	(void)state;
	static const char in[] = "FROM a\nRUN echo a\0b \xff\xfe\nCMD [\"x\\u0000y\"]\n";
	parse_mem(in, sizeof in - 1);
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	assert_int_equal(df.instrs[1].args[0].len, 11);
	assert_memory_equal(df.instrs[1].args[0].text, "echo a\0b \xff\xfe", 11);
	assert_int_equal(df.instrs[2].args[0].len, 3);
	assert_memory_equal(df.instrs[2].args[0].text, "x\0y", 3);
	assert_string_equal(dump(), "(from \"a\")\n(run \"echo a\\x00b \\xff\\xfe\")\n(cmd \"x\\x00y\")\n");
}

/* NUL is an ordinary byte: every string of the tree carries its length. */
static void test_nul_in_keywords_flags_heredocs(void **state)
{
	(void)state;
	static const char kw[] = "RUN\0x y\nFR\0OM a\n";
	parse_mem(kw, sizeof kw - 1);
	assert_int_equal(rc, 0);
	/* "run\0x" is not RUN: the lookup compares all of the keyword */
	assert_int_equal(df.instrs[0].kind, DS_I_UNKNOWN);
	assert_int_equal(df.instrs[0].keyword_len, 5);
	assert_memory_equal(df.instrs[0].keyword, "RUN\0x", 5);
	assert_int_equal(df.instrs[1].kind, DS_I_UNKNOWN);
	assert_string_equal(at(df.instrs[1].kw_span), "FR");
	assert_int_equal(df.instrs[1].kw_span.end - df.instrs[1].kw_span.off, 5);
	static const char want_kw[] = "(run\0x \"\")\n(fr\0om \"\")\n";
	const char *d = dump();
	assert_memory_equal(d, want_kw, sizeof want_kw);

	static const char fl[] = "FROM a\nCOPY --x\0y=a\0b --from=s\0t c d\n";
	parse_mem(fl, sizeof fl - 1);
	assert_int_equal(rc, 0);
	const struct ds_instr *c = &df.instrs[1];
	assert_int_equal(c->nflags, 2);
	assert_int_equal(c->flags[0].text_len, 9);
	assert_int_equal(c->flags[0].name_len, 3);
	assert_memory_equal(c->flags[0].name, "x\0y", 3);
	assert_int_equal(c->flags[0].value_len, 3);
	assert_memory_equal(c->flags[0].value, "a\0b", 3);
	assert_int_equal(c->flags[1].value_len, 3);
	/* a name with a NUL is not the name before it */
	assert_null(ds_instr_flag(c, "x"));
	assert_non_null(ds_instr_flag(c, "from"));
	assert_string_equal(dump(), "(from \"a\")\n(copy [\"--x\\x00y=a\\x00b\" \"--from=s\\x00t\"] \"c\" \"d\")\n");

	static const char hd[] = "FROM a\nRUN <<E\0F\nE\nE\0F\n";
	parse_mem(hd, sizeof hd - 1);
	assert_int_equal(rc, 0);
	const struct ds_instr *r = &df.instrs[1];
	assert_int_equal(r->nheredocs, 1);
	assert_int_equal(r->heredocs[0].name_len, 3);
	assert_memory_equal(r->heredocs[0].name, "E\0F", 3);
	/* "E" alone does not end it */
	assert_int_equal(r->heredocs[0].content_len, 2);
	assert_string_equal(r->heredocs[0].content, "E\n");

	static const char dv[] = "# check=a\0b\nFROM a\n";
	parse_mem(dv, sizeof dv - 1);
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 1);
	assert_int_equal(df.directives[0].value_len, 3);
	assert_memory_equal(df.directives[0].value, "a\0b", 3);
}

/* Flags unescape with the file's escape token, as BuildKit's extractBuilderFlags does. */
static void test_flags_use_escape_directive(void **state)
{
	(void)state;
	parse("# escape=`\nFROM a\nRUN --mount=type=bind,source=C:\\src dir\nCOPY --chown=a`b --x=\"`\"y\" c d\n");
	assert_int_equal(rc, 0);
	assert_string_equal(df.instrs[1].flags[0].value, "type=bind,source=C:\\src");
	assert_string_equal(df.instrs[2].flags[0].value, "ab");
	assert_string_equal(df.instrs[2].flags[1].text, "--x=\"y");
	/* with the default escape the backslash escapes */
	parse("FROM a\nCOPY --chown=a\\b --x=a`b c d\n");
	assert_string_equal(df.instrs[1].flags[0].value, "ab");
	assert_string_equal(df.instrs[1].flags[1].value, "a`b");
}

/* A directive whose value is only white space: (.+?) takes the last white space character. */
static void test_directive_blank_value(void **state)
{
	(void)state;
	parse("# syntax=  \t\nFROM a\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 1);
	assert_string_equal(df.directives[0].value, "\t");
	parse("# escape= \nFROM a\n");
	assert_fatal_at("invalid escape token ' ' does not match ` or \\", 1, 1);
	parse("# check=\t\n# check=x\nFROM a\n");
	assert_fatal_at("only one check parser directive can be used", 2, 1);
	/* nothing after '=' is no directive: the line is a comment that ends the block */
	parse("# syntax=\n# escape=`\nFROM a\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ndirectives, 0);
	assert_int_equal(df.escape, '\\');
}

/* Go's strings.ToLower: Unicode simple mappings, invalid bytes to U+FFFD. */
static void test_go_lower(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "FrOm", "from" },
		{ "FR\xc3\x96M", "fr\xc3\xb6m" },                     /* Ö */
		{ "\xff" "FROM", "\xef\xbf\xbd" "from" },              /* an invalid byte */
		{ "HEALTHCHEC\xe2\x84\xaa", "healthcheck" },          /* KELVIN SIGN */
		{ "ENTRYPO\xc4\xb0NT", "entrypoint" },                 /* U+0130 */
		{ "\xc8\xba", "\xe2\xb1\xa5" },                         /* U+023A grows to U+2C65 */
		{ "\xc4\x80\xc4\x81", "\xc4\x81\xc4\x81" },              /* U+0100/U+0101: an alternating range */
		{ "\xe2\x84\xab", "\xc3\xa5" },                         /* ANGSTROM SIGN */
		{ "\xf0\x9e\xa4\x80", "\xf0\x9e\xa4\xa2" },              /* ADLAM CAPITAL ALIF */
		{ "\xef\xbf\xbd", "\xef\xbf\xbd" },                     /* a real U+FFFD stays */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ds_buf_reset(&b);
		ds_go_lower(&b, cases[i].in, strlen(cases[i].in));
		assert_string_equal(b.buf, cases[i].want);
	}
	ds_buf_reset(&b);
	ds_go_lower(&b, "A\0B", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.buf, "a\0b", 3);
	ds_buf_release(&b);
	assert_int_equal(ds_go_tolower_rune(0x130), 'i');
	assert_int_equal(ds_go_tolower_rune(0x212A), 'k');
	assert_int_equal(ds_go_tolower_rune(0x101), 0x101);
	assert_int_equal(ds_go_tolower_rune(0x10FFFF), 0x10FFFF);

	/* the dispatch lookup lowers the same way */
	assert_int_equal(ds_instr_lookup("HEALTHCHEC\xe2\x84\xaa", 13), DS_I_HEALTHCHECK);
	assert_int_equal(ds_instr_lookup("ENTRYPO\xc4\xb0NT", 11), DS_I_ENTRYPOINT);
	assert_int_equal(ds_instr_lookup("\xe2\x84\xaa", 3), DS_I_UNKNOWN);
	assert_int_equal(ds_instr_lookup("FR\xc3\x96M", 5), DS_I_UNKNOWN);
	parse("FROM a\nHEALTHCHEC\xe2\x84\xaa NONE\nENTRYPO\xc4\xb0NT [\"a\"]\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.instrs[1].kind, DS_I_HEALTHCHECK);
	assert_int_equal(df.instrs[2].kind, DS_I_ENTRYPOINT);
	assert_true(df.instrs[2].json);
	assert_string_equal(dump(), "(from \"a\")\n(healthcheck \"NONE\")\n(entrypoint \"a\")\n");
}

/* Go's unicode.IsPrint decides what the dump's quoting escapes. */
static void test_go_isprint(void **state)
{
	(void)state;
	static const uint32_t print[] = { ' ', 'a', '~', 0xA1, 0xE9, 0x4E00, 0x1F600, 0x20000 };
	static const uint32_t not_print[] = { 0, 0x1F, 0x7F, 0x85, 0xA0, 0xAD, 0x378, 0x590, 0x5F6, 0x2028,
					      0x3000, 0xD800, 0xE000, 0xFFFF, 0x7DF7D, 0xE0001, 0x10FFFD };
	for (size_t i = 0; i < sizeof print / sizeof *print; i++)
		assert_true(ds_go_isprint(print[i]));
	for (size_t i = 0; i < sizeof not_print / sizeof *not_print; i++)
		assert_false(ds_go_isprint(not_print[i]));
	/* an unassigned code point is escaped, an assigned one written as it is */
	parse("FROM a\nRUN \xd6\x90\xf0\x9f\x98\x80\xcd\xb8\n");
	assert_int_equal(rc, 0);
	assert_string_equal(dump(), "(from \"a\")\n(run \"\\u0590\xf0\x9f\x98\x80\\u0378\")\n");
}

/* A number beyond float64 fails Go's decoding: shell form; underflow does not. */
static void test_json_number_overflow(void **state)
{
	(void)state;
	static const char *const shell[] = {
		"[1e999]", "[-1e999]", "[\"a\", 1E+309]", "[[1e999]]", "[{\"a\":1e999}]", "[1, 1e999]",
		"[1.7976931348623159e308]", "[0.0017976931348623159e311]", "[1798e305]",
		/* 2^1024 - 2^970, the smallest decimal that rounds to infinity */
		"[179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207"
		"096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475"
		"730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174"
		"497792]",
	};
	static const char *const non_string[] = {
		"[1e-999]", "[123456789012345678901234567890]", "[1.7976931348623158e308]", "[1797e305]",
		"[0e99999999999]", "[0.0e999]", "[1e+308]",
		"[179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207"
		"096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475"
		"730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174"
		"497791.99]",
	};
	struct ds_jstr *v;
	size_t n;
	for (size_t i = 0; i < sizeof shell / sizeof *shell; i++)
		assert_int_equal(ds_json_string_array(&arena, shell[i], strlen(shell[i]), &v, &n), DS_JSON_NOT_ARRAY);
	for (size_t i = 0; i < sizeof non_string / sizeof *non_string; i++)
		assert_int_equal(ds_json_string_array(&arena, non_string[i], strlen(non_string[i]), &v, &n),
				 DS_JSON_NON_STRING);
	parse("FROM a\nCMD [1e999]\nVOLUME [\"/a\", 1e400]\n");
	assert_int_equal(rc, 0);
	assert_false(df.instrs[1].json);
	assert_string_equal(dump(), "(from \"a\")\n(cmd \"[1e999]\")\n(volume \"[\\\"/a\\\",\" \"1e400]\")\n");
}

/* BuildKit's reader stops at a line too long for it; the message depends on where. */
static void test_line_too_long_stops_reading(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	/* inside a heredoc body: the heredoc never ends */
	ds_buf_adds(&b, "FROM a\nRUN <<EOF\n");
	for (int i = 0; i < 70000; i++)
		ds_buf_addc(&b, 'x');
	ds_buf_adds(&b, "\nEOF\nRUN b\n");
	parse_mem(b.buf, b.len);
	assert_fatal_at("unterminated heredoc", 2, 1);
	assert_int_equal(df.ninstrs, 2);
	/* the tokens still tile the file: the unread rest is one token */
	assert_int_equal(df.tokens[df.ntokens - 1].kind, DS_T_UNREAD);
	assert_int_equal(df.tokens[df.ntokens - 1].off, 17);
	assert_int_equal(df.tokens[df.ntokens - 1].off + df.tokens[df.ntokens - 1].len, b.len);
	assert_string_equal(ds_tok_name(DS_T_UNREAD), "unread");

	/* before any instruction: none was read */
	ds_buf_reset(&b);
	ds_buf_adds(&b, "# c\n#");
	for (int i = 0; i < 70000; i++)
		ds_buf_addc(&b, 'x');
	ds_buf_adds(&b, "\nFROM a\n");
	parse_mem(b.buf, b.len);
	assert_string_equal(fatal_msg(), "file with no instructions");
	assert_int_equal(df.ninstrs, 0);

	/* an earlier error is the one BuildKit reports */
	ds_buf_reset(&b);
	ds_buf_adds(&b, "FROM a\nENV PATH\nRUN ");
	for (int i = 0; i < 70000; i++)
		ds_buf_addc(&b, 'x');
	parse_mem(b.buf, b.len);
	assert_fatal_at("ENV must have two arguments", 2, 1);

	/* in a continuation: the instruction ends where reading stopped */
	ds_buf_reset(&b);
	ds_buf_adds(&b, "FROM a\nRUN a \\\n");
	for (int i = 0; i < 70000; i++)
		ds_buf_addc(&b, 'x');
	ds_buf_adds(&b, "\nRUN b\n");
	parse_mem(b.buf, b.len);
	assert_fatal_at("dockerfile line greater than max allowed size of 65535", 3, 1);
	assert_int_equal(df.ninstrs, 2);
	assert_string_equal(dump(), "(from \"a\")\n(run \"a\")\n");
	ds_buf_release(&b);
}

/* ---- the JSON view ---- */

static void test_dump_json_positions(void **state)
{
	(void)state;
	parse("FROM a\n  RUN  x\n");
	assert_int_equal(rc, 0);
	struct ds_buf b = DS_BUF_INIT;
	ds_dump_json(&df, &b);
	assert_non_null(b.buf);
	assert_non_null(strstr(b.buf, "\"file\":\"Dockerfile\""));
	assert_non_null(strstr(b.buf, "\"keyword\":\"RUN\",\"line\":2,\"column\":3,\"end_line\":2,\"end_column\":9"));
	assert_non_null(strstr(b.buf, "{\"value\":\"x\",\"line\":2,\"column\":8,\"end_line\":2,\"end_column\":9}"));
	assert_int_equal(b.buf[b.len - 1], '\n');
	ds_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instruction_spans),
		cmocka_unit_test(test_keyword_case_kept),
		cmocka_unit_test(test_instr_table),
		cmocka_unit_test(test_root_lines_skip_comments),
		cmocka_unit_test(test_prev_comments),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_double_dash_ends_flags),
		cmocka_unit_test(test_run_mount_flag),
		cmocka_unit_test(test_args_across_continuations),
		cmocka_unit_test(test_env_label_forms),
		cmocka_unit_test(test_env_spans_across_continuations),
		cmocka_unit_test(test_env_errors),
		cmocka_unit_test(test_healthcheck),
		cmocka_unit_test(test_json_form),
		cmocka_unit_test(test_json_decoding),
		cmocka_unit_test(test_json_non_string_is_fatal),
		cmocka_unit_test(test_json_unterminated_is_shell_form),
		cmocka_unit_test(test_unknown_instruction_kept),
		cmocka_unit_test(test_heredoc_basic),
		cmocka_unit_test(test_heredoc_chomp),
		cmocka_unit_test(test_heredoc_quoted),
		cmocka_unit_test(test_two_heredocs_one_line),
		cmocka_unit_test(test_heredoc_after_continuation),
		cmocka_unit_test(test_heredoc_crlf),
		cmocka_unit_test(test_heredoc_fd),
		cmocka_unit_test(test_onbuild_heredoc),
		cmocka_unit_test(test_onbuild_flags),
		cmocka_unit_test(test_unterminated_heredoc),
		cmocka_unit_test(test_heredoc_only_where_allowed),
		cmocka_unit_test(test_heredoc_body_is_not_parsed),
		cmocka_unit_test(test_escape_directive),
		cmocka_unit_test(test_duplicate_directive),
		cmocka_unit_test(test_invalid_escape),
		cmocka_unit_test(test_directive_after_comment),
		cmocka_unit_test(test_syntax_check_directives),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_continuation_at_eof),
		cmocka_unit_test(test_escaped_escape_ends_line),
		cmocka_unit_test(test_comments_blanks_in_continuation),
		cmocka_unit_test(test_empty_and_comment_only),
		cmocka_unit_test(test_line_too_long),
		cmocka_unit_test(test_nul_and_invalid_utf8),
		cmocka_unit_test(test_nul_in_keywords_flags_heredocs),
		cmocka_unit_test(test_flags_use_escape_directive),
		cmocka_unit_test(test_directive_blank_value),
		cmocka_unit_test(test_go_lower),
		cmocka_unit_test(test_go_isprint),
		cmocka_unit_test(test_json_number_overflow),
		cmocka_unit_test(test_line_too_long_stops_reading),
		cmocka_unit_test(test_dump_json_positions),
	};
	return cmocka_run_group_tests_name("parser", tests, NULL, teardown);
}
