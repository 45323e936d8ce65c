/*
 * format.c - findings in the output formats; see format.h. hadolint's
 * formats follow hadolint's src/Hadolint/Formatter/NAME.hs (the keys, the
 * severities each maps to, DL1000 for a parse error).
 * SARIF follows the OASIS SARIF 2.1.0 specification (§3.13 run, §3.19
 * toolComponent, §3.49 reportingDescriptor, §3.27 result, §3.30 region:
 * 1-based lines and columns, endColumn exclusive). checkstyle follows the
 * XML that checkstyle's XMLLogger writes (and hadolint imitates).
 */
#include "emit/format.h"

#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/sha1.h"
#include "common/source.h"
#include "common/utf8.h"
#include "emit/escape.h"
#include "rules/rules.h"


static const char *const format_names[] = {
#define DS_FORMAT_NAME(e, name, what) name,
	DS_FORMATS(DS_FORMAT_NAME)
#undef DS_FORMAT_NAME
};

static const char *const format_what[] = {
#define DS_FORMAT_WHAT(e, name, what) what,
	DS_FORMATS(DS_FORMAT_WHAT)
#undef DS_FORMAT_WHAT
};

const char *ds_format_summary(enum ds_format f)
{
	return (unsigned)f < DS_FMT__COUNT ? format_what[f] : "";
}

bool ds_format_never_fails(enum ds_format f)
{
	return f == DS_FMT_CODECLIMATE || f == DS_FMT_GITLAB_CODECLIMATE || f == DS_FMT_CODACY;
}

int ds_format_parse(const char *name)
{
	for (int i = 0; i < DS_FMT__COUNT; i++)
		if (!strcmp(name, format_names[i]))
			return i;
	return -1;
}

const char *ds_format_name(enum ds_format f)
{
	return (unsigned)f < DS_FMT__COUNT ? format_names[f] : "text";
}

const char *ds_format_list(void)
{
	static const char list[] =
#define DS_FORMAT_LIST(e, name, what) "|" name
		DS_FORMATS(DS_FORMAT_LIST)
#undef DS_FORMAT_LIST
		;
	return list + 1;
}

void ds_emitter_init(struct ds_emitter *e, enum ds_format fmt)
{
	memset(e, 0, sizeof *e);
	e->fmt = fmt;
	e->caret = true;
	e->version = "0";
	e->info_uri = DS_INFO_URI;
	e->help_uri = DS_RULE_DOCS_URI;
}

/* The file name a report shows for src. */
static const char *shown(const struct ds_emitter *e, const struct ds_source *src)
{
	return e->path ? e->path : src->path ? src->path : "-";
}

/* ---- helpers ---- */

static const char *slug_of(const char *code)
{
	if (!code)
		return "";
	const struct ds_rule_info *r = ds_rule_find(code);
	if (r)
		return r->slug;
	if ((code[0] == 'S' || code[0] == 's') && (code[1] == 'C' || code[1] == 'c'))
		return "shellcheck";
	return "";
}

static void jstr(struct ds_buf *b, const char *s)
{
	ds_buf_add_json_str(b, s ? s : "", s ? strlen(s) : 0);
}

/*
 * A file name as JSON: the string, and when the name is not valid UTF-8 (so
 * the string has U+FFFD in place of some bytes) a "file_base64" member with
 * the exact bytes, so two such names never collapse into one.
 */
static void jname(struct ds_buf *b, const char *name)
{
	size_t n = strlen(name);
	ds_buf_add_json_str(b, name, n);
	if (!ds_utf8_valid(name, n)) {
		ds_buf_adds(b, ", \"file_base64\": \"");
		ds_buf_add_base64(b, name, n);
		ds_buf_addc(b, '"');
	}
}

/* XML 1.0 character data or attribute value: escapes, and U+FFFD for what XML cannot hold. */
static void xstr(struct ds_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n = strlen((const char *)s);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = ds_utf8_decode(s + i, n - i, &cp);
		if (!k || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xfffe || cp == 0xffff) {
			ds_buf_adds(b, "\xef\xbf\xbd");
			i += k ? k : 1;
			continue;
		}
		if (cp == '\n' || cp == '\r' || cp == '\t')
			ds_buf_addf(b, "&#%u;", cp); /* keep them through attribute normalisation */
		else
			ds_buf_add_xml(b, (const char *)s + i, k);
		i += k;
	}
}

/* A file path as a URI reference: percent-encoding outside unreserved characters and '/'. */
static void uri(struct ds_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char ch = *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/') {
			ds_buf_addc(b, (char)ch);
		} else {
			char e[3] = { '%', hex[ch >> 4], hex[ch & 15] };
			ds_buf_add(b, e, 3);
		}
	}
}

struct pos {
	uint32_t line, col, end_line, end_col;
};

static void pos_of(const struct ds_source *src, const struct ds_diag *d, struct pos *p)
{
	if (!d->has_pos) {
		memset(p, 0, sizeof *p);
		return;
	}
	ds_source_linecol(src, d->off, &p->line, &p->col);
	ds_source_linecol(src, d->end, &p->end_line, &p->end_col);
}

static const char *sarif_level(enum ds_severity s)
{
	switch (s) {
	case DS_SEV_ERROR: return "error";
	case DS_SEV_WARNING: return "warning";
	default: return "note";
	}
}

static const char *checkstyle_severity(enum ds_severity s)
{
	switch (s) {
	case DS_SEV_ERROR: return "error";
	case DS_SEV_WARNING: return "warning";
	default: return "info";
	}
}

/* ---- text and gnu ---- */

/*
 * The columns unit u takes on a terminal: its escape written out, one for
 * a character (wide characters are not measured), and -1 for a tab, which
 * the caret line repeats so that it lines up whatever the tab stops.
 */
static int unit_width(const struct ds_esc_unit *u)
{
	if (u->escaped)
		return (int)u->len;
	return u->len == 1 && u->out[0] == '\t' ? -1 : 1;
}

/* Appends n columns of c, or a tab for a tab unit. */
static void pad_unit(struct ds_buf *out, const struct ds_esc_unit *u, char c)
{
	int w = unit_width(u);
	if (w < 0) {
		ds_buf_addc(out, c == ' ' ? '\t' : c);
		return;
	}
	for (int i = 0; i < w; i++)
		ds_buf_addc(out, c);
}

/* The source line of a finding, escaped, and a caret (and tildes) under bytes [col, last) of it. */
static void caret_lines(struct ds_buf *out, const char *text, size_t len, uint32_t col, uint32_t last,
			const char *on, const char *off)
{
	ds_buf_adds(out, "  ");
	ds_esc_text(out, text, len);
	ds_buf_adds(out, "\n  ");
	struct ds_esc_unit u;
	size_t i = 0;
	for (; i + 1 < col && i < len; i += u.in) {
		ds_esc_next(text + i, len - i, DS_ESC_TEXT, &u);
		pad_unit(out, &u, ' ');
	}
	ds_buf_adds(out, on);
	ds_buf_addc(out, '^');
	/* the rest of the caret's own unit, then the range up to last */
	if (i < len) {
		ds_esc_next(text + i, len - i, DS_ESC_TEXT, &u);
		int w = unit_width(&u);
		for (int k = 1; k < w; k++)
			ds_buf_addc(out, '~');
		for (i += u.in; i + 1 < last && i < len; i += u.in) {
			ds_esc_next(text + i, len - i, DS_ESC_TEXT, &u);
			pad_unit(out, &u, '~');
		}
	}
	ds_buf_adds(out, off);
	ds_buf_addc(out, '\n');
}

static void text_one(const struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d,
		     struct ds_buf *out)
{
	const char *on = "", *off = "";
	if (e->color) {
		off = "\033[0m";
		on = d->sev == DS_SEV_ERROR ? "\033[1;31m" : d->sev == DS_SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
	}
	struct pos p;
	pos_of(src, d, &p);
	if (e->fmt == DS_FMT_GNU && e->hadolint_gnu) {
		/* hadolint's gnu: hadolint:FILE:LINE: CODE level: message */
		ds_buf_adds(out, "hadolint:");
		ds_esc_name(out, shown(e, src));
		ds_buf_addf(out, ":%u: ", d->has_pos ? p.line : 1);
		ds_esc_text(out, d->code ? d->code : "", d->code ? strlen(d->code) : 0);
		ds_buf_addf(out, " %s: ", ds_severity_name(d->sev));
		ds_esc_text(out, d->msg, strlen(d->msg));
		ds_buf_addc(out, '\n');
		return;
	}
	ds_esc_name(out, shown(e, src));
	if (d->has_pos)
		ds_buf_addf(out, ":%u:%u", p.line, p.col);
	ds_buf_addf(out, ": %s%s%s: ", on, ds_severity_name(d->sev), off);
	ds_esc_text(out, d->msg, strlen(d->msg));
	if (d->code) {
		ds_buf_adds(out, " [");
		ds_esc_text(out, d->code, strlen(d->code));
		ds_buf_addc(out, ']');
	}
	ds_buf_addc(out, '\n');
	if (e->fmt != DS_FMT_TEXT || !e->caret || !d->has_pos)
		return;
	size_t start, len;
	ds_source_line_text(src, p.line, &start, &len);
	if (len > 400)
		return; /* do not echo huge lines */
	uint32_t last = p.end_line == p.line ? p.end_col : (uint32_t)len + 1;
	caret_lines(out, src->data + start, len, p.col, last, on, off);
}

/* hadolint's tty: FILE:LINE CODE level: message, the level coloured as hadolint colours it. */
static void tty_one(const struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d,
		    struct ds_buf *out)
{
	struct pos p;
	pos_of(src, d, &p);
	ds_esc_name(out, shown(e, src));
	ds_buf_addf(out, ":%u ", d->has_pos ? p.line : 1);
	ds_esc_text(out, d->code ? d->code : "", d->code ? strlen(d->code) : 0);
	const char *on = "";
	if (e->color)
		on = d->sev == DS_SEV_ERROR ? "\033[1;31m" : d->sev == DS_SEV_WARNING ? "\033[1;33m"
		   : d->sev == DS_SEV_INFO ? "\033[32m" : "\033[36m";
	ds_buf_addf(out, " %s%s%s: ", on, ds_severity_name(d->sev), *on ? "\033[0m" : "");
	ds_esc_text(out, d->msg, strlen(d->msg));
	ds_buf_addc(out, '\n');
}

void ds_emit_diag_text(struct ds_buf *out, const struct ds_source *src, const struct ds_diag *d, bool caret,
		       bool color)
{
	struct ds_emitter e;
	ds_emitter_init(&e, DS_FMT_TEXT);
	e.caret = caret;
	e.color = color;
	text_one(&e, src, d, out);
}

/* ---- json ---- */

static void json_one(struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d,
		     struct ds_buf *out)
{
	struct pos p;
	pos_of(src, d, &p);
	ds_buf_adds(out, e->nresults ? ",\n  {" : "\n  {");
	/* hadolint's keys (code, column, file, level, line, message), then distill's */
	ds_buf_adds(out, "\"file\": ");
	jname(out, shown(e, src));
	ds_buf_addf(out, ", \"line\": %u, \"column\": %u, \"level\": ", p.line, p.col);
	jstr(out, ds_severity_name(d->sev));
	ds_buf_adds(out, ", \"code\": ");
	jstr(out, d->code);
	ds_buf_adds(out, ", \"message\": ");
	jstr(out, d->msg);
	ds_buf_addf(out, ", \"end_line\": %u, \"end_column\": %u, \"slug\": ", p.end_line, p.end_col);
	jstr(out, slug_of(d->code));
	ds_buf_adds(out, ", \"severity\": ");
	jstr(out, ds_severity_name(d->sev));
	ds_buf_addc(out, '}');
}

/* ---- sarif ---- */

static void sarif_begin(const struct ds_emitter *e, struct ds_buf *out)
{
	ds_buf_adds(out, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
			 "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
			 "        \"driver\": {\n          \"name\": \"distill\",\n          \"version\": ");
	jstr(out, e->version);
	ds_buf_adds(out, ",\n          \"informationUri\": ");
	jstr(out, e->info_uri);
	ds_buf_adds(out, ",\n          \"rules\": [");
	for (size_t i = 0; i < DS_R__COUNT; i++) {
		const struct ds_rule_info *r = &ds_rules[i];
		ds_buf_adds(out, i ? ",\n            {" : "\n            {");
		ds_buf_adds(out, "\"id\": ");
		jstr(out, r->code);
		ds_buf_adds(out, ", \"name\": ");
		jstr(out, r->slug);
		ds_buf_adds(out, ", \"shortDescription\": {\"text\": ");
		jstr(out, r->summary);
		ds_buf_adds(out, "}, \"fullDescription\": {\"text\": ");
		jstr(out, r->explain);
		ds_buf_adds(out, "}, \"helpUri\": \"");
		ds_buf_adds(out, e->help_uri);
		uri(out, r->code);
		ds_buf_adds(out, ".md\", \"defaultConfiguration\": {\"level\": ");
		jstr(out, r->sev == DS_SEV_NONE ? "none" : sarif_level(r->sev));
		ds_buf_addf(out, "}, \"properties\": {\"severity\": \"%s\", \"fixable\": %s}}",
			    ds_severity_name(r->sev), r->fixable ? "true" : "false");
	}
	ds_buf_adds(out, "\n          ]\n        }\n      },\n      \"results\": [");
}

static void sarif_one(struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d,
		      struct ds_buf *out)
{
	struct pos p;
	pos_of(src, d, &p);
	ds_buf_adds(out, e->nresults ? ",\n        {" : "\n        {");
	ds_buf_adds(out, "\"ruleId\": ");
	jstr(out, d->code ? d->code : "distill");
	const struct ds_rule_info *r = d->code ? ds_rule_find(d->code) : NULL;
	if (r)
		ds_buf_addf(out, ", \"ruleIndex\": %zu", (size_t)(r - ds_rules));
	ds_buf_adds(out, ", \"level\": ");
	jstr(out, sarif_level(d->sev));
	ds_buf_adds(out, ", \"message\": {\"text\": ");
	jstr(out, d->msg);
	ds_buf_adds(out, "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"");
	struct ds_buf u = DS_BUF_INIT;
	uri(&u, shown(e, src));
	ds_buf_add(out, u.buf, u.len);
	ds_buf_release(&u);
	ds_buf_addc(out, '"');
	ds_buf_adds(out, "}");
	if (d->has_pos) {
		uint32_t ec = p.end_col, el = p.end_line;
		if (el < p.line || (el == p.line && ec < p.col))
			el = p.line, ec = p.col;
		ds_buf_addf(out,
			    ", \"region\": {\"startLine\": %u, \"startColumn\": %u, \"endLine\": %u, \"endColumn\": %u}",
			    p.line, p.col, el, ec);
	}
	ds_buf_adds(out, "}}]");
	ds_buf_addf(out, ", \"properties\": {\"severity\": \"%s\"}}", ds_severity_name(d->sev));
}

/* ---- checkstyle ---- */

static void checkstyle_file(const struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *v,
			    size_t n, struct ds_buf *out)
{
	ds_buf_adds(out, "<file name=\"");
	xstr(out, shown(e, src));
	if (!n) {
		ds_buf_adds(out, "\"/>\n"); /* hadolint writes every file */
		return;
	}
	ds_buf_adds(out, "\">\n");
	for (size_t i = 0; i < n; i++) {
		struct pos p;
		pos_of(src, &v[i], &p);
		ds_buf_addf(out, "<error line=\"%u\" column=\"%u\" severity=\"%s\" message=\"", p.line, p.col,
			    checkstyle_severity(v[i].sev));
		xstr(out, v[i].msg);
		ds_buf_adds(out, "\" source=\"");
		xstr(out, v[i].code ? v[i].code : "distill");
		ds_buf_adds(out, "\"/>\n");
	}
	ds_buf_adds(out, "</file>\n");
}

/* ---- hadolint's other formats ---- */

static bool is_parse_error(const struct ds_diag *d)
{
	return d->code && !strcmp(d->code, "DL1000");
}

/* hadolint's Code Climate severities. */
static const char *climate_severity(enum ds_severity s)
{
	switch (s) {
	case DS_SEV_ERROR: return "blocker";
	case DS_SEV_WARNING: return "major";
	case DS_SEV_INFO: return "info";
	default: return "minor";
	}
}

/* One Code Climate issue (https://github.com/codeclimate/platform/blob/master/spec/analyzers/SPEC.md#issues). */
static void climate_issue(const struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d,
			  struct ds_buf *out)
{
	struct pos p;
	pos_of(src, d, &p);
	uint32_t line = d->has_pos ? p.line : 1;
	ds_buf_adds(out, "{\"type\": \"issue\", \"check_name\": ");
	jstr(out, d->code ? d->code : "distill");
	ds_buf_adds(out, ", \"description\": ");
	jstr(out, d->msg);
	ds_buf_adds(out, ", \"categories\": [\"Bug Risk\"], \"location\": {\"path\": ");
	jstr(out, shown(e, src));
	if (is_parse_error(d))
		ds_buf_addf(out, ", \"positions\": {\"begin\": {\"line\": %u, \"column\": %u}, "
				 "\"end\": {\"line\": %u, \"column\": %u}}}",
			    line, d->has_pos ? p.col : 1, line, d->has_pos ? p.col : 1);
	else
		ds_buf_addf(out, ", \"lines\": {\"begin\": %u, \"end\": %u}}", line, line);
	ds_buf_adds(out, ", \"severity\": ");
	jstr(out, climate_severity(d->sev));
	ds_buf_addc(out, '}');
}

static void gitlab_one(struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d,
		       struct ds_buf *out)
{
	struct ds_buf issue = DS_BUF_INIT;
	climate_issue(e, src, d, &issue);
	char fp[41];
	ds_sha1_hex(issue.buf, issue.len, fp);
	ds_buf_adds(out, e->nresults ? ",\n  " : "\n  ");
	/* the issue with its fingerprint (the SHA-1 of the issue without it), as hadolint writes it */
	ds_buf_add(out, issue.buf, issue.len - 1);
	ds_buf_addf(out, ", \"fingerprint\": \"%s\"}", fp);
	ds_buf_release(&issue);
}

static void sonar_one(struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d,
		      struct ds_buf *out)
{
	struct pos p;
	pos_of(src, d, &p);
	bool perr = is_parse_error(d);
	uint32_t line = d->has_pos ? p.line : 1, end_line = d->has_pos ? p.end_line : 1;
	uint32_t col = d->has_pos ? p.col - 1 : 0, end_col = d->has_pos ? p.end_col - 1 : 1;
	if (end_line < line || (end_line == line && end_col <= col))
		end_line = line, end_col = col + 1;
	const char *sev = perr ? "BLOCKER"
			: d->sev == DS_SEV_ERROR ? "CRITICAL"
			: d->sev == DS_SEV_WARNING ? "MAJOR"
			: d->sev == DS_SEV_INFO ? "MINOR"
						 : "INFO";
	ds_buf_adds(out, e->nresults ? ",\n    " : "\n    ");
	ds_buf_adds(out, "{\"engineId\": \"distill\", \"ruleId\": ");
	jstr(out, d->code ? d->code : "distill");
	ds_buf_addf(out, ", \"severity\": \"%s\", \"type\": \"%s\", \"primaryLocation\": {\"message\": ", sev,
		    perr || d->sev == DS_SEV_ERROR ? "BUG" : "CODE_SMELL");
	jstr(out, d->msg);
	ds_buf_adds(out, ", \"filePath\": ");
	jstr(out, shown(e, src));
	ds_buf_addf(out, ", \"textRange\": {\"startLine\": %u, \"endLine\": %u, \"startColumn\": %u, \"endColumn\": %u}}}",
		    line, end_line, col, end_col);
}

static void codacy_one(const struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d,
		       struct ds_buf *out)
{
	struct pos p;
	pos_of(src, d, &p);
	ds_buf_adds(out, "{\"filename\": ");
	jstr(out, shown(e, src));
	ds_buf_adds(out, ", \"patternId\": ");
	jstr(out, d->code ? d->code : "distill");
	ds_buf_adds(out, ", \"message\": ");
	jstr(out, d->msg);
	ds_buf_addf(out, ", \"line\": %u}\n", d->has_pos ? p.line : 1);
}

/* "YYYYmmdd_HHMMSS" (id) or "YYYY-mm-dd HH:MM:SS" of e->when in UTC. */
static void junit_time(const struct ds_emitter *e, bool id, struct ds_buf *out)
{
	time_t t = (time_t)e->when;
	struct tm tm;
	gmtime_r(&t, &tm);
	char b[32];
	strftime(b, sizeof b, id ? "%Y%m%d_%H%M%S" : "%Y-%m-%d %H:%M:%S", &tm);
	ds_buf_adds(out, b);
}

static void junit_file(struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *v, size_t n,
		       struct ds_buf *out)
{
	size_t nerr = 0;
	for (size_t i = 0; i < n; i++)
		nerr += is_parse_error(&v[i]);
	ds_buf_adds(out, "<testsuite id=\"distill\" name=\"distill ");
	xstr(out, e->version);
	ds_buf_addf(out, "\" time=\"0.001\" failures=\"%zu\" errors=\"%zu\">\n", n, nerr);
	const char *file = shown(e, src);
	for (size_t i = 0; i < n; i++) {
		const struct ds_diag *d = &v[i];
		struct pos p;
		pos_of(src, d, &p);
		uint32_t line = d->has_pos ? p.line : 1, col = d->has_pos ? p.col : 1;
		if (is_parse_error(d)) {
			ds_buf_addf(out, "<testcase id=\"distill.error\" name=\"DL1000\" time=\"0.001\">"
					 "<failure type=\"error\" message=\"parse error at line %u, column %u\">", line, col);
			ds_buf_adds(out, "Parse Error in ");
			xstr(out, file);
			ds_buf_addf(out, "&#10;Line: %u&#10;Column: %u&#10;Parse Error: ", line, col);
			xstr(out, d->msg);
			ds_buf_adds(out, "&#10;</failure></testcase>\n");
			continue;
		}
		const char *code = d->code ? d->code : "distill";
		const char *level = ds_severity_name(d->sev);
		ds_buf_adds(out, "<testcase id=\"distill.rule.");
		xstr(out, code);
		ds_buf_adds(out, "\" name=\"");
		xstr(out, code);
		ds_buf_addf(out, "\" time=\"0.001\"><failure type=\"%s\" message=\"", level);
		xstr(out, d->msg);
		ds_buf_adds(out, "\" id=\"");
		xstr(out, code);
		ds_buf_adds(out, "\">File: ");
		xstr(out, file);
		ds_buf_addf(out, "&#10;Line: %u&#10;Category: distill - Dockerfile Static Analysis&#10;%s: ", line, level);
		xstr(out, d->msg);
		ds_buf_adds(out, "&#10;</failure></testcase>\n");
	}
	ds_buf_adds(out, "</testsuite>\n");
}

/* ---- the emitter ---- */

void ds_emit_begin(struct ds_emitter *e, struct ds_buf *out)
{
	switch (e->fmt) {
	case DS_FMT_JSON:
		ds_buf_addc(out, '[');
		break;
	case DS_FMT_SARIF:
		sarif_begin(e, out);
		break;
	case DS_FMT_CHECKSTYLE:
		ds_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
		break;
	case DS_FMT_GITLAB_CODECLIMATE:
		ds_buf_addc(out, '[');
		break;
	case DS_FMT_SONARQUBE:
		ds_buf_adds(out, "{\"issues\": [");
		break;
	case DS_FMT_JUNIT:
		ds_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites id=\"");
		junit_time(e, true, out);
		ds_buf_adds(out, "\" name=\"distill run at ");
		junit_time(e, false, out);
		ds_buf_adds(out, "\" time=\"0.001\">\n");
		break;
	default:
		break;
	}
}

void ds_emit_file(struct ds_emitter *e, const struct ds_source *src, const struct ds_diag *d, size_t n,
		  struct ds_buf *out)
{
	e->nfiles++;
	if (e->fmt == DS_FMT_CHECKSTYLE || e->fmt == DS_FMT_JUNIT) {
		if (e->fmt == DS_FMT_CHECKSTYLE)
			checkstyle_file(e, src, d, n, out);
		else
			junit_file(e, src, d, n, out);
		e->nresults += n;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		switch (e->fmt) {
		case DS_FMT_JSON: json_one(e, src, &d[i], out); break;
		case DS_FMT_SARIF: sarif_one(e, src, &d[i], out); break;
		case DS_FMT_TTY: tty_one(e, src, &d[i], out); break;
		case DS_FMT_CODECLIMATE:
			climate_issue(e, src, &d[i], out);
			ds_buf_addc(out, '\0');
			break;
		case DS_FMT_GITLAB_CODECLIMATE: gitlab_one(e, src, &d[i], out); break;
		case DS_FMT_SONARQUBE: sonar_one(e, src, &d[i], out); break;
		case DS_FMT_CODACY: codacy_one(e, src, &d[i], out); break;
		default: text_one(e, src, &d[i], out); break;
		}
		e->nresults++;
	}
}

void ds_emit_end(struct ds_emitter *e, struct ds_buf *out)
{
	switch (e->fmt) {
	case DS_FMT_JSON:
		ds_buf_adds(out, e->nresults ? "\n]\n" : "]\n");
		break;
	case DS_FMT_SARIF:
		ds_buf_adds(out, e->nresults ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n");
		break;
	case DS_FMT_CHECKSTYLE:
		ds_buf_adds(out, "</checkstyle>\n");
		break;
	case DS_FMT_GITLAB_CODECLIMATE:
		ds_buf_adds(out, e->nresults ? "\n]\n" : "]\n");
		break;
	case DS_FMT_SONARQUBE:
		ds_buf_adds(out, e->nresults ? "\n  ]}\n" : "]}\n");
		break;
	case DS_FMT_JUNIT:
		ds_buf_adds(out, "</testsuites>\n");
		break;
	default:
		break;
	}
}
