/* test_convert.c - unit tests for rewrite/convert: exec form, users, apk to apt, and whole conversions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rewrite/convert.h"
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

/* ---- exec form ---- */

/* The exec form of a shell-form command, or "!" + the reason. */
static const char *exec_form(const char *cmd)
{
	struct ds_convert_argv av;
	const char *why = NULL;
	if (ds_convert_shell_words(&arena, cmd, strlen(cmd), &av, &why) < 0)
		return ds_arena_printf(&arena, "!%s", why);
	return ds_convert_json_array(&arena, av.v, av.n);
}

static void test_exec_form_plain(void **state)
{
	(void)state;
	assert_string_equal(exec_form("node server.js"), "[\"node\", \"server.js\"]");
	assert_string_equal(exec_form("java -jar /app/app.jar --port 80"),
			    "[\"java\", \"-jar\", \"/app/app.jar\", \"--port\", \"80\"]");
	assert_string_equal(exec_form("  python   app.py  "), "[\"python\", \"app.py\"]");
	/* quotes are removed, and the JSON escapes what needs it */
	assert_string_equal(exec_form("echo 'a b' \"c\\\"d\""), "[\"echo\", \"a b\", \"c\\\"d\"]");
	/* a glob or a tilde inside quotes is literal */
	assert_string_equal(exec_form("ls '*.js' \"~\""), "[\"ls\", \"*.js\", \"~\"]");
	/* exec is what the shell would have done anyway */
	assert_string_equal(exec_form("exec node server.js"), "[\"node\", \"server.js\"]");
	/* a trailing comment goes */
	assert_string_equal(exec_form("node server.js # start"), "[\"node\", \"server.js\"]");
}

static void test_exec_form_needs_shell(void **state)
{
	(void)state;
	assert_string_equal(exec_form("npm run build && npm start"), "!it joins commands with '&&'");
	assert_string_equal(exec_form("a || b"), "!it joins commands with '||'");
	assert_string_equal(exec_form("a; b"), "!it joins commands with ';'");
	assert_string_equal(exec_form("cat x | grep y"), "!it uses a pipe");
	assert_string_equal(exec_form("server &"), "!it runs a command in the background with '&'");
	assert_string_equal(exec_form("node $APP"), "!it uses variables or substitutions, which only a shell expands");
	assert_string_equal(exec_form("node ${APP:-x}.js"), "!it uses variables or substitutions, which only a shell expands");
	assert_string_equal(exec_form("echo `date`"), "!it uses command substitution");
	assert_string_equal(exec_form("echo $(date)"), "!it uses command substitution");
	assert_string_equal(exec_form("server > /log"), "!it redirects input or output");
	assert_string_equal(exec_form("node *.js"), "!it uses a glob pattern, which only a shell expands");
	assert_string_equal(exec_form("cat ~/x"), "!it uses '~', which only a shell expands");
	assert_string_equal(exec_form("PORT=80 node app.js"), "!it sets variables before the command");
	assert_string_equal(exec_form("sh -c 'node app.js'"), "!it runs a shell");
	assert_string_equal(exec_form("nohup node app.js"), "!it runs the program through a wrapper command");
	assert_string_equal(exec_form("node 'unterminated"), "!it has an unterminated quote or substitution");
	assert_string_equal(exec_form("   "), "!it is empty");
}

/* ---- users ---- */

static const char *user(const char *rt_name, bool chainguard, const char *spec, bool *changed)
{
	const struct ds_catalog_runtime *rt = chainguard ? ds_catalog_chainguard_runtime(cat, rt_name)
							 : ds_catalog_runtime(cat, rt_name);
	assert_non_null(rt);
	return ds_convert_map_user(&arena, rt, spec, changed);
}

static void test_map_user(void **state)
{
	(void)state;
	bool ch;
	assert_string_equal(user("nodejs22", false, "node:node", &ch), "nonroot:nonroot");
	assert_true(ch);
	assert_string_equal(user("static", false, "app", &ch), "nonroot");
	assert_true(ch);
	assert_string_equal(user("static", false, "nonroot", &ch), "nonroot");
	assert_false(ch);
	assert_string_equal(user("static", false, "root", &ch), "root");
	assert_false(ch);
	assert_string_equal(user("static", false, "nobody:nobody", &ch), "nobody:nobody");
	assert_false(ch);
	/* numeric ids need no passwd entry */
	assert_string_equal(user("cc", false, "1000:1000", &ch), "1000:1000");
	assert_false(ch);
	assert_string_equal(user("cc", false, "10001", &ch), "10001");
	assert_false(ch);
	/* only the part that is unknown changes */
	assert_string_equal(user("base", false, "nonroot:app", &ch), "nonroot:nonroot");
	assert_true(ch);
	assert_string_equal(user("base", false, "app:0", &ch), "nonroot:0");
	assert_true(ch);
	/* chainguard's node image has a node user */
	assert_string_equal(user("node", true, "node:node", &ch), "node:node");
	assert_false(ch);
	assert_string_equal(user("node", true, "app", &ch), "node");
	assert_true(ch);
}

/* ---- apk to apt ---- */

static const char *apk(const char *cmd, bool update, bool *empty)
{
	const char *argv[32];
	size_t n = 0;
	char *copy = ds_arena_strdup(&arena, cmd);
	for (char *t = strtok(copy, " "); t && n < 32; t = strtok(NULL, " "))
		argv[n++] = t;
	const char *why = NULL;
	char *r = ds_convert_apk_to_apt(&arena, cat, argv, n, update, empty, &why);
	return r ? r : ds_arena_printf(&arena, "!%s", why);
}

static void test_apk_to_apt(void **state)
{
	(void)state;
	bool empty;
	assert_string_equal(apk("apk add --no-cache python3 make g++", true, &empty),
			    "apt-get update && apt-get install -y --no-install-recommends python3 make g++");
	assert_false(empty);
	assert_string_equal(apk("apk add --no-cache build-base musl-dev libffi-dev", false, &empty),
			    "apt-get install -y --no-install-recommends build-essential libc6-dev libffi-dev");
	/* --virtual and its name go, versions go, duplicates go */
	assert_string_equal(apk("apk add --no-cache --virtual .deps gcc=13.2.1-r0 libc-dev musl-dev", false, &empty),
			    "apt-get install -y --no-install-recommends gcc libc6-dev");
	/* --update asks for the index */
	assert_string_equal(apk("apk --update add curl", false, &empty),
			    "apt-get update && apt-get install -y --no-install-recommends curl");
	/* packages Debian does not need */
	assert_string_equal(apk("apk add --no-cache libc6-compat gcompat", false, &empty),
			    "apt-get install -y --no-install-recommends");
	assert_true(empty);
	/* what has no translation */
	assert_string_equal(apk("apk add no-such-package-xyz", false, &empty),
			    "!apk package 'no-such-package-xyz' has no known Debian package");
	assert_string_equal(apk("apk add --repository http://x curl", false, &empty),
			    "!apk option '--repository' has no apt-get equivalent here");
	assert_string_equal(apk("apk add curl@edge", false, &empty),
			    "!apk package 'curl@edge' comes from a tagged repository");
	assert_string_equal(apk("apk del curl", false, &empty), "!'apk del' is not an install");
}

/* ---- whole conversions ---- */

struct conv {
	struct ds_convert_result res;
	const char *out;
	char explain[8192];
};

static void convert(const char *text, const struct ds_convert_opts *opts, struct conv *cv)
{
	struct ds_dockerfile *df;
	struct ds_model *m;
	ds_test_parse_text(&arena, text, opts ? opts->target_stage : NULL, &df, &m);
	ds_convert(&arena, df, m, cat, opts, &cv->res);
	cv->out = ds_arena_strndup(&arena, cv->res.output, cv->res.output_len);
	cv->explain[0] = '\0';
	for (size_t i = 0; i < cv->res.diags.n; i++) {
		const struct ds_diag *d = &cv->res.diags.v[i];
		uint32_t line = 0, col = 0;
		if (d->has_pos)
			ds_source_linecol(df->src, d->off, &line, &col);
		size_t l = strlen(cv->explain);
		snprintf(cv->explain + l, sizeof cv->explain - l, "%u:%u %s %s [%s]\n", line, col,
			 ds_severity_name(d->sev), d->msg, d->code ? d->code : "");
	}
}

static void test_convert_split_node(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM node:22-alpine\n"
		"RUN apk add --no-cache python3 make g++\n"
		"WORKDIR /app\n"
		"COPY package*.json ./\n"
		"RUN npm ci\n"
		"COPY . .\n"
		"# the port\n"
		"EXPOSE 3000\n"
		"CMD node server.js\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_string_equal(cv.out,
			    "FROM node:22-trixie-slim AS builder\n"
			    "RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++\n"
			    "WORKDIR /app\n"
			    "COPY package*.json ./\n"
			    "RUN npm ci\n"
			    "COPY . .\n"
			    "\n"
			    "FROM gcr.io/distroless/nodejs22-debian13:latest\n"
			    "WORKDIR /app\n"
			    "COPY --from=builder /app /app\n"
			    "# the port\n"
			    "EXPOSE 3000\n"
			    "CMD [\"server.js\"]\n");
	assert_non_null(strstr(cv.explain, "9:1 note shell-form CMD turned into exec form [\"server.js\"] [DST102]"));
	assert_non_null(strstr(cv.explain, "[DST202]"));
	assert_string_equal(cv.res.runtime, "gcr.io/distroless/nodejs22-debian13:latest");
}

static void test_convert_swap_go(void **state)
{
	(void)state;
	struct conv cv;
	const char *in = "FROM golang:1.23-alpine AS build\n"
			 "RUN CGO_ENABLED=0 go build -o /out/app .\n"
			 "FROM alpine:3.20\n"
			 "# certificates\n"
			 "RUN apk add --no-cache ca-certificates tzdata\n"
			 "COPY --from=build /out/app /usr/local/bin/app\n"
			 "USER 10001\n"
			 "ENTRYPOINT [\"/usr/local/bin/app\"]\n";
	convert(in, NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_string_equal(cv.out, "FROM golang:1.23-alpine AS build\n"
				    "RUN CGO_ENABLED=0 go build -o /out/app .\n"
				    "FROM gcr.io/distroless/static-debian13:latest\n"
				    "COPY --from=build /out/app /usr/local/bin/app\n"
				    "USER 10001\n"
				    "ENTRYPOINT [\"/usr/local/bin/app\"]\n");
	/* --debian 12 */
	struct ds_convert_opts o;
	ds_convert_opts_init(&o);
	o.debian = "12";
	convert(in, &o, &cv);
	assert_non_null(strstr(cv.out, "FROM gcr.io/distroless/static-debian12:latest\n"));
	/* --target chainguard */
	ds_convert_opts_init(&o);
	o.vendor = DS_VENDOR_CHAINGUARD;
	convert(in, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM cgr.dev/chainguard/static:latest\n"));
}

/* --target as a list: the first general vendor runs languages, later ones replace what it has nothing for. */
static void test_convert_target_list(void **state)
{
	(void)state;
	struct ds_convert_opts o;
	const char *bad;
	ds_convert_opts_init(&o);
	assert_int_equal(ds_convert_parse_targets("chiseled,chainguard,distroless", &o, &bad), 0);
	assert_int_equal(o.vendor, DS_VENDOR_CHAINGUARD);
	assert_int_equal(o.ntargets, 3);
	assert_int_equal(o.targets[0], DS_VENDOR_CHISELED);
	assert_int_equal(ds_convert_parse_targets("distroless,ubi", &o, &bad), -1);
	assert_string_equal(bad, "ubi");
	assert_int_equal(ds_convert_parse_targets("chiseled,chiseled", &o, &bad), -1);
	assert_int_equal(ds_convert_parse_targets("", &o, &bad), -1);
	assert_int_equal(o.ntargets, 3); /* unchanged by a bad list */

	struct conv cv;
	const char *dotnet = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\n"
			     "RUN dotnet publish -c Release -o /app\n"
			     "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY --from=build /app .\n"
			     "ENTRYPOINT [\"dotnet\", \"App.dll\"]\n";
	/* distroless alone has no .NET runtime, and says which vendor's has */
	convert(dotnet, NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_NO_RUNTIME);
	assert_non_null(strstr(cv.res.reason, "'mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra' of chiseled takes its place with --target distroless,chiseled"));
	assert_string_equal(cv.res.suggest, "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra");
	ds_convert_opts_init(&o);
	assert_int_equal(ds_convert_parse_targets("distroless,chiseled,chainguard", &o, &bad), 0);
	convert(dotnet, &o, &cv);
	/* the chiseled image with ICU and tzdata; it runs as app (1654), not root: declared */
	assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
	assert_int_equal(cv.res.needs, 1u << DS_CHANGE_USER);
	o.accept |= 1u << DS_CHANGE_USER;
	convert(dotnet, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra\nWORKDIR /app\n"));
	assert_non_null(strstr(cv.out, "ENTRYPOINT [\"dotnet\", \"App.dll\"]"));
	/* a self-contained application on runtime-deps: no dotnet to start */
	convert("FROM mcr.microsoft.com/dotnet/sdk:9.0 AS b\nRUN dotnet publish -r linux-x64 --self-contained -o /app\n"
		"FROM mcr.microsoft.com/dotnet/runtime-deps:9.0\nCOPY --from=b /app /app\nENTRYPOINT [\"/app/Svc\"]\n",
		&o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM mcr.microsoft.com/dotnet/runtime-deps:9.0-noble-chiseled-extra\n"));
	/* a version without a chiseled image says which versions have one */
	const char *old = "FROM mcr.microsoft.com/dotnet/runtime:6.0\nCOPY app /app\nENTRYPOINT [\"dotnet\", \"/app/a.dll\"]\n";
	convert(old, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.res.reason, "for dotnet 8.0, none for 6.0"));
	/* chiseled alone replaces .NET only */
	assert_int_equal(ds_convert_parse_targets("chiseled", &o, &bad), 0);
	convert("FROM golang:1.23 AS b\nRUN go build -o /a\nFROM alpine:3.20\nCOPY --from=b /a /a\nCMD [\"/a\"]\n", &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_NO_RUNTIME);
	assert_non_null(strstr(cv.res.reason, "no runtime of --target chiseled replaces 'alpine:3.20'"));
}

/* --target ubi-micro: UBI final stages onto UBI micro, by the libraries the program needs. */
static void test_convert_ubi_micro(void **state)
{
	(void)state;
	struct ds_convert_opts o;
	const char *bad;
	ds_convert_opts_init(&o);
	assert_int_equal(ds_convert_parse_targets("ubi-micro", &o, &bad), 0);
	assert_int_equal(o.vendor, DS_VENDOR_DISTROLESS); /* not a vendor of language runtimes */
	struct conv cv;
	/* a static Go program: the same release, the trust store carried from the image it replaces */
	const char *go = "FROM golang:1.23 AS b\nRUN CGO_ENABLED=0 go build -o /a\n"
			 "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.7-1784720169\nCOPY --from=b /a /a\nCMD /a -v\n";
	convert(go, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM registry.access.redhat.com/ubi9/ubi-micro:9.7\n"
				       "COPY --from=registry.access.redhat.com/ubi9/ubi-minimal:9.7-1784720169 /etc/pki /etc/pki\n"));
	assert_non_null(strstr(cv.out, "CMD [\"/a\", \"-v\"]"));
	/* the check passes it for a --target that names ubi-micro only: the image has bash */
	struct ds_arena ca = DS_ARENA_INIT;
	const char *why;
	assert_int_equal(ds_convert_check_targets(&ca, cv.out, strlen(cv.out), "x", cat, NULL, &o, &why), 0);
	assert_int_equal(ds_convert_check(&ca, cv.out, strlen(cv.out), "x", cat, NULL, &why), -1);
	assert_non_null(strstr(why, "which has a shell"));
	ds_arena_release(&ca);
	/* a Quarkus native executable needs libstdc++ and zlib: Quarkus's micro image has them */
	const char *q = "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.7\nWORKDIR /work/\n"
			"RUN chown 1001 /work\nCOPY target/*-runner /work/application\nUSER 1001\n"
			"CMD [\"./application\"]\n";
	convert(q, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0\nCOPY --from=builder /etc/pki /etc/pki\n"));
	/* a dynamically linked C program: its libraries are unknown, so ubi-micro alone refuses */
	const char *cc = "FROM registry.access.redhat.com/ubi9/ubi:9.5 AS b\nRUN dnf install -y gcc && gcc -o /w w.c\n"
			 "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5\nCOPY --from=b /w /w\nCMD [\"/w\"]\n";
	convert(cc, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.res.reason, "no runtime of --target ubi-micro fits"));
	/* ... and with distroless after it, distroless takes it */
	assert_int_equal(ds_convert_parse_targets("ubi-micro,distroless", &o, &bad), 0);
	convert(cc, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM gcr.io/distroless/cc-debian13"));
	/* a final stage not on UBI is distroless's; ubi-micro alone refuses it */
	const char *alp = "FROM golang:1.23 AS b\nRUN CGO_ENABLED=0 go build -o /a\nFROM alpine:3.20\nCOPY --from=b /a /a\nCMD [\"/a\"]\n";
	convert(alp, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM gcr.io/distroless/static-debian13"));
	assert_int_equal(ds_convert_parse_targets("ubi-micro", &o, &bad), 0);
	convert(alp, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.res.reason, "'alpine:3.20' is not one"));
	/* distroless first: ubi-micro is not tried for what distroless runs */
	assert_int_equal(ds_convert_parse_targets("distroless,ubi-micro", &o, &bad), 0);
	convert(go, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM gcr.io/distroless/static-debian13"));
	/* built on Alpine: its build moves to Debian, whose glibc may be newer than RHEL's */
	assert_int_equal(ds_convert_parse_targets("ubi-micro", &o, &bad), 0);
	convert("FROM golang:1.23-alpine AS b\nRUN apk add gcc musl-dev && go build -o /a .\n"
		"FROM registry.access.redhat.com/ubi8/ubi-minimal:8.10\nCOPY --from=b /a /a\nCMD [\"/a\"]\n", &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.res.reason, "the program is built on Alpine"));
	/* a language runtime is not ubi-micro's */
	convert("FROM registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24\nCOPY app.jar /deployments/app.jar\n"
		"ENTRYPOINT [\"java\", \"-jar\", \"/deployments/app.jar\"]\n", &o, &cv);
	assert_int_not_equal(cv.res.status, DS_CONVERT_CONVERTED);
}

/* nginx onto Chainguard's: the -dev builder for the RUNs, the launcher and the port declared. */
static void test_convert_chainguard_nginx(void **state)
{
	(void)state;
	struct ds_convert_opts o;
	const char *bad;
	ds_convert_opts_init(&o);
	assert_int_equal(ds_convert_parse_targets("distroless,chainguard", &o, &bad), 0);
	struct conv cv;
	const char *in = "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
			 "FROM nginx:alpine\nWORKDIR /usr/share/nginx/html\nRUN rm -rf ./*\n"
			 "COPY --from=build /app/dist .\n";
	convert(in, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
	assert_int_equal(cv.res.needs, 1u << DS_CHANGE_USER);
	assert_non_null(strstr(cv.out, "FROM cgr.dev/chainguard/nginx:latest-dev AS builder\nUSER root\n"));
	assert_non_null(strstr(cv.out, "FROM cgr.dev/chainguard/nginx:latest\n"));
	/* the image's CMD, for the runtime's entrypoint nginx */
	assert_non_null(strstr(cv.out, "ENTRYPOINT []\nCMD [\"nginx\", \"-g\", \"daemon off;\"]"));
	assert_non_null(strstr(cv.explain, "listens on port 8080, not 80"));
	assert_non_null(strstr(cv.explain, "'/docker-entrypoint.sh'"));
	o.accept |= 1u << DS_CHANGE_USER;
	convert(in, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	/* its own default server: no port change to declare; a pinned release is a bump */
	const char *conf = "FROM nginx:1.27-alpine\nCOPY site.conf /etc/nginx/conf.d/default.conf\nCOPY html /usr/share/nginx/html\n";
	convert(conf, &o, &cv);
	assert_null(strstr(cv.explain, "listens on port 8080"));
	assert_int_equal(cv.res.needs, 1u << DS_CHANGE_BUMP);
	/* the main configuration is the runtime's own */
	convert("FROM nginx:alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\n", &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.res.reason, "keeps as its own"));
}

static void test_convert_nothing(void **state)
{
	(void)state;
	struct conv cv;
	const char *in = "FROM golang:1.23 AS build\r\nRUN CGO_ENABLED=0 go build -o /app\r\n\r\n"
			 "FROM gcr.io/distroless/static-debian12:nonroot\r\nCOPY --from=build /app /\r\nCMD [\"/app\"]";
	convert(in, NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_NOTHING);
	assert_int_equal(cv.res.nedits, 0);
	assert_string_equal(cv.out, in);
}

static void test_convert_fix_removed(void **state)
{
	(void)state;
	struct conv cv;
	const char *in = "FROM node:20 AS b\nWORKDIR /build\nRUN npm ci\n"
			 "FROM gcr.io/distroless/nodejs20\nCOPY --from=b --chown=node:node /build /app\nWORKDIR /app\n"
			 "CMD [\"node\", \"index.js\"]\n";
	/* the replacement changes the node version and the owner: both declared, not accepted */
	convert(in, NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
	assert_int_equal(cv.res.needs, (1u << DS_CHANGE_USER) | (1u << DS_CHANGE_BUMP));
	struct ds_convert_opts o;
	ds_convert_opts_init(&o);
	o.accept |= (1u << DS_CHANGE_USER) | (1u << DS_CHANGE_BUMP);
	convert(in, &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	/* the original ran "node" as a program file: a repair, accepted by default */
	assert_non_null(strstr(cv.explain, "so the original ran 'node' as a program file (accepted change: repair)"));
	assert_string_equal(cv.out, "FROM node:22 AS b\nWORKDIR /build\nRUN npm ci\n"
				    "FROM gcr.io/distroless/nodejs22-debian13:latest\n"
				    "COPY --from=b --chown=nonroot:nonroot /build /app\nWORKDIR /app\n"
				    "CMD [\"index.js\"]\n");
	assert_non_null(strstr(cv.explain, "[DST203]"));
	assert_non_null(strstr(cv.explain, "[DST106]"));
	assert_non_null(strstr(cv.explain, "[DST108]"));
}

static void test_convert_crlf_no_final_newline(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM python:3.13-slim\r\nWORKDIR /app\r\nCOPY . .\r\nRUN pip install -r requirements.txt\r\n"
		"CMD [\"python\", \"main.py\"]",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_string_equal(cv.out,
			    "FROM python:3.13-slim AS builder\r\nWORKDIR /app\r\nCOPY . .\r\n"
			    "RUN pip install -r requirements.txt\r\n\r\n"
			    "FROM gcr.io/distroless/python3-debian13:latest\r\n"
			    "ENV PYTHONPATH=/usr/local/lib/python3.13/site-packages\r\n"
			    "WORKDIR /app\r\n"
			    "COPY --from=builder /app /app\r\n"
			    "COPY --from=builder /usr/local/lib/python3.13/site-packages /usr/local/lib/python3.13/site-packages\r\n"
			    "CMD [\"main.py\"]");
}

static void test_convert_manual(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD npm run migrate && node server.js\n", NULL,
		&cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.explain, "5:1 warning shell-form CMD cannot become exec form: it joins commands with '&&'"));
	/* the rest is converted, the command is left as it was */
	assert_non_null(strstr(cv.out, "FROM gcr.io/distroless/nodejs22-debian13:latest\n"));
	assert_non_null(strstr(cv.out, "CMD npm run migrate && node server.js\n"));
	assert_non_null(cv.res.reason);

	convert("FROM node:22-alpine\nCOPY . /app\nCMD [\"npm\", \"start\"]\n", NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_non_null(strstr(cv.explain, "CMD runs 'npm'"));

	/* node 18 has no runtime: only with --bump-runtime */
	convert("FROM node:18-alpine\nCOPY . /app\nCMD [\"node\", \"/app/x.js\"]\n", NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_int_equal(cv.res.nedits, 0);
	struct ds_convert_opts o;
	ds_convert_opts_init(&o);
	o.bump_runtime = true;
	convert("FROM node:18-alpine\nCOPY . /app\nCMD [\"node\", \"/app/x.js\"]\n", &o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_string_equal(cv.out, "FROM gcr.io/distroless/nodejs22-debian13:latest\nCOPY . /app\nCMD [\"/app/x.js\"]\n");
	assert_true(cv.res.needs == 0 && cv.res.nchanges >= 1);
}

/* a file docker build rejects is an error, located at the instruction */
static void test_convert_bad_arity(void **state)
{
	(void)state;
	struct conv cv;
	const char *in = "FROM golang:1.23-alpine AS build\nRUN go build -o /app .\nFROM alpine:3.20\n"
			 "COPY --from=build /app /app\nUSER\nENTRYPOINT [\"/app\"]\n";
	convert(in, NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_ERROR);
	assert_string_equal(cv.out, in);
	assert_non_null(strstr(cv.explain, "5:1 error USER requires exactly one argument"));
}

static void test_convert_no_runtime(void **state)
{
	(void)state;
	struct conv cv;
	const char *in = "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ /app\nENTRYPOINT [\"dotnet\", \"app.dll\"]\n";
	convert(in, NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_NO_RUNTIME);
	assert_string_equal(cv.out, in);
	assert_non_null(cv.res.suggest);
	assert_non_null(strstr(cv.res.suggest, "chiseled"));
}

static void test_convert_healthcheck(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM node:22-slim\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\n"
		"HEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD [\"node\", \"/app/s.js\"]\n",
		NULL, &cv);
	/* removing the health check changes behaviour: it needs --accept healthcheck */
	assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
	assert_int_equal(cv.res.needs, 1u << DS_CHANGE_HEALTHCHECK);
	assert_string_equal(cv.out, "FROM gcr.io/distroless/nodejs22-debian13:latest\nCOPY . /app\nCMD [\"/app/s.js\"]\n");
	assert_non_null(strstr(cv.explain, "4:1 warning HEALTHCHECK removed from the runtime stage"));
	/* a health check that node itself runs is kept, with node's path */
	convert("FROM node:22-slim\nCOPY . /app\nHEALTHCHECK --interval=5s CMD node /app/hc.js\nCMD [\"node\", \"/app/s.js\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "HEALTHCHECK --interval=5s CMD [\"/nodejs/bin/node\", \"/app/hc.js\"]\n"));
}

static void test_convert_shell_onbuild(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM gcr.io/distroless/static-debian13:nonroot\nSHELL [\"/bin/sh\", \"-c\"]\nONBUILD RUN echo hi\n"
		"COPY app /app\nENTRYPOINT [\"/app\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
	assert_int_equal(cv.res.needs, 1u << DS_CHANGE_ONBUILD);
	assert_string_equal(cv.out, "FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\nENTRYPOINT [\"/app\"]\n");
	assert_non_null(strstr(cv.explain, "2:1 warning SHELL removed"));
	assert_non_null(strstr(cv.explain, "3:1 warning ONBUILD RUN removed"));
}

static void test_convert_target_stage(void **state)
{
	(void)state;
	struct conv cv;
	struct ds_convert_opts o;
	ds_convert_opts_init(&o);
	o.target_stage = "prod";
	convert("FROM python:3.13-slim AS prod\nWORKDIR /srv\nCOPY . .\nRUN pip install --target /deps -r r.txt\n"
		"CMD [\"python\", \"app.py\"]\n\nFROM prod AS test\nRUN pytest\n",
		&o, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_string_equal(cv.out,
			    "FROM python:3.13-slim AS prod-build\nWORKDIR /srv\nCOPY . .\nRUN pip install --target /deps -r r.txt\n"
			    "\n"
			    "FROM gcr.io/distroless/python3-debian13:latest AS prod\n"
			    "ENV PYTHONPATH=/deps\n"
			    "WORKDIR /srv\n"
			    "COPY --from=prod-build /deps /deps\n"
			    "COPY --from=prod-build /srv /srv\n"
			    "CMD [\"app.py\"]\n"
			    "\n"
			    "FROM prod-build AS test\nRUN pytest\n");
}

/* a mirror of distroless set by an overlay without a match key; a private registry's tags are never invented */
static void test_convert_mirror_and_private_registry(void **state)
{
	(void)state;
	const char *in = "FROM golang:1.23-bookworm AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n"
			 "FROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\nENTRYPOINT [\"app\"]\n";
	struct ds_catalog_error err;
	const char *mirror = "distroless:\n  registry: mirror.corp.example/distroless\n";
	assert_int_equal(ds_catalog_overlay_mem(cat, "mirror.yaml", mirror, strlen(mirror), &err), 0);
	struct conv cv;
	convert(in, NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM mirror.corp.example/distroless/static-debian12:latest\n"));
	/* the builtin catalogue again for the other tests */
	ds_catalog_free(cat);
	assert_int_equal(ds_catalog_load_builtin(&cat, &err), 0);

	convert("FROM registry.corp.example/base/node:22-alpine AS build\nWORKDIR /app\nCOPY . .\n"
		"RUN apk add --no-cache g++ make python3 && npm ci\n"
		"FROM registry.corp.example/base/node:22-alpine\nWORKDIR /app\nCOPY --from=build /app /app\n"
		"CMD [\"node\", \"index.js\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_MANUAL);
	assert_null(strstr(cv.out, "registry.corp.example/base/node:22-trixie"));
	assert_non_null(strstr(cv.explain, "but which tags 'registry.corp.example/base/node' has is not known"));
}

/* A RUN's chown of the WORKDIR goes along with the folder: silently when its content had that owner already, declared when not. */
static void test_convert_workdir_owner(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM registry.access.redhat.com/ubi9/ubi-minimal:9.7\nWORKDIR /work/\n"
		"RUN chown 1001 /work && chmod g+rwX /work\n"
		"COPY --chmod=0755 target/app-runner /work/application\nUSER 1001\nENTRYPOINT [\"./application\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "COPY --from=builder --chown=1001 /work /work\n"));
	/* the program keeps its own owner (root) */
	assert_non_null(strstr(cv.out, "COPY --from=builder /work/application /work/application\n"));

	convert("FROM registry.access.redhat.com/ubi9/ubi-minimal:9.7\nWORKDIR /work/\nCOPY config/ /work/config/\n"
		"RUN chown 1001 /work\n"
		"COPY --chmod=0755 target/app-runner /work/application\nUSER 1001\nENTRYPOINT [\"./application\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
	assert_true(cv.res.needs & (1u << DS_CHANGE_USER));
	assert_non_null(strstr(cv.explain, "which the original left to other owners"));
}

/* The proof of a converted result: its final stage passes the check, and converting it again changes nothing. */
static void assert_proven_and_stable(const struct conv *cv)
{
	const char *why = NULL;
	assert_int_equal(ds_convert_check(&arena, cv->out, strlen(cv->out), "x", cat, NULL, &why), 0);
	struct conv again;
	convert(cv->out, NULL, &again);
	assert_int_equal(again.res.status, DS_CONVERT_NOTHING);
}

/* swap: the users the final stage makes are made again in an accounts stage, on the original image. */
static void test_convert_accounts_swap(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM golang:1.23-alpine AS build\n"
		"RUN CGO_ENABLED=0 go build -o /out/app .\n"
		"FROM alpine:3.20\n"
		"RUN apk add --no-cache ca-certificates\n"
		"ARG UID=10001\n"
		"RUN adduser -D -u \"$UID\" app\n"
		"COPY --from=build /out/app /usr/local/bin/app\n"
		"COPY --chown=app:app config.yaml /etc/app/\n"
		"USER app\n"
		"ENTRYPOINT [\"/usr/local/bin/app\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_int_equal(cv.res.needs, 0);
	for (size_t i = 0; i < cv.res.nchanges; i++)
		assert_int_not_equal(cv.res.changes[i].kind, DS_CHANGE_USER);
	assert_string_equal(cv.out,
			    "FROM golang:1.23-alpine AS build\n"
			    "RUN CGO_ENABLED=0 go build -o /out/app .\n"
			    "# the users and groups the original image made, added to the runtime's own\n"
			    "FROM alpine:3.20 AS accounts\n"
			    "ARG UID=10001\n"
			    "RUN adduser -D -u \"$UID\" app\n"
			    "COPY --from=gcr.io/distroless/static-debian13:latest /etc/passwd /etc/group /distill-accounts/etc/\n"
			    "RUN grep '^app:' /etc/passwd >> /distill-accounts/etc/passwd && \\\n"
			    "    grep '^app:' /etc/group >> /distill-accounts/etc/group && \\\n"
			    "    mkdir -p /distill-accounts/home && \\\n"
			    "    if [ -d /home/app ]; then mkdir /distill-accounts/home/app && \\\n"
			    "        chown \"$(stat -c %u:%g /home/app)\" /distill-accounts/home/app && \\\n"
			    "        chmod \"$(stat -c %a /home/app)\" /distill-accounts/home/app; fi\n"
			    "\n"
			    "FROM gcr.io/distroless/static-debian13:latest\n"
			    "COPY --from=accounts /distill-accounts/etc/passwd /distill-accounts/etc/group /etc/\n"
			    "COPY --from=accounts /distill-accounts/home/ /home/\n"
			    "ARG UID=10001\n"
			    "COPY --from=build /out/app /usr/local/bin/app\n"
			    "COPY --chown=app:app config.yaml /etc/app/\n"
			    "USER app\n"
			    "ENTRYPOINT [\"/usr/local/bin/app\"]\n");
	assert_non_null(strstr(cv.explain, "6:1 note RUN removed: it creates users, which stage 'accounts' now makes [DST101]"));
	assert_non_null(strstr(cv.explain, "'app' keeps its name, ids and home folder: stage 'accounts' runs the commands that make it on 'alpine:3.20'"));
	assert_proven_and_stable(&cv);

	/* a named final stage names its accounts stage; no home folder, no home copy */
	convert("FROM alpine:3.20 AS run\nRUN addgroup -S -g 2000 web && adduser -S -H -u 2000 -G web web\n"
		"COPY --from=golang:1.23 /usr/local/go/bin/gofmt /gofmt\nUSER web:web\nENTRYPOINT [\"/gofmt\"]\n",
		NULL, &cv);
	assert_non_null(strstr(cv.explain, "cannot tell how it is linked")); /* a program of another image: left to a person */
	convert("FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /gofmt .\n"
		"FROM alpine:3.20 AS run\nRUN addgroup -S -g 2000 web && adduser -S -H -u 2000 -G web web\n"
		"COPY --from=build /gofmt /gofmt\nUSER web:web\nENTRYPOINT [\"/gofmt\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM alpine:3.20 AS run-accounts\n"));
	assert_non_null(strstr(cv.out, "RUN grep '^web:' /etc/passwd >> /distill-accounts/etc/passwd && \\\n"
				       "    grep '^web:' /etc/group >> /distill-accounts/etc/group\n"));
	assert_non_null(strstr(cv.out, "FROM gcr.io/distroless/static-debian13:latest AS run\n"
				       "COPY --from=run-accounts /distill-accounts/etc/passwd /distill-accounts/etc/group /etc/\n"
				       "COPY --from=build /gofmt /gofmt\nUSER web:web\n"));
	assert_null(strstr(cv.out, "/distill-accounts/home"));
	assert_proven_and_stable(&cv);

	/* a glibc runtime: the Alpine accounts stage sends it text, not native code, so converting again keeps it */
	convert("FROM golang:1.23 AS build\nRUN go build -o /out/app .\n"
		"FROM alpine:3.20\nRUN adduser -D -u 1000 app\nCOPY --from=build /out/app /app\nUSER app\nENTRYPOINT [\"/app\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_non_null(strstr(cv.out, "FROM alpine:3.20 AS accounts\n"));
	assert_non_null(strstr(cv.out, "FROM gcr.io/distroless/base-debian13:latest\n"));
	assert_proven_and_stable(&cv);
}

/* split: the accounts stage starts from the builder, where the users were made, and runs as root there. */
static void test_convert_accounts_split(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM node:22-slim AS base\n"
		"WORKDIR /usr/local/app\n"
		"RUN useradd -m appuser && chown -R appuser /usr/local/app\n"
		"USER appuser\n"
		"COPY --chown=appuser:appuser package.json package-lock.json ./\n"
		"FROM base AS final\n"
		"RUN npm ci --production --ignore-scripts\n"
		"COPY ./src ./src\n"
		"CMD [\"node\", \"src/index.js\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_int_equal(cv.res.needs, 0);
	assert_non_null(strstr(cv.out, "FROM base AS final-build\n"));
	assert_non_null(strstr(cv.out, "# the users and groups the original image made, added to the runtime's own\n"
				       "FROM final-build AS final-accounts\n"
				       "USER root\n"
				       "COPY --from=gcr.io/distroless/nodejs22-debian13:latest /etc/passwd /etc/group /distill-accounts/etc/\n"
				       "RUN grep '^appuser:' /etc/passwd >> /distill-accounts/etc/passwd && \\\n"
				       "    grep '^appuser:' /etc/group >> /distill-accounts/etc/group && \\\n"
				       "    mkdir -p /distill-accounts/home && \\\n"
				       "    if [ -d /home/appuser ]; then mkdir /distill-accounts/home/appuser && \\\n"
				       "        chown \"$(stat -c %u:%g /home/appuser)\" /distill-accounts/home/appuser && \\\n"
				       "        chmod \"$(stat -c %a /home/appuser)\" /distill-accounts/home/appuser; fi\n"
				       "USER appuser\n"
				       "\n"
				       "FROM gcr.io/distroless/nodejs22-debian13:latest AS final\n"
				       "COPY --from=final-accounts /distill-accounts/etc/passwd /distill-accounts/etc/group /etc/\n"
				       "COPY --from=final-accounts /distill-accounts/home/ /home/\n"));
	/* the owners keep their names */
	assert_non_null(strstr(cv.out, "COPY --from=final-build --chown=appuser /usr/local/app /usr/local/app\n"));
	assert_non_null(strstr(cv.out, "USER appuser\nCMD [\"src/index.js\"]"));
	assert_proven_and_stable(&cv);
}

/* What cannot be kept is renamed as before, a declared change of kind user, and the note says why. */
static void test_convert_accounts_refused(void **state)
{
	(void)state;
	const char *go = "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\n";
	const char *tail = "COPY --from=build /app /app\nUSER app\nENTRYPOINT [\"/app\"]\n";
	static const struct {
		const char *from, *run, *why;
	} cases[] = {
		{ "alpine:3.20", "RUN adduser -D -u 65532 app\n", "has a user with id 65532 of its own" },
		{ "alpine:3.20", "RUN adduser -D -u 1000 nobody && adduser -D app\n", "has a user 'nobody' of its own" },
		{ "alpine:3.20", "RUN addgroup -g 5 term && adduser -D -G term app\n", "has a group with id 5 of its own" },
		{ "alpine:3.20", "RUN adduser -D app && addgroup app wheel\n", "a second operand adds a user to the group" },
		{ "debian:12-slim", "RUN useradd -G users app\n", "it adds the user to other groups" },
		{ "alpine:3.20", "RUN adduser -D app && usermod -s /bin/sh app\n", "it changes existing accounts" },
		{ "alpine:3.20", "RUN id app || adduser -D app\n", "'adduser' here may not run" },
		{ "alpine:3.20", "RUN adduser -D -h /srv/app app\n", "the home folder '/srv/app' of 'app' is not a folder of /home" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct conv cv;
		convert(ds_arena_printf(&arena, "%sFROM %s\n%s%s", go, cases[i].from, cases[i].run, tail), NULL, &cv);
		assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
		assert_true(cv.res.needs & (1u << DS_CHANGE_USER));
		assert_non_null(strstr(cv.out, "USER nonroot\n"));
		assert_null(strstr(cv.out, "distill-accounts"));
		assert_non_null(strstr(cv.explain, "the users and groups made here stay out of the runtime image"));
		assert_non_null(strstr(cv.explain, cases[i].why));
	}
	/* a user made but never used: nothing to keep, nothing said */
	struct conv cv;
	convert("FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.20\n"
		"RUN adduser -D app\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_CONVERTED);
	assert_null(strstr(cv.out, "distill-accounts"));
	assert_null(strstr(cv.explain, "stay out"));
	/* later stages follow the final one (--target-stage): a stage more would renumber them */
	struct ds_convert_opts o;
	ds_convert_opts_init(&o);
	o.target_stage = "run";
	convert("FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.20 AS run\n"
		"RUN adduser -D app\nCOPY --from=build /app /app\nUSER app\nENTRYPOINT [\"/app\"]\n"
		"FROM run AS debug\nUSER root\n",
		&o, &cv);
	assert_non_null(strstr(cv.explain, "stages follow the final one"));
	assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
}

/* A builder that moves to another image would make the users differently: the proof sees it, and the conversion renames them. */
static void test_convert_accounts_moved_builder(void **state)
{
	(void)state;
	struct conv cv;
	convert("FROM node:22-alpine\nRUN apk add --no-cache python3 make g++\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
		"RUN adduser -D -u 10001 app && chown -R app /app\nUSER app\nCMD [\"node\", \"server.js\"]\n",
		NULL, &cv);
	assert_int_equal(cv.res.status, DS_CONVERT_ACCEPT);
	assert_non_null(strstr(cv.out, "FROM node:22-trixie-slim AS builder\n"));
	assert_null(strstr(cv.out, "distill-accounts"));
	assert_non_null(strstr(cv.out, "USER nonroot\n"));
	assert_non_null(strstr(cv.explain, "the user 'app' would be made on 'node:22-trixie-slim', not on the original's 'node:22-alpine'"));
}

static void test_check(void **state)
{
	(void)state;
	const char *why = NULL;
	const char *ok = "FROM gcr.io/distroless/static-debian13:nonroot\nCOPY a /a\nUSER 1000\nCMD [\"/a\"]\n";
	assert_int_equal(ds_convert_check(&arena, ok, strlen(ok), "x", cat, NULL, &why), 0);
	const char *run = "FROM gcr.io/distroless/static-debian13\nRUN echo\n";
	assert_int_equal(ds_convert_check(&arena, run, strlen(run), "x", cat, NULL, &why), -1);
	assert_string_equal(why, "line 2: RUN in the final stage");
	const char *sh = "FROM gcr.io/distroless/static-debian13\nCMD echo hi\n";
	assert_int_equal(ds_convert_check(&arena, sh, strlen(sh), "x", cat, NULL, &why), -1);
	const char *usr = "FROM gcr.io/distroless/static-debian13\nUSER app\n";
	assert_int_equal(ds_convert_check(&arena, usr, strlen(usr), "x", cat, NULL, &why), -1);
	assert_string_equal(why, "line 2: user 'app' is not in the runtime");
	const char *alp = "FROM alpine\nCMD [\"/a\"]\n";
	assert_int_equal(ds_convert_check(&arena, alp, strlen(alp), "x", cat, NULL, &why), -1);
	const char *node = "FROM gcr.io/distroless/nodejs22-debian13\nCMD [\"node\", \"a.js\"]\n";
	assert_int_equal(ds_convert_check(&arena, node, strlen(node), "x", cat, NULL, &why), -1);
	const char *curl = "FROM gcr.io/distroless/base-debian13\nHEALTHCHECK CMD [\"curl\", \"-f\", \"x\"]\n";
	assert_int_equal(ds_convert_check(&arena, curl, strlen(curl), "x", cat, NULL, &why), -1);
	/* users copied in with a passwd file are in the image; without the file, or another name, they are not */
	const char *acc = "FROM alpine:3.20 AS acc\nRUN adduser -D -u 1000 app\n"
			  "FROM gcr.io/distroless/static-debian13\n"
			  "COPY --from=acc /x/passwd /x/group /etc/\nUSER app:app\nCMD [\"/a\"]\n";
	assert_int_equal(ds_convert_check(&arena, acc, strlen(acc), "x", cat, NULL, &why), 0);
	const char *nofile = "FROM alpine:3.20 AS acc\nRUN adduser -D -u 1000 app\n"
			     "FROM gcr.io/distroless/static-debian13\nUSER app\nCMD [\"/a\"]\n";
	assert_int_equal(ds_convert_check(&arena, nofile, strlen(nofile), "x", cat, NULL, &why), -1);
	assert_string_equal(why, "line 4: user 'app' is not in the runtime");
	const char *other = "FROM alpine:3.20 AS acc\nRUN adduser -D -u 1000 app\n"
			    "FROM scratch\nCOPY --from=acc /etc/passwd /etc/passwd\nUSER app:app\nCMD [\"/a\"]\n";
	assert_int_equal(ds_convert_check(&arena, other, strlen(other), "x", cat, NULL, &why), -1);
	assert_string_equal(why, "line 5: user 'app:app' is not in the runtime");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_form_plain),
		cmocka_unit_test(test_exec_form_needs_shell),
		cmocka_unit_test(test_map_user),
		cmocka_unit_test(test_apk_to_apt),
		cmocka_unit_test(test_convert_split_node),
		cmocka_unit_test(test_convert_swap_go),
		cmocka_unit_test(test_convert_nothing),
		cmocka_unit_test(test_convert_fix_removed),
		cmocka_unit_test(test_convert_crlf_no_final_newline),
		cmocka_unit_test(test_convert_manual),
		cmocka_unit_test(test_convert_bad_arity),
		cmocka_unit_test(test_convert_no_runtime),
		cmocka_unit_test(test_convert_healthcheck),
		cmocka_unit_test(test_convert_shell_onbuild),
		cmocka_unit_test(test_convert_target_stage),
		cmocka_unit_test(test_convert_mirror_and_private_registry),
		cmocka_unit_test(test_convert_workdir_owner),
		cmocka_unit_test(test_convert_target_list),
		cmocka_unit_test(test_convert_ubi_micro),
		cmocka_unit_test(test_convert_chainguard_nginx),
		cmocka_unit_test(test_convert_accounts_swap),
		cmocka_unit_test(test_convert_accounts_split),
		cmocka_unit_test(test_convert_accounts_refused),
		cmocka_unit_test(test_convert_accounts_moved_builder),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
