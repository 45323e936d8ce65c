/* test_escape.c - file names quoted as git quotes them, control characters written out, base64 names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/utf8.h"
#include "emit/escape.h"

static char *name(const char *s)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_name(&b, s);
	return ds_buf_detach(&b, NULL);
}

static char *text(const char *s)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_text(&b, s, strlen(s));
	return ds_buf_detach(&b, NULL);
}

#define NAME_IS(in, want)                         \
	do {                                      \
		char *got_ = name(in);            \
		assert_string_equal(got_, want);  \
		free(got_);                       \
	} while (0)

#define TEXT_IS(in, want)                         \
	do {                                      \
		char *got_ = text(in);            \
		assert_string_equal(got_, want);  \
		free(got_);                       \
	} while (0)

/* what `git -c core.quotePath=false ls-files` prints for the same names */
static void test_names_like_git(void **state)
{
	(void)state;
	NAME_IS("dir/Dockerfile", "dir/Dockerfile");
	NAME_IS("my file", "my file");
	NAME_IS("caf\xc3\xa9/Dockerfile", "caf\xc3\xa9/Dockerfile");
	NAME_IS("x\nDockerfile:1:1: error: forged", "\"x\\nDockerfile:1:1: error: forged\"");
	NAME_IS("a\tb", "\"a\\tb\"");
	NAME_IS("q\"uote", "\"q\\\"uote\"");
	NAME_IS("back\\slash", "\"back\\\\slash\"");
	NAME_IS("\033]0;title\007", "\"\\033]0;title\\a\"");
	NAME_IS("\a\b\t\n\v\f\r", "\"\\a\\b\\t\\n\\v\\f\\r\"");
	NAME_IS("del\x7f", "\"del\\177\"");
	NAME_IS(NULL, "-");
}

/* beyond git's core.quotePath=false: what a terminal would act on never passes */
static void test_hazards(void **state)
{
	(void)state;
	NAME_IS("c1\xc2\x9b" "2J", "\"c1\\302\\2332J\"");      /* U+009B, the C1 CSI */
	NAME_IS("bad\xff\xfe", "\"bad\\377\\376\"");              /* not UTF-8 */
	NAME_IS("cut\xe2\x82", "\"cut\\342\\202\"");              /* truncated sequence */
	NAME_IS("over\xc0\xaf", "\"over\\300\\257\"");            /* overlong '/' */
	NAME_IS("rlo\xe2\x80\xae" "cod.sh", "\"rlo\\342\\200\\256cod.sh\""); /* U+202E */
	NAME_IS("ls\xe2\x80\xa8", "\"ls\\342\\200\\250\"");       /* U+2028 */
	NAME_IS("zwj\xe2\x80\x8d", "zwj\xe2\x80\x8d");            /* a joiner is harmless */
}

static void test_text_mode(void **state)
{
	(void)state;
	/* quotes and backslashes belong to messages; tabs line up carets */
	TEXT_IS("unknown instruction 'FOO' in \"x\\y\"\there", "unknown instruction 'FOO' in \"x\\y\"\there");
	TEXT_IS("clear\033[2J\r\nnext", "clear\\033[2J\\r\\nnext");
	TEXT_IS("\xff", "\\377");
	TEXT_IS("", "");
}

/* no output byte of any input is a control character (but tab in text), DEL or C1 */
static void test_never_raw(void **state)
{
	(void)state;
	unsigned seed = 12345;
	for (int round = 0; round < 2000; round++) {
		char in[24];
		for (size_t i = 0; i + 1 < sizeof in; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)((seed >> 16) % 255 + 1);
		}
		in[sizeof in - 1] = '\0';
		for (int mode = 0; mode < 2; mode++) {
			char *out = mode ? text(in) : name(in);
			size_t n = strlen(out);
			assert_true(ds_utf8_valid(out, n));
			for (size_t i = 0; i < n;) {
				unsigned cp;
				size_t k = ds_utf8_decode((const unsigned char *)out + i, n - i, &cp);
				assert_true(k > 0);
				assert_false(cp < 0x20 && !(mode && cp == '\t'));
				assert_false(ds_utf8_is_hazard(cp));
				i += k;
			}
			free(out);
		}
	}
}

static void test_diag_line(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_diag_line(&b, "a\nb", 3, 7, "error", "bad '\033'", "DL3000");
	ds_esc_diag_line(&b, "f", 0, 0, "warning", "whole file", NULL);
	assert_string_equal(b.buf, "\"a\\nb\":3:7: error: bad '\\033' [DL3000]\nf: warning: whole file\n");
	ds_buf_release(&b);
}

/* the copies in an arena that printf-style callers use */
static void test_dup(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	assert_string_equal(ds_esc_name_dup(&a, "a b/\x1b"), "\"a b/\\033\"");
	assert_string_equal(ds_esc_name_dup(&a, "plain"), "plain");
	assert_string_equal(ds_esc_text_dup(&a, "x\ny"), "x\\ny");
	assert_null(ds_esc_text_dup(&a, NULL));
	ds_arena_release(&a);
}

static void test_base64(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" }, { "b\xff\xfe" "D", "Yv/+RA==" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct ds_buf b = DS_BUF_INIT, d = DS_BUF_INIT;
		ds_buf_add_base64(&b, cases[i][0], strlen(cases[i][0]));
		assert_string_equal(b.buf ? b.buf : "", cases[i][1]);
		assert_int_equal(ds_buf_add_base64_decoded(&d, b.buf ? b.buf : "", b.len), 0);
		assert_int_equal(d.len, strlen(cases[i][0]));
		assert_memory_equal(d.buf ? d.buf : "", cases[i][0], d.len);
		ds_buf_release(&b);
		ds_buf_release(&d);
	}
	struct ds_buf d = DS_BUF_INIT;
	assert_int_equal(ds_buf_add_base64_decoded(&d, "Zg=", 3), -1);
	assert_int_equal(ds_buf_add_base64_decoded(&d, "Z=g=", 4), -1);
	assert_int_equal(ds_buf_add_base64_decoded(&d, "Zm9v!!!!", 8), -1);
	ds_buf_release(&d);
}

/* JSON strings: controls and hazards as \u escapes, invalid bytes as U+FFFD */
static void test_json_strings(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	const char in[] = "a\x7f\xc2\x85\xe2\x80\xae\xff\033";
	ds_buf_add_json_str(&b, in, sizeof in - 1);
	assert_string_equal(b.buf, "\"a\\u007f\\u0085\\u202e\xef\xbf\xbd\\u001b\"");
	/* runs of plain ASCII (space to '~') between the characters that need care */
	ds_buf_reset(&b);
	const char in2[] = " say \"hi\" \\ to\t\xc3\xa9t\xc3\xa9~\n";
	ds_buf_add_json_str(&b, in2, sizeof in2 - 1);
	assert_string_equal(b.buf, "\" say \\\"hi\\\" \\\\ to\\t\xc3\xa9t\xc3\xa9~\\n\"");
	ds_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_like_git),
		cmocka_unit_test(test_hazards),
		cmocka_unit_test(test_text_mode),
		cmocka_unit_test(test_never_raw),
		cmocka_unit_test(test_diag_line),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_json_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
