/*
 * report_html.c - the audit report as one self-contained HTML page: inline
 * CSS, charts drawn here as inline SVG, no script and nothing fetched, so it
 * opens offline, on a phone and on paper; see report_view.h.
 */
#include "cli/report_view.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "emit/escape.h"
#include "emit/markup.h"
#include "rules/rules.h"

/* Colours of the verdicts, in the order of DS_AUDIT_VERDICTS: CSS class v-NAME. */
static const char *const verdict_colour[DS_AUDIT__COUNT] = {
	"#1a7f37", "#2f81f7", "#8250df", "#d4a72c", "#cf222e", "#afb8c1", "#6e7781", "#24292f",
};

static const char css[] =
	"*{box-sizing:border-box}"
	"body{margin:0;overflow-wrap:break-word;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;background:#fff}"
	"main{max-width:980px;margin:0 auto;padding:12px 16px 32px}"
	"h1{font-size:1.55em;margin:.3em 0 .1em}"
	"h2{font-size:1.2em;margin:1.8em 0 .6em;padding-bottom:.2em;border-bottom:1px solid #d1d9e0}"
	"h3{font-size:1em;margin:0}"
	".sub,.note{color:#59636e}.note{font-size:.9em}"
	".figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(118px,1fr));gap:8px;margin:14px 0}"
	".fig{border:1px solid #d1d9e0;border-left:6px solid var(--c);border-radius:6px;padding:8px 10px}"
	".fig b{display:block;font-size:1.55em;line-height:1.2;font-variant-numeric:tabular-nums}"
	".fig span{color:#59636e;font-size:.88em}"
	"svg{display:block;width:100%;margin:6px 0}svg text{font-size:13px;fill:#1f2328}svg .v{fill:#59636e}"
	".legend{display:flex;flex-wrap:wrap;gap:2px 14px;padding:0;margin:4px 0;list-style:none;font-size:.9em}"
	".legend i{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:5px;vertical-align:-1px}"
	".scroll{overflow-x:auto}"
	"table{border-collapse:collapse;width:100%;font-size:.9em}"
	"th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d1d9e0;vertical-align:top}"
	"th{background:#f6f8fa}.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}"
	"code{overflow-wrap:anywhere}"
	"pre{background:#f6f8fa;border:1px solid #d1d9e0;border-radius:6px;padding:8px 10px;overflow-x:auto}"
	".blocker{margin:10px 0;padding:8px 12px;border-left:4px solid #d4a72c;background:#fff8e1;border-radius:4px}"
	".blocker p{margin:.3em 0}"
	"summary{cursor:pointer;font-weight:600}"
	"@media print{main{max-width:none;padding:0}h2{break-after:avoid}.fig,.blocker,tr,svg{break-inside:avoid}"
	"pre{white-space:pre-wrap;overflow-wrap:anywhere}a{color:inherit}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

static void text(struct ds_buf *out, const char *s)
{
	ds_markup_html(out, s, strlen(s));
}

/* A count with thousands separators: 20,000. */
static void num(struct ds_buf *out, uint64_t n)
{
	char d[24];
	int len = snprintf(d, sizeof d, "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			ds_buf_addc(out, ',');
		ds_buf_addc(out, d[i]);
	}
}

/*
 * s cut to at most max characters (UTF-8 aware) with "…" when cut: chart
 * labels cannot wrap; the full text is in the sections below.
 */
static void label(struct ds_buf *out, const char *s, size_t max)
{
	size_t chars = 0, i = 0, n = strlen(s);
	while (i < n && chars < max) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	ds_markup_html(out, s, i);
	if (i < n)
		ds_buf_adds(out, "\xe2\x80\xa6");
}

/* ---- charts ---- */

enum { ROW = 38 };

/* One horizontal bar chart: a label and a value above each bar, bars scaled to the largest. */
struct bar {
	const char *label;
	uint64_t n;
	const char *value; /* shown at the right, e.g. "6,039 (30.2%)" */
};

static void bar_chart(struct ds_buf *out, const char *title, const struct bar *b, size_t n, const char *colour)
{
	uint64_t max = 1;
	for (size_t i = 0; i < n; i++)
		if (b[i].n > max)
			max = b[i].n;
	ds_buf_addf(out, "<svg role=\"img\" height=\"%zu\" aria-label=\"", n * ROW + 2);
	text(out, title);
	ds_buf_adds(out, "\">");
	for (size_t i = 0; i < n; i++) {
		size_t y = i * ROW;
		/* the value first: a long label runs off the right edge rather than over the value */
		ds_buf_addf(out, "<text x=\"0\" y=\"%zu\"><tspan class=\"v\">", y + 14);
		text(out, b[i].value);
		ds_buf_adds(out, "</tspan><tspan dx=\"10\">");
		label(out, b[i].label, 90);
		ds_buf_addf(out, "</tspan></text><rect x=\"0\" y=\"%zu\" height=\"14\" rx=\"2\" width=\"%.3f%%\" fill=\"%s\"><title>",
			    y + 20, b[i].n ? 0.2 + 99.8 * (double)b[i].n / (double)max : 0.0, colour);
		text(out, b[i].label);
		ds_buf_adds(out, ": ");
		text(out, b[i].value);
		ds_buf_adds(out, "</title></rect>");
	}
	ds_buf_adds(out, "</svg>\n");
}

/* Segments of one stacked bar (counts by verdict) at row y, scaled to whole. */
static void stacked(struct ds_buf *out, const uint64_t *by, uint64_t whole, size_t y, size_t height)
{
	double x = 0;
	for (int k = 0; k < DS_AUDIT__COUNT; k++) {
		if (!by[k])
			continue;
		double wd = 100.0 * (double)by[k] / (double)(whole ? whole : 1);
		ds_buf_addf(out, "<rect x=\"%.3f%%\" y=\"%zu\" height=\"%zu\" width=\"%.3f%%\" fill=\"%s\"><title>%s: ", x, y,
			    height, wd, verdict_colour[k], ds_audit_conv_label((enum ds_audit_conv)k));
		num(out, by[k]);
		ds_buf_addf(out, " (%.1f%%)</title></rect>", ds_audit_pct(by[k], whole));
		x += wd;
	}
}

static void legend(struct ds_buf *out, const struct ds_audit_view *w)
{
	ds_buf_adds(out, "<ul class=\"legend\">");
	for (int k = 0; k < DS_AUDIT__COUNT; k++) {
		ds_buf_addf(out, "<li data-verdict=\"%s\" data-n=\"%llu\"><i style=\"background:%s\"></i>%s ",
			    ds_audit_conv_name((enum ds_audit_conv)k), (unsigned long long)w->by[k], verdict_colour[k],
			    ds_audit_conv_label((enum ds_audit_conv)k));
		num(out, w->by[k]);
		ds_buf_adds(out, "</li>");
	}
	ds_buf_adds(out, "</ul>\n");
}

static void verdict_chart(struct ds_buf *out, const struct ds_audit_view *w)
{
	ds_buf_adds(out, "<h2 id=\"verdicts\">Verdicts</h2>\n<svg role=\"img\" height=\"30\" aria-label=\"files by verdict\">");
	stacked(out, w->by, w->n, 2, 26);
	ds_buf_adds(out, "</svg>\n");
	legend(out, w);
}

static void tally_chart(struct ds_buf *out, struct ds_arena *a, const char *id, const char *title,
			const struct ds_audit_tally *t, size_t n, size_t limit, uint64_t whole, const char *colour)
{
	if (!n)
		return;
	size_t k = n < limit ? n : limit;
	struct bar *b = ds_arena_alloc(a, k * sizeof *b);
	for (size_t i = 0; i < k; i++) {
		b[i].label = t[i].key;
		b[i].n = t[i].n;
		struct ds_buf v = DS_BUF_INIT;
		num(&v, t[i].n);
		ds_buf_addf(&v, " (%.1f%%)", ds_audit_pct(t[i].n, whole));
		b[i].value = ds_arena_strndup(a, v.buf, v.len);
		ds_buf_release(&v);
	}
	ds_buf_addf(out, "<h2 id=\"%s\">", id);
	text(out, title);
	ds_buf_adds(out, "</h2>\n");
	bar_chart(out, title, b, k, colour);
	if (n > k) {
		ds_buf_adds(out, "<p class=\"note\">And ");
		num(out, n - k);
		ds_buf_adds(out, " more.</p>\n");
	}
}

static uint64_t errors_of(const uint64_t *by)
{
	return by[DS_AUDIT_ERROR] + by[DS_AUDIT_UNREADABLE] + by[DS_AUDIT_NOT_DOCKERFILE];
}

/* Convertible share per group: one stacked bar per group, as a share of its files. */
static void group_chart(struct ds_buf *out, const struct ds_audit_view *w, const char *what)
{
	size_t limit = w->o.top < 30 ? 30 : w->o.top;
	size_t k = w->ngroups < limit ? w->ngroups : limit;
	if (!k)
		return;
	ds_buf_addf(out, "<h2 id=\"share\">Convertible share per %s</h2>\n", what);
	ds_buf_addf(out, "<svg role=\"img\" height=\"%zu\" aria-label=\"convertible share per %s\">", k * ROW + 2, what);
	for (size_t i = 0; i < k; i++) {
		const struct ds_audit_group *g = &w->groups[i];
		size_t y = i * ROW;
		ds_buf_addf(out, "<text x=\"0\" y=\"%zu\"><tspan class=\"v\">%.0f%% ready of ", y + 14,
			    ds_audit_pct(g->by[DS_AUDIT_NOTHING] + g->by[DS_AUDIT_YES], g->files));
		num(out, g->files);
		ds_buf_addf(out, "</tspan><tspan dx=\"10\">");
		struct ds_buf e = DS_BUF_INIT;
		ds_esc_name(&e, g->name);
		label(out, e.buf, 90);
		ds_buf_release(&e);
		ds_buf_adds(out, "</tspan></text>");
		stacked(out, g->by, g->files, y + 20, 14);
	}
	ds_buf_adds(out, "</svg>\n");
	if (w->ngroups > k) {
		ds_buf_adds(out, "<p class=\"note\">");
		num(out, w->ngroups - k);
		ds_buf_addf(out, " more %s in the table below.</p>\n", what);
	}
}

/* ---- sections ---- */

static void card(struct ds_buf *out, const char *id, const char *colour, uint64_t n, const char *label_text,
		 uint64_t whole)
{
	ds_buf_addf(out, "<div class=\"fig\" id=\"fig-%s\" data-n=\"%llu\" style=\"--c:%s\"><b>", id, (unsigned long long)n,
		    colour);
	num(out, n);
	ds_buf_addf(out, "</b><span>%s", label_text);
	if (whole)
		ds_buf_addf(out, " &middot; %.1f%%", ds_audit_pct(n, whole));
	ds_buf_adds(out, "</span></div>\n");
}

static void headline(struct ds_buf *out, const struct ds_audit_view *w, const char *groups_word)
{
	ds_buf_adds(out, "<h1>Shell-free audit</h1>\n<p class=\"sub\">");
	num(out, w->n);
	ds_buf_addf(out, " %s in ", ds_audit_plural(w->n, "Dockerfile", "Dockerfiles"));
	num(out, w->ngroups);
	ds_buf_addf(out, " %s", groups_word);
	if (w->o.shard)
		ds_buf_addf(out, " &middot; shard %s of %zu files found", w->o.shard, w->o.discovered);
	ds_buf_adds(out, " &middot; ");
	num(out, w->findings);
	ds_buf_addf(out, " %s in ", ds_audit_plural(w->findings, "finding", "findings"));
	num(out, w->with_findings);
	ds_buf_addf(out, " %s</p>\n<div class=\"figs\">\n", ds_audit_plural(w->with_findings, "file", "files"));
	card(out, "files", "#57606a", w->n, "Dockerfiles", 0);
	card(out, "nothing", verdict_colour[DS_AUDIT_NOTHING], w->by[DS_AUDIT_NOTHING], "already shell-free", w->n);
	card(out, "yes", verdict_colour[DS_AUDIT_YES], w->by[DS_AUDIT_YES], "convertible now", w->n);
	card(out, "accept", verdict_colour[DS_AUDIT_ACCEPT], w->by[DS_AUDIT_ACCEPT], "convertible with a flag", w->n);
	card(out, "manual", verdict_colour[DS_AUDIT_MANUAL], w->by[DS_AUDIT_MANUAL], "manual work", w->n);
	card(out, "no-runtime", verdict_colour[DS_AUDIT_NO_RUNTIME], w->by[DS_AUDIT_NO_RUNTIME], "no shell-free runtime",
	     w->n);
	card(out, "errors", verdict_colour[DS_AUDIT_ERROR], errors_of(w->by), "errors", w->n);
	ds_buf_adds(out, "</div>\n");
}

static void next_steps(struct ds_buf *out, const struct ds_audit_view *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	const char *steps[8];
	size_t n = ds_audit_next_steps(w, &a, steps, sizeof steps / sizeof *steps);
	ds_buf_adds(out, "<h2 id=\"next\">Next steps</h2>\n<ol>\n");
	for (size_t i = 0; i < n; i++) {
		ds_buf_adds(out, "<li>");
		text(out, steps[i]);
		ds_buf_adds(out, "</li>\n");
	}
	ds_buf_adds(out, "</ol>\n");
	ds_arena_release(&a);
}

static void group_table(struct ds_buf *out, const struct ds_audit_view *w, const char *what, const char *col)
{
	if (!w->ngroups)
		return;
	ds_buf_addf(out, "<h2 id=\"groups\">%s</h2>\n<p class=\"note\">Least ready first; "
			 "<em>ready</em> is the share already shell-free or convertible now.</p>\n",
		    what);
	ds_buf_addf(out, "<div class=\"scroll\"><table id=\"group-table\"><thead><tr><th>%s</th><th class=\"n\">files</th>"
			 "<th class=\"n\">shell-free</th><th class=\"n\">now</th><th class=\"n\">with a flag</th>"
			 "<th class=\"n\">manual</th><th class=\"n\">no runtime</th><th class=\"n\">errors</th>"
			 "<th class=\"n\">findings</th><th class=\"n\">ready</th></tr></thead><tbody>\n",
		    col);
	for (size_t i = 0; i < w->ngroups; i++) {
		const struct ds_audit_group *g = &w->groups[i];
		const uint64_t cells[] = { g->files, g->by[DS_AUDIT_NOTHING], g->by[DS_AUDIT_YES], g->by[DS_AUDIT_ACCEPT],
					   g->by[DS_AUDIT_MANUAL], g->by[DS_AUDIT_NO_RUNTIME], errors_of(g->by), g->findings };
		ds_buf_adds(out, "<tr><td><code>");
		ds_markup_html_name(out, g->name);
		ds_buf_adds(out, "</code></td>");
		for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
			ds_buf_adds(out, "<td class=\"n\">");
			num(out, cells[c]);
			ds_buf_adds(out, "</td>");
		}
		ds_buf_addf(out, "<td class=\"n\">%.0f%%</td></tr>\n",
			    ds_audit_pct(g->by[DS_AUDIT_NOTHING] + g->by[DS_AUDIT_YES], g->files));
	}
	ds_buf_adds(out, "</tbody></table></div>\n");
}

static void command_list(struct ds_buf *out, const struct ds_audit_view *w, const size_t *idx, size_t n,
			 const char *id, const char *title, const char *note)
{
	if (!n)
		return;
	ds_buf_addf(out, "<h2 id=\"%s\">%s (", id, title);
	num(out, n);
	ds_buf_addf(out, " %s)</h2>\n<p class=\"note\">%s</p>\n<details open><summary>commands</summary><pre id=\"%s-commands\">",
		    ds_audit_plural(n, "file", "files"), note, id);
	struct ds_buf cmd = DS_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		ds_buf_reset(&cmd);
		ds_audit_command(&cmd, &w->v[idx[i]]);
		ds_markup_html(out, cmd.buf, cmd.len);
		ds_buf_addc(out, '\n');
	}
	ds_buf_release(&cmd);
	ds_buf_adds(out, "</pre></details>\n");
}

static void blockers(struct ds_buf *out, const struct ds_audit_view *w, struct ds_arena *a)
{
	if (!w->nblockers)
		return;
	size_t k = w->nblockers < w->o.top ? w->nblockers : w->o.top;
	struct bar *b = ds_arena_alloc(a, k * sizeof *b);
	for (size_t i = 0; i < k; i++) {
		b[i].label = w->blockers[i].variants[0].text;
		b[i].n = w->blockers[i].files;
		struct ds_buf v = DS_BUF_INIT;
		num(&v, b[i].n);
		ds_buf_adds(&v, ds_audit_plural(b[i].n, " file", " files"));
		b[i].value = ds_arena_strndup(a, v.buf, v.len);
		ds_buf_release(&v);
	}
	ds_buf_adds(out, "<h2 id=\"blockers\">Top blockers</h2>\n");
	bar_chart(out, "top blockers by files", b, k, verdict_colour[DS_AUDIT_MANUAL]);
	for (size_t i = 0; i < k; i++) {
		const struct ds_audit_blocker *bl = &w->blockers[i];
		ds_buf_addf(out, "<div class=\"blocker\" data-files=\"%llu\"><h3>%zu. ", (unsigned long long)bl->files, i + 1);
		num(out, bl->files);
		ds_buf_addf(out, " %s</h3><p>", ds_audit_plural(bl->files, "file", "files"));
		text(out, bl->variants[0].text);
		if (bl->nvariants > 1) {
			ds_buf_adds(out, " <span class=\"note\">(");
			num(out, bl->variants[0].files);
			ds_buf_adds(out, " as shown; also ");
			for (size_t v = 1; v < bl->nvariants && v < 6; v++) {
				if (v > 1)
					ds_buf_adds(out, ", ");
				text(out, bl->variants[v].values);
				ds_buf_addc(out, ' ');
				num(out, bl->variants[v].files);
			}
			if (bl->nvariants > 6)
				ds_buf_addf(out, " and %zu more", bl->nvariants - 6);
			ds_buf_adds(out, ")</span>");
		}
		ds_buf_adds(out, "</p>");
		if (bl->advice) {
			ds_buf_adds(out, "<p><b>Unblock:</b> ");
			text(out, bl->advice);
			ds_buf_adds(out, "</p>");
		}
		ds_buf_adds(out, "<p>For example: ");
		for (size_t e = 0; e < bl->nexamples; e++) {
			if (e)
				ds_buf_adds(out, ", ");
			ds_buf_adds(out, "<code>");
			ds_markup_html_name(out, w->v[bl->examples[e]].file);
			ds_buf_adds(out, "</code>");
		}
		ds_buf_adds(out, "</p></div>\n");
	}
	if (w->nblockers > k) {
		ds_buf_adds(out, "<p class=\"note\">And ");
		num(out, w->nblockers - k);
		ds_buf_adds(out, " more blockers (--top N).</p>\n");
	}
}

static void rules(struct ds_buf *out, const struct ds_audit_view *w, struct ds_arena *a)
{
	if (!w->nrules)
		return;
	ds_buf_adds(out, "<h2 id=\"rules\">Findings by rule</h2>\n<div class=\"scroll\"><table id=\"rule-table\"><thead><tr>"
			 "<th>rule</th><th>severity</th><th class=\"n\">findings</th><th class=\"n\">files</th>"
			 "<th>what it checks</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < w->nrules; i++) {
		const struct ds_audit_tally *t = &w->rules[i];
		const struct ds_rule_info *ri = ds_rule_find(t->key);
		const char *page = ds_audit_rule_page(a, t->key);
		ds_buf_adds(out, "<tr><td>");
		if (page) {
			ds_buf_adds(out, "<a href=\"");
			text(out, page);
			ds_buf_adds(out, "\">");
		}
		text(out, t->key);
		ds_buf_addf(out, "%s</td><td>%s</td><td class=\"n\">", page ? "</a>" : "", ri ? ds_severity_name(ri->sev) : "");
		num(out, t->n);
		ds_buf_adds(out, "</td><td class=\"n\">");
		num(out, t->files);
		ds_buf_adds(out, "</td><td>");
		if (ri)
			text(out, ri->summary);
		ds_buf_adds(out, "</td></tr>\n");
	}
	ds_buf_adds(out, "</tbody></table></div>\n");
}

static void errors(struct ds_buf *out, const struct ds_audit_view *w)
{
	if (!w->nerrors)
		return;
	ds_buf_adds(out, "<h2 id=\"errors\">Errors (");
	num(out, w->nerrors);
	ds_buf_adds(out, ")</h2>\n<div class=\"scroll\"><table><thead><tr><th>file</th><th>verdict</th><th>error</th></tr>"
			 "</thead><tbody>\n");
	struct ds_buf e = DS_BUF_INIT;
	for (size_t i = 0; i < w->nerrors; i++) {
		const struct ds_audit_report *r = &w->v[w->errors[i]];
		ds_buf_reset(&e);
		ds_audit_problem(&e, r);
		ds_buf_adds(out, "<tr><td><code>");
		ds_markup_html_name(out, r->file);
		ds_buf_addf(out, "</code></td><td>%s</td><td>", ds_audit_conv_label(r->convertible));
		ds_markup_html(out, e.buf ? e.buf : "", e.len);
		ds_buf_adds(out, "</td></tr>\n");
	}
	ds_buf_release(&e);
	ds_buf_adds(out, "</tbody></table></div>\n");
}

void ds_audit_html(struct ds_buf *out, const struct ds_audit_view *w)
{
	struct ds_arena a = DS_ARENA_INIT;
	bool dirs = w->o.group_by == DS_AUDIT_BY_DIR;
	const char *groups_word = dirs ? ds_audit_plural(w->ngroups, "folder", "folders")
				       : ds_audit_plural(w->ngroups, "repository", "repositories");
	ds_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
			 "img-src data:\">\n<title>Shell-free audit: ");
	num(out, w->n);
	ds_buf_addf(out, " %s</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n",
		    ds_audit_plural(w->n, "Dockerfile", "Dockerfiles"), css);
	headline(out, w, groups_word);
	next_steps(out, w);
	verdict_chart(out, w);
	uint64_t nfam = 0;
	for (size_t i = 0; i < w->nfamilies; i++)
		nfam += w->families[i].n;
	tally_chart(out, &a, "families", "Final-stage families", w->families, w->nfamilies, w->nfamilies, nfam, "#57606a");
	tally_chart(out, &a, "bases", "Top final base images", w->bases, w->nbases, w->o.top, w->n, "#6e7781");
	group_chart(out, w, dirs ? "folder" : "repository");
	group_table(out, w, dirs ? "Folders" : "Repositories", dirs ? "folder" : "repository");
	command_list(out, w, w->now, w->nnow, "now", "Convertible now",
		     "Each command checks its result before writing it: the new image needs no shell and runs like the "
		     "original.");
	command_list(out, w, w->flag, w->nflag, "flag", "Convertible with a flag",
		     "Each declares a change of behaviour that its flag accepts (<code>--accept user</code>: the user the "
		     "container runs as; <code>--bump-runtime</code>: a newer language runtime; <code>--target</code>: another "
		     "vendor's image, such as Chainguard's nginx or a chiseled .NET image). Review it with "
		     "<code>distill convert --explain FILE</code> first.");
	blockers(out, w, &a);
	rules(out, w, &a);
	errors(out, w);
	ds_buf_addf(out, "<p class=\"note\">Written by distill %s (<code>distill audit --format html</code>); rule pages are "
			 "<code>docs/rules/CODE.md</code> in distill's repository.</p>\n</main>\n</body>\n</html>\n",
		    w->o.version ? w->o.version : "");
	ds_arena_release(&a);
}
