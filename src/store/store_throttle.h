/* store_throttle.h: the sign-in throttle's counters and the failed sign-ins not yet journalled.
 *
 * The rows and what they mean are domain/throttle.h's (docs/signin.md); this header only
 * stores them. Conventions of store.h: each function takes the office id and uses it in every
 * statement, except the housekeeping ones marked "instance-wide", which the server runs for
 * all offices at once. Keys and actors arrive validated and bounded (base/limits.h). All
 * functions run inside the caller's transaction and block on disk I/O; writers need a write
 * transaction (NB_ERR_INTERNAL otherwise). */
#ifndef NB_STORE_STORE_THROTTLE_H
#define NB_STORE_STORE_THROTTLE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* The counter (kind, key) of the office: *count and *at, both 0 when there is none. */
NB_MUST_USE enum nb_err nb_store_throttle_get(struct nb_store_tx *tx, int64_t office_id,
                                              struct nb_str kind, struct nb_str key, int64_t *count,
                                              int64_t *at);
/* Sets the counter (kind, key) of the office, creating it when absent. */
NB_MUST_USE enum nb_err nb_store_throttle_put(struct nb_store_tx *tx, int64_t office_id,
                                              struct nb_str kind, struct nb_str key, int64_t count,
                                              int64_t at);
/* Deletes the counter (kind, key) of the office; NB_OK also when there was none. */
NB_MUST_USE enum nb_err nb_store_throttle_clear(struct nb_store_tx *tx, int64_t office_id,
                                                struct nb_str kind, struct nb_str key);
/* Instance-wide: deletes the failure counters ('pair', 'addr', 'net') whose at lies before
 * failed_before, the 'known' rows before known_before and the 'budget' rows before
 * budget_before. *deleted (may be NULL) gets the number of rows deleted. */
NB_MUST_USE enum nb_err nb_store_throttle_expire(struct nb_store_tx *tx, int64_t failed_before,
                                                 int64_t known_before, int64_t budget_before,
                                                 int64_t *deleted);

/* Counts one failed sign-in of actor from addr in the window starting at window_start: adds 1
 * to the row (window_start, actor, addr); when that row does not exist and the window has
 * max_rows rows with an address already, to the row (window_start, actor, "") instead. */
NB_MUST_USE enum nb_err nb_store_signin_failure_add(struct nb_store_tx *tx, int64_t office_id,
                                                    int64_t window_start, struct nb_str actor,
                                                    struct nb_str addr, int64_t max_rows);
/* Instance-wide: the rows whose window started before started_before, as an array of
 * {office_id int, window_start int, actor str, addr str, failures int} ordered by window,
 * office, actor and address (the address row "" last of its actor). */
NB_MUST_USE enum nb_err nb_store_signin_failure_due(struct nb_store_tx *tx, int64_t started_before,
                                                    json_t **out);
/* Deletes one row as nb_store_signin_failure_due named it. */
NB_MUST_USE enum nb_err nb_store_signin_failure_remove(struct nb_store_tx *tx, int64_t office_id,
                                                       int64_t window_start, struct nb_str actor,
                                                       struct nb_str addr);

#endif
