/* model.c - stages, ARG/ENV scopes, base images and the stage graph. */
#include "analyze/model.h"

#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "parser/ast.h"
#include "parser/shellwords.h"

static void scope_add(struct ds_arena *a, struct ds_scope *s, const char *name, const char *value,
		      bool is_env, const struct ds_instr *where)
{
	s->v = ds_arena_grow(a, s->v, sizeof *s->v, s->n, &s->cap);
	struct ds_var *v = &s->v[s->n++];
	v->name = name;
	v->value = value;
	v->is_env = is_env;
	v->where = where;
}

const char *ds_scope_get(const struct ds_scope *s, const char *name, size_t len)
{
	for (size_t i = s->n; i-- > 0;)
		if (strlen(s->v[i].name) == len && !memcmp(s->v[i].name, name, len))
			return s->v[i].value;
	return NULL;
}

struct lookup_ctx {
	const struct ds_scope *scope;
	uint32_t before;   /* only entries defined before this instruction index */
	bool unset;
};

static const char *lookup(void *ctx, const char *name, size_t len, size_t *vlen)
{
	struct lookup_ctx *c = ctx;
	const struct ds_scope *s = c->scope;
	for (size_t i = s->n; i-- > 0;) {
		const struct ds_var *v = &s->v[i];
		if (v->where && v->where->index >= c->before)
			continue;
		if (strlen(v->name) == len && !memcmp(v->name, name, len)) {
			if (!v->value)
				break;
			*vlen = strlen(v->value);
			return v->value;
		}
	}
	c->unset = true;
	return NULL;
}

static const char *expand_in(struct ds_arena *a, const struct ds_scope *s, uint32_t before, char escape,
			     const char *word, bool *unset)
{
	struct lookup_ctx c = { s, before, false };
	struct ds_shlex lx;
	ds_shlex_init(&lx, escape);
	lx.lookup = lookup;
	lx.ctx = &c;
	const char *out, *err;
	size_t olen;
	if (ds_shlex_word(&lx, a, word, strlen(word), &out, &olen, &err))
		out = word;
	if (unset)
		*unset = c.unset;
	return out;
}

const char *ds_model_expand(const struct ds_model *m, const struct ds_stage *st, uint32_t i,
			    const char *word, bool *unset)
{
	if (!strchr(word, '$')) {
		if (unset)
			*unset = false;
		return word;
	}
	return expand_in(m->a, st ? &st->scope : &m->globals, i, m->df->escape, word, unset);
}

const struct ds_stage *ds_model_stage_of(const struct ds_model *m, uint32_t i)
{
	for (uint32_t s = 0; s < m->nstages; s++)
		if (i >= m->stages[s].first && i <= m->stages[s].last)
			return &m->stages[s];
	return NULL;
}

static char *lower_dup(struct ds_arena *a, const char *s)
{
	char *d = ds_arena_strdup(a, s);
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return d;
}

static int find_stage(const struct ds_model *m, uint32_t upto, const char *name)
{
	for (uint32_t s = 0; s < upto; s++)
		if (m->stages[s].name && !strcasecmp(m->stages[s].name, name))
			return (int)s;
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
				value = expand_in(a, sc, in->index, m->df->escape, eq + 1, NULL);
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
		const char *value = expand_in(a, sc, in->index, m->df->escape, raw, NULL);
		scope_add(a, sc, name, value, true, in);
	}
}

static void add_dep(struct ds_model *m, struct ds_stage *st, const struct ds_instr *in,
		    const char *ref, bool is_mount, size_t *cap)
{
	struct ds_arena *a = m->a;
	st->deps = ds_arena_grow(a, st->deps, sizeof *st->deps, st->ndeps, cap);
	struct ds_dep *d = &st->deps[st->ndeps++];
	memset(d, 0, sizeof *d);
	d->in = in;
	d->ref = ref;
	d->expanded = ds_model_expand(m, st, in->index, ref, NULL);
	d->is_mount = is_mount;
	d->stage = find_stage(m, st->index, d->expanded);
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
		for (uint32_t s = st->index; s < m->nstages; s++)
			if (m->stages[s].name && !strcasecmp(m->stages[s].name, d->expanded))
				d->later_stage = (int)s;
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

int ds_model_build(struct ds_arena *a, const struct ds_dockerfile *df, const char *target_stage,
		   struct ds_model *m)
{
	memset(m, 0, sizeof *m);
	m->df = df;
	m->a = a;
	m->final = -1;
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

	/* pass 2: bases, scopes, dependencies, users and workdirs */
	for (uint32_t s = 0; s < m->nstages; s++) {
		st = &m->stages[s];
		const struct ds_instr *from = st->from;
		const struct ds_flag *pf = ds_instr_flag(from, "platform");
		st->platform = pf ? pf->value : NULL;
		st->base_raw = from->nargs ? from->args[0].text : "";
		bool unset = false;
		st->base = expand_in(a, &m->globals, UINT32_MAX, df->escape, st->base_raw, &unset);
		int parent = *st->base ? find_stage(m, s, st->base) : -1;
		if (!*st->base) {
			st->base_kind = DS_BASE_UNRESOLVED;
		} else if (parent >= 0) {
			st->base_kind = DS_BASE_STAGE;
			st->base_stage = parent;
			const struct ds_stage *p = &m->stages[parent];
			st->image = p->image;
			st->has_image = p->has_image;
			st->root_kind = p->root_kind;
			/* ENV is part of the parent image; ARGs are not */
			for (size_t k = 0; k < p->scope.n; k++)
				if (p->scope.v[k].is_env)
					scope_add(a, &st->scope, p->scope.v[k].name, p->scope.v[k].value, true, NULL);
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
					add_dep(m, st, in, f->value, false, &depcap);
				break;
			}
			case DS_I_RUN:
				for (uint32_t k = 0; k < in->nflags; k++) {
					if (strcmp(in->flags[k].name, "mount") || !in->flags[k].value)
						continue;
					const char *fr = mount_from(a, in->flags[k].value);
					if (fr)
						add_dep(m, st, in, fr, true, &depcap);
				}
				break;
			case DS_I_USER:
				if (in->nargs)
					st->user = ds_model_expand(m, st, i, in->args[0].text, NULL);
				break;
			case DS_I_WORKDIR:
				if (in->nargs) {
					const char *w = ds_model_expand(m, st, i, in->args[0].text, NULL);
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
	}

	int rc = 0;
	if (m->nstages) {
		m->final = (int)m->nstages - 1;
		if (target_stage) {
			int t = find_stage(m, m->nstages, target_stage);
			if (t < 0) {
				ds_diags_addf(&m->diags, a, DS_SEV_ERROR, NULL, 0, 0,
					      "target stage '%s' could not be found", target_stage);
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
	return rc;
}
