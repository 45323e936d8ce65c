/* load.c - checks a catalogue tree against the schema and merges it into the tables. */
#include "catalog/internal.h"

#include "common/buf.h"
#include "common/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Loading goes node tree -> layer -> merged tables -> resolved runtimes.
 * The tree is checked against the schema (builtin.yaml's header) into a
 * layer of new entries, the layer is merged into the catalogue's tables
 * (keyed entries replace, ordered lists are prepended), and finally
 * inheritance between runtimes and every name reference is resolved. A
 * failure anywhere restores the previous tables. The builtin catalogue is
 * a tree compiled into the binary; user files are read into a tree with
 * libyaml (tree.c). Everything the catalogue keeps lives in its arena.
 */

/* The i-th child of node n, and the text of a scalar (NULL otherwise). */
#define KID(n, i) ds_catalog_node_kid(n, i)
#define TEXT(n) ds_catalog_node_text(n)

/* ------------------------------------------------------------------ */
/* names                                                              */

static const char *const family_names[] = {
	"unknown", "alpine",  "debian",  "ubuntu", "rpm", "distroless",
	"chainguard", "scratch", "windows", "busybox",
};
static const char *const libc_names[] = { "unknown", "musl", "glibc", "none" };
static const char *const status_names[] = { "unknown", "current", "deprecated", "removed" };
static const char *const tool_names[] = { "shell", "package-manager", "downloader", "runner" };

const char *ds_family_name(enum ds_family f)
{
	return (size_t)f < NELEM(family_names) ? family_names[f] : "unknown";
}

const char *ds_libc_name(enum ds_libc l)
{
	return (size_t)l < NELEM(libc_names) ? libc_names[l] : "unknown";
}

const char *ds_image_status_name(enum ds_image_status s)
{
	return (size_t)s < NELEM(status_names) ? status_names[s] : "unknown";
}

static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* errors                                                             */

static void set_errv(struct ds_catalog_error *err, const char *file, unsigned line, unsigned col,
		     const char *fmt, va_list ap)
{
	if (!err)
		return;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

void ds_catalog__set_err(struct ds_catalog_error *err, const char *file, unsigned line,
			 unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_errv(err, file, line, col, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* schema walk: tree -> layer                                         */

struct ld {
	struct ds_catalog *c;
	struct ds_arena *a; /* the catalogue's arena */
	const char *file;
	struct ds_catalog_error *err;
	struct tables *t;
};

static int ld_err(struct ld *ld, const struct ds_catalog_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ld_err(struct ld *ld, const struct ds_catalog_node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_errv(ld->err, ld->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct ds_catalog_node *map_get(const struct ds_catalog_node *m, const char *key)
{
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (KID(m, i)->kind == DS_CATALOG_SCALAR && TEXT(KID(m, i))[0] == key[0] &&
		    strcmp(TEXT(KID(m, i)), key) == 0)
			return KID(m, i + 1);
	return NULL;
}

/* m must be a mapping with string keys from keys (NULL: any), none twice. */
static int check_map(struct ld *ld, const struct ds_catalog_node *m, const char *what,
		     const char *const *keys)
{
	if (m->kind != DS_CATALOG_MAP)
		return ld_err(ld, m, "expected a mapping for %s", what);
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ds_catalog_node *k = KID(m, i);
		if (k->kind != DS_CATALOG_SCALAR)
			return ld_err(ld, k, "expected a string key in %s", what);
		if (keys) {
			const char *const *p = keys;
			while (*p && ((*p)[0] != TEXT(k)[0] || strcmp(*p, TEXT(k)) != 0))
				p++;
			if (!*p)
				return ld_err(ld, k, "unknown key \"%.64s\" in %s", TEXT(k), what);
		}
		for (size_t j = 0; j < i; j += 2)
			if (KID(m, j)->kind == DS_CATALOG_SCALAR && KID(m, j)->len == k->len &&
			    memcmp(TEXT(KID(m, j)), TEXT(k), k->len) == 0)
				return ld_err(ld, k, "duplicate key \"%.64s\" in %s", TEXT(k), what);
	}
	return 0;
}

static int get_str(struct ld *ld, const struct ds_catalog_node *v, const char *key, const char **out)
{
	if (v->kind != DS_CATALOG_SCALAR)
		return ld_err(ld, v, "expected a string for \"%s\"", key);
	*out = TEXT(v);
	return 0;
}

/* A string or a list of strings. */
static int get_list(struct ld *ld, const struct ds_catalog_node *v, const char *key, struct ds_strlist *out)
{
	if (v->kind == DS_CATALOG_SCALAR) {
		const char **arr = ds_arena_alloc(ld->a, sizeof *arr);
		arr[0] = TEXT(v);
		out->v = arr;
		out->n = 1;
		return 0;
	}
	if (v->kind != DS_CATALOG_SEQ)
		return ld_err(ld, v, "expected a list of strings for \"%s\"", key);
	const char **arr = ds_arena_alloc(ld->a, v->n * sizeof *arr);
	for (size_t i = 0; i < v->n; i++) {
		if (KID(v, i)->kind != DS_CATALOG_SCALAR)
			return ld_err(ld, KID(v, i), "expected a list of strings for \"%s\"", key);
		arr[i] = TEXT(KID(v, i));
	}
	out->v = arr;
	out->n = v->n;
	return 0;
}

static int get_bool(struct ld *ld, const struct ds_catalog_node *v, const char *key, bool *out)
{
	if (v->kind == DS_CATALOG_SCALAR && strcmp(TEXT(v), "true") == 0)
		*out = true;
	else if (v->kind == DS_CATALOG_SCALAR && strcmp(TEXT(v), "false") == 0)
		*out = false;
	else if (v->kind == DS_CATALOG_SCALAR)
		return ld_err(ld, v, "bad value \"%.64s\" for \"%s\": expected true or false", TEXT(v),
			      key);
	else
		return ld_err(ld, v, "expected true or false for \"%s\"", key);
	return 0;
}

static int get_id(struct ld *ld, const struct ds_catalog_node *v, const char *key, unsigned long *out)
{
	if (v->kind != DS_CATALOG_SCALAR)
		return ld_err(ld, v, "expected a number for \"%s\"", key);
	unsigned long x = 0;
	if (v->len == 0 || v->len > 10)
		goto bad;
	for (size_t i = 0; i < v->len; i++) {
		if (TEXT(v)[i] < '0' || TEXT(v)[i] > '9')
			goto bad;
		x = x * 10 + (unsigned long)(TEXT(v)[i] - '0');
	}
	if (x > 4294967295ul)
		goto bad;
	*out = x;
	return 0;
bad:
	return ld_err(ld, v, "bad value \"%.64s\" for \"%s\": expected a number", TEXT(v), key);
}

static int get_enum(struct ld *ld, const struct ds_catalog_node *v, const char *key,
		    const char *const *names, size_t n, int *out)
{
	*out = 0; /* defined on failure too: GCC's -O3 cannot tell that callers never read it then */
	if (v->kind != DS_CATALOG_SCALAR)
		return ld_err(ld, v, "expected a string for \"%s\"", key);
	int i = name_index(names, n, TEXT(v));
	if (i < 0)
		return ld_err(ld, v, "bad value \"%.64s\" for \"%s\"", TEXT(v), key);
	*out = i;
	return 0;
}

/* "tag:major", "name:minor@marker", or a literal. */
static int get_vspecs(struct ld *ld, const struct ds_catalog_node *v, const char *key, struct vspecs *out)
{
	struct ds_strlist l;
	if (get_list(ld, v, key, &l))
		return -1;
	struct vspec *vs = ds_arena_zalloc(ld->a, (l.n ? l.n : 1) * sizeof *vs);
	for (size_t i = 0; i < l.n; i++) {
		const char *s = l.v[i];
		const char *rest = NULL;
		if (strncmp(s, "tag:", 4) == 0) {
			vs[i].src = VS_TAG;
			rest = s + 4;
		} else if (strncmp(s, "name:", 5) == 0) {
			vs[i].src = VS_NAME;
			rest = s + 5;
		} else {
			vs[i].src = VS_LIT;
			vs[i].lit = s;
			continue;
		}
		if (strncmp(rest, "major", 5) == 0)
			rest += 5;
		else if (strncmp(rest, "minor", 5) == 0 && (vs[i].minor = true))
			rest += 5;
		else
			goto bad;
		if (*rest == '@' && rest[1])
			vs[i].marker = rest + 1;
		else if (*rest)
			goto bad;
		continue;
bad:
		return ld_err(ld, v->kind == DS_CATALOG_SEQ ? KID(v, i) : v,
			      "bad version spec \"%.64s\" for \"%s\"", s, key);
	}
	out->v = vs;
	out->n = l.n;
	return 0;
}

static char *whatf(char *buf, size_t n, const char *fmt, const char *s)
{
	snprintf(buf, n, fmt, s);
	return buf;
}

static int walk_releases(struct ld *ld, const struct ds_catalog_node *m)
{
	static const char *const keys[] = { "distro", "version", "glibc", "archived", NULL };
	char what[128];
	if (check_map(ld, m, "\"releases\"", NULL))
		return -1;
	size_t n = m->n / 2;
	ld->t->rel = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *ld->t->rel);
	for (size_t i = 0; i < n; i++) {
		const struct ds_catalog_node *k = KID(m, 2 * i), *v = KID(m, 2 * i + 1), *x;
		struct ds_catalog_release *r = ds_arena_zalloc(ld->a, sizeof *r);
		whatf(what, sizeof what, "release \"%.64s\"", TEXT(k));
		if (check_map(ld, v, what, keys))
			return -1;
		r->codename = TEXT(k);
		if (!(x = map_get(v, "distro")))
			return ld_err(ld, v, "missing \"distro\" in %s", what);
		if (get_str(ld, x, "distro", &r->distro))
			return -1;
		if (strcmp(r->distro, "debian") == 0)
			r->family = DS_FAMILY_DEBIAN;
		else if (strcmp(r->distro, "ubuntu") == 0)
			r->family = DS_FAMILY_UBUNTU;
		else
			return ld_err(ld, x, "bad value \"%.64s\" for \"distro\": expected debian or ubuntu",
				      r->distro);
		if (!(x = map_get(v, "version")))
			return ld_err(ld, v, "missing \"version\" in %s", what);
		if (get_str(ld, x, "version", &r->version))
			return -1;
		if ((x = map_get(v, "glibc")) && get_str(ld, x, "glibc", &r->glibc))
			return -1;
		if ((x = map_get(v, "archived")) && get_bool(ld, x, "archived", &r->archived))
			return -1;
		ld->t->rel[i] = r;
	}
	ld->t->n_rel = n;
	return 0;
}

static int get_ids(struct ld *ld, const struct ds_catalog_node *v, const char *key,
		   const struct ds_catalog_account **out, size_t *n_out)
{
	char what[64];
	if (check_map(ld, v, whatf(what, sizeof what, "\"%s\"", key), NULL))
		return -1;
	size_t n = v->n / 2;
	struct ds_catalog_account *acc = ds_arena_zalloc(ld->a, (n ? n : 1) * sizeof *acc);
	for (size_t i = 0; i < n; i++) {
		acc[i].name = TEXT(KID(v, 2 * i));
		if (get_id(ld, KID(v, 2 * i + 1), acc[i].name, &acc[i].id))
			return -1;
	}
	*out = acc;
	*n_out = n;
	return 0;
}

static int walk_accounts(struct ld *ld, const struct ds_catalog_node *m)
{
	static const char *const keys[] = { "extends", "users", "groups", "nonroot", NULL };
	char what[128];
	if (check_map(ld, m, "\"accounts\"", NULL))
		return -1;
	size_t n = m->n / 2;
	ld->t->acc = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *ld->t->acc);
	for (size_t i = 0; i < n; i++) {
		const struct ds_catalog_node *k = KID(m, 2 * i), *v = KID(m, 2 * i + 1), *x;
		struct acc_def *ac = ds_arena_zalloc(ld->a, sizeof *ac);
		whatf(what, sizeof what, "accounts \"%.64s\"", TEXT(k));
		if (check_map(ld, v, what, keys))
			return -1;
		ac->pub.name = TEXT(k);
		ac->file = ld->file;
		ac->line = k->line;
		ac->col = k->col;
		if ((x = map_get(v, "extends")) && get_str(ld, x, "extends", &ac->extends))
			return -1;
		if ((x = map_get(v, "users")) && get_ids(ld, x, "users", &ac->users, &ac->n_users))
			return -1;
		if ((x = map_get(v, "groups")) && get_ids(ld, x, "groups", &ac->groups, &ac->n_groups))
			return -1;
		if ((x = map_get(v, "nonroot"))) {
			if (get_str(ld, x, "nonroot", &ac->nonroot))
				return -1;
			ac->nonroot_line = x->line;
			ac->nonroot_col = x->col;
		}
		ld->t->acc[i] = ac;
	}
	ld->t->n_acc = n;
	return 0;
}

static int walk_runtime(struct ld *ld, const struct ds_catalog_node *k, const struct ds_catalog_node *v,
			struct rt_def **out)
{
	static const char *const keys[] = {
		"extends", "image", "debian", "language", "version", "libc", "entrypoint",
		"entrypoint_aliases", "user", "accounts", "packages", "binaries", "paths",
		"chainguard", "default", "builder", "tag", "replaces", "launcher", "keep", "differences", "carry", NULL
	};
	static const char *const diff_keys[] = { "kind", "text", "unless", NULL };
	char what[128];
	const struct ds_catalog_node *x;
	struct rt_def *d = ds_arena_zalloc(ld->a, sizeof *d);
	whatf(what, sizeof what, "runtime \"%.64s\"", TEXT(k));
	if (check_map(ld, v, what, keys))
		return -1;
	d->pub.name = TEXT(k);
	d->file = ld->file;
	d->line = k->line;
	d->col = k->col;
	if ((x = map_get(v, "extends")) && get_str(ld, x, "extends", &d->extends))
		return -1;
	if ((x = map_get(v, "image")) && get_str(ld, x, "image", &d->image))
		return -1;
	if ((x = map_get(v, "debian"))) {
		if (get_list(ld, x, "debian", &d->debian))
			return -1;
		d->has_debian = true;
	}
	if ((x = map_get(v, "language")) && get_str(ld, x, "language", &d->language))
		return -1;
	if ((x = map_get(v, "version")) && get_str(ld, x, "version", &d->version))
		return -1;
	if ((x = map_get(v, "libc"))) {
		int l;
		if (get_enum(ld, x, "libc", libc_names, NELEM(libc_names), &l))
			return -1;
		d->libc = (enum ds_libc)l;
	}
	if ((x = map_get(v, "entrypoint"))) {
		if (x->kind != DS_CATALOG_SEQ)
			return ld_err(ld, x, "expected a list of strings for \"entrypoint\"");
		if (get_list(ld, x, "entrypoint", &d->entrypoint))
			return -1;
		d->has_entrypoint = true;
	}
	if ((x = map_get(v, "entrypoint_aliases"))) {
		if (get_list(ld, x, "entrypoint_aliases", &d->aliases))
			return -1;
		d->has_aliases = true;
	}
	if ((x = map_get(v, "user")) && get_str(ld, x, "user", &d->user))
		return -1;
	if ((x = map_get(v, "accounts")) && get_str(ld, x, "accounts", &d->accounts))
		return -1;
	if ((x = map_get(v, "packages")) && get_list(ld, x, "packages", &d->packages))
		return -1;
	if ((x = map_get(v, "binaries")) && get_list(ld, x, "binaries", &d->binaries))
		return -1;
	for (size_t i = 0; i < d->binaries.n; i++)
		if (d->binaries.v[i][0] != '/')
			return ld_err(ld, x->kind == DS_CATALOG_SEQ ? KID(x, i) : x,
				      "binary \"%.64s\" in %s is not an absolute path",
				      d->binaries.v[i], what);
	if ((x = map_get(v, "paths")) && get_list(ld, x, "paths", &d->paths))
		return -1;
	if ((x = map_get(v, "chainguard")) && get_str(ld, x, "chainguard", &d->chainguard))
		return -1;
	if ((x = map_get(v, "builder")) && get_str(ld, x, "builder", &d->builder))
		return -1;
	if ((x = map_get(v, "tag")) && get_str(ld, x, "tag", &d->tag))
		return -1;
	if ((x = map_get(v, "launcher")) && get_str(ld, x, "launcher", &d->launcher))
		return -1;
	if ((x = map_get(v, "carry")) && get_list(ld, x, "carry", &d->carry))
		return -1;
	if ((x = map_get(v, "keep")) && get_list(ld, x, "keep", &d->keep))
		return -1;
	if ((x = map_get(v, "differences"))) {
		if (x->kind != DS_CATALOG_SEQ)
			return ld_err(ld, x, "expected a list for \"differences\"");
		struct ds_catalog_difference *df = ds_arena_zalloc(ld->a, (x->n ? x->n : 1) * sizeof *df);
		for (size_t i = 0; i < x->n; i++) {
			const struct ds_catalog_node *e = KID(x, i), *y;
			if (check_map(ld, e, "a difference of \"differences\"", diff_keys))
				return -1;
			if (!(y = map_get(e, "kind")) || get_str(ld, y, "kind", &df[i].kind))
				return y ? -1 : ld_err(ld, e, "missing \"kind\" in a difference");
			if (!(y = map_get(e, "text")) || get_str(ld, y, "text", &df[i].text))
				return y ? -1 : ld_err(ld, e, "missing \"text\" in a difference");
			if ((y = map_get(e, "unless")) && get_str(ld, y, "unless", &df[i].unless))
				return -1;
		}
		d->diffs = df;
		d->n_diffs = x->n;
	}
	if ((x = map_get(v, "replaces"))) {
		if (get_list(ld, x, "replaces", &d->replaces))
			return -1;
		d->has_replaces = true;
	}
	if ((x = map_get(v, "default")) && get_bool(ld, x, "default", &d->is_default))
		return -1;
	*out = d;
	return 0;
}

static int walk_vendor(struct ld *ld, const struct ds_catalog_node *m, int which)
{
	static const char *const keys[] = { "registry", "match", "default_debian", "default_tag",
					    "path", "arch_suffixes", "tags", "debug", "runtimes", "shell",
					    NULL };
	static const char *const tag_keys[] = { "match", "debug", "user", "subscription", NULL };
	static const char *const debug_keys[] = { "path", "binaries", NULL };
	static const char *const vnames[V__COUNT] = { "\"distroless\"", "\"chainguard\"", "\"chiseled\"", "\"ubi-micro\"" };
	const char *vname = vnames[which];
	struct vendor *v = &ld->t->vend[which];
	struct vendor_set *vs = &ld->t->vset[which];
	const struct ds_catalog_node *x;
	if (check_map(ld, m, vname, keys))
		return -1;
	if ((x = map_get(m, "registry"))) {
		if (get_str(ld, x, "registry", &v->pub.registry))
			return -1;
		vs->registry = true;
	}
	if ((x = map_get(m, "match"))) {
		if (get_list(ld, x, "match", &v->pub.match))
			return -1;
		vs->match = true;
	}
	if ((x = map_get(m, "default_debian"))) {
		if (get_str(ld, x, "default_debian", &v->pub.default_debian))
			return -1;
		vs->default_debian = true;
	}
	if ((x = map_get(m, "shell"))) {
		if (get_bool(ld, x, "shell", &v->pub.shell))
			return -1;
		vs->shell = true;
	}
	if ((x = map_get(m, "default_tag"))) {
		if (get_str(ld, x, "default_tag", &v->pub.default_tag))
			return -1;
		vs->default_tag = true;
	}
	if ((x = map_get(m, "path"))) {
		if (get_list(ld, x, "path", &v->pub.path))
			return -1;
		vs->path = true;
	}
	if ((x = map_get(m, "arch_suffixes"))) {
		if (get_list(ld, x, "arch_suffixes", &v->pub.arch_suffixes))
			return -1;
		vs->arch = true;
	}
	if ((x = map_get(m, "tags"))) {
		if (x->kind != DS_CATALOG_SEQ)
			return ld_err(ld, x, "expected a list for \"tags\"");
		struct ds_catalog_tagrule *tr = ds_arena_zalloc(ld->a, (x->n ? x->n : 1) * sizeof *tr);
		for (size_t i = 0; i < x->n; i++) {
			const struct ds_catalog_node *e = KID(x, i), *y;
			if (check_map(ld, e, "a tag of \"tags\"", tag_keys))
				return -1;
			if (!(y = map_get(e, "match")))
				return ld_err(ld, e, "missing \"match\" in a tag of \"tags\"");
			if (get_str(ld, y, "match", &tr[i].match))
				return -1;
			if ((y = map_get(e, "debug")) && get_bool(ld, y, "debug", &tr[i].debug))
				return -1;
			if ((y = map_get(e, "user")) && get_str(ld, y, "user", &tr[i].user))
				return -1;
			if ((y = map_get(e, "subscription")) &&
			    get_bool(ld, y, "subscription", &tr[i].subscription))
				return -1;
		}
		v->pub.tags = tr;
		v->pub.n_tags = x->n;
		vs->tags = true;
	}
	if ((x = map_get(m, "debug"))) {
		const struct ds_catalog_node *y;
		if (check_map(ld, x, "\"debug\"", debug_keys))
			return -1;
		if ((y = map_get(x, "path"))) {
			if (get_list(ld, y, "path", &v->pub.debug_path))
				return -1;
			vs->debug_path = true;
		}
		if ((y = map_get(x, "binaries"))) {
			if (get_list(ld, y, "binaries", &v->pub.debug_binaries))
				return -1;
			vs->debug_binaries = true;
		}
	}
	if ((x = map_get(m, "runtimes"))) {
		if (check_map(ld, x, "\"runtimes\"", NULL))
			return -1;
		size_t n = x->n / 2;
		v->rt = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *v->rt);
		for (size_t i = 0; i < n; i++)
			if (walk_runtime(ld, KID(x, 2 * i), KID(x, 2 * i + 1), &v->rt[i]))
				return -1;
		v->n_rt = n;
	}
	return 0;
}

static int walk_rules(struct ld *ld, const struct ds_catalog_node *s)
{
	static const char *const keys[] = { "image", "tag", "family", "libc", "release",
					    "language", "version", "runtime", "runtime_static",
					    "runtime_dynamic", "no_runtime", "suggest", "shell",
					    "stop", NULL };
	if (s->kind != DS_CATALOG_SEQ)
		return ld_err(ld, s, "expected a list for \"rules\"");
	ld->t->rules = ds_arena_alloc(ld->a, (s->n ? s->n : 1) * sizeof *ld->t->rules);
	for (size_t i = 0; i < s->n; i++) {
		const struct ds_catalog_node *m = KID(s, i), *x;
		struct rule *r = ds_arena_zalloc(ld->a, sizeof *r);
		r->shell = -1;
		r->file = ld->file;
		r->line = m->line;
		r->col = m->col;
		if (check_map(ld, m, "a rule", keys))
			return -1;
		if ((x = map_get(m, "image")) && get_list(ld, x, "image", &r->image))
			return -1;
		ds_catalog__glob_hint(&r->image_hint, &r->image);
		if ((x = map_get(m, "tag")) && get_list(ld, x, "tag", &r->tag))
			return -1;
		if ((x = map_get(m, "family"))) {
			int f;
			if (get_enum(ld, x, "family", family_names, NELEM(family_names), &f))
				return -1;
			r->family = (enum ds_family)f;
			r->has_family = true;
		}
		if ((x = map_get(m, "libc"))) {
			int l;
			if (get_enum(ld, x, "libc", libc_names, NELEM(libc_names), &l))
				return -1;
			r->libc = (enum ds_libc)l;
			r->has_libc = true;
		}
		if ((x = map_get(m, "release")) && get_vspecs(ld, x, "release", &r->release))
			return -1;
		if ((x = map_get(m, "language"))) {
			if (get_str(ld, x, "language", &r->language))
				return -1;
			r->has_lang = true;
		}
		if ((x = map_get(m, "version"))) {
			if (get_vspecs(ld, x, "version", &r->version))
				return -1;
			r->has_lang = true;
		}
		if ((x = map_get(m, "runtime"))) {
			if (get_str(ld, x, "runtime", &r->runtime))
				return -1;
			r->rk = strcmp(r->runtime, "auto") == 0	    ? RK_AUTO
				: strcmp(r->runtime, "binary") == 0 ? RK_BINARY
								    : RK_NAME;
			r->has_target = true;
		}
		if ((x = map_get(m, "runtime_static"))) {
			if (get_str(ld, x, "runtime_static", &r->rt_static))
				return -1;
			r->has_target = true;
		}
		if ((x = map_get(m, "runtime_dynamic"))) {
			if (get_str(ld, x, "runtime_dynamic", &r->rt_dynamic))
				return -1;
			r->has_target = true;
		}
		if ((x = map_get(m, "no_runtime"))) {
			if (get_str(ld, x, "no_runtime", &r->no_runtime))
				return -1;
			if (r->runtime)
				return ld_err(ld, x, "\"no_runtime\" and \"runtime\" exclude each other");
			r->has_target = true;
		}
		if ((x = map_get(m, "suggest"))) {
			if (get_str(ld, x, "suggest", &r->suggest))
				return -1;
			if (!r->no_runtime)
				return ld_err(ld, x, "\"suggest\" needs \"no_runtime\"");
		}
		if ((x = map_get(m, "shell"))) {
			bool b;
			if (get_bool(ld, x, "shell", &b))
				return -1;
			r->shell = b;
		}
		if ((x = map_get(m, "stop")) && get_bool(ld, x, "stop", &r->stop))
			return -1;
		ld->t->rules[i] = r;
	}
	ld->t->n_rules = s->n;
	return 0;
}

/* The `image` globs entry m must have (what names it in errors): at least one. */
static int get_image_globs(struct ld *ld, const struct ds_catalog_node *m, const char *what,
			   struct ds_strlist *out)
{
	const struct ds_catalog_node *x = map_get(m, "image");
	if (!x)
		return ld_err(ld, m, "missing \"image\" in %s", what);
	if (get_list(ld, x, "image", out))
		return -1;
	if (!out->n)
		return ld_err(ld, x, "expected at least one glob for \"image\"");
	return 0;
}

/* A list (never a lone string) of strings for key. */
static int get_seq(struct ld *ld, const struct ds_catalog_node *v, const char *key,
		   struct ds_strlist *out)
{
	if (v->kind != DS_CATALOG_SEQ)
		return ld_err(ld, v, "expected a list of strings for \"%s\"", key);
	return get_list(ld, v, key, out);
}

static bool env_name_ok(const char *s, size_t n)
{
	if (!n || ds_catalog__digit(s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || ds_catalog__digit(s[i]) || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z')))
			return false;
	return true;
}

/* "80/tcp": a port and its protocol, as image configurations write them. */
static bool port_ok(const char *s)
{
	size_t n = 0;
	while (ds_catalog__digit(s[n]))
		n++;
	if (n == 0 || n > 5 || s[n] != '/')
		return false;
	s += n + 1;
	return strcmp(s, "tcp") == 0 || strcmp(s, "udp") == 0 || strcmp(s, "sctp") == 0;
}

static bool signal_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return true;
	if (ds_catalog__digit(s[0]))
		return strspn(s, "0123456789") == n && n <= 3;
	if (strncmp(s, "SIG", 3) != 0 || n == 3)
		return false;
	return strspn(s + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-") == n - 3;
}

/* Every element of l satisfies ok; else an error at the element. */
static int check_items(struct ld *ld, const struct ds_catalog_node *v, const struct ds_strlist *l,
		       bool (*ok)(const char *), const char *key, const char *expect)
{
	for (size_t i = 0; i < l->n; i++)
		if (!ok(l->v[i]))
			return ld_err(ld, v->kind == DS_CATALOG_SEQ ? KID(v, i) : v,
				      "bad value \"%.64s\" in \"%s\": expected %s", l->v[i], key,
				      expect);
	return 0;
}

static bool absolute(const char *s)
{
	return s[0] == '/';
}

static bool env_ok(const char *s)
{
	const char *eq = strchr(s, '=');
	return env_name_ok(s, eq ? (size_t)(eq - s) : strlen(s));
}

static bool healthcheck_word_ok(const char *s)
{
	return strcmp(s, "CMD") == 0 || strcmp(s, "CMD-SHELL") == 0 || strcmp(s, "NONE") == 0;
}

/* The config of an `images` entry. */
static int walk_image_config(struct ld *ld, const struct ds_catalog_node *m,
			     struct image_rule *r)
{
	static const char *const keys[] = { "user", "workdir", "env", "entrypoint", "cmd",
					    "expose", "volumes", "stopsignal", "healthcheck",
					    "accounts", "binaries", NULL };
	const struct ds_catalog_node *x;
	if (check_map(ld, m, "\"config\"", keys))
		return -1;
	if ((x = map_get(m, "user"))) {
		if (get_str(ld, x, "user", &r->user))
			return -1;
		r->set |= IC_USER;
	}
	if ((x = map_get(m, "workdir"))) {
		if (get_str(ld, x, "workdir", &r->workdir))
			return -1;
		if (!absolute(r->workdir))
			return ld_err(ld, x, "bad value \"%.64s\" for \"workdir\": expected an absolute path",
				      r->workdir);
		r->set |= IC_WORKDIR;
	}
	if ((x = map_get(m, "env"))) {
		if (get_seq(ld, x, "env", &r->env) ||
		    check_items(ld, x, &r->env, env_ok, "env", "NAME=VALUE or NAME"))
			return -1;
		r->set |= IC_ENV;
	}
	if ((x = map_get(m, "entrypoint"))) {
		if (get_seq(ld, x, "entrypoint", &r->entrypoint))
			return -1;
		r->set |= IC_ENTRYPOINT;
	}
	if ((x = map_get(m, "cmd"))) {
		if (get_seq(ld, x, "cmd", &r->cmd))
			return -1;
		r->set |= IC_CMD;
	}
	if ((x = map_get(m, "expose"))) {
		if (get_seq(ld, x, "expose", &r->expose) ||
		    check_items(ld, x, &r->expose, port_ok, "expose", "PORT/tcp, /udp or /sctp"))
			return -1;
		r->set |= IC_EXPOSE;
	}
	if ((x = map_get(m, "volumes"))) {
		if (get_seq(ld, x, "volumes", &r->volumes) ||
		    check_items(ld, x, &r->volumes, absolute, "volumes", "an absolute path"))
			return -1;
		r->set |= IC_VOLUMES;
	}
	if ((x = map_get(m, "stopsignal"))) {
		if (get_str(ld, x, "stopsignal", &r->stopsignal))
			return -1;
		if (!signal_ok(r->stopsignal))
			return ld_err(ld, x, "bad value \"%.64s\" for \"stopsignal\": expected SIGNAME, a number or \"\"",
				      r->stopsignal);
		if (!*r->stopsignal)
			r->stopsignal = NULL;
		r->set |= IC_STOPSIGNAL;
	}
	if ((x = map_get(m, "healthcheck"))) {
		if (get_seq(ld, x, "healthcheck", &r->healthcheck))
			return -1;
		if (r->healthcheck.n && !healthcheck_word_ok(r->healthcheck.v[0]))
			return ld_err(ld, KID(x, 0),
				      "bad value \"%.64s\" in \"healthcheck\": expected CMD, CMD-SHELL or NONE first",
				      r->healthcheck.v[0]);
		r->set |= IC_HEALTHCHECK;
	}
	if ((x = map_get(m, "accounts"))) {
		if (get_str(ld, x, "accounts", &r->accounts))
			return -1;
		r->set |= IC_ACCOUNTS;
	}
	if ((x = map_get(m, "binaries")) &&
	    (get_seq(ld, x, "binaries", &r->binaries) ||
	     check_items(ld, x, &r->binaries, absolute, "binaries", "an absolute path")))
		return -1;
	return 0;
}

static int walk_images(struct ld *ld, const struct ds_catalog_node *s)
{
	static const char *const keys[] = { "image", "tag", "config", "stop", NULL };
	if (s->kind != DS_CATALOG_SEQ)
		return ld_err(ld, s, "expected a list for \"images\"");
	ld->t->img = ds_arena_alloc(ld->a, (s->n ? s->n : 1) * sizeof *ld->t->img);
	for (size_t i = 0; i < s->n; i++) {
		const struct ds_catalog_node *m = KID(s, i), *x;
		struct image_rule *r = ds_arena_zalloc(ld->a, sizeof *r);
		r->file = ld->file;
		r->line = m->line;
		r->col = m->col;
		if (check_map(ld, m, "an \"images\" entry", keys))
			return -1;
		if (get_image_globs(ld, m, "an \"images\" entry", &r->image))
			return -1;
		ds_catalog__glob_hint(&r->image_hint, &r->image);
		if ((x = map_get(m, "tag")) && get_list(ld, x, "tag", &r->tag))
			return -1;
		if ((x = map_get(m, "config")) && walk_image_config(ld, x, r))
			return -1;
		if ((x = map_get(m, "stop")) && get_bool(ld, x, "stop", &r->stop))
			return -1;
		ld->t->img[i] = r;
	}
	ld->t->n_img = s->n;
	return 0;
}

static int walk_status(struct ld *ld, const struct ds_catalog_node *s)
{
	static const char *const keys[] = { "image", "tag", "status", "message", "replacement",
					    NULL };
	if (s->kind != DS_CATALOG_SEQ)
		return ld_err(ld, s, "expected a list for \"status\"");
	ld->t->st = ds_arena_alloc(ld->a, (s->n ? s->n : 1) * sizeof *ld->t->st);
	for (size_t i = 0; i < s->n; i++) {
		const struct ds_catalog_node *m = KID(s, i), *x;
		struct status_rule *r = ds_arena_zalloc(ld->a, sizeof *r);
		int st;
		if (check_map(ld, m, "a status entry", keys))
			return -1;
		if (get_image_globs(ld, m, "a status entry", &r->image))
			return -1;
		ds_catalog__glob_hint(&r->image_hint, &r->image);
		if ((x = map_get(m, "tag")) && get_list(ld, x, "tag", &r->tag))
			return -1;
		if (!(x = map_get(m, "status")))
			return ld_err(ld, m, "missing \"status\" in a status entry");
		if (get_enum(ld, x, "status", status_names, NELEM(status_names), &st))
			return -1;
		r->status = (enum ds_image_status)st;
		if (!(x = map_get(m, "message")))
			return ld_err(ld, m, "missing \"message\" in a status entry");
		if (get_str(ld, x, "message", &r->message))
			return -1;
		if ((x = map_get(m, "replacement")) &&
		    get_str(ld, x, "replacement", &r->replacement))
			return -1;
		ld->t->st[i] = r;
	}
	ld->t->n_st = s->n;
	return 0;
}

/* The placeholders a template may hold; returns the first unknown one. */
static const char *bad_placeholder(const char *t, const char *const *ok)
{
	for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
		const char *const *k = ok;
		while (*k && strncmp(p, *k, strlen(*k)) != 0)
			k++;
		if (!*k)
			return p;
	}
	return NULL;
}

static int walk_a2d(struct ld *ld, const struct ds_catalog_node *s)
{
	static const char *const keys[] = { "image", "name", "tag", "sibling", NULL };
	static const char *const ph[] = { "{prefix}", "{prefix-}", "{codename}", NULL };
	if (s->kind != DS_CATALOG_SEQ)
		return ld_err(ld, s, "expected a list for \"alpine_to_debian\"");
	ld->t->a2d = ds_arena_alloc(ld->a, (s->n ? s->n : 1) * sizeof *ld->t->a2d);
	for (size_t i = 0; i < s->n; i++) {
		const struct ds_catalog_node *m = KID(s, i), *x;
		struct a2d *r = ds_arena_zalloc(ld->a, sizeof *r);
		const char *bad;
		if (check_map(ld, m, "an \"alpine_to_debian\" entry", keys))
			return -1;
		if (get_image_globs(ld, m, "an \"alpine_to_debian\" entry", &r->image))
			return -1;
		if ((x = map_get(m, "name")) && get_str(ld, x, "name", &r->name))
			return -1;
		if (!(x = map_get(m, "tag")))
			return ld_err(ld, m, "missing \"tag\" in an \"alpine_to_debian\" entry");
		if (get_str(ld, x, "tag", &r->tag))
			return -1;
		if ((bad = bad_placeholder(r->tag, ph)))
			return ld_err(ld, x, "unknown placeholder \"%.20s\" in \"tag\"", bad);
		if ((x = map_get(m, "sibling"))) {
			if (get_bool(ld, x, "sibling", &r->sibling))
				return -1;
			if (r->sibling && strstr(r->tag, "{codename}"))
				return ld_err(ld, x, "a \"sibling\" tag cannot name a {codename}");
		}
		ld->t->a2d[i] = r;
	}
	ld->t->n_a2d = s->n;
	return 0;
}

/* "1.23", "22.13.0": numbers joined by dots; sets *parts to their count. */
static bool version_ok(const char *s, unsigned *parts)
{
	unsigned n = 0;
	for (;;) {
		if (!ds_catalog__digit(*s))
			return false;
		while (ds_catalog__digit(*s))
			s++;
		n++;
		if (!*s)
			break;
		if (*s++ != '.')
			return false;
	}
	if (parts)
		*parts = n;
	return true;
}

/* "FROM..TO", "FROM.." (still published) or "" (versions not known). */
static int get_range(struct ld *ld, const struct ds_catalog_node *v, struct line_codename *cn)
{
	const char *s = NULL;
	if (get_str(ld, v, cn->codename, &s))
		return -1;
	if (!*s)
		return 0;
	const char *dots = strstr(s, "..");
	if (!dots)
		goto bad;
	char *from = ds_arena_strndup(ld->a, s, (size_t)(dots - s));
	if (!version_ok(from, NULL) || (dots[2] && !version_ok(dots + 2, NULL)))
		goto bad;
	cn->from = from;
	cn->to = dots[2] ? dots + 2 : NULL;
	if (cn->to && ds_catalog_version_cmp(cn->from, cn->to) > 0)
		goto bad;
	return 0;
bad:
	return ld_err(ld, v, "bad range \"%.64s\" for \"%s\": expected FROM..TO, FROM.. or \"\"", s,
		      cn->codename);
}

static int walk_version_line(struct ld *ld, const struct version_rule *r,
			     const struct ds_catalog_node *k, const struct ds_catalog_node *v,
			     struct version_line *out)
{
	static const char *const keys[] = { "default", "codenames", NULL };
	char what[128];
	unsigned parts;
	const struct ds_catalog_node *x;
	if (k->kind != DS_CATALOG_SCALAR || !version_ok(TEXT(k), &parts) || parts != r->depth)
		return ld_err(ld, k, "bad version line \"%.64s\": expected %s", TEXT(k) ? TEXT(k) : "",
			      r->depth == 1 ? "a major version (\"22\")" : "a minor version (\"1.23\")");
	out->version = TEXT(k);
	whatf(what, sizeof what, "line \"%.64s\"", TEXT(k));
	if (check_map(ld, v, what, keys))
		return -1;
	if ((x = map_get(v, "default")) && get_str(ld, x, "default", &out->dflt))
		return -1;
	if ((x = map_get(v, "codenames"))) {
		if (check_map(ld, x, "\"codenames\"", NULL))
			return -1;
		size_t n = x->n / 2;
		struct line_codename *cn = ds_arena_zalloc(ld->a, (n ? n : 1) * sizeof *cn);
		for (size_t i = 0; i < n; i++) {
			cn[i].codename = TEXT(KID(x, 2 * i));
			cn[i].line = KID(x, 2 * i)->line;
			cn[i].col = KID(x, 2 * i)->col;
			if (get_range(ld, KID(x, 2 * i + 1), &cn[i]))
				return -1;
		}
		out->cn = cn;
		out->n_cn = n;
	}
	return 0;
}

static int walk_versions(struct ld *ld, const struct ds_catalog_node *s)
{
	static const char *const keys[] = { "image", "line", "aliases", "lines", NULL };
	if (s->kind != DS_CATALOG_SEQ)
		return ld_err(ld, s, "expected a list for \"versions\"");
	ld->t->ver = ds_arena_alloc(ld->a, (s->n ? s->n : 1) * sizeof *ld->t->ver);
	for (size_t i = 0; i < s->n; i++) {
		const struct ds_catalog_node *m = KID(s, i), *x;
		struct version_rule *r = ds_arena_zalloc(ld->a, sizeof *r);
		r->file = ld->file;
		r->line = m->line;
		r->col = m->col;
		if (check_map(ld, m, "a \"versions\" entry", keys))
			return -1;
		if (get_image_globs(ld, m, "a \"versions\" entry", &r->image))
			return -1;
		if (!(x = map_get(m, "line")))
			return ld_err(ld, m, "missing \"line\" in a \"versions\" entry");
		if (x->kind == DS_CATALOG_SCALAR && strcmp(TEXT(x), "major") == 0)
			r->depth = 1;
		else if (x->kind == DS_CATALOG_SCALAR && strcmp(TEXT(x), "minor") == 0)
			r->depth = 2;
		else
			return ld_err(ld, x, "bad value \"%.64s\" for \"line\": expected major or minor",
				      TEXT(x) ? TEXT(x) : "");
		if ((x = map_get(m, "aliases"))) {
			if (check_map(ld, x, "\"aliases\"", NULL))
				return -1;
			size_t n = x->n / 2;
			struct alias *al = ds_arena_zalloc(ld->a, (n ? n : 1) * sizeof *al);
			for (size_t j = 0; j < n; j++) {
				const struct ds_catalog_node *k = KID(x, 2 * j), *v = KID(x, 2 * j + 1);
				al[j].word = TEXT(k);
				if (get_str(ld, v, TEXT(k), &al[j].version))
					return -1;
				if (!version_ok(al[j].version, NULL))
					return ld_err(ld, v, "bad version \"%.64s\" for alias \"%.64s\"",
						      al[j].version, TEXT(k));
			}
			r->aliases = al;
			r->n_aliases = n;
		}
		if ((x = map_get(m, "lines"))) {
			if (check_map(ld, x, "\"lines\"", NULL))
				return -1;
			size_t n = x->n / 2;
			struct version_line *vl = ds_arena_zalloc(ld->a, (n ? n : 1) * sizeof *vl);
			for (size_t j = 0; j < n; j++)
				if (walk_version_line(ld, r, KID(x, 2 * j), KID(x, 2 * j + 1), &vl[j]))
					return -1;
			r->lines = vl;
			r->n_lines = n;
		}
		ld->t->ver[i] = r;
	}
	ld->t->n_ver = s->n;
	return 0;
}

/* A map NAME: [PACKAGES] (apk_to_apt, sonames) into *v and *nv; what names it in messages. */
static int walk_apt_map(struct ld *ld, const struct ds_catalog_node *m, const char *what, struct apk ***v, size_t *nv)
{
	if (check_map(ld, m, what, NULL))
		return -1;
	size_t n = m->n / 2;
	*v = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof **v);
	for (size_t i = 0; i < n; i++) {
		struct apk *e = ds_arena_zalloc(ld->a, sizeof *e);
		e->name = TEXT(KID(m, 2 * i));
		if (get_list(ld, KID(m, 2 * i + 1), e->name, &e->apt))
			return -1;
		(*v)[i] = e;
	}
	*nv = n;
	return 0;
}

static int walk_tools(struct ld *ld, const struct ds_catalog_node *m)
{
	static const char *const keys[] = { "kind", "message", NULL };
	char what[128];
	if (check_map(ld, m, "\"tools\"", NULL))
		return -1;
	size_t n = m->n / 2;
	ld->t->tools = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *ld->t->tools);
	for (size_t i = 0; i < n; i++) {
		const struct ds_catalog_node *k = KID(m, 2 * i), *v = KID(m, 2 * i + 1), *x;
		struct ds_catalog_tool *tl = ds_arena_zalloc(ld->a, sizeof *tl);
		int kind;
		whatf(what, sizeof what, "tool \"%.64s\"", TEXT(k));
		if (check_map(ld, v, what, keys))
			return -1;
		tl->name = TEXT(k);
		if (!(x = map_get(v, "kind")))
			return ld_err(ld, v, "missing \"kind\" in %s", what);
		if (get_enum(ld, x, "kind", tool_names, NELEM(tool_names), &kind))
			return -1;
		tl->kind = (enum ds_tool_kind)kind;
		if ((x = map_get(v, "message")) && get_str(ld, x, "message", &tl->message))
			return -1;
		ld->t->tools[i] = tl;
	}
	ld->t->n_tools = n;
	return 0;
}

/* The date the catalogue's facts were checked: YYYY-MM-DD. */
static int walk_date(struct ld *ld, const struct ds_catalog_node *x)
{
	const char *d = NULL;
	if (get_str(ld, x, "date", &d))
		return -1;
	for (size_t i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? d[i] != '-' : !ds_catalog__digit(d[i]))
			return ld_err(ld, x, "bad value \"%.64s\" for \"date\": expected YYYY-MM-DD", d);
	}
	if (d[10])
		return ld_err(ld, x, "bad value \"%.64s\" for \"date\": expected YYYY-MM-DD", d);
	ld->t->date = d;
	return 0;
}

static int walk_root(struct ld *ld, const struct ds_catalog_node *root)
{
	static const char *const keys[] = { "schema", "date", "releases", "accounts",
					    "distroless", "chainguard", "chiseled", "ubi-micro", "rules", "status",
					    "alpine_to_debian", "apk_to_apt", "sonames", "console_scripts", "tools", "images",
					    "versions", NULL };
	const struct ds_catalog_node *x;
	if (!root)
		return 0;
	if (check_map(ld, root, "the catalogue", keys))
		return -1;
	if ((x = map_get(root, "schema")) && (x->kind != DS_CATALOG_SCALAR || strcmp(TEXT(x), "1") != 0))
		return ld_err(ld, x, "unsupported schema \"%.64s\": expected 1",
			      x->kind == DS_CATALOG_SCALAR ? TEXT(x) : "");
	if ((x = map_get(root, "date")) && walk_date(ld, x))
		return -1;
	if ((x = map_get(root, "releases")) && walk_releases(ld, x))
		return -1;
	if ((x = map_get(root, "accounts")) && walk_accounts(ld, x))
		return -1;
	if ((x = map_get(root, "distroless")) && walk_vendor(ld, x, V_DISTROLESS))
		return -1;
	if ((x = map_get(root, "chainguard")) && walk_vendor(ld, x, V_CHAINGUARD))
		return -1;
	if ((x = map_get(root, "chiseled")) && walk_vendor(ld, x, V_CHISELED))
		return -1;
	if ((x = map_get(root, "ubi-micro")) && walk_vendor(ld, x, V_UBI_MICRO))
		return -1;
	if ((x = map_get(root, "rules")) && walk_rules(ld, x))
		return -1;
	if ((x = map_get(root, "status")) && walk_status(ld, x))
		return -1;
	if ((x = map_get(root, "alpine_to_debian")) && walk_a2d(ld, x))
		return -1;
	if ((x = map_get(root, "apk_to_apt")) && walk_apt_map(ld, x, "\"apk_to_apt\"", &ld->t->apk, &ld->t->n_apk))
		return -1;
	if ((x = map_get(root, "console_scripts")) &&
	    walk_apt_map(ld, x, "\"console_scripts\"", &ld->t->console, &ld->t->n_console))
		return -1;
	if ((x = map_get(root, "sonames")) && walk_apt_map(ld, x, "\"sonames\"", &ld->t->sonames, &ld->t->n_sonames))
		return -1;
	if ((x = map_get(root, "tools")) && walk_tools(ld, x))
		return -1;
	if ((x = map_get(root, "images")) && walk_images(ld, x))
		return -1;
	if ((x = map_get(root, "versions")) && walk_versions(ld, x))
		return -1;
	return 0;
}


/* ------------------------------------------------------------------ */
/* merge and resolve                                                  */

/* Arrays are always rebuilt, never changed in place, so a snapshot of the
 * tables stays valid for restoring after a failed overlay. */
#define DEFINE_MERGE_KEYED(fn, T, KEY)                                                        \
	static T **fn(struct ds_arena *a, T **o, size_t no, T **ad, size_t nad, size_t *nout) \
	{                                                                                     \
		T **v = ds_arena_alloc(a, (no + nad + 1) * sizeof *v);                        \
		size_t n = no;                                                                \
		if (no)                                                                       \
			memcpy(v, o, no * sizeof *v);                                         \
		for (size_t i = 0; i < nad; i++) {                                            \
			size_t j = 0;                                                         \
			while (j < n && strcmp(v[j]->KEY, ad[i]->KEY) != 0)                   \
				j++;                                                          \
			v[j] = ad[i];                                                         \
			if (j == n)                                                           \
				n++;                                                          \
		}                                                                             \
		*nout = n;                                                                    \
		return v;                                                                     \
	}

#define DEFINE_PREPEND(fn, T)                                                                 \
	static T **fn(struct ds_arena *a, T **o, size_t no, T **ad, size_t nad, size_t *nout) \
	{                                                                                     \
		T **v = ds_arena_alloc(a, (no + nad + 1) * sizeof *v);                        \
		if (nad)                                                                      \
			memcpy(v, ad, nad * sizeof *v);                                       \
		if (no)                                                                       \
			memcpy(v + nad, o, no * sizeof *v);                                   \
		*nout = no + nad;                                                             \
		return v;                                                                     \
	}

DEFINE_MERGE_KEYED(merge_rel, struct ds_catalog_release, codename)
DEFINE_MERGE_KEYED(merge_acc, struct acc_def, pub.name)
DEFINE_MERGE_KEYED(merge_rt, struct rt_def, pub.name)
DEFINE_MERGE_KEYED(merge_apk, struct apk, name)
DEFINE_MERGE_KEYED(merge_tools, struct ds_catalog_tool, name)
DEFINE_PREPEND(prepend_rules, struct rule)
DEFINE_PREPEND(prepend_st, struct status_rule)
DEFINE_PREPEND(prepend_a2d, struct a2d)
DEFINE_PREPEND(prepend_img, struct image_rule)
DEFINE_PREPEND(prepend_ver, struct version_rule)

static void merge(struct ds_catalog *c, struct tables *l)
{
	struct tables *t = &c->t;
	struct ds_arena *a = &c->arena;
	if (l->date)
		t->date = l->date;
	t->rel = merge_rel(a, t->rel, t->n_rel, l->rel, l->n_rel, &t->n_rel);
	t->acc = merge_acc(a, t->acc, t->n_acc, l->acc, l->n_acc, &t->n_acc);
	for (int i = 0; i < V__COUNT; i++) {
		struct ds_catalog_vendor *d = &t->vend[i].pub;
		const struct ds_catalog_vendor *s = &l->vend[i].pub;
		const struct vendor_set *f = &l->vset[i];
		if (f->registry) {
			if (!t->vend[i].home)
				t->vend[i].home = d->registry ? d->registry : s->registry;
			d->registry = s->registry;
			if (!f->match) {
				/* a mirror: its images are the vendor's too, without a match key to say so */
				const char **m = ds_arena_alloc(a, (d->match.n + 1) * sizeof *m);
				for (size_t k = 0; k < d->match.n; k++)
					m[k] = d->match.v[k];
				m[d->match.n] = ds_arena_printf(a, "%s/*", s->registry);
				d->match.v = m;
				d->match.n++;
			}
		}
		if (f->default_debian)
			d->default_debian = s->default_debian;
		if (f->default_tag)
			d->default_tag = s->default_tag;
		if (f->shell)
			d->shell = s->shell;
		if (f->match)
			d->match = s->match;
		if (f->path)
			d->path = s->path;
		if (f->arch)
			d->arch_suffixes = s->arch_suffixes;
		if (f->tags) {
			d->tags = s->tags;
			d->n_tags = s->n_tags;
		}
		if (f->debug_path)
			d->debug_path = s->debug_path;
		if (f->debug_binaries)
			d->debug_binaries = s->debug_binaries;
		t->vend[i].rt = merge_rt(a, t->vend[i].rt, t->vend[i].n_rt, l->vend[i].rt,
					 l->vend[i].n_rt, &t->vend[i].n_rt);
	}
	t->rules = prepend_rules(a, t->rules, t->n_rules, l->rules, l->n_rules, &t->n_rules);
	t->st = prepend_st(a, t->st, t->n_st, l->st, l->n_st, &t->n_st);
	t->a2d = prepend_a2d(a, t->a2d, t->n_a2d, l->a2d, l->n_a2d, &t->n_a2d);
	t->img = prepend_img(a, t->img, t->n_img, l->img, l->n_img, &t->n_img);
	t->ver = prepend_ver(a, t->ver, t->n_ver, l->ver, l->n_ver, &t->n_ver);
	t->apk = merge_apk(a, t->apk, t->n_apk, l->apk, l->n_apk, &t->n_apk);
	t->sonames = merge_apk(a, t->sonames, t->n_sonames, l->sonames, l->n_sonames, &t->n_sonames);
	t->console = merge_apk(a, t->console, t->n_console, l->console, l->n_console, &t->n_console);
	t->tools = merge_tools(a, t->tools, t->n_tools, l->tools, l->n_tools, &t->n_tools);
}

static struct ds_strlist concat(struct ds_arena *a, struct ds_strlist x, struct ds_strlist y)
{
	struct ds_strlist r;
	if (!x.n)
		return y;
	if (!y.n)
		return x;
	const char **v = ds_arena_alloc(a, (x.n + y.n) * sizeof *v);
	memcpy(v, x.v, x.n * sizeof *v);
	memcpy(v + x.n, y.v, y.n * sizeof *v);
	r.v = v;
	r.n = x.n + y.n;
	return r;
}

static struct rt_def *find_def(const struct vendor *v, const char *name)
{
	for (size_t i = 0; i < v->n_rt; i++)
		if (strcmp(v->rt[i]->pub.name, name) == 0)
			return v->rt[i];
	return NULL;
}

static void compute(struct ds_arena *a, struct vendor *v, struct rt_def *d,
		    const struct rt_def *pd)
{
	struct ds_catalog_runtime *p = &d->pub;
	const struct ds_catalog_runtime *pp = pd ? &pd->pub : NULL;
	static const struct ds_strlist none = { NULL, 0 };
	p->vendor = &v->pub;
	if (d->image)
		p->image = d->image;
	else if (v->pub.registry)
		p->image = ds_arena_printf(a, "%s/%s", v->pub.registry, p->name);
	else
		p->image = p->name;
	p->debian = d->has_debian ? d->debian : pp ? pp->debian : none;
	p->language = d->language ? d->language : pp ? pp->language : NULL;
	p->version = d->version ? d->version : pp ? pp->version : NULL;
	p->libc = d->libc != DS_LIBC_UNKNOWN ? d->libc : pp ? pp->libc : DS_LIBC_UNKNOWN;
	p->entrypoint = d->has_entrypoint ? d->entrypoint : pp ? pp->entrypoint : none;
	p->entrypoint_aliases = d->has_aliases ? d->aliases : pp ? pp->entrypoint_aliases : none;
	p->user = d->user ? d->user : pp ? pp->user : NULL;
	p->packages = concat(a, pp ? pp->packages : none, d->packages);
	p->binaries = concat(a, pp ? pp->binaries : none, d->binaries);
	p->paths = concat(a, pp ? pp->paths : none, d->paths);
	p->is_default = d->is_default;
	p->builder = d->builder; /* a builder is the runtime's own, never inherited */
	p->tag = d->tag ? d->tag : pp ? pp->tag : NULL;
	p->replaces = d->has_replaces ? d->replaces : pp ? pp->replaces : none;
	p->launcher = d->launcher ? d->launcher : pp ? pp->launcher : NULL;
	p->differences = d->n_diffs ? d->diffs : pp ? pp->differences : NULL;
	p->n_differences = d->n_diffs ? d->n_diffs : pp ? pp->n_differences : 0;
	p->keep = concat(a, pp ? pp->keep : none, d->keep);
	p->carry = concat(a, pp ? pp->carry : none, d->carry);
	p->accounts = NULL;
	p->chainguard = NULL;
	d->r_accounts = d->accounts ? d->accounts : pd ? pd->r_accounts : NULL;
	d->r_chainguard = d->chainguard ? d->chainguard : pd ? pd->r_chainguard : NULL;
}

const struct rt_def *ds_catalog__find_runtime(const struct vendor *v, const char *name)
{
	return find_def(v, name);
}

static struct acc_def *find_acc_def(const struct tables *t, const char *name)
{
	for (size_t i = 0; i < t->n_acc; i++)
		if (strcmp(t->acc[i]->pub.name, name) == 0)
			return t->acc[i];
	return NULL;
}

static const struct ds_catalog_accounts *find_acc(const struct tables *t, const char *name)
{
	const struct acc_def *d = find_acc_def(t, name);
	return d ? &d->pub : NULL;
}

/* The parent's accounts without those own renames, then own. */
static const struct ds_catalog_account *merge_ids(struct ds_arena *a,
						  const struct ds_catalog_account *p, size_t np,
						  const struct ds_catalog_account *own, size_t nown,
						  size_t *n_out)
{
	struct ds_catalog_account *v = ds_arena_alloc(a, (np + nown + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < np; i++) {
		size_t j = 0;
		while (j < nown && strcmp(own[j].name, p[i].name) != 0)
			j++;
		if (j == nown)
			v[n++] = p[i];
	}
	if (nown)
		memcpy(v + n, own, nown * sizeof *v);
	*n_out = n + nown;
	return v;
}

/* Applies `extends` between accounts entries and checks each `nonroot`. */
static int resolve_accounts(struct ds_catalog *c, struct ds_catalog_error *err)
{
	struct tables *t = &c->t;
	size_t done = 0;
	for (size_t i = 0; i < t->n_acc; i++)
		t->acc[i]->state = 0;
	while (done < t->n_acc) {
		bool progress = false;
		for (size_t i = 0; i < t->n_acc; i++) {
			struct acc_def *d = t->acc[i], *pd = NULL;
			if (d->state)
				continue;
			if (d->extends) {
				if (!(pd = find_acc_def(t, d->extends))) {
					ds_catalog__set_err(err, d->file, d->line, d->col,
							    "accounts \"%.64s\" extends unknown accounts \"%.64s\"",
							    d->pub.name, d->extends);
					return -1;
				}
				if (!pd->state)
					continue;
			}
			d->pub.users = merge_ids(&c->arena, pd ? pd->pub.users : NULL,
						 pd ? pd->pub.n_users : 0, d->users, d->n_users,
						 &d->pub.n_users);
			d->pub.groups = merge_ids(&c->arena, pd ? pd->pub.groups : NULL,
						  pd ? pd->pub.n_groups : 0, d->groups, d->n_groups,
						  &d->pub.n_groups);
			d->pub.nonroot = d->nonroot ? d->nonroot : pd ? pd->pub.nonroot : NULL;
			size_t j = 0;
			while (d->pub.nonroot && j < d->pub.n_users &&
			       strcmp(d->pub.users[j].name, d->pub.nonroot) != 0)
				j++;
			if (d->pub.nonroot && j == d->pub.n_users) {
				bool own = d->nonroot != NULL;
				ds_catalog__set_err(err, d->file, own ? d->nonroot_line : d->line,
						    own ? d->nonroot_col : d->col,
						    "\"nonroot\" names unknown user \"%.64s\" in accounts \"%.64s\"",
						    d->pub.nonroot, d->pub.name);
				return -1;
			}
			d->state = 1;
			done++;
			progress = true;
		}
		if (!progress) {
			for (size_t i = 0; i < t->n_acc; i++) {
				const struct acc_def *d = t->acc[i];
				if (!d->state) {
					ds_catalog__set_err(err, d->file, d->line, d->col,
							    "accounts \"%.64s\" extends itself through \"%.64s\"",
							    d->pub.name, d->extends);
					return -1;
				}
			}
		}
	}
	return 0;
}

static int resolve_vendor(struct ds_catalog *c, struct vendor *v, struct ds_catalog_error *err)
{
	size_t done = 0;
	for (size_t i = 0; i < v->n_rt; i++)
		v->rt[i]->state = 0;
	while (done < v->n_rt) {
		bool progress = false;
		for (size_t i = 0; i < v->n_rt; i++) {
			struct rt_def *d = v->rt[i], *pd = NULL;
			if (d->state)
				continue;
			if (d->extends) {
				pd = find_def(v, d->extends);
				if (!pd) {
					ds_catalog__set_err(err, d->file, d->line, d->col,
						"runtime \"%.64s\" extends unknown runtime \"%.64s\"",
						d->pub.name, d->extends);
					return -1;
				}
				if (!pd->state)
					continue;
			}
			compute(&c->arena, v, d, pd);
			d->state = 1;
			done++;
			progress = true;
		}
		if (!progress) {
			for (size_t i = 0; i < v->n_rt; i++) {
				struct rt_def *d = v->rt[i];
				if (!d->state) {
					ds_catalog__set_err(err, d->file, d->line, d->col,
						"runtime \"%.64s\" extends itself through \"%.64s\"",
						d->pub.name, d->extends);
					return -1;
				}
			}
		}
	}
	const struct ds_catalog_runtime **pubs =
		ds_arena_alloc(&c->arena, (v->n_rt + 1) * sizeof *pubs);
	for (size_t i = 0; i < v->n_rt; i++)
		pubs[i] = &v->rt[i]->pub;
	v->rt_pub = pubs;
	return 0;
}

static const struct ds_catalog_runtime *rule_rt(const struct tables *t, const struct rule *r,
						const char *name, struct ds_catalog_error *err)
{
	const struct rt_def *d = find_def(&t->vend[V_DISTROLESS], name);
	if (!d)
		ds_catalog__set_err(err, r->file, r->line, r->col, "unknown runtime \"%.64s\" in a rule", name);
	return d ? &d->pub : NULL;
}

static int resolve(struct ds_catalog *c, struct ds_catalog_error *err)
{
	struct tables *t = &c->t;
	if (resolve_accounts(c, err))
		return -1;
	for (int i = 0; i < V__COUNT; i++)
		if (resolve_vendor(c, &t->vend[i], err))
			return -1;
	for (int i = 0; i < V__COUNT; i++) {
		struct vendor *v = &t->vend[i];
		for (size_t j = 0; j < v->n_rt; j++) {
			struct rt_def *d = v->rt[j];
			if (d->r_accounts && !(d->pub.accounts = find_acc(t, d->r_accounts))) {
				ds_catalog__set_err(err, d->file, d->line, d->col,
					"runtime \"%.64s\" names unknown accounts \"%.64s\"",
					d->pub.name, d->r_accounts);
				return -1;
			}
			if (i == V_CHAINGUARD) {
				d->pub.chainguard = &d->pub;
			} else if (d->r_chainguard) {
				const struct rt_def *cg = find_def(&t->vend[V_CHAINGUARD],
								   d->r_chainguard);
				if (!cg) {
					ds_catalog__set_err(err, d->file, d->line, d->col,
						"runtime \"%.64s\" names unknown chainguard runtime \"%.64s\"",
						d->pub.name, d->r_chainguard);
					return -1;
				}
				d->pub.chainguard = &cg->pub;
			}
		}
	}
	for (size_t i = 0; i < t->n_rules; i++) {
		struct rule *r = t->rules[i];
		r->r_rt = r->r_static = r->r_dynamic = NULL;
		if (r->rk == RK_NAME && !(r->r_rt = rule_rt(t, r, r->runtime, err)))
			return -1;
		if (r->rt_static && !(r->r_static = rule_rt(t, r, r->rt_static, err)))
			return -1;
		if (r->rt_dynamic && !(r->r_dynamic = rule_rt(t, r, r->rt_dynamic, err)))
			return -1;
	}
	for (size_t i = 0; i < t->n_img; i++) {
		struct image_rule *r = t->img[i];
		r->r_accounts = NULL;
		if (r->accounts && !(r->r_accounts = find_acc(t, r->accounts))) {
			ds_catalog__set_err(err, r->file, r->line, r->col,
					    "unknown accounts \"%.64s\" in an \"images\" entry",
					    r->accounts);
			return -1;
		}
	}
	for (size_t i = 0; i < t->n_ver; i++) {
		const struct version_rule *r = t->ver[i];
		for (size_t j = 0; j < r->n_lines; j++) {
			const struct version_line *l = &r->lines[j];
			if (l->dflt && !ds_catalog_release(c, l->dflt)) {
				ds_catalog__set_err(err, r->file, r->line, r->col,
						    "line \"%.64s\" names unknown release \"%.64s\"",
						    l->version, l->dflt);
				return -1;
			}
			for (size_t k = 0; k < l->n_cn; k++) {
				struct line_codename *cn = &l->cn[k];
				if (!(cn->release = ds_catalog_release(c, cn->codename))) {
					ds_catalog__set_err(err, r->file, cn->line, cn->col,
							    "unknown release \"%.64s\" in line \"%.64s\"",
							    cn->codename, l->version);
					return -1;
				}
			}
		}
	}
	return 0;
}

struct ds_catalog *ds_catalog__new(void)
{
	struct ds_catalog *c = ds_xcalloc(1, sizeof *c);
	ds_arena_init(&c->arena);
	c->t.vend[V_DISTROLESS].pub.name = "distroless";
	c->t.vend[V_CHAINGUARD].pub.name = "chainguard";
	c->t.vend[V_CHISELED].pub.name = "chiseled";
	c->t.vend[V_UBI_MICRO].pub.name = "ubi-micro";
	return c;
}

int ds_catalog__overlay_tree(struct ds_catalog *c, const char *name,
			     const struct ds_catalog_node *root, struct ds_catalog_error *err)
{
	struct tables layer, saved;
	memset(&layer, 0, sizeof layer);
	struct ld ld = { c, &c->arena, name, err, &layer };
	if (walk_root(&ld, root))
		return -1;
	saved = c->t;
	merge(c, &layer);
	if (resolve(c, err)) {
		c->t = saved;
		if (resolve(c, NULL))
			abort(); /* the previous tables resolved before */
		return -1;
	}
	return 0;
}

/* Reads a user file's text with libyaml and overlays it. */
static int overlay(struct ds_catalog *c, const char *name, const char *data, size_t len,
		   struct ds_catalog_error *err)
{
	const struct ds_catalog_node *root;
	const char *file = ds_arena_strdup(&c->arena, name ? name : "<catalogue>");
	if (ds_catalog_tree_read(&c->arena, file, data, len, &root, NULL, err))
		return -1;
	return ds_catalog__overlay_tree(c, file, root, err);
}

int ds_catalog_load_mem(struct ds_catalog **out, const char *name, const char *data,
			size_t len, struct ds_catalog_error *err)
{
	struct ds_catalog *c = ds_catalog__new();
	if (overlay(c, name, data, len, err)) {
		ds_catalog_free(c);
		*out = NULL;
		return -1;
	}
	*out = c;
	return 0;
}

int ds_catalog_overlay_mem(struct ds_catalog *c, const char *name, const char *data, size_t len,
			   struct ds_catalog_error *err)
{
	return overlay(c, name, data, len, err);
}

int ds_catalog_overlay_file(struct ds_catalog *c, const char *path,
			    struct ds_catalog_error *err)
{
	struct ds_buf b = DS_BUF_INIT;
	int e = 0;
	enum ds_file_status st = ds_file_read(path, 0, DS_CATALOG_MAX_FILE, &b, NULL, &e);
	if (st != DS_FILE_OK) {
		if (st == DS_FILE_TOO_BIG)
			ds_catalog__set_err(err, path, 0, 0, "\"%.128s\" is larger than %zu bytes", path,
					    (size_t)DS_CATALOG_MAX_FILE);
		else
			ds_catalog__set_err(err, path, 0, 0, "cannot open \"%.128s\": %s", path,
					    st == DS_FILE_DIR ? "is a directory" : strerror(e));
		ds_buf_release(&b);
		return -1;
	}
	int rc = overlay(c, path, b.buf ? b.buf : "", b.len, err);
	ds_buf_release(&b);
	return rc;
}

void ds_catalog_free(struct ds_catalog *c)
{
	if (!c)
		return;
	ds_arena_release(&c->arena);
	free(c);
}
