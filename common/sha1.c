/* sha1.c - SHA-1 as FIPS 180-4 §6.1.2 computes it; see sha1.h. */
#include "common/sha1.h"

#include <stdint.h>
#include <string.h>

static uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

/* One 64-byte block into the state h (§6.1.2 step 1-4). */
static void block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 |
		       (uint32_t)p[4 * t + 3];
	for (int t = 16; t < 80; t++)
		w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int t = 0; t < 80; t++) {
		uint32_t f, k;
		if (t < 20)
			f = (b & c) | (~b & d), k = 0x5a827999;
		else if (t < 40)
			f = b ^ c ^ d, k = 0x6ed9eba1;
		else if (t < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
		else
			f = b ^ c ^ d, k = 0xca62c1d6;
		uint32_t tmp = rol(a, 5) + f + e + k + w[t];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void ds_sha1_hex(const void *data, size_t len, char hex[41])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	const unsigned char *p = data;
	size_t n = len;
	for (; n >= 64; n -= 64, p += 64)
		block(h, p);
	/* the padding (§5.1.1): 0x80, zeros, and the length in bits, big-endian */
	unsigned char last[128];
	memset(last, 0, sizeof last);
	memcpy(last, p, n);
	last[n] = 0x80;
	size_t total = n + 9 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	for (int i = 0; i < 8; i++)
		last[total - 1 - (size_t)i] = (unsigned char)(bits >> (8 * i));
	block(h, last);
	if (total == 128)
		block(h, last + 64);
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 5; i++)
		for (int k = 0; k < 8; k++)
			hex[i * 8 + k] = digits[(h[i] >> (28 - 4 * k)) & 15];
	hex[40] = '\0';
}
