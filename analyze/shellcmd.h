/* shellcmd.h - a small POSIX-shell command splitter for RUN scripts (lint and convert). */
#ifndef DS_ANALYZE_SHELLCMD_H
#define DS_ANALYZE_SHELLCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds_arena;
struct ds_dockerfile;
struct ds_instr;

/*
 * What this is: a recogniser of simple commands, not a shell. It reads a
 * script the way sh(1) tokenises it (POSIX XCU 2.3 "Token Recognition", 2.9
 * "Shell Commands"), far enough to answer "which programs run, with which
 * words, joined by which operators". Nothing is expanded or executed.
 *
 * It knows:
 *  - operators && || ; | |& & ;; ;& ;;& and newlines between commands;
 *  - single quotes, double quotes (with \" \\ \$ \` escapes), $'...' and
 *    $"...", backslash escapes, and `\`+newline line continuations;
 *  - $(...), `...`, ${...} and $((...)) inside words (kept verbatim in the
 *    word); the commands inside $(...) and backticks are reported too, as
 *    nested commands (depth > 0);
 *  - `VAR=value` prefixes (kept apart from argv, in assigns);
 *  - redirections (<, >, >>, <<, <<-, <<<, <&, >&, <>, >|, &>, &>> with an
 *    optional fd number): the operator and its target are kept apart from
 *    argv in redirs, and here-document bodies that follow a newline are
 *    skipped;
 *  - reserved words (if then else elif fi for in do done while until case
 *    esac { } ! function, and [[ ... ]], (( ... ))), subshell parentheses,
 *    `name() { ...; }` function definitions and comments, none of which is
 *    taken for a program;
 *  - wrappers: sudo, doas, env, nice, nohup, time, exec, command, builtin,
 *    busybox, xargs, timeout, stdbuf, gosu and su-exec are stripped with
 *    their own options (and env's or sudo's VAR=value words, which go to
 *    assigns), so argv[0] is the program that really runs; the wrapper
 *    names are kept in wrappers. `command -v` / `command -V` is a query and
 *    not unwrapped;
 *  - `sh -c 'script'` (sh, bash, dash, ash, zsh, ksh, mksh): the script
 *    argument is split too and its commands reported as nested commands.
 *
 * Offsets: every word and command carries [off, end) byte offsets into the
 * script passed in (for commands found inside a `sh -c` string whose
 * argument held escapes, the offsets are those of the whole argument).
 */

/* The operator that precedes a command (what joins it to the previous one). */
enum ds_shell_op {
	DS_SH_NONE,    /* first command, or after a grouping keyword or ( */
	DS_SH_AND,     /* && */
	DS_SH_OR,      /* || */
	DS_SH_SEMI,    /* ; ;; ;& ;;& */
	DS_SH_PIPE,    /* | or |& */
	DS_SH_AMP,     /* & */
	DS_SH_NEWLINE, /* a line end */
};

/*
 * One word after quote removal. (Counts are 32 bits: scripts come from
 * files under 4 GiB, and the conversion keeps the words of every RUN.)
 */
struct ds_shell_word {
	const char *text;  /* NUL-terminated, in the arena; $VAR and $(...) kept as written */
	uint32_t len;
	uint32_t off, end; /* raw word in the script */
	bool quoted;       /* some part of it was quoted or escaped */
	bool expands;      /* holds an unquoted or double-quoted $ or ` (its value is not known) */
};

struct ds_shell_cmd {
	struct ds_shell_word *argv; /* the program and its arguments, wrappers stripped */
	const char *name;           /* the last path component of argv[0] (ds_shell_cmd_name), "" when argc is 0 */
	struct ds_shell_word *assigns; /* VAR=value prefixes, text "VAR=value" */
	struct ds_shell_word *redirs;  /* redirections: text is the operator ("2>", "<<"), then the target word */
	const char **wrappers;         /* stripped wrappers in order, e.g. "sudo", "env" */
	uint32_t argc;              /* 0 for a command of assignments and redirections only */
	uint32_t nassigns;
	uint32_t nredirs;
	uint32_t nwrappers;
	uint32_t off, end;          /* the whole simple command in the script */
	enum ds_shell_op op;        /* operator before it (at its own nesting depth) */
	unsigned depth;             /* 0 at top level; +1 inside $(...), `...` or sh -c '...' */
	bool in_pipeline;           /* a | joins it to the previous or the next command */
};

/*
 * Splits script[0..len) into simple commands, in the order their words
 * start (a nested command comes before the command holding it). *out is an
 * arena array of *n commands (NULL and 0 for an empty script). Returns 0,
 * or -1 when the script is malformed (an unterminated quote or
 * substitution); the commands read so far are returned either way. Never
 * prints; allocates only from a.
 */
int ds_shell_split(struct ds_arena *a, const char *script, size_t len, struct ds_shell_cmd **out,
		   size_t *n);

/*
 * A memo of splits for the file being analysed, on the calling thread:
 * from ds_shell_memo_begin(a) to ds_shell_memo_end(), ds_shell_split()
 * remembers every script by its address and length, with a copy of its
 * bytes, and allocates its commands in a, not in the caller's arena; the
 * same script split again (the conversion and lint each split every RUN
 * of a file) costs a lookup and a memcmp and returns the same commands and
 * result, while other bytes at a known address are split anew. Callers
 * only read what a split returns; a must outlive every use of it (the
 * file's arena). Each thread has its own memo; the calls do not nest.
 * Without one, ds_shell_split() works as described above.
 */
void ds_shell_memo_begin(struct ds_arena *a);
void ds_shell_memo_end(void);

/*
 * Builds the command of an exec-form instruction (["prog", "arg", ...]):
 * the words are taken as they are (no splitting, no quote removal), with
 * offs[i]/ends[i] as their offsets (ends may equal offs), then wrappers are
 * stripped and a `sh -c` string is split as above (its commands come first,
 * at depth 1, offsets relative to the string's word plus one). Same return
 * convention as ds_shell_split.
 */
int ds_shell_split_argv(struct ds_arena *a, const char *const *words, const size_t *lens,
			const uint32_t *offs, const uint32_t *ends, size_t nwords,
			struct ds_shell_cmd **out, size_t *n);

/* The last path component of argv[0] ("/usr/bin/apt-get" -> "apt-get"), or "" when argc is 0. */
const char *ds_shell_cmd_name(const struct ds_shell_cmd *c);
/* True when the program's name (see ds_shell_cmd_name) is name. */
bool ds_shell_cmd_is(const struct ds_shell_cmd *c, const char *name);
/* True when some argument (argv[1..]) is exactly arg. */
bool ds_shell_cmd_has_arg(const struct ds_shell_cmd *c, const char *arg);
/* True when some argument starts with prefix. */
bool ds_shell_cmd_has_arg_prefix(const struct ds_shell_cmd *c, const char *prefix);
/* True when a wrapper named name was stripped from the command. */
bool ds_shell_cmd_has_wrapper(const struct ds_shell_cmd *c, const char *name);

/*
 * True when the command has one of the given flags, a NULL-terminated list
 * such as "-y", "--yes", "--assume-yes". A one-letter flag "-y" also
 * matches inside a cluster ("-qy"); a long flag "--yes" matches "--yes"
 * and "--yes=value". Words after a "--" are not flags. Use the macro, which
 * adds the NULL.
 */
bool ds_shell_cmd_has_flag_(const struct ds_shell_cmd *c, ...);
#define ds_shell_cmd_has_flag(c, ...) ds_shell_cmd_has_flag_((c), __VA_ARGS__, (const char *)NULL)

/*
 * The value given to flag short ("-u", may be NULL) or long ("--uid", may
 * be NULL): "-u 1000", "-u1000", "--uid 1000" and "--uid=1000" all give
 * "1000". Returns the word's text (or a pointer into it), or NULL when the
 * flag is absent or has no value. The last occurrence wins.
 */
const char *ds_shell_cmd_flag_value(const struct ds_shell_cmd *c, const char *short_flag,
				    const char *long_flag);

/*
 * Index in argv of the first argument that is not a flag ("-..."), starting
 * at argv[1]; argc when there is none. Flags' values are not known to this
 * function, so "-o file x" gives the index of "file".
 */
size_t ds_shell_cmd_first_operand(const struct ds_shell_cmd *c);

/* The value of the VAR=value prefix named name, or NULL. */
const char *ds_shell_cmd_assign(const struct ds_shell_cmd *c, const char *name);

/* True when any command of cmds[0..n) is joined to another by a pipe. */
bool ds_shell_has_pipe(const struct ds_shell_cmd *cmds, size_t n);

/*
 * Maps an offset in the text of a shell-form RUN (or the RUN of an ONBUILD)
 * back to the source: in->args[0].text is the joined logical line, with
 * escape+newline continuations and the comment and blank lines inside them
 * removed, so the source bytes are walked from args[0].span.off, skipping
 * those, until off bytes of the text have been matched. Works for any
 * instruction whose args[0] is a joined line (CMD, ENTRYPOINT, HEALTHCHECK
 * command words too). Returns a byte offset into df->src->data; off past
 * the text maps to the end of the argument's span.
 */
uint32_t ds_run_offset_to_source(const struct ds_dockerfile *df, const struct ds_instr *in,
				 size_t off);

/*
 * The general form: maps offset off of text[0..len) (which was made from
 * src[from..to) by removing line continuations with escape, comment and
 * blank lines inside them, and, when chomp, leading tabs of each line as
 * <<- here-documents do) back to an offset in src.
 */
uint32_t ds_shell_map_offset(const char *src, uint32_t from, uint32_t to, const char *text,
			     size_t len, size_t off, char escape, bool chomp);

/*
 * Where a mapping got to, so that the next one of the same text resumes
 * there: each mapping walks the text from its start, and a script with
 * thousands of findings would be walked thousands of times. Zeroed: empty.
 */
struct ds_shell_map_cursor {
	const char *text;   /* the text mapped last, NULL when none */
	uint32_t from;
	uint32_t i;         /* source offset reached */
	size_t j;           /* text offset reached */
	bool line_start;
};

/* ds_shell_map_offset and ds_run_offset_to_source resuming from (and updating) cur. */
uint32_t ds_shell_map_offset_at(struct ds_shell_map_cursor *cur, const char *src, uint32_t from, uint32_t to,
				const char *text, size_t len, size_t off, char escape, bool chomp);
uint32_t ds_run_offset_to_source_at(struct ds_shell_map_cursor *cur, const struct ds_dockerfile *df,
				    const struct ds_instr *in, size_t off);

#endif
