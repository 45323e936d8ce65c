/* lsp_doc.c - the language server's analysis of a document: configuration, parse, rules, ShellCheck, convert. */
#include "cli/lsp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cli/io.h"
#include "cli/repoconf.h"
#include "cli/shellcheck.h"
#include "cli/verdict.h"
#include "common/file.h"
#include "rewrite/context.h"
#include "rules/config.h"
#include "rules/rules.h"

/* ---- configuration ---- */

static void cfg_unload(struct ds_lsp_cfg *c)
{
	ds_config_release(&c->cfg);
	ds_catalog_free(c->cat);
	c->cat = NULL;
	free(c->error);
	c->error = NULL;
}

static void cfg_error(struct ds_lsp_cfg *c, const char *file, unsigned line, unsigned col, const char *msg)
{
	char buf[800];
	if (line)
		snprintf(buf, sizeof buf, "%s:%u:%u: %s", file, line, col, msg);
	else
		snprintf(buf, sizeof buf, "%s: %s", file, msg);
	c->error = ds_xstrdup(buf);
}

/*
 * Loads c from its file as lint does: a found file confined to its folder
 * tree, a given one (--config) as it is; then the catalogue its mappings
 * give. A file that cannot be used leaves the defaults and c->error. The
 * identity of the bytes is taken first, so a change made while loading is
 * seen at the next check.
 */
static void cfg_load(struct ds_lsp_cfg *c)
{
	ds_config_init(&c->cfg);
	if (!c->path)
		return;
	struct ds_buf bytes = DS_BUF_INIT;
	int err_no;
	c->have_id = ds_file_read(c->path, DS_FILE_REGULAR, c->found ? DS_CONFIG_MAX_FOUND : DS_CONFIG_MAX_GIVEN,
				  &bytes, &c->id, &err_no) == DS_FILE_OK;
	ds_buf_release(&bytes);
	struct ds_config_error err;
	memset(&err, 0, sizeof err);
	if (c->found ? ds_config_load_found(&c->cfg, c->path, c->dialect, 0, &err)
		     : ds_config_load_file(&c->cfg, c->path, c->dialect, &err)) {
		cfg_error(c, err.file[0] ? err.file : c->path, err.line, err.col, err.msg);
		ds_config_release(&c->cfg);
		ds_config_init(&c->cfg);
		return;
	}
	struct ds_catalog_error cerr;
	if (c->cfg.mappings && ds_repoconf_catalog_quiet(&c->cfg, &c->cat, &cerr))
		cfg_error(c, cerr.file[0] ? cerr.file : c->cfg.mappings, cerr.line, cerr.col, cerr.msg);
}

/*
 * The configuration at path (NULL: the defaults), loaded once and again
 * when the file's bytes change (ds_file_unchanged compares them, not only
 * the file times, which are too coarse for two quick edits).
 */
static struct ds_lsp_cfg *cfg_get(struct ds_lsp *s, const char *path, enum ds_config_dialect dialect, bool found)
{
	for (size_t i = 0; i < s->ncfgs; i++) {
		struct ds_lsp_cfg *c = s->cfgs[i];
		if ((!path && !c->path) || (path && c->path && !strcmp(path, c->path) && c->found == found)) {
			if (path && !(c->have_id && ds_file_unchanged(path, &c->id))) {
				cfg_unload(c);
				cfg_load(c);
			}
			return c;
		}
	}
	struct ds_lsp_cfg *c = ds_xcalloc(1, sizeof *c);
	c->path = path ? ds_xstrdup(path) : NULL;
	c->dialect = dialect;
	c->found = found;
	cfg_load(c);
	s->cfgs = ds_xrealloc(s->cfgs, (s->ncfgs + 1) * sizeof *s->cfgs);
	s->cfgs[s->ncfgs++] = c;
	return c;
}

void ds_lsp_cfgs_release(struct ds_lsp *s)
{
	for (size_t i = 0; i < s->ncfgs; i++) {
		cfg_unload(s->cfgs[i]);
		free(s->cfgs[i]->path);
		free(s->cfgs[i]);
	}
	free(s->cfgs);
	s->cfgs = NULL;
	s->ncfgs = 0;
}

/*
 * The configuration of d, searched as lint searches (cli/repoconf.h) from
 * its file's folder, or for a document that is not a file from the first
 * workspace folder (else the working folder). The search is made afresh
 * each time, so a configuration created or removed is seen at once.
 */
static struct ds_lsp_cfg *cfg_for(struct ds_lsp *s, const struct ds_lsp_doc *d)
{
	if (s->config_path)
		return cfg_get(s, s->config_path,
			       strstr(s->config_path, "hadolint") ? DS_CONFIG_HADOLINT : DS_CONFIG_DISTILL, false);
	struct ds_repoconf rc;
	ds_repoconf_init(&rc);
	enum ds_config_dialect dialect = DS_CONFIG_DISTILL;
	const char *found = NULL;
	char real[PATH_MAX];
	if (d->path)
		found = ds_repoconf_find_for(&rc, d->path, &dialect);
	else if (realpath(s->nfolders ? s->folders[0] : ".", real))
		found = ds_repoconf_find(&rc, real, &dialect);
	struct ds_lsp_cfg *c = cfg_get(s, found, dialect, true);
	ds_repoconf_release(&rc);
	return c;
}

/* The conversion of the analysed text, worked out once per analysis, as lint and convert do it. */
static void doc_convert(struct ds_lsp_doc *d)
{
	if (d->conv_done)
		return;
	d->conv_done = true;
	memset(&d->conv, 0, sizeof d->conv);
	memset(&d->verdict, 0, sizeof d->verdict);
	if (d->fatal) {
		d->conv.status = DS_CONVERT_ERROR;
		d->conv.reason = "the file does not parse";
		d->verdict.kind = DS_VERDICT_UNKNOWN;
		return;
	}
	/* a file on disk has its folder as build context, as convert reads it */
	ds_verdict_compute_at(&d->a, d->path, &d->df, &d->m, d->cat, &d->cfg->cfg, NULL, &d->verdict, &d->conv);
}

/* DST201's question during the analysis (rules.h ds_lint_file). */
static const struct ds_lint_verdict *doc_verdict(void *ctx)
{
	struct ds_lsp_doc *d = ctx;
	doc_convert(d);
	return d->fatal ? NULL : &d->verdict;
}

/* ---- analysis ---- */

void ds_lsp_analyze(struct ds_lsp *s, struct ds_lsp_doc *d)
{
	ds_arena_release(&d->a);
	d->stale = false;
	d->publish = true;
	d->conv_done = false;
	memset(&d->diags, 0, sizeof d->diags);
	d->cfg = cfg_for(s, d);
	d->cat = d->cfg->cat ? d->cfg->cat : s->cat;

	ds_source_from_mem(&d->src, &d->a, d->path ? d->path : d->uri, d->text.buf ? d->text.buf : "",
			   d->text.len);
	ds_source_lines(&d->src, &d->a);
	struct ds_parse_opts po = { 0 };
	d->fatal = ds_parse(&d->a, &d->src, &po, &d->df) != 0;
	size_t from = 0;
	if (d->fatal && d->df.fatal >= 0) {
		/* BuildKit's error first; the rules still see what could be read */
		struct ds_diag e = d->df.diags.v[d->df.fatal];
		e.sev = DS_SEV_ERROR;
		d->diags.v = ds_arena_grow(&d->a, d->diags.v, sizeof *d->diags.v, 0, &d->diags.cap);
		d->diags.v[d->diags.n++] = e;
		from = 1;
	}
	ds_model_build(&d->a, &d->df, NULL, &d->m);
	struct ds_lint_file lf = { .verdict = doc_verdict, .verdict_ctx = d };
	ds_lint_collect_file(&d->a, &d->df, &d->m, d->cat, &d->cfg->cfg.lint, &lf, &d->diags);
	for (size_t i = 0; i < d->nsc; i++) {
		const struct ds_lsp_sc *f = &d->sc[i];
		ds_diags_add(&d->diags, &d->a, f->sev, ds_arena_strdup(&d->a, f->code), f->off, f->end, f->msg);
	}
	ds_lint_filter(&d->a, &d->df, &d->m, &d->cfg->cfg, &d->diags, from);
	if (d->cfg->error)
		ds_diags_addf(&d->diags, &d->a, DS_SEV_ERROR, NULL, 0, 0,
			      "configuration not used (defaults apply): %s", d->cfg->error);
}

/* ---- ShellCheck ---- */

static void sc_clear(struct ds_lsp_doc *d)
{
	for (size_t i = 0; i < d->nsc; i++) {
		free(d->sc[i].code);
		free(d->sc[i].msg);
	}
	d->nsc = 0;
}

void ds_lsp_shellcheck(struct ds_lsp *s, struct ds_lsp_doc *d)
{
	if (d->stale)
		ds_lsp_analyze(s, d);
	size_t had = d->nsc;
	sc_clear(d);
	if (s->shellcheck && !d->fatal && ds_shellcheck_available()) {
		struct ds_diags found = { 0 };
		const char *err;
		if (ds_shellcheck(&d->a, &d->df, &d->m, DS_SHELLCHECK_DEFAULT_TIMEOUT, &found, &err))
			fprintf(stderr, "distill lsp: %s: shellcheck skipped: %s\n", d->uri, err);
		for (size_t i = 0; i < found.n; i++) {
			const struct ds_diag *f = &found.v[i];
			if (!f->code || !f->has_pos)
				continue;
			if (d->nsc == d->capsc) {
				d->capsc = d->capsc ? 2 * d->capsc : 16;
				d->sc = ds_xrealloc(d->sc, d->capsc * sizeof *d->sc);
			}
			struct ds_lsp_sc *k = &d->sc[d->nsc++];
			k->code = ds_xstrdup(f->code);
			k->msg = ds_xstrdup(f->msg);
			k->sev = f->sev;
			k->off = f->off;
			k->end = f->end;
		}
	}
	if (had || d->nsc)
		d->stale = true; /* the findings changed: analyse again */
}

void ds_lsp_sc_shift(struct ds_lsp_doc *d, size_t off, size_t end, size_t n)
{
	size_t kept = 0;
	for (size_t i = 0; i < d->nsc; i++) {
		struct ds_lsp_sc f = d->sc[i];
		if (f.end <= off) {
			/* before the change: stays */
		} else if (f.off >= end) {
			f.off = f.off - end + off + n;
			f.end = f.end - end + off + n;
		} else {
			/* the text it was about changed: gone until the next save */
			free(f.code);
			free(f.msg);
			continue;
		}
		d->sc[kept++] = f;
	}
	d->nsc = kept;
}

/* ---- convert ---- */

const struct ds_convert_result *ds_lsp_convert(struct ds_lsp *s, struct ds_lsp_doc *d)
{
	if (d->stale)
		ds_lsp_analyze(s, d);
	doc_convert(d);
	return &d->conv;
}

void ds_lsp_doc_release(struct ds_lsp_doc *d)
{
	sc_clear(d);
	free(d->sc);
	ds_arena_release(&d->a);
	ds_buf_release(&d->text);
	ds_lsp_lines_release(&d->lines);
	free(d->uri);
	free(d->path);
}
