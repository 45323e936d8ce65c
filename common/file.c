/* file.c - bounded, non-blocking file reads, file identities and confinement checks; see file.h. */
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"

uint64_t ds_file_hash(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

enum ds_file_status ds_file_read_fd(int fd, size_t max, struct ds_buf *out, int *err_no)
{
	size_t start = out->len;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err_no = errno;
			out->len = start;
			return DS_FILE_ERRNO;
		}
		if (n == 0)
			return DS_FILE_OK;
		if (out->len - start + (size_t)n > max) {
			out->len = start;
			if (out->buf)
				out->buf[start] = '\0';
			return DS_FILE_TOO_BIG;
		}
		ds_buf_add(out, chunk, (size_t)n);
	}
}

static void set_id(struct ds_file_id *id, const struct stat *st)
{
	id->dev = (uint64_t)st->st_dev;
	id->ino = (uint64_t)st->st_ino;
	id->size = (int64_t)st->st_size;
	id->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	id->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
}

enum ds_file_status ds_file_read(const char *path, unsigned flags, size_t max, struct ds_buf *out,
				 struct ds_file_id *id, int *err_no)
{
	*err_no = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (flags & DS_FILE_NOFOLLOW ? O_NOFOLLOW : 0));
	if (fd < 0) {
		*err_no = errno;
		if (errno == ELOOP && (flags & DS_FILE_NOFOLLOW)) {
			struct stat lst;
			if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
				return DS_FILE_LINK;
		}
		return DS_FILE_ERRNO;
	}
	struct stat st;
	enum ds_file_status rc = DS_FILE_OK;
	if (fstat(fd, &st) < 0) {
		*err_no = errno;
		rc = DS_FILE_ERRNO;
	} else if (S_ISDIR(st.st_mode)) {
		rc = DS_FILE_DIR;
	} else if (!S_ISREG(st.st_mode) && (flags & DS_FILE_REGULAR)) {
		rc = DS_FILE_SPECIAL;
	} else if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		rc = DS_FILE_TOO_BIG;
	}
	if (rc == DS_FILE_OK) {
		/* a regular file never blocks; a FIFO the caller accepted may */
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0 && !S_ISREG(st.st_mode))
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		size_t start = out->len;
		rc = ds_file_read_fd(fd, max, out, err_no);
		if (rc == DS_FILE_OK && id) {
			set_id(id, &st);
			id->hash = ds_file_hash(out->buf ? out->buf + start : "", out->len - start);
		}
	}
	close(fd);
	return rc;
}

bool ds_file_unchanged(const char *path, const struct ds_file_id *id)
{
	struct stat st;
	if (stat(path, &st) < 0 || (uint64_t)st.st_dev != id->dev || (uint64_t)st.st_ino != id->ino ||
	    (int64_t)st.st_size != id->size || (int64_t)st.st_mtim.tv_sec != id->mtime_sec ||
	    (int64_t)st.st_mtim.tv_nsec != id->mtime_nsec)
		return false;
	/* same metadata: compare the bytes too, for file systems with coarse times */
	struct ds_buf b = DS_BUF_INIT;
	struct ds_file_id now;
	int e;
	bool same = ds_file_read(path, DS_FILE_REGULAR, (size_t)id->size, &b, &now, &e) == DS_FILE_OK &&
		    now.dev == id->dev && now.ino == id->ino && now.hash == id->hash;
	ds_buf_release(&b);
	return same;
}

int ds_file_inside(const char *root, const char *path, char *real, size_t cap)
{
	char r[PATH_MAX], p[PATH_MAX];
	if (!realpath(root, r) || !realpath(path, p))
		return -1;
	size_t rl = strlen(r);
	bool inside = !strcmp(r, "/") || (!strncmp(p, r, rl) && (p[rl] == '/' || p[rl] == '\0'));
	if (!inside) {
		errno = EXDEV;
		return -1;
	}
	if (strlen(p) >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(real, p, strlen(p) + 1);
	return 0;
}
