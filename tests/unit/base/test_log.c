/* Unit tests for base/log: nb_log_value bare or quoted, escaping of " and \, control
 * characters replaced, and truncation that never writes past n and never splits an escape. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"

#define CANARY '\x5A'

/* nb_log_value into a roomy buffer. */
static const char *value(const char *s, size_t len)
{
    static char out[512];
    return nb_log_value(out, sizeof(out), s, len);
}

#define VALUE(lit) value((lit), sizeof(lit) - 1)

static void test_bare(void **state)
{
    (void)state;
    static const char safe[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@";
    assert_string_equal(VALUE(safe), safe);
    assert_string_equal(VALUE("127.0.0.1:8080"), "127.0.0.1:8080");
    assert_string_equal(VALUE("/var/lib/nb/db.sqlite"), "/var/lib/nb/db.sqlite");
    assert_string_equal(VALUE("x"), "x");
    /* only len bytes count */
    assert_string_equal(value("abc def", 3), "abc");
    char out[8];
    assert_ptr_equal(nb_log_value(out, sizeof(out), "a", 1), out); /* returns out */
}

static void test_quoted(void **state)
{
    (void)state;
    assert_string_equal(VALUE(""), "\"\""); /* empty is visible */
    assert_string_equal(VALUE("a b"), "\"a b\"");
    assert_string_equal(VALUE("k=v"), "\"k=v\"");
    assert_string_equal(VALUE("a,b;c"), "\"a,b;c\"");
    assert_string_equal(VALUE("[::1]:80"), "\"[::1]:80\"");
    assert_string_equal(VALUE("x'y"), "\"x'y\"");
    /* non-ASCII bytes are quoted and kept */
    assert_string_equal(VALUE("G\xc3\xbcstrow"), "\"G\xc3\xbcstrow\"");
    /* every byte outside the safe set forces quotes */
    for (int c = 1; c < 256; c++) {
        char s[2] = {'a', (char)c};
        const char *v = value(s, 2);
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '@';
        if ((v[0] == '"') == safe)
            fail_msg("byte 0x%02X: quoted '%s'", c, v);
    }
}

static void test_escaping(void **state)
{
    (void)state;
    assert_string_equal(VALUE("say \"hi\""), "\"say \\\"hi\\\"\"");
    assert_string_equal(VALUE("C:\\dir"), "\"C:\\\\dir\"");
    assert_string_equal(VALUE("\""), "\"\\\"\"");
    assert_string_equal(VALUE("\\"), "\"\\\\\"");
    assert_string_equal(VALUE("\\\""), "\"\\\\\\\"\"");
    /* a quote cannot end the value early: no unescaped " inside */
    const char *v = VALUE("a\" level=error b=\"");
    assert_string_equal(v, "\"a\\\" level=error b=\\\"\"");
}

static void test_controls(void **state)
{
    (void)state;
    /* a newline cannot start a forged log line */
    assert_string_equal(VALUE("a\nts=x level=error"), "\"a?ts=x level=error\"");
    assert_string_equal(VALUE("\r\t"), "\"??\"");
    assert_string_equal(VALUE("\x7f"), "\"?\"");
    assert_string_equal(value("a\0b", 3), "\"a?b\"");
    for (int c = 0; c < 0x20; c++) {
        char s[1] = {(char)c};
        assert_string_equal(value(s, 1), "\"?\"");
    }
    /* bytes of UTF-8 (0x80-0xFF) are not controls */
    assert_string_equal(VALUE("\xc2\x85"), "\"\xc2\x85\"");
}

/* The escaped units of s (1 or 2 bytes each) as nb_log_value writes them in quotes. */
static size_t unit(unsigned char c, char out[2])
{
    if (c == '"' || c == '\\') {
        out[0] = '\\';
        out[1] = (char)c;
        return 2;
    }
    out[0] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    return 1;
}

/* What a buffer of n bytes must hold: the longest prefix of whole units that fits with both
 * quotes and the NUL (bare values: the longest prefix that fits with the NUL). */
static void expected(char *want, size_t n, const char *s, size_t len, bool bare)
{
    want[0] = '\0';
    if (n < 3)
        return;
    size_t o = 0;
    if (bare) {
        for (size_t i = 0; i < len && o + 1 < n; i++)
            want[o++] = s[i];
        want[o] = '\0';
        return;
    }
    want[o++] = '"';
    for (size_t i = 0; i < len; i++) {
        char u[2];
        size_t k = unit((unsigned char)s[i], u);
        if (o + k + 2 > n) /* the unit, the closing quote and the NUL */
            break;
        memcpy(want + o, u, k);
        o += k;
    }
    want[o++] = '"';
    want[o] = '\0';
}

static void test_truncation(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool bare;
    } cases[] = {
        {"abcdefghij", true},    {"a b c d e f g", false}, {"\"\"\"\"\"\"", false},
        {"a\\b\\c\\d\\", false}, {"x\"y\\z\n w", false},   {"", false},
    };
    char out[64];
    char want[64];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *s = cases[i].s;
        size_t len = strlen(s);
        for (size_t n = 0; n < 40; n++) {
            memset(out, CANARY, sizeof(out));
            const char *r = nb_log_value(out, n, s, len);
            assert_ptr_equal(r, out);
            for (size_t k = n; k < sizeof(out); k++) /* nothing written past n */
                if (out[k] != CANARY)
                    fail_msg("case %zu, n %zu: byte %zu written", i, n, k);
            if (n == 0)
                continue;
            assert_true(memchr(out, '\0', n) != NULL); /* terminated within n */
            expected(want, n, s, len, cases[i].bare);
            if (strcmp(out, want) != 0)
                fail_msg("case %zu, n %zu: got '%s', want '%s'", i, n, out, want);
        }
    }

    /* the small sizes spelled out */
    memset(out, CANARY, sizeof(out));
    nb_log_value(out, 0, "a b", 3);
    assert_int_equal(out[0], CANARY);
    nb_log_value(out, 1, "a b", 3);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[1], CANARY);
    memset(out, CANARY, sizeof(out));
    nb_log_value(out, 2, "ab", 2);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[2], CANARY);
    memset(out, CANARY, sizeof(out));
    nb_log_value(out, 3, "a b", 3);
    assert_string_equal(out, "\"\"");
    assert_int_equal(out[3], CANARY);
    nb_log_value(out, 3, "abc", 3);
    assert_string_equal(out, "ab");
    nb_log_value(out, 4, "\"", 1); /* an escape needs 2: it is dropped whole */
    assert_string_equal(out, "\"\"");
    nb_log_value(out, 5, "\"", 1); /* exactly fits */
    assert_string_equal(out, "\"\\\"\"");
    nb_log_value(out, 6, "a b", 3); /* exactly fits */
    assert_string_equal(out, "\"a b\"");
    nb_log_value(out, 5, "a b", 3); /* one short */
    assert_string_equal(out, "\"a \"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bare),       cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_escaping),   cmocka_unit_test(test_controls),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
