/* gounicode.c - Go's strings.ToLower and unicode.IsPrint over the generated tables (gounicode.def). */
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
#include "parser/gounicode.def"
#undef DS_PRINT
#undef DS_LOWER
};

static const struct print_range {
	uint32_t lo, hi;
} print_ranges[] = {
#define DS_LOWER(lo, hi, stride, delta)
#define DS_PRINT(lo, hi) { lo, hi },
#include "parser/gounicode.def"
#undef DS_PRINT
#undef DS_LOWER
};

int ds_go_isprint(uint32_t r)
{
	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	size_t lo = 0, hi = sizeof print_ranges / sizeof *print_ranges;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (r < print_ranges[m].lo)
			hi = m;
		else if (r > print_ranges[m].hi)
			lo = m + 1;
		else
			return 1;
	}
	return 0;
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
