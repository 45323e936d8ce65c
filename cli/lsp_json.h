/* lsp_json.h - JSON values for the language server: a strict reader into an arena, and a writer. */
#ifndef DS_CLI_LSP_JSON_H
#define DS_CLI_LSP_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct ds_arena;
struct ds_buf;

enum ds_jtype {
	DS_JNULL,
	DS_JBOOL,
	DS_JNUM,
	DS_JSTR,
	DS_JARR,
	DS_JOBJ,
};

/*
 * One JSON value (RFC 8259). Everything lives in the arena given to
 * ds_jval_parse(). Strings are decoded (escapes resolved, \u surrogate
 * pairs joined into UTF-8, a lone surrogate becoming U+FFFD) and
 * NUL-terminated; they may hold NUL bytes, so len is authoritative. Bytes
 * that are not UTF-8 are kept as they are: an editor that sends a file's
 * raw bytes gets them back unchanged. raw is the value's own text in the
 * input, for echoing a request id exactly.
 */
struct ds_jval {
	enum ds_jtype type;
	bool b;                    /* DS_JBOOL */
	double num;                /* DS_JNUM */
	const char *str;           /* DS_JSTR: decoded text */
	size_t len;                /* DS_JSTR: length of str */
	struct ds_jval *items;     /* DS_JARR: elements; DS_JOBJ: member values */
	const char **keys;         /* DS_JOBJ: member names (decoded, NUL-terminated) */
	size_t *klens;             /* DS_JOBJ: their lengths */
	size_t n;                  /* DS_JARR, DS_JOBJ: number of items */
	const char *raw;           /* the value's text in the input */
	size_t rawlen;
};

/* The nesting depth ds_jval_parse() accepts; deeper input is an error. */
#define DS_JSON_MAX_DEPTH 256

/*
 * Parses s[0..n) as exactly one JSON value (surrounding white space
 * allowed). Returns 0 with *out in a, or -1 with *err (static, lower case)
 * saying what is wrong: a syntax error, nesting deeper than
 * DS_JSON_MAX_DEPTH, a number that is not finite. Never reads beyond n.
 */
int ds_jval_parse(struct ds_arena *a, const char *s, size_t n, struct ds_jval **out,
		  const char **err);

/* The member key of object v (the last one when repeated), or NULL (also when v is NULL or no object). */
const struct ds_jval *ds_jval_get(const struct ds_jval *v, const char *key);
/* Follows a dotted member path ("textDocument.uri"); NULL when any step is missing. */
const struct ds_jval *ds_jval_find(const struct ds_jval *v, const char *path);
/* The text of string v, or NULL when v is NULL or not a string. */
const char *ds_jval_str(const struct ds_jval *v);
/*
 * Stores number v in *out when it is an integer between lo and hi
 * (inclusive) and returns true; false otherwise (*out untouched).
 */
bool ds_jval_int(const struct ds_jval *v, long long lo, long long hi, long long *out);
/* Whether v is the boolean true. */
bool ds_jval_true(const struct ds_jval *v);
/* Whether array v holds the string s. */
bool ds_jval_has_str(const struct ds_jval *v, const char *s);

/*
 * A JSON writer appending to a buffer; it places the commas. Keys and
 * values alternate inside objects. Strings are escaped and made valid
 * UTF-8 (ds_buf_add_json_str). Nesting is limited to DS_JW_DEPTH levels,
 * far more than any message needs; deeper calls abort (a programming error).
 */
#define DS_JW_DEPTH 32

struct ds_jw {
	struct ds_buf *b;
	int depth;
	bool need_comma[DS_JW_DEPTH];
	bool after_key;
};

/* Starts writing into b (appended to what it holds). */
void ds_jw_init(struct ds_jw *w, struct ds_buf *b);
void ds_jw_obj(struct ds_jw *w);
void ds_jw_obj_end(struct ds_jw *w);
void ds_jw_arr(struct ds_jw *w);
void ds_jw_arr_end(struct ds_jw *w);
/* A member name; the next call writes its value. */
void ds_jw_key(struct ds_jw *w, const char *k);
void ds_jw_str(struct ds_jw *w, const char *s);
void ds_jw_strn(struct ds_jw *w, const char *s, size_t n);
void ds_jw_int(struct ds_jw *w, long long v);
void ds_jw_bool(struct ds_jw *w, bool v);
void ds_jw_null(struct ds_jw *w);
/* Already-valid JSON text s[0..n) as one value (an echoed request id). */
void ds_jw_raw(struct ds_jw *w, const char *s, size_t n);

#endif
