/* image.h - the image model: the configuration a container of a stage runs with (DESIGN §5). */
#ifndef DS_ANALYZE_IMAGE_H
#define DS_ANALYZE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/hash.h"

struct ds_arena;
struct ds_catalog;
struct ds_catalog_accounts;
struct ds_instr;
struct ds_model;

/*
 * The image model of a stage is what `docker inspect` would show of the
 * image built up to the end of that stage, and what a container of it runs
 * with: the stage's instructions applied, in order, over the configuration
 * of its base (the parent stage's model for FROM <stage>, the catalogue's
 * knowledge of an image, an empty configuration for scratch). It follows
 * BuildKit's dispatcher: relative WORKDIR joins the current one; ENV,
 * LABEL, USER, WORKDIR, EXPOSE, VOLUME and STOPSIGNAL expand variables
 * (the stage's ARGs and the image's environment); shell-form commands run
 * as SHELL (default ["/bin/sh", "-c"]) + the text; an ENTRYPOINT resets a
 * CMD inherited from the base but not one set earlier in the same stage;
 * HEALTHCHECK replaces the health check whole. BuildKit adds a default PATH
 * when the base has none.
 *
 * What the catalogue does not know about a base image is unknown, never
 * guessed: every field says whether it is known. An instruction that sets
 * a field makes it known again (unless its value expands an unknown
 * variable).
 */

/* A string field: known or not; where is the instruction that set it (NULL: the base). */
struct ds_im_str {
	const char *v;   /* NULL with known: not set at all */
	bool known;
	const struct ds_instr *where;
};

/* A command (ENTRYPOINT, CMD, the health check's test) as the argv it runs. */
struct ds_im_argv {
	const char **v;  /* NUL-terminated words; NULL when n is 0 */
	size_t n;        /* 0: none */
	bool known;
	bool shell;      /* written in shell form: v is SHELL + [text] */
	const char *text;/* shell form: the command text as written */
	const struct ds_instr *where;
};

/* One environment variable or label. value NULL: set, value unknown. */
struct ds_im_kv {
	const char *key;
	const char *value;
	const struct ds_instr *where; /* NULL: from the base */
	const char *raw;              /* the value as written in where, NULL for the base */
};

struct ds_im_list {
	struct ds_im_kv *v;
	size_t n, cap;
	bool base_known; /* entries of the base are all listed (else only the Dockerfile's) */
	struct ds_hmap idx; /* key -> index in v */
};

/* The identity a container runs as. */
struct ds_im_user {
	const char *spec;      /* USER as written and expanded; "" when never set (root) */
	bool known;
	long uid, gid;         /* -1: unknown */
	int root;              /* 1 root, 0 some other user, -1 unknown */
	const char *name;      /* user name when known, else NULL */
	const struct ds_instr *where;
};

struct ds_im_health {
	bool known;
	bool set;              /* a health check is configured (possibly NONE) */
	bool none;             /* HEALTHCHECK NONE: checks disabled */
	struct ds_im_argv test;
	const char *options;   /* "--interval=5s --retries=3" as written, sorted; "" when none */
	const struct ds_instr *where;
};

struct ds_image_model {
	const char *base;          /* the root image ("node:22", "scratch"), or NULL when unresolved */
	bool base_known;           /* the catalogue knows the root image's configuration */
	struct ds_im_str workdir;  /* absolute */
	struct ds_im_user user;
	struct ds_im_list env;
	struct ds_im_list labels;  /* only the Dockerfile's labels (base labels are not modelled) */
	struct ds_im_argv shell;   /* SHELL in effect */
	struct ds_im_argv entrypoint, cmd;
	struct ds_im_argv argv;    /* what runs: entrypoint + cmd */
	struct ds_im_list expose;  /* keys "8080/tcp", value NULL */
	struct ds_im_list volumes; /* keys are paths, value NULL */
	struct ds_im_health health;
	struct ds_im_str stopsignal;
	const char **onbuild;      /* ONBUILD triggers as written */
	size_t nonbuild, onbuild_cap;
	const struct ds_catalog_accounts *accounts; /* the base image's passwd/group, or NULL */
};

/*
 * Builds the image model of stage index `stage` of m (-1: m's final stage)
 * with the base configurations of catalogue cat (NULL: every image base is
 * unknown). Strings live in a. Returns 0, or -1 when the stage does not
 * exist (out is then zeroed).
 */
int ds_image_model_build(const struct ds_model *m, int stage, const struct ds_catalog *cat,
			 struct ds_arena *a, struct ds_image_model *out);

/* An account the Dockerfile itself makes (see ds_image_model_accounts). */
struct ds_im_account {
	const char *name;
	long id;          /* the uid or gid given, -1 when allocated as the image is built */
	bool group;       /* a group, else a user */
	const struct ds_instr *where; /* the RUN of the chain that makes it, or its COPY that brings it in */
};

/*
 * The accounts the image of stage `stage` (-1: m's final stage) has
 * beyond its base image's: the users and groups adduser, useradd,
 * addgroup and groupadd make in the RUNs of its chain (analyze/accounts.h;
 * a user's own group too), and, for a COPY --from of a passwd or group file
 * into /etc ("COPY --from=s /etc/passwd /etc/passwd", "COPY --from=s
 * DIR/passwd DIR/group /etc/"), the accounts of that kind stage s's chain
 * makes, which the file is taken to hold. The USER of an image model is
 * resolved against the same accounts. Returns how many, in *out (an
 * array in a, NULL when none; names in m's arena), in the order made.
 */
size_t ds_image_model_accounts(const struct ds_model *m, int stage, struct ds_arena *a, struct ds_im_account **out);

/* The value of environment variable name in im: sets *known; NULL when unset or unknown. */
const char *ds_image_model_env(const struct ds_image_model *im, const char *name, bool *known);

/* The fields two image models are compared on. */
#define DS_IM_FIELDS(X)            \
	X(WORKDIR, "workdir")      \
	X(USER, "user")            \
	X(ENV, "env")              \
	X(LABEL, "label")          \
	X(ENTRYPOINT, "entrypoint")\
	X(CMD, "cmd")              \
	X(ARGV, "argv")            \
	X(EXPOSE, "expose")        \
	X(VOLUME, "volume")        \
	X(HEALTHCHECK, "healthcheck") \
	X(STOPSIGNAL, "stopsignal") \
	X(ONBUILD, "onbuild")

enum ds_im_field {
#define X(e, s) DS_IM_##e,
	DS_IM_FIELDS(X)
#undef X
};

/* "workdir", "user", ... */
const char *ds_im_field_name(enum ds_im_field f);

/*
 * One difference between two image models. key names the variable, label,
 * port or volume for the list fields (NULL otherwise); before and after are
 * readable renderings ("(unset)", "(unknown)", JSON arrays for commands).
 */
struct ds_im_diff {
	enum ds_im_field field;
	const char *key;
	const char *before, *after;
	bool unknown;      /* one side is unknown, so equality cannot be shown */
	bool from_base;    /* only the bases differ: an entry of the old or new base image, or the
			    * same instruction expanding the bases' variables to other values */
};

/*
 * Compares x (before) and y (after) field by field and returns the number
 * of differences, with them in *out (an arena array, NULL when none). The
 * entrypoint and cmd are compared through argv only (an ENTRYPOINT +
 * CMD split differently that runs the same argv is no difference); a
 * field unknown on either side is a difference marked unknown.
 */
size_t ds_image_model_diff(const struct ds_image_model *x, const struct ds_image_model *y,
			   struct ds_arena *a, struct ds_im_diff **out);

/* An argv as a JSON array ("[\"node\", \"app.js\"]"), "(unknown)" or "(none)". Arena string. */
const char *ds_im_argv_text(struct ds_arena *a, const struct ds_im_argv *v);

#endif
