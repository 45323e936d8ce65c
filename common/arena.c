/* arena.c - bump allocator in chained blocks; see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ds_arena_block {
	struct ds_arena_block *next;
	size_t size;
	/* payload follows, aligned */
};

#define DS_ALIGN 16u
#define DS_BLOCK_MIN (64u * 1024u)
#define DS_HDR (((sizeof(struct ds_arena_block) + DS_ALIGN - 1) / DS_ALIGN) * DS_ALIGN)

static void ds_die_oom(size_t n)
{
	fprintf(stderr, "distill: out of memory allocating %zu bytes\n", n);
	abort();
}

void *ds_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		ds_die_oom(n);
	return p;
}

void *ds_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		ds_die_oom(n);
	return q;
}

void *ds_xgrow_zeroed(void *v, size_t elem, size_t i, size_t *cap, size_t first)
{
	if (i < *cap)
		return v;
	size_t ncap = *cap ? *cap : first;
	while (ncap <= i)
		ncap *= 2;
	v = ds_xrealloc(v, ncap * elem);
	memset((char *)v + *cap * elem, 0, (ncap - *cap) * elem);
	*cap = ncap;
	return v;
}

void *ds_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		ds_die_oom(n * m);
	return p;
}

char *ds_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = ds_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

void ds_arena_init(struct ds_arena *a)
{
	a->head = NULL;
	a->cur = a->end = NULL;
	a->total = 0;
}

/* Makes room for n bytes at a->cur, aligned first when align is set. */
static void reserve(struct ds_arena *a, size_t n, int align)
{
	if (a->cur) {
		size_t pad = align ? (size_t)(-(uintptr_t)a->cur & (DS_ALIGN - 1)) : 0;
		if ((size_t)(a->end - a->cur) >= pad && (size_t)(a->end - a->cur) - pad >= n) {
			a->cur += pad;
			return;
		}
	}
	size_t size = n > DS_BLOCK_MIN ? n : DS_BLOCK_MIN;
	/* grow block size with the arena so big files need few blocks */
	if (a->total / 2 > size && a->total / 2 < (64u << 20))
		size = a->total / 2;
	if (size > SIZE_MAX - DS_HDR)
		ds_die_oom(n);
	struct ds_arena_block *b = ds_xmalloc(DS_HDR + size);
	b->next = a->head;
	b->size = size;
	a->head = b;
	a->total += DS_HDR + size;
	/* a block's payload starts aligned: DS_HDR is a multiple of DS_ALIGN */
	a->cur = (char *)b + DS_HDR;
	a->end = a->cur + size;
}

void *ds_arena_alloc(struct ds_arena *a, size_t n)
{
	reserve(a, n, 1);
	void *p = a->cur;
	a->cur += n;
	return p;
}

char *ds_arena_alloc_bytes(struct ds_arena *a, size_t n)
{
	reserve(a, n, 0);
	char *p = a->cur;
	a->cur += n;
	return p;
}

void *ds_arena_zalloc(struct ds_arena *a, size_t n)
{
	void *p = ds_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *ds_arena_strndup(struct ds_arena *a, const char *s, size_t n)
{
	if (n + 1 == 0)
		ds_die_oom(n);
	char *p = ds_arena_alloc_bytes(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ds_arena_strdup(struct ds_arena *a, const char *s)
{
	return ds_arena_strndup(a, s, strlen(s));
}

char *ds_arena_printf(struct ds_arena *a, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ds_arena_strdup(a, "");
	char *p = ds_arena_alloc_bytes(a, (size_t)n + 1);
	if ((size_t)n < sizeof small) {
		memcpy(p, small, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return p;
}

void *ds_arena_grow(struct ds_arena *a, void *v, size_t elem, size_t n, size_t *cap)
{
	if (n < *cap)
		return v;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *nv = ds_arena_alloc(a, ncap * elem);
	if (n)
		memcpy(nv, v, n * elem);
	*cap = ncap;
	return nv;
}

void ds_arena_release(struct ds_arena *a)
{
	struct ds_arena_block *b = a->head;
	while (b) {
		struct ds_arena_block *next = b->next;
		free(b);
		b = next;
	}
	ds_arena_init(a);
}

void ds_arena_reset(struct ds_arena *a)
{
	struct ds_arena_block *keep = a->head;
	if (!keep)
		return;
	if (keep->size > (1u << 20)) {
		/* a big block would stay for good: give everything back */
		ds_arena_release(a);
		return;
	}
	struct ds_arena_block *b = keep->next;
	while (b) {
		struct ds_arena_block *next = b->next;
		free(b);
		b = next;
	}
	keep->next = NULL;
	a->total = DS_HDR + keep->size;
	a->cur = (char *)keep + DS_HDR;
	a->end = a->cur + keep->size;
}

/* A vector is a block with the arena's header in front, so that adopting it is linking it. */
void *ds_arena_vec_grow(void *v, size_t elem, size_t n, size_t *cap)
{
	if (v && n < *cap)
		return v;
	size_t ncap = *cap ? *cap + *cap / 2 + 8 : 8;
	if (ncap <= n)
		ncap = n + 1;
	if (elem && ncap > (SIZE_MAX - DS_HDR) / elem)
		ds_die_oom(SIZE_MAX);
	char *b = v ? (char *)v - DS_HDR : NULL;
	b = ds_xrealloc(b, DS_HDR + ncap * elem);
	((struct ds_arena_block *)b)->size = ncap * elem;
	*cap = ncap;
	return b + DS_HDR;
}

void ds_arena_vec_adopt(struct ds_arena *a, void *v)
{
	if (!v)
		return;
	struct ds_arena_block *b = (struct ds_arena_block *)((char *)v - DS_HDR);
	/* behind the current block, so the free space of that one stays in use */
	if (a->head) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = NULL;
		a->head = b;
		a->cur = a->end = (char *)v + b->size; /* full: the next allocation takes a new block */
	}
	a->total += DS_HDR + b->size;
}

void ds_arena_vec_free(void *v)
{
	if (v)
		free((char *)v - DS_HDR);
}
