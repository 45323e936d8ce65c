/* test_lsp.c - the language server's pieces: JSON reader and writer, framing, positions, instruction texts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/lsp.h"
#include "cli/lsp_json.h"
#include "cli/lsp_rpc.h"
#include "cli/lsp_text.h"
#include "common/arena.h"
#include "common/buf.h"

/* ---- JSON reader ---- */

static struct ds_jval *parse_ok(struct ds_arena *a, const char *s)
{
	struct ds_jval *v = NULL;
	const char *err = NULL;
	if (ds_jval_parse(a, s, strlen(s), &v, &err))
		fail_msg("'%s' did not parse: %s", s, err);
	return v;
}

static const char *parse_err(struct ds_arena *a, const char *s, size_t n)
{
	struct ds_jval *v = NULL;
	const char *err = NULL;
	assert_int_equal(ds_jval_parse(a, s, n, &v, &err), -1);
	assert_non_null(err);
	return err;
}

static void test_json_values(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_jval *v = parse_ok(&a, " {\"id\": 12, \"s\": \"a\\\"b\\\\c\\n\", \"t\": true, \"f\": false, "
					 "\"n\": null, \"arr\": [1, -2.5e1, \"x\", 0.5], \"o\": {\"k\": \"v\"}} ");
	assert_int_equal(v->type, DS_JOBJ);
	long long id;
	assert_true(ds_jval_int(ds_jval_get(v, "id"), 0, 100, &id));
	assert_int_equal(id, 12);
	assert_false(ds_jval_int(ds_jval_get(v, "id"), 0, 10, &id)); /* out of range */
	assert_string_equal(ds_jval_str(ds_jval_get(v, "s")), "a\"b\\c\n");
	assert_true(ds_jval_true(ds_jval_get(v, "t")));
	assert_false(ds_jval_true(ds_jval_get(v, "f")));
	assert_int_equal(ds_jval_get(v, "n")->type, DS_JNULL);
	const struct ds_jval *arr = ds_jval_get(v, "arr");
	assert_int_equal(arr->n, 4);
	assert_true(ds_jval_int(&arr->items[1], -100, 100, &id)); /* -2.5e1 is the integer -25 */
	assert_int_equal(id, -25);
	assert_false(ds_jval_int(&arr->items[3], -100, 100, &id)); /* not an integer */
	assert_true(ds_jval_has_str(arr, "x"));
	assert_false(ds_jval_has_str(arr, "y"));
	assert_string_equal(ds_jval_str(ds_jval_find(v, "o.k")), "v");
	assert_null(ds_jval_find(v, "o.k.z"));
	assert_null(ds_jval_find(v, "missing.k"));
	/* raw text, for echoing ids exactly */
	const struct ds_jval *idv = ds_jval_get(v, "id");
	assert_int_equal(idv->rawlen, 2);
	assert_memory_equal(idv->raw, "12", 2);
	/* a repeated key: the last wins */
	v = parse_ok(&a, "{\"k\": 1, \"k\": 2}");
	assert_true(ds_jval_int(ds_jval_get(v, "k"), 0, 9, &id));
	assert_int_equal(id, 2);
	ds_arena_release(&a);
}

static void test_json_strings(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	/* \u escapes: BMP, a surrogate pair, lone surrogates become U+FFFD */
	struct ds_jval *v = parse_ok(&a, "\"\\u00e9\\u20ac\\ud83d\\ude00\\ud800x\\udc00\\u0000z\"");
	assert_int_equal(v->len, 2 + 3 + 4 + 3 + 1 + 3 + 1 + 1);
	assert_memory_equal(v->str, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbdx\xef\xbf\xbd\0z", v->len);
	/* bytes that are not UTF-8 pass through unchanged */
	v = parse_ok(&a, "\"a\xff\xc3(\"");
	assert_int_equal(v->len, 4);
	assert_memory_equal(v->str, "a\xff\xc3(", 4);
	ds_arena_release(&a);
}

static void test_json_errors(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	const char *bad[] = { "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "01", "1.", "-", "1e",
			      "\"abc", "\"a\\x\"", "\"\\u12\"", "\"a\nb\"", "{} x", "[1] [2]", "{1: 2}",
			      "1e999", "nul" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		parse_err(&a, bad[i], strlen(bad[i]));
	/* a NUL inside the input is not white space */
	parse_err(&a, "{}\0", 3);
	/* nesting: the limit is accepted, one more is refused */
	struct ds_buf b = DS_BUF_INIT;
	for (int i = 0; i <= DS_JSON_MAX_DEPTH; i++)
		ds_buf_addc(&b, '[');
	for (int i = 0; i <= DS_JSON_MAX_DEPTH; i++)
		ds_buf_addc(&b, ']');
	struct ds_jval *v;
	const char *err;
	assert_int_equal(ds_jval_parse(&a, b.buf, b.len, &v, &err), 0);
	ds_buf_reset(&b);
	for (int i = 0; i <= DS_JSON_MAX_DEPTH + 1; i++)
		ds_buf_addc(&b, '[');
	for (int i = 0; i <= DS_JSON_MAX_DEPTH + 1; i++)
		ds_buf_addc(&b, ']');
	assert_string_equal(parse_err(&a, b.buf, b.len), "nesting too deep");
	/* a deep unterminated input fails without running off the stack */
	ds_buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		ds_buf_addc(&b, '[');
	parse_err(&a, b.buf, b.len);
	ds_buf_release(&b);
	ds_arena_release(&a);
}

static void test_json_writer(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	struct ds_jw w;
	ds_jw_init(&w, &b);
	ds_jw_obj(&w);
	ds_jw_key(&w, "a");
	ds_jw_arr(&w);
	ds_jw_int(&w, 1);
	ds_jw_str(&w, "x\"y");
	ds_jw_bool(&w, false);
	ds_jw_null(&w);
	ds_jw_obj(&w);
	ds_jw_obj_end(&w);
	ds_jw_arr_end(&w);
	ds_jw_key(&w, "b");
	ds_jw_raw(&w, "\"id\"", 4);
	ds_jw_key(&w, "c");
	ds_jw_strn(&w, "\xff", 1); /* not UTF-8: replaced, the output stays valid */
	ds_jw_obj_end(&w);
	assert_string_equal(b.buf, "{\"a\":[1,\"x\\\"y\",false,null,{}],\"b\":\"id\",\"c\":\"\xef\xbf\xbd\"}");
	/* and it reads back */
	struct ds_arena a = DS_ARENA_INIT;
	parse_ok(&a, b.buf);
	ds_arena_release(&a);
	ds_buf_release(&b);
}

/* ---- framing ---- */

/* A channel reading what was written to a pipe (then closed). */
static void rpc_from(struct ds_rpc *r, const char *data, size_t n)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_true(n < 60000); /* fits the pipe */
	assert_int_equal(write(p[1], data, n), (ssize_t)n);
	close(p[1]);
	ds_rpc_init(r, p[0], -1);
}

static void test_rpc_read(void **state)
{
	(void)state;
	static const char in[] =
		"Content-Length: 2\r\n\r\n{}"
		"content-length:3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1]"
		"Content-Length: 1\n\n7"                              /* bare LF */
		"X-Other: 1\r\n\r\n{\"no\":1}"                         /* no Content-Length */
		"garbage line\r\n"
		"Content-Length: 4\r\n\r\nnull"                       /* found again */
		"Content-Length: abc\r\n\r\n"                          /* not a number */
		"Content-Length: 999999999999\r\n\r\nxx"              /* too large, skipped */
		;
	struct ds_rpc r;
	rpc_from(&r, in, sizeof in - 1);
	const char *body, *err;
	size_t len;
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), 1);
	assert_int_equal(len, 2);
	assert_memory_equal(body, "{}", 2);
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), 1);
	assert_memory_equal(body, "[1]", 3);
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), 1);
	assert_memory_equal(body, "7", 1);
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), -1);
	assert_string_equal(err, "message without a Content-Length header");
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), 1);
	assert_int_equal(len, 4);
	assert_memory_equal(body, "null", 4);
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), -1);
	assert_string_equal(err, "bad Content-Length header");
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), -1);
	assert_string_equal(err, "message too large");
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), 0);
	assert_true(ds_rpc_pending(&r)); /* the end of input does not block */
	close(r.in_fd);
	ds_rpc_release(&r);

	/* a message cut short by the end of input is dropped */
	static const char cut[] = "Content-Length: 10\r\n\r\n{\"a\":";
	rpc_from(&r, cut, sizeof cut - 1);
	assert_int_equal(ds_rpc_read(&r, &body, &len, &err), 0);
	close(r.in_fd);
	ds_rpc_release(&r);
}

static void test_rpc_big_and_pending(void **state)
{
	(void)state;
	/* a body larger than one read, written by a child while we read */
	size_t n = 300000;
	char *body = malloc(n);
	memset(body, 'a', n);
	body[0] = '"';
	body[n - 1] = '"';
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		struct ds_rpc w;
		ds_rpc_init(&w, -1, p[1]);
		int rc = ds_rpc_write(&w, body, n) | ds_rpc_write(&w, "{}", 2);
		_exit(rc ? 1 : 0);
	}
	close(p[1]);
	struct ds_rpc r;
	ds_rpc_init(&r, p[0], -1);
	const char *got, *err;
	size_t len;
	assert_int_equal(ds_rpc_read(&r, &got, &len, &err), 1);
	assert_int_equal(len, n);
	assert_memory_equal(got, body, n);
	int st;
	waitpid(pid, &st, 0);
	assert_true(ds_rpc_pending(&r)); /* the second message is there */
	assert_int_equal(ds_rpc_read(&r, &got, &len, &err), 1);
	assert_memory_equal(got, "{}", 2);
	close(p[0]);
	ds_rpc_release(&r);
	free(body);
}

/* ---- positions ---- */

static struct ds_lsp_pos pos(uint32_t line, uint32_t ch)
{
	struct ds_lsp_pos p = { line, ch };
	return p;
}

static void check_pos(const char *s, const struct ds_lsp_lines *l, enum ds_lsp_enc e, size_t off, uint32_t line,
		      uint32_t ch)
{
	struct ds_lsp_pos p = ds_lsp_pos_of(s, strlen(s), l, e, off);
	if (p.line != line || p.ch != ch)
		fail_msg("%s offset %zu: got %u:%u, want %u:%u", ds_lsp_enc_name(e), off, p.line, p.ch, line, ch);
}

static void test_positions(void **state)
{
	(void)state;
	/* e9 is 2 bytes, the euro sign 3, the emoji 4 (a surrogate pair in UTF-16) */
	const char *s = "FROM a\r\nRUN \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x\rLAST";
	struct ds_lsp_lines l = { 0 };
	ds_lsp_lines_build(&l, s, strlen(s));
	assert_int_equal(l.n, 3); /* CRLF and a lone CR both end a line */
	size_t x = 8 + 4 + 2 + 3 + 4; /* the 'x' */
	check_pos(s, &l, DS_LSP_UTF16, x, 1, 4 + 1 + 1 + 2);
	check_pos(s, &l, DS_LSP_UTF8, x, 1, 4 + 2 + 3 + 4);
	check_pos(s, &l, DS_LSP_UTF32, x, 1, 4 + 1 + 1 + 1);
	check_pos(s, &l, DS_LSP_UTF16, 6, 0, 6);  /* the CR of CRLF: end of line 0 */
	check_pos(s, &l, DS_LSP_UTF16, 7, 0, 6);  /* its LF too */
	check_pos(s, &l, DS_LSP_UTF16, strlen(s), 2, 4);
	check_pos(s, &l, DS_LSP_UTF16, 9999, 2, 4);
	/* back again */
	const char *t = s;
	size_t n = strlen(s);
	assert_int_equal(ds_lsp_off_of(t, n, &l, DS_LSP_UTF16, pos(1, 8)), x);
	assert_int_equal(ds_lsp_off_of(t, n, &l, DS_LSP_UTF8, pos(1, 13)), x);
	assert_int_equal(ds_lsp_off_of(t, n, &l, DS_LSP_UTF32, pos(1, 7)), x);
	/* inside the surrogate pair: the emoji's start */
	assert_int_equal(ds_lsp_off_of(t, n, &l, DS_LSP_UTF16, pos(1, 7)), x - 4);
	/* past the end of a line: its end, before the line end */
	assert_int_equal(ds_lsp_off_of(t, n, &l, DS_LSP_UTF16, pos(0, 99)), 6);
	/* a line past the last: the end of the text */
	assert_int_equal(ds_lsp_off_of(t, n, &l, DS_LSP_UTF16, pos(7, 0)), n);

	/* bytes that are not UTF-8: one unit each, in every encoding */
	const char *bad = "A\xff\xe2\x82Z\xc0\xafY";
	ds_lsp_lines_build(&l, bad, strlen(bad));
	check_pos(bad, &l, DS_LSP_UTF16, 5, 0, 5); /* the 'Z' after 3 invalid bytes */
	check_pos(bad, &l, DS_LSP_UTF8, 5, 0, 5);
	check_pos(bad, &l, DS_LSP_UTF16, 7, 0, 7); /* an overlong form is 2 units */
	assert_int_equal(ds_lsp_off_of(bad, strlen(bad), &l, DS_LSP_UTF16, pos(0, 4)), 4);
	/* a truncated sequence at the end of the text */
	const char *trunc = "ab\xf0\x9f";
	ds_lsp_lines_build(&l, trunc, strlen(trunc));
	check_pos(trunc, &l, DS_LSP_UTF16, 4, 0, 4);
	/* an empty text has one line */
	ds_lsp_lines_build(&l, "", 0);
	assert_int_equal(l.n, 1);
	check_pos("", &l, DS_LSP_UTF16, 0, 0, 0);
	assert_int_equal(ds_lsp_off_of("", 0, &l, DS_LSP_UTF16, pos(3, 3)), 0);
	ds_lsp_lines_release(&l);
}

static void test_splice(void **state)
{
	(void)state;
	struct ds_buf t = DS_BUF_INIT;
	ds_lsp_text_splice(&t, 0, 0, "", 0); /* empty into empty */
	assert_int_equal(t.len, 0);
	ds_lsp_text_splice(&t, 0, 0, "hello world", 11);
	ds_lsp_text_splice(&t, 6, 11, "there", 5);
	assert_string_equal(t.buf, "hello there");
	ds_lsp_text_splice(&t, 5, 99, "", 0); /* clamped */
	assert_string_equal(t.buf, "hello");
	ds_lsp_text_splice(&t, 3, 1, "X", 1); /* end before off: an insertion */
	assert_string_equal(t.buf, "helXlo");
	ds_buf_release(&t);
}

static void test_instr_docs(void **state)
{
	(void)state;
	for (int k = 0; k < DS_I__COUNT; k++) {
		const char *doc = ds_lsp_instr_doc((enum ds_instr_kind)k);
		assert_non_null(doc);
		if (k != DS_I_UNKNOWN) {
			/* it starts with the keyword */
			char head[40];
			snprintf(head, sizeof head, "**%s**", ds_instr_keyword((enum ds_instr_kind)k));
			assert_true(!strncmp(doc, head, strlen(head)));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_rpc_read),
		cmocka_unit_test(test_rpc_big_and_pending),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_splice),
		cmocka_unit_test(test_instr_docs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
