/* tags.c - which tags images publish, and the Debian-based tag of an Alpine one. */
#include "catalog/catalog.h"

#include "analyze/imageref.h"
#include "catalog/internal.h"
#include "common/arena.h"

#include <string.h>

static bool islower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || ds_catalog__digit(c);
}

/* Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
static bool valid_tag(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > 128 || t[0] == '.' || t[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = t[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ds_catalog__digit(ch) ||
		      ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

/* A path component: lower-case alphanumerics joined by '.', '_', '__' or '-'s. */
static bool valid_component(const char *s)
{
	size_t n = strlen(s);
	if (!n || !(islower_alnum(s[0]) && islower_alnum(s[n - 1])))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (islower_alnum(s[i]) || s[i] == '-')
			continue;
		if ((s[i] == '.' || s[i] == '_') && islower_alnum(s[i + 1]))
			continue;
		if (s[i] == '_' && s[i + 1] == '_' && islower_alnum(s[i + 2])) {
			i++;
			continue;
		}
		return false;
	}
	return true;
}

/* Fills the derived fields of an image reference built here. */
static void ref_derive(struct ds_arena *a, struct ds_imageref *r)
{
	const char *slash = strrchr(r->path, '/');
	const char *reg = r->registry;
	r->name = slash ? slash + 1 : r->path;
	r->docker_hub = !reg || strcmp(reg, "docker.io") == 0 ||
			strcmp(reg, "index.docker.io") == 0 || strcmp(reg, "registry-1.docker.io") == 0;
	r->repository = r->path;
	if (r->docker_hub && strncmp(r->path, "library/", 8) == 0 && !strchr(r->path + 8, '/'))
		r->repository = r->path + 8;
	r->familiar = r->docker_hub ? r->repository : ds_arena_printf(a, "%s/%s", reg, r->path);
}

int ds_catalog_debian_for_alpine(const struct ds_catalog *c, const struct ds_imageref *ref,
				 const char *codename, struct ds_arena *a,
				 struct ds_imageref *out)
{
	if (!ref || !ref->familiar || !ref->path || ref->unresolved || ref->is_scratch ||
	    !codename || !ds_catalog_release(c, codename))
		return -1;
	for (size_t i = 0; i < c->t.n_a2d; i++) {
		const struct a2d *m = c->t.a2d[i];
		if (!ds_catalog__globs_match(&m->image, ref->familiar))
			continue;
		const char *tag = ref->tag ? ref->tag : "latest";
		const char *al = strstr(tag, "alpine");
		const char *prefix = NULL;
		if (al) {
			size_t pl = (size_t)(al - tag);
			if (pl && tag[pl - 1] == '-')
				pl--;
			prefix = ds_arena_strndup(a, tag, pl);
		}
		if (!prefix && strstr(m->tag, "{prefix"))
			return -1; /* not an Alpine tag of this image */
		const char *t = m->tag;
		if (prefix) {
			t = ds_catalog__expand(a, t, "{prefix-}", *prefix ? ds_arena_printf(a, "%s-", prefix) : "");
			t = ds_catalog__expand(a, t, "{prefix}", prefix);
		}
		t = ds_catalog__expand(a, t, "{codename}", codename);
		if (!*t)
			t = "latest";
		if (!valid_tag(t) || (m->name && !valid_component(m->name)))
			return -1; /* the template made no valid reference of this tag */
		memset(out, 0, sizeof *out);
		out->registry = ref->registry ? ds_arena_strdup(a, ref->registry) : NULL;
		if (m->name) {
			const char *slash = strrchr(ref->path, '/');
			size_t keep = slash ? (size_t)(slash - ref->path) + 1 : 0;
			out->path = ds_arena_printf(a, "%.*s%s", (int)keep, ref->path, m->name);
		} else {
			out->path = ds_arena_strdup(a, ref->path);
		}
		out->tag = ds_arena_strdup(a, t);
		ref_derive(a, out);
		return 0;
	}
	return -1;
}

const struct ds_strlist *ds_catalog_apk_to_apt(const struct ds_catalog *c, const char *apk)
{
	for (size_t i = 0; i < c->t.n_apk; i++)
		if (strcmp(c->t.apk[i]->name, apk) == 0)
			return &c->t.apk[i]->apt;
	return NULL;
}
