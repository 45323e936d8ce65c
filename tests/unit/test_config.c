/* test_config.c - .distill.yaml and .hadolint.yaml: every key, errors with their line:col, confinement. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/buf.h"

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
	assert_true(c.lint.chainguard_first);
	assert_string_equal(c.mappings, "/repo/sub/overlay/images.yaml");
	assert_int_equal(c.no_fail, 0);
	assert_int_equal(c.no_color, 1);
	/* the name as written: lint checks it against emit's formats */
	assert_string_equal(c.format, "tty");
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

	/* a vendor list: chiseled replaces .NET only, so distroless still runs the languages */
	ds_config_init(&c);
	assert_int_equal(ds_config_load_mem(&c, ".distill.yaml", "target: chiseled,distroless,chainguard\n", 39,
					    DS_CONFIG_DISTILL, NULL), 0);
	assert_string_equal(c.lint.target, "chiseled,distroless,chainguard");
	assert_false(c.lint.chainguard_first);
	ds_config_release(&c);
	ds_config_init(&c);
	assert_int_equal(ds_config_load_mem(&c, ".distill.yaml", "target: chiseled,chainguard\n", 28, DS_CONFIG_DISTILL,
					    NULL), 0);
	assert_true(c.lint.chainguard_first);
	ds_config_release(&c);
	ds_config_init(&c);
	assert_int_equal(ds_config_load_mem(&c, ".distill.yaml", "target: ubi-micro,distroless\n", 29, DS_CONFIG_DISTILL,
					    NULL), 0);
	assert_string_equal(c.lint.target, "ubi-micro,distroless");
	assert_false(c.lint.chainguard_first);
	ds_config_release(&c);

	/* hadolint's own file: codes distill lacks are kept, not refused */
	const char *y = "ignored:\n  - DL3057\n  - DL3008\nfailure-threshold: none\nno-fail: true\n"
			"disable-ignore-pragma: false\nformat: sarif\nverbose: true\ntrustedRegistries: my.registry:5000\n";
	ds_config_init(&c);
	assert_int_equal(ds_config_load_mem(&c, ".hadolint.yaml", y, strlen(y), DS_CONFIG_HADOLINT, NULL), 0);
	assert_true(c.lint.ignored[DS_R_DL3008]);
	assert_true(c.lint.ignored[DS_R_DL3057]);
	assert_int_equal(c.nextra, 0);
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
	bad("target: alpine\n", DS_CONFIG_DISTILL, 1, 9, "'target' must list distroless, chainguard, chiseled or ubi-micro");
	bad("target: distroless,chiseled,distroless\n", DS_CONFIG_DISTILL, 1, 9, "each once");
	bad("target: distroless,\n", DS_CONFIG_DISTILL, 1, 9, "'target' must list");
	bad("mappings: [a]\n", DS_CONFIG_DISTILL, 1, 11, "'mappings' must be a string");
	bad("format: [json]\n", DS_CONFIG_DISTILL, 1, 9, "'format' must be a string");
	bad("profile: strict\n", DS_CONFIG_DISTILL, 1, 10, "unknown profile 'strict'");
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

/* ---- confinement of configurations found by search (issue 19 §5) ---- */

static char tree[64];

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *at(const char *rel)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tree, rel);
	return buf[k];
}

static int make_tree(void **state)
{
	(void)state;
	snprintf(tree, sizeof tree, "/tmp/test_config_tree-XXXXXX");
	if (!mkdtemp(tree))
		return -1;
	mkdir(at("repo"), 0755);
	mkdir(at("repo/sub"), 0755);
	write_text(at("outside.yaml"), "secret-first-key: 1\n");
	write_text(at("repo/m.yaml"), "tools:\n  fish: {kind: shell}\n");
	return 0;
}

static int remove_tree(void **state)
{
	(void)state;
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tree);
	return system(cmd) == 0 ? 0 : -1;
}

/* Loads repo/.distill.yaml holding `mappings: <value>` as found by search. */
static int load_mappings(const char *value, unsigned flags, struct ds_config *c, struct ds_config_error *err)
{
	char text[600];
	snprintf(text, sizeof text, "ignored: [DL3008]\nmappings: %s\n", value);
	write_text(at("repo/.distill.yaml"), text);
	ds_config_init(c);
	memset(err, 0, sizeof *err);
	return ds_config_load_found(c, at("repo/.distill.yaml"), DS_CONFIG_DISTILL, flags, err);
}

static void refused(const char *value, const char *why)
{
	struct ds_config c;
	struct ds_config_error err;
	if (load_mappings(value, 0, &c, &err) != -1)
		fail_msg("mappings '%s' was accepted", value);
	/* located at the value, and nothing of the other file in the message */
	assert_string_equal(err.file, at("repo/.distill.yaml"));
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 11);
	if (!strstr(err.msg, why))
		fail_msg("mappings '%s': message '%s' lacks '%s'", value, err.msg, why);
	assert_null(strstr(err.msg, "secret-first-key"));
	ds_config_release(&c);
}

static void test_found_mappings_confined(void **state)
{
	(void)state;
	assert_int_equal(symlink("../outside.yaml", at("repo/link-out.yaml")), 0);
	assert_int_equal(symlink("m.yaml", at("repo/link-in.yaml")), 0);
	assert_int_equal(symlink("/dev/zero", at("repo/zero")), 0);
	assert_int_equal(mkfifo(at("repo/fifo.yaml"), 0644), 0);
	FILE *f = fopen(at("repo/big.yaml"), "w");
	assert_non_null(f);
	for (size_t i = 0; i <= DS_CONFIG_MAX_FOUND / 16; i++)
		fputs("# padding......\n", f);
	fclose(f);

	refused("../outside.yaml", "outside the configuration's folder");
	refused("sub/../../outside.yaml", "outside the configuration's folder");
	refused(at("outside.yaml"), "not the absolute path");
	refused("/dev/zero", "not the absolute path");
	refused("link-out.yaml", "outside the configuration's folder");
	refused("zero", "outside the configuration's folder");
	refused("fifo.yaml", "not a regular file"); /* at once: a FIFO is never opened */
	refused("sub", "not a regular file");
	refused("big.yaml", "larger than");
	refused("missing.yaml", "No such file");
	if (geteuid() == 0) { /* a device inside the tree: only root may make one */
		assert_int_equal(mknod(at("repo/nulldev"), S_IFCHR | 0666, makedev(1, 3)), 0);
		refused("nulldev", "not a regular file");
	}

	/* inside the tree, however written: accepted, resolved, and readable within the limits */
	static const char *const fine[] = { "m.yaml", "sub/../m.yaml", "./link-in.yaml" };
	for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
		struct ds_config c;
		struct ds_config_error err;
		if (load_mappings(fine[i], 0, &c, &err))
			fail_msg("mappings '%s' refused: %s", fine[i], err.msg);
		char want[PATH_MAX];
		assert_non_null(realpath(at("repo/m.yaml"), want));
		assert_string_equal(c.mappings, want);
		struct ds_buf b = DS_BUF_INIT;
		assert_int_equal(ds_config_read_mappings(&c, &b, &err), 0);
		assert_non_null(strstr(b.buf, "fish"));
		ds_buf_release(&b);
		ds_config_release(&c);
	}

	/* audit's loading: the key is accepted and never followed */
	struct ds_config c;
	struct ds_config_error err;
	assert_int_equal(load_mappings("../outside.yaml", DS_CONFIG_IGNORE_MAPPINGS, &c, &err), 0);
	assert_null(c.mappings);
	assert_true(c.lint.ignored[DS_R_DL3008]);
	ds_config_release(&c);

	/* --config named on the command line may point anywhere */
	write_text(at("given.yaml"), "mappings: outside.yaml\n");
	ds_config_init(&c);
	assert_int_equal(ds_config_load_file(&c, at("given.yaml"), DS_CONFIG_DISTILL, &err), 0);
	assert_string_equal(c.mappings, at("outside.yaml"));
	ds_config_release(&c);
}

/* the configuration file itself: a link out of the repository, a FIFO, a huge file */
static void test_found_file_confined(void **state)
{
	(void)state;
	struct ds_config c;
	struct ds_config_error err;
	write_text(at("outside.yaml"), "ignored: [DL3008]\n");
	assert_int_equal(symlink("../outside.yaml", at("repo/.hadolint.yaml")), 0);
	ds_config_init(&c);
	assert_int_equal(ds_config_load_found(&c, at("repo/.hadolint.yaml"), DS_CONFIG_HADOLINT, 0, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic link out of its folder"));
	assert_false(c.lint.ignored[DS_R_DL3008]);
	ds_config_release(&c);
	/* the same file named with --config is read */
	ds_config_init(&c);
	assert_int_equal(ds_config_load_file(&c, at("repo/.hadolint.yaml"), DS_CONFIG_HADOLINT, &err), 0);
	assert_true(c.lint.ignored[DS_R_DL3008]);
	ds_config_release(&c);

	/* a link that stays inside is fine */
	write_text(at("repo/sub/hadolint.yaml"), "ignored: [DL3008]\n");
	assert_int_equal(symlink("sub/hadolint.yaml", at("repo/.hadolint.yml")), 0);
	ds_config_init(&c);
	assert_int_equal(ds_config_load_found(&c, at("repo/.hadolint.yml"), DS_CONFIG_HADOLINT, 0, &err), 0);
	assert_true(c.lint.ignored[DS_R_DL3008]);
	ds_config_release(&c);

	assert_int_equal(mkfifo(at("repo/sub/.distill.yaml"), 0644), 0);
	ds_config_init(&c);
	assert_int_equal(ds_config_load_found(&c, at("repo/sub/.distill.yaml"), DS_CONFIG_DISTILL, 0, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	ds_config_release(&c);

	FILE *f = fopen(at("repo/.distill.yml"), "w");
	assert_non_null(f);
	for (size_t i = 0; i <= DS_CONFIG_MAX_FOUND / 16; i++)
		fputs("# padding......\n", f);
	fclose(f);
	ds_config_init(&c);
	assert_int_equal(ds_config_load_found(&c, at("repo/.distill.yml"), DS_CONFIG_DISTILL, 0, &err), -1);
	assert_non_null(strstr(err.msg, "larger than"));
	ds_config_release(&c);
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
		cmocka_unit_test_setup_teardown(test_found_mappings_confined, make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(test_found_file_confined, make_tree, remove_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
