/*
 * parsetext.h - for unit tests: a Dockerfile text parsed and modelled in an
 * arena, asserting that it parses (cmocka must be included first).
 */
#ifndef DS_TESTS_PARSETEXT_H
#define DS_TESTS_PARSETEXT_H

#include <string.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"

/* Parses text as "Dockerfile" into *df and builds *m with target stage (NULL: the last); returns ds_model_build's result. */
static inline int ds_test_parse_text(struct ds_arena *a, const char *text, const char *target,
				     struct ds_dockerfile **df, struct ds_model **m)
{
	struct ds_source *src = ds_arena_zalloc(a, sizeof *src);
	ds_source_from_mem(src, a, "Dockerfile", text, strlen(text));
	ds_source_lines(src, a);
	*df = ds_arena_zalloc(a, sizeof **df);
	assert_int_equal(ds_parse(a, src, NULL, *df), 0);
	*m = ds_arena_zalloc(a, sizeof **m);
	return ds_model_build(a, *df, target, *m);
}

#endif
