/* test_io.c - reading inputs safely and replacing files atomically. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/io.h"
#include "common/arena.h"
#include "common/source.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/ds-test-io-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	/* others may enter, as in a real repository */
	return chmod(dir, 0755);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[200];
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static char *get(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* entries in dir, so a failed write provably leaves no temporary behind */
static int count_entries(const char *d)
{
	DIR *dp = opendir(d);
	assert_non_null(dp);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

static void test_replace_keeps_mode(void **state)
{
	(void)state;
	char p[300];
	snprintf(p, sizeof p, "%s/Dockerfile", dir);
	put(p, "FROM alpine\n", 0640);
	const char *err = NULL;
	assert_int_equal(ds_write_atomic(p, "FROM scratch\n", 13, &err), 0);
	assert_string_equal(get(p), "FROM scratch\n");
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(count_entries(dir), 1);
}

static void test_symlink_stays_link(void **state)
{
	(void)state;
	char t[300], l[300];
	snprintf(t, sizeof t, "%s/real.Dockerfile", dir);
	snprintf(l, sizeof l, "%s/Dockerfile", dir);
	put(t, "FROM alpine\n", 0644);
	assert_int_equal(symlink("real.Dockerfile", l), 0);
	const char *err = NULL;
	assert_int_equal(ds_write_atomic(l, "FROM scratch\n", 13, &err), 0);
	struct stat st;
	assert_int_equal(lstat(l, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_string_equal(get(t), "FROM scratch\n");
}

/* owner, group and the set-group-ID bit survive the replacement */
static void test_replace_keeps_owner(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip(); /* only root may give a file away */
		return;
	}
	char p[300];
	snprintf(p, sizeof p, "%s/Dockerfile", dir);
	put(p, "FROM alpine\n", 0644);
	assert_int_equal(chown(p, 65534, 65534), 0);
	assert_int_equal(chmod(p, 06750), 0);
	const char *err = NULL;
	assert_int_equal(ds_write_atomic(p, "FROM scratch\n", 13, &err), 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 65534);
	assert_int_equal(st.st_mode & 07777, 06750);
	assert_string_equal(get(p), "FROM scratch\n");
}

/* a write error half way (the file-size limit stands in for a full disk) */
static void test_write_error_leaves_original(void **state)
{
	(void)state;
	char p[300];
	snprintf(p, sizeof p, "%s/Dockerfile", dir);
	put(p, "FROM alpine\n", 0644);
	char big[65536];
	memset(big, 'x', sizeof big);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 1024, RLIM_INFINITY };
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl))
			_exit(3);
		const char *err = NULL;
		_exit(ds_write_atomic(p, big, sizeof big, &err) == -1 ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(get(p), "FROM alpine\n");
	assert_int_equal(count_entries(dir), 1);
}

/* a folder the user cannot write: no temporary file, original untouched */
static void test_readonly_folder(void **state)
{
	(void)state;
	char p[300];
	snprintf(p, sizeof p, "%s/Dockerfile", dir);
	put(p, "FROM alpine\n", 0666);
	assert_int_equal(chmod(dir, 0555), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* root ignores permissions: become nobody first */
		if (geteuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(3);
		const char *err = NULL;
		_exit(ds_write_atomic(p, "FROM scratch\n", 13, &err) == -1 ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(get(p), "FROM alpine\n");
	assert_int_equal(count_entries(dir), 1);
}

static void test_not_regular(void **state)
{
	(void)state;
	const char *err = NULL;
	assert_int_equal(ds_write_atomic(dir, "x", 1, &err), -1);
	assert_non_null(err);
	char p[300];
	snprintf(p, sizeof p, "%s/missing", dir);
	assert_int_equal(ds_write_atomic(p, "x", 1, &err), -1);
}

static void test_read_refuses_fifo_and_dir(void **state)
{
	(void)state;
	char p[300];
	snprintf(p, sizeof p, "%s/Dockerfile.fifo", dir);
	assert_int_equal(mkfifo(p, 0644), 0);
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	const char *err = NULL;
	/* must return at once: nobody writes to the FIFO */
	assert_int_equal(ds_read_source(&a, p, 1u << 20, &src, &err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(ds_read_source(&a, dir, 1u << 20, &src, &err), -1);
	assert_non_null(strstr(err, "directory"));
	ds_arena_release(&a);
}

static void test_read_size_limit(void **state)
{
	(void)state;
	char p[300];
	snprintf(p, sizeof p, "%s/Dockerfile", dir);
	put(p, "FROM alpine\nRUN echo hello\n", 0644);
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	const char *err = NULL;
	assert_int_equal(ds_read_source(&a, p, 10, &src, &err), -1);
	assert_non_null(strstr(err, "limit"));
	assert_int_equal(ds_read_source(&a, p, 1000, &src, &err), 0);
	assert_int_equal(src.len, 27);
	assert_int_equal(src.data[27], '\0');
	ds_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_keeps_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_keeps_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_stays_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_leaves_original, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_refuses_fifo_and_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_size_limit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
