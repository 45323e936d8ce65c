/* pstate.h - the parse state shared by the grammar actions and the filter. */
#ifndef DS_PARSER_PSTATE_H
#define DS_PARSER_PSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "lexer/lexstate.h"
#include "parser/build.h"

struct ds_source;
struct ds_dockerfile;
struct ds_instr;
struct ds_parse_opts;

struct ds_pstate {
	void *scanner;
	struct ds_lexstate ls;
	struct ds_arena *a;
	struct ds_arena tmp;     /* scratch for one line's heredoc search, reset per line */
	struct ds_source *src;
	struct ds_dockerfile *df;
	const struct ds_parse_opts *opts;

	/* the logical line being read */
	struct ds_buf line;      /* joined text when the line has several pieces */
	size_t line_len;
	struct ds_seg *segs;
	size_t nsegs, capsegs;
	int in_line;
	uint32_t line_off;       /* first byte of the line's first token */
	uint32_t line_text_off;  /* first byte of instruction text */

	/*
	 * Built at EOL in the free slot after the last instruction (instrs[ninstrs]),
	 * completed by its heredocs, kept when the grammar reduces it (a line the
	 * grammar drops is overwritten by the next one).
	 */
	struct ds_instr *cur;
	unsigned cur_hd;
	uint32_t cur_end;        /* end of cur's last token (its line or its last heredoc) */
	int in_body;             /* heredoc lines are being read */
	uint32_t body_off;       /* where the heredoc body being read starts */

	struct ds_instr *instrs; /* a vector (ds_arena_vec_grow) the arena adopts at the end */
	size_t ninstrs, capinstrs;
	const char **comments;
	size_t ncomments, capcomments;
	size_t captokens;
	uint32_t last_end;       /* end of the last token with bytes */
	size_t line_cursor;      /* index in the line table of the last line looked up */
};

void ds_ps_comment(struct ds_pstate *ps, uint32_t off, uint32_t end);
void ds_ps_heredoc_end(struct ds_pstate *ps, uint32_t body_off, uint32_t term_off, uint32_t term_end);
void ds_ps_instruction_end(struct ds_pstate *ps, uint32_t off, uint32_t end);
void ds_ps_recover(struct ds_pstate *ps, uint32_t off, uint32_t end);

#endif
