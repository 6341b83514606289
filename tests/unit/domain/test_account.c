/* Unit tests for domain/account and domain/throttle: password rules at each limit, setup
 * links (24 h, single use), TOTP with liboath computing the codes as an app would (window,
 * replay), recovery codes, reset and disable, throttle delays, and isolation of offices. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <liboath/oath.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "domain/account.h"
#include "domain/office.h"
#include "domain/throttle.h"
#include "store/store.h"
#include "../tmpdb.h"

#define T0 1700000010 /* a multiple of 30: the start of a TOTP step */

struct fix {
    struct tmpdb db;
    struct nb_store *s;
    int64_t a, b; /* two offices */
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));
    if (!f || tmpdb_make(&f->db) != 0 || nb_store_open(f->db.path, &f->s) != NB_OK ||
        oath_init() != OATH_OK)
        return -1;
    const struct nb_store_office a = {
        NB_STR("moorwiesen"), NB_STR("Amt Moorwiesen"), NB_STR("MV"), {NULL, 0}};
    const struct nb_store_office b = {
        NB_STR("heidekrug"), NB_STR("Amt Heidekrug"), NB_STR("MV"), {NULL, 0}};
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

/* n copies of the UTF-8 character ch, in a static buffer. */
static struct nb_str repeat(const char *ch, size_t n)
{
    static char buf[1024];
    size_t len = strlen(ch), used = 0;
    for (size_t i = 0; i < n && used + len < sizeof(buf); i++, used += len)
        memcpy(buf + used, ch, len);
    buf[used] = '\0';
    return (struct nb_str){buf, used};
}

static enum nb_password_verdict pw(const char *p)
{
    return nb_account_password_check(nb_str_c(p), NB_STR("Amt Moorwiesen"), NB_STR("moorwiesen"));
}

static void test_password_rules(void **state)
{
    (void)state;
    /* Code points, not bytes: umlauts count once. */
    assert_int_equal(pw("Grüße-aus-K"), NB_PASSWORD_SHORT); /* 11 */
    assert_int_equal(pw("Grüße-aus-Kö"), NB_PASSWORD_OK);   /* 12 */
    assert_int_equal(nb_account_password_check(repeat("ä", 11), NB_STR(""), NB_STR("")),
                     NB_PASSWORD_SHORT);
    assert_int_equal(nb_account_password_check(repeat("ä", 12), NB_STR(""), NB_STR("")),
                     NB_PASSWORD_OK);
    assert_int_equal(nb_account_password_check(repeat("ä", 128), NB_STR(""), NB_STR("")),
                     NB_PASSWORD_OK);
    assert_int_equal(nb_account_password_check(repeat("ä", 129), NB_STR(""), NB_STR("")),
                     NB_PASSWORD_LONG);
    assert_int_equal(nb_account_password_check(repeat("x", 128), NB_STR(""), NB_STR("")),
                     NB_PASSWORD_OK);
    assert_int_equal(nb_account_password_check(repeat("x", 129), NB_STR(""), NB_STR("")),
                     NB_PASSWORD_LONG);
    /* No composition rules: a long lower-case phrase is fine. */
    assert_int_equal(pw("pferd batterie heftklammer"), NB_PASSWORD_OK);
    /* Common passwords, in any case, also with umlauts. */
    assert_int_equal(pw("passwort123456"), NB_PASSWORD_COMMON);
    assert_int_equal(pw("Passwort123456"), NB_PASSWORD_COMMON);
    assert_int_equal(pw("123456789012"), NB_PASSWORD_COMMON);
    assert_int_equal(pw("password1234"), NB_PASSWORD_COMMON);
    assert_int_equal(pw("QWERTZUIOPÜ+"), NB_PASSWORD_COMMON);
    assert_int_equal(pw("Frühling2024!"), NB_PASSWORD_COMMON);
    assert_int_equal(pw("FRÜHLING2024!"), NB_PASSWORD_COMMON);
    assert_int_equal(pw("Frühling2024!x"), NB_PASSWORD_OK); /* not the same */
    /* The office's own name, slug or a long word of them. */
    assert_int_equal(pw("Amt Moorwiesen 2024"), NB_PASSWORD_OFFICE);
    assert_int_equal(pw("ichliebeMOORWIESEN"), NB_PASSWORD_OFFICE);
    assert_int_equal(nb_account_password_check(NB_STR("zugang-heidekrug!"), NB_STR("Amt Heidekrug"),
                                               NB_STR("heidekrug")),
                     NB_PASSWORD_OFFICE);
    assert_int_equal(nb_account_password_check(NB_STR("zugang-heidekrug!"),
                                               NB_STR("Amt Moorwiesen"), NB_STR("moorwiesen")),
                     NB_PASSWORD_OK);
    /* Not text. */
    assert_int_equal(pw("abcdefghijk\x01mn"), NB_PASSWORD_INVALID);
    assert_int_equal(pw("abcdefghijkl\nmn"), NB_PASSWORD_INVALID);
    assert_int_equal(pw("abcdefghijk\xc3\x28mn"), NB_PASSWORD_INVALID);
}

static void test_roles_and_names(void **state)
{
    struct fix *f = *state;
    enum nb_account_role r;
    assert_int_equal(nb_account_role_parse(NB_STR("dpo"), &r), NB_OK);
    assert_int_equal(r, NB_ROLE_DPO);
    assert_int_equal(nb_account_role_parse(NB_STR("root"), &r), NB_ERR_INPUT);
    assert_string_equal(nb_account_role_name(NB_ROLE_CASEWORKER), "caseworker");

    struct nb_account_link l;
    assert_int_equal(nb_account_create(f->s, f->a, NB_STR("M.Mueller"), NB_ROLE_EDITOR, T0, &l),
                     NB_OK);
    assert_int_equal(strlen(l.token), NB_ACCOUNT_TOKEN_LEN);
    /* Names are lowered; the same name again is taken, in another office it is free. */
    assert_int_equal(nb_account_create(f->s, f->a, NB_STR("m.mueller"), NB_ROLE_DPO, T0, &l),
                     NB_ERR_CONFLICT);
    assert_int_equal(nb_account_create(f->s, f->b, NB_STR("m.mueller"), NB_ROLE_DPO, T0, &l),
                     NB_OK);
    assert_int_equal(nb_account_create(f->s, f->a, NB_STR(".x"), NB_ROLE_DPO, T0, &l),
                     NB_ERR_INPUT);
    assert_int_equal(nb_account_create(f->s, f->a, NB_STR("a b"), NB_ROLE_DPO, T0, &l),
                     NB_ERR_INPUT);
    assert_int_equal(
        nb_account_create(f->s, f->a, repeat("n", NB_ACCOUNT_NAME_MAX), NB_ROLE_DPO, T0, &l),
        NB_OK);
    assert_int_equal(
        nb_account_create(f->s, f->a, repeat("n", NB_ACCOUNT_NAME_MAX + 1), NB_ROLE_DPO, T0, &l),
        NB_ERR_LIMIT);
    assert_int_equal(nb_account_create(f->s, 9999, NB_STR("x"), NB_ROLE_DPO, T0, &l),
                     NB_ERR_NOTFOUND);

    json_t *acc = NULL;
    assert_int_equal(nb_account_find(f->s, f->a, NB_STR("m.mueller"), &acc), NB_OK);
    assert_string_equal(json_string_value(json_object_get(acc, "role")), "editor");
    assert_string_equal(json_string_value(json_object_get(acc, "state")), "setup");
    assert_null(json_object_get(acc, "password_hash"));
    assert_null(json_object_get(acc, "totp_secret"));
    json_decref(acc);
    assert_int_equal(nb_account_set_role(f->s, f->a, NB_STR("m.mueller"), NB_ROLE_ADMIN, T0 + 1),
                     NB_OK);
    assert_int_equal(nb_account_find(f->s, f->a, NB_STR("M.MUELLER"), &acc), NB_OK);
    assert_string_equal(json_string_value(json_object_get(acc, "role")), "admin");
    json_decref(acc);
    /* The other office's account kept its role. */
    assert_int_equal(nb_account_find(f->s, f->b, NB_STR("m.mueller"), &acc), NB_OK);
    assert_string_equal(json_string_value(json_object_get(acc, "role")), "dpo");
    json_decref(acc);
    assert_int_equal(nb_account_find(f->s, f->b, NB_STR("nobody"), &acc), NB_ERR_NOTFOUND);
    assert_null(acc);
    /* By id, as a session names it: only in its own office. */
    assert_int_equal(nb_account_find(f->s, f->a, NB_STR("m.mueller"), &acc), NB_OK);
    int64_t id = json_integer_value(json_object_get(acc, "id"));
    json_decref(acc);
    assert_int_equal(nb_account_get(f->s, f->a, id, &acc), NB_OK);
    assert_string_equal(json_string_value(json_object_get(acc, "name")), "m.mueller");
    assert_null(json_object_get(acc, "password_hash"));
    json_decref(acc);
    assert_int_equal(nb_account_get(f->s, f->b, id, &acc), NB_ERR_NOTFOUND);
    assert_null(acc);

    /* Resolving a name across the instance. */
    int64_t office = 0, n = 0;
    assert_int_equal(nb_account_office_of(f->s, NB_STR("m.mueller"), &office), NB_ERR_CONFLICT);
    assert_int_equal(nb_account_office_of(f->s, repeat("n", NB_ACCOUNT_NAME_MAX), &office), NB_OK);
    assert_int_equal(office, f->a);
    assert_int_equal(nb_account_office_of(f->s, NB_STR("nobody"), &office), NB_ERR_NOTFOUND);
    assert_int_equal(nb_account_count(f->s, &n), NB_OK);
    assert_int_equal(n, 3);
}

/* The 6-digit code of secret at t, as an authenticator app computes it. */
static void code_at(const unsigned char *secret, int64_t t, char out[7])
{
    assert_int_equal(
        oath_totp_generate((const char *)secret, NB_TOTP_SECRET_BYTES, (time_t)t, 30, 0, 6, out),
        OATH_OK);
}

/* A code that is certainly not the right one for t. */
static void wrong_at(const unsigned char *secret, int64_t t, char out[7])
{
    code_at(secret, t, out);
    out[5] = (char)('0' + (out[5] - '0' + 1) % 10);
}

/* Creates name in office and completes its setup at T0 with password; returns the secret and
 * recovery codes. */
static void make_active(struct fix *f, int64_t office, const char *name, const char *password,
                        unsigned char secret[NB_TOTP_SECRET_BYTES], struct nb_account_recovery *rc)
{
    struct nb_account_link l;
    struct nb_account_enrol e;
    char code[7];
    assert_int_equal(nb_account_create(f->s, office, nb_str_c(name), NB_ROLE_CASEWORKER, T0, &l),
                     NB_OK);
    assert_int_equal(nb_account_setup_start(f->s, office, nb_str_c(l.token), T0, &e), NB_OK);
    memcpy(secret, e.secret, NB_TOTP_SECRET_BYTES);
    code_at(e.secret, T0, code);
    assert_int_equal(nb_account_setup_finish(f->s, office, nb_str_c(l.token), nb_str_c(password),
                                             nb_str_c(code), T0, NULL, rc),
                     NB_OK);
}

static void test_setup_link(void **state)
{
    struct fix *f = *state;
    struct nb_account_link l;
    struct nb_account_enrol e, e2;
    struct nb_account_recovery rc;
    char code[7];
    assert_int_equal(nb_account_create(f->s, f->a, NB_STR("k.schmidt"), NB_ROLE_DPO, T0, &l),
                     NB_OK);
    assert_int_equal(l.expires_at, T0 + 24 * 3600);
    struct nb_str tok = nb_str_c(l.token);
    /* Valid until 24 hours have passed, not a second longer. */
    assert_int_equal(nb_account_setup_start(f->s, f->a, tok, T0 + 24 * 3600, &e), NB_ERR_NOTFOUND);
    assert_int_equal(nb_account_setup_start(f->s, f->a, tok, T0 + 24 * 3600 - 1, &e), NB_OK);
    assert_string_equal(e.name, "k.schmidt");
    assert_int_equal(strlen(e.base32), 32);
    assert_non_null(strstr(e.uri, "otpauth://totp/Amt%20Moorwiesen:k.schmidt?secret="));
    assert_non_null(strstr(e.uri, e.base32));
    assert_non_null(strstr(e.uri, "&issuer=Amt%20Moorwiesen&algorithm=SHA1&digits=6&period=30"));
    /* Opening it again shows the same secret. */
    assert_int_equal(nb_account_setup_start(f->s, f->a, tok, T0 + 10, &e2), NB_OK);
    assert_memory_equal(e.secret, e2.secret, NB_TOTP_SECRET_BYTES);
    /* Another office does not know the link; a malformed token is no link. */
    assert_int_equal(nb_account_setup_start(f->s, f->b, tok, T0, &e2), NB_ERR_NOTFOUND);
    assert_int_equal(nb_account_setup_start(f->s, f->a, NB_STR("abc"), T0, &e2), NB_ERR_NOTFOUND);

    int64_t t = T0 + 3000;
    code_at(e.secret, t, code);
    /* A weak password or a wrong code leaves the link usable. */
    assert_int_equal(
        nb_account_setup_finish(f->s, f->a, tok, NB_STR("passwort123456"), nb_str_c(code), t, NULL, &rc),
        NB_ERR_INPUT);
    assert_int_equal(
        nb_account_setup_finish(f->s, f->a, tok, NB_STR("kurz"), nb_str_c(code), t, NULL, &rc),
        NB_ERR_INPUT);
    char wrong[7];
    wrong_at(e.secret, t, wrong);
    assert_int_equal(nb_account_setup_finish(f->s, f->a, tok, NB_STR("Regenbogen über Kühlung"),
                                             nb_str_c(wrong), t, NULL, &rc),
                     NB_ERR_DENIED);
    /* Expired: refused even with everything right. */
    char late[7];
    code_at(e.secret, T0 + 24 * 3600, late);
    assert_int_equal(nb_account_setup_finish(f->s, f->a, tok, NB_STR("Regenbogen über Kühlung"),
                                             nb_str_c(late), T0 + 24 * 3600, NULL, &rc),
                     NB_ERR_NOTFOUND);
    assert_int_equal(nb_account_setup_finish(f->s, f->a, tok, NB_STR("Regenbogen über Kühlung"),
                                             nb_str_c(code), t, NULL, &rc),
                     NB_OK);
    for (size_t i = 0; i < NB_ACCOUNT_RECOVERY_CODES; i++) {
        assert_int_equal(strlen(rc.codes[i]), NB_ACCOUNT_RECOVERY_LEN);
        assert_int_equal(rc.codes[i][4], '-');
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(rc.codes[i], rc.codes[j]);
    }
    /* Single use. */
    assert_int_equal(nb_account_setup_start(f->s, f->a, tok, t + 1, &e2), NB_ERR_NOTFOUND);
    assert_int_equal(nb_account_setup_finish(f->s, f->a, tok, NB_STR("Regenbogen über Kühlung"),
                                             nb_str_c(code), t + 1, NULL, &rc),
                     NB_ERR_NOTFOUND);
    json_t *acc = NULL;
    assert_int_equal(nb_account_find(f->s, f->a, NB_STR("k.schmidt"), &acc), NB_OK);
    assert_string_equal(json_string_value(json_object_get(acc, "state")), "active");
    assert_int_equal(json_integer_value(json_object_get(acc, "recovery_left")), 10);
    json_decref(acc);
    assert_int_equal(nb_account_check_password(f->s, f->a, NB_STR("k.schmidt"),
                                               NB_STR("Regenbogen über Kühlung")),
                     NB_OK);
    /* The code of the setup itself cannot be used again to log in. */
    assert_int_equal(nb_account_check_totp(f->s, f->a, NB_STR("k.schmidt"), nb_str_c(code), t),
                     NB_ERR_DENIED);
}

static void test_login_and_totp(void **state)
{
    struct fix *f = *state;
    unsigned char secret[NB_TOTP_SECRET_BYTES];
    struct nb_account_recovery rc;
    char code[7];
    make_active(f, f->a, "p.paulsen", "Kaffeemaschine im Flur", secret, &rc);
    struct nb_str name = NB_STR("p.paulsen");

    assert_int_equal(nb_account_check_password(f->s, f->a, name, NB_STR("Kaffeemaschine im Flur")),
                     NB_OK);
    assert_int_equal(nb_account_check_password(f->s, f->a, name, NB_STR("Kaffeemaschine im Flur!")),
                     NB_ERR_DENIED);
    assert_int_equal(
        nb_account_check_password(f->s, f->a, NB_STR("nobody"), NB_STR("Kaffeemaschine im Flur")),
        NB_ERR_DENIED);

    /* The current step: accepted once, then a replay. */
    int64_t t = T0 + 60;
    code_at(secret, t, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_OK);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_ERR_DENIED);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t + 20),
                     NB_ERR_DENIED);
    /* A wrong code, and no code at all. */
    t = T0 + 300;
    wrong_at(secret, t, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_ERR_DENIED);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, NB_STR(""), t), NB_ERR_DENIED);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, NB_STR("12345a"), t), NB_ERR_DENIED);
    /* One step behind and one ahead are accepted; two are not. */
    code_at(secret, t - 30, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_OK);
    t = T0 + 600;
    code_at(secret, t + 30, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_OK);
    t = T0 + 900;
    code_at(secret, t + 60, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_ERR_DENIED);
    code_at(secret, t - 60, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_ERR_DENIED);
    /* After a code of the next step, the current step's code is a replay too. */
    t = T0 + 1200;
    code_at(secret, t + 30, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_OK);
    code_at(secret, t, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_ERR_DENIED);

    /* Office isolation: the same credentials mean nothing at the other office. */
    t = T0 + 1500;
    code_at(secret, t, code);
    assert_int_equal(nb_account_check_password(f->s, f->b, name, NB_STR("Kaffeemaschine im Flur")),
                     NB_ERR_DENIED);
    assert_int_equal(nb_account_check_totp(f->s, f->b, name, nb_str_c(code), t), NB_ERR_DENIED);
    assert_int_equal(nb_account_use_recovery(f->s, f->b, name, nb_str_c(rc.codes[0]), t, NULL),
                     NB_ERR_DENIED);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), t), NB_OK);
}

static void test_recovery_codes(void **state)
{
    struct fix *f = *state;
    unsigned char secret[NB_TOTP_SECRET_BYTES];
    struct nb_account_recovery rc;
    make_active(f, f->a, "r.rose", "Laterne Laterne Sonne Mond", secret, &rc);
    struct nb_str name = NB_STR("r.rose");
    int64_t left = -1;
    assert_int_equal(nb_account_use_recovery(f->s, f->a, name, nb_str_c(rc.codes[0]), T0, &left),
                     NB_OK);
    assert_int_equal(left, 9);
    assert_int_equal(nb_account_use_recovery(f->s, f->a, name, nb_str_c(rc.codes[0]), T0, &left),
                     NB_ERR_DENIED);
    /* Typed in lower case without dashes. */
    char typed[32];
    size_t n = 0;
    for (const char *p = rc.codes[1]; *p; p++)
        if (*p != '-')
            typed[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    typed[n] = '\0';
    assert_int_equal(nb_account_use_recovery(f->s, f->a, name, nb_str_c(typed), T0, &left), NB_OK);
    assert_int_equal(left, 8);
    assert_int_equal(nb_account_use_recovery(f->s, f->a, name, nb_str_c(typed), T0, &left),
                     NB_ERR_DENIED);
    assert_int_equal(
        nb_account_use_recovery(f->s, f->a, name, NB_STR("AAAA-BBBB-CCCC-DDDD"), T0, &left),
        NB_ERR_DENIED);
    assert_int_equal(nb_account_use_recovery(f->s, f->a, name, NB_STR("x"), T0, &left),
                     NB_ERR_DENIED);
}

static void test_reset_and_disable(void **state)
{
    struct fix *f = *state;
    unsigned char secret[NB_TOTP_SECRET_BYTES];
    struct nb_account_recovery rc;
    char code[7];
    make_active(f, f->a, "d.dorn", "Gießkanne im Garten", secret, &rc);
    struct nb_str name = NB_STR("d.dorn");

    assert_int_equal(nb_account_disable(f->s, f->a, name, T0 + 10), NB_OK);
    assert_int_equal(nb_account_check_password(f->s, f->a, name, NB_STR("Gießkanne im Garten")),
                     NB_ERR_DENIED);
    code_at(secret, T0 + 60, code);
    assert_int_equal(nb_account_check_totp(f->s, f->a, name, nb_str_c(code), T0 + 60),
                     NB_ERR_DENIED);
    assert_int_equal(nb_account_use_recovery(f->s, f->a, name, nb_str_c(rc.codes[0]), T0, NULL),
                     NB_ERR_DENIED);

    /* Reset: the old credentials stop at once, the new link brings the account back. */
    struct nb_account_link l;
    assert_int_equal(nb_account_reset(f->s, f->a, name, T0 + 100, &l), NB_OK);
    assert_int_equal(nb_account_reset(f->s, f->b, name, T0 + 100, &l), NB_ERR_NOTFOUND);
    assert_int_equal(nb_account_reset(f->s, f->a, name, T0 + 100, &l), NB_OK);
    json_t *acc = NULL;
    assert_int_equal(nb_account_find(f->s, f->a, name, &acc), NB_OK);
    assert_string_equal(json_string_value(json_object_get(acc, "state")), "setup");
    assert_int_equal(json_integer_value(json_object_get(acc, "recovery_left")), 0);
    json_decref(acc);
    assert_int_equal(nb_account_check_password(f->s, f->a, name, NB_STR("Gießkanne im Garten")),
                     NB_ERR_DENIED);
    struct nb_account_enrol e;
    assert_int_equal(nb_account_setup_start(f->s, f->a, nb_str_c(l.token), T0 + 200, &e), NB_OK);
    assert_memory_not_equal(e.secret, secret, NB_TOTP_SECRET_BYTES);
    code_at(e.secret, T0 + 200, code);
    struct nb_account_recovery rc2;
    assert_int_equal(nb_account_setup_finish(f->s, f->a, nb_str_c(l.token),
                                             NB_STR("Neue Gießkanne im Garten"), nb_str_c(code),
                                             T0 + 200, NULL, &rc2),
                     NB_OK);
    assert_int_equal(
        nb_account_check_password(f->s, f->a, name, NB_STR("Neue Gießkanne im Garten")), NB_OK);
    assert_int_equal(
        nb_account_use_recovery(f->s, f->a, name, nb_str_c(rc.codes[1]), T0 + 300, NULL),
        NB_ERR_DENIED);
    assert_int_equal(
        nb_account_use_recovery(f->s, f->a, name, nb_str_c(rc2.codes[1]), T0 + 300, NULL), NB_OK);
}

static void test_throttle(void **state)
{
    struct fix *f = *state;
    struct nb_str name = NB_STR("t.test"), addr = NB_STR("192.0.2.7");
    int64_t wait = -1, now = T0;
    assert_int_equal(nb_throttle_delay(4, 5), 0);
    assert_int_equal(nb_throttle_delay(5, 5), 1);
    assert_int_equal(nb_throttle_delay(6, 5), 2);
    assert_int_equal(nb_throttle_delay(14, 5), 512);
    assert_int_equal(nb_throttle_delay(15, 5), 900);
    assert_int_equal(nb_throttle_delay(1000, 5), 900);

    for (int i = 0; i < 4; i++)
        assert_int_equal(nb_throttle_fail(f->s, f->a, name, addr, now), NB_OK);
    assert_int_equal(nb_throttle_check(f->s, f->a, name, addr, now, &wait), NB_OK);
    assert_int_equal(wait, 0);
    int64_t expect[] = {1, 2, 4, 8, 16, 32};
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        assert_int_equal(nb_throttle_fail(f->s, f->a, name, addr, now), NB_OK);
        assert_int_equal(nb_throttle_check(f->s, f->a, name, addr, now, &wait), NB_OK);
        assert_int_equal(wait, expect[i]);
    }
    /* The wait runs down with time. */
    assert_int_equal(nb_throttle_check(f->s, f->a, name, addr, now + 30, &wait), NB_OK);
    assert_int_equal(wait, 2);
    assert_int_equal(nb_throttle_check(f->s, f->a, name, addr, now + 32, &wait), NB_OK);
    assert_int_equal(wait, 0);
    /* Never more than 15 minutes. */
    for (int i = 0; i < 40; i++)
        assert_int_equal(nb_throttle_fail(f->s, f->a, name, addr, now), NB_OK);
    assert_int_equal(nb_throttle_check(f->s, f->a, name, addr, now, &wait), NB_OK);
    assert_int_equal(wait, 900);
    assert_int_equal(nb_throttle_check(f->s, f->a, name, addr, now + 900, &wait), NB_OK);
    assert_int_equal(wait, 0);
    /* The address is throttled for every name after its own 20 failures. */
    assert_int_equal(nb_throttle_check(f->s, f->a, NB_STR("other"), addr, now, &wait), NB_OK);
    assert_int_equal(wait, 900);
    assert_int_equal(
        nb_throttle_check(f->s, f->a, NB_STR("other"), NB_STR("198.51.100.1"), now, &wait), NB_OK);
    assert_int_equal(wait, 0);
    /* Another office counts apart. */
    assert_int_equal(nb_throttle_check(f->s, f->b, name, addr, now, &wait), NB_OK);
    assert_int_equal(wait, 0);
    /* Success clears the account's counter. */
    assert_int_equal(nb_throttle_success(f->s, f->a, name), NB_OK);
    assert_int_equal(nb_throttle_check(f->s, f->a, name, NB_STR("198.51.100.1"), now, &wait),
                     NB_OK);
    assert_int_equal(wait, 0);
    /* A day later everything is forgotten: one failure does not delay. */
    now += 24 * 3600 + 1;
    assert_int_equal(nb_throttle_fail(f->s, f->a, NB_STR("x"), addr, now), NB_OK);
    assert_int_equal(nb_throttle_check(f->s, f->a, NB_STR("x"), addr, now, &wait), NB_OK);
    assert_int_equal(wait, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_rules),
        cmocka_unit_test_setup_teardown(test_roles_and_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_setup_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_and_totp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recovery_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_and_disable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
