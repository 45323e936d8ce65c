/* io.h - reading inputs and writing outputs safely. */
#ifndef DS_CLI_IO_H
#define DS_CLI_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "common/file.h"

struct ds_arena;
struct ds_source;

#define DS_DEFAULT_MAX_FILE_SIZE (16u << 20)

/*
 * Reads path ("-" for standard input) into src, in arena a. Refuses
 * directories, FIFOs, sockets and devices without blocking on them, and
 * files larger than max_size. id (may be NULL) receives the identity of the
 * file read (not meaningful for standard input), for ds_write_atomic.
 * Returns 0, or -1 with *err (a message without the path; static or in the
 * arena).
 */
int ds_read_source(struct ds_arena *a, const char *path, size_t max_size, struct ds_source *src,
		   struct ds_file_id *id, const char **err);

/*
 * Every file distill writes goes through this one writer:
 *
 *   ds_atomic_open   creates a temporary file ".NAME.distill-XXXXXX" in the
 *                    target's folder (registered for removal on SIGINT,
 *                    SIGTERM, SIGHUP; after SIGKILL it is left with that
 *                    name) and notes what the target is now;
 *   ds_atomic_write  appends to it (failures are kept for commit);
 *   ds_atomic_commit flushes it (fsync), gives it the target's mode and
 *                    owner (a new file: 0666 less the umask), checks that
 *                    the target is still the file it was, and renames it
 *                    over the target, or links it there when there was no
 *                    target, so nothing that appeared meanwhile is lost;
 *   ds_atomic_abort  removes the temporary file.
 *
 * A symbolic link is followed and its target replaced, so the link stays a
 * link; a link to a missing file is refused. "Still the file it was" means
 * the same device, inode, size and modification time as at open, and with
 * expect (the identity ds_read_source gave for an in-place rewrite) the
 * same identity and content as when it was read. Otherwise the target is
 * left as it is and commit fails with DS_ATOMIC_CHANGED. The check and the
 * rename are two steps: a writer that lands between them (microseconds) is
 * not detected.
 *
 * Debug hook: when the environment has DISTILL_DEBUG_STOP_BEFORE_REPLACE=1,
 * commit stops the process (SIGSTOP) after the temporary file is complete
 * and before the check, so a test can change the target at that moment
 * and continue the process (SIGCONT).
 */
struct ds_atomic {
	char *target;        /* what is replaced (a link's target) */
	char *tmp;           /* the temporary file beside it */
	int fd;
	int slot;            /* in the cleanup table, or -1 */
	bool existed;        /* the target existed at open */
	struct stat st;      /* the target at open, when it existed */
	const struct ds_file_id *expect;
	int err;             /* first write error (errno), 0 if none */
};

enum { DS_ATOMIC_ERROR = -1, DS_ATOMIC_CHANGED = -2 };

/* Returns 0, or -1 with *err (static or strerror text) and nothing created. */
int ds_atomic_open(struct ds_atomic *w, const char *path, const struct ds_file_id *expect, const char **err);
/* Appends data[0..len); a failure is reported by commit. */
void ds_atomic_write(struct ds_atomic *w, const void *data, size_t len);
/*
 * Finishes as described above. Returns 0; DS_ATOMIC_CHANGED when the
 * target changed (*err says so); or DS_ATOMIC_ERROR with *err. The
 * temporary file never survives a failure. w is released either way.
 */
int ds_atomic_commit(struct ds_atomic *w, const char **err);
/* Removes the temporary file and releases w. */
void ds_atomic_abort(struct ds_atomic *w);

/* ds_atomic_open, _write and _commit of data[0..len) to path in one call. */
int ds_write_atomic(const char *path, const char *data, size_t len, const struct ds_file_id *expect,
		    const char **err);

struct ds_context;

/*
 * Opens the build context of the Dockerfile at path: dir when given, else
 * the file's folder (standard input, "-": the current folder). Returns 0,
 * or -1 with *why when the folder cannot be opened (ctx->dirfd is then -1
 * and every read misses). Strings come from a; ds_context_close() ends it.
 */
int ds_context_open_for(struct ds_context *ctx, const char *path, const char *dir, struct ds_arena *a,
			const char **why);

#endif
