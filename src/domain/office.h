/* office.h: offices, their operating state and settings.
 *
 * An office is the unit of isolation: every other domain function takes the office id
 * that nb_office_id_by_slug or nb_office_id_by_host resolved, and finds only that office's
 * records. The slug (URL path and file names) is fixed at creation; name, Land and host can
 * change. The operating state is what the banner of the public site shows, with the time it
 * has held since and a short note per language.
 *
 * All functions validate their input first (NB_ERR_INPUT, NB_ERR_LIMIT, see domain/check.h),
 * then run one store transaction (nested when the calling thread already has one), and
 * block on disk I/O. Times are unix seconds; `at` is the time of the change, which moves the
 * office's "Stand" (changed_at) forward. Returned JSON is owned by the caller; its shape is
 * the office object of store/store.h. A malformed slug or host in a lookup is reported as
 * NB_ERR_NOTFOUND: no office can have it. */
#ifndef NB_DOMAIN_OFFICE_H
#define NB_DOMAIN_OFFICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

enum nb_office_state {
    NB_OFFICE_NORMAL,       /* "normal": everything works */
    NB_OFFICE_STOERUNG,     /* "stoerung": a disruption, services partly affected */
    NB_OFFICE_NOTBETRIEB,   /* "notbetrieb": emergency operation on paper and phone */
    NB_OFFICE_WIEDERANLAUF, /* "wiederanlauf": systems are coming back */
    NB_OFFICE_RESTORED,     /* "restored": back to normal after an incident */
};

/* The stored name of a state ("notbetrieb"); never NULL. */
const char *nb_office_state_name(enum nb_office_state st);
/* Parses a stored name. NB_ERR_INPUT for anything else. */
NB_MUST_USE enum nb_err nb_office_state_parse(struct nb_str name, enum nb_office_state *st);

/* Creates an office in state "normal" since at. o->slug a slug; o->name a line of at most
 * NB_TITLE_MAX bytes; o->land a Land code (base/holiday.h, any case; stored upper case);
 * o->host optional, a lower-case host name. NB_ERR_CONFLICT when slug or host is taken,
 * NB_ERR_LIMIT when the instance already has NB_OFFICES_MAX offices. *id (may be NULL) gets
 * the new office's id. */
NB_MUST_USE enum nb_err nb_office_create(struct nb_store *s, const struct nb_store_office *o,
                                         int64_t at, int64_t *id);
/* Changes name, Land and host; o->slug is ignored. */
NB_MUST_USE enum nb_err nb_office_update(struct nb_store *s, int64_t office_id,
                                         const struct nb_store_office *o, int64_t at);

NB_MUST_USE enum nb_err nb_office_id_by_slug(struct nb_store *s, struct nb_str slug, int64_t *id);
/* host as it came in the Host header without the port; compared in lower case. */
NB_MUST_USE enum nb_err nb_office_id_by_host(struct nb_store *s, struct nb_str host, int64_t *id);
NB_MUST_USE enum nb_err nb_office_get(struct nb_store *s, int64_t office_id, json_t **out);
NB_MUST_USE enum nb_err nb_office_get_by_slug(struct nb_store *s, struct nb_str slug, json_t **out);
NB_MUST_USE enum nb_err nb_office_get_by_host(struct nb_store *s, struct nb_str host, json_t **out);
/* All offices, by slug, without state notes and settings. */
NB_MUST_USE enum nb_err nb_office_list(struct nb_store *s, json_t **out);

/* Sets the operating state (a name as nb_office_state_name gives), the time it holds since
 * (not after at), and replaces the notes: one line each of at most NB_NOTE_MAX bytes, at
 * most NB_LANGS_MAX languages, each language once. */
NB_MUST_USE enum nb_err nb_office_set_state(struct nb_store *s, int64_t office_id,
                                            struct nb_str state, int64_t since,
                                            const struct nb_store_lang_text *notes, size_t n,
                                            int64_t at);
/* Sets the central e-mail address, telephone number and postal address (each optional;
 * empty means none; the address may span lines, at most NB_NOTE_MAX bytes). */
NB_MUST_USE enum nb_err nb_office_set_settings(struct nb_store *s, int64_t office_id,
                                               const struct nb_store_office_settings *st,
                                               int64_t at);

#endif
