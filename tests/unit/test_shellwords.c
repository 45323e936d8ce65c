/* test_shellwords.c - unit tests for parser/shellwords beyond BuildKit's data files. */
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
#include "parser/shellwords.h"

/*
 * Expected values come from BuildKit's lex_test.go (TestProcessWithMatches,
 * TestShellParserMandatoryEnvVars), parser_heredoc_test.go, and from reading
 * lex.go and Go's regexp/strconv where no upstream test pins the behaviour.
 */

/* ---- a small environment: "NAME=VALUE" strings, NULL-terminated ---- */

struct env {
	const char *const *vars;
	char log[512]; /* on_var calls: "NAME+" when set, "NAME-" when unset, space separated */
};

static const char *env_lookup(void *ctx, const char *name, size_t len, size_t *vlen)
{
	struct env *e = ctx;
	for (const char *const *v = e->vars; v && *v; v++) {
		const char *eq = strchr(*v, '=');
		if ((size_t)(eq - *v) == len && memcmp(*v, name, len) == 0) {
			*vlen = strlen(eq + 1);
			return eq + 1;
		}
	}
	return NULL;
}

static void env_on_var(void *ctx, const char *name, size_t len, bool set)
{
	struct env *e = ctx;
	size_t n = strlen(e->log);
	snprintf(e->log + n, sizeof e->log - n, "%s%.*s%c", n ? " " : "", (int)len, name, set ? '+' : '-');
}

static struct ds_shlex lexer(struct env *e)
{
	struct ds_shlex lx;
	ds_shlex_init(&lx, '\\');
	if (e) {
		lx.lookup = env_lookup;
		lx.ctx = e;
	}
	return lx;
}

/* ProcessWord with lx; returns the result (or "ERR:" + message) as a heap string */
static char *word(const struct ds_shlex *lx, const char *in, size_t len)
{
	struct ds_arena a = DS_ARENA_INIT;
	const char *out = NULL, *err = NULL;
	size_t n = 0;
	char *r;
	if (ds_shlex_word(lx, &a, in, len, &out, &n, &err) == 0) {
		assert_null(err);
		r = malloc(n + 1);
		memcpy(r, out, n + 1);
	} else {
		assert_null(out);
		assert_non_null(err);
		size_t k = strlen(err);
		r = malloc(k + 5);
		memcpy(r, "ERR:", 4);
		memcpy(r + 4, err, k + 1);
	}
	ds_arena_release(&a);
	return r;
}

/* ProcessWords with lx; the words joined by "|" (or "ERR:" + message) */
static char *words(const struct ds_shlex *lx, const char *in)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct ds_shword *w = NULL;
	size_t n = 99;
	const char *err = NULL;
	struct ds_buf b = DS_BUF_INIT;
	if (ds_shlex_words(lx, &a, in, strlen(in), &w, &n, &err) == 0) {
		assert_non_null(w);
		for (size_t i = 0; i < n; i++) {
			if (i)
				ds_buf_addc(&b, '|');
			assert_int_equal(strlen(w[i].text), w[i].len);
			ds_buf_add(&b, w[i].text, w[i].len);
		}
	} else {
		assert_null(w);
		assert_int_equal(n, 0);
		ds_buf_adds(&b, "ERR:");
		ds_buf_adds(&b, err);
	}
	ds_arena_release(&a);
	return ds_buf_detach(&b, NULL);
}

#define CHECK_WORD(lx, in, want)                                                                    \
	do {                                                                                        \
		char *got_ = word((lx), (in), strlen(in));                                          \
		assert_string_equal(got_, (want));                                                  \
		free(got_);                                                                         \
	} while (0)

#define CHECK_WORDS(lx, in, want)                                                                   \
	do {                                                                                        \
		char *got_ = words((lx), (in));                                                     \
		assert_string_equal(got_, (want));                                                  \
		free(got_);                                                                         \
	} while (0)

/* ---- modifiers and patterns (lex_test.go TestProcessWithMatches) ---- */

static void test_modifiers(void **state)
{
	(void)state;
	static const char *const vars[] = { "FOO=xxx", "BAR=", NULL };
	struct env e = { vars, "" };
	struct ds_shlex lx = lexer(&e);
	CHECK_WORD(&lx, "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", "xxx  ccc");
	CHECK_WORD(&lx, "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", "xxx bbb ccc");
	CHECK_WORD(&lx, "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", "aaa bbb ");
	CHECK_WORD(&lx, "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", "aaa  ");
	CHECK_WORD(&lx, "${FOO?aaa}", "xxx");
	CHECK_WORD(&lx, "${BAR?bbb}", "");
	CHECK_WORD(&lx, "${FOO:?aaa}", "xxx");
	CHECK_WORD(&lx, "${FOO:-}", "xxx");
	CHECK_WORD(&lx, "${BAZ:-}", "");
	CHECK_WORD(&lx, "${BAZ:-'}'}", "}");
	CHECK_WORD(&lx, "${BAZ:-\"a b\"}", "a b");
}

static void test_mandatory(void **state)
{
	(void)state;
	static const char *const set[] = { "VAR=plain", "ARG=x", NULL };
	static const char *const empty[] = { "VAR=", "ARG=x", NULL };
	static const char *const unset[] = { "ARG=x", NULL };
	struct env es = { set, "" }, ee = { empty, "" }, eu = { unset, "" };
	struct ds_shlex ls = lexer(&es), le = lexer(&ee), lu = lexer(&eu);
	CHECK_WORD(&ls, "${VAR:?message here$ARG}", "plain");
	CHECK_WORD(&le, "${VAR:?message here$ARG}",
		   "ERR:failed to process \"${VAR:?message here$ARG}\": VAR: message herex");
	CHECK_WORD(&lu, "${VAR:?message here$ARG}",
		   "ERR:failed to process \"${VAR:?message here$ARG}\": VAR: message herex");
	CHECK_WORD(&ls, "${VAR?message here$ARG}", "plain");
	CHECK_WORD(&le, "${VAR?message here$ARG}", "");
	CHECK_WORD(&lu, "${VAR?message here$ARG}",
		   "ERR:failed to process \"${VAR?message here$ARG}\": VAR: message herex");
	CHECK_WORD(&lu, "${VAR?}", "ERR:failed to process \"${VAR?}\": VAR: is not allowed to be unset");
	CHECK_WORD(&le, "${VAR:?}", "ERR:failed to process \"${VAR:?}\": VAR: is not allowed to be empty");
	CHECK_WORD(&lu, "${VAR:?}", "ERR:failed to process \"${VAR:?}\": VAR: is not allowed to be unset");
}

static void test_trim(void **state)
{
	(void)state;
	static const char *const v1[] = { "FOO=xxyy", "BAR=x", "EMPTY=", NULL };
	static const char *const v2[] = { "FOO=()[]{}^$.*?|\\x", NULL };
	static const char *const v3[] = { "FOO=xx**", "BAR=a***yy*", "Q=???y", NULL };
	struct env e1 = { v1, "" }, e2 = { v2, "" }, e3 = { v3, "" };
	struct ds_shlex l1 = lexer(&e1), l2 = lexer(&e2), l3 = lexer(&e3);
	CHECK_WORD(&l2, "${FOO#()[]{\\}^$.\\*\\?|\\\\}", "x");
	CHECK_WORD(&l3, "${FOO%%\\**}", "xx");
	CHECK_WORD(&l3, "${BAR%%\\**\\*}", "a");
	CHECK_WORD(&l3, "${Q#?\\?}", "?y");
	CHECK_WORD(&l1, "${FOO#*x*y}", "y");
	CHECK_WORD(&l1, "${FOO#*}", "xxyy");
	CHECK_WORD(&l1, "${FOO#$BAR}", "xyy");
	CHECK_WORD(&l1, "${FOO#$EMPTY}", "xxyy");
	CHECK_WORD(&l1, "${FOO#}", "xxyy");
	CHECK_WORD(&l1, "${FOO##*x}", "yy");
	CHECK_WORD(&l1, "${FOO##}", "xxyy");
	CHECK_WORD(&l1, "${ABC:-.}${FOO%x}${ABC:-.}", ".xxyy.");
	CHECK_WORD(&l1, "${FOO%y}", "xxy");
	CHECK_WORD(&l1, "${FOO%y*}", "xxy");
	CHECK_WORD(&l1, "${FOO%%y*}", "xx");
	CHECK_WORD(&l1, "${FOO%}", "xxyy");
	CHECK_WORD(&l1, "${FOO%%$EMPTY}", "xxyy");
	CHECK_WORD(&l1, "${FOO#[x]}", "xxyy"); /* no bracket expressions in BuildKit */
	CHECK_WORD(&l1, "${NOPE#x}", "");
}

static void test_replace(void **state)
{
	(void)state;
	static const char *const v1[] = { "FOO=/foo*/*/*.txt", "NEEDLE=\\*/", NULL };
	static const char *const v2[] = { "FOO=/tmp/tmp/bar.txt", "NEEDLE=/tmp", NULL };
	static const char *const v3[] = { "FOO=/a/foo/b/c.txt", "NEEDLE=/?/", "REPLACEMENT=/", NULL };
	static const char *const v4[] = { "FOO=http://google.de", "NEEDLE=http://",
					  "REPLACEMENT=https://", NULL };
	static const char *const v5[] = { "FOO=/tmp/foo.txt", "XY=xxyy", "BAR=", NULL };
	static const char *const v6[] = { "V=foo", "R=[$0]", "S=<$1|${0}|$$|$x|${0|$00>", "E=",
					  "AB=ab", NULL };
	struct env e1 = { v1, "" }, e2 = { v2, "" }, e3 = { v3, "" }, e4 = { v4, "" };
	struct env e5 = { v5, "" }, e6 = { v6, "" };
	struct ds_shlex l1 = lexer(&e1), l2 = lexer(&e2), l3 = lexer(&e3), l4 = lexer(&e4);
	struct ds_shlex l5 = lexer(&e5), l6 = lexer(&e6);
	CHECK_WORD(&l1, "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", "/foo.*/*.txt - /foo..*.txt");
	CHECK_WORD(&l2, "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", "/tmp/bar.txt - /bar.txt");
	CHECK_WORD(&l3, "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
		   "/foo/b/c.txt - /foo/c.txt");
	CHECK_WORD(&l4, "${FOO/$NEEDLE/$REPLACEMENT}", "https://google.de");
	CHECK_WORD(&l5, "${FOO//\\//\\/}", "\\/tmp\\/foo.txt");
	CHECK_WORD(&l5, "${XY/$BAR/ww}", "wwxxyy");
	CHECK_WORD(&l5, "${XY///}", "xxyy");
	CHECK_WORD(&l5, "${NOPE///}", "");
	CHECK_WORD(&l5, "${XY//ww}", "ERR:failed to process \"${XY//ww}\": syntax error: missing '/' in ${}");
	CHECK_WORD(&l5, "${XY//}", "ERR:failed to process \"${XY//}\": syntax error: missing '/' in ${}");
	CHECK_WORD(&l5, "${XY/a/b", "ERR:failed to process \"${XY/a/b\": syntax error: missing '}'");
	/* ReplaceAllString reads the replacement as a template; one replacement does not */
	CHECK_WORD(&l6, "${V//o/$R}", "f[o][o]");
	CHECK_WORD(&l6, "${V/o/$R}", "f[$0]o");
	CHECK_WORD(&l6, "${V//f/$S}", "<|f|$||${0|>oo");
	CHECK_WORD(&l6, "${V//o/\\$0}", "f\\o\\o");
	CHECK_WORD(&l6, "${AB//$E/-}", "-a-b-");
	CHECK_WORD(&l6, "${AB//*/-}", "-");
	CHECK_WORD(&l6, "${AB//?/-}", "--");
	CHECK_WORD(&l6, "${V//o*/0}", "f0");
}

/* `*` and `?` are Go's `.`: they never match a newline */
static void test_patterns_and_newlines(void **state)
{
	(void)state;
	static const char *const v[] = { "V=a\nb\nc", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	CHECK_WORD(&lx, "${V#*}", "a\nb\nc");
	CHECK_WORD(&lx, "${V##*}", "\nb\nc");
	CHECK_WORD(&lx, "${V%%*}", "a\nb\n");
	CHECK_WORD(&lx, "${V//?/x}", "x\nx\nx");
	CHECK_WORD(&lx, "${V//*/x}", "x\nx\nx");
	CHECK_WORD(&lx, "${V#a?b}", "a\nb\nc");
	CHECK_WORD(&lx, "${V#a$V}", "a\nb\nc");
}

static void test_invalid_patterns(void **state)
{
	(void)state;
	static const char *const v[] = { "V=abc", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	CHECK_WORD(&lx, "${V#\\x}",
		   "ERR:failed to process \"${V#\\\\x}\": invalid pattern (\\x) in substitution: "
		   "invalid escape '\\x'");
	/* % reports the reversed pattern, as BuildKit compiles that */
	CHECK_WORD(&lx, "${V%ab\\x}",
		   "ERR:failed to process \"${V%ab\\\\x}\": invalid pattern (\\xba) in substitution: "
		   "invalid escape '\\x'");
	CHECK_WORD(&lx, "${V/\\a/b}",
		   "ERR:failed to process \"${V/\\\\a/b}\": invalid pattern (\\a) in substitution: "
		   "invalid escape '\\a'");
	/* a lone backslash at the end of a pattern escapes end of input (Go prints U+FFFD) */
	static const char *const w[] = { "V=abc", "P=a\\", NULL };
	struct env ew = { w, "" };
	struct ds_shlex lw = lexer(&ew);
	CHECK_WORD(&lw, "${V#$P}",
		   "ERR:failed to process \"${V#$P}\": invalid pattern (a\\) in substitution: "
		   "invalid escape '\\\xef\xbf\xbd'");
}

/* ---- error messages ---- */

static void test_errors(void **state)
{
	(void)state;
	static const char *const v[] = { "A=1", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	CHECK_WORD(&lx, "'abc", "ERR:failed to process \"'abc\": "
				"unexpected end of statement while looking for matching single-quote");
	CHECK_WORD(&lx, "\"abc", "ERR:failed to process \"\\\"abc\": "
				 "unexpected end of statement while looking for matching double-quote");
	CHECK_WORD(&lx, "\"abc\\", "ERR:failed to process \"\\\"abc\\\\\": "
				   "unexpected end of statement while looking for matching double-quote");
	CHECK_WORD(&lx, "${", "ERR:failed to process \"${\": syntax error: missing '}'");
	CHECK_WORD(&lx, "${}", "ERR:failed to process \"${}\": syntax error: bad substitution");
	CHECK_WORD(&lx, "${:-x}", "ERR:failed to process \"${:-x}\": syntax error: bad substitution");
	CHECK_WORD(&lx, "${{A}", "ERR:failed to process \"${{A}\": syntax error: bad substitution");
	CHECK_WORD(&lx, "${A:-x", "ERR:failed to process \"${A:-x\": syntax error: missing '}'");
	CHECK_WORD(&lx, "${A:-'x}", "ERR:failed to process \"${A:-'x}\": syntax error: missing '}'");
	/* an error not at the end of the input is kept as is */
	CHECK_WORD(&lx, "${B:-${}}x", "ERR:failed to process \"${B:-${}}x\": syntax error: bad substitution");
	/* end of input right after the name is an unsupported modifier U+FFFD */
	CHECK_WORD(&lx, "he${A", "ERR:failed to process \"he${A\": unsupported modifier (\xef\xbf\xbd) in substitution");
	CHECK_WORD(&lx, "${A:", "ERR:failed to process \"${A:\": syntax error: missing '}'");
	CHECK_WORD(&lx, "${A=x}", "ERR:failed to process \"${A=x}\": unsupported modifier (=) in substitution");
	CHECK_WORD(&lx, "${A:=x}", "ERR:failed to process \"${A:=x}\": unsupported modifier (:=) in substitution");
	CHECK_WORD(&lx, "${A:#x}", "ERR:failed to process \"${A:#x}\": unsupported modifier (:#) in substitution");
	CHECK_WORD(&lx, "${A:%x}", "ERR:failed to process \"${A:%x}\": unsupported modifier (:%) in substitution");
	CHECK_WORD(&lx, "${.}", "ERR:failed to process \"${.}\": unsupported modifier (.) in substitution");
	CHECK_WORD(&lx, "${A }", "ERR:failed to process \"${A }\": unsupported modifier ( ) in substitution");
	CHECK_WORD(&lx, "${#A}", "ERR:failed to process \"${#A}\": unsupported modifier (A) in substitution");
	/* the source is quoted as Go's %q does */
	CHECK_WORD(&lx, "\t\x01\xff\xc2\xa0\xe2\x80\xa8\xf0\x9f\x98\x80\xed\x95\x9c'",
		   "ERR:failed to process \"\\t\\x01\\xff\\u00a0\\u2028\xf0\x9f\x98\x80\xed\x95\x9c'\": "
		   "unexpected end of statement while looking for matching single-quote");
}

/* ---- modes ---- */

static void test_raw_quotes_and_escapes(void **state)
{
	(void)state;
	static const char *const v[] = { "A=x y", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	lx.raw_quotes = true;
	CHECK_WORD(&lx, "a'b'\"c$A\"\\ d", "a'b'\"cx y\" d");
	CHECK_WORDS(&lx, "a 'b c' \"d e\"f", "a|'b c'|\"d e\"f");
	lx.raw_quotes = false;
	lx.raw_escapes = true;
	/* inside double quotes a raw escape before an ordinary character is written twice */
	CHECK_WORD(&lx, "a\\ b\\\\c\"\\\"d\\x\"", "a\\ b\\\\c\\\"d\\\\x");
	CHECK_WORDS(&lx, "a\\ b c", "a\\ b|c");
	CHECK_WORD(&lx, "abc\\", "abc\\");
	/* # and % read their pattern with raw escapes, whatever the mode */
	lx.raw_escapes = false;
	static const char *const w[] = { "V=a*b", NULL };
	struct env ew = { w, "" };
	struct ds_shlex lw = lexer(&ew);
	CHECK_WORD(&lw, "${V#a\\*}", "b");
	CHECK_WORD(&lw, "${V:-a\\*}", "a*b");
	CHECK_WORD(&lw, "${NOPE:-a\\*}", "a*");
}

static void test_skip_unset_env(void **state)
{
	(void)state;
	static const char *const v[] = { "S=set", "E=", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	lx.skip_unset_env = true;
	CHECK_WORD(&lx, "$A ${B} ${C:-x} ${D-$S} ${F:+y} ${G?z} ${H#p} ${I%%q}",
		   "$A ${B} ${C:-x} ${D-set} ${F:+y} ${G?z} ${H#p} ${I%%q}");
	/* BuildKit writes // back as one slash */
	CHECK_WORD(&lx, "${J/a/b} ${K//a/b}", "${J/a/b} ${K/a/b}");
	/* no error for a modifier it would reject, when the variable is unset */
	CHECK_WORD(&lx, "${X:YYY} ${X:=1}", "${X:YYY} ${X:=1}");
	CHECK_WORD(&lx, "$S ${S} ${E:-d} ${S/e/E}", "set set d sEt");
	CHECK_WORD(&lx, "${S:=1}", "ERR:failed to process \"${S:=1}\": unsupported modifier (:=) in substitution");
	CHECK_WORD(&lx, "$1 $@ ${0}", "$1 $@ ${0}");
	CHECK_WORD(&lx, "${X:-'a b'}", "${X:-a b}");
}

static void test_skip_process_quotes(void **state)
{
	(void)state;
	static const char *const v[] = { "A=1", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	lx.skip_process_quotes = true;
	CHECK_WORD(&lx, "echo '$A' \"$A\" \\$A", "echo '1' \"1\" $A");
	CHECK_WORD(&lx, "it's", "it's");
}

static void test_on_var(void **state)
{
	(void)state;
	static const char *const v[] = { "A=1", "D=", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	lx.on_var = env_on_var;
	CHECK_WORD(&lx, "$A ${B} ${C:-$D} '$Q' $1 $", "1   $Q  $");
	/* a ${} word is read before its variable is looked up */
	assert_string_equal(e.log, "A+ B- D+ C- 1-");
	e.log[0] = '\0';
	CHECK_WORD(&lx, "${A/$B/$D}", "1");
	assert_string_equal(e.log, "B- D+ A+");
	/* without a lookup nothing is set */
	struct ds_shlex none;
	ds_shlex_init(&none, '\\');
	none.on_var = env_on_var;
	none.ctx = &e;
	e.log[0] = '\0';
	CHECK_WORD(&none, "$A${A:-z}", "z");
	assert_string_equal(e.log, "A- A-");
}

static void test_backtick_escape(void **state)
{
	(void)state;
	static const char *const v[] = { "V=a*b", "P=/home", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	lx.escape = '`';
	CHECK_WORD(&lx, "a`$P", "a$P");
	CHECK_WORD(&lx, "C:\\dir\\$P", "C:\\dir\\/home");
	CHECK_WORD(&lx, "\"a`\"b`$P`x\"", "a\"b$P`x");
	CHECK_WORD(&lx, "x``y`", "x`y");
	CHECK_WORDS(&lx, "a` b c", "a b|c");
	/* patterns keep their own \ escapes; ` is a plain character to them */
	CHECK_WORD(&lx, "${V#a\\*}", "b");
	CHECK_WORD(&lx, "${V#a`*}", "a*b");
	CHECK_WORD(&lx, "'`'", "`");
}

/* ---- word splitting ---- */

static void test_words(void **state)
{
	(void)state;
	static const char *const v[] = { "S=a  b", "T= x ", "N=\xc2\xa0", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	CHECK_WORDS(&lx, "", "");
	CHECK_WORDS(&lx, "  ", "");
	CHECK_WORDS(&lx, "''", ""); /* an empty quoted word is no word */
	CHECK_WORDS(&lx, "a''", "a");
	CHECK_WORDS(&lx, "$S$T", "a|b|x");
	CHECK_WORDS(&lx, "\"$S\"$T", "a  b|x");
	CHECK_WORDS(&lx, "a${N}b", "a|b"); /* Unicode spaces split too */
	CHECK_WORDS(&lx, "a\xc2\xa0" "b", "a|b");
	CHECK_WORDS(&lx, "a\\\xc2\xa0" "b", "a\xc2\xa0" "b");
	/*
	 * BuildKit's quirk, kept on purpose: a ${} with a modifier empties the
	 * word buffer it shares with the enclosing level.
	 */
	CHECK_WORDS(&lx, "ab${X:-c}d", "cd");
	CHECK_WORDS(&lx, "x ab${X:-c}d", "x|cd");
	CHECK_WORDS(&lx, "ab\"${X:-c}\"d", "cd");
	CHECK_WORDS(&lx, "ab${S}d", "aba|bd");
	CHECK_WORD(&lx, "ab${X:-c}d", "abcd");
}

/* heredoc detection as BuildKit's parser does it (heredocsFromLine, ParseHeredoc) */
static void test_heredoc_words(void **state)
{
	(void)state;
	struct ds_shlex lx;
	ds_shlex_init(&lx, '\\');
	lx.raw_quotes = true;
	lx.raw_escapes = true;
	lx.skip_unset_env = true;
	CHECK_WORDS(&lx, "cat <<EOF >out", "cat|<<EOF|>out");
	CHECK_WORDS(&lx, "cat << EOF", "cat|<< EOF");
	CHECK_WORDS(&lx, "cat <<\t \r'EOF' x", "cat|<<\t \r'EOF'|x");
	CHECK_WORDS(&lx, "cat <<\vEOF", "cat|<<|EOF");
	CHECK_WORDS(&lx, "cat <<-\"EOF\" 3<<$EOF", "cat|<<-\"EOF\"|3<<$EOF");
	CHECK_WORDS(&lx, "cat \"<<NOHEREDOC\" <<eo\\'f", "cat|\"<<NOHEREDOC\"|<<eo\\'f");
	CHECK_WORDS(&lx, "a<b <<", "a<b|<<");
	CHECK_WORDS(&lx, "<<'one two'", "<<'one two'");

	/* the heredoc word, with and without quotes: expansion iff the quote counts agree */
	struct ds_shlex hw;
	ds_shlex_init(&hw, '\\');
	hw.skip_unset_env = true;
	CHECK_WORDS(&hw, "eof", "eof");
	CHECK_WORDS(&hw, "eo\\'f", "eo'f");
	CHECK_WORDS(&hw, "eo'f'", "eof");
	CHECK_WORDS(&hw, "'e'o\\'f", "eo'f");
	CHECK_WORDS(&hw, "$EOF", "$EOF");
	hw.raw_quotes = true;
	CHECK_WORDS(&hw, "eo\\'f", "eo'f");
	CHECK_WORDS(&hw, "eo'f'", "eo'f'");
	CHECK_WORDS(&hw, "'e'o\\'f", "'e'o'f");
}

/* ---- parameters and input bytes ---- */

static void test_parameters(void **state)
{
	(void)state;
	static const char *const v[] = { "1=one", "@=at", "\xed\x95\x9c=kr", "_a1=u", "\xd9\xa3=three", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	CHECK_WORD(&lx, "$1x ${1} $@@ ${@:-z}", "onex one at@ at");
	CHECK_WORD(&lx, "$\xed\x95\x9c. $_a1. $_a1_", "kr. u. ");
	CHECK_WORD(&lx, "$\xd9\xa3\xd9\xa3", ""); /* Arabic-Indic digits read as digits */
	CHECK_WORD(&lx, "$\xd9\xa3", "three");
	CHECK_WORD(&lx, "$ $. $'x' $\"y\" a$", "$ $. $x $y a$");
	CHECK_WORD(&lx, "$$ $0 $# $? $- $! $*", "      ");
}

static void test_bytes(void **state)
{
	(void)state;
	static const char *const v[] = { "V=\xff" "ab", NULL };
	struct env e = { v, "" };
	struct ds_shlex lx = lexer(&e);
	char *got = word(&lx, "a\0b", 3);
	assert_memory_equal(got, "a\0b", 4);
	free(got);
	/* bytes that are not UTF-8 are U+FFFD in the input; a leading BOM is dropped */
	CHECK_WORD(&lx, "a\xff" "b\xe2\x82", "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_WORD(&lx, "\xef\xbb\xbf" "a\xef\xbb\xbf", "a\xef\xbb\xbf");
	/* values pass through, except where BuildKit reverses them as runes */
	CHECK_WORD(&lx, "$V ${V#?} ${V#x}", "\xff" "ab ab \xff" "ab");
	CHECK_WORD(&lx, "${V%b}", "\xef\xbf\xbd" "a");
	CHECK_WORDS(&lx, "$V", "\xef\xbf\xbd" "ab");
	CHECK_WORDS(&lx, "\"$V\"", "\xff" "ab");
}

/* ---- hostile input ---- */

static char *repeat(const char *s, size_t times, const char *mid, const char *tail, size_t tails)
{
	struct ds_buf b = DS_BUF_INIT;
	for (size_t i = 0; i < times; i++)
		ds_buf_adds(&b, s);
	ds_buf_adds(&b, mid);
	for (size_t i = 0; i < tails; i++)
		ds_buf_adds(&b, tail);
	return ds_buf_detach(&b, NULL);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	struct ds_shlex lx = lexer(NULL);
	char *ok = repeat("${a:-", DS_SHLEX_MAX_DEPTH, "x", "}", DS_SHLEX_MAX_DEPTH);
	CHECK_WORD(&lx, ok, "x");
	free(ok);
	char *deep = repeat("${a:-", DS_SHLEX_MAX_DEPTH + 1, "x", "}", DS_SHLEX_MAX_DEPTH + 1);
	char *got = word(&lx, deep, strlen(deep));
	assert_non_null(strstr(got, "ERR:failed to process"));
	assert_non_null(strstr(got, "nested more than 256 levels deep"));
	free(got);
	free(deep);
	char *huge = repeat("\"${a:-", 100000, "", "", 0);
	got = word(&lx, huge, strlen(huge));
	assert_non_null(strstr(got, "nested more than 256 levels deep"));
	free(got);
	free(huge);
}

static void test_unterminated(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"'", "\"", "\\", "$", "${", "${a", "${a:", "${a:-", "${a/", "${a//", "${a/b/", "${a#",
		"${a%%", "\"${a:-'", "${a:-\"", "\"$", "\"\\", "<", "<<", "${a:-${b:-${c",
	};
	struct ds_shlex lx = lexer(NULL);
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		char *got = word(&lx, inputs[i], strlen(inputs[i]));
		char *w = words(&lx, inputs[i]);
		bool ok_end = strcmp(inputs[i], "\\") == 0 || strcmp(inputs[i], "$") == 0 ||
			      strcmp(inputs[i], "<") == 0 || strcmp(inputs[i], "<<") == 0;
		if (ok_end) {
			assert_true(strncmp(got, "ERR:", 4) != 0);
		} else {
			assert_true(strncmp(got, "ERR:failed to process ", 22) == 0);
			assert_true(strncmp(w, "ERR:failed to process ", 22) == 0);
		}
		free(got);
		free(w);
	}
}

/* random inputs from the characters that matter, in every mode, for the sanitizers */
static void test_random_inputs(void **state)
{
	(void)state;
	static const char alphabet[] = "${}:-+?#%/*\\`'\"<> \t\nab1@\0\xff\xc3\xa9\xef\xbb\xbf";
	static const char *const v[] = { "a=x*y", "b=", "1=\\", NULL };
	struct env e = { v, "" };
	uint64_t seed = 0x9e3779b97f4a7c15u;
	char in[64];
	for (int iter = 0; iter < 30000; iter++) {
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		size_t n = (size_t)(seed % sizeof in);
		for (size_t i = 0; i < n; i++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			in[i] = alphabet[seed % (sizeof alphabet - 1)];
		}
		struct ds_shlex lx = lexer(&e);
		lx.escape = (iter & 1) ? '\\' : '`';
		lx.raw_quotes = iter & 2;
		lx.raw_escapes = iter & 4;
		lx.skip_unset_env = iter & 8;
		lx.skip_process_quotes = (iter % 7) == 0;
		struct ds_arena a = DS_ARENA_INIT;
		const char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
		size_t outlen = 0, nw = 0, outlen2 = 0;
		struct ds_shword *w = NULL;
		int r1 = ds_shlex_word(&lx, &a, in, n, &out, &outlen, &err);
		int r2 = ds_shlex_words(&lx, &a, in, n, &w, &nw, &err2);
		int r3 = ds_shlex_process(&lx, &a, in, n, &out2, &outlen2, NULL, NULL, NULL);
		assert_int_equal(r1, r2);
		assert_int_equal(r1, r3);
		if (r1 == 0) {
			assert_non_null(out);
			assert_int_equal(out[outlen], '\0');
			assert_int_equal(outlen, outlen2);
			assert_memory_equal(out, out2, outlen);
			for (size_t i = 0; i < nw; i++)
				assert_true(w[i].len > 0);
		} else {
			assert_string_equal(err, err2);
		}
		ds_arena_release(&a);
	}
}

static void test_large_values(void **state)
{
	(void)state;
	size_t n = 199998; /* a multiple of 3 */
	char *big = malloc(n + 3);
	memcpy(big, "V=", 2);
	for (size_t i = 0; i < n; i++)
		big[2 + i] = (char)("ab\n"[i % 3]);
	big[n + 2] = '\0';
	const char *vars[] = { big, NULL };
	struct env e = { vars, "" };
	struct ds_shlex lx = lexer(&e);
	struct ds_arena a = DS_ARENA_INIT;
	const char *out;
	size_t outlen;
	assert_int_equal(ds_shlex_word(&lx, &a, "${V//b/}", 8, &out, &outlen, NULL), 0);
	assert_int_equal(outlen, n - n / 3);
	assert_int_equal(ds_shlex_word(&lx, &a, "${V//a*/.}", 10, &out, &outlen, NULL), 0);
	assert_int_equal(outlen, 2 * (n / 3));
	assert_int_equal(ds_shlex_word(&lx, &a, "${V#a*}", 7, &out, &outlen, NULL), 0);
	assert_int_equal(outlen, n - 1);
	assert_int_equal(ds_shlex_word(&lx, &a, "${V##a*}", 8, &out, &outlen, NULL), 0);
	assert_int_equal(outlen, n - 2);
	/* the reversed value starts with a newline, which `*` does not cross */
	assert_int_equal(ds_shlex_word(&lx, &a, "${V%%a*}", 8, &out, &outlen, NULL), 0);
	assert_int_equal(outlen, n);
	ds_arena_release(&a);
	free(big);
}

/* A budget bounds one value and the file; without one nothing changes. */
static void test_budget(void **state)
{
	(void)state;
	size_t n = 150000;
	char *big = malloc(n + 3);
	memcpy(big, "V=", 2);
	memset(big + 2, 'x', n);
	big[n + 2] = '\0';
	const char *vars[] = { big, NULL };
	struct env e = { vars, "" };
	struct ds_shlex lx = lexer(&e);
	struct ds_arena a = DS_ARENA_INIT;
	const char *out, *err;
	size_t outlen;
	/* no budget: 300 kB is fine */
	assert_int_equal(ds_shlex_word(&lx, &a, "$V$V", 4, &out, &outlen, NULL), 0);
	assert_int_equal(outlen, 2 * n);
	struct ds_shlex_budget b;
	ds_shlex_budget_init(&b);
	lx.budget = &b;
	assert_int_equal(ds_shlex_word(&lx, &a, "$V", 2, &out, &outlen, NULL), 0);
	assert_int_equal(b.left, DS_SHLEX_FILE_MAX - n);
	/* two of them pass 256 KiB: stopped before the copy, and the budget is spent */
	assert_int_equal(ds_shlex_word(&lx, &a, "${V}-$V", 7, &out, &outlen, &err), -1);
	assert_non_null(strstr(err, "expansion larger than 262144 bytes"));
	assert_true(b.spent);
	/* once spent, every expansion fails; text without a $ still processes */
	assert_int_equal(ds_shlex_word(&lx, &a, "$V", 2, &out, &outlen, &err), -1);
	assert_int_equal(ds_shlex_word(&lx, &a, "'plain'", 7, &out, &outlen, NULL), 0);
	assert_string_equal(out, "plain");
	/* the file's total: 112 values of 150 kB pass 16 MiB */
	ds_shlex_budget_init(&b);
	int i = 0;
	while (i < 200 && ds_shlex_word(&lx, &a, "$V", 2, &out, &outlen, &err) == 0)
		i++;
	assert_int_equal(i, (int)(DS_SHLEX_FILE_MAX / n));
	assert_non_null(strstr(err, "larger than 16777216 bytes in all"));
	ds_arena_release(&a);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_mandatory),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_patterns_and_newlines),
		cmocka_unit_test(test_invalid_patterns),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_raw_quotes_and_escapes),
		cmocka_unit_test(test_skip_unset_env),
		cmocka_unit_test(test_skip_process_quotes),
		cmocka_unit_test(test_on_var),
		cmocka_unit_test(test_backtick_escape),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_heredoc_words),
		cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_random_inputs),
		cmocka_unit_test(test_large_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
