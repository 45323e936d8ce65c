/* report_text.c - the audit summary for a terminal: figures, groups, commands, blockers, next steps; see report_view.h. */
#include "cli/report_view.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "emit/escape.h"
#include "rules/rules.h"

#define WIDTH 80

/* Columns s[0..n) takes: UTF-8 continuation bytes take none. */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* The column the last line of out has reached. */
static size_t column_now(const struct ds_buf *out)
{
	size_t i = out->len;
	while (i > 0 && out->buf[i - 1] != '\n')
		i--;
	return columns(out->buf + i, out->len - i);
}

/*
 * Appends s (a message or a name read from a file: escaped here) from the
 * current column, breaking at spaces before WIDTH; continuation lines start
 * with indent spaces. A word longer than a line is left whole.
 */
static void wrapped(struct ds_buf *out, size_t indent, const char *s)
{
	struct ds_buf e = DS_BUF_INIT;
	ds_esc_text(&e, s, strlen(s));
	size_t col = column_now(out);
	size_t i = 0;
	while (i < e.len) {
		size_t j = i;
		while (j < e.len && e.buf[j] != ' ')
			j++;
		size_t wl = columns(e.buf + i, j - i);
		if (col > indent && col + 1 + wl > WIDTH) {
			ds_buf_addc(out, '\n');
			for (size_t k = 0; k < indent; k++)
				ds_buf_addc(out, ' ');
			col = indent;
		} else if (i > 0) {
			ds_buf_addc(out, ' ');
			col++;
		}
		ds_buf_add(out, e.buf + i, j - i);
		col += wl;
		i = j;
		while (i < e.len && e.buf[i] == ' ')
			i++;
	}
	ds_buf_addc(out, '\n');
	ds_buf_release(&e);
}

/* "  label   count   pct%" for one verdict (or any figure). */
static void figure(struct ds_buf *out, const char *label, uint64_t n, uint64_t whole, const char *note)
{
	ds_buf_addf(out, "  %-26s %8llu  %5.1f%%", label, (unsigned long long)n, ds_audit_pct(n, whole));
	if (note && n)
		ds_buf_addf(out, "  %s", note);
	ds_buf_addc(out, '\n');
}

static void more(struct ds_buf *out, size_t shown, size_t total, const char *what)
{
	if (total > shown)
		ds_buf_addf(out, "  ... and %zu more %s\n", total - shown, what);
}

static void headline(struct ds_buf *out, const struct ds_audit_view *w)
{
	const uint64_t *by = w->by;
	ds_buf_addf(out, "distill audit: %zu %s in %zu %s", w->n, ds_audit_plural(w->n, "Dockerfile", "Dockerfiles"), w->ngroups,
		    w->o.group_by == DS_AUDIT_BY_DIR ? ds_audit_plural(w->ngroups, "folder", "folders")
						     : ds_audit_plural(w->ngroups, "repository", "repositories"));
	if (w->o.shard)
		ds_buf_addf(out, " (shard %s of %zu found)", w->o.shard, w->o.discovered);
	ds_buf_adds(out, "\n\n");
	figure(out, ds_audit_conv_label(DS_AUDIT_NOTHING), by[DS_AUDIT_NOTHING], w->n, NULL);
	figure(out, ds_audit_conv_label(DS_AUDIT_YES), by[DS_AUDIT_YES], w->n, "distill convert --in-place FILE");
	figure(out, ds_audit_conv_label(DS_AUDIT_ACCEPT), by[DS_AUDIT_ACCEPT], w->n, "--accept KINDS, --bump-runtime or --target");
	figure(out, ds_audit_conv_label(DS_AUDIT_MANUAL), by[DS_AUDIT_MANUAL], w->n, NULL);
	figure(out, ds_audit_conv_label(DS_AUDIT_NO_RUNTIME), by[DS_AUDIT_NO_RUNTIME], w->n, NULL);
	figure(out, ds_audit_conv_label(DS_AUDIT_NOT_DOCKERFILE), by[DS_AUDIT_NOT_DOCKERFILE], w->n, NULL);
	figure(out, ds_audit_conv_label(DS_AUDIT_UNREADABLE), by[DS_AUDIT_UNREADABLE], w->n, NULL);
	ds_buf_addf(out, "  %-26s %8llu  %5.1f%%", "errors", (unsigned long long)by[DS_AUDIT_ERROR],
		    ds_audit_pct(by[DS_AUDIT_ERROR], w->n));
	if (by[DS_AUDIT_ERROR])
		ds_buf_addf(out, "  %llu parse %s, %llu in the conversion", (unsigned long long)w->parse_failures,
			    ds_audit_plural(w->parse_failures, "failure", "failures"),
			    (unsigned long long)(by[DS_AUDIT_ERROR] - w->parse_failures));
	ds_buf_addc(out, '\n');
	ds_buf_addf(out, "  %-26s %8llu  in %llu %s\n", "findings", (unsigned long long)w->findings,
		    (unsigned long long)w->with_findings, ds_audit_plural(w->with_findings, "file", "files"));
}

static void families(struct ds_buf *out, const struct ds_audit_view *w, struct ds_arena *a)
{
	if (!w->nfamilies)
		return;
	uint64_t total = 0;
	for (size_t i = 0; i < w->nfamilies; i++)
		total += w->families[i].n;
	ds_buf_adds(out, "\nfinal-stage families\n");
	for (size_t i = 0; i < w->nfamilies; i++)
		ds_buf_addf(out, "  %-26s %8llu  %5.1f%%\n", ds_esc_text_dup(a, w->families[i].key),
			    (unsigned long long)w->families[i].n, ds_audit_pct(w->families[i].n, total));
}

static void bases(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->nbases)
		return;
	ds_buf_adds(out, "\ntop final base images (files)\n");
	size_t i;
	for (i = 0; i < w->nbases && i < w->o.top; i++) {
		ds_buf_addf(out, "  %8llu  ", (unsigned long long)w->bases[i].n);
		wrapped(out, 12, w->bases[i].key);
	}
	more(out, i, w->nbases, "images");
}

static void groups(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->ngroups)
		return;
	ds_buf_addf(out, "\n%s, least ready first (ready: shell-free or convertible now)\n",
		    w->o.group_by == DS_AUDIT_BY_DIR ? "folders" : "repositories");
	ds_buf_adds(out, "     files   free    now   flag manual   none  error  name\n");
	size_t i;
	for (i = 0; i < w->ngroups && i < w->o.top; i++) {
		const struct ds_audit_group *g = &w->groups[i];
		uint64_t err = g->by[DS_AUDIT_ERROR] + g->by[DS_AUDIT_UNREADABLE] + g->by[DS_AUDIT_NOT_DOCKERFILE];
		ds_buf_addf(out, "  %8llu %6llu %6llu %6llu %6llu %6llu %6llu  ", (unsigned long long)g->files,
			    (unsigned long long)g->by[DS_AUDIT_NOTHING], (unsigned long long)g->by[DS_AUDIT_YES],
			    (unsigned long long)g->by[DS_AUDIT_ACCEPT], (unsigned long long)g->by[DS_AUDIT_MANUAL],
			    (unsigned long long)g->by[DS_AUDIT_NO_RUNTIME], (unsigned long long)err);
		ds_esc_name(out, g->name);
		ds_buf_addc(out, '\n');
	}
	more(out, i, w->ngroups, w->o.group_by == DS_AUDIT_BY_DIR ? "folders (--top N)" : "repositories (--top N)");
}

static void commands(struct ds_buf *out, const struct ds_audit_view *w, const size_t *idx, size_t n,
		     const char *title)
{
	if (!n)
		return;
	ds_buf_addf(out, "\n%s (%zu %s)\n", title, n, ds_audit_plural(n, "file", "files"));
	struct ds_buf cmd = DS_BUF_INIT;
	size_t i;
	for (i = 0; i < n && i < w->o.top; i++) {
		ds_buf_reset(&cmd);
		ds_audit_command(&cmd, &w->v[idx[i]]);
		ds_buf_adds(out, "  ");
		ds_esc_text(out, cmd.buf, cmd.len);
		ds_buf_addc(out, '\n');
	}
	ds_buf_release(&cmd);
	more(out, i, n, "(--format csv, md or html list them all)");
}

static void blockers(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->nblockers)
		return;
	ds_buf_adds(out, "\ntop blockers (files)\n");
	size_t i;
	for (i = 0; i < w->nblockers && i < w->o.top; i++) {
		const struct ds_audit_blocker *b = &w->blockers[i];
		ds_buf_addf(out, "  %8llu  ", (unsigned long long)b->files);
		wrapped(out, 12, b->variants[0].text);
		if (b->nvariants > 1) {
			struct ds_buf t = DS_BUF_INIT;
			ds_buf_addf(&t, "(%llu as shown; also", (unsigned long long)b->variants[0].files);
			for (size_t k = 1; k < b->nvariants && k < 4; k++)
				ds_buf_addf(&t, "%s %s %llu", k > 1 ? "," : "", b->variants[k].values,
					    (unsigned long long)b->variants[k].files);
			if (b->nvariants > 4)
				ds_buf_addf(&t, " and %zu more", b->nvariants - 4);
			ds_buf_adds(&t, ")");
			ds_buf_adds(out, "            ");
			wrapped(out, 12, t.buf);
			ds_buf_release(&t);
		}
		if (b->advice) {
			ds_buf_adds(out, "            unblock: ");
			wrapped(out, 21, b->advice);
		}
		ds_buf_adds(out, "            e.g. ");
		ds_esc_name(out, w->v[b->examples[0]].file);
		ds_buf_addc(out, '\n');
	}
	more(out, i, w->nblockers, "blockers (--top N)");
}

static void rules(struct ds_buf *out, const struct ds_audit_view *w, struct ds_arena *a)
{
	if (!w->nrules)
		return;
	ds_buf_adds(out, "\ntop findings by rule\n");
	size_t i;
	for (i = 0; i < w->nrules && i < w->o.top; i++) {
		const struct ds_audit_tally *t = &w->rules[i];
		ds_buf_addf(out, "  %-10s %8llu %s in %llu %s\n", ds_esc_text_dup(a, t->key), (unsigned long long)t->n,
			    ds_audit_plural(t->n, "finding ", "findings"), (unsigned long long)t->files,
			    ds_audit_plural(t->files, "file", "files"));
		const struct ds_rule_info *ri = ds_rule_find(t->key);
		if (ri) {
			ds_buf_adds(out, "             ");
			wrapped(out, 13, ri->summary);
		}
	}
	more(out, i, w->nrules, "rules (--top N)");
}

static void errors(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->nerrors)
		return;
	ds_buf_addf(out, "\nerrors (%zu %s)\n", w->nerrors, ds_audit_plural(w->nerrors, "file", "files"));
	struct ds_buf e = DS_BUF_INIT;
	size_t i;
	for (i = 0; i < w->nerrors && i < w->o.top; i++) {
		const struct ds_audit_report *r = &w->v[w->errors[i]];
		ds_buf_reset(&e);
		ds_audit_problem(&e, r);
		ds_buf_adds(out, "  ");
		ds_esc_name(out, r->file);
		ds_buf_adds(out, ": ");
		ds_esc_text(out, e.buf, e.len);
		ds_buf_addc(out, '\n');
	}
	ds_buf_release(&e);
	more(out, i, w->nerrors, "");
}

static void next_steps(struct ds_buf *out, const struct ds_audit_view *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	const char *steps[8];
	size_t n = ds_audit_next_steps(w, &a, steps, sizeof steps / sizeof *steps);
	ds_buf_adds(out, "\nnext steps\n");
	for (size_t i = 0; i < n; i++) {
		ds_buf_addf(out, "  %zu. ", i + 1);
		wrapped(out, 5, steps[i]);
	}
	ds_arena_release(&a);
}

struct slow {
	uint64_t micros;
	size_t index;
};

static int slow_cmp(const void *x, const void *y)
{
	const struct slow *a = x, *b = y;
	if (a->micros != b->micros)
		return a->micros > b->micros ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void timing(struct ds_buf *out, const struct ds_audit_view *w)
{
	struct slow *s = ds_xmalloc((w->n ? w->n : 1) * sizeof *s);
	size_t ns = 0;
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].micros) {
			s[ns].micros = w->v[i].micros;
			s[ns].index = i;
			ns++;
		}
	if (ns) {
		qsort(s, ns, sizeof *s, slow_cmp);
		ds_buf_adds(out, "\nslowest files\n");
		for (size_t i = 0; i < ns && i < w->o.top; i++) {
			ds_buf_addf(out, "  %9.3f ms  ", (double)s[i].micros / 1000.0);
			ds_esc_name(out, w->v[s[i].index].file);
			ds_buf_addc(out, '\n');
		}
	}
	free(s);
	if (w->o.wall_seconds >= 0)
		ds_buf_addf(out, "\ntime: %.3f s wall, %.0f files/s, %u jobs\n", w->o.wall_seconds,
			    w->o.wall_seconds > 0 ? (double)w->n / w->o.wall_seconds : 0.0, w->o.jobs);
}

void ds_audit_summary(struct ds_buf *out, const struct ds_audit_view *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	headline(out, w);
	families(out, w, &a);
	bases(out, w);
	groups(out, w);
	commands(out, w, w->now, w->nnow, "convertible now");
	commands(out, w, w->flag, w->nflag, "convertible with a flag");
	blockers(out, w);
	rules(out, w, &a);
	errors(out, w);
	next_steps(out, w);
	if (w->o.timing)
		timing(out, w);
	ds_arena_release(&a);
}
