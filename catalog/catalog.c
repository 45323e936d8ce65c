/* catalog.c - loads the YAML image catalogue (libyaml) and answers queries about images. */
#include "catalog/catalog.h"

#include "analyze/imageref.h"
#include "common/arena.h"
#include "common/buf.h"
#include "common/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/*
 * Loading goes file -> node tree -> layer -> merged tables -> resolved
 * runtimes. A file is first turned into a small tree of scalars, sequences
 * and mappings with 1-based positions (libyaml for every file; for the
 * builtin text a quick scanner of the plain subset it is written in, since
 * libyaml needs about a millisecond for it; the unit tests check that both
 * give the same tree). The tree is then checked against the schema
 * (builtin.yaml's header) into a layer of new entries, the layer is merged
 * into the catalogue's tables (keyed entries replace, rule lists are
 * prepended), and finally inheritance between runtimes and every name
 * reference is resolved. A failure anywhere restores the previous tables.
 * Everything the catalogue keeps lives in its arena.
 */

extern const unsigned char ds_catalog_builtin_yaml[];
extern const unsigned long ds_catalog_builtin_yaml_len;

#define MAX_DEPTH 64

/* ------------------------------------------------------------------ */
/* private types                                                      */

enum nkind { N_SCALAR, N_SEQ, N_MAP };

/* A YAML node. A mapping's kids are key, value, key, value, ... */
struct node {
	const char *s; /* scalar text, NUL-terminated, in the string arena */
	struct node **kid;
	unsigned line, col;
	unsigned len;  /* of s */
	unsigned n, cap;
	unsigned char kind; /* enum nkind */
};

struct rt_def {
	struct ds_catalog_runtime pub; /* resolved view; stays first */
	const char *file;
	unsigned line, col;
	/* what the file says */
	const char *extends, *image, *language, *version, *user, *accounts, *chainguard;
	enum ds_libc libc;
	struct ds_strlist debian, entrypoint, aliases, packages, binaries, paths;
	bool has_debian, has_entrypoint, has_aliases;
	bool is_default;
	/* resolution */
	const char *r_accounts, *r_chainguard;
	int state;
};

struct vendor_set {
	bool registry, default_debian, default_tag, match, path, arch, tags, debug_path,
		debug_binaries;
};

struct vendor {
	struct ds_catalog_vendor pub;
	struct rt_def **rt;
	size_t n_rt;
	const struct ds_catalog_runtime **rt_pub;
};

enum vsrc { VS_LIT, VS_TAG, VS_NAME };

struct vspec {
	enum vsrc src;
	bool minor;
	const char *marker; /* NULL: the leading number */
	const char *lit;
};

struct vspecs {
	const struct vspec *v;
	size_t n;
};

enum rkind { RK_UNSET, RK_NAME, RK_AUTO, RK_BINARY };

struct rule {
	struct ds_strlist image, tag;
	bool has_family, has_libc, has_lang, has_target;
	enum ds_family family;
	enum ds_libc libc;
	struct vspecs release;
	const char *language;
	struct vspecs version;
	enum rkind rk;
	const char *runtime, *rt_static, *rt_dynamic, *no_runtime, *suggest;
	const struct ds_catalog_runtime *r_rt, *r_static, *r_dynamic;
	int shell; /* -1 unset */
	bool stop;
	const char *file;
	unsigned line, col;
};

struct status_rule {
	struct ds_strlist image, tag;
	enum ds_image_status status;
	const char *message, *replacement;
};

struct a2d {
	struct ds_strlist image;
	const char *name; /* replaces the last path component, or NULL */
	const char *tag;  /* template */
};

struct apk {
	const char *name;
	struct ds_strlist apt;
};

struct tables {
	struct ds_catalog_release **rel;
	size_t n_rel;
	struct ds_catalog_accounts **acc;
	size_t n_acc;
	struct vendor vend[2];
	struct vendor_set vset[2]; /* in a layer: which vendor settings it sets */
	struct rule **rules;
	size_t n_rules;
	struct status_rule **st;
	size_t n_st;
	struct a2d **a2d;
	size_t n_a2d;
	struct apk **apk;
	size_t n_apk;
	struct ds_catalog_tool **tools;
	size_t n_tools;
};

struct ds_catalog {
	struct ds_arena arena;
	struct tables t;
};

enum { V_DISTROLESS, V_CHAINGUARD };

/* ------------------------------------------------------------------ */
/* names                                                              */

static const char *const family_names[] = {
	"unknown", "alpine",  "debian",  "ubuntu", "rpm", "distroless",
	"chainguard", "scratch", "windows", "busybox",
};
static const char *const libc_names[] = { "unknown", "musl", "glibc", "none" };
static const char *const status_names[] = { "unknown", "current", "deprecated", "removed" };
static const char *const tool_names[] = { "shell", "package-manager", "downloader", "runner" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *ds_family_name(enum ds_family f)
{
	return (size_t)f < NELEM(family_names) ? family_names[f] : "unknown";
}

const char *ds_libc_name(enum ds_libc l)
{
	return (size_t)l < NELEM(libc_names) ? libc_names[l] : "unknown";
}

const char *ds_image_status_name(enum ds_image_status s)
{
	return (size_t)s < NELEM(status_names) ? status_names[s] : "unknown";
}

static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* errors                                                             */

static void set_errv(struct ds_catalog_error *err, const char *file, unsigned line, unsigned col,
		     const char *fmt, va_list ap)
{
	if (!err)
		return;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

static void set_err(struct ds_catalog_error *err, const char *file, unsigned line, unsigned col,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void set_err(struct ds_catalog_error *err, const char *file, unsigned line, unsigned col,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_errv(err, file, line, col, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* the node tree                                                      */

static struct node *node_new(struct ds_arena *a, enum nkind k, unsigned line, unsigned col)
{
	struct node *n = ds_arena_zalloc(a, sizeof *n);
	n->kind = (unsigned char)k;
	n->line = line;
	n->col = col;
	return n;
}

static void node_add(struct ds_arena *a, struct node *parent, struct node *kid)
{
	if (parent->n == parent->cap) {
		unsigned cap = parent->cap ? parent->cap * 2 : 4;
		struct node **v = ds_arena_alloc(a, cap * sizeof *v);
		if (parent->n)
			memcpy(v, parent->kid, parent->n * sizeof *v);
		parent->kid = v;
		parent->cap = cap;
	}
	parent->kid[parent->n++] = kid;
}

/* Line and column (1-based) of byte offset off in data. */
static void offset_to_mark(const char *data, size_t len, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/*
 * Builds the tree of data[0..len) with libyaml. Returns 0 with *root set
 * (NULL for an empty stream) or -1 with *err filled.
 */
static int tree_libyaml(struct ds_arena *a, struct ds_arena *sa, const char *file,
			const char *data, size_t len, struct node **root,
			struct ds_catalog_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct node *stack[MAX_DEPTH];
	size_t depth = 0;
	int docs = 0, rc = -1;

	*root = NULL;
	if (!yaml_parser_initialize(&p)) {
		set_err(err, file, 0, 0, "cannot initialise the yaml parser");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			unsigned line, col;
			if (p.error == YAML_READER_ERROR) {
				offset_to_mark(data, len, p.problem_offset, &line, &col);
			} else {
				line = (unsigned)p.problem_mark.line + 1;
				col = (unsigned)p.problem_mark.column + 1;
			}
			if (p.context)
				set_err(err, file, line, col, "%s %s",
					p.problem ? p.problem : "invalid yaml", p.context);
			else
				set_err(err, file, line, col, "%s",
					p.problem ? p.problem : "invalid yaml");
			goto out;
		}
		unsigned line = (unsigned)ev.start_mark.line + 1;
		unsigned col = (unsigned)ev.start_mark.column + 1;
		struct node *n = NULL;
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				set_err(err, file, line, col, "expected a single yaml document");
				goto fail_event;
			}
			break;
		case YAML_ALIAS_EVENT:
			set_err(err, file, line, col, "aliases are not supported");
			goto fail_event;
		case YAML_SCALAR_EVENT:
			if (memchr(ev.data.scalar.value, 0, ev.data.scalar.length)) {
				set_err(err, file, line, col, "a string holds a NUL character");
				goto fail_event;
			}
			if (ev.data.scalar.length > 0x7fffffff) {
				set_err(err, file, line, col, "a string is too long");
				goto fail_event;
			}
			n = node_new(a, N_SCALAR, line, col);
			n->len = (unsigned)ev.data.scalar.length;
			n->s = ds_arena_strndup(sa, (const char *)ev.data.scalar.value, n->len);
			break;
		case YAML_SEQUENCE_START_EVENT:
			n = node_new(a, N_SEQ, line, col);
			break;
		case YAML_MAPPING_START_EVENT:
			n = node_new(a, N_MAP, line, col);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		if (n) {
			if (depth > 0)
				node_add(a, stack[depth - 1], n);
			else if (!*root)
				*root = n;
			if (n->kind != N_SCALAR) {
				if (depth == MAX_DEPTH) {
					set_err(err, file, line, col, "yaml nested too deep");
					goto fail_event;
				}
				stack[depth++] = n;
			}
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	rc = 0;
	goto out;
fail_event:
	yaml_event_delete(&ev);
out:
	yaml_parser_delete(&p);
	return rc;
}

/*
 * The quick scanner: block mappings and sequences indented with spaces,
 * plain and simple double-quoted scalars on one line, flow sequences and
 * mappings, comments. Anything else (anchors, tags, block scalars, tabs,
 * CR, non-ASCII, empty values, multi-line plain scalars, ...) makes it give
 * up and the caller falls back to libyaml, so it never decides a question
 * YAML answers differently. Positions match libyaml's start marks.
 */
struct qp {
	const char *p, *end, *ls;
	unsigned line;
	struct ds_arena *a, *sa; /* nodes, strings */
	int depth;
};

static unsigned q_col(const struct qp *q)
{
	return (unsigned)(q->p - q->ls) + 1;
}

static size_t q_indent(const struct qp *q)
{
	return (size_t)(q->p - q->ls);
}

/* Moves to the next content character, across blank and comment lines. 1 at end. */
static int q_blank(struct qp *q)
{
	for (;;) {
		const char *s = q->p;
		while (s < q->end && *s == ' ')
			s++;
		if (s < q->end && *s == '#' && (s == q->ls || s[-1] == ' '))
			while (s < q->end && *s != '\n')
				s++;
		if (s == q->end) {
			q->p = s;
			return 1;
		}
		if (*s == '\n') {
			q->p = s + 1;
			q->ls = q->p;
			q->line++;
			continue;
		}
		q->p = s;
		return 0;
	}
}

/* Ends a line after a value: spaces, an optional comment, the newline. */
static bool q_eol(struct qp *q)
{
	const char *s = q->p;
	while (s < q->end && *s == ' ')
		s++;
	if (s < q->end && *s == '#' && s > q->p)
		while (s < q->end && *s != '\n')
			s++;
	if (s < q->end && *s != '\n')
		return false;
	if (s < q->end) {
		s++;
		q->ls = s;
		q->line++;
	}
	q->p = s;
	return true;
}

static bool q_is_entry(const struct qp *q)
{
	return q->p < q->end && *q->p == '-' &&
	       (q->p + 1 == q->end || q->p[1] == ' ' || q->p[1] == '\n');
}

static bool is_flow_ind(char c)
{
	return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

/*
 * Whether p may not start a plain scalar in our subset: only letters,
 * digits and "/._+$=" may, and '-' when a non-space follows. Everything
 * else (indicators, quotes, '~') makes the scanner give up.
 */
static bool q_bad_start(const char *p, const char *end)
{
	char c = *p;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return false;
	if (c == '/' || c == '.' || c == '_' || c == '+' || c == '$' || c == '=')
		return false;
	if (c == '-' && p + 1 < end && p[1] != ' ' && p[1] != '\n' && !is_flow_ind(p[1]))
		return false;
	return true;
}

static struct node *q_scalar(struct qp *q, const char *s, size_t n, unsigned line, unsigned col)
{
	struct node *nd = node_new(q->a, N_SCALAR, line, col);
	nd->s = ds_arena_strndup(q->sa, s, n);
	nd->len = (unsigned)n;
	return nd;
}

static struct node *q_dq(struct qp *q)
{
	unsigned line = q->line, col = q_col(q);
	const char *s = ++q->p, *e = s;
	while (e < q->end && *e != '"' && *e != '\n')
		e += *e == '\\' && e + 1 < q->end ? 2 : 1;
	char *buf = ds_arena_alloc(q->sa, (size_t)(e - s) + 1);
	size_t n = 0;
	while (s < q->end && *s != '"') {
		if (*s == '\n')
			return NULL;
		if (*s == '\\') {
			if (s + 1 >= q->end || (s[1] != '\\' && s[1] != '"'))
				return NULL;
			s++;
		}
		buf[n++] = *s++;
	}
	if (s == q->end)
		return NULL;
	buf[n] = '\0';
	q->p = s + 1;
	struct node *nd = node_new(q->a, N_SCALAR, line, col);
	nd->s = buf;
	nd->len = (unsigned)n;
	return nd;
}

/* A plain scalar in block context: to the end of the line or " #". */
static struct node *q_plain_block(struct qp *q)
{
	unsigned line = q->line, col = q_col(q);
	const char *s = q->p, *e = s;
	if (q_bad_start(s, q->end))
		return NULL;
	while (e < q->end && *e != '\n' && !(*e == '#' && e[-1] == ' ')) {
		if (*e == ':' && (e + 1 == q->end || e[1] == ' ' || e[1] == '\n'))
			return NULL;
		e++;
	}
	q->p = e;
	while (e > s && e[-1] == ' ')
		e--;
	return q_scalar(q, s, (size_t)(e - s), line, col);
}

static bool q_fws(struct qp *q)
{
	for (;;) {
		const char *s = q->p;
		while (s < q->end && *s == ' ')
			s++;
		if (s < q->end && *s == '#') {
			if (s == q->p && s != q->ls)
				return false;
			while (s < q->end && *s != '\n')
				s++;
		}
		if (s < q->end && *s == '\n') {
			q->p = s + 1;
			q->ls = q->p;
			q->line++;
			continue;
		}
		q->p = s;
		return s < q->end;
	}
}

static struct node *q_flow(struct qp *q);

static struct node *q_flow_item(struct qp *q)
{
	if (*q->p == '[' || *q->p == '{')
		return q_flow(q);
	if (*q->p == '"')
		return q_dq(q);
	if (q_bad_start(q->p, q->end))
		return NULL;
	unsigned line = q->line, col = q_col(q);
	const char *s = q->p, *e = s;
	while (e < q->end && *e != '\n' && !is_flow_ind(*e) && !(*e == '#' && e[-1] == ' ')) {
		if (*e == ':') {
			/* libyaml reads any ':' in a flow as a value indicator */
			if (e + 1 == q->end || e[1] == ' ' || e[1] == '\n')
				break;
			return NULL;
		}
		e++;
	}
	q->p = e;
	while (e > s && e[-1] == ' ')
		e--;
	if (e == s)
		return NULL;
	return q_scalar(q, s, (size_t)(e - s), line, col);
}

static struct node *q_flow(struct qp *q)
{
	bool map = *q->p == '{';
	char close = map ? '}' : ']';
	struct node *nd = node_new(q->a, map ? N_MAP : N_SEQ, q->line, q_col(q));
	if (++q->depth > MAX_DEPTH)
		return NULL;
	q->p++;
	for (;;) {
		if (!q_fws(q))
			return NULL;
		if (*q->p == close) {
			q->p++;
			q->depth--;
			return nd;
		}
		struct node *it = q_flow_item(q);
		if (!it)
			return NULL;
		if (map) {
			/* an implicit key and its ':' share a line */
			while (q->p < q->end && *q->p == ' ')
				q->p++;
		} else if (!q_fws(q)) {
			return NULL;
		}
		if (q->p == q->end)
			return NULL;
		node_add(q->a, nd, it);
		if (map) {
			if (it->kind != N_SCALAR || *q->p != ':')
				return NULL;
			q->p++;
			if (q->p < q->end && *q->p != ' ' && *q->p != '\n')
				return NULL;
			if (!q_fws(q) || !(it = q_flow_item(q)) || !q_fws(q))
				return NULL;
			node_add(q->a, nd, it);
		} else if (*q->p == ':') {
			return NULL;
		}
		if (*q->p == ',')
			q->p++;
		else if (*q->p != close)
			return NULL;
	}
}

static struct node *q_inline(struct qp *q)
{
	struct node *n;
	if (*q->p == '[' || *q->p == '{')
		n = q_flow(q);
	else if (*q->p == '"')
		n = q_dq(q);
	else
		n = q_plain_block(q);
	if (!n || !q_eol(q))
		return NULL;
	return n;
}

/* Does the line at p start with "key:" (a plain key)? */
static bool q_looks_like_key(const struct qp *q)
{
	const char *s = q->p;
	if (q_bad_start(s, q->end))
		return false;
	for (; s < q->end && *s != '\n'; s++) {
		if (*s == '#' && s[-1] == ' ')
			return false;
		if (*s == ':' && (s + 1 == q->end || s[1] == ' ' || s[1] == '\n'))
			return true;
	}
	return false;
}

static struct node *q_block(struct qp *q, size_t ind);

static struct node *q_key(struct qp *q)
{
	unsigned line = q->line, col = q_col(q);
	const char *s = q->p, *e = s;
	if (q_bad_start(s, q->end))
		return NULL;
	while (e < q->end && *e != '\n') {
		if (*e == ':' && (e + 1 == q->end || e[1] == ' ' || e[1] == '\n'))
			break;
		if (is_flow_ind(*e) || *e == '#' || *e == ' ')
			return NULL;
		e++;
	}
	if (e == q->end || *e != ':' || e == s)
		return NULL;
	q->p = e + 1;
	return q_scalar(q, s, (size_t)(e - s), line, col);
}

static struct node *q_seq(struct qp *q, size_t ind);

/* The value after "key:", in a mapping indented ind. */
static struct node *q_value(struct qp *q, size_t ind)
{
	while (q->p < q->end && *q->p == ' ')
		q->p++;
	if (q->p == q->end || *q->p == '\n' || *q->p == '#') {
		if (q_blank(q))
			return NULL;
		size_t c = q_indent(q);
		if (c > ind)
			return q_block(q, c);
		if (c == ind && q_is_entry(q))
			return q_seq(q, ind);
		return NULL;
	}
	return q_inline(q);
}

static struct node *q_map(struct qp *q, size_t ind)
{
	struct node *m = node_new(q->a, N_MAP, q->line, q_col(q));
	if (++q->depth > MAX_DEPTH)
		return NULL;
	for (;;) {
		struct node *k = q_key(q), *v;
		if (!k || !(v = q_value(q, ind)))
			return NULL;
		node_add(q->a, m, k);
		node_add(q->a, m, v);
		if (q_blank(q))
			break;
		size_t c = q_indent(q);
		if (c < ind)
			break;
		if (c > ind || q_is_entry(q))
			return NULL;
	}
	q->depth--;
	return m;
}

static struct node *q_seq(struct qp *q, size_t ind)
{
	struct node *sq = node_new(q->a, N_SEQ, q->line, q_col(q));
	if (++q->depth > MAX_DEPTH)
		return NULL;
	for (;;) {
		struct node *it;
		q->p++;
		while (q->p < q->end && *q->p == ' ')
			q->p++;
		if (q->p == q->end || *q->p == '\n' || *q->p == '#') {
			if (q_blank(q) || q_indent(q) <= ind)
				return NULL;
			it = q_block(q, q_indent(q));
		} else if (q_looks_like_key(q)) {
			it = q_map(q, q_indent(q));
		} else {
			it = q_inline(q);
		}
		if (!it)
			return NULL;
		node_add(q->a, sq, it);
		if (q_blank(q))
			break;
		size_t c = q_indent(q);
		if (c < ind)
			break;
		if (c > ind)
			return NULL;
		if (!q_is_entry(q))
			break;
	}
	q->depth--;
	return sq;
}

static struct node *q_block(struct qp *q, size_t ind)
{
	return q_is_entry(q) ? q_seq(q, ind) : q_map(q, ind);
}

/* Returns 0 with *root set, or -1 when the text is outside the subset. */
static int tree_quick(struct ds_arena *a, struct ds_arena *sa, const char *data, size_t len,
		      struct node **root)
{
	struct qp q = { data, data + len, data, 1, a, sa, 0 };
	*root = NULL;
	if (len > 0x7fffffff)
		return -1;
	unsigned bad = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		/* only printable ASCII and newlines: tabs, CR, controls, DEL, UTF-8 give up */
		bad |= (unsigned)(c < 0x20 && c != '\n') | (unsigned)(c == 0x7f) | (unsigned)(c >> 7);
	}
	if (bad)
		return -1;
	for (const char *l = data; l; l = memchr(l, '\n', (size_t)(q.end - l))) {
		if (*l == '\n')
			l++;
		if (l < q.end && (*l == '%' || (q.end - l >= 3 && (memcmp(l, "---", 3) == 0 ||
								  memcmp(l, "...", 3) == 0))))
			return -1;
	}
	if (q_blank(&q))
		return 0;
	if (q_indent(&q) != 0)
		return -1;
	*root = q_block(&q, 0);
	if (!*root || !q_blank(&q))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* schema walk: tree -> layer                                         */

struct ld {
	struct ds_catalog *c;
	struct ds_arena *a; /* the catalogue's arena */
	const char *file;
	struct ds_catalog_error *err;
	struct tables *t;
};

static int ld_err(struct ld *ld, const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ld_err(struct ld *ld, const struct node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_errv(ld->err, ld->file, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct node *map_get(const struct node *m, const char *key)
{
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (m->kid[i]->kind == N_SCALAR && m->kid[i]->s[0] == key[0] &&
		    strcmp(m->kid[i]->s, key) == 0)
			return m->kid[i + 1];
	return NULL;
}

/* m must be a mapping with string keys from keys (NULL: any), none twice. */
static int check_map(struct ld *ld, const struct node *m, const char *what,
		     const char *const *keys)
{
	if (m->kind != N_MAP)
		return ld_err(ld, m, "expected a mapping for %s", what);
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct node *k = m->kid[i];
		if (k->kind != N_SCALAR)
			return ld_err(ld, k, "expected a string key in %s", what);
		if (keys) {
			const char *const *p = keys;
			while (*p && ((*p)[0] != k->s[0] || strcmp(*p, k->s) != 0))
				p++;
			if (!*p)
				return ld_err(ld, k, "unknown key \"%.64s\" in %s", k->s, what);
		}
		for (size_t j = 0; j < i; j += 2)
			if (m->kid[j]->kind == N_SCALAR && m->kid[j]->len == k->len &&
			    memcmp(m->kid[j]->s, k->s, k->len) == 0)
				return ld_err(ld, k, "duplicate key \"%.64s\" in %s", k->s, what);
	}
	return 0;
}

static int get_str(struct ld *ld, const struct node *v, const char *key, const char **out)
{
	if (v->kind != N_SCALAR)
		return ld_err(ld, v, "expected a string for \"%s\"", key);
	*out = v->s;
	return 0;
}

/* A string or a list of strings. */
static int get_list(struct ld *ld, const struct node *v, const char *key, struct ds_strlist *out)
{
	if (v->kind == N_SCALAR) {
		const char **arr = ds_arena_alloc(ld->a, sizeof *arr);
		arr[0] = v->s;
		out->v = arr;
		out->n = 1;
		return 0;
	}
	if (v->kind != N_SEQ)
		return ld_err(ld, v, "expected a list of strings for \"%s\"", key);
	const char **arr = ds_arena_alloc(ld->a, v->n * sizeof *arr);
	for (size_t i = 0; i < v->n; i++) {
		if (v->kid[i]->kind != N_SCALAR)
			return ld_err(ld, v->kid[i], "expected a list of strings for \"%s\"", key);
		arr[i] = v->kid[i]->s;
	}
	out->v = arr;
	out->n = v->n;
	return 0;
}

static int get_bool(struct ld *ld, const struct node *v, const char *key, bool *out)
{
	if (v->kind == N_SCALAR && strcmp(v->s, "true") == 0)
		*out = true;
	else if (v->kind == N_SCALAR && strcmp(v->s, "false") == 0)
		*out = false;
	else if (v->kind == N_SCALAR)
		return ld_err(ld, v, "bad value \"%.64s\" for \"%s\": expected true or false", v->s,
			      key);
	else
		return ld_err(ld, v, "expected true or false for \"%s\"", key);
	return 0;
}

static int get_id(struct ld *ld, const struct node *v, const char *key, unsigned long *out)
{
	if (v->kind != N_SCALAR)
		return ld_err(ld, v, "expected a number for \"%s\"", key);
	unsigned long x = 0;
	if (v->len == 0 || v->len > 10)
		goto bad;
	for (size_t i = 0; i < v->len; i++) {
		if (v->s[i] < '0' || v->s[i] > '9')
			goto bad;
		x = x * 10 + (unsigned long)(v->s[i] - '0');
	}
	if (x > 4294967295ul)
		goto bad;
	*out = x;
	return 0;
bad:
	return ld_err(ld, v, "bad value \"%.64s\" for \"%s\": expected a number", v->s, key);
}

static int get_enum(struct ld *ld, const struct node *v, const char *key,
		    const char *const *names, size_t n, int *out)
{
	if (v->kind != N_SCALAR)
		return ld_err(ld, v, "expected a string for \"%s\"", key);
	int i = name_index(names, n, v->s);
	if (i < 0)
		return ld_err(ld, v, "bad value \"%.64s\" for \"%s\"", v->s, key);
	*out = i;
	return 0;
}

/* "tag:major", "name:minor@marker", or a literal. */
static int get_vspecs(struct ld *ld, const struct node *v, const char *key, struct vspecs *out)
{
	struct ds_strlist l;
	if (get_list(ld, v, key, &l))
		return -1;
	struct vspec *vs = ds_arena_zalloc(ld->a, (l.n ? l.n : 1) * sizeof *vs);
	for (size_t i = 0; i < l.n; i++) {
		const char *s = l.v[i];
		const char *rest = NULL;
		if (strncmp(s, "tag:", 4) == 0) {
			vs[i].src = VS_TAG;
			rest = s + 4;
		} else if (strncmp(s, "name:", 5) == 0) {
			vs[i].src = VS_NAME;
			rest = s + 5;
		} else {
			vs[i].src = VS_LIT;
			vs[i].lit = s;
			continue;
		}
		if (strncmp(rest, "major", 5) == 0)
			rest += 5;
		else if (strncmp(rest, "minor", 5) == 0 && (vs[i].minor = true))
			rest += 5;
		else
			goto bad;
		if (*rest == '@' && rest[1])
			vs[i].marker = rest + 1;
		else if (*rest)
			goto bad;
		continue;
bad:
		return ld_err(ld, v->kind == N_SEQ ? v->kid[i] : v,
			      "bad version spec \"%.64s\" for \"%s\"", s, key);
	}
	out->v = vs;
	out->n = l.n;
	return 0;
}

static char *whatf(char *buf, size_t n, const char *fmt, const char *s)
{
	snprintf(buf, n, fmt, s);
	return buf;
}

static int walk_releases(struct ld *ld, const struct node *m)
{
	static const char *const keys[] = { "distro", "version", "glibc", NULL };
	char what[128];
	if (check_map(ld, m, "\"releases\"", NULL))
		return -1;
	size_t n = m->n / 2;
	ld->t->rel = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *ld->t->rel);
	for (size_t i = 0; i < n; i++) {
		const struct node *k = m->kid[2 * i], *v = m->kid[2 * i + 1], *x;
		struct ds_catalog_release *r = ds_arena_zalloc(ld->a, sizeof *r);
		whatf(what, sizeof what, "release \"%.64s\"", k->s);
		if (check_map(ld, v, what, keys))
			return -1;
		r->codename = k->s;
		if (!(x = map_get(v, "distro")))
			return ld_err(ld, v, "missing \"distro\" in %s", what);
		if (get_str(ld, x, "distro", &r->distro))
			return -1;
		if (strcmp(r->distro, "debian") == 0)
			r->family = DS_FAMILY_DEBIAN;
		else if (strcmp(r->distro, "ubuntu") == 0)
			r->family = DS_FAMILY_UBUNTU;
		else
			return ld_err(ld, x, "bad value \"%.64s\" for \"distro\": expected debian or ubuntu",
				      r->distro);
		if (!(x = map_get(v, "version")))
			return ld_err(ld, v, "missing \"version\" in %s", what);
		if (get_str(ld, x, "version", &r->version))
			return -1;
		if ((x = map_get(v, "glibc")) && get_str(ld, x, "glibc", &r->glibc))
			return -1;
		ld->t->rel[i] = r;
	}
	ld->t->n_rel = n;
	return 0;
}

static int get_ids(struct ld *ld, const struct node *v, const char *key,
		   const struct ds_catalog_account **out, size_t *n_out)
{
	char what[64];
	if (check_map(ld, v, whatf(what, sizeof what, "\"%s\"", key), NULL))
		return -1;
	size_t n = v->n / 2;
	struct ds_catalog_account *acc = ds_arena_zalloc(ld->a, (n ? n : 1) * sizeof *acc);
	for (size_t i = 0; i < n; i++) {
		acc[i].name = v->kid[2 * i]->s;
		if (get_id(ld, v->kid[2 * i + 1], acc[i].name, &acc[i].id))
			return -1;
	}
	*out = acc;
	*n_out = n;
	return 0;
}

static int walk_accounts(struct ld *ld, const struct node *m)
{
	static const char *const keys[] = { "users", "groups", "nonroot", NULL };
	char what[128];
	if (check_map(ld, m, "\"accounts\"", NULL))
		return -1;
	size_t n = m->n / 2;
	ld->t->acc = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *ld->t->acc);
	for (size_t i = 0; i < n; i++) {
		const struct node *k = m->kid[2 * i], *v = m->kid[2 * i + 1], *x;
		struct ds_catalog_accounts *ac = ds_arena_zalloc(ld->a, sizeof *ac);
		whatf(what, sizeof what, "accounts \"%.64s\"", k->s);
		if (check_map(ld, v, what, keys))
			return -1;
		ac->name = k->s;
		if ((x = map_get(v, "users")) && get_ids(ld, x, "users", &ac->users, &ac->n_users))
			return -1;
		if ((x = map_get(v, "groups")) && get_ids(ld, x, "groups", &ac->groups, &ac->n_groups))
			return -1;
		if ((x = map_get(v, "nonroot"))) {
			if (get_str(ld, x, "nonroot", &ac->nonroot))
				return -1;
			size_t j = 0;
			while (j < ac->n_users && strcmp(ac->users[j].name, ac->nonroot) != 0)
				j++;
			if (j == ac->n_users)
				return ld_err(ld, x, "\"nonroot\" names unknown user \"%.64s\" in %s",
					      ac->nonroot, what);
		}
		ld->t->acc[i] = ac;
	}
	ld->t->n_acc = n;
	return 0;
}

static int walk_runtime(struct ld *ld, const struct node *k, const struct node *v,
			struct rt_def **out)
{
	static const char *const keys[] = {
		"extends", "image", "debian", "language", "version", "libc", "entrypoint",
		"entrypoint_aliases", "user", "accounts", "packages", "binaries", "paths",
		"chainguard", "default", NULL
	};
	char what[128];
	const struct node *x;
	struct rt_def *d = ds_arena_zalloc(ld->a, sizeof *d);
	whatf(what, sizeof what, "runtime \"%.64s\"", k->s);
	if (check_map(ld, v, what, keys))
		return -1;
	d->pub.name = k->s;
	d->file = ld->file;
	d->line = k->line;
	d->col = k->col;
	if ((x = map_get(v, "extends")) && get_str(ld, x, "extends", &d->extends))
		return -1;
	if ((x = map_get(v, "image")) && get_str(ld, x, "image", &d->image))
		return -1;
	if ((x = map_get(v, "debian"))) {
		if (get_list(ld, x, "debian", &d->debian))
			return -1;
		d->has_debian = true;
	}
	if ((x = map_get(v, "language")) && get_str(ld, x, "language", &d->language))
		return -1;
	if ((x = map_get(v, "version")) && get_str(ld, x, "version", &d->version))
		return -1;
	if ((x = map_get(v, "libc"))) {
		int l;
		if (get_enum(ld, x, "libc", libc_names, NELEM(libc_names), &l))
			return -1;
		d->libc = (enum ds_libc)l;
	}
	if ((x = map_get(v, "entrypoint"))) {
		if (x->kind != N_SEQ)
			return ld_err(ld, x, "expected a list of strings for \"entrypoint\"");
		if (get_list(ld, x, "entrypoint", &d->entrypoint))
			return -1;
		d->has_entrypoint = true;
	}
	if ((x = map_get(v, "entrypoint_aliases"))) {
		if (get_list(ld, x, "entrypoint_aliases", &d->aliases))
			return -1;
		d->has_aliases = true;
	}
	if ((x = map_get(v, "user")) && get_str(ld, x, "user", &d->user))
		return -1;
	if ((x = map_get(v, "accounts")) && get_str(ld, x, "accounts", &d->accounts))
		return -1;
	if ((x = map_get(v, "packages")) && get_list(ld, x, "packages", &d->packages))
		return -1;
	if ((x = map_get(v, "binaries")) && get_list(ld, x, "binaries", &d->binaries))
		return -1;
	for (size_t i = 0; i < d->binaries.n; i++)
		if (d->binaries.v[i][0] != '/')
			return ld_err(ld, x->kind == N_SEQ ? x->kid[i] : x,
				      "binary \"%.64s\" in %s is not an absolute path",
				      d->binaries.v[i], what);
	if ((x = map_get(v, "paths")) && get_list(ld, x, "paths", &d->paths))
		return -1;
	if ((x = map_get(v, "chainguard")) && get_str(ld, x, "chainguard", &d->chainguard))
		return -1;
	if ((x = map_get(v, "default")) && get_bool(ld, x, "default", &d->is_default))
		return -1;
	*out = d;
	return 0;
}

static int walk_vendor(struct ld *ld, const struct node *m, int which)
{
	static const char *const keys[] = { "registry", "match", "default_debian", "default_tag",
					    "path", "arch_suffixes", "tags", "debug", "runtimes",
					    NULL };
	static const char *const tag_keys[] = { "match", "debug", "user", NULL };
	static const char *const debug_keys[] = { "path", "binaries", NULL };
	const char *vname = which == V_DISTROLESS ? "\"distroless\"" : "\"chainguard\"";
	struct vendor *v = &ld->t->vend[which];
	struct vendor_set *vs = &ld->t->vset[which];
	const struct node *x;
	if (check_map(ld, m, vname, keys))
		return -1;
	if ((x = map_get(m, "registry"))) {
		if (get_str(ld, x, "registry", &v->pub.registry))
			return -1;
		vs->registry = true;
	}
	if ((x = map_get(m, "match"))) {
		if (get_list(ld, x, "match", &v->pub.match))
			return -1;
		vs->match = true;
	}
	if ((x = map_get(m, "default_debian"))) {
		if (get_str(ld, x, "default_debian", &v->pub.default_debian))
			return -1;
		vs->default_debian = true;
	}
	if ((x = map_get(m, "default_tag"))) {
		if (get_str(ld, x, "default_tag", &v->pub.default_tag))
			return -1;
		vs->default_tag = true;
	}
	if ((x = map_get(m, "path"))) {
		if (get_list(ld, x, "path", &v->pub.path))
			return -1;
		vs->path = true;
	}
	if ((x = map_get(m, "arch_suffixes"))) {
		if (get_list(ld, x, "arch_suffixes", &v->pub.arch_suffixes))
			return -1;
		vs->arch = true;
	}
	if ((x = map_get(m, "tags"))) {
		if (x->kind != N_SEQ)
			return ld_err(ld, x, "expected a list for \"tags\"");
		struct ds_catalog_tagrule *tr = ds_arena_zalloc(ld->a, (x->n ? x->n : 1) * sizeof *tr);
		for (size_t i = 0; i < x->n; i++) {
			const struct node *e = x->kid[i], *y;
			if (check_map(ld, e, "a tag of \"tags\"", tag_keys))
				return -1;
			if (!(y = map_get(e, "match")))
				return ld_err(ld, e, "missing \"match\" in a tag of \"tags\"");
			if (get_str(ld, y, "match", &tr[i].match))
				return -1;
			if ((y = map_get(e, "debug")) && get_bool(ld, y, "debug", &tr[i].debug))
				return -1;
			if ((y = map_get(e, "user")) && get_str(ld, y, "user", &tr[i].user))
				return -1;
		}
		v->pub.tags = tr;
		v->pub.n_tags = x->n;
		vs->tags = true;
	}
	if ((x = map_get(m, "debug"))) {
		const struct node *y;
		if (check_map(ld, x, "\"debug\"", debug_keys))
			return -1;
		if ((y = map_get(x, "path"))) {
			if (get_list(ld, y, "path", &v->pub.debug_path))
				return -1;
			vs->debug_path = true;
		}
		if ((y = map_get(x, "binaries"))) {
			if (get_list(ld, y, "binaries", &v->pub.debug_binaries))
				return -1;
			vs->debug_binaries = true;
		}
	}
	if ((x = map_get(m, "runtimes"))) {
		if (check_map(ld, x, "\"runtimes\"", NULL))
			return -1;
		size_t n = x->n / 2;
		v->rt = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *v->rt);
		for (size_t i = 0; i < n; i++)
			if (walk_runtime(ld, x->kid[2 * i], x->kid[2 * i + 1], &v->rt[i]))
				return -1;
		v->n_rt = n;
	}
	return 0;
}

static int walk_rules(struct ld *ld, const struct node *s)
{
	static const char *const keys[] = { "image", "tag", "family", "libc", "release",
					    "language", "version", "runtime", "runtime_static",
					    "runtime_dynamic", "no_runtime", "suggest", "shell",
					    "stop", NULL };
	if (s->kind != N_SEQ)
		return ld_err(ld, s, "expected a list for \"rules\"");
	ld->t->rules = ds_arena_alloc(ld->a, (s->n ? s->n : 1) * sizeof *ld->t->rules);
	for (size_t i = 0; i < s->n; i++) {
		const struct node *m = s->kid[i], *x;
		struct rule *r = ds_arena_zalloc(ld->a, sizeof *r);
		r->shell = -1;
		r->file = ld->file;
		r->line = m->line;
		r->col = m->col;
		if (check_map(ld, m, "a rule", keys))
			return -1;
		if ((x = map_get(m, "image")) && get_list(ld, x, "image", &r->image))
			return -1;
		if ((x = map_get(m, "tag")) && get_list(ld, x, "tag", &r->tag))
			return -1;
		if ((x = map_get(m, "family"))) {
			int f;
			if (get_enum(ld, x, "family", family_names, NELEM(family_names), &f))
				return -1;
			r->family = (enum ds_family)f;
			r->has_family = true;
		}
		if ((x = map_get(m, "libc"))) {
			int l;
			if (get_enum(ld, x, "libc", libc_names, NELEM(libc_names), &l))
				return -1;
			r->libc = (enum ds_libc)l;
			r->has_libc = true;
		}
		if ((x = map_get(m, "release")) && get_vspecs(ld, x, "release", &r->release))
			return -1;
		if ((x = map_get(m, "language"))) {
			if (get_str(ld, x, "language", &r->language))
				return -1;
			r->has_lang = true;
		}
		if ((x = map_get(m, "version"))) {
			if (get_vspecs(ld, x, "version", &r->version))
				return -1;
			r->has_lang = true;
		}
		if ((x = map_get(m, "runtime"))) {
			if (get_str(ld, x, "runtime", &r->runtime))
				return -1;
			r->rk = strcmp(r->runtime, "auto") == 0	    ? RK_AUTO
				: strcmp(r->runtime, "binary") == 0 ? RK_BINARY
								    : RK_NAME;
			r->has_target = true;
		}
		if ((x = map_get(m, "runtime_static"))) {
			if (get_str(ld, x, "runtime_static", &r->rt_static))
				return -1;
			r->has_target = true;
		}
		if ((x = map_get(m, "runtime_dynamic"))) {
			if (get_str(ld, x, "runtime_dynamic", &r->rt_dynamic))
				return -1;
			r->has_target = true;
		}
		if ((x = map_get(m, "no_runtime"))) {
			if (get_str(ld, x, "no_runtime", &r->no_runtime))
				return -1;
			if (r->runtime)
				return ld_err(ld, x, "\"no_runtime\" and \"runtime\" exclude each other");
			r->has_target = true;
		}
		if ((x = map_get(m, "suggest"))) {
			if (get_str(ld, x, "suggest", &r->suggest))
				return -1;
			if (!r->no_runtime)
				return ld_err(ld, x, "\"suggest\" needs \"no_runtime\"");
		}
		if ((x = map_get(m, "shell"))) {
			bool b;
			if (get_bool(ld, x, "shell", &b))
				return -1;
			r->shell = b;
		}
		if ((x = map_get(m, "stop")) && get_bool(ld, x, "stop", &r->stop))
			return -1;
		ld->t->rules[i] = r;
	}
	ld->t->n_rules = s->n;
	return 0;
}

static int walk_status(struct ld *ld, const struct node *s)
{
	static const char *const keys[] = { "image", "tag", "status", "message", "replacement",
					    NULL };
	if (s->kind != N_SEQ)
		return ld_err(ld, s, "expected a list for \"status\"");
	ld->t->st = ds_arena_alloc(ld->a, (s->n ? s->n : 1) * sizeof *ld->t->st);
	for (size_t i = 0; i < s->n; i++) {
		const struct node *m = s->kid[i], *x;
		struct status_rule *r = ds_arena_zalloc(ld->a, sizeof *r);
		int st;
		if (check_map(ld, m, "a status entry", keys))
			return -1;
		if (!(x = map_get(m, "image")))
			return ld_err(ld, m, "missing \"image\" in a status entry");
		if (get_list(ld, x, "image", &r->image))
			return -1;
		if ((x = map_get(m, "tag")) && get_list(ld, x, "tag", &r->tag))
			return -1;
		if (!(x = map_get(m, "status")))
			return ld_err(ld, m, "missing \"status\" in a status entry");
		if (get_enum(ld, x, "status", status_names, NELEM(status_names), &st))
			return -1;
		r->status = (enum ds_image_status)st;
		if (!(x = map_get(m, "message")))
			return ld_err(ld, m, "missing \"message\" in a status entry");
		if (get_str(ld, x, "message", &r->message))
			return -1;
		if ((x = map_get(m, "replacement")) &&
		    get_str(ld, x, "replacement", &r->replacement))
			return -1;
		ld->t->st[i] = r;
	}
	ld->t->n_st = s->n;
	return 0;
}

/* The placeholders a template may hold; returns the first unknown one. */
static const char *bad_placeholder(const char *t, const char *const *ok)
{
	for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
		const char *const *k = ok;
		while (*k && strncmp(p, *k, strlen(*k)) != 0)
			k++;
		if (!*k)
			return p;
	}
	return NULL;
}

static int walk_a2d(struct ld *ld, const struct node *s)
{
	static const char *const keys[] = { "image", "name", "tag", NULL };
	static const char *const ph[] = { "{prefix}", "{prefix-}", "{codename}", NULL };
	if (s->kind != N_SEQ)
		return ld_err(ld, s, "expected a list for \"alpine_to_debian\"");
	ld->t->a2d = ds_arena_alloc(ld->a, (s->n ? s->n : 1) * sizeof *ld->t->a2d);
	for (size_t i = 0; i < s->n; i++) {
		const struct node *m = s->kid[i], *x;
		struct a2d *r = ds_arena_zalloc(ld->a, sizeof *r);
		const char *bad;
		if (check_map(ld, m, "an \"alpine_to_debian\" entry", keys))
			return -1;
		if (!(x = map_get(m, "image")))
			return ld_err(ld, m, "missing \"image\" in an \"alpine_to_debian\" entry");
		if (get_list(ld, x, "image", &r->image))
			return -1;
		if ((x = map_get(m, "name")) && get_str(ld, x, "name", &r->name))
			return -1;
		if (!(x = map_get(m, "tag")))
			return ld_err(ld, m, "missing \"tag\" in an \"alpine_to_debian\" entry");
		if (get_str(ld, x, "tag", &r->tag))
			return -1;
		if ((bad = bad_placeholder(r->tag, ph)))
			return ld_err(ld, x, "unknown placeholder \"%.20s\" in \"tag\"", bad);
		ld->t->a2d[i] = r;
	}
	ld->t->n_a2d = s->n;
	return 0;
}

static int walk_apk(struct ld *ld, const struct node *m)
{
	if (check_map(ld, m, "\"apk_to_apt\"", NULL))
		return -1;
	size_t n = m->n / 2;
	ld->t->apk = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *ld->t->apk);
	for (size_t i = 0; i < n; i++) {
		struct apk *e = ds_arena_zalloc(ld->a, sizeof *e);
		e->name = m->kid[2 * i]->s;
		if (get_list(ld, m->kid[2 * i + 1], e->name, &e->apt))
			return -1;
		ld->t->apk[i] = e;
	}
	ld->t->n_apk = n;
	return 0;
}

static int walk_tools(struct ld *ld, const struct node *m)
{
	static const char *const keys[] = { "kind", "message", NULL };
	char what[128];
	if (check_map(ld, m, "\"tools\"", NULL))
		return -1;
	size_t n = m->n / 2;
	ld->t->tools = ds_arena_alloc(ld->a, (n ? n : 1) * sizeof *ld->t->tools);
	for (size_t i = 0; i < n; i++) {
		const struct node *k = m->kid[2 * i], *v = m->kid[2 * i + 1], *x;
		struct ds_catalog_tool *tl = ds_arena_zalloc(ld->a, sizeof *tl);
		int kind;
		whatf(what, sizeof what, "tool \"%.64s\"", k->s);
		if (check_map(ld, v, what, keys))
			return -1;
		tl->name = k->s;
		if (!(x = map_get(v, "kind")))
			return ld_err(ld, v, "missing \"kind\" in %s", what);
		if (get_enum(ld, x, "kind", tool_names, NELEM(tool_names), &kind))
			return -1;
		tl->kind = (enum ds_tool_kind)kind;
		if ((x = map_get(v, "message")) && get_str(ld, x, "message", &tl->message))
			return -1;
		ld->t->tools[i] = tl;
	}
	ld->t->n_tools = n;
	return 0;
}

static int walk_root(struct ld *ld, const struct node *root)
{
	static const char *const keys[] = { "schema", "releases", "accounts", "distroless",
					    "chainguard", "rules", "status", "alpine_to_debian",
					    "apk_to_apt", "tools", NULL };
	const struct node *x;
	if (!root)
		return 0;
	if (check_map(ld, root, "the catalogue", keys))
		return -1;
	if ((x = map_get(root, "schema")) && (x->kind != N_SCALAR || strcmp(x->s, "1") != 0))
		return ld_err(ld, x, "unsupported schema \"%.64s\": expected 1",
			      x->kind == N_SCALAR ? x->s : "");
	if ((x = map_get(root, "releases")) && walk_releases(ld, x))
		return -1;
	if ((x = map_get(root, "accounts")) && walk_accounts(ld, x))
		return -1;
	if ((x = map_get(root, "distroless")) && walk_vendor(ld, x, V_DISTROLESS))
		return -1;
	if ((x = map_get(root, "chainguard")) && walk_vendor(ld, x, V_CHAINGUARD))
		return -1;
	if ((x = map_get(root, "rules")) && walk_rules(ld, x))
		return -1;
	if ((x = map_get(root, "status")) && walk_status(ld, x))
		return -1;
	if ((x = map_get(root, "alpine_to_debian")) && walk_a2d(ld, x))
		return -1;
	if ((x = map_get(root, "apk_to_apt")) && walk_apk(ld, x))
		return -1;
	if ((x = map_get(root, "tools")) && walk_tools(ld, x))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* merge and resolve                                                  */

/* Arrays are always rebuilt, never changed in place, so a snapshot of the
 * tables stays valid for restoring after a failed overlay. */
#define DEFINE_MERGE_KEYED(fn, T, KEY)                                                        \
	static T **fn(struct ds_arena *a, T **o, size_t no, T **ad, size_t nad, size_t *nout) \
	{                                                                                     \
		T **v = ds_arena_alloc(a, (no + nad + 1) * sizeof *v);                        \
		size_t n = no;                                                                \
		if (no)                                                                       \
			memcpy(v, o, no * sizeof *v);                                         \
		for (size_t i = 0; i < nad; i++) {                                            \
			size_t j = 0;                                                         \
			while (j < n && strcmp(v[j]->KEY, ad[i]->KEY) != 0)                   \
				j++;                                                          \
			v[j] = ad[i];                                                         \
			if (j == n)                                                           \
				n++;                                                          \
		}                                                                             \
		*nout = n;                                                                    \
		return v;                                                                     \
	}

#define DEFINE_PREPEND(fn, T)                                                                 \
	static T **fn(struct ds_arena *a, T **o, size_t no, T **ad, size_t nad, size_t *nout) \
	{                                                                                     \
		T **v = ds_arena_alloc(a, (no + nad + 1) * sizeof *v);                        \
		if (nad)                                                                      \
			memcpy(v, ad, nad * sizeof *v);                                       \
		if (no)                                                                       \
			memcpy(v + nad, o, no * sizeof *v);                                   \
		*nout = no + nad;                                                             \
		return v;                                                                     \
	}

DEFINE_MERGE_KEYED(merge_rel, struct ds_catalog_release, codename)
DEFINE_MERGE_KEYED(merge_acc, struct ds_catalog_accounts, name)
DEFINE_MERGE_KEYED(merge_rt, struct rt_def, pub.name)
DEFINE_MERGE_KEYED(merge_apk, struct apk, name)
DEFINE_MERGE_KEYED(merge_tools, struct ds_catalog_tool, name)
DEFINE_PREPEND(prepend_rules, struct rule)
DEFINE_PREPEND(prepend_st, struct status_rule)
DEFINE_PREPEND(prepend_a2d, struct a2d)

static void merge(struct ds_catalog *c, struct tables *l)
{
	struct tables *t = &c->t;
	struct ds_arena *a = &c->arena;
	t->rel = merge_rel(a, t->rel, t->n_rel, l->rel, l->n_rel, &t->n_rel);
	t->acc = merge_acc(a, t->acc, t->n_acc, l->acc, l->n_acc, &t->n_acc);
	for (int i = 0; i < 2; i++) {
		struct ds_catalog_vendor *d = &t->vend[i].pub;
		const struct ds_catalog_vendor *s = &l->vend[i].pub;
		const struct vendor_set *f = &l->vset[i];
		if (f->registry)
			d->registry = s->registry;
		if (f->default_debian)
			d->default_debian = s->default_debian;
		if (f->default_tag)
			d->default_tag = s->default_tag;
		if (f->match)
			d->match = s->match;
		if (f->path)
			d->path = s->path;
		if (f->arch)
			d->arch_suffixes = s->arch_suffixes;
		if (f->tags) {
			d->tags = s->tags;
			d->n_tags = s->n_tags;
		}
		if (f->debug_path)
			d->debug_path = s->debug_path;
		if (f->debug_binaries)
			d->debug_binaries = s->debug_binaries;
		t->vend[i].rt = merge_rt(a, t->vend[i].rt, t->vend[i].n_rt, l->vend[i].rt,
					 l->vend[i].n_rt, &t->vend[i].n_rt);
	}
	t->rules = prepend_rules(a, t->rules, t->n_rules, l->rules, l->n_rules, &t->n_rules);
	t->st = prepend_st(a, t->st, t->n_st, l->st, l->n_st, &t->n_st);
	t->a2d = prepend_a2d(a, t->a2d, t->n_a2d, l->a2d, l->n_a2d, &t->n_a2d);
	t->apk = merge_apk(a, t->apk, t->n_apk, l->apk, l->n_apk, &t->n_apk);
	t->tools = merge_tools(a, t->tools, t->n_tools, l->tools, l->n_tools, &t->n_tools);
}

static struct ds_strlist concat(struct ds_arena *a, struct ds_strlist x, struct ds_strlist y)
{
	struct ds_strlist r;
	if (!x.n)
		return y;
	if (!y.n)
		return x;
	const char **v = ds_arena_alloc(a, (x.n + y.n) * sizeof *v);
	memcpy(v, x.v, x.n * sizeof *v);
	memcpy(v + x.n, y.v, y.n * sizeof *v);
	r.v = v;
	r.n = x.n + y.n;
	return r;
}

static struct rt_def *find_def(const struct vendor *v, const char *name)
{
	for (size_t i = 0; i < v->n_rt; i++)
		if (strcmp(v->rt[i]->pub.name, name) == 0)
			return v->rt[i];
	return NULL;
}

static void compute(struct ds_arena *a, struct vendor *v, struct rt_def *d,
		    const struct rt_def *pd)
{
	struct ds_catalog_runtime *p = &d->pub;
	const struct ds_catalog_runtime *pp = pd ? &pd->pub : NULL;
	static const struct ds_strlist none = { NULL, 0 };
	p->vendor = &v->pub;
	if (d->image)
		p->image = d->image;
	else if (v->pub.registry)
		p->image = ds_arena_printf(a, "%s/%s", v->pub.registry, p->name);
	else
		p->image = p->name;
	p->debian = d->has_debian ? d->debian : pp ? pp->debian : none;
	p->language = d->language ? d->language : pp ? pp->language : NULL;
	p->version = d->version ? d->version : pp ? pp->version : NULL;
	p->libc = d->libc != DS_LIBC_UNKNOWN ? d->libc : pp ? pp->libc : DS_LIBC_UNKNOWN;
	p->entrypoint = d->has_entrypoint ? d->entrypoint : pp ? pp->entrypoint : none;
	p->entrypoint_aliases = d->has_aliases ? d->aliases : pp ? pp->entrypoint_aliases : none;
	p->user = d->user ? d->user : pp ? pp->user : NULL;
	p->packages = concat(a, pp ? pp->packages : none, d->packages);
	p->binaries = concat(a, pp ? pp->binaries : none, d->binaries);
	p->paths = concat(a, pp ? pp->paths : none, d->paths);
	p->is_default = d->is_default;
	p->accounts = NULL;
	p->chainguard = NULL;
	d->r_accounts = d->accounts ? d->accounts : pd ? pd->r_accounts : NULL;
	d->r_chainguard = d->chainguard ? d->chainguard : pd ? pd->r_chainguard : NULL;
}

static const struct ds_catalog_accounts *find_acc(const struct tables *t, const char *name)
{
	for (size_t i = 0; i < t->n_acc; i++)
		if (strcmp(t->acc[i]->name, name) == 0)
			return t->acc[i];
	return NULL;
}

static int resolve_vendor(struct ds_catalog *c, struct vendor *v, struct ds_catalog_error *err)
{
	size_t done = 0;
	for (size_t i = 0; i < v->n_rt; i++)
		v->rt[i]->state = 0;
	while (done < v->n_rt) {
		bool progress = false;
		for (size_t i = 0; i < v->n_rt; i++) {
			struct rt_def *d = v->rt[i], *pd = NULL;
			if (d->state)
				continue;
			if (d->extends) {
				pd = find_def(v, d->extends);
				if (!pd) {
					set_err(err, d->file, d->line, d->col,
						"runtime \"%.64s\" extends unknown runtime \"%.64s\"",
						d->pub.name, d->extends);
					return -1;
				}
				if (!pd->state)
					continue;
			}
			compute(&c->arena, v, d, pd);
			d->state = 1;
			done++;
			progress = true;
		}
		if (!progress) {
			for (size_t i = 0; i < v->n_rt; i++) {
				struct rt_def *d = v->rt[i];
				if (!d->state) {
					set_err(err, d->file, d->line, d->col,
						"runtime \"%.64s\" extends itself through \"%.64s\"",
						d->pub.name, d->extends);
					return -1;
				}
			}
		}
	}
	const struct ds_catalog_runtime **pubs =
		ds_arena_alloc(&c->arena, (v->n_rt + 1) * sizeof *pubs);
	for (size_t i = 0; i < v->n_rt; i++)
		pubs[i] = &v->rt[i]->pub;
	v->rt_pub = pubs;
	return 0;
}

static const struct ds_catalog_runtime *rule_rt(const struct tables *t, const struct rule *r,
						const char *name, struct ds_catalog_error *err)
{
	const struct rt_def *d = find_def(&t->vend[V_DISTROLESS], name);
	if (!d)
		set_err(err, r->file, r->line, r->col, "unknown runtime \"%.64s\" in a rule", name);
	return d ? &d->pub : NULL;
}

static int resolve(struct ds_catalog *c, struct ds_catalog_error *err)
{
	struct tables *t = &c->t;
	for (int i = 0; i < 2; i++)
		if (resolve_vendor(c, &t->vend[i], err))
			return -1;
	for (int i = 0; i < 2; i++) {
		struct vendor *v = &t->vend[i];
		for (size_t j = 0; j < v->n_rt; j++) {
			struct rt_def *d = v->rt[j];
			if (d->r_accounts && !(d->pub.accounts = find_acc(t, d->r_accounts))) {
				set_err(err, d->file, d->line, d->col,
					"runtime \"%.64s\" names unknown accounts \"%.64s\"",
					d->pub.name, d->r_accounts);
				return -1;
			}
			if (i == V_CHAINGUARD) {
				d->pub.chainguard = &d->pub;
			} else if (d->r_chainguard) {
				const struct rt_def *cg = find_def(&t->vend[V_CHAINGUARD],
								   d->r_chainguard);
				if (!cg) {
					set_err(err, d->file, d->line, d->col,
						"runtime \"%.64s\" names unknown chainguard runtime \"%.64s\"",
						d->pub.name, d->r_chainguard);
					return -1;
				}
				d->pub.chainguard = &cg->pub;
			}
		}
	}
	for (size_t i = 0; i < t->n_rules; i++) {
		struct rule *r = t->rules[i];
		r->r_rt = r->r_static = r->r_dynamic = NULL;
		if (r->rk == RK_NAME && !(r->r_rt = rule_rt(t, r, r->runtime, err)))
			return -1;
		if (r->rt_static && !(r->r_static = rule_rt(t, r, r->rt_static, err)))
			return -1;
		if (r->rt_dynamic && !(r->r_dynamic = rule_rt(t, r, r->rt_dynamic, err)))
			return -1;
	}
	return 0;
}

static struct ds_catalog *catalog_new(void)
{
	struct ds_catalog *c = ds_xcalloc(1, sizeof *c);
	ds_arena_init(&c->arena);
	c->t.vend[V_DISTROLESS].pub.name = "distroless";
	c->t.vend[V_CHAINGUARD].pub.name = "chainguard";
	return c;
}

static int overlay(struct ds_catalog *c, const char *name, const char *data, size_t len,
		   bool quick, struct ds_catalog_error *err)
{
	struct ds_arena tmp;
	struct node *root = NULL;
	struct tables layer, saved;
	int rc = -1;

	ds_arena_init(&tmp);
	memset(&layer, 0, sizeof layer);
	struct ld ld = { c, &c->arena, ds_arena_strdup(&c->arena, name ? name : "<catalogue>"),
			 err, &layer };
	if (!quick || tree_quick(&tmp, &c->arena, data, len, &root) != 0) {
		ds_arena_release(&tmp);
		if (tree_libyaml(&tmp, &c->arena, ld.file, data, len, &root, err))
			goto out;
	}
	if (walk_root(&ld, root))
		goto out;
	saved = c->t;
	merge(c, &layer);
	if (resolve(c, err)) {
		c->t = saved;
		if (resolve(c, NULL))
			abort(); /* the previous tables resolved before */
		goto out;
	}
	rc = 0;
out:
	ds_arena_release(&tmp);
	return rc;
}

int ds_catalog_load_builtin(struct ds_catalog **out, struct ds_catalog_error *err)
{
	struct ds_catalog *c = catalog_new();
	if (overlay(c, "<builtin>", (const char *)ds_catalog_builtin_yaml,
		    (size_t)ds_catalog_builtin_yaml_len, true, err)) {
		ds_catalog_free(c);
		*out = NULL;
		return -1;
	}
	*out = c;
	return 0;
}

int ds_catalog_load_mem(struct ds_catalog **out, const char *name, const char *data,
			size_t len, struct ds_catalog_error *err)
{
	struct ds_catalog *c = catalog_new();
	if (overlay(c, name, data, len, false, err)) {
		ds_catalog_free(c);
		*out = NULL;
		return -1;
	}
	*out = c;
	return 0;
}

int ds_catalog_overlay_mem(struct ds_catalog *c, const char *name, const char *data, size_t len,
			   struct ds_catalog_error *err)
{
	return overlay(c, name, data, len, false, err);
}

int ds_catalog_overlay_file(struct ds_catalog *c, const char *path,
			    struct ds_catalog_error *err)
{
	struct ds_buf b = DS_BUF_INIT;
	int e = 0;
	enum ds_file_status st = ds_file_read(path, 0, DS_CATALOG_MAX_FILE, &b, NULL, &e);
	if (st != DS_FILE_OK) {
		if (st == DS_FILE_TOO_BIG)
			set_err(err, path, 0, 0, "\"%.128s\" is larger than %zu bytes", path, (size_t)DS_CATALOG_MAX_FILE);
		else
			set_err(err, path, 0, 0, "cannot open \"%.128s\": %s", path,
				st == DS_FILE_DIR ? "is a directory" : strerror(e));
		ds_buf_release(&b);
		return -1;
	}
	int rc = overlay(c, path, b.buf ? b.buf : "", b.len, false, err);
	ds_buf_release(&b);
	return rc;
}

void ds_catalog_free(struct ds_catalog *c)
{
	if (!c)
		return;
	ds_arena_release(&c->arena);
	free(c);
}

/* ------------------------------------------------------------------ */
/* queries                                                            */

/* Glob with *, ? and [a-z] / [!a-z] classes; a malformed class is literal. */
static bool glob_class(const char **pp, char c)
{
	const char *p = *pp + 1;
	bool neg = false, hit = false;
	if (*p == '!') {
		neg = true;
		p++;
	}
	const char *start = p;
	while (*p && (*p != ']' || p == start)) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= p[0] && c <= p[2])
				hit = true;
			p += 3;
		} else {
			if (c == *p)
				hit = true;
			p++;
		}
	}
	if (*p != ']')
		return false; /* caller treats '[' literally */
	*pp = p + 1;
	return hit != neg;
}

static bool glob_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;
	while (*s) {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (*p == '[' && strchr(p + 1, ']')) {
			const char *q = p;
			if (glob_class(&q, *s)) {
				p = q;
				s++;
				continue;
			}
		} else if (*p && (*p == '?' || *p == *s)) {
			p++;
			s++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static bool globs_match(const struct ds_strlist *g, const char *s)
{
	if (!g->n)
		return true;
	for (size_t i = 0; i < g->n; i++)
		if (glob_match(g->v[i], s))
			return true;
	return false;
}

static bool list_has(const struct ds_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

const struct ds_catalog_vendor *ds_catalog_distroless(const struct ds_catalog *c)
{
	return &c->t.vend[V_DISTROLESS].pub;
}

const struct ds_catalog_vendor *ds_catalog_chainguard(const struct ds_catalog *c)
{
	return &c->t.vend[V_CHAINGUARD].pub;
}

const struct ds_catalog_runtime *ds_catalog_runtime(const struct ds_catalog *c, const char *name)
{
	const struct rt_def *d = find_def(&c->t.vend[V_DISTROLESS], name);
	return d ? &d->pub : NULL;
}

const struct ds_catalog_runtime *ds_catalog_chainguard_runtime(const struct ds_catalog *c,
								const char *name)
{
	const struct rt_def *d = find_def(&c->t.vend[V_CHAINGUARD], name);
	return d ? &d->pub : NULL;
}

size_t ds_catalog_runtimes(const struct ds_catalog *c, const struct ds_catalog_vendor *v,
			   const struct ds_catalog_runtime *const **v_out)
{
	for (int i = 0; i < 2; i++) {
		if (v == &c->t.vend[i].pub) {
			*v_out = c->t.vend[i].rt_pub;
			return c->t.vend[i].n_rt;
		}
	}
	*v_out = NULL;
	return 0;
}

const struct ds_catalog_runtime *ds_catalog_chainguard_equivalent(const struct ds_catalog_runtime *rt)
{
	return rt ? rt->chainguard : NULL;
}

const struct ds_catalog_release *ds_catalog_release(const struct ds_catalog *c,
						    const char *codename)
{
	for (size_t i = 0; i < c->t.n_rel; i++)
		if (strcmp(c->t.rel[i]->codename, codename) == 0)
			return c->t.rel[i];
	return NULL;
}

const struct ds_catalog_release *ds_catalog_release_find(const struct ds_catalog *c,
							 const char *distro, const char *version)
{
	for (size_t i = 0; i < c->t.n_rel; i++)
		if (strcmp(c->t.rel[i]->distro, distro) == 0 &&
		    strcmp(c->t.rel[i]->version, version) == 0)
			return c->t.rel[i];
	return NULL;
}

const char *ds_catalog_glibc(const struct ds_catalog *c, const char *codename)
{
	const struct ds_catalog_release *r = ds_catalog_release(c, codename);
	return r ? r->glibc : NULL;
}

/* The Debian release a runtime image is taken from. */
static const char *pick_debian(const struct ds_catalog_runtime *rt, const char *debian)
{
	if (debian)
		return list_has(&rt->debian, debian) ? debian : NULL;
	const char *def = rt->vendor ? rt->vendor->default_debian : NULL;
	if (def && list_has(&rt->debian, def))
		return def;
	const char *best = NULL;
	for (size_t i = 0; i < rt->debian.n; i++)
		if (!best || ds_catalog_version_cmp(rt->debian.v[i], best) > 0)
			best = rt->debian.v[i];
	return best;
}

const char *ds_catalog_runtime_glibc(const struct ds_catalog *c,
				     const struct ds_catalog_runtime *rt, const char *debian)
{
	if (!rt || rt->libc != DS_LIBC_GLIBC || !rt->vendor || !rt->vendor->default_debian)
		return NULL;
	const char *d = pick_debian(rt, debian);
	const struct ds_catalog_release *r = d ? ds_catalog_release_find(c, "debian", d) : NULL;
	return r ? r->glibc : NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool islower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c);
}

int ds_catalog_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		if (is_digit(*a) && is_digit(*b)) {
			while (*a == '0' && is_digit(a[1]))
				a++;
			while (*b == '0' && is_digit(b[1]))
				b++;
			size_t la = 0, lb = 0;
			while (is_digit(a[la]))
				la++;
			while (is_digit(b[lb]))
				lb++;
			if (la != lb)
				return la < lb ? -1 : 1;
			int r = strncmp(a, b, la);
			if (r)
				return r;
			a += la;
			b += lb;
			continue;
		}
		if (!*a)
			return -1;
		if (!*b)
			return 1;
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return 0;
}

/* Reads a version as a spec says from the tag or the image's last path component. */
static const char *extract(const struct vspecs *vs, const struct ds_imageref *ref,
			   struct ds_arena *a)
{
	for (size_t i = 0; i < vs->n; i++) {
		const struct vspec *v = &vs->v[i];
		if (v->src == VS_LIT)
			return v->lit;
		const char *t = v->src == VS_TAG ? ref->tag : ref->name;
		if (!t)
			continue;
		if (v->marker) {
			t = strstr(t, v->marker);
			if (!t)
				continue;
			t += strlen(v->marker);
		} else if (*t == 'v' && is_digit(t[1])) {
			t++;
		}
		if (!is_digit(*t))
			continue;
		size_t n = 0;
		while (is_digit(t[n]))
			n++;
		if (v->minor && t[n] == '.' && is_digit(t[n + 1])) {
			n++;
			while (is_digit(t[n]))
				n++;
		}
		return ds_arena_strndup(a, t, n);
	}
	return NULL;
}

/* A release codename among the '-', '_', '.', '/' separated words of s. */
static const struct ds_catalog_release *scan_release(const struct ds_catalog *c, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "-_./:");
		for (size_t i = 0; n && i < c->t.n_rel; i++) {
			const char *cn = c->t.rel[i]->codename;
			if (strlen(cn) == n && memcmp(cn, s, n) == 0)
				return c->t.rel[i];
		}
		s += n;
		if (*s)
			s++;
	}
	return NULL;
}

static enum ds_libc family_libc(enum ds_family f)
{
	switch (f) {
	case DS_FAMILY_ALPINE:
		return DS_LIBC_MUSL;
	case DS_FAMILY_DEBIAN:
	case DS_FAMILY_UBUNTU:
	case DS_FAMILY_RPM:
	case DS_FAMILY_DISTROLESS:
	case DS_FAMILY_CHAINGUARD:
		return DS_LIBC_GLIBC;
	case DS_FAMILY_SCRATCH:
		return DS_LIBC_NONE;
	default:
		return DS_LIBC_UNKNOWN;
	}
}

static int family_shell(enum ds_family f)
{
	switch (f) {
	case DS_FAMILY_ALPINE:
	case DS_FAMILY_DEBIAN:
	case DS_FAMILY_UBUNTU:
	case DS_FAMILY_RPM:
	case DS_FAMILY_BUSYBOX:
	case DS_FAMILY_WINDOWS:
		return 1;
	case DS_FAMILY_SCRATCH:
	case DS_FAMILY_DISTROLESS:
	case DS_FAMILY_CHAINGUARD:
		return 0;
	default:
		return -1;
	}
}

/* Length of name without a "-debianNN" suffix; *deb gets "NN" or NULL. */
static size_t strip_debian(const char *name, const char **deb_at, size_t *deb_len)
{
	size_t n = strlen(name);
	const char *p = NULL;
	for (const char *q = strstr(name, "-debian"); q; q = strstr(q + 1, "-debian"))
		p = q;
	*deb_at = NULL;
	*deb_len = 0;
	if (!p || !is_digit(p[7]))
		return n;
	for (const char *q = p + 7; *q; q++)
		if (!is_digit(*q))
			return n;
	*deb_at = p + 7;
	*deb_len = n - (size_t)(p + 7 - name);
	return (size_t)(p - name);
}

static bool rt_published(const struct ds_catalog_runtime *rt, const char *debian)
{
	if (!rt->vendor || !rt->vendor->default_debian)
		return true; /* a vendor without releases: every runtime is published */
	if (!debian)
		return rt->debian.n > 0;
	return list_has(&rt->debian, debian);
}

/* Replaces every "{key}" in t by val. */
static const char *expand(struct ds_arena *a, const char *t, const char *key, const char *val)
{
	if (!t || !strstr(t, key))
		return t;
	size_t kl = strlen(key), vl = strlen(val), n = 0;
	for (const char *p = strstr(t, key); p; p = strstr(p + kl, key))
		n++;
	char *out = ds_arena_alloc(a, strlen(t) + n * vl + 1), *o = out;
	for (const char *p = t; *p;) {
		if (strncmp(p, key, kl) == 0) {
			memcpy(o, val, vl);
			o += vl;
			p += kl;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static void pick_auto(const struct ds_catalog *c, struct ds_image_class *out, struct ds_arena *a)
{
	const struct vendor *v = &c->t.vend[V_DISTROLESS];
	const struct ds_catalog_runtime *exact = NULL, *newer = NULL, *dflt = NULL, *top = NULL;
	bool any = false;
	if (!out->language) {
		out->target = DS_TARGET_UNKNOWN;
		return;
	}
	for (size_t i = 0; i < v->n_rt; i++) {
		const struct ds_catalog_runtime *rt = &v->rt[i]->pub;
		if (!rt->language || strcmp(rt->language, out->language) != 0 ||
		    !rt_published(rt, NULL))
			continue;
		any = true;
		if (rt->is_default && !dflt)
			dflt = rt;
		if (rt->version && (!top || ds_catalog_version_cmp(rt->version, top->version) > 0))
			top = rt;
		if (!out->version || !rt->version)
			continue;
		int cmp = ds_catalog_version_cmp(rt->version, out->version);
		if (cmp == 0 && !exact)
			exact = rt;
		else if (cmp > 0 && (!newer || ds_catalog_version_cmp(rt->version, newer->version) < 0))
			newer = rt;
	}
	if (!any) {
		out->target = DS_TARGET_NONE;
		out->reason = ds_arena_printf(a, "distroless publishes no %s runtime", out->language);
	} else if (!out->version) {
		out->target = DS_TARGET_BUMP;
		out->runtime = dflt ? dflt : top;
		out->reason = ds_arena_printf(a, "the image names no %s version; pin one",
					      out->language);
	} else if (exact) {
		out->target = DS_TARGET_RUNTIME;
		out->runtime = exact;
	} else if (newer) {
		out->target = DS_TARGET_BUMP;
		out->runtime = newer;
		out->reason = ds_arena_printf(a,
					      "no distroless runtime for %s %s; needs a bump to \"%s\"",
					      out->language, out->version, newer->name);
	} else {
		out->target = DS_TARGET_BUMP;
		out->reason = ds_arena_printf(a, "no distroless runtime for %s %s yet", out->language,
					      out->version);
	}
}

static void classify_vendor(const struct ds_catalog *c, const struct ds_imageref *ref,
			    const char *tag, struct ds_arena *a, struct ds_image_class *out)
{
	for (int i = 0; i < 2; i++) {
		const struct vendor *v = &c->t.vend[i];
		if (!v->pub.match.n || !globs_match(&v->pub.match, ref->familiar))
			continue;
		const char *deb;
		size_t deb_len;
		size_t base = strip_debian(ref->name, &deb, &deb_len);
		char *key = ds_arena_strndup(a, ref->name, base);
		const struct rt_def *d = find_def(v, key);
		out->vendor = &v->pub;
		out->self = d ? &d->pub : NULL;
		out->debian = deb ? ds_arena_strndup(a, deb, deb_len) : NULL;
		/* the tag without an architecture suffix ("nonroot-amd64") */
		size_t tl = strlen(tag);
		for (size_t k = 0; k < v->pub.arch_suffixes.n; k++) {
			const char *s = v->pub.arch_suffixes.v[k];
			size_t sl = strlen(s);
			if (tl > sl + 1 && tag[tl - sl - 1] == '-' && strcmp(tag + tl - sl, s) == 0) {
				tl -= sl + 1;
				break;
			}
		}
		char *t = ds_arena_strndup(a, tag, tl);
		for (size_t k = 0; k < v->pub.n_tags; k++) {
			const struct ds_catalog_tagrule *tr = &v->pub.tags[k];
			if (!glob_match(tr->match, t))
				continue;
			out->tag_known = true;
			out->debug = tr->debug;
			out->user = tr->user ? tr->user : d ? d->pub.user : NULL;
			out->nonroot = out->user && strcmp(out->user, "root") != 0 &&
				       strcmp(out->user, "0") != 0;
			/* a debug tag has a shell; a plain tag of a known runtime has none */
			if (tr->debug)
				out->shell = 1;
			else if (d)
				out->shell = 0;
			break;
		}
		if (d)
			out->libc = d->pub.libc;
		return;
	}
}

int ds_catalog_classify(const struct ds_catalog *c, const struct ds_imageref *ref,
			struct ds_arena *a, struct ds_image_class *out)
{
	const struct rule *r_fam = NULL, *r_rel = NULL, *r_lang = NULL, *r_tgt = NULL;
	int shell = -1;

	memset(out, 0, sizeof *out);
	out->shell = -1;
	if (!ref)
		return -1;
	out->unresolved = ref->unresolved;
	if (ref->is_scratch) {
		out->family = DS_FAMILY_SCRATCH;
		out->libc = DS_LIBC_NONE;
		out->shell = 0;
		out->target = DS_TARGET_BINARY;
		return 0;
	}
	const char *name = ref->familiar ? ref->familiar : "";
	const char *tag = ref->tag ? ref->tag : "latest";
	struct ds_imageref r = *ref;
	if (!r.familiar)
		r.familiar = name;
	if (!r.name)
		r.name = name;

	for (size_t i = 0; i < c->t.n_rules; i++) {
		const struct rule *ru = c->t.rules[i];
		if (!globs_match(&ru->image, name) || !globs_match(&ru->tag, tag))
			continue;
		if (!r_fam && (ru->has_family || ru->has_libc))
			r_fam = ru;
		if (!r_rel && ru->release.n)
			r_rel = ru;
		if (!r_lang && ru->has_lang)
			r_lang = ru;
		if (!r_tgt && ru->has_target)
			r_tgt = ru;
		if (shell < 0 && ru->shell >= 0)
			shell = ru->shell;
		if (ru->stop)
			break;
	}

	out->family = r_fam && r_fam->has_family ? r_fam->family : DS_FAMILY_UNKNOWN;
	if (r_lang) {
		out->language = r_lang->language;
		out->version = extract(&r_lang->version, &r, a);
	}
	if (r_rel) {
		const char *rv = extract(&r_rel->release, &r, a);
		if (rv && !(out->release = ds_catalog_release(c, rv)))
			out->release = ds_catalog_release_find(c, ds_family_name(out->family), rv);
	}
	if (!out->release) {
		const struct ds_catalog_release *rel = scan_release(c, ref->tag);
		if (!rel)
			rel = scan_release(c, ref->path);
		if (rel && (out->family == DS_FAMILY_UNKNOWN || out->family == DS_FAMILY_DEBIAN ||
			    out->family == DS_FAMILY_UBUNTU)) {
			out->release = rel;
			out->family = rel->family;
		}
	}
	out->libc = r_fam && r_fam->has_libc ? r_fam->libc : family_libc(out->family);
	out->shell = shell >= 0 ? shell : family_shell(out->family);

	classify_vendor(c, &r, tag, a, out);

	/* what to move onto */
	if (r_tgt) {
		out->static_runtime = r_tgt->r_static;
		out->dynamic_runtime = r_tgt->r_dynamic;
		if (r_tgt->no_runtime) {
			out->target = DS_TARGET_NONE;
			out->reason = r_tgt->no_runtime;
			out->suggest = expand(a, r_tgt->suggest, "{version}",
					      out->version ? out->version : "<version>");
		} else if (r_tgt->rk == RK_AUTO) {
			pick_auto(c, out, a);
		} else if (r_tgt->rk == RK_BINARY) {
			out->target = DS_TARGET_BINARY;
		} else {
			out->target = DS_TARGET_RUNTIME;
			out->runtime = r_tgt->r_rt ? r_tgt->r_rt
				       : r_tgt->r_dynamic ? r_tgt->r_dynamic
							   : r_tgt->r_static;
		}
	}

	/* status */
	for (size_t i = 0; i < c->t.n_st; i++) {
		const struct status_rule *s = c->t.st[i];
		if (!globs_match(&s->image, name) || !globs_match(&s->tag, tag))
			continue;
		out->status = s->status;
		out->status_message = s->message;
		if (s->replacement) {
			const char *deb;
			size_t deb_len;
			size_t base = strip_debian(name, &deb, &deb_len);
			out->replacement = expand(a, s->replacement, "{name}",
						  ds_arena_strndup(a, name, base));
		}
		return 0;
	}
	if (out->vendor && out->self && rt_published(out->self, out->debian) &&
	    (out->debian || !out->vendor->default_debian))
		out->status = DS_STATUS_CURRENT;
	return 0;
}

/* Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
static bool valid_tag(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > 128 || t[0] == '.' || t[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = t[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || is_digit(ch) ||
		      ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

/* A path component: lower-case alphanumerics joined by '.', '_', '__' or '-'s. */
static bool valid_component(const char *s)
{
	size_t n = strlen(s);
	if (!n || !(islower_alnum(s[0]) && islower_alnum(s[n - 1])))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (islower_alnum(s[i]) || s[i] == '-')
			continue;
		if ((s[i] == '.' || s[i] == '_') && islower_alnum(s[i + 1]))
			continue;
		if (s[i] == '_' && s[i + 1] == '_' && islower_alnum(s[i + 2])) {
			i++;
			continue;
		}
		return false;
	}
	return true;
}

/* Fills the derived fields of an image reference built here. */
static void ref_derive(struct ds_arena *a, struct ds_imageref *r)
{
	const char *slash = strrchr(r->path, '/');
	const char *reg = r->registry;
	r->name = slash ? slash + 1 : r->path;
	r->docker_hub = !reg || strcmp(reg, "docker.io") == 0 ||
			strcmp(reg, "index.docker.io") == 0 || strcmp(reg, "registry-1.docker.io") == 0;
	r->repository = r->path;
	if (r->docker_hub && strncmp(r->path, "library/", 8) == 0 && !strchr(r->path + 8, '/'))
		r->repository = r->path + 8;
	r->familiar = r->docker_hub ? r->repository : ds_arena_printf(a, "%s/%s", reg, r->path);
}

int ds_catalog_debian_for_alpine(const struct ds_catalog *c, const struct ds_imageref *ref,
				 const char *codename, struct ds_arena *a,
				 struct ds_imageref *out)
{
	if (!ref || !ref->familiar || !ref->path || ref->unresolved || ref->is_scratch ||
	    !codename || !ds_catalog_release(c, codename))
		return -1;
	for (size_t i = 0; i < c->t.n_a2d; i++) {
		const struct a2d *m = c->t.a2d[i];
		if (!globs_match(&m->image, ref->familiar))
			continue;
		const char *tag = ref->tag ? ref->tag : "latest";
		const char *al = strstr(tag, "alpine");
		const char *prefix = NULL;
		if (al) {
			size_t pl = (size_t)(al - tag);
			if (pl && tag[pl - 1] == '-')
				pl--;
			prefix = ds_arena_strndup(a, tag, pl);
		}
		if (!prefix && strstr(m->tag, "{prefix"))
			return -1; /* not an Alpine tag of this image */
		const char *t = m->tag;
		if (prefix) {
			t = expand(a, t, "{prefix-}", *prefix ? ds_arena_printf(a, "%s-", prefix) : "");
			t = expand(a, t, "{prefix}", prefix);
		}
		t = expand(a, t, "{codename}", codename);
		if (!*t)
			t = "latest";
		if (!valid_tag(t) || (m->name && !valid_component(m->name)))
			return -1; /* the template made no valid reference of this tag */
		memset(out, 0, sizeof *out);
		out->registry = ref->registry ? ds_arena_strdup(a, ref->registry) : NULL;
		if (m->name) {
			const char *slash = strrchr(ref->path, '/');
			size_t keep = slash ? (size_t)(slash - ref->path) + 1 : 0;
			out->path = ds_arena_printf(a, "%.*s%s", (int)keep, ref->path, m->name);
		} else {
			out->path = ds_arena_strdup(a, ref->path);
		}
		out->tag = ds_arena_strdup(a, t);
		ref_derive(a, out);
		return 0;
	}
	return -1;
}

const struct ds_strlist *ds_catalog_apk_to_apt(const struct ds_catalog *c, const char *apk)
{
	for (size_t i = 0; i < c->t.n_apk; i++)
		if (strcmp(c->t.apk[i]->name, apk) == 0)
			return &c->t.apk[i]->apt;
	return NULL;
}

const struct ds_catalog_tool *ds_catalog_tool(const struct ds_catalog *c, const char *cmd)
{
	const char *base = strrchr(cmd, '/');
	base = base ? base + 1 : cmd;
	for (size_t i = 0; i < c->t.n_tools; i++)
		if (strcmp(c->t.tools[i]->name, base) == 0)
			return c->t.tools[i];
	return NULL;
}

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

static const struct ds_catalog_account *find_account(const struct ds_catalog_account *v,
						     size_t n, const char *s, size_t len)
{
	bool num = all_digits(s, len);
	unsigned long id = num && len <= 10 ? strtoul(s, NULL, 10) : 0;
	for (size_t i = 0; i < n; i++) {
		if (num ? len <= 10 && v[i].id == id
			: strlen(v[i].name) == len && memcmp(v[i].name, s, len) == 0)
			return &v[i];
	}
	return NULL;
}

const struct ds_catalog_account *ds_catalog_runtime_user(const struct ds_catalog_runtime *rt,
							 const char *name)
{
	if (!rt || !rt->accounts)
		return NULL;
	return find_account(rt->accounts->users, rt->accounts->n_users, name, strlen(name));
}

const struct ds_catalog_account *ds_catalog_runtime_group(const struct ds_catalog_runtime *rt,
							  const char *name)
{
	if (!rt || !rt->accounts)
		return NULL;
	return find_account(rt->accounts->groups, rt->accounts->n_groups, name, strlen(name));
}

int ds_catalog_runtime_has_user(const struct ds_catalog_runtime *rt, const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
	if (!ul)
		return 0;
	if (!all_digits(spec, ul) &&
	    !(rt->accounts &&
	      find_account(rt->accounts->users, rt->accounts->n_users, spec, ul)))
		return 0;
	if (!colon)
		return 1;
	const char *g = colon + 1;
	size_t gl = strlen(g);
	if (!gl)
		return 0;
	if (all_digits(g, gl))
		return 1;
	return rt->accounts &&
	       find_account(rt->accounts->groups, rt->accounts->n_groups, g, gl) != NULL;
}

/* Is binary b (absolute) found as bare cmd through the directories dirs? */
static bool on_path(const char *b, const char *cmd, const struct ds_strlist *dirs)
{
	const char *slash = strrchr(b, '/');
	if (!slash || strcmp(slash + 1, cmd) != 0)
		return false;
	size_t dl = (size_t)(slash - b);
	for (size_t i = 0; i < dirs->n; i++)
		if (strlen(dirs->v[i]) == dl && memcmp(dirs->v[i], b, dl) == 0)
			return true;
	return false;
}

int ds_catalog_runtime_has_binary(const struct ds_catalog_runtime *rt, const char *cmd,
				  bool debug)
{
	const struct ds_catalog_vendor *v = rt->vendor;
	static const struct ds_strlist none = { NULL, 0 };
	const struct ds_strlist *dbin = debug && v ? &v->debug_binaries : &none;
	if (!*cmd)
		return 0;
	if (strchr(cmd, '/')) {
		if (cmd[0] != '/')
			return 0; /* relative to WORKDIR: not something the runtime ships */
		return list_has(&rt->binaries, cmd) || list_has(dbin, cmd);
	}
	for (size_t i = 0; i < rt->binaries.n; i++)
		if (v && on_path(rt->binaries.v[i], cmd, &v->path))
			return 1;
	for (size_t i = 0; i < dbin->n; i++)
		if (on_path(dbin->v[i], cmd, &v->path) || on_path(dbin->v[i], cmd, &v->debug_path))
			return 1;
	return 0;
}

int ds_catalog_runtime_has_package(const struct ds_catalog_runtime *rt, const char *pkg)
{
	return list_has(&rt->packages, pkg);
}

/* path is entry itself or one of its parent directories. */
static bool path_covers(const char *entry, const char *path, size_t pl)
{
	return strncmp(entry, path, pl) == 0 && (entry[pl] == '\0' || entry[pl] == '/');
}

int ds_catalog_runtime_has_path(const struct ds_catalog_runtime *rt, const char *path)
{
	size_t pl = strlen(path);
	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	if (pl == 1 && path[0] == '/')
		return 1;
	for (size_t i = 0; i < rt->paths.n; i++)
		if (path_covers(rt->paths.v[i], path, pl))
			return 1;
	for (size_t i = 0; i < rt->binaries.n; i++)
		if (path_covers(rt->binaries.v[i], path, pl))
			return 1;
	return 0;
}

int ds_catalog_runtime_is_entrypoint(const struct ds_catalog_runtime *rt, const char *cmd)
{
	if (rt->entrypoint.n && strcmp(rt->entrypoint.v[0], cmd) == 0)
		return 1;
	return list_has(&rt->entrypoint_aliases, cmd);
}

char *ds_catalog_runtime_ref(const struct ds_catalog_runtime *rt, const char *debian,
			     const char *tag, struct ds_arena *a)
{
	const struct ds_catalog_vendor *v = rt->vendor;
	if (!tag)
		tag = v && v->default_tag ? v->default_tag : "latest";
	if (!v || !v->default_debian)
		return ds_arena_printf(a, "%s:%s", rt->image, tag);
	const char *d = pick_debian(rt, debian);
	if (!d)
		return NULL;
	return ds_arena_printf(a, "%s-debian%s:%s", rt->image, d, tag);
}

static int same_tree(const struct node *x, const struct node *y, char *why, size_t wl)
{
	if (!x || !y) {
		if (x != y)
			snprintf(why, wl, "one tree is empty");
		return x == y;
	}
	if (x->kind != y->kind || x->line != y->line || x->col != y->col || x->n != y->n ||
	    (x->kind == N_SCALAR && (x->len != y->len || memcmp(x->s, y->s, x->len) != 0))) {
		snprintf(why, wl, "nodes differ at %u:%u (quick) and %u:%u (libyaml): \"%.40s\" \"%.40s\"",
			 x->line, x->col, y->line, y->col, x->s ? x->s : "", y->s ? y->s : "");
		return 0;
	}
	for (size_t i = 0; i < x->n; i++)
		if (!same_tree(x->kid[i], y->kid[i], why, wl))
			return 0;
	return 1;
}

int ds_catalog__trees_agree(const char *data, size_t len, char *why, size_t why_len)
{
	struct ds_arena a;
	struct node *q = NULL, *l = NULL;
	struct ds_catalog_error err;
	int rc;
	ds_arena_init(&a);
	if (tree_quick(&a, &a, data, len, &q) != 0) {
		rc = -1;
	} else if (tree_libyaml(&a, &a, "", data, len, &l, &err) != 0) {
		snprintf(why, why_len, "libyaml rejects what the quick scanner took: %u:%u %s",
			 err.line, err.col, err.msg);
		rc = 0;
	} else {
		rc = same_tree(q, l, why, why_len);
	}
	ds_arena_release(&a);
	return rc;
}
