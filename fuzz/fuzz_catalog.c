/* fuzz_catalog.c - libFuzzer target: a user catalogue file of arbitrary bytes over the builtin. */
#include "analyze/imageref.h"
#include "catalog/catalog.h"
#include "common/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const refs[] = {
	"node:22-alpine", "python:3.13-slim", "golang:1.23", "gcr.io/distroless/static",
	"gcr.io/distroless/nodejs20-debian12:debug", "cgr.dev/chainguard/node:latest-dev",
	"scratch", "alpine:3.21", "x/y:z", "$V/app", "golang:1.10-alpine", "node:lts-alpine",
	"python:3.13.1", "nginx:1.27", "registry.corp.example/base/node:22-alpine",
};

/* Whatever a file made of the catalogue, every query still works. */
static void query(struct ds_catalog *c, struct ds_arena *a)
{
	const struct ds_catalog_vendor *vs[4] = { ds_catalog_distroless(c), ds_catalog_chainguard(c),
						   ds_catalog_vendor_named(c, "chiseled"), ds_catalog_vendor_named(c, "ubi-micro") };
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		struct ds_imageref r, deb;
		struct ds_image_class k;
		if (ds_imageref_parse(a, refs[i], strlen(refs[i]), &r, NULL) != 0)
			abort();
		struct ds_image_config ic;
		if (ds_catalog_classify(c, &r, a, &k) != 0)
			abort();
		if (ds_catalog_image_config(c, &r, a, &ic) != 0)
			abort();
		ds_catalog_debian_for_alpine(c, &r, "trixie", a, &deb);
		ds_catalog_debian_for_alpine(c, &r, "bookworm", a, &deb);
		if (r.familiar && r.tag) {
			const char *const *cn;
			ds_catalog_codenames(c, r.familiar, r.tag, a, &cn);
			ds_catalog_default_codename(c, r.familiar, r.tag);
			ds_catalog_tag_alias(c, r.familiar, r.tag);
		}
	}
	for (int v = 0; v < 4; v++) {
		const struct ds_catalog_runtime *other;
		ds_catalog_replacement(c, vs[v], "nginx", NULL, &other);
		ds_catalog_replacement(c, vs[v], "mcr.microsoft.com/dotnet/aspnet", "8.0", &other);
		const struct ds_catalog_runtime *all[4];
		ds_catalog_replacements(c, vs[v], "registry.access.redhat.com/ubi9/ubi-minimal", all, 4);
		const struct ds_catalog_runtime *const *rts;
		size_t n = ds_catalog_runtimes(c, vs[v], &rts);
		for (size_t i = 0; i < n; i++) {
			const struct ds_catalog_runtime *rt = rts[i];
			ds_catalog_runtime_ref(rt, NULL, NULL, a);
			ds_catalog_runtime_glibc(c, rt, NULL);
			ds_catalog_runtime_has_user(rt, "nonroot:nonroot");
			ds_catalog_runtime_has_user(rt, "65532");
			ds_catalog_runtime_has_binary(rt, "sh", true);
			ds_catalog_runtime_has_binary(rt, "/bin/sh", false);
			ds_catalog_runtime_has_package(rt, "libc6");
			ds_catalog_runtime_has_path(rt, "/etc");
			ds_catalog_runtime_is_entrypoint(rt, "node");
			ds_catalog_chainguard_equivalent(rt);
			ds_catalog_tagged_runtime(c, rt->image, rt->tag);
			for (size_t k = 0; k < rt->n_differences; k++)
				if (!rt->differences[k].kind || !rt->differences[k].text)
					abort();
			struct ds_image_config ic;
			ds_catalog_runtime_config(c, rt, NULL, a, &ic);
			ds_catalog_runtime_config(c, rt, "debug", a, &ic);
		}
	}
	ds_catalog_apk_to_apt(c, "build-base");
	ds_catalog_soname_packages(c, "libc.so.6");
	ds_catalog_tool(c, "/bin/sh");
	ds_catalog_glibc(c, "trixie");
	ds_catalog_release_find(c, "debian", "13");
	ds_catalog_date(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_catalog *c;
	struct ds_catalog_error err;
	struct ds_arena a;

	ds_arena_init(&a);
	if (ds_catalog_load_builtin(&c, &err) != 0)
		abort();
	if (ds_catalog_overlay_mem(c, "fuzz.yaml", (const char *)data, size, &err) != 0) {
		if (!err.msg[0])
			abort();
	}
	query(c, &a);
	ds_catalog_free(c);

	/* the same text as a catalogue of its own */
	if (ds_catalog_load_mem(&c, "fuzz.yaml", (const char *)data, size, &err) == 0) {
		query(c, &a);
		ds_catalog_free(c);
	}
	ds_arena_release(&a);
	return 0;
}
