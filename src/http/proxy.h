/* proxy.h: who the client of a request is when it came through a proxy we trust.
 *
 * The TCP peer of a request is either a client or one of the proxies named by
 * --trusted-proxy (nginx on this machine by default). Only a trusted peer's
 * X-Forwarded-For and X-Forwarded-Proto are believed; from anyone else they are ignored, so
 * a client cannot choose its own address or claim TLS.
 *
 * The client address is found from the right of X-Forwarded-For, where the nearest proxy
 * appended the address it saw: every X-Forwarded-For header in the order received, taken
 * together as one comma-separated list (RFC 9110 section 5.3), read right to left; trusted
 * proxies are stepped over, and the first address that is not one is the client. What lies
 * further left was written by that client or proxies we do not know, and is never read, so
 * junk there changes nothing. When every element is a trusted proxy the request started at
 * one of them, and the left-most element is the client. An element is an IPv4 or IPv6
 * address, optionally bracketed ("[2001:db8::1]") and with a port ("192.0.2.1:4711",
 * "[2001:db8::1]:4711"); spaces and tabs around it and empty elements are allowed.
 *
 * Refused, with the client then taken to be the peer itself: an element that is not such an
 * address (or longer than NB_HTTP_FORWARDED_ELEMENT_MAX) among those read, or more than
 * NB_HTTP_FORWARDED_MAX elements read without finding an untrusted one.
 *
 * TLS: the client reached the proxy over TLS when the peer is trusted and the right-most
 * element of X-Forwarded-Proto (what the nearest proxy set) is "https", in any case.
 *
 * Pure functions, no allocation, no blocking, safe from any thread. */
#ifndef NB_HTTP_PROXY_H
#define NB_HTTP_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/addr.h"
#include "base/str.h"

struct nb_http_forwarded {
    struct nb_addr client; /* the client address to use for everything per client */
    bool tls;              /* the client used https to the trusted proxy */
    bool from_proxy;       /* the peer is a trusted proxy */
    bool malformed;        /* X-Forwarded-For was refused (see above); client = peer */
};

/* Resolves the client of a request from its peer and its headers: xff[0..nxff) are the
 * values of the X-Forwarded-For headers in the order received, proto[0..nproto) those of
 * X-Forwarded-Proto. trusted may be NULL (no proxy trusted). Only views are read. */
void nb_http_proxy_resolve(const struct nb_addr_list *trusted, const struct nb_addr *peer,
                           const struct nb_str *xff, size_t nxff, const struct nb_str *proto,
                           size_t nproto, struct nb_http_forwarded *out);

#endif
