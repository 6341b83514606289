/* throttle.h: the sign-in throttle, which slows guessing without letting a stranger keep an
 * account's owner out, and the aggregated journal of failed sign-ins (docs/signin.md).
 *
 * Counters, per office (numbers in base/limits.h):
 *   - pair: one (login name, client address); NB_THROTTLE_PAIR_FREE failures are free;
 *   - addr: one client address, NB_THROTTLE_ADDR_FREE free, whatever names it tries;
 *   - net: one IPv6 /64, NB_THROTTLE_NET_FREE free (a client may change its address in it);
 *   - budget: password checks of the office per NB_THROTTLE_WINDOW_SECONDS window, at most
 *     NB_THROTTLE_BUDGET, plus NB_THROTTLE_RESERVE more for known pairs (a name that signed
 *     in from that address within NB_THROTTLE_KNOWN_SECONDS).
 * After its free failures a counter makes the next attempt wait 1 s after the last failure,
 * doubling with each failure up to NB_THROTTLE_DELAY_MAX; a counter whose last failure lies
 * more than NB_THROTTLE_FORGET_SECONDS back is forgotten and deleted. There is no counter per
 * name alone: others' failures on a name never delay its owner at an address that has not
 * failed. So the owner waits 0 s unless the office's budget is spent; when it is, a known
 * pair still gets in from the reserve, and anyone else waits for the next window (at most
 * NB_THROTTLE_WINDOW_SECONDS). The longest wait anyone can be given is NB_THROTTLE_DELAY_MAX.
 *
 * Keys: the name as nb_account_name_norm gives it (a malformed name counts as the empty
 * name), so case variants are one name. The pair key of an account is its id; the pair key of
 * a name that is no account is a hash of the name keyed with a random key that lives only in
 * this process's memory, so no typed name (perhaps a password typed into the wrong field) is
 * stored, and a restart forgets those pairs (their addresses' counters stay). Addresses are
 * keyed in canonical text (IPv4-mapped IPv6 as IPv4).
 *
 * A sign-in: nb_throttle_reserve checks every counter and, in the same write transaction,
 * counts the attempt as a failure before any password is checked, so parallel guesses cannot
 * all pass the check. Then, after the password and code were checked: nb_throttle_succeeded
 * (clears the pair, takes the reserved failure back from the address counters, remembers the
 * pair as known; it never resets an address counter otherwise) or nb_throttle_failed (keeps
 * the failure and counts it for the journal). Failed sign-ins are journalled per (account
 * name or "unknown", address) and NB_THROTTLE_JOURNAL_SECONDS window, one entry with the
 * count once the window is over (nb_throttle_flush), never with the address in it.
 *
 * Every function that takes a store runs one write transaction (nested when the thread has
 * one) and blocks on disk I/O. */
#ifndef NB_DOMAIN_THROTTLE_H
#define NB_DOMAIN_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "store/store.h"

/* Text of an address or network key: INET6_ADDRSTRLEN plus "/64". */
#define NB_THROTTLE_ADDR_TEXT 50u

/* The delay in seconds that failures impose after the last of them, for a counter with free
 * free attempts: 0 below free failures, 1 s at free, then 2, 4, ... capped at
 * NB_THROTTLE_DELAY_MAX. Pure. */
int64_t nb_throttle_delay(int64_t failures, int64_t free);

/* How long an attempt at now must still wait for a counter of failures whose last failure
 * was at (0 when it may go): forgotten after NB_THROTTLE_FORGET_SECONDS, never more than
 * NB_THROTTLE_DELAY_MAX, also when at lies in the future (a clock set back). Pure. */
int64_t nb_throttle_wait(int64_t failures, int64_t at, int64_t free, int64_t now);

/* The counter keys of one client address. */
struct nb_throttle_addr {
    char addr[NB_THROTTLE_ADDR_TEXT]; /* canonical text; "-" when the address is unknown */
    char net[NB_THROTTLE_ADDR_TEXT];  /* "2001:db8:0:1::/64" for IPv6, "" otherwise */
};

/* Fills *k from a client address as the HTTP layer gives it ("192.0.2.1", "2001:db8::1",
 * "::ffff:192.0.2.1" which counts as IPv4). Anything that is no address gets "-". Pure. */
void nb_throttle_addr_keys(struct nb_str client, struct nb_throttle_addr *k);

/* One sign-in attempt between nb_throttle_reserve and its outcome. */
struct nb_throttle_ticket {
    int64_t office_id;
    int64_t account_id;                  /* 0 when no account has the name */
    char actor[NB_ACCOUNT_NAME_MAX + 1]; /* the account's name, or "unknown" */
    char pair[NB_THROTTLE_KEY_MAX];
    struct nb_throttle_addr addr;
    bool reserved; /* the attempt was counted; only then may it be checked */
};

/* Checks the counters and the budget for a sign-in with the normalised name (empty when
 * malformed) from client at now. When *wait_seconds is 0 the attempt is counted as a failure
 * and may be checked (t->reserved); otherwise nothing is counted and the caller answers "try
 * again in *wait_seconds seconds" without checking the password. */
NB_MUST_USE enum nb_err nb_throttle_reserve(struct nb_store *s, int64_t office_id,
                                            struct nb_str name, struct nb_str client, int64_t now,
                                            struct nb_throttle_ticket *t, int64_t *wait_seconds);
/* The reserved attempt succeeded (password and code right), at now. */
NB_MUST_USE enum nb_err nb_throttle_succeeded(struct nb_store *s,
                                              const struct nb_throttle_ticket *t, int64_t now);
/* The reserved attempt failed at now: counts it for the journal, journals the windows that
 * are over and deletes the counters whose time is up. */
NB_MUST_USE enum nb_err nb_throttle_failed(struct nb_store *s, const struct nb_throttle_ticket *t,
                                           int64_t now);
/* Journals the failures of every office whose window is over at now (with all, every window,
 * for a server that stops), deletes them, and deletes the counters whose time is up.
 * *entries (may be NULL) gets the number of journal entries written. */
NB_MUST_USE enum nb_err nb_throttle_flush(struct nb_store *s, int64_t now, bool all,
                                          int64_t *entries);

#endif
