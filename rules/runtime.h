/* runtime.h - the runtime image a stage runs on, as the rules judge it. */
#ifndef DS_RULES_RUNTIME_H
#define DS_RULES_RUNTIME_H

struct ds_catalog;
struct ds_catalog_runtime;
struct ds_image_class;

/*
 * The runtime (its users, binaries and entrypoint) of an image that
 * ds_catalog_classify() described as cls: the runtime it is; for an image
 * of a runtime vendor that the catalogue no longer lists
 * (gcr.io/distroless/nodejs20), its successor of the same vendor, which has
 * the same users and entrypoint, or else any distroless runtime, since they
 * all have the same users. NULL for other images. Points into cat.
 */
const struct ds_catalog_runtime *ds_rules_runtime_of(const struct ds_catalog *cat,
						     const struct ds_image_class *cls);

#endif
