/* test_shellcmd.c - unit tests for analyze/shellcmd: the shell command splitter and offset mapping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "analyze/shellcmd.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "parser/ast.h"

static struct ds_arena arena;

static int setup(void **state)
{
	(void)state;
	ds_arena_init(&arena);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ds_arena_release(&arena);
	return 0;
}

/* Splits s; returns the commands that run a program, as "argv0 argv1 ...|argv0 ..." */
static const char *progs(const char *s, struct ds_shell_cmd **cmds, size_t *n)
{
	static char out[1024];
	struct ds_shell_cmd *c;
	size_t k;
	ds_shell_split(&arena, s, strlen(s), &c, &k);
	out[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		if (!c[i].argc)
			continue;
		if (out[0])
			strcat(out, "|");
		for (size_t j = 0; j < c[i].argc; j++) {
			if (j)
				strcat(out, " ");
			strcat(out, c[i].argv[j].text);
		}
	}
	if (cmds)
		*cmds = c;
	if (n)
		*n = k;
	return out;
}

static void test_operators(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	assert_string_equal(progs("a && b || c; d | e & f\ng", &c, &n), "a|b|c|d|e|f|g");
	assert_int_equal(n, 7);
	assert_int_equal(c[0].op, DS_SH_NONE);
	assert_int_equal(c[1].op, DS_SH_AND);
	assert_int_equal(c[2].op, DS_SH_OR);
	assert_int_equal(c[3].op, DS_SH_SEMI);
	assert_int_equal(c[4].op, DS_SH_PIPE);
	assert_int_equal(c[5].op, DS_SH_AMP);
	assert_int_equal(c[6].op, DS_SH_NEWLINE);
	assert_false(c[2].in_pipeline);
	assert_true(c[3].in_pipeline);
	assert_true(c[4].in_pipeline);
	assert_false(c[5].in_pipeline);
	assert_true(ds_shell_has_pipe(c, n));
	assert_false(ds_shell_has_pipe(c, 3));
}

static void test_quotes(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	assert_string_equal(progs("echo 'a && b' \"c;d\" e\\ f \"x\\\"y\" $'t\\tu'", &c, &n),
			    "echo a && b c;d e f x\"y t\tu");
	assert_int_equal(n, 1);
	assert_true(c[0].argv[1].quoted);
	assert_false(c[0].argv[0].quoted);
	/* offsets are those of the raw words */
	assert_int_equal(c[0].argv[1].off, 5);
	assert_int_equal(c[0].argv[1].end, 13);
	assert_int_equal(c[0].off, 0);
}

static void test_substitutions(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	assert_string_equal(progs("echo $(ls -l | wc -l) `id -u` ${X:-a b} $((1+2)) \"$(date)\"", &c, &n),
			    "ls -l|wc -l|id -u|date|echo $(ls -l | wc -l) `id -u` ${X:-a b} $((1+2)) $(date)");
	assert_int_equal(c[0].depth, 1);
	assert_int_equal(c[4].depth, 0);
	assert_true(c[4].argv[1].expands);
	/* a nested command's offsets point into the script */
	assert_int_equal(c[0].off, 7);
	assert_int_equal(c[0].end, 12);
}

static void test_assignments(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	assert_string_equal(progs("CGO_ENABLED=0 GOOS=linux go build -o /app . && A=1", &c, &n), "go build -o /app .");
	assert_int_equal(n, 2);
	assert_int_equal(c[0].nassigns, 2);
	assert_string_equal(ds_shell_cmd_assign(&c[0], "CGO_ENABLED"), "0");
	assert_string_equal(ds_shell_cmd_assign(&c[0], "GOOS"), "linux");
	assert_null(ds_shell_cmd_assign(&c[0], "GOARCH"));
	/* an assignment-only command has no program */
	assert_int_equal(c[1].argc, 0);
	assert_int_equal(c[1].nassigns, 1);
	/* a quoted name is no assignment */
	assert_string_equal(progs("\"A\"=1 b", NULL, NULL), "A=1 b");
}

static void test_wrappers(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	assert_string_equal(progs("sudo -E -u root apt-get install -y x", &c, &n), "apt-get install -y x");
	assert_int_equal(c[0].nwrappers, 1);
	assert_string_equal(c[0].wrappers[0], "sudo");
	assert_true(ds_shell_cmd_has_wrapper(&c[0], "sudo"));
	assert_string_equal(progs("env -i PATH=/bin FOO=1 nice -n 5 nohup time -p exec gosu app node s.js", &c, &n),
			    "node s.js");
	assert_int_equal(c[0].nwrappers, 6);
	assert_string_equal(ds_shell_cmd_assign(&c[0], "FOO"), "1");
	assert_string_equal(progs("xargs -n1 -I{} rm -f {}", NULL, NULL), "rm -f {}");
	assert_string_equal(progs("timeout -s KILL 10 curl x", NULL, NULL), "curl x");
	assert_string_equal(progs("command -v curl", NULL, NULL), "command -v curl");
	assert_string_equal(progs("command curl x", NULL, NULL), "curl x");
	/* a wrapper with nothing to run is the program */
	assert_string_equal(progs("env", NULL, NULL), "env");
	assert_string_equal(progs("/usr/bin/sudo ls", &c, NULL), "ls");
}

static void test_keywords(void **state)
{
	(void)state;
	assert_string_equal(progs("if [ -f x ]; then rm x; elif true; then :; else echo no; fi", NULL, NULL),
			    "[ -f x ]|rm x|true|:|echo no");
	assert_string_equal(progs("for i in a b $(seq 3); do echo $i; done", NULL, NULL), "seq 3|echo $i");
	assert_string_equal(progs("while read l; do echo \"$l\"; done < f", NULL, NULL), "read l|echo $l");
	assert_string_equal(progs("{ a; b; } && ( c || d ) && ! e", NULL, NULL), "a|b|c|d|e");
	assert_string_equal(progs("case \"$x\" in a|b) apk add a;; *) echo other;; esac; z", NULL, NULL),
			    "apk add a|echo other|z");
	assert_string_equal(progs("f() { curl x; }; function g { wget y; }; f", NULL, NULL), "curl x|wget y|f");
	assert_string_equal(progs("[[ -f a && -f b ]] && (( i++ )) && ok", NULL, NULL), "[[ -f a && -f b ]]|ok");
	/* keywords only count at the start of a command */
	assert_string_equal(progs("echo if then fi", NULL, NULL), "echo if then fi");
}

static void test_comments_continuations(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	assert_string_equal(progs("apt-get \\\n  install x # not # a word\n# whole line\ny", &c, &n),
			    "apt-get install x|y");
	assert_int_equal(c[0].end, 21);
	assert_string_equal(progs("echo a#b", NULL, NULL), "echo a#b");
}

static void test_redirections_heredocs(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	assert_string_equal(progs("apt-get install x > /dev/null 2>&1 </in &>>log", &c, &n), "apt-get install x");
	assert_int_equal(c[0].nredirs, 8);
	assert_string_equal(c[0].redirs[2].text, "2>&");
	assert_string_equal(c[0].redirs[3].text, "1");
	/* a here-document body is not commands */
	assert_string_equal(progs("cat <<EOF > /f\napk add nope\nEOF\napk add yes\ncat <<-'X'\n\tno\n\tX\nend",
				  NULL, NULL),
			    "cat|apk add yes|cat|end");
}

static void test_sh_c(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	const char *s = "sh -c 'apt-get install -y x && rm -rf /l' ; bash -euxo pipefail -c \"a | b\"";
	assert_string_equal(progs(s, &c, &n),
			    "apt-get install -y x|rm -rf /l|sh -c apt-get install -y x && rm -rf /l|a|b|"
			    "bash -euxo pipefail -c a | b");
	assert_int_equal(c[0].depth, 1);
	/* offsets of a quoted sh -c script map into the outer script */
	assert_int_equal(c[0].off, 7);
	assert_memory_equal(s + c[1].off, "rm -rf /l", 9);
	assert_true(c[3].in_pipeline);
	/* sh without -c runs a file */
	assert_string_equal(progs("sh ./install.sh", NULL, NULL), "sh ./install.sh");
}

static void test_argv(void **state)
{
	(void)state;
	const char *w[] = { "sudo", "sh", "-c", "apk add x | cat" };
	size_t lens[] = { 4, 2, 2, 15 };
	uint32_t offs[] = { 10, 18, 24, 30 }, ends[] = { 16, 22, 28, 47 };
	struct ds_shell_cmd *c;
	size_t n;
	assert_int_equal(ds_shell_split_argv(&arena, w, lens, offs, ends, 4, &c, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(c[0].argv[0].text, "apk");
	assert_int_equal(c[0].off, 31);
	assert_true(c[1].in_pipeline);
	assert_string_equal(ds_shell_cmd_name(&c[2]), "sh");
	assert_true(ds_shell_cmd_has_wrapper(&c[2], "sudo"));
	/* a command's span starts at its first word, wrappers included */
	assert_int_equal(c[2].off, 10);
	assert_int_equal(c[2].argv[0].off, 18);
}

static void test_queries(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	progs("/usr/bin/apt-get -qy --no-install-recommends -o Dpkg::X=1 install -t bookworm x -- -z", &c, &n);
	assert_string_equal(ds_shell_cmd_name(&c[0]), "apt-get");
	assert_true(ds_shell_cmd_is(&c[0], "apt-get"));
	assert_true(ds_shell_cmd_has_flag(&c[0], "-y"));
	assert_true(ds_shell_cmd_has_flag(&c[0], "--yes", "-q"));
	assert_false(ds_shell_cmd_has_flag(&c[0], "--yes", "--assume-yes"));
	assert_true(ds_shell_cmd_has_flag(&c[0], "--no-install-recommends"));
	assert_false(ds_shell_cmd_has_flag(&c[0], "-z"));
	assert_true(ds_shell_cmd_has_arg(&c[0], "install"));
	assert_true(ds_shell_cmd_has_arg_prefix(&c[0], "Dpkg::"));
	assert_string_equal(ds_shell_cmd_flag_value(&c[0], "-t", "--target-release"), "bookworm");
	assert_string_equal(ds_shell_cmd_flag_value(&c[0], "-o", NULL), "Dpkg::X=1");
	/* flag values are not known: the value of -o counts */
	assert_int_equal(ds_shell_cmd_first_operand(&c[0]), 4);
	progs("useradd -u12345 a; useradd --uid=7 b; wget -nv x", &c, &n);
	assert_string_equal(ds_shell_cmd_flag_value(&c[0], "-u", "--uid"), "12345");
	assert_string_equal(ds_shell_cmd_flag_value(&c[1], "-u", "--uid"), "7");
	assert_true(ds_shell_cmd_has_flag(&c[2], "-nv"));
	assert_false(ds_shell_cmd_has_flag(&c[2], "-q"));
}

static void test_malformed(void **state)
{
	(void)state;
	struct ds_shell_cmd *c;
	size_t n;
	assert_int_equal(ds_shell_split(&arena, "echo 'open", 10, &c, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(ds_shell_split(&arena, "echo $(ls", 9, &c, &n), -1);
	assert_int_equal(ds_shell_split(&arena, "", 0, &c, &n), 0);
	assert_int_equal(n, 0);
	/* deep nesting stops following, never overflows */
	char deep[400];
	size_t k = 0;
	for (int i = 0; i < 60; i++)
		k += (size_t)snprintf(deep + k, sizeof deep - k, "$(");
	for (int i = 0; i < 60; i++)
		deep[k++] = ')';
	deep[k] = '\0';
	assert_int_equal(ds_shell_split(&arena, deep, k, &c, &n), 0);
}

/* Parses text and returns its first instruction. */
static const struct ds_instr *parse_first(const char *text, struct ds_dockerfile *df)
{
	struct ds_source *src = ds_arena_zalloc(&arena, sizeof *src);
	ds_source_from_mem(src, &arena, "Dockerfile", text, strlen(text));
	ds_parse(&arena, src, NULL, df);
	return &df->instrs[0];
}

static void test_run_offsets(void **state)
{
	(void)state;
	struct ds_dockerfile df;
	const char *text = "RUN apt-get update \\\n  # a comment\n\n    && apt-get install x \\\n\t&& finish\n";
	const struct ds_instr *in = parse_first(text, &df);
	const char *t = in->args[0].text;
	struct ds_shell_cmd *c;
	size_t n;
	ds_shell_split(&arena, t, strlen(t), &c, &n);
	assert_int_equal(n, 3);
	uint32_t o = ds_run_offset_to_source(&df, in, c[1].off);
	assert_memory_equal(text + o, "apt-get install x", 17);
	o = ds_run_offset_to_source(&df, in, c[1].argv[2].off);
	assert_memory_equal(text + o, "x \\", 3);
	o = ds_run_offset_to_source(&df, in, c[2].off);
	assert_memory_equal(text + o, "finish", 6);
	assert_int_equal(ds_run_offset_to_source(&df, in, 0), 4);

	/* a backtick escape character */
	text = "# escape=`\nRUN a `\n  && b\n";
	in = parse_first(text, &df);
	t = in->args[0].text;
	ds_shell_split(&arena, t, strlen(t), &c, &n);
	assert_int_equal(n, 2);
	o = ds_run_offset_to_source(&df, in, c[1].off);
	assert_memory_equal(text + o, "b\n", 2);

	/* a <<- here-document body with tabs stripped */
	const char body[] = "\t\tapk add x\n\tcurl y\n";
	const char content[] = "apk add x\ncurl y\n";
	o = ds_shell_map_offset(body, 0, (uint32_t)strlen(body), content, strlen(content), 10, '\0', true);
	assert_memory_equal(body + o, "curl", 4);
}

/* Mapping with a cursor gives what mapping from the start gives, in any order of offsets. */
static void test_map_cursor(void **state)
{
	(void)state;
	struct ds_dockerfile df;
	const char *text = "RUN apt-get update \\\n  # a comment\n\n    && apt-get install x \\\n\t&& finish \\\n  && done\n";
	const struct ds_instr *in = parse_first(text, &df);
	size_t len = in->args[0].len;
	struct ds_shell_map_cursor cur;
	memset(&cur, 0, sizeof cur);
	for (size_t off = 0; off <= len; off++)
		assert_int_equal(ds_run_offset_to_source_at(&cur, &df, in, off), ds_run_offset_to_source(&df, in, off));
	for (size_t off = len + 1; off-- > 0;)
		assert_int_equal(ds_run_offset_to_source_at(&cur, &df, in, off), ds_run_offset_to_source(&df, in, off));
	for (size_t off = 0; off <= len; off += 7)
		assert_int_equal(ds_run_offset_to_source_at(&cur, &df, in, (off * 5) % (len + 1)),
				 ds_run_offset_to_source(&df, in, (off * 5) % (len + 1)));
}

/* The words and commands handed out are the arena's, at their size; counts are 32 bits. */
static void test_many_commands(void **state)
{
	(void)state;
	struct ds_buf b = DS_BUF_INIT;
	for (int i = 0; i < 3000; i++)
		ds_buf_addf(&b, "%secho %d a b c", i ? " && " : "", i);
	struct ds_shell_cmd *c;
	size_t n;
	assert_int_equal(ds_shell_split(&arena, b.buf, b.len, &c, &n), 0);
	assert_int_equal(n, 3000);
	assert_int_equal(c[2999].argc, 5);
	assert_string_equal(c[2999].argv[1].text, "2999");
	assert_int_equal(c[2999].op, DS_SH_AND);
	assert_memory_equal(b.buf + c[1500].off, "echo 1500", 9);
	ds_buf_release(&b);
}

/*
 * With a memo, a script split again gives the very commands of the first
 * split, which read like a split without one; a malformed script keeps its
 * -1; other bytes, even at an address split before, are split anew.
 */
static void test_memo(void **state)
{
	(void)state;
	static const char *const scripts[] = {
		"apt-get update && apt-get install -y curl; rm -rf /var/lib/apt/lists/*",
		"sudo -u app sh -c 'make && make install' | tee log",
		"echo \"unterminated",
		"",
	};
	struct ds_arena memo_arena = DS_ARENA_INIT;
	ds_shell_memo_begin(&memo_arena);
	for (size_t i = 0; i < sizeof scripts / sizeof *scripts; i++) {
		const char *t = scripts[i];
		size_t len = strlen(t);
		struct ds_shell_cmd *c1, *c2, *c3;
		size_t n1, n2, n3;
		int rc1 = ds_shell_split(&arena, t, len, &c1, &n1);
		int rc2 = ds_shell_split(&arena, t, len, &c2, &n2);
		assert_int_equal(rc1, rc2);
		assert_int_equal(n1, n2);
		assert_ptr_equal(c1, c2);
		ds_shell_memo_end();
		int rc3 = ds_shell_split(&arena, t, len, &c3, &n3); /* no memo: split anew */
		ds_shell_memo_begin(&memo_arena);
		assert_int_equal(rc3, rc1);
		assert_int_equal(n3, n1);
		assert_true(!n1 || c3 != c1);
		for (size_t k = 0; k < n1; k++) {
			assert_int_equal(c1[k].argc, c3[k].argc);
			assert_int_equal(c1[k].off, c3[k].off);
			assert_int_equal(c1[k].end, c3[k].end);
			assert_int_equal(c1[k].depth, c3[k].depth);
			assert_string_equal(ds_shell_cmd_name(&c1[k]), ds_shell_cmd_name(&c3[k]));
			for (size_t j = 0; j < c1[k].argc; j++)
				assert_string_equal(c1[k].argv[j].text, c3[k].argv[j].text);
		}
	}
	/* a scratch buffer split, then reused for other bytes: not taken for the first */
	char buf[32] = "rm -rf /tmp/a";
	struct ds_shell_cmd *a, *b;
	size_t na, nb;
	ds_shell_split(&arena, buf, 13, &a, &na);
	assert_string_equal(a[0].argv[2].text, "/tmp/a");
	buf[12] = 'b';
	ds_shell_split(&arena, buf, 13, &b, &nb);
	assert_string_equal(b[0].argv[2].text, "/tmp/b");
	ds_shell_split(&arena, buf, 13, &a, &na); /* and remembered again */
	assert_ptr_equal(a, b);
	ds_shell_memo_end();
	ds_arena_release(&memo_arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memo),
		cmocka_unit_test(test_map_cursor),
		cmocka_unit_test(test_many_commands),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_substitutions),
		cmocka_unit_test(test_assignments),
		cmocka_unit_test(test_wrappers),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_comments_continuations),
		cmocka_unit_test(test_redirections_heredocs),
		cmocka_unit_test(test_sh_c),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_run_offsets),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
