/* throttle.h: growing delays after failed logins, per account and per client address.
 *
 * Each office keeps two kinds of counters: one per account name (whether or not such an
 * account exists, so that the delay reveals nothing) and one per client address. After
 * NB_THROTTLE_ACCOUNT_FREE failures of an account name (NB_THROTTLE_ADDR_FREE of an address)
 * every further attempt must wait 1 s after the last failure, doubling with each failure up to
 * NB_THROTTLE_DELAY_MAX (base/limits.h). There is never a permanent lock-out: the longest
 * wait is NB_THROTTLE_DELAY_MAX, and a counter whose last failure lies more than
 * NB_THROTTLE_FORGET_SECONDS back counts as zero. A successful login clears the account's
 * counter; the address counter is left to expire, so that an attacker who owns one account
 * cannot wash an address clean by logging into it.
 *
 * The login sequence: nb_throttle_check; when *wait_seconds > 0 refuse without checking the
 * password ("try again in N seconds"); otherwise check the credentials, then call
 * nb_throttle_fail or nb_throttle_success. Names and addresses are keys only: names longer
 * than NB_ACCOUNT_NAME_MAX and addresses longer than 64 bytes are cut to that length.
 * All functions run one store transaction and block on disk I/O. */
#ifndef NB_DOMAIN_THROTTLE_H
#define NB_DOMAIN_THROTTLE_H

#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* The delay in seconds that failures failed attempts impose after the last of them, for a
 * counter with free attempts free: 0 below free failures, 1 s at free, then 2, 4, ...
 * capped at NB_THROTTLE_DELAY_MAX. Pure. */
int64_t nb_throttle_delay(int64_t failures, int64_t free);

/* *wait_seconds gets how long the caller must still wait at now before another attempt for
 * this account name from this address (the longer of the two delays); 0 when it may try. */
NB_MUST_USE enum nb_err nb_throttle_check(struct nb_store *s, int64_t office_id,
                                          struct nb_str account_name, struct nb_str client_addr,
                                          int64_t now, int64_t *wait_seconds);
/* Counts a failed attempt at now against the account name and the address. */
NB_MUST_USE enum nb_err nb_throttle_fail(struct nb_store *s, int64_t office_id,
                                         struct nb_str account_name, struct nb_str client_addr,
                                         int64_t now);
/* Clears the account name's counter after a successful login. */
NB_MUST_USE enum nb_err nb_throttle_success(struct nb_store *s, int64_t office_id,
                                            struct nb_str account_name);

#endif
