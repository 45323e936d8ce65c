/* buf.c - growable byte buffer; see buf.h. */
#include "buf.h"
#include "arena.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ds_buf_init(struct ds_buf *b)
{
	b->buf = NULL;
	b->len = b->cap = 0;
}

void ds_buf_grow(struct ds_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t ncap = b->cap ? b->cap : 64;
	while (ncap < b->len + extra + 1)
		ncap *= 2;
	b->buf = ds_xrealloc(b->buf, ncap);
	b->cap = ncap;
}

void ds_buf_add(struct ds_buf *b, const void *data, size_t n)
{
	ds_buf_grow(b, n);
	if (n)
		memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void ds_buf_adds(struct ds_buf *b, const char *s)
{
	ds_buf_add(b, s, strlen(s));
}

void ds_buf_addc(struct ds_buf *b, char c)
{
	ds_buf_grow(b, 1);
	b->buf[b->len++] = c;
	b->buf[b->len] = '\0';
}

void ds_buf_addf(struct ds_buf *b, const char *fmt, ...)
{
	va_list ap;
	ds_buf_grow(b, 64);
	va_start(ap, fmt);
	int n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		ds_buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void ds_buf_add_json_str(struct ds_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	ds_buf_grow(b, n + 2);
	ds_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': ds_buf_add(b, "\\\"", 2); break;
		case '\\': ds_buf_add(b, "\\\\", 2); break;
		case '\n': ds_buf_add(b, "\\n", 2); break;
		case '\r': ds_buf_add(b, "\\r", 2); break;
		case '\t': ds_buf_add(b, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				ds_buf_add(b, e, 6);
			} else if (c >= 0x80) {
				/* keep valid UTF-8, replace invalid bytes by U+FFFD */
				size_t k = 0;
				unsigned cp = 0;
				if (c >= 0xc2 && c <= 0xdf) { k = 1; cp = c & 0x1f; }
				else if (c >= 0xe0 && c <= 0xef) { k = 2; cp = c & 0x0f; }
				else if (c >= 0xf0 && c <= 0xf4) { k = 3; cp = c & 0x07; }
				int ok = k > 0;
				for (size_t j = 1; ok && j <= k; j++) {
					if (i + j >= n || ((unsigned char)s[i + j] & 0xc0) != 0x80)
						ok = 0;
					else
						cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3f);
				}
				if (ok && ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
					   (cp >= 0xd800 && cp <= 0xdfff)))
					ok = 0;
				if (ok) {
					ds_buf_add(b, s + i, k + 1);
					i += k;
				} else {
					ds_buf_add(b, "\xef\xbf\xbd", 3);
				}
			} else {
				ds_buf_addc(b, (char)c);
			}
		}
	}
	ds_buf_addc(b, '"');
}

void ds_buf_add_xml(struct ds_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '<': ds_buf_adds(b, "&lt;"); break;
		case '>': ds_buf_adds(b, "&gt;"); break;
		case '&': ds_buf_adds(b, "&amp;"); break;
		case '"': ds_buf_adds(b, "&quot;"); break;
		case '\'': ds_buf_adds(b, "&apos;"); break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				ds_buf_addf(b, "&#xFFFD;");
			else
				ds_buf_addc(b, (char)c);
		}
	}
}

void ds_buf_reset(struct ds_buf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

char *ds_buf_detach(struct ds_buf *b, size_t *len)
{
	if (!b->buf)
		ds_buf_grow(b, 0), b->buf[0] = '\0';
	char *p = b->buf;
	if (len)
		*len = b->len;
	ds_buf_init(b);
	return p;
}

void ds_buf_release(struct ds_buf *b)
{
	free(b->buf);
	ds_buf_init(b);
}

char *ds_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct ds_buf b = DS_BUF_INIT;
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		ds_buf_add(&b, chunk, k);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		ds_buf_release(&b);
		errno = EIO;
		return NULL;
	}
	return ds_buf_detach(&b, len);
}
