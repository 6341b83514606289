/* server.c: the libmicrohttpd adapter.
 *
 * Owns the daemon, one struct exchange per request (request, response, progress), and the
 * security headers. An exchange is created in the URI callback, the first point where
 * libmicrohttpd knows a request exists and the only one where it shows the raw request
 * target (it later cuts the query apart in place), and freed in the completion callback,
 * which libmicrohttpd calls for every request it announced this way, whatever happened to it.
 * So each exchange, and its arena, is finished exactly once, after its response was sent or
 * the connection died.
 *
 * The access handler sees a request at least twice: first when the headers are in (all
 * checks that need no body happen there, and a refusal is queued at once so that an
 * oversized body is never read), then once per piece of body, then once with no data, when
 * the app is called. libmicrohttpd 0.9.75 cannot queue a response in the middle of an
 * upload, hence the read-and-drop of an oversized chunked body.
 *
 * Responses built from a handler's struct nb_http_response point at the handler's body
 * (MHD_RESPMEM_PERSISTENT); that memory lives in the arena, which outlives the sending.
 * Prebuilt responses are shared MHD_Response objects: libmicrohttpd takes a reference for
 * each connection that queues one and only reads it while sending. */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/log_summary.h"
#include "http/peers.h"
#include "http/proxy.h"

/* The security headers of every response, in one place.
 * Referrer-Policy is same-origin rather than no-referrer: links to other sites (the Land's
 * portal, the BSI) then carry no referrer, so a case-lookup URL never leaks, while our own
 * form posts keep a real Origin header (no-referrer makes browsers send "Origin: null" on
 * POST), which the CSRF check of the back office relies on. */
const struct nb_http_header_kv nb_http_security_headers[] = {
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};
const size_t nb_http_security_headers_len =
    sizeof(nb_http_security_headers) / sizeof(nb_http_security_headers[0]);

#define DEFAULT_CONTENT_TYPE "text/html; charset=utf-8"

struct nb_http_server {
    struct MHD_Daemon *daemon;
    struct nb_http_app app;
    uint16_t port;
    atomic_size_t inflight; /* exchanges created and not yet completed */
    atomic_bool stopping;
    struct nb_addr_list trusted;   /* --trusted-proxy */
    struct nb_http_peers *peers;   /* connections per untrusted peer address */
    struct nb_log_summary refused; /* connections refused by the per-address limit */
};

struct nb_http_prebuilt {
    struct MHD_Response *response;
    unsigned status;
};

struct exchange {
    struct nb_http_request req;
    struct nb_http_response res;
    struct nb_http_server *srv;
    size_t target_len;       /* length as sent, up to NB_HTTP_URI_MAX + 1 */
    uint64_t content_length; /* announced body size; UINT64_MAX when chunked or absent */
    size_t body_cap;         /* bytes allocated for the body */
    size_t dropped;          /* bytes of an oversized body read and dropped */
    struct nb_addr peer;     /* the TCP peer */
    bool started;            /* the first call of the access handler has happened */
    bool oversized;          /* the body grew past NB_HTTP_BODY_MAX */
};

static struct nb_str empty_str(void)
{
    return (struct nb_str){"", 0};
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        nb_log_error("http.oom", "what=server");
        abort();
    }
    return p;
}

/* ---- status mapping ------------------------------------------------------------------- */

unsigned nb_http_status_of(enum nb_err err)
{
    switch (err) {
    case NB_OK:
        return 200;
    case NB_ERR_INPUT:
        return 400;
    case NB_ERR_DENIED:
        return 403;
    case NB_ERR_NOTFOUND:
        return 404;
    case NB_ERR_CONFLICT:
        return 409;
    case NB_ERR_LIMIT:
        return 413;
    case NB_ERR_NOMEM:
        return 503; /* a budget ran out: try again later */
    case NB_ERR_DB:
        return 503; /* busy or failing store: try again later */
    case NB_ERR_IO:
        return 500;
    case NB_ERR_INTERNAL:
        return 500;
    }
    return 500;
}

/* ---- building responses --------------------------------------------------------------- */

static bool add_header(struct MHD_Response *r, const char *name, const char *value)
{
    return name && value && MHD_add_response_header(r, name, value) == MHD_YES;
}

/* Content type, security headers, then the caller's headers; false when one is refused. */
static bool add_headers(struct MHD_Response *r, const char *content_type,
                        const struct nb_http_header_kv *h, size_t n)
{
    if (!add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                    content_type ? content_type : DEFAULT_CONTENT_TYPE))
        return false;
    for (size_t i = 0; i < nb_http_security_headers_len; i++)
        if (!add_header(r, nb_http_security_headers[i].name, nb_http_security_headers[i].value))
            return false;
    for (size_t i = 0; i < n; i++)
        if (!add_header(r, h[i].name, h[i].value))
            return false;
    return true;
}

static bool status_ok(unsigned status)
{
    return status >= 100 && status <= 599;
}

/* An MHD_Response for res, or NULL when res is not sendable. The body is not copied. */
static struct MHD_Response *build(const struct nb_http_response *res)
{
    if (!status_ok(res->status) || (res->len && !res->body) ||
        res->nheaders > NB_HTTP_RESPONSE_HEADERS_MAX)
        return NULL;
    struct MHD_Response *r = MHD_create_response_from_buffer(
        res->len, (void *)(res->len ? res->body : ""), MHD_RESPMEM_PERSISTENT);
    if (!r)
        return NULL;
    if (!add_headers(r, res->content_type, res->headers, res->nheaders)) {
        MHD_destroy_response(r);
        return NULL;
    }
    return r;
}

enum nb_err nb_http_response_header(struct nb_http_response *res, const char *name,
                                    const char *value)
{
    if (res->nheaders >= NB_HTTP_RESPONSE_HEADERS_MAX)
        return NB_ERR_LIMIT;
    res->headers[res->nheaders++] = (struct nb_http_header_kv){name, value};
    return NB_OK;
}

struct nb_http_prebuilt *nb_http_prebuilt_new(unsigned status, const char *content_type,
                                              const void *body, size_t len,
                                              const struct nb_http_header_kv *headers,
                                              size_t nheaders)
{
    if (!status_ok(status) || (len && !body) || (nheaders && !headers))
        return NULL;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)(len ? body : ""), MHD_RESPMEM_MUST_COPY);
    if (!r) {
        nb_log_error("http.oom", "what=prebuilt len=%zu", len);
        abort();
    }
    if (!add_headers(r, content_type, headers, nheaders)) {
        MHD_destroy_response(r);
        return NULL;
    }
    struct nb_http_prebuilt *p = xcalloc(1, sizeof(*p));
    p->response = r;
    p->status = status;
    return p;
}

void nb_http_prebuilt_free(struct nb_http_prebuilt **p)
{
    if (!p || !*p)
        return;
    MHD_destroy_response((*p)->response);
    free(*p);
    *p = NULL;
}

/* ---- queueing ------------------------------------------------------------------------- */

static enum MHD_Result queue(struct exchange *x, unsigned status, struct MHD_Response *r)
{
    enum MHD_Result ok = MHD_queue_response(x->req.conn, status, r);
    MHD_destroy_response(r); /* the connection holds its own reference now */
    return ok;
}

/* Sends the layer's own refusal (or a 500) with the app's error page. */
static enum MHD_Result refuse(struct exchange *x, unsigned status)
{
    struct nb_http_server *srv = x->srv;
    struct nb_http_response *res = &x->res;
    memset(res, 0, sizeof(*res));
    srv->app.error_page(srv->app.ctx, &x->req, status, res);
    res->status = status;
    res->prebuilt = NULL;
    nb_log(NB_LOG_DEBUG, "http.refuse", "status=%u", status);

    struct MHD_Response *r = build(res);
    if (!r) {
        /* The app's error page itself is broken: a bare page still carries the status and
         * the security headers. */
        nb_log_error("http.error_page_failed", "status=%u", status);
        struct nb_http_response bare = {.status = status, .content_type = "text/plain"};
        r = build(&bare);
        if (!r)
            return MHD_NO;
    }
    bool extra = true;
    if (status == 405)
        extra = add_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST");
    if (status == 413 || atomic_load(&srv->stopping))
        extra = extra && add_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    if (!extra) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    return queue(x, status, r);
}

/* Calls the app and sends its answer. */
static enum MHD_Result dispatch(struct exchange *x)
{
    struct nb_http_server *srv = x->srv;
    struct nb_http_response *res = &x->res;
    memset(res, 0, sizeof(*res));
    srv->app.handle(srv->app.ctx, &x->req, res);

    if (res->prebuilt)
        return MHD_queue_response(x->req.conn, res->prebuilt->status, res->prebuilt->response);
    if (res->status == 0) {
        nb_log_error("http.no_status", "detail=\"handler set no status\"");
        return refuse(x, 500);
    }
    struct MHD_Response *r = build(res);
    if (!r) {
        nb_log_error("http.bad_response", "status=%u nheaders=%zu", res->status, res->nheaders);
        return refuse(x, 500);
    }
    if (atomic_load(&srv->stopping) && !add_header(r, MHD_HTTP_HEADER_CONNECTION, "close")) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    return queue(x, res->status, r);
}

/* ---- reading requests ----------------------------------------------------------------- */

struct header_size {
    size_t total;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key;
    (void)value;
    struct header_size *hs = cls;
    hs->total += key_size + 2 + value_size + 2; /* "Name: value\r\n" */
    return MHD_YES;
}

/* Size of the request line and headers as a well-formed client sends them: the whitespace
 * libmicrohttpd has trimmed is counted as one space after each colon. */
static size_t header_bytes(struct exchange *x, const char *method, const char *version)
{
    struct header_size hs = {strlen(method) + 1 + x->target_len + 1 + strlen(version) + 2 + 2};
    MHD_get_connection_values_n(x->req.conn, MHD_HEADER_KIND, count_header, &hs);
    return hs.total;
}

/* ---- the client behind a proxy (http/proxy.h) ----------------------------------------- */

/* Collects the values of X-Forwarded-For and X-Forwarded-Proto in order; only counts them
 * while the arrays are NULL. */
struct forwarded_headers {
    struct nb_str *xff, *proto;
    size_t nxff, nproto;
};

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                         size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct forwarded_headers *f = cls;
    struct nb_str k = {key, key_size}, v = {value ? value : "", value ? value_size : 0};
    if (nb_str_eq_nocase(k, NB_STR("X-Forwarded-For"))) {
        if (f->xff)
            f->xff[f->nxff] = v;
        f->nxff++;
    } else if (nb_str_eq_nocase(k, NB_STR("X-Forwarded-Proto"))) {
        if (f->proto)
            f->proto[f->nproto] = v;
        f->nproto++;
    }
    return MHD_YES;
}

/* Sets client, client_addr, via_proxy and tls of the request from its peer and, when the
 * peer is a trusted proxy, its forwarding headers. */
static void resolve_client(struct exchange *x, const char *method)
{
    struct nb_http_request *req = &x->req;
    struct nb_http_server *srv = x->srv;
    struct forwarded_headers f = {NULL, NULL, 0, 0};
    if (nb_addr_list_has(&srv->trusted, &x->peer)) {
        MHD_get_connection_values_n(req->conn, MHD_HEADER_KIND, collect_forwarded, &f);
        size_t nxff = f.nxff, nproto = f.nproto;
        f = (struct forwarded_headers){
            nb_arena_alloc(&req->arena, (nxff + 1) * sizeof(struct nb_str)),
            nb_arena_alloc(&req->arena, (nproto + 1) * sizeof(struct nb_str)), 0, 0};
        if (f.xff && f.proto)
            MHD_get_connection_values_n(req->conn, MHD_HEADER_KIND, collect_forwarded, &f);
        else
            f = (struct forwarded_headers){NULL, NULL, 0, 0}; /* arena spent: the peer */
    }
    struct nb_http_forwarded fw;
    nb_http_proxy_resolve(&srv->trusted, &x->peer, f.xff, f.nxff, f.proto, f.nproto, &fw);
    req->client_addr = fw.client;
    nb_addr_format(&fw.client, req->client);
    req->via_proxy = fw.from_proxy;
    req->tls = fw.tls;
    if (fw.malformed)
        nb_log(NB_LOG_DEBUG, "http.forwarded_malformed", "peer=%s", req->peer);
    char m[40];
    nb_log(NB_LOG_DEBUG, "http.request", "method=%s client=%s peer=%s tls=%d",
           nb_log_value(m, sizeof(m), method, strlen(method)), req->client, req->peer,
           (int)req->tls);
}

/* All checks that need only the headers; queues a refusal when one fails. */
static enum MHD_Result begin(struct exchange *x, const char *method, const char *version)
{
    struct nb_http_request *req = &x->req;
    if (x->target_len > NB_HTTP_URI_MAX)
        return refuse(x, 414);
    if (header_bytes(x, method, version) > NB_HTTP_HEADER_MAX)
        return refuse(x, 431);
    resolve_client(x, method);

    if (strcmp(method, MHD_HTTP_METHOD_GET) == 0)
        req->method = NB_HTTP_GET;
    else if (strcmp(method, MHD_HTTP_METHOD_HEAD) == 0)
        req->method = NB_HTTP_HEAD;
    else if (strcmp(method, MHD_HTTP_METHOD_POST) == 0)
        req->method = NB_HTTP_POST;
    else
        return refuse(x, 405);

    switch (nb_http_path_parse(req->path, &req->arena, &req->dpath)) {
    case NB_OK:
        break;
    case NB_ERR_LIMIT:
        return refuse(x, 414);
    case NB_ERR_NOMEM:
        return refuse(x, 503);
    default:
        return refuse(x, 400);
    }
    if (nb_http_query_check(req->query) != NB_OK)
        return refuse(x, 400);

    /* libmicrohttpd has already refused a Content-Length that is not a number. */
    struct nb_str cl = nb_http_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    x->content_length = UINT64_MAX;
    if (cl.len) {
        uint64_t n;
        if (!nb_str_to_u64(cl, UINT64_MAX, &n))
            return refuse(x, 400);
        if (n > NB_HTTP_BODY_MAX)
            return refuse(x, 413);
        x->content_length = n;
    }
    return MHD_YES;
}

/* Appends a piece of body; never holds more than NB_HTTP_BODY_MAX bytes. */
static enum MHD_Result take_body(struct exchange *x, const char *data, size_t n)
{
    struct nb_http_request *req = &x->req;
    if (!x->oversized && n > NB_HTTP_BODY_MAX - req->body.len) {
        x->oversized = true;
        req->body = empty_str();
    }
    if (x->oversized) {
        x->dropped += n;
        return x->dropped > NB_HTTP_BODY_MAX + NB_HTTP_DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    size_t need = req->body.len + n;
    if (need > x->body_cap) {
        /* Announced length: one allocation. Chunked: doubling, so the arena holds at most
         * twice the cap in all. */
        size_t cap = x->content_length <= NB_HTTP_BODY_MAX ? (size_t)x->content_length : 0;
        if (cap < need) {
            cap = x->body_cap ? x->body_cap * 2 : 16384;
            if (cap < need)
                cap = need;
            if (cap > NB_HTTP_BODY_MAX)
                cap = NB_HTTP_BODY_MAX;
        }
        char *p = nb_arena_alloc(&req->arena, cap + 1);
        if (!p) {
            nb_log_error("http.body_nomem", "cap=%zu", cap);
            return MHD_NO;
        }
        if (req->body.len)
            memcpy(p, req->body.ptr, req->body.len);
        req->body.ptr = p;
        x->body_cap = cap;
    }
    char *dst = (char *)req->body.ptr;
    memcpy(dst + req->body.len, data, n);
    req->body.len = need;
    dst[need] = '\0';
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)conn;
    (void)url; /* we use our own copy of the raw target */
    struct exchange *x = *con_cls;
    if (!x || !x->req.target.ptr)
        return MHD_NO; /* out of memory when the request began: drop the connection */
    if (!x->started) {
        x->started = true;
        return begin(x, method, version);
    }
    if (*upload_data_size) {
        enum MHD_Result ok = take_body(x, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return ok;
    }
    if (x->oversized)
        return refuse(x, 413);
    return dispatch(x);
}

/* The TCP peer of a connection; a zeroed address when the library does not tell. */
static struct nb_addr conn_peer(struct MHD_Connection *conn)
{
    struct nb_addr a;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    /* libmicrohttpd stores a socket address of the listening family, so its length is
     * that family's. */
    socklen_t len = ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6
                        ? (socklen_t)sizeof(struct sockaddr_in6)
                        : (socklen_t)sizeof(struct sockaddr_in);
    if (!ci || !nb_addr_from_sockaddr(ci->client_addr, len, &a))
        memset(&a, 0, sizeof(a));
    return a;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct nb_http_server *srv = cls;
    struct exchange *x = calloc(1, sizeof(*x));
    if (!x)
        return NULL;
    atomic_fetch_add(&srv->inflight, 1);
    x->srv = srv;
    struct nb_http_request *req = &x->req;
    nb_arena_init(&req->arena, NB_REQUEST_ARENA_BUDGET);
    req->conn = conn;
    req->method = NB_HTTP_GET;
    req->target = req->path = req->query = req->body = empty_str();
    req->dpath.decoded = empty_str();
    x->peer = req->client_addr = conn_peer(conn);
    nb_addr_format(&x->peer, req->peer);
    memcpy(req->client, req->peer, sizeof(req->client));

    /* Keep at most NB_HTTP_URI_MAX bytes: enough for the error page to see the language
     * prefix of an over-long target; one more byte tells that it was over-long. */
    x->target_len = strnlen(uri, NB_HTTP_URI_MAX + 1);
    size_t keep = x->target_len > NB_HTTP_URI_MAX ? NB_HTTP_URI_MAX : x->target_len;
    char *t = nb_arena_strndup(&req->arena, uri, keep);
    if (!t) {
        req->target.ptr = NULL; /* the access handler drops the connection */
        return x;
    }
    req->target = (struct nb_str){t, keep};
    struct nb_str q = nb_str_cut(req->target, '?', &req->path);
    if (q.ptr)
        req->query = q;
    return x;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    struct nb_http_server *srv = cls;
    struct exchange *x = *con_cls;
    if (!x)
        return;
    *con_cls = NULL;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        nb_log(NB_LOG_DEBUG, "http.incomplete", "reason=%d", (int)toe);
    nb_arena_fini(&x->req.arena);
    free(x);
    atomic_fetch_sub(&srv->inflight, 1);
}

struct nb_str nb_http_header(const struct nb_http_request *req, const char *name)
{
    const char *v = NULL;
    size_t len = 0;
    if (!req->conn || !name)
        return empty_str();
    if (MHD_lookup_connection_value_n(req->conn, MHD_HEADER_KIND, name, strlen(name), &v, &len) !=
            MHD_YES ||
        !v)
        return empty_str();
    return (struct nb_str){v, len};
}

/* Requests are served with the raw target we copied; libmicrohttpd's own decoding of the
 * path and arguments (lenient, and it truncates at %00) is switched off. */
static size_t no_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    return strlen(s);
}

__attribute__((format(printf, 2, 0))) static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    if (n < 0)
        return;
    size_t len = strnlen(msg, sizeof(msg));
    while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
        len--;
    char val[600];
    nb_log_warn("http.mhd", "msg=%s", nb_log_value(val, sizeof(val), msg, len));
}

/* ---- connections per peer address (http/peers.h) -------------------------------------- */

/* Accept policy: refuses a connection from an untrusted address that holds
 * NB_HTTP_CONN_PER_IP already. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct nb_http_server *srv = cls;
    struct nb_addr a;
    if (!nb_addr_from_sockaddr(addr, len, &a) || nb_addr_list_has(&srv->trusted, &a) ||
        !nb_http_peers_full(srv->peers, &a))
        return MHD_YES;
    nb_log_summary_add(&srv->refused);
    return MHD_NO;
}

/* Counts connections that the library has taken (STARTED is announced only for those) and
 * uncounts them when they close; socket_context marks the counted ones. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct nb_http_server *srv = cls;
    nb_log_summary_tick(&srv->refused);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct nb_addr a = conn_peer(conn);
        *socket_context = NULL;
        if (a.family && !nb_addr_list_has(&srv->trusted, &a) && nb_http_peers_add(srv->peers, &a))
            *socket_context = srv;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        struct nb_addr a = conn_peer(conn);
        nb_http_peers_remove(srv->peers, &a);
        *socket_context = NULL;
    }
}

/* ---- start and stop ------------------------------------------------------------------- */

/* "1.2.3.4:80" or "[::1]:80" into a socket address. */
static enum nb_err parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6)
{
    struct nb_str s = nb_str_c(listen), host, port;
    if (s.len && s.ptr[0] == '[') {
        ptrdiff_t close = nb_str_find(s, ']');
        if (close < 0 || (size_t)close + 1 >= s.len || s.ptr[close + 1] != ':')
            return NB_ERR_INPUT;
        host = (struct nb_str){s.ptr + 1, (size_t)close - 1};
        port = (struct nb_str){s.ptr + close + 2, s.len - (size_t)close - 2};
        *v6 = true;
    } else {
        port = nb_str_cut(s, ':', &host);
        *v6 = false;
    }
    uint64_t p;
    char h[NB_HTTP_ADDR_LEN];
    if (!port.ptr || !nb_str_to_u64(port, 65535, &p) || host.len == 0 || host.len >= sizeof(h))
        return NB_ERR_INPUT;
    memcpy(h, host.ptr, host.len);
    h[host.len] = '\0';
    memset(ss, 0, sizeof(*ss));
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)(void *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)p);
        if (inet_pton(AF_INET6, h, &a->sin6_addr) != 1)
            return NB_ERR_INPUT;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)(void *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)p);
        if (inet_pton(AF_INET, h, &a->sin_addr) != 1)
            return NB_ERR_INPUT;
    }
    return NB_OK;
}

enum nb_err nb_http_start(const struct nb_http_options *opt, const struct nb_http_app *app,
                          struct nb_http_server **out)
{
    if (!opt || !opt->listen || !app || !app->handle || !app->error_page || !out ||
        opt->threads > NB_HTTP_THREADS_MAX)
        return NB_ERR_INPUT;
    struct sockaddr_storage ss;
    bool v6;
    char lv[160];
    nb_log_value(lv, sizeof(lv), opt->listen, strlen(opt->listen));
    if (parse_listen(opt->listen, &ss, &v6) != NB_OK) {
        nb_log_error("http.bad_listen", "listen=%s", lv);
        return NB_ERR_INPUT;
    }
    unsigned threads = opt->threads;
    if (threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores < 1 ? 1u : (unsigned)cores;
        if (threads > NB_HTTP_THREADS_MAX)
            threads = NB_HTTP_THREADS_MAX;
    }

    struct nb_addr_list trusted;
    if (nb_addr_list_parse(nb_str_c(opt->trusted_proxy), &trusted, NULL) != NB_OK) {
        nb_log_error("http.bad_trusted_proxy", "listen=%s", lv);
        return NB_ERR_INPUT;
    }

    struct nb_http_server *srv = xcalloc(1, sizeof(*srv));
    srv->app = *app;
    srv->trusted = trusted;
    srv->peers = nb_http_peers_new(NB_HTTP_CONN_PER_IP);
    srv->refused.level = NB_LOG_WARN;
    srv->refused.event = "http.conn_refused";
    srv->refused.detail = "reason=per_address";
    atomic_init(&srv->inflight, 0);
    atomic_init(&srv->stopping, false);

    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (v6)
        flags |= MHD_USE_IPv6;
    /* One thread is one thread, not a pool of one (which libmicrohttpd warns about). */
    struct MHD_OptionItem pool[] = {
        {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t)threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    /* The logger must be the first option so that no message goes to libmicrohttpd's own. */
    /* One option per line, as libmicrohttpd documents them. */
    /* clang-format off */
    srv->daemon = MHD_start_daemon(
        flags, 0, on_accept, srv, on_request, srv,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_ARRAY, pool,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)NB_HTTP_CONN_MAX,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)NB_HTTP_CONN_MEMORY,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)NB_HTTP_IDLE_SECONDS,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
        /* Refuses HTTP/1.1 without Host and spaces inside the request target. */
        MHD_OPTION_STRICT_FOR_CLIENT, 1,
        MHD_OPTION_END);
    /* clang-format on */
    if (!srv->daemon) {
        nb_log_error("http.start_failed", "listen=%s", lv);
        nb_http_peers_free(&srv->peers);
        free(srv);
        return NB_ERR_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : 0;
    nb_log_info("http.start", "listen=%s port=%u threads=%u trusted_proxies=%zu", lv,
                (unsigned)srv->port, threads, srv->trusted.n);
    *out = srv;
    return NB_OK;
}

uint16_t nb_http_port(const struct nb_http_server *srv)
{
    return srv->port;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void nb_http_stop(struct nb_http_server **p)
{
    if (!p || !*p)
        return;
    struct nb_http_server *srv = *p;
    *p = NULL;
    atomic_store(&srv->stopping, true);
    MHD_socket listen_fd = MHD_quiesce_daemon(srv->daemon);
    double deadline = now_seconds() + NB_HTTP_STOP_GRACE_SECONDS;
    while (atomic_load(&srv->inflight) > 0 && now_seconds() < deadline) {
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    size_t cut = atomic_load(&srv->inflight);
    MHD_stop_daemon(srv->daemon);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    nb_log_summary_flush(&srv->refused);
    nb_http_peers_free(&srv->peers);
    nb_log_info("http.stop", "port=%u cut=%zu", (unsigned)srv->port, cut);
    free(srv);
}
