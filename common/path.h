/* path.h - lexical operations on absolute POSIX paths inside an image (no file system access). */
#ifndef DS_COMMON_PATH_H
#define DS_COMMON_PATH_H

#include <stdbool.h>

struct ds_arena;

/*
 * p as a normalised absolute path: one leading '/', no "//", "." or ".."
 * components and no trailing '/' ("/" stays "/"); ".." at the root stays at
 * the root, as the kernel resolves it. A relative p is read from "/".
 * Returns an arena string.
 */
char *ds_path_norm(struct ds_arena *a, const char *p);

/*
 * p resolved against folder dir (NULL: "/") and normalised; an absolute p
 * ignores dir. Returns an arena string.
 */
char *ds_path_join(struct ds_arena *a, const char *dir, const char *p);

/* Whether normalised path p is dir itself or below it ("/a/b" is under "/a", "/ab" is not). */
bool ds_path_under(const char *p, const char *dir);

#endif
