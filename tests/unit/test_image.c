/* test_image.c - unit tests for analyze/image: the image model of a stage, and comparing two. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "analyze/image.h"
#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "parsetext.h"

static struct ds_arena arena;
static struct ds_catalog *cat;

static int setup(void **state)
{
	(void)state;
	ds_arena_init(&arena);
	struct ds_catalog_error err;
	return ds_catalog_load_builtin(&cat, &err);
}

static int teardown(void **state)
{
	(void)state;
	ds_arena_release(&arena);
	ds_catalog_free(cat);
	return 0;
}

/* The model of text. */
static struct ds_model *parsed(const char *text)
{
	struct ds_dockerfile *df;
	struct ds_model *m;
	ds_test_parse_text(&arena, text, NULL, &df, &m);
	return m;
}

/* The image model of the final stage (or stage) of text. */
static struct ds_image_model *model(const char *text, int stage)
{
	struct ds_model *m = parsed(text);
	struct ds_image_model *im = ds_arena_zalloc(&arena, sizeof *im);
	assert_int_equal(ds_image_model_build(m, stage, cat, &arena, im), 0);
	return im;
}

static const char *env(const struct ds_image_model *im, const char *name)
{
	bool known;
	const char *v = ds_image_model_env(im, name, &known);
	return !known ? "(unknown)" : v ? v : "(unset)";
}

static void test_scratch_defaults(void **state)
{
	(void)state;
	struct ds_image_model *im = model("FROM scratch\n", -1);
	assert_true(im->workdir.known);
	assert_string_equal(im->workdir.v, "/");
	assert_true(im->user.known);
	assert_int_equal(im->user.uid, 0);
	assert_int_equal(im->user.root, 1);
	/* BuildKit adds the default PATH */
	assert_string_equal(env(im, "PATH"), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	assert_string_equal(env(im, "HOME"), "(unset)");
	assert_true(im->argv.known);
	assert_int_equal(im->argv.n, 0);
}

static void test_relative_workdir(void **state)
{
	(void)state;
	struct ds_image_model *im = model("FROM scratch\nWORKDIR /a\nWORKDIR b/../c\nWORKDIR ./d/\n", -1);
	assert_string_equal(im->workdir.v, "/a/c/d");
	/* ENV expands in WORKDIR; ARG too, only after its declaration */
	im = model("FROM scratch\nENV BASE=/srv\nWORKDIR $BASE/app\nARG SUB=x\nWORKDIR ${SUB}\n", -1);
	assert_string_equal(im->workdir.v, "/srv/app/x");
	/* an unknown base: a relative WORKDIR stays unknown, an absolute one is known */
	im = model("FROM registry.example/unknown:1\nWORKDIR rel\n", -1);
	assert_false(im->workdir.known);
	im = model("FROM registry.example/unknown:1\nWORKDIR /abs\n", -1);
	assert_true(im->workdir.known);
	assert_string_equal(im->workdir.v, "/abs");
}

static void test_env_forms(void **state)
{
	(void)state;
	struct ds_image_model *im = model("FROM scratch\n"
					  "ENV A=1 B=\"two words\"\n"
					  "ENV C three words\n"
					  "ENV D=$A-${B}\n"
					  "ENV PATH=/app/bin:$PATH\n",
					  -1);
	assert_string_equal(env(im, "A"), "1");
	assert_string_equal(env(im, "B"), "two words");
	assert_string_equal(env(im, "C"), "three words");
	assert_string_equal(env(im, "D"), "1-two words");
	assert_string_equal(env(im, "PATH"), "/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	/* a variable of an unknown base image makes the value unknown, never empty */
	im = model("FROM registry.example/unknown:1\nENV X=$JAVA_HOME/bin\nENV Y=plain\n", -1);
	assert_string_equal(env(im, "X"), "(unknown)");
	assert_string_equal(env(im, "Y"), "plain");
	assert_string_equal(env(im, "Z"), "(unknown)");
}

static void test_user_and_group(void **state)
{
	(void)state;
	struct ds_image_model *im = model("FROM scratch\nUSER 1000:2000\n", -1);
	assert_int_equal(im->user.uid, 1000);
	assert_int_equal(im->user.gid, 2000);
	assert_int_equal(im->user.root, 0);
	/* a user the Dockerfile creates with a fixed id */
	im = model("FROM scratch\nRUN addgroup -g 101 app && adduser -u 100 -G app -D app\nUSER app:app\n", -1);
	assert_int_equal(im->user.uid, 100);
	assert_int_equal(im->user.gid, 101);
	assert_int_equal(im->user.root, 0);
	/* ... and without one: not root, id unknown */
	im = model("FROM scratch\nRUN useradd --system svc\nUSER svc\n", -1);
	assert_int_equal(im->user.uid, -1);
	assert_int_equal(im->user.root, 0);
	/* a name nobody created: unknown */
	im = model("FROM scratch\nUSER ghost\n", -1);
	assert_int_equal(im->user.root, -1);
	/* USER expands ARGs */
	im = model("FROM scratch\nARG UID=4242\nUSER ${UID}\n", -1);
	assert_int_equal(im->user.uid, 4242);
}

/* The final stage's accounts beyond its base image's (ds_image_model_accounts), as "name:id[g]" words ("g": a group). */
static const char *accounts(const char *text)
{
	struct ds_im_account *v;
	size_t n = ds_image_model_accounts(parsed(text), -1, &arena, &v);
	char *out = ds_arena_strdup(&arena, "");
	for (size_t i = 0; i < n; i++)
		out = ds_arena_printf(&arena, "%s%s%s:%ld%s", out, i ? " " : "", v[i].name, v[i].id, v[i].group ? "g" : "");
	return out;
}

/* A passwd or group file copied from a stage brings the accounts that stage made; adduser makes a user's own group. */
static void test_copied_accounts(void **state)
{
	(void)state;
	/* scratch with the builder's /etc/passwd: the user resolves */
	const char *two = "FROM golang:1.23 AS build\n"
			  "RUN groupadd -g 1000 woodpecker && useradd -u 1000 -g 1000 woodpecker\n"
			  "FROM scratch\n"
			  "COPY --from=build /etc/passwd /etc/passwd\n"
			  "COPY --from=build /etc/group /etc/group\n"
			  "USER woodpecker:woodpecker\n";
	struct ds_image_model *im = model(two, -1);
	assert_int_equal(im->user.uid, 1000);
	assert_int_equal(im->user.gid, 1000);
	assert_int_equal(im->user.root, 0);
	assert_string_equal(accounts(two), "woodpecker:1000 woodpecker:1000g");
	/* only the kind of file copied: passwd brings users, not groups */
	assert_string_equal(accounts("FROM alpine:3.20 AS a\nRUN adduser -D -u 7 app\n"
				     "FROM scratch\nCOPY --from=a /etc/passwd /etc/passwd\n"),
			    "app:7");
	/* both files into /etc/, from any folder; the stage's parent's RUNs count too */
	assert_string_equal(accounts("FROM alpine:3.20 AS base\nRUN addgroup -S web\n"
				     "FROM base AS acc\nRUN adduser -D -u 7 -G web app\n"
				     "FROM scratch\nCOPY --from=acc /out/passwd /out/group /etc/\n"),
			    "web:-1g app:7");
	/* a file copied elsewhere, or copied from an image, brings nothing */
	assert_string_equal(accounts("FROM alpine:3.20 AS a\nRUN adduser -D app\n"
				     "FROM scratch\nCOPY --from=a /etc/passwd /backup/passwd\n"
				     "COPY --from=alpine:3.20 /etc/passwd /etc/passwd\n"),
			    "");
	/* the stage's own RUNs: a user with a group of its own unless told otherwise */
	assert_string_equal(accounts("FROM alpine:3.20\nRUN adduser -D -u 10001 app && adduser -S -G app svc\n"),
			    "app:10001 app:-1g svc:-1");
}

static void test_entrypoint_resets_inherited_cmd(void **state)
{
	(void)state;
	/* in one stage, a CMD before ENTRYPOINT survives */
	struct ds_image_model *im = model("FROM scratch\nCMD [\"a\"]\nENTRYPOINT [\"/e\"]\n", -1);
	assert_string_equal(ds_im_argv_text(&arena, &im->argv), "[\"/e\", \"a\"]");
	/* a CMD inherited from the parent stage does not */
	im = model("FROM scratch AS base\nCMD [\"a\"]\nFROM base\nENTRYPOINT [\"/e\"]\n", -1);
	assert_string_equal(ds_im_argv_text(&arena, &im->argv), "[\"/e\"]");
	/* shell form runs through SHELL */
	im = model("FROM scratch\nCMD echo hi\n", -1);
	assert_true(im->cmd.shell);
	assert_string_equal(ds_im_argv_text(&arena, &im->argv), "[\"/bin/sh\", \"-c\", \"echo hi\"]");
	im = model("FROM scratch\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nENTRYPOINT run it\n", -1);
	assert_string_equal(ds_im_argv_text(&arena, &im->argv), "[\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\", \"run it\"]");
}

static void test_arg_scoping(void **state)
{
	(void)state;
	/* a global ARG is not visible in a stage until declared there */
	struct ds_image_model *im = model("ARG V=1\nFROM scratch\nENV A=x$V\nARG V\nENV B=x$V\n", -1);
	assert_string_equal(env(im, "A"), "x");
	assert_string_equal(env(im, "B"), "x1");
	/* ARGs do not reach the next stage; ENV does */
	im = model("FROM scratch AS one\nARG P=1\nENV E=2\nFROM one\nENV X=$P-$E\n", -1);
	assert_string_equal(env(im, "X"), "-2");
	assert_string_equal(env(im, "P"), "(unset)");
}

static void test_lists_and_health(void **state)
{
	(void)state;
	struct ds_image_model *im = model("FROM scratch\nARG PORT=8080\nEXPOSE $PORT 53/UDP\nVOLUME [\"/data\"] \n"
					  "STOPSIGNAL SIGQUIT\nHEALTHCHECK --retries=3 --interval=5s CMD [\"/probe\"]\n",
					  -1);
	assert_int_equal(im->expose.n, 2);
	assert_string_equal(im->expose.v[0].key, "8080/tcp");
	assert_string_equal(im->expose.v[1].key, "53/udp");
	assert_int_equal(im->volumes.n, 1);
	assert_string_equal(im->volumes.v[0].key, "/data");
	assert_string_equal(im->stopsignal.v, "SIGQUIT");
	assert_true(im->health.set);
	assert_string_equal(im->health.options, "--interval=5s --retries=3");
	assert_string_equal(ds_im_argv_text(&arena, &im->health.test), "[\"/probe\"]");
	im = model("FROM scratch AS a\nHEALTHCHECK CMD [\"/x\"]\nFROM a\nHEALTHCHECK NONE\n", -1);
	assert_true(im->health.none);
}

static void test_distroless_tags(void **state)
{
	(void)state;
	struct ds_image_model *im = model("FROM gcr.io/distroless/static-debian12\n", -1);
	assert_string_equal(im->workdir.v, "/");
	assert_int_equal(im->user.uid, 0);
	im = model("FROM gcr.io/distroless/static-debian12:nonroot\n", -1);
	assert_string_equal(im->workdir.v, "/home/nonroot");
	assert_int_equal(im->user.uid, 65532);
	im = model("FROM gcr.io/distroless/nodejs22-debian13\nCMD [\"app.js\"]\n", -1);
	assert_string_equal(ds_im_argv_text(&arena, &im->argv), "[\"/nodejs/bin/node\", \"app.js\"]");
}

/* The fields that differ, as "field:key" words. */
static const char *diffs(const char *x, const char *y)
{
	struct ds_image_model *a = model(x, -1), *b = model(y, -1);
	struct ds_im_diff *d;
	size_t n = ds_image_model_diff(a, b, &arena, &d);
	const char *s = "";
	for (size_t i = 0; i < n; i++)
		s = ds_arena_printf(&arena, "%s%s%s%s%s", s, i ? " " : "", ds_im_field_name(d[i].field), d[i].key ? ":" : "",
				    d[i].key ? d[i].key : "");
	return s;
}

static void test_diff(void **state)
{
	(void)state;
	assert_string_equal(diffs("FROM scratch\nWORKDIR /app\n", "FROM scratch\nWORKDIR /app/\n"), "");
	assert_string_equal(diffs("FROM scratch\nWORKDIR /app\nENV A=1\n", "FROM scratch\nENV A=2\n"), "workdir env:A");
	/* the same argv split differently between ENTRYPOINT and CMD is no difference */
	assert_string_equal(diffs("FROM scratch\nCMD [\"/a\", \"b\"]\n", "FROM scratch\nENTRYPOINT [\"/a\"]\nCMD [\"b\"]\n"), "");
	assert_string_equal(diffs("FROM scratch\nUSER 0\n", "FROM scratch\n"), "");
	assert_string_equal(diffs("FROM scratch\n", "FROM scratch\nUSER 65532\n"), "user");
	assert_string_equal(diffs("FROM scratch\nEXPOSE 80\nLABEL a=b\n", "FROM scratch\nEXPOSE 80/tcp\n"), "label:a");
	assert_string_equal(diffs("FROM scratch\nHEALTHCHECK CMD [\"/p\"]\n", "FROM scratch\n"), "healthcheck");
	assert_string_equal(diffs("FROM scratch\nSTOPSIGNAL SIGINT\n", "FROM scratch\n"), "stopsignal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scratch_defaults),
		cmocka_unit_test(test_relative_workdir),
		cmocka_unit_test(test_env_forms),
		cmocka_unit_test(test_user_and_group),
		cmocka_unit_test(test_copied_accounts),
		cmocka_unit_test(test_entrypoint_resets_inherited_cmd),
		cmocka_unit_test(test_arg_scoping),
		cmocka_unit_test(test_lists_and_health),
		cmocka_unit_test(test_distroless_tags),
		cmocka_unit_test(test_diff),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
