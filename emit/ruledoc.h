/* ruledoc.h - one rule's documentation, as `distill rules CODE` prints it and as docs/rules/CODE.md holds it. */
#ifndef DS_EMIT_RULEDOC_H
#define DS_EMIT_RULEDOC_H

#include <stdbool.h>

struct ds_buf;
struct ds_rule_info;

/* The shapes of a rule's documentation. */
enum ds_ruledoc_form {
	DS_RULEDOC_TEXT,     /* for a terminal: `distill rules CODE` */
	DS_RULEDOC_MARKDOWN, /* docs/rules/CODE.md */
};

/*
 * Appends the documentation of rule r: code, slug, family, default
 * severity, summary, explanation, the names of the rules that report the
 * same thing (DS_TWIN), the bad and the good example, and, for markdown,
 * BuildKit's own page of a BuildKit check. Nothing here fails.
 */
void ds_ruledoc(struct ds_buf *out, const struct ds_rule_info *r, enum ds_ruledoc_form form);

/*
 * Appends what distill does with ShellCheck's codes (the family "SC", or
 * one code such as "SC2086", which links to ShellCheck's wiki page), or
 * returns false for a name that is not "SC" or "SC" and digits.
 */
bool ds_ruledoc_shellcheck(struct ds_buf *out, const char *name, enum ds_ruledoc_form form);

/* Appends docs/rules/README.md: the index of every rule, with links to their pages. */
void ds_ruledoc_index(struct ds_buf *out);

#endif
