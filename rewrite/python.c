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
#include "analyze/shellcmd.h"
#include "common/path.h"
#include "rewrite/context.h"
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

/* ---- console scripts (step 5) ---- */

/* Whether s[0..n) is a dotted Python name ("pkg.mod", "main", "app.cli.run"). */
static bool dotted_name(const char *s, size_t n)
{
	bool start = true;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '.') {
			if (start)
				return false;
			start = true;
		} else if (ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (!start && ch >= '0' && ch <= '9')) {
			start = false;
		} else {
			return false;
		}
	}
	return n > 0 && !start;
}

/* s[0..n) without surrounding blanks and one pair of quotes. */
static const char *unquote(struct cv *c, const char *s, size_t n, size_t *len)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0])
		s++, n -= 2;
	*len = n;
	return ds_arena_strndup(c->a, s, n);
}

/*
 * The entry point ("module:function") script `name` has in a
 * pyproject.toml ([project.scripts], [tool.poetry.scripts]) or setup.cfg
 * ([options.entry_points] console_scripts) text, or NULL. *line gets the
 * line it is on.
 */
static const char *declared_entry(struct cv *c, const char *text, bool toml, const char *name, unsigned *line)
{
	bool in = false, cfg_list = false;
	unsigned ln = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *l = p;
		p = e ? e + 1 : p + n;
		ln++;
		size_t k = 0;
		while (k < n && (l[k] == ' ' || l[k] == '\t'))
			k++;
		bool indented = k > 0;
		if (k == n || l[k] == '#' || l[k] == ';')
			continue;
		if (l[k] == '[') {
			size_t len;
			const char *sec = unquote(c, l + k, n - k, &len);
			in = toml ? !strcmp(sec, "[project.scripts]") || !strcmp(sec, "[tool.poetry.scripts]")
				  : !strcmp(sec, "[options.entry_points]");
			cfg_list = false;
			continue;
		}
		if (!in)
			continue;
		const char *eq = memchr(l + k, '=', n - k);
		if (!toml && !indented) {
			/* a key of [options.entry_points]: console_scripts starts the list */
			size_t kl;
			const char *key = eq ? unquote(c, l + k, (size_t)(eq - l) - k, &kl) : "";
			cfg_list = !strcmp(key, "console_scripts");
			if (!cfg_list || !eq)
				continue;
			size_t rest = n - (size_t)(eq + 1 - l);
			size_t rl;
			unquote(c, eq + 1, rest, &rl);
			if (!rl)
				continue;
			/* "console_scripts = name = mod:fn" on one line */
			l = eq + 1;
			n = rest;
			k = 0;
			eq = memchr(l, '=', n);
		} else if (!toml && !cfg_list) {
			continue;
		}
		if (!eq)
			continue;
		size_t kl, vl;
		const char *key = unquote(c, l + k, (size_t)(eq - l) - k, &kl);
		const char *vs = eq + 1;
		size_t vn = n - (size_t)(eq + 1 - l);
		while (vn && (*vs == ' ' || *vs == '\t'))
			vs++, vn--;
		if (toml && vn && (*vs == '"' || *vs == '\'')) {
			/* a TOML string: up to its closing quote (a comment may follow) */
			const char *q = memchr(vs + 1, *vs, vn - 1);
			if (q)
				vn = (size_t)(q - vs) + 1;
		}
		const char *val = unquote(c, vs, vn, &vl);
		if (!strcmp(key, name)) {
			*line = ln;
			return val;
		}
	}
	return NULL;
}

/*
 * Whether some RUN of the file installs Python packages: a console script
 * can exist only then, since the official python images carry pip's own
 * and nothing more. Without one, a command naming a console script fails
 * in the original too, and is left alone.
 */
static bool installs_packages(struct cv *c)
{
	for (uint32_t s = 0; s < c->m->nstages; s++) {
		const struct ds_stage *st = &c->m->stages[s];
		for (uint32_t i = st->first + 1; i <= st->last && i < c->df->ninstrs; i++) {
			if (c->df->instrs[i].kind != DS_I_RUN)
				continue;
			struct run r;
			cv_parse_run(c, st, &c->df->instrs[i], NULL, &r);
			for (size_t k = 0; r.ok && k < r.n; k++)
				if (cv_installs_python_packages(&r.cmds[k]))
					return true;
		}
	}
	return false;
}

int cv_python_console_script(struct cv *c, struct an *an, const char *name, const char ***argv, size_t *n,
			     const char **what)
{
	*argv = NULL;
	*n = 0;
	if (!installs_packages(c))
		return 0;
	const char *mod = ds_catalog_console_module(c->cat, name);
	if (mod) {
		const char **v = ds_arena_alloc(c->a, 2 * sizeof *v);
		v[0] = "-m";
		v[1] = mod;
		*argv = v;
		*n = 2;
		*what = ds_arena_printf(c->a, "the console script of the '%s' package, whose module runs the same entry point", mod);
		return 1;
	}
	if (!c->ctx)
		return 0;
	static const char *const files[] = { "pyproject.toml", "setup.cfg" };
	for (int f = 0; f < 2; f++) {
		/* the project folder the final chain copies into the WORKDIR, else the context's root */
		const char *src = cv_context_source(c, an, ds_path_join(c->a, an->workdir, files[f]));
		if (!src)
			src = files[f];
		size_t len;
		enum ds_context_miss miss;
		const char *text = ds_context_read(c->ctx, src, c->a, &len, &miss);
		unsigned line = 0;
		const char *ep = text ? declared_entry(c, text, f == 0, name, &line) : NULL;
		if (!ep)
			continue;
		const char *colon = strchr(ep, ':');
		const char *obj = colon ? colon + 1 : NULL;
		size_t ol = obj ? strcspn(obj, " [") : 0;
		/* extras ("[redis]") only choose what pip installed with it */
		const char *tail = obj ? obj + ol + strspn(obj + ol, " ") : NULL;
		bool extras = tail && *tail == '[' && strchr(tail, ']') && !strchr(tail, ']')[1];
		if (!colon || !dotted_name(ep, (size_t)(colon - ep)) || !dotted_name(obj, ol) || (*tail && !extras)) {
			*what = ds_arena_printf(c->a, "'%s' is declared in %s:%u as \"%s\", which is not a plain MODULE:FUNCTION entry point",
						name, src, line, ep);
			return -1;
		}
		size_t fl = strcspn(obj, ".");
		const char **v = ds_arena_alloc(c->a, 2 * sizeof *v);
		v[0] = "-c";
		/* what pip's script wrapper does, without the wrapper */
		v[1] = ds_arena_printf(c->a, "import sys; from %.*s import %.*s; sys.exit(%.*s())", (int)(colon - ep), ep, (int)fl,
				       obj, (int)ol, obj);
		*argv = v;
		*n = 2;
		*what = ds_arena_printf(c->a, "the console script %s:%u declares ('%s')", src, line, ep);
		return 1;
	}
	return 0;
}
