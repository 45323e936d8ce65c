/*
 * report_view.h - the readable audit reports (issue 15): the figures they
 * all show, computed once from the per-file reports (report_stats.c), and
 * the writers that lay them out: the summary for a terminal
 * (report_text.c), one self-contained HTML page (report_html.c), Markdown
 * (report_md.c) and CSV, one row per file (report_csv.c). Every writer is
 * deterministic: the same reports give the same bytes, whatever --jobs
 * was and whether they come from a run or from --merge.
 */
#ifndef DS_CLI_REPORT_VIEW_H
#define DS_CLI_REPORT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/report.h"
#include "common/arena.h"
#include "rewrite/convert.h"

struct ds_buf;

/* What --group-by groups files by. */
enum ds_audit_group_by {
	DS_AUDIT_BY_REPO, /* the repository (report.h: ds_audit_groups_of) */
	DS_AUDIT_BY_DIR,  /* the top-level folder below the audited folder */
};

struct ds_audit_view_opts {
	enum ds_audit_group_by group_by;
	size_t top;          /* rows in each top list (0: 10) */
	bool timing;         /* summary: the slowest files and the wall time (--timing) */
	double wall_seconds; /* < 0: not known (--merge) */
	unsigned jobs;
	const char *shard;   /* "K/N", or NULL */
	size_t discovered;   /* files found before --shard */
	const char *version; /* distill's version, for the page's footer */
};

/* A ranked count: families, final base images, rules. */
struct ds_audit_tally {
	const char *key;
	uint64_t n;          /* occurrences (findings for rules, files otherwise) */
	uint64_t files;      /* files with at least one */
};

/* One repository or folder. */
struct ds_audit_group {
	const char *name;
	uint64_t files;
	uint64_t by[DS_AUDIT__COUNT]; /* files per verdict */
	uint64_t findings;
};

/* One concrete reason of a blocker, with the files that give it. */
struct ds_audit_variant {
	const char *text;
	uint64_t files;
	const char *values; /* the quoted values where text differs from the blocker's first
			     * variant ("'/entrypoint.sh'"), or text itself when no value differs */
};

/*
 * A kind of reason that keeps files from converting (manual or no
 * runtime): the reasons that differ only in their quoted values ('node:20',
 * '/app/start.sh') are one blocker.
 */
struct ds_audit_blocker {
	const char *kind;                  /* the reason with its quoted values as '…' */
	uint64_t files;
	struct ds_audit_variant *variants; /* most files first; variants[0] is shown */
	size_t nvariants;
	const char *advice;                /* what would unblock it, or NULL when unknown */
	size_t examples[3];                /* indexes of files that have it, in path order:
					    * those of variants[0] first */
	size_t nexamples;
};

/*
 * Everything the readable formats show. Arrays and strings live in arena
 * (or point into the reports); indexes refer to v.
 */
struct ds_audit_view {
	const struct ds_audit_report *v;
	size_t n;
	struct ds_audit_view_opts o;
	uint64_t by[DS_AUDIT__COUNT];      /* files per verdict; they add up to n */
	uint64_t parse_failures;           /* ERROR files with a parse error */
	uint64_t findings, with_findings;
	struct ds_audit_tally *families;   /* most files first, then by name */
	size_t nfamilies;
	struct ds_audit_tally *bases;      /* final base images, most files first */
	size_t nbases;
	struct ds_audit_group *groups;     /* most files left to do first, then by name */
	size_t ngroups;
	struct ds_audit_blocker *blockers; /* most files first */
	size_t nblockers;
	struct ds_audit_tally *rules;      /* most findings first */
	size_t nrules;
	size_t *now, nnow;                 /* "yes" files, in path order */
	size_t *flag, nflag;               /* "accept" files, in path order */
	size_t *errors, nerrors;           /* not-dockerfile, unreadable and error files, in path order */
	uint64_t accept_kinds[DS_CHANGE__COUNT]; /* "accept" files needing each kind of change */
	uint64_t bumps;                    /* "accept" files needing --bump-runtime */
	uint64_t targets;                  /* "accept" files needing --target with another vendor */
	struct ds_arena arena;
};

/* Computes w from v[0..n) (sorted by file, as audit writes them); v must outlive w. */
void ds_audit_view_build(struct ds_audit_view *w, const struct ds_audit_report *v, size_t n,
			 const struct ds_audit_view_opts *o);
/* Frees what build allocated. */
void ds_audit_view_release(struct ds_audit_view *w);

/* The name of r's group (its repository or its folder); "(unknown)" for reports that lack it. */
const char *ds_audit_group_name(const struct ds_audit_report *r, enum ds_audit_group_by g);

/*
 * The command that converts r (a "yes" or "accept" file), raw:
 * "distill convert [--bump-runtime] [--accept KINDS] --in-place FILE" with
 * FILE one shell word (ds_markup_sh_word; "./" before a name starting with
 * '-'); standard input gets "distill convert ... -", which prints the result.
 */
void ds_audit_command(struct ds_buf *out, const struct ds_audit_report *r);

/* What is wrong with an error file r: its parse error ("LINE:COL: message"), else its first reason, else its verdict. */
void ds_audit_problem(struct ds_buf *out, const struct ds_audit_report *r);

/* "user,healthcheck": the --accept list of r (empty when none). */
void ds_audit_accept_list(struct ds_buf *out, unsigned accept);

/* one when n is 1, else many */
const char *ds_audit_plural(uint64_t n, const char *one, const char *many);

/* Share of part in whole, in percent (0 when whole is 0). */
double ds_audit_pct(uint64_t part, uint64_t whole);

/* The link to the documentation page of a rule: "…/docs/rules/CODE.md"; NULL for a code distill does not know. */
const char *ds_audit_rule_page(struct ds_arena *a, const char *code);

/*
 * What to do next, most useful first: at most max sentences (raw text,
 * lower case, no final full stop) into steps, allocated in a. Returns how
 * many; never 0 when max > 0.
 */
size_t ds_audit_next_steps(const struct ds_audit_view *w, struct ds_arena *a, const char **steps, size_t max);

/* Appends the summary for a terminal: every name and message escaped (emit/escape.h), long lines wrapped. */
void ds_audit_summary(struct ds_buf *out, const struct ds_audit_view *w);

/* Appends the whole HTML page: inline CSS and SVG, no script, nothing fetched. */
void ds_audit_html(struct ds_buf *out, const struct ds_audit_view *w);

/* Appends the Markdown report (CommonMark with GitHub's tables). */
void ds_audit_md(struct ds_buf *out, const struct ds_audit_view *w);

/* Appends the CSV header line. */
void ds_audit_csv_header(struct ds_buf *out);
/* Appends r as one CSV row, in the header's columns (group names as computed at the run). */
void ds_audit_csv_row(struct ds_buf *out, const struct ds_audit_report *r);

#endif
