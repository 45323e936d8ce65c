/*
 * dl_labels.c - hadolint-compatible LABEL rules: DL3048 (key syntax, always
 * on) and the label-schema rules DL3049-DL3058 driven by the configuration's
 * label-schema and strict-labels. Typed values follow hadolint's checkers:
 * url (RFC 3986 absolute URI), rfc3339 (RFC 3339 date-time), spdx (SPDX
 * license expression), hash (7 or 40 hex digits), semver (SemVer 2.0.0),
 * email (RFC 5322 addr-spec). A value holding $VAR is not judged.
 */
#include "rules/dl_local.h"

#include <ctype.h>
#include <string.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "parser/ast.h"

/* DL3048: lower-case reverse-DNS keys, no reserved namespace, no ".." or "--" */
static bool key_valid(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || !(k[0] >= 'a' && k[0] <= 'z'))
		return false;
	char last = k[n - 1];
	if (!((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9')))
		return false;
	for (const char *p = k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_' || *p == '/'))
			return false;
	if (!strncmp(k, "com.docker.", 11) || !strncmp(k, "io.docker.", 10) || !strncmp(k, "org.dockerproject.", 18))
		return false;
	return !strstr(k, "..") && !strstr(k, "--");
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 3986 absolute URI: scheme ":" then URI characters (percent escapes well formed) */
static bool url_valid(const char *s)
{
	if (!isalpha((unsigned char)s[0]))
		return false;
	const char *p = s + 1;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':')
		return false;
	for (p++; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			if (!is_hex(p[1]) || !is_hex(p[2]))
				return false;
			p += 2;
			continue;
		}
		if (!(isalnum(c) || strchr("-._~:/?#[]@!$&'()*+,;=", c)))
			return false;
	}
	return true;
}

static bool digits(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

static int num(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* RFC 3339 section 5.6 date-time; T may be t or a space, Z may be z */
static bool rfc3339_valid(const char *s)
{
	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return false;
	int mon = num(s + 5, 2), day = num(s + 8, 2);
	if (mon < 1 || mon > 12 || day < 1 || day > 31)
		return false;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return false;
	const char *t = s + 11;
	if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || t[5] != ':' || !digits(t + 6, 2))
		return false;
	if (num(t, 2) > 23 || num(t + 3, 2) > 59 || num(t + 6, 2) > 60)
		return false;
	const char *z = t + 8;
	if (*z == '.') {
		z++;
		if (!isdigit((unsigned char)*z))
			return false;
		while (isdigit((unsigned char)*z))
			z++;
	}
	if ((*z == 'Z' || *z == 'z') && z[1] == '\0')
		return true;
	return (*z == '+' || *z == '-') && digits(z + 1, 2) && z[3] == ':' && digits(z + 4, 2) && z[6] == '\0' &&
	       num(z + 1, 2) <= 23 && num(z + 4, 2) <= 59;
}

static bool hash_valid(const char *s)
{
	size_t n = strlen(s);
	if (n != 7 && n != 40)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* A numeric identifier without leading zeros; returns the end or NULL. */
static const char *semver_num(const char *p)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	if (*p == '0' && isdigit((unsigned char)p[1]))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/* Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading zeros when strict. */
static const char *semver_ids(const char *p, bool strict)
{
	for (;;) {
		const char *b = p;
		bool all_num = true;
		while (isalnum((unsigned char)*p) || *p == '-') {
			if (!isdigit((unsigned char)*p))
				all_num = false;
			p++;
		}
		if (p == b)
			return NULL;
		if (strict && all_num && *b == '0' && p - b > 1)
			return NULL;
		if (*p != '.')
			return p;
		p++;
	}
}

static bool semver_valid(const char *s)
{
	const char *p = semver_num(s);
	if (!p || *p != '.' || !(p = semver_num(p + 1)) || *p != '.' || !(p = semver_num(p + 1)))
		return false;
	if (*p == '-' && !(p = semver_ids(p + 1, true)))
		return false;
	if (*p == '+' && !(p = semver_ids(p + 1, false)))
		return false;
	return *p == '\0';
}

static bool atext(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

/* dot-atom [s, e): atext runs separated by single dots */
static bool dot_atom(const char *s, const char *e)
{
	if (s == e || *s == '.' || e[-1] == '.')
		return false;
	for (const char *p = s; p < e; p++) {
		if (*p == '.') {
			if (p[1] == '.')
				return false;
		} else if (!atext(*p)) {
			return false;
		}
	}
	return true;
}

/* RFC 5322 addr-spec: (dot-atom / quoted-string) "@" (dot-atom / domain-literal) */
static bool email_valid(const char *s)
{
	const char *at = strrchr(s, '@');
	if (!at || at == s || !at[1])
		return false;
	bool local;
	if (s[0] == '"') {
		local = at - s >= 2 && at[-1] == '"';
		for (const char *p = s + 1; local && p < at - 1; p++)
			if (*p == '"' || (unsigned char)*p < 0x20)
				local = *p == '"' && p[-1] == '\\';
	} else {
		local = dot_atom(s, at);
	}
	if (!local)
		return false;
	const char *d = at + 1, *e = d + strlen(d);
	if (d[0] == '[')
		return e[-1] == ']' && e - d > 2 && !memchr(d + 1, '[', (size_t)(e - d - 2));
	return dot_atom(d, e);
}

struct label {
	const struct ds_instr *in;
	const struct ds_word *kw, *vw;
	const char *key, *value;
};

static const char *schema_type(const struct ds_lint_config *cfg, const char *key)
{
	for (size_t i = 0; cfg && i < cfg->nlabels; i++)
		if (!strcmp(cfg->label_names[i], key))
			return cfg->label_types[i] ? cfg->label_types[i] : "text";
	return NULL;
}

static void check_value(struct ds_lint_ctx *c, const struct label *l, const char *type)
{
	const struct ds_word *w = l->vw;
	if (!*l->value) {
		ds_lint_report(c, DS_R_DL3051, w->span.off, w->span.end, "label '%s' is empty", l->key);
		return;
	}
	if (strchr(l->value, '$'))
		return;
	if (!strcmp(type, "url") && !url_valid(l->value))
		ds_lint_report(c, DS_R_DL3052, w->span.off, w->span.end, "label '%s' is not a valid URL ('%s')", l->key,
			       l->value);
	else if (!strcmp(type, "rfc3339") && !rfc3339_valid(l->value))
		ds_lint_report(c, DS_R_DL3053, w->span.off, w->span.end,
			       "label '%s' is not a valid time format; it must conform to RFC 3339 ('%s')", l->key,
			       l->value);
	else if (!strcmp(type, "spdx") && !dl_spdx_valid(l->value))
		ds_lint_report(c, DS_R_DL3054, w->span.off, w->span.end,
			       "label '%s' is not a valid SPDX license identifier ('%s')", l->key, l->value);
	else if (!strcmp(type, "hash") && !hash_valid(l->value))
		ds_lint_report(c, DS_R_DL3055, w->span.off, w->span.end, "label '%s' is not a valid git hash ('%s')",
			       l->key, l->value);
	else if (!strcmp(type, "semver") && !semver_valid(l->value))
		ds_lint_report(c, DS_R_DL3056, w->span.off, w->span.end,
			       "label '%s' does not conform to semantic versioning ('%s')", l->key, l->value);
	else if (!strcmp(type, "email") && !email_valid(l->value))
		ds_lint_report(c, DS_R_DL3058, w->span.off, w->span.end,
			       "label '%s' is not a valid email address; it must conform to RFC 5322 ('%s')", l->key,
			       l->value);
}

/*
 * DL3049: each label of the schema must be set in every stage, as hadolint
 * 2.15 tracks it: a stage has it when it sets it or its FROM parent has
 * it; a stage that lacks it is not reported when a later stage copies from
 * it (it is a build stage) or a stage built FROM it sets the label itself.
 */
static void missing_labels(struct ds_lint_ctx *c, const struct label *ls, size_t nl)
{
	const struct ds_model *m = c->m;
	const struct ds_lint_config *cfg = c->cfg;
	if (!m || !m->nstages)
		return;
	bool *copied = ds_arena_zalloc(c->a, m->nstages * sizeof *copied);
	bool *own = ds_arena_zalloc(c->a, m->nstages * sizeof *own);
	bool *has = ds_arena_zalloc(c->a, m->nstages * sizeof *has);
	bool *covered = ds_arena_zalloc(c->a, m->nstages * sizeof *covered);
	for (uint32_t s = 0; s < m->nstages; s++) {
		const struct ds_stage *st = &m->stages[s];
		for (uint32_t k = 0; k < st->ndeps; k++)
			if (st->deps[k].stage >= 0 && !st->deps[k].is_mount)
				copied[st->deps[k].stage] = true;
	}
	/* the labels are in file order: each stage's are one run of them, found once */
	size_t *from = ds_arena_alloc(c->a, (m->nstages + 1) * sizeof *from);
	for (uint32_t s = 0, k = 0; s <= m->nstages; s++) {
		while (k < nl && s < m->nstages && ls[k].in->index <= m->stages[s].first)
			k++;
		from[s] = s < m->nstages ? k : nl;
	}
	for (size_t li = 0; li < cfg->nlabels; li++) {
		const char *name = cfg->label_names[li];
		for (uint32_t s = 0; s < m->nstages; s++) {
			const struct ds_stage *st = &m->stages[s];
			own[s] = covered[s] = false;
			for (size_t k = from[s]; k < nl && !own[s] && ls[k].in->index <= st->last; k++)
				if (!strcmp(ls[k].key, name))
					own[s] = true;
			has[s] = own[s] || (st->base_stage >= 0 && has[st->base_stage]);
		}
		for (uint32_t s = 0; s < m->nstages; s++)
			if (own[s] && m->stages[s].base_stage >= 0)
				covered[m->stages[s].base_stage] = true;
		for (uint32_t s = 0; s < m->nstages; s++)
			if (!has[s] && !copied[s] && !covered[s])
				ds_lint_report_instr(c, DS_R_DL3049, m->stages[s].from, "label '%s' is missing", name);
	}
}

void dl_rules_labels(struct dl_ctx *d)
{
	struct ds_lint_ctx *c = d->c;
	const struct ds_dockerfile *df = c->df;
	const struct ds_lint_config *cfg = c->cfg;
	struct label *ls = NULL;
	size_t nl = 0, cap = 0;
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		if (in->kind != DS_I_LABEL)
			continue;
		for (uint32_t k = 0; k + 1 < in->nargs; k += 3) {
			ls = ds_arena_grow(c->a, ls, sizeof *ls, nl, &cap);
			struct label *l = &ls[nl++];
			l->in = in;
			l->kw = &in->args[k];
			l->vw = &in->args[k + 1];
			l->key = dl_unquote(c->a, df->escape, in->args[k].text);
			l->value = dl_unquote(c->a, df->escape, in->args[k + 1].text);
		}
	}
	bool schema = cfg && cfg->nlabels > 0;
	for (size_t k = 0; k < nl; k++) {
		const struct label *l = &ls[k];
		if (!key_valid(l->key))
			ds_lint_report(c, DS_R_DL3048, l->kw->span.off, l->kw->span.end, "invalid label key '%s'", l->key);
		const char *type = schema ? schema_type(cfg, l->key) : NULL;
		if (cfg && cfg->strict_labels && !type)
			ds_lint_report(c, DS_R_DL3050, l->kw->span.off, l->kw->span.end,
				       "superfluous label '%s' is not in the label schema", l->key);
		if (type)
			check_value(c, l, type);
	}
	if (schema)
		missing_labels(c, ls, nl);
}
