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
		r->shell_free = st->root_kind == DS_BASE_SCRATCH || (classified && c.shell == 0);
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
	struct ds_convert_opts opts;
	ds_convert_opts_init(&opts);
	/* each Dockerfile's folder is its build context, as convert reads it */
	struct ds_context ctx = { .dirfd = -1 };
	const char *why;
	if (src->path && strcmp(src->path, "-") && ds_context_open_for(&ctx, src->path, NULL, a, &why) == 0)
		opts.context = &ctx;
	struct ds_convert_result res;
	ds_convert(a, &df, &m, cat, &opts, &res);
	ds_context_close(&ctx);
	switch (res.status) {
	case DS_CONVERT_CONVERTED:
	case DS_CONVERT_NOTHING:
		r->convertible = DS_AUDIT_YES;
		break;
	case DS_CONVERT_MANUAL:
		r->convertible = DS_AUDIT_MANUAL;
		break;
	case DS_CONVERT_NO_RUNTIME:
		r->convertible = DS_AUDIT_NO_RUNTIME;
		break;
	default:
		r->convertible = DS_AUDIT_ERROR;
		break;
	}
	if (r->convertible != DS_AUDIT_YES && res.reason)
		ds_audit_add_reason(r, a, res.reason);
	return 0;
}
