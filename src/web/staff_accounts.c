/* staff_accounts.c: the office's staff accounts in the back office (/intern/konten), for the
 * roles with NB_ACT_ACCOUNTS (admins): the list with role, state and live sessions; creating
 * an account; changing its role; disabling it (which ends its sessions); resetting it; and
 * ending its sessions.
 *
 * A setup link exists in clear only in the answer to the POST that made it (create, reset):
 * that page is rendered directly, not after a redirect, and like every staff page is sent
 * no-store, so reloading the list never shows it again. Other changes redirect (303) back to
 * the list with a notice.
 *
 * Every account is looked up by name within the request's office only, so a name of another
 * office's account in the URL is simply not found (404). The office must keep an active
 * admin: the last active admin cannot demote, disable or reset their account (409). The
 * check reads the list and then acts in a second transaction; two admins demoting each other
 * at the same instant could both pass it, which the command line can repair. */
#include "web/staff.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "http/parse.h"
#include "view/i18n.h"

#define PATH "/konten"

static const enum nb_account_role roles[] = {NB_ROLE_ADMIN, NB_ROLE_EDITOR, NB_ROLE_CASEWORKER,
                                             NB_ROLE_DPO};

/* What the page shows besides the list. */
struct outcome {
    const char *notice;    /* a catalog text after a change */
    const char *error;     /* a catalog text for a refused change */
    const char *link;      /* a setup link to show once, with link_name */
    const char *link_name; /* the account the link is for */
    struct nb_str name;    /* the create form's name as typed */
    const char *name_error, *role_error;
};

static const char *role_label(struct nb_staff *s, const char *role)
{
    char key[40];
    snprintf(key, sizeof(key), "role_%s", role);
    return nb_i18n_get(s->lang, key);
}

/* The role options of a select, with selected marking the role given. */
static json_t *role_options(struct nb_staff *s, const char *selected)
{
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        const char *name = nb_account_role_name(roles[i]);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", name, "label",
                                              role_label(s, name), "selected",
                                              selected && strcmp(selected, name) == 0));
    }
    return list;
}

static void render(struct nb_staff *s, unsigned status, const struct outcome *o)
{
    json_t *list = NULL;
    if (nb_account_list(nb_app_store(s->app), s->office->id, s->now, &list) != NB_OK) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    json_t *m = nb_staff_model(s, "title_staff_accounts");
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a)
    {
        const char *name = json_string_value(json_object_get(a, "name"));
        const char *role = json_string_value(json_object_get(a, "role"));
        const char *state = json_string_value(json_object_get(a, "state"));
        if (!name || !role || !state)
            continue;
        char key[48], path[NB_ACCOUNT_NAME_MAX + 64], url[NB_ACCOUNT_NAME_MAX + 200];
        json_object_set_new(a, "role_label", json_string(role_label(s, role)));
        snprintf(key, sizeof(key), "staff_accounts_state_%s", state);
        json_object_set_new(a, "state_label", json_string(nb_i18n_get(s->lang, key)));
        json_object_set_new(a, "roles", role_options(s, role));
        json_object_set_new(a, "self", json_boolean(strcmp(name, s->account_name) == 0));
        json_object_set_new(a, "may_disable", json_boolean(strcmp(state, "disabled") != 0));
        static const char *const forms[][2] = {{"role", "rolle"},
                                               {"disable", "sperren"},
                                               {"reset", "zuruecksetzen"},
                                               {"end", "sitzungen-beenden"}};
        for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
            snprintf(path, sizeof(path), PATH "/%s/%s", name, forms[k][1]);
            nb_staff_url(s, path, url, sizeof(url));
            char akey[24], ckey[24];
            snprintf(akey, sizeof(akey), "%s_action", forms[k][0]);
            snprintf(ckey, sizeof(ckey), "%s_csrf", forms[k][0]);
            json_object_set_new(a, akey, json_string(url));
            /* The token goes on the row; nb_staff_csrf_set writes into the model's csrf. */
            char token[NB_CSRF_TOKEN_SIZE];
            nb_csrf_token(&s->session, nb_str_c(url), token);
            json_object_set_new(a, ckey, json_string(token));
        }
    }
    json_object_set_new(m, "accounts", list);
    char create[NB_STAFF_URL_MAX];
    nb_staff_url(s, PATH "/neu", create, sizeof(create));
    nb_staff_csrf_set(s, m, "create", PATH "/neu");
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(create));
    json_t *name = json_stringn(o->name.ptr ? o->name.ptr : "", o->name.len);
    json_object_set_new(form, "name", name ? name : json_string(""));
    json_object_set_new(form, "roles", role_options(s, "editor"));
    if (o->name_error)
        json_object_set_new(form, "name_error", json_string(o->name_error));
    if (o->role_error)
        json_object_set_new(form, "role_error", json_string(o->role_error));
    json_object_set_new(m, "form", form);
    if (o->notice)
        json_object_set_new(m, "notice", json_string(o->notice));
    if (o->error)
        json_object_set_new(m, "error", json_string(o->error));
    if (o->link)
        json_object_set_new(m, "setup",
                            json_pack("{s:s, s:s}", "link", o->link, "name", o->link_name));
    nb_staff_render(s, status, "staff_accounts", m);
}

static void list_page(struct nb_staff *s)
{
    struct outcome o = {0};
    struct nb_str q;
    if (nb_http_query_get(s->req->query, "hinweis", &s->req->arena, &q) == NB_OK) {
        const char *key = nb_str_eq_c(q, "rolle")      ? "staff_accounts_role_saved"
                          : nb_str_eq_c(q, "gesperrt") ? "staff_accounts_disabled"
                          : nb_str_eq_c(q, "beendet")  ? "staff_accounts_ended"
                                                       : NULL;
        if (key)
            o.notice = nb_i18n_get(s->lang, key);
    }
    render(s, 200, &o);
}

/* The setup link as the CLI prints it: the office's base path, then the setup path. */
static const char *link_text(struct nb_staff *s, const struct nb_account_link *l)
{
    char link[256];
    snprintf(link, sizeof(link), "%s" NB_ACCOUNT_SETUP_PATH "%s", s->office->base, l->token);
    const char *out = nb_arena_strndup(&s->req->arena, link, strlen(link));
    return out ? out : "";
}

static void create_post(struct nb_staff *s)
{
    struct outcome o = {.name = nb_str_trim(nb_staff_field(s, "name"))};
    enum nb_account_role role = NB_ROLE_EDITOR;
    if (nb_account_role_parse(nb_staff_field(s, "role"), &role) != NB_OK) {
        o.role_error = nb_i18n_get(s->lang, "staff_accounts_role_invalid");
        render(s, 422, &o);
        return;
    }
    /* The stored name is the lowered one. */
    char name[NB_ACCOUNT_NAME_MAX + 1];
    size_t n = o.name.len < NB_ACCOUNT_NAME_MAX ? o.name.len : NB_ACCOUNT_NAME_MAX;
    for (size_t i = 0; i < n; i++)
        name[i] = (o.name.ptr[i] >= 'A' && o.name.ptr[i] <= 'Z') ? (char)(o.name.ptr[i] + 32)
                                                                 : o.name.ptr[i];
    name[n] = '\0';
    char object[NB_ACCOUNT_NAME_MAX + 16], summary[64];
    snprintf(object, sizeof(object), "account/%s", name);
    snprintf(summary, sizeof(summary), "created with role %s", nb_account_role_name(role));
    struct nb_account_link l;
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_account_create(nb_app_store(s->app), s->office->id, o.name, role, s->now, &l);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "account.create", object, summary);
    err = nb_staff_end(s, &tx, err, false);
    if (err == NB_ERR_INPUT || err == NB_ERR_CONFLICT) {
        o.name_error = nb_i18n_get(s->lang, err == NB_ERR_INPUT ? "staff_accounts_name_invalid"
                                                                : "staff_accounts_name_taken");
        render(s, err == NB_ERR_INPUT ? 422 : 409, &o);
        return;
    }
    if (err != NB_OK) {
        nb_log_error("staff.accounts", "create error=%s", nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    struct outcome done = {.notice = nb_i18n_get(s->lang, "staff_accounts_created"),
                           .link = link_text(s, &l),
                           .link_name = nb_arena_strndup(&s->req->arena, name, n)};
    if (!done.link_name)
        done.link_name = "";
    render(s, 200, &done);
}

/* Would this change leave the office without an active admin? True when acc is an active
 * admin and the only one. */
static enum nb_err last_admin(struct nb_staff *s, json_t *acc, bool *last)
{
    *last = false;
    const char *role = json_string_value(json_object_get(acc, "role"));
    const char *state = json_string_value(json_object_get(acc, "state"));
    if (!role || !state || strcmp(role, "admin") != 0 || strcmp(state, "active") != 0)
        return NB_OK;
    json_t *list = NULL;
    enum nb_err err = nb_account_list(nb_app_store(s->app), s->office->id, s->now, &list);
    if (err)
        return err;
    size_t i, admins = 0;
    json_t *a;
    json_array_foreach(list, i, a)
    {
        const char *r = json_string_value(json_object_get(a, "role"));
        const char *st = json_string_value(json_object_get(a, "state"));
        if (r && st && strcmp(r, "admin") == 0 && strcmp(st, "active") == 0)
            admins++;
    }
    json_decref(list);
    *last = admins <= 1;
    return NB_OK;
}

static void fail(struct nb_staff *s, const char *what, enum nb_err err)
{
    if (err == NB_ERR_NOTFOUND) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    nb_log_error("staff.accounts", "%s error=%s", what, nb_err_str(err));
    nb_staff_message(s, 503, "error_500_title", "error_500_text");
}

/* What POST /konten/NAME/ACTION does: path word, journal action, what a failure is
 * logged as, and whether the office must keep an active admin after it. */
enum account_op { OP_ROLE, OP_DISABLE, OP_RESET, OP_END_SESSIONS };
static const struct {
    const char *word, *action, *what;
    bool needs_admin_left;
} ops[] = {
    [OP_ROLE] = {"rolle", "account.role", "role", true},
    [OP_DISABLE] = {"sperren", "account.disable", "disable", true},
    /* A reset forgets the credentials at once: for the last admin that is a lock-out. */
    [OP_RESET] = {"zuruecksetzen", "account.reset", "reset", true},
    [OP_END_SESSIONS] = {"sitzungen-beenden", "session.end_account", "end sessions", false},
};

/* POST /konten/NAME/ACTION for the account name (found in this office). One command: the
 * account is read again inside it, so the last-admin check sees what the change will
 * change; two admins locking each other cannot both pass it. */
static void account_post(struct nb_staff *s, const char *name, struct nb_str action)
{
    size_t op_i = sizeof(ops) / sizeof(ops[0]);
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (nb_str_eq_c(action, ops[i].word))
            op_i = i;
    if (op_i == sizeof(ops) / sizeof(ops[0])) {
        nb_staff_not_found(s);
        return;
    }
    enum account_op op = (enum account_op)op_i;
    enum nb_account_role role = NB_ROLE_EDITOR;
    if (op == OP_ROLE && nb_account_role_parse(nb_staff_field(s, "role"), &role) != NB_OK) {
        struct outcome o = {.error = nb_i18n_get(s->lang, "staff_accounts_role_invalid")};
        render(s, 422, &o);
        return;
    }
    struct nb_store *store = nb_app_store(s->app);
    struct nb_str n = nb_str_c(name);
    char object[NB_ACCOUNT_NAME_MAX + 16], summary[96] = "";
    snprintf(object, sizeof(object), "account/%s", name);
    bool last = false;
    int ended = 0;
    struct nb_account_link l;
    json_t *acc = NULL;
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (!err)
        err = nb_account_find(store, s->office->id, n, &acc);
    int64_t id = json_integer_value(json_object_get(acc, "id"));
    if (!err && ops[op].needs_admin_left && !(op == OP_ROLE && role == NB_ROLE_ADMIN))
        err = last_admin(s, acc, &last);
    if (!err && last)
        err = NB_ERR_CONFLICT;
    if (!err && op == OP_ROLE) {
        const char *old_role = json_string_value(json_object_get(acc, "role"));
        err = nb_account_set_role(store, s->office->id, n, role, s->now);
        snprintf(summary, sizeof(summary), "role %s -> %s", old_role ? old_role : "?",
                 nb_account_role_name(role));
    }
    if (!err && op == OP_DISABLE)
        err = nb_account_disable(store, s->office->id, n, s->now);
    if (!err && op == OP_RESET)
        err = nb_account_reset(store, s->office->id, n, s->now, &l);
    /* After a reset the sessions would be refused anyway (the account is no longer active);
     * ending them keeps the list honest. */
    if (!err && op != OP_ROLE)
        err = nb_session_end_all_of_account(store, s->office->id, id, &ended);
    if (op == OP_DISABLE)
        snprintf(summary, sizeof(summary), "account disabled, %d sessions ended", ended);
    else if (op == OP_RESET)
        snprintf(summary, sizeof(summary), "credentials forgotten, new setup link issued");
    else if (op == OP_END_SESSIONS)
        snprintf(summary, sizeof(summary), "ended %d sessions of the account", ended);
    if (!err)
        err = nb_staff_journal(s, tx, s->account_name, ops[op].action, object, summary);
    json_decref(acc);
    err = nb_staff_end(s, &tx, err, false);
    if (last) {
        struct outcome o = {.error = nb_i18n_get(s->lang, "staff_accounts_last_admin")};
        render(s, 409, &o);
        return;
    }
    if (err) {
        fail(s, ops[op].what, err);
        return;
    }
    if (op == OP_RESET) {
        struct outcome o = {.notice = nb_i18n_get(s->lang, "staff_accounts_reset_done"),
                            .link = link_text(s, &l),
                            .link_name = name};
        render(s, 200, &o);
        sodium_memzero(&l, sizeof(l));
        return;
    }
    static const char *const back[] = {
        [OP_ROLE] = PATH "?hinweis=rolle",
        [OP_DISABLE] = PATH "?hinweis=gesperrt",
        [OP_END_SESSIONS] = PATH "?hinweis=beendet",
    };
    nb_staff_redirect(s, back[op]);
}

/* ---- routes --------------------------------------------------------------------------- */

static void route_list(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    list_page(s);
}

static void route_create(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    create_post(s);
}

/* POST /konten/NAME/ACTION. Only this office's accounts are found; an unknown name is a
 * 404. */
static void route_account(struct nb_staff *s, const struct nb_route_params *p)
{
    json_t *acc = NULL;
    const char *stored = NULL;
    if (nb_account_find(nb_app_store(s->app), s->office->id, p->v[0], &acc) == NB_OK)
        stored = json_string_value(json_object_get(acc, "name"));
    char name[NB_ACCOUNT_NAME_MAX + 1];
    snprintf(name, sizeof(name), "%s", stored ? stored : "");
    json_decref(acc);
    if (!stored)
        nb_staff_not_found(s);
    else
        account_post(s, name, nb_staff_last_segment(s));
}

static bool account_found(struct nb_staff *s, const struct nb_route_params *p)
{
    json_t *acc = NULL;
    enum nb_err err = nb_account_find(nb_app_store(s->app), s->office->id, p->v[0], &acc);
    json_decref(acc);
    if (err != NB_OK)
        fail(s, "find", err);
    return err == NB_OK;
}

#define AC NB_GATE_ROLE, NB_ACT_ACCOUNTS
static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, PATH, AC, false, route_list, NULL},
    {NB_HTTP_POST, PATH "/neu", AC, true, route_create, NULL},
    {NB_HTTP_POST, PATH "/{name}/rolle", AC, true, route_account, account_found},
    {NB_HTTP_POST, PATH "/{name}/sperren", AC, true, route_account, account_found},
    {NB_HTTP_POST, PATH "/{name}/zuruecksetzen", AC, true, route_account, account_found},
    {NB_HTTP_POST, PATH "/{name}/sitzungen-beenden", AC, true, route_account, account_found},
};
#undef AC
const struct nb_staff_routes nb_staff_accounts_routes = NB_STAFF_ROUTES("staff_accounts.c", rows);
