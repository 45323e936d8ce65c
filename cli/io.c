/* io.c - reading inputs without blocking and writing files atomically; see io.h. */
#include "cli/io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cleanup.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "rewrite/context.h"

int ds_read_source(struct ds_arena *a, const char *path, size_t max_size, struct ds_source *src,
		   struct ds_file_id *id, const char **err)
{
	struct ds_buf b = DS_BUF_INIT;
	struct ds_file_id fid;
	int e = 0;
	enum ds_file_status st = strcmp(path, "-") ? ds_file_read(path, DS_FILE_REGULAR, max_size, &b, &fid, &e)
						   : ds_file_read_fd(0, max_size, &b, &e);
	switch (st) {
	case DS_FILE_OK: break;
	case DS_FILE_DIR: *err = "is a directory, not a Dockerfile"; break;
	case DS_FILE_SPECIAL: *err = "not a regular file (FIFO, socket or device)"; break;
	case DS_FILE_TOO_BIG:
		*err = ds_arena_printf(a, "file is larger than the limit of %zu bytes (--max-file-size)", max_size);
		break;
	default: *err = ds_arena_printf(a, "cannot read: %s", strerror(e)); break;
	}
	if (st != DS_FILE_OK) {
		ds_buf_release(&b);
		return -1;
	}
	if (id)
		*id = fid;
	ds_source_from_mem(src, a, ds_arena_strdup(a, path), b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return 0;
}

/* ---- the atomic writer ---- */

static void release(struct ds_atomic *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->tmp)
		unlink(w->tmp);
	ds_cleanup_remove(w->slot);
	w->slot = -1;
	free(w->tmp);
	free(w->target);
	w->tmp = w->target = NULL;
}

int ds_atomic_open(struct ds_atomic *w, const char *path, const struct ds_file_id *expect, const char **err)
{
	memset(w, 0, sizeof *w);
	w->fd = -1;
	w->slot = -1;
	w->expect = expect;
	struct stat lst;
	if (lstat(path, &lst) == 0) {
		char real[PATH_MAX];
		/* follow a symbolic link chain so the link itself stays a link */
		if (!realpath(path, real)) {
			*err = errno == ENOENT ? "a symbolic link to a missing file" : strerror(errno);
			return -1;
		}
		if (stat(real, &w->st) < 0) {
			*err = strerror(errno);
			return -1;
		}
		if (!S_ISREG(w->st.st_mode)) {
			*err = "not a regular file";
			return -1;
		}
		w->existed = true;
		w->target = ds_xstrdup(real);
	} else if (errno == ENOENT && !expect) {
		w->target = ds_xstrdup(path);
	} else {
		*err = strerror(errno);
		return -1;
	}
	const char *slash = strrchr(w->target, '/');
	size_t dl = slash ? (size_t)(slash - w->target) + 1 : 0;
	size_t need = strlen(w->target) + 32;
	w->tmp = ds_xmalloc(need);
	snprintf(w->tmp, need, "%.*s.%s.distill-XXXXXX", (int)dl, w->target, slash ? slash + 1 : w->target);
	/* no signal between creating the file and registering it for removal */
	sigset_t old;
	ds_cleanup_block(&old);
	w->fd = mkstemp(w->tmp);
	int e = errno;
	if (w->fd >= 0) {
		w->slot = ds_cleanup_add_file(w->tmp);
		fcntl(w->fd, F_SETFD, FD_CLOEXEC);
	}
	ds_cleanup_unblock(&old);
	if (w->fd < 0) {
		*err = strerror(e);
		free(w->tmp);
		w->tmp = NULL;
		release(w);
		return -1;
	}
	return 0;
}

void ds_atomic_write(struct ds_atomic *w, const void *data, size_t len)
{
	const char *p = data;
	while (len && !w->err) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0) {
			if (errno != EINTR)
				w->err = errno;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
}

/* Gives the temporary file the target's owner and mode (a new file: 0666 less the umask). */
static int set_mode(struct ds_atomic *w)
{
	if (!w->existed) {
		mode_t um = umask(0);
		umask(um);
		return fchmod(w->fd, 0666 & ~um);
	}
	/*
	 * Owner first: a chown may clear the set-user-ID and set-group-ID bits,
	 * so the mode goes on after it. A user who may not give the file to its
	 * owner (EPERM) still replaces it, as an editor would.
	 */
	if (fchown(w->fd, w->st.st_uid, w->st.st_gid) < 0 && errno != EPERM)
		return -1;
	return fchmod(w->fd, w->st.st_mode & 07777);
}

/* Whether the target is what it was at open (and, with expect, what was read). */
static bool target_unchanged(const struct ds_atomic *w)
{
	if (w->expect)
		return ds_file_unchanged(w->target, w->expect);
	struct stat now;
	if (!w->existed)
		return lstat(w->target, &now) < 0 && errno == ENOENT;
	return stat(w->target, &now) == 0 && now.st_dev == w->st.st_dev && now.st_ino == w->st.st_ino &&
	       now.st_size == w->st.st_size && now.st_mtim.tv_sec == w->st.st_mtim.tv_sec &&
	       now.st_mtim.tv_nsec == w->st.st_mtim.tv_nsec;
}

static void sync_folder(const char *target)
{
	const char *slash = strrchr(target, '/');
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash == target ? 1 : slash - target) : 1,
		 slash ? target : ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
}

int ds_atomic_commit(struct ds_atomic *w, const char **err)
{
	int e = w->err;
	if (!e && (set_mode(w) < 0 || fsync(w->fd) < 0))
		e = errno;
	if (!e && close(w->fd) < 0)
		e = errno;
	w->fd = -1;
	if (e) {
		*err = strerror(e);
		release(w);
		return DS_ATOMIC_ERROR;
	}
	const char *hook = getenv("DISTILL_DEBUG_STOP_BEFORE_REPLACE");
	if (hook && !strcmp(hook, "1"))
		raise(SIGSTOP);
	if (!target_unchanged(w)) {
		*err = w->expect ? "changed while converting; it was left as it is and nothing was written"
				 : "changed while distill was writing it; it was left as it is";
		release(w);
		return DS_ATOMIC_CHANGED;
	}
	if (w->existed) {
		if (rename(w->tmp, w->target) < 0) {
			*err = strerror(errno);
			release(w);
			return DS_ATOMIC_ERROR;
		}
		free(w->tmp); /* the name is the target's now: nothing to unlink */
		w->tmp = NULL;
	} else if (link(w->tmp, w->target) < 0) {
		/* a file that appeared meanwhile is kept; a file system without links gets a rename */
		if (errno == EEXIST) {
			*err = "appeared while distill was writing it; it was left as it is";
			release(w);
			return DS_ATOMIC_CHANGED;
		}
		if (rename(w->tmp, w->target) < 0) {
			*err = strerror(errno);
			release(w);
			return DS_ATOMIC_ERROR;
		}
		free(w->tmp);
		w->tmp = NULL;
	}
	/* the rename itself reaches the disk when the folder is flushed */
	sync_folder(w->target);
	release(w); /* after link(), unlinks the temporary name */
	return 0;
}

void ds_atomic_abort(struct ds_atomic *w)
{
	release(w);
}

int ds_write_atomic(const char *path, const char *data, size_t len, const struct ds_file_id *expect,
		    const char **err)
{
	struct ds_atomic w;
	if (ds_atomic_open(&w, path, expect, err) < 0)
		return DS_ATOMIC_ERROR;
	ds_atomic_write(&w, data, len);
	return ds_atomic_commit(&w, err);
}

int ds_context_open_for(struct ds_context *ctx, const char *path, const char *dir, struct ds_arena *a,
			const char **why)
{
	if (!dir) {
		const char *sl = strrchr(path, '/');
		dir = !strcmp(path, "-") || !sl ? "." : sl == path ? "/" : ds_arena_strndup(a, path, (size_t)(sl - path));
	}
	return ds_context_open(ctx, dir, a, why);
}
