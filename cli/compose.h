/* compose.h - the build context and stage a Compose file names for a Dockerfile, for audit. */
#ifndef DS_CLI_COMPOSE_H
#define DS_CLI_COMPOSE_H

struct ds_arena;
struct ds_walk_dir;

/* A service of a Compose file that builds a Dockerfile. */
struct ds_compose_build {
	const char *file;    /* the Compose file, as a path relative to the Dockerfile's folder
			      * ("compose.yaml", "../docker-compose.yml") */
	const char *service; /* the service's name */
	const char *context; /* the build context: its real path */
	const char *context_rel; /* the same, relative to the Dockerfile's folder (".", "..") */
	const char *target;  /* build.target, or NULL */
};

/*
 * Looks for a Compose file (compose.yaml, compose.yml, docker-compose.yaml,
 * docker-compose.yml) in folder dir of a walk and in the folders above it
 * up to the folder the walk started from, nearest first, whose services
 * build the Dockerfile named name in dir: build as a string (the context,
 * with the file "Dockerfile"), or as a mapping of context (default "."),
 * dockerfile (default "Dockerfile") and target. A context that is a URL or
 * holds a variable, and a file libyaml cannot read or larger than 1 MiB,
 * are passed over; nothing is run. Returns 1 with *out (strings in a) for
 * the first service that builds it, else 0.
 */
int ds_compose_find(struct ds_arena *a, const struct ds_walk_dir *dir, const char *name, struct ds_compose_build *out);

#endif
