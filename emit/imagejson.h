/* imagejson.h - the image model (analyze/image.h) as JSON, for `distill inspect` and scripts. */
#ifndef DS_EMIT_IMAGEJSON_H
#define DS_EMIT_IMAGEJSON_H

struct ds_buf;
struct ds_image_model;

/*
 * Appends im to b as one JSON object: "base", "base_known", then per field
 * its value, or null when it is unknown: "workdir", "user" {"spec", "uid",
 * "gid", "root"}, "env" and "labels" ({"NAME": "value"}; a null value is
 * unknown; "env_source": {"NAME": the value as the Dockerfile wrote it, or
 * null when the base image set it}; "env_complete": whether every variable
 * of the base is listed),
 * "entrypoint", "cmd", "argv" (arrays), "shell_form" {"entrypoint", "cmd"},
 * "expose", "volumes" (arrays), "healthcheck" (null: unknown; false: none;
 * {"none": true}; {"test": [...], "options": "..."}), "stopsignal",
 * "onbuild". No final newline.
 */
void ds_image_model_json(const struct ds_image_model *im, struct ds_buf *b);

#endif
