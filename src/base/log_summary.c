/* log_summary.c: counted log lines. Whoever wins the compare-and-swap on last_ms writes the
 * line, with the count it takes out of pending; the others only count. */
#include "base/log_summary.h"

#include <time.h>

#include "base/limits.h"

static int_fast64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* +1 so that no moment reads as 0, which means "no line yet" */
    return (int_fast64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 1;
}

static void emit(struct nb_log_summary *s, int_fast64_t since, int_fast64_t now)
{
    uint_fast64_t n = atomic_exchange(&s->pending, 0);
    if (n == 0)
        return;
    long long ms = since ? (long long)(now - since) : 0;
    nb_log(s->level, s->event, "count=%llu seconds=%lld.%03lld%s%s", (unsigned long long)n,
           ms / 1000, ms % 1000, s->detail ? " " : "", s->detail ? s->detail : "");
}

static void maybe_emit(struct nb_log_summary *s)
{
    int_fast64_t now = now_ms(), last = atomic_load(&s->last_ms);
    if (last && now - last < (int_fast64_t)NB_LOG_SUMMARY_SECONDS * 1000)
        return;
    if (atomic_compare_exchange_strong(&s->last_ms, &last, now))
        emit(s, last, now);
}

void nb_log_summary_add(struct nb_log_summary *s)
{
    atomic_fetch_add(&s->pending, 1);
    maybe_emit(s);
}

void nb_log_summary_tick(struct nb_log_summary *s)
{
    if (atomic_load(&s->pending))
        maybe_emit(s);
}

void nb_log_summary_flush(struct nb_log_summary *s)
{
    int_fast64_t now = now_ms();
    int_fast64_t last = atomic_exchange(&s->last_ms, now);
    emit(s, last, now);
}
