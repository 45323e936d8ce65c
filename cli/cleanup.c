/* cleanup.c - temporary files, folders and child process groups undone on a fatal signal; see cleanup.h. */
#include "cli/cleanup.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

enum { SLOT_FREE, SLOT_FILLING, SLOT_ACTIVE };
enum kind { K_FILE, K_DIR, K_GROUP };

struct slot {
	atomic_int state;
	enum kind kind;
	pid_t pgid;
	size_t n;                  /* K_DIR: files prefix0suffix .. */
	char path[PATH_MAX];
	char prefix[16], suffix[16];
};

static struct slot slots[DS_CLEANUP_SLOTS];

static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };

void ds_cleanup_signals(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof handled / sizeof *handled; i++)
		sigaddset(set, handled[i]);
}

/* Appends s to buf[*len..cap), as much as fits; async-signal-safe. */
static void append(char *buf, size_t *len, size_t cap, const char *s)
{
	while (*s && *len + 1 < cap)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

static void append_uint(char *buf, size_t *len, size_t cap, size_t v)
{
	char digits[24];
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	char s[24];
	for (size_t i = 0; i < n; i++)
		s[i] = digits[n - 1 - i];
	s[n] = '\0';
	append(buf, len, cap, s);
}

/* Undoes every active slot; only async-signal-safe calls. */
static void run_all(void)
{
	/* groups first, so no child is still writing into a folder being removed */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < DS_CLEANUP_SLOTS; i++) {
			struct slot *s = &slots[i];
			if (atomic_load(&s->state) != SLOT_ACTIVE || (s->kind == K_GROUP) != (pass == 0))
				continue;
			if (s->kind == K_GROUP) {
				kill(-s->pgid, SIGKILL);
			} else if (s->kind == K_FILE) {
				unlink(s->path);
			} else {
				char p[PATH_MAX + 64];
				for (size_t k = 0; k < s->n; k++) {
					size_t len = 0;
					p[0] = '\0';
					append(p, &len, sizeof p, s->path);
					append(p, &len, sizeof p, "/");
					append(p, &len, sizeof p, s->prefix);
					append_uint(p, &len, sizeof p, k);
					append(p, &len, sizeof p, s->suffix);
					unlink(p);
				}
				rmdir(s->path);
			}
		}
	}
}

static void on_signal(int sig)
{
	int saved = errno;
	run_all();
	/* the handler was reset to the default on entry (SA_RESETHAND): end as the signal would */
	raise(sig);
	errno = saved;
}

void ds_cleanup_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = (int)SA_RESETHAND; /* an unsigned constant on Linux */
	ds_cleanup_signals(&sa.sa_mask);
	for (size_t i = 0; i < sizeof handled / sizeof *handled; i++) {
		struct sigaction old;
		if (sigaction(handled[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue; /* started ignored: stay ignored */
		sigaction(handled[i], &sa, NULL);
	}
}

static struct slot *claim(void)
{
	for (size_t i = 0; i < DS_CLEANUP_SLOTS; i++) {
		int expect = SLOT_FREE;
		if (atomic_compare_exchange_strong(&slots[i].state, &expect, SLOT_FILLING))
			return &slots[i];
	}
	return NULL;
}

static int publish(struct slot *s)
{
	atomic_store(&s->state, SLOT_ACTIVE);
	return (int)(s - slots);
}

static void copy(char *dst, size_t cap, const char *src)
{
	size_t len = 0;
	dst[0] = '\0';
	append(dst, &len, cap, src);
}

int ds_cleanup_add_file(const char *path)
{
	struct slot *s = strlen(path) < PATH_MAX ? claim() : NULL;
	if (!s)
		return -1;
	s->kind = K_FILE;
	copy(s->path, sizeof s->path, path);
	return publish(s);
}

int ds_cleanup_add_dir(const char *dir, const char *prefix, size_t n, const char *suffix)
{
	struct slot *s = strlen(dir) < PATH_MAX && strlen(prefix) < sizeof s->prefix &&
				 strlen(suffix) < sizeof s->suffix
			 ? claim()
			 : NULL;
	if (!s)
		return -1;
	s->kind = K_DIR;
	s->n = n;
	copy(s->path, sizeof s->path, dir);
	copy(s->prefix, sizeof s->prefix, prefix);
	copy(s->suffix, sizeof s->suffix, suffix);
	return publish(s);
}

int ds_cleanup_add_group(pid_t pgid)
{
	struct slot *s = pgid > 1 ? claim() : NULL;
	if (!s)
		return -1;
	s->kind = K_GROUP;
	s->pgid = pgid;
	return publish(s);
}

void ds_cleanup_remove(int slot)
{
	if (slot >= 0 && slot < DS_CLEANUP_SLOTS)
		atomic_store(&slots[slot].state, SLOT_FREE);
}

void ds_cleanup_block(sigset_t *old)
{
	sigset_t set;
	ds_cleanup_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

void ds_cleanup_unblock(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}
