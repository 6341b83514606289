/* Unit tests for domain/site and domain/demo: the public document of the demo office has
 * the expected content and shape; the demo can be created twice without a change; the
 * document leaves out what is not public. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/notice.h"
#include "domain/office.h"
#include "domain/press.h"
#include "domain/site.h"
#include "store/store.h"
#include "../tmpdb.h"

struct fix {
    struct tmpdb db;
    struct nb_store *s;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));
    if (!f || tmpdb_make(&f->db) != 0 || nb_store_open(f->db.path, &f->s) != NB_OK)
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

static json_t *get(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        fail_msg("missing key %s", key);
    return v;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(get(o, key));
    if (!s)
        fail_msg("%s is not a string", key);
    return s;
}

/* Finds the element of array a whose key equals value. */
static json_t *find(json_t *a, const char *key, const char *value)
{
    size_t i;
    json_t *el;
    json_array_foreach(a, i, el)
    {
        if (strcmp(str(el, key), value) == 0)
            return el;
    }
    fail_msg("no %s=%s", key, value);
    return NULL;
}

static void test_demo_document(void **state)
{
    struct fix *f = *state;
    assert_int_equal(nb_demo_create(f->s), NB_OK);
    json_t *site = NULL;
    assert_int_equal(nb_site_load(f->s, NB_DEMO_SLUG, &site), NB_OK);
    assert_non_null(site);

    /* Office: Notbetrieb since 15.10.2021 07:30 Europe/Berlin (05:30 UTC). */
    json_t *office = get(site, "office");
    assert_string_equal(str(office, "slug"), NB_DEMO_SLUG);
    assert_string_equal(str(office, "land"), "MV");
    assert_string_equal(str(office, "state"), "notbetrieb");
    assert_int_equal(json_integer_value(get(office, "state_since")), 1634275800);
    assert_true(json_is_null(get(office, "host")));
    assert_int_equal(json_object_size(get(office, "state_note")), 3);
    json_t *settings = get(office, "settings");
    assert_string_equal(str(settings, "email"), "notbetrieb@amt-kranichmoor.example");
    assert_non_null(strchr(str(settings, "address"), '\n'));

    /* "Stand": the update of the incident notice, 23.12.2021 10:00 (09:00 UTC). */
    assert_int_equal(json_integer_value(get(site, "changed_at")), 1640250000);
    assert_int_equal(json_integer_value(get(office, "changed_at")), 1640250000);

    /* Notices: the data-protection information and the incident notice pinned first, the
     * archived one last. */
    json_t *notices = get(site, "notices");
    assert_int_equal(json_array_size(notices), 3);
    assert_string_equal(str(json_array_get(notices, 0), "slug"), "datenschutz-erstinformation");
    assert_string_equal(str(json_array_get(notices, 1), "slug"), "it-sicherheitsvorfall");
    json_t *archived = json_array_get(notices, 2);
    assert_true(json_is_true(get(archived, "archived")));
    assert_false(json_is_true(get(archived, "pinned")));
    json_t *incident = json_array_get(notices, 1);
    assert_true(json_is_true(get(incident, "pinned")));
    assert_int_equal(json_integer_value(get(incident, "updated_at")), 1640250000);
    json_t *variants = get(incident, "variants");
    assert_int_equal(json_object_size(variants), 4);
    const char *order[] = {"de", "ar", "de-x-ls", "en"};
    const char *key;
    json_t *v;
    size_t k = 0;
    json_object_foreach(variants, key, v)
    {
        assert_true(k < 4);
        assert_string_equal(key, order[k++]);
        assert_string_equal(str(v, "lang"), key);
        assert_true(strlen(str(v, "body_md")) > 200);
        json_t *versions = get(v, "versions");
        /* Every language but the Arabic summary has a history. */
        assert_true(json_array_size(versions) >= (strcmp(key, "ar") == 0 ? 1u : 2u));
        /* versions[0] is the variant itself; the rest are older. */
        assert_int_equal(json_integer_value(get(json_array_get(versions, 0), "version")),
                         json_integer_value(get(v, "version")));
        for (size_t i = 1; i < json_array_size(versions); i++)
            assert_true(json_integer_value(get(json_array_get(versions, i), "published_at")) <
                        json_integer_value(get(json_array_get(versions, i - 1), "published_at")));
    }
    json_t *de = get(variants, "de");
    assert_int_equal(json_integer_value(get(de, "version")), 3);
    assert_int_equal(json_array_size(get(de, "versions")), 3);
    /* The notice names who was informed and whom to ask. */
    const char *body = str(de, "body_md");
    const char *needles[] = {"Landesbeauftragte für Datenschutz",
                             "Landeskriminalamt",
                             "CERT M-V",
                             "BSI",
                             "Jens Harmsdorf",
                             "+49 3841 5550-190",
                             "Art. 9 DSGVO"};
    for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
        if (!strstr(body, needles[i]))
            fail_msg("incident notice lacks \"%s\"", needles[i]);
    json_t *dp = get(json_array_get(notices, 0), "variants");
    assert_int_equal(json_object_size(dp), 3);
    assert_non_null(strstr(str(get(dp, "en"), "body_md"), "Article 34"));
    assert_non_null(strstr(str(get(dp, "en"), "title"), "Art. 34 GDPR"));

    /* Press: KW 42 to KW 50 of 2021, newest first, German and English each. */
    json_t *press = get(site, "press");
    assert_int_equal(json_array_size(press), 9);
    for (size_t i = 0; i < 9; i++) {
        json_t *p = json_array_get(press, i);
        assert_int_equal(json_integer_value(get(p, "iso_year")), 2021);
        assert_int_equal(json_integer_value(get(p, "iso_week")), 50 - (json_int_t)i);
        json_t *texts = get(p, "texts");
        assert_int_equal(json_object_size(texts), 2);
        assert_non_null(json_object_get(texts, "de"));
        assert_non_null(json_object_get(texts, "en"));
    }

    /* Services: twelve, every state present, other_office exactly where it belongs. */
    json_t *services = get(site, "services");
    assert_int_equal(json_array_size(services), 12);
    const char *states[] = {"online",      "restricted", "paper",
                            "appointment", "suspended",  "other_office"};
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        (void)find(services, "state", states[i]);
    size_t i;
    json_t *svc;
    json_array_foreach(services, i, svc)
    {
        bool other = strcmp(str(svc, "state"), "other_office") == 0;
        assert_true(other == json_is_string(get(svc, "other_office")));
        assert_non_null(json_object_get(get(svc, "texts"), "de"));
    }
    assert_string_equal(str(find(services, "slug", "wohngeld"), "other_office"), "Amt Lindenhagen");

    /* Departments: five, ten contacts, the model case's phone hours, one exception. */
    json_t *departments = get(site, "departments");
    assert_int_equal(json_array_size(departments), 5);
    size_t contacts = 0;
    json_t *d;
    json_array_foreach(departments, i, d)
    {
        contacts += json_array_size(get(d, "contacts"));
        json_t *hours = get(d, "hours");
        assert_int_equal(json_array_size(hours), 6);
        int minutes[8] = {0};
        size_t h;
        json_t *slot;
        json_array_foreach(hours, h, slot)
        {
            assert_string_equal(str(slot, "kind"), "phone");
            minutes[json_integer_value(get(slot, "weekday"))] +=
                (int)(json_integer_value(get(slot, "end")) -
                      json_integer_value(get(slot, "start")));
        }
        assert_int_equal(minutes[1], 180); /* Monday 09-12 */
        assert_int_equal(minutes[2], 300); /* Tuesday 09-12, 13-15 */
        assert_int_equal(minutes[3], 180);
        assert_int_equal(minutes[4], 300);
        assert_int_equal(minutes[5] + minutes[6] + minutes[7], 0);
        json_t *ex = get(d, "exceptions");
        assert_int_equal(json_array_size(ex), 1);
        assert_string_equal(str(json_array_get(ex, 0), "date"), "2021-12-30");
        assert_true(json_is_true(get(json_array_get(ex, 0), "closed")));
    }
    assert_int_equal(contacts, 10);

    /* The DPO, with name and telephone. */
    json_t *dpo = get(site, "dpo");
    assert_true(json_is_true(get(dpo, "is_dpo")));
    assert_string_equal(str(dpo, "name"), "Jens Harmsdorf");
    assert_string_equal(str(dpo, "phone"), "+49 3841 5550-190");
    assert_string_equal(str(dpo, "department"), "hauptamt");

    /* Pages: all four kinds, German and English; phishing advice also in Leichte Sprache. */
    json_t *pages = get(site, "pages");
    assert_int_equal(json_object_size(pages), 4);
    const char *kinds[] = {"imprint", "privacy", "accessibility", "phishing"};
    for (size_t j = 0; j < 4; j++) {
        json_t *pg = get(pages, kinds[j]);
        assert_non_null(json_object_get(pg, "de"));
        assert_non_null(json_object_get(pg, "en"));
    }
    assert_int_equal(json_object_size(get(pages, "phishing")), 3);
    assert_non_null(strstr(str(get(get(pages, "accessibility"), "de"), "body_md"), "BITV 2.0"));
    json_decref(site);

    assert_int_equal(nb_site_load(f->s, "gibt-es-nicht", &site), NB_ERR_NOTFOUND);
    assert_null(site);
    assert_int_equal(nb_site_load(f->s, "Kein Slug", &site), NB_ERR_NOTFOUND);
    assert_int_equal(nb_site_load(f->s, NULL, &site), NB_ERR_NOTFOUND);
}

static long long rows(sqlite3 *db)
{
    const char *tables[] = {"offices",          "office_settings",       "office_state_notes",
                            "notices",          "notice_versions",       "press_updates",
                            "press_texts",      "departments",           "department_names",
                            "contacts",         "contact_roles",         "hours_weekly",
                            "hours_exceptions", "hours_exception_slots", "hours_exception_notes",
                            "services",         "service_texts",         "page_versions"};
    long long n = 0;
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        char sql[80];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
        long long c = tmpdb_int(db, sql);
        assert_true(c >= 0);
        n += c;
    }
    return n;
}

static void test_demo_idempotent(void **state)
{
    struct fix *f = *state;
    assert_int_equal(nb_demo_create(f->s), NB_OK);
    json_t *first, *second;
    assert_int_equal(nb_site_load(f->s, NB_DEMO_SLUG, &first), NB_OK);
    sqlite3 *raw = tmpdb_raw(&f->db);
    long long before = rows(raw);
    assert_true(before > 100);

    assert_int_equal(nb_demo_create(f->s), NB_OK);
    assert_int_equal(rows(raw), before);
    assert_int_equal(nb_site_load(f->s, NB_DEMO_SLUG, &second), NB_OK);
    assert_true(json_equal(first, second));
    json_decref(first);
    json_decref(second);

    /* Also when the demo office has been edited meanwhile: the edit stays. */
    int64_t id;
    assert_int_equal(nb_office_id_by_slug(f->s, NB_STR(NB_DEMO_SLUG), &id), NB_OK);
    assert_int_equal(
        nb_office_set_state(f->s, id, NB_STR("wiederanlauf"), 1641000000, NULL, 0, 1641000000),
        NB_OK);
    long long edited = rows(raw);
    assert_int_equal(nb_demo_create(f->s), NB_OK);
    assert_int_equal(rows(raw), edited);
    json_t *o;
    assert_int_equal(nb_office_get(f->s, id, &o), NB_OK);
    assert_string_equal(str(o, "state"), "wiederanlauf");
    json_decref(o);
    json_t *list;
    assert_int_equal(nb_office_list(f->s, &list), NB_OK);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    sqlite3_close(raw);
}

/* The document holds only what the public may see, and keeps its shape when empty. */
static void test_site_public_only(void **state)
{
    struct fix *f = *state;
    const struct nb_store_office o = {NB_STR("leer"), NB_STR("Amt Leer"), NB_STR("BE"), {NULL, 0}};
    int64_t id;
    assert_int_equal(nb_office_create(f->s, &o, 1000, &id), NB_OK);
    json_t *site;
    assert_int_equal(nb_site_load(f->s, "leer", &site), NB_OK);
    assert_int_equal(json_integer_value(get(site, "changed_at")), 1000);
    assert_true(json_is_null(get(site, "dpo")));
    assert_int_equal(json_array_size(get(site, "notices")), 0);
    json_t *pages = get(site, "pages");
    assert_int_equal(json_object_size(pages), 4);
    assert_int_equal(json_object_size(get(pages, "privacy")), 0);
    json_t *settings = get(get(site, "office"), "settings");
    assert_true(json_is_null(get(settings, "email")));
    json_decref(site);

    /* A notice without a version, an unpublished one and a withdrawn press update stay out;
     * creating a notice without text does not move the "Stand". */
    const struct nb_store_notice draft = {.slug = NB_STR("entwurf")};
    assert_int_equal(nb_notice_create(f->s, id, &draft, 2000), NB_OK);
    const struct nb_store_notice hidden = {.slug = NB_STR("versteckt")};
    const struct nb_store_notice_variant v = {NB_STR("de"), NB_STR("T"), NB_STR("x"), NB_STR("a")};
    assert_int_equal(nb_notice_create(f->s, id, &hidden, 2000), NB_OK);
    assert_int_equal(nb_site_load(f->s, "leer", &site), NB_OK);
    assert_int_equal(json_integer_value(get(site, "changed_at")), 1000);
    json_decref(site);
    assert_int_equal(nb_notice_publish(f->s, id, hidden.slug, &v, 3000, NULL), NB_OK);
    assert_int_equal(nb_notice_set_published(f->s, id, hidden.slug, false, 4000), NB_OK);
    const struct nb_store_press_text pt = {NB_STR("de"), NB_STR("P"), NB_STR("x")};
    assert_int_equal(nb_press_create(f->s, id, NB_STR("p1"), 3000, &pt, 1, 3000), NB_OK);
    assert_int_equal(nb_press_create(f->s, id, NB_STR("p2"), 3500, &pt, 1, 3500), NB_OK);
    assert_int_equal(nb_press_set_published(f->s, id, NB_STR("p2"), false, 5000), NB_OK);

    assert_int_equal(nb_site_load(f->s, "leer", &site), NB_OK);
    assert_int_equal(json_array_size(get(site, "notices")), 0);
    assert_int_equal(json_array_size(get(site, "press")), 1);
    assert_string_equal(str(json_array_get(get(site, "press"), 0), "slug"), "p1");
    /* Withdrawing is a visible change too. */
    assert_int_equal(json_integer_value(get(site, "changed_at")), 5000);
    json_decref(site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demo_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_site_public_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
