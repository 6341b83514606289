/* Tests for http/server: starts the real server on 127.0.0.1 with a small app and speaks raw
 * HTTP/1.1 to it over sockets, so that what is checked is what a client receives. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http/server.h"

/* ---- the test app --------------------------------------------------------------------- */

#define PRE_BODY_LEN (20u * 1024u)
#define BIG_BODY_LEN (24u * 1024u * 1024u)

static struct nb_http_prebuilt *g_pre;
static struct nb_http_prebuilt *_Atomic g_big;
static atomic_uint g_handled; /* calls of handle() */

static uint32_t checksum(const void *p, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ ((const unsigned char *)p)[i]) * 16777619u;
    return h;
}

static const char *method_name(enum nb_http_method m)
{
    switch (m) {
    case NB_HTTP_GET:
        return "GET";
    case NB_HTTP_HEAD:
        return "HEAD";
    case NB_HTTP_POST:
        return "POST";
    }
    return "?";
}

static void app_handle(void *ctx, struct nb_http_request *req, struct nb_http_response *res)
{
    (void)ctx;
    atomic_fetch_add(&g_handled, 1);
    struct nb_str p = req->dpath.decoded;
    if (nb_str_eq_c(p, "/")) {
        res->status = 200;
        res->body = "hello";
        res->len = 5;
        if (nb_http_response_header(res, "Cache-Control", "no-store") != NB_OK)
            abort();
    } else if (nb_str_eq_c(p, "/prebuilt")) {
        res->prebuilt = g_pre;
    } else if (nb_str_eq_c(p, "/big")) {
        res->prebuilt = atomic_load(&g_big);
    } else if (nb_str_eq_c(p, "/echo")) {
        struct nb_str q = {"-", 1};
        enum nb_err qe = nb_http_query_get(req->query, "q", &req->arena, &q);
        struct nb_str probe = nb_http_header(req, "x-probe");
        char *out = nb_arena_alloc(&req->arena, 1024);
        if (!out)
            abort();
        int n = snprintf(out, 1024,
                         "method=%s len=%zu sum=%08x q=%.*s qerr=%s probe=%.*s client=%s "
                         "segs=%zu",
                         method_name(req->method), req->body.len,
                         checksum(req->body.ptr, req->body.len), NB_STR_FMT(q), nb_err_str(qe),
                         NB_STR_FMT(probe), req->client, req->dpath.nseg);
        res->status = 200;
        res->content_type = "text/plain; charset=utf-8";
        res->body = out;
        res->len = (size_t)n;
    } else if (nb_str_eq_c(p, "/nostatus")) {
        /* a handler bug: nothing set */
    } else if (nb_str_eq_c(p, "/badheader")) {
        res->status = 200;
        res->body = "x";
        res->len = 1;
        if (nb_http_response_header(res, "X-Bad", "a\r\nX-Injected: 1") != NB_OK)
            abort();
    } else {
        res->status = nb_http_status_of(NB_ERR_NOTFOUND);
        res->body = "not found";
        res->len = 9;
    }
}

static void app_error(void *ctx, struct nb_http_request *req, unsigned status,
                      struct nb_http_response *res)
{
    (void)ctx;
    bool en = nb_str_starts(req->path, NB_STR("/en/"));
    char *b = nb_arena_alloc(&req->arena, 64);
    if (!b)
        abort();
    int n = snprintf(b, 64, "error %u lang=%s", status, en ? "en" : "de");
    res->status = 299; /* the layer must overrule this */
    res->content_type = "text/plain; charset=utf-8";
    res->body = b;
    res->len = (size_t)n;
    if (nb_http_response_header(res, "Content-Language", en ? "en" : "de") != NB_OK ||
        nb_http_response_header(res, "X-Error-Page", "1") != NB_OK)
        abort();
}

static const struct nb_http_app app = {NULL, app_handle, app_error};
static struct nb_http_server *g_srv;
static uint16_t g_port;

/* ---- a raw HTTP/1.1 client ------------------------------------------------------------ */

struct client {
    int fd;
    char buf[65536];
    size_t len; /* bytes read ahead */
};

struct resp {
    unsigned status;
    char head[16384];
    char *body;
    size_t body_len;
};

static void client_open(struct client *c, uint16_t port)
{
    c->len = 0;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(c->fd >= 0);
    struct timeval tv = {10, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(c->fd, (struct sockaddr *)&a, sizeof(a)), 0);
}

static void client_close(struct client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* Sends all of p; false when the server closed the connection meanwhile. */
static bool send_all(struct client *c, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        s += w;
        n -= (size_t)w;
    }
    return true;
}

static bool send_str(struct client *c, const char *s)
{
    return send_all(c, s, strlen(s));
}

/* Reads more into c->buf; false on EOF, error or timeout. */
static bool fill(struct client *c)
{
    if (c->len == sizeof(c->buf))
        return false;
    ssize_t r;
    do
        r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
    while (r < 0 && errno == EINTR);
    if (r <= 0)
        return false;
    c->len += (size_t)r;
    return true;
}

/* The value of header name in r (case-insensitive), or NULL; copied into out. */
static const char *header(const struct resp *r, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *line = strstr(r->head, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
        const char *h = line + 2;
        if (strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
            const char *v = h + nl + 1;
            while (*v == ' ')
                v++;
            const char *e = strstr(v, "\r\n");
            size_t len = e ? (size_t)(e - v) : strlen(v);
            if (len >= n)
                len = n - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return out;
        }
    }
    return NULL;
}

static size_t header_count(const struct resp *r, const char *name)
{
    size_t count = 0, nl = strlen(name);
    for (const char *line = strstr(r->head, "\r\n"); line; line = strstr(line + 2, "\r\n"))
        if (strncasecmp(line + 2, name, nl) == 0 && line[2 + nl] == ':')
            count++;
    return count;
}

static void resp_free(struct resp *r)
{
    free(r->body);
    r->body = NULL;
}

/* Reads one response; with no_body (HEAD) the Content-Length is not read. False when the
 * connection ended or timed out first, or the response is not HTTP/1.1. Uses no cmocka
 * assertion, so that worker threads may call it. */
static bool read_response(struct client *c, bool no_body, struct resp *r)
{
    memset(r, 0, sizeof(*r));
    char *end;
    for (;;) {
        end = c->len ? memmem(c->buf, c->len, "\r\n\r\n", 4) : NULL;
        if (end)
            break;
        if (!fill(c))
            return false;
    }
    size_t hl = (size_t)(end - c->buf) + 4;
    if (hl >= sizeof(r->head))
        return false;
    memcpy(r->head, c->buf, hl);
    r->head[hl] = '\0';
    memmove(c->buf, c->buf + hl, c->len - hl);
    c->len -= hl;
    if (strncmp(r->head, "HTTP/1.1 ", 9) != 0)
        return false;
    r->status = (unsigned)strtoul(r->head + 9, NULL, 10);

    char v[32];
    size_t want = header(r, "Content-Length", v, sizeof(v)) ? strtoul(v, NULL, 10) : 0;
    if (no_body)
        want = 0;
    r->body = malloc(want + 1);
    if (!r->body)
        abort();
    while (r->body_len < want) {
        if (c->len == 0 && !fill(c)) {
            r->body[r->body_len] = '\0';
            return false;
        }
        size_t take = want - r->body_len < c->len ? want - r->body_len : c->len;
        memcpy(r->body + r->body_len, c->buf, take);
        r->body_len += take;
        memmove(c->buf, c->buf + take, c->len - take);
        c->len -= take;
    }
    r->body[r->body_len] = '\0';
    return true;
}

/* True when the server has closed the connection (EOF within the receive timeout). */
static bool closed_by_server(struct client *c)
{
    char b[256];
    ssize_t r = recv(c->fd, b, sizeof(b), 0);
    return r == 0 || (r < 0 && errno == ECONNRESET);
}

/* One request on a fresh connection. */
static void roundtrip(const char *request, bool no_body, struct resp *r)
{
    struct client c;
    client_open(&c, g_port);
    assert_true(send_str(&c, request));
    assert_true(read_response(&c, no_body, r));
    client_close(&c);
}

/* What every response must carry, written out here rather than taken from the server's
 * table, so that a header dropped there fails the test. */
static const struct nb_http_header_kv want_security[] = {
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};

static void assert_security_headers(const struct resp *r)
{
    char v[512];
    for (size_t i = 0; i < sizeof(want_security) / sizeof(want_security[0]); i++) {
        const char *got = header(r, want_security[i].name, v, sizeof(v));
        if (!got || strcmp(got, want_security[i].value) != 0)
            fail_msg("header %s: got %s", want_security[i].name, got ? got : "none");
    }
    assert_int_equal(nb_http_security_headers_len, 6);
}

static void assert_error_page(const struct resp *r, unsigned status, const char *lang)
{
    char want[64], v[64];
    assert_int_equal(r->status, status);
    snprintf(want, sizeof(want), "error %u lang=%s", status, lang);
    assert_string_equal(r->body, want);
    assert_non_null(header(r, "X-Error-Page", v, sizeof(v)));
    assert_string_equal(header(r, "Content-Language", v, sizeof(v)), lang);
    assert_security_headers(r);
}

/* ---- fixture -------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    char *body = malloc(PRE_BODY_LEN);
    for (size_t i = 0; i < PRE_BODY_LEN; i++)
        body[i] = (char)('a' + i % 26);
    static const struct nb_http_header_kv h[] = {{"ETag", "\"v1\""},
                                                 {"Cache-Control", "max-age=60"}};
    g_pre = nb_http_prebuilt_new(200, "text/html; charset=utf-8", body, PRE_BODY_LEN, h, 2);
    free(body); /* the prebuilt holds its own copy */
    if (!g_pre)
        return -1;
    struct nb_http_options opt = {"127.0.0.1:0", 2, NULL};
    if (nb_http_start(&opt, &app, &g_srv) != NB_OK)
        return -1;
    g_port = nb_http_port(g_srv);
    return g_port ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    nb_http_stop(&g_srv);
    nb_http_prebuilt_free(&g_pre);
    return 0;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_get_with_security_headers(void **state)
{
    (void)state;
    struct resp r;
    roundtrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n", false, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "hello");
    char v[128];
    assert_string_equal(header(&r, "Content-Type", v, sizeof(v)), "text/html; charset=utf-8");
    assert_string_equal(header(&r, "Cache-Control", v, sizeof(v)), "no-store");
    assert_security_headers(&r);
    assert_int_equal(header_count(&r, "Content-Security-Policy"), 1);
    /* The CSP allows no inline script. */
    assert_null(strstr(header(&r, "Content-Security-Policy", v, sizeof(v)), "unsafe-inline"));
    resp_free(&r);

    roundtrip("GET /prebuilt HTTP/1.1\r\nHost: x\r\n\r\n", false, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, PRE_BODY_LEN);
    assert_string_equal(header(&r, "ETag", v, sizeof(v)), "\"v1\"");
    assert_security_headers(&r);
    resp_free(&r);

    roundtrip("GET /no/such/page HTTP/1.1\r\nHost: x\r\n\r\n", false, &r);
    assert_int_equal(r.status, 404);
    assert_security_headers(&r);
    resp_free(&r);
}

static void test_head(void **state)
{
    (void)state;
    struct client c;
    struct resp r;
    client_open(&c, g_port);
    /* HEAD answers carry the length but no body: the next response on the connection must
     * start right after the head. */
    assert_true(send_str(&c, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert_true(read_response(&c, true, &r));
    char v[32];
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Length", v, sizeof(v)), "5");
    assert_security_headers(&r);
    resp_free(&r);
    assert_true(send_str(&c, "HEAD /prebuilt HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert_true(read_response(&c, true, &r));
    assert_int_equal(r.status, 200);
    assert_int_equal(strtoul(header(&r, "Content-Length", v, sizeof(v)), NULL, 10), PRE_BODY_LEN);
    resp_free(&r);
    assert_true(send_str(&c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert_true(read_response(&c, false, &r));
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "hello");
    resp_free(&r);
    assert_true(send_str(&c, "HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert_true(read_response(&c, true, &r));
    assert_int_equal(c.len, 0); /* nothing beyond the head arrived */
    resp_free(&r);
    client_close(&c);
}

static void test_method_not_allowed(void **state)
{
    (void)state;
    static const char *methods[] = {"PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "FOO"};
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        char req[128];
        snprintf(req, sizeof(req), "%s /en/x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                 methods[i]);
        struct resp r;
        roundtrip(req, false, &r);
        assert_error_page(&r, 405, "en");
        char v[64];
        assert_string_equal(header(&r, "Allow", v, sizeof(v)), "GET, HEAD, POST");
        resp_free(&r);
    }
    /* A refusal closes the connection (libmicrohttpd closes whenever a response is queued
     * before the body was read); what was pipelined behind it is not served. */
    struct client c;
    struct resp r;
    client_open(&c, g_port);
    assert_true(
        send_str(&c, "DELETE / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert_true(read_response(&c, false, &r));
    assert_error_page(&r, 405, "de");
    char v[16];
    assert_string_equal(header(&r, "Connection", v, sizeof(v)), "close");
    resp_free(&r);
    assert_false(read_response(&c, false, &r));
    resp_free(&r);
    client_close(&c);
}

static void post_echo(struct client *c, size_t len, const char *extra)
{
    char head[256];
    snprintf(head, sizeof(head), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n%s\r\n",
             len, extra);
    assert_true(send_str(c, head));
}

static void test_body_limit(void **state)
{
    (void)state;
    char *body = malloc(NB_HTTP_BODY_MAX + 1);
    for (size_t i = 0; i <= NB_HTTP_BODY_MAX; i++)
        body[i] = (char)(i * 7);
    struct client c;
    struct resp r;
    char want[128];

    /* Exactly the cap: accepted, every byte arrives. */
    client_open(&c, g_port);
    post_echo(&c, NB_HTTP_BODY_MAX, "");
    assert_true(send_all(&c, body, NB_HTTP_BODY_MAX));
    assert_true(read_response(&c, false, &r));
    assert_int_equal(r.status, 200);
    snprintf(want, sizeof(want), "method=POST len=%u sum=%08x ", NB_HTTP_BODY_MAX,
             checksum(body, NB_HTTP_BODY_MAX));
    assert_true(strncmp(r.body, want, strlen(want)) == 0);
    resp_free(&r);
    client_close(&c);

    /* One byte more: 413 as soon as the headers are in, before any body is sent, and the
     * connection is closed. */
    unsigned before = atomic_load(&g_handled);
    client_open(&c, g_port);
    post_echo(&c, NB_HTTP_BODY_MAX + 1, "");
    assert_true(read_response(&c, false, &r));
    assert_error_page(&r, 413, "de");
    char v[32];
    assert_string_equal(header(&r, "Connection", v, sizeof(v)), "close");
    assert_true(closed_by_server(&c));
    resp_free(&r);
    client_close(&c);
    assert_int_equal(atomic_load(&g_handled), before); /* the app never saw it */

    /* The same with Expect: 100-continue: no "100 Continue", straight 413. */
    client_open(&c, g_port);
    post_echo(&c, (size_t)NB_HTTP_BODY_MAX * 100, "Expect: 100-continue\r\n");
    assert_true(read_response(&c, false, &r));
    assert_int_equal(r.status, 413);
    resp_free(&r);
    client_close(&c);
    free(body);
}

/* Sends body as chunks of at most chunk bytes, then the last chunk. */
static bool send_chunked(struct client *c, const char *body, size_t len, size_t chunk)
{
    char line[32];
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        snprintf(line, sizeof(line), "%zx\r\n", n);
        if (!send_str(c, line) || !send_all(c, body + off, n) || !send_str(c, "\r\n"))
            return false;
    }
    return send_str(c, "0\r\n\r\n");
}

static void test_chunked(void **state)
{
    (void)state;
    const char *head = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    char *body = malloc(NB_HTTP_BODY_MAX + 1);
    for (size_t i = 0; i <= NB_HTTP_BODY_MAX; i++)
        body[i] = (char)(i * 13 + 1);
    struct client c;
    struct resp r;
    char want[128];

    /* Small, in odd pieces, twice on one connection. */
    client_open(&c, g_port);
    for (int round = 0; round < 2; round++) {
        assert_true(send_str(&c, head));
        assert_true(send_chunked(&c, body, 1000, 7));
        assert_true(read_response(&c, false, &r));
        assert_int_equal(r.status, 200);
        snprintf(want, sizeof(want), "method=POST len=1000 sum=%08x ", checksum(body, 1000));
        assert_true(strncmp(r.body, want, strlen(want)) == 0);
        resp_free(&r);
    }
    client_close(&c);

    /* Exactly the cap. */
    client_open(&c, g_port);
    assert_true(send_str(&c, head));
    assert_true(send_chunked(&c, body, NB_HTTP_BODY_MAX, 65536));
    assert_true(read_response(&c, false, &r));
    assert_int_equal(r.status, 200);
    snprintf(want, sizeof(want), "method=POST len=%u sum=%08x ", NB_HTTP_BODY_MAX,
             checksum(body, NB_HTTP_BODY_MAX));
    assert_true(strncmp(r.body, want, strlen(want)) == 0);
    resp_free(&r);
    client_close(&c);

    /* One byte past the cap: 413 with the error page, the app is not called. */
    unsigned before = atomic_load(&g_handled);
    client_open(&c, g_port);
    assert_true(
        send_str(&c, "POST /en/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    assert_true(send_chunked(&c, body, NB_HTTP_BODY_MAX + 1, 65536));
    assert_true(read_response(&c, false, &r));
    assert_error_page(&r, 413, "en");
    assert_true(closed_by_server(&c));
    resp_free(&r);
    client_close(&c);
    assert_int_equal(atomic_load(&g_handled), before);

    /* A client that goes on sending far past the cap is cut off without a response. */
    client_open(&c, g_port);
    assert_true(send_str(&c, head));
    bool sent = true;
    for (int i = 0; i < 1024 && sent; i++) /* up to 64 MiB, never the last chunk */
        sent = send_str(&c, "10000\r\n") && send_all(&c, body, 65536) && send_str(&c, "\r\n");
    assert_false(sent);
    assert_false(read_response(&c, false, &r));
    resp_free(&r);
    client_close(&c);
    free(body);
}

/* "GET <target> HTTP/1.1" with Host and one X-Pad header padded so that the request line
 * and headers take exactly total bytes. */
static char *padded_request(const char *target, size_t total)
{
    size_t fixed = strlen("GET  HTTP/1.1\r\n") + strlen(target) + strlen("Host: x\r\n") +
                   strlen("X-Pad: \r\n") + strlen("\r\n");
    assert_true(total > fixed);
    size_t pad = total - fixed;
    char *req = malloc(total + 1);
    int n = snprintf(req, total + 1, "GET %s HTTP/1.1\r\nHost: x\r\nX-Pad: ", target);
    memset(req + n, 'p', pad);
    memcpy(req + (size_t)n + pad, "\r\n\r\n", 5);
    assert_int_equal(strlen(req), total);
    return req;
}

static void test_header_limit(void **state)
{
    (void)state;
    struct resp r;
    char *req = padded_request("/", NB_HTTP_HEADER_MAX);
    roundtrip(req, false, &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    free(req);

    req = padded_request("/en/", NB_HTTP_HEADER_MAX + 1);
    roundtrip(req, false, &r);
    assert_error_page(&r, 431, "en");
    resp_free(&r);
    free(req);

    /* Twice the limit is still ours to answer (within the connection memory). */
    req = padded_request("/", 2 * NB_HTTP_HEADER_MAX);
    roundtrip(req, false, &r);
    assert_error_page(&r, 431, "de");
    resp_free(&r);
    free(req);
}

static void test_uri_limit(void **state)
{
    (void)state;
    char target[NB_HTTP_URI_MAX + 2];
    memset(target, 'a', sizeof(target));
    memcpy(target, "/en/", 4);
    char req[NB_HTTP_URI_MAX + 64];
    struct resp r;

    target[NB_HTTP_URI_MAX] = '\0'; /* exactly the limit: served (404 from the app) */
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", target);
    roundtrip(req, false, &r);
    assert_int_equal(r.status, 404);
    resp_free(&r);

    target[NB_HTTP_URI_MAX] = 'a';
    target[NB_HTTP_URI_MAX + 1] = '\0'; /* one more: 414, in the language of the prefix */
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", target);
    roundtrip(req, false, &r);
    assert_error_page(&r, 414, "en");
    resp_free(&r);

    /* A query counts as part of the target. */
    memcpy(target, "/?q=", 4);
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", target);
    roundtrip(req, false, &r);
    assert_error_page(&r, 414, "de");
    resp_free(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    /* Refused by our parsers, with the app's error page. */
    static const char *ours[] = {
        "GET /a//b HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a/../b HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /%2e%2e/etc HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /?a=% HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /?a=%C3 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET nopath HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET http://x/abs HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /a\x01 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
        struct resp r;
        roundtrip(ours[i], false, &r);
        assert_error_page(&r, 400, "de");
        resp_free(&r);
    }
    /* Too many query parameters. */
    char req[2048];
    int n = snprintf(req, sizeof(req), "GET /en/?");
    for (unsigned i = 0; i <= NB_HTTP_QUERY_PARAMS_MAX; i++)
        n += snprintf(req + n, sizeof(req) - (size_t)n, "a=1&");
    snprintf(req + n, sizeof(req) - (size_t)n, " HTTP/1.1\r\nHost: x\r\n\r\n");
    struct resp r;
    roundtrip(req, false, &r);
    assert_error_page(&r, 400, "en");
    resp_free(&r);

    /* Refused by libmicrohttpd before our code: its own 400, or the connection closed
     * without an answer; either way the server goes on serving. */
    static const struct {
        const char *request;
        unsigned status; /* 0: closed without a response */
    } theirs[] = {
        {"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400},
        {"GET /\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\n\r\n", 400}, /* HTTP/1.1 without Host */
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n", 400},
        {"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 0},
        {"GARBAGE\r\n\r\n", 0},
    };
    for (size_t i = 0; i < sizeof(theirs) / sizeof(theirs[0]); i++) {
        struct client c;
        client_open(&c, g_port);
        assert_true(send_str(&c, theirs[i].request));
        bool got = read_response(&c, false, &r);
        if (got ? r.status != theirs[i].status : theirs[i].status != 0)
            fail_msg("request %zu: %s %u", i, got ? "status" : "no response", r.status);
        if (got)
            assert_true(closed_by_server(&c));
        resp_free(&r);
        client_close(&c);

        roundtrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n", false, &r);
        assert_int_equal(r.status, 200);
        resp_free(&r);
    }
    roundtrip("GET / HTTP/1.1\r\nHost: x\r\n\r\n", false, &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

static void test_keep_alive(void **state)
{
    (void)state;
    struct client c;
    struct resp r;
    char v[64];
    client_open(&c, g_port);
    for (int i = 0; i < 5; i++) {
        assert_true(send_str(&c, "GET /echo?q=a+b%21 HTTP/1.1\r\nHost: x\r\nX-Probe: yes\r\n\r\n"));
        assert_true(read_response(&c, false, &r));
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body, "method=GET len=0 "));
        assert_non_null(strstr(r.body, " q=a b! qerr=ok probe=yes client=127.0.0.1 segs=1"));
        assert_null(header(&r, "Connection", v, sizeof(v)));
        resp_free(&r);

        assert_true(send_str(&c, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
        assert_true(read_response(&c, false, &r));
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body, "method=POST len=3 "));
        assert_non_null(strstr(r.body, " q=- qerr=notfound probe= "));
        resp_free(&r);

        assert_true(send_str(&c, "GET /prebuilt HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert_true(read_response(&c, false, &r));
        assert_int_equal(r.body_len, PRE_BODY_LEN);
        resp_free(&r);
    }
    /* Pipelined: three requests in one write, three answers in order. */
    assert_true(send_str(&c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                             "HEAD /prebuilt HTTP/1.1\r\nHost: x\r\n\r\n"
                             "GET /echo?q=3 HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert_true(read_response(&c, false, &r));
    assert_string_equal(r.body, "hello");
    resp_free(&r);
    assert_true(read_response(&c, true, &r));
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_true(read_response(&c, false, &r));
    assert_non_null(strstr(r.body, " q=3 "));
    resp_free(&r);
    client_close(&c);
}

static void test_bad_responses(void **state)
{
    (void)state;
    struct resp r;
    char v[64];
    roundtrip("GET /nostatus HTTP/1.1\r\nHost: x\r\n\r\n", false, &r);
    assert_error_page(&r, 500, "de");
    resp_free(&r);
    /* A header with CR LF cannot split the response. */
    roundtrip("GET /en/../badheader HTTP/1.1\r\nHost: x\r\n\r\n", false, &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    roundtrip("GET /badheader HTTP/1.1\r\nHost: x\r\n\r\n", false, &r);
    assert_error_page(&r, 500, "de");
    assert_null(header(&r, "X-Injected", v, sizeof(v)));
    assert_null(header(&r, "X-Bad", v, sizeof(v)));
    resp_free(&r);
}

struct worker {
    atomic_uint *failures;
    unsigned requests;
};

static void *prebuilt_worker(void *arg)
{
    struct worker *w = arg;
    struct client c;
    c.len = 0;
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(g_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {10, 0};
    setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (c.fd < 0 || connect(c.fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        atomic_fetch_add(w->failures, 1);
        return NULL;
    }
    char *want = malloc(PRE_BODY_LEN);
    for (size_t i = 0; i < PRE_BODY_LEN; i++)
        want[i] = (char)('a' + i % 26);
    for (unsigned i = 0; i < w->requests; i++) {
        bool head = i % 10 == 9;
        struct resp *r = malloc(sizeof(*r));
        const char *req = head ? "HEAD /prebuilt HTTP/1.1\r\nHost: x\r\n\r\n"
                               : "GET /prebuilt HTTP/1.1\r\nHost: x\r\n\r\n";
        char v[16];
        bool ok = send(c.fd, req, strlen(req), MSG_NOSIGNAL) == (ssize_t)strlen(req);
        /* read_response uses cmocka asserts only for impossible framing; run it here. */
        ok = ok && read_response(&c, head, r) && r->status == 200 &&
             header(r, "ETag", v, sizeof(v)) && strcmp(v, "\"v1\"") == 0 &&
             (head ? r->body_len == 0
                   : r->body_len == PRE_BODY_LEN && memcmp(r->body, want, PRE_BODY_LEN) == 0);
        if (!ok)
            atomic_fetch_add(w->failures, 1);
        resp_free(r);
        free(r);
    }
    free(want);
    close(c.fd);
    return NULL;
}

static void test_prebuilt_concurrent(void **state)
{
    (void)state;
    atomic_uint failures = 0;
    struct worker w = {&failures, 300};
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, prebuilt_worker, &w), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&failures), 0);
}

/* The creator's reference can be dropped while a connection is still sending the response:
 * libmicrohttpd keeps its own (ASan would see a use after free otherwise). */
static void test_prebuilt_free_while_sending(void **state)
{
    (void)state;
    char *body = malloc(BIG_BODY_LEN);
    for (size_t i = 0; i < BIG_BODY_LEN; i++)
        body[i] = (char)(i % 251);
    struct nb_http_prebuilt *big =
        nb_http_prebuilt_new(200, "application/octet-stream", body, BIG_BODY_LEN, NULL, 0);
    assert_non_null(big);
    atomic_store(&g_big, big);

    struct client c;
    client_open(&c, g_port);
    assert_true(send_str(&c, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
    assert_true(fill(&c)); /* the response has started */
    atomic_store(&g_big, NULL);
    nb_http_prebuilt_free(&big);
    assert_null(big);
    struct resp r;
    assert_true(read_response(&c, false, &r));
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, BIG_BODY_LEN);
    assert_memory_equal(r.body, body, BIG_BODY_LEN);
    resp_free(&r);
    client_close(&c);
    free(body);
    nb_http_prebuilt_free(&big); /* NULL is fine */
}

static void test_prebuilt_refused(void **state)
{
    (void)state;
    struct nb_http_header_kv bad[] = {{"X-A", "b\r\nX-Injected: 1"}};
    assert_null(nb_http_prebuilt_new(200, NULL, "x", 1, bad, 1));
    struct nb_http_header_kv cl[] = {{"Content-Length", "5"}};
    assert_null(nb_http_prebuilt_new(200, NULL, "x", 1, cl, 1));
    assert_null(nb_http_prebuilt_new(99, NULL, "x", 1, NULL, 0));
    assert_null(nb_http_prebuilt_new(600, NULL, "x", 1, NULL, 0));
    assert_null(nb_http_prebuilt_new(200, NULL, NULL, 1, NULL, 0));
    struct nb_http_prebuilt *p = nb_http_prebuilt_new(204, NULL, NULL, 0, NULL, 0);
    assert_non_null(p);
    nb_http_prebuilt_free(&p);
    assert_null(p);
}

static void test_response_header_limit(void **state)
{
    (void)state;
    struct nb_http_response res;
    memset(&res, 0, sizeof(res));
    for (unsigned i = 0; i < NB_HTTP_RESPONSE_HEADERS_MAX; i++)
        assert_int_equal(nb_http_response_header(&res, "X-A", "1"), NB_OK);
    assert_int_equal(nb_http_response_header(&res, "X-A", "1"), NB_ERR_LIMIT);
    assert_int_equal(res.nheaders, NB_HTTP_RESPONSE_HEADERS_MAX);
}

static void test_header_lookup_without_connection(void **state)
{
    (void)state;
    struct nb_http_request req;
    memset(&req, 0, sizeof(req));
    assert_int_equal(nb_http_header(&req, "Host").len, 0);
}

static void test_status_of(void **state)
{
    (void)state;
    assert_int_equal(nb_http_status_of(NB_OK), 200);
    assert_int_equal(nb_http_status_of(NB_ERR_INPUT), 400);
    assert_int_equal(nb_http_status_of(NB_ERR_DENIED), 403);
    assert_int_equal(nb_http_status_of(NB_ERR_NOTFOUND), 404);
    assert_int_equal(nb_http_status_of(NB_ERR_CONFLICT), 409);
    assert_int_equal(nb_http_status_of(NB_ERR_LIMIT), 413);
    assert_int_equal(nb_http_status_of(NB_ERR_NOMEM), 503);
    assert_int_equal(nb_http_status_of(NB_ERR_DB), 503);
    assert_int_equal(nb_http_status_of(NB_ERR_IO), 500);
    assert_int_equal(nb_http_status_of(NB_ERR_INTERNAL), 500);
    assert_int_equal(nb_http_status_of((enum nb_err)999), 500);
}

static void test_start_errors(void **state)
{
    (void)state;
    struct nb_http_server *s = NULL;
    static const char *bad[] = {
        "",
        "127.0.0.1",
        "127.0.0.1:",
        ":80",
        "127.0.0.1:65536",
        "127.0.0.1:-1",
        "localhost:80",
        "::1:80",
        "[::1]80",
        "[::1]:",
        "[::1",
        "1.2.3:80",
        "127.0.0.1:80x",
        "[127.0.0.1]:80",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct nb_http_options opt = {bad[i], 1, NULL};
        if (nb_http_start(&opt, &app, &s) != NB_ERR_INPUT)
            fail_msg("listen \"%s\" accepted", bad[i]);
        assert_null(s);
    }
    struct nb_http_options opt = {"127.0.0.1:0", NB_HTTP_THREADS_MAX + 1, NULL};
    assert_int_equal(nb_http_start(&opt, &app, &s), NB_ERR_INPUT);
    struct nb_http_app half = {NULL, app_handle, NULL};
    opt.threads = 1;
    assert_int_equal(nb_http_start(&opt, &half, &s), NB_ERR_INPUT);

    /* The port of the running server is taken. */
    char listen[32];
    snprintf(listen, sizeof(listen), "127.0.0.1:%u", (unsigned)g_port);
    opt.listen = listen;
    assert_int_equal(nb_http_start(&opt, &app, &s), NB_ERR_IO);
    assert_null(s);
    nb_http_stop(&s); /* NULL is fine */
    nb_http_stop(NULL);
}

static void test_ipv6(void **state)
{
    (void)state;
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    bool have_v6 = probe >= 0 && bind(probe, (struct sockaddr *)&a, sizeof(a)) == 0;
    if (probe >= 0)
        close(probe);
    if (!have_v6)
        skip(); /* no IPv6 loopback in this sandbox */
    struct nb_http_server *s = NULL;
    struct nb_http_options opt = {"[::1]:0", 1, NULL};
    assert_int_equal(nb_http_start(&opt, &app, &s), NB_OK);
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    a.sin6_port = htons(nb_http_port(s));
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    struct client c = {.fd = fd, .len = 0};
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    assert_true(send_str(&c, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
    struct resp r;
    assert_true(read_response(&c, false, &r));
    assert_non_null(strstr(r.body, " client=::1 "));
    resp_free(&r);
    client_close(&c);
    nb_http_stop(&s);
}

struct stopper {
    struct nb_http_server *srv;
    double seconds;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *stop_thread(void *arg)
{
    struct stopper *st = arg;
    double t0 = now();
    nb_http_stop(&st->srv);
    st->seconds = now() - t0;
    return NULL;
}

static void test_stop_with_open_connections(void **state)
{
    (void)state;
    struct stopper st = {NULL, 0};
    struct nb_http_options opt = {"127.0.0.1:0", 1, NULL};
    assert_int_equal(nb_http_start(&opt, &app, &st.srv), NB_OK);
    uint16_t port = nb_http_port(st.srv);

    struct client idle, partial, inflight;
    client_open(&idle, port); /* connected, nothing sent */
    client_open(&partial, port);
    assert_true(send_str(&partial, "GET /echo HT")); /* request line not complete */
    client_open(&inflight, port);
    post_echo(&inflight, 10, "");
    assert_true(send_str(&inflight, "12345")); /* request received, body half there */
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);

    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, stop_thread, &st), 0);
    nanosleep(&pause, NULL);
    /* Stopping: no new connections are accepted ... */
    struct client late;
    late.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {1, 0};
    setsockopt(late.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    late.len = 0;
    if (connect(late.fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        /* a connection still in the kernel's backlog is never served */
        assert_true(send_str(&late, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        struct resp lr;
        assert_false(read_response(&late, false, &lr));
        resp_free(&lr);
    }
    client_close(&late);
    /* ... but the request in flight is finished, and told that the connection closes. */
    assert_true(send_str(&inflight, "67890"));
    struct resp r;
    assert_true(read_response(&inflight, false, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "method=POST len=10 "));
    char v[16];
    assert_string_equal(header(&r, "Connection", v, sizeof(v)), "close");
    resp_free(&r);

    pthread_join(t, NULL);
    assert_null(st.srv);
    assert_true(st.seconds < NB_HTTP_STOP_GRACE_SECONDS / 2.0); /* did not wait for idle ones */
    assert_true(closed_by_server(&idle));
    assert_true(closed_by_server(&partial));
    client_close(&idle);
    client_close(&partial);
    client_close(&inflight);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_with_security_headers),
        cmocka_unit_test(test_head),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_body_limit),
        cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_header_limit),
        cmocka_unit_test(test_uri_limit),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_bad_responses),
        cmocka_unit_test(test_prebuilt_concurrent),
        cmocka_unit_test(test_prebuilt_free_while_sending),
        cmocka_unit_test(test_prebuilt_refused),
        cmocka_unit_test(test_response_header_limit),
        cmocka_unit_test(test_header_lookup_without_connection),
        cmocka_unit_test(test_status_of),
        cmocka_unit_test(test_start_errors),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_stop_with_open_connections),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
