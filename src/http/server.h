/* server.h: the HTTP/1.1 server (libmicrohttpd underneath) and the request/response contract
 * between it and the web layer.
 *
 * Flow of one request, all on one of the server's worker threads:
 *   1. The layer reads the request line and headers and refuses on its own, with the app's
 *      error page, what breaks a limit or the protocol:
 *        414 request target longer than NB_HTTP_URI_MAX
 *        431 request line plus headers longer than NB_HTTP_HEADER_MAX
 *        405 method other than GET, HEAD, POST (with "Allow: GET, HEAD, POST")
 *        400 path or query malformed (http/parse.h rules)
 *        413 Content-Length above NB_HTTP_BODY_MAX (before reading the body), or a chunked
 *            body that grows past it (the rest is read and dropped, the connection closed)
 *      These refusals close the connection afterwards (libmicrohttpd 0.9.75 does so for
 *      every response queued before the body was read).
 *   2. It reads the body (at most NB_HTTP_BODY_MAX bytes) into the request arena.
 *   3. It calls app->handle(ctx, req, res) once. The handler fills res.
 *   4. It sends res with the security headers added, then finishes req->arena (deferred
 *      callbacks run) when the response has been sent or the connection has gone.
 * What libmicrohttpd refuses before our code sees it (a request line it cannot parse, a
 * space in the target, HTTP/1.1 without Host, a bad Content-Length, an unsupported HTTP
 * version, headers beyond NB_HTTP_CONN_MEMORY) gets its own short 400/505/431 page, without
 * our security headers, or the connection closed; it is logged as event=http.mhd. A NUL
 * byte in the target ends it there (libmicrohttpd hands over C strings).
 *
 * HEAD is answered like GET without the body (libmicrohttpd drops it), so handlers treat
 * HEAD as GET. TLS and HSTS belong to the nginx in front.
 *
 * Connections: at most NB_HTTP_CONN_MAX in all and NB_HTTP_CONN_PER_IP per TCP peer address,
 * except that a trusted proxy's connections are never limited per address (they carry many
 * clients; per-client limits then belong to the proxy, see docs/examples/nginx.conf). A
 * connection past the per-address limit is closed at once, unanswered; refusals are logged
 * as one counted line per second (event=http.conn_refused, base/log_summary.h). At debug
 * level every request is logged with its client and peer (event=http.request). */
#ifndef NB_HTTP_SERVER_H
#define NB_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "http/parse.h"

/* Room for a textual IPv6 address with its NUL (INET6_ADDRSTRLEN). */
#define NB_HTTP_ADDR_LEN NB_ADDR_TEXT

enum nb_http_method { NB_HTTP_GET, NB_HTTP_HEAD, NB_HTTP_POST };

/* A name/value pair of response headers, both NUL-terminated. The layer copies them when it
 * builds the response, so they need to stay valid only until handle() or error_page()
 * returns (arena memory or static strings). A CR or LF in either makes the response fail
 * (500), which keeps handlers from splitting responses. */
struct nb_http_header_kv {
    const char *name;
    const char *value;
};

/* One request as the handler sees it. Everything in it is owned by the layer and lives until
 * the request completes, when arena is finished. Handlers read it; they may allocate from
 * arena and register cleanups with nb_arena_defer (runs after the response was sent). */
struct nb_http_request {
    struct nb_arena arena;         /* budget NB_REQUEST_ARENA_BUDGET; finished on completion */
    enum nb_http_method method;    /* only these three reach the app; in an error
                                    * page for 405, 414 or 431 it reads GET */
    struct nb_str target;          /* request target as sent: raw path, '?', raw query */
    struct nb_str path;            /* raw path: target up to '?' (still percent-encoded) */
    struct nb_str query;           /* raw query after '?' without it; empty when none. Valid
                                    * per nb_http_query_check when handle() is called */
    struct nb_http_path dpath;     /* decoded path and segments (http/parse.h); empty in an
                                    * error_page() call when the path itself was refused */
    /* Who sent the request (http/proxy.h has the rules): peer is the TCP peer; when it is a
     * trusted proxy (--trusted-proxy), client is the address that proxy forwarded in
     * X-Forwarded-For and tls says whether the client reached it over https; otherwise
     * client is the peer and tls is false. Use client for everything per client (throttles,
     * rate limits, sessions, logs), never peer. Text in canonical form ("192.0.2.7",
     * "2001:db8::7"; an IPv4-mapped IPv6 peer reads as IPv4); set before error_page() and
     * handle() are called, empty in a request built by hand. */
    char client[NB_HTTP_ADDR_LEN];
    struct nb_addr client_addr; /* client as a value (base/addr.h) */
    char peer[NB_HTTP_ADDR_LEN];
    bool via_proxy; /* peer is a trusted proxy */
    bool tls;       /* the client used https to a trusted proxy (X-Forwarded-Proto) */
    struct nb_str body;            /* request body, at most NB_HTTP_BODY_MAX, empty if none */
    void *conn;                    /* layer-private: the library connection; NULL in a request
                                    * built by hand, for which nb_http_header finds nothing */
};

/* What the handler answers. The layer hands it over zeroed. Either fill status,
 * content_type, body, len and headers, or set prebuilt. */
struct nb_http_response {
    unsigned status;          /* 100..599; 0 (left unset) is a handler bug: 500 is sent */
    const char *content_type; /* NUL-terminated; NULL means "text/html; charset=utf-8" */
    const void *body;         /* not copied: arena memory or static, valid until sent */
    size_t len;
    struct nb_http_header_kv headers[NB_HTTP_RESPONSE_HEADERS_MAX];
    size_t nheaders;
    /* A shared response built once (below). When set, everything above is ignored. It must
     * stay valid until the request completes; hold a reference to whatever owns it and drop
     * it with nb_arena_defer on req->arena. Not used for error_page(). */
    const struct nb_http_prebuilt *prebuilt;
};

/* Appends a header to res. NB_ERR_LIMIT when NB_HTTP_RESPONSE_HEADERS_MAX are set already. */
NB_MUST_USE enum nb_err nb_http_response_header(struct nb_http_response *res, const char *name,
                                                const char *value);

/* The application. Both callbacks are required; both run on worker threads, concurrently
 * for different requests, and must not block for long (a worker serves many connections).
 * error_page is called by the layer when it refuses a request itself (status 400, 405, 413,
 * 414, 431) and when handle() left res->status at 0 or its response could not be sent
 * (500). It fills res like handle() does (prebuilt is ignored there); the layer sets
 * res->status = status and adds what the status needs (Allow for 405, Connection: close for
 * 413). In error_page, req->path holds the raw path as far as it was read (at most
 * NB_HTTP_URI_MAX bytes), so the app can pick the language from its "/en/" prefix; body,
 * query and dpath may be empty. */
struct nb_http_app {
    void *ctx;
    void (*handle)(void *ctx, struct nb_http_request *req, struct nb_http_response *res);
    void (*error_page)(void *ctx, struct nb_http_request *req, unsigned status,
                       struct nb_http_response *res);
};

struct nb_http_options {
    const char *listen; /* "127.0.0.1:8080" or "[::1]:8080"; port 0 picks a free port */
    unsigned threads;   /* worker threads, 0 = one per core; at most NB_HTTP_THREADS_MAX */
    /* Trusted proxies as for --trusted-proxy ("127.0.0.1,::1", base/addr.h list syntax);
     * NULL or "" trusts none. Copied at start. */
    const char *trusted_proxy;
};

struct nb_http_server;

/* Starts listening and serving with worker threads of its own; returns at once. The app
 * (and what ctx points to) must outlive the server. *out is set on NB_OK only.
 * NB_ERR_INPUT: listen is not ADDR:PORT with a numeric IPv4 or bracketed IPv6 address, a
 * callback is missing, threads is above NB_HTTP_THREADS_MAX, or trusted_proxy is not a list
 * of at most NB_HTTP_TRUSTED_PROXIES_MAX addresses. NB_ERR_IO: the address cannot
 * be bound (in use, not local) or the library failed to start; the reason is logged. */
NB_MUST_USE enum nb_err nb_http_start(const struct nb_http_options *opt,
                                      const struct nb_http_app *app, struct nb_http_server **out);

/* The port the server listens on (the real one when 0 was asked for). */
uint16_t nb_http_port(const struct nb_http_server *srv);

/* Graceful stop: stops accepting at once, lets requests already received finish for up to
 * NB_HTTP_STOP_GRACE_SECONDS, then closes all connections and joins the workers. Blocks
 * until done. Responses sent meanwhile carry "Connection: close" (prebuilt ones cannot;
 * their idle connections are closed at the end). Afterwards no callback of the app runs
 * any more and every request arena has been finished. Sets *srv to NULL; accepts NULL and
 * *srv == NULL. Must not be called from a handler. */
void nb_http_stop(struct nb_http_server **srv);

/* The value of the request header name (ASCII case-insensitive), a view that lives as long
 * as req; the first one when the header is repeated; empty (len 0) when absent. */
struct nb_str nb_http_header(const struct nb_http_request *req, const char *name);

/* ---- prebuilt responses ----------------------------------------------------------------- */

struct nb_http_prebuilt;

/* Builds a complete response once: status, content type, a copy of body, the given headers
 * and the security headers. Immutable afterwards, so any number of worker threads may send
 * it at the same time (libmicrohttpd counts references per connection that sends it).
 * headers/nheaders and content_type are copied. Aborts on out-of-memory (long-lived).
 * Returns NULL when status is outside 100..599 or a header was refused (CR, LF or tab in it,
 * or a header libmicrohttpd sets itself such as Content-Length): a bug of the caller. */
struct nb_http_prebuilt *nb_http_prebuilt_new(unsigned status, const char *content_type,
                                              const void *body, size_t len,
                                              const struct nb_http_header_kv *headers,
                                              size_t nheaders);

/* Drops the creator's reference and NULLs *p. Connections that are sending the response keep
 * it alive until they are done; no handler may hand p out after this call. Accepts NULL. */
void nb_http_prebuilt_free(struct nb_http_prebuilt **p);

/* ---- errors and headers ----------------------------------------------------------------- */

/* The one mapping from enum nb_err to an HTTP status:
 * OK 200, INPUT 400, DENIED 403, NOTFOUND 404, CONFLICT 409, LIMIT 413, NOMEM 503, DB 503,
 * IO 500, INTERNAL 500 (and 500 for any value not listed). */
unsigned nb_http_status_of(enum nb_err err);

/* The headers the layer adds to every response it sends, defined once (server.c):
 * Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options,
 * Cross-Origin-Opener-Policy, Permissions-Policy. */
extern const struct nb_http_header_kv nb_http_security_headers[];
extern const size_t nb_http_security_headers_len;

#endif
