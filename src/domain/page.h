/* page.h: the standing pages of an office: imprint, privacy statement, accessibility
 * statement (BITV 2.0) and the advice against phishing.
 *
 * Each page has a title and Markdown body per language. Every save appends a version with
 * its time (updated_at); the newest version of each language is the page, and the earlier
 * ones stay on record (what the office stated, when).
 *
 * Objects: nb_page_get gives {lang: page variant}, nb_page_history an array of page
 * variants without body_md, newest first, and nb_page_version one page variant
 * (store/store.h). Errors: NB_ERR_INPUT / NB_ERR_LIMIT for invalid
 * fields (domain/check.h), NB_ERR_CONFLICT for a time before the language's newest
 * version. One store transaction per call (nested when the thread has one); blocks on disk
 * I/O. */
#ifndef NB_DOMAIN_PAGE_H
#define NB_DOMAIN_PAGE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

enum nb_page_kind {
    NB_PAGE_IMPRINT,       /* "imprint": Impressum */
    NB_PAGE_PRIVACY,       /* "privacy": Datenschutzerklärung */
    NB_PAGE_ACCESSIBILITY, /* "accessibility": Erklärung zur Barrierefreiheit */
    NB_PAGE_PHISHING,      /* "phishing": Vorsicht vor Betrug */
};
#define NB_PAGE_KIND_COUNT 4

/* The stored name of a kind ("imprint"); never NULL. */
const char *nb_page_kind_name(enum nb_page_kind kind);
/* Parses a stored name. NB_ERR_INPUT for anything else. */
NB_MUST_USE enum nb_err nb_page_kind_parse(struct nb_str name, enum nb_page_kind *kind);

/* Saves a new version of one language of a page: kind a stored name; lang a tag; title a
 * line of at most NB_TITLE_MAX bytes; body_md Markdown of at most NB_MARKDOWN_MAX bytes;
 * author a line of at most NB_TITLE_MAX bytes; all required. NB_ERR_LIMIT when it would be
 * the page's (NB_LANGS_MAX + 1)th language. *version (may be NULL) gets its number. */
NB_MUST_USE enum nb_err nb_page_publish(struct nb_store *s, int64_t office_id,
                                        const struct nb_store_page *p, int64_t at,
                                        int64_t *version);
/* The current version of each language of the page (possibly none: an empty object). */
NB_MUST_USE enum nb_err nb_page_get(struct nb_store *s, int64_t office_id, struct nb_str kind,
                                    json_t **out);
/* The newest limit versions of one language of the page, newest first, without body_md;
 * *total gets how many versions that language has (the rest are older). NB_ERR_NOTFOUND for
 * an unknown kind or an invalid tag. */
NB_MUST_USE enum nb_err nb_page_history(struct nb_store *s, int64_t office_id, struct nb_str kind,
                                        struct nb_str lang, size_t limit, json_t **out,
                                        int64_t *total);
/* Version number version of one language of the page, with body_md. NB_ERR_NOTFOUND when the
 * office's page has no such version (or for an unknown kind or an invalid tag). */
NB_MUST_USE enum nb_err nb_page_version(struct nb_store *s, int64_t office_id, struct nb_str kind,
                                        struct nb_str lang, int64_t version, json_t **out);

#endif
