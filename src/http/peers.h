/* peers.h: how many connections each TCP peer address holds, for the per-address limit
 * (NB_HTTP_CONN_PER_IP).
 *
 * The server asks nb_http_peers_full when a connection is offered and refuses it when the
 * address holds the limit already; it counts a connection with nb_http_peers_add once the
 * library has taken it and with nb_http_peers_remove when it closes. Trusted proxies are
 * never counted (the server does not call these for them). Check and count are two steps,
 * so worker threads accepting at the same moment may let an address exceed the limit by at
 * most one connection per thread; the count itself is exact.
 *
 * Thread-safe (one mutex; every call is a short table operation, never blocks on I/O). The
 * table holds at most 2 * NB_HTTP_CONN_MAX addresses, more than the connections the
 * server ever holds, and is keyed with a secret SipHash key so that no client can choose
 * addresses that collide. */
#ifndef NB_HTTP_PEERS_H
#define NB_HTTP_PEERS_H

#include <stdbool.h>

#include "base/addr.h"

struct nb_http_peers;

/* A table with a limit of max_per_addr connections per address. Aborts on out-of-memory
 * (long-lived). Free with nb_http_peers_free. */
struct nb_http_peers *nb_http_peers_new(unsigned max_per_addr);

/* Frees the table and NULLs *p; accepts NULL and *p == NULL. */
void nb_http_peers_free(struct nb_http_peers **p);

/* True when a holds max_per_addr connections or more. */
bool nb_http_peers_full(struct nb_http_peers *p, const struct nb_addr *a);

/* Counts one more connection of a. False (nothing counted) when the table has no room for
 * another address, which cannot happen while the server holds at most NB_HTTP_CONN_MAX
 * connections; the caller then must not call nb_http_peers_remove for it. */
bool nb_http_peers_add(struct nb_http_peers *p, const struct nb_addr *a);

/* Counts one connection of a less; an address whose count reaches 0 leaves the table. A
 * call for an address that is not counted is ignored. */
void nb_http_peers_remove(struct nb_http_peers *p, const struct nb_addr *a);

/* The connections a holds now. */
unsigned nb_http_peers_count(struct nb_http_peers *p, const struct nb_addr *a);

#endif
