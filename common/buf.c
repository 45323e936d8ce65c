/* buf.c - growable byte buffer; see buf.h. */
#include "buf.h"
#include "arena.h"
#include "utf8.h"

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
	const unsigned char *p = (const unsigned char *)s;
	ds_buf_grow(b, n + 2);
	ds_buf_addc(b, '"');
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			/* a run of printable ASCII, which needs no escape, at once */
			size_t k = i + 1;
			while (k < n && p[k] >= 0x20 && p[k] < 0x7f && p[k] != '"' && p[k] != '\\')
				k++;
			ds_buf_add(b, s + i, k - i);
			i = k;
			continue;
		}
		switch (c) {
		case '"': ds_buf_add(b, "\\\"", 2); i++; continue;
		case '\\': ds_buf_add(b, "\\\\", 2); i++; continue;
		case '\n': ds_buf_add(b, "\\n", 2); i++; continue;
		case '\r': ds_buf_add(b, "\\r", 2); i++; continue;
		case '\t': ds_buf_add(b, "\\t", 2); i++; continue;
		default: break;
		}
		unsigned cp;
		size_t k = ds_utf8_decode(p + i, n - i, &cp);
		if (!k) {
			/* invalid UTF-8: U+FFFD (callers that must keep a name add its bytes in base64) */
			ds_buf_add(b, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		/*
		 * Control characters (C0, DEL, C1) and the characters that end a line
		 * or reorder text on a terminal are written as \u escapes, so a
		 * consumer that prints a decoded string still sees them written out.
		 */
		if (cp < 0x20 || ds_utf8_is_hazard(cp)) {
			char e[6] = { '\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15], hex[cp & 15] };
			ds_buf_add(b, e, 6);
		} else {
			ds_buf_add(b, s + i, k);
		}
		i += k;
	}
	ds_buf_addc(b, '"');
}

void ds_buf_add_base64(struct ds_buf *b, const void *data, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	if (!n)
		return;
	ds_buf_grow(b, (n + 2) / 3 * 4);
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		char q[4] = { tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63] };
		ds_buf_add(b, q, 4);
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0u);
		char q[4] = { tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=', '=' };
		ds_buf_add(b, q, 4);
	}
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int ds_buf_add_base64_decoded(struct ds_buf *b, const char *s, size_t n)
{
	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		size_t pad = 0;
		for (size_t k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)s[i + k];
			if (c == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (pad || (v[k] = b64_value(c)) < 0) {
				return -1;
			}
		}
		unsigned x = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
		char q[3] = { (char)(x >> 16), (char)((x >> 8) & 255), (char)(x & 255) };
		ds_buf_add(b, q, 3 - pad);
	}
	return 0;
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
