/*
 * dl_run.c - hadolint-compatible rules on the commands of RUN scripts.
 * Each rule follows hadolint 2.15's src/Hadolint/Rule/DLxxxx.hs; where this
 * file deliberately differs (wrappers unwrapped, here-document scripts,
 * multi-stage context, cache mounts) the comment at the rule says so.
 */
#include "rules/dl_local.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "common/str.h"
#include "parser/ast.h"

/* ---- small helpers ---- */

static bool has_any_arg(const struct ds_shell_cmd *c, const char *const *args)
{
	for (; *args; args++)
		if (ds_shell_cmd_has_arg(c, *args))
			return true;
	return false;
}

/*
 * The operands of c (arguments that are not flags), without the word that
 * follows a flag listed in valued (a flag written "--x=v" or "-xv" carries
 * its value itself). Words after "--" are operands. Returns an arena array.
 */
static const struct ds_shell_word **operands(struct ds_arena *a, const struct ds_shell_cmd *c,
					     const char *const *valued, size_t *n)
{
	const struct ds_shell_word **v = ds_arena_alloc(a, (c->argc + 1) * sizeof *v);
	size_t k = 0;
	bool opts = true;
	for (size_t i = 1; i < c->argc; i++) {
		const char *t = c->argv[i].text;
		if (opts && !strcmp(t, "--")) {
			opts = false;
			continue;
		}
		if (opts && t[0] == '-' && t[1] != '\0') {
			if (valued && ds_str_in_list(t, valued))
				i++;
			continue;
		}
		v[k++] = &c->argv[i];
	}
	*n = k;
	return v;
}

/* Drops operands up to and including the first word equal to sub (hadolint's stripInstallPrefix). */
static size_t after_word(const struct ds_shell_word **ops, size_t n, const char *const *subs)
{
	for (size_t i = 0; i < n; i++)
		if (ds_str_in_list(ops[i]->text, subs)) {
			size_t j = i;
			while (j < n && ds_str_in_list(ops[j]->text, subs))
				j++;
			return j;
		}
	return n;
}

/* Reports the unpinned packages of a command: one finding at the first, naming up to four. */
static void report_unpinned(const struct dl_ctx *d, enum ds_rule_id id, const struct dl_run *r,
			    const struct dl_script *sc, const char *tool,
			    const struct ds_shell_word **bad, size_t nbad, const char *how)
{
	if (nbad == 0)
		return;
	char list[256];
	size_t used = 0;
	list[0] = '\0';
	for (size_t i = 0; i < nbad && i < 4; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s'%s'", i ? ", " : "", bad[i]->text);
		if (w < 0 || (size_t)w >= sizeof list - used)
			break;
		used += (size_t)w;
	}
	dl_report_word(d, id, r, sc, bad[0], "%s %s %s not pinned%s; %s", tool, nbad > 1 ? "packages" : "package",
		       list, nbad > 4 ? " (and more)" : "", how);
}

/* ---- package managers ---- */

/*
 * apt-get's quiet level: each -q (also inside a cluster: -qq) and --quiet
 * adds one, -q=N and --quiet=N set it. Level 2 implies -y (apt-get(8));
 * a single -q does not.
 */
static int quiet_level(const struct ds_shell_cmd *cmd)
{
	int level = 0;
	for (size_t i = 1; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text;
		if (!strcmp(t, "--"))
			break;
		if (!strncmp(t, "--quiet", 7) && (t[7] == '\0' || t[7] == '=')) {
			level = t[7] ? atoi(t + 8) : level + 1;
		} else if (!strncmp(t, "-q=", 3)) {
			level = atoi(t + 3);
		} else if (t[0] == '-' && t[1] != '-') {
			for (const char *q = t + 1; *q; q++)
				level += *q == 'q';
		}
	}
	return level;
}

static const char *const apt_valued[] = { "-t", "--target-release", "--default-release", "-o", "--option",
					  "-c", "--config-file", NULL };

/* DL3008 DL3014 DL3015: apt-get install */
static void apt_get_install(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
			    const struct ds_shell_cmd *cmd)
{
	if (!ds_shell_cmd_is(cmd, "apt-get") || !ds_shell_cmd_has_arg(cmd, "install"))
		return;
	if (!ds_shell_cmd_has_flag(cmd, "-y", "--yes", "--assume-yes") && quiet_level(cmd) < 2)
		dl_report_cmd(d, DS_R_DL3014, r, sc, cmd,
			      "'apt-get install' without '-y' waits for confirmation; use 'apt-get install -y'");
	bool no_rec = ds_shell_cmd_has_flag(cmd, "--no-install-recommends");
	for (size_t i = 1; i < cmd->argc && !no_rec; i++)
		if (strstr(cmd->argv[i].text, "APT::Install-Recommends=false") ||
		    strstr(cmd->argv[i].text, "APT::Install-Recommends=0"))
			no_rec = true;
	if (!no_rec)
		dl_report_cmd(d, DS_R_DL3015, r, sc, cmd,
			      "'apt-get install' without '--no-install-recommends' installs recommended packages too");
	size_t n;
	const struct ds_shell_word **ops = operands(d->tmp, cmd, apt_valued, &n);
	const struct ds_shell_word **bad = ds_arena_alloc(d->tmp, (n + 1) * sizeof *bad);
	size_t nbad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = ops[i]->text;
		/* hadolint: "=" pins, "/" names a release or a file, a .deb is a file; $VARs are unknown */
		if (!strcmp(p, "install") || ops[i]->expands || strchr(p, '=') || strchr(p, '/') ||
		    ds_str_has_suffix(p, ".deb"))
			continue;
		bad[nbad++] = ops[i];
	}
	report_unpinned(d, DS_R_DL3008, r, sc, "apt-get install:", bad, nbad, "use 'apt-get install <package>=<version>'");
}

static const char *const apk_valued[] = { "-t", "--virtual", "-X", "--repository", "-p", "--root", "--keys-dir",
					  "--repositories-file", "--cache-dir", "--arch", "--cache-max-age", NULL };

/* DL3018 DL3019: apk add */
static void apk_add(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
		    const struct ds_shell_cmd *cmd)
{
	if (!ds_shell_cmd_is(cmd, "apk") || !ds_shell_cmd_has_arg(cmd, "add"))
		return;
	/* 2.14+: a cache or tmpfs mount at /var/cache/apk keeps the index out of the layer */
	if (!ds_shell_cmd_has_flag(cmd, "--no-cache") && !dl_has_cache_mount(r->in, "/var/cache/apk"))
		dl_report_cmd(d, DS_R_DL3019, r, sc, cmd,
			      "'apk add' without '--no-cache' leaves the package index in the layer");
	size_t n;
	const struct ds_shell_word **ops = operands(d->tmp, cmd, apk_valued, &n);
	const struct ds_shell_word **bad = ds_arena_alloc(d->tmp, (n + 1) * sizeof *bad);
	size_t nbad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = ops[i]->text;
		if (!strcmp(p, "add") || ops[i]->expands || strpbrk(p, "=~<>") || ds_str_has_suffix(p, ".apk"))
			continue;
		bad[nbad++] = ops[i];
	}
	report_unpinned(d, DS_R_DL3018, r, sc, "apk add:", bad, nbad, "use 'apk add <package>=<version>'");
}

static bool is_pip_wrapper(const struct ds_shell_cmd *cmd)
{
	const char *name = ds_shell_cmd_name(cmd);
	if (strstr(name, "pipx") || strstr(name, "pipenv"))
		return true;
	if (ds_str_has_prefix(name, "python"))
		for (size_t i = 1; i + 1 < cmd->argc; i++)
			if (!strcmp(cmd->argv[i].text, "-m") &&
			    (!strcmp(cmd->argv[i + 1].text, "pipx") || !strcmp(cmd->argv[i + 1].text, "pipenv")))
				return true;
	return false;
}

/*
 * hadolint's Shell.isPipInstall: pip* ... install (pipx too, pipenv not),
 * or python* -m pip install. pipx is a wrapper for DL3042 only (it has no
 * pip cache to switch off), so wrappers says whether it counts.
 */
static bool is_pip_install(const struct ds_shell_cmd *cmd, bool wrappers)
{
	const char *name = ds_shell_cmd_name(cmd);
	if (name[0] != 'p')
		return false; /* neither pip* nor python*: asked of every command */
	if (ds_str_has_prefix(name, "pipenv"))
		return false;
	if (!wrappers && is_pip_wrapper(cmd))
		return false;
	if (ds_str_has_prefix(name, "pip"))
		return ds_shell_cmd_has_arg(cmd, "install");
	if (ds_str_has_prefix(name, "python"))
		for (size_t i = 1; i + 2 < cmd->argc; i++)
			if (!strcmp(cmd->argv[i].text, "-m") && !strcmp(cmd->argv[i + 1].text, "pip") &&
			    !strcmp(cmd->argv[i + 2].text, "install"))
				return true;
	return false;
}

static const char *const pip_valued[] = { "--abi", "-b", "--build", "-e", "--editable", "--extra-index-url", "-f",
					  "--find-links", "-i", "--index-url", "--implementation", "--no-binary",
					  "--only-binary", "--platform", "--prefix", "--progress-bar", "--proxy",
					  "--python-version", "--root", "--src", "-t", "--target", "--trusted-host",
					  "--upgrade-strategy", "-c", "--constraint", "-r", "--requirement", "-m",
					  "--log", "--cache-dir", "--report", "--python", "--root-user-action", NULL };

static bool pip_pinned(const char *p)
{
	static const char *const vcs[] = { "git+", "hg+", "svn+", "bzr+", "git:", "svn:", NULL };
	bool is_vcs = false;
	for (const char *const *v = vcs; *v; v++)
		if (ds_str_has_prefix(p, *v))
			is_vcs = true;
	if (is_vcs)
		return strchr(p, '@') != NULL;
	return strpbrk(p, "=<>") != NULL || strstr(p, "~=") || ds_str_has_suffix(p, ".whl") || ds_str_has_suffix(p, ".tar.gz") ||
	       ds_str_has_suffix(p, ".zip") || strchr(p, '/') != NULL;
}

/* DL3013: pip install */
static void pip_install(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
			const struct ds_shell_cmd *cmd)
{
	if (!is_pip_install(cmd, true))
		return;
	if (ds_shell_cmd_has_flag(cmd, "-c", "--constraint", "-r", "--requirement") || ds_shell_cmd_has_arg(cmd, "."))
		return;
	size_t n;
	const struct ds_shell_word **ops = operands(d->tmp, cmd, pip_valued, &n);
	static const char *const inst[] = { "install", NULL };
	size_t from = after_word(ops, n, inst);
	const struct ds_shell_word **bad = ds_arena_alloc(d->tmp, (n + 1) * sizeof *bad);
	size_t nbad = 0;
	for (size_t i = from; i < n; i++)
		if (!ops[i]->expands && !pip_pinned(ops[i]->text))
			bad[nbad++] = ops[i];
	report_unpinned(d, DS_R_DL3013, r, sc, "pip install:", bad, nbad,
			"use 'pip install <package>==<version>' or '--requirement <file>'");
}

static bool truthy(const char *v)
{
	static const char *const t[] = { "1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES", NULL };
	return v && ds_str_in_list(v, t);
}

/* PIP_NO_CACHE_DIR=<truthy> anywhere in the run's scripts (an export or a prefix) */
static bool pip_no_cache_in_script(const struct dl_run *r)
{
	for (size_t s = 0; s < r->nscripts; s++) {
		const struct dl_script *sc = &r->scripts[s];
		for (size_t k = 0; k < sc->ncmds; k++) {
			const struct ds_shell_cmd *c = &sc->cmds[k];
			if (truthy(ds_shell_cmd_assign(c, "PIP_NO_CACHE_DIR")))
				return true;
			for (size_t i = 1; i < c->argc; i++)
				if (ds_str_has_prefix(c->argv[i].text, "PIP_NO_CACHE_DIR=") &&
				    truthy(c->argv[i].text + strlen("PIP_NO_CACHE_DIR=")))
					return true;
		}
	}
	return false;
}

/* DL3042: pip install without --no-cache-dir */
static bool pip_install_cached(const struct ds_shell_cmd *c)
{
	return is_pip_install(c, false) && !ds_shell_cmd_has_flag(c, "--no-cache-dir");
}

static void pip_cache(const struct dl_ctx *d, const struct dl_run *r)
{
	bool any = false;
	for (size_t s = 0; s < r->nscripts && !any; s++)
		for (size_t k = 0; k < r->scripts[s].ncmds && !any; k++)
			any = r->scripts[s].cmds[k].argc && pip_install_cached(&r->scripts[s].cmds[k]);
	if (!any || dl_has_cache_mount(r->in, ".cache/pip") || pip_no_cache_in_script(r))
		return;
	bool known;
	const char *v = dl_var_value(d->c, r->st, r->top->index, "PIP_NO_CACHE_DIR", strlen("PIP_NO_CACHE_DIR"), &known);
	if (known && truthy(v ? dl_drop_quotes(d->c->a, v) : NULL))
		return;
	for (size_t s = 0; s < r->nscripts; s++)
		for (size_t k = 0; k < r->scripts[s].ncmds; k++) {
			const struct ds_shell_cmd *c = &r->scripts[s].cmds[k];
			if (c->argc && pip_install_cached(c))
				dl_report_cmd(d, DS_R_DL3042, r, &r->scripts[s], c,
					      "'pip install' without '--no-cache-dir' keeps pip's cache in the layer");
		}
}

static const char *const npm_valued[] = { "--prefix", "--registry", "--cache", "-w", "--workspace",
					  "--userconfig", "--tag", "--loglevel", NULL };

static bool npm_pinned(const char *p)
{
	static const char *const git[] = { "git://", "git+ssh://", "git+http://", "git+https://", NULL };
	static const char *const paths[] = { "/", "./", "../", "~/", NULL };
	for (const char *const *g = git; *g; g++)
		if (ds_str_has_prefix(p, *g))
			return strchr(p, '#') != NULL;
	if (ds_str_has_suffix(p, ".tar") || ds_str_has_suffix(p, ".tar.gz") || ds_str_has_suffix(p, ".tgz"))
		return true;
	for (const char *const *x = paths; *x; x++)
		if (ds_str_has_prefix(p, *x))
			return true;
	if (!strcmp(p, ".") || !strcmp(p, ".."))
		return true; /* the current folder (hadolint misses these) */
	if (p[0] == '@') {
		const char *sl = strchr(p, '/');
		p = sl ? sl : p + 1;
	}
	return strchr(p, '@') != NULL;
}

/* DL3016: npm install <package> (also its aliases i and add) */
static void npm_install(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
			const struct ds_shell_cmd *cmd)
{
	if (!ds_shell_cmd_is(cmd, "npm"))
		return;
	size_t n;
	const struct ds_shell_word **ops = operands(d->tmp, cmd, npm_valued, &n);
	static const char *const inst[] = { "install", "i", "add", NULL };
	if (n == 0 || !ds_str_in_list(ops[0]->text, inst))
		return;
	const struct ds_shell_word **bad = ds_arena_alloc(d->tmp, (n + 1) * sizeof *bad);
	size_t nbad = 0;
	for (size_t i = 1; i < n; i++)
		if (!ops[i]->expands && !npm_pinned(ops[i]->text))
			bad[nbad++] = ops[i];
	report_unpinned(d, DS_R_DL3016, r, sc, "npm install:", bad, nbad, "use 'npm install <package>@<version>'");
}

/* DL3028: gem install */
static void gem_install(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
			const struct ds_shell_cmd *cmd)
{
	static const char *const inst[] = { "install", "i", NULL };
	if (!ds_shell_cmd_is(cmd, "gem") || !has_any_arg(cmd, inst))
		return;
	if (ds_shell_cmd_has_arg(cmd, "-v") || ds_shell_cmd_has_arg(cmd, "--version") ||
	    ds_shell_cmd_has_arg_prefix(cmd, "--version="))
		return;
	/*
	 * Words after "--" are build options for the gem's extension; a flag
	 * takes the next word as its value (hadolint's removeOptions) unless it
	 * is one of gem install's switches or carries "=value".
	 */
	static const char *const switches[] = { "--no-document", "-N", "--no-ri", "--no-rdoc", "--document",
						"--user-install", "--no-user-install", "--conservative", "--force",
						"-f", "--minimal-deps", "--ignore-dependencies", "--development",
						"--default", "--pre", "--prerelease", "--no-prerelease", "--lock",
						"--no-lock", "--suggestions", "--no-suggestions", "--wrappers",
						"--no-wrappers", "--env-shebang", "-E", "--no-env-shebang",
						"--post-install-message", "--no-post-install-message", "--both", "-l",
						"--local", "-r", "--remote", "--quiet", "-q", "--verbose", "-V",
						"--no-verbose", "--silent", "--clear-sources", "--no-http-proxy", NULL };
	const struct ds_shell_word **bad = ds_arena_alloc(d->tmp, (cmd->argc + 1) * sizeof *bad);
	size_t nbad = 0;
	for (size_t i = 1; i < cmd->argc; i++) {
		const char *p = cmd->argv[i].text;
		if (!strcmp(p, "--"))
			break;
		if (p[0] == '-') {
			if (!strchr(p, '=') && !ds_str_in_list(p, switches))
				i++;
			continue;
		}
		if (ds_str_in_list(p, inst) || cmd->argv[i].expands || strchr(p, ':'))
			continue;
		bad[nbad++] = &cmd->argv[i];
	}
	report_unpinned(d, DS_R_DL3028, r, sc, "gem install:", bad, nbad, "use 'gem install <gem>:<version>'");
}

/* hadolint's isVersionLike (DL3033, DL3041): after the first '-', version characters with a digit-led part */
static bool rpm_pinned(const char *p)
{
	if (ds_str_has_suffix(p, ".rpm"))
		return true;
	const char *dash = strchr(p, '-');
	if (!dash)
		return false;
	bool digit = false;
	const char *part = dash + 1;
	for (const char *q = part;; q++) {
		if (*q == '-' || *q == '\0') {
			if (q > part && part[0] >= '0' && part[0] <= '9')
				digit = true;
			if (!*q)
				break;
			part = q + 1;
			continue;
		}
		char c = *q;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      strchr(".~^_:+", c)))
			return false;
	}
	return digit;
}

static const char *const rpm_valued[] = { "--enablerepo", "--disablerepo", "--setopt", "-c", "--config",
					  "--installroot", "--releasever", "-d", "-e", "--exclude", "-x",
					  "--repo", "--repofrompath", NULL };

/* DL3030 DL3033 (yum) and DL3038 DL3041 (dnf, microdnf) */
static void rpm_install(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
			const struct ds_shell_cmd *cmd)
{
	bool yum = ds_shell_cmd_is(cmd, "yum");
	bool dnf = ds_shell_cmd_is(cmd, "dnf") || ds_shell_cmd_is(cmd, "microdnf");
	if (!yum && !dnf)
		return;
	static const char *const inst[] = { "install", "groupinstall", "localinstall", NULL };
	if (has_any_arg(cmd, inst) && !ds_shell_cmd_has_flag(cmd, "-y", "--assumeyes"))
		dl_report_cmd(d, yum ? DS_R_DL3030 : DS_R_DL3038, r, sc, cmd,
			      "'%s install' without '-y' waits for confirmation; use '%s install -y'",
			      ds_shell_cmd_name(cmd), ds_shell_cmd_name(cmd));
	if (!ds_shell_cmd_has_arg(cmd, "install"))
		return;
	bool module = ds_shell_cmd_has_arg(cmd, "module");
	if (!module && dnf && ds_shell_cmd_has_arg(cmd, "group"))
		return;
	size_t n;
	const struct ds_shell_word **ops = operands(d->tmp, cmd, rpm_valued, &n);
	const struct ds_shell_word **bad = ds_arena_alloc(d->tmp, (n + 1) * sizeof *bad);
	size_t nbad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = ops[i]->text;
		if (!strcmp(p, "install") || !strcmp(p, "module"))
			continue;
		/* a version in a variable pins only when the variable is defined (hadolint 2.15) */
		if (ops[i]->expands && dl_vars_known(d->c, r->st, r->top->index, p))
			continue;
		if (module ? strchr(p, ':') != NULL : rpm_pinned(p))
			continue;
		bad[nbad++] = ops[i];
	}
	char tool[32];
	snprintf(tool, sizeof tool, "%s install:", ds_shell_cmd_name(cmd));
	report_unpinned(d, yum ? DS_R_DL3033 : DS_R_DL3041, r, sc, tool, bad, nbad,
			module ? "use '<module>:<stream>'" : "use '<package>-<version>'");
}

/* DL3034 DL3035 DL3037: zypper */
static void zypper(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
		   const struct ds_shell_cmd *cmd)
{
	if (!ds_shell_cmd_is(cmd, "zypper"))
		return;
	static const char *const change[] = { "install", "in", "remove", "rm", "source-install", "si", "patch", NULL };
	/* -n / --non-interactive is zypper's global form of the same switch */
	if (has_any_arg(cmd, change) &&
	    !ds_shell_cmd_has_flag(cmd, "-y", "--no-confirm", "-n", "--non-interactive"))
		dl_report_cmd(d, DS_R_DL3034, r, sc, cmd,
			      "non-interactive switch missing from 'zypper' command; use 'zypper install -y'");
	static const char *const dup[] = { "dist-upgrade", "dup", NULL };
	if (has_any_arg(cmd, dup))
		dl_report_cmd(d, DS_R_DL3035, r, sc, cmd, "do not use 'zypper dist-upgrade' in a build");
	static const char *const inst[] = { "install", "in", NULL };
	if (!has_any_arg(cmd, inst))
		return;
	size_t n;
	const struct ds_shell_word **ops = operands(d->tmp, cmd, NULL, &n);
	const struct ds_shell_word **bad = ds_arena_alloc(d->tmp, (n + 1) * sizeof *bad);
	size_t nbad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = ops[i]->text;
		if (ds_str_in_list(p, inst) || ops[i]->expands || strpbrk(p, "=<>") || ds_str_has_suffix(p, ".rpm"))
			continue;
		bad[nbad++] = ops[i];
	}
	report_unpinned(d, DS_R_DL3037, r, sc, "zypper install:", bad, nbad, "use 'zypper install -y <package>=<version>'");
}

/* DL3046: useradd with a long UID and no -l */
static void useradd(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
		    const struct ds_shell_cmd *cmd)
{
	if (!ds_shell_cmd_is(cmd, "useradd") || ds_shell_cmd_has_flag(cmd, "-l", "--no-log-init"))
		return;
	const char *uid = ds_shell_cmd_flag_value(cmd, "-u", "--uid");
	if (uid && strlen(uid) > 5)
		dl_report_cmd(d, DS_R_DL3046, r, sc, cmd,
			      "'useradd' with the high UID '%s' and without '-l' fills the lastlog file; add '-l'", uid);
}

/* DL3047: wget without --progress or a quiet switch */
static void wget(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
		 const struct ds_shell_cmd *cmd)
{
	if (!ds_shell_cmd_is(cmd, "wget"))
		return;
	if (ds_shell_cmd_has_flag(cmd, "--progress", "-q", "--quiet", "-o", "--output-file", "-a",
				  "--append-output", "--no-verbose", "-nv"))
		return;
	dl_report_cmd(d, DS_R_DL3047, r, sc, cmd,
		      "'wget' without '--progress=dot:giga', '-q' or '-nv' floods the build log");
}

/* DL3062: go install/get/run without a pinned version */
static void go_install(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
		       const struct ds_shell_cmd *cmd)
{
	static const char *const valued[] = { "-o", "-ldflags", "-gcflags", "-asmflags", "-tags", "-mod",
					      "-modfile", "-C", "-p", "-pkgdir", "-buildmode", "-exec",
					      "-overlay", "-pgo", "-toolexec", "-compiler", "-installsuffix", NULL };
	if (!ds_shell_cmd_is(cmd, "go"))
		return;
	size_t n;
	const struct ds_shell_word **ops = operands(d->tmp, cmd, valued, &n);
	if (n == 0)
		return;
	const char *sub = ops[0]->text;
	bool run = !strcmp(sub, "run");
	if (!run && strcmp(sub, "install") && strcmp(sub, "get"))
		return;
	const struct ds_shell_word **bad = ds_arena_alloc(d->tmp, (n + 1) * sizeof *bad);
	size_t nbad = 0;
	/* go run: only the package; what follows are the program's arguments */
	size_t last = run ? (n > 2 ? 2 : n) : n;
	for (size_t i = 1; i < last; i++) {
		const char *p = ops[i]->text;
		if (ops[i]->expands || !strcmp(p, "tool"))
			continue;
		bool local = p[0] == '.' || p[0] == '/' || ds_str_has_suffix(p, ".go");
		const char *at = strchr(p, '@');
		bool pinned = at && strcmp(at, "@latest") && strcmp(at, "@none");
		if (!local && !pinned)
			bad[nbad++] = ops[i];
	}
	char tool[32];
	snprintf(tool, sizeof tool, "go %s:", sub);
	report_unpinned(d, DS_R_DL3062, r, sc, tool, bad, nbad, "use '<package>@<version>'");
}

/* ---- per command ---- */

static void check_cmd(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
		      const struct ds_shell_cmd *cmd)
{
	const char *name = ds_shell_cmd_name(cmd);
	/* DL3001: the README's list; hadolint's code lacks ifconfig */
	static const char *const pointless[] = { "free", "kill", "mount", "ps", "service", "shutdown", "ssh",
						 "top", "vim", "ifconfig", NULL };
	if (ds_str_in_list(name, pointless))
		dl_report_cmd(d, DS_R_DL3001, r, sc, cmd, "'%s' makes no sense in a container build", name);
	if (!strcmp(name, "cd"))
		dl_report_cmd(d, DS_R_DL3003, r, sc, cmd, "use WORKDIR to switch to a directory, not 'cd'");
	/* DL3004: sudo as the program, or stripped as a wrapper */
	if (!strcmp(name, "sudo") || ds_shell_cmd_has_wrapper(cmd, "sudo"))
		dl_report_cmd(d, DS_R_DL3004, r, sc, cmd,
			      "do not use 'sudo'; it leads to unpredictable behavior, use a tool like gosu");
	if (!strcmp(name, "apt"))
		dl_report_cmd(d, DS_R_DL3027, r, sc, cmd,
			      "do not use 'apt', an end-user tool; use 'apt-get' or 'apt-cache'");
	if (!strcmp(name, "ln") && ds_shell_cmd_has_arg(cmd, "/bin/sh"))
		dl_report_cmd(d, DS_R_DL4005, r, sc, cmd, "use SHELL to change the default shell, not 'ln' on '/bin/sh'");
	apt_get_install(d, r, sc, cmd);
	apk_add(d, r, sc, cmd);
	pip_install(d, r, sc, cmd);
	npm_install(d, r, sc, cmd);
	gem_install(d, r, sc, cmd);
	rpm_install(d, r, sc, cmd);
	zypper(d, r, sc, cmd);
	useradd(d, r, sc, cmd);
	wget(d, r, sc, cmd);
	go_install(d, r, sc, cmd);
}

/* ---- per RUN ---- */

/* The first command of r matching pred, with its script. */
typedef bool (*cmd_pred)(const struct ds_shell_cmd *c);

static const struct ds_shell_cmd *find_cmd(const struct dl_run *r, cmd_pred pred, const struct dl_script **sc)
{
	for (size_t s = 0; s < r->nscripts; s++)
		for (size_t k = 0; k < r->scripts[s].ncmds; k++)
			if (r->scripts[s].cmds[k].argc && pred(&r->scripts[s].cmds[k])) {
				*sc = &r->scripts[s];
				return &r->scripts[s].cmds[k];
			}
	return NULL;
}

static bool apt_update(const struct ds_shell_cmd *c)
{
	return (ds_shell_cmd_is(c, "apt-get") || ds_shell_cmd_is(c, "apt") || ds_shell_cmd_is(c, "aptitude")) &&
	       ds_shell_cmd_has_arg(c, "update");
}

static bool rm_arg_prefix(const struct ds_shell_cmd *c, const char *dir)
{
	if (!ds_shell_cmd_is(c, "rm"))
		return false;
	for (size_t i = 1; i < c->argc; i++)
		if (ds_str_has_prefix(c->argv[i].text, dir))
			return true;
	return false;
}

/* rm of /var/lib/apt/lists, or apt's own dist-clean (apt 2.7), which removes the lists too */
static bool apt_lists_removed(const struct ds_shell_cmd *c)
{
	return rm_arg_prefix(c, "/var/lib/apt/lists") ||
	       ((ds_shell_cmd_is(c, "apt-get") || ds_shell_cmd_is(c, "apt")) && ds_shell_cmd_has_arg(c, "dist-clean"));
}

/*
 * A package manager whose cache must be cleaned after it installs
 * (DL3032 yum, DL3040 dnf and microdnf, DL3036 zypper, DL3060 yarn): the
 * subcommands that fill the cache, the clean that must follow them (the
 * same tool's clean subcommand, or rm of a cache folder), and the cache
 * mounts that make the clean unnecessary.
 */
struct cache_tool {
	const char *tool;
	const char *const *installs;  /* any of these arguments fills the cache */
	const char *const *cleans;    /* any of these (with the tool) cleans it */
	const char *clean2;           /* and this argument too, when not NULL (yarn cache clean) */
	const char *const *rm_dirs;   /* rm of a path under one of these cleans it */
};

static bool fills_cache(const struct ds_shell_cmd *c, const struct cache_tool *t)
{
	return ds_shell_cmd_is(c, t->tool) && has_any_arg(c, t->installs);
}

static bool cleans_cache(const struct ds_shell_cmd *c, const struct cache_tool *t)
{
	if (ds_shell_cmd_is(c, t->tool) && has_any_arg(c, t->cleans) &&
	    (!t->clean2 || ds_shell_cmd_has_arg(c, t->clean2)))
		return true;
	for (const char *const *d = t->rm_dirs; d && *d; d++)
		if (rm_arg_prefix(c, *d))
			return true;
	return false;
}

/*
 * The first command of r that fills t's cache with no clean of it after,
 * in the order the commands run (hadolint compares the indexes of the
 * first install and the first clean: a clean before the install does not
 * count). NULL when every install is followed by a clean.
 */
static const struct ds_shell_cmd *uncleaned(const struct dl_run *r, const struct cache_tool *t,
					    const struct dl_script **where)
{
	const struct ds_shell_cmd *inst = NULL;
	size_t n = 0, first_inst = 0, first_clean = 0;
	bool cleaned = false;
	for (size_t s = 0; s < r->nscripts; s++)
		for (size_t k = 0; k < r->scripts[s].ncmds; k++, n++) {
			const struct ds_shell_cmd *c = &r->scripts[s].cmds[k];
			if (!c->argc)
				continue;
			if (!inst && fills_cache(c, t)) {
				inst = c;
				*where = &r->scripts[s];
				first_inst = n;
			}
			if (!cleaned && cleans_cache(c, t)) {
				cleaned = true;
				first_clean = n;
			}
		}
	return inst && !(cleaned && first_inst < first_clean) ? inst : NULL;
}

static bool is_curl(const struct ds_shell_cmd *c)
{
	return ds_shell_cmd_is(c, "curl");
}

static bool is_wget(const struct ds_shell_cmd *c)
{
	return ds_shell_cmd_is(c, "wget");
}

static bool is_curl_or_wget(const struct ds_shell_cmd *c)
{
	return is_curl(c) || is_wget(c);
}

static bool in_pipe(const struct ds_shell_cmd *c)
{
	return c->in_pipeline;
}

static bool set_pipefail(const struct ds_shell_cmd *c)
{
	return ds_shell_cmd_is(c, "set") && ds_shell_cmd_has_flag(c, "-o") && ds_shell_cmd_has_arg(c, "pipefail");
}

/* Install without a clean after it in the same RUN, unless a cache mount holds the cache. */
static bool install_clean(const struct dl_ctx *d, const struct dl_run *r, enum ds_rule_id id,
			  const struct cache_tool *t, const char *const *mounts, const char *msg)
{
	const struct dl_script *sc = NULL;
	const struct ds_shell_cmd *c = uncleaned(r, t, &sc);
	if (!c)
		return false;
	for (; *mounts; mounts++)
		if (dl_has_cache_mount(r->in, *mounts))
			return false;
	dl_report_cmd(d, id, r, sc, c, "%s", msg);
	return true;
}

/*
 * DL3009 and DL3060 matter only for layers that reach the final image:
 * hadolint reports them in the last stage and in stages a later FROM
 * builds on; here, in the final stage and its FROM ancestors (ONBUILD
 * triggers always, they run in a child image).
 */
static bool reaches_image(const struct dl_ctx *d, const struct dl_run *r)
{
	return r->onbuild || dl_stage_in_final(d->c, r->st);
}

static void check_run(const struct dl_ctx *d, const struct dl_run *r)
{
	for (size_t s = 0; s < r->nscripts; s++)
		for (size_t k = 0; k < r->scripts[s].ncmds; k++)
			if (r->scripts[s].cmds[k].argc)
				check_cmd(d, r, &r->scripts[s], &r->scripts[s].cmds[k]);
	pip_cache(d, r);

	const struct dl_script *sc;
	const struct ds_shell_cmd *c;
	if (reaches_image(d, r) && (c = find_cmd(r, apt_update, &sc)) && !find_cmd(r, apt_lists_removed, &sc) &&
	    !dl_has_cache_mount(r->in, "/var/lib/apt/lists") &&
	    !(dl_has_cache_mount(r->in, "/var/lib/apt") && dl_has_cache_mount(r->in, "/var/cache/apt"))) {
		const struct dl_script *usc = NULL;
		c = find_cmd(r, apt_update, &usc);
		dl_report_cmd(d, DS_R_DL3009, r, usc, c,
			      "delete the apt-get lists after installing something ('rm -rf /var/lib/apt/lists/*') "
			      "or use a cache mount");
	}
	static const char *const yum_mounts[] = { "/var/cache/yum", NULL };
	static const char *const dnf_mounts[] = { "/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5",
						  ".cache/libdnf5", NULL };
	static const char *const zypp_mounts[] = { "/var/cache/zypp", NULL };
	static const char *const yarn_mounts[] = { ".cache/yarn", "/usr/local/share/.cache/yarn", NULL };
	static const char *const install[] = { "install", NULL };
	/* dnf's aliases of the subcommands that download packages (hadolint 2.15) */
	static const char *const dnf_install[] = { "install", "in", "upgrade", "up", "upgrade-minimal", "up-min",
						   "reinstall", "rei", NULL };
	static const char *const zypp_install[] = { "install", "in", NULL };
	static const char *const clean[] = { "clean", NULL };
	static const char *const zypp_clean[] = { "clean", "cc", NULL };
	static const char *const cache[] = { "cache", NULL };
	static const char *const yum_dirs[] = { "/var/cache/yum", NULL };
	static const char *const dnf_dirs[] = { "/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", NULL };
	static const struct cache_tool yum = { "yum", install, clean, NULL, yum_dirs };
	static const struct cache_tool dnf = { "dnf", dnf_install, clean, NULL, dnf_dirs };
	static const struct cache_tool microdnf = { "microdnf", dnf_install, clean, NULL, dnf_dirs };
	static const struct cache_tool zypper = { "zypper", zypp_install, zypp_clean, NULL, NULL };
	static const struct cache_tool yarn = { "yarn", install, cache, "clean", NULL };
	install_clean(d, r, DS_R_DL3032, &yum, yum_mounts, "'yum clean all' missing after 'yum install'");
	/* dnf and microdnf each clean their own cache: one finding for the RUN */
	if (!install_clean(d, r, DS_R_DL3040, &dnf, dnf_mounts, "'dnf clean all' missing after 'dnf install'"))
		install_clean(d, r, DS_R_DL3040, &microdnf, dnf_mounts,
			      "'microdnf clean all' missing after 'microdnf install'");
	install_clean(d, r, DS_R_DL3036, &zypper, zypp_mounts, "'zypper clean' missing after 'zypper install'");
	if (reaches_image(d, r))
		install_clean(d, r, DS_R_DL3060, &yarn, yarn_mounts, "'yarn cache clean' missing after 'yarn install'");
}

/* ---- across instructions: DL3010 DL3059 DL4001 DL4006 ---- */

static bool flags_equal(const struct ds_instr *a, const struct ds_instr *b)
{
	if (a->nflags != b->nflags)
		return false;
	for (uint32_t i = 0; i < a->nflags; i++) {
		bool found = false;
		for (uint32_t k = 0; k < b->nflags && !found; k++)
			found = !strcmp(a->flags[i].text, b->flags[k].text);
		if (!found)
			return false;
	}
	return true;
}

static const char *const archive_ext[] = { ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz",
					   ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz", NULL };

static bool is_archive(const char *p)
{
	for (const char *const *e = archive_ext; *e; e++)
		if (ds_str_has_suffix(p, *e))
			return true;
	return false;
}

static const char *basename_of(const char *p)
{
	const char *b = p + strlen(p);
	while (b > p && b[-1] != '/' && b[-1] != '\\')
		b--;
	return b;
}

/* tar with an extract switch, or one of the decompressors hadolint lists */
static bool extracts(const struct ds_shell_cmd *c)
{
	static const char *const unz[] = { "unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress",
					   "zcat", "gzcat", NULL };
	const char *name = ds_shell_cmd_name(c);
	if (ds_str_in_list(name, unz))
		return true;
	if (strcmp(name, "tar"))
		return false;
	for (size_t i = 1; i < c->argc; i++) {
		const char *t = c->argv[i].text;
		if (!strcmp(t, "--extract") || !strcmp(t, "--get") || (t[0] == '-' && t[1] != '-' && strchr(t, 'x')))
			return true;
		/* old-style first argument without a dash: tar xzf file */
		if (i == 1 && t[0] != '-' && strchr(t, 'x') && strspn(t, "xzjJvfopsSkmwO") == strlen(t))
			return true;
	}
	return false;
}

struct archive {
	const char *base;
	const struct ds_instr *copy;
	bool *hit;
};

/* The RUN a top-level instruction runs: itself, an ONBUILD's RUN, or NULL. */
static const struct ds_instr *run_of(const struct ds_instr *in)
{
	if (in->kind == DS_I_RUN)
		return in;
	if (in->kind == DS_I_ONBUILD && in->sub && in->sub->kind == DS_I_RUN)
		return in->sub;
	return NULL;
}

/*
 * One pass over the instructions: each RUN is split (into d->tmp, emptied
 * first), checked on its own, then against what came before it in its stage.
 */
void dl_rules_run(struct dl_ctx *d)
{
	const struct ds_dockerfile *df = d->c->df;
	const struct ds_model *m = d->c->m;
	struct ds_arena *a = d->c->a;

	/* per-stage state, inherited through FROM <stage> for SHELL */
	uint32_t nst = m ? m->nstages : 0;
	bool *pipefail = nst ? ds_arena_zalloc(a, nst * sizeof *pipefail) : NULL;
	bool cur_pipefail = false, seen_curl = false, seen_wget = false;
	/* `# hadolint shell=powershell` sets a non-POSIX shell like SHELL does (before any FROM: for every stage) */
	struct ds_shell_pragma *sp;
	size_t nsp = ds_lint_shell_pragmas(a, df, &sp), spi = 0;
	bool dflt_nonposix = false;
	/* DL3059 needs of the previous RUN only its instruction and its command count */
	const struct ds_instr *prev = NULL;
	size_t prev_ncmds = 0;
	struct archive *arch = NULL;
	size_t narch = 0, archcap = 0;
	int stage = -1;

	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		struct dl_run run;
		const struct dl_run *r = NULL;
		const struct ds_instr *rin = run_of(in);
		if (rin) {
			ds_arena_reset(d->tmp);
			memset(&run, 0, sizeof run);
			run.in = rin;
			run.top = in;
			run.onbuild = rin != in;
			run.st = m ? ds_model_stage_of(m, i) : NULL;
			dl_build_run(d->tmp, &run);
			check_run(d, &run);
			r = &run;
		}
		for (; spi < nsp && sp[spi].line < in->start_line; spi++) {
			bool nonposix = !ds_shell_is_posix(sp[spi].shell);
			cur_pipefail = nonposix;
			if (stage < 0)
				dflt_nonposix = nonposix;
		}
		if (in->kind == DS_I_FROM) {
			if (stage >= 0 && pipefail)
				pipefail[stage] = cur_pipefail;
			stage++;
			cur_pipefail = dflt_nonposix;
			if (m && (uint32_t)stage < nst && m->stages[stage].base_stage >= 0)
				cur_pipefail = pipefail[m->stages[stage].base_stage];
			seen_curl = seen_wget = false;
			prev = NULL;
			narch = 0;
			continue;
		}
		if (in->kind == DS_I_SHELL) {
			const char *sh = in->nargs ? basename_of(in->args[0].text) : "";
			static const char *const nonposix[] = { "pwsh", "powershell", "pwsh.exe", "powershell.exe",
								"cmd", "cmd.exe", NULL };
			static const char *const pf_shells[] = { "bash", "zsh", "ash", "ksh", "mksh", NULL };
			bool has_o = false, has_pf = false;
			for (uint32_t k = 1; k < in->nargs; k++) {
				const char *t = in->args[k].text;
				if (t[0] == '-' && t[1] != '-' && strchr(t, 'o'))
					has_o = true;
				if (!strcmp(t, "pipefail"))
					has_pf = true;
			}
			cur_pipefail = ds_str_in_list(sh, nonposix) || (ds_str_in_list(sh, pf_shells) && has_o && has_pf);
		}
		if (in->kind == DS_I_COPY && !ds_instr_flag(in, "from") && in->nargs >= 2) {
			/* DL3010: remember local archives copied in (or an archive destination) */
			const char *dest = dl_drop_quotes(d->tmp, in->args[in->nargs - 1].text);
			bool *hit = NULL;
			if (is_archive(dest)) {
				hit = ds_arena_zalloc(a, sizeof *hit);
				arch = ds_arena_grow(a, arch, sizeof *arch, narch, &archcap);
				arch[narch++] = (struct archive){ ds_arena_strdup(a, basename_of(dest)), in, hit };
			} else {
				for (uint32_t k = 0; k + 1 < in->nargs; k++) {
					const char *src = dl_drop_quotes(d->tmp, in->args[k].text);
					if (!is_archive(src))
						continue;
					if (!hit)
						hit = ds_arena_zalloc(a, sizeof *hit);
					arch = ds_arena_grow(a, arch, sizeof *arch, narch, &archcap);
					arch[narch++] = (struct archive){ ds_arena_strdup(a, basename_of(src)), in, hit };
				}
			}
		}
		if (!r || r->onbuild) {
			if (in->kind != DS_I_RUN)
				prev = NULL;
			continue;
		}

		/* DL3010: a RUN extracts an archive that a COPY brought in */
		for (size_t s = 0; s < r->nscripts; s++)
			for (size_t k = 0; k < r->scripts[s].ncmds; k++) {
				const struct ds_shell_cmd *c = &r->scripts[s].cmds[k];
				if (!c->argc || !extracts(c))
					continue;
				for (size_t ai = 0; ai < narch; ai++) {
					if (*arch[ai].hit)
						continue;
					for (size_t w = 1; w < c->argc; w++)
						if (c->argv[w].text[0] != '-' &&
						    !strcmp(basename_of(c->argv[w].text), arch[ai].base)) {
							*arch[ai].hit = true;
							ds_lint_report_instr(d->c, DS_R_DL3010, arch[ai].copy,
									     "'%s' is copied and then extracted in a RUN; "
									     "ADD extracts local archives itself",
									     arch[ai].base);
							break;
						}
				}
			}

		/*
		 * DL3059: consecutive RUNs with the same flags, each a single
		 * command. Chained commands (&&, ;, |) show that the author split
		 * the RUNs on purpose (hadolint counts each command twice, so its
		 * "at most two" means one).
		 */
		if (prev && flags_equal(prev, r->in) && prev_ncmds <= 1 && r->ncmds <= 1)
			ds_lint_report_instr(d->c, DS_R_DL3059, r->in,
					     "multiple consecutive RUN instructions; consider consolidation");
		prev = r->in;
		prev_ncmds = r->ncmds;

		/* DL4001: both curl and wget in one stage */
		const struct dl_script *sc;
		const struct ds_shell_cmd *cw = find_cmd(r, is_curl_or_wget, &sc);
		if (cw) {
			seen_curl = seen_curl || find_cmd(r, is_curl, &sc);
			seen_wget = seen_wget || find_cmd(r, is_wget, &sc);
			cw = find_cmd(r, is_curl_or_wget, &sc);
			if (seen_curl && seen_wget)
				dl_report_cmd(d, DS_R_DL4001, r, sc, cw,
					      "either use wget or curl but not both in one stage");
		}

		/* DL4006: a pipe without pipefail; exec form does not use SHELL */
		bool exec = r->nscripts && r->scripts[0].kind == DL_SCRIPT_EXEC;
		const struct ds_shell_cmd *pc = find_cmd(r, in_pipe, &sc);
		if (pc && !find_cmd(r, set_pipefail, &sc)) {
			bool ok = cur_pipefail;
			if (exec) {
				const struct dl_script *e0 = &r->scripts[0];
				const struct ds_shell_cmd *top = e0->ncmds ? &e0->cmds[e0->ncmds - 1] : NULL;
				ok = top && ds_shell_cmd_has_flag(top, "-o") && ds_shell_cmd_has_arg(top, "pipefail");
			}
			if (!ok) {
				pc = find_cmd(r, in_pipe, &sc);
				dl_report_cmd(d, DS_R_DL4006, r, sc, pc,
					      "set the SHELL option -o pipefail before a RUN with a pipe in it");
			}
		}
	}
}
