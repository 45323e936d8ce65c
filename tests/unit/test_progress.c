/* test_progress.c - the progress line fits every terminal width and says what it can (cli/progress.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cli/progress.h"

/* Never as wide as the terminal, at any width and any count. */
static void test_fits_every_width(void **state)
{
	(void)state;
	static const size_t counts[][2] = { { 0, 0 }, { 5, 10 }, { 1234, 20000 }, { 20000, 20000 },
					    { 999999999, 1000000000 } };
	char buf[512];
	for (unsigned cols = 0; cols <= 300; cols++) {
		for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
			for (int known = 0; known < 2; known++) {
				size_t n = ds_progress_text(buf, sizeof buf, cols, counts[k][0], counts[k][1], known, 2.5);
				assert_int_equal(n, strlen(buf));
				assert_true(cols == 0 ? n == 0 : n < cols);
				assert_null(strchr(buf, '\n'));
				assert_null(strchr(buf, '\r'));
			}
		}
	}
	/* a small buffer is never overrun */
	char small[8];
	size_t n = ds_progress_text(small, sizeof small, 200, 1234, 20000, true, 1.0);
	assert_int_equal(n, strlen(small));
	assert_true(n < sizeof small);
}

static void test_what_it_says(void **state)
{
	(void)state;
	char buf[256];
	/* wide: bar, count, rate, ETA; 1000 files in 2 s leave 19000 at 500/s: 38 s */
	ds_progress_text(buf, sizeof buf, 120, 1000, 20000, true, 2.0);
	assert_non_null(strstr(buf, "] 1000/20000 files  500/s  ETA 38s"));
	assert_int_equal(buf[0], '[');
	/* the bar is filled in proportion: 1/20 of 50 */
	assert_int_equal(strspn(buf + 1, "#"), 2);
	/* narrow: the bar goes first, then the rate */
	ds_progress_text(buf, sizeof buf, 40, 1000, 20000, true, 2.0);
	assert_string_equal(buf, "1000/20000 files  500/s  ETA 38s");
	ds_progress_text(buf, sizeof buf, 30, 1000, 20000, true, 2.0);
	assert_string_equal(buf, "1000/20000 files  ETA 38s");
	ds_progress_text(buf, sizeof buf, 20, 1000, 20000, true, 2.0);
	assert_string_equal(buf, "1000/20000 files");
	/* while files are still being found: "+", and no ETA yet */
	ds_progress_text(buf, sizeof buf, 38, 64, 128, false, 1.0);
	assert_string_equal(buf, "64/128+ files  64/s  ETA ?");
	/* minutes and hours */
	ds_progress_text(buf, sizeof buf, 60, 10, 20000, true, 10.0);
	assert_non_null(strstr(buf, "ETA 5:33:10"));
	ds_progress_text(buf, sizeof buf, 60, 100, 20000, true, 10.0);
	assert_non_null(strstr(buf, "ETA 33:10"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits_every_width),
		cmocka_unit_test(test_what_it_says),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
