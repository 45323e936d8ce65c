/* edits.c - apply sorted, non-overlapping byte-range edits; see edits.h. */
#include "emit/edits.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "rewrite/convert.h"

/* Whether x must come before y: a lower offset, or an insertion at the offset where y replaces. */
static int edit_before(const struct ds_edit *x, const struct ds_edit *y)
{
	if (x->off != y->off)
		return x->off < y->off;
	return x->end == x->off && y->end > y->off;
}

void ds_edits_sort(struct ds_edit *e, size_t n)
{
	/* insertion sort: lists are short, and it is stable */
	for (size_t i = 1; i < n; i++) {
		struct ds_edit t = e[i];
		size_t j = i;
		while (j > 0 && edit_before(&t, &e[j - 1])) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = t;
	}
}

int ds_edits_apply(const char *src, size_t len, const struct ds_edit *e, size_t n,
		   struct ds_buf *out, const char **err)
{
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].off > e[i].end || e[i].end > len) {
			*err = "edit outside the source";
			return -1;
		}
		if (e[i].off < pos) {
			*err = "edits overlap or are not sorted";
			return -1;
		}
		if (e[i].len && !e[i].text) {
			*err = "edit without text";
			return -1;
		}
		pos = e[i].end;
	}
	pos = 0;
	ds_buf_grow(out, len + 64);
	for (size_t i = 0; i < n; i++) {
		ds_buf_add(out, src + pos, e[i].off - pos);
		if (e[i].len)
			ds_buf_add(out, e[i].text, e[i].len);
		pos = e[i].end;
	}
	ds_buf_add(out, src + pos, len - pos);
	return 0;
}
