/*
 * convert.c - moves a Dockerfile's final stage onto a shell-free runtime: the pipeline.
 *
 * Follows DESIGN §5 steps 1-9 and issue 3 §3-4. The result is a list of
 * byte-range edits against the original text; nothing outside them is
 * reprinted. Three shapes of conversion:
 *
 *  - fix:   the final stage already runs on a shell-free image (distroless,
 *           scratch, chainguard non-dev); only what fails is changed: users,
 *           shell-form commands, a removed or deprecated image.
 *  - swap:  the final stage (and the stages it is built FROM) does no build
 *           work beyond things the runtime already has (installs of
 *           ca-certificates or tzdata, user creation): its FROM is pointed
 *           at the runtime and those RUNs are dropped.
 *  - split: the final stage builds things: it becomes a named builder, and a
 *           new runtime stage copies the application paths from it and
 *           carries over ENV, LABEL, EXPOSE, VOLUME, STOPSIGNAL, WORKDIR,
 *           USER and the commands.
 * In every shape, stages on Alpine whose native artifacts reach a glibc
 * runtime move to the Debian tag of the same image, with their apk commands
 * translated, and builders of the runtime's language follow a version bump.
 * Anything that would need a guess is left as it is and reported (MANUAL).
 *
 * The steps live one to a file: need.c and paths.c (what the final stage
 * runs and needs), plan.c (the runtime), accounts.c (the users the final
 * stage makes, kept by an accounts stage), commands.c, builders.c and
 * edits.c (the edits), proof.c (the check of the result). ds_convert()
 * below runs them in that order; when the proof finds that kept accounts
 * would be made on another image (a builder moved), it converts once more
 * without keeping them.
 */
#include "rewrite/convert.h"
#include "rewrite/internal.h"

#include <stdio.h>
#include <string.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/source.h"
#include "common/str.h"
#include "parser/ast.h"

const char *ds_convert_status_name(enum ds_convert_status s)
{
	switch (s) {
	case DS_CONVERT_CONVERTED: return "converted";
	case DS_CONVERT_NOTHING: return "nothing to do";
	case DS_CONVERT_ACCEPT: return "needs --accept";
	case DS_CONVERT_MANUAL: return "manual";
	case DS_CONVERT_NO_RUNTIME: return "no runtime";
	case DS_CONVERT_ERROR: return "error";
	}
	return "error";
}

void ds_convert_opts_init(struct ds_convert_opts *o)
{
	memset(o, 0, sizeof *o);
	o->vendor = DS_VENDOR_DISTROLESS;
	o->targets[0] = DS_VENDOR_DISTROLESS;
	o->ntargets = 1;
	o->accept = ds_change_default_accept();
}

static const char *const vendor_names[DS_VENDOR__COUNT] = { "distroless", "chainguard", "chiseled", "ubi-micro" };

const char *ds_convert_vendor_name(enum ds_convert_vendor v)
{
	return (unsigned)v < DS_VENDOR__COUNT ? vendor_names[v] : "?";
}

int ds_convert_parse_targets(const char *list, struct ds_convert_opts *o, const char **bad)
{
	static char badbuf[64];
	enum ds_convert_vendor t[DS_VENDOR__COUNT];
	size_t n = 0;
	const char *p = list;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int found = -1;
		for (int v = 0; v < DS_VENDOR__COUNT; v++)
			if (strlen(vendor_names[v]) == len && !strncmp(p, vendor_names[v], len))
				found = v;
		for (size_t i = 0; found >= 0 && i < n; i++)
			if (t[i] == (enum ds_convert_vendor)found)
				found = -1; /* named twice */
		if (found < 0 || n == DS_VENDOR__COUNT) {
			snprintf(badbuf, sizeof badbuf, "%.*s", (int)(len < 63 ? len : 63), p);
			*bad = badbuf;
			return -1;
		}
		t[n++] = (enum ds_convert_vendor)found;
		if (!e)
			break;
		p = e + 1;
	}
	o->vendor = DS_VENDOR_DISTROLESS;
	for (size_t i = n; i-- > 0;)
		if (t[i] == DS_VENDOR_DISTROLESS || t[i] == DS_VENDOR_CHAINGUARD)
			o->vendor = t[i];
	memcpy(o->targets, t, n * sizeof *t);
	o->ntargets = n;
	return 0;
}

static const struct {
	const char *name, *what;
	bool dflt;
} change_kinds[] = {
#define X(e, n, d, w) { n, w, d },
	DS_CHANGE_KINDS(X)
#undef X
};

const char *ds_change_kind_name(enum ds_change_kind k)
{
	return (unsigned)k < DS_CHANGE__COUNT ? change_kinds[k].name : "?";
}

const char *ds_change_kind_summary(enum ds_change_kind k)
{
	return (unsigned)k < DS_CHANGE__COUNT ? change_kinds[k].what : "?";
}

unsigned ds_change_default_accept(void)
{
	unsigned m = 0;
	for (unsigned k = 0; k < DS_CHANGE__COUNT; k++)
		if (change_kinds[k].dflt)
			m |= 1u << k;
	return m;
}

int ds_change_parse_list(const char *list, unsigned *mask, const char **bad)
{
	static _Thread_local char word[64];
	const char *p = list;
	for (;;) {
		size_t n = strcspn(p, ",");
		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n) {
			bool found = false;
			if (n == 3 && !strncmp(p, "all", 3)) {
				*mask |= (1u << DS_CHANGE__COUNT) - 1;
				found = true;
			}
			for (unsigned k = 0; k < DS_CHANGE__COUNT && !found; k++)
				if (strlen(change_kinds[k].name) == n && !strncmp(p, change_kinds[k].name, n)) {
					*mask |= 1u << k;
					found = true;
				}
			if (!found) {
				snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), p);
				*bad = word;
				return -1;
			}
		}
		p += strcspn(p, ",");
		if (!*p)
			return 0;
		p++;
	}
}

static void summary(struct cv *c)
{
	struct ds_convert_result *r = c->res;
	struct ds_diag *d = NULL;
	if (!r->nedits && r->status != DS_CONVERT_CONVERTED && r->status != DS_CONVERT_NOTHING &&
	    r->status != DS_CONVERT_ACCEPT) {
		/* nothing changes: notes about changes would mislead */
		size_t o = 0;
		for (size_t i = 0; i < r->diags.n; i++)
			if (r->diags.v[i].sev != DS_SEV_NOTE)
				r->diags.v[o++] = r->diags.v[i];
		r->diags.n = o;
	}
	switch (r->status) {
	case DS_CONVERT_CONVERTED:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_NOTE, "DST201", 0, 0, "converted: the final stage runs on '%s'",
				  r->runtime ? r->runtime : "?");
		break;
	case DS_CONVERT_NOTHING:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_NOTE, "DST201", 0, 0,
				  "nothing to do: the final stage is already shell-free and correct");
		break;
	case DS_CONVERT_MANUAL: {
		size_t n = 0;
		for (size_t i = 0; i < r->diags.n; i++)
			n += r->diags.v[i].sev == DS_SEV_WARNING;
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_WARNING, "DST201", 0, 0,
				  "needs manual work: %zu construct%s could not be converted%s", n, n == 1 ? "" : "s",
				  r->nedits ? "; the rest was" : "; the file is unchanged");
		break;
	}
	case DS_CONVERT_ACCEPT: {
		struct ds_buf k = DS_BUF_INIT;
		for (unsigned i = 0; i < DS_CHANGE__COUNT; i++)
			if (r->needs & (1u << i))
				ds_buf_addf(&k, "%s%s", k.len ? "," : "", ds_change_kind_name((enum ds_change_kind)i));
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_WARNING, "DST201", 0, 0,
				  "converted, but the result behaves differently: accept with --accept %s", k.buf);
		ds_buf_release(&k);
		break;
	}
	case DS_CONVERT_NO_RUNTIME:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_WARNING, "DST201", 0, 0,
				  "no runtime fits: the file is unchanged%s%s", r->suggest ? "; consider " : "",
				  r->suggest ? r->suggest : "");
		break;
	case DS_CONVERT_ERROR: {
		bool said = false; /* the reason was already reported where it is */
		for (size_t i = 0; i < r->diags.n && r->reason; i++)
			said = said || (r->diags.v[i].sev == DS_SEV_ERROR && r->diags.v[i].msg == r->reason);
		if (!said)
			d = ds_diags_addf(&r->diags, c->a, DS_SEV_ERROR, "DST201", 0, 0, "%s",
					  r->reason ? r->reason : "conversion failed");
		break;
	}
	}
	if (d) {
		d->has_pos = 0;
		d->seq = (unsigned)(r->diags.n + 1);
	}
}

/*
 * One attempt. no_accounts (why) renames the users the runtime lacks rather
 * than keep them (accounts.c); *retry is set (to why) when the attempt
 * kept them but its proof found they would be made on another image.
 */
static int convert(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		   const struct ds_catalog *cat, const struct ds_convert_opts *opts, struct ds_convert_result *res,
		   const char *no_accounts, const char **retry)
{
	memset(res, 0, sizeof *res);
	res->output = df->src->data;
	res->output_len = df->src->len;
	struct ds_convert_opts defaults;
	if (!opts) {
		ds_convert_opts_init(&defaults);
		opts = &defaults;
	}
	struct cv cv;
	struct cv *c = &cv;
	memset(c, 0, sizeof *c);
	c->a = a;
	c->df = df;
	c->m = m;
	c->cat = cat;
	c->o = opts;
	c->replaced = -1;
	c->prog_link = LINK_UNKNOWN;
	c->res = res;
	c->ctx = opts->context;
	c->no_accounts = no_accounts;
	c->accept = opts->accept | (opts->bump_runtime ? 1u << DS_CHANGE_BUMP : 0) |
		    (opts->nonroot ? 1u << DS_CHANGE_USER : 0);
	c->s = df->src;
	c->src = df->src->data;
	c->len = (uint32_t)df->src->len;
	res->status = DS_CONVERT_CONVERTED;
	if (df->fatal >= 0 || !cat) {
		res->status = DS_CONVERT_ERROR;
		res->reason = !cat ? "no catalogue" : "the file does not parse";
		summary(c);
		return -1;
	}
	if (m->final < 0 || !m->stages[m->final].from) {
		res->status = DS_CONVERT_ERROR;
		res->reason = "the file has no FROM instruction";
		summary(c);
		return -1;
	}
	ds_source_lines(df->src, a);
	c->nlines = df->src->nlines;
	c->del = ds_arena_zalloc(a, c->nlines + 2);
	const char *nl = memchr(c->src, '\n', c->len);
	c->eol = nl && nl > c->src && nl[-1] == '\r' ? "\r\n" : "\n";
	/* a file docker build rejects is not converted (nor relied upon below) */
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		if (in->kind == DS_I_UNKNOWN) {
			/* BuildKit's words: docker build stops here */
			const char *near = ds_instr_suggest(in->keyword);
			cv_blocked(c, DS_CONVERT_ERROR, in->kw_span.off, in->kw_span.end, "DST302",
				   "unknown instruction: %s%s%s%s", in->keyword, near ? " (did you mean " : "", near ? near : "",
				   near ? "?)" : "");
			summary(c);
			return -1;
		}
		const char *why = ds_instr_arity_error(in);
		if (why) {
			cv_blocked(c, DS_CONVERT_ERROR, AT_INSTR(c, in), "DST302", "%s %s, so docker build stops here",
				ds_instr_keyword(in->kind), why);
			summary(c);
			return -1;
		}
	}

	c->fs = &m->stages[m->final];
	const struct ds_stage *v[MAX_CHAIN];
	size_t n = 0;
	for (const struct ds_stage *st = c->fs; st && n < MAX_CHAIN; st = cv_stage_parent(c, st))
		v[n++] = st;
	for (size_t i = 0; i < n; i++)
		c->chain[i] = v[n - 1 - i];
	c->nchain = n;
	c->root = c->chain[0];
	if (c->root->base_kind == DS_BASE_UNRESOLVED || (c->root->has_image && c->root->image.unresolved)) {
		const char *raw = c->root->base_raw ? c->root->base_raw : "?";
		if (ds_str_has_expansion(raw))
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the image '%s' of the final stage uses a variable without a value; cannot tell what it is", raw);
		else
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the image '%s' of the final stage is not a valid image reference", raw);
		summary(c);
		return 0;
	}
	c->scratch = c->root->base_kind == DS_BASE_SCRATCH;
	if (!c->scratch)
		c->has_cls = cv_classify_stage(c, c->root, &c->cls);
	if (!c->scratch && !c->has_cls) {
		cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "cannot classify the final stage's image");
		summary(c);
		return 0;
	}
	ds_image_model_build(m, (int)c->fs->index, cat, a, &c->im0);
	if (c->scratch) {
		c->base_workdir = "/";
	} else if (c->root->has_image) {
		struct ds_image_config bc;
		ds_catalog_image_config(cat, &c->root->image, a, &bc);
		c->base_workdir = bc.has_workdir ? (bc.workdir && *bc.workdir ? bc.workdir : "/") : NULL;
	}
	c->tag = opts->vendor == DS_VENDOR_DISTROLESS ? "latest" : NULL;
	if (opts->nonroot && c->im0.user.known && c->im0.user.root == 1 && !c->scratch && !cv_needs_root(c))
		c->nonroot = true;
	if (c->nonroot && opts->vendor == DS_VENDOR_DISTROLESS)
		c->tag = "nonroot";
	cv_effective_commands(c);
	struct an an;
	memset(&an, 0, sizeof an);
	cv_analyze_chain(c, &an);
	cv_resolve_command(c, &an);
	const struct ds_instr *prog = c->ep ? c->ep : c->cmd;
	if (prog) {
		struct cmdv cvv;
		cv_command_argv(c, prog, &cvv);
		if (cvv.ok && cvv.n)
			an.exe = cv_program_path(c, &an, cvv.v[0]);
	}
	const struct ds_instr *hc = NULL;
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++)
			if (cv_instr_at(c, i) && cv_instr_at(c, i)->kind == DS_I_HEALTHCHECK)
				hc = cv_instr_at(c, i);
	an.hc_tool = cv_healthcheck_tool(&an, hc);

	bool shell_free = c->scratch || (c->cls.shell == 0 && !c->cls.debug);
	struct split sp;
	bool split = false;
	memset(&sp, 0, sizeof sp);
	if (shell_free) {
		c->rt = c->cls.self;
		if (c->rt && c->cls.vendor == ds_catalog_distroless(cat))
			c->rt_dl = c->rt;
		if (!c->scratch)
			cv_replace_removed(c);
		cv_plan_accounts(c, &an, 0);
		cv_convert_in_place(c, &an, false);
	} else {
		if (cv_check_dev_env(c, &an)) {
			res->status = DS_CONVERT_MANUAL;
			summary(c);
			return 0;
		}
		if (cv_pick_runtime(c, &an) < 0) {
			if (res->status == DS_CONVERT_MANUAL) {
				/* every blocker in one run: what the commands need holds for any runtime */
				struct newcmd x = { 0 }, y = { 0 }, z = { 0 };
				c->rt = NULL;
				cv_convert_commands(c, &an, false, &x, &y, &z);
			}
			summary(c);
			return res->status == DS_CONVERT_ERROR ? -1 : 0;
		}
		if (cv_replace_launcher(c, &an) < 0) {
			summary(c);
			return 0;
		}
		if (!c->cmd && !c->ep && !c->ep_empty && !c->add_cmd) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the final stage sets no CMD or ENTRYPOINT: it runs the default command of '%s', which the runtime does not have",
				c->root->base);
			summary(c);
			return 0;
		}
		cv_check_foreign_binaries(c, &an);
		cv_plan_python(c);
		cv_python_copies(c, &an);
		cv_classify_runs(c, &an);
		split = an.ancestors_busy;
		for (size_t i = 0; i < an.nruns; i++)
			split = split || an.runs[i].kind != RUN_DROP;
		if (split) {
			/* packages the program may need at run time, which the runtime lacks: when the
			 * chain compiles nothing, even build tools and -dev packages were installed for it */
			bool compiles = false;
			for (size_t i = 0; i < an.nruns; i++) {
				const struct run *r = &an.runs[i];
				struct pkg *tp = NULL;
				size_t tn = 0, tc = 0;
				for (size_t j = 0; j < r->n; j++)
					if (cv_cmd_class(c, &r->cmds[j], r->in, &tp, &tn, &tc) == CC_BUILD && r->cmds[j].argc &&
					    !ds_str_in_list(ds_shell_cmd_name(&r->cmds[j]), cv_file_tools))
						compiles = true;
			}
			for (size_t i = 0; i < an.nruns; i++) {
				const struct run *r = &an.runs[i];
				if (r->kind == RUN_DROP)
					continue;
				struct ds_buf miss = DS_BUF_INIT;
				size_t nm = 0;
				for (size_t k = r->pkg0; k < r->pkg0 + r->npkg; k++) {
					const struct pkg *p = &an.pkgs[k];
					if (cv_pkg_provided(c, p) || (compiles && cv_is_build_tool(p->name)) ||
					    (an.hc_tool && !strcmp(p->name, an.hc_tool)) ||
					    (c->init_tool && !strcmp(p->name, c->init_tool)))
						continue;
					ds_buf_addf(&miss, "%s'%s'", nm ? ", " : "", p->name);
					nm++;
				}
				if (nm)
					cv_manual(c, AT_INSTR(c, r->in), "DST201",
					       "%s %s installed in the final stage, and '%s' does not have %s; if the program needs %s at run time, copy %s in or pick another image",
					       miss.buf, nm == 1 ? "is" : "are", c->rt_ref, nm == 1 ? "it" : "them",
					       nm == 1 ? "it" : "them", nm == 1 ? "it" : "them");
				ds_buf_release(&miss);
				/* -dev packages: what is built against them needs their library at run time */
				for (size_t k = r->pkg0; compiles && k < r->pkg0 + r->npkg; k++) {
					const char *lib = cv_missing_library(c, &an.pkgs[k]);
					if (lib)
						cv_manual(c, AT_INSTR(c, r->in), "DST201",
						       "native code built here against '%s' needs its library at run time, and '%s' has no '%s*' package; copy the library in or link it statically",
						       an.pkgs[k].name, c->rt_ref, lib);
				}
			}
			cv_plan_accounts(c, &an, 2);
			cv_convert_split(c, &an, &sp);
		} else {
			cv_plan_accounts(c, &an, 1);
			cv_convert_in_place(c, &an, true);
		}
		for (size_t i = 0; i < an.npypath; i++)
			if (ds_path_under(an.pypath[i], "/root"))
				cv_manual(c, an.py_after ? cv_instr_off(c, an.py_after) : cv_from_off(c),
				       an.py_after ? cv_instr_end(c, an.py_after) : cv_from_end(c), "DST106",
				       "python packages under '/root' cannot be read by the runtime's non-root user; install them elsewhere (pip --prefix or a virtual environment)");
	}
	res->runtime = c->rt_ref ? c->rt_ref : c->scratch ? "scratch" : c->root->base;
	cv_compute_feeds(c, &an, split);
	cv_retarget_builders(c);
	cv_translate_moved_stages(c, split);
	cv_python_fix_in_place(c);
	cv_finish_deletions(c);
	if (split) {
		sp.text = cv_python_fix(c, sp.text);
		cv_finish_insert(c, &sp);
	}
	if (c->abandon)
		c->ned = 0;
	cv_make_output(c);
	if (c->overlap) {
		res->status = DS_CONVERT_ERROR;
		res->reason = "internal error: the conversion produced conflicting edits";
	} else if (c->nmanual) {
		res->status = DS_CONVERT_MANUAL;
	} else if (!c->ned) {
		res->status = DS_CONVERT_NOTHING;
	} else {
		const char *why = NULL;
		int pr = cv_prove(c, &why);
		if (pr < 0 && c->acc.retry) {
			*retry = c->acc.retry;
			return 0;
		}
		if (pr < 0) {
			res->status = DS_CONVERT_ERROR;
			res->reason = ds_arena_printf(a, "internal error: the converted file fails its own proof: %s", why);
		} else if (pr > 0) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "%s", c->unproven);
		} else if (res->needs) {
			res->status = DS_CONVERT_ACCEPT;
		}
	}
	if (res->status == DS_CONVERT_ERROR) {
		res->output = df->src->data;
		res->output_len = df->src->len;
		res->edits = NULL;
		res->nedits = 0;
	}
	ds_diags_sort(&res->diags);
	summary(c);
	return res->status == DS_CONVERT_ERROR ? -1 : 0;
}

int ds_convert(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
	       const struct ds_catalog *cat, const struct ds_convert_opts *opts,
	       struct ds_convert_result *res)
{
	const char *retry = NULL;
	int rc = convert(a, df, m, cat, opts, res, NULL, &retry);
	if (retry) /* the accounts cannot be kept on the image the builder moved to: rename them */
		rc = convert(a, df, m, cat, opts, res, retry, &retry);
	return rc;
}
