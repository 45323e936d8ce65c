/* diagprint.c - errors and diagnostics for people: every line through the escaping of emit/escape.h. */
#include "cli/cli.h"

#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/source.h"
#include "emit/escape.h"
#include "emit/format.h"

static void put(FILE *f, struct ds_buf *b)
{
	fwrite(b->buf ? b->buf : "", 1, b->len, f);
	ds_buf_release(b);
}

void ds_print_file_error(FILE *f, const char *path, const char *msg)
{
	ds_print_located(f, path, 0, 0, "error", msg);
}

void ds_print_located(FILE *f, const char *path, unsigned line, unsigned col, const char *severity,
		      const char *msg)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_esc_diag_line(&b, path, line, col, severity, msg, NULL);
	put(f, &b);
}

void ds_print_diag(FILE *f, const struct ds_source *src, const struct ds_diag *d, int with_caret,
		   int color)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_emit_diag_text(&b, src, d, with_caret != 0, color != 0);
	put(f, &b);
}
