/*
 * file.h - reading a file without surprises, and knowing later whether it
 * is still the file that was read.
 *
 * Every read is opened non-blocking, so a FIFO or a device never hangs the
 * caller; bounded by a size limit, so /dev/zero or a huge file never grows
 * memory without end; and, on request, limited to regular files and never
 * through a symbolic link. Configuration, catalogues and Dockerfiles are
 * all read through here.
 */
#ifndef DS_COMMON_FILE_H
#define DS_COMMON_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds_buf;

/* What a read found out, beyond success. */
enum ds_file_status {
	DS_FILE_OK,
	DS_FILE_ERRNO,    /* open, stat or read failed: see *err_no */
	DS_FILE_DIR,      /* a directory */
	DS_FILE_SPECIAL,  /* a FIFO, socket or device, refused by DS_FILE_REGULAR */
	DS_FILE_LINK,     /* a symbolic link, refused by DS_FILE_NOFOLLOW */
	DS_FILE_TOO_BIG,  /* more than the limit */
};

/* Flags of ds_file_read. */
#define DS_FILE_REGULAR  1u /* only regular files */
#define DS_FILE_NOFOLLOW 2u /* the last component must not be a symbolic link */

/*
 * The identity of a file as it was read: where it is (device, inode), its
 * size and modification time, and a hash of the bytes read (FNV-1a 64).
 */
struct ds_file_id {
	uint64_t dev, ino;
	int64_t size;
	int64_t mtime_sec, mtime_nsec;
	uint64_t hash;
};

/* FNV-1a 64 of data[0..n). */
uint64_t ds_file_hash(const void *data, size_t n);

/*
 * Appends the bytes of the file at path to out, at most max of them.
 * Returns DS_FILE_OK, or another status with nothing appended (*err_no set
 * for DS_FILE_ERRNO). A file that is not regular is read when flags allow
 * it (blocking on a FIFO until its writer closes it). id (may be NULL)
 * receives the identity of what was read.
 */
enum ds_file_status ds_file_read(const char *path, unsigned flags, size_t max, struct ds_buf *out,
				 struct ds_file_id *id, int *err_no);

/* Appends what is left to read on fd, at most max bytes; DS_FILE_OK, _ERRNO or _TOO_BIG. */
enum ds_file_status ds_file_read_fd(int fd, size_t max, struct ds_buf *out, int *err_no);

/*
 * Whether the file at path (a symbolic link followed) is still the one id
 * describes: same device and inode, same size and modification time, and
 * the same bytes. A file that is gone or unreadable is not the same.
 */
bool ds_file_unchanged(const char *path, const struct ds_file_id *id);

/*
 * Resolves path (symbolic links followed) and checks that it lies inside
 * the folder root (itself resolved): the folder or below it. Returns 0 with
 * the resolved path in real[0..cap), or -1 (errno ENOENT and the like when
 * it cannot be resolved, EXDEV when it resolves outside root).
 */
int ds_file_inside(const char *root, const char *path, char *real, size_t cap);

#endif
