/* audit_analyze.c - what audit learns from one Dockerfile: the hook ds_audit_analyze_file (report.h). */
#include "cli/report.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "catalog/catalog.h"
#include "cli/compose.h"
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
struct ds_audit_limits ds_audit_limits;

/* Where a file's analysis stands against ds_audit_limits. */
struct budget {
	struct timespec t0;
	const struct ds_arena *a, *la; /* the file's arenas (la: lint's, NULL outside lint) */
};

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Whether the analysis went past a limit after step; if so r says which. */
static bool over_limits(const struct budget *b, const char *step, struct ds_arena *a, struct ds_audit_report *r)
{
	const struct ds_audit_limits *l = &ds_audit_limits;
	size_t mem = b->a->total + (b->la ? b->la->total : 0);
	double t = elapsed(&b->t0);
	if (l->seconds > 0 && t > l->seconds) {
		ds_audit_set_error(r, a, 0, 0,
				   ds_arena_printf(a, "analysis stopped after %s: %.1f s, longer than the %g s of --file-timeout",
						   step, t, l->seconds));
		return true;
	}
	if (l->memory && mem > l->memory) {
		ds_audit_set_error(r, a, 0, 0,
				   ds_arena_printf(a, "analysis stopped after %s: %zu MiB, more than the %zu MiB of --file-memory",
						   step, mem >> 20, l->memory >> 20));
		return true;
	}
	return false;
}

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
 * One that another vendor's runtime takes (--target with chiseled or
 * chainguard) is "accept" with that list as target.
 * The conversion works in ca; what the report and DST201 keep is copied to a.
 */
static void verdict(struct ds_arena *a, struct ds_arena *ca, const struct ds_source *src,
		    const struct ds_walk_dir *listed, const struct ds_compose_build *cb, const struct ds_dockerfile *df,
		    const struct ds_model *m, const struct ds_catalog *cat, const struct ds_config *cfg,
		    struct ds_lint_verdict *v, struct ds_audit_report *r)
{
	struct ds_convert_result res;
	if (cb) {
		/* the context and stage a Compose file builds it with */
		struct ds_context ctx;
		const char *why;
		bool open = ds_context_open(&ctx, cb->context, ca, &why) == 0;
		ds_verdict_compute(ca, df, m, cat, cfg, r->stage, open ? &ctx : NULL, v, &res);
		if (open)
			ds_context_close(&ctx);
	} else {
		ds_verdict_compute_listed(ca, src->path, listed, df, m, cat, cfg, NULL, v, &res);
	}
	const char **keep[] = { &v->runtime, &v->flags, &v->reason, &v->suggest, &v->target };
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
		if (*keep[i])
			*keep[i] = ds_arena_strdup(a, *keep[i]);
	r->convertible = conv_of(res.status);
	if (res.status == DS_CONVERT_ACCEPT)
		r->accept = res.needs;
	if (v->target && v->kind == DS_VERDICT_CONVERTIBLE) {
		/* another vendor of --target takes the image (Chainguard's nginx, chiseled .NET) */
		r->convertible = DS_AUDIT_ACCEPT;
		r->target = v->target;
		r->accept = v->needs;
		return;
	}
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
}

/*
 * Path rel (relative to the folder of file path, as a report shows it)
 * as a report shows it: "web/Dockerfile" and ".." give "."; "Dockerfile"
 * and "../compose.yaml" give "../compose.yaml".
 */
static const char *display_join(struct ds_arena *a, const char *path, const char *rel)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0; /* the folder: path[0..dl), "" for the current one */
	bool absolute = path[0] == '/';
	/* each leading ".." takes the folder's last component off, unless that is ".." itself */
	while (dl > 0 && !strncmp(rel, "..", 2) && (rel[2] == '/' || !rel[2])) {
		size_t s = dl;
		while (s > 0 && path[s - 1] != '/')
			s--;
		if (dl - s == 2 && !strncmp(path + s, "..", 2))
			break;
		dl = s ? s - 1 : 0;
		rel += rel[2] ? 3 : 2;
	}
	if (!*rel)
		rel = ".";
	if (!dl)
		return absolute ? ds_arena_printf(a, "/%s", strcmp(rel, ".") ? rel : "") : ds_arena_strdup(a, rel);
	if (!strcmp(rel, "."))
		return ds_arena_strndup(a, path, dl);
	return ds_arena_printf(a, "%.*s/%s", (int)dl, path, rel);
}

/* DST201's question: the verdict worked out before the rules ran. */
static const struct ds_lint_verdict *audit_verdict(void *ctx)
{
	return ctx;
}

/*
 * When the model says the file cannot be built (an expansion BuildKit fails
 * on, or the file's expansion budget spent, perhaps by a rule), reports it
 * as the file's error, as a parse error is; returns whether it did.
 */
static bool fail_on_model_error(struct ds_arena *a, struct ds_source *src, const struct ds_model *m,
				struct ds_audit_report *r)
{
	const struct ds_diag *d = ds_model_error(m);
	if (!d)
		return false;
	uint32_t line = 0, col = 0;
	if (d->has_pos)
		ds_source_linecol(src, d->off, &line, &col);
	ds_audit_set_error(r, a, line, col, d->msg);
	return true;
}

/*
 * Parses src once, builds the model once, works out the verdict, lints it
 * (every rule, with cfg's rule settings or the defaults) and nothing is
 * written. The conversion and lint each work in an arena of their own,
 * released before the next step, so a file costs the larger of the two,
 * not their sum; ds_audit_limits is checked between the steps.
 */
static int analyze(struct ds_arena *a, struct ds_source *src, const struct ds_walk_dir *listed,
		   const struct ds_config *cfg, struct ds_audit_report *r)
{
	struct budget bud = { { 0, 0 }, a, NULL };
	clock_gettime(CLOCK_MONOTONIC, &bud.t0);
	if (ds_audit_limits.memory && src->len > ds_audit_limits.memory / DS_AUDIT_BYTES_PER_BYTE) {
		ds_audit_set_error(r, a, 0, 0,
				   ds_arena_printf(a, "not analysed: a file of %zu bytes may need up to %zu MiB, more than the %zu MiB of --file-memory",
						   src->len, src->len * DS_AUDIT_BYTES_PER_BYTE >> 20,
						   ds_audit_limits.memory >> 20));
		return -1;
	}
	struct ds_dockerfile df;
	uint32_t line, col;
	if (ds_parse(a, src, NULL, &df)) {
		const struct ds_diag *d = &df.diags.v[df.fatal];
		ds_source_linecol(src, d->off, &line, &col);
		ds_audit_set_error(r, a, line, col, d->msg);
		return -1;
	}
	if (over_limits(&bud, "parsing", a, r))
		return -1;
	/* a Compose file above it may build it with another context, and up to another stage */
	struct ds_compose_build cbuf, *cb = NULL;
	const char *slash = strrchr(src->path, '/');
	if (listed && ds_compose_find(a, listed, slash ? slash + 1 : src->path, &cbuf)) {
		cb = &cbuf;
		r->compose = ds_arena_printf(a, "%s (service %s)", display_join(a, src->path, cb->file), cb->service);
		if (strcmp(cb->context_rel, "."))
			r->context = display_join(a, src->path, cb->context_rel);
	}
	if (cb && cb->target) {
		/* a stage of that name (FROM ... AS NAME) that is not the last one: the model stops there */
		bool named = false, last = false;
		for (uint32_t i = 0; i < df.ninstrs; i++) {
			const struct ds_instr *in = &df.instrs[i];
			if (in->kind != DS_I_FROM)
				continue;
			last = in->nargs >= 3 && !strcasecmp(in->args[1].text, "as") && !strcasecmp(in->args[2].text, cb->target);
			named = named || last;
		}
		if (named && !last)
			r->stage = cb->target;
	}
	struct ds_model m;
	ds_model_build(a, &df, r->stage, &m);
	if (fail_on_model_error(a, src, &m, r) || over_limits(&bud, "the model", a, r))
		return -1;
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
		bool classified = cat && ds_model_classify(&m, st->index, cat, &c) == 0;
		r->family = family_of(st, &c, classified);
		/* a :debug tag of a shell-free image has busybox's shell */
		r->shell_free = st->root_kind == DS_BASE_SCRATCH || (classified && c.shell == 0 && !c.debug);
	}
	ds_source_lines(src, a); /* in the file's arena, before a step could make it in its own */

	/* the verdict first: DST201 says it, and the report's verdict is the same one */
	struct ds_lint_verdict v;
	bool judged = cat && m.final >= 0;
	if (judged) {
		struct ds_arena ca = DS_ARENA_INIT;
		verdict(a, &ca, src, listed, cb, &df, &m, cat, cfg, &v, r);
		bud.la = &ca;
		bool over = fail_on_model_error(a, src, &m, r) || over_limits(&bud, "the conversion", a, r);
		bud.la = NULL;
		ds_arena_release(&ca);
		if (over)
			return -1;
	}

	struct ds_lint_file lf = { .verdict = judged ? audit_verdict : NULL, .verdict_ctx = &v };
	struct ds_config defaults;
	if (!cfg) {
		ds_config_init(&defaults);
		cfg = &defaults;
	}
	struct ds_arena la = DS_ARENA_INIT;
	struct ds_diags diags = { 0 };
	ds_lint_collect_file(&la, &df, &m, cat, &cfg->lint, &lf, &diags);
	ds_lint_filter(&la, &df, &m, cfg, &diags, 0);
	if (cfg == &defaults)
		ds_config_release(&defaults);
	bud.la = &la;
	if (fail_on_model_error(a, src, &m, r) || over_limits(&bud, "linting", a, r)) {
		ds_arena_release(&la);
		return -1;
	}
	bud.la = NULL;
	for (size_t i = 0; i < diags.n; i++) {
		const struct ds_diag *d = &diags.v[i];
		line = col = 0;
		if (d->has_pos)
			ds_source_linecol(src, d->off, &line, &col);
		ds_audit_add_finding(r, a, d->code ? d->code : "error", d->sev, line, col, d->msg);
	}
	ds_audit_findings_done(r, a);
	ds_arena_release(&la);

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

int ds_audit_analyze_file(struct ds_arena *a, struct ds_source *src, const struct ds_walk_dir *listed,
			  const struct ds_config *cfg, struct ds_audit_report *r)
{
	/*
	 * The conversion and lint both split every RUN script: the splits are
	 * remembered in the file's arena, so lint reads the conversion's. Kept
	 * all at once they cost more memory than the one RUN at a time each
	 * step keeps, so only for files up to DS_AUDIT_MEMO_MAX bytes (nearly
	 * every Dockerfile), where that is little; a bigger file keeps the
	 * memory bound (DS_AUDIT_BYTES_PER_BYTE) instead.
	 */
	bool memo = src->len <= DS_AUDIT_MEMO_MAX;
	if (memo)
		ds_shell_memo_begin(a);
	int rc = analyze(a, src, listed, cfg, r);
	if (memo)
		ds_shell_memo_end();
	return rc;
}
