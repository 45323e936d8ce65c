/* verdict.h - what `distill convert` would do with a file, worked out once for lint's DST201 and audit. */
#ifndef DS_CLI_VERDICT_H
#define DS_CLI_VERDICT_H

struct ds_arena;
struct ds_catalog;
struct ds_config;
struct ds_context;
struct ds_convert_result;
struct ds_dockerfile;
struct ds_lint_verdict;
struct ds_model;
struct ds_walk_dir;

/*
 * Runs the conversion in memory as `distill convert FILE` would with cfg
 * (its target and accepted kinds; NULL: the defaults) and target_stage, and
 * fills *v: convertible (with the runtime, and the options it takes beyond
 * cfg: --accept KINDS for declared changes, --bump-runtime for a language
 * version without a runtime, --target chainguard when only Chainguard has
 * one), manual work, no runtime, already shell-free, or unknown. When res
 * is not NULL it receives the result of the conversion with the options as
 * given (what audit reports). ctx is the build context convert reads (NULL:
 * none). Everything lives in a. Never prints. lint, audit and the language
 * server all call this, so the three never disagree with convert.
 */
void ds_verdict_compute(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
			const struct ds_catalog *cat, const struct ds_config *cfg, const char *target_stage,
			const struct ds_context *ctx, struct ds_lint_verdict *v, struct ds_convert_result *res);

/*
 * As ds_verdict_compute() with the build context convert would read for the
 * Dockerfile at path (its folder; NULL or "-": none).
 */
void ds_verdict_compute_at(struct ds_arena *a, const char *path, const struct ds_dockerfile *df,
			   const struct ds_model *m, const struct ds_catalog *cat, const struct ds_config *cfg,
			   const char *target_stage, struct ds_lint_verdict *v, struct ds_convert_result *res);

/*
 * As ds_verdict_compute_at() for a Dockerfile that a walk has just found in
 * the folder listed (cli/walk.h; NULL: as ds_verdict_compute_at()): when no
 * .dockerignore was there, the context is opened only if the conversion
 * reads a file of it, so most files cost no system call for it.
 */
void ds_verdict_compute_listed(struct ds_arena *a, const char *path, const struct ds_walk_dir *listed,
			       const struct ds_dockerfile *df, const struct ds_model *m, const struct ds_catalog *cat,
			       const struct ds_config *cfg, const char *target_stage, struct ds_lint_verdict *v,
			       struct ds_convert_result *res);

#endif
