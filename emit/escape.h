/*
 * escape.h - the one escaping routine of every human-readable output: file
 * names quoted the way git quotes paths (core.quotePath), and messages and
 * source text with their control characters written out, so that nothing
 * read from a Dockerfile or a file name can move the cursor, retitle or
 * clear a terminal, or start a line of its own.
 *
 * What is escaped, in both modes: C0 controls (tab kept in text), DEL, the
 * C1 controls, bytes that are not valid UTF-8, and the characters
 * ds_utf8_is_hazard() names (line separators, bidirectional overrides).
 * Escapes are git's: \a \b \t \n \v \f \r, and \ooo (three octal digits)
 * for every other byte, a multi-byte character giving one \ooo per byte.
 * Valid UTF-8 otherwise passes unchanged (git with core.quotePath=false,
 * except that nothing a terminal acts on gets through).
 */
#ifndef DS_EMIT_ESCAPE_H
#define DS_EMIT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

struct ds_arena;
struct ds_buf;

enum ds_esc_mode {
	DS_ESC_NAME, /* a file name: also '"' and '\' escaped; quoted when anything is */
	DS_ESC_TEXT, /* a message or a source line: tab, '"' and '\' kept; never quoted */
};

/* One unit of input (a byte or a UTF-8 character) and what it becomes. */
struct ds_esc_unit {
	size_t in;      /* input bytes it covers (>= 1) */
	size_t len;     /* bytes of out */
	bool escaped;   /* out is an escape sequence rather than the input */
	char out[16];   /* up to four \ooo */
};

/* Reads the unit at s[0..n) (n >= 1) into *u. */
void ds_esc_next(const char *s, size_t n, enum ds_esc_mode mode, struct ds_esc_unit *u);

/* Whether the name s[0..n) is printed quoted (some unit of it is escaped). */
bool ds_esc_name_needs_quotes(const char *s, size_t n);

/*
 * Appends the file name s (NUL-terminated): unchanged when nothing in it
 * needs escaping, else in double quotes with the escapes above, exactly
 * like git's quote_c_style. NULL stands for standard input, "-".
 */
void ds_esc_name(struct ds_buf *out, const char *s);

/* Appends s[0..n) with the escapes of DS_ESC_TEXT, without quotes. */
void ds_esc_text(struct ds_buf *out, const char *s, size_t n);

/* ds_esc_name of s as a NUL-terminated copy in arena a. */
const char *ds_esc_name_dup(struct ds_arena *a, const char *s);
/* ds_esc_text of s (NUL-terminated) as a copy in arena a; NULL stays NULL. */
const char *ds_esc_text_dup(struct ds_arena *a, const char *s);

/*
 * Appends one diagnostic line, "NAME:LINE:COL: SEVERITY: MESSAGE [CODE]\n"
 * (":LINE:COL" left out when line is 0, " [CODE]" when code is NULL),
 * with the name quoted and the message and code escaped as above. This is
 * the shape of every error and finding distill prints for a person.
 */
void ds_esc_diag_line(struct ds_buf *out, const char *name, unsigned line, unsigned col, const char *severity,
		      const char *msg, const char *code);

#endif
