/* account.h: staff accounts of an office, their setup and their credentials.
 *
 * An account belongs to one office and has a role (admin, editor, caseworker, dpo) and a
 * login name unique within the office: 1..NB_ACCOUNT_NAME_MAX bytes of a-z, 0-9, '.', '_'
 * and '-', starting with a letter or digit; upper-case ASCII letters are accepted and
 * lowered, so "M.Mueller" and "m.mueller" are one name. There are no default accounts.
 *
 * Life of an account: nb_account_create makes it in state "setup" and returns a one-time
 * setup link (path /intern/einrichten/<token>, valid NB_SETUP_LINK_SECONDS). The person
 * opens it; nb_account_setup_start shows a fresh TOTP secret; nb_account_setup_finish takes
 * the chosen password and a first code from the authenticator app, stores the credentials,
 * returns ten recovery codes in clear (the only time they exist in clear), consumes the link
 * and makes the account "active". nb_account_reset gives a new link and at once forgets the
 * password, TOTP secret and recovery codes: an account is reset when its credentials may be
 * lost or stolen, so the old ones must stop working at once, not when the new setup is done;
 * the account cannot log in until the setup is completed (a disabled account that is reset
 * becomes active again through its setup). nb_account_disable stops all logins. Callers that
 * keep sessions must check that the account is still "active" on each request (nb_account_get),
 * so that a reset or disable also ends the sessions already open.
 *
 * Secrets:
 *   - Passwords: argon2id via crypto_pwhash_str with OPSLIMIT_INTERACTIVE and
 *     MEMLIMIT_INTERACTIVE, i.e. 64 MiB of memory and about 0.1 s per hash or check: a login
 *     costs that much, so logins are throttled (domain/throttle.h) before the check.
 *   - Setup tokens: 32 random bytes (libsodium), shown base64url (43 characters), stored as
 *     the BLAKE2b-256 hash only.
 *   - Recovery codes: 16 characters of Crockford base32 (80 random bits), printed as
 *     XXXX-XXXX-XXXX-XXXX, stored as BLAKE2b-256 of (account id, code). A fast hash suffices:
 *     with 80 bits of entropy, finding a code offline from its hash takes 2^79 hashes on
 *     average (over 10,000 years at 10^12 per second), so argon2id would only make every
 *     recovery login cost ten times 64 MiB; the account id makes equal codes hash apart.
 *   - TOTP (RFC 6238 through liboath): SHA-1, 6 digits, 30 s steps, a 20-byte random secret,
 *     which every authenticator app accepts. The secret is stored in clear (hex), since the
 *     server must compute codes; a code is accepted for the current step and one step either
 *     side, and only for a step later than the last one used, so a code cannot be replayed.
 *
 * Login: nb_throttle_check first; then nb_account_check_password and one of
 * nb_account_check_totp or nb_account_use_recovery; count the outcome with nb_throttle_fail
 * or nb_throttle_success. Failures are NB_ERR_DENIED whatever the cause (no such account,
 * not active, wrong password, wrong or replayed code), so an answer reveals nothing.
 *
 * Every function that takes an office id finds only that office's accounts. All functions
 * run one store transaction (nested when the thread has one) and block on disk I/O; the
 * password functions also spend the argon2id time. Returned JSON is the caller's. */
#ifndef NB_DOMAIN_ACCOUNT_H
#define NB_DOMAIN_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "domain/journal.h"
#include "store/store.h"

enum nb_account_role {
    NB_ROLE_ADMIN,      /* "admin": accounts and the instance's settings */
    NB_ROLE_EDITOR,     /* "editor": notices, press updates, services, hours */
    NB_ROLE_CASEWORKER, /* "caseworker": citizens' requests */
    NB_ROLE_DPO,        /* "dpo": incident and breach register */
};

/* The stored name of a role ("caseworker"); never NULL. */
const char *nb_account_role_name(enum nb_account_role role);
/* Parses a stored name (exactly as nb_account_role_name gives it). NB_ERR_INPUT otherwise. */
NB_MUST_USE enum nb_err nb_account_role_parse(struct nb_str name, enum nb_account_role *role);

/* Path prefix of a setup link; the token follows. */
#define NB_ACCOUNT_SETUP_PATH "/intern/einrichten/"
/* Characters of a setup token (32 bytes in base64url without padding). */
#define NB_ACCOUNT_TOKEN_LEN 43u
/* Recovery codes per setup, and characters of one as printed (with three '-'). */
#define NB_ACCOUNT_RECOVERY_CODES 10u
#define NB_ACCOUNT_RECOVERY_LEN 19u
/* TOTP parameters. */
#define NB_TOTP_DIGITS 6u
#define NB_TOTP_STEP 30u
#define NB_TOTP_SECRET_BYTES 20u

/* A setup link as handed out once. */
struct nb_account_link {
    char token[NB_ACCOUNT_TOKEN_LEN + 1];
    int64_t expires_at; /* the link is valid while now < expires_at */
};

/* What the setup page shows: the TOTP secret as raw bytes, base32 and otpauth:// URI. */
struct nb_account_enrol {
    char name[NB_ACCOUNT_NAME_MAX + 1]; /* the account's login name */
    unsigned char secret[NB_TOTP_SECRET_BYTES];
    char base32[40]; /* 32 characters of RFC 4648 base32, no padding */
    char uri[2048];  /* otpauth://totp/ISSUER:NAME?secret=...&issuer=...; issuer = office name */
};

/* The recovery codes of a completed setup, in clear. Wipe with sodium_memzero after use. */
struct nb_account_recovery {
    char codes[NB_ACCOUNT_RECOVERY_CODES][NB_ACCOUNT_RECOVERY_LEN + 1];
};

/* Verdicts of the password rules. */
enum nb_password_verdict {
    NB_PASSWORD_OK,
    NB_PASSWORD_SHORT,   /* fewer than NB_PASSWORD_MIN code points */
    NB_PASSWORD_LONG,    /* more than NB_PASSWORD_MAX code points */
    NB_PASSWORD_INVALID, /* not UTF-8, or holds control characters */
    NB_PASSWORD_COMMON,  /* on the list of common passwords (lists/common-passwords.txt) */
    NB_PASSWORD_OFFICE,  /* contains the office's name or slug, or a word of them */
};

/* The password rules: NB_PASSWORD_MIN..NB_PASSWORD_MAX code points of UTF-8 without control
 * characters; no composition rules; not one of the common passwords (compared ignoring the
 * case of ASCII and Latin-1 letters, so "Passwort123456" and "qwertzuiopÜ" are caught); not
 * containing, in the same caseless way, the office's name, its slug, or any word of either of
 * at least five letters ("moorwiesen" for "Amt Moorwiesen"). office_name and office_slug may
 * be empty views. Pure and thread-safe. */
enum nb_password_verdict nb_account_password_check(struct nb_str password,
                                                   struct nb_str office_name,
                                                   struct nb_str office_slug);

/* Creates an account of role in the office, in state "setup", and its setup link valid from
 * now for NB_SETUP_LINK_SECONDS. NB_ERR_INPUT for a malformed name, NB_ERR_CONFLICT when the
 * name is taken in this office, NB_ERR_NOTFOUND when there is no such office. */
NB_MUST_USE enum nb_err nb_account_create(struct nb_store *s, int64_t office_id, struct nb_str name,
                                          enum nb_account_role role, int64_t now,
                                          struct nb_account_link *link);
/* Forgets the account's password, TOTP secret and recovery codes, sets it to "setup" and
 * gives a new setup link (any earlier link stops working). NB_ERR_NOTFOUND when the office
 * has no such account. */
NB_MUST_USE enum nb_err nb_account_reset(struct nb_store *s, int64_t office_id, struct nb_str name,
                                         int64_t now, struct nb_account_link *link);
/* The office that has an account of that name, across the instance: NB_ERR_NOTFOUND when
 * none, NB_ERR_CONFLICT when several do (then ask for the office). */
NB_MUST_USE enum nb_err nb_account_office_of(struct nb_store *s, struct nb_str name,
                                             int64_t *office_id);
/* The account as {id int, name str, role str, state str ("setup"|"active"|"disabled"),
 * recovery_left int, created_at int, changed_at int}; no secrets. */
NB_MUST_USE enum nb_err nb_account_find(struct nb_store *s, int64_t office_id, struct nb_str name,
                                        json_t **out);
/* The same object for the account with that id (as a session names it). */
NB_MUST_USE enum nb_err nb_account_get(struct nb_store *s, int64_t office_id, int64_t account_id,
                                       json_t **out);
/* The office's accounts at now, by name, as an array of {id int, name str, role str,
 * state str, sessions int} (sessions: how many live sessions the account has); no secrets.
 * *out is the caller's; NULL unless NB_OK. */
NB_MUST_USE enum nb_err nb_account_list(struct nb_store *s, int64_t office_id, int64_t now,
                                        json_t **out);
/* Number of accounts in the whole instance (0 after init: there are no default accounts). */
NB_MUST_USE enum nb_err nb_account_count(struct nb_store *s, int64_t *n);
NB_MUST_USE enum nb_err nb_account_set_role(struct nb_store *s, int64_t office_id,
                                            struct nb_str name, enum nb_account_role role,
                                            int64_t now);
/* Stops every login of the account; nb_account_reset makes it usable again. */
NB_MUST_USE enum nb_err nb_account_disable(struct nb_store *s, int64_t office_id,
                                           struct nb_str name, int64_t now);

/* Opens the setup link token at now: fills *e with the account's name and the TOTP secret to
 * enrol (the same one each time until the setup is finished, so that reloading the page does
 * not invalidate a scanned code). NB_ERR_NOTFOUND for a malformed, unknown, expired or
 * already used token. */
NB_MUST_USE enum nb_err nb_account_setup_start(struct nb_store *s, int64_t office_id,
                                               struct nb_str token, int64_t now,
                                               struct nb_account_enrol *e);
/* Completes the setup of the link token at now: password must pass the rules
 * (NB_ERR_INPUT otherwise; ask nb_account_password_check for the reason), totp_code must be
 * a valid code of the secret nb_account_setup_start showed (NB_ERR_DENIED otherwise; the link
 * stays usable for another try). On NB_OK the link is used up, the account is active and *rc
 * holds its ten recovery codes. NB_ERR_NOTFOUND as for nb_account_setup_start, also when
 * setup_start was never called. record (may be NULL) is appended to the journal in the same
 * write transaction as the activation, so that the argon2id hashing, which runs before it,
 * never holds the writer. */
NB_MUST_USE enum nb_err nb_account_setup_finish(struct nb_store *s, int64_t office_id,
                                                struct nb_str token, struct nb_str password,
                                                struct nb_str totp_code, int64_t now,
                                                const struct nb_journal_entry *record,
                                                struct nb_account_recovery *rc);

/* NB_OK when the office has an active account of that name with that password;
 * NB_ERR_DENIED otherwise (also for a malformed name). Takes the argon2id time in every
 * case, so the time does not tell whether the name exists. */
NB_MUST_USE enum nb_err nb_account_check_password(struct nb_store *s, int64_t office_id,
                                                  struct nb_str name, struct nb_str password);
/* NB_OK when code is the account's TOTP code for the step of now or one step either side,
 * and that step is later than the last step used; the step is then recorded as used.
 * NB_ERR_DENIED otherwise (also for accounts that are not active). */
NB_MUST_USE enum nb_err nb_account_check_totp(struct nb_store *s, int64_t office_id,
                                              struct nb_str name, struct nb_str code, int64_t now);
/* NB_OK when code is one of the account's unused recovery codes (case, spaces and dashes do
 * not matter; O reads as 0, I and L as 1); the code is then used up. NB_ERR_DENIED otherwise.
 * *left (may be NULL) gets the number of unused codes afterwards. */
NB_MUST_USE enum nb_err nb_account_use_recovery(struct nb_store *s, int64_t office_id,
                                                struct nb_str name, struct nb_str code, int64_t now,
                                                int64_t *left);

#endif
