/* test_config.c - .distill.yaml and .hadolint.yaml: every key, and errors with their line:col. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/config.h"
#include "rules/rules.h"

static void test_full_distill(void **state)
{
	(void)state;
	const char *y =
		"# every key\n"
		"ignored: [DL3008, dst206, SC2086]\n"
		"override:\n"
		"  error: [DST201]\n"
		"  style:\n"
		"    - DL3059\n"
		"  info: []\n"
		"  warning:\n"
		"failure-threshold: warning\n"
		"trustedRegistries:\n"
		"  - docker.io\n"
		"  - gcr.io\n"
		"label-schema:\n"
		"  maintainer: email\n"
		"  org.opencontainers.image.source: url\n"
		"strict-labels: yes\n"
		"target: chainguard\n"
		"mappings: overlay/images.yaml\n"
		"no-fail: false\n"
		"no-color: true\n"
		"format: tty\n";
	struct ds_config c;
	ds_config_init(&c);
	struct ds_config_error err;
	int rc = ds_config_load_mem(&c, "/repo/sub/.distill.yaml", y, strlen(y), DS_CONFIG_DISTILL, &err);
	if (rc)
		fail_msg("%s:%u:%u: %s", err.file, err.line, err.col, err.msg);
	assert_true(c.lint.ignored[DS_R_DL3008]);
	assert_true(c.lint.ignored[DS_R_DST206]);
	assert_false(c.lint.ignored[DS_R_DST201]);
	assert_int_equal(c.nextra, 1);
	assert_string_equal(c.extra[0].code, "SC2086");
	assert_true(c.extra[0].ignored);
	assert_true(c.lint.has_override[DS_R_DST201]);
	assert_int_equal(c.lint.override[DS_R_DST201], DS_SEV_ERROR);
	assert_int_equal(c.lint.override[DS_R_DL3059], DS_SEV_STYLE);
	assert_int_equal(c.failure_threshold, DS_SEV_WARNING);
	assert_int_equal(c.lint.ntrusted, 2);
	assert_string_equal(c.lint.trusted_registries[1], "gcr.io");
	assert_int_equal(c.lint.nlabels, 2);
	assert_string_equal(c.lint.label_names[1], "org.opencontainers.image.source");
	assert_string_equal(c.lint.label_types[0], "email");
	assert_true(c.lint.strict_labels);
	assert_string_equal(c.lint.target, "chainguard");
	assert_string_equal(c.mappings, "/repo/sub/overlay/images.yaml");
	assert_int_equal(c.no_fail, 0);
	assert_int_equal(c.no_color, 1);
	assert_string_equal(c.format, "text");
	ds_config_release(&c);
}

static void test_empty_and_hadolint(void **state)
{
	(void)state;
	struct ds_config c;
	ds_config_init(&c);
	assert_int_equal(ds_config_load_mem(&c, ".distill.yaml", "", 0, DS_CONFIG_DISTILL, NULL), 0);
	assert_int_equal(ds_config_load_mem(&c, ".distill.yaml", "# only a comment\n", 17, DS_CONFIG_DISTILL, NULL), 0);
	assert_int_equal(c.failure_threshold, -1);
	ds_config_release(&c);

	/* hadolint's own file: codes distill lacks are kept, not refused */
	const char *y = "ignored:\n  - DL3057\n  - DL3008\nfailure-threshold: none\nno-fail: true\n"
			"disable-ignore-pragma: false\nformat: sarif\nverbose: true\ntrustedRegistries: my.registry:5000\n";
	ds_config_init(&c);
	assert_int_equal(ds_config_load_mem(&c, ".hadolint.yaml", y, strlen(y), DS_CONFIG_HADOLINT, NULL), 0);
	assert_true(c.lint.ignored[DS_R_DL3008]);
	assert_int_equal(c.nextra, 1);
	assert_string_equal(c.extra[0].code, "DL3057");
	assert_int_equal(c.failure_threshold, DS_SEV_NONE);
	assert_int_equal(c.no_fail, 1);
	assert_string_equal(c.format, "sarif");
	assert_int_equal(c.lint.ntrusted, 1);
	assert_string_equal(c.lint.trusted_registries[0], "my.registry:5000");
	ds_config_release(&c);
}

/* Loads y and checks the error's line, column and a piece of its message. */
static void bad(const char *y, enum ds_config_dialect d, unsigned line, unsigned col, const char *msg)
{
	struct ds_config c;
	ds_config_init(&c);
	struct ds_config_error err;
	memset(&err, 0, sizeof err);
	int rc = ds_config_load_mem(&c, "cfg.yaml", y, strlen(y), d, &err);
	ds_config_release(&c);
	if (rc != -1)
		fail_msg("accepted: %s", y);
	if (err.line != line || err.col != col || !strstr(err.msg, msg))
		fail_msg("got %s:%u:%u: %s; want %u:%u and '%s'", err.file, err.line, err.col, err.msg, line, col, msg);
	assert_string_equal(err.file, "cfg.yaml");
}

static void test_errors(void **state)
{
	(void)state;
	bad("ignored: [DL3008]\ncolour: true\n", DS_CONFIG_DISTILL, 2, 1, "unknown key 'colour'");
	bad("ignored: DL3008\n", DS_CONFIG_DISTILL, 1, 10, "'ignored' must be a list");
	bad("ignored:\n  - DL3008\n  - DST999\n", DS_CONFIG_DISTILL, 3, 5, "unknown rule code 'DST999'");
	bad("ignored: [[DL3008]]\n", DS_CONFIG_DISTILL, 1, 11, "list of strings");
	bad("override:\n  fatal: [DL3008]\n", DS_CONFIG_DISTILL, 2, 3, "unknown severity 'fatal'");
	bad("override: [DL3008]\n", DS_CONFIG_DISTILL, 1, 11, "'override' must be a mapping");
	bad("failure-threshold: high\n", DS_CONFIG_DISTILL, 1, 20, "'failure-threshold' must be");
	bad("strict-labels: maybe\n", DS_CONFIG_DISTILL, 1, 16, "'strict-labels' must be true or false");
	bad("strict-labels: \"true\"\n", DS_CONFIG_DISTILL, 1, 16, "true or false");
	bad("label-schema:\n  author: person\n", DS_CONFIG_DISTILL, 2, 11, "unknown label type 'person'");
	bad("target: alpine\n", DS_CONFIG_DISTILL, 1, 9, "'target' must be distroless or chainguard");
	bad("mappings: [a]\n", DS_CONFIG_DISTILL, 1, 11, "'mappings' must be a string");
	bad("format: codeclimate\n", DS_CONFIG_DISTILL, 1, 9, "unsupported format 'codeclimate'");
	bad("no-fail: 1\n", DS_CONFIG_DISTILL, 1, 10, "'no-fail' must be true or false");
	bad("ignored: []\nignored: [DL3008]\n", DS_CONFIG_DISTILL, 2, 1, "duplicate key 'ignored'");
	bad("- DL3008\n", DS_CONFIG_DISTILL, 1, 1, "must be a mapping");
	bad("target: distroless\n", DS_CONFIG_HADOLINT, 1, 1, "only valid in .distill.yaml");
	/* YAML syntax errors carry libyaml's position */
	bad("ignored: [DL3008\n", DS_CONFIG_DISTILL, 2, 1, "invalid yaml");
	bad("ignored:\n  - a\n - b\n", DS_CONFIG_DISTILL, 3, 2, "invalid yaml");
	bad("ignored: []\n---\nignored: []\n", DS_CONFIG_DISTILL, 3, 1, "one yaml document");
}

static void test_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_config-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/.distill.yaml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("ignored: [DL3008]\nmappings: m.yaml\nbogus: 1\n", f);
	fclose(f);
	struct ds_config c;
	ds_config_init(&c);
	struct ds_config_error err;
	assert_int_equal(ds_config_load_file(&c, path, DS_CONFIG_DISTILL, &err), -1);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 1);
	ds_config_release(&c);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("ignored: [DL3008]\nmappings: m.yaml\n", f);
	fclose(f);
	ds_config_init(&c);
	assert_int_equal(ds_config_load_file(&c, path, DS_CONFIG_DISTILL, &err), 0);
	char want[300];
	snprintf(want, sizeof want, "%s/m.yaml", dir);
	assert_string_equal(c.mappings, want);
	ds_config_release(&c);
	unlink(path);

	ds_config_init(&c);
	assert_int_equal(ds_config_load_file(&c, path, DS_CONFIG_DISTILL, &err), -1);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, "cannot open"));
	ds_config_release(&c);
	rmdir(dir);
}

static void test_cli_codes(void **state)
{
	(void)state;
	struct ds_config c;
	ds_config_init(&c);
	assert_int_equal(ds_config_ignore(&c, "DL3008"), 0);
	assert_int_equal(ds_config_ignore(&c, "SC1000"), 0);
	assert_int_equal(ds_config_override(&c, "DST206", DS_SEV_ERROR), 0);
	assert_int_equal(ds_config_ignore(&c, "X1"), -1);
	assert_int_equal(ds_config_override(&c, "SC", DS_SEV_ERROR), -1);
	assert_true(c.lint.ignored[DS_R_DL3008]);
	assert_int_equal(c.lint.override[DS_R_DST206], DS_SEV_ERROR);
	assert_int_equal(c.nextra, 1);
	ds_config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_distill),
		cmocka_unit_test(test_empty_and_hadolint),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_cli_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
