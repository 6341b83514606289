/* watch.h: what the HTTP layer watches on every connection besides libmicrohttpd: the
 * deadline for the whole request head (slowloris), and the counts of aborted connections,
 * which are logged as one summary line per interval rather than one line each.
 *
 * libmicrohttpd's own timeout counts idle time only, so a client that trickles one header
 * line every few seconds keeps its connection, and its share of the connection limit, for
 * ever. Here every connection is registered when it opens (nb_watch_open), its head clock
 * starts then and again whenever a request ends (nb_watch_request_end), and stops when the
 * head is in (nb_watch_head_done). A sweeper thread looks once a second and shuts down
 * (shutdown(2), SHUT_RDWR) every socket whose head is older than the deadline; libmicrohttpd
 * then sees the socket fail and closes the connection itself. The sweeper holds the watch's
 * lock while it does, and nb_watch_close (called when libmicrohttpd is about to close the
 * socket) takes the same lock, so a descriptor is never shut down after it was closed and
 * perhaps reused.
 *
 * Thread-safety: every function may be called from any thread; the connection handle is
 * owned by the caller from nb_watch_open until nb_watch_close. */
#ifndef NB_HTTP_WATCH_H
#define NB_HTTP_WATCH_H

#include "base/err.h"

/* Why a connection ended early, as counted in the summary line (event=http.aborted). */
enum nb_watch_abort {
    NB_WATCH_NO_REQUEST,    /* closed before its first request head was in: the client went
                             * away early (or a browser's unused preconnect) */
    NB_WATCH_INCOMPLETE,    /* a request had begun (its request line was in) and the client
                             * went away before its answer was sent */
    NB_WATCH_ERROR,         /* the connection failed in the middle of a request: a socket
                             * error, or a request the library refused */
    NB_WATCH_TIMED_OUT,     /* idle in the middle of a request for NB_HTTP_IDLE_SECONDS */
    NB_WATCH_HEAD_DEADLINE, /* cut: its head took longer than the deadline */
    NB_WATCH_ABORT_COUNT
};

/* How a request ended, as libmicrohttpd tells it. */
enum nb_watch_end {
    NB_WATCH_END_OK,         /* answered */
    NB_WATCH_END_INCOMPLETE, /* counted as NB_WATCH_INCOMPLETE */
    NB_WATCH_END_ERROR,      /* NB_WATCH_ERROR */
    NB_WATCH_END_TIMED_OUT,  /* NB_WATCH_TIMED_OUT */
    NB_WATCH_END_STOPPED,    /* the server is stopping: not counted */
};

struct nb_watch;
struct nb_watch_conn;

/* Starts the sweeper. head_seconds: the head deadline (at least 1); log_seconds: the summary
 * interval (at least 1). *out is set on NB_OK. NB_ERR_INPUT: a value is 0.
 * NB_ERR_INTERNAL: the thread could not be started. Aborts on out-of-memory. */
NB_MUST_USE enum nb_err nb_watch_new(unsigned head_seconds, unsigned log_seconds,
                                     struct nb_watch **out);

/* Registers an accepted connection and its socket; its head clock starts now. Never NULL
 * (aborts on out-of-memory). */
struct nb_watch_conn *nb_watch_open(struct nb_watch *w, int fd);

/* The request line and headers are in: the deadline no longer applies to this connection. */
void nb_watch_head_done(struct nb_watch_conn *c);

/* A request ended (end says how; aborts are counted, once per connection, and not at all
 * for one the deadline cut); the next head, on a keep-alive connection, is timed from now. */
void nb_watch_request_end(struct nb_watch *w, struct nb_watch_conn *c, enum nb_watch_end end);

/* Forgets the connection before its socket is closed, and NULLs *c; counts it under
 * NB_WATCH_NO_REQUEST when it never had a request and nothing else was counted for it.
 * Accepts NULL and *c == NULL. */
void nb_watch_close(struct nb_watch *w, struct nb_watch_conn **c);

/* Counts one aborted connection (values outside the enum are ignored). */
void nb_watch_count(struct nb_watch *w, enum nb_watch_abort why);

/* Stops the sweeper, logs the last summary (when anything was counted) and frees the watch;
 * every connection must have been closed before. NULLs *w; accepts NULL and *w == NULL. */
void nb_watch_free(struct nb_watch **w);

#endif
