/* runtime.c - the runtime image a stage runs on, as the rules judge it; see runtime.h. */
#include "rules/runtime.h"

#include <stddef.h>

#include "catalog/catalog.h"

const struct ds_catalog_runtime *ds_rules_runtime_of(const struct ds_catalog *cat,
						     const struct ds_image_class *cls)
{
	if (cls->self || !cls->vendor)
		return cls->self;
	if (cls->runtime && cls->runtime->vendor == cls->vendor)
		return cls->runtime;
	const struct ds_catalog_runtime *const *v;
	size_t n = ds_catalog_runtimes(cat, cls->vendor, &v);
	return n && cls->vendor == ds_catalog_distroless(cat) ? v[0] : NULL;
}
