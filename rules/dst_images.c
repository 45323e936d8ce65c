/*
 * dst_images.c - DST2xx: the images of the final stage and what reaches it
 * (issue 4, "distill's own codes"; DESIGN §5 steps 2, 3 and 8).
 */
#include "rules/rules.h"

#include <string.h>
#include <strings.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "parser/ast.h"

struct img {
	const struct ds_stage *st;   /* the stage */
	const struct ds_stage *root; /* the stage whose FROM names the image */
	struct ds_image_class cls;
	bool has_cls;
	bool scratch;
	const char *image;
};

static void stage_img(struct ds_lint_ctx *c, const struct ds_stage *st, struct img *o)
{
	memset(o, 0, sizeof *o);
	const struct ds_model *m = c->m;
	o->st = st;
	const struct ds_stage *r = st;
	for (unsigned g = 0; r->base_kind == DS_BASE_STAGE && r->base_stage >= 0 && g < m->nstages; g++)
		r = &m->stages[r->base_stage];
	o->root = r;
	o->image = r->base;
	o->scratch = st->root_kind == DS_BASE_SCRATCH;
	if (ds_model_classify(m, st->index, c->cat, &o->cls) == 0)
		o->has_cls = true;
}

/* The image word of a FROM, for reporting. */
static void from_word(const struct ds_stage *st, uint32_t *off, uint32_t *end)
{
	const struct ds_instr *in = st->from;
	if (in->nargs) {
		*off = in->args[0].span.off;
		*end = in->args[0].span.end;
	} else {
		*off = in->kw_span.off;
		*end = in->kw_span.end;
	}
}

static const char *runtime_ref(struct ds_lint_ctx *c, const struct ds_catalog_runtime *rt)
{
	if (c->cfg && c->cfg->chainguard_first) {
		const struct ds_catalog_runtime *cg = ds_catalog_chainguard_equivalent(rt);
		if (cg)
			rt = cg;
	}
	const char *ref = ds_catalog_runtime_ref(rt, NULL, NULL, c->a);
	return ref ? ref : rt->image;
}

/*
 * DST201 with the verdict of `distill convert` the caller worked out (so
 * lint, audit and convert say the same thing about the file). Nobody can
 * act on a file convert cannot move, so that finding is style (below every
 * default threshold); a convertible one is style too, except under
 * --profile distroless, where it is a warning.
 */
static bool verdict_shell(struct ds_lint_ctx *c, const char *img, uint32_t off, uint32_t end)
{
	const struct ds_lint_verdict *v = c->file->verdict ? c->file->verdict(c->file->verdict_ctx) : NULL;
	if (!v)
		return false;
	bool distroless = c->cfg && c->cfg->profile == DS_PROFILE_DISTROLESS;
	const char *with = ds_arena_printf(c->a, "final stage runs on '%s', which has a shell", img);
	switch (v->kind) {
	case DS_VERDICT_SHELL_FREE:
		return true; /* convert finds nothing to do: no finding either */
	case DS_VERDICT_CONVERTIBLE:
		ds_lint_report_sev(c, DS_R_DST201, distroless ? DS_SEV_WARNING : DS_SEV_STYLE, off, end,
				   "%s; `distill convert%s%s` moves it onto '%s'", with, v->flags ? " " : "",
				   v->flags ? v->flags : "", v->runtime ? v->runtime : "a shell-free runtime");
		return true;
	case DS_VERDICT_MANUAL:
		ds_lint_report_sev(c, DS_R_DST201, DS_SEV_STYLE, off, end,
				   "%s; `distill convert` cannot move it without manual work: %s", with,
				   v->reason ? v->reason : "see `distill convert --explain`");
		return true;
	case DS_VERDICT_NO_RUNTIME:
		ds_lint_report_sev(c, DS_R_DST201, DS_SEV_STYLE, off, end,
				   "%s; no shell-free runtime fits, so `distill convert` cannot move it: %s%s%s%s", with,
				   v->reason ? v->reason : "no runtime for it", v->suggest ? " (consider '" : "",
				   v->suggest ? v->suggest : "", v->suggest ? "')" : "");
		return true;
	case DS_VERDICT_UNKNOWN:
		ds_lint_report_sev(c, DS_R_DST201, DS_SEV_STYLE, off, end, "%s; `distill convert` cannot judge it: %s",
				   with, v->reason ? v->reason : "see `distill convert --explain`");
		return true;
	}
	return false;
}

/* DST201: the final stage has a shell; say whether convert can help. */
static void check_shell(struct ds_lint_ctx *c, const struct img *f)
{
	if (f->scratch || !f->has_cls || f->cls.unresolved)
		return;
	const struct ds_image_class *k = &f->cls;
	if (k->shell == 0)
		return;
	if (k->vendor && k->debug)
		return; /* DST205 says it */
	if (k->shell < 0 && k->family == DS_FAMILY_UNKNOWN && k->target == DS_TARGET_UNKNOWN)
		return; /* nothing known: it may well be shell-free */
	uint32_t off, end;
	from_word(f->st, &off, &end);
	const char *img = f->image;
	if (verdict_shell(c, img, off, end))
		return;
	switch (k->target) {
	case DS_TARGET_RUNTIME:
		if (k->runtime) {
			ds_lint_report(c, DS_R_DST201, off, end,
				       "final stage runs on '%s', which has a shell; `distill convert` can move it onto '%s'",
				       img, runtime_ref(c, k->runtime));
			return;
		}
		break;
	case DS_TARGET_BINARY:
		ds_lint_report(c, DS_R_DST201, off, end,
			       "final stage runs on '%s', which has a shell; `distill convert` can move it onto a shell-free runtime chosen by the binary it runs (static, base or cc)",
			       img);
		return;
	case DS_TARGET_BUMP:
		if (k->runtime)
			ds_lint_report(c, DS_R_DST201, off, end,
				       "final stage runs on '%s', which has a shell; `distill convert --bump-runtime` can move it onto '%s'%s",
				       img, runtime_ref(c, k->runtime),
				       k->reason ? ds_arena_printf(c->a, " (%s)", k->reason) : "");
		else
			ds_lint_report(c, DS_R_DST201, off, end,
				       "final stage runs on '%s', which has a shell; `distill convert` cannot fix it: %s",
				       img, k->reason ? k->reason : "no runtime fits its version");
		return;
	case DS_TARGET_NONE:
		if (k->suggest)
			ds_lint_report(c, DS_R_DST201, off, end,
				       "final stage runs on '%s', which has a shell; `distill convert` cannot fix it: %s (consider '%s')",
				       img, k->reason ? k->reason : "no shell-free runtime fits", k->suggest);
		else
			ds_lint_report(c, DS_R_DST201, off, end,
				       "final stage runs on '%s', which has a shell; `distill convert` cannot fix it: %s",
				       img, k->reason ? k->reason : "no shell-free runtime fits");
		return;
	case DS_TARGET_UNKNOWN:
		break;
	}
	ds_lint_report(c, DS_R_DST201, off, end,
		       "final stage runs on '%s', which has a shell; the catalogue knows no shell-free runtime for it, so `distill convert` cannot fix it",
		       img);
}

/* ---- what a COPY --from brings ---- */

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && !strncasecmp(s + n - k, suffix, k);
}

/*
 * Files that are never native code: scripts, bytecode, archives of
 * bytecode, web assets, text and data, account files (passwd, group), and
 * what `distill convert` writes under /distill-accounts/ (those files and
 * empty home folders). A directory (or anything else) may hold native code.
 */
static bool not_native(const char *path)
{
	static const char *const accounts[] = { "passwd", "group", "shadow", "gshadow" };
	static const char *const ext[] = {
		".js", ".mjs", ".cjs", ".ts", ".map", ".json", ".py", ".pyc", ".pyi", ".jar", ".war",
		".ear", ".class", ".html", ".htm", ".css", ".scss", ".svg", ".png", ".jpg", ".jpeg",
		".gif", ".ico", ".webp", ".woff", ".woff2", ".ttf", ".txt", ".md", ".yaml", ".yml",
		".toml", ".ini", ".conf", ".cfg", ".xml", ".properties", ".csv", ".pem", ".crt",
		".lock", ".env", ".rb", ".php", ".pl", ".lua", ".sql", ".wasm",
	};
	size_t n = strlen(path);
	if (!strncmp(path, "/distill-accounts/", 18))
		return true;
	if (!n || path[n - 1] == '/')
		return false;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++)
		if (!strcmp(base, accounts[i]))
			return true;
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
		if (ends_with_ci(path, n, ext[i]))
			return true;
	return false;
}

/* Source words of a COPY/ADD (all but the destination) are all non-native. */
static bool copies_only_portable(const struct ds_instr *in)
{
	if (in->nargs < 2)
		return true;
	for (uint32_t k = 0; k + 1 < in->nargs; k++)
		if (!not_native(in->args[k].text))
			return false;
	return true;
}

static bool text_has(const char *s, const char *w)
{
	return s && strstr(s, w) != NULL;
}

/*
 * Whether the stage chain of st builds static binaries: CGO_ENABLED=0 in
 * scope or in a RUN, a Rust build on Alpine, or a Go stage on Alpine that
 * never installs a C compiler.
 */
static bool builds_static(struct ds_lint_ctx *c, const struct ds_stage *st, const struct ds_image_class *k)
{
	const struct ds_model *m = c->m;
	const char *v = ds_scope_get(&st->scope, "CGO_ENABLED", 11);
	if (v && !strcmp(v, "0"))
		return true;
	if (v && !strcmp(v, "1"))
		return false;
	bool cc = false;
	for (const struct ds_stage *s = st; s;
	     s = s->base_kind == DS_BASE_STAGE && s->base_stage >= 0 ? &m->stages[s->base_stage] : NULL) {
		for (uint32_t i = s->first + 1; i <= s->last && i < c->df->ninstrs; i++) {
			const struct ds_instr *in = &c->df->instrs[i];
			if (in->kind != DS_I_RUN)
				continue;
			const char *t = in->nargs ? in->args[0].text : in->rest;
			for (uint32_t h = 0; h < in->nheredocs; h++)
				if (text_has(in->heredocs[h].content, "CGO_ENABLED=0"))
					return true;
			if (text_has(t, "CGO_ENABLED=0"))
				return true;
			if (text_has(t, "gcc") || text_has(t, "build-base") || text_has(t, "musl-dev") ||
			    text_has(t, "g++") || text_has(t, "clang"))
				cc = true;
		}
		if (s->base_kind != DS_BASE_STAGE)
			break;
	}
	/* on Alpine: Rust's musl targets link statically, and golang:*-alpine has no C
	 * compiler, so cgo is off unless one is installed; Debian's golang has gcc */
	if (k->libc == DS_LIBC_MUSL && k->language && !strcmp(k->language, "rust"))
		return true;
	if (k->libc == DS_LIBC_MUSL && k->language && !strcmp(k->language, "go"))
		return !cc;
	return false;
}

/* The flag of in that names the source stage, for reporting. */
static void from_flag(const struct ds_instr *in, uint32_t *off, uint32_t *end)
{
	const struct ds_flag *f = ds_instr_flag(in, "from");
	if (f) {
		*off = f->span.off;
		*end = f->span.end;
	} else {
		*off = in->kw_span.off;
		*end = in->kw_span.end;
	}
}

static const char *first_source(const struct ds_instr *in)
{
	return in->nargs >= 2 ? in->args[0].text : "";
}

/* DST202 and DST204 for every COPY --from into the final stage chain. */
static void check_copies(struct ds_lint_ctx *c, const struct img *f)
{
	if (!f->has_cls || f->cls.libc != DS_LIBC_GLIBC)
		return;
	const struct ds_model *m = c->m;
	const struct ds_catalog_runtime *rt = f->cls.self;
	const char *rt_glibc = rt ? ds_catalog_runtime_glibc(c->cat, rt, f->cls.debian)
				  : f->cls.release ? f->cls.release->glibc : NULL;
	for (const struct ds_stage *st = f->st; st;
	     st = st->base_kind == DS_BASE_STAGE && st->base_stage >= 0 ? &m->stages[st->base_stage] : NULL) {
		for (uint32_t d = 0; d < st->ndeps; d++) {
			const struct ds_dep *dep = &st->deps[d];
			if (dep->is_mount || copies_only_portable(dep->in))
				continue;
			struct ds_image_class sk;
			const struct ds_stage *src;
			const char *src_img;
			if (dep->stage >= 0) {
				src = &m->stages[dep->stage];
				if (ds_model_classify(m, src->index, c->cat, &sk))
					continue;
				struct img si;
				stage_img(c, src, &si);
				src_img = si.image;
			} else {
				continue; /* an image's files: what they hold is not known here */
			}
			if (builds_static(c, src, &sk))
				continue;
			uint32_t off, end;
			from_flag(dep->in, &off, &end);
			const char *what = first_source(dep->in);
			if (sk.libc == DS_LIBC_MUSL) {
				ds_lint_report(c, DS_R_DST202, off, end,
					       "'%s' comes from '%s' (musl) and goes into '%s' (glibc): binaries and native modules built against musl do not load on glibc; build on the Debian variant of the image, or build statically",
					       what, src_img, f->image);
				continue;
			}
			if (sk.libc != DS_LIBC_GLIBC || !rt_glibc || !sk.release || !sk.release->glibc)
				continue;
			if (ds_catalog_version_cmp(sk.release->glibc, rt_glibc) > 0)
				ds_lint_report(c, DS_R_DST204, off, end,
					       "'%s' is built on '%s' (glibc %s) but runs on '%s' (glibc %s); binaries may need symbols the runtime lacks",
					       what, src_img, sk.release->glibc, f->image, rt_glibc);
		}
		if (st->base_kind != DS_BASE_STAGE)
			break;
	}
}

void ds_rules_dst_images(struct ds_lint_ctx *c)
{
	const struct ds_model *m = c->m;
	if (!m || m->final < 0 || !c->cat)
		return;
	struct img f;
	stage_img(c, &m->stages[m->final], &f);
	if (f.root->base_kind == DS_BASE_UNRESOLVED)
		return;
	check_shell(c, &f);
	check_copies(c, &f);
	if (!f.has_cls || f.cls.unresolved)
		return;
	uint32_t off, end;
	from_word(f.root, &off, &end);
	if (f.cls.status == DS_STATUS_REMOVED || f.cls.status == DS_STATUS_DEPRECATED) {
		const char *state = f.cls.status == DS_STATUS_REMOVED ? "removed" : "deprecated";
		if (f.cls.replacement)
			ds_lint_report(c, DS_R_DST203, off, end, "'%s' is %s: %s; use '%s'", f.image, state,
				       f.cls.status_message ? f.cls.status_message : "no longer published",
				       f.cls.replacement);
		else
			ds_lint_report(c, DS_R_DST203, off, end, "'%s' is %s: %s", f.image, state,
				       f.cls.status_message ? f.cls.status_message : "no longer published");
	}
	if (f.cls.vendor && f.cls.debug)
		ds_lint_report(c, DS_R_DST205, off, end,
			       "'%s' is a debug variant with a busybox shell; use it for troubleshooting, not in production",
			       f.image);
	if (f.root->base_kind == DS_BASE_IMAGE && !f.st->image.digest)
		ds_lint_report(c, DS_R_DST206, off, end,
			       "final image '%s' is not pinned by digest; write it as '%s@sha256:...'",
			       f.image, f.image);
}
