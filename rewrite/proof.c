/* proof.c - step 5 (DESIGN §5): the converted file is checked before anything is printed. */
#include "rewrite/internal.h"

#include <string.h>

#include "analyze/model.h"
#include "common/arena.h"
#include "common/source.h"
#include "common/str.h"
#include "parser/ast.h"

int ds_convert_check(struct ds_arena *a, const char *text, size_t len, const char *path,
		     const struct ds_catalog *cat, const char *target_stage, const char **why)
{
	struct ds_source *s = ds_arena_zalloc(a, sizeof *s);
	ds_source_from_mem(s, a, path ? path : "-", text, len);
	ds_source_lines(s, a);
	struct ds_dockerfile df;
	if (ds_parse(a, s, NULL, &df) < 0) {
		const struct ds_diag *d = df.fatal >= 0 ? &df.diags.v[df.fatal] : NULL;
		*why = ds_arena_printf(a, "the output does not parse: %s", d ? d->msg : "?");
		return -1;
	}
	struct ds_model m;
	ds_model_build(a, &df, target_stage, &m);
	if (m.final < 0) {
		*why = "the output has no final stage";
		return -1;
	}
	const struct ds_stage *chain[MAX_CHAIN];
	size_t n = 0;
	for (const struct ds_stage *st = &m.stages[m.final]; st && n < MAX_CHAIN;) {
		chain[n++] = st;
		st = st->base_kind == DS_BASE_STAGE && st->base_stage >= 0 && (uint32_t)st->base_stage < st->index
			? &m.stages[st->base_stage] : NULL;
	}
	const struct ds_stage *root = chain[n - 1];
	const struct ds_catalog_runtime *rt = NULL;
	bool scratch = root->base_kind == DS_BASE_SCRATCH;
	if (!scratch) {
		struct ds_image_class k;
		if (root->base_kind != DS_BASE_IMAGE || !root->has_image ||
		    ds_catalog_classify(cat, &root->image, a, &k) < 0) {
			*why = "the final stage's image cannot be resolved";
			return -1;
		}
		if (k.shell != 0 || k.debug) {
			*why = ds_arena_printf(a, "the final stage runs on '%s', which has a shell", root->base);
			return -1;
		}
		if (k.status == DS_STATUS_REMOVED) {
			*why = ds_arena_printf(a, "'%s' is no longer published", root->base);
			return -1;
		}
		rt = k.self;
	}
	const struct ds_instr *ep = NULL;
	for (size_t i = n; i-- > 0;)
		for (uint32_t j = chain[i]->first + 1; j <= chain[i]->last && j < df.ninstrs; j++)
			if (df.instrs[j].kind == DS_I_ENTRYPOINT)
				ep = df.instrs[j].nargs && *df.instrs[j].args[0].text ? &df.instrs[j] : NULL;
	for (size_t i = n; i-- > 0;) {
		const struct ds_stage *st = chain[i];
		for (uint32_t j = st->first + 1; j <= st->last && j < df.ninstrs; j++) {
			const struct ds_instr *in = &df.instrs[j];
			const char *user = NULL;
			switch (in->kind) {
			case DS_I_RUN:
				*why = ds_arena_printf(a, "line %u: RUN in the final stage", in->start_line);
				return -1;
			case DS_I_SHELL:
				*why = ds_arena_printf(a, "line %u: SHELL in the final stage", in->start_line);
				return -1;
			case DS_I_ONBUILD:
				if (in->sub && in->sub->kind == DS_I_RUN) {
					*why = ds_arena_printf(a, "line %u: ONBUILD RUN in the final stage", in->start_line);
					return -1;
				}
				break;
			case DS_I_USER:
				user = in->nargs ? in->args[0].text : NULL;
				break;
			case DS_I_COPY:
			case DS_I_ADD: {
				const struct ds_flag *f = ds_instr_flag(in, "chown");
				user = f ? f->value : NULL;
				break;
			}
			case DS_I_CMD:
			case DS_I_ENTRYPOINT:
			case DS_I_HEALTHCHECK: {
				bool hc = in->kind == DS_I_HEALTHCHECK;
				if (hc && (!in->nargs || strcasecmp(in->args[0].text, "CMD")))
					break;
				if (!in->json) {
					*why = ds_arena_printf(a, "line %u: %s in shell form", in->start_line,
							       ds_instr_name(in->kind));
					return -1;
				}
				uint32_t f0 = hc ? 1 : 0;
				if (in->nargs <= f0 || (in->kind == DS_I_CMD && ep))
					break;
				const char *a0 = in->args[f0].text;
				if (in->kind == DS_I_CMD && rt && rt->entrypoint.n && ds_catalog_runtime_is_entrypoint(rt, a0)) {
					*why = ds_arena_printf(a, "line %u: CMD repeats the entrypoint '%s'", in->start_line, a0);
					return -1;
				}
				if (ds_catalog_tool(cat, a0) || ds_str_has_suffix(a0, ".sh")) {
					*why = ds_arena_printf(a, "line %u: %s runs '%s', which the runtime lacks", in->start_line,
							       ds_instr_name(in->kind), a0);
					return -1;
				}
				break;
			}
			default:
				break;
			}
			if (!user)
				continue;
			bool unset = false;
			const char *spec = ds_model_expand(&m, st, in->index, user, &unset);
			const char *colon = strchr(spec, ':');
			size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
			bool numeric = ds_str_all_digits(spec, ul) && (!colon || ds_str_all_digits(colon + 1, strlen(colon + 1)));
			if (unset || (scratch && !numeric) || (rt && !numeric && !ds_catalog_runtime_has_user(rt, spec))) {
				*why = ds_arena_printf(a, "line %u: user '%s' is not in the runtime", in->start_line, spec);
				return -1;
			}
		}
	}
	return 0;
}
