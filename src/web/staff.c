/* staff.c: the back office under /intern/ of each office: sign-in with password and TOTP,
 * account setup from a one-time link, the overview with the user's sessions, sign-out, and
 * the incident switch that ends every session of the office.
 *
 * Every staff page is rendered per request (never into the public snapshot) and sent with
 * Cache-Control: no-store. Every state-changing request is a POST that must carry a
 * matching Origin (or Referer) and, once signed in, the session's CSRF token for that very
 * form; GET never changes state. What a role may do is decided by nb_staff_may() below, deny by
 * default (docs/roles.md). Each change is written to the journal. */
#include "web/staff.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/civil.h"
#include "base/log.h"
#include "base/utf8.h"
#include "domain/account.h"
#include "domain/journal.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "http/multipart.h"
#include "http/parse.h"
#include "view/i18n.h"
#include "view/markdown.h"
#include "view/qr.h"
#include "view/template.h"
#include "web/form.h"

/* ---- roles --------------------------------------------------------------------------------- */

#define ROLE(r) (1u << (r))
#define ALL_ROLES                                                                                  \
    (ROLE(NB_ROLE_ADMIN) | ROLE(NB_ROLE_EDITOR) | ROLE(NB_ROLE_CASEWORKER) | ROLE(NB_ROLE_DPO))

/* The role x action matrix of docs/roles.md. */
static const unsigned matrix[NB_ACT_COUNT] = {
    [NB_ACT_OWN_SESSIONS] = ALL_ROLES,
    [NB_ACT_END_ALL] = ROLE(NB_ROLE_ADMIN),
    [NB_ACT_JOURNAL_READ] = ROLE(NB_ROLE_ADMIN) | ROLE(NB_ROLE_DPO),
    [NB_ACT_JOURNAL_EXPORT] = ROLE(NB_ROLE_ADMIN) | ROLE(NB_ROLE_DPO),
    [NB_ACT_STATE_EDIT] = ROLE(NB_ROLE_ADMIN) | ROLE(NB_ROLE_EDITOR),
    [NB_ACT_CONTENT_EDIT] = ROLE(NB_ROLE_ADMIN) | ROLE(NB_ROLE_EDITOR),
    [NB_ACT_ACCOUNTS] = ROLE(NB_ROLE_ADMIN),
    [NB_ACT_SETTINGS_EDIT] = ROLE(NB_ROLE_ADMIN),
};

bool nb_staff_may(enum nb_account_role role, enum nb_staff_action action)
{
    return (unsigned)action < NB_ACT_COUNT && (unsigned)role < 32 &&
           (matrix[action] & ROLE(role)) != 0;
}

/* ---- helpers ------------------------------------------------------------------------------- */

bool nb_staff_url(const struct nb_staff *s, const char *path, char *out, size_t n)
{
    int len = snprintf(out, n, "%s/intern%s", s->prefix, path);
    return len >= 0 && (size_t)len < n;
}

void nb_staff_header(struct nb_staff *s, const char *name, const char *value)
{
    const char *copy = nb_arena_strndup(&s->req->arena, value, strlen(value));
    if (!copy || nb_http_response_header(s->res, name, copy) != NB_OK)
        s->res->status = 500;
}

void nb_staff_redirect(struct nb_staff *s, const char *path)
{
    char to[256];
    nb_staff_url(s, path, to, sizeof(to));
    s->res->status = 303;
    s->res->content_type = "text/plain; charset=utf-8";
    s->res->body = "";
    s->res->len = 0;
    nb_staff_header(s, "Location", to);
    nb_staff_header(s, "Cache-Control", "no-store");
}

/* The model every staff page shares. */
json_t *nb_staff_model(struct nb_staff *s, const char *title_key)
{
    char css[128], home[128], u[6][NB_STAFF_URL_MAX];
    snprintf(css, sizeof(css), "%s/static/site.css", s->office->base);
    snprintf(home, sizeof(home), "%s/", s->prefix);
    nb_staff_url(s, "/", u[0], sizeof(u[0]));
    nb_staff_url(s, "/anmelden", u[1], sizeof(u[1]));
    nb_staff_url(s, "/abmelden", u[2], sizeof(u[2]));
    nb_staff_url(s, "/sitzungen/beenden", u[3], sizeof(u[3]));
    nb_staff_url(s, "/sitzungen/alle", u[4], sizeof(u[4]));
    json_t *m = json_object();
    json_object_set_new(m, "lang", json_string(nb_lang_code(s->lang)));
    json_object_set_new(m, "office",
                        json_pack("{s:s, s:s}", "name", s->office->name, "slug", s->office->slug));
    json_object_set_new(m, "page", json_pack("{s:s}", "title", nb_i18n_get(s->lang, title_key)));
    json_object_set_new(m, "urls",
                        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "css", css, "home", home,
                                  "staff_home", u[0], "login", u[1], "logout", u[2], "end_session",
                                  u[3], "end_all", u[4]));
    /* The language switch leads to the same page in the other language. */
    enum nb_lang other = s->lang == NB_LANG_DE ? NB_LANG_EN : NB_LANG_DE;
    char sw[256];
    snprintf(sw, sizeof(sw), "%s%s/intern%.*s", s->office->base, other == NB_LANG_EN ? "/en" : "",
             (int)s->sub.len, s->sub.ptr);
    json_object_set_new(m, "lang_switch",
                        json_pack("[{s:s, s:s, s:s}]", "code", nb_lang_code(other), "label",
                                  nb_i18n_get(other, other == NB_LANG_DE ? "lang_de" : "lang_en"),
                                  "href", sw));
    if (s->signed_in) {
        char key[32];
        snprintf(key, sizeof(key), "role_%s", nb_account_role_name(s->role));
        json_object_set_new(m, "account",
                            json_pack("{s:s, s:s}", "name", s->account_name, "role_label",
                                      nb_i18n_get(s->lang, key)));
        json_t *csrf = json_object();
        static const char *const forms[][2] = {{"logout", "/abmelden"},
                                               {"end_session", "/sitzungen/beenden"},
                                               {"end_all", "/sitzungen/alle"}};
        json_object_set_new(m, "csrf", csrf);
        for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
            nb_staff_csrf_set(s, m, forms[i][0], forms[i][1]);
        json_object_set_new(m, "is_admin", json_boolean(s->role == NB_ROLE_ADMIN));
    }
    return m;
}

void nb_staff_csrf_set(struct nb_staff *s, json_t *m, const char *key, const char *path)
{
    char action[NB_STAFF_URL_MAX], token[NB_CSRF_TOKEN_SIZE];
    json_t *csrf = json_object_get(m, "csrf");
    /* An address too long to bind gets no token: its form is refused, never mixed up with
     * another address that shares the first bytes. */
    if (!csrf || !nb_staff_url(s, path, action, sizeof(action)))
        return;
    nb_csrf_token(&s->session, nb_str_c(action), token);
    json_object_set_new(csrf, key, json_string(token));
    sodium_memzero(token, sizeof(token));
}

void nb_staff_set_text(json_t *obj, const char *key, struct nb_str v)
{
    json_t *j = json_stringn(v.ptr ? v.ptr : "", v.len);
    json_object_set_new(obj, key, j ? j : json_string(""));
}

const char *nb_staff_str(json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

bool nb_staff_has_slug(json_t *list, struct nb_str slug)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        if (nb_str_eq_c(slug, nb_staff_str(o, "slug")))
            return true;
    }
    return false;
}

void nb_staff_set_error(json_t *obj, const char *key, const char *msg)
{
    if (msg)
        json_object_set_new(obj, key, json_string(msg));
}

const char *nb_staff_format(struct nb_staff *s, const char *key, const char *name,
                            const char *value)
{
    struct nb_buf b;
    nb_buf_init(&b, 2048);
    nb_i18n_format(&b, s->lang, key, name, value, (char *)NULL);
    const char *out =
        b.err == NB_OK ? nb_arena_strndup(&s->req->arena, b.ptr ? b.ptr : "", b.len) : NULL;
    nb_buf_free(&b);
    return out ? out : "";
}

const char *nb_staff_text_max(struct nb_staff *s, const char *key, unsigned max)
{
    char num[24];
    snprintf(num, sizeof(num), "%u", max);
    return nb_staff_format(s, key, "max", num);
}

const char *nb_staff_check_message(struct nb_staff *s, enum nb_err err, const char *long_key,
                                   unsigned max, const char *invalid_key)
{
    if (err == NB_OK)
        return NULL;
    if (err == NB_ERR_LIMIT)
        return nb_staff_text_max(s, long_key, max);
    return nb_i18n_get(s->lang, invalid_key);
}

void nb_staff_time_text(enum nb_lang lang, int64_t at, char *out, size_t n)
{
    struct nb_civil_local l;
    nb_civil_berlin_local(at, &l);
    char d[NB_CIVIL_DATE_SIZE], t[NB_CIVIL_HHMM_SIZE];
    if (lang == NB_LANG_DE)
        nb_civil_fmt_date_de(d, sizeof(d), l.date);
    else
        nb_civil_fmt_date(d, sizeof(d), l.date);
    nb_civil_fmt_hhmm(t, sizeof(t), l.hour * 60 + l.minute);
    snprintf(out, n, "%s %s", d, t);
}

const char *nb_staff_query_notice(struct nb_staff *s, const char *const (*table)[2], size_t n)
{
    struct nb_str q;
    if (nb_http_query_get(s->req->query, "hinweis", &s->req->arena, &q) != NB_OK)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (nb_str_eq_c(q, table[i][0]))
            return nb_i18n_get(s->lang, table[i][1]);
    return NULL;
}

const char *nb_staff_markdown(struct nb_staff *s, struct nb_str md, int heading_shift)
{
    struct nb_buf b;
    nb_buf_init(&b, 4u * NB_MARKDOWN_MAX);
    enum nb_err err = nb_markdown_html(md, heading_shift, &b);
    if (err == NB_OK)
        err = b.err;
    const char *out =
        err == NB_OK ? nb_arena_strndup(&s->req->arena, b.ptr ? b.ptr : "", b.len) : NULL;
    nb_buf_free(&b);
    if (!out)
        nb_log_error("staff.markdown", "error=%s", nb_err_str(err == NB_OK ? NB_ERR_NOMEM : err));
    return out;
}

/* Renders template with model m (consumed) as the response, with status. */
void nb_staff_render(struct nb_staff *s, unsigned status, const char *tpl_name, json_t *m)
{
    const struct nb_tpl *t = nb_tpl_set_get(s->office->tpl, tpl_name);
    json_object_set(m, "t", nb_i18n_table(s->lang));
    struct nb_buf b;
    nb_buf_init(&b, NB_PAGE_MAX);
    enum nb_err err = t ? nb_tpl_render(t, s->office->tpl, m, &b) : NB_ERR_INTERNAL;
    json_decref(m);
    char *body = err == NB_OK ? nb_arena_strndup(&s->req->arena, b.ptr ? b.ptr : "", b.len) : NULL;
    size_t len = b.len;
    nb_buf_free(&b);
    if (!body) {
        nb_log_error("staff.render", "template=%s error=%s", tpl_name, nb_err_str(err));
        s->res->status = 500;
        s->res->content_type = "text/plain; charset=utf-8";
        s->res->body = "Internal error";
        s->res->len = 14;
        return;
    }
    s->res->status = status;
    s->res->content_type = "text/html; charset=utf-8";
    s->res->body = body;
    s->res->len = len;
    nb_staff_header(s, "Cache-Control", "no-store");
    nb_staff_header(s, "Content-Language", nb_lang_code(s->lang));
}

/* A page with only a message: errors of forms and of roles. */
void nb_staff_message(struct nb_staff *s, unsigned status, const char *title_key,
                      const char *text_key)
{
    json_t *m = nb_staff_model(s, title_key);
    json_object_set_new(m, "error", json_string(nb_i18n_get(s->lang, text_key)));
    nb_staff_render(s, status, "staff_message", m);
}

enum nb_err nb_staff_begin(struct nb_staff *s, struct nb_store_tx **tx)
{
    return nb_store_begin(nb_app_store(s->app), NB_STORE_WRITE, tx);
}

enum nb_err nb_staff_journal(struct nb_staff *s, struct nb_store_tx *tx, const char *actor,
                             const char *action, const char *object, const char *summary)
{
    struct nb_journal_entry e = {s->now,           s->office->id,    nb_str_c(actor),
                                 nb_str_c(action), nb_str_c(object), nb_str_c(summary)};
    enum nb_err err = nb_journal_append(tx, &e, NULL);
    if (err != NB_OK)
        nb_log_error("staff.journal", "action=%s error=%s", action, nb_err_str(err));
    return err;
}

enum nb_err nb_staff_end(struct nb_staff *s, struct nb_store_tx **tx, enum nb_err err, bool publish)
{
    err = nb_store_end(tx, err);
    if (err == NB_OK && publish)
        nb_app_publish(s->app, s->office->id);
    return err;
}

/* ---- request checks -------------------------------------------------------------------------- */

/* A form field of the POST body, from the one parse (web/form.h); empty when absent or
 * when its bytes are no text. Forms on the form layer report such bytes on the field. */
struct nb_str nb_staff_field(struct nb_staff *s, const char *name)
{
    const struct nb_form_body *b;
    struct nb_str v;
    if (nb_form_staff_body(s, &b) != NB_OK || !nb_form_body_get(b, name, &v) ||
        !nb_utf8_valid(v.ptr, v.len) || nb_utf8_has_controls(v.ptr, v.len))
        return (struct nb_str){"", 0};
    return v;
}

/* A POST must come from a page of this site: Origin, or Referer when Origin is absent. */
static bool same_origin(struct nb_staff *s)
{
    struct nb_str origin = nb_http_header(s->req, "Origin");
    struct nb_str referer = nb_http_header(s->req, "Referer");
    struct nb_str host = nb_http_header(s->req, "Host");
    return nb_origin_request_ok(origin, referer, host, s->tls);
}

/* The CSRF token of the form posted to path. */
bool nb_staff_csrf_ok(struct nb_staff *s, const char *path)
{
    char action[NB_STAFF_URL_MAX];
    const struct nb_form_body *b;
    struct nb_str token = {"", 0};
    if (nb_form_staff_body(s, &b) != NB_OK || (b->non_text && !nb_form_staff_reads(path)))
        return false;
    nb_form_body_get(b, "csrf", &token);
    return nb_staff_url(s, path, action, sizeof(action)) &&
           nb_csrf_check(&s->session, nb_str_c(action), token);
}

/* Looks up the session of the cookie and its account; false when there is none. */
static bool signed_in(struct nb_staff *s)
{
    struct nb_str cookie = nb_http_header(s->req, "Cookie"), value;
    if (nb_http_cookie_get(cookie, nb_session_cookie_name(s->tls), &value) != NB_OK)
        return false;
    struct nb_store *store = nb_app_store(s->app);
    if (nb_session_lookup(store, s->office->id, value, s->now, &s->session) != NB_OK)
        return false;
    json_t *acc = NULL;
    enum nb_err err = nb_account_get(store, s->office->id, s->session.account_id, &acc);
    const char *state = json_string_value(json_object_get(acc, "state"));
    const char *name = json_string_value(json_object_get(acc, "name"));
    const char *role = json_string_value(json_object_get(acc, "role"));
    bool ok = err == NB_OK && state && strcmp(state, "active") == 0 && name && role &&
              nb_account_role_parse(nb_str_c(role), &s->role) == NB_OK;
    if (ok)
        snprintf(s->account_name, sizeof(s->account_name), "%s", name);
    json_decref(acc);
    if (!ok) {
        nb_session_wipe(&s->session);
        return false;
    }
    s->signed_in = true;
    return true;
}

/* Sets or clears (value NULL) the session cookie. */
static void set_cookie(struct nb_staff *s, const char *value)
{
    char c[NB_SESSION_SET_COOKIE_SIZE];
    if (nb_session_cookie_header(c, sizeof(c), value, s->tls, 0) != NB_OK) {
        s->res->status = 500;
        return;
    }
    nb_staff_header(s, "Set-Cookie", c);
}

/* ---- pages ----------------------------------------------------------------------------------- */

static void login_form(struct nb_staff *s, unsigned status, const char *error, const char *name)
{
    json_t *m = nb_staff_model(s, "title_staff_login");
    if (error)
        json_object_set_new(m, "error", json_string(error));
    struct nb_str q;
    if (!error && nb_http_query_get(s->req->query, "hinweis", &s->req->arena, &q) == NB_OK) {
        const char *key = nb_str_eq_c(q, "abgemeldet") ? "staff_logged_out"
                          : nb_str_eq_c(q, "alle")     ? "staff_incident_done"
                                                       : "staff_please_login";
        json_object_set_new(m, "notice", json_string(nb_i18n_get(s->lang, key)));
    }
    json_object_set_new(m, "form", json_pack("{s:s}", "name", name ? name : ""));
    nb_staff_render(s, status, "staff_login", m);
}

static bool is_totp(struct nb_str code)
{
    if (code.len != NB_TOTP_DIGITS)
        return false;
    for (size_t i = 0; i < code.len; i++)
        if (code.ptr[i] < '0' || code.ptr[i] > '9')
            return false;
    return true;
}

/* The "please wait" answer: 429 with Retry-After. */
static void login_wait(struct nb_staff *s, int64_t wait, const char *name_c)
{
    char secs[24];
    snprintf(secs, sizeof(secs), "%lld", (long long)wait);
    struct nb_buf b;
    nb_buf_init(&b, 1024);
    nb_i18n_format(&b, s->lang, "staff_login_wait", "seconds", secs, (char *)NULL);
    char *msg = nb_arena_strndup(&s->req->arena, b.ptr ? b.ptr : "", b.len);
    nb_buf_free(&b);
    login_form(s, 429, msg ? msg : "", name_c);
    nb_staff_header(s, "Retry-After", secs);
}

/* The second factor, the throttle's outcome, the session and its journal entry, in one write
 * transaction: a session exists exactly when its sign-in is journalled. NB_ERR_DENIED for a
 * wrong or replayed code (then nothing of it is kept). */
static enum nb_err login_commit(struct nb_staff *s, struct nb_str name, struct nb_str code,
                                const struct nb_throttle_ticket *t, char *cookie)
{
    struct nb_store *store = nb_app_store(s->app);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (!err)
        err = is_totp(code)
                  ? nb_account_check_totp(store, s->office->id, name, code, s->now)
                  : nb_account_use_recovery(store, s->office->id, name, code, s->now, NULL);
    if (!err)
        err = nb_throttle_succeeded(store, t, s->now);
    char ua[NB_SESSION_UA_MAX + 1];
    nb_session_ua_summary(nb_http_header(s->req, "User-Agent"), ua);
    if (!err)
        err = nb_session_create(store, s->office->id, t->account_id, s->now,
                                nb_str_c(s->req->client), nb_str_c(ua), cookie, &s->session);
    nb_session_wipe(&s->session);
    /* name is the normalised name, NUL-terminated in the caller's buffer. */
    if (!err)
        err = nb_staff_journal(s, tx, name.ptr, "login", "account",
                               is_totp(code) ? "signed in with TOTP"
                                             : "signed in with a recovery code");
    return nb_staff_end(s, &tx, err, false);
}

static void login_post(struct nb_staff *s)
{
    struct nb_store *store = nb_app_store(s->app);
    struct nb_str typed = nb_str_trim(nb_staff_field(s, "name")),
                  password = nb_staff_field(s, "password"),
                  code = nb_str_trim(nb_staff_field(s, "code"));
    char *name_c = nb_arena_strndup(&s->req->arena, typed.ptr, typed.len);
    if (!name_c || typed.len > NB_ACCOUNT_NAME_MAX)
        name_c = "";
    /* One normalisation for the throttle and every lookup: case variants are one name. A
     * malformed name is the empty name, which no account has. */
    char norm_buf[NB_ACCOUNT_NAME_MAX + 1];
    struct nb_str name;
    if (nb_account_name_norm(typed, norm_buf, &name) != NB_OK)
        name = NB_STR("");
    struct nb_throttle_ticket t;
    int64_t wait = 0;
    if (nb_throttle_reserve(store, s->office->id, name, nb_str_c(s->req->client), s->now, &t,
                            &wait) != NB_OK) {
        login_form(s, 503, nb_i18n_get(s->lang, "error_500_text"), name_c);
        return;
    }
    if (wait > 0) {
        login_wait(s, wait, name_c);
        return;
    }
    enum nb_err err = nb_account_check_password(store, s->office->id, name, password);
    char cookie[NB_SESSION_COOKIE_SIZE];
    if (err == NB_OK && t.account_id > 0)
        err = login_commit(s, name, code, &t, cookie);
    else if (err == NB_OK)
        err = NB_ERR_DENIED;
    if (err == NB_ERR_DENIED) {
        /* Counted and journalled per name and address by the throttle (an unknown name as
         * "unknown": a user who typed the password into the name field must not find it in
         * the journal). */
        if (nb_throttle_failed(store, &t, s->now) != NB_OK)
            nb_log_error("staff.throttle", "error=store");
        login_form(s, 401, nb_i18n_get(s->lang, "staff_login_failed"), name_c);
        return;
    }
    if (err != NB_OK) {
        sodium_memzero(cookie, sizeof(cookie));
        login_form(s, 503, nb_i18n_get(s->lang, "error_500_text"), name_c);
        return;
    }
    nb_staff_redirect(s, "/");
    set_cookie(s, cookie);
    sodium_memzero(cookie, sizeof(cookie));
}

static void home(struct nb_staff *s)
{
    json_t *m = nb_staff_model(s, "title_staff_home");
    json_t *list = NULL;
    if (nb_session_list(nb_app_store(s->app), s->office->id, s->session.account_id, s->now,
                        &list) != NB_OK) {
        json_decref(m);
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        for (int k = 0; k < 2; k++) {
            const char *key = k ? "last_seen_at" : "created_at";
            char out[40];
            nb_staff_time_text(s->lang, json_integer_value(json_object_get(e, key)), out,
                               sizeof(out));
            json_object_set_new(e, k ? "last_seen_text" : "created_text", json_string(out));
        }
        if (json_integer_value(json_object_get(e, "id")) == s->session.id)
            json_object_set_new(e, "current", json_true());
    }
    json_object_set_new(m, "sessions", list);
    struct nb_str q;
    if (nb_http_query_get(s->req->query, "hinweis", &s->req->arena, &q) == NB_OK &&
        nb_str_eq_c(q, "beendet"))
        json_object_set_new(m, "notice", json_string(nb_i18n_get(s->lang, "staff_session_ended")));
    if (nb_staff_may(s->role, NB_ACT_JOURNAL_READ)) {
        char journal[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/journal", journal, sizeof(journal));
        json_object_set_new(m, "may_journal", json_pack("{s:s}", "href", journal));
    }
    if (nb_staff_may(s->role, NB_ACT_STATE_EDIT)) {
        char state[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/betriebszustand", state, sizeof(state));
        json_object_set_new(m, "may_state", json_pack("{s:s}", "href", state));
    }
    if (nb_staff_may(s->role, NB_ACT_CONTENT_EDIT)) {
        char press[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/presse", press, sizeof(press));
        json_object_set_new(m, "may_press", json_pack("{s:s}", "href", press));
    }
    if (nb_staff_may(s->role, NB_ACT_CONTENT_EDIT)) {
        char notices[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/meldungen", notices, sizeof(notices));
        json_object_set_new(m, "may_notices", json_pack("{s:s}", "href", notices));
    }
    if (nb_staff_may(s->role, NB_ACT_ACCOUNTS)) {
        char accounts[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/konten", accounts, sizeof(accounts));
        json_object_set_new(m, "may_accounts", json_pack("{s:s}", "href", accounts));
    }
    if (nb_staff_may(s->role, NB_ACT_CONTENT_EDIT)) {
        char services[NB_STAFF_URL_MAX], pages[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/leistungen", services, sizeof(services));
        nb_staff_url(s, "/seiten", pages, sizeof(pages));
        json_object_set_new(m, "may_services", json_pack("{s:s}", "href", services));
        json_object_set_new(m, "may_pages", json_pack("{s:s}", "href", pages));
    }
    if (nb_staff_may(s->role, NB_ACT_CONTENT_EDIT)) {
        char hours[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/zeiten", hours, sizeof(hours));
        json_object_set_new(m, "may_hours", json_pack("{s:s}", "href", hours));
    }
    if (nb_staff_may(s->role, NB_ACT_CONTENT_EDIT)) {
        char departments[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/abteilungen", departments, sizeof(departments));
        json_object_set_new(m, "may_departments", json_pack("{s:s}", "href", departments));
    }
    if (nb_staff_may(s->role, NB_ACT_SETTINGS_EDIT)) {
        char settings[NB_STAFF_URL_MAX];
        nb_staff_url(s, "/einstellungen", settings, sizeof(settings));
        json_object_set_new(m, "may_settings", json_pack("{s:s}", "href", settings));
    }
    nb_staff_render(s, 200, "staff_home", m);
}

static void logout_post(struct nb_staff *s)
{
    struct nb_str cookie = nb_http_header(s->req, "Cookie"), value;
    if (nb_http_cookie_get(cookie, nb_session_cookie_name(s->tls), &value) == NB_OK) {
        struct nb_store_tx *tx = NULL;
        enum nb_err err = nb_staff_begin(s, &tx);
        if (err == NB_OK)
            err = nb_session_end(nb_app_store(s->app), s->office->id, value);
        if (err == NB_OK)
            err = nb_staff_journal(s, tx, s->account_name, "logout", "account", "signed out");
        if (nb_staff_end(s, &tx, err, false) != NB_OK) {
            /* The session lives on: say so rather than pretend it ended. */
            nb_staff_message(s, 503, "error_500_title", "error_500_text");
            return;
        }
    }
    nb_staff_redirect(s, "/anmelden?hinweis=abgemeldet");
    set_cookie(s, NULL);
}

static void end_session_post(struct nb_staff *s)
{
    uint64_t id = 0;
    if (!nb_str_to_u64(nb_staff_field(s, "id"), INT64_MAX, &id)) {
        nb_staff_message(s, 400, "error_400_title", "error_400_text");
        return;
    }
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_session_end_one(nb_app_store(s->app), s->office->id, s->session.account_id,
                                 (int64_t)id);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "session.end", "account",
                               "ended one of own sessions");
    err = nb_staff_end(s, &tx, err, false);
    if (err != NB_OK && err != NB_ERR_NOTFOUND) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    nb_staff_redirect(s, "/?hinweis=beendet");
}

static void end_all_post(struct nb_staff *s)
{
    int n = 0;
    char summary[96];
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_session_end_all_of_office(nb_app_store(s->app), s->office->id, &n);
    snprintf(summary, sizeof(summary), "ended all %d sessions of the office", n);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "session.end_all", "office", summary);
    if (nb_staff_end(s, &tx, err, false) != NB_OK) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    nb_staff_redirect(s, "/anmelden?hinweis=alle");
    set_cookie(s, NULL);
}

/* ---- account setup ----------------------------------------------------------------------------
 */

static void setup_page(struct nb_staff *s, struct nb_str token, const char *password_error,
                       const char *code_error)
{
    struct nb_account_enrol *e = sodium_malloc(sizeof(*e));
    if (!e) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    enum nb_err err = nb_account_setup_start(nb_app_store(s->app), s->office->id, token, s->now, e);
    if (err != NB_OK) {
        sodium_free(e);
        nb_staff_message(s, err == NB_ERR_NOTFOUND ? 404 : 503, "title_staff_setup",
                         err == NB_ERR_NOTFOUND ? "staff_setup_invalid" : "error_500_text");
        return;
    }
    char action[NB_ACCOUNT_TOKEN_LEN + NB_STAFF_URL_MAX];
    snprintf(action, sizeof(action), "%s/intern/einrichten/%.*s", s->prefix, (int)token.len,
             token.ptr);
    struct nb_buf svg;
    nb_buf_init(&svg, 256u * 1024);
    json_t *enrol =
        json_pack("{s:s, s:s, s:s}", "name", e->name, "secret", e->base32, "action", action);
    if (nb_qr_svg(e->uri, &svg) == NB_OK)
        json_object_set_new(enrol, "qr_svg", json_string(svg.ptr));
    nb_buf_free(&svg);
    sodium_free(e);
    if (password_error)
        json_object_set_new(enrol, "password_error", json_string(password_error));
    if (code_error)
        json_object_set_new(enrol, "code_error", json_string(code_error));
    json_t *m = nb_staff_model(s, "title_staff_setup");
    json_object_set_new(m, "enrol", enrol);
    nb_staff_render(s, password_error || code_error ? 422 : 200, "staff_setup", m);
}

static const char *password_message(enum nb_lang lang, enum nb_password_verdict v)
{
    switch (v) {
    case NB_PASSWORD_OK:
        return NULL;
    case NB_PASSWORD_SHORT:
        return nb_i18n_get(lang, "staff_password_short");
    case NB_PASSWORD_LONG:
        return nb_i18n_get(lang, "staff_password_long");
    case NB_PASSWORD_INVALID:
        return nb_i18n_get(lang, "staff_password_invalid");
    case NB_PASSWORD_COMMON:
        return nb_i18n_get(lang, "staff_password_common");
    case NB_PASSWORD_OFFICE:
        return nb_i18n_get(lang, "staff_password_office");
    }
    return nb_i18n_get(lang, "staff_password_invalid");
}

static void setup_post(struct nb_staff *s, struct nb_str token)
{
    struct nb_str password = nb_staff_field(s, "password"), again = nb_staff_field(s, "password2"),
                  code = nb_str_trim(nb_staff_field(s, "code"));
    if (!nb_str_eq(password, again)) {
        setup_page(s, token, nb_i18n_get(s->lang, "staff_password_mismatch"), NULL);
        return;
    }
    const char *pw_error =
        password_message(s->lang, nb_account_password_check(password, nb_str_c(s->office->name),
                                                            nb_str_c(s->office->slug)));
    if (pw_error) {
        setup_page(s, token, pw_error, NULL);
        return;
    }
    struct nb_account_recovery *rc = sodium_malloc(sizeof(*rc));
    if (!rc) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    struct nb_account_enrol *e = sodium_malloc(sizeof(*e));
    enum nb_err err =
        e ? nb_account_setup_start(nb_app_store(s->app), s->office->id, token, s->now, e)
          : NB_ERR_NOMEM;
    char name[NB_ACCOUNT_NAME_MAX + 1] = "";
    if (err == NB_OK)
        snprintf(name, sizeof(name), "%s", e->name);
    if (e)
        sodium_free(e);
    const struct nb_journal_entry record = {s->now,
                                            s->office->id,
                                            nb_str_c(name),
                                            NB_STR("account.setup"),
                                            NB_STR("account"),
                                            NB_STR("password and second factor set up")};
    if (err == NB_OK)
        err = nb_account_setup_finish(nb_app_store(s->app), s->office->id, token, password, code,
                                      s->now, &record, rc);
    if (err != NB_OK) {
        sodium_free(rc);
        if (err == NB_ERR_DENIED || err == NB_ERR_INPUT)
            setup_page(s, token, NULL, nb_i18n_get(s->lang, "staff_code_wrong"));
        else
            nb_staff_message(s, err == NB_ERR_NOTFOUND ? 404 : 503, "title_staff_setup",
                             err == NB_ERR_NOTFOUND ? "staff_setup_invalid" : "error_500_text");
        return;
    }
    json_t *codes = json_array();
    for (size_t i = 0; i < NB_ACCOUNT_RECOVERY_CODES; i++)
        json_array_append_new(codes, json_string(rc->codes[i]));
    sodium_free(rc);
    json_t *m = nb_staff_model(s, "title_staff_setup");
    json_object_set_new(m, "recovery", json_pack("{s:o}", "codes", codes));
    nb_staff_render(s, 200, "staff_setup", m);
}

/* ---- routes -------------------------------------------------------------------------------- */

static void route_login_get(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    login_form(s, 200, NULL, NULL);
}

static void route_login_post(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    login_post(s);
}

static void route_setup_get(struct nb_staff *s, const struct nb_route_params *p)
{
    setup_page(s, p->v[0], NULL, NULL);
}

static void route_setup_post(struct nb_staff *s, const struct nb_route_params *p)
{
    setup_post(s, p->v[0]);
}

static void route_home(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    home(s);
}

static void route_logout(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    logout_post(s);
}

static void route_end_session(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    end_session_post(s);
}

static void route_end_all(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    end_all_post(s);
}

/* Sign-in and setup are open: they check the password, the code or the link themselves
 * (and the POSTs their Origin, like every POST). */
static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, "/anmelden", NB_GATE_OPEN, 0, false, route_login_get, NULL},
    {NB_HTTP_POST, "/anmelden", NB_GATE_OPEN, 0, false, route_login_post, NULL},
    {NB_HTTP_GET, "/einrichten/{token}", NB_GATE_OPEN, 0, false, route_setup_get, NULL},
    {NB_HTTP_POST, "/einrichten/{token}", NB_GATE_OPEN, 0, false, route_setup_post, NULL},
    {NB_HTTP_GET, "/", NB_GATE_SIGNED_IN, 0, false, route_home, NULL},
    {NB_HTTP_POST, "/abmelden", NB_GATE_SIGNED_IN, 0, true, route_logout, NULL},
    {NB_HTTP_POST, "/sitzungen/beenden", NB_GATE_ROLE, NB_ACT_OWN_SESSIONS, true, route_end_session,
     NULL},
    {NB_HTTP_POST, "/sitzungen/alle", NB_GATE_ROLE, NB_ACT_END_ALL, true, route_end_all, NULL},
};
static const struct nb_staff_routes staff_routes = NB_STAFF_ROUTES("staff.c", rows);

const struct nb_staff_routes *const nb_staff_route_tables[] = {
    &staff_routes,          &nb_staff_journal_routes,  &nb_staff_state_routes,
    &nb_staff_press_routes, &nb_staff_notices_routes,  &nb_staff_accounts_routes,
    &nb_staff_hours_routes, &nb_staff_services_routes, &nb_staff_departments_routes,
};
const size_t nb_staff_route_tables_len =
    sizeof(nb_staff_route_tables) / sizeof(nb_staff_route_tables[0]);

const char *nb_staff_action_name(enum nb_staff_action action)
{
    static const char *const names[NB_ACT_COUNT] = {
        [NB_ACT_OWN_SESSIONS] = "own_sessions", [NB_ACT_END_ALL] = "end_all",
        [NB_ACT_JOURNAL_READ] = "journal_read", [NB_ACT_JOURNAL_EXPORT] = "journal_export",
        [NB_ACT_STATE_EDIT] = "state_edit",     [NB_ACT_CONTENT_EDIT] = "content_edit",
        [NB_ACT_ACCOUNTS] = "accounts",         [NB_ACT_SETTINGS_EDIT] = "settings_edit",
    };
    return (unsigned)action < NB_ACT_COUNT && names[action] ? names[action] : "?";
}

void nb_app_routes_print(FILE *out)
{
    fprintf(out, "# The back office's routes, below each office's base (\"\" or /SLUG) and\n"
                 "# again under /en for English. GET also answers HEAD.\n"
                 "# method\taddress\taccess\tcsrf\tmodule\n");
    for (size_t t = 0; t < nb_staff_route_tables_len; t++) {
        const struct nb_staff_routes *table = nb_staff_route_tables[t];
        for (size_t i = 0; i < table->n; i++) {
            const struct nb_staff_route *r = &table->rows[i];
            char access[48];
            if (r->gate == NB_GATE_ROLE)
                snprintf(access, sizeof(access), "role:%s", nb_staff_action_name(r->action));
            else
                snprintf(access, sizeof(access), "%s",
                         r->gate == NB_GATE_OPEN ? "open" : "signed_in");
            fprintf(out, "%s\t/intern%s\t%s\t%s\t%s\n", r->method == NB_HTTP_POST ? "POST" : "GET",
                    strcmp(r->pattern, "/") == 0 ? "/" : r->pattern, access,
                    r->method == NB_HTTP_POST && r->csrf ? "csrf" : "-", table->module);
        }
    }
}

struct nb_str nb_staff_last_segment(const struct nb_staff *s)
{
    for (size_t i = s->sub.len; i > 0; i--)
        if (s->sub.ptr[i - 1] == '/')
            return (struct nb_str){s->sub.ptr + i, s->sub.len - i};
    return s->sub;
}

void nb_staff_not_found(struct nb_staff *s)
{
    nb_staff_message(s, 404, "error_404_title", "error_404_text");
}

/* ---- dispatch ---------------------------------------------------------------------------------
 */

/* The rows whose patterns match path most specifically (http/route.h; staff.h). Two rows
 * at most share a pattern (GET and POST), so a few slots are plenty. */
struct matched {
    const struct nb_staff_route *rows[16];
    struct nb_route_params params[16];
    size_t n;
};

static void match(struct nb_str path, struct matched *m)
{
    int best = 0;
    m->n = 0;
    for (size_t t = 0; t < nb_staff_route_tables_len; t++) {
        const struct nb_staff_routes *table = nb_staff_route_tables[t];
        for (size_t i = 0; i < table->n; i++) {
            struct nb_route_params p;
            int k = nb_route_match(table->rows[i].pattern, path, &p);
            if (k < 0 || k < best)
                continue;
            if (k > best || m->n == 0) {
                best = k;
                m->n = 0;
            }
            if (m->n < sizeof(m->rows) / sizeof(m->rows[0])) {
                m->rows[m->n] = &table->rows[i];
                m->params[m->n++] = p;
            }
        }
    }
}

static bool may(const struct nb_staff *s, const struct nb_staff_route *r)
{
    return r->gate != NB_GATE_ROLE || nb_staff_may(s->role, r->action);
}

static void dispatch(struct nb_staff *s, const struct matched *m)
{
    bool post = s->req->method == NB_HTTP_POST;
    const struct nb_staff_route *row = NULL;
    const struct nb_route_params *params = NULL;
    bool open = false, any_allowed = false, get = false, postable = false;
    for (size_t i = 0; i < m->n; i++) {
        const struct nb_staff_route *r = m->rows[i];
        open = open || r->gate == NB_GATE_OPEN;
        get = get || r->method == NB_HTTP_GET;
        postable = postable || r->method == NB_HTTP_POST;
        if ((r->method == NB_HTTP_POST) == post) {
            row = r;
            params = &m->params[i];
        }
    }
    if (!open && !signed_in(s)) {
        if (post)
            nb_staff_message(s, 403, "error_403_title", "staff_form_expired");
        else
            nb_staff_redirect(s, "/anmelden");
        return;
    }
    for (size_t i = 0; i < m->n; i++)
        any_allowed = any_allowed || may(s, m->rows[i]);
    if (!any_allowed) {
        nb_staff_message(s, 403, "error_403_title", "error_403_text");
        return;
    }
    if (!row) {
        nb_staff_header(s, "Allow",
                        get && postable ? "GET, HEAD, POST"
                        : get           ? "GET, HEAD"
                                        : "POST");
        nb_staff_message(s, 405, "error_405_title", "error_405_text");
        return;
    }
    if (!may(s, row)) {
        nb_staff_message(s, 403, "error_403_title", "error_403_text");
        return;
    }
    if (row->found && !row->found(s, params))
        return;
    if (post && row->csrf) {
        /* A body that cannot be decoded at all did not expire: it is a bad request (400),
         * told apart before the token, which is read from it. */
        const struct nb_form_body *body;
        enum nb_err berr = nb_form_staff_body(s, &body);
        if (berr != NB_OK) {
            nb_form_staff_refuse(s, berr);
            return;
        }
        char path[NB_STAFF_URL_MAX];
        int n = snprintf(path, sizeof(path), "%.*s", NB_STR_FMT(s->sub));
        if (n < 0 || (size_t)n >= sizeof(path) || !nb_staff_csrf_ok(s, path)) {
            nb_staff_message(s, 403, "error_403_title", "staff_form_expired");
            return;
        }
    }
    row->handler(s, params);
}

void nb_staff_handle(struct nb_app *app, struct nb_office_rt *o, enum nb_lang lang,
                     struct nb_str rest, struct nb_http_request *req, struct nb_http_response *res)
{
    struct nb_staff s = {.app = app,
                         .office = o,
                         .req = req,
                         .res = res,
                         .lang = lang,
                         .now = (int64_t)time(NULL),
                         .tls = req->tls};
    s.sub = (struct nb_str){rest.ptr + 7, rest.len - 7}; /* after "/intern" */
    snprintf(s.prefix, sizeof(s.prefix), "%s%s", o->base, lang == NB_LANG_EN ? "/en" : "");

    if (req->method == NB_HTTP_POST && !same_origin(&s)) {
        nb_staff_message(&s, 403, "error_403_title", "staff_form_expired");
        return;
    }
    if (s.sub.len == 0) {
        nb_staff_redirect(&s, "/");
        return;
    }
    struct matched m;
    match(s.sub, &m);
    if (m.n == 0) {
        /* Unknown to the table: the sign-in first, so that the answer tells a stranger
         * nothing about which addresses exist. */
        if (signed_in(&s))
            nb_staff_not_found(&s);
        else if (req->method == NB_HTTP_POST)
            nb_staff_message(&s, 403, "error_403_title", "staff_form_expired");
        else
            nb_staff_redirect(&s, "/anmelden");
    } else {
        dispatch(&s, &m);
    }
    nb_session_wipe(&s.session);
}
