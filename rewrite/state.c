/* state.c - the working state of one conversion: diagnostics, edits, lines, stages. */
#include "rewrite/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"

static void vdiag(struct cv *c, enum ds_severity sev, const char *code, size_t off, size_t end,
		  const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void vdiag(struct cv *c, enum ds_severity sev, const char *code, size_t off, size_t end,
		  const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	ds_diags_add(&c->res->diags, c->a, sev, code, off, end, buf);
}

/* A change made, for --explain. */
void cv_note(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void cv_note(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, DS_SEV_NOTE, code, off, end, fmt, ap);
	va_end(ap);
}

/* Something a person must finish: the result is MANUAL. */
void cv_manual(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void cv_manual(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, DS_SEV_WARNING, code, off, end, fmt, ap);
	va_end(ap);
	if (!c->res->reason)
		c->res->reason = c->res->diags.v[c->res->diags.n - 1].msg;
	c->nmanual++;
}

/*
 * A behaviour change the conversion makes: recorded in res->changes; said
 * as a note when accepted, else as a warning naming the --accept kind, and
 * the result cannot be CONVERTED.
 */
void cv_declare(struct cv *c, enum ds_change_kind k, size_t off, size_t end, const char *code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	struct ds_convert_result *r = c->res;
	for (size_t i = 0; i < r->nchanges; i++)
		if (r->changes[i].kind == k && !strcmp(r->changes[i].msg, buf))
			return; /* said once */
	r->changes = ds_arena_grow(c->a, r->changes, sizeof *r->changes, r->nchanges, &c->capchanges);
	struct ds_convert_change *ch = &r->changes[r->nchanges++];
	ch->kind = k;
	ch->off = (uint32_t)off;
	ch->end = (uint32_t)end;
	ch->msg = ds_arena_strdup(c->a, buf);
	bool ok = c->accept & (1u << k);
	if (!ok)
		r->needs |= 1u << k;
	ds_diags_addf(&r->diags, c->a, ok ? DS_SEV_NOTE : DS_SEV_WARNING, code, off, end, "%s (%s %s)", buf,
		      ok ? "accepted change:" : "a change of behaviour: accept it with --accept", ds_change_kind_name(k));
}

/* A change that loses something (a health check): said as a warning, still a conversion. */
void cv_warn(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void cv_warn(struct cv *c, size_t off, size_t end, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, DS_SEV_WARNING, code, off, end, fmt, ap);
	va_end(ap);
}

/* The keyword of in to the end of its first line: where its diagnostics point. */
static void instr_pos(const struct cv *c, const struct ds_instr *in, size_t *off, size_t *end)
{
	uint32_t o = in->kw_span.off, e = in->line_span.end;
	const char *nl = memchr(c->src + o, '\n', e > o ? e - o : 0);
	if (nl)
		e = (uint32_t)(nl - c->src);
	while (e > o && (c->src[e - 1] == '\r' || c->src[e - 1] == ' ' || c->src[e - 1] == '\t' ||
			 c->src[e - 1] == c->df->escape))
		e--;
	*off = o;
	*end = e;
}

size_t cv_instr_off(const struct cv *c, const struct ds_instr *in)
{
	size_t o, e;
	instr_pos(c, in, &o, &e);
	return o;
}
size_t cv_instr_end(const struct cv *c, const struct ds_instr *in)
{
	size_t o, e;
	instr_pos(c, in, &o, &e);
	return e;
}

/* ---- edits ---- */

/* Records an edit; collisions are found when the edits are sorted (make_output). */
void cv_edit(struct cv *c, uint32_t off, uint32_t end, const char *text)
{
	c->ed = ds_arena_grow(c->a, c->ed, sizeof *c->ed, c->ned, &c->caped);
	struct ds_edit *e = &c->ed[c->ned++];
	e->off = off;
	e->end = end;
	e->text = text;
	e->len = strlen(text);
}

/* ---- lines ---- */

uint32_t cv_line_of(const struct cv *c, uint32_t off)
{
	uint32_t line, col;
	ds_source_linecol(c->s, off, &line, &col);
	return line;
}

uint32_t cv_line_start(const struct cv *c, size_t line)
{
	if (line < 1)
		return 0;
	if (line > c->nlines)
		return c->len;
	return c->s->line_starts[line - 1];
}

/* Offset just past line's line end (or the end of the text). */
uint32_t cv_line_next(const struct cv *c, size_t line)
{
	return line >= c->nlines ? c->len : c->s->line_starts[line];
}

bool cv_line_blank(const struct cv *c, size_t line)
{
	if (line < 1 || line > c->nlines)
		return false;
	for (uint32_t i = cv_line_start(c, line), e = cv_line_next(c, line); i < e; i++)
		if (c->src[i] != ' ' && c->src[i] != '\t' && c->src[i] != '\r' && c->src[i] != '\n')
			return false;
	return true;
}

static bool line_comment(const struct cv *c, size_t line)
{
	if (line < 1 || line > c->nlines)
		return false;
	uint32_t i = cv_line_start(c, line), e = cv_line_next(c, line);
	while (i < e && (c->src[i] == ' ' || c->src[i] == '\t'))
		i++;
	return i < e && c->src[i] == '#';
}

uint32_t cv_instr_first_line(const struct cv *c, const struct ds_instr *in)
{
	return cv_line_of(c, in->span.off);
}

uint32_t cv_instr_last_line(const struct cv *c, const struct ds_instr *in)
{
	return cv_line_of(c, in->span.end > in->span.off ? in->span.end - 1 : in->span.off);
}

/* The first line of the comment block directly above in (no blank line between). */
uint32_t cv_comment_first_line(const struct cv *c, const struct ds_instr *in)
{
	uint32_t first = cv_instr_first_line(c, in);
	uint32_t floor = 0;
	if (in->index > 0)
		floor = cv_instr_last_line(c, &c->df->instrs[in->index - 1]);
	while (first - 1 > floor && line_comment(c, first - 1))
		first--;
	return first;
}

/* Deletes in and the comments directly above it, as whole lines. */
void cv_delete_instr(struct cv *c, const struct ds_instr *in)
{
	for (uint32_t l = cv_comment_first_line(c, in), e = cv_instr_last_line(c, in); l <= e; l++)
		c->del[l] = 1;
}

/* The source text of in (comments above included when with_comments), without the final line end. */
const char *cv_instr_text(struct cv *c, const struct ds_instr *in, bool with_comments)
{
	uint32_t b = with_comments ? cv_line_start(c, cv_comment_first_line(c, in)) : in->span.off;
	uint32_t e = in->span.end;
	while (e > b && (c->src[e - 1] == '\n' || c->src[e - 1] == '\r'))
		e--;
	return ds_arena_strndup(c->a, c->src + b, e - b);
}

const struct ds_stage *cv_stage_at(const struct cv *c, int i)
{
	return i >= 0 && (uint32_t)i < c->m->nstages ? &c->m->stages[i] : NULL;
}

const struct ds_stage *cv_stage_parent(const struct cv *c, const struct ds_stage *st)
{
	if (st->base_kind != DS_BASE_STAGE)
		return NULL;
	const struct ds_stage *p = cv_stage_at(c, st->base_stage);
	return p && p->index < st->index ? p : NULL;
}

const struct ds_stage *cv_stage_root(const struct cv *c, const struct ds_stage *st)
{
	for (unsigned g = 0; g < MAX_CHAIN; g++) {
		const struct ds_stage *p = cv_stage_parent(c, st);
		if (!p)
			break;
		st = p;
	}
	return st;
}

/* "stage 'build'", or "the stage at line 12" for an unnamed one. */
const char *cv_stage_label(struct cv *c, const struct ds_stage *st)
{
	if (st->name)
		return ds_arena_printf(c->a, "stage '%s'", st->name);
	return ds_arena_printf(c->a, "the stage at line %u", st->from ? st->from->start_line : 0);
}

const struct ds_instr *cv_instr_at(const struct cv *c, uint32_t i)
{
	return i < c->df->ninstrs ? &c->df->instrs[i] : NULL;
}

const char *cv_expand(struct cv *c, const struct ds_stage *st, const struct ds_instr *in,
			  const char *word, bool *unset)
{
	bool u = false;
	const char *r = ds_model_expand(c->m, st, in->index, word, &u);
	if (unset)
		*unset = u;
	return r;
}

/* Classifies the image of stage st's chain root; false when it is not an image. */
bool cv_classify_stage(struct cv *c, const struct ds_stage *st, struct ds_image_class *out)
{
	/* once per stage: the model keeps the answer */
	return ds_model_classify(c->m, st->index, c->cat, out) == 0;
}

void cv_blocked(struct cv *c, enum ds_convert_status st, size_t off, size_t end, const char *code,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void cv_blocked(struct cv *c, enum ds_convert_status st, size_t off, size_t end, const char *code,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(c, st == DS_CONVERT_ERROR ? DS_SEV_ERROR : DS_SEV_WARNING, code, off, end, fmt, ap);
	va_end(ap);
	c->res->status = st;
	c->res->reason = c->res->diags.v[c->res->diags.n - 1].msg;
}

/* Where diagnostics about the image of the chain point: the root FROM's image word. */
size_t cv_from_off(const struct cv *c)
{
	const struct ds_instr *f = c->root->from;
	return f && f->nargs ? f->args[0].span.off : 0;
}
size_t cv_from_end(const struct cv *c)
{
	const struct ds_instr *f = c->root->from;
	return f && f->nargs ? f->args[0].span.end : 0;
}
