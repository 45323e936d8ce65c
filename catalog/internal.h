/* internal.h - the catalogue's private tables, shared by the files of catalog/ only. */
#ifndef DS_CATALOG_INTERNAL_H
#define DS_CATALOG_INTERNAL_H

#include "catalog/catalog.h"
#include "catalog/tree.h"
#include "common/arena.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Nothing here is part of the API: these are the typed tables the loader
 * (load.c) builds from a node tree and the queries read. Symbols shared
 * between the files of catalog/ are named ds_catalog__<verb>.
 */

/* The vendors, in the order of the catalogue's tables. */
enum { V_DISTROLESS, V_CHAINGUARD, V_CHISELED, V_UBI_MICRO, V__COUNT };

struct rt_def {
	struct ds_catalog_runtime pub; /* resolved view; stays first */
	const char *file;
	unsigned line, col;
	/* what the file says */
	const char *extends, *image, *language, *version, *user, *accounts, *chainguard, *builder, *tag, *launcher;
	enum ds_libc libc;
	struct ds_strlist debian, entrypoint, aliases, packages, binaries, paths, replaces, keep, carry;
	bool has_debian, has_entrypoint, has_aliases, has_replaces;
	const struct ds_catalog_difference *diffs;
	size_t n_diffs;
	bool is_default;
	/* resolution */
	const char *r_accounts, *r_chainguard;
	int state;
};

/* An `accounts` entry: what the file says, and the resolved view. */
struct acc_def {
	struct ds_catalog_accounts pub; /* resolved view; stays first */
	const char *extends;
	const struct ds_catalog_account *users, *groups;
	size_t n_users, n_groups;
	const char *nonroot;
	const char *file;
	unsigned line, col;
	unsigned nonroot_line, nonroot_col;
	int state;
};

struct vendor_set {
	bool registry, default_debian, default_tag, match, path, arch, tags, debug_path,
		debug_binaries, shell;
};

struct vendor {
	struct ds_catalog_vendor pub;
	const char *home;       /* the registry the builtin catalogue names (its images entries use it);
				 * an overlay may move pub.registry to a mirror */
	struct rt_def **rt;
	size_t n_rt;
	const struct ds_catalog_runtime **rt_pub;
};

enum vsrc { VS_LIT, VS_TAG, VS_NAME };

struct vspec {
	enum vsrc src;
	bool minor;
	const char *marker; /* NULL: the leading number */
	const char *lit;
};

struct vspecs {
	const struct vspec *v;
	size_t n;
};

enum rkind { RK_UNSET, RK_NAME, RK_AUTO, RK_BINARY };

/*
 * The first two and the last two characters a name matching one glob of a
 * list may have, each pair hashed into a bit set (every bit when a glob
 * starts or ends with a wildcard or a class, or the list is empty). A query
 * goes through hundreds of rules for one name: this rejects most of them
 * in two bit tests (ds_catalog__hint_maybe) before any glob is matched.
 */
struct glob_hint {
	unsigned char first[32], last[32];
};

/* A name as the hints see it: the hashes of its first two and last two characters. */
struct glob_key {
	unsigned char first, last;
};

struct rule {
	struct ds_strlist image, tag;
	struct glob_hint image_hint;
	bool has_family, has_libc, has_lang, has_target;
	enum ds_family family;
	enum ds_libc libc;
	struct vspecs release;
	const char *language;
	struct vspecs version;
	enum rkind rk;
	const char *runtime, *rt_static, *rt_dynamic, *no_runtime, *suggest;
	const struct ds_catalog_runtime *r_rt, *r_static, *r_dynamic;
	int shell; /* -1 unset */
	bool stop;
	const char *file;
	unsigned line, col;
};

struct status_rule {
	struct ds_strlist image, tag;
	struct glob_hint image_hint;
	enum ds_image_status status;
	const char *message, *replacement;
};

struct a2d {
	struct ds_strlist image;
	const char *name; /* replaces the last path component, or NULL */
	const char *tag;  /* template */
	bool sibling;     /* every Alpine tag has this Debian-based sibling */
};

/* A name and the Debian packages for it: an Alpine package (apk_to_apt), a shared library (sonames). */
struct apk {
	const char *name;
	struct ds_strlist apt;
};

/* Which fields of an image configuration an `images` entry sets. */
enum {
	IC_USER = 1 << 0,
	IC_WORKDIR = 1 << 1,
	IC_ENV = 1 << 2,
	IC_ENTRYPOINT = 1 << 3,
	IC_CMD = 1 << 4,
	IC_EXPOSE = 1 << 5,
	IC_VOLUMES = 1 << 6,
	IC_STOPSIGNAL = 1 << 7,
	IC_HEALTHCHECK = 1 << 8,
	IC_ACCOUNTS = 1 << 9,
};

/* One entry of `images`: what images matching the globs start with. */
struct image_rule {
	struct ds_strlist image, tag;
	struct glob_hint image_hint;
	unsigned set; /* IC_* */
	const char *user, *workdir, *stopsignal, *accounts;
	struct ds_strlist env, entrypoint, cmd, expose, volumes, healthcheck, binaries;
	const struct ds_catalog_accounts *r_accounts;
	bool stop;
	const char *file;
	unsigned line, col;
};

/* A codename a version line was published with, and for which versions. */
struct line_codename {
	const char *codename;
	const struct ds_catalog_release *release; /* resolved */
	const char *from, *to; /* full versions: first and last published; to NULL
				* while still published; both NULL when unknown */
	unsigned line, col;
};

/* One version line of an image ("22", "1.23"). */
struct version_line {
	const char *version;
	const char *dflt; /* codename of the plain tag, or NULL */
	struct line_codename *cn; /* resolve() fills in each release */
	size_t n_cn;
};

struct alias {
	const char *word, *version;
};

/* One entry of `versions`: the tags an image publishes. */
struct version_rule {
	struct ds_strlist image;
	unsigned depth; /* 1: lines are majors, 2: minors */
	const struct alias *aliases;
	size_t n_aliases;
	const struct version_line *lines;
	size_t n_lines;
	const char *file;
	unsigned line, col;
};

struct tables {
	const char *date; /* YYYY-MM-DD, or NULL */
	struct ds_catalog_release **rel;
	size_t n_rel;
	struct acc_def **acc;
	size_t n_acc;
	struct vendor vend[V__COUNT];
	struct vendor_set vset[V__COUNT]; /* in a layer: which vendor settings it sets */
	struct rule **rules;
	size_t n_rules;
	struct status_rule **st;
	size_t n_st;
	struct a2d **a2d;
	size_t n_a2d;
	struct apk **apk;
	size_t n_apk;
	struct apk **sonames;
	size_t n_sonames;
	struct apk **console; /* console_scripts: a script and the module `python -m` runs alike */
	size_t n_console;
	struct ds_catalog_tool **tools;
	size_t n_tools;
	struct image_rule **img;
	size_t n_img;
	struct version_rule **ver;
	size_t n_ver;
};

struct ds_catalog {
	struct ds_arena arena;
	struct tables t;
};


#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* load.c */
/* Fills *err (when not NULL) with a located message. */
void ds_catalog__set_err(struct ds_catalog_error *err, const char *file, unsigned line,
			 unsigned col, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* An empty catalogue (free it with ds_catalog_free). */
struct ds_catalog *ds_catalog__new(void);
/*
 * Checks the tree root against the schema and merges it into c: 0, or -1
 * with *err filled and c unchanged. name is the file name for errors. The
 * tables point into the tree's texts, so root (and name) must live as long
 * as c: the builtin tree is static, a user file's is in c's arena.
 */
int ds_catalog__overlay_tree(struct ds_catalog *c, const char *name,
			     const struct ds_catalog_node *root, struct ds_catalog_error *err);
const struct rt_def *ds_catalog__find_runtime(const struct vendor *v, const char *name);

/* glob.c: * any run, ? one character, [a-z] / [!a-z] classes. */
bool ds_catalog__glob_match(const char *p, const char *s);
/* Whether one glob of g matches s; an empty g matches everything. */
bool ds_catalog__globs_match(const struct ds_strlist *g, const char *s);
bool ds_catalog__list_has(const struct ds_strlist *l, const char *s);
/* Fills h for the globs of g (set them first). */
void ds_catalog__glob_hint(struct glob_hint *h, const struct ds_strlist *g);
/* The key of name s for ds_catalog__hint_maybe. */
struct glob_key ds_catalog__glob_key(const char *s);

/* False when no glob of h's list can match the name of key k. */
static inline bool ds_catalog__hint_maybe(const struct glob_hint *h, struct glob_key k)
{
	return (h->first[k.first >> 3] >> (k.first & 7) & 1) && (h->last[k.last >> 3] >> (k.last & 7) & 1);
}

static inline bool ds_catalog__digit(char c)
{
	return c >= '0' && c <= '9';
}

/* query.c */
/*
 * The Debian release ("13") rt is taken from: debian when published, else
 * NULL; with debian NULL the vendor's default when published, else the newest.
 */
const char *ds_catalog__pick_debian(const struct ds_catalog_runtime *rt, const char *debian);
/* Replaces every "{key}" in t by val; t itself when it has none. */
const char *ds_catalog__expand(struct ds_arena *a, const char *t, const char *key,
			       const char *val);
/* The rule of vendor v's tags that tag (maybe with an architecture suffix) matches, or NULL. */
const struct ds_catalog_tagrule *ds_catalog__vendor_tag(const struct ds_catalog_vendor *v,
							const char *tag, struct ds_arena *a);
/*
 * The vendor part of ds_catalog_classify() alone (vendor, self, debian,
 * tag_known, subscription, debug, user, nonroot, libc and the shell of a
 * vendor's tag; the rest as memset, shell -1): what an image's
 * configuration needs, without the rules' scan. ref is neither NULL nor
 * scratch.
 */
void ds_catalog__classify_vendor(const struct ds_catalog *c, const struct ds_imageref *ref,
				 struct ds_arena *a, struct ds_image_class *out);
/* Length of name without a "-debianNN" suffix; *deb_at gets "NN" or NULL. */
size_t ds_catalog__strip_debian(const char *name, const char **deb_at, size_t *deb_len);

#endif
