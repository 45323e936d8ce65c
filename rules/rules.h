/* rules.h - the rule table and the lint engine's interface for rule code. */
#ifndef DS_RULES_RULES_H
#define DS_RULES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"

struct ds_arena;
struct ds_catalog;
struct ds_dockerfile;
struct ds_model;
struct ds_instr;

enum ds_rule_id {
#define DS_RULE(code, slug, sev, fix, summary, explain) DS_R_##code,
#include "rules/rules.def"
#undef DS_RULE
	DS_R__COUNT
};

struct ds_rule_info {
	const char *code;       /* "DST101", "DL3008" */
	const char *slug;
	enum ds_severity sev;   /* default severity */
	bool fixable;           /* distill convert fixes it */
	const char *summary;
	const char *explain;
};

/* The rule table, indexed by enum ds_rule_id. */
extern const struct ds_rule_info ds_rules[DS_R__COUNT];
/* The rule with code (case-insensitive), or NULL. */
const struct ds_rule_info *ds_rule_find(const char *code);

/* What the lint engine needs from configuration (.distill.yaml, flags). */
struct ds_lint_config {
	enum ds_severity override[DS_R__COUNT]; /* DS_SEV_NONE: default */
	bool ignored[DS_R__COUNT];
	bool has_override[DS_R__COUNT];
	const char **trusted_registries;   /* DL3026; NULL/0: rule off */
	size_t ntrusted;
	/* label-schema: label name -> type ("text", "url", "rfc3339", "spdx", "hash", "semver", "email") */
	const char **label_names, **label_types;
	size_t nlabels;
	bool strict_labels;
	bool dl3002_final_stage;           /* DL3002 on the final stage only (hadolint: every stage) */
	const char *target;                /* "distroless" (default) or "chainguard" */
};

/* State handed to every rule family. */
struct ds_lint_ctx {
	struct ds_arena *a;
	const struct ds_dockerfile *df;
	const struct ds_model *m;
	const struct ds_catalog *cat;      /* may be NULL in unit tests */
	const struct ds_lint_config *cfg;
	struct ds_diags *out;
};

/*
 * Records a finding of rule id over source bytes [off, end). The message is
 * formatted like printf; lower case, no final full stop. The engine applies
 * pragmas, ignores and severity overrides afterwards.
 */
void ds_lint_report(struct ds_lint_ctx *c, enum ds_rule_id id, uint32_t off, uint32_t end,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Same, at an instruction's keyword..end of its line. */
void ds_lint_report_instr(struct ds_lint_ctx *c, enum ds_rule_id id, const struct ds_instr *in,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Whether rule id runs under c's configuration: not ignored, and either
 * on by default or given a severity (rules whose default severity is
 * DS_SEV_NONE, such as DL1001 and DL3057, are off unless configured).
 */
bool ds_lint_rule_enabled(const struct ds_lint_ctx *c, enum ds_rule_id id);

/* Rule families, one file each (rules/dst_*.c, rules/dl_*.c). */
void ds_rules_dst_final(struct ds_lint_ctx *c);  /* DST1xx */
void ds_rules_dst_images(struct ds_lint_ctx *c); /* DST2xx */
void ds_rules_dst_structure(struct ds_lint_ctx *c); /* DST3xx */
void ds_rules_dl(struct ds_lint_ctx *c);         /* DL3xxx, DL4xxx */

/*
 * Lints df: runs every family, then applies inline pragmas (# distill
 * ignore=..., # hadolint ignore=..., global and stage forms), the config's
 * ignored list and severity overrides, and sorts by position. Findings are
 * appended to out (arena a). Returns the number of findings kept.
 */
size_t ds_lint(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
	       const struct ds_catalog *cat, const struct ds_lint_config *cfg, struct ds_diags *out);

/* A `# hadolint shell=NAME` (or `# distill shell=NAME`) pragma: where it is and what it names. */
struct ds_shell_pragma {
	uint32_t line;      /* 1-based line of the comment */
	const char *shell;  /* e.g. "powershell" (arena) */
};

/*
 * Finds the shell pragmas of df (comment lines outside here-document
 * bodies) in line order; *out is an arena array. As in hadolint, such a
 * pragma sets the shell of the RUNs after it in its stage (before the first
 * FROM: in every stage), like a SHELL instruction. Returns how many.
 */
size_t ds_lint_shell_pragmas(struct ds_arena *a, const struct ds_dockerfile *df, struct ds_shell_pragma **out);

/* Whether shell (a SHELL program or a pragma's name) is a POSIX shell: not pwsh, powershell or cmd. */
bool ds_shell_is_posix(const char *shell);

/* Sets cfg to the defaults (nothing ignored, no overrides, distroless). */
void ds_lint_config_init(struct ds_lint_config *cfg);

#endif
