/* watch.c: head deadline and abort counts (http/watch.h).
 *
 * The connections form one doubly linked list under one mutex, so that the sweeper and
 * nb_watch_close exclude each other (see the header for why). The head clock of a
 * connection is two atomics, written by the event threads without the lock and read by the
 * sweeper: a stale read at worst cuts one sweep (a second) later. Counters are atomics too;
 * the sweeper swaps them to zero when it writes the summary. */
#include "http/watch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "base/log.h"
#include "base/xalloc.h"

struct nb_watch_conn {
    struct nb_watch_conn *prev, *next;
    int fd;
    atomic_bool cut;            /* shut down by the sweeper (set under the lock) */
    bool served, counted;       /* a request was answered; an abort was counted (event thread) */
    atomic_bool in_head;        /* reading a request head */
    atomic_int_least64_t since; /* when the head clock started, ms on CLOCK_MONOTONIC */
};

struct nb_watch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct nb_watch_conn *head;
    bool stopping;
    int64_t head_ms, log_ms;
    atomic_uint_least64_t counts[NB_WATCH_ABORT_COUNT];
    pthread_t sweeper;
};

static const char *const names[NB_WATCH_ABORT_COUNT] = {
    [NB_WATCH_NO_REQUEST] = "no_request",
    [NB_WATCH_INCOMPLETE] = "incomplete",
    [NB_WATCH_ERROR] = "error",
    [NB_WATCH_TIMED_OUT] = "timed_out",
    [NB_WATCH_HEAD_DEADLINE] = "head_deadline",
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *xcalloc(size_t n, size_t size)
{
    return nb_xalloc_zeroed(n, size, "watch");
}

/* One line with every count since the last one; nothing when all are zero. */
static void summary(struct nb_watch *w, int64_t seconds)
{
    uint64_t c[NB_WATCH_ABORT_COUNT], total = 0;
    for (size_t i = 0; i < NB_WATCH_ABORT_COUNT; i++) {
        c[i] = atomic_exchange(&w->counts[i], 0);
        total += c[i];
    }
    if (total == 0)
        return;
    nb_log_info("http.aborted", "seconds=%lld %s=%llu %s=%llu %s=%llu %s=%llu %s=%llu",
                (long long)seconds, names[0], (unsigned long long)c[0], names[1],
                (unsigned long long)c[1], names[2], (unsigned long long)c[2], names[3],
                (unsigned long long)c[3], names[4], (unsigned long long)c[4]);
}

/* Under the lock: shuts down every connection past the head deadline. */
static void sweep(struct nb_watch *w, int64_t now)
{
    for (struct nb_watch_conn *c = w->head; c; c = c->next) {
        if (atomic_load(&c->cut) || !atomic_load(&c->in_head) ||
            now - atomic_load(&c->since) < w->head_ms)
            continue;
        atomic_store(&c->cut, true);
        (void)shutdown(c->fd, SHUT_RDWR); /* fails only when the peer is gone already */
        atomic_fetch_add(&w->counts[NB_WATCH_HEAD_DEADLINE], 1);
    }
}

static void *sweeper(void *arg)
{
    struct nb_watch *w = arg;
    int64_t last_log = now_ms();
    pthread_mutex_lock(&w->mu);
    while (!w->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&w->cv, &w->mu, &until);
        if (w->stopping)
            break;
        int64_t now = now_ms();
        sweep(w, now);
        if (now - last_log >= w->log_ms) {
            summary(w, (now - last_log) / 1000);
            last_log = now;
        }
    }
    pthread_mutex_unlock(&w->mu);
    summary(w, (now_ms() - last_log) / 1000);
    return NULL;
}

enum nb_err nb_watch_new(unsigned head_seconds, unsigned log_seconds, struct nb_watch **out)
{
    if (!out || head_seconds == 0 || log_seconds == 0)
        return NB_ERR_INPUT;
    struct nb_watch *w = xcalloc(1, sizeof(*w));
    w->head_ms = (int64_t)head_seconds * 1000;
    w->log_ms = (int64_t)log_seconds * 1000;
    for (size_t i = 0; i < NB_WATCH_ABORT_COUNT; i++)
        atomic_init(&w->counts[i], 0);
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&w->sweeper, NULL, sweeper, w) != 0) {
        nb_log_error("watch.thread_failed", "what=sweeper");
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NB_ERR_INTERNAL;
    }
    *out = w;
    return NB_OK;
}

struct nb_watch_conn *nb_watch_open(struct nb_watch *w, int fd)
{
    struct nb_watch_conn *c = xcalloc(1, sizeof(*c));
    c->fd = fd;
    atomic_init(&c->cut, false);
    atomic_init(&c->in_head, true);
    atomic_init(&c->since, now_ms());
    pthread_mutex_lock(&w->mu);
    c->next = w->head;
    if (w->head)
        w->head->prev = c;
    w->head = c;
    pthread_mutex_unlock(&w->mu);
    return c;
}

void nb_watch_head_done(struct nb_watch_conn *c)
{
    if (c)
        atomic_store(&c->in_head, false);
}

void nb_watch_request_end(struct nb_watch *w, struct nb_watch_conn *c, enum nb_watch_end end)
{
    if (!c)
        return;
    static const int counted_as[] = {
        [NB_WATCH_END_OK] = -1,
        [NB_WATCH_END_INCOMPLETE] = NB_WATCH_INCOMPLETE,
        [NB_WATCH_END_ERROR] = NB_WATCH_ERROR,
        [NB_WATCH_END_TIMED_OUT] = NB_WATCH_TIMED_OUT,
        [NB_WATCH_END_STOPPED] = -1,
    };
    if (end == NB_WATCH_END_OK)
        c->served = true;
    bool cut = atomic_load(&c->cut);
    if ((unsigned)end < sizeof(counted_as) / sizeof(counted_as[0]) && counted_as[end] >= 0 &&
        !cut && !c->counted) {
        c->counted = true;
        nb_watch_count(w, (enum nb_watch_abort)counted_as[end]);
    }
    atomic_store(&c->since, now_ms());
    atomic_store(&c->in_head, true);
}

void nb_watch_close(struct nb_watch *w, struct nb_watch_conn **cp)
{
    if (!cp || !*cp)
        return;
    struct nb_watch_conn *c = *cp;
    *cp = NULL;
    pthread_mutex_lock(&w->mu);
    if (!c->served && !c->counted && !atomic_load(&c->cut))
        atomic_fetch_add(&w->counts[NB_WATCH_NO_REQUEST], 1);
    if (c->prev)
        c->prev->next = c->next;
    else
        w->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&w->mu);
    free(c);
}

void nb_watch_count(struct nb_watch *w, enum nb_watch_abort why)
{
    if ((unsigned)why < NB_WATCH_ABORT_COUNT)
        atomic_fetch_add(&w->counts[why], 1);
}

void nb_watch_free(struct nb_watch **wp)
{
    if (!wp || !*wp)
        return;
    struct nb_watch *w = *wp;
    *wp = NULL;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->sweeper, NULL);
    /* Connections still registered are a caller bug; free them rather than leak. */
    for (struct nb_watch_conn *c = w->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}
