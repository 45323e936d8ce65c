/* source.c - input bytes and line table; see source.h. */
#include "source.h"
#include "arena.h"

#include <string.h>

void ds_source_from_mem(struct ds_source *s, struct ds_arena *a, const char *path,
			const char *data, size_t len)
{
	s->path = path;
	s->data = ds_arena_alloc(a, len + 2);
	if (len)
		memcpy(s->data, data, len);
	s->data[len] = s->data[len + 1] = '\0';
	s->len = len;
	s->line_starts = NULL;
	s->nlines = 0;
}

void ds_source_wrap(struct ds_source *s, const char *path, char *data, size_t len)
{
	s->path = path;
	s->data = data;
	s->data[len] = s->data[len + 1] = '\0';
	s->len = len;
	s->line_starts = NULL;
	s->nlines = 0;
}

void ds_source_lines(struct ds_source *s, struct ds_arena *a)
{
	if (s->line_starts)
		return;
	/* one pass into a vector (no outgrown copies left in the arena), then adopted */
	size_t n = 0, cap = 0;
	uint32_t *v = ds_arena_vec_grow(NULL, sizeof *v, s->len / 32, &cap); /* a first guess */
	v[n++] = 0;
	const char *e = s->data + s->len;
	for (const char *p = s->data; (p = memchr(p, '\n', (size_t)(e - p))); p++) {
		if (n == cap)
			v = ds_arena_vec_grow(v, sizeof *v, n, &cap);
		v[n++] = (uint32_t)(p - s->data + 1);
	}
	ds_arena_vec_adopt(a, v);
	s->line_starts = v;
	s->nlines = n;
}

void ds_source_linecol(const struct ds_source *s, size_t off, uint32_t *line, uint32_t *col)
{
	size_t lo = 0, hi = s->nlines;
	if (off > s->len)
		off = s->len;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (uint32_t)lo + 1;
	*col = (uint32_t)(off - s->line_starts[lo]) + 1;
}

void ds_source_line_text(const struct ds_source *s, uint32_t line, size_t *start, size_t *len)
{
	if (line < 1 || line > s->nlines) {
		*start = s->len;
		*len = 0;
		return;
	}
	size_t b = s->line_starts[line - 1];
	size_t e = line < s->nlines ? s->line_starts[line] - 1 : s->len;
	if (e > b && s->data[e - 1] == '\r')
		e--;
	*start = b;
	*len = e - b;
}
