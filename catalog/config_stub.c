/* config_stub.c - PROVISIONAL image configurations of runtimes, until the catalogue carries them. */
#include "catalog/catalog.h"

#include <string.h>

#include "analyze/imageref.h"
#include "common/arena.h"

static const char *const path_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
};

int ds_catalog_runtime_config(const struct ds_catalog *c, const struct ds_catalog_runtime *rt,
			      const char *tag, struct ds_arena *a, struct ds_image_config *out)
{
	(void)c;
	(void)a;
	memset(out, 0, sizeof *out);
	if (!rt)
		return -1;
	const struct ds_catalog_vendor *v = rt->vendor;
	if (!tag)
		tag = v->default_tag;
	const char *user = rt->user;
	for (size_t i = 0; tag && i < v->n_tags; i++)
		if (!strcmp(v->tags[i].match, tag)) {
			if (v->tags[i].user)
				user = v->tags[i].user;
			break;
		}
	out->known = true;
	out->has_user = true;
	out->user = user && strcmp(user, "root") ? "65532" : "";
	out->has_workdir = true;
	out->workdir = user && strcmp(user, "root") ? "/home/nonroot" : "/";
	out->has_env = true;
	out->env.v = path_env;
	out->env.n = 2;
	out->has_entrypoint = true;
	out->entrypoint = rt->entrypoint;
	out->has_cmd = true;
	out->has_expose = out->has_volumes = out->has_stopsignal = out->has_healthcheck = true;
	out->accounts = rt->accounts;
	out->binaries = rt->binaries;
	return 0;
}

int ds_catalog_image_config(const struct ds_catalog *c, const struct ds_imageref *ref,
			    struct ds_arena *a, struct ds_image_config *out)
{
	memset(out, 0, sizeof *out);
	if (!ref)
		return -1;
	struct ds_image_class k;
	if (ds_catalog_classify(c, ref, a, &k) == 0 && k.vendor && k.self && k.tag_known && !k.debug)
		return ds_catalog_runtime_config(c, k.self, ref->tag ? ref->tag : "latest", a, out);
	return 0;
}
