/* builtin.c - loads the builtin catalogue, compiled into the binary as a node tree. */
#include "catalog/catalog.h"

#include "catalog/internal.h"

/*
 * tools/catalog_gen.c reads catalog/builtin.yaml with libyaml at build time,
 * checks it with this same loader (a bad file fails the build at its line
 * and column) and writes the node tree as static C data. Loading it here is
 * the walk alone: no text is scanned at start-up.
 */
int ds_catalog_load_builtin(struct ds_catalog **out, struct ds_catalog_error *err)
{
	struct ds_catalog *c = ds_catalog__new();
	if (ds_catalog__overlay_tree(c, "<builtin>", ds_catalog_builtin_root, err)) {
		ds_catalog_free(c);
		*out = NULL;
		return -1;
	}
	*out = c;
	return 0;
}
