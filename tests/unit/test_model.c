/* test_model.c - unit tests for analyze/model: indexed scopes and stage names, the expansion budget, located errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "parser/ast.h"
#include "parsetext.h"

static struct ds_arena arena;

static int setup(void **state)
{
	(void)state;
	ds_arena_init(&arena);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_arena_release(&arena);
	return 0;
}

/* The model of text; rc (optional) gets ds_model_build's result. */
static struct ds_model *model(const char *text, int *rc)
{
	struct ds_dockerfile *df;
	struct ds_model *m;
	int r = ds_test_parse_text(&arena, text, NULL, &df, &m);
	if (rc)
		*rc = r;
	return m;
}

static uint32_t line_of(const struct ds_model *m, uint32_t off)
{
	uint32_t line, col;
	ds_source_linecol(m->df->src, off, &line, &col);
	return line;
}

/* Builds the model of b (released), which must fail with an error holding text, on line. */
static struct ds_model *fails_at(struct ds_buf *b, uint32_t line, const char *text)
{
	int rc;
	struct ds_model *m = model(b->buf, &rc);
	ds_buf_release(b);
	assert_int_equal(rc, -1);
	const struct ds_diag *e = ds_model_error(m);
	assert_non_null(e);
	assert_true(e->has_pos);
	assert_non_null(strstr(e->msg, text));
	assert_int_equal(line_of(m, e->off), line);
	return m;
}

/*
 * The last definition of X visible before every instruction, checked
 * against a plain scan, on a chain of definitions long enough that the
 * jump pointers skip in every pattern (redefinitions interleaved with
 * other names and with ARGs).
 */
static void test_scope_find_matches_a_scan(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_adds(&b, "FROM scratch\n");
	for (int i = 0; i < 700; i++) {
		if (i % 3 == 0)
			ds_buf_addf(&b, "ENV X=v%d\n", i);
		else if (i % 7 == 0)
			ds_buf_addf(&b, "ARG X=a%d\n", i);
		else
			ds_buf_addf(&b, "ENV Y%d=%d\n", i, i);
	}
	struct ds_model *m = model(b.buf, NULL);
	ds_buf_release(&b);
	const struct ds_stage *st = &m->stages[0];
	for (uint32_t before = 0; before <= m->df->ninstrs + 1; before++) {
		const struct ds_var *want = NULL, *next = NULL;
		for (size_t k = 0; k < st->scope.n; k++) {
			const struct ds_var *v = &st->scope.v[k];
			if (strcmp(v->name, "X"))
				continue;
			if (!v->where || v->where->index < before)
				want = v;
			else if (!next)
				next = v;
		}
		assert_ptr_equal(ds_scope_find(&st->scope, "X", 1, before), want);
		assert_ptr_equal(ds_scope_find_from(&st->scope, "X", 1, before), next);
	}
	assert_null(ds_scope_find(&st->scope, "Z", 1, UINT32_MAX));
	assert_string_equal(ds_scope_get(&st->scope, "Y5", 2), "5");
}

static void test_scope_expansion_uses_the_index(void **state)
{
	(void)state;
	/* (within one ENV, $A is A before it: ENV A=1 B=$A leaves B empty) */
	struct ds_model *m = model("ARG BASE=alpine\nFROM ${BASE}:3.20 AS b\nENV A=1\nENV B=$A\nENV A=2\nUSER $A:$B\n", NULL);
	const struct ds_stage *st = &m->stages[0];
	assert_string_equal(st->base, "alpine:3.20");
	assert_string_equal(st->user, "2:1");
	/* before ENV A=2 (instruction 4), A is still 1 */
	assert_string_equal(ds_model_expand(m, st, 4, "$A", NULL), "1");
	assert_string_equal(ds_model_expand(m, st, 5, "$A", NULL), "2");
}

static void test_stage_index(void **state)
{
	(void)state;
	struct ds_model *m = model("FROM alpine AS Build\nRUN true\nFROM build AS two\n"
				   "COPY --from=BUILD /a /a\nFROM scratch AS build\nCOPY --from=two /b /b\n"
				   "RUN --mount=from=build,target=/x true\n", NULL);
	assert_int_equal(m->nstages, 3);
	assert_int_equal(ds_model_find_stage(m, "BUILD", 3), 0);
	assert_int_equal(ds_model_find_stage(m, "build", 0), -1);
	assert_int_equal(ds_model_find_stage(m, "two", 3), 1);
	assert_int_equal(ds_model_find_stage(m, "three", 3), -1);
	assert_int_equal(m->stages[1].base_stage, 0);
	assert_int_equal(m->stages[1].deps[0].stage, 0);
	/* a duplicate name refers to the first stage; a later one is the later_stage */
	assert_int_equal(m->stages[2].deps[0].stage, 1);
	assert_int_equal(m->stages[2].deps[1].stage, 0);
	const struct ds_instr *cp = &m->df->instrs[5], *run = &m->df->instrs[6];
	assert_ptr_equal(ds_stage_dep_of(&m->stages[2], cp, false), &m->stages[2].deps[0]);
	assert_null(ds_stage_dep_of(&m->stages[2], cp, true));
	assert_ptr_equal(ds_stage_dep_of(&m->stages[2], run, true), &m->stages[2].deps[1]);
	assert_null(ds_stage_dep_of(&m->stages[1], run, true));
	/* instructions to stages, by binary search */
	assert_ptr_equal(ds_model_stage_of(m, 1), &m->stages[0]);
	assert_ptr_equal(ds_model_stage_of(m, 3), &m->stages[1]);
	assert_ptr_equal(ds_model_stage_of(m, 6), &m->stages[2]);
	assert_null(ds_model_stage_of(m, 7));
}

static void test_declared_in_stages(void **state)
{
	(void)state;
	struct ds_model *m = model("ARG G=1\nFROM alpine AS a\nARG ONLY_A\nENV BOTH=1\n"
				   "FROM alpine AS b\nENV BOTH=2\nFROM a\n", NULL);
	assert_int_equal(ds_model_stage_declaring(m, "ONLY_A", 6, -1), 0);
	assert_int_equal(ds_model_stage_declaring(m, "ONLY_A", 6, 0), -1);
	assert_int_equal(ds_model_stage_declaring(m, "BOTH", 4, 0), 1);
	assert_int_equal(ds_model_stage_declaring(m, "BOTH", 4, 1), 0);
	assert_int_equal(ds_model_stage_declaring(m, "G", 1, -1), -1); /* global, not a stage's */
	/* FROM a inherits a's ENV, once per name, not its ARGs */
	const struct ds_scope *s2 = &m->stages[2].scope;
	assert_int_equal(s2->n, 1);
	assert_string_equal(ds_scope_get(s2, "BOTH", 4), "1");
	assert_null(ds_scope_find(s2, "ONLY_A", 6, UINT32_MAX));
}

static void test_inherit_last_env_only(void **state)
{
	(void)state;
	struct ds_model *m = model("FROM alpine AS a\nENV X=1\nENV X=2 Y=3\nARG X=4\nFROM a\n", NULL);
	const struct ds_scope *s = &m->stages[1].scope;
	assert_int_equal(s->n, 2);
	assert_string_equal(ds_scope_get(s, "X", 1), "2");
	assert_string_equal(ds_scope_get(s, "Y", 1), "3");
	assert_null(s->v[0].where);
}

/* ENV X=$X$X doubles a value per line: the budget stops it with the error at that line. */
static void test_budget_stops_doubling(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_adds(&b, "FROM alpine\nENV X=ab\n");
	for (int i = 0; i < 30; i++)
		ds_buf_adds(&b, "ENV X=$X$X\n");
	/* "ab" doubled 17 times is 256 KiB, the most one value may hold; the 18th doubling fails */
	struct ds_model *m = fails_at(&b, 2 + 18, "expansion larger than 262144 bytes");
	assert_true(m->budget->lx.spent);
}

/* FROM alpine, then ENV P (16 KiB), Q (64 KiB) and, with a set of 4, X (256 KiB): lines are under BuildKit's 64 KiB. */
static void big_values(struct ds_buf *b, bool with_x)
{
	ds_buf_adds(b, "FROM alpine\nENV P=");
	for (int i = 0; i < 1024; i++)
		ds_buf_adds(b, "0123456789abcdef");
	ds_buf_adds(b, "\nENV Q=$P$P$P$P\n");
	if (with_x)
		ds_buf_adds(b, "ENV X=$Q$Q$Q$Q\n");
}

/* Every value is small, but together they pass the 16 MiB of one file. */
static void test_budget_for_the_file(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	big_values(&b, false);
	for (int i = 0; i < 300; i++)
		ds_buf_addf(&b, "ENV Y%d=$Q\n", i);
	/* 64 KiB a reference, after the 64 KiB of Q itself: the 256th reference passes 16 MiB */
	fails_at(&b, 3 + 256, "larger than 16777216 bytes in all");
}

/* An expansion BuildKit fails on stops the file, where it is. */
static void test_expansion_errors_are_located(void **state)
{
	(void)state;
	int rc;
	struct ds_model *m = model("FROM ${a\nRUN true\n", &rc);
	assert_int_equal(rc, -1);
	const struct ds_diag *e = ds_model_error(m);
	assert_non_null(e);
	assert_int_equal(e->off, 5);
	assert_non_null(strstr(e->msg, "failed to process \"${a\""));

	struct ds_buf b = DS_BUF_INIT;
	ds_buf_adds(&b, "FROM alpine\nWORKDIR ");
	for (int i = 0; i < 300; i++)
		ds_buf_adds(&b, "${A:-");
	ds_buf_adds(&b, "/x");
	for (int i = 0; i < 300; i++)
		ds_buf_adds(&b, "}");
	ds_buf_adds(&b, "\n");
	fails_at(&b, 2, "nested more than 256 levels deep");

	/* a good file has none */
	m = model("FROM alpine\nENV A=1\nWORKDIR /$A\n", &rc);
	assert_int_equal(rc, 0);
	assert_null(ds_model_error(m));
}

/* An expansion after the model was built that runs past the budget is located at its instruction. */
static void test_budget_after_build(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	big_values(&b, true);
	ds_buf_adds(&b, "COPY a b\n");
	int rc;
	struct ds_model *m = model(b.buf, &rc);
	ds_buf_release(&b);
	assert_int_equal(rc, 0);
	const struct ds_stage *st = &m->stages[0];
	/* X is exactly 256 KiB: once is fine, twice in one value is not */
	assert_int_equal(strlen(ds_model_expand(m, st, 4, "$X", NULL)), 262144);
	assert_null(ds_model_error(m));
	assert_string_equal(ds_model_expand(m, st, 4, "$X$X", NULL), "$X$X");
	const struct ds_diag *e = ds_model_error(m);
	assert_non_null(e);
	assert_int_equal(line_of(m, e->off), 5);
}

static void test_classify_once_per_stage(void **state)
{
	(void)state;
	struct ds_catalog *cat;
	struct ds_catalog_error err;
	assert_int_equal(ds_catalog_load_builtin(&cat, &err), 0);
	struct ds_model *m = model("FROM node:22 AS b\nFROM b\nFROM scratch\n", NULL);
	struct ds_image_class k1, k2;
	assert_int_equal(ds_model_classify(m, 0, cat, &k1), 0);
	assert_non_null(k1.language);
	assert_string_equal(k1.language, "node");
	assert_int_equal(ds_model_classify(m, 0, cat, &k2), 0);
	assert_ptr_equal(k1.language, k2.language);
	/* FROM b has b's image */
	assert_int_equal(ds_model_classify(m, 1, cat, &k2), 0);
	assert_string_equal(k2.language, "node");
	assert_int_equal(ds_model_classify(m, 2, cat, &k2), -1);
	assert_int_equal(ds_model_classify(m, 0, NULL, &k2), -1);
	ds_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope_find_matches_a_scan),
		cmocka_unit_test(test_scope_expansion_uses_the_index),
		cmocka_unit_test(test_stage_index),
		cmocka_unit_test(test_declared_in_stages),
		cmocka_unit_test(test_inherit_last_env_only),
		cmocka_unit_test(test_budget_stops_doubling),
		cmocka_unit_test(test_budget_for_the_file),
		cmocka_unit_test(test_expansion_errors_are_located),
		cmocka_unit_test(test_budget_after_build),
		cmocka_unit_test(test_classify_once_per_stage),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
