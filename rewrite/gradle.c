/*
 * gradle.c - step 2 (DESIGN §5): the start script of Gradle's application plugin, read back from the build file.
 *
 * `gradle installDist` writes build/install/DIST/bin/NAME, a POSIX sh script
 * made from the plugin's template (unixStartScript.txt; the command it ends
 * in has kept this shape since Gradle 2). It works out APP_HOME (the folder
 * above bin/, in a subshell: the script's own folder does not change),
 * raises the soft open-files limit to the hard one (ulimit -n), and runs
 *
 *   exec JAVACMD DEFAULT_JVM_OPTS $JAVA_OPTS $NAME_OPTS -classpath CLASSPATH MAIN "$@"
 *
 * JAVACMD is $JAVA_HOME/bin/java, or java on PATH when JAVA_HOME is unset.
 * DEFAULT_JVM_OPTS is the task's defaultJvmOpts, for the plugin's own
 * startScripts task applicationDefaultJvmArgs; the three option lists are
 * split into words as xargs splits them. CLASSPATH is $APP_HOME/lib/FILE
 * for every file of the task's classpath, in order: the project's jar, then
 * its runtime classpath. NAME_OPTS is the application name in upper snake
 * case (GUtil.toConstant) with "_OPTS"; MAIN the main class.
 *
 * The script is not in the build context (the build writes it), but what
 * it runs is in the build file: the main class, the application name, the
 * default JVM options. The build file (Groovy or Kotlin DSL) is read by a
 * small token reader, never run. A value the build computes, a setting
 * under a condition, a start-script task configured beyond its name, main
 * class, JVM options and class path, a plugin whose source distill does not
 * read: each leaves the command to a person, naming what could not be read.
 */
#include "rewrite/internal.h"

#include <ctype.h>
#include <string.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/hash.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"
#include "rewrite/context.h"

/* ---- tokens of a Groovy or Kotlin build script ---- */

enum tk { TK_ID, TK_STR, TK_NUM, TK_P };

struct tok {
	enum tk k;
	uint32_t off, len; /* the raw text */
	const char *v;     /* TK_STR: the cooked value, NULL when it interpolates; else the text */
	uint32_t line;
	bool nl;           /* the first token of its line */
};

enum bk {
	BK_OTHER,
	BK_APP,     /* application { } */
	BK_PLUGINS, /* plugins { } */
	BK_START,   /* the plugin's startScripts task */
	BK_TASK,    /* a task of type CreateStartScripts */
	BK_ALLCSS,  /* every task of that type (withType) */
	BK_COND,    /* runs under a condition, or for other projects */
	BK_BIN,     /* into('bin') of a distribution */
};

struct blk {
	size_t h0, h1; /* its header: the tokens before "{" */
	int parent;    /* -1: the file's top level */
	enum bk kind;
	const char *task; /* BK_TASK: the task's name, or NULL */
};

struct gfile {
	const char *path; /* in the build context, for messages */
	const char *text;
	size_t len;
	struct tok *t;
	size_t n, cap;
	struct blk *b;
	size_t nb, capb;
	const char *bad;  /* why it cannot be read at all */
};

static bool id_start(int ch)
{
	return isalpha(ch) || ch == '_';
}

static bool id_char(int ch)
{
	return isalnum(ch) || ch == '_';
}

static void push_tok(struct cv *c, struct gfile *f, const struct tok *t)
{
	f->t = ds_arena_grow(c->a, f->t, sizeof *f->t, f->n, &f->cap);
	f->t[f->n++] = *t;
}

/* A quoted string at *pp (its quote first); sets t->v (NULL when it interpolates); false when unterminated. */
static bool lex_string(struct cv *c, const char **pp, const char *e, uint32_t *line, struct tok *t)
{
	const char *p = *pp;
	char q = *p;
	bool triple = p + 2 < e && p[1] == q && p[2] == q;
	size_t ql = triple ? 3 : 1;
	bool interp = false;
	struct ds_buf v = DS_BUF_INIT;
	p += ql;
	for (;;) {
		if (p >= e || (!triple && *p == '\n')) {
			ds_buf_release(&v);
			return false;
		}
		if (triple ? (p + 2 < e && p[0] == q && p[1] == q && p[2] == q) : *p == q) {
			p += ql;
			break;
		}
		if (*p == '\\' && p + 1 < e) {
			static const char from[] = "ntrbf\\'\"$", to[] = "\n\t\r\b\f\\'\"$";
			const char *x = strchr(from, p[1]);
			if (p[1] == '\n')
				(*line)++;
			else if (x && p[1])
				ds_buf_addc(&v, to[x - from]);
			else
				interp = true; /* \uXXXX and the like: not worth reading */
			p += 2;
			continue;
		}
		if (q == '"' && *p == '$' && p + 1 < e && (p[1] == '{' || id_start((unsigned char)p[1]))) {
			interp = true;
			if (p[1] == '{') {
				/* ${ ... } may hold strings of its own */
				int depth = 0;
				for (p++; p < e; p++) {
					if (*p == '{')
						depth++;
					else if (*p == '}' && --depth == 0)
						break;
					else if (*p == '"' || *p == '\'') {
						char nq = *p;
						for (p++; p < e && *p != nq && *p != '\n'; p++)
							if (*p == '\\' && p + 1 < e)
								p++;
					} else if (*p == '\n')
						(*line)++;
				}
				if (p >= e) {
					ds_buf_release(&v);
					return false;
				}
				p++;
				continue;
			}
		}
		if (*p == '\n')
			(*line)++;
		ds_buf_addc(&v, *p);
		p++;
	}
	t->v = interp ? NULL : ds_arena_strndup(c->a, v.buf ? v.buf : "", v.len);
	ds_buf_release(&v);
	*pp = p;
	return true;
}

/* Splits f's text into tokens; f->bad says why it could not. */
static void lex(struct cv *c, struct gfile *f)
{
	const char *s = f->text, *e = s + f->len, *p = s;
	uint32_t line = 1;
	bool nl = true;
	if (e - p >= 2 && p[0] == '#' && p[1] == '!')
		while (p < e && *p != '\n')
			p++;
	while (p < e && !f->bad) {
		char ch = *p;
		if (ch == '\n') {
			line++;
			nl = true;
			p++;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f') {
			p++;
			continue;
		}
		if (ch == '\\' && p + 1 < e && p[1] == '\n') {
			p += 2;
			line++;
			continue;
		}
		if (ch == '/' && p + 1 < e && p[1] == '/') {
			while (p < e && *p != '\n')
				p++;
			continue;
		}
		if (ch == '/' && p + 1 < e && p[1] == '*') {
			const char *q = p + 2;
			while (q + 1 < e && !(q[0] == '*' && q[1] == '/')) {
				if (*q == '\n')
					line++;
				q++;
			}
			if (q + 1 >= e) {
				f->bad = ds_arena_printf(c->a, "a comment at line %u does not end", line);
				return;
			}
			p = q + 2;
			continue;
		}
		struct tok t = { TK_P, (uint32_t)(p - s), 0, NULL, line, nl };
		nl = false;
		const char *start = p;
		if (ch == '\'' || ch == '"') {
			t.k = TK_STR;
			if (!lex_string(c, &p, e, &line, &t)) {
				f->bad = ds_arena_printf(c->a, "a string at line %u does not end", t.line);
				return;
			}
		} else if (ch == '`') {
			/* Kotlin's `java-library`: a name */
			const char *q = p + 1;
			while (q < e && *q != '`' && *q != '\n')
				q++;
			if (q >= e || *q != '`') {
				f->bad = ds_arena_printf(c->a, "a quoted name at line %u does not end", line);
				return;
			}
			t.k = TK_ID;
			t.v = ds_arena_strndup(c->a, p + 1, (size_t)(q - p - 1));
			p = q + 1;
		} else if (id_start((unsigned char)ch)) {
			while (p < e && id_char((unsigned char)*p))
				p++;
			t.k = TK_ID;
			t.v = ds_arena_strndup(c->a, start, (size_t)(p - start));
		} else if (isdigit((unsigned char)ch)) {
			while (p < e && (id_char((unsigned char)*p) || *p == '.'))
				p++;
			t.k = TK_NUM;
			t.v = ds_arena_strndup(c->a, start, (size_t)(p - start));
		} else {
			static const char *const two[] = { "+=", "-=", "==", "!=", "::", "->", "?.", "<=", ">=", "&&", "||",
							   "?:", "*=", "/=", NULL };
			size_t l = 1;
			for (size_t i = 0; two[i]; i++)
				if (p + 1 < e && p[0] == two[i][0] && p[1] == two[i][1])
					l = 2;
			p += l;
			t.v = ds_arena_strndup(c->a, start, l);
		}
		t.len = (uint32_t)(p - start);
		push_tok(c, f, &t);
	}
}

static bool is_p(const struct gfile *f, size_t i, const char *p)
{
	return i < f->n && f->t[i].k == TK_P && !strcmp(f->t[i].v, p);
}

static bool is_id(const struct gfile *f, size_t i, const char *name)
{
	return i < f->n && f->t[i].k == TK_ID && (!name || !strcmp(f->t[i].v, name));
}

/* The index of the bracket closing the one at i (within [i, end)), or end. */
static size_t closing(const struct gfile *f, size_t i, size_t end)
{
	int depth = 0;
	for (size_t k = i; k < end; k++) {
		if (is_p(f, k, "(") || is_p(f, k, "[") || is_p(f, k, "{"))
			depth++;
		else if ((is_p(f, k, ")") || is_p(f, k, "]") || is_p(f, k, "}")) && --depth == 0)
			return k;
	}
	return end;
}

/* The source text of tokens [a, b), on one line, shortened. */
static const char *text_of(struct cv *c, const struct gfile *f, size_t a, size_t b)
{
	if (a >= b || b > f->n)
		return "(nothing)";
	size_t o = f->t[a].off, e = f->t[b - 1].off + f->t[b - 1].len;
	bool more = e - o > 60;
	size_t l = more ? 60 : e - o;
	while (more && l && ((unsigned char)f->text[o + l] & 0xC0) == 0x80)
		l--; /* not inside a UTF-8 character */
	char *s = ds_arena_strndup(c->a, f->text + o, l);
	for (char *q = s; *q; q++)
		if (*q == '\n' || *q == '\r' || *q == '\t')
			*q = ' ';
	return more ? ds_arena_printf(c->a, "%s...", s) : s;
}

/* ---- what the build file says ---- */

/* A setting: a literal, or an expression distill does not evaluate. */
struct gval {
	bool set;
	const char *s;       /* a string's value */
	const char **list;   /* a list's values */
	size_t n;
	const char *expr;    /* not a literal: its text (s and list unset) */
	uint32_t line;
};

struct gtask {
	const char *name;
	struct gval app, main, jvm, cp, optsvar;
	bool in_bin;         /* from(it) inside into('bin') */
	const char *refuse;  /* what it does that distill does not follow */
};

struct gbuild {
	bool app_plugin;
	struct gval main, app, jvm;
	const char *app_refuse;   /* a setting of the application distill does not follow */
	bool scripts_off;         /* startScripts.enabled = false */
	const char *start_refuse; /* the startScripts task is configured */
	const char *refuse;       /* anything else that stops the reading */
	struct gtask tasks[8];
	size_t ntasks;
	const char **bin_from;    /* names from(...) puts into bin/ */
	size_t nbin_from, capbin;
	const char **plugins;     /* ids of plugins applied without a version */
	size_t nplugins, capplugins;
	/* settings */
	struct gval root_name;
	const char **includes;
	size_t nincludes, capincludes;
	bool include_build;
};

/* Keeps the first reason in *slot. */
static void refuse(const char **slot, const char *why)
{
	if (!*slot)
		*slot = why;
}

/* A statement's target: qual.prop OP value, value tokens [v0, v1). */
enum gop { OP_BARE, OP_ASSIGN, OP_APPEND, OP_CALL };

struct target {
	const char *qual; /* "" or "a.b" */
	const char *prop;
	enum gop op;
	size_t v0, v1;
	size_t rest;      /* OP_CALL with parentheses: the token after ")" */
};

static bool target(struct cv *c, const struct gfile *f, size_t a, size_t b, struct target *t)
{
	static const char *const decl[] = { "def", "val", "var", "final", "static", "private", "import", "package",
					    "return", "fun", "class", "object", "interface", NULL };
	if (a >= b || f->t[a].k != TK_ID || ds_str_in_list(f->t[a].v, decl))
		return false;
	const char *names[16];
	size_t nn = 0, k = a;
	for (;;) {
		names[nn++] = f->t[k].v;
		k++;
		if (nn < 16 && k + 1 < b && is_p(f, k, ".") && f->t[k + 1].k == TK_ID) {
			k++;
			continue;
		}
		break;
	}
	memset(t, 0, sizeof *t);
	t->rest = b;
	if (k == b) {
		t->op = OP_BARE;
	} else if (is_p(f, k, "=") || is_p(f, k, "+=")) {
		t->op = is_p(f, k, "=") ? OP_ASSIGN : OP_APPEND;
		t->v0 = k + 1;
		t->v1 = b;
	} else if (is_p(f, k, "(")) {
		size_t m = closing(f, k, b);
		t->op = OP_CALL;
		t->v0 = k + 1;
		t->v1 = m;
		t->rest = m < b ? m + 1 : b;
		if (nn >= 2 && (!strcmp(names[nn - 1], "set") || !strcmp(names[nn - 1], "convention")) && t->rest == b) {
			nn--;
			t->op = OP_ASSIGN;
		}
	} else {
		t->op = OP_CALL; /* Groovy's command syntax: name value */
		t->v0 = k;
		t->v1 = b;
	}
	size_t q0 = 0;
	if (nn > 1 && !strcmp(names[0], "project"))
		q0 = 1;
	struct ds_buf q = DS_BUF_INIT;
	for (size_t i = q0; i + 1 < nn; i++)
		ds_buf_addf(&q, "%s%s", i > q0 ? "." : "", names[i]);
	t->qual = ds_arena_strdup(c->a, q.len ? q.buf : "");
	ds_buf_release(&q);
	t->prop = names[nn - 1];
	return true;
}

/* Takes off up to 4 pairs of parentheses around [*v0, *v1) (a bound keeps it linear). */
static void unwrap(const struct gfile *f, size_t *v0, size_t *v1)
{
	for (int k = 0; k < 4 && *v1 - *v0 >= 2 && is_p(f, *v0, "(") && closing(f, *v0, *v1) == *v1 - 1; k++) {
		(*v0)++;
		(*v1)--;
	}
}

/* The one string literal tokens [v0, v1) are (parentheses around it allowed), or NULL. */
static const char *str_value(const struct gfile *f, size_t v0, size_t v1)
{
	unwrap(f, &v0, &v1);
	return v1 == v0 + 1 && f->t[v0].k == TK_STR ? f->t[v0].v : NULL;
}

/* A list of string literals: Groovy [a, b], Kotlin listOf(a, b); false when not one. */
static bool list_value(struct cv *c, const struct gfile *f, size_t v0, size_t v1, const char ***out, size_t *n)
{
	unwrap(f, &v0, &v1);
	size_t i0;
	if (is_p(f, v0, "[") && closing(f, v0, v1) == v1 - 1)
		i0 = v0 + 1;
	else if ((is_id(f, v0, "listOf") || is_id(f, v0, "mutableListOf") || is_id(f, v0, "arrayOf")) && is_p(f, v0 + 1, "(") &&
		 closing(f, v0 + 1, v1) == v1 - 1)
		i0 = v0 + 2;
	else
		return false;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	for (size_t i = i0; i < v1 - 1; i++) {
		if (f->t[i].k != TK_STR || !f->t[i].v || !(is_p(f, i + 1, ",") || i + 1 == v1 - 1))
			return false;
		*out = ds_arena_grow(c->a, *out, sizeof **out, *n, &cap);
		(*out)[(*n)++] = f->t[i].v;
		if (is_p(f, i + 1, ","))
			i++;
	}
	return true;
}

/* Records a string setting (a literal, or the expression). A second, different value stops the reading. */
static void set_str(struct cv *c, const struct gfile *f, const struct target *t, struct gval *v, const char *what,
		    const char **slot)
{
	const char *s = t->op == OP_ASSIGN || t->op == OP_CALL ? str_value(f, t->v0, t->v1) : NULL;
	const char *expr = s ? NULL : text_of(c, f, t->v0, t->v1);
	uint32_t line = f->t[t->v0 < f->n ? t->v0 : 0].line;
	if (v->set && (!s || !v->s || strcmp(s, v->s))) {
		refuse(slot, ds_arena_printf(c->a, "'%s' sets %s twice (lines %u and %u)", f->path, what, v->line, line));
		return;
	}
	v->set = true;
	v->s = s;
	v->expr = expr;
	v->line = line;
}

static void set_list(struct cv *c, const struct gfile *f, const struct target *t, struct gval *v, const char *what,
		     const char **slot)
{
	uint32_t line = f->t[t->v0 < f->n ? t->v0 : 0].line;
	if (v->set) {
		refuse(slot, ds_arena_printf(c->a, "'%s' sets %s twice (lines %u and %u)", f->path, what, v->line, line));
		return;
	}
	v->set = true;
	v->line = line;
	if (t->op != OP_ASSIGN || !list_value(c, f, t->v0, t->v1, &v->list, &v->n))
		v->expr = text_of(c, f, t->v0, t->v1);
}

/* Whether block bi or one around it is of kind k. */
static bool within(const struct gfile *f, int bi, enum bk k)
{
	for (; bi >= 0; bi = f->b[bi].parent)
		if (f->b[bi].kind == k)
			return true;
	return false;
}

static void classify_block(struct cv *c, struct gfile *f, struct blk *bl)
{
	static const char *const cond[] = { "if", "else", "for", "while", "when", "try", "catch", "finally", "allprojects",
					    "subprojects", "configure", "afterEvaluate", "beforeEvaluate", "each",
					    "eachWithIndex", "forEach", "all", "configureEach", "withId", "withPlugin",
					    "whenPluginAdded", "whenTaskAdded", "matching", "switch", NULL };
	size_t h0 = bl->h0, h1 = bl->h1;
	bool css = false, start = false, with_type = false, bin = false, is_cond = false;
	for (size_t i = h0; i < h1; i++) {
		const struct tok *t = &f->t[i];
		if (t->k == TK_ID && !strcmp(t->v, "CreateStartScripts"))
			css = true;
		if ((t->k == TK_ID || t->k == TK_STR) && t->v && !strcmp(t->v, "startScripts"))
			start = true;
		if (t->k == TK_ID && !strcmp(t->v, "withType"))
			with_type = true;
		if (t->k == TK_ID && (ds_str_in_list(t->v, cond) || (!strcmp(t->v, "project") && is_p(f, i + 1, "("))))
			is_cond = true;
		if (is_id(f, i, "into")) {
			size_t j = is_p(f, i + 1, "(") ? i + 2 : i + 1;
			if (j < h1 && f->t[j].k == TK_STR && f->t[j].v && !strcmp(f->t[j].v, "bin"))
				bin = true;
		}
	}
	bl->kind = BK_OTHER;
	if (css && with_type)
		bl->kind = BK_ALLCSS;
	else if (start)
		bl->kind = BK_START;
	else if (css) {
		bl->kind = BK_TASK;
		if ((is_id(f, h0, "task") || is_id(f, h0, "val")) && is_id(f, h0 + 1, NULL))
			bl->task = f->t[h0 + 1].v;
		for (size_t i = h0; i < h1 && !bl->task; i++)
			if (f->t[i].k == TK_STR)
				bl->task = f->t[i].v;
	} else if (is_cond)
		bl->kind = BK_COND;
	else if (h1 == h0 + 1 && is_id(f, h0, "application"))
		bl->kind = BK_APP;
	else if (h1 == h0 + 1 && is_id(f, h0, "plugins"))
		bl->kind = BK_PLUGINS;
	else if (bin)
		bl->kind = BK_BIN;
	(void)c;
}

static struct gtask *task_of(struct gbuild *g, const char *name)
{
	for (size_t i = 0; i < g->ntasks; i++)
		if (name && g->tasks[i].name && !strcmp(g->tasks[i].name, name))
			return &g->tasks[i];
	return NULL;
}

static void on_plugin(struct cv *c, struct gbuild *g, const char *id, bool versioned)
{
	if (!id)
		return;
	if (!strcmp(id, "application") || !strcmp(id, "org.gradle.application")) {
		g->app_plugin = true;
		return;
	}
	if (versioned)
		return;
	g->plugins = ds_arena_grow(c->a, g->plugins, sizeof *g->plugins, g->nplugins, &g->capplugins);
	g->plugins[g->nplugins++] = id;
}

/* One statement [a, b) in block bi. */
static void on_stmt(struct cv *c, struct gfile *f, struct gbuild *g, size_t a, size_t b, int bi, bool settings)
{
	struct target t;
	if (!target(c, f, a, b, &t))
		return;
	const struct blk *bl = bi >= 0 ? &f->b[bi] : NULL;
	uint32_t line = f->t[a].line;
	if (settings) {
		if (!strcmp(t.qual, "rootProject") && !strcmp(t.prop, "name") && t.op == OP_ASSIGN)
			set_str(c, f, &t, &g->root_name, "the root project's name", &g->refuse);
		else if (!*t.qual && !strcmp(t.prop, "include"))
			for (size_t i = t.v0; i < t.v1; i++)
				if (f->t[i].k == TK_STR && f->t[i].v) {
					g->includes = ds_arena_grow(c->a, g->includes, sizeof *g->includes, g->nincludes,
								    &g->capincludes);
					g->includes[g->nincludes++] = f->t[i].v;
				}
		if (!strcmp(t.prop, "includeBuild"))
			g->include_build = true;
		return;
	}
	/* plugins { id 'x' } / id("x") version "1" / Kotlin's bare names; apply plugin: 'x' */
	if (bl && bl->kind == BK_PLUGINS) {
		bool versioned = false;
		for (size_t i = t.v0; i < b; i++) {
			if (is_id(f, i, "apply") && is_id(f, i + 1, "false"))
				return; /* declared, not applied */
			versioned = versioned || is_id(f, i, "version");
		}
		if (!*t.qual && !strcmp(t.prop, "id") && t.op == OP_CALL)
			on_plugin(c, g, t.v0 < t.v1 && f->t[t.v0].k == TK_STR ? f->t[t.v0].v : NULL, versioned);
		else if (!*t.qual && t.op == OP_BARE)
			on_plugin(c, g, t.prop, false);
		return;
	}
	if (!*t.qual && !strcmp(t.prop, "apply")) {
		for (size_t i = t.v0; i + 2 < t.v1; i++) {
			if ((is_id(f, i, "plugin") || is_id(f, i, "from")) && (is_p(f, i + 1, ":") || is_p(f, i + 1, "=")) &&
			    f->t[i + 2].k == TK_STR) {
				if (is_id(f, i, "from"))
					refuse(&g->refuse, ds_arena_printf(c->a, "'%s' applies the script '%s' (line %u), which distill does not read",
									      f->path, f->t[i + 2].v ? f->t[i + 2].v : "(computed)", line));
				else
					on_plugin(c, g, f->t[i + 2].v, false);
			}
		}
		return;
	}
	/* the plugin's startScripts task: only switching it off is followed */
	if (within(f, bi, BK_START) || !strcmp(t.qual, "startScripts") || !strcmp(t.qual, "tasks.startScripts")) {
		if (!strcmp(t.prop, "enabled") && t.op == OP_ASSIGN && t.v1 == t.v0 + 1 && is_id(f, t.v0, "false") &&
		    (!bl || bl->kind == BK_START || !within(f, bi, BK_START)))
			g->scripts_off = true;
		else
			refuse(&g->start_refuse, ds_arena_printf(c->a, "'%s' configures the startScripts task, line %u: %s",
								    f->path, line, text_of(c, f, a, b)));
		return;
	}
	/* a task of its own type writing a script */
	if (bl && bl->kind == BK_TASK) {
		struct gtask *tk = task_of(g, bl->task);
		if (!tk)
			return;
		if (*t.qual)
			refuse(&tk->refuse, ds_arena_printf(c->a, "it sets '%s.%s' (line %u)", t.qual, t.prop, line));
		else if (!strcmp(t.prop, "applicationName"))
			set_str(c, f, &t, &tk->app, "the application name", &tk->refuse);
		else if (!strcmp(t.prop, "mainClass") || !strcmp(t.prop, "mainClassName"))
			set_str(c, f, &t, &tk->main, "the main class", &tk->refuse);
		else if (!strcmp(t.prop, "optsEnvironmentVar"))
			set_str(c, f, &t, &tk->optsvar, "the options variable", &tk->refuse);
		else if (!strcmp(t.prop, "defaultJvmOpts"))
			set_list(c, f, &t, &tk->jvm, "the default JVM options", &tk->refuse);
		else if (!strcmp(t.prop, "classpath")) {
			/* the plugin's own class path: the project's jar and its runtime classpath */
			size_t v0 = t.v0;
			while (v0 + 2 < t.v1 && (is_id(f, v0, "tasks") || is_id(f, v0, "project")) && is_p(f, v0 + 1, "."))
				v0 += 2;
			if (t.op == OP_ASSIGN && t.v1 == v0 + 3 && is_id(f, v0, "startScripts") && is_p(f, v0 + 1, ".") &&
			    is_id(f, v0 + 2, "classpath")) {
				tk->cp.set = true;
				tk->cp.line = line;
			} else {
				refuse(&tk->refuse, ds_arena_printf(c->a, "its class path is not startScripts.classpath, line %u: %s",
									line, text_of(c, f, t.v0, t.v1)));
			}
		} else if (!strcmp(t.prop, "executableDir")) {
			const char *s = str_value(f, t.v0, t.v1);
			if (!s || strcmp(s, "bin"))
				refuse(&tk->refuse, ds_arena_printf(c->a, "it sets executableDir (line %u)", line));
		} else if (strcmp(t.prop, "outputDir") && strcmp(t.prop, "description") && strcmp(t.prop, "group") &&
			   strcmp(t.prop, "dependsOn")) {
			refuse(&tk->refuse, ds_arena_printf(c->a, "it sets '%s' (line %u), which distill does not follow", t.prop, line));
		}
		return;
	}
	/* from(task) into bin/ of a distribution */
	if (!*t.qual && !strcmp(t.prop, "from") && within(f, bi, BK_BIN)) {
		for (size_t i = t.v0; i < t.v1; i++)
			if ((f->t[i].k == TK_ID || f->t[i].k == TK_STR) && f->t[i].v) {
				g->bin_from = ds_arena_grow(c->a, g->bin_from, sizeof *g->bin_from, g->nbin_from, &g->capbin);
				g->bin_from[g->nbin_from++] = f->t[i].v;
			}
		return;
	}
	/* the application's settings */
	static const char *const app_props[] = { "mainClass", "mainClassName", "applicationName",
						 "applicationDefaultJvmArgs", "mainModule", "executableDir", NULL };
	if (!ds_str_in_list(t.prop, app_props))
		return;
	bool in_app = (!bl && (!*t.qual || !strcmp(t.qual, "application"))) ||
		      (bl && bl->kind == BK_APP && bl->parent < 0 && !*t.qual);
	if (!in_app) {
		if (within(f, bi, BK_COND) || within(f, bi, BK_APP) || !strcmp(t.qual, "application"))
			refuse(&g->app_refuse, ds_arena_printf(c->a, "'%s' sets %s under a condition or for other projects, line %u: %s",
								  f->path, t.prop, line, bl ? text_of(c, f, bl->h0, bl->h1) : t.qual));
		return; /* another task's setting (run, a JavaExec task) */
	}
	if (!strcmp(t.prop, "mainClass") || !strcmp(t.prop, "mainClassName"))
		set_str(c, f, &t, &g->main, "the main class", &g->app_refuse);
	else if (!strcmp(t.prop, "applicationName"))
		set_str(c, f, &t, &g->app, "the application name", &g->app_refuse);
	else if (!strcmp(t.prop, "applicationDefaultJvmArgs"))
		set_list(c, f, &t, &g->jvm, "the default JVM options", &g->app_refuse);
	else if (!strcmp(t.prop, "mainModule"))
		refuse(&g->app_refuse, ds_arena_printf(c->a, "'%s' sets a main module (line %u): the script then runs a modular application, which distill does not follow",
							  f->path, line));
	else {
		const char *s = str_value(f, t.v0, t.v1);
		if (!s || strcmp(s, "bin"))
			refuse(&g->app_refuse, ds_arena_printf(c->a, "'%s' sets executableDir (line %u)", f->path, line));
	}
}

/* Reads build (or settings) file f into g. */
static void read_gradle(struct cv *c, struct gfile *f, struct gbuild *g, bool settings)
{
	lex(c, f);
	if (f->bad) {
		refuse(&g->refuse, ds_arena_printf(c->a, "'%s' cannot be read: %s", f->path, f->bad));
		return;
	}
	/* statements: split at ";", braces and line ends outside brackets (not before ".", not after an operator) */
	static const char *const cont[] = { "=", "+=", "-=", ",", ".", "?.", "+", "-", "*", "/", "&&", "||", "?", ":",
					    "?:", "->", "==", "!=", "<", ">", "<=", ">=", "::", NULL };
	int stack[64];
	int depth[64];
	size_t sp = 0, st0 = 0;
	int d = 0;
	for (size_t i = 0; i <= f->n; i++) {
		const struct tok *t = i < f->n ? &f->t[i] : NULL;
		bool brk = !t || (t->nl && i > 0 && d == 0 && !(f->t[i - 1].k == TK_P && ds_str_in_list(f->t[i - 1].v, cont)) &&
				  !is_p(f, i, ".") && !is_p(f, i, "?."));
		bool close = t && is_p(f, i, "}"), semi = t && d == 0 && is_p(f, i, ";");
		if ((brk || close || semi) && i > st0)
			on_stmt(c, f, g, st0, i, sp ? stack[sp - 1] : -1, settings);
		if (brk || semi)
			st0 = semi ? i + 1 : i;
		if (!t)
			break;
		if (is_p(f, i, "(") || is_p(f, i, "[")) {
			d++;
		} else if (is_p(f, i, ")") || is_p(f, i, "]")) {
			d--;
		} else if (is_p(f, i, "{")) {
			if (sp == 64) {
				f->bad = "its blocks nest too deep";
				break;
			}
			f->b = ds_arena_grow(c->a, f->b, sizeof *f->b, f->nb, &f->capb);
			struct blk *bl = &f->b[f->nb];
			memset(bl, 0, sizeof *bl);
			bl->h0 = st0;
			bl->h1 = i;
			bl->parent = sp ? stack[sp - 1] : -1;
			classify_block(c, f, bl);
			int bi = (int)f->nb++;
			if (!settings)
				switch (bl->kind) {
				case BK_TASK:
					if (bl->task && !task_of(g, bl->task) && g->ntasks < sizeof g->tasks / sizeof g->tasks[0]) {
						struct gtask *tk = &g->tasks[g->ntasks++];
						memset(tk, 0, sizeof *tk);
						tk->name = bl->task;
					} else {
						refuse(&g->refuse, ds_arena_printf(c->a, "'%s' declares a start-script task distill cannot name, line %u: %s",
										      f->path, t->line, text_of(c, f, bl->h0, bl->h1)));
					}
					break;
				case BK_ALLCSS:
					refuse(&g->refuse, ds_arena_printf(c->a, "'%s' configures every start-script task, line %u: %s", f->path,
									      t->line, text_of(c, f, bl->h0, bl->h1)));
					break;
				default:
					break;
				}
			if (!settings && bl->parent >= 0 && f->b[bl->parent].kind == BK_TASK) {
				struct gtask *tk = task_of(g, f->b[bl->parent].task);
				if (tk)
					refuse(&tk->refuse, ds_arena_printf(c->a, "it runs more, line %u: %s", t->line, text_of(c, f, bl->h0, bl->h1)));
			}
			if (!settings && bl->parent >= 0 && within(f, bl->parent, BK_START))
				refuse(&g->start_refuse, ds_arena_printf(c->a, "'%s' configures the startScripts task, line %u: %s", f->path,
									    t->line, text_of(c, f, bl->h0, bl->h1)));
			stack[sp] = bi;
			depth[sp++] = d;
			d = 0;
			st0 = i + 1;
		} else if (close) {
			if (!sp) {
				f->bad = ds_arena_printf(c->a, "a '}' at line %u closes nothing", t->line);
				break;
			}
			d = depth[--sp];
			st0 = i + 1;
		}
		if (d < 0) {
			f->bad = ds_arena_printf(c->a, "a bracket at line %u closes nothing", t->line);
			break;
		}
	}
	if (!f->bad && (sp || d))
		f->bad = "its brackets do not balance";
	if (f->bad) {
		refuse(&g->refuse, ds_arena_printf(c->a, "'%s' cannot be read: %s", f->path, f->bad));
		return;
	}
	if (settings) {
		for (size_t i = 0; i < f->n; i++)
			if (is_id(f, i, "projectDir") || is_id(f, i, "buildFileName"))
				refuse(&g->refuse, ds_arena_printf(c->a, "'%s' moves a project's folder or build file (line %u)", f->path,
								      f->t[i].line));
		return;
	}
	for (size_t i = 0; i < f->n; i++) {
		if (is_id(f, i, "unixStartScriptGenerator"))
			refuse(&g->refuse, ds_arena_printf(c->a, "'%s' replaces the start-script generator (line %u)", f->path, f->t[i].line));
		/* into('lib'): files in lib/ that Gradle's class path does not name, but the wildcard would take in */
		if (is_id(f, i, "into")) {
			size_t j = is_p(f, i + 1, "(") ? i + 2 : i + 1;
			if (j < f->n && f->t[j].k == TK_STR && f->t[j].v &&
			    (!strcmp(f->t[j].v, "lib") || ds_str_has_prefix(f->t[j].v, "lib/")))
				refuse(&g->refuse, ds_arena_printf(c->a, "'%s' adds files to lib/ (line %u), which a class path of lib/* would take in",
								      f->path, f->t[i].line));
		}
	}
	/* application { } exists only where the plugin is applied */
	for (size_t i = 0; i < f->nb; i++)
		g->app_plugin = g->app_plugin || f->b[i].kind == BK_APP;
	for (size_t i = 0; i < g->nbin_from; i++) {
		struct gtask *tk = task_of(g, g->bin_from[i]);
		if (tk)
			tk->in_bin = true;
	}
}

/* ---- from the image back to the build ---- */

/* GUtil.toConstant of the application name, with "_OPTS": "AdService" gives "AD_SERVICE_OPTS". */
static const char *opts_var(struct cv *c, const char *name)
{
	struct ds_buf b = DS_BUF_INIT;
	size_t n = strlen(name);
	for (size_t pos = 0; pos < n;) {
		size_t u = pos;
		while (u < n && isupper((unsigned char)name[u]))
			u++;
		size_t l = u;
		while (l < n && (islower((unsigned char)name[l]) || isdigit((unsigned char)name[l])))
			l++;
		if (l == pos) {
			pos++;
			continue;
		}
		if (b.len)
			ds_buf_addc(&b, '_');
		if (l > u && u - pos > 1) {
			ds_buf_add(&b, name + pos, u - pos - 1);
			ds_buf_addc(&b, '_');
			ds_buf_add(&b, name + u - 1, l - u + 1);
		} else {
			ds_buf_add(&b, name + pos, l - pos);
		}
		pos = l;
	}
	for (size_t i = 0; i < b.len; i++)
		b.buf[i] = (char)toupper((unsigned char)b.buf[i]);
	const char *r = ds_arena_printf(c->a, "%s_OPTS", b.len ? b.buf : "");
	ds_buf_release(&b);
	return r;
}

/* Whether w is an option the script's quoting and xargs pass on as it is, the same in every version. */
static bool plain_word(const char *w)
{
	if (!*w)
		return false;
	for (const char *p = w; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-+,./:=@_%", *p))
			return false;
	return true;
}

/* The path in the source stage of what COPY cp put at image path p (a folder's content, or the file). */
static const char *copied_from(struct cv *c, const struct copy *cp, const char *p, bool as_file)
{
	if (cp->nsrcs != 1 || strpbrk(cp->srcs[0], "*?[") || !ds_path_under(p, cp->dest))
		return NULL;
	const char *src = ds_path_join(c->a, "/", cp->srcs[0]);
	const char *rest = p + strlen(cp->dest);
	if (!strcmp(cp->dest, "/"))
		rest = p;
	if (as_file) {
		if (!*rest)
			return src;
		if (cp->dest_dir && !strcmp(rest + 1, ds_str_basename(src)))
			return src;
		return NULL;
	}
	return *rest ? ds_path_join(c->a, src, rest + 1) : NULL;
}

/* The folder of path p (p without its last component). */
static const char *dir_of(struct cv *c, const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s != p ? ds_arena_strndup(c->a, p, (size_t)(s - p)) : "/";
}

/* The folder of context path p: "." for one at the root. */
static const char *ctx_dir(struct cv *c, const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? ds_arena_strndup(c->a, p, (size_t)(s - p)) : ".";
}

/* The words of an option variable the script reads, as the image sets it; false (with *why) when distill cannot split it. */
static bool env_words(struct cv *c, const char *name, const char ***v, size_t *n, size_t *cap, const char **why)
{
	bool known;
	const char *val = ds_image_model_env(&c->im0, name, &known);
	if (!known) {
		*why = ds_arena_printf(c->a, "the script reads %s, whose value in the image is unknown", name);
		return false;
	}
	for (const char *p = val ? val : ""; *p;) {
		p += strspn(p, " \t\n");
		size_t l = strcspn(p, " \t\n");
		if (!l)
			break;
		char *w = ds_arena_strndup(c->a, p, l);
		if (!plain_word(w)) {
			*why = ds_arena_printf(c->a, "the script splits %s as xargs does, and distill follows plain words only: %s", name, val);
			return false;
		}
		*v = ds_arena_grow(c->a, *v, sizeof **v, *n, cap);
		(*v)[(*n)++] = w;
		p += l;
	}
	return true;
}

/* Reads context file rel into a gfile; NULL with *why when it is not there. */
static struct gfile *open_gfile(struct cv *c, const char *rel, const char **why)
{
	size_t len;
	enum ds_context_miss miss;
	const char *text = ds_context_read(c->ctx, rel, c->a, &len, &miss);
	if (!text) {
		*why = ds_arena_printf(c->a, "'%s' in the build context is %s", rel, ds_context_miss_name(miss));
		return NULL;
	}
	struct gfile *f = ds_arena_zalloc(c->a, sizeof *f);
	f->path = rel;
	f->text = text;
	f->len = len;
	return f;
}

/*
 * The context path of Gradle file NAME.gradle or NAME.gradle.kts in image
 * folder dir of a builder, as its COPYs put it there; NULL when neither is
 * copied from the context (*mapped: a COPY would put it, but the context
 * does not have it).
 */
static const char *gradle_source(struct cv *c, struct an *ban, const char *dir, const char *name, bool *mapped)
{
	static const char *const ext[] = { "gradle", "gradle.kts", NULL };
	*mapped = false;
	for (size_t i = 0; ext[i]; i++) {
		const char *s = cv_context_source(c, ban, ds_arena_printf(c->a, "%s/%s.%s", dir, name, ext[i]));
		if (!s)
			continue;
		*mapped = true;
		while (ds_str_has_prefix(s, "./"))
			s += 2;
		size_t len;
		enum ds_context_miss miss;
		if (ds_context_read(c->ctx, s, c->a, &len, &miss) || miss != DS_CTX_MISSING)
			return s;
	}
	return NULL;
}

/* The installDist of project folder proj in a RUN of ban: the RUN (and *root, the folder gradle ran in), or NULL. */
static const struct run *install_run(struct cv *c, struct an *ban, const char *proj, const char **root,
				     const char **bad_opt)
{
	static const char *const moved[] = { "-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file", "-I",
					     "--init-script", NULL };
	const struct run *found = NULL;
	for (size_t i = 0; i < ban->nruns; i++) {
		const struct run *r = &ban->runs[i];
		const char *cwd = r->cwd;
		for (size_t j = 0; r->ok && j < r->n; j++) {
			const struct ds_shell_cmd *cmd = &r->cmds[j];
			if (!cmd->argc || cmd->depth)
				continue;
			const char *name = ds_shell_cmd_name(cmd);
			if (!strcmp(name, "cd") && cmd->argc == 2 && !cmd->argv[1].expands) {
				cwd = ds_path_join(c->a, cwd, cmd->argv[1].text);
				continue;
			}
			size_t k = 1;
			if ((!strcmp(name, "sh") || !strcmp(name, "bash")) && cmd->argc > 1 &&
			    !strcmp(ds_str_basename(cmd->argv[1].text), "gradlew")) {
				name = "gradlew";
				k = 2;
			}
			if (strcmp(name, "gradle") && strcmp(name, "gradlew"))
				continue;
			const char *opt = NULL;
			bool hit = false;
			for (; k < cmd->argc; k++) {
				const char *w = cmd->argv[k].text;
				if (ds_str_in_list(w, moved))
					opt = w;
				if (k > 1 && (!strcmp(cmd->argv[k - 1].text, "-x") || !strcmp(cmd->argv[k - 1].text, "--exclude-task")))
					continue;
				if (!strcmp(w, "installDist")) {
					/* run in a folder, it installs every project under it that has the task */
					hit = hit || !strcmp(cwd, proj) || ds_path_under(proj, cwd);
				} else if (ds_str_has_suffix(w, ":installDist")) {
					char *path = ds_arena_strndup(c->a, w, strlen(w) - strlen(":installDist"));
					for (char *p = path; *p; p++)
						if (*p == ':')
							*p = '/';
					hit = hit || !strcmp(ds_path_join(c->a, cwd, path[0] == '/' ? path + 1 : path), proj);
				}
			}
			if (hit && opt) {
				*bad_opt = opt;
				return NULL;
			}
			if (hit) {
				found = r;
				*root = cwd;
			}
		}
	}
	return found;
}

/* Plugins a build applies: core ones need nothing; with buildSrc or an included build, the others must be read there. */
static const char *read_plugins(struct cv *c, struct an *ban, const char *root, bool include_build, struct gbuild *g)
{
	static const char *const core[] = { "java", "java-library", "application", "idea", "eclipse", "distribution", "groovy",
					    "scala", "jacoco", "checkstyle", "pmd", "maven-publish", "signing", "base", "antlr",
					    "war", "ear", "java-platform", "jvm-test-suite", "java-test-fixtures", "version-catalog",
					    NULL };
	const char *bsrc = cv_context_source(c, ban, ds_arena_printf(c->a, "%s/buildSrc", root));
	bool has_bsrc = bsrc && ds_context_is_dir(c->ctx, bsrc);
	for (size_t i = 0; i < g->nplugins && i < 32; i++) {
		const char *id = g->plugins[i];
		if (ds_str_in_list(id, core) || ds_str_has_prefix(id, "org.gradle."))
			continue;
		const char *src = NULL;
		if (has_bsrc) {
			static const char *const where[] = { "src/main/groovy/%s.gradle", "src/main/kotlin/%s.gradle.kts", NULL };
			for (size_t k = 0; where[k] && !src; k++) {
				const char *p = ds_arena_printf(c->a, "%s/%s", bsrc, ds_arena_printf(c->a, where[k], id));
				size_t len;
				enum ds_context_miss miss;
				if (ds_context_read(c->ctx, p, c->a, &len, &miss))
					src = p;
			}
		}
		if (!src && (has_bsrc || include_build))
			return ds_arena_printf(c->a, "the build applies the plugin '%s', which %s defines and distill does not read",
					       id, has_bsrc ? "buildSrc" : "an included build");
		if (src) {
			/* a precompiled script plugin: its settings are the project's */
			const char *why;
			struct gfile *f = open_gfile(c, src, &why);
			if (!f)
				return why;
			read_gradle(c, f, g, false);
		}
	}
	return NULL;
}

/* Where a start script of the image comes from. */
struct gloc {
	const char *name;   /* the script's name */
	const char *home;   /* APP_HOME in the image */
	const char *proj;   /* the project's folder in the builder */
	const char *root;   /* the folder gradle ran in */
	const char *what;   /* "'IP' is Gradle's start script ...", for messages */
	const char *blabel; /* the builder stage, for messages */
	struct an ban;      /* the builder's chain, its COPYs cut at the installDist RUN */
};

/*
 * Follows image path ip back to .../build/install/DIST/bin/NAME of a
 * builder stage (copied with its lib/), or of the final chain itself when
 * a RUN of it built the script in place, and to the RUN of installDist.
 * Returns 1 with *L filled, 0 when ip is not such a script, -1 with *msg.
 */
static int locate(struct cv *c, struct an *an, const char *ip, struct gloc *L, const char **msg)
{
	memset(L, 0, sizeof *L);
	L->name = ds_str_basename(ip);
	const char *bin = dir_of(c, ip);
	if (strcmp(ds_str_basename(bin), "bin"))
		return 0;
	const struct copy *cp = cv_copy_putting(an, ip);
	const char *bp = NULL;
	if (cp && cp->from >= 0) {
		bp = copied_from(c, cp, ip, false);
		if (!bp || !strstr(bp, "/build/install/"))
			bp = copied_from(c, cp, ip, true);
	} else {
		/* not from the context: a RUN of the final chain may have built it */
		const char *s = cp && c->ctx ? cv_context_source(c, an, ip) : NULL;
		size_t len;
		enum ds_context_miss miss = DS_CTX_MISSING;
		if (!s || (!ds_context_read(c->ctx, s, c->a, &len, &miss) && miss == DS_CTX_MISSING))
			bp = ip;
	}
	if (!bp)
		return 0;
	const char *bbin = dir_of(c, bp), *bhome = dir_of(c, bbin), *inst = dir_of(c, bhome);
	if (strcmp(ds_str_basename(bp), L->name) || strcmp(ds_str_basename(bbin), "bin") ||
	    !ds_str_has_suffix(inst, "/build/install"))
		return 0;
	L->proj = ds_arena_strndup(c->a, inst, strlen(inst) - strlen("/build/install"));
	if (!*L->proj)
		L->proj = "/";
	L->home = dir_of(c, bin);
	const struct ds_stage *bst = bp == ip ? c->fs : cv_stage_at(c, cp->from);
	L->blabel = bst ? cv_stage_label(c, bst) : "the builder";
	L->what = ds_arena_printf(c->a, "'%s' is Gradle's start script build/install/%s/bin/%s of %s", ip,
				  ds_str_basename(bhome), L->name, L->blabel);
	/* from here on it is one: a reason is owed when it cannot be followed */
	if (!c->has_cls || !c->cls.language || strcmp(c->cls.language, "java")) {
		*msg = ds_arena_printf(c->a, "%s; it runs java, which '%s' does not hold as a java image distill knows", L->what,
				       c->root && c->root->base ? c->root->base : "the final image");
		return -1;
	}
	if (bp != ip) {
		const char *probe = ds_arena_printf(c->a, "%s/lib/x.jar", L->home);
		const struct copy *lcp = cv_copy_putting(an, probe);
		const char *lsrc = lcp && lcp->from == cp->from ? copied_from(c, lcp, probe, false) : NULL;
		if (!lsrc || strcmp(lsrc, ds_arena_printf(c->a, "%s/lib/x.jar", bhome))) {
			*msg = ds_arena_printf(c->a, "%s, and its lib/ folder does not come with it to '%s/lib'", L->what, L->home);
			return -1;
		}
	}
	if (!bst || !c->ctx) {
		*msg = ds_arena_printf(c->a, "%s; what it runs is in the build file, and %s", L->what,
				       c->ctx ? "the builder stage is unknown" : "the build context is not read (no --context)");
		return -1;
	}
	bool sure = cv_analyze_stage_chain(c, bst, &L->ban);
	const char *bad_opt = NULL;
	const struct run *run = install_run(c, &L->ban, L->proj, &L->root, &bad_opt);
	if (!run && bp == ip && !bad_opt)
		return 0; /* nothing built it in place: not one of these */
	if (!run) {
		*msg = bad_opt ? ds_arena_printf(c->a, "%s, with the option '%s', which moves the build distill would read", L->what,
						 bad_opt)
			       : ds_arena_printf(c->a, "%s, but no RUN of %s runs 'gradle installDist' for '%s'", L->what, L->blabel,
						 L->proj);
		return -1;
	}
	if (!sure) {
		*msg = ds_arena_printf(c->a, "%s, in a folder that depends on the WORKDIR of %s's image, which distill does not know",
				       L->what, L->blabel);
		return -1;
	}
	/* the files as the COPYs before that RUN put them */
	size_t nc = 0;
	while (nc < L->ban.ncopies && L->ban.copies[nc].in < run->in)
		nc++;
	L->ban.ncopies = nc;
	return 1;
}

/*
 * Reads the project's build file (and the precompiled plugins it applies
 * from buildSrc) into g, the settings into s; for a subproject, checks that
 * the settings include it and the root build file leaves the application
 * alone. Returns NULL, or why distill cannot read what the script runs.
 */
static const char *read_project(struct cv *c, struct gloc *L, struct gbuild *g, struct gbuild *s, const char **src,
				const char **ssrc)
{
	bool mapped;
	*src = gradle_source(c, &L->ban, L->proj, "build", &mapped);
	if (!*src)
		return mapped ? ds_arena_printf(c->a, "its build file ('%s/build.gradle' or '.kts' in the image) is not in the build context",
						L->proj)
			      : ds_arena_printf(c->a, "no COPY of %s brings its build file ('%s/build.gradle' or '.kts') from the build context",
						L->blabel, L->proj);
	const char *why = NULL;
	struct gfile *bf = open_gfile(c, *src, &why);
	if (!bf)
		return why;
	read_gradle(c, bf, g, false);
	*ssrc = gradle_source(c, &L->ban, L->root, "settings", &mapped);
	struct gfile *sf = *ssrc ? open_gfile(c, *ssrc, &why) : NULL;
	if (*ssrc && !sf)
		return why;
	if (sf)
		read_gradle(c, sf, s, true);
	if (strcmp(L->root, L->proj)) {
		/* a subproject: the settings include it, and the root build file leaves the application alone */
		const char *rel = L->proj + strlen(L->root) + (strcmp(L->root, "/") ? 1 : 0);
		bool incl = false;
		for (size_t i = 0; i < s->nincludes && !incl; i++) {
			char *p = ds_arena_strdup(c->a, s->includes[i] + (s->includes[i][0] == ':'));
			for (char *q = p; *q; q++)
				if (*q == ':')
					*q = '/';
			incl = !strcmp(p, rel);
		}
		if (!incl)
			return ds_arena_printf(c->a, "the settings of '%s' do not include the project '%s' as distill reads them", L->root,
					       rel);
		const char *rsrc = gradle_source(c, &L->ban, L->root, "build", &mapped);
		struct gfile *rf = rsrc ? open_gfile(c, rsrc, &why) : NULL;
		if (rsrc && !rf)
			return why;
		if (rf) {
			static const char *const app_words[] = { "application", "mainClass", "mainClassName", "applicationName",
								 "applicationDefaultJvmArgs", "startScripts", "CreateStartScripts",
								 "applicationDistribution", "unixStartScriptGenerator", NULL };
			lex(c, rf);
			if (rf->bad)
				return ds_arena_printf(c->a, "'%s' cannot be read: %s", rsrc, rf->bad);
			for (size_t i = 0; i < rf->n; i++)
				if (rf->t[i].k == TK_ID && ds_str_in_list(rf->t[i].v, app_words))
					return ds_arena_printf(c->a, "the root build file '%s' touches the application too ('%s', line %u)", rsrc,
							       rf->t[i].v, rf->t[i].line);
		}
	}
	if (s->refuse || g->refuse)
		return s->refuse ? s->refuse : g->refuse;
	if ((why = read_plugins(c, &L->ban, L->root, s->include_build, g)))
		return why;
	const char *dist = ds_arena_printf(c->a, "%s/src/dist", ctx_dir(c, *src));
	if (ds_context_is_dir(c->ctx, ds_arena_printf(c->a, "%s/lib", dist)) ||
	    ds_context_is_dir(c->ctx, ds_arena_printf(c->a, "%s/bin", dist)))
		return ds_arena_printf(c->a, "the distribution takes in '%s', whose bin/ or lib/ distill does not follow", dist);
	return g->start_refuse;
}

/* What the script runs, as the build file sets it. */
struct gpick {
	const char *main;      /* the main class */
	const char *ovar;      /* NAME_OPTS */
	const struct gval *jvm;/* the default JVM options */
	const char *by;        /* the task that writes the script, for messages */
};

/*
 * Which task wrote bin/NAME (a CreateStartScripts task of that name, else
 * the plugin's startScripts) and what it runs. Returns NULL, or why
 * distill cannot tell.
 */
static const char *pick(struct cv *c, const struct gloc *L, const struct gbuild *g, const struct gbuild *s,
			const char *src, const char *ssrc, struct gpick *P)
{
	const struct gtask *tk = NULL;
	for (size_t i = 0; i < g->ntasks; i++) {
		const struct gtask *t = &g->tasks[i];
		if (t->app.set && !t->app.s)
			return ds_arena_printf(c->a, "the task '%s' of '%s' computes its script's name, line %u: %s", t->name, src,
					       t->app.line, t->app.expr);
		if (t->app.s && !strcmp(t->app.s, L->name))
			tk = t;
	}
	const struct gval *mv;
	if (tk) {
		P->by = ds_arena_printf(c->a, "the task '%s' of '%s'", tk->name, src);
		if (tk->refuse)
			return ds_arena_printf(c->a, "%s writes it, and %s", P->by, tk->refuse);
		if (!tk->in_bin)
			return ds_arena_printf(c->a, "%s writes it, and distill cannot see it reach bin/ (from(%s) inside into('bin'))",
					       P->by, tk->name);
		if (!tk->cp.set)
			return ds_arena_printf(c->a, "%s writes it without a class path distill can read", P->by);
		if (tk->optsvar.set && !tk->optsvar.s)
			return ds_arena_printf(c->a, "%s computes its options variable, line %u: %s", P->by, tk->optsvar.line,
					       tk->optsvar.expr);
		P->ovar = tk->optsvar.set ? tk->optsvar.s : opts_var(c, L->name);
		mv = &tk->main;
		P->jvm = &tk->jvm;
	} else {
		P->by = ds_arena_printf(c->a, "the application plugin's startScripts task ('%s')", src);
		const char *app = g->app.s;
		if (!app && !g->app.set) {
			/* the project's name: the root's from the settings, else its folder's */
			if (!strcmp(L->root, L->proj) && s->root_name.set)
				app = s->root_name.s;
			else if (strcmp(L->proj, "/"))
				app = ds_str_basename(L->proj);
		}
		if (g->app_refuse)
			return g->app_refuse;
		if (!g->app_plugin)
			return ds_arena_printf(c->a, "'%s' does not apply the application plugin where distill can see it", src);
		if (g->scripts_off)
			return ds_arena_printf(c->a, "'%s' turns the startScripts task off, and no task of its own writes bin/%s", src,
					       L->name);
		if (!app)
			return g->app.set ? ds_arena_printf(c->a, "the application's name in '%s' is computed, line %u: %s", src,
							    g->app.line, g->app.expr)
					  : ds_arena_printf(c->a, "the root project's name in '%s' is computed, line %u: %s", ssrc,
							    s->root_name.line, s->root_name.expr);
		if (strcmp(app, L->name))
			return ds_arena_printf(c->a, "'%s' writes the start script bin/%s, not bin/%s", src, app, L->name);
		P->ovar = opts_var(c, app);
		mv = &g->main;
		P->jvm = &g->jvm;
	}
	P->main = mv->s;
	if (!P->main)
		return mv->set ? ds_arena_printf(c->a, "the main class of %s is computed, line %u: %s", P->by, mv->line, mv->expr)
			       : ds_arena_printf(c->a, "%s sets no main class distill can see", P->by);
	if (strspn(P->main, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.") != strlen(P->main) ||
	    P->main[0] == '.' || isdigit((unsigned char)P->main[0]))
		return ds_arena_printf(c->a, "the main class '%s' of %s is not a plain class name", P->main, P->by);
	if (P->jvm->set && P->jvm->expr)
		return ds_arena_printf(c->a, "the default JVM options of %s are computed, line %u: %s", P->by, P->jvm->line,
				       P->jvm->expr);
	for (size_t i = 0; P->jvm->set && i < P->jvm->n; i++)
		if (!plain_word(P->jvm->list[i]))
			return ds_arena_printf(c->a, "the default JVM option '%s' of %s is not a plain word", P->jvm->list[i], P->by);
	return NULL;
}

static void push_word(struct cv *c, const char ***v, size_t *n, size_t *cap, const char *w)
{
	*v = ds_arena_grow(c->a, *v, sizeof **v, *n, cap);
	(*v)[(*n)++] = w;
}

int cv_gradle_start_script(struct cv *c, struct an *an, const char *ip, const char ***outv, size_t *outn,
			   const char **msg)
{
	struct gloc L;
	int r = locate(c, an, ip, &L, msg);
	if (r <= 0)
		return r;
	struct gbuild *g = ds_arena_zalloc(c->a, sizeof *g), *s = ds_arena_zalloc(c->a, sizeof *s);
	struct gpick P = { 0 };
	const char *src = NULL, *ssrc = NULL;
	const char *why = read_project(c, &L, g, s, &src, &ssrc);
	if (!why)
		why = pick(c, &L, g, s, src, ssrc, &P);
	if (why) {
		*msg = ds_arena_printf(c->a, "%s; distill cannot tell what it runs: %s", L.what, why);
		return -1;
	}
	/* JAVACMD: $JAVA_HOME/bin/java, a java the Dockerfile chose when it sets JAVA_HOME */
	const uint32_t *jh = ds_hmap_get(&c->im0.env.idx, "JAVA_HOME", 9);
	if (jh && c->im0.env.v[*jh].where) {
		*msg = ds_arena_printf(c->a, "%s; it runs $JAVA_HOME/bin/java, and the Dockerfile sets JAVA_HOME ('%s')", L.what,
				       c->im0.env.v[*jh].value ? c->im0.env.v[*jh].value : "unknown");
		return -1;
	}
	/* java DEFAULT_JVM_OPTS $JAVA_OPTS $NAME_OPTS -classpath APP_HOME/lib/... MAIN */
	const char **v = NULL;
	size_t n = 0, cap = 0;
	push_word(c, &v, &n, &cap, "java");
	for (size_t i = 0; P.jvm->set && i < P.jvm->n; i++)
		push_word(c, &v, &n, &cap, P.jvm->list[i]);
	if (!env_words(c, "JAVA_OPTS", &v, &n, &cap, &why) || !env_words(c, P.ovar, &v, &n, &cap, &why)) {
		*msg = ds_arena_printf(c->a, "%s; %s", L.what, why);
		return -1;
	}
	for (size_t i = 1; i < n; i++)
		if (strstr(v[i], "MaxFDLimit")) {
			*msg = ds_arena_printf(c->a, "%s; its JVM options set MaxFDLimit, so java would not raise the open-files limit the script raises",
					       L.what);
			return -1;
		}
	push_word(c, &v, &n, &cap, "-classpath");
	push_word(c, &v, &n, &cap, ds_arena_printf(c->a, "%s/lib/*", L.home));
	push_word(c, &v, &n, &cap, P.main);
	*outv = v;
	*outn = n;
	*msg = ds_arena_printf(c->a,
			       "%s, by %s: it runs java with the main class '%s'%s and the class path '%s/lib/*', which takes the "
			       "jars of lib/ in the order the folder lists them instead of Gradle's (the project's jar first, then "
			       "its dependencies): this matters only when two jars hold the same class or resource; JAVA_OPTS and "
			       "%s, which the script read at container start, now take effect only as set in the Dockerfile, java "
			       "is the runtime's instead of $JAVA_HOME/bin/java, and the open-files limit the script raised "
			       "(ulimit -n) the JVM raises itself (-XX:+MaxFDLimit)",
			       L.what, P.by, P.main, P.jvm->set && P.jvm->n ? " and the default JVM options" : "", L.home, P.ovar);
	return 1;
}
