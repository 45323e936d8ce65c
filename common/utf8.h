/* utf8.h - decoding UTF-8 strictly (RFC 3629): the one validator every output format shares. */
#ifndef DS_COMMON_UTF8_H
#define DS_COMMON_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Decodes the UTF-8 sequence at s[0..n) (n >= 1). Returns its length (1 to
 * 4) and the code point in *cp, or 0 when the bytes are not a valid
 * sequence: a stray continuation byte, a truncated sequence, an overlong
 * form, a surrogate or a code point above U+10FFFF. ASCII bytes, control
 * characters included, decode as themselves.
 */
size_t ds_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/*
 * Whether code point cp is one a terminal or a log viewer acts on instead of
 * showing: DEL, the C1 controls (U+0080..U+009F), the line and paragraph
 * separators (U+2028, U+2029) and the bidirectional formatting characters
 * (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) that reorder
 * what a reader sees. C0 controls are not included: callers decide about
 * tab and newline.
 */
bool ds_utf8_is_hazard(unsigned cp);

/* Whether s[0..n) is valid UTF-8 throughout. */
bool ds_utf8_valid(const char *s, size_t n);

#endif
