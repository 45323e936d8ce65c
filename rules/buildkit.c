/*
 * buildkit.c - BuildKit's own checks (`docker build --check`) under their
 * own names, following frontend/dockerfile/linter/ruleset.go and the places
 * that run them (instructions/parse.go, dockerfile2llb/convert.go,
 * convert_expose.go, validations.go, parser/parser.go). A check whose
 * DS_TWIN (a DL or DST rule saying the same thing) runs in the profile is
 * left to that rule, so a file gets one finding; --profile buildkit runs
 * them all. UndefinedArgInFrom and UndefinedVar are DST303 and DST304
 * reported under BuildKit's name (rules/dst_structure.c).
 */
#include "rules/rules.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "analyze/imageref.h"
#include "analyze/model.h"
#include "catalog/catalog.h"
#include "common/arena.h"
#include "common/source.h"
#include "parser/ast.h"
#include "rules/dl_local.h"

/* Whether s[0..n) equals its lower-case (upper-case when upper) form, as Go's strings.ToLower compares. */
static bool one_case(const char *s, size_t n, bool upper)
{
	for (size_t i = 0; i < n; i++)
		if (upper ? (s[i] >= 'a' && s[i] <= 'z') : (s[i] >= 'A' && s[i] <= 'Z'))
			return false;
	return true;
}

/* ---- FROM: StageNameCasing, FromAsCasing, ReservedStageName, DuplicateStageName ---- */

static void from_checks(struct ds_lint_ctx *c, const struct ds_instr *in, uint32_t index)
{
	if (in->nargs != 3)
		return;
	const struct ds_word *as = &in->args[1], *name = &in->args[2];
	if (!one_case(name->text, name->len, false))
		ds_lint_report(c, DS_R_StageNameCasing, name->span.off, name->span.end,
			       "stage name '%s' should be lowercase", name->text);
	/* a keyword in mixed case is ConsistentInstructionCasing's to report */
	bool lower = one_case(in->keyword, in->keyword_len, false), upper = one_case(in->keyword, in->keyword_len, true);
	if ((lower && !one_case(as->text, as->len, false)) || (!lower && upper && !one_case(as->text, as->len, true)))
		ds_lint_report(c, DS_R_FromAsCasing, as->span.off, as->span.end,
			       "'%s' and '%.*s' keywords' casing do not match", as->text, (int)in->keyword_len, in->keyword);
	if (!ds_lint_family_on(c, DS_R_DL3063) && (!strcasecmp(name->text, "scratch") || !strcasecmp(name->text, "context")))
		ds_lint_report(c, DS_R_ReservedStageName, name->span.off, name->span.end,
			       "stage name should not use the same name as reserved stage '%s'", name->text);
	if (!ds_lint_family_on(c, DS_R_DL3024) && c->m) {
		/* BuildKit compares the names as written, the later one is reported */
		for (uint32_t s = 0; s < c->m->nstages && c->m->stages[s].from->index < index; s++) {
			const struct ds_instr *f = c->m->stages[s].from;
			if (f->nargs == 3 && !strcasecmp(f->args[2].text, name->text)) {
				ds_lint_report(c, DS_R_DuplicateStageName, name->span.off, name->span.end,
					       "duplicate stage name '%s', stage names should be unique", name->text);
				break;
			}
		}
	}
}

/* ---- ConsistentInstructionCasing ---- */

/*
 * The keywords of FROM and every instruction of a stage (not the ARGs
 * before the first FROM) vote: the case of the majority wins, a tie is
 * upper case, and a keyword in mixed case is always reported.
 */
static void casing(struct ds_lint_ctx *c)
{
	const struct ds_dockerfile *df = c->df;
	unsigned lower = 0, upper = 0;
	bool staged = false;
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		staged |= in->kind == DS_I_FROM;
		if (!staged)
			continue;
		if (one_case(in->keyword, in->keyword_len, false))
			lower++;
		else if (one_case(in->keyword, in->keyword_len, true))
			upper++;
	}
	bool majority_lower = lower > upper;
	staged = false;
	for (uint32_t i = 0; i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		staged |= in->kind == DS_I_FROM;
		if (!staged)
			continue;
		if (majority_lower && !one_case(in->keyword, in->keyword_len, false))
			ds_lint_report(c, DS_R_ConsistentInstructionCasing, in->kw_span.off, in->kw_span.end,
				       "command '%.*s' should match the case of the command majority (lowercase)",
				       (int)in->keyword_len, in->keyword);
		else if (!majority_lower && !one_case(in->keyword, in->keyword_len, true))
			ds_lint_report(c, DS_R_ConsistentInstructionCasing, in->kw_span.off, in->kw_span.end,
				       "command '%.*s' should match the case of the command majority (uppercase)",
				       (int)in->keyword_len, in->keyword);
	}
}

/* ---- NoEmptyContinuation ---- */

/* A line of only blanks between an instruction's first and last line (heredoc bodies aside). */
static void empty_continuation(struct ds_lint_ctx *c, const struct ds_instr *in)
{
	const struct ds_source *src = c->df->src;
	uint32_t first, last, col;
	ds_source_linecol(src, in->line_span.off, &first, &col);
	ds_source_linecol(src, in->line_span.end ? in->line_span.end - 1 : 0, &last, &col);
	for (uint32_t ln = first + 1; ln < last; ln++) {
		size_t b, len;
		ds_source_line_text(src, ln, &b, &len);
		size_t k = 0;
		while (k < len && (src->data[b + k] == ' ' || src->data[b + k] == '\t' || src->data[b + k] == '\r'))
			k++;
		if (k == len) {
			ds_lint_report(c, DS_R_NoEmptyContinuation, (uint32_t)b, (uint32_t)b,
				       "empty continuation line in this %s instruction (line %u)",
				       ds_instr_keyword(in->kind), ln);
			return;
		}
	}
}

/* ---- EXPOSE: ExposeProtoCasing, ExposeInvalidFormat (convert_expose.go) ---- */

static void expose(struct ds_lint_ctx *c, const struct ds_stage *st, const struct ds_instr *in)
{
	for (uint32_t k = 0; k < in->nargs; k++) {
		const struct ds_word *w = &in->args[k];
		const char *p = c->m ? ds_model_expand(c->m, st, in->index, w->text, NULL) : w->text;
		/* [ip:]hostPort:containerPort[/proto]: the last ':' part is the container's */
		const char *last = strrchr(p, ':');
		const char *cport = last ? last + 1 : p;
		const char *slash = strchr(cport, '/');
		if (slash && !one_case(slash + 1, strlen(slash + 1), false))
			ds_lint_report(c, DS_R_ExposeProtoCasing, w->span.off, w->span.end,
				       "defined protocol '%s' in EXPOSE instruction should be lowercase", p);
		if (last)
			ds_lint_report(c, DS_R_ExposeInvalidFormat, w->span.off, w->span.end,
				       "EXPOSE instruction should not define an IP address or host-port mapping, found '%s'",
				       p);
	}
}

/* ---- LegacyKeyValueFormat ---- */

static void legacy_kv(struct ds_lint_ctx *c, const struct ds_instr *in)
{
	for (uint32_t k = 0; k + 2 < in->nargs; k += 3)
		if (in->args[k + 2].len == 0) {
			ds_lint_report_instr(c, DS_R_LegacyKeyValueFormat, in,
					     "\"%s key=value\" should be used instead of legacy \"%s key value\" format",
					     ds_instr_keyword(in->kind), ds_instr_keyword(in->kind));
			return;
		}
}

/* ---- SecretsUsedInArgOrEnv (validations.go getSecretsRegex) ---- */

/* Whether an '_'-separated word of name[0..len) is one of words (case-insensitive). */
static bool has_word(const char *name, size_t len, const char *const *words)
{
	for (size_t i = 0; i <= len;) {
		size_t j = i;
		while (j < len && name[j] != '_')
			j++;
		for (const char *const *w = words; *w; w++)
			if (strlen(*w) == j - i && !strncasecmp(name + i, *w, j - i))
				return true;
		i = j + 1;
	}
	return false;
}

static void secrets(struct ds_lint_ctx *c, const struct ds_instr *in)
{
	static const char *const deny[] = { "apikey", "auth", "credential", "credentials", "key", "password",
					    "pword", "passwd", "secret", "token", NULL };
	static const char *const allow[] = { "public", "file", "version", NULL };
	bool dl = ds_lint_family_on(c, DS_R_DL3064);
	bool is_arg = in->kind == DS_I_ARG;
	for (uint32_t k = 0; k < in->nargs; k += is_arg ? 1 : 3) {
		const struct ds_word *w = &in->args[k];
		size_t len = is_arg ? strcspn(w->text, "=") : w->len;
		if (!has_word(w->text, len, deny) || has_word(w->text, len, allow))
			continue;
		if (dl && dl_sensitive_name(w->text, len))
			continue; /* DL3064 reports this name: one finding */
		ds_lint_report(c, DS_R_SecretsUsedInArgOrEnv, w->span.off, w->span.off + (uint32_t)len,
			       "do not use ARG or ENV instructions for sensitive data (%s '%.*s')", is_arg ? "ARG" : "ENV",
			       (int)len, w->text);
	}
}

/* ---- FROM --platform: RedundantTargetPlatform, FromPlatformFlagConstDisallowed, InvalidBaseImagePlatform ---- */

static void platform(struct ds_lint_ctx *c, const struct ds_stage *st)
{
	const struct ds_flag *pf = ds_instr_flag(st->from, "platform");
	if (!pf || !pf->value || !*pf->value)
		return;
	const char *v = pf->value;
	if (!strcmp(v, "$TARGETPLATFORM") || !strcmp(v, "${TARGETPLATFORM}")) {
		if (!ds_lint_family_on(c, DS_R_DL3065))
			ds_lint_report(c, DS_R_RedundantTargetPlatform, pf->span.off, pf->span.end,
				       "setting platform to predefined %s in FROM is redundant as this is the default behavior",
				       v);
		return;
	}
	if (strchr(v, '$'))
		return; /* not a constant */
	char os[32], arch[32];
	size_t n = strcspn(v, "/");
	if (n == 0 || n >= sizeof os)
		return;
	memcpy(os, v, n);
	os[n] = '\0';
	arch[0] = '\0';
	if (v[n] == '/') {
		size_t m = strcspn(v + n + 1, "/");
		if (m >= sizeof arch)
			return;
		memcpy(arch, v + n + 1, m);
		arch[m] = '\0';
	}
	for (char *p = os; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *name = st->from->nargs == 3 ? st->from->args[2].text : "";
	if (!ds_lint_family_on(c, DS_R_DL3029) && !strstr(name, os) && !(*arch && strstr(name, arch)))
		ds_lint_report(c, DS_R_FromPlatformFlagConstDisallowed, pf->span.off, pf->span.end,
			       "FROM --platform flag should not use constant value '%s'", v);
	/* the operating systems an image is published for, where the catalogue knows the image */
	struct ds_image_class k;
	if (!c->cat || !st->has_image || st->base_kind != DS_BASE_IMAGE ||
	    ds_catalog_classify(c->cat, &st->image, c->a, &k) || k.family == DS_FAMILY_UNKNOWN)
		return;
	const char *has = k.family == DS_FAMILY_WINDOWS ? "windows" : "linux";
	if (strcmp(os, has) && (!strcmp(os, "windows") || !strcmp(os, "linux")))
		ds_lint_report(c, DS_R_InvalidBaseImagePlatform, pf->span.off, pf->span.end,
			       "base image '%s' is published for %s, but --platform asks for '%s'", st->base, has, v);
}

/* ---- InvalidDefaultArgInFrom ---- */

static void default_args(struct ds_lint_ctx *c, const struct ds_stage *st)
{
	const struct ds_instr *from = st->from;
	if (!from->nargs || !strchr(from->args[0].text, '$') || strstr(from->args[0].text, "PLATFORM") ||
	    strstr(from->args[0].text, "ARCH") || strstr(from->args[0].text, "TARGETOS") ||
	    strstr(from->args[0].text, "BUILDOS"))
		return; /* no ARG, or BuildKit's automatic platform ARGs, which always have a value */
	const char *base = st->base ? st->base : "";
	struct ds_imageref r;
	if (*base && !ds_imageref_parse(c->a, base, strlen(base), &r, NULL) && !r.unresolved)
		return;
	ds_lint_report(c, DS_R_InvalidDefaultArgInFrom, from->args[0].span.off, from->args[0].span.end,
		       "default value for ARG %s results in empty or invalid base image name", from->args[0].text);
}

/* ---- per stage: JSONArgsRecommended, WorkdirRelativePath, MultipleInstructionsDisallowed, CopyIgnoredFile ---- */

/* Whether stage st or a stage it is built FROM runs SHELL before instruction index i. */
static bool shell_set(const struct ds_lint_ctx *c, const struct ds_stage *st, uint32_t i)
{
	const struct ds_model *m = c->m;
	for (unsigned g = 0; st && g <= m->nstages; g++) {
		for (uint32_t k = st->first + 1; k < i && k <= st->last; k++)
			if (c->df->instrs[k].kind == DS_I_SHELL)
				return true;
		i = UINT32_MAX;
		st = st->base_stage >= 0 ? &m->stages[st->base_stage] : NULL;
	}
	return false;
}

static void copy_ignored(struct ds_lint_ctx *c, const struct ds_instr *in)
{
	if (!c->file->ignored || ds_instr_flag(in, "from") || in->json)
		return;
	for (uint32_t k = 0; k + 1 < in->nargs; k++) {
		const char *src = dl_drop_quotes(c->a, in->args[k].text);
		if (!strncmp(src, "<<", 2) || strstr(src, "://") || !strncmp(src, "git@", 4) || strchr(src, '$'))
			continue;
		if (c->file->ignored(c->file->ignored_ctx, src))
			ds_lint_report(c, DS_R_CopyIgnoredFile, in->args[k].span.off, in->args[k].span.end,
				       "attempting to %s file '%s' that is excluded by .dockerignore",
				       in->kind == DS_I_ADD ? "add" : "copy", src);
	}
}

static void stage_checks(struct ds_lint_ctx *c, const struct ds_stage *st)
{
	const struct ds_dockerfile *df = c->df;
	bool workdir_set = false;
	const struct ds_instr *seen[3] = { NULL, NULL, NULL }; /* CMD, ENTRYPOINT, HEALTHCHECK */
	static const enum ds_rule_id twin_of[3] = { DS_R_DL4003, DS_R_DL4004, DS_R_DL3012 };
	from_checks(c, st->from, st->from->index);
	platform(c, st);
	default_args(c, st);
	for (uint32_t i = st->first + 1; i <= st->last && i < df->ninstrs; i++) {
		const struct ds_instr *in = &df->instrs[i];
		int once = in->kind == DS_I_CMD ? 0 : in->kind == DS_I_ENTRYPOINT ? 1 : in->kind == DS_I_HEALTHCHECK ? 2 : -1;
		if (once >= 0) {
			/* BuildKit reports the earlier one: it is the one that does not take effect */
			if (seen[once] && !ds_lint_family_on(c, twin_of[once]))
				ds_lint_report_instr(c, DS_R_MultipleInstructionsDisallowed, seen[once],
						     "multiple %s instructions should not be used in the same stage because "
						     "only the last one will be used",
						     ds_instr_keyword(in->kind));
			seen[once] = in;
		}
		switch (in->kind) {
		case DS_I_CMD:
		case DS_I_ENTRYPOINT:
			if (in->nargs && !in->json && !ds_lint_family_on(c, DS_R_DL3025) && !shell_set(c, st, i))
				ds_lint_report_instr(c, DS_R_JSONArgsRecommended, in,
						     "JSON arguments recommended for %s to prevent unintended behavior "
						     "related to OS signals",
						     ds_instr_keyword(in->kind));
			break;
		case DS_I_WORKDIR:
			if (in->nargs && !workdir_set && !ds_lint_family_on(c, DS_R_DL3000)) {
				const char *p = dl_drop_quotes(c->a, in->args[0].text);
				bool win = isalpha((unsigned char)p[0]) && p[1] == ':';
				if (p[0] != '/' && p[0] != '\\' && p[0] != '$' && !win)
					ds_lint_report(c, DS_R_WorkdirRelativePath, in->args[0].span.off,
						       in->args[0].span.end,
						       "relative workdir '%s' can have unexpected results if the base image changes",
						       p);
			}
			workdir_set = true;
			break;
		case DS_I_MAINTAINER:
			if (!ds_lint_family_on(c, DS_R_DL4000))
				ds_lint_report_instr(c, DS_R_MaintainerDeprecated, in,
						     "maintainer instruction is deprecated in favor of using label");
			break;
		case DS_I_ENV:
		case DS_I_LABEL:
			legacy_kv(c, in);
			if (in->kind == DS_I_ENV)
				secrets(c, in);
			break;
		case DS_I_ARG:
			secrets(c, in);
			break;
		case DS_I_EXPOSE:
			expose(c, st, in);
			break;
		case DS_I_COPY:
		case DS_I_ADD:
			copy_ignored(c, in);
			break;
		default:
			break;
		}
	}
}

void ds_rules_buildkit(struct ds_lint_ctx *c)
{
	if (!ds_lint_family_on(c, DS_R_StageNameCasing))
		return;
	const struct ds_dockerfile *df = c->df;
	casing(c);
	for (uint32_t i = 0; i < df->ninstrs; i++)
		empty_continuation(c, &df->instrs[i]);
	/* the ARGs before the first FROM are checked for secrets too (BuildKit dispatches them) */
	for (uint32_t i = 0; i < df->ninstrs && df->instrs[i].kind == DS_I_ARG; i++)
		secrets(c, &df->instrs[i]);
	if (!c->m)
		return;
	for (uint32_t s = 0; s < c->m->nstages; s++)
		stage_checks(c, &c->m->stages[s]);
}
