/* format.h - lint findings in distill's formats and hadolint's (tty, codeclimate, sonarqube, junit, ...). */
#ifndef DS_EMIT_FORMAT_H
#define DS_EMIT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

struct ds_buf;
struct ds_diag;
struct ds_source;

/* The output formats, once: X(ENUM, "name", "what it is"). */
#define DS_FORMATS(X)                                                                                   \
	X(TEXT, "text", "FILE:LINE:COL: severity: message [CODE], then the line and a caret")              \
	X(TTY, "tty", "hadolint's terminal format: FILE:LINE CODE level: message")                         \
	X(GNU, "gnu", "FILE:LINE:COL: severity: message [CODE], one line each")                           \
	X(JSON, "json", "one array of {code, column, file, level, line, message, ...} (hadolint's keys)") \
	X(SARIF, "sarif", "SARIF 2.1.0 with the rule table and each rule's helpUri")                      \
	X(CHECKSTYLE, "checkstyle", "checkstyle XML, a <file> per file")                                  \
	X(CODECLIMATE, "codeclimate", "Code Climate engine issues, each followed by a NUL byte")          \
	X(GITLAB_CODECLIMATE, "gitlab_codeclimate", "GitLab code quality: one array, with fingerprints")  \
	X(SONARQUBE, "sonarqube", "SonarQube generic issue import: {\"issues\": [...]}")                 \
	X(JUNIT, "junit", "JUnit XML: a testsuite per file, a failing testcase per finding")              \
	X(CODACY, "codacy", "Codacy tool results: one JSON object a line")

enum ds_format {
#define DS_FORMAT_ENUM(e, name, what) DS_FMT_##e,
	DS_FORMATS(DS_FORMAT_ENUM)
#undef DS_FORMAT_ENUM
	DS_FMT__COUNT
};

/* The format named name, or -1. */
int ds_format_parse(const char *name);
/* "text", "gnu", ... */
const char *ds_format_name(enum ds_format f);
/* What format f is, one line. */
const char *ds_format_summary(enum ds_format f);
/* "text|tty|gnu|...", for usage messages. */
const char *ds_format_list(void);
/* Whether f is one of hadolint's formats whose findings never fail a run (codeclimate, gitlab_codeclimate, codacy). */
bool ds_format_never_fails(enum ds_format f);

/*
 * Writes the findings of one or more files in one format. Usage:
 *   ds_emitter_init(&e, fmt); ds_emit_begin(&e, out);
 *   for each file: ds_emit_file(&e, src, diags, n, out);
 *   ds_emit_end(&e, out);
 * text, tty and gnu write one line (text: plus the source line and a caret)
 * per finding and nothing in begin/end, with the file name quoted and the
 * message and source line escaped as emit/escape.h says; json writes one
 * array over all files; sarif one run with the rule table as
 * tool.driver.rules; checkstyle one <checkstyle> document with a <file>
 * per file; codeclimate an issue and a NUL byte per finding;
 * gitlab_codeclimate one array; sonarqube one {"issues": [...]}; junit one
 * <testsuites> with a <testsuite> per file; codacy one object a line. The
 * shapes are hadolint's (src/Hadolint/Formatter/NAME.hs), with distill's
 * name, columns and extra keys. A DL1000 finding (a parse error) is
 * written as hadolint writes one. Output is appended to out; the caller
 * prints it whenever it likes (the line formats and codeclimate may be
 * flushed after each file). Nothing here fails.
 */
struct ds_emitter {
	enum ds_format fmt;
	bool color;               /* text, tty: ANSI colours on the severity (and caret) */
	bool caret;               /* text: the source line and a caret (default true) */
	bool hadolint_gnu;        /* gnu in hadolint's shape: hadolint:FILE:LINE: CODE level: message */
	const char *version;      /* SARIF tool.driver.version, junit's suite name */
	const char *info_uri;     /* SARIF tool.driver.informationUri */
	const char *help_uri;     /* SARIF rules' helpUri: this followed by CODE.md */
	const char *path;         /* the file name every report shows (hadolint's --file-path-in-report), or NULL */
	long long when;           /* junit's run id and name: seconds since the epoch (the caller's clock) */
	size_t nresults;          /* findings written so far */
	size_t nfiles;            /* files written so far */
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
