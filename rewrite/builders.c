/* builders.c - step 4, builder stages: musl to glibc moves, version bumps, apk to apt-get. */
#include "rewrite/internal.h"

#include <ctype.h>
#include <string.h>

#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/str.h"
#include "parser/ast.h"

/* What one word of an `apk` command becomes. */
enum apk_word {
	APK_HEAD,  /* "apk", options, "add": replaced by the apt-get prefix */
	APK_PKG,   /* a package: replaced by its Debian names (maybe none) */
	APK_DROP,  /* an option or its value after the first package: removed */
};

struct apk_plan {
	const char *sub;            /* "add", "del", "update", ... */
	enum apk_word *kind;        /* per argv word */
	const struct ds_strlist **apt; /* per APK_PKG word: the Debian names */
	size_t npkgs, nmapped;      /* packages, and Debian names in all */
	size_t first_pkg;           /* index of the first package word, or argc */
	bool update;                /* --update / -U / --update-cache */
	bool versions;              /* some package had a version constraint */
	const char *why;            /* set when something cannot be translated */
};

/* apk's options without a value, and with one. */
static const char *const apk_flags[] = {
	"--no-cache", "-U", "--update", "--update-cache", "--no-progress", "-q", "--quiet", "-v",
	"--verbose", "--purge", "--clean-protected", "--no-scripts", "--force", "--force-overwrite",
	"--force-broken-world", "--latest", "-l", "-u", "--upgrade", "--available", "-a",
	"--allow-untrusted", "--no-interactive", "--progress", "-f", NULL,
};

/* Reads an apk command; plan->why says what cannot be translated. */
static void apk_plan(struct ds_arena *a, const struct ds_catalog *cat, const char *const *argv, size_t argc,
		     struct apk_plan *p)
{
	memset(p, 0, sizeof *p);
	p->kind = ds_arena_zalloc(a, (argc + 1) * sizeof *p->kind);
	p->apt = ds_arena_zalloc(a, (argc + 1) * sizeof *p->apt);
	p->first_pkg = argc;
	bool after_pkg = false;
	for (size_t i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (w[0] == '-' && w[1]) {
			const char *eq = strchr(w, '=');
			char *name = ds_arena_strndup(a, w, eq ? (size_t)(eq - w) : strlen(w));
			p->kind[i] = after_pkg ? APK_DROP : APK_HEAD;
			if (!strcmp(name, "-U") || !strcmp(name, "--update") || !strcmp(name, "--update-cache"))
				p->update = true;
			if (ds_str_in_list(name, cv_apk_value_flags)) {
				if (!eq && i + 1 < argc)
					p->kind[++i] = after_pkg ? APK_DROP : APK_HEAD;
				continue;
			}
			if (ds_str_in_list(name, apk_flags))
				continue;
			p->why = ds_arena_printf(a, "apk option '%s' has no apt-get equivalent here", w);
			return;
		}
		if (!p->sub) {
			p->sub = w;
			p->kind[i] = APK_HEAD;
			continue;
		}
		if (strcmp(p->sub, "add"))
			continue; /* words of other subcommands are not packages to map */
		/* a package, maybe with a version constraint or a repository tag */
		size_t nl = strcspn(w, "=<>~@");
		if (w[nl] == '@') {
			p->why = ds_arena_printf(a, "apk package '%s' comes from a tagged repository", w);
			return;
		}
		if (w[nl])
			p->versions = true;
		char *pkg = ds_arena_strndup(a, w, nl);
		if (strchr(pkg, ':') || ds_str_has_expansion(pkg) || !*pkg) {
			p->why = ds_arena_printf(a, "apk package '%s' has no known Debian package", w);
			return;
		}
		const struct ds_strlist *l = ds_catalog_apk_to_apt(cat, pkg);
		if (!l) {
			p->why = ds_arena_printf(a, "apk package '%s' has no known Debian package", pkg);
			return;
		}
		p->kind[i] = APK_PKG;
		p->apt[i] = l;
		p->npkgs++;
		p->nmapped += l->n;
		if (!after_pkg)
			p->first_pkg = i;
		after_pkg = true;
	}
	if (!p->sub)
		p->why = "apk is run without a subcommand";
}

static const char apt_install[] = "apt-get install -y --no-install-recommends";
static const char apt_update[] = "apt-get update";

char *ds_convert_apk_to_apt(struct ds_arena *a, const struct ds_catalog *cat,
			    const char *const *argv, size_t argc, bool update, bool *empty,
			    const char **why)
{
	*empty = false;
	if (argc < 2 || strcmp(ds_str_basename(argv[0]), "apk")) {
		*why = "not an apk command";
		return NULL;
	}
	struct apk_plan p;
	apk_plan(a, cat, argv, argc, &p);
	if (p.why) {
		*why = p.why;
		return NULL;
	}
	if (strcmp(p.sub, "add")) {
		*why = ds_arena_printf(a, "'apk %s' is not an install", p.sub);
		return NULL;
	}
	struct ds_buf b = DS_BUF_INIT;
	if (update || p.update) {
		ds_buf_adds(&b, apt_update);
		ds_buf_adds(&b, " && ");
	}
	ds_buf_adds(&b, apt_install);
	size_t added = 0;
	const char **seen = ds_arena_alloc(a, (p.nmapped + 1) * sizeof *seen);
	for (size_t i = 1; i < argc; i++) {
		if (p.kind[i] != APK_PKG)
			continue;
		for (size_t k = 0; k < p.apt[i]->n; k++) {
			const char *d = p.apt[i]->v[k];
			bool dup = false;
			for (size_t j = 0; j < added; j++)
				dup = dup || !strcmp(seen[j], d);
			if (dup)
				continue;
			seen[added++] = d;
			ds_buf_addc(&b, ' ');
			ds_buf_adds(&b, d);
		}
	}
	*empty = added == 0;
	char *r = ds_arena_strndup(a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* The raw FROM word rewritten so that it expands to new instead of old, keeping variables; NULL when it cannot. */
const char *cv_retarget(struct cv *c, const char *raw, const char *old, const char *new)
{
	if (!ds_str_has_expansion(raw))
		return new;
	size_t lo = strlen(old), ln = strlen(new), p = 0;
	while (p < lo && p < ln && old[p] == new[p])
		p++;
	size_t s = 0;
	while (s < lo - p && s < ln - p && old[lo - 1 - s] == new[ln - 1 - s])
		s++;
	const char *tail = old + p;
	if (!ds_str_has_expansion(tail) && ds_str_has_suffix(raw, tail))
		return ds_arena_printf(c->a, "%.*s%s", (int)(strlen(raw) - strlen(tail)), raw, new + p);
	size_t hl = lo - s;
	if (!memchr(old, '$', hl) && !strncmp(raw, old, hl))
		return ds_arena_printf(c->a, "%.*s%s", (int)(ln - s), new, raw + hl);
	/* Alpine to Debian: the tag from "alpine" on, even when an Alpine version variable follows */
	const char *ao = strstr(old, "alpine"), *ar = NULL;
	for (const char *q = strstr(raw, "alpine"); q; q = strstr(q + 1, "alpine"))
		ar = q;
	if (ao && ar && !strncmp(new, old, (size_t)(ao - old))) {
		const char *rest = ar + 6;
		bool plain = true;
		for (const char *q = rest; *q && plain; q++) {
			if (*q == '$') {
				q++;
				if (*q == '{')
					while (*q && *q != '}')
						q++;
				else
					while (*q == '_' || isalnum((unsigned char)*q))
						q++;
				if (!*q)
					break;
				if (*q != '}')
					q--;
				continue;
			}
			plain = isdigit((unsigned char)*q) || *q == '.';
		}
		if (plain)
			return ds_arena_printf(c->a, "%.*s%s", (int)(ar - raw), raw, new + (ao - old));
	}
	return NULL;
}

/* Tries to move a global ARG's value so that raw expands to new; true when done. */
static bool retarget_arg(struct cv *c, const struct ds_stage *st, const char *raw, const char *old, const char *new)
{
	const char **vars = NULL;
	size_t cap = 0, nv = cv_vars_in(c, raw, &vars, 0, &cap);
	uint32_t first = c->m->nstages ? c->m->stages[0].first : c->df->ninstrs;
	for (size_t i = 0; i < nv; i++) {
		const char *val = ds_scope_get(&c->m->globals, vars[i], strlen(vars[i]));
		if (!val || !*val)
			continue;
		const char *at = strstr(old, val);
		if (!at || strstr(at + 1, val))
			continue;
		size_t pre = (size_t)(at - old), post = strlen(old) - pre - strlen(val);
		if (strlen(new) < pre + post || strncmp(new, old, pre) || strcmp(new + strlen(new) - post, old + pre + strlen(val)))
			continue;
		const char *nval = ds_arena_strndup(c->a, new + pre, strlen(new) - pre - post);
		for (uint32_t k = 0; k < first && k < c->df->ninstrs; k++) {
			const struct ds_instr *in = &c->df->instrs[k];
			if (in->kind != DS_I_ARG)
				continue;
			for (uint32_t j = 0; j < in->nargs; j++) {
				const char *w = in->args[j].text;
				size_t l = strcspn(w, "=");
				if (l == strlen(vars[i]) && !strncmp(w, vars[i], l) && w[l] == '=') {
					cv_edit(c, in->args[j].span.off, in->args[j].span.end, ds_arena_printf(c->a, "%s=%s", vars[i], nval));
					cv_note(c, in->args[j].span.off, in->args[j].span.end, "DST201",
					     "ARG %s changes from '%s' to '%s' for %s", vars[i], val, nval, cv_stage_label(c, st));
					return true;
				}
			}
		}
	}
	return false;
}

/* Writes the new image of root stage r: old -> mid (version) -> new (Debian). */
static void rewrite_from(struct cv *c, const struct ds_stage *r, const char *old, const char *mid, const char *new)
{
	const struct ds_instr *f = r->from;
	if (!f || !f->nargs)
		return;
	const char *raw = f->args[0].text;
	const char *cur = raw;
	if (strcmp(old, mid)) {
		const char *t = cv_retarget(c, cur, old, mid);
		if (t)
			cur = t;
		else if (!retarget_arg(c, r, raw, old, mid)) {
			cur = mid;
			cv_note(c, f->args[0].span.off, f->args[0].span.end, "DST201",
			     "the variables in '%s' are replaced by the new image's name", raw);
		}
	}
	if (strcmp(mid, new)) {
		const char *t = cv_retarget(c, cur, mid, new);
		if (!t) {
			t = new;
			cv_note(c, f->args[0].span.off, f->args[0].span.end, "DST201",
			     "the variables in '%s' are replaced by the new image's name", raw);
		}
		cur = t;
	}
	if (strcmp(cur, raw))
		cv_edit(c, f->args[0].span.off, f->args[0].span.end, cur);
}

/* The release a tag names ("3.13-slim-bookworm" names bookworm), or NULL. */
static const struct ds_catalog_release *tag_release(struct cv *c, const char *tag)
{
	for (const char *p = tag; p && *p;) {
		size_t n = strcspn(p, "-");
		char *w = ds_arena_strndup(c->a, p, n);
		const struct ds_catalog_release *rel = ds_catalog_release(c->cat, w);
		if (rel)
			return rel;
		p += n + (p[n] == '-');
	}
	return NULL;
}

/*
 * W4 after a bump: tag with its codename replaced by the newest one the
 * image published for version when it never had this one
 * ("3.13-slim-buster" becomes "3.13-slim-trixie"); tag itself when it
 * names none or the catalogue does not know the version; NULL when the
 * version had no Debian tags at all.
 */
static const char *existing_codename(struct cv *c, const struct ds_stage *r, const char *tag, const char *version)
{
	const struct ds_catalog_release *rel = tag_release(c, tag);
	if (!rel)
		return tag;
	const char *const *names;
	size_t n = ds_catalog_codenames(c->cat, r->image.familiar, version, c->a, &names);
	if (!n)
		return tag;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], rel->codename))
			return tag;
	const char *at = strstr(tag, rel->codename);
	return ds_arena_printf(c->a, "%.*s%s%s", (int)(at - tag), tag, names[0], at + strlen(rel->codename));
}

/*
 * Calls fn with every RUN of the stages whose chain is rooted at r, split
 * into commands, until fn returns true; returns whether one did.
 */
static bool each_chain_run(struct cv *c, const struct ds_stage *r,
			   bool (*fn)(struct cv *c, const struct ds_instr *in, const struct run *rr, void *ctx), void *ctx)
{
	for (uint32_t s = 0; s < c->m->nstages; s++) {
		const struct ds_stage *st = &c->m->stages[s];
		if (cv_stage_root(c, st) != r)
			continue;
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in || in->kind != DS_I_RUN)
				continue;
			struct run rr;
			cv_parse_run(c, st, in, "/", &rr);
			if (fn(c, in, &rr, ctx))
				return true;
		}
	}
	return false;
}

static bool runs_name(struct cv *c, const struct ds_instr *in, const struct run *rr, void *ctx)
{
	(void)c;
	(void)in;
	for (size_t j = 0; j < rr->n; j++)
		if (rr->cmds[j].argc && !strcmp(ds_shell_cmd_name(&rr->cmds[j]), ctx))
			return true;
	return false;
}

/* Whether a RUN of stage r's chain (r and its parents) runs the command name. */
static bool stage_chain_runs(struct cv *c, const struct ds_stage *r, const char *name)
{
	return each_chain_run(c, r, runs_name, (void *)name);
}

/* apt packages not known to exist in every release since buster, listed in ctx (a ds_buf). */
static bool odd_apt_packages(struct cv *c, const struct ds_instr *in, const struct run *rr, void *ctx)
{
	static const char *const stable[] = {
		"build-essential", "gcc", "g++", "make", "cmake", "git", "curl", "wget", "ca-certificates", "pkg-config",
		"libpq-dev", "libssl-dev", "libffi-dev", "zlib1g-dev", "libxml2-dev", "libxslt1-dev", "libjpeg-dev",
		"libyaml-dev", "libsqlite3-dev", "default-libmysqlclient-dev", "unzip", "tzdata", "gnupg", "xz-utils",
		"python3-dev", "libc6-dev", "openssl", "libpq5", "netcat-openbsd", "procps", "tini", NULL,
	};
	struct ds_buf *odd = ctx;
	struct pkg *p = NULL;
	size_t np = 0, cap = 0;
	for (size_t j = 0; j < rr->n; j++)
		cv_cmd_class(c, &rr->cmds[j], in, &p, &np, &cap);
	for (size_t k = 0; k < np; k++)
		if (!p[k].apk && !ds_str_in_list(p[k].name, stable))
			ds_buf_addf(odd, "%s'%s'", odd->len ? ", " : "", p[k].name);
	return false;
}

/*
 * W6: a builder that moves to another Debian release keeps its apt-get
 * installs, whose package names may not exist there (python-dev is gone
 * since bookworm). Names known to exist in every release since buster pass;
 * any other makes the move manual.
 */
static void apt_across_releases(struct cv *c, const struct ds_stage *r, const char *old, const char *new)
{
	struct ds_imageref o, n;
	const char *err;
	if (ds_imageref_parse(c->a, old, strlen(old), &o, &err) < 0 || ds_imageref_parse(c->a, new, strlen(new), &n, &err) < 0)
		return;
	struct ds_image_class ko, kn;
	if (ds_catalog_classify(c->cat, &o, c->a, &ko) < 0 || ds_catalog_classify(c->cat, &n, c->a, &kn) < 0 ||
	    !ko.release || !kn.release || ko.release == kn.release)
		return;
	if (kn.release->archived) {
		cv_manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST203",
			  "'%s' is on %s %s (%s), whose packages have left the mirrors: apt-get there would fail", new,
			  kn.release->distro, kn.release->version, kn.release->codename);
		return;
	}
	struct ds_buf odd = DS_BUF_INIT;
	each_chain_run(c, r, odd_apt_packages, &odd);
	if (odd.len)
		cv_manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST203",
			  "'%s' moves from %s to %s, and the apt packages %s may not exist there under these names; check them and move the builder by hand",
			  old, ko.release->codename, kn.release->codename, odd.buf);
	ds_buf_release(&odd);
}

/* Whether tag names no version: none, "latest", "lts", "current", "stable", or a variant alone ("alpine", "bookworm-slim"). */
static bool floating_tag(const char *tag)
{
	if (!tag || !*tag)
		return true;
	return !(tag[0] >= '0' && tag[0] <= '9');
}

/* A floating tag pinned to version: "lts-bookworm" -> "22-bookworm", "alpine" -> "22-alpine", none -> "22". */
static const char *pin_tag(struct cv *c, const char *tag, const char *version)
{
	if (!tag || !*tag)
		return version;
	static const char *const words[] = { "latest", "lts", "current", "stable", NULL };
	for (size_t i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (!strncmp(tag, words[i], n) && (!tag[n] || tag[n] == '-'))
			return tag[n] ? ds_arena_printf(c->a, "%s-%s", version, tag + n + 1) : version;
	}
	return ds_arena_printf(c->a, "%s-%s", version, tag);
}

/* The tag of ref with its leading version replaced by version ("20-alpine" -> "22-alpine"), or NULL. */
static const char *bump_tag(struct cv *c, const char *tag, const char *from, const char *to)
{
	if (!tag || !ds_str_has_prefix(tag, from))
		return NULL;
	size_t n = 0;
	while (tag[n] && (isdigit((unsigned char)tag[n]) || tag[n] == '.'))
		n++;
	if (n < strlen(from))
		return NULL;
	return ds_arena_printf(c->a, "%s%s", to, tag + n);
}

/* Moves Alpine stages whose artifacts reach a glibc runtime, and builders of the runtime's language to its version. */
void cv_retarget_builders(struct cv *c)
{
	uint32_t n = c->m->nstages;
	c->moved = ds_arena_zalloc(c->a, (n + 1) * sizeof *c->moved);
	enum ds_libc libc = c->rt ? c->rt->libc : c->cls.libc;
	const struct ds_catalog_runtime *rt = c->rt_dl;
	bool *done = ds_arena_zalloc(c->a, (n + 1) * sizeof *done);
	/* per root image: whether any stage built on it sends native code to the runtime */
	bool *native = ds_arena_zalloc(c->a, (n + 1) * sizeof *native);
	for (uint32_t s = 0; s < n; s++) {
		if (!c->feeds[s])
			continue;
		const struct ds_stage *st = &c->m->stages[s];
		const struct ds_stage *r = cv_stage_root(c, st);
		struct ds_image_class k;
		if (!native[r->index] && cv_classify_stage(c, r, &k) && k.family == DS_FAMILY_ALPINE && cv_stage_native(c, st, &k))
			native[r->index] = true;
	}
	for (uint32_t s = 0; s < n; s++) {
		if (!c->feeds[s])
			continue;
		const struct ds_stage *st = &c->m->stages[s];
		const struct ds_stage *r = cv_stage_root(c, st);
		if (done[r->index] || r->base_kind != DS_BASE_IMAGE || !r->has_image || r->image.unresolved)
			continue;
		struct ds_image_class k;
		if (!cv_classify_stage(c, r, &k))
			continue;
		const char *old = r->base;
		const char *mid = old;
		/* only Docker Hub's official images have tags the catalogue knows; a
		 * mirror or an internal registry may have any others, so none is invented */
		const char *reg = r->image.registry;
		bool hub = !reg || !strcmp(reg, "docker.io") || !strcmp(reg, "index.docker.io") ||
			   !strcmp(reg, "registry-1.docker.io");
		if (!hub) {
			bool needs_move = (libc == DS_LIBC_GLIBC && k.family == DS_FAMILY_ALPINE && native[r->index]) ||
					  (rt && rt->language && rt->version && k.language && !strcmp(k.language, rt->language) &&
					   k.version && strcmp(k.version, rt->version) &&
					   (!strcmp(rt->language, "node") || !strcmp(rt->language, "python")));
			if (needs_move)
				cv_manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST202",
					  "'%s' must move to %s, but which tags '%s' has is not known; pick one by hand",
					  old, k.family == DS_FAMILY_ALPINE ? "a glibc (Debian) tag" : "the runtime's version",
					  r->image.familiar);
			done[r->index] = true;
			continue;
		}
		/* the runtime's language version */
		if (rt && rt->language && rt->version && k.language && !strcmp(k.language, rt->language) && k.version &&
		    strcmp(k.version, rt->version) && (!strcmp(rt->language, "node") || !strcmp(rt->language, "python"))) {
			bool floating = floating_tag(r->image.tag);
			const char *t = floating ? pin_tag(c, r->image.tag, rt->version)
						 : bump_tag(c, r->image.tag, k.version, rt->version);
			if (t && floating) {
				/* W13: a floating tag moves on its own; pinned to what the runtime runs */
				mid = ds_imageref_format(c->a, &r->image, t);
				cv_note(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST203",
					"builder '%s' (%s %s today) is pinned to '%s': what it builds must match the runtime's %s %s",
					old, rt->language, k.version, mid, rt->language, rt->version);
			} else if (t) {
				t = existing_codename(c, r, t, rt->version);
				mid = t ? ds_imageref_format(c->a, &r->image, t) : mid;
				cv_declare(c, DS_CHANGE_BUMP, r->from->args[0].span.off, r->from->args[0].span.end, "DST203",
					   "builder '%s' moves to '%s': what it builds must match the runtime's %s %s", old, mid,
					   rt->language, rt->version);
			}
			if (!t) {
				cv_manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST203",
				       "builder '%s' has %s %s but the runtime has %s; build with the same version", old,
				       rt->language, k.version, rt->version);
			} else if (strcmp(mid, old)) {
				apt_across_releases(c, r, old, mid);
			}
		}
		const char *new = mid;
		if (libc == DS_LIBC_GLIBC && k.family == DS_FAMILY_ALPINE && native[r->index]) {
			struct ds_imageref mref, out;
			const char *err;
			if (ds_imageref_parse(c->a, mid, strlen(mid), &mref, &err) == 0 &&
			    ds_catalog_debian_for_alpine(c->cat, &mref, c->codename, c->a, &out) == 0) {
				new = ds_imageref_format(c->a, &out, NULL);
				c->moved[r->index] = true;
				cv_note(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST202",
				     "%s moves from '%s' to '%s': what it builds for the glibc runtime must not be linked against musl",
				     cv_stage_label(c, r), mid, new);
				const struct ds_catalog_release *rel = tag_release(c, out.tag);
				if (rel && rel->archived && stage_chain_runs(c, r, "apk"))
					cv_manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST202",
						  "'%s' is on %s %s (%s), whose packages have left the mirrors: the apt-get its Alpine commands become would fail; move to a newer %s version",
						  new, rel->distro, rel->version, rel->codename, k.language ? k.language : "image");
			} else {
				cv_manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST202",
				       "'%s' is Alpine (musl) and its artifacts reach a glibc runtime, but no Debian equivalent is known",
				       mid);
			}
		} else if (libc == DS_LIBC_GLIBC && k.release && k.release->glibc && rt && c->debian) {
			const char *g = ds_catalog_runtime_glibc(c->cat, rt, c->debian);
			if (g && ds_catalog_version_cmp(k.release->glibc, g) > 0)
				cv_manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST204",
				       "'%s' has glibc %s, newer than the runtime's %s: its binaries may not run there", old,
				       k.release->glibc, g);
		} else if (libc == DS_LIBC_GLIBC && !k.release && k.family != DS_FAMILY_ALPINE && rt && c->debian &&
			   rt->debian.n && strcmp(c->debian, rt->debian.v[rt->debian.n - 1]) && cv_stage_native(c, st, &k)) {
			/* W16: an untagged or floating builder follows the newest release, whose
			 * glibc is newer than this runtime's */
			const char *g = ds_catalog_runtime_glibc(c->cat, rt, c->debian);
			cv_manual(c, r->from->args[0].span.off, r->from->args[0].span.end, "DST204",
				  "cannot tell which Debian release '%s' builds on (its tag names none, and the newest releases have a newer glibc than the runtime's %s); pin a tag with the runtime's release, such as '-%s'",
				  old, g ? g : "?", c->codename ? c->codename : "bookworm");
		}
		done[r->index] = true;
		if (strcmp(new, old))
			rewrite_from(c, r, old, mid, new);
	}
}

/* A word for sh: as is when safe, else in single quotes. */
static const char *shell_quote(struct cv *c, const char *w)
{
	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=+-,@%") == strlen(w))
		return w;
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_addc(&b, '\'');
	for (const char *p = w; *p; p++) {
		if (*p == '\'')
			ds_buf_adds(&b, "'\\''");
		else
			ds_buf_addc(&b, *p);
	}
	ds_buf_addc(&b, '\'');
	char *r = ds_arena_strndup(c->a, b.buf, b.len);
	ds_buf_release(&b);
	return r;
}

/* busybox adduser/addgroup as Debian's useradd/groupadd/usermod, or NULL with *why. */
static const char *translate_user_cmd(struct cv *c, const struct ds_shell_cmd *cmd, const char **why)
{
	const char *name = ds_shell_cmd_name(cmd);
	bool add_user = !strcmp(name, "adduser");
	const char *ops[4];
	size_t nops = 0;
	struct ds_buf opt = DS_BUF_INIT;
	bool system = false, nohome = false;
	for (size_t i = 1; i < cmd->argc; i++) {
		const char *w = cmd->argv[i].text;
		if (cmd->argv[i].expands) {
			*why = "it uses variables";
			ds_buf_release(&opt);
			return NULL;
		}
		if (w[0] != '-') {
			if (nops == 4) {
				*why = "it has too many operands";
				ds_buf_release(&opt);
				return NULL;
			}
			ops[nops++] = w;
			continue;
		}
		const char *eq = strchr(w, '=');
		char *f = ds_arena_strndup(c->a, w, eq ? (size_t)(eq - w) : strlen(w));
		const char *val = eq ? eq + 1 : NULL;
		const char *to = NULL;
		bool takes = true;
		if (!strcmp(f, "-S") || !strcmp(f, "--system")) {
			system = true;
			takes = false;
		} else if (!strcmp(f, "-D") || !strcmp(f, "--disabled-password") || !strcmp(f, "--empty-password")) {
			takes = false;
		} else if (add_user && (!strcmp(f, "-H") || !strcmp(f, "--no-create-home"))) {
			nohome = true;
			takes = false;
		} else if (add_user && (!strcmp(f, "-h") || !strcmp(f, "--home"))) {
			to = "--home-dir";
		} else if (add_user && (!strcmp(f, "-g") || !strcmp(f, "--gecos"))) {
			to = "--comment";
		} else if (add_user && (!strcmp(f, "-s") || !strcmp(f, "--shell"))) {
			to = "--shell";
		} else if (add_user && (!strcmp(f, "-G") || !strcmp(f, "--ingroup"))) {
			to = "--gid";
		} else if (add_user && (!strcmp(f, "-u") || !strcmp(f, "--uid"))) {
			to = "--uid";
		} else if (!add_user && (!strcmp(f, "-g") || !strcmp(f, "--gid"))) {
			to = "--gid";
		} else if (add_user && (!strcmp(f, "-k"))) {
			to = NULL; /* skeleton folder: Debian's default is fine */
		} else {
			*why = ds_arena_printf(c->a, "option '%s' of busybox %s has no known equivalent", w, name);
			ds_buf_release(&opt);
			return NULL;
		}
		if (takes) {
			if (!val) {
				if (i + 1 >= cmd->argc) {
					*why = ds_arena_printf(c->a, "option '%s' lacks its value", w);
					ds_buf_release(&opt);
					return NULL;
				}
				val = cmd->argv[++i].text;
			}
			if (to) {
				ds_buf_addc(&opt, ' ');
				ds_buf_adds(&opt, to);
				ds_buf_addc(&opt, ' ');
				ds_buf_adds(&opt, shell_quote(c, val));
			}
		}
	}
	const char *r = NULL;
	if (nops == 1) {
		r = ds_arena_printf(c->a, "%s%s%s%s %s", add_user ? "useradd" : "groupadd", system ? " --system" : "",
				    add_user && !nohome ? " --create-home" : "", opt.buf ? opt.buf : "", shell_quote(c, ops[0]));
	} else if (nops == 2 && !opt.len && !system) {
		r = ds_arena_printf(c->a, "usermod -a -G %s %s", shell_quote(c, ops[1]), shell_quote(c, ops[0]));
	} else {
		*why = ds_arena_printf(c->a, "busybox %s with these operands has no known equivalent", name);
	}
	ds_buf_release(&opt);
	return r;
}

/* Deletes source [so, se) of a word and the blanks (and continuations) before it. */
static void delete_word(struct cv *c, uint32_t floor, uint32_t so, uint32_t se)
{
	uint32_t b = so;
	for (;;) {
		while (b > floor && (c->src[b - 1] == ' ' || c->src[b - 1] == '\t'))
			b--;
		uint32_t e = b;
		if (e > floor && c->src[e - 1] == '\n') {
			e--;
			if (e > floor && c->src[e - 1] == '\r')
				e--;
			if (e > floor && c->src[e - 1] == c->df->escape) {
				b = e - 1;
				continue;
			}
		}
		break;
	}
	cv_edit(c, b, se, "");
}

/* Translates the apk and busybox commands of one RUN of a stage that moved to Debian. */
static void translate_run(struct cv *c, const struct ds_stage *st, const struct ds_instr *in)
{
	struct run r;
	cv_parse_run(c, st, in, "/", &r);
	bool alpine = false;
	for (size_t j = 0; j < r.n; j++) {
		const char *nm = ds_shell_cmd_name(&r.cmds[j]);
		if (!strcmp(nm, "apk") || ((!strcmp(nm, "adduser") || !strcmp(nm, "addgroup"))))
			alpine = true;
		for (size_t k = 0; k < r.cmds[j].argc; k++)
			if (strstr(r.cmds[j].argv[k].text, "musl"))
				alpine = true;
	}
	if (!alpine)
		return;
	if (!r.ok || r.map == 2) {
		cv_manual(c, AT_INSTR(c, in), "DST202",
		       "this RUN uses Alpine commands and cannot be translated for Debian automatically");
		return;
	}
	bool *del = ds_arena_zalloc(c->a, (r.n + 1) * sizeof *del);
	bool prev_update = false;
	size_t ned_before = c->ned;
	for (size_t j = 0; j < r.n; j++) {
		const struct ds_shell_cmd *cmd = &r.cmds[j];
		const char *nm = ds_shell_cmd_name(cmd);
		for (size_t k = 0; k < cmd->argc; k++)
			if (strstr(cmd->argv[k].text, "musl") && strcmp(nm, "apk")) {
				cv_manual(c, AT_INSTR(c, in), "DST202", "'%s' refers to musl, which the Debian image does not have",
				       cmd->argv[k].text);
				return;
			}
		bool is_apk = !strcmp(nm, "apk"), is_user = !strcmp(nm, "adduser") || !strcmp(nm, "addgroup");
		if (!is_apk && !is_user) {
			if (cmd->depth == 0)
				prev_update = false;
			continue;
		}
		if (cmd->depth > 0 || cmd->nwrappers || cmd->nassigns) {
			cv_manual(c, AT_INSTR(c, in), "DST202",
			       "'%s' is nested, wrapped or prefixed with variables; translate it for Debian by hand", nm);
			return;
		}
		uint32_t so = cv_run_src(c, &r, cmd->argv[0].off), se = cv_run_src(c, &r, cmd->argv[cmd->argc - 1].end);
		if (is_user) {
			const char *why = NULL;
			const char *t = translate_user_cmd(c, cmd, &why);
			if (!t) {
				cv_manual(c, AT_INSTR(c, in), "DST202", "cannot translate '%s' for Debian: %s", nm, why);
				return;
			}
			cv_edit(c, so, se, t);
			prev_update = false;
			continue;
		}
		const char **argv = ds_arena_alloc(c->a, (cmd->argc + 1) * sizeof *argv);
		for (size_t k = 0; k < cmd->argc; k++)
			argv[k] = cmd->argv[k].text;
		struct apk_plan p;
		apk_plan(c->a, c->cat, argv, cmd->argc, &p);
		if (p.why) {
			cv_manual(c, AT_INSTR(c, in), "DST202", "cannot translate for Debian: %s", p.why);
			return;
		}
		if (!strcmp(p.sub, "update")) {
			cv_edit(c, so, se, apt_update);
			prev_update = true;
			continue;
		}
		if (!strcmp(p.sub, "del") || !strcmp(p.sub, "upgrade") || !strcmp(p.sub, "cache")) {
			del[j] = true;
			continue;
		}
		if (strcmp(p.sub, "add")) {
			cv_manual(c, AT_INSTR(c, in), "DST202", "'apk %s' has no apt-get translation", p.sub);
			return;
		}
		if (!p.nmapped || p.first_pkg >= cmd->argc) {
			del[j] = true;
			continue;
		}
		const char *head = ds_arena_printf(c->a, "%s%s", prev_update ? "" : "apt-get update && ", apt_install);
		uint32_t he = cv_run_src(c, &r, cmd->argv[p.first_pkg - 1].end);
		cv_edit(c, so, he, head);
		for (size_t k = p.first_pkg; k < cmd->argc; k++) {
			uint32_t wo = cv_run_src(c, &r, cmd->argv[k].off), we = cv_run_src(c, &r, cmd->argv[k].end);
			if (p.kind[k] == APK_DROP) {
				delete_word(c, he, wo, we);
				continue;
			}
			if (p.kind[k] != APK_PKG)
				continue;
			const struct ds_strlist *l = p.apt[k];
			if (!l->n) {
				delete_word(c, he, wo, we);
				continue;
			}
			const char *t = cv_words_text(c, l->v, l->n);
			if (strcmp(t, cmd->argv[k].text))
				cv_edit(c, wo, we, t);
		}
		if (p.versions)
			cv_note(c, AT_INSTR(c, in), "DST202", "Alpine package versions dropped: Debian's differ");
		prev_update = false;
	}
	/* remove deleted commands with the operator that joins them */
	size_t *top = ds_arena_alloc(c->a, (r.n + 1) * sizeof *top);
	size_t nt = 0;
	for (size_t j = 0; j < r.n; j++)
		if (r.cmds[j].depth == 0)
			top[nt++] = j;
	bool any_left = false;
	for (size_t t = 0; t < nt; t++)
		any_left = any_left || !del[top[t]];
	if (!any_left) {
		c->ned = ned_before; /* the whole RUN goes */
		cv_delete_instr(c, in);
		cv_note(c, AT_INSTR(c, in), "DST202", "RUN removed: on Debian it has nothing left to do");
		return;
	}
	for (size_t t = 0; t < nt;) {
		if (!del[top[t]]) {
			t++;
			continue;
		}
		size_t u = t;
		while (u + 1 < nt && del[top[u + 1]])
			u++;
		/* the operators that go must be && ; or a line end, and no pipe may lose a side */
		bool safe = true;
		for (size_t k = t; k <= u; k++)
			safe = safe && !r.cmds[top[k]].in_pipeline;
		for (size_t k = t > 0 ? t : t + 1; k <= u + 1 && k < nt; k++) {
			enum ds_shell_op op = r.cmds[top[k]].op;
			if (k == u + 1 && t > 0)
				safe = safe && op != DS_SH_OR && op != DS_SH_PIPE;
			else
				safe = safe && (op == DS_SH_AND || op == DS_SH_SEMI || op == DS_SH_NEWLINE);
		}
		if (!safe) {
			cv_manual(c, AT_INSTR(c, in), "DST202",
			       "an Alpine command joined by '||', '|' or '&' cannot be removed safely; translate it by hand");
			return;
		}
		if (t > 0)
			cv_edit(c, cv_run_src(c, &r, r.cmds[top[t - 1]].end), cv_run_src(c, &r, r.cmds[top[u]].end), "");
		else
			cv_edit(c, cv_run_src(c, &r, r.cmds[top[t]].off), cv_run_src(c, &r, r.cmds[top[u + 1]].off), "");
		t = u + 1;
	}
	cv_note(c, AT_INSTR(c, in), "DST202", "Alpine commands translated for Debian (apk to apt-get)");
}

/* split: the final stage is the builder; otherwise it now runs on the runtime and has nothing to translate. */
void cv_translate_moved_stages(struct cv *c, bool split)
{
	for (uint32_t s = 0; s < c->m->nstages; s++) {
		const struct ds_stage *st = &c->m->stages[s];
		if (!c->moved[cv_stage_root(c, st)->index] || (st == c->fs && !split))
			continue;
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (in && in->kind == DS_I_RUN && !c->del[cv_instr_first_line(c, in)])
				translate_run(c, st, in);
		}
	}
}
