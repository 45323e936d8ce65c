/* test_format.c - text, gnu, json, sarif and checkstyle output of a small case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/source.h"
#include "common/sha1.h"
#include "emit/format.h"
#include "rules/rules.h"

/* ---- a JSON checker (RFC 8259 syntax) ---- */

struct jc {
	const char *p, *e;
	int depth;
};

static void jws(struct jc *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool jvalue(struct jc *j);

static bool jstring(struct jc *j)
{
	if (j->p >= j->e || *j->p != '"')
		return false;
	for (j->p++; j->p < j->e; j->p++) {
		unsigned char ch = (unsigned char)*j->p;
		if (ch == '"') {
			j->p++;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			j->p++;
			if (j->p >= j->e || !strchr("\"\\/bfnrtu", *j->p))
				return false;
			if (*j->p == 'u') {
				for (int i = 0; i < 4; i++) {
					j->p++;
					if (j->p >= j->e || !strchr("0123456789abcdefABCDEF", *j->p))
						return false;
				}
			}
		}
	}
	return false;
}

static bool jnumber(struct jc *j)
{
	const char *b = j->p;
	if (j->p < j->e && *j->p == '-')
		j->p++;
	if (j->p >= j->e || *j->p < '0' || *j->p > '9')
		return false;
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	if (j->p < j->e && *j->p == '.') {
		j->p++;
		if (j->p >= j->e || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > b;
}

static bool jcontainer(struct jc *j, char close)
{
	if (++j->depth > 100)
		return false;
	j->p++;
	jws(j);
	if (j->p < j->e && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		jws(j);
		if (close == '}') {
			if (!jstring(j))
				return false;
			jws(j);
			if (j->p >= j->e || *j->p++ != ':')
				return false;
		}
		if (!jvalue(j))
			return false;
		jws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->e && *j->p == close) {
			j->p++;
			j->depth--;
			return true;
		}
		return false;
	}
}

static bool jvalue(struct jc *j)
{
	jws(j);
	if (j->p >= j->e)
		return false;
	switch (*j->p) {
	case '{': return jcontainer(j, '}');
	case '[': return jcontainer(j, ']');
	case '"': return jstring(j);
	case 't': if (j->e - j->p >= 4 && !strncmp(j->p, "true", 4)) { j->p += 4; return true; } return false;
	case 'f': if (j->e - j->p >= 5 && !strncmp(j->p, "false", 5)) { j->p += 5; return true; } return false;
	case 'n': if (j->e - j->p >= 4 && !strncmp(j->p, "null", 4)) { j->p += 4; return true; } return false;
	default: return jnumber(j);
	}
}

static bool json_valid(const char *s)
{
	struct jc j = { s, s + strlen(s), 0 };
	if (!jvalue(&j))
		return false;
	jws(&j);
	return j.p == j.e;
}

/* ---- an XML well-formedness checker (elements, attributes, entities) ---- */

static bool xml_valid(const char *s)
{
	const char *stack[64];
	size_t lens[64];
	int depth = 0, roots = 0;
	const char *p = s;
	if (!strncmp(p, "<?xml", 5)) {
		p = strstr(p, "?>");
		if (!p)
			return false;
		p += 2;
	}
	while (*p) {
		if (*p == '&') {
			if (strncmp(p, "&lt;", 4) && strncmp(p, "&gt;", 4) && strncmp(p, "&amp;", 5) &&
			    strncmp(p, "&quot;", 6) && strncmp(p, "&apos;", 6) && strncmp(p, "&#", 2))
				return false;
			p = strchr(p, ';') + 1;
			continue;
		}
		if (*p != '<') {
			if (!depth && *p != '\n' && *p != ' ')
				return false;
			p++;
			continue;
		}
		p++;
		bool closing = *p == '/';
		if (closing)
			p++;
		const char *name = p;
		while (*p && *p != ' ' && *p != '>' && *p != '/')
			p++;
		size_t nl = (size_t)(p - name);
		if (!nl)
			return false;
		if (closing) {
			if (!depth || lens[depth - 1] != nl || strncmp(stack[depth - 1], name, nl) || *p != '>')
				return false;
			depth--;
			p++;
			continue;
		}
		/* attributes: name="value" with no '<' or bare '&' inside */
		for (;;) {
			while (*p == ' ')
				p++;
			if (*p == '>' || (*p == '/' && p[1] == '>'))
				break;
			while (*p && *p != '=' && *p != ' ' && *p != '>')
				p++;
			if (*p != '=' || p[1] != '"')
				return false;
			p += 2;
			while (*p && *p != '"') {
				if (*p == '<')
					return false;
				if (*p == '&' && strncmp(p, "&lt;", 4) && strncmp(p, "&gt;", 4) && strncmp(p, "&amp;", 5) &&
				    strncmp(p, "&quot;", 6) && strncmp(p, "&apos;", 6) && strncmp(p, "&#", 2))
					return false;
				p++;
			}
			if (*p != '"')
				return false;
			p++;
		}
		if (!depth)
			roots++;
		if (*p == '/') {
			p += 2;
			continue;
		}
		if (depth == 64)
			return false;
		stack[depth] = name;
		lens[depth++] = nl;
		p++;
	}
	return depth == 0 && roots == 1;
}

/* ---- the case ---- */

static struct ds_arena arena;
static struct ds_source src;
static struct ds_diag diags[3];

static void make_case(void)
{
	ds_arena_init(&arena);
	const char *text = "FROM alpine\nRUN  echo $x\n";
	ds_source_from_mem(&src, &arena, "dir/my file", text, strlen(text));
	ds_source_lines(&src, &arena);
	struct ds_diags d = { 0 };
	ds_diags_add(&d, &arena, DS_SEV_ERROR, ds_rules[DS_R_DST101].code, 12, 15,
		     "RUN needs a \"shell\" & <sh>, which 'x' lacks");
	ds_diags_add(&d, &arena, DS_SEV_STYLE, "SC2086", 22, 24, "double quote to prevent globbing");
	ds_diags_add(&d, &arena, DS_SEV_INFO, ds_rules[DS_R_DST206].code, 5, 11, "not pinned\x01 \xff");
	memcpy(diags, d.v, sizeof diags);
}

static char *emit(enum ds_format f, bool twice)
{
	struct ds_emitter e;
	ds_emitter_init(&e, f);
	e.version = "1.2.3";
	struct ds_buf b = DS_BUF_INIT;
	ds_emit_begin(&e, &b);
	ds_emit_file(&e, &src, diags, 3, &b);
	if (twice)
		ds_emit_file(&e, &src, diags, 1, &b);
	ds_emit_end(&e, &b);
	return ds_buf_detach(&b, NULL);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(ds_format_parse("sarif"), DS_FMT_SARIF);
	assert_int_equal(ds_format_parse("tty"), DS_FMT_TTY);
	assert_int_equal(ds_format_parse("gitlab_codeclimate"), DS_FMT_GITLAB_CODECLIMATE);
	assert_int_equal(ds_format_parse("yaml"), -1);
	assert_string_equal(ds_format_name(DS_FMT_CHECKSTYLE), "checkstyle");
	assert_string_equal(ds_format_list(),
			    "text|tty|gnu|json|sarif|checkstyle|codeclimate|gitlab_codeclimate|sonarqube|junit|codacy");
	assert_true(ds_format_never_fails(DS_FMT_CODACY));
	assert_false(ds_format_never_fails(DS_FMT_JSON));
}

static void test_gnu(void **state)
{
	(void)state;
	char *s = emit(DS_FMT_GNU, false);
	assert_string_equal(s,
			    "dir/my file:2:1: error: RUN needs a \"shell\" & <sh>, which 'x' lacks [DST101]\n"
			    "dir/my file:2:11: style: double quote to prevent globbing [SC2086]\n"
			    "dir/my file:1:6: info: not pinned\\001 \\377 [DST206]\n");
	free(s);
}

static void test_text(void **state)
{
	(void)state;
	char *s = emit(DS_FMT_TEXT, false);
	assert_string_equal(s,
			    "dir/my file:2:1: error: RUN needs a \"shell\" & <sh>, which 'x' lacks [DST101]\n"
			    "  RUN  echo $x\n"
			    "  ^~~\n"
			    "dir/my file:2:11: style: double quote to prevent globbing [SC2086]\n"
			    "  RUN  echo $x\n"
			    "            ^~\n"
			    "dir/my file:1:6: info: not pinned\\001 \\377 [DST206]\n"
			    "  FROM alpine\n"
			    "       ^~~~~~\n");
	free(s);
	struct ds_emitter e;
	ds_emitter_init(&e, DS_FMT_TEXT);
	e.color = true;
	struct ds_buf b = DS_BUF_INIT;
	ds_emit_file(&e, &src, diags, 1, &b);
	assert_non_null(strstr(b.buf, "\033[1;31merror\033[0m"));
	ds_buf_release(&b);
}

static void test_json(void **state)
{
	(void)state;
	char *s = emit(DS_FMT_JSON, true);
	assert_true(json_valid(s));
	/* hadolint's keys first, then distill's */
	assert_non_null(strstr(s, "{\"file\": \"dir/my file\", \"line\": 2, \"column\": 1, \"level\": \"error\", "
				  "\"code\": \"DST101\", \"message\": \"RUN needs a \\\"shell\\\" & <sh>, which 'x' lacks\", "
				  "\"end_line\": 2, \"end_column\": 4, \"slug\": \"run-in-shell-free-stage\", \"severity\": \"error\"}"));
	assert_non_null(strstr(s, "\"slug\": \"shellcheck\""));
	assert_non_null(strstr(s, "not pinned\\u0001 \xef\xbf\xbd"));
	free(s);
	/* no findings: an empty array */
	struct ds_emitter e;
	ds_emitter_init(&e, DS_FMT_JSON);
	struct ds_buf b = DS_BUF_INIT;
	ds_emit_begin(&e, &b);
	ds_emit_file(&e, &src, diags, 0, &b);
	ds_emit_end(&e, &b);
	assert_string_equal(b.buf, "[]\n");
	ds_buf_release(&b);
}

static void test_sarif(void **state)
{
	(void)state;
	char *s = emit(DS_FMT_SARIF, true);
	assert_true(json_valid(s));
	static const char *const required[] = {
		"\"version\": \"2.1.0\"", "\"$schema\"", "\"name\": \"distill\"", "\"version\": \"1.2.3\"",
		"\"informationUri\": \"https://",
		("{\"id\": \"DST101\", \"name\": \"run-in-shell-free-stage\", \"shortDescription\": {\"text\": "),
		"\"fullDescription\": {\"text\": ",
		"\"defaultConfiguration\": {\"level\": \"error\"}", "\"ruleId\": \"DST101\", \"ruleIndex\": 0",
		"\"level\": \"error\"", "\"message\": {\"text\": \"RUN needs", "\"artifactLocation\": {\"uri\": \"dir/my%20file\"}",
		"\"region\": {\"startLine\": 2, \"startColumn\": 1, \"endLine\": 2, \"endColumn\": 4}",
		"\"ruleId\": \"SC2086\", \"level\": \"note\"",
	};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		if (!strstr(s, required[i]))
			fail_msg("missing %s in\n%s", required[i], s);
	/* one rule entry per table row */
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, "\"defaultConfiguration\"")); p++)
		n++;
	assert_int_equal(n, DS_R__COUNT);
	free(s);

	struct ds_emitter e;
	ds_emitter_init(&e, DS_FMT_SARIF);
	struct ds_buf b = DS_BUF_INIT;
	ds_emit_begin(&e, &b);
	ds_emit_end(&e, &b);
	assert_true(json_valid(b.buf));
	assert_non_null(strstr(b.buf, "\"results\": []"));
	ds_buf_release(&b);
}

static void test_checkstyle(void **state)
{
	(void)state;
	char *s = emit(DS_FMT_CHECKSTYLE, true);
	if (!xml_valid(s))
		fail_msg("not well-formed:\n%s", s);
	assert_non_null(strstr(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
				  "<file name=\"dir/my file\">\n"
				  "<error line=\"2\" column=\"1\" severity=\"error\" message=\"RUN needs a &quot;shell&quot; "
				  "&amp; &lt;sh&gt;, which &apos;x&apos; lacks\" source=\"DST101\"/>\n"));
	assert_non_null(strstr(s, "severity=\"info\" message=\"double quote"));
	/* a control character and a stray byte cannot appear in XML */
	assert_non_null(strstr(s, "not pinned\xef\xbf\xbd \xef\xbf\xbd"));
	assert_true(strstr(s, "</checkstyle>\n") != NULL);
	/* the checker itself refuses broken XML */
	assert_false(xml_valid("<a><b></a></b>"));
	assert_false(xml_valid("<a x=\"<\"/>"));
	assert_false(xml_valid("<a>&bogus;</a>"));
	free(s);
}

static void test_checkers(void **state)
{
	(void)state;
	assert_true(json_valid("[1, -2.5, \"a\\u00e9\", {\"k\": [true, false, null]}]"));
	assert_false(json_valid("[1,]"));
	assert_false(json_valid("{\"a\" 1}"));
	assert_false(json_valid("\"tab\there\""));
	assert_false(json_valid("[] []"));
}

static int setup(void **state)
{
	(void)state;
	make_case();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_arena_release(&arena);
	return 0;
}

/* GitLab's fingerprints are SHA-1 (FIPS 180-4 test vectors: one block, empty, two blocks). */
static void test_sha1(void **state)
{
	(void)state;
	char hex[41];
	ds_sha1_hex("abc", 3, hex);
	assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	ds_sha1_hex("", 0, hex);
	assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	ds_sha1_hex(m, strlen(m), hex);
	assert_string_equal(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sha1),
		cmocka_unit_test(test_gnu),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_checkstyle),
		cmocka_unit_test(test_checkers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
