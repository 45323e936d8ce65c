/* diagprint.c - the text form of diagnostics: file:line:col, source and caret. */
#include "cli/cli.h"

#include "common/diag.h"
#include "common/source.h"

void ds_print_file_error(FILE *f, const char *path, const char *msg)
{
	fprintf(f, "%s: error: %s\n", path, msg);
}

void ds_print_diag(FILE *f, const struct ds_source *src, const struct ds_diag *d, int with_caret,
		   int color)
{
	const char *path = src->path ? src->path : "-";
	const char *sev = ds_severity_name(d->sev);
	const char *on = "", *off = "";
	if (color) {
		off = "\033[0m";
		on = d->sev == DS_SEV_ERROR ? "\033[1;31m" : d->sev == DS_SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
	}
	if (!d->has_pos) {
		fprintf(f, "%s: %s%s%s: %s", path, on, sev, off, d->msg);
	} else {
		uint32_t line, col;
		ds_source_linecol(src, d->off, &line, &col);
		fprintf(f, "%s:%u:%u: %s%s%s: %s", path, line, col, on, sev, off, d->msg);
	}
	if (d->code)
		fprintf(f, " [%s]", d->code);
	fputc('\n', f);
	if (!with_caret || !d->has_pos)
		return;
	uint32_t line, col;
	ds_source_linecol(src, d->off, &line, &col);
	size_t start, len;
	ds_source_line_text(src, line, &start, &len);
	if (len > 400)
		return; /* do not echo huge lines */
	fprintf(f, "  %.*s\n  ", (int)len, src->data + start);
	for (uint32_t i = 1; i < col && i <= len; i++)
		fputc(src->data[start + i - 1] == '\t' ? '\t' : ' ', f);
	fprintf(f, "%s^%s\n", on, off);
}
