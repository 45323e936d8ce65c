/* test_rule_docs.c - every rule's bad example fires it and its good example does not (rules/rules.def). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rules/config.h"
#include "rules/rules.h"

static struct ds_catalog *cat;

/* CopyIgnoredFile's examples assume a .dockerignore that lists secrets.env. */
static bool ignored(void *ctx, const char *src)
{
	(void)ctx;
	return !strcmp(src, "secrets.env");
}

/*
 * How many findings of rule r linting text gives, with every rule on: the
 * rules off by default get a severity, BuildKit's checks run alone (as
 * --profile buildkit) so that their DL and DST twins do not stand in for
 * them, and a first line "# with KEY: VALUE, ..." is loaded as the
 * configuration (.distill.yaml, flow YAML).
 */
static int count(const struct ds_rule_info *r, const char *text)
{
	struct ds_config cfg;
	ds_config_init(&cfg);
	if (!strncmp(text, "# with ", 7) && strchr(text, '\n') && !strstr(text, ".dockerignore")) {
		const char *e = strchr(text, '\n');
		char y[512];
		snprintf(y, sizeof y, "{%.*s}", (int)(e - text - 7), text + 7);
		struct ds_config_error err;
		if (ds_config_load_mem(&cfg, ".distill.yaml", y, strlen(y), DS_CONFIG_DISTILL, &err))
			fail_msg("%s: bad '# with' configuration '%s': %s", r->code, y, err.msg);
	}
	for (size_t i = 0; i < DS_R__COUNT; i++)
		if (ds_rules[i].sev == DS_SEV_NONE && !cfg.lint.has_override[i])
			ds_config_override(&cfg, ds_rules[i].code, DS_SEV_WARNING);
	if (ds_rule_family(r) == DS_FAM_BUILDKIT)
		cfg.lint.profile = DS_PROFILE_BUILDKIT;
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	ds_source_from_mem(&src, &a, "Dockerfile", text, strlen(text));
	struct ds_dockerfile df;
	struct ds_parse_opts po = { 0 };
	if (ds_parse(&a, &src, &po, &df))
		fail_msg("%s: the example does not parse:\n%s", r->code, text);
	struct ds_model m;
	ds_model_build(&a, &df, NULL, &m);
	struct ds_diags d = { 0 };
	struct ds_lint_file file = { NULL, NULL, ignored, NULL };
	ds_lint_collect_file(&a, &df, &m, cat, &cfg.lint, &file, &d);
	ds_lint_filter(&a, &df, &m, &cfg, &d, 0);
	int n = 0;
	for (size_t i = 0; i < d.n; i++)
		n += d.v[i].code && !strcmp(d.v[i].code, r->code);
	ds_arena_release(&a);
	ds_config_release(&cfg);
	return n;
}

static void test_examples(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < DS_R__COUNT; i++) {
		const struct ds_rule_info *r = &ds_rules[i];
		if (!r->bad || !*r->bad || !r->good || !*r->good) {
			print_error("%s has no bad or no good example\n", r->code);
			bad++;
			continue;
		}
		/* a parse error, and what only a shellcheck run that overruns its time shows */
		if (!strcmp(r->code, "DL1000") || !strcmp(r->code, "DST390"))
			continue;
		int nb = count(r, r->bad), ng = count(r, r->good);
		if (nb == 0) {
			print_error("%s does not fire on its bad example:\n%s", r->code, r->bad);
			bad++;
		}
		if (ng != 0) {
			print_error("%s fires on its good example:\n%s", r->code, r->good);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Codes, slugs and BuildKit names are unique, and `distill rules NAME` finds each by any of them. */
static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < DS_R__COUNT; i++) {
		for (size_t k = i + 1; k < DS_R__COUNT; k++) {
			assert_true(strcasecmp(ds_rules[i].code, ds_rules[k].code) != 0);
			assert_true(strcasecmp(ds_rules[i].slug, ds_rules[k].slug) != 0);
			assert_true(strcasecmp(ds_rules[i].code, ds_rules[k].slug) != 0);
		}
		assert_ptr_equal(ds_rule_find(ds_rules[i].slug), &ds_rules[i]);
		assert_ptr_equal(ds_rule_find(ds_rules[i].code), &ds_rules[i]);
	}
	/* twins name each other, and one finding answers to both names */
	assert_true(ds_rule_names("MaintainerDeprecated", "DL4000"));
	assert_true(ds_rule_names("dl4000", "MaintainerDeprecated"));
	assert_true(ds_rule_names("no-maintainer", "DL4000"));
	assert_true(ds_rule_names("MultipleInstructionsDisallowed", "DL3012"));
	assert_false(ds_rule_names("DL4003", "DL4004"));
	assert_false(ds_rule_names("StageNameCasing", "DL3024"));
	assert_int_equal(ds_code_family("SC2086"), DS_FAM_SC);
	assert_int_equal(ds_code_family("StageNameCasing"), DS_FAM_BUILDKIT);
	assert_int_equal(ds_code_family("DST201"), DS_FAM_DST);
	assert_int_equal(ds_code_family("DL9999"), DS_FAM_DL);
}

static int setup(void **state)
{
	(void)state;
	struct ds_catalog_error err;
	return ds_catalog_load_builtin(&cat, &err);
}

static int teardown(void **state)
{
	(void)state;
	ds_catalog_free(cat);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
