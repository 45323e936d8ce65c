/* report.c - audit reports: building, copying, JSON Lines, SARIF 2.1.0, summary, JSONL reader; see report.h. */
#include "cli/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"

/* the same placeholder as emit/format.c until the project has a home page */
#define DS_AUDIT_INFO_URI "https://distill.invalid/"

const char *ds_audit_conv_name(enum ds_audit_conv c)
{
	switch (c) {
	case DS_AUDIT_YES: return "yes";
	case DS_AUDIT_MANUAL: return "manual";
	case DS_AUDIT_NO_RUNTIME: return "no-runtime";
	case DS_AUDIT_ERROR: return "error";
	}
	return "error";
}

/* ---- building ---- */

void ds_audit_report_init(struct ds_audit_report *r, const char *file)
{
	memset(r, 0, sizeof *r);
	r->file = file;
	r->convertible = DS_AUDIT_YES;
}

void ds_audit_add_reason(struct ds_audit_report *r, struct ds_arena *a, const char *reason)
{
	for (uint32_t i = 0; i < r->nreasons; i++)
		if (!strcmp(r->reasons[i], reason))
			return;
	r->reasons = ds_arena_grow(a, r->reasons, sizeof *r->reasons, r->nreasons, &r->capreasons);
	r->reasons[r->nreasons++] = ds_arena_strdup(a, reason);
}

void ds_audit_add_finding(struct ds_audit_report *r, struct ds_arena *a, const char *code,
			  enum ds_severity sev, uint32_t line, uint32_t col, const char *msg)
{
	const char *kept = NULL;
	for (uint32_t i = 0; i < r->nfindings && !kept; i++) {
		if (!strcmp(r->findings[i].code, code)) {
			r->findings[i].count++;
			kept = r->findings[i].code;
		}
	}
	if (!kept) {
		r->findings = ds_arena_grow(a, r->findings, sizeof *r->findings, r->nfindings, &r->capfindings);
		kept = ds_arena_strdup(a, code);
		r->findings[r->nfindings].code = kept;
		r->findings[r->nfindings].count = 1;
		r->nfindings++;
	}
	r->locs = ds_arena_vec_grow(r->locs, sizeof *r->locs, r->nlocs, &r->caplocs);
	struct ds_audit_loc *l = &r->locs[r->nlocs++];
	l->code = kept;
	/* the same text as the finding before (thousands of DL3059s) is kept once */
	if (msg && r->nlocs > 1 && l[-1].msg && !strcmp(l[-1].msg, msg))
		l->msg = l[-1].msg;
	else
		l->msg = msg ? ds_arena_strdup(a, msg) : NULL;
	l->sev = sev;
	l->line = line;
	l->col = line ? col : 0;
}

void ds_audit_findings_done(struct ds_audit_report *r, struct ds_arena *a)
{
	ds_arena_vec_adopt(a, r->locs);
}

void ds_audit_set_error(struct ds_audit_report *r, struct ds_arena *a, uint32_t line, uint32_t col,
			const char *msg)
{
	r->convertible = DS_AUDIT_ERROR;
	r->parse_error = ds_arena_strdup(a, msg);
	r->error_line = line;
	r->error_col = line ? col : 0;
}

static int count_cmp(const void *x, const void *y)
{
	return strcmp(((const struct ds_audit_count *)x)->code, ((const struct ds_audit_count *)y)->code);
}

static const char *dup_or_null(struct ds_arena *a, const char *s)
{
	return s ? ds_arena_strdup(a, s) : NULL;
}

void ds_audit_report_copy(struct ds_audit_report *dst, const struct ds_audit_report *src, struct ds_arena *a,
			  bool keep_locs)
{
	*dst = *src;
	dst->final_base = dup_or_null(a, src->final_base);
	dst->family = dup_or_null(a, src->family);
	dst->parse_error = dup_or_null(a, src->parse_error);
	dst->reasons = NULL;
	dst->findings = NULL;
	dst->locs = NULL;
	dst->capreasons = dst->capfindings = dst->caplocs = 0;
	if (src->nreasons) {
		dst->reasons = ds_arena_alloc(a, src->nreasons * sizeof *dst->reasons);
		for (uint32_t i = 0; i < src->nreasons; i++)
			dst->reasons[i] = ds_arena_strdup(a, src->reasons[i]);
	}
	if (src->nfindings) {
		dst->findings = ds_arena_alloc(a, src->nfindings * sizeof *dst->findings);
		for (uint32_t i = 0; i < src->nfindings; i++) {
			dst->findings[i].code = ds_arena_strdup(a, src->findings[i].code);
			dst->findings[i].count = src->findings[i].count;
		}
		qsort(dst->findings, src->nfindings, sizeof *dst->findings, count_cmp);
	}
	dst->nlocs = 0;
	if (keep_locs && src->nlocs) {
		dst->locs = ds_arena_alloc(a, src->nlocs * sizeof *dst->locs);
		for (uint32_t i = 0; i < src->nlocs; i++) {
			dst->locs[i] = src->locs[i];
			/* share the code string with the (sorted) findings */
			for (uint32_t k = 0; k < dst->nfindings; k++)
				if (!strcmp(dst->findings[k].code, src->locs[i].code))
					dst->locs[i].code = dst->findings[k].code;
			/* a message like the one before is kept once */
			if (i && src->locs[i].msg && src->locs[i - 1].msg && !strcmp(src->locs[i].msg, src->locs[i - 1].msg))
				dst->locs[i].msg = dst->locs[i - 1].msg;
			else
				dst->locs[i].msg = dup_or_null(a, src->locs[i].msg);
		}
		dst->nlocs = src->nlocs;
	}
}

uint64_t ds_audit_report_total(const struct ds_audit_report *r)
{
	uint64_t t = 0;
	for (uint32_t i = 0; i < r->nfindings; i++)
		t += r->findings[i].count;
	return t;
}

/* ---- JSON Lines ---- */

static void jstr(struct ds_buf *b, const char *s)
{
	ds_buf_add_json_str(b, s, strlen(s));
}

static void jstr_or_null(struct ds_buf *b, const char *s)
{
	if (s)
		jstr(b, s);
	else
		ds_buf_adds(b, "null");
}

/* parse_error as shown: "LINE:COL: message", or the message alone. */
static void error_text(struct ds_buf *b, const struct ds_audit_report *r)
{
	if (r->error_line)
		ds_buf_addf(b, "%u:%u: ", r->error_line, r->error_col);
	ds_buf_adds(b, r->parse_error);
}

void ds_audit_jsonl(struct ds_buf *out, const struct ds_audit_report *r)
{
	ds_buf_adds(out, "{\"file\":");
	jstr(out, r->file);
	ds_buf_addf(out, ",\"stages\":%u,\"final_base\":", r->stages);
	jstr_or_null(out, r->final_base);
	ds_buf_adds(out, ",\"family\":");
	jstr_or_null(out, r->family);
	ds_buf_addf(out, ",\"shell_free\":%s,\"convertible\":\"%s\",\"reasons\":[", r->shell_free ? "true" : "false",
		    ds_audit_conv_name(r->convertible));
	for (uint32_t i = 0; i < r->nreasons; i++) {
		if (i)
			ds_buf_addc(out, ',');
		jstr(out, r->reasons[i]);
	}
	ds_buf_adds(out, "],\"findings\":{");
	for (uint32_t i = 0; i < r->nfindings; i++) {
		if (i)
			ds_buf_addc(out, ',');
		jstr(out, r->findings[i].code);
		ds_buf_addf(out, ":%u", r->findings[i].count);
	}
	ds_buf_adds(out, "},\"parse_error\":");
	if (r->parse_error) {
		struct ds_buf e = DS_BUF_INIT;
		error_text(&e, r);
		ds_buf_add_json_str(out, e.buf, e.len);
		ds_buf_release(&e);
	} else {
		ds_buf_adds(out, "null");
	}
	ds_buf_addf(out, ",\"micros\":%llu}\n", (unsigned long long)r->micros);
}

/* ---- SARIF ---- */

/* A file path as a URI reference: percent-encoding outside unreserved characters and '/'. */
static void uri(struct ds_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char ch = *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		    ch == '.' || ch == '_' || ch == '~' || ch == '/') {
			ds_buf_addc(b, (char)ch);
		} else {
			char e[3] = { '%', hex[ch >> 4], hex[ch & 15] };
			ds_buf_add(b, e, 3);
		}
	}
}

static void artifact(struct ds_buf *out, const char *path, uint32_t line, uint32_t col)
{
	ds_buf_adds(out, "{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"");
	uri(out, path);
	ds_buf_adds(out, "\"}");
	if (line)
		ds_buf_addf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u}", line, col ? col : 1);
	ds_buf_adds(out, "}}");
}

static const char *sarif_level(enum ds_severity s)
{
	switch (s) {
	case DS_SEV_ERROR: return "error";
	case DS_SEV_WARNING: return "warning";
	default: return "note";
	}
}

static int str_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void ds_audit_sarif_begin(struct ds_audit_sarif *s, const struct ds_audit_report *v, size_t n,
			  const char *version, struct ds_buf *out)
{
	memset(s, 0, sizeof *s);
	s->version = version;
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += v[i].nfindings;
	s->codes = ds_xmalloc((total ? total : 1) * sizeof *s->codes);
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < v[i].nfindings; k++)
			s->codes[s->ncodes++] = v[i].findings[k].code;
	qsort(s->codes, s->ncodes, sizeof *s->codes, str_cmp);
	size_t u = 0;
	for (size_t i = 0; i < s->ncodes; i++)
		if (!u || strcmp(s->codes[i], s->codes[u - 1]))
			s->codes[u++] = s->codes[i];
	s->ncodes = u;

	ds_buf_adds(out, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
			 "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
			 "        \"driver\": {\n          \"name\": \"distill\",\n          \"version\": ");
	jstr(out, version ? version : "0");
	ds_buf_adds(out, ",\n          \"informationUri\": \"" DS_AUDIT_INFO_URI "\",\n          \"rules\": [");
	for (size_t i = 0; i < s->ncodes; i++) {
		ds_buf_adds(out, i ? ",\n            {\"id\": " : "\n            {\"id\": ");
		jstr(out, s->codes[i]);
		ds_buf_addc(out, '}');
	}
	ds_buf_adds(out, s->ncodes ? "\n          ]\n        }\n      },\n      \"results\": ["
				   : "]\n        }\n      },\n      \"results\": [");
}

static size_t rule_index(const struct ds_audit_sarif *s, const char *code)
{
	size_t lo = 0, hi = s->ncodes;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->codes[mid], code);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void sarif_result(struct ds_audit_sarif *s, struct ds_buf *out, const char *file, const char *code,
			 const char *level, const char *msg, uint32_t line, uint32_t col)
{
	ds_buf_adds(out, s->nresults ? ",\n        {" : "\n        {");
	s->nresults++;
	ds_buf_adds(out, "\"ruleId\": ");
	jstr(out, code);
	ds_buf_addf(out, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ", rule_index(s, code), level);
	jstr(out, msg);
	ds_buf_adds(out, "}, \"locations\": [");
	artifact(out, file, line, col);
	ds_buf_adds(out, "]}");
}

void ds_audit_sarif_file(struct ds_audit_sarif *s, const struct ds_audit_report *r, struct ds_buf *out)
{
	if (r->nlocs) {
		for (uint32_t i = 0; i < r->nlocs; i++) {
			const struct ds_audit_loc *l = &r->locs[i];
			sarif_result(s, out, r->file, l->code, sarif_level(l->sev), l->msg ? l->msg : l->code, l->line,
				     l->col);
		}
		return;
	}
	for (uint32_t i = 0; i < r->nfindings; i++) {
		char msg[96];
		snprintf(msg, sizeof msg, "%u finding%s of %s in this file", r->findings[i].count,
			 r->findings[i].count == 1 ? "" : "s", r->findings[i].code);
		sarif_result(s, out, r->file, r->findings[i].code, "warning", msg, 0, 0);
	}
}

void ds_audit_sarif_end(struct ds_audit_sarif *s, const struct ds_audit_report *v, size_t n, struct ds_buf *out)
{
	ds_buf_adds(out, s->nresults ? "\n      ],\n" : "],\n");
	size_t nerr = 0;
	for (size_t i = 0; i < n; i++)
		nerr += v[i].parse_error != NULL;
	ds_buf_addf(out, "      \"invocations\": [{\"executionSuccessful\": %s, \"toolExecutionNotifications\": [",
		    nerr ? "false" : "true");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].parse_error)
			continue;
		ds_buf_adds(out, k++ ? ",\n        {" : "\n        {");
		ds_buf_adds(out, "\"level\": \"error\", \"message\": {\"text\": ");
		jstr(out, v[i].parse_error);
		ds_buf_adds(out, "}, \"locations\": [");
		artifact(out, v[i].file, v[i].error_line, v[i].error_col);
		ds_buf_adds(out, "]}");
	}
	ds_buf_adds(out, k ? "\n      ]}]\n    }\n  ]\n}\n" : "]}]\n    }\n  ]\n}\n");
	free(s->codes);
	s->codes = NULL;
	s->ncodes = 0;
}

/* ---- summary ---- */

struct tally {
	const char *key;
	uint64_t n;     /* occurrences */
	uint64_t files; /* files with at least one */
};

struct tallies {
	struct tally *v;
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
	return strcmp(((const struct tally *)x)->key, ((const struct tally *)y)->key);
}

/* Most first, then by key: a total order, so ties print the same every time. */
static int tally_rank_cmp(const void *x, const void *y)
{
	const struct tally *a = x, *b = y;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* Merges equal keys (summing n and files), then ranks. */
static void tally_reduce(struct tallies *t)
{
	if (!t->n)
		return;
	qsort(t->v, t->n, sizeof *t->v, tally_key_cmp);
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (k && !strcmp(t->v[k - 1].key, t->v[i].key)) {
			t->v[k - 1].n += t->v[i].n;
			t->v[k - 1].files += t->v[i].files;
		} else {
			t->v[k++] = t->v[i];
		}
	}
	t->n = k;
	qsort(t->v, t->n, sizeof *t->v, tally_rank_cmp);
}

static const char *const known_families[] = {
	"alpine", "debian/ubuntu", "language", "rpm", "windows", "distroless", "chainguard", "scratch", "unknown",
};

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

struct slow {
	uint64_t micros;
	size_t index;
};

static int slow_cmp(const void *x, const void *y)
{
	const struct slow *a = x, *b = y;
	if (a->micros != b->micros)
		return a->micros > b->micros ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * A reason with its quoted specifics ('node:20', '/app/start.sh') folded to
 * '…', so the summary counts kinds of reasons rather than single files.
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

void ds_audit_summary(struct ds_buf *out, const struct ds_audit_report *v, size_t n,
		      const struct ds_audit_summary_opts *o)
{
	struct ds_arena ka = DS_ARENA_INIT;
	size_t top = o->top ? o->top : 10;
	uint64_t failed = 0, shell_free = 0, automatic = 0, manual = 0, no_runtime = 0, with_findings = 0;
	uint64_t nfam = 0, findings = 0;
	struct tallies fam = { 0 }, reasons = { 0 }, rules = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct ds_audit_report *r = &v[i];
		failed += r->parse_error != NULL;
		shell_free += r->shell_free;
		if (r->convertible == DS_AUDIT_YES && !r->shell_free && !r->parse_error)
			automatic++;
		manual += r->convertible == DS_AUDIT_MANUAL;
		no_runtime += r->convertible == DS_AUDIT_NO_RUNTIME;
		if (r->family) {
			tally_add(&fam, r->family, 1);
			nfam++;
		}
		if (r->convertible == DS_AUDIT_MANUAL || r->convertible == DS_AUDIT_NO_RUNTIME)
			for (uint32_t k = 0; k < r->nreasons; k++)
				tally_add(&reasons, reason_kind(&ka, r->reasons[k]), 1);
		for (uint32_t k = 0; k < r->nfindings; k++) {
			tally_add(&rules, r->findings[k].code, r->findings[k].count);
			findings += r->findings[k].count;
		}
		with_findings += r->nfindings > 0;
	}
	tally_reduce(&fam);
	tally_reduce(&reasons);
	tally_reduce(&rules);

	ds_buf_adds(out, "distill audit\n");
	ds_buf_addf(out, "  files found            %8zu", n);
	if (o->shard)
		ds_buf_addf(out, "   (shard %s of %zu discovered)", o->shard, o->discovered);
	ds_buf_adds(out, "\n");
	ds_buf_addf(out, "  parse failures         %8llu\n", (unsigned long long)failed);
	ds_buf_addf(out, "  already shell-free     %8llu  %5.1f%%\n", (unsigned long long)shell_free, pct(shell_free, n));
	ds_buf_addf(out, "  convertible            %8llu  %5.1f%%  automatically\n", (unsigned long long)automatic,
		    pct(automatic, n));
	ds_buf_addf(out, "  manual work needed     %8llu  %5.1f%%\n", (unsigned long long)manual, pct(manual, n));
	ds_buf_addf(out, "  no shell-free runtime  %8llu  %5.1f%%\n", (unsigned long long)no_runtime,
		    pct(no_runtime, n));
	ds_buf_addf(out, "  findings               %8llu  in %llu files\n", (unsigned long long)findings,
		    (unsigned long long)with_findings);

	ds_buf_adds(out, "\nfinal-stage families\n");
	for (size_t k = 0; k < sizeof known_families / sizeof *known_families; k++) {
		uint64_t c = 0;
		for (size_t i = 0; i < fam.n; i++)
			if (!strcmp(fam.v[i].key, known_families[k]))
				c = fam.v[i].n;
		ds_buf_addf(out, "  %-22s %8llu  %5.1f%%\n", known_families[k], (unsigned long long)c, pct(c, nfam));
	}
	for (size_t i = 0; i < fam.n; i++) {
		bool known = false;
		for (size_t k = 0; k < sizeof known_families / sizeof *known_families; k++)
			known = known || !strcmp(fam.v[i].key, known_families[k]);
		if (!known)
			ds_buf_addf(out, "  %-22s %8llu  %5.1f%%\n", fam.v[i].key, (unsigned long long)fam.v[i].n,
				    pct(fam.v[i].n, nfam));
	}

	if (reasons.n) {
		ds_buf_adds(out, "\nmanual work: top reasons (files)\n");
		for (size_t i = 0; i < reasons.n && i < top; i++)
			ds_buf_addf(out, "  %8llu  %s\n", (unsigned long long)reasons.v[i].n, reasons.v[i].key);
		if (reasons.n > top)
			ds_buf_addf(out, "  ... and %zu more reasons\n", reasons.n - top);
	}
	if (rules.n) {
		ds_buf_adds(out, "\ntop findings by rule\n");
		for (size_t i = 0; i < rules.n && i < top; i++)
			ds_buf_addf(out, "  %-10s %8llu  in %llu files\n", rules.v[i].key, (unsigned long long)rules.v[i].n,
				    (unsigned long long)rules.v[i].files);
		if (rules.n > top)
			ds_buf_addf(out, "  ... and %zu more rules\n", rules.n - top);
	}
	if (failed) {
		ds_buf_adds(out, "\nparse failures\n");
		size_t shown = 0;
		for (size_t i = 0; i < n && shown < top; i++) {
			if (!v[i].parse_error)
				continue;
			ds_buf_addf(out, "  %s: ", v[i].file);
			error_text(out, &v[i]);
			ds_buf_addc(out, '\n');
			shown++;
		}
		if (failed > shown)
			ds_buf_addf(out, "  ... and %llu more\n", (unsigned long long)(failed - shown));
	}
	if (o->timing) {
		struct slow *s = ds_xmalloc((n ? n : 1) * sizeof *s);
		size_t ns = 0;
		for (size_t i = 0; i < n; i++)
			if (v[i].micros) {
				s[ns].micros = v[i].micros;
				s[ns].index = i;
				ns++;
			}
		if (ns) {
			qsort(s, ns, sizeof *s, slow_cmp);
			ds_buf_adds(out, "\nslowest files\n");
			for (size_t i = 0; i < ns && i < top; i++)
				ds_buf_addf(out, "  %9.3f ms  %s\n", (double)s[i].micros / 1000.0, v[s[i].index].file);
		}
		free(s);
		if (o->wall_seconds >= 0)
			ds_buf_addf(out, "\ntime: %.3f s wall, %.0f files/s, %u jobs\n", o->wall_seconds,
				    o->wall_seconds > 0 ? (double)n / o->wall_seconds : 0.0, o->jobs);
	}
	free(fam.v);
	ds_arena_release(&ka);
	free(reasons.v);
	free(rules.v);
}

/* ---- the JSON Lines reader ---- */

struct jr {
	const char *s, *p, *end;
	const char *err;
	const char *err_at;
	struct ds_arena *a;
};

static int jr_fail(struct jr *j, const char *msg)
{
	if (!j->err) {
		j->err = msg;
		j->err_at = j->p;
	}
	return -1;
}

static void jr_ws(struct jr *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int jr_expect(struct jr *j, char c)
{
	jr_ws(j);
	if (j->p >= j->end || *j->p != c) {
		switch (c) {
		case '{': return jr_fail(j, "expected '{'");
		case '}': return jr_fail(j, "expected '}'");
		case ':': return jr_fail(j, "expected ':'");
		case '[': return jr_fail(j, "expected '['");
		case ']': return jr_fail(j, "expected ']'");
		default: return jr_fail(j, "expected '\"'");
		}
	}
	j->p++;
	return 0;
}

static int jr_lit(struct jr *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return jr_fail(j, "invalid literal");
	j->p += n;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int jr_hex4(struct jr *j, unsigned *v)
{
	if (j->end - j->p < 4)
		return jr_fail(j, "truncated \\u escape");
	unsigned x = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(j->p[i]);
		if (h < 0)
			return jr_fail(j, "invalid \\u escape");
		x = x << 4 | (unsigned)h;
	}
	j->p += 4;
	*v = x;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t k;
	unsigned cp;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) { k = 1; cp = p[0] & 0x1fu; }
	else if (p[0] >= 0xe0 && p[0] <= 0xef) { k = 2; cp = p[0] & 0x0fu; }
	else if (p[0] >= 0xf0 && p[0] <= 0xf4) { k = 3; cp = p[0] & 0x07u; }
	else return 0;
	if ((size_t)(end - p) <= k)
		return 0;
	for (size_t i = 1; i <= k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k + 1;
}

/* Reads a string; *out (may be NULL to skip) gets a NUL-terminated copy in the arena. */
static int jr_string(struct jr *j, const char **out)
{
	if (jr_expect(j, '"'))
		return -1;
	/* the decoded text is never longer than the source */
	const char *q = j->p;
	while (q < j->end && *q != '"')
		q += (*q == '\\' && q + 1 < j->end) ? 2 : 1;
	char *o = out ? ds_arena_alloc(j->a, (size_t)(q - j->p) + 1) : NULL;
	size_t n = 0;
	for (;;) {
		if (j->p >= j->end)
			return jr_fail(j, "unterminated string");
		unsigned char c = (unsigned char)*j->p;
		if (c == '"') {
			j->p++;
			break;
		}
		if (c < 0x20)
			return jr_fail(j, "control character in string");
		if (c >= 0x80) {
			size_t k = utf8_len((const unsigned char *)j->p, (const unsigned char *)j->end);
			if (!k)
				return jr_fail(j, "invalid UTF-8 in string");
			if (o)
				memcpy(o + n, j->p, k);
			n += k;
			j->p += k;
			continue;
		}
		if (c != '\\') {
			if (o)
				o[n] = (char)c;
			n++;
			j->p++;
			continue;
		}
		j->p++;
		if (j->p >= j->end)
			return jr_fail(j, "unterminated string");
		char e = *j->p++;
		char lit = 0;
		switch (e) {
		case '"': lit = '"'; break;
		case '\\': lit = '\\'; break;
		case '/': lit = '/'; break;
		case 'b': lit = '\b'; break;
		case 'f': lit = '\f'; break;
		case 'n': lit = '\n'; break;
		case 'r': lit = '\r'; break;
		case 't': lit = '\t'; break;
		case 'u': {
			unsigned cp;
			if (jr_hex4(j, &cp))
				return -1;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return jr_fail(j, "lone low surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				unsigned lo;
				if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
					return jr_fail(j, "lone high surrogate");
				j->p += 2;
				if (jr_hex4(j, &lo))
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return jr_fail(j, "invalid surrogate pair");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (cp == 0)
				return jr_fail(j, "NUL character in string");
			char tmp[4];
			size_t k = put_utf8(tmp, cp);
			if (o)
				memcpy(o + n, tmp, k);
			n += k;
			continue;
		}
		default:
			j->p--;
			return jr_fail(j, "invalid escape in string");
		}
		if (o)
			o[n] = lit;
		n++;
	}
	if (o) {
		o[n] = '\0';
		*out = o;
	}
	return 0;
}

/* Reads a JSON number; *v gets it when it is a non-negative integer (else an error if v). */
static int jr_number(struct jr *j, uint64_t *v)
{
	jr_ws(j);
	const char *start = j->p;
	bool integer = true, neg = false;
	if (j->p < j->end && *j->p == '-') {
		neg = true;
		j->p++;
	}
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return jr_fail(j, "invalid number");
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	const char *int_end = j->p;
	if (j->p < j->end && *j->p == '.') {
		integer = false;
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return jr_fail(j, "invalid number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		integer = false;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return jr_fail(j, "invalid number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (!v)
		return 0;
	if (!integer || neg) {
		j->p = start;
		return jr_fail(j, "expected a non-negative integer");
	}
	uint64_t x = 0;
	for (const char *q = start; q < int_end; q++) {
		uint64_t d = (uint64_t)(*q - '0');
		if (x > (UINT64_MAX - d) / 10) {
			j->p = start;
			return jr_fail(j, "number too large");
		}
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

static int jr_skip(struct jr *j, unsigned depth)
{
	if (depth > 64)
		return jr_fail(j, "nested too deep");
	jr_ws(j);
	if (j->p >= j->end)
		return jr_fail(j, "expected a value");
	switch (*j->p) {
	case '"': return jr_string(j, NULL);
	case 't': return jr_lit(j, "true");
	case 'f': return jr_lit(j, "false");
	case 'n': return jr_lit(j, "null");
	case '[':
		j->p++;
		jr_ws(j);
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return 0;
		}
		for (;;) {
			if (jr_skip(j, depth + 1))
				return -1;
			jr_ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			return jr_expect(j, ']') ? jr_fail(j, "expected ',' or ']'") : 0;
		}
	case '{':
		j->p++;
		jr_ws(j);
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return 0;
		}
		for (;;) {
			if (jr_string(j, NULL) || jr_expect(j, ':') || jr_skip(j, depth + 1))
				return -1;
			jr_ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			return jr_expect(j, '}') ? jr_fail(j, "expected ',' or '}'") : 0;
		}
	default:
		return jr_number(j, NULL);
	}
}

static bool jr_peek(struct jr *j, char c)
{
	jr_ws(j);
	return j->p < j->end && *j->p == c;
}

static int jr_string_or_null(struct jr *j, const char **out)
{
	if (jr_peek(j, 'n')) {
		*out = NULL;
		return jr_lit(j, "null");
	}
	return jr_string(j, out);
}

static int jr_bool(struct jr *j, bool *b)
{
	jr_ws(j);
	if (j->p < j->end && *j->p == 't') {
		*b = true;
		return jr_lit(j, "true");
	}
	*b = false;
	return jr_lit(j, "false");
}

static int jr_u32(struct jr *j, uint32_t *out)
{
	uint64_t v;
	if (jr_number(j, &v))
		return -1;
	if (v > UINT32_MAX)
		return jr_fail(j, "number too large");
	*out = (uint32_t)v;
	return 0;
}

static int jr_reasons(struct jr *j, struct ds_audit_report *r)
{
	if (jr_expect(j, '['))
		return -1;
	if (jr_peek(j, ']')) {
		j->p++;
		return 0;
	}
	for (;;) {
		const char *s;
		if (jr_string(j, &s))
			return -1;
		r->reasons = ds_arena_grow(j->a, r->reasons, sizeof *r->reasons, r->nreasons, &r->capreasons);
		r->reasons[r->nreasons++] = s;
		if (jr_peek(j, ',')) {
			j->p++;
			continue;
		}
		return jr_expect(j, ']') ? jr_fail(j, "expected ',' or ']'") : 0;
	}
}

static int jr_findings(struct jr *j, struct ds_audit_report *r)
{
	if (jr_expect(j, '{'))
		return -1;
	if (jr_peek(j, '}')) {
		j->p++;
		return 0;
	}
	for (;;) {
		const char *code;
		uint32_t n;
		if (jr_string(j, &code) || jr_expect(j, ':') || jr_u32(j, &n))
			return -1;
		r->findings = ds_arena_grow(j->a, r->findings, sizeof *r->findings, r->nfindings, &r->capfindings);
		r->findings[r->nfindings].code = code;
		r->findings[r->nfindings].count = n;
		r->nfindings++;
		if (jr_peek(j, ',')) {
			j->p++;
			continue;
		}
		return jr_expect(j, '}') ? jr_fail(j, "expected ',' or '}'") : 0;
	}
}

static int jr_conv(struct jr *j, enum ds_audit_conv *c)
{
	const char *s;
	const char *at = j->p;
	if (jr_string(j, &s))
		return -1;
	for (int k = DS_AUDIT_YES; k <= DS_AUDIT_ERROR; k++) {
		if (!strcmp(s, ds_audit_conv_name((enum ds_audit_conv)k))) {
			*c = (enum ds_audit_conv)k;
			return 0;
		}
	}
	j->p = at;
	return jr_fail(j, "unknown \"convertible\" value");
}

static int jr_member(struct jr *j, const char *key, struct ds_audit_report *r, bool *has_file)
{
	if (!strcmp(key, "file")) {
		*has_file = true;
		return jr_string(j, &r->file);
	}
	if (!strcmp(key, "stages"))
		return jr_u32(j, &r->stages);
	if (!strcmp(key, "final_base"))
		return jr_string_or_null(j, &r->final_base);
	if (!strcmp(key, "family"))
		return jr_string_or_null(j, &r->family);
	if (!strcmp(key, "shell_free"))
		return jr_bool(j, &r->shell_free);
	if (!strcmp(key, "convertible"))
		return jr_conv(j, &r->convertible);
	if (!strcmp(key, "reasons")) {
		r->nreasons = 0;
		return jr_reasons(j, r);
	}
	if (!strcmp(key, "findings")) {
		r->nfindings = 0;
		return jr_findings(j, r);
	}
	if (!strcmp(key, "parse_error")) {
		r->error_line = r->error_col = 0;
		return jr_string_or_null(j, &r->parse_error);
	}
	if (!strcmp(key, "micros"))
		return jr_number(j, &r->micros);
	return jr_skip(j, 0);
}

int ds_audit_jsonl_read(struct ds_arena *a, const char *line, size_t len, struct ds_audit_report *r,
			const char **err, size_t *err_off)
{
	struct jr j = { line, line, line + len, NULL, NULL, a };
	ds_audit_report_init(r, NULL);
	bool has_file = false;
	if (jr_expect(&j, '{'))
		goto fail;
	if (jr_peek(&j, '}')) {
		j.p++;
	} else {
		for (;;) {
			const char *key;
			if (jr_string(&j, &key) || jr_expect(&j, ':') || jr_member(&j, key, r, &has_file))
				goto fail;
			if (jr_peek(&j, ',')) {
				j.p++;
				continue;
			}
			if (jr_expect(&j, '}')) {
				j.err = NULL;
				jr_fail(&j, "expected ',' or '}'");
				goto fail;
			}
			break;
		}
	}
	jr_ws(&j);
	if (j.p != j.end) {
		jr_fail(&j, "trailing characters after the object");
		goto fail;
	}
	if (!has_file) {
		j.p = line;
		jr_fail(&j, "no \"file\" key");
		goto fail;
	}
	if (r->nfindings)
		qsort(r->findings, r->nfindings, sizeof *r->findings, count_cmp);
	return 0;
fail:
	*err = j.err ? j.err : "invalid JSON";
	*err_off = (size_t)((j.err_at ? j.err_at : j.p) - line);
	return -1;
}
