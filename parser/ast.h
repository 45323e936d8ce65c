/* ast.h - the syntax tree of one Dockerfile, as BuildKit's parser sees it. */
#ifndef DS_PARSER_AST_H
#define DS_PARSER_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"

struct ds_arena;
struct ds_source;

enum ds_instr_kind {
#define DS_INSTR(e, kw, flags, args) DS_I_##e,
#include "parser/instructions.def"
#undef DS_INSTR
	DS_I_UNKNOWN, /* kept as a node, diagnosed by the rules (DST302) */
	DS_I__COUNT
};

/* The argument counts of instructions.def. */
enum ds_instr_args {
	DS_ARGS_ANY,
	DS_ARGS_ONE,
	DS_ARGS_SOME,
	DS_ARGS_SRC_DEST,
	DS_ARGS_FROM,
};

/* "add", "arg", ...; "unknown" for DS_I_UNKNOWN. */
const char *ds_instr_name(enum ds_instr_kind k);
/* "ADD", "ARG", ...: the keyword as messages write it; "UNKNOWN" for DS_I_UNKNOWN. */
const char *ds_instr_keyword(enum ds_instr_kind k);
/*
 * Looks the keyword kw[0..len) up as BuildKit's dispatch does: lower-cased
 * with Go's strings.ToLower (so U+212A KELVIN SIGN is a 'k' and U+0130 an
 * 'i'), then compared byte for byte, NUL bytes included. DS_I_UNKNOWN when
 * it is not an instruction.
 */
enum ds_instr_kind ds_instr_lookup(const char *kw, size_t len);
/* The flags BuildKit accepts for k, as "a|b|c" ("" for none). */
const char *ds_instr_flags(enum ds_instr_kind k);

/*
 * Strings in the tree are NUL-terminated copies in the arena that also
 * carry their length: a NUL byte in the source is an ordinary byte to
 * BuildKit (its strings are Go strings), so it can stand inside a keyword,
 * a flag, a heredoc name or a directive value. Code that must see all of a
 * string uses the length; C string functions see the part before the first
 * NUL, which is the whole string for any file without NUL bytes.
 */

/* A byte range [off, end) of the source. */
struct ds_span {
	uint32_t off, end;
};

/*
 * One argument node. text is exactly what BuildKit's AST holds: the raw text
 * after line joining (quotes and escapes kept), or the decoded string of a
 * JSON array element. span is where it stands in the source; for a value
 * that crosses a line continuation the span covers the continuation too.
 */
struct ds_word {
	const char *text;
	uint32_t len;
	struct ds_span span;
};

/* A leading --flag word, e.g. --chown="u g" -> text "--chown=u g". */
struct ds_flag {
	const char *text;  /* the flag after quote removal, as dumped */
	const char *name;  /* after the dashes, before '=' */
	const char *value; /* after '='; NULL when the flag has no '=' */
	uint32_t text_len, name_len, value_len; /* value_len 0 when value is NULL */
	struct ds_span span;
};

/* A here-document attached to RUN, COPY or ADD (or ONBUILD of those). */
struct ds_heredoc {
	const char *name;     /* the delimiter word after quote removal */
	uint32_t name_len;
	bool chomp;           /* <<- : leading tabs stripped */
	bool expand;          /* delimiter unquoted: variables expand in the body */
	unsigned fd;          /* 3<<EOF -> 3; 0 when none given */
	const char *content;  /* the body, line ends included (NUL-terminated copy) */
	uint32_t content_len;
	struct ds_span body;       /* the body lines in the source */
	struct ds_span terminator; /* the closing delimiter line (without its line end) */
};

struct ds_instr {
	/* (fields ordered by size, so the node has no padding: a file holds one per line) */
	const char *keyword;      /* as written, e.g. "FrOm" */
	const char *original;     /* the joined logical line (BuildKit's Original) */
	const char *rest;         /* joined text after the flags, trimmed */
	struct ds_flag *flags;
	/*
	 * Argument nodes as in BuildKit's dump. ENV and LABEL hold triples
	 * (key, value, sep) with sep "=" or "" (old "KEY value" form).
	 * HEALTHCHECK holds the type word ("CMD", "NONE") then the command.
	 */
	struct ds_word *args;
	struct ds_heredoc *heredocs;
	struct ds_instr *sub;     /* ONBUILD: the inner instruction, else NULL */
	struct ds_instr *parent;  /* set on an ONBUILD's inner instruction */
	/* comment lines just above, without '#' (PrevComment); read only for
	 * pragmas, so they stay plain C strings (a NUL byte ends one early) */
	const char **comments;

	struct ds_span span;      /* keyword .. end of the last line, heredocs included */
	struct ds_span kw_span;
	struct ds_span line_span; /* the instruction lines only (no heredoc bodies) */
	struct ds_span rest_span;

	enum ds_instr_kind kind;
	uint32_t keyword_len;
	uint32_t start_line, end_line; /* 1-based, BuildKit's StartLine/EndLine */
	uint32_t original_len;
	uint32_t rest_len;
	uint32_t nflags;
	uint32_t nargs;
	uint32_t nheredocs;
	uint32_t ncomments;
	uint32_t index;           /* position in the file's instruction list */
	bool json;                /* exec form: the arguments were a JSON string array */
};

struct ds_directive {
	const char *name;  /* lower case: syntax, escape, check */
	const char *value;
	uint32_t value_len;
	struct ds_span span;
};

enum ds_tok_kind {
#define DS_TOK(e, name) DS_T_##e,
#include "lexer/tokens.def"
#undef DS_TOK
	DS_T__COUNT
};
const char *ds_tok_name(enum ds_tok_kind k);

/* A lexical token: a span of the source. Tokens tile the file exactly. */
struct ds_token {
	uint32_t off, len;
	uint8_t kind;
};

struct ds_dockerfile {
	struct ds_arena *arena;
	struct ds_source *src;
	char escape;              /* '\\' or '`' */
	struct ds_directive *directives;
	uint32_t ndirectives;
	struct ds_instr *instrs;  /* top-level instructions in file order */
	uint32_t ninstrs;
	struct ds_token *tokens;  /* only with ds_parse_opts.keep_tokens */
	size_t ntokens;
	struct ds_diags diags;    /* parse errors and warnings */
	/*
	 * The first error BuildKit itself would stop on (index into diags), or
	 * -1. The tree still holds every instruction that could be read.
	 */
	long fatal;
	uint32_t root_start_line, root_end_line;
};

struct ds_parse_opts {
	bool keep_tokens;
	size_t max_line;          /* 0: BuildKit's 65536-byte line limit */
	unsigned max_heredocs;    /* per instruction; 0: default 256 */
};

/*
 * Parses src (which must come from ds_source_from_mem) into df, allocating
 * everything in a. Returns 0 when BuildKit would accept the file, -1 when
 * it would not (df->fatal names the diagnostic); df is usable either way.
 */
int ds_parse(struct ds_arena *a, struct ds_source *src, const struct ds_parse_opts *opts,
	     struct ds_dockerfile *df);

/* Appends BuildKit's AST dump of df (the conformance "result" format). */
struct ds_buf;
void ds_dump(const struct ds_dockerfile *df, struct ds_buf *out);
/* Appends df as JSON with 1-based line/column positions. */
void ds_dump_json(const struct ds_dockerfile *df, struct ds_buf *out);
/*
 * Callback of the two below: may write out somewhere and empty it, so the
 * dump of a big file is never held whole.
 */
typedef void ds_dump_drain(void *ctx, struct ds_buf *out);
/* ds_dump and ds_dump_json, calling drain(ctx, out) after each instruction. */
void ds_dump_to(const struct ds_dockerfile *df, struct ds_buf *out, ds_dump_drain *drain, void *ctx);
void ds_dump_json_to(const struct ds_dockerfile *df, struct ds_buf *out, ds_dump_drain *drain, void *ctx);

/* Convenience: the flag named name (without dashes, a C string) of in, or NULL. */
const struct ds_flag *ds_instr_flag(const struct ds_instr *in, const char *name);

/*
 * When in has fewer or more arguments than BuildKit's instruction layer
 * accepts for its kind (instructions.def), what is wrong, to follow the
 * upper-case keyword ("requires exactly one argument"); else NULL. BuildKit's
 * parser accepts such a line, but `docker build` stops on it.
 */
const char *ds_instr_arity_error(const struct ds_instr *in);
/*
 * The instruction name ("copy") an unknown keyword ("COPPY") is likely a
 * typo of, as BuildKit's "did you mean" suggests it, or NULL.
 */
const char *ds_instr_suggest(const char *keyword);

#endif
