/* markup.c - HTML, Markdown, CSV and shell-word escaping over emit/escape.h; see markup.h. */
#include "emit/markup.h"

#include <string.h>

#include "common/buf.h"
#include "emit/escape.h"

/* Calls put for every output byte of s[0..n) escaped in mode (escape sequences are ASCII). */
static void each_byte(struct ds_buf *out, const char *s, size_t n, enum ds_esc_mode mode,
		      void (*put)(struct ds_buf *, char))
{
	struct ds_esc_unit u;
	for (size_t i = 0; i < n; i += u.in) {
		ds_esc_next(s + i, n - i, mode, &u);
		for (size_t k = 0; k < u.len; k++)
			put(out, u.out[k]);
	}
}

static void html_byte(struct ds_buf *out, char c)
{
	switch (c) {
	case '&': ds_buf_adds(out, "&amp;"); break;
	case '<': ds_buf_adds(out, "&lt;"); break;
	case '>': ds_buf_adds(out, "&gt;"); break;
	case '"': ds_buf_adds(out, "&quot;"); break;
	case '\'': ds_buf_adds(out, "&#39;"); break;
	default: ds_buf_addc(out, c); break;
	}
}

void ds_markup_html(struct ds_buf *out, const char *s, size_t n)
{
	each_byte(out, s, n, DS_ESC_TEXT, html_byte);
}

void ds_markup_html_name(struct ds_buf *out, const char *s)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_name(&b, s);
	/* already escaped: every byte left is printable, only the markup characters remain */
	for (size_t i = 0; i < b.len; i++)
		html_byte(out, b.buf[i]);
	ds_buf_release(&b);
}

static void md_byte(struct ds_buf *out, char c)
{
	if (c && strchr("\\`*_{}[]<>#|~&!@$", c))
		ds_buf_addc(out, '\\');
	ds_buf_addc(out, c);
}

void ds_markup_md(struct ds_buf *out, const char *s, size_t n)
{
	each_byte(out, s, n, DS_ESC_TEXT, md_byte);
}

static size_t longest_backticks(const char *s, size_t n)
{
	size_t best = 0, run = 0;
	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

size_t ds_markup_md_fence(const char *text, size_t n)
{
	size_t k = longest_backticks(text, n) + 1;
	return k < 3 ? 3 : k;
}

void ds_markup_md_code(struct ds_buf *out, const char *s, bool name, bool in_table)
{
	struct ds_buf b = DS_BUF_INIT;
	if (name)
		ds_esc_name(&b, s);
	else if (s)
		ds_esc_text(&b, s, strlen(s));
	if (!b.len) {
		ds_buf_adds(out, "` `"); /* nothing: a space, as `` would open a longer fence */
		return;
	}
	size_t fence = longest_backticks(b.buf, b.len) + 1;
	/* a span that starts or ends with a backtick needs a space inside the fence */
	bool pad = b.buf[0] == '`' || b.buf[b.len - 1] == '`';
	for (size_t i = 0; i < fence; i++)
		ds_buf_addc(out, '`');
	if (pad)
		ds_buf_addc(out, ' ');
	for (size_t i = 0; i < b.len; i++) {
		if (in_table && b.buf[i] == '|')
			ds_buf_addc(out, '\\');
		ds_buf_addc(out, b.buf[i]);
	}
	if (pad)
		ds_buf_addc(out, ' ');
	for (size_t i = 0; i < fence; i++)
		ds_buf_addc(out, '`');
	ds_buf_release(&b);
}

/* Writes the escaped text e[0..n) as a CSV field. */
static void csv_field(struct ds_buf *out, const char *e, size_t n)
{
	bool guard = n > 1 && strchr("=+-@\t", e[0]);
	bool quote = n && (e[0] == ' ' || e[n - 1] == ' ');
	for (size_t i = 0; i < n && !quote; i++)
		quote = e[i] == ',' || e[i] == '"';
	if (quote)
		ds_buf_addc(out, '"');
	if (guard)
		ds_buf_addc(out, '\'');
	for (size_t i = 0; i < n; i++) {
		if (e[i] == '"')
			ds_buf_addc(out, '"');
		ds_buf_addc(out, e[i]);
	}
	if (quote)
		ds_buf_addc(out, '"');
}

void ds_markup_csv(struct ds_buf *out, const char *s, size_t n)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_text(&b, s, n);
	csv_field(out, b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
}

void ds_markup_csv_name(struct ds_buf *out, const char *s)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_name(&b, s);
	csv_field(out, b.buf, b.len);
	ds_buf_release(&b);
}

void ds_markup_sh_word(struct ds_buf *out, const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p && plain; p++) {
		char c = *p;
		plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("%+,-./:=@_", c);
	}
	if (plain) {
		ds_buf_adds(out, s);
		return;
	}
	ds_buf_addc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			ds_buf_adds(out, "'\\''");
		else
			ds_buf_addc(out, *p);
	}
	ds_buf_addc(out, '\'');
}
