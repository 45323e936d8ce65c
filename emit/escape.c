/* escape.c - quoting file names and escaping text for people to read; see escape.h. */
#include "emit/escape.h"

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/utf8.h"

static void octal(struct ds_esc_unit *u, unsigned char c)
{
	if (u->len + 4 > sizeof u->out)
		return; /* never: a unit is at most four bytes; the bound tells GCC so */
	u->out[u->len++] = '\\';
	u->out[u->len++] = (char)('0' + (c >> 6));
	u->out[u->len++] = (char)('0' + ((c >> 3) & 7));
	u->out[u->len++] = (char)('0' + (c & 7));
}

static void short_escape(struct ds_esc_unit *u, char c)
{
	u->out[0] = '\\';
	u->out[1] = c;
	u->len = 2;
	u->escaped = true;
}

void ds_esc_next(const char *s, size_t n, enum ds_esc_mode mode, struct ds_esc_unit *u)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0];
	u->in = 1;
	u->len = 0;
	u->escaped = false;
	if (c < 0x20) {
		static const char letters[] = "abtnvfr"; /* \a (7) .. \r (13) */
		if (c == '\t' && mode == DS_ESC_TEXT) {
			u->out[u->len++] = '\t';
		} else if (c >= 7 && c <= 13) {
			short_escape(u, letters[c - 7]);
		} else {
			octal(u, c);
			u->escaped = true;
		}
		return;
	}
	if ((c == '"' || c == '\\') && mode == DS_ESC_NAME) {
		short_escape(u, (char)c);
		return;
	}
	if (c < 0x7f) {
		u->out[u->len++] = (char)c;
		return;
	}
	unsigned cp;
	size_t k = c == 0x7f ? 1 : ds_utf8_decode(p, n, &cp);
	if (!k) {
		octal(u, c); /* not UTF-8: the byte, written out */
		u->escaped = true;
		return;
	}
	u->in = k;
	if (c == 0x7f || ds_utf8_is_hazard(cp)) {
		for (size_t i = 0; i < k; i++)
			octal(u, p[i]);
		u->escaped = true;
		return;
	}
	memcpy(u->out, p, k);
	u->len = k;
}

bool ds_esc_name_needs_quotes(const char *s, size_t n)
{
	struct ds_esc_unit u;
	for (size_t i = 0; i < n; i += u.in) {
		ds_esc_next(s + i, n - i, DS_ESC_NAME, &u);
		if (u.escaped)
			return true;
	}
	return false;
}

static void add_units(struct ds_buf *out, const char *s, size_t n, enum ds_esc_mode mode)
{
	struct ds_esc_unit u;
	for (size_t i = 0; i < n; i += u.in) {
		ds_esc_next(s + i, n - i, mode, &u);
		ds_buf_add(out, u.out, u.len);
	}
}

void ds_esc_name(struct ds_buf *out, const char *s)
{
	if (!s)
		s = "-";
	size_t n = strlen(s);
	if (!ds_esc_name_needs_quotes(s, n)) {
		ds_buf_add(out, s, n);
		return;
	}
	ds_buf_addc(out, '"');
	add_units(out, s, n, DS_ESC_NAME);
	ds_buf_addc(out, '"');
}

void ds_esc_text(struct ds_buf *out, const char *s, size_t n)
{
	add_units(out, s, n, DS_ESC_TEXT);
}

/* The contents of b as a copy in a; b is released. */
static const char *dup_release(struct ds_arena *a, struct ds_buf *b)
{
	const char *r = ds_arena_strndup(a, b->buf ? b->buf : "", b->len);
	ds_buf_release(b);
	return r;
}

const char *ds_esc_name_dup(struct ds_arena *a, const char *s)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_name(&b, s);
	return dup_release(a, &b);
}

const char *ds_esc_text_dup(struct ds_arena *a, const char *s)
{
	if (!s)
		return NULL;
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_text(&b, s, strlen(s));
	return dup_release(a, &b);
}

void ds_esc_diag_line(struct ds_buf *out, const char *name, unsigned line, unsigned col, const char *severity,
		      const char *msg, const char *code)
{
	ds_esc_name(out, name);
	if (line)
		ds_buf_addf(out, ":%u:%u", line, col);
	ds_buf_adds(out, ": ");
	ds_buf_adds(out, severity);
	ds_buf_adds(out, ": ");
	ds_esc_text(out, msg ? msg : "", msg ? strlen(msg) : 0);
	if (code) {
		ds_buf_adds(out, " [");
		ds_esc_text(out, code, strlen(code));
		ds_buf_addc(out, ']');
	}
	ds_buf_addc(out, '\n');
}
