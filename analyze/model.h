/* model.h - the semantic model of a Dockerfile: stages, scopes, images, graph. */
#ifndef DS_ANALYZE_MODEL_H
#define DS_ANALYZE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/imageref.h"
#include "common/diag.h"
#include "common/hash.h"
#include "parser/shellwords.h"

struct ds_arena;
struct ds_catalog;
struct ds_dockerfile;
struct ds_image_class;
struct ds_instr;
struct ds_model_cache;

/* No entry: the end of a chain of definitions. */
#define DS_NO_VAR UINT32_MAX

/* A variable in scope: ARG (possibly without a value) or ENV. */
struct ds_var {
	const char *name;
	const char *value; /* NULL: declared without a value (ARG NAME) */
	const struct ds_instr *where; /* the defining instruction, NULL for inherited */
	bool is_env;
	/* the definitions of one name form a chain, in file order (indexes in the scope) */
	uint32_t prev, next; /* the previous and next definition of the name, or DS_NO_VAR */
	uint32_t jump;       /* an earlier definition, to search the chain in O(log n) */
	uint32_t depth;      /* definitions of the name before this one */
};

/*
 * An ordered scope; later entries shadow earlier ones. Entries are in file
 * order (inherited ones, where NULL, first), and names are indexed, so
 * every lookup below takes O(log n) whatever the file holds. Add entries
 * only through the model (ds_model_build).
 */
struct ds_scope {
	struct ds_var *v;
	size_t n, cap;
	struct ds_hmap last; /* name -> index of its last definition */
};

enum ds_base_kind {
	DS_BASE_IMAGE,      /* a registry image */
	DS_BASE_STAGE,      /* an earlier stage, by name */
	DS_BASE_SCRATCH,    /* FROM scratch */
	DS_BASE_UNRESOLVED, /* still holds a variable nobody defined, or is blank */
};

/* A COPY --from / ADD --from / RUN --mount from= reference. */
struct ds_dep {
	const struct ds_instr *in;
	const char *ref;        /* the value as written */
	const char *expanded;   /* after variable expansion */
	int stage;              /* index of the referenced earlier stage, or -1 */
	int later_stage;        /* index of a stage defined later with that name, or -1 */
	bool is_mount;
	bool is_image;          /* names an external image (stage == -1) */
};

struct ds_stage {
	uint32_t index;
	const char *name;             /* AS name, lower case; NULL when unnamed */
	const struct ds_instr *from;  /* the FROM instruction */
	uint32_t first, last;         /* instruction indexes: FROM .. last of the stage */
	enum ds_base_kind base_kind;
	const char *base_raw;         /* FROM's image word as written */
	const char *base;             /* after expansion with the global ARGs */
	int base_stage;               /* parent stage for DS_BASE_STAGE, else -1 */
	const char *platform;         /* --platform value or NULL */
	/* The image at the root of the stage chain (for DS_BASE_STAGE, the
	 * parent's); valid when has_image. */
	struct ds_imageref image;
	bool has_image;
	int root_kind;                /* base kind at the root of the chain */
	/* Scope at the end of the stage: inherited ENV plus the stage's ARG/ENV. */
	struct ds_scope scope;
	struct ds_dep *deps;
	uint32_t ndeps;
	bool is_final;
	bool reachable;               /* the final stage depends on it */
	const char *user;             /* last USER value (expanded), or NULL */
	const char *workdir;          /* last WORKDIR (expanded, absolute if known) */
};

/*
 * The expansion budget of a file (see struct ds_shlex_budget) and, once an
 * expansion made after ds_model_build() ran past it, where.
 */
struct ds_model_budget {
	struct ds_shlex_budget lx;
	bool located;
	struct ds_diag diag;
};

/* The most variables FROM <stage> may copy from parents into children, for the whole file. */
#define DS_MODEL_MAX_INHERITED (1u << 20)

struct ds_model {
	const struct ds_dockerfile *df;
	struct ds_arena *a;
	struct ds_scope globals;      /* ARGs before the first FROM */
	struct ds_stage *stages;
	uint32_t nstages;
	int final;                    /* index of the final (or target) stage, -1 if none */
	struct ds_diags diags;        /* model problems (unknown --target-stage, blank base) */
	/*
	 * The error that stops the file (index in diags), or -1: an expansion
	 * BuildKit would fail on (a syntax error, ${...} nested too deep), the
	 * expansion budget spent, or too many variables inherited.
	 */
	long fatal;
	struct ds_model_budget *budget; /* every expansion of the file draws on it */
	struct ds_model_cache *cache; /* answers computed on demand (ds_model_classify) */
	struct ds_hmap stage_names;   /* lower-case stage name -> index in stage_first */
	uint32_t *stage_first, *stage_last; /* first and last stage of each name */
	struct ds_hmap declared;      /* variable name -> index in declared_in */
	uint32_t (*declared_in)[2];   /* two stages whose scopes hold the name (UINT32_MAX: none) */
};

/*
 * Builds the model of df in arena a. target_stage names the stage to treat
 * as final (NULL: the last one). Returns 0, or -1 when target_stage names no
 * stage (a diagnostic says so; the last stage is used) or when m->fatal is
 * set (the model is complete as far as it could be built).
 */
int ds_model_build(struct ds_arena *a, const struct ds_dockerfile *df, const char *target_stage,
		   struct ds_model *m);

/*
 * The error that stops the file, with its location: m->fatal's diagnostic,
 * or the first expansion after ds_model_build() that ran past the budget.
 * NULL when there is none. Callers check it after everything that expands
 * (lint, convert) has run.
 */
const struct ds_diag *ds_model_error(const struct ds_model *m);

/*
 * The catalogue's classification of stage s's image (ds_catalog_classify()
 * of stage s's image), computed once per stage and kept in the model for
 * the next question about it (a different cat is computed afresh). Returns 0
 * and fills *out, or -1 when the stage has no image or the catalogue cannot
 * classify it (*out zeroed). Not thread-safe, like the model's arena.
 */
int ds_model_classify(const struct ds_model *m, uint32_t s, const struct ds_catalog *cat,
		      struct ds_image_class *out);

/* The stage holding instruction index i, or NULL (instructions before FROM). */
const struct ds_stage *ds_model_stage_of(const struct ds_model *m, uint32_t i);

/*
 * The dependency of stage st made by instruction in (its COPY/ADD --from
 * when mount is false, its first RUN --mount from= when true), or NULL.
 * O(log n): a stage's dependencies are in instruction order.
 */
const struct ds_dep *ds_stage_dep_of(const struct ds_stage *st, const struct ds_instr *in, bool mount);

/* The index of the first stage named name (any case) before stage upto, or -1. */
int ds_model_find_stage(const struct ds_model *m, const char *name, uint32_t upto);

/*
 * The index of a stage other than except (-1: any stage) whose scope
 * declares name[0..len) (ARG or ENV, own or inherited), or -1.
 */
int ds_model_stage_declaring(const struct ds_model *m, const char *name, size_t len, int except);

/*
 * ds_shlex_word for a word of instruction in, drawing on the file's
 * budget (lx->budget is set here). Returns what ds_shlex_word returns; when
 * the budget stops it, the first such failure is recorded at in for
 * ds_model_error().
 */
int ds_model_shlex_word(const struct ds_model *m, const struct ds_instr *in, struct ds_shlex *lx,
			const char *word, size_t len, const char **out, size_t *outlen, const char **err);

/*
 * Expands word with the scope in force just before instruction index i of
 * stage st (st NULL: global ARGs only), as BuildKit's ProcessWord does.
 * Unset variables expand to nothing; *unset (optional) is set when any was
 * unset. Returns an arena string; on a syntax error returns the word as is.
 */
const char *ds_model_expand(const struct ds_model *m, const struct ds_stage *st, uint32_t i,
			    const char *word, bool *unset);

/* The value of variable name in scope s (its last definition), or NULL when unset. */
const char *ds_scope_get(const struct ds_scope *s, const char *name, size_t len);

/*
 * The last definition of name[0..len) in s visible before instruction index
 * before (inherited ones always are; UINT32_MAX: the end of the scope), or
 * NULL.
 */
const struct ds_var *ds_scope_find(const struct ds_scope *s, const char *name, size_t len,
				   uint32_t before);

/* The first definition of name[0..len) in s by an instruction at index from or later, or NULL. */
const struct ds_var *ds_scope_find_from(const struct ds_scope *s, const char *name, size_t len,
					uint32_t from);

/* The definition of the same name before v in s, or NULL. */
const struct ds_var *ds_scope_prev(const struct ds_scope *s, const struct ds_var *v);

#endif
