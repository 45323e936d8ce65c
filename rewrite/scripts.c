/*
 * scripts.c - step 2 (DESIGN §5): what the build context says about the command.
 *
 * A command that starts a package manager's script (npm start, yarn start,
 * pnpm run X), an entrypoint script of a few known shapes, a script with a
 * shebang, a start script Gradle wrote (gradle.c), a launcher of the base
 * image, or an init wrapper (tini, dumb-init) needs a shell or a tool the
 * runtime lacks. When the build context shows what it comes down to, the
 * command is written as that: the script's program and arguments in exec
 * form, the variables it exports as ENV. The files are read, never run
 * (rewrite/context.h); anything outside the recognised shapes is left to a
 * person, naming the first line that could not be read.
 *
 * Recognised entrypoint scripts (POSIX sh): a "#!" line for sh, bash, ash
 * or dash; blank lines and comments; "set -e"-like options; "export
 * NAME=value", "NAME=value" then "export NAME", ": ${NAME:=default}";
 * ending in "exec "$@"", "exec PROGRAM ARGS "$@"" or "exec PROGRAM ARGS".
 */
#include "rewrite/internal.h"

#include <ctype.h>
#include <fnmatch.h>
#include <string.h>
#include <yaml.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"
#include "rewrite/context.h"

/* ---- from the image to the context ---- */

const char *cv_context_source(struct cv *c, struct an *an, const char *p)
{
	for (size_t i = an->ncopies; i-- > 0;) {
		const struct copy *cp = &an->copies[i];
		if (cp->from >= 0 || cp->from_other || !ds_path_under(p, cp->dest))
			continue;
		/* "" or "/...": what p has below the destination (all of it below "/") */
		const char *rest = strcmp(cp->dest, "/") ? p + strlen(cp->dest) : p;
		for (size_t k = 0; k < cp->nsrcs; k++) {
			const char *s = cp->srcs[k];
			if (strpbrk(s, "*?[") || ds_str_has_prefix(s, "<<") || ds_str_has_prefix(s, "http://") ||
			    ds_str_has_prefix(s, "https://"))
				continue;
			const char *b = ds_str_basename(s);
			/* COPY a/b.sh /dest/ puts /dest/b.sh; COPY dir /dest puts dir's content */
			if (cp->dest_dir && *rest && !strcmp(rest + 1, b))
				return s;
			if (!cp->dest_dir && !*rest && cp->nsrcs == 1)
				return s;
			if (*rest && c->ctx && ds_context_is_dir(c->ctx, s))
				return ds_arena_printf(c->a, "%s%s", s, rest);
		}
		/* a COPY of named files into a folder covers only those; go on to earlier ones */
	}
	return NULL;
}

static const char *image_path(struct cv *c, struct an *an, const char *w);

const char *cv_script_origin(struct cv *c, struct an *an, const char *word)
{
	const char *ip = image_path(c, an, word);
	if (!ip)
		return "it comes with the image or a package, not from the build context";
	const char *src = cv_context_source(c, an, ip);
	if (src) {
		size_t len;
		enum ds_context_miss miss;
		if (!c->ctx)
			return ds_arena_printf(c->a, "it is '%s' of the build context, which distill was not given", src);
		if (!ds_context_read(c->ctx, src, c->a, &len, &miss))
			return ds_arena_printf(c->a, "it is '%s' of the build context, which is %s", src, ds_context_miss_name(miss));
		return NULL;
	}
	for (size_t i = an->ncopies; i-- > 0;)
		if (ds_path_under(ip, an->copies[i].dest) && (an->copies[i].from >= 0 || an->copies[i].from_other))
			return "it comes from another stage or image, whose files distill does not read";
	return NULL;
}

/* ---- package.json ---- */

/* The value of scripts.NAME in a package.json text, or NULL; *found_scripts whether it has "scripts". */
static const char *npm_script(struct ds_arena *a, const char *json, size_t len, const char *name)
{
	yaml_parser_t p;
	yaml_document_t d;
	const char *r = NULL;
	if (!yaml_parser_initialize(&p))
		return NULL;
	yaml_parser_set_input_string(&p, (const unsigned char *)json, len);
	if (!yaml_parser_load(&p, &d)) {
		yaml_parser_delete(&p);
		return NULL;
	}
	yaml_node_t *root = yaml_document_get_root_node(&d);
	if (root && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < root->data.mapping.pairs.top && !r; q++) {
			yaml_node_t *k = yaml_document_get_node(&d, q->key), *v = yaml_document_get_node(&d, q->value);
			if (!k || k->type != YAML_SCALAR_NODE || strcmp((const char *)k->data.scalar.value, "scripts") ||
			    !v || v->type != YAML_MAPPING_NODE)
				continue;
			for (yaml_node_pair_t *s = v->data.mapping.pairs.start; s < v->data.mapping.pairs.top; s++) {
				yaml_node_t *sk = yaml_document_get_node(&d, s->key), *sv = yaml_document_get_node(&d, s->value);
				if (sk && sv && sk->type == YAML_SCALAR_NODE && sv->type == YAML_SCALAR_NODE &&
				    !strcmp((const char *)sk->data.scalar.value, name)) {
					r = ds_arena_strndup(a, (const char *)sv->data.scalar.value, sv->data.scalar.length);
					break;
				}
			}
		}
	}
	yaml_document_delete(&d);
	yaml_parser_delete(&p);
	return r;
}

/* ---- the resolution ---- */

struct res {
	const char **v;
	size_t n;
	const char **env;    /* NAME=value */
	size_t nenv, capenv;
	struct ds_buf how;   /* what was read, for the declared change */
	struct ds_buf init;  /* the init wrapper dropped, for its own declared change */
	const char *fail;    /* why it cannot go further (a person must look) */
	const struct ds_instr *fail_in;
};

static void res_env(struct cv *c, struct res *r, const char *kv)
{
	r->env = ds_arena_grow(c->a, r->env, sizeof *r->env, r->nenv, &r->capenv);
	r->env[r->nenv++] = kv;
}

static void res_set(struct cv *c, struct res *r, const char *const *pre, size_t npre, size_t drop)
{
	size_t rest = r->n > drop ? r->n - drop : 0;
	const char **v = ds_arena_alloc(c->a, (npre + rest + 1) * sizeof *v);
	for (size_t i = 0; i < npre; i++)
		v[i] = pre[i];
	for (size_t i = 0; i < rest; i++)
		v[npre + i] = r->v[drop + i];
	v[npre + rest] = NULL;
	r->v = v;
	r->n = npre + rest;
}

/* The image path of program word w (absolute, or relative to the WORKDIR, or on PATH among COPY destinations). */
static const char *image_path(struct cv *c, struct an *an, const char *w)
{
	if (w[0] == '/')
		return ds_path_norm(c->a, w);
	if (strchr(w, '/'))
		return ds_path_join(c->a, an->workdir, w);
	return cv_program_path(c, an, w);
}

/* npm/yarn/pnpm running script NAME in folder dir of the image: the script's command, or fail. */
static bool package_script(struct cv *c, struct an *an, struct res *r, const char *pm, const char *name,
			   size_t used)
{
	const char *pj = ds_path_join(c->a, an->workdir, "package.json");
	const char *src = cv_context_source(c, an, pj);
	if (!src || !c->ctx) {
		r->fail = ds_arena_printf(c->a, "'%s %s' runs a script of package.json, which the build context does not show (%s)",
					  pm, name, c->ctx ? "no COPY puts it in the WORKDIR" : "no --context");
		return false;
	}
	size_t len;
	enum ds_context_miss miss;
	const char *json = ds_context_read(c->ctx, src, c->a, &len, &miss);
	if (!json) {
		r->fail = ds_arena_printf(c->a, "'%s %s' runs a script of package.json, and '%s' in the build context is %s", pm,
					  name, src, ds_context_miss_name(miss));
		return false;
	}
	const char *script = npm_script(c->a, json, len, name);
	if (!script && !strcmp(name, "start")) {
		/* npm's own default: "node server.js" when server.js is there */
		const char *sj = ds_path_join(c->a, an->workdir, "server.js");
		if (!strcmp(pm, "npm") && cv_context_source(c, an, sj))
			script = "node server.js";
	}
	if (!script) {
		r->fail = ds_arena_printf(c->a, "'%s %s' runs a script '%s' that package.json ('%s') does not have", pm, name, name,
					  src);
		return false;
	}
	/* VAR=value ... node FILE ARGS: one simple command of plain words */
	struct ds_shell_cmd *cmds;
	size_t ncmds;
	bool plain = ds_shell_split(c->a, script, strlen(script), &cmds, &ncmds) == 0 && ncmds == 1 &&
		     !cmds[0].nredirs && !cmds[0].depth && !cmds[0].nwrappers && cmds[0].argc;
	for (size_t i = 0; plain && i < cmds[0].argc; i++)
		plain = !cmds[0].argv[i].expands;
	for (size_t i = 0; plain && i < cmds[0].nassigns; i++)
		plain = !cmds[0].assigns[i].expands;
	if (!plain) {
		r->fail = ds_arena_printf(c->a, "the '%s' script of package.json is \"%s\", which needs a shell (it is not one plain command)",
					  name, script);
		return false;
	}
	for (size_t i = 0; i < cmds[0].nassigns; i++)
		res_env(c, r, cmds[0].assigns[i].text);
	const char **w = ds_arena_alloc(c->a, (cmds[0].argc + 1) * sizeof *w);
	for (size_t i = 0; i < cmds[0].argc; i++)
		w[i] = cmds[0].argv[i].text;
	size_t k = 0, wn = cmds[0].argc;
	if (strcmp(ds_str_basename(w[k]), "node")) {
		r->fail = ds_arena_printf(c->a, "the '%s' script of package.json is \"%s\", which is not a plain 'node FILE' command",
					  name, script);
		return false;
	}
	res_set(c, r, w + k, wn - k, used);
	ds_buf_addf(&r->how, "%s'%s %s' runs \"%s\" ('%s')", r->how.len ? "; " : "", pm, name, script, src);
	return true;
}

/* Whether line is "set" with only -e/-u/-x/-o options. */
static bool set_line(const char *l)
{
	if (strncmp(l, "set ", 4))
		return false;
	static const char *const ok[] = { "-e", "-u", "-x", "-eu", "-ue", "-ex", "-xe", "-eux", "-exu", "-uex", "-xeu",
					  "-o", "errexit", "nounset", "pipefail", "xtrace", "-euo", "-eo", "+x", NULL };
	struct ds_convert_argv w;
	const char *why;
	struct ds_arena a = DS_ARENA_INIT;
	bool r = ds_convert_shell_words(&a, l, strlen(l), &w, &why) == 0;
	for (size_t i = 1; r && i < w.n; i++)
		r = ds_str_in_list(w.v[i], ok);
	ds_arena_release(&a);
	return r;
}

/* A plain assignment NAME=VALUE (value quoted or not, "$VAR"/"${VAR}" allowed); the cooked "NAME=value" or NULL. */
static const char *assignment(struct cv *c, const char *t)
{
	size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	if (!n || t[n] != '=' || isdigit((unsigned char)t[0]))
		return NULL;
	const char *v = t + n + 1;
	/* only variables of the environment may be used: no $1, $@, $(...), backticks */
	for (const char *p = strchr(v, '$'); p; p = strchr(p + 1, '$')) {
		const char *q = p[1] == '{' ? p + 2 : p + 1;
		if (!(isalpha((unsigned char)*q) || *q == '_') || (p[1] == '{' && strpbrk(q, "}") &&
								    strcspn(q, ":-=?+#%/}") < strcspn(q, "}")))
			return NULL;
	}
	if (strchr(v, '`'))
		return NULL;
	struct ds_convert_argv w;
	const char *why;
	/* the value as the shell reads it, variables left for ENV to expand */
	char *tmp = ds_arena_printf(c->a, "x %s", v);
	for (char *p = tmp; *p; p++)
		if (*p == '$')
			*p = '\x01';
	if (ds_convert_shell_words(c->a, tmp, strlen(tmp), &w, &why) < 0 || w.n != 2)
		return NULL;
	char *val = ds_arena_strdup(c->a, w.v[1]);
	for (char *p = val; *p; p++)
		if (*p == '\x01')
			*p = '$';
	return ds_arena_printf(c->a, "%.*s=%s", (int)n, t, val);
}

/* An entrypoint script of a recognised shape, applied to r (whose v[0] is it). */
static bool entry_script(struct cv *c, struct res *r, const char *src, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;
	const char **pending = NULL; /* NAME=value waiting for export */
	size_t npending = 0, cappending = 0;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		lineno++;
		char *l = ds_arena_strndup(c->a, p, (size_t)(e - p));
		p = e + 1;
		char *s = l;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t n = strlen(s);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
			s[--n] = '\0';
		if (lineno == 1 && ds_str_has_prefix(s, "#!")) {
			const char *sh = s + 2;
			while (*sh == ' ')
				sh++;
			if (ds_str_has_prefix(sh, "/usr/bin/env "))
				sh += 13;
			const char *b = ds_str_basename(sh);
			if (strcmp(b, "sh") && strcmp(b, "bash") && strcmp(b, "ash") && strcmp(b, "dash") &&
			    strncmp(b, "sh ", 3) && strncmp(b, "bash ", 5)) {
				r->fail = ds_arena_printf(c->a, "'%s' runs with '%s', not a shell distill can read", src, sh);
				return false;
			}
			continue;
		}
		if (!*s || *s == '#' || set_line(s))
			continue;
		const char *kv;
		if (ds_str_has_prefix(s, "export ") && (kv = assignment(c, s + 7))) {
			res_env(c, r, kv);
			continue;
		}
		if (ds_str_has_prefix(s, "export ") && strspn(s + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
							    strlen(s + 7)) {
			bool hit = false;
			for (size_t i = 0; i < npending; i++)
				if (!strncmp(pending[i], s + 7, strlen(s + 7)) && pending[i][strlen(s + 7)] == '=') {
					res_env(c, r, pending[i]);
					hit = true;
				}
			if (hit)
				continue;
		}
		if ((kv = assignment(c, s))) {
			pending = ds_arena_grow(c->a, pending, sizeof *pending, npending, &cappending);
			pending[npending++] = kv;
			continue;
		}
		if (ds_str_has_prefix(s, ": \"${") || ds_str_has_prefix(s, ": ${")) {
			/* : ${NAME:=default}: a default the image's ENV may already set */
			const char *q = strstr(s, "${") + 2;
			size_t nn = strspn(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
			if (nn && !strncmp(q + nn, ":=", 2)) {
				const char *def = q + nn + 2, *close = strchr(def, '}');
				if (close && !memchr(def, '$', (size_t)(close - def))) {
					char *name = ds_arena_strndup(c->a, q, nn);
					bool known;
					if (!ds_image_model_env(&c->im0, name, &known) && known)
						res_env(c, r, ds_arena_printf(c->a, "%s=%.*s", name, (int)(close - def), def));
					continue;
				}
			}
		}
		if (ds_str_has_prefix(s, "exec ")) {
			struct ds_convert_argv w;
			const char *why;
			/* "$@" stands for the arguments: mark it, then split */
			char *t = ds_arena_strdup(c->a, s + 5);
			char *at = strstr(t, "\"$@\"");
			bool rest = at != NULL;
			if (at && at[4] == '\0')
				*at = '\0';
			else if (at)
				rest = false, at = NULL;
			if (!strstr(s, "$@") || rest) {
				if (!*t || strspn(t, " \t") == strlen(t)) {
					res_set(c, r, NULL, 0, 1); /* exec "$@": the arguments themselves */
				} else if (ds_convert_shell_words(c->a, t, strlen(t), &w, &why) == 0) {
					res_set(c, r, w.v, w.n, rest ? 1 : r->n); /* without "$@" the arguments are dropped */
				} else {
					r->fail = ds_arena_printf(c->a, "line %zu of '%s' (\"%s\") needs a shell: %s", lineno, src, s, why);
					return false;
				}
				/* nothing after exec runs */
				ds_buf_addf(&r->how, "%sentrypoint script '%s' exports %zu variable%s and runs its arguments", r->how.len ? "; " : "",
					    src, r->nenv, r->nenv == 1 ? "" : "s");
				return true;
			}
		}
		r->fail = ds_arena_printf(c->a, "line %zu of '%s' (\"%.80s\") is not one distill can turn into ENV and exec form",
					  lineno, src, s);
		return false;
	}
	r->fail = ds_arena_printf(c->a, "'%s' ends without running a program (no exec)", src);
	return false;
}

/* ---- launchers the base image ships ---- */

/*
 * Whether a COPY of the final chain may put image path p: a file named so,
 * a glob whose name pattern matches (globs are taken to match files), or a
 * folder copied where p would land whose content the context has or does
 * not show. True when it cannot tell.
 */
static bool may_put(struct cv *c, struct an *an, const char *p)
{
	for (size_t i = 0; i < an->ncopies; i++) {
		const struct copy *cp = &an->copies[i];
		if (!strcmp(cp->dest, p))
			return true;
		if (!ds_path_under(p, cp->dest))
			continue;
		const char *rest = p + strlen(cp->dest) + (strcmp(cp->dest, "/") ? 1 : 0);
		for (size_t k = 0; k < cp->nsrcs; k++) {
			const char *s = cp->srcs[k], *b = ds_str_basename(s);
			if (cp->from >= 0 || cp->from_other || ds_str_has_prefix(s, "<<"))
				return true;
			if (cp->dest_dir && !strchr(rest, '/') && fnmatch(b, rest, 0) == 0)
				return true;
			/* a folder's content lands under dest */
			if (!strpbrk(s, "*?[") && (!c->ctx || ds_context_is_dir(c->ctx, s))) {
				if (!c->ctx)
					return true;
				enum ds_context_miss miss;
				size_t len;
				const char *f = ds_arena_printf(c->a, "%s/%s", s, rest);
				if (ds_context_read(c->ctx, f, c->a, &len, &miss) || miss != DS_CTX_MISSING)
					return true;
			}
		}
	}
	return false;
}

/* The words of a value as an unquoted expansion splits them; NULL when globbing could change them. */
static const char **split_value(struct cv *c, const char *v, size_t *n)
{
	*n = 0;
	if (strpbrk(v, "*?["))
		return NULL;
	size_t cap = 0;
	const char **w = NULL;
	for (const char *p = v; *p;) {
		p += strspn(p, " \t\n");
		size_t l = strcspn(p, " \t\n");
		if (!l)
			break;
		w = ds_arena_grow(c->a, w, sizeof *w, *n, &cap);
		w[(*n)++] = ds_arena_strndup(c->a, p, l);
		p += l;
	}
	return w;
}

/*
 * run-java.sh of Red Hat's OpenJDK images (ubi8/ubi9 openjdk-NN and
 * openjdk-NN-runtime, as built from rh-openjdk/redhat-openjdk-containers):
 * with JAVA_APP_JAR set and neither JAVA_OPTS, JAVA_MAIN_CLASS nor the
 * debug and diagnostics switches, it changes to JAVA_APP_DIR (/deployments,
 * from its run-env.sh) and runs
 *   java DEFAULTS JAVA_OPTS_APPEND -cp CLASSPATH -jar JAVA_APP_JAR ARGS
 * where DEFAULTS come from java-default-options: -XX:MaxRAMPercentage
 * (JAVA_MAX_MEM_RATIO, 80 by default, 0 for none), the GC options (GC_*
 * variables, -XX:+UseParallelGC by default) and -XX:+ExitOnOutOfMemoryError.
 * Returns 1 when r now holds that command (cwd in *cwd), 0 when v[0] is not
 * this launcher, -1 when it is but distill cannot follow it (r->fail).
 */
static int run_java(struct cv *c, struct an *an, struct res *r, const char **cwd)
{
	static const char launcher[] = "/opt/jboss/container/java/run/run-java.sh";
	if (!r->n || !ds_str_has_suffix(r->v[0], "/run-java.sh") || strcmp(ds_path_norm(c->a, r->v[0]), launcher) ||
	    !c->root || !c->has_cls || !c->cls.language ||
	    strcmp(c->cls.language, "java"))
		return 0;
	struct ds_image_config bc;
	if (ds_catalog_image_config(c->cat, &c->root->image, c->a, &bc) < 0 || !bc.known)
		return 0;
	bool shipped = false;
	for (size_t i = 0; i < bc.binaries.n && !shipped; i++)
		shipped = !strcmp(bc.binaries.v[i], launcher);
	if (!shipped || may_put(c, an, launcher))
		return 0;
	const char *src = launcher;
	if (!c->cls.version || (strcmp(c->cls.version, "17") && strcmp(c->cls.version, "21"))) {
		r->fail = ds_arena_printf(c->a, "'%s' of java %s: distill knows the default JVM options of its java 17 and 21 images only",
					  src, c->cls.version ? c->cls.version : "(unknown version)");
		return -1;
	}
	/* the variables it reads, as the image sets them */
	static const char *const refused[] = { "JAVA_OPTS", "JAVA_OPTIONS", "JAVA_MAIN_CLASS", "JAVA_DEBUG",
					       "JAVA_DIAGNOSTICS", "JAVA_APP_NAME", "JAVA_CLASSPATH", "JAVA_LIB_DIR",
					       "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", NULL };
	for (size_t i = 0; refused[i]; i++) {
		bool known;
		const char *v = ds_image_model_env(&c->im0, refused[i], &known);
		if (!known || (v && *v)) {
			r->fail = ds_arena_printf(c->a, "'%s' reads %s, which the image %s; distill follows the launcher only when it is unset",
						  src, refused[i], known ? "sets" : "may set (its value is unknown)");
			return -1;
		}
	}
	bool known;
	const char *dir = ds_image_model_env(&c->im0, "JAVA_APP_DIR", &known);
	if (!known || (dir && *dir && strcmp(ds_path_norm(c->a, dir), "/deployments"))) {
		r->fail = ds_arena_printf(c->a, "'%s' with JAVA_APP_DIR other than /deployments: versions of the image differ in what it then does", src);
		return -1;
	}
	dir = "/deployments";
	static const char *const sourced[] = { "/deployments/run-env.sh", "/opt/run-java-options",
					       "/opt/jboss/container/java/run/run-env.sh",
					       "/opt/jboss/container/java/jvm/java-default-options", NULL };
	for (size_t i = 0; sourced[i]; i++)
		if (may_put(c, an, sourced[i])) {
			r->fail = ds_arena_printf(c->a, "'%s' reads '%s', which a COPY may put in the image", src, sourced[i]);
			return -1;
		}
	const char *jar = ds_image_model_env(&c->im0, "JAVA_APP_JAR", &known);
	if (!known || !jar || !*jar) {
		r->fail = ds_arena_printf(c->a, "'%s' without JAVA_APP_JAR looks for the one jar in %s at start, which distill does not follow",
					  src, dir);
		return -1;
	}
	if (jar[0] != '/' || strpbrk(jar, " \t*?[")) {
		r->fail = ds_arena_printf(c->a, "'%s' with JAVA_APP_JAR '%s': distill follows an absolute path only", src, jar);
		return -1;
	}
	/* java-default-options */
	const char **v = NULL;
	size_t n = 0, cap = 0;
#define PUSH(w) (v = ds_arena_grow(c->a, v, sizeof *v, n, &cap), v[n++] = (w))
	PUSH("java");
	const char *ratio = ds_image_model_env(&c->im0, "JAVA_MAX_MEM_RATIO", &known);
	if (!known || (ratio && *ratio && strspn(ratio, "0123456789") != strlen(ratio))) {
		r->fail = ds_arena_printf(c->a, "'%s' reads JAVA_MAX_MEM_RATIO '%s'; distill follows whole numbers only", src,
					  ratio ? ratio : "(unknown)");
		return -1;
	}
	if (!ratio || !*ratio)
		PUSH("-XX:MaxRAMPercentage=80.0");
	else if (strspn(ratio, "0") != strlen(ratio))
		PUSH(ds_arena_printf(c->a, "-XX:MaxRAMPercentage=%s.0", ratio + strspn(ratio, "0")));
	static const char *const gc[][3] = { { "GC_MIN_HEAP_FREE_RATIO", "-XX:MinHeapFreeRatio=", "10" },
					     { "GC_MAX_HEAP_FREE_RATIO", "-XX:MaxHeapFreeRatio=", "20" },
					     { "GC_TIME_RATIO", "-XX:GCTimeRatio=", "4" },
					     { "GC_ADAPTIVE_SIZE_POLICY_WEIGHT", "-XX:AdaptiveSizePolicyWeight=", "90" } };
	/* the metaspace sizes are clamped against each other by arithmetic distill does not follow */
	static const char *const unfollowed[] = { "GC_METASPACE_SIZE", "GC_MAX_METASPACE_SIZE", NULL };
	for (size_t i = 0; unfollowed[i]; i++) {
		const char *x = ds_image_model_env(&c->im0, unfollowed[i], &known);
		if (!known || (x && *x)) {
			r->fail = ds_arena_printf(c->a, "'%s' reads %s, which distill does not follow", src, unfollowed[i]);
			return -1;
		}
	}
	const char *gco = ds_image_model_env(&c->im0, "GC_CONTAINER_OPTIONS", &known);
	if (!known) {
		r->fail = ds_arena_printf(c->a, "'%s' reads GC_CONTAINER_OPTIONS, whose value is unknown", src);
		return -1;
	}
	size_t nw;
	const char **w = split_value(c, gco && *gco ? gco : "-XX:+UseParallelGC", &nw);
	for (size_t i = 0; w && i < nw; i++)
		PUSH(w[i]);
	for (size_t i = 0; i < sizeof gc / sizeof gc[0]; i++) {
		const char *x = ds_image_model_env(&c->im0, gc[i][0], &known);
		if (!known || (x && strpbrk(x, " \t*?["))) {
			r->fail = ds_arena_printf(c->a, "'%s' reads %s, whose value distill cannot use", src, gc[i][0]);
			return -1;
		}
		PUSH(ds_arena_printf(c->a, "%s%s", gc[i][1], x && *x ? x : gc[i][2]));
	}
	PUSH("-XX:+ExitOnOutOfMemoryError");
	const char *app = ds_image_model_env(&c->im0, "JAVA_OPTS_APPEND", &known);
	if (!known) {
		r->fail = ds_arena_printf(c->a, "'%s' reads JAVA_OPTS_APPEND, whose value is unknown", src);
		return -1;
	}
	w = app ? split_value(c, app, &nw) : NULL;
	if (app && !w) {
		r->fail = ds_arena_printf(c->a, "'%s' splits JAVA_OPTS_APPEND (\"%s\") unquoted, and its wildcards would match files", src, app);
		return -1;
	}
	for (size_t i = 0; w && i < nw; i++)
		PUSH(w[i]);
	PUSH("-cp");
	PUSH(".");
	PUSH("-jar");
	PUSH(jar);
	/* "$*" unquoted: the arguments split again */
	for (size_t i = 1; i < r->n; i++) {
		w = split_value(c, r->v[i], &nw);
		if (!w || nw != 1) {
			r->fail = ds_arena_printf(c->a, "'%s' passes its arguments on unquoted, and '%s' would be split or matched against files", src, r->v[i]);
			return -1;
		}
		PUSH(w[0]);
	}
#undef PUSH
	res_set(c, r, v, n, r->n);
	*cwd = dir;
	ds_buf_addf(&r->how, "%s'%s' of '%s' runs java in %s with its default JVM options and JAVA_OPTS_APPEND; the "
			     "variables it reads at container start (JAVA_OPTS_APPEND, JAVA_MAX_MEM_RATIO, GC_*, JAVA_DEBUG, ...) "
			     "now take effect only as set in the Dockerfile, and its start-up log lines are gone",
		    r->how.len ? "; " : "", src, c->root->base ? c->root->base : "the base image", dir);
	return 1;
}

/* Takes an init wrapper (tini, dumb-init) and its options off r; true when there was one. */
static bool init_wrapper(struct cv *c, struct res *r)
{
	const char *b = ds_str_basename(r->v[0]);
	if (strcmp(b, "tini") && strcmp(b, "tini-static") && strcmp(b, "dumb-init"))
		return false;
	size_t k = 1;
	while (k < r->n && r->v[k][0] == '-') {
		if (!strcmp(r->v[k], "--")) {
			k++;
			break;
		}
		k++;
	}
	ds_buf_addf(&r->init, "'%s' in front of the program is dropped: reaping zombies and passing signals is the job of 'docker run --init' or the orchestrator",
		    b);
	res_set(c, r, NULL, 0, k);
	c->init_tool = !strcmp(b, "tini-static") ? "tini" : ds_arena_strdup(c->a, b);
	return true;
}

void cv_resolve_command(struct cv *c, struct an *an)
{
	const struct ds_instr *carrier = c->cmd ? c->cmd : c->ep;
	if (!carrier)
		return;
	struct cmdv e = { 0 }, d = { 0 };
	if (c->ep)
		cv_command_argv(c, c->ep, &e);
	if (c->cmd)
		cv_command_argv(c, c->cmd, &d);
	if ((c->ep && !e.ok) || (c->cmd && !d.ok))
		return; /* shell features: reported by the command step */
	struct res r;
	memset(&r, 0, sizeof r);
	r.n = e.n + (c->ep && c->ep->json ? d.n : c->ep ? 0 : d.n);
	r.v = ds_arena_alloc(c->a, (r.n + 1) * sizeof *r.v);
	for (size_t i = 0; i < e.n; i++)
		r.v[i] = e.v[i];
	for (size_t i = e.n; i < r.n; i++)
		r.v[i] = d.v[i - e.n];
	bool changed = false;
	for (int guard = 0; guard < 4 && r.n && !r.fail; guard++) {
		const char *a0 = r.v[0], *b = ds_str_basename(a0);
		if (init_wrapper(c, &r)) {
			changed = true;
			continue;
		}
		if ((!strcmp(b, "npm") || !strcmp(b, "yarn") || !strcmp(b, "pnpm")) && r.n >= 2) {
			size_t used = 2;
			const char *name = r.v[1];
			if ((!strcmp(name, "run") || !strcmp(name, "run-script")) && r.n >= 3) {
				name = r.v[2];
				used = 3;
			} else if (strcmp(name, "start") && !(strcmp(b, "npm") && r.n == 2)) {
				break; /* npm install, yarn build, ...: not a script run */
			}
			if (used < r.n && !strcmp(r.v[used], "--"))
				used++;
			if (used != r.n) {
				r.fail = ds_arena_printf(c->a, "'%s %s' passes arguments to its script, which distill does not follow", b, name);
				break;
			}
			if (!package_script(c, an, &r, b, name, used))
				break;
			changed = true;
			continue;
		}
		/* a console script pip wrote for a package on a python image: python runs it itself */
		if (!strchr(a0, '/') && c->has_cls && c->cls.language && !strcmp(c->cls.language, "python") &&
		    !ds_str_has_prefix(b, "python") && !image_path(c, an, a0)) {
			const char **pv;
			size_t pn;
			const char *what;
			int pr = cv_python_console_script(c, an, a0, &pv, &pn, &what);
			if (pr < 0) {
				r.fail = what;
				break;
			}
			if (pr > 0) {
				const char *pre[3] = { "python", pv[0], pv[1] };
				res_set(c, &r, pre, 3, 1);
				ds_buf_addf(&r.how, "%s'%s' is %s: python runs it with %s '%s' (sys.argv[0] names that, not the script, and sys.path starts with the working folder)",
					    r.how.len ? "; " : "", a0, what, pv[0], pv[1]);
				changed = true;
				continue;
			}
		}
		/* a launcher the base image ships */
		const char *cwd = NULL;
		int lr = run_java(c, an, &r, &cwd);
		if (lr < 0)
			break;
		if (lr > 0) {
			c->ovr_workdir = cwd;
			changed = true;
			continue;
		}
		/* a start script Gradle wrote, whose build file the context holds */
		const char *ip = image_path(c, an, a0);
		const char **jv;
		size_t jn;
		const char *msg;
		int gr = ip ? cv_gradle_start_script(c, an, ip, &jv, &jn, &msg) : 0;
		if (gr < 0) {
			r.fail = msg;
			break;
		}
		if (gr > 0) {
			res_set(c, &r, jv, jn, 1); /* "$@": its arguments follow */
			ds_buf_addf(&r.how, "%s%s", r.how.len ? "; " : "", msg);
			changed = true;
			continue;
		}
		/* a script file the context holds: an entrypoint of a known shape, or a shebang */
		const char *src = ip ? cv_context_source(c, an, ip) : NULL;
		if (!src || !c->ctx)
			break;
		size_t len;
		enum ds_context_miss miss;
		const char *text = ds_context_read(c->ctx, src, c->a, &len, &miss);
		if (!text || len < 2 || strncmp(text, "#!", 2))
			break; /* a binary, or unreadable: the linking step decides */
		const char *nl = memchr(text, '\n', len);
		char *she = ds_arena_strndup(c->a, text + 2, nl ? (size_t)(nl - text - 2) : len - 2);
		while (*she == ' ')
			she++;
		/* the kernel reads "#!INTERPRETER [ONE-ARGUMENT]"; env names the interpreter in its argument */
		size_t il = strcspn(she, " \t\r");
		const char *interp = ds_arena_strndup(c->a, she, il), *arg = she + il;
		while (*arg == ' ' || *arg == '\t')
			arg++;
		if (!strcmp(ds_str_basename(interp), "env")) {
			if (ds_str_has_prefix(arg, "-S "))
				arg += 3;
			interp = ds_arena_strndup(c->a, arg, strcspn(arg, " \t\r"));
		}
		const char *ib = ds_str_basename(interp);
		if (!strcmp(ib, "sh") || !strcmp(ib, "bash") || !strcmp(ib, "ash") || !strcmp(ib, "dash")) {
			if (!entry_script(c, &r, src, text, len))
				break;
			changed = true;
			continue;
		}
		if (!strcmp(ib, "node") || ds_str_has_prefix(ib, "python")) {
			/* #!/usr/bin/env node: the interpreter runs the file */
			const char *pre[2] = { ib, ip };
			res_set(c, &r, pre, 2, 1);
			ds_buf_addf(&r.how, "%s'%s' is a %s script (#!%s): the runtime's %s runs it", r.how.len ? "; " : "", src, ib,
				    she, ib);
			changed = true;
			continue;
		}
		break;
	}
	if (r.fail || !changed) {
		if (r.fail)
			cv_manual(c, AT_INSTR(c, carrier), "DST105", "%s", r.fail);
		ds_buf_release(&r.how);
		ds_buf_release(&r.init);
		return;
	}
	/* the command becomes one CMD: what it comes down to, for the runtime to run */
	c->ovr_in = carrier;
	c->ovr.v = r.v;
	c->ovr.n = r.n;
	c->ovr.ok = true;
	c->ovr_env = r.env;
	c->novr_env = r.nenv;
	c->resolved = r.v;
	c->nresolved = r.n;
	if (c->ep && c->ep != carrier)
		c->ovr_drop = c->ep;
	if (!c->cmd)
		c->as_cmd = carrier;
	c->cmd = carrier;
	c->ep = NULL;
	if (r.init.len)
		cv_declare(c, DS_CHANGE_INIT, AT_INSTR(c, carrier), "DST105", "%s", r.init.buf);
	if (r.how.len)
		cv_declare(c, DS_CHANGE_SCRIPT, AT_INSTR(c, carrier), "DST105", "%s: the command runs that directly%s",
			   r.how.buf, r.nenv ? ", and what it exports becomes ENV" : "");
	ds_buf_release(&r.how);
	ds_buf_release(&r.init);
}
