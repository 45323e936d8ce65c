/* test_context.c - unit tests for rewrite/context: reading a build context safely, and .dockerignore. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/arena.h"
#include "rewrite/context.h"

static char root[256];
static char outside[300];

static void put(const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void dir(const char *rel)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void link_(const char *target, const char *rel)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "/tmp/ds-ctx-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(outside, sizeof outside, "%s-outside", root);
	FILE *f = fopen(outside, "w");
	if (!f)
		return -1;
	fputs("secret\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, outside);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *rd(struct ds_context *c, struct ds_arena *a, const char *rel)
{
	size_t len;
	enum ds_context_miss miss;
	const char *t = ds_context_read(c, rel, a, &len, &miss);
	return t ? t : ds_context_miss_name(miss);
}

static void test_read_and_links(void **state)
{
	(void)state;
	dir("app");
	dir("app/bin");
	put("package.json", "{\"scripts\": {}}\n");
	put("app/start.sh", "#!/bin/sh\nexec \"$@\"\n");
	link_("../start.sh", "app/bin/start");      /* inside: followed */
	link_("../../..", "app/up");                 /* climbs out */
	link_(outside, "secret");                    /* absolute: outside */
	link_("loop2", "loop1");
	link_("loop1", "loop2");
	assert_int_equal(mkfifo(strcat(strcpy((char[512]){ 0 }, root), "/fifo"), 0600), 0);

	/* opened, and listed (opened by each read): the same answers */
	for (int listed = 0; listed < 2; listed++) {
		struct ds_arena a = DS_ARENA_INIT;
		struct ds_context c;
		const char *why;
		if (listed)
			ds_context_open_listed(&c, root);
		else
			assert_int_equal(ds_context_open(&c, root, &a, &why), 0);
		assert_string_equal(rd(&c, &a, "package.json"), "{\"scripts\": {}}\n");
		assert_string_equal(rd(&c, &a, "./app/../package.json"), "{\"scripts\": {}}\n");
		assert_string_equal(rd(&c, &a, "/package.json"), "{\"scripts\": {}}\n");
		assert_string_equal(rd(&c, &a, "app/bin/start"), "#!/bin/sh\nexec \"$@\"\n");
		assert_string_equal(rd(&c, &a, "../x"), "outside the context");
		assert_string_equal(rd(&c, &a, "app/up/etc/passwd"), "outside the context");
		assert_string_equal(rd(&c, &a, "secret"), "outside the context");
		assert_string_equal(rd(&c, &a, "loop1"), "outside the context");
		assert_string_equal(rd(&c, &a, "fifo"), "not a regular file");
		assert_string_equal(rd(&c, &a, "app"), "not a regular file");
		assert_string_equal(rd(&c, &a, "nope"), "missing");
		assert_true(ds_context_is_dir(&c, "app/bin"));
		assert_false(ds_context_is_dir(&c, "package.json"));

		/* a file over the cap is not read */
		char p[512];
		snprintf(p, sizeof p, "%s/big", root);
		int fd = open(p, O_WRONLY | O_CREAT, 0644);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, DS_CONTEXT_MAX_FILE + 1), 0);
		close(fd);
		assert_string_equal(rd(&c, &a, "big"), "larger than 1 MiB");
		ds_context_close(&c);
		ds_arena_release(&a);
	}

	/* a listed folder gone by the time of a read: every read misses */
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_context c;
	ds_context_open_listed(&c, "/nonexistent-ds");
	assert_string_equal(rd(&c, &a, "package.json"), "missing");
	assert_false(ds_context_is_dir(&c, "app"));
	ds_context_close(&c);
	ds_arena_release(&a);
}

static void test_dockerignore(void **state)
{
	(void)state;
	put(".dockerignore", "# comment\n"
			     "node_modules\n"
			     "**/*.log\n"
			     "/secrets/\n"
			     "docs/*.md\n"
			     "!docs/README.md\n"
			     "  build?  \n"
			     "cache/**\n");
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_context c;
	const char *why;
	assert_int_equal(ds_context_open(&c, root, &a, &why), 0);
	assert_true(ds_context_ignored(&c, "node_modules"));
	assert_true(ds_context_ignored(&c, "node_modules/x/package.json")); /* below an excluded folder */
	assert_false(ds_context_ignored(&c, "src/node_modules")); /* patterns are rooted */
	assert_true(ds_context_ignored(&c, "a.log"));
	assert_true(ds_context_ignored(&c, "x/y/z.log"));
	assert_true(ds_context_ignored(&c, "secrets/key"));
	assert_true(ds_context_ignored(&c, "docs/guide.md"));
	assert_false(ds_context_ignored(&c, "docs/README.md")); /* the exception wins, coming last */
	assert_false(ds_context_ignored(&c, "docs/sub/guide.md")); /* '*' stays in one folder */
	assert_true(ds_context_ignored(&c, "build1"));
	assert_false(ds_context_ignored(&c, "build12"));
	assert_true(ds_context_ignored(&c, "cache/a/b"));
	assert_false(ds_context_ignored(&c, "package.json"));
	/* an excluded file is not in the context */
	put("app.log", "x\n");
	assert_string_equal(rd(&c, &a, "app.log"), "missing");
	ds_context_close(&c);
	ds_arena_release(&a);

	/* a folder that is not one */
	assert_int_equal(ds_context_open(&c, "/nonexistent-ds", &a, &why), -1);
	assert_string_equal(why, "no such folder");
	assert_string_equal(rd(&c, &a, "x"), "missing");
	ds_context_close(&c);
	ds_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_and_links),
		cmocka_unit_test(test_dockerignore),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
