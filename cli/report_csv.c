/* report_csv.c - the audit report as CSV, one row per file (RFC 4180, fields escaped by emit/markup.h); see report_view.h. */
#include "cli/report_view.h"

#include <string.h>

#include "common/buf.h"
#include "emit/markup.h"

void ds_audit_csv_header(struct ds_buf *out)
{
	ds_buf_adds(out, "file,repo,dir,stages,final_base,family,shell_free,convertible,command,accept,bump_runtime,"
			 "target,context,stage,compose,reasons,findings,findings_by_rule,parse_error,micros\n");
}

static void text(struct ds_buf *out, const char *s)
{
	if (s)
		ds_markup_csv(out, s, strlen(s));
}

void ds_audit_csv_row(struct ds_buf *out, const struct ds_audit_report *r)
{
	struct ds_buf t = DS_BUF_INIT;
	ds_markup_csv_name(out, r->file);
	ds_buf_addc(out, ',');
	if (r->repo)
		ds_markup_csv_name(out, r->repo);
	ds_buf_addc(out, ',');
	if (r->dir)
		ds_markup_csv_name(out, r->dir);
	ds_buf_addf(out, ",%u,", r->stages);
	text(out, r->final_base);
	ds_buf_addc(out, ',');
	text(out, r->family);
	ds_buf_addf(out, ",%s,%s,", r->shell_free ? "true" : "false", ds_audit_conv_name(r->convertible));
	if (r->convertible == DS_AUDIT_YES || r->convertible == DS_AUDIT_ACCEPT) {
		ds_audit_command(&t, r);
		ds_markup_csv(out, t.buf, t.len);
	}
	ds_buf_addc(out, ',');
	ds_buf_reset(&t);
	ds_audit_accept_list(&t, r->accept);
	ds_markup_csv(out, t.buf ? t.buf : "", t.len);
	ds_buf_addf(out, ",%s,", r->bump ? "true" : "false");
	text(out, r->target);
	ds_buf_addc(out, ',');
	if (r->context)
		ds_markup_csv_name(out, r->context);
	ds_buf_addc(out, ',');
	text(out, r->stage);
	ds_buf_addc(out, ',');
	if (r->compose)
		ds_markup_csv_name(out, r->compose);
	ds_buf_addc(out, ',');
	ds_buf_reset(&t);
	for (uint32_t i = 0; i < r->nreasons; i++) {
		if (i)
			ds_buf_adds(&t, "; ");
		ds_buf_adds(&t, r->reasons[i]);
	}
	ds_markup_csv(out, t.buf ? t.buf : "", t.len);
	ds_buf_addf(out, ",%llu,", (unsigned long long)ds_audit_report_total(r));
	ds_buf_reset(&t);
	for (uint32_t i = 0; i < r->nfindings; i++)
		ds_buf_addf(&t, "%s%s:%u", i ? " " : "", r->findings[i].code, r->findings[i].count);
	ds_markup_csv(out, t.buf ? t.buf : "", t.len);
	ds_buf_addc(out, ',');
	if (r->parse_error) {
		ds_buf_reset(&t);
		ds_audit_error_text(&t, r);
		ds_markup_csv(out, t.buf, t.len);
	}
	ds_buf_addf(out, ",%llu\n", (unsigned long long)r->micros);
	ds_buf_release(&t);
}
