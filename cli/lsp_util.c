/* lsp_util.c - what the language server's feature files share: positions, diagnostics, edits, rule pages. */
#include "cli/lsp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rules/rules.h"

void ds_lsp_w_pos(const struct ds_lsp *s, const struct ds_lsp_doc *d, struct ds_jw *w, size_t off)
{
	struct ds_lsp_pos p = ds_lsp_pos_of(d->text.buf, d->text.len, &d->lines, s->enc, off);
	ds_jw_obj(w);
	ds_jw_key(w, "line");
	ds_jw_int(w, p.line);
	ds_jw_key(w, "character");
	ds_jw_int(w, p.ch);
	ds_jw_obj_end(w);
}

void ds_lsp_w_range(const struct ds_lsp *s, const struct ds_lsp_doc *d, struct ds_jw *w, size_t off,
		    size_t end)
{
	ds_jw_obj(w);
	ds_jw_key(w, "start");
	ds_lsp_w_pos(s, d, w, off);
	ds_jw_key(w, "end");
	ds_lsp_w_pos(s, d, w, end < off ? off : end);
	ds_jw_obj_end(w);
}

const char *ds_lsp_rule_href(struct ds_arena *a, const char *code)
{
	if (!strncasecmp(code, "SC", 2))
		return ds_arena_printf(a, "%s%s", DS_LSP_SHELLCHECK_DOCS, code);
	return ds_arena_printf(a, "%s%s.md", DS_RULE_DOCS_URI, code);
}

/* Protocol DiagnosticSeverity: 1 error, 2 warning, 3 information, 4 hint. */
static int severity(enum ds_severity sev)
{
	switch (sev) {
	case DS_SEV_ERROR: return 1;
	case DS_SEV_WARNING: return 2;
	case DS_SEV_STYLE: return 4;
	case DS_SEV_INFO:
	case DS_SEV_NOTE:
	case DS_SEV_NONE: break;
	}
	return 3;
}

void ds_lsp_w_diag(const struct ds_lsp *s, const struct ds_lsp_doc *d, struct ds_jw *w,
		   const struct ds_diag *diag)
{
	struct ds_arena a = DS_ARENA_INIT;
	ds_jw_obj(w);
	ds_jw_key(w, "range");
	if (diag->has_pos)
		ds_lsp_w_range(s, d, w, diag->off, diag->end);
	else
		ds_lsp_w_range(s, d, w, 0, 0);
	ds_jw_key(w, "severity");
	ds_jw_int(w, severity(diag->sev));
	bool sc = diag->code && !strncasecmp(diag->code, "SC", 2);
	if (diag->code) {
		ds_jw_key(w, "code");
		ds_jw_str(w, diag->code);
		ds_jw_key(w, "codeDescription");
		ds_jw_obj(w);
		ds_jw_key(w, "href");
		ds_jw_str(w, ds_lsp_rule_href(&a, diag->code));
		ds_jw_obj_end(w);
	}
	ds_jw_key(w, "source");
	ds_jw_str(w, sc ? "shellcheck" : "distill");
	ds_jw_key(w, "message");
	ds_jw_str(w, diag->msg);
	ds_jw_obj_end(w);
	ds_arena_release(&a);
}

void ds_lsp_w_edit(const struct ds_lsp *s, const struct ds_lsp_doc *d, struct ds_jw *w, size_t off,
		   size_t end, const char *text, size_t n)
{
	ds_jw_obj(w);
	ds_jw_key(w, "range");
	ds_lsp_w_range(s, d, w, off, end);
	ds_jw_key(w, "newText");
	ds_jw_strn(w, text, n);
	ds_jw_obj_end(w);
}

void ds_lsp_w_markup(const struct ds_lsp *s, struct ds_jw *w, const char *text, size_t n)
{
	ds_jw_obj(w);
	ds_jw_key(w, "kind");
	ds_jw_str(w, s->client.markdown ? "markdown" : "plaintext");
	ds_jw_key(w, "value");
	ds_jw_strn(w, text, n);
	ds_jw_obj_end(w);
}

const struct ds_instr *ds_lsp_instr_at(const struct ds_lsp_doc *d, size_t off)
{
	size_t lo = 0, hi = d->df.ninstrs;
	while (lo < hi) { /* the last instruction starting at or before off */
		size_t mid = lo + (hi - lo) / 2;
		if (d->df.instrs[mid].span.off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct ds_instr *in = &d->df.instrs[lo - 1];
	return off <= in->span.end ? in : NULL;
}

size_t ds_lsp_line_start(const struct ds_lsp_doc *d, size_t off)
{
	const char *t = d->src.data;
	if (off > d->src.len)
		off = d->src.len;
	while (off > 0 && t[off - 1] != '\n' && t[off - 1] != '\r')
		off--;
	return off;
}

bool ds_lsp_rule_markdown(struct ds_buf *b, const char *code)
{
	if (!strncasecmp(code, "SC", 2)) {
		ds_buf_addf(b, "**%s** (ShellCheck): see %s%s\n", code, DS_LSP_SHELLCHECK_DOCS, code);
		return true;
	}
	const struct ds_rule_info *r = ds_rule_find(code);
	if (!r)
		return false;
	ds_buf_addf(b, "**%s** `%s` (%s%s): %s\n\n%s\n", r->code, r->slug, ds_severity_name(r->sev),
		    r->fixable ? ", fixed by `distill convert`" : "", r->summary, r->explain);
	return true;
}
