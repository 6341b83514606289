/* Unit tests for http/proxy: the client address from X-Forwarded-For and TLS from
 * X-Forwarded-Proto, believed from trusted peers only. Trusted here: 127.0.0.1, ::1 and a
 * second proxy 10.0.0.2. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "http/proxy.h"

static struct nb_addr_list trusted;

static struct nb_addr addr(const char *text)
{
    struct nb_addr a;
    assert_true(nb_addr_parse(nb_str_c(text), &a));
    return a;
}

/* Resolves with the NULL-terminated lists of header values; returns the client as text. */
static const char *resolve(const char *peer, const char *const *xff, const char *const *proto,
                           struct nb_http_forwarded *out)
{
    struct nb_str x[8], p[8];
    size_t nx = 0, np = 0;
    for (; xff && xff[nx]; nx++)
        x[nx] = nb_str_c(xff[nx]);
    for (; proto && proto[np]; np++)
        p[np] = nb_str_c(proto[np]);
    struct nb_addr pa = addr(peer);
    nb_http_proxy_resolve(&trusted, &pa, x, nx, p, np, out);
    static char text[NB_ADDR_TEXT];
    return nb_addr_format(&out->client, text);
}

/* The client for one X-Forwarded-For value from the local proxy; *malformed tells. */
static const char *one(const char *xff, bool *malformed)
{
    const char *v[] = {xff, NULL};
    struct nb_http_forwarded f;
    const char *c = resolve("127.0.0.1", v, NULL, &f);
    assert_true(f.from_proxy);
    *malformed = f.malformed;
    return c;
}

static int setup(void **state)
{
    (void)state;
    return nb_addr_list_parse(nb_str_c("127.0.0.1,::1,10.0.0.2"), &trusted, NULL) == NB_OK ? 0 : -1;
}

static void test_no_header(void **state)
{
    (void)state;
    struct nb_http_forwarded f;
    assert_string_equal(resolve("127.0.0.1", NULL, NULL, &f), "127.0.0.1");
    assert_true(f.from_proxy);
    assert_false(f.malformed);
    assert_false(f.tls);
    /* An empty header, or one of only empty elements, is no address either. */
    bool bad;
    assert_string_equal(one("", &bad), "127.0.0.1");
    assert_false(bad);
    assert_string_equal(one(" , ,", &bad), "127.0.0.1");
    assert_false(bad);
}

static void test_one_and_several(void **state)
{
    (void)state;
    bool bad;
    assert_string_equal(one("192.0.2.7", &bad), "192.0.2.7");
    assert_false(bad);
    /* The right-most untrusted element wins; trusted proxies are stepped over. */
    assert_string_equal(one("203.0.113.5, 192.0.2.7", &bad), "192.0.2.7");
    assert_string_equal(one("203.0.113.5, 192.0.2.7, 10.0.0.2", &bad), "192.0.2.7");
    assert_false(bad);
    /* Several headers are one list, in the order received. */
    struct nb_http_forwarded f;
    const char *two[] = {"203.0.113.5", "192.0.2.7, 10.0.0.2", NULL};
    assert_string_equal(resolve("127.0.0.1", two, NULL, &f), "192.0.2.7");
    const char *split[] = {"203.0.113.5, 192.0.2.7", "10.0.0.2", NULL};
    assert_string_equal(resolve("127.0.0.1", split, NULL, &f), "192.0.2.7");
    const char *last_wins[] = {"192.0.2.7", "198.51.100.1", NULL};
    assert_string_equal(resolve("127.0.0.1", last_wins, NULL, &f), "198.51.100.1");
    const char *empty_last[] = {"192.0.2.7", "", NULL};
    assert_string_equal(resolve("127.0.0.1", empty_last, NULL, &f), "192.0.2.7");
    assert_false(f.malformed);
}

static void test_spaces_and_empty_elements(void **state)
{
    (void)state;
    bool bad;
    assert_string_equal(one("  192.0.2.7  ", &bad), "192.0.2.7");
    assert_string_equal(one("\t203.0.113.5 ,\t192.0.2.7\t,  10.0.0.2 ", &bad), "192.0.2.7");
    assert_string_equal(one(",192.0.2.7,, ,", &bad), "192.0.2.7");
    assert_false(bad);
}

static void test_ipv6_and_ports(void **state)
{
    (void)state;
    bool bad;
    assert_string_equal(one("2001:db8::7", &bad), "2001:db8::7");
    assert_string_equal(one("2001:DB8:0::7", &bad), "2001:db8::7");
    assert_string_equal(one("[2001:db8::7]", &bad), "2001:db8::7");
    assert_string_equal(one("[2001:db8::7]:4711", &bad), "2001:db8::7");
    assert_string_equal(one("192.0.2.7:4711", &bad), "192.0.2.7");
    assert_string_equal(one("::ffff:192.0.2.7", &bad), "192.0.2.7");
    assert_string_equal(one("2001:db8::7, ::1", &bad), "2001:db8::7"); /* ::1 is trusted */
    assert_false(bad);
    /* A trusted IPv6 proxy as the peer. */
    struct nb_http_forwarded f;
    const char *v[] = {"192.0.2.7", NULL};
    assert_string_equal(resolve("::1", v, NULL, &f), "192.0.2.7");
    /* An IPv4-mapped peer is the same address as the IPv4 one, so trusted too. */
    assert_string_equal(resolve("::ffff:127.0.0.1", v, NULL, &f), "192.0.2.7");
    assert_true(f.from_proxy);
}

static void test_garbage(void **state)
{
    (void)state;
    const char *bad_elements[] = {
        "unknown",
        "foo.example.org",
        "192.0.2",
        "192.0.2.7:",
        "192.0.2.7:65536",
        "192.0.2.7:123456",
        "192.0.2.7:-1",
        "[2001:db8::7",
        "[2001:db8::7]x",
        "[2001:db8::7]:",
        "[192.0.2.7]",
        "[]",
        "2001:db8::7:",
        "_hidden",
        "192.0.2.7 192.0.2.8",
        "\"192.0.2.7\"",
        "[2001:db8:0000:0000:0000:0000:0000:0007]:4711-this-is-too-long-"};
    for (size_t i = 0; i < sizeof(bad_elements) / sizeof(bad_elements[0]); i++) {
        bool bad = false;
        assert_string_equal(one(bad_elements[i], &bad), "127.0.0.1");
        assert_true(bad);
    }
    /* Garbage behind a trusted proxy is still garbage where we read. */
    bool bad = false;
    assert_string_equal(one("nonsense, 10.0.0.2", &bad), "127.0.0.1");
    assert_true(bad);
    /* What lies left of the client was written by the client and is never read. */
    assert_string_equal(one("nonsense, [broken, 192.0.2.7", &bad), "192.0.2.7");
    assert_false(bad);
    /* A client cannot make itself a trusted proxy by writing one's address: the proxy
     * appended the real one after it. */
    assert_string_equal(one("127.0.0.1, 192.0.2.7", &bad), "192.0.2.7");
    assert_false(bad);
}

static void test_all_trusted_chain(void **state)
{
    (void)state;
    bool bad;
    assert_string_equal(one("127.0.0.1", &bad), "127.0.0.1");
    assert_string_equal(one("10.0.0.2, 127.0.0.1", &bad), "10.0.0.2"); /* the left-most */
    assert_false(bad);

    /* Both sides of NB_HTTP_FORWARDED_MAX elements read: MAX - 1 trusted hops and the
     * client are read; one more hop and the request is taken as the peer's. */
    char chain[NB_HTTP_FORWARDED_MAX * 12 + 32];
    for (unsigned hops = NB_HTTP_FORWARDED_MAX - 1; hops <= NB_HTTP_FORWARDED_MAX; hops++) {
        size_t len = (size_t)snprintf(chain, sizeof(chain), "192.0.2.7");
        for (unsigned i = 0; i < hops; i++)
            len += (size_t)snprintf(chain + len, sizeof(chain) - len, ", 10.0.0.2");
        const char *c = one(chain, &bad);
        if (hops < NB_HTTP_FORWARDED_MAX) {
            assert_string_equal(c, "192.0.2.7");
            assert_false(bad);
        } else {
            assert_string_equal(c, "127.0.0.1");
            assert_true(bad);
        }
    }
    /* A chain of exactly NB_HTTP_FORWARDED_MAX trusted hops is an all-trusted chain. */
    size_t len = 0;
    for (unsigned i = 0; i < NB_HTTP_FORWARDED_MAX; i++)
        len += (size_t)snprintf(chain + len, sizeof(chain) - len, "%s10.0.0.2", i ? "," : "");
    assert_string_equal(one(chain, &bad), "10.0.0.2");
    assert_false(bad);
}

static void test_untrusted_peer_ignored(void **state)
{
    (void)state;
    struct nb_http_forwarded f;
    const char *v[] = {"192.0.2.7", NULL}, *https[] = {"https", NULL};
    assert_string_equal(resolve("198.51.100.20", v, https, &f), "198.51.100.20");
    assert_false(f.from_proxy);
    assert_false(f.tls);
    assert_false(f.malformed);
    /* Garbage from an untrusted peer is not even read. */
    const char *junk[] = {"nonsense", NULL};
    assert_string_equal(resolve("198.51.100.20", junk, NULL, &f), "198.51.100.20");
    assert_false(f.malformed);
    /* No list at all trusts no one, loopback included. */
    struct nb_addr lo = addr("127.0.0.1");
    struct nb_str x = nb_str_c("192.0.2.7");
    nb_http_proxy_resolve(NULL, &lo, &x, 1, NULL, 0, &f);
    assert_true(nb_addr_eq(&f.client, &lo));
    assert_false(f.from_proxy);
}

static void test_forwarded_proto(void **state)
{
    (void)state;
    struct nb_http_forwarded f;
    const char *https[] = {"https", NULL}, *upper[] = {" HTTPS ", NULL}, *http[] = {"http", NULL},
               *later_http[] = {"https", "http", NULL}, *list[] = {"http, https", NULL},
               *junk[] = {"httpsx", NULL}, *empty[] = {"", NULL};
    resolve("127.0.0.1", NULL, https, &f);
    assert_true(f.tls);
    resolve("127.0.0.1", NULL, upper, &f);
    assert_true(f.tls);
    resolve("127.0.0.1", NULL, http, &f);
    assert_false(f.tls);
    resolve("127.0.0.1", NULL, later_http, &f); /* the nearest proxy said http */
    assert_false(f.tls);
    resolve("127.0.0.1", NULL, list, &f);
    assert_true(f.tls);
    resolve("127.0.0.1", NULL, junk, &f);
    assert_false(f.tls);
    resolve("127.0.0.1", NULL, empty, &f);
    assert_false(f.tls);
    resolve("127.0.0.1", NULL, NULL, &f);
    assert_false(f.tls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_header),
        cmocka_unit_test(test_one_and_several),
        cmocka_unit_test(test_spaces_and_empty_elements),
        cmocka_unit_test(test_ipv6_and_ports),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_all_trusted_chain),
        cmocka_unit_test(test_untrusted_peer_ignored),
        cmocka_unit_test(test_forwarded_proto),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
