/* hours_store.h: keeping the telephone and counter hours of a department.
 *
 * This module stores what editors enter; domain/hours.h computes from it whether the office
 * can be reached (after the Land's holidays and the exceptions). Each slot has a kind:
 * "phone" (telephone hours) or "counter" (visits in person). Times are minutes after local
 * midnight in Europe/Berlin, 0 <= start < end <= 1440 (1440 is the following midnight), as
 * domain/hours.h reads them; weekdays are 1 = Monday .. 7 = Sunday; dates 'YYYY-MM-DD'.
 *
 * Within one kind and day, ranges may not overlap (touching is fine: 09:00-12:00 and
 * 12:00-15:00), and there are at most NB_HOURS_DAY_RANGES_MAX of them (NB_ERR_LIMIT).
 * An exception either closes the department for the day (closed, no slots) or replaces the
 * day's weekly slots with its own (not closed, at least one slot); a note per language may
 * say why. Exceptions override public holidays.
 *
 * The result is part of the department object (store/store.h): "hours" and "exceptions".
 * Errors: NB_ERR_INPUT / NB_ERR_LIMIT for invalid fields, NB_ERR_NOTFOUND for an unknown
 * department (or exception) of this office. One store transaction per call (nested when
 * the thread has one); blocks on disk I/O. */
#ifndef NB_DOMAIN_HOURS_STORE_H
#define NB_DOMAIN_HOURS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "domain/hours.h"
#include "store/store.h"

/* Replaces the department's weekly slots with slots[0..n) (n may be 0: no hours). */
NB_MUST_USE enum nb_err nb_hours_store_set_weekly(struct nb_store *s, int64_t office_id,
                                                  struct nb_str department,
                                                  const struct nb_store_slot *slots, size_t n,
                                                  int64_t at);
/* Creates or replaces the department's exception for e->date. Slot weekdays are ignored.
 * Notes: at most NB_LANGS_MAX, each language once, a line of at most NB_NOTE_MAX bytes. */
NB_MUST_USE enum nb_err nb_hours_store_set_exception(struct nb_store *s, int64_t office_id,
                                                     struct nb_str department,
                                                     const struct nb_store_hours_exception *e,
                                                     int64_t at);
NB_MUST_USE enum nb_err nb_hours_store_remove_exception(struct nb_store *s, int64_t office_id,
                                                        struct nb_str department,
                                                        struct nb_str date, int64_t at);

#endif
