/* test_markup.c - HTML, Markdown, CSV and shell-word escaping of hostile names and messages (emit/markup.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "emit/markup.h"

enum kind { HTML, HTML_NAME, MD, MD_CODE, MD_CODE_NAME, MD_CODE_TABLE, CSV, CSV_NAME, SH };

static char *run(enum kind k, const char *s)
{
	struct ds_buf b = DS_BUF_INIT;
	switch (k) {
	case HTML: ds_markup_html(&b, s, strlen(s)); break;
	case HTML_NAME: ds_markup_html_name(&b, s); break;
	case MD: ds_markup_md(&b, s, strlen(s)); break;
	case MD_CODE: ds_markup_md_code(&b, s, false, false); break;
	case MD_CODE_NAME: ds_markup_md_code(&b, s, true, false); break;
	case MD_CODE_TABLE: ds_markup_md_code(&b, s, false, true); break;
	case CSV: ds_markup_csv(&b, s, strlen(s)); break;
	case CSV_NAME: ds_markup_csv_name(&b, s); break;
	case SH: ds_markup_sh_word(&b, s); break;
	}
	ds_buf_addc(&b, '\0');
	return ds_buf_detach(&b, NULL);
}

#define IS(k, in, want)                          \
	do {                                     \
		char *got_ = run(k, in);         \
		assert_string_equal(got_, want); \
		free(got_);                      \
	} while (0)

static void test_html(void **state)
{
	(void)state;
	IS(HTML, "plain text", "plain text");
	IS(HTML, "<script>alert('x')</script> & \"q\"",
	   "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	/* control characters and bidirectional overrides become visible escapes first */
	IS(HTML, "a\033[2Jb\xe2\x80\xae<c>", "a\\033[2Jb\\342\\200\\256&lt;c&gt;");
	IS(HTML, "caf\xc3\xa9", "caf\xc3\xa9");
	IS(HTML, "bad\xff", "bad\\377");
	/* a name is quoted as git quotes it, then made safe for HTML */
	IS(HTML_NAME, "dir/Dockerfile", "dir/Dockerfile");
	IS(HTML_NAME, "x\n<b>\"", "&quot;x\\n&lt;b&gt;\\&quot;&quot;");
	IS(HTML_NAME, NULL, "-");
}

static void test_markdown(void **state)
{
	(void)state;
	IS(MD, "plain words, 3.12 and 'quotes'", "plain words, 3.12 and 'quotes'");
	IS(MD, "*em* _u_ `c` [l](u) <b> & | ~s~ !x @team #12 $m$",
	   "\\*em\\* \\_u\\_ \\`c\\` \\[l\\](u) \\<b\\> \\& \\| \\~s\\~ \\!x \\@team \\#12 \\$m\\$");
	IS(MD, "a\\b", "a\\\\b");
	IS(MD, "line\nbreak", "line\\\\nbreak");
	/* code spans: fenced longer than any run of backticks inside, padded when at an end */
	IS(MD_CODE, "app/Dockerfile", "`app/Dockerfile`");
	IS(MD_CODE, "a`b", "``a`b``");
	IS(MD_CODE, "`x``", "``` `x`` ```");
	IS(MD_CODE, "", "` `");
	IS(MD_CODE_TABLE, "a|b", "`a\\|b`");
	IS(MD_CODE, "a|b", "`a|b`");
	IS(MD_CODE_NAME, "odd\tname", "`\"odd\\tname\"`");
	assert_int_equal(ds_markup_md_fence("no ticks", 8), 3);
	assert_int_equal(ds_markup_md_fence("````", 4), 5);
}

static void test_csv(void **state)
{
	(void)state;
	IS(CSV, "plain", "plain");
	IS(CSV, "a,b", "\"a,b\"");
	IS(CSV, "say \"hi\"", "\"say \"\"hi\"\"\"");
	IS(CSV, " padded", "\" padded\"");
	IS(CSV, "", "");
	/* never a line break inside a field: one row per file */
	IS(CSV, "two\nlines\r", "two\\nlines\\r");
	/* a spreadsheet formula is neutralised; "-" alone is a value */
	IS(CSV, "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	IS(CSV, "+1", "'+1");
	IS(CSV, "@SUM(A1)", "'@SUM(A1)");
	IS(CSV, "-", "-");
	IS(CSV, "-x", "'-x");
	IS(CSV_NAME, "dir/Dockerfile", "dir/Dockerfile");
	IS(CSV_NAME, "a\"b", "\"\"\"a\\\"\"b\"\"\"");
}

static void test_shell(void **state)
{
	(void)state;
	IS(SH, "repo/app/Dockerfile", "repo/app/Dockerfile");
	IS(SH, "a-b_c.d+e,f:g@h%i=j", "a-b_c.d+e,f:g@h%i=j");
	IS(SH, "my file", "'my file'");
	IS(SH, "it's", "'it'\\''s'");
	IS(SH, "$(rm -rf ~)", "'$(rm -rf ~)'");
	IS(SH, "a;b|c&d`e`", "'a;b|c&d`e`'");
	IS(SH, "", "''");
}

/* Nothing below 0x20 but tab, no DEL and no C1 control in any output, whatever the input. */
static void test_never_raw(void **state)
{
	(void)state;
	char in[256];
	for (int i = 0; i < 255; i++)
		in[i] = (char)(i + 1);
	in[255] = '\0';
	for (int k = HTML; k <= SH; k++) {
		if (k == SH)
			continue; /* shell words are raw by contract: their writer escapes them */
		char *got = run((enum kind)k, in);
		for (const unsigned char *p = (const unsigned char *)got; *p; p++) {
			assert_true(*p >= 0x20 || *p == '\t');
			assert_true(*p != 0x7f);
			if (*p == 0xc2)
				assert_false(p[1] >= 0x80 && p[1] <= 0x9f);
		}
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),  cmocka_unit_test(test_markdown),  cmocka_unit_test(test_csv),
		cmocka_unit_test(test_shell), cmocka_unit_test(test_never_raw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
