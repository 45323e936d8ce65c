/* json.h - Go-compatible JSON string-array decoding for exec form. */
#ifndef DS_PARSER_JSON_H
#define DS_PARSER_JSON_H

#include <stddef.h>
#include <stdint.h>

struct ds_arena;

/* One decoded element: text (NUL-terminated, in the arena) and where its
 * literal (quotes included) stands in the input. */
struct ds_jstr {
	const char *text;
	uint32_t len;
	uint32_t off, end;
};

enum {
	DS_JSON_NOT_ARRAY = 0, /* not valid JSON, not an array, or a number beyond float64: shell form */
	DS_JSON_STRINGS = 1,   /* a valid array of strings: exec form */
	DS_JSON_NON_STRING = -1, /* a valid array holding a non-string: an error */
};

/*
 * Decodes s[0..n) the way BuildKit's parseJSON does (after its left trim):
 * it must start with '[' and be one complete JSON value (encoding/json
 * rules: RFC 8259 syntax, depth limit 10000, invalid UTF-8 and lone
 * surrogates become U+FFFD, a number anywhere in it that overflows a
 * float64 fails the decoding). Returns one of DS_JSON_*; with DS_JSON_STRINGS
 * *out holds *count elements in the arena.
 */
int ds_json_string_array(struct ds_arena *a, const char *s, size_t n, struct ds_jstr **out,
			 size_t *count);

/* Appends the UTF-8 encoding of code point cp to p; returns bytes written (1-4). */
size_t ds_utf8_put(char *p, uint32_t cp);
/* Decodes one code point at s[0..n) like Go's utf8.DecodeRune: invalid
 * input gives 0xFFFD with width 1. n must be > 0. */
uint32_t ds_utf8_get(const char *s, size_t n, size_t *width);

#endif
