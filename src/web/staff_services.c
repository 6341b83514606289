/* staff_services.c: the back-office pages for the service catalogue (/intern/leistungen)
 * and the standing pages (/intern/seiten: imprint, privacy, accessibility, phishing
 * advice), for the roles with NB_ACT_CONTENT_EDIT.
 *
 * /leistungen lists the office's services with their state; /leistungen/neu adds one and
 * /leistungen/SLUG changes one: its state, responsible department, the office that took it
 * over (exactly for the state "other_office"), German and English name, description and
 * fallback text, and sort. Texts in other languages (Leichte Sprache) that the store holds
 * are kept, since nb_service_put replaces all texts. /seiten lists the four kinds with the
 * newest version of each language; /seiten/KIND/LANG publishes a new version of one
 * language (nb_page_publish keeps the earlier ones on record) and lists that language's
 * versions, newest first and at most NB_HISTORY_ROWS, with who published each;
 * /seiten/KIND/LANG/versionen/N shows version N read-only, rendered and as Markdown.
 *
 * As in staff_press.c: the role is checked before anything else, a POST needs the form's
 * CSRF token, the preview renders the Markdown and saves nothing, a failed validation
 * answers 422 with the values as typed and a message next to each wrong field, every
 * change is journalled (objects "service/SLUG" and "page/KIND", no personal data), the
 * public snapshot is rendered again (nb_app_publish) and the answer is a 303 to a page with
 * a confirmation. */
#include "web/staff.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/check.h"
#include "domain/department.h"
#include "domain/page.h"
#include "domain/service.h"
#include "http/parse.h"
#include "view/i18n.h"
#include "view/markdown.h"

#define SVC_PATH "/leistungen"
#define SVC_NEW "/leistungen/neu"
#define PAGES_PATH "/seiten"

static const char *const states[] = {"online",      "restricted", "paper",
                                     "appointment", "suspended",  "other_office"};
#define NSTATES (sizeof(states) / sizeof(states[0]))

/* The languages the service form edits; index 0 is German, which is required. */
static const char *const svc_langs[] = {"de", "en"};
#define NSVC_LANGS 2

/* The kinds of standing pages with the catalog key of their name. */
static const struct {
    const char *kind, *label;
} kinds[] = {
    {"imprint", "nav_imprint"},
    {"privacy", "nav_privacy"},
    {"accessibility", "nav_accessibility"},
    {"phishing", "nav_phishing"},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The languages a standing page may have, with the catalog key of their name. */
static const struct {
    const char *tag, *label;
} page_langs[] = {
    {"de", "staff_pages_lang_de"},
    {"en", "staff_pages_lang_en"},
    {"de-x-ls", "staff_pages_lang_de_x_ls"},
};
#define NPAGE_LANGS (sizeof(page_langs) / sizeof(page_langs[0]))

/* ---- shared helpers -------------------------------------------------------------------- */

/* Confirmations after a change, named by ?hinweis=. */
static const char *const notices[][2] = {
    {"angelegt", "staff_services_created"},
    {"gespeichert", "staff_services_saved"},
    {"veroeffentlicht", "staff_pages_published"},
};

static bool wants_preview(struct nb_staff *s)
{
    return nb_staff_field(s, "preview").len > 0;
}

static void fail_503(struct nb_staff *s, const char *what, enum nb_err err)
{
    nb_log_error("staff.services", "office=%s %s error=%s", s->office->slug, what, nb_err_str(err));
    nb_staff_message(s, 503, "error_500_title", "error_500_text");
}

/* The message for a line field, or NULL: the catalog text missing when it is empty but
 * required, invalid for control characters, and the limit when it is too long. */
static const char *line_error(struct nb_staff *s, struct nb_str v, bool required,
                              const char *missing, const char *invalid)
{
    struct nb_str t = nb_str_trim(v);
    if (t.len == 0)
        return required ? nb_i18n_get(s->lang, missing) : NULL;
    return nb_staff_check_message(s, nb_check_line(t, NB_TITLE_MAX, true),
                                  "staff_services_line_long", NB_TITLE_MAX, invalid);
}

static const char *markdown_error(struct nb_staff *s, struct nb_str v, bool required)
{
    if (nb_str_trim(v).len == 0)
        return required ? nb_i18n_get(s->lang, "staff_pages_body_missing") : NULL;
    return nb_staff_check_message(s, nb_check_text(v, NB_MARKDOWN_MAX, true),
                                  "staff_services_text_long", NB_MARKDOWN_MAX,
                                  "staff_services_text_invalid");
}

/* ---- services: list -------------------------------------------------------------------- */

/* The name of department slug in the page language (German when missing), or NULL. */
static const char *department_name(struct nb_staff *s, json_t *departments, const char *slug)
{
    size_t i;
    json_t *d;
    json_array_foreach(departments, i, d)
    {
        if (strcmp(nb_staff_str(d, "slug"), slug) != 0)
            continue;
        json_t *names = json_object_get(d, "name");
        const char *n =
            json_string_value(json_object_get(names, s->lang == NB_LANG_EN ? "en" : "de"));
        if (!n)
            n = json_string_value(json_object_get(names, "de"));
        return n ? n : slug;
    }
    return NULL;
}

static void services_list(struct nb_staff *s)
{
    json_t *list = NULL, *departments = NULL;
    enum nb_err err = nb_service_list(nb_app_store(s->app), s->office->id, &list);
    if (err == NB_OK)
        err = nb_department_list(nb_app_store(s->app), s->office->id, &departments);
    if (err != NB_OK) {
        json_decref(list);
        fail_503(s, "services.list", err);
        return;
    }
    json_t *m = nb_staff_model(s, "title_staff_services");
    json_t *rows = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        const char *slug = nb_staff_str(p, "slug");
        json_t *texts = json_object_get(p, "texts");
        json_t *shown = json_object_get(texts, s->lang == NB_LANG_EN ? "en" : "de");
        if (!shown)
            shown = json_object_get(texts, "de");
        char path[NB_SLUG_MAX + 16], href[NB_STAFF_URL_MAX], key[40], at[40];
        snprintf(path, sizeof(path), SVC_PATH "/%s", slug);
        nb_staff_url(s, path, href, sizeof(href));
        snprintf(key, sizeof(key), "svc_%s", nb_staff_str(p, "state"));
        nb_staff_time_text(s->lang, json_integer_value(json_object_get(p, "changed_at")), at,
                           sizeof(at));
        json_t *row = json_object();
        nb_staff_set_text(row, "name", nb_str_c(nb_staff_str(shown, "name")));
        nb_staff_set_text(row, "slug", nb_str_c(slug));
        json_object_set_new(row, "href", json_string(href));
        json_object_set_new(row, "state", json_string(nb_staff_str(p, "state")));
        json_object_set_new(row, "state_label", json_string(nb_i18n_get(s->lang, key)));
        json_object_set_new(row, "changed_at", json_string(at));
        const char *dept = nb_staff_str(p, "department");
        const char *dname = dept[0] ? department_name(s, departments, dept) : NULL;
        nb_staff_set_text(row, "department", nb_str_c(dname ? dname : ""));
        nb_staff_set_text(row, "other_office", nb_str_c(nb_staff_str(p, "other_office")));
        json_array_append_new(rows, row);
    }
    json_decref(list);
    json_decref(departments);
    json_object_set_new(m, "has_services", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(m, "services", rows);
    char href[NB_STAFF_URL_MAX];
    nb_staff_url(s, SVC_NEW, href, sizeof(href));
    json_object_set_new(m, "new_href", json_string(href));
    const char *notice = nb_staff_query_notice(s, notices, sizeof(notices) / sizeof(notices[0]));
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    nb_staff_render(s, 200, "staff_services", m);
}

/* ---- services: the form ---------------------------------------------------------------- */

struct svc_form {
    bool is_new;
    struct nb_str slug, state, department, other_office, sort;
    struct nb_str name[NSVC_LANGS], desc[NSVC_LANGS], fallback[NSVC_LANGS];
    const char *slug_error, *state_error, *department_error, *other_office_error, *sort_error;
    const char *name_error[NSVC_LANGS], *desc_error[NSVC_LANGS], *fallback_error[NSVC_LANGS];
    json_t *stored;      /* the stored service when editing (borrowed) */
    json_t *departments; /* the office's departments (borrowed) */
};

static void svc_path(const struct svc_form *f, char *out, size_t n)
{
    if (f->is_new)
        snprintf(out, n, "%s", SVC_NEW);
    else
        snprintf(out, n, SVC_PATH "/%.*s", NB_STR_FMT(f->slug));
}

static void svc_render(struct nb_staff *s, unsigned status, const struct svc_form *f, bool preview,
                       const char *notice)
{
    json_t *m =
        nb_staff_model(s, f->is_new ? "title_staff_services_new" : "title_staff_services_edit");
    char path[NB_SLUG_MAX + 40], action[NB_STAFF_URL_MAX];
    svc_path(f, path, sizeof(path));
    nb_staff_csrf_set(s, m, "service", path);
    nb_staff_url(s, path, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(action));
    json_object_set_new(form, "is_new", json_boolean(f->is_new));
    nb_staff_set_text(form, "slug", f->slug);
    nb_staff_set_text(form, "other_office", f->other_office);
    nb_staff_set_text(form, "sort", f->sort);
    nb_staff_set_error(form, "slug_error", f->slug_error);
    nb_staff_set_error(form, "state_error", f->state_error);
    nb_staff_set_error(form, "department_error", f->department_error);
    nb_staff_set_error(form, "other_office_error", f->other_office_error);
    nb_staff_set_error(form, "sort_error", f->sort_error);
    json_object_set_new(form, "slug_hint",
                        json_string(nb_staff_text_max(s, "staff_press_slug_hint", NB_SLUG_MAX)));
    json_t *radios = json_array();
    for (size_t i = 0; i < NSTATES; i++) {
        char k1[40], k2[48];
        snprintf(k1, sizeof(k1), "svc_%s", states[i]);
        snprintf(k2, sizeof(k2), "svc_%s_text", states[i]);
        json_array_append_new(radios,
                              json_pack("{s:s, s:s, s:s, s:b}", "value", states[i], "label",
                                        nb_i18n_get(s->lang, k1), "text", nb_i18n_get(s->lang, k2),
                                        "checked", nb_str_eq_c(f->state, states[i])));
    }
    json_object_set_new(form, "states", radios);
    json_t *options = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(f->departments, i, d)
    {
        const char *slug = nb_staff_str(d, "slug");
        json_t *o = json_object();
        nb_staff_set_text(o, "value", nb_str_c(slug));
        nb_staff_set_text(o, "name", nb_str_c(department_name(s, f->departments, slug)));
        json_object_set_new(o, "selected", json_boolean(nb_str_eq_c(f->department, slug)));
        json_array_append_new(options, o);
    }
    json_object_set_new(form, "departments", options);
    json_t *langs = json_array();
    for (size_t l = 0; l < NSVC_LANGS; l++) {
        char key[48];
        snprintf(key, sizeof(key), "staff_services_lang_%s", svc_langs[l]);
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(svc_langs[l]));
        json_object_set_new(o, "legend", json_string(nb_i18n_get(s->lang, key)));
        json_object_set_new(o, "required", json_boolean(l == 0));
        nb_staff_set_text(o, "name", f->name[l]);
        nb_staff_set_text(o, "description", f->desc[l]);
        nb_staff_set_text(o, "fallback", f->fallback[l]);
        nb_staff_set_error(o, "name_error", f->name_error[l]);
        nb_staff_set_error(o, "description_error", f->desc_error[l]);
        nb_staff_set_error(o, "fallback_error", f->fallback_error[l]);
        json_array_append_new(langs, o);
    }
    json_object_set_new(form, "langs", langs);
    json_object_set_new(
        form, "text_hint",
        json_string(nb_staff_text_max(s, "staff_services_text_hint", NB_MARKDOWN_MAX)));
    json_object_set_new(m, "form", form);

    if (f->stored) {
        char at[40];
        nb_staff_time_text(s->lang, json_integer_value(json_object_get(f->stored, "changed_at")),
                           at, sizeof(at));
        json_object_set_new(m, "changed_at", json_string(at));
    }
    if (preview) {
        json_t *list = json_array();
        for (size_t l = 0; l < NSVC_LANGS; l++) {
            if (nb_str_trim(f->name[l]).len == 0)
                continue;
            const char *desc = nb_staff_markdown(s, f->desc[l], 2);
            const char *fb = nb_staff_markdown(s, f->fallback[l], 3);
            if (!desc || !fb)
                continue;
            json_t *p = json_object();
            json_object_set_new(p, "lang", json_string(svc_langs[l]));
            nb_staff_set_text(p, "name", nb_str_trim(f->name[l]));
            json_object_set_new(p, "description_html", json_string(desc));
            if (fb[0])
                json_object_set_new(p, "fallback_html", json_string(fb));
            json_array_append_new(list, p);
        }
        json_object_set_new(m, "has_previews", json_boolean(json_array_size(list) > 0));
        json_object_set_new(m, "previews", list);
    }
    if (status == 422)
        json_object_set_new(m, "error", json_string(nb_i18n_get(s->lang, "staff_services_errors")));
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    char back[NB_STAFF_URL_MAX];
    nb_staff_url(s, SVC_PATH, back, sizeof(back));
    json_object_set_new(m, "list_href", json_string(back));
    nb_staff_render(s, status, "staff_services_edit", m);
}

/* Reads and checks the fields other than the slug; true when there is no error. */
static bool svc_read(struct nb_staff *s, struct svc_form *f)
{
    f->state = nb_staff_field(s, "state");
    f->department = nb_str_trim(nb_staff_field(s, "department"));
    f->other_office = nb_staff_field(s, "other_office");
    f->sort = nb_str_trim(nb_staff_field(s, "sort"));
    enum nb_service_state st;
    if (nb_service_state_parse(f->state, &st) != NB_OK)
        f->state_error = nb_i18n_get(s->lang, "staff_services_state_missing");
    if (f->department.len && !nb_staff_has_slug(f->departments, f->department))
        f->department_error = nb_i18n_get(s->lang, "staff_services_department_invalid");
    if (!f->state_error && st == NB_SERVICE_OTHER_OFFICE)
        f->other_office_error =
            line_error(s, f->other_office, true, "staff_services_other_office_missing",
                       "staff_services_line_invalid");
    uint64_t sort = 0;
    if (f->sort.len && !nb_str_to_u64(f->sort, NB_SORT_MAX, &sort))
        f->sort_error = nb_staff_text_max(s, "staff_services_sort_invalid", NB_SORT_MAX);
    bool ok = !(f->state_error || f->department_error || f->other_office_error || f->sort_error);
    for (size_t l = 0; l < NSVC_LANGS; l++) {
        char k[24];
        snprintf(k, sizeof(k), "name_%s", svc_langs[l]);
        f->name[l] = nb_staff_field(s, k);
        snprintf(k, sizeof(k), "description_%s", svc_langs[l]);
        f->desc[l] = nb_staff_field(s, k);
        snprintf(k, sizeof(k), "fallback_%s", svc_langs[l]);
        f->fallback[l] = nb_staff_field(s, k);
        /* German is required; another language only needs its name once any of its
         * fields is filled in. */
        bool any = nb_str_trim(f->name[l]).len || nb_str_trim(f->desc[l]).len ||
                   nb_str_trim(f->fallback[l]).len;
        f->name_error[l] = line_error(s, f->name[l], l == 0 || any, "staff_services_name_missing",
                                      "staff_services_line_invalid");
        f->desc_error[l] = markdown_error(s, f->desc[l], false);
        f->fallback_error[l] = markdown_error(s, f->fallback[l], false);
        ok = ok && !f->name_error[l] && !f->desc_error[l] && !f->fallback_error[l];
    }
    return ok && !f->slug_error;
}

/* Stores the form: the German and English texts as given, the other languages as stored. */
static enum nb_err svc_put(struct nb_staff *s, const struct svc_form *f)
{
    struct nb_store_service_text t[NB_LANGS_MAX];
    size_t n = 0;
    for (size_t l = 0; l < NSVC_LANGS; l++)
        if (nb_str_trim(f->name[l]).len)
            t[n++] = (struct nb_store_service_text){nb_str_c(svc_langs[l]), nb_str_trim(f->name[l]),
                                                    f->desc[l], f->fallback[l]};
    const char *tag;
    json_t *v;
    json_object_foreach(json_object_get(f->stored, "texts"), tag, v)
    {
        if (n >= NB_LANGS_MAX || !strcmp(tag, "de") || !strcmp(tag, "en"))
            continue;
        t[n++] = (struct nb_store_service_text){nb_str_c(tag), nb_str_c(nb_staff_str(v, "name")),
                                                nb_str_c(nb_staff_str(v, "description_md")),
                                                nb_str_c(nb_staff_str(v, "fallback_md"))};
    }
    uint64_t sort = 0;
    if (f->sort.len && !nb_str_to_u64(f->sort, NB_SORT_MAX, &sort))
        return NB_ERR_INPUT;
    bool other = nb_str_eq_c(f->state, "other_office");
    struct nb_store_service svc = {
        .slug = f->slug,
        .state = f->state,
        .department = f->department,
        /* The office's name belongs to that state only; for any other it is dropped. */
        .other_office = other ? nb_str_trim(f->other_office) : (struct nb_str){0},
        .sort = (int64_t)sort,
        .texts = t,
        .ntexts = n,
    };
    return f->is_new ? nb_service_create(nb_app_store(s->app), s->office->id, &svc, s->now)
                     : nb_service_put(nb_app_store(s->app), s->office->id, &svc, s->now);
}

static bool load_departments(struct nb_staff *s, json_t **out)
{
    enum nb_err err = nb_department_list(nb_app_store(s->app), s->office->id, out);
    if (err != NB_OK)
        fail_503(s, "departments.list", err);
    return err == NB_OK;
}

static void svc_new_page(struct nb_staff *s)
{
    json_t *departments = NULL;
    if (!load_departments(s, &departments))
        return;
    struct svc_form f = {.is_new = true, .state = NB_STR("online"), .departments = departments};
    svc_render(s, 200, &f, false, NULL);
    json_decref(departments);
}

/* The stored service of slug into *out; answers 404 or 503 itself and returns false. */
static bool svc_load(struct nb_staff *s, struct nb_str slug, json_t **out)
{
    enum nb_err err = nb_service_get(nb_app_store(s->app), s->office->id, slug, out);
    if (err == NB_OK)
        return true;
    if (err == NB_ERR_NOTFOUND)
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
    else
        fail_503(s, "service.get", err);
    return false;
}

static void svc_edit_page(struct nb_staff *s, struct nb_str slug)
{
    json_t *p = NULL, *departments = NULL;
    if (!svc_load(s, slug, &p))
        return;
    if (!load_departments(s, &departments)) {
        json_decref(p);
        return;
    }
    char sort[24];
    snprintf(sort, sizeof(sort), "%lld", (long long)json_integer_value(json_object_get(p, "sort")));
    struct svc_form f = {
        .slug = slug,
        .state = nb_str_c(nb_staff_str(p, "state")),
        .department = nb_str_c(nb_staff_str(p, "department")),
        .other_office = nb_str_c(nb_staff_str(p, "other_office")),
        .sort = nb_str_c(sort),
        .stored = p,
        .departments = departments,
    };
    json_t *texts = json_object_get(p, "texts");
    for (size_t l = 0; l < NSVC_LANGS; l++) {
        json_t *t = json_object_get(texts, svc_langs[l]);
        f.name[l] = nb_str_c(nb_staff_str(t, "name"));
        f.desc[l] = nb_str_c(nb_staff_str(t, "description_md"));
        f.fallback[l] = nb_str_c(nb_staff_str(t, "fallback_md"));
    }
    svc_render(s, 200, &f, false,
               nb_staff_query_notice(s, notices, sizeof(notices) / sizeof(notices[0])));
    json_decref(departments);
    json_decref(p);
}

/* The POST of the new form (slug NULL view) or of the service slug. */
static void svc_post(struct nb_staff *s, bool is_new, struct nb_str slug)
{
    json_t *p = NULL, *departments = NULL;
    if (!is_new && !svc_load(s, slug, &p))
        return;
    if (!load_departments(s, &departments)) {
        json_decref(p);
        return;
    }
    struct svc_form f = {.is_new = is_new, .slug = slug, .stored = p, .departments = departments};
    if (is_new) {
        f.slug = nb_str_trim(nb_staff_field(s, "slug"));
        /* "neu" is the address of this form, so no service can be reached under it. */
        if (nb_check_slug(f.slug) != NB_OK || nb_str_eq_c(f.slug, "neu")) {
            f.slug_error = nb_i18n_get(s->lang, "staff_press_slug_invalid");
        } else {
            json_t *old = NULL;
            enum nb_err err = nb_service_get(nb_app_store(s->app), s->office->id, f.slug, &old);
            json_decref(old);
            if (err == NB_OK)
                f.slug_error = nb_i18n_get(s->lang, "staff_press_slug_taken");
            else if (err != NB_ERR_NOTFOUND) {
                fail_503(s, "service.get", err);
                goto done;
            }
        }
    }
    if (!svc_read(s, &f)) {
        svc_render(s, 422, &f, false, NULL);
        goto done;
    }
    if (wants_preview(s)) {
        svc_render(s, 200, &f, true, NULL);
        goto done;
    }
    char object[NB_SLUG_MAX + 16], summary[64], back[NB_SLUG_MAX + 48];
    snprintf(object, sizeof(object), "service/%.*s", NB_STR_FMT(f.slug));
    snprintf(summary, sizeof(summary), "%s, state %.*s", is_new ? "created" : "changed",
             NB_STR_FMT(f.state));
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = svc_put(s, &f);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "service.put", object, summary);
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_CONFLICT && is_new) {
        /* Created by someone else since the form was checked. */
        f.slug_error = nb_i18n_get(s->lang, "staff_press_slug_taken");
        svc_render(s, 422, &f, false, NULL);
        goto done;
    }
    if (err == NB_ERR_NOTFOUND) {
        /* The department was removed meanwhile. */
        f.department_error = nb_i18n_get(s->lang, "staff_services_department_invalid");
        svc_render(s, 422, &f, false, NULL);
        goto done;
    }
    if (err == NB_ERR_INPUT || err == NB_ERR_LIMIT) {
        svc_render(s, 422, &f, false, NULL);
        goto done;
    }
    if (err != NB_OK) {
        fail_503(s, "service.put", err);
        goto done;
    }
    snprintf(back, sizeof(back), SVC_PATH "/%.*s?hinweis=%s", NB_STR_FMT(f.slug),
             is_new ? "angelegt" : "gespeichert");
    nb_staff_redirect(s, back);
done:
    json_decref(departments);
    json_decref(p);
}

/* ---- standing pages -------------------------------------------------------------------- */

static void pages_list(struct nb_staff *s)
{
    json_t *m = nb_staff_model(s, "title_staff_pages");
    json_t *rows = json_array();
    json_object_set_new(m, "pages", rows);
    for (size_t k = 0; k < NKINDS; k++) {
        json_t *cur = NULL;
        enum nb_err err =
            nb_page_get(nb_app_store(s->app), s->office->id, nb_str_c(kinds[k].kind), &cur);
        if (err != NB_OK) {
            json_decref(m);
            fail_503(s, "page.get", err);
            return;
        }
        json_t *langs = json_array();
        for (size_t l = 0; l < NPAGE_LANGS; l++) {
            char path[64], href[NB_STAFF_URL_MAX];
            snprintf(path, sizeof(path), PAGES_PATH "/%s/%s", kinds[k].kind, page_langs[l].tag);
            nb_staff_url(s, path, href, sizeof(href));
            json_t *o = json_object();
            json_object_set_new(o, "tag", json_string(page_langs[l].tag));
            json_object_set_new(o, "lang_label",
                                json_string(nb_i18n_get(s->lang, page_langs[l].label)));
            json_object_set_new(o, "href", json_string(href));
            json_t *v = json_object_get(cur, page_langs[l].tag);
            if (v) {
                char at[40];
                nb_staff_time_text(s->lang, json_integer_value(json_object_get(v, "updated_at")),
                                   at, sizeof(at));
                json_object_set_new(o, "updated_at", json_string(at));
                json_object_set_new(
                    o, "version", json_integer(json_integer_value(json_object_get(v, "version"))));
            }
            json_array_append_new(langs, o);
        }
        json_decref(cur);
        json_array_append_new(rows,
                              json_pack("{s:s, s:s, s:o}", "kind", kinds[k].kind, "label",
                                        nb_i18n_get(s->lang, kinds[k].label), "langs", langs));
    }
    const char *notice = nb_staff_query_notice(s, notices, sizeof(notices) / sizeof(notices[0]));
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    nb_staff_render(s, 200, "staff_pages", m);
}

struct page_form {
    size_t kind, lang; /* indexes into kinds and page_langs */
    struct nb_str title, body;
    const char *title_error, *body_error;
    json_t *current; /* the newest version of this language, or NULL (borrowed) */
    json_t *history; /* its newest NB_HISTORY_ROWS versions (borrowed) */
    int64_t total;   /* how many versions the language has */
};

/* The versioned text of language lang of page kind, whose editor is at path (a buffer of at
 * least 64 bytes). */
static struct nb_staff_versioned versioned(size_t kind, size_t lang, int64_t total, char *path)
{
    snprintf(path, 64, PAGES_PATH "/%s/%s", kinds[kind].kind, page_langs[lang].tag);
    return (struct nb_staff_versioned){
        .base = path, .lang = page_langs[lang].tag, .time_key = "updated_at", .total = total};
}

static void page_render(struct nb_staff *s, unsigned status, const struct page_form *f,
                        bool preview, const char *notice)
{
    json_t *m = nb_staff_model(s, "title_staff_pages_edit");
    char path[64], action[NB_STAFF_URL_MAX];
    snprintf(path, sizeof(path), PAGES_PATH "/%s/%s", kinds[f->kind].kind, page_langs[f->lang].tag);
    nb_staff_csrf_set(s, m, "page", path);
    nb_staff_url(s, path, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(action));
    json_object_set_new(form, "kind", json_string(nb_i18n_get(s->lang, kinds[f->kind].label)));
    json_object_set_new(form, "lang", json_string(page_langs[f->lang].tag));
    json_object_set_new(form, "lang_label",
                        json_string(nb_i18n_get(s->lang, page_langs[f->lang].label)));
    nb_staff_set_text(form, "title", f->title);
    nb_staff_set_text(form, "body", f->body);
    nb_staff_set_error(form, "title_error", f->title_error);
    nb_staff_set_error(form, "body_error", f->body_error);
    json_object_set_new(
        form, "text_hint",
        json_string(nb_staff_text_max(s, "staff_services_text_hint", NB_MARKDOWN_MAX)));
    json_object_set_new(m, "form", form);
    if (f->current) {
        char at[40];
        nb_staff_time_text(s->lang, json_integer_value(json_object_get(f->current, "updated_at")),
                           at, sizeof(at));
        json_object_set_new(
            m, "current",
            json_pack("{s:I, s:s, s:s}", "version",
                      (json_int_t)json_integer_value(json_object_get(f->current, "version")),
                      "updated_at", at, "author", nb_staff_str(f->current, "author")));
    }
    if (json_array_size(f->history) > 0) {
        char base[64];
        struct nb_staff_versioned t = versioned(f->kind, f->lang, f->total, base);
        json_object_set_new(m, "history", nb_staff_history_model(s, &t, f->history));
    }
    if (preview) {
        const char *html = nb_staff_markdown(s, f->body, 1);
        if (html) {
            json_t *p = json_object();
            json_object_set_new(p, "lang", json_string(page_langs[f->lang].tag));
            nb_staff_set_text(p, "title", nb_str_trim(f->title));
            json_object_set_new(p, "html", json_string(html));
            json_object_set_new(m, "preview", p);
        }
    }
    if (status == 422)
        json_object_set_new(m, "error", json_string(nb_i18n_get(s->lang, "staff_services_errors")));
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    char back[NB_STAFF_URL_MAX];
    nb_staff_url(s, PAGES_PATH, back, sizeof(back));
    json_object_set_new(m, "list_href", json_string(back));
    nb_staff_render(s, status, "staff_pages_edit", m);
}

/* The page's current versions into *cur and the history of language lang into *history
 * and *total; answers 503 itself and returns false. */
static bool page_load(struct nb_staff *s, size_t kind, size_t lang, json_t **cur, json_t **history,
                      int64_t *total)
{
    struct nb_store *store = nb_app_store(s->app);
    struct nb_str k = nb_str_c(kinds[kind].kind);
    enum nb_err err = nb_page_get(store, s->office->id, k, cur);
    if (err == NB_OK)
        err = nb_page_history(store, s->office->id, k, nb_str_c(page_langs[lang].tag),
                              NB_HISTORY_ROWS, history, total);
    if (err != NB_OK) {
        json_decref(*cur);
        *cur = NULL;
        fail_503(s, "page.get", err);
    }
    return err == NB_OK;
}

static void page_edit(struct nb_staff *s, size_t kind, size_t lang)
{
    json_t *cur = NULL, *history = NULL;
    int64_t total = 0;
    if (!page_load(s, kind, lang, &cur, &history, &total))
        return;
    json_t *v = json_object_get(cur, page_langs[lang].tag);
    struct page_form f = {
        .kind = kind,
        .lang = lang,
        .title = nb_str_c(nb_staff_str(v, "title")),
        .body = nb_str_c(nb_staff_str(v, "body_md")),
        .current = v,
        .history = history,
        .total = total,
    };
    page_render(s, 200, &f, false,
                nb_staff_query_notice(s, notices, sizeof(notices) / sizeof(notices[0])));
    json_decref(history);
    json_decref(cur);
}

/* GET /seiten/KIND/LANG/versionen/N: one version as the public page showed it, with its
 * Markdown source, read-only, and links to the versions before and after it. */
static void page_version(struct nb_staff *s, size_t kind, size_t lang, int64_t n)
{
    struct nb_store *store = nb_app_store(s->app);
    struct nb_str k = nb_str_c(kinds[kind].kind), tag = nb_str_c(page_langs[lang].tag);
    json_t *v = NULL, *newest = NULL;
    int64_t total = 0;
    enum nb_err err = nb_page_version(store, s->office->id, k, tag, n, &v);
    if (err == NB_OK)
        err = nb_page_history(store, s->office->id, k, tag, 0, &newest, &total);
    json_decref(newest);
    if (err == NB_ERR_NOTFOUND) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
    } else if (err != NB_OK) {
        fail_503(s, "page.version", err);
    } else {
        char num[24], base[64];
        snprintf(num, sizeof(num), "%lld", (long long)n);
        struct nb_buf b;
        nb_buf_init(&b, 1024);
        nb_i18n_format(&b, s->lang, "title_staff_pages_version", "page",
                       nb_i18n_get(s->lang, kinds[kind].label), "language",
                       nb_i18n_get(s->lang, page_langs[lang].label), "version", num, (char *)NULL);
        struct nb_staff_versioned t = versioned(kind, lang, total, base);
        struct nb_staff_version_view view = {
            .title = b.err == NB_OK && b.ptr ? b.ptr : "",
            .subject_label = nb_i18n_get(s->lang, "staff_pages_page"),
            .subject = nb_i18n_get(s->lang, kinds[kind].label),
            .lang_label = nb_i18n_get(s->lang, page_langs[lang].label),
            .back_label = nb_i18n_get(s->lang, "staff_pages_back"),
            .heading_shift = 2,
        };
        nb_staff_version_page(s, &t, v, &view);
        nb_buf_free(&b);
    }
    json_decref(v);
}

static void page_post(struct nb_staff *s, size_t kind, size_t lang)
{
    json_t *cur = NULL, *history = NULL;
    int64_t total = 0;
    if (!page_load(s, kind, lang, &cur, &history, &total))
        return;
    struct page_form f = {
        .kind = kind,
        .lang = lang,
        .title = nb_staff_field(s, "title"),
        .body = nb_staff_field(s, "body"),
        .current = json_object_get(cur, page_langs[lang].tag),
        .history = history,
        .total = total,
    };
    f.title_error =
        line_error(s, f.title, true, "staff_pages_title_missing", "staff_services_line_invalid");
    f.body_error = markdown_error(s, f.body, true);
    if (f.title_error || f.body_error) {
        page_render(s, 422, &f, false, NULL);
        goto done;
    }
    if (wants_preview(s)) {
        page_render(s, 200, &f, true, NULL);
        goto done;
    }
    struct nb_store_page p = {
        .kind = nb_str_c(kinds[kind].kind),
        .lang = nb_str_c(page_langs[lang].tag),
        .title = nb_str_trim(f.title),
        .body_md = f.body,
        .author = nb_str_c(s->account_name),
    };
    int64_t version = 0;
    char object[48], summary[64], back[80];
    snprintf(object, sizeof(object), "page/%s", kinds[kind].kind);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_page_publish(nb_app_store(s->app), s->office->id, &p, s->now, &version);
    if (err == NB_OK) {
        snprintf(summary, sizeof(summary), "version %lld, %s", (long long)version,
                 page_langs[lang].tag);
        err = nb_staff_journal(s, tx, s->account_name, "page.publish", object, summary);
    }
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_INPUT || err == NB_ERR_LIMIT) {
        page_render(s, 422, &f, false, NULL);
        goto done;
    }
    if (err != NB_OK) {
        fail_503(s, "page.publish", err);
        goto done;
    }
    snprintf(back, sizeof(back), PAGES_PATH "/%s/%s?hinweis=veroeffentlicht", kinds[kind].kind,
             page_langs[lang].tag);
    nb_staff_redirect(s, back);
done:
    json_decref(history);
    json_decref(cur);
}

/* ---- routes --------------------------------------------------------------------------- */

static void route_services(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    services_list(s);
}

static void route_new(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    if (s->req->method == NB_HTTP_POST)
        svc_post(s, true, (struct nb_str){0});
    else
        svc_new_page(s);
}

static void route_service(struct nb_staff *s, const struct nb_route_params *p)
{
    if (!nb_str_is_slug(p->v[0]))
        nb_staff_not_found(s);
    else if (s->req->method == NB_HTTP_POST)
        svc_post(s, false, p->v[0]);
    else
        svc_edit_page(s, p->v[0]);
}

static void route_pages(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    pages_list(s);
}

/* The kind and language of /seiten/KIND/LANG[...]; false (and 404) for others. */
static bool page_of(struct nb_staff *s, const struct nb_route_params *p, size_t *kind, size_t *lang)
{
    *kind = NKINDS;
    *lang = NPAGE_LANGS;
    for (size_t k = 0; k < NKINDS; k++)
        if (nb_str_eq_c(p->v[0], kinds[k].kind))
            *kind = k;
    for (size_t l = 0; l < NPAGE_LANGS; l++)
        if (nb_str_eq_c(p->v[1], page_langs[l].tag))
            *lang = l;
    if (*kind == NKINDS || *lang == NPAGE_LANGS) {
        nb_staff_not_found(s);
        return false;
    }
    return true;
}

static void route_page(struct nb_staff *s, const struct nb_route_params *p)
{
    size_t kind, lang;
    if (!page_of(s, p, &kind, &lang))
        return;
    if (s->req->method == NB_HTTP_POST)
        page_post(s, kind, lang);
    else
        page_edit(s, kind, lang);
}

/* /seiten/KIND/LANG/versionen/N, N a version number without leading zeros. */
static void route_page_version(struct nb_staff *s, const struct nb_route_params *p)
{
    size_t kind, lang;
    uint64_t n = 0;
    struct nb_str v = p->v[2];
    if (v.len == 0 || v.ptr[0] == '0' || !nb_str_to_u64(v, (uint64_t)INT64_MAX, &n)) {
        nb_staff_not_found(s);
        return;
    }
    if (page_of(s, p, &kind, &lang))
        page_version(s, kind, lang, (int64_t)n);
}

static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, SVC_PATH, NB_STAFF_CONTENT, false, route_services, NULL},
    {NB_HTTP_GET, SVC_NEW, NB_STAFF_CONTENT, false, route_new, NULL},
    {NB_HTTP_POST, SVC_NEW, NB_STAFF_CONTENT, true, route_new, NULL},
    {NB_HTTP_GET, SVC_PATH "/{slug}", NB_STAFF_CONTENT, false, route_service, NULL},
    {NB_HTTP_POST, SVC_PATH "/{slug}", NB_STAFF_CONTENT, true, route_service, NULL},
    {NB_HTTP_GET, PAGES_PATH, NB_STAFF_CONTENT, false, route_pages, NULL},
    {NB_HTTP_GET, PAGES_PATH "/{kind}/{lang}", NB_STAFF_CONTENT, false, route_page, NULL},
    {NB_HTTP_POST, PAGES_PATH "/{kind}/{lang}", NB_STAFF_CONTENT, true, route_page, NULL},
    {NB_HTTP_GET, PAGES_PATH "/{kind}/{lang}/versionen/{n}", NB_STAFF_CONTENT, false,
     route_page_version, NULL},
};
const struct nb_staff_routes nb_staff_services_routes = NB_STAFF_ROUTES("staff_services.c", rows);
