/* Tests for http/pool: the bound on waiting jobs, every accepted job run or cancelled exactly
 * once, and a stop with jobs still waiting. Jobs block on a gate that the test opens, so
 * the pool's state is known at each step without sleeping for a guessed time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "base/limits.h"
#include "http/pool.h"

struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool open;
    unsigned inside; /* jobs blocked at the gate */
};

static struct gate g_gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0};
static atomic_uint g_ran, g_cancelled;
static atomic_uint g_seen[64]; /* per job: run + cancel calls */

static void gate_reset(void)
{
    pthread_mutex_lock(&g_gate.mu);
    g_gate.open = false;
    g_gate.inside = 0;
    pthread_mutex_unlock(&g_gate.mu);
    atomic_store(&g_ran, 0);
    atomic_store(&g_cancelled, 0);
    for (size_t i = 0; i < 64; i++)
        atomic_store(&g_seen[i], 0);
}

static void gate_open(void)
{
    pthread_mutex_lock(&g_gate.mu);
    g_gate.open = true;
    pthread_cond_broadcast(&g_gate.cv);
    pthread_mutex_unlock(&g_gate.mu);
}

/* Waits until n jobs are blocked at the gate (bounded: fails the test after 10 s). */
static void gate_wait_inside(unsigned n)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&g_gate.mu);
    while (g_gate.inside < n)
        if (pthread_cond_timedwait(&g_gate.cv, &g_gate.mu, &until) != 0)
            break;
    unsigned inside = g_gate.inside;
    pthread_mutex_unlock(&g_gate.mu);
    assert_int_equal(inside, n);
}

static void job_run(void *arg)
{
    size_t i = (size_t)(uintptr_t)arg;
    pthread_mutex_lock(&g_gate.mu);
    g_gate.inside++;
    pthread_cond_broadcast(&g_gate.cv);
    while (!g_gate.open)
        pthread_cond_wait(&g_gate.cv, &g_gate.mu);
    pthread_mutex_unlock(&g_gate.mu);
    atomic_fetch_add(&g_seen[i], 1);
    atomic_fetch_add(&g_ran, 1);
}

static void job_cancel(void *arg)
{
    size_t i = (size_t)(uintptr_t)arg;
    atomic_fetch_add(&g_seen[i], 1);
    atomic_fetch_add(&g_cancelled, 1);
}

/* Waits until the pool has nothing pending (bounded: 10 s, then the caller's check fails). */
static void wait_idle(struct nb_pool *p)
{
    for (int i = 0; i < 10000 && nb_pool_pending(p) > 0; i++) {
        struct timespec ms = {0, 1000 * 1000};
        nanosleep(&ms, NULL);
    }
    assert_int_equal(nb_pool_pending(p), 0);
}

static enum nb_err submit(struct nb_pool *p, size_t i)
{
    return nb_pool_submit(p, job_run, job_cancel, (void *)(uintptr_t)i);
}

/* A pool whose threads all block at the (closed) gate, with jobs 0 .. threads-1. */
static struct nb_pool *busy_pool(unsigned threads, size_t queue)
{
    gate_reset();
    struct nb_pool *p;
    assert_int_equal(nb_pool_new(threads, queue, &p), NB_OK);
    for (unsigned i = 0; i < threads; i++)
        assert_int_equal(submit(p, i), NB_OK);
    gate_wait_inside(threads);
    return p;
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct nb_pool *p = NULL;
    assert_int_equal(nb_pool_new(0, 4, &p), NB_ERR_INPUT);
    assert_int_equal(nb_pool_new(NB_WORK_THREADS_MAX + 1, 4, &p), NB_ERR_INPUT);
    assert_int_equal(nb_pool_new(1, NB_WORK_QUEUE_MAX + 1, &p), NB_ERR_INPUT);
    assert_null(p);
    assert_int_equal(nb_pool_new(NB_WORK_THREADS_MAX, NB_WORK_QUEUE_MAX, &p), NB_OK);
    assert_int_equal(nb_pool_submit(p, NULL, job_cancel, NULL), NB_ERR_INPUT);
    assert_int_equal(nb_pool_submit(p, job_run, NULL, NULL), NB_ERR_INPUT);
    nb_pool_free(&p);
    assert_null(p);
    nb_pool_free(&p);
    nb_pool_free(NULL);
}

/* Two threads and two places: the fifth job is refused while four are pending, and taken
 * again once they are done. */
static void test_queue_bound(void **state)
{
    (void)state;
    struct nb_pool *p = busy_pool(2, 2);
    assert_int_equal(submit(p, 2), NB_OK);
    assert_int_equal(submit(p, 3), NB_OK);
    assert_int_equal(nb_pool_pending(p), 4);
    assert_int_equal(submit(p, 4), NB_ERR_LIMIT);
    assert_int_equal(submit(p, 5), NB_ERR_LIMIT);
    assert_int_equal(atomic_load(&g_seen[4]) + atomic_load(&g_seen[5]), 0);
    gate_open();
    wait_idle(p);
    assert_int_equal(atomic_load(&g_ran), 4);
    assert_int_equal(submit(p, 6), NB_OK);
    wait_idle(p);
    nb_pool_free(&p);
    assert_int_equal(atomic_load(&g_ran), 5);
    assert_int_equal(atomic_load(&g_cancelled), 0);
}

/* With no place to wait, only as many jobs as threads are taken. */
static void test_queue_zero(void **state)
{
    (void)state;
    struct nb_pool *p = busy_pool(1, 0);
    assert_int_equal(submit(p, 1), NB_ERR_LIMIT);
    gate_open();
    nb_pool_free(&p);
    assert_int_equal(atomic_load(&g_ran), 1);
}

/* Many jobs from many threads: every accepted one runs exactly once. */
struct producer {
    struct nb_pool *p;
    size_t first, n;
    atomic_uint *accepted;
};

static void *produce(void *arg)
{
    struct producer *pr = arg;
    for (size_t i = pr->first; i < pr->first + pr->n; i++)
        if (submit(pr->p, i) == NB_OK)
            atomic_fetch_add(pr->accepted, 1);
    return NULL;
}

static void test_all_jobs_run(void **state)
{
    (void)state;
    gate_reset();
    gate_open();
    struct nb_pool *p;
    assert_int_equal(nb_pool_new(4, 64, &p), NB_OK);
    atomic_uint accepted = 0;
    pthread_t t[4];
    struct producer pr[4];
    for (size_t i = 0; i < 4; i++) {
        pr[i] = (struct producer){p, i * 16, 16, &accepted};
        assert_int_equal(pthread_create(&t[i], NULL, produce, &pr[i]), 0);
    }
    for (size_t i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    /* 64 places and 4 threads: all 64 fit at any moment. */
    assert_int_equal(atomic_load(&accepted), 64);
    wait_idle(p);
    nb_pool_free(&p);
    assert_int_equal(atomic_load(&g_ran), 64);
    for (size_t i = 0; i < 64; i++)
        assert_int_equal(atomic_load(&g_seen[i]), 1);
}

/* Stop with two jobs running and three waiting: the waiting ones are cancelled, the running
 * ones finish, nothing is called twice, and the stopped pool refuses new work. */
struct stopper {
    struct nb_pool *p;
};

static void *stop_pool(void *arg)
{
    nb_pool_stop(((struct stopper *)arg)->p);
    return NULL;
}

static void test_stop_with_jobs_waiting(void **state)
{
    (void)state;
    gate_reset();
    struct nb_pool *p;
    assert_int_equal(nb_pool_new(2, 3, &p), NB_OK);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(submit(p, i), NB_OK);
    gate_wait_inside(2);
    /* The stop blocks until the running jobs return: run it aside, then open the gate. */
    struct stopper st = {p};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, stop_pool, &st), 0);
    for (int i = 0; i < 10000 && atomic_load(&g_cancelled) < 3; i++) {
        struct timespec ms = {0, 1000 * 1000};
        nanosleep(&ms, NULL);
    }
    assert_int_equal(atomic_load(&g_cancelled), 3);
    assert_int_equal(submit(p, 9), NB_ERR_LIMIT);
    gate_open();
    pthread_join(t, NULL);
    assert_int_equal(atomic_load(&g_ran), 2);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(atomic_load(&g_seen[i]), 1);
    assert_int_equal(atomic_load(&g_seen[9]), 0);
    nb_pool_stop(p); /* a second stop does nothing */
    nb_pool_free(&p);
    assert_int_equal(atomic_load(&g_ran) + atomic_load(&g_cancelled), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_queue_bound),
        cmocka_unit_test(test_queue_zero),
        cmocka_unit_test(test_all_jobs_run),
        cmocka_unit_test(test_stop_with_jobs_waiting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
