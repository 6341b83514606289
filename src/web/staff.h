/* staff.h: the back office's request context and the helpers every staff page uses.
 * Private to web/: staff.c (sign-in, setup, sessions, dispatch) and the modules of the
 * other back-office pages (staff_*.c) share it.
 *
 * A staff page: checks nb_staff_may for the signed-in role, builds its model from
 * nb_staff_model, renders it with nb_staff_render (Cache-Control: no-store), and on a POST
 * has had the Origin checked by the dispatcher and checks the form's CSRF token with
 * nb_staff_csrf_ok. Every change is one command: nb_staff_begin, the domain's writes and
 * nb_staff_journal, nb_staff_end. */
#ifndef NB_WEB_STAFF_H
#define NB_WEB_STAFF_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/limits.h"
#include "domain/account.h"
#include "domain/session.h"
#include "http/route.h"
#include "web/app_priv.h"

struct nb_form_body;

/* What a request may want to do; the matrix in staff.c (docs/roles.md) says which roles
 * may. Deny by default: an action without a row is allowed to nobody. */
enum nb_staff_action {
    NB_ACT_OWN_SESSIONS,   /* see and end one's own sessions */
    NB_ACT_END_ALL,        /* end every session of the office (incident switch) */
    NB_ACT_JOURNAL_READ,   /* browse and filter the journal */
    NB_ACT_JOURNAL_EXPORT, /* download the journal as CSV */
    NB_ACT_STATE_EDIT,     /* set the operating state and its banner note */
    NB_ACT_CONTENT_EDIT,   /* write, preview, publish and withdraw public content */
    NB_ACT_ACCOUNTS,       /* create, reset, disable accounts, change roles, end their sessions */
    NB_ACT_SETTINGS_EDIT,  /* change the office's central contact details and Land */
    NB_ACT_COUNT
};

bool nb_staff_may(enum nb_account_role role, enum nb_staff_action action);

struct nb_staff {
    struct nb_app *app;
    struct nb_office_rt *office;
    struct nb_http_request *req;
    struct nb_http_response *res;
    enum nb_lang lang;
    struct nb_str sub; /* path below "/intern": "" or "/..." */
    char prefix[96];   /* base + "/en" for English: where the office's pages live */
    bool tls;          /* the client reached us over TLS (through the proxy) */
    int64_t now;
    /* When signed in: */
    bool signed_in;
    struct nb_session session;
    char account_name[NB_ACCOUNT_NAME_MAX + 1];
    enum nb_account_role role;
    /* The POST body decoded once (web/form.h nb_form_staff_body): */
    const struct nb_form_body *body;
    enum nb_err body_err;
    bool body_read;
};

/* The longest staff address a form token is bound to: any request target fits. */
#define NB_STAFF_URL_MAX (NB_HTTP_URI_MAX + 128u)
/* prefix + "/intern" + path into out; false when it did not fit (out is then cut short). */
bool nb_staff_url(const struct nb_staff *s, const char *path, char *out, size_t n);
/* Adds a response header (copied into the request arena); a failure turns the answer
 * into a 500. */
void nb_staff_header(struct nb_staff *s, const char *name, const char *value);
/* 303 to prefix + "/intern" + path. */
void nb_staff_redirect(struct nb_staff *s, const char *path);
/* The model every staff page shares: lang, office, page.title (from the catalog key),
 * urls, lang_switch, and when signed in account, csrf (tokens of the forms of the header
 * and the overview) and is_admin. Add a form's token with nb_staff_csrf_set. */
json_t *nb_staff_model(struct nb_staff *s, const char *title_key);
/* Sets csrf.KEY of model m to the token of the form that posts to prefix/intern + path. */
void nb_staff_csrf_set(struct nb_staff *s, json_t *m, const char *key, const char *path);
/* Renders template tpl with model m (consumed) as the answer with status; adds the
 * catalog as "t", Cache-Control: no-store and Content-Language. */
void nb_staff_render(struct nb_staff *s, unsigned status, const char *tpl, json_t *m);
/* A page with only a message (catalog keys for title and text). */
void nb_staff_message(struct nb_staff *s, unsigned status, const char *title_key,
                      const char *text_key);
/* A change of the back office is one command (store.h): nb_staff_begin opens its write
 * transaction; the domain's writes run inside it (their own transactions nest as
 * savepoints), and so do its invariant checks and reads; nb_staff_journal appends the
 * journal entry (actor, action, object, summary; this office, now) inside it;
 * nb_staff_end commits when err is NB_OK (else rolls back), returns only when the change is
 * durable, and then, with publish, has the office's public site rendered again. Change and
 * entry are kept together or not at all. Returns err, or the commit's error. */
NB_MUST_USE enum nb_err nb_staff_begin(struct nb_staff *s, struct nb_store_tx **tx);
NB_MUST_USE enum nb_err nb_staff_journal(struct nb_staff *s, struct nb_store_tx *tx,
                                         const char *actor, const char *action, const char *object,
                                         const char *summary);
NB_MUST_USE enum nb_err nb_staff_end(struct nb_staff *s, struct nb_store_tx **tx, enum nb_err err,
                                     bool publish);
/* A field of the POST body (urlencoded or multipart); empty when absent or malformed. */
struct nb_str nb_staff_field(struct nb_staff *s, const char *name);
/* Form helpers of the editors. nb_staff_set_text sets obj.key to the view (an empty string
 * when it is not valid UTF-8, which the field's own check then reports); nb_staff_set_error
 * sets obj.key to msg when msg is not NULL; nb_staff_text_max is the catalog text of key
 * with {max} filled in, copied into the request arena. */
void nb_staff_set_text(json_t *obj, const char *key, struct nb_str v);
void nb_staff_set_error(json_t *obj, const char *key, const char *msg);
const char *nb_staff_text_max(struct nb_staff *s, const char *key, unsigned max);
/* The string member key of obj, or "" when obj has none (or it is not a string). */
const char *nb_staff_str(json_t *obj, const char *key);
/* Does an object of array list have the member "slug" equal to slug? */
bool nb_staff_has_slug(json_t *list, struct nb_str slug);
/* The catalog text of key with the placeholder {name} filled in with value, copied into the
 * request arena ("" on failure). */
const char *nb_staff_format(struct nb_staff *s, const char *key, const char *name,
                            const char *value);
/* The message next to a field whose check (domain/check.h) answered err: NULL for NB_OK,
 * nb_staff_text_max(long_key, max) for NB_ERR_LIMIT, the text of invalid_key otherwise. */
const char *nb_staff_check_message(struct nb_staff *s, enum nb_err err, const char *long_key,
                                   unsigned max, const char *invalid_key);

/* A local (Europe/Berlin) date and time for the staff pages: "15.10.2021 07:30" in German,
 * "2021-10-15 07:30" in English. */
void nb_staff_time_text(enum nb_lang lang, int64_t at, char *out, size_t n);
/* The confirmation named by the query parameter "hinweis": table holds pairs of (value,
 * catalog key); NULL when the parameter is absent or unknown. */
const char *nb_staff_query_notice(struct nb_staff *s, const char *const (*table)[2], size_t n);

/* The HTML of Markdown md as the public site renders it, its headings shifted down by
 * heading_shift levels, copied into the request arena; NULL on failure (logged). */
const char *nb_staff_markdown(struct nb_staff *s, struct nb_str md, int heading_shift);

/* A text published in immutable versions (a standing page's or a notice's language), as
 * its editor's history table and its read-only version pages show it (staff_versions.c).
 * Version objects have version, title, body_md, author and the time under time_key. */
struct nb_staff_versioned {
    const char *base;     /* the editor's path below /intern; versions live at base/versionen/N */
    const char *lang;     /* the text's language tag */
    const char *time_key; /* "updated_at" (pages) or "published_at" (notices) */
    int64_t total;        /* how many versions the language has (the newest one's number) */
};
/* The model of the partial staff_history: rows for versions (an array of version objects,
 * newest first, at most NB_HISTORY_ROWS of them, borrowed), each linking to its page, and
 * how many older ones it leaves out. */
json_t *nb_staff_history_model(struct nb_staff *s, const struct nb_staff_versioned *t,
                               json_t *versions);
/* Renders the read-only page (template staff_version) of version v (borrowed) of text t:
 * title is the page's heading, subject_label/subject say what the text is ("Seite:
 * Impressum"), lang_label names its language, back_label the link back to base;
 * heading_shift as for nb_staff_markdown. */
struct nb_staff_version_view {
    const char *title, *subject_label, *subject, *lang_label, *back_label;
    int heading_shift;
};
void nb_staff_version_page(struct nb_staff *s, const struct nb_staff_versioned *t, json_t *v,
                           const struct nb_staff_version_view *view);

/* Does the POST carry the CSRF token of the form that posts to prefix/intern + path? */
bool nb_staff_csrf_ok(struct nb_staff *s, const char *path);

/* ---- the route table ----------------------------------------------------------------------
 * Every back-office address is one row: method, pattern below /intern (http/route.h), who
 * may use it, whether a POST needs the form's CSRF token, and the handler. The dispatcher
 * (nb_staff_handle) and `notbetrieb routes` read the rows, and so does the role-matrix test
 * (through `notbetrieb routes`). For a request the dispatcher takes the rows whose patterns
 * match its path most specifically (http/route.h; 404 when none does), and then, in order:
 *   - not signed in and the row is not open: GET is sent to the sign-in, POST gets 403;
 *   - the role may use none of those rows: 403 (for every method, so the answer tells
 *     nothing about the address);
 *   - no row has the request's method: 405 with Allow (HEAD is GET);
 *   - the role may not use this row: 403;
 *   - the row names an object (found) that this office does not have: 404, whatever the
 *     token, so another office's names and ids are simply not there;
 *   - a POST row with csrf and the token of the form that posts to this address missing or
 *     wrong: 403 "form expired";
 *   - the handler, with the placeholders' values (views into the decoded path). */
enum nb_staff_gate {
    NB_GATE_OPEN,      /* no session needed: sign-in and account setup */
    NB_GATE_SIGNED_IN, /* any signed-in account */
    NB_GATE_ROLE,      /* a signed-in account whose role may do action */
};

struct nb_staff_route {
    enum nb_http_method method; /* NB_HTTP_GET (answers HEAD too) or NB_HTTP_POST */
    const char *pattern;        /* below /intern, e.g. "/meldungen/{slug}/{lang}" */
    enum nb_staff_gate gate;
    enum nb_staff_action action; /* with NB_GATE_ROLE */
    bool csrf;                   /* a POST that must carry the form's token */
    void (*handler)(struct nb_staff *s, const struct nb_route_params *p);
    /* Optional: looks up the object the address names; when it is not there it answers
     * (404, or 503 when the store fails) and returns false. */
    bool (*found)(struct nb_staff *s, const struct nb_route_params *p);
};

/* Access of the rows that write, preview and publish public content (most of them). */
#define NB_STAFF_CONTENT NB_GATE_ROLE, NB_ACT_CONTENT_EDIT

/* The rows of one module. */
struct nb_staff_routes {
    const char *module; /* "staff_notices.c" */
    const struct nb_staff_route *rows;
    size_t n;
};
#define NB_STAFF_ROUTES(module, rows)                                                              \
    {                                                                                              \
        module, rows, sizeof(rows) / sizeof((rows)[0])                                             \
    }

/* The modules' tables, in the order the dispatcher reads them. */
extern const struct nb_staff_routes *const nb_staff_route_tables[];
extern const size_t nb_staff_route_tables_len;

/* The docs name of an action ("content_edit"), and of a gate ("open", "signed_in"). */
const char *nb_staff_action_name(enum nb_staff_action action);

/* The last segment of the address below /intern ("sperren" of "/konten/ben/sperren"): the
 * word that tells apart rows that share a handler. */
struct nb_str nb_staff_last_segment(const struct nb_staff *s);

/* Answers 404 (the office's "not found" page). */
void nb_staff_not_found(struct nb_staff *s);

/* The tables of the modules (each file's own rows; staff.c has the sign-in's). */
extern const struct nb_staff_routes nb_staff_journal_routes;     /* staff_journal.c */
extern const struct nb_staff_routes nb_staff_state_routes;       /* staff_state.c */
extern const struct nb_staff_routes nb_staff_press_routes;       /* staff_press.c */
extern const struct nb_staff_routes nb_staff_notices_routes;     /* staff_notices.c */
extern const struct nb_staff_routes nb_staff_accounts_routes;    /* staff_accounts.c */
extern const struct nb_staff_routes nb_staff_services_routes;    /* staff_services.c */
extern const struct nb_staff_routes nb_staff_hours_routes;       /* staff_hours.c */
extern const struct nb_staff_routes nb_staff_departments_routes; /* staff_departments.c */

#endif
