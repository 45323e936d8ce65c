/* walk.h - finding the Dockerfiles of folders, file lists and git work trees (issue 5 §1). */
#ifndef DS_CLI_WALK_H
#define DS_CLI_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/arena.h"
#include "common/hash.h"

/*
 * The names a walk notes in every folder it lists, for the questions asked
 * about each Dockerfile's folder and those above it (which configuration
 * file governs it, which repository it belongs to, whether its build
 * context has a .dockerignore), so they cost no system call. The config
 * names count when the entry is anything but a folder (as an lstat would
 * tell); .git and .dockerignore count whatever the entry is.
 */
enum {
	DS_WALK_DISTILL_YAML = 1u << 0,  /* .distill.yaml */
	DS_WALK_DISTILL_YML = 1u << 1,   /* .distill.yml */
	DS_WALK_HADOLINT_YAML = 1u << 2, /* .hadolint.yaml */
	DS_WALK_HADOLINT_YML = 1u << 3,  /* .hadolint.yml */
	DS_WALK_GIT = 1u << 4,           /* .git: a folder, or a file as in a git worktree or submodule */
	DS_WALK_DOCKERIGNORE = 1u << 5,  /* .dockerignore */
	DS_WALK_COMPOSE = 1u << 6,       /* compose.yaml, compose.yml, docker-compose.yaml or .yml */
};

/*
 * A folder the walk listed, kept (in the walk's arena) until
 * ds_walk_release. Its fields never change once a file in it or below it
 * has been handed out, so they may be read from any thread.
 */
struct ds_walk_dir {
	const struct ds_walk_dir *parent; /* the listed folder holding it; NULL for a folder argument
					   * or a folder reached through a symbolic link */
	const char *real;                 /* its real path; NULL when the argument's could not be resolved */
	unsigned names;                   /* DS_WALK_* bits of the entries it held when listed */
	uint32_t id;                      /* 0, 1, 2... in the order the walk lists folders: an index
					   * for tables kept per folder */
};

/*
 * One file to audit. path is what reports show: the folder argument as
 * written (trailing slashes dropped), '/', and the path below it; or a file
 * path exactly as given. rel points into path: the part below the folder
 * argument (the whole path for a file given directly or listed). rel is the
 * key --shard hashes, so two machines that mount a tree at different places
 * still agree on the shards.
 */
struct ds_walk_file {
	const char *path;
	const char *rel;
	bool regular; /* the folder listing (or a stat) said it is a regular file: a reader may skip its fstat */
	const struct ds_walk_dir *dir; /* the folder listed to find it (the folder part of path);
					* NULL for a file given directly, listed, or from git */
};

/* Called for a problem met while walking (an unreadable subfolder, a folder nested too deep). */
typedef void (*ds_walk_warn_fn)(void *ctx, const char *path, const char *msg);

/*
 * Called for every file found, in discovery order, instead of adding it to
 * the list; f's strings live in the walk's arena until ds_walk_release, so
 * work on the file can start while the walk goes on.
 */
typedef void (*ds_walk_file_fn)(void *ctx, const struct ds_walk_file *f);

struct ds_walk_opts {
	const char *const *excludes; /* --exclude globs, matched with fnmatch(3) (flags 0, so '*'
				      * also matches '/') against an entry's name, its path below
				      * the folder argument, and its displayed path */
	size_t nexcludes;
	bool git;                    /* list folders inside a git work tree with git ls-files */
	ds_walk_warn_fn warn;        /* may be NULL */
	void *warn_ctx;
	ds_walk_file_fn on_file;     /* NULL: collect the files in the list */
	void *on_file_ctx;
};

struct ds_walk_seen;

/*
 * The file list being built. Paths live in the arena `strings`; the array
 * files is on the heap. Discovery rules:
 *   - names Dockerfile, Containerfile, *.Dockerfile, *.Containerfile,
 *     Dockerfile.*, Containerfile.* in any case, except *.dockerignore
 *     (BuildKit's per-Dockerfile ignore files, e.g. Dockerfile.dockerignore);
 *   - entries named .git, node_modules or vendor and --exclude matches are
 *     skipped, folders with all they hold;
 *   - FIFOs, sockets and devices are skipped from their directory entry type
 *     (or lstat), never opened;
 *   - a symbolic link to a file is taken when its target is a regular file
 *     inside one of the folder arguments (a link to /etc/shadow named
 *     Dockerfile is not read, nor reported), also when git lists it;
 *     a symbolic link to a folder is walked in ds_walk_finish, after the
 *     real folders of every argument, and only when that folder (device and
 *     inode) was not walked yet, so a loop ends and a folder reached twice
 *     is reported once, under its real path when it has one.
 */
struct ds_walk {
	struct ds_walk_opts opts;
	struct ds_walk_file *files;
	size_t nfiles, capfiles;
	struct ds_arena strings;
	/* private */
	struct ds_walk_seen *seen;   /* open-addressing set of (dev, ino) of walked folders */
	size_t nseen, capseen;
	struct ds_walk_file *deferred; /* symbolic links to folders, walked last */
	size_t ndeferred, capdeferred;
	const char **roots;          /* real paths of the folder arguments */
	size_t nroots, caproots;
	/*
	 * The real paths of the folders walked. A folder reached by name with
	 * O_NOFOLLOW is recognised by its real path (the real path of what the
	 * walk started from, plus the names below it), so no fstat is needed to
	 * tell whether a second argument or a symbolic link leads back into it;
	 * folders under symbolic links are checked by (dev, ino) in seen too.
	 */
	struct ds_hmap walked;
	const char *real_base;       /* real path of the folder the current walk started from */
	bool real_known;             /* real_base is a real path (realpath succeeded) */
	uint32_t ndirs;              /* folders listed so far (the next ds_walk_dir.id) */
	size_t base_len;             /* length of its displayed path */
	bool via_link;               /* walking the folders of a symbolic link */
};

#define DS_WALK_MAX_DEPTH 512

/* Starts an empty list; opts is copied (the exclude array itself is not). */
void ds_walk_init(struct ds_walk *w, const struct ds_walk_opts *opts);

/*
 * Adds a command-line argument: a folder is walked (or listed with git), a
 * regular file is taken whatever its name. Returns 0, or -1 when path is
 * missing or neither a folder nor a regular file, with *err a message
 * without the path (static or in w->strings).
 */
int ds_walk_add_arg(struct ds_walk *w, const char *path, const char **err);

/*
 * Adds the paths listed in f, one per line ("\n" or "\r\n"; blank lines
 * ignored). A folder is walked; anything else is taken as is, so a missing
 * or unreadable file shows up as a per-file error later. Returns 0, or -1 on
 * a read error with *err set.
 */
int ds_walk_add_list(struct ds_walk *w, FILE *f, const char **err);

/*
 * Walks the symbolic links to folders met by the calls above (they wait
 * until every real folder is walked), then, in list mode, sorts the files
 * by path (byte order) and drops duplicate paths. Call it once, last.
 */
void ds_walk_finish(struct ds_walk *w);

/* Frees everything; w may be initialised again. */
void ds_walk_release(struct ds_walk *w);

/* Whether a file name is a Dockerfile name under the rules above. */
bool ds_walk_is_dockerfile_name(const char *name);

/* Whether a path component is a folder audit never enters (.git, node_modules, vendor). */
bool ds_walk_is_skipped_name(const char *name);

/* FNV-1a 64 of s, the stable hash --shard uses. */
uint64_t ds_walk_hash(const char *s);

#endif
