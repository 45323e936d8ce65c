/* diag.c - diagnostic lists; see diag.h. */
#include "diag.h"
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sev_names[] = { "error", "warning", "info", "style", "note", "none" };

const char *ds_severity_name(enum ds_severity s)
{
	return (unsigned)s < sizeof sev_names / sizeof *sev_names ? sev_names[s] : "error";
}

int ds_severity_parse(const char *s)
{
	for (size_t i = 0; i < sizeof sev_names / sizeof *sev_names; i++)
		if (!strcmp(s, sev_names[i]))
			return (int)i;
	if (!strcmp(s, "ignore"))
		return DS_SEV_NONE;
	return -1;
}

struct ds_diag *ds_diags_add(struct ds_diags *d, struct ds_arena *a, enum ds_severity sev,
			     const char *code, size_t off, size_t end, const char *msg)
{
	const char *text = NULL;
	for (size_t i = d->n; i-- > 0 && d->n - i <= 4;)
		if (!strcmp(d->v[i].msg, msg)) {
			text = d->v[i].msg;
			break;
		}
	d->v = ds_arena_grow(a, d->v, sizeof *d->v, d->n, &d->cap);
	struct ds_diag *g = &d->v[d->n++];
	g->sev = sev;
	g->code = code;
	g->msg = text ? text : ds_arena_strdup(a, msg);
	if (end < off)
		end = off;
	g->off = off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
	g->end = end > UINT32_MAX ? UINT32_MAX : (uint32_t)end;
	g->has_pos = true;
	g->seq = (unsigned)(d->n - 1);
	return g;
}

struct ds_diag *ds_diags_addf(struct ds_diags *d, struct ds_arena *a, enum ds_severity sev,
			      const char *code, size_t off, size_t end, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ds_diags_add(d, a, sev, code, off, end, buf);
}

static int diag_cmp(const void *x, const void *y)
{
	const struct ds_diag *a = x, *b = y;
	if (a->has_pos != b->has_pos)
		return a->has_pos ? 1 : -1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	int c = strcmp(a->code ? a->code : "", b->code ? b->code : "");
	if (c)
		return c;
	return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

void ds_diags_sort(struct ds_diags *d)
{
	/* qsort is not stable; the seq tie-break keeps insertion order */
	if (d->n > 1)
		qsort(d->v, d->n, sizeof *d->v, diag_cmp);
}
