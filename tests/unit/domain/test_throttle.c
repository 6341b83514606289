/* Unit tests for domain/throttle: the pure delay, wait and address-key functions, and the
 * counters on a real database file: free attempts per (name, address) pair, per address and
 * per IPv6 /64, no counter per name alone (the owner at another address is never delayed),
 * a success that clears the pair but does not wash the address, the office's budget with its
 * reserve for known pairs, forgetting, and the journal aggregate with its bound. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "domain/account.h"
#include "domain/journal.h"
#include "domain/office.h"
#include "domain/throttle.h"
#include "store/store.h"
#include "two_offices.h"

#define T0 1700000400 /* a multiple of 600: a journal window starts here */

static int setup(void **state)
{
    struct nb_account_link l;
    if (two_offices_setup(state, T0) != 0)
        return -1;
    struct fix *f = *state;
    return nb_account_create(f->s, f->a, NB_STR("redaktion"), NB_ROLE_EDITOR, T0, &l) == NB_OK ? 0
                                                                                               : -1;
}

static void test_delay_and_wait(void **state)
{
    (void)state;
    assert_int_equal(nb_throttle_delay(4, 5), 0);
    assert_int_equal(nb_throttle_delay(5, 5), 1);
    assert_int_equal(nb_throttle_delay(6, 5), 2);
    assert_int_equal(nb_throttle_delay(14, 5), 512);
    assert_int_equal(nb_throttle_delay(15, 5), NB_THROTTLE_DELAY_MAX);
    assert_int_equal(nb_throttle_delay(1000000, 5), NB_THROTTLE_DELAY_MAX);
    /* The wait runs down from the last failure. */
    assert_int_equal(nb_throttle_wait(7, T0, 5, T0), 4);
    assert_int_equal(nb_throttle_wait(7, T0, 5, T0 + 3), 1);
    assert_int_equal(nb_throttle_wait(7, T0, 5, T0 + 4), 0);
    assert_int_equal(nb_throttle_wait(4, T0, 5, T0), 0);
    /* Never more than the cap, also when the last failure lies in the future. */
    assert_int_equal(nb_throttle_wait(100, T0, 5, T0), NB_THROTTLE_DELAY_MAX);
    assert_int_equal(nb_throttle_wait(100, T0 + 86400, 5, T0), NB_THROTTLE_DELAY_MAX);
    /* Forgotten after a day without failures. */
    assert_int_equal(nb_throttle_wait(100, T0, 5, T0 + NB_THROTTLE_FORGET_SECONDS + 1), 0);
}

static void keys(const char *in, const char *addr, const char *net)
{
    struct nb_throttle_addr k;
    nb_throttle_addr_keys(nb_str_c(in), &k);
    assert_string_equal(k.addr, addr);
    assert_string_equal(k.net, net);
}

static void test_address_keys(void **state)
{
    (void)state;
    keys("192.0.2.7", "192.0.2.7", "");
    keys("::ffff:192.0.2.7", "192.0.2.7", ""); /* IPv4-mapped counts as IPv4 */
    keys("::1", "::1", "::/64");
    keys("2001:DB8:0:1:0:0:0:5", "2001:db8:0:1::5", "2001:db8:0:1::/64");
    keys("2001:db8:0:1:ffff:1:2:3", "2001:db8:0:1:ffff:1:2:3", "2001:db8:0:1::/64");
    keys("2001:db8:0:2::1", "2001:db8:0:2::1", "2001:db8:0:2::/64");
    keys("", "-", "");
    keys("not an address", "-", "");
    keys("192.0.2.7 ", "-", "");
    keys("1234567890123456789012345678901234567890123456789", "-", "");
}

static int64_t try_at(struct fix *f, int64_t office, const char *name, const char *addr,
                      int64_t now, struct nb_throttle_ticket *t)
{
    int64_t wait = -1;
    assert_int_equal(
        nb_throttle_reserve(f->s, office, nb_str_c(name), nb_str_c(addr), now, t, &wait), NB_OK);
    assert_true(t->reserved == (wait == 0));
    return wait;
}

/* A reserved attempt that fails. */
static int64_t fail_at(struct fix *f, int64_t office, const char *name, const char *addr,
                       int64_t now)
{
    struct nb_throttle_ticket t;
    int64_t wait = try_at(f, office, name, addr, now, &t);
    if (wait == 0)
        assert_int_equal(nb_throttle_failed(f->s, &t, now), NB_OK);
    return wait;
}

static void test_pairs_and_addresses(void **state)
{
    struct fix *f = *state;
    int64_t now = T0;
    struct nb_throttle_ticket t;
    /* The pair's free attempts, then 1, 2, 4 s after the last failure. */
    for (int i = 0; i < NB_THROTTLE_PAIR_FREE; i++)
        assert_int_equal(fail_at(f, f->a, "redaktion", "192.0.2.1", now), 0);
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.1", now, &t), 1);
    assert_int_equal(fail_at(f, f->a, "redaktion", "192.0.2.1", now + 1), 0);
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.1", now + 1, &t), 2);
    /* A refused attempt is not counted: waiting it out is enough. */
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.1", now + 2, &t), 1);
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.1", now + 3, &t), 0);
    assert_int_equal(nb_throttle_failed(f->s, &t, now + 3), NB_OK);
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.1", now + 3, &t), 4);
    /* The owner at another address is not delayed at all, and neither is another office. */
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.2", now + 3, &t), 0);
    assert_true(t.account_id > 0);
    assert_string_equal(t.actor, "redaktion");
    assert_int_equal(nb_throttle_succeeded(f->s, &t, now + 3), NB_OK);
    assert_int_equal(try_at(f, f->b, "redaktion", "192.0.2.1", now + 3, &t), 0);
    assert_int_equal(nb_throttle_failed(f->s, &t, now + 3), NB_OK);

    /* The address: NB_THROTTLE_ADDR_FREE failures over any names, then every name waits. It
     * has 7 failures of "redaktion" so far. */
    now += 100;
    char name[32];
    for (int i = 7; i < NB_THROTTLE_ADDR_FREE; i++) {
        snprintf(name, sizeof(name), "gast%d", i);
        assert_int_equal(fail_at(f, f->a, name, "192.0.2.1", now), 0);
    }
    assert_int_equal(try_at(f, f->a, "noch-jemand", "192.0.2.1", now, &t), 1);
    /* A success of an account at that address takes back only its own reserved failure. */
    assert_int_equal(try_at(f, f->a, "noch-jemand", "192.0.2.1", now + 1, &t), 0);
    assert_int_equal(nb_throttle_succeeded(f->s, &t, now + 1), NB_OK);
    assert_int_equal(try_at(f, f->a, "noch-jemand", "192.0.2.1", now + 1, &t), 1);
    /* Another address of the same office is free. */
    assert_int_equal(try_at(f, f->a, "gast8", "192.0.2.99", now + 1, &t), 0);
}

static void test_ipv6_per_64(void **state)
{
    struct fix *f = *state;
    int64_t now = T0;
    char addr[64], name[32];
    /* Each failure from a fresh address and for a fresh name: only the /64 counts them all. */
    for (int i = 0; i < NB_THROTTLE_NET_FREE; i++) {
        snprintf(addr, sizeof(addr), "2001:db8:0:1::%x", i + 1);
        snprintf(name, sizeof(name), "gast%d", i);
        assert_int_equal(fail_at(f, f->a, name, addr, now), 0);
    }
    struct nb_throttle_ticket t;
    assert_int_equal(try_at(f, f->a, "wieder-neu", "2001:db8:0:1::ffff", now, &t), 1);
    assert_int_equal(try_at(f, f->a, "wieder-neu", "2001:db8:0:1:8000::1", now, &t), 1);
    /* The neighbouring /64 is another network. */
    assert_int_equal(try_at(f, f->a, "wieder-neu", "2001:db8:0:2::1", now, &t), 0);
    assert_int_equal(nb_throttle_failed(f->s, &t, now), NB_OK);
    /* Per address as well: one address of a fresh /64 after its own free failures. */
    now += 10;
    for (int i = 0; i < NB_THROTTLE_ADDR_FREE; i++) {
        snprintf(name, sizeof(name), "x%d", i);
        assert_int_equal(fail_at(f, f->a, name, "2001:db8:0:3::1", now), 0);
    }
    assert_int_equal(try_at(f, f->a, "y", "2001:db8:0:3::1", now, &t), 1);
    assert_int_equal(try_at(f, f->a, "y", "2001:db8:0:3::2", now, &t), 0);
}

static void test_budget_and_reserve(void **state)
{
    struct fix *f = *state;
    int64_t now = T0 + 5; /* 5 s into a budget window */
    struct nb_throttle_ticket t;
    /* The owner has signed in from 192.0.2.50 before: a known pair. */
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.50", now - 100, &t), 0);
    assert_int_equal(nb_throttle_succeeded(f->s, &t, now - 100), NB_OK);
    /* A flood from many addresses spends the office's budget for this window. The owner's
     * own check of before fell into an earlier window. */
    char addr[32];
    for (int i = 0; i < NB_THROTTLE_BUDGET; i++) {
        snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 200, i % 200 + 1);
        assert_int_equal(fail_at(f, f->a, "redaktion", addr, now), 0);
    }
    /* Anyone else now waits for the next window, at most one window long. */
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.51", now, &t),
                     NB_THROTTLE_WINDOW_SECONDS - 5);
    assert_int_equal(try_at(f, f->a, "unbekannt", "192.0.2.50", now, &t),
                     NB_THROTTLE_WINDOW_SECONDS - 5);
    /* The owner at the known address gets in from the reserve. */
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.50", now, &t), 0);
    assert_int_equal(nb_throttle_succeeded(f->s, &t, now), NB_OK);
    /* Another office has its own budget. */
    assert_int_equal(try_at(f, f->b, "redaktion", "192.0.2.51", now, &t), 0);
    assert_int_equal(nb_throttle_failed(f->s, &t, now), NB_OK);
    /* The reserve is bounded too (the known pair's own failures also delay it). */
    int reserved = 1, waited = 0;
    for (int64_t k = 0; k < 200 && !waited; k++) {
        int64_t w = try_at(f, f->a, "redaktion", "192.0.2.50", now, &t);
        if (w == 0) {
            reserved++;
            assert_int_equal(nb_throttle_succeeded(f->s, &t, now), NB_OK);
        } else {
            waited = 1;
            assert_int_equal(w, NB_THROTTLE_WINDOW_SECONDS - 5);
        }
    }
    assert_int_equal(reserved, NB_THROTTLE_RESERVE);
    /* The next window has room again. */
    assert_int_equal(
        try_at(f, f->a, "redaktion", "192.0.2.51", now + NB_THROTTLE_WINDOW_SECONDS, &t), 0);
}

static int64_t journal_count(struct fix *f, const char *where)
{
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(f->db.path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char q[256];
    snprintf(q, sizeof(q), "SELECT %s FROM journal WHERE action = 'login.fail'", where);
    long long n = tmpdb_int(raw, q);
    sqlite3_close(raw);
    return n;
}

static void test_journal_aggregate(void **state)
{
    struct fix *f = *state;
    int64_t now = T0, entries = -1;
    /* 3 failures of "redaktion" and 2 of unknown names from one address, 1 from another. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(fail_at(f, f->a, "redaktion", "192.0.2.1", now + i), 0);
    assert_int_equal(fail_at(f, f->a, "wer-anders", "192.0.2.1", now), 0);
    assert_int_equal(fail_at(f, f->a, "Passwort im Namensfeld", "192.0.2.1", now), 0);
    assert_int_equal(fail_at(f, f->a, "redaktion", "192.0.2.2", now), 0);
    /* Nothing is journalled while the window is open. */
    assert_int_equal(nb_throttle_flush(f->s, now + 599, false, &entries), NB_OK);
    assert_int_equal(entries, 0);
    assert_int_equal(journal_count(f, "count(*)"), 0);
    /* When it is over: one entry per (actor, address) with its count, no address in it. */
    assert_int_equal(nb_throttle_flush(f->s, now + 600, false, &entries), NB_OK);
    assert_int_equal(entries, 3);
    assert_int_equal(journal_count(f, "count(*)"), 3);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(f->db.path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(tmpdb_int(raw,
                               "SELECT count(*) FROM journal WHERE actor = 'redaktion'"
                               " AND summary LIKE '3 failed sign-ins from one client address%'"),
                     1);
    assert_int_equal(tmpdb_int(raw,
                               "SELECT count(*) FROM journal WHERE actor = 'unknown'"
                               " AND summary LIKE '2 failed sign-ins from one client address%'"),
                     1);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM journal WHERE summary LIKE '%192.0.2%'"
                                    " OR actor LIKE '%Passwort%' OR actor = 'wer-anders'"),
                     0);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM signin_failures"), 0);
    sqlite3_close(raw);
    assert_int_equal(nb_throttle_flush(f->s, now + 601, false, &entries), NB_OK);
    assert_int_equal(entries, 0);

    /* A flood from 300 addresses in one window: a bounded number of entries, every failure
     * counted. The pair and address counters are not in the way (one attempt each), the
     * budget is: spread over windows of one minute. */
    now = T0 + 1200;
    int64_t failed = 0;
    char addr[32];
    for (int i = 0; i < 300; i++) {
        snprintf(addr, sizeof(addr), "10.1.%d.%d", i / 100, i % 100 + 1);
        if (fail_at(f, f->a, i % 2 ? "redaktion" : "niemand", addr, now + i) == 0)
            failed++;
    }
    assert_int_equal(failed, 300);
    assert_int_equal(nb_throttle_flush(f->s, now + 600, true, &entries), NB_OK);
    /* NB_THROTTLE_JOURNAL_ROWS addresses of their own, then one sum per actor. */
    assert_int_equal(entries, NB_THROTTLE_JOURNAL_ROWS + 2);
    assert_int_equal(journal_count(f, "count(*)"), 3 + NB_THROTTLE_JOURNAL_ROWS + 2);
    raw = NULL;
    assert_int_equal(sqlite3_open_v2(f->db.path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(tmpdb_int(raw, "SELECT sum(CAST(substr(summary, 1, instr(summary, ' ') - 1)"
                                    " AS INTEGER)) FROM journal WHERE action = 'login.fail'"),
                     6 + 300);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM journal WHERE action = 'login.fail'"
                                    " AND summary LIKE '%further client addresses%'"),
                     2);
    sqlite3_close(raw);
    struct nb_journal_report r;
    assert_int_equal(nb_journal_verify(f->s, NULL, &r), NB_OK);
    assert_int_equal(r.problem, NB_JOURNAL_INTACT);
}

static void test_stale_rows_deleted(void **state)
{
    struct fix *f = *state;
    int64_t now = T0;
    struct nb_throttle_ticket t;
    assert_int_equal(fail_at(f, f->a, "redaktion", "192.0.2.1", now), 0);
    assert_int_equal(fail_at(f, f->a, "niemand", "2001:db8::1", now), 0);
    assert_int_equal(try_at(f, f->a, "redaktion", "192.0.2.9", now, &t), 0);
    assert_int_equal(nb_throttle_succeeded(f->s, &t, now), NB_OK);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(f->db.path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_true(tmpdb_int(raw, "SELECT count(*) FROM signin_throttle WHERE kind <> 'budget'") > 0);
    /* A day later the failure counters (with their addresses) are gone, the known pair stays
     * for its 30 days, the budget rows of old windows are gone. */
    assert_int_equal(nb_throttle_flush(f->s, now + NB_THROTTLE_FORGET_SECONDS + 1, false, NULL),
                     NB_OK);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM signin_throttle"
                                    " WHERE kind IN ('pair', 'addr', 'net', 'budget')"),
                     0);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM signin_throttle WHERE kind = 'known'"),
                     1);
    assert_int_equal(nb_throttle_flush(f->s, now + NB_THROTTLE_KNOWN_SECONDS + 1, false, NULL),
                     NB_OK);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM signin_throttle"), 0);
    sqlite3_close(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delay_and_wait),
        cmocka_unit_test(test_address_keys),
        cmocka_unit_test_setup_teardown(test_pairs_and_addresses, setup, two_offices_teardown),
        cmocka_unit_test_setup_teardown(test_ipv6_per_64, setup, two_offices_teardown),
        cmocka_unit_test_setup_teardown(test_budget_and_reserve, setup, two_offices_teardown),
        cmocka_unit_test_setup_teardown(test_journal_aggregate, setup, two_offices_teardown),
        cmocka_unit_test_setup_teardown(test_stale_rows_deleted, setup, two_offices_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
