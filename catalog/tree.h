/* tree.h - a YAML document as a tree of scalars, sequences and mappings with their positions. */
#ifndef DS_CATALOG_TREE_H
#define DS_CATALOG_TREE_H

#include <stddef.h>

struct ds_arena;
struct ds_catalog_error;

enum ds_catalog_nkind { DS_CATALOG_SCALAR, DS_CATALOG_SEQ, DS_CATALOG_MAP };

/*
 * One node. The n children of a node are contiguous: kid[0] .. kid[n-1];
 * a mapping's children are key, value, key, value, ... line and col are
 * 1-based positions in the file the tree was read from. The builtin
 * catalogue is such a tree compiled into the binary (see
 * tools/catalog_gen.c); user files are read into one by
 * ds_catalog_tree_read(). Either way the loader (load.c) is the same.
 */
struct ds_catalog_node {
	const char *s;                     /* scalar text, NUL-terminated; NULL otherwise */
	const struct ds_catalog_node *kid; /* the first child, or NULL */
	unsigned line, col;
	unsigned len;                      /* of s */
	unsigned n;                        /* number of children */
	unsigned char kind;                /* enum ds_catalog_nkind */
};

/*
 * Reads data[0..len) with libyaml into a tree allocated from a (nodes and
 * text). file names the text in errors. Returns 0 with *root set (NULL for
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
