/* public.c: answers requests for the public sites from the offices' snapshots, and the
 * holidays API.
 *
 * Per request: find the office (host name, else first path segment, else the default
 * office), then the page in the office's snapshot by decoded path, with JSON chosen by
 * Accept when the path names an HTML page, the best encoding the client accepts, and 304
 * when its validators match. The snapshot is held by reference until the response is
 * done. Nothing here touches the database, except through the back office, whose requests
 * nb_public_blocking sends to the server's worker pool. */
#include "web/app_priv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/holiday.h"
#include "base/log.h"
#include "http/parse.h"
#include "view/i18n.h"

struct route {
    struct nb_office_rt *office;
    struct nb_str rest; /* the path below the office's base, "/" at least */
    enum nb_lang lang;
};

/* Host without port, lower-case ASCII compared. */
static bool host_is(struct nb_str host, const char *name)
{
    ptrdiff_t colon = host.len && host.ptr[0] != '[' ? nb_str_find(host, ':') : -1;
    if (colon >= 0)
        host.len = (size_t)colon;
    return name[0] && nb_str_eq_nocase(host, nb_str_c(name));
}

static void route(struct nb_app *app, const struct nb_http_request *req, struct nb_str path,
                  struct route *r)
{
    struct nb_str host = nb_http_header(req, "Host");
    r->office = &app->offices[0];
    r->rest = path;
    bool by_host = false;
    for (size_t i = 0; i < app->noffices; i++)
        if (host_is(host, app->offices[i].host)) {
            r->office = &app->offices[i];
            by_host = true;
        }
    if (!by_host) {
        for (size_t i = 1; i < app->noffices; i++) {
            struct nb_office_rt *o = &app->offices[i];
            if (o->host[0])
                continue;
            struct nb_str base = nb_str_c(o->base);
            if (nb_str_starts(path, base) && (path.len == base.len || path.ptr[base.len] == '/')) {
                r->office = o;
                r->rest = (struct nb_str){path.ptr + base.len, path.len - base.len};
                break;
            }
        }
    }
    r->lang = NB_LANG_DE;
    if (nb_str_eq_c(r->rest, "/en") || nb_str_starts(r->rest, NB_STR("/en/")))
        r->lang = NB_LANG_EN;
}

/* Our responses set at most four headers of NB_HTTP_RESPONSE_HEADERS_MAX, so a refusal
 * here is a bug: answer 500 rather than send a response without the header. */
static void add_header(struct nb_http_response *res, const char *name, const char *value)
{
    if (nb_http_response_header(res, name, value) != NB_OK)
        res->status = 500;
}

static void release(void *snap)
{
    nb_snapshot_unref(snap);
}

/* Takes the office's snapshot for the rest of the request. */
static struct nb_snapshot *hold(struct nb_http_request *req, struct nb_office_rt *o)
{
    struct nb_snapshot *s = nb_office_snapshot(o);
    if (s && nb_arena_defer(&req->arena, release, s) != NB_OK)
        return NULL; /* already released by the defer */
    return s;
}

static void error_body(struct nb_http_request *req, struct nb_snapshot *s, enum nb_lang lang,
                       unsigned status, struct nb_http_response *res)
{
    bool json = nb_http_accept_json(nb_http_header(req, "Accept"));
    struct nb_str body = nb_snapshot_error(s, lang, status, json);
    if (body.len == 0) {
        json = false;
        body = NB_STR("<!DOCTYPE html><title>Error</title><p>Error</p>");
    }
    res->status = status;
    res->content_type = json ? "application/json" : "text/html; charset=utf-8";
    res->body = body.ptr;
    res->len = body.len;
    add_header(res, "Cache-Control", "no-store");
    add_header(res, "Vary", "Accept");
}

void nb_public_error(void *ctx, struct nb_http_request *req, unsigned status,
                     struct nb_http_response *res)
{
    struct nb_app *app = ctx;
    struct route r;
    route(app, req, req->path, &r);
    error_body(req, hold(req, r.office), r.lang, status, res);
}

/* Does If-None-Match list the ETag (weak comparison, RFC 9110 13.1.2)? */
static bool etag_matches(struct nb_str header, const char *etag)
{
    struct nb_str tag = nb_str_c(etag);
    while (header.len) {
        struct nb_str item;
        header = nb_str_cut(header, ',', &item);
        item = nb_str_trim(item);
        if (nb_str_eq_c(item, "*"))
            return true;
        if (nb_str_starts(item, NB_STR("W/")))
            item = (struct nb_str){item.ptr + 2, item.len - 2};
        if (nb_str_eq(item, tag))
            return true;
        if (!header.ptr)
            break;
    }
    return false;
}

/* Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); false for anything else. */
static bool parse_http_date(struct nb_str s, int64_t *out)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (s.len != 29 || s.ptr[3] != ',' || s.ptr[4] != ' ' || s.ptr[7] != ' ' || s.ptr[11] != ' ' ||
        s.ptr[16] != ' ' || s.ptr[19] != ':' || s.ptr[22] != ':' || s.ptr[25] != ' ' ||
        memcmp(s.ptr + 26, "GMT", 3) != 0)
        return false;
    uint64_t d, y, h, mi, se;
    if (!nb_str_to_u64((struct nb_str){s.ptr + 5, 2}, 31, &d) ||
        !nb_str_to_u64((struct nb_str){s.ptr + 12, 4}, 9999, &y) ||
        !nb_str_to_u64((struct nb_str){s.ptr + 17, 2}, 23, &h) ||
        !nb_str_to_u64((struct nb_str){s.ptr + 20, 2}, 59, &mi) ||
        !nb_str_to_u64((struct nb_str){s.ptr + 23, 2}, 60, &se))
        return false;
    int m = 0;
    for (int i = 0; i < 12; i++)
        if (memcmp(s.ptr + 8, months + 3 * i, 3) == 0)
            m = i + 1;
    if (m == 0 || y < 1970 || !nb_civil_valid((int)y, m, (int)d))
        return false;
    *out = (int64_t)nb_civil_days((int)y, m, (int)d) * 86400 + (int64_t)(h * 3600 + mi * 60 + se);
    return true;
}

/* Do the client's validators match the page? An ETag of any encoding counts: they all
 * stand for the same content, and the answer carries the ETag of the chosen one. */
static bool not_modified(const struct nb_http_request *req, const struct nb_snapshot_page *p)
{
    struct nb_str inm = nb_http_header(req, "If-None-Match");
    if (inm.len) {
        for (int enc = 0; enc < NB_ENC_COUNT; enc++)
            if (p->not_modified[enc] && etag_matches(inm, p->etags[enc]))
                return true;
        return false;
    }
    int64_t since;
    struct nb_str ims = nb_http_header(req, "If-Modified-Since");
    return ims.len && parse_http_date(ims, &since) && p->last_modified <= since;
}

static void redirect(struct nb_http_request *req, struct nb_http_response *res, const char *to)
{
    char *loc = nb_arena_strndup(&req->arena, to, strlen(to));
    res->status = 301;
    res->content_type = "text/plain; charset=utf-8";
    res->body = "";
    res->len = 0;
    if (!loc || nb_http_response_header(res, "Location", loc) != NB_OK)
        res->status = 500;
}

/* /api/v1/holidays/{year}: the office's public holidays of that year. */
static void holidays(struct nb_http_request *req, struct nb_http_response *res,
                     struct nb_snapshot *s, struct route *r, struct nb_str year_s)
{
    uint64_t year;
    if (year_s.len != 4 || !nb_str_to_u64(year_s, 9999, &year) || year < NB_HOLIDAY_API_YEAR_MIN ||
        year > NB_HOLIDAY_API_YEAR_MAX) {
        error_body(req, s, r->lang, 400, res);
        return;
    }
    struct nb_holiday list[NB_HOLIDAY_MAX];
    size_t n = nb_holiday_list(r->office->land, (int)year, list);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char date[16];
        nb_civil_fmt_date(date, sizeof(date), list[i].date);
        json_array_append_new(a, json_pack("{s:s, s:s}", "date", date, "name", list[i].name_de));
    }
    char *dump = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    size_t len = dump ? strlen(dump) : 0;
    char *body = dump ? nb_arena_strndup(&req->arena, dump, len) : NULL;
    free(dump);
    if (!body) {
        error_body(req, s, r->lang, 500, res);
        return;
    }
    res->status = 200;
    res->content_type = "application/json";
    res->body = body;
    res->len = len;
    add_header(res, "Cache-Control", "public, max-age=86400");
}

/* The path below the language prefix, and whether it is the back office's. */
static struct nb_str below_lang(struct nb_str rest)
{
    if (nb_str_starts(rest, NB_STR("/en/")))
        return (struct nb_str){rest.ptr + 3, rest.len - 3};
    return rest;
}

static bool is_staff(struct nb_str rest)
{
    return nb_str_eq_c(rest, "/intern") || nb_str_starts(rest, NB_STR("/intern/"));
}

bool nb_public_blocking(void *ctx, const struct nb_http_request *req)
{
    struct route r;
    route(ctx, req, req->dpath.decoded, &r);
    return is_staff(below_lang(r.rest));
}

/* ---- health and the store's file ------------------------------------------------------------ */

/* Is the client on this machine (127.0.0.0/8, ::1, or 127/8 mapped into IPv6)? */
static bool client_is_loopback(const char *client)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, client, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, client, &a6) != 1)
        return false;
    if (IN6_IS_ADDR_LOOPBACK(&a6))
        return true;
    return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

/* May the client see /healthz? One on this machine (directly or through a trusted proxy
 * that forwards for it), or a trusted proxy asking for itself (nothing forwarded, so the
 * client is the peer). A client elsewhere that reaches us through the proxy may not. */
static bool health_allowed(const struct nb_http_request *req)
{
    return client_is_loopback(req->client) ||
           (req->via_proxy && strcmp(req->client, req->peer) == 0);
}

/* Can the store take a write? False (and an error logged) when the database file was
 * removed or replaced since it was opened, or cannot be written. */
static bool store_takes_writes(struct nb_app *app)
{
    enum nb_store_file_state st = nb_store_file_check(app->store, &app->db_file);
    if (st != NB_STORE_FILE_OK) {
        nb_log_error("store.file",
                     "state=%s path=%s hint=\"restart after restoring the database "
                     "file; changes are refused until then\"",
                     nb_store_file_state_str(st), nb_store_path(app->store));
        return false;
    }
    if (nb_store_readonly(app->store)) {
        nb_log_error("store.readonly",
                     "path=%s hint=\"the database file or its directory is not "
                     "writable by this user; changes are refused\"",
                     nb_store_path(app->store));
        return false;
    }
    return true;
}

/* GET /healthz, for nginx and monitoring: the store's file and writability, the journal
 * head, and each office's snapshot with its age; 200 when all is well, else 503. JSON, never
 * stored. */
static void healthz(struct nb_app *app, struct nb_http_request *req, struct nb_http_response *res)
{
    int64_t now = (int64_t)time(NULL);
    struct nb_store_health h;
    nb_store_health(app->store, &app->db_file, &h);
    /* The journal starts with the creation of the first office: offices without a journal
     * mean it was lost or the database replaced. */
    bool journal_ok = h.readable && (h.offices == 0 || h.journal_seq > 0);
    bool ok = h.file == NB_STORE_FILE_OK && h.writable && journal_ok;
    json_t *offices = json_array();
    for (size_t i = 0; i < app->noffices; i++) {
        struct nb_office_rt *o = &app->offices[i];
        pthread_mutex_lock(&o->mu);
        bool have = o->snap != NULL;
        int64_t at = o->snap_at;
        pthread_mutex_unlock(&o->mu);
        bool fresh = have && !atomic_load(&o->render_failed);
        ok = ok && fresh;
        json_t *e = json_pack("{s:s, s:b, s:b}", "slug", o->slug, "ok", fresh, "rendered", have);
        if (e && have)
            json_object_set_new(e, "snapshot_age_seconds", json_integer(now - at));
        if (!e || json_array_append_new(offices, e) != 0)
            ok = false;
    }
    json_t *j =
        json_pack("{s:s, s:{s:s, s:b}, s:{s:b, s:I}, s:o}", "status", ok ? "ok" : "fail", "store",
                  "file", nb_store_file_state_str(h.file), "writable", h.writable, "journal", "ok",
                  journal_ok, "head", (json_int_t)h.journal_seq, "offices", offices);
    char *dump = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    size_t len = dump ? strlen(dump) : 0;
    char *body = dump ? nb_arena_strndup(&req->arena, dump, len) : NULL;
    free(dump);
    if (!ok)
        nb_log_warn("health.fail", "file=%s writable=%d journal=%d",
                    nb_store_file_state_str(h.file), h.writable, journal_ok);
    res->status = body ? (ok ? 200 : 503) : 500;
    res->content_type = "application/json";
    res->body = body ? body : "";
    res->len = body ? len : 0;
    add_header(res, "Cache-Control", "no-store");
}

/* ---- before the first render ---------------------------------------------------------------- */

/* The answer to a public request while the office's first snapshot is being rendered: a
 * minimal page in the request's language with the other language below it (or the same as
 * JSON), 503 with Retry-After, never stored. Built per request: it needs no snapshot. */
static void preparing(struct nb_http_request *req, enum nb_lang lang, struct nb_http_response *res)
{
    enum nb_lang other = lang == NB_LANG_DE ? NB_LANG_EN : NB_LANG_DE;
    struct nb_buf b;
    nb_buf_init(&b, NB_PREPARING_PAGE_MAX);
    char *dump = NULL;
    bool json = nb_http_accept_json(nb_http_header(req, "Accept"));
    if (json) {
        json_t *j = json_pack("{s:{s:i, s:s, s:s}, s:s}", "error", "status", 503, "title",
                              nb_i18n_get(lang, "preparing_title"), "message",
                              nb_i18n_get(lang, "preparing_text"), "lang", nb_lang_code(lang));
        dump = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(j);
        nb_buf_add_c(&b, dump ? dump : "");
        if (!dump)
            b.err = NB_ERR_NOMEM;
    } else {
        nb_buf_printf(&b,
                      "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>",
                      nb_lang_code(lang));
        nb_buf_add_html(&b, nb_str_c(nb_i18n_get(lang, "preparing_title")));
        nb_buf_add_c(&b, "</title>\n</head>\n<body>\n<main>\n<h1>");
        nb_buf_add_html(&b, nb_str_c(nb_i18n_get(lang, "preparing_title")));
        nb_buf_add_c(&b, "</h1>\n<p>");
        nb_buf_add_html(&b, nb_str_c(nb_i18n_get(lang, "preparing_text")));
        nb_buf_printf(&b, "</p>\n<div lang=\"%s\">\n<h2>", nb_lang_code(other));
        nb_buf_add_html(&b, nb_str_c(nb_i18n_get(other, "preparing_title")));
        nb_buf_add_c(&b, "</h2>\n<p>");
        nb_buf_add_html(&b, nb_str_c(nb_i18n_get(other, "preparing_text")));
        nb_buf_add_c(&b, "</p>\n</div>\n</main>\n</body>\n</html>\n");
    }
    free(dump);
    struct nb_str body = nb_buf_str(&b);
    char *copy = b.err ? NULL : nb_arena_strndup(&req->arena, body.ptr, body.len);
    nb_buf_free(&b);
    res->status = 503;
    res->content_type = json ? "application/json" : "text/html; charset=utf-8";
    res->body = copy ? copy : "";
    res->len = copy ? body.len : 0;
    /* Header values are not copied: the seconds live in the arena like the body. */
    char retry[16];
    int n = snprintf(retry, sizeof(retry), "%u", NB_PREPARING_RETRY_SECONDS);
    char *retry_a = nb_arena_strndup(&req->arena, retry, (size_t)n);
    if (retry_a)
        add_header(res, "Retry-After", retry_a);
    else
        res->status = 500;
    add_header(res, "Cache-Control", "no-store");
    add_header(res, "Vary", "Accept");
    add_header(res, "Content-Language", nb_lang_code(lang));
}

/* The JSON twin of the HTML page at path when Accept asks for JSON, else NULL. Its
 * by_accept answers are the ones to send: they vary on Accept and are not for shared
 * caches (see nb_snapshot_add). */
static const struct nb_snapshot_page *json_twin(const struct nb_http_request *req,
                                                const struct nb_snapshot *s, struct nb_str path)
{
    if (!nb_http_accept_json(nb_http_header(req, "Accept")) || path.len == 0 ||
        nb_str_ends(path, NB_STR(".json")) || path.len >= NB_HTTP_URI_MAX)
        return NULL;
    char alt[NB_HTTP_URI_MAX + 16];
    snprintf(alt, sizeof(alt), "%.*s%s", NB_STR_FMT(path),
             path.ptr[path.len - 1] == '/' ? "index.json" : ".json");
    const struct nb_snapshot_page *p = nb_snapshot_get(s, nb_str_c(alt));
    return p && p->by_accept[NB_ENC_IDENTITY] ? p : NULL;
}

void nb_public_handle(void *ctx, struct nb_http_request *req, struct nb_http_response *res)
{
    struct nb_app *app = ctx;
    struct route r;
    struct nb_str path = req->dpath.decoded;
    route(app, req, path, &r);
    if (nb_str_eq_c(req->dpath.decoded, "/healthz") && health_allowed(req) &&
        req->method != NB_HTTP_POST) {
        healthz(app, req, res);
        return;
    }
    struct nb_snapshot *s = hold(req, r.office);

    /* The office's own root and the English root without their slash. */
    if (r.rest.len == 0 || nb_str_eq_c(r.rest, "/en")) {
        char to[NB_SLUG_MAX + 16];
        snprintf(to, sizeof(to), "%s%.*s/", r.office->base, NB_STR_FMT(r.rest));
        redirect(req, res, to);
        return;
    }

    struct nb_str rest = below_lang(r.rest);
    if (is_staff(rest)) {
        if (req->method == NB_HTTP_POST && !store_takes_writes(app)) {
            error_body(req, s, r.lang, 503, res);
            return;
        }
        nb_staff_handle(app, r.office, r.lang, rest, req, res);
        return;
    }
    if (nb_str_starts(rest, NB_STR("/api/v1/holidays/"))) {
        if (req->method == NB_HTTP_POST) {
            error_body(req, s, r.lang, 405, res);
            add_header(res, "Allow", "GET, HEAD");
            return;
        }
        holidays(req, res, s, &r, (struct nb_str){rest.ptr + 17, rest.len - 17});
        return;
    }

    if (!s) {
        preparing(req, r.lang, res);
        return;
    }
    bool by_accept = false;
    const struct nb_snapshot_page *p = json_twin(req, s, path);
    if (p)
        by_accept = true;
    else
        p = nb_snapshot_get(s, path);
    if (!p) {
        error_body(req, s, r.lang, 404, res);
        return;
    }
    if (req->method == NB_HTTP_POST) {
        error_body(req, s, r.lang, 405, res);
        add_header(res, "Allow", "GET, HEAD");
        return;
    }
    unsigned accepted = nb_http_accept_encoding(nb_http_header(req, "Accept-Encoding"));
    enum nb_encoding enc = NB_ENC_IDENTITY;
    if ((accepted & NB_HTTP_ENC_BR) && p->resp[NB_ENC_BR])
        enc = NB_ENC_BR;
    else if ((accepted & NB_HTTP_ENC_GZIP) && p->resp[NB_ENC_GZIP])
        enc = NB_ENC_GZIP;
    if (by_accept)
        res->prebuilt = not_modified(req, p) ? p->by_accept_nm[enc] : p->by_accept[enc];
    else
        res->prebuilt = not_modified(req, p) ? p->not_modified[enc] : p->resp[enc];
}
