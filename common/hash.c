/* hash.c - open-addressing string map with linear probing; see hash.h. */
#include "hash.h"

#include <string.h>

#include "arena.h"

struct ds_hmap_slot {
	const char *key; /* NULL: empty */
	uint32_t len;
	uint32_t hash;
	uint32_t value;
};

uint32_t ds_hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static struct ds_hmap_slot *probe(const struct ds_hmap *m, const char *key, size_t len, uint32_t h)
{
	uint32_t mask = m->cap - 1;
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		struct ds_hmap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len && !memcmp(s->key, key, len)))
			return s;
	}
}

uint32_t *ds_hmap_get(const struct ds_hmap *m, const char *key, size_t len)
{
	if (!m->n || len > UINT32_MAX)
		return NULL;
	struct ds_hmap_slot *s = probe(m, key, len, ds_hash_bytes(key, len));
	return s->key ? &s->value : NULL;
}

/* Doubles the table (or makes the first one) and moves every key over. */
static void grow(struct ds_hmap *m, struct ds_arena *a)
{
	uint32_t ncap = m->cap ? m->cap * 2 : 16;
	if (ncap < m->cap)
		ds_xmalloc(SIZE_MAX); /* more keys than a uint32_t counts: out of memory */
	struct ds_hmap_slot *old = m->slots;
	uint32_t ocap = m->cap;
	m->slots = ds_arena_zalloc(a, (size_t)ncap * sizeof *m->slots);
	m->cap = ncap;
	for (uint32_t i = 0; i < ocap; i++)
		if (old[i].key)
			*probe(m, old[i].key, old[i].len, old[i].hash) = old[i];
}

uint32_t *ds_hmap_put(struct ds_hmap *m, struct ds_arena *a, const char *key, size_t len,
		      uint32_t init, bool *added)
{
	if (len > UINT32_MAX)
		ds_xmalloc(SIZE_MAX);
	/* at most half full, so probes stay short */
	if ((size_t)m->n + 1 > m->cap / 2)
		grow(m, a);
	uint32_t h = ds_hash_bytes(key, len);
	struct ds_hmap_slot *s = probe(m, key, len, h);
	if (added)
		*added = !s->key;
	if (!s->key) {
		s->key = key;
		s->len = (uint32_t)len;
		s->hash = h;
		s->value = init;
		m->n++;
	}
	return &s->value;
}
