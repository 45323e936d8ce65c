/* shellwords.h - BuildKit's shell word processor: quotes, escapes, $VAR expansion, word splitting. */
#ifndef DS_PARSER_SHELLWORDS_H
#define DS_PARSER_SHELLWORDS_H

#include <stdbool.h>
#include <stddef.h>

struct ds_arena;

/*
 * This is a C rendering of BuildKit's frontend/dockerfile/shell/lex.go (the
 * Lex type): what ProcessWord and ProcessWords return, errors included, byte
 * for byte. The input is read as Go's text/scanner reads it: a byte that is
 * not UTF-8 becomes U+FFFD in the output, a byte-order mark at the very start
 * is dropped, NUL bytes pass through. Variable values are inserted as given.
 *
 * Supported, as BuildKit has them: $NAME, ${NAME}, positional ($1, $001) and
 * special ($@ $* $# $? $- $$ $! $0) parameters (never set unless the lookup
 * sets them), ${V:-w} ${V-w} ${V:+w} ${V+w} ${V:?msg} ${V?msg}, ${V#pat}
 * ${V##pat} ${V%pat} ${V%%pat}, ${V/pat/repl} ${V//pat/repl}. Patterns know
 * `*`, `?` and the escapes \* \? \\ (and \} \/ for the braces); BuildKit has
 * no bracket expressions, so `[` is literal. Like Go's `.`, `*` and `?` never
 * match a newline. In ${V//pat/repl} the replacement is a Go regexp template:
 * $0 and ${0} insert the match, $$ a dollar, other $names nothing.
 *
 * Nesting of ${...} is bounded by DS_SHLEX_MAX_DEPTH; deeper input fails
 * with an error instead of exhausting the stack.
 *
 * Word splitting (ds_shlex_words) keeps one quirk of BuildKit on purpose:
 * the partial word before a ${V<modifier>...} expansion is dropped
 * ("ab${x:-c}d" gives the single word "cd"), because BuildKit's lexer shares
 * one word buffer between nesting levels. ds_shlex_word is not affected.
 */
#define DS_SHLEX_MAX_DEPTH 256
/* The most bytes one ${V//pattern/replacement} may produce (1 MiB). */
#define DS_SHLEX_MAX_RESULT 1048576
/*
 * The most bytes one expansion may produce under a budget (256 KiB: far
 * above any real value, and small enough that a doubling file is stopped
 * after touching about a megabyte, in a few milliseconds).
 */
#define DS_SHLEX_VALUE_MAX 262144u
/* The most bytes of variable values the expansions of one file may insert (16 MiB). */
#define DS_SHLEX_FILE_MAX 16777216u

/*
 * What the expansions of one file may produce. Without a bound, `ENV
 * X=$X$X` repeated doubles a value per line: thirty lines ask for gigabytes.
 * Every expansion given the same budget draws on it: one result may not
 * grow past value_max bytes, and the bytes inserted from variable values
 * by all of them together may not pass file_max. An expansion past either
 * fails like a syntax error (with a message saying which bound), and sets
 * spent. Not thread-safe: one budget per file, used by one thread.
 */
struct ds_shlex_budget {
	size_t value_max; /* bytes one result may hold */
	size_t left;      /* bytes of variable values the file may still insert */
	bool spent;       /* an expansion failed on the budget */
};

/* Sets *b to DS_SHLEX_VALUE_MAX per value and DS_SHLEX_FILE_MAX for the file. */
void ds_shlex_budget_init(struct ds_shlex_budget *b);

struct ds_shlex {
	char escape;            /* '\\' or '`' */
	bool raw_quotes;        /* keep quote characters in the result */
	bool raw_escapes;       /* keep escape characters in the result */
	bool skip_unset_env;    /* leave references to unset variables as written */
	/* returns the value of variable name[0..len) or NULL when unset; sets *vlen */
	const char *(*lookup)(void *ctx, const char *name, size_t len, size_t *vlen);
	void *ctx;
	/* optional, may be NULL: called for each variable reference expanded, with whether it was set */
	void (*on_var)(void *ctx, const char *name, size_t len, bool set);
	/* treat ' and " as plain characters (BuildKit's SkipProcessQuotes, used for heredoc bodies) */
	bool skip_process_quotes;
	/* optional, may be NULL: the budget this expansion draws on (written to) */
	struct ds_shlex_budget *budget;
};

/* One word of ds_shlex_words; text is NUL-terminated (len excludes the NUL, text may hold NULs). */
struct ds_shword {
	const char *text;
	size_t len;
};

/* Sets *lx to BuildKit's NewLex(escape): every mode off, no variables, no callback. */
void ds_shlex_init(struct ds_shlex *lx, char escape);

/*
 * One word, no splitting (BuildKit ProcessWord). Returns 0 and sets *out to
 * the result, NUL-terminated, in the arena (*outlen excludes the NUL; the
 * text may hold NULs). Returns -1 when BuildKit fails and sets *err to
 * BuildKit's message, e.g. `failed to process "${x": syntax error: missing
 * '}'`, in the arena; *out is then NULL. (The input is quoted in the message
 * as Go's %q does; names, patterns and ${V?msg} texts appear as written, so
 * a NUL byte in them ends the C string early.) outlen and err may be NULL. A NULL
 * lookup means no variable is set. lx is only read, so one ds_shlex may be
 * used from several threads with their own arenas (if its callbacks allow
 * and it has no budget).
 */
int ds_shlex_word(const struct ds_shlex *lx, struct ds_arena *a, const char *in, size_t len,
		  const char **out, size_t *outlen, const char **err);

/*
 * Expands and splits into words (BuildKit ProcessWords). Returns 0 and sets
 * *words to an arena array of *n words (never NULL, possibly empty), or -1
 * with *err as for ds_shlex_word and *words NULL, *n 0. err may be NULL.
 */
int ds_shlex_words(const struct ds_shlex *lx, struct ds_arena *a, const char *in, size_t len,
		   struct ds_shword **words, size_t *n, const char **err);

/*
 * Both at once, from one pass (BuildKit's process): the unsplit result and
 * the words. Any of out, outlen, words, n, err may be NULL when not wanted.
 * Returns 0, or -1 with *err set and the other outputs NULL / 0.
 */
int ds_shlex_process(const struct ds_shlex *lx, struct ds_arena *a, const char *in, size_t len,
		     const char **out, size_t *outlen, struct ds_shword **words, size_t *n,
		     const char **err);

#endif
