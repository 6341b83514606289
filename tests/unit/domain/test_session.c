/* Unit tests for domain/session.c and store/store_session.c on a real SQLite file.
 *
 * Sessions: creation and lookup, the hash-only storage (looked at through a second SQLite
 * connection), idle and absolute expiry on both sides of each limit, the once-a-minute
 * touch, logout and replay, ending all sessions of an account or office, a fresh id at every
 * login, and that no office ever finds another's session. Then the cookie header, CSRF tokens
 * and the origin check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "domain/office.h"
#include "domain/session.h"
#include "store/store.h"
#include "../tmpdb.h"

#define T0 1634275800 /* 2021-10-15 07:30 Europe/Berlin */
#define MIN 60
#define HOUR 3600

struct fix {
    struct tmpdb db;
    struct nb_store *s;
    int64_t a, b; /* two offices */
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));
    if (!f || sodium_init() < 0 || tmpdb_make(&f->db) != 0 ||
        nb_store_open(f->db.path, &f->s) != NB_OK)
        return -1;
    const struct nb_store_office a = {NB_STR("amt-a"), NB_STR("Amt A"), NB_STR("MV"),
                                      NB_STR("amt-a.example")};
    const struct nb_store_office b = {NB_STR("amt-b"), NB_STR("Amt B"), NB_STR("BY"),
                                      NB_STR("amt-b.example")};
    if (nb_office_create(f->s, &a, T0, &f->a) != NB_OK ||
        nb_office_create(f->s, &b, T0, &f->b) != NB_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    nb_store_close(&f->s);
    tmpdb_remove(&f->db);
    free(f);
    return 0;
}

static const char firefox_ua[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0";

/* Creates a session of account acc in office at time at; cookie gets its value. */
static void login(struct fix *f, int64_t office, int64_t acc, int64_t at,
                  char cookie[NB_SESSION_COOKIE_SIZE], struct nb_session *se)
{
    assert_int_equal(nb_session_create(f->s, office, acc, at, NB_STR("192.0.2.7"),
                                       NB_STR(firefox_ua), cookie, se),
                     NB_OK);
    assert_int_equal(strlen(cookie), NB_SESSION_COOKIE_LEN);
}

static enum nb_err lookup(struct fix *f, int64_t office, const char *cookie, int64_t at,
                          struct nb_session *se)
{
    return nb_session_lookup(f->s, office, nb_str_c(cookie), at, se);
}

static long long raw_int(struct fix *f, const char *sql)
{
    sqlite3 *db = tmpdb_raw(&f->db);
    assert_non_null(db);
    long long v = tmpdb_int(db, sql);
    sqlite3_close(db);
    return v;
}

/* ---------------------------------------------------------------- sessions */

static void test_create_lookup(void **state)
{
    struct fix *f = *state;
    char cookie[NB_SESSION_COOKIE_SIZE];
    struct nb_session created, found;
    login(f, f->a, 7, T0, cookie, &created);
    assert_true(created.id > 0);
    for (size_t i = 0; i < NB_SESSION_COOKIE_LEN; i++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", cookie[i]));

    assert_int_equal(lookup(f, f->a, cookie, T0 + 10, &found), NB_OK);
    assert_int_equal(found.id, created.id);
    assert_int_equal(found.office_id, f->a);
    assert_int_equal(found.account_id, 7);
    assert_int_equal(found.created_at, T0);
    assert_int_equal(found.last_seen_at, T0); /* under a minute: not touched */
    assert_string_equal(found.client, "192.0.2.7");
    assert_string_equal(found.user_agent, "Firefox on Windows");
    assert_memory_equal(found.csrf_key, created.csrf_key, sizeof(found.csrf_key));
    nb_session_wipe(&found);
    assert_int_equal(found.account_id, 0);

    /* Bad input at creation. */
    assert_int_equal(
        nb_session_create(f->s, f->a, 0, T0, NB_STR("192.0.2.7"), NB_STR(""), cookie, NULL),
        NB_ERR_INPUT);
    assert_string_equal(cookie, "");
    assert_int_equal(
        nb_session_create(f->s, f->a, 7, T0, NB_STR("192.0.2.7<b>"), NB_STR(""), cookie, NULL),
        NB_ERR_INPUT);
    assert_int_equal(nb_session_create(f->s, f->a, 7, T0, NB_STR(""), NB_STR(""), cookie, NULL),
                     NB_ERR_INPUT);
    assert_int_equal(nb_session_create(f->s, f->a, 7, T0,
                                       NB_STR("0000:0000:0000:0000:0000:ffff:192.168.100.228"),
                                       NB_STR(""), cookie, &created),
                     NB_OK); /* 45 characters: the longest */
    assert_string_equal(created.user_agent, "other on other");
    assert_int_equal(nb_session_create(f->s, f->a, 7, T0,
                                       NB_STR("0000:0000:0000:0000:0000:ffff:192.168.100.2288"),
                                       NB_STR(""), cookie, NULL),
                     NB_ERR_INPUT);
    /* An office that does not exist is refused by the schema. */
    assert_int_not_equal(
        nb_session_create(f->s, 999, 7, T0, NB_STR("::1"), NB_STR(""), cookie, NULL), NB_OK);
}

static void test_malformed_cookies(void **state)
{
    struct fix *f = *state;
    char cookie[NB_SESSION_COOKIE_SIZE], v[64];
    struct nb_session se;
    login(f, f->a, 7, T0, cookie, NULL);
    assert_int_equal(lookup(f, f->a, "", T0, &se), NB_ERR_NOTFOUND);
    memcpy(v, cookie, NB_SESSION_COOKIE_LEN - 1);
    v[NB_SESSION_COOKIE_LEN - 1] = '\0';
    assert_int_equal(lookup(f, f->a, v, T0, &se), NB_ERR_NOTFOUND); /* one short */
    memcpy(v, cookie, NB_SESSION_COOKIE_LEN);
    v[NB_SESSION_COOKIE_LEN] = '=';
    v[NB_SESSION_COOKIE_LEN + 1] = '\0';
    assert_int_equal(lookup(f, f->a, v, T0, &se), NB_ERR_NOTFOUND); /* padded */
    memcpy(v, cookie, NB_SESSION_COOKIE_LEN + 1);
    v[5] = '+'; /* standard base64, not base64url */
    assert_int_equal(lookup(f, f->a, v, T0, &se), NB_ERR_NOTFOUND);
    memcpy(v, cookie, NB_SESSION_COOKIE_LEN + 1);
    v[0] = v[0] == 'A' ? 'B' : 'A'; /* well-formed, another id */
    assert_int_equal(lookup(f, f->a, v, T0, &se), NB_ERR_NOTFOUND);
    assert_int_equal(se.account_id, 0);
    /* The real one still works. */
    assert_int_equal(lookup(f, f->a, cookie, T0, &se), NB_OK);
}

static void test_stored_is_hash(void **state)
{
    struct fix *f = *state;
    char cookie[NB_SESSION_COOKIE_SIZE];
    login(f, f->a, 7, T0, cookie, NULL);

    unsigned char id[NB_SESSION_ID_BYTES], h[32];
    size_t len = 0;
    assert_int_equal(sodium_base642bin(id, sizeof(id), cookie, strlen(cookie), NULL, &len, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    assert_int_equal(len, sizeof(id));
    crypto_generichash(h, sizeof(h), id, sizeof(id), NULL, 0);
    char hash_hex[65], id_hex[65];
    sodium_bin2hex(hash_hex, sizeof(hash_hex), h, sizeof(h));
    sodium_bin2hex(id_hex, sizeof(id_hex), id, sizeof(id));

    sqlite3 *db = tmpdb_raw(&f->db);
    assert_non_null(db);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM sessions", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    bool hash_seen = false;
    for (int c = 0; c < sqlite3_column_count(st); c++) {
        const char *name = sqlite3_column_name(st, c);
        const char *val = (const char *)sqlite3_column_text(st, c);
        if (strcmp(name, "token_hash") == 0) {
            assert_string_equal(val, hash_hex);
            hash_seen = true;
        }
        /* Neither the cookie value nor the raw id is anywhere in the row. */
        if (val) {
            assert_null(strstr(val, cookie));
            assert_null(strstr(val, id_hex));
        }
    }
    assert_true(hash_seen);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_idle_expiry(void **state)
{
    struct fix *f = *state;
    char c1[NB_SESSION_COOKIE_SIZE], c2[NB_SESSION_COOKIE_SIZE], c3[NB_SESSION_COOKIE_SIZE];
    struct nb_session se;
    login(f, f->a, 7, T0, c1, NULL);
    login(f, f->a, 7, T0, c2, NULL);
    login(f, f->a, 7, T0, c3, NULL);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM sessions"), 3);

    assert_int_equal(lookup(f, f->a, c1, T0 + 29 * MIN + 59, &se), NB_OK);
    assert_int_equal(se.last_seen_at, T0 + 29 * MIN + 59);
    assert_int_equal(lookup(f, f->a, c2, T0 + 30 * MIN, &se), NB_ERR_NOTFOUND);
    assert_int_equal(lookup(f, f->a, c3, T0 + 30 * MIN + 1, &se), NB_ERR_NOTFOUND);
    /* The expired ones were deleted, not just refused. */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(lookup(f, f->a, c2, T0, &se), NB_ERR_NOTFOUND);

    /* Activity keeps c1 alive past 30 minutes from its creation. */
    assert_int_equal(lookup(f, f->a, c1, T0 + 59 * MIN, &se), NB_OK);
    assert_int_equal(lookup(f, f->a, c1, T0 + 59 * MIN + 30 * MIN, &se), NB_ERR_NOTFOUND);
}

static void test_touch_once_a_minute(void **state)
{
    struct fix *f = *state;
    char c[NB_SESSION_COOKIE_SIZE];
    struct nb_session se;
    login(f, f->a, 7, T0, c, NULL);
    assert_int_equal(lookup(f, f->a, c, T0 + 59, &se), NB_OK);
    assert_int_equal(se.last_seen_at, T0);
    assert_int_equal(raw_int(f, "SELECT last_seen_at FROM sessions"), T0);
    assert_int_equal(lookup(f, f->a, c, T0 + 60, &se), NB_OK);
    assert_int_equal(se.last_seen_at, T0 + 60);
    assert_int_equal(raw_int(f, "SELECT last_seen_at FROM sessions"), T0 + 60);
    assert_int_equal(lookup(f, f->a, c, T0 + 119, &se), NB_OK);
    assert_int_equal(raw_int(f, "SELECT last_seen_at FROM sessions"), T0 + 60);
    /* A clock that stepped back does not move it back. */
    assert_int_equal(lookup(f, f->a, c, T0 + 30, &se), NB_OK);
    assert_int_equal(raw_int(f, "SELECT last_seen_at FROM sessions"), T0 + 60);
}

static void test_absolute_expiry(void **state)
{
    struct fix *f = *state;
    char c1[NB_SESSION_COOKIE_SIZE], c2[NB_SESSION_COOKIE_SIZE];
    struct nb_session se;
    login(f, f->a, 7, T0, c1, NULL);
    login(f, f->a, 7, T0, c2, NULL);
    /* Active every 20 minutes for 12 hours. */
    for (int64_t t = T0 + 20 * MIN; t < T0 + 12 * HOUR; t += 20 * MIN) {
        assert_int_equal(lookup(f, f->a, c1, t, &se), NB_OK);
        assert_int_equal(lookup(f, f->a, c2, t, &se), NB_OK);
    }
    assert_int_equal(lookup(f, f->a, c1, T0 + 12 * HOUR - 1, &se), NB_OK);
    assert_int_equal(lookup(f, f->a, c2, T0 + 12 * HOUR, &se), NB_ERR_NOTFOUND);
    assert_int_equal(lookup(f, f->a, c1, T0 + 12 * HOUR + 1, &se), NB_ERR_NOTFOUND);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM sessions"), 0);
}

static void test_logout_replay(void **state)
{
    struct fix *f = *state;
    char c[NB_SESSION_COOKIE_SIZE], other[NB_SESSION_COOKIE_SIZE];
    struct nb_session se;
    login(f, f->a, 7, T0, c, NULL);
    login(f, f->a, 7, T0, other, NULL);
    assert_int_equal(nb_session_end(f->s, f->a, nb_str_c(c)), NB_OK);
    assert_int_equal(lookup(f, f->a, c, T0 + 1, &se), NB_ERR_NOTFOUND);
    assert_int_equal(nb_session_end(f->s, f->a, nb_str_c(c)), NB_ERR_NOTFOUND);
    assert_int_equal(nb_session_end(f->s, f->a, NB_STR("")), NB_ERR_NOTFOUND);
    /* The other session of the same account is untouched. */
    assert_int_equal(lookup(f, f->a, other, T0 + 1, &se), NB_OK);
}

static void test_end_all(void **state)
{
    struct fix *f = *state;
    char a7x[NB_SESSION_COOKIE_SIZE], a7y[NB_SESSION_COOKIE_SIZE], a8[NB_SESSION_COOKIE_SIZE],
        b7[NB_SESSION_COOKIE_SIZE];
    struct nb_session se;
    int n = -1;
    login(f, f->a, 7, T0, a7x, NULL);
    login(f, f->a, 7, T0, a7y, NULL);
    login(f, f->a, 8, T0, a8, NULL);
    login(f, f->b, 7, T0, b7, NULL); /* account ids are per office in the test only */

    assert_int_equal(nb_session_end_all_of_account(f->s, f->a, 7, &n), NB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(lookup(f, f->a, a7x, T0 + 1, &se), NB_ERR_NOTFOUND);
    assert_int_equal(lookup(f, f->a, a7y, T0 + 1, &se), NB_ERR_NOTFOUND);
    assert_int_equal(lookup(f, f->a, a8, T0 + 1, &se), NB_OK);
    assert_int_equal(lookup(f, f->b, b7, T0 + 1, &se), NB_OK);

    assert_int_equal(nb_session_end_all_of_office(f->s, f->a, &n), NB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lookup(f, f->a, a8, T0 + 2, &se), NB_ERR_NOTFOUND);
    assert_int_equal(lookup(f, f->b, b7, T0 + 2, &se), NB_OK); /* the other office stays */
    assert_int_equal(nb_session_end_all_of_office(f->s, f->a, &n), NB_OK);
    assert_int_equal(n, 0);
}

static void test_new_id_each_login(void **state)
{
    struct fix *f = *state;
    char c[8][NB_SESSION_COOKIE_SIZE];
    struct nb_session se[8];
    for (int i = 0; i < 8; i++)
        login(f, f->a, 7, T0 + i, c[i], &se[i]);
    for (int i = 0; i < 8; i++) {
        for (int j = i + 1; j < 8; j++) {
            assert_string_not_equal(c[i], c[j]);
            assert_int_not_equal(se[i].id, se[j].id);
            assert_true(memcmp(se[i].csrf_key, se[j].csrf_key, sizeof(se[i].csrf_key)) != 0);
        }
    }
    assert_int_equal(raw_int(f, "SELECT count(DISTINCT token_hash) FROM sessions"), 8);
}

static void test_office_isolation(void **state)
{
    struct fix *f = *state;
    char c[NB_SESSION_COOKIE_SIZE];
    struct nb_session se;
    json_t *list = NULL;
    login(f, f->a, 7, T0, c, &se);
    int64_t id = se.id;
    assert_int_equal(lookup(f, f->b, c, T0 + 1, &se), NB_ERR_NOTFOUND);
    assert_int_equal(nb_session_end(f->s, f->b, nb_str_c(c)), NB_ERR_NOTFOUND);
    assert_int_equal(nb_session_end_one(f->s, f->b, 7, id), NB_ERR_NOTFOUND);
    int n = -1;
    assert_int_equal(nb_session_end_all_of_account(f->s, f->b, 7, &n), NB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(nb_session_end_all_of_office(f->s, f->b, &n), NB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(nb_session_list(f->s, f->b, 7, T0 + 1, &list), NB_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    /* Even an expired-looking lookup from office B must not delete A's session. */
    assert_int_equal(lookup(f, f->b, c, T0 + 13 * HOUR, &se), NB_ERR_NOTFOUND);
    assert_int_equal(lookup(f, f->a, c, T0 + 2, &se), NB_OK);
    assert_int_equal(se.office_id, f->a);
}

static void test_list_and_end_one(void **state)
{
    struct fix *f = *state;
    char c1[NB_SESSION_COOKIE_SIZE], c2[NB_SESSION_COOKIE_SIZE], c3[NB_SESSION_COOKIE_SIZE],
        old[NB_SESSION_COOKIE_SIZE];
    struct nb_session s1, s2, s3, se;
    json_t *list = NULL;
    login(f, f->a, 7, T0 - HOUR, old, NULL); /* idle for an hour at T0 */
    login(f, f->a, 7, T0, c1, &s1);
    login(f, f->a, 7, T0 + 5, c2, &s2);
    login(f, f->a, 8, T0, c3, &s3);
    assert_int_equal(nb_session_list(f->s, f->a, 7, T0 + 10, &list), NB_OK);
    assert_int_equal(json_array_size(list), 2);
    json_t *first = json_array_get(list, 0);
    assert_int_equal(json_integer_value(json_object_get(first, "id")), s2.id);
    assert_string_equal(json_string_value(json_object_get(first, "user_agent")),
                        "Firefox on Windows");
    assert_string_equal(json_string_value(json_object_get(first, "client")), "192.0.2.7");
    assert_null(json_object_get(first, "csrf_key"));
    assert_null(json_object_get(first, "token_hash"));
    json_decref(list);

    /* A user cannot end another account's session by its id. */
    assert_int_equal(nb_session_end_one(f->s, f->a, 7, s3.id), NB_ERR_NOTFOUND);
    assert_int_equal(lookup(f, f->a, c3, T0 + 11, &se), NB_OK);
    assert_int_equal(nb_session_end_one(f->s, f->a, 7, s1.id), NB_OK);
    assert_int_equal(lookup(f, f->a, c1, T0 + 11, &se), NB_ERR_NOTFOUND);
    assert_int_equal(lookup(f, f->a, c2, T0 + 11, &se), NB_OK);

    /* Housekeeping removes the expired one only. */
    int n = -1;
    assert_int_equal(raw_int(f, "SELECT count(*) FROM sessions"), 3);
    assert_int_equal(nb_session_purge(f->s, T0 + 12, &n), NB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM sessions"), 2);
}

static void test_ua_summary(void **state)
{
    (void)state;
    static const struct {
        const char *ua, *want;
    } cases[] = {
        {firefox_ua, "Firefox on Windows"},
        {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36",
         "Chrome on Linux"},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
         "Edge on Windows"},
        {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
         "Safari on iOS"},
        {"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0 Mobile Safari/537.36",
         "Chrome on Android"},
        {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like "
         "Gecko) Version/17.1 Safari/605.1.15",
         "Safari on macOS"},
        {"curl/8.4.0", "other on other"},
        {"", "other on other"},
    };
    char out[NB_SESSION_UA_MAX + 1];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        nb_session_ua_summary(nb_str_c(cases[i].ua), out);
        assert_string_equal(out, cases[i].want);
    }
}

/* ---------------------------------------------------------------- cookie */

static void test_cookie_header(void **state)
{
    (void)state;
    char out[NB_SESSION_SET_COOKIE_SIZE];
    const char *v = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde"; /* 43 */
    assert_int_equal(strlen(v), NB_SESSION_COOKIE_LEN);

    assert_int_equal(
        nb_session_cookie_header(out, sizeof(out), v, true, NB_SESSION_ABSOLUTE_SECONDS), NB_OK);
    assert_string_equal(out, "__Host-nb_session=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde; "
                             "Path=/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure");
    assert_null(strstr(out, "Domain"));

    assert_int_equal(nb_session_cookie_header(out, sizeof(out), v, false, 0), NB_OK);
    assert_string_equal(out, "nb_session=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde; "
                             "Path=/; HttpOnly; SameSite=Strict");
    assert_null(strstr(out, "Secure"));

    /* The clearing form for logout. */
    assert_int_equal(nb_session_cookie_header(out, sizeof(out), NULL, true, 0), NB_OK);
    assert_string_equal(out, "__Host-nb_session=; Path=/; Max-Age=0; HttpOnly; "
                             "SameSite=Strict; Secure");
    assert_int_equal(nb_session_cookie_header(out, sizeof(out), NULL, false, 0), NB_OK);
    assert_string_equal(out, "nb_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");

    assert_string_equal(nb_session_cookie_name(true), "__Host-nb_session");
    assert_string_equal(nb_session_cookie_name(false), "nb_session");

    /* Refusals: header injection, values we never issue, a negative age, a short buffer. */
    assert_int_equal(nb_session_cookie_header(out, sizeof(out), "abc; Domain=evil", false, 0),
                     NB_ERR_INPUT);
    assert_string_equal(out, "");
    assert_int_equal(nb_session_cookie_header(out, sizeof(out), "abc\r\nX: y", false, 0),
                     NB_ERR_INPUT);
    assert_int_equal(nb_session_cookie_header(out, sizeof(out), "", false, 0), NB_ERR_INPUT);
    assert_int_equal(nb_session_cookie_header(out, sizeof(out),
                                              "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdef", false,
                                              0),
                     NB_ERR_INPUT); /* 44 */
    assert_int_equal(nb_session_cookie_header(out, sizeof(out), v, false, -1), NB_ERR_INPUT);
    assert_int_equal(nb_session_cookie_header(out, 20, v, false, 0), NB_ERR_LIMIT);
    assert_string_equal(out, "");
    /* A real cookie value from a login fits. */
    char real[NB_SESSION_COOKIE_SIZE];
    unsigned char id[NB_SESSION_ID_BYTES];
    randombytes_buf(id, sizeof(id));
    sodium_bin2base64(real, sizeof(real), id, sizeof(id), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    assert_int_equal(nb_session_cookie_header(out, sizeof(out), real, true, INT32_MAX), NB_OK);
}

/* ---------------------------------------------------------------- CSRF */

static void test_csrf(void **state)
{
    struct fix *f = *state;
    char c1[NB_SESSION_COOKIE_SIZE], c2[NB_SESSION_COOKIE_SIZE];
    struct nb_session s1, s2, s1_loaded;
    login(f, f->a, 7, T0, c1, &s1);
    login(f, f->a, 7, T0, c2, &s2);
    assert_int_equal(lookup(f, f->a, c1, T0 + 1, &s1_loaded), NB_OK);

    const struct nb_str action = NB_STR("/staff/notices/wasser/publish");
    char tok[NB_CSRF_TOKEN_SIZE], tok2[NB_CSRF_TOKEN_SIZE];
    nb_csrf_token(&s1, action, tok);
    assert_int_equal(strlen(tok), NB_CSRF_TOKEN_LEN);
    /* Stable for the session (the loaded copy derives the same) and accepted. */
    nb_csrf_token(&s1_loaded, action, tok2);
    assert_string_equal(tok, tok2);
    assert_true(nb_csrf_check(&s1, action, nb_str_c(tok)));
    assert_true(nb_csrf_check(&s1_loaded, action, nb_str_c(tok)));

    /* Another form, another session. */
    assert_false(nb_csrf_check(&s1, NB_STR("/staff/notices/wasser/archive"), nb_str_c(tok)));
    assert_false(nb_csrf_check(&s1, NB_STR("/staff/notices/wasser/publis"), nb_str_c(tok)));
    assert_false(nb_csrf_check(&s2, action, nb_str_c(tok)));
    nb_csrf_token(&s2, action, tok2);
    assert_string_not_equal(tok, tok2);

    /* Tampered in any one position, shortened, lengthened, empty. */
    char t[NB_CSRF_TOKEN_SIZE + 1];
    for (size_t i = 0; i < NB_CSRF_TOKEN_LEN; i++) {
        memcpy(t, tok, NB_CSRF_TOKEN_SIZE);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        assert_false(nb_csrf_check(&s1, action, nb_str_c(t)));
    }
    assert_false(nb_csrf_check(&s1, action, (struct nb_str){tok, NB_CSRF_TOKEN_LEN - 1}));
    memcpy(t, tok, NB_CSRF_TOKEN_LEN);
    t[NB_CSRF_TOKEN_LEN] = 'A';
    t[NB_CSRF_TOKEN_LEN + 1] = '\0';
    assert_false(nb_csrf_check(&s1, action, nb_str_c(t)));
    assert_false(nb_csrf_check(&s1, action, NB_STR("")));
    assert_false(nb_csrf_check(&s1, action, (struct nb_str){NULL, 0}));

    /* After logout the session (and so its secret) is gone for good. */
    assert_int_equal(nb_session_end(f->s, f->a, nb_str_c(c1)), NB_OK);
    assert_int_equal(lookup(f, f->a, c1, T0 + 2, &s1_loaded), NB_ERR_NOTFOUND);
}

/* ---------------------------------------------------------------- origin */

static void test_origin(void **state)
{
    (void)state;
    const struct nb_str host = NB_STR("amt-a.example");
    /* Same origin, with and without a default port, any case. */
    assert_true(nb_origin_ok(NB_STR("https://amt-a.example"), host, true));
    assert_true(nb_origin_ok(NB_STR("https://AMT-A.example"), host, true));
    assert_true(nb_origin_ok(NB_STR("https://amt-a.example:443"), host, true));
    assert_true(nb_origin_ok(NB_STR("https://amt-a.example"), NB_STR("amt-a.example:443"), true));
    assert_true(nb_origin_ok(NB_STR("http://amt-a.example"), host, false));
    assert_true(nb_origin_ok(NB_STR("http://127.0.0.1:8080"), NB_STR("127.0.0.1:8080"), false));
    assert_true(nb_origin_ok(NB_STR("http://[::1]:8080"), NB_STR("[::1]:8080"), false));
    /* Another host, port or scheme. */
    assert_false(nb_origin_ok(NB_STR("https://evil.example"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://amt-a.example.evil.example"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://amt-b.example"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://amt-a.example:8443"), host, true));
    assert_false(nb_origin_ok(NB_STR("http://127.0.0.1:8081"), NB_STR("127.0.0.1:8080"), false));
    assert_false(nb_origin_ok(NB_STR("http://127.0.0.1"), NB_STR("127.0.0.1:8080"), false));
    assert_false(nb_origin_ok(NB_STR("http://amt-a.example"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://amt-a.example"), host, false));
    assert_false(nb_origin_ok(NB_STR("ftp://amt-a.example"), host, false));
    /* "null", empty, and malformed ones. */
    assert_false(nb_origin_ok(NB_STR("null"), host, true));
    assert_false(nb_origin_ok(NB_STR(""), host, true));
    assert_false(nb_origin_ok(NB_STR("https://"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://amt-a.example/"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://user@amt-a.example"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://amt-a.example:"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://amt-a.example:99999"), host, true));
    assert_false(nb_origin_ok(NB_STR("https://amt-a.example"), NB_STR(""), true));
    assert_false(nb_origin_ok(NB_STR("https://amt-a.example"), NB_STR("amt-a.example/x"), true));

    /* Origin present: it decides, whatever the Referer says. */
    assert_true(nb_origin_request_ok(NB_STR("https://amt-a.example"),
                                     NB_STR("https://evil.example/"), host, true));
    assert_false(nb_origin_request_ok(NB_STR("https://evil.example"),
                                      NB_STR("https://amt-a.example/staff/"), host, true));
    assert_false(
        nb_origin_request_ok(NB_STR("null"), NB_STR("https://amt-a.example/staff/"), host, true));
    /* Origin absent: a same-origin Referer is enough. */
    assert_true(nb_origin_request_ok(NB_STR(""), NB_STR("https://amt-a.example/staff/notices"),
                                     host, true));
    assert_true(nb_origin_request_ok(NB_STR(""), NB_STR("https://amt-a.example"), host, true));
    assert_true(nb_origin_request_ok(NB_STR(""), NB_STR("https://amt-a.example?x=1"), host, true));
    assert_false(
        nb_origin_request_ok(NB_STR(""), NB_STR("https://evil.example/amt-a.example"), host, true));
    assert_false(nb_origin_request_ok(NB_STR(""), NB_STR("https://amt-a.example.evil.example/"),
                                      host, true));
    assert_false(nb_origin_request_ok(NB_STR(""), NB_STR("https://amt-a.example@evil.example/"),
                                      host, true));
    assert_false(
        nb_origin_request_ok(NB_STR(""), NB_STR("http://amt-a.example/staff/"), host, true));
    assert_false(
        nb_origin_request_ok(NB_STR(""), NB_STR("https://amt-a.example:444/"), host, true));
    /* Both absent: refused. */
    assert_false(nb_origin_request_ok(NB_STR(""), NB_STR(""), host, true));
    assert_false(
        nb_origin_request_ok((struct nb_str){NULL, 0}, (struct nb_str){NULL, 0}, host, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_cookies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stored_is_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_touch_once_a_minute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_absolute_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logout_replay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_id_each_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_office_isolation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_and_end_one, setup, teardown),
        cmocka_unit_test(test_ua_summary),
        cmocka_unit_test(test_cookie_header),
        cmocka_unit_test_setup_teardown(test_csrf, setup, teardown),
        cmocka_unit_test(test_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
