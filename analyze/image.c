/*
 * image.c - the image model: the configuration a container of a stage runs with.
 *
 * Follows BuildKit's dispatcher (frontend/dockerfile/dockerfile2llb) for
 * what each instruction does to the image configuration; see image.h.
 */
#include "analyze/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/accounts.h"
#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"
#include "parser/shellwords.h"

/* BuildKit's system.DefaultPathEnv for Linux. */
static const char default_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

static const char *const default_shell[] = { "/bin/sh", "-c" };

const char *ds_im_field_name(enum ds_im_field f)
{
	static const char *const names[] = {
#define X(e, s) s,
		DS_IM_FIELDS(X)
#undef X
	};
	return (size_t)f < sizeof names / sizeof names[0] ? names[f] : "?";
}

/* ---- lists ---- */

/* The entry of key[0..len), or NULL. */
static struct ds_im_kv *list_findn(const struct ds_im_list *l, const char *key, size_t len)
{
	const uint32_t *i = ds_hmap_get(&l->idx, key, len);
	return i ? &l->v[*i] : NULL;
}

static struct ds_im_kv *list_find(const struct ds_im_list *l, const char *key)
{
	return list_findn(l, key, strlen(key));
}

/* Sets key to value (replacing an earlier entry in place, as docker does). */
static void list_set(struct ds_arena *a, struct ds_im_list *l, const char *key, const char *value,
		     const struct ds_instr *where, const char *raw)
{
	bool added;
	uint32_t *i = ds_hmap_put(&l->idx, a, key, strlen(key), (uint32_t)l->n, &added);
	if (added) {
		l->v = ds_arena_grow(a, l->v, sizeof *l->v, l->n, &l->cap);
		l->v[l->n++].key = key;
	}
	struct ds_im_kv *e = &l->v[*i];
	e->value = value;
	e->where = where;
	e->raw = raw;
}

const char *ds_image_model_env(const struct ds_image_model *im, const char *name, bool *known)
{
	const struct ds_im_kv *e = list_find(&im->env, name);
	if (e) {
		*known = e->value != NULL;
		return e->value;
	}
	*known = im->env.base_known;
	return NULL;
}

/* ---- variable expansion: the stage's ARGs, then the image's environment ---- */

struct expand_ctx {
	const struct ds_model *m;
	const struct ds_stage *st;
	const struct ds_image_model *im;
	uint32_t before;  /* ARGs defined before this instruction index */
	bool unknown;     /* a variable whose value is unknown was used */
};

static const char *lookup(void *ctx, const char *name, size_t len, size_t *vlen)
{
	struct expand_ctx *c = ctx;
	/* ENV set in this image wins over an ARG of the same name (BuildKit merges ARGs under ENV) */
	const struct ds_im_kv *e = list_findn(&c->im->env, name, len);
	if (e) {
		if (!e->value) {
			c->unknown = true;
			return NULL;
		}
		*vlen = strlen(e->value);
		return e->value;
	}
	/* the last ARG of the name before the instruction (an ENV of the name is in the image) */
	const struct ds_scope *s = &c->st->scope;
	const struct ds_var *v = ds_scope_find(s, name, len, c->before);
	while (v && v->is_env)
		v = ds_scope_prev(s, v);
	if (v) {
		if (!v->value)
			return NULL;
		*vlen = strlen(v->value);
		return v->value;
	}
	if (!c->im->env.base_known)
		c->unknown = true;
	return NULL;
}

/*
 * word processed for instruction in as BuildKit's ProcessWord does (quotes
 * removed, variables expanded); NULL when it uses a variable of unknown
 * value or does not process.
 */
static const char *expand(struct expand_ctx *c, const struct ds_instr *in, const char *word)
{
	if (!strpbrk(word, "$'\"\\`"))
		return word;
	c->before = in->index;
	c->unknown = false;
	struct ds_shlex lx;
	ds_shlex_init(&lx, c->m->df->escape);
	lx.lookup = lookup;
	lx.ctx = c;
	const char *out;
	if (ds_model_shlex_word(c->m, in, &lx, word, strlen(word), &out, NULL, NULL) < 0 || c->unknown)
		return NULL;
	return out;
}

/* ---- commands ---- */

static void argv_from_list(struct ds_arena *a, struct ds_im_argv *v, const struct ds_strlist *l)
{
	memset(v, 0, sizeof *v);
	v->known = true;
	v->n = l->n;
	if (!l->n)
		return;
	v->v = ds_arena_alloc(a, (l->n + 1) * sizeof *v->v);
	for (size_t i = 0; i < l->n; i++)
		v->v[i] = l->v[i];
	v->v[l->n] = NULL;
}

/* The argv of exec-form words in->args[first..], or shell form SHELL + [text]. */
static void argv_of(struct ds_arena *a, const struct ds_image_model *im, const struct ds_instr *in,
		    uint32_t first, struct ds_im_argv *v)
{
	memset(v, 0, sizeof *v);
	v->where = in;
	if (in->json) {
		v->known = true;
		v->n = in->nargs > first ? in->nargs - first : 0;
		v->v = ds_arena_alloc(a, (v->n + 1) * sizeof *v->v);
		for (size_t i = 0; i < v->n; i++)
			v->v[i] = in->args[first + i].text;
		v->v[v->n] = NULL;
		return;
	}
	const char *text = in->nargs > first ? in->args[first].text : "";
	v->shell = true;
	v->text = text;
	v->known = im->shell.known;
	if (!v->known)
		return;
	v->n = im->shell.n + 1;
	v->v = ds_arena_alloc(a, (v->n + 1) * sizeof *v->v);
	for (size_t i = 0; i < im->shell.n; i++)
		v->v[i] = im->shell.v[i];
	v->v[im->shell.n] = text;
	v->v[v->n] = NULL;
}

static void argv_concat(struct ds_arena *a, struct ds_im_argv *out, const struct ds_im_argv *x,
			const struct ds_im_argv *y)
{
	memset(out, 0, sizeof *out);
	out->known = x->known && y->known;
	if (!out->known)
		return;
	out->n = x->n + y->n;
	out->v = ds_arena_alloc(a, (out->n + 1) * sizeof *out->v);
	for (size_t i = 0; i < x->n; i++)
		out->v[i] = x->v[i];
	for (size_t i = 0; i < y->n; i++)
		out->v[x->n + i] = y->v[i];
	out->v[out->n] = NULL;
	out->where = y->where ? y->where : x->where;
	/* one side alone in shell form: the whole command is that shell command */
	const struct ds_im_argv *only = !x->n ? y : !y->n ? x : x->shell ? x : NULL;
	if (only && only->shell) {
		out->shell = true;
		out->text = only->text;
	}
}

const char *ds_im_argv_text(struct ds_arena *a, const struct ds_im_argv *v)
{
	if (!v->known)
		return "(unknown)";
	if (!v->n)
		return "(none)";
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_addc(&b, '[');
	for (size_t i = 0; i < v->n; i++) {
		ds_buf_adds(&b, i ? ", \"" : "\"");
		for (const char *p = v->v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				ds_buf_addc(&b, '\\');
			ds_buf_addc(&b, *p);
		}
		ds_buf_addc(&b, '"');
	}
	ds_buf_addc(&b, ']');
	char *r = ds_arena_strndup(a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* ---- users ---- */

/* The id of account name in accounts (users or groups), or -1. */
static long account_id(const struct ds_catalog_account *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return (long)v[i].id;
	return -1;
}

/* Users and groups created by RUNs of the chain, with their ids when given. */
struct made {
	const char *name;
	long id;
	bool group;
	const struct ds_instr *where; /* the RUN that makes it, or the COPY that brings it in */
};

/*
 * The users and groups the RUNs of a chain make. Splitting every RUN to
 * find them was a tenth of an audit, yet most USER names are found in the
 * base image's accounts: the RUNs are split only when a name is not
 * (made_scan), the chain's instructions kept meanwhile as ranges.
 */
#define MADE_MAX_RANGES 66 /* the chain of build(): at most 65 stages */

struct made_list {
	struct made *v;
	size_t n, cap;
	struct {
		uint32_t first, last; /* instructions [first, last] of one stage of the chain */
	} ranges[MADE_MAX_RANGES];
	size_t nranges;
	size_t range, next; /* made_scan has scanned up to instruction next of ranges[range] */
	unsigned depth;     /* stages entered through COPYs of passwd or group files to get here */
	struct made_list **memo; /* per stage, its accounts once scanned for a COPY (shared, m's arena) */
};

/* The most accounts one list holds: a name made after that many is unknown, which is never wrong. */
#define MADE_MAX 1024

static void made_add(struct ds_arena *a, struct made_list *l, const char *name, long id, bool group,
		     const struct ds_instr *where)
{
	if (l->n >= MADE_MAX)
		return;
	l->v = ds_arena_grow(a, l->v, sizeof *l->v, l->n, &l->cap);
	l->v[l->n++] = (struct made){ name, id, group, where };
}

/* Records what adduser/useradd/addgroup/groupadd in one RUN create (accounts.h). */
static void scan_user_commands(struct ds_arena *a, struct ds_arena *tmp, const struct ds_instr *in,
			       struct made_list *made)
{
	if (in->json || !in->nargs)
		return;
	const char *script = in->nheredocs ? in->heredocs[0].content : in->args[0].text;
	struct ds_shell_cmd *cmds;
	size_t n;
	/* the commands are scratch: one RUN's at a time */
	ds_arena_reset(tmp);
	if (!script || ds_shell_split(tmp, script, strlen(script), &cmds, &n) < 0)
		return;
	for (size_t j = 0; j < n; j++) {
		struct ds_account_cmd ac;
		if (!ds_account_cmd_read(&cmds[j], &ac) || !ac.name)
			continue;
		const char *name = ds_arena_strdup(a, ac.name);
		made_add(a, made, name, ac.id, ac.group, in);
		if (ac.own_group)
			made_add(a, made, name, -1, true, in);
	}
}

static void made_scan(const struct ds_model *m, struct ds_arena *tmp, struct made_list *made);

/*
 * Whether COPY or ADD in puts a passwd (*users) or group (*groups) file
 * from another stage into /etc: "COPY --from=s /etc/passwd /etc/passwd",
 * "COPY --from=s /x/passwd /x/group /etc/". Returns the stage, or -1.
 */
static int copied_accounts(const struct ds_model *m, const struct ds_stage *st, const struct ds_instr *in,
			   bool *users, bool *groups)
{
	*users = *groups = false;
	if ((in->kind != DS_I_COPY && in->kind != DS_I_ADD) || in->nargs < 2 || in->nheredocs)
		return -1;
	const struct ds_dep *d = ds_stage_dep_of(st, in, false);
	if (!d || d->stage < 0 || (uint32_t)d->stage >= st->index)
		return -1;
	const char *dst = ds_model_expand(m, st, in->index, in->args[in->nargs - 1].text, NULL);
	size_t dl = strlen(dst);
	bool into_etc = !strcmp(dst, "/etc/") || (!strcmp(dst, "/etc") && in->nargs > 2);
	for (uint32_t k = 0; k + 1 < in->nargs; k++) {
		const char *b = ds_str_basename(in->args[k].text);
		bool pw = !strcmp(b, "passwd"), gr = !strcmp(b, "group");
		if (!pw && !gr)
			continue;
		if (into_etc || (in->nargs == 2 && dl && !strcmp(dst, pw ? "/etc/passwd" : "/etc/group"))) {
			*users = *users || pw;
			*groups = *groups || gr;
		}
	}
	return *users || *groups ? d->stage : -1;
}

/*
 * The accounts of stage s's chain (its RUNs, and stages whose files it
 * copies in turn), those of one kind only when users or groups is false,
 * added to made, as brought in by via (NULL: as made there). depth bounds
 * the stages visited through copies; each stage is scanned once (memo),
 * so many COPYs from one stage cost what they add.
 */
static void made_from_stage(const struct ds_model *m, struct ds_arena *tmp, uint32_t s, bool users, bool groups,
			    struct made_list *made, unsigned depth, const struct ds_instr *via)
{
	if (!made->memo)
		made->memo = ds_arena_zalloc(m->a, (m->nstages + 1) * sizeof *made->memo);
	struct made_list *sub = made->memo[s];
	if (!sub) {
		sub = ds_arena_zalloc(m->a, sizeof *sub);
		sub->depth = depth;
		sub->memo = made->memo;
		for (const struct ds_stage *st = &m->stages[s]; st && sub->nranges < MADE_MAX_RANGES;) {
			sub->ranges[sub->nranges].first = st->first + 1;
			sub->ranges[sub->nranges].last = st->last;
			sub->nranges++;
			st = st->base_kind == DS_BASE_STAGE && st->base_stage >= 0 && (uint32_t)st->base_stage < st->index
				? &m->stages[st->base_stage] : NULL;
		}
		/* root first, as the chain runs */
		for (size_t i = 0; i < sub->nranges / 2; i++) {
			uint32_t f = sub->ranges[i].first, l = sub->ranges[i].last;
			sub->ranges[i] = sub->ranges[sub->nranges - 1 - i];
			sub->ranges[sub->nranges - 1 - i].first = f;
			sub->ranges[sub->nranges - 1 - i].last = l;
		}
		made_scan(m, tmp, sub);
		made->memo[s] = sub;
	}
	for (size_t i = 0; i < sub->n; i++)
		if (sub->v[i].group ? groups : users)
			made_add(m->a, made, sub->v[i].name, sub->v[i].id, sub->v[i].group, via ? via : sub->v[i].where);
}

/* Scans the RUNs of the chain so far not scanned yet (strings in a, the split in tmp), and the accounts COPYs bring in. */
static void made_scan(const struct ds_model *m, struct ds_arena *tmp, struct made_list *made)
{
	for (; made->range < made->nranges; made->range++) {
		if (made->next < made->ranges[made->range].first)
			made->next = made->ranges[made->range].first;
		for (; made->next <= made->ranges[made->range].last && made->next < m->df->ninstrs; made->next++) {
			const struct ds_instr *in = &m->df->instrs[made->next];
			if (in->kind == DS_I_RUN) {
				scan_user_commands(m->a, tmp, in, made);
			} else if ((in->kind == DS_I_COPY || in->kind == DS_I_ADD) && made->depth < 16) {
				const struct ds_stage *st = ds_model_stage_of(m, in->index);
				bool users, groups;
				int s = st ? copied_accounts(m, st, in, &users, &groups) : -1;
				if (s >= 0)
					made_from_stage(m, tmp, (uint32_t)s, users, groups, made, made->depth + 1, in);
			}
		}
	}
}

/*
 * Resolves the identity of USER spec against the base accounts and the
 * users RUNs made (scanned now if a name needs them).
 */
static void resolve_user(struct ds_arena *a, const struct ds_model *m, struct ds_arena *tmp,
			 const struct ds_image_model *im, struct made_list *made, struct ds_im_user *u)
{
	u->uid = u->gid = -1;
	u->root = -1;
	u->name = NULL;
	if (!u->known)
		return;
	const char *spec = u->spec;
	const char *colon = strchr(spec, ':');
	size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *grp = colon ? colon + 1 : NULL;
	const struct ds_catalog_accounts *acc = im->accounts;
	if (ul == 0) {
		u->uid = 0;
		u->name = "root";
	} else if (ds_str_all_digits(spec, ul)) {
		u->uid = ds_account_id(spec, ul);
	} else {
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(ul < 255 ? ul : 255), spec);
		u->name = NULL;
		long id = acc ? account_id(acc->users, acc->n_users, name) : -1;
		bool found = id >= 0;
		if (!found)
			made_scan(m, tmp, made);
		for (size_t i = made->n; !found && i-- > 0;)
			if (!made->v[i].group && !strcmp(made->v[i].name, name)) {
				found = true;
				id = made->v[i].id;
				u->root = 0; /* a user made by the Dockerfile is not root */
			}
		u->uid = id;
		if (!strcmp(name, "root")) {
			u->uid = 0;
			found = true;
		}
		if (found)
			u->name = ds_arena_strdup(a, name);
	}
	if (u->uid >= 0)
		u->root = u->uid == 0;
	if (grp && *grp) {
		if (ds_str_all_digits(grp, strlen(grp)))
			u->gid = ds_account_id(grp, strlen(grp));
		else {
			long id = acc ? account_id(acc->groups, acc->n_groups, grp) : -1;
			if (id < 0)
				made_scan(m, tmp, made);
			for (size_t i = made->n; id < 0 && i-- > 0;)
				if (made->v[i].group && !strcmp(made->v[i].name, grp))
					id = made->v[i].id;
			if (!strcmp(grp, "root"))
				id = 0;
			u->gid = id;
		}
	} else if (u->uid == 0) {
		u->gid = 0;
	}
}

/* ---- the base configuration ---- */

static void from_config(struct ds_arena *a, struct ds_image_model *im, const struct ds_image_config *k)
{
	im->base_known = k->known;
	im->workdir.known = k->has_workdir;
	im->workdir.v = k->has_workdir ? (k->workdir && *k->workdir ? k->workdir : "/") : NULL;
	im->user.known = k->has_user;
	im->user.spec = k->has_user ? (k->user ? k->user : "") : NULL;
	im->env.base_known = k->has_env;
	bool has_path = false;
	for (size_t i = 0; k->has_env && i < k->env.n; i++) {
		const char *e = k->env.v[i];
		const char *eq = strchr(e, '=');
		const char *key = eq ? ds_arena_strndup(a, e, (size_t)(eq - e)) : e;
		list_set(a, &im->env, key, eq ? eq + 1 : NULL, NULL, NULL);
		has_path = has_path || !strcmp(key, "PATH");
	}
	if (k->has_env && !has_path)
		list_set(a, &im->env, "PATH", default_path, NULL, NULL);
	if (k->has_entrypoint)
		argv_from_list(a, &im->entrypoint, &k->entrypoint);
	if (k->has_cmd)
		argv_from_list(a, &im->cmd, &k->cmd);
	im->expose.base_known = k->has_expose;
	for (size_t i = 0; k->has_expose && i < k->expose.n; i++)
		list_set(a, &im->expose, k->expose.v[i], NULL, NULL, NULL);
	im->volumes.base_known = k->has_volumes;
	for (size_t i = 0; k->has_volumes && i < k->volumes.n; i++)
		list_set(a, &im->volumes, k->volumes.v[i], NULL, NULL, NULL);
	im->health.known = k->has_healthcheck;
	if (k->has_healthcheck && k->healthcheck.n) {
		/* ["CMD", args...] or ["CMD-SHELL", text], as the image configuration stores it */
		im->health.set = true;
		im->health.options = "";
		struct ds_strlist rest = { k->healthcheck.v + 1, k->healthcheck.n - 1 };
		if (!strcmp(k->healthcheck.v[0], "NONE")) {
			im->health.none = true;
		} else if (!strcmp(k->healthcheck.v[0], "CMD-SHELL") && rest.n == 1) {
			argv_concat(a, &im->health.test, &im->shell, &(struct ds_im_argv){ (const char **)rest.v, 1, true, false, NULL, NULL });
			im->health.test.shell = true;
			im->health.test.text = rest.v[0];
		} else {
			argv_from_list(a, &im->health.test, !strcmp(k->healthcheck.v[0], "CMD") ? &rest : &k->healthcheck);
		}
	}
	im->stopsignal.known = k->has_stopsignal;
	im->stopsignal.v = k->stopsignal;
	im->accounts = k->accounts;
	im->labels.base_known = true; /* base labels are out of the model */
}

static void scratch_config(struct ds_arena *a, struct ds_image_model *im)
{
	struct ds_image_config k;
	memset(&k, 0, sizeof k);
	k.known = k.has_user = k.has_workdir = k.has_env = k.has_entrypoint = k.has_cmd = true;
	k.has_expose = k.has_volumes = k.has_stopsignal = k.has_healthcheck = true;
	from_config(a, im, &k);
}

/* ---- instructions ---- */

/* "80" -> "80/tcp", "53/UDP" -> "53/udp". */
static const char *port_key(struct ds_arena *a, const char *w)
{
	const char *sl = strchr(w, '/');
	if (!sl)
		return ds_arena_printf(a, "%s/tcp", w);
	char *k = ds_arena_strdup(a, w);
	for (char *p = k + (sl - w) + 1; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return k;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The HEALTHCHECK flags, sorted, as one string. */
static const char *health_options(struct ds_arena *a, const struct ds_instr *in)
{
	if (!in->nflags)
		return "";
	const char **v = ds_arena_alloc(a, in->nflags * sizeof *v);
	for (uint32_t i = 0; i < in->nflags; i++)
		v[i] = ds_arena_printf(a, "--%s=%s", in->flags[i].name, in->flags[i].value ? in->flags[i].value : "");
	qsort(v, in->nflags, sizeof *v, cmp_str);
	struct ds_buf b = DS_BUF_INIT;
	for (uint32_t i = 0; i < in->nflags; i++) {
		if (i)
			ds_buf_addc(&b, ' ');
		ds_buf_adds(&b, v[i]);
	}
	char *r = ds_arena_strndup(a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

static void apply(struct expand_ctx *x, struct ds_image_model *im, const struct ds_instr *in, bool *cmd_set)
{
	struct ds_arena *a = x->m->a;
	switch (in->kind) {
	case DS_I_WORKDIR: {
		if (!in->nargs)
			break;
		const char *w = expand(x, in, in->args[0].text);
		im->workdir.where = in;
		if (!w) {
			im->workdir.known = false;
			break;
		}
		if (w[0] == '/') {
			im->workdir.v = ds_path_norm(a, w);
			im->workdir.known = true;
		} else if (im->workdir.known) {
			im->workdir.v = ds_path_join(a, im->workdir.v ? im->workdir.v : "/", w);
		}
		break;
	}
	case DS_I_USER: {
		if (!in->nargs)
			break;
		const char *u = expand(x, in, in->args[0].text);
		im->user.where = in;
		im->user.known = u != NULL;
		im->user.spec = u;
		break;
	}
	case DS_I_ENV:
	case DS_I_LABEL:
		for (uint32_t k = 0; k + 1 < in->nargs; k += 3) {
			const char *key = expand(x, in, in->args[k].text);
			const char *v = expand(x, in, in->args[k + 1].text);
			if (!key)
				continue;
			list_set(a, in->kind == DS_I_ENV ? &im->env : &im->labels, key, v, in, in->args[k + 1].text);
		}
		break;
	case DS_I_EXPOSE:
		for (uint32_t k = 0; k < in->nargs; k++) {
			const char *w = expand(x, in, in->args[k].text);
			if (!w) {
				im->expose.base_known = false;
				continue;
			}
			list_set(a, &im->expose, port_key(a, w), NULL, in, NULL);
		}
		break;
	case DS_I_VOLUME:
		for (uint32_t k = 0; k < in->nargs; k++) {
			const char *w = expand(x, in, in->args[k].text);
			if (!w) {
				im->volumes.base_known = false;
				continue;
			}
			if (*w)
				list_set(a, &im->volumes, w, NULL, in, NULL);
		}
		break;
	case DS_I_STOPSIGNAL: {
		if (!in->nargs)
			break;
		const char *s = expand(x, in, in->args[0].text);
		im->stopsignal.v = s;
		im->stopsignal.known = s != NULL;
		im->stopsignal.where = in;
		break;
	}
	case DS_I_SHELL:
		if (in->json)
			argv_of(a, im, in, 0, &im->shell);
		break;
	case DS_I_CMD:
		argv_of(a, im, in, 0, &im->cmd);
		*cmd_set = true;
		break;
	case DS_I_ENTRYPOINT:
		argv_of(a, im, in, 0, &im->entrypoint);
		if (!*cmd_set) {
			memset(&im->cmd, 0, sizeof im->cmd);
			im->cmd.known = true;
			im->cmd.where = in;
		}
		break;
	case DS_I_HEALTHCHECK:
		memset(&im->health, 0, sizeof im->health);
		im->health.known = true;
		im->health.where = in;
		im->health.set = true;
		if (!in->nargs || strcasecmp(in->args[0].text, "CMD")) {
			im->health.none = true;
			im->health.options = "";
			break;
		}
		argv_of(a, im, in, 1, &im->health.test);
		im->health.options = health_options(a, in);
		break;
	case DS_I_ONBUILD:
		im->onbuild = ds_arena_grow(a, im->onbuild, sizeof *im->onbuild, im->nonbuild, &im->onbuild_cap);
		im->onbuild[im->nonbuild++] = in->rest ? in->rest : "";
		break;
	default: /* a RUN's users: made_scan */
		break;
	}
}

static int build(const struct ds_model *m, int s, const struct ds_catalog *cat, struct ds_arena *a,
		 struct ds_arena *tmp, struct ds_image_model *out, struct made_list *made, unsigned depth)
{
	memset(out, 0, sizeof *out);
	if (s < 0 || (uint32_t)s >= m->nstages)
		return -1;
	const struct ds_stage *st = &m->stages[s];
	out->shell.known = true;
	out->shell.n = 2;
	out->shell.v = (const char **)default_shell;
	if (st->base_kind == DS_BASE_STAGE && st->base_stage >= 0 && (uint32_t)st->base_stage < st->index &&
	    depth < 64) {
		/* the parent's model is built for this one only: its lists are taken over, not copied */
		build(m, st->base_stage, cat, a, tmp, out, made, depth + 1);
		/* SHELL, like everything else here, is part of the parent image's configuration */
	} else if (st->base_kind == DS_BASE_SCRATCH) {
		out->base = "scratch";
		scratch_config(a, out);
	} else if (st->base_kind == DS_BASE_IMAGE && st->has_image) {
		out->base = st->base;
		struct ds_image_config k;
		memset(&k, 0, sizeof k);
		if (cat)
			ds_catalog_image_config(cat, &st->image, a, &k);
		from_config(a, out, &k);
	} else {
		out->base = NULL;
		struct ds_image_config k;
		memset(&k, 0, sizeof k);
		from_config(a, out, &k);
	}
	struct expand_ctx x = { m, st, out, 0, false };
	bool cmd_set = false;
	for (uint32_t i = st->first + 1; i <= st->last && i < m->df->ninstrs; i++)
		apply(&x, out, &m->df->instrs[i], &cmd_set);
	uint32_t n = m->df->ninstrs, last = st->last < n ? st->last : n ? n - 1 : 0;
	if (st->first + 1 <= last && made->nranges < MADE_MAX_RANGES) {
		made->ranges[made->nranges].first = st->first + 1;
		made->ranges[made->nranges].last = last;
		made->nranges++;
	}
	resolve_user(a, m, tmp, out, made, &out->user);
	argv_concat(a, &out->argv, &out->entrypoint, &out->cmd);
	return 0;
}

int ds_image_model_build(const struct ds_model *m, int stage, const struct ds_catalog *cat,
			 struct ds_arena *a, struct ds_image_model *out)
{
	if (stage < 0)
		stage = m->final;
	struct made_list made;
	memset(&made, 0, sizeof made);
	struct ds_arena tmp = DS_ARENA_INIT;
	int rc = build(m, stage, cat, a, &tmp, out, &made, 0);
	ds_arena_release(&tmp);
	return rc;
}

size_t ds_image_model_accounts(const struct ds_model *m, int stage, struct ds_arena *a, struct ds_im_account **out)
{
	*out = NULL;
	if (stage < 0)
		stage = m->final;
	if (stage < 0 || (uint32_t)stage >= m->nstages)
		return 0;
	struct made_list made;
	memset(&made, 0, sizeof made);
	struct ds_arena tmp = DS_ARENA_INIT;
	made_from_stage(m, &tmp, (uint32_t)stage, true, true, &made, 0, NULL);
	ds_arena_release(&tmp);
	if (!made.n)
		return 0;
	*out = ds_arena_alloc(a, made.n * sizeof **out);
	for (size_t i = 0; i < made.n; i++)
		(*out)[i] = (struct ds_im_account){ made.v[i].name, made.v[i].id, made.v[i].group, made.v[i].where };
	return made.n;
}

/* ---- comparison ---- */

static void add_diff(struct ds_arena *a, struct ds_im_diff **v, size_t *n, size_t *cap, enum ds_im_field f,
		     const char *key, const char *before, const char *after, bool unknown, bool from_base)
{
	*v = ds_arena_grow(a, *v, sizeof **v, *n, cap);
	(*v)[(*n)++] = (struct ds_im_diff){ f, key, before, after, unknown, from_base };
}

static bool argv_equal(const struct ds_im_argv *x, const struct ds_im_argv *y)
{
	if (!x->known || !y->known || x->n != y->n)
		return false;
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->v[i], y->v[i]))
			return false;
	return true;
}

static const char *str_text(const struct ds_im_str *s)
{
	return !s->known ? "(unknown)" : s->v ? s->v : "(unset)";
}

static const char *user_text(struct ds_arena *a, const struct ds_im_user *u)
{
	if (!u->known)
		return "(unknown)";
	const char *who = *u->spec ? u->spec : "root (default)";
	if (u->uid >= 0)
		return ds_arena_printf(a, "%s (uid %ld%s)", who, u->uid,
				       u->gid >= 0 ? ds_arena_printf(a, ", gid %ld", u->gid) : "");
	return who;
}

/* Same identity: both known and the same ids, or the same spec when ids are unknown. */
static bool user_equal(const struct ds_im_user *x, const struct ds_im_user *y)
{
	if (!x->known || !y->known)
		return false;
	if (x->uid >= 0 && y->uid >= 0) {
		if (x->uid != y->uid)
			return false;
		if (x->gid >= 0 || y->gid >= 0)
			return x->gid == y->gid;
		return true;
	}
	return !strcmp(x->spec, y->spec) && x->uid == y->uid;
}

static void diff_list(struct ds_arena *a, enum ds_im_field f, const struct ds_im_list *x, const struct ds_im_list *y,
		      struct ds_im_diff **v, size_t *n, size_t *cap)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct ds_im_kv *e = &x->v[i];
		const struct ds_im_kv *o = list_find(y, e->key);
		if (!o) {
			add_diff(a, v, n, cap, f, e->key, e->value ? e->value : "(set)", y->base_known ? "(unset)" : "(unknown)",
				 !y->base_known, !e->where);
			continue;
		}
		bool same = (!e->value && !o->value) || (e->value && o->value && !strcmp(e->value, o->value));
		if (!e->value || !o->value)
			same = same && f != DS_IM_ENV; /* an unknown value cannot be shown equal */
		/* both from the bases, or the same text expanding the bases' variables */
		bool base = (!e->where && !o->where) ||
			    (e->where && o->where && e->raw && o->raw && !strcmp(e->raw, o->raw) && strchr(e->raw, '$'));
		if (!same)
			add_diff(a, v, n, cap, f, e->key, e->value ? e->value : "(unknown)", o->value ? o->value : "(unknown)",
				 !e->value || !o->value, base);
	}
	for (size_t i = 0; i < y->n; i++) {
		const struct ds_im_kv *o = &y->v[i];
		if (!list_find(x, o->key))
			add_diff(a, v, n, cap, f, o->key, x->base_known ? "(unset)" : "(unknown)", o->value ? o->value : "(set)",
				 !x->base_known, !o->where);
	}
}

size_t ds_image_model_diff(const struct ds_image_model *x, const struct ds_image_model *y,
			   struct ds_arena *a, struct ds_im_diff **out)
{
	struct ds_im_diff *v = NULL;
	size_t n = 0, cap = 0;
	if (!x->workdir.known || !y->workdir.known || !x->workdir.v != !y->workdir.v ||
	    (x->workdir.v && strcmp(x->workdir.v, y->workdir.v)))
		add_diff(a, &v, &n, &cap, DS_IM_WORKDIR, NULL, str_text(&x->workdir), str_text(&y->workdir),
			 !x->workdir.known || !y->workdir.known, false);
	if (!user_equal(&x->user, &y->user))
		add_diff(a, &v, &n, &cap, DS_IM_USER, NULL, user_text(a, &x->user), user_text(a, &y->user),
			 !x->user.known || !y->user.known ||
				 ((x->user.uid < 0 || y->user.uid < 0) && !strcmp(x->user.spec, y->user.spec)),
			 false);
	diff_list(a, DS_IM_ENV, &x->env, &y->env, &v, &n, &cap);
	diff_list(a, DS_IM_LABEL, &x->labels, &y->labels, &v, &n, &cap);
	if (!argv_equal(&x->argv, &y->argv))
		add_diff(a, &v, &n, &cap, DS_IM_ARGV, NULL, ds_im_argv_text(a, &x->argv), ds_im_argv_text(a, &y->argv),
			 !x->argv.known || !y->argv.known, false);
	diff_list(a, DS_IM_EXPOSE, &x->expose, &y->expose, &v, &n, &cap);
	diff_list(a, DS_IM_VOLUME, &x->volumes, &y->volumes, &v, &n, &cap);
	const struct ds_im_health *hx = &x->health, *hy = &y->health;
	bool hsame = hx->known && hy->known && hx->set == hy->set && hx->none == hy->none &&
		     (!hx->set || hx->none || (argv_equal(&hx->test, &hy->test) && !strcmp(hx->options, hy->options)));
	if (!hsame)
		add_diff(a, &v, &n, &cap, DS_IM_HEALTHCHECK, NULL,
			 !hx->known ? "(unknown)" : !hx->set ? "(none)" : hx->none ? "NONE" : ds_im_argv_text(a, &hx->test),
			 !hy->known ? "(unknown)" : !hy->set ? "(none)" : hy->none ? "NONE" : ds_im_argv_text(a, &hy->test),
			 !hx->known || !hy->known, false);
	if (!x->stopsignal.known || !y->stopsignal.known || !x->stopsignal.v != !y->stopsignal.v ||
	    (x->stopsignal.v && strcasecmp(x->stopsignal.v, y->stopsignal.v)))
		add_diff(a, &v, &n, &cap, DS_IM_STOPSIGNAL, NULL, str_text(&x->stopsignal), str_text(&y->stopsignal),
			 !x->stopsignal.known || !y->stopsignal.known, false);
	bool osame = x->nonbuild == y->nonbuild;
	for (size_t i = 0; osame && i < x->nonbuild; i++)
		osame = !strcmp(x->onbuild[i], y->onbuild[i]);
	if (!osame)
		add_diff(a, &v, &n, &cap, DS_IM_ONBUILD, NULL, ds_arena_printf(a, "%zu trigger(s)", x->nonbuild),
			 ds_arena_printf(a, "%zu trigger(s)", y->nonbuild), false, false);
	*out = v;
	return n;
}
