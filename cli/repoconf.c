/* repoconf.c - the configuration search of lint and audit, memoised per folder; see repoconf.h. */
#include "cli/repoconf.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cli/cli.h"
#include "cli/walk.h"
#include "common/buf.h"
#include "common/file.h"

/* What governs one folder: the nearest file of each kind at or above it. */
struct ds_repoconf_dir {
	const char *dir;       /* NULL: empty slot */
	const char *distill;   /* nearest .distill.y(a)ml, or NULL; in texts: the real path */
	const char *hadolint;  /* nearest .hadolint.y(a)ml, or NULL */
};

void ds_repoconf_init(struct ds_repoconf *rc)
{
	memset(rc, 0, sizeof *rc);
	ds_arena_init(&rc->strings);
}

/* What governs a folder a walk listed (ds_repoconf.found, at its id). */
struct ds_repoconf_found {
	const struct ds_walk_dir *d; /* NULL: not known yet */
	const char *distill, *hadolint;
};

void ds_repoconf_release(struct ds_repoconf *rc)
{
	free(rc->dirs);
	free(rc->texts);
	free(rc->found);
	ds_arena_release(&rc->strings);
	memset(rc, 0, sizeof *rc);
}

static struct ds_repoconf_dir *slot(struct ds_repoconf_dir *v, size_t cap, const char *dir)
{
	size_t i = (size_t)ds_file_hash(dir, strlen(dir)) & (cap - 1);
	while (v[i].dir && strcmp(v[i].dir, dir))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* A table of entries by dir: v[0..*cap), *n used. */
struct table {
	struct ds_repoconf_dir **v;
	size_t *n, *cap;
};

static struct ds_repoconf_dir *lookup(struct table t, const char *dir)
{
	if (!*t.cap)
		return NULL;
	struct ds_repoconf_dir *d = slot(*t.v, *t.cap, dir);
	return d->dir ? d : NULL;
}

/* A new entry for dir (not present); entries may move. */
static struct ds_repoconf_dir *insert(struct ds_repoconf *rc, struct table t, const char *dir)
{
	if (2 * (*t.n + 1) > *t.cap) {
		size_t cap = *t.cap ? 2 * *t.cap : 64;
		struct ds_repoconf_dir *v = ds_xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < *t.cap; i++)
			if ((*t.v)[i].dir)
				*slot(v, cap, (*t.v)[i].dir) = (*t.v)[i];
		free(*t.v);
		*t.v = v;
		*t.cap = cap;
	}
	struct ds_repoconf_dir *d = slot(*t.v, *t.cap, dir);
	d->dir = ds_arena_strdup(&rc->strings, dir);
	(*t.n)++;
	return d;
}

#define DIRS(rc) ((struct table){ &(rc)->dirs, &(rc)->ndirs, &(rc)->capdirs })
#define TEXTS(rc) ((struct table){ &(rc)->texts, &(rc)->ntexts, &(rc)->captexts })

/* Folder paths collected while going up, resolved afterwards top down. */
struct chain {
	char **v;
	size_t n, cap;
};

static void chain_push(struct chain *c, const char *dir)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->v = ds_xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = ds_xstrdup(dir);
}

/* Frees what is left of the chain. */
static void chain_release(struct chain *c)
{
	while (c->n)
		free(c->v[--c->n]);
	free(c->v);
}

/* The first of two names present in dir (anything but a folder), as a path; NULL when neither. */
static const char *present(struct ds_repoconf *rc, const char *dir, const char *a, const char *b)
{
	const char *names[2] = { a, b };
	bool root = !strcmp(dir, "/");
	for (size_t k = 0; k < 2; k++) {
		char p[PATH_MAX + 32];
		snprintf(p, sizeof p, "%s/%s", root ? "" : dir, names[k]);
		struct stat st;
		if (lstat(p, &st) == 0 && !S_ISDIR(st.st_mode))
			return ds_arena_strdup(&rc->strings, p);
	}
	return NULL;
}

/* The nearest files of each kind for the real folder dir (memoised). */
static void find_both(struct ds_repoconf *rc, const char *dir, const char **out_distill, const char **out_hadolint);

const char *ds_repoconf_find(struct ds_repoconf *rc, const char *dir, enum ds_config_dialect *dialect)
{
	const char *distill, *hadolint;
	find_both(rc, dir, &distill, &hadolint);
	if (distill) {
		*dialect = DS_CONFIG_DISTILL;
		return distill;
	}
	*dialect = DS_CONFIG_HADOLINT;
	return hadolint;
}

static void find_both(struct ds_repoconf *rc, const char *dir, const char **out_distill, const char **out_hadolint)
{
	/* the folders from dir up to the first one already known (or the root), looked at top down */
	struct chain c = { 0 };
	struct ds_repoconf_dir *known = NULL;
	char cur[PATH_MAX];
	snprintf(cur, sizeof cur, "%s", dir);
	for (;;) {
		if ((known = lookup(DIRS(rc), cur)))
			break;
		chain_push(&c, cur);
		char *slash = strrchr(cur, '/');
		if (!slash || !strcmp(cur, "/"))
			break;
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	/* values, not the entry: inserting may move the table */
	const char *up_distill = known ? known->distill : NULL, *up_hadolint = known ? known->hadolint : NULL;
	while (c.n) {
		char *d = c.v[--c.n];
		const char *distill = present(rc, d, ".distill.yaml", ".distill.yml");
		const char *hadolint = present(rc, d, ".hadolint.yaml", ".hadolint.yml");
		if (distill)
			up_distill = distill;
		if (hadolint)
			up_hadolint = hadolint;
		struct ds_repoconf_dir *e = insert(rc, DIRS(rc), d);
		e->distill = up_distill;
		e->hadolint = up_hadolint;
		free(d);
	}
	chain_release(&c);
	*out_distill = up_distill;
	*out_hadolint = up_hadolint;
}

/* Whether the last component of a written folder path is "", "." or "..": resolve it whole. */
static bool special_base(const char *dir)
{
	const char *b = strrchr(dir, '/');
	b = b ? b + 1 : dir;
	return !*b || !strcmp(b, ".") || !strcmp(b, "..");
}

/*
 * The real path of the folder written as dir, memoised: a folder whose
 * written parent is known and which is a plain folder (lstat) is its
 * parent's real path plus its name; anything else goes through realpath.
 */
static const char *real_dir(struct ds_repoconf *rc, const char *dir)
{
	struct ds_repoconf_dir *e = lookup(TEXTS(rc), dir);
	if (e)
		return e->distill;
	/* the written ancestors up to a known one, or one realpath must resolve */
	struct chain c = { 0 };
	const char *real = NULL;
	char cur[PATH_MAX];
	snprintf(cur, sizeof cur, "%s", dir);
	for (;;) {
		chain_push(&c, cur);
		char *slash = strrchr(cur, '/');
		if (!slash || slash == cur || special_base(cur))
			break; /* "name", "/name", ".", "..": the top of the chain is resolved with realpath */
		*slash = '\0';
		if ((e = lookup(TEXTS(rc), cur))) {
			real = e->distill;
			break;
		}
	}
	while (c.n) {
		char *d = c.v[--c.n];
		char buf[PATH_MAX];
		struct stat st;
		const char *name = strrchr(d, '/');
		name = name ? name + 1 : d;
		if (real && lstat(d, &st) == 0 && S_ISDIR(st.st_mode) &&
		    snprintf(buf, sizeof buf, "%s/%s", strcmp(real, "/") ? real : "", name) < (int)sizeof buf)
			real = ds_arena_strdup(&rc->strings, buf);
		else
			real = realpath(d, buf) ? ds_arena_strdup(&rc->strings, buf) : NULL;
		if (real)
			insert(rc, TEXTS(rc), d)->distill = real;
		free(d);
		if (!real)
			break;
	}
	chain_release(&c);
	return real;
}

/* The real folder of the Dockerfile at path ("-": the current folder), in buf or rc's arena; NULL when unknown. */
static const char *folder_of(struct ds_repoconf *rc, const char *path, char *buf, size_t cap)
{
	if (!strcmp(path, "-"))
		return getcwd(buf, cap);
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(buf, cap, ".");
	else
		snprintf(buf, cap, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return real_dir(rc, buf);
}

const char *ds_repoconf_find_for(struct ds_repoconf *rc, const char *path, enum ds_config_dialect *dialect)
{
	char dir[PATH_MAX];
	const char *real = folder_of(rc, path, dir, sizeof dir);
	return real ? ds_repoconf_find(rc, real, dialect) : NULL;
}

void ds_repoconf_find_both_for(struct ds_repoconf *rc, const char *path, const char **distill, const char **hadolint)
{
	*distill = *hadolint = NULL;
	char dir[PATH_MAX];
	const char *real = folder_of(rc, path, dir, sizeof dir);
	if (real)
		find_both(rc, real, distill, hadolint);
}

/* The first of two config names a listed folder holds (bits a, b of names), as a path; NULL when neither. */
static const char *listed(struct ds_repoconf *rc, const char *dir, unsigned names, unsigned a, const char *na,
			  unsigned b, const char *nb)
{
	const char *n = names & a ? na : names & b ? nb : NULL;
	return n ? ds_arena_printf(&rc->strings, "%s/%s", strcmp(dir, "/") ? dir : "", n) : NULL;
}

/* The answers memoised for the listed folder d (at its id: no path to hash), or NULL. */
static const struct ds_repoconf_found *listed_known(const struct ds_repoconf *rc, const struct ds_walk_dir *d)
{
	return d->id < rc->capfound && rc->found[d->id].d == d ? &rc->found[d->id] : NULL;
}

static void listed_remember(struct ds_repoconf *rc, const struct ds_walk_dir *d, const char *distill,
			    const char *hadolint)
{
	rc->found = ds_xgrow_zeroed(rc->found, sizeof *rc->found, d->id, &rc->capfound, 64);
	rc->found[d->id] = (struct ds_repoconf_found){ d, distill, hadolint };
}

/*
 * find_both() for the listed folder d (with its real path): the listed
 * folders from d up to the first one already known are taken from their
 * listings, top down; above the walk's top, find_both() looks.
 */
static void find_both_listed(struct ds_repoconf *rc, const struct ds_walk_dir *d, const char **out_distill,
			     const char **out_hadolint)
{
	const struct ds_walk_dir **chain = NULL;
	size_t n = 0, cap = 0;
	const struct ds_repoconf_found *known = NULL;
	for (; d; d = d->parent) {
		if ((known = listed_known(rc, d)))
			break;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			chain = ds_xrealloc(chain, cap * sizeof *chain);
		}
		chain[n++] = d;
	}
	const char *up_distill = NULL, *up_hadolint = NULL;
	if (known) {
		up_distill = known->distill;
		up_hadolint = known->hadolint;
	} else if (strcmp(chain[n - 1]->real, "/")) {
		/* the folder above the walk's top, which no listing covers */
		const char *top = chain[n - 1]->real, *slash = strrchr(top, '/');
		if (slash) {
			char *parent = slash == top ? ds_xstrdup("/") : ds_xstrdup(top);
			if (slash != top)
				parent[slash - top] = '\0';
			find_both(rc, parent, &up_distill, &up_hadolint);
			free(parent);
		}
	}
	while (n) {
		d = chain[--n];
		const char *distill =
			listed(rc, d->real, d->names, DS_WALK_DISTILL_YAML, ".distill.yaml", DS_WALK_DISTILL_YML, ".distill.yml");
		const char *hadolint = listed(rc, d->real, d->names, DS_WALK_HADOLINT_YAML, ".hadolint.yaml",
					      DS_WALK_HADOLINT_YML, ".hadolint.yml");
		if (distill)
			up_distill = distill;
		if (hadolint)
			up_hadolint = hadolint;
		listed_remember(rc, d, up_distill, up_hadolint);
	}
	free(chain);
	*out_distill = up_distill;
	*out_hadolint = up_hadolint;
}

const char *ds_repoconf_find_walked(struct ds_repoconf *rc, const char *path, const struct ds_walk_dir *d,
				    enum ds_config_dialect *dialect)
{
	if (!d || !d->real)
		return ds_repoconf_find_for(rc, path, dialect);
	const char *distill, *hadolint;
	find_both_listed(rc, d, &distill, &hadolint);
	*dialect = distill ? DS_CONFIG_DISTILL : DS_CONFIG_HADOLINT;
	return distill ? distill : hadolint;
}

void ds_repoconf_find_both_walked(struct ds_repoconf *rc, const char *path, const struct ds_walk_dir *d,
				  const char **distill, const char **hadolint)
{
	if (!d || !d->real)
		ds_repoconf_find_both_for(rc, path, distill, hadolint);
	else
		find_both_listed(rc, d, distill, hadolint);
}

int ds_repoconf_catalog_quiet(const struct ds_config *cfg, struct ds_catalog **cat, struct ds_catalog_error *err)
{
	memset(err, 0, sizeof *err);
	if (ds_catalog_load_builtin(cat, err))
		return -1;
	if (!cfg || !cfg->mappings)
		return 0;
	struct ds_buf b = DS_BUF_INIT;
	struct ds_config_error cerr;
	int rc = 0;
	if (ds_config_read_mappings(cfg, &b, &cerr)) {
		snprintf(err->file, sizeof err->file, "%s", cerr.file);
		err->line = cerr.line;
		err->col = cerr.col;
		snprintf(err->msg, sizeof err->msg, "%s", cerr.msg);
		rc = -1;
	} else if (ds_catalog_overlay_mem(*cat, cfg->mappings, b.buf ? b.buf : "", b.len, err)) {
		rc = -1;
	}
	ds_buf_release(&b);
	if (rc) {
		ds_catalog_free(*cat);
		*cat = NULL;
	}
	return rc;
}

int ds_repoconf_catalog(const struct ds_config *cfg, struct ds_catalog **cat)
{
	struct ds_catalog_error err;
	if (ds_repoconf_catalog_quiet(cfg, cat, &err)) {
		ds_print_located(stderr, err.file, err.line, err.col, "error", err.msg);
		return -1;
	}
	return 0;
}
