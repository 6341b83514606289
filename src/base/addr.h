/* addr.h: numeric IP addresses (IPv4 and IPv6) as values, and short lists of them.
 *
 * An address is compared by value, so "::ffff:192.0.2.1" (an IPv4 client on a dual-stack
 * socket) is the same address as "192.0.2.1": every constructor stores such an IPv4-mapped
 * IPv6 address as the IPv4 address. Only numeric forms are read; no name is ever resolved.
 * Nothing here allocates or blocks; everything is safe to call from any thread. */
#ifndef NB_BASE_ADDR_H
#define NB_BASE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"

/* Room for the text of any address with its NUL (INET6_ADDRSTRLEN). */
#define NB_ADDR_TEXT 46

struct nb_addr {
    unsigned char family;    /* 4 or 6; 0 in a zeroed value, which equals no address */
    unsigned char bytes[16]; /* network order; IPv4 in the first 4, the rest zero */
};

/* The proxies of --trusted-proxy. */
struct nb_addr_list {
    size_t n;
    struct nb_addr addr[NB_HTTP_TRUSTED_PROXIES_MAX];
};

/* Reads a dotted-quad IPv4 address ("192.0.2.1", no leading zeros) or an IPv6 address in
 * RFC 4291 text form ("2001:db8::1", "::ffff:192.0.2.1"), nothing around it (no brackets,
 * port, zone or spaces). False on anything else; *out is then zeroed. */
bool nb_addr_parse(struct nb_str s, struct nb_addr *out);

/* The address of an AF_INET or AF_INET6 socket address; false (and *out zeroed) for any
 * other family or a NULL or short sa. */
bool nb_addr_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct nb_addr *out);

/* Writes the canonical text ("192.0.2.1", "2001:db8::1") into out; "" for a zeroed value.
 * Returns out. */
const char *nb_addr_format(const struct nb_addr *a, char out[NB_ADDR_TEXT]);

bool nb_addr_eq(const struct nb_addr *a, const struct nb_addr *b);

/* Reads a comma-separated list of addresses ("127.0.0.1,::1"; spaces and tabs around each
 * are allowed) into *out. An empty or all-blank text is an empty list. NB_ERR_INPUT when an
 * element is empty or not an address, NB_ERR_LIMIT when there are more than
 * NB_HTTP_TRUSTED_PROXIES_MAX; then *bad (when not NULL) views the element at fault in
 * text, and *out is an empty list. */
NB_MUST_USE enum nb_err nb_addr_list_parse(struct nb_str text, struct nb_addr_list *out,
                                           struct nb_str *bad);

/* True when a is in the list; false for a NULL list. */
bool nb_addr_list_has(const struct nb_addr_list *list, const struct nb_addr *a);

#endif
