/* utf8.c - strict UTF-8 decoding; see utf8.h. */
#include "common/utf8.h"

size_t ds_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t k;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		k = 1, *cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		k = 2, *cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 3, *cp = c & 0x07;
	else
		return 0;
	if (k >= n)
		return 0;
	for (size_t j = 1; j <= k; j++) {
		if ((s[j] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[j] & 0x3fu);
	}
	if ((k == 2 && *cp < 0x800) || (k == 3 && (*cp < 0x10000 || *cp > 0x10ffff)) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return k + 1;
}

bool ds_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = ds_utf8_decode(p + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

bool ds_utf8_is_hazard(unsigned cp)
{
	return cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}
