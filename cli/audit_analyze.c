/* audit_analyze.c - what audit learns from one Dockerfile: the hook ds_audit_analyze_file (report.h). */
#include "cli/report.h"

#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "cli/io.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rewrite/context.h"
#include "rewrite/convert.h"
#include "rules/config.h"
#include "rules/rules.h"

const struct ds_catalog *ds_audit_catalog;

/* The audit's family names (issue 5): language images are told apart. */
static const char *family_of(const struct ds_stage *st, const struct ds_image_class *c, bool classified)
{
	if (st->root_kind == DS_BASE_SCRATCH)
		return "scratch";
	if (!classified)
		return "unknown";
	switch (c->family) {
	case DS_FAMILY_ALPINE: return "alpine";
	case DS_FAMILY_DEBIAN:
	case DS_FAMILY_UBUNTU: return c->language ? "language" : "debian/ubuntu";
	case DS_FAMILY_RPM: return "rpm";
	case DS_FAMILY_DISTROLESS: return "distroless";
	case DS_FAMILY_CHAINGUARD: return "chainguard";
	case DS_FAMILY_SCRATCH: return "scratch";
	case DS_FAMILY_WINDOWS: return "windows";
	case DS_FAMILY_BUSYBOX: return "busybox";
	default: return c->language ? "language" : "unknown";
	}
}

/* The options audit converts with: convert's defaults, as `distill convert FILE` would. */
static void convert_opts(struct ds_convert_opts *o)
{
	ds_convert_opts_init(o);
}

static enum ds_audit_conv conv_of(enum ds_convert_status s)
{
	switch (s) {
	case DS_CONVERT_CONVERTED: return DS_AUDIT_YES;
	case DS_CONVERT_NOTHING: return DS_AUDIT_NOTHING;
	case DS_CONVERT_ACCEPT: return DS_AUDIT_ACCEPT;
	case DS_CONVERT_MANUAL: return DS_AUDIT_MANUAL;
	case DS_CONVERT_NO_RUNTIME: return DS_AUDIT_NO_RUNTIME;
	case DS_CONVERT_ERROR: break;
	}
	return DS_AUDIT_ERROR;
}

/*
 * Whether the final stage's runtime is blocked on its language version
 * alone, with a newer runtime --bump-runtime would move it onto (the
 * catalogue's DS_TARGET_BUMP): only then is the second conversion worth it.
 */
static bool bump_would_help(struct ds_arena *a, const struct ds_model *m, const struct ds_catalog *cat)
{
	const struct ds_stage *root = &m->stages[m->final];
	while (root->base_kind == DS_BASE_STAGE && root->base_stage >= 0)
		root = &m->stages[root->base_stage];
	struct ds_image_class c;
	return root->has_image && ds_catalog_classify(cat, &root->image, a, &c) == 0 && c.target == DS_TARGET_BUMP &&
	       c.runtime;
}

/*
 * The verdict, from the same ds_convert() as `distill convert` (so the two
 * never disagree): converted is "convertible now", nothing to do "already
 * shell-free", a complete conversion with declared changes "accept" with
 * the kinds to accept. A conversion blocked only on a missing runtime
 * version is tried once more with --bump-runtime; when that one completes,
 * the file is "accept" with bump set, else it keeps the first verdict and
 * both reasons (the second says what is left after the bump).
 */
static void verdict(struct ds_arena *a, const struct ds_source *src, const struct ds_dockerfile *df,
		    const struct ds_model *m, const struct ds_catalog *cat, struct ds_audit_report *r)
{
	struct ds_convert_opts opts;
	convert_opts(&opts);
	/* each Dockerfile's folder is its build context, as convert reads it */
	struct ds_context ctx = { .dirfd = -1 };
	const char *why;
	if (src->path && strcmp(src->path, "-") && ds_context_open_for(&ctx, src->path, NULL, a, &why) == 0)
		opts.context = &ctx;
	struct ds_convert_result res;
	ds_convert(a, df, m, cat, &opts, &res);
	r->convertible = conv_of(res.status);
	if (res.status == DS_CONVERT_ACCEPT)
		r->accept = res.needs;
	if (res.reason && (r->convertible == DS_AUDIT_MANUAL || r->convertible == DS_AUDIT_NO_RUNTIME ||
			   r->convertible == DS_AUDIT_ERROR))
		ds_audit_add_reason(r, a, res.reason);
	if (res.status != DS_CONVERT_MANUAL || !bump_would_help(a, m, cat)) {
		ds_context_close(&ctx);
		return;
	}
	opts.bump_runtime = true;
	struct ds_convert_result bumped;
	ds_convert(a, df, m, cat, &opts, &bumped);
	ds_context_close(&ctx);
	if (bumped.status == DS_CONVERT_CONVERTED || bumped.status == DS_CONVERT_ACCEPT) {
		r->convertible = DS_AUDIT_ACCEPT;
		r->bump = true;
		r->accept = bumped.status == DS_CONVERT_ACCEPT ? bumped.needs & ~(1u << DS_CHANGE_BUMP) : 0;
		r->nreasons = 0;
	} else if (bumped.reason) {
		ds_audit_add_reason(r, a, bumped.reason);
	}
}

/*
 * Parses src once, builds the model once, lints it (every rule, with cfg's
 * rule settings or the defaults) and tries the conversion in memory;
 * nothing is written.
 */
int ds_audit_analyze_file(struct ds_arena *a, struct ds_source *src, const struct ds_config *cfg,
			  struct ds_audit_report *r)
{
	struct ds_dockerfile df;
	uint32_t line, col;
	if (ds_parse(a, src, NULL, &df)) {
		const struct ds_diag *d = &df.diags.v[df.fatal];
		ds_source_linecol(src, d->off, &line, &col);
		ds_audit_set_error(r, a, line, col, d->msg);
		return -1;
	}
	struct ds_model m;
	ds_model_build(a, &df, NULL, &m);
	r->stages = m.nstages;
	const struct ds_catalog *cat = ds_audit_catalog;
	if (m.final >= 0) {
		const struct ds_stage *st = &m.stages[m.final];
		/* the image at the root of the final stage's chain */
		const struct ds_stage *root = st;
		while (root->base_kind == DS_BASE_STAGE && root->base_stage >= 0)
			root = &m.stages[root->base_stage];
		r->final_base = root->base ? root->base : root->base_raw;
		struct ds_image_class c;
		memset(&c, 0, sizeof c);
		bool classified = cat && st->has_image && ds_catalog_classify(cat, &st->image, a, &c) == 0;
		r->family = family_of(st, &c, classified);
		/* a :debug tag of a shell-free image has busybox's shell */
		r->shell_free = st->root_kind == DS_BASE_SCRATCH || (classified && c.shell == 0 && !c.debug);
	}

	struct ds_diags diags = { 0 };
	if (cfg) {
		ds_lint_collect(a, &df, &m, cat, &cfg->lint, &diags);
		ds_lint_filter(a, &df, &m, cfg, &diags, 0);
	} else {
		struct ds_lint_config defaults;
		ds_lint_config_init(&defaults);
		ds_lint(a, &df, &m, cat, &defaults, &diags);
	}
	for (size_t i = 0; i < diags.n; i++) {
		const struct ds_diag *d = &diags.v[i];
		line = col = 0;
		if (d->has_pos)
			ds_source_linecol(src, d->off, &line, &col);
		ds_audit_add_finding(r, a, d->code ? d->code : "error", d->sev, line, col, d->msg);
	}

	if (!cat) {
		r->convertible = DS_AUDIT_ERROR;
		ds_audit_add_reason(r, a, "no image catalogue");
		return 0;
	}
	if (m.final < 0) {
		/* parsed, but nothing BuildKit would build: some other file under a Dockerfile name */
		r->convertible = DS_AUDIT_NOT_DOCKERFILE;
		ds_audit_add_reason(r, a, "no FROM instruction: not a Dockerfile");
		return 0;
	}
	verdict(a, src, &df, &m, cat, r);
	return 0;
}
