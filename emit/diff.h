/* diff.h - unified diffs of two texts, line by line (Myers' O(ND) algorithm). */
#ifndef DS_EMIT_DIFF_H
#define DS_EMIT_DIFF_H

#include <stddef.h>

struct ds_buf;

/*
 * Appends to out a unified diff that turns old[0..olen) into new[0..nlen):
 * "--- OLD_LABEL", "+++ NEW_LABEL", then hunks with `context` lines of
 * context and GNU-style headers ("@@ -l,s +l,s @@", ",1" omitted, an empty
 * range numbered after the line it follows). Lines compare byte for byte,
 * line ends included, so a CRLF file diffs as such; a last line without a
 * line end is followed by "\ No newline at end of file". Identical texts
 * give no output at all. `patch -p1` applies the result when the labels are
 * "a/PATH" and "b/PATH".
 *
 * Work is capped: when the texts differ in more than max_edits lines (0:
 * a default of 4000) after their common head and tail are set aside, the
 * differing middle is given as one hunk that deletes and re-adds it, which
 * is still a correct diff. Returns the number of hunks written.
 */
size_t ds_diff_unified(const char *old, size_t olen, const char *new, size_t nlen,
		       const char *old_label, const char *new_label, unsigned context,
		       size_t max_edits, struct ds_buf *out);

#endif
