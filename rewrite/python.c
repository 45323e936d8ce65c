/*
 * python.c - python on the runtime: versions after a bump (W5) and virtual environments (W7).
 *
 * The runtime's interpreter is Debian's: its version is the runtime's, and
 * it reads packages from /usr/local/lib/pythonX.Y/dist-packages (a site
 * directory, so .pth files there work) but not from a builder's
 * /usr/local/lib/pythonX.Y/site-packages or a virtual environment. Builders
 * of another version move to the runtime's, and every path naming the old
 * version follows; a virtual environment whose bin folder was first on
 * PATH has its packages copied into the site directory.
 */
#include "rewrite/internal.h"

#include <string.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/str.h"
#include "parser/ast.h"

/* The runtime's python version, when the runtime is python. */
static const char *runtime_version(const struct cv *c)
{
	if (!c->rt_dl || !c->rt_dl->language || strcmp(c->rt_dl->language, "python"))
		return NULL;
	return c->rt_dl->version;
}

void cv_plan_python(struct cv *c)
{
	const char *rv = runtime_version(c);
	if (!rv)
		return;
	for (uint32_t s = 0; s < c->m->nstages; s++) {
		struct ds_image_class k;
		if (!cv_classify_stage(c, &c->m->stages[s], &k) || !k.language || strcmp(k.language, "python") ||
		    !k.version || !strcmp(k.version, rv))
			continue;
		bool seen = false;
		for (size_t i = 0; i < c->npy_old; i++)
			seen = seen || !strcmp(c->py_old[i], k.version);
		if (!seen && c->npy_old < sizeof c->py_old / sizeof c->py_old[0])
			c->py_old[c->npy_old++] = k.version;
	}
}

const char *cv_python_version(struct cv *c, const struct ds_stage *st)
{
	struct ds_image_class k;
	if (!cv_classify_stage(c, st, &k) || !k.language || strcmp(k.language, "python") || !k.version)
		return NULL;
	const char *rv = runtime_version(c);
	return rv ? rv : k.version; /* a builder of another version moves to the runtime's */
}

const char *cv_python_site(struct cv *c)
{
	const char *rv = runtime_version(c);
	return rv ? ds_arena_printf(c->a, "/usr/local/lib/python%s/dist-packages", rv) : NULL;
}

/* Where "python<old>" occurs in t at or after from as a whole version; sets *old. */
static const char *find_old(const struct cv *c, const char *t, const char **old)
{
	for (const char *p = strstr(t, "python"); p; p = strstr(p + 1, "python"))
		for (size_t i = 0; i < c->npy_old; i++) {
			size_t n = strlen(c->py_old[i]);
			const char *v = p + 6;
			if (!strncmp(v, c->py_old[i], n) && !(v[n] >= '0' && v[n] <= '9') &&
			    !(v[n] == '.' && v[n + 1] >= '0' && v[n + 1] <= '9')) {
				*old = c->py_old[i];
				return p;
			}
		}
	return NULL;
}

const char *cv_python_fix(struct cv *c, const char *text)
{
	const char *rv = runtime_version(c), *old;
	if (!rv || !c->npy_old || !find_old(c, text, &old))
		return text;
	struct ds_buf b = DS_BUF_INIT;
	const char *p = text, *hit;
	while ((hit = find_old(c, p, &old))) {
		ds_buf_add(&b, p, (size_t)(hit - p));
		ds_buf_addf(&b, "python%s", rv);
		p = hit + 6 + strlen(old);
	}
	ds_buf_adds(&b, p);
	char *r = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

void cv_python_fix_in_place(struct cv *c)
{
	const char *rv = runtime_version(c), *old;
	if (!rv || !c->npy_old)
		return;
	for (uint32_t i = 0; i < c->df->ninstrs; i++) {
		const struct ds_instr *in = &c->df->instrs[i];
		const struct ds_stage *st = ds_model_stage_of(c->m, i);
		if (!st || c->del[cv_instr_first_line(c, in)])
			continue;
		/* FROM lines are the builders' moves (builders.c); others name files and folders */
		if (in->kind != DS_I_COPY && in->kind != DS_I_ADD && in->kind != DS_I_ENV && in->kind != DS_I_WORKDIR &&
		    in->kind != DS_I_VOLUME && in->kind != DS_I_RUN)
			continue;
		/* only stages that run the moved python: its builders and the final chain */
		if (!cv_python_version(c, st))
			continue;
		const char *text = ds_arena_strndup(c->a, c->src + in->span.off, in->span.end - in->span.off);
		if (!find_old(c, text, &old))
			continue;
		if (in->kind == DS_I_RUN) {
			cv_manual(c, AT_INSTR(c, in), "DST203",
				  "this RUN names python%s paths, which are python%s after the move; change them by hand", old, rv);
			continue;
		}
		for (const char *p = text, *hit; (hit = find_old(c, p, &old)); p = hit + 6 + strlen(old)) {
			uint32_t off = in->span.off + (uint32_t)(hit - text) + 6;
			cv_edit(c, off, off + (uint32_t)strlen(old), rv);
		}
		cv_note(c, AT_INSTR(c, in), "DST203", "python%s paths here become python%s, the runtime's version", old, rv);
	}
}
