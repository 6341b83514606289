/* Tests for http/framing: each RFC 9112 rule on its own, with the header once as control. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/framing.h"

struct hdr {
    const char *name, *value;
    bool folded;
};

static const char *verdict(const struct hdr *h, size_t n)
{
    struct nb_framing f;
    nb_framing_init(&f);
    for (size_t i = 0; i < n; i++)
        nb_framing_add(&f, nb_str_c(h[i].name), nb_str_c(h[i].value), h[i].folded);
    return nb_framing_verdict(&f);
}

#define VERDICT(...)                                                                               \
    verdict((const struct hdr[]){__VA_ARGS__},                                                     \
            sizeof((const struct hdr[]){__VA_ARGS__}) / sizeof(struct hdr))

static void test_controls(void **state)
{
    (void)state;
    assert_null(VERDICT({"Host", "x", false}));
    assert_null(VERDICT({"Host", "x", false}, {"Content-Length", "3", false}));
    assert_null(VERDICT({"host", "x", false}, {"transfer-encoding", "chunked", false}));
    assert_null(VERDICT({"Host", "x", false}, {"X-A", "", false}, {"X-B", "a b\t", false}));
}

static void test_refusals(void **state)
{
    (void)state;
    assert_string_equal(
        VERDICT({"Content-Length", "3", false}, {"Transfer-Encoding", "chunked", false}),
        "cl_and_te");
    assert_string_equal(
        VERDICT({"transfer-encoding", "chunked", false}, {"CONTENT-LENGTH", "0", false}),
        "cl_and_te");
    assert_string_equal(VERDICT({"Content-Length", "3", false}, {"Content-Length", "5", false}),
                        "cl_repeated");
    assert_string_equal(VERDICT({"Content-Length", "3", false}, {"content-length", "3", false}),
                        "cl_repeated");
    assert_string_equal(VERDICT({"Host", "x", false}, {"HOST", "x", false}), "host_repeated");
    assert_string_equal(VERDICT({"Host", "x", false}, {"X-A", "a\rX-B: b", false}), "bare_cr");
    assert_string_equal(VERDICT({"X\rA", "a", false}), "bare_cr");
    assert_string_equal(VERDICT({"Host", "x", false}, {"X-Ab", "a", true}), "folded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
