/*
 * diff.c - unified diff of two texts by lines; see diff.h.
 *
 * E. W. Myers, "An O(ND) Difference Algorithm and Its Variations" (1986):
 * the greedy forward search, keeping the frontier of each round so that the
 * edit script can be read back. The common head and tail are stripped
 * first, which leaves very little for Dockerfile conversions.
 */
#include "emit/diff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"

struct line {
	const char *s;
	size_t len;      /* line end included */
	uint64_t hash;
};

struct side {
	struct line *v;
	size_t n;
	int last_has_eol; /* the text ends with a line end (or is empty) */
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void split_lines(const char *s, size_t n, struct side *out)
{
	size_t cap = 16;
	out->v = ds_xmalloc(cap * sizeof *out->v);
	out->n = 0;
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) + 1 : n;
		if (out->n == cap) {
			cap *= 2;
			out->v = ds_xrealloc(out->v, cap * sizeof *out->v);
		}
		out->v[out->n].s = s + i;
		out->v[out->n].len = e - i;
		out->v[out->n].hash = hash_bytes(s + i, e - i);
		out->n++;
		i = e;
	}
	out->last_has_eol = n == 0 || s[n - 1] == '\n';
}

static int line_eq(const struct line *x, const struct line *y)
{
	return x->hash == y->hash && x->len == y->len && !memcmp(x->s, y->s, x->len);
}

/* One step of the edit script: ' ' keep, '-' delete from old, '+' insert from new. */
struct op {
	char kind;
	size_t ai, bi; /* line index in old (for ' ' and '-') and in new (for ' ' and '+') */
};

struct script {
	struct op *v;
	size_t n, cap;
};

static void push(struct script *s, char kind, size_t ai, size_t bi)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = ds_xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n].kind = kind;
	s->v[s->n].ai = ai;
	s->v[s->n].bi = bi;
	s->n++;
}

/*
 * Myers on a[a0..a1) and b[b0..b1). Appends the script for that range in
 * order. Returns 0, or -1 when more than max_d edits would be needed (the
 * script is then untouched).
 */
static int myers(const struct side *A, size_t a0, size_t a1, const struct side *B, size_t b0, size_t b1,
		 size_t max_d, struct script *out)
{
	long n = (long)(a1 - a0), m = (long)(b1 - b0);
	long max = n + m;
	if ((size_t)max < max_d)
		max_d = (size_t)max;
	long off = (long)max_d + 1;
	long width = 2 * off + 1;
	long *v = ds_xcalloc((size_t)width, sizeof *v);
	/* trace[d] is the frontier after round d, for k in [-d, d] */
	long **trace = ds_xcalloc(max_d + 1, sizeof *trace);
	long dfound = -1;
	for (long d = 0; d <= (long)max_d; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x;
			if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			long y = x - k;
			while (x < n && y < m && line_eq(&A->v[a0 + (size_t)x], &B->v[b0 + (size_t)y])) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= n && y >= m) {
				dfound = d;
				break;
			}
		}
		trace[d] = ds_xmalloc((size_t)(2 * d + 1) * sizeof **trace);
		memcpy(trace[d], v + off - d, (size_t)(2 * d + 1) * sizeof **trace);
		if (dfound >= 0)
			break;
	}
	if (dfound < 0) {
		for (size_t d = 0; d <= max_d; d++)
			free(trace[d]);
		free(trace);
		free(v);
		return -1;
	}
	/* walk back from (n, m), collecting the script in reverse */
	struct script rev = { NULL, 0, 0 };
	long x = n, y = m;
	for (long d = dfound; d > 0; d--) {
		const long *pv = trace[d - 1]; /* frontier of round d - 1, index k + d - 1 */
		long k = x - y;
		bool down = k == -d || (k != d && pv[k - 1 + d - 1] < pv[k + 1 + d - 1]);
		long pk = down ? k + 1 : k - 1;
		long px = pv[pk + d - 1];
		long py = px - pk;
		long mx = down ? px : px + 1; /* where the edit ends and the snake starts */
		long my = down ? py + 1 : py;
		while (x > mx && y > my) {
			x--;
			y--;
			push(&rev, ' ', a0 + (size_t)x, b0 + (size_t)y);
		}
		if (down)
			push(&rev, '+', a0 + (size_t)px, b0 + (size_t)py);
		else
			push(&rev, '-', a0 + (size_t)px, b0 + (size_t)py);
		x = px;
		y = py;
	}
	while (x > 0 && y > 0) {
		x--;
		y--;
		push(&rev, ' ', a0 + (size_t)x, b0 + (size_t)y);
	}
	for (size_t i = rev.n; i-- > 0;)
		push(out, rev.v[i].kind, rev.v[i].ai, rev.v[i].bi);
	free(rev.v);
	for (long d = 0; d <= dfound; d++)
		free(trace[d]);
	free(trace);
	free(v);
	return 0;
}

static void add_line(struct ds_buf *out, char kind, const struct side *sd, size_t i)
{
	ds_buf_addc(out, kind);
	ds_buf_add(out, sd->v[i].s, sd->v[i].len);
	if (i + 1 == sd->n && !sd->last_has_eol)
		ds_buf_adds(out, "\n\\ No newline at end of file\n");
}

/* "l,s" as GNU diff prints it: ",1" left out, an empty range numbered after the line it follows. */
static void add_range(struct ds_buf *out, size_t first, size_t count)
{
	if (count == 0)
		ds_buf_addf(out, "%zu,0", first);
	else if (count == 1)
		ds_buf_addf(out, "%zu", first + 1);
	else
		ds_buf_addf(out, "%zu,%zu", first + 1, count);
}

size_t ds_diff_unified(const char *old, size_t olen, const char *new, size_t nlen,
		       const char *old_label, const char *new_label, unsigned context,
		       size_t max_edits, struct ds_buf *out)
{
	if (olen == nlen && (olen == 0 || !memcmp(old, new, olen)))
		return 0;
	if (!max_edits)
		max_edits = 4000;
	struct side A, B;
	split_lines(old, olen, &A);
	split_lines(new, nlen, &B);
	size_t head = 0;
	while (head < A.n && head < B.n && line_eq(&A.v[head], &B.v[head]))
		head++;
	size_t tail = 0;
	while (tail < A.n - head && tail < B.n - head && line_eq(&A.v[A.n - 1 - tail], &B.v[B.n - 1 - tail]))
		tail++;
	struct script sc = { NULL, 0, 0 };
	for (size_t i = 0; i < head; i++)
		push(&sc, ' ', i, i);
	if (myers(&A, head, A.n - tail, &B, head, B.n - tail, max_edits, &sc) < 0) {
		for (size_t i = head; i < A.n - tail; i++)
			push(&sc, '-', i, head);
		for (size_t j = head; j < B.n - tail; j++)
			push(&sc, '+', A.n - tail, j);
	}
	for (size_t i = 0; i < tail; i++)
		push(&sc, ' ', A.n - tail + i, B.n - tail + i);

	ds_buf_addf(out, "--- %s\n+++ %s\n", old_label, new_label);
	size_t hunks = 0;
	size_t i = 0;
	while (i < sc.n) {
		while (i < sc.n && sc.v[i].kind == ' ')
			i++;
		if (i == sc.n)
			break;
		/* a hunk: `context` lines before this change to `context` lines after
		 * the last change that follows within 2*context lines of context */
		size_t start = i >= context ? i - context : 0;
		size_t j = i;
		for (;;) {
			while (j < sc.n && sc.v[j].kind != ' ')
				j++;
			size_t k = j;
			while (k < sc.n && sc.v[k].kind == ' ')
				k++;
			if (k < sc.n && k - j <= 2 * (size_t)context) {
				j = k; /* the next change is close: same hunk */
				continue;
			}
			break;
		}
		size_t end = j + context < sc.n ? j + context : sc.n;
		size_t a_first = sc.v[start].ai, b_first = sc.v[start].bi, a_count = 0, b_count = 0;
		for (size_t t = start; t < end; t++) {
			if (sc.v[t].kind != '+')
				a_count++;
			if (sc.v[t].kind != '-')
				b_count++;
		}
		ds_buf_adds(out, "@@ -");
		add_range(out, a_first, a_count);
		ds_buf_adds(out, " +");
		add_range(out, b_first, b_count);
		ds_buf_adds(out, " @@\n");
		for (size_t t = start; t < end; t++) {
			if (sc.v[t].kind == '+')
				add_line(out, '+', &B, sc.v[t].bi);
			else
				add_line(out, sc.v[t].kind, &A, sc.v[t].ai);
		}
		hunks++;
		i = end;
	}
	free(sc.v);
	free(A.v);
	free(B.v);
	return hunks;
}
