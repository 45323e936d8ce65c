/* report_md.c - the audit report as Markdown (CommonMark with GitHub's tables), for a pull request or a wiki; see report_view.h. */
#include "cli/report_view.h"

#include <string.h>

#include "common/buf.h"
#include "emit/escape.h"
#include "emit/markup.h"
#include "rules/rules.h"

static void md(struct ds_buf *out, const char *s)
{
	ds_markup_md(out, s, strlen(s));
}

static void verdict_row(struct ds_buf *out, const struct ds_audit_view *w, const char *label, uint64_t n)
{
	ds_buf_addf(out, "| %s | %llu | %.1f%% |\n", label, (unsigned long long)n, ds_audit_pct(n, w->n));
}

static void headline(struct ds_buf *out, const struct ds_audit_view *w)
{
	bool dirs = w->o.group_by == DS_AUDIT_BY_DIR;
	ds_buf_addf(out, "# Shell-free audit: %zu %s in %zu %s\n\n", w->n, ds_audit_plural(w->n, "Dockerfile", "Dockerfiles"),
		    w->ngroups,
		    dirs ? ds_audit_plural(w->ngroups, "folder", "folders")
			 : ds_audit_plural(w->ngroups, "repository", "repositories"));
	if (w->o.shard)
		ds_buf_addf(out, "Shard %s of the %zu files found.\n\n", w->o.shard, w->o.discovered);
	ds_buf_adds(out, "| verdict | files | share |\n| --- | ---: | ---: |\n");
	for (int k = 0; k < DS_AUDIT__COUNT; k++)
		verdict_row(out, w, ds_audit_conv_label((enum ds_audit_conv)k), w->by[k]);
	ds_buf_addf(out, "\n%llu %s in %llu %s.\n", (unsigned long long)w->findings,
		    ds_audit_plural(w->findings, "finding", "findings"), (unsigned long long)w->with_findings,
		    ds_audit_plural(w->with_findings, "file", "files"));
}

static void tally_table(struct ds_buf *out, const char *title, const char *col, const struct ds_audit_tally *t,
			size_t n, size_t limit, uint64_t whole)
{
	if (!n)
		return;
	ds_buf_addf(out, "\n## %s\n\n| %s | files | share |\n| --- | ---: | ---: |\n", title, col);
	size_t i;
	for (i = 0; i < n && i < limit; i++) {
		ds_buf_adds(out, "| ");
		ds_markup_md_code(out, t[i].key, false, true);
		ds_buf_addf(out, " | %llu | %.1f%% |\n", (unsigned long long)t[i].n, ds_audit_pct(t[i].n, whole));
	}
	if (n > i)
		ds_buf_addf(out, "\nAnd %zu more.\n", n - i);
}

static void groups(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->ngroups)
		return;
	bool dirs = w->o.group_by == DS_AUDIT_BY_DIR;
	ds_buf_addf(out, "\n## %s\n\nLeast ready first; *ready* is the share already shell-free or "
			 "convertible now.\n\n",
		    dirs ? "Folders" : "Repositories");
	ds_buf_addf(out, "| %s | files | shell-free | now | with a flag | manual | no runtime | errors | ready |\n",
		    dirs ? "folder" : "repository");
	ds_buf_adds(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (size_t i = 0; i < w->ngroups; i++) {
		const struct ds_audit_group *g = &w->groups[i];
		uint64_t err = g->by[DS_AUDIT_ERROR] + g->by[DS_AUDIT_UNREADABLE] + g->by[DS_AUDIT_NOT_DOCKERFILE];
		ds_buf_adds(out, "| ");
		ds_markup_md_code(out, g->name, true, true);
		ds_buf_addf(out, " | %llu | %llu | %llu | %llu | %llu | %llu | %llu | %.0f%% |\n", (unsigned long long)g->files,
			    (unsigned long long)g->by[DS_AUDIT_NOTHING], (unsigned long long)g->by[DS_AUDIT_YES],
			    (unsigned long long)g->by[DS_AUDIT_ACCEPT], (unsigned long long)g->by[DS_AUDIT_MANUAL],
			    (unsigned long long)g->by[DS_AUDIT_NO_RUNTIME], (unsigned long long)err,
			    ds_audit_pct(g->by[DS_AUDIT_NOTHING] + g->by[DS_AUDIT_YES], g->files));
	}
}

/* The commands of files idx[0..n) as one shell block, fenced longer than any backtick run in it. */
static void command_block(struct ds_buf *out, const struct ds_audit_view *w, const size_t *idx, size_t n)
{
	struct ds_buf body = DS_BUF_INIT, cmd = DS_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		ds_buf_reset(&cmd);
		ds_audit_command(&cmd, &w->v[idx[i]]);
		ds_esc_text(&body, cmd.buf, cmd.len);
		ds_buf_addc(&body, '\n');
	}
	size_t fence = ds_markup_md_fence(body.buf ? body.buf : "", body.len);
	for (size_t i = 0; i < fence; i++)
		ds_buf_addc(out, '`');
	ds_buf_adds(out, "sh\n");
	ds_buf_add(out, body.buf ? body.buf : "", body.len);
	for (size_t i = 0; i < fence; i++)
		ds_buf_addc(out, '`');
	ds_buf_addc(out, '\n');
	ds_buf_release(&body);
	ds_buf_release(&cmd);
}

static void convertible(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (w->nnow) {
		ds_buf_addf(out, "\n## Convertible now (%zu %s)\n\n", w->nnow, ds_audit_plural(w->nnow, "file", "files"));
		ds_buf_adds(out, "Each command checks its result before writing it: the new image needs no shell and runs "
				 "like the original.\n\n");
		command_block(out, w, w->now, w->nnow);
	}
	if (w->nflag) {
		ds_buf_addf(out, "\n## Convertible with a flag (%zu %s)\n\n", w->nflag,
			    ds_audit_plural(w->nflag, "file", "files"));
		ds_buf_adds(out, "Each declares a change of behaviour that the flag accepts (`--accept user`: the user the "
				 "container runs as; `--bump-runtime`: a newer language runtime; `--target`: another vendor's image, "
				 "such as Chainguard's nginx or a chiseled .NET image). Review it with "
				 "`distill convert --explain FILE` first.\n\n");
		command_block(out, w, w->flag, w->nflag);
	}
}

static void blockers(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->nblockers)
		return;
	ds_buf_adds(out, "\n## Top blockers\n\n");
	size_t i;
	for (i = 0; i < w->nblockers && i < w->o.top; i++) {
		const struct ds_audit_blocker *b = &w->blockers[i];
		ds_buf_addf(out, "%zu. **%llu %s**: ", i + 1, (unsigned long long)b->files,
			    ds_audit_plural(b->files, "file", "files"));
		md(out, b->variants[0].text);
		ds_buf_adds(out, "\n");
		if (b->advice) {
			ds_buf_adds(out, "   - Unblock: ");
			md(out, b->advice);
			ds_buf_addc(out, '\n');
		}
		if (b->nvariants > 1) {
			ds_buf_addf(out, "   - As shown: %llu; also ", (unsigned long long)b->variants[0].files);
			for (size_t k = 1; k < b->nvariants && k < 6; k++) {
				if (k > 1)
					ds_buf_adds(out, ", ");
				md(out, b->variants[k].values);
				ds_buf_addf(out, " %llu", (unsigned long long)b->variants[k].files);
			}
			if (b->nvariants > 6)
				ds_buf_addf(out, " and %zu more", b->nvariants - 6);
			ds_buf_addc(out, '\n');
		}
		ds_buf_adds(out, "   - For example: ");
		for (size_t k = 0; k < b->nexamples; k++) {
			if (k)
				ds_buf_adds(out, ", ");
			ds_markup_md_code(out, w->v[b->examples[k]].file, true, false);
		}
		ds_buf_addc(out, '\n');
	}
	if (w->nblockers > i)
		ds_buf_addf(out, "\nAnd %zu more blockers.\n", w->nblockers - i);
}

static void rules(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->nrules)
		return;
	struct ds_arena a = DS_ARENA_INIT;
	ds_buf_adds(out, "\n## Findings by rule\n\n| rule | severity | findings | files | what it checks |\n"
			 "| --- | --- | ---: | ---: | --- |\n");
	for (size_t i = 0; i < w->nrules; i++) {
		const struct ds_audit_tally *t = &w->rules[i];
		const struct ds_rule_info *ri = ds_rule_find(t->key);
		const char *page = ds_audit_rule_page(&a, t->key);
		ds_buf_adds(out, "| ");
		if (page) {
			ds_buf_addc(out, '[');
			md(out, t->key);
			ds_buf_addf(out, "](%s)", page);
		} else {
			md(out, t->key);
		}
		ds_buf_addf(out, " | %s | %llu | %llu | ", ri ? ds_severity_name(ri->sev) : "", (unsigned long long)t->n,
			    (unsigned long long)t->files);
		if (ri)
			md(out, ri->summary);
		ds_buf_adds(out, " |\n");
	}
	ds_arena_release(&a);
}

static void errors(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->nerrors)
		return;
	ds_buf_addf(out, "\n## Errors (%zu %s)\n\n| file | verdict | error |\n| --- | --- | --- |\n", w->nerrors,
		    ds_audit_plural(w->nerrors, "file", "files"));
	struct ds_buf e = DS_BUF_INIT;
	for (size_t i = 0; i < w->nerrors; i++) {
		const struct ds_audit_report *r = &w->v[w->errors[i]];
		ds_buf_reset(&e);
		ds_audit_problem(&e, r);
		ds_buf_adds(out, "| ");
		ds_markup_md_code(out, r->file, true, true);
		ds_buf_addf(out, " | %s | ", ds_audit_conv_label(r->convertible));
		ds_markup_md(out, e.buf ? e.buf : "", e.len);
		ds_buf_adds(out, " |\n");
	}
	ds_buf_release(&e);
}

void ds_audit_md(struct ds_buf *out, const struct ds_audit_view *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	headline(out, w);
	const char *steps[8];
	size_t ns = ds_audit_next_steps(w, &a, steps, sizeof steps / sizeof *steps);
	ds_buf_adds(out, "\n## Next steps\n\n");
	for (size_t i = 0; i < ns; i++) {
		ds_buf_addf(out, "%zu. ", i + 1);
		md(out, steps[i]);
		ds_buf_addc(out, '\n');
	}
	uint64_t nfam = 0;
	for (size_t i = 0; i < w->nfamilies; i++)
		nfam += w->families[i].n;
	tally_table(out, "Final-stage families", "family", w->families, w->nfamilies, w->nfamilies, nfam);
	tally_table(out, "Top final base images", "image", w->bases, w->nbases, w->o.top, w->n);
	groups(out, w);
	convertible(out, w);
	blockers(out, w);
	rules(out, w);
	errors(out, w);
	ds_buf_addf(out, "\n---\nWritten by distill %s (`distill audit --format md`).\n", w->o.version ? w->o.version : "");
	ds_arena_release(&a);
}
