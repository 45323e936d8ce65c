/* report.h - the per-file audit report, its machine formats (JSON Lines, SARIF), the JSONL reader and the format table (issues 5, 15). */
#ifndef DS_CLI_REPORT_H
#define DS_CLI_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"

struct ds_arena;
struct ds_buf;
struct ds_source;

/*
 * What audit concludes about a file: the "convertible" key. Every file gets
 * exactly one, so the counts of a report add up to its files. Columns:
 * enum suffix, JSON value, label for people. In the order reports show them.
 */
#define DS_AUDIT_VERDICTS(X)                                                           \
	X(NOTHING, "nothing", "already shell-free")      /* ds_convert: nothing to do */  \
	X(YES, "yes", "convertible now")                 /* ds_convert: converted */      \
	X(ACCEPT, "accept", "convertible with a flag")   /* needs --accept, --bump-runtime or --target */ \
	X(MANUAL, "manual", "manual work")               /* a person must finish: reasons */ \
	X(NO_RUNTIME, "no-runtime", "no shell-free runtime") /* php, nginx, windows, ... */ \
	X(NOT_DOCKERFILE, "not-dockerfile", "not a Dockerfile") /* parses, but no FROM */ \
	X(UNREADABLE, "unreadable", "unreadable")        /* cannot be read: parse_error */ \
	X(ERROR, "error", "error")                       /* parse or conversion error */

enum ds_audit_conv {
#define X(e, json, label) DS_AUDIT_##e,
	DS_AUDIT_VERDICTS(X)
#undef X
	DS_AUDIT__COUNT
};

/* The JSON value: "nothing", "yes", "accept", "manual", "no-runtime", ... */
const char *ds_audit_conv_name(enum ds_audit_conv c);
/* The label people read: "already shell-free", "convertible now", ... */
const char *ds_audit_conv_label(enum ds_audit_conv c);

/* Findings of one rule in one file. */
struct ds_audit_count {
	const char *code;    /* "DST101" */
	uint32_t count;
	int sev;             /* the most severe finding's enum ds_severity (with the
			      * repository's overrides); -1 unknown (read from JSONL) */
};

/* Where one finding is, for SARIF. line 0: the whole file. */
struct ds_audit_loc {
	const char *code;
	const char *msg;     /* lower case, no final full stop */
	enum ds_severity sev;
	uint32_t line, col;  /* 1-based; col in bytes */
};

/*
 * What audit knows about one file. Every string and array lives in an arena
 * (the file's arena while the analysis fills it, then the worker's report
 * arena after ds_audit_report_copy) except file, which the caller owns.
 * The JSON Lines object has exactly these keys, in this order:
 *   file, repo, dir, stages, final_base, family, shell_free, convertible,
 *   accept, bump_runtime, target, context, stage, compose, reasons, findings
 *   (code -> count), parse_error, micros;
 * and, right after file when the path is not valid UTF-8 (so "file" has
 * U+FFFD in place of some bytes), file_base64: the path's bytes, which the
 * reader prefers, so --merge keeps two such files apart.
 */
struct ds_audit_report {
	const char *file;          /* the path as shown */
	const char *repo;          /* the repository it belongs to (report_group.c); NULL: unknown */
	const char *dir;           /* the top-level folder below the audited folder; NULL: unknown */
	uint32_t stages;           /* FROM instructions */
	const char *final_base;    /* the final stage's image word; NULL: null */
	const char *family;        /* alpine, debian/ubuntu, language, rpm, windows,
				    * distroless, chainguard, scratch, unknown; NULL: null */
	bool shell_free;
	enum ds_audit_conv convertible;
	unsigned accept;           /* ACCEPT: the kinds of change to accept (bits of enum ds_change_kind) */
	bool bump;                 /* ACCEPT: converts with --bump-runtime */
	const char *target;        /* ACCEPT: converts with --target this list of vendors; NULL: without */
	const char *context;       /* the build context a Compose file names, as shown (--context);
				    * NULL: the Dockerfile's folder */
	const char *stage;         /* the stage a Compose file builds up to (--target-stage); NULL: the last */
	const char *compose;       /* "FILE (service NAME)": the Compose file that said so; NULL: none */
	const char **reasons;      /* why manual / no-runtime; distinct, in the order added */
	uint32_t nreasons;
	struct ds_audit_count *findings; /* distinct codes; sorted by code after a copy */
	uint32_t nfindings;
	struct ds_audit_loc *locs; /* one per finding where known (may be empty) */
	uint32_t nlocs;
	const char *parse_error;   /* NULL when the file was read and parsed */
	uint32_t error_line, error_col; /* position of parse_error; 0: none */
	uint64_t micros;           /* read + parse + analysis, microseconds */
	/* private: capacities of the arrays above */
	size_t capreasons, capfindings, caplocs;
};

/* Empties r for file (not copied); convertible "yes" until told otherwise. */
void ds_audit_report_init(struct ds_audit_report *r, const char *file);

/* Adds reason (copied into a) unless r already has it. */
void ds_audit_add_reason(struct ds_audit_report *r, struct ds_arena *a, const char *reason);

/*
 * Counts one finding of code (copied into a); records its position (line 0:
 * none) and message (may be NULL) for SARIF. The positions grow in a heap
 * vector until ds_audit_findings_done() hands them to a: call it once the
 * last finding is added (no finding may be added after it).
 */
void ds_audit_add_finding(struct ds_audit_report *r, struct ds_arena *a, const char *code,
			  enum ds_severity sev, uint32_t line, uint32_t col, const char *msg);
/* Hands the findings' positions to a (see ds_audit_add_finding). */
void ds_audit_findings_done(struct ds_audit_report *r, struct ds_arena *a);

/*
 * Marks r as failed: convertible "error", parse_error msg (copied into a)
 * at line:col (0:0 when no position applies). A file that could not be
 * read is then set to DS_AUDIT_UNREADABLE by the caller.
 */
void ds_audit_set_error(struct ds_audit_report *r, struct ds_arena *a, uint32_t line, uint32_t col,
			const char *msg);

/*
 * Deep-copies src into dst with every string and array in a (file, repo
 * and dir are shared, not copied); findings come out sorted by code. keep_locs: copy the
 * positions too (only SARIF needs them). Never fails.
 */
void ds_audit_report_copy(struct ds_audit_report *dst, const struct ds_audit_report *src, struct ds_arena *a,
			  bool keep_locs);

/* The number of findings of every rule in r. */
uint64_t ds_audit_report_total(const struct ds_audit_report *r);

/*
 * The analysis of one file: parses src (read into arena a) and fills r,
 * allocating in a (the caller copies what it keeps and releases a). Rules
 * are applied with cfg's settings (ignored codes, severities, trusted
 * registries, labels, pragmas switch), or the defaults when cfg is NULL;
 * cfg is only read. listed: the folder a walk found the file in
 * (cli/walk.h), or NULL; what it holds spares the build context's
 * system calls (ds_verdict_compute_listed). Returns
 * 0, or -1 when the file does not parse (r->parse_error and convertible
 * "error" set). Must be safe to call from several threads at once on
 * different arenas. Lives in cli/audit_analyze.c.
 */
struct ds_config;
struct ds_walk_dir;
int ds_audit_analyze_file(struct ds_arena *a, struct ds_source *src, const struct ds_walk_dir *listed,
			  const struct ds_config *cfg, struct ds_audit_report *r);

/*
 * The image catalogue ds_audit_analyze_file() uses: set once before the
 * workers start, read-only while they run (the catalogue is immutable).
 */
struct ds_catalog;
extern const struct ds_catalog *ds_audit_catalog;

/* ---- repositories and folders (report_group.c) ---- */

/*
 * Which repository and which top-level folder a found file belongs to, for
 * --group-by. A file's repository is the deepest folder from the file's own
 * up to the folder argument it was found under (inclusive) that holds an
 * entry named .git; a file given directly or listed is searched up to the
 * first component of its path. Without one, the repository is the
 * top-level folder: the folder argument followed by the first folder below
 * it (the folder argument itself for a file directly in it; for a listed
 * file, the first component of its path, "." when it has none).
 * Folders are looked up once and remembered: from the walk's listing when
 * there is one, else with one lstat of FOLDER/.git. Used by the walking
 * thread only; not thread-safe.
 */
struct ds_audit_group_listed;
struct ds_audit_groups {
	struct ds_arena *strings;   /* the names returned, and the folders seen */
	struct ds_audit_group_slot *slots; /* open addressing: folder -> repository */
	size_t nslots, used;
	struct ds_audit_group_listed *listed; /* by a walk's folder id (struct ds_walk_dir) */
	size_t caplisted;
};

/* Starts with nothing known; names are allocated in strings (owned by the caller). */
void ds_audit_groups_init(struct ds_audit_groups *g, struct ds_arena *strings);
/*
 * Sets *repo and *dir for the file at path whose part below the folder
 * argument is rel (rel == path for a file given directly or listed), and
 * which the walk found in the folder listed (cli/walk.h; NULL: not found by
 * a walk). Both point into the arena given to init.
 */
struct ds_walk_dir;
void ds_audit_groups_of(struct ds_audit_groups *g, const char *path, const char *rel,
			const struct ds_walk_dir *listed, const char **repo, const char **dir);
/* Frees the table (not the names). */
void ds_audit_groups_release(struct ds_audit_groups *g);

/*
 * What one file may cost ds_audit_analyze_file(), set like ds_audit_catalog
 * (0: no limit). Both are checked between the steps of the analysis (read,
 * parse, model, lint, conversion), which every input now runs through in
 * time and memory linear in its size, so a file overruns a limit by at most
 * one step; a file whose size alone shows that it would need more than the
 * memory (DS_AUDIT_BYTES_PER_BYTE per byte) is not analysed at all. A file
 * past a limit is reported as an error saying which, and the audit goes on.
 */
struct ds_audit_limits {
	double seconds;  /* --file-timeout */
	size_t memory;   /* --file-memory: bytes of the file's arenas */
};
extern struct ds_audit_limits ds_audit_limits;

/* The most memory a file's analysis takes per input byte, on every shape measured (bench/scaling). */
#define DS_AUDIT_BYTES_PER_BYTE 32u

/*
 * Files up to this size have their RUN scripts' splits remembered for the
 * whole analysis (the conversion's are lint's), at some 10 more bytes of
 * memory per input byte; bigger ones split each RUN once per step.
 */
#define DS_AUDIT_MEMO_MAX (256u * 1024u)
#define DS_AUDIT_DEFAULT_TIMEOUT 60.0
#define DS_AUDIT_DEFAULT_MEMORY ((size_t)2 << 30)

/* ---- formats ---- */

/*
 * The formats of `distill audit --format`: enum suffix, name, what it is
 * (for --help). Every one is written from a run or from --merge.
 */
#define DS_AUDIT_FORMATS(X)                                                  \
	X(SUMMARY, "summary", "for a terminal (the default)")                    \
	X(JSONL, "jsonl", "one JSON object per file (shards concatenate)")       \
	X(SARIF, "sarif", "SARIF 2.1.0, one run")                                \
	X(HTML, "html", "one self-contained page with charts")                   \
	X(MD, "md", "Markdown, for a pull request or a wiki")                    \
	X(CSV, "csv", "one row per file, for a spreadsheet")

enum ds_audit_format {
#define X(e, name, what) DS_AUDIT_FMT_##e,
	DS_AUDIT_FORMATS(X)
#undef X
	DS_AUDIT_FMT__COUNT
};

/* parse_error as shown: "LINE:COL: message", or the message alone. */
void ds_audit_error_text(struct ds_buf *b, const struct ds_audit_report *r);

/* Appends r as one JSON Lines object and a newline. */
void ds_audit_jsonl(struct ds_buf *out, const struct ds_audit_report *r);

/*
 * SARIF 2.1.0 with one run: ds_audit_sarif_begin (rules: the codes found in
 * v[0..n)), ds_audit_sarif_file for every report, ds_audit_sarif_end. A
 * report with positions gives one result per position; one with counts
 * only gives a file-level result per rule. Read and parse errors become
 * toolExecutionNotifications.
 */
struct ds_audit_sarif {
	const char *version;
	const char **codes;  /* rule ids, sorted: index = ruleIndex */
	size_t ncodes;
	size_t nresults;
};
void ds_audit_sarif_begin(struct ds_audit_sarif *s, const struct ds_audit_report *v, size_t n,
			  const char *version, struct ds_buf *out);
void ds_audit_sarif_file(struct ds_audit_sarif *s, const struct ds_audit_report *r, struct ds_buf *out);
/* Closes the document; also frees what begin allocated. */
void ds_audit_sarif_end(struct ds_audit_sarif *s, const struct ds_audit_report *v, size_t n, struct ds_buf *out);

/*
 * Reads one JSON Lines object as ds_audit_jsonl writes it (unknown keys are
 * skipped, so newer reports still merge) into r, with every string in a.
 * Returns 0, or -1 with *err (static) and *err_off (byte offset in line).
 */
int ds_audit_jsonl_read(struct ds_arena *a, const char *line, size_t len, struct ds_audit_report *r,
			const char **err, size_t *err_off);

#endif
