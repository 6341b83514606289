/* throttle.c: login delays on top of store_account.c's counters.
 *
 * A counter is (failures, time of the last failure). The wait is computed at check time from
 * those two numbers, so nothing runs in the background and a clock step cannot lock anyone
 * out for longer than NB_THROTTLE_DELAY_MAX. */
#include "domain/throttle.h"

#include "base/limits.h"
#include "store/store_account.h"

#define ADDR_KEY_MAX 64u

static struct nb_str cap(struct nb_str s, size_t max)
{
    if (!s.ptr)
        return NB_STR("");
    if (s.len > max)
        s.len = max;
    return s;
}

int64_t nb_throttle_delay(int64_t failures, int64_t free)
{
    if (failures < free)
        return 0;
    int64_t extra = failures - free; /* 0 right after the free-th failure */
    if (extra >= 10)                 /* 2^10 s is past the cap already */
        return NB_THROTTLE_DELAY_MAX;
    int64_t d = (int64_t)1 << extra;
    return d < NB_THROTTLE_DELAY_MAX ? d : NB_THROTTLE_DELAY_MAX;
}

/* The counter's failures, or 0 when it is forgotten. */
static int64_t live_failures(int64_t failures, int64_t last, int64_t now)
{
    return now - last > NB_THROTTLE_FORGET_SECONDS ? 0 : failures;
}

static enum nb_err wait_of(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                           struct nb_str key, int64_t free, int64_t now, int64_t *wait)
{
    int64_t failures = 0, last = 0;
    enum nb_err err = nb_store_throttle_get(tx, office_id, kind, key, &failures, &last);
    if (err)
        return err;
    int64_t until = last + nb_throttle_delay(live_failures(failures, last, now), free);
    int64_t w = until > now ? until - now : 0;
    /* A last failure in the future (clock set back) never means more than the cap. */
    if (w > NB_THROTTLE_DELAY_MAX)
        w = NB_THROTTLE_DELAY_MAX;
    if (w > *wait)
        *wait = w;
    return NB_OK;
}

enum nb_err nb_throttle_check(struct nb_store *s, int64_t office_id, struct nb_str account_name,
                              struct nb_str client_addr, int64_t now, int64_t *wait_seconds)
{
    *wait_seconds = 0;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = wait_of(tx, office_id, NB_STR("account"), cap(account_name, NB_ACCOUNT_NAME_MAX),
                      NB_THROTTLE_ACCOUNT_FREE, now, wait_seconds);
    if (!err)
        err = wait_of(tx, office_id, NB_STR("addr"), cap(client_addr, ADDR_KEY_MAX),
                      NB_THROTTLE_ADDR_FREE, now, wait_seconds);
    return nb_store_end(&tx, err);
}

static enum nb_err count_failure(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                                 struct nb_str key, int64_t now)
{
    int64_t failures = 0, last = 0;
    enum nb_err err = nb_store_throttle_get(tx, office_id, kind, key, &failures, &last);
    if (!err)
        err = nb_store_throttle_put(tx, office_id, kind, key,
                                    live_failures(failures, last, now) + 1, now);
    return err;
}

enum nb_err nb_throttle_fail(struct nb_store *s, int64_t office_id, struct nb_str account_name,
                             struct nb_str client_addr, int64_t now)
{
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = count_failure(tx, office_id, NB_STR("account"),
                            cap(account_name, NB_ACCOUNT_NAME_MAX), now);
    if (!err)
        err = count_failure(tx, office_id, NB_STR("addr"), cap(client_addr, ADDR_KEY_MAX), now);
    return nb_store_end(&tx, err);
}

enum nb_err nb_throttle_success(struct nb_store *s, int64_t office_id, struct nb_str account_name)
{
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_throttle_clear(tx, office_id, NB_STR("account"),
                                      cap(account_name, NB_ACCOUNT_NAME_MAX));
    return nb_store_end(&tx, err);
}
