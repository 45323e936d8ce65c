/* test_common.c - unit tests for common/: the string map, arena vectors and resets, shared diagnostic texts, sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/arena.h"
#include "common/str.h"
#include "common/diag.h"
#include "common/hash.h"
#include "common/source.h"

static void test_hmap_put_get(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_hmap m = DS_HMAP_INIT;
	assert_null(ds_hmap_get(&m, "x", 1));
	/* enough keys to grow the table several times */
	char *keys[5000];
	for (uint32_t i = 0; i < 5000; i++) {
		keys[i] = ds_arena_printf(&a, "VAR_%u", i);
		bool added = false;
		uint32_t *v = ds_hmap_put(&m, &a, keys[i], strlen(keys[i]), i, &added);
		assert_true(added);
		assert_int_equal(*v, i);
	}
	assert_int_equal(m.n, 5000);
	for (uint32_t i = 0; i < 5000; i++) {
		uint32_t *v = ds_hmap_get(&m, keys[i], strlen(keys[i]));
		assert_non_null(v);
		assert_int_equal(*v, i);
	}
	/* a second put finds the key and keeps its value */
	bool added = true;
	uint32_t *v = ds_hmap_put(&m, &a, "VAR_7", 5, 99, &added);
	assert_false(added);
	assert_int_equal(*v, 7);
	/* keys are byte strings: a prefix, a longer key and a NUL inside are other keys */
	assert_null(ds_hmap_get(&m, "VAR_", 4));
	assert_null(ds_hmap_get(&m, "VAR_70000", 9));
	ds_hmap_put(&m, &a, "a\0b", 3, 1, NULL);
	assert_null(ds_hmap_get(&m, "a", 1));
	assert_int_equal(*ds_hmap_get(&m, "a\0b", 3), 1);
	ds_arena_release(&a);
}

static void test_arena_vec_adopt(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	uint32_t *v = NULL;
	size_t cap = 0;
	for (uint32_t i = 0; i < 100000; i++) {
		v = ds_arena_vec_grow(v, sizeof *v, i, &cap);
		v[i] = i * 3;
	}
	assert_true(cap >= 100000);
	size_t before = a.total;
	ds_arena_vec_adopt(&a, v);
	/* the arena owns it now: counted, and freed by release (the sanitizer build checks) */
	assert_true(a.total >= before + 100000 * sizeof *v);
	/* allocations after it still work, in blocks of their own */
	char *s = ds_arena_strdup(&a, "after");
	assert_string_equal(s, "after");
	for (uint32_t i = 0; i < 100000; i++)
		assert_int_equal(v[i], i * 3);
	ds_arena_release(&a);
	/* a vector adopted by an empty arena */
	uint32_t *w = ds_arena_vec_grow(NULL, sizeof *w, 0, &cap);
	w[0] = 1;
	ds_arena_vec_adopt(&a, w);
	assert_string_equal(ds_arena_strdup(&a, "x"), "x");
	ds_arena_release(&a);
	ds_arena_vec_free(NULL);
}

static void test_arena_reset_and_bytes(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	/* strings are packed; aligned allocations stay aligned after them */
	char *p = ds_arena_alloc_bytes(&a, 3);
	char *q = ds_arena_alloc_bytes(&a, 5);
	assert_ptr_equal(q, p + 3);
	void *al = ds_arena_alloc(&a, 24);
	assert_int_equal((uintptr_t)al % 16, 0);
	/* a reset keeps a small block and hands out the same memory again */
	ds_arena_reset(&a);
	char *r = ds_arena_alloc_bytes(&a, 3);
	assert_ptr_equal(r, p);
	/* a big one is given back */
	(void)ds_arena_alloc(&a, 4u << 20);
	ds_arena_reset(&a);
	assert_int_equal(a.total, 0);
	ds_arena_release(&a);
}

static void test_diag_shares_repeated_text(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_diags d = { 0 };
	for (int i = 0; i < 10; i++)
		ds_diags_add(&d, &a, DS_SEV_INFO, "DL3059", (size_t)i, (size_t)i + 1, "same text");
	ds_diags_add(&d, &a, DS_SEV_INFO, "DL3059", 20, 21, "other text");
	assert_int_equal(d.n, 11);
	for (int i = 1; i < 10; i++)
		assert_ptr_equal(d.v[i].msg, d.v[0].msg);
	assert_string_equal(d.v[10].msg, "other text");
	assert_int_equal(d.v[3].off, 3);
	/* offsets past 32 bits are clamped, never wrapped */
	ds_diags_add(&d, &a, DS_SEV_INFO, NULL, (size_t)UINT32_MAX + 5, (size_t)UINT32_MAX + 9, "far");
	assert_int_equal(d.v[11].off, UINT32_MAX);
	ds_arena_release(&a);
}

static void test_source_wrap_lines(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	char *data = ds_arena_alloc_bytes(&a, 8 + 2);
	memcpy(data, "a\nbc\n\nd", 7);
	struct ds_source s;
	ds_source_wrap(&s, "f", data, 7);
	assert_int_equal(s.data[7], '\0');
	ds_source_lines(&s, &a);
	assert_int_equal(s.nlines, 4);
	uint32_t line, col;
	ds_source_linecol(&s, 6, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
	ds_arena_release(&a);
}

static void test_parse_size(void **state)
{
	(void)state;
	size_t v = 7;
	assert_int_equal(ds_str_parse_size("512", &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(ds_str_parse_size("64K", &v), 0);
	assert_int_equal(v, 64 * 1024);
	assert_int_equal(ds_str_parse_size("1m", &v), 0);
	assert_int_equal(v, 1024 * 1024);
	assert_int_equal(ds_str_parse_size("2GiB", &v), 0);
	assert_int_equal(v, (size_t)2 << 30);
	assert_int_equal(ds_str_parse_size("3MB", &v), 0);
	assert_int_equal(v, (size_t)3 << 20);
	v = 7;
	const char *bad[] = { "", "0", "0K", "-1", "+1", "1T", "1 M", "1Mi", "1KiBx", "K", "1.5M",
			      "99999999999999999999999", "18446744073709551615G" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(ds_str_parse_size(bad[i], &v), -1);
		assert_int_equal(v, 7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmap_put_get),
		cmocka_unit_test(test_arena_vec_adopt),
		cmocka_unit_test(test_arena_reset_and_bytes),
		cmocka_unit_test(test_diag_shares_repeated_text),
		cmocka_unit_test(test_source_wrap_lines),
		cmocka_unit_test(test_parse_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
