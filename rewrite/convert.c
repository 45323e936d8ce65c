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
 * runs and needs), plan.c (the runtime), commands.c, builders.c and edits.c
 * (the edits), proof.c (the check of the result). ds_convert() below runs
 * them in that order.
 */
#include "rewrite/convert.h"
#include "rewrite/internal.h"

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
}

static void summary(struct cv *c)
{
	struct ds_convert_result *r = c->res;
	struct ds_diag *d = NULL;
	if (!r->nedits && r->status != DS_CONVERT_CONVERTED && r->status != DS_CONVERT_NOTHING) {
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
	case DS_CONVERT_NO_RUNTIME:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_WARNING, "DST201", 0, 0,
				  "no runtime fits: the file is unchanged%s%s", r->suggest ? "; consider " : "",
				  r->suggest ? r->suggest : "");
		break;
	case DS_CONVERT_ERROR:
		d = ds_diags_addf(&r->diags, c->a, DS_SEV_ERROR, "DST201", 0, 0, "%s", r->reason ? r->reason : "conversion failed");
		break;
	}
	if (d) {
		d->has_pos = 0;
		d->seq = (unsigned)(r->diags.n + 1);
	}
}

int ds_convert(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
	       const struct ds_catalog *cat, const struct ds_convert_opts *opts,
	       struct ds_convert_result *res)
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
	c->res = res;
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
	cv_effective_commands(c);
	struct an an;
	memset(&an, 0, sizeof an);
	cv_analyze_chain(c, &an);
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
		cv_convert_in_place(c, &an, false);
	} else {
		if (cv_pick_runtime(c, &an) < 0) {
			summary(c);
			return res->status == DS_CONVERT_ERROR ? -1 : 0;
		}
		if (!c->cmd && !c->ep && !c->ep_empty) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the final stage sets no CMD or ENTRYPOINT: it runs the default command of '%s', which the runtime does not have",
				c->root->base);
			summary(c);
			return 0;
		}
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
					    (an.hc_tool && !strcmp(p->name, an.hc_tool)))
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
			cv_convert_split(c, &an, &sp);
		} else {
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
	cv_finish_deletions(c);
	if (split)
		cv_finish_insert(c, &sp);
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
		if (ds_convert_check(a, res->output, res->output_len, df->src->path, cat, opts->target_stage, &why) < 0) {
			res->status = DS_CONVERT_ERROR;
			res->reason = ds_arena_printf(a, "internal error: the converted file fails its own check: %s", why);
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
