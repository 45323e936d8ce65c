/* build.h - turning one joined logical line into an instruction node. */
#ifndef DS_PARSER_BUILD_H
#define DS_PARSER_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct ds_arena;
struct ds_instr;

/* A piece of the joined line: len bytes at joff came from the source at soff. */
struct ds_seg {
	uint32_t joff, soff, len;
};

/* One logical line: the text BuildKit builds by joining continuations. */
struct ds_line {
	const char *text;
	size_t len;
	const struct ds_seg *segs;
	size_t nsegs;
	char escape;
	struct ds_arena *a;
	/*
	 * Set by ds_build_node(): text[tail_off..len) has a NUL-terminated copy
	 * in the arena at tail (the instruction's Original), so a string that
	 * ends the line can point into it instead of being copied again.
	 */
	const char *tail;
	size_t tail_off;
};

/* Source offset of joined offset j (a start position). */
uint32_t ds_line_src(const struct ds_line *L, size_t j);
/* Source offset just after joined offset j - 1 (an end position). */
uint32_t ds_line_src_end(const struct ds_line *L, size_t j);

/*
 * Builds in from L->text[from..to) as BuildKit's newNodeFromLine does
 * (splitCommand, flags, the per-instruction argument parser, ONBUILD's
 * inner line). Returns 0, or -1 with *err (BuildKit's message) and *err_off
 * (joined offset) when BuildKit would reject the line; in is filled in as
 * far as possible either way.
 */
int ds_build_node(struct ds_line *L, size_t from, size_t to, struct ds_instr *in,
		  unsigned depth, const char **err, size_t *err_off);

/* unicode.IsSpace of the code point cp. */
int ds_uspace(uint32_t cp);

#endif
