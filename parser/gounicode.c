/* gounicode.c - Go's case mapping and character classes over the generated tables (gounicode.def). */
#include "parser/gounicode.h"

#include "common/buf.h"
#include "parser/json.h"

static const struct lower_range {
	uint32_t lo, hi;
	uint32_t stride;
	int32_t delta;
} lower_ranges[] = {
#define DS_LOWER(lo, hi, stride, delta) { lo, hi, stride, delta },
#define DS_PRINT(lo, hi)
#define DS_LETTER(lo, hi)
#define DS_DIGIT(lo, hi)
#include "parser/gounicode.def"
#undef DS_LOWER
#undef DS_PRINT
#undef DS_LETTER
#undef DS_DIGIT
};

struct class_range {
	uint32_t lo, hi;
};

/* Each class table is the rows of one macro of gounicode.def; the others expand to nothing. */
#define DS_LOWER(lo, hi, stride, delta)
#define DS_PRINT(lo, hi) { lo, hi },
#define DS_LETTER(lo, hi)
#define DS_DIGIT(lo, hi)
static const struct class_range print_ranges[] = {
#include "parser/gounicode.def"
};
#undef DS_PRINT
#define DS_PRINT(lo, hi)
#undef DS_LETTER
#define DS_LETTER(lo, hi) { lo, hi },
static const struct class_range letter_ranges[] = {
#include "parser/gounicode.def"
};
#undef DS_LETTER
#define DS_LETTER(lo, hi)
#undef DS_DIGIT
#define DS_DIGIT(lo, hi) { lo, hi },
static const struct class_range digit_ranges[] = {
#include "parser/gounicode.def"
};
#undef DS_LOWER
#undef DS_PRINT
#undef DS_LETTER
#undef DS_DIGIT

static int in_ranges(const struct class_range *t, size_t n, uint32_t r)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (r < t[m].lo)
			hi = m;
		else if (r > t[m].hi)
			lo = m + 1;
		else
			return 1;
	}
	return 0;
}

#define IN_RANGES(t, r) in_ranges(t, sizeof t / sizeof *t, r)

int ds_go_isprint(uint32_t r)
{
	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	return IN_RANGES(print_ranges, r);
}

int ds_go_isletter(uint32_t r)
{
	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
	return IN_RANGES(letter_ranges, r);
}

int ds_go_isdigit(uint32_t r)
{
	if (r < 0x80)
		return r >= '0' && r <= '9';
	return IN_RANGES(digit_ranges, r);
}

uint32_t ds_go_tolower_rune(uint32_t r)
{
	if (r < 0x80)
		return r >= 'A' && r <= 'Z' ? r + 32 : r;
	size_t lo = 0, hi = sizeof lower_ranges / sizeof *lower_ranges;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		const struct lower_range *c = &lower_ranges[m];
		if (r < c->lo) {
			hi = m;
		} else if (r > c->hi) {
			lo = m + 1;
		} else {
			if ((r - c->lo) % c->stride)
				return r;
			return (uint32_t)((int32_t)r + c->delta);
		}
	}
	return r;
}

size_t ds_go_lower_to(char *dst, size_t cap, const char *s, size_t n)
{
	/* Go lowers only A-Z in an ASCII string; unicode.ToLower does the same to ASCII runes */
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		char u[4];
		size_t w, k;
		if ((unsigned char)s[i] < 0x80) {
			char c = s[i];
			u[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			w = k = 1;
		} else {
			/* Go's range loop: a byte that is not UTF-8 is U+FFFD */
			uint32_t r = ds_utf8_get(s + i, n - i, &w);
			k = ds_utf8_put(u, ds_go_tolower_rune(r));
		}
		for (size_t j = 0; j < k; j++, o++)
			if (o < cap)
				dst[o] = u[j];
		i += w;
	}
	return o;
}

void ds_go_lower(struct ds_buf *out, const char *s, size_t n)
{
	/* a rune never grows past 4 bytes, and an invalid byte becomes 3 */
	ds_buf_grow(out, n * 3 + 1);
	size_t k = ds_go_lower_to(out->buf + out->len, out->cap - out->len, s, n);
	out->len += k;
	out->buf[out->len] = '\0';
}

void ds_go_quote(struct ds_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	ds_buf_addc(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			switch (c) {
			case '"': ds_buf_adds(out, "\\\""); continue;
			case '\\': ds_buf_adds(out, "\\\\"); continue;
			case '\a': ds_buf_adds(out, "\\a"); continue;
			case '\b': ds_buf_adds(out, "\\b"); continue;
			case '\f': ds_buf_adds(out, "\\f"); continue;
			case '\n': ds_buf_adds(out, "\\n"); continue;
			case '\r': ds_buf_adds(out, "\\r"); continue;
			case '\t': ds_buf_adds(out, "\\t"); continue;
			case '\v': ds_buf_adds(out, "\\v"); continue;
			default:
				if (c < 0x20 || c == 0x7F) {
					char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
					ds_buf_add(out, e, 4);
				} else {
					ds_buf_addc(out, (char)c);
				}
				continue;
			}
		}
		size_t w;
		uint32_t r = ds_utf8_get(s + i, n - i, &w);
		if (r == 0xFFFD && w == 1) {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			ds_buf_add(out, e, 4);
		} else if (ds_go_isprint(r)) {
			ds_buf_add(out, s + i, w);
		} else if (r < 0x10000) {
			ds_buf_addf(out, "\\u%04x", (unsigned)r);
		} else {
			ds_buf_addf(out, "\\U%08x", (unsigned)r);
		}
		i += w;
	}
	ds_buf_addc(out, '"');
}
