/* pool.h: a bounded pool of threads for blocking work.
 *
 * The HTTP event threads serve thousands of connections each, so nothing that blocks may run
 * on them: password hashing (argon2id, 64 MiB), store reads and writes (fsync, waiting for
 * the writer or a read connection), renders. Such work is handed to this pool instead. It has
 * a fixed number of threads and a fixed number of places for jobs that wait for a thread;
 * when every thread is busy and every place taken, nb_pool_submit refuses at once (the
 * caller answers 503), so a flood of slow requests is turned away, never queued without end.
 *
 * A job is a pair of callbacks on one argument: run() is called on a pool thread, or, when
 * the pool is freed before the job started, cancel() is called instead, on the thread that
 * frees the pool. Exactly one of them is called, exactly once, for every accepted job; the
 * pool never touches arg otherwise. A job runs start to finish on one thread (the store keeps
 * per-thread transaction state). Pool threads run at a lower CPU priority (NB_WORK_NICE), so
 * that the event threads go first when both want the processor. */
#ifndef NB_HTTP_POOL_H
#define NB_HTTP_POOL_H

#include <stddef.h>

#include "base/err.h"

struct nb_pool;

/* Starts threads worker threads with room for queue_max waiting jobs. *out is set on NB_OK.
 * NB_ERR_INPUT: threads is 0 or above NB_WORK_THREADS_MAX, or queue_max is above
 * NB_WORK_QUEUE_MAX. NB_ERR_INTERNAL: a thread could not be started (logged; the threads
 * already started are stopped again). Aborts on out-of-memory (long-lived). */
NB_MUST_USE enum nb_err nb_pool_new(unsigned threads, size_t queue_max, struct nb_pool **out);

/* Hands a job to the pool; never blocks. run and cancel are required.
 * NB_OK: the job is accepted (see above for what is called). NB_ERR_LIMIT: every thread is
 * busy and queue_max jobs wait already, or the pool is being freed; nothing is called. */
NB_MUST_USE enum nb_err nb_pool_submit(struct nb_pool *p, void (*run)(void *arg),
                                       void (*cancel)(void *arg), void *arg);

/* Jobs accepted and not yet finished (running or waiting), for logs and tests. */
size_t nb_pool_pending(struct nb_pool *p);

/* Stops the pool: refuses new jobs from now on (nb_pool_submit says NB_ERR_LIMIT), calls
 * cancel() for every job still waiting (on this thread, in the order they were submitted),
 * waits for the running jobs to return and joins the threads. Blocks as long as the longest
 * running job. Afterwards no callback runs any more, but p stays valid, so that threads that
 * may still submit do not touch freed memory. A second call does nothing. Must not be called
 * from a job. */
void nb_pool_stop(struct nb_pool *p);

/* nb_pool_stop, then frees the pool. Sets *p to NULL; accepts NULL and *p == NULL. */
void nb_pool_free(struct nb_pool **p);

#endif
