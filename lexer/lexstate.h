/* lexstate.h - the scanner's extra data, shared by scanner.l and the filter. */
#ifndef DS_LEXER_LEXSTATE_H
#define DS_LEXER_LEXSTATE_H

#include <stddef.h>
#include <stdint.h>

struct ds_arena;
struct ds_diags;

/* A heredoc the scanner must read after the current line. */
struct ds_lex_heredoc {
	const char *name;
	size_t len;
	int chomp;
};

/* Parser directive seen at the top of the file. */
struct ds_lex_directive {
	const char *name, *value;
	uint32_t value_len;
	uint32_t off, end;
};

struct ds_lexstate {
	uint32_t pos;       /* offset of the next byte to scan, in the source */
	uint32_t len;       /* source length */
	char escape;        /* '\\' or '`', set by the escape directive */
	uint32_t pl_start;  /* where the current physical line's text starts (after the left trim) */
	/* heredocs to read after the current line (set by the filter) */
	struct ds_lex_heredoc *hd;
	unsigned hd_n, hd_cur;
	int unterminated;   /* the last HEREDOC_END token hit the end of the file */
	/* directives */
	struct ds_lex_directive dirs[8];
	unsigned ndirs;
	const char *dir_error; /* first directive error (static or arena string) */
	uint32_t dir_error_off;
	struct ds_arena *arena;
	const char *src;    /* the source bytes (offset 0) */
};

enum { DS_LEX_LINES, DS_LEX_DIRECTIVES, DS_LEX_HEREDOC };

typedef void *yyscan_t;
/* Switches the scanner's start condition (DS_LEX_*). */
void ds_lex_begin(yyscan_t scanner, int state);

/*
 * Decides whether a comment line at the top of the file is a parser
 * directive (syntax, escape, check; BuildKit's DirectiveParser). Returns 1
 * and records it (possibly with an error) when it is, 0 when it ends the
 * directive block.
 */
int ds_lex_directive(struct ds_lexstate *ls, const char *text, size_t len);
/*
 * BuildKit's continuation test, ([^E])E[ \t]*$|^E[ \t]*$: the escape at off
 * ends the line unless the character before it is an escape too.
 */
int ds_lex_is_continuation(const struct ds_lexstate *ls, uint32_t off);
/* Length of the leading unicode.IsSpace characters of text (no '\n'). */
size_t ds_lex_space_prefix(const char *text, size_t len);
/* Returns 1 when the heredoc body line text terminates the current heredoc. */
int ds_lex_heredoc_line(struct ds_lexstate *ls, const char *text, size_t len);

void *ds_lex_xrealloc(void *p, size_t n);
void ds_lex_xfree(void *p);

#endif
