/* Unit tests for view/i18n: catalog order and completeness, lookups per language,
 * placeholders, and that every {{t.key}} in the built-in templates has a text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/i18n.h"
#include "../i18n_setup.h"
#include "base/resource.h"

static const char *keys[] = {
#define NB_MSG(key, de) key,
#include "view/messages.def"
#undef NB_MSG
};

static void test_sorted_and_unique(void **state)
{
    (void)state;
    for (size_t i = 1; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(keys[i - 1], keys[i]) >= 0)
            fail_msg("messages.def not sorted at %s, %s", keys[i - 1], keys[i]);
}

static void test_english_complete(void **state)
{
    (void)state;
    struct nb_buf names;
    nb_buf_init(&names, 4096);
    size_t missing = nb_i18n_missing(NB_LANG_EN, &names);
    if (missing)
        fail_msg("%zu keys lack English: %s", missing, names.ptr);
    nb_buf_free(&names);
    assert_int_equal(nb_i18n_missing(NB_LANG_DE, NULL), 0);
}

static void test_lookup(void **state)
{
    (void)state;
    assert_string_equal(nb_i18n_get(NB_LANG_DE, "skip_link"), "Zum Inhalt springen");
    assert_string_equal(nb_i18n_get(NB_LANG_EN, "skip_link"), "Skip to content");
    assert_string_equal(nb_i18n_get(NB_LANG_DE, "no_such_key"), "no_such_key");
    json_t *t = nb_i18n_table(NB_LANG_EN);
    assert_non_null(t);
    assert_string_equal(json_string_value(json_object_get(t, "state_notbetrieb")),
                        "Emergency operation");
    enum nb_lang l;
    assert_true(nb_lang_parse(NB_STR("en"), &l));
    assert_int_equal(l, NB_LANG_EN);
    assert_false(nb_lang_parse(NB_STR("EN"), &l));
    assert_false(nb_lang_parse(NB_STR(""), &l));
}

static void test_format(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 1024);
    nb_i18n_format(&b, NB_LANG_DE, "reach_open_until", "time", "12:00", (char *)NULL);
    assert_string_equal(b.ptr, "Jetzt erreichbar bis 12:00 Uhr.");
    nb_buf_reset(&b);
    nb_i18n_format(&b, NB_LANG_EN, "press_week", "week", "50", "year", "2021", (char *)NULL);
    assert_string_equal(b.ptr, "Week 50/2021");
    nb_buf_reset(&b);
    /* An unknown placeholder stays visible rather than vanishing. */
    nb_i18n_format(&b, NB_LANG_DE, "press_week", "week", "7", (char *)NULL);
    assert_string_equal(b.ptr, "KW 7/{year}");
    nb_buf_free(&b);
}

static int known(const char *k, size_t len)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strlen(keys[i]) == len && memcmp(keys[i], k, len) == 0)
            return 1;
    return 0;
}

static void test_templates_use_known_keys(void **state)
{
    (void)state;
    unsigned checked = 0;
    for (unsigned i = 0; i < nb_resources_count; i++) {
        const struct nb_resource *r = &nb_resources[i];
        if (strncmp(r->name, "templates/", 10) != 0)
            continue;
        for (const char *p = strstr(r->data, "{{t."); p; p = strstr(p + 1, "{{t.")) {
            const char *k = p + 4;
            size_t len = strcspn(k, "}");
            if (!known(k, len))
                fail_msg("%s uses unknown text key %.*s", r->name, (int)len, k);
            checked++;
        }
    }
    assert_true(checked > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_and_unique),
        cmocka_unit_test(test_english_complete),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_templates_use_known_keys),
    };
    return cmocka_run_group_tests(tests, i18n_setup, i18n_teardown);
}
