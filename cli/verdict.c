/* verdict.c - the one verdict of lint's DST201, audit and convert on a file; see verdict.h. */
#include "cli/verdict.h"

#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "cli/io.h"
#include "cli/walk.h"
#include "common/arena.h"
#include "common/buf.h"
#include "rewrite/context.h"
#include "rewrite/convert.h"
#include "rules/config.h"
#include "rules/rules.h"

/*
 * The options `distill convert` takes beyond the configuration's for the
 * kinds in needs, and the vendor list target when one is needed (or NULL).
 */
static const char *flags_for_target(struct ds_arena *a, unsigned needs, const char *target)
{
	struct ds_buf b = DS_BUF_INIT;
	if (target)
		ds_buf_addf(&b, "--target %s", target);
	if (needs & (1u << DS_CHANGE_BUMP))
		ds_buf_addf(&b, "%s--bump-runtime", b.len ? " " : "");
	bool first = true;
	for (unsigned k = 0; k < DS_CHANGE__COUNT; k++)
		if (k != DS_CHANGE_BUMP && (needs & (1u << k))) {
			ds_buf_addf(&b, "%s%s", first ? (b.len ? " --accept " : "--accept ") : ",",
				    ds_change_kind_name((enum ds_change_kind)k));
			first = false;
		}
	const char *s = b.len ? ds_arena_strndup(a, b.buf, b.len) : NULL;
	ds_buf_release(&b);
	return s;
}

static const char *flags_for(struct ds_arena *a, unsigned needs)
{
	return flags_for_target(a, needs, NULL);
}

static void from_result(struct ds_arena *a, const struct ds_convert_result *r,
			struct ds_lint_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->status = ds_convert_status_name(r->status);
	v->needs = r->needs;
	switch (r->status) {
	case DS_CONVERT_CONVERTED:
		v->kind = DS_VERDICT_CONVERTIBLE;
		v->runtime = r->runtime;
		v->flags = flags_for(a, 0);
		break;
	case DS_CONVERT_ACCEPT:
		v->kind = DS_VERDICT_CONVERTIBLE;
		v->runtime = r->runtime;
		v->flags = flags_for(a, r->needs);
		break;
	case DS_CONVERT_NOTHING:
		v->kind = DS_VERDICT_SHELL_FREE;
		break;
	case DS_CONVERT_MANUAL:
		v->kind = DS_VERDICT_MANUAL;
		v->reason = r->reason;
		break;
	case DS_CONVERT_NO_RUNTIME:
		v->kind = DS_VERDICT_NO_RUNTIME;
		v->reason = r->reason;
		v->suggest = r->suggest;
		break;
	case DS_CONVERT_ERROR:
		v->kind = DS_VERDICT_UNKNOWN;
		v->reason = r->reason;
		break;
	}
}

/*
 * Whether the final stage's image (the model is built for the target stage) is one the catalogue would move to a newer
 * runtime under --bump-runtime (DS_TARGET_BUMP): only then is a second
 * conversion worth its time.
 */
static bool bump_would_help(const struct ds_model *m, const struct ds_catalog *cat)
{
	if (m->final < 0)
		return false;
	const struct ds_stage *root = &m->stages[m->final];
	while (root->base_kind == DS_BASE_STAGE && root->base_stage >= 0)
		root = &m->stages[root->base_stage];
	struct ds_image_class c;
	return ds_model_classify(m, root->index, cat, &c) == 0 && c.target == DS_TARGET_BUMP && c.runtime;
}

/* Copies the words of v into a, so that they outlive the arena of the conversion they came from. */
static void keep_words(struct ds_arena *a, struct ds_lint_verdict *v)
{
	const char **words[] = { &v->runtime, &v->flags, &v->reason, &v->suggest, &v->target };
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (*words[i])
			*words[i] = ds_arena_strdup(a, *words[i]);
}

void ds_verdict_compute(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
			const struct ds_catalog *cat, const struct ds_config *cfg, const char *target_stage,
			const struct ds_context *ctx, struct ds_lint_verdict *v, struct ds_convert_result *res)
{
	struct ds_convert_opts o;
	ds_convert_opts_init(&o);
	o.target_stage = target_stage;
	o.context = ctx;
	const char *unknown;
	if (cfg && cfg->lint.target)
		(void)ds_convert_parse_targets(cfg->lint.target, &o, &unknown); /* checked when the configuration was read */
	if (cfg && cfg->accept) {
		const char *bad;
		unsigned mask = ds_change_default_accept();
		if (ds_change_parse_list(cfg->accept, &mask, &bad) == 0)
			o.accept = mask; /* a bad list is convert's to report */
	}
	/*
	 * Each conversion the caller does not keep works in scratch, emptied
	 * after it: a file costs one conversion at a time, whatever is tried.
	 */
	struct ds_arena scratch = DS_ARENA_INIT;
	struct ds_convert_result r;
	ds_convert(res ? a : &scratch, df, m, cat, &o, &r);
	if (res)
		*res = r;
	from_result(a, &r, v);
	keep_words(a, v);
	ds_arena_release(&scratch);
	if (r.status == DS_CONVERT_NO_RUNTIME && o.ntargets < DS_VENDOR__COUNT) {
		/* no runtime of the configured vendors: would the others (in --target's order) take it? */
		struct ds_convert_opts t = o;
		struct ds_buf list = DS_BUF_INIT;
		for (size_t i = 0; i < o.ntargets; i++)
			ds_buf_addf(&list, "%s%s", i ? "," : "", ds_convert_vendor_name(o.targets[i]));
		static const enum ds_convert_vendor more[] = { DS_VENDOR_CHISELED, DS_VENDOR_CHAINGUARD };
		for (size_t k = 0; k < sizeof more / sizeof *more; k++) {
			bool has = false;
			for (size_t i = 0; i < o.ntargets; i++)
				has = has || o.targets[i] == more[k];
			if (!has && t.ntargets < DS_VENDOR__COUNT) {
				t.targets[t.ntargets++] = more[k];
				ds_buf_addf(&list, ",%s", ds_convert_vendor_name(more[k]));
			}
		}
		struct ds_convert_result rt;
		ds_convert(&scratch, df, m, cat, &t, &rt);
		if (rt.status == DS_CONVERT_CONVERTED || rt.status == DS_CONVERT_ACCEPT) {
			from_result(a, &rt, v);
			v->flags = flags_for_target(a, rt.needs, list.buf);
			v->target = list.buf;
			keep_words(a, v);
		}
		ds_buf_release(&list);
		ds_arena_release(&scratch);
	}
	if (r.status == DS_CONVERT_MANUAL && !o.bump_runtime && bump_would_help(m, cat)) {
		/* a language version without a runtime: --bump-runtime may be all it takes */
		struct ds_convert_opts b = o;
		b.bump_runtime = true;
		struct ds_convert_result rb;
		ds_convert(&scratch, df, m, cat, &b, &rb);
		if (rb.status == DS_CONVERT_CONVERTED || rb.status == DS_CONVERT_ACCEPT) {
			from_result(a, &rb, v);
			v->needs = rb.needs | (1u << DS_CHANGE_BUMP);
			v->flags = flags_for(a, v->needs);
			keep_words(a, v);
		}
		ds_arena_release(&scratch);
	}
}

void ds_verdict_compute_at(struct ds_arena *a, const char *path, const struct ds_dockerfile *df,
			   const struct ds_model *m, const struct ds_catalog *cat, const struct ds_config *cfg,
			   const char *target_stage, struct ds_lint_verdict *v, struct ds_convert_result *res)
{
	ds_verdict_compute_listed(a, path, NULL, df, m, cat, cfg, target_stage, v, res);
}

void ds_verdict_compute_listed(struct ds_arena *a, const char *path, const struct ds_walk_dir *listed,
			       const struct ds_dockerfile *df, const struct ds_model *m, const struct ds_catalog *cat,
			       const struct ds_config *cfg, const char *target_stage, struct ds_lint_verdict *v,
			       struct ds_convert_result *res)
{
	struct ds_context ctx = { .dirfd = -1 };
	const char *why;
	bool open = false;
	if (path && strcmp(path, "-")) {
		const char *slash = strrchr(path, '/');
		if (listed && slash && !(listed->names & DS_WALK_DOCKERIGNORE)) {
			/* the walk has just listed the folder: open it only if the conversion reads from it */
			ds_context_open_listed(&ctx, slash == path ? "/" : ds_arena_strndup(a, path, (size_t)(slash - path)));
			open = true;
		} else {
			open = ds_context_open_for(&ctx, path, NULL, a, &why) == 0;
		}
	}
	ds_verdict_compute(a, df, m, cat, cfg, target_stage, open ? &ctx : NULL, v, res);
	if (open)
		ds_context_close(&ctx);
}
