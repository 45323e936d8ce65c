/* rules.h - the rule table and the lint engine's interface for rule code. */
#ifndef DS_RULES_RULES_H
#define DS_RULES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"

/*
 * Where the project is published: a reserved placeholder until it has a home
 * page; packagers set it at build time (-DDS_INFO_URI=...). Rule pages are
 * docs/rules/CODE.md below it (tools/rule_docs.c writes them from rules.def).
 */
#ifndef DS_INFO_URI
#define DS_INFO_URI "https://distill.invalid/"
#endif
#ifndef DS_RULE_DOCS_URI
#define DS_RULE_DOCS_URI DS_INFO_URI "docs/rules/"
#endif

struct ds_arena;
struct ds_catalog;
struct ds_dockerfile;
struct ds_model;
struct ds_instr;

enum ds_rule_id {
#define DS_RULE(code, slug, sev, fix, summary, explain, bad, good) DS_R_##code,
#include "rules/rules.def"
#undef DS_RULE
	DS_R__COUNT
};

/* Who defined a rule: the family is the code's (DST..., DL..., SC..., else a BuildKit check name). */
enum ds_rule_family {
	DS_FAM_DST = 1,      /* distill's own */
	DS_FAM_DL = 2,       /* hadolint's codes */
	DS_FAM_SC = 4,       /* ShellCheck, run on RUN scripts (not in the table) */
	DS_FAM_BUILDKIT = 8, /* BuildKit's checks (`docker build --check`) */
};
#define DS_FAM_ALL (DS_FAM_DST | DS_FAM_DL | DS_FAM_SC | DS_FAM_BUILDKIT)

/*
 * The profiles of `lint --profile` and the `profile:` key, once:
 * X(ENUM, "name", families, "what it runs").
 */
#define DS_PROFILES(X)                                                                                       \
	X(ALL, "all", DS_FAM_ALL, "every family: DST, DL, ShellCheck and BuildKit's checks (the default)")      \
	X(HADOLINT, "hadolint", DS_FAM_DL | DS_FAM_SC, "hadolint's rules and ShellCheck only, as hadolint runs") \
	X(BUILDKIT, "buildkit", DS_FAM_BUILDKIT, "BuildKit's checks only, as `docker build --check` runs")      \
	X(DISTROLESS, "distroless", DS_FAM_DST, "distill's own rules, with DST201 a warning where convert can act")

enum ds_profile {
#define DS_PROFILE_ENUM(e, name, fams, what) DS_PROFILE_##e,
	DS_PROFILES(DS_PROFILE_ENUM)
#undef DS_PROFILE_ENUM
	DS_PROFILE__COUNT
};

/* The profile named name, or -1. */
int ds_profile_parse(const char *name);
/* "all", "hadolint", ... */
const char *ds_profile_name(enum ds_profile p);
/* The families profile p runs. */
unsigned ds_profile_families(enum ds_profile p);
/* What profile p runs, one line. */
const char *ds_profile_summary(enum ds_profile p);

struct ds_rule_info {
	const char *code;       /* "DST101", "DL3008", "StageNameCasing" */
	const char *slug;
	enum ds_severity sev;   /* default severity; DS_SEV_NONE: off unless configured */
	bool fixable;           /* distill convert fixes it */
	const char *summary;
	const char *explain;
	const char *bad, *good; /* example Dockerfiles: the rule fires on bad, not on good */
};

/* The rule table, indexed by enum ds_rule_id. */
extern const struct ds_rule_info ds_rules[DS_R__COUNT];
/* The rule whose code or slug is name (case-insensitive), or NULL. */
const struct ds_rule_info *ds_rule_find(const char *name);
/*
 * The code (or slug, when name looks like one) of the rule nearest to name
 * when it looks like a typo of one (common/str.h's ds_str_suggest, letters
 * without case), or NULL. For "did you mean".
 */
const char *ds_rule_suggest(const char *name);
/* The family of rule r. */
enum ds_rule_family ds_rule_family(const struct ds_rule_info *r);
/* The family of a finding's code ("SC2086" is DS_FAM_SC; an unknown code is DS_FAM_DL). */
enum ds_rule_family ds_code_family(const char *code);
/*
 * The rules that report the same thing as id (DS_TWIN in rules.def), in
 * table order, into out[0..max). Returns how many there are.
 */
size_t ds_rule_twins(enum ds_rule_id id, enum ds_rule_id *out, size_t max);
/*
 * Whether name (a code, a slug or a BuildKit name, any case) names the rule
 * of code or one of its twins, so that a pragma, an ignore or a `# check=skip=`
 * of either name applies to the one finding.
 */
bool ds_rule_names(const char *name, const char *code);

/* What `distill convert` would do with the file, worked out once by the caller (cli/) for DST201. */
enum ds_verdict_kind {
	DS_VERDICT_CONVERTIBLE, /* convert succeeds as it is, or with the flags named */
	DS_VERDICT_MANUAL,      /* convert needs manual work (reason) */
	DS_VERDICT_NO_RUNTIME,  /* no shell-free runtime fits (reason, suggest) */
	DS_VERDICT_SHELL_FREE,  /* nothing to do */
	DS_VERDICT_UNKNOWN,     /* convert failed or could not judge (reason) */
};

struct ds_lint_verdict {
	enum ds_verdict_kind kind;
	const char *runtime;    /* CONVERTIBLE: the runtime image convert writes */
	const char *flags;      /* CONVERTIBLE: the options it needs ("--accept user", "--bump-runtime"),
				 * or NULL for none */
	const char *status;     /* what `distill convert` reports ("converted", "needs --accept", ...) */
	const char *reason;     /* MANUAL, NO_RUNTIME, UNKNOWN: why, lower case */
	const char *suggest;    /* NO_RUNTIME: an image to use instead, or NULL */
	const char *target;     /* CONVERTIBLE: the --target list it needs (vendors in order), or NULL
				 * when the configured one does */
	unsigned needs;         /* CONVERTIBLE: the change kinds (1u << enum ds_change_kind) it declares
				 * beyond the defaults, DS_CHANGE_BUMP when it takes --bump-runtime */
};

/* What the engine needs to know about one file beyond its text (all optional). */
struct ds_lint_file {
	/*
	 * DST201's verdict, asked for only when DST201 fires (working it out
	 * runs the conversion). NULL, or a NULL answer: DST201 judges from the
	 * catalogue alone.
	 */
	const struct ds_lint_verdict *(*verdict)(void *ctx);
	void *verdict_ctx;
	/*
	 * CopyIgnoredFile: whether the build context's .dockerignore excludes
	 * source path src of a COPY or ADD (as written). NULL: no
	 * .dockerignore, or one BuildKit would not check (it has exceptions).
	 */
	bool (*ignored)(void *ctx, const char *src);
	void *ignored_ctx;
};

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
	const char *target;                /* the vendor list of --target: "distroless" (default),
					    * "distroless,chiseled,chainguard" */
	bool chainguard_first;             /* chainguard runs the languages: it comes before
					    * distroless in target */
	enum ds_profile profile;           /* which families run (DS_PROFILE_ALL) */
};

/* State handed to every rule family. */
struct ds_lint_ctx {
	struct ds_arena *a;
	const struct ds_dockerfile *df;
	const struct ds_model *m;
	const struct ds_catalog *cat;      /* may be NULL in unit tests */
	const struct ds_lint_config *cfg;
	struct ds_diags *out;
	const struct ds_lint_file *file;   /* never NULL: an empty one when the caller gave none */
};

/*
 * Records a finding of rule id over source bytes [off, end). The message is
 * formatted like printf; lower case, no final full stop. The engine applies
 * pragmas, ignores and severity overrides afterwards.
 */
void ds_lint_report(struct ds_lint_ctx *c, enum ds_rule_id id, uint32_t off, uint32_t end,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* As ds_lint_report() with severity sev instead of the rule's default (configuration still overrides it). */
void ds_lint_report_sev(struct ds_lint_ctx *c, enum ds_rule_id id, enum ds_severity sev, uint32_t off, uint32_t end,
			const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Same, at an instruction's keyword..end of its line. */
void ds_lint_report_instr(struct ds_lint_ctx *c, enum ds_rule_id id, const struct ds_instr *in,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Whether rule id runs under c's configuration: not ignored, and either
 * on by default or given a severity (rules whose default severity is
 * DS_SEV_NONE, such as DL1001 and DL3057, are off unless configured).
 */
bool ds_lint_rule_enabled(const struct ds_lint_ctx *c, enum ds_rule_id id);

/*
 * The rule a finding is reported under when primary and its BuildKit twin
 * say the same thing: primary when its family runs in this profile, else
 * twin when that one does; -1 when neither runs.
 */
int ds_lint_pick(const struct ds_lint_ctx *c, enum ds_rule_id primary, enum ds_rule_id twin);
/* Whether rule id's family runs in the configured profile (its twin's finding then stands for it). */
bool ds_lint_family_on(const struct ds_lint_ctx *c, enum ds_rule_id id);

/* Rule families, one file each (rules/dst_*.c, rules/dl_*.c, rules/buildkit.c). */
void ds_rules_dst_final(struct ds_lint_ctx *c);  /* DST1xx */
void ds_rules_dst_images(struct ds_lint_ctx *c); /* DST2xx */
void ds_rules_dst_structure(struct ds_lint_ctx *c); /* DST3xx */
void ds_rules_dl(struct ds_lint_ctx *c);         /* DL3xxx, DL4xxx */
void ds_rules_buildkit(struct ds_lint_ctx *c);   /* BuildKit's checks without a DL or DST twin running */

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
