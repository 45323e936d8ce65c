/* dl_main.c - hadolint-compatible rules: the entry point, RUN scripts and shared helpers. */
#include "rules/dl_local.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "parser/shellwords.h"

static bool is_shell(const char *name)
{
	static const char *const shells[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", NULL };
	for (const char *const *x = shells; *x; x++)
		if (!strcmp(name, *x))
			return true;
	return false;
}

/*
 * A here-document is a shell script unless its first line is a #! naming
 * another interpreter (BuildKit runs such bodies with that interpreter).
 */
static bool heredoc_is_shell(const struct ds_heredoc *hd)
{
	const char *t = hd->content;
	if (!t || t[0] != '#' || t[1] != '!')
		return true;
	t += 2;
	while (*t == ' ' || *t == '\t')
		t++;
	const char *e = t;
	while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
		e++;
	const char *b = e;
	while (b > t && b[-1] != '/')
		b--;
	char name[32];
	size_t n = (size_t)(e - b) < sizeof name - 1 ? (size_t)(e - b) : sizeof name - 1;
	memcpy(name, b, n);
	name[n] = '\0';
	if (!strcmp(name, "env")) {
		/* #!/usr/bin/env [-S] bash */
		const char *w = e;
		for (int k = 0; k < 2; k++) {
			while (*w == ' ' || *w == '\t')
				w++;
			const char *we = w;
			while (*we && *we != ' ' && *we != '\t' && *we != '\n' && *we != '\r')
				we++;
			if (we > w && *w == '-') {
				w = we;
				continue;
			}
			n = (size_t)(we - w) < sizeof name - 1 ? (size_t)(we - w) : sizeof name - 1;
			memcpy(name, w, n);
			name[n] = '\0';
			break;
		}
	}
	return is_shell(name);
}

/* The command of cmds that reads here-document name on its standard input. */
static const struct ds_shell_cmd *heredoc_reader(const struct ds_shell_cmd *cmds, size_t n,
						 const char *name)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k + 1 < cmds[i].nredirs; k++) {
			const char *op = cmds[i].redirs[k].text;
			size_t ol = strlen(op);
			if (ol >= 2 && (!strcmp(op + ol - 2, "<<") || (ol >= 3 && !strcmp(op + ol - 3, "<<-"))) &&
			    !strcmp(cmds[i].redirs[k + 1].text, name))
				return &cmds[i];
		}
	return NULL;
}

static void add_script(struct ds_arena *a, struct dl_run *r, size_t *cap, struct dl_script *sc)
{
	r->scripts = ds_arena_grow(a, r->scripts, sizeof *r->scripts, r->nscripts, cap);
	r->scripts[r->nscripts++] = *sc;
}

void dl_build_run(struct ds_arena *a, struct dl_run *r)
{
	const struct ds_instr *in = r->in;
	size_t cap = 0;
	if (in->nargs == 0)
		return;
	struct dl_script sc;
	memset(&sc, 0, sizeof sc);
	if (in->json) {
		const char **w = ds_arena_alloc(a, in->nargs * sizeof *w);
		size_t *lens = ds_arena_alloc(a, in->nargs * sizeof *lens);
		uint32_t *offs = ds_arena_alloc(a, in->nargs * sizeof *offs);
		uint32_t *ends = ds_arena_alloc(a, in->nargs * sizeof *ends);
		for (uint32_t k = 0; k < in->nargs; k++) {
			w[k] = in->args[k].text;
			lens[k] = in->args[k].len;
			offs[k] = in->args[k].span.off;
			ends[k] = in->args[k].span.end;
		}
		sc.kind = DL_SCRIPT_EXEC;
		ds_shell_split_argv(a, w, lens, offs, ends, in->nargs, &sc.cmds, &sc.ncmds);
		add_script(a, r, &cap, &sc);
	} else {
		sc.kind = DL_SCRIPT_LINE;
		sc.text = in->args[0].text;
		sc.len = in->args[0].len;
		ds_shell_split(a, sc.text, sc.len, &sc.cmds, &sc.ncmds);
		add_script(a, r, &cap, &sc);
		/* the line is only here-document markers: the first body is the script */
		bool markers_only = true;
		for (size_t k = 0; k < sc.ncmds; k++)
			if (sc.cmds[k].argc || sc.cmds[k].nassigns)
				markers_only = false;
		const struct ds_shell_cmd *line_cmds = sc.cmds;
		size_t nline = sc.ncmds;
		for (uint32_t h = 0; h < in->nheredocs; h++) {
			const struct ds_heredoc *hd = &in->heredocs[h];
			bool script = false;
			if (markers_only) {
				script = h == 0 && heredoc_is_shell(hd);
			} else {
				const struct ds_shell_cmd *rd = heredoc_reader(line_cmds, nline, hd->name);
				script = rd && rd->argc && is_shell(ds_shell_cmd_name(rd)) &&
					 ds_shell_cmd_first_operand(rd) == rd->argc &&
					 !ds_shell_cmd_has_flag(rd, "-c") && heredoc_is_shell(hd);
			}
			if (!script || !hd->content)
				continue;
			struct dl_script hs;
			memset(&hs, 0, sizeof hs);
			hs.kind = DL_SCRIPT_HEREDOC;
			hs.hd = hd;
			hs.text = hd->content;
			hs.len = hd->content_len;
			ds_shell_split(a, hs.text, hs.len, &hs.cmds, &hs.ncmds);
			add_script(a, r, &cap, &hs);
		}
	}
	for (size_t s = 0; s < r->nscripts; s++)
		for (size_t k = 0; k < r->scripts[s].ncmds; k++)
			r->ncmds += r->scripts[s].cmds[k].argc > 0;
}

void dl_script_span(const struct dl_ctx *d, const struct dl_run *r, const struct dl_script *sc,
		    uint32_t off, uint32_t end, uint32_t *soff, uint32_t *send)
{
	const struct ds_dockerfile *df = d->c->df;
	if (end < off)
		end = off;
	*soff = off; /* every kind sets them below; this keeps GCC's -O3 from doubting it */
	*send = end;
	switch (sc->kind) {
	case DL_SCRIPT_EXEC:
		*soff = off;
		*send = end;
		return;
	case DL_SCRIPT_LINE:
		*soff = ds_run_offset_to_source_at(d->cursor, df, r->in, off);
		*send = end > off ? ds_run_offset_to_source_at(d->cursor, df, r->in, end - 1) + 1 : *soff;
		return;
	case DL_SCRIPT_HEREDOC: {
		const struct ds_heredoc *hd = sc->hd;
		*soff = ds_shell_map_offset_at(d->cursor, df->src->data, hd->body.off, hd->body.end, hd->content,
					       hd->content_len, off, '\0', hd->chomp);
		*send = end > off ? ds_shell_map_offset_at(d->cursor, df->src->data, hd->body.off, hd->body.end,
							   hd->content, hd->content_len, end - 1, '\0',
							   hd->chomp) + 1
				  : *soff;
		return;
	}
	}
}

static void report_at(const struct dl_ctx *d, enum ds_rule_id id, const struct dl_run *r,
		      const struct dl_script *sc, uint32_t off, uint32_t end, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	uint32_t so, se;
	dl_script_span(d, r, sc, off, end, &so, &se);
	ds_lint_report(d->c, id, so, se, "%s", msg);
}

void dl_report_cmd(const struct dl_ctx *d, enum ds_rule_id id, const struct dl_run *r,
		   const struct dl_script *sc, const struct ds_shell_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(d, id, r, sc, cmd->off, cmd->end, fmt, ap);
	va_end(ap);
}

void dl_report_word(const struct dl_ctx *d, enum ds_rule_id id, const struct dl_run *r,
		    const struct dl_script *sc, const struct ds_shell_word *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_at(d, id, r, sc, w->off, w->end, fmt, ap);
	va_end(ap);
}

/* The value of key in a comma-separated key=value list (a --mount value), copied into out. */
static bool kv_get(const char *list, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > kl && !strncmp(p, key, kl) && p[kl] == '=') {
			size_t vl = n - kl - 1;
			if (vl >= cap)
				vl = cap - 1;
			memcpy(out, p + kl + 1, vl);
			out[vl] = '\0';
			return true;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

bool dl_has_cache_mount(const struct ds_instr *in, const char *frag)
{
	for (uint32_t k = 0; k < in->nflags; k++) {
		const struct ds_flag *f = &in->flags[k];
		if (strcmp(f->name, "mount") || !f->value)
			continue;
		char type[32], target[512];
		if (!kv_get(f->value, "type", type, sizeof type) ||
		    (strcmp(type, "cache") && strcmp(type, "tmpfs")))
			continue;
		if (kv_get(f->value, "target", target, sizeof target) ||
		    kv_get(f->value, "dst", target, sizeof target) ||
		    kv_get(f->value, "destination", target, sizeof target))
			if (strstr(target, frag))
				return true;
	}
	return false;
}

bool dl_stage_in_final(const struct ds_lint_ctx *c, const struct ds_stage *st)
{
	const struct ds_model *m = c->m;
	if (!m || !st || m->final < 0)
		return true;
	int s = m->final;
	for (uint32_t guard = 0; s >= 0 && guard <= m->nstages; guard++) {
		if ((uint32_t)s == st->index)
			return true;
		s = m->stages[s].base_stage;
	}
	return false;
}

const char *dl_unquote(struct ds_arena *a, char escape, const char *s)
{
	if (!strpbrk(s, "\"'\\`"))
		return s;
	struct ds_shlex lx;
	ds_shlex_init(&lx, escape);
	lx.skip_unset_env = true;
	const char *out = NULL;
	if (ds_shlex_word(&lx, a, s, strlen(s), &out, NULL, NULL))
		return s;
	return out;
}

const char *dl_drop_quotes(struct ds_arena *a, const char *s)
{
	size_t n = strlen(s), b = 0, e = n;
	while (b < e && (s[b] == '"' || s[b] == '\''))
		b++;
	while (e > b && (s[e - 1] == '"' || s[e - 1] == '\''))
		e--;
	if (b == 0 && e == n)
		return s; /* nothing to drop: no copy */
	return ds_arena_strndup(a, s + b, e - b);
}

/* Whether the ARG or ENV instruction in assigns name; *value gets the raw value (NULL: none given). */
static bool assigns(const struct ds_instr *in, const char *name, size_t len, const char **value)
{
	if (in->kind == DS_I_ARG) {
		for (uint32_t k = 0; k < in->nargs; k++) {
			const char *w = in->args[k].text;
			const char *eq = strchr(w, '=');
			size_t n = eq ? (size_t)(eq - w) : strlen(w);
			if (n == len && !strncmp(w, name, len)) {
				*value = eq ? eq + 1 : NULL;
				return true;
			}
		}
	} else if (in->kind == DS_I_ENV) {
		for (uint32_t k = 0; k + 1 < in->nargs; k += 3)
			if (in->args[k].len == len && !strncmp(in->args[k].text, name, len)) {
				*value = in->args[k + 1].text;
				return true;
			}
	}
	return false;
}

const char *dl_var_value(const struct ds_lint_ctx *c, const struct ds_stage *st, uint32_t i, const char *name,
			 size_t len, bool *known)
{
	*known = false;
	if (st && c->m) {
		bool unset = false;
		const char *ref = ds_arena_printf(c->a, "${%.*s}", (int)len, name);
		const char *v = ds_model_expand(c->m, st, i, ref, &unset);
		if (!unset) {
			*known = true;
			return v;
		}
	}
	/* before the first FROM (hadolint's snippets), or an ARG of any earlier line */
	const char *v = NULL;
	for (uint32_t k = 0; k < i && k < c->df->ninstrs; k++) {
		const struct ds_instr *in = &c->df->instrs[k];
		if (st && in->kind == DS_I_ENV)
			continue;
		const char *val;
		if (assigns(in, name, len, &val)) {
			*known = true;
			v = val ? val : v;
		}
	}
	return v;
}

static bool var_char(char ch, bool first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (!first && ch >= '0' && ch <= '9');
}

bool dl_vars_known(const struct ds_lint_ctx *c, const struct ds_stage *st, uint32_t i, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '`')
			return false;
		if (*p != '$')
			continue;
		const char *n = p + 1;
		bool braced = *n == '{';
		if (braced)
			n++;
		if (!var_char(*n, true))
			return false; /* $(...), $1, $$: not a variable anyone declared */
		const char *e = n;
		while (var_char(*e, false))
			e++;
		bool known;
		dl_var_value(c, st, i, n, (size_t)(e - n), &known);
		if (!known)
			return false;
		p = e - 1;
	}
	return true;
}

void ds_rules_dl(struct ds_lint_ctx *c)
{
	struct ds_arena tmp = DS_ARENA_INIT;
	struct ds_shell_map_cursor cursor;
	memset(&cursor, 0, sizeof cursor);
	struct dl_ctx d = { c, &tmp, &cursor };
	dl_rules_run(&d);
	dl_rules_instr(&d);
	dl_rules_labels(&d);
	ds_arena_release(&tmp);
}
