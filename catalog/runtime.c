/* runtime.c - what a runtime image holds: accounts, binaries, packages, paths, its reference. */
#include "catalog/catalog.h"

#include "catalog/internal.h"
#include "common/arena.h"

#include <stdlib.h>
#include <string.h>

const struct ds_catalog_tool *ds_catalog_tool(const struct ds_catalog *c, const char *cmd)
{
	const char *base = strrchr(cmd, '/');
	base = base ? base + 1 : cmd;
	for (size_t i = 0; i < c->t.n_tools; i++)
		if (strcmp(c->t.tools[i]->name, base) == 0)
			return c->t.tools[i];
	return NULL;
}

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ds_catalog__digit(s[i]))
			return false;
	return true;
}

static const struct ds_catalog_account *find_account(const struct ds_catalog_account *v,
						     size_t n, const char *s, size_t len)
{
	bool num = all_digits(s, len);
	unsigned long id = num && len <= 10 ? strtoul(s, NULL, 10) : 0;
	for (size_t i = 0; i < n; i++) {
		if (num ? len <= 10 && v[i].id == id
			: strlen(v[i].name) == len && memcmp(v[i].name, s, len) == 0)
			return &v[i];
	}
	return NULL;
}

const struct ds_catalog_account *ds_catalog_accounts_user(const struct ds_catalog_accounts *acc,
							  const char *name)
{
	return acc ? find_account(acc->users, acc->n_users, name, strlen(name)) : NULL;
}

const struct ds_catalog_account *ds_catalog_accounts_group(const struct ds_catalog_accounts *acc,
							   const char *name)
{
	return acc ? find_account(acc->groups, acc->n_groups, name, strlen(name)) : NULL;
}

const struct ds_catalog_account *ds_catalog_runtime_user(const struct ds_catalog_runtime *rt,
							 const char *name)
{
	return rt ? ds_catalog_accounts_user(rt->accounts, name) : NULL;
}

const struct ds_catalog_account *ds_catalog_runtime_group(const struct ds_catalog_runtime *rt,
							  const char *name)
{
	return rt ? ds_catalog_accounts_group(rt->accounts, name) : NULL;
}

int ds_catalog_runtime_has_user(const struct ds_catalog_runtime *rt, const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
	if (!ul)
		return 0;
	if (!all_digits(spec, ul) &&
	    !(rt->accounts &&
	      find_account(rt->accounts->users, rt->accounts->n_users, spec, ul)))
		return 0;
	if (!colon)
		return 1;
	const char *g = colon + 1;
	size_t gl = strlen(g);
	if (!gl)
		return 0;
	if (all_digits(g, gl))
		return 1;
	return rt->accounts &&
	       find_account(rt->accounts->groups, rt->accounts->n_groups, g, gl) != NULL;
}

/* Is binary b (absolute) found as bare cmd through the directories dirs? */
static bool on_path(const char *b, const char *cmd, const struct ds_strlist *dirs)
{
	const char *slash = strrchr(b, '/');
	if (!slash || strcmp(slash + 1, cmd) != 0)
		return false;
	size_t dl = (size_t)(slash - b);
	for (size_t i = 0; i < dirs->n; i++)
		if (strlen(dirs->v[i]) == dl && memcmp(dirs->v[i], b, dl) == 0)
			return true;
	return false;
}

int ds_catalog_runtime_has_binary(const struct ds_catalog_runtime *rt, const char *cmd,
				  bool debug)
{
	const struct ds_catalog_vendor *v = rt->vendor;
	static const struct ds_strlist none = { NULL, 0 };
	const struct ds_strlist *dbin = debug && v ? &v->debug_binaries : &none;
	if (!*cmd)
		return 0;
	if (strchr(cmd, '/')) {
		if (cmd[0] != '/')
			return 0; /* relative to WORKDIR: not something the runtime ships */
		return ds_catalog__list_has(&rt->binaries, cmd) || ds_catalog__list_has(dbin, cmd);
	}
	for (size_t i = 0; i < rt->binaries.n; i++)
		if (v && on_path(rt->binaries.v[i], cmd, &v->path))
			return 1;
	for (size_t i = 0; i < dbin->n; i++)
		if (on_path(dbin->v[i], cmd, &v->path) || on_path(dbin->v[i], cmd, &v->debug_path))
			return 1;
	return 0;
}

int ds_catalog_runtime_has_package(const struct ds_catalog_runtime *rt, const char *pkg)
{
	return ds_catalog__list_has(&rt->packages, pkg);
}

/* path is entry itself or one of its parent directories. */
static bool path_covers(const char *entry, const char *path, size_t pl)
{
	return strncmp(entry, path, pl) == 0 && (entry[pl] == '\0' || entry[pl] == '/');
}

int ds_catalog_runtime_has_path(const struct ds_catalog_runtime *rt, const char *path)
{
	size_t pl = strlen(path);
	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	if (pl == 1 && path[0] == '/')
		return 1;
	for (size_t i = 0; i < rt->paths.n; i++)
		if (path_covers(rt->paths.v[i], path, pl))
			return 1;
	for (size_t i = 0; i < rt->binaries.n; i++)
		if (path_covers(rt->binaries.v[i], path, pl))
			return 1;
	return 0;
}

int ds_catalog_runtime_is_entrypoint(const struct ds_catalog_runtime *rt, const char *cmd)
{
	if (rt->entrypoint.n && strcmp(rt->entrypoint.v[0], cmd) == 0)
		return 1;
	return ds_catalog__list_has(&rt->entrypoint_aliases, cmd);
}

char *ds_catalog_runtime_ref(const struct ds_catalog_runtime *rt, const char *debian,
			     const char *tag, struct ds_arena *a)
{
	const struct ds_catalog_vendor *v = rt->vendor;
	if (!tag)
		tag = rt->tag ? rt->tag : v && v->default_tag ? v->default_tag : "latest";
	if (!v || !v->default_debian)
		return ds_arena_printf(a, "%s:%s", rt->image, tag);
	const char *d = ds_catalog__pick_debian(rt, debian);
	if (!d)
		return NULL;
	return ds_arena_printf(a, "%s-debian%s:%s", rt->image, d, tag);
}
