/* drv_shell.c - runs BuildKit's shell-lexer data (envVarTest, wordsTest) through parser/shellwords. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/arena.h"
#include "common/buf.h"
#include "parser/shellwords.h"

/*
 * The file formats are described in shared/conformance/README.md ("Shell-lexer
 * data"); the reading below mirrors upstream's lex_test.go: lines as
 * bufio.Scanner gives them (a final \r dropped), envVarTest rows trimmed and
 * split on |, wordsTest ENV lines accumulating, later entries winning.
 */

struct env_entry {
	char *name, *value;
	size_t nlen, vlen;
};

struct env {
	struct env_entry *v;
	size_t n, cap;
};

static void env_set(struct env *e, const char *name, size_t nlen, const char *value, size_t vlen)
{
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i].nlen == nlen && memcmp(e->v[i].name, name, nlen) == 0) {
			free(e->v[i].value);
			e->v[i].value = ds_xmalloc(vlen + 1);
			memcpy(e->v[i].value, value, vlen);
			e->v[i].value[vlen] = '\0';
			e->v[i].vlen = vlen;
			return;
		}
	}
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 8;
		e->v = ds_xrealloc(e->v, e->cap * sizeof *e->v);
	}
	struct env_entry *x = &e->v[e->n++];
	x->name = ds_xmalloc(nlen + 1);
	memcpy(x->name, name, nlen);
	x->name[nlen] = '\0';
	x->nlen = nlen;
	x->value = ds_xmalloc(vlen + 1);
	memcpy(x->value, value, vlen);
	x->value[vlen] = '\0';
	x->vlen = vlen;
}

/* "NAME=VALUE" as EnvsFromSlice cuts it; no = means an empty value */
static void env_set_entry(struct env *e, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	if (!eq)
		env_set(e, s, n, "", 0);
	else
		env_set(e, s, (size_t)(eq - s), eq + 1, n - (size_t)(eq - s) - 1);
}

static void env_release(struct env *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].name);
		free(e->v[i].value);
	}
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}

static const char *env_lookup(void *ctx, const char *name, size_t len, size_t *vlen)
{
	const struct env *e = ctx;
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i].nlen == len && memcmp(e->v[i].name, name, len) == 0) {
			*vlen = e->v[i].vlen;
			return e->v[i].value;
		}
	}
	return NULL;
}

static bool is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_ascii_space(**s))
		(*s)++, (*n)--;
	while (*n && is_ascii_space((*s)[*n - 1]))
		(*n)--;
}

/* Prints s[0..n) as a C-style quoted string, for failure reports. */
static void print_quoted(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Iterates lines as bufio.ScanLines does: \n ends a line, a \r before it is dropped. */
static bool next_line(const char *buf, size_t len, size_t *pos, const char **line, size_t *n)
{
	if (*pos >= len)
		return false;
	const char *s = buf + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	size_t k = nl ? (size_t)(nl - s) : len - *pos;
	*pos += nl ? k + 1 : k;
	if (k && s[k - 1] == '\r')
		k--;
	*line = s;
	*n = k;
	return true;
}

struct tally {
	unsigned pass, fail;
};

static void report_head(const char *file, unsigned lineno, const char *in, size_t inlen)
{
	printf("FAIL %s:%u: input ", file, lineno);
	print_quoted(stdout, in, inlen);
}

static void run_env_var_test(const char *dir, struct tally *t, bool *broken)
{
	static const char fname[] = "envVarTest";
	char path[4096];
	size_t len, pos = 0, n;
	const char *line;
	unsigned lineno = 0, pass0 = t->pass, fail0 = t->fail;

	snprintf(path, sizeof path, "%s/%s", dir, fname);
	char *buf = ds_read_file(path, &len);
	if (!buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		*broken = true;
		return;
	}

	struct env env = { NULL, 0, 0 };
	env_set_entry(&env, "PWD=/home", 9);
	env_set_entry(&env, "SHELL=bash", 10);
	env_set_entry(&env, "KOREAN=\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", 16);
	env_set_entry(&env, "NULL=", 5);

	struct ds_shlex lx;
	ds_shlex_init(&lx, '\\');
	lx.lookup = env_lookup;
	lx.ctx = &env;

	while (next_line(buf, len, &pos, &line, &n)) {
		lineno++;
		if (n && line[0] == '#')
			continue;
		trim(&line, &n);
		if (!n)
			continue;
		const char *f[3];
		size_t fl[3], nf = 0;
		const char *s = line, *end = line + n;
		for (;;) {
			const char *bar = memchr(s, '|', (size_t)(end - s));
			const char *fe = bar ? bar : end;
			if (nf < 3) {
				f[nf] = s;
				fl[nf] = (size_t)(fe - s);
			}
			nf++;
			if (!bar)
				break;
			s = bar + 1;
		}
		if (nf != 3) {
			printf("FAIL %s:%u: malformed row (want 3 fields split by |)\n", fname, lineno);
			t->fail++;
			continue;
		}
		for (int i = 0; i < 3; i++)
			trim(&f[i], &fl[i]);
		if (fl[0] == 1 && f[0][0] == 'W')
			continue;
		if (fl[0] != 1 || (f[0][0] != 'A' && f[0][0] != 'U')) {
			printf("FAIL %s:%u: invalid platform tag, must be W, A or U\n", fname, lineno);
			t->fail++;
			continue;
		}

		struct ds_arena a = DS_ARENA_INIT;
		const char *out = NULL, *err = NULL;
		size_t outlen = 0;
		int rc = ds_shlex_word(&lx, &a, f[1], fl[1], &out, &outlen, &err);
		bool want_error = fl[2] == 5 && memcmp(f[2], "error", 5) == 0;
		bool ok = want_error ? rc != 0 : rc == 0 && outlen == fl[2] && memcmp(out, f[2], outlen) == 0;
		if (ok) {
			t->pass++;
		} else {
			t->fail++;
			report_head(fname, lineno, f[1], fl[1]);
			printf(" expected ");
			if (want_error)
				printf("an error");
			else
				print_quoted(stdout, f[2], fl[2]);
			printf(" got ");
			if (rc)
				printf("error: %s", err);
			else
				print_quoted(stdout, out, outlen);
			printf("\n");
		}
		ds_arena_release(&a);
	}
	printf("%s: %u of %u rows passed\n", fname, t->pass - pass0,
	       (t->pass - pass0) + (t->fail - fail0));
	env_release(&env);
	free(buf);
}

static void run_words_test(const char *dir, struct tally *t, bool *broken)
{
	static const char fname[] = "wordsTest";
	char path[4096];
	size_t len, pos = 0, n;
	const char *line;
	unsigned lineno = 0, pass0 = t->pass, fail0 = t->fail;

	snprintf(path, sizeof path, "%s/%s", dir, fname);
	char *buf = ds_read_file(path, &len);
	if (!buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		*broken = true;
		return;
	}

	struct env env = { NULL, 0, 0 };
	struct ds_shlex lx;
	ds_shlex_init(&lx, '\\');
	lx.lookup = env_lookup;
	lx.ctx = &env;

	while (next_line(buf, len, &pos, &line, &n)) {
		lineno++;
		if (n && line[0] == '#')
			continue;
		if (n >= 4 && memcmp(line, "ENV ", 4) == 0) {
			const char *s = line + 3;
			size_t k = n - 3;
			while (k && *s == ' ')
				s++, k--;
			env_set_entry(&env, s, k);
			continue;
		}
		if (!n)
			continue;
		const char *bar = memchr(line, '|', n);
		if (!bar || memchr(bar + 1, '|', n - (size_t)(bar - line) - 1)) {
			printf("FAIL %s:%u: malformed row (want exactly one |)\n", fname, lineno);
			t->fail++;
			continue;
		}
		const char *in = line;
		size_t inlen = (size_t)(bar - line);
		trim(&in, &inlen);
		const char *exp = bar + 1;
		size_t explen = n - (size_t)(bar - line) - 1;
		while (explen && *exp == ' ')
			exp++, explen--;

		struct ds_arena a = DS_ARENA_INIT;
		struct ds_shword *words = NULL;
		size_t nw = 0;
		const char *err = NULL;
		int rc = ds_shlex_words(&lx, &a, in, inlen, &words, &nw, &err);
		if (rc) {
			/* upstream compares an error as the single word "error" */
			static struct ds_shword errword = { "error", 5 };
			words = &errword;
			nw = 1;
		}
		/* expected: split on every comma */
		bool ok = true;
		size_t i = 0;
		const char *s = exp, *end = exp + explen;
		for (;; i++) {
			const char *comma = memchr(s, ',', (size_t)(end - s));
			const char *we = comma ? comma : end;
			size_t wl = (size_t)(we - s);
			if (i >= nw || words[i].len != wl || memcmp(words[i].text, s, wl) != 0)
				ok = false;
			if (!comma)
				break;
			s = comma + 1;
		}
		if (i + 1 != nw)
			ok = false;
		if (ok) {
			t->pass++;
		} else {
			t->fail++;
			report_head(fname, lineno, in, inlen);
			printf(" expected [");
			print_quoted(stdout, exp, explen);
			printf(" split on ,] got [");
			for (size_t k = 0; k < nw; k++) {
				if (k)
					printf(", ");
				print_quoted(stdout, words[k].text, words[k].len);
			}
			printf("]");
			if (rc)
				printf(" (%s)", err);
			printf("\n");
		}
		ds_arena_release(&a);
	}
	printf("%s: %u of %u rows passed\n", fname, t->pass - pass0,
	       (t->pass - pass0) + (t->fail - fail0));
	env_release(&env);
	free(buf);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/conformance/buildkit-shell";
	struct stat st;
	char p1[4096], p2[4096];

	snprintf(p1, sizeof p1, "%s/envVarTest", dir);
	snprintf(p2, sizeof p2, "%s/wordsTest", dir);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || stat(p1, &st) != 0 || stat(p2, &st) != 0) {
		fprintf(stderr,
			"shared data not found at %s: the conformance-shell test needs ../shared beside the checkout\n",
			dir);
		printf("0 passed, 1 failed\n");
		return 1;
	}

	struct tally t = { 0, 0 };
	bool broken = false;
	run_env_var_test(dir, &t, &broken);
	run_words_test(dir, &t, &broken);
	if (broken)
		t.fail++;
	printf("%u passed, %u failed\n", t.pass, t.fail);
	return t.fail ? 1 : 0;
}
