/* pool.h - a fixed pool of threads working through item indexes 0, 1, 2, ... (issue 5 §2). */
#ifndef DS_CLI_POOL_H
#define DS_CLI_POOL_H

#include <stddef.h>

/*
 * Does item index on worker thread `worker` (0 <= worker < the thread count).
 * Every index is handed out exactly once, from an atomic counter, so items
 * run in no particular order: results go to a slot per index (never
 * shared), per-thread state to a slot per worker.
 */
typedef void (*ds_pool_fn)(void *ctx, size_t index, unsigned worker);

/* Called on the waiting thread with the number of items done and published. */
typedef void (*ds_pool_progress_fn)(void *ctx, size_t done, size_t n);

struct ds_pool;

/*
 * Starts nthreads workers (at least 1) that wait for items. Items are
 * published while the caller is still finding them (ds_pool_publish), so
 * discovery and work overlap. Never fails: when no thread can be created
 * the items run on the caller in ds_pool_finish.
 */
struct ds_pool *ds_pool_start(unsigned nthreads, ds_pool_fn fn, void *ctx);

/*
 * Makes items [0, n) available; n never decreases. Everything the caller
 * wrote for those items before the call is visible to the worker that
 * takes them.
 */
void ds_pool_publish(struct ds_pool *p, size_t n);

/* Items done so far (for progress). */
size_t ds_pool_done(struct ds_pool *p);

/*
 * No more items: waits until every published item is done, calling progress
 * (may be NULL) about every interval_ms and once at the end, then joins the
 * threads and frees p. Every write the workers made is visible afterwards.
 */
void ds_pool_finish(struct ds_pool *p, ds_pool_progress_fn progress, void *progress_ctx, unsigned interval_ms);

/* Runs items [0, n) on nthreads threads: start, publish n, finish. */
void ds_pool_run(size_t n, unsigned nthreads, ds_pool_fn fn, void *ctx, ds_pool_progress_fn progress,
		 void *progress_ctx, unsigned interval_ms);

/* The number of online processors (1 to 1024): the default --jobs. */
unsigned ds_pool_default_threads(void);

#endif
