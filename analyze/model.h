/* model.h - the semantic model of a Dockerfile: stages, scopes, images, graph. */
#ifndef DS_ANALYZE_MODEL_H
#define DS_ANALYZE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/imageref.h"
#include "common/diag.h"

struct ds_arena;
struct ds_catalog;
struct ds_dockerfile;
struct ds_instr;

/* A variable in scope: ARG (possibly without a value) or ENV. */
struct ds_var {
	const char *name;
	const char *value; /* NULL: declared without a value (ARG NAME) */
	bool is_env;
	const struct ds_instr *where; /* the defining instruction, NULL for inherited */
};

/* An ordered scope; later entries shadow earlier ones. */
struct ds_scope {
	struct ds_var *v;
	size_t n, cap;
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

struct ds_model {
	const struct ds_dockerfile *df;
	struct ds_arena *a;
	struct ds_scope globals;      /* ARGs before the first FROM */
	struct ds_stage *stages;
	uint32_t nstages;
	int final;                    /* index of the final (or target) stage, -1 if none */
	struct ds_diags diags;        /* model problems (unknown --target-stage, blank base) */
};

/*
 * Builds the model of df in arena a. target_stage names the stage to treat
 * as final (NULL: the last one). Returns 0, or -1 when target_stage names no
 * stage (a diagnostic says so; the last stage is used).
 */
int ds_model_build(struct ds_arena *a, const struct ds_dockerfile *df, const char *target_stage,
		   struct ds_model *m);

/* The stage holding instruction index i, or NULL (instructions before FROM). */
const struct ds_stage *ds_model_stage_of(const struct ds_model *m, uint32_t i);

/*
 * Expands word with the scope in force just before instruction index i of
 * stage st (st NULL: global ARGs only), as BuildKit's ProcessWord does.
 * Unset variables expand to nothing; *unset (optional) is set when any was
 * unset. Returns an arena string; on a syntax error returns the word as is.
 */
const char *ds_model_expand(const struct ds_model *m, const struct ds_stage *st, uint32_t i,
			    const char *word, bool *unset);

/* The value of variable name in scope s, or NULL when unset. */
const char *ds_scope_get(const struct ds_scope *s, const char *name, size_t len);

#endif
