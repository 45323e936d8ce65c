/* config_find.h - which configuration file governs a Dockerfile: the search `distill lint` does. */
#ifndef DS_CLI_CONFIG_FIND_H
#define DS_CLI_CONFIG_FIND_H

#include "rules/config.h"

/*
 * Searches folder dir (absolute) and its parents, up to the root, for the
 * configuration lint reads: a .distill.yaml (or .distill.yml) in any of
 * them wins over a nearer .hadolint.yaml (or .hadolint.yml). Returns the
 * file's path (malloc'd; the caller frees it) and sets *dialect, or returns
 * NULL when there is none. Only stat(2) is used; nothing is read.
 */
char *ds_cli_config_find(const char *dir, enum ds_config_dialect *dialect);

#endif
