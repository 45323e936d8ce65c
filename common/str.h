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

/* Whether s[0..n) is one or more ASCII digits (false when n is 0). */
bool ds_str_all_digits(const char *s, size_t n);

/* Whether s equals one of the strings of list, which ends with NULL. */
bool ds_str_in_list(const char *s, const char *const *list);

/* Whether a shell or BuildKit would expand something in s: a '$' or a backtick. */
bool ds_str_has_expansion(const char *s);

#endif
