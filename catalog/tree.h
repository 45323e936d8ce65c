/* tree.h - a YAML document as a tree of scalars, sequences and mappings with their positions. */
#ifndef DS_CATALOG_TREE_H
#define DS_CATALOG_TREE_H

#include <stddef.h>

struct ds_arena;
struct ds_catalog_error;

enum ds_catalog_nkind { DS_CATALOG_SCALAR, DS_CATALOG_SEQ, DS_CATALOG_MAP };

/*
 * One node of a tree that is a single object: the nodes, breadth first so
 * that the n children of a node are contiguous, then the texts of the
 * scalars. Nodes hold offsets, not pointers, so the builtin tree compiled
 * into the binary (tools/catalog_gen.c) needs no relocation at start-up and
 * stays in read-only pages. A mapping's children are key, value, key,
 * value, ... line and col are 1-based positions in the file the tree was
 * read from. User files are read into such a tree by
 * ds_catalog_tree_read(); either way the loader (load.c) is the same.
 */
struct ds_catalog_node {
	unsigned text;      /* bytes from this node to its NUL-terminated text; 0: none */
	unsigned kid;       /* nodes from this node to its first child; 0: none */
	unsigned line, col;
	unsigned len;       /* of the text */
	unsigned n;         /* number of children */
	unsigned char kind; /* enum ds_catalog_nkind */
};

/* The text of scalar n, or NULL for a sequence or a mapping. */
static inline const char *ds_catalog_node_text(const struct ds_catalog_node *n)
{
	return n->text ? (const char *)n + n->text : NULL;
}

/* The i-th child of n (i < n->n). */
static inline const struct ds_catalog_node *ds_catalog_node_kid(const struct ds_catalog_node *n,
								size_t i)
{
	return n + n->kid + i;
}

/*
 * Reads data[0..len) with libyaml into a tree allocated from a (one block:
 * nodes and texts). file names the text in errors. Returns 0 with *root set (NULL for
 * an empty stream), or -1 with *err filled: a YAML error at its position,
 * more than one document, an alias, a NUL in a string or nesting deeper
 * than 64. Sets *count to the number of nodes when count is not NULL.
 */
int ds_catalog_tree_read(struct ds_arena *a, const char *file, const char *data, size_t len,
			 const struct ds_catalog_node **root, size_t *count,
			 struct ds_catalog_error *err);

/* The builtin catalogue (generated from catalog/builtin.yaml at build time). */
extern const struct ds_catalog_node *const ds_catalog_builtin_root;

#endif
