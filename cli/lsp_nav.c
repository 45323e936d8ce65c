/* lsp_nav.c - the language server's navigation: document symbols, go to definition, completion. */
#include "cli/lsp.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* LSP SymbolKind and CompletionItemKind values used here. */
enum {
	SYM_MODULE = 2,
	SYM_PROPERTY = 7,
	SYM_FIELD = 8,
	SYM_FUNCTION = 12,
	SYM_VARIABLE = 13,
	ITEM_VARIABLE = 6,
	ITEM_MODULE = 9,
	ITEM_PROPERTY = 10,
	ITEM_KEYWORD = 14,
};

/* ---- stages and variables, shared with hover ---- */

const struct ds_stage *ds_lsp_stage_of(const struct ds_lsp_doc *d, const struct ds_instr *in)
{
	if (!in)
		return NULL;
	if (in->parent)
		in = in->parent;
	return ds_model_stage_of(&d->m, in->index);
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

bool ds_lsp_var_at(const struct ds_lsp_doc *d, size_t off, size_t *noff, size_t *nlen)
{
	const char *t = d->src.data;
	size_t n = d->src.len, b = off, e = off;
	if (off > n)
		return false;
	while (b > 0 && ident_char(t[b - 1]))
		b--;
	while (e < n && ident_char(t[e]))
		e++;
	if (b == e && off < n && t[off] == '$') { /* on the dollar sign itself */
		b = e = off + 1 + (off + 1 < n && t[off + 1] == '{');
		while (e < n && ident_char(t[e]))
			e++;
	}
	if (b == e || isdigit((unsigned char)t[b]))
		return false;
	bool dollar = (b >= 1 && t[b - 1] == '$') || (b >= 2 && t[b - 1] == '{' && t[b - 2] == '$');
	if (!dollar)
		return false;
	*noff = b;
	*nlen = e - b;
	return true;
}

/* Whether word w (an ARG word "NAME[=v]" or an ENV key) defines name[0..n). */
static bool word_defines(const struct ds_word *w, bool arg, const char *name, size_t n)
{
	size_t len = w->len;
	if (arg) {
		const char *eq = memchr(w->text, '=', w->len);
		if (eq)
			len = (size_t)(eq - w->text);
	}
	return len == n && !memcmp(w->text, name, n);
}

/* The argument of ARG/ENV in that defines name (the last one that does), or NULL. */
static const struct ds_word *defines(const struct ds_instr *in, bool env_only, const char *name, size_t n)
{
	if (in->kind == DS_I_ARG && !env_only) {
		for (uint32_t k = in->nargs; k-- > 0;)
			if (word_defines(&in->args[k], true, name, n))
				return &in->args[k];
	} else if (in->kind == DS_I_ENV) {
		for (uint32_t k = in->nargs / 3; k-- > 0;) /* triples key, value, sep */
			if (word_defines(&in->args[3 * k], false, name, n))
				return &in->args[3 * k];
	}
	return NULL;
}

/*
 * Calls fn for every ARG/ENV argument visible from instruction in, nearest
 * first: the stage's own before in, then ENV of the parent stages; FROM
 * lines and the ARGs before the first FROM see the global ARGs instead (a
 * stage sees a global ARG only through its own `ARG NAME`). fn returns
 * true to stop; name NULL asks for every definition.
 */
typedef bool (*visit_fn)(void *ctx, const struct ds_instr *def, const struct ds_word *w);

static bool visit_defs(const struct ds_lsp_doc *d, const struct ds_instr *in, const char *name, size_t n,
		       visit_fn fn, void *ctx)
{
	const struct ds_dockerfile *df = &d->df;
	const struct ds_stage *st = in && in->kind != DS_I_FROM ? ds_lsp_stage_of(d, in) : NULL;
	uint32_t upto = in ? (in->parent ? in->parent->index : in->index) : df->ninstrs;
	bool env_only = false;
	while (st) {
		for (uint32_t i = upto; i-- > st->first + 1;) {
			const struct ds_instr *x = &df->instrs[i];
			if (x->kind != DS_I_ARG && x->kind != DS_I_ENV)
				continue;
			if (name) {
				const struct ds_word *w = defines(x, env_only, name, n);
				if (w && fn(ctx, x, w))
					return true;
			} else {
				bool is_env = x->kind == DS_I_ENV;
				if (env_only && !is_env)
					continue;
				for (uint32_t k = 0; k < x->nargs; k += is_env ? 3 : 1)
					if (fn(ctx, x, &x->args[k]))
						return true;
			}
		}
		if (st->base_stage < 0)
			break;
		st = &d->m.stages[st->base_stage];
		upto = st->last + 1;
		env_only = true; /* a child stage inherits the parent's ENV, not its ARGs */
	}
	/* global ARGs: seen by FROM lines and by each other, not inside a stage */
	uint32_t first_from = d->m.nstages ? d->m.stages[0].first : df->ninstrs;
	if (in && in->kind != DS_I_FROM && (in->parent ? in->parent->index : in->index) > first_from)
		return false;
	if (upto > first_from || (in && in->kind == DS_I_FROM) || !in)
		upto = first_from;
	for (uint32_t i = upto; i-- > 0;) {
		const struct ds_instr *x = &df->instrs[i];
		if (x->kind != DS_I_ARG)
			continue;
		for (uint32_t k = x->nargs; k-- > 0;)
			if ((!name || word_defines(&x->args[k], true, name, n)) && fn(ctx, x, &x->args[k]))
				return true;
	}
	return false;
}

struct first_def {
	const struct ds_instr *in;
	const struct ds_word *w;
};

static bool take_first(void *ctx, const struct ds_instr *def, const struct ds_word *w)
{
	struct first_def *f = ctx;
	f->in = def;
	f->w = w;
	return true;
}

const struct ds_instr *ds_lsp_var_def(const struct ds_lsp_doc *d, const struct ds_instr *in, const char *name,
				      size_t n, struct ds_span *where)
{
	struct first_def f = { NULL, NULL };
	visit_defs(d, in, name, n, take_first, &f);
	if (f.w)
		*where = f.w->span;
	return f.in;
}

/* The earlier stage a reference names (a name or an index), or NULL. */
const struct ds_stage *ds_lsp_stage_ref(const struct ds_lsp_doc *d, const struct ds_instr *in, size_t off)
{
	const struct ds_stage *st = ds_lsp_stage_of(d, in);
	if (!st)
		return NULL;
	if (in->kind == DS_I_FROM && in->nargs && off >= in->args[0].span.off && off <= in->args[0].span.end)
		return st->base_stage >= 0 ? &d->m.stages[st->base_stage] : NULL;
	for (uint32_t k = 0; k < st->ndeps; k++) {
		const struct ds_dep *dep = &st->deps[k];
		if (dep->in != in || dep->stage < 0)
			continue;
		for (uint32_t f = 0; f < in->nflags; f++) {
			const struct ds_flag *fl = &in->flags[f];
			if (off < fl->span.off || off > fl->span.end || !fl->value)
				continue;
			if (!strcmp(fl->name, "from") || (!strcmp(fl->name, "mount") && strstr(fl->value, dep->ref)))
				return &d->m.stages[dep->stage];
		}
	}
	return NULL;
}

/* Where a stage is named: the name after AS, else the FROM keyword. */
static struct ds_span stage_name_span(const struct ds_stage *st)
{
	const struct ds_instr *from = st->from;
	if (st->name && from->nargs >= 3)
		return from->args[2].span;
	return from->kw_span;
}

/* ---- document symbols ---- */

/* The first line of s[0..n), at most max bytes, cut on a UTF-8 boundary. */
static size_t excerpt(const char *s, size_t n, size_t max)
{
	size_t k = 0;
	while (k < n && s[k] != '\n' && s[k] != '\r')
		k++;
	if (k > max) {
		k = max;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
	}
	return k;
}

static int instr_symbol_kind(enum ds_instr_kind k)
{
	switch (k) {
	case DS_I_ARG:
	case DS_I_ENV: return SYM_VARIABLE;
	case DS_I_LABEL: return SYM_PROPERTY;
	case DS_I_RUN:
	case DS_I_CMD:
	case DS_I_ENTRYPOINT:
	case DS_I_HEALTHCHECK: return SYM_FUNCTION;
	default: return SYM_FIELD;
	}
}

static void w_location(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_jw *w, struct ds_span sp)
{
	ds_jw_obj(w);
	ds_jw_key(w, "uri");
	ds_jw_str(w, d->uri);
	ds_jw_key(w, "range");
	ds_lsp_w_range(s, d, w, sp.off, sp.end);
	ds_jw_obj_end(w);
}

static void w_symbol(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_jw *w, const char *name, size_t nlen,
		     const char *detail, size_t dlen, int kind, struct ds_span full, struct ds_span sel)
{
	ds_jw_key(w, "name");
	ds_jw_strn(w, name, nlen);
	if (s->client.hier_symbols) {
		ds_jw_key(w, "detail");
		ds_jw_strn(w, detail, dlen);
	}
	ds_jw_key(w, "kind");
	ds_jw_int(w, kind);
	if (s->client.hier_symbols) {
		ds_jw_key(w, "range");
		ds_lsp_w_range(s, d, w, full.off, full.end);
		ds_jw_key(w, "selectionRange");
		ds_lsp_w_range(s, d, w, sel.off, sel.end);
	} else {
		ds_jw_key(w, "location");
		w_location(s, d, w, full);
	}
}

static void w_instr_symbol(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_jw *w, const struct ds_instr *in,
			   const char *container)
{
	ds_jw_obj(w);
	char kw[32];
	snprintf(kw, sizeof kw, "%s", ds_instr_keyword(in->kind));
	const char *name = in->kind == DS_I_UNKNOWN ? in->keyword : kw;
	size_t nlen = in->kind == DS_I_UNKNOWN ? in->keyword_len : strlen(kw);
	const char *detail = in->rest ? in->rest : "";
	w_symbol(s, d, w, nlen ? name : "?", nlen ? nlen : 1, detail,
		 excerpt(detail, in->rest ? in->rest_len : 0, 80), instr_symbol_kind(in->kind), in->span,
		 in->kw_span);
	if (!s->client.hier_symbols && container) {
		ds_jw_key(w, "containerName");
		ds_jw_str(w, container);
	}
	ds_jw_obj_end(w);
}

void ds_lsp_symbols(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_jw *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	ds_jw_arr(w);
	const struct ds_dockerfile *df = &d->df;
	uint32_t first_from = d->m.nstages ? d->m.stages[0].first : df->ninstrs;
	for (uint32_t i = 0; i < first_from; i++)
		w_instr_symbol(s, d, w, &df->instrs[i], NULL);
	for (uint32_t k = 0; k < d->m.nstages; k++) {
		const struct ds_stage *st = &d->m.stages[k];
		const char *name = st->name ? st->name : ds_arena_printf(&a, "stage %u", st->index);
		const struct ds_instr *last = &df->instrs[st->last];
		struct ds_span full = { st->from->span.off, last->span.end };
		const char *detail = ds_arena_printf(&a, "FROM %s%s", st->base_raw,
						     st->is_final ? " (final stage)" : "");
		ds_jw_obj(w);
		w_symbol(s, d, w, name, strlen(name), detail, strlen(detail), SYM_MODULE, full,
			 stage_name_span(st));
		if (s->client.hier_symbols) {
			ds_jw_key(w, "children");
			ds_jw_arr(w);
			for (uint32_t i = st->first + 1; i <= st->last; i++)
				w_instr_symbol(s, d, w, &df->instrs[i], NULL);
			ds_jw_arr_end(w);
		}
		ds_jw_obj_end(w);
		if (!s->client.hier_symbols)
			for (uint32_t i = st->first + 1; i <= st->last; i++)
				w_instr_symbol(s, d, w, &df->instrs[i], name);
	}
	ds_jw_arr_end(w);
	ds_arena_release(&a);
}

/* ---- go to definition ---- */

void ds_lsp_definition(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, struct ds_jw *w)
{
	const struct ds_instr *in = ds_lsp_instr_at(d, off);
	if (in && in->kind == DS_I_ONBUILD && in->sub)
		in = in->sub;
	const struct ds_stage *st = in ? ds_lsp_stage_ref(d, in, off) : NULL;
	if (st) {
		w_location(s, d, w, stage_name_span(st));
		return;
	}
	size_t noff, nlen;
	struct ds_span where;
	if (in && ds_lsp_var_at(d, off, &noff, &nlen) && ds_lsp_var_def(d, in, d->src.data + noff, nlen, &where)) {
		w_location(s, d, w, where);
		return;
	}
	ds_jw_null(w);
}

/* ---- completion ---- */

static void w_item(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_jw *w, const char *label, int kind,
		   const char *detail, size_t eoff, size_t eend, const char *insert)
{
	ds_jw_obj(w);
	ds_jw_key(w, "label");
	ds_jw_str(w, label);
	ds_jw_key(w, "kind");
	ds_jw_int(w, kind);
	if (detail) {
		ds_jw_key(w, "detail");
		ds_jw_str(w, detail);
	}
	ds_jw_key(w, "filterText");
	ds_jw_str(w, insert);
	ds_jw_key(w, "textEdit");
	ds_lsp_w_edit(s, d, w, eoff, eend, insert, strlen(insert));
	ds_jw_obj_end(w);
}

struct var_items {
	struct ds_lsp *s;
	struct ds_lsp_doc *d;
	struct ds_jw *w;
	size_t eoff, eend;
	const char **seen;
	size_t nseen, cap;
	struct ds_arena *a;
};

static bool add_var_item(void *ctx, const struct ds_instr *def, const struct ds_word *word)
{
	struct var_items *v = ctx;
	const char *eq = def->kind == DS_I_ARG ? memchr(word->text, '=', word->len) : NULL;
	size_t n = eq ? (size_t)(eq - word->text) : word->len;
	const char *name = ds_arena_strndup(v->a, word->text, n);
	for (size_t i = 0; i < v->nseen; i++)
		if (!strcmp(v->seen[i], name))
			return false;
	v->seen = ds_arena_grow(v->a, v->seen, sizeof *v->seen, v->nseen, &v->cap);
	v->seen[v->nseen++] = name;
	char detail[64];
	snprintf(detail, sizeof detail, "%s, line %u", ds_instr_keyword(def->kind), def->start_line);
	w_item(v->s, v->d, v->w, name, ITEM_VARIABLE, detail, v->eoff, v->eend, name);
	return false;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether the line before the one starting at ls ends with the escape character (a continuation). */
static bool continued(const struct ds_lsp_doc *d, size_t ls)
{
	const char *t = d->src.data;
	size_t e = ls;
	if (e > 0 && t[e - 1] == '\n')
		e--;
	if (e > 0 && t[e - 1] == '\r')
		e--;
	while (e > 0 && blank(t[e - 1]))
		e--;
	return e > 0 && e < ls && t[e - 1] == d->df.escape;
}

static void keyword_items(struct ds_lsp *s, struct ds_lsp_doc *d, struct ds_jw *w, size_t wb, size_t off,
			  bool lower, bool onbuild)
{
	for (int k = 0; k < DS_I_UNKNOWN; k++) {
		if (onbuild && (k == DS_I_ONBUILD || k == DS_I_FROM || k == DS_I_MAINTAINER))
			continue; /* BuildKit refuses these as triggers */
		char kw[32], ins[40];
		snprintf(kw, sizeof kw, "%s", lower ? ds_instr_name((enum ds_instr_kind)k)
						   : ds_instr_keyword((enum ds_instr_kind)k));
		snprintf(ins, sizeof ins, "%s ", kw);
		const char *doc = ds_lsp_instr_doc((enum ds_instr_kind)k);
		char detail[200]; /* the synopsis, the first line without its markdown emphasis */
		size_t n = excerpt(doc, strlen(doc), 190), dn = 0;
		for (size_t i = 0; i < n; i++)
			if (doc[i] != '*')
				detail[dn++] = doc[i];
		detail[dn] = '\0';
		w_item(s, d, w, kw, ITEM_KEYWORD, detail, wb, off, ins);
	}
}

static size_t skip_blanks(const char *t, size_t q, size_t end)
{
	while (q < end && blank(t[q]))
		q++;
	return q;
}

/* Whether the word at wb is the image of a FROM line whose keyword ends at ke (flags skipped). */
static bool image_position(const char *t, size_t ke, size_t wb, size_t off)
{
	size_t q = ke;
	for (;;) {
		q = skip_blanks(t, q, off);
		if (q == wb)
			return wb == off || t[wb] != '-';
		if (q >= off || t[q] != '-')
			return false;
		while (q < off && !blank(t[q]))
			q++;
	}
}

void ds_lsp_completion(struct ds_lsp *s, struct ds_lsp_doc *d, size_t off, struct ds_jw *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	const char *t = d->src.data;
	if (off > d->src.len)
		off = d->src.len;
	size_t ls = ds_lsp_line_start(d, off);
	/* the word being typed: back to a blank */
	size_t wb = off;
	while (wb > ls && !blank(t[wb - 1]))
		wb--;
	size_t fb = ls; /* first non-blank of the line */
	while (fb < off && blank(t[fb]))
		fb++;
	const struct ds_instr *in = ds_lsp_instr_at(d, off > 0 && off == d->src.len ? off - 1 : off);
	if (in && in->kind == DS_I_ONBUILD && in->sub && off >= in->sub->kw_span.off)
		in = in->sub;

	ds_jw_obj(w);
	ds_jw_key(w, "isIncomplete");
	ds_jw_bool(w, false);
	ds_jw_key(w, "items");
	ds_jw_arr(w);

	/* $NAME or ${NAME}: the variables in scope */
	size_t vb = off;
	while (vb > wb && ident_char(t[vb - 1]))
		vb--;
	bool dollar = (vb > ls && t[vb - 1] == '$') || (vb > ls + 1 && t[vb - 1] == '{' && t[vb - 2] == '$');
	/* the first word of the line, its keyword */
	size_t kb = fb, ke = fb;
	while (ke < off && !blank(t[ke]))
		ke++;
	bool first_word = wb == fb && !continued(d, ls);
	const char *word = t + wb;
	size_t wlen = off - wb;
	bool lower = wlen > 0 && islower((unsigned char)word[0]);
	if (dollar) {
		struct var_items v = { s, d, w, vb, off, NULL, 0, 0, &a };
		visit_defs(d, in, NULL, 0, add_var_item, &v);
	} else if (first_word) {
		keyword_items(s, d, w, wb, off, lower, false);
	} else if (!continued(d, ls) && ke - kb == 7 && !strncasecmp(t + kb, "onbuild", 7) &&
		   skip_blanks(t, ke, off) == wb && ke < wb) {
		keyword_items(s, d, w, wb, off, lower, true);
	} else {
		enum ds_instr_kind kind = in ? in->kind : ds_instr_lookup(t + kb, ke - kb);
		const char *eq = memchr(word, '=', wlen);
		bool from_value = (eq && (size_t)(eq - word) == 6 && !strncmp(word, "--from", 6)) ||
				  (kind == DS_I_RUN && wlen >= 8 && !strncmp(word, "--mount=", 8) &&
				   (strstr(word, ",from=") || strstr(word, "=from=")));
		bool from_image = kind == DS_I_FROM && ke - kb == 4 && !strncasecmp(t + kb, "from", 4) &&
				  image_position(t, ke, wb, off);
		if (from_value || from_image) {
			size_t vstart = wb;
			if (from_value) {
				const char *p = word + wlen;
				while (p > word && p[-1] != '=')
					p--;
				vstart = wb + (size_t)(p - word);
			}
			const struct ds_stage *cur = in ? ds_lsp_stage_of(d, in) : NULL;
			uint32_t upto = cur ? cur->index : d->m.nstages;
			if (in && in->kind == DS_I_FROM && cur)
				upto = cur->index;
			for (uint32_t k = 0; k < upto; k++) {
				const struct ds_stage *st = &d->m.stages[k];
				if (!st->name)
					continue;
				const char *detail = ds_arena_printf(&a, "stage %u: FROM %s", st->index, st->base_raw);
				w_item(s, d, w, st->name, ITEM_MODULE, detail, vstart, off, st->name);
			}
		} else if (wlen >= 1 && word[0] == '-' && kind != DS_I_UNKNOWN) {
			const char *flags = ds_instr_flags(kind);
			while (*flags) {
				const char *bar = strchr(flags, '|');
				size_t n = bar ? (size_t)(bar - flags) : strlen(flags);
				char label[64];
				snprintf(label, sizeof label, "--%.*s=", (int)n, flags);
				w_item(s, d, w, label, ITEM_PROPERTY, ds_instr_keyword(kind), wb, off, label);
				flags += n + (bar != NULL);
			}
		}
	}
	ds_jw_arr_end(w);
	ds_jw_obj_end(w);
	ds_arena_release(&a);
}
