/* grammar.y - the Dockerfile grammar over the scanner's line tokens. */
/*
 * A Dockerfile is a sequence of lines. The scanner (lexer/scanner.l) has
 * already cut physical lines into tokens, and the filter between scanner
 * and grammar (parser/parse.c) folds the pieces of one logical line
 * (instruction text, line continuations and the comment or blank lines
 * inside them, up to the end of the line) into one LINE token, and each
 * here-document (body lines and terminator) into one HEREDOC token: the
 * grammar sees one token per instruction line and per heredoc, which keeps
 * it fast. The meaning of an instruction (keyword, flags, arguments, JSON
 * form) is decided by the helpers in parser/build.c, called from the filter
 * when the line ends, so that the heredoc terminators are known before the
 * next line is scanned.
 */
%define api.pure full
%define api.prefix {ds_yy}
%define parse.error verbose
%locations
%expect 0
%param {struct ds_pstate *ps}

%code requires {
#include <stdint.h>
struct ds_pstate;
struct ds_yyloc {
	uint32_t off, end;
};
#define DS_YYLTYPE struct ds_yyloc
#define DS_YYLTYPE_IS_DECLARED 1
#define DS_YYLTYPE_IS_TRIVIAL 0
#define DS_YYSTYPE int
#define DS_YYSTYPE_IS_DECLARED 1
#ifndef DS_YYSCAN_T_DEFINED
#define DS_YYSCAN_T_DEFINED
#endif
}

%code provides {
/* flex's header speaks of YYSTYPE and YYLTYPE */
#define YYSTYPE DS_YYSTYPE
#define YYLTYPE DS_YYLTYPE
int ds_yylex(DS_YYSTYPE *lval, DS_YYLTYPE *lloc, struct ds_pstate *ps);
void ds_yyerror(DS_YYLTYPE *lloc, struct ds_pstate *ps, const char *msg);
}

%code {
#include "parser/pstate.h"
#define YYLLOC_DEFAULT(cur, rhs, n)                                  \
	do {                                                         \
		if (n) {                                             \
			(cur).off = YYRHSLOC(rhs, 1).off;            \
			(cur).end = YYRHSLOC(rhs, n).end;            \
		} else {                                             \
			(cur).off = (cur).end = YYRHSLOC(rhs, 0).end; \
		}                                                    \
	} while (0)
}

%token BOM "byte order mark"
%token DIRECTIVE "parser directive"
%token COMMENT "comment"
%token BLANK "blank line"
%token INDENT "indentation"
%token TEXT "instruction text"
%token CONTINUATION "line continuation"
%token CONT_COMMENT "comment inside a continuation"
%token CONT_BLANK "blank line inside a continuation"
%token EOL "end of line"
%token HEREDOC_LINE "heredoc line"
%token HEREDOC_END "heredoc terminator"
/* made by the filter from the tokens above */
%token LINE "instruction line"
%token HEREDOC "heredoc"

%%

file:
	  %empty
	| file item
	;

item:
	  BOM
	| DIRECTIVE
	| COMMENT	{ ds_ps_comment(ps, @1.off, @1.end); }
	| BLANK
	| instruction	/* kept by the filter when the next token arrives */
	| error LINE	{ ds_ps_recover(ps, @1.off, @2.end); yyerrok; }
	;

instruction:
	  LINE heredocs
	;

heredocs:
	  %empty
	| heredocs HEREDOC
	;

%%
