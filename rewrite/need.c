/*
 * need.c - step 1 (DESIGN §5): what the final stage runs and needs.
 *
 * Walks the final stage chain (the final stage and the stages it is built
 * FROM): its RUN scripts split into commands, its COPY/ADD, WORKDIR and USER,
 * the CMD and ENTRYPOINT in effect, the program they start, and how the
 * stages that compile it link it.
 */
#include "rewrite/internal.h"

#include <string.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"

/* Commands that only move, write or inspect files: they build no native code. */
const char *const cv_file_tools[] = {
	"mkdir", "chown", "chmod", "chgrp", "cp", "mv", "ln", "touch", "rm", "rmdir", "echo",
	"printf", "cat", "sed", "tee", "true", "false", "set", "export", "cd", "test", "[", "ls",
	"find", "grep", "awk", "sort", "head", "tail", "sleep", "id", "whoami", "date", "env",
	"which", "command", "tar", "gzip", "gunzip", "unzip", "xargs", NULL,
};

void cv_parse_run(struct cv *c, const struct ds_stage *st, const struct ds_instr *in, const char *cwd,
		      struct run *r)
{
	memset(r, 0, sizeof *r);
	r->in = in;
	r->st = st;
	r->cwd = cwd;
	r->map = 2;
	if (in->json) {
		const char **w = ds_arena_alloc(c->a, (in->nargs + 1) * sizeof *w);
		size_t *l = ds_arena_alloc(c->a, (in->nargs + 1) * sizeof *l);
		uint32_t *o = ds_arena_alloc(c->a, (in->nargs + 1) * sizeof *o);
		for (uint32_t i = 0; i < in->nargs; i++) {
			w[i] = in->args[i].text;
			l[i] = in->args[i].len;
			o[i] = 0;
		}
		r->ok = ds_shell_split_argv(c->a, w, l, o, o, in->nargs, &r->cmds, &r->n) == 0;
		return;
	}
	if (!in->nargs)
		return;
	const char *t = in->args[0].text;
	while (*t == ' ' || *t == '\t')
		t++;
	if (in->nheredocs && ds_str_has_prefix(t, "<<") && !strpbrk(t, " \t")) {
		r->hd = &in->heredocs[0];
		r->script = r->hd->content;
		r->slen = r->hd->content_len;
		r->map = r->hd->chomp ? 2 : 1;
	} else {
		r->script = in->args[0].text;
		r->slen = in->args[0].len;
		r->map = 0;
	}
	r->ok = ds_shell_split(c->a, r->script, r->slen, &r->cmds, &r->n) == 0;
}

/* Maps an offset of r's script back to the source. */
uint32_t cv_run_src(const struct cv *c, const struct run *r, size_t off)
{
	if (r->map == 0)
		return ds_run_offset_to_source(c->df, r->in, off);
	if (r->map == 1) {
		size_t o = r->hd->body.off + off;
		return (uint32_t)(o > r->hd->body.end ? r->hd->body.end : o);
	}
	return r->in->span.off;
}

/* The first word after argv[from..] that is not an option (values of with_value options skipped). */
size_t cv_next_operand(const struct ds_shell_cmd *cmd, size_t from, const char *const *with_value)
{
	for (size_t i = from; i < cmd->argc; i++) {
		const char *w = cmd->argv[i].text;
		if (w[0] == '-' && w[1]) {
			if (with_value && ds_str_in_list(w, with_value))
				i++;
			continue;
		}
		return i;
	}
	return cmd->argc;
}

static const char *const apt_value_flags[] = { "-o", "-t", "-c", "--target-release", "--option", NULL };

static void add_pkg(struct cv *c, struct pkg **v, size_t *n, size_t *cap, const char *w, bool apk,
		    const struct ds_instr *in)
{
	size_t nl = strcspn(w, apk ? "=<>~@" : "=");
	if (!nl || w[0] == '-')
		return;
	*v = ds_arena_grow(c->a, *v, sizeof **v, *n, cap);
	(*v)[*n].name = ds_arena_strndup(c->a, w, nl);
	(*v)[*n].apk = apk;
	(*v)[*n].in = in;
	(*n)++;
}

/* What one simple command does; the packages it installs are appended to *pk. */
/*
 * The packages of a package manager's install verb (apk add, apt-get
 * install, ...): operands after verb, skipping flags and the values of the
 * flags in value_flags.
 */
static void collect_pkgs(struct cv *c, const struct ds_shell_cmd *cmd, const char *verb,
			 const char *const *value_flags, bool alpine, const struct ds_instr *in,
			 struct pkg **pk, size_t *npk, size_t *cappk)
{
	size_t s = cv_next_operand(cmd, 1, value_flags);
	if (s >= cmd->argc || strcmp(cmd->argv[s].text, verb))
		return;
	for (size_t i = s + 1; i < cmd->argc; i++) {
		const char *w = cmd->argv[i].text;
		if (w[0] == '-') {
			if (ds_str_in_list(w, value_flags))
				i++;
			continue;
		}
		add_pkg(c, pk, npk, cappk, w, alpine, in);
	}
}

enum cv_cmd_class cv_cmd_class(struct cv *c, const struct ds_shell_cmd *cmd, const struct ds_instr *in,
				struct pkg **pk, size_t *npk, size_t *cappk)
{
	if (!cmd->argc)
		return cmd->nassigns || cmd->nredirs ? CC_BUILD : CC_NEUTRAL;
	const char *name = ds_shell_cmd_name(cmd);
	if (!strcmp(name, "apk")) {
		collect_pkgs(c, cmd, "add", cv_apk_value_flags, true, in, pk, npk, cappk);
		return CC_PKG;
	}
	if (!strcmp(name, "apt-get") || !strcmp(name, "apt") || !strcmp(name, "aptitude") ||
	    !strcmp(name, "dnf") || !strcmp(name, "yum") || !strcmp(name, "microdnf") ||
	    !strcmp(name, "tdnf") || !strcmp(name, "zypper")) {
		collect_pkgs(c, cmd, "install", apt_value_flags, false, in, pk, npk, cappk);
		return CC_PKG;
	}
	if (!strcmp(name, "update-ca-certificates"))
		return CC_PKG;
	if (!strcmp(name, "rm")) {
		size_t ops = 0;
		for (size_t i = 1; i < cmd->argc; i++) {
			const char *w = cmd->argv[i].text;
			if (w[0] == '-')
				continue;
			ops++;
			if (w[0] != '/' || !cv_path_ignored(w))
				return CC_BUILD;
		}
		return ops ? CC_CLEAN : CC_BUILD;
	}
	static const char *const users[] = { "adduser", "addgroup", "useradd", "groupadd", "usermod",
					     "groupmod", "deluser", "delgroup", "userdel", "groupdel", NULL };
	if (ds_str_in_list(name, users))
		return CC_USER;
	if (!strcmp(name, "true") || !strcmp(name, ":") || !strcmp(name, "set"))
		return CC_NEUTRAL;
	if (!strcmp(name, "export")) {
		for (size_t i = 1; i < cmd->argc; i++)
			if (!strchr(cmd->argv[i].text, '='))
				return CC_BUILD;
		return CC_NEUTRAL;
	}
	return CC_BUILD;
}

/* Packages that only serve building: they may stay behind in a builder. */
bool cv_is_build_tool(const char *p)
{
	static const char *const v[] = {
		"build-base", "alpine-sdk", "build-essential", "gcc", "g++", "clang", "llvm", "lld", "make",
		"cmake", "ninja", "ninja-build", "samurai", "meson", "musl-dev", "libc-dev", "libc6-dev",
		"linux-headers", "linux-libc-dev", "pkgconf", "pkgconfig", "pkg-config", "autoconf",
		"automake", "libtool", "m4", "bison", "flex", "gettext", "patch", "file", "binutils", "upx",
		"git", "git-lfs", "mercurial", "subversion", "openssh-client", "openssh", "curl", "wget",
		"ca-certificates", "ca-certificates-bundle", "tzdata", "bash", "coreutils", "findutils",
		"grep", "sed", "gawk", "tar", "gzip", "bzip2", "xz", "xz-utils", "unzip", "zip", "zstd", "jq",
		"rsync", "gnupg", "gnupg2", "dirmngr", "apt-transport-https", "software-properties-common",
		"lsb-release", "python3", "python3-pip", "py3-pip", "python3-venv", "python3-setuptools",
		"py3-setuptools", "python3-wheel", "py3-wheel", "python", "nodejs", "npm", "yarn", "go",
		"golang", "cargo", "rust", "rustc", "protobuf", "protoc", "protobuf-compiler", "maven",
		"gradle", "perl", "dos2unix", "shadow", "sudo", "gcompat", "libc6-compat", "ccache",
		"openssl", "libstdc++", "libgcc", "libstdc++6", "libgcc-s1", "gnu-libiconv", "libffi",
		"busybox", "procps", "net-tools", "iputils", "bind-tools", "less", "vim", "nano", NULL,
	};
	if (ds_str_has_suffix(p, "-dev") || ds_str_has_suffix(p, "-devel") || ds_str_has_suffix(p, "-headers") ||
	    ds_str_has_suffix(p, "-static") || ds_str_has_suffix(p, "-doc") || ds_str_has_suffix(p, "-sdk"))
		return true;
	return ds_str_in_list(p, v);
}

const char *const cv_apk_value_flags[] = { "--virtual", "-t", "--cache-dir", "--wait", NULL };

static void record_copy(struct cv *c, struct an *an, const struct ds_stage *st, const struct ds_instr *in,
			const char *wd)
{
	if (in->nargs < 2 && !(in->nargs == 1 && in->nheredocs))
		return;
	an->copies = ds_arena_grow(c->a, an->copies, sizeof *an->copies, an->ncopies, &an->capcopies);
	struct copy *cp = &an->copies[an->ncopies++];
	memset(cp, 0, sizeof *cp);
	cp->in = in;
	cp->st = st;
	cp->from = -1;
	cp->wd = wd;
	const char *draw = in->args[in->nargs - 1].text;
	const char *d = cv_expand(c, st, in, draw, NULL);
	size_t dl = strlen(d);
	cp->dest_dir = (dl && d[dl - 1] == '/') || in->nargs > 2 || !strcmp(d, ".");
	cp->dest = ds_path_join(c->a, wd, d);
	cp->nsrcs = in->nargs - 1;
	cp->srcs = ds_arena_alloc(c->a, (cp->nsrcs + 1) * sizeof *cp->srcs);
	for (uint32_t k = 0; k + 1 < in->nargs; k++)
		cp->srcs[k] = cv_expand(c, st, in, in->args[k].text, NULL);
	const struct ds_flag *f = ds_instr_flag(in, "from");
	if (f && f->value) {
		cp->from_other = true;
		const struct ds_dep *dep = ds_stage_dep_of(st, in, false); /* indexed: not a scan per COPY */
		if (dep && dep->stage >= 0) {
			cp->from = dep->stage;
			cp->from_other = false;
		}
	}
	f = ds_instr_flag(in, "chown");
	if (f && f->value)
		cp->chown = cv_expand(c, st, in, f->value, NULL);
}

/*
 * Walks chain[0..n) (root first): WORKDIR, COPY/ADD, RUN, USER, from
 * folder wd; final is the stage whose ancestors count as busy. Returns
 * false when a relative path was taken against wd while known_wd is false.
 */
static bool walk_chain(struct cv *c, const struct ds_stage *const *chain, size_t n, const struct ds_stage *final,
		       const char *wd, bool known_wd, struct an *an)
{
	bool sure = true;
	for (size_t s = 0; s < n; s++) {
		const struct ds_stage *st = chain[s];
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in)
				break;
			if (st != final && in->kind != DS_I_ARG)
				an->ancestors_busy = true;
			switch (in->kind) {
			case DS_I_WORKDIR:
				if (in->nargs) {
					const char *w = cv_expand(c, st, in, in->args[0].text, NULL);
					sure = sure && (known_wd || w[0] == '/');
					known_wd = known_wd || w[0] == '/';
					wd = ds_path_join(c->a, wd, w);
					an->workdir_set = true;
				}
				break;
			case DS_I_COPY:
			case DS_I_ADD:
				sure = sure && known_wd;
				record_copy(c, an, st, in, wd);
				break;
			case DS_I_RUN: {
				sure = sure && known_wd;
				/* a heap vector the arena adopts below: no outgrown copies of a record per RUN */
				an->runs = ds_arena_vec_grow(an->runs, sizeof *an->runs, an->nruns, &an->capruns);
				cv_parse_run(c, st, in, wd, &an->runs[an->nruns++]);
				break;
			}
			case DS_I_USER:
				an->user_in = in;
				break;
			default:
				break;
			}
		}
	}
	an->workdir = wd;
	ds_arena_vec_adopt(c->a, an->runs);
	return sure;
}

void cv_analyze_chain(struct cv *c, struct an *an)
{
	walk_chain(c, c->chain, c->nchain, c->fs, c->base_workdir ? c->base_workdir : "/", true, an);
}

bool cv_analyze_stage_chain(struct cv *c, const struct ds_stage *st, struct an *an)
{
	const struct ds_stage *chain[MAX_CHAIN];
	size_t n = 0;
	for (const struct ds_stage *s = st; s && n < MAX_CHAIN; s = cv_stage_parent(c, s))
		chain[n++] = s;
	for (size_t i = 0; i < n / 2; i++) {
		const struct ds_stage *t = chain[i];
		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	const struct ds_stage *r = chain[0];
	const char *wd = NULL;
	if (r->base_kind == DS_BASE_SCRATCH) {
		wd = "/";
	} else if (r->base_kind == DS_BASE_IMAGE && r->has_image) {
		struct ds_image_config bc;
		if (ds_catalog_image_config(c->cat, &r->image, c->a, &bc) == 0 && bc.known && bc.has_workdir)
			wd = bc.workdir && *bc.workdir ? bc.workdir : "/";
	}
	memset(an, 0, sizeof *an);
	return walk_chain(c, chain, n, st, wd ? wd : "/", wd != NULL, an);
}

void cv_command_argv(struct cv *c, const struct ds_instr *in, struct cmdv *out)
{
	memset(out, 0, sizeof *out);
	if (in == c->ovr_in) {
		*out = c->ovr; /* as the build context resolves it */
		return;
	}
	uint32_t first = 0;
	if (in->kind == DS_I_HEALTHCHECK) {
		if (!in->nargs || strcasecmp(in->args[0].text, "CMD")) {
			out->why = "it is not a CMD health check";
			return;
		}
		first = 1;
	}
	if (in->json) {
		out->n = in->nargs - first;
		out->v = ds_arena_alloc(c->a, (out->n + 1) * sizeof *out->v);
		for (uint32_t k = first; k < in->nargs; k++)
			out->v[k - first] = in->args[k].text;
		out->ok = true;
		return;
	}
	if (in->nargs <= first) {
		out->why = "it is empty";
		return;
	}
	struct ds_convert_argv av;
	const char *t = in->args[first].text;
	if (ds_convert_shell_words(c->a, t, strlen(t), &av, &out->why) == 0) {
		out->v = av.v;
		out->n = av.n;
		out->ok = true;
	}
}

/* Which CMD and ENTRYPOINT are in effect at the end of the chain (an ENTRYPOINT resets an inherited CMD). */
void cv_effective_commands(struct cv *c)
{
	const struct ds_instr *cmd = NULL, *ep = NULL;
	const struct ds_stage *cmd_st = NULL;
	for (size_t s = 0; s < c->nchain; s++) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in)
				break;
			if (in->kind == DS_I_CMD) {
				cmd = in;
				cmd_st = st;
			} else if (in->kind == DS_I_ENTRYPOINT) {
				ep = in;
				if (cmd && cmd_st != st)
					cmd = NULL;
			}
		}
	}
	c->cmd = cmd;
	c->ep = ep;
	c->ep_cleared = ep && ((ep->json && !ep->nargs) || (!ep->json && (!ep->nargs || !*ep->args[0].text)));
	if (c->ep_cleared) {
		c->ep_empty = ep;
		c->ep = NULL; /* nothing to convert; the CMD is the whole command */
	}
}

/* The COPY that put path p into the final chain (the last one), or NULL. */
const struct copy *cv_copy_putting(struct an *an, const char *p)
{
	for (size_t i = an->ncopies; i-- > 0;) {
		const struct copy *cp = &an->copies[i];
		if (!strcmp(cp->dest, p))
			return cp;
		if (cp->dest_dir && ds_path_under(p, cp->dest))
			return cp;
		if (ds_path_under(p, cp->dest) && cp->from >= 0)
			return cp;
	}
	return NULL;
}

/* Absolute path of a program word, against the final WORKDIR; bare names are looked up in COPY destinations on PATH. */
const char *cv_program_path(struct cv *c, struct an *an, const char *w)
{
	if (!w || !*w)
		return NULL;
	if (w[0] == '/')
		return ds_path_norm(c->a, w);
	if (strchr(w, '/'))
		return ds_path_join(c->a, an->workdir, w);
	static const char *const pathdirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
						"/usr/bin", "/sbin", "/bin", NULL };
	for (size_t i = an->ncopies; i-- > 0;) {
		const struct copy *cp = &an->copies[i];
		for (size_t k = 0; pathdirs[k]; k++) {
			const char *p = ds_arena_printf(c->a, "%s/%s", pathdirs[k], w);
			if (!strcmp(cp->dest, p))
				return p;
			if (!strcmp(cp->dest, pathdirs[k]))
				for (size_t j = 0; j < cp->nsrcs; j++)
					if (!strcmp(ds_str_basename(cp->srcs[j]), w))
						return p;
		}
	}
	return NULL;
}

/* The language a stage's chain compiles ("go", "rust", "c") and whether the result is static. */
int cv_stage_linking(struct cv *c, const struct ds_stage *st, const char **lang)
{
	struct ds_image_class k;
	const struct ds_stage *r = cv_stage_root(c, st);
	bool have = cv_classify_stage(c, st, &k);
	*lang = have ? k.language : NULL;
	bool alpine = have && k.family == DS_FAMILY_ALPINE;
	bool musl_image = r->base && strstr(r->base, "musl");
	bool go = false, cargo = false, cc = false, stat = false, musl_target = false, cgo_off = false;
	for (const struct ds_stage *s = st; s; s = cv_stage_parent(c, s)) {
		const char *v = ds_scope_get(&s->scope, "CGO_ENABLED", 11);
		if (v && !strcmp(v, "0"))
			cgo_off = true;
		v = ds_scope_get(&s->scope, "CARGO_BUILD_TARGET", 18);
		if (v && strstr(v, "musl"))
			musl_target = true;
		v = ds_scope_get(&s->scope, "LDFLAGS", 7);
		if (v && strstr(v, "-static"))
			stat = true;
		for (uint32_t i = s->first + 1; i <= s->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in || in->kind != DS_I_RUN)
				continue;
			struct run r2;
			cv_parse_run(c, s, in, "/", &r2);
			for (size_t j = 0; j < r2.n; j++) {
				const struct ds_shell_cmd *cmd = &r2.cmds[j];
				const char *a0 = ds_shell_cmd_name(cmd);
				for (size_t q = 0; q < cmd->nassigns; q++) {
					if (!strcmp(cmd->assigns[q].text, "CGO_ENABLED=0"))
						cgo_off = true;
					if (ds_str_has_prefix(cmd->assigns[q].text, "LDFLAGS=") && strstr(cmd->assigns[q].text, "-static"))
						stat = true;
				}
				for (size_t q = 0; q < cmd->argc; q++)
					if (!strcmp(cmd->argv[q].text, "CGO_ENABLED=0"))
						cgo_off = true; /* export CGO_ENABLED=0 */
				if (!strcmp(a0, "go") && cmd->argc > 1 &&
				    (!strcmp(cmd->argv[1].text, "build") || !strcmp(cmd->argv[1].text, "install"))) {
					go = true;
					for (size_t q = 2; q < cmd->argc; q++)
						if (strstr(cmd->argv[q].text, "-static"))
							stat = true;
				}
				if (!strcmp(a0, "cargo") && cmd->argc > 1 &&
				    (!strcmp(cmd->argv[1].text, "build") || !strcmp(cmd->argv[1].text, "install"))) {
					cargo = true;
					for (size_t q = 2; q < cmd->argc; q++)
						if (strstr(cmd->argv[q].text, "musl"))
							musl_target = true;
				}
				if (!strcmp(a0, "gcc") || !strcmp(a0, "cc") || !strcmp(a0, "g++") || !strcmp(a0, "clang") ||
				    !strcmp(a0, "make") || !strcmp(a0, "cmake")) {
					cc = true;
					if (ds_shell_cmd_has_arg(cmd, "-static"))
						stat = true;
				}
			}
		}
	}
	if (!*lang || (strcmp(*lang, "go") && strcmp(*lang, "rust") && strcmp(*lang, "c")))
		*lang = go ? "go" : cargo ? "rust" : cc ? "c" : NULL;
	if (!*lang)
		return LINK_UNKNOWN;
	bool musl = musl_image || alpine;
	if (!strcmp(*lang, "go"))
		return cgo_off ? LINK_STATIC : stat ? (musl ? LINK_STATIC : LINK_STATIC_GLIBC) : LINK_DYNAMIC;
	if (!strcmp(*lang, "rust"))
		return musl_target || musl ? LINK_STATIC : stat ? LINK_STATIC_GLIBC : LINK_DYNAMIC;
	return stat ? (musl ? LINK_STATIC : LINK_STATIC_GLIBC) : LINK_DYNAMIC;
}

/* The distroless runtime for a compiled program: static, else base (Go) or cc. */
const struct ds_catalog_runtime *cv_compiled_runtime(struct cv *c, const struct ds_image_class *k,
							  const char *lang, int link)
{
	if (link == LINK_STATIC)
		return k && k->static_runtime ? k->static_runtime : ds_catalog_runtime(c->cat, "static");
	if (link == LINK_STATIC_GLIBC)
		return ds_catalog_runtime(c->cat, "base");
	if (k && k->dynamic_runtime)
		return k->dynamic_runtime;
	return ds_catalog_runtime(c->cat, lang && !strcmp(lang, "go") ? "base" : "cc");
}

/*
 * W15: a final stage that is a development environment (an image copied in
 * whole, a user with a login shell, editors and shells installed) has
 * nothing to run without a shell. Returns true (and reports) when it looks
 * like one.
 */
bool cv_check_dev_env(struct cv *c, struct an *an)
{
	static const char *const dev_pkgs[] = { "git", "vim", "vim-tiny", "nano", "emacs", "sudo", "zsh", "fish",
						"openssh-server", "openssh", "bash-completion", "tmux", "screen", "man-db",
						"less", "gdb", "strace", "htop", NULL };
	struct ds_buf why = DS_BUF_INIT;
	size_t ndev = 0, signals = 0;
	for (size_t i = 0; i < an->ncopies; i++)
		if (an->copies[i].from_other && !strcmp(an->copies[i].dest, "/") && an->copies[i].nsrcs == 1 &&
		    !strcmp(an->copies[i].srcs[0], "/")) {
			ds_buf_addf(&why, "%sa whole image is copied in", why.len ? "; " : "");
			signals += 2; /* enough on its own */
		}
	struct ds_buf pk = DS_BUF_INIT;
	for (size_t i = 0; i < an->nruns; i++) {
		const struct run *r = &an->runs[i];
		struct pkg *p = NULL;
		size_t np = 0, cap = 0;
		for (size_t j = 0; j < r->n; j++) {
			const struct ds_shell_cmd *cmd = &r->cmds[j];
			cv_cmd_class(c, cmd, r->in, &p, &np, &cap);
			const char *nm = cmd->argc ? ds_shell_cmd_name(cmd) : "";
			if ((!strcmp(nm, "useradd") || !strcmp(nm, "adduser") || !strcmp(nm, "usermod")) &&
			    (ds_shell_cmd_flag_value(cmd, "-s", "--shell")) && strstr(ds_shell_cmd_flag_value(cmd, "-s", "--shell"), "sh") &&
			    !strstr(ds_shell_cmd_flag_value(cmd, "-s", "--shell"), "nologin"))
			{
				ds_buf_addf(&why, "%sa user with the login shell '%s'", why.len ? "; " : "",
					    ds_shell_cmd_flag_value(cmd, "-s", "--shell"));
				signals++;
			}
		}
		for (size_t k = 0; k < np; k++)
			if (ds_str_in_list(p[k].name, dev_pkgs)) {
				ds_buf_addf(&pk, "%s%s", ndev ? ", " : "", p[k].name);
				ndev++;
			}
	}
	if (ndev >= 2) {
		ds_buf_addf(&why, "%sit installs %s", why.len ? "; " : "", pk.buf);
		signals++;
	}
	/* one sign alone (a login shell for a service user, git for a build) is common in applications */
	bool dev = signals >= 2;
	if (dev) {
		struct ds_buf st = DS_BUF_INIT;
		for (uint32_t s = 0; s < c->m->nstages; s++)
			if (c->m->stages[s].name && &c->m->stages[s] != c->fs)
				ds_buf_addf(&st, "%s'%s'", st.len ? ", " : "", c->m->stages[s].name);
		cv_manual(c, AT_FROM(c), "DST201",
			  "the final stage looks like a development environment (%s), which needs its shell; convert the stage that runs the application instead, with --target-stage NAME%s%s",
			  why.buf, st.len ? " (stages: " : "", st.len ? ds_arena_printf(c->a, "%s)", st.buf) : "");
		ds_buf_release(&st);
	}
	ds_buf_release(&why);
	ds_buf_release(&pk);
	return dev;
}

/* The curl or wget that only the HEALTHCHECK of the chain uses, or NULL. */
const char *cv_healthcheck_tool(struct an *an, const struct ds_instr *hc)
{
	if (!hc || !hc->nargs || strcasecmp(hc->args[0].text, "CMD") || hc->nargs < 2)
		return NULL;
	const char *tool = NULL;
	for (uint32_t k = 1; k < hc->nargs && !tool; k++) {
		const char *t = hc->args[k].text;
		if (strstr(t, "curl"))
			tool = "curl";
		else if (strstr(t, "wget"))
			tool = "wget";
	}
	if (!tool)
		return NULL;
	for (size_t i = 0; i < an->nruns; i++)
		for (size_t j = 0; j < an->runs[i].n; j++)
			if (ds_shell_cmd_is(&an->runs[i].cmds[j], tool))
				return NULL;
	return tool;
}

/* The analysed RUN of instruction in, or NULL. */
const struct run *cv_run_of(const struct an *an, const struct ds_instr *in)
{
	size_t lo = 0, hi = an->nruns; /* runs are in file order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (an->runs[mid].in->index < in->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < an->nruns && an->runs[lo].in == in ? &an->runs[lo] : NULL;
}
