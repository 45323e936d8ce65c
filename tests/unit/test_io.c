/* test_io.c - reading inputs safely, replacing files atomically, and never over a concurrent writer. */
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

#include "cli/cleanup.h"
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
	assert_int_equal(ds_write_atomic(p, "FROM scratch\n", 13, NULL, &err), 0);
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
	assert_int_equal(ds_write_atomic(l, "FROM scratch\n", 13, NULL, &err), 0);
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
	assert_int_equal(ds_write_atomic(p, "FROM scratch\n", 13, NULL, &err), 0);
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
		_exit(ds_write_atomic(p, big, sizeof big, NULL, &err) == -1 ? 0 : 1);
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
		_exit(ds_write_atomic(p, "FROM scratch\n", 13, NULL, &err) == -1 ? 0 : 1);
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
	assert_int_equal(ds_write_atomic(dir, "x", 1, NULL, &err), -1);
	assert_non_null(err);
	/* a link to nothing is not a place to create a file */
	char l[300];
	snprintf(l, sizeof l, "%s/dangling", dir);
	assert_int_equal(symlink("nowhere/Dockerfile", l), 0);
	assert_int_equal(ds_write_atomic(l, "x", 1, NULL, &err), -1);
	assert_int_equal(count_entries(dir), 1);
}

/* -o NEWFILE: created atomically with 0666 less the umask, nothing else left */
static void test_new_file(void **state)
{
	(void)state;
	char p[300];
	snprintf(p, sizeof p, "%s/out.Dockerfile", dir);
	mode_t um = umask(027);
	const char *err = NULL;
	int rc = ds_write_atomic(p, "FROM scratch\n", 13, NULL, &err);
	umask(um);
	assert_int_equal(rc, 0);
	assert_string_equal(get(p), "FROM scratch\n");
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(count_entries(dir), 1);
}

/* reads p as convert does and returns its identity */
static struct ds_file_id read_id(const char *p)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_file_id id;
	const char *err = NULL;
	assert_int_equal(ds_read_source(&a, p, 1u << 20, &src, &id, &err), 0);
	ds_arena_release(&a);
	return id;
}

/*
 * The race of --in-place made deterministic: the file is read, another
 * writer saves it, then the result is committed. Every kind of save is
 * noticed and the other writer's text survives: in place with another
 * size, in place with the same size and the old modification time (only
 * the content tells), and a new file renamed over the path (an editor).
 */
static void test_changed_while_converting(void **state)
{
	(void)state;
	char p[300], q[300];
	snprintf(p, sizeof p, "%s/Dockerfile", dir);
	snprintf(q, sizeof q, "%s/.Dockerfile.swp", dir);
	for (int how = 0; how < 3; how++) {
		put(p, "FROM alpine\n", 0644);
		struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
		struct ds_file_id id = read_id(p);
		const char *theirs = how == 0 ? "FROM scratch\n# other writer\n" : "FROM ALPINE\n";
		if (how == 2) {
			put(q, theirs, 0644);
			assert_int_equal(rename(q, p), 0);
		} else {
			FILE *f = fopen(p, "r+b");
			assert_non_null(f);
			fputs(theirs, f);
			fclose(f);
			if (how == 1)
				assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
		}
		const char *err = NULL;
		assert_int_equal(ds_write_atomic(p, "FROM gcr.io/distroless/static\n", 30, &id, &err), DS_ATOMIC_CHANGED);
		assert_non_null(strstr(err, "changed while converting"));
		assert_string_equal(get(p), theirs);
		assert_int_equal(count_entries(dir), 1);
	}
	/* unchanged: replaced */
	put(p, "FROM alpine\n", 0644);
	struct ds_file_id id = read_id(p);
	const char *err = NULL;
	assert_int_equal(ds_write_atomic(p, "FROM scratch\n", 13, &id, &err), 0);
	assert_string_equal(get(p), "FROM scratch\n");
	/* gone meanwhile: not recreated */
	id = read_id(p);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(ds_write_atomic(p, "FROM alpine\n", 12, &id, &err), -1);
	assert_int_equal(count_entries(dir), 0);
}

/* -o and reports: a target that changes or appears while distill writes is kept */
static void test_output_changed_or_appeared(void **state)
{
	(void)state;
	char p[300];
	snprintf(p, sizeof p, "%s/report.txt", dir);
	struct ds_atomic w;
	const char *err = NULL;
	assert_int_equal(ds_atomic_open(&w, p, NULL, &err), 0);
	ds_atomic_write(&w, "ours\n", 5);
	put(p, "theirs\n", 0644);
	assert_int_equal(ds_atomic_commit(&w, &err), DS_ATOMIC_CHANGED);
	assert_string_equal(get(p), "theirs\n");
	assert_int_equal(count_entries(dir), 1);

	assert_int_equal(ds_atomic_open(&w, p, NULL, &err), 0);
	ds_atomic_write(&w, "ours\n", 5);
	put(p, "theirs, longer\n", 0644);
	assert_int_equal(ds_atomic_commit(&w, &err), DS_ATOMIC_CHANGED);
	assert_string_equal(get(p), "theirs, longer\n");

	assert_int_equal(ds_atomic_open(&w, p, NULL, &err), 0);
	ds_atomic_write(&w, "ours\n", 5);
	assert_int_equal(ds_atomic_commit(&w, &err), 0);
	assert_string_equal(get(p), "ours\n");
	assert_int_equal(count_entries(dir), 1);
}

/* SIGTERM, SIGINT and SIGHUP while a temporary file exists: it is removed, the signal still ends the process */
static void test_signal_removes_temporary(void **state)
{
	(void)state;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	char p[300];
	snprintf(p, sizeof p, "%s/Dockerfile", dir);
	put(p, "FROM alpine\n", 0644);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			ds_cleanup_install();
			struct ds_atomic w;
			const char *err;
			if (ds_atomic_open(&w, p, NULL, &err))
				_exit(3);
			ds_atomic_write(&w, "FROM scratch\n", 13);
			if (count_entries(dir) != 2)
				_exit(4);
			raise(sigs[i]);
			_exit(5);
		}
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), sigs[i]);
		assert_int_equal(count_entries(dir), 1);
		assert_string_equal(get(p), "FROM alpine\n");
	}
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
	assert_int_equal(ds_read_source(&a, p, 1u << 20, &src, NULL, &err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(ds_read_source(&a, dir, 1u << 20, &src, NULL, &err), -1);
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
	assert_int_equal(ds_read_source(&a, p, 10, &src, NULL, &err), -1);
	assert_non_null(strstr(err, "limit"));
	assert_int_equal(ds_read_source(&a, p, 1000, &src, NULL, &err), 0);
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
		cmocka_unit_test_setup_teardown(test_new_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_while_converting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_changed_or_appeared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_removes_temporary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_refuses_fifo_and_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_size_limit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
