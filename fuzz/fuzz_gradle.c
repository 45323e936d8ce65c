/* fuzz_gradle.c - libFuzzer target for the Gradle build-file reader of convert (rewrite/gradle.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rewrite/context.h"
#include "rewrite/convert.h"

/*
 * The input is a build file: written as build.gradle (or, when its length
 * is odd, build.gradle.kts) into a build context with a fixed settings
 * file, then a fixed Dockerfile whose final stage runs the start script
 * installDist writes is converted with that context. Besides sanitizer
 * reports, the target aborts when a conversion called converted does not
 * run java, or fails ds_convert_check.
 */

static struct ds_catalog *catalog;
static char dir[64];

static const char dockerfile[] = "FROM gradle:8.10-jdk21 AS build\n"
				 "WORKDIR /src\n"
				 "COPY . .\n"
				 "RUN gradle installDist\n"
				 "FROM eclipse-temurin:21-jre\n"
				 "COPY --from=build /src/build/install/svc /opt/svc\n"
				 "ENTRYPOINT [\"/opt/svc/bin/svc\"]\n"
				 "CMD [\"--port\", \"8080\"]\n";

static void broken(const char *what)
{
	fprintf(stderr, "fuzz_gradle: invariant broken: %s\n", what);
	abort();
}

static void write_file(const char *name, const uint8_t *data, size_t size)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
		broken("cannot write the build context");
}

/* Takes the build context away at exit. */
static void cleanup(void)
{
	static const char *const names[] = { "settings.gradle", "build.gradle", "build.gradle.kts", NULL };
	char p[128];
	for (size_t i = 0; names[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!catalog) {
		struct ds_catalog_error cerr;
		if (ds_catalog_load_builtin(&catalog, &cerr))
			broken("the builtin catalogue does not load");
		snprintf(dir, sizeof dir, "/tmp/fuzz-gradle-XXXXXX");
		if (!mkdtemp(dir))
			broken("no temporary folder");
		atexit(cleanup);
		static const char settings[] = "rootProject.name = 'svc'\n";
		write_file("settings.gradle", (const uint8_t *)settings, sizeof settings - 1);
	}
	const char *name = size % 2 ? "build.gradle.kts" : "build.gradle";
	char other[128];
	snprintf(other, sizeof other, "%s/%s", dir, size % 2 ? "build.gradle" : "build.gradle.kts");
	unlink(other);
	write_file(name, data, size);

	struct ds_arena a = DS_ARENA_INIT;
	struct ds_context ctx;
	const char *why;
	if (ds_context_open(&ctx, dir, &a, &why))
		broken("the build context does not open");
	struct ds_source src;
	struct ds_dockerfile df;
	ds_source_from_mem(&src, &a, "Dockerfile", dockerfile, sizeof dockerfile - 1);
	ds_source_lines(&src, &a);
	if (ds_parse(&a, &src, NULL, &df))
		broken("the fixed Dockerfile does not parse");
	struct ds_model m;
	ds_model_build(&a, &df, NULL, &m);
	struct ds_convert_opts opts;
	ds_convert_opts_init(&opts);
	opts.context = &ctx;
	struct ds_convert_result res;
	ds_convert(&a, &df, &m, catalog, &opts, &res);
	if (res.status == DS_CONVERT_CONVERTED) {
		if (!res.output || !strstr(res.output, "java"))
			broken("a converted start script that does not run java");
		if (ds_convert_check(&a, res.output, res.output_len, "Dockerfile", catalog, NULL, &why))
			broken("a converted result fails the final-stage check");
	}
	ds_context_close(&ctx);
	ds_arena_release(&a);
	return 0;
}
