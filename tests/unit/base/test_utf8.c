/* Unit tests for base/utf8: boundaries, the structure of Markus Kuhn's UTF-8 decoder stress test
 * (correct text, boundary code points, unexpected continuation bytes, lonely start bytes,
 * missing continuation bytes, impossible bytes, overlong forms, surrogates), counting and
 * control characters, plus an exhaustive comparison with a plain reference decoder, and the
 * encoder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/utf8.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* A sequence that must decode to cp using all its bytes, and be valid as a whole. */
static void assert_decodes(const char *s, size_t len, uint32_t cp)
{
    uint32_t got = 0xDEADBEEF;
    assert_int_equal(nb_utf8_decode(s, len, &got), len);
    assert_int_equal(got, cp);
    assert_true(nb_utf8_valid(s, len));
}

/* A sequence that must be refused both by decode (at its first byte) and by valid. */
static void assert_refused(const char *s, size_t len)
{
    uint32_t got = 0xDEADBEEF;
    assert_int_equal(nb_utf8_decode(s, len, &got), 0);
    assert_int_equal(got, 0xDEADBEEF); /* untouched on failure */
    assert_false(nb_utf8_valid(s, len));
}

/* Kuhn 1: some correct UTF-8 text ("kosme" in Greek), and 1-4 byte sequences. */
static void test_correct_text(void **state)
{
    (void)state;
    static const char kosme[] = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5";
    assert_true(nb_utf8_valid(S(kosme)));
    assert_int_equal(nb_utf8_count(S(kosme)), 5);

    assert_decodes(S("A"), 'A');
    assert_decodes(S("\xc3\xa4"), 0xE4);       /* ä */
    assert_decodes(S("\xe2\x82\xac"), 0x20AC); /* € */
    assert_decodes(S("\xf0\x9f\x98\x80"), 0x1F600);
    assert_true(nb_utf8_valid("", 0));

    /* decode uses only the first code point of a longer string */
    uint32_t cp = 0;
    assert_int_equal(nb_utf8_decode(S("\xc3\xa4xyz"), &cp), 2);
    assert_int_equal(cp, 0xE4);
    assert_int_equal(nb_utf8_decode("", 0, &cp), 0);

    /* an embedded NUL is a valid code point */
    assert_decodes("\0", 1, 0);
    assert_true(nb_utf8_valid("a\0b", 3));
}

/* Kuhn 2: first and last sequence of each length, and other boundaries. */
static void test_boundaries(void **state)
{
    (void)state;
    assert_decodes(S("\x7f"), 0x7F);
    assert_decodes(S("\xc2\x80"), 0x80);
    assert_decodes(S("\xdf\xbf"), 0x7FF);
    assert_decodes(S("\xe0\xa0\x80"), 0x800);
    assert_decodes(S("\xed\x9f\xbf"), 0xD7FF); /* last before the surrogates */
    assert_decodes(S("\xee\x80\x80"), 0xE000); /* first after them */
    assert_decodes(S("\xef\xbf\xbd"), 0xFFFD);
    assert_decodes(S("\xef\xbf\xbf"), 0xFFFF); /* noncharacters are scalar values: */
    assert_decodes(S("\xef\xbf\xbe"), 0xFFFE); /* RFC 3629 allows them */
    assert_decodes(S("\xf0\x90\x80\x80"), 0x10000);
    assert_decodes(S("\xf4\x8f\xbf\xbf"), 0x10FFFF);

    assert_refused(S("\xf4\x90\x80\x80"));         /* U+110000 */
    assert_refused(S("\xf7\xbf\xbf\xbf"));         /* U+1FFFFF: last 4-byte form of old UTF-8 */
    assert_refused(S("\xf8\x88\x80\x80\x80"));     /* first 5-byte form */
    assert_refused(S("\xfb\xbf\xbf\xbf\xbf"));     /* last 5-byte form */
    assert_refused(S("\xfc\x84\x80\x80\x80\x80")); /* first 6-byte form */
    assert_refused(S("\xfd\xbf\xbf\xbf\xbf\xbf")); /* last 6-byte form */
}

/* Kuhn 3.1: unexpected continuation bytes. */
static void test_lone_continuation(void **state)
{
    (void)state;
    for (int c = 0x80; c <= 0xBF; c++) {
        char s[1] = {(char)c};
        assert_refused(s, 1);
        char t[3] = {'a', (char)c, 'b'};
        assert_false(nb_utf8_valid(t, 3));
    }
    assert_refused(S("\x80\xbf"));
    assert_refused(S("\x80\xbf\x80"));
    assert_refused(S("\x80\xbf\x80\xbf"));
    /* one continuation too many after a complete sequence */
    assert_false(nb_utf8_valid(S("\xc3\xa4\xa4")));
    assert_false(nb_utf8_valid(S("\xe2\x82\xac\x80")));
    assert_false(nb_utf8_valid(S("\xf0\x9f\x98\x80\x80")));
}

/* Kuhn 3.2: lonely start bytes, each followed by a space. */
static void test_lonely_start(void **state)
{
    (void)state;
    for (int c = 0xC0; c <= 0xFF; c++) {
        char s[2] = {(char)c, ' '};
        assert_refused(s, 2);
        assert_refused(s, 1); /* and alone at the end */
    }
}

/* Kuhn 3.3 and 3.4: sequences with the last continuation byte missing, alone and in a row;
 * every proper prefix of a valid sequence is refused. */
static void test_truncated(void **state)
{
    (void)state;
    static const char *const seqs[] = {"\xc2\x80",         "\xdf\xbf",        "\xe0\xa0\x80",
                                       "\xef\xbf\xbf",     "\xed\x9f\xbf",    "\xf0\x90\x80\x80",
                                       "\xf4\x8f\xbf\xbf", "\xf3\xbf\xbf\xbf"};
    for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
        size_t n = strlen(seqs[i]);
        uint32_t cp;
        assert_int_equal(nb_utf8_decode(seqs[i], n, &cp), n);
        for (size_t k = 1; k < n; k++) {
            assert_refused(seqs[i], k);
            /* the missing byte replaced by ASCII */
            char t[5];
            memcpy(t, seqs[i], k);
            t[k] = 'x';
            assert_refused(t, k + 1);
        }
    }
    /* concatenation of incomplete sequences (Kuhn 3.4) */
    static const char cat[] = "\xc0\xe0\x80\xf0\x80\x80\xdf\xef\xbf\xf7\xbf\xbf";
    assert_false(nb_utf8_valid(S(cat)));
    /* a valid sequence followed by a truncated one */
    assert_false(nb_utf8_valid(S("abc\xe2\x82\xac\xe2\x82")));
    assert_true(nb_utf8_valid(S("abc\xe2\x82\xac\xe2\x82\xac")));
}

/* Kuhn 3.5: impossible bytes. */
static void test_impossible_bytes(void **state)
{
    (void)state;
    for (int c = 0xF5; c <= 0xFF; c++) {
        char s[4] = {(char)c, '\x80', '\x80', '\x80'};
        assert_refused(s, 4);
    }
    assert_refused(S("\xfe"));
    assert_refused(S("\xff"));
    assert_refused(S("\xfe\xfe\xff\xff"));
    assert_false(nb_utf8_valid(S("ok\xff")));
}

/* Kuhn 4: overlong forms of '/', the largest overlong of each length, and of NUL. */
static void test_overlong(void **state)
{
    (void)state;
    assert_refused(S("\xc0\xaf"));
    assert_refused(S("\xe0\x80\xaf"));
    assert_refused(S("\xf0\x80\x80\xaf"));
    assert_refused(S("\xf8\x80\x80\x80\xaf"));
    assert_refused(S("\xfc\x80\x80\x80\x80\xaf"));

    assert_refused(S("\xc1\xbf"));         /* U+007F in two bytes */
    assert_refused(S("\xe0\x9f\xbf"));     /* U+07FF in three */
    assert_refused(S("\xf0\x8f\xbf\xbf")); /* U+FFFF in four */

    assert_refused(S("\xc0\x80"));
    assert_refused(S("\xe0\x80\x80"));
    assert_refused(S("\xf0\x80\x80\x80"));
}

/* Kuhn 5: surrogates, single and paired (CESU-8). */
static void test_surrogates(void **state)
{
    (void)state;
    assert_refused(S("\xed\xa0\x80")); /* U+D800 */
    assert_refused(S("\xed\xad\xbf")); /* U+DB7F */
    assert_refused(S("\xed\xae\x80")); /* U+DB80 */
    assert_refused(S("\xed\xaf\xbf")); /* U+DBFF */
    assert_refused(S("\xed\xb0\x80")); /* U+DC00 */
    assert_refused(S("\xed\xbe\x80")); /* U+DF80 */
    assert_refused(S("\xed\xbf\xbf")); /* U+DFFF */
    assert_refused(S("\xed\xa0\x80\xed\xb0\x80"));
    assert_refused(S("\xed\xaf\xbf\xed\xbf\xbf"));
    assert_false(nb_utf8_valid(S("a\xed\xa0\x80")));
}

/* Reference decoder with the rules spelled out the other way round from utf8.c: decode the
 * bit pattern loosely, then refuse overlong forms, surrogates and values above U+10FFFF. */
static size_t ref_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    size_t n;
    uint32_t v, min;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    } else if ((p[0] & 0xE0) == 0xC0) {
        n = 2, v = p[0] & 0x1Fu, min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        n = 3, v = p[0] & 0x0Fu, min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        n = 4, v = p[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

static void assert_same_as_ref(const unsigned char *p, size_t len)
{
    uint32_t want = 0, got = 0;
    size_t rn = ref_decode(p, len, &want);
    size_t n = nb_utf8_decode((const char *)p, len, &got);
    if (n != rn)
        fail_msg("%02X %02X %02X %02X (len %zu): decode %zu, reference %zu", p[0],
                 len > 1 ? p[1] : 0, len > 2 ? p[2] : 0, len > 3 ? p[3] : 0, len, n, rn);
    if (n)
        assert_int_equal(got, want);
}

static void test_exhaustive_against_reference(void **state)
{
    (void)state;
    unsigned char p[4];
    /* every 1- and 2-byte input */
    for (unsigned a = 0; a < 256; a++) {
        p[0] = (unsigned char)a;
        assert_same_as_ref(p, 1);
        for (unsigned b = 0; b < 256; b++) {
            p[1] = (unsigned char)b;
            assert_same_as_ref(p, 2);
        }
    }
    /* every 3-byte input with a 3-byte lead */
    for (unsigned a = 0xE0; a <= 0xEF; a++)
        for (unsigned b = 0; b < 256; b++)
            for (unsigned c = 0; c < 256; c++) {
                p[0] = (unsigned char)a, p[1] = (unsigned char)b, p[2] = (unsigned char)c;
                assert_same_as_ref(p, 3);
            }
    /* 4-byte leads and above, every second byte, the edges of the continuation range after */
    static const unsigned char edge[] = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xFF};
    for (unsigned a = 0xF0; a <= 0xFF; a++)
        for (unsigned b = 0; b < 256; b++)
            for (size_t c = 0; c < sizeof(edge); c++)
                for (size_t d = 0; d < sizeof(edge); d++) {
                    p[0] = (unsigned char)a, p[1] = (unsigned char)b;
                    p[2] = edge[c], p[3] = edge[d];
                    assert_same_as_ref(p, 4);
                }
}

/* The encoder: the exact bytes on both sides of each length, then every scalar value
 * round-trips through the decoder (checked above against the reference) in the length
 * its range calls for. */
static void test_encode(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        const char *bytes;
    } edges[] = {
        {0x00, "\x00"},
        {0x7F, "\x7f"},
        {0x80, "\xc2\x80"},
        {0x7FF, "\xdf\xbf"},
        {0x800, "\xe0\xa0\x80"},
        {0xD7FF, "\xed\x9f\xbf"},
        {0xE000, "\xee\x80\x80"},
        {0xFFFF, "\xef\xbf\xbf"},
        {0x10000, "\xf0\x90\x80\x80"},
        {0x10FFFF, "\xf4\x8f\xbf\xbf"},
    };
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        char out[4];
        size_t want = edges[i].cp == 0 ? 1 : strlen(edges[i].bytes);
        assert_int_equal(nb_utf8_encode(edges[i].cp, out), want);
        assert_memory_equal(out, edges[i].bytes, want);
    }
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp == 0xD800)
            cp = 0xE000;
        char s[4];
        size_t n = nb_utf8_encode(cp, s);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        uint32_t got = 0;
        if (n != want || nb_utf8_decode(s, n, &got) != n || got != cp)
            fail_msg("U+%04X does not round-trip", cp);
    }
}

static void test_count(void **state)
{
    (void)state;
    assert_int_equal(nb_utf8_count("", 0), 0);
    assert_int_equal(nb_utf8_count(S("abc")), 3);
    /* one of each length: a ä € 😀 */
    assert_int_equal(nb_utf8_count(S("a\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80")), 4);
    assert_int_equal(nb_utf8_count(S("\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbf")), 2);
    assert_int_equal(nb_utf8_count("a\0b", 3), 3);
    /* only len bytes are looked at */
    assert_int_equal(nb_utf8_count(S("\xc3\xa4\xc3\xa4") - 2), 1);
}

static void test_has_controls(void **state)
{
    (void)state;
    assert_false(nb_utf8_has_controls("", 0));
    assert_false(nb_utf8_has_controls(S("plain text, 1-2 ~ {}")));
    assert_false(nb_utf8_has_controls(S("tab\tnewline\ncr\r")));
    /* bytes of multi-byte sequences are not controls, nor is C1 (the contract names C0 and
     * DEL only) */
    assert_false(nb_utf8_has_controls(S("\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80\xc2\x85")));
    for (int c = 0; c < 0x20; c++) {
        char s[3] = {'a', (char)c, 'b'};
        bool want = c != '\t' && c != '\n' && c != '\r';
        if (nb_utf8_has_controls(s, 3) != want)
            fail_msg("control 0x%02X: expected %d", c, want);
        assert_int_equal(nb_utf8_has_controls(s, 2), want); /* last byte */
        assert_int_equal(nb_utf8_has_controls(s + 1, 1), want);
    }
    assert_true(nb_utf8_has_controls(S("x\x7f")));
    assert_false(nb_utf8_has_controls(S(" ")));
    assert_false(nb_utf8_has_controls(S("~")));
    /* only len bytes are looked at */
    assert_false(nb_utf8_has_controls(S("ab\x01") - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_correct_text),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_lone_continuation),
        cmocka_unit_test(test_lonely_start),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_impossible_bytes),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_surrogates),
        cmocka_unit_test(test_exhaustive_against_reference),
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_has_controls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
