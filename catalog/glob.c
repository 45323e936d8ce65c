/* glob.c - the glob patterns catalogue entries match image names and tags with. */
#include "catalog/internal.h"

#include <string.h>

/* Matches c against the class at *pp ("[a-z]", "[!0-9]"); moves *pp past it. */
static bool glob_class(const char **pp, char c)
{
	const char *p = *pp + 1;
	bool neg = false, hit = false;
	if (*p == '!') {
		neg = true;
		p++;
	}
	const char *start = p;
	while (*p && (*p != ']' || p == start)) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= p[0] && c <= p[2])
				hit = true;
			p += 3;
		} else {
			if (c == *p)
				hit = true;
			p++;
		}
	}
	if (*p != ']')
		return false; /* caller treats '[' literally */
	*pp = p + 1;
	return hit != neg;
}

/*
 * ds_catalog__glob_match() of s, sn bytes long. A query tries hundreds of
 * patterns on one name, and most of them are rejected by their first or
 * last element, a plain character the name does not start or end with
 * ("gcr.io/distroless/...", ".../library/node"): that is checked first,
 * without the backtracking scan, which was a fifth of an audit.
 */
static bool match(const char *p, const char *s, size_t sn)
{
	if (*p != '*' && *p != '?' && *p != '[' && *p != *s)
		return false;
	size_t pn = strlen(p);
	if (pn && p[pn - 1] != '*' && p[pn - 1] != '?' && p[pn - 1] != ']' && (!sn || s[sn - 1] != p[pn - 1]))
		return false;
	const char *star_p = NULL, *star_s = NULL;
	while (*s) {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (*p == '[' && strchr(p + 1, ']')) {
			const char *q = p;
			if (glob_class(&q, *s)) {
				p = q;
				s++;
				continue;
			}
		} else if (*p && (*p == '?' || *p == *s)) {
			p++;
			s++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

bool ds_catalog__glob_match(const char *p, const char *s)
{
	return match(p, s, strlen(s));
}

bool ds_catalog__globs_match(const struct ds_strlist *g, const char *s)
{
	if (!g->n)
		return true;
	size_t sn = strlen(s);
	for (size_t i = 0; i < g->n; i++)
		if (match(g->v[i], s, sn))
			return true;
	return false;
}

void ds_catalog__glob_hint(struct glob_hint *h, const struct ds_strlist *g)
{
	memset(h, 0, sizeof *h);
	bool all_first = !g->n, all_last = !g->n;
	for (size_t i = 0; i < g->n; i++) {
		const unsigned char *p = (const unsigned char *)g->v[i];
		size_t n = strlen(g->v[i]);
		/* as match() reads a pattern: a plain first or last character is the name's */
		if (!n || p[0] == '*' || p[0] == '?' || p[0] == '[')
			all_first = true;
		else
			h->first[p[0] >> 3] |= (unsigned char)(1u << (p[0] & 7));
		if (!n || p[n - 1] == '*' || p[n - 1] == '?' || p[n - 1] == ']')
			all_last = true;
		else
			h->last[p[n - 1] >> 3] |= (unsigned char)(1u << (p[n - 1] & 7));
	}
	if (all_first)
		memset(h->first, 0xff, sizeof h->first);
	if (all_last)
		memset(h->last, 0xff, sizeof h->last);
}

bool ds_catalog__list_has(const struct ds_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}
