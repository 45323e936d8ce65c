/* test_catalog.c - unit tests for the image catalogue: builtin facts, classification, overlays, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "analyze/imageref.h"
#include "catalog/catalog.h"
#include "catalog/internal.h"
#include "catalog/tree.h"
#include "common/arena.h"
#include "common/buf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct ds_catalog *cat;
static struct ds_arena arena;

static int setup(void **state)
{
	struct ds_catalog_error err;
	(void)state;
	ds_arena_init(&arena);
	if (ds_catalog_load_builtin(&cat, &err) != 0) {
		fprintf(stderr, "%s:%u:%u: %s\n", err.file, err.line, err.col, err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_catalog_free(cat);
	ds_arena_release(&arena);
	return 0;
}

static struct ds_imageref ref(const char *s)
{
	struct ds_imageref r;
	const char *err = NULL;
	if (ds_imageref_parse(&arena, s, strlen(s), &r, &err) != 0)
		fail_msg("%s: %s", s, err);
	return r;
}

static struct ds_image_class classify(const struct ds_catalog *c, const char *s)
{
	struct ds_imageref r = ref(s);
	struct ds_image_class k;
	assert_int_equal(ds_catalog_classify(c, &r, &arena, &k), 0);
	return k;
}

static bool list_eq(const struct ds_strlist *l, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	if (l->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(l->v[i], want[i]) != 0)
			return false;
	return true;
}

static bool list_has(const struct ds_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */

/* The text of catalog/builtin.yaml in the source tree (DS_SRC), or fails. */
static char *builtin_text(size_t *len)
{
	const char *src = getenv("DS_SRC");
	char path[4096];
	if (!src)
		fail_msg("DS_SRC is not set");
	snprintf(path, sizeof path, "%s/catalog/builtin.yaml", src);
	char *text = ds_read_file(path, len);
	if (!text)
		fail_msg("cannot read %s", path);
	return text;
}

/* Node by node: same kind, position, text and children. */
static void same_tree(const struct ds_catalog_node *x, const struct ds_catalog_node *y)
{
	const char *xs = ds_catalog_node_text(x), *ys = ds_catalog_node_text(y);
	if (x->kind != y->kind || x->line != y->line || x->col != y->col || x->n != y->n ||
	    x->len != y->len || (xs == NULL) != (ys == NULL) ||
	    (xs && memcmp(xs, ys, x->len + 1) != 0))
		fail_msg("nodes differ at %u:%u (compiled) and %u:%u (libyaml): \"%.40s\" \"%.40s\"",
			 x->line, x->col, y->line, y->col, xs ? xs : "", ys ? ys : "");
	for (unsigned i = 0; i < x->n; i++)
		same_tree(ds_catalog_node_kid(x, i), ds_catalog_node_kid(y, i));
}

static void test_builtin_loads(void **state)
{
	(void)state;
	/* the tree compiled into the binary is what libyaml reads from the file */
	size_t len, count;
	char *text = builtin_text(&len);
	const struct ds_catalog_node *root;
	struct ds_catalog_error err;
	struct ds_arena a;
	ds_arena_init(&a);
	assert_int_equal(ds_catalog_tree_read(&a, "builtin.yaml", text, len, &root, &count, &err), 0);
	assert_non_null(root);
	assert_non_null(ds_catalog_builtin_root);
	assert_true(count > 1000);
	same_tree(ds_catalog_builtin_root, root);

	/* and a catalogue loaded from the text answers as the builtin one */
	struct ds_catalog *c2;
	assert_int_equal(ds_catalog_load_mem(&c2, "builtin.yaml", text, len, &err), 0);
	struct ds_image_class k1 = classify(cat, "node:22-alpine");
	struct ds_image_class k2 = classify(c2, "node:22-alpine");
	assert_int_equal(k1.family, k2.family);
	assert_string_equal(k1.runtime->name, k2.runtime->name);
	ds_catalog_free(c2);
	ds_arena_release(&a);
	free(text);

	const struct ds_catalog_runtime *const *v;
	size_t n = ds_catalog_runtimes(cat, ds_catalog_distroless(cat), &v);
	assert_true(n >= 13);
	n = ds_catalog_runtimes(cat, ds_catalog_chainguard(cat), &v);
	assert_int_equal(n, 6);
	const struct ds_catalog_vendor *ch = ds_catalog_vendor_named(cat, "chiseled");
	assert_non_null(ch);
	assert_int_equal(ds_catalog_runtimes(cat, ch, &v), 12);
	ds_catalog_free(NULL);
}

static void test_distroless_runtimes(void **state)
{
	(void)state;
	static const char *const both[] = { "12", "13", NULL };
	static const char *const only13[] = { "13", NULL };
	static const char *const none[] = { NULL };
	static const char *const node_ep[] = { "/nodejs/bin/node", NULL };
	static const char *const java_ep[] = { "/usr/bin/java", "-jar", NULL };
	static const char *const py_ep[] = { "/usr/bin/python3.13", NULL };
	static const char *const base_rts[] = { "static", "base-nossl", "base", "cc", NULL };
	static const char *const lang_rts[] = { "java17",   "java21",   "java25", "nodejs22",
						"nodejs24", "nodejs26", "python3", NULL };

	for (const char *const *p = base_rts; *p; p++) {
		const struct ds_catalog_runtime *rt = ds_catalog_runtime(cat, *p);
		assert_non_null(rt);
		assert_true(list_eq(&rt->debian, both));
		assert_true(list_eq(&rt->entrypoint, none));
		assert_null(rt->language);
		assert_string_equal(rt->user, "root");
	}
	for (const char *const *p = lang_rts; *p; p++) {
		const struct ds_catalog_runtime *rt = ds_catalog_runtime(cat, *p);
		assert_non_null(rt);
		assert_true(list_eq(&rt->debian, only13));
		assert_int_equal(rt->libc, DS_LIBC_GLIBC);
	}
	const struct ds_catalog_runtime *rt = ds_catalog_runtime(cat, "nodejs22");
	assert_string_equal(rt->image, "gcr.io/distroless/nodejs22");
	assert_string_equal(rt->language, "node");
	assert_string_equal(rt->version, "22");
	assert_true(list_eq(&rt->entrypoint, node_ep));
	assert_true(list_eq(&ds_catalog_runtime(cat, "nodejs26")->entrypoint, node_ep));
	assert_true(list_eq(&ds_catalog_runtime(cat, "java21")->entrypoint, java_ep));
	assert_string_equal(ds_catalog_runtime(cat, "java25")->version, "25");
	rt = ds_catalog_runtime(cat, "python3");
	assert_true(list_eq(&rt->entrypoint, py_ep));
	assert_string_equal(rt->version, "3.13");

	assert_int_equal(ds_catalog_runtime(cat, "static")->libc, DS_LIBC_NONE);
	assert_int_equal(ds_catalog_runtime(cat, "base-nossl")->libc, DS_LIBC_GLIBC);
	assert_null(ds_catalog_runtime(cat, "nodejs20"));
	assert_null(ds_catalog_runtime(cat, "java11"));
	assert_true(ds_catalog_runtime(cat, "nodejs24")->is_default);
	assert_true(ds_catalog_runtime(cat, "java21")->is_default);
	assert_false(ds_catalog_runtime(cat, "nodejs22")->is_default);
}

static void test_contents(void **state)
{
	(void)state;
	const struct ds_catalog_runtime *st = ds_catalog_runtime(cat, "static");
	const struct ds_catalog_runtime *nossl = ds_catalog_runtime(cat, "base-nossl");
	const struct ds_catalog_runtime *base = ds_catalog_runtime(cat, "base");
	const struct ds_catalog_runtime *cc = ds_catalog_runtime(cat, "cc");
	const struct ds_catalog_runtime *node = ds_catalog_runtime(cat, "nodejs22");
	const struct ds_catalog_runtime *py = ds_catalog_runtime(cat, "python3");
	const struct ds_catalog_runtime *java = ds_catalog_runtime(cat, "java17");

	/* packages: static has no libc; each level adds to the one below */
	assert_true(ds_catalog_runtime_has_package(st, "ca-certificates"));
	assert_true(ds_catalog_runtime_has_package(st, "tzdata"));
	assert_false(ds_catalog_runtime_has_package(st, "libc6"));
	assert_true(ds_catalog_runtime_has_package(nossl, "libc6"));
	assert_false(ds_catalog_runtime_has_package(nossl, "libssl3"));
	assert_true(ds_catalog_runtime_has_package(base, "libssl3"));
	assert_false(ds_catalog_runtime_has_package(base, "libstdc++6"));
	assert_true(ds_catalog_runtime_has_package(cc, "libstdc++6"));
	assert_true(ds_catalog_runtime_has_package(cc, "libgcc-s1"));
	assert_true(ds_catalog_runtime_has_package(node, "libstdc++6"));
	assert_true(ds_catalog_runtime_has_package(node, "ca-certificates"));
	assert_true(ds_catalog_runtime_has_package(py, "tzdata"));
	assert_true(ds_catalog_runtime_has_package(java, "libc6"));
	assert_false(ds_catalog_runtime_has_package(java, "libssl3"));
	assert_false(ds_catalog_runtime_has_package(cc, "curl"));

	/* binaries: no shell, package manager, curl or wget outside debug tags */
	static const char *const absent[] = { "sh", "bash", "/bin/sh", "apt-get", "apk",
					      "curl", "wget", "npm", "npx", "corepack", NULL };
	static const char *const all[] = { "static", "base-nossl", "base", "cc", "java17",
					   "java21", "java25", "nodejs22", "nodejs24",
					   "nodejs26", "python3", NULL };
	for (const char *const *r = all; *r; r++)
		for (const char *const *b = absent; *b; b++)
			if (ds_catalog_runtime_has_binary(ds_catalog_runtime(cat, *r), *b, false))
				fail_msg("%s has %s", *r, *b);
	assert_true(ds_catalog_runtime_has_binary(st, "sh", true));
	assert_true(ds_catalog_runtime_has_binary(st, "/busybox/sh", true));
	assert_true(ds_catalog_runtime_has_binary(cc, "wget", true));
	/* /nodejs/bin is not on PATH */
	assert_false(ds_catalog_runtime_has_binary(node, "node", false));
	assert_true(ds_catalog_runtime_has_binary(node, "/nodejs/bin/node", false));
	assert_true(ds_catalog_runtime_has_binary(py, "python3", false));
	assert_true(ds_catalog_runtime_has_binary(py, "python", false));
	assert_true(ds_catalog_runtime_has_binary(py, "/usr/bin/python3.13", false));
	assert_true(ds_catalog_runtime_has_binary(java, "java", false));
	assert_false(ds_catalog_runtime_has_binary(java, "javac", false));
	assert_false(ds_catalog_runtime_has_binary(st, "./app", false));
	assert_false(ds_catalog_runtime_has_binary(st, "", false));

	/* paths */
	assert_true(ds_catalog_runtime_has_path(st, "/etc/passwd"));
	assert_true(ds_catalog_runtime_has_path(st, "/etc"));
	assert_true(ds_catalog_runtime_has_path(st, "/usr/share/zoneinfo/"));
	assert_true(ds_catalog_runtime_has_path(st, "/"));
	assert_true(ds_catalog_runtime_has_path(node, "/nodejs/bin"));
	assert_false(ds_catalog_runtime_has_path(st, "/bin/sh"));
	assert_false(ds_catalog_runtime_has_path(st, "/et"));

	/* the entrypoint and what repeats it */
	assert_true(ds_catalog_runtime_is_entrypoint(node, "node"));
	assert_true(ds_catalog_runtime_is_entrypoint(node, "/nodejs/bin/node"));
	assert_false(ds_catalog_runtime_is_entrypoint(node, "npm"));
	assert_true(ds_catalog_runtime_is_entrypoint(py, "python3"));
	assert_true(ds_catalog_runtime_is_entrypoint(java, "java"));
	assert_false(ds_catalog_runtime_is_entrypoint(st, "app"));
}

static void test_users(void **state)
{
	(void)state;
	const struct ds_catalog_runtime *node = ds_catalog_runtime(cat, "nodejs22");
	const struct ds_catalog_runtime *st = ds_catalog_runtime(cat, "static");
	assert_true(ds_catalog_runtime_has_user(node, "root"));
	assert_true(ds_catalog_runtime_has_user(node, "nonroot"));
	assert_true(ds_catalog_runtime_has_user(node, "nobody"));
	assert_true(ds_catalog_runtime_has_user(node, "nonroot:nonroot"));
	assert_true(ds_catalog_runtime_has_user(node, "nonroot:staff"));
	assert_true(ds_catalog_runtime_has_user(node, "65532:65532"));
	assert_true(ds_catalog_runtime_has_user(node, "1000:1000")); /* numeric: always */
	assert_true(ds_catalog_runtime_has_user(node, "nonroot:1000"));
	assert_false(ds_catalog_runtime_has_user(node, "node"));
	assert_false(ds_catalog_runtime_has_user(node, "node:node"));
	assert_false(ds_catalog_runtime_has_user(node, "nonroot:node"));
	assert_false(ds_catalog_runtime_has_user(st, "www-data"));
	assert_false(ds_catalog_runtime_has_user(st, ""));
	assert_false(ds_catalog_runtime_has_user(st, "nonroot:"));
	assert_false(ds_catalog_runtime_has_user(st, ":nonroot"));
	assert_false(ds_catalog_runtime_has_user(st, "$USER"));

	const struct ds_catalog_account *u = ds_catalog_runtime_user(st, "65532");
	assert_non_null(u);
	assert_string_equal(u->name, "nonroot");
	assert_int_equal(ds_catalog_runtime_user(st, "nobody")->id, 65534);
	assert_int_equal(ds_catalog_runtime_user(st, "root")->id, 0);
	assert_null(ds_catalog_runtime_user(st, "1000"));
	assert_int_equal(ds_catalog_runtime_group(st, "tty")->id, 5);
	assert_int_equal(ds_catalog_runtime_group(st, "staff")->id, 50);
	assert_string_equal(ds_catalog_runtime_group(st, "65534")->name, "nobody");
	assert_string_equal(st->accounts->nonroot, "nonroot");
}

static void test_chainguard(void **state)
{
	(void)state;
	static const struct {
		const char *dl, *cg;
	} map[] = {
		{ "static", "static" },	   { "base-nossl", "glibc-dynamic" },
		{ "base", "glibc-dynamic" }, { "cc", "glibc-dynamic" },
		{ "nodejs22", "node" },	   { "nodejs26", "node" },
		{ "python3", "python" },   { "java21", "jre" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const struct ds_catalog_runtime *cg =
			ds_catalog_chainguard_equivalent(ds_catalog_runtime(cat, map[i].dl));
		assert_non_null(cg);
		assert_string_equal(cg->name, map[i].cg);
		assert_string_equal(cg->vendor->name, "chainguard");
	}
	const struct ds_catalog_runtime *node = ds_catalog_chainguard_runtime(cat, "node");
	static const char *const node_ep[] = { "/usr/bin/node", NULL };
	static const char *const jre_ep[] = { "/usr/bin/java", NULL };
	assert_string_equal(node->image, "cgr.dev/chainguard/node");
	assert_true(list_eq(&node->entrypoint, node_ep));
	assert_string_equal(node->user, "node");
	assert_true(ds_catalog_runtime_has_user(node, "node:node"));
	assert_true(ds_catalog_runtime_has_user(node, "65532"));
	assert_false(ds_catalog_runtime_has_user(node, "nonroot"));
	assert_string_equal(node->accounts->nonroot, "node");
	assert_true(ds_catalog_runtime_has_binary(node, "node", false));
	assert_false(ds_catalog_runtime_has_binary(node, "sh", false));
	assert_true(ds_catalog_runtime_has_binary(node, "sh", true));
	assert_true(list_eq(&ds_catalog_chainguard_runtime(cat, "jre")->entrypoint, jre_ep));
	assert_string_equal(ds_catalog_chainguard_runtime(cat, "jre")->user, "java");
	assert_string_equal(ds_catalog_chainguard_runtime(cat, "python")->user, "nonroot");
	assert_int_equal(ds_catalog_chainguard_runtime(cat, "static")->libc, DS_LIBC_NONE);
	assert_true(ds_catalog_chainguard_equivalent(node) == node);
	assert_null(ds_catalog_chainguard_equivalent(NULL));
	assert_string_equal(ds_catalog_runtime_ref(node, NULL, NULL, &arena),
			    "cgr.dev/chainguard/node:latest");
}

static void test_refs_and_glibc(void **state)
{
	(void)state;
	const struct ds_catalog_runtime *node = ds_catalog_runtime(cat, "nodejs22");
	const struct ds_catalog_runtime *st = ds_catalog_runtime(cat, "static");
	const struct ds_catalog_runtime *base = ds_catalog_runtime(cat, "base");
	assert_string_equal(ds_catalog_runtime_ref(node, NULL, NULL, &arena),
			    "gcr.io/distroless/nodejs22-debian13:nonroot");
	assert_string_equal(ds_catalog_runtime_ref(st, "12", "latest", &arena),
			    "gcr.io/distroless/static-debian12:latest");
	assert_string_equal(ds_catalog_runtime_ref(st, NULL, "debug-nonroot", &arena),
			    "gcr.io/distroless/static-debian13:debug-nonroot");
	assert_null(ds_catalog_runtime_ref(node, "12", NULL, &arena));

	assert_string_equal(ds_catalog_glibc(cat, "bookworm"), "2.36");
	assert_string_equal(ds_catalog_glibc(cat, "trixie"), "2.41");
	assert_string_equal(ds_catalog_glibc(cat, "focal"), "2.31");
	assert_string_equal(ds_catalog_glibc(cat, "jammy"), "2.35");
	assert_string_equal(ds_catalog_glibc(cat, "noble"), "2.39");
	assert_null(ds_catalog_glibc(cat, "forky"));
	assert_null(ds_catalog_glibc(cat, "nosuch"));
	assert_string_equal(ds_catalog_release_find(cat, "debian", "12")->codename, "bookworm");
	assert_string_equal(ds_catalog_release_find(cat, "ubuntu", "24.04")->codename, "noble");
	assert_int_equal(ds_catalog_release(cat, "jammy")->family, DS_FAMILY_UBUNTU);
	assert_null(ds_catalog_release_find(cat, "debian", "24.04"));

	assert_string_equal(ds_catalog_runtime_glibc(cat, node, NULL), "2.41");
	assert_string_equal(ds_catalog_runtime_glibc(cat, base, "12"), "2.36");
	assert_null(ds_catalog_runtime_glibc(cat, st, NULL));
	assert_null(ds_catalog_runtime_glibc(cat, node, "12"));

	assert_true(ds_catalog_version_cmp("2.36", "2.41") < 0);
	assert_true(ds_catalog_version_cmp("2.41", "2.36") > 0);
	assert_true(ds_catalog_version_cmp("3.9", "3.13") < 0);
	assert_true(ds_catalog_version_cmp("3", "3.13") < 0);
	assert_true(ds_catalog_version_cmp("22", "22") == 0);
	assert_true(ds_catalog_version_cmp("022", "22") == 0);
	assert_true(ds_catalog_version_cmp("1.10", "1.9") > 0);
	assert_true(ds_catalog_version_cmp("", "1") < 0);
}

/* One row of the classification table; NULL strings expect "absent". */
struct cls {
	const char *ref;
	enum ds_family family;
	enum ds_libc libc;
	int shell;
	const char *release, *language, *version;
	enum ds_target target;
	const char *runtime;
};

/* Final base images seen in the corpus (FEATURES.tsv, column final_base), and more. */
static const struct cls table[] = {
	{ "alpine:3.23", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, NULL, NULL, DS_TARGET_BINARY, NULL },
	{ "debian:trixie-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "trixie", NULL, NULL,
	  DS_TARGET_BINARY, NULL },
	{ "debian:bookworm-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bookworm", NULL, NULL,
	  DS_TARGET_BINARY, NULL },
	{ "debian:12-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bookworm", NULL, NULL,
	  DS_TARGET_BINARY, NULL },
	{ "docker.io/library/debian:trixie-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "trixie", NULL,
	  NULL, DS_TARGET_BINARY, NULL },
	{ "scratch", DS_FAMILY_SCRATCH, DS_LIBC_NONE, 0, NULL, NULL, NULL, DS_TARGET_BINARY, NULL },
	{ "mcr.microsoft.com/windows/servercore:ltsc2022", DS_FAMILY_WINDOWS, DS_LIBC_UNKNOWN, 1,
	  NULL, NULL, NULL, DS_TARGET_NONE, NULL },
	{ "mcr.microsoft.com/windows/nanoserver:ltsc2025", DS_FAMILY_WINDOWS, DS_LIBC_UNKNOWN, 1,
	  NULL, NULL, NULL, DS_TARGET_NONE, NULL },
	{ "golang:1.26-windowsservercore-ltsc2022", DS_FAMILY_WINDOWS, DS_LIBC_UNKNOWN, 1, NULL, NULL,
	  NULL, DS_TARGET_NONE, NULL },
	{ "registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1,
	  NULL, "java", "21", DS_TARGET_RUNTIME, "java21" },
	{ "registry.access.redhat.com/ubi9/ubi-minimal:9.7", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1, NULL,
	  NULL, NULL, DS_TARGET_BINARY, NULL },
	{ "redhat/ubi10-minimal", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1, NULL, NULL, NULL,
	  DS_TARGET_BINARY, NULL },
	{ "oraclelinux:9-slim", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1, NULL, NULL, NULL, DS_TARGET_BINARY,
	  NULL },
	{ "registry.fedoraproject.org/fedora:39", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1, NULL, NULL, NULL,
	  DS_TARGET_BINARY, NULL },
	{ "quay.io/quarkus/ubi9-quarkus-micro-image:2.0", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1, NULL, NULL,
	  NULL, DS_TARGET_BINARY, NULL },
	{ "buildpack-deps:bookworm", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bookworm", NULL, NULL,
	  DS_TARGET_BINARY, NULL },
	{ "buildpack-deps:jammy-scm", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, "jammy", NULL, NULL,
	  DS_TARGET_BINARY, NULL },
	{ "ubuntu:24.04", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, "noble", NULL, NULL, DS_TARGET_BINARY,
	  NULL },
	{ "ubuntu:jammy", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, "jammy", NULL, NULL, DS_TARGET_BINARY,
	  NULL },
	{ "busybox", DS_FAMILY_BUSYBOX, DS_LIBC_UNKNOWN, 1, NULL, NULL, NULL, DS_TARGET_BINARY, NULL },
	{ "busybox:1.36-musl", DS_FAMILY_BUSYBOX, DS_LIBC_MUSL, 1, NULL, NULL, NULL, DS_TARGET_BINARY,
	  NULL },
	{ "ghcr.io/linuxserver/baseimage-ubuntu:noble", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, "noble",
	  NULL, NULL, DS_TARGET_UNKNOWN, NULL },
	{ "smebberson/alpine-base:3.1.0", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, NULL, NULL,
	  DS_TARGET_UNKNOWN, NULL },
	{ "localhost:5000/lldap/lldap:alpine-base", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, NULL,
	  NULL, DS_TARGET_UNKNOWN, NULL },
	{ "localhost:5000/lldap/lldap:debian-base", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, NULL,
	  NULL, DS_TARGET_UNKNOWN, NULL },
	{ "registry.cfdata.org/stash/cf/debian-images/trixie/main:2026.1.0", DS_FAMILY_DEBIAN,
	  DS_LIBC_GLIBC, 1, "trixie", NULL, NULL, DS_TARGET_UNKNOWN, NULL },
	/* node */
	{ "node:22-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "node", "22", DS_TARGET_RUNTIME,
	  "nodejs22" },
	{ "node:22", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "node", "22", DS_TARGET_RUNTIME,
	  "nodejs22" },
	{ "node:22.13.0-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "node", "22",
	  DS_TARGET_RUNTIME, "nodejs22" },
	{ "node:24-trixie-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "trixie", "node", "24",
	  DS_TARGET_RUNTIME, "nodejs24" },
	{ "node:26-bookworm", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bookworm", "node", "26",
	  DS_TARGET_RUNTIME, "nodejs26" },
	{ "node:lts-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "node", "24", DS_TARGET_RUNTIME,
	  "nodejs24" },
	{ "node:20.12.2", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "node", "20", DS_TARGET_BUMP,
	  "nodejs22" },
	{ "node:18-bullseye", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bullseye", "node", "18",
	  DS_TARGET_BUMP, "nodejs22" },
	{ "node:23", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "node", "23", DS_TARGET_BUMP,
	  "nodejs24" },
	{ "node:27", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "node", "27", DS_TARGET_BUMP, NULL },
	{ "node", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "node", NULL, DS_TARGET_BUMP, "nodejs24" },
	{ "docker.io/node:24-trixie-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "trixie", "node", "24",
	  DS_TARGET_RUNTIME, "nodejs24" },
	{ "dhi.io/node:24", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 0, NULL, "node", "24", DS_TARGET_RUNTIME,
	  "nodejs24" },
	/* python */
	{ "python:3.13-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "python", "3.13",
	  DS_TARGET_RUNTIME, "python3" },
	{ "python:3.13.1-alpine3.21", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "python", "3.13",
	  DS_TARGET_RUNTIME, "python3" },
	{ "python:3.10-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "python", "3.10",
	  DS_TARGET_BUMP, "python3" },
	{ "python:3.12-slim-bookworm", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bookworm", "python",
	  "3.12", DS_TARGET_BUMP, "python3" },
	{ "python:3.14.6-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "python", "3.14",
	  DS_TARGET_BUMP, NULL },
	{ "tiangolo/uvicorn-gunicorn-fastapi:python3.10", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL,
	  "python", "3.10", DS_TARGET_BUMP, "python3" },
	{ "ghcr.io/astral-sh/uv:python3.12-bookworm-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1,
	  "bookworm", "python", "3.12", DS_TARGET_BUMP, "python3" },
	{ "quay.io/jupyter/base-notebook", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, NULL, "python", NULL,
	  DS_TARGET_BINARY, NULL },
	/* java */
	{ "eclipse-temurin:21-jre", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, NULL, "java", "21",
	  DS_TARGET_RUNTIME, "java21" },
	{ "eclipse-temurin:17-jre-focal", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, "focal", "java", "17",
	  DS_TARGET_RUNTIME, "java17" },
	{ "eclipse-temurin:25-jre-jammy", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, "jammy", "java", "25",
	  DS_TARGET_RUNTIME, "java25" },
	{ "eclipse-temurin:21-jdk-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "java", "21",
	  DS_TARGET_RUNTIME, "java21" },
	{ "eclipse-temurin:25.0.3_9-jre-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "java", "25",
	  DS_TARGET_RUNTIME, "java25" },
	{ "eclipse-temurin:11-jre-noble", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, "noble", "java", "11",
	  DS_TARGET_BUMP, "java17" },
	{ "eclipse-temurin:21-ubi9-minimal", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1, NULL, "java", "21",
	  DS_TARGET_RUNTIME, "java21" },
	{ "amazoncorretto:20", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1, NULL, "java", "20", DS_TARGET_BUMP,
	  "java21" },
	{ "amazoncorretto:21-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "java", "21",
	  DS_TARGET_RUNTIME, "java21" },
	{ "maven:3.9-eclipse-temurin-17", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, NULL, "java", "17",
	  DS_TARGET_RUNTIME, "java17" },
	{ "maven:3.9-amazoncorretto-21", DS_FAMILY_RPM, DS_LIBC_GLIBC, 1, NULL, "java", "21",
	  DS_TARGET_RUNTIME, "java21" },
	{ "gradle:8.10-jdk21-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "java", "21",
	  DS_TARGET_RUNTIME, "java21" },
	{ "ibm-semeru-runtimes:open-17-jre", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, NULL, "java", "17",
	  DS_TARGET_RUNTIME, "java17" },
	{ "openjdk:17-jdk-slim", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "java", "17",
	  DS_TARGET_RUNTIME, "java17" },
	{ "java:8-jdk-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "java", "8", DS_TARGET_BUMP,
	  "java17" },
	/* go, rust, c */
	{ "golang:1.23", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "go", "1.23", DS_TARGET_RUNTIME,
	  "static" },
	{ "golang:1.26-alpine3.23", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "go", "1.26",
	  DS_TARGET_RUNTIME, "static" },
	{ "golang:1.26-trixie", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "trixie", "go", "1.26",
	  DS_TARGET_RUNTIME, "static" },
	{ "rust:1.89", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "rust", "1.89", DS_TARGET_RUNTIME,
	  "cc" },
	{ "rust:1.91-slim-bookworm", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bookworm", "rust", "1.91",
	  DS_TARGET_RUNTIME, "cc" },
	{ "gcc:14", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "c", "14", DS_TARGET_RUNTIME, "cc" },
	/* no distroless runtime */
	{ "php:8.4-fpm-bookworm", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bookworm", "php", "8.4",
	  DS_TARGET_NONE, NULL },
	{ "php:8.3-fpm-alpine3.24", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "php", "8.3",
	  DS_TARGET_NONE, NULL },
	{ "nextcloud:fpm-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "php", NULL,
	  DS_TARGET_NONE, NULL },
	{ "ruby:2.7.1-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "ruby", "2.7", DS_TARGET_NONE,
	  NULL },
	{ "perl:5-bookworm", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, "bookworm", "perl", "5",
	  DS_TARGET_NONE, NULL },
	{ "erlang:19", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "erlang", "19", DS_TARGET_NONE, NULL },
	{ "rabbitmq:4.3-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, "erlang", NULL,
	  DS_TARGET_NONE, NULL },
	{ "nginx:alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL, NULL, NULL, DS_TARGET_NONE, NULL },
	{ "nginx:1.27.4", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, NULL, NULL, DS_TARGET_NONE, NULL },
	{ "httpd:2.4", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, NULL, NULL, DS_TARGET_NONE, NULL },
	{ "tomcat:10-jdk17", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, NULL, "java", "17", DS_TARGET_NONE,
	  NULL },
	{ "mcr.microsoft.com/dotnet/aspnet:8.0", DS_FAMILY_DEBIAN, DS_LIBC_GLIBC, 1, NULL, "dotnet",
	  "8.0", DS_TARGET_NONE, NULL },
	{ "mcr.microsoft.com/dotnet/aspnet:10.0", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1, NULL, "dotnet",
	  "10.0", DS_TARGET_NONE, NULL },
	{ "mcr.microsoft.com/dotnet/runtime:10.0-alpine", DS_FAMILY_ALPINE, DS_LIBC_MUSL, 1, NULL,
	  "dotnet", "10.0", DS_TARGET_NONE, NULL },
	{ "mcr.microsoft.com/dotnet/runtime:8.0.30-jammy-arm64v8", DS_FAMILY_UBUNTU, DS_LIBC_GLIBC, 1,
	  "jammy", "dotnet", "8.0", DS_TARGET_NONE, NULL },
	{ "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", DS_FAMILY_UBUNTU,
	  DS_LIBC_GLIBC, 0, "noble", "dotnet", "10.0", DS_TARGET_NONE, NULL },
	{ "mcr.microsoft.com/dotnet/runtime-deps:10.0-azurelinux3.0-distroless", DS_FAMILY_DISTROLESS,
	  DS_LIBC_GLIBC, 0, NULL, "dotnet", "10.0", DS_TARGET_NONE, NULL },
	{ "mcr.microsoft.com/dotnet/sdk:10.0.400-azurelinux3.0-amd64", DS_FAMILY_RPM, DS_LIBC_GLIBC,
	  1, NULL, "dotnet", "10.0", DS_TARGET_NONE, NULL },
	/* already shell-free */
	{ "gcr.io/distroless/static", DS_FAMILY_DISTROLESS, DS_LIBC_NONE, 0, NULL, NULL, NULL,
	  DS_TARGET_RUNTIME, "static" },
	{ "gcr.io/distroless/cc-debian12", DS_FAMILY_DISTROLESS, DS_LIBC_GLIBC, 0, NULL, NULL, NULL,
	  DS_TARGET_RUNTIME, "cc" },
	{ "gcr.io/distroless/nodejs22-debian13", DS_FAMILY_DISTROLESS, DS_LIBC_GLIBC, 0, NULL, "node",
	  "22", DS_TARGET_RUNTIME, "nodejs22" },
	{ "gcr.io/distroless/nodejs20-debian12", DS_FAMILY_DISTROLESS, DS_LIBC_GLIBC, 0, NULL, "node",
	  "20", DS_TARGET_BUMP, "nodejs22" },
	{ "gcr.io/distroless/java17-debian13", DS_FAMILY_DISTROLESS, DS_LIBC_GLIBC, 0, NULL, "java",
	  "17", DS_TARGET_RUNTIME, "java17" },
	{ "gcr.io/distroless/python3-debian13", DS_FAMILY_DISTROLESS, DS_LIBC_GLIBC, 0, NULL,
	  "python", "3.13", DS_TARGET_RUNTIME, "python3" },
	{ "gcr.io/distroless/static-debian12:debug", DS_FAMILY_DISTROLESS, DS_LIBC_NONE, 1, NULL, NULL,
	  NULL, DS_TARGET_RUNTIME, "static" },
	{ "cgr.dev/chainguard/static:latest", DS_FAMILY_CHAINGUARD, DS_LIBC_NONE, 0, NULL, NULL, NULL,
	  DS_TARGET_RUNTIME, "static" },
	{ "cgr.dev/chainguard/node:latest-dev", DS_FAMILY_CHAINGUARD, DS_LIBC_GLIBC, 1, NULL, "node",
	  NULL, DS_TARGET_BUMP, "nodejs24" },
	{ "cgr.dev/chainguard/python:3.12-dev", DS_FAMILY_CHAINGUARD, DS_LIBC_GLIBC, 1, NULL,
	  "python", "3.12", DS_TARGET_BUMP, "python3" },
	{ "cgr.dev/chainguard/chainguard-base:latest", DS_FAMILY_CHAINGUARD, DS_LIBC_GLIBC, 1, NULL,
	  NULL, NULL, DS_TARGET_BINARY, NULL },
	{ "cgr.dev/chainguard/ruby:latest", DS_FAMILY_CHAINGUARD, DS_LIBC_GLIBC, 0, NULL, "ruby", NULL,
	  DS_TARGET_BINARY, NULL },
	{ "quay.io/quarkus/quarkus-distroless-image:1.0", DS_FAMILY_DISTROLESS, DS_LIBC_GLIBC, 0, NULL,
	  NULL, NULL, DS_TARGET_BINARY, NULL },
};

static void test_classify_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const struct cls *t = &table[i];
		struct ds_image_class k = classify(cat, t->ref);
		char got[512];
		snprintf(got, sizeof got,
			 "%s: family %s libc %s shell %d release %s language %s version %s target %d runtime %s",
			 t->ref, ds_family_name(k.family), ds_libc_name(k.libc), k.shell,
			 k.release ? k.release->codename : "-", k.language ? k.language : "-",
			 k.version ? k.version : "-", (int)k.target, k.runtime ? k.runtime->name : "-");
		bool ok = k.family == t->family && k.libc == t->libc && k.shell == t->shell &&
			  k.target == t->target;
		ok = ok && (t->release ? k.release && !strcmp(k.release->codename, t->release)
				       : !k.release);
		ok = ok && (t->language ? k.language && !strcmp(k.language, t->language) : !k.language);
		ok = ok && (t->version ? k.version && !strcmp(k.version, t->version) : !k.version);
		ok = ok && (t->runtime ? k.runtime && !strcmp(k.runtime->name, t->runtime) : !k.runtime);
		if (!ok)
			fail_msg("%s", got);
	}
}

static void test_classify_details(void **state)
{
	(void)state;
	struct ds_image_class k = classify(cat, "golang:1.23-alpine");
	assert_string_equal(k.static_runtime->name, "static");
	assert_string_equal(k.dynamic_runtime->name, "base");
	k = classify(cat, "rust:1-alpine");
	assert_string_equal(k.static_runtime->name, "static");
	assert_string_equal(k.dynamic_runtime->name, "cc");
	k = classify(cat, "node:20");
	assert_string_equal(k.reason, "no distroless runtime for node 20; needs a bump to \"nodejs22\"");
	k = classify(cat, "node:27");
	assert_string_equal(k.reason, "no distroless runtime for node 27 yet");
	k = classify(cat, "node");
	assert_string_equal(k.reason, "the image names no node version; pin one");
	k = classify(cat, "php:8.3-apache");
	assert_string_equal(k.reason, "distroless publishes no php runtime");
	assert_null(k.suggest);
	k = classify(cat, "mcr.microsoft.com/dotnet/aspnet:8.0");
	assert_string_equal(k.suggest, "mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled");
	k = classify(cat, "mcr.microsoft.com/dotnet/aspnet");
	assert_string_equal(k.suggest,
			    "mcr.microsoft.com/dotnet/runtime-deps:<version>-noble-chiseled");
	k = classify(cat, "nginx:1.27");
	assert_string_equal(k.suggest, "cgr.dev/chainguard/nginx");
	k = classify(cat, "ubuntu:22.04");
	assert_string_equal(k.release->glibc, "2.35");

	/* unresolved references still get what their text tells */
	k = classify(cat, "node:${NODE_VERSION}-alpine");
	assert_true(k.unresolved);
	assert_int_equal(k.family, DS_FAMILY_ALPINE);
	assert_string_equal(k.language, "node");
	assert_null(k.version);
	k = classify(cat, "$REGISTRY/$OWNER/scipy-notebook");
	assert_true(k.unresolved);
	assert_int_equal(k.family, DS_FAMILY_UNKNOWN);
	assert_int_equal(k.target, DS_TARGET_UNKNOWN);
	assert_int_equal(k.shell, -1);

	struct ds_image_class k2;
	assert_int_equal(ds_catalog_classify(cat, NULL, &arena, &k2), -1);
}

static void test_vendor_images(void **state)
{
	(void)state;
	struct ds_image_class k = classify(cat, "gcr.io/distroless/nodejs22-debian13:nonroot");
	assert_string_equal(k.vendor->name, "distroless");
	assert_string_equal(k.self->name, "nodejs22");
	assert_string_equal(k.debian, "13");
	assert_true(k.tag_known);
	assert_false(k.debug);
	assert_string_equal(k.user, "nonroot");
	assert_true(k.nonroot);
	assert_int_equal(k.status, DS_STATUS_CURRENT);
	assert_null(k.replacement);

	k = classify(cat, "gcr.io/distroless/static-debian12");
	assert_string_equal(k.self->name, "static");
	assert_string_equal(k.user, "root");
	assert_false(k.nonroot);
	assert_int_equal(k.status, DS_STATUS_CURRENT);

	k = classify(cat, "gcr.io/distroless/base-debian13:nonroot-amd64@sha256:"
			  "a9fb022501d14a340fa5f5edb4168c2d32f68c8c80ec3520064f5bf4cc0fa51c");
	assert_string_equal(k.self->name, "base");
	assert_true(k.tag_known);
	assert_string_equal(k.user, "nonroot");

	k = classify(cat, "gcr.io/distroless/cc-debian13:debug-nonroot");
	assert_true(k.debug);
	assert_int_equal(k.shell, 1);
	assert_string_equal(k.user, "nonroot");

	k = classify(cat, "gcr.io/distroless/cc-debian13:22");
	assert_false(k.tag_known);

	k = classify(cat, "cgr.dev/chainguard/node:latest");
	assert_string_equal(k.vendor->name, "chainguard");
	assert_string_equal(k.self->name, "node");
	assert_string_equal(k.user, "node");
	assert_true(k.nonroot);
	assert_false(k.debug);
	assert_int_equal(k.shell, 0);
	assert_int_equal(k.status, DS_STATUS_CURRENT);
	k = classify(cat, "cgr.dev/chainguard/node:latest-dev");
	assert_true(k.debug);
	assert_int_equal(k.shell, 1);

	/* java-base is published: the libraries of the java images, without java */
	k = classify(cat, "gcr.io/distroless/java-base-debian13");
	assert_non_null(k.self);
	assert_string_equal(k.self->name, "java-base");
	assert_int_equal(k.shell, 0);
	k = classify(cat, "gcr.io/distroless/nosuch-debian13");
	assert_null(k.self);
	assert_int_equal(k.status, DS_STATUS_UNKNOWN);
}

static void check_status(const char *image, enum ds_image_status st, const char *replacement)
{
	struct ds_image_class k = classify(cat, image);
	if (k.status != st)
		fail_msg("%s: status %s", image, ds_image_status_name(k.status));
	if (replacement) {
		assert_non_null(k.replacement);
		assert_string_equal(k.replacement, replacement);
	} else {
		assert_null(k.replacement);
	}
	if (st == DS_STATUS_DEPRECATED || st == DS_STATUS_REMOVED)
		assert_non_null(k.status_message);
}

static void test_removed_images(void **state)
{
	(void)state;
	check_status("gcr.io/distroless/nodejs20-debian12", DS_STATUS_REMOVED,
		     "gcr.io/distroless/nodejs22-debian13");
	check_status("gcr.io/distroless/nodejs20-debian13:nonroot", DS_STATUS_REMOVED,
		     "gcr.io/distroless/nodejs22-debian13");
	check_status("gcr.io/distroless/nodejs20", DS_STATUS_REMOVED,
		     "gcr.io/distroless/nodejs22-debian13");
	check_status("gcr.io/distroless/nodejs18-debian12", DS_STATUS_REMOVED,
		     "gcr.io/distroless/nodejs22-debian13");
	check_status("gcr.io/distroless/nodejs16-debian11", DS_STATUS_REMOVED,
		     "gcr.io/distroless/nodejs22-debian13");
	check_status("gcr.io/distroless/java11-debian11", DS_STATUS_REMOVED,
		     "gcr.io/distroless/java17-debian13");
	check_status("gcr.io/distroless/java11-debian12", DS_STATUS_REMOVED,
		     "gcr.io/distroless/java17-debian13");
	check_status("gcr.io/distroless/java17-debian12", DS_STATUS_REMOVED,
		     "gcr.io/distroless/java17-debian13");
	check_status("gcr.io/distroless/java21-debian12:nonroot", DS_STATUS_REMOVED,
		     "gcr.io/distroless/java21-debian13");
	check_status("gcr.io/distroless/nodejs22-debian12", DS_STATUS_DEPRECATED,
		     "gcr.io/distroless/nodejs22-debian13");
	check_status("gcr.io/distroless/nodejs24-debian12", DS_STATUS_DEPRECATED,
		     "gcr.io/distroless/nodejs24-debian13");
	check_status("gcr.io/distroless/python3-debian12", DS_STATUS_REMOVED,
		     "gcr.io/distroless/python3-debian13");
	check_status("gcr.io/distroless/python3", DS_STATUS_REMOVED,
		     "gcr.io/distroless/python3-debian13");
	check_status("gcr.io/distroless/static-debian11", DS_STATUS_REMOVED,
		     "gcr.io/distroless/static-debian13");
	check_status("gcr.io/distroless/base-debian11:nonroot", DS_STATUS_REMOVED,
		     "gcr.io/distroless/base-debian13");
	check_status("gcr.io/distroless/cc-debian10", DS_STATUS_REMOVED,
		     "gcr.io/distroless/cc-debian13");
	check_status("gcr.io/distroless/static", DS_STATUS_DEPRECATED,
		     "gcr.io/distroless/static-debian13");
	check_status("gcr.io/distroless/cc", DS_STATUS_DEPRECATED, "gcr.io/distroless/cc-debian13");
	check_status("openjdk:17-jdk-slim", DS_STATUS_DEPRECATED, "eclipse-temurin");
	check_status("java:8", DS_STATUS_REMOVED, "eclipse-temurin");
	/* current */
	check_status("gcr.io/distroless/static-debian12", DS_STATUS_CURRENT, NULL);
	check_status("gcr.io/distroless/static-debian13:nonroot", DS_STATUS_CURRENT, NULL);
	check_status("gcr.io/distroless/nodejs24-debian13", DS_STATUS_CURRENT, NULL);
	check_status("gcr.io/distroless/nodejs26-debian13", DS_STATUS_CURRENT, NULL);
	check_status("gcr.io/distroless/java25-debian13", DS_STATUS_CURRENT, NULL);
	check_status("gcr.io/distroless/python3-debian13:debug", DS_STATUS_CURRENT, NULL);
	check_status("node:22", DS_STATUS_UNKNOWN, NULL);

	struct ds_image_class k = classify(cat, "gcr.io/distroless/nodejs20-debian12");
	assert_string_equal(k.status_message,
			    "node.js 20 and odd releases are no longer published by distroless");
}

static void check_a2d(const char *in, const char *codename, const char *want)
{
	struct ds_imageref r = ref(in), out;
	int rc = ds_catalog_debian_for_alpine(cat, &r, codename, &arena, &out);
	if (!want) {
		assert_int_equal(rc, -1);
		return;
	}
	if (rc != 0)
		fail_msg("%s (%s): no mapping", in, codename);
	assert_string_equal(ds_imageref_format(&arena, &out, NULL), want);
	/* the result is a well-formed reference */
	struct ds_imageref again;
	assert_int_equal(ds_imageref_parse(&arena, want, strlen(want), &again, NULL), 0);
	assert_string_equal(again.familiar, out.familiar);
	assert_string_equal(again.name, out.name);
}

static void test_alpine_to_debian(void **state)
{
	(void)state;
	check_a2d("node:22-alpine", "bookworm", "node:22-bookworm-slim");
	check_a2d("node:22-alpine", "trixie", "node:22-trixie-slim");
	check_a2d("node:22.13.0-alpine3.21", "bookworm", "node:22.13.0-bookworm-slim");
	check_a2d("node:lts-alpine", "trixie", "node:lts-trixie-slim");
	check_a2d("node:alpine", "trixie", "node:trixie-slim");
	check_a2d("python:3.13-alpine", "trixie", "python:3.13-slim-trixie");
	check_a2d("python:3.13-alpine3.21", "bookworm", "python:3.13-slim-bookworm");
	/* 1.23 was never published on trixie: its newest codename */
	check_a2d("golang:1.23-alpine", "trixie", "golang:1.23-bookworm");
	check_a2d("golang:1.26-alpine3.23", "bookworm", "golang:1.26-bookworm");
	check_a2d("rust:1-alpine", "trixie", "rust:1-slim-trixie");
	check_a2d("alpine:3.21", "trixie", "debian:trixie-slim");
	check_a2d("alpine", "bookworm", "debian:bookworm-slim");
	check_a2d("arm64v8/alpine:3.24", "trixie", "arm64v8/debian:trixie-slim");
	check_a2d("eclipse-temurin:21-jdk-alpine", "trixie", "eclipse-temurin:21-jdk");
	check_a2d("eclipse-temurin:21-jre-alpine-3.21", "trixie", "eclipse-temurin:21-jre");
	check_a2d("amazoncorretto:21-alpine", "trixie", "amazoncorretto:21");
	check_a2d("maven:3.9-eclipse-temurin-17-alpine", "trixie", "maven:3.9-eclipse-temurin-17");
	check_a2d("gradle:8-jdk21-alpine", "trixie", "gradle:8-jdk21");
	check_a2d("openjdk:17-jdk-alpine", "trixie", "eclipse-temurin:17-jdk");
	check_a2d("php:8.3-fpm-alpine", "trixie", "php:8.3-fpm-trixie");
	check_a2d("docker.io/library/node:22-alpine3.21@sha256:"
		  "a9fb022501d14a340fa5f5edb4168c2d32f68c8c80ec3520064f5bf4cc0fa51c",
		  "bookworm", "docker.io/library/node:22-bookworm-slim");
	check_a2d("node:jod-alpine", "trixie", "node:jod-trixie-slim");
	check_a2d("amazoncorretto:8-alpine-jdk", "trixie", "amazoncorretto:8");

	/* the newest codename each version was published with, never a new tag */
	check_a2d("golang:1.10-alpine", "trixie", "golang:1.10-stretch");
	check_a2d("golang:1.10.3-alpine3.8", "bookworm", "golang:1.10.3-stretch");
	check_a2d("node:18-alpine", "trixie", "node:18-bookworm-slim");
	check_a2d("node:22.13.0-alpine", "trixie", "node:22.13.0-bookworm-slim");
	check_a2d("node:22.18.0-alpine", "trixie", "node:22.18.0-trixie-slim");
	check_a2d("node:22-alpine", "bullseye", "node:22-bullseye-slim");
	check_a2d("python:3.7-alpine", "trixie", "python:3.7-slim-bookworm");
	check_a2d("php:7.4-fpm-alpine", "trixie", "php:7.4-fpm-bullseye");
	check_a2d("ruby:2.7-alpine", "trixie", "ruby:2.7-slim-bullseye");
	check_a2d("golang:1.10-alpine", "jessie", NULL);	/* nothing that old */
	check_a2d("node:28-alpine", "trixie", NULL);		/* a version not known */
	check_a2d("golang:1.11rc1-alpine", "trixie", NULL);	/* not a version */
	check_a2d("node:hydrogen2-alpine", "trixie", NULL);	/* not an alias */
	check_a2d("openjdk:13-jdk-alpine", "trixie", NULL);	/* no temurin 13 */
	check_a2d("amazoncorretto:17.0.8-alpine", "trixie", NULL); /* patch tags unknown */
	check_a2d("node:22", "bookworm", NULL);		/* not an Alpine tag */
	check_a2d("node:22-alpine", "nosuch", NULL);	/* unknown codename */
	check_a2d("nginx:alpine", "trixie", NULL);	/* no mapping */
	check_a2d("node:${V}-alpine", "trixie", NULL);	/* unresolved */
}

static void test_apk_to_apt(void **state)
{
	(void)state;
	static const struct {
		const char *apk, *apt;
	} map[] = {
		{ "build-base", "build-essential" }, { "musl-dev", "libc6-dev" },
		{ "openssl-dev", "libssl-dev" },     { "linux-headers", "linux-libc-dev" },
		{ "python3-dev", "python3-dev" },    { "py3-pip", "python3-pip" },
		{ "libffi-dev", "libffi-dev" },	     { "g++", "g++" },
		{ "make", "make" },		     { "git", "git" },
		{ "curl", "curl" },		     { "ca-certificates", "ca-certificates" },
		{ "tzdata", "tzdata" },		     { "zlib-dev", "zlib1g-dev" },
		{ "postgresql-dev", "libpq-dev" },   { "pkgconf", "pkg-config" },
		{ "xz", "xz-utils" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const struct ds_strlist *l = ds_catalog_apk_to_apt(cat, map[i].apk);
		if (!l)
			fail_msg("no mapping for %s", map[i].apk);
		assert_true(list_has(l, map[i].apt));
	}
	const struct ds_strlist *l = ds_catalog_apk_to_apt(cat, "alpine-sdk");
	assert_int_equal(l->n, 2);
	l = ds_catalog_apk_to_apt(cat, "libc6-compat");
	assert_non_null(l);
	assert_int_equal(l->n, 0);
	assert_null(ds_catalog_apk_to_apt(cat, "no-such-package"));
}

/* Whether runtime name has one of the packages that ship soname. */
static bool rt_has_soname(const char *name, const char *soname)
{
	const struct ds_strlist *l = ds_catalog_soname_packages(cat, soname);
	if (!l)
		fail_msg("no packages for %s", soname);
	for (size_t i = 0; i < l->n; i++)
		if (ds_catalog_runtime_has_package(ds_catalog_runtime(cat, name), l->v[i]))
			return true;
	return false;
}

static void test_sonames(void **state)
{
	(void)state;
	/* what a C++ program on glibc needs is in cc, not all of it in base */
	static const char *const cxx[] = { "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libc.so.6", "libm.so.6",
					   "libpthread.so.0", "libstdc++.so.6", "libgcc_s.so.1", "libssl.so.3", NULL };
	for (const char *const *so = cxx; *so; so++)
		assert_true(rt_has_soname("cc", *so));
	assert_true(rt_has_soname("base", "libcrypto.so.3"));
	assert_false(rt_has_soname("base", "libstdc++.so.6"));
	assert_false(rt_has_soname("base-nossl", "libssl.so.3"));
	assert_true(rt_has_soname("java-base", "libz.so.1"));
	assert_false(rt_has_soname("cc", "libz.so.1"));
	assert_false(rt_has_soname("cc", "libssl.so.1.1"));
	/* Wolfi's names: chainguard's glibc-dynamic has glibc and libstdc++ */
	const struct ds_catalog_runtime *gd = ds_catalog_chainguard_equivalent(ds_catalog_runtime(cat, "cc"));
	assert_non_null(gd);
	assert_true(ds_catalog_runtime_has_package(gd, ds_catalog_soname_packages(cat, "libstdc++.so.6")->v[1]));
	assert_null(ds_catalog_soname_packages(cat, "libpq.so.5"));
}

static void test_tools(void **state)
{
	(void)state;
	static const char *const shells[] = { "sh", "bash", "ash", "dash", "zsh", "/bin/sh",
					      "/usr/bin/bash", NULL };
	static const char *const others[] = { "npm", "npx", "yarn", "pnpm", "corepack", "pip",
					      "pip3", "curl", "wget", "apk", "apt", "apt-get",
					      "dnf", "yum", "microdnf", NULL };
	for (const char *const *p = shells; *p; p++) {
		const struct ds_catalog_tool *t = ds_catalog_tool(cat, *p);
		assert_non_null(t);
		assert_int_equal(t->kind, DS_TOOL_SHELL);
	}
	for (const char *const *p = others; *p; p++) {
		const struct ds_catalog_tool *t = ds_catalog_tool(cat, *p);
		assert_non_null(t);
		assert_int_not_equal(t->kind, DS_TOOL_SHELL);
		assert_non_null(t->message);
	}
	assert_int_equal(ds_catalog_tool(cat, "npm")->kind, DS_TOOL_PACKAGE_MANAGER);
	assert_int_equal(ds_catalog_tool(cat, "/usr/bin/curl")->kind, DS_TOOL_DOWNLOADER);
	assert_int_equal(ds_catalog_tool(cat, "npx")->kind, DS_TOOL_RUNNER);
	assert_null(ds_catalog_tool(cat, "node"));
	assert_null(ds_catalog_tool(cat, "/app/server"));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ds_family_name(DS_FAMILY_ALPINE), "alpine");
	assert_string_equal(ds_family_name(DS_FAMILY_BUSYBOX), "busybox");
	assert_string_equal(ds_family_name((enum ds_family)99), "unknown");
	assert_string_equal(ds_libc_name(DS_LIBC_MUSL), "musl");
	assert_string_equal(ds_libc_name(DS_LIBC_NONE), "none");
	assert_string_equal(ds_image_status_name(DS_STATUS_REMOVED), "removed");
}

/* ------------------------------------------------------------------ */
/* overlays                                                           */

static struct ds_catalog *load_with(const char *yaml)
{
	struct ds_catalog *c;
	struct ds_catalog_error err;
	assert_int_equal(ds_catalog_load_builtin(&c, &err), 0);
	if (ds_catalog_overlay_mem(c, "user.yaml", yaml, strlen(yaml), &err) != 0)
		fail_msg("%s:%u:%u: %s", err.file, err.line, err.col, err.msg);
	return c;
}

static void test_overlay_adds(void **state)
{
	(void)state;
	struct ds_catalog *c = load_with("distroless:\n"
					 "  runtimes:\n"
					 "    nodejs28:\n"
					 "      extends: nodejs-common\n"
					 "      debian: [\"13\"]\n"
					 "      version: \"28\"\n"
					 "releases:\n"
					 "  duke: {distro: debian, version: \"15\", glibc: \"2.45\"}\n"
					 "apk_to_apt:\n"
					 "  my-lib-dev: [libmy-dev, libmy1]\n"
					 "sonames:\n"
					 "  libmy.so.1: [libmy1]\n"
					 "tools:\n"
					 "  fish: {kind: shell}\n");
	const struct ds_catalog_runtime *rt = ds_catalog_runtime(c, "nodejs28");
	assert_non_null(rt);
	assert_string_equal(rt->entrypoint.v[0], "/nodejs/bin/node");
	assert_string_equal(rt->image, "gcr.io/distroless/nodejs28");
	assert_true(ds_catalog_runtime_has_package(rt, "libstdc++6"));
	assert_string_equal(ds_catalog_chainguard_equivalent(rt)->name, "node");
	struct ds_image_class k = classify(c, "node:28-alpine");
	assert_int_equal(k.target, DS_TARGET_RUNTIME);
	assert_string_equal(k.runtime->name, "nodejs28");
	k = classify(c, "node:27");
	assert_string_equal(k.runtime->name, "nodejs28");
	assert_string_equal(ds_catalog_glibc(c, "duke"), "2.45");
	assert_string_equal(ds_catalog_glibc(c, "trixie"), "2.41");
	assert_int_equal(ds_catalog_apk_to_apt(c, "my-lib-dev")->n, 2);
	assert_non_null(ds_catalog_apk_to_apt(c, "build-base"));
	assert_string_equal(ds_catalog_soname_packages(c, "libmy.so.1")->v[0], "libmy1");
	assert_non_null(ds_catalog_soname_packages(c, "libc.so.6"));
	assert_int_equal(ds_catalog_tool(c, "fish")->kind, DS_TOOL_SHELL);
	assert_non_null(ds_catalog_tool(c, "sh"));
	ds_catalog_free(c);
}

static void test_overlay_replaces(void **state)
{
	(void)state;
	struct ds_catalog *c = load_with(
		"releases:\n"
		"  trixie: {distro: debian, version: \"13\", glibc: \"2.99\"}\n"
		"apk_to_apt:\n"
		"  build-base: [gcc, make]\n"
		"distroless:\n"
		"  default_tag: latest\n"
		"  runtimes:\n"
		"    cc:\n"
		"      extends: base\n"
		"      packages: [libgcc-s1, libstdc++6, libmine]\n"
		"rules:\n"
		"  - image: node\n"
		"    tag: \"*-custom\"\n"
		"    family: alpine\n"
		"  - image: \"registry.corp/*\"\n"
		"    family: ubuntu\n"
		"    runtime: binary\n"
		"status:\n"
		"  - image: \"gcr.io/distroless/nodejs22*\"\n"
		"    status: deprecated\n"
		"    message: \"we are moving to nodejs24\"\n"
		"    replacement: gcr.io/distroless/nodejs24-debian13\n");
	assert_string_equal(ds_catalog_glibc(c, "trixie"), "2.99");
	const struct ds_strlist *l = ds_catalog_apk_to_apt(c, "build-base");
	assert_int_equal(l->n, 2);
	assert_string_equal(l->v[0], "gcc");
	/* a replaced parent changes its children */
	assert_true(ds_catalog_runtime_has_package(ds_catalog_runtime(c, "cc"), "libmine"));
	assert_true(ds_catalog_runtime_has_package(ds_catalog_runtime(c, "nodejs22"), "libmine"));
	assert_false(ds_catalog_runtime_has_package(ds_catalog_runtime(cat, "nodejs22"), "libmine"));
	assert_string_equal(ds_catalog_runtime_ref(ds_catalog_runtime(c, "cc"), NULL, NULL, &arena),
			    "gcr.io/distroless/cc-debian13:latest");
	/* user rules come first; builtin rules fill the other fields */
	struct ds_image_class k = classify(c, "node:22-custom");
	assert_int_equal(k.family, DS_FAMILY_ALPINE);
	assert_string_equal(k.language, "node");
	assert_string_equal(k.runtime->name, "nodejs22");
	k = classify(c, "node:22");
	assert_int_equal(k.family, DS_FAMILY_DEBIAN);
	k = classify(c, "registry.corp/team/app:1");
	assert_int_equal(k.family, DS_FAMILY_UBUNTU);
	assert_int_equal(k.target, DS_TARGET_BINARY);
	k = classify(c, "gcr.io/distroless/nodejs22-debian13");
	assert_int_equal(k.status, DS_STATUS_DEPRECATED);
	assert_string_equal(k.status_message, "we are moving to nodejs24");
	assert_string_equal(k.replacement, "gcr.io/distroless/nodejs24-debian13");
	ds_catalog_free(c);
}

static void test_overlay_file(void **state)
{
	(void)state;
	char path[] = "/tmp/test_catalog_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *yaml = "tools:\n  fish: {kind: shell}\n  bad: {kind: sometimes}\n";
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);

	struct ds_catalog *c;
	struct ds_catalog_error err;
	assert_int_equal(ds_catalog_load_builtin(&c, &err), 0);
	assert_int_equal(ds_catalog_overlay_file(c, path, &err), -1);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 15);
	assert_string_equal(err.msg, "bad value \"sometimes\" for \"kind\"");
	assert_null(ds_catalog_tool(c, "fish")); /* nothing of a bad file is kept */

	FILE *f = fopen(path, "w");
	fputs("tools:\n  fish: {kind: shell}\n", f);
	fclose(f);
	assert_int_equal(ds_catalog_overlay_file(c, path, &err), 0);
	assert_non_null(ds_catalog_tool(c, "fish"));
	unlink(path);

	assert_int_equal(ds_catalog_overlay_file(c, path, &err), -1);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, "cannot open"));
	ds_catalog_free(c);
}

/* ------------------------------------------------------------------ */
/* bad files                                                          */

struct bad {
	const char *yaml;
	unsigned line, col;
	const char *msg;
};

static const struct bad bad_files[] = {
	/* yaml syntax */
	{ "rules:\n  - image: [a, b\n", 3, 1,
	  "did not find expected ',' or ']' while parsing a flow sequence" },
	{ "rules:\n\t- image: x\n", 2, 1,
	  "found character that cannot start any token while scanning for the next token" },
	{ "rules:\n  - image: \"\xff\xfe\"\n", 2, 13, "invalid leading UTF-8 octet" },
	{ "a: &x 1\nb: *x\n", 2, 4, "aliases are not supported" },
	{ "schema: 1\n---\nschema: 1\n", 2, 1, "expected a single yaml document" },
	/* structure */
	{ "- a\n", 1, 1, "expected a mapping for the catalogue" },
	{ "foo: 1\n", 1, 1, "unknown key \"foo\" in the catalogue" },
	{ "schema: 2\n", 1, 9, "unsupported schema \"2\": expected 1" },
	{ "distroless:\n  runtimes:\n    foo:\n      entrypoin: []\n", 4, 7,
	  "unknown key \"entrypoin\" in runtime \"foo\"" },
	{ "tools:\n  sh: {kind: shell}\n  sh: {kind: shell}\n", 3, 3,
	  "duplicate key \"sh\" in \"tools\"" },
	/* types */
	{ "apk_to_apt:\n  build-base: {a: b}\n", 2, 15,
	  "expected a list of strings for \"build-base\"" },
	{ "sonames:\n  libpq.so.5: {a: b}\n", 2, 15, "expected a list of strings for \"libpq.so.5\"" },
	{ "sonames: [libpq.so.5]\n", 1, 10, "expected a mapping for \"sonames\"" },
	{ "rules: {image: x}\n", 1, 8, "expected a list for \"rules\"" },
	{ "distroless:\n  runtimes:\n    x: {entrypoint: /bin/x}\n", 3, 21,
	  "expected a list of strings for \"entrypoint\"" },
	/* missing fields */
	{ "releases:\n  foo: {distro: debian}\n", 2, 8, "missing \"version\" in release \"foo\"" },
	{ "status:\n  - image: x\n    status: removed\n", 2, 5,
	  "missing \"message\" in a status entry" },
	{ "status:\n  - {image: [], status: removed, message: x}\n", 2, 13,
	  "expected at least one glob for \"image\"" },
	{ "alpine_to_debian:\n  - image: node\n", 2, 5,
	  "missing \"tag\" in an \"alpine_to_debian\" entry" },
	/* values */
	{ "rules:\n  - image: x\n    family: debain\n", 3, 13, "bad value \"debain\" for \"family\"" },
	{ "rules:\n  - image: x\n    shell: maybe\n", 3, 12,
	  "bad value \"maybe\" for \"shell\": expected true or false" },
	{ "rules:\n  - version: tag:majr\n", 2, 14, "bad version spec \"tag:majr\" for \"version\"" },
	{ "accounts:\n  x: {users: {a: -1}}\n", 2, 18, "bad value \"-1\" for \"a\": expected a number" },
	{ "releases:\n  x: {distro: arch, version: \"1\"}\n", 2, 15,
	  "bad value \"arch\" for \"distro\": expected debian or ubuntu" },
	{ "alpine_to_debian:\n  - image: node\n    tag: \"{prefix}-{distro}\"\n", 3, 10,
	  "unknown placeholder \"{distro}\" in \"tag\"" },
	{ "rules:\n  - image: x\n    runtime: static\n    no_runtime: because\n", 4, 17,
	  "\"no_runtime\" and \"runtime\" exclude each other" },
	{ "distroless:\n  runtimes:\n    a: {binaries: [bin/sh]}\n", 3, 20,
	  "binary \"bin/sh\" in runtime \"a\" is not an absolute path" },
	/* references */
	{ "rules:\n  - image: x\n    runtime: nodejs99\n", 2, 5, "unknown runtime \"nodejs99\" in a rule" },
	{ "distroless:\n  runtimes:\n    a: {extends: zz}\n", 3, 5,
	  "runtime \"a\" extends unknown runtime \"zz\"" },
	{ "distroless:\n  runtimes:\n    a: {extends: b}\n    b: {extends: a}\n", 3, 5,
	  "runtime \"a\" extends itself through \"b\"" },
	{ "distroless:\n  runtimes:\n    a: {accounts: nope}\n", 3, 5,
	  "runtime \"a\" names unknown accounts \"nope\"" },
	{ "distroless:\n  runtimes:\n    a: {chainguard: nope}\n", 3, 5,
	  "runtime \"a\" names unknown chainguard runtime \"nope\"" },
	{ "accounts:\n  x: {users: {a: 1}, nonroot: b}\n", 2, 31,
	  "\"nonroot\" names unknown user \"b\" in accounts \"x\"" },
	{ "accounts:\n  x: {extends: nope}\n", 2, 3,
	  "accounts \"x\" extends unknown accounts \"nope\"" },
	{ "accounts:\n  x: {extends: y}\n  y: {extends: x}\n", 2, 3,
	  "accounts \"x\" extends itself through \"y\"" },
	{ "date: 2027-1-2\n", 1, 7, "bad value \"2027-1-2\" for \"date\": expected YYYY-MM-DD" },
	{ "date: [x]\n", 1, 7, "expected a string for \"date\"" },
	/* images */
	{ "images: {a: b}\n", 1, 9, "expected a list for \"images\"" },
	{ "images:\n  - tag: x\n", 2, 5, "missing \"image\" in an \"images\" entry" },
	{ "images:\n  - {image: x, config: {workdir: app}}\n", 2, 34,
	  "bad value \"app\" for \"workdir\": expected an absolute path" },
	{ "images:\n  - {image: x, config: {expose: [80, 443/tcp]}}\n", 2, 34,
	  "bad value \"80\" in \"expose\": expected PORT/tcp, /udp or /sctp" },
	{ "images:\n  - {image: x, config: {env: [A=1, 1B=2]}}\n", 2, 36,
	  "bad value \"1B=2\" in \"env\": expected NAME=VALUE or NAME" },
	{ "images:\n  - {image: x, config: {cmd: run}}\n", 2, 30,
	  "expected a list of strings for \"cmd\"" },
	{ "images:\n  - {image: x, config: {stopsignal: QUIT}}\n", 2, 37,
	  "bad value \"QUIT\" for \"stopsignal\": expected SIGNAME, a number or \"\"" },
	{ "images:\n  - {image: x, config: {healthcheck: [curl, x]}}\n", 2, 39,
	  "bad value \"curl\" in \"healthcheck\": expected CMD, CMD-SHELL or NONE first" },
	{ "images:\n  - {image: x, config: {binaries: [app]}}\n", 2, 36,
	  "bad value \"app\" in \"binaries\": expected an absolute path" },
	{ "images:\n  - {image: x, config: {shell: [sh]}}\n", 2, 25,
	  "unknown key \"shell\" in \"config\"" },
	{ "images:\n  - {image: x, config: {accounts: nope}}\n", 2, 5,
	  "unknown accounts \"nope\" in an \"images\" entry" },
	/* versions */
	{ "versions:\n  - {image: x}\n", 2, 5, "missing \"line\" in a \"versions\" entry" },
	{ "versions:\n  - {image: x, line: patch}\n", 2, 22,
	  "bad value \"patch\" for \"line\": expected major or minor" },
	{ "versions:\n  - {image: x, line: minor, lines: {\"1\": {}}}\n", 2, 37,
	  "bad version line \"1\": expected a minor version (\"1.23\")" },
	{ "versions:\n  - {image: x, line: major, lines: {\"1\": {codenames: {trixie: \"1.2\"}}}}\n",
	  2, 63, "bad range \"1.2\" for \"trixie\": expected FROM..TO, FROM.. or \"\"" },
	{ "versions:\n  - {image: x, line: major, lines: {\"1\": {codenames: {trixie: \"1.9..1.2\"}}}}\n",
	  2, 63, "bad range \"1.9..1.2\" for \"trixie\": expected FROM..TO, FROM.. or \"\"" },
	{ "versions:\n  - {image: x, line: major, lines: {\"1\": {codenames: {zesty: \"\"}}}}\n",
	  2, 55, "unknown release \"zesty\" in line \"1\"" },
	{ "versions:\n  - {image: x, line: major, aliases: {lts: next}}\n", 2, 44,
	  "bad version \"next\" for alias \"lts\"" },
	{ "alpine_to_debian:\n  - {image: x, tag: \"{codename}\", sibling: true}\n", 2, 44,
	  "a \"sibling\" tag cannot name a {codename}" },
};

static void test_bad_files(void **state)
{
	(void)state;
	struct ds_catalog *c;
	struct ds_catalog_error err;
	assert_int_equal(ds_catalog_load_builtin(&c, &err), 0);
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		const struct bad *b = &bad_files[i];
		memset(&err, 0, sizeof err);
		int rc = ds_catalog_overlay_mem(c, "user.yaml", b->yaml, strlen(b->yaml), &err);
		if (rc != -1 || err.line != b->line || err.col != b->col ||
		    strcmp(err.msg, b->msg) != 0)
			fail_msg("case %zu: rc %d, got %s:%u:%u: %s; want %u:%u: %s", i, rc, err.file,
				 err.line, err.col, err.msg, b->line, b->col, b->msg);
		assert_string_equal(err.file, "user.yaml");
		/* the catalogue is as before */
		assert_non_null(ds_catalog_runtime(c, "nodejs22"));
		assert_null(ds_catalog_runtime(c, "a"));
		struct ds_image_class k = classify(c, "node:22-alpine");
		assert_string_equal(k.runtime->name, "nodejs22");
	}
	/* a replaced parent that makes a cycle is refused, and the old one stays */
	const char *cyc = "distroless:\n  runtimes:\n    cc: {extends: nodejs22}\n";
	assert_int_equal(ds_catalog_overlay_mem(c, "cyc.yaml", cyc, strlen(cyc), &err), -1);
	assert_non_null(strstr(err.msg, "extends itself"));
	assert_true(ds_catalog_runtime_has_package(ds_catalog_runtime(c, "nodejs22"), "libstdc++6"));
	assert_string_equal(ds_catalog_runtime(c, "cc")->name, "cc");
	assert_null(ds_catalog_runtime(c, "cc")->language);

	/* an empty file or one with only comments changes nothing */
	assert_int_equal(ds_catalog_overlay_mem(c, "e.yaml", "", 0, &err), 0);
	assert_int_equal(ds_catalog_overlay_mem(c, "e.yaml", "# x\n", 4, &err), 0);
	ds_catalog_free(c);

	/* load_mem of a bad text fails cleanly */
	assert_int_equal(ds_catalog_load_mem(&c, "x.yaml", "[", 1, &err), -1);
	assert_null(c);
	assert_int_equal(ds_catalog_load_mem(&c, "x.yaml", "x: 1", 4, NULL), -1);
}

/* The configuration of s, as a reference. */
static struct ds_image_config config_of(const struct ds_catalog *c, const char *s)
{
	struct ds_imageref r = ref(s);
	struct ds_image_config ic;
	assert_int_equal(ds_catalog_image_config(c, &r, &arena, &ic), 0);
	return ic;
}

#define PATH_ENV "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define CERT_ENV "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"

static void test_distroless_configs(void **state)
{
	(void)state;
	static const char *const none[] = { NULL };
	static const char *const env[] = { PATH_ENV, CERT_ENV, NULL };
	static const char *const debug_env[] = { PATH_ENV ":/busybox", CERT_ENV, NULL };
	static const char *const busybox[] = { "/busybox/sh", NULL };
	static const char *const node[] = { "/nodejs/bin/node", NULL };
	static const char *const py11[] = { "/usr/bin/python3.11", NULL };
	static const char *const py_env[] = { PATH_ENV, CERT_ENV, "LANG=C.UTF-8", NULL };
	static const char *const java_env[] = { PATH_ENV, CERT_ENV, "LANG=C.UTF-8", "JAVA_VERSION",
						NULL };

	/* latest and debug run as root in /, nonroot variants as 65532 in its home */
	struct ds_image_config ic = config_of(cat, "gcr.io/distroless/static-debian13");
	assert_true(ic.known);
	assert_true(ic.has_user && ic.has_workdir && ic.has_env && ic.has_entrypoint && ic.has_cmd);
	assert_string_equal(ic.user, "0");
	assert_string_equal(ic.workdir, "/");
	assert_true(list_eq(&ic.env, env));
	assert_true(list_eq(&ic.entrypoint, none));
	assert_true(list_eq(&ic.cmd, none));
	assert_true(ic.has_expose && ic.has_volumes && ic.has_healthcheck && ic.has_stopsignal);
	assert_null(ic.stopsignal);
	assert_non_null(ds_catalog_accounts_user(ic.accounts, "nonroot"));
	assert_null(ds_catalog_accounts_user(ic.accounts, "node"));

	ic = config_of(cat, "gcr.io/distroless/static-debian13:nonroot-amd64");
	assert_string_equal(ic.user, "65532");
	assert_string_equal(ic.workdir, "/home/nonroot");
	ic = config_of(cat, "gcr.io/distroless/cc-debian12:debug");
	assert_string_equal(ic.user, "0");
	assert_true(list_eq(&ic.entrypoint, busybox));
	assert_true(list_eq(&ic.env, debug_env));
	assert_true(list_has(&ic.binaries, "/busybox/sh"));

	ic = config_of(cat, "gcr.io/distroless/nodejs22-debian13:debug-nonroot");
	assert_string_equal(ic.user, "65532");
	assert_string_equal(ic.workdir, "/home/nonroot");
	assert_true(list_eq(&ic.entrypoint, node));
	assert_true(list_eq(&ic.env, debug_env));
	assert_true(list_has(&ic.binaries, "/nodejs/bin/node"));
	assert_true(list_has(&ic.binaries, "/busybox/sh"));
	ic = config_of(cat, "gcr.io/distroless/nodejs24-debian13:nonroot");
	assert_false(list_has(&ic.binaries, "/busybox/sh"));

	ic = config_of(cat, "gcr.io/distroless/python3-debian12:latest");
	assert_true(list_eq(&ic.entrypoint, py11));
	assert_true(list_eq(&ic.env, py_env));
	ic = config_of(cat, "gcr.io/distroless/java21-debian13:nonroot");
	assert_true(list_eq(&ic.env, java_env));
	assert_string_equal(ic.entrypoint.v[1], "-jar");
	/* the old debian 11 images' environment is not described */
	ic = config_of(cat, "gcr.io/distroless/java17-debian11");
	assert_false(ic.has_env);
	assert_true(ic.has_entrypoint);
	/* a tag distroless never published: who runs it is unknown */
	ic = config_of(cat, "gcr.io/distroless/static-debian13:v1");
	assert_false(ic.has_user);
	assert_false(ic.has_workdir);

	/* every runtime's configuration agrees with its entrypoint and user */
	const struct ds_catalog_runtime *const *v;
	size_t n = ds_catalog_runtimes(cat, ds_catalog_distroless(cat), &v);
	for (size_t i = 0; i < n; i++) {
		if (!v[i]->debian.n)
			continue; /* not published on its own */
		struct ds_image_config rc;
		assert_int_equal(ds_catalog_runtime_config(cat, v[i], NULL, &arena, &rc), 0);
		if (!rc.has_entrypoint || rc.entrypoint.n != v[i]->entrypoint.n)
			fail_msg("%s: entrypoint differs from the runtime's", v[i]->name);
		for (size_t j = 0; j < rc.entrypoint.n; j++)
			assert_string_equal(rc.entrypoint.v[j], v[i]->entrypoint.v[j]);
		assert_string_equal(rc.user, "65532");
		assert_true(rc.has_env);
		assert_int_equal(ds_catalog_runtime_config(cat, v[i], "latest", &arena, &rc), 0);
		assert_string_equal(rc.user, "0");
	}
	struct ds_image_config rc;
	assert_int_equal(ds_catalog_runtime_config(cat, ds_catalog_runtime(cat, "java-common"), NULL,
						   &arena, &rc),
			 -1);
	assert_false(rc.known);
	assert_int_equal(ds_catalog_runtime_config(cat, NULL, NULL, &arena, &rc), -1);
}

static void test_chainguard_configs(void **state)
{
	(void)state;
	struct ds_image_config ic = config_of(cat, "cgr.dev/chainguard/node:latest");
	assert_string_equal(ic.user, "65532");
	assert_string_equal(ic.workdir, "/app");
	assert_string_equal(ic.entrypoint.v[0], "/usr/bin/node");
	assert_string_equal(ic.cmd.v[0], "--help");
	assert_non_null(ds_catalog_accounts_user(ic.accounts, "node"));
	ic = config_of(cat, "cgr.dev/chainguard/node:latest-dev");
	assert_string_equal(ic.user, "65532");
	assert_true(list_has(&ic.binaries, "/usr/bin/apk")); /* a -dev tag's tools */
	/* the -dev images of go run as root */
	ic = config_of(cat, "cgr.dev/chainguard/go:latest-dev");
	assert_string_equal(ic.user, "0");
	/* a subscription's version tag: the runtime's accounts, nothing more */
	ic = config_of(cat, "cgr.dev/chainguard/node:22");
	assert_true(ic.known);
	assert_false(ic.has_user);
	assert_false(ic.has_entrypoint);
	assert_non_null(ic.accounts);

	/* the free tier is latest and latest-dev; the rest is for subscribers */
	struct ds_image_class k = classify(cat, "cgr.dev/chainguard/node:latest");
	assert_true(k.tag_known);
	assert_false(k.subscription);
	assert_false(k.debug);
	k = classify(cat, "cgr.dev/chainguard/node:latest-dev");
	assert_true(k.debug);
	assert_false(k.subscription);
	k = classify(cat, "cgr.dev/chainguard/node:22-dev");
	assert_true(k.debug);
	assert_true(k.subscription);
	k = classify(cat, "cgr.dev/chainguard/static:latest-glibc");
	assert_false(k.subscription);
	k = classify(cat, "gcr.io/distroless/static-debian13:nonroot");
	assert_false(k.subscription);

	/* each runtime's builder: the same image's -dev tag, of the same version */
	const struct ds_catalog_runtime *node = ds_catalog_chainguard_runtime(cat, "node");
	assert_string_equal(node->version, "26");
	assert_string_equal(node->builder, "cgr.dev/chainguard/node:latest-dev");
	k = classify(cat, node->builder);
	assert_true(k.debug && !k.subscription);
	assert_ptr_equal(k.self, node);
	const struct ds_catalog_runtime *jre = ds_catalog_chainguard_runtime(cat, "jre");
	assert_string_equal(jre->builder, "cgr.dev/chainguard/jdk:latest-dev");
	assert_null(ds_catalog_chainguard_runtime(cat, "static")->builder);
	assert_null(ds_catalog_runtime(cat, "nodejs22")->builder);
	assert_int_equal(ds_catalog_runtime_config(cat, jre, NULL, &arena, &ic), 0);
	assert_string_equal(ic.workdir, "/app");
	assert_int_equal(ic.entrypoint.n, 1);
	assert_string_equal(ic.env.v[0], "JAVA_HOME=/usr/lib/jvm/default-jvm");
}

/* Runtimes of --target vendors that take over images the first vendor has none for. */
static void test_replacements(void **state)
{
	(void)state;
	const struct ds_catalog_vendor *ch = ds_catalog_vendor_named(cat, "chiseled");
	const struct ds_catalog_vendor *cg = ds_catalog_vendor_named(cat, "chainguard");
	assert_non_null(ch);
	assert_null(ds_catalog_vendor_named(cat, "ubuntu"));
	struct ds_arena a = DS_ARENA_INIT;
	const struct ds_catalog_runtime *other;
	const struct ds_catalog_runtime *rt = ds_catalog_replacement(cat, ch, "mcr.microsoft.com/dotnet/aspnet", "8.0", &other);
	assert_non_null(rt);
	assert_null(other);
	assert_string_equal(ds_catalog_runtime_ref(rt, NULL, NULL, &a), "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra");
	assert_string_equal(rt->entrypoint.v[0], "/usr/bin/dotnet");
	assert_true(ds_catalog_runtime_is_entrypoint(rt, "dotnet"));
	assert_true(ds_catalog_runtime_has_user(rt, "root"));
	assert_true(ds_catalog_runtime_has_user(rt, "app"));
	/* the same flavour only: runtime-deps for runtime-deps, at the same version */
	rt = ds_catalog_replacement(cat, ch, "mcr.microsoft.com/dotnet/runtime-deps", "10.0", NULL);
	assert_string_equal(ds_catalog_runtime_ref(rt, NULL, NULL, &a),
			    "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-extra");
	assert_int_equal(rt->entrypoint.n, 0);
	assert_null(ds_catalog_replacement(cat, ch, "mcr.microsoft.com/dotnet/aspnet", "6.0", &other));
	assert_non_null(other);
	assert_string_equal(other->version, "8.0");
	assert_null(ds_catalog_replacement(cat, ch, "mcr.microsoft.com/dotnet/aspnet", NULL, NULL));
	assert_null(ds_catalog_replacement(cat, ch, "nginx", NULL, NULL));
	/* the tag names the runtime back, for the proof */
	assert_ptr_equal(ds_catalog_tagged_runtime(cat, "mcr.microsoft.com/dotnet/aspnet", "8.0-noble-chiseled-extra"),
			 ds_catalog_replacement(cat, ch, "mcr.microsoft.com/dotnet/aspnet", "8.0", NULL));
	assert_null(ds_catalog_tagged_runtime(cat, "mcr.microsoft.com/dotnet/aspnet", "8.0"));
	/* Chainguard's nginx, at any version, with its -dev builder, launcher and differences */
	rt = ds_catalog_replacement(cat, cg, "nginx", "1.27", NULL);
	assert_non_null(rt);
	assert_string_equal(rt->builder, "cgr.dev/chainguard/nginx:latest-dev");
	assert_string_equal(rt->launcher, "/docker-entrypoint.sh");
	assert_true(rt->n_differences >= 1);
	assert_string_equal(rt->differences[rt->n_differences - 1].unless, "/etc/nginx/conf.d/default.conf");
	assert_true(ds_catalog_runtime_has_user(rt, "nginx"));
	assert_null(ds_catalog_replacement(cat, ds_catalog_distroless(cat), "nginx", NULL, NULL));
	struct ds_image_config ic = config_of(cat, "cgr.dev/chainguard/nginx:latest");
	assert_string_equal(ic.entrypoint.v[0], "/usr/sbin/nginx");
	assert_string_equal(ic.user, "65532");
	ic = config_of(cat, "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled-extra");
	assert_string_equal(ic.user, "1654");
	assert_int_equal(ic.env.n, 5);
	/* UBI micro: a shell but no package manager, asked for by name; glibc alone, the trust store carried */
	const struct ds_catalog_vendor *um = ds_catalog_vendor_named(cat, "ubi-micro");
	assert_non_null(um);
	assert_true(um->shell);
	assert_false(ds_catalog_distroless(cat)->shell);
	assert_int_equal(um->match.n, 0); /* no image is classified as its */
	const struct ds_catalog_runtime *ur[8];
	size_t nu = ds_catalog_replacements(cat, um, "registry.access.redhat.com/ubi9/ubi-minimal", ur, 8);
	assert_int_equal(nu, 2);
	assert_string_equal(ur[0]->image, "registry.access.redhat.com/ubi9/ubi-micro");
	assert_string_equal(ur[1]->image, "quay.io/quarkus/ubi9-quarkus-micro-image");
	assert_string_equal(ur[1]->tag, "2.0");
	assert_int_equal(ur[0]->carry.n, 1);
	assert_string_equal(ur[1]->carry.v[0], "/etc/pki");
	assert_false(ds_catalog_runtime_has_package(ur[0], "zlib"));
	assert_true(ds_catalog_runtime_has_package(ur[1], "zlib"));
	assert_true(ds_catalog_runtime_has_package(ur[1], "glibc"));
	assert_true(ds_catalog_runtime_has_user(ur[0], "nobody"));
	assert_int_equal(ds_catalog_replacements(cat, um, "registry.access.redhat.com/ubi8/ubi", ur, 8), 2);
	assert_int_equal(ds_catalog_replacements(cat, um, "registry.access.redhat.com/ubi10/ubi-minimal", ur, 8), 1);
	assert_int_equal(ds_catalog_replacements(cat, um, "alpine", ur, 8), 0);
	ds_arena_release(&a);
}

static void test_official_configs(void **state)
{
	(void)state;
	static const char *const node_ep[] = { "docker-entrypoint.sh", NULL };
	static const char *const node_cmd[] = { "node", NULL };
	static const char *const node22_env[] = { PATH_ENV, "NODE_VERSION", "YARN_VERSION", NULL };
	static const char *const node26_env[] = { PATH_ENV, "NODE_VERSION", NULL };
	static const char *const py_cmd[] = { "python3", NULL };
	static const char *const py_path =
		"PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	static const char *const nginx_cmd[] = { "nginx", "-g", "daemon off;", NULL };
	static const char *const port80[] = { "80/tcp", NULL };

	struct ds_image_config ic = config_of(cat, "node:22");
	assert_string_equal(ic.user, "");
	assert_string_equal(ic.workdir, "/");
	assert_true(list_eq(&ic.entrypoint, node_ep));
	assert_true(list_eq(&ic.cmd, node_cmd));
	assert_true(list_eq(&ic.env, node22_env));
	assert_int_equal(ds_catalog_accounts_user(ic.accounts, "node")->id, 1000);
	assert_non_null(ds_catalog_accounts_user(ic.accounts, "www-data"));
	assert_true(list_has(&ic.binaries, "/usr/local/bin/node"));
	assert_true(list_has(&ic.binaries, "/bin/bash"));
	ic = config_of(cat, "docker.io/library/node:lts-alpine");
	assert_true(list_eq(&ic.env, node22_env));
	assert_int_equal(ds_catalog_accounts_user(ic.accounts, "node")->id, 1000);
	assert_null(ds_catalog_accounts_user(ic.accounts, "www-data"));
	assert_true(list_has(&ic.binaries, "/sbin/apk"));
	assert_false(list_has(&ic.binaries, "/bin/bash"));
	ic = config_of(cat, "node:26-trixie-slim");
	assert_true(list_eq(&ic.env, node26_env));
	/* a patch tag of 2018: the entrypoint came later, the environment changed */
	ic = config_of(cat, "node:10.15.0");
	assert_true(list_eq(&ic.cmd, node_cmd));
	assert_false(ic.has_entrypoint);
	assert_false(ic.has_env);

	ic = config_of(cat, "python:3.13-slim");
	assert_true(list_eq(&ic.cmd, py_cmd));
	assert_int_equal(ic.entrypoint.n, 0);
	assert_int_equal(ic.env.n, 4);
	assert_string_equal(ic.env.v[0], py_path);
	assert_string_equal(ic.env.v[1], "GPG_KEY");
	ic = config_of(cat, "python:3.11-alpine");
	assert_string_equal(ic.env.v[1], "LANG=C.UTF-8");
	assert_true(list_has(&ic.binaries, "/usr/local/bin/python3"));
	assert_null(ds_catalog_accounts_user(ic.accounts, "node"));
	ic = config_of(cat, "python:3.14");
	assert_int_equal(ic.env.n, 3);
	ic = config_of(cat, "python:3.13-windowsservercore");
	assert_false(ic.known);

	ic = config_of(cat, "nginx:1.27-alpine");
	assert_string_equal(ic.entrypoint.v[0], "/docker-entrypoint.sh");
	assert_true(list_eq(&ic.cmd, nginx_cmd));
	assert_string_equal(ic.stopsignal, "SIGQUIT");
	assert_true(list_eq(&ic.expose, port80));
	assert_int_equal(ds_catalog_accounts_user(ic.accounts, "nginx")->id, 101);
	ic = config_of(cat, "nginx");
	assert_string_equal(ic.stopsignal, "SIGQUIT");
	assert_int_equal(ds_catalog_accounts_group(ic.accounts, "nginx")->id, 101);
	/* before 1.19 (the 1.10 to 1.17 lines) the image had no entrypoint script */
	ic = config_of(cat, "nginx:1.10");
	assert_true(ic.has_entrypoint);
	assert_int_equal(ic.entrypoint.n, 0);
	assert_false(ic.has_stopsignal);
	assert_true(ic.has_cmd);
	ic = config_of(cat, "nginx:1.13-alpine");
	assert_int_equal(ic.entrypoint.n, 0);
	assert_string_equal(ic.stopsignal, "SIGQUIT");
	ic = config_of(cat, "nginx:1.18"); /* rebuilt across the change: not described */
	assert_false(ic.has_entrypoint);

	ic = config_of(cat, "golang:1.23-alpine");
	assert_string_equal(ic.workdir, "/go");
	assert_true(list_has(&ic.binaries, "/sbin/apk"));
	assert_true(ic.has_volumes);
	assert_string_equal(ic.cmd.v[0], "/bin/sh");
	assert_string_equal(ic.env.v[3], "GOPATH=/go");
	ic = config_of(cat, "golang:1.23.4-alpine3.20");
	assert_false(list_has(&ic.binaries, "/bin/bash"));
	assert_null(ds_catalog_accounts_user(ic.accounts, "www-data"));
	ic = config_of(cat, "golang:1.23.4-bookworm");
	assert_true(list_has(&ic.binaries, "/bin/bash"));
	assert_string_equal(ic.cmd.v[0], "bash");
	ic = config_of(cat, "php:8.3-fpm");
	assert_string_equal(ic.workdir, "/var/www/html");
	assert_string_equal(ic.stopsignal, "SIGQUIT");
	assert_string_equal(ic.entrypoint.v[0], "docker-php-entrypoint");
	assert_string_equal(ic.cmd.v[0], "php-fpm");
	ic = config_of(cat, "php:8.3-cli");
	assert_false(ic.has_stopsignal);
	assert_string_equal(ic.cmd.v[1], "-a");
	ic = config_of(cat, "eclipse-temurin:21-jre");
	assert_string_equal(ic.entrypoint.v[0], "/__cacert_entrypoint.sh");
	assert_int_equal(ic.cmd.n, 0);
	ic = config_of(cat, "eclipse-temurin:21-jdk-noble");
	assert_string_equal(ic.cmd.v[0], "jshell");
	assert_int_equal(ds_catalog_accounts_user(ic.accounts, "ubuntu")->id, 1000);
	ic = config_of(cat, "mcr.microsoft.com/dotnet/aspnet:8.0");
	assert_string_equal(ic.user, "");
	assert_int_equal(ds_catalog_accounts_user(ic.accounts, "app")->id, 1654);
	assert_true(list_has(&ic.env, "ASPNETCORE_HTTP_PORTS=8080"));
	ic = config_of(cat, "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled");
	assert_string_equal(ic.user, "1654");
	assert_string_equal(ic.entrypoint.v[0], "/usr/bin/dotnet");
	assert_false(ic.has_env);
	assert_null(ds_catalog_accounts_user(ic.accounts, "www-data"));

	ic = config_of(cat, "ubuntu:24.04");
	assert_string_equal(ic.cmd.v[0], "/bin/bash");
	assert_non_null(ds_catalog_accounts_user(ic.accounts, "ubuntu"));
	ic = config_of(cat, "ubuntu:22.04");
	assert_null(ds_catalog_accounts_user(ic.accounts, "ubuntu"));
	ic = config_of(cat, "busybox:1.36-musl");
	assert_string_equal(ic.cmd.v[0], "sh");
	assert_non_null(ds_catalog_accounts_user(ic.accounts, "www-data"));

	/* unknown images, scratch, unresolved references */
	ic = config_of(cat, "registry.corp.example/base/node:22-alpine");
	assert_false(ic.known);
	assert_false(ic.has_user);
	ic = config_of(cat, "someorg/node:22");
	assert_false(ic.known);
	ic = config_of(cat, "scratch");
	assert_true(ic.known && ic.has_user && ic.has_env && ic.has_entrypoint);
	assert_int_equal(ic.env.n, 0);
	assert_string_equal(ic.workdir, "/");
	ic = config_of(cat, "node:${V}");
	assert_false(ic.known);
	/* by digest only: the tag-independent facts */
	ic = config_of(cat, "node@sha256:a9fb022501d14a340fa5f5edb4168c2d32f68c8c80ec3520064f5bf4cc0fa51c");
	assert_true(list_eq(&ic.cmd, node_cmd));
	assert_false(ic.has_env);
	struct ds_image_config z;
	assert_int_equal(ds_catalog_image_config(cat, NULL, &arena, &z), -1);
}

static void test_overlay_images(void **state)
{
	(void)state;
	struct ds_catalog *c = load_with("date: \"2027-01-02\"\n"
					 "accounts:\n"
					 "  corp: {extends: debian, users: {app: 2000}}\n"
					 "images:\n"
					 "  - image: registry.corp.example/base/node\n"
					 "    config:\n"
					 "      user: app\n"
					 "      entrypoint: [/app/run]\n"
					 "      accounts: corp\n"
					 "  - image: node\n"
					 "    tag: \"22*\"\n"
					 "    config: {workdir: /srv}\n");
	assert_string_equal(ds_catalog_date(c), "2027-01-02");
	struct ds_image_config ic = config_of(c, "registry.corp.example/base/node:22");
	assert_true(ic.known);
	assert_string_equal(ic.user, "app");
	assert_string_equal(ic.entrypoint.v[0], "/app/run");
	assert_false(ic.has_cmd);
	assert_int_equal(ds_catalog_accounts_user(ic.accounts, "app")->id, 2000);
	assert_non_null(ds_catalog_accounts_user(ic.accounts, "www-data"));
	/* a user entry goes first; the builtin ones fill in the rest */
	ic = config_of(c, "node:22-alpine");
	assert_string_equal(ic.workdir, "/srv");
	assert_string_equal(ic.cmd.v[0], "node");
	ic = config_of(c, "node:24");
	assert_string_equal(ic.workdir, "/");
	ds_catalog_free(c);
	assert_string_equal(ds_catalog_date(cat), "2026-08-22");
}

static void check_codenames(const struct ds_catalog *c, const char *image, const char *version,
			    const char *const *want)
{
	const char *const *got;
	size_t n = ds_catalog_codenames(c, image, version, &arena, &got);
	size_t w = 0;
	while (want[w])
		w++;
	if (n != w)
		fail_msg("%s %s: %zu codenames, want %zu", image, version, n, w);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got[i], want[i]);
}

static void test_codenames(void **state)
{
	(void)state;
	static const char *const none[] = { NULL };
	static const char *const stretch[] = { "stretch", NULL };
	static const char *const n18[] = { "bookworm", "bullseye", "buster", NULL };
	static const char *const n22[] = { "trixie", "bookworm", "bullseye", NULL };
	static const char *const n2213[] = { "bookworm", "bullseye", NULL };
	static const char *const py39[] = { "trixie", "bookworm", "bullseye", "buster", NULL };
	static const char *const jammy[] = { "jammy", NULL };

	check_codenames(cat, "golang", "1.10", stretch);
	check_codenames(cat, "golang", "1.10.8", stretch);
	check_codenames(cat, "golang", "1.10.9", none);	/* never released */
	check_codenames(cat, "node", "18", n18);
	check_codenames(cat, "node", "18.20.8", n2213);	/* buster stopped at 18.20.3 */
	check_codenames(cat, "node", "22", n22);
	check_codenames(cat, "node", "22.13", n2213);	/* trixie came with 22.18 */
	check_codenames(cat, "node", "22.13.0", n2213);
	check_codenames(cat, "node", "22.99.0", n22);	/* newer than the catalogue: still published */
	check_codenames(cat, "mirror.gcr.io/library/node", "jod", n22);
	check_codenames(cat, "python", "3.9", py39);
	check_codenames(cat, "eclipse-temurin", "20", jammy);
	check_codenames(cat, "node", "28", none);
	check_codenames(cat, "node", "next", none);
	check_codenames(cat, "someorg/node", "22", none);
	check_codenames(cat, "amazoncorretto", "21", none);	/* no codenames at all */

	assert_string_equal(ds_catalog_tag_alias(cat, "node", "lts"), "24");
	assert_string_equal(ds_catalog_tag_alias(cat, "node", "hydrogen"), "18");
	assert_string_equal(ds_catalog_tag_alias(cat, "python", "latest"), "3.14");
	assert_string_equal(ds_catalog_tag_alias(cat, "golang", "latest"), "1.27");
	assert_null(ds_catalog_tag_alias(cat, "golang", "lts"));
	assert_null(ds_catalog_tag_alias(cat, "nginx", "latest"));

	assert_string_equal(ds_catalog_default_codename(cat, "golang", "1.23"), "bookworm");
	assert_string_equal(ds_catalog_default_codename(cat, "golang", "1.25"), "trixie");
	assert_string_equal(ds_catalog_default_codename(cat, "node", "24"), "bookworm");
	assert_string_equal(ds_catalog_default_codename(cat, "node", "lts"), "bookworm");
	assert_string_equal(ds_catalog_default_codename(cat, "node", "latest"), "trixie");
	assert_string_equal(ds_catalog_default_codename(cat, "python", "3"), "trixie");
	assert_null(ds_catalog_default_codename(cat, "node", "24.1.0"));
	assert_null(ds_catalog_default_codename(cat, "node", "99"));
}

static void test_overlay_versions(void **state)
{
	(void)state;
	static const char *const corp[] = { "trixie", "bookworm", NULL };
	static const char *const n22[] = { "bookworm", NULL };
	static const char *const n24[] = { "trixie", "bookworm", "bullseye", NULL };
	struct ds_catalog *c = load_with("versions:\n"
					 "  - image: [node, registry.corp.example/base/node]\n"
					 "    line: major\n"
					 "    aliases: {lts: \"22\"}\n"
					 "    lines:\n"
					 "      \"28\": {default: trixie, codenames: {trixie: \"28.0.0..\","
					 " bookworm: \"\"}}\n"
					 "      \"22\": {codenames: {bookworm: \"22.0.0..\"}}\n"
					 "alpine_to_debian:\n"
					 "  - image: registry.corp.example/base/node\n"
					 "    tag: \"{prefix-}{codename}\"\n");
	check_codenames(c, "registry.corp.example/base/node", "28", corp);
	check_codenames(c, "node", "28", corp);
	check_codenames(c, "node", "22", n22);	/* the user's line replaces the builtin one */
	check_codenames(c, "node", "24", n24);	/* the other lines stay */
	check_codenames(c, "node", "lts", n22);
	struct ds_imageref r = ref("registry.corp.example/base/node:28-alpine"), out;
	assert_int_equal(ds_catalog_debian_for_alpine(c, &r, "trixie", &arena, &out), 0);
	assert_string_equal(ds_imageref_format(&arena, &out, NULL), "registry.corp.example/base/node:28-trixie");
	r = ref("registry.corp.example/base/node:28.1.0-alpine");
	assert_int_equal(ds_catalog_debian_for_alpine(c, &r, "bookworm", &arena, &out), -1);
	r = ref("node:28-alpine");
	assert_int_equal(ds_catalog_debian_for_alpine(c, &r, "trixie", &arena, &out), 0);
	assert_string_equal(ds_imageref_format(&arena, &out, NULL), "node:28-trixie-slim");
	ds_catalog_free(c);
}

/* A catalogue of only a user file works without the builtin entries. */
static void test_load_mem_alone(void **state)
{
	(void)state;
	struct ds_catalog *c;
	struct ds_catalog_error err;
	const char *yaml = "distroless:\n"
			   "  registry: example.com/rt\n"
			   "  default_debian: \"13\"\n"
			   "  runtimes:\n"
			   "    tiny: {debian: [\"13\"], language: zig, version: \"1\"}\n"
			   "rules:\n"
			   "  - image: zig\n"
			   "    language: zig\n"
			   "    version: tag:major\n"
			   "    runtime: auto\n";
	assert_int_equal(ds_catalog_load_mem(&c, "only.yaml", yaml, strlen(yaml), &err), 0);
	struct ds_image_class k = classify(c, "zig:1");
	assert_int_equal(k.target, DS_TARGET_RUNTIME);
	assert_string_equal(ds_catalog_runtime_ref(k.runtime, NULL, NULL, &arena),
			    "example.com/rt/tiny-debian13:latest");
	k = classify(c, "node:22");
	assert_int_equal(k.target, DS_TARGET_UNKNOWN);
	assert_int_equal(k.family, DS_FAMILY_UNKNOWN);
	assert_null(ds_catalog_tool(c, "sh"));
	ds_catalog_free(c);
}

/* Many threads read one catalogue at once (run under TSan for a real check). */
struct worker {
	const struct ds_catalog *c;
	int ok;
};

static void *work(void *p)
{
	struct worker *w = p;
	struct ds_arena a;
	ds_arena_init(&a);
	w->ok = 1;
	for (int n = 0; n < 200; n++) {
		for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
			struct ds_imageref r;
			struct ds_image_class k;
			if (ds_imageref_parse(&a, table[i].ref, strlen(table[i].ref), &r, NULL) ||
			    ds_catalog_classify(w->c, &r, &a, &k) || k.family != table[i].family)
				w->ok = 0;
		}
	}
	ds_arena_release(&a);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t th[4];
	struct worker w[4];
	for (int i = 0; i < 4; i++) {
		w[i].c = cat;
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_true(w[i].ok);
	}
}

/*
 * The glob rules of glob.c, read the slow way: '*' any run (also of '/'),
 * '?' one character, anything else itself, and '[' followed somewhere by a
 * ']' a class: "[a-z]", "[!a-z]", a ']' first is a member, and a class
 * that never closes matches nothing; the whole name must match.
 */
static bool glob_ref(const char *p, const char *s)
{
	if (!*p)
		return !*s;
	if (*p == '*')
		return glob_ref(p + 1, s) || (*s && glob_ref(p, s + 1));
	if (!*s)
		return false;
	if (*p == '?')
		return glob_ref(p + 1, s + 1);
	if (*p == '[' && strchr(p + 1, ']')) {
		const char *q = p + 1;
		bool neg = *q == '!';
		if (neg)
			q++;
		const char *first = q;
		bool hit = false;
		for (; *q && (*q != ']' || q == first); q++) {
			if (q[1] == '-' && q[2] && q[2] != ']') {
				hit = hit || (*s >= q[0] && *s <= q[2]);
				q += 2;
			} else {
				hit = hit || *s == *q;
			}
		}
		return *q == ']' && hit != neg && glob_ref(q + 1, s + 1);
	}
	return *p == *s && glob_ref(p + 1, s + 1);
}

/* The fast matcher (first and last characters checked first) agrees with the plain reading. */
static void test_glob_match(void **state)
{
	(void)state;
	static const char *const pats[] = {
		"", "*", "**", "?", "node", "*/library/node", "gcr.io/distroless/*", "*alpine*", "*-dev",
		"java[0-9]*", "java[0-9][0-9]-debian1[23]", "[!0-9]*", "a[", "a[b", "*]", "[]]x", "[!]]",
		"x?", "?x", "*?", "a*b*c", "*a*", "node*", "*node", "[a-c]-[x-z]", "debian1[23]*", "[]", "[!]",
		"[", "x[!a]", "*[", "a", "ab", "x[c", "a]bc", "ab*c", "*bc", "?b", "a?", "[ab]c", "c[ab]",
	};
	static const char *const names[] = {
		"", "n", "node", "library/node", "docker.io/library/node", "gcr.io/distroless/static",
		"alpine", "node:alpine", "python-dev", "java17", "java", "java17-debian12", "java17-debian14",
		"9x", "x9", "a[", "a[b", "a]", "]x", "]", "x", "xx", "aXbYc", "abc", "b-y", "debian12-slim",
		"[", "[]", "[!]", "xb", "x[", "a", "ab", "x[c", "a]bc", "abzc", "bc", "ac", "cb", "b",
	};
	size_t np = sizeof pats / sizeof *pats, nn = sizeof names / sizeof *names;
	for (size_t i = 0; i < np; i++) {
		struct ds_strlist one = { &pats[i], 1 };
		struct glob_hint h;
		ds_catalog__glob_hint(&h, &one);
		for (size_t k = 0; k < nn; k++) {
			bool want = glob_ref(pats[i], names[k]);
			if (ds_catalog__glob_match(pats[i], names[k]) != want || ds_catalog__globs_match(&one, names[k]) != want)
				fail_msg("glob '%s' on '%s': expected %s", pats[i], names[k], want ? "a match" : "none");
			/* the hint never rejects a name a glob matches */
			if (want && !ds_catalog__hint_maybe(&h, ds_catalog__glob_key(names[k])))
				fail_msg("the hint of '%s' rejects '%s', which it matches", pats[i], names[k]);
		}
	}
	/* a list's hint: the union of its globs' (and everything for an empty list) */
	struct glob_hint h;
	struct ds_strlist both = { &pats[4], 2 }; /* "node" and ".../library/node": any start, "de" at the end */
	ds_catalog__glob_hint(&h, &both);
	assert_true(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("node")));
	assert_true(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("docker.io/library/node")));
	assert_false(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("python")));
	assert_false(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("alpine"))); /* an 'e' at the end is not enough */
	struct ds_strlist gcr = { &pats[6], 1 }; /* "gcr.io/distroless/..." */
	ds_catalog__glob_hint(&h, &gcr);
	assert_true(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("gcr.io/distroless/cc")));
	assert_false(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("node")));
	assert_false(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("ghcr.io/x"))); /* a 'g' first is not enough */
	struct ds_strlist empty = { NULL, 0 };
	ds_catalog__glob_hint(&h, &empty);
	assert_true(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("python")));
	assert_true(ds_catalog__hint_maybe(&h, ds_catalog__glob_key("")));
	/* a list matches when one of its globs does; an empty one matches everything */
	struct ds_strlist two = { &pats[5], 2 }, none = { NULL, 0 };
	assert_true(ds_catalog__globs_match(&two, "gcr.io/distroless/cc"));
	assert_true(ds_catalog__globs_match(&two, "docker.io/library/node"));
	assert_false(ds_catalog__globs_match(&two, "node"));
	assert_true(ds_catalog__globs_match(&none, "anything"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_loads),
		cmocka_unit_test(test_replacements),
		cmocka_unit_test(test_distroless_runtimes),
		cmocka_unit_test(test_contents),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_chainguard),
		cmocka_unit_test(test_refs_and_glibc),
		cmocka_unit_test(test_classify_table),
		cmocka_unit_test(test_classify_details),
		cmocka_unit_test(test_vendor_images),
		cmocka_unit_test(test_removed_images),
		cmocka_unit_test(test_alpine_to_debian),
		cmocka_unit_test(test_apk_to_apt),
		cmocka_unit_test(test_sonames),
		cmocka_unit_test(test_tools),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_overlay_adds),
		cmocka_unit_test(test_overlay_replaces),
		cmocka_unit_test(test_overlay_file),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_load_mem_alone),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_distroless_configs),
		cmocka_unit_test(test_chainguard_configs),
		cmocka_unit_test(test_official_configs),
		cmocka_unit_test(test_overlay_images),
		cmocka_unit_test(test_codenames),
		cmocka_unit_test(test_overlay_versions),
		cmocka_unit_test(test_glob_match),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
