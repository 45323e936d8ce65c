/*
 * context.c - the build context a conversion may read: files only, inside one folder, never run.
 *
 * .dockerignore follows BuildKit's pattern matcher (moby/patternmatcher):
 * one pattern a line, '#' comments, '!' exceptions, patterns cleaned like
 * Go's filepath.Clean with the leading '/' dropped, '*' and '?' inside one
 * path component, '**' across components, and a pattern that matches a
 * folder excludes everything below it; the last matching pattern decides.
 */
#include "rewrite/context.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/path.h"

const char *ds_context_miss_name(enum ds_context_miss m)
{
	switch (m) {
	case DS_CTX_OK: return "read";
	case DS_CTX_MISSING: return "missing";
	case DS_CTX_OUTSIDE: return "outside the context";
	case DS_CTX_NOT_FILE: return "not a regular file";
	case DS_CTX_TOO_BIG: return "larger than 1 MiB";
	case DS_CTX_ERROR: return "unreadable";
	}
	return "unreadable";
}

/* p as a clean relative path: no leading '/', no "." or "..", "" for the root; NULL when it climbs out. */
static char *clean_rel(struct ds_arena *a, const char *p)
{
	/* ds_path_norm keeps ".." at the root: detect climbing first */
	int depth = 0;
	for (const char *s = p; *s;) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - s);
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (--depth < 0)
				return NULL;
		} else if (n && !(n == 1 && s[0] == '.')) {
			depth++;
		}
		s = e;
	}
	char *r = ds_path_norm(a, p);
	return r + 1; /* without the leading '/' */
}

/* ---- .dockerignore ---- */

/* Matches pattern p[0..pn) against s[0..sn): '*' and '?' stay in one component, '**' crosses them. */
static bool glob(const char *p, size_t pn, const char *s, size_t sn)
{
	size_t i = 0, j = 0;
	while (i < pn) {
		char c = p[i];
		if (c == '*') {
			bool dbl = i + 1 < pn && p[i + 1] == '*';
			size_t k = i + (dbl ? 2 : 1);
			if (dbl && k < pn && p[k] == '/') {
				/* "**" + "/": zero or more whole components */
				if (glob(p + k + 1, pn - k - 1, s + j, sn - j))
					return true;
			}
			for (size_t t = j; t <= sn; t++) {
				if (glob(p + k, pn - k, s + t, sn - t))
					return true;
				if (t < sn && s[t] == '/' && !dbl)
					break;
			}
			return false;
		}
		if (j >= sn)
			return false;
		if (c == '?') {
			if (s[j] == '/')
				return false;
			i++;
			j++;
			continue;
		}
		if (c == '[') {
			size_t k = i + 1;
			bool neg = k < pn && (p[k] == '^' || p[k] == '!');
			if (neg)
				k++;
			bool hit = false;
			size_t start = k;
			while (k < pn && (p[k] != ']' || k == start)) {
				if (p[k] == '\\' && k + 1 < pn)
					k++;
				if (k + 2 < pn && p[k + 1] == '-' && p[k + 2] != ']') {
					hit = hit || (s[j] >= p[k] && s[j] <= p[k + 2]);
					k += 3;
				} else {
					hit = hit || s[j] == p[k];
					k++;
				}
			}
			if (k >= pn || hit == neg || s[j] == '/')
				return false;
			i = k + 1;
			j++;
			continue;
		}
		if (c == '\\' && i + 1 < pn)
			c = p[++i];
		if (s[j] != c)
			return false;
		i++;
		j++;
	}
	return j == sn;
}

/* Whether pattern matches rel or one of its parent folders. */
static bool pattern_matches(const char *pat, const char *rel)
{
	size_t pn = strlen(pat), n = strlen(rel);
	for (size_t l = n; l > 0; l--) {
		if (l < n && rel[l] != '/')
			continue;
		if (glob(pat, pn, rel, l))
			return true;
	}
	return false;
}

bool ds_context_ignored(const struct ds_context *ctx, const char *rel)
{
	bool ex = false;
	for (size_t i = 0; i < ctx->nignore; i++) {
		const char *p = ctx->ignore[i];
		bool neg = p[0] == '!';
		if (pattern_matches(neg ? p + 1 : p, rel))
			ex = !neg;
	}
	return ex;
}

static void read_dockerignore(struct ds_context *ctx, struct ds_arena *a)
{
	size_t len;
	enum ds_context_miss miss;
	const char *t = ds_context_read(ctx, ".dockerignore", a, &len, &miss);
	if (!t)
		return;
	size_t cap = 0;
	for (const char *p = t; p < t + len;) {
		const char *e = memchr(p, '\n', (size_t)(t + len - p));
		if (!e)
			e = t + len;
		const char *s = p, *f = e;
		p = e + 1;
		while (s < f && (*s == ' ' || *s == '\t'))
			s++;
		while (f > s && (f[-1] == ' ' || f[-1] == '\t' || f[-1] == '\r'))
			f--;
		if (s == f || *s == '#')
			continue;
		bool neg = *s == '!';
		if (neg)
			s++;
		char *raw = ds_arena_strndup(a, s, (size_t)(f - s));
		char *c = clean_rel(a, raw);
		if (!c || !*c)
			continue;
		ctx->ignore = ds_arena_grow(a, ctx->ignore, sizeof *ctx->ignore, ctx->nignore, &cap);
		ctx->ignore[ctx->nignore++] = neg ? ds_arena_printf(a, "!%s", c) : c;
	}
}

int ds_context_open(struct ds_context *ctx, const char *dir, struct ds_arena *a, const char **why)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->root = dir;
	ctx->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx->dirfd < 0) {
		*why = errno == ENOTDIR ? "not a folder" : errno == ENOENT ? "no such folder" : "cannot be opened";
		return -1;
	}
	read_dockerignore(ctx, a);
	return 0;
}

void ds_context_open_listed(struct ds_context *ctx, const char *dir)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->root = dir;
	ctx->dirfd = -1;
	ctx->by_path = true;
}

void ds_context_close(struct ds_context *ctx)
{
	if (ctx && ctx->dirfd >= 0) {
		close(ctx->dirfd);
		ctx->dirfd = -1;
	}
}

/* ---- resolving inside the context ---- */

/*
 * Opens rel below the root with flags (O_RDONLY or O_DIRECTORY), following
 * links only inside the context. Returns the descriptor, or -1 with *miss.
 */
static int open_beneath(const struct ds_context *ctx, const char *rel, int flags, struct ds_arena *a,
			enum ds_context_miss *miss)
{
	if (ctx->dirfd < 0 && !ctx->by_path) {
		*miss = DS_CTX_MISSING;
		return -1;
	}
	const char *path = clean_rel(a, rel);
	if (!path) {
		*miss = DS_CTX_OUTSIDE;
		return -1;
	}
	for (int links = 0; links < 40; links++) {
		/* walk path one component at a time from the root */
		int fd = ctx->by_path ? open(ctx->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : dup(ctx->dirfd);
		if (fd < 0) {
			*miss = ctx->by_path && (errno == ENOENT || errno == ENOTDIR) ? DS_CTX_MISSING : DS_CTX_ERROR;
			return -1;
		}
		const char *s = path;
		struct ds_buf done = DS_BUF_INIT;
		bool relink = false;
		while (*s) {
			const char *e = strchr(s, '/');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			char *comp = ds_arena_strndup(a, s, n);
			bool last = !e;
			int nfd = openat(fd, comp, (last ? flags : O_RDONLY | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
			if (nfd < 0 && (errno == ELOOP || errno == EMLINK || (errno == ENOTDIR && !last))) {
				/* a symbolic link: read it and go on from its target, inside the context */
				char target[4096];
				ssize_t tl = readlinkat(fd, comp, target, sizeof target - 1);
				if (tl < 0) {
					*miss = errno == EINVAL ? DS_CTX_NOT_FILE : DS_CTX_ERROR;
					close(fd);
					ds_buf_release(&done);
					return -1;
				}
				target[tl] = '\0';
				const char *base = target[0] == '/' ? "" : done.buf ? done.buf : "";
				const char *np = ds_arena_printf(a, "%s/%s%s%s", base, target, e ? "/" : "", e ? e + 1 : "");
				/* an absolute link names the image's root: outside this folder */
				path = target[0] == '/' ? NULL : clean_rel(a, np);
				close(fd);
				ds_buf_release(&done);
				if (!path) {
					*miss = DS_CTX_OUTSIDE;
					return -1;
				}
				relink = true;
				break;
			}
			if (nfd < 0) {
				*miss = errno == ENOENT ? DS_CTX_MISSING : errno == ENOTDIR ? DS_CTX_NOT_FILE : DS_CTX_ERROR;
				close(fd);
				ds_buf_release(&done);
				return -1;
			}
			close(fd);
			fd = nfd;
			if (done.len)
				ds_buf_addc(&done, '/');
			ds_buf_add(&done, s, n);
			s = e ? e + 1 : s + n;
		}
		if (relink)
			continue;
		ds_buf_release(&done);
		return fd;
	}
	*miss = DS_CTX_OUTSIDE; /* a loop of links */
	return -1;
}

/*
 * Opens rel (not yet cleaned) as a regular file of the context. Returns the
 * descriptor with *st filled, or -1 with *miss.
 */
static int open_regular(const struct ds_context *ctx, const char *rel, struct ds_arena *a, struct stat *st,
			enum ds_context_miss *miss)
{
	const char *clean = clean_rel(a, rel);
	if (!clean) {
		*miss = DS_CTX_OUTSIDE;
		return -1;
	}
	if (*clean && ds_context_ignored(ctx, clean)) {
		*miss = DS_CTX_MISSING;
		return -1;
	}
	int fd = open_beneath(ctx, clean, O_RDONLY, a, miss);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		*miss = DS_CTX_NOT_FILE;
		close(fd);
		return -1;
	}
	*miss = DS_CTX_OK;
	return fd;
}

/* Reads up to n bytes at off from fd into dst, through EINTR; returns how many. */
static size_t read_at(int fd, uint64_t off, char *dst, size_t n)
{
	size_t got = 0;
	while (got < n) {
		if (off + got > (uint64_t)INT64_MAX)
			break;
		ssize_t r = pread(fd, dst + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

const char *ds_context_read(const struct ds_context *ctx, const char *rel, struct ds_arena *a, size_t *len,
			    enum ds_context_miss *miss)
{
	*len = 0;
	struct stat st;
	int fd = open_regular(ctx, rel, a, &st, miss);
	if (fd < 0)
		return NULL;
	if (st.st_size > DS_CONTEXT_MAX_FILE) {
		*miss = DS_CTX_TOO_BIG;
		close(fd);
		return NULL;
	}
	char *buf = ds_arena_alloc(a, (size_t)st.st_size + 1);
	size_t got = read_at(fd, 0, buf, (size_t)st.st_size);
	close(fd);
	buf[got] = '\0';
	*len = got;
	*miss = DS_CTX_OK;
	return buf;
}

int ds_context_file_open(const struct ds_context *ctx, const char *rel, struct ds_context_file *f,
			 enum ds_context_miss *miss)
{
	struct ds_arena a = DS_ARENA_INIT;
	struct stat st;
	f->fd = open_regular(ctx, rel, &a, &st, miss);
	f->size = f->fd >= 0 ? (uint64_t)st.st_size : 0;
	ds_arena_release(&a);
	return f->fd >= 0 ? 0 : -1;
}

size_t ds_context_file_read(const struct ds_context_file *f, uint64_t off, void *dst, size_t n)
{
	return f->fd >= 0 ? read_at(f->fd, off, dst, n) : 0;
}

void ds_context_file_close(struct ds_context_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

int ds_context_match(const struct ds_context *ctx, const char *dir, const char *pattern, struct ds_arena *a,
		     const char **rel)
{
	*rel = NULL;
	enum ds_context_miss miss;
	const char *clean = clean_rel(a, dir);
	if (!clean || (*clean && ds_context_ignored(ctx, clean)))
		return 0;
	/* the root: a description of its own, since a dup would share the position in the listing */
	int fd = *clean	       ? open_beneath(ctx, clean, O_RDONLY | O_DIRECTORY, a, &miss)
		 : ctx->by_path ? open(ctx->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
		 : ctx->dirfd < 0 ? -1
				  : openat(ctx->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	int n = 0;
	for (struct dirent *e; n < 2 && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || fnmatch(pattern, e->d_name, 0) != 0)
			continue;
		const char *p = *clean ? ds_arena_printf(a, "%s/%s", clean, e->d_name) : ds_arena_strdup(a, e->d_name);
		if (ds_context_ignored(ctx, p))
			continue;
		*rel = p;
		n++;
	}
	closedir(d);
	if (n != 1)
		*rel = NULL;
	return n;
}

bool ds_context_is_dir(const struct ds_context *ctx, const char *rel)
{
	struct ds_arena a = DS_ARENA_INIT;
	enum ds_context_miss miss;
	const char *clean = clean_rel(&a, rel);
	bool r = false;
	if (clean && !(*clean && ds_context_ignored(ctx, clean))) {
		int fd = open_beneath(ctx, clean, O_RDONLY | O_DIRECTORY, &a, &miss);
		if (fd >= 0) {
			r = true;
			close(fd);
		}
	}
	ds_arena_release(&a);
	return r;
}
