/*
 * programs.c - step 3 (DESIGN §5): the runtime a program from the build context needs, read from its ELF headers.
 *
 * A program copied from the build context was built outside the
 * Dockerfile, so no build step tells how it is linked; the program itself
 * does (rewrite/elf.h). No loader: the static runtime (a static program
 * with glibc inside still loads NSS modules, so base). glibc's loader: the
 * first of base, cc and java-base that has a package shipping every library
 * of DT_NEEDED (the catalogue's `sonames`). musl's or another loader: no
 * runtime has it. The glibc release its symbol versions ask for must not be
 * newer than the runtime's.
 */
#include "rewrite/internal.h"

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/str.h"
#include "rewrite/context.h"
#include "rewrite/elf.h"

/* The runtimes a dynamically linked glibc program may get, smallest first. */
static const char *const glibc_runtimes[] = { "base", "cc", "java-base" };

static size_t file_read(void *cookie, uint64_t off, void *dst, size_t n)
{
	return ds_context_file_read(cookie, off, dst, n);
}

bool cv_runtime_has_library(struct cv *c, const struct ds_catalog_runtime *rt, const char *soname)
{
	const struct ds_strlist *pk = rt ? ds_catalog_soname_packages(c->cat, soname) : NULL;
	for (size_t i = 0; pk && i < pk->n; i++)
		if (ds_catalog_runtime_has_package(rt, pk->v[i]))
			return true;
	return false;
}

/* Whether rt (or, for --target chainguard, its Chainguard image) has a package that ships soname. */
static bool has_library(struct cv *c, const struct ds_catalog_runtime *rt, const char *soname)
{
	if (c->o->vendor == DS_VENDOR_CHAINGUARD)
		rt = ds_catalog_chainguard_equivalent(rt);
	return cv_runtime_has_library(c, rt, soname);
}

/* v[0..n) as "a, b and c", each quoted when quote; "nothing" when n is 0. */
static const char *join(struct cv *c, const char *const *v, size_t n, bool quote)
{
	struct ds_buf b = DS_BUF_INIT;
	const char *q = quote ? "'" : "";
	for (size_t i = 0; i < n; i++)
		ds_buf_addf(&b, "%s%s%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", q, v[i], q);
	const char *r = ds_arena_strdup(c->a, b.buf ? b.buf : "nothing");
	ds_buf_release(&b);
	return r;
}

/* The libraries of e that rt lacks, joined, and how many. */
static const char *missing_libraries(struct cv *c, const struct ds_catalog_runtime *rt, const struct ds_elf_info *e,
				     size_t *n)
{
	const char **v = ds_arena_alloc(c->a, (e->nneeded ? e->nneeded : 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; i < e->nneeded; i++)
		if (!has_library(c, rt, e->needed[i]))
			v[(*n)++] = e->needed[i];
	return join(c, v, *n, true);
}

/*
 * The context file a COPY whose one source has a wildcard in its last
 * component ("target/NAME-runner" as a glob) puts at an->exe, when exactly one file
 * matches; else NULL, with *why when none or several do.
 */
static const char *glob_source(struct cv *c, struct an *an, const struct copy *cp, const char **why)
{
	if (cp->nsrcs != 1 || cp->dest_dir || strcmp(cp->dest, an->exe))
		return NULL;
	const char *s = cp->srcs[0], *b = ds_str_basename(s);
	if (!strpbrk(b, "*?[") || strpbrk(s, "*?[") < b || ds_str_has_prefix(s, "http://") || ds_str_has_prefix(s, "https://"))
		return NULL;
	const char *rel, *dir = ds_arena_strndup(c->a, s, (size_t)(b - s));
	int n = ds_context_match(c->ctx, dir, b, c->a, &rel);
	if (n != 1)
		*why = ds_arena_printf(c->a, "%s '%s'", n ? "several files match" : "no file matches", s);
	return rel;
}

int cv_context_program(struct cv *c, struct an *an, const struct copy *cp, struct ds_elf_info *e,
		       const struct ds_catalog_runtime **rt, const char **why)
{
	*rt = NULL;
	*why = NULL;
	if (!c->ctx)
		return 0;
	const char *src = cv_context_source(c, an, an->exe);
	if (!src)
		src = glob_source(c, an, cp, why);
	if (!src)
		return 0;
	struct ds_context_file f;
	enum ds_context_miss miss;
	if (ds_context_file_open(c->ctx, src, &f, &miss) < 0) {
		*why = ds_arena_printf(c->a, "'%s' is %s", src, ds_context_miss_name(miss));
		return 0;
	}
	struct ds_elf_file ef = { file_read, &f, f.size };
	int r = ds_elf_read(&ef, c->a, e);
	ds_context_file_close(&f);
	const char *exe = an->exe;
	if (r < 0 && e->kind == DS_ELF_NOT) {
		*why = ds_arena_printf(c->a, "'%s' is not an ELF program", src);
		return 0;
	}
	if (r < 0 || e->kind == DS_ELF_LIBRARY) {
		cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201", "'%s' (from '%s' in the build context) is %s%s%s",
			   exe, src, ds_elf_kind_name(e->kind), e->why ? ": " : "", e->why ? e->why : "");
		return -1;
	}
	if (e->kind == DS_ELF_STATIC || e->kind == DS_ELF_STATIC_PIE) {
		bool glibc = e->libc == DS_ELF_LIBC_GLIBC;
		*rt = cv_compiled_runtime(c, NULL, NULL, glibc ? LINK_STATIC_GLIBC : LINK_STATIC);
		cv_note(c, AT_INSTR(c, cp->in), "DST201", "'%s' (from '%s' in the build context) is an ELF program %s%s: runtime '%s'",
			exe, src, ds_elf_kind_name(e->kind),
			glibc ? " with glibc inside, which loads NSS modules at run time" : ", with no C library to load", (*rt)->name);
		return 1;
	}
	if (e->libc != DS_ELF_LIBC_GLIBC) {
		cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201",
			   "'%s' (from '%s' in the build context) is built against %s (its loader is '%s'); the runtimes are glibc: build it against glibc, or statically",
			   exe, src, e->libc == DS_ELF_LIBC_MUSL ? "musl" : "an unknown C library", e->interp);
		return -1;
	}
	const struct ds_catalog_runtime *closest = NULL;
	const char *lacks = NULL;
	size_t fewest = 0;
	for (size_t i = 0; i < sizeof glibc_runtimes / sizeof *glibc_runtimes; i++) {
		const struct ds_catalog_runtime *cand = ds_catalog_runtime(c->cat, glibc_runtimes[i]);
		if (!cand)
			continue;
		size_t n;
		const char *m = missing_libraries(c, cand, e, &n);
		if (!n) {
			*rt = cand;
			cv_note(c, AT_INSTR(c, cp->in), "DST201",
				"'%s' (from '%s' in the build context) is an ELF program dynamically linked against glibc%s, needing %s: runtime '%s'",
				exe, src, e->glibc ? ds_arena_printf(c->a, " (%s or later)", e->glibc) : "", join(c, e->needed, e->nneeded, false), cand->name);
			return 1;
		}
		if (!closest || n < fewest) {
			closest = cand;
			lacks = m;
			fewest = n;
		}
	}
	if (!closest) {
		cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201", "the catalogue has no runtime for programs linked against glibc");
		return -1;
	}
	cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201",
		   "'%s' (from '%s' in the build context) needs libraries no runtime has all of: '%s', the closest, lacks %s; copy %s into the runtime stage by hand, or link %s statically",
		   exe, src, closest->name, lacks, fewest > 1 ? "them" : "it", fewest > 1 ? "them" : "it");
	return -1;
}

int cv_context_program_fits(struct cv *c, struct an *an, const struct copy *cp, const struct ds_elf_info *e)
{
	if (!e->glibc || !c->debian || !c->codename)
		return 0; /* Chainguard's glibc follows the newest release */
	const char *have = ds_catalog_glibc(c->cat, c->codename);
	if (!have || ds_catalog_version_cmp(e->glibc, have) <= 0)
		return 0;
	cv_blocked(c, DS_CONVERT_MANUAL, AT_INSTR(c, cp->in), "DST201",
		   "'%s' asks for glibc %s (symbol version GLIBC_%s), newer than the %s of debian %s that '%s' has; build it on an older release%s",
		   an->exe, e->glibc, e->glibc, have, c->debian, c->rt_ref, c->o->debian ? ", or convert without --debian" : "");
	return -1;
}
