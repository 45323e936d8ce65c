/* test_repoconf.c - the configuration search of lint and audit against a plain upward search, with and without a walk's listings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/repoconf.h"
#include "cli/walk.h"

static char tree[64];

static const char *at(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *at(const char *fmt, ...)
{
	static char buf[8][PATH_MAX];
	static int k;
	k = (k + 1) % 8;
	size_t n = (size_t)snprintf(buf[k], sizeof buf[k], "%s/", tree);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf[k] + n, sizeof buf[k] - n, fmt, ap);
	va_end(ap);
	return buf[k];
}

static void touch(const char *p)
{
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

/* The search as DESIGN §2 states it, done the slow way: from the real folder up, .distill first. */
static const char *naive(const char *file, enum ds_config_dialect *d)
{
	static char found[PATH_MAX + 32];
	char dir[PATH_MAX], real[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", file);
	*strrchr(dir, '/') = '\0';
	if (!realpath(dir, real))
		return NULL;
	static const char *const names[2][2] = { { ".distill.yaml", ".distill.yml" },
						 { ".hadolint.yaml", ".hadolint.yml" } };
	for (int kind = 0; kind < 2; kind++) {
		char cur[PATH_MAX];
		snprintf(cur, sizeof cur, "%s", real);
		for (;;) {
			for (int k = 0; k < 2; k++) {
				struct stat st;
				snprintf(found, sizeof found, "%s/%s", strcmp(cur, "/") ? cur : "", names[kind][k]);
				if (lstat(found, &st) == 0 && !S_ISDIR(st.st_mode)) {
					*d = kind ? DS_CONFIG_HADOLINT : DS_CONFIG_DISTILL;
					return found;
				}
			}
			char *slash = strrchr(cur, '/');
			if (!strcmp(cur, "/") || !slash)
				break;
			if (slash == cur)
				slash[1] = '\0';
			else
				*slash = '\0';
		}
	}
	return NULL;
}

static int make_tree(void **state)
{
	(void)state;
	snprintf(tree, sizeof tree, "/tmp/test_repoconf-XXXXXX");
	if (!mkdtemp(tree))
		return -1;
	/* 8 repositories x 5 levels x 6 folders: enough to grow the memo several times */
	for (int r = 0; r < 8; r++) {
		mkdir(at("r%d", r), 0755);
		if (r % 3 == 0)
			touch(at("r%d/.hadolint.yaml", r));
		if (r % 4 == 1)
			touch(at("r%d/.distill.yml", r));
		for (int a = 0; a < 6; a++) {
			mkdir(at("r%d/a%d", r, a), 0755);
			if (a == 2)
				touch(at("r%d/a%d/.distill.yaml", r, a));
			if (a == 4)
				touch(at("r%d/a%d/.hadolint.yml", r, a));
			for (int b = 0; b < 6; b++) {
				mkdir(at("r%d/a%d/b%d", r, a, b), 0755);
				mkdir(at("r%d/a%d/b%d/c", r, a, b), 0755);
				mkdir(at("r%d/a%d/b%d/c/d", r, a, b), 0755);
				if (b == 5)
					mkdir(at("r%d/a%d/b%d/c/d/.distill.yaml", r, a, b), 0755); /* a folder: never a config */
				touch(at("r%d/a%d/b%d/Dockerfile", r, a, b));
				touch(at("r%d/a%d/b%d/c/d/Dockerfile", r, a, b));
			}
		}
	}
	/* a link into another repository: the search follows the real folder, as lint does */
	if (symlink("../r1/a2/b0", at("r0/linked")))
		return -1;
	/* entries that are not folders count whatever they are: links (even dangling ones), FIFOs */
	if (symlink("../r0/.hadolint.yaml", at("r5/a0/.hadolint.yml")) || symlink("nowhere", at("r5/a1/.distill.yml")) ||
	    symlink("b0", at("r5/a3/.distill.yaml")) || mkfifo(at("r5/a5/.distill.yml"), 0644))
		return -1;
	mkdir(at("r5/a3/b2/.hadolint.yml"), 0755); /* a folder below a linked one */
	return 0;
}

static int remove_tree(void **state)
{
	(void)state;
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tree);
	return system(cmd) == 0 ? 0 : -1;
}

static void check(struct ds_repoconf *rc, const char *file)
{
	enum ds_config_dialect dn = DS_CONFIG_DISTILL, dg = DS_CONFIG_DISTILL;
	const char *want = naive(file, &dn);
	char w[PATH_MAX + 64];
	snprintf(w, sizeof w, "%s", want ? want : "(none)");
	const char *got = ds_repoconf_find_for(rc, file, &dg);
	if (strcmp(w, got ? got : "(none)"))
		fail_msg("%s: found %s, expected %s", file, got ? got : "(none)", w);
	if (want)
		assert_int_equal(dg, dn);
}

static void test_matches_plain_search(void **state)
{
	(void)state;
	struct ds_repoconf rc;
	ds_repoconf_init(&rc);
	/* twice over, the second time from the memo, in an order that is not the tree's */
	for (int pass = 0; pass < 2; pass++) {
		for (int b = 5; b >= 0; b--)
			for (int r = 0; r < 8; r++)
				for (int a = 0; a < 6; a++) {
					check(&rc, at("r%d/a%d/b%d/c/d/Dockerfile", r, a, b));
					check(&rc, at("r%d/a%d/b%d/Dockerfile", r, a, b));
				}
		check(&rc, at("r0/linked/c/Dockerfile"));
		check(&rc, at("r0/./a1/../a2/b1/Dockerfile"));
		check(&rc, at("r3/Dockerfile"));
	}
	ds_repoconf_release(&rc);
	/* relative paths, from inside the tree */
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(at("r2/a2")), 0);
	ds_repoconf_init(&rc);
	enum ds_config_dialect d;
	const char *got = ds_repoconf_find_for(&rc, "b1/Dockerfile", &d);
	assert_non_null(got);
	assert_non_null(strstr(got, "/r2/a2/.distill.yaml"));
	got = ds_repoconf_find_for(&rc, "Dockerfile", &d);
	assert_non_null(strstr(got, "/r2/a2/.distill.yaml"));
	got = ds_repoconf_find_for(&rc, "../a4/b0/Dockerfile", &d);
	assert_non_null(strstr(got, "/r2/a4/.hadolint.yml"));
	assert_int_equal(d, DS_CONFIG_HADOLINT);
	got = ds_repoconf_find_for(&rc, "-", &d);
	assert_non_null(strstr(got, "/r2/a2/.distill.yaml"));
	ds_repoconf_release(&rc);
	assert_int_equal(chdir(cwd), 0);
}

/* Every file the walk of root finds: the walked search agrees with the plain one. */
static void check_walk(const char *root)
{
	struct ds_walk w;
	ds_walk_init(&w, NULL);
	const char *err;
	assert_int_equal(ds_walk_add_arg(&w, root, &err), 0);
	ds_walk_finish(&w);
	assert_true(w.nfiles > 0);
	struct ds_repoconf rc;
	ds_repoconf_init(&rc);
	for (size_t i = 0; i < w.nfiles; i++) {
		const struct ds_walk_file *f = &w.files[i];
		assert_non_null(f->dir);
		assert_non_null(f->dir->real);
		enum ds_config_dialect dn = DS_CONFIG_DISTILL, dg = DS_CONFIG_DISTILL;
		const char *want = naive(f->path, &dn);
		const char *got = ds_repoconf_find_walked(&rc, f->path, f->dir, &dg);
		if (strcmp(want ? want : "(none)", got ? got : "(none)"))
			fail_msg("walk of %s: %s: found %s, expected %s", root, f->path, got ? got : "(none)",
				 want ? want : "(none)");
		if (want)
			assert_int_equal(dg, dn);
		/* and both files, as lint reads them */
		const char *distill, *hadolint;
		ds_repoconf_find_both_walked(&rc, f->path, f->dir, &distill, &hadolint);
		assert_true(got == (distill ? distill : hadolint));
	}
	ds_repoconf_release(&rc);
	ds_walk_release(&w);
}

/*
 * A walk's listings stand in for the lstat calls: from the whole tree, and
 * from folders whose configuration lies above the walk's top, the answers
 * are those of the plain search.
 */
static void test_walked_matches_plain_search(void **state)
{
	(void)state;
	check_walk(tree);
	check_walk(at("r1/a2"));      /* r1/a2/.distill.yaml is the top's own */
	check_walk(at("r1/a3/b1"));   /* r1/.distill.yml, above the top */
	check_walk(at("r5"));         /* links, a dangling link, a FIFO */
	check_walk(at("r5/a3/b2/c")); /* a linked .distill.yaml two folders up */
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(at("r4/a4")), 0);
	check_walk(".");
	check_walk("b3/");
	assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_matches_plain_search, make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(test_walked_matches_plain_search, make_tree, remove_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
