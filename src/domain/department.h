/* department.h: the departments of an office, with their names per language, telephone,
 * e-mail and room. A department groups contacts (domain/contact.h) and carries the
 * telephone and counter hours (domain/hours_store.h); services name it as responsible.
 *
 * Objects are the department objects of store/store.h (with contacts, hours and
 * exceptions). Errors: NB_ERR_INPUT / NB_ERR_LIMIT for invalid fields (domain/check.h),
 * NB_ERR_NOTFOUND for an unknown slug in this office, NB_ERR_CONFLICT when a department
 * that services still name is removed. One store transaction per call (nested when the
 * thread has one); blocks on disk I/O. */
#ifndef NB_DOMAIN_DEPARTMENT_H
#define NB_DOMAIN_DEPARTMENT_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* Creates the department d->slug or replaces all its fields: names 1..NB_LANGS_MAX, each
 * language once, "de" among them, each a line of at most NB_TITLE_MAX bytes; phone, email
 * optional (domain/check.h); room optional, at most NB_NOTE_MAX bytes, may span lines. */
NB_MUST_USE enum nb_err nb_department_put(struct nb_store *s, int64_t office_id,
                                          const struct nb_store_department *d, int64_t at);
/* nb_department_put for a new department: NB_ERR_CONFLICT when the slug is taken already. The check and
 * the write are one transaction, so of two creates of one slug exactly one succeeds. */
NB_MUST_USE enum nb_err nb_department_create(struct nb_store *s, int64_t office_id,
                                       const struct nb_store_department *d, int64_t at);
/* Removes the department with its contacts, hours and exceptions. */
NB_MUST_USE enum nb_err nb_department_remove(struct nb_store *s, int64_t office_id,
                                             struct nb_str slug, int64_t at);
NB_MUST_USE enum nb_err nb_department_get(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                          json_t **out);
/* All departments of the office by sort, then slug. */
NB_MUST_USE enum nb_err nb_department_list(struct nb_store *s, int64_t office_id, json_t **out);

#endif
