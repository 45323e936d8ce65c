/* pool.c - worker threads claiming published indexes from an atomic counter; see pool.h. */
#include "cli/pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common/arena.h"

struct ds_pool {
	ds_pool_fn fn;
	void *ctx;
	atomic_size_t next;      /* the next index to claim */
	atomic_size_t published; /* indexes below are available */
	atomic_size_t done;
	atomic_bool closed;      /* no more items will be published */
	/* idle workers wait on `more`; the finishing caller waits on `idle` */
	pthread_mutex_t mu;
	pthread_cond_t more, idle;
	unsigned nthreads;
	struct ds_pool_worker *workers;
};

struct ds_pool_worker {
	struct ds_pool *p;
	unsigned id;
	pthread_t tid;
};

/* Claims an available index; returns 0 when none is available right now. */
static int claim(struct ds_pool *p, size_t *out)
{
	size_t i = atomic_load_explicit(&p->next, memory_order_relaxed);
	for (;;) {
		if (i >= atomic_load_explicit(&p->published, memory_order_acquire))
			return 0;
		if (atomic_compare_exchange_weak_explicit(&p->next, &i, i + 1, memory_order_acq_rel,
							  memory_order_relaxed)) {
			*out = i;
			return 1;
		}
	}
}

static void run_item(struct ds_pool *p, size_t i, unsigned id)
{
	p->fn(p->ctx, i, id);
	/* sequentially consistent: either this sees closed, or finish sees done */
	size_t d = atomic_fetch_add(&p->done, 1) + 1;
	if (atomic_load(&p->closed) && d == atomic_load(&p->published)) {
		pthread_mutex_lock(&p->mu);
		pthread_cond_broadcast(&p->idle);
		pthread_mutex_unlock(&p->mu);
	}
}

static void *worker_main(void *arg)
{
	struct ds_pool_worker *w = arg;
	struct ds_pool *p = w->p;
	for (;;) {
		size_t i;
		if (claim(p, &i)) {
			run_item(p, i, w->id);
			continue;
		}
		pthread_mutex_lock(&p->mu);
		while (atomic_load_explicit(&p->next, memory_order_relaxed) >=
			       atomic_load_explicit(&p->published, memory_order_acquire) &&
		       !atomic_load_explicit(&p->closed, memory_order_acquire))
			pthread_cond_wait(&p->more, &p->mu);
		bool over = atomic_load_explicit(&p->closed, memory_order_acquire) &&
			    atomic_load_explicit(&p->next, memory_order_relaxed) >=
				    atomic_load_explicit(&p->published, memory_order_acquire);
		pthread_mutex_unlock(&p->mu);
		if (over)
			return NULL;
	}
}

struct ds_pool *ds_pool_start(unsigned nthreads, ds_pool_fn fn, void *ctx)
{
	if (nthreads < 1)
		nthreads = 1;
	struct ds_pool *p = ds_xcalloc(1, sizeof *p);
	p->fn = fn;
	p->ctx = ctx;
	atomic_init(&p->next, 0);
	atomic_init(&p->published, 0);
	atomic_init(&p->done, 0);
	atomic_init(&p->closed, false);
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->idle, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&p->more, NULL);
	p->workers = ds_xcalloc(nthreads, sizeof *p->workers);
	for (unsigned i = 0; i < nthreads; i++) {
		p->workers[i].p = p;
		p->workers[i].id = i;
		if (pthread_create(&p->workers[i].tid, NULL, worker_main, &p->workers[i]) != 0)
			break;
		p->nthreads++;
	}
	return p;
}

void ds_pool_publish(struct ds_pool *p, size_t n)
{
	if (n <= atomic_load_explicit(&p->published, memory_order_relaxed))
		return;
	atomic_store_explicit(&p->published, n, memory_order_release);
	pthread_mutex_lock(&p->mu);
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->mu);
}

size_t ds_pool_done(struct ds_pool *p)
{
	return atomic_load_explicit(&p->done, memory_order_relaxed);
}

static void deadline_after(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void ds_pool_finish(struct ds_pool *p, ds_pool_progress_fn progress, void *progress_ctx, unsigned interval_ms)
{
	if (!interval_ms)
		interval_ms = 100;
	size_t n = atomic_load_explicit(&p->published, memory_order_relaxed);
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->closed, true);
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->mu);
	if (!p->nthreads) {
		/* no worker could start: do the items here */
		size_t i;
		while (claim(p, &i))
			run_item(p, i, 0);
	} else if (progress) {
		pthread_mutex_lock(&p->mu);
		while (atomic_load(&p->done) < n) {
			struct timespec ts;
			deadline_after(&ts, interval_ms);
			int rc = pthread_cond_timedwait(&p->idle, &p->mu, &ts);
			size_t d = atomic_load(&p->done);
			if (rc == ETIMEDOUT && d < n) {
				pthread_mutex_unlock(&p->mu);
				progress(progress_ctx, d, n);
				pthread_mutex_lock(&p->mu);
			}
		}
		pthread_mutex_unlock(&p->mu);
	}
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->workers[i].tid, NULL);
	if (progress)
		progress(progress_ctx, n, n);
	pthread_cond_destroy(&p->more);
	pthread_cond_destroy(&p->idle);
	pthread_mutex_destroy(&p->mu);
	free(p->workers);
	free(p);
}

void ds_pool_run(size_t n, unsigned nthreads, ds_pool_fn fn, void *ctx, ds_pool_progress_fn progress,
		 void *progress_ctx, unsigned interval_ms)
{
	if (nthreads > n)
		nthreads = n ? (unsigned)n : 1;
	struct ds_pool *p = ds_pool_start(nthreads, fn, ctx);
	ds_pool_publish(p, n);
	ds_pool_finish(p, progress, progress_ctx, interval_ms);
}

unsigned ds_pool_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	if (n > 1024)
		return 1024;
	return (unsigned)n;
}
