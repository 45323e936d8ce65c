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
#include "common/buf.h"
#include "common/file.h"

/* What governs one folder: the nearest file of each kind at or above it. */
struct ds_repoconf_dir {
	const char *dir;       /* NULL: empty slot */
	const char *distill;   /* nearest .distill.y(a)ml, or NULL */
	const char *hadolint;  /* nearest .hadolint.y(a)ml, or NULL */
};

void ds_repoconf_init(struct ds_repoconf *rc)
{
	memset(rc, 0, sizeof *rc);
	ds_arena_init(&rc->strings);
}

void ds_repoconf_release(struct ds_repoconf *rc)
{
	free(rc->dirs);
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

static struct ds_repoconf_dir *lookup(struct ds_repoconf *rc, const char *dir)
{
	if (!rc->capdirs)
		return NULL;
	struct ds_repoconf_dir *d = slot(rc->dirs, rc->capdirs, dir);
	return d->dir ? d : NULL;
}

static struct ds_repoconf_dir *insert(struct ds_repoconf *rc, const char *dir)
{
	if (2 * (rc->ndirs + 1) > rc->capdirs) {
		size_t cap = rc->capdirs ? 2 * rc->capdirs : 64;
		struct ds_repoconf_dir *v = ds_xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < rc->capdirs; i++)
			if (rc->dirs[i].dir)
				*slot(v, cap, rc->dirs[i].dir) = rc->dirs[i];
		free(rc->dirs);
		rc->dirs = v;
		rc->capdirs = cap;
	}
	struct ds_repoconf_dir *d = slot(rc->dirs, rc->capdirs, dir);
	d->dir = ds_arena_strdup(&rc->strings, dir);
	rc->ndirs++;
	return d;
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

const char *ds_repoconf_find(struct ds_repoconf *rc, const char *dir, enum ds_config_dialect *dialect)
{
	/* the folders from dir up to the first one already known (or the root), looked at top down */
	char **chain = NULL;
	size_t n = 0, cap = 0;
	struct ds_repoconf_dir *known = NULL;
	char cur[PATH_MAX];
	snprintf(cur, sizeof cur, "%s", dir);
	for (;;) {
		if ((known = lookup(rc, cur)))
			break;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			chain = ds_xrealloc(chain, cap * sizeof *chain);
		}
		chain[n++] = ds_xstrdup(cur);
		char *slash = strrchr(cur, '/');
		if (!slash || !strcmp(cur, "/"))
			break;
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	while (n) {
		char *d = chain[--n];
		const char *distill = present(rc, d, ".distill.yaml", ".distill.yml");
		const char *hadolint = present(rc, d, ".hadolint.yaml", ".hadolint.yml");
		struct ds_repoconf_dir *e = insert(rc, d);
		e->distill = distill ? distill : known ? known->distill : NULL;
		e->hadolint = hadolint ? hadolint : known ? known->hadolint : NULL;
		known = e;
		free(d);
	}
	free(chain);
	if (known->distill) {
		*dialect = DS_CONFIG_DISTILL;
		return known->distill;
	}
	*dialect = DS_CONFIG_HADOLINT;
	return known->hadolint;
}

int ds_repoconf_dir_of(const char *path, char *out, size_t cap)
{
	char buf[PATH_MAX];
	if (!strcmp(path, "-"))
		return getcwd(out, cap) ? 0 : -1;
	const char *slash = strrchr(path, '/');
	char rel[PATH_MAX];
	if (!slash)
		snprintf(rel, sizeof rel, ".");
	else
		snprintf(rel, sizeof rel, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (!realpath(rel, buf) || strlen(buf) >= cap)
		return -1;
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}

int ds_repoconf_catalog(const struct ds_config *cfg, struct ds_catalog **cat)
{
	struct ds_catalog_error ce;
	memset(&ce, 0, sizeof ce);
	if (ds_catalog_load_builtin(cat, &ce)) {
		ds_print_located(stderr, ce.file, ce.line, ce.col, "error", ce.msg);
		return -1;
	}
	if (!cfg || !cfg->mappings)
		return 0;
	struct ds_buf b = DS_BUF_INIT;
	struct ds_config_error err;
	int rc = 0;
	if (ds_config_read_mappings(cfg, &b, &err)) {
		ds_print_located(stderr, err.file, err.line, err.col, "error", err.msg);
		rc = -1;
	} else if (ds_catalog_overlay_mem(*cat, cfg->mappings, b.buf ? b.buf : "", b.len, &ce)) {
		ds_print_located(stderr, ce.file, ce.line, ce.col, "error", ce.msg);
		rc = -1;
	}
	ds_buf_release(&b);
	if (rc) {
		ds_catalog_free(*cat);
		*cat = NULL;
	}
	return rc;
}
