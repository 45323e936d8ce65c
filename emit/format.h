/* format.h - lint findings as text, gnu, JSON, SARIF 2.1.0 and checkstyle XML. */
#ifndef DS_EMIT_FORMAT_H
#define DS_EMIT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

struct ds_buf;
struct ds_diag;
struct ds_source;

/* The output formats, once: DS_FORMAT(ENUM, "name"). */
#define DS_FORMATS(X)              \
	X(TEXT, "text")            \
	X(GNU, "gnu")              \
	X(JSON, "json")            \
	X(SARIF, "sarif")          \
	X(CHECKSTYLE, "checkstyle")

enum ds_format {
#define DS_FORMAT_ENUM(e, name) DS_FMT_##e,
	DS_FORMATS(DS_FORMAT_ENUM)
#undef DS_FORMAT_ENUM
	DS_FMT__COUNT
};

/* The format named name ("tty" is text, as in hadolint), or -1. */
int ds_format_parse(const char *name);
/* "text", "gnu", ... */
const char *ds_format_name(enum ds_format f);
/* "text|gnu|json|sarif|checkstyle", for usage messages. */
const char *ds_format_list(void);

/*
 * Writes the findings of one or more files in one format. Usage:
 *   ds_emitter_init(&e, fmt); ds_emit_begin(&e, out);
 *   for each file: ds_emit_file(&e, src, diags, n, out);
 *   ds_emit_end(&e, out);
 * text and gnu write one line (text: plus the source line and a caret) per
 * finding and nothing in begin/end, with the file name quoted and the
 * message and source line escaped as emit/escape.h says; json writes one array over all files;
 * sarif one run with the rule table as tool.driver.rules; checkstyle one
 * <checkstyle> document with a <file> per file that has findings. Output is
 * appended to out; the caller prints it whenever it likes (text and gnu may
 * be flushed after each file). Nothing here fails.
 */
struct ds_emitter {
	enum ds_format fmt;
	bool color;               /* text: ANSI colours on the severity and caret */
	bool caret;               /* text: the source line and a caret (default true) */
	const char *version;      /* SARIF tool.driver.version */
	const char *info_uri;     /* SARIF tool.driver.informationUri */
	size_t nresults;          /* findings written so far */
};

void ds_emitter_init(struct ds_emitter *e, enum ds_format fmt);
void ds_emit_begin(struct ds_emitter *e, struct ds_buf *out);
/*
 * Appends the findings d[0..n) of src. src's line table must be built
 * (ds_source_lines). Findings without a position are reported for the
 * whole file (line and column 0 in json, no region in SARIF). In json, a
 * file name that is not valid UTF-8 also gets "file_base64", its bytes.
 */
void ds_emit_file(struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d, size_t n,
		  struct ds_buf *out);
void ds_emit_end(struct ds_emitter *e, struct ds_buf *out);

/*
 * Appends one finding in the text format (what ds_emit_file writes for
 * DS_FMT_TEXT): the escaped "NAME:LINE:COL: severity: message [CODE]"
 * line and, with caret, the source line and a caret under the range.
 * src's line table must be built when d has a position.
 */
void ds_emit_diag_text(struct ds_buf *out, const struct ds_source *src, const struct ds_diag *d, bool caret,
		       bool color);

#endif
