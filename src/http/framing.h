/* framing.h: the RFC 9112 rules for a request's header block that libmicrohttpd 0.9.75 does
 * not enforce, checked once the headers are in and before any body is read.
 *
 * Each rule closes a way to smuggle a request past a proxy that reads the same bytes
 * differently (RFC 9112 sections 3.2, 5.1, 5.2, 6.3, 11.2):
 *   both Content-Length and Transfer-Encoding      (which one frames the body?)
 *   Content-Length more than once                  (even with equal values: a proxy in front
 *                                                   may have taken another one)
 *   Host more than once                            (which office is meant?)
 *   a CR in a field name or value (a bare CR)      (libmicrohttpd keeps it inside the value;
 *                                                   another reader ends the line there)
 *   obsolete line folding                          (a line that starts with SP or HTAB)
 * Each of them is answered 400 with the connection closed. A Content-Length that is a list
 * ("3, 5") is not a number and already refused by libmicrohttpd itself.
 *
 * Usage: nb_framing_init, nb_framing_add for every header line (with whether the layer saw
 * it folded), then nb_framing_verdict. Pure functions on caller memory; thread-safe. */
#ifndef NB_HTTP_FRAMING_H
#define NB_HTTP_FRAMING_H

#include <stdbool.h>

#include "base/str.h"

struct nb_framing {
    unsigned content_length, transfer_encoding, host; /* times each header was seen */
    bool bare_cr, folded;
};

void nb_framing_init(struct nb_framing *f);

/* One header line as the library handed it over; folded: the line continued on the next
 * one (obs-fold), as far as the caller can tell. */
void nb_framing_add(struct nb_framing *f, struct nb_str name, struct nb_str value, bool folded);

/* NULL when the header block may be served; otherwise a short stable reason for the log:
 * "cl_and_te", "cl_repeated", "host_repeated", "bare_cr", "folded". */
const char *nb_framing_verdict(const struct nb_framing *f);

#endif
