/* Unit tests for http/route.c: literal segments, placeholders, the rest placeholder, the
 * root, specificity (the literal count), and paths that must not match (empty segments, a
 * trailing slash, one segment too many or too few, too many placeholders). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/route.h"

static int m(const char *pattern, const char *path, struct nb_route_params *p)
{
    return nb_route_match(pattern, nb_str_c(path), p);
}

static void test_literals_and_placeholders(void **state)
{
    (void)state;
    struct nb_route_params p;
    assert_int_equal(m("/meldungen", "/meldungen", &p), 1);
    assert_int_equal(p.n, 0);
    assert_int_equal(m("/meldungen/neu", "/meldungen/neu", &p), 2);
    assert_int_equal(m("/meldungen/{slug}", "/meldungen/neu", &p), 1);
    assert_int_equal(p.n, 1);
    assert_true(nb_str_eq_c(p.v[0], "neu"));
    assert_int_equal(m("/meldungen/{slug}/{lang}/versionen/{n}", "/meldungen/a/de/versionen/12", &p),
                     2);
    assert_int_equal(p.n, 3);
    assert_true(nb_str_eq_c(p.v[0], "a"));
    assert_true(nb_str_eq_c(p.v[1], "de"));
    assert_true(nb_str_eq_c(p.v[2], "12"));
    /* A literal beats a placeholder in the same place: more literal segments. */
    assert_true(m("/meldungen/{slug}/anheften", "/meldungen/x/anheften", &p) >
                m("/meldungen/{slug}/{lang}", "/meldungen/x/anheften", &p));
}

static void test_root_and_rest(void **state)
{
    (void)state;
    struct nb_route_params p;
    assert_int_equal(m("/", "/", &p), 0);
    assert_int_equal(m("/", "/x", &p), -1);
    assert_int_equal(m("/x", "/", &p), -1);
    assert_int_equal(m("/{page...}", "/a/b/c", &p), 0);
    assert_true(nb_str_eq_c(p.v[0], "a/b/c"));
    assert_int_equal(m("/api/{rest...}", "/api/v1", &p), 1);
    assert_true(nb_str_eq_c(p.v[0], "v1"));
    assert_int_equal(m("/api/{rest...}", "/api", &p), -1);
    assert_int_equal(m("/api/{rest...}", "/api/", &p), -1);
}

static void test_no_match(void **state)
{
    (void)state;
    struct nb_route_params p;
    assert_int_equal(m("/meldungen", "/meldungen/", &p), -1);      /* trailing slash */
    assert_int_equal(m("/meldungen/{slug}", "/meldungen//", &p), -1); /* empty segment */
    assert_int_equal(m("/meldungen/{slug}", "/meldungen", &p), -1);
    assert_int_equal(m("/meldungen/{slug}", "/meldungen/a/b", &p), -1);
    assert_int_equal(m("/meldungen", "/Meldungen", &p), -1);
    assert_int_equal(m("/meldungen", "/meldungenx", &p), -1);
    assert_int_equal(m("/meldungen", "", &p), -1);
    /* One placeholder too many for the params array: refused, never written past it. */
    assert_int_equal(m("/{a}/{b}/{c}/{d}/{e}", "/1/2/3/4/5", &p), -1);
    assert_int_equal(m("/{a}/{b}/{c}/{d}", "/1/2/3/4", &p), 0);
    assert_int_equal(p.n, NB_ROUTE_PARAMS_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_placeholders),
        cmocka_unit_test(test_root_and_rest),
        cmocka_unit_test(test_no_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
