/*
 * dl_instr.c - hadolint-compatible rules on instructions and stages (FROM,
 * USER, COPY, ADD, ENV, ARG, EXPOSE, CMD, ...). Image rules read the
 * model's expanded base, so ARG values resolve in FROM; stage-aware rules
 * follow FROM <stage> inheritance.
 */
#include "rules/dl_local.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "common/str.h"
#include "catalog/catalog.h"
#include "parser/ast.h"

static void report_word(struct ds_lint_ctx *c, enum ds_rule_id id, const struct ds_word *w, const char *msg,
			const char *subject)
{
	ds_lint_report(c, id, w->span.off, w->span.end, msg, subject);
}

static void report_flag(struct ds_lint_ctx *c, enum ds_rule_id id, const struct ds_flag *f, const char *msg,
			const char *subject)
{
	ds_lint_report(c, id, f->span.off, f->span.end, msg, subject);
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Decimal value of an all-digit string, saturating at 1e9. */
static unsigned long decimal(const char *s)
{
	unsigned long v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v < 1000000000UL ? v * 10 + (unsigned long)(*s - '0') : v;
	return v;
}

static bool is_root_user(const char *u)
{
	return !strcmp(u, "root") || !strcmp(u, "0") || !strncmp(u, "root:", 5) || !strncmp(u, "0:", 2);
}

/* "C:\..." or "C:/...": hadolint accepts these as absolute */
static bool windows_abs(const char *p)
{
	return isalpha((unsigned char)p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/' || p[2] == '\0');
}

/* ---- DL3002: last USER root ---- */

/* The last USER of stage s, following FROM <stage> when follow is set; NULL when none. */
static const struct ds_instr *last_user(const struct ds_lint_ctx *c, const struct ds_stage *st, bool follow)
{
	const struct ds_model *m = c->m;
	for (uint32_t guard = 0; st && guard <= m->nstages; guard++) {
		for (uint32_t i = st->last + 1; i-- > st->first + 1;)
			if (c->df->instrs[i].kind == DS_I_USER && c->df->instrs[i].nargs)
				return &c->df->instrs[i];
		if (!follow || st->base_stage < 0)
			return NULL;
		st = &m->stages[st->base_stage];
	}
	return NULL;
}

/*
 * hadolint reports every stage whose last USER is root; with the
 * dl3002-final-stage setting only the final stage is checked, following
 * FROM <stage> to the USER it inherits.
 */
static void dl3002(struct ds_lint_ctx *c)
{
	const struct ds_model *m = c->m;
	bool all = !(c->cfg && c->cfg->dl3002_final_stage);
	for (uint32_t s = 0; s < m->nstages; s++) {
		const struct ds_stage *st = &m->stages[s];
		if (!all && !st->is_final)
			continue;
		const struct ds_instr *u = last_user(c, st, !all);
		if (!u)
			continue;
		const struct ds_stage *ust = ds_model_stage_of(m, u->index);
		const char *v = ds_model_expand(m, ust, u->index, dl_unquote(c->a, c->df->escape, u->args[0].text), NULL);
		if (is_root_user(v))
			ds_lint_report_instr(c, DS_R_DL3002, u, "last USER should not be root ('%s')", v);
	}
}

/*
 * Google's distroless images name the Debian release and the language
 * version (gcr.io/distroless/nodejs22-debian13); their tags are variants
 * (latest, nonroot, debug), so :latest is the root variant of a pinned
 * release, not a moving one. distill convert writes them so (DL3007 in
 * rules.def says it differs from hadolint here).
 */
static bool distroless_pinned(const struct ds_imageref *r)
{
	if (!r->registry || strcmp(r->registry, "gcr.io") || strncmp(r->path, "distroless/", 11))
		return false;
	const char *deb = strstr(r->path + 11, "-debian");
	if (!deb || !(deb[7] >= '0' && deb[7] <= '9'))
		return false;
	for (const char *p = deb + 7; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* ---- FROM: DL3006 DL3007 DL3024 DL3026 DL3029 DL3063 DL3065 ---- */

/* hadolint's matchRegistry: "*" is any registry, "*.x" a suffix, "x*" a prefix, else equality. */
static bool registry_matches(const char *allow, const char *reg)
{
	size_t na = strlen(allow), nr = strlen(reg);
	if (!strcmp(allow, "*"))
		return true;
	if (allow[0] == '*')
		return nr >= na - 1 && !strcasecmp(reg + nr - (na - 1), allow + 1);
	if (na && allow[na - 1] == '*')
		return !strncasecmp(reg, allow, na - 1);
	return !strcasecmp(allow, reg);
}

static bool trusted(const struct ds_lint_config *cfg, const char *reg)
{
	for (size_t i = 0; i < cfg->ntrusted; i++)
		if (registry_matches(cfg->trusted_registries[i], reg))
			return true;
	return false;
}

/* Whether image reference r comes from a trusted registry (Docker Hub when it names none). */
static bool image_trusted(const struct ds_lint_config *cfg, const struct ds_imageref *r)
{
	return r->registry ? trusted(cfg, r->registry) : trusted(cfg, "docker.io") || trusted(cfg, "hub.docker.com");
}

static void from_rules(struct ds_lint_ctx *c)
{
	const struct ds_model *m = c->m;
	const struct ds_lint_config *cfg = c->cfg;
	for (uint32_t s = 0; s < m->nstages; s++) {
		const struct ds_stage *st = &m->stages[s];
		const struct ds_instr *from = st->from;
		if (!from->nargs)
			continue;
		const struct ds_word *img = &from->args[0];
		if (st->base_kind == DS_BASE_IMAGE && st->has_image) {
			const struct ds_imageref *r = &st->image;
			if (!r->tag && !r->digest)
				report_word(c, DS_R_DL3006, img, "always tag the version of an image explicitly ('%s')",
					    st->base);
			/* a digest pins the image even when the tag reads latest; so does a distroless name */
			if (r->tag && !strcmp(r->tag, "latest") && !r->digest && !distroless_pinned(r))
				report_word(c, DS_R_DL3007, img,
					    "using latest is prone to errors if the image will ever update; "
					    "pin '%s' to a release tag", st->base);
			if (cfg && cfg->ntrusted) {
				if (!image_trusted(cfg, r))
					report_word(c, DS_R_DL3026, img,
						    "use only an allowed registry in the FROM image ('%s')", st->base);
			}
		}
		if (st->name) {
			const struct ds_word *nw = from->nargs >= 3 ? &from->args[2] : img;
			if (ds_model_find_stage(m, st->name, s) >= 0)
				report_word(c, DS_R_DL3024, nw, "FROM aliases (stage names) must be unique ('%s')",
					    st->name);
			if (!strcmp(st->name, "scratch") || !strcmp(st->name, "context"))
				report_word(c, DS_R_DL3063, nw, "stage name '%s' is a reserved word", st->name);
		}
		const struct ds_flag *pf = ds_instr_flag(from, "platform");
		if (pf && pf->value && *pf->value) {
			if (!strcmp(pf->value, "$TARGETPLATFORM") || !strcmp(pf->value, "${TARGETPLATFORM}"))
				report_flag(c, DS_R_DL3065, pf,
					    "'--platform=%s' is redundant: it is the default", pf->value);
			else if (!strstr(pf->value, "BUILDPLATFORM") && !strstr(pf->value, "TARGETPLATFORM"))
				report_flag(c, DS_R_DL3029, pf, "do not use --platform flag with FROM ('%s')", pf->value);
		}
	}
}

/* ---- COPY --from: DL3022 DL3023 DL3067 ---- */

/* DL3026 for an image that COPY --from or RUN --mount=from= names (never a stage). */
static void dep_registry(struct ds_lint_ctx *c, const struct ds_dep *dep)
{
	const struct ds_lint_config *cfg = c->cfg;
	if (!cfg || !cfg->ntrusted || dep->stage >= 0 || !dep->expanded || !*dep->expanded)
		return;
	struct ds_imageref r;
	if (ds_imageref_parse(c->a, dep->expanded, strlen(dep->expanded), &r, NULL) || r.unresolved ||
	    image_trusted(cfg, &r))
		return;
	const struct ds_flag *f = dep->is_mount ? ds_instr_flag(dep->in, "mount") : ds_instr_flag(dep->in, "from");
	uint32_t off = f ? f->span.off : dep->in->kw_span.off, end = f ? f->span.end : dep->in->kw_span.end;
	ds_lint_report(c, DS_R_DL3026, off, end, "use only an allowed registry ('%s')", dep->expanded);
}

/* The value of key in a comma-separated key=value list such as a --mount value (arena), or NULL. */
static const char *kv_value(struct ds_arena *a, const char *list, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > kl && !strncmp(p, key, kl) && p[kl] == '=')
			return ds_arena_strndup(a, p + kl + 1, n - kl - 1);
		p = e ? e + 1 : NULL;
	}
	return NULL;
}

/* COPY --from and RUN --mount=from= before the first FROM (hadolint's snippets): no stage exists yet. */
static void deps_before_from(struct ds_lint_ctx *c)
{
	const struct ds_dockerfile *df = c->df;
	for (uint32_t i = 0; i < df->ninstrs && df->instrs[i].kind != DS_I_FROM; i++) {
		const struct ds_instr *in = &df->instrs[i];
		if (in->kind == DS_I_RUN && c->cfg && c->cfg->ntrusted)
			for (uint32_t k = 0; k < in->nflags; k++) {
				const struct ds_flag *f = &in->flags[k];
				const char *from = strcmp(f->name, "mount") || !f->value ? NULL : kv_value(c->a, f->value, "from");
				if (from && *from) {
					struct ds_dep dep = { .in = in, .ref = from, .expanded = from, .stage = -1,
							      .later_stage = -1, .is_mount = true };
					dep_registry(c, &dep);
				}
			}
		const struct ds_flag *f = in->kind == DS_I_COPY ? ds_instr_flag(in, "from") : NULL;
		if (!f || !f->value)
			continue;
		const char *e = dl_drop_quotes(c->a, f->value);
		if (!strchr(e, ':'))
			report_flag(c, DS_R_DL3022, f, "COPY --from should reference a previously defined FROM alias ('%s')",
				    e);
		else if (c->cfg && c->cfg->ntrusted) {
			struct ds_dep dep = { .in = in, .ref = e, .expanded = e, .stage = -1, .later_stage = -1 };
			dep_registry(c, &dep);
		}
	}
}

static void copy_from_rules(struct ds_lint_ctx *c)
{
	const struct ds_model *m = c->m;
	deps_before_from(c);
	for (uint32_t s = 0; s < m->nstages; s++) {
		const struct ds_stage *st = &m->stages[s];
		for (uint32_t k = 0; k < st->ndeps; k++) {
			const struct ds_dep *dep = &st->deps[k];
			if (dep->in->kind == DS_I_COPY || dep->is_mount)
				dep_registry(c, dep);
			if (dep->is_mount || dep->in->kind != DS_I_COPY)
				continue;
			const struct ds_flag *f = ds_instr_flag(dep->in, "from");
			if (!f)
				continue;
			const char *e = dep->expanded;
			bool self = (st->name && !strcasecmp(e, st->name)) ||
				    (all_digits(e) && *e && decimal(e) == st->index);
			if (self)
				report_flag(c, DS_R_DL3023, f, "COPY --from cannot reference its own FROM alias ('%s')", e);
			else if (dep->stage < 0 && !strchr(e, ':'))
				report_flag(c, DS_R_DL3022, f,
					    "COPY --from should reference a previously defined FROM alias ('%s')", e);
		}
	}
}

/* ---- per instruction, walking stages: DL3000 DL3011 DL3012 DL3020 DL3021 DL3025 DL3043 DL3044
 * DL3045 DL3061 DL3064 DL3066 DL3067 DL4000 DL4003 DL4004 ---- */

static const char *const archive_ext[] = { ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz",
					   ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz", NULL };

static bool add_source_ok(const char *p)
{
	for (const char *const *e = archive_ext; *e; e++)
		if (ds_str_has_suffix(p, *e))
			return true;
	return !strncmp(p, "http://", 7) || !strncmp(p, "https://", 8) || !strncmp(p, "git@", 4) ||
	       !strncmp(p, "git://", 6);
}

/* DL3011: a port number (or range end) above 65535; variables are not judged */
static void expose(struct ds_lint_ctx *c, const struct ds_instr *in)
{
	for (uint32_t k = 0; k < in->nargs; k++) {
		const char *t = in->args[k].text;
		if (strchr(t, '$'))
			continue;
		char part[64];
		size_t n = strcspn(t, "/");
		if (n >= sizeof part)
			continue;
		memcpy(part, t, n);
		part[n] = '\0';
		char *dash = strchr(part, '-');
		if (dash)
			*dash = '\0';
		const char *nums[2] = { part, dash ? dash + 1 : NULL };
		for (int j = 0; j < 2; j++)
			if (nums[j] && *nums[j] && all_digits(nums[j]) && (strlen(nums[j]) > 5 || decimal(nums[j]) > 65535)) {
				report_word(c, DS_R_DL3011, &in->args[k], "valid UNIX ports range from 0 to 65535 ('%s')", t);
				break;
			}
	}
}

/* hadolint's DL3044 reference test: "${name}" anywhere, or "$name" not followed by a name character */
static bool refers_to(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strchr(text, '$'); p; p = strchr(p + 1, '$')) {
		if (p[1] == '{' && !strncmp(p + 2, name, n) && p[2 + n] == '}')
			return true;
		if (!strncmp(p + 1, name, n)) {
			char after = p[1 + n];
			if (!(isalnum((unsigned char)after) || after == '_'))
				return true;
		}
	}
	return false;
}

static bool defined_before(const struct ds_model *m, const struct ds_stage *st, const struct ds_instr *in,
			   const char *name)
{
	size_t n = strlen(name);
	return (st && ds_scope_find(&st->scope, name, n, in->index)) || ds_scope_find(&m->globals, name, n, UINT32_MAX);
}

/* DL3044: ENV a=1 b=$a refers to a within the statement that defines it */
static void env_self(struct ds_lint_ctx *c, const struct ds_stage *st, const struct ds_instr *in)
{
	for (uint32_t k = 0; k + 1 < in->nargs; k += 3) {
		const char *name = in->args[k].text;
		if (defined_before(c->m, st, in, name))
			continue;
		for (uint32_t j = 0; j + 1 < in->nargs; j += 3)
			if (j != k && refers_to(in->args[j + 1].text, name)) {
				ds_lint_report(c, DS_R_DL3044, in->args[j + 1].span.off, in->args[j + 1].span.end,
					       "do not refer to '%s' within the ENV statement that defines it", name);
				return;
			}
	}
}

bool dl_sensitive_name(const char *name, size_t len)
{
	static const char *const known[] = {
		"ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN", "AWS_ACCESS_KEY_ID",
		"AWS_SECRET_ACCESS_KEY", "BITTREX_API_KEY", "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME",
		"CIRCLE_TOKEN", "CI_DEPLOY_PASSWORD", "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD", "DOCKER_EMAIL",
		"DOCKER_PASSWORD", "DOCKER_USERNAME", "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID",
		"FACEBOOK_APP_SECRET", "FIREBASE_API_TOKEN", "FIREBASE_TOKEN", "FOSSA_API_KEY",
		"GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN", "HEROKU_API_KEY",
		"HEROKU_API_USER", "NPM_AUTH_TOKEN", "NPM_TOKEN", "OKTA_AUTHN_GROUPID", "OKTA_CLIENT_ORGURL",
		"OKTA_CLIENT_TOKEN", "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET", "OPENAI_API_KEY",
		"OS_PASSWORD", "OS_USERNAME", "POSTGRES_PASSWORD", "SLACK_TOKEN", "STRIPE_API_KEY",
		"STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME", "TRAVIS_SECURE_ENV_VARS", "TRAVIS_SUDO", "VAULT_CLIENT_KEY",
		"VAULT_TOKEN", NULL };
	static const char *const parts[] = { "api_key", "client_key", "password", "private", "secret", "token",
					     "username", NULL };
	char low[128], up[128];
	if (len == 0 || len >= sizeof low)
		return false;
	for (size_t i = 0; i < len; i++) {
		low[i] = (char)tolower((unsigned char)name[i]);
		up[i] = (char)toupper((unsigned char)name[i]);
	}
	low[len] = up[len] = '\0';
	for (const char *const *k = known; *k; k++)
		if (!strcmp(up, *k))
			return true;
	for (const char *const *p = parts; *p; p++)
		if (strstr(low, *p))
			return true;
	return false;
}

static void report_secret(struct ds_lint_ctx *c, const struct ds_word *w, const char *name, size_t len,
			  const char *kw)
{
	ds_lint_report(c, DS_R_DL3064, w->span.off, w->span.off + (uint32_t)len,
		       "'%.*s' may hold sensitive data; do not pass secrets with %s (use RUN --mount=type=secret)",
		       (int)len, name, kw);
}

static void secrets(struct ds_lint_ctx *c, const struct ds_instr *in)
{
	if (in->kind == DS_I_ARG) {
		for (uint32_t k = 0; k < in->nargs; k++) {
			const char *t = in->args[k].text;
			size_t len = strcspn(t, "=");
			if (dl_sensitive_name(t, len))
				report_secret(c, &in->args[k], t, len, "ARG");
		}
	} else {
		for (uint32_t k = 0; k < in->nargs; k += 3) {
			const char *t = in->args[k].text;
			if (dl_sensitive_name(t, strlen(t)))
				report_secret(c, &in->args[k], t, strlen(t), "ENV");
		}
	}
}

/*
 * DL3057 (off unless enabled, as in hadolint): a stage without HEALTHCHECK
 * (HEALTHCHECK NONE counts) that does not inherit one. As hadolint tracks
 * it, a stage that sets one also settles the stages it is built FROM, so
 * only chains that never reach a HEALTHCHECK are reported, at their FROM.
 */
static void dl3057(struct ds_lint_ctx *c)
{
	const struct ds_model *m = c->m;
	if (!m->nstages || !ds_lint_rule_enabled(c, DS_R_DL3057))
		return;
	bool *good = ds_arena_zalloc(c->a, m->nstages * sizeof *good);
	for (uint32_t s = 0; s < m->nstages; s++) {
		const struct ds_stage *st = &m->stages[s];
		good[s] = st->base_stage >= 0 && good[st->base_stage];
		bool own = false;
		for (uint32_t i = st->first + 1; i <= st->last && i < c->df->ninstrs && !own; i++)
			own = c->df->instrs[i].kind == DS_I_HEALTHCHECK;
		if (!own)
			continue;
		good[s] = true;
		for (int p = st->base_stage, g = 0; p >= 0 && g < (int)m->nstages; p = m->stages[p].base_stage, g++)
			good[p] = true;
	}
	for (uint32_t s = 0; s < m->nstages; s++)
		if (!good[s])
			ds_lint_report_instr(c, DS_R_DL3057, m->stages[s].from, "HEALTHCHECK instruction missing");
}

/*
 * A user name the stage's runtime image defines with a fixed id (nonroot
 * is 65532 in every distroless image): the catalogue knows its account, so
 * it resolves the same everywhere. distill convert writes such names; DL3066
 * in rules.def says it differs from hadolint here.
 */
static bool runtime_account(struct ds_lint_ctx *c, const struct ds_stage *st, const char *name)
{
	struct ds_image_class k;
	if (!c->cat || !st || !st->has_image || ds_catalog_classify(c->cat, &st->image, c->a, &k) || !k.vendor ||
	    !k.self)
		return false;
	return ds_catalog_runtime_user(k.self, name) != NULL;
}

void dl_rules_instr(struct dl_ctx *d)
{
	struct ds_lint_ctx *c = d->c;
	const struct ds_dockerfile *df = c->df;
	const struct ds_model *m = c->m;
	struct ds_arena *a = c->a;
	if (!m)
		return;
	dl3002(c);
	dl3057(c);
	from_rules(c);
	copy_from_rules(c);

	bool *wd = m->nstages ? ds_arena_zalloc(a, m->nstages * sizeof *wd) : NULL;
	bool seen_from = false;
	int ncmd = 0, nentry = 0, nhealth = 0;
	const struct ds_stage *st = NULL;
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		if (in->kind == DS_I_FROM) {
			seen_from = true;
			st = ds_model_stage_of(m, i);
			ncmd = nentry = nhealth = 0;
			if (st && wd)
				wd[st->index] = st->base_stage >= 0 && wd[st->base_stage];
			continue;
		}
		/* DL3061: only ARG (and comments, directives) before the first FROM */
		if (!seen_from && in->kind != DS_I_ARG)
			ds_lint_report_instr(c, DS_R_DL3061, in,
					     "invalid instruction order; a Dockerfile must begin with FROM, ARG or a comment");
		switch (in->kind) {
		case DS_I_WORKDIR:
			if (st && wd)
				wd[st->index] = true;
			if (in->nargs) {
				const char *p = dl_drop_quotes(a, in->args[0].text);
				if (p[0] != '/' && p[0] != '$' && !windows_abs(p))
					report_word(c, DS_R_DL3000, &in->args[0], "use absolute WORKDIR ('%s')", p);
			}
			break;
		case DS_I_EXPOSE:
			expose(c, in);
			break;
		case DS_I_HEALTHCHECK:
			if (++nhealth > 1)
				ds_lint_report_instr(c, DS_R_DL3012, in, "multiple HEALTHCHECK instructions in one stage");
			if (in->nargs >= 2 && !strcasecmp(in->args[0].text, "CMD") && !in->json)
				ds_lint_report_instr(c, DS_R_DL3025, in,
						     "use arguments JSON notation for HEALTHCHECK CMD arguments");
			break;
		case DS_I_CMD:
		case DS_I_ENTRYPOINT: {
			bool is_cmd = in->kind == DS_I_CMD;
			int *count = is_cmd ? &ncmd : &nentry;
			if (++*count > 1)
				ds_lint_report_instr(c, is_cmd ? DS_R_DL4003 : DS_R_DL4004, in,
						     "multiple %s instructions found; only the last one takes effect",
						     is_cmd ? "CMD" : "ENTRYPOINT");
			if (in->nargs && !in->json)
				ds_lint_report_instr(c, DS_R_DL3025, in, "use arguments JSON notation for %s arguments",
						     is_cmd ? "CMD" : "ENTRYPOINT");
			break;
		}
		case DS_I_ADD:
			for (uint32_t k = 0; k + 1 < in->nargs; k++) {
				const char *src = in->args[k].text;
				if (!strncmp(src, "<<", 2))
					continue;
				const char *e = dl_drop_quotes(a, ds_model_expand(m, st, i, src, NULL));
				if (!add_source_ok(e)) {
					ds_lint_report_instr(c, DS_R_DL3020, in,
							     "use COPY instead of ADD for files and folders ('%s')", e);
					break;
				}
			}
			break;
		case DS_I_COPY: {
			if (in->nargs < 2)
				break;
			const struct ds_word *dw = &in->args[in->nargs - 1];
			const char *dest = dl_drop_quotes(a, ds_model_expand(m, st, i, dw->text, NULL));
			if (in->nargs > 2 && (!*dest || dest[strlen(dest) - 1] != '/'))
				report_word(c, DS_R_DL3021, dw,
					    "COPY with more than 2 arguments requires the last argument to end with / ('%s')",
					    dest);
			const char *raw = dl_drop_quotes(a, dw->text);
			if (!(st && wd && wd[st->index]) && raw[0] != '/' && raw[0] != '$' && !windows_abs(raw))
				report_word(c, DS_R_DL3045, dw, "COPY to the relative destination '%s' without WORKDIR set",
					    raw);
			if (ds_instr_flag(in, "from") && !strcmp(raw, "/"))
				for (uint32_t k = 0; k + 1 < in->nargs; k++)
					if (!strcmp(dl_drop_quotes(a, in->args[k].text), "/")) {
						ds_lint_report_instr(c, DS_R_DL3067, in,
								     "do not copy an entire filesystem from another stage");
						break;
					}
			break;
		}
		case DS_I_ENV:
			env_self(c, st, in);
			secrets(c, in);
			break;
		case DS_I_ARG:
			secrets(c, in);
			break;
		case DS_I_USER:
			if (in->nargs) {
				bool unset = false;
				const char *raw = dl_unquote(a, df->escape, in->args[0].text);
				const char *v = ds_model_expand(m, st, i, raw, &unset);
				/* a user in a declared ARG is the builder's to choose (hadolint 2.14) */
				if (unset && dl_vars_known(c, st, i, raw))
					break;
				if (unset)
					v = raw;
				size_t n = strcspn(v, ":");
				const char *uid = ds_arena_strndup(a, v, n);
				if (!all_digits(uid) && !runtime_account(c, st, uid))
					report_word(c, DS_R_DL3066, &in->args[0],
						    "non-numeric user id '%s' may not be resolvable by the host system", uid);
			}
			break;
		case DS_I_MAINTAINER:
			ds_lint_report_instr(c, DS_R_DL4000, in, "MAINTAINER is deprecated; use LABEL maintainer=...");
			break;
		case DS_I_ONBUILD:
			if (in->sub && (in->sub->kind == DS_I_ONBUILD || in->sub->kind == DS_I_FROM ||
					in->sub->kind == DS_I_MAINTAINER))
				ds_lint_report_instr(c, DS_R_DL3043, in,
						     "'%s' cannot be triggered from within an ONBUILD instruction",
						     in->sub->keyword);
			break;
		default:
			break;
		}
	}
}
