/* plan.c - step 3 (DESIGN §5): the runtime, its release, and which RUNs it makes unnecessary. */
#include "rewrite/internal.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/imageref.h"
#include "analyze/model.h"
#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"
#include "common/str.h"
#include "parser/ast.h"
#include "rewrite/elf.h"

static bool published_for(const struct ds_catalog_runtime *rt, const char *debian)
{
	for (size_t i = 0; i < rt->debian.n; i++)
		if (!strcmp(rt->debian.v[i], debian))
			return true;
	return false;
}

/*
 * Picks the release and writes rt_ref for distroless runtime rt. builder is
 * the image whose artifacts the runtime runs (its release is matched when
 * the runtime is published for it). Returns -1 when blocked.
 */
/*
 * A program from the build context whose build tool is known by the name
 * it writes: Quarkus's native build (Maven's target/, Gradle's build/)
 * writes NAME-runner, a GraalVM native image linked dynamically against
 * glibc that needs libstdc++ and zlib besides (Quarkus's documentation of
 * its base runtime images; its own distroless image adds zlib to
 * distroless cc). The runtime with all three is distroless java-base.
 * Returns that runtime and what the program is, or NULL.
 */
static const struct ds_catalog_runtime *known_artifact(struct cv *c, const struct copy *cp, const char **what)
{
	if (cp->nsrcs != 1)
		return NULL;
	const char *s = cp->srcs[0], *b = ds_str_basename(s);
	size_t dl = (size_t)(b - s);
	bool in_build_dir = (dl == 7 && !strncmp(s, "target/", 7)) || (dl == 6 && !strncmp(s, "build/", 6)) ||
			    (dl == 9 && (!strncmp(s, "./target/", 9)));
	if (!in_build_dir || !ds_str_has_suffix(b, "-runner") || strlen(b) <= 7)
		return NULL;
	*what = "a Quarkus native executable (GraalVM: glibc, libstdc++ and zlib)";
	return ds_catalog_runtime(c->cat, "java-base");
}

/* Whether --target names ubi-micro before distroless and chainguard, or without them. */
static bool ubi_first(const struct cv *c)
{
	for (size_t i = 0; i < c->o->ntargets; i++) {
		if (c->o->targets[i] == DS_VENDOR_UBI_MICRO)
			return true;
		if (c->o->targets[i] == DS_VENDOR_DISTROLESS || c->o->targets[i] == DS_VENDOR_CHAINGUARD)
			return false;
	}
	return false;
}

/* Whether --target names distroless or chainguard. */
static bool general_listed(const struct cv *c)
{
	for (size_t i = 0; i < c->o->ntargets; i++)
		if (c->o->targets[i] == DS_VENDOR_DISTROLESS || c->o->targets[i] == DS_VENDOR_CHAINGUARD)
			return true;
	return c->o->ntargets == 0;
}

/*
 * The libraries the program needs, as far as step 3 learned them (rt: the
 * distroless runtime it picked), *n of them (0: none); NULL when it cannot
 * tell.
 */
static const char *const *program_libraries(struct cv *c, const struct ds_catalog_runtime *rt, size_t *n)
{
	/* glibc first: none needs only the start of the list, glibc one library, Quarkus all four */
	static const char *const libs[] = { "libc.so.6", "libgcc_s.so.1", "libstdc++.so.6", "libz.so.1" };
	if (c->prog_elf && c->prog_elf->kind != DS_ELF_STATIC && c->prog_elf->kind != DS_ELF_STATIC_PIE) {
		*n = c->prog_elf->nneeded;
		return c->prog_elf->needed;
	}
	if (rt->libc == DS_LIBC_NONE || c->prog_link == LINK_STATIC)
		*n = 0;
	else if (c->prog_elf || c->prog_link == LINK_STATIC_GLIBC || (c->prog_lang && !strcmp(c->prog_lang, "go")))
		*n = 1; /* glibc inside loads glibc's NSS modules; Go's cgo needs libc alone */
	else if (c->prog_quarkus)
		*n = sizeof libs / sizeof *libs;
	else
		return NULL;
	return libs;
}

/*
 * The tag of a UBI micro image for the final stage's UBI image: the
 * runtime's own, else the same release ("9.7", "latest"); a build suffix
 * ("9.7-1784720169") names a build of the other image and is dropped.
 */
static const char *ubi_tag(struct cv *c, const struct ds_catalog_runtime *rt)
{
	const char *t = c->root->image.tag;
	if (rt->tag)
		return rt->tag;
	if (!t)
		return "latest";
	size_t n = strspn(t, "0123456789.");
	if (n && t[n] == '-')
		return ds_arena_strndup(c->a, t, n);
	return t;
}

/*
 * --target ubi-micro (before distroless and chainguard): a final stage on a
 * UBI image moves onto UBI micro of the same release when the program's
 * libraries are all there (rt: the distroless runtime step 3 picked for it).
 * Returns 1 when picked, 0 to go on with the distroless runtime, -1 when
 * blocked (ubi-micro alone in --target).
 */
static int pick_ubi(struct cv *c, const struct ds_catalog_runtime *rt)
{
	if (!ubi_first(c))
		return 0;
	const struct ds_catalog_vendor *v = ds_catalog_vendor_named(c->cat, "ubi-micro");
	const char *name = c->root->image.familiar ? c->root->image.familiar : c->root->base;
	const char *img = c->root->base ? c->root->base : "?";
	const struct ds_catalog_runtime *cand[8];
	size_t ncand = v && name ? ds_catalog_replacements(c->cat, v, name, cand, 8) : 0;
	bool alone = !general_listed(c);
	const char *why = NULL;
	if (!ncand) {
		why = ds_arena_printf(c->a, "ubi-micro takes over final stages on Red Hat's UBI images, and '%s' is not one", img);
	} else if (rt->language) {
		why = ds_arena_printf(c->a, "ubi-micro has no %s", rt->language);
	} else if (c->prog_alpine && rt->libc != DS_LIBC_NONE) {
		/* its build moves to a Debian release, whose glibc may be newer than RHEL's (8: 2.28) */
		why = "the program is built on Alpine, and the Debian release its build would move to may have a newer glibc than RHEL's";
	} else {
		size_t nlib;
		const char *const *lib = program_libraries(c, rt, &nlib);
		if (!lib)
			why = ds_arena_printf(c->a, "cannot tell which libraries the program needs beyond glibc, which is all ubi-micro has (distroless would run it on '%s': --target ubi-micro,distroless)",
					      rt->name);
		for (size_t k = 0; lib && k < ncand; k++) {
			const char *lacks = NULL;
			for (size_t i = 0; i < nlib && !lacks; i++)
				if (!cv_runtime_has_library(c, cand[k], lib[i]))
					lacks = lib[i];
			if (lacks) {
				if (!why)
					why = ds_arena_printf(c->a, "'%s' lacks '%s', which the program needs",
							      ds_catalog_runtime_ref(cand[k], NULL, NULL, c->a), lacks);
				continue;
			}
			c->rt = cand[k];
			c->rt_dl = rt;
			c->debian = NULL;
			c->codename = "bullseye"; /* glibc 2.31: not newer than RHEL 9's */
			c->tag = ubi_tag(c, cand[k]);
			c->rt_ref = ds_arena_printf(c->a, "%s:%s", cand[k]->image, c->tag);
			cv_note(c, AT_FROM(c), "DST201",
				"'%s' (ubi-micro, --target) takes the place of '%s': the same release without a package manager; it still has a shell (bash), so lint's DST201 still reports it",
				c->rt_ref, img);
			if (c->root->image.digest)
				cv_note(c, AT_FROM(c), "DST201", "the digest of '%s' names that image, so '%s' is written by tag; pin its own digest",
					img, c->rt_ref);
			return 1;
		}
	}
	if (alone) {
		cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "no runtime of --target ubi-micro fits: %s", why);
		return -1;
	}
	cv_note(c, AT_FROM(c), "DST201", "not ubi-micro: %s", why);
	return 0;
}

static int pick_release(struct cv *c, const struct ds_catalog_runtime *rt, const struct ds_image_class *builder)
{
	const struct ds_catalog_vendor *dl = ds_catalog_distroless(c->cat);
	c->rt_dl = rt;
	int u = pick_ubi(c, rt);
	if (u)
		return u < 0 ? -1 : 0;
	const char *debian = NULL;
	if (!rt->debian.n) {
		cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "runtime '%s' is not published for any release", rt->name);
		return -1;
	}
	const char *newest = rt->debian.v[rt->debian.n - 1];
	if (c->o->debian) {
		debian = published_for(rt, c->o->debian) ? c->o->debian : newest;
		if (debian != c->o->debian)
			cv_note(c, AT_FROM(c), "DST201", "'%s' is not published for debian %s; using debian %s", rt->name,
			     c->o->debian, debian);
	} else if (builder && builder->release && builder->release->family == DS_FAMILY_DEBIAN &&
		   published_for(rt, builder->release->version)) {
		debian = builder->release->version;
	} else if (builder && builder->debian && published_for(rt, builder->debian)) {
		debian = builder->debian; /* a distroless image of that release (a :debug one) */
	} else if (dl->default_debian && published_for(rt, dl->default_debian)) {
		debian = dl->default_debian;
	} else {
		debian = newest;
	}
	const struct ds_catalog_release *rel = ds_catalog_release_find(c->cat, "debian", debian);
	c->codename = rel ? rel->codename : "trixie";
	if (c->o->vendor == DS_VENDOR_CHAINGUARD) {
		const struct ds_catalog_runtime *cg = ds_catalog_chainguard_equivalent(rt);
		if (!cg) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "no chainguard image is known for '%s'", rt->name);
			return -1;
		}
		c->rt = cg;
		c->rt_ref = ds_catalog_runtime_ref(cg, NULL, NULL, c->a);
		struct ds_imageref ir;
		struct ds_image_class ck;
		const char *err;
		if (c->rt_ref && ds_imageref_parse(c->a, c->rt_ref, strlen(c->rt_ref), &ir, &err) == 0 &&
		    ds_catalog_classify(c->cat, &ir, c->a, &ck) == 0 && ck.shell != 0) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				   "'%s' carries a shell, so it is not a shell-free runtime; keep --target distroless", c->rt_ref);
			return -1;
		}
		c->debian = NULL;
		if (rt->language && builder && builder->vendor != ds_catalog_chainguard(c->cat)) {
			/* W12: the free tier publishes ':latest' only, so build and run would not match */
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				   "'%s' follows the newest %s release, while this is built for %s %s on '%s'; build with the same version (Chainguard's '-dev' image of the pinned version, through --mappings) or keep --target distroless",
				   c->rt_ref ? c->rt_ref : cg->name, rt->language, rt->language,
				   builder->version ? builder->version : "an unknown version", c->root->base);
			return -1;
		}
	} else {
		c->rt = rt;
		c->debian = debian;
		c->rt_ref = ds_catalog_runtime_ref(rt, debian, c->tag, c->a);
	}
	if (!c->rt_ref) {
		cv_blocked(c, DS_CONVERT_ERROR, AT_FROM(c), "DST201", "no image reference for runtime '%s'", rt->name);
		return -1;
	}
	return 0;
}

/*
 * Whether --target names a vendor of runtimes for languages and programs
 * (distroless, chainguard), or ubi-micro, which takes programs too.
 */
static bool general_target(const struct cv *c)
{
	for (size_t i = 0; i < c->o->ntargets; i++)
		if (c->o->targets[i] != DS_VENDOR_CHISELED)
			return true;
	return false;
}

/*
 * Tags of the official nginx image that follow the newest mainline release,
 * as Chainguard's free tier does (':latest').
 */
static bool mainline_tag(const char *tag)
{
	static const char *const same[] = { "latest", "alpine", "alpine-slim", "mainline", "mainline-alpine",
					    "mainline-alpine-slim", "alpine3-slim", NULL };
	return !tag || ds_str_in_list(tag, same);
}

/*
 * A runtime of a vendor of --target that replaces the final stage's image
 * (catalogue `replaces`: Chainguard's nginx for nginx, a chiseled .NET image
 * for Microsoft's), tried in the user's order. Returns 1 when one was
 * picked, 0 when none fits (*close names one that replaces the image at
 * another version, or stays NULL).
 */
static int pick_replacement(struct cv *c, const char **close)
{
	const char *name = c->root->image.familiar ? c->root->image.familiar : c->root->base;
	const char *img = c->root->base ? c->root->base : "?";
	*close = NULL;
	for (size_t i = 0; name && i < c->o->ntargets; i++) {
		enum ds_convert_vendor tv = c->o->targets[i];
		if (tv == DS_VENDOR_UBI_MICRO)
			continue; /* its runtimes take programs, by what they need (pick_ubi) */
		const struct ds_catalog_vendor *v = ds_catalog_vendor_named(c->cat, ds_convert_vendor_name(tv));
		const struct ds_catalog_runtime *other = NULL;
		const struct ds_catalog_runtime *rt = v ? ds_catalog_replacement(c->cat, v, name, c->cls.version, &other) : NULL;
		if (!rt) {
			if (other && !*close)
				*close = ds_arena_printf(c->a, "%s has '%s' for %s %s, none for %s", v->name,
							 ds_catalog_runtime_ref(other, NULL, NULL, c->a),
							 other->language ? other->language : "release", other->version,
							 c->cls.version ? c->cls.version : "an unknown version");
			continue;
		}
		c->rt = rt;
		c->rt_dl = NULL;
		c->debian = NULL;
		/* stages moved off Alpine build for the runtime's C library: a release whose glibc is
		 * not newer than the runtime's (chiseled: Ubuntu 24.04, glibc 2.39) */
		c->codename = tv == DS_VENDOR_CHISELED ? "bookworm" : "trixie";
		c->replaced = (int)tv;
		c->tag = rt->tag; /* NULL: the vendor's default */
		c->rt_ref = ds_catalog_runtime_ref(rt, NULL, NULL, c->a);
		cv_note(c, AT_FROM(c), "DST201", "no %s runtime fits '%s'; '%s' (%s, --target) takes its place",
			ds_convert_vendor_name(c->o->vendor), img, c->rt_ref, v->name);
		if (!rt->version && !mainline_tag(c->root->image.tag))
			cv_declare(c, DS_CHANGE_BUMP, AT_FROM(c), "DST201",
				   "'%s' follows the newest release, while '%s' names a release of its own", c->rt_ref, img);
		return 1;
	}
	return 0;
}

/*
 * When a vendor --target does not name has a runtime that replaces the
 * final stage's image: what to add to --target for it, or NULL.
 */
static const char *replacement_hint(struct cv *c)
{
	const char *name = c->root->image.familiar ? c->root->image.familiar : c->root->base;
	for (int tv = 0; name && tv < DS_VENDOR__COUNT; tv++) {
		bool listed = tv == DS_VENDOR_UBI_MICRO; /* asked for by name only: it has a shell */
		for (size_t i = 0; i < c->o->ntargets; i++)
			listed = listed || c->o->targets[i] == (enum ds_convert_vendor)tv;
		const struct ds_catalog_vendor *v = ds_catalog_vendor_named(c->cat, ds_convert_vendor_name((enum ds_convert_vendor)tv));
		const struct ds_catalog_runtime *rt = !listed && v ? ds_catalog_replacement(c->cat, v, name, c->cls.version, NULL) : NULL;
		if (!rt)
			continue;
		struct ds_buf b = DS_BUF_INIT;
		for (size_t i = 0; i < c->o->ntargets; i++)
			ds_buf_addf(&b, "%s,", ds_convert_vendor_name(c->o->targets[i]));
		const char *ref = ds_catalog_runtime_ref(rt, NULL, NULL, c->a);
		c->res->suggest = ref;
		const char *h = ds_arena_printf(c->a, "'%s' of %s takes its place with --target %s%s", ref, v->name,
						b.buf ? b.buf : "", v->name);
		ds_buf_release(&b);
		return h;
	}
	return NULL;
}

/* Step 3: the runtime. Returns -1 when the conversion stops here. */
int cv_pick_runtime(struct cv *c, struct an *an)
{
	const struct ds_image_class *k = &c->cls;
	const char *img = c->root->base ? c->root->base : "?";
	bool general = general_target(c);
	const char *close = NULL;
	if ((!general || k->target == DS_TARGET_NONE) && pick_replacement(c, &close))
		return 0;
	if (!general) {
		cv_blocked(c, DS_CONVERT_NO_RUNTIME, AT_FROM(c), "DST201", "no runtime of --target %s replaces '%s'%s%s",
			   ds_convert_vendor_name(c->o->targets[0]), img, close ? ": " : "", close ? close : "");
		return -1;
	}
	switch (k->target) {
	case DS_TARGET_NONE:
		c->res->suggest = k->suggest;
		if (close) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "no distroless runtime fits '%s', and %s",
				   img, close);
			return -1;
		}
		const char *hint = replacement_hint(c); /* and the image it names is the suggestion */
		if (hint)
			cv_blocked(c, DS_CONVERT_NO_RUNTIME, AT_FROM(c), "DST201", "no distroless runtime fits '%s': %s; %s", img,
				   k->reason ? k->reason : "none is published", hint);
		else if (k->suggest)
			cv_blocked(c, DS_CONVERT_NO_RUNTIME, AT_FROM(c), "DST201", "no distroless runtime fits '%s': %s; consider '%s'",
				img, k->reason ? k->reason : "none is published", k->suggest);
		else
			cv_blocked(c, DS_CONVERT_NO_RUNTIME, AT_FROM(c), "DST201", "no distroless runtime fits '%s': %s", img,
				k->reason ? k->reason : "none is published");
		return -1;
	case DS_TARGET_UNKNOWN:
		cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
			"the catalogue knows no runtime for '%s'; add a mapping (--mappings) or convert by hand", img);
		return -1;
	case DS_TARGET_BUMP:
		if (!k->runtime) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "%s", k->reason ? k->reason : "no runtime for this version");
			return -1;
		}
		if (!c->o->bump_runtime) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "%s; --bump-runtime moves it onto '%s'",
				k->reason ? k->reason : "no runtime for this version", k->runtime->name);
			return -1;
		}
		cv_declare(c, DS_CHANGE_BUMP, AT_FROM(c), "DST201", "%s %s has no distroless runtime; moved onto '%s' (--bump-runtime)",
		     k->language ? k->language : "the language", k->version ? k->version : "?", k->runtime->name);
		return pick_release(c, k->runtime, k);
	case DS_TARGET_RUNTIME: {
		const struct ds_catalog_runtime *rt = k->runtime;
		if (k->static_runtime || k->dynamic_runtime) {
			const char *lang;
			int link = cv_stage_linking(c, c->fs, &lang);
			rt = cv_compiled_runtime(c, k, lang ? lang : k->language, link == LINK_UNKNOWN ? LINK_DYNAMIC : link);
			c->prog_link = link;
			c->prog_lang = lang ? lang : k->language;
		}
		if (!rt) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "the catalogue names no runtime for '%s'", img);
			return -1;
		}
		return pick_release(c, rt, k);
	}
	case DS_TARGET_BINARY:
		break;
	}
	/* decided by the program the stage runs */
	const struct ds_instr *pw = c->ep ? c->ep : c->cmd;
	if (pw) {
		struct cmdv pv;
		cv_command_argv(c, pw, &pv);
		const struct ds_catalog_tool *t = pv.ok && pv.n ? ds_catalog_tool(c->cat, pv.v[0]) : NULL;
		if (pv.ok && pv.n && (t || ds_str_has_suffix(pv.v[0], ".sh"))) {
			const char *origin = t ? NULL : cv_script_origin(c, an, pv.v[0]);
			cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, pw), "DST105", "%s runs '%s', which no runtime has: %s%s%s",
				ds_instr_keyword(pw->kind), pv.v[0],
				t && t->message ? t->message : t ? "it is a shell" : "a shell script needs a shell",
				origin ? "; distill cannot read it: " : "", origin ? origin : "");
			return -1;
		}
	}
	if (!an->exe) {
		const struct ds_instr *w = c->ep ? c->ep : c->cmd;
		if (!w) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				"the final stage on '%s' sets no CMD or ENTRYPOINT, so no runtime can be picked for what it runs", img);
			return -1;
		}
		struct cmdv v;
		cv_command_argv(c, w, &v);
		if (!v.ok || !v.n)
			cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, w), "DST201",
				"cannot tell which program %s runs (%s), so no runtime can be picked", ds_instr_keyword(w->kind),
				v.why ? v.why : "it is empty");
		else
			cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, w), "DST201",
				"'%s' is not copied in from a build stage (it comes with '%s' or a package), so no runtime can be picked",
				v.v[0], img);
		return -1;
	}
	const struct copy *cp = cv_copy_putting(an, an->exe);
	if (!cp || cp->from < 0) {
		const struct ds_instr *w = c->ep ? c->ep : c->cmd;
		size_t o = w ? cv_instr_off(c, w) : cv_from_off(c), e = w ? cv_instr_end(c, w) : cv_from_end(c);
		const char *what = NULL, *unread = NULL;
		/* the program's own ELF headers first, then what its name tells */
		struct ds_elf_info elf;
		const struct ds_catalog_runtime *art = NULL;
		int er = cp && !cp->from_other ? cv_context_program(c, an, cp, &elf, &art, &unread) : 0;
		if (er > 0) { /* kept for pick_ubi: the needed sonames live in the arena already */
			struct ds_elf_info *keep = ds_arena_alloc(c->a, sizeof *keep);
			*keep = elf;
			c->prog_elf = keep;
		}
		if (er) /* on the release of the image it ran on, when there is one */
			return er < 0 || pick_release(c, art, c->has_cls ? &c->cls : NULL) < 0 ? -1
											: cv_context_program_fits(c, an, cp, &elf);
		art = cp && !cp->from_other ? known_artifact(c, cp, &what) : NULL;
		if (art) {
			cv_note(c, AT_INSTR(c, cp->in), "DST201", "'%s' is %s: runtime '%s'", an->exe, what, art->name);
			c->prog_quarkus = true;
			return pick_release(c, art, NULL);
		}
		if (!cp)
			cv_blocked(c, DS_CONVERT_MANUAL, o, e, "DST201",
				"'%s' is not copied in from a build stage; cannot tell what it needs at run time", an->exe);
		else
			cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201",
				"'%s' comes from %s%s%s; cannot tell how it is linked (if it is static, '%s' fits)", an->exe,
				cp->from_other ? "another image" : "the build context", unread ? ", where " : "", unread ? unread : "",
				ds_catalog_runtime_ref(ds_catalog_runtime(c->cat, "static"), c->o->debian, NULL, c->a));
		return -1;
	}
	const struct ds_stage *origin = cv_stage_at(c, cp->from);
	const char *lang;
	int link = cv_stage_linking(c, origin, &lang);
	if (link == LINK_UNKNOWN) {
		cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201",
			"cannot tell how '%s' from %s is linked (no go, cargo or C build found there)", an->exe,
			cv_stage_label(c, origin));
		return -1;
	}
	struct ds_image_class ok;
	bool have = cv_classify_stage(c, origin, &ok);
	c->prog_alpine = have && ok.family == DS_FAMILY_ALPINE;
	const struct ds_catalog_runtime *rt = cv_compiled_runtime(c, have ? &ok : NULL, lang, link);
	if (!rt) {
		cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201", "the catalogue has no runtime for %s programs", lang);
		return -1;
	}
	c->prog_link = link;
	c->prog_lang = lang;
	cv_note(c, AT_INSTR(c, cp->in), "DST201", "'%s' is a %s %s program built in %s: runtime '%s'", an->exe,
	     link == LINK_STATIC ? "statically linked" : link == LINK_STATIC_GLIBC ? "statically linked (glibc, which loads NSS modules)" : "dynamically linked", lang, cv_stage_label(c, origin), rt->name);
	return pick_release(c, rt, have ? &ok : NULL);
}

/* Whether writing dest (a COPY's destination) may change path p: p itself, under it, or a folder holding it. */
static bool writes_into(const char *dest, const char *p)
{
	return !strcmp(dest, p) || ds_path_under(dest, p) || (strcmp(dest, "/") && ds_path_under(p, dest));
}

int cv_replace_launcher(struct cv *c, struct an *an)
{
	const struct ds_catalog_runtime *rt = c->rt;
	if (c->replaced < 0 || !rt)
		return 0;
	int rc = 0;
	for (size_t k = 0; k < rt->keep.n; k++) {
		const char *p = rt->keep.v[k];
		for (size_t i = 0; i < an->ncopies; i++)
			if (writes_into(an->copies[i].dest, p)) {
				cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, an->copies[i].in), "DST201",
					   "this writes '%s', which '%s' keeps as its own (it is set up to run as non-root); put the settings elsewhere (conf.d) or convert by hand",
					   p, c->rt_ref);
				rc = -1;
			}
		for (size_t i = 0; i < an->nruns; i++)
			if (an->runs[i].script && strstr(an->runs[i].script, p)) {
				cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, an->runs[i].in), "DST201",
					   "this changes '%s', which '%s' keeps as its own (it is set up to run as non-root); convert by hand",
					   p, c->rt_ref);
				rc = -1;
			}
	}
	if (rc)
		return rc;
	for (size_t k = 0; k < rt->n_differences; k++) {
		const struct ds_catalog_difference *d = &rt->differences[k];
		bool written = false;
		for (size_t i = 0; d->unless && i < an->ncopies; i++)
			written = written || writes_into(an->copies[i].dest, d->unless);
		unsigned mask = 0;
		const char *bad;
		if (written)
			continue;
		if (ds_change_parse_list(d->kind, &mask, &bad) < 0 || !mask || (mask & (mask - 1))) {
			/* a difference nobody could accept must not go undeclared */
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				   "the catalogue gives runtime '%s' a difference of unknown kind '%s' (%s)", rt->name, d->kind,
				   d->text);
			return -1;
		}
		unsigned kind = 0;
		while (!(mask & (1u << kind)))
			kind++;
		cv_declare(c, (enum ds_change_kind)kind, AT_FROM(c), "DST201", "%s", d->text);
	}
	if (c->ep || c->ep_empty)
		return 0;
	struct ds_image_config bc;
	ds_catalog_image_config(c->cat, &c->root->image, c->a, &bc);
	bool launched = rt->launcher && bc.has_entrypoint && bc.entrypoint.n == 1 && !strcmp(bc.entrypoint.v[0], rt->launcher);
	if (!launched && (!bc.has_entrypoint || bc.entrypoint.n))
		return 0;
	if (!c->cmd) {
		if (!bc.has_cmd || !bc.cmd.n) {
			cv_blocked(c, DS_CONVERT_MANUAL, AT_FROM(c), "DST201",
				   "the final stage runs the default command of '%s', which is not known", c->root->base);
			return -1;
		}
		c->add_cmd = bc.cmd.v; /* the image's own, written out */
		c->nadd_cmd = bc.cmd.n;
	}
	/*
	 * The command runs as it did without the launcher: with the runtime's
	 * entrypoint cleared, the CMD is the whole command, and arguments given
	 * to `docker run` replace it as they did.
	 */
	if (rt->entrypoint.n) {
		c->ep_cleared = true;
		c->add_ep_clear = true;
	}
	if (!launched)
		return 0;
	c->launcher = rt->launcher;
	cv_declare(c, DS_CHANGE_SCRIPT, AT_FROM(c), "DST105",
		   "'%s' started the command through its entrypoint '%s', which prepared the container first (the scripts of /docker-entrypoint.d); '%s' starts it directly",
		   c->root->base, rt->launcher, c->rt_ref);
	return 0;
}

static bool rt_has_pkg(const struct cv *c, const char *p)
{
	const struct ds_catalog_runtime *rt = c->rt_dl ? c->rt_dl : c->rt;
	if (!rt)
		return false;
	if (!strcmp(p, "openssl")) {
		/* for its library: libssl3 on bookworm, libssl3t64 on trixie; what was
		 * built before bookworm (or Ubuntu 22.04) links libssl.so.1.1 */
		const struct ds_catalog_release *rel = c->cls.release;
		if (rel && rel->version && ((rel->family == DS_FAMILY_DEBIAN && ds_catalog_version_cmp(rel->version, "12") < 0) ||
					    (rel->family == DS_FAMILY_UBUNTU && ds_catalog_version_cmp(rel->version, "22.04") < 0)))
			return false;
		return ds_catalog_runtime_has_package(rt, "libssl3") || ds_catalog_runtime_has_package(rt, "libssl3t64");
	}
	return ds_catalog_runtime_has_package(rt, p) ||
	       (!strcmp(p, "ca-certificates-bundle") && ds_catalog_runtime_has_package(rt, "ca-certificates"));
}

/* Whether the runtime already has package p (an Alpine name when apk; [] maps count as had). */
bool cv_pkg_provided(struct cv *c, const struct pkg *p)
{
	if (p->apk) {
		const struct ds_strlist *l = ds_catalog_apk_to_apt(c->cat, p->name);
		if (l) {
			for (size_t i = 0; i < l->n; i++)
				if (!rt_has_pkg(c, l->v[i]))
					return false;
			return true;
		}
	}
	return rt_has_pkg(c, p->name);
}

/* Whether the runtime has a package whose name starts with stem ("libssl" -> libssl3). */
static bool rt_has_pkg_prefix(const struct cv *c, const char *stem)
{
	const struct ds_catalog_runtime *rt = c->rt_dl ? c->rt_dl : c->rt;
	if (!rt)
		return false;
	for (size_t i = 0; i < rt->packages.n; i++)
		if (ds_str_has_prefix(rt->packages.v[i], stem))
			return true;
	return false;
}

/*
 * For a -dev package (Debian name, or an Alpine one mapped to Debian), the
 * library stem ("libpq") the runtime lacks, or NULL when it has it or the
 * package only carries headers.
 */
const char *cv_missing_library(struct cv *c, const struct pkg *p)
{
	static const char *const headers_only[] = { "linux-libc-dev", "libc6-dev", "libc-dev", "musl-dev",
						    "linux-headers", "python3-dev", "python-dev", NULL };
	const char *names[16];
	size_t n = 0;
	const struct ds_strlist *l = p->apk ? ds_catalog_apk_to_apt(c->cat, p->name) : NULL;
	if (l)
		for (size_t i = 0; i < l->n && n < 16; i++)
			names[n++] = l->v[i];
	else
		names[n++] = p->name;
	for (size_t i = 0; i < n; i++) {
		const char *d = names[i];
		if (!ds_str_has_suffix(d, "-dev") || ds_str_in_list(d, headers_only) || ds_str_in_list(p->name, headers_only))
			continue;
		char *stem = ds_arena_strndup(c->a, d, strlen(d) - 4);
		if (!rt_has_pkg_prefix(c, stem))
			return stem;
	}
	return NULL;
}

void cv_classify_runs(struct cv *c, struct an *an)
{
	for (size_t i = 0; i < an->nruns; i++) {
		struct run *r = &an->runs[i];
		size_t from = an->npkgs;
		r->pkg0 = from;
		r->kind = RUN_DROP;
		if (!r->ok || r->in->json || !r->n) {
			r->kind = RUN_BUILD;
			continue;
		}
		for (size_t j = 0; j < r->n; j++)
			if (cv_cmd_class(c, &r->cmds[j], r->in, &an->pkgs, &an->npkgs, &an->cappkgs) == CC_BUILD)
				r->kind = RUN_BUILD;
		r->npkg = an->npkgs - from;
		if (r->kind == RUN_BUILD)
			continue;
		for (size_t k = from; k < an->npkgs; k++)
			if (!cv_pkg_provided(c, &an->pkgs[k]) && !(an->hc_tool && !strcmp(an->pkgs[k].name, an->hc_tool)) &&
			    !(c->init_tool && !strcmp(an->pkgs[k].name, c->init_tool)))
				r->kind = RUN_INSTALL;
	}
}

void cv_compute_feeds(struct cv *c, struct an *an, bool split)
{
	uint32_t n = c->m->nstages;
	c->feeds = ds_arena_zalloc(c->a, n + 1);
	uint32_t *q = ds_arena_alloc(c->a, (n * 4 + 8) * sizeof *q);
	size_t qt = 0;
	if (split)
		q[qt++] = c->fs->index;
	else
		for (size_t i = 0; i < an->ncopies; i++)
			if (an->copies[i].from >= 0 && !cv_copies_accounts_only(&an->copies[i]))
				q[qt++] = (uint32_t)an->copies[i].from; /* account files are text: nothing to rebuild for */
	for (size_t qh = 0; qh < qt; qh++) {
		uint32_t s = q[qh];
		if (s >= n || c->feeds[s])
			continue;
		c->feeds[s] = 1;
		const struct ds_stage *st = &c->m->stages[s];
		const struct ds_stage *p = cv_stage_parent(c, st);
		if (p && qt < n * 4 + 8)
			q[qt++] = p->index;
		for (uint32_t k = 0; k < st->ndeps; k++)
			if (st->deps[k].stage >= 0 && (uint32_t)st->deps[k].stage < n && qt < n * 4 + 8)
				q[qt++] = (uint32_t)st->deps[k].stage;
	}
}

/* Whether what stage st builds may be native code tied to its libc. */
bool cv_stage_native(struct cv *c, const struct ds_stage *st, const struct ds_image_class *k)
{
	if (k->language && !strcmp(k->language, "java"))
		return false;
	const char *lang;
	int link = cv_stage_linking(c, st, &lang);
	if (lang)
		return link == LINK_DYNAMIC;
	for (const struct ds_stage *s = st; s; s = cv_stage_parent(c, s))
		for (uint32_t i = s->first + 1; i <= s->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in || in->kind != DS_I_RUN)
				continue;
			struct run r;
			cv_parse_run(c, s, in, "/", &r);
			if (!r.ok || in->json)
				return true;
			struct pkg *tp = NULL;
			size_t tn = 0, tc = 0;
			for (size_t j = 0; j < r.n; j++)
				if (cv_cmd_class(c, &r.cmds[j], in, &tp, &tn, &tc) == CC_BUILD && r.cmds[j].argc &&
				    !ds_str_in_list(ds_shell_cmd_name(&r.cmds[j]), cv_file_tools))
					return true;
		}
	return false;
}

/* Fix mode, step 2: a removed or deprecated image of the chain's root gets its replacement. */
void cv_replace_removed(struct cv *c)
{
	const struct ds_image_class *k = &c->cls;
	if (k->status != DS_STATUS_REMOVED && k->status != DS_STATUS_DEPRECATED)
		return;
	const struct ds_catalog_runtime *nrt = k->self;
	if ((k->target == DS_TARGET_RUNTIME || k->target == DS_TARGET_BUMP) && k->runtime)
		nrt = k->runtime;
	const char *tag = c->root->image.tag;
	if (tag && !strcmp(tag, "latest"))
		tag = NULL;
	const char *ref = NULL;
	if (nrt && k->vendor == ds_catalog_distroless(c->cat)) {
		const char *deb = c->o->debian && published_for(nrt, c->o->debian) ? c->o->debian : NULL;
		/* the same user as before: an untagged image ran as root, as ':latest' does */
		ref = ds_catalog_runtime_ref(nrt, deb, tag ? tag : "latest", c->a);
		c->rt = nrt;
		c->rt_dl = nrt;
		if (ref) {
			c->debian = deb ? deb : published_for(nrt, "13") ? "13" : nrt->debian.n ? nrt->debian.v[nrt->debian.n - 1] : NULL;
			const struct ds_catalog_release *rel = c->debian ? ds_catalog_release_find(c->cat, "debian", c->debian) : NULL;
			c->codename = rel ? rel->codename : "trixie";
		}
	}
	if (!ref && k->replacement)
		ref = tag ? ds_arena_printf(c->a, "%s:%s", k->replacement, tag) : k->replacement;
	if (!ref) {
		cv_manual(c, AT_FROM(c), "DST203", "'%s' is %s%s%s; no replacement is known", c->root->base,
		       ds_image_status_name(k->status), k->status_message ? ": " : "",
		       k->status_message ? k->status_message : "");
		return;
	}
	c->rt_ref = ref;
	const struct ds_instr *f = c->root->from;
	const char *t = cv_retarget(c, f->args[0].text, c->root->base, ref);
	cv_edit(c, f->args[0].span.off, f->args[0].span.end, t ? t : ref);
	cv_note(c, AT_FROM(c), "DST203", "'%s' is %s (%s): replaced by '%s'", c->root->base, ds_image_status_name(k->status),
	     k->status_message ? k->status_message : "no longer published", ref);
	if (nrt && k->language && k->version && nrt->language && nrt->version && !strcmp(k->language, nrt->language) &&
	    ds_catalog_version_cmp(k->version, nrt->version))
		cv_declare(c, DS_CHANGE_BUMP, AT_FROM(c), "DST203", "%s %s becomes %s %s with the replacement", k->language,
			   k->version, nrt->language, nrt->version);
}

/*
 * W9: binaries the final chain copies out of another Alpine (musl) image
 * ran on the old Alpine base; on a glibc or libc-free runtime they cannot.
 */
void cv_check_foreign_binaries(struct cv *c, struct an *an)
{
	if (c->cls.libc != DS_LIBC_MUSL || !c->rt || c->rt->libc == DS_LIBC_MUSL)
		return;
	static const char *const bin_dirs[] = { "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin",
						"/usr/local/sbin", "/lib", "/usr/lib", "/usr/local/lib", "/usr/libexec", NULL };
	for (size_t i = 0; i < an->ncopies; i++) {
		const struct copy *cp = &an->copies[i];
		if (!cp->from_other)
			continue;
		const struct ds_flag *f = ds_instr_flag(cp->in, "from");
		const char *ref = f && f->value ? cv_expand(c, cp->st, cp->in, f->value, NULL) : NULL;
		struct ds_imageref ir;
		struct ds_image_class k;
		const char *err;
		if (!ref || ds_imageref_parse(c->a, ref, strlen(ref), &ir, &err) < 0 ||
		    ds_catalog_classify(c->cat, &ir, c->a, &k) < 0 || k.libc != DS_LIBC_MUSL)
			continue;
		bool binary = an->exe && ds_path_under(an->exe, cp->dest);
		for (size_t d = 0; bin_dirs[d] && !binary; d++)
			binary = ds_path_under(cp->dest, bin_dirs[d]) || ds_path_under(bin_dirs[d], cp->dest);
		if (binary)
			cv_manual(c, AT_INSTR(c, cp->in), "DST202",
				  "'%s' comes from '%s', an Alpine image: its programs are linked against musl and cannot run on '%s' (%s); copy them from a glibc image instead",
				  cp->dest, ref, c->rt_ref, c->rt->libc == DS_LIBC_GLIBC ? "glibc" : "no libc");
	}
}

/* ---- identity: who runs, and where ---- */

/* The configuration of the runtime written into FROM (its tag's user and WORKDIR). */
static void runtime_config(struct cv *c, struct ds_image_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	if (c->rt)
		ds_catalog_runtime_config(c->cat, c->rt, c->tag, c->a, cfg);
}

const char *cv_runtime_workdir(struct cv *c)
{
	struct ds_image_config cfg;
	runtime_config(c, &cfg);
	return cfg.has_workdir && cfg.workdir && *cfg.workdir ? cfg.workdir : "/";
}

bool cv_chain_sets_workdir_first(struct cv *c)
{
	for (size_t s = 0; s < c->nchain; s++) {
		const struct ds_stage *st = c->chain[s];
		for (uint32_t i = st->first + 1; i <= st->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			if (!in)
				break;
			if (in->kind == DS_I_WORKDIR && in->nargs)
				return cv_expand(c, st, in, in->args[0].text, NULL)[0] == '/';
			if (in->kind == DS_I_RUN)
				return false;
			if ((in->kind == DS_I_COPY || in->kind == DS_I_ADD) && in->nargs &&
			    cv_expand(c, st, in, in->args[in->nargs - 1].text, NULL)[0] != '/')
				return false;
		}
	}
	return false;
}

const char *cv_nonroot_owner(struct cv *c)
{
	const char *n = c->rt && c->rt->accounts && c->rt->accounts->nonroot ? c->rt->accounts->nonroot : "nonroot";
	return ds_arena_printf(c->a, "%s:%s", n, n);
}

bool cv_needs_root(struct cv *c)
{
	const struct ds_image_model *im = &c->im0;
	struct ds_buf why = DS_BUF_INIT;
	for (size_t i = 0; i < im->volumes.n; i++)
		ds_buf_addf(&why, "%sVOLUME '%s' (a bind-mounted folder stays root's)", why.len ? "; " : "", im->volumes.v[i].key);
	for (size_t i = 0; i < im->expose.n; i++) {
		const char *p = im->expose.v[i].key;
		long port = strtol(p, NULL, 10);
		if (port > 0 && port < 1024)
			ds_buf_addf(&why, "%sport %ld below 1024 (Kubernetes lets no other user bind it)", why.len ? "; " : "", port);
	}
	bool sock = false;
	for (size_t i = 0; i < im->env.n && !sock; i++)
		sock = im->env.v[i].value && strstr(im->env.v[i].value, "docker.sock");
	for (size_t i = 0; im->argv.known && i < im->argv.n && !sock; i++)
		sock = strstr(im->argv.v[i], "docker.sock") != NULL;
	if (sock)
		ds_buf_addf(&why, "%sthe Docker socket, which root owns", why.len ? "; " : "");
	for (size_t s = 0; s < c->nchain; s++)
		for (uint32_t i = c->chain[s]->first + 1; i <= c->chain[s]->last; i++) {
			const struct ds_instr *in = cv_instr_at(c, i);
			const char *t = in && in->kind == DS_I_RUN && in->original ? in->original : NULL;
			if (t && (strstr(t, "setcap") || strstr(t, "IPC_LOCK") || strstr(t, "cap_")))
				ds_buf_addf(&why, "%sfile capabilities set at line %u", why.len ? "; " : "", in->start_line);
		}
	bool needs = why.len > 0;
	if (needs)
		cv_manual(c, AT_FROM(c), "DST106", "--nonroot: the original runs as root and shows signs it needs to: %s", why.buf);
	ds_buf_release(&why);
	return needs;
}

const char *cv_identity_user(struct cv *c, size_t off, size_t end)
{
	struct ds_image_config cfg;
	runtime_config(c, &cfg);
	const struct ds_im_user *u = &c->im0.user;
	if (!u->known || !cfg.has_user)
		return NULL; /* the proof says what is unknown */
	const char *ru = cfg.user && *cfg.user ? cfg.user : "root";
	bool runtime_root = !strcmp(ru, "root") || !strcmp(ru, "0");
	if (u->root == 1 && c->nonroot) {
		if (runtime_root) {
			const char *m = c->rt && c->rt->accounts && c->rt->accounts->nonroot ? c->rt->accounts->nonroot : "nonroot";
			cv_declare(c, DS_CHANGE_USER, off, end, "DST106",
				   "the container runs as '%s' instead of root (--nonroot); the folder it starts in is its own", m);
			return m;
		}
		const struct ds_catalog_account *acc = ds_catalog_accounts_user(cfg.accounts, ru);
		cv_declare(c, DS_CHANGE_USER, off, end, "DST106",
			   "the container runs as '%s' (uid %s, the runtime's tag) instead of root (--nonroot); the folder it starts in is its own",
			   acc ? acc->name : ru, ru);
		return NULL;
	}
	if (u->root == 1) {
		if (!runtime_root)
			cv_declare(c, DS_CHANGE_USER, off, end, "DST106",
				   "'%s' runs as '%s', not as root like the original, and has no root variant", c->rt_ref, ru);
		return NULL;
	}
	/* the old image's own non-root user */
	bool changed;
	const char *m = cv_map_user(c, u->spec, &changed);
	if (changed)
		cv_declare(c, DS_CHANGE_USER, off, end, "DST106",
			   "the old image ran as '%s', which '%s' lacks: the runtime stage runs as '%s'", u->spec, c->rt_ref, m);
	return m;
}
