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
		/* a wildcard is matched in the root and below it, in both modes */
		const char *m;
		assert_int_equal(ds_context_match(&c, "", "package.js?n", &a, &m), 1);
		assert_string_equal(m, "package.json");
		assert_int_equal(ds_context_match(&c, "app", "*.sh", &a, &m), 1);
		assert_string_equal(m, "app/start.sh");

		/* a file over the cap is not read */
		char p[512];
		snprintf(p, sizeof p, "%s/big", root);
		int fd = open(p, O_WRONLY | O_CREAT, 0644);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, DS_CONTEXT_MAX_FILE + 1), 0);
		close(fd);
		assert_string_equal(rd(&c, &a, "big"), "larger than 1 MiB");
		/* ...but it can be opened to read parts of it: the last bytes here */
		fd = open(p, O_WRONLY);
		assert_true(fd >= 0);
		assert_int_equal(pwrite(fd, "end", 3, DS_CONTEXT_MAX_FILE - 2), 3);
		close(fd);
		struct ds_context_file f;
		enum ds_context_miss miss;
		assert_int_equal(ds_context_file_open(&c, "./big", &f, &miss), 0);
		assert_int_equal(f.size, DS_CONTEXT_MAX_FILE + 1);
		char part[8] = { 0 };
		assert_int_equal(ds_context_file_read(&f, DS_CONTEXT_MAX_FILE - 2, part, sizeof part), 3); /* short at the end */
		assert_memory_equal(part, "end", 3);
		assert_int_equal(ds_context_file_read(&f, (uint64_t)1 << 62, part, sizeof part), 0);
		assert_int_equal(ds_context_file_read(&f, UINT64_MAX - 1, part, sizeof part), 0);
		ds_context_file_close(&f);
		ds_context_file_close(&f); /* twice is harmless */
		assert_int_equal(ds_context_file_read(&f, 0, part, sizeof part), 0);
		/* the same paths are refused as for a whole read */
		assert_int_equal(ds_context_file_open(&c, "secret", &f, &miss), -1);
		assert_int_equal(miss, DS_CTX_OUTSIDE);
		assert_int_equal(f.fd, -1);
		assert_int_equal(ds_context_file_open(&c, "app/up/etc/passwd", &f, &miss), -1);
		assert_int_equal(miss, DS_CTX_OUTSIDE);
		assert_int_equal(ds_context_file_open(&c, "fifo", &f, &miss), -1);
		assert_int_equal(miss, DS_CTX_NOT_FILE);
		assert_int_equal(ds_context_file_open(&c, "nope", &f, &miss), -1);
		assert_int_equal(miss, DS_CTX_MISSING);
		assert_int_equal(ds_context_file_open(&c, "app/bin/start", &f, &miss), 0);
		assert_int_equal(ds_context_file_read(&f, 2, part, 7), 7);
		assert_memory_equal(part, "/bin/sh", 7);
		ds_context_file_close(&f);
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
	struct ds_context_file f;
	enum ds_context_miss miss;
	assert_int_equal(ds_context_file_open(&c, "app.log", &f, &miss), -1);
	assert_int_equal(miss, DS_CTX_MISSING);
	/* a glob's matches leave out what is excluded */
	const char *m;
	assert_int_equal(ds_context_match(&c, "", "app.*", &a, &m), 0); /* app.log is excluded */
	assert_null(m);
	assert_int_equal(ds_context_match(&c, "", "package.js?n", &a, &m), 1);
	assert_string_equal(m, "package.json");
	assert_int_equal(ds_context_match(&c, "./app/", "*.sh", &a, &m), 1);
	assert_string_equal(m, "app/start.sh");
	assert_int_equal(ds_context_match(&c, "app/bin", "*", &a, &m), 1); /* a link inside: matched by name */
	assert_string_equal(m, "app/bin/start");
	assert_int_equal(ds_context_match(&c, "app", "*", &a, &m), 2);    /* start.sh, bin, up: several */
	assert_null(m);
	dir("docs");
	put("docs/README.md", "x\n");
	put("docs/guide.md", "x\n");
	assert_int_equal(ds_context_match(&c, "docs", "*.md", &a, &m), 1); /* guide.md is excluded */
	assert_string_equal(m, "docs/README.md");
	assert_int_equal(ds_context_match(&c, "node_modules", "*", &a, &m), 0); /* an excluded folder */
	assert_int_equal(ds_context_match(&c, "..", "*", &a, &m), 0);
	assert_int_equal(ds_context_match(&c, "app/up", "*", &a, &m), 0);      /* a link out */
	assert_int_equal(ds_context_match(&c, "nope", "*", &a, &m), 0);
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
