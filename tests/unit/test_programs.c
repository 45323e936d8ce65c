/* test_programs.c - unit tests for rewrite/programs: the runtime of a program from the build context, by its ELF headers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "elfgen.h"
#include "parsetext.h"
#include "parser/ast.h"
#include "rewrite/context.h"

#include <unistd.h>
#include "rewrite/convert.h"

static struct ds_arena arena;
static struct ds_catalog *cat;
static char root[64];

static int setup(void **state)
{
	(void)state;
	ds_arena_init(&arena);
	snprintf(root, sizeof root, "/tmp/ds-prog-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	char p[128];
	snprintf(p, sizeof p, "%s/bin", root);
	if (mkdir(p, 0755) < 0)
		return -1;
	struct ds_catalog_error err;
	return ds_catalog_load_builtin(&cat, &err);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	ds_arena_release(&arena);
	ds_catalog_free(cat);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes n bytes as context file bin/NAME. */
static void put(const char *name, const void *bytes, size_t n)
{
	char p[256];
	snprintf(p, sizeof p, "%s/bin/%s", root, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
}

static void put_elf(const char *name, const struct elfgen *g)
{
	unsigned char buf[4096];
	size_t n = elfgen_build(g, buf, sizeof buf);
	assert_true(n > 0);
	put(name, buf, n);
}

struct conv {
	struct ds_convert_result res;
	const char *out;
	char explain[8192];
};

/* Converts Dockerfile text with the context, --debian debian (or NULL) and vendor. */
static void convert_text(const char *text, const char *debian, enum ds_convert_vendor vendor, struct conv *cv)
{
	struct ds_dockerfile *df;
	struct ds_model *m;
	ds_test_parse_text(&arena, text, NULL, &df, &m);
	struct ds_context ctx;
	const char *why;
	assert_int_equal(ds_context_open(&ctx, root, &arena, &why), 0);
	struct ds_convert_opts o;
	ds_convert_opts_init(&o);
	o.context = &ctx;
	o.debian = debian;
	o.vendor = vendor;
	ds_convert(&arena, df, m, cat, &o, &cv->res);
	ds_context_close(&ctx);
	cv->out = ds_arena_strndup(&arena, cv->res.output, cv->res.output_len);
	cv->explain[0] = '\0';
	for (size_t i = 0; i < cv->res.diags.n; i++) {
		size_t l = strlen(cv->explain);
		snprintf(cv->explain + l, sizeof cv->explain - l, "%s\n", cv->res.diags.v[i].msg);
	}
}

/* Converts a Dockerfile on base that copies context file bin/NAME to /usr/local/bin/app and runs it. */
static void convert_app(const char *base, const char *name, const char *debian, enum ds_convert_vendor vendor,
			struct conv *cv)
{
	const char *text = ds_arena_printf(&arena,
					   "FROM %s\n"
					   "COPY bin/%s /usr/local/bin/app\n"
					   "USER 65532\n"
					   "ENTRYPOINT [\"app\"]\n",
					   base, name);
	convert_text(text, debian, vendor, cv);
}

/* Converts on base for distroless and checks the runtime written (NULL: not converted) and a message. */
static void expect_on(const char *base, const char *name, const char *runtime, const char *msg)
{
	struct conv cv;
	convert_app(base, name, NULL, DS_VENDOR_DISTROLESS, &cv);
	if (runtime) {
		if (cv.res.status != DS_CONVERT_CONVERTED || !cv.res.runtime || strcmp(cv.res.runtime, runtime))
			fail_msg("%s: want %s, got status %d runtime %s:\n%s", name, runtime, cv.res.status,
				 cv.res.runtime ? cv.res.runtime : "(none)", cv.explain);
	} else if (cv.res.status != DS_CONVERT_MANUAL) {
		fail_msg("%s: want manual, got status %d:\n%s", name, cv.res.status, cv.explain);
	}
	if (!strstr(cv.explain, msg))
		fail_msg("%s: no message \"%s\" in:\n%s", name, msg, cv.explain);
}

/* The same on debian:bookworm-slim, whose release the runtime keeps. */
static void expect(const char *name, const char *runtime, const char *msg)
{
	expect_on("debian:bookworm-slim", name, runtime, msg);
}

#define GLIBC_LOADER "/lib64/ld-linux-x86-64.so.2"

static void test_static(void **state)
{
	(void)state;
	put_elf("go", &(struct elfgen){ .is64 = true });
	expect("go", "gcr.io/distroless/static-debian12:latest",
	       "'/usr/local/bin/app' (from 'bin/go' in the build context) is an ELF program statically linked, with no C library to load: runtime 'static'");
	put_elf("pie", &(struct elfgen){ .is64 = true, .type = ET_DYN, .dynamic = true });
	expect("pie", "gcr.io/distroless/static-debian12:latest", "statically linked (static-pie), with no C library");
	/* glibc inside still reads /etc/nsswitch.conf and loads NSS modules */
	put_elf("glibc-static", &(struct elfgen){ .is64 = true, .abi_tag = true });
	expect("glibc-static", "gcr.io/distroless/base-debian12:latest",
	       "statically linked with glibc inside, which loads NSS modules at run time: runtime 'base'");
}

static void test_dynamic_glibc(void **state)
{
	(void)state;
	put_elf("c", &(struct elfgen){ .is64 = true, .interp = GLIBC_LOADER, .needed = { "libc.so.6" } });
	expect("c", "gcr.io/distroless/base-debian12:latest",
	       "is an ELF program dynamically linked against glibc, needing libc.so.6: runtime 'base'");
	put_elf("tls", &(struct elfgen){ .is64 = true,
					 .interp = GLIBC_LOADER,
					 .needed = { "libssl.so.3", "libcrypto.so.3", "libpthread.so.0", "libdl.so.2",
						     "libc.so.6", "ld-linux-x86-64.so.2" },
					 .versions = { "GLIBC_2.2.5", "GLIBC_2.34" } });
	expect("tls", "gcr.io/distroless/base-debian12:latest", "against glibc (2.34 or later), needing libssl.so.3, libcrypto.so.3");
	put_elf("cxx", &(struct elfgen){ .is64 = true,
					 .interp = GLIBC_LOADER,
					 .needed = { "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6" } });
	expect("cxx", "gcr.io/distroless/cc-debian12:latest",
	       "needing libstdc++.so.6, libm.so.6, libgcc_s.so.1 and libc.so.6: runtime 'cc'");
	put_elf("omp", &(struct elfgen){ .is64 = true, .interp = "/lib/ld-linux-aarch64.so.1",
					 .needed = { "libgomp.so.1", "libc.so.6" } });
	expect("omp", "gcr.io/distroless/cc-debian12:latest", "runtime 'cc'");
	/* zlib: a GraalVM native image (java-base is published for debian 13 only now) */
	put_elf("native", &(struct elfgen){ .is64 = true,
					    .interp = GLIBC_LOADER,
					    .needed = { "libstdc++.so.6", "libz.so.1", "libc.so.6" } });
	expect_on("debian:trixie-slim", "native", "gcr.io/distroless/java-base-debian13:latest", "runtime 'java-base'");
	/* a library no runtime has, and one no single runtime has with the others */
	put_elf("pq", &(struct elfgen){ .is64 = true, .interp = GLIBC_LOADER, .needed = { "libpq.so.5", "libc.so.6" } });
	expect("pq", NULL,
	       "'/usr/local/bin/app' (from 'bin/pq' in the build context) needs libraries no runtime has all of: 'base', the closest, lacks 'libpq.so.5'; copy it into the runtime stage by hand, or link it statically");
	put_elf("zssl", &(struct elfgen){ .is64 = true,
					  .interp = GLIBC_LOADER,
					  .needed = { "libz.so.1", "libssl.so.3", "libssl.so.1.1", "libc.so.6" } });
	expect("zssl", NULL, "'base', the closest, lacks 'libz.so.1' and 'libssl.so.1.1'; copy them");
}

static void test_glibc_release(void **state)
{
	(void)state;
	/* built against glibc 2.38: bookworm has 2.36, trixie 2.41 */
	put_elf("new", &(struct elfgen){ .is64 = true, .interp = GLIBC_LOADER, .needed = { "libc.so.6" },
					 .versions = { "GLIBC_2.2.5", "GLIBC_2.38" } });
	struct conv cv;
	convert_app("debian:trixie-slim", "new", NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_string_equal(cv.res.runtime, "gcr.io/distroless/base-debian13:latest");
	convert_app("debian:trixie-slim", "new", "12", DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.explain, "'/usr/local/bin/app' asks for glibc 2.38 (symbol version GLIBC_2.38), newer than the 2.36 of debian 12 that 'gcr.io/distroless/base-debian12:latest' has; build it on an older release, or convert without --debian"));
	/* GLIBC_ABI_DT_RELR marks a loader of glibc 2.36 or later: fine on bookworm */
	put_elf("relr", &(struct elfgen){ .is64 = true, .interp = GLIBC_LOADER, .needed = { "libc.so.6" },
					  .versions = { "GLIBC_ABI_DT_RELR", "GLIBC_2.34" } });
	expect("relr", "gcr.io/distroless/base-debian12:latest", "against glibc (2.36 or later)");
}

static void test_chainguard(void **state)
{
	(void)state;
	/* glibc-dynamic has glibc, libgcc and libstdc++; the catalogue lists no zlib in it */
	put_elf("cg-cxx", &(struct elfgen){ .is64 = true, .interp = GLIBC_LOADER,
					    .needed = { "libstdc++.so.6", "libgcc_s.so.1", "libc.so.6" } });
	put_elf("cg-z", &(struct elfgen){ .is64 = true, .interp = GLIBC_LOADER, .needed = { "libz.so.1", "libc.so.6" } });
	struct conv cv;
	convert_app("debian:bookworm-slim", "cg-cxx", NULL, DS_VENDOR_CHAINGUARD, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_string_equal(cv.res.runtime, "cgr.dev/chainguard/glibc-dynamic:latest");
	convert_app("debian:bookworm-slim", "cg-z", NULL, DS_VENDOR_CHAINGUARD, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.explain, "lacks 'libz.so.1'"));
}

static void test_refused(void **state)
{
	(void)state;
	put_elf("musl", &(struct elfgen){ .is64 = true, .interp = "/lib/ld-musl-x86_64.so.1",
					  .needed = { "libc.musl-x86_64.so.1" } });
	expect("musl", NULL,
	       "'/usr/local/bin/app' (from 'bin/musl' in the build context) is built against musl (its loader is '/lib/ld-musl-x86_64.so.1'); the runtimes are glibc: build it against glibc, or statically");
	put_elf("android", &(struct elfgen){ .is64 = true, .interp = "/system/bin/linker64", .needed = { "libc.so" } });
	expect("android", NULL, "is built against an unknown C library (its loader is '/system/bin/linker64')");
	put_elf("lib", &(struct elfgen){ .is64 = true, .type = ET_DYN, .needed = { "libc.so.6" }, .soname = "libapp.so.1" });
	expect("lib", NULL, "'/usr/local/bin/app' (from 'bin/lib' in the build context) is a shared library");
	put_elf("obj", &(struct elfgen){ .is64 = true, .type = ET_REL });
	expect("obj", NULL, "is an ELF file that is no program: an object file, not a program");
	/* a truncated copy */
	unsigned char buf[4096];
	size_t n = elfgen_build(&(struct elfgen){ .is64 = true, .interp = GLIBC_LOADER, .needed = { "libc.so.6" } }, buf,
				sizeof buf);
	put("cut", buf, n - 1);
	expect("cut", NULL, "is a malformed ELF file: a loaded segment lies outside the file (is it truncated?)");
}

static void test_unread(void **state)
{
	(void)state;
	/* no ELF facts: the message says why, and the runtime stays unknown */
	put("text", "just text\n", 10);
	expect("text", NULL,
	       "'/usr/local/bin/app' comes from the build context, where 'bin/text' is not an ELF program; cannot tell how it is linked");
	expect("absent", NULL, "comes from the build context, where 'bin/absent' is missing; cannot tell");
	/* a file too big for a whole read is still read in part */
	char p[256];
	snprintf(p, sizeof p, "%s/bin/big", root);
	unsigned char buf[4096];
	size_t n = elfgen_build(&(struct elfgen){ .is64 = true }, buf, sizeof buf);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	assert_int_equal(fseek(f, 3 * DS_CONTEXT_MAX_FILE, SEEK_SET), 0);
	assert_int_equal(fputc(0, f), 0);
	fclose(f);
	expect("big", "gcr.io/distroless/static-debian12:latest", "runtime 'static'");
}

static void test_glob(void **state)
{
	(void)state;
	/* Quarkus's native Dockerfile copies a glob, target/ANY-runner: the program's headers win over its name */
	static const char *const quarkus = "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.7\n"
					   "WORKDIR /work/\n"
					   "COPY target/*-runner /work/application\n"
					   "USER 1001\n"
					   "ENTRYPOINT [\"./application\"]\n";
	char p[256];
	snprintf(p, sizeof p, "%s/target", root);
	assert_int_equal(mkdir(p, 0755), 0);
	struct conv cv;
	/* no match: known by its name */
	convert_text(quarkus, NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_string_equal(cv.res.runtime, "gcr.io/distroless/java-base-debian13:latest");
	assert_non_null(strstr(cv.explain, "is a Quarkus native executable"));
	/* one match: read (a mostly static native image needs glibc alone) */
	unsigned char buf[4096];
	size_t n = elfgen_build(&(struct elfgen){ .is64 = true, .interp = GLIBC_LOADER, .needed = { "libc.so.6" } }, buf,
				sizeof buf);
	snprintf(p, sizeof p, "%s/target/app-1.0-runner", root);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
	convert_text(quarkus, NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_string_equal(cv.res.runtime, "gcr.io/distroless/base-debian13:latest");
	assert_non_null(strstr(cv.explain, "'/work/application' (from 'target/app-1.0-runner' in the build context) is an ELF program dynamically linked against glibc, needing libc.so.6: runtime 'base'"));
	/* two matches: which one is copied is not known, so the name decides again */
	snprintf(p, sizeof p, "%s/target/app-2.0-runner", root);
	f = fopen(p, "wb");
	assert_non_null(f);
	fclose(f);
	convert_text(quarkus, NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_string_equal(cv.res.runtime, "gcr.io/distroless/java-base-debian13:latest");
	/* a glob elsewhere than in the last component is not expanded */
	convert_text("FROM debian:bookworm-slim\nCOPY bi*/go /usr/local/bin/app\nENTRYPOINT [\"app\"]\n", NULL,
		     DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.explain, "comes from the build context; cannot tell how it is linked"));
	/* the glob of a program that is not a Quarkus runner says what it matched */
	convert_text("FROM debian:bookworm-slim\nCOPY bin/nomatch* /usr/local/bin/app\nENTRYPOINT [\"app\"]\n", NULL,
		     DS_VENDOR_DISTROLESS, &cv);
	assert_non_null(strstr(cv.explain, "comes from the build context, where no file matches 'bin/nomatch*'; cannot tell"));
}

/* Writes text as context file rel (at the context's root), or removes it when text is NULL. */
static void put_root(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	if (!text) {
		unlink(p);
		return;
	}
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Console scripts on a python image: a well-known package's module, or the entry point the project declares. */
static void test_console_scripts(void **state)
{
	(void)state;
	struct conv cv;
	const char *df = "FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n"
			 "CMD [\"jobs-worker\", \"--queue\", \"default\"]\n";
	/* not declared anywhere: left to a person, with the hint */
	convert_text(df, NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.explain, "if 'jobs-worker' is a console script"));
	/* setup.cfg: console_scripts as an indented list, extras ignored */
	put_root("setup.cfg", "[metadata]\nname = jobs\n\n[options.entry_points]\nconsole_scripts =\n"
			      "    jobs-admin = jobs.admin:run\n    jobs-worker = jobs.worker:Worker.main [redis]\n"
			      "\n[flake8]\njobs-worker = no.such:thing\n");
	convert_text(df, NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "CMD [\"-c\", \"import sys; from jobs.worker import Worker; sys.exit(Worker.main())\", "
				       "\"--queue\", \"default\"]\n"));
	assert_non_null(strstr(cv.explain, "setup.cfg:7 declares ('jobs.worker:Worker.main [redis]')"));
	/* pyproject.toml wins over setup.cfg; a form that is not MODULE:FUNCTION is refused with its line */
	put_root("pyproject.toml", "[project]\nname = \"jobs\"\n\n[project.scripts]\n\"jobs-worker\" = \"jobs/worker.py\"\n");
	convert_text(df, NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.explain, "pyproject.toml:5 as \"jobs/worker.py\""));
	/* poetry's table, single quotes */
	put_root("pyproject.toml", "[tool.poetry]\nname = 'jobs'\n[tool.poetry.scripts]\njobs-worker = 'jobs.cli:worker'  # the worker\n");
	convert_text(df, NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "from jobs.cli import worker; sys.exit(worker())"));
	put_root("pyproject.toml", NULL);
	put_root("setup.cfg", NULL);
	/* a well-known package: its module, no context needed */
	convert_text("FROM python:3.13-slim\nRUN pip install uvicorn\nCMD [\"uvicorn\", \"main:app\"]\n", NULL,
		     DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "CMD [\"-m\", \"uvicorn\", \"main:app\"]"));
	/* nothing installs packages: the original cannot run uvicorn either, so it stays a person's */
	convert_text("FROM python:3.13-slim\nCOPY . /app\nCMD [\"uvicorn\", \"main:app\"]\n", NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	/* a heredoc counts */
	convert_text("FROM python:3.13-slim\nRUN <<EOF\nset -e\npip install --no-cache-dir celery\nEOF\n"
		     "CMD [\"celery\", \"-A\", \"tasks\", \"worker\"]\n", NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "CMD [\"-m\", \"celery\", \"-A\", \"tasks\", \"worker\"]"));
	/* not on a python image: nothing to do with python */
	convert_text("FROM golang:1.23 AS b\nRUN CGO_ENABLED=0 go build -o /gunicorn\nFROM alpine:3.20\n"
		     "COPY --from=b /gunicorn /usr/local/bin/gunicorn\nCMD [\"gunicorn\"]\n",
		     NULL, DS_VENDOR_DISTROLESS, &cv);
	assert_null(strstr(cv.out, "-m"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static),	     cmocka_unit_test(test_dynamic_glibc), cmocka_unit_test(test_glibc_release),
		cmocka_unit_test(test_chainguard), cmocka_unit_test(test_refused),	   cmocka_unit_test(test_unread),
		cmocka_unit_test(test_glob),		     cmocka_unit_test(test_console_scripts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
