/*
 * markup.h - escaping for the report formats other programs render: HTML
 * (a browser), Markdown (a pull request or a wiki), CSV (a spreadsheet) and
 * POSIX shell words (a command a person pastes). Each writer first applies
 * emit/escape.h (control characters, invalid UTF-8 and bidirectional
 * overrides become visible \ooo escapes, file names are quoted as git
 * quotes them), then the target syntax's own escaping, so nothing read
 * from a Dockerfile or a file name can inject markup, a link, a mention, a
 * formula or a line of its own.
 */
#ifndef DS_EMIT_MARKUP_H
#define DS_EMIT_MARKUP_H

#include <stdbool.h>
#include <stddef.h>

struct ds_buf;

/*
 * Appends s[0..n) as HTML text or as the value of a double- or
 * single-quoted attribute: & < > " ' as character references, the rest as
 * ds_esc_text writes it.
 */
void ds_markup_html(struct ds_buf *out, const char *s, size_t n);

/* Appends the file name s (NULL: "-") as ds_esc_name shows it, for HTML. */
void ds_markup_html_name(struct ds_buf *out, const char *s);

/*
 * Appends s[0..n) as Markdown inline text (CommonMark and GitHub's
 * flavour): ds_esc_text, then a backslash before every character that
 * could start emphasis, code, a link (brackets: so parentheses need
 * nothing), an autolink, an HTML tag or entity, a table cell boundary,
 * strike-through, math, a mention or an issue reference
 * (\ ` * _ { } [ ] < > # | ~ & ! @ $). Safe inside a table cell.
 */
void ds_markup_md(struct ds_buf *out, const char *s, size_t n);

/*
 * Appends s (NUL-terminated; name: a file name shown as ds_esc_name shows
 * it, else text as ds_esc_text) as a Markdown code span, fenced with one
 * more backtick than its longest run of backticks. in_table: '|' is
 * written "\|", which GitHub's tables need even inside code.
 */
void ds_markup_md_code(struct ds_buf *out, const char *s, bool name, bool in_table);

/*
 * The shortest run of backticks (at least 3) that fences text[0..n) as a
 * Markdown code block: one more than its longest run.
 */
size_t ds_markup_md_fence(const char *text, size_t n);

/*
 * Appends one CSV field (RFC 4180): s[0..n) as ds_esc_text writes it (so
 * the field never holds a line break), in double quotes with '"' doubled
 * when it holds ',', '"' or a space at either end; a field that starts
 * with = + - @ (and is not "-" alone) gets a leading "'" so spreadsheets
 * read it as text, not a formula.
 */
void ds_markup_csv(struct ds_buf *out, const char *s, size_t n);

/* One CSV field holding the file name s as ds_esc_name shows it (NULL: "-"). */
void ds_markup_csv_name(struct ds_buf *out, const char *s);

/*
 * Appends s as one POSIX shell word: unchanged when it is made only of
 * letters, digits and % + , - . / : = @ _ (and is not empty), else in
 * single quotes with each ' written '\''. The result is raw: escape it
 * for the output it goes to.
 */
void ds_markup_sh_word(struct ds_buf *out, const char *s);

#endif
