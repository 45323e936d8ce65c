/*
 * dst_final.c - DST1xx: what cannot work in a final stage without a shell
 * (issue 4, "distill's own codes"; DESIGN §6).
 *
 * A stage "has no shell" when its root image is scratch or the catalogue
 * classifies it as shell-free (distroless non-debug, chainguard non-dev, ...).
 * The checks cover the final stage and the stages it is built FROM, since
 * their instructions run on the same image. DST107 concerns exec form in
 * every stage, shell or not.
 */
#include "rules/rules.h"

#include <string.h>
#include <strings.h>

#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/str.h"
#include "parser/ast.h"
#include "rules/runtime.h"

/* What the final stage runs on. */
struct final_info {
	const struct ds_stage *st;   /* the final stage */
	const struct ds_stage *root; /* the stage whose FROM names the image */
	struct ds_image_class cls;
	bool has_cls;
	bool scratch;
	bool shell_free;
	const struct ds_catalog_runtime *rt; /* the runtime image, when known */
	const char *image;           /* the root image as expanded, for messages */
};

static void final_info(struct ds_lint_ctx *c, struct final_info *fi)
{
	memset(fi, 0, sizeof *fi);
	const struct ds_model *m = c->m;
	if (!m || m->final < 0)
		return;
	fi->st = &m->stages[m->final];
	const struct ds_stage *r = fi->st;
	for (unsigned guard = 0; r->base_kind == DS_BASE_STAGE && r->base_stage >= 0 && guard < m->nstages; guard++)
		r = &m->stages[r->base_stage];
	fi->root = r;
	fi->image = r->base;
	fi->scratch = fi->st->root_kind == DS_BASE_SCRATCH;
	if (ds_model_classify(m, fi->st->index, c->cat, &fi->cls) == 0) {
		fi->has_cls = true;
		fi->rt = ds_rules_runtime_of(c->cat, &fi->cls);
	}
	fi->shell_free = fi->scratch || (fi->has_cls && fi->cls.shell == 0 && !fi->cls.debug);
}

/* ---- tools a shell-free image lacks ---- */

/* Fallback when no catalogue is loaded (unit tests): the list. */
static const char *const fallback_tools[] = {
	"sh", "bash", "ash", "dash", "zsh", "npm", "npx", "yarn", "pip", "pip3", "curl", "wget",
	"apk", "apt", "apt-get",
};

static bool is_shell_name(const char *b)
{
	return !strcmp(b, "sh") || !strcmp(b, "bash") || !strcmp(b, "ash") || !strcmp(b, "dash") ||
	       !strcmp(b, "zsh") || !strcmp(b, "ksh") || !strcmp(b, "busybox");
}

/*
 * Whether cmd is a shell, a shell script or a tool runtimes lack. Sets
 * *why to an explanation (may be NULL) and *shell when it needs a shell.
 */
static bool missing_tool(struct ds_lint_ctx *c, const char *cmd, const char **why, bool *shell)
{
	const char *b = ds_str_basename(cmd);
	*why = NULL;
	*shell = false;
	if (!*b)
		return false;
	if (ds_str_has_suffix(b, ".sh") || ds_str_has_suffix(b, ".bash")) {
		*shell = true;
		*why = "a shell script needs a shell to run";
		return true;
	}
	if (c->cat) {
		const struct ds_catalog_tool *t = ds_catalog_tool(c->cat, cmd);
		if (!t)
			return false;
		*shell = t->kind == DS_TOOL_SHELL;
		*why = t->message;
		return true;
	}
	for (size_t i = 0; i < sizeof fallback_tools / sizeof *fallback_tools; i++)
		if (!strcmp(b, fallback_tools[i])) {
			*shell = is_shell_name(b);
			return true;
		}
	return false;
}

/* The stages whose instructions build the final image: final, its parent, ... */
static size_t final_chain(const struct ds_model *m, const struct ds_stage *st, const struct ds_stage **v,
			  size_t max)
{
	size_t n = 0;
	while (st && n < max) {
		v[n++] = st;
		st = st->base_kind == DS_BASE_STAGE && st->base_stage >= 0 ? &m->stages[st->base_stage] : NULL;
	}
	return n;
}

/* Whether a COPY/ADD of the chain brings in a file named name (or a shell when name is NULL). */
static bool chain_copies(struct ds_lint_ctx *c, const struct ds_stage *const *chain, size_t n,
			 const char *name)
{
	const struct ds_dockerfile *df = c->df;
	for (size_t s = 0; s < n; s++)
		for (uint32_t i = chain[s]->first + 1; i <= chain[s]->last && i < df->ninstrs; i++) {
			const struct ds_instr *in = &df->instrs[i];
			if (in->kind != DS_I_COPY && in->kind != DS_I_ADD)
				continue;
			/* a whole root filesystem (ADD rootfs.tar.gz /, COPY --from=x / /) brings anything */
			if (in->nargs >= 2 && !strcmp(in->args[in->nargs - 1].text, "/"))
				return true;
			for (uint32_t k = 0; k < in->nargs; k++) {
				const char *w = in->args[k].text;
				size_t len = strlen(w);
				while (len > 1 && w[len - 1] == '/')
					len--;
				const char *b = w + len;
				while (b > w && b[-1] != '/')
					b--;
				size_t bl = (size_t)(w + len - b);
				if (name ? strlen(name) == bl && !strncmp(b, name, bl)
					 : (bl == 2 && !strncmp(b, "sh", 2)) || (bl == 4 && !strncmp(b, "bash", 4)) ||
						   (bl == 7 && !strncmp(b, "busybox", 7)) || (bl == 3 && !strncmp(b, "ash", 3)))
					return true;
			}
		}
	return false;
}

/* ---- users ---- */

/* Whether the chain copies an /etc/passwd (then users are the user's business). */
static bool chain_copies_passwd(struct ds_lint_ctx *c, const struct ds_stage *const *chain, size_t n)
{
	const struct ds_dockerfile *df = c->df;
	for (size_t s = 0; s < n; s++)
		for (uint32_t i = chain[s]->first + 1; i <= chain[s]->last && i < df->ninstrs; i++) {
			const struct ds_instr *in = &df->instrs[i];
			if ((in->kind != DS_I_COPY && in->kind != DS_I_ADD) || !in->nargs)
				continue;
			const char *dst = in->args[in->nargs - 1].text;
			if (!strcmp(dst, "/etc/passwd") || !strcmp(dst, "/etc/") || !strcmp(dst, "/etc") ||
			    !strcmp(dst, "/"))
				return true;
			for (uint32_t k = 0; k + 1 < in->nargs; k++)
				if (ds_str_has_suffix(in->args[k].text, "/etc/passwd"))
					return true;
		}
	return false;
}

static void check_user(struct ds_lint_ctx *c, const struct final_info *fi, const struct ds_stage *st,
		       const struct ds_instr *in, const char *raw, uint32_t off, uint32_t end,
		       const char *what)
{
	bool unset = false;
	const char *spec = ds_model_expand(c->m, st, in->index, raw, &unset);
	if (unset || !*spec || strchr(spec, '$'))
		return;
	if (fi->scratch) {
		const char *colon = strchr(spec, ':');
		size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
		bool ok = ds_str_all_digits(spec, ul) && (!colon || ds_str_all_digits(colon + 1, strlen(colon + 1)));
		if (!ok)
			ds_lint_report(c, DS_R_DST106, off, end,
				       "%s '%s' needs /etc/passwd, which scratch lacks; use numeric ids such as 65532:65532",
				       what, spec);
		return;
	}
	if (!fi->rt || ds_catalog_runtime_has_user(fi->rt, spec))
		return;
	const char *colon = strchr(spec, ':');
	char *user = ds_arena_strndup(c->a, spec, colon ? (size_t)(colon - spec) : strlen(spec));
	bool user_ok = ds_str_all_digits(user, strlen(user)) || ds_catalog_runtime_user(fi->rt, user);
	const char *bad = user_ok && colon ? colon + 1 : user;
	const char *nonroot = fi->rt->accounts && fi->rt->accounts->nonroot ? fi->rt->accounts->nonroot : "nonroot";
	ds_lint_report(c, DS_R_DST106, off, end,
		       "%s '%s' names %s '%s', which '%s' does not have; use '%s', root, nobody or a numeric id",
		       what, spec, user_ok && colon ? "group" : "user", bad, fi->image, nonroot);
}

/* ---- exec form ---- */

/* Whether text holds a variable reference a shell would expand: $NAME or ${...}. */
static bool has_var(const char *s)
{
	for (const char *p = strchr(s, '$'); p; p = strchr(p + 1, '$')) {
		char n = p[1];
		if (n == '{' || n == '_' || (n >= 'A' && n <= 'Z') || (n >= 'a' && n <= 'z'))
			return true;
	}
	return false;
}

/* The executable word of an exec-form instruction, or -1 (HEALTHCHECK: after "CMD"). */
static int exec_first(const struct ds_instr *in)
{
	if (!in->json)
		return -1;
	if (in->kind == DS_I_HEALTHCHECK)
		return in->nargs >= 2 && !strcasecmp(in->args[0].text, "CMD") ? 1 : -1;
	return in->nargs ? 0 : -1;
}

/* The last ENTRYPOINT of the chain (final stage first), or NULL. */
static const struct ds_instr *chain_entrypoint(struct ds_lint_ctx *c, const struct ds_stage *const *chain,
					       size_t n)
{
	for (size_t s = 0; s < n; s++)
		for (uint32_t i = chain[s]->last + 1; i-- > chain[s]->first + 1;)
			if (i < c->df->ninstrs && c->df->instrs[i].kind == DS_I_ENTRYPOINT)
				return &c->df->instrs[i];
	return NULL;
}

static const struct ds_instr *stage_entrypoint(struct ds_lint_ctx *c, const struct ds_stage *st)
{
	return chain_entrypoint(c, &st, 1);
}

static void join_words(struct ds_buf *b, const struct ds_strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			ds_buf_addc(b, ' ');
		ds_buf_adds(b, l->v[i]);
	}
}

/* DST107 in one stage. */
static void check_exec_vars(struct ds_lint_ctx *c, const struct ds_stage *st)
{
	const struct ds_dockerfile *df = c->df;
	const struct ds_instr *ep = stage_entrypoint(c, st);
	bool ep_shell = false;
	if (ep && ep->json && ep->nargs) {
		const char *why;
		bool sh;
		ep_shell = missing_tool(c, ep->args[0].text, &why, &sh) && sh;
	} else if (ep && !ep->json) {
		ep_shell = true; /* CMD words go to /bin/sh -c's script as $0, $1... */
	}
	for (uint32_t i = st->first + 1; i <= st->last && i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		if (in->kind == DS_I_ONBUILD && in->sub)
			in = in->sub;
		if (in->kind != DS_I_CMD && in->kind != DS_I_ENTRYPOINT && in->kind != DS_I_RUN &&
		    in->kind != DS_I_HEALTHCHECK)
			continue;
		int f = exec_first(in);
		if (f < 0)
			continue;
		const char *why;
		bool sh = false;
		if (missing_tool(c, in->args[f].text, &why, &sh) && sh && strcmp(ds_str_basename(in->args[f].text), "busybox"))
			continue; /* sh -c "... $X": the shell expands it */
		if (in->kind == DS_I_CMD && ep_shell)
			continue;
		for (uint32_t k = (uint32_t)f; k < in->nargs; k++) {
			if (!has_var(in->args[k].text))
				continue;
			ds_lint_report(c, DS_R_DST107, in->args[k].span.off, in->args[k].span.end,
				       "exec-form %s passes '%s' literally: nothing expands variables without a shell",
				       ds_instr_keyword(in->kind), in->args[k].text);
			break;
		}
	}
}

void ds_rules_dst_final(struct ds_lint_ctx *c)
{
	const struct ds_model *m = c->m;
	if (!m || m->final < 0)
		return;
	for (uint32_t s = 0; s < m->nstages; s++)
		check_exec_vars(c, &m->stages[s]);

	struct final_info fi;
	final_info(c, &fi);
	const struct ds_stage *chain[64];
	size_t nchain = final_chain(m, fi.st, chain, sizeof chain / sizeof *chain);
	const struct ds_instr *ep = chain_entrypoint(c, chain, nchain);
	const struct ds_dockerfile *df = c->df;

	/* DST108 applies to runtime images with an entrypoint, debug ones included */
	if (fi.rt && fi.rt->entrypoint.n && !ep) {
		for (size_t s = 0; s < nchain; s++)
			for (uint32_t i = chain[s]->first + 1; i <= chain[s]->last && i < df->ninstrs; i++) {
				const struct ds_instr *in = &df->instrs[i];
				if (in->kind != DS_I_CMD || !in->json || !in->nargs ||
				    !ds_catalog_runtime_is_entrypoint(fi.rt, in->args[0].text))
					continue;
				struct ds_buf b = DS_BUF_INIT;
				join_words(&b, &fi.rt->entrypoint);
				for (uint32_t k = 0; k < in->nargs; k++) {
					ds_buf_addc(&b, ' ');
					ds_buf_adds(&b, in->args[k].text);
				}
				ds_lint_report(c, DS_R_DST108, in->args[0].span.off, in->args[0].span.end,
					       "'%s' already has the entrypoint '%s', so this CMD runs '%s'; give only the arguments",
					       fi.image, fi.rt->entrypoint.v[0], b.buf);
				ds_buf_release(&b);
			}
	}

	if (!fi.shell_free)
		return;
	const char *img = fi.scratch ? "scratch" : fi.image;
	bool copies_shell = chain_copies(c, chain, nchain, NULL);
	bool copies_passwd = chain_copies_passwd(c, chain, nchain);
	for (size_t s = nchain; s-- > 0;) {
		const struct ds_stage *st = chain[s];
		for (uint32_t i = st->first + 1; i <= st->last && i < df->ninstrs; i++) {
			const struct ds_instr *in = &df->instrs[i];
			switch (in->kind) {
			case DS_I_RUN:
				if (!in->json && !copies_shell)
					ds_lint_report_instr(c, DS_R_DST101, in,
							     "RUN in shell form needs /bin/sh, which '%s' does not have; run it in a builder stage and copy the result",
							     img);
				break;
			case DS_I_CMD:
			case DS_I_ENTRYPOINT:
				if (!in->json && !copies_shell)
					ds_lint_report_instr(c, DS_R_DST102, in,
							     "shell-form %s runs through /bin/sh -c, which '%s' does not have; use exec form [\"executable\", \"arg\"]",
							     ds_instr_keyword(in->kind), img);
				break;
			case DS_I_HEALTHCHECK:
				if (!in->json && in->nargs >= 2 && !strcasecmp(in->args[0].text, "CMD") && !copies_shell)
					ds_lint_report_instr(c, DS_R_DST103, in,
							     "HEALTHCHECK CMD in shell form runs through /bin/sh -c, which '%s' does not have",
							     img);
				break;
			case DS_I_SHELL:
				if (!copies_shell)
					ds_lint_report_instr(c, DS_R_DST104, in,
							     "SHELL names a shell, and '%s' has none", img);
				break;
			case DS_I_ONBUILD:
				if (in->sub && in->sub->kind == DS_I_RUN && !in->sub->json && !copies_shell)
					ds_lint_report_instr(c, DS_R_DST104, in,
							     "ONBUILD RUN would fail in every image built from this one: '%s' has no shell",
							     img);
				break;
			case DS_I_USER:
				if (in->nargs && !copies_passwd)
					check_user(c, &fi, st, in, in->args[0].text, in->args[0].span.off,
						   in->args[0].span.end, "USER");
				break;
			case DS_I_COPY:
			case DS_I_ADD: {
				const struct ds_flag *f = ds_instr_flag(in, "chown");
				if (f && f->value && !copies_passwd)
					check_user(c, &fi, st, in, f->value, f->span.off, f->span.end, "--chown");
				break;
			}
			default:
				break;
			}
			/* DST105: what exec form runs */
			int f0 = exec_first(in);
			if (f0 < 0)
				continue;
			const char *cmd = in->args[f0].text;
			bool passed_to_runtime = in->kind == DS_I_CMD && !ep && fi.rt && fi.rt->entrypoint.n;
			if (in->kind == DS_I_CMD && ep)
				continue; /* arguments to the ENTRYPOINT, not a command */
			if (passed_to_runtime && ds_catalog_runtime_is_entrypoint(fi.rt, cmd))
				continue; /* DST108 */
			const char *why;
			bool sh;
			if (!missing_tool(c, cmd, &why, &sh))
				continue;
			if (sh ? copies_shell : chain_copies(c, chain, nchain, ds_str_basename(cmd)))
				continue;
			if (passed_to_runtime)
				ds_lint_report(c, DS_R_DST105, in->args[f0].span.off, in->args[f0].span.end,
					       "CMD hands '%s' to the entrypoint '%s' of '%s', which cannot run it%s%s",
					       cmd, fi.rt->entrypoint.v[0], img, why ? ": " : "", why ? why : "");
			else
				ds_lint_report(c, DS_R_DST105, in->args[f0].span.off, in->args[f0].span.end,
					       "%s runs '%s', which '%s' does not have%s%s",
					       ds_instr_keyword(in->kind), cmd, img, why ? ": " : "", why ? why : "");
		}
	}
}
