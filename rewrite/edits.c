/* edits.c - step 4, the edits: the split runtime stage, in-place fixes, and the output text. */
#include "rewrite/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"

/* An ENV line for NAME=value, the value quoted when it holds blanks or quotes. */
static const char *env_line(struct cv *c, const char *kv);

/* A keyword in the case the file uses for FROM. */
const char *cv_kw(const struct cv *c, const char *upper)
{
	const char *k = c->fs->from ? c->fs->from->keyword : "FROM";
	if (!k || !islower((unsigned char)k[0]))
		return upper;
	char *l = ds_arena_strdup(c->a, upper);
	for (char *p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

static const char *env_line(struct cv *c, const char *kv)
{
	const char *eq = strchr(kv, '=');
	const char *v = eq + 1;
	if (!strpbrk(v, " \t\"'\\") && *v)
		return ds_arena_printf(c->a, "%s %s", cv_kw(c, "ENV"), kv);
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_addf(&b, "%s %.*s=\"", cv_kw(c, "ENV"), (int)(eq - kv), kv);
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			ds_buf_addc(&b, '\\');
		ds_buf_addc(&b, *p);
	}
	ds_buf_addc(&b, '"');
	char *r = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* The folder a launcher changes to before the command (scripts.c), when the image does not start there already. */
static const char *ovr_workdir(struct cv *c, const struct an *an)
{
	if (!c->ovr_workdir)
		return NULL;
	const char *wd = an->workdir_set ? an->workdir : c->base_workdir;
	return wd && !strcmp(wd, c->ovr_workdir) ? NULL : c->ovr_workdir;
}

static void out_line(const struct cv *c, struct ds_buf *b, const char *text)
{
	ds_buf_adds(b, text);
	ds_buf_adds(b, c->eol);
}

/* The comment lines directly above in, line ends included ("" when none). */
static const char *comments_above(struct cv *c, const struct ds_instr *in)
{
	uint32_t b = cv_line_start(c, cv_comment_first_line(c, in));
	uint32_t e = cv_line_start(c, cv_instr_first_line(c, in));
	return ds_arena_strndup(c->a, c->src + b, e > b ? e - b : 0);
}

/* Names of the variables text refers to ($NAME, ${NAME...}). */
size_t cv_vars_in(struct cv *c, const char *t, const char ***out, size_t n, size_t *cap)
{
	for (const char *p = strchr(t, '$'); p; p = strchr(p + 1, '$')) {
		const char *s = p + 1;
		if (*s == '{')
			s++;
		const char *e = s;
		while (*e == '_' || isalnum((unsigned char)*e))
			e++;
		if (e == s || isdigit((unsigned char)*s))
			continue;
		char *name = ds_arena_strndup(c->a, s, (size_t)(e - s));
		bool dup = false;
		for (size_t i = 0; i < n && !dup; i++)
			dup = !strcmp((*out)[i], name);
		if (dup)
			continue;
		*out = ds_arena_grow(c->a, *out, sizeof **out, n, cap);
		(*out)[n++] = name;
	}
	return n;
}

/* The ARG instruction of the chain that declares name, or NULL. */
static const struct ds_instr *chain_arg(struct cv *c, const char *name, bool *is_env)
{
	*is_env = false;
	for (size_t s = c->nchain; s-- > 0;) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->last + 1; i-- > st->first + 1;) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in || in->kind != DS_I_ARG)
				continue;
			for (uint32_t k = 0; k < in->nargs; k++) {
				const char *w = in->args[k].text;
				size_t l = strcspn(w, "=");
				if (strlen(name) == l && !strncmp(w, name, l)) {
					*is_env = in->kind == DS_I_ENV;
					return in;
				}
			}
		}
	}
	return NULL;
}

static bool stage_name_taken(const struct cv *c, const char *name)
{
	return ds_model_find_stage(c->m, name, c->m->nstages) >= 0; /* indexed */
}

/*
 * W14: with --target-stage, stages after the split one keep meaning what
 * they meant: a name that now belongs to the new runtime stage becomes the
 * builder's (which holds everything the stage held), and stage numbers
 * after the inserted stage move up by one.
 */
static void shift_later_stages(struct cv *c, const char *bname)
{
	const struct ds_stage *fs = c->fs;
	for (uint32_t s = fs->index + 1; s < c->m->nstages; s++) {
		const struct ds_stage *st = &c->m->stages[s];
		if (st->base_kind == DS_BASE_STAGE && st->base_stage == (int)fs->index && st->from && st->from->nargs)
			cv_edit(c, st->from->args[0].span.off, st->from->args[0].span.end, bname);
		for (uint32_t k = 0; k < st->ndeps; k++) {
			const struct ds_dep *d = &st->deps[k];
			if (d->stage < (int)fs->index)
				continue;
			bool numeric = ds_str_all_digits(d->expanded, strlen(d->expanded));
			const char *to = NULL;
			if (numeric && d->stage > (int)fs->index)
				to = ds_arena_printf(c->a, "%d", d->stage + 1);
			else if (!numeric && d->stage == (int)fs->index)
				to = bname;
			if (!to)
				continue;
			const struct ds_flag *f = d->is_mount ? NULL : ds_instr_flag(d->in, "from");
			size_t rl = strlen(d->ref);
			if (!f || ds_str_has_expansion(d->ref) || f->span.end < rl ||
			    strncmp(c->src + f->span.end - rl, d->ref, rl)) {
				cv_manual(c, AT_INSTR(c, d->in), "DST201",
					  "this refers to stage '%s', which the conversion renames or renumbers to '%s'; change the reference by hand",
					  d->ref, to);
				continue;
			}
			cv_edit(c, f->span.end - (uint32_t)rl, f->span.end, to);
			cv_note(c, f->span.off, f->span.end, "DST201", "--from='%s' becomes '%s': the stage it named is now '%s'",
				d->ref, to, to);
		}
	}
}

/* The CMD the conversion adds (cv->add_cmd): the base image's, for the runtime's entrypoint. */
/*
 * COPY lines for what the runtime lacks and the image it replaces had
 * (catalogue `carry`: UBI micro's missing CA trust store), from stage or
 * image `from`; "" for none.
 */
static const char *carried(struct cv *c, const char *from)
{
	struct ds_buf b = DS_BUF_INIT;
	for (size_t i = 0; c->rt && from && i < c->rt->carry.n; i++) {
		const char *p = c->rt->carry.v[i];
		ds_buf_addf(&b, "%s --from=%s %s %s%s", cv_kw(c, "COPY"), from, p, p, c->eol);
		cv_note(c, AT_FROM(c), "DST201", "'%s' comes from '%s': '%s' lacks it", p, from, c->rt_ref);
	}
	const char *r = ds_arena_strndup(c->a, b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return r;
}

static const char *added_cmd(struct cv *c)
{
	return ds_arena_printf(c->a, "%s %s", cv_kw(c, "CMD"), ds_convert_json_array(c->a, c->add_cmd, c->nadd_cmd));
}

/*
 * A runtime that replaced the image (--target list) and names a builder of
 * its own (Chainguard's nginx:latest-dev): the builder stage builds on it, so
 * the files its RUNs change are the runtime's own layout, as root like the
 * original. Only when those RUNs just work on files (a package manager's
 * names differ between the two).
 */
static void builder_onto_dev(struct cv *c, struct an *an)
{
	const struct ds_instr *ff = c->fs->from;
	if (c->replaced < 0 || !c->rt || !c->rt->builder || c->nchain != 1 || !ff->nargs)
		return;
	for (size_t i = 0; i < an->nruns; i++) {
		const struct run *r = &an->runs[i];
		if (!r->ok || r->in->json)
			return;
		for (size_t j = 0; j < r->n; j++) {
			struct pkg *tp = NULL;
			size_t tn = 0, tc = 0;
			enum cv_cmd_class k = cv_cmd_class(c, &r->cmds[j], r->in, &tp, &tn, &tc);
			if (k == CC_PKG || k == CC_USER ||
			    (k == CC_BUILD && (!r->cmds[j].argc || !ds_str_in_list(ds_shell_cmd_name(&r->cmds[j]), cv_file_tools))))
				return;
		}
	}
	cv_edit(c, ff->args[0].span.off, ff->args[0].span.end, c->rt->builder);
	uint32_t at = cv_line_next(c, cv_instr_last_line(c, ff));
	bool unterminated = at == c->len && c->len && c->src[c->len - 1] != '\n';
	if (c->im0.user.known && c->im0.user.root == 1)
		cv_edit(c, at, at, ds_arena_printf(c->a, "%s%s root%s", unterminated ? c->eol : "", cv_kw(c, "USER"),
						unterminated ? "" : c->eol));
	cv_note(c, AT_INSTR(c, ff), "DST201",
		"the builder stage builds on '%s', the runtime's own image with a shell, so what its RUNs change is laid out as the runtime has it",
		c->rt->builder);
}

void cv_convert_split(struct cv *c, struct an *an, struct split *sp)
{
	const struct ds_stage *fs = c->fs;
	const struct ds_instr *ff = fs->from;
	const char *name_raw = ff->nargs >= 3 ? ff->args[2].text : NULL;
	const char *base = name_raw ? ds_arena_printf(c->a, "%s-build", name_raw) : "builder";
	const char *bname = base;
	for (int n = 2; stage_name_taken(c, bname) && n < 1000; n++)
		bname = ds_arena_printf(c->a, "%s-%d", base, n);
	sp->builder = bname;
	shift_later_stages(c, bname);
	if (name_raw)
		cv_edit(c, ff->args[2].span.off, ff->args[2].span.end, bname);
	else
		cv_edit(c, ff->args[0].span.end, ff->args[0].span.end, ds_arena_printf(c->a, " %s %s", cv_kw(c, "AS"), bname));
	cv_note(c, AT_INSTR(c, ff), "DST201",
	     "the final stage builds things: it became the builder stage '%s', and a new final stage runs on '%s'",
	     bname, c->rt_ref);
	builder_onto_dev(c, an);

	cv_compute_paths(c, an);

	/* what moves out of the builder */
	uint32_t last_run = fs->first;
	for (uint32_t i = fs->first + 1; i <= fs->last; i++)
		if (cv_instr_at(c, i) && cv_instr_at(c, i)->kind == DS_I_RUN)
			last_run = i;
	struct newcmd nhc = { 0 }, nep = { 0 }, ncmd = { 0 };
	const struct ds_instr *hc = cv_convert_commands(c, an, true, &nhc, &nep, &ncmd);

	for (uint32_t i = fs->first + 1; i <= fs->last; i++) {
		const struct ds_instr *in = cv_instr_at(c, i);
		if (!in)
			break;
		switch (in->kind) {
		case DS_I_CMD:
		case DS_I_ENTRYPOINT:
		case DS_I_HEALTHCHECK:
		case DS_I_EXPOSE:
		case DS_I_STOPSIGNAL:
		case DS_I_LABEL:
		case DS_I_MAINTAINER:
			cv_delete_instr(c, in);
			break;
		case DS_I_ONBUILD:
			cv_delete_instr(c, in);
			if (in->sub && in->sub->kind == DS_I_RUN)
				cv_declare(c, DS_CHANGE_ONBUILD, AT_INSTR(c, in), "DST104",
					   "ONBUILD RUN removed: images built FROM the runtime stage could not run it, as '%s' has no shell",
				     c->rt_ref);
			break;
		case DS_I_USER:
		case DS_I_VOLUME:
			if (i > last_run)
				cv_delete_instr(c, in);
			break;
		case DS_I_SHELL:
			cv_note(c, AT_INSTR(c, in), "DST104", "SHELL stays in the builder stage; the runtime stage has no shell");
			break;
		case DS_I_COPY:
		case DS_I_ADD: {
			const struct copy *cp = NULL;
			for (size_t k = 0; k < an->ncopies; k++)
				if (an->copies[k].in == in)
					cp = &an->copies[k];
			if (cp && cp->replay)
				cv_delete_instr(c, in);
			break;
		}
		case DS_I_RUN: {
			const struct run *r = cv_run_of(an, in);
			if (r && r->kind == RUN_DROP && an->hc_tool && nhc.drop) {
				bool only = true;
				for (size_t k = r->pkg0; k < r->pkg0 + r->npkg; k++)
					if (strcmp(an->pkgs[k].name, an->hc_tool) && !cv_pkg_provided(c, &an->pkgs[k]))
						only = false;
				if (only) {
					cv_delete_instr(c, in);
					cv_note(c, AT_INSTR(c, in), "DST101", "RUN removed: it installs '%s' for the HEALTHCHECK, which is removed",
					     an->hc_tool);
				}
			}
			break;
		}
		default:
			break;
		}
	}

	/* the accounts stage, then the runtime stage: FROM keeps the flags (--platform) and the spelling of AS */
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_adds(&b, cv_accounts_stage(c, bname));
	const char *flags = "";
	if (ff->nflags) {
		uint32_t fo = ff->flags[0].span.off, fe = ff->flags[ff->nflags - 1].span.end;
		flags = ds_arena_printf(c->a, " %.*s", (int)(fe - fo), c->src + fo);
	}
	if (name_raw)
		out_line(c, &b, ds_arena_printf(c->a, "%s%s %s %s %s", cv_kw(c, "FROM"), flags, c->rt_ref, ff->args[1].text, name_raw));
	else
		out_line(c, &b, ds_arena_printf(c->a, "%s%s %s", cv_kw(c, "FROM"), flags, c->rt_ref));
	struct ds_buf body = DS_BUF_INIT;
	ds_buf_adds(&body, cv_accounts_copies(c));
	ds_buf_adds(&body, carried(c, bname));
	const char **vars = NULL;
	size_t nvars = 0, capvars = 0;
	/* ENV, LABEL, MAINTAINER */
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in || (in->kind != DS_I_ENV && in->kind != DS_I_LABEL && in->kind != DS_I_MAINTAINER))
				continue;
			bool moved = c->chain[s] == fs && in->kind != DS_I_ENV;
			const char *t = cv_instr_text(c, in, moved);
			nvars = cv_vars_in(c, t, &vars, nvars, &capvars);
			out_line(c, &body, t);
		}
	for (size_t i = 0; i < c->novr_env; i++)
		out_line(c, &body, env_line(c, c->ovr_env[i]));
	if (an->npypath) {
		struct ds_buf v = DS_BUF_INIT;
		for (size_t i = 0; i < an->npypath; i++) {
			if (i)
				ds_buf_addc(&v, ':');
			ds_buf_adds(&v, an->pypath[i]);
		}
		const char *old = ds_scope_get(&fs->scope, "PYTHONPATH", 10);
		if (old && *old) {
			ds_buf_addc(&v, ':');
			ds_buf_adds(&v, old);
		}
		out_line(c, &body, ds_arena_printf(c->a, "%s PYTHONPATH=%s", cv_kw(c, "ENV"), v.buf));
		cv_declare(c, DS_CHANGE_ENV, AT_INSTR(c, ff), "DST201", "PYTHONPATH set to '%s' so that the runtime's python finds the installed packages",
		     v.buf);
		ds_buf_release(&v);
	}
	if (an->workdir_set || strcmp(an->workdir, cv_runtime_workdir(c)))
		out_line(c, &body, ds_arena_printf(c->a, "%s %s", cv_kw(c, "WORKDIR"), an->workdir));
	for (size_t i = 0; i < an->npaths; i++) {
		const struct apath *p = &an->paths[i];
		const char *chown = "";
		if (p->chown) {
			bool changed;
			const char *m = cv_map_user(c, p->chown, &changed);
			chown = ds_arena_printf(c->a, " --chown=%s", m);
			if (changed)
				cv_declare(c, DS_CHANGE_USER, p->why ? cv_instr_off(c, p->why) : cv_instr_off(c, ff),
					   p->why ? cv_instr_end(c, p->why) : cv_instr_end(c, ff), "DST106",
					   "owner '%s' of '%s' becomes '%s' in the runtime stage: '%s' has no such user or group",
					   p->chown, p->dst, m, c->rt_ref);
		}
		out_line(c, &body, ds_arena_printf(c->a, "%s --from=%s%s %s %s", cv_kw(c, "COPY"), bname, chown, p->src, p->dst));
		if (p->why)
			cv_note(c, AT_INSTR(c, p->why), "DST201", "'%s' is copied from the builder into the runtime stage", p->src);
	}
	size_t nreplay = 0;
	for (size_t i = 0; i < an->ncopies; i++) {
		const struct copy *cp = &an->copies[i];
		if (!cp->replay)
			continue;
		nreplay++;
		const char *t = cv_instr_text(c, cp->in, true);
		const struct ds_flag *f = ds_instr_flag(cp->in, "chown");
		if (f && f->value && cp->chown) {
			bool changed;
			const char *m = cv_map_user(c, cp->chown, &changed);
			if (changed) {
				uint32_t b0 = cv_line_start(c, cv_comment_first_line(c, cp->in));
				t = ds_arena_printf(c->a, "%.*s--chown=%s%.*s", (int)(f->span.off - b0), c->src + b0, m,
						    (int)(strlen(t) - (f->span.end - b0)), t + (f->span.end - b0));
				cv_declare(c, DS_CHANGE_USER, f->span.off, f->span.end, "DST106",
					   "--chown '%s' becomes '%s' in the runtime stage: '%s' has no such user or group",
					   cp->chown, m, c->rt_ref);
			}
		}
		nvars = cv_vars_in(c, t, &vars, nvars, &capvars);
		out_line(c, &body, t);
		cv_note(c, AT_INSTR(c, cp->in), "DST201", "%s moves to the runtime stage as it is: nothing after it changes its files",
		     ds_instr_keyword(cp->in->kind));
	}
	if (!an->npaths && !nreplay) {
		cv_manual(c, AT_INSTR(c, ff), "DST201",
		       "the runtime stage would copy nothing from the builder, so its RUNs would never run; say which files the program needs");
		c->abandon = true;
	}
	if (an->install && !c->rt_dl->language)
		cv_warn(c, AT_INSTR(c, an->install), "DST201",
		     "this RUN installs more than the program (libraries, data); the runtime stage copies only what it knows of, so add COPY lines for the rest the program needs");
	/* VOLUME, EXPOSE, STOPSIGNAL, ONBUILD */
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in || (in->kind != DS_I_VOLUME && in->kind != DS_I_EXPOSE && in->kind != DS_I_STOPSIGNAL &&
				    in->kind != DS_I_ONBUILD))
				continue;
			if (in->kind == DS_I_ONBUILD && (c->chain[s] != fs || (in->sub && in->sub->kind == DS_I_RUN)))
				continue;
			bool moved = c->chain[s] == fs && (in->kind != DS_I_VOLUME || i > last_run);
			const char *t = cv_instr_text(c, in, moved);
			nvars = cv_vars_in(c, t, &vars, nvars, &capvars);
			out_line(c, &body, t);
		}
	if (an->user_in) {
		const struct ds_instr *u = an->user_in;
		const char *spec = cv_expand(c, ds_model_stage_of(c->m, u->index), u, u->args[0].text, NULL);
		bool changed;
		const char *m = cv_map_user(c, spec, &changed);
		if (changed)
			cv_declare(c, DS_CHANGE_USER, AT_INSTR(c, u), "DST106",
				   "USER '%s' becomes '%s' in the runtime stage: '%s' has no such user or group", spec, m,
				   c->rt_ref);
		const char *cm = u->index > last_run && ds_model_stage_of(c->m, u->index) == fs ? comments_above(c, u) : "";
		ds_buf_adds(&body, cm);
		out_line(c, &body, ds_arena_printf(c->a, "%s %s", cv_kw(c, "USER"), m));
	} else {
		const char *u = cv_identity_user(c, cv_instr_off(c, ff), cv_instr_end(c, ff));
		if (u)
			out_line(c, &body, ds_arena_printf(c->a, "%s %s", cv_kw(c, "USER"), u));
	}
	if (c->ep_empty) {
		if (ds_model_stage_of(c->m, c->ep_empty->index) == fs)
			ds_buf_adds(&body, comments_above(c, c->ep_empty));
		out_line(c, &body, cv_instr_text(c, c->ep_empty, false));
	}
	const char *owd = ovr_workdir(c, an);
	if (owd)
		out_line(c, &body, ds_arena_printf(c->a, "%s %s", cv_kw(c, "WORKDIR"), owd));
	if (c->add_ep_clear)
		out_line(c, &body, ds_arena_printf(c->a, "%s []", cv_kw(c, "ENTRYPOINT")));
	if (c->add_cmd)
		out_line(c, &body, added_cmd(c));
	const struct ds_instr *cmds[3] = { hc, c->ep, c->cmd };
	const struct newcmd *ncs[3] = { &nhc, &nep, &ncmd };
	for (int k = 0; k < 3; k++) {
		const struct ds_instr *in = cmds[k];
		if (!in || ncs[k]->drop)
			continue;
		if (ds_model_stage_of(c->m, in->index) == fs)
			ds_buf_adds(&body, comments_above(c, in));
		if (ncs[k]->keep) {
			const char *t = cv_instr_text(c, in, false);
			nvars = cv_vars_in(c, t, &vars, nvars, &capvars);
			out_line(c, &body, t);
		} else {
			out_line(c, &body, cv_command_text(c, in, ncs[k]));
		}
	}
	/* ARGs the copied lines refer to */
	for (size_t i = 0; i < nvars; i++) {
		bool is_env;
		const struct ds_instr *ai = chain_arg(c, vars[i], &is_env);
		if (ai && is_env)
			continue;
		if (ai) {
			out_line(c, &b, cv_instr_text(c, ai, false));
			continue;
		}
		if (ds_scope_get(&c->m->globals, vars[i], strlen(vars[i])))
			out_line(c, &b, ds_arena_printf(c->a, "%s %s", cv_kw(c, "ARG"), vars[i]));
	}
	ds_buf_add(&b, body.buf ? body.buf : "", body.len);
	ds_buf_release(&body);
	sp->text = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	const struct ds_instr *last = cv_instr_at(c, fs->last);
	sp->at = cv_line_next(c, cv_instr_last_line(c, last ? last : ff));
}

static void map_user_in_place(struct cv *c, const struct ds_stage *st, const struct ds_instr *in, uint32_t off,
			      uint32_t end, const char *raw, const char *what, const char *prefix)
{
	if (!c->rt && !c->scratch)
		return; /* an image the catalogue does not describe: its users are unknown */
	bool unset = false;
	const char *spec = cv_expand(c, st, in, raw, &unset);
	if (unset || ds_str_has_expansion(spec)) {
		cv_manual(c, off, end, "DST106", "%s '%s' cannot be checked: it uses a variable without a value", what, raw);
		return;
	}
	if (c->scratch) {
		const char *colon = strchr(spec, ':');
		size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
		const char *user = ds_arena_strndup(c->a, spec, ul);
		bool user_ok = ds_str_all_digits(spec, ul) || cv_account_kept(c, user, false);
		bool group_ok = !colon || ds_str_all_digits(colon + 1, strlen(colon + 1)) || cv_account_kept(c, colon + 1, true);
		if (!user_ok || !group_ok)
			cv_manual(c, off, end, "DST106", "%s '%s' needs /etc/passwd, which scratch lacks; use numeric ids such as 65532:65532",
			       what, spec);
		return;
	}
	bool changed;
	const char *m = cv_map_user(c, spec, &changed);
	if (!changed)
		return;
	cv_edit(c, off, end, ds_arena_printf(c->a, "%s%s", prefix, m));
	cv_declare(c, DS_CHANGE_USER, off, end, "DST106", "%s '%s' rewritten to '%s': '%s' has no such user or group", what,
		   spec, m, c->rt_ref ? c->rt_ref : c->root->base);
}

/* Replaces a converted command instruction in place. */
static void command_in_place(struct cv *c, const struct ds_instr *in, const struct newcmd *nc)
{
	if (nc->drop) {
		cv_delete_instr(c, in);
		return;
	}
	if (nc->keep || !nc->changed)
		return;
	const char *json = ds_convert_json_array(c->a, nc->v, nc->n);
	if (in->kind == DS_I_HEALTHCHECK)
		cv_edit(c, in->args[0].span.off, in->rest_span.end, ds_arena_printf(c->a, "CMD %s", json));
	else if (strcmp(nc->kw, in->keyword))
		cv_edit(c, in->kw_span.off, in->rest_span.end, ds_arena_printf(c->a, "%s %s", nc->kw, json));
	else
		cv_edit(c, in->rest_span.off, in->rest_span.end, json);
}

/* swap: also points FROM at the runtime and drops the RUNs the runtime does not need. */
void cv_convert_in_place(struct cv *c, struct an *an, bool swap)
{
	const char *img = c->rt_ref ? c->rt_ref : c->scratch ? "scratch" : c->root->base;
	struct newcmd nhc = { 0 }, nep = { 0 }, ncmd = { 0 };
	const struct ds_instr *hc = cv_convert_commands(c, an, false, &nhc, &nep, &ncmd);
	for (size_t s = 0; s < c->nchain; s++) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in)
				break;
			switch (in->kind) {
			case DS_I_RUN: {
				const struct run *r = cv_run_of(an, in);
				if (swap && r && r->kind == RUN_DROP) {
					cv_delete_instr(c, in);
					bool users = false, pkgs = false;
					struct pkg *tp = NULL;
					size_t tn = 0, tc = 0;
					for (size_t k = 0; k < r->n; k++) {
						enum cv_cmd_class cc = cv_cmd_class(c, &r->cmds[k], in, &tp, &tn, &tc);
						users = users || cc == CC_USER;
						pkgs = pkgs || cc == CC_PKG;
					}
					bool kept = cv_accounts_made_by(c, in);
					cv_note(c, AT_INSTR(c, in), "DST101", "RUN removed: %s",
					     pkgs && users && kept ? ds_arena_printf(c->a, "it installs only what the runtime already has and creates users, which stage '%s' now makes", c->acc.stage)
					     : users && kept ? ds_arena_printf(c->a, "it creates users, which stage '%s' now makes", c->acc.stage)
					     : pkgs && users ? "it installs only what the runtime already has and creates users it replaces with its own"
					     : pkgs ? (an->hc_tool && nhc.drop ? "it installs only what the runtime already has or what the removed HEALTHCHECK used"
							: "it installs only what the runtime already has")
					     : users ? "it creates users; the runtime has its own" : "it only cleans up");
				} else if (!in->json) {
					cv_manual(c, AT_INSTR(c, in), "DST101",
					       "RUN needs /bin/sh, which '%s' does not have; run it in a builder stage and copy the result", img);
				}
				break;
			}
			case DS_I_USER:
				if (in->nargs)
					map_user_in_place(c, st, in, in->args[0].span.off, in->args[0].span.end, in->args[0].text,
							  "USER", "");
				break;
			case DS_I_COPY:
			case DS_I_ADD: {
				const struct ds_flag *f = ds_instr_flag(in, "chown");
				if (f && f->value) {
					map_user_in_place(c, st, in, f->span.off, f->span.end, f->value, "--chown", "--chown=");
				} else if (swap && c->nonroot) {
					/* --nonroot: what goes into the program's folder is its user's */
					const struct copy *cp = NULL;
					for (size_t k = 0; k < an->ncopies; k++)
						if (an->copies[k].in == in)
							cp = &an->copies[k];
					if (cp && ds_path_under(cp->dest, an->workdir) && strcmp(an->workdir, "/"))
						cv_edit(c, in->kw_span.end, in->kw_span.end,
							ds_arena_printf(c->a, " --chown=%s", cv_nonroot_owner(c)));
				}
				break;
			}
			case DS_I_CMD:
			case DS_I_ENTRYPOINT:
			case DS_I_HEALTHCHECK:
				if (in == c->cmd)
					command_in_place(c, in, &ncmd);
				else if (in == c->ep)
					command_in_place(c, in, &nep);
				else if (in == hc)
					command_in_place(c, in, &nhc);
				else if (in == c->ovr_drop) {
					cv_delete_instr(c, in);
					cv_note(c, AT_INSTR(c, in), "DST105",
						"ENTRYPOINT removed: the command it ran is written out as CMD");
				} else if (!in->json && !(in->kind == DS_I_HEALTHCHECK && in->nargs &&
							strcasecmp(in->args[0].text, "CMD"))) {
					cv_delete_instr(c, in);
					cv_note(c, AT_INSTR(c, in), "DST102", "shell-form %s removed: a later instruction overrides it",
					     ds_instr_keyword(in->kind));
				}
				break;
			case DS_I_SHELL:
				cv_delete_instr(c, in);
				cv_warn(c, AT_INSTR(c, in), "DST104", "SHELL removed: '%s' has no shell", img);
				break;
			case DS_I_ONBUILD:
				if (in->sub && in->sub->kind == DS_I_RUN && !in->sub->json) {
					cv_delete_instr(c, in);
					cv_declare(c, DS_CHANGE_ONBUILD, AT_INSTR(c, in), "DST104",
						   "ONBUILD RUN removed: images built FROM this one could not run it, as '%s' has no shell", img);
				}
				break;
			default:
				break;
			}
		}
	}
	const char *owd = ovr_workdir(c, an);
	if ((c->novr_env || owd) && c->ovr_in) {
		/* what the start scripts exported, and the folder they changed to, right before the command */
		struct ds_buf b = DS_BUF_INIT;
		for (size_t i = 0; i < c->novr_env; i++)
			ds_buf_addf(&b, "%s%s", env_line(c, c->ovr_env[i]), c->eol);
		if (owd)
			ds_buf_addf(&b, "%s %s%s", cv_kw(c, "WORKDIR"), owd, c->eol);
		uint32_t at = cv_line_start(c, cv_comment_first_line(c, c->ovr_in));
		cv_edit(c, at, at, ds_arena_strndup(c->a, b.buf, b.len));
		ds_buf_release(&b);
	}
	for (size_t i = 0; swap && i < an->nvcopy; i++) {
		uint32_t at = cv_line_next(c, cv_instr_last_line(c, an->vcopy[i].after));
		bool unterminated = at == c->len && c->len && c->src[c->len - 1] != '\n';
		cv_edit(c, at, at, ds_arena_printf(c->a, "%s%s %s%s", unterminated ? c->eol : "", cv_kw(c, "COPY"), an->vcopy[i].line,
						unterminated ? "" : c->eol));
		cv_note(c, AT_INSTR(c, an->vcopy[i].after), "DST201",
			"the packages of the virtual environment copied here also go into '%s', where the runtime's python reads them (.pth files included)",
			cv_python_site(c));
	}
	if (swap && an->npypath && an->py_after) {
		struct ds_buf v = DS_BUF_INIT;
		for (size_t i = 0; i < an->npypath; i++) {
			if (i)
				ds_buf_addc(&v, ':');
			ds_buf_adds(&v, an->pypath[i]);
		}
		const char *old = ds_scope_get(&c->fs->scope, "PYTHONPATH", 10);
		if (old && *old) {
			ds_buf_addc(&v, ':');
			ds_buf_adds(&v, old);
		}
		uint32_t at = cv_line_next(c, cv_instr_last_line(c, an->py_after));
		bool unterminated = at == c->len && c->len && c->src[c->len - 1] != '\n';
		cv_edit(c, at, at, ds_arena_printf(c->a, "%s%s PYTHONPATH=%s%s", unterminated ? c->eol : "", cv_kw(c, "ENV"), v.buf,
						unterminated ? "" : c->eol));
		cv_declare(c, DS_CHANGE_ENV, AT_INSTR(c, an->py_after), "DST201",
			   "PYTHONPATH set to '%s' so that the runtime's python finds the packages copied here", v.buf);
		ds_buf_release(&v);
	}
	if (swap && c->add_cmd) {
		const struct ds_instr *last = cv_instr_at(c, c->fs->last);
		uint32_t at = cv_line_next(c, cv_instr_last_line(c, last));
		bool unterminated = at == c->len && c->len && c->src[c->len - 1] != '\n';
		cv_edit(c, at, at, ds_arena_printf(c->a, "%s%s%s", unterminated ? c->eol : "", added_cmd(c),
						unterminated ? "" : c->eol));
	}
	if (swap) {
		const struct ds_instr *ff = c->fs->from;
		cv_edit(c, ff->args[0].span.off, ff->args[0].span.end, c->rt_ref);
		cv_note(c, ff->args[0].span.off, ff->args[0].span.end, "DST201", "the final stage now runs on '%s' instead of '%s'",
		     c->rt_ref, c->fs->base_raw ? c->fs->base_raw : "?");
		if (c->acc.keep) {
			/* the accounts stage goes before the final stage (after the parser directives, which
			 * must stay first), and its files right after FROM */
			uint32_t at = cv_line_start(c, cv_comment_first_line(c, ff));
			for (uint32_t i = 0; i < c->df->ndirectives; i++) {
				uint32_t after = cv_line_next(c, cv_line_of(c, c->df->directives[i].span.off));
				if (after > at)
					at = after;
			}
			cv_edit(c, at, at, cv_accounts_stage(c, NULL));
			at = cv_line_next(c, cv_instr_last_line(c, ff));
			bool unterminated = at == c->len && c->len && c->src[c->len - 1] != '\n';
			const char *copies = cv_accounts_copies(c);
			if (unterminated)
				copies = ds_arena_printf(c->a, "%s%.*s", c->eol, (int)(strlen(copies) - strlen(c->eol)), copies);
			cv_edit(c, at, at, copies);
		}
		/* what the old image set and the runtime does not: the user and the working folder */
		const char *carry = carried(c, c->root->base);
		if (*carry) {
			uint32_t at = cv_line_next(c, cv_instr_last_line(c, ff));
			bool unterminated = at == c->len && c->len && c->src[c->len - 1] != '\n';
			if (unterminated)
				carry = ds_arena_printf(c->a, "%s%.*s", c->eol, (int)(strlen(carry) - strlen(c->eol)), carry);
			cv_edit(c, at, at, carry);
		}
		struct ds_buf add = DS_BUF_INIT;
		if (!an->user_in) {
			const char *u = cv_identity_user(c, ff->args[0].span.off, ff->args[0].span.end);
			if (u)
				ds_buf_addf(&add, "%s %s%s", cv_kw(c, "USER"), u, c->eol);
		}
		if (c->add_ep_clear)
			ds_buf_addf(&add, "%s []%s", cv_kw(c, "ENTRYPOINT"), c->eol);
		const char *rwd = cv_runtime_workdir(c);
		if (c->base_workdir && strcmp(c->base_workdir, rwd) && !cv_chain_sets_workdir_first(c))
			ds_buf_addf(&add, "%s %s%s", cv_kw(c, "WORKDIR"), c->base_workdir, c->eol);
		if (add.len) {
			uint32_t at = cv_line_next(c, cv_instr_last_line(c, ff));
			bool unterminated = at == c->len && c->len && c->src[c->len - 1] != '\n';
			if (unterminated)
				add.len -= strlen(c->eol);
			cv_edit(c, at, at, ds_arena_printf(c->a, "%s%s", unterminated ? c->eol : "", add.buf));
			cv_note(c, AT_INSTR(c, ff), "DST201", "'%s' sets what the old image set by itself: %.*s", c->rt_ref,
				(int)strcspn(add.buf, "\r\n"), add.buf);
		}
		ds_buf_release(&add);
	}
}

void cv_finish_deletions(struct cv *c)
{
	size_t n = c->nlines;
	/* a deletion between two blank lines takes one of them along */
	for (size_t l = 1; l <= n;) {
		if (!c->del[l]) {
			l++;
			continue;
		}
		size_t e = l;
		while (e + 1 <= n && c->del[e + 1])
			e++;
		size_t prev = l - 1, next = e + 1;
		if (prev >= 1 && cv_line_blank(c, prev) && (next > n || cv_line_blank(c, next)))
			c->del[prev] = 1;
		l = e + 1;
	}
	for (size_t l = 1; l <= n;) {
		if (!c->del[l]) {
			l++;
			continue;
		}
		size_t e = l;
		while (e + 1 <= n && c->del[e + 1])
			e++;
		cv_edit(c, cv_line_start(c, l), cv_line_next(c, e), "");
		l = e + 1;
	}
}

void cv_finish_insert(struct cv *c, const struct split *sp)
{
	uint32_t at = sp->at;
	bool no_final_nl = c->len > 0 && c->src[c->len - 1] != '\n';
	struct ds_buf b = DS_BUF_INIT;
	if (at == c->len && no_final_nl && !c->del[c->nlines])
		ds_buf_adds(&b, c->eol); /* end the last line first */
	/* the last line that stays before the insertion point */
	size_t l = at == c->len ? c->nlines : cv_line_of(c, at);
	if (at == c->len && !no_final_nl)
		l = c->nlines; /* the empty line after the last line end */
	size_t prev = l;
	if (!(at == c->len && no_final_nl))
		prev = l - 1;
	while (prev >= 1 && c->del[prev])
		prev--;
	if (prev >= 1 && !cv_line_blank(c, prev))
		ds_buf_adds(&b, c->eol);
	ds_buf_adds(&b, sp->text);
	if (at == c->len && no_final_nl && b.len >= strlen(c->eol))
		b.len -= strlen(c->eol);
	else if (at < c->len && !cv_line_blank(c, cv_line_of(c, at)))
		ds_buf_adds(&b, c->eol);
	cv_edit(c, at, at, ds_arena_strndup(c->a, b.buf, b.len));
	ds_buf_release(&b);
}

/* Sort order of edits: by offset, insertions before a replacement at the same offset, then as recorded. */
struct sorted_edit {
	struct ds_edit e;
	size_t seq;
};

static int edit_cmp(const void *x, const void *y)
{
	const struct sorted_edit *a = x, *b = y;
	if (a->e.off != b->e.off)
		return a->e.off < b->e.off ? -1 : 1;
	bool ai = a->e.end == a->e.off, bi = b->e.end == b->e.off;
	if (ai != bi)
		return ai ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void cv_make_output(struct cv *c)
{
	struct sorted_edit *v = ds_arena_alloc(c->a, (c->ned + 1) * sizeof *v);
	for (size_t i = 0; i < c->ned; i++) {
		v[i].e = c->ed[i];
		v[i].seq = i;
	}
	if (c->ned > 1)
		qsort(v, c->ned, sizeof *v, edit_cmp);
	size_t n = 0;
	for (size_t i = 0; i < c->ned; i++) {
		/* the same replacement twice (a global ARG shared by stages) counts once */
		if (n && v[i].e.end > v[i].e.off && c->ed[n - 1].off == v[i].e.off && c->ed[n - 1].end == v[i].e.end &&
		    c->ed[n - 1].len == v[i].e.len && !memcmp(c->ed[n - 1].text, v[i].e.text, v[i].e.len))
			continue;
		c->ed[n++] = v[i].e;
	}
	c->ned = n;
	struct ds_buf b = DS_BUF_INIT;
	uint32_t pos = 0;
	for (size_t i = 0; i < c->ned; i++) {
		const struct ds_edit *e = &c->ed[i];
		if (e->off < pos || e->end > c->len || e->end < e->off) {
			c->overlap = true;
			break;
		}
		ds_buf_add(&b, c->src + pos, e->off - pos);
		ds_buf_add(&b, e->text, e->len);
		pos = e->end;
	}
	ds_buf_add(&b, c->src + pos, c->len - pos);
	c->res->output = ds_arena_strndup(c->a, b.buf ? b.buf : "", b.len);
	c->res->output_len = b.len;
	ds_buf_release(&b);
	c->res->edits = c->ed;
	c->res->nedits = c->ned;
}
