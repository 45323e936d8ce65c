/* str.c - small predicates on NUL-terminated strings shared by every layer. */
#include "common/str.h"

#include <stdint.h>
#include <string.h>

bool ds_str_has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool ds_str_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

const char *ds_str_basename(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int ds_str_parse_size(const char *s, size_t *out)
{
	size_t v = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		size_t d = (size_t)(*p - '0');
		if (v > (SIZE_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	unsigned shift = 0;
	switch (*p) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case '\0': break;
	default: return -1;
	}
	if (shift) {
		p++;
		if (*p == 'i' && p[1] == 'B')
			p += 2;
		else if (*p == 'B' || *p == 'b')
			p++;
	}
	if (*p || !v || v > (SIZE_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

bool ds_str_all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool ds_str_in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (s[0] == list[i][0] && !strcmp(s, list[i])) /* the first letter settles most */
			return true;
	return false;
}

size_t ds_str_distance(const char *a, size_t n, const char *b, size_t m)
{
	if (n > 63 || m > 63)
		return 99;
	size_t row[64];
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[m];
}

const char *ds_str_suggest(const char *word, const char *const *cands, bool fold)
{
	char w[64];
	size_t n = strlen(word);
	if (!n || n > 63)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		w[i] = fold && word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] + 32) : word[i];
	const char *best = NULL;
	size_t bd = 3;
	for (size_t i = 0; cands[i]; i++) {
		char c[64];
		size_t m = strlen(cands[i]);
		if (m > 63)
			continue;
		for (size_t k = 0; k <= m; k++)
			c[k] = fold && cands[i][k] >= 'A' && cands[i][k] <= 'Z' ? (char)(cands[i][k] + 32) : cands[i][k];
		size_t d = ds_str_distance(w, n, c, m);
		if (d && d < bd && d * 2 < n) {
			bd = d;
			best = cands[i];
		}
	}
	return best;
}

bool ds_str_has_expansion(const char *s)
{
	return strchr(s, '$') || strchr(s, '`');
}

int ds_str_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
