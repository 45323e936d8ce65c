/* drv_buildkit.c - runs BuildKit's parser conformance data (shared/conformance/buildkit, tests/conformance/buildkit-extra). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "parser/ast.h"
#include "conformance/runbin.h"

/*
 * The data and what it means are described in shared/conformance/README.md:
 *   testfiles/<name>/{Dockerfile,result}   the AST dump must equal result
 *   testfiles-negative/<name>/Dockerfile   parsing fails with BuildKit's message
 *   testfile-line/Dockerfile               BuildKit's start/end lines
 * With --cases DIR it runs distill's own cases of the same kind instead
 * (tests/conformance/buildkit-extra, described by the README there):
 *   DIR/<name>/{Dockerfile,result}         the AST dump must equal result
 *   DIR/<name>/{Dockerfile,error}          parsing fails with the message in error
 * Each case is checked in-process through the library and, with --bin, once
 * more through `distill parse --dump` (exit status, stdout, the located
 * FILE:LINE:COL: error: message on stderr). The lossless property (tokens
 * tile the file) is checked on every case as well.
 */

/* BuildKit's messages for the negative cases (README, "Negative cases"). */
static const struct {
	const char *name, *msg;
} negative_msgs[] = {
	{ "empty_dockerfile", "file with no instructions" },
	{ "only_comments", "file with no instructions" },
	{ "env_no_value", "ENV must have two arguments" },
	{ "shykes-nested-json", "when using JSON array syntax, arrays must be comprised of strings only" },
};

/* testfile-line's expected lines (README, "Line-number case"). */
static const uint32_t line_root[2] = { 5, 31 };
static const uint32_t line_instrs[][2] = { { 5, 5 }, { 11, 12 }, { 17, 31 } };

static unsigned npass, nfail;

static void fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(const char *what, const char *fmt, ...)
{
	va_list ap;
	printf("FAIL %s: ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	nfail++;
}

static void check(bool ok, const char *what, const char *reason)
{
	if (ok)
		npass++;
	else
		fail(what, "%s", reason);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Sorted names of the sub-folders of dir; *n set. The caller frees. */
static char **list_dirs(const char *dir, size_t *n)
{
	struct dirent **ents;
	int k = scandir(dir, &ents, NULL, alphasort);
	*n = 0;
	if (k < 0)
		return NULL;
	char **v = ds_xcalloc((size_t)k + 1, sizeof *v);
	for (int i = 0; i < k; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", dir, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && is_dir(p))
			v[(*n)++] = ds_xstrdup(ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Prints where a and b first differ, line by line, for a failure report. */
static void show_first_diff(const char *want, size_t wn, const char *got, size_t gn)
{
	size_t i = 0, line = 1, ls = 0;
	while (i < wn && i < gn && want[i] == got[i]) {
		if (want[i] == '\n')
			line++, ls = i + 1;
		i++;
	}
	const char *we = memchr(want + ls, '\n', wn - ls);
	const char *ge = memchr(got + ls, '\n', gn - ls);
	int wl = (int)(we ? (size_t)(we - want) - ls : wn - ls);
	int gl = (int)(ge ? (size_t)(ge - got) - ls : gn - ls);
	printf("    first difference on line %zu\n    want: %.*s\n    got:  %.*s\n", line, wl, want + ls, gl,
	       got + ls);
}

/* ---- running the distill binary ---- */

/*
 * Checks that text begins with "PATH:LINE:COL: error: MSG\n" (msg NULL:
 * any message). Returns NULL when it does, else what is wrong.
 */
static const char *check_located(const char *text, const char *path, const char *msg)
{
	size_t pl = strlen(path);
	if (strncmp(text, path, pl) != 0 || text[pl] != ':')
		return "stderr does not start with the file name and ':'";
	const char *p = text + pl + 1;
	for (int field = 0; field < 2; field++) {
		const char *d = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == d || *p != ':' || *d == '0')
			return "no 1-based LINE:COL after the file name";
		p++;
	}
	if (strncmp(p, " error: ", 8) != 0)
		return "no ' error: ' after FILE:LINE:COL:";
	p += 8;
	if (msg) {
		size_t ml = strlen(msg);
		if (strncmp(p, msg, ml) != 0 || p[ml] != '\n')
			return "the message is not BuildKit's";
	} else if (*p == '\n' || *p == '\0') {
		return "empty message";
	}
	return NULL;
}

/* ---- the cases ---- */

/* The tokens of df must tile src exactly; NULL when they do, else why not. */
static const char *check_tiling(const struct ds_dockerfile *df, const struct ds_source *src)
{
	size_t at = 0;
	for (size_t i = 0; i < df->ntokens; i++) {
		if (df->tokens[i].off != at)
			return df->tokens[i].off > at ? "a gap between tokens" : "overlapping tokens";
		if (df->tokens[i].len == 0)
			return "an empty token";
		at += df->tokens[i].len;
	}
	return at == src->len ? NULL : "the tokens stop before the end of the file";
}

/* Parses path, which BuildKit accepts, and compares the dump with the file rpath. */
static void check_dump(const char *label, const char *path, const char *rpath, const char *bin)
{
	char what[4200];
	size_t dlen, rlen;
	char *data = ds_read_file(path, &dlen);
	char *want = ds_read_file(rpath, &rlen);
	snprintf(what, sizeof what, "%s", label);
	if (!data || !want) {
		fail(what, "cannot read %s: %s", data ? rpath : path, strerror(errno));
		free(data);
		free(want);
		return;
	}

	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_dockerfile df;
	struct ds_parse_opts po = { 0 };
	po.keep_tokens = true;
	ds_source_from_mem(&src, &a, path, data, dlen);
	int rc = ds_parse(&a, &src, &po, &df);
	if (rc) {
		const struct ds_diag *d = &df.diags.v[df.fatal];
		uint32_t l, c;
		ds_source_linecol(&src, d->off, &l, &c);
		fail(what, "parse failed at %u:%u: %s", l, c, d->msg);
	} else {
		struct ds_buf out = DS_BUF_INIT;
		ds_dump(&df, &out);
		bool same = out.len == rlen && memcmp(out.buf ? out.buf : "", want, rlen) == 0;
		if (same) {
			npass++;
		} else {
			fail(what, "dump differs from result");
			show_first_diff(want, rlen, out.buf ? out.buf : "", out.len);
		}
		ds_buf_release(&out);
	}
	snprintf(what, sizeof what, "%s (lossless)", label);
	const char *why = check_tiling(&df, &src);
	check(!why, what, why ? why : "");
	ds_arena_release(&a);

	if (bin) {
		snprintf(what, sizeof what, "%s (distill parse --dump)", label);
		char *argv[] = { (char *)bin, "parse", "--dump", (char *)path, NULL };
		struct run r;
		if (run_cmd(argv, &r)) {
			fail(what, "cannot run %s: %s", bin, strerror(errno));
		} else {
			if (r.status != 0) {
				fail(what, "exit %d: %.*s", r.status, (int)r.errlen, r.err);
			} else if (r.outlen != rlen || memcmp(r.out, want, rlen) != 0) {
				fail(what, "output differs from result");
				show_first_diff(want, rlen, r.out, r.outlen);
			} else {
				npass++;
			}
			run_free(&r);
		}
	}
	free(data);
	free(want);
}

static void run_positive(const char *dir, const char *name, const char *bin)
{
	char path[4096], rpath[4096], what[4200];
	snprintf(path, sizeof path, "%s/testfiles/%s/Dockerfile", dir, name);
	snprintf(rpath, sizeof rpath, "%s/testfiles/%s/result", dir, name);
	snprintf(what, sizeof what, "testfiles/%s", name);
	check_dump(what, path, rpath, bin);
}

/* Parses path, which BuildKit rejects with msg (NULL: any message). */
static void check_error(const char *label, const char *path, const char *msg, const char *bin)
{
	char what[4200];
	snprintf(what, sizeof what, "%s", label);
	size_t dlen;
	char *data = ds_read_file(path, &dlen);
	if (!data) {
		fail(what, "cannot read %s: %s", path, strerror(errno));
		return;
	}
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_dockerfile df;
	struct ds_parse_opts po = { 0 };
	po.keep_tokens = true;
	ds_source_from_mem(&src, &a, path, data, dlen);
	int rc = ds_parse(&a, &src, &po, &df);
	if (rc == 0) {
		fail(what, "parsed, but BuildKit rejects this file%s%s", msg ? " with: " : "", msg ? msg : "");
	} else if (df.fatal < 0 || (size_t)df.fatal >= df.diags.n) {
		fail(what, "ds_parse failed without naming the fatal diagnostic");
	} else if (msg && strcmp(df.diags.v[df.fatal].msg, msg) != 0) {
		fail(what, "message \"%s\", want \"%s\"", df.diags.v[df.fatal].msg, msg);
	} else {
		npass++;
	}
	snprintf(what, sizeof what, "%s (lossless)", label);
	const char *why = check_tiling(&df, &src);
	check(!why, what, why ? why : "");
	ds_arena_release(&a);
	free(data);

	if (bin) {
		snprintf(what, sizeof what, "%s (distill parse --dump)", label);
		char *argv[] = { (char *)bin, "parse", "--dump", (char *)path, NULL };
		struct run r;
		if (run_cmd(argv, &r)) {
			fail(what, "cannot run %s: %s", bin, strerror(errno));
			return;
		}
		const char *why2 = NULL;
		if (r.status != 2)
			fail(what, "exit %d, want 2; stderr: %.*s", r.status, (int)r.errlen, r.err);
		else if (r.outlen)
			fail(what, "printed a dump for a rejected file");
		else if ((why2 = check_located(r.err, path, msg)) != NULL)
			fail(what, "%s; stderr: %.*s", why2, (int)r.errlen, r.err);
		else
			npass++;
		run_free(&r);
	}
}

static void run_negative(const char *dir, const char *name, const char *bin)
{
	char path[4096], what[4200];
	snprintf(path, sizeof path, "%s/testfiles-negative/%s/Dockerfile", dir, name);
	snprintf(what, sizeof what, "testfiles-negative/%s", name);
	const char *msg = NULL;
	for (size_t i = 0; i < sizeof negative_msgs / sizeof *negative_msgs; i++)
		if (!strcmp(negative_msgs[i].name, name))
			msg = negative_msgs[i].msg;
	check_error(what, path, msg, bin);
}

/*
 * Runs every case folder of dir: Dockerfile with result (a dump) or error
 * (BuildKit's message, one line). Returns the number of cases.
 */
static size_t run_cases(const char *dir, const char *bin)
{
	size_t n;
	char **names = list_dirs(dir, &n);
	for (size_t i = 0; i < n; i++) {
		char path[4096], rpath[4096], epath[4096], what[4200];
		snprintf(path, sizeof path, "%s/%s/Dockerfile", dir, names[i]);
		snprintf(rpath, sizeof rpath, "%s/%s/result", dir, names[i]);
		snprintf(epath, sizeof epath, "%s/%s/error", dir, names[i]);
		snprintf(what, sizeof what, "%s", names[i]);
		if (access(rpath, F_OK) == 0) {
			check_dump(what, path, rpath, bin);
			continue;
		}
		size_t elen;
		char *msg = ds_read_file(epath, &elen);
		if (!msg) {
			fail(what, "neither %s nor %s can be read", rpath, epath);
			continue;
		}
		if (elen && msg[elen - 1] == '\n')
			msg[--elen] = '\0';
		if (elen == 0 || memchr(msg, '\n', elen) || strlen(msg) != elen)
			fail(what, "%s must hold one message line", epath);
		else
			check_error(what, path, msg, bin);
		free(msg);
	}
	free_list(names, n);
	return n;
}

static void run_line_case(const char *dir)
{
	char path[4096];
	const char *what = "testfile-line";
	snprintf(path, sizeof path, "%s/testfile-line/Dockerfile", dir);
	size_t dlen;
	char *data = ds_read_file(path, &dlen);
	if (!data) {
		fail(what, "cannot read %s: %s", path, strerror(errno));
		return;
	}
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_dockerfile df;
	ds_source_from_mem(&src, &a, path, data, dlen);
	if (ds_parse(&a, &src, NULL, &df)) {
		fail(what, "parse failed: %s", df.diags.v[df.fatal].msg);
	} else {
		size_t want_n = sizeof line_instrs / sizeof *line_instrs;
		if (df.root_start_line != line_root[0] || df.root_end_line != line_root[1])
			fail(what, "root spans lines %u-%u, want %u-%u", df.root_start_line, df.root_end_line,
			     line_root[0], line_root[1]);
		else
			npass++;
		if (df.ninstrs != want_n) {
			fail(what, "%u instructions, want %zu", df.ninstrs, want_n);
		} else {
			for (size_t i = 0; i < want_n; i++) {
				const struct ds_instr *in = &df.instrs[i];
				if (in->start_line != line_instrs[i][0] || in->end_line != line_instrs[i][1])
					fail(what, "instruction %zu (%s) spans lines %u-%u, want %u-%u", i + 1,
					     in->keyword, in->start_line, in->end_line, line_instrs[i][0],
					     line_instrs[i][1]);
				else
					npass++;
			}
		}
	}
	ds_arena_release(&a);
	free(data);
}

int main(int argc, char **argv)
{
	const char *bin = NULL, *dir = NULL, *cases = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bin") && i + 1 < argc)
			bin = argv[++i];
		else if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			cases = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "usage: drv_buildkit [--bin DISTILL] SHARED/conformance/buildkit\n"
					"       drv_buildkit [--bin DISTILL] --cases DIR\n");
			return 2;
		} else
			dir = argv[i];
	}
	if (bin && access(bin, X_OK) != 0) {
		printf("FAIL: distill binary not found at %s\n", bin);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	if (cases) {
		if (!is_dir(cases)) {
			printf("FAIL: no case folder at %s\n", cases);
			printf("0 passed, 1 failed\n");
			return 1;
		}
		size_t n = run_cases(cases, bin);
		if (n == 0)
			fail(cases, "no cases found");
		printf("%s: %zu cases\n", cases, n);
		printf("%u passed, %u failed\n", npass, nfail);
		return nfail ? 1 : 0;
	}
	if (!dir)
		dir = "../shared/conformance/buildkit";

	char p1[4096], p2[4096], p3[4096];
	snprintf(p1, sizeof p1, "%s/testfiles", dir);
	snprintf(p2, sizeof p2, "%s/testfiles-negative", dir);
	snprintf(p3, sizeof p3, "%s/testfile-line", dir);
	if (!is_dir(p1) || !is_dir(p2) || !is_dir(p3)) {
		printf("shared data not found at %s; this test needs ../shared beside the checkout\n", dir);
		printf("0 passed, 1 failed\n");
		return 1;
	}

	size_t n;
	char **names = list_dirs(p1, &n);
	if (n == 0)
		fail("testfiles", "no cases found in %s", p1);
	for (size_t i = 0; i < n; i++)
		run_positive(dir, names[i], bin);
	printf("testfiles: %zu cases\n", n);
	free_list(names, n);

	names = list_dirs(p2, &n);
	if (n == 0)
		fail("testfiles-negative", "no cases found in %s", p2);
	for (size_t i = 0; i < n; i++)
		run_negative(dir, names[i], bin);
	printf("testfiles-negative: %zu cases\n", n);
	free_list(names, n);

	run_line_case(dir);

	printf("%u passed, %u failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
