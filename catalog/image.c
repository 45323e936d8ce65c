/* image.c - the configuration a container of an image starts with: user, workdir, env, entrypoint... */
#include "catalog/catalog.h"

#include "analyze/imageref.h"
#include "catalog/internal.h"
#include "common/arena.h"

#include <string.h>

/* Adds the strings of l not yet in *v (n of cap) to it. */
static void add_unique(struct ds_arena *a, const char ***v, size_t *n, size_t *cap,
		       const struct ds_strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t j = 0;
		while (j < *n && strcmp((*v)[j], l->v[i]) != 0)
			j++;
		if (j < *n)
			continue;
		*v = ds_arena_grow(a, *v, sizeof **v, *n, cap);
		(*v)[(*n)++] = l->v[i];
	}
}

/*
 * Fills out from the `images` entries matching name and tag (NULL: only
 * entries without tag globs), then from runtime self (and the vendor's
 * debug binaries when debug) for what they leave unknown.
 */
/*
 * name with a vendor's mirror registry (set by an overlay) put back to the
 * registry the images entries describe, or name itself.
 */
static const char *home_name(const struct ds_catalog *c, const char *name, struct ds_arena *a)
{
	for (int i = 0; i < V__COUNT; i++) {
		const struct vendor *v = &c->t.vend[i];
		const char *reg = v->pub.registry;
		size_t n = reg ? strlen(reg) : 0;
		if (v->home && reg && strcmp(v->home, reg) && !strncmp(name, reg, n) && name[n] == '/')
			return ds_arena_printf(a, "%s%s", v->home, name + n);
	}
	return name;
}

static void lookup(const struct ds_catalog *c, const char *name, const char *tag,
		   const struct ds_catalog_runtime *self, bool debug, struct ds_arena *a,
		   struct ds_image_config *out)
{
	name = home_name(c, name, a);
	const char **bin = NULL;
	size_t n_bin = 0, cap_bin = 0;
	unsigned have = 0;

	memset(out, 0, sizeof *out);
	struct glob_key key = ds_catalog__glob_key(name);
	for (size_t i = 0; i < c->t.n_img; i++) {
		const struct image_rule *r = c->t.img[i];
		if (!ds_catalog__hint_maybe(&r->image_hint, key) || !ds_catalog__globs_match(&r->image, name))
			continue;
		if (r->tag.n && (!tag || !ds_catalog__globs_match(&r->tag, tag)))
			continue;
		unsigned now = r->set & ~have;
		have |= r->set;
		if (now & IC_USER) {
			out->has_user = true;
			out->user = r->user;
		}
		if (now & IC_WORKDIR) {
			out->has_workdir = true;
			out->workdir = r->workdir;
		}
		if (now & IC_ENV) {
			out->has_env = true;
			out->env = r->env;
		}
		if (now & IC_ENTRYPOINT) {
			out->has_entrypoint = true;
			out->entrypoint = r->entrypoint;
		}
		if (now & IC_CMD) {
			out->has_cmd = true;
			out->cmd = r->cmd;
		}
		if (now & IC_EXPOSE) {
			out->has_expose = true;
			out->expose = r->expose;
		}
		if (now & IC_VOLUMES) {
			out->has_volumes = true;
			out->volumes = r->volumes;
		}
		if (now & IC_STOPSIGNAL) {
			out->has_stopsignal = true;
			out->stopsignal = r->stopsignal;
		}
		if (now & IC_HEALTHCHECK) {
			out->has_healthcheck = true;
			out->healthcheck = r->healthcheck;
		}
		if (now & IC_ACCOUNTS)
			out->accounts = r->r_accounts;
		add_unique(a, &bin, &n_bin, &cap_bin, &r->binaries);
		if (r->stop)
			break;
	}
	if (self) {
		if (!(have & IC_ACCOUNTS))
			out->accounts = self->accounts;
		add_unique(a, &bin, &n_bin, &cap_bin, &self->binaries);
		if (debug && self->vendor)
			add_unique(a, &bin, &n_bin, &cap_bin, &self->vendor->debug_binaries);
	}
	out->binaries.v = bin;
	out->binaries.n = n_bin;
	out->known = have || out->accounts || n_bin;
}

int ds_catalog_image_config(const struct ds_catalog *c, const struct ds_imageref *ref,
			    struct ds_arena *a, struct ds_image_config *out)
{
	static const struct ds_strlist none = { NULL, 0 };
	memset(out, 0, sizeof *out);
	if (!ref)
		return -1;
	if (ref->unresolved)
		return 0;
	if (ref->is_scratch) {
		/* no configuration at all: Docker's defaults */
		out->known = out->has_user = out->has_workdir = out->has_env = true;
		out->has_entrypoint = out->has_cmd = out->has_expose = out->has_volumes = true;
		out->has_stopsignal = out->has_healthcheck = true;
		out->user = "";
		out->workdir = "/";
		out->env = out->entrypoint = out->cmd = out->expose = out->volumes = none;
		out->healthcheck = out->binaries = none;
		return 0;
	}
	/* only the vendor's runtime and a debug tag matter here: not the whole classification */
	struct ds_image_class k;
	ds_catalog__classify_vendor(c, ref, a, &k);
	const char *tag = ref->tag ? ref->tag : ref->digest ? NULL : "latest";
	lookup(c, ref->familiar ? ref->familiar : "", tag, k.self, k.debug, a, out);
	return 0;
}

int ds_catalog_runtime_config(const struct ds_catalog *c, const struct ds_catalog_runtime *rt,
			      const char *tag, struct ds_arena *a, struct ds_image_config *out)
{
	memset(out, 0, sizeof *out);
	if (!rt)
		return -1;
	const struct ds_catalog_vendor *v = rt->vendor;
	if (!tag)
		tag = v && v->default_tag ? v->default_tag : "latest";
	const char *name = rt->image;
	if (v && v->default_debian) {
		const char *d = ds_catalog__pick_debian(rt, NULL);
		if (!d)
			return -1;
		name = ds_arena_printf(a, "%s-debian%s", rt->image, d);
	}
	const struct ds_catalog_tagrule *tr = v ? ds_catalog__vendor_tag(v, tag, a) : NULL;
	lookup(c, name, tag, rt, tr && tr->debug, a, out);
	return 0;
}
