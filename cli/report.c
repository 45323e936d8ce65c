/* report.c - audit reports: building, copying, JSON Lines, SARIF 2.1.0, the JSONL reader; see report.h. */
#include "cli/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/str.h"
#include "common/utf8.h"
#include "emit/escape.h"
#include "rewrite/convert.h"
#include "rules/rules.h"

const char *ds_audit_conv_name(enum ds_audit_conv c)
{
	switch (c) {
#define X(e, json, label) \
	case DS_AUDIT_##e: return json;
		DS_AUDIT_VERDICTS(X)
#undef X
	case DS_AUDIT__COUNT: break;
	}
	return "error";
}

const char *ds_audit_conv_label(enum ds_audit_conv c)
{
	switch (c) {
#define X(e, json, label) \
	case DS_AUDIT_##e: return label;
		DS_AUDIT_VERDICTS(X)
#undef X
	case DS_AUDIT__COUNT: break;
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
			if ((int)sev < r->findings[i].sev)
				r->findings[i].sev = (int)sev;
			kept = r->findings[i].code;
		}
	}
	if (!kept) {
		r->findings = ds_arena_grow(a, r->findings, sizeof *r->findings, r->nfindings, &r->capfindings);
		kept = ds_arena_strdup(a, code);
		r->findings[r->nfindings].code = kept;
		r->findings[r->nfindings].count = 1;
		r->findings[r->nfindings].sev = (int)sev;
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
	dst->target = dup_or_null(a, src->target);
	dst->context = dup_or_null(a, src->context);
	dst->stage = dup_or_null(a, src->stage);
	dst->compose = dup_or_null(a, src->compose);
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
			dst->findings[i].sev = src->findings[i].sev;
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

void ds_audit_error_text(struct ds_buf *b, const struct ds_audit_report *r)
{
	if (r->error_line)
		ds_buf_addf(b, "%u:%u: ", r->error_line, r->error_col);
	ds_buf_adds(b, r->parse_error);
}

void ds_audit_jsonl(struct ds_buf *out, const struct ds_audit_report *r)
{
	ds_buf_adds(out, "{\"file\":");
	jstr(out, r->file);
	if (!ds_utf8_valid(r->file, strlen(r->file))) {
		/* the string above has U+FFFD for the bytes that are not UTF-8: keep the name */
		ds_buf_adds(out, ",\"file_base64\":\"");
		ds_buf_add_base64(out, r->file, strlen(r->file));
		ds_buf_addc(out, '"');
	}
	ds_buf_adds(out, ",\"repo\":");
	jstr_or_null(out, r->repo);
	ds_buf_adds(out, ",\"dir\":");
	jstr_or_null(out, r->dir);
	ds_buf_addf(out, ",\"stages\":%u,\"final_base\":", r->stages);
	jstr_or_null(out, r->final_base);
	ds_buf_adds(out, ",\"family\":");
	jstr_or_null(out, r->family);
	ds_buf_addf(out, ",\"shell_free\":%s,\"convertible\":\"%s\",\"accept\":[", r->shell_free ? "true" : "false",
		    ds_audit_conv_name(r->convertible));
	bool first = true;
	for (unsigned k = 0; k < DS_CHANGE__COUNT; k++) {
		if (!(r->accept & 1u << k))
			continue;
		ds_buf_addf(out, "%s\"%s\"", first ? "" : ",", ds_change_kind_name((enum ds_change_kind)k));
		first = false;
	}
	ds_buf_addf(out, "],\"bump_runtime\":%s,\"target\":", r->bump ? "true" : "false");
	jstr_or_null(out, r->target);
	ds_buf_adds(out, ",\"context\":");
	jstr_or_null(out, r->context);
	ds_buf_adds(out, ",\"stage\":");
	jstr_or_null(out, r->stage);
	ds_buf_adds(out, ",\"compose\":");
	jstr_or_null(out, r->compose);
	ds_buf_adds(out, ",\"reasons\":[");
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
		ds_audit_error_text(&e, r);
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
	ds_buf_adds(out, ",\n          \"informationUri\": \"" DS_INFO_URI "\",\n          \"rules\": [");
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

static int jr_hex4(struct jr *j, unsigned *v)
{
	if (j->end - j->p < 4)
		return jr_fail(j, "truncated \\u escape");
	unsigned x = 0;
	for (int i = 0; i < 4; i++) {
		int h = ds_str_hexval(j->p[i]);
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
			unsigned cp;
			size_t k = ds_utf8_decode((const unsigned char *)j->p, (size_t)(j->end - j->p), &cp);
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
		r->findings[r->nfindings].sev = -1;
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
	for (int k = 0; k < DS_AUDIT__COUNT; k++) {
		if (!strcmp(s, ds_audit_conv_name((enum ds_audit_conv)k))) {
			*c = (enum ds_audit_conv)k;
			return 0;
		}
	}
	j->p = at;
	return jr_fail(j, "unknown \"convertible\" value");
}

/* The "accept" list: names of kinds of behaviour change. */
static int jr_accept(struct jr *j, unsigned *mask)
{
	*mask = 0;
	if (jr_expect(j, '['))
		return -1;
	if (jr_peek(j, ']')) {
		j->p++;
		return 0;
	}
	for (;;) {
		const char *at = j->p, *s;
		if (jr_string(j, &s))
			return -1;
		unsigned k = 0;
		while (k < DS_CHANGE__COUNT && strcmp(s, ds_change_kind_name((enum ds_change_kind)k)))
			k++;
		if (k == DS_CHANGE__COUNT) {
			j->p = at;
			return jr_fail(j, "unknown kind of change in \"accept\"");
		}
		*mask |= 1u << k;
		if (jr_peek(j, ',')) {
			j->p++;
			continue;
		}
		return jr_expect(j, ']') ? jr_fail(j, "expected ',' or ']'") : 0;
	}
}

/* A name given as base64 (a file name that is not UTF-8): its bytes, without NUL. */
static int jr_base64_name(struct jr *j, const char **out)
{
	const char *at = j->p, *text;
	if (jr_string(j, &text))
		return -1;
	struct ds_buf b = DS_BUF_INIT;
	int bad = ds_buf_add_base64_decoded(&b, text, strlen(text)) || !b.len || memchr(b.buf, 0, b.len);
	if (!bad)
		*out = ds_arena_strndup(j->a, b.buf, b.len);
	ds_buf_release(&b);
	if (bad) {
		j->p = at;
		return jr_fail(j, "invalid \"file_base64\" (base64 of a file name)");
	}
	return 0;
}

static int jr_member(struct jr *j, const char *key, struct ds_audit_report *r, bool *has_file)
{
	if (!strcmp(key, "file")) {
		*has_file = true;
		return jr_string(j, &r->file);
	}
	if (!strcmp(key, "file_base64"))
		return jr_base64_name(j, &r->file);
	if (!strcmp(key, "repo"))
		return jr_string_or_null(j, &r->repo);
	if (!strcmp(key, "dir"))
		return jr_string_or_null(j, &r->dir);
	if (!strcmp(key, "accept"))
		return jr_accept(j, &r->accept);
	if (!strcmp(key, "bump_runtime"))
		return jr_bool(j, &r->bump);
	if (!strcmp(key, "target"))
		return jr_string_or_null(j, &r->target);
	if (!strcmp(key, "context"))
		return jr_string_or_null(j, &r->context);
	if (!strcmp(key, "stage"))
		return jr_string_or_null(j, &r->stage);
	if (!strcmp(key, "compose"))
		return jr_string_or_null(j, &r->compose);
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
