/* staff_notices.c: notices in the back office (/intern/meldungen), for the roles with
 * NB_ACT_CONTENT_EDIT.
 *
 * The list shows every notice, published or not, with its languages, links to the edit form
 * of each language and to the public pages, and a button to withdraw or show it again. A new
 * notice is created together with its first language variant; further variants and new
 * versions are written on the edit form of one language (/meldungen/SLUG/LANG). Both forms
 * have two buttons: "preview" renders the Markdown below the form (as the public site would)
 * and saves nothing; "publish" appends an immutable version (nb_notice_publish), writes the
 * journal, asks the worker to render the public snapshot again and redirects to the list.
 * A POST that fails validation gets its form back with 422, the values as typed and a
 * message next to each wrong field. The edit form lists the language's versions
 * (staff_versions.c); /meldungen/SLUG/LANG/versionen/N shows one of them, also while the
 * notice is withdrawn. */
#include "web/staff.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/check.h"
#include "domain/notice.h"
#include "http/parse.h"
#include "view/i18n.h"
#include "view/markdown.h"
#include "web/form.h"

#define PATH "/meldungen"
#define PATH_NEW "/meldungen/neu"

/* The languages the forms offer, with their names in their own language (as the public
 * site labels them). A notice may hold others (written by an import); those can be edited
 * too, but only these can be added here. */
static const struct {
    const char *tag, *label;
} langs[] = {
    {"de", "Deutsch"},
    {"de-x-ls", "Leichte Sprache"},
    {"en", "English"},
    {"ar", "العربية"},
};

static const char *lang_label(const char *tag)
{
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
        if (strcmp(langs[i].tag, tag) == 0)
            return langs[i].label;
    return tag;
}

static bool lang_offered(struct nb_str tag)
{
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
        if (nb_str_eq_c(tag, langs[i].tag))
            return true;
    return false;
}

/* The fields of the forms: the edit form of a language reads those before F_SLUG. Title
 * and body are in the variant's language, which the template marks from "lang". */
enum { F_TITLE, F_BODY, F_SLUG, F_LANG, F_PINNED, F_COUNT };
static const struct nb_form_field fields[F_COUNT] = {
    [F_TITLE] = {.name = "title",
                 .kind = NB_FORM_LINE,
                 .required = true,
                 .max = NB_TITLE_MAX,
                 .label_key = "staff_notice_title",
                 .missing_key = "staff_notice_title_required",
                 .long_key = "staff_notice_title_long",
                 .invalid_key = "staff_notice_title_invalid"},
    [F_BODY] = {.name = "body",
                .kind = NB_FORM_TEXT,
                .required = true,
                .max = NB_MARKDOWN_MAX,
                .label_key = "staff_notice_body",
                .missing_key = "staff_notice_body_required",
                .long_key = "staff_notice_body_long",
                .invalid_key = "staff_notice_body_invalid"},
    [F_SLUG] = {.name = "slug",
                .kind = NB_FORM_SLUG,
                .required = true,
                .label_key = "staff_notice_slug",
                .invalid_key = "staff_notice_slug_invalid"},
    [F_LANG] = {.name = "lang",
                .kind = NB_FORM_LINE,
                .required = true,
                .max = NB_LANG_TAG_MAX,
                .label_key = "staff_notice_lang",
                .invalid_key = "staff_notice_lang_invalid"},
    [F_PINNED] = {.name = "pinned", .kind = NB_FORM_BOOL, .label_key = "staff_notice_pinned"},
};

/* What a form shows: its fields, and on the edit form the notice and language it edits. */
struct form {
    bool is_new;
    struct nb_str slug, lang; /* of the edit form; of the new form once its fields are valid */
    int64_t version;          /* the newest version of the language, 0 for none (edit form) */
    json_t *versions;         /* its versions, newest first (edit form; borrowed), or NULL */
    struct nb_form in;
};

/* The path below /intern of the edit form of one language. */
static void edit_path(char *out, size_t n, struct nb_str slug, struct nb_str lang)
{
    snprintf(out, n, PATH "/%.*s/%.*s", NB_STR_FMT(slug), NB_STR_FMT(lang));
}

/* The token of the form that posts to path, for forms repeated in a list. */
static json_t *token_for(struct nb_staff *s, const char *path)
{
    json_t *tmp = json_pack("{s:{}}", "csrf");
    nb_staff_csrf_set(s, tmp, "t", path);
    json_t *t = json_object_get(json_object_get(tmp, "csrf"), "t");
    json_t *out = json_string(json_string_value(t) ? json_string_value(t) : "");
    json_decref(tmp);
    return out;
}

/* The public page of a notice (and of one of its languages when tag is not NULL). */
static json_t *public_href(struct nb_staff *s, const char *slug, const char *tag)
{
    char u[256];
    snprintf(u, sizeof(u), "%s/meldung/%s%s%s", s->prefix, slug, tag ? "/" : "", tag ? tag : "");
    return json_string(u);
}

static void render_form(struct nb_staff *s, unsigned status, const struct form *f,
                        const char *preview_html)
{
    json_t *m = nb_staff_model(s, f->is_new ? "title_staff_notice_new" : "title_staff_notice_edit");
    char path[256], action[320];
    if (f->is_new)
        snprintf(path, sizeof(path), "%s", PATH_NEW);
    else
        edit_path(path, sizeof(path), f->slug, f->lang);
    nb_staff_csrf_set(s, m, "notice", path);
    nb_staff_url(s, path, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(action));
    json_object_set_new(form, "is_new", json_boolean(f->is_new));
    struct nb_str shown_lang = f->is_new ? f->in.v[F_LANG].text : f->lang;
    if (!f->is_new) {
        nb_staff_set_text(form, "slug", f->slug);
        nb_staff_set_text(form, "lang", f->lang);
    }
    if (f->version > 0)
        json_object_set_new(form, "version", json_integer(f->version));
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
        json_t *e = json_pack("{s:s, s:s, s:b}", "value", langs[i].tag, "label", langs[i].label,
                              "selected", nb_str_eq_c(shown_lang, langs[i].tag));
        if (!f->is_new) {
            char p[256], u[320];
            edit_path(p, sizeof(p), f->slug, nb_str_c(langs[i].tag));
            nb_staff_url(s, p, u, sizeof(u));
            json_object_set_new(e, "href", json_string(u));
        }
        json_array_append_new(list, e);
    }
    json_object_set_new(form, "langs", list);
    if (!f->is_new) {
        char tag[NB_LANG_TAG_MAX + 1];
        snprintf(tag, sizeof(tag), "%.*s", NB_STR_FMT(f->lang));
        json_object_set_new(form, "lang_label", json_string(lang_label(tag)));
    }
    json_object_set_new(
        form, "body_hint",
        json_string(nb_staff_text_max(s, "staff_notice_body_hint", NB_MARKDOWN_MAX)));
    json_object_set_new(m, "form", form);
    char list_url[NB_STAFF_URL_MAX];
    nb_staff_url(s, PATH, list_url, sizeof(list_url));
    json_object_set_new(m, "list_href", json_string(list_url));
    if (preview_html)
        json_object_set_new(m, "preview", json_pack("{s:s}", "html", preview_html));
    if (!f->is_new && json_array_size(f->versions) > 0) {
        char tag[NB_LANG_TAG_MAX + 1];
        snprintf(tag, sizeof(tag), "%.*s", NB_STR_FMT(f->lang));
        struct nb_staff_versioned t = {
            .base = path, .lang = tag, .time_key = "published_at", .total = f->version};
        json_object_set_new(m, "history", nb_staff_history_model(s, &t, f->versions));
    }
    nb_form_staff_render(s, status, "staff_notice_edit", &f->in, m, form);
}

/* The form again with the rendered Markdown below it; nothing is saved. */
static void preview(struct nb_staff *s, const struct form *f)
{
    const char *html = nb_staff_markdown(s, f->in.v[F_BODY].text, 1);
    if (!html) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    render_form(s, 200, f, html);
}

/* Publishes the form's variant (creating the notice first on the new form) in one
 * transaction, so that a failed publication leaves no notice without text behind. */
static void publish(struct nb_staff *s, struct form *f)
{
    struct nb_store *store = nb_app_store(s->app);
    bool pinned = f->is_new && f->in.v[F_PINNED].on;
    struct nb_store_notice_variant v = {
        .lang = f->lang,
        .title = f->in.v[F_TITLE].text,
        .body_md = f->in.v[F_BODY].text,
        .author = nb_str_c(s->account_name),
    };
    int64_t version = 0;
    char object[NB_SLUG_MAX + 16], summary[NB_LANG_TAG_MAX + 48];
    snprintf(object, sizeof(object), "notice/%.*s", NB_STR_FMT(f->slug));
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK && f->is_new) {
        struct nb_store_notice n = {.slug = f->slug, .pinned = pinned};
        err = nb_notice_create(store, s->office->id, &n, s->now);
        if (err == NB_OK)
            err = nb_staff_journal(s, tx, s->account_name, "notice.create", object,
                                   pinned ? "created, pinned" : "created");
    }
    if (err == NB_OK)
        err = nb_notice_publish(store, s->office->id, f->slug, &v, s->now, &version);
    if (err == NB_OK) {
        snprintf(summary, sizeof(summary), "version %lld of %.*s", (long long)version,
                 NB_STR_FMT(f->lang));
        err = nb_staff_journal(s, tx, s->account_name, "notice.publish", object, summary);
    }
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_CONFLICT && f->is_new) {
        nb_form_fail(&f->in, F_SLUG, nb_i18n_get(s->lang, "staff_notice_slug_taken"));
        render_form(s, 422, f, NULL);
        return;
    }
    if (err == NB_ERR_LIMIT) { /* one language too many */
        nb_form_fail(&f->in, f->is_new ? F_LANG : F_TITLE,
                     nb_i18n_get(s->lang, "staff_notice_lang_invalid"));
        render_form(s, 422, f, NULL);
        return;
    }
    if (err == NB_ERR_NOTFOUND) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    if (err != NB_OK) {
        nb_log_error("staff.notices", "publish office=%s error=%s", s->office->slug,
                     nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    nb_staff_redirect(s, PATH "?hinweis=veroeffentlicht");
}

/* Reads and checks the form (on the new one, slug and language too) and does what its
 * button says. */
static void form_post(struct nb_staff *s, struct form *f)
{
    if (!nb_form_staff_read(s, &f->in, fields, f->is_new ? F_COUNT : F_SLUG))
        return;
    if (f->is_new) {
        f->slug = f->in.v[F_SLUG].text;
        f->lang = f->in.v[F_LANG].text;
        if (!f->in.v[F_LANG].error && !lang_offered(f->lang))
            nb_form_fail(&f->in, F_LANG, nb_i18n_get(s->lang, "staff_notice_lang_invalid"));
    }
    /* The button pressed: not a field to correct, so a missing one is a bad request. */
    struct nb_str action = {"", 0};
    nb_form_body_get(s->body, "action", &action);
    if (f->in.errors)
        render_form(s, 422, f, NULL);
    else if (nb_str_eq_c(action, "publish"))
        publish(s, f);
    else if (nb_str_eq_c(action, "preview"))
        preview(s, f);
    else
        nb_staff_message(s, 400, "error_400_title", "error_400_text");
}

static void new_route(struct nb_staff *s, bool post)
{
    struct form f = {.is_new = true};
    if (!post) {
        nb_form_init(&f.in, fields, F_COUNT, s->lang, &s->req->arena);
        nb_form_set(&f.in, F_LANG, NB_STR("de"));
        render_form(s, 200, &f, NULL);
        return;
    }
    form_post(s, &f);
}

/* The edit form of one language of the notice slug (or its POST). */
static void edit_route(struct nb_staff *s, struct nb_str slug, struct nb_str lang, bool post)
{
    json_t *n = NULL;
    if (nb_check_slug(slug) != NB_OK || nb_check_lang(lang) != NB_OK) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    enum nb_err err = nb_notice_get(nb_app_store(s->app), s->office->id, slug, &n);
    if (err == NB_ERR_NOTFOUND) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    if (err != NB_OK) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    char tag[NB_LANG_TAG_MAX + 1];
    snprintf(tag, sizeof(tag), "%.*s", NB_STR_FMT(lang));
    json_t *v = json_object_get(json_object_get(n, "variants"), tag);
    if (!v && !lang_offered(lang)) {
        json_decref(n);
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    struct form f = {.slug = slug, .lang = lang};
    f.version = json_integer_value(json_object_get(v, "version"));
    f.versions = json_object_get(v, "versions");
    if (post) {
        form_post(s, &f);
    } else {
        nb_form_init(&f.in, fields, F_SLUG, s->lang, &s->req->arena);
        nb_form_set(&f.in, F_TITLE, nb_str_c(json_string_value(json_object_get(v, "title"))));
        nb_form_set(&f.in, F_BODY, nb_str_c(json_string_value(json_object_get(v, "body_md"))));
        render_form(s, 200, &f, NULL);
    }
    json_decref(n);
}

/* GET /meldungen/SLUG/LANG/versionen/N: version N of one language, read-only, whether the
 * notice is public or not. */
static void version_route(struct nb_staff *s, struct nb_str slug, struct nb_str lang,
                          struct nb_str number)
{
    uint64_t n = 0;
    json_t *notice = NULL;
    if (nb_check_slug(slug) != NB_OK || nb_check_lang(lang) != NB_OK || number.len == 0 ||
        number.ptr[0] == '0' || !nb_str_to_u64(number, (uint64_t)INT64_MAX, &n)) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    enum nb_err err = nb_notice_get(nb_app_store(s->app), s->office->id, slug, &notice);
    if (err != NB_OK && err != NB_ERR_NOTFOUND) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    char tag[NB_LANG_TAG_MAX + 1], base[256], num[24];
    snprintf(tag, sizeof(tag), "%.*s", NB_STR_FMT(lang));
    json_t *variant = json_object_get(json_object_get(notice, "variants"), tag);
    int64_t total = json_integer_value(json_object_get(variant, "version"));
    /* Versions are listed newest first and numbered from 1 without gaps. */
    json_t *v = (int64_t)n <= total ? json_array_get(json_object_get(variant, "versions"),
                                                     (size_t)(total - (int64_t)n))
                                    : NULL;
    if (!v || json_integer_value(json_object_get(v, "version")) != (int64_t)n) {
        json_decref(notice);
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    edit_path(base, sizeof(base), slug, lang);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
    char slug_text[NB_SLUG_MAX + 1];
    snprintf(slug_text, sizeof(slug_text), "%.*s", NB_STR_FMT(slug));
    struct nb_buf title;
    nb_buf_init(&title, 1024);
    nb_i18n_format(&title, s->lang, "title_staff_notice_version", "notice", slug_text, "language",
                   lang_label(tag), "version", num, (char *)NULL);
    struct nb_staff_versioned t = {
        .base = base, .lang = tag, .time_key = "published_at", .total = total};
    struct nb_staff_version_view view = {
        .title = title.err == NB_OK && title.ptr ? title.ptr : "",
        .subject_label = nb_i18n_get(s->lang, "staff_version_notice"),
        .subject = slug_text,
        .lang_label = lang_label(tag),
        .back_label = nb_i18n_get(s->lang, "staff_notice_back"),
        .heading_shift = 1,
    };
    nb_staff_version_page(s, &t, v, &view);
    nb_buf_free(&title);
    json_decref(notice);
}

static void list_page(struct nb_staff *s)
{
    json_t *list = NULL;
    if (nb_notice_list(nb_app_store(s->app), s->office->id, false, &list) != NB_OK) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    json_t *m = nb_staff_model(s, "title_staff_notices");
    json_t *rows = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(list, i, n)
    {
        const char *slug = json_string_value(json_object_get(n, "slug"));
        if (!slug)
            continue;
        json_t *variants = json_object_get(n, "variants");
        bool published = json_is_true(json_object_get(n, "published"));
        json_t *row = json_pack("{s:s, s:b, s:b}", "slug", slug, "published", published, "pinned",
                                json_is_true(json_object_get(n, "pinned")));
        /* The title in German when there is one, else in any language. */
        json_t *shown = json_object_get(variants, "de");
        json_t *vl = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(variants, k, v)
        {
            if (!shown)
                shown = v;
            char p[256], u[320];
            edit_path(p, sizeof(p), nb_str_c(slug), nb_str_c(k));
            nb_staff_url(s, p, u, sizeof(u));
            json_t *e = json_pack(
                "{s:s, s:s, s:I, s:s}", "lang", k, "label", lang_label(k), "version",
                (json_int_t)json_integer_value(json_object_get(v, "version")), "edit_href", u);
            json_object_set_new(e, "public_href", public_href(s, slug, k));
            json_array_append_new(vl, e);
        }
        json_object_set_new(row, "variants", vl);
        json_t *add = json_array();
        for (size_t j = 0; j < sizeof(langs) / sizeof(langs[0]); j++) {
            if (json_object_get(variants, langs[j].tag))
                continue;
            char p[256], u[320];
            edit_path(p, sizeof(p), nb_str_c(slug), nb_str_c(langs[j].tag));
            nb_staff_url(s, p, u, sizeof(u));
            json_array_append_new(add, json_pack("{s:s, s:s, s:s}", "lang", langs[j].tag, "label",
                                                 langs[j].label, "href", u));
        }
        json_object_set_new(row, "add", add);
        const char *title = json_string_value(json_object_get(shown, "title"));
        json_object_set_new(row, "title", json_string(title ? title : slug));
        if (shown && published) {
            json_object_set_new(row, "public_href", public_href(s, slug, NULL));
            char h[256];
            snprintf(h, sizeof(h), "%s/meldung/%s/versionen", s->prefix, slug);
            json_object_set_new(row, "history_href", json_string(h));
        }
        char p[256], u[320];
        snprintf(p, sizeof(p), PATH "/%s/%s", slug,
                 published ? "zurueckziehen" : "veroeffentlichen");
        nb_staff_url(s, p, u, sizeof(u));
        json_object_set_new(row, "toggle",
                            json_pack("{s:s, s:o}", "action", u, "csrf", token_for(s, p)));
        bool pinned = json_is_true(json_object_get(n, "pinned"));
        bool archived = json_is_true(json_object_get(n, "archived"));
        json_object_set_new(row, "archived", json_boolean(archived));
        static const char *const flag_paths[2][2] = {{"anheften", "loesen"},
                                                     {"archivieren", "zurueckholen"}};
        for (int f = 0; f < 2; f++) {
            bool on = f == 0 ? pinned : archived;
            snprintf(p, sizeof(p), PATH "/%s/%s", slug, flag_paths[f][on]);
            nb_staff_url(s, p, u, sizeof(u));
            json_object_set_new(
                row, f == 0 ? "pin" : "archive",
                json_pack("{s:s, s:o, s:b}", "action", u, "csrf", token_for(s, p), "on", on));
        }
        json_array_append_new(rows, row);
    }
    json_decref(list);
    json_object_set_new(m, "notices", rows);
    char u[NB_STAFF_URL_MAX];
    nb_staff_url(s, PATH_NEW, u, sizeof(u));
    json_object_set_new(m, "new_href", json_string(u));
    struct nb_str q;
    if (nb_http_query_get(s->req->query, "hinweis", &s->req->arena, &q) == NB_OK) {
        const char *key = nb_str_eq_c(q, "veroeffentlicht")  ? "staff_notice_published"
                          : nb_str_eq_c(q, "zurueckgezogen") ? "staff_notice_withdrawn"
                          : nb_str_eq_c(q, "angezeigt")      ? "staff_notice_shown"
                          : nb_str_eq_c(q, "geaendert")      ? "staff_notice_changed"
                                                             : NULL;
        if (key)
            json_object_set_new(m, "notice", json_string(nb_i18n_get(s->lang, key)));
    }
    nb_staff_render(s, 200, "staff_notices", m);
}

/* Withdraws (show false) or shows again the notice slug. */
static void toggle_post(struct nb_staff *s, struct nb_str slug, bool show)
{
    char object[NB_SLUG_MAX + 16];
    snprintf(object, sizeof(object), "notice/%.*s", NB_STR_FMT(slug));
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_notice_set_published(nb_app_store(s->app), s->office->id, slug, show, s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, show ? "notice.show" : "notice.withdraw",
                               object, show ? "shown again" : "withdrawn");
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_NOTFOUND || err == NB_ERR_INPUT) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    if (err != NB_OK) {
        nb_log_error("staff.notices", "set_published office=%s error=%s", s->office->slug,
                     nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    nb_staff_redirect(s, show ? PATH "?hinweis=angezeigt" : PATH "?hinweis=zurueckgezogen");
}

/* Pins or unpins (which 0), archives or brings back (which 1) the notice slug; the
 * other flag and the order stay as they are. */
static void flag_post(struct nb_staff *s, struct nb_str slug, int which, bool on)
{
    static const char *const actions[2][2] = {{"notice.unpin", "notice.pin"},
                                              {"notice.unarchive", "notice.archive"}};
    static const char *const summaries[2][2] = {{"unpinned", "pinned"},
                                                {"brought back from the archive", "archived"}};
    char object[NB_SLUG_MAX + 16];
    snprintf(object, sizeof(object), "notice/%.*s", NB_STR_FMT(slug));
    struct nb_store *store = nb_app_store(s->app);
    json_t *n = NULL;
    /* Read and write in one command, so a concurrent change of the other flag is not lost. */
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_notice_get(store, s->office->id, slug, &n);
    if (err == NB_OK) {
        struct nb_store_notice upd = {
            .slug = slug,
            .pinned = which == 0 ? on : json_is_true(json_object_get(n, "pinned")),
            .archived = which == 1 ? on : json_is_true(json_object_get(n, "archived")),
            .sort = json_integer_value(json_object_get(n, "sort")),
        };
        err = nb_notice_update(store, s->office->id, &upd, s->now);
    }
    json_decref(n);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, actions[which][on], object,
                               summaries[which][on]);
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_NOTFOUND || err == NB_ERR_INPUT) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    if (err != NB_OK) {
        nb_log_error("staff.notices", "update office=%s error=%s", s->office->slug,
                     nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    nb_staff_redirect(s, PATH "?hinweis=geaendert");
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
    new_route(s, s->req->method == NB_HTTP_POST);
}

static void route_edit(struct nb_staff *s, const struct nb_route_params *p)
{
    edit_route(s, p->v[0], p->v[1], s->req->method == NB_HTTP_POST);
}

static void route_version(struct nb_staff *s, const struct nb_route_params *p)
{
    version_route(s, p->v[0], p->v[1], p->v[2]);
}

/* The buttons of the list: withdraw and show again, pin and unpin, archive and bring back. */
static const struct {
    const char *word;
    int which; /* -1: published; 0: pinned; 1: archived */
    bool on;
} toggles[] = {
    {"zurueckziehen", -1, false}, {"veroeffentlichen", -1, true}, {"anheften", 0, true},
    {"loesen", 0, false},         {"archivieren", 1, true},       {"zurueckholen", 1, false},
};

static void route_toggle(struct nb_staff *s, const struct nb_route_params *p)
{
    struct nb_str word = nb_staff_last_segment(s);
    for (size_t i = 0; i < sizeof(toggles) / sizeof(toggles[0]); i++) {
        if (!nb_str_eq_c(word, toggles[i].word))
            continue;
        if (toggles[i].which < 0)
            toggle_post(s, p->v[0], toggles[i].on);
        else
            flag_post(s, p->v[0], toggles[i].which, toggles[i].on);
        return;
    }
    nb_staff_not_found(s);
}

static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, PATH, NB_STAFF_CONTENT, false, route_list, NULL},
    {NB_HTTP_GET, PATH_NEW, NB_STAFF_CONTENT, false, route_new, NULL},
    {NB_HTTP_POST, PATH_NEW, NB_STAFF_CONTENT, true, route_new, NULL},
    {NB_HTTP_GET, PATH "/{slug}/{lang}", NB_STAFF_CONTENT, false, route_edit, NULL},
    {NB_HTTP_POST, PATH "/{slug}/{lang}", NB_STAFF_CONTENT, true, route_edit, NULL},
    {NB_HTTP_GET, PATH "/{slug}/{lang}/versionen/{n}", NB_STAFF_CONTENT, false, route_version,
     NULL},
    {NB_HTTP_POST, PATH "/{slug}/zurueckziehen", NB_STAFF_CONTENT, true, route_toggle, NULL},
    {NB_HTTP_POST, PATH "/{slug}/veroeffentlichen", NB_STAFF_CONTENT, true, route_toggle, NULL},
    {NB_HTTP_POST, PATH "/{slug}/anheften", NB_STAFF_CONTENT, true, route_toggle, NULL},
    {NB_HTTP_POST, PATH "/{slug}/loesen", NB_STAFF_CONTENT, true, route_toggle, NULL},
    {NB_HTTP_POST, PATH "/{slug}/archivieren", NB_STAFF_CONTENT, true, route_toggle, NULL},
    {NB_HTTP_POST, PATH "/{slug}/zurueckholen", NB_STAFF_CONTENT, true, route_toggle, NULL},
};
const struct nb_staff_routes nb_staff_notices_routes = NB_STAFF_ROUTES("staff_notices.c", rows);
