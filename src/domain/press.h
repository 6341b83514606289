/* press.h: press updates, filed by ISO calendar week.
 *
 * A press update has a stable slug (used in URLs and feed ids, e.g. "2021-kw50"), the time
 * it carries (published_at), and one title and Markdown body per language; German is
 * required, English expected, others allowed. Texts are corrected in place (changed_at
 * records it); withdrawing hides an update without deleting it.
 *
 * Objects returned here are the press objects of store/store.h plus
 *   iso_year int, iso_week int  (the ISO 8601 week of published_at in Europe/Berlin, which
 *                                the site shows as "KW 50"; iso_year may differ from the
 *                                calendar year in the first and last days of a year)
 *
 * Errors: NB_ERR_INPUT / NB_ERR_LIMIT for invalid fields (domain/check.h), NB_ERR_NOTFOUND
 * for an unknown slug in this office, NB_ERR_CONFLICT for a taken slug. One store
 * transaction per call (nested when the thread has one); blocks on disk I/O. */
#ifndef NB_DOMAIN_PRESS_H
#define NB_DOMAIN_PRESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* Creates a published update: slug a slug; published_at an instant; texts[0..n) with
 * 1..NB_LANGS_MAX languages, each once, one of them "de": title a line of at most
 * NB_TITLE_MAX bytes, body_md Markdown of at most NB_MARKDOWN_MAX bytes, both required. */
NB_MUST_USE enum nb_err nb_press_create(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                        int64_t published_at,
                                        const struct nb_store_press_text *texts, size_t n,
                                        int64_t at);
/* Adds or corrects the text of one language. NB_ERR_LIMIT when that would be the
 * (NB_LANGS_MAX + 1)th language. */
NB_MUST_USE enum nb_err nb_press_set_text(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                          const struct nb_store_press_text *t, int64_t at);
/* Withdraws (false) or republishes (true) an update. */
NB_MUST_USE enum nb_err nb_press_set_published(struct nb_store *s, int64_t office_id,
                                               struct nb_str slug, bool published, int64_t at);
NB_MUST_USE enum nb_err nb_press_get(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                     json_t **out);
/* Updates newest first; with published_only, the ones not withdrawn. */
NB_MUST_USE enum nb_err nb_press_list(struct nb_store *s, int64_t office_id, bool published_only,
                                      json_t **out);

/* Adds iso_year and iso_week to a press object, or to each object of an array, from its
 * published_at. Used by nb_site_load, which reads press updates in its own transaction. */
NB_MUST_USE enum nb_err nb_press_add_week(json_t *press);

#endif
