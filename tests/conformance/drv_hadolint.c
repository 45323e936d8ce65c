/* drv_hadolint.c - runs hadolint's rule specification cases (tests/hadolint-spec) through `distill lint`. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/buf.h"
#include "conformance/runbin.h"

/*
 * usage: drv_hadolint --bin DISTILL --cases DIR [--verbose]
 *
 * Every DIR/NAME.cases file holds cases taken from one of hadolint's
 * specifications (format: DIR/README.md). Each case's Dockerfile is linted
 * with `distill lint --profile hadolint --format json` and the case's
 * configuration as a .hadolint.yaml; the findings with the case's code are
 * counted and compared with its expectation:
 *   catches      at least one (hadolint's ruleCatches)
 *   none         none (ruleCatchesNot, onBuildRuleCatchesNot, failsWith 0)
 *   exactly N    exactly N (onBuildRuleCatches, failsWith N)
 * The code "SC" stands for any ShellCheck finding; those cases are skipped
 * when shellcheck is not installed. DIR/DIFFERENCES lists the cases where
 * distill differs on purpose ("FILE:N CODE reason", N counting the file's
 * cases from 1); each must still differ, and `distill rules CODE` must say
 * how ("hadolint" in its text). The last line is "N passed, M failed"; a
 * line before it counts the cases that agree with hadolint.
 */

struct kase {
	char file[64];
	unsigned n;         /* ordinal in its file, from 1 */
	char code[32];
	int min, max;       /* how many findings of code pass: [min, max] */
	bool onbuild;
	char *title, *config;
	struct ds_buf text;
};

static const char *bin;
static bool verbose, have_shellcheck;
static char tmpdir[4096];
static unsigned agree, differ_doc, failed, skipped, total;

struct difference {
	char key[96];
	char code[48];  /* the rule whose `distill rules CODE` explains it */
	char *reason;
	bool seen;
};
static struct difference *diffs;
static size_t ndiffs;

static void load_differences(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/DIFFERENCES", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *sp = strchr(line, ' ');
		char *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
		if (!sp2)
			continue;
		*sp = *sp2 = '\0';
		diffs = ds_xrealloc(diffs, (ndiffs + 1) * sizeof *diffs);
		struct difference *d = &diffs[ndiffs++];
		snprintf(d->key, sizeof d->key, "%.90s", line);
		snprintf(d->code, sizeof d->code, "%.40s", sp + 1);
		d->reason = ds_xstrdup(sp2 + 1);
		d->seen = false;
	}
	fclose(f);
}

static struct difference *difference_of(const struct kase *k)
{
	char key[96];
	snprintf(key, sizeof key, "%s:%u", k->file, k->n);
	for (size_t i = 0; i < ndiffs; i++)
		if (!strcmp(diffs[i].key, key))
			return &diffs[i];
	return NULL;
}

static bool write_text(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	bool ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

/* How many findings of code (or, for "SC", of any ShellCheck code) the json output holds. */
static int count_code(const char *out, const char *code)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"code\": \"%s%s", code, strcmp(code, "SC") ? "\"" : "");
	int n = 0;
	for (const char *p = out; (p = strstr(p, pat)); p += strlen(pat))
		n++;
	return n;
}

/* Whether `distill rules code` says how distill differs from hadolint. */
static bool documented(const char *code)
{
	char *argv[] = { (char *)bin, "rules", (char *)code, NULL };
	struct run r;
	if (run_cmd(argv, &r))
		return false;
	bool ok = r.status == 0 && strstr(r.out, "hadolint");
	run_free(&r);
	return ok;
}

static void run_case(struct kase *k)
{
	total++;
	if (!strcmp(k->code, "SC") && !have_shellcheck) {
		skipped++;
		return;
	}
	char df[4200], cfg[4200];
	snprintf(df, sizeof df, "%s/Dockerfile", tmpdir);
	snprintf(cfg, sizeof cfg, "%s/.hadolint.yaml", tmpdir);
	const char *c = k->config ? k->config : "{}";
	if (!write_text(df, k->text.buf ? k->text.buf : "", k->text.len) || !write_text(cfg, c, strlen(c))) {
		printf("FAIL %s:%u: cannot write the case to %s\n", k->file, k->n, tmpdir);
		failed++;
		return;
	}
	char *argv[16];
	int argc = 0;
	argv[argc++] = (char *)bin;
	argv[argc++] = "lint";
	argv[argc++] = "--profile";
	argv[argc++] = "hadolint";
	argv[argc++] = "--format";
	argv[argc++] = "json";
	argv[argc++] = "--failure-threshold";
	argv[argc++] = "none";
	argv[argc++] = "--config";
	argv[argc++] = cfg;
	if (strcmp(k->code, "SC")) {
		/* what hadolint's helpers count does not depend on the rule's severity */
		argv[argc++] = "--warning";
		argv[argc++] = k->code;
		argv[argc++] = "--no-shellcheck";
	}
	argv[argc++] = df;
	argv[argc] = NULL;
	struct run r;
	if (run_cmd(argv, &r)) {
		printf("FAIL %s:%u: cannot run %s\n", k->file, k->n, bin);
		failed++;
		return;
	}
	int got = count_code(r.out, k->code);
	bool ok = r.status == 0 && got >= k->min && got <= k->max;
	struct difference *d = difference_of(k);
	if (d) {
		d->seen = true;
		if (ok) {
			printf("FAIL %s:%u: listed in DIFFERENCES but agrees with hadolint now: remove it\n", k->file, k->n);
			failed++;
		} else if (!documented(d->code)) {
			printf("FAIL %s:%u: `distill rules %s` does not say how it differs from hadolint\n", k->file, k->n,
			       d->code);
			failed++;
		} else {
			differ_doc++;
		}
	} else if (ok) {
		agree++;
	} else {
		failed++;
		printf("FAIL %s:%u: %s: expected %s%d%s, got %d (exit %d)\n  it %s\n", k->file, k->n, k->code,
		       k->min == k->max ? "exactly " : k->max > 1000 ? "at least " : "", k->min,
		       k->max == 0 ? " (none)" : "", got, r.status, k->title ? k->title : "");
		if (k->config)
			printf("  config %s\n", k->config);
		const char *t = k->text.buf ? k->text.buf : "";
		for (const char *p = t; *p;) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			printf("  | %.*s\n", (int)n, p);
			p = e ? e + 1 : p + n;
		}
		if (verbose)
			printf("%s%s", r.out, r.err);
	}
	run_free(&r);
}

static void case_reset(struct kase *k)
{
	free(k->title);
	free(k->config);
	ds_buf_release(&k->text);
	memset(k, 0, sizeof *k);
}

/* Parses "catches", "none", "exactly N" and " onbuild" after the code. */
static bool parse_expect(struct kase *k, const char *s)
{
	if (!strncmp(s, "catches", 7)) {
		k->min = 1, k->max = 1 << 30;
		s += 7;
	} else if (!strncmp(s, "none", 4)) {
		k->min = k->max = 0;
		s += 4;
	} else if (!strncmp(s, "exactly ", 8)) {
		char *end;
		k->min = k->max = (int)strtol(s + 8, &end, 10);
		s = end;
	} else {
		return false;
	}
	k->onbuild = !strcmp(s, " onbuild");
	return !*s || k->onbuild;
}

static void run_file(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("FAIL %s: cannot open\n", path);
		failed++;
		return;
	}
	struct kase k;
	memset(&k, 0, sizeof k);
	bool have = false;
	unsigned n = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!strncmp(line, "case ", 5)) {
			if (have)
				run_case(&k);
			case_reset(&k);
			have = true;
			size_t nl = strlen(name) < sizeof k.file ? strlen(name) : sizeof k.file - 1;
			memcpy(k.file, name, nl);
			k.file[nl] = '\0';
			k.n = ++n;
			char *sp = strchr(line + 5, ' ');
			if (!sp || (size_t)(sp - line - 5) >= sizeof k.code || !parse_expect(&k, sp + 1)) {
				printf("FAIL %s:%u: bad case line '%s'\n", name, n, line);
				failed++;
				have = false;
				continue;
			}
			memcpy(k.code, line + 5, (size_t)(sp - line - 5));
		} else if (have && !strncmp(line, "it ", 3)) {
			k.title = ds_xstrdup(line + 3);
		} else if (have && !strncmp(line, "config ", 7)) {
			k.config = ds_xstrdup(line + 7);
		} else if (have && line[0] == '|') {
			ds_buf_adds(&k.text, line[1] == ' ' ? line + 2 : line + 1);
			ds_buf_addc(&k.text, '\n');
		}
	}
	if (have)
		run_case(&k);
	case_reset(&k);
	free(line);
	fclose(f);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_cases(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 6 && !strcmp(e->d_name + n - 6, ".cases");
}

static bool shellcheck_on_path(void)
{
	const char *path = getenv("PATH");
	char buf[4096];
	for (const char *p = path ? path : ""; *p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof buf, "%.*s/shellcheck", (int)n, p);
		if (n && access(buf, X_OK) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bin") && i + 1 < argc)
			bin = argv[++i];
		else if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--verbose"))
			verbose = true;
		else {
			fprintf(stderr, "usage: drv_hadolint --bin DISTILL --cases DIR [--verbose]\n");
			return 2;
		}
	}
	if (!bin || !dir) {
		fprintf(stderr, "usage: drv_hadolint --bin DISTILL --cases DIR [--verbose]\n");
		return 2;
	}
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/ds-hadolint-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("FAIL: cannot create a temporary folder\n0 passed, 1 failed\n");
		return 1;
	}
	have_shellcheck = shellcheck_on_path();
	load_differences(dir);
	struct dirent **ents;
	int n = scandir(dir, &ents, is_cases, by_name);
	if (n <= 0) {
		printf("FAIL: no .cases files in %s\n0 passed, 1 failed\n", dir);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		run_file(dir, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	for (size_t i = 0; i < ndiffs; i++) {
		if (!diffs[i].seen) {
			printf("FAIL DIFFERENCES: %s names no case\n", diffs[i].key);
			failed++;
		}
		free(diffs[i].reason);
	}
	free(diffs);
	char p[4200];
	snprintf(p, sizeof p, "%s/Dockerfile", tmpdir);
	unlink(p);
	snprintf(p, sizeof p, "%s/.hadolint.yaml", tmpdir);
	unlink(p);
	rmdir(tmpdir);
	printf("hadolint spec: %u of %u cases agree with hadolint, %u differ as documented, %u skipped (no shellcheck)\n",
	       agree, total, differ_doc, skipped);
	printf("%u passed, %u failed\n", agree + differ_doc, failed);
	return failed ? 1 : 0;
}
