/* lint.c - the rule table, finding reports, and the lint engine: families, pragmas, config. */
#include "rules/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/arena.h"
#include "common/source.h"
#include "common/str.h"
#include "parser/ast.h"
#include "analyze/model.h"
#include "rules/config.h"

const struct ds_rule_info ds_rules[DS_R__COUNT] = {
#define DS_RULE(code, slug, sev, fix, summary, explain, bad, good) \
	{ #code, slug, DS_SEV_##sev, fix, summary, explain, bad, good },
#include "rules/rules.def"
#undef DS_RULE
};

/* The pairs of rules that say the same thing (DS_TWIN). */
static const enum ds_rule_id twin_pairs[][2] = {
#define DS_RULE(code, slug, sev, fix, summary, explain, bad, good)
#define DS_TWIN(buildkit, code) { DS_R_##buildkit, DS_R_##code },
#include "rules/rules.def"
#undef DS_TWIN
#undef DS_RULE
};

const struct ds_rule_info *ds_rule_find(const char *name)
{
	if (!name)
		return NULL;
	/* the first letter, in either case, settles most rows before strcasecmp */
	unsigned c = (unsigned char)name[0] | 0x20u;
	for (size_t i = 0; i < DS_R__COUNT; i++)
		if (((unsigned char)ds_rules[i].code[0] | 0x20u) == c && !strcasecmp(ds_rules[i].code, name))
			return &ds_rules[i];
	for (size_t i = 0; i < DS_R__COUNT; i++)
		if (((unsigned char)ds_rules[i].slug[0] | 0x20u) == c && !strcasecmp(ds_rules[i].slug, name))
			return &ds_rules[i];
	return NULL;
}

const char *ds_rule_suggest(const char *name)
{
	const char *codes[DS_R__COUNT + 1], *slugs[DS_R__COUNT + 1];
	for (size_t i = 0; i < DS_R__COUNT; i++) {
		codes[i] = ds_rules[i].code;
		slugs[i] = ds_rules[i].slug;
	}
	codes[DS_R__COUNT] = slugs[DS_R__COUNT] = NULL;
	const char *near = ds_str_suggest(name, strchr(name, '-') ? slugs : codes, true);
	return near ? near : ds_str_suggest(name, strchr(name, '-') ? codes : slugs, true);
}

enum ds_rule_family ds_code_family(const char *code)
{
	if (!strncmp(code, "SC", 2) && code[2] >= '0' && code[2] <= '9')
		return DS_FAM_SC;
	const struct ds_rule_info *r = ds_rule_find(code);
	return r ? ds_rule_family(r) : DS_FAM_DL;
}

enum ds_rule_family ds_rule_family(const struct ds_rule_info *r)
{
	if (!strncmp(r->code, "DST", 3))
		return DS_FAM_DST;
	if (!strncmp(r->code, "DL", 2))
		return DS_FAM_DL;
	return DS_FAM_BUILDKIT;
}

size_t ds_rule_twins(enum ds_rule_id id, enum ds_rule_id *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof twin_pairs / sizeof *twin_pairs; i++) {
		enum ds_rule_id other = twin_pairs[i][0] == id ? twin_pairs[i][1]
				      : twin_pairs[i][1] == id ? twin_pairs[i][0]
							       : DS_R__COUNT;
		if (other != DS_R__COUNT) {
			if (n < max)
				out[n] = other;
			n++;
		}
	}
	return n;
}

bool ds_rule_names(const char *name, const char *code)
{
	if (!name || !code)
		return false;
	if (!strcasecmp(name, code))
		return true;
	const struct ds_rule_info *a = ds_rule_find(name), *b = ds_rule_find(code);
	if (!a || !b)
		return false;
	if (a == b)
		return true;
	enum ds_rule_id tw[8];
	size_t n = ds_rule_twins((enum ds_rule_id)(b - ds_rules), tw, 8);
	for (size_t i = 0; i < n && i < 8; i++)
		if (&ds_rules[tw[i]] == a)
			return true;
	return false;
}

static const struct {
	const char *name, *what;
	unsigned fams;
} profiles[] = {
#define DS_PROFILE_ROW(e, name, fams, what) { name, what, fams },
	DS_PROFILES(DS_PROFILE_ROW)
#undef DS_PROFILE_ROW
};

int ds_profile_parse(const char *name)
{
	for (int i = 0; i < DS_PROFILE__COUNT; i++)
		if (!strcmp(name, profiles[i].name))
			return i;
	return -1;
}

const char *ds_profile_name(enum ds_profile p)
{
	return (unsigned)p < DS_PROFILE__COUNT ? profiles[p].name : "all";
}

unsigned ds_profile_families(enum ds_profile p)
{
	return (unsigned)p < DS_PROFILE__COUNT ? profiles[p].fams : DS_FAM_ALL;
}

const char *ds_profile_summary(enum ds_profile p)
{
	return (unsigned)p < DS_PROFILE__COUNT ? profiles[p].what : "";
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

bool ds_lint_family_on(const struct ds_lint_ctx *c, enum ds_rule_id id)
{
	unsigned fams = ds_profile_families(c->cfg ? c->cfg->profile : DS_PROFILE_ALL);
	return (fams & ds_rule_family(&ds_rules[id])) != 0;
}

int ds_lint_pick(const struct ds_lint_ctx *c, enum ds_rule_id primary, enum ds_rule_id twin)
{
	if (ds_lint_family_on(c, primary))
		return (int)primary;
	return ds_lint_family_on(c, twin) ? (int)twin : -1;
}

bool ds_lint_rule_enabled(const struct ds_lint_ctx *c, enum ds_rule_id id)
{
	const struct ds_lint_config *cfg = c->cfg;
	if (!ds_lint_family_on(c, id))
		return false;
	if (cfg && cfg->ignored[id])
		return false;
	if (cfg && cfg->has_override[id])
		return cfg->override[id] != DS_SEV_NONE;
	return ds_rules[id].sev != DS_SEV_NONE;
}

static void vreport(struct ds_lint_ctx *c, enum ds_rule_id id, enum ds_severity sev, uint32_t off, uint32_t end,
		    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void vreport(struct ds_lint_ctx *c, enum ds_rule_id id, enum ds_severity sev, uint32_t off, uint32_t end,
		    const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	ds_diags_add(c->out, c->a, sev, ds_rules[id].code, off, end, msg);
}

void ds_lint_report_sev(struct ds_lint_ctx *c, enum ds_rule_id id, enum ds_severity sev, uint32_t off, uint32_t end,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, id, sev, off, end, fmt, ap);
	va_end(ap);
}

void ds_lint_report(struct ds_lint_ctx *c, enum ds_rule_id id, uint32_t off, uint32_t end,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(c, id, ds_rules[id].sev, off, end, fmt, ap);
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
	vreport(c, id, ds_rules[id].sev, off, end, fmt, ap);
	va_end(ap);
}

static void dl1001(struct ds_lint_ctx *c);

void ds_lint_collect_file(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
			  const struct ds_catalog *cat, const struct ds_lint_config *cfg,
			  const struct ds_lint_file *file, struct ds_diags *out)
{
	struct ds_lint_config defaults;
	if (!cfg) {
		ds_lint_config_init(&defaults);
		cfg = &defaults;
	}
	static const struct ds_lint_file none;
	struct ds_lint_ctx c = { a, df, m, cat, cfg, out, file ? file : &none };
	ds_source_lines(df->src, a);
	ds_rules_dst_final(&c);
	ds_rules_dst_images(&c);
	ds_rules_dst_structure(&c);
	ds_rules_dl(&c);
	dl1001(&c);
	ds_rules_buildkit(&c);
}

void ds_lint_collect(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
		     const struct ds_catalog *cat, const struct ds_lint_config *cfg, struct ds_diags *out)
{
	ds_lint_collect_file(a, df, m, cat, cfg, NULL, out);
}

/* ---- pragmas ---- */

enum pragma_scope { P_INSTR, P_GLOBAL, P_STAGE };

/* A list of rule codes named by pragmas. */
struct codes {
	const char **v;
	size_t n, cap;
};

/* Whether a name of l stands for code: the code, its slug, or a twin's name (ds_rule_names). */
static bool codes_has(const struct codes *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (ds_rule_names(l->v[i], code))
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
	/* the first line may start with a byte-order mark, which BuildKit skips */
	if (b == 0 && len >= 3 && !memcmp(src->data, "\xef\xbb\xbf", 3))
		i = 3;
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
	if (!w)
		return true;
	/* the first letter's places by memchr: every comment line of every file is searched */
	for (const char *p = s, *end = s + n; (size_t)(end - p) >= w; p++) {
		if (!(p = memchr(p, word[0], (size_t)(end - p) - w + 1)))
			return false;
		if (!memcmp(p, word, w))
			return true;
	}
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

/* ---- BuildKit's `# check=` directive (frontend/dockerfile/linter/linter.go) ---- */

/* What `check=skip=...;error=...` asks for. */
struct check_cfg {
	bool skip_all, error;
	struct codes skip;
};

/* Go's strconv.ParseBool. */
static int parse_bool(const char *s, bool *out)
{
	static const char *const t[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const f[] = { "0", "f", "F", "FALSE", "false", "False" };
	for (size_t i = 0; i < 6; i++) {
		if (!strcmp(s, t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, f[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* s[0..n) without the blanks around it, as an arena string (Go's strings.TrimSpace for ASCII). */
static char *trimmed(struct ds_arena *a, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
		     s[n - 1] == '\v' || s[n - 1] == '\f'))
		n--;
	return ds_arena_strndup(a, s, n);
}

/*
 * BuildKit's ParseLintOptions: up to three ';'-separated key=value parts,
 * skip=all or skip=A,B, error=BOOL, experimental=...; anything else makes
 * the whole value invalid (-1, *out untouched). Merges into *out.
 */
static int parse_check(struct ds_arena *a, const char *value, struct check_cfg *out)
{
	char *v = trimmed(a, value, strlen(value));
	if (!*v)
		return 0;
	struct check_cfg c = { 0 };
	char *p = v;
	for (int part = 0; p; part++) {
		char *semi = part < 2 ? strchr(p, ';') : NULL;
		if (semi)
			*semi = '\0';
		char *eq = strchr(p, '=');
		if (!eq)
			return -1;
		char *k = trimmed(a, p, (size_t)(eq - p));
		char *val = trimmed(a, eq + 1, strlen(eq + 1));
		if (!strcmp(k, "skip")) {
			if (!strcmp(val, "all")) {
				c.skip_all = true;
			} else {
				for (char *q = val; q;) {
					char *comma = strchr(q, ',');
					if (comma)
						*comma = '\0';
					c.skip.v = ds_arena_grow(a, c.skip.v, sizeof *c.skip.v, c.skip.n, &c.skip.cap);
					c.skip.v[c.skip.n++] = trimmed(a, q, strlen(q));
					q = comma ? comma + 1 : NULL;
				}
			}
		} else if (!strcmp(k, "error")) {
			if (parse_bool(val, &c.error))
				return -1;
		} else if (strcmp(k, "experimental")) {
			return -1;
		}
		p = semi ? semi + 1 : NULL;
	}
	out->skip_all |= c.skip_all;
	out->error |= c.error;
	for (size_t i = 0; i < c.skip.n; i++) {
		out->skip.v = ds_arena_grow(a, out->skip.v, sizeof *out->skip.v, out->skip.n, &out->skip.cap);
		out->skip.v[out->skip.n++] = c.skip.v[i];
	}
	return 0;
}

/*
 * A comment above an instruction may carry the directive too ("# check=skip=X"):
 * BuildKit merges the first such comment's skip list into the file's for that
 * instruction (its value ends at the first space); error= applies file-wide only.
 */
static void comment_checks(struct ds_arena *a, const struct ds_instr *in, struct check_cfg *out)
{
	for (uint32_t k = 0; k < in->ncomments; k++) {
		const char *t = in->comments[k];
		while (*t == ' ' || *t == '\t')
			t++;
		if (strncasecmp(t, "check", 5))
			continue;
		t += 5;
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t != '=')
			continue;
		t++;
		while (*t == ' ' || *t == '\t')
			t++;
		size_t n = strcspn(t, " ");
		struct check_cfg c = { 0 };
		if (parse_check(a, ds_arena_strndup(a, t, n), &c) == 0) {
			out->skip_all |= c.skip_all;
			for (size_t i = 0; i < c.skip.n; i++) {
				out->skip.v = ds_arena_grow(a, out->skip.v, sizeof *out->skip.v, out->skip.n, &out->skip.cap);
				out->skip.v[out->skip.n++] = c.skip.v[i];
			}
		}
		return;
	}
}

/* Whether rule r carries a BuildKit name: it is a BuildKit check, or the twin of one. */
static bool buildkit_named(int r)
{
	if (r < 0)
		return false;
	if (ds_rule_family(&ds_rules[r]) == DS_FAM_BUILDKIT)
		return true;
	enum ds_rule_id tw[4];
	size_t n = ds_rule_twins((enum ds_rule_id)r, tw, 4);
	for (size_t i = 0; i < n && i < 4; i++)
		if (ds_rule_family(&ds_rules[tw[i]]) == DS_FAM_BUILDKIT)
			return true;
	return false;
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
	unsigned fams = ds_profile_families(lc ? lc->profile : DS_PROFILE_ALL);
	/* BuildKit's check directive: the file's, then per instruction and per stage */
	struct check_cfg file_check = { 0 };
	bool any_check = false;
	for (uint32_t i = 0; i < df->ndirectives; i++)
		if (!strcmp(df->directives[i].name, "check"))
			any_check |= parse_check(a, df->directives[i].value, &file_check) == 0;
	for (uint32_t i = 0; i < df->ninstrs && !any_check; i++)
		for (uint32_t k = 0; k < df->instrs[i].ncomments && !any_check; k++)
			any_check = strstr(df->instrs[i].comments[k], "check") != NULL;
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
		/* every family on (the default profile): no need to look the code up */
		if (d.code && (fams & DS_FAM_ALL) != DS_FAM_ALL && !(fams & ds_code_family(code)))
			continue;
		int r = diag_rule(&d);
		bool raise = false;
		if (any_check && buildkit_named(r)) {
			struct check_cfg cc = file_check;
			long k = d.has_pos ? instr_at(df, d.off) : -1;
			if (k >= 0) {
				comment_checks(a, &df->instrs[k], &cc);
				const struct ds_stage *st = m ? ds_model_stage_of(m, (uint32_t)k) : NULL;
				if (st && st->from != &df->instrs[k])
					comment_checks(a, st->from, &cc);
			}
			if (cc.skip_all || (cc.skip.n && codes_has(&cc.skip, code)))
				continue;
			raise = cc.error; /* `error=true`: the build fails on it, whatever its severity */
		}
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
		if (raise)
			d.sev = DS_SEV_ERROR;
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
