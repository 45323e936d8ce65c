/* model.c - stages, ARG/ENV scopes, base images and the stage graph. */
#include "analyze/model.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "common/arena.h"
#include "parser/ast.h"
#include "parser/shellwords.h"

/*
 * Scopes. The definitions of one name are chained in file order through
 * prev/next, and each holds a jump pointer to an earlier one chosen as in
 * Myers' skew-binary lists ("An applicative random-access stack", 1983):
 * following jumps where they stay past a bound and prev otherwise finds the
 * last definition before any instruction in O(log n) steps. Definitions
 * come in file order, so "visible before instruction i" holds for a prefix
 * of each chain.
 */

static bool visible(const struct ds_var *v, uint32_t before)
{
	return !v->where || v->where->index < before;
}

static void scope_add(struct ds_arena *a, struct ds_scope *s, const char *name, const char *value,
		      bool is_env, const struct ds_instr *where)
{
	if (s->n >= DS_NO_VAR)
		ds_xmalloc(SIZE_MAX); /* more than a chain index counts: out of memory */
	s->v = ds_arena_grow(a, s->v, sizeof *s->v, s->n, &s->cap);
	uint32_t i = (uint32_t)s->n++;
	struct ds_var *v = &s->v[i];
	v->name = name;
	v->value = value;
	v->is_env = is_env;
	v->where = where;
	v->next = DS_NO_VAR;
	bool added;
	uint32_t *last = ds_hmap_put(&s->last, a, name, strlen(name), i, &added);
	if (added) {
		v->prev = DS_NO_VAR;
		v->jump = i;
		v->depth = 0;
		return;
	}
	uint32_t p = *last;
	*last = i;
	struct ds_var *pv = &s->v[p];
	pv->next = i;
	v->prev = p;
	v->depth = pv->depth + 1;
	const struct ds_var *j = &s->v[pv->jump];
	const struct ds_var *jj = &s->v[j->jump];
	v->jump = pv->depth - j->depth == j->depth - jj->depth ? j->jump : p;
}

/* The last definition visible before `before` in the chain ending at index i. */
static const struct ds_var *chain_visible(const struct ds_scope *s, uint32_t i, uint32_t before)
{
	for (;;) {
		const struct ds_var *v = &s->v[i];
		if (visible(v, before))
			return v;
		if (v->prev == DS_NO_VAR)
			return NULL;
		/* a jump that lands on an invisible definition skips only invisible ones */
		i = v->jump != i && !visible(&s->v[v->jump], before) ? v->jump : v->prev;
	}
}

const struct ds_var *ds_scope_find(const struct ds_scope *s, const char *name, size_t len, uint32_t before)
{
	const uint32_t *last = ds_hmap_get(&s->last, name, len);
	return last ? chain_visible(s, *last, before) : NULL;
}

const struct ds_var *ds_scope_find_from(const struct ds_scope *s, const char *name, size_t len, uint32_t from)
{
	const uint32_t *last = ds_hmap_get(&s->last, name, len);
	if (!last)
		return NULL;
	const struct ds_var *v = chain_visible(s, *last, from);
	if (v)
		return v->next == DS_NO_VAR ? NULL : &s->v[v->next];
	/* nothing before from: the first definition, reached by jumps */
	uint32_t i = *last;
	while (s->v[i].prev != DS_NO_VAR)
		i = s->v[i].jump != i ? s->v[i].jump : s->v[i].prev;
	return &s->v[i];
}

const struct ds_var *ds_scope_prev(const struct ds_scope *s, const struct ds_var *v)
{
	return v->prev == DS_NO_VAR ? NULL : &s->v[v->prev];
}

const char *ds_scope_get(const struct ds_scope *s, const char *name, size_t len)
{
	const struct ds_var *v = ds_scope_find(s, name, len, UINT32_MAX);
	return v ? v->value : NULL;
}

struct lookup_ctx {
	const struct ds_scope *scope;
	uint32_t before;   /* only entries defined before this instruction index */
	bool unset;
};

static const char *lookup(void *ctx, const char *name, size_t len, size_t *vlen)
{
	struct lookup_ctx *c = ctx;
	const struct ds_var *v = ds_scope_find(c->scope, name, len, c->before);
	if (v && v->value) {
		*vlen = strlen(v->value);
		return v->value;
	}
	c->unset = true;
	return NULL;
}

/* Records the error that stops the file at [off, end), unless one already does. */
static void model_fatal(struct ds_model *m, uint32_t off, uint32_t end, const char *msg)
{
	if (m->fatal >= 0)
		return;
	ds_diags_add(&m->diags, m->a, DS_SEV_ERROR, NULL, off, end, msg);
	m->fatal = (long)m->diags.n - 1;
}

/*
 * word expanded with scope s as it stood before instruction index before.
 * On a failure the word is returned as is; with m (the model being built)
 * the failure stops the file, at span (BuildKit fails the build on it).
 */
static const char *expand_in(struct ds_model *m, const struct ds_scope *s, uint32_t before, const char *word,
			     const struct ds_span *span, bool *unset)
{
	struct lookup_ctx c = { s, before, false };
	struct ds_shlex lx;
	ds_shlex_init(&lx, m->df->escape);
	lx.lookup = lookup;
	lx.ctx = &c;
	lx.budget = &m->budget->lx;
	const char *out, *err;
	size_t olen;
	if (ds_shlex_word(&lx, m->a, word, strlen(word), &out, &olen, &err)) {
		out = word;
		if (span)
			model_fatal(m, span->off, span->end, err);
	}
	if (unset)
		*unset = c.unset;
	return out;
}

/* Notes the first budget failure after the model was built, at in. */
static void budget_failed_at(const struct ds_model *m, const struct ds_instr *in, const char *err)
{
	struct ds_model_budget *b = m->budget;
	if (!b || !b->lx.spent || b->located || !in)
		return;
	b->located = true;
	memset(&b->diag, 0, sizeof b->diag);
	b->diag.sev = DS_SEV_ERROR;
	b->diag.msg = err ? err : "variable expansion past its budget";
	b->diag.off = in->kw_span.off;
	b->diag.end = in->line_span.end;
	b->diag.has_pos = 1;
}

const char *ds_model_expand(const struct ds_model *m, const struct ds_stage *st, uint32_t i,
			    const char *word, bool *unset)
{
	if (!strchr(word, '$')) {
		if (unset)
			*unset = false;
		return word;
	}
	struct lookup_ctx c = { st ? &st->scope : &m->globals, i, false };
	struct ds_shlex lx;
	ds_shlex_init(&lx, m->df->escape);
	lx.lookup = lookup;
	lx.ctx = &c;
	const char *out;
	const struct ds_instr *in = i < m->df->ninstrs ? &m->df->instrs[i] : NULL;
	if (ds_model_shlex_word(m, in, &lx, word, strlen(word), &out, NULL, NULL))
		out = word;
	if (unset)
		*unset = c.unset;
	return out;
}

int ds_model_shlex_word(const struct ds_model *m, const struct ds_instr *in, struct ds_shlex *lx,
			const char *word, size_t len, const char **out, size_t *outlen, const char **err)
{
	const char *e = NULL;
	lx->budget = m->budget ? &m->budget->lx : NULL;
	int rc = ds_shlex_word(lx, m->a, word, len, out, outlen, &e);
	if (rc && lx->budget && lx->budget->spent)
		budget_failed_at(m, in && in->parent ? in->parent : in, e);
	if (err)
		*err = e;
	return rc;
}

const struct ds_diag *ds_model_error(const struct ds_model *m)
{
	if (m->fatal >= 0)
		return &m->diags.v[m->fatal];
	if (m->budget && m->budget->located)
		return &m->budget->diag;
	return NULL;
}

/* One stage's classification, once asked for. */
struct class_memo {
	const struct ds_catalog *cat; /* NULL: not computed */
	int rc;
	struct ds_image_class k;
};

struct ds_model_cache {
	struct class_memo *classes; /* one per stage, allocated on the first question */
};

int ds_model_classify(const struct ds_model *m, uint32_t s, const struct ds_catalog *cat,
		      struct ds_image_class *out)
{
	memset(out, 0, sizeof *out);
	if (s >= m->nstages || !cat || !m->stages[s].has_image)
		return -1;
	struct ds_model_cache *mc = m->cache;
	if (!mc->classes)
		mc->classes = ds_arena_zalloc(m->a, m->nstages * sizeof *mc->classes);
	struct class_memo *k = &mc->classes[s];
	if (k->cat != cat) {
		k->cat = cat;
		k->rc = ds_catalog_classify(cat, &m->stages[s].image, m->a, &k->k);
		if (k->rc)
			memset(&k->k, 0, sizeof k->k);
	}
	*out = k->k;
	return k->rc;
}

const struct ds_stage *ds_model_stage_of(const struct ds_model *m, uint32_t i)
{
	/* stages are in file order: the last one starting at or before i */
	uint32_t lo = 0, hi = m->nstages;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (m->stages[mid].first <= i)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct ds_stage *st = &m->stages[lo - 1];
	return i <= st->last ? st : NULL;
}

static char *lower_dup(struct ds_arena *a, const char *s)
{
	char *d = ds_arena_strdup(a, s);
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return d;
}

/* The stage-name slot of name (any case), or NULL. */
static const uint32_t *stage_slot(const struct ds_model *m, const char *name)
{
	char small[128];
	size_t n = strlen(name);
	char *low = n < sizeof small ? small : ds_xmalloc(n + 1);
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	const uint32_t *slot = ds_hmap_get(&m->stage_names, low, n);
	if (low != small)
		free(low);
	return slot;
}

int ds_model_find_stage(const struct ds_model *m, const char *name, uint32_t upto)
{
	const uint32_t *slot = stage_slot(m, name);
	if (!slot || m->stage_first[*slot] >= upto)
		return -1;
	return (int)m->stage_first[*slot];
}

/* The last stage named name (any case) at index from or later, or -1. */
static int find_stage_from(const struct ds_model *m, const char *name, uint32_t from)
{
	const uint32_t *slot = stage_slot(m, name);
	if (!slot || m->stage_last[*slot] < from)
		return -1;
	return (int)m->stage_last[*slot];
}

const struct ds_dep *ds_stage_dep_of(const struct ds_stage *st, const struct ds_instr *in, bool mount)
{
	/* the first dependency of an instruction at in's index or later */
	uint32_t lo = 0, hi = st->ndeps;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (st->deps[mid].in->index < in->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t k = lo; k < st->ndeps && st->deps[k].in == in; k++)
		if (st->deps[k].is_mount == mount)
			return &st->deps[k];
	return NULL;
}

int ds_model_stage_declaring(const struct ds_model *m, const char *name, size_t len, int except)
{
	const uint32_t *slot = ds_hmap_get(&m->declared, name, len);
	if (!slot)
		return -1;
	for (int k = 0; k < 2; k++) {
		uint32_t s = m->declared_in[*slot][k];
		if (s != UINT32_MAX && (int)s != except)
			return (int)s;
	}
	return -1;
}

/* key=value words of ARG and ENV, quotes removed, values expanded in scope */
static void add_assignments(struct ds_model *m, struct ds_stage *st, struct ds_scope *sc,
			    const struct ds_instr *in)
{
	struct ds_arena *a = m->a;
	if (in->kind == DS_I_ARG) {
		for (uint32_t k = 0; k < in->nargs; k++) {
			const char *w = in->args[k].text;
			const char *eq = strchr(w, '=');
			const char *name, *value = NULL;
			if (eq) {
				name = ds_arena_strndup(a, w, (size_t)(eq - w));
				value = expand_in(m, sc, in->index, eq + 1, &in->args[k].span, NULL);
			} else {
				name = w;
				/* a stage ARG without a default takes the global one */
				if (st)
					value = ds_scope_get(&m->globals, name, strlen(name));
			}
			scope_add(a, sc, name, value, false, in);
		}
		return;
	}
	/* ENV: triples key, value, sep */
	for (uint32_t k = 0; k + 1 < in->nargs; k += 3) {
		const char *name = in->args[k].text;
		const char *raw = in->args[k + 1].text;
		const char *value = expand_in(m, sc, in->index, raw, &in->args[k + 1].span, NULL);
		scope_add(a, sc, name, value, true, in);
	}
}

static void add_dep(struct ds_model *m, struct ds_stage *st, const struct ds_instr *in,
		    const char *ref, const struct ds_span *span, bool is_mount, size_t *cap)
{
	struct ds_arena *a = m->a;
	st->deps = ds_arena_grow(a, st->deps, sizeof *st->deps, st->ndeps, cap);
	struct ds_dep *d = &st->deps[st->ndeps++];
	memset(d, 0, sizeof *d);
	d->in = in;
	d->ref = ref;
	d->expanded = strchr(ref, '$') ? expand_in(m, &st->scope, in->index, ref, span, NULL) : ref;
	d->is_mount = is_mount;
	d->stage = ds_model_find_stage(m, d->expanded, st->index);
	d->later_stage = -1;
	if (d->stage < 0) {
		/* a stage index: digits only, earlier than this stage */
		const char *p = d->expanded;
		if (*p) {
			unsigned long v = 0;
			while (*p >= '0' && *p <= '9' && v < 100000)
				v = v * 10 + (unsigned long)(*p++ - '0');
			if (!*p && v < st->index)
				d->stage = (int)v;
		}
	}
	if (d->stage < 0) {
		d->later_stage = find_stage_from(m, d->expanded, st->index);
		d->is_image = true;
	}
}

/* from= in a --mount value (a comma-separated key=value list) */
static const char *mount_from(struct ds_arena *a, const char *v)
{
	const char *p = v;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > 5 && !strncmp(p, "from=", 5))
			return ds_arena_strndup(a, p + 5, n - 5);
		if (!e)
			break;
		p = e + 1;
	}
	return NULL;
}

/*
 * FROM <stage>: the parent's ENV is part of its image, its ARGs are not.
 * Only the definition each name ends with is copied, in the order of those
 * definitions; the copies count against DS_MODEL_MAX_INHERITED, since a
 * chain of stages could otherwise copy quadratically many.
 */
/* Whether v is the ENV its name ends with in s: no later definition of the name is an ENV. */
static bool last_env(const struct ds_scope *s, const struct ds_var *v)
{
	if (!v->is_env)
		return false;
	/* each ARG is passed over from the one ENV before it: linear in all */
	while (v->next != DS_NO_VAR && !s->v[v->next].is_env)
		v = &s->v[v->next];
	return v->next == DS_NO_VAR;
}

static void inherit_env(struct ds_model *m, struct ds_stage *st, const struct ds_stage *p, size_t *inherited)
{
	size_t n = 0;
	for (size_t k = 0; k < p->scope.n; k++)
		n += last_env(&p->scope, &p->scope.v[k]);
	if (*inherited + n > DS_MODEL_MAX_INHERITED) {
		model_fatal(m, st->from->kw_span.off, st->from->line_span.end,
			    ds_arena_printf(m->a, "too many variables inherited through FROM <stage> in this file "
						  "(more than %u copies)", DS_MODEL_MAX_INHERITED));
		return;
	}
	*inherited += n;
	for (size_t k = 0; k < p->scope.n; k++)
		if (last_env(&p->scope, &p->scope.v[k]))
			scope_add(m->a, &st->scope, p->scope.v[k].name, p->scope.v[k].value, true, NULL);
}

/* Records that stage s declares every name of its scope. */
static void index_declared(struct ds_model *m, uint32_t s, size_t *cap)
{
	const struct ds_scope *sc = &m->stages[s].scope;
	for (size_t k = 0; k < sc->n; k++) {
		const struct ds_var *v = &sc->v[k];
		if (v->prev != DS_NO_VAR)
			continue; /* one entry per name */
		bool added;
		uint32_t *slot = ds_hmap_put(&m->declared, m->a, v->name, strlen(v->name), m->declared.n, &added);
		if (added) {
			m->declared_in = ds_arena_grow(m->a, m->declared_in, sizeof *m->declared_in, *slot, cap);
			m->declared_in[*slot][0] = s;
			m->declared_in[*slot][1] = UINT32_MAX;
		} else if (m->declared_in[*slot][1] == UINT32_MAX && m->declared_in[*slot][0] != s) {
			m->declared_in[*slot][1] = s;
		}
	}
}

/* Indexes the stage names: the first and the last stage of each. */
static void index_stage_names(struct ds_model *m)
{
	if (!m->nstages)
		return;
	m->stage_first = ds_arena_alloc(m->a, m->nstages * sizeof *m->stage_first);
	m->stage_last = ds_arena_alloc(m->a, m->nstages * sizeof *m->stage_last);
	for (uint32_t s = 0; s < m->nstages; s++) {
		const char *name = m->stages[s].name;
		if (!name)
			continue;
		bool added;
		uint32_t *slot = ds_hmap_put(&m->stage_names, m->a, name, strlen(name), m->stage_names.n, &added);
		if (added)
			m->stage_first[*slot] = s;
		m->stage_last[*slot] = s;
	}
}

int ds_model_build(struct ds_arena *a, const struct ds_dockerfile *df, const char *target_stage,
		   struct ds_model *m)
{
	memset(m, 0, sizeof *m);
	m->df = df;
	m->a = a;
	m->final = -1;
	m->fatal = -1;
	m->budget = ds_arena_zalloc(a, sizeof *m->budget);
	m->cache = ds_arena_zalloc(a, sizeof *m->cache);
	ds_shlex_budget_init(&m->budget->lx);
	uint32_t nfrom = 0;
	for (uint32_t i = 0; i < df->ninstrs; i++)
		nfrom += df->instrs[i].kind == DS_I_FROM;
	m->stages = nfrom ? ds_arena_zalloc(a, nfrom * sizeof *m->stages) : NULL;

	/* pass 1: stage boundaries and names, so later references resolve */
	struct ds_stage *st = NULL;
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		if (in->kind == DS_I_FROM) {
			st = &m->stages[m->nstages];
			st->index = m->nstages++;
			st->from = in;
			st->first = st->last = i;
			st->base_stage = -1;
			if (in->nargs >= 3 && !strcasecmp(in->args[1].text, "as"))
				st->name = lower_dup(a, in->args[2].text);
		} else if (st) {
			st->last = i;
		} else if (in->kind == DS_I_ARG) {
			add_assignments(m, NULL, &m->globals, in);
		}
	}
	index_stage_names(m);

	/* pass 2: bases, scopes, dependencies, users and workdirs */
	size_t inherited = 0, declcap = 0;
	for (uint32_t s = 0; s < m->nstages; s++) {
		st = &m->stages[s];
		const struct ds_instr *from = st->from;
		const struct ds_flag *pf = ds_instr_flag(from, "platform");
		st->platform = pf ? pf->value : NULL;
		st->base_raw = from->nargs ? from->args[0].text : "";
		bool unset = false;
		st->base = expand_in(m, &m->globals, UINT32_MAX, st->base_raw, from->nargs ? &from->args[0].span : NULL,
				     &unset);
		int parent = *st->base ? ds_model_find_stage(m, st->base, s) : -1;
		if (!*st->base) {
			st->base_kind = DS_BASE_UNRESOLVED;
		} else if (parent >= 0) {
			st->base_kind = DS_BASE_STAGE;
			st->base_stage = parent;
			const struct ds_stage *p = &m->stages[parent];
			st->image = p->image;
			st->has_image = p->has_image;
			st->root_kind = p->root_kind;
			inherit_env(m, st, p, &inherited);
			st->user = p->user;
			st->workdir = p->workdir;
		} else if (!strcasecmp(st->base, "scratch")) {
			st->base_kind = DS_BASE_SCRATCH;
			st->root_kind = DS_BASE_SCRATCH;
		} else if (strchr(st->base, '$') || unset) {
			st->base_kind = DS_BASE_UNRESOLVED;
			st->root_kind = DS_BASE_UNRESOLVED;
		} else {
			const char *err;
			if (ds_imageref_parse(a, st->base, strlen(st->base), &st->image, &err) == 0) {
				st->base_kind = DS_BASE_IMAGE;
				st->has_image = true;
			} else {
				st->base_kind = DS_BASE_UNRESOLVED;
			}
			st->root_kind = (int)st->base_kind;
		}
		if (st->base_kind != DS_BASE_STAGE)
			st->root_kind = (int)st->base_kind;

		size_t depcap = 0;
		for (uint32_t i = st->first + 1; i <= st->last && i < df->ninstrs; i++) {
			const struct ds_instr *in = &df->instrs[i];
			switch (in->kind) {
			case DS_I_ARG:
			case DS_I_ENV:
				add_assignments(m, st, &st->scope, in);
				break;
			case DS_I_COPY:
			case DS_I_ADD: {
				const struct ds_flag *f = ds_instr_flag(in, "from");
				if (f && f->value)
					add_dep(m, st, in, f->value, &f->span, false, &depcap);
				break;
			}
			case DS_I_RUN:
				for (uint32_t k = 0; k < in->nflags; k++) {
					if (strcmp(in->flags[k].name, "mount") || !in->flags[k].value)
						continue;
					const char *fr = mount_from(a, in->flags[k].value);
					if (fr)
						add_dep(m, st, in, fr, &in->flags[k].span, true, &depcap);
				}
				break;
			case DS_I_USER:
				if (in->nargs)
					st->user = expand_in(m, &st->scope, i, in->args[0].text, &in->args[0].span, NULL);
				break;
			case DS_I_WORKDIR:
				if (in->nargs) {
					const char *w = expand_in(m, &st->scope, i, in->args[0].text, &in->args[0].span, NULL);
					if (w[0] != '/' && st->workdir && st->workdir[0])
						w = ds_arena_printf(a, "%s%s%s", st->workdir,
								    st->workdir[strlen(st->workdir) - 1] == '/' ? "" : "/", w);
					st->workdir = w;
				}
				break;
			default:
				break;
			}
		}
		index_declared(m, s, &declcap);
	}

	int rc = 0;
	if (m->nstages) {
		m->final = (int)m->nstages - 1;
		if (target_stage) {
			int t = ds_model_find_stage(m, target_stage, m->nstages);
			if (t < 0) {
				ds_diags_addf(&m->diags, a, DS_SEV_ERROR, NULL, 0, 0,
					      "target stage '%s' could not be found", target_stage);
				m->diags.v[m->diags.n - 1].has_pos = 0;
				rc = -1;
			} else {
				m->final = t;
			}
		}
		m->stages[m->final].is_final = true;
		/* reachability from the final stage through bases and deps */
		m->stages[m->final].reachable = true;
		for (int s = m->final; s >= 0; s--) {
			struct ds_stage *x = &m->stages[s];
			if (!x->reachable)
				continue;
			if (x->base_stage >= 0)
				m->stages[x->base_stage].reachable = true;
			for (uint32_t k = 0; k < x->ndeps; k++)
				if (x->deps[k].stage >= 0)
					m->stages[x->deps[k].stage].reachable = true;
		}
	}
	return rc || m->fatal >= 0 ? -1 : 0;
}
