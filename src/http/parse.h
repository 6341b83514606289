/* parse.h: bounded parsers for the untrusted parts of a request.
 *
 * Everything here reads attacker-controlled bytes: the request path, the query string, an
 * urlencoded form body, the Cookie, Accept and Accept-Encoding headers. Each parser walks its
 * input once with an explicit length, never reads past it, allocates only from the arena it is
 * given, and refuses anything outside its limit (base/limits.h) with NB_ERR_LIMIT and anything
 * malformed with NB_ERR_INPUT. None of them blocks or keeps state between calls; all are safe
 * to call from many threads on different data.
 *
 * Decoded text is always valid UTF-8 (base/utf8.h). Results that are copies live in the
 * arena passed in (and are NUL-terminated for convenience); results that are views point
 * into the input, which must then outlive them. */
#ifndef NB_HTTP_PARSE_H
#define NB_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"

/* ---- request path ----------------------------------------------------------------------- */

struct nb_http_path {
    /* The whole path percent-decoded, starting with '/'. Since an encoded '/' is refused,
     * every '/' in it separates segments. */
    struct nb_str decoded;
    /* The segments between the slashes, views into decoded, none empty. "/" has none. */
    struct nb_str seg[NB_HTTP_PATH_SEGMENTS_MAX];
    size_t nseg;
    /* True when the path ends in '/' after at least one segment ("/en/"). */
    bool trailing_slash;
};

/* Checks and decodes the raw path of a request target (the part before '?', as sent).
 *
 * Accepted: '/' followed by segments of RFC 3986 pchar (unreserved, sub-delims, ':', '@',
 * and %XX escapes) separated by single slashes, with an optional final slash. After decoding,
 * each segment must be valid UTF-8 without control characters (C0, DEL) or backslash.
 * Refused with NB_ERR_INPUT: empty or not starting with '/', any other raw byte (space,
 * controls, raw non-ASCII, '#', ...), a bad escape ("%4", "%zz"), an encoded '/' or NUL,
 * an empty segment ("//"), a segment that is "." or ".." (also when encoded as %2e).
 * Refused with NB_ERR_LIMIT: raw longer than NB_HTTP_URI_MAX, more than
 * NB_HTTP_PATH_SEGMENTS_MAX segments. NB_ERR_NOMEM when the arena budget runs out.
 *
 * out->decoded is a view into raw when raw has no escape, else a copy in a. On error *out
 * is left empty (decoded "", no segments). */
NB_MUST_USE enum nb_err nb_http_path_parse(struct nb_str raw, struct nb_arena *a,
                                           struct nb_http_path *out);

/* ---- query strings and urlencoded forms ----------------------------------------------- */

/* Both use application/x-www-form-urlencoded: pairs separated by '&', name and value
 * separated by the first '=', '+' stands for a space, %XX for a byte. A pair without '='
 * has an empty value; empty pairs ("a=1&&b=2", a leading or trailing '&') are skipped and
 * not counted. Decoded names and values must be valid UTF-8 without NUL and without control
 * characters other than tab, CR and LF (textareas send line breaks), else NB_ERR_INPUT; a
 * '%' not followed by two hex digits is NB_ERR_INPUT. A query holds at most
 * NB_HTTP_QUERY_PARAMS_MAX pairs, a form body at most NB_HTTP_FORM_FIELDS_MAX; one more is
 * NB_ERR_LIMIT. */

/* Iterates the pairs one by one; the input must outlive the iterator. */
struct nb_http_kv_iter {
    struct nb_str rest; /* not yet read */
    size_t count;       /* pairs returned so far */
    size_t max;         /* pairs allowed */
};

void nb_http_query_iter(struct nb_http_kv_iter *it, struct nb_str query);
void nb_http_form_iter(struct nb_http_kv_iter *it, struct nb_str body);

/* Decodes the next pair into a (copies, NUL-terminated). NB_OK with *name and *value set;
 * NB_ERR_NOTFOUND when there are no more pairs; NB_ERR_INPUT, NB_ERR_LIMIT or NB_ERR_NOMEM as
 * above, after which the iterator stays at the failing pair (call nb_http_*_check first for
 * all-or-nothing). */
NB_MUST_USE enum nb_err nb_http_kv_next(struct nb_http_kv_iter *it, struct nb_arena *a,
                                        struct nb_str *name, struct nb_str *value);

/* As nb_http_kv_next, but name and value are decoded bytes: only a broken escape is
 * NB_ERR_INPUT, and UTF-8 and control characters are left to the caller. The form layer
 * (web/form.h) reads bodies this way so that a wrong byte is reported on its field, with
 * every other value kept, instead of refusing the whole form. */
NB_MUST_USE enum nb_err nb_http_kv_next_bytes(struct nb_http_kv_iter *it, struct nb_arena *a,
                                              struct nb_str *name, struct nb_str *value);

/* Validates a whole query or form body without allocating: NB_OK, NB_ERR_INPUT or
 * NB_ERR_LIMIT. The server runs nb_http_query_check on every request target (400 on
 * failure), so handlers see only well-formed queries. */
NB_MUST_USE enum nb_err nb_http_query_check(struct nb_str query);
NB_MUST_USE enum nb_err nb_http_form_check(struct nb_str body);

/* Finds the first pair whose decoded name equals name (exact, case-sensitive) and decodes its
 * value into a (NUL-terminated). The whole input is validated first, so the answer does not
 * depend on where the pair stands: NB_OK; NB_ERR_NOTFOUND when no pair has that name;
 * NB_ERR_INPUT or NB_ERR_LIMIT for a malformed or oversized input; NB_ERR_NOMEM. */
NB_MUST_USE enum nb_err nb_http_query_get(struct nb_str query, const char *name, struct nb_arena *a,
                                          struct nb_str *value);
NB_MUST_USE enum nb_err nb_http_form_get(struct nb_str body, const char *name, struct nb_arena *a,
                                         struct nb_str *value);

/* An RFC 9110 tchar, and a token: one or more of them (header and parameter names). */
bool nb_http_is_tchar(unsigned char c);
bool nb_http_is_token(struct nb_str s);

/* ---- cookies ----------------------------------------------------------------------------- */

/* Finds the cookie called name in a Cookie request header (RFC 6265 section 4.2.1:
 * name=value pairs separated by ';' and optional spaces). *value is a view into header,
 * without surrounding double quotes. Pairs whose name is not a token or whose value holds
 * bytes outside cookie-octet (space, comma, backslash, controls, non-ASCII, ...) are skipped,
 * so that a broken cookie of another application cannot hide ours; the first well-formed pair
 * with the name wins (browsers send the most specific path first).
 * NB_OK; NB_ERR_NOTFOUND; NB_ERR_INPUT when the header holds NUL or a control other than tab;
 * NB_ERR_LIMIT when it holds more than NB_HTTP_COOKIES_MAX pairs or more than
 * NB_HTTP_HEADER_MAX bytes. Allocates nothing. */
NB_MUST_USE enum nb_err nb_http_cookie_get(struct nb_str header, const char *name,
                                           struct nb_str *value);

/* ---- content negotiation ----------------------------------------------------------------- */

/* True when the Accept header prefers JSON: the q-value of application/json (taken from the
 * most specific matching range: the exact type, then "application" with any subtype, then
 * any type) is above that of text/html (matched the same way). A tie, an empty or absent
 * header mean HTML (the default of the site). Elements with a malformed q-value are
 * ignored. */
bool nb_http_accept_json(struct nb_str accept);

enum nb_http_encoding {
    NB_HTTP_ENC_GZIP = 1u << 0,
    NB_HTTP_ENC_BR = 1u << 1,
};

/* The set of enum nb_http_encoding bits that an Accept-Encoding header allows: a coding is
 * acceptable when it is listed (gzip also as x-gzip) with q > 0, or when it is not listed and
 * "*" is, with q > 0. An empty header allows none (we then send identity). */
unsigned nb_http_accept_encoding(struct nb_str accept_encoding);

/* True when a Content-Type header value names the media type type ("type/subtype"),
 * compared without case and ignoring parameters such as "; charset=utf-8". */
bool nb_http_media_type_is(struct nb_str content_type, const char *type);

#endif
