/* Unit tests for web/snapshot: adding and finding pages, the path conflict, ETags and
 * Last-Modified across snapshots, which encodings pay, growth of the hash index, error
 * pages, iteration order and reference counting. The prebuilt responses are real
 * libmicrohttpd responses; no server runs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "view/i18n.h"
#include "web/snapshot.h"

#define HTML "text/html; charset=utf-8"

static struct nb_snapshot *snap_new(void)
{
    struct nb_snapshot *s = NULL;
    assert_int_equal(nb_snapshot_new(&s), NB_OK);
    assert_non_null(s);
    return s;
}

static enum nb_err add(struct nb_snapshot *s, const struct nb_snapshot *prev, const char *path,
                       const char *body, int64_t now)
{
    return nb_snapshot_add(s, prev, path, HTML, "de", NB_SNAPSHOT_HTML, body, strlen(body), now);
}

static const struct nb_snapshot_page *get(const struct nb_snapshot *s, const char *path)
{
    return nb_snapshot_get(s, nb_str_c(path));
}

static bool is_hex32_quoted(const char *etag)
{
    if (strlen(etag) != 34 || etag[0] != '"' || etag[33] != '"')
        return false;
    for (int i = 1; i < 33; i++)
        if (!((etag[i] >= '0' && etag[i] <= '9') || (etag[i] >= 'a' && etag[i] <= 'f')))
            return false;
    return true;
}

/* A page of HTML that compresses well, about len bytes (like the real pages: markup that
 * repeats, text that varies a little). */
static char *html_body(size_t len)
{
    char *b = malloc(len + 256);
    assert_non_null(b);
    size_t n = (size_t)snprintf(b, 256, "<!DOCTYPE html>\n<html lang=\"de\"><body><ul>\n");
    for (unsigned i = 0; n < len; i++)
        n += (size_t)snprintf(b + n, 256,
                              "<li><a href=\"/meldung/eintrag-%u\">Meldung Nummer %u zum "
                              "Notbetrieb</a></li>\n",
                              i, i);
    n += (size_t)snprintf(b + n, 256, "</ul></body></html>\n");
    return b;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_add_get(void **state)
{
    (void)state;
    struct nb_snapshot *s = snap_new();
    assert_int_equal(nb_snapshot_count(s), 0);
    assert_null(get(s, "/")); /* an empty snapshot has no index yet */

    assert_int_equal(add(s, NULL, "/", "<p>Start</p>", 1000), NB_OK);
    assert_int_equal(nb_snapshot_add(s, NULL, "/index.json", "application/json", "de",
                                     NB_SNAPSHOT_JSON_TWIN, "{\"a\":1}", 7, 1000),
                     NB_OK);
    /* The body is copied: changing the caller's bytes afterwards changes nothing. */
    char mutable[] = "<p>Presse</p>";
    assert_int_equal(add(s, NULL, "/presse", mutable, 1000), NB_OK);
    mutable[1] = 'X';
    assert_int_equal(nb_snapshot_count(s), 3);

    const struct nb_snapshot_page *p = get(s, "/");
    assert_non_null(p);
    assert_int_equal(p->len, strlen("<p>Start</p>"));
    assert_memory_equal(p->body, "<p>Start</p>", p->len);
    assert_non_null(p->resp[NB_ENC_IDENTITY]);
    assert_non_null(p->not_modified[NB_ENC_IDENTITY]);
    assert_int_equal(p->last_modified, 1000);
    assert_string_equal(get(s, "/presse")->body, "<p>Presse</p>");
    assert_string_equal(get(s, "/index.json")->body, "{\"a\":1}");
    /* Only a JSON twin has answers for the HTML URL. */
    assert_non_null(get(s, "/index.json")->by_accept[NB_ENC_IDENTITY]);
    assert_non_null(get(s, "/index.json")->by_accept_nm[NB_ENC_IDENTITY]);
    assert_null(p->by_accept[NB_ENC_IDENTITY]);

    /* Lookups are exact: no prefix, no trailing slash, no case folding. */
    assert_null(get(s, ""));
    assert_null(get(s, "/press"));
    assert_null(get(s, "/presse/"));
    assert_null(get(s, "/PRESSE"));
    assert_null(get(s, "/index"));
    /* A view that is not NUL-terminated at its end. */
    assert_non_null(nb_snapshot_get(s, (struct nb_str){"/presse.json", 7}));
    assert_null(nb_snapshot_get(NULL, NB_STR("/")));

    /* A second page at the same path is a conflict and leaves the first one alone. */
    assert_int_equal(add(s, NULL, "/presse", "<p>anders</p>", 2000), NB_ERR_CONFLICT);
    assert_int_equal(nb_snapshot_count(s), 3);
    assert_string_equal(get(s, "/presse")->body, "<p>Presse</p>");
    assert_int_equal(get(s, "/presse")->last_modified, 1000);

    /* An empty body is a page too. */
    assert_int_equal(add(s, NULL, "/leer", "", 1000), NB_OK);
    assert_int_equal(get(s, "/leer")->len, 0);
    assert_string_equal(get(s, "/leer")->body, "");

    /* A reference taken and dropped leaves the snapshot alive. */
    nb_snapshot_ref(s);
    nb_snapshot_unref(s);
    assert_non_null(get(s, "/"));
    nb_snapshot_unref(s);
    nb_snapshot_unref(NULL);
}

static void test_etag(void **state)
{
    (void)state;
    struct nb_snapshot *s = snap_new();
    assert_int_equal(add(s, NULL, "/a", "gleicher Inhalt", 1), NB_OK);
    assert_int_equal(add(s, NULL, "/b", "gleicher Inhalt", 1), NB_OK);
    assert_int_equal(add(s, NULL, "/c", "gleicher Inhalt.", 1), NB_OK);
    assert_int_equal(add(s, NULL, "/d", "", 1), NB_OK);
    const char *a = get(s, "/a")->etags[NB_ENC_IDENTITY], *b = get(s, "/b")->etags[NB_ENC_IDENTITY],
               *c = get(s, "/c")->etags[NB_ENC_IDENTITY], *d = get(s, "/d")->etags[NB_ENC_IDENTITY];
    assert_true(is_hex32_quoted(a));
    assert_true(is_hex32_quoted(c));
    assert_true(is_hex32_quoted(d));
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d);

    /* Equal bodies have equal ETags in another snapshot too (clients keep them across
     * publications), whatever the content type or time. */
    struct nb_snapshot *t = snap_new();
    assert_int_equal(nb_snapshot_add(t, NULL, "/x", "application/json", NULL, NB_SNAPSHOT_ENCODING,
                                     "gleicher Inhalt", 15, 999999),
                     NB_OK);
    assert_string_equal(get(t, "/x")->etags[NB_ENC_IDENTITY], a);
    /* One byte differs at the end of a long body. */
    char *big = html_body(20000);
    size_t len = strlen(big);
    assert_int_equal(nb_snapshot_add(t, NULL, "/big1", HTML, "de", NB_SNAPSHOT_HTML, big, len, 1),
                     NB_OK);
    big[len - 2] = '!';
    assert_int_equal(nb_snapshot_add(t, NULL, "/big2", HTML, "de", NB_SNAPSHOT_HTML, big, len, 1),
                     NB_OK);
    assert_string_not_equal(get(t, "/big1")->etags[NB_ENC_IDENTITY],
                            get(t, "/big2")->etags[NB_ENC_IDENTITY]);
    /* Each encoding has a validator of its own, derived from the same hash. */
    const struct nb_snapshot_page *b1 = get(t, "/big1");
    char want[64];
    snprintf(want, sizeof(want), "%.33s-gz\"", b1->etags[NB_ENC_IDENTITY]);
    assert_string_equal(b1->etags[NB_ENC_GZIP], want);
    snprintf(want, sizeof(want), "%.33s-br\"", b1->etags[NB_ENC_IDENTITY]);
    assert_string_equal(b1->etags[NB_ENC_BR], want);
    assert_non_null(b1->not_modified[NB_ENC_GZIP]);
    assert_non_null(b1->not_modified[NB_ENC_BR]);
    free(big);
    nb_snapshot_unref(t);
    nb_snapshot_unref(s);
}

static void test_last_modified(void **state)
{
    (void)state;
    struct nb_snapshot *prev = snap_new();
    assert_int_equal(add(prev, NULL, "/same", "<p>bleibt</p>", 1000), NB_OK);
    assert_int_equal(add(prev, NULL, "/changed", "<p>alt</p>", 1000), NB_OK);
    assert_int_equal(add(prev, NULL, "/moved", "<p>wandert</p>", 1000), NB_OK);

    struct nb_snapshot *next = snap_new();
    assert_int_equal(add(next, prev, "/same", "<p>bleibt</p>", 2000), NB_OK);
    assert_int_equal(add(next, prev, "/changed", "<p>neu</p>", 2000), NB_OK);
    assert_int_equal(add(next, prev, "/new", "<p>bleibt</p>", 2000), NB_OK);
    /* The same bytes at another path are still a new page there. */
    assert_int_equal(add(next, prev, "/elsewhere", "<p>wandert</p>", 2000), NB_OK);
    assert_int_equal(get(next, "/same")->last_modified, 1000);
    assert_int_equal(get(next, "/changed")->last_modified, 2000);
    assert_int_equal(get(next, "/new")->last_modified, 2000);
    assert_int_equal(get(next, "/elsewhere")->last_modified, 2000);
    assert_string_equal(get(next, "/same")->etags[NB_ENC_IDENTITY],
                        get(prev, "/same")->etags[NB_ENC_IDENTITY]);
    assert_string_not_equal(get(next, "/changed")->etags[NB_ENC_IDENTITY],
                            get(prev, "/changed")->etags[NB_ENC_IDENTITY]);

    /* Through a chain of snapshots the oldest time survives while the bytes stay. */
    nb_snapshot_unref(prev);
    struct nb_snapshot *third = snap_new();
    assert_int_equal(add(third, next, "/same", "<p>bleibt</p>", 3000), NB_OK);
    assert_int_equal(add(third, next, "/changed", "<p>neu</p>", 3000), NB_OK);
    assert_int_equal(get(third, "/same")->last_modified, 1000);
    assert_int_equal(get(third, "/changed")->last_modified, 2000);
    nb_snapshot_unref(next);
    /* The snapshot does not depend on prev once built. */
    assert_int_equal(get(third, "/same")->last_modified, 1000);
    nb_snapshot_unref(third);
}

static void test_compression(void **state)
{
    (void)state;
    struct nb_snapshot *s = snap_new();
    /* Too small to gain anything: identity only. */
    assert_int_equal(add(s, NULL, "/tiny", "ok", 1), NB_OK);
    const struct nb_snapshot_page *p = get(s, "/tiny");
    assert_non_null(p->resp[NB_ENC_IDENTITY]);
    assert_null(p->resp[NB_ENC_GZIP]);
    assert_null(p->resp[NB_ENC_BR]);
    assert_int_equal(add(s, NULL, "/empty", "", 1), NB_OK);
    assert_null(get(s, "/empty")->resp[NB_ENC_GZIP]);
    assert_null(get(s, "/empty")->resp[NB_ENC_BR]);

    /* Random bytes do not compress: identity only, whatever the size. */
    unsigned char *rnd = malloc(20000);
    assert_non_null(rnd);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        rnd[i] = (unsigned char)x;
    }
    assert_int_equal(nb_snapshot_add(s, NULL, "/random", "application/octet-stream", NULL,
                                     NB_SNAPSHOT_ENCODING, (const char *)rnd, 20000, 1),
                     NB_OK);
    p = get(s, "/random");
    assert_int_equal(p->len, 20000);
    assert_memory_equal(p->body, rnd, 20000);
    assert_non_null(p->resp[NB_ENC_IDENTITY]);
    assert_null(p->resp[NB_ENC_GZIP]);
    assert_null(p->resp[NB_ENC_BR]);
    free(rnd);

    /* A page of 20 KB of HTML: both encodings. */
    char *big = html_body(20000);
    size_t len = strlen(big);
    assert_true(len >= 20000);
    assert_int_equal(nb_snapshot_add(s, NULL, "/", HTML, "de", NB_SNAPSHOT_HTML, big, len, 1),
                     NB_OK);
    p = get(s, "/");
    assert_non_null(p->resp[NB_ENC_IDENTITY]);
    assert_non_null(p->resp[NB_ENC_GZIP]);
    assert_non_null(p->resp[NB_ENC_BR]);
    assert_non_null(p->not_modified[NB_ENC_IDENTITY]);
    /* The identity bytes are kept as they were given. */
    assert_int_equal(p->len, len);
    assert_memory_equal(p->body, big, len);
    free(big);
    nb_snapshot_unref(s);
}

struct walk {
    size_t n;
    char path[32];
    bool ok;
};

static enum nb_err each_fn(void *ctx, const char *path, const struct nb_snapshot_page *p)
{
    struct walk *w = ctx;
    char want[32];
    snprintf(want, sizeof(want), "/seite/%zu", w->n);
    if (strcmp(path, want) != 0 || strcmp(p->body, want) != 0)
        w->ok = false;
    w->n++;
    if (w->n == 1500) {
        snprintf(w->path, sizeof(w->path), "%s", path);
        return NB_ERR_INTERNAL; /* stops the walk */
    }
    return NB_OK;
}

static void test_many_pages(void **state)
{
    (void)state;
    struct nb_snapshot *s = snap_new();
    const size_t n = 2000;
    for (size_t i = 0; i < n; i++) {
        char path[32];
        snprintf(path, sizeof(path), "/seite/%zu", i);
        assert_int_equal(add(s, NULL, path, path, (int64_t)i), NB_OK);
        /* Every page added so far is still found while the index grows. */
        if ((i & (i + 1)) == 0 || i % 97 == 0)
            for (size_t j = 0; j <= i; j++) {
                char q[32];
                snprintf(q, sizeof(q), "/seite/%zu", j);
                const struct nb_snapshot_page *p = get(s, q);
                if (!p || strcmp(p->body, q) != 0)
                    fail_msg("after %zu pages, %s is lost", i + 1, q);
            }
    }
    assert_int_equal(nb_snapshot_count(s), n);
    for (size_t i = 0; i < n; i++) {
        char path[32];
        snprintf(path, sizeof(path), "/seite/%zu", i);
        const struct nb_snapshot_page *p = get(s, path);
        if (!p)
            fail_msg("%s not found", path);
        assert_string_equal(p->body, path);
        assert_int_equal(p->last_modified, (int64_t)i);
        assert_int_equal(add(s, NULL, path, "x", 0), NB_ERR_CONFLICT);
    }
    assert_null(get(s, "/seite/2000"));
    assert_null(get(s, "/seite/-1"));
    assert_int_equal(nb_snapshot_count(s), n);

    /* In the order added; the first error stops the walk and is returned. */
    struct walk w = {.ok = true};
    assert_int_equal(nb_snapshot_each(s, each_fn, &w), NB_ERR_INTERNAL);
    assert_true(w.ok);
    assert_int_equal(w.n, 1500);
    assert_string_equal(w.path, "/seite/1499");
    nb_snapshot_unref(s);
}

static enum nb_err count_fn(void *ctx, const char *path, const struct nb_snapshot_page *p)
{
    (void)path;
    (void)p;
    (*(size_t *)ctx)++;
    return NB_OK;
}

static void test_errors(void **state)
{
    (void)state;
    struct nb_snapshot *s = snap_new();
    const unsigned statuses[] = {400, 404, 405, 413, 414, 431, 500, 503};
    const size_t ns = sizeof(statuses) / sizeof(statuses[0]);
    /* Nothing added yet: empty views. */
    for (size_t i = 0; i < ns; i++)
        assert_int_equal(nb_snapshot_error(s, NB_LANG_DE, statuses[i], false).len, 0);

    for (unsigned l = 0; l < NB_LANG_COUNT; l++)
        for (size_t i = 0; i < ns; i++)
            for (int json = 0; json < 2; json++) {
                char b[64];
                int n = snprintf(b, sizeof(b), "%s %u %s", nb_lang_code((enum nb_lang)l),
                                 statuses[i], json ? "json" : "html");
                assert_int_equal(
                    nb_snapshot_add_error(s, (enum nb_lang)l, statuses[i], json, b, (size_t)n),
                    NB_OK);
            }
    for (unsigned l = 0; l < NB_LANG_COUNT; l++)
        for (size_t i = 0; i < ns; i++)
            for (int json = 0; json < 2; json++) {
                char want[64];
                snprintf(want, sizeof(want), "%s %u %s", nb_lang_code((enum nb_lang)l), statuses[i],
                         json ? "json" : "html");
                struct nb_str got = nb_snapshot_error(s, (enum nb_lang)l, statuses[i], json);
                if (!nb_str_eq_c(got, want))
                    fail_msg("error %s: got \"%.*s\"", want, NB_STR_FMT(got));
                /* Copied and NUL-terminated. */
                assert_int_equal(got.ptr[got.len], '\0');
            }

    /* Adding again replaces the body. */
    assert_int_equal(nb_snapshot_add_error(s, NB_LANG_EN, 404, true, "{\"neu\":1}", 9), NB_OK);
    assert_true(nb_str_eq_c(nb_snapshot_error(s, NB_LANG_EN, 404, true), "{\"neu\":1}"));
    assert_true(nb_str_eq_c(nb_snapshot_error(s, NB_LANG_DE, 404, true), "de 404 json"));

    /* A status without an error page: an empty view, and it cannot be added. */
    const unsigned unknown[] = {0, 200, 302, 401, 403, 418, 502, 999};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        for (int json = 0; json < 2; json++) {
            struct nb_str e = nb_snapshot_error(s, NB_LANG_DE, unknown[i], json);
            assert_int_equal(e.len, 0);
        }
        assert_int_not_equal(nb_snapshot_add_error(s, NB_LANG_DE, unknown[i], false, "x", 1),
                             NB_OK);
    }
    assert_int_equal(nb_snapshot_error(s, NB_LANG_COUNT, 404, false).len, 0);
    assert_int_equal(nb_snapshot_error(NULL, NB_LANG_DE, 404, false).len, 0);

    /* Error pages are not pages. */
    assert_int_equal(nb_snapshot_count(s), 0);
    size_t seen = 0;
    assert_int_equal(nb_snapshot_each(s, count_fn, &seen), NB_OK);
    assert_int_equal(seen, 0);
    nb_snapshot_unref(s);
}

/* A header value the HTTP layer must refuse (a line break in Content-Language) makes the
 * page fail to build; the snapshot stays as it was. */
static void test_refused_header(void **state)
{
    (void)state;
    struct nb_snapshot *s = snap_new();
    assert_int_equal(add(s, NULL, "/a", "a", 1), NB_OK);
    enum nb_err err =
        nb_snapshot_add(s, NULL, "/b", HTML, "de\r\nX-Evil: 1", NB_SNAPSHOT_HTML, "b", 1, 1);
    assert_int_not_equal(err, NB_OK);
    assert_null(get(s, "/b"));
    assert_int_equal(nb_snapshot_count(s), 1);
    /* The path is free for a correct page afterwards. */
    assert_int_equal(add(s, NULL, "/b", "b", 1), NB_OK);
    assert_non_null(get(s, "/a"));
    assert_non_null(get(s, "/b"));
    nb_snapshot_unref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_get),        cmocka_unit_test(test_etag),
        cmocka_unit_test(test_last_modified),  cmocka_unit_test(test_compression),
        cmocka_unit_test(test_many_pages),     cmocka_unit_test(test_errors),
        cmocka_unit_test(test_refused_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
