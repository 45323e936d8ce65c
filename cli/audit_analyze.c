/* audit_analyze.c - what audit learns from one Dockerfile: the hook ds_audit_analyze_file (report.h). */
#include "cli/report.h"

#include <string.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "cli/io.h"
#include "cli/verdict.h"
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
 * The verdict, from ds_verdict_compute() (cli/verdict.h), the one lint's
 * DST201 and the language server use, with the file's folder as build
 * context as convert reads it: converted is "convertible now", nothing to
 * do "already shell-free", a complete conversion with declared changes
 * "accept" with the kinds to accept. A conversion blocked only on a missing
 * runtime version that --bump-runtime completes is "accept" with bump set.
 * Only Chainguard's runtime keeps "no runtime", with that said as a reason.
 */
static void verdict(struct ds_arena *a, const struct ds_source *src, const struct ds_dockerfile *df,
		    const struct ds_model *m, const struct ds_catalog *cat, const struct ds_config *cfg,
		    struct ds_lint_verdict *v, struct ds_audit_report *r)
{
	struct ds_convert_result res;
	ds_verdict_compute_at(a, src->path, df, m, cat, cfg, NULL, v, &res);
	r->convertible = conv_of(res.status);
	if (res.status == DS_CONVERT_ACCEPT)
		r->accept = res.needs;
	if (res.status == DS_CONVERT_MANUAL && v->kind == DS_VERDICT_CONVERTIBLE &&
	    (v->needs & (1u << DS_CHANGE_BUMP))) {
		r->convertible = DS_AUDIT_ACCEPT;
		r->bump = true;
		r->accept = v->needs & ~(1u << DS_CHANGE_BUMP);
		return;
	}
	if (res.reason && (r->convertible == DS_AUDIT_MANUAL || r->convertible == DS_AUDIT_NO_RUNTIME ||
			   r->convertible == DS_AUDIT_ERROR))
		ds_audit_add_reason(r, a, res.reason);
	if (res.status == DS_CONVERT_NO_RUNTIME && v->chainguard)
		ds_audit_add_reason(r, a, "Chainguard has a runtime: distill convert --target chainguard");
}

/* DST201's question: the verdict worked out before the rules ran. */
static const struct ds_lint_verdict *audit_verdict(void *ctx)
{
	return ctx;
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

	/* the verdict first: DST201 says it, and the report's verdict is the same one */
	struct ds_lint_verdict v;
	bool judged = cat && m.final >= 0;
	if (judged)
		verdict(a, src, &df, &m, cat, cfg, &v, r);
	struct ds_lint_file lf = { .verdict = judged ? audit_verdict : NULL, .verdict_ctx = &v };
	struct ds_diags diags = { 0 };
	struct ds_config defaults;
	if (!cfg) {
		ds_config_init(&defaults);
		cfg = &defaults;
	}
	ds_lint_collect_file(a, &df, &m, cat, &cfg->lint, &lf, &diags);
	ds_lint_filter(a, &df, &m, cfg, &diags, 0);
	if (cfg == &defaults)
		ds_config_release(&defaults);
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
	return 0;
}
