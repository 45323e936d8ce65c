/* test_imageref.c - unit tests for image reference parsing and formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "analyze/imageref.h"
#include "common/arena.h"

#include <string.h>

#define SHA "sha256:a9fb022501d14a340fa5f5edb4168c2d32f68c8c80ec3520064f5bf4cc0fa51c"

static struct ds_arena arena;

static int setup(void **state)
{
	(void)state;
	ds_arena_init(&arena);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_arena_release(&arena);
	return 0;
}

/* Parses s and checks every field; NULL expectations mean "absent". */
static void check(const char *s, const char *registry, const char *path, const char *repository,
		  const char *name, const char *tag, const char *digest, const char *familiar)
{
	struct ds_imageref r;
	const char *err = "unset";
	int rc = ds_imageref_parse(&arena, s, strlen(s), &r, &err);
	if (rc != 0)
		fail_msg("%s: %s", s, err);
	assert_null(err);
	assert_false(r.unresolved);
	if (registry)
		assert_string_equal(r.registry, registry);
	else
		assert_null(r.registry);
	assert_string_equal(r.path, path);
	assert_string_equal(r.repository, repository);
	assert_string_equal(r.name, name);
	if (tag)
		assert_string_equal(r.tag, tag);
	else
		assert_null(r.tag);
	if (digest)
		assert_string_equal(r.digest, digest);
	else
		assert_null(r.digest);
	assert_string_equal(r.familiar, familiar);
}

static void check_err(const char *s, const char *msg)
{
	struct ds_imageref r;
	const char *err = NULL;
	int rc = ds_imageref_parse(&arena, s, strlen(s), &r, &err);
	if (rc != -1)
		fail_msg("%s: parsed, expected \"%s\"", s, msg);
	assert_non_null(err);
	assert_string_equal(err, msg);
	assert_null(r.path);
}

static void test_docker_hub(void **state)
{
	(void)state;
	check("node", NULL, "node", "node", "node", NULL, NULL, "node");
	check("library/node", NULL, "library/node", "node", "node", NULL, NULL, "node");
	check("docker.io/library/node:22-alpine", "docker.io", "library/node", "node", "node",
	      "22-alpine", NULL, "node");
	check("docker.io/node:22", "docker.io", "node", "node", "node", "22", NULL, "node");
	check("index.docker.io/library/python:3.13-slim", "index.docker.io", "library/python",
	      "python", "python", "3.13-slim", NULL, "python");
	check("bitnami/redis:7.2", NULL, "bitnami/redis", "bitnami/redis", "redis", "7.2", NULL,
	      "bitnami/redis");
	check("docker.io/foo/bar", "docker.io", "foo/bar", "foo/bar", "bar", NULL, NULL, "foo/bar");
	/* "library/" is only dropped when one component follows */
	check("library/a/b", NULL, "library/a/b", "library/a/b", "b", NULL, NULL, "library/a/b");
	check("arm64v8/alpine:3.24", NULL, "arm64v8/alpine", "arm64v8/alpine", "alpine", "3.24",
	      NULL, "arm64v8/alpine");

	struct ds_imageref r;
	assert_int_equal(ds_imageref_parse(&arena, "node", 4, &r, NULL), 0);
	assert_true(r.docker_hub);
	assert_false(r.is_scratch);
}

static void test_registries(void **state)
{
	(void)state;
	check("gcr.io/distroless/nodejs22-debian13:nonroot", "gcr.io", "distroless/nodejs22-debian13",
	      "distroless/nodejs22-debian13", "nodejs22-debian13", "nonroot", NULL,
	      "gcr.io/distroless/nodejs22-debian13");
	check("mcr.microsoft.com/dotnet/aspnet:8.0", "mcr.microsoft.com", "dotnet/aspnet",
	      "dotnet/aspnet", "aspnet", "8.0", NULL, "mcr.microsoft.com/dotnet/aspnet");
	check("cgr.dev/chainguard/node:latest", "cgr.dev", "chainguard/node", "chainguard/node",
	      "node", "latest", NULL, "cgr.dev/chainguard/node");
	check("localhost:5000/team/app:1.2@" SHA, "localhost:5000", "team/app", "team/app", "app",
	      "1.2", SHA, "localhost:5000/team/app");
	check("localhost/app", "localhost", "app", "app", "app", NULL, NULL, "localhost/app");
	check("[::1]:5000/app:v1", "[::1]:5000", "app", "app", "app", "v1", NULL, "[::1]:5000/app");
	check("my-registry.example.com:443/a/b/c:tag", "my-registry.example.com:443", "a/b/c",
	      "a/b/c", "c", "tag", NULL, "my-registry.example.com:443/a/b/c");
	/* an upper-case first component is a registry, as in Docker */
	check("MyRegistry/app", "MyRegistry", "app", "app", "app", NULL, NULL, "MyRegistry/app");
	check("registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24",
	      "registry.access.redhat.com", "ubi9/openjdk-21-runtime", "ubi9/openjdk-21-runtime",
	      "openjdk-21-runtime", "1.24", NULL,
	      "registry.access.redhat.com/ubi9/openjdk-21-runtime");
	/* "localhost:5000" alone is the image "localhost" with tag "5000" */
	check("localhost:5000", NULL, "localhost", "localhost", "localhost", "5000", NULL,
	      "localhost");

	struct ds_imageref r;
	const char *s = "gcr.io/distroless/static";
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, NULL), 0);
	assert_false(r.docker_hub);
}

static void test_tags_and_digests(void **state)
{
	(void)state;
	check("node@" SHA, NULL, "node", "node", "node", NULL, SHA, "node");
	check("alpine:3.21@" SHA, NULL, "alpine", "alpine", "alpine", "3.21", SHA, "alpine");
	check("a__b/c-d.e_f:T_1.x-y", NULL, "a__b/c-d.e_f", "a__b/c-d.e_f", "c-d.e_f", "T_1.x-y",
	      NULL, "a__b/c-d.e_f");
	check("a---b:_x", NULL, "a---b", "a---b", "a---b", "_x", NULL, "a---b");
	check("x@sha512:"
	      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	      NULL, "x", "x", "x", NULL,
	      "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	      "x");
	check("x@multihash+base58:0123456789ABCDEF0123456789abcdef", NULL, "x", "x", "x", NULL,
	      "multihash+base58:0123456789ABCDEF0123456789abcdef", "x");
}

static void test_scratch(void **state)
{
	(void)state;
	struct ds_imageref r;
	assert_int_equal(ds_imageref_parse(&arena, "scratch", 7, &r, NULL), 0);
	assert_true(r.is_scratch);
	assert_string_equal(r.name, "scratch");
	assert_null(r.tag);
	assert_string_equal(ds_imageref_format(&arena, &r, NULL), "scratch");
	/* only the bare word is special */
	assert_int_equal(ds_imageref_parse(&arena, "scratch:1", 9, &r, NULL), 0);
	assert_false(r.is_scratch);
}

static void test_unresolved(void **state)
{
	(void)state;
	struct ds_imageref r;
	const char *err = "unset";
	const char *s = "${REGISTRY}/app:${TAG}";
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, &err), 0);
	assert_null(err);
	assert_true(r.unresolved);
	assert_null(r.registry);
	assert_string_equal(r.path, "${REGISTRY}/app");
	assert_string_equal(r.tag, "${TAG}");

	s = "node:${NODE_VERSION:-22}-alpine";
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, NULL), 0);
	assert_true(r.unresolved);
	assert_string_equal(r.path, "node");
	assert_string_equal(r.tag, "${NODE_VERSION:-22}-alpine");

	s = "$REGISTRY/$OWNER/scipy-notebook";
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, NULL), 0);
	assert_true(r.unresolved);
	assert_string_equal(r.name, "scipy-notebook");
	assert_null(r.tag);

	s = "ghcr.io/${OWNER}/App:${V}";
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, NULL), 0);
	assert_true(r.unresolved);
	assert_string_equal(r.registry, "ghcr.io");
	assert_string_equal(r.path, "${OWNER}/App");
	assert_string_equal(r.familiar, "ghcr.io/${OWNER}/App");

	/* a ':' or '/' inside ${...} is not a separator */
	s = "${IMAGE:-gcr.io/x:1}";
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, NULL), 0);
	assert_string_equal(r.path, "${IMAGE:-gcr.io/x:1}");
	assert_null(r.tag);
}

static void test_errors(void **state)
{
	(void)state;
	char big[300];
	check_err("", "empty image reference");
	check_err("Node", "repository name must be lowercase");
	check_err("library/Node", "repository name must be lowercase");
	check_err("gcr.io/Distroless/static", "repository name must be lowercase");
	check_err("node:", "invalid reference format: empty tag");
	check_err("node@", "invalid reference format: empty digest");
	check_err("node@sha256:abc", "invalid digest format");
	check_err("node@sha256:"
		  "A9FB022501D14A340FA5F5EDB4168C2D32F68C8C80EC3520064F5BF4CC0FA51C",
		  "invalid digest format");
	check_err("python:3.12-slim-bookworm@sha256:abc", "invalid digest format");
	check_err("node@:0123456789abcdef0123456789abcdef", "invalid digest format");
	check_err("node:-bad", "invalid tag format");
	check_err("node:a+b", "invalid tag format");
	check_err("/node", "invalid reference format: empty path component");
	check_err("node//x", "invalid reference format: empty path component");
	check_err("gcr.io/", "invalid reference format: empty path component");
	check_err("node-/x", "invalid reference format");
	check_err("node..x", "invalid reference format");
	check_err("no___de", "invalid reference format");
	check_err("a b", "invalid reference format");
	check_err("node:1.0:2", "invalid reference format");
	check_err("registry.io:port/x", "invalid reference format: bad registry host");
	check_err("-registry.io/x", "invalid reference format: bad registry host");
	check_err("[zz]:5000/x", "invalid reference format: bad registry host");
	memset(big, 'a', sizeof big);
	big[0] = 'n';
	char tag[200] = "node:";
	memset(tag + 5, 't', 130);
	tag[135] = '\0';
	check_err(tag, "invalid tag format");
	struct ds_imageref r;
	const char *err = NULL;
	assert_int_equal(ds_imageref_parse(&arena, big, 256, &r, &err), -1);
	assert_string_equal(err, "repository name must not be more than 255 characters");
	assert_int_equal(ds_imageref_parse(&arena, big, 255, &r, &err), 0);
	/* err may be NULL */
	assert_int_equal(ds_imageref_parse(&arena, "A", 1, &r, NULL), -1);
}

static void test_format(void **state)
{
	(void)state;
	struct ds_imageref r;
	const char *s = "localhost:5000/team/app:1.2@" SHA;
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, NULL), 0);
	assert_string_equal(ds_imageref_format(&arena, &r, NULL), s);
	assert_string_equal(ds_imageref_format(&arena, &r, "1.3"), "localhost:5000/team/app:1.3");
	assert_string_equal(ds_imageref_format(&arena, &r, ""), "localhost:5000/team/app");

	s = "docker.io/library/node:22-alpine";
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, NULL), 0);
	assert_string_equal(ds_imageref_format(&arena, &r, "22-bookworm-slim"),
			    "docker.io/library/node:22-bookworm-slim");
	assert_string_equal(ds_imageref_tag_or_latest(&r), "22-alpine");

	assert_int_equal(ds_imageref_parse(&arena, "node", 4, &r, NULL), 0);
	assert_string_equal(ds_imageref_format(&arena, &r, NULL), "node");
	assert_string_equal(ds_imageref_tag_or_latest(&r), "latest");

	s = "node:${V}";
	assert_int_equal(ds_imageref_parse(&arena, s, strlen(s), &r, NULL), 0);
	assert_string_equal(ds_imageref_format(&arena, &r, NULL), s);
}

/* Parsing and printing back gives the same text for every valid reference. */
static void test_roundtrip(void **state)
{
	(void)state;
	static const char *const refs[] = {
		"node", "library/node", "docker.io/library/node:22-alpine",
		"gcr.io/distroless/static-debian12:nonroot",
		"gcr.io/distroless/base-debian13:nonroot-amd64@" SHA,
		"mcr.microsoft.com/windows/servercore:ltsc2022", "[fe80::1]:443/x/y:z",
		"quay.io/jupyter/base-notebook:2026-07-28@" SHA,
	};
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		struct ds_imageref r;
		assert_int_equal(ds_imageref_parse(&arena, refs[i], strlen(refs[i]), &r, NULL), 0);
		assert_string_equal(ds_imageref_format(&arena, &r, NULL), refs[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_hub),   cmocka_unit_test(test_registries),
		cmocka_unit_test(test_tags_and_digests), cmocka_unit_test(test_scratch),
		cmocka_unit_test(test_unresolved),   cmocka_unit_test(test_errors),
		cmocka_unit_test(test_format),       cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
