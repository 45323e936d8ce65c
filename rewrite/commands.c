/* commands.c - step 4, commands: CMD, ENTRYPOINT and HEALTHCHECK in exec form for the runtime. */
#include "rewrite/internal.h"

#include <ctype.h>
#include <string.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"

/* Whether the raw shell word w[0..n) holds an unquoted glob character or starts with a tilde. */
static bool raw_word_globs(const char *w, size_t n, bool *tilde)
{
	char q = 0;
	*tilde = n > 0 && w[0] == '~';
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (q) {
			if (c == q)
				q = 0;
			else if (q == '"' && c == '\\')
				i++;
			continue;
		}
		if (c == '\\') {
			i++;
			continue;
		}
		if (c == '\'' || c == '"') {
			q = c;
			continue;
		}
		if (c == '*' || c == '?' || c == '[')
			return true;
	}
	return false;
}

int ds_convert_shell_words(struct ds_arena *a, const char *cmd, size_t len,
			   struct ds_convert_argv *out, const char **why)
{
	out->v = NULL;
	out->n = 0;
	struct ds_shell_cmd *cs;
	size_t n;
	if (ds_shell_split(a, cmd, len, &cs, &n) < 0) {
		*why = "it has an unterminated quote or substitution";
		return -1;
	}
	size_t top = 0;
	const struct ds_shell_cmd *c = NULL;
	for (size_t i = 0; i < n; i++)
		if (cs[i].depth == 0) {
			top++;
			c = &cs[i];
		}
	if (!c || !top) {
		*why = "it is empty";
		return -1;
	}
	if (top > 1) {
		enum ds_shell_op op = DS_SH_NONE;
		for (size_t i = 0, k = 0; i < n && !op; i++)
			if (cs[i].depth == 0 && k++ == 1)
				op = cs[i].op;
		*why = op == DS_SH_AND ? "it joins commands with '&&'"
		     : op == DS_SH_OR ? "it joins commands with '||'"
		     : op == DS_SH_PIPE ? "it uses a pipe"
		     : op == DS_SH_AMP ? "it runs a command in the background with '&'"
		     : op == DS_SH_SEMI ? "it joins commands with ';'"
		     : "it runs several commands";
		return -1;
	}
	if (c->argc && (ds_shell_cmd_is(c, "sh") || ds_shell_cmd_is(c, "bash") || ds_shell_cmd_is(c, "ash") ||
			ds_shell_cmd_is(c, "dash") || ds_shell_cmd_is(c, "zsh"))) {
		*why = "it runs a shell";
		return -1;
	}
	if (n > top) {
		*why = "it uses command substitution";
		return -1;
	}
	if (c->nassigns) {
		*why = "it sets variables before the command";
		return -1;
	}
	if (c->nredirs) {
		*why = "it redirects input or output";
		return -1;
	}
	for (size_t i = 0; i < c->nwrappers; i++)
		if (strcmp(c->wrappers[i], "exec")) {
			*why = "it runs the program through a wrapper command";
			return -1;
		}
	if (!c->argc) {
		*why = "it is empty";
		return -1;
	}
	/* a lone trailing '&' puts the command in the background */
	for (size_t i = c->end; i < len; i++) {
		if (cmd[i] == ' ' || cmd[i] == '\t' || cmd[i] == '\n' || cmd[i] == '\r' || cmd[i] == ';')
			continue;
		if (cmd[i] == '&' && (i + 1 >= len || cmd[i + 1] != '&')) {
			*why = "it runs a command in the background with '&'";
			return -1;
		}
		break;
	}
	out->v = ds_arena_alloc(a, c->argc * sizeof *out->v);
	for (size_t i = 0; i < c->argc; i++) {
		const struct ds_shell_word *w = &c->argv[i];
		if (w->expands) {
			*why = "it uses variables or substitutions, which only a shell expands";
			return -1;
		}
		bool tilde = false;
		if (w->end <= len && raw_word_globs(cmd + w->off, w->end - w->off, &tilde)) {
			*why = "it uses a glob pattern, which only a shell expands";
			return -1;
		}
		if (tilde) {
			*why = "it uses '~', which only a shell expands";
			return -1;
		}
		out->v[i] = w->text;
	}
	out->n = c->argc;
	return 0;
}

char *ds_convert_json_array(struct ds_arena *a, const char *const *v, size_t n)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_addc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			ds_buf_adds(&b, ", ");
		ds_buf_add_json_str(&b, v[i], strlen(v[i]));
	}
	ds_buf_addc(&b, ']');
	char *r = ds_arena_strndup(a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* ------------------------------------------------------------------ */
/* users                                                               */

static const char *nonroot_name(const struct ds_catalog_runtime *rt)
{
	if (rt && rt->accounts && rt->accounts->nonroot)
		return rt->accounts->nonroot;
	return "nonroot";
}

const char *ds_convert_map_user(struct ds_arena *a, const struct ds_catalog_runtime *rt,
				const char *spec, bool *changed)
{
	*changed = false;
	if (!spec || !*spec)
		return spec;
	const char *colon = strchr(spec, ':');
	size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
	char *user = ds_arena_strndup(a, spec, ul);
	const char *group = colon ? colon + 1 : NULL;
	const char *nu = user, *ng = group;
	if (!ds_str_all_digits(user, ul) && !(rt && ds_catalog_runtime_user(rt, user)))
		nu = nonroot_name(rt);
	if (group && *group && !ds_str_all_digits(group, strlen(group)) && !(rt && ds_catalog_runtime_group(rt, group)))
		ng = nonroot_name(rt);
	if (nu == user && ng == group)
		return spec;
	*changed = true;
	if (group)
		return ds_arena_printf(a, "%s:%s", nu, ng);
	return ds_arena_strdup(a, nu);
}

/* Whether w is what a language runtime's entrypoint takes as its program: a script, a jar, an option. */
static bool runtime_argument(const struct ds_catalog_runtime *rt, const char *w)
{
	if (w[0] == '-')
		return true;
	const char *lang = rt->language ? rt->language : "";
	if (!strcmp(lang, "node"))
		return ds_str_has_suffix(w, ".js") || ds_str_has_suffix(w, ".mjs") || ds_str_has_suffix(w, ".cjs");
	if (!strcmp(lang, "python"))
		return ds_str_has_suffix(w, ".py") || ds_str_has_suffix(w, ".pyz") || ds_str_has_suffix(w, ".pyc");
	if (!strcmp(lang, "java"))
		return ds_str_has_suffix(w, ".jar");
	return false;
}

const char *cv_words_text(struct cv *c, const char *const *v, size_t n)
{
	struct ds_buf b = DS_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			ds_buf_addc(&b, ' ');
		ds_buf_adds(&b, v[i]);
	}
	char *r = ds_arena_strndup(c->a, b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return r;
}

/*
 * Step 5: the command of CMD, ENTRYPOINT or HEALTHCHECK in for the runtime.
 * ep_set: an ENTRYPOINT is in effect, so a CMD only gives its arguments.
 * split: the runtime stage copies an->paths (else the chain's COPYs stay).
 */
static void convert_command(struct cv *c, struct an *an, const struct ds_instr *in, bool ep_set, bool split,
			    struct newcmd *nc)
{
	memset(nc, 0, sizeof *nc);
	nc->kw = in->keyword;
	/* an ENTRYPOINT that carries a resolved command is written as CMD */
	enum ds_instr_kind kind = in == c->as_cmd ? DS_I_CMD : in->kind;
	if (in == c->as_cmd)
		nc->kw = islower((unsigned char)in->keyword[0]) ? "cmd" : "CMD";
	bool hc = kind == DS_I_HEALTHCHECK;
	const char *what = ds_instr_keyword(kind);
	const char *img = c->rt_ref ? c->rt_ref : c->scratch ? "scratch" : c->root->base;
	const struct ds_catalog_runtime *rt = c->rt;
	if (hc && (!in->nargs || strcasecmp(in->args[0].text, "CMD"))) {
		nc->keep = true; /* HEALTHCHECK NONE */
		return;
	}
	struct cmdv cv;
	cv_command_argv(c, in, &cv);
	if (!cv.ok) {
		if (hc) {
			nc->drop = true;
			const char *tool = NULL;
			struct ds_shell_cmd *cs;
			size_t ncs;
			const char *t = in->nargs > 1 ? in->args[1].text : "";
			ds_shell_split(c->a, t, strlen(t), &cs, &ncs);
			for (size_t i = 0; i < ncs && !tool; i++)
				if (cs[i].argc && ds_catalog_tool(c->cat, cs[i].argv[0].text) &&
				    ds_catalog_tool(c->cat, cs[i].argv[0].text)->kind != DS_TOOL_SHELL)
					tool = cs[i].argv[0].text;
			if (tool)
				cv_declare(c, DS_CHANGE_HEALTHCHECK, AT_INSTR(c, in), "DST103",
				   "HEALTHCHECK removed from the runtime stage: it needs a shell (%s) and runs '%s', and '%s' has neither; probe the service from outside",
				     cv.why, tool, img);
			else
				cv_declare(c, DS_CHANGE_HEALTHCHECK, AT_INSTR(c, in), "DST103",
				   "HEALTHCHECK removed from the runtime stage: it needs a shell (%s), which '%s' does not have; probe the service from outside",
				     cv.why, img);
		} else {
			nc->keep = true;
			cv_manual(c, AT_INSTR(c, in), "DST102",
			       "shell-form %s cannot become exec form: %s; rewrite it without shell features (or move that logic into the program)",
			       what, cv.why);
		}
		return;
	}
	nc->v = cv.v;
	nc->n = cv.n;
	nc->changed = !in->json || in == c->ovr_in;
	if (!cv.n || (kind == DS_I_CMD && ep_set))
		goto done;
	const char *a0 = cv.v[0];
	const struct ds_strlist *E = rt && !c->ep_cleared ? &rt->entrypoint : NULL;
	if (kind == DS_I_CMD && E && E->n) {
		/* the runtime's entrypoint runs the CMD */
		if (ds_catalog_runtime_is_entrypoint(rt, a0)) {
			size_t k = 1;
			bool match = true;
			for (size_t j = 1; j < E->n; j++) {
				if (k < cv.n && !strcmp(cv.v[k], E->v[j]))
					k++;
				else
					match = false;
			}
			if (match) {
				nc->v = cv.v + k;
				nc->n = cv.n - k;
				nc->changed = true;
				/* the original's own entrypoint already was the interpreter */
				const struct ds_im_argv *oe = &c->im0.entrypoint;
				if (oe->known && oe->n && !oe->shell && ds_catalog_runtime_is_entrypoint(rt, oe->v[0]))
					/* the image already ran its entrypoint: the command never worked */
					cv_declare(c, DS_CHANGE_REPAIR, AT_INSTR(c, in), "DST108",
						   "'%s' dropped from CMD: '%s' already runs '%s' as its entrypoint, so the original ran '%s' as a program file",
						   cv_words_text(c, cv.v, k), img, cv_words_text(c, E->v, E->n), cv.v[k - 1]);
				else
					cv_note(c, AT_INSTR(c, in), "DST108", "'%s' dropped from CMD: '%s' already runs '%s' as its entrypoint",
						cv_words_text(c, cv.v, k), img, cv_words_text(c, E->v, E->n));
			} else {
				const char **v = ds_arena_alloc(c->a, (cv.n + 1) * sizeof *v);
				v[0] = E->v[0];
				for (size_t j = 1; j < cv.n; j++)
					v[j] = cv.v[j];
				nc->v = v;
				nc->kw = islower((unsigned char)in->keyword[0]) ? "entrypoint" : "ENTRYPOINT";
				nc->changed = true;
				cv_note(c, AT_INSTR(c, in), "DST108",
				     "CMD '%s' became an ENTRYPOINT running '%s': its options do not fit the runtime's entrypoint '%s'",
				     cv_words_text(c, cv.v, cv.n), E->v[0], cv_words_text(c, E->v, E->n));
			}
			goto done;
		}
	}
	if (rt && E && E->n && ds_catalog_runtime_is_entrypoint(rt, a0) && !ds_catalog_runtime_has_binary(rt, a0, false)) {
		const char **v = ds_arena_alloc(c->a, (cv.n + 1) * sizeof *v);
		memcpy(v, cv.v, cv.n * sizeof *v);
		v[0] = E->v[0];
		nc->v = v;
		nc->changed = true;
		cv_note(c, AT_INSTR(c, in), "DST105", "'%s' is not on the PATH of '%s'; %s runs '%s'", a0, img, what, E->v[0]);
		goto done;
	}
	const struct ds_catalog_tool *tool = ds_catalog_tool(c->cat, a0);
	bool script = ds_str_has_suffix(a0, ".sh") || ds_str_has_suffix(a0, ".bash");
	if (tool || script) {
		const char *why = tool && tool->message ? tool->message
			: script ? "a shell script needs a shell" : "it is a shell";
		if (hc) {
			nc->drop = true;
			cv_declare(c, DS_CHANGE_HEALTHCHECK, AT_INSTR(c, in), "DST105",
				   "HEALTHCHECK removed from the runtime stage: it runs '%s', which '%s' does not have (%s); probe the service from outside",
			     a0, img, why);
		} else {
			nc->keep = true;
			const char *origin = script && !tool ? cv_script_origin(c, an, a0) : NULL;
			cv_manual(c, AT_INSTR(c, in), "DST105", "%s runs '%s', which '%s' does not have: %s%s%s", what, a0, img, why,
				  origin ? "; distill cannot read it: " : "", origin ? origin : "");
		}
		return;
	}
	if (kind == DS_I_CMD && E && E->n) {
		if (!runtime_argument(rt, a0)) {
			nc->keep = true;
			if (!strcmp(rt->language ? rt->language : "", "python") && !strchr(a0, '/'))
				cv_manual(c, AT_INSTR(c, in), "DST105",
				       "CMD '%s' would be handed to the entrypoint '%s' of '%s', which cannot run it; if '%s' is a console script, run its module instead: [\"-m\", \"%s\", ...]",
				       cv_words_text(c, cv.v, cv.n), E->v[0], img, a0, a0);
			else
				cv_manual(c, AT_INSTR(c, in), "DST105",
				       "CMD '%s' would be handed to the entrypoint '%s' of '%s', which cannot run it; give the %s file it runs",
				       cv_words_text(c, cv.v, cv.n), E->v[0], img,
				       !strcmp(rt->language ? rt->language : "", "java") ? "jar" : "script");
		}
		goto done;
	}
	/*
	 * On a language runtime the program is the interpreter or one of the
	 * image's binaries: anything else copied in is most likely a start
	 * script without ".sh" (Gradle's bin/NAME, appassembler, sbt's
	 * native-packager, run-java.sh), which needs a shell.
	 */
	if (!hc && rt && rt->language && !ds_catalog_runtime_has_binary(rt, a0, false)) {
		nc->keep = true;
		cv_manual(c, AT_INSTR(c, in), "DST105",
			  "%s runs '%s' on '%s', which runs %s programs: it must start %s%s; a start script (Gradle's bin/NAME, appassembler, sbt, run-java.sh) needs a shell, so run the program with %s directly",
			  what, a0, img, rt->language, rt->language,
			  !strcmp(rt->language, "java") ? " (or a jar)" : "", rt->language);
		return;
	}
	/* the program must be in the image (when the catalogue knows what the image holds) */
	if (!rt && !c->scratch)
		goto done;
	bool ok = false;
	if (rt && ds_catalog_runtime_has_binary(rt, a0, false))
		ok = true;
	else if (strchr(a0, '/'))
		ok = cv_path_provided(c, an, ds_path_join(c->a, an->workdir, a0), split);
	else {
		ok = cv_program_path(c, an, a0) != NULL;
		for (size_t i = 0; i < an->ncopies && !ok; i++) /* a runtime may find it by other means (wasm) */
			ok = !strcmp(ds_str_basename(an->copies[i].dest), a0);
	}
	if (!ok) {
		if (hc) {
			nc->drop = true;
			cv_declare(c, DS_CHANGE_HEALTHCHECK, AT_INSTR(c, in), "DST105",
				   "HEALTHCHECK removed from the runtime stage: it runs '%s', which is not in '%s'; probe the service from outside",
			     a0, img);
		} else {
			nc->keep = true;
			cv_manual(c, AT_INSTR(c, in), "DST105",
			       "%s runs '%s', which is neither in '%s' nor copied into the final stage", what, a0, img);
		}
		return;
	}
done:
	if (!in->json)
		cv_note(c, AT_INSTR(c, in), "DST102", "shell-form %s turned into exec form %s", what,
		     ds_convert_json_array(c->a, nc->v, nc->n));
}

/*
 * A shell-form ENTRYPOINT ignores CMD; once in exec form it would receive
 * it as arguments. To keep what runs, that CMD goes. Returns true when the
 * CMD in effect is dropped for this reason.
 */
static bool cmd_ignored(struct cv *c, const struct newcmd *nep)
{
	if (!c->ep || c->ep->json || !c->cmd || nep->keep || nep->drop)
		return false;
	cv_note(c, AT_INSTR(c, c->cmd), "DST102",
	     "CMD removed: the shell-form ENTRYPOINT ignored it, and in exec form it would pass it on as arguments");
	return true;
}

/*
 * The final stage's effective HEALTHCHECK (the last one of its stage chain),
 * ENTRYPOINT and CMD, converted for the runtime (split: for a new runtime
 * stage). Returns the HEALTHCHECK instruction, or NULL.
 */
const struct ds_instr *cv_convert_commands(struct cv *c, struct an *an, bool split, struct newcmd *nhc,
					       struct newcmd *nep, struct newcmd *ncmd)
{
	const struct ds_instr *hc = NULL;
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++)
			if (cv_instr_at(c, i) && cv_instr_at(c, i)->kind == DS_I_HEALTHCHECK)
				hc = cv_instr_at(c, i);
	if (hc)
		convert_command(c, an, hc, false, split, nhc);
	if (c->ep)
		convert_command(c, an, c->ep, false, split, nep);
	if (cmd_ignored(c, nep))
		ncmd->drop = true;
	else if (c->cmd)
		convert_command(c, an, c->cmd, c->ep && !nep->drop, split, ncmd);
	return hc;
}

/* The text of a converted command instruction: keyword, HEALTHCHECK flags, exec form. */
const char *cv_command_text(struct cv *c, const struct ds_instr *in, const struct newcmd *nc)
{
	const char *json = ds_convert_json_array(c->a, nc->v, nc->n);
	if (in->kind == DS_I_HEALTHCHECK) {
		uint32_t a0 = in->args[0].span.off;
		return ds_arena_printf(c->a, "%.*sCMD %s", (int)(a0 - in->kw_span.off), c->src + in->kw_span.off, json);
	}
	return ds_arena_printf(c->a, "%s %s", nc->kw, json);
}
