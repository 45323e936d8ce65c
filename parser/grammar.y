/* grammar.y - the Dockerfile grammar over the scanner's line tokens. */
/*
 * A Dockerfile is a sequence of lines. The scanner (lexer/scanner.l) has
 * already cut physical lines into tokens; this grammar groups them into
 * logical instructions: instruction text pieces, line continuations and the
 * comment or blank lines inside them, the end of the line, then any
 * here-document bodies. The meaning of an instruction (keyword, flags,
 * arguments, JSON form) is decided by the helpers in parser/build.c, called
 * from the filter (parser/parse.c) when the end-of-line token arrives, so
 * that the heredoc terminators are known before the next line is scanned.
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
	| instruction	{ ds_ps_instruction_end(ps, @1.off, @1.end); }
	| error EOL	{ ds_ps_recover(ps, @1.off, @2.end); yyerrok; }
	;

instruction:
	  parts EOL heredocs
	;

/* flat on purpose: one reduction per token keeps the parser fast */
parts:
	  INDENT
	| TEXT
	| CONTINUATION
	| CONT_COMMENT
	| CONT_BLANK
	| parts INDENT
	| parts TEXT
	| parts CONTINUATION
	| parts CONT_COMMENT
	| parts CONT_BLANK
	;

heredocs:
	  %empty
	| heredocs heredoc
	;

heredoc:
	  body HEREDOC_END	{ ds_ps_heredoc_end(ps, @$.off, @2.off, @2.end); }
	;

body:
	  %empty
	| body HEREDOC_LINE
	;

%%
