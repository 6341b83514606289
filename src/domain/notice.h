/* notice.h: notices to citizens, with language variants and a version history.
 *
 * A notice is created without text and shows nothing. Publishing a variant (a language's
 * title, Markdown body and author) appends an immutable version and makes the notice
 * visible; the current text of a language is its newest version, and every earlier one
 * stays readable in the history. Unpublishing hides the notice from the public site without
 * touching its versions; publishing again (or nb_notice_set_published) shows it again.
 * Pinned notices come first; archived ones are still public but listed apart.
 *
 * Languages are tags as nb_check_lang accepts ("de", "de-x-ls" for Leichte Sprache, "en",
 * "ar", ...), at most NB_LANGS_MAX per notice.
 *
 * Errors: NB_ERR_INPUT / NB_ERR_LIMIT for invalid fields (domain/check.h), NB_ERR_NOTFOUND
 * when the office has no notice with that slug, NB_ERR_CONFLICT for a taken slug or a
 * publication time before the language's newest version. All functions run one store
 * transaction (nested when the thread has one) and block on disk I/O. JSON results are owned
 * by the caller; their shape is the notice object of store/store.h. */
#ifndef NB_DOMAIN_NOTICE_H
#define NB_DOMAIN_NOTICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* Creates the notice n->slug (not yet published). */
NB_MUST_USE enum nb_err nb_notice_create(struct nb_store *s, int64_t office_id,
                                         const struct nb_store_notice *n, int64_t at);
/* Sets pinned, archived and sort of the notice n->slug. */
NB_MUST_USE enum nb_err nb_notice_update(struct nb_store *s, int64_t office_id,
                                         const struct nb_store_notice *n, int64_t at);
/* Publishes a new version of one language at at: v->lang a tag, v->title a line of at most
 * NB_TITLE_MAX bytes, v->body_md Markdown of at most NB_MARKDOWN_MAX bytes, v->author a line
 * of at most NB_TITLE_MAX bytes (who answers for it, e.g. "Pressestelle"); all required.
 * NB_ERR_LIMIT when it would be the notice's (NB_LANGS_MAX + 1)th language. *version (may
 * be NULL) gets the new version number (1 for a language's first). */
NB_MUST_USE enum nb_err nb_notice_publish(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                          const struct nb_store_notice_variant *v, int64_t at,
                                          int64_t *version);
/* Hides (false) or shows again (true) the notice. */
NB_MUST_USE enum nb_err nb_notice_set_published(struct nb_store *s, int64_t office_id,
                                                struct nb_str slug, bool published, int64_t at);
/* One notice, published or not, with every version. */
NB_MUST_USE enum nb_err nb_notice_get(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                      json_t **out);
/* The office's notices (with published_only, those the public sees), pinned first, then by
 * sort, then newest update first. */
NB_MUST_USE enum nb_err nb_notice_list(struct nb_store *s, int64_t office_id, bool published_only,
                                       json_t **out);

#endif
