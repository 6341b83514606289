/* route.h: matching a request path against the patterns of a route table.
 *
 * A pattern is a path of literal segments and placeholders: "/meldungen/{slug}/{lang}".
 * A placeholder "{name}" matches exactly one non-empty segment; a last placeholder
 * "{name...}" matches the rest of the path, one segment or more, slashes included. Literal
 * segments compare byte for byte. "/" matches only "/". The tables (web/) choose among the
 * patterns that match the most specific ones: those with the most literal segments, so
 * "/meldungen/neu" beats "/meldungen/{slug}" and "/meldungen/{slug}/anheften" beats
 * "/meldungen/{slug}/{lang}". Pure functions, no allocation. */
#ifndef NB_HTTP_ROUTE_H
#define NB_HTTP_ROUTE_H

#include <stddef.h>

#include "base/limits.h"
#include "base/str.h"

struct nb_route_params {
    struct nb_str v[NB_ROUTE_PARAMS_MAX]; /* views into the matched path, in pattern order */
    size_t n;
};

/* Does path (decoded, starting with '/') match pattern? Returns the number of literal
 * segments of the pattern (0 or more: its specificity) and fills *p with the placeholders'
 * values when it does, -1 when it does not (also for a pattern with more than
 * NB_ROUTE_PARAMS_MAX placeholders, which is a bug of the table). */
int nb_route_match(const char *pattern, struct nb_str path, struct nb_route_params *p);

#endif
