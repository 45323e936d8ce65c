/* runbin.h - runs the distill binary from a test driver and keeps its exit status and output. */
#ifndef DS_TESTS_RUNBIN_H
#define DS_TESTS_RUNBIN_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/buf.h"

/* What a command did: its exit status (128 + signal when killed) and its output. */
struct run {
	int status;
	char *out, *err; /* NUL-terminated, owned; run_free() frees them */
	size_t outlen, errlen;
};

/* Opens a new temporary file named from tmpl's buffer (n bytes); returns its descriptor or -1. */
static inline int tmpfile_fd(char *tmpl, size_t n)
{
	const char *dir = getenv("TMPDIR");
	snprintf(tmpl, n, "%s/ds-drv-XXXXXX", dir && *dir ? dir : "/tmp");
	return mkstemp(tmpl);
}

/*
 * Runs argv (argv[0] a path) with stdin from in_path (NULL: /dev/null) and
 * fills *r. Returns 0, or -1 when it could not start.
 */
static inline int run_cmd_in(char *const argv[], const char *in_path, struct run *r)
{
	char po[4096], pe[4096];
	memset(r, 0, sizeof *r);
	int fo = tmpfile_fd(po, sizeof po);
	if (fo < 0)
		return -1;
	int fe = tmpfile_fd(pe, sizeof pe);
	if (fe < 0) {
		close(fo);
		unlink(po);
		return -1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
		if (in >= 0)
			dup2(in, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fo);
	close(fe);
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		unlink(po);
		unlink(pe);
		return -1;
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	r->out = ds_read_file(po, &r->outlen);
	r->err = ds_read_file(pe, &r->errlen);
	unlink(po);
	unlink(pe);
	if (!r->out)
		r->out = ds_xstrdup(""), r->outlen = 0;
	if (!r->err)
		r->err = ds_xstrdup(""), r->errlen = 0;
	return 0;
}

/* As run_cmd_in() with stdin from /dev/null. */
static inline int run_cmd(char *const argv[], struct run *r)
{
	return run_cmd_in(argv, NULL, r);
}

/* Frees what run_cmd() allocated. */
static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#endif
