/* source.h - an input file's bytes and its line table. */
#ifndef DS_COMMON_SOURCE_H
#define DS_COMMON_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct ds_arena;

/*
 * The bytes of one input, owned by the arena it was loaded into, followed by
 * two NUL bytes (so flex can scan it in place). Offsets are byte offsets
 * into data; lines and columns are 1-based and computed on demand.
 */
struct ds_source {
	const char *path;     /* as given by the user; "-" for stdin */
	char *data;
	size_t len;
	uint32_t *line_starts; /* built lazily by ds_source_lines() */
	size_t nlines;
};

/* Wraps a copy of data[0..len) (two NULs appended). */
void ds_source_from_mem(struct ds_source *s, struct ds_arena *a, const char *path,
			const char *data, size_t len);
/*
 * Wraps data[0..len), already in the arena and followed by two more bytes
 * of it (set to NUL here): reading a file straight into its source saves a
 * copy of it.
 */
void ds_source_wrap(struct ds_source *s, const char *path, char *data, size_t len);
/* Builds the line table if not built yet. */
void ds_source_lines(struct ds_source *s, struct ds_arena *a);
/* 1-based line and byte column of off (off may equal len). Needs the line table. */
void ds_source_linecol(const struct ds_source *s, size_t off, uint32_t *line, uint32_t *col);
/* Start offset and length (without the line end) of 1-based line. */
void ds_source_line_text(const struct ds_source *s, uint32_t line, size_t *start, size_t *len);

#endif
