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

/* The hash of a pair of characters, a bit of a glob_hint set. */
static unsigned char pair(unsigned char a, unsigned char b)
{
	return (unsigned char)(a * 31u + b);
}

struct glob_key ds_catalog__glob_key(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	struct glob_key k = { pair(u[0], n ? u[1] : 0), pair(n >= 2 ? u[n - 2] : 0, n ? u[n - 1] : 0) };
	return k;
}

static void set_bit(unsigned char *set, unsigned char b)
{
	set[b >> 3] |= (unsigned char)(1u << (b & 7));
}

void ds_catalog__glob_hint(struct glob_hint *h, const struct ds_strlist *g)
{
	memset(h, 0, sizeof *h);
	bool all_first = !g->n, all_last = !g->n;
	for (size_t i = 0; i < g->n; i++) {
		const unsigned char *p = (const unsigned char *)g->v[i];
		size_t n = strlen(g->v[i]);
		/*
		 * A plain character (not '*', '?' or a class) is the name's own, so a
		 * pattern's first two, or last two, plain characters are the name's
		 * (a one-character pattern is the whole name). A class can only end
		 * at a ']', so before a plain last character there is no class.
		 */
		bool plain0 = n && p[0] != '*' && p[0] != '?' && p[0] != '[';
		bool plain1 = n < 2 || (p[1] != '*' && p[1] != '?' && p[1] != '[');
		if (plain0 && plain1)
			set_bit(h->first, pair(p[0], n >= 2 ? p[1] : 0));
		else
			all_first = true;
		bool plain_last = n && p[n - 1] != '*' && p[n - 1] != '?' && p[n - 1] != ']';
		bool plain_before = n < 2 || (p[n - 2] != '*' && p[n - 2] != '?' && p[n - 2] != ']');
		if (plain_last && plain_before)
			set_bit(h->last, pair(n >= 2 ? p[n - 2] : 0, p[n - 1]));
		else
			all_last = true;
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
