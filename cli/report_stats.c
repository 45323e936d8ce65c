/* report_stats.c - the figures every readable audit report shows, computed once; see report_view.h. */
#include "cli/report_view.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "emit/markup.h"
#include "rules/rules.h"


const char *ds_audit_group_name(const struct ds_audit_report *r, enum ds_audit_group_by g)
{
	const char *s = g == DS_AUDIT_BY_DIR ? r->dir : r->repo;
	return s ? s : "(unknown)";
}

const char *ds_audit_plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

double ds_audit_pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

void ds_audit_accept_list(struct ds_buf *out, unsigned accept)
{
	bool first = true;
	for (unsigned k = 0; k < DS_CHANGE__COUNT; k++) {
		if (!(accept & 1u << k))
			continue;
		if (!first)
			ds_buf_addc(out, ',');
		ds_buf_adds(out, ds_change_kind_name((enum ds_change_kind)k));
		first = false;
	}
}

void ds_audit_command(struct ds_buf *out, const struct ds_audit_report *r)
{
	ds_buf_adds(out, "distill convert");
	if (r->context) {
		/* a relative path that would read as an option gets ./ in front */
		struct ds_buf p = DS_BUF_INIT;
		ds_buf_addf(&p, "%s%s", r->context[0] == '-' ? "./" : "", r->context);
		ds_buf_adds(out, " --context ");
		ds_markup_sh_word(out, p.buf);
		ds_buf_release(&p);
	}
	if (r->stage) {
		ds_buf_adds(out, " --target-stage ");
		ds_markup_sh_word(out, r->stage);
	}
	if (r->convertible == DS_AUDIT_ACCEPT) {
		if (r->target)
			ds_buf_addf(out, " --target %s", r->target);
		if (r->bump)
			ds_buf_adds(out, " --bump-runtime");
		if (r->accept) {
			ds_buf_adds(out, " --accept ");
			ds_audit_accept_list(out, r->accept);
		}
	}
	if (!strcmp(r->file, "-")) {
		ds_buf_adds(out, " -");
		return;
	}
	ds_buf_adds(out, " --in-place ");
	if (r->file[0] == '-') {
		/* an option to convert otherwise; the path is relative, so ./ names the same file */
		struct ds_buf p = DS_BUF_INIT;
		ds_buf_adds(&p, "./");
		ds_buf_adds(&p, r->file);
		ds_markup_sh_word(out, p.buf);
		ds_buf_release(&p);
	} else {
		ds_markup_sh_word(out, r->file);
	}
}

void ds_audit_problem(struct ds_buf *out, const struct ds_audit_report *r)
{
	if (r->parse_error)
		ds_audit_error_text(out, r);
	else if (r->nreasons)
		ds_buf_adds(out, r->reasons[0]);
	else
		ds_buf_adds(out, ds_audit_conv_label(r->convertible));
}

const char *ds_audit_rule_page(struct ds_arena *a, const char *code)
{
	const struct ds_rule_info *ri = ds_rule_find(code);
	return ri ? ds_arena_printf(a, DS_RULE_DOCS_URI "%s.md", ri->code) : NULL;
}

/* ---- ranked counts ---- */

struct tallies {
	struct ds_audit_tally *v;
	size_t n, cap;
};

static void tally_add(struct tallies *t, const char *key, uint64_t n)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = ds_xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n].key = key;
	t->v[t->n].n = n;
	t->v[t->n].files = 1;
	t->n++;
}

static int tally_key_cmp(const void *x, const void *y)
{
	return strcmp(((const struct ds_audit_tally *)x)->key, ((const struct ds_audit_tally *)y)->key);
}

/* Most first, then by key: a total order, so ties come out the same every time. */
static int tally_rank_cmp(const void *x, const void *y)
{
	const struct ds_audit_tally *a = x, *b = y;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* Merges equal keys (summing n and files), ranks, and moves the rows into the arena. */
static struct ds_audit_tally *tally_finish(struct tallies *t, struct ds_arena *a, size_t *n)
{
	size_t k = 0;
	if (t->n) {
		qsort(t->v, t->n, sizeof *t->v, tally_key_cmp);
		for (size_t i = 0; i < t->n; i++) {
			if (k && !strcmp(t->v[k - 1].key, t->v[i].key)) {
				t->v[k - 1].n += t->v[i].n;
				t->v[k - 1].files += t->v[i].files;
			} else {
				t->v[k++] = t->v[i];
			}
		}
		qsort(t->v, k, sizeof *t->v, tally_rank_cmp);
	}
	struct ds_audit_tally *out = ds_arena_alloc(a, (k ? k : 1) * sizeof *out);
	if (k)
		memcpy(out, t->v, k * sizeof *out);
	free(t->v);
	*n = k;
	return out;
}

/* ---- groups ---- */

struct member {
	const char *name;
	size_t index;
};

static int member_cmp(const void *x, const void *y)
{
	const struct member *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Files neither shell-free already nor convertible now. */
static uint64_t left_to_do(const struct ds_audit_group *g)
{
	return g->files - g->by[DS_AUDIT_NOTHING] - g->by[DS_AUDIT_YES];
}

static int group_rank_cmp(const void *x, const void *y)
{
	const struct ds_audit_group *a = x, *b = y;
	if (left_to_do(a) != left_to_do(b))
		return left_to_do(a) > left_to_do(b) ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void build_groups(struct ds_audit_view *w)
{
	struct member *m = ds_xmalloc((w->n ? w->n : 1) * sizeof *m);
	for (size_t i = 0; i < w->n; i++) {
		m[i].name = ds_audit_group_name(&w->v[i], w->o.group_by);
		m[i].index = i;
	}
	qsort(m, w->n, sizeof *m, member_cmp);
	w->groups = ds_arena_alloc(&w->arena, (w->n ? w->n : 1) * sizeof *w->groups);
	w->ngroups = 0;
	for (size_t i = 0; i < w->n; i++) {
		if (!i || strcmp(m[i].name, m[i - 1].name)) {
			struct ds_audit_group *g = &w->groups[w->ngroups++];
			memset(g, 0, sizeof *g);
			g->name = m[i].name;
		}
		struct ds_audit_group *g = &w->groups[w->ngroups - 1];
		const struct ds_audit_report *r = &w->v[m[i].index];
		g->files++;
		g->by[r->convertible]++;
		g->findings += ds_audit_report_total(r);
	}
	qsort(w->groups, w->ngroups, sizeof *w->groups, group_rank_cmp);
	free(m);
}

/* ---- blockers ---- */

/*
 * A reason with its quoted specifics ('node:20', '/app/start.sh') folded to
 * '…', so that reasons differing only in them count as one blocker.
 */
static const char *reason_kind(struct ds_arena *a, const char *s)
{
	struct ds_buf b = DS_BUF_INIT;
	for (const char *p = s; *p; p++) {
		const char *q = *p == '\'' ? strchr(p + 1, '\'') : NULL;
		if (q) {
			ds_buf_adds(&b, "'\xe2\x80\xa6'");
			p = q;
		} else {
			ds_buf_addc(&b, *p);
		}
	}
	const char *k = ds_arena_strndup(a, b.buf ? b.buf : "", b.len);
	ds_buf_release(&b);
	return k;
}

/*
 * What unblocks the reasons whose text has no advice of its own, matched by
 * a fragment of the reason (the conversion's messages, rewrite/). Reasons
 * that end with advice ("...; add a mapping (--mappings) or convert by
 * hand", "...; consider 'IMAGE'") give theirs.
 */
static const struct {
	const char *fragment;
	const char *advice;
} advice_table[] = {
	{ "a shell script needs a shell",
	  "start the program itself in exec form (ENTRYPOINT [\"/app/server\"]) and move what the script sets up "
	  "into the build or the program" },
	{ "it is a shell", "run the program itself in exec form instead of a shell" },
	{ "is not copied in from a build stage (it comes with",
	  "build or install the program in a build stage and COPY --from it, or start from the language's "
	  "official image, so the runtime it needs is known" },
	{ "is not copied in from a build stage; cannot tell",
	  "build the program in a build stage and COPY --from it, so what it needs is known" },
	{ "sets no CMD or ENTRYPOINT",
	  "give the final stage an exec-form CMD or ENTRYPOINT naming the program it runs" },
	{ "windows containers have no distroless runtime",
	  "none: Windows images have no shell-free runtime; leave them out of the plan" },
	{ "distroless publishes no php runtime", "none in distroless: keep the image, or look at another vendor's "
	  "shell-free images (convert --target chainguard)" },
	{ "distroless publishes no", "none in distroless: keep the image, or look at another vendor's shell-free "
	  "images (convert --target chainguard)" },
	{ "comes from the build context; cannot tell how it is linked",
	  "build it in a stage of the Dockerfile and COPY --from it, so distill sees how it is linked; if it is "
	  "static, convert by hand onto the runtime named" },
	{ "is not a valid image reference", "fix the image reference in the final FROM" },
	{ "uses a variable without a value", "give the ARG used in FROM a default value, so the image is known" },
	{ "cannot tell which program CMD runs", "write CMD in exec form, naming the program" },
	{ "cannot show that the user stays the same", "set USER to numeric ids, or accept the change (--accept user)" },
	{ "is linked (no go, cargo or C build found there)",
	  "build the program with go, cargo or a C compiler in that stage, or convert by hand" },
};

/* Whether s starts with one of the words the conversion's messages give advice with. */
static bool is_advice(const char *s)
{
	static const char *const verbs[] = { "consider ", "add ", "copy ", "convert ", "use ", "run ", "keep ", "pin ",
					     "--" };
	for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
		if (!strncmp(s, verbs[i], strlen(verbs[i])))
			return true;
	return false;
}

/*
 * The advice for a blocker of kind k whose commonest reason is text: the
 * reason's own ("...; consider 'IMAGE'"), else the table's, else NULL.
 */
static const char *advice_for(struct ds_arena *a, const char *k, const char *text)
{
	const char *semi = NULL;
	for (const char *p = strstr(text, "; "); p; p = strstr(p + 2, "; "))
		semi = p;
	if (semi && is_advice(semi + 2))
		return ds_arena_strdup(a, semi + 2);
	for (size_t i = 0; i < sizeof advice_table / sizeof *advice_table; i++)
		if (strstr(k, advice_table[i].fragment))
			return advice_table[i].advice;
	return NULL;
}

/* The next quoted value ('...') at or after *p: its start, and *p moved past it; NULL when none. */
static const char *next_quoted(const char **p, size_t *len)
{
	const char *q = strchr(*p, '\'');
	const char *e = q ? strchr(q + 1, '\'') : NULL;
	if (!e)
		return NULL;
	*len = (size_t)(e + 1 - q);
	*p = e + 1;
	return q;
}

/* The quoted values of other that differ from base's at the same place, joined by ", ". */
static const char *differing_values(struct ds_arena *a, const char *base, const char *other)
{
	struct ds_buf b = DS_BUF_INIT;
	const char *pb = base, *po = other;
	size_t lb = 0, lo;
	const char *qo;
	while ((qo = next_quoted(&po, &lo))) {
		const char *qb = pb ? next_quoted(&pb, &lb) : NULL;
		if (!qb)
			pb = NULL;
		if (qb && lb == lo && !memcmp(qb, qo, lo))
			continue;
		if (b.len)
			ds_buf_adds(&b, ", ");
		ds_buf_add(&b, qo, lo);
	}
	const char *r = b.len ? ds_arena_strndup(a, b.buf, b.len) : other;
	ds_buf_release(&b);
	return r;
}

struct cause {
	const char *kind;
	const char *text;
	size_t index;
};

static int cause_kind_index_cmp(const void *x, const void *y)
{
	const struct cause *a = x, *b = y;
	int c = strcmp(a->kind, b->kind);
	if (c)
		return c;
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return strcmp(a->text, b->text);
}

static int cause_text_cmp(const void *x, const void *y)
{
	const struct cause *a = x, *b = y;
	int c = strcmp(a->text, b->text);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int variant_rank_cmp(const void *x, const void *y)
{
	const struct ds_audit_variant *a = x, *b = y;
	if (a->files != b->files)
		return a->files > b->files ? -1 : 1;
	return strcmp(a->text, b->text);
}

static int blocker_rank_cmp(const void *x, const void *y)
{
	const struct ds_audit_blocker *a = x, *b = y;
	if (a->files != b->files)
		return a->files > b->files ? -1 : 1;
	return strcmp(a->kind, b->kind);
}

/* The blocker of the causes c[0..n) (one kind, sorted by index, then text). */
static void make_blocker(struct ds_audit_view *w, struct ds_audit_blocker *b, struct cause *c, size_t n)
{
	memset(b, 0, sizeof *b);
	b->kind = c[0].kind;
	for (size_t i = 0; i < n; i++)
		b->files += !i || c[i].index != c[i - 1].index;
	qsort(c, n, sizeof *c, cause_text_cmp);
	b->variants = ds_arena_alloc(&w->arena, n * sizeof *b->variants);
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(c[i].text, c[i - 1].text)) {
			if (c[i].index != c[i - 1].index)
				b->variants[b->nvariants - 1].files++;
			continue;
		}
		b->variants[b->nvariants].text = c[i].text;
		b->variants[b->nvariants].files = 1;
		b->nvariants++;
	}
	qsort(b->variants, b->nvariants, sizeof *b->variants, variant_rank_cmp);
	const char *first = b->variants[0].text;
	for (size_t i = 0; i < b->nvariants; i++)
		b->variants[i].values = i ? differing_values(&w->arena, first, b->variants[i].text) : first;
	b->advice = advice_for(&w->arena, b->kind, first);
	/* examples: files of the reason shown first, then of the others, each in path order */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n && b->nexamples < sizeof b->examples / sizeof *b->examples; i++) {
			if ((strcmp(c[i].text, first) == 0) != (pass == 0))
				continue;
			bool seen = false;
			for (size_t k = 0; k < b->nexamples; k++)
				seen = seen || b->examples[k] == c[i].index;
			if (!seen)
				b->examples[b->nexamples++] = c[i].index;
		}
	}
}

static void build_blockers(struct ds_audit_view *w)
{
	struct cause *c = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < w->n; i++) {
		const struct ds_audit_report *r = &w->v[i];
		if (r->convertible != DS_AUDIT_MANUAL && r->convertible != DS_AUDIT_NO_RUNTIME)
			continue;
		for (uint32_t k = 0; k < r->nreasons; k++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 256;
				c = ds_xrealloc(c, cap * sizeof *c);
			}
			c[n].kind = reason_kind(&w->arena, r->reasons[k]);
			c[n].text = r->reasons[k];
			c[n].index = i;
			n++;
		}
	}
	if (n)
		qsort(c, n, sizeof *c, cause_kind_index_cmp);
	w->blockers = ds_arena_alloc(&w->arena, (n ? n : 1) * sizeof *w->blockers);
	w->nblockers = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && !strcmp(c[j].kind, c[i].kind))
			j++;
		make_blocker(w, &w->blockers[w->nblockers++], c + i, j - i);
		i = j;
	}
	qsort(w->blockers, w->nblockers, sizeof *w->blockers, blocker_rank_cmp);
	free(c);
}

/* ---- the view ---- */

static size_t *index_list(struct ds_audit_view *w, size_t *count, bool (*keep)(const struct ds_audit_report *))
{
	size_t k = 0;
	for (size_t i = 0; i < w->n; i++)
		k += keep(&w->v[i]);
	size_t *out = ds_arena_alloc(&w->arena, (k ? k : 1) * sizeof *out);
	k = 0;
	for (size_t i = 0; i < w->n; i++)
		if (keep(&w->v[i]))
			out[k++] = i;
	*count = k;
	return out;
}

static bool is_now(const struct ds_audit_report *r)
{
	return r->convertible == DS_AUDIT_YES;
}

static bool is_flag(const struct ds_audit_report *r)
{
	return r->convertible == DS_AUDIT_ACCEPT;
}

static bool is_error(const struct ds_audit_report *r)
{
	return r->convertible == DS_AUDIT_NOT_DOCKERFILE || r->convertible == DS_AUDIT_UNREADABLE ||
	       r->convertible == DS_AUDIT_ERROR;
}

void ds_audit_view_build(struct ds_audit_view *w, const struct ds_audit_report *v, size_t n,
			 const struct ds_audit_view_opts *o)
{
	memset(w, 0, sizeof *w);
	ds_arena_init(&w->arena);
	w->v = v;
	w->n = n;
	w->o = *o;
	if (!w->o.top)
		w->o.top = 10;
	struct tallies fam = { 0 }, bases = { 0 }, rules = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct ds_audit_report *r = &v[i];
		w->by[r->convertible]++;
		w->parse_failures += r->convertible == DS_AUDIT_ERROR && r->parse_error;
		if (r->family)
			tally_add(&fam, r->family, 1);
		if (r->final_base)
			tally_add(&bases, r->final_base, 1);
		for (uint32_t k = 0; k < r->nfindings; k++) {
			tally_add(&rules, r->findings[k].code, r->findings[k].count);
			w->findings += r->findings[k].count;
		}
		w->with_findings += r->nfindings > 0;
		if (r->convertible == DS_AUDIT_ACCEPT) {
			w->bumps += r->bump;
			w->targets += r->target != NULL;
			for (unsigned k = 0; k < DS_CHANGE__COUNT; k++)
				w->accept_kinds[k] += (r->accept >> k) & 1;
		}
	}
	w->families = tally_finish(&fam, &w->arena, &w->nfamilies);
	w->bases = tally_finish(&bases, &w->arena, &w->nbases);
	w->rules = tally_finish(&rules, &w->arena, &w->nrules);
	build_groups(w);
	build_blockers(w);
	w->now = index_list(w, &w->nnow, is_now);
	w->flag = index_list(w, &w->nflag, is_flag);
	w->errors = index_list(w, &w->nerrors, is_error);
}

void ds_audit_view_release(struct ds_audit_view *w)
{
	ds_arena_release(&w->arena);
	memset(w, 0, sizeof *w);
}

size_t ds_audit_next_steps(const struct ds_audit_view *w, struct ds_arena *a, const char **steps, size_t max)
{
	size_t n = 0;
	if (w->nnow && n < max)
		steps[n++] = ds_arena_printf(a,
					     "convert the %zu %s that convert now with the commands listed; each result is "
					     "checked before it is written and runs like the original",
					     w->nnow, ds_audit_plural(w->nnow, "file", "files"));
	if (w->nflag && n < max) {
		struct ds_buf t = DS_BUF_INIT;
		ds_buf_addf(&t, "review the %zu %s that convert with a flag: each declares a change of behaviour (",
			    w->nflag, ds_audit_plural(w->nflag, "file", "files"));
		bool first = true;
		for (unsigned k = 0; k < DS_CHANGE__COUNT; k++) {
			if (!w->accept_kinds[k])
				continue;
			ds_buf_addf(&t, "%s%s: %llu", first ? "" : ", ", ds_change_kind_name((enum ds_change_kind)k),
				    (unsigned long long)w->accept_kinds[k]);
			first = false;
		}
		if (w->bumps)
			ds_buf_addf(&t, "%sa newer runtime: %llu", first ? "" : ", ", (unsigned long long)w->bumps);
		if (w->targets)
			ds_buf_addf(&t, "%sanother vendor's image (--target): %llu", first && !w->bumps ? "" : ", ",
				    (unsigned long long)w->targets);
		ds_buf_adds(&t, "); where it is acceptable, run the listed command (distill convert --explain FILE "
				"shows the change)");
		steps[n++] = ds_arena_strndup(a, t.buf, t.len);
		ds_buf_release(&t);
	}
	for (size_t i = 0; i < w->nblockers && i < 3 && n < max; i++) {
		const struct ds_audit_blocker *b = &w->blockers[i];
		if (b->advice)
			steps[n++] = ds_arena_printf(a, "%llu %s blocked by \"%s\": %s", (unsigned long long)b->files,
						     ds_audit_plural(b->files, "file", "files"), b->variants[0].text, b->advice);
	}
	if (w->nerrors && n < max)
		steps[n++] = ds_arena_printf(a, "look at the %zu %s that could not be read, parsed or converted", w->nerrors,
					     ds_audit_plural(w->nerrors, "file", "files"));
	if (!n && max)
		steps[n++] = w->n ? "nothing to do: every file is already shell-free" : "no Dockerfile was found";
	return n;
}
