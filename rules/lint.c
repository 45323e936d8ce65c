/* lint.c - the rule table, finding reports, and the lint engine: families, pragmas, config. */
#include "rules/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "analyze/model.h"
#include "rules/config.h"

const struct ds_rule_info ds_rules[DS_R__COUNT] = {
#define DS_RULE(code, slug, sev, fix, summary, explain) \
	{ #code, slug, DS_SEV_##sev, fix, summary, explain },
#include "rules/rules.def"
#undef DS_RULE
};

const struct ds_rule_info *ds_rule_find(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < DS_R__COUNT; i++)
		if (!strcasecmp(ds_rules[i].code, code))
			return &ds_rules[i];
	return NULL;
}

int ds_rule_index(const char *code)
{
	const struct ds_rule_info *r = ds_rule_find(code);
	return r ? (int)(r - ds_rules) : -1;
}

void ds_lint_config_init(struct ds_lint_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < DS_R__COUNT; i++)
		cfg->override[i] = DS_SEV_NONE;
	cfg->target = "distroless";
}

bool ds_lint_rule_enabled(const struct ds_lint_ctx *c, enum ds_rule_id id)
{
	const struct ds_lint_config *cfg = c->cfg;
	if (cfg && cfg->ignored[id])
		return false;
	if (cfg && cfg->has_override[id])
		return cfg->override[id] != DS_SEV_NONE;
	return ds_rules[id].sev != DS_SEV_NONE;
}

static void vreport(struct ds_lint_ctx *c, enum ds_rule_id id, uint32_t off, uint32_t end,
		    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void vreport(struct ds_lint_ctx *c, enum ds_rule_id id, uint32_t off, uint32_t end,
		    const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	ds_diags_add(c->out, c->a, ds_rules[id].sev, ds_rules[id].code, off, end, msg);
}

void ds_lint_report(struct ds_lint_ctx *c, enum ds_rule_id id, uint32_t off, uint32_t end,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, id, off, end, fmt, ap);
	va_end(ap);
}

void ds_lint_report_instr(struct ds_lint_ctx *c, enum ds_rule_id id, const struct ds_instr *in,
			  const char *fmt, ...)
{
	/* keyword to the end of its first physical line */
	uint32_t off = in->kw_span.off, end = in->line_span.end;
	const char *s = c->df->src->data;
	const char *nl = memchr(s + off, '\n', end > off ? end - off : 0);
	if (nl)
		end = (uint32_t)(nl - s);
	while (end > off && (s[end - 1] == '\r' || s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	va_list ap;
	va_start(ap, fmt);
	vreport(c, id, off, end, fmt, ap);
	va_end(ap);
}

static void dl1001(struct ds_lint_ctx *c);

void ds_lint_collect(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		     const struct ds_catalog *cat, const struct ds_lint_config *cfg,
		     struct ds_diags *out)
{
	struct ds_lint_config defaults;
	if (!cfg) {
		ds_lint_config_init(&defaults);
		cfg = &defaults;
	}
	struct ds_lint_ctx c = { a, df, m, cat, cfg, out };
	ds_source_lines(df->src, a);
	ds_rules_dst_final(&c);
	ds_rules_dst_images(&c);
	ds_rules_dst_structure(&c);
	ds_rules_dl(&c);
	dl1001(&c);
}

/* ---- pragmas ---- */

enum pragma_scope { P_INSTR, P_GLOBAL, P_STAGE };

/* A list of rule codes named by pragmas. */
struct codes {
	const char **v;
	size_t n, cap;
};

static bool codes_has(const struct codes *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i], code))
			return true;
	return false;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Matches word at *p (case-sensitive, as hadolint's parser) followed by a space or tab when sep; advances past the blanks. */
static bool eat_word(const char **p, const char *word, bool sep)
{
	size_t n = strlen(word);
	if (strncmp(*p, word, n))
		return false;
	const char *q = *p + n;
	if (sep && !is_space(*q))
		return false;
	while (is_space(*q))
		q++;
	*p = q;
	return true;
}

/* A rule name in a pragma: hadolint's form takes upper-case codes, distill's also BuildKit names and slugs. */
static bool name_char(char ch, bool distill)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (distill && ((ch >= 'a' && ch <= 'z') || ch == '-'));
}

/*
 * Parses "hadolint [global|stage] ignore=A,B" (or "distill ...") from
 * comment text t (after the '#') as hadolint's Pragma parser does: the
 * whole comment must be the pragma, optionally followed by a '#' comment,
 * and a name outside the allowed characters ("ignore=crazy,DL3002")
 * makes it no pragma at all. Returns true and appends the names to l
 * when it is a valid pragma of scope want.
 */
static bool parse_pragma(struct ds_arena *a, const char *t, enum pragma_scope want, struct codes *l)
{
	const char *p = t;
	while (is_space(*p))
		p++;
	bool distill = eat_word(&p, "distill", true);
	if (!distill && !eat_word(&p, "hadolint", true))
		return false;
	enum pragma_scope scope = P_INSTR;
	if (eat_word(&p, "global", true))
		scope = P_GLOBAL;
	else if (eat_word(&p, "stage", true))
		scope = P_STAGE;
	if (scope != want || !eat_word(&p, "ignore", false) || !eat_word(&p, "=", false))
		return false;
	size_t first = l->n;
	for (;;) {
		const char *b = p;
		while (name_char(*p, distill))
			p++;
		if (p == b)
			break;
		l->v = ds_arena_grow(a, l->v, sizeof *l->v, l->n, &l->cap);
		l->v[l->n++] = ds_arena_strndup(a, b, (size_t)(p - b));
		const char *q = p;
		while (is_space(*q))
			q++;
		if (*q != ',')
			break;
		q++;
		while (is_space(*q))
			q++;
		p = q;
	}
	while (is_space(*p))
		p++;
	if (l->n == first || (*p && *p != '#' && *p != '\r' && *p != '\n')) {
		l->n = first;
		return false;
	}
	return true;
}

/* The text after '#' of source line ln when it is a comment line, else NULL (arena copy). */
static const char *comment_line(struct ds_arena *a, const struct ds_source *src, uint32_t ln)
{
	if (ln < 1 || ln > src->nlines)
		return NULL;
	size_t b, len;
	ds_source_line_text(src, ln, &b, &len);
	size_t i = b, e = b + len;
	while (i < e && is_space(src->data[i]))
		i++;
	if (i >= e || src->data[i] != '#')
		return NULL;
	return ds_arena_strndup(a, src->data + i + 1, e - i - 1);
}

/* The pragma of scope want on the line just above in (hadolint: the next line only), appended to l. */
static void line_pragma(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_instr *in,
			enum pragma_scope want, struct codes *l)
{
	const char *t = comment_line(a, df->src, in->start_line - 1);
	if (t)
		parse_pragma(a, t, want, l);
}

/* Whether s[0..n) contains word. */
static bool contains(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; i + w <= n; i++)
		if (!strncmp(s + i, word, w))
			return true;
	return false;
}

/*
 * Calls fn for every comment line of the file outside here-document bodies
 * whose text contains word, with its line number and the text after '#'.
 */
static void each_comment(struct ds_arena *a, const struct ds_dockerfile *df, const char *word,
			 void (*fn)(void *ctx, uint32_t line, const char *text), void *ctx)
{
	const struct ds_source *src = df->src;
	const char *s = src->data;
	/* heredoc bodies in file order, so script comments are skipped */
	struct ds_span *bodies = NULL;
	size_t nb = 0, capb = 0;
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		for (const struct ds_instr *x = in; x; x = x->sub)
			for (uint32_t k = 0; k < x->nheredocs; k++) {
				bodies = ds_arena_grow(a, bodies, sizeof *bodies, nb, &capb);
				bodies[nb++] = x->heredocs[k].body;
			}
	}
	size_t j = 0;
	for (size_t ln = 1; ln <= src->nlines; ln++) {
		size_t b, len;
		ds_source_line_text(src, (uint32_t)ln, &b, &len);
		size_t i = b, e = b + len;
		while (i < e && is_space(s[i]))
			i++;
		if (i >= e || s[i] != '#' || !contains(s + i, e - i, word))
			continue;
		while (j < nb && bodies[j].end <= b)
			j++;
		if (j < nb && b >= bodies[j].off)
			continue;
		fn(ctx, (uint32_t)ln, ds_arena_strndup(a, s + i + 1, e - i - 1));
	}
}

struct global_ctx {
	struct ds_arena *a;
	struct codes *l;
};

static void global_one(void *ctx, uint32_t line, const char *text)
{
	struct global_ctx *g = ctx;
	(void)line;
	parse_pragma(g->a, text, P_GLOBAL, g->l);
}

/* Global pragmas: every comment line of the file outside heredoc bodies. */
static void global_pragmas(struct ds_arena *a, const struct ds_dockerfile *df, struct codes *l)
{
	struct global_ctx g = { a, l };
	each_comment(a, df, "global", global_one, &g);
}

struct shell_ctx {
	struct ds_arena *a;
	struct ds_shell_pragma *v;
	size_t n, cap;
};

static void shell_one(void *ctx, uint32_t line, const char *text)
{
	struct shell_ctx *c = ctx;
	const char *p = text;
	while (is_space(*p))
		p++;
	if ((!eat_word(&p, "hadolint", true) && !eat_word(&p, "distill", true)) || !eat_word(&p, "shell", false) ||
	    !eat_word(&p, "=", false))
		return;
	const char *b = p;
	while (*p && !is_space(*p) && *p != '\r' && *p != '\n')
		p++;
	if (p == b)
		return;
	const char *e = p;
	while (is_space(*p))
		p++;
	if (*p && *p != '#' && *p != '\r' && *p != '\n')
		return;
	c->v = ds_arena_grow(c->a, c->v, sizeof *c->v, c->n, &c->cap);
	c->v[c->n].line = line;
	c->v[c->n].shell = ds_arena_strndup(c->a, b, (size_t)(e - b));
	c->n++;
}

size_t ds_lint_shell_pragmas(struct ds_arena *a, const struct ds_dockerfile *df, struct ds_shell_pragma **out)
{
	struct shell_ctx c = { a, NULL, 0, 0 };
	ds_source_lines(df->src, a);
	each_comment(a, df, "shell", shell_one, &c);
	*out = c.v;
	return c.n;
}

bool ds_shell_is_posix(const char *shell)
{
	static const char *const nonposix[] = { "pwsh", "powershell", "cmd", NULL };
	for (const char *const *n = nonposix; *n; n++)
		if (strstr(shell, *n))
			return false;
	return true;
}

/* The top-level instruction whose span holds off, or -1. */
static long instr_at(const struct ds_dockerfile *df, size_t off)
{
	size_t lo = 0, hi = df->ninstrs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (df->instrs[mid].span.off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	const struct ds_instr *in = &df->instrs[lo - 1];
	return off <= in->span.end ? (long)(lo - 1) : -1;
}

static const struct ds_extra_rule *extra_find(const struct ds_config *cfg, const char *code)
{
	if (!cfg)
		return NULL;
	for (size_t i = 0; i < cfg->nextra; i++)
		if (!strcasecmp(cfg->extra[i].code, code))
			return &cfg->extra[i];
	return NULL;
}

/* Rule index of a diagnostic's code: the code pointer is the table's own string. */
static int diag_rule(const struct ds_diag *d)
{
	if (!d->code)
		return -1;
	for (size_t i = 0; i < DS_R__COUNT; i++)
		if (ds_rules[i].code == d->code)
			return (int)i;
	return ds_rule_index(d->code);
}

static size_t filter(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		     const struct ds_lint_config *lc, const struct ds_config *cfg, bool pragmas,
		     struct ds_diags *out, size_t from)
{
	struct codes global = { 0 };
	struct codes *per_instr = NULL, *per_stage = NULL;
	bool any_instr = false;
	if (pragmas && out->n > from) {
		ds_source_lines(df->src, a);
		global_pragmas(a, df, &global);
		for (uint32_t i = 0; i < df->ninstrs; i++) {
			if (!df->instrs[i].ncomments)
				continue;
			if (!per_instr)
				per_instr = ds_arena_zalloc(a, df->ninstrs * sizeof *per_instr);
			line_pragma(a, df, &df->instrs[i], P_INSTR, &per_instr[i]);
			any_instr |= per_instr[i].n > 0;
		}
		if (m && m->nstages) {
			per_stage = ds_arena_zalloc(a, m->nstages * sizeof *per_stage);
			for (uint32_t s = 0; s < m->nstages; s++)
				line_pragma(a, df, m->stages[s].from, P_STAGE, &per_stage[s]);
		}
	}
	size_t kept = from;
	for (size_t i = from; i < out->n; i++) {
		struct ds_diag d = out->v[i];
		const char *code = d.code ? d.code : "";
		if (global.n && codes_has(&global, code))
			continue;
		if ((any_instr || per_stage) && d.has_pos) {
			long k = instr_at(df, d.off);
			if (k >= 0 && any_instr && per_instr[k].n && codes_has(&per_instr[k], code))
				continue;
			if (k >= 0 && per_stage) {
				const struct ds_stage *st = ds_model_stage_of(m, (uint32_t)k);
				if (st && per_stage[st->index].n && codes_has(&per_stage[st->index], code))
					continue;
			}
		}
		int r = diag_rule(&d);
		if (r >= 0 && lc) {
			if (lc->ignored[r])
				continue;
			if (lc->has_override[r]) {
				if (lc->override[r] == DS_SEV_NONE)
					continue;
				d.sev = lc->override[r];
			} else if (ds_rules[r].sev == DS_SEV_NONE) {
				continue; /* off unless configured */
			}
		} else if (r >= 0 && ds_rules[r].sev == DS_SEV_NONE) {
			continue;
		} else if (r < 0) {
			const struct ds_extra_rule *x = extra_find(cfg, code);
			if (x && x->ignored)
				continue;
			if (x && x->has_override) {
				if (x->sev == DS_SEV_NONE)
					continue;
				d.sev = x->sev;
			}
		}
		out->v[kept++] = d;
	}
	out->n = kept;
	ds_diags_sort(out);
	return kept;
}

size_t ds_lint_filter(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		      const struct ds_config *cfg, struct ds_diags *out, size_t from)
{
	return filter(a, df, m, cfg ? &cfg->lint : NULL, cfg, !(cfg && cfg->disable_pragmas), out,
		      from) - from;
}

size_t ds_lint(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
	       const struct ds_catalog *cat, const struct ds_lint_config *cfg, struct ds_diags *out)
{
	size_t from = out->n;
	ds_lint_collect(a, df, m, cat, cfg, out);
	return filter(a, df, m, cfg, NULL, true, out, from) - from;
}

/* ---- DL1001: inline ignore pragmas (off unless enabled, as in hadolint) ---- */

struct dl1001_ctx {
	struct ds_lint_ctx *c;
};

static void dl1001_one(void *ctx, uint32_t line, const char *text)
{
	struct ds_lint_ctx *c = ((struct dl1001_ctx *)ctx)->c;
	struct codes l = { 0 };
	if (!parse_pragma(c->a, text, P_INSTR, &l))
		return;
	size_t b, len;
	ds_source_line_text(c->df->src, line, &b, &len);
	while (len && (c->df->src->data[b + len - 1] == '\r' || c->df->src->data[b + len - 1] == ' '))
		len--;
	ds_lint_report(c, DS_R_DL1001, (uint32_t)b, (uint32_t)(b + len),
		       "do not use inline ignore pragmas; configure ignored rules in the configuration file");
}

static void dl1001(struct ds_lint_ctx *c)
{
	if (!ds_lint_rule_enabled(c, DS_R_DL1001))
		return;
	struct dl1001_ctx x = { c };
	each_comment(c->a, c->df, "ignore", dl1001_one, &x);
}
