/*
 * dst_structure.c - DST3xx: stage references, instruction-layer errors and
 * variables (issue 4, "distill's own codes").
 *
 * DST302 follows BuildKit's instruction layer (frontend/dockerfile/
 * instructions/parse.go and bflag.go): the flags each instruction accepts,
 * "missing a value on flag", boolean flags, and the values it validates
 * (HEALTHCHECK durations and retries, RUN --network and --security,
 * --mount types, stage names). DST303 and DST304 follow BuildKit's
 * UndefinedArgInFrom and UndefinedVar checks, without the base image's
 * configuration: for an image whose ENV is unknown only variables that are
 * clearly not from the image are reported.
 */
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/imageref.h"
#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "common/str.h"
#include "parser/ast.h"
#include "parser/shellwords.h"

static uint32_t line_of(struct ds_lint_ctx *c, uint32_t off)
{
	uint32_t line, col;
	ds_source_linecol(c->df->src, off, &line, &col);
	return line;
}

/* ---- DST301 ---- */

static void dep_span(const struct ds_dep *d, uint32_t *off, uint32_t *end)
{
	const struct ds_instr *in = d->in;
	for (uint32_t k = 0; k < in->nflags; k++) {
		const struct ds_flag *f = &in->flags[k];
		if (!f->value)
			continue;
		if ((!d->is_mount && !strcmp(f->name, "from")) ||
		    (d->is_mount && !strcmp(f->name, "mount") && strstr(f->value, d->ref))) {
			*off = f->span.off;
			*end = f->span.end;
			return;
		}
	}
	*off = in->kw_span.off;
	*end = in->kw_span.end;
}

/* A name BuildKit would take for an image, and that plausibly is one. */
static bool plausible_image(struct ds_lint_ctx *c, const char *name)
{
	if (strpbrk(name, "/:.@"))
		return true;
	if (!strcasecmp(name, "scratch"))
		return true;
	if (!c->cat)
		return false;
	struct ds_imageref ref;
	struct ds_image_class k;
	if (ds_imageref_parse(c->a, name, strlen(name), &ref, NULL) ||
	    ds_catalog_classify(c->cat, &ref, c->a, &k))
		return false;
	return k.family != DS_FAMILY_UNKNOWN || k.language || k.target != DS_TARGET_UNKNOWN;
}

static void check_deps(struct ds_lint_ctx *c)
{
	const struct ds_model *m = c->m;
	for (uint32_t s = 0; s < m->nstages; s++) {
		const struct ds_stage *st = &m->stages[s];
		for (uint32_t k = 0; k < st->ndeps; k++) {
			const struct ds_dep *d = &st->deps[k];
			const char *how = d->is_mount ? "--mount from=" : "--from";
			const char *name = d->expanded ? d->expanded : d->ref;
			if (d->stage >= 0 || !*name || strchr(name, '$'))
				continue;
			uint32_t off, end;
			dep_span(d, &off, &end);
			if (d->later_stage >= 0 && (uint32_t)d->later_stage == s) {
				ds_lint_report(c, DS_R_DST301, off, end,
					       "%s '%s' names this stage itself; a stage cannot use its own files", how, name);
			} else if (d->later_stage >= 0) {
				const struct ds_stage *l = &m->stages[d->later_stage];
				ds_lint_report(c, DS_R_DST301, off, end,
					       "%s '%s' names a stage defined later (line %u); only earlier stages can be used, so BuildKit would pull an image called '%s'",
					       how, name, line_of(c, l->from->kw_span.off), name);
			} else if (strspn(name, "0123456789") == strlen(name)) {
				ds_lint_report(c, DS_R_DST301, off, end,
					       "%s '%s' is not the index of an earlier stage (this is stage %u)", how,
					       name, s);
			} else if (!plausible_image(c, name)) {
				ds_lint_report(c, DS_R_DST301, off, end,
					       "%s '%s' names no earlier stage; unless a --build-context gives it, BuildKit would pull an image called '%s'",
					       how, name, name);
			}
		}
	}
}

/* ---- DST302 ---- */

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, '|');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k == n && !strncmp(p, name, n))
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static bool is_bool_flag(enum ds_instr_kind k, const char *name)
{
	if (k == DS_I_COPY)
		return in_list("link|parents", name);
	if (k == DS_I_ADD)
		return in_list("link|keep-git-dir|parents|unpack", name);
	return false;
}

static bool is_list_flag(const char *name)
{
	return in_list("mount|exclude|device", name);
}

/* Go's time.ParseDuration, sign included; returns 0 and the value in ns, or -1. */
static int parse_duration(const char *s, double *ns)
{
	static const struct {
		const char *u;
		double mul;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 }, { "ms", 1e6 },
		      { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 } };
	double sign = 1, total = 0;
	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	if (!strcmp(s, "0")) {
		*ns = 0;
		return 0;
	}
	if (!*s)
		return -1;
	while (*s) {
		const char *b = s;
		while (*s >= '0' && *s <= '9')
			s++;
		bool digits = s > b;
		if (*s == '.') {
			s++;
			const char *f = s;
			while (*s >= '0' && *s <= '9')
				s++;
			digits |= s > f;
		}
		if (!digits)
			return -1;
		double v = strtod(b, NULL);
		size_t best = 0, bl = 0;
		for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
			size_t ul = strlen(units[i].u);
			if (!strncmp(s, units[i].u, ul) && ul > bl) {
				best = i;
				bl = ul;
			}
		}
		if (!bl)
			return -1;
		total += v * units[best].mul;
		s += bl;
	}
	*ns = sign * total;
	return 0;
}

static bool octal_or_symbolic_mode(const char *v)
{
	if (*v && strspn(v, "01234567") == strlen(v))
		return strlen(v) <= 4;
	/* symbolic: [ugoa]*[-+=][rwxXst]* (, ...)* */
	const char *p = v;
	if (!*p)
		return false;
	for (;;) {
		p += strspn(p, "ugoa");
		if (*p != '+' && *p != '-' && *p != '=')
			return false;
		while (*p == '+' || *p == '-' || *p == '=') {
			p++;
			p += strspn(p, "rwxXstugo");
		}
		if (!*p)
			return true;
		if (*p != ',')
			return false;
		p++;
	}
}

static bool valid_stage_name(const char *s)
{
	char ch = *s;
	if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
		return false;
	for (s++; *s; s++) {
		ch = *s;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

static void check_mount(struct ds_lint_ctx *c, const struct ds_flag *f)
{
	const char *p = f->value;
	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > 5 && !strncmp(p, "type=", 5)) {
			const char *t = p + 5;
			size_t tl = n - 5;
			static const char *const types[] = { "bind", "cache", "tmpfs", "secret", "ssh" };
			bool ok = false;
			for (size_t i = 0; i < sizeof types / sizeof *types; i++)
				ok |= strlen(types[i]) == tl && !strncmp(t, types[i], tl);
			if (!ok)
				ds_lint_report(c, DS_R_DST302, f->span.off, f->span.end,
					       "unsupported mount type '%.*s' (bind, cache, tmpfs, secret or ssh)", (int)tl, t);
		}
		p = e ? e + 1 : NULL;
	}
}

static void check_flag_value(struct ds_lint_ctx *c, const struct ds_instr *in, const struct ds_flag *f)
{
	const char *n = f->name, *v = f->value;
	uint32_t off = f->span.off, end = f->span.end;
	if (is_bool_flag(in->kind, n)) {
		if (v && strcasecmp(v, "true") && strcasecmp(v, "false"))
			ds_lint_report(c, DS_R_DST302, off, end,
				       "expecting a boolean value for flag '--%s', not '%s'", n, v);
		return;
	}
	if (!v) {
		ds_lint_report(c, DS_R_DST302, off, end, "missing a value on flag '--%s'", n);
		return;
	}
	if (strchr(v, '$'))
		return; /* expanded at build time */
	if (!strcmp(n, "chmod") && !octal_or_symbolic_mode(v)) {
		ds_lint_report(c, DS_R_DST302, off, end, "invalid --chmod '%s': not an octal or symbolic mode", v);
	} else if (in->kind == DS_I_HEALTHCHECK && strcmp(n, "retries")) {
		double ns;
		if (parse_duration(v, &ns))
			ds_lint_report(c, DS_R_DST302, off, end,
				       "invalid --%s '%s': not a duration such as 30s or 1m30s", n, v);
		else if (ns < 0)
			ds_lint_report(c, DS_R_DST302, off, end, "--%s '%s' cannot be negative", n, v);
		else if (ns > 0 && ns < 1e6)
			ds_lint_report(c, DS_R_DST302, off, end, "--%s '%s' cannot be less than 1ms", n, v);
	} else if (in->kind == DS_I_HEALTHCHECK) {
		char *e;
		long r = strtol(v, &e, 10);
		if (!*v || *e)
			ds_lint_report(c, DS_R_DST302, off, end, "invalid --retries '%s': not a number", v);
		else if (r < 0)
			ds_lint_report(c, DS_R_DST302, off, end, "--retries '%s' cannot be negative", v);
	} else if (!strcmp(n, "network") && strcmp(v, "default") && strcmp(v, "none") && strcmp(v, "host")) {
		ds_lint_report(c, DS_R_DST302, off, end,
			       "unsupported --network '%s' (default, none or host)", v);
	} else if (!strcmp(n, "security") && strcmp(v, "sandbox") && strcmp(v, "insecure")) {
		ds_lint_report(c, DS_R_DST302, off, end,
			       "unsupported --security '%s' (sandbox or insecure)", v);
	} else if (!strcmp(n, "mount")) {
		check_mount(c, f);
	}
}

static void check_instr_layer(struct ds_lint_ctx *c, const struct ds_instr *in)
{
	if (in->kind == DS_I_UNKNOWN) {
		const char *near = ds_instr_suggest(in->keyword);
		if (near)
			ds_lint_report(c, DS_R_DST302, in->kw_span.off, in->kw_span.end,
				       "unknown instruction '%s'; did you mean '%s'?", in->keyword, near);
		else
			ds_lint_report(c, DS_R_DST302, in->kw_span.off, in->kw_span.end, "unknown instruction '%s'",
				       in->keyword);
		return;
	}
	const char *allowed = ds_instr_flags(in->kind);
	for (uint32_t k = 0; k < in->nflags; k++) {
		const struct ds_flag *f = &in->flags[k];
		if (!in_list(allowed, f->name)) {
			if (*allowed)
				ds_lint_report(c, DS_R_DST302, f->span.off, f->span.end,
					       "unknown flag '--%s' for %s (it accepts --%s)", f->name,
					       ds_instr_keyword(in->kind), allowed);
			else
				ds_lint_report(c, DS_R_DST302, f->span.off, f->span.end,
					       "unknown flag '--%s': %s takes no flags", f->name, ds_instr_keyword(in->kind));
			continue;
		}
		bool dup = false;
		for (uint32_t j = 0; j < k && !is_list_flag(f->name); j++)
			dup |= !strcmp(in->flags[j].name, f->name);
		if (dup) {
			ds_lint_report(c, DS_R_DST302, f->span.off, f->span.end, "duplicate flag '--%s'", f->name);
			continue;
		}
		check_flag_value(c, in, f);
	}
	const char *arity = ds_instr_arity_error(in);
	if (arity)
		ds_lint_report_instr(c, DS_R_DST302, in, "%s %s", ds_instr_keyword(in->kind), arity);
	else if (in->kind == DS_I_FROM) {
		if (in->nargs == 3 && strcasecmp(in->args[1].text, "as"))
			ds_lint_report(c, DS_R_DST302, in->args[1].span.off, in->args[1].span.end,
				       "FROM expects 'AS' before the stage name, not '%s'", in->args[1].text);
		else if (in->nargs == 3 && !strchr(in->args[2].text, '$') && !valid_stage_name(in->args[2].text))
			ds_lint_report(c, DS_R_DST302, in->args[2].span.off, in->args[2].span.end,
				       "invalid stage name '%s': it must start with a letter and hold only letters, digits, '-', '_' and '.'",
				       in->args[2].text);
	}
	if (in->sub)
		check_instr_layer(c, in->sub);
}

/* ---- variables ---- */

static bool automatic_arg(const char *n, size_t len)
{
	static const char *const names[] = {
		"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS",
		"BUILDARCH", "BUILDVARIANT", "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
		"FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
		"SOURCE_DATE_EPOCH", "TARGETSTAGE",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], n, len))
			return true;
	return len > 9 && !strncmp(n, "BUILDKIT_", 9);
}

/* Variables every image environment has (or that Docker sets). */
static bool image_env_common(const char *n, size_t len)
{
	static const char *const names[] = { "PATH", "HOME", "HOSTNAME", "TERM", "SSL_CERT_FILE", "LANG", "PWD" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], n, len))
			return true;
	return false;
}

#define MAX_REFS 32

struct refs {
	struct ds_arena *a;
	const struct ds_scope *scope; /* NULL: nothing set */
	uint32_t before;              /* entries defined before this instruction index */
	struct {
		const char *name;
		size_t len;
		bool set;
	} v[MAX_REFS];
	size_t n;
};

static const char *refs_lookup(void *ctx, const char *name, size_t len, size_t *vlen)
{
	struct refs *r = ctx;
	const struct ds_var *v = r->scope ? ds_scope_find(r->scope, name, len, r->before) : NULL;
	if (!v)
		return NULL;
	const char *val = v->value ? v->value : ""; /* ARG NAME: a build argument */
	*vlen = strlen(val);
	return val;
}

static void refs_on_var(void *ctx, const char *name, size_t len, bool set)
{
	struct refs *r = ctx;
	if (!len || !((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
		return; /* $1, $@ ... */
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].len == len && !memcmp(r->v[i].name, name, len))
			return;
	if (r->n < MAX_REFS) {
		r->v[r->n].name = ds_arena_strndup(r->a, name, len);
		r->v[r->n].len = len;
		r->v[r->n].set = set;
		r->n++;
	}
}

/* Expands word of instruction in, collecting the variables it references into r (names copied). */
static void collect_refs(struct ds_lint_ctx *c, const struct ds_instr *in, const char *word, struct refs *r)
{
	if (!strchr(word, '$'))
		return;
	struct ds_shlex lx;
	ds_shlex_init(&lx, c->df->escape);
	lx.lookup = refs_lookup;
	lx.on_var = refs_on_var;
	lx.ctx = r;
	const char *out;
	ds_model_shlex_word(c->m, in, &lx, word, strlen(word), &out, NULL, NULL);
}

static bool scope_declares(const struct ds_scope *s, const char *name, size_t len)
{
	return ds_scope_find(s, name, len, UINT32_MAX) != NULL;
}

/* DST303: FROM may only use global ARGs (and the automatic platform ones). */
static void check_from_args(struct ds_lint_ctx *c)
{
	const struct ds_model *m = c->m;
	int id = ds_lint_pick(c, DS_R_DST303, DS_R_UndefinedArgInFrom);
	if (id < 0)
		return;
	for (uint32_t s = 0; s < m->nstages; s++) {
		const struct ds_instr *in = m->stages[s].from;
		struct {
			const char *text;
			uint32_t off, end;
		} words[2];
		size_t nw = 0;
		if (in->nargs) {
			words[nw].text = in->args[0].text;
			words[nw].off = in->args[0].span.off;
			words[nw++].end = in->args[0].span.end;
		}
		const struct ds_flag *pf = ds_instr_flag(in, "platform");
		if (pf && pf->value) {
			words[nw].text = pf->value;
			words[nw].off = pf->span.off;
			words[nw++].end = pf->span.end;
		}
		for (size_t w = 0; w < nw; w++) {
			struct refs r = { c->a, &m->globals, UINT32_MAX, { { 0 } }, 0 };
			collect_refs(c, in, words[w].text, &r);
			for (size_t i = 0; i < r.n; i++) {
				if (automatic_arg(r.v[i].name, r.v[i].len) ||
				    scope_declares(&m->globals, r.v[i].name, r.v[i].len))
					continue;
				bool in_stage = ds_model_stage_declaring(m, r.v[i].name, r.v[i].len, -1) >= 0;
				ds_lint_report(c, (enum ds_rule_id)id, words[w].off, words[w].end,
					       "FROM uses '%s', which no ARG before the first FROM declares%s",
					       r.v[i].name,
					       in_stage ? "; an ARG inside a stage does not reach FROM lines" : "");
			}
		}
	}
}

/*
 * Scope entries similar_name() may look at in one file: "did you mean" is a
 * nicety, and a file with thousands of undefined references in a stage of
 * thousands of variables must not make it quadratic. Past the budget the
 * finding is still reported, without a suggestion.
 */
#define SIMILAR_BUDGET 1000000u

static const char *similar_name(const struct ds_scope *s, uint32_t before, const char *name, size_t len,
				size_t *budget)
{
	if (len < 4)
		return NULL;
	size_t most = len >= 8 ? 2u : 1u;
	for (size_t i = s->n; i-- > 0;) {
		if (!*budget)
			return NULL;
		--*budget;
		const struct ds_var *v = &s->v[i];
		if (v->where && v->where->index >= before)
			continue;
		size_t vl = strlen(v->name);
		/* the distance is at least the difference of the lengths */
		if (vl >= 4 && vl <= len + most && len <= vl + most && ds_str_distance(name, len, v->name, vl) <= most)
			return v->name;
	}
	return NULL;
}

static bool has_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return true;
	return false;
}

struct var_site {
	const char *text;
	uint32_t off, end;
};

/* The words BuildKit expands in in: arguments (ENV: values; LABEL: keys and values) and flags. */
static size_t expanded_words(const struct ds_instr *in, struct var_site *v, size_t max)
{
	size_t n = 0;
	switch (in->kind) {
	case DS_I_ENV:
		for (uint32_t k = 1; k < in->nargs && n < max; k += 3)
			v[n++] = (struct var_site){ in->args[k].text, in->args[k].span.off, in->args[k].span.end };
		return n;
	case DS_I_LABEL:
		for (uint32_t k = 0; k < in->nargs && n < max; k++)
			if (k % 3 != 2)
				v[n++] = (struct var_site){ in->args[k].text, in->args[k].span.off, in->args[k].span.end };
		return n;
	case DS_I_ADD:
	case DS_I_COPY:
		for (uint32_t k = 0; k < in->nflags && n < max; k++) {
			const struct ds_flag *f = &in->flags[k];
			if (f->value && (!strcmp(f->name, "chown") || !strcmp(f->name, "chmod") || !strcmp(f->name, "from")))
				v[n++] = (struct var_site){ f->value, f->span.off, f->span.end };
		}
		/* fall through */
	case DS_I_EXPOSE:
	case DS_I_STOPSIGNAL:
	case DS_I_USER:
	case DS_I_VOLUME:
	case DS_I_WORKDIR:
		for (uint32_t k = 0; k < in->nargs && n < max; k++)
			v[n++] = (struct var_site){ in->args[k].text, in->args[k].span.off, in->args[k].span.end };
		return n;
	default:
		return 0;
	}
}

/* Whether the image of st has an environment distill knows (scratch, shell-free vendor images). */
static bool env_known(struct ds_lint_ctx *c, const struct ds_stage *st)
{
	if (st->root_kind == DS_BASE_SCRATCH)
		return true;
	struct ds_image_class k;
	if (ds_model_classify(c->m, st->index, c->cat, &k))
		return false;
	return k.vendor != NULL;
}

/* The instruction of stage st that defines name at index i or after, or NULL. */
static const struct ds_instr *defined_later(const struct ds_stage *st, uint32_t i, const char *name, size_t len)
{
	const struct ds_var *v = ds_scope_find_from(&st->scope, name, len, i);
	return v ? v->where : NULL;
}

static void check_stage_vars(struct ds_lint_ctx *c, const struct ds_stage *st, size_t *similar_budget)
{
	const struct ds_model *m = c->m;
	int pick = ds_lint_pick(c, DS_R_DST304, DS_R_UndefinedVar);
	if (pick < 0)
		return;
	enum ds_rule_id id = (enum ds_rule_id)pick;
	const struct ds_dockerfile *df = c->df;
	bool known = env_known(c, st);
	for (uint32_t i = st->first + 1; i <= st->last && i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		struct var_site sites[64];
		size_t ns = expanded_words(in, sites, sizeof sites / sizeof *sites);
		for (size_t w = 0; w < ns; w++) {
			struct refs r = { c->a, &st->scope, i, { { 0 } }, 0 };
			collect_refs(c, in, sites[w].text, &r);
			for (size_t k = 0; k < r.n; k++) {
				const char *name = r.v[k].name;
				size_t len = r.v[k].len;
				if (r.v[k].set || automatic_arg(name, len) || image_env_common(name, len))
					continue;
				const struct ds_instr *later = defined_later(st, i, name, len);
				if (later == in)
					continue; /* ENV a=1 b=$a: DL3044 says it */
				if (later) {
					ds_lint_report(c, id, sites[w].off, sites[w].end,
						       "'%s' is used before the %s that defines it (line %u)", name,
						       ds_instr_keyword(later->kind), line_of(c, later->kw_span.off));
					continue;
				}
				if (scope_declares(&m->globals, name, len)) {
					ds_lint_report(c, id, sites[w].off, sites[w].end,
						       "'%s' is a global ARG, which a stage does not see; add `ARG %s` to the stage",
						       name, name);
					continue;
				}
				bool elsewhere = ds_model_stage_declaring(m, name, len, (int)st->index) >= 0;
				if (elsewhere) {
					ds_lint_report(c, id, sites[w].off, sites[w].end,
						       "'%s' is defined in another stage, not in this one", name);
					continue;
				}
				const char *near = similar_name(&st->scope, i, name, len, similar_budget);
				if (near)
					ds_lint_report(c, id, sites[w].off, sites[w].end,
						       "'%s' is never defined; did you mean '%s'?", name, near);
				else if (known || has_lower(name, len))
					ds_lint_report(c, id, sites[w].off, sites[w].end,
						       "'%s' is never defined, so it expands to an empty string", name);
			}
		}
	}
}

void ds_rules_dst_structure(struct ds_lint_ctx *c)
{
	const struct ds_dockerfile *df = c->df;
	for (uint32_t i = 0; i < df->ninstrs; i++)
		check_instr_layer(c, &df->instrs[i]);
	const struct ds_model *m = c->m;
	if (!m)
		return;
	check_deps(c);
	check_from_args(c);
	size_t similar_budget = SIMILAR_BUDGET;
	for (uint32_t s = 0; s < m->nstages; s++)
		check_stage_vars(c, &m->stages[s], &similar_budget);
}
