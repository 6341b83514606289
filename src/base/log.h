/* log.h: one line per event, key=value, to stderr.
 *
 *   ts=2021-10-15T05:12:00Z level=info event=http.start listen=127.0.0.1:8080
 *
 * The caller passes the event name and a printf format for the remaining key=value pairs,
 * with our own values only. Values that may hold spaces or user text go through
 * nb_log_value, which quotes and escapes them. Secrets and personal data are never logged,
 * except client addresses at debug level (event=http.request), for diagnosis.
 * Thread-safe: each line is written with one write(2). */
#ifndef NB_BASE_LOG_H
#define NB_BASE_LOG_H

#include <stddef.h>

enum nb_log_level { NB_LOG_DEBUG, NB_LOG_INFO, NB_LOG_WARN, NB_LOG_ERROR };

/* Lines below this level are dropped; default NB_LOG_INFO. */
void nb_log_set_level(enum nb_log_level level);

void nb_log(enum nb_log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes s into out (size n) as a log value: bare when it is made of safe characters,
 * otherwise in double quotes with " \ and control characters escaped, truncated to fit.
 * Returns out. */
const char *nb_log_value(char *out, size_t n, const char *s, size_t len);

#define nb_log_info(event, ...) nb_log(NB_LOG_INFO, event, __VA_ARGS__)
#define nb_log_warn(event, ...) nb_log(NB_LOG_WARN, event, __VA_ARGS__)
#define nb_log_error(event, ...) nb_log(NB_LOG_ERROR, event, __VA_ARGS__)

#endif
