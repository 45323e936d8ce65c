/* str.h - small predicates on NUL-terminated strings shared by every layer. */
#ifndef DS_COMMON_STR_H
#define DS_COMMON_STR_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s begins with prefix. */
bool ds_str_has_prefix(const char *s, const char *prefix);

/* Whether s ends with suffix. */
bool ds_str_has_suffix(const char *s, const char *suffix);

/* The part of path p after its last '/' (p itself when it has none); points into p. */
const char *ds_str_basename(const char *p);

/*
 * Reads a size: digits, then optionally K, M or G (any case, with or without
 * a following "iB" or "B"), each 1024 times the one before: "512", "64K",
 * "1M", "2GiB". Returns 0 with *out set, or -1 for anything else, zero, or a
 * size that does not fit in size_t.
 */
int ds_str_parse_size(const char *s, size_t *out);

/* Whether s[0..n) is one or more ASCII digits (false when n is 0). */
bool ds_str_all_digits(const char *s, size_t n);

/* Whether s equals one of the strings of list, which ends with NULL. */
bool ds_str_in_list(const char *s, const char *const *list);

/*
 * The Levenshtein distance between a[0..n) and b[0..m), or a large value
 * (99) when either is longer than 63 bytes.
 */
size_t ds_str_distance(const char *a, size_t n, const char *b, size_t m);

/*
 * The candidate closest to word (an exact match excluded) when it is near
 * enough to be a typo: at most 2 edits, and fewer than half of word's
 * length; NULL otherwise. cands ends with NULL. With fold, letters compare
 * without case.
 */
const char *ds_str_suggest(const char *word, const char *const *cands, bool fold);

/* The value of hexadecimal digit c (0-9, a-f, A-F), or -1. */
int ds_str_hexval(char c);

/* Whether a shell or BuildKit would expand something in s: a '$' or a backtick. */
bool ds_str_has_expansion(const char *s);

#endif
