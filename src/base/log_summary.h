/* log_summary.h: an event that may repeat thousands of times a second (a refused
 * connection, an aborted request) logged as one counted line per interval instead of a line
 * each.
 *
 *   ts=... level=warn event=http.conn_refused count=9412 seconds=1 reason=per_address
 *
 * The first occurrence is logged at once with count=1; later ones are counted, and the
 * count is written (and restarted) by the first nb_log_summary_add or nb_log_summary_tick
 * at least NB_LOG_SUMMARY_SECONDS after the previous line, or by nb_log_summary_flush.
 * "seconds" is the time the count covers. Lock-free; any thread may call any function. */
#ifndef NB_BASE_LOG_SUMMARY_H
#define NB_BASE_LOG_SUMMARY_H

#include <stdatomic.h>
#include <stdint.h>

#include "base/log.h"

struct nb_log_summary {
    enum nb_log_level level;
    const char *event;  /* static string, as for nb_log */
    const char *detail; /* static key=value text appended to each line, or NULL */
    atomic_uint_fast64_t pending;
    atomic_int_fast64_t last_ms; /* monotonic time of the previous line; 0 = none yet */
};

/* A summary for event; place it in long-lived memory. */
#define NB_LOG_SUMMARY_INIT(level_, event_, detail_)                                               \
    {                                                                                              \
        .level = (level_), .event = (event_), .detail = (detail_)                                  \
    }

/* Counts one occurrence; logs when the interval has passed. */
void nb_log_summary_add(struct nb_log_summary *s);

/* Logs the pending count when the interval has passed (call it from something that runs
 * often, so that a count does not wait for the next occurrence). */
void nb_log_summary_tick(struct nb_log_summary *s);

/* Logs the pending count now, if any (at stop). */
void nb_log_summary_flush(struct nb_log_summary *s);

#endif
