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

/* ------------------------------------------------------------------ */
/* version lines and their codenames                                  */

/* The number of dot-separated numbers of v ("22.13.0": 3), or 0 when v is
 * not such a version. */
static unsigned version_parts(const char *v)
{
	unsigned n = 0;
	for (;;) {
		if (!ds_catalog__digit(*v))
			return 0;
		while (ds_catalog__digit(*v))
			v++;
		n++;
		if (!*v)
			return n;
		if (*v++ != '.')
			return 0;
	}
}

/* The first k numbers of v ("22.13.0", 2: "22.13") into buf. */
static const char *trunc_version(const char *v, unsigned k, char *buf, size_t size)
{
	size_t i = 0;
	for (unsigned n = 0; v[i]; i++)
		if (v[i] == '.' && ++n == k)
			break;
	if (i >= size)
		i = size - 1;
	memcpy(buf, v, i);
	buf[i] = '\0';
	return buf;
}

const char *ds_catalog_tag_alias(const struct ds_catalog *c, const char *image, const char *word)
{
	if (!image || !word)
		return NULL;
	for (size_t i = 0; i < c->t.n_ver; i++) {
		const struct version_rule *r = c->t.ver[i];
		if (!ds_catalog__globs_match(&r->image, image))
			continue;
		for (size_t j = 0; j < r->n_aliases; j++)
			if (strcmp(r->aliases[j].word, word) == 0)
				return r->aliases[j].version;
	}
	return NULL;
}

/* version, or what the alias word version means; NULL when neither. */
static const char *resolve_version(const struct ds_catalog *c, const char *image,
				   const char *version)
{
	if (!version)
		return NULL;
	if (version_parts(version))
		return version;
	const char *v = ds_catalog_tag_alias(c, image, version);
	return v && version_parts(v) ? v : NULL;
}

/*
 * Whether the tags of line l (depth d) name codename cn for version v of
 * k numbers: some version published with it starts with v. A codename
 * whose versions are not known only answers for v no more precise than
 * the line.
 */
static bool codename_covers(const struct line_codename *cn, const char *v, unsigned k, unsigned d)
{
	char buf[64];
	if (!cn->from)
		return k <= d;
	if (ds_catalog_version_cmp(v, trunc_version(cn->from, k, buf, sizeof buf)) < 0)
		return false;
	return !cn->to || ds_catalog_version_cmp(v, trunc_version(cn->to, k, buf, sizeof buf)) <= 0;
}

/* Whether line l of depth d holds the versions v (k numbers) names. */
static bool line_holds(const struct version_line *l, unsigned d, const char *v, unsigned k)
{
	char buf[64];
	if (k >= d)
		return strcmp(trunc_version(v, d, buf, sizeof buf), l->version) == 0;
	return strcmp(trunc_version(l->version, k, buf, sizeof buf), v) == 0;
}

/*
 * Calls fn for every line of image that holds version v, once per line
 * (the first entry that has a line wins, so a user file's line replaces
 * the builtin one). Returns how many lines there were.
 */
static size_t each_line(const struct ds_catalog *c, const char *image, const char *v,
			struct ds_arena *a,
			void (*fn)(const struct version_line *, unsigned, void *), void *arg)
{
	const char **seen = NULL;
	size_t n_seen = 0, cap = 0, hits = 0;
	unsigned k = version_parts(v);
	for (size_t i = 0; i < c->t.n_ver; i++) {
		const struct version_rule *r = c->t.ver[i];
		if (!ds_catalog__globs_match(&r->image, image))
			continue;
		for (size_t j = 0; j < r->n_lines; j++) {
			const struct version_line *l = &r->lines[j];
			size_t s = 0;
			while (s < n_seen && strcmp(seen[s], l->version) != 0)
				s++;
			if (s < n_seen)
				continue;
			seen = ds_arena_grow(a, seen, sizeof *seen, n_seen, &cap);
			seen[n_seen++] = l->version;
			if (!line_holds(l, r->depth, v, k))
				continue;
			hits++;
			if (fn)
				fn(l, r->depth, arg);
		}
	}
	return hits;
}

struct collect {
	struct ds_arena *a;
	const char *v;
	unsigned k;
	const struct ds_catalog_release **rel;
	size_t n, cap;
};

static void collect_codenames(const struct version_line *l, unsigned d, void *arg)
{
	struct collect *col = arg;
	for (size_t i = 0; i < l->n_cn; i++) {
		const struct line_codename *cn = &l->cn[i];
		if (!codename_covers(cn, col->v, col->k, d))
			continue;
		size_t j = 0;
		while (j < col->n && col->rel[j] != cn->release)
			j++;
		if (j < col->n)
			continue;
		col->rel = ds_arena_grow(col->a, col->rel, sizeof *col->rel, col->n, &col->cap);
		col->rel[col->n++] = cn->release;
	}
}

/* The releases of image's tags for version v (resolved), newest first. */
static size_t releases_for(const struct ds_catalog *c, const char *image, const char *v,
			   struct ds_arena *a, const struct ds_catalog_release ***out)
{
	struct collect col = { a, v, version_parts(v), NULL, 0, 0 };
	each_line(c, image, v, a, collect_codenames, &col);
	/* newest first: a few entries, insertion sort */
	for (size_t i = 1; i < col.n; i++)
		for (size_t j = i; j > 0 && ds_catalog_version_cmp(col.rel[j - 1]->version,
								   col.rel[j]->version) < 0; j--) {
			const struct ds_catalog_release *t = col.rel[j];
			col.rel[j] = col.rel[j - 1];
			col.rel[j - 1] = t;
		}
	*out = col.rel;
	return col.n;
}

size_t ds_catalog_codenames(const struct ds_catalog *c, const char *image, const char *version,
			    struct ds_arena *a, const char *const **out)
{
	const struct ds_catalog_release **rel;
	*out = NULL;
	const char *v = resolve_version(c, image, version);
	if (!image || !v)
		return 0;
	size_t n = releases_for(c, image, v, a, &rel);
	if (!n)
		return 0;
	const char **names = ds_arena_alloc(a, n * sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = rel[i]->codename;
	*out = names;
	return n;
}

struct newest {
	const struct version_line *line;
	unsigned d;
};

static void newest_line(const struct version_line *l, unsigned d, void *arg)
{
	struct newest *nw = arg;
	if (!nw->line || ds_catalog_version_cmp(l->version, nw->line->version) > 0) {
		nw->line = l;
		nw->d = d;
	}
}

const char *ds_catalog_default_codename(const struct ds_catalog *c, const char *image,
					const char *version)
{
	struct ds_arena a;
	struct newest nw = { NULL, 0 };
	const char *v = resolve_version(c, image, version);
	if (!image || !v)
		return NULL;
	ds_arena_init(&a);
	each_line(c, image, v, &a, newest_line, &nw);
	ds_arena_release(&a);
	/* a patch tag may predate a move of the line's default */
	if (!nw.line || version_parts(v) > nw.d)
		return NULL;
	return nw.line->dflt;
}

struct published {
	const char *v;
	unsigned k;
	bool yes;
};

static void check_published(const struct version_line *l, unsigned d, void *arg)
{
	struct published *p = arg;
	if (p->k <= d) {
		p->yes = true;
		return;
	}
	for (size_t i = 0; i < l->n_cn; i++)
		if (l->cn[i].from && codename_covers(&l->cn[i], p->v, p->k, d))
			p->yes = true;
}

/*
 * Whether image publishes tags of version v (resolved): a line holds it,
 * and a version more precise than its line is within the versions some
 * codename was published for.
 */
static bool version_published(const struct ds_catalog *c, const char *image, const char *v,
			      struct ds_arena *a)
{
	struct published p = { v, version_parts(v), false };
	each_line(c, image, v, a, check_published, &p);
	return p.yes;
}

/* ------------------------------------------------------------------ */
/* Alpine to Debian                                                   */

/*
 * The version the part of an Alpine tag before "alpine" names: "22.13.0"
 * of "22.13.0", "8.3" of "8.3-fpm", what an alias means ("lts", "lts-slim"),
 * and "latest" for nothing. NULL when it names no version the catalogue
 * can tell ("1.11rc1", "17.0.8_7-jdk", an unknown word).
 */
static const char *prefix_version(const struct ds_catalog *c, const char *image,
				  const char *prefix, struct ds_arena *a)
{
	if (!*prefix)
		return resolve_version(c, image, "latest");
	size_t n;
	if (ds_catalog__digit(*prefix)) {
		n = strspn(prefix, "0123456789.");
		while (n && prefix[n - 1] == '.')
			n--;
	} else {
		n = strcspn(prefix, "-");
	}
	if (prefix[n] && prefix[n] != '-')
		return NULL;
	return resolve_version(c, image, ds_arena_strndup(a, prefix, n));
}

/* The newest codename image published version v with, no newer than want. */
static const char *pick_codename(const struct ds_catalog *c, const char *image, const char *v,
				 const char *want, struct ds_arena *a)
{
	const struct ds_catalog_release *w = ds_catalog_release(c, want), **rel;
	size_t n = releases_for(c, image, v, a, &rel);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rel[i]->distro, w->distro) == 0 &&
		    ds_catalog_version_cmp(rel[i]->version, w->version) <= 0)
			return rel[i]->codename;
	return NULL;
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
		bool has_prefix = strstr(m->tag, "{prefix") != NULL;
		if (!prefix && has_prefix)
			return -1; /* not an Alpine tag of this image */
		if (m->name && !valid_component(m->name))
			return -1;

		/* the image the Debian-based tag belongs to */
		memset(out, 0, sizeof *out);
		out->registry = ref->registry ? ds_arena_strdup(a, ref->registry) : NULL;
		if (m->name) {
			const char *slash = strrchr(ref->path, '/');
			size_t keep = slash ? (size_t)(slash - ref->path) + 1 : 0;
			out->path = ds_arena_printf(a, "%.*s%s", (int)keep, ref->path, m->name);
		} else {
			out->path = ds_arena_strdup(a, ref->path);
		}
		ref_derive(a, out);

		/*
		 * Never a tag the image does not publish: unless every Alpine
		 * tag has this sibling, the version must be one the catalogue
		 * knows, and the codename the newest it was published with.
		 */
		const char *cn = codename;
		if (has_prefix && !m->sibling) {
			const char *v = prefix_version(c, out->familiar, prefix, a);
			if (!v || !version_published(c, out->familiar, v, a))
				goto none;
			if (strstr(m->tag, "{codename}") &&
			    !(cn = pick_codename(c, out->familiar, v, codename, a)))
				goto none;
		}
		const char *t = m->tag;
		if (prefix) {
			t = ds_catalog__expand(a, t, "{prefix-}", *prefix ? ds_arena_printf(a, "%s-", prefix) : "");
			t = ds_catalog__expand(a, t, "{prefix}", prefix);
		}
		t = ds_catalog__expand(a, t, "{codename}", cn);
		if (!*t)
			t = "latest";
		if (!valid_tag(t))
			goto none; /* the template made no valid reference of this tag */
		out->tag = ds_arena_strdup(a, t);
		return 0;
none:
		memset(out, 0, sizeof *out);
		return -1;
	}
	return -1;
}

/* The packages of name in the map v of n entries, or NULL. */
static const struct ds_strlist *apt_map_find(struct apk *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i]->name, name) == 0)
			return &v[i]->apt;
	return NULL;
}

const struct ds_strlist *ds_catalog_apk_to_apt(const struct ds_catalog *c, const char *apk)
{
	return apt_map_find(c->t.apk, c->t.n_apk, apk);
}

const struct ds_strlist *ds_catalog_soname_packages(const struct ds_catalog *c, const char *soname)
{
	return apt_map_find(c->t.sonames, c->t.n_sonames, soname);
}

const char *ds_catalog_console_module(const struct ds_catalog *c, const char *script)
{
	const struct ds_strlist *m = apt_map_find(c->t.console, c->t.n_console, script);
	return m && m->n ? m->v[0] : NULL;
}
