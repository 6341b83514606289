/* store_account.h: staff accounts, their setup links and recovery codes.
 *
 * Kept apart from store.h so that the account tables have one header of their own. The
 * conventions of store.h hold: every function takes the office id and uses it in each
 * statement; the domain (domain/account.h) has validated every value and
 * hashed every secret before it calls here; errors as in store.h. All functions block on disk
 * I/O. Secrets arrive already hashed (hex text) except the TOTP secret (hex text of the raw
 * key), which the server needs in clear to compute codes.
 *
 * Account object (the caller owns it; it carries no secret: password hash and TOTP secret
 * are read with nb_store_account_secret only, where they are checked):
 *   id int, name str, role str ("admin"|"editor"|"caseworker"|"dpo"),
 *   state str ("setup"|"active"|"disabled"), created_at int, changed_at int
 * Setup link object: account_id int, name str, expires_at int (the pending TOTP secret is read
 * with nb_store_setup_pending only) */
#ifndef NB_STORE_STORE_ACCOUNT_H
#define NB_STORE_STORE_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* A new account in state "setup" without credentials. NB_ERR_CONFLICT when the office has an
 * account of that name. *id (may be NULL) gets its id. */
NB_MUST_USE enum nb_err nb_store_account_insert(struct nb_store_tx *tx, int64_t office_id,
                                                struct nb_str name, struct nb_str role, int64_t at,
                                                int64_t *id);
/* The account object of that name in the office. */
NB_MUST_USE enum nb_err nb_store_account_get(struct nb_store_tx *tx, int64_t office_id,
                                             struct nb_str name, json_t **out);
/* The account object of that id in the office. */
NB_MUST_USE enum nb_err nb_store_account_get_by_id(struct nb_store_tx *tx, int64_t office_id,
                                                   int64_t account_id, json_t **out);
/* Array of {office_id int, slug str} of every office that has an account of that name, by
 * slug (across the whole instance: for the command line, which may be given no office). */
NB_MUST_USE enum nb_err nb_store_account_offices(struct nb_store_tx *tx, struct nb_str name,
                                                 json_t **out);
/* Array of {id int, name str, role str, state str, sessions int} of every account of the
 * office, by name; sessions counts the account's sessions last seen after seen_after and
 * created after created_after (the live ones, as nb_store_session_list counts them). */
NB_MUST_USE enum nb_err nb_store_account_list(struct nb_store_tx *tx, int64_t office_id,
                                              int64_t seen_after, int64_t created_after,
                                              json_t **out);
/* Number of accounts in the whole instance. */
NB_MUST_USE enum nb_err nb_store_account_count(struct nb_store_tx *tx, int64_t *n);
NB_MUST_USE enum nb_err nb_store_account_set_role(struct nb_store_tx *tx, int64_t office_id,
                                                  int64_t account_id, struct nb_str role,
                                                  int64_t at);
/* Sets the state to "disabled" (credentials stay, so that nothing is lost by mistake). */
NB_MUST_USE enum nb_err nb_store_account_disable(struct nb_store_tx *tx, int64_t office_id,
                                                 int64_t account_id, int64_t at);
/* Forgets password, TOTP secret and recovery codes and sets the state to "setup". */
NB_MUST_USE enum nb_err nb_store_account_clear(struct nb_store_tx *tx, int64_t office_id,
                                               int64_t account_id, int64_t at);
/* Stores the credentials chosen at setup and sets the state to "active". */
NB_MUST_USE enum nb_err nb_store_account_activate(struct nb_store_tx *tx, int64_t office_id,
                                                  int64_t account_id, struct nb_str password_hash,
                                                  struct nb_str totp_secret, int64_t totp_step,
                                                  int64_t at);
/* Records step as the last TOTP time step used, only when it is later than the stored one:
 * NB_ERR_CONFLICT otherwise (a replayed code, also when two logins race). */
NB_MUST_USE enum nb_err nb_store_account_use_step(struct nb_store_tx *tx, int64_t office_id,
                                                  int64_t account_id, int64_t step);

/* Gives the account a setup link (replacing any earlier one). */
NB_MUST_USE enum nb_err nb_store_setup_put(struct nb_store_tx *tx, int64_t office_id,
                                           int64_t account_id, struct nb_str token_hash, int64_t at,
                                           int64_t expires_at);
/* The setup link object of that token hash in the office (expired or not). */
NB_MUST_USE enum nb_err nb_store_setup_get(struct nb_store_tx *tx, int64_t office_id,
                                           struct nb_str token_hash, json_t **out);
/* Reads the TOTP secret (hex) shown on the setup page of that token hash into buf (cap bytes
 * with the NUL; sodium_malloc memory, wiped after use); *len 0 when none was shown yet.
 * NB_ERR_NOTFOUND when there is no such link, NB_ERR_LIMIT when it does not fit. */
NB_MUST_USE enum nb_err nb_store_setup_pending(struct nb_store_tx *tx, int64_t office_id,
                                               struct nb_str token_hash, char *buf, size_t cap,
                                               size_t *len);
/* Remembers the TOTP secret shown on the setup page until the first code confirms it. */
NB_MUST_USE enum nb_err nb_store_setup_set_pending(struct nb_store_tx *tx, int64_t office_id,
                                                   struct nb_str token_hash,
                                                   struct nb_str totp_secret);
/* Removes the account's setup link; NB_ERR_NOTFOUND when it has none. */
NB_MUST_USE enum nb_err nb_store_setup_remove(struct nb_store_tx *tx, int64_t office_id,
                                              int64_t account_id);

/* Replaces the account's recovery codes with hashes[0..n). */
NB_MUST_USE enum nb_err nb_store_recovery_put(struct nb_store_tx *tx, int64_t office_id,
                                              int64_t account_id, const struct nb_str *hashes,
                                              size_t n);
/* Marks the unused code of that hash as used at at; NB_ERR_NOTFOUND when there is none. */
NB_MUST_USE enum nb_err nb_store_recovery_use(struct nb_store_tx *tx, int64_t office_id,
                                              int64_t account_id, struct nb_str hash, int64_t at);
/* Number of unused recovery codes. */
NB_MUST_USE enum nb_err nb_store_recovery_left(struct nb_store_tx *tx, int64_t office_id,
                                               int64_t account_id, int64_t *n);

/* What a sign-in checks, read only where it is checked. The text goes into the caller's
 * buffer (which should be sodium_malloc memory, wiped after use), NUL-terminated; no copy is
 * left anywhere else but in SQLite's own page cache. */
enum nb_store_secret {
    NB_STORE_SECRET_PASSWORD, /* the argon2id hash string */
    NB_STORE_SECRET_TOTP,     /* the TOTP secret in hex */
};
struct nb_store_credential {
    int64_t account_id;
    bool active;            /* state "active" */
    int64_t totp_last_step; /* the last TOTP step used */
    size_t len;             /* bytes written to the buffer, 0 when the account has none */
};
/* Reads the secret which of the account of that name into buf (cap bytes with the NUL).
 * NB_ERR_NOTFOUND when the office has no such account, NB_ERR_LIMIT when the stored text
 * does not fit (buf then holds ""). */
NB_MUST_USE enum nb_err nb_store_account_secret(struct nb_store_tx *tx, int64_t office_id,
                                                struct nb_str name, enum nb_store_secret which,
                                                char *buf, size_t cap,
                                                struct nb_store_credential *out);
/* The id of the office's account of that name; NB_ERR_NOTFOUND when there is none. */
NB_MUST_USE enum nb_err nb_store_account_id(struct nb_store_tx *tx, int64_t office_id,
                                            struct nb_str name, int64_t *id);

#endif
