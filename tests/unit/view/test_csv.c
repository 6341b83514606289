/* Unit tests for view/csv: RFC 4180 quoting, doubled quotes, CRLF rows, and the apostrophe
 * before every cell a spreadsheet would run as a formula (and only before those). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "view/csv.h"

/* The cell of s, as text. */
static void assert_cell(const char *s, size_t len, const char *want)
{
    struct nb_buf b;
    nb_buf_init(&b, 1024);
    nb_csv_cell(&b, (struct nb_str){s, len});
    assert_int_equal(b.err, NB_OK);
    assert_non_null(b.ptr);
    assert_string_equal(b.ptr, want);
    nb_buf_free(&b);
}

static void test_plain_and_quotes(void **state)
{
    (void)state;
    assert_cell("", 0, "\"\"");
    assert_cell("login", 5, "\"login\"");
    assert_cell("a \"b\" c", 7, "\"a \"\"b\"\" c\"");
    assert_cell("\"", 1, "\"\"\"\"");
    assert_cell("x,y\r\nz", 6, "\"x,y\r\nz\"");
    assert_cell("Übersicht", strlen("Übersicht"), "\"Übersicht\""); /* UTF-8 untouched */
}

static void test_formula_cells_neutralised(void **state)
{
    (void)state;
    assert_cell("=1+1", 4, "\"'=1+1\"");
    assert_cell("+49 30", 6, "\"'+49 30\"");
    assert_cell("-2", 2, "\"'-2\"");
    assert_cell("@SUM(A1)", 8, "\"'@SUM(A1)\"");
    assert_cell("\tx", 2, "\"'\tx\"");
    assert_cell("\rx", 2, "\"'\rx\"");
    assert_cell("=\"a\"", 4, "\"'=\"\"a\"\"\"");
    /* Only the first byte counts; other characters are left alone. */
    assert_cell("a=1", 3, "\"a=1\"");
    assert_cell(" =1", 3, "\" =1\"");
    assert_true(nb_csv_risky(nb_str_c("=")));
    assert_false(nb_csv_risky(nb_str_c("")));
    assert_false(nb_csv_risky((struct nb_str){"\0=", 2}));
}

static void test_row(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 1024);
    const struct nb_str f[] = {nb_str_c("1"), nb_str_c("a\"b"), nb_str_c("@x")};
    nb_csv_row(&b, f, 3);
    nb_csv_row(&b, f, 1);
    assert_int_equal(b.err, NB_OK);
    assert_string_equal(b.ptr, "\"1\",\"a\"\"b\",\"'@x\"\r\n\"1\"\r\n");
    nb_buf_free(&b);
}

static void test_cap_is_sticky(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 8);
    const struct nb_str f[] = {nb_str_c("abcdef"), nb_str_c("g")};
    nb_csv_row(&b, f, 2);
    assert_int_equal(b.err, NB_ERR_LIMIT);
    nb_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quotes),
        cmocka_unit_test(test_formula_cells_neutralised),
        cmocka_unit_test(test_row),
        cmocka_unit_test(test_cap_is_sticky),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
