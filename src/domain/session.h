/* session.h: server-side staff sessions, their cookie, and CSRF protection.
 *
 * A session is created at every login with a fresh 256-bit random id (libsodium
 * randombytes_buf), never with one the browser offered, so an attacker cannot fix a victim's
 * session. The browser holds the id in a cookie, base64url-encoded without padding
 * (NB_SESSION_COOKIE_LEN characters); the store keeps only the id's BLAKE2b-256 hash, so a
 * copy of the database (a backup, a leaked file) opens no session. Next to it each session
 * stores its office, its account (by integer id), created_at, last_seen_at, the client
 * address and a user-agent summary (browser and system family only, see
 * nb_session_ua_summary), which are what a user needs to recognise and end their sessions.
 *
 * Expiry: a session is valid while now - last_seen_at < NB_SESSION_IDLE_SECONDS and
 * now - created_at < NB_SESSION_ABSOLUTE_SECONDS (base/limits.h). A lookup that finds an
 * expired session deletes it and answers NB_ERR_NOTFOUND. last_seen_at is written at most
 * once per NB_SESSION_TOUCH_SECONDS, so the idle timeout may run out up to that much early.
 *
 * Offices: every function takes the office id that the request's host resolved to; a
 * session of another office is never found, even with its valid cookie.
 *
 * CSRF: each session has a random 32-byte secret. nb_csrf_token derives from it a token per
 * form action (keyed BLAKE2b), which the form carries in a hidden field; nb_csrf_check
 * compares in constant time. Independently, a state-changing request must come from our own
 * origin (nb_origin_ok, nb_origin_request_ok); SameSite=Strict on the cookie is the third
 * line.
 *
 * Functions that take a store run their own transactions (nested when the thread already
 * has one) and block on disk I/O. None keeps the id in memory after it returns. */
#ifndef NB_DOMAIN_SESSION_H
#define NB_DOMAIN_SESSION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "store/store.h"

/* Random bytes of a session id, and of its CSRF secret. */
#define NB_SESSION_ID_BYTES 32u
#define NB_SESSION_CSRF_KEY_BYTES 32u
/* Characters of the cookie value (base64url of 32 bytes, no padding), and the size of a
 * buffer that holds it with its NUL. */
#define NB_SESSION_COOKIE_LEN 43u
#define NB_SESSION_COOKIE_SIZE (NB_SESSION_COOKIE_LEN + 1u)
/* A CSRF token: base64url of a 32-byte keyed hash, no padding; buffer size with NUL. */
#define NB_CSRF_TOKEN_LEN 43u
#define NB_CSRF_TOKEN_SIZE (NB_CSRF_TOKEN_LEN + 1u)
/* Room for any Set-Cookie value nb_session_cookie_header writes. */
#define NB_SESSION_SET_COOKIE_SIZE 160u

/* One session as a request sees it. Holds the CSRF secret: wipe it with nb_session_wipe
 * when done (the request's arena defer list is a good place). */
struct nb_session {
    int64_t id; /* row id: names the session in the list and in nb_session_end_one; not
                 * secret and useless without the cookie */
    int64_t office_id, account_id;
    int64_t created_at, last_seen_at;
    char client[NB_SESSION_CLIENT_MAX + 1];
    char user_agent[NB_SESSION_UA_MAX + 1];
    unsigned char csrf_key[NB_SESSION_CSRF_KEY_BYTES];
};

/* Zeroes s (sodium_memzero); accepts NULL. */
void nb_session_wipe(struct nb_session *s);

/* Writes the summary of a User-Agent header into out (NUL-terminated, at most
 * NB_SESSION_UA_MAX bytes): "<browser> on <system>" with browser one of Edge, Opera,
 * Firefox, Chrome, Safari, other and system one of Windows, Android, iOS, macOS, ChromeOS,
 * Linux, other. Versions and everything else are dropped on purpose. */
void nb_session_ua_summary(struct nb_str user_agent, char out[NB_SESSION_UA_MAX + 1]);

/* Creates a session for account_id (> 0) of office_id at now (the login). client is the
 * peer address (at most NB_SESSION_CLIENT_MAX bytes of hex digits, '.' and ':'), ua the raw
 * User-Agent header (summarised, may be empty). out_cookie_value (NB_SESSION_COOKIE_SIZE
 * bytes) gets the cookie value; out_session (may be NULL) the session. The caller should end
 * the session the browser presented before, if any (nb_session_end).
 * NB_ERR_INPUT: bad ids, time or client; NB_ERR_CONFLICT or NB_ERR_DB from the store (an
 * office that does not exist is refused by the schema). On error the outputs are zeroed. */
NB_MUST_USE enum nb_err nb_session_create(struct nb_store *s, int64_t office_id, int64_t account_id,
                                          int64_t now, struct nb_str client, struct nb_str ua,
                                          char out_cookie_value[NB_SESSION_COOKIE_SIZE],
                                          struct nb_session *out_session);

/* Finds the live session of office_id named by cookie_value (as read from the Cookie
 * header) at now, moves its last_seen_at to now when it is NB_SESSION_TOUCH_SECONDS or more
 * behind, and fills *out. NB_ERR_NOTFOUND when the value is malformed, unknown, of another
 * office, or expired (then the session is deleted). *out is zeroed unless NB_OK. */
NB_MUST_USE enum nb_err nb_session_lookup(struct nb_store *s, int64_t office_id,
                                          struct nb_str cookie_value, int64_t now,
                                          struct nb_session *out);

/* Logout: deletes the session named by cookie_value. NB_ERR_NOTFOUND when there is none
 * (already ended, expired, malformed, another office's). */
NB_MUST_USE enum nb_err nb_session_end(struct nb_store *s, int64_t office_id,
                                       struct nb_str cookie_value);

/* Ends the session with row id session_id if it belongs to account_id ("end this session"
 * in a user's own list). NB_ERR_NOTFOUND otherwise. */
NB_MUST_USE enum nb_err nb_session_end_one(struct nb_store *s, int64_t office_id,
                                           int64_t account_id, int64_t session_id);

/* Ends every session of the account (after a password change, on locking an account, or
 * "log out everywhere"). *n (may be NULL) gets how many. */
NB_MUST_USE enum nb_err nb_session_end_all_of_account(struct nb_store *s, int64_t office_id,
                                                      int64_t account_id, int *n);

/* The incident switch: ends every session of the office at once. *n (may be NULL) gets
 * how many. */
NB_MUST_USE enum nb_err nb_session_end_all_of_office(struct nb_store *s, int64_t office_id, int *n);

/* The account's live sessions at now, newest activity first, as an array of
 * {id int, account_id int, created_at int, last_seen_at int, client str, user_agent str}
 * (never the hash or the CSRF secret). *out is owned by the caller; NULL unless NB_OK. */
NB_MUST_USE enum nb_err nb_session_list(struct nb_store *s, int64_t office_id, int64_t account_id,
                                        int64_t now, json_t **out);

/* Deletes the expired sessions of all offices at now (housekeeping; lookups delete the
 * expired sessions they meet anyway). *n (may be NULL) gets how many. */
NB_MUST_USE enum nb_err nb_session_purge(struct nb_store *s, int64_t now, int *n);

/* ---- cookie ---- */

/* The cookie's name: "__Host-nb_session" with tls (the prefix makes browsers refuse it
 * unless Secure, Path=/ and no Domain, so a sibling host cannot plant one), else
 * "nb_session". */
const char *nb_session_cookie_name(bool tls);

/* Writes a Set-Cookie header value into out (n bytes, NB_SESSION_SET_COOKIE_SIZE is
 * enough): "<name>=<value>; Path=/; Max-Age=<max_age>; HttpOnly; SameSite=Strict" plus
 * "; Secure" when tls. Never a Domain. max_age 0 leaves out Max-Age (the cookie ends with the
 * browser). value NULL writes the clearing form for logout: empty value and Max-Age=0.
 * NB_ERR_INPUT when value is not a cookie value we issued (base64url characters, at most
 * NB_SESSION_COOKIE_LEN) or max_age is negative; NB_ERR_LIMIT when n is too small. out
 * holds "" on error. */
NB_MUST_USE enum nb_err nb_session_cookie_header(char *out, size_t n, const char *value, bool tls,
                                                 int max_age);

/* ---- CSRF ---- */

/* Writes the token of form_action (the path the form posts to, e.g.
 * "/staff/sessions/end") for session s into out (NUL-terminated). */
void nb_csrf_token(const struct nb_session *s, struct nb_str form_action,
                   char out[NB_CSRF_TOKEN_SIZE]);

/* True when token is the token of form_action for session s; compared in constant time.
 * False for an empty, shorter, longer or altered token. */
bool nb_csrf_check(const struct nb_session *s, struct nb_str form_action, struct nb_str token);

/* True when an Origin header names exactly our own origin: scheme "https" with tls else
 * "http", then the Host header's host (compared without case) and port (a default port
 * written or left out counts the same). False for an absent or empty Origin, "null",
 * another scheme, host or port, userinfo, a path, or a malformed Host. */
bool nb_origin_ok(struct nb_str origin_header, struct nb_str host_header, bool tls);

/* The check for a state-changing request: the Origin header when present (nb_origin_ok);
 * when it is absent (len 0), the Referer must start with our own origin followed by '/',
 * '?', '#' or nothing. False when both are absent. */
bool nb_origin_request_ok(struct nb_str origin_header, struct nb_str referer_header,
                          struct nb_str host_header, bool tls);

#endif
