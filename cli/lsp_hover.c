/* lsp_hover.c - the language server's hover: findings explained, instruction meanings, images, variables. */
#include "cli/lsp.h"

#include <string.h>

#include "analyze/image.h"
#include "analyze/imageref.h"
#include "catalog/catalog.h"

static void md_list(struct ds_buf *b, const char *label, const struct ds_strlist *l, bool has)
{
	ds_buf_addf(b, "- %s: ", label);
	if (!has) {
		ds_buf_adds(b, "unknown\n");
		return;
	}
	if (!l->n)
		ds_buf_adds(b, "none");
	for (size_t i = 0; i < l->n; i++)
		ds_buf_addf(b, "%s`%s`", i ? " " : "", l->v[i]);
	ds_buf_addc(b, '\n');
}

static const char *runtime_text(struct ds_arena *a, const struct ds_catalog_runtime *rt)
{
	if (!rt)
		return "none";
	const char *ref = ds_catalog_runtime_ref(rt, NULL, NULL, a);
	return ds_arena_printf(a, "`%s`", ref ? ref : rt->image);
}

/* What the catalogue knows of the image reference text. */
static void image_markdown(struct ds_lsp_doc *d, struct ds_arena *a, const char *text, struct ds_buf *b)
{
	struct ds_imageref ref;
	const char *err;
	ds_buf_addf(b, "**Image `%s`**\n\n", text);
	if (ds_imageref_parse(a, text, strlen(text), &ref, &err)) {
		ds_buf_addf(b, "Not a valid image reference: %s.\n", err);
		return;
	}
	if (ref.unresolved) {
		ds_buf_adds(b, "The reference holds a variable that is not known here.\n");
		return;
	}
	struct ds_image_class c;
	ds_catalog_classify(d->cat, &ref, a, &c);
	ds_buf_addf(b, "- family: %s, libc: %s\n", ds_family_name(c.family), ds_libc_name(c.libc));
	ds_buf_addf(b, "- shell: %s\n", c.shell > 0 ? "yes" : c.shell == 0 ? "none (shell-free)" : "unknown");
	if (c.release)
		ds_buf_addf(b, "- release: %s %s (%s)%s%s\n", c.release->distro, c.release->version,
			    c.release->codename, c.release->glibc ? ", glibc " : "",
			    c.release->glibc ? c.release->glibc : "");
	if (c.language)
		ds_buf_addf(b, "- language: %s%s%s\n", c.language, c.version ? " " : "", c.version ? c.version : "");
	if (c.vendor)
		ds_buf_addf(b, "- %s runtime image%s%s%s%s\n", c.vendor->name, c.self ? " `" : "",
			    c.self ? c.self->name : "", c.self ? "`" : "", c.debug ? ", debug variant (has a shell)" : "");
	if (c.user)
		ds_buf_addf(b, "- runs as: `%s`%s\n", *c.user ? c.user : "root", c.nonroot ? " (not root)" : "");
	if (c.status == DS_STATUS_DEPRECATED || c.status == DS_STATUS_REMOVED)
		ds_buf_addf(b, "- **%s**%s%s%s%s%s\n", ds_image_status_name(c.status),
			    c.status_message ? ": " : "", c.status_message ? c.status_message : "",
			    c.replacement ? "; use `" : "", c.replacement ? c.replacement : "", c.replacement ? "`" : "");
	switch (c.target) {
	case DS_TARGET_RUNTIME:
		ds_buf_addf(b, "- `distill convert` moves it onto %s\n", runtime_text(a, c.runtime));
		break;
	case DS_TARGET_BINARY:
		if (c.static_runtime && c.dynamic_runtime)
			ds_buf_addf(b, "- `distill convert` picks by the binary the stage runs: %s (static) or %s (dynamic)\n",
				    runtime_text(a, c.static_runtime), runtime_text(a, c.dynamic_runtime));
		else
			ds_buf_adds(b, "- `distill convert` picks the runtime by the binary the stage runs\n");
		break;
	case DS_TARGET_BUMP:
		ds_buf_addf(b, "- `distill convert` needs a version change: %s%s%s\n", runtime_text(a, c.runtime),
			    c.reason ? "; " : "", c.reason ? c.reason : "");
		break;
	case DS_TARGET_NONE:
		ds_buf_addf(b, "- no shell-free runtime fits%s%s%s%s%s\n", c.reason ? ": " : "", c.reason ? c.reason : "",
			    c.suggest ? " (consider `" : "", c.suggest ? c.suggest : "", c.suggest ? "`)" : "");
		break;
	case DS_TARGET_UNKNOWN:
		break;
	}
	struct ds_image_config cfg;
	ds_catalog_image_config(d->cat, &ref, a, &cfg);
	if (!cfg.known) {
		ds_buf_adds(b, "\nThe catalogue does not know this image's configuration.\n");
		return;
	}
	ds_buf_adds(b, "\nImage configuration:\n");
	ds_buf_addf(b, "- user: %s\n", !cfg.has_user ? "unknown" : *cfg.user ? cfg.user : "root");
	ds_buf_addf(b, "- workdir: %s\n", cfg.has_workdir ? cfg.workdir : "unknown");
	md_list(b, "entrypoint", &cfg.entrypoint, cfg.has_entrypoint);
	md_list(b, "cmd", &cfg.cmd, cfg.has_cmd);
	md_list(b, "env", &cfg.env, cfg.has_env);
	if (cfg.has_expose && cfg.expose.n)
		md_list(b, "expose", &cfg.expose, true);
}

/* The configuration a container of stage st runs with (the image model). */
static void stage_markdown(struct ds_lsp_doc *d, struct ds_arena *a, const struct ds_stage *st, struct ds_buf *b)
{
	struct ds_image_model im;
	if (ds_image_model_build(&d->m, (int)st->index, d->cat, a, &im))
		return;
	ds_buf_addf(b, "\n**A container of stage %s%s%s runs:**\n\n", st->name ? "`" : "",
		    st->name ? st->name : ds_arena_printf(a, "%u", st->index), st->name ? "`" : "");
	ds_buf_addf(b, "- command: `%s`\n", ds_im_argv_text(a, &im.argv));
	const struct ds_im_user *u = &im.user;
	ds_buf_addf(b, "- user: %s", !u->known ? "unknown" : *u->spec ? u->spec : "root");
	if (u->known && u->uid >= 0)
		ds_buf_addf(b, " (uid %ld)", u->uid);
	ds_buf_addf(b, "\n- workdir: %s\n", im.workdir.known ? im.workdir.v : "unknown");
	if (im.expose.n) {
		ds_buf_adds(b, "- expose:");
		for (size_t i = 0; i < im.expose.n; i++)
			ds_buf_addf(b, " `%s`", im.expose.v[i].key);
		ds_buf_addc(b, '\n');
	}
	if (im.volumes.n) {
		ds_buf_adds(b, "- volumes:");
		for (size_t i = 0; i < im.volumes.n; i++)
			ds_buf_addf(b, " `%s`", im.volumes.v[i].key);
		ds_buf_addc(b, '\n');
	}
	if (im.health.known && im.health.set)
		ds_buf_addf(b, "- healthcheck: %s\n",
			    im.health.none ? "NONE" : ds_arena_printf(a, "`%s`", ds_im_argv_text(a, &im.health.test)));
}

static bool in_span(struct ds_span sp, size_t off)
{
	return off >= sp.off && off <= sp.end;
}

void ds_lsp_hover(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, struct ds_jw *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_buf b = DS_BUF_INIT;
	size_t roff = off, rend = off; /* the range the hover is about */
	bool ranged = false;

	/* findings at the position: the rule's explanation, once per code */
	const char *done[32];
	size_t ndone = 0;
	bool convert_shown = false;
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct ds_diag *g = &d->diags.v[i];
		if (!g->has_pos || !g->code || off < g->off || off > g->end)
			continue;
		bool seen = false;
		for (size_t k = 0; k < ndone; k++)
			seen |= !strcmp(done[k], g->code);
		if (seen || ndone == sizeof done / sizeof *done)
			continue;
		done[ndone++] = g->code;
		if (b.len)
			ds_buf_adds(&b, "\n---\n\n");
		ds_buf_addf(&b, "%s\n\n", g->msg);
		ds_lsp_rule_markdown(&b, g->code);
		if (!strcmp(g->code, "DST201") && !convert_shown) {
			ds_buf_addc(&b, '\n');
			ds_lsp_convert_text(s, d, &b, true);
			convert_shown = true;
		}
	}

	const struct ds_instr *in = ds_lsp_instr_at(d, off);
	if (in && in->kind == DS_I_ONBUILD && in->sub && off >= in->sub->kw_span.off)
		in = in->sub;
	size_t noff, nlen;
	struct ds_span where;
	if (in && in_span(in->kw_span, off)) {
		if (b.len)
			ds_buf_adds(&b, "\n---\n\n");
		ds_buf_adds(&b, ds_lsp_instr_doc(in->kind));
		ds_buf_addc(&b, '\n');
		roff = in->kw_span.off;
		rend = in->kw_span.end;
		ranged = true;
	} else if (in && ds_lsp_var_at(d, off, &noff, &nlen)) {
		const struct ds_instr *def = ds_lsp_var_def(d, in, d->src.data + noff, nlen, &where);
		const char *name = ds_arena_strndup(&a, d->src.data + noff, nlen);
		if (b.len)
			ds_buf_adds(&b, "\n---\n\n");
		if (!def) {
			ds_buf_addf(&b, "`$%s` is not defined by any ARG or ENV before this line: it expands to "
					"nothing unless the base image sets it.\n", name);
		} else {
			const struct ds_stage *st = in->kind == DS_I_FROM ? NULL : ds_lsp_stage_of(d, in);
			bool unset = false;
			const char *v = ds_model_expand(&d->m, st, in->parent ? in->parent->index : in->index,
							ds_arena_printf(&a, "${%s}", name), &unset);
			ds_buf_addf(&b, "`%s` (%s, line %u)", name, ds_instr_keyword(def->kind), def->start_line);
			if (unset)
				ds_buf_adds(&b, ": no value here (set it with `--build-arg`)\n");
			else
				ds_buf_addf(&b, " = `%s`\n", v);
		}
		roff = noff;
		rend = noff + nlen;
		ranged = true;
	} else if (in) {
		const struct ds_stage *ref = ds_lsp_stage_ref(d, in, off);
		const struct ds_stage *st = ds_lsp_stage_of(d, in);
		if (in->kind == DS_I_FROM && in->nargs && in_span(in->args[0].span, off) && st) {
			if (b.len)
				ds_buf_adds(&b, "\n---\n\n");
			if (ref)
				ds_buf_addf(&b, "Stage `%s` (line %u): `FROM %s`\n", ref->name ? ref->name : "?",
					    ref->from->start_line, ref->base_raw);
			else if (st->base_kind == DS_BASE_SCRATCH)
				ds_buf_adds(&b, "**scratch**: an empty image; nothing runs unless the stage copies it in.\n");
			else
				image_markdown(d, &a, st->base && *st->base ? st->base : st->base_raw, &b);
			stage_markdown(d, &a, st, &b);
			roff = in->args[0].span.off;
			rend = in->args[0].span.end;
			ranged = true;
		} else if (ref) {
			if (b.len)
				ds_buf_adds(&b, "\n---\n\n");
			ds_buf_addf(&b, "Stage `%s` (line %u): `FROM %s`\n", ref->name ? ref->name : "?",
				    ref->from->start_line, ref->base_raw);
		} else if (st) {
			/* COPY --from=IMAGE or --mount from=IMAGE: an image, not a stage */
			for (uint32_t k = 0; k < st->ndeps; k++) {
				const struct ds_dep *dep = &st->deps[k];
				if (dep->in != in || !dep->is_image)
					continue;
				bool on = false;
				for (uint32_t f = 0; f < in->nflags; f++)
					on |= in_span(in->flags[f].span, off) && in->flags[f].value &&
					      strstr(in->flags[f].value, dep->ref);
				if (on) {
					if (b.len)
						ds_buf_adds(&b, "\n---\n\n");
					image_markdown(d, &a, dep->expanded, &b);
					break;
				}
			}
		}
	}

	if (!b.len) {
		ds_jw_null(w);
	} else {
		ds_jw_obj(w);
		ds_jw_key(w, "contents");
		ds_lsp_w_markup(s, w, b.buf, b.len);
		if (ranged) {
			ds_jw_key(w, "range");
			ds_lsp_w_range(s, d, w, roff, rend);
		}
		ds_jw_obj_end(w);
	}
	ds_buf_release(&b);
	ds_arena_release(&a);
}
