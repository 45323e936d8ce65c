/* query.c - answers questions about images: classification, runtimes, releases, Alpine moves. */
#include "catalog/catalog.h"

#include "analyze/imageref.h"
#include "catalog/internal.h"
#include "common/arena.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* queries                                                            */

const char *ds_catalog_date(const struct ds_catalog *c)
{
	return c->t.date;
}

const struct ds_catalog_vendor *ds_catalog_distroless(const struct ds_catalog *c)
{
	return &c->t.vend[V_DISTROLESS].pub;
}

const struct ds_catalog_vendor *ds_catalog_chainguard(const struct ds_catalog *c)
{
	return &c->t.vend[V_CHAINGUARD].pub;
}

const struct ds_catalog_runtime *ds_catalog_runtime(const struct ds_catalog *c, const char *name)
{
	const struct rt_def *d = ds_catalog__find_runtime(&c->t.vend[V_DISTROLESS], name);
	return d ? &d->pub : NULL;
}

const struct ds_catalog_runtime *ds_catalog_chainguard_runtime(const struct ds_catalog *c,
								const char *name)
{
	const struct rt_def *d = ds_catalog__find_runtime(&c->t.vend[V_CHAINGUARD], name);
	return d ? &d->pub : NULL;
}

size_t ds_catalog_runtimes(const struct ds_catalog *c, const struct ds_catalog_vendor *v,
			   const struct ds_catalog_runtime *const **v_out)
{
	for (int i = 0; i < V__COUNT; i++) {
		if (v == &c->t.vend[i].pub) {
			*v_out = c->t.vend[i].rt_pub;
			return c->t.vend[i].n_rt;
		}
	}
	*v_out = NULL;
	return 0;
}

const struct ds_catalog_runtime *ds_catalog_chainguard_equivalent(const struct ds_catalog_runtime *rt)
{
	return rt ? rt->chainguard : NULL;
}

const struct ds_catalog_vendor *ds_catalog_vendor_named(const struct ds_catalog *c, const char *name)
{
	for (int i = 0; i < V__COUNT; i++)
		if (c->t.vend[i].pub.name && !strcmp(c->t.vend[i].pub.name, name))
			return &c->t.vend[i].pub;
	return NULL;
}

const struct ds_catalog_runtime *ds_catalog_tagged_runtime(const struct ds_catalog *c, const char *name,
							   const char *tag)
{
	for (int i = 0; name && tag && i < V__COUNT; i++) {
		const struct vendor *v = &c->t.vend[i];
		for (size_t j = 0; j < v->n_rt; j++) {
			const struct ds_catalog_runtime *rt = &v->rt[j]->pub;
			if (rt->tag && !strcmp(rt->tag, tag) && !strcmp(rt->image, name))
				return rt;
		}
	}
	return NULL;
}

const struct ds_catalog_runtime *ds_catalog_replacement(const struct ds_catalog *c,
							const struct ds_catalog_vendor *v,
							const char *name, const char *version,
							const struct ds_catalog_runtime **other)
{
	const struct ds_catalog_runtime *const *rts;
	size_t n = ds_catalog_runtimes(c, v, &rts);
	if (other)
		*other = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct ds_catalog_runtime *rt = rts[i];
		if (!rt->replaces.n || !ds_catalog__globs_match(&rt->replaces, name))
			continue;
		if (!rt->version || (version && !ds_catalog_version_cmp(rt->version, version)))
			return rt;
		if (other && !*other)
			*other = rt;
	}
	return NULL;
}

size_t ds_catalog_replacements(const struct ds_catalog *c, const struct ds_catalog_vendor *v, const char *name,
			       const struct ds_catalog_runtime **out, size_t max)
{
	const struct ds_catalog_runtime *const *rts;
	size_t n = ds_catalog_runtimes(c, v, &rts), k = 0;
	for (size_t i = 0; i < n && k < max; i++)
		if (rts[i]->replaces.n && ds_catalog__globs_match(&rts[i]->replaces, name))
			out[k++] = rts[i];
	return k;
}

const struct ds_catalog_release *ds_catalog_release(const struct ds_catalog *c,
						    const char *codename)
{
	for (size_t i = 0; i < c->t.n_rel; i++)
		if (strcmp(c->t.rel[i]->codename, codename) == 0)
			return c->t.rel[i];
	return NULL;
}

const struct ds_catalog_release *ds_catalog_release_find(const struct ds_catalog *c,
							 const char *distro, const char *version)
{
	for (size_t i = 0; i < c->t.n_rel; i++)
		if (strcmp(c->t.rel[i]->distro, distro) == 0 &&
		    strcmp(c->t.rel[i]->version, version) == 0)
			return c->t.rel[i];
	return NULL;
}

const char *ds_catalog_glibc(const struct ds_catalog *c, const char *codename)
{
	const struct ds_catalog_release *r = ds_catalog_release(c, codename);
	return r ? r->glibc : NULL;
}

const char *ds_catalog__pick_debian(const struct ds_catalog_runtime *rt, const char *debian)
{
	if (debian)
		return ds_catalog__list_has(&rt->debian, debian) ? debian : NULL;
	const char *def = rt->vendor ? rt->vendor->default_debian : NULL;
	if (def && ds_catalog__list_has(&rt->debian, def))
		return def;
	const char *best = NULL;
	for (size_t i = 0; i < rt->debian.n; i++)
		if (!best || ds_catalog_version_cmp(rt->debian.v[i], best) > 0)
			best = rt->debian.v[i];
	return best;
}

const char *ds_catalog_runtime_glibc(const struct ds_catalog *c,
				     const struct ds_catalog_runtime *rt, const char *debian)
{
	if (!rt || rt->libc != DS_LIBC_GLIBC || !rt->vendor || !rt->vendor->default_debian)
		return NULL;
	const char *d = ds_catalog__pick_debian(rt, debian);
	const struct ds_catalog_release *r = d ? ds_catalog_release_find(c, "debian", d) : NULL;
	return r ? r->glibc : NULL;
}

int ds_catalog_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		if (ds_catalog__digit(*a) && ds_catalog__digit(*b)) {
			while (*a == '0' && ds_catalog__digit(a[1]))
				a++;
			while (*b == '0' && ds_catalog__digit(b[1]))
				b++;
			size_t la = 0, lb = 0;
			while (ds_catalog__digit(a[la]))
				la++;
			while (ds_catalog__digit(b[lb]))
				lb++;
			if (la != lb)
				return la < lb ? -1 : 1;
			int r = strncmp(a, b, la);
			if (r)
				return r;
			a += la;
			b += lb;
			continue;
		}
		if (!*a)
			return -1;
		if (!*b)
			return 1;
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return 0;
}

/* Reads a version as a spec says from the tag or the image's last path component. */
static const char *extract(const struct vspecs *vs, const struct ds_imageref *ref,
			   struct ds_arena *a)
{
	for (size_t i = 0; i < vs->n; i++) {
		const struct vspec *v = &vs->v[i];
		if (v->src == VS_LIT)
			return v->lit;
		const char *t = v->src == VS_TAG ? ref->tag : ref->name;
		if (!t)
			continue;
		if (v->marker) {
			t = strstr(t, v->marker);
			if (!t)
				continue;
			t += strlen(v->marker);
		} else if (*t == 'v' && ds_catalog__digit(t[1])) {
			t++;
		}
		if (!ds_catalog__digit(*t))
			continue;
		size_t n = 0;
		while (ds_catalog__digit(t[n]))
			n++;
		if (v->minor && t[n] == '.' && ds_catalog__digit(t[n + 1])) {
			n++;
			while (ds_catalog__digit(t[n]))
				n++;
		}
		return ds_arena_strndup(a, t, n);
	}
	return NULL;
}

/* A release codename among the '-', '_', '.', '/' separated words of s. */
static const struct ds_catalog_release *scan_release(const struct ds_catalog *c, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "-_./:");
		for (size_t i = 0; n && i < c->t.n_rel; i++) {
			const char *cn = c->t.rel[i]->codename;
			if (strlen(cn) == n && memcmp(cn, s, n) == 0)
				return c->t.rel[i];
		}
		s += n;
		if (*s)
			s++;
	}
	return NULL;
}

static enum ds_libc family_libc(enum ds_family f)
{
	switch (f) {
	case DS_FAMILY_ALPINE:
		return DS_LIBC_MUSL;
	case DS_FAMILY_DEBIAN:
	case DS_FAMILY_UBUNTU:
	case DS_FAMILY_RPM:
	case DS_FAMILY_DISTROLESS:
	case DS_FAMILY_CHAINGUARD:
		return DS_LIBC_GLIBC;
	case DS_FAMILY_SCRATCH:
		return DS_LIBC_NONE;
	default:
		return DS_LIBC_UNKNOWN;
	}
}

static int family_shell(enum ds_family f)
{
	switch (f) {
	case DS_FAMILY_ALPINE:
	case DS_FAMILY_DEBIAN:
	case DS_FAMILY_UBUNTU:
	case DS_FAMILY_RPM:
	case DS_FAMILY_BUSYBOX:
	case DS_FAMILY_WINDOWS:
		return 1;
	case DS_FAMILY_SCRATCH:
	case DS_FAMILY_DISTROLESS:
	case DS_FAMILY_CHAINGUARD:
		return 0;
	default:
		return -1;
	}
}

/* Length of name without a "-debianNN" suffix; *deb gets "NN" or NULL. */
size_t ds_catalog__strip_debian(const char *name, const char **deb_at, size_t *deb_len)
{
	size_t n = strlen(name);
	const char *p = NULL;
	for (const char *q = strstr(name, "-debian"); q; q = strstr(q + 1, "-debian"))
		p = q;
	*deb_at = NULL;
	*deb_len = 0;
	if (!p || !ds_catalog__digit(p[7]))
		return n;
	for (const char *q = p + 7; *q; q++)
		if (!ds_catalog__digit(*q))
			return n;
	*deb_at = p + 7;
	*deb_len = n - (size_t)(p + 7 - name);
	return (size_t)(p - name);
}

static bool rt_published(const struct ds_catalog_runtime *rt, const char *debian)
{
	if (!rt->vendor || !rt->vendor->default_debian)
		return true; /* a vendor without releases: every runtime is published */
	if (!debian)
		return rt->debian.n > 0;
	return ds_catalog__list_has(&rt->debian, debian);
}

/* Replaces every "{key}" in t by val. */
const char *ds_catalog__expand(struct ds_arena *a, const char *t, const char *key, const char *val)
{
	if (!t || !strstr(t, key))
		return t;
	size_t kl = strlen(key), vl = strlen(val), n = 0;
	for (const char *p = strstr(t, key); p; p = strstr(p + kl, key))
		n++;
	char *out = ds_arena_alloc(a, strlen(t) + n * vl + 1), *o = out;
	for (const char *p = t; *p;) {
		if (strncmp(p, key, kl) == 0) {
			memcpy(o, val, vl);
			o += vl;
			p += kl;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static void pick_auto(const struct ds_catalog *c, struct ds_image_class *out, struct ds_arena *a)
{
	const struct vendor *v = &c->t.vend[V_DISTROLESS];
	const struct ds_catalog_runtime *exact = NULL, *newer = NULL, *dflt = NULL, *top = NULL;
	bool any = false;
	if (!out->language) {
		out->target = DS_TARGET_UNKNOWN;
		return;
	}
	for (size_t i = 0; i < v->n_rt; i++) {
		const struct ds_catalog_runtime *rt = &v->rt[i]->pub;
		if (!rt->language || strcmp(rt->language, out->language) != 0 ||
		    !rt_published(rt, NULL))
			continue;
		any = true;
		if (rt->is_default && !dflt)
			dflt = rt;
		if (rt->version && (!top || ds_catalog_version_cmp(rt->version, top->version) > 0))
			top = rt;
		if (!out->version || !rt->version)
			continue;
		int cmp = ds_catalog_version_cmp(rt->version, out->version);
		if (cmp == 0 && !exact)
			exact = rt;
		else if (cmp > 0 && (!newer || ds_catalog_version_cmp(rt->version, newer->version) < 0))
			newer = rt;
	}
	if (!any) {
		out->target = DS_TARGET_NONE;
		out->reason = ds_arena_printf(a, "distroless publishes no %s runtime", out->language);
	} else if (!out->version) {
		out->target = DS_TARGET_BUMP;
		out->runtime = dflt ? dflt : top;
		out->reason = ds_arena_printf(a, "the image names no %s version; pin one",
					      out->language);
	} else if (exact) {
		out->target = DS_TARGET_RUNTIME;
		out->runtime = exact;
	} else if (newer) {
		out->target = DS_TARGET_BUMP;
		out->runtime = newer;
		out->reason = ds_arena_printf(a,
					      "no distroless runtime for %s %s; needs a bump to \"%s\"",
					      out->language, out->version, newer->name);
	} else {
		out->target = DS_TARGET_BUMP;
		out->reason = ds_arena_printf(a, "no distroless runtime for %s %s yet", out->language,
					      out->version);
	}
}

const struct ds_catalog_tagrule *ds_catalog__vendor_tag(const struct ds_catalog_vendor *v,
							const char *tag, struct ds_arena *a)
{
	/* the tag without an architecture suffix ("nonroot-amd64") */
	size_t tl = strlen(tag);
	for (size_t k = 0; k < v->arch_suffixes.n; k++) {
		const char *s = v->arch_suffixes.v[k];
		size_t sl = strlen(s);
		if (tl > sl + 1 && tag[tl - sl - 1] == '-' && strcmp(tag + tl - sl, s) == 0) {
			tl -= sl + 1;
			break;
		}
	}
	char *t = ds_arena_strndup(a, tag, tl);
	for (size_t k = 0; k < v->n_tags; k++)
		if (ds_catalog__glob_match(v->tags[k].match, t))
			return &v->tags[k];
	return NULL;
}

static void classify_vendor(const struct ds_catalog *c, const struct ds_imageref *ref,
			    const char *tag, struct ds_arena *a, struct ds_image_class *out)
{
	for (int i = 0; i < V__COUNT; i++) {
		const struct vendor *v = &c->t.vend[i];
		if (!v->pub.match.n || !ds_catalog__globs_match(&v->pub.match, ref->familiar))
			continue;
		const char *deb;
		size_t deb_len;
		size_t base = ds_catalog__strip_debian(ref->name, &deb, &deb_len);
		char *key = ds_arena_strndup(a, ref->name, base);
		const struct rt_def *d = ds_catalog__find_runtime(v, key);
		out->vendor = &v->pub;
		out->self = d ? &d->pub : NULL;
		out->debian = deb ? ds_arena_strndup(a, deb, deb_len) : NULL;
		const struct ds_catalog_tagrule *tr = ds_catalog__vendor_tag(&v->pub, tag, a);
		if (tr) {
			out->tag_known = true;
			out->subscription = tr->subscription;
			out->debug = tr->debug;
			out->user = tr->user ? tr->user : d ? d->pub.user : NULL;
			out->nonroot = out->user && strcmp(out->user, "root") != 0 &&
				       strcmp(out->user, "0") != 0;
			/* a debug tag has a shell; a plain tag of a known runtime has none */
			if (tr->debug)
				out->shell = 1;
			else if (d)
				out->shell = 0;
		}
		if (d)
			out->libc = d->pub.libc;
		return;
	}
}

/* ref with its familiar name and name defaulted to *name ("" when unknown), and *tag to "latest". */
static struct ds_imageref named(const struct ds_imageref *ref, const char **name, const char **tag)
{
	*name = ref->familiar ? ref->familiar : "";
	*tag = ref->tag ? ref->tag : "latest";
	struct ds_imageref r = *ref;
	if (!r.familiar)
		r.familiar = *name;
	if (!r.name)
		r.name = *name;
	return r;
}

void ds_catalog__classify_vendor(const struct ds_catalog *c, const struct ds_imageref *ref,
				 struct ds_arena *a, struct ds_image_class *out)
{
	memset(out, 0, sizeof *out);
	out->shell = -1;
	out->unresolved = ref->unresolved;
	const char *name, *tag;
	struct ds_imageref r = named(ref, &name, &tag);
	classify_vendor(c, &r, tag, a, out);
}

int ds_catalog_classify(const struct ds_catalog *c, const struct ds_imageref *ref,
			struct ds_arena *a, struct ds_image_class *out)
{
	const struct rule *r_fam = NULL, *r_rel = NULL, *r_lang = NULL, *r_tgt = NULL;
	int shell = -1;

	memset(out, 0, sizeof *out);
	out->shell = -1;
	if (!ref)
		return -1;
	out->unresolved = ref->unresolved;
	if (ref->is_scratch) {
		out->family = DS_FAMILY_SCRATCH;
		out->libc = DS_LIBC_NONE;
		out->shell = 0;
		out->target = DS_TARGET_BINARY;
		return 0;
	}
	const char *name, *tag;
	struct ds_imageref r = named(ref, &name, &tag);

	struct glob_key key = ds_catalog__glob_key(name);
	for (size_t i = 0; i < c->t.n_rules; i++) {
		const struct rule *ru = c->t.rules[i];
		if (!ds_catalog__hint_maybe(&ru->image_hint, key) || !ds_catalog__globs_match(&ru->image, name) ||
		    !ds_catalog__globs_match(&ru->tag, tag))
			continue;
		if (!r_fam && (ru->has_family || ru->has_libc))
			r_fam = ru;
		if (!r_rel && ru->release.n)
			r_rel = ru;
		if (!r_lang && ru->has_lang)
			r_lang = ru;
		if (!r_tgt && ru->has_target)
			r_tgt = ru;
		if (shell < 0 && ru->shell >= 0)
			shell = ru->shell;
		if (ru->stop)
			break;
	}

	out->family = r_fam && r_fam->has_family ? r_fam->family : DS_FAMILY_UNKNOWN;
	if (r_lang) {
		out->language = r_lang->language;
		out->version = extract(&r_lang->version, &r, a);
	}
	if (r_rel) {
		const char *rv = extract(&r_rel->release, &r, a);
		if (rv && !(out->release = ds_catalog_release(c, rv)))
			out->release = ds_catalog_release_find(c, ds_family_name(out->family), rv);
	}
	if (!out->release) {
		const struct ds_catalog_release *rel = scan_release(c, ref->tag);
		if (!rel)
			rel = scan_release(c, ref->path);
		if (rel && (out->family == DS_FAMILY_UNKNOWN || out->family == DS_FAMILY_DEBIAN ||
			    out->family == DS_FAMILY_UBUNTU)) {
			out->release = rel;
			out->family = rel->family;
		}
	}
	out->libc = r_fam && r_fam->has_libc ? r_fam->libc : family_libc(out->family);
	out->shell = shell >= 0 ? shell : family_shell(out->family);

	classify_vendor(c, &r, tag, a, out);

	/* what to move onto */
	if (r_tgt) {
		out->static_runtime = r_tgt->r_static;
		out->dynamic_runtime = r_tgt->r_dynamic;
		if (r_tgt->no_runtime) {
			out->target = DS_TARGET_NONE;
			out->reason = r_tgt->no_runtime;
			out->suggest = ds_catalog__expand(a, r_tgt->suggest, "{version}",
					      out->version ? out->version : "<version>");
		} else if (r_tgt->rk == RK_AUTO) {
			pick_auto(c, out, a);
		} else if (r_tgt->rk == RK_BINARY) {
			out->target = DS_TARGET_BINARY;
		} else {
			out->target = DS_TARGET_RUNTIME;
			out->runtime = r_tgt->r_rt ? r_tgt->r_rt
				       : r_tgt->r_dynamic ? r_tgt->r_dynamic
							   : r_tgt->r_static;
		}
	}

	/* status */
	for (size_t i = 0; i < c->t.n_st; i++) {
		const struct status_rule *s = c->t.st[i];
		if (!ds_catalog__hint_maybe(&s->image_hint, key) || !ds_catalog__globs_match(&s->image, name) ||
		    !ds_catalog__globs_match(&s->tag, tag))
			continue;
		out->status = s->status;
		out->status_message = s->message;
		if (s->replacement) {
			const char *deb;
			size_t deb_len;
			size_t base = ds_catalog__strip_debian(name, &deb, &deb_len);
			out->replacement = ds_catalog__expand(a, s->replacement, "{name}",
						  ds_arena_strndup(a, name, base));
		}
		return 0;
	}
	if (out->vendor && out->self && rt_published(out->self, out->debian) &&
	    (out->debian || !out->vendor->default_debian))
		out->status = DS_STATUS_CURRENT;
	return 0;
}
