/* Unit tests for the content modules of domain/: office, notice, press, service,
 * department, contact, hours_store, page and the field checks behind them.
 *
 * Every limit is tried on both sides (at the limit: accepted; one past: NB_ERR_LIMIT).
 * Publishing must append versions and keep the old ones. Two offices are created to show
 * that no function lets one office see or touch another's records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "domain/check.h"
#include "domain/contact.h"
#include "domain/department.h"
#include "domain/hours_store.h"
#include "domain/notice.h"
#include "domain/office.h"
#include "domain/page.h"
#include "domain/press.h"
#include "domain/service.h"
#include "domain/site.h"
#include "store/store.h"
#include "../tmpdb.h"

#define T0 1634275800 /* 2021-10-15 07:30 Europe/Berlin */

struct fix {
    struct tmpdb db;
    struct nb_store *s;
    int64_t office;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));
    if (!f || tmpdb_make(&f->db) != 0 || nb_store_open(f->db.path, &f->s) != NB_OK)
        return -1;
    const struct nb_store_office o = {NB_STR("amt-a"), NB_STR("Amt A"), NB_STR("MV"),
                                      NB_STR("amt-a.example")};
    if (nb_office_create(f->s, &o, T0, &f->office) != NB_OK)
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

/* A string of n bytes of c (freed by the caller). */
static char *filled(size_t n, char c)
{
    char *p = malloc(n + 1);
    assert_non_null(p);
    memset(p, c, n);
    p[n] = '\0';
    return p;
}

static struct nb_str view(const char *p, size_t n)
{
    return (struct nb_str){p, n};
}

/* ---------------------------------------------------------------- checks */

static void test_lang_tags(void **state)
{
    (void)state;
    const char *good[] = {"de",    "en",  "ar",         "de-x-ls",  "sr-latn",
                          "de-at", "gsw", "zh-hant-tw", "de-x-ls-2"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (nb_check_lang(nb_str_c(good[i])) != NB_OK)
            fail_msg("refused %s", good[i]);
    const char *bad[] = {"",     "d",     "DE",      "de-",  "-de",           "de--ls",
                         "de-x", "de_at", "deutsch", "de-ÿ", "de-toolongsub", "x-ls",
                         "1a",   "de-x-", "de at",   "de-u", "de-a-x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (nb_check_lang(nb_str_c(bad[i])) != NB_ERR_INPUT)
            fail_msg("accepted %s", bad[i]);
    /* NB_LANG_TAG_MAX (35) on both sides. */
    const char *at_max = "de-x-abcdefgh-abcdefgh-abcdefgh-abc";
    assert_int_equal(strlen(at_max), NB_LANG_TAG_MAX);
    assert_int_equal(nb_check_lang(nb_str_c(at_max)), NB_OK);
    assert_int_equal(nb_check_lang(nb_str_c("de-x-abcdefgh-abcdefgh-abcdefgh-abcd")), NB_ERR_LIMIT);
    assert_int_equal(nb_check_lang((struct nb_str){NULL, 0}), NB_ERR_INPUT);
}

static void test_text_checks(void **state)
{
    (void)state;
    assert_int_equal(nb_check_line(NB_STR("Bürgerbüro"), NB_TITLE_MAX, true), NB_OK);
    assert_int_equal(nb_check_line(NB_STR("zwei\nZeilen"), NB_TITLE_MAX, true), NB_ERR_INPUT);
    assert_int_equal(nb_check_line(NB_STR("tab\there"), NB_TITLE_MAX, true), NB_ERR_INPUT);
    assert_int_equal(nb_check_text(NB_STR("zwei\nZeilen\tund Tab"), 100, true), NB_OK);
    assert_int_equal(nb_check_text(NB_STR("bell\a"), 100, true), NB_ERR_INPUT);
    assert_int_equal(nb_check_text(NB_STR("del\x7f"), 100, true), NB_ERR_INPUT);
    assert_int_equal(nb_check_text(NB_STR("bad \xff utf-8"), 100, true), NB_ERR_INPUT);
    assert_int_equal(nb_check_text(NB_STR("overlong \xc0\xaf"), 100, true), NB_ERR_INPUT);
    assert_int_equal(nb_check_line(NB_STR("   "), 100, true), NB_ERR_INPUT);
    assert_int_equal(nb_check_line(NB_STR("   "), 100, false), NB_OK);
    assert_int_equal(nb_check_line((struct nb_str){NULL, 0}, 100, true), NB_ERR_INPUT);
    assert_int_equal(nb_check_line((struct nb_str){NULL, 0}, 100, false), NB_OK);
    /* Four bytes of UTF-8 are four bytes of the limit. */
    assert_int_equal(nb_check_line(NB_STR("äö"), 4, true), NB_OK);
    assert_int_equal(nb_check_line(NB_STR("äöü"), 5, true), NB_ERR_LIMIT);

    assert_int_equal(nb_check_email(NB_STR("info@amt-a.example"), true), NB_OK);
    assert_int_equal(nb_check_email(NB_STR("Vor.Name+x@Amt-A.Example"), true), NB_OK);
    const char *bad_mail[] = {"no-at",         "@amt.example", "a@",           "a@b",
                              "a@@b.example",  ".a@b.example", "a.@b.example", "a..b@c.example",
                              "a b@c.example", "a@-b.example", "a@b..example"};
    for (size_t i = 0; i < sizeof(bad_mail) / sizeof(bad_mail[0]); i++)
        if (nb_check_email(nb_str_c(bad_mail[i]), true) != NB_ERR_INPUT)
            fail_msg("accepted %s", bad_mail[i]);
    assert_int_equal(nb_check_email((struct nb_str){NULL, 0}, false), NB_OK);
    assert_int_equal(nb_check_email((struct nb_str){NULL, 0}, true), NB_ERR_INPUT);

    assert_int_equal(nb_check_phone(NB_STR("+49 3841 5550-0"), true), NB_OK);
    assert_int_equal(nb_check_phone(NB_STR("(03841) 5550/190"), true), NB_OK);
    assert_int_equal(nb_check_phone(NB_STR("49+3841"), true), NB_ERR_INPUT);
    assert_int_equal(nb_check_phone(NB_STR("+4"), true), NB_ERR_INPUT);
    assert_int_equal(nb_check_phone(NB_STR("0800 CALL NOW"), true), NB_ERR_INPUT);

    assert_int_equal(nb_check_date(NB_STR("2021-12-30")), NB_OK);
    assert_int_equal(nb_check_date(NB_STR("2021-02-29")), NB_ERR_INPUT);
    assert_int_equal(nb_check_date(NB_STR("30.12.2021")), NB_ERR_INPUT);
    assert_int_equal(nb_check_time(0), NB_OK);
    assert_int_equal(nb_check_time(-1), NB_ERR_INPUT);
}

/* ---------------------------------------------------------------- offices */

static void test_office_fields(void **state)
{
    struct fix *f = *state;
    char *name = filled(NB_TITLE_MAX + 1, 'n');
    struct nb_store_office o = {NB_STR("amt-b"), view(name, NB_TITLE_MAX), NB_STR("by"), {NULL, 0}};
    int64_t id = 0;
    o.name = view(name, NB_TITLE_MAX + 1);
    assert_int_equal(nb_office_create(f->s, &o, T0, &id), NB_ERR_LIMIT);
    o.name = view(name, NB_TITLE_MAX);
    assert_int_equal(nb_office_create(f->s, &o, T0, &id), NB_OK);
    free(name);
    json_t *j;
    assert_int_equal(nb_office_get(f->s, id, &j), NB_OK);
    assert_string_equal(json_string_value(json_object_get(j, "land")), "BY"); /* canonical */
    assert_true(json_is_null(json_object_get(j, "host")));
    assert_string_equal(json_string_value(json_object_get(j, "state")), "normal");
    assert_int_equal(json_integer_value(json_object_get(j, "state_since")), T0);
    json_decref(j);

    /* Slugs: NB_SLUG_MAX on both sides, and syntax. */
    char *slug = filled(NB_SLUG_MAX + 1, 's');
    o.name = NB_STR("Amt C");
    o.slug = view(slug, NB_SLUG_MAX + 1);
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_ERR_LIMIT);
    o.slug = view(slug, NB_SLUG_MAX);
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_OK);
    free(slug);
    const char *bad_slugs[] = {"Amt", "-amt", "amt-", "amt b", "ämt", ""};
    for (size_t i = 0; i < sizeof(bad_slugs) / sizeof(bad_slugs[0]); i++) {
        o.slug = nb_str_c(bad_slugs[i]);
        if (nb_office_create(f->s, &o, T0, NULL) != NB_ERR_INPUT)
            fail_msg("accepted slug '%s'", bad_slugs[i]);
    }
    o.slug = NB_STR("amt-a");
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_ERR_CONFLICT);

    /* Land codes come from base/holiday.h. */
    o.slug = NB_STR("amt-d");
    o.land = NB_STR("XX");
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_ERR_INPUT);
    o.land = (struct nb_str){NULL, 0};
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_ERR_INPUT);
    o.land = NB_STR("MV");

    /* Host names: NB_HOST_MAX on both sides, lower case only, unique. */
    char host[NB_HOST_MAX + 2];
    memset(host, 'h', sizeof(host));
    for (size_t i = 63; i < NB_HOST_MAX; i += 64)
        host[i] = '.'; /* labels of 63 bytes */
    o.host = view(host, NB_HOST_MAX + 1);
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_ERR_LIMIT);
    o.host = view(host, NB_HOST_MAX);
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_OK);
    o.slug = NB_STR("amt-e");
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_ERR_CONFLICT);
    const char *bad_hosts[] = {"Amt.example",  "amt..example",  "-amt.example",
                               "amt.example.", "amt_a.example", "amt.example:8080"};
    for (size_t i = 0; i < sizeof(bad_hosts) / sizeof(bad_hosts[0]); i++) {
        o.host = nb_str_c(bad_hosts[i]);
        if (nb_office_create(f->s, &o, T0, NULL) != NB_ERR_INPUT)
            fail_msg("accepted host '%s'", bad_hosts[i]);
    }

    /* Names are one line of text. */
    o.host = (struct nb_str){NULL, 0};
    const char *bad_names[] = {"Amt\nE", "   ", "Amt \x01", "Amt \xe4"};
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        o.name = nb_str_c(bad_names[i]);
        if (nb_office_create(f->s, &o, T0, NULL) != NB_ERR_INPUT)
            fail_msg("accepted name %zu", i);
    }

    /* Lookups by host ignore case; malformed keys are simply not found. */
    int64_t found = 0;
    assert_int_equal(nb_office_id_by_host(f->s, NB_STR("AMT-A.Example"), &found), NB_OK);
    assert_int_equal(found, f->office);
    assert_int_equal(nb_office_id_by_host(f->s, NB_STR("amt-z.example"), &found), NB_ERR_NOTFOUND);
    assert_int_equal(nb_office_id_by_host(f->s, NB_STR("a b"), &found), NB_ERR_NOTFOUND);
    assert_int_equal(nb_office_id_by_slug(f->s, NB_STR("amt-a"), &found), NB_OK);
    assert_int_equal(nb_office_id_by_slug(f->s, NB_STR("AMT-A"), &found), NB_ERR_NOTFOUND);
    assert_int_equal(nb_office_get_by_host(f->s, NB_STR("amt-a.example"), &j), NB_OK);
    assert_string_equal(json_string_value(json_object_get(j, "slug")), "amt-a");
    json_decref(j);

    assert_int_equal(nb_office_list(f->s, &j), NB_OK);
    assert_int_equal(json_array_size(j), 4); /* amt-a, amt-b, the long slug, amt-d */
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "slug")), "amt-a");
    json_decref(j);

    /* Update changes name, Land and host, not the slug. */
    o = (struct nb_store_office){NB_STR("ignored"), NB_STR("Amt A-Neu"), NB_STR("sn"),
                                 NB_STR("neu.example")};
    assert_int_equal(nb_office_update(f->s, f->office, &o, T0 + 10), NB_OK);
    assert_int_equal(nb_office_get_by_slug(f->s, NB_STR("amt-a"), &j), NB_OK);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "Amt A-Neu");
    assert_string_equal(json_string_value(json_object_get(j, "land")), "SN");
    assert_string_equal(json_string_value(json_object_get(j, "host")), "neu.example");
    assert_int_equal(json_integer_value(json_object_get(j, "changed_at")), T0 + 10);
    json_decref(j);
    assert_int_equal(nb_office_update(f->s, 9999, &o, T0), NB_ERR_NOTFOUND);
}

static void test_office_state_and_settings(void **state)
{
    struct fix *f = *state;
    char *note = filled(NB_NOTE_MAX + 1, 'x');
    struct nb_store_lang_text notes[NB_LANGS_MAX + 1];
    char tags[NB_LANGS_MAX + 1][4];
    for (size_t i = 0; i <= NB_LANGS_MAX; i++) {
        tags[i][0] = 'a';
        tags[i][1] = (char)('a' + i);
        notes[i] = (struct nb_store_lang_text){view(tags[i], 2), NB_STR("Hinweis")};
    }
    assert_int_equal(
        nb_office_set_state(f->s, f->office, NB_STR("notbetrieb"), T0, notes, NB_LANGS_MAX, T0),
        NB_OK);
    assert_int_equal(
        nb_office_set_state(f->s, f->office, NB_STR("notbetrieb"), T0, notes, NB_LANGS_MAX + 1, T0),
        NB_ERR_LIMIT);
    notes[0].text = view(note, NB_NOTE_MAX);
    assert_int_equal(nb_office_set_state(f->s, f->office, NB_STR("stoerung"), T0, notes, 1, T0),
                     NB_OK);
    notes[0].text = view(note, NB_NOTE_MAX + 1);
    assert_int_equal(nb_office_set_state(f->s, f->office, NB_STR("stoerung"), T0, notes, 1, T0),
                     NB_ERR_LIMIT);
    free(note);
    notes[0].text = NB_STR("Hinweis");
    notes[1].lang = notes[0].lang;
    assert_int_equal(nb_office_set_state(f->s, f->office, NB_STR("stoerung"), T0, notes, 2, T0),
                     NB_ERR_INPUT); /* a language twice */
    notes[1].lang = NB_STR("EN");
    assert_int_equal(nb_office_set_state(f->s, f->office, NB_STR("stoerung"), T0, notes, 2, T0),
                     NB_ERR_INPUT);
    assert_int_equal(nb_office_set_state(f->s, f->office, NB_STR("kaputt"), T0, NULL, 0, T0),
                     NB_ERR_INPUT);
    assert_int_equal(nb_office_set_state(f->s, f->office, NB_STR("normal"), T0 + 1, NULL, 0, T0),
                     NB_ERR_INPUT); /* since after the change itself */
    const struct nb_store_lang_text two[] = {{NB_STR("en"), NB_STR("Emergency")},
                                             {NB_STR("de"), NB_STR("Notbetrieb")}};
    assert_int_equal(
        nb_office_set_state(f->s, f->office, NB_STR("wiederanlauf"), T0 - 60, two, 2, T0 + 60),
        NB_OK);
    json_t *j;
    assert_int_equal(nb_office_get(f->s, f->office, &j), NB_OK);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "wiederanlauf");
    assert_int_equal(json_integer_value(json_object_get(j, "state_since")), T0 - 60);
    json_t *sn = json_object_get(j, "state_note");
    assert_int_equal(json_object_size(sn), 2); /* replaced, not merged */
    assert_string_equal(json_object_iter_key(json_object_iter(sn)), "de"); /* German first */
    json_decref(j);

    enum nb_office_state st;
    for (int i = NB_OFFICE_NORMAL; i <= NB_OFFICE_RESTORED; i++) {
        assert_int_equal(nb_office_state_parse(nb_str_c(nb_office_state_name(i)), &st), NB_OK);
        assert_int_equal(st, i);
    }

    /* Settings: each field on both sides of its limit; empty means none. An address of
     * NB_EMAIL_MAX bytes: 64 for the local part, "@", and labels of 60 bytes. */
    char mail[NB_EMAIL_MAX + 1];
    memset(mail, 'm', 64);
    mail[64] = '@';
    for (size_t i = 65; i < sizeof(mail); i++)
        mail[i] = (i - 65) % 61 == 60 ? '.' : 'd';
    struct nb_store_office_settings set = {view(mail, NB_EMAIL_MAX), NB_STR(""), NB_STR("")};
    assert_int_equal(nb_office_set_settings(f->s, f->office, &set, T0), NB_OK);
    set.email = view(mail, NB_EMAIL_MAX + 1);
    assert_int_equal(nb_office_set_settings(f->s, f->office, &set, T0), NB_ERR_LIMIT);
    set.email = NB_STR("info@amt-a.example");
    char phone[NB_PHONE_MAX + 1];
    memset(phone, '1', sizeof(phone));
    set.phone = view(phone, NB_PHONE_MAX);
    assert_int_equal(nb_office_set_settings(f->s, f->office, &set, T0), NB_OK);
    set.phone = view(phone, NB_PHONE_MAX + 1);
    assert_int_equal(nb_office_set_settings(f->s, f->office, &set, T0), NB_ERR_LIMIT);
    set.phone = NB_STR("ruf mich an");
    assert_int_equal(nb_office_set_settings(f->s, f->office, &set, T0), NB_ERR_INPUT);
    set.phone = NB_STR("+49 3841 5550-0");
    char *addr = filled(NB_NOTE_MAX + 1, 'a');
    addr[10] = '\n';
    set.address = view(addr, NB_NOTE_MAX);
    assert_int_equal(nb_office_set_settings(f->s, f->office, &set, T0), NB_OK);
    set.address = view(addr, NB_NOTE_MAX + 1);
    assert_int_equal(nb_office_set_settings(f->s, f->office, &set, T0), NB_ERR_LIMIT);
    free(addr);
    set.address = NB_STR("");
    set.email = NB_STR("");
    assert_int_equal(nb_office_set_settings(f->s, f->office, &set, T0), NB_OK);
    assert_int_equal(nb_office_get(f->s, f->office, &j), NB_OK);
    json_t *settings = json_object_get(j, "settings");
    assert_true(json_is_null(json_object_get(settings, "email")));
    assert_true(json_is_null(json_object_get(settings, "address")));
    assert_string_equal(json_string_value(json_object_get(settings, "phone")), "+49 3841 5550-0");
    json_decref(j);
    assert_int_equal(nb_office_set_settings(f->s, 9999, &set, T0), NB_ERR_NOTFOUND);
}

static void test_offices_max(void **state)
{
    struct fix *f = *state;
    struct nb_store_tx *tx;
    /* One outer transaction: a thousand commits with fsync would only slow the test. */
    assert_int_equal(nb_store_begin(f->s, NB_STORE_WRITE, &tx), NB_OK);
    char slug[16];
    for (unsigned i = 1; i < NB_OFFICES_MAX; i++) {
        int n = snprintf(slug, sizeof(slug), "amt-%u", i);
        struct nb_store_office o = {view(slug, (size_t)n), NB_STR("Amt"), NB_STR("MV"), {NULL, 0}};
        assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_OK);
    }
    struct nb_store_office o = {NB_STR("one-too-many"), NB_STR("Amt"), NB_STR("MV"), {NULL, 0}};
    assert_int_equal(nb_office_create(f->s, &o, T0, NULL), NB_ERR_LIMIT);
    assert_int_equal(nb_store_commit(&tx), NB_OK);
    json_t *list;
    assert_int_equal(nb_office_list(f->s, &list), NB_OK);
    assert_int_equal(json_array_size(list), NB_OFFICES_MAX);
    json_decref(list);
}

/* ---------------------------------------------------------------- notices */

static struct nb_store_notice_variant variant(const char *lang, const char *title, const char *body)
{
    return (struct nb_store_notice_variant){nb_str_c(lang), nb_str_c(title), nb_str_c(body),
                                            NB_STR("Pressestelle")};
}

static void test_notice_versions(void **state)
{
    struct fix *f = *state;
    const struct nb_store_notice n = {.slug = NB_STR("vorfall"), .pinned = true, .sort = 1};
    const struct nb_str slug = n.slug;
    int64_t version = 0;
    json_t *j, *list;
    assert_int_equal(nb_notice_create(f->s, f->office, &n, T0), NB_OK);
    assert_int_equal(nb_notice_create(f->s, f->office, &n, T0), NB_ERR_CONFLICT);
    assert_int_equal(nb_notice_get(f->s, f->office, slug, &j), NB_OK);
    assert_false(json_is_true(json_object_get(j, "published")));
    assert_int_equal(json_object_size(json_object_get(j, "variants")), 0);
    assert_true(json_is_null(json_object_get(j, "updated_at")));
    json_decref(j);
    /* Without a version, nothing is public. */
    assert_int_equal(nb_notice_list(f->s, f->office, true, &list), NB_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);

    struct nb_store_notice_variant v1 = variant("de", "Erste Fassung", "Text eins");
    struct nb_store_notice_variant v2 = variant("de", "Zweite Fassung", "Text zwei");
    assert_int_equal(nb_notice_publish(f->s, f->office, slug, &v1, T0 + 100, &version), NB_OK);
    assert_int_equal(version, 1);
    assert_int_equal(nb_notice_publish(f->s, f->office, slug, &v2, T0 + 200, &version), NB_OK);
    assert_int_equal(version, 2);
    struct nb_store_notice_variant en = variant("en", "First", "Text one");
    assert_int_equal(nb_notice_publish(f->s, f->office, slug, &en, T0 + 150, &version), NB_OK);
    assert_int_equal(version, 1); /* versions count per language */
    /* Earlier than the newest German version: refused, nothing written. */
    assert_int_equal(nb_notice_publish(f->s, f->office, slug, &v1, T0 + 199, NULL),
                     NB_ERR_CONFLICT);

    assert_int_equal(nb_notice_get(f->s, f->office, slug, &j), NB_OK);
    assert_true(json_is_true(json_object_get(j, "published")));
    assert_true(json_is_true(json_object_get(j, "pinned")));
    assert_int_equal(json_integer_value(json_object_get(j, "updated_at")), T0 + 200);
    json_t *variants = json_object_get(j, "variants");
    assert_int_equal(json_object_size(variants), 2);
    assert_string_equal(json_object_iter_key(json_object_iter(variants)), "de");
    json_t *de = json_object_get(variants, "de");
    assert_int_equal(json_integer_value(json_object_get(de, "version")), 2);
    assert_string_equal(json_string_value(json_object_get(de, "title")), "Zweite Fassung");
    assert_string_equal(json_string_value(json_object_get(de, "lang")), "de");
    json_t *history = json_object_get(de, "versions");
    assert_int_equal(json_array_size(history), 2);
    json_t *old = json_array_get(history, 1);
    assert_int_equal(json_integer_value(json_object_get(old, "version")), 1);
    assert_string_equal(json_string_value(json_object_get(old, "title")), "Erste Fassung");
    assert_string_equal(json_string_value(json_object_get(old, "body_md")), "Text eins");
    assert_int_equal(json_integer_value(json_object_get(old, "published_at")), T0 + 100);
    assert_string_equal(json_string_value(json_object_get(old, "author")), "Pressestelle");
    json_decref(j);

    /* Unpublish hides, keeps the versions; publishing again shows it. */
    assert_int_equal(nb_notice_set_published(f->s, f->office, slug, false, T0 + 300), NB_OK);
    assert_int_equal(nb_notice_list(f->s, f->office, true, &list), NB_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    assert_int_equal(nb_notice_list(f->s, f->office, false, &list), NB_OK);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(nb_notice_get(f->s, f->office, slug, &j), NB_OK);
    assert_int_equal(json_array_size(json_object_get(
                         json_object_get(json_object_get(j, "variants"), "de"), "versions")),
                     2);
    json_decref(j);
    assert_int_equal(nb_notice_set_published(f->s, f->office, slug, true, T0 + 400), NB_OK);
    assert_int_equal(nb_notice_list(f->s, f->office, true, &list), NB_OK);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);

    /* Flags. */
    const struct nb_store_notice upd = {.slug = slug, .archived = true, .sort = 5};
    assert_int_equal(nb_notice_update(f->s, f->office, &upd, T0 + 500), NB_OK);
    assert_int_equal(nb_notice_get(f->s, f->office, slug, &j), NB_OK);
    assert_true(json_is_true(json_object_get(j, "archived")));
    assert_false(json_is_true(json_object_get(j, "pinned")));
    assert_int_equal(json_integer_value(json_object_get(j, "sort")), 5);
    json_decref(j);

    /* Unknown slugs. */
    const struct nb_store_notice other = {.slug = NB_STR("gibt-es-nicht")};
    assert_int_equal(nb_notice_update(f->s, f->office, &other, T0), NB_ERR_NOTFOUND);
    assert_int_equal(nb_notice_publish(f->s, f->office, other.slug, &v1, T0 + 600, NULL),
                     NB_ERR_NOTFOUND);
    assert_int_equal(nb_notice_set_published(f->s, f->office, other.slug, false, T0),
                     NB_ERR_NOTFOUND);
    assert_int_equal(nb_notice_get(f->s, f->office, other.slug, &j), NB_ERR_NOTFOUND);
    assert_null(j);
    assert_int_equal(nb_notice_get(f->s, f->office, NB_STR("Kein Slug"), &j), NB_ERR_NOTFOUND);
}

static void test_notice_limits(void **state)
{
    struct fix *f = *state;
    const struct nb_store_notice n = {.slug = NB_STR("grenzen")};
    assert_int_equal(nb_notice_create(f->s, f->office, &n, T0), NB_OK);
    int64_t at = T0;
    char *title = filled(NB_TITLE_MAX + 1, 't');
    char *body = filled(NB_MARKDOWN_MAX + 1, 'b');
    struct nb_store_notice_variant v = {NB_STR("de"), view(title, NB_TITLE_MAX), NB_STR("Text"),
                                        view(title, NB_TITLE_MAX)};
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), NB_OK);
    v.title = view(title, NB_TITLE_MAX + 1);
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), NB_ERR_LIMIT);
    v.title = NB_STR("Titel");
    v.author = view(title, NB_TITLE_MAX + 1);
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), NB_ERR_LIMIT);
    v.author = (struct nb_str){NULL, 0};
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), NB_ERR_INPUT);
    v.author = NB_STR("Pressestelle");
    v.body_md = view(body, NB_MARKDOWN_MAX);
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), NB_OK);
    v.body_md = view(body, NB_MARKDOWN_MAX + 1);
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), NB_ERR_LIMIT);
    v.body_md = NB_STR("  \n ");
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), NB_ERR_INPUT);
    v.body_md = NB_STR("Text");
    v.lang = NB_STR("DE");
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), NB_ERR_INPUT);
    free(title);
    free(body);

    /* NB_LANGS_MAX languages on both sides: "de" plus 15 more, then one too many. */
    char tags[NB_LANGS_MAX + 1][4];
    for (size_t i = 1; i <= NB_LANGS_MAX; i++) {
        tags[i][0] = 'q';
        tags[i][1] = (char)('a' + i);
        v.lang = view(tags[i], 2);
        enum nb_err want = i < NB_LANGS_MAX ? NB_OK : NB_ERR_LIMIT;
        assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &v, ++at, NULL), want);
    }
    json_t *j;
    assert_int_equal(nb_notice_get(f->s, f->office, n.slug, &j), NB_OK);
    assert_int_equal(json_object_size(json_object_get(j, "variants")), NB_LANGS_MAX);
    assert_int_equal(json_array_size(json_object_get(
                         json_object_get(json_object_get(j, "variants"), "de"), "versions")),
                     2);
    json_decref(j);
}

/* ---------------------------------------------------------------- press */

static void test_press(void **state)
{
    struct fix *f = *state;
    /* Monday 25.10.2021 00:30 in Berlin is still Sunday 22:30 in UTC: the week is 43, as the
     * office's calendar says, not 42. */
    const int64_t monday = 1635114600;
    const struct nb_store_press_text en_only[] = {{NB_STR("en"), NB_STR("Title"), NB_STR("Text")}};
    assert_int_equal(nb_press_create(f->s, f->office, NB_STR("kw43"), monday, en_only, 1, monday),
                     NB_ERR_INPUT);
    assert_int_equal(nb_press_create(f->s, f->office, NB_STR("kw43"), monday, NULL, 0, monday),
                     NB_ERR_INPUT);
    const struct nb_store_press_text twice[] = {{NB_STR("de"), NB_STR("T"), NB_STR("x")},
                                                {NB_STR("de"), NB_STR("T"), NB_STR("x")}};
    assert_int_equal(nb_press_create(f->s, f->office, NB_STR("kw43"), monday, twice, 2, monday),
                     NB_ERR_INPUT);
    char *title = filled(NB_TITLE_MAX + 1, 't');
    struct nb_store_press_text de = {NB_STR("de"), view(title, NB_TITLE_MAX + 1), NB_STR("Text")};
    assert_int_equal(nb_press_create(f->s, f->office, NB_STR("kw43"), monday, &de, 1, monday),
                     NB_ERR_LIMIT);
    de.title = view(title, NB_TITLE_MAX);
    assert_int_equal(nb_press_create(f->s, f->office, NB_STR("kw43"), monday, &de, 1, monday),
                     NB_OK);
    assert_int_equal(nb_press_create(f->s, f->office, NB_STR("kw43"), monday, &de, 1, monday),
                     NB_ERR_CONFLICT);
    free(title);
    de.title = NB_STR("Woche 42");
    assert_int_equal(
        nb_press_create(f->s, f->office, NB_STR("kw42"), monday - 86400, &de, 1, monday), NB_OK);
    const struct nb_store_press_text en = {NB_STR("en"), NB_STR("Week 43"), NB_STR("Text")};
    assert_int_equal(nb_press_set_text(f->s, f->office, NB_STR("kw43"), &en, monday + 60), NB_OK);
    assert_int_equal(nb_press_set_text(f->s, f->office, NB_STR("kw99"), &en, monday + 60),
                     NB_ERR_NOTFOUND);

    json_t *list;
    assert_int_equal(nb_press_list(f->s, f->office, true, &list), NB_OK);
    assert_int_equal(json_array_size(list), 2);
    json_t *p = json_array_get(list, 0); /* newest first */
    assert_string_equal(json_string_value(json_object_get(p, "slug")), "kw43");
    assert_int_equal(json_integer_value(json_object_get(p, "iso_week")), 43);
    assert_int_equal(json_integer_value(json_object_get(p, "iso_year")), 2021);
    assert_int_equal(json_integer_value(json_object_get(p, "changed_at")), monday + 60);
    assert_int_equal(json_object_size(json_object_get(p, "texts")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "iso_week")), 42);
    json_decref(list);

    /* Languages: NB_LANGS_MAX on both sides through set_text. */
    struct nb_store_press_text t = {{NULL, 0}, NB_STR("T"), NB_STR("x")};
    char tags[NB_LANGS_MAX + 1][4];
    for (size_t i = 2; i <= NB_LANGS_MAX; i++) { /* de and en are there */
        tags[i][0] = 'q';
        tags[i][1] = (char)('a' + i);
        t.lang = view(tags[i], 2);
        enum nb_err want = i < NB_LANGS_MAX ? NB_OK : NB_ERR_LIMIT;
        assert_int_equal(nb_press_set_text(f->s, f->office, NB_STR("kw43"), &t, monday + 90), want);
    }

    assert_int_equal(nb_press_set_published(f->s, f->office, NB_STR("kw42"), false, monday + 99),
                     NB_OK);
    assert_int_equal(nb_press_list(f->s, f->office, true, &list), NB_OK);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(nb_press_get(f->s, f->office, NB_STR("kw42"), &p), NB_OK);
    assert_false(json_is_true(json_object_get(p, "published")));
    json_decref(p);
}

/* ---------------------------------------------------------------- departments and hours */

/* clang-format off */
#define LIT(s) {s, sizeof(s) - 1} /* a string view as a constant initializer */
/* clang-format on */
static const struct nb_store_lang_text names_de[] = {{LIT("de"), LIT("Bürgerbüro")},
                                                     {LIT("en"), LIT("Citizens' office")}};

static void put_department(struct fix *f, const char *slug)
{
    const struct nb_store_department d = {.slug = nb_str_c(slug),
                                          .phone = NB_STR("+49 3841 5550-200"),
                                          .email = NB_STR("buero@amt-a.example"),
                                          .names = names_de,
                                          .nnames = 2};
    assert_int_equal(nb_department_put(f->s, f->office, &d, T0), NB_OK);
}

static void test_departments_and_contacts(void **state)
{
    struct fix *f = *state;
    struct nb_store_department d = {.slug = NB_STR("buero"), .names = names_de, .nnames = 0};
    assert_int_equal(nb_department_put(f->s, f->office, &d, T0), NB_ERR_INPUT); /* no name */
    d.names = names_de + 1;
    d.nnames = 1;
    assert_int_equal(nb_department_put(f->s, f->office, &d, T0), NB_ERR_INPUT); /* no German */
    d.names = names_de;
    d.nnames = 2;
    char *room = filled(NB_NOTE_MAX + 1, 'r');
    d.room = view(room, NB_NOTE_MAX + 1);
    assert_int_equal(nb_department_put(f->s, f->office, &d, T0), NB_ERR_LIMIT);
    d.room = view(room, NB_NOTE_MAX);
    assert_int_equal(nb_department_put(f->s, f->office, &d, T0), NB_OK);
    free(room);
    d.room = NB_STR("Zimmer 1");
    d.sort = 3;
    assert_int_equal(nb_department_put(f->s, f->office, &d, T0 + 1), NB_OK); /* replaces */

    struct nb_store_lang_text roles[] = {{NB_STR("de"), NB_STR("Datenschutzbeauftragter")}};
    struct nb_store_contact c = {.department = NB_STR("buero"),
                                 .name = NB_STR("Jens Harmsdorf"),
                                 .phone = NB_STR("+49 3841 5550-190"),
                                 .is_dpo = true,
                                 .roles = roles,
                                 .nroles = 1};
    int64_t dpo = 0, other = 0;
    assert_int_equal(nb_contact_add(f->s, f->office, &c, T0, &dpo), NB_OK);
    c.name = NB_STR("Zweiter DPO");
    assert_int_equal(nb_contact_add(f->s, f->office, &c, T0, NULL), NB_ERR_CONFLICT);
    c.is_dpo = false;
    c.nroles = 0;
    c.email = NB_STR("kein mail");
    assert_int_equal(nb_contact_add(f->s, f->office, &c, T0, NULL), NB_ERR_INPUT);
    c.email = NB_STR("");
    c.department = NB_STR("gibt-es-nicht");
    assert_int_equal(nb_contact_add(f->s, f->office, &c, T0, NULL), NB_ERR_NOTFOUND);
    c.department = NB_STR("buero");
    char *name = filled(NB_TITLE_MAX + 1, 'n');
    c.name = view(name, NB_TITLE_MAX + 1);
    assert_int_equal(nb_contact_add(f->s, f->office, &c, T0, NULL), NB_ERR_LIMIT);
    c.name = view(name, NB_TITLE_MAX);
    assert_int_equal(nb_contact_add(f->s, f->office, &c, T0, &other), NB_OK);
    free(name);
    c.name = NB_STR("Anja Kleinschmidt");
    c.sort = -1;
    assert_int_equal(nb_contact_update(f->s, f->office, other, &c, T0 + 2), NB_OK);
    assert_int_equal(nb_contact_update(f->s, f->office, other + 100, &c, T0), NB_ERR_NOTFOUND);

    json_t *j;
    assert_int_equal(nb_contact_dpo(f->s, f->office, &j), NB_OK);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), dpo);
    assert_true(json_is_true(json_object_get(j, "is_dpo")));
    assert_string_equal(json_string_value(json_object_get(j, "department")), "buero");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "role"), "de")),
                        "Datenschutzbeauftragter");
    json_decref(j);
    assert_int_equal(nb_contact_get(f->s, f->office, other, &j), NB_OK);
    assert_true(json_is_null(json_object_get(j, "email")));
    json_decref(j);

    assert_int_equal(nb_department_get(f->s, f->office, NB_STR("buero"), &j), NB_OK);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "name"), "en")),
                        "Citizens' office");
    assert_string_equal(json_string_value(json_object_get(j, "room")), "Zimmer 1");
    json_t *cs = json_object_get(j, "contacts");
    assert_int_equal(json_array_size(cs), 2);
    /* by sort: Anja (-1) before the DPO (0) */
    assert_string_equal(json_string_value(json_object_get(json_array_get(cs, 0), "name")),
                        "Anja Kleinschmidt");
    json_decref(j);

    assert_int_equal(nb_contact_remove(f->s, f->office, other, T0 + 3), NB_OK);
    assert_int_equal(nb_contact_remove(f->s, f->office, other, T0 + 3), NB_ERR_NOTFOUND);
    /* Removing the department takes its contacts along. */
    assert_int_equal(nb_department_remove(f->s, f->office, NB_STR("buero"), T0 + 4), NB_OK);
    assert_int_equal(nb_contact_get(f->s, f->office, dpo, &j), NB_ERR_NOTFOUND);
    assert_int_equal(nb_contact_dpo(f->s, f->office, &j), NB_ERR_NOTFOUND);
    assert_int_equal(nb_department_remove(f->s, f->office, NB_STR("buero"), T0), NB_ERR_NOTFOUND);
}

static struct nb_store_slot slot(int weekday, int start, int end)
{
    return (struct nb_store_slot){NB_STR("phone"), weekday, start, end};
}

static void test_hours(void **state)
{
    struct fix *f = *state;
    put_department(f, "buero");
    const struct nb_str dep = NB_STR("buero");
    struct nb_store_slot s[NB_HOURS_DAY_RANGES_MAX + 1];
    for (int i = 0; i <= (int)NB_HOURS_DAY_RANGES_MAX; i++)
        s[i] = slot(1, 60 * i, 60 * i + 60); /* touching ranges are fine */
    assert_int_equal(
        nb_hours_store_set_weekly(f->s, f->office, dep, s, NB_HOURS_DAY_RANGES_MAX, T0), NB_OK);
    assert_int_equal(
        nb_hours_store_set_weekly(f->s, f->office, dep, s, NB_HOURS_DAY_RANGES_MAX + 1, T0),
        NB_ERR_LIMIT);
    s[NB_HOURS_DAY_RANGES_MAX].kind = NB_STR("counter"); /* another kind counts apart */
    assert_int_equal(
        nb_hours_store_set_weekly(f->s, f->office, dep, s, NB_HOURS_DAY_RANGES_MAX + 1, T0), NB_OK);
    struct nb_store_slot bad[] = {slot(1, 540, 720), slot(1, 700, 800)};
    assert_int_equal(nb_hours_store_set_weekly(f->s, f->office, dep, bad, 2, T0), NB_ERR_INPUT);
    bad[1] = slot(2, 700, 800); /* another day does not overlap */
    assert_int_equal(nb_hours_store_set_weekly(f->s, f->office, dep, bad, 2, T0), NB_OK);
    const struct nb_store_slot edges_ok[] = {slot(7, 0, 1440)};
    assert_int_equal(nb_hours_store_set_weekly(f->s, f->office, dep, edges_ok, 1, T0), NB_OK);
    const struct nb_store_slot edges_bad[][1] = {{slot(7, 0, 1441)},  {slot(0, 540, 720)},
                                                 {slot(8, 540, 720)}, {slot(1, 720, 720)},
                                                 {slot(1, -1, 720)},  {{NB_STR("fax"), 1, 0, 60}}};
    for (size_t i = 0; i < sizeof(edges_bad) / sizeof(edges_bad[0]); i++)
        if (nb_hours_store_set_weekly(f->s, f->office, dep, edges_bad[i], 1, T0) != NB_ERR_INPUT)
            fail_msg("accepted slot %zu", i);
    assert_int_equal(nb_hours_store_set_weekly(f->s, f->office, NB_STR("nix"), edges_ok, 1, T0),
                     NB_ERR_NOTFOUND);

    const struct nb_store_slot model[] = {slot(1, 540, 720), slot(2, 540, 720), slot(2, 780, 900),
                                          slot(3, 540, 720), slot(4, 780, 900), slot(4, 540, 720)};
    assert_int_equal(nb_hours_store_set_weekly(f->s, f->office, dep, model, 6, T0), NB_OK);

    /* Exceptions: closed without slots, or open with slots. */
    const struct nb_store_lang_text note[] = {{NB_STR("de"), NB_STR("Heiligabend")}};
    struct nb_store_hours_exception e = {.date = NB_STR("2021-12-24"),
                                         .closed = true,
                                         .slots = model,
                                         .nslots = 1,
                                         .notes = note,
                                         .nnotes = 1};
    assert_int_equal(nb_hours_store_set_exception(f->s, f->office, dep, &e, T0), NB_ERR_INPUT);
    e.nslots = 0;
    assert_int_equal(nb_hours_store_set_exception(f->s, f->office, dep, &e, T0), NB_OK);
    e.closed = false;
    assert_int_equal(nb_hours_store_set_exception(f->s, f->office, dep, &e, T0), NB_ERR_INPUT);
    e.nslots = 1;
    e.date = NB_STR("2021-12-32");
    assert_int_equal(nb_hours_store_set_exception(f->s, f->office, dep, &e, T0), NB_ERR_INPUT);
    e.date = NB_STR("2021-12-23");
    assert_int_equal(nb_hours_store_set_exception(f->s, f->office, dep, &e, T0), NB_OK);
    /* Replacing an exception replaces its slots and notes. */
    e.nnotes = 0;
    e.slots = model + 1;
    e.nslots = 2;
    assert_int_equal(nb_hours_store_set_exception(f->s, f->office, dep, &e, T0 + 5), NB_OK);

    json_t *j;
    assert_int_equal(nb_department_get(f->s, f->office, dep, &j), NB_OK);
    json_t *hours = json_object_get(j, "hours");
    assert_int_equal(json_array_size(hours), 6);
    json_t *last = json_array_get(hours, 5); /* by weekday, then start: Thursday 13:00 */
    assert_int_equal(json_integer_value(json_object_get(last, "weekday")), 4);
    assert_int_equal(json_integer_value(json_object_get(last, "start")), 780);
    assert_int_equal(json_integer_value(json_object_get(last, "end")), 900);
    assert_string_equal(json_string_value(json_object_get(last, "kind")), "phone");
    json_t *ex = json_object_get(j, "exceptions");
    assert_int_equal(json_array_size(ex), 2);
    json_t *e23 = json_array_get(ex, 0);
    assert_string_equal(json_string_value(json_object_get(e23, "date")), "2021-12-23");
    assert_false(json_is_true(json_object_get(e23, "closed")));
    assert_int_equal(json_array_size(json_object_get(e23, "slots")), 2);
    assert_int_equal(json_object_size(json_object_get(e23, "note")), 0);
    json_t *e24 = json_array_get(ex, 1);
    assert_true(json_is_true(json_object_get(e24, "closed")));
    assert_int_equal(json_array_size(json_object_get(e24, "slots")), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(e24, "note"), "de")),
                        "Heiligabend");
    json_decref(j);

    assert_int_equal(
        nb_hours_store_remove_exception(f->s, f->office, dep, NB_STR("2021-12-23"), T0 + 6), NB_OK);
    assert_int_equal(
        nb_hours_store_remove_exception(f->s, f->office, dep, NB_STR("2021-12-23"), T0 + 6),
        NB_ERR_NOTFOUND);
}

/* ---------------------------------------------------------------- services */

static void test_services(void **state)
{
    struct fix *f = *state;
    put_department(f, "buero");
    struct nb_store_service_text texts[] = {
        {NB_STR("de"), NB_STR("Meldewesen"), NB_STR("Wohnung anmelden."), {NULL, 0}},
        {NB_STR("en"), NB_STR("Registration"), {NULL, 0}, NB_STR("Use the paper form.")},
    };
    struct nb_store_service svc = {.slug = NB_STR("meldewesen"),
                                   .state = NB_STR("paper"),
                                   .department = NB_STR("buero"),
                                   .sort = 10,
                                   .texts = texts,
                                   .ntexts = 2};
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_OK);
    json_t *j;
    assert_int_equal(nb_service_get(f->s, f->office, svc.slug, &j), NB_OK);
    assert_string_equal(json_string_value(json_object_get(j, "department")), "buero");
    assert_true(json_is_null(json_object_get(j, "other_office")));
    json_t *t = json_object_get(json_object_get(j, "texts"), "de");
    assert_string_equal(json_string_value(json_object_get(t, "fallback_md")), ""); /* not null */
    json_decref(j);

    svc.state = NB_STR("kaputt");
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_ERR_INPUT);
    svc.state = NB_STR("other_office");
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_ERR_INPUT); /* no office */
    svc.other_office = NB_STR("Amt Lindenhagen");
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_OK);
    svc.state = NB_STR("paper");
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_ERR_INPUT); /* office set */
    svc.other_office = (struct nb_str){NULL, 0};
    svc.department = NB_STR("nix");
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_ERR_NOTFOUND);
    svc.department = (struct nb_str){NULL, 0};
    svc.texts = texts + 1;
    svc.ntexts = 1;
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_ERR_INPUT); /* no German */
    svc.texts = texts;
    svc.ntexts = 2;
    char *name = filled(NB_MARKDOWN_MAX + 1, 'n');
    texts[0].name = view(name, NB_TITLE_MAX + 1);
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_ERR_LIMIT);
    texts[0].name = view(name, NB_TITLE_MAX);
    texts[0].fallback_md = view(name, NB_MARKDOWN_MAX + 1);
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_ERR_LIMIT);
    texts[0].fallback_md = view(name, NB_MARKDOWN_MAX);
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_OK);
    texts[0].name = NB_STR("Meldewesen");
    texts[0].fallback_md = NB_STR("Formular per Post.");
    free(name);

    /* The put replaced everything, including the department (now none). */
    assert_int_equal(nb_service_list(f->s, f->office, &j), NB_OK);
    assert_int_equal(json_array_size(j), 1);
    assert_true(json_is_null(json_object_get(json_array_get(j, 0), "department")));
    json_decref(j);

    /* A department that services name cannot be removed. */
    svc.department = NB_STR("buero");
    assert_int_equal(nb_service_put(f->s, f->office, &svc, T0), NB_OK);
    assert_int_equal(nb_department_remove(f->s, f->office, NB_STR("buero"), T0), NB_ERR_CONFLICT);
    assert_int_equal(nb_service_remove(f->s, f->office, svc.slug, T0), NB_OK);
    assert_int_equal(nb_service_remove(f->s, f->office, svc.slug, T0), NB_ERR_NOTFOUND);
    assert_int_equal(nb_department_remove(f->s, f->office, NB_STR("buero"), T0), NB_OK);

    enum nb_service_state st;
    for (int i = NB_SERVICE_ONLINE; i <= NB_SERVICE_OTHER_OFFICE; i++) {
        assert_int_equal(nb_service_state_parse(nb_str_c(nb_service_state_name(i)), &st), NB_OK);
        assert_int_equal(st, i);
    }
}

/* ---------------------------------------------------------------- pages */

static void test_pages(void **state)
{
    struct fix *f = *state;
    struct nb_store_page p = {NB_STR("imprint"), NB_STR("de"), NB_STR("Impressum"),
                              NB_STR("Amt A, Am Markt 1"), NB_STR("Hauptamt")};
    int64_t version = 0;
    assert_int_equal(nb_page_publish(f->s, f->office, &p, T0, &version), NB_OK);
    assert_int_equal(version, 1);
    p.body_md = NB_STR("Amt A, Am Markt 2");
    assert_int_equal(nb_page_publish(f->s, f->office, &p, T0 + 10, &version), NB_OK);
    assert_int_equal(version, 2);
    assert_int_equal(nb_page_publish(f->s, f->office, &p, T0 + 5, NULL), NB_ERR_CONFLICT);
    p.kind = NB_STR("cookies");
    assert_int_equal(nb_page_publish(f->s, f->office, &p, T0 + 20, NULL), NB_ERR_INPUT);
    p.kind = NB_STR("imprint");
    char *body = filled(NB_MARKDOWN_MAX + 1, 'b');
    p.body_md = view(body, NB_MARKDOWN_MAX + 1);
    assert_int_equal(nb_page_publish(f->s, f->office, &p, T0 + 20, NULL), NB_ERR_LIMIT);
    p.body_md = view(body, NB_MARKDOWN_MAX);
    p.lang = NB_STR("en");
    assert_int_equal(nb_page_publish(f->s, f->office, &p, T0 + 20, NULL), NB_OK);
    free(body);

    json_t *j;
    assert_int_equal(nb_page_get(f->s, f->office, NB_STR("imprint"), &j), NB_OK);
    assert_int_equal(json_object_size(j), 2);
    json_t *de = json_object_get(j, "de");
    assert_int_equal(json_integer_value(json_object_get(de, "version")), 2);
    assert_string_equal(json_string_value(json_object_get(de, "body_md")), "Amt A, Am Markt 2");
    assert_string_equal(json_string_value(json_object_get(de, "lang")), "de");
    assert_int_equal(json_integer_value(json_object_get(de, "updated_at")), T0 + 10);
    json_decref(j);
    int64_t total = 0;
    assert_int_equal(
        nb_page_history(f->s, f->office, NB_STR("imprint"), NB_STR("de"), 10, &j, &total), NB_OK);
    assert_int_equal(json_array_size(j), 2);
    assert_int_equal(total, 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "version")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 1), "version")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "author")),
                        "Hauptamt");
    assert_null(json_object_get(json_array_get(j, 1), "body_md"));
    json_decref(j);
    /* The limit keeps the newest; the total still counts them all. */
    assert_int_equal(
        nb_page_history(f->s, f->office, NB_STR("imprint"), NB_STR("de"), 1, &j, &total), NB_OK);
    assert_int_equal(json_array_size(j), 1);
    assert_int_equal(total, 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "version")), 2);
    json_decref(j);
    assert_int_equal(nb_page_version(f->s, f->office, NB_STR("imprint"), NB_STR("de"), 1, &j),
                     NB_OK);
    assert_string_equal(json_string_value(json_object_get(j, "body_md")), "Amt A, Am Markt 1");
    assert_int_equal(json_integer_value(json_object_get(j, "updated_at")), T0);
    json_decref(j);
    assert_int_equal(nb_page_version(f->s, f->office, NB_STR("imprint"), NB_STR("de"), 3, &j),
                     NB_ERR_NOTFOUND);
    assert_null(j);
    assert_int_equal(nb_page_version(f->s, f->office, NB_STR("imprint"), NB_STR("de"), 0, &j),
                     NB_ERR_NOTFOUND);
    assert_int_equal(nb_page_version(f->s, f->office, NB_STR("cookies"), NB_STR("de"), 1, &j),
                     NB_ERR_NOTFOUND);
    assert_int_equal(nb_page_get(f->s, f->office, NB_STR("privacy"), &j), NB_OK);
    assert_int_equal(json_object_size(j), 0);
    json_decref(j);
    assert_int_equal(nb_page_get(f->s, f->office, NB_STR("cookies"), &j), NB_ERR_NOTFOUND);
}

/* ---------------------------------------------------------------- isolation */

/* Office A gets one of everything; office B, through every function that takes an office,
 * finds none of it and can change none of it. */
static void test_office_isolation(void **state)
{
    struct fix *f = *state;
    const int64_t a = f->office;
    int64_t b = 0;
    const struct nb_store_office ob = {NB_STR("amt-b"), NB_STR("Amt B"), NB_STR("MV"), {NULL, 0}};
    assert_int_equal(nb_office_create(f->s, &ob, T0, &b), NB_OK);

    /* A's records. */
    const struct nb_store_notice n = {.slug = NB_STR("geheim"), .pinned = true};
    const struct nb_store_notice_variant v = variant("de", "Nur für A", "Text von A");
    assert_int_equal(nb_notice_create(f->s, a, &n, T0), NB_OK);
    assert_int_equal(nb_notice_publish(f->s, a, n.slug, &v, T0 + 1, NULL), NB_OK);
    const struct nb_store_press_text pt = {NB_STR("de"), NB_STR("Presse A"), NB_STR("Text")};
    assert_int_equal(nb_press_create(f->s, a, NB_STR("kw42"), T0, &pt, 1, T0), NB_OK);
    put_department(f, "buero");
    const struct nb_store_contact c = {
        .department = NB_STR("buero"), .name = NB_STR("DPO A"), .is_dpo = true};
    int64_t contact = 0;
    assert_int_equal(nb_contact_add(f->s, a, &c, T0, &contact), NB_OK);
    const struct nb_store_slot hours[] = {slot(1, 540, 720)};
    assert_int_equal(nb_hours_store_set_weekly(f->s, a, NB_STR("buero"), hours, 1, T0), NB_OK);
    const struct nb_store_hours_exception ex = {.date = NB_STR("2021-12-24"), .closed = true};
    assert_int_equal(nb_hours_store_set_exception(f->s, a, NB_STR("buero"), &ex, T0), NB_OK);
    const struct nb_store_service_text st = {
        NB_STR("de"), NB_STR("Dienst A"), {NULL, 0}, {NULL, 0}};
    const struct nb_store_service svc = {.slug = NB_STR("dienst"),
                                         .state = NB_STR("paper"),
                                         .department = NB_STR("buero"),
                                         .texts = &st,
                                         .ntexts = 1};
    assert_int_equal(nb_service_put(f->s, a, &svc, T0), NB_OK);
    const struct nb_store_page pg = {NB_STR("imprint"), NB_STR("de"), NB_STR("Impressum A"),
                                     NB_STR("A"), NB_STR("A")};
    assert_int_equal(nb_page_publish(f->s, a, &pg, T0, NULL), NB_OK);

    /* B reads nothing of A. */
    json_t *j = NULL;
    assert_int_equal(nb_notice_get(f->s, b, n.slug, &j), NB_ERR_NOTFOUND);
    assert_int_equal(nb_notice_list(f->s, b, false, &j), NB_OK);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    assert_int_equal(nb_press_get(f->s, b, NB_STR("kw42"), &j), NB_ERR_NOTFOUND);
    assert_int_equal(nb_press_list(f->s, b, false, &j), NB_OK);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    assert_int_equal(nb_department_get(f->s, b, NB_STR("buero"), &j), NB_ERR_NOTFOUND);
    assert_int_equal(nb_department_list(f->s, b, &j), NB_OK);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    assert_int_equal(nb_contact_get(f->s, b, contact, &j), NB_ERR_NOTFOUND);
    assert_int_equal(nb_contact_dpo(f->s, b, &j), NB_ERR_NOTFOUND);
    assert_int_equal(nb_service_get(f->s, b, svc.slug, &j), NB_ERR_NOTFOUND);
    assert_int_equal(nb_service_list(f->s, b, &j), NB_OK);
    assert_int_equal(json_array_size(j), 0);
    json_decref(j);
    assert_int_equal(nb_page_get(f->s, b, NB_STR("imprint"), &j), NB_OK);
    assert_int_equal(json_object_size(j), 0);
    json_decref(j);
    int64_t total = -1;
    assert_int_equal(nb_page_history(f->s, b, NB_STR("imprint"), NB_STR("de"), 10, &j, &total),
                     NB_OK);
    assert_int_equal(json_array_size(j), 0);
    assert_int_equal(total, 0);
    json_decref(j);
    assert_int_equal(nb_page_version(f->s, b, NB_STR("imprint"), NB_STR("de"), 1, &j),
                     NB_ERR_NOTFOUND);
    assert_int_equal(nb_site_load(f->s, "amt-b", &j), NB_OK);
    assert_int_equal(json_array_size(json_object_get(j, "notices")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "press")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "services")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "departments")), 0);
    assert_true(json_is_null(json_object_get(j, "dpo")));
    assert_int_equal(json_object_size(json_object_get(json_object_get(j, "pages"), "imprint")), 0);
    json_decref(j);

    /* B changes nothing of A. */
    assert_int_equal(nb_notice_publish(f->s, b, n.slug, &v, T0 + 2, NULL), NB_ERR_NOTFOUND);
    assert_int_equal(nb_notice_set_published(f->s, b, n.slug, false, T0 + 2), NB_ERR_NOTFOUND);
    assert_int_equal(nb_notice_update(f->s, b, &n, T0 + 2), NB_ERR_NOTFOUND);
    assert_int_equal(nb_press_set_text(f->s, b, NB_STR("kw42"), &pt, T0 + 2), NB_ERR_NOTFOUND);
    assert_int_equal(nb_press_set_published(f->s, b, NB_STR("kw42"), false, T0 + 2),
                     NB_ERR_NOTFOUND);
    assert_int_equal(nb_contact_update(f->s, b, contact, &c, T0 + 2), NB_ERR_NOTFOUND);
    assert_int_equal(nb_contact_remove(f->s, b, contact, T0 + 2), NB_ERR_NOTFOUND);
    assert_int_equal(nb_contact_add(f->s, b, &c, T0 + 2, NULL), NB_ERR_NOTFOUND);
    assert_int_equal(nb_hours_store_set_weekly(f->s, b, NB_STR("buero"), hours, 1, T0 + 2),
                     NB_ERR_NOTFOUND);
    assert_int_equal(nb_hours_store_set_exception(f->s, b, NB_STR("buero"), &ex, T0 + 2),
                     NB_ERR_NOTFOUND);
    assert_int_equal(
        nb_hours_store_remove_exception(f->s, b, NB_STR("buero"), NB_STR("2021-12-24"), T0 + 2),
        NB_ERR_NOTFOUND);
    assert_int_equal(nb_service_put(f->s, b, &svc, T0 + 2), NB_ERR_NOTFOUND); /* A's department */
    assert_int_equal(nb_service_remove(f->s, b, svc.slug, T0 + 2), NB_ERR_NOTFOUND);
    assert_int_equal(nb_department_remove(f->s, b, NB_STR("buero"), T0 + 2), NB_ERR_NOTFOUND);

    /* B may use the same slugs for its own records, without touching A's. */
    assert_int_equal(nb_notice_create(f->s, b, &n, T0), NB_OK);
    assert_int_equal(nb_press_create(f->s, b, NB_STR("kw42"), T0, &pt, 1, T0), NB_OK);
    const struct nb_store_department d = {.slug = NB_STR("buero"), .names = names_de, .nnames = 2};
    assert_int_equal(nb_department_put(f->s, b, &d, T0), NB_OK);
    const struct nb_store_contact cb = {
        .department = NB_STR("buero"), .name = NB_STR("DPO B"), .is_dpo = true};
    assert_int_equal(nb_contact_add(f->s, b, &cb, T0, NULL), NB_OK); /* one DPO per office */

    /* And A's records are as they were. */
    assert_int_equal(nb_notice_get(f->s, a, n.slug, &j), NB_OK);
    assert_true(json_is_true(json_object_get(j, "published")));
    assert_int_equal(json_object_size(json_object_get(j, "variants")), 1);
    json_decref(j);
    assert_int_equal(nb_contact_dpo(f->s, a, &j), NB_OK);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "DPO A");
    json_decref(j);
    assert_int_equal(nb_department_get(f->s, a, NB_STR("buero"), &j), NB_OK);
    assert_int_equal(json_array_size(json_object_get(j, "hours")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "exceptions")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "contacts")), 1);
    json_decref(j);
    assert_int_equal(nb_site_load_id(f->s, a, &j), NB_OK);
    assert_int_equal(json_array_size(json_object_get(j, "notices")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "services")), 1);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_tags),
        cmocka_unit_test(test_text_checks),
        cmocka_unit_test_setup_teardown(test_office_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_office_state_and_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offices_max, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notice_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notice_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_press, setup, teardown),
        cmocka_unit_test_setup_teardown(test_departments_and_contacts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_services, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_office_isolation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
