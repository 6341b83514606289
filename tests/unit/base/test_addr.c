/* Unit tests for base/addr: numeric forms accepted and refused, IPv4-mapped IPv6 equal to
 * IPv4, socket addresses, canonical text, and address lists on both sides of
 * NB_HTTP_TRUSTED_PROXIES_MAX. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "base/addr.h"

static const char *canon(const char *text)
{
    static char out[NB_ADDR_TEXT];
    struct nb_addr a;
    if (!nb_addr_parse(nb_str_c(text), &a))
        return NULL;
    return nb_addr_format(&a, out);
}

static void test_parse(void **state)
{
    (void)state;
    assert_string_equal(canon("192.0.2.1"), "192.0.2.1");
    assert_string_equal(canon("0.0.0.0"), "0.0.0.0");
    assert_string_equal(canon("255.255.255.255"), "255.255.255.255");
    assert_string_equal(canon("::1"), "::1");
    assert_string_equal(canon("2001:DB8:0:0:0:0:0:7"), "2001:db8::7");
    assert_string_equal(canon("::ffff:192.0.2.1"), "192.0.2.1"); /* mapped: IPv4 */
    assert_string_equal(canon("::ffff:c000:201"), "192.0.2.1");
    const char *bad[] = {"",
                         " 192.0.2.1",
                         "192.0.2.1 ",
                         "192.0.2",
                         "192.0.2.256",
                         "192.0.2.01",
                         "1.2.3.4.5",
                         "[::1]",
                         "::1%lo",
                         "192.0.2.1:80",
                         "localhost",
                         "2001:db8::g",
                         ":::",
                         "0x7f.0.0.1",
                         "unknown",
                         "1:2:3:4:5:6:7:8:9",
                         "2001:db8:0:0:0:0:0:0:1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct nb_addr a = {4, {1}};
        assert_false(nb_addr_parse(nb_str_c(bad[i]), &a));
        assert_int_equal(a.family, 0);
    }
    /* A NUL inside the view, and a view longer than any address, are refused. */
    struct nb_addr a;
    assert_false(nb_addr_parse((struct nb_str){"1.2.3.4\0", 8}, &a));
    char longtext[80];
    memset(longtext, '1', sizeof(longtext));
    assert_false(nb_addr_parse((struct nb_str){longtext, sizeof(longtext)}, &a));
}

static void test_equal_and_sockaddr(void **state)
{
    (void)state;
    struct nb_addr v4, mapped, s4, s6, other;
    assert_true(nb_addr_parse(nb_str_c("198.51.100.9"), &v4));
    assert_true(nb_addr_parse(nb_str_c("::ffff:198.51.100.9"), &mapped));
    assert_true(nb_addr_eq(&v4, &mapped));
    assert_true(nb_addr_parse(nb_str_c("198.51.100.10"), &other));
    assert_false(nb_addr_eq(&v4, &other));

    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(80)};
    assert_int_equal(inet_pton(AF_INET, "198.51.100.9", &sin.sin_addr), 1);
    assert_true(nb_addr_from_sockaddr((struct sockaddr *)&sin, sizeof(sin), &s4));
    assert_true(nb_addr_eq(&s4, &v4));
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
    assert_int_equal(inet_pton(AF_INET6, "::ffff:198.51.100.9", &sin6.sin6_addr), 1);
    assert_true(nb_addr_from_sockaddr((struct sockaddr *)&sin6, sizeof(sin6), &s6));
    assert_true(nb_addr_eq(&s6, &v4)); /* a dual-stack socket's IPv4 client */
    assert_false(nb_addr_from_sockaddr((struct sockaddr *)&sin6, sizeof(sin), &s6)); /* short */
    struct sockaddr sun = {.sa_family = AF_UNIX};
    assert_false(nb_addr_from_sockaddr(&sun, sizeof(sun), &s6));
    assert_false(nb_addr_from_sockaddr(NULL, 0, &s6));
    char out[NB_ADDR_TEXT];
    assert_string_equal(nb_addr_format(&s6, out), ""); /* zeroed */
}

static void test_list(void **state)
{
    (void)state;
    struct nb_addr_list l;
    struct nb_str bad;
    assert_int_equal(nb_addr_list_parse(nb_str_c("127.0.0.1,::1"), &l, &bad), NB_OK);
    assert_int_equal(l.n, 2);
    struct nb_addr lo6, lo4, other;
    assert_true(nb_addr_parse(nb_str_c("::1"), &lo6));
    assert_true(nb_addr_parse(nb_str_c("::ffff:127.0.0.1"), &lo4));
    assert_true(nb_addr_parse(nb_str_c("127.0.0.2"), &other));
    assert_true(nb_addr_list_has(&l, &lo6));
    assert_true(nb_addr_list_has(&l, &lo4));
    assert_false(nb_addr_list_has(&l, &other));
    assert_false(nb_addr_list_has(NULL, &lo6));

    assert_int_equal(nb_addr_list_parse(nb_str_c(" 10.0.0.1 ,\t2001:db8::1 "), &l, &bad), NB_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(nb_addr_list_parse(nb_str_c(""), &l, &bad), NB_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(nb_addr_list_parse(nb_str_c("  "), &l, &bad), NB_OK);
    assert_int_equal(l.n, 0);
    assert_false(nb_addr_list_has(&l, &lo6));

    const char *refused[] = {"127.0.0.1,",        ",::1",       "127.0.0.1,,::1",
                             "proxy.example.org", "10.0.0.0/8", "127.0.0.1;::1"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        assert_int_equal(nb_addr_list_parse(nb_str_c(refused[i]), &l, NULL), NB_ERR_INPUT);
        assert_int_equal(l.n, 0);
    }
    assert_int_equal(nb_addr_list_parse(nb_str_c("10.0.0.1, nginx ,::1"), &l, &bad), NB_ERR_INPUT);
    assert_true(nb_str_eq_c(bad, "nginx"));

    /* At the limit: accepted; one more: NB_ERR_LIMIT, naming the one too many. */
    char text[1024];
    size_t len = 0;
    for (unsigned i = 0; i < NB_HTTP_TRUSTED_PROXIES_MAX; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s10.0.0.%u", i ? "," : "", i);
    assert_int_equal(nb_addr_list_parse(nb_str_c(text), &l, &bad), NB_OK);
    assert_int_equal(l.n, NB_HTTP_TRUSTED_PROXIES_MAX);
    snprintf(text + len, sizeof(text) - len, ",10.0.1.1");
    assert_int_equal(nb_addr_list_parse(nb_str_c(text), &l, &bad), NB_ERR_LIMIT);
    assert_true(nb_str_eq_c(bad, "10.0.1.1"));
    assert_int_equal(l.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_equal_and_sockaddr),
        cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
