/* context.h - the build context a conversion may read: files only, inside one folder, never run. */
#ifndef DS_REWRITE_CONTEXT_H
#define DS_REWRITE_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds_arena;

/* The most bytes read from one file of the context; a larger file is not read. */
#define DS_CONTEXT_MAX_FILE (1024 * 1024)

/*
 * A build context opened for reading (DESIGN §5 step 2). Every read is a
 * path relative to the context's root; it is resolved one component at a
 * time below the root's descriptor, following symbolic links only while
 * they stay inside the context (40 at most), never opening anything but a
 * regular file for reading, never more than DS_CONTEXT_MAX_FILE bytes. The
 * patterns of the root's .dockerignore apply as BuildKit applies them: a
 * file they exclude is not in the context. Nothing is ever executed.
 * Reads from several threads on one context are safe.
 */
struct ds_context {
	int dirfd;                /* the root, open O_DIRECTORY; -1 when none */
	const char *root;         /* its path as given, for messages */
	bool by_path;             /* dirfd is -1: each read opens root by its path */
	const char **ignore;      /* .dockerignore patterns, cleaned; "!" kept in front of exceptions */
	size_t nignore;
};

/*
 * Opens folder dir as a context and reads its .dockerignore (strings from
 * a). Returns 0, or -1 with *why (static, lower case) when dir cannot be
 * opened as a folder; ctx->dirfd is then -1 and every read fails.
 */
int ds_context_open(struct ds_context *ctx, const char *dir, struct ds_arena *a, const char **why);

/*
 * As ds_context_open() for a folder the caller has just listed and seen
 * without an entry named .dockerignore: nothing is opened now, and each
 * read opens dir by its path, so a conversion that reads no file of the
 * context costs no system call (an audit of thousands of files). The caller
 * keeps dir alive. Never fails; a read after dir is gone misses.
 */
void ds_context_open_listed(struct ds_context *ctx, const char *dir);

/* Closes ctx (dirfd). ctx may be NULL or never opened. */
void ds_context_close(struct ds_context *ctx);

/* Whether .dockerignore excludes rel (a cleaned relative path, '/' separated). */
bool ds_context_ignored(const struct ds_context *ctx, const char *rel);

/* Why a read failed. */
enum ds_context_miss {
	DS_CTX_OK,
	DS_CTX_MISSING,   /* no such file, or excluded by .dockerignore */
	DS_CTX_OUTSIDE,   /* the path or a link leaves the context */
	DS_CTX_NOT_FILE,  /* a folder, a device, a FIFO, a socket */
	DS_CTX_TOO_BIG,   /* over DS_CONTEXT_MAX_FILE: not read */
	DS_CTX_ERROR,     /* an I/O error */
};

/* "missing", "outside the context", "not a regular file", "larger than 1 MiB", "unreadable". */
const char *ds_context_miss_name(enum ds_context_miss m);

/*
 * Reads context file rel ("./a/../b" is "b"; a leading '/' is the
 * context's root). Returns its bytes NUL-terminated in a (*len without the
 * NUL), or NULL with *miss saying why.
 */
const char *ds_context_read(const struct ds_context *ctx, const char *rel, struct ds_arena *a, size_t *len,
			    enum ds_context_miss *miss);

/*
 * A regular file of the context open for reading parts of it, whatever its
 * size: for formats whose readers need a few tables of a large file (an
 * ELF program's headers), not the whole of it. The caller bounds what it
 * reads.
 */
struct ds_context_file {
	int fd;        /* -1 when closed */
	uint64_t size; /* its size in bytes when opened */
};

/*
 * Opens context file rel for ds_context_file_read, resolving it as
 * ds_context_read does (inside the context, .dockerignore applied, a
 * regular file only), but with no size limit. Returns 0, or -1 with *miss
 * (never DS_CTX_TOO_BIG) and f->fd -1.
 */
int ds_context_file_open(const struct ds_context *ctx, const char *rel, struct ds_context_file *f,
			 enum ds_context_miss *miss);

/*
 * Reads up to n bytes at offset off of f into dst. Returns how many it
 * read: fewer than n only at the end of the file or on an I/O error.
 */
size_t ds_context_file_read(const struct ds_context_file *f, uint64_t off, void *dst, size_t n);

/* Closes f; f may be closed already. */
void ds_context_file_close(struct ds_context_file *f);

/*
 * Matches pattern (fnmatch(3) with no flags, as the last component of a
 * COPY source is matched) against the names in folder dir of the context
 * ("" for its root), leaving out what .dockerignore excludes. Returns how
 * many matched, 2 standing for two or more, with *rel (from a) the one
 * match's path when exactly one did; 0 when dir is not a readable folder.
 */
int ds_context_match(const struct ds_context *ctx, const char *dir, const char *pattern, struct ds_arena *a,
		     const char **rel);

/* Whether rel names a folder of the context (not excluded). */
bool ds_context_is_dir(const struct ds_context *ctx, const char *rel);

#endif
