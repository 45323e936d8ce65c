/* convert.h - move a Dockerfile's final stage onto a shell-free runtime (DESIGN §5, issue 3). */
#ifndef DS_REWRITE_CONVERT_H
#define DS_REWRITE_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"

struct ds_arena;
struct ds_catalog;
struct ds_catalog_runtime;
struct ds_context;
struct ds_dockerfile;
struct ds_model;

/*
 * One change to the source text: bytes [off, end) are replaced by
 * text[0..len). off == end inserts. A list of edits is applied in order of
 * off (at one offset, insertions before a replacement, otherwise in list
 * order) and never overlaps; untouched bytes are copied as they are, so
 * comments, blank lines, continuations and line ends outside the edits
 * survive exactly. emit/edits.h applies them.
 */
struct ds_edit {
	uint32_t off, end;
	const char *text;
	size_t len;
};

enum ds_convert_status {
	DS_CONVERT_CONVERTED, /* edits make the final stage shell-free and correct */
	DS_CONVERT_NOTHING,   /* already shell-free and correct: no edits */
	DS_CONVERT_ACCEPT,    /* complete and proven, but with behaviour changes not accepted (needs) */
	DS_CONVERT_MANUAL,    /* edits made what could be made; warnings say what is left */
	DS_CONVERT_NO_RUNTIME,/* no runtime fits (php, nginx, dotnet, ...): no edits */
	DS_CONVERT_ERROR,     /* bad input or an internal failure: no edits to trust */
};

/* "converted", "nothing to do", "needs --accept", "manual", "no runtime", "error". */
const char *ds_convert_status_name(enum ds_convert_status s);

/*
 * The behaviour changes a conversion may make and declare (DESIGN §5 step
 * 5): name for --accept and the config key `accept:`, whether it is
 * accepted by default, and what it means. A change not accepted makes the
 * result DS_CONVERT_ACCEPT (exit 1) instead of CONVERTED.
 */
#define DS_CHANGE_KINDS(X)                                                                        \
	X(USER, "user", false, "the user or group the container runs as, or that owns copied files")   \
	X(HEALTHCHECK, "healthcheck", false, "a HEALTHCHECK the runtime cannot run is removed")          \
	X(BUMP, "bump", false, "the language runtime or a builder moves to another version")           \
	X(INIT, "init", false, "an init wrapper (tini, dumb-init) in front of the program is dropped")   \
	X(ONBUILD, "onbuild", false, "ONBUILD RUN triggers, which the runtime cannot run, are removed") \
	X(SCRIPT, "script", true, "a start script read from the build context (npm start, an entrypoint of a known shape, a Gradle start script) or a launcher of the base image (run-java.sh) is run as what it comes down to") \
	X(REPAIR, "repair", true, "a command that could not run is repaired (a CMD repeating the entrypoint)") \
	X(ENV, "env", true, "an environment variable the runtime needs is set (PYTHONPATH)")              \
	X(BASE, "base", true, "what only the old base image configured (its ENV, EXPOSE, VOLUME) goes with it")

enum ds_change_kind {
#define X(e, name, dflt, what) DS_CHANGE_##e,
	DS_CHANGE_KINDS(X)
#undef X
	DS_CHANGE__COUNT
};

/* "user", "healthcheck", ... */
const char *ds_change_kind_name(enum ds_change_kind k);
/* What kind k means, one line. */
const char *ds_change_kind_summary(enum ds_change_kind k);
/* The kinds accepted without being asked for (a bit per kind). */
unsigned ds_change_default_accept(void);
/*
 * Parses a comma-separated list of kind names ("user,bump"; "all" for every
 * kind) into *mask (bits added). Returns 0, or -1 with *bad pointing at an
 * arena-free static copy of the first unknown name (valid until the next call).
 */
int ds_change_parse_list(const char *list, unsigned *mask, const char **bad);

/* One declared behaviour change. */
struct ds_convert_change {
	enum ds_change_kind kind;
	uint32_t off, end;        /* where in the original source */
	const char *msg;          /* what changes, lower case (arena) */
};

enum ds_convert_vendor {
	DS_VENDOR_DISTROLESS, /* gcr.io/distroless (default) */
	DS_VENDOR_CHAINGUARD, /* cgr.dev/chainguard, non-dev variants */
	DS_VENDOR_CHISELED,   /* Microsoft's chiseled .NET images (Ubuntu chiseled) */
	DS_VENDOR_UBI_MICRO,  /* Red Hat's UBI micro: no package manager, but a shell */
	DS_VENDOR__COUNT
};

/* "distroless", "chainguard", "chiseled", "ubi-micro". */
const char *ds_convert_vendor_name(enum ds_convert_vendor v);

struct ds_convert_opts {
	enum ds_convert_vendor vendor; /* the vendor whose runtimes stand in for the language
					* runtimes and compiled programs: the first of distroless
					* and chainguard in targets (distroless when neither is) */
	/*
	 * --target in the user's order. A final stage the vendor above has no
	 * runtime for (nginx, .NET) goes to the first vendor here with a runtime
	 * that replaces its image (catalogue `replaces`); when targets holds
	 * neither distroless nor chainguard, only those replacements are made.
	 */
	enum ds_convert_vendor targets[DS_VENDOR__COUNT];
	size_t ntargets;
	const char *debian;       /* "12", "13", or NULL: match the builder, else the vendor's default */
	bool bump_runtime;        /* move a language version without a runtime to the next newer one
				   * (and accept the change of kind bump) */
	const char *target_stage; /* the stage the model treats as final (NULL: the last), for step 9 */
	bool nonroot;             /* run as the runtime's non-root user when the original ran as root
				   * (a change of kind user, accepted by asking for it) */
	const struct ds_context *context; /* the build context to read (rewrite/context.h), or NULL */
	unsigned accept;          /* kinds of behaviour change accepted (bits of enum ds_change_kind);
				   * ds_convert_opts_init sets ds_change_default_accept() */
};

/* Sets the defaults: distroless, no release asked, no bump. */
void ds_convert_opts_init(struct ds_convert_opts *o);
/*
 * Sets o->targets and o->vendor from a comma-separated list of vendor names
 * ("distroless,chiseled,chainguard"). Returns 0, or -1 with *bad pointing at
 * a static copy of the first unknown or repeated name (valid until the next
 * call), o unchanged.
 */
int ds_convert_parse_targets(const char *list, struct ds_convert_opts *o, const char **bad);

struct ds_convert_result {
	enum ds_convert_status status;
	struct ds_edit *edits;    /* sorted by offset, non-overlapping; arena */
	size_t nedits;
	/*
	 * Every change (DS_SEV_NOTE) and every construct left for a person
	 * (DS_SEV_WARNING), at its place in the original source, with the rule
	 * code it concerns; one position-less summary comes last.
	 */
	struct ds_diags diags;
	const char *runtime;      /* the runtime image written into FROM, or NULL */
	const char *reason;       /* MANUAL / NO_RUNTIME / ERROR: the first reason */
	const char *suggest;      /* NO_RUNTIME: an image to use instead, or NULL */
	const char *output;       /* the converted text (the source itself when no edits) */
	size_t output_len;
	struct ds_convert_change *changes; /* every declared behaviour change (arena) */
	size_t nchanges;
	unsigned needs;           /* kinds among changes that opts->accept lacks */
};

/*
 * Converts df (parsed without a fatal error) whose model m was built with
 * opts->target_stage, using catalogue cat. Fills *res with the edits
 * against df->src, the diagnostics and the status; everything is allocated
 * from a. Before returning CONVERTED it re-parses the output, rebuilds the
 * model and checks the final stage (DESIGN §5 step 9: no RUN, exec form
 * only, only users and binaries the runtime has); a failed check turns the
 * result into ERROR with the reason, so a conversion that fails its own
 * check is never reported as a success. Returns 0, or -1 for ERROR. Never
 * prints.
 */
int ds_convert(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
	       const struct ds_catalog *cat, const struct ds_convert_opts *opts,
	       struct ds_convert_result *res);

/*
 * Step 9 on its own: parses text[0..len) as a Dockerfile and checks that its
 * final stage (target_stage, or the last) runs on a shell-free image with
 * no RUN, exec-form CMD/ENTRYPOINT/HEALTHCHECK only, users the runtime has
 * and no shell or absent tool invoked. Returns 0 when it passes, else -1
 * with *why (lower case, in a) naming the first failure.
 */
int ds_convert_check(struct ds_arena *a, const char *text, size_t len, const char *path,
		     const struct ds_catalog *cat, const char *target_stage, const char **why);

/*
 * ds_convert_check for the --target list of targets (NULL: none), which may
 * name a vendor whose images carry a shell (ubi-micro): a final stage on
 * one of its runtimes passes when nothing in it needs the shell.
 */
int ds_convert_check_targets(struct ds_arena *a, const char *text, size_t len, const char *path,
			     const struct ds_catalog *cat, const char *target_stage,
			     const struct ds_convert_opts *targets, const char **why);

/* ---- the pieces, exposed for unit tests ---- */

/* A command as exec-form words. */
struct ds_convert_argv {
	const char **v; /* NUL-terminated words, arena */
	size_t n;
};

/*
 * Turns a shell-form command (the text of CMD, ENTRYPOINT or HEALTHCHECK
 * CMD) into exec-form words when it is plain words: one simple command, no
 * variables, substitutions, operators, pipes, redirections, globs, tildes
 * or assignments; a leading `exec` is dropped. Returns 0, or -1 with *why
 * (static, lower case) saying what needs a shell.
 */
int ds_convert_shell_words(struct ds_arena *a, const char *cmd, size_t len,
			   struct ds_convert_argv *out, const char **why);

/* Formats words as a JSON array: ["a", "b"]. Returns an arena string. */
char *ds_convert_json_array(struct ds_arena *a, const char *const *v, size_t n);

/*
 * The user spec (USER value or --chown value: "user", "user:group", ids)
 * rewritten for rt: names rt lacks become its non-root account, numeric ids
 * and known names stay. Returns spec itself when nothing changes (then
 * *changed is false), else an arena string.
 */
const char *ds_convert_map_user(struct ds_arena *a, const struct ds_catalog_runtime *rt,
				const char *spec, bool *changed);

/*
 * The apt-get equivalent of `apk add` with the given arguments (argv[0] is
 * "apk", argv[1] "add"), as one command line:
 * "apt-get update && apt-get install -y --no-install-recommends P..." (no
 * "apt-get update &&" when update is false). Versions are dropped, packages
 * Debian does not need are left out; *empty is set when none remains.
 * Returns an arena string, or NULL with *why (arena) when an option or a
 * package has no known translation.
 */
char *ds_convert_apk_to_apt(struct ds_arena *a, const struct ds_catalog *cat,
			    const char *const *argv, size_t argc, bool update, bool *empty,
			    const char **why);

#endif
