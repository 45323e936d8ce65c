/* arena.h - one memory region per input file, released in one call. */
#ifndef DS_COMMON_ARENA_H
#define DS_COMMON_ARENA_H

#include <stddef.h>

/*
 * An arena hands out memory that lives until ds_arena_release(). Nothing
 * allocated from it is freed on its own. Allocation failure aborts the
 * process with a message (see ds_xmalloc), so no function here returns NULL.
 * An arena is not thread-safe; each thread uses its own.
 */
struct ds_arena_block;

struct ds_arena {
	struct ds_arena_block *head;
	char *cur;   /* next free byte in head */
	char *end;   /* end of head */
	size_t total; /* bytes obtained from malloc, for RSS accounting */
};

#define DS_ARENA_INIT { NULL, NULL, NULL, 0 }

void ds_arena_init(struct ds_arena *a);
/* Returns n bytes aligned for any type, uninitialised. n may be 0. */
void *ds_arena_alloc(struct ds_arena *a, size_t n);
/* Returns n zeroed bytes. */
void *ds_arena_zalloc(struct ds_arena *a, size_t n);
/* Returns n bytes with no alignment (for text), uninitialised. */
char *ds_arena_alloc_bytes(struct ds_arena *a, size_t n);
/* Returns a NUL-terminated copy of s[0..n) (not aligned: strings need none). */
char *ds_arena_strndup(struct ds_arena *a, const char *s, size_t n);
char *ds_arena_strdup(struct ds_arena *a, const char *s);
/* printf into the arena; returns the NUL-terminated result. */
char *ds_arena_printf(struct ds_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Grows an array held in the arena: *v has *cap elements of size elem;
 * when n == *cap the array is copied into a larger block. Returns *v.
 */
void *ds_arena_grow(struct ds_arena *a, void *v, size_t elem, size_t n, size_t *cap);
/* Frees every block; the arena is empty and reusable afterwards. */
void ds_arena_release(struct ds_arena *a);
/*
 * Empties the arena (everything allocated before is gone) but keeps its
 * newest block for what comes next when it is small (up to 1 MiB): for
 * arenas reused many times, which then cost no malloc and free each time.
 */
void ds_arena_reset(struct ds_arena *a);

/*
 * Growable arrays whose final size is not known, kept out of the arena
 * while they grow: growing one in the arena leaves every outgrown copy
 * behind (as much again as the array), while a vector is reallocated (big
 * ones move by remapping, without a copy) and handed to the arena once
 * complete. A vector is NULL when empty; ds_arena_vec_grow() returns v with
 * room for element n (of size elem), *cap counting elements.
 * ds_arena_vec_adopt() gives v to the arena, which frees it on release (v
 * must not grow afterwards); ds_arena_vec_free() frees one not adopted.
 */
void *ds_arena_vec_grow(void *v, size_t elem, size_t n, size_t *cap);
void ds_arena_vec_adopt(struct ds_arena *a, void *v);
void ds_arena_vec_free(void *v);

/* malloc/realloc/calloc that abort with a message on failure. */
void *ds_xmalloc(size_t n);
void *ds_xrealloc(void *p, size_t n);
void *ds_xcalloc(size_t n, size_t m);
char *ds_xstrdup(const char *s);
/*
 * Grows the malloc'ed array v (*cap elements of size elem, NULL when empty)
 * so that index i fits, doubling from first; new elements are zeroed.
 * Returns v, moved or not.
 */
void *ds_xgrow_zeroed(void *v, size_t elem, size_t i, size_t *cap, size_t first);

#endif
