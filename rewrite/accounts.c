/*
 * accounts.c - steps 3 and 4 for the users a final stage makes: kept in the runtime image, not renamed.
 *
 * A final stage that makes users and groups (adduser, useradd, addgroup,
 * groupadd) and then runs as one, or gives one files, would on a runtime
 * that lacks them have them renamed to the runtime's non-root user: a
 * declared change of kind user. Instead, when the commands are understood
 * and nothing collides with the runtime's own accounts, an accounts stage
 * makes them as the original did and writes the runtime's own /etc/passwd
 * and /etc/group with their lines added; the runtime stage copies those
 * in, and the home folders the commands made (empty, with their owner and
 * mode: the build's caches and whatever else it left there stay behind),
 * so names, ids, groups and homes stay what they were, and USER and
 * --chown keep their names:
 *
 *   split  FROM <builder> AS NAME-accounts: the original final stage
 *          itself, so every account is as the original image had it;
 *   swap   FROM <the original image> AS NAME-accounts, then the final
 *          chain's ARG, ENV, WORKDIR, USER and SHELL lines and its RUNs
 *          that make accounts, as written, up to the last such RUN (its
 *          other RUNs install only what the runtime has, which makes no
 *          accounts, or clean up);
 *   then   COPY --from=<runtime> /etc/passwd /etc/group /distill-accounts/etc/
 *          RUN grep '^NAME:' /etc/passwd >> /distill-accounts/etc/passwd && ...
 *
 * and right after the runtime stage's FROM (COPY --from keeps the owners
 * the accounts stage's files have):
 *
 *   COPY --from=NAME-accounts /distill-accounts/etc/passwd /distill-accounts/etc/group /etc/
 *   COPY --from=NAME-accounts /distill-accounts/home/ /home/
 *
 * A grep that finds no line fails the build, so an account the commands
 * did not make after all stops it rather than going missing. The
 * conversion renames instead, as before, when a command is not understood
 * (an option it does not follow, supplementary groups, usermod and the
 * like, a name in a variable, a command that may not run), when a name or
 * id is one the runtime already has, when the runtime has no /etc/passwd,
 * when a home folder is outside /home, or when later stages follow the
 * final one. The proof (cv_prove_accounts) checks that the accounts stage
 * runs on the original image; when a builder move changed that image, the
 * conversion runs again without keeping accounts.
 */
#include "rewrite/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "analyze/accounts.h"
#include "analyze/image.h"
#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"

/* Where the accounts stage writes the runtime's files with the accounts added. */
#define ACC_DIR "/distill-accounts"

/* The most users, groups or home folders an accounts stage carries (one grep or mkdir each). */
#define MAX_KEPT 64

static bool in_list(const char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return true;
	return false;
}

/* Adds name to v[0..*n), a list of at most MAX_KEPT; false when full. */
static bool add_name(struct cv *c, const char ***v, size_t *n, const char *name)
{
	if (in_list(*v, *n, name))
		return true;
	if (*n >= MAX_KEPT)
		return false;
	if (!*v)
		*v = ds_arena_alloc(c->a, MAX_KEPT * sizeof **v);
	(*v)[(*n)++] = name;
	return true;
}

void cv_names_index(struct ds_arena *a, struct ds_hmap *h, const struct ds_im_account *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*ds_hmap_put(h, a, v[i].name, strlen(v[i].name), 0, NULL) |= v[i].group ? 2u : 1u;
}

bool cv_names_has(const struct ds_hmap *h, const char *name, size_t len, bool group)
{
	const uint32_t *k = ds_hmap_get(h, name, len);
	return k && (*k & (group ? 2u : 1u));
}

bool cv_account_kept(const struct cv *c, const char *name, bool group)
{
	if (c->acc.keep && in_list(group ? c->acc.groups : c->acc.users, group ? c->acc.ngroups : c->acc.nusers, name))
		return true;
	return cv_names_has(&c->acc.copied, name, strlen(name), group);
}

const char *cv_map_user(struct cv *c, const char *spec, bool *changed)
{
	const char *m = ds_convert_map_user(c->a, c->rt, spec, changed);
	if (!*changed)
		return m;
	const char *colon = strchr(spec, ':');
	const char *user = ds_arena_strndup(c->a, spec, colon ? (size_t)(colon - spec) : strlen(spec));
	const char *group = colon ? colon + 1 : NULL;
	const char *mcolon = strchr(m, ':');
	const char *muser = ds_arena_strndup(c->a, m, mcolon ? (size_t)(mcolon - m) : strlen(m));
	const char *mgroup = mcolon ? mcolon + 1 : NULL;
	const char *u = cv_account_kept(c, user, false) ? user : muser;
	const char *g = group && *group && cv_account_kept(c, group, true) ? group : mgroup;
	const char *r = g ? ds_arena_printf(c->a, "%s:%s", u, g) : u;
	*changed = strcmp(r, spec) != 0;
	return *changed ? r : spec;
}

/* A name the accounts stage can look for with grep '^NAME:' as it is written. */
static bool plain_name(const char *n)
{
	if (!*n || n[0] == '-')
		return false;
	for (const char *p = n; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return false;
	return true;
}

/* What the chain's account commands make, or why they cannot be kept. */
struct made {
	const char **users, **groups, **homes;
	size_t nusers, ngroups, nhomes;
	const struct ds_instr **runs;         /* the RUNs that make accounts */
	size_t nruns, capruns;
	const char *why;                      /* set: not kept, and why */
	const struct ds_instr *why_at;
};

static void refuse(struct made *mk, const struct ds_instr *at, const char *why)
{
	if (!mk->why) {
		mk->why = why;
		mk->why_at = at;
	}
}

/* An id option's value, expanded with the RUN's ARGs when it is a variable; -1 when not a number. */
static long id_of(struct cv *c, const struct run *r, const struct ds_account_cmd *ac)
{
	if (ac->id >= 0 || !ac->id_word)
		return ac->id;
	bool unset = false;
	const char *v = cv_expand(c, r->st, r->in, ac->id_word, &unset);
	return unset ? -1 : ds_account_id(v, strlen(v));
}

/* Whether the runtime has an account with numeric id (group: a group). */
static bool runtime_has_id(struct cv *c, long id, bool group)
{
	const char *s = ds_arena_printf(c->a, "%ld", id);
	return group ? ds_catalog_accounts_group(c->rt->accounts, s) != NULL
		     : ds_catalog_accounts_user(c->rt->accounts, s) != NULL;
}

/* Reads the account commands of the chain's RUNs into mk. */
static void read_commands(struct cv *c, const struct an *an, struct made *mk)
{
	static const char *const tools[] = { "adduser", "useradd", "addgroup", "groupadd", "usermod", "groupmod",
					     "deluser", "delgroup", "userdel", "groupdel", NULL };
	const struct ds_catalog_accounts *rta = c->rt->accounts;
	for (size_t i = 0; i < an->nruns; i++) {
		const struct run *r = &an->runs[i];
		if (!r->ok) {
			for (size_t k = 0; tools[k] && r->script; k++)
				if (strstr(r->script, tools[k]))
					refuse(mk, r->in, ds_arena_printf(c->a, "this RUN cannot be read, and it may call '%s'", tools[k]));
			continue;
		}
		bool makes = false;
		for (size_t j = 0; j < r->n; j++) {
			const struct ds_shell_cmd *cmd = &r->cmds[j];
			struct ds_account_cmd ac;
			if (!ds_account_cmd_read(cmd, &ac))
				continue;
			makes = true;
			const char *nm = ds_shell_cmd_name(cmd);
			/* the names first: a refusal is reported only when the final image uses one of them */
			if (ac.name && plain_name(ac.name) &&
			    (!add_name(c, ac.group ? &mk->groups : &mk->users, ac.group ? &mk->ngroups : &mk->nusers, ac.name) ||
			     (ac.own_group && !add_name(c, &mk->groups, &mk->ngroups, ac.name))))
				refuse(mk, r->in, ds_arena_printf(c->a, "more than %d users or groups are made", MAX_KEPT));
			if (ac.unsure) {
				refuse(mk, r->in, ds_arena_printf(c->a, "'%s' here cannot be followed: %s", nm, ac.unsure));
				continue;
			}
			if (cmd->depth || cmd->op == DS_SH_OR || cmd->in_pipeline) {
				refuse(mk, r->in, ds_arena_printf(c->a, "'%s' here may not run", nm));
				continue;
			}
			if (!plain_name(ac.name)) {
				refuse(mk, r->in, ds_arena_printf(c->a, "the name '%s' made here is not a plain account name", ac.name));
				continue;
			}
			long id = id_of(c, r, &ac);
			const char *kind = ac.group ? "group" : "user";
			if (ac.group ? ds_catalog_accounts_group(rta, ac.name) != NULL : ds_catalog_accounts_user(rta, ac.name) != NULL)
				refuse(mk, r->in, ds_arena_printf(c->a, "'%s' has a %s '%s' of its own", c->rt_ref, kind, ac.name));
			else if (id >= 0 && runtime_has_id(c, id, ac.group))
				refuse(mk, r->in, ds_arena_printf(c->a, "'%s' has a %s with id %ld of its own", c->rt_ref, kind, id));
			/* a user's own group takes the uid as its gid where that is free (busybox), else the next free one */
			else if (ac.own_group && ds_catalog_accounts_group(rta, ac.name))
				refuse(mk, r->in, ds_arena_printf(c->a, "'%s' has a group '%s' of its own", c->rt_ref, ac.name));
			else if (ac.own_group && id >= 0 && runtime_has_id(c, id, true))
				refuse(mk, r->in, ds_arena_printf(c->a, "'%s' has a group with id %ld of its own, which the group of '%s' may take",
								  c->rt_ref, id, ac.name));
			if (ac.group)
				continue;
			const char *home = ac.home ? ac.home : ds_arena_printf(c->a, "/home/%s", ac.name);
			if (ac.no_home || !strcmp(home, "/nonexistent") || !strcmp(home, "/dev/null"))
				continue;
			home = ds_path_norm(c->a, home);
			const char *base = ds_str_basename(home);
			if (ds_str_has_expansion(home) || !plain_name(base) || strcmp(home, ds_arena_printf(c->a, "/home/%s", base))) {
				refuse(mk, r->in, ds_arena_printf(c->a, "the home folder '%s' of '%s' is not a folder of /home", home, ac.name));
				continue;
			}
			if (!add_name(c, &mk->homes, &mk->nhomes, home))
				refuse(mk, r->in, ds_arena_printf(c->a, "more than %d users or groups are made", MAX_KEPT));
		}
		if (makes) {
			mk->runs = ds_arena_grow(c->a, mk->runs, sizeof *mk->runs, mk->nruns, &mk->capruns);
			mk->runs[mk->nruns++] = r->in;
		}
	}
}

/* Whether the final image refers to a name this conversion would otherwise rename, that mk's commands make. */
static bool referenced(struct cv *c, const struct an *an, const struct made *mk)
{
	const char **specs = NULL;
	size_t n = 0, cap = 0;
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (in && in->kind == DS_I_USER && in->nargs) {
				specs = ds_arena_grow(c->a, specs, sizeof *specs, n, &cap);
				specs[n++] = cv_expand(c, c->chain[s], in, in->args[0].text, NULL);
			}
		}
	for (size_t i = 0; i < an->ncopies; i++)
		if (an->copies[i].chown) {
			specs = ds_arena_grow(c->a, specs, sizeof *specs, n, &cap);
			specs[n++] = an->copies[i].chown;
		}
	for (size_t i = 0; i < an->nruns; i++)
		for (size_t j = 0; j < an->runs[i].n; j++) {
			const struct ds_shell_cmd *cmd = &an->runs[i].cmds[j];
			bool grp = ds_shell_cmd_is(cmd, "chgrp");
			if (!grp && !ds_shell_cmd_is(cmd, "chown"))
				continue;
			size_t k = ds_shell_cmd_first_operand(cmd);
			if (k < cmd->argc && !cmd->argv[k].expands) {
				specs = ds_arena_grow(c->a, specs, sizeof *specs, n, &cap);
				specs[n++] = grp ? ds_arena_printf(c->a, ":%s", cmd->argv[k].text) : cmd->argv[k].text;
			}
		}
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(specs[i], ':');
		const char *user = ds_arena_strndup(c->a, specs[i], colon ? (size_t)(colon - specs[i]) : strlen(specs[i]));
		const char *group = colon ? colon + 1 : "";
		if (*user && !ds_catalog_runtime_user(c->rt, user) && in_list(mk->users, mk->nusers, user))
			return true;
		if (*group && !ds_catalog_runtime_group(c->rt, group) && in_list(mk->groups, mk->ngroups, group))
			return true;
	}
	return false;
}

static bool stage_taken(const struct cv *c, const char *name)
{
	return ds_model_find_stage(c->m, name, c->m->nstages) >= 0;
}

void cv_plan_accounts(struct cv *c, struct an *an, int mode)
{
	struct cv_accounts *k = &c->acc;
	memset(k, 0, sizeof *k);
	/* the accounts a COPY of passwd or group files brings stay with it (not in a split, whose builder keeps that COPY) */
	struct ds_im_account *all = NULL;
	size_t nall = mode != 2 ? ds_image_model_accounts(c->m, (int)c->fs->index, c->a, &all) : 0, ncopied = 0;
	for (size_t i = 0; i < nall; i++)
		if (all[i].where && all[i].where->kind != DS_I_RUN)
			all[ncopied++] = all[i];
	cv_names_index(c->a, &k->copied, all, ncopied);
	if (mode == 0 || !c->rt || c->scratch || !c->rt->accounts)
		return;
	struct made mk;
	memset(&mk, 0, sizeof mk);
	read_commands(c, an, &mk);
	if (!mk.nruns || !referenced(c, an, &mk))
		return; /* nothing it makes would be renamed */
	if (c->no_accounts)
		refuse(&mk, mk.runs[0], c->no_accounts);
	if (!ds_catalog_runtime_has_path(c->rt, "/etc/passwd") || !ds_catalog_runtime_has_path(c->rt, "/etc/group"))
		refuse(&mk, mk.runs[0], ds_arena_printf(c->a, "'%s' has no /etc/passwd and /etc/group to add them to", c->rt_ref));
	if (c->fs->index + 1 != c->m->nstages)
		refuse(&mk, mk.runs[0], "stages follow the final one, and a stage more would renumber them");
	if (!c->has_cls || (c->cls.family != DS_FAMILY_ALPINE && c->cls.family != DS_FAMILY_BUSYBOX &&
			    c->cls.family != DS_FAMILY_DEBIAN && c->cls.family != DS_FAMILY_UBUNTU))
		refuse(&mk, mk.runs[0], ds_arena_printf(c->a, "which adduser or useradd '%s' has is not known", c->root->base));
	if (mk.why) {
		cv_note(c, AT_INSTR(c, mk.why_at), "DST106",
			"the users and groups made here stay out of the runtime image, so the names it lacks become its own: %s",
			mk.why);
		return;
	}
	const char *name_raw = c->fs->from->nargs >= 3 ? c->fs->from->args[2].text : NULL;
	const char *base = name_raw ? ds_arena_printf(c->a, "%s-accounts", name_raw) : "accounts";
	const char *name = base;
	for (int i = 2; stage_taken(c, name) && i < 1000; i++)
		name = ds_arena_printf(c->a, "%s-%d", base, i);
	k->keep = true;
	k->stage = name;
	k->users = mk.users;
	k->nusers = mk.nusers;
	k->groups = mk.groups;
	k->ngroups = mk.ngroups;
	k->homes = mk.homes;
	k->nhomes = mk.nhomes;
	k->runs = mk.runs;
	k->nruns = mk.nruns;
	struct ds_buf b = DS_BUF_INIT;
	for (size_t i = 0; i < mk.nusers; i++)
		ds_buf_addf(&b, "%s'%s'", !i ? "" : i + 1 == mk.nusers ? " and " : ", ", mk.users[i]);
	bool one = mk.nusers == 1;
	const char *them = one ? "it" : "them";
	cv_note(c, AT_INSTR(c, mk.runs[0]), "DST106",
		"%s %s %s: stage '%s' %s, and adds %s to the runtime's /etc/passwd and /etc/group, which the runtime stage copies in",
		b.buf, one ? "keeps its" : "keep their",
		mk.nhomes ? (one ? "name, ids and home folder" : "names, ids and home folders") : (one ? "name and ids" : "names and ids"),
		name,
		mode == 2 ? ds_arena_printf(c->a, "starts from the builder stage, where the commands that make %s ran", them)
			  : ds_arena_printf(c->a, "runs the commands that make %s on '%s', as the original did", them, c->root->base),
		them);
	ds_buf_release(&b);
}

bool cv_copies_accounts_only(const struct copy *cp)
{
	static const char *const files[] = { "passwd", "group", "shadow", "gshadow", NULL };
	for (size_t i = 0; i < cp->nsrcs; i++)
		if (!ds_str_has_prefix(cp->srcs[i], ACC_DIR "/") && !ds_str_in_list(ds_str_basename(cp->srcs[i]), files))
			return false;
	return cp->nsrcs > 0;
}

bool cv_accounts_made_by(const struct cv *c, const struct ds_instr *run)
{
	for (size_t i = 0; c->acc.keep && i < c->acc.nruns; i++)
		if (c->acc.runs[i] == run)
			return true;
	return false;
}

/* Appends line and the file's line end. */
static void line(const struct cv *c, struct ds_buf *b, const char *text)
{
	ds_buf_adds(b, text);
	ds_buf_adds(b, c->eol);
}

/* A grep pattern for an account name: '.' matches itself. */
static const char *pattern(struct cv *c, const char *name)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_addc(&b, '^');
	for (const char *p = name; *p; p++) {
		if (*p == '.')
			ds_buf_addc(&b, '\\');
		ds_buf_addc(&b, *p);
	}
	ds_buf_addc(&b, ':');
	const char *r = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

static bool is_root_spec(const char *u)
{
	size_t n = strcspn(u, ":");
	return !n || (n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0');
}

/*
 * The USER the accounts stage runs as before its last RUN: the builder's
 * (split: the USER lines after the final stage's last RUN went to the
 * runtime stage) or, swap, the last USER replayed up to index upto; else
 * the image's own. NULL when unknown.
 */
static const char *stage_user(struct cv *c, bool split, uint32_t upto)
{
	uint32_t last_run = c->fs->first;
	for (uint32_t i = c->fs->first + 1; split && i <= c->fs->last; i++)
		if (cv_instr_at(c, i) && cv_instr_at(c, i)->kind == DS_I_RUN)
			last_run = i;
	const char *u = NULL;
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last && i <= upto; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (in && in->kind == DS_I_USER && in->nargs && !(split && c->chain[s] == c->fs && i > last_run))
				u = cv_expand(c, c->chain[s], in, in->args[0].text, NULL);
		}
	if (u)
		return u;
	struct ds_image_config bc;
	if (!c->root->has_image || ds_catalog_image_config(c->cat, &c->root->image, c->a, &bc) < 0 || !bc.has_user)
		return NULL;
	return bc.user ? bc.user : "";
}

const char *cv_accounts_stage(struct cv *c, const char *builder)
{
	const struct cv_accounts *k = &c->acc;
	if (!k->keep)
		return "";
	struct ds_buf b = DS_BUF_INIT;
	line(c, &b, "# the users and groups the original image made, added to the runtime's own");
	/* the RUN below writes as root; the stage then runs as its user again (every stage's last USER counts: DL3002) */
	const char *user = stage_user(c, builder != NULL, builder ? UINT32_MAX : k->runs[k->nruns - 1]->index);
	bool root = user && is_root_spec(user);
	if (builder) {
		line(c, &b, ds_arena_printf(c->a, "%s %s %s %s", cv_kw(c, "FROM"), builder, cv_kw(c, "AS"), k->stage));
	} else {
		const struct ds_instr *rf = c->root->from;
		const char *flags = "";
		if (rf->nflags) {
			uint32_t fo = rf->flags[0].span.off, fe = rf->flags[rf->nflags - 1].span.end;
			flags = ds_arena_printf(c->a, " %.*s", (int)(fe - fo), c->src + fo);
		}
		line(c, &b, ds_arena_printf(c->a, "%s%s %s %s %s", cv_kw(c, "FROM"), flags, rf->args[0].text, cv_kw(c, "AS"), k->stage));
		/* what the RUNs that make the accounts ran with, and those RUNs, as written */
		for (size_t s = 0; s < c->nchain; s++)
			for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last && i <= k->runs[k->nruns - 1]->index; i++) {
				const struct ds_instr *in = cv_instr_at(c, i);
				if (!in)
					break;
				switch (in->kind) {
				case DS_I_RUN:
					if (!cv_accounts_made_by(c, in))
						break;
					/* fall through */
				case DS_I_ARG:
				case DS_I_ENV:
				case DS_I_WORKDIR:
				case DS_I_SHELL:
					line(c, &b, cv_instr_text(c, in, false));
					break;
				case DS_I_USER:
					line(c, &b, cv_instr_text(c, in, false));
					break;
				default:
					break;
				}
			}
	}
	if (!root)
		line(c, &b, ds_arena_printf(c->a, "%s root", cv_kw(c, "USER")));
	line(c, &b, ds_arena_printf(c->a, "%s --from=%s /etc/passwd /etc/group %s/etc/", cv_kw(c, "COPY"), c->rt_ref, ACC_DIR));
	struct ds_buf run = DS_BUF_INIT;
	const char *cont = ds_arena_printf(c->a, " && %c%s    ", c->df->escape, c->eol);
	for (size_t i = 0; i < k->nusers; i++)
		ds_buf_addf(&run, "%sgrep '%s' /etc/passwd >> %s/etc/passwd", run.len ? cont : "", pattern(c, k->users[i]), ACC_DIR);
	for (size_t i = 0; i < k->ngroups; i++)
		ds_buf_addf(&run, "%sgrep '%s' /etc/group >> %s/etc/group", run.len ? cont : "", pattern(c, k->groups[i]), ACC_DIR);
	if (k->nhomes)
		ds_buf_addf(&run, "%smkdir -p %s/home", cont, ACC_DIR);
	/* each home folder as it is (owner, group, mode), without what the build left in it */
	const char *cont2 = ds_arena_printf(c->a, " && %c%s        ", c->df->escape, c->eol);
	for (size_t i = 0; i < k->nhomes; i++) {
		const char *h = k->homes[i];
		ds_buf_addf(&run, "%sif [ -d %s ]; then mkdir %s%s%s", cont, h, ACC_DIR, h, cont2);
		ds_buf_addf(&run, "chown \"$(stat -c %%u:%%g %s)\" %s%s%s", h, ACC_DIR, h, cont2);
		ds_buf_addf(&run, "chmod \"$(stat -c %%a %s)\" %s%s; fi", h, ACC_DIR, h);
	}
	line(c, &b, ds_arena_printf(c->a, "%s %s", cv_kw(c, "RUN"), run.buf));
	ds_buf_release(&run);
	if (!root && user && *user)
		line(c, &b, ds_arena_printf(c->a, "%s %s", cv_kw(c, "USER"), user));
	line(c, &b, "");
	const char *r = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

const char *cv_accounts_copies(struct cv *c)
{
	const struct cv_accounts *k = &c->acc;
	if (!k->keep)
		return "";
	struct ds_buf b = DS_BUF_INIT;
	line(c, &b, ds_arena_printf(c->a, "%s --from=%s %s/etc/passwd %s/etc/group /etc/", cv_kw(c, "COPY"), k->stage, ACC_DIR, ACC_DIR));
	if (k->nhomes)
		line(c, &b, ds_arena_printf(c->a, "%s --from=%s %s/home/ /home/", cv_kw(c, "COPY"), k->stage, ACC_DIR));
	const char *r = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* The stage at the root of stage s's chain in m. */
static const struct ds_stage *root_of(const struct ds_model *m, int s)
{
	const struct ds_stage *st = s >= 0 && (uint32_t)s < m->nstages ? &m->stages[s] : NULL;
	for (unsigned g = 0; st && g < MAX_CHAIN; g++) {
		if (st->base_kind != DS_BASE_STAGE || st->base_stage < 0 || (uint32_t)st->base_stage >= st->index)
			break;
		st = &m->stages[st->base_stage];
	}
	return st;
}

int cv_prove_accounts(struct cv *c, const struct ds_model *m, const char **why)
{
	const struct cv_accounts *k = &c->acc;
	if (!k->keep)
		return 0;
	struct ds_im_account *v;
	size_t n = ds_image_model_accounts(m, m->final, c->a, &v);
	for (size_t i = 0; i < k->nusers + k->ngroups; i++) {
		bool group = i >= k->nusers;
		const char *name = group ? k->groups[i - k->nusers] : k->users[i];
		const struct ds_im_account *e = NULL;
		for (size_t j = n; j-- > 0 && !e;)
			if (v[j].group == group && !strcmp(v[j].name, name) && v[j].where && v[j].where->kind != DS_I_RUN)
				e = &v[j];
		if (!e) {
			*why = ds_arena_printf(c->a, "the runtime stage lacks the %s '%s' the original made", group ? "group" : "user", name);
			return -1;
		}
		const struct ds_stage *st = ds_model_stage_of(m, e->where->index);
		const struct ds_dep *d = st ? ds_stage_dep_of(st, e->where, false) : NULL;
		const struct ds_stage *r = d ? root_of(m, d->stage) : NULL;
		if (!r || r->base_kind != DS_BASE_IMAGE || !r->base || !c->root->base || strcmp(r->base, c->root->base)) {
			*why = ds_arena_printf(c->a, "the %s '%s' would be made on '%s', not on the original's '%s'", group ? "group" : "user",
					       name, r && r->base ? r->base : "?", c->root->base ? c->root->base : "?");
			c->acc.retry = *why;
			return -1;
		}
	}
	return 0;
}
