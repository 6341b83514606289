/* pool.c: the bounded worker pool of http/pool.h.
 *
 * One mutex guards a ring of waiting jobs (capacity queue_max + threads, so that a job for
 * every thread fits even before the threads have taken theirs) and the count of running
 * jobs. A job is accepted while running + waiting < threads + queue_max: queue_max jobs may
 * wait besides one running on every thread. Threads sleep on one condition variable; nb_pool_free
 * empties the ring under the mutex before it wakes them to leave, so a waiting job is either
 * taken by a thread or cancelled, never both. */
#include "http/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/xalloc.h"

struct job {
    void (*run)(void *arg);
    void (*cancel)(void *arg);
    void *arg;
};

struct nb_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *ring;
    size_t cap, head, waiting; /* ring of cap slots; waiting jobs from head on */
    size_t running;
    size_t admit;  /* threads + queue_max */
    bool stopping; /* no new jobs; threads leave when the ring is empty */
    bool stopped;  /* nb_pool_stop has begun */
    unsigned nthreads;
    pthread_t *threads;
};

static void *xcalloc(size_t n, size_t size)
{
    return nb_xalloc_zeroed(n, size, "pool");
}

static void *worker(void *arg)
{
    struct nb_pool *p = arg;
    /* Lower this thread only (Linux keeps a nice value per thread); failing to is harmless. */
    (void)setpriority(PRIO_PROCESS, (id_t)gettid(), NB_WORK_NICE);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stopping && p->waiting == 0)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->waiting == 0)
            break; /* stopping, and nb_pool_free has cancelled what waited */
        struct job j = p->ring[p->head];
        p->head = (p->head + 1) % p->cap;
        p->waiting--;
        p->running++;
        pthread_mutex_unlock(&p->mu);
        j.run(j.arg);
        pthread_mutex_lock(&p->mu);
        p->running--;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void join_all(struct nb_pool *p, unsigned n)
{
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < n; i++)
        pthread_join(p->threads[i], NULL);
}

static void destroy(struct nb_pool *p)
{
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p->ring);
    free(p);
}

enum nb_err nb_pool_new(unsigned threads, size_t queue_max, struct nb_pool **out)
{
    if (!out || threads == 0 || threads > NB_WORK_THREADS_MAX || queue_max > NB_WORK_QUEUE_MAX)
        return NB_ERR_INPUT;
    struct nb_pool *p = xcalloc(1, sizeof(*p));
    p->admit = threads + queue_max;
    p->cap = p->admit;
    p->ring = xcalloc(p->cap, sizeof(*p->ring));
    p->threads = xcalloc(threads, sizeof(*p->threads));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (unsigned i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
            nb_log_error("pool.thread_failed", "started=%u wanted=%u", i, threads);
            join_all(p, i);
            destroy(p);
            return NB_ERR_INTERNAL;
        }
    }
    p->nthreads = threads;
    *out = p;
    return NB_OK;
}

enum nb_err nb_pool_submit(struct nb_pool *p, void (*run)(void *arg), void (*cancel)(void *arg),
                           void *arg)
{
    if (!p || !run || !cancel)
        return NB_ERR_INPUT;
    pthread_mutex_lock(&p->mu);
    if (p->stopping || p->running + p->waiting >= p->admit) {
        pthread_mutex_unlock(&p->mu);
        return NB_ERR_LIMIT;
    }
    p->ring[(p->head + p->waiting) % p->cap] = (struct job){run, cancel, arg};
    p->waiting++;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NB_OK;
}

size_t nb_pool_pending(struct nb_pool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->running + p->waiting;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void nb_pool_stop(struct nb_pool *p)
{
    if (!p)
        return;
    /* Take the waiting jobs out first, so that no thread starts one after this point. */
    pthread_mutex_lock(&p->mu);
    bool first = !p->stopped;
    p->stopping = p->stopped = true;
    size_t n = p->waiting;
    struct job *left = n ? xcalloc(n, sizeof(*left)) : NULL;
    for (size_t i = 0; i < n; i++)
        left[i] = p->ring[(p->head + i) % p->cap];
    p->waiting = 0;
    pthread_mutex_unlock(&p->mu);
    if (!first)
        return;
    for (size_t i = 0; i < n; i++)
        left[i].cancel(left[i].arg);
    free(left);
    join_all(p, p->nthreads);
    if (n)
        nb_log_info("pool.stop", "cancelled=%zu", n);
}

void nb_pool_free(struct nb_pool **pp)
{
    if (!pp || !*pp)
        return;
    nb_pool_stop(*pp);
    destroy(*pp);
    *pp = NULL;
}
