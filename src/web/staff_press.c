/* staff_press.c: the back-office pages for press updates (/intern/presse), for the roles
 * with NB_ACT_CONTENT_EDIT.
 *
 * /presse lists every update of the office, newest first, withdrawn ones included;
 * /presse/neu writes a new one, published at once with the current time (so it is filed
 * under this ISO week); /presse/SLUG corrects its German and English texts; POSTs to
 * /presse/SLUG/zurueckziehen and /veroeffentlichen hide and show it again. The forms are
 * plain HTML. The preview button renders the Markdown on the server and returns the form
 * with what was typed, saving nothing. A POST that fails validation gets the form back with
 * 422, the values as typed and a message next to each wrong field. Each change is written
 * to the journal (object "press/SLUG", no personal data), the public snapshot is rendered
 * again (nb_app_publish) and the answer is a 303 to a page with a confirmation. */
#include "web/staff.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/check.h"
#include "domain/press.h"
#include "http/parse.h"
#include "view/i18n.h"
#include "view/markdown.h"
#include "web/form.h"

#define PATH "/presse"
#define PATH_NEW "/presse/neu"
#define WITHDRAW "zurueckziehen"
#define PUBLISH "veroeffentlichen"

/* The fields of the form. An existing update keeps its slug: its form reads the fields
 * before F_SLUG only. */
enum { F_TITLE_DE, F_BODY_DE, F_TITLE_EN, F_BODY_EN, F_PREVIEW, F_SLUG, F_COUNT };
#define TITLE(n, l, req)                                                                           \
    {                                                                                              \
        .name = n, .kind = NB_FORM_LINE, .max = NB_TITLE_MAX, .lang = l, .required = req,          \
        .label_key = "staff_press_title_" l, .missing_key = "staff_press_title_missing",           \
        .long_key = "staff_press_title_long", .invalid_key = "staff_press_title_invalid"           \
    }
#define BODY(n, l, req)                                                                            \
    {                                                                                              \
        .name = n, .kind = NB_FORM_TEXT, .max = NB_MARKDOWN_MAX, .lang = l, .required = req,       \
        .label_key = "staff_press_body_" l, .missing_key = "staff_press_body_missing",             \
        .long_key = "staff_press_body_long", .invalid_key = "staff_press_body_invalid"             \
    }
static const struct nb_form_field fields[F_COUNT] = {
    [F_TITLE_DE] = TITLE("title_de", "de", true),
    [F_BODY_DE] = BODY("body_de", "de", true),
    [F_TITLE_EN] = TITLE("title_en", "en", false),
    [F_BODY_EN] = BODY("body_en", "en", false),
    [F_PREVIEW] = {.name = "preview", .kind = NB_FORM_BOOL},
    [F_SLUG] = {.name = "slug",
                .kind = NB_FORM_SLUG,
                .required = true,
                .label_key = "staff_press_slug",
                .invalid_key = "staff_press_slug_invalid"},
};
#undef TITLE
#undef BODY

/* What the form shows: the fields, and for an existing update its slug and state. */
struct form {
    bool is_new;
    struct nb_str slug;
    json_t *update; /* the stored update when editing (borrowed) */
    struct nb_form in;
};

/* Confirmations after a change, named by ?hinweis=. */
static const char *const notices[][2] = {
    {"veroeffentlicht", "staff_press_created"},
    {"gespeichert", "staff_press_saved"},
    {"zurueckgezogen", "staff_press_withdrawn"},
    {"wieder", "staff_press_republished"},
};

/* "KW 50/2021" of an update (nb_press_list and nb_press_get add iso_year and iso_week). */
static json_t *week_text(struct nb_staff *s, json_t *p)
{
    char week[8], year[8];
    snprintf(week, sizeof(week), "%d", (int)json_integer_value(json_object_get(p, "iso_week")));
    snprintf(year, sizeof(year), "%d", (int)json_integer_value(json_object_get(p, "iso_year")));
    struct nb_buf b;
    nb_buf_init(&b, 256);
    nb_i18n_format(&b, s->lang, "press_week", "week", week, "year", year, (char *)NULL);
    json_t *out = json_stringn(b.ptr ? b.ptr : "", b.len);
    nb_buf_free(&b);
    return out ? out : json_string("");
}

/* The public week page of an update: prefix + "/presse/YYYY-kwWW". */
static void public_href(struct nb_staff *s, json_t *p, char *out, size_t n)
{
    snprintf(out, n, "%s/presse/%04d-kw%02d", s->prefix,
             (int)json_integer_value(json_object_get(p, "iso_year")),
             (int)json_integer_value(json_object_get(p, "iso_week")));
}

/* ---- list ------------------------------------------------------------------------------ */

static void list_page(struct nb_staff *s)
{
    json_t *list = NULL;
    if (nb_press_list(nb_app_store(s->app), s->office->id, false, &list) != NB_OK) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    json_t *m = nb_staff_model(s, "title_staff_press");
    json_t *rows = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        const char *slug = json_string_value(json_object_get(p, "slug"));
        json_t *texts = json_object_get(p, "texts");
        json_t *shown = json_object_get(texts, s->lang == NB_LANG_EN ? "en" : "de");
        if (!shown)
            shown = json_object_get(texts, "de");
        const char *title = json_string_value(json_object_get(shown, "title"));
        /* The languages as "de, en", in the order the store keeps them. */
        struct nb_buf langs;
        nb_buf_init(&langs, 512);
        const char *tag;
        json_t *t;
        json_object_foreach(texts, tag, t)
        {
            if (langs.len)
                nb_buf_add_c(&langs, ", ");
            nb_buf_add_c(&langs, tag);
        }
        char path[NB_SLUG_MAX + 16], href[NB_STAFF_URL_MAX], at[40];
        snprintf(path, sizeof(path), PATH "/%s", slug ? slug : "");
        nb_staff_url(s, path, href, sizeof(href));
        nb_staff_time_text(s->lang, json_integer_value(json_object_get(p, "published_at")), at,
                           sizeof(at));
        bool published = json_is_true(json_object_get(p, "published"));
        json_t *row = json_object();
        nb_staff_set_text(row, "title", nb_str_c(title));
        nb_staff_set_text(row, "slug", nb_str_c(slug));
        json_object_set_new(row, "href", json_string(href));
        json_object_set_new(row, "week", week_text(s, p));
        json_object_set_new(row, "published_at", json_string(at));
        nb_staff_set_text(row, "languages", (struct nb_str){langs.ptr ? langs.ptr : "", langs.len});
        json_object_set_new(row, "published", json_boolean(published));
        json_object_set_new(
            row, "status",
            json_string(nb_i18n_get(s->lang, published ? "staff_press_status_published"
                                                       : "staff_press_status_withdrawn")));
        nb_buf_free(&langs);
        json_array_append_new(rows, row);
    }
    json_decref(list);
    json_object_set_new(m, "has_updates", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(m, "updates", rows);
    char href[NB_STAFF_URL_MAX];
    nb_staff_url(s, PATH_NEW, href, sizeof(href));
    json_object_set_new(m, "new_href", json_string(href));
    const char *notice = nb_staff_query_notice(s, notices, sizeof(notices) / sizeof(notices[0]));
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    nb_staff_render(s, 200, "staff_press", m);
}

/* ---- the form -------------------------------------------------------------------------- */

static json_t *preview_of(struct nb_staff *s, const char *lang, struct nb_str title,
                          struct nb_str body)
{
    const char *html = nb_staff_markdown(s, body, 1);
    if (!html)
        return NULL;
    json_t *p = json_object();
    json_object_set_new(p, "lang", json_string(lang));
    nb_staff_set_text(p, "title", nb_str_trim(title));
    json_object_set_new(p, "html", json_string(html));
    return p;
}

static void render_form(struct nb_staff *s, unsigned status, const struct form *f, bool preview,
                        const char *notice)
{
    json_t *m = nb_staff_model(s, f->is_new ? "title_staff_press_new" : "title_staff_press_edit");
    char path[NB_SLUG_MAX + 40], action[NB_STAFF_URL_MAX];
    if (f->is_new)
        snprintf(path, sizeof(path), "%s", PATH_NEW);
    else
        snprintf(path, sizeof(path), PATH "/%.*s", NB_STR_FMT(f->slug));
    nb_staff_csrf_set(s, m, "press", path);
    nb_staff_url(s, path, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(action));
    json_object_set_new(form, "is_new", json_boolean(f->is_new));
    json_object_set_new(form, "slug_hint",
                        json_string(nb_staff_text_max(s, "staff_press_slug_hint", NB_SLUG_MAX)));
    json_object_set_new(form, "title_hint",
                        json_string(nb_staff_text_max(s, "staff_press_title_hint", NB_TITLE_MAX)));
    json_object_set_new(
        form, "body_hint",
        json_string(nb_staff_text_max(s, "staff_press_body_hint", NB_MARKDOWN_MAX)));
    json_object_set_new(m, "form", form);

    if (f->update) {
        /* The state of the stored update, and the form that withdraws or republishes it. */
        bool published = json_is_true(json_object_get(f->update, "published"));
        char tpath[NB_SLUG_MAX + 40], taction[NB_STAFF_URL_MAX], href[NB_STAFF_URL_MAX], at[40];
        snprintf(tpath, sizeof(tpath), PATH "/%.*s/%s", NB_STR_FMT(f->slug),
                 published ? WITHDRAW : PUBLISH);
        nb_staff_csrf_set(s, m, "toggle", tpath);
        nb_staff_url(s, tpath, taction, sizeof(taction));
        public_href(s, f->update, href, sizeof(href));
        nb_staff_time_text(s->lang, json_integer_value(json_object_get(f->update, "published_at")),
                           at, sizeof(at));
        json_t *u = json_object();
        json_object_set_new(u, "published", json_boolean(published));
        json_object_set_new(
            u, "status",
            json_string(nb_i18n_get(s->lang, published ? "staff_press_status_published"
                                                       : "staff_press_status_withdrawn")));
        json_object_set_new(u, "week", week_text(s, f->update));
        json_object_set_new(u, "published_at", json_string(at));
        json_object_set_new(u, "public_href", json_string(href));
        json_object_set_new(u, "toggle_action", json_string(taction));
        json_object_set_new(m, "update", u);
    }

    if (preview) {
        json_t *list = json_array();
        const struct nb_form_value *v = f->in.v;
        json_t *p = preview_of(s, "de", v[F_TITLE_DE].text, v[F_BODY_DE].text);
        if (p)
            json_array_append_new(list, p);
        if (nb_str_trim(v[F_BODY_EN].text).len &&
            (p = preview_of(s, "en", v[F_TITLE_EN].text, v[F_BODY_EN].text)))
            json_array_append_new(list, p);
        json_object_set_new(m, "has_previews", json_boolean(json_array_size(list) > 0));
        json_object_set_new(m, "previews", list);
    }
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    char back[NB_STAFF_URL_MAX];
    nb_staff_url(s, PATH, back, sizeof(back));
    json_object_set_new(m, "list_href", json_string(back));
    if (!f->is_new)
        nb_staff_set_text(form, "slug", f->slug);
    nb_form_staff_render(s, status, "staff_press_edit", &f->in, m, form);
}

/* Reads and checks the form (slug included for a new update); false when the body could
 * not be read (answered). English is optional, but never half. */
static bool read_form(struct nb_staff *s, struct form *f)
{
    if (!nb_form_staff_read(s, &f->in, fields, f->is_new ? F_COUNT : F_SLUG))
        return false;
    const struct nb_form_value *v = f->in.v;
    bool has_title_en = v[F_TITLE_EN].text.len > 0 || v[F_TITLE_EN].error;
    bool has_body_en = nb_str_trim(v[F_BODY_EN].text).len > 0 || v[F_BODY_EN].error;
    if (has_title_en && !has_body_en)
        nb_form_fail(&f->in, F_BODY_EN, nb_i18n_get(s->lang, "staff_press_body_en_missing"));
    else if (has_body_en && !has_title_en)
        nb_form_fail(&f->in, F_TITLE_EN, nb_i18n_get(s->lang, "staff_press_title_en_missing"));
    else if (!has_title_en && f->update &&
             json_object_get(json_object_get(f->update, "texts"), "en"))
        /* The store corrects a language's text but does not remove it. */
        nb_form_fail(&f->in, F_TITLE_EN, nb_i18n_get(s->lang, "staff_press_en_kept"));
    return true;
}

/* The texts to store: German, and English when given. Returns the count. */
static size_t texts_of(const struct form *f, struct nb_store_press_text t[2])
{
    const struct nb_form_value *v = f->in.v;
    size_t n = 0;
    t[n++] = (struct nb_store_press_text){NB_STR("de"), v[F_TITLE_DE].text, v[F_BODY_DE].text};
    if (v[F_TITLE_EN].text.len)
        t[n++] = (struct nb_store_press_text){NB_STR("en"), v[F_TITLE_EN].text, v[F_BODY_EN].text};
    return n;
}

static void new_page(struct nb_staff *s)
{
    struct form f = {.is_new = true};
    nb_form_init(&f.in, fields, F_COUNT, s->lang, &s->req->arena);
    render_form(s, 200, &f, false, NULL);
}

static void new_post(struct nb_staff *s)
{
    struct form f = {.is_new = true};
    if (!read_form(s, &f))
        return;
    f.slug = f.in.v[F_SLUG].text;
    /* "neu" is the address of this form, so no update can be reached under it. */
    if (nb_str_eq_c(f.slug, "neu"))
        nb_form_fail(&f.in, F_SLUG, nb_i18n_get(s->lang, "staff_press_slug_invalid"));
    if (f.in.errors) {
        render_form(s, 422, &f, false, NULL);
        return;
    }
    if (f.in.v[F_PREVIEW].on) {
        render_form(s, 200, &f, true, NULL);
        return;
    }
    struct nb_store_press_text t[2];
    size_t n = texts_of(&f, t);
    char object[NB_SLUG_MAX + 16];
    snprintf(object, sizeof(object), "press/%.*s", NB_STR_FMT(f.slug));
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_press_create(nb_app_store(s->app), s->office->id, f.slug, s->now, t, n, s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "press.create", object,
                               n == 2 ? "published with texts de, en" : "published with text de");
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_CONFLICT) {
        nb_form_fail(&f.in, F_SLUG, nb_i18n_get(s->lang, "staff_press_slug_taken"));
        render_form(s, 422, &f, false, NULL);
        return;
    }
    if (err != NB_OK) {
        nb_log_error("staff.press", "office=%s error=%s", s->office->slug, nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    nb_staff_redirect(s, PATH "?hinweis=veroeffentlicht");
}

/* The stored update of slug into *out; answers 404 or 503 itself and returns false. */
static bool load(struct nb_staff *s, struct nb_str slug, json_t **out)
{
    enum nb_err err = nb_press_get(nb_app_store(s->app), s->office->id, slug, out);
    if (err == NB_OK)
        return true;
    if (err == NB_ERR_NOTFOUND)
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
    else
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
    return false;
}

static void edit_page(struct nb_staff *s, struct nb_str slug)
{
    json_t *p = NULL;
    if (!load(s, slug, &p))
        return;
    json_t *texts = json_object_get(p, "texts");
    json_t *de = json_object_get(texts, "de"), *en = json_object_get(texts, "en");
    struct form f = {.slug = slug, .update = p};
    nb_form_init(&f.in, fields, F_SLUG, s->lang, &s->req->arena);
    nb_form_set(&f.in, F_TITLE_DE, nb_str_c(json_string_value(json_object_get(de, "title"))));
    nb_form_set(&f.in, F_BODY_DE, nb_str_c(json_string_value(json_object_get(de, "body_md"))));
    nb_form_set(&f.in, F_TITLE_EN, nb_str_c(json_string_value(json_object_get(en, "title"))));
    nb_form_set(&f.in, F_BODY_EN, nb_str_c(json_string_value(json_object_get(en, "body_md"))));
    render_form(s, 200, &f, false,
                nb_staff_query_notice(s, notices, sizeof(notices) / sizeof(notices[0])));
    json_decref(p);
}

static void edit_post(struct nb_staff *s, struct nb_str slug)
{
    json_t *p = NULL;
    if (!load(s, slug, &p))
        return;
    struct form f = {.slug = slug, .update = p};
    if (!read_form(s, &f))
        goto done;
    if (f.in.errors) {
        render_form(s, 422, &f, false, NULL);
        goto done;
    }
    if (f.in.v[F_PREVIEW].on) {
        render_form(s, 200, &f, true, NULL);
        goto done;
    }
    struct nb_store_press_text t[2];
    size_t n = texts_of(&f, t);
    char object[NB_SLUG_MAX + 16], back[NB_SLUG_MAX + 40];
    snprintf(object, sizeof(object), "press/%.*s", NB_STR_FMT(slug));
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    for (size_t i = 0; i < n && err == NB_OK; i++)
        err = nb_press_set_text(nb_app_store(s->app), s->office->id, slug, &t[i], s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "press.edit", object,
                               n == 2 ? "texts de, en corrected" : "text de corrected");
    err = nb_staff_end(s, &tx, err, true);
    if (err != NB_OK) {
        nb_log_error("staff.press", "office=%s error=%s", s->office->slug, nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        goto done;
    }
    snprintf(back, sizeof(back), PATH "/%.*s?hinweis=gespeichert", NB_STR_FMT(slug));
    nb_staff_redirect(s, back);
done:
    json_decref(p);
}

static void toggle_post(struct nb_staff *s, struct nb_str slug, bool publish)
{
    char object[NB_SLUG_MAX + 16], back[NB_SLUG_MAX + 40];
    snprintf(object, sizeof(object), "press/%.*s", NB_STR_FMT(slug));
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_press_set_published(nb_app_store(s->app), s->office->id, slug, publish, s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, publish ? "press.publish" : "press.withdraw",
                               object, publish ? "published again" : "withdrawn");
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_NOTFOUND) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    if (err != NB_OK) {
        nb_log_error("staff.press", "office=%s error=%s", s->office->slug, nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    snprintf(back, sizeof(back), PATH "/%.*s?hinweis=%s", NB_STR_FMT(slug),
             publish ? "wieder" : "zurueckgezogen");
    nb_staff_redirect(s, back);
}

/* ---- routes --------------------------------------------------------------------------- */

static void route_list(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    list_page(s);
}

static void route_new(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    if (s->req->method == NB_HTTP_POST)
        new_post(s);
    else
        new_page(s);
}

static void route_update(struct nb_staff *s, const struct nb_route_params *p)
{
    if (!nb_str_is_slug(p->v[0]))
        nb_staff_not_found(s);
    else if (s->req->method == NB_HTTP_POST)
        edit_post(s, p->v[0]);
    else
        edit_page(s, p->v[0]);
}

static void route_withdraw(struct nb_staff *s, const struct nb_route_params *p)
{
    if (nb_str_is_slug(p->v[0]))
        toggle_post(s, p->v[0], false);
    else
        nb_staff_not_found(s);
}

static void route_publish(struct nb_staff *s, const struct nb_route_params *p)
{
    if (nb_str_is_slug(p->v[0]))
        toggle_post(s, p->v[0], true);
    else
        nb_staff_not_found(s);
}

static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, PATH, NB_STAFF_CONTENT, false, route_list, NULL},
    {NB_HTTP_GET, PATH_NEW, NB_STAFF_CONTENT, false, route_new, NULL},
    {NB_HTTP_POST, PATH_NEW, NB_STAFF_CONTENT, true, route_new, NULL},
    {NB_HTTP_GET, PATH "/{slug}", NB_STAFF_CONTENT, false, route_update, NULL},
    {NB_HTTP_POST, PATH "/{slug}", NB_STAFF_CONTENT, true, route_update, NULL},
    {NB_HTTP_POST, PATH "/{slug}/" WITHDRAW, NB_STAFF_CONTENT, true, route_withdraw, NULL},
    {NB_HTTP_POST, PATH "/{slug}/" PUBLISH, NB_STAFF_CONTENT, true, route_publish, NULL},
};
const struct nb_staff_routes nb_staff_press_routes = NB_STAFF_ROUTES("staff_press.c", rows);
