/*
 * repoconf.h - which configuration file governs a Dockerfile: the search
 * upward from its folder that lint and audit share (memoised per folder,
 * so a tree of thousands of folders costs a few stat calls per folder, and
 * none for the folders a walk has listed), and the catalogue a
 * configuration's `mappings` gives.
 */
#ifndef DS_CLI_REPOCONF_H
#define DS_CLI_REPOCONF_H

#include <stddef.h>

#include "common/arena.h"
#include "rules/config.h"

struct ds_catalog;
struct ds_catalog_error;
struct ds_repoconf_dir;
struct ds_repoconf_found;
struct ds_walk_dir;

/* The memo of folders looked at; ds_repoconf_release() frees it. */
struct ds_repoconf {
	struct ds_repoconf_dir *dirs; /* open addressing by real folder path */
	size_t ndirs, capdirs;
	struct ds_repoconf_dir *texts; /* folder as written -> its real path */
	size_t ntexts, captexts;
	struct ds_repoconf_found *found; /* by a walk's folder id (struct ds_walk_dir) */
	size_t capfound;
	struct ds_arena strings;
};

void ds_repoconf_init(struct ds_repoconf *rc);
void ds_repoconf_release(struct ds_repoconf *rc);

/*
 * The configuration file for a Dockerfile in the real (resolved) folder
 * dir: the nearest .distill.yaml or .distill.yml in dir or above it, else
 * the nearest .hadolint.yaml or .hadolint.yml; a .distill file anywhere
 * above wins over a nearer .hadolint one. Any entry with such a name that
 * is not a folder counts (a FIFO or a link out of the repository is then
 * refused by ds_config_load_found, not silently skipped). Returns the path
 * (in rc's arena) with *dialect set, or NULL when no file governs dir.
 */
const char *ds_repoconf_find(struct ds_repoconf *rc, const char *dir, enum ds_config_dialect *dialect);

/*
 * ds_repoconf_find() for the Dockerfile at path ("-": one in the current
 * folder). Its folder is resolved once per folder as written: a folder
 * whose parent is known and which is not a symbolic link costs one lstat,
 * not a realpath. NULL also when the folder cannot be resolved.
 */
const char *ds_repoconf_find_for(struct ds_repoconf *rc, const char *path, enum ds_config_dialect *dialect);

/*
 * ds_repoconf_find_for() for the Dockerfile at path found by a walk in the
 * folder d (cli/walk.h): what d and the listed folders above it hold is
 * known from their listings, so only the folders above the walk's top are
 * looked at with lstat (once each, as ever). The same answer as
 * ds_repoconf_find_for(), which it falls back on when d is NULL or has no
 * real path.
 */
const char *ds_repoconf_find_walked(struct ds_repoconf *rc, const char *path, const struct ds_walk_dir *d,
				    enum ds_config_dialect *dialect);

/*
 * Both configurations that govern the Dockerfile at path: the nearest
 * .distill.yaml (or .yml) in *distill and the nearest .hadolint.yaml (or
 * .yml) in *hadolint, each NULL when there is none. lint reads both, the
 * hadolint file first, so that distill's keys win.
 */
void ds_repoconf_find_both_for(struct ds_repoconf *rc, const char *path, const char **distill, const char **hadolint);

/* ds_repoconf_find_both_for() for a file found by a walk in folder d, as ds_repoconf_find_walked(). */
void ds_repoconf_find_both_walked(struct ds_repoconf *rc, const char *path, const struct ds_walk_dir *d,
				  const char **distill, const char **hadolint);

/*
 * Loads the builtin catalogue into *cat and overlays cfg's mappings, read
 * with ds_config_read_mappings (so a found configuration's limits hold).
 * On failure prints a located error, leaves *cat NULL and returns -1.
 */
int ds_repoconf_catalog(const struct ds_config *cfg, struct ds_catalog **cat);

/*
 * As ds_repoconf_catalog(), but prints nothing: on failure fills *err with
 * the file, line and column at fault and the message (for the language
 * server, which shows it on the document).
 */
int ds_repoconf_catalog_quiet(const struct ds_config *cfg, struct ds_catalog **cat, struct ds_catalog_error *err);

#endif
