/* catalog.h - the image knowledge: runtimes, source-image rules, releases, mappings. */
#ifndef DS_CATALOG_CATALOG_H
#define DS_CATALOG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

struct ds_arena;
struct ds_imageref;

/*
 * The catalogue is loaded from catalog/builtin.yaml (compiled into the
 * binary at build time; its header comment documents the schema) and
 * optionally overlaid with user files of the same schema, read with libyaml. Once loading is over it is immutable: every
 * query below only reads it, so any number of threads may query one
 * catalogue at once. Every pointer a query returns into the catalogue lives
 * until ds_catalog_free(); strings a query builds live in the caller's
 * arena.
 */
struct ds_catalog;

/* Where and why a catalogue file was rejected. line and col are 1-based. */
struct ds_catalog_error {
	char file[256];
	unsigned line, col;
	char msg[256]; /* lower case, subject in quotes, no final full stop */
};

enum ds_family {
	DS_FAMILY_UNKNOWN,
	DS_FAMILY_ALPINE,
	DS_FAMILY_DEBIAN,
	DS_FAMILY_UBUNTU,
	DS_FAMILY_RPM,
	DS_FAMILY_DISTROLESS,
	DS_FAMILY_CHAINGUARD,
	DS_FAMILY_SCRATCH,
	DS_FAMILY_WINDOWS,
	DS_FAMILY_BUSYBOX,
};

enum ds_libc {
	DS_LIBC_UNKNOWN,
	DS_LIBC_MUSL,
	DS_LIBC_GLIBC,
	DS_LIBC_NONE,
};

enum ds_image_status {
	DS_STATUS_UNKNOWN,    /* the catalogue says nothing about this image */
	DS_STATUS_CURRENT,    /* published and updated */
	DS_STATUS_DEPRECATED, /* still pullable, no longer updated or advised */
	DS_STATUS_REMOVED,    /* no longer published */
};

/* What a converter should move an image's stage onto. */
enum ds_target {
	DS_TARGET_UNKNOWN, /* the catalogue has no advice */
	DS_TARGET_RUNTIME, /* runtime (and static_runtime/dynamic_runtime) */
	DS_TARGET_BINARY,  /* decided by the binary the stage runs */
	DS_TARGET_BUMP,    /* the language version has no runtime: runtime is the
			    * nearest newer one, or NULL; reason says why */
	DS_TARGET_NONE,    /* no runtime fits: reason, and maybe suggest */
};

enum ds_tool_kind {
	DS_TOOL_SHELL,
	DS_TOOL_PACKAGE_MANAGER,
	DS_TOOL_DOWNLOADER,
	DS_TOOL_RUNNER,
};

/* "alpine", "debian", ... as spelled in the catalogue. */
const char *ds_family_name(enum ds_family f);
/* "unknown", "musl", "glibc", "none". */
const char *ds_libc_name(enum ds_libc l);
/* "unknown", "current", "deprecated", "removed". */
const char *ds_image_status_name(enum ds_image_status s);

/* A read-only list of strings. */
struct ds_strlist {
	const char *const *v;
	size_t n;
};

struct ds_catalog_release {
	const char *codename;  /* "bookworm" */
	const char *distro;    /* "debian", "ubuntu" */
	enum ds_family family; /* DS_FAMILY_DEBIAN or DS_FAMILY_UBUNTU */
	const char *version;   /* "12", "24.04" */
	const char *glibc;     /* "2.36", or NULL when unknown */
	bool archived;         /* its packages left the mirrors: apt-get update fails in its images */
};

struct ds_catalog_account {
	const char *name;
	unsigned long id;
};

/* The /etc/passwd and /etc/group of an image family. */
struct ds_catalog_accounts {
	const char *name;
	const struct ds_catalog_account *users;
	size_t n_users;
	const struct ds_catalog_account *groups;
	size_t n_groups;
	const char *nonroot; /* the account to run as instead of unknown users */
};

/* How a vendor's tag reads: debug tags have a shell; user overrides who runs. */
struct ds_catalog_tagrule {
	const char *match; /* glob on the tag without its architecture suffix */
	bool debug;
	const char *user;  /* NULL: the runtime's user */
	bool subscription; /* published to paying subscribers only */
};

/*
 * A way a runtime that replaces an image behaves differently from it, which
 * a conversion onto it declares (kind: a change kind's name, "user").
 */
struct ds_catalog_difference {
	const char *kind;
	const char *text;   /* what changes, lower case */
	const char *unless; /* an absolute path: not when the final stage writes it, or NULL */
};

/* A vendor of shell-free images: "distroless" or "chainguard". */
struct ds_catalog_vendor {
	const char *name;
	const char *registry;       /* "gcr.io/distroless" */
	const char *default_debian; /* "13"; NULL for chainguard */
	const char *default_tag;    /* the tag a converter writes */
	struct ds_strlist match;    /* globs on image names of this vendor */
	struct ds_strlist path;     /* PATH directories */
	struct ds_strlist arch_suffixes;
	const struct ds_catalog_tagrule *tags;
	size_t n_tags;
	struct ds_strlist debug_path, debug_binaries;
	bool shell; /* its images carry a shell (UBI micro: no package manager, but bash),
		     * so a converter offers them only when asked for by name */
};

/* One runtime image (inheritance already applied). */
struct ds_catalog_runtime {
	const char *name;                      /* "nodejs22", "static", "node" */
	const struct ds_catalog_vendor *vendor;
	const char *image;                     /* "gcr.io/distroless/nodejs22" */
	struct ds_strlist debian;              /* releases published: "13" (distroless) */
	const char *language, *version;        /* "node", "22"; NULL for none */
	enum ds_libc libc;
	struct ds_strlist entrypoint;          /* empty when the image has none */
	struct ds_strlist entrypoint_aliases;  /* commands that repeat the entrypoint */
	const char *user;                      /* who the plain tag runs as */
	const struct ds_catalog_accounts *accounts;
	struct ds_strlist packages, binaries, paths;
	const struct ds_catalog_runtime *chainguard; /* --target chainguard equivalent */
	bool is_default;                       /* pick when a language's version is unknown */
	const char *builder;                   /* the same vendor's image to build for it with:
						* same version, a shell and a package manager
						* ("cgr.dev/chainguard/node:latest-dev"), or NULL */
	const char *tag;                       /* the tag a converter writes, when the runtime
						* has its own ("10.0-noble-chiseled-extra"), or NULL */
	struct ds_strlist replaces;            /* image names (globs) whose final stages it takes
						* over when the first vendor has no runtime for them
						* ("mcr.microsoft.com/dotnet/aspnet", "nginx") */
	const char *launcher;                  /* the entrypoint script of the images it replaces,
						* which prepares the container and then runs its
						* arguments ("/docker-entrypoint.sh"), or NULL */
	const struct ds_catalog_difference *differences; /* declared by a conversion onto it */
	size_t n_differences;
	struct ds_strlist keep;                /* paths of its own a final stage moved onto it must
						* not replace or add to (its main configuration, the
						* folders its launcher read) */
	struct ds_strlist carry;               /* paths it lacks that a conversion onto it copies
						* from the stage on the image it replaces (UBI
						* micro: the CA trust store, /etc/pki) */
};

struct ds_catalog_tool {
	const char *name;
	enum ds_tool_kind kind;
	const char *message; /* why it is not available, or NULL */
};

/*
 * What the catalogue knows about one image reference. Pointers point into
 * the catalogue or into the arena given to ds_catalog_classify().
 */
struct ds_image_class {
	enum ds_family family;
	enum ds_libc libc;
	int shell;                                  /* 1 has one, 0 has none, -1 unknown */
	const struct ds_catalog_release *release;   /* Debian/Ubuntu release, or NULL */
	const char *language;                       /* "node", "python", "java", "go", ... */
	const char *version;                        /* "22", "3.13", "21", or NULL */

	enum ds_target target;
	const struct ds_catalog_runtime *runtime;         /* RUNTIME, BUMP (may be NULL) */
	const struct ds_catalog_runtime *static_runtime;  /* for a statically linked artifact */
	const struct ds_catalog_runtime *dynamic_runtime; /* for a dynamically linked one */
	const char *reason;                         /* BUMP, NONE: why */
	const char *suggest;                        /* NONE: an image to use instead */

	/* Set when the image belongs to a vendor of runtime images. */
	const struct ds_catalog_vendor *vendor;     /* distroless, chainguard, or NULL */
	const struct ds_catalog_runtime *self;      /* the runtime it is, NULL if unknown */
	const char *debian;                         /* "12" from "-debian12", NULL if none */
	bool tag_known;                             /* the tag is one the vendor publishes */
	bool subscription;                          /* ... to paying subscribers only */
	bool debug;                                 /* a debug / -dev tag: has a shell */
	const char *user;                           /* who the image runs as, NULL if unknown */
	bool nonroot;                               /* user is known and is not root */

	enum ds_image_status status;                /* from the status table, or current
						     * for a published vendor image */
	const char *status_message;
	const char *replacement;                    /* suggested image, or NULL */
	bool unresolved;                            /* the reference holds variables */
};

/*
 * What a container of an image starts with, per its image configuration
 * (the `images` table; for vendor runtime images also the runtime's
 * accounts and binaries). Each field has a has_ flag: false means the
 * catalogue does not know it, which is never guessed. Strings and lists
 * point into the catalogue or into the arena given to the query.
 */
struct ds_image_config {
	bool known;                      /* something below is known */
	bool has_user;
	const char *user;                /* as the config says: "" (root), "0", "65532",
					  * "node", "1000:1000" */
	bool has_workdir;
	const char *workdir;             /* "/" when the image sets none */
	bool has_env;
	struct ds_strlist env;           /* "NAME=value" in order; "NAME" alone when the
					  * value varies by tag (value unknown) */
	bool has_entrypoint;
	struct ds_strlist entrypoint;    /* n == 0: none */
	bool has_cmd;
	struct ds_strlist cmd;           /* n == 0: none */
	bool has_expose;
	struct ds_strlist expose;        /* "80/tcp" */
	bool has_volumes;
	struct ds_strlist volumes;
	bool has_stopsignal;
	const char *stopsignal;          /* NULL with has_stopsignal: none set (SIGTERM) */
	bool has_healthcheck;
	struct ds_strlist healthcheck;   /* ["CMD", ...] or ["CMD-SHELL", "..."]; n == 0: none */
	const struct ds_catalog_accounts *accounts; /* /etc/passwd and group, or NULL
						     * when unknown */
	struct ds_strlist binaries;      /* known executables (absolute paths), for
					  * "argv[0] exists"; a path not listed may
					  * still exist */
};

/*
 * Loads the builtin catalogue. Returns 0 and sets *out (free it with
 * ds_catalog_free) or returns -1 and fills *err (err may be NULL).
 */
int ds_catalog_load_builtin(struct ds_catalog **out, struct ds_catalog_error *err);

/*
 * Loads a catalogue from a YAML text of the same schema, without the
 * builtin entries. name is used in error messages. Same contract as
 * ds_catalog_load_builtin().
 */
int ds_catalog_load_mem(struct ds_catalog **out, const char *name, const char *data,
			size_t len, struct ds_catalog_error *err);

/* The largest catalogue file ds_catalog_overlay_file() reads. */
#define DS_CATALOG_MAX_FILE ((size_t)16 << 20)

/*
 * Overlays the YAML file at path onto c (see the schema). The file is read
 * without blocking on a FIFO's open, and at most DS_CATALOG_MAX_FILE bytes
 * of it (so /dev/zero is an error, not a runaway). Returns 0, or -1 with
 * *err filled and c unchanged. Must not run while other threads query c.
 */
int ds_catalog_overlay_file(struct ds_catalog *c, const char *path,
			    struct ds_catalog_error *err);

/* As ds_catalog_overlay_file() for data[0..len); name is used in errors. */
int ds_catalog_overlay_mem(struct ds_catalog *c, const char *name, const char *data, size_t len,
			   struct ds_catalog_error *err);

/* Frees c and everything it owns. c may be NULL. */
void ds_catalog_free(struct ds_catalog *c);

/*
 * The date the catalogue's facts were last checked against their sources
 * ("2026-08-22", the top-level `date:`; a user file may set its own), or
 * NULL when no file gives one. Floating tags mean what they meant then.
 */
const char *ds_catalog_date(const struct ds_catalog *c);

/* The vendors: never NULL. */
const struct ds_catalog_vendor *ds_catalog_distroless(const struct ds_catalog *c);
const struct ds_catalog_vendor *ds_catalog_chainguard(const struct ds_catalog *c);
/* A vendor by name ("distroless", "chainguard", "chiseled"), or NULL. */
const struct ds_catalog_vendor *ds_catalog_vendor_named(const struct ds_catalog *c, const char *name);

/* A distroless runtime by name ("nodejs22"), or NULL. */
const struct ds_catalog_runtime *ds_catalog_runtime(const struct ds_catalog *c, const char *name);
/* A chainguard runtime by name ("node"), or NULL. */
const struct ds_catalog_runtime *ds_catalog_chainguard_runtime(const struct ds_catalog *c,
								const char *name);
/* Every runtime of vendor v (distroless or chainguard): sets *v_out, returns the count. */
size_t ds_catalog_runtimes(const struct ds_catalog *c, const struct ds_catalog_vendor *v,
			   const struct ds_catalog_runtime *const **v_out);
/* The chainguard equivalent of distroless runtime rt, or NULL (rt itself if chainguard). */
const struct ds_catalog_runtime *ds_catalog_chainguard_equivalent(const struct ds_catalog_runtime *rt);
/*
 * The runtime of vendor v that replaces images named name (its `replaces`
 * globs match the familiar name) at version (a runtime without a version
 * fits any; NULL fits only those), or NULL. *other (when not NULL) is set
 * to a runtime that replaces name at another version, or NULL.
 */
/*
 * Every runtime of vendor v whose `replaces` matches image name, in the
 * catalogue's order, whatever its version: up to max of them into out.
 * Returns how many.
 */
size_t ds_catalog_replacements(const struct ds_catalog *c, const struct ds_catalog_vendor *v, const char *name,
			       const struct ds_catalog_runtime **out, size_t max);

/*
 * The runtime with a tag of its own (`tag:`, as the chiseled ones have)
 * that image name:tag is, or NULL.
 */
const struct ds_catalog_runtime *ds_catalog_tagged_runtime(const struct ds_catalog *c, const char *name,
							   const char *tag);
const struct ds_catalog_runtime *ds_catalog_replacement(const struct ds_catalog *c,
							const struct ds_catalog_vendor *v,
							const char *name, const char *version,
							const struct ds_catalog_runtime **other);

/*
 * Classifies a parsed reference: family, libc, release, language and
 * version, the runtime to move onto or why there is none, and for vendor
 * images which runtime, release and tag they are and their status. Strings
 * it builds come from a. Returns 0; returns -1 only when ref is NULL.
 */
int ds_catalog_classify(const struct ds_catalog *c, const struct ds_imageref *ref,
			struct ds_arena *a, struct ds_image_class *out);

/*
 * The configuration a container of ref starts with. Entries of `images`
 * are tried in order (a user file's first); each field takes its value
 * from the first matching entry that sets it, binaries add up over all of
 * them, and `stop` ends the search. A reference without a tag is
 * ":latest", one with only a digest matches entries without tag globs;
 * scratch has an empty configuration; a reference with unexpanded
 * variables is unknown. Fills *out (known false when nothing matched) and
 * returns 0; returns -1 only when ref is NULL.
 */
int ds_catalog_image_config(const struct ds_catalog *c, const struct ds_imageref *ref,
			    struct ds_arena *a, struct ds_image_config *out);

/*
 * The configuration of runtime rt published with tag (NULL: the vendor's
 * default tag, "nonroot" for distroless), on the Debian release
 * ds_catalog_runtime_ref() picks. Returns 0, or -1 (out zeroed) when rt is
 * NULL or not published.
 */
int ds_catalog_runtime_config(const struct ds_catalog *c, const struct ds_catalog_runtime *rt,
			      const char *tag, struct ds_arena *a, struct ds_image_config *out);

/* The release named codename ("bookworm"), or NULL. */
const struct ds_catalog_release *ds_catalog_release(const struct ds_catalog *c,
						    const char *codename);
/* The release of distro ("debian", "ubuntu") with this version ("12", "24.04"), or NULL. */
const struct ds_catalog_release *ds_catalog_release_find(const struct ds_catalog *c,
							 const char *distro, const char *version);
/* glibc version ("2.36") of a release codename, or NULL when unknown. */
const char *ds_catalog_glibc(const struct ds_catalog *c, const char *codename);
/*
 * glibc of rt published on Debian release debian ("13"; NULL: the vendor's
 * default), or NULL when the runtime has no glibc or it is unknown.
 */
const char *ds_catalog_runtime_glibc(const struct ds_catalog *c,
				     const struct ds_catalog_runtime *rt, const char *debian);

/*
 * Compares dotted numeric versions ("2.36" < "2.41", "3" < "3.13").
 * Returns <0, 0 or >0. Non-numeric parts compare as strings.
 */
int ds_catalog_version_cmp(const char *a, const char *b);

/*
 * The Debian-based equivalent of Alpine image ref, no newer than Debian
 * release codename ("bookworm", "trixie"): "node:22-alpine" gives
 * "node:22-trixie-slim", "golang:1.10-alpine" gives "golang:1.10-stretch"
 * (the newest codename 1.10 was published with). Never a tag the image does
 * not publish: returns -1 when the catalogue has no mapping for the image,
 * does not know the version the tag names, or knows no codename of it up
 * to codename. Otherwise fills *out (strings from a; no digest) and
 * returns 0.
 */
int ds_catalog_debian_for_alpine(const struct ds_catalog *c, const struct ds_imageref *ref,
				 const char *codename, struct ds_arena *a,
				 struct ds_imageref *out);

/*
 * The Debian (or Ubuntu) codenames, newest first, that the tags of image
 * (a familiar name: "golang", "mirror.gcr.io/library/node") name for
 * version: "1.10" gives stretch; "22" gives trixie, bookworm, bullseye;
 * "22.13.0" only those 22.13.0 was published with. version may be an
 * alias ("lts", "latest"). Sets *out (from a) and returns the count; 0
 * when unknown.
 */
size_t ds_catalog_codenames(const struct ds_catalog *c, const char *image, const char *version,
			    struct ds_arena *a, const char *const **out);

/*
 * What a floating tag word of image means as of the catalogue's date
 * ("node", "lts" gives "24"; "python", "latest" gives "3.14"; "node",
 * "jod" gives "22"), or NULL when unknown.
 */
const char *ds_catalog_tag_alias(const struct ds_catalog *c, const char *image, const char *word);

/*
 * The codename the plain tag of version pointed to when it was last
 * built ("golang", "1.23" gives "bookworm"; "node", "24" gives "bookworm";
 * "node", "26" gives "trixie"), or NULL when unknown or when version is
 * more precise than a line (the default may have moved within it).
 */
const char *ds_catalog_default_codename(const struct ds_catalog *c, const char *image,
					const char *version);

/*
 * The Debian packages for Alpine package apk ("build-base" gives
 * "build-essential"). An empty list means Debian needs none. Returns NULL
 * when the package is not in the table. apk is a bare name (no "=1.2").
 */
const struct ds_strlist *ds_catalog_apk_to_apt(const struct ds_catalog *c, const char *apk);

/*
 * The packages that ship shared library soname, the name a program asks
 * for it by ("libstdc++.so.6" gives libstdc++6 and Wolfi's libstdc++): a
 * runtime has the library when it has any of them. Returns NULL when the
 * library is not in the table.
 */
const struct ds_strlist *ds_catalog_soname_packages(const struct ds_catalog *c, const char *soname);

/*
 * The module `python -m` runs the way console script `script` of a
 * well-known package does ("gunicorn" -> "gunicorn", "django-admin" ->
 * "django"; catalogue `console_scripts`), or NULL.
 */
const char *ds_catalog_console_module(const struct ds_catalog *c, const char *script);

/*
 * The tool named by cmd (a bare name or a path: "/bin/sh" is "sh") when it
 * is a shell or a tool runtimes lack, else NULL.
 */
const struct ds_catalog_tool *ds_catalog_tool(const struct ds_catalog *c, const char *cmd);

/*
 * Whether rt can run as spec: "user", "user:group", numeric ids or names.
 * Numeric ids are always accepted (Docker needs no passwd entry for them);
 * names must exist in the runtime's accounts. Returns 1 or 0.
 */
int ds_catalog_runtime_has_user(const struct ds_catalog_runtime *rt, const char *spec);
/* The user of acc named name, or with numeric id name, or NULL (also for acc NULL). */
const struct ds_catalog_account *ds_catalog_accounts_user(const struct ds_catalog_accounts *acc,
							  const char *name);
/* The group of acc named name, or with numeric id name, or NULL (also for acc NULL). */
const struct ds_catalog_account *ds_catalog_accounts_group(const struct ds_catalog_accounts *acc,
							   const char *name);
/* The account named name, or with numeric id name, or NULL. */
const struct ds_catalog_account *ds_catalog_runtime_user(const struct ds_catalog_runtime *rt,
							 const char *name);
/* The group named name, or with numeric id name, or NULL. */
const struct ds_catalog_account *ds_catalog_runtime_group(const struct ds_catalog_runtime *rt,
							  const char *name);
/*
 * Whether running cmd works in rt: an absolute path must be one of its
 * binaries; a bare name must be a binary in one of the PATH directories.
 * debug adds the debug variant's busybox. Returns 1 or 0.
 */
int ds_catalog_runtime_has_binary(const struct ds_catalog_runtime *rt, const char *cmd,
				  bool debug);
/* Whether rt has the Debian (or Wolfi) package pkg installed. Returns 1 or 0. */
int ds_catalog_runtime_has_package(const struct ds_catalog_runtime *rt, const char *pkg);
/* Whether path is a known file or directory (or binary) of rt. Returns 1 or 0. */
int ds_catalog_runtime_has_path(const struct ds_catalog_runtime *rt, const char *path);
/* Whether a CMD starting with cmd would repeat rt's entrypoint ("node" on nodejs). */
int ds_catalog_runtime_is_entrypoint(const struct ds_catalog_runtime *rt, const char *cmd);
/*
 * The image reference of rt: "gcr.io/distroless/nodejs22-debian13:nonroot".
 * debian NULL picks the vendor's default release when published, else the
 * newest; tag NULL uses the vendor's default tag. Returns NULL when rt is
 * not published for that release. The text is allocated from a.
 */
char *ds_catalog_runtime_ref(const struct ds_catalog_runtime *rt, const char *debian,
			     const char *tag, struct ds_arena *a);

#endif
