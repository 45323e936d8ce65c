/* imageref.h - Docker image references ([registry/]path[:tag][@digest]): parse and format. */
#ifndef DS_ANALYZE_IMAGEREF_H
#define DS_ANALYZE_IMAGEREF_H

#include <stdbool.h>
#include <stddef.h>

struct ds_arena;

/*
 * A parsed image reference, following the grammar of Docker's
 * distribution/reference package. Every string is NUL-terminated and lives
 * in the arena given to ds_imageref_parse(); none is shared with the input.
 *
 * The first path component is the registry only when it contains '.' or
 * ':', is "localhost", or has an upper-case letter (as Docker decides).
 * Examples:
 *   "node"                          path "node", repository "node"
 *   "docker.io/library/node:22"     registry "docker.io", path "library/node",
 *                                   repository "node", tag "22"
 *   "localhost:5000/team/app:1.2@sha256:..."
 *                                   registry "localhost:5000", path "team/app"
 *   "scratch"                       is_scratch, path and name "scratch"
 * A reference holding "$VAR" or "${VAR}" is not validated: unresolved is set
 * and the fields are a best-effort split of the text as written.
 */
struct ds_imageref {
	const char *registry;   /* "gcr.io", "localhost:5000"; NULL when none is written */
	const char *path;       /* the path as written, without the registry */
	const char *repository; /* path without "library/" on Docker Hub */
	const char *name;       /* last path component: "static-debian12" */
	const char *familiar;   /* repository on Docker Hub, else registry "/" path;
				 * the name catalogue globs match against */
	const char *tag;        /* NULL when none is written */
	const char *digest;     /* "sha256:<hex>", NULL when none is written */
	bool is_scratch;        /* exactly "scratch" */
	bool unresolved;        /* holds an unexpanded variable */
	bool docker_hub;        /* no registry, or docker.io / index.docker.io /
				 * registry-1.docker.io */
};

/*
 * Parses s[0..len) into *out. Returns 0 on success (including unresolved
 * references, with out->unresolved set). Returns -1 on a malformed
 * reference, with *err set to a static lower-case message such as
 * "repository name must be lowercase"; *out is then zeroed. err may be NULL.
 * Strings are allocated from a; nothing is allocated on failure beyond
 * what the arena already holds.
 */
int ds_imageref_parse(struct ds_arena *a, const char *s, size_t len, struct ds_imageref *out,
		      const char **err);

/*
 * Prints r back as "[registry/]path[:tag][@digest]" into the arena. When tag
 * is NULL the reference keeps its own tag and digest; otherwise the tag is
 * replaced by tag (no tag at all when tag is "") and the digest is dropped,
 * since it named the old image. Returns the NUL-terminated text.
 */
char *ds_imageref_format(struct ds_arena *a, const struct ds_imageref *r, const char *tag);

/* Returns r->tag, or "latest" when no tag is written (Docker's default). */
const char *ds_imageref_tag_or_latest(const struct ds_imageref *r);

#endif
