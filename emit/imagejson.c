/* imagejson.c - the image model (analyze/image.h) as JSON, for `distill inspect` and scripts. */
#include "emit/imagejson.h"

#include <stdio.h>
#include <string.h>

#include "analyze/image.h"
#include "common/buf.h"

static void str(struct ds_buf *b, const char *s)
{
	if (!s)
		ds_buf_adds(b, "null");
	else
		ds_buf_add_json_str(b, s, strlen(s));
}

static void key(struct ds_buf *b, const char *k)
{
	ds_buf_adds(b, ", ");
	str(b, k);
	ds_buf_adds(b, ": ");
}

static void argv(struct ds_buf *b, const struct ds_im_argv *v)
{
	if (!v->known) {
		ds_buf_adds(b, "null");
		return;
	}
	ds_buf_addc(b, '[');
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			ds_buf_adds(b, ", ");
		str(b, v->v[i]);
	}
	ds_buf_addc(b, ']');
}

static void kv(struct ds_buf *b, const struct ds_im_list *l)
{
	ds_buf_addc(b, '{');
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			ds_buf_adds(b, ", ");
		str(b, l->v[i].key);
		ds_buf_adds(b, ": ");
		str(b, l->v[i].value);
	}
	ds_buf_addc(b, '}');
}

static void keys(struct ds_buf *b, const struct ds_im_list *l)
{
	if (!l->base_known) {
		ds_buf_adds(b, "null");
		return;
	}
	ds_buf_addc(b, '[');
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			ds_buf_adds(b, ", ");
		str(b, l->v[i].key);
	}
	ds_buf_addc(b, ']');
}

/* The keys of l that come from the base image, as a JSON array. */
static void base_keys(struct ds_buf *b, const struct ds_im_list *l)
{
	ds_buf_addc(b, '[');
	bool first = true;
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].where)
			continue;
		if (!first)
			ds_buf_adds(b, ", ");
		first = false;
		str(b, l->v[i].key);
	}
	ds_buf_addc(b, ']');
}

void ds_image_model_json(const struct ds_image_model *im, struct ds_buf *b)
{
	ds_buf_adds(b, "{\"base\": ");
	str(b, im->base);
	key(b, "base_known");
	ds_buf_adds(b, im->base_known ? "true" : "false");
	key(b, "workdir");
	str(b, im->workdir.known ? im->workdir.v : NULL);
	key(b, "user");
	if (!im->user.known) {
		ds_buf_adds(b, "null");
	} else {
		ds_buf_adds(b, "{\"spec\": ");
		str(b, im->user.spec);
		ds_buf_addf(b, ", \"uid\": %ld, \"gid\": %ld, \"root\": %s}", im->user.uid, im->user.gid,
			    im->user.root < 0 ? "null" : im->user.root ? "true" : "false");
	}
	key(b, "env");
	kv(b, &im->env);
	key(b, "env_source");
	ds_buf_addc(b, '{');
	for (size_t i = 0; i < im->env.n; i++) {
		if (i)
			ds_buf_adds(b, ", ");
		str(b, im->env.v[i].key);
		ds_buf_adds(b, ": ");
		str(b, im->env.v[i].where ? im->env.v[i].raw : NULL);
	}
	ds_buf_addc(b, '}');
	key(b, "env_complete");
	ds_buf_adds(b, im->env.base_known ? "true" : "false");
	key(b, "labels");
	kv(b, &im->labels);
	key(b, "entrypoint");
	argv(b, &im->entrypoint);
	key(b, "cmd");
	argv(b, &im->cmd);
	key(b, "argv");
	argv(b, &im->argv);
	key(b, "shell_form");
	ds_buf_addf(b, "{\"entrypoint\": %s, \"cmd\": %s}", im->entrypoint.shell ? "true" : "false",
		    im->cmd.shell ? "true" : "false");
	key(b, "expose");
	keys(b, &im->expose);
	key(b, "volumes");
	keys(b, &im->volumes);
	key(b, "expose_base");
	base_keys(b, &im->expose);
	key(b, "volumes_base");
	base_keys(b, &im->volumes);
	key(b, "healthcheck");
	if (!im->health.known)
		ds_buf_adds(b, "null");
	else if (!im->health.set)
		ds_buf_adds(b, "false");
	else if (im->health.none)
		ds_buf_adds(b, "{\"none\": true}");
	else {
		ds_buf_adds(b, "{\"test\": ");
		argv(b, &im->health.test);
		ds_buf_adds(b, ", \"options\": ");
		str(b, im->health.options);
		ds_buf_addc(b, '}');
	}
	key(b, "stopsignal");
	if (!im->stopsignal.known)
		ds_buf_adds(b, "null");
	else
		str(b, im->stopsignal.v ? im->stopsignal.v : "SIGTERM");
	key(b, "onbuild");
	ds_buf_addc(b, '[');
	for (size_t i = 0; i < im->nonbuild; i++) {
		if (i)
			ds_buf_adds(b, ", ");
		str(b, im->onbuild[i]);
	}
	ds_buf_adds(b, "]}");
}
