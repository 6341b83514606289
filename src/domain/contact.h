/* contact.h: the people citizens may call or write to, each in one department, with a role
 * per language; one of them per office may be marked as the data-protection officer (DPO),
 * whom the public site names in the privacy statement and on every incident notice.
 *
 * A contact is addressed by the id nb_contact_add returned, together with the office id:
 * an id of another office is NB_ERR_NOTFOUND. Objects are the contact objects of
 * store/store.h. Errors: NB_ERR_INPUT / NB_ERR_LIMIT for invalid fields (domain/check.h),
 * NB_ERR_NOTFOUND for an unknown contact or department, NB_ERR_CONFLICT when a second DPO
 * is marked. One store transaction per call (nested when the thread has one); blocks on
 * disk I/O. */
#ifndef NB_DOMAIN_CONTACT_H
#define NB_DOMAIN_CONTACT_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Adds a contact to department c->department: name a line of at most NB_TITLE_MAX bytes;
 * phone, email optional; roles 0..NB_LANGS_MAX, each language once, a line of at most
 * NB_TITLE_MAX bytes. *id (may be NULL) gets the new contact's id. */
NB_MUST_USE enum nb_err nb_contact_add(struct nb_store *s, int64_t office_id,
                                       const struct nb_store_contact *c, int64_t at, int64_t *id);
/* Replaces all fields of contact id (it may move to another department). */
NB_MUST_USE enum nb_err nb_contact_update(struct nb_store *s, int64_t office_id, int64_t id,
                                          const struct nb_store_contact *c, int64_t at);
NB_MUST_USE enum nb_err nb_contact_remove(struct nb_store *s, int64_t office_id, int64_t id,
                                          int64_t at);
NB_MUST_USE enum nb_err nb_contact_get(struct nb_store *s, int64_t office_id, int64_t id,
                                       json_t **out);
/* The office's DPO; NB_ERR_NOTFOUND when none is marked. */
NB_MUST_USE enum nb_err nb_contact_dpo(struct nb_store *s, int64_t office_id, json_t **out);

#endif
