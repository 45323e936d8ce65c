/* dl_local.h - what the hadolint-compatible rule files (rules/dl_*.c) share; private to rules/. */
#ifndef DS_RULES_DL_LOCAL_H
#define DS_RULES_DL_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/shellcmd.h"
#include "rules/rules.h"

struct ds_heredoc;
struct ds_stage;

/* Where the offsets of a script's commands point. */
enum dl_script_kind {
	DL_SCRIPT_LINE,    /* the joined shell-form line: ds_run_offset_to_source() */
	DL_SCRIPT_HEREDOC, /* a here-document body that the shell runs */
	DL_SCRIPT_EXEC,    /* exec form: offsets are source offsets already */
};

struct dl_script {
	enum dl_script_kind kind;
	const struct ds_heredoc *hd;   /* DL_SCRIPT_HEREDOC */
	const char *text;
	size_t len;
	struct ds_shell_cmd *cmds;
	size_t ncmds;
};

/* One RUN instruction (top level or inside ONBUILD) with its scripts split. */
struct dl_run {
	const struct ds_instr *in;     /* the RUN itself (an ONBUILD's sub instruction for onbuild) */
	const struct ds_instr *top;    /* the top-level instruction: in, or the ONBUILD */
	const struct ds_stage *st;     /* its stage, NULL before the first FROM */
	bool onbuild;
	struct dl_script *scripts;
	size_t nscripts;
	size_t ncmds;                  /* commands with a program, all scripts and depths */
};

struct dl_ctx {
	struct ds_lint_ctx *c;
	/*
	 * Scratch for one RUN at a time: its scripts split into commands and
	 * what the rules work out about them. dl_rules_run() empties it before
	 * each RUN, so lint holds the commands of one RUN, not of the file.
	 */
	struct ds_arena *tmp;
	struct ds_shell_map_cursor *cursor; /* the last finding's place in its script */
};

/* Splits the scripts r->in runs (its line or exec form, and the heredocs the shell reads) into a. */
void dl_build_run(struct ds_arena *a, struct dl_run *r);

/* Source offsets of a script range [off, end). */
void dl_script_span(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
		    uint32_t off, uint32_t end, uint32_t *soff, uint32_t *send);
/* Reports rule id at a command (whole command). */
void dl_report_cmd(const struct dl_ctx *d, enum ds_rule_id id, const struct dl_run *r,
		   const struct dl_script *sc, const struct ds_shell_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Reports rule id at one word of a command. */
void dl_report_word(const struct dl_ctx *d, enum ds_rule_id id, const struct dl_run *r,
		    const struct dl_script *sc, const struct ds_shell_word *w, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* True when a --mount of r is type=cache or type=tmpfs with a target containing frag. */
bool dl_has_cache_mount(const struct ds_instr *in, const char *frag);
/* True when the stage's layers end up in the final image (final stage or one of its FROM ancestors). */
bool dl_stage_in_final(const struct ds_lint_ctx *c, const struct ds_stage *st);
/* Quote removal without expansion ($VAR kept as written); arena string. */
const char *dl_unquote(struct ds_arena *a, char escape, const char *s);
/* s with one pair of surrounding quotes dropped, like hadolint's dropQuotes (arena string). */
const char *dl_drop_quotes(struct ds_arena *a, const char *s);

/*
 * The value of variable name[0..len) just before top-level instruction i
 * of stage st, as hadolint reads it: set in st's scope, or, before the
 * first FROM (st NULL), by an earlier ARG or ENV, or declared by an ARG on
 * any earlier line (hadolint does not scope ARGs to stages). *known says
 * whether it is defined at all; the value is NULL when it has none.
 */
const char *dl_var_value(const struct ds_lint_ctx *c, const struct ds_stage *st, uint32_t i, const char *name,
			 size_t len, bool *known);
/* Whether every $VAR and ${VAR...} in text is known to dl_var_value (command substitutions are not). */
bool dl_vars_known(const struct ds_lint_ctx *c, const struct ds_stage *st, uint32_t i, const char *text);

/* The rule groups, one file each. */
void dl_rules_run(struct dl_ctx *d);    /* dl_run.c: rules on RUN scripts */
void dl_rules_instr(struct dl_ctx *d);  /* dl_instr.c: rules on instructions and stages */
void dl_rules_labels(struct dl_ctx *d); /* dl_labels.c: LABEL rules and the label schema */

/* dl_instr.c: whether name[0..len) is one hadolint's DL3064 takes for a secret. */
bool dl_sensitive_name(const char *name, size_t len);

/* dl_spdx.c: true when s is a valid SPDX license expression of known identifiers. */
bool dl_spdx_valid(const char *s);

#endif
