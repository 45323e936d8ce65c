/* test_lint.c - the DST rules (a firing and a quiet case each), pragmas and configuration. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rules/config.h"
#include "rules/rules.h"

static struct ds_catalog *cat;

/* A digest, so DST206 stays quiet where a test is not about it. */
#define DIGEST "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define NODE_RT "gcr.io/distroless/nodejs22-debian13" DIGEST
#define STATIC_RT "gcr.io/distroless/static-debian13" DIGEST
#define BASE12_RT "gcr.io/distroless/base-debian12" DIGEST

static char got[8192];
static char msgs[16384];

/*
 * Lints text and returns the findings whose code starts with one of the
 * comma-separated prefixes in only ("DST" for all of distill's own) as
 * "CODE:LINE" words in position order. Messages land in msgs.
 */
static const char *lint_cfg(const char *text, const char *only, const struct ds_config *cfg,
			    const char *target_stage)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_source src;
	ds_source_from_mem(&src, &a, "Dockerfile", text, strlen(text));
	struct ds_dockerfile df;
	struct ds_parse_opts po = { 0 };
	assert_int_equal(ds_parse(&a, &src, &po, &df), 0);
	struct ds_model m;
	ds_model_build(&a, &df, target_stage, &m);
	struct ds_diags d = { 0 };
	if (cfg) {
		ds_lint_collect(&a, &df, &m, cat, &cfg->lint, &d);
		ds_lint_filter(&a, &df, &m, cfg, &d, 0);
	} else {
		ds_lint(&a, &df, &m, cat, NULL, &d);
	}
	ds_source_lines(&src, &a);
	got[0] = msgs[0] = '\0';
	for (size_t i = 0; i < d.n; i++) {
		const char *code = d.v[i].code ? d.v[i].code : "";
		bool keep = false;
		for (const char *p = only; *p;) {
			const char *e = strchr(p, ',');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			keep |= !strncmp(code, p, n);
			p = e ? e + 1 : p + n;
		}
		if (!keep)
			continue;
		uint32_t line, col;
		ds_source_linecol(&src, d.v[i].off, &line, &col);
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s:%u", *got ? " " : "", code, line);
		snprintf(msgs + strlen(msgs), sizeof msgs - strlen(msgs), "%s:%u:%u: %s: %s\n", code, line, col,
			 ds_severity_name(d.v[i].sev), d.v[i].msg);
	}
	ds_arena_release(&a);
	return got;
}

static const char *lint(const char *text, const char *only)
{
	return lint_cfg(text, only, NULL, NULL);
}

#define FIRES(text, only, expected) assert_string_equal(lint(text, only), expected)
#define QUIET(text, only) assert_string_equal(lint(text, only), "")
#define MSG_HAS(s) assert_non_null(strstr(msgs, s))

/* ---- DST1xx ---- */

static void test_dst101(void **state)
{
	(void)state;
	FIRES("FROM " NODE_RT "\nWORKDIR /app\nRUN npm ci\n", "DST101", "DST101:3");
	/* a heredoc RUN and an ONBUILD's parent stage chain */
	FIRES("FROM " STATIC_RT " AS rt\nRUN <<EOF\necho hi\nEOF\nFROM rt\n", "DST101", "DST101:2");
	FIRES("FROM scratch\nRUN echo hi\n", "DST101", "DST101:2");
	QUIET("FROM node:22\nRUN npm ci\n", "DST101");
	/* exec form can run a binary the image has */
	QUIET("FROM " NODE_RT "\nRUN [\"/nodejs/bin/node\", \"-e\", \"1\"]\n", "DST101");
	/* a builder stage may RUN; and a rootfs copied to / brings its shell */
	QUIET("FROM " STATIC_RT " AS x\nFROM node:22\nRUN true\n", "DST101");
	QUIET("FROM scratch\nADD rootfs.tar.gz /\nRUN echo hi\n", "DST101");
}

static void test_dst102(void **state)
{
	(void)state;
	FIRES("FROM " NODE_RT "\nCMD node server.js\nENTRYPOINT /app/run\n", "DST102", "DST102:2 DST102:3");
	QUIET("FROM " NODE_RT "\nCMD [\"server.js\"]\n", "DST102");
	QUIET("FROM node:22\nCMD node server.js\n", "DST102");
}

static void test_dst103(void **state)
{
	(void)state;
	FIRES("FROM " STATIC_RT "\nHEALTHCHECK --interval=30s CMD /app/health || exit 1\n", "DST103", "DST103:2");
	QUIET("FROM " STATIC_RT "\nHEALTHCHECK CMD [\"/app/health\"]\nHEALTHCHECK NONE\n", "DST103");
	QUIET("FROM alpine:3.20\nHEALTHCHECK CMD wget -q localhost || exit 1\n", "DST103");
}

static void test_dst104(void **state)
{
	(void)state;
	FIRES("FROM " STATIC_RT "\nSHELL [\"/bin/bash\", \"-c\"]\nONBUILD RUN make\n", "DST104", "DST104:2 DST104:3");
	QUIET("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nONBUILD RUN make\n", "DST104");
	QUIET("FROM " STATIC_RT "\nONBUILD COPY . /app\n", "DST104");
}

static void test_dst105(void **state)
{
	(void)state;
	FIRES("FROM " STATIC_RT "\nENTRYPOINT [\"/bin/sh\", \"-c\", \"exec /app\"]\n", "DST105", "DST105:2");
	FIRES("FROM " STATIC_RT "\nENTRYPOINT [\"./start.sh\"]\n", "DST105", "DST105:2");
	FIRES("FROM " NODE_RT "\nCMD [\"npm\", \"start\"]\n", "DST105", "DST105:2");
	MSG_HAS("npm");
	FIRES("FROM " STATIC_RT "\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n", "DST105", "DST105:2");
	FIRES("FROM " STATIC_RT "\nRUN [\"apt-get\", \"update\"]\n", "DST105", "DST105:2");
	QUIET("FROM " STATIC_RT "\nENTRYPOINT [\"/app/server\"]\nCMD [\"--port\", \"8080\"]\n", "DST105");
	/* CMD words are the ENTRYPOINT's arguments */
	QUIET("FROM " STATIC_RT "\nENTRYPOINT [\"/app/server\"]\nCMD [\"sh\"]\n", "DST105");
	/* the stage brings its own busybox shell */
	QUIET("FROM " STATIC_RT "\nCOPY --from=busybox:1.36 /bin/sh /bin/sh\nENTRYPOINT [\"/bin/sh\", \"-c\", \"x\"]\n",
	      "DST105");
	QUIET("FROM alpine:3.20\nENTRYPOINT [\"/bin/sh\", \"-c\", \"x\"]\n", "DST105");
}

static void test_dst106(void **state)
{
	(void)state;
	FIRES("FROM " NODE_RT "\nCOPY --chown=node:node . /app\nUSER node\n", "DST106", "DST106:2 DST106:3");
	FIRES("FROM " STATIC_RT "\nUSER nonroot:wheel\n", "DST106", "DST106:2");
	MSG_HAS("group 'wheel'");
	FIRES("FROM scratch\nCOPY app /app\nUSER nonroot\n", "DST106", "DST106:3");
	QUIET("FROM " STATIC_RT "\nUSER nonroot\nUSER 65532:65532\nUSER nobody\nUSER root\nUSER 1234\n", "DST106");
	QUIET("FROM scratch\nUSER 65532:65532\n", "DST106");
	/* a copied /etc/passwd makes the names the Dockerfile's business */
	QUIET("FROM scratch\nCOPY --from=build /etc/passwd /etc/passwd\nUSER app\n", "DST106");
	QUIET("FROM node:22\nUSER node\n", "DST106");
}

static void test_dst107(void **state)
{
	(void)state;
	FIRES("FROM node:22\nCMD [\"node\", \"$APP_MAIN\"]\n", "DST107", "DST107:2");
	FIRES("FROM alpine:3.20\nENTRYPOINT [\"/app\", \"--port=${PORT}\"]\n", "DST107", "DST107:2");
	QUIET("FROM alpine:3.20\nCMD [\"sh\", \"-c\", \"echo $HOME\"]\n", "DST107");
	QUIET("FROM alpine:3.20\nCMD echo $HOME\nENTRYPOINT [\"/app\", \"costs $5\"]\n", "DST107");
	/* CMD words given to a shell ENTRYPOINT are expanded by it */
	QUIET("FROM alpine:3.20\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"echo $HOME\"]\n", "DST107");
}

static void test_dst108(void **state)
{
	(void)state;
	FIRES("FROM " NODE_RT "\nCMD [\"node\", \"server.js\"]\n", "DST108", "DST108:2");
	MSG_HAS("/nodejs/bin/node node server.js");
	FIRES("FROM gcr.io/distroless/python3-debian13" DIGEST "\nCMD [\"python3\", \"app.py\"]\n", "DST108", "DST108:2");
	FIRES("FROM gcr.io/distroless/java21-debian13" DIGEST "\nCMD [\"java\", \"-jar\", \"app.jar\"]\n", "DST108",
	      "DST108:2");
	QUIET("FROM " NODE_RT "\nCMD [\"server.js\"]\n", "DST108");
	/* an ENTRYPOINT of the stage replaces the image's */
	QUIET("FROM " NODE_RT "\nENTRYPOINT [\"/nodejs/bin/node\"]\nCMD [\"node\", \"x.js\"]\n", "DST108");
	QUIET("FROM " STATIC_RT "\nCMD [\"node\", \"x.js\"]\n", "DST108");
}

/* ---- DST2xx ---- */

static void test_dst201(void **state)
{
	(void)state;
	FIRES("FROM node:22\nCMD [\"node\", \"x.js\"]\n", "DST201", "DST201:1");
	MSG_HAS("can move it onto 'gcr.io/distroless/nodejs22");
	FIRES("FROM php:8.3-apache\n", "DST201", "DST201:1");
	MSG_HAS("cannot fix it");
	FIRES("FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /app\n", "DST201", "DST201:2");
	QUIET("FROM node:22 AS build\nFROM " NODE_RT "\n", "DST201");
	QUIET("FROM scratch\nCOPY app /app\n", "DST201");
	/* nothing is known about a private image: maybe it is shell-free */
	QUIET("FROM registry.example.com/team/base:1\n", "DST201");
}

static void test_dst202(void **state)
{
	(void)state;
	FIRES("FROM node:22-alpine AS build\nWORKDIR /app\nRUN npm ci\n"
	      "FROM " NODE_RT "\nCOPY --from=build /app /app\n",
	      "DST202", "DST202:5");
	FIRES("FROM golang:1.23-alpine AS build\nRUN apk add build-base && go build -o /out/app\n"
	      "FROM " BASE12_RT "\nCOPY --from=build /out/app /app\n",
	      "DST202", "DST202:4");
	/* scripts and static files are portable */
	QUIET("FROM node:22-alpine AS build\nRUN npm run build\n"
	      "FROM " NODE_RT "\nCOPY --from=build /app/dist/main.js /app/package.json /app/\n",
	      "DST202");
	/* static Go: CGO_ENABLED=0, or no C compiler on golang:alpine */
	QUIET("FROM golang:1.23-alpine AS build\nENV CGO_ENABLED=0\nRUN apk add gcc && go build -o /out/app\n"
	      "FROM " BASE12_RT "\nCOPY --from=build /out/app /app\n",
	      "DST202");
	QUIET("FROM golang:1.23-alpine AS build\nRUN go build -o /out/app\n"
	      "FROM " BASE12_RT "\nCOPY --from=build /out/app /app\n",
	      "DST202");
	/* static has no libc at all */
	QUIET("FROM node:22-alpine AS build\nFROM " STATIC_RT "\nCOPY --from=build /app /app\n", "DST202");
	/* account files, and the accounts convert writes (text and empty home folders) */
	QUIET("FROM alpine:3.20 AS build\nRUN adduser -D app\n"
	      "FROM " BASE12_RT "\nCOPY --from=build /etc/passwd /etc/passwd\nCOPY --from=build /etc/group /etc/group\n",
	      "DST202");
	QUIET("FROM alpine:3.20 AS acc\nRUN adduser -D app\n"
	      "FROM " BASE12_RT "\nCOPY --from=acc /distill-accounts/etc/passwd /distill-accounts/etc/group /etc/\n"
	      "COPY --from=acc /distill-accounts/home/ /home/\n",
	      "DST202");
	/* but not the home folder itself */
	FIRES("FROM alpine:3.20 AS acc\nRUN adduser -D app\nFROM " BASE12_RT "\nCOPY --from=acc /home/ /home/\n",
	      "DST202", "DST202:4");
}

static void test_dst203(void **state)
{
	(void)state;
	FIRES("FROM gcr.io/distroless/nodejs20-debian12" DIGEST "\n", "DST203", "DST203:1");
	MSG_HAS("nodejs22-debian13");
	FIRES("FROM gcr.io/distroless/static-debian11" DIGEST "\n", "DST203", "DST203:1");
	QUIET("FROM " NODE_RT "\n", "DST203");
}

static void test_dst204(void **state)
{
	(void)state;
	FIRES("FROM golang:1.23-trixie AS build\nENV CGO_ENABLED=1\nRUN go build -o /out/app\n"
	      "FROM " BASE12_RT "\nCOPY --from=build /out/app /app\n",
	      "DST204", "DST204:5");
	MSG_HAS("2.41");
	QUIET("FROM golang:1.23-bookworm AS build\nENV CGO_ENABLED=1\nRUN go build -o /out/app\n"
	      "FROM " BASE12_RT "\nCOPY --from=build /out/app /app\n",
	      "DST204");
	QUIET("FROM golang:1.23-trixie AS build\nENV CGO_ENABLED=0\nRUN go build -o /out/app\n"
	      "FROM " BASE12_RT "\nCOPY --from=build /out/app /app\n",
	      "DST204");
}

static void test_dst205_206(void **state)
{
	(void)state;
	FIRES("FROM gcr.io/distroless/nodejs22-debian13:debug" DIGEST "\n", "DST2", "DST205:1");
	QUIET("FROM gcr.io/distroless/nodejs22-debian13:nonroot" DIGEST "\n", "DST2");
	FIRES("FROM gcr.io/distroless/nodejs22-debian13:nonroot\n", "DST206", "DST206:1");
	QUIET("FROM golang:1.23 AS b\nFROM scratch\nCOPY --from=b /app /app\n", "DST206");
}

/* ---- DST3xx ---- */

static void test_dst301(void **state)
{
	(void)state;
	FIRES("FROM alpine:3.20 AS a\nCOPY --from=b /x /x\nFROM alpine:3.20 AS b\n", "DST301", "DST301:2");
	MSG_HAS("defined later");
	FIRES("FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=bulid /app /app\n", "DST301", "DST301:3");
	FIRES("FROM alpine:3.20\nRUN --mount=type=cache,from=deps,target=/x true\nCOPY --from=5 /a /a\n", "DST301",
	      "DST301:2 DST301:3");
	QUIET("FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /app /app\nCOPY --from=0 /b /b\n"
	      "COPY --from=busybox /bin/sh /bin/sh\nCOPY --from=ghcr.io/x/y:1 /c /c\nCOPY --from=nginx:1 /d /d\n",
	      "DST301");
}

static void test_dst302(void **state)
{
	(void)state;
	FIRES("FROM alpine:3.20\nFOO bar\n", "DST302", "DST302:2");
	FIRES("FROM alpine:3.20\nCOPY --bogus=1 a b\nCMD --x=1 [\"a\"]\n", "DST302", "DST302:2 DST302:3");
	FIRES("FROM alpine:3.20\nCOPY --chmod=abc a b\nCOPY --link=maybe a b\nCOPY --from a b\n", "DST302",
	      "DST302:2 DST302:3 DST302:4");
	FIRES("FROM alpine:3.20\nHEALTHCHECK --interval=30x --timeout=-1s --retries=x CMD [\"a\"]\n", "DST302",
	      "DST302:2 DST302:2 DST302:2");
	FIRES("FROM alpine:3.20\nRUN --network=bridge --security=weird --mount=type=volume,target=/x true\n", "DST302",
	      "DST302:2 DST302:2 DST302:2");
	FIRES("FROM alpine:3.20 AS 1st\nFROM alpine b c\n", "DST302", "DST302:1 DST302:2");
	/* argument counts BuildKit's instruction layer enforces */
	FIRES("FROM alpine:3.20\nUSER\nWORKDIR\nSTOPSIGNAL\nCOPY a\nADD [\"a\"]\nEXPOSE\nVOLUME []\nONBUILD\n", "DST302",
	      "DST302:2 DST302:3 DST302:4 DST302:5 DST302:6 DST302:7 DST302:8 DST302:9");
	QUIET("FROM alpine:3.20\nUSER app\nWORKDIR /a\nSTOPSIGNAL TERM\nCOPY <<EOF /x\nhi\nEOF\nADD [\"a\", \"b\"]\n"
	      "EXPOSE 80 443\nVOLUME [\"/v\"]\nONBUILD RUN true\nENV a=b c=d\nCMD\n",
	      "DST302");
	QUIET("FROM --platform=linux/amd64 alpine:3.20 AS base-1.x\n"
	      "COPY --chmod=755 --link --chown=1:1 --exclude=*.md --exclude=*.txt a b\n"
	      "COPY --chmod=u+x,go-w --link=false a b\n"
	      "ADD --checksum=sha256:00 --keep-git-dir=true --unpack https://x/y.tgz /y\n"
	      "RUN --network=none --security=insecure --mount=type=cache,target=/x --mount=type=secret,id=a true\n"
	      "HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=0 --start-interval=5s --retries=3 CMD [\"a\"]\n",
	      "DST302");
}

static void test_dst303(void **state)
{
	(void)state;
	FIRES("FROM node:${NODE_VERSION}-alpine\n", "DST303", "DST303:1");
	FIRES("FROM alpine:3.20 AS a\nARG TAG=1\nFROM a:${TAG}\n", "DST303", "DST303:3");
	MSG_HAS("inside a stage");
	QUIET("ARG NODE_VERSION=22\nARG BASE\nFROM node:${NODE_VERSION}-alpine\nFROM ${BASE}\n", "DST303");
	QUIET("FROM --platform=$BUILDPLATFORM golang:1.23\nFROM --platform=${TARGETPLATFORM} alpine:3.20\n", "DST303");
}

static void test_dst304(void **state)
{
	(void)state;
	/* a global ARG is not seen inside a stage without ARG NAME */
	FIRES("ARG VERSION=1.2\nFROM alpine:3.20\nLABEL version=$VERSION\n", "DST304", "DST304:3");
	MSG_HAS("global ARG");
	/* used before it is defined */
	FIRES("FROM alpine:3.20\nWORKDIR /src/$APP\nENV APP=x\n", "DST304", "DST304:2");
	/* lower case: not from the base image */
	FIRES("FROM alpine:3.20\nCOPY app /opt/${app_dir}/\n", "DST304", "DST304:2");
	/* close to a defined name */
	FIRES("FROM alpine:3.20\nARG APP_VERSION=1\nLABEL v=${APP_VERSON}\n", "DST304", "DST304:3");
	/* scratch has no environment at all */
	FIRES("FROM scratch\nWORKDIR $APPDIR\n", "DST304", "DST304:2");
	QUIET("ARG VERSION=1.2\nFROM alpine:3.20\nARG VERSION\nLABEL version=$VERSION\n", "DST304");
	QUIET("FROM alpine:3.20\nENV PATH=/app/bin:$PATH\nCOPY app-$TARGETARCH /app\nENV A=1 B=$A\n", "DST304");
	/* upper case names may come from the base image's ENV */
	QUIET("FROM node:22\nWORKDIR $NODE_HOME\n", "DST304");
	/* RUN is expanded by the shell, not BuildKit */
	QUIET("FROM alpine:3.20\nRUN echo $whatever\n", "DST304");
	/* ENV of a parent stage is inherited */
	QUIET("FROM alpine:3.20 AS base\nENV app=/a\nFROM base\nWORKDIR $app\n", "DST304");
}

/* ---- pragmas ---- */

static void test_pragma_instruction(void **state)
{
	(void)state;
	const char *df = "FROM " STATIC_RT "\n"
			 "# distill ignore=DST101\n"
			 "RUN a\n"
			 "# hadolint ignore=DL3059,DST101\n"
			 "RUN b\n"
			 "# a comment\n"
			 "# hadolint ignore=DST102\n"
			 "RUN c\n"
			 "RUN d\n";
	FIRES(df, "DST1", "DST101:8 DST101:9");
	/* a pragma covers every line of its instruction, and only that one; a '#' comment may follow it */
	FIRES("FROM " STATIC_RT "\n# distill ignore=DST101 # reason\nRUN a \\\n && b\nRUN c\n", "DST1", "DST101:5");
	/* as in hadolint: only the line just above, and a list with a name that is no code is no pragma */
	FIRES("FROM " STATIC_RT "\n# distill ignore=DST101\n\nRUN a\n", "DST1", "DST101:4");
	FIRES("FROM " STATIC_RT "\n# distill ignore=DST101\n# why\nRUN a\n", "DST1", "DST101:4");
	FIRES("FROM " STATIC_RT "\n# hadolint ignore=crazy,DST101\nRUN a\n", "DST1", "DST101:3");
	FIRES("FROM " STATIC_RT "\n# distill ignore=DST101 -- reason\nRUN a\n", "DST1", "DST101:3");
	/* a pragma on the first line after a byte-order mark, with CRLF line ends */
	FIRES("\xef\xbb\xbf# distill ignore=DL3006\r\nFROM ubuntu\r\nFROM debian\r\n", "DL3006", "DL3006:3");
	FIRES("\xef\xbb\xbf# distill ignore=DL3007\r\nFROM ubuntu\r\nFROM debian\r\n", "DL3006", "DL3006:2 DL3006:3");
}

static void test_pragma_global(void **state)
{
	(void)state;
	FIRES("FROM " STATIC_RT "\nRUN a\nCMD x\n# distill global ignore=DST101\n", "DST1", "DST102:3");
	FIRES("# hadolint global ignore=DST101, DST102\nFROM " STATIC_RT "\nRUN a\nCMD x\n", "DST1", "");
	/* a comment inside a heredoc body is the script's, not a pragma */
	FIRES("FROM " STATIC_RT "\nRUN <<EOF\n# distill global ignore=DST101\nEOF\n", "DST1", "DST101:2");
}

static void test_pragma_stage(void **state)
{
	(void)state;
	const char *df = "# distill stage ignore=DST101\n"
			 "FROM " STATIC_RT " AS a\n"
			 "RUN x\n"
			 "# hadolint stage ignore=DST102\n"
			 "FROM a\n"
			 "RUN y\n"
			 "CMD z\n";
	FIRES(df, "DST1", "DST101:6");
}

/* ---- configuration ---- */

static void test_config_overrides(void **state)
{
	(void)state;
	const char *df = "FROM " STATIC_RT "\nRUN a\nCMD b\n";
	struct ds_config cfg;
	ds_config_init(&cfg);
	assert_int_equal(ds_config_ignore(&cfg, "DST101"), 0);
	assert_int_equal(ds_config_override(&cfg, "dst102", DS_SEV_STYLE), 0);
	assert_int_equal(ds_config_ignore(&cfg, "NOPE"), -1);
	assert_string_equal(lint_cfg(df, "DST1", &cfg, NULL), "DST102:3");
	assert_non_null(strstr(msgs, "style:"));
	ds_config_release(&cfg);

	/* from a file, hadolint dialect */
	ds_config_init(&cfg);
	const char *y = "ignored: [DST102]\noverride:\n  warning: [DST101]\n";
	assert_int_equal(ds_config_load_mem(&cfg, ".hadolint.yaml", y, strlen(y), DS_CONFIG_HADOLINT, NULL), 0);
	assert_string_equal(lint_cfg(df, "DST1", &cfg, NULL), "DST101:2");
	assert_non_null(strstr(msgs, "warning:"));
	ds_config_release(&cfg);

	/* disable-ignore-pragma */
	ds_config_init(&cfg);
	y = "disable-ignore-pragma: true\n";
	assert_int_equal(ds_config_load_mem(&cfg, ".hadolint.yaml", y, strlen(y), DS_CONFIG_HADOLINT, NULL), 0);
	assert_string_equal(lint_cfg("FROM " STATIC_RT "\n# distill ignore=DST101\nRUN a\n", "DST1", &cfg, NULL),
			    "DST101:3");
	ds_config_release(&cfg);
}

/* Codes outside the table (shellcheck's) obey pragmas and the config too. */
static void test_filter_extra_codes(void **state)
{
	(void)state;
	struct ds_arena a = DS_ARENA_INIT;
	const char *text = "FROM alpine:3.20\n# hadolint ignore=SC2086\nRUN echo $x\nRUN echo $y\nRUN echo `z`\n";
	struct ds_source src;
	ds_source_from_mem(&src, &a, "Dockerfile", text, strlen(text));
	struct ds_dockerfile df;
	struct ds_parse_opts po = { 0 };
	assert_int_equal(ds_parse(&a, &src, &po, &df), 0);
	struct ds_model m;
	ds_model_build(&a, &df, NULL, &m);
	assert_int_equal(df.ninstrs, 4);
	struct ds_diags d = { 0 };
	ds_diags_add(&d, &a, DS_SEV_INFO, "SC2086", df.instrs[1].span.off + 9, df.instrs[1].span.off + 11, "quote");
	ds_diags_add(&d, &a, DS_SEV_INFO, "SC2086", df.instrs[2].span.off + 9, df.instrs[2].span.off + 11, "quote");
	ds_diags_add(&d, &a, DS_SEV_STYLE, "SC2006", df.instrs[3].span.off + 9, df.instrs[3].span.off + 12, "ticks");
	struct ds_config cfg;
	ds_config_init(&cfg);
	const char *y = "override:\n  error: [SC2006]\n";
	assert_int_equal(ds_config_load_mem(&cfg, ".distill.yaml", y, strlen(y), DS_CONFIG_DISTILL, NULL), 0);
	assert_int_equal(ds_lint_filter(&a, &df, &m, &cfg, &d, 0), 2);
	assert_string_equal(d.v[0].code, "SC2086");
	assert_int_equal(d.v[1].sev, DS_SEV_ERROR);
	ds_config_release(&cfg);
	ds_arena_release(&a);
}

static void test_target_stage(void **state)
{
	(void)state;
	const char *df = "FROM " STATIC_RT " AS rt\nRUN a\nFROM node:22 AS dev\nRUN b\n";
	struct ds_config cfg;
	ds_config_init(&cfg);
	assert_string_equal(lint_cfg(df, "DST101", &cfg, "rt"), "DST101:2");
	assert_string_equal(lint_cfg(df, "DST101", &cfg, NULL), "");
	ds_config_release(&cfg);
}

static void test_rule_table(void **state)
{
	(void)state;
	assert_true(DS_R__COUNT >= 60);
	assert_ptr_equal(ds_rule_find("dst101"), &ds_rules[DS_R_DST101]);
	assert_null(ds_rule_find("DST999"));
	for (size_t i = 0; i < DS_R__COUNT; i++) {
		assert_non_null(ds_rules[i].slug);
		assert_true(strlen(ds_rules[i].summary) > 0);
		assert_true(strlen(ds_rules[i].explain) > 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(ds_rules[i].code, ds_rules[j].code);
	}
}

static int setup(void **state)
{
	(void)state;
	struct ds_catalog_error err;
	if (ds_catalog_load_builtin(&cat, &err)) {
		fprintf(stderr, "builtin catalogue: %s:%u:%u: %s\n", err.file, err.line, err.col, err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_catalog_free(cat);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dst101),
		cmocka_unit_test(test_dst102),
		cmocka_unit_test(test_dst103),
		cmocka_unit_test(test_dst104),
		cmocka_unit_test(test_dst105),
		cmocka_unit_test(test_dst106),
		cmocka_unit_test(test_dst107),
		cmocka_unit_test(test_dst108),
		cmocka_unit_test(test_dst201),
		cmocka_unit_test(test_dst202),
		cmocka_unit_test(test_dst203),
		cmocka_unit_test(test_dst204),
		cmocka_unit_test(test_dst205_206),
		cmocka_unit_test(test_dst301),
		cmocka_unit_test(test_dst302),
		cmocka_unit_test(test_dst303),
		cmocka_unit_test(test_dst304),
		cmocka_unit_test(test_pragma_instruction),
		cmocka_unit_test(test_pragma_global),
		cmocka_unit_test(test_pragma_stage),
		cmocka_unit_test(test_config_overrides),
		cmocka_unit_test(test_filter_extra_codes),
		cmocka_unit_test(test_target_stage),
		cmocka_unit_test(test_rule_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
