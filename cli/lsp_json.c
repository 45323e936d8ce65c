/* lsp_json.c - JSON reader and writer for the language server (RFC 8259); see lsp_json.h. */
#include "cli/lsp_json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/str.h"
#include "parser/json.h"

struct reader {
	struct ds_arena *a;
	const char *s;
	size_t n, i;
	const char *err;
};

static void skip_ws(struct reader *r)
{
	while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' ||
			       r->s[r->i] == '\r'))
		r->i++;
}

static int fail(struct reader *r, const char *msg)
{
	if (!r->err)
		r->err = msg;
	return -1;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int k = 0; k < 4; k++) {
		int h = ds_str_hexval(p[k]);
		if (h < 0)
			return -1;
		v = v << 4 | (uint32_t)h;
	}
	*out = v;
	return 0;
}

/* Reads a string literal at r->i (on the opening quote) into *str, *len. */
static int read_string(struct reader *r, const char **str, size_t *len)
{
	size_t i = ++r->i, end = i;
	bool plain = true;
	while (end < r->n && r->s[end] != '"') {
		unsigned char c = (unsigned char)r->s[end];
		if (c < 0x20)
			return fail(r, "control character in a string");
		if (c == '\\') {
			plain = false;
			end++;
		}
		end++;
	}
	if (end >= r->n)
		return fail(r, "unterminated string");
	if (plain) {
		*str = ds_arena_strndup(r->a, r->s + i, end - i);
		*len = end - i;
		r->i = end + 1;
		return 0;
	}
	/* escapes never make the text longer: \uXXXX (6 bytes) gives at most 3,
	 * a surrogate pair (12 bytes) 4 */
	char *o = ds_arena_alloc(r->a, end - i + 1);
	size_t k = 0;
	while (i < end) {
		char c = r->s[i];
		if (c != '\\') {
			o[k++] = c;
			i++;
			continue;
		}
		char e = r->s[i + 1];
		i += 2;
		switch (e) {
		case '"': o[k++] = '"'; break;
		case '\\': o[k++] = '\\'; break;
		case '/': o[k++] = '/'; break;
		case 'b': o[k++] = '\b'; break;
		case 'f': o[k++] = '\f'; break;
		case 'n': o[k++] = '\n'; break;
		case 'r': o[k++] = '\r'; break;
		case 't': o[k++] = '\t'; break;
		case 'u': {
			uint32_t cp;
			if (end - i < 4 || hex4(r->s + i, &cp))
				return fail(r, "bad \\u escape in a string");
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				uint32_t lo;
				if (end - i >= 6 && r->s[i] == '\\' && r->s[i + 1] == 'u' && !hex4(r->s + i + 2, &lo) &&
				    lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 6;
				} else {
					cp = 0xFFFD;
				}
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			k += ds_utf8_put(o + k, cp);
			break;
		}
		default:
			return fail(r, "bad escape in a string");
		}
	}
	o[k] = '\0';
	*str = o;
	*len = k;
	r->i = end + 1;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int read_number(struct reader *r, struct ds_jval *v)
{
	size_t i = r->i;
	if (i < r->n && r->s[i] == '-')
		i++;
	if (i >= r->n || !is_digit(r->s[i]))
		return fail(r, "bad number");
	if (r->s[i] == '0')
		i++;
	else
		while (i < r->n && is_digit(r->s[i]))
			i++;
	if (i < r->n && r->s[i] == '.') {
		i++;
		if (i >= r->n || !is_digit(r->s[i]))
			return fail(r, "bad number");
		while (i < r->n && is_digit(r->s[i]))
			i++;
	}
	if (i < r->n && (r->s[i] == 'e' || r->s[i] == 'E')) {
		i++;
		if (i < r->n && (r->s[i] == '+' || r->s[i] == '-'))
			i++;
		if (i >= r->n || !is_digit(r->s[i]))
			return fail(r, "bad number");
		while (i < r->n && is_digit(r->s[i]))
			i++;
	}
	char *text = ds_arena_strndup(r->a, r->s + r->i, i - r->i);
	v->type = DS_JNUM;
	v->num = strtod(text, NULL);
	if (!isfinite(v->num))
		return fail(r, "number out of range");
	r->i = i;
	return 0;
}

static int read_literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);
	if (r->n - r->i < n || memcmp(r->s + r->i, word, n))
		return fail(r, "unexpected character");
	r->i += n;
	return 0;
}

static int read_value(struct reader *r, struct ds_jval *v, int depth)
{
	memset(v, 0, sizeof *v);
	skip_ws(r);
	if (r->i >= r->n)
		return fail(r, "unexpected end of input");
	if (depth > DS_JSON_MAX_DEPTH)
		return fail(r, "nesting too deep");
	size_t start = r->i;
	int rc = 0;
	char c = r->s[r->i];
	if (c == '{' || c == '[') {
		bool obj = c == '{';
		char close = obj ? '}' : ']';
		size_t cap = 0, kcap = 0, lcap = 0;
		v->type = obj ? DS_JOBJ : DS_JARR;
		r->i++;
		skip_ws(r);
		if (r->i < r->n && r->s[r->i] == close) {
			r->i++;
		} else {
			for (;;) {
				skip_ws(r);
				if (obj) {
					if (r->i >= r->n || r->s[r->i] != '"')
						return fail(r, "expected a member name");
					const char *k;
					size_t kl;
					if (read_string(r, &k, &kl))
						return -1;
					skip_ws(r);
					if (r->i >= r->n || r->s[r->i] != ':')
						return fail(r, "expected ':' after a member name");
					r->i++;
					v->keys = ds_arena_grow(r->a, v->keys, sizeof *v->keys, v->n, &kcap);
					v->klens = ds_arena_grow(r->a, v->klens, sizeof *v->klens, v->n, &lcap);
					v->keys[v->n] = k;
					v->klens[v->n] = kl;
				}
				v->items = ds_arena_grow(r->a, v->items, sizeof *v->items, v->n, &cap);
				if (read_value(r, &v->items[v->n], depth + 1))
					return -1;
				v->n++;
				skip_ws(r);
				if (r->i < r->n && r->s[r->i] == ',') {
					r->i++;
					continue;
				}
				if (r->i < r->n && r->s[r->i] == close) {
					r->i++;
					break;
				}
				return fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
			}
		}
	} else if (c == '"') {
		v->type = DS_JSTR;
		rc = read_string(r, &v->str, &v->len);
	} else if (c == 't') {
		v->type = DS_JBOOL;
		v->b = true;
		rc = read_literal(r, "true");
	} else if (c == 'f') {
		v->type = DS_JBOOL;
		rc = read_literal(r, "false");
	} else if (c == 'n') {
		v->type = DS_JNULL;
		rc = read_literal(r, "null");
	} else if (c == '-' || is_digit(c)) {
		rc = read_number(r, v);
	} else {
		rc = fail(r, "unexpected character");
	}
	v->raw = r->s + start;
	v->rawlen = r->i - start;
	return rc;
}

int ds_jval_parse(struct ds_arena *a, const char *s, size_t n, struct ds_jval **out,
		  const char **err)
{
	struct reader r = { a, s, n, 0, NULL };
	struct ds_jval *v = ds_arena_alloc(a, sizeof *v);
	if (read_value(&r, v, 0) == 0) {
		skip_ws(&r);
		if (r.i == n) {
			*out = v;
			return 0;
		}
		fail(&r, "text after the value");
	}
	*err = r.err;
	return -1;
}

const struct ds_jval *ds_jval_get(const struct ds_jval *v, const char *key)
{
	if (!v || v->type != DS_JOBJ)
		return NULL;
	size_t kl = strlen(key);
	for (size_t i = v->n; i-- > 0;)
		if (v->klens[i] == kl && !memcmp(v->keys[i], key, kl))
			return &v->items[i];
	return NULL;
}

const struct ds_jval *ds_jval_find(const struct ds_jval *v, const char *path)
{
	char key[128];
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = ds_jval_get(v, key);
		path += n + (dot != NULL);
	}
	return v;
}

const char *ds_jval_str(const struct ds_jval *v)
{
	return v && v->type == DS_JSTR ? v->str : NULL;
}

bool ds_jval_int(const struct ds_jval *v, long long lo, long long hi, long long *out)
{
	if (!v || v->type != DS_JNUM || v->num != floor(v->num) || v->num < (double)lo ||
	    v->num > (double)hi)
		return false;
	*out = (long long)v->num;
	return true;
}

bool ds_jval_true(const struct ds_jval *v)
{
	return v && v->type == DS_JBOOL && v->b;
}

bool ds_jval_has_str(const struct ds_jval *v, const char *s)
{
	if (!v || v->type != DS_JARR)
		return false;
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i].type == DS_JSTR && !strcmp(v->items[i].str, s))
			return true;
	return false;
}

/* ---- writer ---- */

void ds_jw_init(struct ds_jw *w, struct ds_buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

/* Before any value: the comma that separates it from the previous one. */
static void before_value(struct ds_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		ds_buf_addc(w->b, ',');
	w->need_comma[w->depth] = true;
}

static void jw_open(struct ds_jw *w, char c)
{
	before_value(w);
	if (w->depth + 1 >= DS_JW_DEPTH) {
		fprintf(stderr, "distill: internal error: JSON output nested too deep\n");
		abort();
	}
	ds_buf_addc(w->b, c);
	w->need_comma[++w->depth] = false;
}

static void jw_close(struct ds_jw *w, char c)
{
	ds_buf_addc(w->b, c);
	w->depth--;
}

void ds_jw_obj(struct ds_jw *w)
{
	jw_open(w, '{');
}

void ds_jw_obj_end(struct ds_jw *w)
{
	jw_close(w, '}');
}

void ds_jw_arr(struct ds_jw *w)
{
	jw_open(w, '[');
}

void ds_jw_arr_end(struct ds_jw *w)
{
	jw_close(w, ']');
}

void ds_jw_key(struct ds_jw *w, const char *k)
{
	before_value(w);
	ds_buf_add_json_str(w->b, k, strlen(k));
	ds_buf_addc(w->b, ':');
	w->after_key = true;
}

void ds_jw_strn(struct ds_jw *w, const char *s, size_t n)
{
	before_value(w);
	ds_buf_add_json_str(w->b, s, n);
}

void ds_jw_str(struct ds_jw *w, const char *s)
{
	ds_jw_strn(w, s, strlen(s));
}

void ds_jw_int(struct ds_jw *w, long long v)
{
	before_value(w);
	ds_buf_addf(w->b, "%lld", v);
}

void ds_jw_bool(struct ds_jw *w, bool v)
{
	before_value(w);
	ds_buf_adds(w->b, v ? "true" : "false");
}

void ds_jw_null(struct ds_jw *w)
{
	before_value(w);
	ds_buf_adds(w->b, "null");
}

void ds_jw_raw(struct ds_jw *w, const char *s, size_t n)
{
	before_value(w);
	ds_buf_add(w->b, s, n);
}
