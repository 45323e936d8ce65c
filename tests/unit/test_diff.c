/* test_diff.c - unit tests for emit/edits (applying byte-range edits) and emit/diff (unified diffs). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "emit/diff.h"
#include "emit/edits.h"
#include "rewrite/convert.h"

static struct ds_edit ed(uint32_t off, uint32_t end, const char *text)
{
	struct ds_edit e = { off, end, text, strlen(text) };
	return e;
}

/* Applies e[0..n) (sorted first) to src; returns a malloc'd result or NULL on error. */
static char *apply(const char *src, struct ds_edit *e, size_t n)
{
	struct ds_buf b = DS_BUF_INIT;
	const char *err;
	ds_edits_sort(e, n);
	if (ds_edits_apply(src, strlen(src), e, n, &b, &err) < 0) {
		ds_buf_release(&b);
		return NULL;
	}
	ds_buf_addc(&b, '\0');
	return ds_buf_detach(&b, NULL);
}

static void test_edits_apply(void **state)
{
	(void)state;
	struct ds_edit e[4];
	e[0] = ed(5, 8, "xyz");
	e[1] = ed(0, 0, ">>");
	e[2] = ed(11, 11, "!");
	char *r = apply("hello world", e, 3);
	assert_string_equal(r, ">>helloxyzrld!");
	free(r);

	/* an insertion and a replacement at one offset: the insertion comes first */
	e[0] = ed(0, 5, "HELLO");
	e[1] = ed(0, 0, "[");
	r = apply("hello", e, 2);
	assert_string_equal(r, "[HELLO");
	free(r);

	/* several insertions at one offset keep their order */
	e[0] = ed(2, 2, "a");
	e[1] = ed(2, 2, "b");
	e[2] = ed(2, 2, "c");
	r = apply("xxyy", e, 3);
	assert_string_equal(r, "xxabcyy");
	free(r);

	/* deletion of everything, and no edits at all */
	e[0] = ed(0, 4, "");
	r = apply("abcd", e, 1);
	assert_string_equal(r, "");
	free(r);
	r = apply("same", e, 0);
	assert_string_equal(r, "same");
	free(r);
}

static void test_edits_errors(void **state)
{
	(void)state;
	struct ds_edit e[2];
	e[0] = ed(0, 3, "a");
	e[1] = ed(2, 4, "b");
	assert_null(apply("abcdef", e, 2)); /* overlap */
	e[0] = ed(3, 9, "a");
	assert_null(apply("abcdef", e, 1)); /* past the end */
	e[0] = ed(4, 2, "a");
	assert_null(apply("abcdef", e, 1)); /* backwards */
	/* unsorted input is rejected by apply when not sorted first */
	struct ds_buf b = DS_BUF_INIT;
	const char *err = NULL;
	e[0] = ed(4, 5, "x");
	e[1] = ed(0, 1, "y");
	assert_int_equal(ds_edits_apply("abcdef", 6, e, 2, &b, &err), -1);
	assert_non_null(err);
	assert_int_equal(b.len, 0);
	ds_buf_release(&b);
}

/* The diff of a -> b with labels a/f, b/f. */
static char *diff(const char *a, const char *b, unsigned ctx, size_t max)
{
	struct ds_buf o = DS_BUF_INIT;
	ds_diff_unified(a, strlen(a), b, strlen(b), "a/f", "b/f", ctx, max, &o);
	ds_buf_addc(&o, '\0');
	return ds_buf_detach(&o, NULL);
}

static void test_diff_identical(void **state)
{
	(void)state;
	char *d = diff("a\nb\n", "a\nb\n", 3, 0);
	assert_string_equal(d, "");
	free(d);
	d = diff("", "", 3, 0);
	assert_string_equal(d, "");
	free(d);
}

static void test_diff_change(void **state)
{
	(void)state;
	char *d = diff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n"
			       "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	free(d);
	/* one line of context: ",1" is left out of a one-line range */
	d = diff("a\nb\nc\n", "a\nB\nc\n", 0, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -2 +2 @@\n-b\n+B\n");
	free(d);
}

static void test_diff_insert_delete(void **state)
{
	(void)state;
	/* insertion at the top: the empty old range is numbered 0 */
	char *d = diff("a\n", "new\na\n", 0, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+new\n");
	free(d);
	/* insertion after the last line */
	d = diff("a\nb\n", "a\nb\nc\nd\n", 1, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -2 +2,3 @@\n b\n+c\n+d\n");
	free(d);
	/* deletion: the empty new range is numbered after the line it follows */
	d = diff("a\nb\nc\n", "a\nc\n", 0, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -2 +1,0 @@\n-b\n");
	free(d);
	/* from and to an empty file */
	d = diff("", "x\n", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
	free(d);
	d = diff("x\ny\n", "", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-x\n-y\n");
	free(d);
}

static void test_diff_hunks(void **state)
{
	(void)state;
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n";
	/* changes 8 lines apart with 3 lines of context: two hunks */
	char *d = diff(a, "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n13\n14\n15\n16\n", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n"
			       "@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n"
			       "@@ -8,7 +8,7 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n 13\n 14\n");
	free(d);
	/* 6 lines apart: the contexts touch, one hunk */
	d = diff(a, "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n11\n12\n13\n14\n15\n16\n", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n"
			       "@@ -1,12 +1,12 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+Y\n 10\n 11\n 12\n");
	free(d);
}

static void test_diff_no_newline(void **state)
{
	(void)state;
	char *d = diff("a\nb", "a\nc", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
			       "+c\n\\ No newline at end of file\n");
	free(d);
	/* adding the final line end */
	d = diff("a\nb", "a\nb\n", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
	free(d);
	/* unchanged last line without a line end, change above it */
	d = diff("x\nb", "y\nb", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-x\n+y\n b\n\\ No newline at end of file\n");
	free(d);
}

static void test_diff_crlf(void **state)
{
	(void)state;
	char *d = diff("a\r\nb\r\n", "a\r\nc\r\n", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n");
	free(d);
	/* a line that only changes its line end differs */
	d = diff("a\r\n", "a\n", 3, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\r\n+a\n");
	free(d);
}

static void test_diff_cap(void **state)
{
	(void)state;
	/* over the cap the middle is replaced whole: still a correct diff */
	char *d = diff("h\n1\n2\n3\nt\n", "h\nA\n2\nB\nt\n", 0, 1);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -2,3 +2,3 @@\n-1\n-2\n-3\n+A\n+2\n+B\n");
	free(d);
	/* and minimal under it */
	d = diff("h\n1\n2\n3\nt\n", "h\nA\n2\nB\nt\n", 0, 0);
	assert_string_equal(d, "--- a/f\n+++ b/f\n@@ -2 +2 @@\n-1\n+A\n@@ -4 +4 @@\n-3\n+B\n");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edits_apply),
		cmocka_unit_test(test_edits_errors),
		cmocka_unit_test(test_diff_identical),
		cmocka_unit_test(test_diff_change),
		cmocka_unit_test(test_diff_insert_delete),
		cmocka_unit_test(test_diff_hunks),
		cmocka_unit_test(test_diff_no_newline),
		cmocka_unit_test(test_diff_crlf),
		cmocka_unit_test(test_diff_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
