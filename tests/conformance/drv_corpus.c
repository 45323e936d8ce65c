/* drv_corpus.c - parses a corpus of real Dockerfiles: acceptance, losslessness, valid JSON. */
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
#include "common/str.h"
#include "parser/ast.h"

/*
 * usage: drv_corpus [--bin DISTILL] [--manifest MANIFEST.tsv]... [FILE]...
 *
 * Every file (those named in the first column of each manifest, relative to
 * the manifest's folder, then the FILE arguments) must
 *   parse   ds_parse accepts it, as BuildKit would;
 *   tile    the tokens kept with keep_tokens follow each other without gap
 *           or overlap from byte 0 to the end, and their concatenation is
 *           the file byte for byte (DESIGN §4, lossless);
 *   json    ds_dump_json and, with --bin, `distill parse --json FILE` print
 *           one valid JSON value (RFC 8259, strict: UTF-8, no trailing
 *           commas, no control characters in strings) and nothing else.
 * A failure names the file and the reason; the last line is "N passed, M
 * failed" over all (file, property) checks.
 */

static unsigned npass, nfail;
/* the files to run through `distill parse --json` (with --bin) */
static char **cli_paths;
static size_t ncli_paths, capcli_paths;

static void fail(const char *file, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(const char *file, const char *what, const char *fmt, ...)
{
	va_list ap;
	printf("FAIL %s: %s: ", file, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	nfail++;
}

/* ---- a strict JSON validator (RFC 8259) ---- */

struct jv {
	const unsigned char *s, *e, *p;
	const char *err;
	unsigned depth;
};

#define JV_MAX_DEPTH 512

static void jv_ws(struct jv *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool jv_fail(struct jv *j, const char *msg)
{
	if (!j->err)
		j->err = msg;
	return false;
}

/* One UTF-8 sequence at j->p (first byte >= 0x80): shortest form, no surrogates. */
static bool jv_utf8(struct jv *j)
{
	unsigned char c = *j->p;
	size_t k;
	uint32_t cp, min;
	if (c >= 0xC2 && c <= 0xDF)
		k = 1, cp = c & 0x1Fu, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 2, cp = c & 0x0Fu, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 3, cp = c & 0x07u, min = 0x10000;
	else
		return jv_fail(j, "invalid UTF-8 lead byte in a string");
	if ((size_t)(j->e - j->p) <= k)
		return jv_fail(j, "truncated UTF-8 sequence");
	for (size_t i = 1; i <= k; i++) {
		if ((j->p[i] & 0xC0) != 0x80)
			return jv_fail(j, "invalid UTF-8 continuation byte");
		cp = (cp << 6) | (j->p[i] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return jv_fail(j, "overlong or out-of-range UTF-8 sequence");
	j->p += k + 1;
	return true;
}

static bool jv_hex4(struct jv *j, unsigned *v)
{
	if (j->e - j->p < 4)
		return jv_fail(j, "truncated \\u escape");
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int h = ds_str_hexval((char)j->p[i]);
		if (h < 0)
			return jv_fail(j, "bad hex digit in \\u escape");
		*v = *v * 16 + (unsigned)h;
	}
	j->p += 4;
	return true;
}

static bool jv_string(struct jv *j)
{
	j->p++; /* the opening quote */
	while (j->p < j->e) {
		unsigned char c = *j->p;
		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return jv_fail(j, "unescaped control character in a string");
		if (c >= 0x80) {
			if (!jv_utf8(j))
				return false;
			continue;
		}
		j->p++;
		if (c != '\\')
			continue;
		if (j->p >= j->e)
			return jv_fail(j, "unterminated escape");
		c = *j->p++;
		if (strchr("\"\\/bfnrt", c) && c)
			continue;
		if (c != 'u')
			return jv_fail(j, "invalid escape in a string");
		unsigned v;
		if (!jv_hex4(j, &v))
			return false;
		if (v >= 0xDC00 && v <= 0xDFFF)
			return jv_fail(j, "lone low surrogate escape");
		if (v >= 0xD800 && v <= 0xDBFF) {
			unsigned lo;
			if (j->e - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
				return jv_fail(j, "lone high surrogate escape");
			j->p += 2;
			if (!jv_hex4(j, &lo))
				return false;
			if (lo < 0xDC00 || lo > 0xDFFF)
				return jv_fail(j, "high surrogate not followed by a low one");
		}
	}
	return jv_fail(j, "unterminated string");
}

static bool jv_digits(struct jv *j)
{
	const unsigned char *d = j->p;
	while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > d;
}

static bool jv_number(struct jv *j)
{
	if (*j->p == '-')
		j->p++;
	if (j->p < j->e && *j->p == '0')
		j->p++;
	else if (!jv_digits(j))
		return jv_fail(j, "bad number");
	if (j->p < j->e && *j->p == '.') {
		j->p++;
		if (!jv_digits(j))
			return jv_fail(j, "bad number fraction");
	}
	if (j->p < j->e && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->e && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!jv_digits(j))
			return jv_fail(j, "bad number exponent");
	}
	return true;
}

static bool jv_value(struct jv *j);

static bool jv_container(struct jv *j, unsigned char close)
{
	if (++j->depth > JV_MAX_DEPTH)
		return jv_fail(j, "nesting too deep");
	j->p++;
	jv_ws(j);
	if (j->p < j->e && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		if (close == '}') {
			if (j->p >= j->e || *j->p != '"')
				return jv_fail(j, "object key is not a string");
			if (!jv_string(j))
				return false;
			jv_ws(j);
			if (j->p >= j->e || *j->p != ':')
				return jv_fail(j, "missing ':' after an object key");
			j->p++;
		}
		if (!jv_value(j))
			return false;
		jv_ws(j);
		if (j->p >= j->e)
			return jv_fail(j, "unterminated array or object");
		if (*j->p == close) {
			j->p++;
			j->depth--;
			return true;
		}
		if (*j->p != ',')
			return jv_fail(j, "missing ',' between elements");
		j->p++;
		jv_ws(j);
	}
}

static bool jv_lit(struct jv *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->e - j->p) < n || memcmp(j->p, w, n) != 0)
		return jv_fail(j, "unexpected character");
	j->p += n;
	return true;
}

static bool jv_value(struct jv *j)
{
	jv_ws(j);
	if (j->p >= j->e)
		return jv_fail(j, "expected a value, found the end");
	switch (*j->p) {
	case '{': return jv_container(j, '}');
	case '[': return jv_container(j, ']');
	case '"': return jv_string(j);
	case 't': return jv_lit(j, "true");
	case 'f': return jv_lit(j, "false");
	case 'n': return jv_lit(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return jv_number(j);
		return jv_fail(j, "unexpected character");
	}
}

/* NULL when s[0..n) is exactly one JSON value (surrounding white space allowed), else why not. */
static const char *json_check(const char *s, size_t n, size_t *err_at)
{
	struct jv j = { (const unsigned char *)s, (const unsigned char *)s + n, (const unsigned char *)s,
			NULL, 0 };
	if (jv_value(&j)) {
		jv_ws(&j);
		if (j.p != j.e)
			jv_fail(&j, "text after the JSON value");
	}
	*err_at = (size_t)(j.p - j.s);
	return j.err;
}

/* ---- running the distill binary ---- */

/*
 * Runs bin parse --json PATHS... with stdout into *out. Returns the exit
 * status (128 + signal when killed), -1 if it could not run.
 */
static int run_json(const char *bin, char *const *paths, size_t n, char **out, size_t *outlen)
{
	char tmpl[4096];
	const char *dir = getenv("TMPDIR");
	snprintf(tmpl, sizeof tmpl, "%s/ds-corpus-XXXXXX", dir && *dir ? dir : "/tmp");
	int fo = mkstemp(tmpl);
	if (fo < 0)
		return -1;
	char **argv = ds_xcalloc(n + 4, sizeof *argv);
	argv[0] = (char *)bin;
	argv[1] = "parse";
	argv[2] = "--json";
	for (size_t i = 0; i < n; i++)
		argv[3 + i] = paths[i];
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 2);
		}
		dup2(fo, 1);
		execv(bin, argv);
		_exit(127);
	}
	free(argv);
	close(fo);
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		unlink(tmpl);
		return -1;
	}
	*out = ds_read_file(tmpl, outlen);
	unlink(tmpl);
	if (!*out)
		*out = ds_xstrdup(""), *outlen = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* ---- the checks ---- */

static void check_file(const char *path, const char *bin)
{
	size_t len;
	char *data = ds_read_file(path, &len);
	if (!data) {
		fail(path, "read", "%s", strerror(errno));
		return;
	}
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	struct ds_dockerfile df;
	struct ds_parse_opts po = { 0 };
	po.keep_tokens = true;
	ds_source_from_mem(&src, &a, path, data, len);
	int rc = ds_parse(&a, &src, &po, &df);

	/* parse */
	if (rc) {
		const struct ds_diag *d = &df.diags.v[df.fatal];
		uint32_t l, c;
		ds_source_linecol(&src, d->off, &l, &c);
		fail(path, "parse", "%u:%u: %s", l, c, d->msg);
	} else {
		npass++;
	}

	/* tile: contiguous tokens over the whole file, and their bytes are the file */
	const char *why = NULL;
	size_t at = 0;
	struct ds_buf cat = DS_BUF_INIT;
	for (size_t i = 0; i < df.ntokens && !why; i++) {
		const struct ds_token *t = &df.tokens[i];
		if (t->off != at)
			why = t->off > at ? "gap before token" : "token overlaps the previous one";
		else if (t->len == 0)
			why = "empty token";
		else if ((size_t)t->off + t->len > len)
			why = "token past the end of the file";
		else
			ds_buf_add(&cat, src.data + t->off, t->len), at += t->len;
		if (why)
			at = t->off;
	}
	if (!why && at != len)
		why = "tokens end before the end of the file";
	if (!why && (cat.len != len || (len && memcmp(cat.buf, data, len) != 0)))
		why = "the tokens' bytes differ from the file";
	if (why) {
		uint32_t l, c;
		ds_source_linecol(&src, at, &l, &c);
		fail(path, "lossless", "%s at %u:%u (byte %zu of %zu)", why, l, c, at, len);
	} else {
		npass++;
	}
	ds_buf_release(&cat);

	/* json, in-process */
	struct ds_buf j = DS_BUF_INIT;
	ds_dump_json(&df, &j);
	size_t err_at;
	const char *jerr = json_check(j.buf ? j.buf : "", j.len, &err_at);
	if (jerr)
		fail(path, "json", "ds_dump_json: %s at byte %zu", jerr, err_at);
	else
		npass++;
	ds_buf_release(&j);
	ds_arena_release(&a);
	free(data);

	/* json through the command line: later, in batches (see cli_json) */
	if (bin) {
		if (ncli_paths == capcli_paths) {
			capcli_paths = capcli_paths ? 2 * capcli_paths : 256;
			cli_paths = ds_xrealloc(cli_paths, capcli_paths * sizeof *cli_paths);
		}
		cli_paths[ncli_paths++] = ds_xstrdup(path);
	}
}

/* Checks the output of `distill parse --json` for one file: one valid JSON line. */
static void cli_json_one(const char *bin, char *path)
{
	char *out = NULL;
	size_t outlen = 0, err_at;
	const char *jerr;
	int st = run_json(bin, &path, 1, &out, &outlen);
	if (st < 0)
		fail(path, "json", "cannot run %s: %s", bin, strerror(errno));
	else if (st != 0 && st != 2)
		fail(path, "json", "distill parse --json exited %d", st);
	else if ((jerr = json_check(out, outlen, &err_at)) != NULL)
		fail(path, "json", "distill parse --json: %s at byte %zu", jerr, err_at);
	else if (outlen == 0 || out[outlen - 1] != '\n' || memchr(out, '\n', outlen) != out + outlen - 1)
		fail(path, "json", "distill parse --json: not one line ending in a newline");
	else
		npass++;
	free(out);
}

/*
 * One process per batch of files keeps this quick under sanitizers: the
 * output must be one JSON document per line, one line per file, in order.
 * When a batch does not look like that, its files are run one at a time
 * so that the failure names the file.
 */
static void cli_json(const char *bin)
{
	const size_t batch = 64;
	for (size_t b = 0; b < ncli_paths; b += batch) {
		size_t n = ncli_paths - b < batch ? ncli_paths - b : batch;
		char *out = NULL;
		size_t outlen = 0, lines = 0;
		int st = run_json(bin, cli_paths + b, n, &out, &outlen);
		bool ok = st == 0 || st == 2;
		for (size_t at = 0; ok && at < outlen; lines++) {
			const char *nl = memchr(out + at, '\n', outlen - at);
			size_t err_at;
			if (!nl || json_check(out + at, (size_t)(nl - out) - at, &err_at))
				ok = false;
			else
				at = (size_t)(nl - out) + 1;
		}
		if (ok && lines == n)
			npass += (unsigned)n;
		else
			for (size_t i = 0; i < n; i++)
				cli_json_one(bin, cli_paths[b + i]);
		free(out);
	}
	for (size_t i = 0; i < ncli_paths; i++)
		free(cli_paths[i]);
	free(cli_paths);
}

/* Runs every file named by manifest (first column, header row skipped). Returns the count. */
static size_t run_manifest(const char *manifest, const char *bin)
{
	size_t len;
	char *m = ds_read_file(manifest, &len);
	if (!m) {
		fail(manifest, "manifest", "%s", strerror(errno));
		return 0;
	}
	char base[4096];
	snprintf(base, sizeof base, "%s", manifest);
	char *slash = strrchr(base, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(base, ".");
	size_t n = 0, lineno = 0;
	for (char *p = m, *e = m + len; p < e;) {
		char *nl = memchr(p, '\n', (size_t)(e - p));
		char *le = nl ? nl : e;
		if (le > p && le[-1] == '\r')
			le[-1] = '\0';
		*le = '\0';
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		if (lineno++ > 0 && *p) {
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", base, p);
			check_file(path, bin);
			n++;
		}
		p = le + 1;
	}
	free(m);
	return n;
}

/* A built-in self-check of the validator, so a broken one cannot pass everything. */
static bool validator_ok(void)
{
	static const char *const good[] = { "{}", "[]", " [1, -0.5e+3, true, false, null, \"\\u00e9\\ud83d\\ude00\"] ",
					    "{\"a\":{\"b\":[\"\xc3\xa9\"]}}\n", "0", "\"\"" };
	static const char *const bad[] = { "", "{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "\"\x01\"",
					   "\"\\x\"", "\"\\ud800\"", "\"\xff\"", "\"\xc0\x80\"", "{} {}",
					   "{a:1}", "[NaN]", "'a'", "[\"a\" \"b\"]", "\"\xed\xa0\x80\"" };
	size_t at;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (json_check(good[i], strlen(good[i]), &at)) {
			printf("FAIL validator: rejects valid JSON %s\n", good[i]);
			return false;
		}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (!json_check(bad[i], strlen(bad[i]), &at)) {
			printf("FAIL validator: accepts invalid JSON %s\n", bad[i]);
			return false;
		}
	return true;
}

int main(int argc, char **argv)
{
	const char *bin = NULL;
	size_t files = 0;
	if (!validator_ok()) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	/* options first, so --bin applies to every file wherever it stands */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bin") && i + 1 < argc) {
			bin = argv[++i];
		} else if (!strcmp(argv[i], "--manifest") && i + 1 < argc) {
			i++;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			fprintf(stderr, "usage: drv_corpus [--bin DISTILL] [--manifest MANIFEST.tsv]... [FILE]...\n");
			return 2;
		}
	}
	if (bin && access(bin, X_OK) != 0) {
		printf("FAIL: distill binary not found at %s\n0 passed, 1 failed\n", bin);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bin")) {
			i++;
		} else if (!strcmp(argv[i], "--manifest")) {
			files += run_manifest(argv[++i], bin);
		} else {
			check_file(argv[i], bin);
			files++;
		}
	}
	if (bin)
		cli_json(bin);
	if (files == 0) {
		printf("FAIL: no files given\n");
		nfail++;
	}
	printf("%zu files\n%u passed, %u failed\n", files, npass, nfail);
	return nfail ? 1 : 0;
}
