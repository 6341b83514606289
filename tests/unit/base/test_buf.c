/* Unit tests for base/buf: the cap on both sides with a sticky error, growth, printf, HTML and
 * URL escaping, take/reset/free. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* Content of b must be exactly want (length and bytes), NUL-terminated. */
static void assert_content(const struct nb_buf *b, const char *want, size_t want_len)
{
    assert_int_equal(b->err, NB_OK);
    assert_int_equal(b->len, want_len);
    assert_non_null(b->ptr);
    assert_memory_equal(b->ptr, want, want_len);
    assert_int_equal(b->ptr[b->len], '\0');
}

static void test_cap_exact_accepted(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 10);
    assert_null(b.ptr);             /* nothing allocated yet */
    nb_buf_add_c(&b, "0123456789"); /* exactly max */
    assert_content(&b, "0123456789", 10);
    assert_true(b.cap <= 11); /* never allocates past max + NUL */
    nb_buf_add(&b, "", 0);    /* an empty append at the cap is fine */
    assert_int_equal(b.err, NB_OK);
    nb_buf_free(&b);

    /* Reaching the cap in small steps ends the same way. */
    nb_buf_init(&b, 10);
    for (int i = 0; i < 10; i++)
        nb_buf_add_char(&b, (char)('a' + i));
    assert_content(&b, "abcdefghij", 10);
    nb_buf_free(&b);
}

static void test_cap_plus_one_sticky(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 10);
    nb_buf_add_c(&b, "0123456789A"); /* max + 1 in one go */
    assert_int_equal(b.err, NB_ERR_LIMIT);
    assert_int_equal(b.len, 0);
    nb_buf_free(&b);

    nb_buf_init(&b, 10);
    nb_buf_add_c(&b, "01234");
    nb_buf_add_c(&b, "56789");
    assert_int_equal(b.err, NB_OK);
    nb_buf_add_char(&b, 'X'); /* max + 1 by one byte */
    assert_int_equal(b.err, NB_ERR_LIMIT);
    assert_int_equal(b.len, 10);
    assert_memory_equal(b.ptr, "0123456789", 11); /* content unchanged, still terminated */

    /* Sticky: later appends do nothing, even ones that would fit after a reset. */
    nb_buf_add(&b, "", 0);
    nb_buf_add_html(&b, NB_STR("<"));
    nb_buf_add_url(&b, NB_STR(" "));
    nb_buf_printf(&b, "%d", 1);
    nb_buf_add_str(&b, NB_STR("y"));
    assert_int_equal(b.err, NB_ERR_LIMIT);
    assert_int_equal(b.len, 10);

    /* An error hands nothing out and frees. */
    size_t len = 99;
    assert_null(nb_buf_take(&b, &len));
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    nb_buf_free(&b);

    /* Limit of zero: the empty string only. */
    nb_buf_init(&b, 0);
    nb_buf_add_c(&b, "");
    assert_content(&b, "", 0);
    nb_buf_add_char(&b, 'a');
    assert_int_equal(b.err, NB_ERR_LIMIT);
    nb_buf_free(&b);
}

static void test_sticky_after_error_then_small_append(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 8);
    nb_buf_add_c(&b, "abc");
    nb_buf_add_c(&b, "this is too long");
    assert_int_equal(b.err, NB_ERR_LIMIT);
    nb_buf_add_c(&b, "d"); /* would fit, but the error is sticky */
    assert_int_equal(b.err, NB_ERR_LIMIT);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.ptr, "abc");
    nb_buf_free(&b);
}

static void test_growth_many_appends(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 100000);
    for (int i = 0; i < 10000; i++)
        nb_buf_add_char(&b, (char)('a' + i % 26));
    assert_int_equal(b.err, NB_OK);
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);
    for (size_t i = 0; i < b.len; i++)
        assert_int_equal(b.ptr[i], 'a' + (int)(i % 26));
    assert_int_equal(b.ptr[b.len], '\0');

    /* Larger chunks, up to the cap exactly, then one past it. */
    char chunk[1000];
    memset(chunk, 'z', sizeof(chunk));
    for (int i = 0; i < 90; i++)
        nb_buf_add(&b, chunk, sizeof(chunk));
    assert_int_equal(b.err, NB_OK);
    assert_int_equal(b.len, 100000);
    assert_int_equal(b.cap, 100001); /* the last growth was clamped to max + NUL */
    assert_int_equal(b.ptr[99999], 'z');
    assert_int_equal(b.ptr[100000], '\0');
    nb_buf_add_char(&b, 'z');
    assert_int_equal(b.err, NB_ERR_LIMIT);
    assert_int_equal(b.len, 100000);
    nb_buf_free(&b);
}

static void test_printf(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 64);
    nb_buf_printf(&b, "%d-%s-%04u", -12, "ab", 7u);
    assert_content(&b, "-12-ab-0007", 11);
    nb_buf_printf(&b, "%s", "");
    assert_content(&b, "-12-ab-0007", 11);
    nb_buf_printf(&b, "|%.*s|", 3, "xyzzy");
    assert_content(&b, "-12-ab-0007|xyz|", 16);
    nb_buf_free(&b);

    /* printf respects the cap on both sides. */
    nb_buf_init(&b, 5);
    nb_buf_printf(&b, "%05d", 42); /* exactly 5 */
    assert_content(&b, "00042", 5);
    nb_buf_reset(&b);
    nb_buf_printf(&b, "%06d", 42); /* 6: refused, nothing written */
    assert_int_equal(b.err, NB_ERR_LIMIT);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.ptr[0], '\0');
    nb_buf_free(&b);

    /* A long printf into a fresh buffer grows it past the first allocation. */
    nb_buf_init(&b, 4096);
    nb_buf_printf(&b, "%1000d", 5);
    assert_int_equal(b.err, NB_OK);
    assert_int_equal(b.len, 1000);
    assert_int_equal(b.ptr[998], ' ');
    assert_int_equal(b.ptr[999], '5');
    assert_int_equal(b.ptr[1000], '\0');
    nb_buf_free(&b);
}

static void test_html_escaping(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 1024);
    nb_buf_add_html(&b, NB_STR("a&b<c>d\"e'f"));
    assert_content(&b, "a&amp;b&lt;c&gt;d&quot;e&#39;f", 30);
    nb_buf_reset(&b);

    /* Escapes at both ends and back to back. */
    nb_buf_add_html(&b, NB_STR("<&&>"));
    assert_string_equal(b.ptr, "&lt;&amp;&amp;&gt;");
    nb_buf_reset(&b);

    /* Everything else passes unchanged: all other bytes 1..255, including UTF-8. */
    char all[256];
    size_t n = 0;
    for (int c = 1; c < 256; c++)
        if (c != '&' && c != '<' && c != '>' && c != '"' && c != '\'')
            all[n++] = (char)c;
    nb_buf_add_html(&b, (struct nb_str){all, n});
    assert_content(&b, all, n);
    nb_buf_reset(&b);

    nb_buf_add_html(&b, NB_STR("Gr\xc3\xbc\xc3\x9f Gott \xe2\x82\xac =;/#%"));
    assert_string_equal(b.ptr, "Gr\xc3\xbc\xc3\x9f Gott \xe2\x82\xac =;/#%");
    nb_buf_reset(&b);

    /* An embedded NUL is content, not an end. */
    nb_buf_add_html(&b, (struct nb_str){"a\0<", 3});
    assert_content(&b, "a\0&lt;", 6);
    nb_buf_reset(&b);

    nb_buf_add_html(&b, NB_STR(""));
    assert_content(&b, "", 0);
    nb_buf_free(&b);

    /* Escaping counts against the cap: "<" becomes 4 bytes. */
    nb_buf_init(&b, 4);
    nb_buf_add_html(&b, NB_STR("<"));
    assert_content(&b, "&lt;", 4);
    nb_buf_reset(&b);
    nb_buf_add_html(&b, NB_STR("'"));
    assert_int_equal(b.err, NB_ERR_LIMIT);
    nb_buf_free(&b);
}

static void test_url_encoding(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 4096);
    static const char unreserved[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    nb_buf_add_url(&b, NB_STR(unreserved));
    assert_content(&b, unreserved, sizeof(unreserved) - 1);
    nb_buf_reset(&b);

    nb_buf_add_url(&b, NB_STR(" !\"#$%&'()*+,/:;=?@[]"));
    assert_string_equal(b.ptr, "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D");
    nb_buf_reset(&b);

    /* UTF-8 bytes one by one, upper-case hex. */
    nb_buf_add_url(&b, NB_STR("M\xc3\xbcller \xe2\x82\xac"));
    assert_string_equal(b.ptr, "M%C3%BCller%20%E2%82%AC");
    nb_buf_reset(&b);

    nb_buf_add_url(&b, (struct nb_str){"\x00\x0a\x7f\xff", 4});
    assert_string_equal(b.ptr, "%00%0A%7F%FF");
    nb_buf_reset(&b);

    /* Every byte: exactly the 66 unreserved stay, the other 190 become %XX. */
    char all[256];
    for (int c = 0; c < 256; c++)
        all[c] = (char)c;
    nb_buf_add_url(&b, (struct nb_str){all, 256});
    assert_int_equal(b.err, NB_OK);
    assert_int_equal(b.len, 66 + 190 * 3);
    for (size_t i = 0; i < b.len; i++) {
        char c = b.ptr[i];
        assert_true((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '%');
    }
    nb_buf_free(&b);
}

static void test_take_reset_free(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 100);

    /* take on an empty, never-used buffer: an allocated empty string. */
    size_t len = 99;
    char *p = nb_buf_take(&b, &len);
    assert_non_null(p);
    assert_int_equal(len, 0);
    assert_string_equal(p, "");
    free(p);

    nb_buf_add_c(&b, "hello");
    p = nb_buf_take(&b, &len);
    assert_non_null(p);
    assert_int_equal(len, 5);
    assert_string_equal(p, "hello");
    /* the buffer is empty again, and usable, with the same cap */
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100);
    nb_buf_add_c(&b, "again");
    assert_string_equal(b.ptr, "again");
    assert_ptr_not_equal(b.ptr, p); /* the taken memory belongs to the caller */
    free(p);
    p = nb_buf_take(&b, NULL); /* len may be NULL */
    assert_string_equal(p, "again");
    free(p);

    /* reset keeps memory, empties, and clears the sticky error */
    nb_buf_add_c(&b, "xyz");
    char *mem = b.ptr;
    size_t cap = b.cap;
    nb_buf_add(&b, mem, 200); /* past the cap (the bytes are never read) */
    assert_int_equal(b.err, NB_ERR_LIMIT);
    nb_buf_reset(&b);
    assert_int_equal(b.err, NB_OK);
    assert_int_equal(b.len, 0);
    assert_ptr_equal(b.ptr, mem);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.ptr, "");
    nb_buf_add_c(&b, "ok");
    assert_content(&b, "ok", 2);
    struct nb_str s = nb_buf_str(&b);
    assert_int_equal(s.len, 2);
    assert_memory_equal(s.ptr, "ok", 2);

    /* free releases, keeps the limit, and leaves a usable empty buffer */
    nb_buf_free(&b);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100);
    assert_int_equal(b.err, NB_OK);
    s = nb_buf_str(&b); /* a view of an empty buffer is "" */
    assert_non_null(s.ptr);
    assert_int_equal(s.len, 0);
    nb_buf_free(&b); /* twice is fine */

    /* reset on a never-used buffer */
    nb_buf_reset(&b);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    nb_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap_exact_accepted),
        cmocka_unit_test(test_cap_plus_one_sticky),
        cmocka_unit_test(test_sticky_after_error_then_small_append),
        cmocka_unit_test(test_growth_many_appends),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_html_escaping),
        cmocka_unit_test(test_url_encoding),
        cmocka_unit_test(test_take_reset_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
