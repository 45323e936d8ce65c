/* tree.c - reads a YAML text with libyaml into a catalogue node tree. */
#include "catalog/tree.h"

#include "catalog/internal.h"
#include "common/arena.h"

#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64

/* A node while the events arrive: children as a growing pointer array. */
struct ynode {
	const char *s;
	struct ynode **kid;
	unsigned line, col, len, n, cap;
	unsigned char kind;
};

static struct ynode *ynode_new(struct ds_arena *a, enum ds_catalog_nkind k, unsigned line,
			       unsigned col)
{
	struct ynode *n = ds_arena_zalloc(a, sizeof *n);
	n->kind = (unsigned char)k;
	n->line = line;
	n->col = col;
	return n;
}

static void ynode_add(struct ds_arena *a, struct ynode *parent, struct ynode *kid)
{
	if (parent->n == parent->cap) {
		unsigned cap = parent->cap ? parent->cap * 2 : 4;
		struct ynode **v = ds_arena_alloc(a, cap * sizeof *v);
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
 * Lays the tree out as one block, breadth first so that the children of
 * every node are contiguous (each node's children are queued together),
 * the scalars' texts after the nodes.
 */
static const struct ds_catalog_node *flatten(struct ds_arena *a, struct ds_arena *tmp,
					     const struct ynode *root, size_t count, size_t text)
{
	size_t nodes = count * sizeof(struct ds_catalog_node);
	char *block = ds_arena_alloc(a, nodes + text);
	struct ds_catalog_node *out = (struct ds_catalog_node *)(void *)block;
	char *t = block + nodes;
	const struct ynode **queue = ds_arena_alloc(tmp, count * sizeof *queue);
	size_t next = 1;
	queue[0] = root;
	for (size_t i = 0; i < next; i++) {
		const struct ynode *y = queue[i];
		struct ds_catalog_node *o = &out[i];
		memset(o, 0, sizeof *o);
		if (y->s) {
			o->text = (unsigned)(t - (char *)o);
			memcpy(t, y->s, y->len + 1);
			t += y->len + 1;
		}
		o->line = y->line;
		o->col = y->col;
		o->len = y->len;
		o->n = y->n;
		o->kind = y->kind;
		o->kid = y->n ? (unsigned)(next - i) : 0;
		for (unsigned k = 0; k < y->n; k++)
			queue[next++] = y->kid[k];
	}
	return out;
}

static void yaml_error(const yaml_parser_t *p, const char *file, const char *data, size_t len,
		       struct ds_catalog_error *err)
{
	unsigned line, col;
	if (p->error == YAML_READER_ERROR) {
		offset_to_mark(data, len, p->problem_offset, &line, &col);
	} else {
		line = (unsigned)p->problem_mark.line + 1;
		col = (unsigned)p->problem_mark.column + 1;
	}
	if (p->context)
		ds_catalog__set_err(err, file, line, col, "%s %s",
				    p->problem ? p->problem : "invalid yaml", p->context);
	else
		ds_catalog__set_err(err, file, line, col, "%s", p->problem ? p->problem : "invalid yaml");
}

int ds_catalog_tree_read(struct ds_arena *a, const char *file, const char *data, size_t len,
			 const struct ds_catalog_node **root_out, size_t *count,
			 struct ds_catalog_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct ds_arena tmp;
	struct ynode *stack[MAX_DEPTH], *root = NULL;
	size_t depth = 0, nodes = 0, text = 0;
	int docs = 0, rc = -1;

	*root_out = NULL;
	if (count)
		*count = 0;
	if (!yaml_parser_initialize(&p)) {
		ds_catalog__set_err(err, file, 0, 0, "cannot initialise the yaml parser");
		return -1;
	}
	ds_arena_init(&tmp);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_error(&p, file, data, len, err);
			goto out;
		}
		unsigned line = (unsigned)ev.start_mark.line + 1;
		unsigned col = (unsigned)ev.start_mark.column + 1;
		struct ynode *n = NULL;
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				ds_catalog__set_err(err, file, line, col,
						    "expected a single yaml document");
				goto fail_event;
			}
			break;
		case YAML_ALIAS_EVENT:
			ds_catalog__set_err(err, file, line, col, "aliases are not supported");
			goto fail_event;
		case YAML_SCALAR_EVENT:
			if (memchr(ev.data.scalar.value, 0, ev.data.scalar.length)) {
				ds_catalog__set_err(err, file, line, col,
						    "a string holds a NUL character");
				goto fail_event;
			}
			if (ev.data.scalar.length > 0x7fffffff) {
				ds_catalog__set_err(err, file, line, col, "a string is too long");
				goto fail_event;
			}
			n = ynode_new(&tmp, DS_CATALOG_SCALAR, line, col);
			n->len = (unsigned)ev.data.scalar.length;
			n->s = ds_arena_strndup(&tmp, (const char *)ev.data.scalar.value, n->len);
			text += n->len + 1;
			break;
		case YAML_SEQUENCE_START_EVENT:
			n = ynode_new(&tmp, DS_CATALOG_SEQ, line, col);
			break;
		case YAML_MAPPING_START_EVENT:
			n = ynode_new(&tmp, DS_CATALOG_MAP, line, col);
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
			nodes++;
			if (depth > 0)
				ynode_add(&tmp, stack[depth - 1], n);
			else if (!root)
				root = n;
			if (n->kind != DS_CATALOG_SCALAR) {
				if (depth == MAX_DEPTH) {
					ds_catalog__set_err(err, file, line, col,
							    "yaml nested too deep");
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
	/* offsets in the block are unsigned: it must stay under 4 GiB */
	if (nodes > 0xffffffffu / sizeof(struct ds_catalog_node) / 2 || text > 0x7fffffffu) {
		ds_catalog__set_err(err, file, 0, 0, "the file is too large");
		goto out;
	}
	if (root)
		*root_out = flatten(a, &tmp, root, nodes, text);
	if (count)
		*count = nodes;
	rc = 0;
	goto out;
fail_event:
	yaml_event_delete(&ev);
out:
	yaml_parser_delete(&p);
	ds_arena_release(&tmp);
	return rc;
}
