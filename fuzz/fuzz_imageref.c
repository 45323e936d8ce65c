/* fuzz_imageref.c - libFuzzer target: image reference parsing, printing and classification. */
#include "analyze/imageref.h"
#include "catalog/catalog.h"
#include "common/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once: queries never change it. */
static struct ds_catalog *catalog(void)
{
	static struct ds_catalog *c;
	if (!c && ds_catalog_load_builtin(&c, NULL) != 0)
		abort();
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_arena a;
	struct ds_imageref r, again, deb;
	struct ds_image_class k;
	const char *err = NULL;
	const struct ds_catalog *c = catalog();

	ds_arena_init(&a);
	if (ds_imageref_parse(&a, (const char *)data, size, &r, &err) != 0) {
		if (!err)
			abort();
		ds_arena_release(&a);
		return 0;
	}
	/* printing back gives a reference that parses to the same fields */
	char *s = ds_imageref_format(&a, &r, NULL);
	if (!r.unresolved) {
		if (strlen(s) != size || memcmp(s, data, size) != 0)
			abort();
		if (ds_imageref_parse(&a, s, strlen(s), &again, &err) != 0)
			abort();
		if (strcmp(again.familiar, r.familiar) != 0 || strcmp(again.name, r.name) != 0)
			abort();
	}
	s = ds_imageref_format(&a, &r, "1.0");
	(void)s;
	ds_imageref_tag_or_latest(&r);

	if (ds_catalog_classify(c, &r, &a, &k) != 0)
		abort();
	if (k.runtime)
		ds_catalog_runtime_ref(k.runtime, NULL, NULL, &a);
	if (k.self) {
		ds_catalog_runtime_has_user(k.self, r.name);
		ds_catalog_runtime_has_binary(k.self, r.name, k.debug);
		ds_catalog_runtime_has_path(k.self, r.path);
		ds_catalog_runtime_glibc(c, k.self, k.debian);
	}
	if (ds_catalog_debian_for_alpine(c, &r, "trixie", &a, &deb) == 0) {
		s = ds_imageref_format(&a, &deb, NULL);
		if (ds_imageref_parse(&a, s, strlen(s), &again, &err) != 0)
			abort();
	}
	ds_arena_release(&a);
	return 0;
}
