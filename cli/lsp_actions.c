/* lsp_actions.c - the language server's code actions: quick fixes, ignore pragmas, and the conversion. */
#include "cli/lsp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyze/imageref.h"
#include "catalog/catalog.h"
#include "rules/runtime.h"

struct actions {
	struct ds_lsp *s;
	struct ds_lsp_doc *d;
	struct ds_jw *w;
	const struct ds_jval *only;
	struct ds_arena *a;
};

/* Whether the context's `only` filter admits kind ("refactor" admits "refactor.rewrite"). */
static bool wanted(const struct actions *x, const char *kind)
{
	if (!x->only || x->only->type != DS_JARR)
		return true;
	for (size_t i = 0; i < x->only->n; i++) {
		const char *o = ds_jval_str(&x->only->items[i]);
		size_t n = o ? strlen(o) : 0;
		if (o && !strncmp(kind, o, n) && (kind[n] == '\0' || kind[n] == '.'))
			return true;
	}
	return false;
}

static void w_workspace_edit(const struct actions *x, const struct ds_edit *e, size_t n)
{
	struct ds_jw *w = x->w;
	struct ds_lsp_doc *d = x->d;
	ds_jw_obj(w);
	if (x->s->client.doc_changes) {
		ds_jw_key(w, "documentChanges");
		ds_jw_arr(w);
		ds_jw_obj(w);
		ds_jw_key(w, "textDocument");
		ds_jw_obj(w);
		ds_jw_key(w, "uri");
		ds_jw_str(w, d->uri);
		ds_jw_key(w, "version");
		ds_jw_int(w, d->version);
		ds_jw_obj_end(w);
		ds_jw_key(w, "edits");
	} else {
		ds_jw_key(w, "changes");
		ds_jw_obj(w);
		ds_jw_key(w, d->uri);
	}
	ds_jw_arr(w);
	for (size_t i = 0; i < n; i++)
		ds_lsp_w_edit(x->s, d, w, e[i].off, e[i].end, e[i].text, e[i].len);
	ds_jw_arr_end(w);
	ds_jw_obj_end(w);
	if (x->s->client.doc_changes)
		ds_jw_arr_end(w);
	ds_jw_obj_end(w);
}

/* One CodeAction with edits e[0..n); diag (may be NULL) is the finding it fixes. */
static void w_action(const struct actions *x, const char *title, const char *kind, const struct ds_diag *diag,
		     const struct ds_edit *e, size_t n, bool preferred)
{
	struct ds_jw *w = x->w;
	ds_jw_obj(w);
	ds_jw_key(w, "title");
	ds_jw_str(w, title);
	ds_jw_key(w, "kind");
	ds_jw_str(w, kind);
	if (diag) {
		ds_jw_key(w, "diagnostics");
		ds_jw_arr(w);
		ds_lsp_w_diag(x->s, x->d, w, diag);
		ds_jw_arr_end(w);
	}
	if (preferred) {
		ds_jw_key(w, "isPreferred");
		ds_jw_bool(w, true);
	}
	ds_jw_key(w, "edit");
	w_workspace_edit(x, e, n);
	ds_jw_obj_end(w);
}

/* A quick fix of one edit; preferred for real fixes, not for ignoring a finding. */
static void quick_fix(const struct actions *x, const struct ds_diag *diag, const char *title, size_t off,
		      size_t end, const char *text, bool preferred)
{
	struct ds_edit e = { (uint32_t)off, (uint32_t)end, text, strlen(text) };
	w_action(x, title, "quickfix", diag, &e, 1, preferred);
}

/* ---- quick fixes of fixable rules ---- */

/* Shell-form CMD, ENTRYPOINT or HEALTHCHECK CMD as exec form, when the command is plain words. */
static void fix_exec_form(const struct actions *x, const struct ds_diag *diag, const struct ds_instr *in)
{
	const char *cmd;
	size_t len;
	struct ds_span where;
	if ((in->kind == DS_I_CMD || in->kind == DS_I_ENTRYPOINT) && !in->json && in->rest_len) {
		cmd = in->rest;
		len = in->rest_len;
		where = in->rest_span;
	} else if (in->kind == DS_I_HEALTHCHECK && !in->json && in->nargs >= 2 &&
		   !strcasecmp(in->args[0].text, "CMD")) {
		cmd = in->args[1].text;
		len = in->args[1].len;
		where = in->args[1].span;
	} else {
		return;
	}
	struct ds_convert_argv argv;
	const char *why;
	if (ds_convert_shell_words(x->a, cmd, len, &argv, &why) || !argv.n)
		return; /* it needs a shell: no mechanical fix */
	const char *json = ds_convert_json_array(x->a, argv.v, argv.n);
	quick_fix(x, diag, ds_arena_printf(x->a, "Use exec form: %s", json), where.off, where.end, json, true);
}

/* The runtime a stage's base image is, as the rules judged it, when the catalogue knows it. */
static const struct ds_catalog_runtime *stage_runtime(const struct actions *x, const struct ds_stage *st)
{
	struct ds_image_class c;
	if (!st || !st->has_image || ds_catalog_classify(x->d->cat, &st->image, x->a, &c))
		return NULL;
	return ds_rules_runtime_of(x->d->cat, &c);
}

/* USER or --chown naming an account the runtime lacks: its non-root account instead. */
static void fix_user(const struct actions *x, const struct ds_diag *diag, const struct ds_instr *in)
{
	const struct ds_catalog_runtime *rt = stage_runtime(x, ds_lsp_stage_of(x->d, in));
	if (!rt)
		return;
	bool changed = false;
	if (in->kind == DS_I_USER && in->nargs == 1) {
		const char *to = ds_convert_map_user(x->a, rt, in->args[0].text, &changed);
		if (changed)
			quick_fix(x, diag, ds_arena_printf(x->a, "Run as '%s' (an account of %s)", to, rt->name),
				  in->args[0].span.off, in->args[0].span.end, to, true);
		return;
	}
	const struct ds_flag *f = ds_instr_flag(in, "chown");
	if ((in->kind == DS_I_COPY || in->kind == DS_I_ADD) && f && f->value) {
		const char *to = ds_convert_map_user(x->a, rt, f->value, &changed);
		if (changed)
			quick_fix(x, diag, ds_arena_printf(x->a, "Own the files as '%s' (an account of %s)", to, rt->name),
				  f->span.off, f->span.end, ds_arena_printf(x->a, "--chown=%s", to), true);
	}
}

/* CMD ["node", "app.js"] on a runtime whose entrypoint is node: CMD ["app.js"]. */
static void fix_repeated_entrypoint(const struct actions *x, const struct ds_diag *diag, const struct ds_instr *in)
{
	const struct ds_catalog_runtime *rt = stage_runtime(x, ds_lsp_stage_of(x->d, in));
	if (in->kind != DS_I_CMD || !in->json || in->nargs < 2 || !rt ||
	    !ds_catalog_runtime_is_entrypoint(rt, in->args[0].text))
		return;
	const char **v = ds_arena_alloc(x->a, in->nargs * sizeof *v);
	for (uint32_t k = 1; k < in->nargs; k++)
		v[k - 1] = in->args[k].text;
	const char *json = ds_convert_json_array(x->a, v, in->nargs - 1);
	quick_fix(x, diag, ds_arena_printf(x->a, "Give only the arguments: %s", json), in->rest_span.off,
		  in->rest_span.end, json, true);
}

/* A FROM image the catalogue knows a better reference for: a removed image's replacement, a debug tag's plain one. */
static void fix_image(const struct actions *x, const struct ds_diag *diag, const struct ds_instr *in)
{
	const struct ds_stage *st = ds_lsp_stage_of(x->d, in);
	if (in->kind != DS_I_FROM || !in->nargs || !st || st->base_kind != DS_BASE_IMAGE ||
	    strcmp(st->base, st->base_raw))
		return; /* variables in the reference: leave it to a person */
	struct ds_image_class c;
	if (ds_catalog_classify(x->d->cat, &st->image, x->a, &c))
		return;
	const char *to = NULL;
	if (!strcmp(diag->code, "DST203") && c.replacement) {
		to = c.replacement;
	} else if (!strcmp(diag->code, "DST205") && c.debug && st->image.tag) {
		/* debug -> latest, debug-nonroot -> nonroot, latest-dev -> latest */
		const char *tag = st->image.tag;
		size_t n = strlen(tag);
		const char *plain = !strcmp(tag, "debug") ? "latest"
				  : !strncmp(tag, "debug-", 6) ? tag + 6
				  : n > 6 && !strcmp(tag + n - 6, "-debug") ? ds_arena_strndup(x->a, tag, n - 6)
				  : n > 4 && !strcmp(tag + n - 4, "-dev") ? ds_arena_strndup(x->a, tag, n - 4)
				  : NULL;
		if (!plain)
			return;
		to = ds_imageref_format(x->a, &st->image, plain);
		struct ds_imageref r;
		struct ds_image_class c2;
		if (ds_imageref_parse(x->a, to, strlen(to), &r, NULL) ||
		    ds_catalog_classify(x->d->cat, &r, x->a, &c2) || c2.debug || !c2.tag_known)
			return; /* only a tag the vendor publishes without a shell */
	}
	if (to)
		quick_fix(x, diag, ds_arena_printf(x->a, "Use '%s'", to), in->args[0].span.off, in->args[0].span.end, to, true);
}

/* ---- ignore pragmas ---- */

/* Whether line [b, e) is a "# distill ignore=..." (or hadolint) comment for the next instruction. */
static bool is_ignore_pragma(const char *t, size_t b, size_t e)
{
	while (b < e && (t[b] == ' ' || t[b] == '\t'))
		b++;
	if (b >= e || t[b] != '#')
		return false;
	b++;
	while (b < e && (t[b] == ' ' || t[b] == '\t'))
		b++;
	size_t k = e - b >= 7 && !strncasecmp(t + b, "distill", 7) ? 7 : e - b >= 8 && !strncasecmp(t + b, "hadolint", 8) ? 8 : 0;
	if (!k)
		return false;
	b += k;
	size_t sp = b;
	while (b < e && (t[b] == ' ' || t[b] == '\t'))
		b++;
	return b > sp && e - b >= 7 && !strncasecmp(t + b, "ignore=", 7);
}

/* The line end the line starting at ls uses ("\r\n" or "\n"), for a line inserted above it. */
static const char *line_end_of(const struct ds_lsp_doc *d, size_t ls)
{
	const char *t = d->src.data;
	while (ls < d->src.len && t[ls] != '\n' && t[ls] != '\r')
		ls++;
	return ls + 1 < d->src.len && t[ls] == '\r' && t[ls + 1] == '\n' ? "\r\n" : "\n";
}

/* Where a line goes in above the line holding off: its start, after a byte-order mark. */
static size_t insert_point(const struct ds_lsp_doc *d, size_t off)
{
	size_t ls = ds_lsp_line_start(d, off);
	if (ls == 0 && d->src.len >= 3 && !memcmp(d->src.data, "\xef\xbb\xbf", 3))
		ls = 3; /* the mark stays first, or BuildKit would read it as part of a keyword */
	return ls;
}

/* "# distill ignore=CODE" above the instruction of diag, or CODE added to the pragma already there. */
static void fix_ignore(const struct actions *x, const struct ds_diag *diag)
{
	const struct ds_lsp_doc *d = x->d;
	const char *t = d->src.data;
	const struct ds_instr *in = diag->has_pos ? ds_lsp_instr_at(d, diag->off) : NULL;
	if (!in)
		return;
	size_t ls = insert_point(d, in->span.off);
	const char *eol = line_end_of(d, ls);
	const char *title = ds_arena_printf(x->a, "Ignore %s on this instruction (# distill ignore=%s)", diag->code,
					    diag->code);
	if (ls > 0 && (t[ls - 1] == '\n' || t[ls - 1] == '\r')) {
		/* the line above: extend its pragma */
		size_t pe = ls - 1;
		if (pe > 0 && t[pe] == '\n' && t[pe - 1] == '\r')
			pe--;
		size_t pb = insert_point(d, pe); /* its start, after a byte-order mark */
		if (is_ignore_pragma(t, pb, pe)) {
			while (pe > pb && (t[pe - 1] == ' ' || t[pe - 1] == '\t'))
				pe--;
			quick_fix(x, diag, title, pe, pe, ds_arena_printf(x->a, ",%s", diag->code), false);
			return;
		}
	}
	size_t ind = ls;
	while (ind < in->span.off && (t[ind] == ' ' || t[ind] == '\t'))
		ind++;
	quick_fix(x, diag, title, ls, ls,
		  ds_arena_printf(x->a, "%.*s# distill ignore=%s%s", (int)(ind - ls), t + ls, diag->code, eol), false);
}

/* "# distill global ignore=CODE" before the first instruction. */
static void fix_ignore_global(const struct actions *x, const struct ds_diag *diag)
{
	const struct ds_lsp_doc *d = x->d;
	if (!d->df.ninstrs)
		return;
	size_t ls = insert_point(d, d->df.instrs[0].span.off);
	const char *eol = line_end_of(d, ls);
	quick_fix(x, diag, ds_arena_printf(x->a, "Ignore %s in this file (# distill global ignore=%s)", diag->code, diag->code),
		  ls, ls, ds_arena_printf(x->a, "# distill global ignore=%s%s", diag->code, eol), false);
}

/* ---- the conversion ---- */

void ds_lsp_convert_text(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_buf *b, bool markdown)
{
	const struct ds_convert_result *r = ds_lsp_convert(s, d);
	const char *q = markdown ? "`" : "'";
	ds_buf_addf(b, "%sdistill convert: %s", markdown ? "**" : "", ds_convert_status_name(r->status));
	if (r->runtime)
		ds_buf_addf(b, " onto %s%s%s", q, r->runtime, q);
	ds_buf_adds(b, markdown ? "**\n\n" : "\n");
	if (r->reason)
		ds_buf_addf(b, "%s\n%s", r->reason, markdown ? "\n" : "");
	if (r->needs) {
		ds_buf_adds(b, "accept the behaviour changes with 'accept:' in .distill.yaml (or --accept):");
		for (int k = 0; k < DS_CHANGE__COUNT; k++)
			if (r->needs & (1u << k))
				ds_buf_addf(b, " %s", ds_change_kind_name((enum ds_change_kind)k));
		ds_buf_adds(b, markdown ? "\n\n" : "\n");
	}
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct ds_diag *g = &r->diags.v[i];
		uint32_t line = 0, col = 0;
		if (g->has_pos) {
			ds_source_linecol(&d->src, g->off, &line, &col);
			ds_buf_addf(b, "%sline %u: %s: %s\n", markdown ? "- " : "", line, ds_severity_name(g->sev), g->msg);
		} else {
			ds_buf_addf(b, "%s%s: %s\n", markdown ? "- " : "", ds_severity_name(g->sev), g->msg);
		}
	}
}

static void convert_action(const struct actions *x, size_t off, size_t end)
{
	struct ds_lsp_doc *d = x->d;
	if (d->m.final < 0 || !wanted(x, "refactor.rewrite"))
		return;
	const struct ds_stage *fin = &d->m.stages[d->m.final];
	size_t fb = fin->from->span.off, fe = d->df.instrs[fin->last].span.end;
	const struct ds_diag *shell = NULL; /* DST201: the finding the conversion answers */
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct ds_diag *g = &d->diags.v[i];
		if (g->code && !strcmp(g->code, "DST201") && g->has_pos && g->off <= end && g->end >= off)
			shell = g;
	}
	if (!shell && (end < fb || off > fe))
		return; /* not about the final stage */
	const struct ds_convert_result *r = ds_lsp_convert(x->s, d);
	if (r->status == DS_CONVERT_NOTHING)
		return;
	const char *vendor = r->runtime && !strncmp(r->runtime, "cgr.dev/", 8) ? "Chainguard" : "distroless";
	struct ds_buf why = DS_BUF_INIT;
	ds_lsp_convert_text(x->s, d, &why, false);
	struct ds_jw *w = x->w;
	if (r->status == DS_CONVERT_CONVERTED) {
		ds_jw_obj(w);
		ds_jw_key(w, "title");
		ds_jw_str(w, ds_arena_printf(x->a, "Convert final stage to %s (%s)", vendor, r->runtime ? r->runtime : "?"));
		ds_jw_key(w, "kind");
		ds_jw_str(w, "refactor.rewrite");
		if (shell) {
			ds_jw_key(w, "diagnostics");
			ds_jw_arr(w);
			ds_lsp_w_diag(x->s, d, w, shell);
			ds_jw_arr_end(w);
		}
		ds_jw_key(w, "edit");
		w_workspace_edit(x, r->edits, r->nedits);
		ds_jw_key(w, "command");
		ds_jw_obj(w);
		ds_jw_key(w, "title");
		ds_jw_str(w, "Show what distill convert changed");
		ds_jw_key(w, "command");
		ds_jw_str(w, DS_LSP_CMD_EXPLAIN);
		ds_jw_key(w, "arguments");
		ds_jw_arr(w);
		ds_jw_strn(w, why.buf, why.len);
		ds_jw_arr_end(w);
		ds_jw_obj_end(w);
		ds_jw_obj_end(w);
	} else if (x->s->client.action_disabled) {
		/* refused: shown greyed out, with convert's reasons */
		ds_jw_obj(w);
		ds_jw_key(w, "title");
		ds_jw_str(w, ds_arena_printf(x->a, "Convert final stage to %s", vendor));
		ds_jw_key(w, "kind");
		ds_jw_str(w, "refactor.rewrite");
		ds_jw_key(w, "disabled");
		ds_jw_obj(w);
		ds_jw_key(w, "reason");
		ds_jw_strn(w, why.buf, why.len);
		ds_jw_obj_end(w);
		ds_jw_obj_end(w);
	}
	ds_buf_release(&why);
}

int ds_lsp_execute(struct ds_lsp *s, const char *cmd, const struct ds_jval *args, struct ds_buf *msg)
{
	(void)s;
	if (strcmp(cmd, DS_LSP_CMD_EXPLAIN))
		return -1;
	if (args && args->type == DS_JARR && args->n && args->items[0].type == DS_JSTR)
		ds_buf_add(msg, args->items[0].str, args->items[0].len);
	return 0;
}

void ds_lsp_code_actions(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, size_t end,
			 const struct ds_jval *only, struct ds_jw *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct actions x = { s, d, w, only, &a };
	ds_jw_arr(w);
	if (!s->client.action_literals) {
		/* such a client takes only commands; every action here is an edit */
		ds_jw_arr_end(w);
		return;
	}
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct ds_diag *g = &d->diags.v[i];
		if (!g->code || (g->has_pos && (g->off > end || g->end < off)))
			continue;
		if (!g->has_pos) {
			if (wanted(&x, "quickfix"))
				fix_ignore_global(&x, g);
			continue;
		}
		const struct ds_instr *in = ds_lsp_instr_at(d, g->off);
		const struct ds_instr *target = in && in->kind == DS_I_ONBUILD && in->sub ? in->sub : in;
		if (target && wanted(&x, "quickfix")) {
			if (!strcmp(g->code, "DST102") || !strcmp(g->code, "DST103") || !strcmp(g->code, "DL3025"))
				fix_exec_form(&x, g, target);
			else if (!strcmp(g->code, "DST106"))
				fix_user(&x, g, target);
			else if (!strcmp(g->code, "DST108"))
				fix_repeated_entrypoint(&x, g, target);
			else if (!strcmp(g->code, "DST203") || !strcmp(g->code, "DST205"))
				fix_image(&x, g, target);
		}
		if (wanted(&x, "quickfix")) {
			fix_ignore(&x, g);
			fix_ignore_global(&x, g);
		}
	}
	convert_action(&x, off, end);
	ds_jw_arr_end(w);
	ds_arena_release(&a);
}
