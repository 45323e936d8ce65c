/*
 * internal.h - the state shared by the steps of one conversion (rewrite/ only).
 *
 * Not a public API: nothing outside rewrite/ includes it. Its functions carry
 * the prefix cv_ and take the conversion state struct cv, which ds_convert()
 * sets up; every string they return lives in the conversion's arena.
 */
#ifndef DS_REWRITE_INTERNAL_H
#define DS_REWRITE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/image.h"
#include "catalog/catalog.h"
#include "common/hash.h"
#include "rewrite/convert.h"

struct ds_arena;
struct ds_dockerfile;
struct ds_instr;
struct ds_heredoc;
struct ds_model;
struct ds_shell_cmd;
struct ds_source;
struct ds_stage;

#define MAX_CHAIN 64

/* The argv of a CMD, ENTRYPOINT or HEALTHCHECK: exec form as is, shell form when plain words. */
struct cmdv {
	const char **v;
	size_t n;
	bool ok;
	const char *why;
};

/*
 * Step 3 for the users and groups the final chain makes (accounts.c):
 * kept in the runtime image by an accounts stage, instead of renamed.
 */
struct cv_accounts {
	bool keep;                  /* an accounts stage makes them and the runtime stage copies them in */
	const char *retry;          /* the output's accounts are made on another image (why): convert again without */
	const char *stage;          /* the accounts stage's name */
	const char **users, **groups; /* the accounts it carries, by name */
	size_t nusers, ngroups;
	const char **homes;         /* home folders (/home/NAME) it carries when the image has them */
	size_t nhomes;
	const struct ds_instr **runs; /* the RUNs of the chain that make them, in order */
	size_t nruns;
	struct ds_hmap copied;      /* accounts a COPY of a passwd or group file keeps in the final stage (cv_names) */
};

struct cv {
	struct ds_arena *a;
	const struct ds_dockerfile *df;
	const struct ds_model *m;
	const struct ds_catalog *cat;
	const struct ds_convert_opts *o;
	struct ds_convert_result *res;
	struct ds_source *s;
	const char *src;
	uint32_t len;
	const char *eol;          /* the file's line end: "\n" or "\r\n" */

	struct ds_edit *ed;
	size_t ned, caped;
	bool overlap;             /* an edit collided with another: internal error */
	unsigned char *del;       /* per 1-based line: deleted */
	size_t nlines;

	int nmanual;              /* constructs left for a person */
	size_t capchanges;        /* capacity of res->changes */
	unsigned accept;          /* kinds accepted: opts->accept, and bump with bump_runtime */
	bool nonroot;             /* --nonroot holds: the container moves from root to the runtime's non-root user */
	const struct ds_context *ctx; /* the build context, or NULL */
	/* step 2: the command as the build context resolves it (scripts.c) */
	const struct ds_instr *ovr_in;   /* the instruction that carries it (written as CMD) */
	struct cmdv ovr;                 /* its words */
	const struct ds_instr *ovr_drop; /* the ENTRYPOINT it replaces, removed */
	const struct ds_instr *as_cmd;   /* an ENTRYPOINT that carries it as CMD */
	const char *ovr_workdir;         /* the folder the launcher changes to before it runs the program, or NULL */
	const char **ovr_env;            /* NAME=value the scripts exported, as ENV */
	size_t novr_env;
	const char *init_tool;           /* the init wrapper dropped ("tini"): installing it is no longer needed */
	const char **resolved;           /* the whole command the original comes down to, for the proof */
	size_t nresolved;
	const char *unproven;     /* why the proof could not be completed (a person must look) */
	bool abandon;             /* a partial conversion would make no sense: no edits at all */

	const struct ds_stage *fs;    /* the final stage */
	const struct ds_stage *root;  /* the stage whose FROM names the image */
	const struct ds_stage *chain[MAX_CHAIN]; /* root first, final last */
	size_t nchain;
	struct ds_image_class cls;    /* of the root image */
	bool has_cls, scratch;

	const struct ds_instr *cmd, *ep; /* the CMD and ENTRYPOINT in effect */
	bool ep_cleared;          /* the ENTRYPOINT in effect is empty: it clears the image's */
	const struct ds_instr *ep_empty; /* that empty ENTRYPOINT */

	const struct ds_catalog_runtime *rt;    /* the runtime written */
	const struct ds_catalog_runtime *rt_dl; /* its distroless counterpart */
	const char *rt_ref;       /* image reference written into FROM */
	const char *launcher;     /* the base image's entrypoint script the replacing runtime does
				   * without (declared, kind script), or NULL */
	const char *const *add_cmd; /* a CMD to write: the base image's, which the stage inherited */
	bool add_ep_clear;        /* write ENTRYPOINT [] before it: the runtime's entrypoint is not the original's */
	size_t nadd_cmd;
	int replaced;             /* -1, or the vendor (enum ds_convert_vendor) whose runtime replaces
				   * the image no runtime of opts->vendor fits (--target list) */
	const char *tag;          /* its tag: the root variant when the vendor has one ("latest"), else NULL */
	struct ds_image_model im0;/* the original final stage as a container sees it */
	const char *base_workdir; /* WORKDIR of the chain's root image, NULL when unknown */
	const char *py_old[8];    /* python versions of builders that move to the runtime's (W5) */
	size_t npy_old;
	const char *venvs[8];     /* virtual environments whose packages the runtime's python now sees (W7) */
	size_t nvenvs;
	const char *debian;       /* distroless release written ("13"), or NULL */
	const char *codename;     /* codename for Alpine stages moved to Debian */
	/* step 3: what the program needs, when known, for a runtime that is not distroless (UBI micro) */
	const struct ds_elf_info *prog_elf; /* its ELF headers (from the build context) */
	const char *prog_lang;    /* the language a build stage compiled it from ("go") */
	int prog_link;            /* LINK_*, or LINK_UNKNOWN */
	bool prog_quarkus;        /* a Quarkus native executable (glibc, libgcc, libstdc++, zlib) */
	bool prog_alpine;         /* built in a stage on Alpine, whose build moves to a Debian release */

	struct cv_accounts acc;   /* step 3: the accounts the final chain makes (accounts.c) */
	const char *no_accounts;  /* a second attempt: why no accounts are kept (the runtime's own replace them) */

	unsigned char *feeds;     /* per stage: its files reach the runtime image */
	bool *moved;              /* per stage: its root moved from Alpine to Debian */
};

enum cv_cmd_class { CC_BUILD, CC_PKG, CC_USER, CC_CLEAN, CC_NEUTRAL };

struct pkg {
	const char *name;   /* without version */
	bool apk;           /* an Alpine name */
	const struct ds_instr *in;
};

enum run_kind {
	RUN_BUILD,   /* does build work */
	RUN_INSTALL, /* only installs packages, some of which the runtime lacks */
	RUN_DROP,    /* only things the runtime has or does not need: packages it has, users, cleanup */
};

struct run {
	const struct ds_instr *in;
	const struct ds_stage *st;
	const char *script;
	size_t slen;
	int map;                   /* 0: the joined argument, 1: a here-document, 2: not editable */
	const struct ds_heredoc *hd;
	struct ds_shell_cmd *cmds;
	size_t n;
	bool ok;                   /* split without error */
	enum run_kind kind;
	const char *cwd;           /* WORKDIR before it */
	size_t pkg0, npkg;         /* its packages in an->pkgs */
};

struct copy {
	const struct ds_instr *in;
	const struct ds_stage *st;
	const char *dest;      /* absolute, normalised */
	bool dest_dir;         /* written with a trailing slash, or several sources */
	const char **srcs;     /* expanded source words */
	size_t nsrcs;
	int from;              /* stage index of --from, or -1 */
	bool from_other;       /* --from names an image or an unknown stage */
	const char *chown;     /* expanded --chown value, or NULL */
	bool replay;           /* split: repeated as it is in the runtime stage */
	const char *wd;        /* WORKDIR in effect there */
};

/* One path the runtime stage copies from the builder. */
struct apath {
	const char *src, *dst;
	const char *chown;     /* original owner spec, mapped when written; NULL: keep */
	const struct ds_instr *why; /* what put it there */
	size_t seq;            /* order of discovery */
};

struct an {
	struct run *runs;
	size_t nruns, capruns;
	struct copy *copies;
	size_t ncopies, capcopies;
	struct pkg *pkgs;
	size_t npkgs, cappkgs;
	struct apath *paths;
	size_t npaths, cappaths;
	const char **pypath;         /* PYTHONPATH entries the runtime needs */
	size_t npypath, cappypath;
	const char *workdir;         /* in effect at the end, "/" when none */
	bool workdir_set;
	const struct ds_instr *user_in;
	bool ancestors_busy;         /* a parent stage in the chain has instructions */
	bool build_work;             /* some RUN of the chain is more than RUN_DROP */
	const char *exe;             /* the program the image runs (absolute), or NULL */
	const char *hc_tool;         /* curl or wget used by a HEALTHCHECK */
	const struct ds_instr *py_after; /* the COPY that brings python packages in (swap: ENV goes after it) */
	struct {
		const struct ds_instr *after; /* swap: a COPY line (without the keyword) goes after this */
		const char *line;
	} vcopy[8];                  /* site-packages of virtual environments into the runtime's site (W7) */
	size_t nvcopy;
	const struct ds_instr *install;  /* a RUN with make/cmake/ninja install: more than the program lands */
};


/*
 * How a compiled program links: LINK_STATIC needs no libc at all (Go
 * without cgo, musl static); LINK_STATIC_GLIBC has glibc inside, which
 * still loads its NSS configuration and modules at run time, so it needs
 * a glibc image (base), not static.
 */
enum { LINK_UNKNOWN = -1, LINK_DYNAMIC = 0, LINK_STATIC = 1, LINK_STATIC_GLIBC = 2 };

struct newcmd {
	const char *kw;       /* keyword to write */
	const char **v;       /* the new exec-form words */
	size_t n;
	bool changed;         /* differs from what is written */
	bool drop;            /* remove the instruction (reported) */
	bool keep;            /* cannot convert: left as it is (reported) */
};

struct split {
	const char *builder;      /* the builder stage's name */
	uint32_t at;              /* where the runtime stage is inserted */
	const char *text;         /* its lines, each ended */
};

/* Where diagnostics point: an instruction's first line, the root FROM's image word. */
#define AT_INSTR(c, in) cv_instr_off(c, in), cv_instr_end(c, in)
#define AT_FROM(c) cv_from_off(c), cv_from_end(c)

/* accounts.c */
/* Indexes the names of v[0..n) into h: each name's value has bit 1 for a user, 2 for a group. */
void cv_names_index(struct ds_arena *a, struct ds_hmap *h, const struct ds_im_account *v, size_t n);
/* Whether h (cv_names_index) holds name[0..len) as a user or, group, as a group. */
bool cv_names_has(const struct ds_hmap *h, const char *name, size_t len, bool group);
/*
 * Step 3: whether the accounts the final chain makes are kept (c->acc),
 * and which accounts the COPYs of passwd or group files of the chain keep.
 * mode: 0 fix (the stage already runs on a shell-free image), 1 swap, 2 split.
 */
void cv_plan_accounts(struct cv *c, struct an *an, int mode);
/* The user spec (USER, --chown) for the runtime image: ds_convert_map_user, but names that are kept stay. */
const char *cv_map_user(struct cv *c, const char *spec, bool *changed);
/* Whether name is an account the runtime image has through the accounts stage or a COPY (group: a group). */
bool cv_account_kept(const struct cv *c, const char *name, bool group);
/* The accounts stage's lines, each ended (split: FROM builder, the builder stage's name), or "" when none is kept. */
const char *cv_accounts_stage(struct cv *c, const char *builder);
/* The runtime stage's COPY lines of the accounts, each ended, or "" when none is kept. */
const char *cv_accounts_copies(struct cv *c);
/* Whether cp brings only account files (passwd, group) or what an accounts stage wrote: text and empty folders. */
bool cv_copies_accounts_only(const struct copy *cp);
/* Whether run is a RUN of the final chain whose accounts the accounts stage now makes. */
bool cv_accounts_made_by(const struct cv *c, const struct ds_instr *run);
/*
 * Part of the proof: the kept accounts reach the output's final stage from
 * a stage built on the original image (m: the output's model). Returns 0,
 * or -1 with *why (and c->acc.retry set when converting without them would do).
 */
int cv_prove_accounts(struct cv *c, const struct ds_model *m, const char **why);

/* builders.c */
const char *cv_retarget(struct cv *c, const char *raw, const char *old, const char *new);
void cv_retarget_builders(struct cv *c);
void cv_translate_moved_stages(struct cv *c, bool split);

/* commands.c */
const char *cv_words_text(struct cv *c, const char *const *v, size_t n);
const struct ds_instr *cv_convert_commands(struct cv *c, struct an *an, bool split, struct newcmd *nhc,
					       struct newcmd *nep, struct newcmd *ncmd);
const char *cv_command_text(struct cv *c, const struct ds_instr *in, const struct newcmd *nc);

/* edits.c */
/* A keyword in the case the file uses for FROM ("COPY" or "copy"). */
const char *cv_kw(const struct cv *c, const char *upper);
size_t cv_vars_in(struct cv *c, const char *t, const char ***out, size_t n, size_t *cap);
void cv_convert_split(struct cv *c, struct an *an, struct split *sp);
void cv_convert_in_place(struct cv *c, struct an *an, bool swap);
void cv_finish_deletions(struct cv *c);
void cv_finish_insert(struct cv *c, const struct split *sp);
void cv_make_output(struct cv *c);

/* need.c */
void cv_parse_run(struct cv *c, const struct ds_stage *st, const struct ds_instr *in, const char *cwd,
		      struct run *r);
uint32_t cv_run_src(const struct cv *c, const struct run *r, size_t off);
size_t cv_next_operand(const struct ds_shell_cmd *cmd, size_t from, const char *const *with_value);
enum cv_cmd_class cv_cmd_class(struct cv *c, const struct ds_shell_cmd *cmd, const struct ds_instr *in,
				struct pkg **pk, size_t *npk, size_t *cappk);
bool cv_is_build_tool(const char *p);
void cv_analyze_chain(struct cv *c, struct an *an);
/*
 * Walks the chain of stage st (its root first) into an, as cv_analyze_chain
 * walks the final one. Returns false when a path of it depends on the root
 * image's WORKDIR and the catalogue does not know that folder ("/" is taken).
 */
bool cv_analyze_stage_chain(struct cv *c, const struct ds_stage *st, struct an *an);
void cv_command_argv(struct cv *c, const struct ds_instr *in, struct cmdv *out);
void cv_effective_commands(struct cv *c);
const struct copy *cv_copy_putting(struct an *an, const char *p);
const char *cv_program_path(struct cv *c, struct an *an, const char *w);
int cv_stage_linking(struct cv *c, const struct ds_stage *st, const char **lang);
const struct ds_catalog_runtime *cv_compiled_runtime(struct cv *c, const struct ds_image_class *k,
							  const char *lang, int link);
const char *cv_healthcheck_tool(struct an *an, const struct ds_instr *hc);
const struct run *cv_run_of(const struct an *an, const struct ds_instr *in);
extern const char *const cv_file_tools[];
extern const char *const cv_apk_value_flags[];

bool cv_check_dev_env(struct cv *c, struct an *an);

/*
 * python.c: console script `name` as the arguments python runs it with:
 * ["-m", MODULE] for a well-known package's (catalogue console_scripts), or
 * ["-c", "import sys; from M import F; sys.exit(F())"] for one the
 * project's pyproject.toml or setup.cfg declares. Returns 1 with *what
 * saying which, 0 when neither knows it, -1 when the declaration is not a
 * plain entry point (*what says why).
 */
int cv_python_console_script(struct cv *c, struct an *an, const char *name, const char ***argv, size_t *n,
			     const char **what);

/* paths.c: the index of the first word after pip when cmd runs pip (pip, pip3, pip3.N,
 * python -m pip, uv pip), else 0 */
size_t cv_pip_args(const struct ds_shell_cmd *cmd);
/* paths.c: whether cmd installs Python packages (pip or uv pip install, uv sync,
 * poetry, pipenv or pdm install or sync) */
bool cv_installs_python_packages(const struct ds_shell_cmd *cmd);

/* scripts.c */
/*
 * Why distill could not read the script a command names (word): it comes
 * with the image, from another stage or image, or the build context lacks
 * it (lower case, no full stop); NULL when the context holds it.
 */
const char *cv_script_origin(struct cv *c, struct an *an, const char *word);
/* The build context's path of image path p, as the final chain's COPYs put it there; NULL when none does. */
const char *cv_context_source(struct cv *c, struct an *an, const char *p);
/* Step 2: reads npm scripts, entrypoint scripts, shebangs and init wrappers of the command (see scripts.c). */
void cv_resolve_command(struct cv *c, struct an *an);

/* gradle.c */
/*
 * Step 2: whether image path ip is a start script of Gradle's application
 * plugin (bin/NAME of an installDist folder a builder stage wrote, copied
 * with its lib/), and what it runs, read from the build file in the build
 * context. Returns 1 with *v, *n the java command (the script's arguments
 * go after it) and *msg what was read and what changes, for the declared
 * change; 0 when ip is not such a script; -1 with *msg when it is one but
 * distill cannot tell what it runs.
 */
int cv_gradle_start_script(struct cv *c, struct an *an, const char *ip, const char ***v, size_t *n, const char **msg);

/* paths.c */
bool cv_path_ignored(const char *p);
void cv_python_copies(struct cv *c, struct an *an);
void cv_compute_paths(struct cv *c, struct an *an);
bool cv_path_provided(struct cv *c, struct an *an, const char *p, bool split);

/* plan.c */
int cv_pick_runtime(struct cv *c, struct an *an);
/*
 * After a runtime of another vendor replaced the image (--target list):
 * leaves to a person a stage that writes what the runtime keeps as its own,
 * and does without the image's launcher (nginx's /docker-entrypoint.sh).
 * Returns -1 when the conversion stops here.
 */
int cv_replace_launcher(struct cv *c, struct an *an);
bool cv_pkg_provided(struct cv *c, const struct pkg *p);
const char *cv_missing_library(struct cv *c, const struct pkg *p);
void cv_classify_runs(struct cv *c, struct an *an);
void cv_compute_feeds(struct cv *c, struct an *an, bool split);
bool cv_stage_native(struct cv *c, const struct ds_stage *st, const struct ds_image_class *k);
void cv_replace_removed(struct cv *c);
/* Reports binaries the final chain copies from Alpine images when the runtime is not musl (W9). */
void cv_check_foreign_binaries(struct cv *c, struct an *an);
/* The WORKDIR the runtime image starts in ("/" when unknown). */
const char *cv_runtime_workdir(struct cv *c);
/* Whether the final chain sets an absolute WORKDIR before anything depends on the folder it starts in. */
bool cv_chain_sets_workdir_first(struct cv *c);
/*
 * For a final chain without USER: the USER line the runtime stage needs so
 * that it runs as the original did (NULL: none needed); a change it must
 * make instead is declared at [off, end).
 */
const char *cv_identity_user(struct cv *c, size_t off, size_t end);
/* --nonroot: whether the original shows signs it needs root (VOLUME, low ports, the Docker socket, capabilities); reports them. */
bool cv_needs_root(struct cv *c);
/* The runtime's non-root user and group as an owner ("nonroot:nonroot"). */
const char *cv_nonroot_owner(struct cv *c);

/* programs.c */
struct ds_elf_info;
/*
 * Step 3 for a program copied from the build context (cp puts an->exe):
 * reads it as an ELF file and picks its runtime into *rt, noted (1); 0 when
 * the context does not show it as an ELF program (*why says why, or NULL);
 * -1 when no runtime fits it (reported). *e holds what the file says.
 */
/* Whether runtime rt has a package shipping library soname (catalogue `sonames`). */
bool cv_runtime_has_library(struct cv *c, const struct ds_catalog_runtime *rt, const char *soname);
int cv_context_program(struct cv *c, struct an *an, const struct copy *cp, struct ds_elf_info *e,
		       const struct ds_catalog_runtime **rt, const char **why);
/* After the release is picked: -1 (reported) when e asks for a newer glibc than the runtime's, else 0. */
int cv_context_program_fits(struct cv *c, struct an *an, const struct copy *cp, const struct ds_elf_info *e);

/* python.c */
void cv_plan_python(struct cv *c);
const char *cv_python_version(struct cv *c, const struct ds_stage *st);
const char *cv_python_fix(struct cv *c, const char *text);
void cv_python_fix_in_place(struct cv *c);
const char *cv_python_site(struct cv *c);

/* proof.c */
int cv_prove(struct cv *c, const char **why);

/* state.c */
void cv_note(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void cv_manual(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void cv_warn(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void cv_declare(struct cv *c, enum ds_change_kind k, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
size_t cv_instr_off(const struct cv *c, const struct ds_instr *in);
size_t cv_instr_end(const struct cv *c, const struct ds_instr *in);
void cv_edit(struct cv *c, uint32_t off, uint32_t end, const char *text);
uint32_t cv_line_of(const struct cv *c, uint32_t off);
uint32_t cv_line_start(const struct cv *c, size_t line);
uint32_t cv_line_next(const struct cv *c, size_t line);
bool cv_line_blank(const struct cv *c, size_t line);
uint32_t cv_instr_first_line(const struct cv *c, const struct ds_instr *in);
uint32_t cv_instr_last_line(const struct cv *c, const struct ds_instr *in);
uint32_t cv_comment_first_line(const struct cv *c, const struct ds_instr *in);
void cv_delete_instr(struct cv *c, const struct ds_instr *in);
const char *cv_instr_text(struct cv *c, const struct ds_instr *in, bool with_comments);
const struct ds_stage *cv_stage_at(const struct cv *c, int i);
const struct ds_stage *cv_stage_parent(const struct cv *c, const struct ds_stage *st);
const struct ds_stage *cv_stage_root(const struct cv *c, const struct ds_stage *st);
const char *cv_stage_label(struct cv *c, const struct ds_stage *st);
const struct ds_instr *cv_instr_at(const struct cv *c, uint32_t i);
const char *cv_expand(struct cv *c, const struct ds_stage *st, const struct ds_instr *in,
			  const char *word, bool *unset);
bool cv_classify_stage(struct cv *c, const struct ds_stage *st, struct ds_image_class *out);
void cv_blocked(struct cv *c, enum ds_convert_status st, size_t off, size_t end, const char *code,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
size_t cv_from_off(const struct cv *c);
size_t cv_from_end(const struct cv *c);

#endif
