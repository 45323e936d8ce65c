/*
 * paths.c - step 1, continued: the files a split runtime stage must copy from the builder.
 *
 * What the RUNs of the final chain leave behind (outputs of cp, mkdir, go
 * build, pip install, virtual environments, ...) and what its COPYs put in,
 * reduced to the smallest list of paths in tree order.
 */
#include "rewrite/internal.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"

/* Folders whose whole content must never be copied: they belong to the image. */
static const char *const system_dirs[] = {
	"/", "/usr", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin",
	"/sbin", "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/share",
	"/usr/local/share", "/etc", "/var", "/var/lib", "/opt", "/home", "/root", "/run", "/mnt", NULL,
};

/* Paths whose content is scratch space of a build, never an application file. */
bool cv_path_ignored(const char *p)
{
	static const char *const v[] = {
		"/tmp", "/var/tmp", "/dev", "/proc", "/sys", "/var/cache", "/var/lib/apt", "/var/lib/apk",
		"/etc/apk", "/etc/apt", "/root/.cache", "/root/.npm", "/var/log", "/run", "/var/run", NULL,
	};
	for (size_t i = 0; v[i]; i++)
		if (ds_path_under(p, v[i]))
			return true;
	return false;
}

static void add_path(struct cv *c, struct an *an, const char *src, const char *dst, const char *chown,
		     const struct ds_instr *why)
{
	if (!src || !*src || src[0] != '/' || ds_str_has_expansion(src) || strpbrk(src, "*?[") || cv_path_ignored(src) ||
	    ds_str_in_list(src, system_dirs))
		return;
	an->paths = ds_arena_grow(c->a, an->paths, sizeof *an->paths, an->npaths, &an->cappaths);
	struct apath *p = &an->paths[an->npaths];
	p->src = src;
	p->dst = dst;
	p->chown = chown;
	p->why = why;
	p->seq = an->npaths++;
}

/*
 * A folder or file a RUN makes on purpose (mkdir, touch, chown): kept even
 * below the folders of run-time state (/var/log, /run, /var/run, /tmp),
 * whose content a build otherwise only leaves as scratch: the program
 * expects its own folder there to exist, with its owner.
 */
static void add_made(struct cv *c, struct an *an, const char *p, const char *chown, const struct ds_instr *why)
{
	static const char *const state[] = { "/var/log", "/run", "/var/run", "/tmp", NULL };
	for (size_t i = 0; p && p[0] == '/' && state[i]; i++)
		if (ds_path_under(p, state[i]) && strcmp(p, state[i]) && !ds_str_has_expansion(p) && !strpbrk(p, "*?[")) {
			an->paths = ds_arena_grow(c->a, an->paths, sizeof *an->paths, an->npaths, &an->cappaths);
			an->paths[an->npaths] = (struct apath){ p, p, chown, why, an->npaths };
			an->npaths++;
			return;
		}
	add_path(c, an, p, p, chown, why);
}

static void add_pypath(struct cv *c, struct an *an, const char *dir)
{
	dir = cv_python_fix(c, dir); /* the folder as it is after a move to the runtime's python */
	for (size_t i = 0; i < an->npypath; i++)
		if (!strcmp(an->pypath[i], dir))
			return;
	an->pypath = ds_arena_grow(c->a, an->pypath, sizeof *an->pypath, an->npypath, &an->cappypath);
	an->pypath[an->npypath++] = dir;
}

/*
 * W7: a virtual environment whose packages the runtime's python must see.
 * Its interpreter (bin/python) points at the builder's python, which the
 * runtime does not have; PYTHONPATH would skip its .pth files (editable
 * installs, namespace packages). So its site-packages go into the runtime
 * interpreter's own site directory. src is the folder in the stage that
 * holds it, dst where the final stage has it; cp the COPY that brings it
 * in (NULL: made by a RUN of the final stage).
 */
static void add_venv(struct cv *c, struct an *an, const char *src, const char *dst, const char *ver,
		     const struct ds_instr *why, const struct copy *cp)
{
	const char *site = cv_python_site(c);
	if (!site || !ver)
		return;
	const char *from = ds_arena_printf(c->a, "%s/lib/python%s/site-packages", src, ver);
	an->paths = ds_arena_grow(c->a, an->paths, sizeof *an->paths, an->npaths, &an->cappaths);
	an->paths[an->npaths] = (struct apath){ from, site, NULL, why, an->npaths };
	an->npaths++;
	if (cp && an->nvcopy < sizeof an->vcopy / sizeof an->vcopy[0]) {
		const struct ds_flag *f = ds_instr_flag(cp->in, "from");
		an->vcopy[an->nvcopy].after = cp->in;
		an->vcopy[an->nvcopy].line = ds_arena_printf(c->a, "--from=%s %s %s", f && f->value ? f->value : "?", from, site);
		an->nvcopy++;
	}
	bool seen = false;
	for (size_t i = 0; i < c->nvenvs; i++)
		seen = seen || !strcmp(c->venvs[i], dst);
	if (!seen && c->nvenvs < sizeof c->venvs / sizeof c->venvs[0])
		c->venvs[c->nvenvs++] = dst;
}

/* The value of option short/long in cmd ("-o x", "-ox", "--out x", "--out=x"), or NULL. */
static const char *opt_value(const struct ds_shell_cmd *cmd, const char *shortf, const char *longf)
{
	return ds_shell_cmd_flag_value(cmd, shortf, longf);
}


/* The home folder of whoever runs RUN in: /root, or /home/USER after a USER. */
static const char *run_home(struct cv *c, struct an *an, const struct run *r)
{
	(void)an;
	const char *home = "/root";
	for (size_t s = 0; s < c->nchain; s++) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->first + 1; i <= st->last && i < r->in->index; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (in && in->kind == DS_I_USER && in->nargs) {
				const char *u = cv_expand(c, st, in, in->args[0].text, NULL);
				size_t ul = strcspn(u, ":");
				home = !strncmp(u, "root", ul) && ul == 4 ? "/root" : ds_arena_printf(c->a, "/home/%.*s", (int)ul, u);
			}
		}
	}
	return home;
}

/* Python packages installed by one command: where they land, or a manual note. */
size_t cv_pip_args(const struct ds_shell_cmd *cmd)
{
	const char *name = ds_shell_cmd_name(cmd);
	if (!strcmp(name, "pip") || !strcmp(name, "pip3") || ds_str_has_prefix(name, "pip3."))
		return 1;
	if (ds_str_has_prefix(name, "python") && cmd->argc > 2 && !strcmp(cmd->argv[1].text, "-m") &&
	    !strcmp(cmd->argv[2].text, "pip"))
		return 3;
	if (!strcmp(name, "uv") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "pip"))
		return 2;
	return 0;
}

bool cv_installs_python_packages(const struct ds_shell_cmd *cmd)
{
	const char *name = ds_shell_cmd_name(cmd);
	size_t sub = cv_pip_args(cmd), k;
	if (sub)
		return (k = cv_next_operand(cmd, sub, NULL)) < cmd->argc && !strcmp(cmd->argv[k].text, "install");
	if (!strcmp(name, "uv") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "sync"))
		return true;
	if (!strcmp(name, "poetry") || !strcmp(name, "pipenv") || !strcmp(name, "pdm"))
		return (k = cv_next_operand(cmd, 1, NULL)) < cmd->argc &&
		       (!strcmp(cmd->argv[k].text, "install") || !strcmp(cmd->argv[k].text, "sync"));
	return false;
}

static void python_install(struct cv *c, struct an *an, const struct run *r, const struct ds_shell_cmd *cmd,
			   size_t sub, const char *cwd, const char *const *venvs, size_t nvenvs)
{
	const char *ver = cv_python_version(c, r->st);
	const char *t = opt_value(cmd, "-t", "--target");
	const char *prefix = opt_value(cmd, NULL, "--prefix");
	bool user = ds_shell_cmd_has_flag(cmd, "--user");
	(void)sub;
	if (ds_shell_cmd_has_flag(cmd, "--root")) {
		cv_manual(c, AT_INSTR(c, r->in), "DST101", "pip install --root puts packages where the runtime stage cannot find them");
		return;
	}
	if (t) {
		const char *p = ds_path_join(c->a, cwd ? cwd : "/", t);
		add_path(c, an, p, p, NULL, r->in);
		add_pypath(c, an, p);
		return;
	}
	/* a virtual environment in effect: an absolute pip inside it, or its bin first on PATH */
	const char *a0 = cmd->argv[0].text;
	const char *path = ds_model_expand(c->m, r->st, r->in->index, "${PATH}", NULL);
	const char *venv = ds_model_expand(c->m, r->st, r->in->index, "${VIRTUAL_ENV}", NULL);
	for (size_t i = 0; i < nvenvs; i++) {
		const char *bin = ds_arena_printf(c->a, "%s/bin/", venvs[i]);
		if (ds_str_has_prefix(a0, bin) || ds_str_has_prefix(path, bin) || (venv && *venv && !strcmp(venv, venvs[i])))
			return; /* the venv is copied whole */
	}
	if (venv && *venv && venv[0] == '/') {
		const char *v = ds_path_norm(c->a, venv);
		add_path(c, an, v, v, NULL, r->in);
		add_venv(c, an, v, v, ver, r->in, NULL);
		return;
	}
	if (!ver) {
		cv_manual(c, AT_INSTR(c, r->in), "DST101",
		       "cannot tell where '%s' installs packages on this image, so they cannot be copied into the runtime stage",
		       ds_str_basename(a0));
		return;
	}
	const char *site = ds_arena_printf(c->a, "/usr/local/lib/python%s/site-packages", ver);
	if (prefix) {
		const char *p = ds_arena_printf(c->a, "%s/lib/python%s/site-packages", ds_path_join(c->a, cwd ? cwd : "/", prefix), ver);
		add_path(c, an, p, p, NULL, r->in);
		add_pypath(c, an, p);
		return;
	}
	if (user) {
		const char *p = ds_arena_printf(c->a, "%s/.local/lib/python%s/site-packages", run_home(c, an, r), ver);
		/* /root is not readable by nonroot: the packages go to the usual site folder */
		add_path(c, an, p, ds_path_under(p, "/root") ? site : p, NULL, r->in);
		add_pypath(c, an, ds_path_under(p, "/root") ? site : p);
		return;
	}
	add_path(c, an, site, site, NULL, r->in);
	add_pypath(c, an, site);
}

/*
 * Python packages the chain copies in from other stages: a site-packages
 * folder, or a virtual environment whose bin folder is on PATH. The runtime's
 * python finds neither by itself, so they go on PYTHONPATH.
 */
void cv_python_copies(struct cv *c, struct an *an)
{
	if (!c->rt_dl || !c->rt_dl->language || strcmp(c->rt_dl->language, "python"))
		return;
	const char *path = ds_scope_get(&c->fs->scope, "PATH", 4);
	for (size_t i = 0; i < an->ncopies; i++) {
		const struct copy *cp = &an->copies[i];
		const char *d = cp->dest;
		if (ds_str_has_suffix(d, "/site-packages") || ds_str_has_suffix(d, "/dist-packages")) {
			add_pypath(c, an, d);
			an->py_after = cp->in;
			continue;
		}
	}
	/* a virtual environment copied in from a build stage, its bin folder on PATH */
	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");
		const char *entry = ds_arena_strndup(c->a, p, n);
		p += n + (p[n] == ':');
		if (!ds_str_has_suffix(entry, "/bin") || entry[0] != '/')
			continue;
		const char *v = ds_path_norm(c->a, ds_arena_strndup(c->a, entry, strlen(entry) - 4));
		const struct copy *cp = NULL;
		for (size_t i = an->ncopies; i-- > 0 && !cp;)
			if (an->copies[i].from >= 0 && ds_path_under(v, an->copies[i].dest))
				cp = &an->copies[i];
		if (!cp)
			continue;
		const char *src = cp->nsrcs == 1 && !strpbrk(cp->srcs[0], "*?[") ? ds_path_join(c->a, "/", cp->srcs[0]) : NULL;
		if (!src) {
			cv_manual(c, AT_INSTR(c, cp->in), "DST201",
				  "the virtual environment '%s' comes in with several files at once; copy its site-packages into '%s' by hand",
				  v, cv_python_site(c));
			continue;
		}
		const char *bv = ds_path_norm(c->a, ds_arena_printf(c->a, "%s/%s", src, v + strlen(cp->dest)));
		add_venv(c, an, bv, v, cv_python_version(c, cv_stage_at(c, cp->from)), cp->in, cp);
	}
}

/* Files and folders a build RUN leaves behind (outside the WORKDIR too). */
static void run_outputs(struct cv *c, struct an *an, const struct run *r)
{
	const char *cwd = r->cwd;
	const char *venvs[16];
	size_t nvenvs = 0;
	for (size_t j = 0; j < r->n; j++) {
		const struct ds_shell_cmd *cmd = &r->cmds[j];
		/* redirections write files */
		for (size_t k = 0; k + 1 < cmd->nredirs; k++)
			if (strchr(cmd->redirs[k].text, '>') && !strchr(cmd->redirs[k].text, '&')) {
				const char *t = cmd->redirs[k + 1].text;
				if (!cmd->redirs[k + 1].expands && cwd)
					add_path(c, an, ds_path_join(c->a, cwd, t), ds_path_join(c->a, cwd, t), NULL, r->in);
				k++;
			}
		if (!cmd->argc)
			continue;
		const char *name = ds_shell_cmd_name(cmd);
		if (!strcmp(name, "cd")) {
			cwd = cmd->argc > 1 && !cmd->argv[1].expands && cwd ? ds_path_join(c->a, cwd, cmd->argv[1].text) : NULL;
			continue;
		}
		size_t ops[64], nops = 0;
		static const char *const install_values[] = { "-m", "-o", "-g", "--mode", "--owner", "--group", NULL };
		bool install = !strcmp(name, "install");
		for (size_t k = 1; k < cmd->argc && nops < 64; k++) {
			if (cmd->argv[k].text[0] == '-') {
				if (install && ds_str_in_list(cmd->argv[k].text, install_values))
					k++;
				continue;
			}
			if (!cmd->argv[k].expands)
				ops[nops++] = k;
		}
#define OPERAND(i) ds_path_join(c->a, cwd ? cwd : "/", cmd->argv[ops[i]].text)
		if (!strcmp(name, "mkdir") || !strcmp(name, "touch")) {
			for (size_t k = 0; k < nops; k++)
				if (cwd || cmd->argv[ops[k]].text[0] == '/')
					add_made(c, an, OPERAND(k), NULL, r->in);
		} else if (!strcmp(name, "cp") || !strcmp(name, "mv") || !strcmp(name, "ln") || !strcmp(name, "install")) {
			if (nops >= 2 && (cwd || cmd->argv[ops[nops - 1]].text[0] == '/')) {
				const char *dst = OPERAND(nops - 1);
				const char *raw = cmd->argv[ops[nops - 1]].text;
				if (ds_str_in_list(dst, system_dirs) || raw[strlen(raw) - 1] == '/' || nops > 2) {
					/* into a folder: one entry per source */
					for (size_t k = 0; k + 1 < nops; k++) {
						const char *p = ds_path_join(c->a, dst, ds_str_basename(cmd->argv[ops[k]].text));
						add_path(c, an, p, p, NULL, r->in);
					}
				} else {
					add_path(c, an, dst, dst, NULL, r->in);
				}
			}
		} else if (!strcmp(name, "chown")) {
			if (nops >= 2)
				for (size_t k = 1; k < nops; k++)
					if (cwd || cmd->argv[ops[k]].text[0] == '/')
						add_made(c, an, OPERAND(k), cmd->argv[ops[0]].text, r->in);
		} else if (!strcmp(name, "go") && cmd->argc > 1 &&
			   (!strcmp(cmd->argv[1].text, "build") || !strcmp(cmd->argv[1].text, "install"))) {
			const char *o = opt_value(cmd, "-o", NULL);
			if (o && (cwd || o[0] == '/'))
				add_path(c, an, ds_path_join(c->a, cwd ? cwd : "/", o), ds_path_join(c->a, cwd ? cwd : "/", o), NULL, r->in);
		} else if (!strcmp(name, "tar") || !strcmp(name, "unzip")) {
			const char *d = !strcmp(name, "tar") ? opt_value(cmd, "-C", "--directory") : opt_value(cmd, "-d", NULL);
			if (d && (cwd || d[0] == '/'))
				add_path(c, an, ds_path_join(c->a, cwd ? cwd : "/", d), ds_path_join(c->a, cwd ? cwd : "/", d), NULL, r->in);
		} else if (!strcmp(name, "curl") || !strcmp(name, "wget")) {
			const char *o = !strcmp(name, "curl") ? opt_value(cmd, "-o", "--output") : opt_value(cmd, "-O", "--output-document");
			if (o && strcmp(o, "-") && (cwd || o[0] == '/'))
				add_path(c, an, ds_path_join(c->a, cwd ? cwd : "/", o), ds_path_join(c->a, cwd ? cwd : "/", o), NULL, r->in);
		} else if ((!strcmp(name, "make") || !strcmp(name, "ninja") || !strcmp(name, "cmake")) &&
			   (ds_shell_cmd_has_arg(cmd, "install") || ds_shell_cmd_has_arg(cmd, "--install"))) {
			an->install = r->in;
		} else if (!strcmp(name, "git") && cmd->argc > 2 && !strcmp(cmd->argv[1].text, "clone")) {
			if (nops >= 3 && (cwd || cmd->argv[ops[nops - 1]].text[0] == '/'))
				add_path(c, an, OPERAND(nops - 1), OPERAND(nops - 1), NULL, r->in);
		}
#undef OPERAND
		/* python packages */
		size_t sub = cv_pip_args(cmd);
		if (ds_str_has_prefix(name, "python") && cmd->argc > 2 && !strcmp(cmd->argv[1].text, "-m")) {
			if (!strcmp(cmd->argv[2].text, "venv") || !strcmp(cmd->argv[2].text, "virtualenv")) {
				size_t k = cv_next_operand(cmd, 3, NULL);
				if (k < cmd->argc && cwd) {
					const char *d = ds_path_join(c->a, cwd, cmd->argv[k].text);
					if (nvenvs < 16)
						venvs[nvenvs++] = d;
					add_path(c, an, d, d, NULL, r->in);
					add_venv(c, an, d, d, cv_python_version(c, r->st), r->in, NULL);
				}
				continue;
			}
		}
		if (!strcmp(name, "virtualenv") || (!strcmp(name, "uv") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "venv"))) {
			size_t k = cv_next_operand(cmd, !strcmp(name, "uv") ? 2 : 1, NULL);
			const char *d = k < cmd->argc ? cmd->argv[k].text : ".venv";
			if (cwd || d[0] == '/') {
				d = ds_path_join(c->a, cwd ? cwd : "/", d);
				if (nvenvs < 16)
					venvs[nvenvs++] = d;
				add_path(c, an, d, d, NULL, r->in);
				add_venv(c, an, d, d, cv_python_version(c, r->st), r->in, NULL);
			}
			continue;
		}
		if (sub) {
			size_t k = cv_next_operand(cmd, sub, NULL);
			if (k < cmd->argc && !strcmp(cmd->argv[k].text, "install"))
				python_install(c, an, r, cmd, k, cwd, venvs, nvenvs);
			continue;
		}
		if (!strcmp(name, "uv") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "sync")) {
			const char *env = ds_model_expand(c->m, r->st, r->in->index, "${UV_PROJECT_ENVIRONMENT}", NULL);
			const char *d = env && *env ? ds_path_join(c->a, cwd ? cwd : "/", env) : cwd ? ds_path_join(c->a, cwd, ".venv") : NULL;
			const char *ver = cv_python_version(c, r->st);
			if (d) {
				add_path(c, an, d, d, NULL, r->in);
				add_venv(c, an, d, d, ver, r->in, NULL);
			}
			continue;
		}
		if (!strcmp(name, "poetry") || !strcmp(name, "pipenv") || !strcmp(name, "pdm") || !strcmp(name, "conda") ||
		    !strcmp(name, "mamba") || !strcmp(name, "micromamba")) {
			size_t k = cv_next_operand(cmd, 1, NULL);
			if (k < cmd->argc && (!strcmp(cmd->argv[k].text, "install") || !strcmp(cmd->argv[k].text, "sync")))
				cv_manual(c, AT_INSTR(c, r->in), "DST101",
				       "cannot tell where '%s %s' puts the packages, so the runtime stage cannot copy them", name,
				       cmd->argv[k].text);
			continue;
		}
		/* global node packages */
		if ((!strcmp(name, "npm") || !strcmp(name, "pnpm")) && ds_shell_cmd_has_flag(cmd, "-g", "--global")) {
			cv_warn(c, AT_INSTR(c, r->in), "DST101",
			     "'%s' installs packages globally, outside the application folder; the runtime stage does not copy them (fine when only the build uses them)",
			     name);
			continue;
		}
		if (!strcmp(name, "yarn") && cmd->argc > 1 && !strcmp(cmd->argv[1].text, "global")) {
			cv_warn(c, AT_INSTR(c, r->in), "DST101",
			     "'yarn global' installs packages outside the application folder; the runtime stage does not copy them (fine when only the build uses them)");
			continue;
		}
	}
}

/* Tree order of destinations ('/' sorts first, so a folder's content follows it), then discovery. */
static int apath_cmp(const void *x, const void *y)
{
	const struct apath *a = x, *b = y;
	const unsigned char *p = (const unsigned char *)a->dst, *q = (const unsigned char *)b->dst;
	while (*p && *p == *q) {
		p++;
		q++;
	}
	if (*p != *q) {
		int pc = *p == '/' ? 1 : *p ? *p + 1 : 0;
		int qc = *q == '/' ? 1 : *q ? *q + 1 : 0;
		return pc - qc;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_owner(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/*
 * Whether everything the chain puts under folder wd already has owner:
 * every COPY into it says --chown=owner (the program itself aside, which
 * gets its own COPY with its own owner), and the RUNs only change owners
 * and modes or make folders (a RUN that builds leaves files of its user).
 */
static bool wd_content_owned_alike(const struct an *an, const char *wd, const char *owner)
{
	for (size_t i = 0; i < an->ncopies; i++) {
		const struct copy *cp = &an->copies[i];
		if (ds_path_under(cp->dest, wd) && !(an->exe && !strcmp(cp->dest, an->exe)) &&
		    !same_owner(cp->chown, owner))
			return false;
	}
	static const char *const tidy[] = { "chown", "chmod", "chgrp", "mkdir", "true", NULL };
	for (size_t i = 0; i < an->nruns; i++) {
		const struct run *r = &an->runs[i];
		if (r->kind == RUN_DROP)
			continue;
		if (!r->ok)
			return false;
		for (size_t k = 0; k < r->n; k++)
			if (r->cmds[k].argc && !ds_str_in_list(ds_shell_cmd_name(&r->cmds[k]), tidy))
				return false;
	}
	return true;
}

/* Step 4's application paths: what the runtime stage copies from the builder. */
void cv_compute_paths(struct cv *c, struct an *an)
{
	bool compiled = !c->rt_dl || !c->rt_dl->language;
	const struct copy *xc = an->exe ? cv_copy_putting(an, an->exe) : NULL;
	/* a compiled program built in this stage: its sources stay behind */
	bool build_here = compiled && an->exe && !(xc && (xc->from >= 0 || xc->from_other));
	const char *wd = an->workdir;
	bool has_wd = an->workdir_set && strcmp(wd, "/");
	/* the WORKDIR goes whole, even around a program built in it: the program
	 * may read anything there (templates, configuration, data) */
	bool wd_copied = has_wd;
	if (wd_copied) {
		const struct ds_instr *wi = NULL;
		for (size_t s = 0; s < c->nchain; s++)
			for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++)
				if (cv_instr_at(c, i) && cv_instr_at(c, i)->kind == DS_I_WORKDIR)
					wi = cv_instr_at(c, i);
		/* --nonroot: the program's own folder is its user's, so it can write there as root could */
		add_path(c, an, wd, wd, c->nonroot ? cv_nonroot_owner(c) : NULL, wi);
	}
	uint32_t last_run = c->fs->first;
	for (size_t i = 0; i < an->nruns; i++)
		if (an->runs[i].kind != RUN_DROP && an->runs[i].in->index > last_run)
			last_run = an->runs[i].in->index;
	for (size_t i = 0; i < an->ncopies; i++) {
		struct copy *cp = &an->copies[i];
		if (wd_copied && ds_path_under(cp->dest, wd))
			continue; /* comes with the WORKDIR */
		if (cp->st == c->fs && cp->in->index > last_run && !strcmp(cp->wd, wd)) {
			cp->replay = true; /* nothing after it changes it: the runtime stage copies it itself */
			continue;
		}
		if (build_here && has_wd && ds_path_under(cp->dest, wd) && cp->from < 0 && !cp->from_other)
			continue; /* the sources of the program */
		if (ds_str_in_list(cp->dest, system_dirs)) {
			for (size_t k = 0; k < cp->nsrcs; k++) {
				const char *sw = cp->srcs[k];
				size_t sl = strlen(sw);
				if (!strcmp(sw, ".") || strpbrk(sw, "*?[") || (sl && sw[sl - 1] == '/') || ds_str_has_prefix(sw, "<<") ||
				    cp->from >= 0 || cp->from_other) {
					cv_manual(c, AT_INSTR(c, cp->in), "DST101",
					       "cannot tell which files %s puts into '%s', so the runtime stage cannot copy them",
					       ds_instr_keyword(cp->in->kind), cp->dest);
					break;
				}
				const char *p = ds_path_join(c->a, cp->dest, ds_str_basename(sw));
				add_path(c, an, p, p, cp->chown, cp->in);
			}
			continue;
		}
		add_path(c, an, cp->dest, cp->dest, cp->chown, cp->in);
	}
	for (size_t i = 0; i < an->nruns; i++) {
		const struct run *r = &an->runs[i];
		if (r->kind == RUN_DROP || !r->ok)
			continue;
		size_t before = an->npaths;
		run_outputs(c, an, r);
		if (build_here && has_wd) {
			/* build trees stay behind; only the program leaves them */
			size_t o = before;
			const char *owner = NULL;
			for (size_t k = before; k < an->npaths; k++) {
				const struct apath *p = &an->paths[k];
				/* a chown of the WORKDIR itself is kept: the folder goes whole, with that owner */
				bool own_wd = p->chown && !strcmp(p->src, wd);
				if (own_wd)
					owner = p->chown;
				if (!ds_path_under(p->src, wd) || own_wd || (an->exe && !strcmp(p->src, an->exe)))
					an->paths[o++] = *p;
			}
			if (owner && wd_content_owned_alike(an, wd, owner))
				cv_note(c, AT_INSTR(c, r->in), "DST201",
					"'%s' goes into the runtime stage owned by '%s' as this RUN made it, and so does what is in it (COPY --chown sets the owner of everything it copies)",
					wd, owner);
			else if (owner)
				cv_declare(c, DS_CHANGE_USER, AT_INSTR(c, r->in), "DST106",
					   "'%s' goes into the runtime stage owned by '%s' as this RUN made it, and so does what is in it (COPY --chown sets the owner of everything it copies), which the original left to other owners",
					   wd, owner);
			an->npaths = o;
		}
	}
	if (build_here)
		add_path(c, an, an->exe, an->exe, xc ? xc->chown : NULL, xc ? xc->in : NULL);
	if (build_here && wd_copied)
		cv_note(c, AT_FROM(c), "DST201",
			"the whole of '%s' goes into the runtime stage, build files and sources too, since the program may read any of it; copy only what it reads to make the image smaller",
			wd);
	/* in tree order (a folder right before what is inside it), duplicates merged, and
	 * dropped what the nearest enclosing path already copies with the same owner */
	if (an->npaths > 1)
		qsort(an->paths, an->npaths, sizeof *an->paths, apath_cmp);
	size_t o = 0, sp = 0;
	size_t *stack = ds_arena_alloc(c->a, (an->npaths + 1) * sizeof *stack);
	for (size_t i = 0; i < an->npaths; i++) {
		const struct apath *p = &an->paths[i];
		if (o && !strcmp(an->paths[o - 1].dst, p->dst) && !strcmp(an->paths[o - 1].src, p->src)) {
			if (p->chown)
				an->paths[o - 1].chown = p->chown;
			continue;
		}
		while (sp && !ds_path_under(p->dst, an->paths[stack[sp - 1]].dst))
			sp--;
		if (sp) {
			const struct apath *q = &an->paths[stack[sp - 1]];
			/* --nonroot gives the whole folder to the user: what is inside it goes along */
			if (ds_path_under(p->src, q->src) && !strcmp(p->src + strlen(q->src), p->dst + strlen(q->dst)) &&
			    (same_owner(p->chown, q->chown) || (c->nonroot && !p->chown)))
				continue;
		}
		an->paths[o] = *p;
		stack[sp++] = o++;
	}
	an->npaths = o;
}

/* Whether absolute path p will exist in the runtime image. */
bool cv_path_provided(struct cv *c, struct an *an, const char *p, bool split)
{
	if (c->rt && (ds_catalog_runtime_has_binary(c->rt, p, false) || ds_catalog_runtime_has_path(c->rt, p)))
		return true;
	if (split) {
		for (size_t i = 0; i < an->npaths; i++)
			if (ds_path_under(p, an->paths[i].dst))
				return true;
		const struct copy *cp = cv_copy_putting(an, p);
		return cp && cp->replay;
	}
	return cv_copy_putting(an, p) != NULL;
}
