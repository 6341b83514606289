/* Unit tests for http/peers and the per-address connection limit of http/server: the table
 * counts, forgets and refuses on both sides of its limits; the real server on 127.0.0.1
 * serves NB_HTTP_CONN_PER_IP connections of one address and closes the next unanswered,
 * while another address (127.0.0.2) is served, a closed connection frees its place, and a
 * trusted proxy is never limited. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/limits.h"
#include "http/peers.h"
#include "http/server.h"

static struct nb_addr v4(unsigned i)
{
    struct nb_addr a = {4,
                        {10, (unsigned char)(i >> 16), (unsigned char)(i >> 8), (unsigned char)i}};
    return a;
}

static void test_table_counts(void **state)
{
    (void)state;
    struct nb_http_peers *p = nb_http_peers_new(3);
    struct nb_addr a = v4(1), b = v4(2), a6;
    assert_true(nb_addr_parse(nb_str_c("2001:db8::1"), &a6));
    assert_int_equal(nb_http_peers_count(p, &a), 0);
    assert_false(nb_http_peers_full(p, &a));
    for (unsigned i = 1; i <= 3; i++) {
        assert_false(nb_http_peers_full(p, &a)); /* below the limit: admitted */
        assert_true(nb_http_peers_add(p, &a));
        assert_int_equal(nb_http_peers_count(p, &a), i);
    }
    assert_true(nb_http_peers_full(p, &a)); /* at the limit: the next is refused */
    assert_false(nb_http_peers_full(p, &b));
    assert_false(nb_http_peers_full(p, &a6));
    nb_http_peers_remove(p, &a);
    assert_false(nb_http_peers_full(p, &a));
    nb_http_peers_remove(p, &b); /* not counted: ignored */
    assert_int_equal(nb_http_peers_count(p, &b), 0);
    nb_http_peers_remove(p, &a);
    nb_http_peers_remove(p, &a);
    assert_int_equal(nb_http_peers_count(p, &a), 0);
    nb_http_peers_remove(p, &a);
    assert_int_equal(nb_http_peers_count(p, &a), 0);
    nb_http_peers_free(&p);
    assert_null(p);
    nb_http_peers_free(&p);
    nb_http_peers_free(NULL);
}

/* Fills the table with as many addresses as it holds, removes them in an interleaved order
 * and checks every other count after each removal, which walks the backward shifts of the
 * deletion over long probe runs. */
static void test_table_many(void **state)
{
    (void)state;
    struct nb_http_peers *p = nb_http_peers_new(NB_HTTP_CONN_PER_IP);
    const unsigned n = NB_HTTP_CONN_MAX; /* the room the table promises */
    for (unsigned i = 0; i < n; i++) {
        struct nb_addr a = v4(i);
        assert_true(nb_http_peers_add(p, &a));
        if (i % 7 == 0)
            assert_true(nb_http_peers_add(p, &a));
    }
    struct nb_addr extra = v4(n);
    assert_false(nb_http_peers_add(p, &extra)); /* no room: not counted */
    assert_int_equal(nb_http_peers_count(p, &extra), 0);
    for (unsigned round = 0; round < 2; round++)
        for (unsigned i = round; i < n; i += 2) {
            struct nb_addr a = v4(i);
            nb_http_peers_remove(p, &a);
            if (i % 7 == 0) {
                assert_int_equal(nb_http_peers_count(p, &a), 1);
                nb_http_peers_remove(p, &a);
            }
            assert_int_equal(nb_http_peers_count(p, &a), 0);
            if (i % 64 == 0)
                for (unsigned j = i + 2; j < n; j += 2) {
                    struct nb_addr b = v4(j);
                    assert_int_equal(nb_http_peers_count(p, &b), j % 7 == 0 ? 2 : 1);
                }
        }
    assert_true(nb_http_peers_add(p, &extra)); /* room again */
    nb_http_peers_free(&p);
}

/* ---- the real server ------------------------------------------------------------------ */

static void app_handle(void *ctx, struct nb_http_request *req, struct nb_http_response *res)
{
    (void)ctx;
    (void)req;
    res->status = 200;
    res->body = "ok";
    res->len = 2;
}

static void app_error(void *ctx, struct nb_http_request *req, unsigned status,
                      struct nb_http_response *res)
{
    (void)ctx;
    (void)req;
    (void)status;
    res->body = "";
    res->len = 0;
}

static const struct nb_http_app app = {NULL, app_handle, app_error};

/* A connection from source (an address of 127.0.0.0/8) to the server. */
static int dial(const char *source, uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    struct sockaddr_in src = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, source, &src.sin_addr), 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof(src)), 0);
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(port)};
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&dst, sizeof(dst)), 0);
    return fd;
}

/* Sends a GET on fd; true when a whole 200 answer comes back, false when the server closes
 * the connection without one. The connection stays open. */
static bool served(int fd)
{
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof(req) - 1))
        return false;
    char buf[2048];
    size_t len = 0;
    while (len < sizeof(buf) - 1) {
        ssize_t n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
        if (n <= 0) {
            assert_true(n == 0 || errno == ECONNRESET); /* closed, never a timeout */
            return false;
        }
        len += (size_t)n;
        buf[len] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end && strlen(end + 4) >= 2) {
            assert_non_null(strstr(buf, "HTTP/1.1 200"));
            return true;
        }
    }
    return false;
}

/* Opens n connections from 127.0.0.1 into fds, each of which must be served. */
static void dial_served(uint16_t port, int *fds, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        fds[i] = dial("127.0.0.1", port);
        assert_true(served(fds[i]));
    }
}

static void test_limit_per_address(void **state)
{
    (void)state;
    struct nb_http_server *srv = NULL;
    struct nb_http_options opt = {"127.0.0.1:0", 1, ""}; /* no proxy trusted */
    assert_int_equal(nb_http_start(&opt, &app, &srv), NB_OK);
    uint16_t port = nb_http_port(srv);
    int fds[NB_HTTP_CONN_PER_IP];
    dial_served(port, fds, NB_HTTP_CONN_PER_IP); /* up to the limit: served */
    int over = dial("127.0.0.1", port);
    assert_false(served(over)); /* one past: closed unanswered */
    close(over);
    int other = dial("127.0.0.2", port);
    assert_true(served(other)); /* another address is not affected */
    close(other);

    /* A closed connection gives its place back (once the server has seen it close). */
    close(fds[0]);
    bool again = false;
    for (int attempt = 0; attempt < 200 && !again; attempt++) {
        int fd = dial("127.0.0.1", port);
        again = served(fd);
        if (again)
            fds[0] = fd;
        else
            close(fd);
        if (!again) {
            struct timespec pause = {0, 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    assert_true(again);
    for (unsigned i = 0; i < NB_HTTP_CONN_PER_IP; i++)
        close(fds[i]);
    nb_http_stop(&srv);
}

static void test_trusted_proxy_unlimited(void **state)
{
    (void)state;
    struct nb_http_server *srv = NULL;
    struct nb_http_options opt = {"127.0.0.1:0", 1, "::1, 127.0.0.1"};
    assert_int_equal(nb_http_start(&opt, &app, &srv), NB_OK);
    enum { N = NB_HTTP_CONN_PER_IP + 44 };
    int fds[N];
    dial_served(nb_http_port(srv), fds, N);
    for (unsigned i = 0; i < N; i++)
        close(fds[i]);
    nb_http_stop(&srv);
}

static void test_bad_trusted_list(void **state)
{
    (void)state;
    struct nb_http_server *srv = NULL;
    const char *bad[] = {"localhost", "127.0.0.1,", "10.0.0.0/8"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct nb_http_options opt = {"127.0.0.1:0", 1, bad[i]};
        assert_int_equal(nb_http_start(&opt, &app, &srv), NB_ERR_INPUT);
        assert_null(srv);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_counts),      cmocka_unit_test(test_table_many),
        cmocka_unit_test(test_limit_per_address), cmocka_unit_test(test_trusted_proxy_unlimited),
        cmocka_unit_test(test_bad_trusted_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
