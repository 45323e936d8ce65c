/* shellwords.c - BuildKit's word processor (frontend/dockerfile/shell/lex.go) in C; see shellwords.h. */
#include "shellwords.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "parser/gounicode.h"

/*
 * The reading follows lex.go function by function (processStopOn,
 * processDollar, processName, processSingleQuote, processDoubleQuote,
 * processPossibleHeredoc, convertShellPatternToRegex, trimPrefix,
 * trimSuffix) so that a difference from BuildKit can be found by reading
 * the two side by side. Where Go's libraries decide the result (text/scanner,
 * regexp) their rules are written out here; Go's Unicode classes and
 * strconv.Quote are parser/gounicode.h's.
 */

#define SW_EOF (-1)
#define SW_UNREAD (-2)
#define RUNE_ERROR 0xFFFD
#define SW_STR_(x) #x
#define SW_STR(x) SW_STR_(x)

/* ---- Unicode classes as Go's unicode package has them (parser/gounicode.h) ---- */

/* unicode.IsLetter */
static bool is_letter(int32_t r)
{
	return r >= 0 && ds_go_isletter((uint32_t)r);
}

/* unicode.IsDigit */
static bool is_digit(int32_t r)
{
	return r >= 0 && ds_go_isdigit((uint32_t)r);
}

/* unicode.IsSpace */
static bool is_space(int32_t r)
{
	switch (r) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	default:
		return r >= 0x2000 && r <= 0x200A;
	}
}

/* ---- UTF-8 as Go reads and writes it ---- */

/* utf8.DecodeRune: an invalid or truncated sequence is RUNE_ERROR of width 1. n > 0. */
static int32_t utf8_decode(const unsigned char *s, size_t n, size_t *w)
{
	unsigned c0 = s[0], lo = 0x80, hi = 0xBF;
	size_t need;
	uint32_t r;

	*w = 1;
	if (c0 < 0x80)
		return (int32_t)c0;
	if (c0 >= 0xC2 && c0 <= 0xDF) {
		need = 2;
		r = c0 & 0x1F;
	} else if (c0 >= 0xE0 && c0 <= 0xEF) {
		need = 3;
		r = c0 & 0x0F;
		if (c0 == 0xE0)
			lo = 0xA0;
		else if (c0 == 0xED)
			hi = 0x9F;
	} else if (c0 >= 0xF0 && c0 <= 0xF4) {
		need = 4;
		r = c0 & 0x07;
		if (c0 == 0xF0)
			lo = 0x90;
		else if (c0 == 0xF4)
			hi = 0x8F;
	} else {
		return RUNE_ERROR;
	}
	if (n < need || s[1] < lo || s[1] > hi)
		return RUNE_ERROR;
	r = r << 6 | (s[1] & 0x3Fu);
	for (size_t i = 2; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return RUNE_ERROR;
		r = r << 6 | (s[i] & 0x3Fu);
	}
	*w = need;
	return (int32_t)r;
}

/* Encodes r into dst (4 bytes room) as Go's string(r) does: what is no rune becomes U+FFFD. */
static size_t rune_to(char *dst, int32_t r)
{
	uint32_t c = (uint32_t)r;
	if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		c = RUNE_ERROR;
	if (c < 0x80) {
		dst[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		dst[0] = (char)(0xC0 | c >> 6);
		dst[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		dst[0] = (char)(0xE0 | c >> 12);
		dst[1] = (char)(0x80 | (c >> 6 & 0x3F));
		dst[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	dst[0] = (char)(0xF0 | c >> 18);
	dst[1] = (char)(0x80 | (c >> 12 & 0x3F));
	dst[2] = (char)(0x80 | (c >> 6 & 0x3F));
	dst[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static void put_rune(struct ds_buf *b, int32_t r)
{
	char t[4];
	if (r >= 0 && r < 0x80) {
		ds_buf_addc(b, (char)r);
		return;
	}
	ds_buf_add(b, t, rune_to(t, r));
}

/* Decodes s into runes as Go's []rune(s) and range do; *off (if wanted) gets n+1 byte offsets. */
static int32_t *decode_runes(const char *s, size_t n, size_t *nr, size_t **off)
{
	int32_t *r = ds_xmalloc(sizeof *r * (n ? n : 1));
	size_t *o = off ? ds_xmalloc(sizeof *o * (n + 1)) : NULL;
	size_t k = 0, i = 0;
	while (i < n) {
		size_t w;
		if (o)
			o[k] = i;
		r[k++] = utf8_decode((const unsigned char *)s + i, n - i, &w);
		i += w;
	}
	if (o)
		o[k] = n;
	*nr = k;
	if (off)
		*off = o;
	return r;
}

/* ---- Go's text/scanner, as far as Peek and Next go ---- */

struct scan {
	const unsigned char *src;
	size_t len, pos;
	int32_t ch; /* the rune Peek returns; SW_UNREAD before the first */
};

static void scan_init(struct scan *s, const char *src, size_t len)
{
	s->src = (const unsigned char *)src;
	s->len = len;
	s->pos = 0;
	s->ch = SW_UNREAD;
}

static int32_t scan_read(struct scan *s)
{
	size_t w;
	if (s->pos >= s->len)
		return SW_EOF;
	int32_t r = utf8_decode(s->src + s->pos, s->len - s->pos, &w);
	s->pos += w;
	return r;
}

static int32_t scan_peek(struct scan *s)
{
	if (s->ch == SW_UNREAD) {
		s->ch = scan_read(s);
		if (s->ch == 0xFEFF) /* a byte-order mark at the start is skipped */
			s->ch = scan_read(s);
	}
	return s->ch;
}

static int32_t scan_next(struct scan *s)
{
	int32_t c = scan_peek(s);
	if (c != SW_EOF)
		s->ch = scan_read(s);
	return c;
}

/* ---- the word processor ---- */

struct sw_word {
	size_t off, len;
};

struct sw {
	const struct ds_shlex *lx;
	struct scan sc;
	int32_t esc;
	bool raw_escapes; /* changes while a ${} word is read, as in lex.go */
	unsigned depth;   /* ${...} words being read */
	struct ds_buf err; /* BuildKit's message, without the "failed to process" wrapper */
	/* word splitting, done only at the top level (nested words are discarded upstream) */
	bool split;
	bool in_word;
	struct ds_buf wbuf;  /* the word being built; BuildKit shares it with nested levels */
	struct ds_buf wtext; /* finished words, each followed by a NUL */
	struct sw_word *wv;
	size_t nw, wcap;
	size_t inserted;     /* bytes of variable values inserted so far (for the budget) */
};

static void fail(struct sw *w, const char *msg)
{
	ds_buf_reset(&w->err);
	ds_buf_adds(&w->err, msg);
}

static void fail_unsupported(struct sw *w, const char *chs, size_t n)
{
	ds_buf_reset(&w->err);
	ds_buf_adds(&w->err, "unsupported modifier (");
	ds_buf_add(&w->err, chs, n);
	ds_buf_adds(&w->err, ") in substitution");
}

static void add_buf(struct ds_buf *dst, const struct ds_buf *src)
{
	if (src->len)
		ds_buf_add(dst, src->buf, src->len);
}

/* wordsStruct: getWords' push of the current word */
static void words_push(struct sw *w)
{
	if (w->nw == w->wcap) {
		w->wcap = w->wcap ? 2 * w->wcap : 8;
		w->wv = ds_xrealloc(w->wv, sizeof *w->wv * w->wcap);
	}
	w->wv[w->nw].off = w->wtext.len;
	w->wv[w->nw].len = w->wbuf.len;
	w->nw++;
	add_buf(&w->wtext, &w->wbuf);
	ds_buf_addc(&w->wtext, '\0');
	ds_buf_reset(&w->wbuf);
	w->in_word = false;
}

static void words_raw_rune(struct sw *w, int32_t r)
{
	put_rune(&w->wbuf, r);
	w->in_word = true;
}

/* addChar: unquoted whitespace ends a word */
static void words_char(struct sw *w, int32_t r)
{
	if (is_space(r)) {
		if (w->in_word && w->wbuf.len)
			words_push(w);
	} else {
		words_raw_rune(w, r);
	}
}

/* addString: an expansion, split like unquoted text (rune by rune, as Go's range reads) */
static void words_string(struct sw *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k;
		int32_t r = utf8_decode((const unsigned char *)s + i, n - i, &k);
		i += k;
		words_char(w, r);
	}
}

/* addRawString: quoted text, kept whole */
static void words_raw_string(struct sw *w, const char *s, size_t n)
{
	if (n)
		ds_buf_add(&w->wbuf, s, n);
	w->in_word = true;
}

static const char *get_env(struct sw *w, const struct ds_buf *name, size_t *vlen, bool *set)
{
	const char *nm = name->len ? name->buf : "";
	const char *v = NULL;
	size_t vl = 0;
	if (w->lx->lookup)
		v = w->lx->lookup(w->lx->ctx, nm, name->len, &vl);
	*set = v != NULL;
	if (!v) {
		v = "";
		vl = 0;
	}
	w->inserted += vl;
	if (w->lx->on_var)
		w->lx->on_var(w->lx->ctx, nm, name->len, *set);
	*vlen = vl;
	return v;
}

static int stop_on(struct sw *w, int32_t stop, bool raw_escapes, struct ds_buf *out);

void ds_shlex_budget_init(struct ds_shlex_budget *b)
{
	b->value_max = DS_SHLEX_VALUE_MAX;
	b->left = DS_SHLEX_FILE_MAX;
	b->spent = false;
}

/*
 * Whether the budget stops the expansion now that out holds len bytes:
 * checked after each $ expansion, so a doubling value stops as soon as it
 * passes a bound, before it is copied again.
 */
static bool over_budget(struct sw *w, size_t len)
{
	struct ds_shlex_budget *b = w->lx->budget;
	if (!b)
		return false;
	if (b->spent) {
		fail(w, "the variable expansions of this file already passed their budget");
		return true;
	}
	if (len > b->value_max) {
		ds_buf_reset(&w->err);
		ds_buf_addf(&w->err, "expansion larger than %zu bytes (the limit of one value)", b->value_max);
	} else if (w->inserted > b->left) {
		ds_buf_reset(&w->err);
		ds_buf_addf(&w->err, "variable expansions of this file larger than %zu bytes in all (the limit of one file)",
			    (size_t)DS_SHLEX_FILE_MAX);
	} else {
		return false;
	}
	b->spent = true;
	return true;
}

/*
 * Appends a variable's value to out, unless that would take out past the
 * budget's bound for one value: a doubling value fails before it is copied.
 */
static int add_value(struct sw *w, struct ds_buf *out, const char *v, size_t vl)
{
	if (over_budget(w, out->len + vl))
		return -1;
	if (vl)
		ds_buf_add(out, v, vl);
	return 0;
}

/* processSingleQuote: everything up to the next ' as is */
static int single_quote(struct sw *w, struct ds_buf *out)
{
	int32_t ch = scan_next(&w->sc);
	if (w->lx->raw_quotes)
		put_rune(out, ch);
	for (;;) {
		ch = scan_next(&w->sc);
		if (ch == SW_EOF) {
			fail(w, "unexpected end of statement while looking for matching single-quote");
			return -1;
		}
		if (ch == '\'') {
			if (w->lx->raw_quotes)
				put_rune(out, ch);
			return 0;
		}
		put_rune(out, ch);
	}
}

static int dollar(struct sw *w, struct ds_buf *out);

/* processDoubleQuote: $ expands; the escape only escapes ", $ and itself */
static int double_quote(struct sw *w, struct ds_buf *out)
{
	int32_t ch = scan_next(&w->sc);
	if (w->lx->raw_quotes)
		put_rune(out, ch);
	for (;;) {
		int32_t p = scan_peek(&w->sc);
		if (p == SW_EOF) {
			fail(w, "unexpected end of statement while looking for matching double-quote");
			return -1;
		}
		if (p == '"') {
			ch = scan_next(&w->sc);
			if (w->lx->raw_quotes)
				put_rune(out, ch);
			return 0;
		}
		if (p == '$') {
			if (dollar(w, out))
				return -1;
			continue;
		}
		ch = scan_next(&w->sc);
		if (ch == w->esc) {
			if (w->raw_escapes)
				put_rune(out, ch);
			p = scan_peek(&w->sc);
			if (p == SW_EOF)
				continue; /* an escape at the end is dropped; the loop then fails */
			if (p == '"' || p == '$' || p == w->esc)
				ch = scan_next(&w->sc);
		}
		put_rune(out, ch);
	}
}

/* processPossibleHeredoc: "<<" keeps the blanks after it, so "<< EOF" stays one word */
static void possible_heredoc(struct sw *w, struct ds_buf *out)
{
	scan_next(&w->sc);
	if (scan_peek(&w->sc) != '<') {
		ds_buf_addc(out, '<');
		return;
	}
	scan_next(&w->sc);
	ds_buf_add(out, "<<", 2);
	for (int32_t c = scan_peek(&w->sc); c == ' ' || c == '\t' || c == '\r'; c = scan_peek(&w->sc)) {
		ds_buf_addc(out, (char)c);
		scan_next(&w->sc);
	}
}

static bool is_special_param(int32_t c)
{
	switch (c) {
	case '@': case '*': case '#': case '?': case '-': case '$': case '!': case '0':
		return true;
	default:
		return false;
	}
}

/* processName: digits, or one special parameter, or letters, digits and _ */
static void read_name(struct sw *w, struct ds_buf *name)
{
	for (;;) {
		int32_t c = scan_peek(&w->sc);
		if (c == SW_EOF)
			return;
		if (!name->len && is_digit(c)) {
			while ((c = scan_peek(&w->sc)) != SW_EOF && is_digit(c))
				put_rune(name, scan_next(&w->sc));
			return;
		}
		if (!name->len && is_special_param(c)) {
			put_rune(name, scan_next(&w->sc));
			return;
		}
		if (!is_letter(c) && !is_digit(c) && c != '_')
			return;
		put_rune(name, scan_next(&w->sc));
	}
}

/* ---- patterns: convertShellPatternToRegex and Go's regexp on the result ---- */

/*
 * A pattern is a list of tokens: a rune (>= 0), ANY (`?`, Go's `.`) or STAR
 * (`*`, `.*` or `.*?`). Consecutive stars are one: they match the same
 * spans, and the preferred end (below) does not depend on how the stars
 * share it. Neither ANY nor STAR crosses a newline.
 *
 * Go's regexp picks the leftmost match, and from that start the one a
 * backtracking matcher meets first. For a pattern of this shape that is the
 * furthest end when stars are greedy and the nearest when they are lazy: if
 * another match ended further than the greedy one, its first star ending
 * further could be stretched from the greedy one's start of that star, a
 * match the backtracker would have met first. So a set-of-states simulation
 * (bit-parallel NFA) gives the same spans without backtracking.
 */
#define TOK_ANY (-2)
#define TOK_STAR (-3)
#define NO_MATCH SIZE_MAX

struct nfa {
	const int32_t *tok;
	size_t n;         /* states 0..n; n is the match */
	size_t nwords;    /* uint64_t words per state set */
	uint64_t *cur, *nxt, *init;
	uint64_t *mem; /* the one allocation behind cur, nxt and init */
};

static void set_bit(uint64_t *d, size_t k)
{
	d[k / 64] |= (uint64_t)1 << (k % 64);
}

static bool get_bit(const uint64_t *d, size_t k)
{
	return (d[k / 64] >> (k % 64)) & 1;
}

/* adds the states a star reaches by matching nothing */
static void nfa_close(const struct nfa *m, uint64_t *d)
{
	for (size_t k = 0; k < m->n; k++)
		if (m->tok[k] == TOK_STAR && get_bit(d, k))
			set_bit(d, k + 1);
}

static void nfa_init(struct nfa *m, const int32_t *tok, size_t n)
{
	m->tok = tok;
	m->n = n;
	m->nwords = n / 64 + 1;
	m->mem = ds_xcalloc(3 * m->nwords, sizeof(uint64_t));
	m->cur = m->mem;
	m->nxt = m->cur + m->nwords;
	m->init = m->nxt + m->nwords;
	set_bit(m->init, 0);
	nfa_close(m, m->init);
}

static void nfa_release(struct nfa *m)
{
	free(m->mem);
}

/* m->nxt = the states m->cur moves to on r; returns whether any */
static bool nfa_step(struct nfa *m, int32_t r)
{
	bool any = false;
	memset(m->nxt, 0, m->nwords * sizeof(uint64_t));
	for (size_t wi = 0; wi < m->nwords; wi++) {
		uint64_t x = m->cur[wi];
		while (x) {
			size_t k = wi * 64 + (size_t)__builtin_ctzll(x);
			x &= x - 1;
			if (k >= m->n)
				continue;
			int32_t t = m->tok[k];
			if (t == TOK_STAR) {
				if (r != '\n')
					set_bit(m->nxt, k), any = true;
			} else if (t == TOK_ANY) {
				if (r != '\n')
					set_bit(m->nxt, k + 1), any = true;
			} else if (t == r) {
				set_bit(m->nxt, k + 1), any = true;
			}
		}
	}
	nfa_close(m, m->nxt);
	uint64_t *t = m->cur;
	m->cur = m->nxt;
	m->nxt = t;
	return any;
}

/* The end (a rune index) of the preferred match starting at runes[s], or NO_MATCH. */
static size_t nfa_end(struct nfa *m, const int32_t *runes, size_t nr, size_t s, bool greedy)
{
	size_t best = NO_MATCH;
	memcpy(m->cur, m->init, m->nwords * sizeof(uint64_t));
	for (size_t i = s;; i++) {
		if (get_bit(m->cur, m->n)) {
			best = i;
			if (!greedy)
				break;
		}
		if (i == nr || !nfa_step(m, runes[i]))
			break;
	}
	return best;
}

/*
 * Marks in start[0..nr] the rune indexes where some match begins: the
 * reversed pattern run backwards over the runes, entered at every position.
 */
static void nfa_starts(struct nfa *rev, const int32_t *runes, size_t nr, unsigned char *start)
{
	memset(rev->cur, 0, rev->nwords * sizeof(uint64_t));
	for (size_t i = nr;; i--) {
		for (size_t k = 0; k < rev->nwords; k++)
			rev->cur[k] |= rev->init[k];
		start[i] = get_bit(rev->cur, rev->n);
		if (i == 0)
			break;
		nfa_step(rev, runes[i - 1]);
	}
}

struct pattern {
	int32_t *tok;
	size_t n;
};

/*
 * convertShellPatternToRegex: reads pat with a text/scanner of its own.
 * Returns -1 with BuildKit's message (which quotes the pattern as given).
 */
static int pattern_compile(struct sw *w, const char *pat, size_t plen, struct pattern *pt)
{
	struct scan s;
	scan_init(&s, pat, plen);
	pt->tok = ds_xmalloc(sizeof *pt->tok * (plen ? plen : 1));
	pt->n = 0;
	for (int32_t tok = scan_next(&s); tok != SW_EOF; tok = scan_next(&s)) {
		if (tok == '*') {
			if (!pt->n || pt->tok[pt->n - 1] != TOK_STAR)
				pt->tok[pt->n++] = TOK_STAR;
			continue;
		}
		if (tok == '?') {
			pt->tok[pt->n++] = TOK_ANY;
			continue;
		}
		if (tok == '\\') {
			int32_t p = scan_peek(&s);
			if (p == '}' || p == '/')
				continue; /* escaped for ${}, no part of the pattern */
			tok = scan_next(&s);
			if (tok != '*' && tok != '?' && tok != '\\') {
				ds_buf_reset(&w->err);
				ds_buf_adds(&w->err, "invalid pattern (");
				ds_buf_add(&w->err, pat, plen);
				ds_buf_adds(&w->err, ") in substitution: invalid escape '\\");
				put_rune(&w->err, tok);
				ds_buf_addc(&w->err, '\'');
				free(pt->tok);
				pt->tok = NULL;
				return -1;
			}
		}
		pt->tok[pt->n++] = tok;
	}
	return 0;
}

/* trimPrefix: value without the preferred match of pat anchored at its start */
static int trim_prefix(struct sw *w, const char *pat, size_t plen, const char *v, size_t vl,
		       bool greedy, struct ds_buf *out)
{
	struct pattern pt;
	struct nfa m;
	size_t nr, *off;
	if (pattern_compile(w, pat, plen, &pt))
		return -1;
	int32_t *runes = decode_runes(v, vl, &nr, &off);
	nfa_init(&m, pt.tok, pt.n);
	size_t end = nfa_end(&m, runes, nr, 0, greedy);
	size_t from = end == NO_MATCH ? 0 : off[end];
	if (vl > from)
		ds_buf_add(out, v + from, vl - from);
	nfa_release(&m);
	free(runes);
	free(off);
	free(pt.tok);
	return 0;
}

/*
 * trimSuffix: BuildKit reverses the value and the pattern (keeping each
 * escape before what it escapes) and trims a prefix. The value goes through
 * []rune, so bytes that are not UTF-8 come out as U+FFFD.
 */
static int trim_suffix(struct sw *w, const char *pat, size_t plen, const char *v, size_t vl,
		       bool greedy, struct ds_buf *out)
{
	size_t np, nr;
	int32_t *p = decode_runes(pat, plen, &np, NULL);
	int32_t *rp = ds_xmalloc(sizeof *rp * (np ? np : 1));
	for (size_t i = 0; i < np;) {
		size_t oi = np - 1 - i;
		if (p[i] == '\\' && i != np - 1) {
			rp[oi - 1] = p[i];
			rp[oi] = p[i + 1];
			i += 2;
		} else {
			rp[oi] = p[i];
			i++;
		}
	}
	struct ds_buf rpat = DS_BUF_INIT;
	for (size_t i = 0; i < np; i++)
		put_rune(&rpat, rp[i]);
	free(p);
	free(rp);

	struct pattern pt;
	if (pattern_compile(w, rpat.buf ? rpat.buf : "", rpat.len, &pt)) {
		ds_buf_release(&rpat);
		return -1;
	}
	ds_buf_release(&rpat);

	int32_t *runes = decode_runes(v, vl, &nr, NULL);
	for (size_t i = 0; i < nr / 2; i++) {
		int32_t t = runes[i];
		runes[i] = runes[nr - 1 - i];
		runes[nr - 1 - i] = t;
	}
	struct nfa m;
	nfa_init(&m, pt.tok, pt.n);
	size_t end = nfa_end(&m, runes, nr, 0, greedy);
	size_t keep = end == NO_MATCH ? nr : nr - end;
	/* runes are reversed: the kept part is the tail, written back to front */
	for (size_t i = 0; i < keep; i++)
		put_rune(out, runes[nr - 1 - i]);
	nfa_release(&m);
	free(runes);
	free(pt.tok);
	return 0;
}

/*
 * regexp's expand for ReplaceAllString with no capture groups: $$ is $, $0
 * and ${0} the match, other well-formed $name or ${name} nothing, and a
 * malformed $ itself.
 */
static void expand_template(struct ds_buf *out, const char *t, size_t tl, const char *m, size_t ml)
{
	size_t i = 0;
	while (i < tl) {
		const char *d = memchr(t + i, '$', tl - i);
		if (!d)
			break;
		size_t k = (size_t)(d - t);
		if (k > i)
			ds_buf_add(out, t + i, k - i);
		i = k + 1;
		if (i < tl && t[i] == '$') {
			ds_buf_addc(out, '$');
			i++;
			continue;
		}
		size_t j = i;
		bool brace = j < tl && t[j] == '{';
		if (brace)
			j++;
		size_t ns = j;
		while (j < tl) {
			size_t wd;
			int32_t r = utf8_decode((const unsigned char *)t + j, tl - j, &wd);
			if (!is_letter(r) && !is_digit(r) && r != '_')
				break;
			j += wd;
		}
		size_t ne = j;
		if (ne == ns || (brace && (j >= tl || t[j] != '}'))) {
			ds_buf_addc(out, '$'); /* malformed: the $ is text */
			continue;
		}
		if (brace)
			j++;
		long num = 0;
		for (size_t q = ns; q < ne; q++) {
			if (t[q] < '0' || t[q] > '9' || num >= 100000000L) {
				num = -1;
				break;
			}
			num = num * 10 + (t[q] - '0');
		}
		if (t[ns] == '0' && ne - ns > 1)
			num = -1;
		if (num == 0 && ml)
			ds_buf_add(out, m, ml);
		i = j;
	}
	if (tl > i)
		ds_buf_add(out, t + i, tl - i);
}

/* ${V/pat/repl} (FindStringIndex) and ${V//pat/repl} (ReplaceAllString), greedy, unanchored */
static int replace(struct sw *w, const char *pat, size_t plen, const char *repl, size_t rl,
		   const char *v, size_t vl, bool all, struct ds_buf *out)
{
	struct pattern pt;
	if (pattern_compile(w, pat, plen, &pt))
		return -1;
	size_t nr, *off;
	int32_t *runes = decode_runes(v, vl, &nr, &off);
	int32_t *rtok = ds_xmalloc(sizeof *rtok * (pt.n ? pt.n : 1));
	for (size_t i = 0; i < pt.n; i++)
		rtok[i] = pt.tok[pt.n - 1 - i];
	unsigned char *start = ds_xmalloc(nr + 1);
	struct nfa m, rev;
	nfa_init(&rev, rtok, pt.n);
	nfa_starts(&rev, runes, nr, start);
	nfa_release(&rev);
	nfa_init(&m, pt.tok, pt.n);

	size_t last = 0;   /* byte end of the previous match */
	size_t search = 0; /* rune index to search from */
	while (search <= nr) {
		size_t j = search;
		while (j <= nr && !start[j])
			j++;
		if (j > nr)
			break;
		size_t e = nfa_end(&m, runes, nr, j, true);
		size_t a0 = off[j], a1 = off[e];
		if (a0 > last)
			ds_buf_add(out, v + last, a0 - last);
		if (!all) {
			if (rl)
				ds_buf_add(out, repl, rl);
			last = a1;
			break;
		}
		/* no replacement for an empty match right after the previous one */
		if (a1 > last || a0 == 0)
			expand_template(out, repl, rl, v + a0, a1 - a0);
		last = a1;
		search = e == search ? search + 1 : e;
		if (out->len > DS_SHLEX_MAX_RESULT)
			break;
	}
	if (vl > last && out->len <= DS_SHLEX_MAX_RESULT)
		ds_buf_add(out, v + last, vl - last);
	int rc = 0;
	if (out->len > DS_SHLEX_MAX_RESULT) {
		/* nested ${V//p/r} grow geometrically: bound what one may produce */
		fail(w, "syntax error: ${...} replacement result larger than " SW_STR(DS_SHLEX_MAX_RESULT) " bytes");
		rc = -1;
	}
	nfa_release(&m);
	free(start);
	free(rtok);
	free(runes);
	free(off);
	free(pt.tok);
	return rc;
}

/* ---- processDollar ---- */

static void add_braced(struct ds_buf *out, const struct ds_buf *name, const char *mid, size_t nmid,
		       const struct ds_buf *word)
{
	ds_buf_add(out, "${", 2);
	add_buf(out, name);
	if (nmid)
		ds_buf_add(out, mid, nmid);
	if (word)
		add_buf(out, word);
	ds_buf_addc(out, '}');
}

/* ${V/pat/repl} and ${V//pat/repl}, after the first / */
static int dollar_replace(struct sw *w, const struct ds_buf *name, struct ds_buf *out)
{
	struct ds_buf pat = DS_BUF_INIT, repl = DS_BUF_INIT;
	const char *v;
	size_t vl;
	bool set;
	int rc = -1;
	bool all = scan_peek(&w->sc) == '/';
	if (all)
		scan_next(&w->sc);
	if (stop_on(w, '/', true, &pat)) {
		if (scan_peek(&w->sc) == SW_EOF)
			fail(w, "syntax error: missing '/' in ${}");
		goto done;
	}
	if (stop_on(w, '}', true, &repl)) {
		if (scan_peek(&w->sc) == SW_EOF)
			fail(w, "syntax error: missing '}'");
		goto done;
	}
	v = get_env(w, name, &vl, &set);
	if (w->lx->skip_unset_env && !set) {
		/* as BuildKit writes it back: one slash even for // */
		ds_buf_add(out, "${", 2);
		add_buf(out, name);
		ds_buf_addc(out, '/');
		add_buf(out, &pat);
		ds_buf_addc(out, '/');
		add_buf(out, &repl);
		ds_buf_addc(out, '}');
		rc = 0;
		goto done;
	}
	rc = replace(w, pat.buf ? pat.buf : "", pat.len, repl.buf ? repl.buf : "", repl.len, v, vl, all, out);
done:
	ds_buf_release(&pat);
	ds_buf_release(&repl);
	return rc;
}

/* processDollar: appends the expansion of the $... at the scanner to out */
static int dollar(struct sw *w, struct ds_buf *out)
{
	struct ds_buf name = DS_BUF_INIT, word = DS_BUF_INIT;
	char chs[8];
	size_t nchs;
	const char *v;
	size_t vl;
	bool set, null_is_unset = false, empty;
	int32_t ch, p;
	int rc = -1;

	scan_next(&w->sc);
	if (scan_peek(&w->sc) != '{') {
		read_name(w, &name);
		if (!name.len) {
			ds_buf_addc(out, '$');
		} else {
			v = get_env(w, &name, &vl, &set);
			if (!set && w->lx->skip_unset_env) {
				ds_buf_addc(out, '$');
				add_buf(out, &name);
			} else if (add_value(w, out, v, vl)) {
				goto done;
			}
		}
		rc = 0;
		goto done;
	}

	scan_next(&w->sc);
	p = scan_peek(&w->sc);
	if (p == SW_EOF) {
		fail(w, "syntax error: missing '}'");
		goto done;
	}
	if (p == '{' || p == '}' || p == ':') {
		fail(w, "syntax error: bad substitution");
		goto done;
	}
	read_name(w, &name);
	ch = scan_next(&w->sc);
	nchs = rune_to(chs, ch);

	if (ch == '}') {
		v = get_env(w, &name, &vl, &set);
		if (!set && w->lx->skip_unset_env)
			add_braced(out, &name, NULL, 0, NULL);
		else if (add_value(w, out, v, vl))
			goto done;
		rc = 0;
		goto done;
	}
	if (ch == '/') {
		rc = dollar_replace(w, &name, out);
		goto done;
	}
	if (ch == ':') {
		null_is_unset = true;
		ch = scan_next(&w->sc);
		nchs += rune_to(chs + nchs, ch);
	} else if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
		fail_unsupported(w, chs, nchs);
		goto done;
	}
	bool raw = ch == '#' || ch == '%';
	if (null_is_unset && raw) {
		fail_unsupported(w, chs, nchs);
		goto done;
	}
	if (stop_on(w, '}', raw, &word)) {
		if (scan_peek(&w->sc) == SW_EOF)
			fail(w, "syntax error: missing '}'");
		goto done;
	}
	v = get_env(w, &name, &vl, &set);
	if (w->lx->skip_unset_env && !set) {
		add_braced(out, &name, chs, nchs, &word);
		rc = 0;
		goto done;
	}
	empty = !set || (null_is_unset && vl == 0);
	switch (ch) {
	case '-':
		if (empty)
			add_buf(out, &word);
		else if (add_value(w, out, v, vl))
			break;
		rc = 0;
		break;
	case '+':
		if (!empty)
			add_buf(out, &word);
		rc = 0;
		break;
	case '?':
		if (empty) {
			ds_buf_reset(&w->err);
			add_buf(&w->err, &name);
			ds_buf_add(&w->err, ": ", 2);
			if (word.len)
				add_buf(&w->err, &word);
			else
				ds_buf_adds(&w->err, set ? "is not allowed to be empty"
							: "is not allowed to be unset");
			break;
		}
		if (add_value(w, out, v, vl))
			break;
		rc = 0;
		break;
	case '%':
	case '#': {
		/* % and # take the shortest match, %% and ## the longest */
		const char *pat = word.len ? word.buf : "";
		size_t plen = word.len;
		bool greedy = plen && pat[0] == (char)ch;
		if (greedy)
			pat++, plen--;
		rc = ch == '%' ? trim_suffix(w, pat, plen, v, vl, greedy, out)
			       : trim_prefix(w, pat, plen, v, vl, greedy, out);
		break;
	}
	default:
		fail_unsupported(w, chs, nchs);
		break;
	}
done:
	ds_buf_release(&name);
	ds_buf_release(&word);
	return rc;
}

/*
 * processStopOn: reads up to the unescaped, unquoted stop rune (consumed),
 * or to the end at the top level (stop == SW_EOF), appending the result to
 * out. Only the top level splits words.
 */
static int stop_on(struct sw *w, int32_t stop, bool raw_escapes, struct ds_buf *out)
{
	bool top = stop == SW_EOF;
	bool split = top && w->split;
	bool saved = w->raw_escapes;
	int rc = -1;

	if (!top) {
		if (w->depth >= DS_SHLEX_MAX_DEPTH) {
			fail(w, "syntax error: ${...} nested more than " SW_STR(DS_SHLEX_MAX_DEPTH) " levels deep");
			return -1;
		}
		w->depth++;
		/* each processStopOn empties the word buffer it shares with its caller */
		ds_buf_reset(&w->wbuf);
	}
	w->raw_escapes = raw_escapes;
	for (;;) {
		int32_t ch = scan_peek(&w->sc);
		if (ch == SW_EOF)
			break;
		if (!top && ch == stop) {
			scan_next(&w->sc);
			rc = 0;
			goto done;
		}
		bool quote = !w->lx->skip_process_quotes && (ch == '\'' || ch == '"');
		if (ch == '$' || ch == '<' || quote) {
			size_t mark = out->len;
			if (ch == '$')
				rc = dollar(w, out) || over_budget(w, out->len) ? -1 : 0;
			else if (ch == '<')
				possible_heredoc(w, out), rc = 0;
			else if (ch == '\'')
				rc = single_quote(w, out);
			else
				rc = double_quote(w, out);
			if (rc)
				goto done;
			rc = -1;
			if (split) {
				const char *s = out->len > mark ? out->buf + mark : "";
				if (ch == '$')
					words_string(w, s, out->len - mark);
				else
					words_raw_string(w, s, out->len - mark);
			}
			continue;
		}
		ch = scan_next(&w->sc);
		if (ch == w->esc) {
			if (w->raw_escapes) {
				if (split)
					words_raw_rune(w, ch);
				put_rune(out, ch);
			}
			ch = scan_next(&w->sc);
			if (ch == SW_EOF)
				break; /* an escape at the end escapes nothing */
			if (split)
				words_raw_rune(w, ch);
		} else if (split) {
			words_char(w, ch);
		}
		put_rune(out, ch);
	}
	if (!top) {
		ds_buf_reset(&w->err);
		ds_buf_adds(&w->err, "unexpected end of statement while looking for matching ");
		put_rune(&w->err, stop);
		goto done;
	}
	if (split && w->wbuf.len)
		words_push(w);
	rc = 0;
done:
	w->raw_escapes = saved;
	if (!top)
		w->depth--;
	return rc;
}

/* ---- public API ---- */

void ds_shlex_init(struct ds_shlex *lx, char escape)
{
	memset(lx, 0, sizeof *lx);
	lx->escape = escape;
}

int ds_shlex_process(const struct ds_shlex *lx, struct ds_arena *a, const char *in, size_t len,
		     const char **out, size_t *outlen, struct ds_shword **words, size_t *n,
		     const char **err)
{
	struct sw w;
	struct ds_buf res = DS_BUF_INIT;
	int rc;

	memset(&w, 0, sizeof w);
	w.lx = lx;
	scan_init(&w.sc, in ? in : "", in ? len : 0);
	w.esc = (int32_t)(unsigned char)lx->escape;
	w.raw_escapes = lx->raw_escapes;
	w.split = words != NULL || n != NULL;
	ds_buf_init(&w.err);
	ds_buf_init(&w.wbuf);
	ds_buf_init(&w.wtext);

	rc = stop_on(&w, SW_EOF, lx->raw_escapes, &res);
	if (!rc && lx->budget && !lx->budget->spent)
		lx->budget->left -= w.inserted < lx->budget->left ? w.inserted : lx->budget->left;
	if (out)
		*out = NULL;
	if (outlen)
		*outlen = 0;
	if (words)
		*words = NULL;
	if (n)
		*n = 0;
	if (err)
		*err = NULL;
	if (rc) {
		if (err) {
			struct ds_buf m = DS_BUF_INIT;
			ds_buf_adds(&m, "failed to process ");
			ds_go_quote(&m, in ? in : "", in ? len : 0);
			ds_buf_add(&m, ": ", 2);
			add_buf(&m, &w.err);
			*err = ds_arena_strndup(a, m.buf, m.len);
			ds_buf_release(&m);
		}
	} else {
		if (out)
			*out = ds_arena_strndup(a, res.len ? res.buf : "", res.len);
		if (outlen)
			*outlen = res.len;
		if (w.split) {
			struct ds_shword *v = ds_arena_alloc(a, sizeof *v * (w.nw ? w.nw : 1));
			for (size_t i = 0; i < w.nw; i++) {
				v[i].text = ds_arena_strndup(a, w.wtext.buf + w.wv[i].off, w.wv[i].len);
				v[i].len = w.wv[i].len;
			}
			if (words)
				*words = v;
			if (n)
				*n = w.nw;
		}
	}
	ds_buf_release(&res);
	ds_buf_release(&w.err);
	ds_buf_release(&w.wbuf);
	ds_buf_release(&w.wtext);
	free(w.wv);
	return rc;
}

int ds_shlex_word(const struct ds_shlex *lx, struct ds_arena *a, const char *in, size_t len,
		  const char **out, size_t *outlen, const char **err)
{
	return ds_shlex_process(lx, a, in, len, out, outlen, NULL, NULL, err);
}

int ds_shlex_words(const struct ds_shlex *lx, struct ds_arena *a, const char *in, size_t len,
		   struct ds_shword **words, size_t *n, const char **err)
{
	struct ds_shword *dummy;
	size_t dn;
	return ds_shlex_process(lx, a, in, len, NULL, NULL, words ? words : &dummy, n ? n : &dn, err);
}
