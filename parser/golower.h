/* golower.h - Go's strings.ToLower, which BuildKit applies to instruction keywords. */
#ifndef DS_PARSER_GOLOWER_H
#define DS_PARSER_GOLOWER_H

#include <stddef.h>
#include <stdint.h>

struct ds_buf;

/*
 * Go's unicode.ToLower of code point r: its simple lower-case mapping in
 * Unicode 15.0.0 (the tables of the Go release BuildKit is built with), or
 * r itself. U+0130 gives 'i' and U+212A KELVIN SIGN 'k'.
 */
uint32_t ds_go_tolower_rune(uint32_t r);

/*
 * Appends Go's strings.ToLower(s[0..n)) to out: an ASCII-only string has
 * A-Z lowered; any other is decoded rune by rune, each byte that is not
 * UTF-8 becoming U+FFFD, and each rune lowered. NUL bytes are kept.
 */
void ds_go_lower(struct ds_buf *out, const char *s, size_t n);

/*
 * The same into dst[0..cap); returns the length of the result, or a number
 * larger than cap when it does not fit (dst then holds a prefix).
 */
size_t ds_go_lower_to(char *dst, size_t cap, const char *s, size_t n);

#endif
