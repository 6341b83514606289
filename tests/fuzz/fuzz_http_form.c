/* fuzz_http_form.c: libFuzzer harness for form decoding through the real HTTP stack: the
 * libmicrohttpd server of http/server.c, the public/staff dispatch of web/public.c and
 * web/staff.c, and the back-office handlers that read their fields with nb_staff_field,
 * validate them and render the form again (or a preview, or write and redirect).
 *
 * Set-up, once per process on the first input: a temporary data directory with the demo
 * office and its accounts (as `notbetrieb demo` creates them), the app loaded from it, the
 * server on 127.0.0.1 at a free port with the app's own callbacks, and a session of the
 * editor account made through the domain API, whose cookie and CSRF tokens every request
 * carries. The render worker is not started: a write only marks the site as changed. At
 * exit the server is stopped, the app closed and the directory removed (atexit), so that
 * replay.c, which calls this once per corpus file, leaves nothing behind.
 *
 * Input: byte 0 picks the form (targets[] below), byte 1 the encoding, the rest is the
 * body after the fields the harness puts first (the switch that makes a content form a
 * preview, so nothing is published, then the CSRF token; the first field of a name wins):
 *   0 application/x-www-form-urlencoded
 *   1 multipart/form-data with boundary "nbfuzz"; the body continues after the harness's
 *     parts, so it starts with a delimiter ("--nbfuzz\r\n...") and must close the form
 *   2 multipart/form-data; the rest's first line is the boundary parameter as written
 *     (token or quoted), the body follows the newline
 *   3 the rest's first line is the whole Content-Type value, the body follows
 * In 2 and 3 the harness's fields are encoded as the library reads the content type (its
 * own boundary parser), or left out when it is neither encoding. CR and NUL in a header
 * line become spaces, so an input cannot add headers.
 *
 * The request goes over one keep-alive connection (opened again when the server closed
 * it). The contract checked beyond the sanitizers, abort() on a violation:
 *   - every request gets a complete response: an "HTTP/1.1 NNN " status line and exactly
 *     Content-Length bytes of body, within the receive timeout;
 *   - its status is one the target documents (below) or one of the layer's refusals
 *     (400, 413), never 5xx;
 *   - no response contains "<nbfz" (any case): typed text is echoed escaped and Markdown
 *     previews drop raw HTML, so a tag of the input never reaches the page.
 * With FUZZ_HTTP_FORM_TRACE set in the environment it prints the form and status of each
 * input, which helps when writing seeds. */
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/log.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/demo_accounts.h"
#include "domain/journal.h"
#include "domain/office.h"
#include "domain/session.h"
#include "http/multipart.h"
#include "http/parse.h"
#include "http/server.h"
#include "web/app.h"
/* The app's HTTP callbacks and its server slot: nb_app_serve would block on signals. */
#include "web/app_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the layer itself may answer to any request: a malformed request, a body too big. */
static const unsigned layer_statuses[] = {400, 413};

/* The forms. action is what the CSRF token is bound to (NULL: the form has none); fixed are
 * the fields put before the input's own (name, value pairs); allowed the statuses the
 * handler documents for a POST: 200 preview, 303 saved, 401 wrong sign-in, 403 token
 * missing (a malformed body has no fields at all), 422 a field refused, 429 sign-in
 * throttled. The token goes last: in multipart the input may go on with the harness's last
 * part (its bytes run up to the next delimiter), which then breaks the token (403) rather
 * than the preview switch, so the content forms never write. */
static const struct target {
    const char *path;
    const char *action;
    const char *fixed[2][2];
    unsigned allowed[4]; /* 0 ends the list */
} targets[] = {
    {"/intern/meldungen/neu", "/intern/meldungen/neu", {{"action", "preview"}}, {200, 403, 422}},
    {"/en/intern/meldungen/neu",
     "/en/intern/meldungen/neu",
     {{"action", "preview"}},
     {200, 403, 422}},
    {"/intern/presse/neu", "/intern/presse/neu", {{"preview", "1"}}, {200, 403, 422}},
    {"/intern/leistungen/neu", "/intern/leistungen/neu", {{"preview", "1"}}, {200, 403, 422}},
    /* Writes: the operating state of the office, with the journal entry. */
    {"/intern/betriebszustand", "/intern/betriebszustand", {{NULL, NULL}}, {303, 403, 422}},
    /* No session and no token. After a few failures the address is throttled: 429 at once,
     * no sleep and no password hash, so the throttle costs the fuzzer nothing. */
    {"/intern/anmelden", NULL, {{NULL, NULL}}, {303, 401, 429}},
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

#define BOUNDARY "nbfuzz"
/* A session lives NB_SESSION_IDLE_SECONDS without requests and NB_SESSION_ABSOLUTE_SECONDS
 * at most; a new one well before either runs out keeps long runs signed in. */
#define SESSION_RENEW_SECONDS (20 * 60)
#define RECV_TIMEOUT_SECONDS 30
#define RESPONSE_MAX (4u * 1024u * 1024u)

static struct {
    bool ready;
    bool trace; /* FUZZ_HTTP_FORM_TRACE set: one line per input on stderr */
    char dir[512];
    struct nb_app *app;
    uint16_t port;
    int64_t office, account;
    struct nb_session session; /* holds the CSRF secret the tokens derive from */
    char cookie[NB_SESSION_COOKIE_SIZE];
    int64_t session_at;
    char tokens[NTARGETS][NB_CSRF_TOKEN_SIZE];
    int fd;
    char *in; /* bytes read ahead */
    size_t in_len;
} g = {.fd = -1};
static struct nb_http_app http_app; /* must outlive the server */

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_http_form: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

/* ---- set-up and tear-down ----------------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void teardown(void)
{
    if (g.fd >= 0)
        close(g.fd);
    g.fd = -1;
    nb_session_wipe(&g.session);
    nb_app_close(&g.app); /* stops the server first */
    free(g.in);
    g.in = NULL;
    if (g.dir[0])
        nftw(g.dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    g.dir[0] = '\0';
}

static void no_show(void *ctx, const char *name, const char *role, const char *password,
                    const char *totp)
{
    (void)ctx;
    (void)name;
    (void)role;
    (void)password;
    (void)totp;
}

static void new_session(void)
{
    int64_t now = (int64_t)time(NULL);
    nb_session_wipe(&g.session);
    if (nb_session_create(nb_app_store(g.app), g.office, g.account, now, NB_STR("127.0.0.1"),
                          NB_STR("fuzz_http_form"), g.cookie, &g.session) != NB_OK)
        fail("set-up", "nb_session_create");
    g.session_at = now;
    for (size_t i = 0; i < NTARGETS; i++)
        if (targets[i].action)
            nb_csrf_token(&g.session, nb_str_c(targets[i].action), g.tokens[i]);
}

static void setup(void)
{
    nb_log_set_level(NB_LOG_ERROR);
    signal(SIGPIPE, SIG_IGN);
    const char *base = getenv("TMPDIR");
    snprintf(g.dir, sizeof(g.dir), "%s/nb-fuzz-http-form-XXXXXX", base && base[0] ? base : "/tmp");
    if (!mkdtemp(g.dir))
        fail("set-up", "mkdtemp");
    atexit(teardown);
    int64_t now = (int64_t)time(NULL);
    if (nb_app_open(g.dir, true, &g.app) != NB_OK || nb_journal_key_ensure(g.dir, NULL) != NB_OK ||
        nb_demo_create(nb_app_store(g.app)) != NB_OK ||
        nb_demo_accounts(nb_app_store(g.app), now, no_show, NULL) != NB_OK ||
        nb_app_load(g.app, now) != NB_OK)
        fail("set-up", "demo office");
    struct nb_store *store = nb_app_store(g.app);
    json_t *acc = NULL;
    if (nb_office_id_by_slug(store, NB_STR(NB_DEMO_SLUG), &g.office) != NB_OK ||
        nb_account_find(store, g.office, NB_STR("redaktion"), &acc) != NB_OK)
        fail("set-up", "editor account");
    g.account = json_integer_value(json_object_get(acc, "id"));
    json_decref(acc);
    new_session();

    http_app = (struct nb_http_app){g.app, nb_public_handle, nb_public_error};
    struct nb_http_options opt = {"127.0.0.1:0", 2, NULL};
    if (nb_http_start(&opt, &http_app, &g.app->http) != NB_OK)
        fail("set-up", "nb_http_start");
    g.port = nb_http_port(g.app->http);
    g.in = malloc(RESPONSE_MAX);
    if (!g.in)
        fail("set-up", "out of memory");
    g.trace = getenv("FUZZ_HTTP_FORM_TRACE") != NULL;
    g.ready = true;
}

/* ---- the request ------------------------------------------------------------------------ */

struct buf {
    char *p;
    size_t len, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (n > cap - b->len)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q)
            fail("out of memory", NULL);
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A header line's value from the input: CR and NUL would end or split the line. */
static void put_header_value(struct buf *b, struct nb_str v)
{
    for (size_t i = 0; i < v.len; i++) {
        char c = v.ptr[i] == '\r' || v.ptr[i] == '\0' ? ' ' : v.ptr[i];
        put(b, &c, 1);
    }
}

/* The harness's own fields of target t, in the encoding that content type ct says; the
 * token last (see targets[]). */
static void put_fields(struct buf *b, size_t t, struct nb_str ct)
{
    const char *names[3], *values[3];
    size_t n = 0;
    for (size_t i = 0; i < 2 && targets[t].fixed[i][0]; i++) {
        names[n] = targets[t].fixed[i][0];
        values[n++] = targets[t].fixed[i][1];
    }
    if (targets[t].action) {
        names[n] = "csrf";
        values[n++] = g.tokens[t];
    }
    struct nb_str boundary;
    if (nb_http_multipart_boundary(ct, &boundary) == NB_OK) {
        for (size_t i = 0; i < n; i++) {
            puts_(b, "--");
            put(b, boundary.ptr, boundary.len);
            puts_(b, "\r\nContent-Disposition: form-data; name=\"");
            puts_(b, names[i]);
            puts_(b, "\"\r\n\r\n");
            puts_(b, values[i]);
            puts_(b, "\r\n");
        }
    } else if (nb_http_media_type_is(ct, "application/x-www-form-urlencoded")) {
        /* The values are base64url and plain words: nothing to escape. */
        for (size_t i = 0; i < n; i++) {
            puts_(b, names[i]);
            puts_(b, "=");
            puts_(b, values[i]);
            puts_(b, "&");
        }
    }
}

/* Builds the whole request for the input into b. */
static size_t build(struct buf *b, const uint8_t *data, size_t size)
{
    size_t t = size > 0 ? data[0] % NTARGETS : 0;
    unsigned mode = size > 1 ? data[1] % 4u : 0;
    struct nb_str rest = {size > 2 ? (const char *)data + 2 : "", size > 2 ? size - 2 : 0};

    struct buf ct = {0};
    struct nb_str body = rest;
    if (mode == 0) {
        puts_(&ct, "application/x-www-form-urlencoded");
    } else if (mode == 1) {
        puts_(&ct, "multipart/form-data; boundary=" BOUNDARY);
    } else {
        const char *nl = rest.len ? memchr(rest.ptr, '\n', rest.len) : NULL;
        struct nb_str line = {rest.ptr, nl ? (size_t)(nl - rest.ptr) : rest.len};
        body = nl ? (struct nb_str){nl + 1, rest.len - line.len - 1} : (struct nb_str){"", 0};
        if (mode == 2)
            puts_(&ct, "multipart/form-data; boundary=");
        put_header_value(&ct, line);
    }
    struct nb_str ctv = {ct.p, ct.len};

    struct buf content = {0};
    put_fields(&content, t, ctv);
    put(&content, body.ptr, body.len);

    char head[512];
    snprintf(head, sizeof(head),
             "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nOrigin: http://127.0.0.1:%u\r\n"
             "Cookie: %s=%s\r\nUser-Agent: fuzz_http_form\r\nContent-Type: ",
             targets[t].path, (unsigned)g.port, (unsigned)g.port, nb_session_cookie_name(false),
             g.cookie);
    puts_(b, head);
    put(b, ct.p, ct.len);
    snprintf(head, sizeof(head), "\r\nContent-Length: %zu\r\n\r\n", content.len);
    puts_(b, head);
    put(b, content.p, content.len);
    free(ct.p);
    free(content.p);
    return t;
}

/* ---- the connection --------------------------------------------------------------------- */

static bool connect_server(void)
{
    g.in_len = 0;
    g.fd = socket(AF_INET, SOCK_STREAM, 0);
    if (g.fd < 0)
        return false;
    struct timeval tv = {RECV_TIMEOUT_SECONDS, 0};
    setsockopt(g.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(g.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(g.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(g.fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(g.fd);
        g.fd = -1;
        return false;
    }
    return true;
}

static void disconnect(void)
{
    if (g.fd >= 0)
        close(g.fd);
    g.fd = -1;
    g.in_len = 0;
}

static bool send_all(const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(g.fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads more; false on EOF, error or timeout. */
static bool fill(void)
{
    if (g.in_len == RESPONSE_MAX)
        fail("response larger than RESPONSE_MAX", NULL);
    ssize_t r;
    do
        r = recv(g.fd, g.in + g.in_len, RESPONSE_MAX - g.in_len, 0);
    while (r < 0 && errno == EINTR);
    if (r <= 0)
        return false;
    g.in_len += (size_t)r;
    return true;
}

struct response {
    unsigned status;
    bool close;
    size_t head_len, body_len; /* both in g.in */
};

/* The value of header name (case-insensitive) in the head; NULL when absent. */
static const char *header(const char *head, size_t len, const char *name, size_t *vlen)
{
    size_t nl = strlen(name);
    const char *end = head + len;
    for (const char *p = memchr(head, '\n', len); p && p + 1 < end;
         p = memchr(p + 1, '\n', (size_t)(end - p - 1))) {
        const char *h = p + 1;
        if ((size_t)(end - h) > nl && strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
            const char *v = h + nl + 1, *e = memchr(v, '\r', (size_t)(end - v));
            if (!e)
                return NULL;
            while (v < e && *v == ' ')
                v++;
            *vlen = (size_t)(e - v);
            return v;
        }
    }
    return NULL;
}

/* Reads one response. 0: complete; 1: the connection ended before any byte of it (the
 * server closed an idle connection: try again); -1: a broken or incomplete response. */
static int read_response(struct response *r)
{
    memset(r, 0, sizeof(*r));
    const char *end;
    while (!(end = g.in_len ? memmem(g.in, g.in_len, "\r\n\r\n", 4) : NULL))
        if (!fill())
            return g.in_len == 0 ? 1 : -1;
    r->head_len = (size_t)(end - g.in) + 4;
    const char *h = g.in;
    if (r->head_len < 14 || memcmp(h, "HTTP/1.1 ", 9) != 0 || h[9] < '1' || h[9] > '5' ||
        h[10] < '0' || h[10] > '9' || h[11] < '0' || h[11] > '9' || h[12] != ' ')
        return -1;
    r->status = (unsigned)((h[9] - '0') * 100 + (h[10] - '0') * 10 + (h[11] - '0'));
    size_t vlen = 0;
    const char *v = header(h, r->head_len, "Content-Length", &vlen);
    uint64_t n = 0;
    if (!v || !nb_str_to_u64((struct nb_str){v, vlen}, RESPONSE_MAX, &n))
        return -1;
    r->body_len = (size_t)n;
    while (g.in_len < r->head_len + r->body_len)
        if (!fill())
            return -1;
    v = header(h, r->head_len, "Connection", &vlen);
    r->close = v && nb_str_eq_nocase((struct nb_str){v, vlen}, NB_STR("close"));
    return 0;
}

/* Sends the request and reads its response, on the open connection or a new one. */
static void roundtrip(const struct buf *req, struct response *r)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        bool fresh = g.fd < 0;
        if (fresh && !connect_server())
            fail("the server does not accept connections", strerror(errno));
        int rc = send_all(req->p, req->len) ? read_response(r) : 1;
        if (rc == 0)
            return;
        disconnect();
        if (rc < 0 || fresh)
            fail("no complete response", rc < 0 ? "broken or incomplete" : "connection closed");
    }
}

/* True when the view holds "<nbfz" in any case. */
static bool has_marker(const char *p, size_t n)
{
    static const char m[] = "<nbfz";
    for (size_t i = 0; i + sizeof(m) - 1 <= n; i++)
        if (p[i] == '<' && strncasecmp(p + i, m, sizeof(m) - 1) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g.ready)
        setup();
    if ((int64_t)time(NULL) - g.session_at > SESSION_RENEW_SECONDS)
        new_session();

    struct buf req = {0};
    size_t t = build(&req, data, size);
    struct response r;
    roundtrip(&req, &r);
    free(req.p);

    bool allowed = false;
    for (size_t i = 0; i < 4 && targets[t].allowed[i]; i++)
        allowed |= r.status == targets[t].allowed[i];
    for (size_t i = 0; i < sizeof(layer_statuses) / sizeof(layer_statuses[0]); i++)
        allowed |= r.status == layer_statuses[i];
    if (!allowed) {
        char d[160];
        size_t line = (size_t)((const char *)memchr(g.in, '\r', r.head_len) - g.in);
        snprintf(d, sizeof(d), "target %s answered %.*s", targets[t].path, (int)line, g.in);
        fail("status outside the contract", d);
    }
    if (g.trace)
        fprintf(stderr, "fuzz_http_form: %s %u\n", targets[t].path, r.status);
    if (has_marker(g.in, r.head_len + r.body_len))
        fail("input markup in the response", targets[t].path);

    /* Drop the response; keep what may have been read of a next one (there is none). */
    size_t used = r.head_len + r.body_len;
    memmove(g.in, g.in + used, g.in_len - used);
    g.in_len -= used;
    if (r.close)
        disconnect();
    return 0;
}
