/* report_group.c - the repository and the top-level folder of each audited file, for --group-by; see report.h. */
#include "cli/report.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/walk.h"
#include "common/arena.h"
#include "common/buf.h"

/* One folder looked at: its repository (NULL: none up to the bound). */
struct ds_audit_group_slot {
	const char *folder; /* NULL: empty slot */
	size_t len;
	uint64_t hash;
	const char *repo;
};

/* The repository of a folder a walk listed (ds_audit_groups.listed, at its id). */
struct ds_audit_group_listed {
	const struct ds_walk_dir *d; /* NULL: not known yet */
	const char *repo;
};

void ds_audit_groups_init(struct ds_audit_groups *g, struct ds_arena *strings)
{
	memset(g, 0, sizeof *g);
	g->strings = strings;
}

void ds_audit_groups_release(struct ds_audit_groups *g)
{
	free(g->slots);
	free(g->listed);
	struct ds_arena *strings = g->strings;
	memset(g, 0, sizeof *g);
	g->strings = strings;
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static struct ds_audit_group_slot *find_slot(struct ds_audit_groups *g, const char *folder, size_t len, uint64_t h)
{
	size_t mask = g->nslots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct ds_audit_group_slot *s = &g->slots[i];
		if (!s->folder || (s->hash == h && s->len == len && !memcmp(s->folder, folder, len)))
			return s;
	}
}

static void grow(struct ds_audit_groups *g)
{
	size_t n = g->nslots ? 2 * g->nslots : 1024;
	struct ds_audit_group_slot *old = g->slots;
	size_t nold = g->nslots;
	g->slots = ds_xcalloc(n, sizeof *g->slots);
	g->nslots = n;
	for (size_t i = 0; i < nold; i++)
		if (old[i].folder)
			*find_slot(g, old[i].folder, old[i].len, old[i].hash) = old[i];
	free(old);
}

/* Whether folder[0..len) holds an entry named .git (a folder, or a file as in a git worktree). */
static bool has_git(const char *folder, size_t len)
{
	struct ds_buf b = DS_BUF_INIT;
	ds_buf_add(&b, folder, len);
	ds_buf_adds(&b, len ? "/.git" : ".git");
	struct stat st;
	bool yes = lstat(b.buf, &st) == 0;
	ds_buf_release(&b);
	return yes;
}

/*
 * The repository of folder[0..len): itself when it holds .git, else its
 * parent's, never looking above bound bytes (the shortest folder searched).
 * d: the walk's listing of that folder, or NULL when it has none.
 */
static const char *repo_of_folder(struct ds_audit_groups *g, const char *folder, size_t len, size_t bound,
				  const struct ds_walk_dir *d)
{
	if (d && d->id < g->caplisted && g->listed[d->id].d == d)
		return g->listed[d->id].repo; /* a listed folder is known by its id: no path to hash */
	uint64_t h = d ? 0 : fnv(folder, len);
	if (!d && g->nslots) {
		struct ds_audit_group_slot *s = find_slot(g, folder, len, h);
		if (s->folder)
			return s->repo;
	}
	const char *repo = NULL;
	if (d ? (d->names & DS_WALK_GIT) != 0 : has_git(folder, len)) {
		repo = ds_arena_strndup(g->strings, len ? folder : ".", len ? len : 1);
	} else if (len > bound) {
		size_t p = len;
		while (p > 0 && folder[p - 1] != '/')
			p--;
		/* p: just after the last '/'; the parent ends before it ("/" itself stays "/") */
		size_t parent = p > 1 ? p - 1 : p;
		if (p && parent < len && parent >= bound)
			repo = repo_of_folder(g, folder, parent, bound, d ? d->parent : NULL);
	}
	if (d) {
		g->listed = ds_xgrow_zeroed(g->listed, sizeof *g->listed, d->id, &g->caplisted, 256);
		g->listed[d->id] = (struct ds_audit_group_listed){ d, repo };
		return repo;
	}
	if (2 * (g->used + 1) > g->nslots)
		grow(g);
	struct ds_audit_group_slot *s = find_slot(g, folder, len, h);
	s->folder = ds_arena_strndup(g->strings, folder, len);
	s->len = len;
	s->hash = h;
	s->repo = repo;
	g->used++;
	return repo;
}

void ds_audit_groups_of(struct ds_audit_groups *g, const char *path, const char *rel,
			const struct ds_walk_dir *listed, const char **repo, const char **dir)
{
	if (!strcmp(path, "-")) {
		*repo = *dir = "-";
		return;
	}
	/* the top-level folder: the argument and the first component below it */
	size_t root = (size_t)(rel - path); /* the argument and its '/' (0: given directly or listed) */
	size_t start = root;
	if (!root) {
		while (path[start] == '/' || (path[start] == '.' && path[start + 1] == '/'))
			start++;
	}
	const char *slash = strchr(path + start, '/');
	size_t dl;
	if (slash)
		dl = (size_t)(slash - path);
	else if (root > 1)
		dl = root - 1;          /* directly in the argument: the argument itself */
	else
		dl = root;              /* "/" given, or a bare name listed */
	*dir = dl ? ds_arena_strndup(g->strings, path, dl) : (root || path[0] == '/') ? "/" : ".";

	/* the repository: search from the file's folder up to the argument (or the top-level folder) */
	const char *last = strrchr(path, '/');
	size_t fl = last ? (size_t)(last - path) : 0;
	if (last == path)
		fl = 1; /* a file in "/" */
	size_t bound = root ? (root > 1 ? root - 1 : 1) : dl;
	const char *r = NULL;
	if (fl >= bound && (fl || !root))
		r = repo_of_folder(g, path, fl, bound, listed);
	*repo = r ? r : *dir;
}
