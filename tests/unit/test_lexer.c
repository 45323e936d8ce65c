/* test_lexer.c - unit tests of the scanner: token kinds, lossless tiling, line handling helpers. */
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
#include "lexer/lexstate.h"
#include "parser/ast.h"

/*
 * The scanner is reached through ds_parse with keep_tokens, which records
 * every token the grammar sees (lexer/tokens.def). The invariant under test
 * everywhere: the tokens tile the file, so printing them reproduces it byte
 * for byte (DESIGN §4, lossless).
 */

static struct ds_arena arena = DS_ARENA_INIT;
static struct ds_source src;
static struct ds_dockerfile df;
static int rc;

static void lex_mem(const char *s, size_t n)
{
	ds_arena_release(&arena);
	struct ds_parse_opts po = { 0 };
	po.keep_tokens = true;
	ds_source_from_mem(&src, &arena, "Dockerfile", s, n);
	rc = ds_parse(&arena, &src, &po, &df);
}

static void lex(const char *s)
{
	lex_mem(s, strlen(s));
}

static int teardown(void **state)
{
	(void)state;
	ds_arena_release(&arena);
	return 0;
}

/*
 * The token stream as text: `kind "bytes"` separated by spaces, bytes with
 * \n, \r, \t, \\, \" and \xNN escapes, so one string pins kinds and spans.
 */
static const char *tokens(void)
{
	struct ds_buf b = DS_BUF_INIT;
	for (size_t i = 0; i < df.ntokens; i++) {
		const struct ds_token *t = &df.tokens[i];
		if (i)
			ds_buf_addc(&b, ' ');
		ds_buf_adds(&b, ds_tok_name((enum ds_tok_kind)t->kind));
		ds_buf_adds(&b, " \"");
		for (uint32_t k = 0; k < t->len; k++) {
			unsigned char c = (unsigned char)src.data[t->off + k];
			if (c == '\n')
				ds_buf_adds(&b, "\\n");
			else if (c == '\r')
				ds_buf_adds(&b, "\\r");
			else if (c == '\t')
				ds_buf_adds(&b, "\\t");
			else if (c == '\\' || c == '"')
				ds_buf_addf(&b, "\\%c", c);
			else if (c < 0x20 || c >= 0x7f)
				ds_buf_addf(&b, "\\x%02x", c);
			else
				ds_buf_addc(&b, (char)c);
		}
		ds_buf_addc(&b, '"');
	}
	const char *s = ds_arena_strndup(&arena, b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return s;
}

/* Asserts that the tokens tile the source: contiguous, non-empty, from 0 to the end. */
static void assert_tiles(void)
{
	size_t at = 0;
	for (size_t i = 0; i < df.ntokens; i++) {
		assert_int_equal(df.tokens[i].off, at);
		assert_true(df.tokens[i].len > 0);
		assert_true(df.tokens[i].kind < DS_T__COUNT);
		at += df.tokens[i].len;
	}
	assert_int_equal(at, src.len);
	/* and so their concatenation is the file */
	struct ds_buf b = DS_BUF_INIT;
	for (size_t i = 0; i < df.ntokens; i++)
		ds_buf_add(&b, src.data + df.tokens[i].off, df.tokens[i].len);
	assert_int_equal(b.len, src.len);
	if (src.len)
		assert_memory_equal(b.buf, src.data, src.len);
	ds_buf_release(&b);
}

/* ---- token kinds ---- */

static void test_token_names(void **state)
{
	(void)state;
	assert_string_equal(ds_tok_name(DS_T_BOM), "bom");
	assert_string_equal(ds_tok_name(DS_T_CONTINUATION), "continuation");
	assert_string_equal(ds_tok_name(DS_T_HEREDOC_END), "heredoc-end");
}

static void test_tokens_basic_file(void **state)
{
	(void)state;
	lex("# syntax=x\n# a comment\n\n  FROM a\nRUN b \\\n  # inside\n\n  c\n");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "directive \"# syntax=x\\n\" comment \"# a comment\\n\" blank \"\\n\" "
				      "indent \"  \" text \"FROM a\" eol \"\\n\" "
				      "text \"RUN b \" continuation \"\\\\\\n\" cont-comment \"  # inside\\n\" "
				      "cont-blank \"\\n\" text \"  \" text \"c\" eol \"\\n\"");
	assert_tiles();
}

static void test_tokens_bom_crlf(void **state)
{
	(void)state;
	lex("\xEF\xBB\xBF" "FROM a\r\nRUN b \\ \r\n c\r\n\r\n");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "bom \"\\xef\\xbb\\xbf\" text \"FROM a\" eol \"\\r\\n\" "
				      "text \"RUN b \" continuation \"\\\\ \\r\\n\" text \" \" text \"c\" eol \"\\r\\n\" "
				      "blank \"\\r\\n\"");
	assert_tiles();
}

static void test_tokens_heredoc(void **state)
{
	(void)state;
	lex("FROM a\nRUN <<-EOF\n\tx\n\tEOF\nCMD y");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "text \"FROM a\" eol \"\\n\" text \"RUN <<-EOF\" eol \"\\n\" "
				      "heredoc-line \"\\tx\\n\" heredoc-end \"\\tEOF\\n\" text \"CMD y\"");
	assert_tiles();
}

static void test_tokens_two_heredocs(void **state)
{
	(void)state;
	lex("FROM a\nCOPY <<A <<B /\na\nA\nB\n");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "text \"FROM a\" eol \"\\n\" text \"COPY <<A <<B /\" eol \"\\n\" "
				      "heredoc-line \"a\\n\" heredoc-end \"A\\n\" heredoc-end \"B\\n\"");
	assert_tiles();
}

static void test_tokens_continuation_at_eof(void **state)
{
	(void)state;
	lex("FROM a\nRUN b \\");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "text \"FROM a\" eol \"\\n\" text \"RUN b \" continuation \"\\\\\"");
	assert_tiles();
	lex("FROM a\nRUN b \\  ");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "text \"FROM a\" eol \"\\n\" text \"RUN b \" continuation \"\\\\  \"");
	assert_tiles();
}

static void test_tokens_escape_backtick(void **state)
{
	(void)state;
	/* with escape=` a backslash at the end is text, the backtick continues */
	lex("# escape=`\nFROM a\nRUN b \\\nRUN c `\n d\n");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "directive \"# escape=`\\n\" text \"FROM a\" eol \"\\n\" "
				      "text \"RUN b \" text \"\\\\\" eol \"\\n\" "
				      "text \"RUN c \" continuation \"`\\n\" text \" \" text \"d\" eol \"\\n\"");
	assert_tiles();
}

static void test_tokens_escaped_escape(void **state)
{
	(void)state;
	/* ([^\\])\\[ \t]*$: an escape preceded by an escape does not continue the line */
	lex("FROM a\nRUN b \\\\\nCMD c\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 3);
	assert_tiles();
	/* but a line holding only the escape does */
	lex("FROM a\nRUN b \\\n\\\n c\n");
	assert_int_equal(rc, 0);
	assert_int_equal(df.ninstrs, 2);
	assert_tiles();
}

static void test_tokens_directive_vs_comment(void **state)
{
	(void)state;
	lex("# hello\n# escape=`\nFROM a\n");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "comment \"# hello\\n\" comment \"# escape=`\\n\" text \"FROM a\" eol \"\\n\"");
	lex("FROM a\n# escape=`\n");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "text \"FROM a\" eol \"\\n\" comment \"# escape=`\\n\"");
}

static void test_tokens_unterminated_heredoc(void **state)
{
	(void)state;
	lex("FROM a\nRUN <<EOF\nx\ny");
	assert_int_equal(rc, -1);
	assert_string_equal(tokens(), "text \"FROM a\" eol \"\\n\" text \"RUN <<EOF\" eol \"\\n\" "
				      "heredoc-line \"x\\n\" heredoc-line \"y\"");
	assert_tiles();
}

static void test_tokens_unicode_space(void **state)
{
	(void)state;
	/* U+00A0 and U+3000 are unicode.IsSpace: indentation, like BuildKit's left trim */
	lex("\xC2\xA0\xE3\x80\x80" "FROM a\n");
	assert_int_equal(rc, 0);
	assert_string_equal(tokens(), "indent \"\\xc2\\xa0\\xe3\\x80\\x80\" text \"FROM a\" eol \"\\n\"");
	assert_string_equal(df.instrs[0].keyword, "FROM");
	/* a lone lead byte is not a space: it starts the text */
	lex("\xC2" "FROM a\n");
	assert_string_equal(tokens(), "text \"\\xc2FROM a\" eol \"\\n\"");
	assert_tiles();
}

/* ---- lossless on tricky inputs ---- */

static void test_tiling_tricky_inputs(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t n;
	} cases[] = {
#define C(lit) { lit, sizeof lit - 1 }
		C(""),
		C("\n"),
		C("\r"),
		C("\r\r\n"),
		C("   "),
		C("\t\n \n"),
		C("\xEF\xBB\xBF"),
		C("\xEF\xBB"),
		C("FROM a"),
		C("FROM a\r"),
		C("FROM a\rCMD b\r\n"),
		C("FROM a \\"),
		C("FROM a \\\r"),
		C("FROM a \\\r\n"),
		C("\\"),
		C("\\\n\\\n"),
		C("`\n"),
		C("# escape=`\nFROM a `"),
		C("# escape=`\nFROM a `\r\n\r\n# x\n  `\n b"),
		C("# escape=x\nFROM a\n"),
		C("#\n#\n#"),
		C("FROM a\nRUN <<EOF"),
		C("FROM a\nRUN <<EOF\n"),
		C("FROM a\nRUN <<EOF\nEOF"),
		C("FROM a\nRUN <<EOF\r\nx\r\nEOF\r\n"),
		C("FROM a\nRUN <<A <<B <<C\nA\nB\n"),
		C("FROM a\nRUN <<\"A\" \\\n && cat <<B\nx\nA\nB\n"),
		C("FROM a\nONBUILD COPY <<EOF /\nx\nEOF\n"),
		C("FROM a\nRUN a\0b\n\0\n"),
		C("\0"),
		C("FROM a\nRUN \xff\xfe\xc3\x28 \xe2\x82\n"),
		C("\xC2\xA0\n\xE2\x80\x80 \xE2\x80\n"),
		C("FROM a\nCMD [\"a\", 1]\nCMD [\"a\"\nENTRYPOINT [[[\n"),
		C("FROM a\nLABEL a=\"b\nENV x=${y\n"),
		C("FROM a\nRUN a \\\n# c\n\n \\\n\\\n"),
		C("FROM a\n  \t  RUN  x  \t\n\n"),
		C("ONBUILD ONBUILD ONBUILD RUN x\n"),
#undef C
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		lex_mem(cases[i].s, cases[i].n);
		assert_tiles();
	}
}

static void test_tiling_pseudo_random(void **state)
{
	(void)state;
	/* inputs drawn from the bytes that matter to the scanner */
	static const char alphabet[] = "FROM RUN<<EOF\\`\n\r\t #\"'[]-=\xC2\xA0\xEF\xBB\xBF\0";
	uint32_t seed = 12345;
	char buf[512];
	for (int round = 0; round < 2000; round++) {
		size_t n = 0, len = 1 + (size_t)(round % 200);
		for (; n < len; n++) {
			seed = seed * 1103515245u + 12345u;
			buf[n] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		lex_mem(buf, n);
		assert_tiles();
	}
}

/* ---- the scanner's helpers (lexer/lexstate.h) ---- */

static int directive(struct ds_lexstate *ls, const char *line)
{
	size_t n = strlen(line);
	ls->pos += (uint32_t)n;
	return ds_lex_directive(ls, line, n);
}

static void test_lex_directive(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_lexstate ls;
	memset(&ls, 0, sizeof ls);
	ls.arena = &a;
	ls.escape = '\\';
	assert_int_equal(directive(&ls, "# syntax = docker/dockerfile:1  \n"), 1);
	assert_int_equal(ls.ndirs, 1);
	assert_string_equal(ls.dirs[0].name, "syntax");
	assert_string_equal(ls.dirs[0].value, "docker/dockerfile:1");
	assert_int_equal(ls.dirs[0].off, 0);
	assert_int_equal(directive(&ls, "#ESCAPE=`\r\n"), 1);
	assert_int_equal(ls.escape, '`');
	assert_string_equal(ls.dirs[1].name, "escape");
	assert_int_equal(ls.dirs[1].off, 33);
	assert_null(ls.dir_error);
	/* a second one is an error at its line */
	assert_int_equal(directive(&ls, "# escape=\\\n"), 1);
	assert_non_null(ls.dir_error);
	assert_string_equal(ls.dir_error, "only one escape parser directive can be used");
	assert_int_equal(ls.escape, '`');
	/* not directives: no value, unknown key, no '#', key starting with a digit */
	assert_int_equal(directive(&ls, "# check=\n"), 0);
	assert_int_equal(directive(&ls, "# foo=bar\n"), 0);
	assert_int_equal(directive(&ls, "escape=`\n"), 0);
	assert_int_equal(directive(&ls, "# 1escape=`\n"), 0);
	assert_int_equal(directive(&ls, "# escape `\n"), 0);
	ds_arena_release(&a);

	memset(&ls, 0, sizeof ls);
	ls.arena = &a;
	ls.escape = '\\';
	assert_int_equal(directive(&ls, "# escape=ab\n"), 1);
	assert_string_equal(ls.dir_error, "invalid escape token 'ab' does not match ` or \\");
	assert_int_equal(ls.escape, '\\');
	ds_arena_release(&a);
}

static void test_lex_is_continuation(void **state)
{
	(void)state;
	struct ds_lexstate ls;
	memset(&ls, 0, sizeof ls);
	ls.escape = '\\';
	ls.src = "RUN a \\\\";
	ls.pl_start = 0;
	/* offset 6: the first backslash, preceded by a space */
	assert_true(ds_lex_is_continuation(&ls, 6));
	/* offset 7: preceded by an escape */
	assert_false(ds_lex_is_continuation(&ls, 7));
	/* an escape at the start of the physical line continues */
	ls.src = "\\";
	assert_true(ds_lex_is_continuation(&ls, 0));
	ls.src = "x\\\\";
	ls.pl_start = 2;
	assert_true(ds_lex_is_continuation(&ls, 2));
}

static void test_lex_space_prefix(void **state)
{
	(void)state;
	assert_int_equal(ds_lex_space_prefix(" \tx", 3), 2);
	assert_int_equal(ds_lex_space_prefix("\xC2\xA0x", 3), 2);
	assert_int_equal(ds_lex_space_prefix("\xC2\x85\xE2\x80\x8A\xE2\x80\xAF\xE2\x81\x9F\xE3\x80\x80\xE1\x9A\x80y", 18),
			 17);
	assert_int_equal(ds_lex_space_prefix("\xC2", 1), 0);
	assert_int_equal(ds_lex_space_prefix("\xE2\x80", 2), 0);
	assert_int_equal(ds_lex_space_prefix("\xE2\x80\x8B", 3), 0); /* U+200B is not a space */
	assert_int_equal(ds_lex_space_prefix("", 0), 0);
}

static void test_lex_heredoc_line(void **state)
{
	(void)state;
	struct ds_lex_heredoc hd[2] = { { "EOF", 3, 0 }, { "END", 3, 1 } };
	struct ds_lexstate ls;
	memset(&ls, 0, sizeof ls);
	ls.hd = hd;
	ls.hd_n = 2;
	assert_false(ds_lex_heredoc_line(&ls, "EOFX\n", 5));
	assert_false(ds_lex_heredoc_line(&ls, " EOF\n", 5));
	assert_false(ds_lex_heredoc_line(&ls, "\tEOF\n", 5));
	assert_true(ds_lex_heredoc_line(&ls, "EOF\n", 4));
	assert_true(ds_lex_heredoc_line(&ls, "EOF\r\n", 5));
	assert_true(ds_lex_heredoc_line(&ls, "EOF", 3));
	ls.hd_cur = 1;
	/* <<- : leading tabs are stripped before the comparison, spaces are not */
	assert_true(ds_lex_heredoc_line(&ls, "\t\tEND\n", 6));
	assert_false(ds_lex_heredoc_line(&ls, "  END\n", 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_names),
		cmocka_unit_test(test_tokens_basic_file),
		cmocka_unit_test(test_tokens_bom_crlf),
		cmocka_unit_test(test_tokens_heredoc),
		cmocka_unit_test(test_tokens_two_heredocs),
		cmocka_unit_test(test_tokens_continuation_at_eof),
		cmocka_unit_test(test_tokens_escape_backtick),
		cmocka_unit_test(test_tokens_escaped_escape),
		cmocka_unit_test(test_tokens_directive_vs_comment),
		cmocka_unit_test(test_tokens_unterminated_heredoc),
		cmocka_unit_test(test_tokens_unicode_space),
		cmocka_unit_test(test_tiling_tricky_inputs),
		cmocka_unit_test(test_tiling_pseudo_random),
		cmocka_unit_test(test_lex_directive),
		cmocka_unit_test(test_lex_is_continuation),
		cmocka_unit_test(test_lex_space_prefix),
		cmocka_unit_test(test_lex_heredoc_line),
	};
	return cmocka_run_group_tests_name("lexer", tests, NULL, teardown);
}
