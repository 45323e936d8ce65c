/* edits.h - apply a list of byte-range edits (rewrite/convert.h) to a source text. */
#ifndef DS_EMIT_EDITS_H
#define DS_EMIT_EDITS_H

#include <stddef.h>

struct ds_buf;
struct ds_edit;

/*
 * Sorts e[0..n) by offset. At one offset, insertions come before a
 * replacement that starts there; otherwise edits keep their order (several
 * insertions at one offset appear in the order they were listed).
 */
void ds_edits_sort(struct ds_edit *e, size_t n);

/*
 * Appends src[0..len) with the edits e[0..n) applied to out: bytes outside
 * the edits are copied unchanged. The edits must be sorted (ds_edits_sort)
 * and must not overlap, and each must lie within the source. Returns 0, or
 * -1 with *err (static string) when they do not; out is then unchanged.
 */
int ds_edits_apply(const char *src, size_t len, const struct ds_edit *e, size_t n,
		   struct ds_buf *out, const char **err);

#endif
