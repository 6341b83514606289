/* Unit tests for base/str: comparison, search, trim and cut of views, nb_str_to_u64 on both
 * sides of its maximum, slugs on both sides of NB_SLUG_MAX and each of their rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/limits.h"
#include "base/str.h"

/* A view of n bytes that is not NUL-terminated where it ends. */
static struct nb_str view(const char *s, size_t n)
{
    return (struct nb_str){s, n};
}

static void test_eq(void **state)
{
    (void)state;
    assert_true(nb_str_eq(NB_STR("abc"), NB_STR("abc")));
    assert_false(nb_str_eq(NB_STR("abc"), NB_STR("abd")));
    assert_false(nb_str_eq(NB_STR("abc"), NB_STR("ab")));
    assert_false(nb_str_eq(NB_STR("ab"), NB_STR("abc")));
    assert_false(nb_str_eq(NB_STR("abc"), NB_STR("ABC")));
    assert_true(nb_str_eq(NB_STR(""), (struct nb_str){NULL, 0})); /* empty views are equal */
    assert_true(nb_str_eq(view("abcdef", 3), NB_STR("abc")));     /* the length counts, not NUL */
    assert_true(nb_str_eq(view("a\0b", 3), view("a\0b", 3)));
    assert_false(nb_str_eq(view("a\0b", 3), view("a\0c", 3)));

    assert_true(nb_str_eq_c(NB_STR("abc"), "abc"));
    assert_false(nb_str_eq_c(NB_STR("abc"), "abcd"));
    assert_true(nb_str_eq_c(NB_STR(""), NULL)); /* NULL is the empty string */
    assert_false(nb_str_eq_c(NB_STR("a"), NULL));

    struct nb_str c = nb_str_c(NULL);
    assert_non_null(c.ptr);
    assert_int_equal(c.len, 0);
    c = nb_str_c("hello");
    assert_int_equal(c.len, 5);
}

static void test_eq_nocase(void **state)
{
    (void)state;
    assert_true(nb_str_eq_nocase(NB_STR("Content-Type"), NB_STR("content-type")));
    assert_true(nb_str_eq_nocase(NB_STR("AZaz09"), NB_STR("azAZ09")));
    assert_false(nb_str_eq_nocase(NB_STR("abc"), NB_STR("abd")));
    assert_false(nb_str_eq_nocase(NB_STR("abc"), NB_STR("abcd")));
    assert_true(nb_str_eq_nocase(NB_STR(""), NB_STR("")));
    /* ASCII only: the letters next to the ranges and non-ASCII bytes are not folded */
    assert_false(nb_str_eq_nocase(NB_STR("@"), NB_STR("`"))); /* 0x40 vs 0x60 */
    assert_false(nb_str_eq_nocase(NB_STR("["), NB_STR("{"))); /* 0x5B vs 0x7B */
    assert_false(nb_str_eq_nocase(NB_STR("\xc4"), NB_STR("\xe4")));
    assert_false(nb_str_eq_nocase(NB_STR("\xc3\x84"), NB_STR("\xc3\xa4"))); /* Ä vs ä */
}

static void test_starts_ends(void **state)
{
    (void)state;
    assert_true(nb_str_starts(NB_STR("/en/offices"), NB_STR("/en/")));
    assert_true(nb_str_starts(NB_STR("abc"), NB_STR("abc")));
    assert_true(nb_str_starts(NB_STR("abc"), NB_STR("")));
    assert_true(nb_str_starts((struct nb_str){NULL, 0}, (struct nb_str){NULL, 0}));
    assert_false(nb_str_starts(NB_STR("abc"), NB_STR("abcd")));
    assert_false(nb_str_starts(NB_STR("abc"), NB_STR("b")));
    assert_false(nb_str_starts(NB_STR("abc"), NB_STR("A")));

    assert_true(nb_str_ends(NB_STR("file.mustache"), NB_STR(".mustache")));
    assert_true(nb_str_ends(NB_STR("abc"), NB_STR("abc")));
    assert_true(nb_str_ends(NB_STR("abc"), NB_STR("")));
    assert_false(nb_str_ends(NB_STR("abc"), NB_STR("xabc")));
    assert_false(nb_str_ends(NB_STR("abc"), NB_STR("b")));
    assert_false(nb_str_ends(NB_STR("abc"), NB_STR("a")));
    assert_true(nb_str_ends(view("abcdef", 3), NB_STR("bc"))); /* the view's end, not NUL */
}

static void test_find(void **state)
{
    (void)state;
    assert_int_equal(nb_str_find(NB_STR("a=b=c"), '='), 1);
    assert_int_equal(nb_str_find(NB_STR("abc"), 'a'), 0);
    assert_int_equal(nb_str_find(NB_STR("abc"), 'c'), 2);
    assert_int_equal(nb_str_find(NB_STR("abc"), 'x'), -1);
    assert_int_equal(nb_str_find(NB_STR(""), 'x'), -1);
    assert_int_equal(nb_str_find((struct nb_str){NULL, 0}, 'x'), -1);
    assert_int_equal(nb_str_find(view("abcx", 3), 'x'), -1); /* past the view */
    assert_int_equal(nb_str_find(view("a\0b", 3), '\0'), 1);
    assert_int_equal(nb_str_find(NB_STR("a\xff"), '\xff'), 1);
}

static void test_trim(void **state)
{
    (void)state;
    struct nb_str t = nb_str_trim(NB_STR(" \t a b \t "));
    assert_int_equal(t.len, 3);
    assert_memory_equal(t.ptr, "a b", 3);
    t = nb_str_trim(NB_STR("ab"));
    assert_int_equal(t.len, 2);
    t = nb_str_trim(NB_STR("   "));
    assert_int_equal(t.len, 0);
    t = nb_str_trim(NB_STR(""));
    assert_int_equal(t.len, 0);
    t = nb_str_trim(NB_STR("\tx"));
    assert_int_equal(t.len, 1);
    assert_int_equal(t.ptr[0], 'x');
    t = nb_str_trim(NB_STR("x "));
    assert_int_equal(t.len, 1);
    assert_int_equal(t.ptr[0], 'x');
    /* only space and tab */
    t = nb_str_trim(NB_STR("\nx\r"));
    assert_int_equal(t.len, 3);
    t = nb_str_trim(view("x  y", 2)); /* the view's end */
    assert_int_equal(t.len, 1);
}

static void test_cut(void **state)
{
    (void)state;
    struct nb_str head;
    struct nb_str rest = nb_str_cut(NB_STR("key=value=more"), '=', &head);
    assert_true(nb_str_eq_c(head, "key"));
    assert_true(nb_str_eq_c(rest, "value=more"));
    assert_non_null(rest.ptr);

    rest = nb_str_cut(NB_STR("=v"), '=', &head);
    assert_int_equal(head.len, 0);
    assert_true(nb_str_eq_c(rest, "v"));

    rest = nb_str_cut(NB_STR("k="), '=', &head);
    assert_true(nb_str_eq_c(head, "k"));
    assert_int_equal(rest.len, 0);
    assert_non_null(rest.ptr); /* present but empty: distinguishable from absent */

    rest = nb_str_cut(NB_STR("novalue"), '=', &head);
    assert_true(nb_str_eq_c(head, "novalue"));
    assert_null(rest.ptr);
    assert_int_equal(rest.len, 0);

    rest = nb_str_cut(view("ab=c", 2), '=', &head); /* sep past the view */
    assert_null(rest.ptr);
    assert_int_equal(head.len, 2);
}

static bool to_u64(const char *s, uint64_t max, uint64_t *out)
{
    return nb_str_to_u64(nb_str_c(s), max, out);
}

static void test_to_u64(void **state)
{
    (void)state;
    uint64_t v = 12345;
    assert_false(to_u64("", 100, &v));
    assert_int_equal(v, 12345); /* untouched on failure */
    assert_false(to_u64("+1", 100, &v));
    assert_false(to_u64("-1", 100, &v));
    assert_false(to_u64("-0", 100, &v));
    assert_false(to_u64(" 1", 100, &v));
    assert_false(to_u64("1 ", 100, &v));
    assert_false(to_u64("1 2", 100, &v));
    assert_false(to_u64("0x10", 100, &v));
    assert_false(to_u64("1a", 100, &v));
    assert_false(to_u64("1.0", 100, &v));
    assert_false(to_u64("/", 100, &v)); /* '0' - 1 */
    assert_false(to_u64(":", 100, &v)); /* '9' + 1 */
    assert_int_equal(v, 12345);

    assert_true(to_u64("0", 100, &v));
    assert_int_equal(v, 0);
    assert_true(to_u64("007", 100, &v));
    assert_int_equal(v, 7);
    assert_true(to_u64("100", 100, &v)); /* max exactly */
    assert_int_equal(v, 100);
    assert_false(to_u64("101", 100, &v)); /* max + 1 */
    assert_false(to_u64("1000", 100, &v));
    assert_true(to_u64("0", 0, &v));
    assert_false(to_u64("1", 0, &v));
    assert_true(to_u64("9", 9, &v));
    assert_false(to_u64("10", 9, &v));
    assert_true(to_u64("1024", 1024, &v));
    assert_false(to_u64("1025", 1024, &v));
    assert_false(to_u64("1030", 1024, &v)); /* first digits fit, the last does not */
    assert_true(to_u64("99", 99, &v));
    assert_false(to_u64("100", 99, &v));

    /* the whole range of uint64_t */
    assert_true(to_u64("18446744073709551615", UINT64_MAX, &v));
    assert_true(v == UINT64_MAX);
    assert_false(to_u64("18446744073709551616", UINT64_MAX, &v)); /* wraps to 0 */
    assert_false(to_u64("18446744073709551620", UINT64_MAX, &v));
    assert_false(to_u64("18446744073709551625", UINT64_MAX, &v));  /* wraps to 9 */
    assert_false(to_u64("99999999999999999999", UINT64_MAX, &v));  /* 20 digits */
    assert_false(to_u64("184467440737095516150", UINT64_MAX, &v)); /* 21 digits */
    assert_false(to_u64("36893488147419103232", UINT64_MAX, &v));  /* 2^65: wraps to 0 */
    assert_true(to_u64("9223372036854775808", UINT64_MAX, &v));    /* 2^63 */
    assert_true(v == UINT64_C(9223372036854775808));
    assert_true(to_u64("18446744073709551614", UINT64_MAX - 1, &v));
    assert_false(to_u64("18446744073709551615", UINT64_MAX - 1, &v));
    assert_true(to_u64("10000000000000000000", UINT64_MAX, &v)); /* 20 digits that fit */
    assert_true(v == UINT64_C(10000000000000000000));

    /* only the view's bytes are read */
    assert_true(nb_str_to_u64(view("12x", 2), 100, &v));
    assert_int_equal(v, 12);
}

static void test_slug(void **state)
{
    (void)state;
    char s[NB_SLUG_MAX + 2];
    memset(s, 'a', sizeof(s));
    assert_true(nb_str_is_slug(view(s, NB_SLUG_MAX)));      /* at the limit */
    assert_false(nb_str_is_slug(view(s, NB_SLUG_MAX + 1))); /* one past */
    assert_true(nb_str_is_slug(view(s, 1)));
    assert_false(nb_str_is_slug(view(s, 0)));

    assert_true(nb_str_is_slug(NB_STR("bad-doberan")));
    assert_true(nb_str_is_slug(NB_STR("a-b-c-1-2-3")));
    assert_true(nb_str_is_slug(NB_STR("a--b")));
    assert_true(nb_str_is_slug(NB_STR("0")));
    assert_true(nb_str_is_slug(NB_STR("09az")));

    /* no '-' at either end */
    assert_false(nb_str_is_slug(NB_STR("-")));
    assert_false(nb_str_is_slug(NB_STR("-ab")));
    assert_false(nb_str_is_slug(NB_STR("ab-")));
    /* lower-case ASCII letters, digits and '-' only */
    assert_false(nb_str_is_slug(NB_STR("Ab")));
    assert_false(nb_str_is_slug(NB_STR("aZ")));
    assert_false(nb_str_is_slug(NB_STR("a_b")));
    assert_false(nb_str_is_slug(NB_STR("a.b")));
    assert_false(nb_str_is_slug(NB_STR("a/b")));
    assert_false(nb_str_is_slug(NB_STR("a b")));
    assert_false(nb_str_is_slug(NB_STR("..")));
    assert_false(nb_str_is_slug(NB_STR("g\xc3\xbcstrow")));
    assert_false(nb_str_is_slug(view("a\0b", 3)));
    /* the characters next to each allowed range */
    assert_false(nb_str_is_slug(NB_STR("a`"))); /* 'a' - 1 */
    assert_false(nb_str_is_slug(NB_STR("a{"))); /* 'z' + 1 */
    assert_false(nb_str_is_slug(NB_STR("a/"))); /* '0' - 1 */
    assert_false(nb_str_is_slug(NB_STR("a:"))); /* '9' + 1 */
    assert_false(nb_str_is_slug(NB_STR("a,"))); /* '-' - 1 */

    /* the limit holds for every content, and a bad byte in the last place counts */
    memset(s, '7', sizeof(s));
    s[NB_SLUG_MAX - 1] = 'X';
    assert_false(nb_str_is_slug(view(s, NB_SLUG_MAX)));
    s[NB_SLUG_MAX - 1] = 'x';
    assert_true(nb_str_is_slug(view(s, NB_SLUG_MAX)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eq),          cmocka_unit_test(test_eq_nocase),
        cmocka_unit_test(test_starts_ends), cmocka_unit_test(test_find),
        cmocka_unit_test(test_trim),        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_to_u64),      cmocka_unit_test(test_slug),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
