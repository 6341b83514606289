/* Unit tests for http/parse: every parser on both sides of its limits and with malformed
 * input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "http/parse.h"

static struct nb_arena arena;

static int setup(void **state)
{
    (void)state;
    nb_arena_init(&arena, 1u << 20);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    nb_arena_fini(&arena);
    return 0;
}

static struct nb_str S(const char *s) {
    return nb_str_c(s);
}

static void
assert_str(struct nb_str got, const char *want)
{
    if (!nb_str_eq_c(got, want))
        fail_msg("got \"%.*s\", want \"%s\"", NB_STR_FMT(got), want);
}

/* A string of n bytes c in the arena. */
static char *filled(size_t n, char c)
{
    char *p = nb_arena_alloc(&arena, n + 1);
    assert_non_null(p);
    memset(p, c, n);
    p[n] = '\0';
    return p;
}

/* ---- path ----------------------------------------------------------------------------- */

static enum nb_err path(const char *raw, struct nb_http_path *out)
{
    return nb_http_path_parse(S(raw), &arena, out);
}

static void test_path_valid(void **state)
{
    (void)state;
    struct nb_http_path p;
    assert_int_equal(path("/", &p), NB_OK);
    assert_str(p.decoded, "/");
    assert_int_equal(p.nseg, 0);
    assert_false(p.trailing_slash);

    assert_int_equal(path("/en/notices/42", &p), NB_OK);
    assert_int_equal(p.nseg, 3);
    assert_str(p.seg[0], "en");
    assert_str(p.seg[1], "notices");
    assert_str(p.seg[2], "42");
    assert_false(p.trailing_slash);

    assert_int_equal(path("/en/", &p), NB_OK);
    assert_int_equal(p.nseg, 1);
    assert_str(p.seg[0], "en");
    assert_true(p.trailing_slash);

    assert_int_equal(path("/a%20b/%C3%A4rger", &p), NB_OK);
    assert_str(p.decoded, "/a b/\xC3\xA4rger");
    assert_str(p.seg[0], "a b");
    assert_str(p.seg[1], "\xC3\xA4rger");

    /* "%25" decodes to '%' once, not twice. */
    assert_int_equal(path("/100%2541", &p), NB_OK);
    assert_str(p.seg[0], "100%41");

    /* Sub-delims, ':' and '@' are pchar; dots inside names are fine. */
    assert_int_equal(path("/a+b/c;d=e/f:g@h/!$&'()*,/x..y/.../.hidden", &p), NB_OK);
    assert_int_equal(p.nseg, 7);
    assert_str(p.seg[0], "a+b");
    assert_str(p.seg[4], "x..y");
    assert_str(p.seg[5], "...");
    assert_str(p.seg[6], ".hidden");
}

static void test_path_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",           "a",          "en/x",          "//",      "/a//b",
        "/./a",       "/a/.",       "/a/..",         "/..",     "/.",
        "/%2e",       "/%2E%2e/x",  "/a/.%2E",       "/a%2fb",  "/a%2Fb",
        "/a%00b",     "/a%0a",      "/a%0D",         "/a%7F",   "/a%5Cb",
        "/a%",        "/a%4",       "/a%zz",         "/a%4g",   "/a b",
        "/a\tb",      "/a\x01",     "/\xC3\xA4",     "/a#b",    "/a?b",
        "/a\"b",      "/a<b",       "/a\\b",         "/a{b",    "/a|b",
        "/a^b",       "/a`b",       "/%C3",          "/%C3%28", "/%C0%AF",
        "/%E0%80%AF", "/%ED%A0%80", "/%F4%90%80%80", "/%FF",    "/%80",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct nb_http_path p;
        enum nb_err err = path(bad[i], &p);
        if (err != NB_ERR_INPUT)
            fail_msg("path \"%s\": got %s, want input", bad[i], nb_err_str(err));
        assert_int_equal(p.nseg, 0);
        assert_int_equal(p.decoded.len, 0);
    }
    /* An embedded NUL in the view itself. */
    struct nb_http_path p;
    assert_int_equal(nb_http_path_parse((struct nb_str){"/a\0b", 4}, &arena, &p), NB_ERR_INPUT);
}

static void test_path_limits(void **state)
{
    (void)state;
    struct nb_http_path p;
    /* Length: exactly NB_HTTP_URI_MAX accepted, one more refused. */
    char *raw = filled(NB_HTTP_URI_MAX + 1, 'a');
    raw[0] = '/';
    assert_int_equal(nb_http_path_parse((struct nb_str){raw, NB_HTTP_URI_MAX}, &arena, &p), NB_OK);
    assert_int_equal(p.nseg, 1);
    assert_int_equal(nb_http_path_parse((struct nb_str){raw, NB_HTTP_URI_MAX + 1}, &arena, &p),
                     NB_ERR_LIMIT);

    /* Segments: NB_HTTP_PATH_SEGMENTS_MAX accepted (with a final slash too), one more not. */
    struct nb_buf b;
    nb_buf_init(&b, 4096);
    for (unsigned i = 0; i < NB_HTTP_PATH_SEGMENTS_MAX; i++)
        nb_buf_printf(&b, "/s%u", i);
    assert_int_equal(b.err, NB_OK);
    assert_int_equal(nb_http_path_parse(nb_buf_str(&b), &arena, &p), NB_OK);
    assert_int_equal(p.nseg, NB_HTTP_PATH_SEGMENTS_MAX);
    assert_str(p.seg[NB_HTTP_PATH_SEGMENTS_MAX - 1], "s15");
    nb_buf_add_c(&b, "/");
    assert_int_equal(nb_http_path_parse(nb_buf_str(&b), &arena, &p), NB_OK);
    assert_true(p.trailing_slash);
    nb_buf_add_c(&b, "x");
    assert_int_equal(nb_http_path_parse(nb_buf_str(&b), &arena, &p), NB_ERR_LIMIT);
    assert_int_equal(p.nseg, 0);
    nb_buf_free(&b);

    /* Decoding needs arena memory only when there is an escape. */
    struct nb_arena tiny;
    nb_arena_init(&tiny, 8);
    assert_int_equal(nb_http_path_parse(S("/plain/path/that/is/long"), &tiny, &p), NB_OK);
    assert_int_equal(nb_http_path_parse(S("/escaped%20path/that/is/long"), &tiny, &p),
                     NB_ERR_NOMEM);
    nb_arena_fini(&tiny);
}

/* ---- query and form ------------------------------------------------------------------- */

static enum nb_err qget(const char *q, const char *name, struct nb_str *v)
{
    return nb_http_query_get(S(q), name, &arena, v);
}

static void test_query_get(void **state)
{
    (void)state;
    struct nb_str v;
    assert_int_equal(qget("a=1&b=2", "b", &v), NB_OK);
    assert_str(v, "2");
    assert_int_equal(qget("a=1&b=2", "a", &v), NB_OK);
    assert_str(v, "1");
    assert_int_equal(qget("a=1&b=2", "c", &v), NB_ERR_NOTFOUND);
    assert_int_equal(qget("", "a", &v), NB_ERR_NOTFOUND);
    assert_int_equal(qget("q=Stra%C3%9Fe+und+Platz%21", "q", &v), NB_OK);
    assert_str(v, "Stra\xC3\x9F"
                  "e und Platz!");
    assert_int_equal(qget("f%6F+o=x", "fo o", &v), NB_OK); /* names are decoded too */
    assert_str(v, "x");
    assert_int_equal(qget("a=&b", "a", &v), NB_OK);
    assert_str(v, "");
    assert_int_equal(qget("a=&b", "b", &v), NB_OK);
    assert_str(v, "");
    assert_int_equal(qget("a=1&a=2", "a", &v), NB_OK); /* the first wins */
    assert_str(v, "1");
    assert_int_equal(qget("&&a=1&&", "a", &v), NB_OK);
    assert_str(v, "1");
    assert_int_equal(qget("a=b=c", "a", &v), NB_OK);
    assert_str(v, "b=c");
    assert_int_equal(qget("=x", "", &v), NB_OK);
    assert_str(v, "x");
    assert_int_equal(qget("ab=1", "a", &v), NB_ERR_NOTFOUND);
    assert_int_equal(qget("a=1", "ab", &v), NB_ERR_NOTFOUND);
    assert_int_equal(qget("A=1", "a", &v), NB_ERR_NOTFOUND);  /* case-sensitive */
    assert_int_equal(qget("t=a%09b%0D%0Ac", "t", &v), NB_OK); /* tab, CR, LF allowed */
    assert_str(v, "a\tb\r\nc");
    assert_int_equal(qget("t=\xC3\xA4", "t", &v), NB_OK); /* raw UTF-8 */
    assert_str(v, "\xC3\xA4");
    assert_int_equal(qget("t=%f0%9f%98%80", "t", &v), NB_OK); /* 4-byte, lower-case hex */
    assert_str(v, "\xF0\x9F\x98\x80");
    assert_int_equal(v.ptr[v.len], '\0');
}

static void test_query_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {
        "a=%",    "a=%4",   "a=%zz",    "a=%00",    "a=%01",       "a=%1F",          "a=%7F",
        "a=\x01", "a=%C3",  "a=%C3%28", "a=%C0%80", "a=%ED%A0%80", "a=%F4%90%80%80", "a=%FF",
        "a=%80",  "a=\xC3", "%zz=1",    "a%00=1",   "a=1&b=%",     "b=%&a=1",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct nb_str v;
        enum nb_err err = qget(bad[i], "a", &v);
        if (err != NB_ERR_INPUT)
            fail_msg("query \"%s\": got %s, want input", bad[i], nb_err_str(err));
        assert_int_equal(nb_http_query_check(S(bad[i])), NB_ERR_INPUT);
    }
    assert_int_equal(nb_http_query_check(S("a=1&b=%C3%A4+x")), NB_OK);
    assert_int_equal(nb_http_query_check(S("")), NB_OK);
}

/* "k0=0&k1=1&..." with n pairs. */
static struct nb_str pairs(struct nb_buf *b, unsigned n)
{
    nb_buf_reset(b);
    for (unsigned i = 0; i < n; i++)
        nb_buf_printf(b, "%sk%u=%u", i ? "&" : "", i, i);
    assert_int_equal(b->err, NB_OK);
    return nb_buf_str(b);
}

static void test_query_limits(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 1u << 20);
    struct nb_str v;
    char last[16];
    snprintf(last, sizeof(last), "k%u", NB_HTTP_QUERY_PARAMS_MAX - 1);

    struct nb_str q = pairs(&b, NB_HTTP_QUERY_PARAMS_MAX);
    assert_int_equal(nb_http_query_get(q, last, &arena, &v), NB_OK);
    assert_int_equal(nb_http_query_check(q), NB_OK);
    nb_buf_add_c(&b, "&&&"); /* empty pairs are not counted */
    assert_int_equal(nb_http_query_check(nb_buf_str(&b)), NB_OK);

    q = pairs(&b, NB_HTTP_QUERY_PARAMS_MAX + 1);
    assert_int_equal(nb_http_query_get(q, "k0", &arena, &v), NB_ERR_LIMIT);
    assert_int_equal(nb_http_query_check(q), NB_ERR_LIMIT);

    /* Forms have their own, larger limit. */
    char flast[16];
    snprintf(flast, sizeof(flast), "k%u", NB_HTTP_FORM_FIELDS_MAX - 1);
    q = pairs(&b, NB_HTTP_FORM_FIELDS_MAX);
    assert_int_equal(nb_http_form_get(q, flast, &arena, &v), NB_OK);
    assert_int_equal(nb_http_form_check(q), NB_OK);
    assert_int_equal(nb_http_query_check(q), NB_ERR_LIMIT);
    q = pairs(&b, NB_HTTP_FORM_FIELDS_MAX + 1);
    assert_int_equal(nb_http_form_get(q, "k0", &arena, &v), NB_ERR_LIMIT);
    assert_int_equal(nb_http_form_check(q), NB_ERR_LIMIT);
    nb_buf_free(&b);

    /* The value is copied into the arena: a budget too small is NB_ERR_NOMEM. */
    struct nb_arena tiny;
    nb_arena_init(&tiny, 16);
    assert_int_equal(nb_http_query_get(S("a=short"), "a", &tiny, &v), NB_OK);
    assert_int_equal(nb_http_query_get(S("b=a+value+longer+than+the+budget"), "b", &tiny, &v),
                     NB_ERR_NOMEM);
    nb_arena_fini(&tiny);
}

static void test_kv_iter(void **state)
{
    (void)state;
    struct nb_http_kv_iter it;
    struct nb_str n, v;
    nb_http_query_iter(&it, S("&a=1&&b+c=%41&d&"));
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_OK);
    assert_str(n, "a");
    assert_str(v, "1");
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_OK);
    assert_str(n, "b c");
    assert_str(v, "A");
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_OK);
    assert_str(n, "d");
    assert_str(v, "");
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_ERR_NOTFOUND);
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_ERR_NOTFOUND);
    assert_int_equal(it.count, 3);

    /* A malformed pair stops the iteration there, and stays. */
    nb_http_form_iter(&it, S("x=1&y=%zz&z=3"));
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_OK);
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_ERR_INPUT);
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_ERR_INPUT);

    /* The limit is reached at the pair after the last allowed one. */
    struct nb_buf b;
    nb_buf_init(&b, 1u << 16);
    nb_http_query_iter(&it, pairs(&b, NB_HTTP_QUERY_PARAMS_MAX + 1));
    for (unsigned i = 0; i < NB_HTTP_QUERY_PARAMS_MAX; i++)
        assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_OK);
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_ERR_LIMIT);
    nb_http_query_iter(&it, pairs(&b, NB_HTTP_QUERY_PARAMS_MAX));
    for (unsigned i = 0; i < NB_HTTP_QUERY_PARAMS_MAX; i++)
        assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_OK);
    assert_int_equal(nb_http_kv_next(&it, &arena, &n, &v), NB_ERR_NOTFOUND);
    nb_buf_free(&b);
}

static void test_form(void **state)
{
    (void)state;
    struct nb_str v;
    struct nb_str body = S("title=Wasserrohrbruch+im+Rathaus&text=Zeile+1%0D%0AZeile+2&csrf=abc");
    assert_int_equal(nb_http_form_get(body, "text", &arena, &v), NB_OK);
    assert_str(v, "Zeile 1\r\nZeile 2");
    assert_int_equal(nb_http_form_get(body, "title", &arena, &v), NB_OK);
    assert_str(v, "Wasserrohrbruch im Rathaus");
    assert_int_equal(nb_http_form_get(body, "missing", &arena, &v), NB_ERR_NOTFOUND);
    assert_int_equal(nb_http_form_get(S("a=1&b=%C3"), "a", &arena, &v), NB_ERR_INPUT);
    assert_int_equal(nb_http_form_check(S("a=%00")), NB_ERR_INPUT);
}

/* ---- cookies -------------------------------------------------------------------------- */

static enum nb_err cget(const char *h, const char *name, struct nb_str *v)
{
    return nb_http_cookie_get(S(h), name, v);
}

static void test_cookie_get(void **state)
{
    (void)state;
    struct nb_str v;
    assert_int_equal(cget("sid=abc123; lang=en", "sid", &v), NB_OK);
    assert_str(v, "abc123");
    assert_int_equal(cget("sid=abc123; lang=en", "lang", &v), NB_OK);
    assert_str(v, "en");
    assert_int_equal(cget("lang=en;sid=x-_.~!#$%&'()*+/:<=>?@[]^`{|}", "sid", &v), NB_OK);
    assert_str(v, "x-_.~!#$%&'()*+/:<=>?@[]^`{|}");
    assert_int_equal(cget(" sid=\"quoted\" ", "sid", &v), NB_OK);
    assert_str(v, "quoted");
    assert_int_equal(cget("sid=", "sid", &v), NB_OK);
    assert_str(v, "");
    assert_int_equal(cget("sid=a=b", "sid", &v), NB_OK);
    assert_str(v, "a=b");
    assert_int_equal(cget("sid=1; sid=2", "sid", &v), NB_OK); /* the first wins */
    assert_str(v, "1");
    assert_int_equal(cget("a=1;;\t; sid=2", "sid", &v), NB_OK);
    assert_str(v, "2");
    assert_int_equal(cget("", "sid", &v), NB_ERR_NOTFOUND);
    assert_int_equal(cget("lang=en", "sid", &v), NB_ERR_NOTFOUND);
    assert_int_equal(cget("SID=x", "sid", &v), NB_ERR_NOTFOUND);
    assert_int_equal(cget("sidx=1; xsid=2", "sid", &v), NB_ERR_NOTFOUND);
}

static void test_cookie_malformed(void **state)
{
    (void)state;
    struct nb_str v;
    /* Malformed pairs are skipped, well-formed ones still found. */
    assert_int_equal(cget("bad name=1; sid=ok", "sid", &v), NB_OK);
    assert_str(v, "ok");
    assert_int_equal(cget("sid=a b; sid=ok", "sid", &v), NB_OK);
    assert_str(v, "ok");
    static const char *skipped[] = {
        "sid",          "sid=a b", "sid=a,b", "sid=a\\b", "sid=\"ab",    "sid=a\"b",
        "sid=\xC3\xA4", "sid =1",  "=1",      "s(id=1",   "sid=\"a b\"",
    };
    for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++) {
        enum nb_err err = cget(skipped[i], "sid", &v);
        if (err != NB_ERR_NOTFOUND)
            fail_msg("cookie \"%s\": got %s, want notfound", skipped[i], nb_err_str(err));
    }
    /* Control characters make the whole header invalid; tab is fine. */
    assert_int_equal(cget("sid=a\x01", "sid", &v), NB_ERR_INPUT);
    assert_int_equal(cget("x=1\r\nsid=2", "sid", &v), NB_ERR_INPUT);
    assert_int_equal(cget("sid=1; x=\x7f", "sid", &v), NB_ERR_INPUT);
    assert_int_equal(nb_http_cookie_get((struct nb_str){"sid=1\0", 6}, "sid", &v), NB_ERR_INPUT);
    assert_int_equal(cget("sid=1;\tx=2", "sid", &v), NB_OK);
}

static void test_cookie_limits(void **state)
{
    (void)state;
    struct nb_buf b;
    nb_buf_init(&b, 1u << 16);
    struct nb_str v;
    for (unsigned i = 0; i < NB_HTTP_COOKIES_MAX; i++)
        nb_buf_printf(&b, "%sc%u=%u", i ? "; " : "", i, i);
    char last[16];
    snprintf(last, sizeof(last), "c%u", NB_HTTP_COOKIES_MAX - 1);
    assert_int_equal(nb_http_cookie_get(nb_buf_str(&b), last, &v), NB_OK);
    nb_buf_add_c(&b, ";;; "); /* empty pairs are not counted */
    assert_int_equal(nb_http_cookie_get(nb_buf_str(&b), last, &v), NB_OK);
    nb_buf_add_c(&b, "one=more");
    /* One pair too many: refused even though the cookie asked for comes first. */
    assert_int_equal(nb_http_cookie_get(nb_buf_str(&b), "c0", &v), NB_ERR_LIMIT);
    nb_buf_free(&b);

    /* Header length: NB_HTTP_HEADER_MAX accepted, one byte more refused. */
    char *h = filled(NB_HTTP_HEADER_MAX + 1, 'x');
    memcpy(h, "sid=", 4);
    assert_int_equal(nb_http_cookie_get((struct nb_str){h, NB_HTTP_HEADER_MAX}, "sid", &v), NB_OK);
    assert_int_equal(v.len, NB_HTTP_HEADER_MAX - 4);
    assert_int_equal(nb_http_cookie_get((struct nb_str){h, NB_HTTP_HEADER_MAX + 1}, "sid", &v),
                     NB_ERR_LIMIT);
}

/* ---- negotiation ---------------------------------------------------------------------- */

static void test_accept_json(void **state)
{
    (void)state;
    static const struct {
        const char *accept;
        bool json;
    } cases[] = {
        {"", false},
        {"text/html", false},
        {"application/json", true},
        {"APPLICATION/JSON", true},
        {"application/json; charset=utf-8", true},
        {"*/*", false},
        {"application/json, text/html", false}, /* tie: HTML */
        {"text/html, application/json", false},
        {"application/json, text/html;q=0.9", true},
        {"text/html;q=0.9, application/json", true},
        {"application/json;q=0.9, text/html", false},
        {"text/html;q=0.5, application/*", true},
        {"text/*;q=0.1, application/json;q=0.2", true},
        {"application/json;q=0, */*", false},
        {"text/html;q=0, application/json;q=0.001", true},
        {"text/html;q=0, application/json;q=0", false},
        {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},
        {"application/json;q=1.000, text/html;q=0.999", true},
        {"application/json;q=0.", false}, /* q=0 */
        {"application/json;q=2", false},  /* malformed q: element ignored */
        {"application/json;q=1.001", false},
        {"application/json;q=0.5x", false},
        {"application/json;q=0.1234", false},
        {"application/json;q=", false},
        {"application/json;q", false},
        {"application/json;level=1;Q=0.9, text/html;q=0.8", true},
        {"application/xml", false},
        {",,, application/json ,", true},
        {"application/json,*/*;q=0.1", true},
        {"*/*;q=0.1, application/json;q=0.05", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (nb_http_accept_json(S(cases[i].accept)) != cases[i].json)
            fail_msg("Accept \"%s\": want %s", cases[i].accept, cases[i].json ? "json" : "html");
}

static void test_accept_encoding(void **state)
{
    (void)state;
    static const struct {
        const char *header;
        unsigned set;
    } cases[] = {
        {"", 0},
        {"identity", 0},
        {"gzip", NB_HTTP_ENC_GZIP},
        {"x-gzip", NB_HTTP_ENC_GZIP},
        {"GZIP;Q=0.5", NB_HTTP_ENC_GZIP},
        {"br", NB_HTTP_ENC_BR},
        {"gzip, deflate, br", NB_HTTP_ENC_GZIP | NB_HTTP_ENC_BR},
        {"gzip;q=0, br", NB_HTTP_ENC_BR},
        {"gzip;q=0.001, br;q=0", NB_HTTP_ENC_GZIP},
        {"*", NB_HTTP_ENC_GZIP | NB_HTTP_ENC_BR},
        {"*;q=0", 0},
        {"*, gzip;q=0", NB_HTTP_ENC_BR},
        {"br;q=0.5, *;q=0", NB_HTTP_ENC_BR},
        {"gzip;q=abc", 0},
        {"gzip;q=1.5, br", NB_HTTP_ENC_BR},
        {"deflate, compress", 0},
        {"  br  ;  q=1.0  ", NB_HTTP_ENC_BR},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned got = nb_http_accept_encoding(S(cases[i].header));
        if (got != cases[i].set)
            fail_msg("Accept-Encoding \"%s\": got %u, want %u", cases[i].header, got, cases[i].set);
    }
}

static void test_media_type(void **state)
{
    (void)state;
    const char *form = "application/x-www-form-urlencoded";
    assert_true(nb_http_media_type_is(S("application/x-www-form-urlencoded"), form));
    assert_true(nb_http_media_type_is(S("application/x-www-form-urlencoded; charset=UTF-8"), form));
    assert_true(nb_http_media_type_is(S(" Application/X-WWW-Form-Urlencoded "), form));
    assert_false(nb_http_media_type_is(S("multipart/form-data; boundary=x"), form));
    assert_false(nb_http_media_type_is(S("application/x-www-form-urlencodedx"), form));
    assert_false(nb_http_media_type_is(S(""), form));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_path_valid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kv_iter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cookie_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cookie_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cookie_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_media_type, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
