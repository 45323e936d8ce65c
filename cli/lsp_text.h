/* lsp_text.h - an editor document's text: LSP lines, and positions in UTF-8, UTF-16 or UTF-32 code units. */
#ifndef DS_CLI_LSP_TEXT_H
#define DS_CLI_LSP_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct ds_buf;

/*
 * The unit of a position's `character` (LSP 3.17 PositionEncodingKind):
 * UTF-16 code units unless client and server agree on another. distill
 * itself counts bytes.
 */
enum ds_lsp_enc {
	DS_LSP_UTF8,
	DS_LSP_UTF16,
	DS_LSP_UTF32,
};

/* "utf-8", "utf-16", "utf-32". */
const char *ds_lsp_enc_name(enum ds_lsp_enc e);

/*
 * The lines of a text as the protocol counts them: a line ends at "\n",
 * "\r\n" or "\r" (so a lone CR ends a line here, though not for BuildKit).
 * start[k] is the byte offset of line k (0-based); there is always at
 * least one line. The arrays are on the heap.
 */
struct ds_lsp_lines {
	size_t *start;
	size_t n, cap;
};

/* Rebuilds l for s[0..len) (l zeroed or built before). */
void ds_lsp_lines_build(struct ds_lsp_lines *l, const char *s, size_t len);
/* Frees l's arrays. */
void ds_lsp_lines_release(struct ds_lsp_lines *l);

/* A protocol position: 0-based line and character (code units of the encoding). */
struct ds_lsp_pos {
	uint32_t line, ch;
};

/*
 * How code units are counted: a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) is one code point,
 * which is 1 to 4 UTF-8 units, 1 or 2 UTF-16 units (2 above U+FFFF) and 1
 * UTF-32 unit. Each byte that is not part of a well-formed sequence counts
 * as one unit in every encoding, as a client that keeps a file's raw bytes
 * (Neovim) counts it; a client that decoded the file sends U+FFFD instead,
 * which is well-formed.
 */

/*
 * The position of byte offset off of s[0..len) (l built for s). An offset
 * beyond len is len; one inside a line end is the end of that line; one
 * inside a code point counts that code point.
 */
struct ds_lsp_pos ds_lsp_pos_of(const char *s, size_t len, const struct ds_lsp_lines *l,
				enum ds_lsp_enc enc, size_t off);

/*
 * The byte offset of position p in s[0..len). As the protocol says, a
 * character beyond the line's length is the end of the line (before its
 * line end), and a line beyond the last is the end of the text. A
 * character inside a code point (the second half of a surrogate pair)
 * stands for the code point's start.
 */
size_t ds_lsp_off_of(const char *s, size_t len, const struct ds_lsp_lines *l, enum ds_lsp_enc enc,
		     struct ds_lsp_pos p);

/* Replaces bytes [off, end) of t by s[0..n); off and end are clamped to t's length, end to >= off. */
void ds_lsp_text_splice(struct ds_buf *t, size_t off, size_t end, const char *s, size_t n);

#endif
