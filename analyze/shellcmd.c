/* shellcmd.c - split shell scripts into simple commands (POSIX XCU 2.3, 2.9); see shellcmd.h. */
#include "analyze/shellcmd.h"

#include <stdarg.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/hash.h"
#include "common/source.h"
#include "common/str.h"
#include "parser/ast.h"

/* Nesting of $(...), backticks and sh -c strings that is still followed. */
#define DS_SHELL_MAX_DEPTH 12
#define DS_SHELL_MAX_HEREDOCS 16
#define DS_SHELL_MAX_CASE 16

/*
 * Words and commands are gathered in heap vectors (ds_arena_vec_grow) and
 * copied into the arena once, at their final size: growing them in the
 * arena would leave every outgrown copy behind, several times the words
 * themselves, for every RUN of a file.
 */
struct wordv {
	struct ds_shell_word *v;
	size_t n, cap;
};

struct cmdv {
	struct ds_shell_cmd *v;
	size_t n, cap;
};

/* v[0..n) copied into the arena (NULL when n is 0). */
static void *arena_copy(struct ds_arena *a, const void *v, size_t n, size_t elem)
{
	if (!n)
		return NULL;
	void *r = ds_arena_alloc(a, n * elem);
	memcpy(r, v, n * elem);
	return r;
}

struct splitter {
	struct ds_arena *a;
	const char *s;
	size_t len;
	struct cmdv *out;
	int err;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_opchar(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>';
}

/*
 * Whether c is a plain character of an unquoted word: nothing that ends
 * the word, starts a quote, an escape or an expansion, or may start a
 * line end ('\r'). read_word copies a run of them at once.
 */
static bool is_plain(char c)
{
	return !is_blank(c) && !is_opchar(c) && c != '\n' && c != '\r' && c != '\\' && c != '\'' && c != '"' &&
	       c != '$' && c != '`';
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static void words_push(struct wordv *w, const struct ds_shell_word *x)
{
	w->v = ds_arena_vec_grow(w->v, sizeof *w->v, w->n, &w->cap);
	w->v[w->n++] = *x;
}

static void parse(struct splitter *p, size_t b, size_t e, unsigned depth);

/* Index just past the ')' closing a "$(" or "(" whose inside starts at i; e when unterminated. */
static size_t skip_paren(struct splitter *p, size_t i, size_t e)
{
	const char *s = p->s;
	int level = 1;
	while (i < e) {
		char c = s[i];
		if (c == '\\') {
			i += 2;
		} else if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', e - i - 1);
			i = q ? (size_t)(q - s) + 1 : e;
		} else if (c == '"') {
			i++;
			while (i < e && s[i] != '"') {
				if (s[i] == '\\')
					i++;
				else if (s[i] == '$' && i + 1 < e && s[i + 1] == '(') {
					i = skip_paren(p, i + 2, e);
					continue;
				}
				i++;
			}
			i++;
		} else if (c == '`') {
			i++;
			while (i < e && s[i] != '`')
				i += s[i] == '\\' ? 2 : 1;
			i++;
		} else if (c == '(') {
			level++;
			i++;
		} else if (c == ')') {
			if (--level == 0)
				return i + 1;
			i++;
		} else {
			i++;
		}
	}
	p->err = 1;
	return e;
}

/* Index just past the '}' closing a "${" whose inside starts at i. */
static size_t skip_brace(struct splitter *p, size_t i, size_t e)
{
	const char *s = p->s;
	int level = 1;
	while (i < e) {
		char c = s[i];
		if (c == '\\') {
			i += 2;
		} else if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', e - i - 1);
			i = q ? (size_t)(q - s) + 1 : e;
		} else if (c == '"') {
			i++;
			while (i < e && s[i] != '"')
				i += s[i] == '\\' ? 2 : 1;
			i++;
		} else if (c == '{') {
			level++;
			i++;
		} else if (c == '}') {
			if (--level == 0)
				return i + 1;
			i++;
		} else {
			i++;
		}
	}
	p->err = 1;
	return e;
}

/* Index just past the closing backtick of a `...` whose inside starts at i. */
static size_t skip_backtick(struct splitter *p, size_t i, size_t e)
{
	while (i < e && p->s[i] != '`')
		i += p->s[i] == '\\' ? 2 : 1;
	if (i >= e) {
		p->err = 1;
		return e;
	}
	return i + 1;
}

/*
 * A $-expansion at s[i] == '$'. Appends its raw text to out (nothing is
 * expanded), splits the commands of $(...) at depth+1, and returns the index
 * after it. *expands is set when the $ starts an expansion.
 */
static size_t dollar(struct splitter *p, size_t i, size_t e, unsigned depth, struct ds_buf *out,
		     bool *expands)
{
	const char *s = p->s;
	size_t j = i + 1;
	if (j < e && s[j] == '(') {
		size_t k;
		if (j + 1 < e && s[j + 1] == '(') {
			k = skip_paren(p, j + 2, e);
			/* $(( ... )): the arithmetic closes with "))" */
			if (k < e && s[k] == ')')
				k++;
		} else {
			k = skip_paren(p, j + 1, e);
			if (depth < DS_SHELL_MAX_DEPTH)
				parse(p, j + 1, k > j + 1 && s[k - 1] == ')' ? k - 1 : k, depth + 1);
		}
		ds_buf_add(out, s + i, k - i);
		*expands = true;
		return k;
	}
	if (j < e && s[j] == '{') {
		size_t k = skip_brace(p, j + 1, e);
		ds_buf_add(out, s + i, k - i);
		*expands = true;
		return k;
	}
	if (j < e && (is_name_start(s[j]))) {
		while (j < e && is_name_char(s[j]))
			j++;
		ds_buf_add(out, s + i, j - i);
		*expands = true;
		return j;
	}
	if (j < e && ((s[j] >= '0' && s[j] <= '9') || strchr("@*#?$!-", s[j]))) {
		ds_buf_add(out, s + i, 2);
		*expands = true;
		return j + 1;
	}
	ds_buf_addc(out, '$');
	return j;
}

static size_t backtick(struct splitter *p, size_t i, size_t e, unsigned depth, struct ds_buf *out,
		       bool *expands)
{
	size_t k = skip_backtick(p, i + 1, e);
	if (depth < DS_SHELL_MAX_DEPTH)
		parse(p, i + 1, k > i + 1 && p->s[k - 1] == '`' ? k - 1 : k, depth + 1);
	ds_buf_add(out, p->s + i, k - i);
	*expands = true;
	return k;
}

/* ANSI-C quoting $'...' starting at the quote s[i]; returns the index after it. */
static size_t ansi_c(struct splitter *p, size_t i, size_t e, struct ds_buf *out)
{
	const char *s = p->s;
	i++;
	while (i < e && s[i] != '\'') {
		if (s[i] == '\\' && i + 1 < e) {
			char c = s[i + 1];
			switch (c) {
			case 'n': ds_buf_addc(out, '\n'); break;
			case 't': ds_buf_addc(out, '\t'); break;
			case 'r': ds_buf_addc(out, '\r'); break;
			default: ds_buf_addc(out, c); break;
			}
			i += 2;
			continue;
		}
		ds_buf_addc(out, s[i++]);
	}
	if (i >= e)
		p->err = 1;
	return i < e ? i + 1 : e;
}

/* Double-quoted text whose opening quote is s[i]; returns the index after the closing one. */
static size_t dquote(struct splitter *p, size_t i, size_t e, unsigned depth, struct ds_buf *out,
		     bool *expands)
{
	const char *s = p->s;
	i++;
	while (i < e && s[i] != '"') {
		char c = s[i];
		if (c == '\\' && i + 1 < e) {
			char n = s[i + 1];
			if (n == '\n') {
				i += 2;
				continue;
			}
			if (n == '$' || n == '`' || n == '"' || n == '\\') {
				ds_buf_addc(out, n);
				i += 2;
				continue;
			}
			ds_buf_addc(out, c);
			i++;
			continue;
		}
		if (c == '$') {
			i = dollar(p, i, e, depth, out, expands);
			continue;
		}
		if (c == '`') {
			i = backtick(p, i, e, depth, out, expands);
			continue;
		}
		size_t k = i + 1; /* a run of plain characters at once */
		while (k < e && s[k] != '"' && s[k] != '\\' && s[k] != '$' && s[k] != '`')
			k++;
		ds_buf_add(out, s + i, k - i);
		i = k;
	}
	if (i >= e) {
		p->err = 1;
		return e;
	}
	return i + 1;
}

/* Reads the word at s[i] (not a blank, newline or operator); returns the index after it. */
static size_t read_word(struct splitter *p, size_t i, size_t e, unsigned depth, struct ds_buf *buf,
			struct ds_shell_word *w)
{
	const char *s = p->s;
	size_t start = i;
	bool quoted = false, expands = false;
	ds_buf_reset(buf);
	while (i < e) {
		char c = s[i];
		if (is_blank(c) || c == '\n' || is_opchar(c))
			break;
		if (c == '\r' && i + 1 < e && s[i + 1] == '\n')
			break;
		if (c == '\\') {
			if (i + 1 >= e) {
				ds_buf_addc(buf, c);
				i++;
			} else if (s[i + 1] == '\n') {
				i += 2;
			} else if (s[i + 1] == '\r' && i + 2 < e && s[i + 2] == '\n') {
				i += 3;
			} else {
				ds_buf_addc(buf, s[i + 1]);
				quoted = true;
				i += 2;
			}
		} else if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', e - i - 1);
			size_t close = q ? (size_t)(q - s) : e;
			ds_buf_add(buf, s + i + 1, close - i - 1);
			if (!q)
				p->err = 1;
			quoted = true;
			i = q ? close + 1 : e;
		} else if (c == '"') {
			quoted = true;
			i = dquote(p, i, e, depth, buf, &expands);
		} else if (c == '$' && i + 1 < e && s[i + 1] == '\'') {
			quoted = true;
			i = ansi_c(p, i + 1, e, buf);
		} else if (c == '$' && i + 1 < e && s[i + 1] == '"') {
			quoted = true;
			i = dquote(p, i + 1, e, depth, buf, &expands);
		} else if (c == '$') {
			i = dollar(p, i, e, depth, buf, &expands);
		} else if (c == '`') {
			i = backtick(p, i, e, depth, buf, &expands);
		} else {
			size_t k = i + 1;
			while (k < e && is_plain(s[k]))
				k++;
			ds_buf_add(buf, s + i, k - i);
			i = k;
		}
	}
	w->text = ds_arena_strndup(p->a, buf->buf ? buf->buf : "", buf->len);
	w->len = (uint32_t)buf->len;
	w->off = (uint32_t)start;
	w->end = (uint32_t)i;
	w->quoted = quoted;
	w->expands = expands;
	return i;
}

/* ---- finishing a simple command: assignments, wrappers, sh -c ---- */

/* Skips a wrapper's options from w[i]; returns the index of its first operand. */
static size_t skip_opts(const struct ds_shell_word *w, size_t i, size_t n, const char *shortarg,
			const char *const *longarg, bool digits)
{
	while (i < n) {
		const char *t = w[i].text;
		if (t[0] != '-' || t[1] == '\0')
			break;
		if (!strcmp(t, "--"))
			return i + 1;
		if (t[1] == '-') {
			bool takes = false;
			if (!strchr(t, '=') && longarg)
				for (const char *const *l = longarg; *l; l++)
					if (!strcmp(t, *l))
						takes = true;
			i += takes ? 2 : 1;
			continue;
		}
		if (digits && t[1] >= '0' && t[1] <= '9') {
			i++;
			continue;
		}
		bool takes = false;
		for (size_t k = 1; t[k]; k++)
			if (shortarg && strchr(shortarg, t[k])) {
				takes = t[k + 1] == '\0';
				break;
			}
		i += takes ? 2 : 1;
	}
	return i;
}

/* True when w (raw text in the script) is NAME=... with an unquoted name. */
static bool is_assignment(const struct splitter *p, const struct ds_shell_word *w)
{
	const char *s = p ? p->s + w->off : w->text;
	size_t n = p ? w->end - w->off : w->len;
	if (n == 0 || !is_name_start(s[0]))
		return false;
	size_t k = 1;
	while (k < n && is_name_char(s[k]))
		k++;
	return k < n && s[k] == '=';
}

static const char *const sudo_long[] = { "--user", "--group", "--host", "--prompt", "--chdir", "--role",
	"--type", "--other-user", "--close-from", "--command-timeout", NULL };
static const char *const env_long[] = { "--unset", "--chdir", "--split-string", NULL };
static const char *const nice_long[] = { "--adjustment", NULL };
static const char *const time_long[] = { "--format", "--output", NULL };
static const char *const xargs_long[] = { "--arg-file", "--delimiter", "--max-args", "--max-procs",
	"--max-chars", "--max-lines", "--process-slot-var", NULL };
static const char *const timeout_long[] = { "--signal", "--kill-after", NULL };
static const char *const stdbuf_long[] = { "--input", "--output", "--error", NULL };

static bool is_shell_name(const char *n)
{
	static const char *const shells[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", NULL };
	size_t len = strlen(n);
	if (len < 2 || len > 4 || n[len - 1] != 'h')
		return false; /* most programs, at a glance */
	for (const char *const *x = shells; *x; x++)
		if (!strcmp(n, *x))
			return true;
	return false;
}

/*
 * Strips wrappers from w[*first..n); moves VAR=value words that env and sudo
 * accept into assigns. Returns the names of stripped wrappers in *wr.
 */
static void strip_wrappers(struct splitter *p, struct ds_arena *a, const struct ds_shell_word *w,
			   size_t *first, size_t n, struct wordv *assigns, const char ***wr, size_t *nwr)
{
	size_t i = *first;
	const char **names = NULL;
	size_t nn = 0, cap = 0;
	while (i < n) {
		const char *name = ds_str_basename(w[i].text);
		size_t len = strlen(name);
		if (len < 3 || len > 7 || !strchr("sdenbtcxg", name[0]))
			break; /* no wrapper's name, at a glance: most programs */
		size_t j = i + 1;
		bool assigns_ok = false;
		if (!strcmp(name, "sudo")) {
			j = skip_opts(w, j, n, "ugpCDrtTU", sudo_long, false);
			assigns_ok = true;
		} else if (!strcmp(name, "doas")) {
			j = skip_opts(w, j, n, "uC", NULL, false);
		} else if (!strcmp(name, "env")) {
			j = skip_opts(w, j, n, "uCS", env_long, false);
			assigns_ok = true;
		} else if (!strcmp(name, "nice")) {
			j = skip_opts(w, j, n, "n", nice_long, true);
		} else if (!strcmp(name, "nohup") || !strcmp(name, "builtin") || !strcmp(name, "busybox")) {
			/* no options */
		} else if (!strcmp(name, "time")) {
			j = skip_opts(w, j, n, "fo", time_long, false);
		} else if (!strcmp(name, "exec")) {
			j = skip_opts(w, j, n, "a", NULL, false);
		} else if (!strcmp(name, "command")) {
			bool query = false;
			while (j < n && w[j].text[0] == '-' && w[j].text[1]) {
				if (strchr(w[j].text, 'v') || strchr(w[j].text, 'V'))
					query = true;
				j++;
			}
			if (query)
				break;
		} else if (!strcmp(name, "xargs")) {
			j = skip_opts(w, j, n, "adEILnPs", xargs_long, false);
		} else if (!strcmp(name, "timeout")) {
			j = skip_opts(w, j, n, "sk", timeout_long, false);
			if (j < n)
				j++; /* the duration */
		} else if (!strcmp(name, "stdbuf")) {
			j = skip_opts(w, j, n, "ioe", stdbuf_long, false);
		} else if (!strcmp(name, "gosu") || !strcmp(name, "su-exec")) {
			if (j < n)
				j++; /* the user */
		} else {
			break;
		}
		while (assigns_ok && j < n && is_assignment(p, &w[j]))
			words_push(assigns, &w[j++]);
		if (j >= n)
			break; /* the wrapper runs nothing: it is the program */
		names = ds_arena_grow(a, names, sizeof *names, nn, &cap);
		names[nn++] = name;
		i = j;
	}
	*first = i;
	*wr = names;
	*nwr = nn;
}

/* Shifts the offsets of commands [from, out->n) found in a sh -c string. */
static void relocate(struct cmdv *out, size_t from, bool exact, uint32_t base, uint32_t off, uint32_t end)
{
	for (size_t k = from; k < out->n; k++) {
		struct ds_shell_cmd *c = &out->v[k];
		struct ds_shell_word *lists[3] = { c->argv, c->assigns, c->redirs };
		size_t counts[3] = { c->argc, c->nassigns, c->nredirs };
		for (int l = 0; l < 3; l++)
			for (size_t m = 0; m < counts[l]; m++) {
				struct ds_shell_word *x = &lists[l][m];
				if (exact) {
					x->off += base;
					x->end += base;
				} else {
					x->off = off;
					x->end = end;
				}
			}
		if (exact) {
			c->off += base;
			c->end += base;
		} else {
			c->off = off;
			c->end = end;
		}
	}
}

/* Splits the script argument of `sh -c` (w is that argument) as nested commands. */
static void split_sh_c(struct splitter *p, const struct ds_shell_word *w, unsigned depth,
		       const char *raw, bool raw_known)
{
	if (depth >= DS_SHELL_MAX_DEPTH)
		return;
	struct splitter sub = { p->a, w->text, w->len, p->out, 0 };
	size_t before = p->out->n;
	parse(&sub, 0, w->len, depth + 1);
	/* exact when the raw word is the text between two quotes */
	bool exact = w->end - w->off == w->len + 2 &&
		     (!raw_known || ((raw[w->off] == '\'' || raw[w->off] == '"') &&
				     !memcmp(raw + w->off + 1, w->text, w->len)));
	relocate(p->out, before, exact, w->off + 1, w->off, w->end);
}

/* After wrappers: a shell with -c runs its first operand as a script. */
static void maybe_sh_c(struct splitter *p, const struct ds_shell_word *argv, size_t argc, unsigned depth,
		       const char *raw, bool raw_known)
{
	if (argc < 2 || !is_shell_name(ds_str_basename(argv[0].text)))
		return;
	bool has_c = false;
	size_t i = 1;
	while (i < argc) {
		const char *t = argv[i].text;
		if ((t[0] != '-' && t[0] != '+') || t[1] == '\0')
			break;
		if (!strcmp(t, "--")) {
			i++;
			break;
		}
		if (t[1] == '-') {
			i++;
			continue;
		}
		if (t[0] == '-' && strchr(t, 'c'))
			has_c = true;
		i += t[strlen(t) - 1] == 'o' && strchr(t, 'o') == t + strlen(t) - 1 ? 2 : 1;
	}
	if (has_c && i < argc)
		split_sh_c(p, &argv[i], depth, raw, raw_known);
}

struct pending {
	struct wordv words;  /* heap vectors kept from one command to the next */
	struct wordv redirs;
	size_t start;
	bool any;
	bool pipe_in;   /* the previous command ended with | */
	bool dbl;       /* inside [[ ... ]] */
	size_t last;    /* end of the last word or redirection */
};

/* Empties c for the next command, keeping its vectors. */
static void pending_clear(struct pending *c)
{
	struct wordv w = c->words, r = c->redirs;
	memset(c, 0, sizeof *c);
	w.n = r.n = 0;
	c->words = w;
	c->redirs = r;
}

static void finish(struct splitter *p, struct pending *c, enum ds_shell_op op, bool pipe_out,
		   unsigned depth, size_t end)
{
	if (!c->any) {
		c->pipe_in = false;
		return;
	}
	struct ds_arena *a = p->a;
	struct wordv assigns = { 0 };
	size_t first = 0, n = c->words.n;
	while (first < n && is_assignment(p, &c->words.v[first]))
		words_push(&assigns, &c->words.v[first++]);
	const char **wr = NULL;
	size_t nwr = 0;
	strip_wrappers(p, a, c->words.v, &first, n, &assigns, &wr, &nwr);
	/* the command's words at their size in the arena (nested commands of sh -c come first) */
	struct ds_shell_word *argv = n > first ? arena_copy(a, c->words.v + first, n - first, sizeof *argv) : NULL;
	if (n > first)
		maybe_sh_c(p, argv, n - first, depth, p->s, true);

	p->out->v = ds_arena_vec_grow(p->out->v, sizeof *p->out->v, p->out->n, &p->out->cap);
	struct ds_shell_cmd *cmd = &p->out->v[p->out->n++];
	memset(cmd, 0, sizeof *cmd);
	cmd->argv = argv;
	cmd->argc = (uint32_t)(n - first);
	cmd->name = cmd->argc ? ds_str_basename(argv[0].text) : "";
	cmd->assigns = arena_copy(a, assigns.v, assigns.n, sizeof *assigns.v);
	cmd->nassigns = (uint32_t)assigns.n;
	ds_arena_vec_free(assigns.v);
	cmd->redirs = arena_copy(a, c->redirs.v, c->redirs.n, sizeof *c->redirs.v);
	cmd->nredirs = (uint32_t)c->redirs.n;
	cmd->wrappers = wr;
	cmd->nwrappers = (uint32_t)nwr;
	cmd->off = (uint32_t)c->start;
	(void)end;
	cmd->end = (uint32_t)(c->last > c->start ? c->last : c->start);
	cmd->op = op;
	cmd->in_pipeline = c->pipe_in || pipe_out;
	cmd->depth = depth;
	pending_clear(c);
	c->pipe_in = pipe_out;
}

/* Skips the bodies of pending here-documents, starting at the line at i. */
static size_t skip_heredocs(const struct splitter *p, size_t i, size_t e, const char *const *delim,
			    const bool *strip, size_t nd)
{
	const char *s = p->s;
	for (size_t k = 0; k < nd && i < e; k++) {
		size_t dl = strlen(delim[k]);
		while (i < e) {
			const char *nl = memchr(s + i, '\n', e - i);
			size_t le = nl ? (size_t)(nl - s) : e;
			size_t ls = i;
			if (strip[k])
				while (ls < le && s[ls] == '\t')
					ls++;
			size_t lz = le;
			if (lz > ls && s[lz - 1] == '\r')
				lz--;
			i = nl ? le + 1 : e;
			if (lz - ls == dl && !memcmp(s + ls, delim[k], dl))
				break;
		}
	}
	return i;
}

enum mode { M_CMD, M_FOR, M_CASE_WORD, M_CASE_IN, M_CASE_PAT };

static bool word_is(const struct ds_shell_word *w, const char *kw)
{
	return !w->quoted && !w->expands && !strcmp(w->text, kw);
}

/*
 * Whether w is a reserved word that only frames the command after it (if
 * then else elif fi do done while until ! { }). Most command words are
 * none: their length or first letter says so before any comparison.
 */
static bool skip_keyword(const struct ds_shell_word *w)
{
	static const char *const kws[] = { "if", "then", "else", "elif", "fi", "do", "done",
					   "while", "until", "!", "{", "}", NULL };
	if (w->len > 5 || w->quoted || w->expands || !strchr("tedfwu!{}i", w->text[0]))
		return false;
	for (const char *const *x = kws; *x; x++)
		if (!strcmp(w->text, *x))
			return true;
	return false;
}

static void parse(struct splitter *p, size_t b, size_t e, unsigned depth)
{
	const char *s = p->s;
	struct ds_buf buf = DS_BUF_INIT;
	struct pending cur;
	memset(&cur, 0, sizeof cur);
	enum ds_shell_op op = DS_SH_NONE;
	enum mode mode = M_CMD;
	int ncase = 0;
	const char *hd[DS_SHELL_MAX_HEREDOCS];
	bool hd_strip[DS_SHELL_MAX_HEREDOCS];
	size_t nhd = 0;
	size_t fd_start = (size_t)-1; /* a digits word just before < or > */
	bool skip_name = false;       /* after "function" */
	size_t i = b;

	while (i < e) {
		char c = s[i];
		if (is_blank(c) || (c == '\r' && i + 1 < e && s[i + 1] == '\n')) {
			i++;
			continue;
		}
		if (c == '\\' && i + 1 < e && s[i + 1] == '\n') {
			i += 2;
			continue;
		}
		if (c == '\\' && i + 2 < e && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 3;
			continue;
		}
		if (c == '#') {
			const char *nl = memchr(s + i, '\n', e - i);
			i = nl ? (size_t)(nl - s) : e;
			continue;
		}
		if (c == '\n') {
			if (mode == M_CMD || cur.any)
				finish(p, &cur, op, false, depth, i);
			cur.pipe_in = false;
			i++;
			if (nhd) {
				i = skip_heredocs(p, i, e, hd, hd_strip, nhd);
				nhd = 0;
			}
			op = DS_SH_NEWLINE;
			continue;
		}
		if (mode == M_CASE_PAT && (c == '|' || c == '(' || c == ')')) {
			if (c == ')')
				mode = M_CMD;
			i++;
			continue;
		}
		if (cur.dbl && (c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')')) {
			/* inside [[ ]] these are words */
			size_t k = i + 1;
			if ((c == '&' || c == '|') && k < e && s[k] == c)
				k++;
			struct ds_shell_word w = { ds_arena_strndup(p->a, s + i, k - i), (uint32_t)(k - i), (uint32_t)i,
						   (uint32_t)k, false, false };
			words_push(&cur.words, &w);
			cur.last = k;
			i = k;
			continue;
		}
		if (c == '<' || c == '>' || (c == '&' && i + 1 < e && s[i + 1] == '>')) {
			size_t os = fd_start != (size_t)-1 ? fd_start : i;
			size_t k = i;
			bool heredoc = false, strip = false;
			if (c == '&') {
				k += 2;
				if (k < e && s[k] == '>')
					k++;
			} else if (c == '<') {
				k++;
				if (k < e && s[k] == '<') {
					k++;
					if (k < e && s[k] == '<') {
						k++;
					} else {
						heredoc = true;
						if (k < e && s[k] == '-') {
							strip = true;
							k++;
						}
					}
				} else if (k < e && (s[k] == '&' || s[k] == '>')) {
					k++;
				}
			} else {
				k++;
				if (k < e && (s[k] == '>' || s[k] == '&' || s[k] == '|'))
					k++;
			}
			fd_start = (size_t)-1;
			struct ds_shell_word opw = { ds_arena_strndup(p->a, s + os, k - os), (uint32_t)(k - os), (uint32_t)os,
						     (uint32_t)k, false, false };
			if (!cur.any) {
				cur.any = true;
				cur.start = os;
			}
			words_push(&cur.redirs, &opw);
			cur.last = k;
			while (k < e && is_blank(s[k]))
				k++;
			if (k < e && !is_opchar(s[k]) && s[k] != '\n') {
				struct ds_shell_word t;
				k = read_word(p, k, e, depth, &buf, &t);
				words_push(&cur.redirs, &t);
				cur.last = k;
				if (heredoc && nhd < DS_SHELL_MAX_HEREDOCS) {
					hd[nhd] = t.text;
					hd_strip[nhd++] = strip;
				}
			}
			i = k;
			continue;
		}
		if (is_opchar(c)) {
			size_t k = i + 1;
			enum ds_shell_op next = DS_SH_SEMI;
			bool pipe = false;
			if (c == '&') {
				if (k < e && s[k] == '&') {
					k++;
					next = DS_SH_AND;
				} else {
					next = DS_SH_AMP;
				}
			} else if (c == '|') {
				if (k < e && s[k] == '|') {
					k++;
					next = DS_SH_OR;
				} else {
					if (k < e && s[k] == '&')
						k++;
					next = DS_SH_PIPE;
					pipe = true;
				}
			} else if (c == ';') {
				if (k < e && s[k] == ';') {
					k++;
					if (k < e && s[k] == '&')
						k++;
					if (ncase > 0)
						mode = M_CASE_PAT;
				} else if (k < e && s[k] == '&') {
					k++;
					if (ncase > 0)
						mode = M_CASE_PAT;
				}
			} else if (c == '(') {
				if (!cur.any && k < e && s[k] == '(') {
					/* (( arithmetic )) */
					size_t m = skip_paren(p, k + 1, e);
					if (m < e && s[m] == ')')
						m++;
					i = m;
					continue;
				}
				if (cur.any && cur.words.n == 1 && cur.redirs.n == 0) {
					/* name() : a function definition */
					size_t m = k;
					while (m < e && is_blank(s[m]))
						m++;
					if (m < e && s[m] == ')') {
						pending_clear(&cur);
						i = m + 1;
						op = DS_SH_NONE;
						continue;
					}
				}
				finish(p, &cur, op, false, depth, i);
				op = DS_SH_NONE;
				i = k;
				continue;
			} else if (c == ')') {
				finish(p, &cur, op, false, depth, i);
				op = DS_SH_NONE;
				i = k;
				continue;
			}
			if (mode == M_FOR && !cur.any) {
				i = k;
				continue;
			}
			finish(p, &cur, op, pipe, depth, i);
			op = next;
			i = k;
			continue;
		}

		/* a word */
		struct ds_shell_word w;
		size_t k = read_word(p, i, e, depth, &buf, &w);
		if (k == i) {
			/* cannot happen, but never loop forever */
			i++;
			continue;
		}
		if (k < e && (s[k] == '<' || s[k] == '>') && !w.quoted && !w.expands && w.len > 0 &&
		    strspn(w.text, "0123456789") == w.len) {
			fd_start = i;
			i = k;
			continue;
		}
		i = k;
		if (skip_name) {
			skip_name = false;
			continue;
		}
		bool at_start = !cur.any;
		if (mode == M_FOR) {
			if (word_is(&w, "do"))
				mode = M_CMD;
			continue;
		}
		if (mode == M_CASE_WORD) {
			mode = M_CASE_IN;
			continue;
		}
		if (mode == M_CASE_IN) {
			if (word_is(&w, "in"))
				mode = M_CASE_PAT;
			continue;
		}
		if (mode == M_CASE_PAT) {
			if (word_is(&w, "esac")) {
				ncase--;
				mode = M_CMD;
			}
			continue;
		}
		if (at_start) {
			if (skip_keyword(&w)) {
				op = DS_SH_NONE;
				continue;
			}
			if (word_is(&w, "esac") && ncase > 0) {
				ncase--;
				continue;
			}
			if (word_is(&w, "for") || word_is(&w, "select")) {
				mode = M_FOR;
				continue;
			}
			if (word_is(&w, "case")) {
				if (ncase < DS_SHELL_MAX_CASE)
					ncase++;
				mode = M_CASE_WORD;
				continue;
			}
			if (word_is(&w, "function")) {
				skip_name = true;
				continue;
			}
			if (word_is(&w, "[["))
				cur.dbl = true;
			cur.any = true;
			cur.start = w.off;
		}
		if (cur.dbl && word_is(&w, "]]"))
			cur.dbl = false;
		words_push(&cur.words, &w);
		cur.last = w.end;
	}
	if (cur.any)
		finish(p, &cur, op, false, depth, e);
	ds_buf_release(&buf);
	ds_arena_vec_free(cur.words.v);
	ds_arena_vec_free(cur.redirs.v);
}

/* Hands the commands gathered in v to the arena at their size. */
static void commands_out(struct ds_arena *a, struct cmdv *v, struct ds_shell_cmd **out, size_t *n)
{
	*out = arena_copy(a, v->v, v->n, sizeof *v->v);
	*n = v->n;
	ds_arena_vec_free(v->v);
}

/* Where a script was split, the key of the memo. */
struct memo_key {
	const char *script;
	size_t len;
};

/* One script remembered by the memo: its bytes, its commands and ds_shell_split's result. */
struct memo_split {
	const char *bytes;
	struct ds_shell_cmd *cmds;
	size_t n;
	int rc;
};

struct ds_shell_memo {
	struct ds_arena *a;
	struct ds_hmap index; /* struct memo_key -> index in v */
	struct memo_split *v;
	size_t n, cap;
};

static _Thread_local struct ds_shell_memo *memo;

void ds_shell_memo_begin(struct ds_arena *a)
{
	memo = ds_arena_zalloc(a, sizeof *memo);
	memo->a = a;
}

void ds_shell_memo_end(void)
{
	memo = NULL; /* everything it held goes with its arena */
}

static int split(struct ds_arena *a, const char *script, size_t len, struct ds_shell_cmd **out, size_t *n)
{
	struct cmdv v = { NULL, 0, 0 };
	struct splitter p = { a, script, len, &v, 0 };
	parse(&p, 0, len, 0);
	commands_out(a, &v, out, n);
	return p.err ? -1 : 0;
}

int ds_shell_split(struct ds_arena *a, const char *script, size_t len, struct ds_shell_cmd **out,
		   size_t *n)
{
	struct ds_shell_memo *m = memo;
	if (!m)
		return split(a, script, len, out, n);
	/*
	 * Known by where it is (the callers split the same AST text), and
	 * taken only if its bytes are still those split: a scratch string
	 * may come back at the same address with others.
	 */
	struct memo_key where;
	memset(&where, 0, sizeof where); /* no padding bytes in the key */
	where.script = script;
	where.len = len;
	uint32_t *k = ds_hmap_get(&m->index, (const char *)&where, sizeof where);
	struct memo_split *e = k ? &m->v[*k] : NULL;
	if (!e || memcmp(e->bytes, script, len)) {
		if (!k) {
			struct memo_key *key = ds_arena_alloc(m->a, sizeof *key);
			*key = where;
			m->v = ds_arena_grow(m->a, m->v, sizeof *m->v, m->n, &m->cap);
			k = ds_hmap_put(&m->index, m->a, (const char *)key, sizeof *key, (uint32_t)m->n++, NULL);
		}
		e = &m->v[*k];
		char *bytes = ds_arena_alloc_bytes(m->a, len ? len : 1);
		memcpy(bytes, script, len);
		e->bytes = bytes;
		e->rc = split(m->a, script, len, &e->cmds, &e->n);
	}
	*out = e->cmds;
	*n = e->n;
	return e->rc;
}

int ds_shell_split_argv(struct ds_arena *a, const char *const *words, const size_t *lens,
			const uint32_t *offs, const uint32_t *ends, size_t nwords,
			struct ds_shell_cmd **out, size_t *n)
{
	struct cmdv v = { NULL, 0, 0 };
	struct splitter p = { a, "", 0, &v, 0 };
	if (nwords == 0) {
		*out = NULL;
		*n = 0;
		return 0;
	}
	struct ds_shell_word *w = ds_arena_zalloc(a, nwords * sizeof *w);
	for (size_t i = 0; i < nwords; i++) {
		w[i].text = ds_arena_strndup(a, words[i], lens[i]);
		w[i].len = (uint32_t)lens[i];
		w[i].off = offs[i];
		w[i].end = ends[i] > offs[i] ? ends[i] : offs[i];
		w[i].expands = memchr(words[i], '$', lens[i]) != NULL;
	}
	size_t first = 0;
	struct wordv assigns = { 0 };
	const char **wr = NULL;
	size_t nwr = 0;
	/* exec form has no assignments; a NULL splitter makes is_assignment read the cooked text */
	strip_wrappers(NULL, a, w, &first, nwords, &assigns, &wr, &nwr);
	maybe_sh_c(&p, w + first, nwords - first, 0, NULL, false);
	v.v = ds_arena_vec_grow(v.v, sizeof *v.v, v.n, &v.cap);
	struct ds_shell_cmd *c = &v.v[v.n++];
	memset(c, 0, sizeof *c);
	c->argv = w + first;
	c->argc = (uint32_t)(nwords - first);
	c->name = c->argc ? ds_str_basename(c->argv[0].text) : "";
	c->assigns = arena_copy(a, assigns.v, assigns.n, sizeof *assigns.v);
	c->nassigns = (uint32_t)assigns.n;
	ds_arena_vec_free(assigns.v);
	c->wrappers = wr;
	c->nwrappers = (uint32_t)nwr;
	c->off = w[0].off;
	c->end = w[nwords - 1].end;
	c->op = DS_SH_NONE;
	commands_out(a, &v, out, n);
	return p.err ? -1 : 0;
}

/* ---- queries ---- */

const char *ds_shell_cmd_name(const struct ds_shell_cmd *c)
{
	return c->name ? c->name : c->argc ? ds_str_basename(c->argv[0].text) : "";
}

bool ds_shell_cmd_is(const struct ds_shell_cmd *c, const char *name)
{
	/* rules ask this of every command for many names: the first letter settles most */
	const char *n = ds_shell_cmd_name(c);
	return c->argc && n[0] == name[0] && !strcmp(n, name);
}

bool ds_shell_cmd_has_arg(const struct ds_shell_cmd *c, const char *arg)
{
	for (size_t i = 1; i < c->argc; i++)
		if (!strcmp(c->argv[i].text, arg))
			return true;
	return false;
}

bool ds_shell_cmd_has_arg_prefix(const struct ds_shell_cmd *c, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 1; i < c->argc; i++)
		if (!strncmp(c->argv[i].text, prefix, n))
			return true;
	return false;
}

bool ds_shell_cmd_has_wrapper(const struct ds_shell_cmd *c, const char *name)
{
	for (size_t i = 0; i < c->nwrappers; i++)
		if (!strcmp(c->wrappers[i], name))
			return true;
	return false;
}

static bool flag_matches(const char *word, const char *flag)
{
	if (flag[0] != '-')
		return false;
	if (flag[1] == '-') {
		size_t n = strlen(flag);
		return !strncmp(word, flag, n) && (word[n] == '\0' || word[n] == '=');
	}
	if (word[0] != '-' || word[1] == '-' || word[1] == '\0')
		return false;
	if (flag[2] != '\0') /* "-nv": a multi-letter single-dash flag, matched whole */
		return !strcmp(word, flag);
	return strchr(word + 1, flag[1]) != NULL;
}

bool ds_shell_cmd_has_flag_(const struct ds_shell_cmd *c, ...)
{
	bool found = false;
	for (size_t i = 1; i < c->argc && !found; i++) {
		const char *w = c->argv[i].text;
		if (!strcmp(w, "--"))
			break;
		if (w[0] != '-')
			continue;
		va_list ap;
		va_start(ap, c);
		for (const char *f = va_arg(ap, const char *); f; f = va_arg(ap, const char *))
			if (flag_matches(w, f)) {
				found = true;
				break;
			}
		va_end(ap);
	}
	return found;
}

const char *ds_shell_cmd_flag_value(const struct ds_shell_cmd *c, const char *short_flag,
				    const char *long_flag)
{
	const char *v = NULL;
	size_t ll = long_flag ? strlen(long_flag) : 0;
	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i].text;
		if (!strcmp(w, "--"))
			break;
		if (long_flag && !strncmp(w, long_flag, ll)) {
			if (w[ll] == '=')
				v = w + ll + 1;
			else if (w[ll] == '\0' && i + 1 < c->argc)
				v = c->argv[++i].text;
			continue;
		}
		if (short_flag && w[0] == '-' && w[1] == short_flag[1] && w[1] != '-') {
			if (w[2] != '\0')
				v = w + 2;
			else if (i + 1 < c->argc)
				v = c->argv[++i].text;
		}
	}
	return v;
}

size_t ds_shell_cmd_first_operand(const struct ds_shell_cmd *c)
{
	for (size_t i = 1; i < c->argc; i++)
		if (c->argv[i].text[0] != '-' || c->argv[i].text[1] == '\0')
			return i;
	return c->argc;
}

const char *ds_shell_cmd_assign(const struct ds_shell_cmd *c, const char *name)
{
	size_t n = strlen(name);
	const char *v = NULL;
	for (size_t i = 0; i < c->nassigns; i++) {
		const char *t = c->assigns[i].text;
		if (!strncmp(t, name, n) && t[n] == '=')
			v = t + n + 1;
	}
	return v;
}

bool ds_shell_has_pipe(const struct ds_shell_cmd *cmds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cmds[i].in_pipeline)
			return true;
	return false;
}

/* ---- offsets back to the Dockerfile ---- */

/* Skips, at src[i], what the joined text does not hold: an escape+newline
 * continuation and the comment and blank lines after it, or (chomp) the
 * leading tabs of a line. Returns the new index. */
static uint32_t skip_removed(const char *src, uint32_t i, uint32_t to, char escape, bool chomp, bool *line_start,
			     bool text_tab)
{
	for (;;) {
		if (chomp && *line_start && !text_tab) {
			while (i < to && src[i] == '\t')
				i++;
			*line_start = false;
		}
		if (i >= to || src[i] != escape || escape == '\0')
			return i;
		uint32_t k = i + 1;
		while (k < to && (src[k] == ' ' || src[k] == '\t' || src[k] == '\r'))
			k++;
		if (k >= to || src[k] != '\n')
			return i;
		i = k + 1;
		/* comment and blank lines inside a continuation are dropped */
		for (;;) {
			uint32_t t = i;
			while (t < to && (src[t] == ' ' || src[t] == '\t' || src[t] == '\r'))
				t++;
			if (t < to && src[t] == '\n') {
				i = t + 1;
				continue;
			}
			if (t < to && src[t] == '#') {
				while (t < to && src[t] != '\n')
					t++;
				i = t < to ? t + 1 : t;
				continue;
			}
			break;
		}
	}
}

uint32_t ds_shell_map_offset(const char *src, uint32_t from, uint32_t to, const char *text,
			     size_t len, size_t off, char escape, bool chomp)
{
	return ds_shell_map_offset_at(NULL, src, from, to, text, len, off, escape, chomp);
}

uint32_t ds_shell_map_offset_at(struct ds_shell_map_cursor *cur, const char *src, uint32_t from, uint32_t to,
				const char *text, size_t len, size_t off, char escape, bool chomp)
{
	uint32_t i = from;
	size_t j = 0;
	bool line_start = true;
	if (off > len)
		off = len;
	if (cur && cur->text == text && cur->from == from && cur->j <= off) {
		i = cur->i;
		j = cur->j;
		line_start = cur->line_start;
	}
	/* the text may hold a <<- body with its tabs stripped or kept: both map */
	while (j < off && i < to) {
		/* the text is the source less what was removed: equal runs are matched 8 bytes at a time */
		size_t lim = off - j < (size_t)(to - i) ? off - j : (size_t)(to - i), n = 0;
		for (uint64_t x, y; n + 8 <= lim; n += 8) {
			memcpy(&x, src + i + n, 8);
			memcpy(&y, text + j + n, 8);
			if (x != y)
				break;
		}
		while (n < lim && src[i + n] == text[j + n])
			n++;
		if (n) {
			line_start = src[i + n - 1] == '\n';
			i += (uint32_t)n;
			j += n;
			continue;
		}
		uint32_t k = skip_removed(src, i, to, escape, chomp, &line_start, false);
		i = k > i ? k : i + 1; /* an unexpected byte: skip it */
	}
	if (cur) {
		cur->text = text;
		cur->from = from;
		cur->i = i;
		cur->j = j;
		cur->line_start = line_start;
	}
	if (i < to && !(j < len && src[i] == text[j] && src[i] == escape))
		i = skip_removed(src, i, to, escape, chomp, &line_start, j < len && text[j] == '\t');
	return i;
}

uint32_t ds_run_offset_to_source(const struct ds_dockerfile *df, const struct ds_instr *in, size_t off)
{
	return ds_run_offset_to_source_at(NULL, df, in, off);
}

uint32_t ds_run_offset_to_source_at(struct ds_shell_map_cursor *cur, const struct ds_dockerfile *df,
				    const struct ds_instr *in, size_t off)
{
	if (in->nargs == 0)
		return in->span.off;
	const struct ds_word *w = &in->args[0];
	if (in->json)
		return w->span.off;
	if (off >= w->len)
		return w->span.end;
	return ds_shell_map_offset_at(cur, df->src->data, w->span.off, w->span.end, w->text, w->len, off,
				      df->escape, false);
}
