/* json.c - JSON validation and string-array decoding (RFC 8259, Go's rules). */
#include "parser/json.h"

#include <string.h>

#include "common/arena.h"
#include "common/str.h"

#define DS_JSON_MAX_DEPTH 10000

size_t ds_utf8_put(char *p, uint32_t cp)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xC0 | (cp >> 6));
		p[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (char)(0xE0 | (cp >> 12));
		p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		p[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | (cp >> 18));
	p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	p[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	p[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

uint32_t ds_utf8_get(const char *s, size_t n, size_t *width)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char c = u[0];
	*width = 1;
	if (c < 0x80)
		return c;
	size_t k;
	uint32_t cp, min;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		k = 1, cp = c & 0x1Fu, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 2, cp = c & 0x0Fu, min = 0x800;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 3, cp = c & 0x07u, min = 0x10000;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0xFFFD;
	}
	if (n < k + 1)
		return 0xFFFD;
	for (size_t i = 1; i <= k; i++) {
		unsigned char b = u[i];
		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
			return 0xFFFD;
		cp = (cp << 6) | (b & 0x3Fu);
	}
	if (cp < min)
		return 0xFFFD;
	*width = k + 1;
	return cp;
}

static int js_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Validates a string literal starting at s[i] == '"'; returns index after it or 0. */
static size_t scan_string(const char *s, size_t n, size_t i)
{
	i++;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (i + 1 >= n)
				return 0;
			char e = s[i + 1];
			if (e == 'u') {
				if (i + 5 >= n)
					return 0;
				for (int k = 2; k < 6; k++)
					if (ds_str_hexval(s[i + (size_t)k]) < 0)
						return 0;
				i += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", e) || e == '\0')
				return 0;
			i += 2;
			continue;
		}
		i++;
	}
	return 0;
}

static size_t scan_number(const char *s, size_t n, size_t i)
{
	if (i < n && s[i] == '-')
		i++;
	if (i >= n)
		return 0;
	if (s[i] == '0') {
		i++;
	} else if (s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return 0;
	}
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i;
}

/*
 * The least decimal that rounds to infinity as a float64: MaxFloat64 plus
 * half a unit in the last place, 2^1024 - 2^970 (a tie rounds to even,
 * which is up). It has 309 digits.
 */
static const char float64_overflow[] =
	"1797693134862315807937289714053034150799341327100378269361737789804449682927647509466490179775872070"
	"9633028641669288791094655554785194040263065748867150582068190890200070838367627385484581771153176447"
	"5730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904"
	"174497792";

/*
 * Whether the valid JSON number s[b..e) is too large for a float64: Go's
 * encoding/json then fails to decode it (strconv.ParseFloat's range error),
 * and BuildKit reads the line as shell form. Underflow is no error.
 */
static int number_overflows(const char *s, size_t b, size_t e)
{
	size_t i = b;
	if (s[i] == '-')
		i++;
	size_t ib = i;
	while (i < e && s[i] >= '0' && s[i] <= '9')
		i++;
	size_t ie = i, fb = i, fe = i;
	if (i < e && s[i] == '.') {
		fb = ++i;
		while (i < e && s[i] >= '0' && s[i] <= '9')
			i++;
		fe = i;
	}
	long exp = 0;
	if (i < e) {
		int neg = 0;
		i++; /* 'e' or 'E' */
		if (s[i] == '+' || s[i] == '-')
			neg = s[i++] == '-';
		for (; i < e; i++)
			if (exp < 1000000)
				exp = exp * 10 + (s[i] - '0');
		if (neg)
			exp = -exp;
	}
	/* the decimal exponent of the first significant digit */
	long mag;
	size_t d = ib;
	while (d < ie && s[d] == '0')
		d++;
	if (d < ie) {
		mag = (long)(ie - d) - 1;
	} else {
		d = fb;
		while (d < fe && s[d] == '0')
			d++;
		if (d == fe)
			return 0; /* zero */
		mag = -(long)(d - fb) - 1;
	}
	mag += exp;
	if (mag != (long)sizeof float64_overflow - 2)
		return mag > (long)sizeof float64_overflow - 2;
	/* same magnitude: compare the significant digits with the threshold's */
	const size_t tn = sizeof float64_overflow - 1;
	size_t t = 0;
	size_t r[2][2] = { { d, ie }, { fb, fe } };
	if (d >= ie)
		r[0][1] = d, r[1][0] = d; /* the first significant digit is in the fraction */
	for (int k = 0; k < 2; k++) {
		for (size_t p = r[k][0]; p < r[k][1]; p++, t++) {
			char want = t < tn ? float64_overflow[t] : '0';
			if (s[p] != want)
				return s[p] > want;
		}
	}
	/* equal so far: the number is smaller unless the threshold's rest is zeros */
	for (; t < tn; t++)
		if (float64_overflow[t] != '0')
			return 0;
	return 1;
}

static uint32_t get4(const char *p)
{
	uint32_t v = 0;
	for (int k = 0; k < 4; k++)
		v = v * 16 + (uint32_t)ds_str_hexval(p[k]);
	return v;
}

/* Decodes a validated string literal s[i..j) (quotes included). */
static void decode_string(struct ds_arena *a, const char *s, size_t i, size_t j, struct ds_jstr *out)
{
	/* output is never longer than 3 bytes per input byte */
	char *buf = ds_arena_alloc(a, (j - i) * 3 + 1);
	size_t o = 0;
	size_t p = i + 1, e = j - 1;
	while (p < e) {
		unsigned char c = (unsigned char)s[p];
		if (c == '\\') {
			char x = s[p + 1];
			if (x == 'u') {
				uint32_t cp = get4(s + p + 2);
				p += 6;
				if (cp >= 0xD800 && cp < 0xDC00) {
					if (p + 6 <= e && s[p] == '\\' && s[p + 1] == 'u') {
						uint32_t lo = get4(s + p + 2);
						if (lo >= 0xDC00 && lo < 0xE000) {
							cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
							p += 6;
						} else {
							cp = 0xFFFD;
						}
					} else {
						cp = 0xFFFD;
					}
				} else if (cp >= 0xDC00 && cp < 0xE000) {
					cp = 0xFFFD;
				}
				o += ds_utf8_put(buf + o, cp);
				continue;
			}
			switch (x) {
			case 'b': buf[o++] = '\b'; break;
			case 'f': buf[o++] = '\f'; break;
			case 'n': buf[o++] = '\n'; break;
			case 'r': buf[o++] = '\r'; break;
			case 't': buf[o++] = '\t'; break;
			default: buf[o++] = x; break;
			}
			p += 2;
			continue;
		}
		if (c < 0x80) {
			buf[o++] = (char)c;
			p++;
			continue;
		}
		size_t w;
		uint32_t cp = ds_utf8_get(s + p, e - p, &w);
		if (cp == 0xFFFD && w == 1)
			o += ds_utf8_put(buf + o, 0xFFFD);
		else
			memcpy(buf + o, s + p, w), o += w;
		p += w;
	}
	buf[o] = '\0';
	out->text = buf;
	out->len = (uint32_t)o;
	out->off = (uint32_t)i;
	out->end = (uint32_t)j;
}

int ds_json_string_array(struct ds_arena *a, const char *s, size_t n, struct ds_jstr **out,
			 size_t *count)
{
	*out = NULL;
	*count = 0;
	if (n == 0 || s[0] != '[')
		return DS_JSON_NOT_ARRAY;
	/*
	 * Pass 1: validate the whole value iteratively with an explicit stack
	 * (1 = array, 2 = object); remember whether every element of the top
	 * array is a string.
	 */
	unsigned char small[64];
	unsigned char *stack = small;
	size_t depth = 0, cap = sizeof small;
	size_t i = 0, nstr = 0;
	int all_strings = 1;
	int overflow = 0; /* a number too large for a float64 */
	/* state: expecting a value (after '[' or ',' or ':'), or after a value */
	enum { VALUE, AFTER } st = VALUE;
	int empty_ok = 0; /* a ']' or '}' may follow right after the opener */
	int want_key = 0;
	int result = DS_JSON_NOT_ARRAY;
	for (;;) {
		while (i < n && js_ws(s[i]))
			i++;
		if (st == VALUE) {
			if (i >= n)
				goto done;
			char c = s[i];
			if (empty_ok && ((c == ']' && stack[depth - 1] == 1) || (c == '}' && stack[depth - 1] == 2))) {
				depth--;
				i++;
				st = AFTER;
				empty_ok = 0;
				if (depth == 0)
					goto end_value;
				continue;
			}
			empty_ok = 0;
			if (want_key && c != '"')
				goto done;
			if (depth == 1 && stack[0] == 1 && c != '"')
				all_strings = 0;
			if (c == '[' || c == '{') {
				if (depth >= DS_JSON_MAX_DEPTH)
					goto done;
				if (depth == cap) {
					unsigned char *ns = ds_arena_alloc(a, cap * 2);
					memcpy(ns, stack, cap);
					stack = ns;
					cap *= 2;
				}
				stack[depth++] = c == '[' ? 1 : 2;
				i++;
				empty_ok = 1;
				want_key = c == '{';
				continue;
			}
			size_t j;
			if (c == '"') {
				j = scan_string(s, n, i);
				if (depth == 1 && stack[0] == 1)
					nstr++;
			} else if (c == '-' || (c >= '0' && c <= '9')) {
				j = scan_number(s, n, i);
				if (j && number_overflows(s, i, j))
					overflow = 1;
			} else if (n - i >= 4 && !memcmp(s + i, "true", 4)) {
				j = i + 4;
			} else if (n - i >= 5 && !memcmp(s + i, "false", 5)) {
				j = i + 5;
			} else if (n - i >= 4 && !memcmp(s + i, "null", 4)) {
				j = i + 4;
			} else {
				goto done;
			}
			if (!j)
				goto done;
			i = j;
			if (want_key) {
				while (i < n && js_ws(s[i]))
					i++;
				if (i >= n || s[i] != ':')
					goto done;
				i++;
				want_key = 0;
				continue; /* now a value */
			}
			st = AFTER;
			continue;
		}
		/* AFTER a value inside a container */
		if (i >= n)
			goto done;
		if (s[i] == ',') {
			i++;
			st = VALUE;
			want_key = stack[depth - 1] == 2;
			continue;
		}
		if ((s[i] == ']' && stack[depth - 1] == 1) || (s[i] == '}' && stack[depth - 1] == 2)) {
			depth--;
			i++;
			if (depth == 0)
				goto end_value;
			continue;
		}
		goto done;
	}
end_value:
	while (i < n && js_ws(s[i]))
		i++;
	if (i != n)
		goto done;
	/* Go decodes the whole value before BuildKit looks at the elements */
	if (overflow)
		goto done;
	if (!all_strings) {
		result = DS_JSON_NON_STRING;
		goto done;
	}
	/* Pass 2: decode the strings of the top-level array. */
	{
		struct ds_jstr *v = nstr ? ds_arena_alloc(a, nstr * sizeof *v) : NULL;
		size_t k = 0;
		i = 1;
		for (;;) {
			while (i < n && js_ws(s[i]))
				i++;
			if (s[i] == ']')
				break;
			if (s[i] == ',') {
				i++;
				continue;
			}
			size_t j = scan_string(s, n, i);
			decode_string(a, s, i, j, &v[k++]);
			i = j;
		}
		*out = v;
		*count = k;
		result = DS_JSON_STRINGS;
	}
done:
	return result;
}
