/* lsp_text.c - LSP lines and code-unit positions over a document's bytes; see lsp_text.h. */
#include "cli/lsp_text.h"

#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/utf8.h"

const char *ds_lsp_enc_name(enum ds_lsp_enc e)
{
	switch (e) {
	case DS_LSP_UTF8: return "utf-8";
	case DS_LSP_UTF32: return "utf-32";
	case DS_LSP_UTF16: break;
	}
	return "utf-16";
}

static void add_line(struct ds_lsp_lines *l, size_t off)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->start = ds_xrealloc(l->start, l->cap * sizeof *l->start);
	}
	l->start[l->n++] = off;
}

void ds_lsp_lines_build(struct ds_lsp_lines *l, const char *s, size_t len)
{
	l->n = 0;
	add_line(l, 0);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			add_line(l, i + 1);
		} else if (s[i] == '\r') {
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
			add_line(l, i + 1);
		}
	}
}

void ds_lsp_lines_release(struct ds_lsp_lines *l)
{
	free(l->start);
	memset(l, 0, sizeof *l);
}

/* The end of line k's content (before its line end). */
static size_t line_end(const char *s, size_t len, const struct ds_lsp_lines *l, size_t k)
{
	size_t e = k + 1 < l->n ? l->start[k + 1] : len;
	if (e > l->start[k] && s[e - 1] == '\n')
		e--;
	if (e > l->start[k] && s[e - 1] == '\r')
		e--;
	return e;
}

/* One code point at s[0..n): its width in bytes and in units of enc. */
static size_t step(const char *s, size_t n, enum ds_lsp_enc enc, size_t *units)
{
	unsigned cp;
	size_t w = ds_utf8_decode((const unsigned char *)s, n, &cp);
	if (!w) {
		*units = 1; /* not UTF-8: one unit a byte */
		return 1;
	}
	if (enc == DS_LSP_UTF8)
		*units = w;
	else if (enc == DS_LSP_UTF16)
		*units = cp >= 0x10000 ? 2 : 1;
	else
		*units = 1;
	return w;
}

struct ds_lsp_pos ds_lsp_pos_of(const char *s, size_t len, const struct ds_lsp_lines *l,
				enum ds_lsp_enc enc, size_t off)
{
	if (off > len)
		off = len;
	size_t lo = 0, hi = l->n;
	while (hi - lo > 1) { /* the last line starting at or before off */
		size_t mid = lo + (hi - lo) / 2;
		if (l->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	size_t b = l->start[lo], e = line_end(s, len, l, lo);
	if (off > e)
		off = e;
	size_t units = 0;
	for (size_t i = b; i < off;) {
		size_t u;
		i += step(s + i, e - i, enc, &u);
		units += u;
	}
	struct ds_lsp_pos p = { (uint32_t)lo, (uint32_t)units };
	return p;
}

size_t ds_lsp_off_of(const char *s, size_t len, const struct ds_lsp_lines *l, enum ds_lsp_enc enc,
		     struct ds_lsp_pos p)
{
	if (p.line >= l->n)
		return len;
	size_t i = l->start[p.line], e = line_end(s, len, l, p.line), units = 0;
	while (i < e && units < p.ch) {
		size_t u, w = step(s + i, e - i, enc, &u);
		if (units + u > p.ch)
			break; /* inside this code point */
		units += u;
		i += w;
	}
	return i;
}

void ds_lsp_text_splice(struct ds_buf *t, size_t off, size_t end, const char *s, size_t n)
{
	if (off > t->len)
		off = t->len;
	if (end > t->len)
		end = t->len;
	if (end < off)
		end = off;
	size_t tail = t->len - end;
	if (n > end - off)
		ds_buf_grow(t, n - (end - off));
	if (!t->buf) /* empty and nothing to insert */
		return;
	memmove(t->buf + off + n, t->buf + end, tail);
	if (n)
		memcpy(t->buf + off, s, n);
	t->len = off + n + tail;
	t->buf[t->len] = '\0';
}
