/* site.h: the public site of one office, rendered from its content.
 *
 * nb_site_render builds the view model of every public page in every UI language from the
 * office's content (the JSON document of nb_site_load, see domain/site.h) and hands each
 * page to the caller twice: as HTML through its template and as JSON (the same model,
 * without the text catalog). It also renders the error pages. The caller stores the pages
 * (the in-memory snapshot) or writes them out (export-site).
 *
 * Paths: base is "" for an office served at "/", or "/slug". German pages live under base,
 * English ones under base + "/en". The home page is base + "/" (JSON: "/index.json");
 * every other page P also answers as P + ".json".
 *
 * Time: now decides what "reachable now" says and which week the hours show; next_change
 * gets the next instant at which that changes, so the caller renders again then. */
#ifndef NB_WEB_SITE_H
#define NB_WEB_SITE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "view/i18n.h"
#include "web/snapshot.h"

struct nb_tpl_set;

struct nb_site_out {
    /* A page: path, MIME type, content language (NULL when none), what its answers are
     * negotiated on (an HTML page's path also answers its JSON twin when Accept asks for
     * JSON), and the bytes (borrowed). */
    enum nb_err (*page)(void *ctx, const char *path, const char *content_type, const char *lang,
                        enum nb_snapshot_neg neg, const char *body, size_t len);
    /* An error page for status in lang, as HTML or JSON (borrowed bytes). May be NULL. */
    enum nb_err (*error)(void *ctx, enum nb_lang lang, unsigned status, bool json, const char *body,
                         size_t len);
    void *ctx;
};

/* Renders all pages. site is borrowed and not changed. Errors: NB_ERR_INPUT when the
 * content lacks a required field, the template set lacks a page template or a template
 * fails, NB_ERR_LIMIT when a page exceeds NB_PAGE_MAX, or any error of out. */
NB_MUST_USE enum nb_err nb_site_render(const struct nb_tpl_set *tpl, json_t *site, const char *base,
                                       int64_t now, const struct nb_site_out *out,
                                       int64_t *next_change);

/* True when slug is a first path segment of the site itself ("en", "presse", "static",
 * "api", ...), which an office served under "/SLUG/" must not use. */
bool nb_site_slug_reserved(const char *slug);

/* The built-in static files every site serves (the stylesheet), under base + "/static/". */
NB_MUST_USE enum nb_err nb_site_static(const char *base, const struct nb_site_out *out);

#endif
