/*
 * compose.c - the build context and stage a Compose file names for a Dockerfile, for audit.
 *
 * Docker Compose builds a service from `build:`: a context folder, a
 * Dockerfile relative to it and the stage to stop at (`target:`). A
 * Dockerfile audited on its own would be converted with its folder as
 * context and its last stage as final; the Compose file says what is
 * really built. Only the keys above are read, with libyaml through the
 * catalogue's tree reader; nothing in the file is run or interpolated.
 */
#include "cli/compose.h"

#include <stdbool.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/tree.h"
#include "cli/walk.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/path.h"
#include "common/str.h"

/* The most bytes of a Compose file read. */
#define COMPOSE_MAX (1024 * 1024)

static const char *const names[] = { "compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml" };

/* The value of key in mapping m, or NULL. */
static const struct ds_catalog_node *get(const struct ds_catalog_node *m, const char *key)
{
	if (!m || m->kind != DS_CATALOG_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const char *k = ds_catalog_node_text(ds_catalog_node_kid(m, i));
		if (k && !strcmp(k, key))
			return ds_catalog_node_kid(m, i + 1);
	}
	return NULL;
}

/* The text of scalar n, or NULL (also for one a converter must not read: a URL, a variable). */
static const char *plain(const struct ds_catalog_node *n)
{
	const char *t = n && n->kind == DS_CATALOG_SCALAR ? ds_catalog_node_text(n) : NULL;
	if (!t || !*t || strchr(t, '$') || strstr(t, "://") || ds_str_has_prefix(t, "git@"))
		return NULL;
	return t;
}

/* "../../" repeated up times followed by name. */
static const char *upward(struct ds_arena *a, unsigned up, const char *name)
{
	struct ds_buf b = DS_BUF_INIT;
	for (unsigned i = 0; i < up; i++)
		ds_buf_adds(&b, "../");
	ds_buf_adds(&b, name);
	const char *r = ds_arena_strdup(a, b.buf);
	ds_buf_release(&b);
	return r;
}

/* Normalised absolute path to, relative to normalised absolute folder from ("." when the same). */
static const char *relative(struct ds_arena *a, const char *from, const char *to)
{
	/* the longest common prefix that ends at a component boundary */
	size_t common = 0;
	for (size_t i = 0;; i++) {
		bool fe = !from[i] || from[i] == '/', te = !to[i] || to[i] == '/';
		if (fe && te)
			common = i;
		if (!from[i] || !to[i] || from[i] != to[i])
			break;
	}
	struct ds_buf b = DS_BUF_INIT;
	for (const char *p = from + common; *p; p++)
		if (*p == '/' && p[1])
			ds_buf_adds(&b, b.len ? "/.." : "..");
	const char *rest = to + common;
	if (*rest == '/')
		rest++;
	if (*rest)
		ds_buf_addf(&b, "%s%s", b.len ? "/" : "", rest);
	const char *r = ds_arena_strdup(a, b.len ? b.buf : ".");
	ds_buf_release(&b);
	return r;
}

/*
 * The service of Compose text (file fname in folder `folder`, up levels
 * above the Dockerfile's) that builds the Dockerfile at real path want.
 */
static int find_in(struct ds_arena *a, const char *folder, const char *fname, unsigned up, const char *text,
		   size_t len, const char *want, struct ds_compose_build *out)
{
	const struct ds_catalog_node *root;
	struct ds_catalog_error err;
	if (ds_catalog_tree_read(a, fname, text, len, &root, NULL, &err) < 0 || !root)
		return 0; /* anchors and aliases included: the tree reader refuses them */
	const struct ds_catalog_node *svcs = get(root, "services");
	if (!svcs || svcs->kind != DS_CATALOG_MAP)
		return 0;
	for (size_t i = 0; i + 1 < svcs->n; i += 2) {
		const char *service = ds_catalog_node_text(ds_catalog_node_kid(svcs, i));
		const struct ds_catalog_node *b = get(ds_catalog_node_kid(svcs, i + 1), "build");
		if (!service || !b)
			continue;
		const char *ctx = ".", *file = "Dockerfile", *target = NULL;
		if (b->kind == DS_CATALOG_SCALAR) {
			ctx = plain(b);
		} else if (b->kind == DS_CATALOG_MAP) {
			const struct ds_catalog_node *x;
			if ((x = get(b, "context")))
				ctx = plain(x);
			if ((x = get(b, "dockerfile")))
				file = plain(x);
			if (get(b, "dockerfile_inline"))
				continue;
			if ((x = get(b, "target")) && !(target = plain(x)))
				continue;
		} else {
			continue;
		}
		if (!ctx || !file)
			continue;
		const char *cdir = ds_path_join(a, folder, ctx);
		if (strcmp(ds_path_join(a, cdir, file), want))
			continue;
		out->file = upward(a, up, fname);
		out->service = ds_arena_strdup(a, service);
		out->context = cdir;
		out->target = target ? ds_arena_strdup(a, target) : NULL;
		out->context_rel = relative(a, ds_path_join(a, want, ".."), cdir);
		return 1;
	}
	return 0;
}

int ds_compose_find(struct ds_arena *a, const struct ds_walk_dir *dir, const char *name, struct ds_compose_build *out)
{
	memset(out, 0, sizeof *out);
	if (!dir || !dir->real || strchr(name, '/'))
		return 0;
	const char *want = ds_path_join(a, dir->real, name);
	unsigned up = 0;
	for (const struct ds_walk_dir *d = dir; d && d->real; d = d->parent, up++) {
		if (!(d->names & DS_WALK_COMPOSE))
			continue;
		for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
			struct ds_buf b = DS_BUF_INIT;
			int e;
			int found = ds_file_read(ds_path_join(a, d->real, names[k]), DS_FILE_REGULAR | DS_FILE_NOFOLLOW,
						 COMPOSE_MAX, &b, NULL, &e) == DS_FILE_OK &&
				    find_in(a, d->real, names[k], up, b.buf ? b.buf : "", b.len, want, out);
			ds_buf_release(&b);
			if (found)
				return 1;
		}
	}
	return 0;
}
