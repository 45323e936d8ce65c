/* parse_throughput.c - front-end speed: parse a set of Dockerfiles N times in one process. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "parser/ast.h"

/*
 * usage: parse_throughput [--passes N] [--tokens] [--manifest MANIFEST.tsv]... [FILE]...
 *
 * Every file is read into memory once; the timed loop then parses all of
 * them --passes times (default 20) on one thread, each parse with its own
 * arena as distill does (copy into the arena, scan, parse, build the tree,
 * release). Time is CLOCK_MONOTONIC around the loop only. MB are 10^6 bytes.
 * DESIGN §8 budget: at least 100 MB/s on one core.
 */

struct input {
	char *path;
	char *data;
	size_t len;
};

static struct input *inputs;
static size_t ninputs, capinputs;

static int add_file(const char *path)
{
	size_t len;
	char *data = ds_read_file(path, &len);
	if (!data) {
		fprintf(stderr, "parse_throughput: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (ninputs == capinputs) {
		capinputs = capinputs ? 2 * capinputs : 256;
		inputs = ds_xrealloc(inputs, capinputs * sizeof *inputs);
	}
	inputs[ninputs].path = ds_xstrdup(path);
	inputs[ninputs].data = data;
	inputs[ninputs].len = len;
	ninputs++;
	return 0;
}

/* The files named in the first column of a corpus manifest (header skipped). */
static int add_manifest(const char *manifest)
{
	size_t len;
	char *m = ds_read_file(manifest, &len);
	if (!m) {
		fprintf(stderr, "parse_throughput: %s: %s\n", manifest, strerror(errno));
		return -1;
	}
	char base[4096];
	snprintf(base, sizeof base, "%s", manifest);
	char *slash = strrchr(base, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(base, ".");
	int rc = 0;
	size_t lineno = 0;
	for (char *p = m, *e = m + len; p < e;) {
		char *nl = memchr(p, '\n', (size_t)(e - p));
		char *le = nl ? nl : e;
		*le = '\0';
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		if (lineno++ > 0 && *p) {
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", base, p);
			if (add_file(path))
				rc = -1;
		}
		p = le + 1;
	}
	free(m);
	return rc;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long passes = 20;
	bool tokens = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--passes") && i + 1 < argc) {
			char *end;
			passes = strtol(argv[++i], &end, 10);
			if (*end || passes < 1) {
				fprintf(stderr, "parse_throughput: --passes wants a positive number\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--tokens")) {
			tokens = true;
		} else if (!strcmp(argv[i], "--manifest") && i + 1 < argc) {
			if (add_manifest(argv[++i]))
				return 2;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			fprintf(stderr, "usage: parse_throughput [--passes N] [--tokens] [--manifest MANIFEST.tsv]... [FILE]...\n");
			return 2;
		} else if (add_file(argv[i])) {
			return 2;
		}
	}
	if (ninputs == 0) {
		fprintf(stderr, "parse_throughput: no input files\n");
		return 2;
	}

	size_t bytes = 0;
	for (size_t i = 0; i < ninputs; i++)
		bytes += inputs[i].len;

	struct ds_parse_opts po = { 0 };
	po.keep_tokens = tokens;
	size_t failures = 0, instrs = 0;
	/* one untimed pass: warms caches and counts what the timed ones do */
	for (size_t i = 0; i < ninputs; i++) {
		struct ds_arena a = DS_ARENA_INIT;
		struct ds_source src;
		struct ds_dockerfile df;
		ds_source_from_mem(&src, &a, inputs[i].path, inputs[i].data, inputs[i].len);
		if (ds_parse(&a, &src, &po, &df))
			failures++;
		instrs += df.ninstrs;
		ds_arena_release(&a);
	}

	double t0 = now();
	for (long p = 0; p < passes; p++) {
		for (size_t i = 0; i < ninputs; i++) {
			struct ds_arena a = DS_ARENA_INIT;
			struct ds_source src;
			struct ds_dockerfile df;
			ds_source_from_mem(&src, &a, inputs[i].path, inputs[i].data, inputs[i].len);
			ds_parse(&a, &src, &po, &df);
			ds_arena_release(&a);
		}
	}
	double secs = now() - t0;

	double mb = (double)bytes * (double)passes / 1e6;
	printf("files:      %zu (%.2f MB, %zu instructions, %zu rejected by the parser)\n", ninputs,
	       (double)bytes / 1e6, instrs, failures);
	printf("passes:     %ld%s\n", passes, tokens ? " (keeping tokens)" : "");
	printf("total:      %.2f MB\n", mb);
	printf("seconds:    %.3f\n", secs);
	printf("throughput: %.1f MB/s (one core)\n", secs > 0 ? mb / secs : 0.0);
	printf("per file:   %.1f us\n", secs * 1e6 / ((double)passes * (double)ninputs));

	for (size_t i = 0; i < ninputs; i++) {
		free(inputs[i].path);
		free(inputs[i].data);
	}
	free(inputs);
	return 0;
}
