/* store_session.h: the sessions table (schema_4), for domain/session.c only.
 *
 * The store keeps what domain/session.c hands it and decides nothing: expiry, hashing and
 * validation happen in the domain. Every function takes the office id and uses it in each
 * statement, so a session of another office is never found, touched or ended. Hashes and
 * keys are lower-case hex text (64 characters for 32 bytes). Errors as in store/store.h;
 * all functions block on disk I/O and run inside the caller's transaction.
 *
 * Session object (JSON, owned by the caller):
 *   id int, account_id int, created_at int, last_seen_at int, client str, user_agent str,
 *   and with nb_store_session_get only: csrf_key str (hex). */
#ifndef NB_STORE_STORE_SESSION_H
#define NB_STORE_STORE_SESSION_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

struct nb_store_session {
    int64_t account_id;
    struct nb_str token_hash; /* hex of BLAKE2b-256 of the session id */
    struct nb_str csrf_key;   /* hex of the CSRF secret */
    struct nb_str client, user_agent;
    int64_t created_at; /* also the first last_seen_at */
};

/* Inserts a session; *id (may be NULL) gets its row id. NB_ERR_CONFLICT when the hash is
 * taken (a random collision: never in practice), NB_ERR_INPUT when a CHECK refuses. */
NB_MUST_USE enum nb_err nb_store_session_insert(struct nb_store_tx *tx, int64_t office_id,
                                                const struct nb_store_session *s, int64_t *id);
/* The session of this office with that hash, with csrf_key. NB_ERR_NOTFOUND when none. */
NB_MUST_USE enum nb_err nb_store_session_get(struct nb_store_tx *tx, int64_t office_id,
                                             struct nb_str token_hash, json_t **out);
/* Moves last_seen_at forward to at (never back). NB_ERR_NOTFOUND when there is no such
 * session; NB_OK also when at was not newer. */
NB_MUST_USE enum nb_err nb_store_session_touch(struct nb_store_tx *tx, int64_t office_id,
                                               int64_t id, int64_t at);
/* Deletes one session by row id; with account_id > 0 only when it belongs to that account.
 * NB_ERR_NOTFOUND when nothing matched. */
NB_MUST_USE enum nb_err nb_store_session_delete(struct nb_store_tx *tx, int64_t office_id,
                                                int64_t account_id, int64_t id);
/* Deletes the session with that hash. NB_ERR_NOTFOUND when none. */
NB_MUST_USE enum nb_err nb_store_session_delete_hash(struct nb_store_tx *tx, int64_t office_id,
                                                     struct nb_str token_hash);
/* Deletes every session of the account (account_id > 0) or, with account_id 0, of the whole
 * office. *n (may be NULL) gets the number deleted. */
NB_MUST_USE enum nb_err nb_store_session_delete_all(struct nb_store_tx *tx, int64_t office_id,
                                                    int64_t account_id, int *n);
/* Sessions of the account still alive: last_seen_at > seen_after and created_at >
 * created_after; newest activity first, without csrf_key. */
NB_MUST_USE enum nb_err nb_store_session_list(struct nb_store_tx *tx, int64_t office_id,
                                              int64_t account_id, int64_t seen_after,
                                              int64_t created_after, json_t **out);
/* Deletes the sessions of every office whose last_seen_at <= seen_after or created_at <=
 * created_after (housekeeping; the only function that spans offices, since expiry is the
 * same rule everywhere). *n (may be NULL) gets the number deleted. */
NB_MUST_USE enum nb_err nb_store_session_purge(struct nb_store_tx *tx, int64_t seen_after,
                                               int64_t created_after, int *n);

#endif
