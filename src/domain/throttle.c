/* throttle.c: the sign-in throttle on top of store_throttle.c's rows.
 *
 * A counter is (failures, time of the last failure). The wait is computed at check time from
 * those two numbers, so nothing runs in the background for it and a clock step cannot keep
 * anyone out for longer than NB_THROTTLE_DELAY_MAX. The budget is a fixed window: a row
 * (checks, window start) whose start is not the current window's counts as 0. */
#include "domain/throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "domain/account.h"
#include "domain/journal.h"
#include "store/store_account.h"
#include "store/store_throttle.h"

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
static int64_t live(int64_t failures, int64_t at, int64_t now)
{
    return now - at > NB_THROTTLE_FORGET_SECONDS ? 0 : failures;
}

int64_t nb_throttle_wait(int64_t failures, int64_t at, int64_t free, int64_t now)
{
    int64_t d = nb_throttle_delay(live(failures, at, now), free);
    if (d == 0)
        return 0;
    int64_t w = at + d - now;
    if (w < 0)
        return 0;
    return w > NB_THROTTLE_DELAY_MAX ? NB_THROTTLE_DELAY_MAX : w;
}

void nb_throttle_addr_keys(struct nb_str client, struct nb_throttle_addr *k)
{
    char text[INET6_ADDRSTRLEN];
    memcpy(k->addr, "-", 2);
    k->net[0] = '\0';
    if (!client.ptr || client.len == 0 || client.len >= sizeof(text))
        return;
    memcpy(text, client.ptr, client.len);
    text[client.len] = '\0';
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, text, &v4) == 1) {
        inet_ntop(AF_INET, &v4, k->addr, sizeof(k->addr));
        return;
    }
    if (inet_pton(AF_INET6, text, &v6) != 1)
        return;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
        memcpy(&v4, v6.s6_addr + 12, 4);
        inet_ntop(AF_INET, &v4, k->addr, sizeof(k->addr));
        return;
    }
    inet_ntop(AF_INET6, &v6, k->addr, sizeof(k->addr));
    memset(v6.s6_addr + 8, 0, 8);
    char net[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, &v6, net, sizeof(net)))
        snprintf(k->net, sizeof(k->net), "%s/64", net);
}

/* ---- keys ---------------------------------------------------------------------------------- */

/* The key for hashing names that are no account: random, in this process's memory only. */
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static unsigned char *name_key;

static void key_start(void)
{
    if (sodium_init() < 0)
        return;
    name_key = sodium_malloc(crypto_generichash_KEYBYTES);
    if (name_key) {
        randombytes_buf(name_key, crypto_generichash_KEYBYTES);
        sodium_mprotect_readonly(name_key);
    }
}

static enum nb_err pair_key(struct nb_throttle_ticket *t, struct nb_str name)
{
    int n;
    if (t->account_id > 0) {
        n = snprintf(t->pair, sizeof(t->pair), "a%lld|%s", (long long)t->account_id, t->addr.addr);
    } else {
        pthread_once(&key_once, key_start);
        if (!name_key)
            return NB_ERR_INTERNAL;
        unsigned char h[16];
        char hex[sizeof(h) * 2 + 1];
        crypto_generichash(h, sizeof(h), (const unsigned char *)(name.ptr ? name.ptr : ""),
                           name.len, name_key, crypto_generichash_KEYBYTES);
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        n = snprintf(t->pair, sizeof(t->pair), "u%s|%s", hex, t->addr.addr);
    }
    return n > 0 && (size_t)n < sizeof(t->pair) ? NB_OK : NB_ERR_LIMIT;
}

/* ---- reserve ------------------------------------------------------------------------------- */

static int64_t window_of(int64_t now, int64_t len)
{
    return now - ((now % len) + len) % len;
}

/* The longer of *wait and the counter's wait. */
static enum nb_err wait_of(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                           const char *key, int64_t free, int64_t now, int64_t *wait)
{
    int64_t failures = 0, at = 0;
    enum nb_err err = nb_store_throttle_get(tx, office_id, kind, nb_str_c(key), &failures, &at);
    int64_t w = err ? 0 : nb_throttle_wait(failures, at, free, now);
    if (w > *wait)
        *wait = w;
    return err;
}

/* Takes one check from the budget (the reserve when the general part is spent and the pair
 * is known); *wait gets the time to the next window when neither has room. */
static enum nb_err take_budget(struct nb_store_tx *tx, const struct nb_throttle_ticket *t,
                               int64_t now, int64_t *wait)
{
    int64_t w = window_of(now, NB_THROTTLE_WINDOW_SECONDS), used = 0, at = 0;
    enum nb_err err =
        nb_store_throttle_get(tx, t->office_id, NB_STR("budget"), NB_STR("general"), &used, &at);
    if (err)
        return err;
    if (at != w)
        used = 0;
    if (used < NB_THROTTLE_BUDGET)
        return nb_store_throttle_put(tx, t->office_id, NB_STR("budget"), NB_STR("general"),
                                     used + 1, w);
    int64_t known = 0, seen = 0;
    if (t->account_id > 0)
        err = nb_store_throttle_get(tx, t->office_id, NB_STR("known"), nb_str_c(t->pair), &known,
                                    &seen);
    if (!err && t->account_id > 0 && seen > 0 && now - seen <= NB_THROTTLE_KNOWN_SECONDS) {
        err = nb_store_throttle_get(tx, t->office_id, NB_STR("budget"), NB_STR("reserve"), &used,
                                    &at);
        if (!err && at != w)
            used = 0;
        if (!err && used < NB_THROTTLE_RESERVE)
            return nb_store_throttle_put(tx, t->office_id, NB_STR("budget"), NB_STR("reserve"),
                                         used + 1, w);
    }
    if (!err)
        *wait = w + NB_THROTTLE_WINDOW_SECONDS - now;
    return err;
}

/* Adds the reserved failure to the counter (kind, key). */
static enum nb_err count_one(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                             const char *key, int64_t now)
{
    int64_t failures = 0, at = 0;
    enum nb_err err = nb_store_throttle_get(tx, office_id, kind, nb_str_c(key), &failures, &at);
    if (!err)
        err = nb_store_throttle_put(tx, office_id, kind, nb_str_c(key), live(failures, at, now) + 1,
                                    now);
    return err;
}

enum nb_err nb_throttle_reserve(struct nb_store *s, int64_t office_id, struct nb_str name,
                                struct nb_str client, int64_t now, struct nb_throttle_ticket *t,
                                int64_t *wait_seconds)
{
    *wait_seconds = 0;
    memset(t, 0, sizeof(*t));
    t->office_id = office_id;
    memcpy(t->actor, "unknown", sizeof("unknown"));
    nb_throttle_addr_keys(client, &t->addr);
    if (name.len > NB_ACCOUNT_NAME_MAX)
        name = NB_STR("");
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    if (name.len > 0) {
        err = nb_store_account_id(tx, office_id, name, &t->account_id);
        if (!err) {
            memcpy(t->actor, name.ptr, name.len);
            t->actor[name.len] = '\0';
        } else if (err == NB_ERR_NOTFOUND) {
            t->account_id = 0;
            err = NB_OK;
        }
    }
    if (!err)
        err = pair_key(t, name);
    int64_t wait = 0;
    if (!err)
        err = wait_of(tx, office_id, NB_STR("pair"), t->pair, NB_THROTTLE_PAIR_FREE, now, &wait);
    if (!err)
        err =
            wait_of(tx, office_id, NB_STR("addr"), t->addr.addr, NB_THROTTLE_ADDR_FREE, now, &wait);
    if (!err && t->addr.net[0])
        err = wait_of(tx, office_id, NB_STR("net"), t->addr.net, NB_THROTTLE_NET_FREE, now, &wait);
    if (!err && wait == 0)
        err = take_budget(tx, t, now, &wait);
    if (!err && wait == 0) {
        err = count_one(tx, office_id, NB_STR("pair"), t->pair, now);
        if (!err)
            err = count_one(tx, office_id, NB_STR("addr"), t->addr.addr, now);
        if (!err && t->addr.net[0])
            err = count_one(tx, office_id, NB_STR("net"), t->addr.net, now);
    }
    err = nb_store_end(&tx, err);
    if (!err && wait == 0)
        t->reserved = true;
    *wait_seconds = err ? 0 : wait;
    return err;
}

/* ---- outcomes ------------------------------------------------------------------------------ */

/* Takes the reserved failure back from the counter (kind, key): the attempt did not fail. */
static enum nb_err uncount_one(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                               const char *key)
{
    int64_t failures = 0, at = 0;
    enum nb_err err = nb_store_throttle_get(tx, office_id, kind, nb_str_c(key), &failures, &at);
    if (!err && failures > 0)
        err = nb_store_throttle_put(tx, office_id, kind, nb_str_c(key), failures - 1, at);
    return err;
}

enum nb_err nb_throttle_succeeded(struct nb_store *s, const struct nb_throttle_ticket *t,
                                  int64_t now)
{
    if (!t->reserved)
        return NB_ERR_INTERNAL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    err = nb_store_throttle_clear(tx, t->office_id, NB_STR("pair"), nb_str_c(t->pair));
    if (!err)
        err = uncount_one(tx, t->office_id, NB_STR("addr"), t->addr.addr);
    if (!err && t->addr.net[0])
        err = uncount_one(tx, t->office_id, NB_STR("net"), t->addr.net);
    if (!err && t->account_id > 0)
        err = nb_store_throttle_put(tx, t->office_id, NB_STR("known"), nb_str_c(t->pair), 1, now);
    return nb_store_end(&tx, err);
}

/* "2026-12-04 02:30" (UTC) of t. */
static void utc_text(int64_t t, char out[32])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%d %H:%M", &tm) == 0)
        memcpy(out, "?", 2);
}

/* Journals the rows whose window started before started_before, deletes them, and deletes
 * the counters whose time is up; inside tx. */
static enum nb_err flush_tx(struct nb_store_tx *tx, int64_t now, int64_t started_before,
                            int64_t *entries)
{
    json_t *rows = NULL;
    enum nb_err err = nb_store_signin_failure_due(tx, started_before, &rows);
    size_t i;
    json_t *r;
    int64_t n = 0, total = 0;
    json_array_foreach(rows, i, r)
    {
        if (err)
            break;
        int64_t office_id = json_integer_value(json_object_get(r, "office_id"));
        int64_t start = json_integer_value(json_object_get(r, "window_start"));
        int64_t failures = json_integer_value(json_object_get(r, "failures"));
        const char *actor = json_string_value(json_object_get(r, "actor"));
        const char *addr = json_string_value(json_object_get(r, "addr"));
        if (!actor || !addr) {
            err = NB_ERR_INTERNAL;
            break;
        }
        char from[32], summary[160];
        utc_text(start, from);
        snprintf(summary, sizeof(summary),
                 "%lld failed sign-in%s from %s in the %d minutes from %s UTC", (long long)failures,
                 failures == 1 ? "" : "s",
                 addr[0] ? "one client address" : "further client addresses",
                 NB_THROTTLE_JOURNAL_SECONDS / 60, from);
        struct nb_journal_entry e = {now,
                                     office_id,
                                     nb_str_c(actor),
                                     NB_STR("login.fail"),
                                     NB_STR("account"),
                                     nb_str_c(summary)};
        err = nb_journal_append(tx, &e, NULL);
        if (!err)
            err = nb_store_signin_failure_remove(tx, office_id, start, nb_str_c(actor),
                                                 nb_str_c(addr));
        if (!err) {
            n++;
            total += failures;
        }
    }
    /* Counts only: the log, like the journal, names no address (docs/signin.md). */
    if (!err && n > 0)
        nb_log_info("signin.failures", "entries=%lld failures=%lld", (long long)n,
                    (long long)total);
    json_decref(rows);
    if (!err)
        err = nb_store_throttle_expire(
            tx, now - NB_THROTTLE_FORGET_SECONDS, now - NB_THROTTLE_KNOWN_SECONDS,
            window_of(now, NB_THROTTLE_WINDOW_SECONDS) - NB_THROTTLE_WINDOW_SECONDS, NULL);
    if (!err && entries)
        *entries = n;
    return err;
}

enum nb_err nb_throttle_failed(struct nb_store *s, const struct nb_throttle_ticket *t, int64_t now)
{
    if (!t->reserved)
        return NB_ERR_INTERNAL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    int64_t window = window_of(now, NB_THROTTLE_JOURNAL_SECONDS);
    err = nb_store_signin_failure_add(tx, t->office_id, window, nb_str_c(t->actor),
                                      nb_str_c(t->addr.addr), NB_THROTTLE_JOURNAL_ROWS);
    if (!err)
        err = flush_tx(tx, now, window, NULL);
    return nb_store_end(&tx, err);
}

enum nb_err nb_throttle_flush(struct nb_store *s, int64_t now, bool all, int64_t *entries)
{
    struct nb_store_tx *tx;
    int64_t n = 0;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    err = flush_tx(tx, now, all ? INT64_MAX : window_of(now, NB_THROTTLE_JOURNAL_SECONDS), &n);
    err = nb_store_end(&tx, err);
    if (entries)
        *entries = err ? 0 : n;
    return err;
}
