/* io.h - reading inputs and writing outputs safely. */
#ifndef DS_CLI_IO_H
#define DS_CLI_IO_H

#include <stddef.h>

struct ds_arena;
struct ds_source;

#define DS_DEFAULT_MAX_FILE_SIZE (16u << 20)

/*
 * Reads path ("-" for standard input) into src, in arena a. Refuses
 * directories, FIFOs, sockets and devices without blocking on them, and
 * files larger than max_size. Returns 0, or -1 with *err (a message without
 * the path; static or in the arena).
 */
int ds_read_source(struct ds_arena *a, const char *path, size_t max_size, struct ds_source *src,
		   const char **err);

/*
 * Replaces path's contents atomically: writes a temporary file in the same
 * folder, flushes it, gives it path's mode (and owner when permitted), and
 * renames it over path. A symbolic link is followed and its target replaced,
 * so the link stays a link. On any failure path is untouched and -1 is
 * returned with *err set (static string or strerror text).
 */
int ds_write_atomic(const char *path, const char *data, size_t len, const char **err);

#endif
