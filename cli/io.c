/* io.c - reading inputs without blocking and writing files atomically. */
#include "cli/io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"

int ds_read_source(struct ds_arena *a, const char *path, size_t max_size, struct ds_source *src,
		   const char **err)
{
	int fd;
	int is_stdin = !strcmp(path, "-");
	if (is_stdin) {
		fd = 0;
	} else {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			*err = ds_arena_printf(a, "cannot open: %s", strerror(errno));
			return -1;
		}
		struct stat st;
		if (fstat(fd, &st) < 0) {
			*err = ds_arena_printf(a, "cannot stat: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			*err = "is a directory, not a Dockerfile";
			close(fd);
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			*err = "not a regular file (FIFO, socket or device)";
			close(fd);
			return -1;
		}
		if ((unsigned long long)st.st_size > max_size) {
			*err = ds_arena_printf(a, "file is %lld bytes, larger than the limit of %zu (--max-file-size)",
					       (long long)st.st_size, max_size);
			close(fd);
			return -1;
		}
		/* regular file: blocking reads are fine */
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	if (!is_stdin) {
		/* a regular file is read straight into its source: no copy of it on the way */
		struct stat st;
		if (fstat(fd, &st) == 0 && st.st_size >= 0 && (unsigned long long)st.st_size <= max_size) {
			size_t size = (size_t)st.st_size, len = 0;
			char *data = ds_arena_alloc_bytes(a, size + 2);
			for (;;) {
				ssize_t n = read(fd, data + len, size + 1 - len);
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0) {
					*err = ds_arena_printf(a, "cannot read: %s", strerror(errno));
					close(fd);
					return -1;
				}
				if (n == 0)
					break;
				len += (size_t)n;
				if (len > size)
					break; /* it grew while being read: read it the general way */
			}
			if (len <= size) {
				close(fd);
				ds_source_wrap(src, ds_arena_strdup(a, path), data, len);
				return 0;
			}
			if (lseek(fd, 0, SEEK_SET) < 0) {
				*err = ds_arena_printf(a, "cannot read: %s", strerror(errno));
				close(fd);
				return -1;
			}
		}
	}
	struct ds_buf b = DS_BUF_INIT;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = ds_arena_printf(a, "cannot read: %s", strerror(errno));
			ds_buf_release(&b);
			if (!is_stdin)
				close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max_size) {
			*err = ds_arena_printf(a, "input is larger than the limit of %zu bytes (--max-file-size)", max_size);
			ds_buf_release(&b);
			if (!is_stdin)
				close(fd);
			return -1;
		}
		ds_buf_add(&b, chunk, (size_t)n);
	}
	if (!is_stdin)
		close(fd);
	ds_source_from_mem(src, a, ds_arena_strdup(a, path), b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return 0;
}

int ds_write_atomic(const char *path, const char *data, size_t len, const char **err)
{
	char target[PATH_MAX];
	/* follow a symlink chain so the link itself stays a link */
	if (!realpath(path, target)) {
		*err = strerror(errno);
		return -1;
	}
	struct stat st;
	if (stat(target, &st) < 0) {
		*err = strerror(errno);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = "not a regular file";
		return -1;
	}
	size_t tl = strlen(target);
	char *tmp = ds_xmalloc(tl + 32);
	const char *slash = strrchr(target, '/');
	size_t dl = slash ? (size_t)(slash - target) + 1 : 0;
	snprintf(tmp, tl + 32, "%.*s.%s.distill-XXXXXX", (int)dl, target, slash ? slash + 1 : target);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*err = strerror(errno);
		free(tmp);
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)n;
	}
	/*
	 * Owner first: a chown may clear the set-user-ID and set-group-ID bits,
	 * so the mode goes on after it. A user who may not give the file to its
	 * owner (EPERM) still replaces it, as an editor would.
	 */
	if (fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM)
		goto fail;
	if (fchmod(fd, st.st_mode & 07777) < 0)
		goto fail;
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) < 0)
		goto fail;
	/* the rename itself reaches the disk when the folder is flushed */
	tmp[dl] = '\0';
	{
		int dfd = open(dl ? tmp : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	free(tmp);
	return 0;
fail:
	*err = strerror(errno);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}
