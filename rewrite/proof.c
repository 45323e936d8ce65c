/*
 * proof.c - step 5 (DESIGN §5): the converted file is proven before anything is printed.
 *
 * Two halves. The check (ds_convert_check) re-parses the output and shows
 * that its final stage needs no shell: no RUN, SHELL or ONBUILD RUN, exec
 * form only, no shell or missing tool started, only users the runtime has.
 * The proof (cv_prove) then compares the image model of the original final
 * stage with the output's (analyze/image.h): every difference must be one
 * the conversion declared (rewrite/convert.h, DS_CHANGE_KINDS), or follow
 * from the base image alone (declared here as kind "base"); the command
 * must run the same program with the same arguments, up to exec form and
 * the runtime's own entrypoint; every COPY --from must name a stage; and
 * the program and the files its arguments name must be in the new image
 * whenever the original had them. A difference nobody declared is an
 * internal error, and nothing is written; a field the catalogue does not
 * know leaves the conversion to a person.
 */
#include "rewrite/internal.h"

#include <string.h>
#include <strings.h>

#include "analyze/image.h"
#include "analyze/model.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/source.h"
#include "common/str.h"
#include "parser/ast.h"

/* The final stage chain of m, final first; returns its length. */
static size_t final_chain(const struct ds_model *m, const struct ds_stage **chain)
{
	size_t n = 0;
	for (const struct ds_stage *st = &m->stages[m->final]; st && n < MAX_CHAIN;) {
		chain[n++] = st;
		st = st->base_kind == DS_BASE_STAGE && st->base_stage >= 0 && (uint32_t)st->base_stage < st->index
			? &m->stages[st->base_stage] : NULL;
	}
	return n;
}

/* Whether part p[0, n) of a user spec is a number or an account of rt or of made, if any (group: a group). */
static bool account_known(const struct ds_catalog_runtime *rt, const struct ds_hmap *made, const char *p, size_t n,
			  bool group)
{
	if (ds_str_all_digits(p, n) || (made && cv_names_has(made, p, n, group)))
		return true;
	char name[256];
	if (n >= sizeof name)
		return false;
	memcpy(name, p, n);
	name[n] = '\0';
	return rt && (group ? ds_catalog_runtime_group(rt, name) : ds_catalog_runtime_user(rt, name));
}

/*
 * Whether the final stage of m can run as spec: numeric ids, names of the
 * runtime rt (none for scratch) or accounts its chain brings in with a
 * passwd or group file (ds_image_model_accounts, indexed into *made on the
 * first name that needs them; *made_done says it was).
 */
static bool has_user(struct ds_arena *a, const struct ds_model *m, const struct ds_catalog_runtime *rt, bool scratch,
		     const char *spec, struct ds_hmap *made, bool *made_done)
{
	const char *colon = strchr(spec, ':');
	size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
	if (!scratch && !rt)
		return true; /* an image the catalogue does not describe: its users are unknown */
	if (!ul)
		return false;
	if (account_known(rt, NULL, spec, ul, false) && (!colon || account_known(rt, NULL, colon + 1, strlen(colon + 1), true)))
		return true;
	if (!*made_done) {
		struct ds_im_account *v;
		size_t n = ds_image_model_accounts(m, m->final, a, &v);
		cv_names_index(a, made, v, n);
		*made_done = true;
	}
	return account_known(rt, made, spec, ul, false) && (!colon || account_known(rt, made, colon + 1, strlen(colon + 1), true));
}

/* The syntactic check of a parsed output; returns 0 or -1 with *why. rt_out gets the runtime. */
/*
 * The runtime that image ref names of a vendor of targets whose images
 * carry a shell (catalogue `shell`: UBI micro), which --target asked for
 * by name, or NULL.
 */
static const struct ds_catalog_runtime *asked_shell_runtime(const struct ds_catalog *cat,
							    const struct ds_convert_opts *targets,
							    const struct ds_imageref *ref)
{
	for (size_t t = 0; targets && ref->familiar && t < targets->ntargets; t++) {
		const struct ds_catalog_vendor *v =
			ds_catalog_vendor_named(cat, ds_convert_vendor_name(targets->targets[t]));
		const struct ds_catalog_runtime *const *rts;
		size_t n = v && v->shell ? ds_catalog_runtimes(cat, v, &rts) : 0;
		for (size_t i = 0; i < n; i++)
			if (rts[i]->replaces.n && rts[i]->image && !strcmp(rts[i]->image, ref->familiar))
				return rts[i];
	}
	return NULL;
}

/*
 * targets: the --target list; a final stage on the image of a vendor it
 * names whose images carry a shell (UBI micro) passes, as it needs no
 * shell all the same, so everything below still holds. NULL for none.
 */
static int check_shell_free(struct ds_arena *a, const struct ds_dockerfile *df, const struct ds_model *m,
			    const struct ds_catalog *cat, const struct ds_convert_opts *targets,
			    const struct ds_catalog_runtime **rt_out, const char **why)
{
	const struct ds_stage *chain[MAX_CHAIN];
	size_t n = final_chain(m, chain);
	const struct ds_stage *root = chain[n - 1];
	const struct ds_catalog_runtime *rt = NULL;
	bool scratch = root->base_kind == DS_BASE_SCRATCH;
	const struct ds_catalog_runtime *asked =
		root->base_kind == DS_BASE_IMAGE && root->has_image ? asked_shell_runtime(cat, targets, &root->image) : NULL;
	if (asked) {
		rt = asked;
	} else if (!scratch) {
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
		rt = k.self ? k.self : ds_catalog_tagged_runtime(cat, root->image.familiar, root->image.tag);
	}
	if (rt_out)
		*rt_out = rt;
	const struct ds_instr *ep = NULL;
	bool ep_cleared = false; /* an ENTRYPOINT [] clears the runtime's: the CMD is the whole command */
	struct ds_hmap made = DS_HMAP_INIT; /* indexed when a name needs them */
	bool made_done = false;
	for (size_t i = n; i-- > 0;)
		for (uint32_t j = chain[i]->first + 1; j <= chain[i]->last && j < df->ninstrs; j++)
			if (df->instrs[j].kind == DS_I_ENTRYPOINT) {
				ep = df->instrs[j].nargs && *df->instrs[j].args[0].text ? &df->instrs[j] : NULL;
				ep_cleared = !ep;
			}
	for (size_t i = n; i-- > 0;) {
		const struct ds_stage *st = chain[i];
		for (uint32_t j = st->first + 1; j <= st->last && j < df->ninstrs; j++) {
			const struct ds_instr *in = &df->instrs[j];
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
				if (in->kind == DS_I_CMD && !ep_cleared && rt && rt->entrypoint.n &&
				    ds_catalog_runtime_is_entrypoint(rt, a0)) {
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
			const char *spec = ds_model_expand(m, st, in->index, user, &unset);
			if (unset || !has_user(a, m, rt, scratch, spec, &made, &made_done)) {
				*why = ds_arena_printf(a, "line %u: user '%s' is not in the runtime", in->start_line, spec);
				return -1;
			}
		}
	}
	return 0;
}

/* Parses text; returns 0 with *df and *m filled, or -1 with *why. */
static int parse_output(struct ds_arena *a, const char *text, size_t len, const char *path, const char *target_stage,
			struct ds_dockerfile *df, struct ds_model *m, const char **why)
{
	struct ds_source *s = ds_arena_zalloc(a, sizeof *s);
	ds_source_from_mem(s, a, path ? path : "-", text, len);
	ds_source_lines(s, a);
	if (ds_parse(a, s, NULL, df) < 0) {
		const struct ds_diag *d = df->fatal >= 0 ? &df->diags.v[df->fatal] : NULL;
		*why = ds_arena_printf(a, "the output does not parse: %s", d ? d->msg : "?");
		return -1;
	}
	ds_model_build(a, df, target_stage, m);
	if (m->final < 0) {
		*why = "the output has no final stage";
		return -1;
	}
	return 0;
}

int ds_convert_check_targets(struct ds_arena *a, const char *text, size_t len, const char *path,
			     const struct ds_catalog *cat, const char *target_stage,
			     const struct ds_convert_opts *targets, const char **why)
{
	struct ds_dockerfile df;
	struct ds_model m;
	if (parse_output(a, text, len, path, target_stage, &df, &m, why) < 0)
		return -1;
	return check_shell_free(a, &df, &m, cat, targets, NULL, why);
}

int ds_convert_check(struct ds_arena *a, const char *text, size_t len, const char *path,
		     const struct ds_catalog *cat, const char *target_stage, const char **why)
{
	return ds_convert_check_targets(a, text, len, path, cat, target_stage, NULL, why);
}

/* ---- the command, up to equivalence ---- */

/* Language runtimes by the names of their interpreters ("python3.11", "/usr/bin/java"). */
static const char *interpreter(const char *w)
{
	const char *b = ds_str_basename(w);
	if (!strcmp(b, "node") || !strcmp(b, "nodejs"))
		return "node";
	if (!strcmp(b, "java"))
		return "java";
	if (!strcmp(b, "python") || !strcmp(b, "python3") ||
	    (ds_str_has_prefix(b, "python3.") && ds_str_all_digits(b + 8, strlen(b + 8))))
		return "python";
	return NULL;
}

/*
 * Entrypoint scripts of source images that only run their arguments
 * ("exec $@"), with the interpreter they put in front of an argument list
 * that starts with an option or a script (the images' own documented
 * behaviour), or NULL.
 */
static const struct {
	const char *script;
	const char *prepend;
} passthrough[] = {
	{ "docker-entrypoint.sh", "node" },          /* node: an option or a file that is no command runs node */
	{ "/usr/local/bin/docker-entrypoint.sh", "node" },
	{ "/__cacert_entrypoint.sh", NULL },         /* eclipse-temurin, without USE_SYSTEM_CA_CERTS */
	{ "docker-php-entrypoint", "php" },          /* php: an option runs php */
};

struct canon {
	const char **v;
	size_t n;
	const char *raw0;  /* the program as written, before interpreters are named by language */
	bool init;         /* an init wrapper was taken off */
	const char *why;   /* set when the command cannot be put in a comparable form */
};

/* Takes an init wrapper (tini, dumb-init) and its options off v[*i..]; true when there was one. */
static bool strip_init(const char *const *v, size_t n, size_t *i)
{
	const char *b = ds_str_basename(v[*i]);
	if (strcmp(b, "tini") && strcmp(b, "tini-static") && strcmp(b, "dumb-init"))
		return false;
	size_t k = *i + 1;
	while (k < n && v[k][0] == '-') {
		if (!strcmp(v[k], "--")) {
			k++;
			break;
		}
		k++;
	}
	*i = k;
	return true;
}

/* The command im runs in a comparable form: shell form read as words, wrappers off, interpreters by name. */
static void canonical(struct ds_arena *a, const struct ds_image_model *im, const struct ds_im_argv *av,
		      const char *launcher, struct canon *out)
{
	memset(out, 0, sizeof *out);
	if (!av->known) {
		out->why = "it is unknown";
		return;
	}
	const char *const *v = av->v;
	size_t n = av->n;
	size_t i = 0;
	bool known_env;
	const char *ca = ds_image_model_env(im, "USE_SYSTEM_CA_CERTS", &known_env);
	for (int guard = 0; i < n && guard < 8; guard++) {
		if (strip_init(v, n, &i)) {
			out->init = true;
			continue;
		}
		if (launcher && !strcmp(v[i], launcher)) {
			i++; /* the launcher declared gone ran its arguments */
			continue;
		}
		/* sh -c 'plain words' runs the same as the words (the shell execs the last command) */
		const char *sb = ds_str_basename(v[i]);
		if (n - i >= 3 && !strcmp(v[i + 1], "-c") &&
		    (!strcmp(sb, "sh") || !strcmp(sb, "bash") || !strcmp(sb, "ash") || !strcmp(sb, "dash"))) {
			struct ds_convert_argv w;
			const char *why;
			if (ds_convert_shell_words(a, v[i + 2], strlen(v[i + 2]), &w, &why) < 0)
				break;
			v = (const char *const *)w.v;
			n = w.n;
			i = 0;
			continue;
		}
		bool hit = false;
		for (size_t k = 0; k < sizeof passthrough / sizeof passthrough[0] && !hit; k++) {
			if (strcmp(v[i], passthrough[k].script))
				continue;
			if (!strcmp(passthrough[k].script, "/__cacert_entrypoint.sh") && (ca || !known_env))
				break; /* it imports certificates first */
			hit = true;
			i++;
			const char *next = i < n ? v[i] : NULL;
			if (passthrough[k].prepend && next &&
			    (next[0] == '-' || (!strcmp(passthrough[k].prepend, "node") &&
						(ds_str_has_suffix(next, ".js") || ds_str_has_suffix(next, ".mjs") ||
						 ds_str_has_suffix(next, ".cjs"))))) {
				/* run through the interpreter: put it back in front */
				const char **nv = ds_arena_alloc(a, (n - i + 2) * sizeof *nv);
				nv[0] = passthrough[k].prepend;
				for (size_t j = i; j < n; j++)
					nv[1 + j - i] = v[j];
				nv[n - i + 1] = NULL;
				v = nv;
				n = n - i + 1;
				i = 0;
			}
		}
		if (!hit)
			break;
	}
	out->n = n - i;
	out->v = ds_arena_alloc(a, (out->n + 1) * sizeof *out->v);
	for (size_t j = 0; j < out->n; j++)
		out->v[j] = v[i + j];
	out->v[out->n] = NULL;
	if (out->n) {
		out->raw0 = out->v[0];
		const char *lang = interpreter(out->v[0]);
		if (lang)
			out->v[0] = lang;
	}
}

static bool canon_equal(const struct canon *x, const struct canon *y)
{
	if (x->n != y->n)
		return false;
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->v[i], y->v[i]))
			return false;
	return true;
}

static const char *canon_text(struct ds_arena *a, const struct canon *c)
{
	struct ds_im_argv v = { (const char **)c->v, c->n, true, false, NULL, NULL };
	return ds_im_argv_text(a, &v);
}

/* ---- files the command names ---- */

/* Where the COPY/ADD of a final chain put files: absolute destinations, a folder or a file each. */
struct dests {
	const char **v;
	bool *dir;
	size_t n, cap;
	bool runs;     /* the chain has RUNs, which may have made any file */
};

static void collect_dests(struct ds_arena *a, const struct ds_model *m, struct dests *d)
{
	memset(d, 0, sizeof *d);
	const struct ds_stage *chain[MAX_CHAIN];
	size_t n = final_chain(m, chain);
	for (size_t s = n; s-- > 0;) {
		const struct ds_stage *st = chain[s];
		const char *wd = "/";
		for (uint32_t i = st->first + 1; i <= st->last && i < m->df->ninstrs; i++) {
			const struct ds_instr *in = &m->df->instrs[i];
			if (in->kind == DS_I_WORKDIR && in->nargs)
				wd = ds_path_join(a, wd, ds_model_expand(m, st, i, in->args[0].text, NULL));
			if (in->kind == DS_I_RUN)
				d->runs = true;
			if ((in->kind != DS_I_COPY && in->kind != DS_I_ADD) || in->nargs < 1)
				continue;
			const char *raw = ds_model_expand(m, st, i, in->args[in->nargs - 1].text, NULL);
			size_t l = strlen(raw);
			size_t cap = d->cap;
			d->v = ds_arena_grow(a, d->v, sizeof *d->v, d->n, &d->cap);
			d->dir = ds_arena_grow(a, d->dir, sizeof *d->dir, d->n, &cap);
			d->v[d->n] = ds_path_join(a, wd, raw);
			d->dir[d->n] = (l && raw[l - 1] == '/') || in->nargs > 2 || !strcmp(raw, ".");
			if (!d->dir[d->n] && in->nargs == 2) {
				/* COPY dir/ dest, COPY . dest: a folder copied under dest's name */
				const char *src = in->args[0].text;
				size_t sl = strlen(src);
				d->dir[d->n] = !strcmp(src, ".") || (sl && src[sl - 1] == '/') || !strchr(ds_str_basename(src), '.');
			}
			d->n++;
		}
	}
}

static bool dests_cover(const struct dests *d, const char *p)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i], p) || (d->dir[i] && ds_path_under(p, d->v[i])))
			return true;
	return false;
}

/* Whether argument w looks like a file the program reads: a path, or a script or archive by its extension. */
static bool names_file(const char *w)
{
	static const char *const ext[] = { ".js", ".mjs", ".cjs", ".py", ".pyc", ".pyz", ".jar", ".war", NULL };
	if (!*w || w[0] == '-' || strchr(w, '=') || strchr(w, ':') || strchr(w, '$'))
		return false;
	for (size_t i = 0; ext[i]; i++)
		if (ds_str_has_suffix(w, ext[i]))
			return true;
	return w[0] == '/';
}

/*
 * Where the python that a0 starts lives when it is not the image's own: a
 * virtual environment (its folder), reached by a path or through PATH
 * folders that come before the system ones and hold the application's
 * files. NULL for the image's python.
 */
static const char *python_home(struct ds_arena *a, const struct ds_image_model *im, const char *a0,
			       const struct dests *d)
{
	const char *lang = a0 ? interpreter(a0) : NULL;
	if (!lang || strcmp(lang, "python"))
		return NULL;
	static const char *const system[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin",
					      "/bin", NULL };
	if (strchr(a0, '/')) {
		const char *dir = ds_arena_strndup(a, a0, (size_t)(ds_str_basename(a0) - a0));
		dir = ds_path_norm(a, dir);
		if (ds_str_in_list(dir, system) || !ds_str_has_suffix(dir, "/bin"))
			return NULL;
		return ds_arena_strndup(a, dir, strlen(dir) - 4);
	}
	bool known;
	const char *path = ds_image_model_env(im, "PATH", &known);
	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");
		const char *e = ds_path_norm(a, ds_arena_strndup(a, p, n));
		p += n + (p[n] == ':');
		if (ds_str_in_list(e, system))
			return NULL;
		if (ds_str_has_suffix(e, "/bin") && (dests_cover(d, e) || d->runs))
			return ds_arena_strndup(a, e, strlen(e) - 4);
	}
	return NULL;
}

/* ---- the proof ---- */

/* Whether the conversion declared a change of kind k. */
static bool declared(const struct cv *c, enum ds_change_kind k)
{
	for (size_t i = 0; i < c->res->nchanges; i++)
		if (c->res->changes[i].kind == k)
			return true;
	return false;
}

/* Whether name is a variable a start script exported (now ENV). */
static bool script_env(const struct cv *c, const char *name)
{
	for (size_t i = 0; i < c->novr_env; i++)
		if (!strncmp(c->ovr_env[i], name, strlen(name)) && c->ovr_env[i][strlen(name)] == '=')
			return true;
	return false;
}

static const char *diff_text(struct ds_arena *a, const struct ds_im_diff *d)
{
	return ds_arena_printf(a, "%s%s%s '%s' became '%s'", ds_im_field_name(d->field), d->key ? " " : "",
			       d->key ? d->key : "", d->before, d->after);
}

int cv_prove(struct cv *c, const char **why)
{
	struct ds_arena *a = c->a;
	struct ds_dockerfile df;
	struct ds_model m;
	const struct ds_catalog_runtime *rt = NULL;
	if (parse_output(a, c->res->output, c->res->output_len, c->df->src->path, c->o->target_stage, &df, &m, why) < 0 ||
	    check_shell_free(a, &df, &m, c->cat, c->o, &rt, why) < 0 || cv_prove_accounts(c, &m, why) < 0)
		return -1;

	/* every COPY --from of the new final chain names a stage or an image, never a stage defined later */
	const struct ds_stage *chain[MAX_CHAIN];
	size_t nch = final_chain(&m, chain);
	for (size_t s = 0; s < nch; s++)
		for (uint32_t k = 0; k < chain[s]->ndeps; k++)
			if (chain[s]->deps[k].later_stage >= 0 ||
			    (chain[s]->deps[k].stage < 0 && ds_str_all_digits(chain[s]->deps[k].expanded,
									      strlen(chain[s]->deps[k].expanded)))) {
				*why = ds_arena_printf(a, "line %u: --from='%s' names no earlier stage", chain[s]->deps[k].in->start_line,
						       chain[s]->deps[k].ref);
				return -1;
			}

	struct ds_image_model before, after;
	ds_image_model_build(c->m, (int)c->fs->index, c->cat, a, &before);
	ds_image_model_build(&m, m.final, c->cat, a, &after);
	struct ds_im_diff *d;
	size_t nd = ds_image_model_diff(&before, &after, a, &d);
	struct ds_buf base_env = DS_BUF_INIT;
	size_t nbase = 0;
	int rc = 0;
	for (size_t i = 0; i < nd && rc == 0; i++) {
		const struct ds_im_diff *x = &d[i];
		if (x->field == DS_IM_ARGV)
			continue; /* compared below, up to equivalence */
		if (x->from_base && (x->field == DS_IM_ENV || x->field == DS_IM_EXPOSE || x->field == DS_IM_VOLUME)) {
			ds_buf_addf(&base_env, "%s%s%s%s", nbase++ ? ", " : "", x->field == DS_IM_ENV ? "" : ds_im_field_name(x->field),
				    x->field == DS_IM_ENV ? "" : " ", x->key);
			continue;
		}
		if (x->field == DS_IM_WORKDIR && c->ovr_workdir && after.workdir.v && !strcmp(after.workdir.v, c->ovr_workdir) &&
		    declared(c, DS_CHANGE_SCRIPT))
			continue; /* the launcher changed to that folder before it ran the program */
		if (x->unknown) {
			c->unproven = ds_arena_printf(a, "cannot show that the %s stays the same: %s",
						      ds_im_field_name(x->field), diff_text(a, x));
			rc = 1;
			break;
		}
		bool ok = false;
		switch (x->field) {
		case DS_IM_USER:
			ok = declared(c, DS_CHANGE_USER);
			break;
		case DS_IM_ENV:
			ok = (script_env(c, x->key) && declared(c, DS_CHANGE_SCRIPT)) ||
			     (!strcmp(x->key, "PYTHONPATH") && declared(c, DS_CHANGE_ENV)) ||
			     (declared(c, DS_CHANGE_BUMP) && !strcmp(cv_python_fix(c, x->before), x->after));
			break;
		case DS_IM_HEALTHCHECK: {
			if (!after.health.set) {
				ok = declared(c, DS_CHANGE_HEALTHCHECK);
				break;
			}
			struct canon hx, hy;
			canonical(a, &before, &before.health.test, NULL, &hx);
			canonical(a, &after, &after.health.test, NULL, &hy);
			ok = !hx.why && !hy.why && canon_equal(&hx, &hy) && before.health.none == after.health.none &&
			     !strcmp(before.health.options ? before.health.options : "",
				     after.health.options ? after.health.options : "");
			break;
		}
		case DS_IM_ONBUILD:
			ok = declared(c, DS_CHANGE_ONBUILD) && after.nonbuild < before.nonbuild;
			break;
		default:
			ok = false;
		}
		if (!ok) {
			*why = ds_arena_printf(a, "the image changes in a way the conversion did not declare: %s", diff_text(a, x));
			rc = -1;
		}
	}
	if (rc == 0 && nbase)
		cv_declare(c, DS_CHANGE_BASE, AT_FROM(c), "DST201",
			   "what the base image itself sets changes with it ('%s' before): %s", c->root->base ? c->root->base : "?",
			   base_env.buf);
	ds_buf_release(&base_env);
	if (rc)
		return rc;

	/* the language runtime keeps its version unless a bump was declared */
	if (c->has_cls && c->cls.language && c->cls.version && c->rt_dl && c->rt_dl->language && c->rt_dl->version &&
	    !strcmp(c->cls.language, c->rt_dl->language) && ds_catalog_version_cmp(c->cls.version, c->rt_dl->version) &&
	    !declared(c, DS_CHANGE_BUMP)) {
		*why = ds_arena_printf(a, "%s %s became %s %s without a declared bump", c->cls.language, c->cls.version,
				       c->rt_dl->language, c->rt_dl->version);
		return -1;
	}

	/* the command: the same program with the same arguments */
	struct canon x, y;
	const char *launcher = c->launcher && declared(c, DS_CHANGE_SCRIPT) ? c->launcher : NULL;
	canonical(a, &before, &before.argv, launcher, &x);
	canonical(a, &after, &after.argv, NULL, &y);
	if (c->nresolved && (declared(c, DS_CHANGE_SCRIPT) || declared(c, DS_CHANGE_INIT))) {
		/* the build context showed what the command comes down to: that is what must run */
		struct ds_im_argv r = { (const char **)c->resolved, c->nresolved, true, false, NULL, NULL };
		bool init = x.init || declared(c, DS_CHANGE_INIT);
		canonical(a, &before, &r, launcher, &x);
		x.init = init;
	}
	if (x.why || y.why) {
		c->unproven = ds_arena_printf(a, "cannot show that the command stays the same: the original's %s",
					      x.why ? x.why : y.why);
		return 1;
	}
	if (x.init && !y.init && !declared(c, DS_CHANGE_INIT)) {
		*why = "the init wrapper of the command was dropped without being declared";
		return -1;
	}
	/* a repaired command: the interpreter was given to itself as its program */
	if (declared(c, DS_CHANGE_REPAIR) && x.n == y.n + 1 && x.n >= 2 && !strcmp(x.v[0], x.v[1]) && interpreter(x.v[0])) {
		x.v++;
		x.n--;
	}
	if (!canon_equal(&x, &y)) {
		*why = ds_arena_printf(a, "the command changes: %s became %s", canon_text(a, &x), canon_text(a, &y));
		return -1;
	}

	/* the program and the files it names are in the new image whenever they were in the original */
	struct dests db, da;
	collect_dests(a, c->m, &db);
	collect_dests(a, &m, &da);
	/* a python from a virtual environment: its packages must reach the runtime's python */
	const char *home = python_home(a, &before, x.raw0, &db);
	if (home && !python_home(a, &after, y.raw0, &da)) {
		bool seen = false;
		for (size_t i = 0; i < c->nvenvs; i++)
			seen = seen || !strcmp(c->venvs[i], home);
		if (!seen) {
			c->unproven = ds_arena_printf(a, "the command runs the python of '%s', a virtual environment, and the runtime's python would not see its packages", home);
			return 1;
		}
	}
	const char *wd = after.workdir.v ? after.workdir.v : "/";
	for (size_t i = 0; i < y.n; i++) {
		const char *w = y.v[i];
		if (i == 0 && interpreter(after.argv.v[0]))
			continue;
		if (i > 0 && !names_file(w))
			continue;
		if (i == 0 && !strchr(w, '/')) {
			if (rt && ds_catalog_runtime_has_binary(rt, w, false))
				continue;
			bool found = false;
			static const char *const pathdirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
								"/sbin", "/bin", NULL };
			for (size_t k = 0; pathdirs[k] && !found; k++)
				found = dests_cover(&da, ds_arena_printf(a, "%s/%s", pathdirs[k], w));
			if (!found) {
				*why = ds_arena_printf(a, "'%s' is not on the PATH of the new image", w);
				return -1;
			}
			continue;
		}
		const char *p = ds_path_join(a, wd, w);
		if (dests_cover(&da, p) || (rt && (ds_catalog_runtime_has_binary(rt, p, false) || ds_catalog_runtime_has_path(rt, p))))
			continue;
		if (dests_cover(&db, p) || db.runs) {
			*why = ds_arena_printf(a, "'%s', which the command %s, is not in the new image", p,
					       i ? "names" : "runs");
			return -1;
		}
	}
	return 0;
}
