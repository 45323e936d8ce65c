/* hash.h - a map from byte strings to 32-bit values, held in an arena. */
#ifndef DS_COMMON_HASH_H
#define DS_COMMON_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds_arena;
struct ds_hmap_slot;

/*
 * An open-addressing hash table for the lookups by name that must stay
 * constant-time on any input (stage names, variables, list keys). Keys are
 * not copied: the caller keeps them alive as long as the map (in practice,
 * both live in the same arena). The table lives in the arena too; growing
 * it leaves the old slots there until the arena is released. Zeroed memory
 * (or DS_HMAP_INIT) is an empty map. Not thread-safe.
 */
struct ds_hmap {
	struct ds_hmap_slot *slots;
	uint32_t cap; /* a power of two, or 0 */
	uint32_t n;   /* keys held */
};

#define DS_HMAP_INIT { NULL, 0, 0 }

/* FNV-1a of s[0..n), 32 bits. */
uint32_t ds_hash_bytes(const char *s, size_t n);

/* The value of key[0..len), or NULL when the map does not hold it. */
uint32_t *ds_hmap_get(const struct ds_hmap *m, const char *key, size_t len);

/*
 * The value of key[0..len), inserted with value init when missing; *added
 * (optional) says whether it was. The pointer is valid until the next
 * insertion. A key longer than UINT32_MAX bytes is an allocation failure.
 */
uint32_t *ds_hmap_put(struct ds_hmap *m, struct ds_arena *a, const char *key, size_t len,
		      uint32_t init, bool *added);

#endif
