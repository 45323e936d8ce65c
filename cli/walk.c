/* walk.c - Dockerfile discovery: folder walk, file lists, git ls-files; see walk.h. */
#include "cli/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"

extern char **environ;

struct ds_walk_seen {
	dev_t dev;
	ino_t ino;
	bool used;
};

void ds_walk_init(struct ds_walk *w, const struct ds_walk_opts *opts)
{
	memset(w, 0, sizeof *w);
	if (opts)
		w->opts = *opts;
	ds_arena_init(&w->strings);
}

void ds_walk_release(struct ds_walk *w)
{
	free(w->files);
	free(w->seen);
	free(w->deferred);
	free(w->roots);
	ds_arena_release(&w->strings);
	memset(w, 0, sizeof *w);
}

uint64_t ds_walk_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	return h;
}

static bool has_prefix_ci(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);
	return n >= k && !strncasecmp(s, pre, k);
}

static bool has_suffix_ci(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !strncasecmp(s + n - k, suf, k);
}

bool ds_walk_is_dockerfile_name(const char *name)
{
	size_t n = strlen(name);
	if (has_suffix_ci(name, n, ".dockerignore"))
		return false;
	return !strcasecmp(name, "dockerfile") || !strcasecmp(name, "containerfile") ||
	       has_prefix_ci(name, n, "dockerfile.") || has_prefix_ci(name, n, "containerfile.") ||
	       has_suffix_ci(name, n, ".dockerfile") || has_suffix_ci(name, n, ".containerfile");
}

bool ds_walk_is_skipped_name(const char *name)
{
	return !strcmp(name, ".git") || !strcmp(name, "node_modules") || !strcmp(name, "vendor");
}

static void warn(struct ds_walk *w, const char *path, const char *msg)
{
	if (w->opts.warn)
		w->opts.warn(w->opts.warn_ctx, path, msg);
}

static bool excluded(const struct ds_walk *w, const char *name, const char *rel, const char *path)
{
	for (size_t i = 0; i < w->opts.nexcludes; i++) {
		const char *g = w->opts.excludes[i];
		if (!fnmatch(g, name, 0) || !fnmatch(g, rel, 0) || !fnmatch(g, path, 0))
			return true;
	}
	return false;
}

static void add_file(struct ds_walk *w, const char *path, size_t rel_off, bool regular,
		     const struct ds_walk_dir *dir)
{
	if (w->opts.on_file) {
		char *p = ds_arena_strdup(&w->strings, path);
		struct ds_walk_file f = { p, p + rel_off, regular, dir };
		w->opts.on_file(w->opts.on_file_ctx, &f);
		return;
	}
	if (w->nfiles == w->capfiles) {
		w->capfiles = w->capfiles ? 2 * w->capfiles : 256;
		w->files = ds_xrealloc(w->files, w->capfiles * sizeof *w->files);
	}
	char *p = ds_arena_strdup(&w->strings, path);
	w->files[w->nfiles].path = p;
	w->files[w->nfiles].rel = p + rel_off;
	w->files[w->nfiles].regular = regular;
	w->files[w->nfiles].dir = dir;
	w->nfiles++;
}

static size_t seen_slot(const struct ds_walk *w, dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)ino * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)dev * 0xc2b2ae3d27d4eb4full);
	size_t mask = w->capseen - 1;
	size_t i = (size_t)(h ^ (h >> 29)) & mask;
	while (w->seen[i].used && (w->seen[i].dev != dev || w->seen[i].ino != ino))
		i = (i + 1) & mask;
	return i;
}

/* Records a folder as walked; returns false when it was already. */
static bool seen_insert(struct ds_walk *w, dev_t dev, ino_t ino)
{
	if (2 * (w->nseen + 1) > w->capseen) {
		struct ds_walk_seen *old = w->seen;
		size_t oldcap = w->capseen;
		w->capseen = oldcap ? 2 * oldcap : 1024;
		w->seen = ds_xcalloc(w->capseen, sizeof *w->seen);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].used)
				w->seen[seen_slot(w, old[i].dev, old[i].ino)] = old[i];
		free(old);
	}
	size_t i = seen_slot(w, dev, ino);
	if (w->seen[i].used)
		return false;
	w->seen[i].used = true;
	w->seen[i].dev = dev;
	w->seen[i].ino = ino;
	w->nseen++;
	return true;
}

/*
 * Records the folder at displayed path p as walked, by its real path;
 * returns that path (in w->strings), or NULL when it was walked already
 * (reached again through a second argument or a symbolic link).
 */
static const char *walked_insert(struct ds_walk *w, const char *p)
{
	const char *below = strlen(p) >= w->base_len ? p + w->base_len : "";
	const char *base = w->real_base ? w->real_base : "";
	if (*below && !strcmp(base, "/"))
		base = ""; /* below "/": "/etc", not "//etc" */
	size_t bl = strlen(base), wl = strlen(below);
	char *real = ds_arena_alloc_bytes(&w->strings, bl + wl + 1); /* once per folder: no printf */
	memcpy(real, base, bl);
	memcpy(real + bl, below, wl + 1);
	bool added;
	ds_hmap_put(&w->walked, &w->strings, real, strlen(real), 0, &added);
	return added ? real : NULL;
}

static void defer_dir(struct ds_walk *w, const char *path, size_t rel_off)
{
	if (w->ndeferred == w->capdeferred) {
		w->capdeferred = w->capdeferred ? 2 * w->capdeferred : 16;
		w->deferred = ds_xrealloc(w->deferred, w->capdeferred * sizeof *w->deferred);
	}
	char *p = ds_arena_strdup(&w->strings, path);
	w->deferred[w->ndeferred].path = p;
	w->deferred[w->ndeferred].rel = p + rel_off;
	w->ndeferred++;
}

/* One directory entry, read before any recursion so a walk holds one descriptor at a time. */
struct entry {
	size_t name; /* offset into the names buffer */
	unsigned char type;
};

static unsigned char mode_type(mode_t m)
{
	return S_ISDIR(m) ? DT_DIR : S_ISREG(m) ? DT_REG : S_ISLNK(m) ? DT_LNK : DT_FIFO /* any other: skip */;
}

/* The DS_WALK_* bit for entry n (of type t) of the folder being read with d; 0 for other names. */
static unsigned known_name(DIR *d, const char *n, unsigned char t)
{
	static const struct {
		const char *name;
		unsigned bit;
		bool not_folder; /* counts only when the entry is not a folder */
	} known[] = {
		{ ".distill.yaml", DS_WALK_DISTILL_YAML, true },   { ".distill.yml", DS_WALK_DISTILL_YML, true },
		{ ".hadolint.yaml", DS_WALK_HADOLINT_YAML, true }, { ".hadolint.yml", DS_WALK_HADOLINT_YML, true },
		{ ".git", DS_WALK_GIT, false },                    { ".dockerignore", DS_WALK_DOCKERIGNORE, false },
		{ "compose.yaml", DS_WALK_COMPOSE, true },         { "compose.yml", DS_WALK_COMPOSE, true },
		{ "docker-compose.yaml", DS_WALK_COMPOSE, true },  { "docker-compose.yml", DS_WALK_COMPOSE, true },
	};
	for (size_t k = 0; k < sizeof known / sizeof *known; k++) {
		if (strcmp(n, known[k].name))
			continue;
		if (known[k].not_folder && t == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0)
				return 0; /* gone already */
			t = mode_type(st.st_mode);
		}
		return known[k].not_folder && t == DT_DIR ? 0 : known[k].bit;
	}
	return 0;
}

static bool inside_roots(const struct ds_walk *w, const char *path);
static bool link_inside_roots(const struct ds_walk *w, const char *path);

/*
 * Walks the folder at p->buf (its displayed path; the part from rel_off on
 * is relative to the folder argument), listed inside parent (NULL: the top
 * of this walk). follow: p may be a symbolic link.
 */
static int walk_dir(struct ds_walk *w, struct ds_buf *p, size_t rel_off, unsigned depth, bool follow,
		    const struct ds_walk_dir *parent)
{
	if (depth > DS_WALK_MAX_DEPTH) {
		warn(w, p->buf, "folders nested too deep, not descending");
		return 0;
	}
	int fd = open(p->len ? p->buf : "/", O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		if (depth == 0)
			return -1;
		if (errno != ENOENT && errno != ELOOP && errno != ENOTDIR) /* vanished or replaced: nothing to say */
			warn(w, p->buf, strerror(errno));
		return 0;
	}
	/*
	 * A folder is known by its real path; only under a symbolic link, where
	 * a loop could pass through some other way in, by (dev, ino) as well
	 * (fdopendir stats the folder itself, so this is the only other stat).
	 */
	const char *real = walked_insert(w, p->buf);
	if (!real) {
		close(fd);
		return 0;
	}
	if (w->via_link) {
		struct stat st;
		if (fstat(fd, &st) < 0 || !seen_insert(w, st.st_dev, st.st_ino)) {
			close(fd);
			return 0;
		}
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
		if (depth == 0)
			return -1;
		warn(w, p->buf, strerror(e));
		return 0;
	}
	struct ds_walk_dir *dir = ds_arena_alloc(&w->strings, sizeof *dir);
	dir->parent = parent;
	dir->real = w->real_known ? real : NULL;
	dir->names = 0;
	dir->id = w->ndirs++;
	struct ds_buf names = DS_BUF_INIT;
	struct entry *ents = NULL;
	size_t nents = 0, capents = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		if (n[0] == '.' || n[0] == 'c' || n[0] == 'd')
			dir->names |= known_name(d, n, e->d_type); /* complete before a file in it is handed out */
		if (ds_walk_is_skipped_name(n))
			continue;
		unsigned char t = e->d_type;
		/* a plain file that cannot be a Dockerfile needs no further look */
		if (t == DT_REG && !ds_walk_is_dockerfile_name(n))
			continue;
		if (t != DT_REG && t != DT_DIR && t != DT_LNK && t != DT_UNKNOWN)
			continue; /* FIFO, socket, device: never opened */
		if (nents == capents) {
			capents = capents ? 2 * capents : 32;
			ents = ds_xrealloc(ents, capents * sizeof *ents);
		}
		ents[nents].name = names.len;
		ents[nents].type = t;
		nents++;
		ds_buf_add(&names, n, strlen(n) + 1);
		errno = 0; /* readdir reports its errors through errno alone */
	}
	if (errno)
		warn(w, p->buf, strerror(errno));
	closedir(d);

	size_t base = p->len;
	for (size_t i = 0; i < nents; i++) {
		const char *n = names.buf + ents[i].name;
		p->len = base;
		ds_buf_addc(p, '/');
		ds_buf_adds(p, n);
		if (w->opts.nexcludes && excluded(w, n, p->buf + rel_off, p->buf))
			continue;
		unsigned char t = ents[i].type;
		if (t == DT_UNKNOWN) {
			struct stat ls;
			if (lstat(p->buf, &ls) < 0)
				continue;
			t = mode_type(ls.st_mode);
		}
		if (t == DT_DIR) {
			(void)walk_dir(w, p, rel_off, depth + 1, false, dir);
		} else if (t == DT_REG) {
			if (ds_walk_is_dockerfile_name(n))
				add_file(w, p->buf, rel_off, true, dir);
		} else if (t == DT_LNK) {
			struct stat ts;
			if (stat(p->buf, &ts) < 0)
				continue; /* dangling */
			if (S_ISDIR(ts.st_mode))
				defer_dir(w, p->buf, rel_off);
			else if (S_ISREG(ts.st_mode) && ds_walk_is_dockerfile_name(n) && link_inside_roots(w, p->buf))
				add_file(w, p->buf, rel_off, true, dir); /* a link out of the tree (to /etc/shadow) is not read */
		}
	}
	p->len = base;
	p->buf[base] = '\0';
	free(ents);
	ds_buf_release(&names);
	return 0;
}

static int path_cmp(const void *x, const void *y)
{
	const struct ds_walk_file *a = x, *b = y;
	return strcmp(a->path, b->path);
}

/* Remembers the real path of a folder argument, the bound for symlinks. */
static void add_root(struct ds_walk *w, const char *path)
{
	char *real = realpath(path, NULL);
	if (!real)
		return;
	if (w->nroots == w->caproots) {
		w->caproots = w->caproots ? 2 * w->caproots : 8;
		w->roots = ds_xrealloc(w->roots, w->caproots * sizeof *w->roots);
	}
	w->roots[w->nroots++] = ds_arena_strdup(&w->strings, real);
	free(real);
}

/*
 * A symbolic link is followed only into a folder inside one of the folder
 * arguments (real is its real path): a link such as repo/loop -> .. must
 * not widen the audit to the parent tree.
 */
static bool inside_roots(const struct ds_walk *w, const char *real)
{
	bool in = false;
	for (size_t i = 0; i < w->nroots && !in; i++) {
		size_t n = strlen(w->roots[i]);
		in = !strncmp(real, w->roots[i], n) && (real[n] == '/' || real[n] == '\0' || (n == 1 && real[0] == '/'));
	}
	return in;
}

/* Whether the file a symbolic link at path leads to is inside a folder argument. */
static bool link_inside_roots(const struct ds_walk *w, const char *path)
{
	char *real = realpath(path, NULL);
	if (!real)
		return false;
	bool in = inside_roots(w, real);
	free(real);
	return in;
}

/* Walks a folder argument. Returns 0, or -1 with errno when it cannot be read. */
static int walk_root(struct ds_walk *w, const char *display)
{
	size_t had = w->nroots;
	add_root(w, display);
	w->real_known = w->nroots > had;
	w->real_base = w->real_known ? w->roots[had] : display;
	w->base_len = strlen(display);
	w->via_link = false;
	struct ds_buf p = DS_BUF_INIT;
	ds_buf_adds(&p, display);
	int rc = walk_dir(w, &p, p.len + 1, 0, true, NULL);
	int e = errno;
	ds_buf_release(&p);
	errno = e;
	return rc;
}

/*
 * Walks the symbolic links to folders met so far, in path order, round
 * after round (a linked folder may hold more links). Done after every real
 * folder of every argument, so a folder reached both ways keeps its real path.
 */
static void walk_deferred(struct ds_walk *w)
{
	struct ds_buf p = DS_BUF_INIT;
	while (w->ndeferred) {
		struct ds_walk_file *round = w->deferred;
		size_t n = w->ndeferred;
		w->deferred = NULL;
		w->ndeferred = w->capdeferred = 0;
		qsort(round, n, sizeof *round, path_cmp);
		for (size_t i = 0; i < n; i++) {
			char *real = realpath(round[i].path, NULL);
			if (!real || !inside_roots(w, real)) {
				free(real);
				continue;
			}
			/* the link's folder is known by its target's real path */
			w->real_base = ds_arena_strdup(&w->strings, real);
			w->real_known = true;
			free(real);
			w->base_len = strlen(round[i].path);
			w->via_link = true;
			ds_buf_reset(&p);
			ds_buf_adds(&p, round[i].path);
			(void)walk_dir(w, &p, (size_t)(round[i].rel - round[i].path), 1, true, NULL);
		}
		free(round);
	}
	ds_buf_release(&p);
}

/* Takes one git ls-files entry (relative to the folder) when the rules allow it. */
static void git_candidate(struct ds_walk *w, struct ds_buf *p, size_t rel_off, const char *rel)
{
	/* every component: skipped names and excludes apply to the folders too */
	const char *c = rel;
	for (;;) {
		const char *slash = strchr(c, '/');
		size_t len = slash ? (size_t)(slash - c) : strlen(c);
		char comp[256];
		if (len >= sizeof comp)
			return;
		memcpy(comp, c, len);
		comp[len] = '\0';
		if (ds_walk_is_skipped_name(comp))
			return;
		p->len = rel_off;
		ds_buf_add(p, rel, (size_t)(c - rel) + len);
		if (w->opts.nexcludes && excluded(w, comp, p->buf + rel_off, p->buf))
			return;
		if (!slash) {
			if (!ds_walk_is_dockerfile_name(comp))
				return;
			break;
		}
		c = slash + 1;
	}
	struct stat st, lst;
	if (stat(p->buf, &st) == 0 && S_ISREG(st.st_mode) && /* deleted, submodule, FIFO: skip */
	    (lstat(p->buf, &lst) < 0 || !S_ISLNK(lst.st_mode) || link_inside_roots(w, p->buf)))
		add_file(w, p->buf, rel_off, true, NULL); /* as in a walk: a tracked link out of the tree is not read */
}

/*
 * Lists the folder with git ls-files. Returns 0, or -1 when git is missing
 * or the folder is not in a work tree (the caller walks it instead).
 */
static int git_list(struct ds_walk *w, const char *dir, const char *display)
{
	int pfd[2];
	if (pipe(pfd) < 0)
		return -1;
	/* posix_spawn rather than fork: audit's workers are already running */
	/*
	 * The work tree is not ours to trust: its .git/config may set
	 * core.fsmonitor to a command that git would run to list the files.
	 */
	char *const args[] = { "git", "-c", "core.fsmonitor=false", "-C", (char *)dir, "ls-files", "-z", "--cached",
			       "--others", "--exclude-standard", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	pid_t pid;
	int err = posix_spawnp(&pid, "git", &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	close(pfd[1]);
	struct ds_buf out = DS_BUF_INIT;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(pfd[0], chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ds_buf_add(&out, chunk, (size_t)n);
	}
	close(pfd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ds_buf_release(&out);
		return -1;
	}
	struct ds_buf p = DS_BUF_INIT;
	ds_buf_adds(&p, display);
	ds_buf_addc(&p, '/');
	size_t rel_off = p.len;
	for (size_t i = 0; i < out.len;) {
		const char *rel = out.buf + i;
		size_t len = strlen(rel);
		if (len)
			git_candidate(w, &p, rel_off, rel);
		i += len + 1;
	}
	ds_buf_release(&p);
	ds_buf_release(&out);
	return 0;
}

int ds_walk_add_arg(struct ds_walk *w, const char *path, const char **err)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		*err = ds_arena_printf(&w->strings, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		add_file(w, path, 0, true, NULL);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		*err = "not a folder or a regular file";
		return -1;
	}
	/* the displayed prefix: the argument without trailing slashes ("/" stays "") */
	size_t n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		n--;
	char *display = ds_arena_strndup(&w->strings, path, n);
	if (w->opts.git) {
		add_root(w, display); /* the bound for the links git lists */
		if (git_list(w, n ? display : "/", display) == 0)
			return 0;
	}
	if (walk_root(w, display) < 0) {
		*err = ds_arena_printf(&w->strings, "cannot open folder: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int ds_walk_add_list(struct ds_walk *w, FILE *f, const char **err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	errno = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)n;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!len)
			continue;
		struct stat st;
		const char *e;
		int sr = stat(line, &st);
		if (sr == 0 && S_ISDIR(st.st_mode))
			(void)ds_walk_add_arg(w, line, &e); /* only fails when it vanished: nothing to list */
		else
			add_file(w, line, 0, sr == 0 && S_ISREG(st.st_mode), NULL);
	}
	int rc = 0;
	if (ferror(f)) {
		*err = ds_arena_printf(&w->strings, "cannot read the file list: %s", strerror(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

void ds_walk_finish(struct ds_walk *w)
{
	walk_deferred(w);
	if (!w->nfiles)
		return;
	qsort(w->files, w->nfiles, sizeof *w->files, path_cmp);
	size_t k = 1;
	for (size_t i = 1; i < w->nfiles; i++)
		if (strcmp(w->files[i].path, w->files[k - 1].path))
			w->files[k++] = w->files[i];
	w->nfiles = k;
}
