/* parse.c - the parse driver and the filter between scanner and grammar. */
#include "parser/ast.h"

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/source.h"
#include "parser/build.h"
#include "parser/pstate.h"
#include "parser/shellwords.h"
#include "grammar.h"
#include "scanner.h"

#define DS_LINE_LIMIT 65536u      /* bufio.MaxScanTokenSize */
#define DS_DEFAULT_MAX_HEREDOCS 256u

static enum ds_tok_kind tok_kind(int t)
{
	switch (t) {
	case BOM: return DS_T_BOM;
	case DIRECTIVE: return DS_T_DIRECTIVE;
	case COMMENT: return DS_T_COMMENT;
	case BLANK: return DS_T_BLANK;
	case INDENT: return DS_T_INDENT;
	case TEXT: return DS_T_TEXT;
	case CONTINUATION: return DS_T_CONTINUATION;
	case CONT_COMMENT: return DS_T_CONT_COMMENT;
	case CONT_BLANK: return DS_T_CONT_BLANK;
	case HEREDOC_LINE: return DS_T_HEREDOC_LINE;
	case HEREDOC_END: return DS_T_HEREDOC_END;
	default: return DS_T_EOL;
	}
}

static void add_token(struct ds_pstate *ps, enum ds_tok_kind k, uint32_t off, uint32_t end)
{
	struct ds_dockerfile *df = ps->df;
	if (!ps->opts->keep_tokens || end <= off)
		return;
	df->tokens = ds_arena_vec_grow(df->tokens, sizeof *df->tokens, df->ntokens, &ps->captokens);
	struct ds_token *t = &df->tokens[df->ntokens++];
	t->off = off;
	t->len = end - off;
	t->kind = (uint8_t)k;
}

static void fatal(struct ds_pstate *ps, uint32_t off, uint32_t end, const char *msg)
{
	struct ds_dockerfile *df = ps->df;
	ds_diags_add(&df->diags, ps->a, DS_SEV_ERROR, NULL, off, end, msg);
	if (df->fatal < 0)
		df->fatal = (long)df->diags.n - 1;
}

/*
 * The 1-based line of off. Instructions come in file order, so a cursor
 * that walks the line table forward finds them in O(1) amortized; a step
 * back (an instruction's end line, then the next one's start) searches.
 */
static uint32_t line_of(struct ds_pstate *ps, uint32_t off)
{
	const struct ds_source *src = ps->src;
	size_t l = ps->line_cursor;
	if (l >= src->nlines || src->line_starts[l] > off) {
		uint32_t line, col;
		ds_source_linecol(src, off, &line, &col);
		ps->line_cursor = line - 1;
		return line;
	}
	while (l + 1 < src->nlines && src->line_starts[l + 1] <= off)
		l++;
	ps->line_cursor = l;
	return (uint32_t)l + 1;
}

/* reHeredoc: ^(\d*)<<(-?)([^<]*)$ on one raw word; BuildKit's parseHeredoc */
static int parse_heredoc(struct ds_pstate *ps, const char *w, size_t n, struct ds_heredoc *h,
			 const char **err)
{
	size_t i = 0;
	unsigned fd = 0;
	while (i < n && w[i] >= '0' && w[i] <= '9') {
		if (fd < 100000)
			fd = fd * 10 + (unsigned)(w[i] - '0');
		i++;
	}
	if (n - i < 2 || w[i] != '<' || w[i + 1] != '<')
		return 0;
	i += 2;
	int chomp = 0;
	if (i < n && w[i] == '-')
		chomp = 1, i++;
	if (i == n || memchr(w + i, '<', n - i))
		return 0;
	struct ds_shlex lx = { 0 };
	lx.escape = '\\';
	lx.skip_unset_env = true;
	struct ds_shword *words, *raw;
	size_t nw, nraw;
	/* the words are scratch; the error message is copied when reported */
	if (ds_shlex_words(&lx, &ps->tmp, w + i, n - i, &words, &nw, err))
		return -1;
	if (nw != 1)
		return 0;
	lx.raw_quotes = true;
	if (ds_shlex_words(&lx, &ps->tmp, w + i, n - i, &raw, &nraw, err))
		return -1;
	if (nraw != nw) {
		*err = ds_arena_printf(ps->a, "internal lexing of heredoc produced inconsistent results: %.*s",
				       (int)(n - i), w + i);
		return -1;
	}
	size_t q1 = 0, q2 = 0;
	for (size_t k = 0; k < words[0].len; k++)
		q1 += words[0].text[k] == '\'' || words[0].text[k] == '"';
	for (size_t k = 0; k < raw[0].len; k++)
		q2 += raw[0].text[k] == '\'' || raw[0].text[k] == '"';
	h->name = ds_arena_strndup(ps->a, words[0].text, words[0].len);
	h->name_len = (uint32_t)words[0].len;
	h->chomp = chomp;
	h->expand = q1 == q2;
	h->fd = fd;
	return 1;
}

static int has_heredoc_mark(const char *s, size_t n)
{
	for (const char *p = s, *e = s + n; n >= 2 && (p = memchr(p, '<', (size_t)(e - p - 1))); p++)
		if (p[1] == '<')
			return 1;
	return 0;
}

static int can_contain_heredoc(const struct ds_instr *in)
{
	if (in->kind == DS_I_ONBUILD && in->sub)
		in = in->sub;
	if (in->kind != DS_I_RUN && in->kind != DS_I_COPY && in->kind != DS_I_ADD)
		return 0;
	return !in->json;
}

static void find_heredocs(struct ds_pstate *ps, struct ds_instr *in, const char *line, size_t len)
{
	if (!can_contain_heredoc(in) || !has_heredoc_mark(line, len))
		return;
	struct ds_shlex lx = { 0 };
	lx.escape = '\\';
	lx.raw_quotes = true;
	lx.raw_escapes = true;
	lx.skip_unset_env = true;
	struct ds_shword *words;
	size_t nw;
	const char *err = NULL;
	/* what the search allocates is scratch, but for the heredocs it finds */
	ds_arena_reset(&ps->tmp);
	if (ds_shlex_words(&lx, &ps->tmp, line, len, &words, &nw, &err))
		return; /* BuildKit ignores this error */
	unsigned max = ps->opts->max_heredocs ? ps->opts->max_heredocs : DS_DEFAULT_MAX_HEREDOCS;
	struct ds_heredoc *hd = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < nw; i++) {
		struct ds_heredoc h = { 0 };
		int r = parse_heredoc(ps, words[i].text, words[i].len, &h, &err);
		if (r < 0) {
			fatal(ps, in->kw_span.off, in->line_span.end, err);
			break;
		}
		if (r == 0)
			continue;
		if (n >= max) {
			fatal(ps, in->kw_span.off, in->line_span.end,
			      ds_arena_printf(ps->a, "too many heredocs in one instruction (limit %u)", max));
			break;
		}
		hd = ds_arena_grow(&ps->tmp, hd, sizeof *hd, n, &cap);
		hd[n++] = h;
	}
	if (!n)
		return;
	in->heredocs = ds_arena_alloc(ps->a, n * sizeof *in->heredocs);
	memcpy(in->heredocs, hd, n * sizeof *hd);
	in->nheredocs = (uint32_t)n;
	hd = in->heredocs;
	/* the scanner reads these before the next line is searched */
	struct ds_lex_heredoc *lh = ds_arena_alloc(&ps->tmp, n * sizeof *lh);
	for (size_t i = 0; i < n; i++) {
		lh[i].name = hd[i].name;
		lh[i].len = hd[i].name_len;
		lh[i].chomp = hd[i].chomp;
	}
	ps->ls.hd = lh;
	ps->ls.hd_n = (unsigned)n;
	ps->ls.hd_cur = 0;
	ps->cur_hd = 0;
	ds_lex_begin(ps->scanner, DS_LEX_HEREDOC);
}

static void finish_line(struct ds_pstate *ps, uint32_t eol_off)
{
	ps->instrs = ds_arena_vec_grow(ps->instrs, sizeof *ps->instrs, ps->ninstrs, &ps->capinstrs);
	struct ds_instr *in = &ps->instrs[ps->ninstrs];
	memset(in, 0, sizeof *in);
	/* the joined line: the source itself when the line has one piece */
	const char *text = "";
	if (ps->nsegs == 1) {
		text = ps->src->data + ps->segs[0].soff;
	} else if (ps->nsegs > 1) {
		ds_buf_reset(&ps->line);
		ds_buf_grow(&ps->line, ps->line_len);
		for (size_t i = 0; i < ps->nsegs; i++)
			ds_buf_add(&ps->line, ps->src->data + ps->segs[i].soff, ps->segs[i].len);
		text = ps->line.buf;
	}
	struct ds_line L = { text, ps->line_len, ps->segs, ps->nsegs, ps->ls.escape, ps->a, NULL, 0 };
	const char *err = NULL;
	size_t err_off = 0;
	int rc = ds_build_node(&L, 0, L.len, in, 0, &err, &err_off);
	if (L.len == 0)
		in->kw_span.off = in->kw_span.end = ps->line_off;
	in->line_span.off = in->kw_span.off;
	in->line_span.end = eol_off > in->kw_span.off ? eol_off : in->kw_span.off;
	in->span = in->line_span;
	in->start_line = line_of(ps, ps->line_off);
	if (ps->ncomments) {
		in->comments = ps->comments;
		in->ncomments = (uint32_t)ps->ncomments;
	}
	ps->comments = NULL;
	ps->ncomments = ps->capcomments = 0;
	ps->cur = in;
	if (rc)
		fatal(ps, L.len ? ds_line_src(&L, err_off) : ps->line_off, in->line_span.end, err);
	else
		find_heredocs(ps, in, L.text, L.len);
	ps->nsegs = 0;
	ps->line_len = 0;
	ps->in_line = 0;
}

/*
 * The filter: reads the scanner's tokens, records them (--tokens), builds
 * each instruction when its line ends, and hands the grammar one LINE per
 * logical line and one HEREDOC per here-document. An instruction is kept
 * (ds_ps_instruction_end) when the first token after its heredocs arrives:
 * the grammar needs that token as lookahead, so it cannot be the one to say.
 */
int ds_yylex(DS_YYSTYPE *lval, DS_YYLTYPE *lloc, struct ds_pstate *ps)
{
	for (;;) {
		int t = ds_scan_lex(lval, lloc, ps->scanner);
		if (t != 0 && ps->opts->keep_tokens)
			add_token(ps, tok_kind(t), lloc->off, lloc->end);
		switch (t) {
		case INDENT:
		case TEXT:
		case CONTINUATION:
			if (!ps->in_line) {
				ps->in_line = 1;
				ps->line_off = lloc->off;
			}
			if (t == TEXT) {
				if (ps->nsegs == ps->capsegs)
					ps->segs = ds_arena_grow(ps->a, ps->segs, sizeof *ps->segs, ps->nsegs, &ps->capsegs);
				struct ds_seg *s = &ps->segs[ps->nsegs++];
				s->joff = (uint32_t)ps->line_len;
				s->soff = lloc->off;
				s->len = lloc->end - lloc->off;
				ps->line_len += s->len;
			}
			continue;
		case CONT_COMMENT:
		case CONT_BLANK:
			continue;
		case EOL:
			if (ps->cur)
				ds_ps_instruction_end(ps, 0, ps->cur_end);
			if (!ps->in_line)
				ps->line_off = lloc->off;
			finish_line(ps, lloc->off);
			lloc->off = ps->line_off;
			ps->cur_end = lloc->end;
			return LINE;
		case HEREDOC_LINE:
			if (!ps->in_body) {
				ps->in_body = 1;
				ps->body_off = lloc->off;
			}
			continue;
		case HEREDOC_END: {
			uint32_t body = ps->in_body ? ps->body_off : lloc->off;
			ps->in_body = 0;
			ds_ps_heredoc_end(ps, body, lloc->off, lloc->end);
			lloc->off = body;
			if (ps->cur)
				ps->cur_end = lloc->end;
			return HEREDOC;
		}
		default:
			if (ps->cur)
				ds_ps_instruction_end(ps, 0, ps->cur_end);
			return t;
		}
	}
}

void ds_yyerror(DS_YYLTYPE *lloc, struct ds_pstate *ps, const char *msg)
{
	fatal(ps, lloc->off, lloc->end, msg);
}

void ds_ps_comment(struct ds_pstate *ps, uint32_t off, uint32_t end)
{
	/* BuildKit's PrevComment: text after '#', trimmed; an empty one resets */
	const char *s = ps->src->data;
	while (off < end && s[off] != '#')
		off++;
	off++;
	while (end > off && (s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	while (off < end && (s[off] == ' ' || s[off] == '\t'))
		off++;
	if (off >= end) {
		ps->ncomments = 0;
		return;
	}
	ps->comments = ds_arena_grow(ps->a, ps->comments, sizeof *ps->comments, ps->ncomments, &ps->capcomments);
	ps->comments[ps->ncomments++] = ds_arena_strndup(ps->a, s + off, end - off);
}

void ds_ps_heredoc_end(struct ds_pstate *ps, uint32_t body_off, uint32_t term_off, uint32_t term_end)
{
	struct ds_instr *in = ps->cur;
	if (!in || ps->cur_hd >= in->nheredocs)
		return;
	struct ds_heredoc *h = &in->heredocs[ps->cur_hd++];
	h->body.off = body_off;
	h->body.end = term_off;
	h->content = ds_arena_strndup(ps->a, ps->src->data + body_off, term_off - body_off);
	h->content_len = term_off - body_off;
	uint32_t te = term_end;
	while (te > term_off && (ps->src->data[te - 1] == '\n' || ps->src->data[te - 1] == '\r'))
		te--;
	h->terminator.off = term_off;
	h->terminator.end = te;
	if (term_end > in->span.end)
		in->span.end = te;
	if (ps->ls.unterminated) {
		ps->ls.unterminated = 0;
		fatal(ps, in->kw_span.off, in->line_span.end, "unterminated heredoc");
		/* the file ended: the heredocs still waiting are empty, at its end */
		while (ps->cur_hd < in->nheredocs) {
			struct ds_heredoc *r = &in->heredocs[ps->cur_hd++];
			r->body.off = r->body.end = term_off;
			r->terminator = r->body;
			r->content = "";
			r->content_len = 0;
		}
	}
}

void ds_ps_instruction_end(struct ds_pstate *ps, uint32_t off, uint32_t end)
{
	(void)off;
	struct ds_instr *in = ps->cur;
	if (!in)
		return;
	ps->cur = NULL;
	uint32_t last = end > 0 ? end - 1 : 0;
	in->end_line = line_of(ps, last);
	if (in->end_line < in->start_line)
		in->end_line = in->start_line;
	in->index = (uint32_t)ps->ninstrs;
	if (in->sub) {
		in->sub->start_line = in->start_line;
		in->sub->end_line = in->end_line;
		in->sub->heredocs = in->heredocs;
		in->sub->nheredocs = in->nheredocs;
		in->sub->span.end = in->span.end;
	}
	/* in is instrs[ninstrs], the slot it was built in */
	ps->ninstrs++;
}

void ds_ps_recover(struct ds_pstate *ps, uint32_t off, uint32_t end)
{
	(void)off;
	(void)end;
	ps->cur = NULL;
}

/*
 * BuildKit's reader (bufio.Scanner) fails on a physical line longer than
 * its buffer. Returns the offset where the first such line starts, or the
 * length of the file when every line fits.
 */
static size_t first_long_line(const struct ds_source *src, size_t max)
{
	for (size_t l = 0; l < src->nlines; l++) {
		size_t b = src->line_starts[l];
		size_t e = l + 1 < src->nlines ? src->line_starts[l + 1] : src->len + 1;
		/* e - b counts the line end, or one more for a last unterminated line */
		if (e - b > max)
			return b;
	}
	return src->len;
}

int ds_parse(struct ds_arena *a, struct ds_source *src, const struct ds_parse_opts *opts,
	     struct ds_dockerfile *df)
{
	static const struct ds_parse_opts defaults = { 0 };
	if (!opts)
		opts = &defaults;
	memset(df, 0, sizeof *df);
	df->arena = a;
	df->src = src;
	df->fatal = -1;
	df->escape = '\\';
	ds_source_lines(src, a);

	struct ds_pstate ps;
	memset(&ps, 0, sizeof ps);
	ps.a = a;
	ps.src = src;
	ps.df = df;
	ps.opts = opts;
	ps.ls.escape = '\\';
	ps.ls.arena = a;
	ps.ls.src = src->data;
	ps.ls.len = (uint32_t)src->len;

	if (src->len > UINT32_MAX - 4) {
		fatal(&ps, 0, 0, "file too large");
		return -1;
	}
	/*
	 * BuildKit stops reading at a line too long for its scanner and parses
	 * what it read before it: a heredoc still open there is unterminated,
	 * a file with no instruction before it has none, and only when nothing
	 * else failed is the line itself the error. So the scan ends where that
	 * line starts (two NUL bytes stand in for it meanwhile).
	 */
	size_t max_line = opts->max_line ? opts->max_line : DS_LINE_LIMIT;
	size_t stop = first_long_line(src, max_line);
	ps.ls.len = (uint32_t)stop;
	char held[2] = { 0, 0 };
	if (stop < src->len) {
		memcpy(held, src->data + stop, 2);
		src->data[stop] = src->data[stop + 1] = '\0';
	}

	uint32_t start = 0;
	if (stop >= 3 && !memcmp(src->data, "\xEF\xBB\xBF", 3)) {
		start = 3;
		add_token(&ps, DS_T_BOM, 0, 3);
	}
	ps.ls.pos = start;
	ds_scan_lex_init_extra(&ps.ls, &ps.scanner);
	YY_BUFFER_STATE bs = ds_scan__scan_buffer(src->data + start, stop - start + 2, ps.scanner);
	ds_lex_begin(ps.scanner, DS_LEX_DIRECTIVES);
	ds_yyparse(&ps);
	ds_scan__delete_buffer(bs, ps.scanner);
	ds_scan_lex_destroy(ps.scanner);
	ds_buf_release(&ps.line);
	ds_arena_release(&ps.tmp);

	if (stop < src->len) {
		memcpy(src->data + stop, held, 2);
		/* the bytes BuildKit never reads are one token, so the tokens still tile the file */
		add_token(&ps, DS_T_UNREAD, (uint32_t)stop, (uint32_t)src->len);
		if (df->fatal < 0 && ps.ninstrs)
			fatal(&ps, (uint32_t)stop, (uint32_t)stop,
			      ds_arena_printf(a, "dockerfile line greater than max allowed size of %zu", max_line - 1));
	}

	ds_arena_vec_adopt(a, df->tokens);
	df->escape = ps.ls.escape;
	if (ps.ls.ndirs) {
		df->directives = ds_arena_alloc(a, ps.ls.ndirs * sizeof *df->directives);
		for (unsigned i = 0; i < ps.ls.ndirs; i++) {
			df->directives[i].name = ps.ls.dirs[i].name;
			df->directives[i].value = ps.ls.dirs[i].value;
			df->directives[i].value_len = ps.ls.dirs[i].value_len;
			df->directives[i].span.off = ps.ls.dirs[i].off;
			df->directives[i].span.end = ps.ls.dirs[i].end;
		}
		df->ndirectives = ps.ls.ndirs;
	}
	if (ps.ls.dir_error) {
		/* directive errors come first in BuildKit: they stop the first line */
		ds_diags_add(&df->diags, a, DS_SEV_ERROR, NULL, ps.ls.dir_error_off, ps.ls.dir_error_off,
			     ps.ls.dir_error);
		df->fatal = (long)df->diags.n - 1;
	}
	if (ps.ninstrs) {
		/* the vector becomes the arena's: no copy of the instructions */
		ds_arena_vec_adopt(a, ps.instrs);
		df->instrs = ps.instrs;
		for (size_t i = 0; i < ps.ninstrs; i++)
			if (df->instrs[i].sub)
				df->instrs[i].sub->parent = &df->instrs[i];
	} else {
		ds_arena_vec_free(ps.instrs);
	}
	df->ninstrs = (uint32_t)ps.ninstrs;
	if (df->ninstrs) {
		df->root_start_line = df->instrs[0].start_line;
		df->root_end_line = df->instrs[df->ninstrs - 1].end_line;
	} else if (df->fatal < 0) {
		fatal(&ps, 0, 0, "file with no instructions");
	}
	return df->fatal < 0 ? 0 : -1;
}
