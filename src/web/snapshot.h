/* snapshot.h: the public pages of one office, rendered once, served from memory.
 *
 * A snapshot maps a request path ("/", "/en/presse", "/presse.json", "/feed.atom") to a
 * page: its identity, gzip and brotli bodies, a strong ETag over the identity bytes, its
 * Last-Modified time and prebuilt HTTP responses for each encoding and for 304. It is
 * immutable once built, so any number of threads may read it without locks. Serving a
 * page touches neither the database nor the template engine.
 *
 * Error pages (404, 405, ...) are prerendered per language into the snapshot as well, so
 * that the HTTP layer's own refusals render like every other page. The snapshot lives
 * while references to it remain (see nb_snapshot_ref). */
#ifndef NB_WEB_SNAPSHOT_H
#define NB_WEB_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "view/i18n.h"

struct nb_http_prebuilt;
struct nb_snapshot;

enum nb_encoding { NB_ENC_IDENTITY, NB_ENC_GZIP, NB_ENC_BR, NB_ENC_COUNT };

/* What the answer at a page's path is negotiated on, which decides its Vary header
 * (RFC 9110 12.5.5) and who may cache it. */
enum nb_snapshot_neg {
    NB_SNAPSHOT_ENCODING,  /* the encoding only: feeds, CSS, JSON at its own ".json" URL */
    NB_SNAPSHOT_HTML,      /* HTML at a URL that answers JSON when Accept asks for it */
    NB_SNAPSHOT_JSON_TWIN, /* JSON at its ".json" URL, and chosen by Accept at the HTML URL */
};

struct nb_snapshot_page {
    struct nb_http_prebuilt *resp[NB_ENC_COUNT];         /* NULL where an encoding does not pay */
    struct nb_http_prebuilt *not_modified[NB_ENC_COUNT]; /* the 304 answer per encoding */
    /* A JSON twin's answers at the HTML URL (Vary: Accept, Accept-Encoding; private
     * caching), NULL for other pages. */
    struct nb_http_prebuilt *by_accept[NB_ENC_COUNT];
    struct nb_http_prebuilt *by_accept_nm[NB_ENC_COUNT];
    char etags[NB_ENC_COUNT][48]; /* strong ETag per encoding, quoted */
    int64_t last_modified;        /* unix seconds */
    const char *body;             /* identity bytes, for export and tests */
    size_t len;
};

/* An empty snapshot holding one reference. NB_ERR_NOMEM only. */
NB_MUST_USE enum nb_err nb_snapshot_new(struct nb_snapshot **out);

/* Adds a page. The body is copied and compressed; neg says what its answers vary on:
 * NB_SNAPSHOT_HTML pages carry "Vary: Accept, Accept-Encoding", the others
 * "Vary: Accept-Encoding"; all are "public, max-age=60". A NB_SNAPSHOT_JSON_TWIN also gets
 * the answers for its HTML URL (by_accept), which vary on both and are
 * "private, max-age=60": a shared cache must never hand JSON to a browser, even one that
 * ignores Vary. The Last-Modified time is the page's in prev
 * (may be NULL) when the bytes did not change there, otherwise now. NB_ERR_CONFLICT for a
 * path that is already there. */
NB_MUST_USE enum nb_err nb_snapshot_add(struct nb_snapshot *s, const struct nb_snapshot *prev,
                                        const char *path, const char *content_type,
                                        const char *lang, enum nb_snapshot_neg neg,
                                        const char *body, size_t len, int64_t now);

/* The statuses that have error pages, the same for every office and language. */
#define NB_SNAPSHOT_ERRORS 8
extern const unsigned nb_snapshot_error_statuses[NB_SNAPSHOT_ERRORS];

/* Adds the error page of status for lang, as HTML or JSON (the body is copied). */
NB_MUST_USE enum nb_err nb_snapshot_add_error(struct nb_snapshot *s, enum nb_lang lang,
                                              unsigned status, bool json, const char *body,
                                              size_t len);

/* The page at path, or NULL. */
const struct nb_snapshot_page *nb_snapshot_get(const struct nb_snapshot *s, struct nb_str path);
/* The error page's body, or an empty view when it was not added. */
struct nb_str nb_snapshot_error(const struct nb_snapshot *s, enum nb_lang lang, unsigned status,
                                bool json);

/* Reference counting: the app holds one reference to the current snapshot of an office;
 * each request that serves from it takes one and drops it when the response is done.
 * nb_snapshot_unref frees the snapshot with the last reference (thread-safe). */
void nb_snapshot_ref(struct nb_snapshot *s);
void nb_snapshot_unref(void *s);

/* Calls fn for every page, in the order they were added. Stops at the first error. */
NB_MUST_USE enum nb_err nb_snapshot_each(const struct nb_snapshot *s,
                                         enum nb_err (*fn)(void *ctx, const char *path,
                                                           const struct nb_snapshot_page *p),
                                         void *ctx);

/* Number of pages. */
size_t nb_snapshot_count(const struct nb_snapshot *s);

#endif
