/* build.c - BuildKit's line parsers (parser.go, line_parsers.go), in C. */
#include "parser/build.h"

#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "parser/ast.h"
#include "parser/gounicode.h"
#include "parser/json.h"

#define DS_MAX_ONBUILD_DEPTH 64

uint32_t ds_line_src(const struct ds_line *L, size_t j)
{
	if (L->nsegs == 0)
		return 0;
	if (L->nsegs == 1) /* most lines: one piece */
		return L->segs[0].soff + (uint32_t)j;
	size_t lo = 0, hi = L->nsegs;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (L->segs[mid].joff <= j)
			lo = mid;
		else
			hi = mid;
	}
	const struct ds_seg *s = &L->segs[lo];
	if (j - s->joff >= s->len && lo + 1 < L->nsegs)
		return L->segs[lo + 1].soff;
	return s->soff + (uint32_t)(j - s->joff);
}

uint32_t ds_line_src_end(const struct ds_line *L, size_t j)
{
	if (j == 0)
		return ds_line_src(L, 0);
	return ds_line_src(L, j - 1) + 1;
}

int ds_uspace(uint32_t c)
{
	if (c < 0x80)
		return c == ' ' || (c >= '\t' && c <= '\r');
	switch (c) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return 1;
	default:
		return c >= 0x2000 && c <= 0x200A;
	}
}

/* reWhitespace: [\t\v\f\r ] */
static int re_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* strings.TrimSpace on s[*b..*e) */
static void trim_space(const char *s, size_t *b, size_t *e)
{
	/* ASCII first: the common case needs no decoding */
	while (*b < *e && (unsigned char)s[*b] < 0x80 && ds_uspace((unsigned char)s[*b]))
		++*b;
	while (*e > *b && (unsigned char)s[*e - 1] < 0x80 && ds_uspace((unsigned char)s[*e - 1]))
		--*e;
	while (*b < *e) {
		size_t w;
		uint32_t cp = ds_utf8_get(s + *b, *e - *b, &w);
		if (!ds_uspace(cp) || (cp == 0xFFFD && w == 1))
			break;
		*b += w;
	}
	while (*e > *b) {
		/* find the start of the last rune */
		size_t k = *e - 1;
		while (k > *b && ((unsigned char)s[k] & 0xC0) == 0x80 && *e - k < 4)
			k--;
		size_t w;
		uint32_t cp = ds_utf8_get(s + k, *e - k, &w);
		if (k + w != *e) {
			/* not a whole rune: the last byte alone */
			k = *e - 1;
			cp = ds_utf8_get(s + k, 1, &w);
		}
		if (!ds_uspace(cp) || (cp == 0xFFFD && w == 1))
			break;
		*e = k;
	}
}

/* Go's string(rune(b)) of a single byte: Latin-1 to UTF-8. */
static void add_latin1(struct ds_buf *b, unsigned char c)
{
	if (c < 0x80) {
		ds_buf_addc(b, (char)c);
	} else {
		char u[2] = { (char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)) };
		ds_buf_add(b, u, 2);
	}
}

/* unicode.IsSpace(rune(b)) for a single byte */
static int byte_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
}

/*
 * A NUL-terminated copy of L->text[b..e): a pointer into the copy of the
 * line's tail when the string ends the line (most last words, the text
 * after the flags, a shell-form command), else a new copy.
 */
static const char *line_str(const struct ds_line *L, size_t b, size_t e)
{
	if (L->tail && e == L->len && b >= L->tail_off)
		return L->tail + (b - L->tail_off);
	return ds_arena_strndup(L->a, L->text + b, e - b);
}

/*
 * Growable arrays of words and flags built on the stack and copied once,
 * at their final size, into the arena (growing them in the arena would
 * leave every outgrown copy there).
 */
#define SMALL_N 6

/*
 * Makes room for one more element in *v (n elements of size elem, room for
 * *cap), which starts as small (room for SMALL_N) and moves to a heap
 * vector when that is full. Returns the new element's place.
 */
static void *small_push(void **v, size_t *n, size_t *cap, void *small, size_t elem)
{
	if (!*v) {
		*v = small;
		*cap = SMALL_N;
	}
	if (*n == *cap) {
		size_t ncap = 0;
		void *h = ds_arena_vec_grow(NULL, elem, *n * 2, &ncap);
		memcpy(h, *v, *n * elem);
		if (*v != small)
			ds_arena_vec_free(*v);
		*v = h;
		*cap = ncap;
	}
	return (char *)*v + (*n)++ * elem;
}

/* A copy of v[0..n) in arena a (NULL when n or a is 0); frees v when it is not small. */
static void *small_finish(struct ds_arena *a, void *v, size_t n, const void *small, size_t elem)
{
	void *r = NULL;
	if (n && a) {
		r = ds_arena_alloc(a, n * elem);
		memcpy(r, v, n * elem);
	}
	if (v && v != small)
		ds_arena_vec_free(v);
	return r;
}

struct flagv {
	struct ds_flag *v;
	size_t n, cap;
	struct ds_flag small[SMALL_N];
};

static struct ds_flag *flag_push(struct flagv *fv)
{
	void *v = fv->v;
	struct ds_flag *f = small_push(&v, &fv->n, &fv->cap, fv->small, sizeof *f);
	fv->v = v;
	return f;
}

/* The flags in the arena (NULL when none); frees a heap array. */
static struct ds_flag *flag_finish(struct ds_arena *a, struct flagv *fv)
{
	return small_finish(a, fv->v, fv->n, fv->small, sizeof *fv->v);
}

struct flagw {
	size_t b, e; /* joined offsets of the raw flag word */
	char *text;
	size_t len;
};

/*
 * extractBuilderFlags: leading --flag words of s[b..e). Returns the joined
 * offset where the remaining arguments start.
 */
static size_t extract_flags(const struct ds_line *L, size_t b, size_t e, struct ds_instr *in)
{
	const char *s = L->text;
	enum { SP, WORD, QUOTE } phase = SP;
	struct ds_buf w = DS_BUF_INIT;
	struct flagv fv = { 0 };
	size_t wstart = b, ret = e;
	int blank_ok = 0;
	char quote = 0;
	/* the file's escape token, as BuildKit's d.escapeToken */
	unsigned char esc = (unsigned char)L->escape;
	for (size_t pos = b; pos <= e; pos++) {
		unsigned char ch = pos < e ? (unsigned char)s[pos] : 0;
		if (phase == SP) {
			if (pos == e)
				break;
			if (byte_space(ch))
				continue;
			if (ch != '-' || pos + 1 == e || s[pos + 1] != '-') {
				ret = pos;
				goto out;
			}
			phase = WORD;
			wstart = pos;
		}
		if (pos == e) {
			if (!(w.len == 2 && !memcmp(w.buf, "--", 2)) && (blank_ok || w.len > 0))
				goto push_end;
			break;
		}
		if (phase == WORD) {
			if (byte_space(ch)) {
				phase = SP;
				if (w.len == 2 && !memcmp(w.buf, "--", 2)) {
					ret = pos;
					goto out;
				}
				if (blank_ok || w.len > 0) {
					struct ds_flag *f = flag_push(&fv);
					f->text = ds_arena_strndup(L->a, w.buf ? w.buf : "", w.len);
					f->text_len = (uint32_t)w.len;
					f->span.off = ds_line_src(L, wstart);
					f->span.end = ds_line_src_end(L, pos);
				}
				ds_buf_reset(&w);
				blank_ok = 0;
				continue;
			}
			if (ch == '\'' || ch == '"') {
				quote = (char)ch;
				blank_ok = 1;
				phase = QUOTE;
				continue;
			}
			if (ch == esc) {
				if (pos + 1 == e)
					continue;
				pos++;
				ch = (unsigned char)s[pos];
			}
			add_latin1(&w, ch);
			continue;
		}
		/* QUOTE */
		if (ch == (unsigned char)quote) {
			phase = WORD;
			continue;
		}
		if (ch == esc) {
			if (pos + 1 == e) {
				phase = WORD;
				continue;
			}
			pos++;
			ch = (unsigned char)s[pos];
		}
		add_latin1(&w, ch);
	}
	ret = e;
	goto out;
push_end:
	{
		struct ds_flag *f = flag_push(&fv);
		f->text = ds_arena_strndup(L->a, w.buf ? w.buf : "", w.len);
		f->text_len = (uint32_t)w.len;
		f->span.off = ds_line_src(L, wstart);
		f->span.end = ds_line_src_end(L, e);
	}
	ret = e;
out:
	ds_buf_release(&w);
	struct ds_flag *flags = flag_finish(L->a, &fv);
	size_t nflags = fv.n;
	for (size_t i = 0; i < nflags; i++) {
		struct ds_flag *f = &flags[i];
		const char *t = f->text, *te = f->text + f->text_len;
		while (t < te && *t == '-')
			t++;
		const char *eq = memchr(t, '=', (size_t)(te - t));
		if (eq) {
			f->name = ds_arena_strndup(L->a, t, (size_t)(eq - t));
			f->name_len = (uint32_t)(eq - t);
			f->value = eq + 1;
			f->value_len = (uint32_t)(te - eq - 1);
		} else {
			f->name = t;
			f->name_len = (uint32_t)(te - t);
			f->value = NULL;
			f->value_len = 0;
		}
	}
	in->flags = flags;
	in->nflags = (uint32_t)nflags;
	return ret;
}

struct words {
	struct ds_word *v;   /* small, then a heap vector; see words_finish() */
	size_t n, cap;
	struct ds_word small[SMALL_N];
	/* with track set: each word's joined start offset (for ENV/LABEL keys), a heap vector */
	int track;
	uint32_t *jb;
	size_t jcap;
};

static struct ds_word *word_push(struct words *ws)
{
	void *v = ws->v;
	struct ds_word *w = small_push(&v, &ws->n, &ws->cap, ws->small, sizeof *w);
	ws->v = v;
	return w;
}

/* The words in arena a (NULL when none, or a is NULL); frees what word_push() allocated. */
static struct ds_word *words_finish(struct ds_arena *a, struct words *ws)
{
	struct ds_word *r = small_finish(a, ws->v, ws->n, ws->small, sizeof *ws->v);
	ds_arena_vec_free(ws->jb);
	ws->v = NULL;
	ws->jb = NULL;
	ws->n = ws->cap = ws->jcap = 0;
	return r;
}

/*
 * The source span of the joined range [jb, je). An empty range stays empty
 * where it starts: ds_line_src_end() of an empty range that begins a
 * continued piece would point before its start.
 */
static struct ds_span src_span(const struct ds_line *L, size_t jb, size_t je)
{
	struct ds_span sp;
	sp.off = ds_line_src(L, jb);
	sp.end = je > jb ? ds_line_src_end(L, je) : sp.off;
	return sp;
}

static void words_add(const struct ds_line *L, struct words *ws, const char *text, size_t len,
		      size_t jb, size_t je)
{
	if (ws->track) {
		ws->jb = ds_arena_vec_grow(ws->jb, sizeof *ws->jb, ws->n, &ws->jcap);
		ws->jb[ws->n] = (uint32_t)jb;
	}
	struct ds_word *w = word_push(ws);
	/* a word that is exactly the joined text there can share the line's tail copy */
	if (text == L->text + jb && len == je - jb)
		w->text = line_str(L, jb, je);
	else
		w->text = ds_arena_strndup(L->a, text, len);
	w->len = (uint32_t)len;
	w->span = src_span(L, jb, je);
}

/*
 * A word of parseWords is its raw text (quotes and escapes stay), except
 * that Go's rune loop turns each invalid UTF-8 byte into U+FFFD and a lone
 * escape at the very end of the line is dropped (drop_tail).
 */
static void word_add(const struct ds_line *L, struct words *out, size_t b, size_t e, int drop_tail)
{
	const char *s = L->text;
	size_t te = drop_tail ? e - 1 : e;
	size_t k = b;
	while (k < te && (unsigned char)s[k] < 0x80)
		k++;
	if (k == te) {
		words_add(L, out, s + b, te - b, b, e);
		return;
	}
	struct ds_buf w = DS_BUF_INIT;
	ds_buf_add(&w, s + b, k - b);
	while (k < te) {
		size_t cw;
		uint32_t cp = ds_utf8_get(s + k, te - k, &cw);
		if (cp == 0xFFFD && cw == 1)
			ds_buf_add(&w, "\xEF\xBF\xBD", 3);
		else
			ds_buf_add(&w, s + k, cw);
		k += cw;
	}
	words_add(L, out, w.buf, w.len, b, e);
	ds_buf_release(&w);
}

/* parseWords: shell-like words with quotes and escapes kept. */
static void parse_words(const struct ds_line *L, size_t b, size_t e, struct words *out)
{
	const char *s = L->text;
	enum { SP, WORD, QUOTE } phase = SP;
	int blank_ok = 0, drop_tail = 0;
	uint32_t quote = 0, ch = 0;
	uint32_t esc = (uint32_t)(unsigned char)L->escape;
	size_t cw = 1, wstart = b;
	for (size_t pos = b; pos <= e; pos += cw) {
		if (pos != e) {
			unsigned char c = (unsigned char)s[pos];
			if (c < 0x80)
				ch = c, cw = 1;
			else
				ch = ds_utf8_get(s + pos, e - pos, &cw);
		}
		if (phase == SP) {
			if (pos == e)
				break;
			if (ds_uspace(ch) && !(ch == 0xFFFD && cw == 1))
				continue;
			phase = WORD;
			wstart = pos;
		}
		if (pos == e) {
			if (blank_ok || pos - wstart - (size_t)drop_tail > 0)
				word_add(L, out, wstart, e, drop_tail);
			break;
		}
		if (phase == WORD) {
			if (ds_uspace(ch) && !(ch == 0xFFFD && cw == 1)) {
				phase = SP;
				if (blank_ok || pos > wstart)
					word_add(L, out, wstart, pos, 0);
				blank_ok = 0;
				continue;
			}
			if (ch == '\'' || ch == '"') {
				quote = ch;
				blank_ok = 1;
				phase = QUOTE;
			}
			if (ch == esc) {
				if (pos + cw == e) {
					drop_tail = 1;
					continue;
				}
				pos += cw;
				ch = ds_utf8_get(s + pos, e - pos, &cw);
			}
			continue;
		}
		/* QUOTE */
		if (ch == quote)
			phase = WORD;
		if (ch == esc && quote != '\'') {
			if (pos + cw == e) {
				phase = WORD;
				drop_tail = 1;
				continue;
			}
			pos += cw;
			ch = ds_utf8_get(s + pos, e - pos, &cw);
		}
	}
}

/* reWhitespace.Split(s[b..e), -1): a run of blanks separates two fields */
static void split_ws(const struct ds_line *L, size_t b, size_t e, struct words *out)
{
	const char *s = L->text;
	size_t i = b;
	for (;;) {
		size_t st = i;
		while (i < e && !re_ws(s[i]))
			i++;
		words_add(L, out, s + st, i - st, st, i);
		if (i >= e)
			return;
		while (i < e && re_ws(s[i]))
			i++;
		if (i >= e) {
			words_add(L, out, "", 0, e, e);
			return;
		}
	}
}

static int set_words(struct ds_arena *a, struct ds_instr *in, struct words *ws)
{
	in->nargs = (uint32_t)ws->n;
	in->args = words_finish(a, ws);
	return 0;
}

static const char errNotStringArray[] = "when using JSON array syntax, arrays must be comprised of strings only";

/* parseJSON after the left trim; returns DS_JSON_* */
static int try_json(const struct ds_line *L, size_t b, size_t e, struct words *ws)
{
	while (b < e) {
		size_t w;
		uint32_t cp = ds_utf8_get(L->text + b, e - b, &w);
		if (!ds_uspace(cp) || (cp == 0xFFFD && w == 1))
			break;
		b += w;
	}
	struct ds_jstr *v;
	size_t n;
	int r = ds_json_string_array(L->a, L->text + b, e - b, &v, &n);
	if (r == DS_JSON_STRINGS) {
		for (size_t i = 0; i < n; i++) {
			struct ds_word *w = word_push(ws);
			w->text = v[i].text;
			w->len = v[i].len;
			w->span.off = ds_line_src(L, b + v[i].off);
			w->span.end = ds_line_src_end(L, b + v[i].end);
		}
	}
	return r;
}

/* parseMaybeJSON */
static int maybe_json(const struct ds_line *L, size_t b, size_t e, struct ds_instr *in,
		      struct words *ws, const char **err)
{
	if (b == e)
		return 0;
	int r = try_json(L, b, e, ws);
	if (r == DS_JSON_STRINGS) {
		in->json = true;
		return 0;
	}
	if (r == DS_JSON_NON_STRING) {
		*err = errNotStringArray;
		/* keep the text as one shell-form node so later layers can see it */
	}
	words_add(L, ws, L->text + b, e - b, b, e);
	return r == DS_JSON_NON_STRING ? -1 : 0;
}

/* parseMaybeJSONToList */
static int maybe_json_list(const struct ds_line *L, size_t b, size_t e, struct ds_instr *in,
			   struct words *ws, const char **err)
{
	int r = try_json(L, b, e, ws);
	if (r == DS_JSON_STRINGS) {
		in->json = true;
		return 0;
	}
	if (b < e)
		split_ws(L, b, e, ws);
	if (r == DS_JSON_NON_STRING) {
		*err = errNotStringArray;
		return -1;
	}
	return 0;
}

static void go_quote_into(struct ds_arena *a, const char *s, size_t n, const char **out)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_go_quote(&b, s, n);
	*out = ds_arena_strndup(a, b.buf, b.len);
	ds_buf_release(&b);
}

/* parseNameVal for ENV and LABEL, from the words ws of the line */
static int name_val_words(const struct ds_line *L, size_t b, size_t e, const char *key, struct words *out,
			  const struct words *ws_, const char **err)
{
	const struct words ws = *ws_;
	if (ws.n == 0)
		return 0;
	if (!memchr(ws.v[0].text, '=', ws.v[0].len)) {
		size_t i = b;
		while (i < e && !re_ws(L->text[i]))
			i++;
		if (i == e) {
			*err = ds_arena_printf(L->a, "%s must have two arguments", key);
			return -1;
		}
		size_t v = i;
		while (v < e && re_ws(L->text[v]))
			v++;
		words_add(L, out, L->text + b, i - b, b, i);
		words_add(L, out, L->text + v, e - v, v, e);
		words_add(L, out, "", 0, e, e);
		return 0;
	}
	for (size_t k = 0; k < ws.n; k++) {
		struct ds_word *w = &ws.v[k];
		const char *eq = memchr(w->text, '=', w->len);
		if (!eq) {
			const char *q;
			go_quote_into(L->a, w->text, w->len, &q);
			*err = ds_arena_printf(L->a,
				"Syntax error - can't find = in %s. Must be of the form: name=value", q);
			return -1;
		}
		size_t kl = (size_t)(eq - w->text);
		/*
		 * key, value and "=" nodes. The word's text is its raw joined text
		 * (invalid UTF-8 aside, which never moves an '='), so the first '='
		 * of the joined line from the word's start is the same '='.
		 */
		size_t jb = ws.jb[k];
		const char *jeq = memchr(L->text + jb, '=', e - jb);
		size_t jq = jeq ? (size_t)(jeq - L->text) : jb + kl;
		struct ds_word *kw = word_push(out);
		kw->text = ds_arena_strndup(L->a, w->text, kl);
		kw->len = (uint32_t)kl;
		kw->span = src_span(L, jb, jq);
		struct ds_word *vw = word_push(out);
		vw->text = eq + 1;
		vw->len = w->len - (uint32_t)kl - 1;
		vw->span.off = src_span(L, jq + 1, jq + 1).off;
		vw->span.end = w->span.end > vw->span.off ? w->span.end : vw->span.off;
		struct ds_word *sw = word_push(out);
		sw->text = "=";
		sw->len = 1;
		sw->span = src_span(L, jq, jq + 1);
	}
	return 0;
}

static int name_val(const struct ds_line *L, size_t b, size_t e, const char *key, struct words *out,
		    const char **err)
{
	struct words ws = { 0 };
	ws.track = 1;
	parse_words(L, b, e, &ws);
	int rc = name_val_words(L, b, e, key, out, &ws, err);
	words_finish(NULL, &ws); /* frees; the words' texts stay in the arena */
	return rc;
}

/* The keyword as written: the table's own string when it is spelled as the table spells it. */
static const char *keyword_str(const struct ds_line *L, enum ds_instr_kind kind, size_t b, size_t k)
{
	const char *t[2] = { ds_instr_keyword(kind), ds_instr_name(kind) };
	for (int i = 0; i < 2; i++)
		if (strlen(t[i]) == k - b && !memcmp(t[i], L->text + b, k - b))
			return t[i];
	return ds_arena_strndup(L->a, L->text + b, k - b);
}

int ds_build_node(struct ds_line *L, size_t from, size_t to, struct ds_instr *in,
		  unsigned depth, const char **err, size_t *err_off)
{
	const char *s = L->text;
	size_t b = from, e = to;
	trim_space(s, &b, &e);
	size_t k = b;
	while (k < e && !re_ws(s[k]))
		k++;
	in->kind = ds_instr_lookup(s + b, k - b);
	in->keyword = keyword_str(L, in->kind, b, k);
	in->keyword_len = (uint32_t)(k - b);
	in->kw_span = src_span(L, b, k);
	/* the Original of the line is the copy later strings ending the line share */
	in->original = line_str(L, from, to);
	in->original_len = (uint32_t)(to - from);
	if (to == L->len && !L->tail) {
		L->tail = in->original;
		L->tail_off = from;
	}
	size_t ab = e, ae = e;
	if (k < e) {
		size_t r = k;
		while (r < e && re_ws(s[r]))
			r++;
		ab = extract_flags(L, r, e, in);
		ae = e;
		trim_space(s, &ab, &ae);
	}
	in->rest = line_str(L, ab, ae);
	in->rest_len = (uint32_t)(ae - ab);
	in->rest_span = src_span(L, ab, ae);
	*err = NULL;
	*err_off = b;

	struct words ws = { 0 };
	int rc = 0;
	switch (in->kind) {
	case DS_I_ADD:
	case DS_I_COPY:
	case DS_I_VOLUME:
		rc = maybe_json_list(L, ab, ae, in, &ws, err);
		break;
	case DS_I_CMD:
	case DS_I_ENTRYPOINT:
	case DS_I_RUN:
	case DS_I_SHELL:
		rc = maybe_json(L, ab, ae, in, &ws, err);
		break;
	case DS_I_ARG:
		parse_words(L, ab, ae, &ws);
		break;
	case DS_I_ENV:
		rc = name_val(L, ab, ae, "ENV", &ws, err);
		break;
	case DS_I_LABEL:
		rc = name_val(L, ab, ae, "LABEL", &ws, err);
		break;
	case DS_I_EXPOSE:
	case DS_I_FROM:
		if (ab < ae)
			split_ws(L, ab, ae, &ws);
		break;
	case DS_I_MAINTAINER:
	case DS_I_STOPSIGNAL:
	case DS_I_USER:
	case DS_I_WORKDIR:
		if (ab < ae)
			words_add(L, &ws, s + ab, ae - ab, ab, ae);
		break;
	case DS_I_HEALTHCHECK: {
		size_t sep = ab;
		while (sep < ae && !byte_space((unsigned char)s[sep]))
			sep++;
		size_t next = sep;
		while (next < ae && byte_space((unsigned char)s[next]))
			next++;
		if (sep == ab)
			break;
		words_add(L, &ws, s + ab, sep - ab, ab, sep);
		rc = maybe_json(L, next, ae, in, &ws, err);
		break;
	}
	case DS_I_ONBUILD:
		if (ab == ae)
			break;
		if (depth >= DS_MAX_ONBUILD_DEPTH) {
			*err = "ONBUILD instructions are nested too deeply (limit 64)";
			rc = -1;
			break;
		}
		in->sub = ds_arena_zalloc(L->a, sizeof *in->sub);
		in->sub->parent = in;
		rc = ds_build_node(L, ab, ae, in->sub, depth + 1, err, err_off);
		in->sub->span = in->sub->line_span = (struct ds_span){ in->sub->kw_span.off, in->rest_span.end };
		if (rc)
			return rc;
		break;
	default:
		/* parseIgnore: an unknown instruction has one empty node */
		words_add(L, &ws, "", 0, ab, ab);
		break;
	}
	set_words(L->a, in, &ws);
	if (rc && *err_off == b)
		*err_off = b;
	return rc;
}
