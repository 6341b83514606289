/* service.h: the catalogue of an office's services and how each works right now.
 *
 * Each service has a state saying whether and how citizens can use it during the incident,
 * a name and description per language, and a fallback text (Markdown) saying what to do
 * instead: which form, which address, which hours. It may name the department responsible;
 * when another office has taken it over, that office's name.
 *
 * Objects are the service objects of store/store.h. Errors: NB_ERR_INPUT / NB_ERR_LIMIT for
 * invalid fields (domain/check.h), NB_ERR_NOTFOUND for an unknown service or department of
 * this office. One store transaction per call (nested when the thread has one); blocks on
 * disk I/O. */
#ifndef NB_DOMAIN_SERVICE_H
#define NB_DOMAIN_SERVICE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

enum nb_service_state {
    NB_SERVICE_ONLINE,       /* "online": works as usual online */
    NB_SERVICE_RESTRICTED,   /* "restricted": works with limits the fallback text names */
    NB_SERVICE_PAPER,        /* "paper": only on paper (form, post) */
    NB_SERVICE_APPOINTMENT,  /* "appointment": only by appointment */
    NB_SERVICE_SUSPENDED,    /* "suspended": not available for now */
    NB_SERVICE_OTHER_OFFICE, /* "other_office": another office has taken it over */
};

/* The stored name of a state ("paper"); never NULL. */
const char *nb_service_state_name(enum nb_service_state st);
/* Parses a stored name. NB_ERR_INPUT for anything else. */
NB_MUST_USE enum nb_err nb_service_state_parse(struct nb_str name, enum nb_service_state *st);

/* Creates the service svc->slug or replaces all its fields and texts. state a stored name;
 * department optional (a department slug of this office); other_office required exactly
 * when state is "other_office", a line of at most NB_TITLE_MAX bytes; texts 1..NB_LANGS_MAX,
 * each language once, "de" among them: name a line of at most NB_TITLE_MAX bytes (required),
 * description_md and fallback_md Markdown of at most NB_MARKDOWN_MAX bytes (may be empty). */
NB_MUST_USE enum nb_err nb_service_put(struct nb_store *s, int64_t office_id,
                                       const struct nb_store_service *svc, int64_t at);
/* nb_service_put for a new service: NB_ERR_CONFLICT when the slug is taken already. The check and
 * the write are one transaction, so of two creates of one slug exactly one succeeds. */
NB_MUST_USE enum nb_err nb_service_create(struct nb_store *s, int64_t office_id,
                                       const struct nb_store_service *svc, int64_t at);
NB_MUST_USE enum nb_err nb_service_remove(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                          int64_t at);
NB_MUST_USE enum nb_err nb_service_get(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                       json_t **out);
/* All services of the office by sort, then slug. */
NB_MUST_USE enum nb_err nb_service_list(struct nb_store *s, int64_t office_id, json_t **out);

#endif
