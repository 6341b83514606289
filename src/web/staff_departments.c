/* staff_departments.c: the back-office pages for the departments and their contacts
 * (/intern/abteilungen, /intern/ansprechpersonen), for the roles with NB_ACT_CONTENT_EDIT.
 *
 * /abteilungen lists the office's departments with their contacts; /abteilungen/neu adds a
 * department and /abteilungen/SLUG changes one: German name (required) and English name,
 * telephone, e-mail, room and sort. The slug is chosen once and fixed afterwards ("neu" is
 * refused, it is the address of the form). Names in further languages that the store holds
 * are kept, since nb_department_put replaces all names. POST /abteilungen/SLUG/loeschen
 * removes a department with its contacts and hours; while services still name it as
 * responsible, nothing changes and the department's page comes back with 409 and the list of
 * those services.
 *
 * Contacts live under their own address, since a contact may move between departments:
 * /ansprechpersonen/neu (?abteilung=SLUG preselects the department) adds one,
 * /ansprechpersonen/ID changes one (name, telephone, e-mail, role in German and English,
 * department, data-protection officer, sort) and POST /ansprechpersonen/ID/loeschen removes
 * it. An id is looked up together with the office, so an id of another office is 404.
 *
 * The data-protection officer (DPO): an office has at most one. The form names the current
 * one; marking a second contact is refused with 409 and a message next to the checkbox that
 * names the current DPO, and nothing changes. The flag is never moved silently: to change
 * the DPO, a user first clears it at the old contact, then sets it at the new one.
 *
 * Like every staff form: the role is checked first (403 for GET and POST alike); then an
 * address that names nothing in this office is 404 (before the token is looked at: the
 * address may come from another office); then a POST needs the form's CSRF token. Invalid
 * input answers 422 with the values as typed and a message next to each wrong field. Every
 * change is journalled without personal data ("department.put", "department.remove" with
 * object "department/SLUG"; "contact.add", "contact.update", "contact.remove" with object
 * "contact/ID"), the public snapshot is rendered again (nb_app_publish), and the answer is a
 * 303 to a page with a confirmation. */
#include "web/staff.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/check.h"
#include "domain/contact.h"
#include "domain/department.h"
#include "domain/service.h"
#include "http/parse.h"
#include "view/i18n.h"

#define DEPTS "/abteilungen"
#define DEPT_NEW "/abteilungen/neu"
#define CONTACTS "/ansprechpersonen"
#define CONTACT_NEW "/ansprechpersonen/neu"
#define REMOVE "/loeschen"
#define ID_MAX 9007199254740991u /* ids are SQLite rowids; JSON integers stay exact below 2^53 */

/* The languages the forms edit; index 0 is German, which a department's name requires. */
static const char *const form_langs[] = {"de", "en"};
#define NLANGS 2

/* Confirmations after a change, named by ?hinweis=. */
static const char *const notices[][2] = {
    {"angelegt", "staff_departments_created"},       {"gespeichert", "staff_departments_saved"},
    {"entfernt", "staff_departments_removed"},       {"kontakt-angelegt", "staff_contacts_created"},
    {"kontakt-gespeichert", "staff_contacts_saved"}, {"kontakt-entfernt", "staff_contacts_removed"},
};
#define NNOTICES (sizeof(notices) / sizeof(notices[0]))

/* ---- shared helpers -------------------------------------------------------------------- */

static const char *msg(struct nb_staff *s, const char *key)
{
    return nb_i18n_get(s->lang, key);
}

/* The text of a {lang: str} object in the page's language, else German, else "". */
static const char *lang_text(struct nb_staff *s, json_t *obj)
{
    const char *t = json_string_value(json_object_get(obj, nb_lang_code(s->lang)));
    if (!t)
        t = json_string_value(json_object_get(obj, "de"));
    return t ? t : "";
}

static void fail_503(struct nb_staff *s, const char *what, enum nb_err err)
{
    nb_log_error("staff.departments", "office=%s %s error=%s", s->office->slug, what,
                 nb_err_str(err));
    nb_staff_message(s, 503, "error_500_title", "error_500_text");
}

static void not_found(struct nb_staff *s)
{
    nb_staff_message(s, 404, "error_404_title", "error_404_text");
}

/* The message for a one-line field of at most NB_TITLE_MAX bytes, or NULL. */
static const char *line_error(struct nb_staff *s, struct nb_str v, bool required,
                              const char *missing)
{
    struct nb_str t = nb_str_trim(v);
    if (t.len == 0)
        return required ? msg(s, missing) : NULL;
    return nb_staff_check_message(s, nb_check_line(t, NB_TITLE_MAX, true),
                                  "staff_services_line_long", NB_TITLE_MAX,
                                  "staff_services_line_invalid");
}

static const char *phone_error(struct nb_staff *s, struct nb_str v)
{
    return nb_staff_check_message(s, nb_check_phone(nb_check_opt(nb_str_trim(v)), false),
                                  "staff_services_line_long", NB_PHONE_MAX,
                                  "staff_settings_phone_invalid");
}

static const char *email_error(struct nb_staff *s, struct nb_str v)
{
    return nb_staff_check_message(s, nb_check_email(nb_check_opt(nb_str_trim(v)), false),
                                  "staff_services_line_long", NB_EMAIL_MAX,
                                  "staff_settings_email_invalid");
}

static const char *sort_error(struct nb_staff *s, struct nb_str v, int64_t *sort)
{
    uint64_t n = 0;
    *sort = 0;
    if (v.len && !nb_str_to_u64(v, NB_SORT_MAX, &n))
        return nb_staff_text_max(s, "staff_services_sort_invalid", NB_SORT_MAX);
    *sort = (int64_t)n;
    return NULL;
}

static void set_notice(struct nb_staff *s, json_t *m)
{
    const char *notice = nb_staff_query_notice(s, notices, NNOTICES);
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
}

static bool load_departments(struct nb_staff *s, json_t **out)
{
    enum nb_err err = nb_department_list(nb_app_store(s->app), s->office->id, out);
    if (err != NB_OK)
        fail_503(s, "departments.list", err);
    return err == NB_OK;
}

/* The department slug into *out; answers 404 or 503 itself and returns false. */
static bool dept_load(struct nb_staff *s, struct nb_str slug, json_t **out)
{
    enum nb_err err = nb_department_get(nb_app_store(s->app), s->office->id, slug, out);
    if (err == NB_OK)
        return true;
    if (err == NB_ERR_NOTFOUND)
        not_found(s);
    else
        fail_503(s, "department.get", err);
    return false;
}

/* The contact id into *out; answers 404 or 503 itself and returns false. */
static bool contact_load(struct nb_staff *s, int64_t id, json_t **out)
{
    enum nb_err err = nb_contact_get(nb_app_store(s->app), s->office->id, id, out);
    if (err == NB_OK)
        return true;
    if (err == NB_ERR_NOTFOUND)
        not_found(s);
    else
        fail_503(s, "contact.get", err);
    return false;
}

static void contact_href(struct nb_staff *s, json_int_t id, char *out, size_t n)
{
    char path[64];
    snprintf(path, sizeof(path), CONTACTS "/%lld", (long long)id);
    nb_staff_url(s, path, out, n);
}

/* The model of a department's contacts for the lists: name, role, DPO mark, edit link. */
static json_t *contacts_model(struct nb_staff *s, json_t *dept)
{
    json_t *list = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(dept, "contacts"), i, c)
    {
        char href[NB_STAFF_URL_MAX];
        contact_href(s, json_integer_value(json_object_get(c, "id")), href, sizeof(href));
        json_t *o = json_object();
        nb_staff_set_text(o, "name", nb_str_c(nb_staff_str(c, "name")));
        nb_staff_set_text(o, "role", nb_str_c(lang_text(s, json_object_get(c, "role"))));
        json_object_set_new(o, "is_dpo", json_boolean(json_is_true(json_object_get(c, "is_dpo"))));
        json_object_set_new(o, "href", json_string(href));
        json_array_append_new(list, o);
    }
    return list;
}

static void contact_new_href(struct nb_staff *s, const char *slug, char *out, size_t n)
{
    char path[NB_SLUG_MAX + 48];
    snprintf(path, sizeof(path), CONTACT_NEW "?abteilung=%s", slug);
    nb_staff_url(s, path, out, n);
}

/* ---- departments: list ----------------------------------------------------------------- */

static void departments_list(struct nb_staff *s)
{
    json_t *depts = NULL;
    if (!load_departments(s, &depts))
        return;
    json_t *m = nb_staff_model(s, "title_staff_departments");
    json_t *rows = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(depts, i, d)
    {
        const char *slug = nb_staff_str(d, "slug");
        char path[NB_SLUG_MAX + 16], href[NB_STAFF_URL_MAX], add[NB_STAFF_URL_MAX];
        snprintf(path, sizeof(path), DEPTS "/%s", slug);
        nb_staff_url(s, path, href, sizeof(href));
        contact_new_href(s, slug, add, sizeof(add));
        json_t *row = json_object();
        nb_staff_set_text(row, "slug", nb_str_c(slug));
        nb_staff_set_text(row, "name", nb_str_c(lang_text(s, json_object_get(d, "name"))));
        nb_staff_set_text(row, "phone", nb_str_c(nb_staff_str(d, "phone")));
        nb_staff_set_text(row, "email", nb_str_c(nb_staff_str(d, "email")));
        json_object_set_new(row, "href", json_string(href));
        json_object_set_new(row, "contact_new_href", json_string(add));
        json_t *contacts = contacts_model(s, d);
        json_object_set_new(row, "has_contacts", json_boolean(json_array_size(contacts) > 0));
        json_object_set_new(row, "contacts", contacts);
        json_array_append_new(rows, row);
    }
    json_decref(depts);
    json_object_set_new(m, "has_departments", json_boolean(json_array_size(rows) > 0));
    json_object_set_new(m, "departments", rows);
    char href[NB_STAFF_URL_MAX];
    nb_staff_url(s, DEPT_NEW, href, sizeof(href));
    json_object_set_new(m, "new_href", json_string(href));
    set_notice(s, m);
    nb_staff_render(s, 200, "staff_departments", m);
}

/* ---- departments: the form ------------------------------------------------------------- */

struct dept_form {
    bool is_new;
    struct nb_str slug, phone, email, room, sort;
    struct nb_str name[NLANGS];
    const char *slug_error, *phone_error, *email_error, *room_error, *sort_error;
    const char *name_error[NLANGS];
    json_t *stored; /* the stored department when editing (borrowed) */
};

/* The page of a department's form with status; error is the page-level message (NULL for
 * none, the generic one with 422); blocking the services that keep it from going (409). */
static void dept_render(struct nb_staff *s, unsigned status, const struct dept_form *f,
                        const char *error, json_t *blocking)
{
    json_t *m =
        nb_staff_model(s, f->is_new ? "title_staff_department_new" : "title_staff_department_edit");
    char path[NB_SLUG_MAX + 32], action[NB_STAFF_URL_MAX];
    if (f->is_new)
        snprintf(path, sizeof(path), "%s", DEPT_NEW);
    else
        snprintf(path, sizeof(path), DEPTS "/%.*s", NB_STR_FMT(f->slug));
    nb_staff_csrf_set(s, m, "department", path);
    nb_staff_url(s, path, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(action));
    json_object_set_new(form, "is_new", json_boolean(f->is_new));
    nb_staff_set_text(form, "slug", f->slug);
    nb_staff_set_text(form, "phone", f->phone);
    nb_staff_set_text(form, "email", f->email);
    nb_staff_set_text(form, "room", f->room);
    nb_staff_set_text(form, "sort", f->sort);
    nb_staff_set_error(form, "slug_error", f->slug_error);
    nb_staff_set_error(form, "phone_error", f->phone_error);
    nb_staff_set_error(form, "email_error", f->email_error);
    nb_staff_set_error(form, "room_error", f->room_error);
    nb_staff_set_error(form, "sort_error", f->sort_error);
    json_object_set_new(
        form, "slug_hint",
        json_string(nb_staff_text_max(s, "staff_departments_slug_hint", NB_SLUG_MAX)));
    json_object_set_new(
        form, "room_hint",
        json_string(nb_staff_text_max(s, "staff_departments_room_hint", NB_NOTE_MAX)));
    json_object_set_new(
        form, "name_hint",
        json_string(nb_staff_text_max(s, "staff_departments_name_hint", NB_TITLE_MAX)));
    json_t *langs = json_array();
    for (size_t l = 0; l < NLANGS; l++) {
        char key[48];
        snprintf(key, sizeof(key), "staff_services_lang_%s", form_langs[l]);
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(form_langs[l]));
        json_object_set_new(o, "legend", json_string(msg(s, key)));
        json_object_set_new(o, "required", json_boolean(l == 0));
        nb_staff_set_text(o, "name", f->name[l]);
        nb_staff_set_error(o, "name_error", f->name_error[l]);
        json_array_append_new(langs, o);
    }
    json_object_set_new(form, "langs", langs);
    json_object_set_new(m, "form", form);

    if (!f->is_new) {
        char slug[NB_SLUG_MAX + 1], rm_path[NB_SLUG_MAX + 32], add[NB_STAFF_URL_MAX];
        snprintf(slug, sizeof(slug), "%.*s", NB_STR_FMT(f->slug));
        snprintf(rm_path, sizeof(rm_path), DEPTS "/%s" REMOVE, slug);
        nb_staff_csrf_set(s, m, "remove", rm_path);
        nb_staff_url(s, rm_path, action, sizeof(action));
        json_object_set_new(m, "remove_action", json_string(action));
        contact_new_href(s, slug, add, sizeof(add));
        json_object_set_new(m, "contact_new_href", json_string(add));
        json_t *contacts = contacts_model(s, f->stored);
        json_object_set_new(m, "has_contacts", json_boolean(json_array_size(contacts) > 0));
        json_object_set_new(m, "contacts", contacts);
        json_object_set_new(m, "edit", json_true());
        nb_staff_set_text(m, "department",
                          nb_str_c(lang_text(s, json_object_get(f->stored, "name"))));
    }
    if (status == 422)
        error = msg(s, "staff_services_errors");
    if (error)
        json_object_set_new(m, "error", json_string(error));
    if (blocking) {
        json_object_set(m, "blocking", blocking);
        json_object_set_new(m, "has_blocking", json_boolean(json_array_size(blocking) > 0));
    }
    if (status == 200)
        set_notice(s, m);
    char back[NB_STAFF_URL_MAX];
    nb_staff_url(s, DEPTS, back, sizeof(back));
    json_object_set_new(m, "list_href", json_string(back));
    nb_staff_render(s, status, "staff_department_edit", m);
}

/* The form with the stored values of department d. */
static void dept_from_store(json_t *d, char sort[24], struct dept_form *f)
{
    snprintf(sort, 24, "%lld", (long long)json_integer_value(json_object_get(d, "sort")));
    *f = (struct dept_form){
        .slug = nb_str_c(nb_staff_str(d, "slug")),
        .phone = nb_str_c(nb_staff_str(d, "phone")),
        .email = nb_str_c(nb_staff_str(d, "email")),
        .room = nb_str_c(nb_staff_str(d, "room")),
        .sort = nb_str_c(sort),
        .stored = d,
    };
    json_t *names = json_object_get(d, "name");
    for (size_t l = 0; l < NLANGS; l++)
        f->name[l] = nb_str_c(nb_staff_str(names, form_langs[l]));
}

static void dept_new_page(struct nb_staff *s)
{
    const struct dept_form f = {.is_new = true};
    dept_render(s, 200, &f, NULL, NULL);
}

static void dept_edit_page(struct nb_staff *s, json_t *d)
{
    char sort[24];
    struct dept_form f;
    dept_from_store(d, sort, &f);
    dept_render(s, 200, &f, NULL, NULL);
}

/* Reads and checks the fields other than the slug; true when there is no error. */
static bool dept_read(struct nb_staff *s, struct dept_form *f, int64_t *sort)
{
    f->phone = nb_staff_field(s, "phone");
    f->email = nb_staff_field(s, "email");
    f->room = nb_staff_field(s, "room");
    f->sort = nb_str_trim(nb_staff_field(s, "sort"));
    f->phone_error = phone_error(s, f->phone);
    f->email_error = email_error(s, f->email);
    f->room_error = nb_staff_check_message(
        s, nb_check_text(nb_str_trim(f->room), NB_NOTE_MAX, false), "staff_services_line_long",
        NB_NOTE_MAX, "staff_departments_room_invalid");
    f->sort_error = sort_error(s, f->sort, sort);
    bool ok =
        !(f->slug_error || f->phone_error || f->email_error || f->room_error || f->sort_error);
    for (size_t l = 0; l < NLANGS; l++) {
        char k[24];
        snprintf(k, sizeof(k), "name_%s", form_langs[l]);
        f->name[l] = nb_staff_field(s, k);
        f->name_error[l] = line_error(s, f->name[l], l == 0, "staff_departments_name_missing");
        ok = ok && !f->name_error[l];
    }
    return ok;
}

/* The texts of a form's languages (German, English) as typed, then the stored ones of
 * further languages (an object {lang: text}), into out; returns how many. */
static size_t lang_texts(const struct nb_str typed[NLANGS], json_t *stored,
                         struct nb_store_lang_text out[NB_LANGS_MAX])
{
    size_t n = 0;
    for (size_t l = 0; l < NLANGS; l++)
        if (nb_str_trim(typed[l]).len)
            out[n++] = (struct nb_store_lang_text){nb_str_c(form_langs[l]), nb_str_trim(typed[l])};
    const char *tag;
    json_t *v;
    json_object_foreach(stored, tag, v)
    {
        if (n >= NB_LANGS_MAX || !strcmp(tag, "de") || !strcmp(tag, "en"))
            continue;
        out[n++] = (struct nb_store_lang_text){nb_str_c(tag), nb_str_c(json_string_value(v))};
    }
    return n;
}

/* Stores the form: German and English names as given, further languages as stored. */
static enum nb_err dept_put(struct nb_staff *s, const struct dept_form *f, int64_t sort)
{
    struct nb_store_lang_text names[NB_LANGS_MAX];
    size_t n = lang_texts(f->name, json_object_get(f->stored, "name"), names);
    const struct nb_store_department d = {
        .slug = f->slug,
        .phone = nb_str_trim(f->phone),
        .email = nb_str_trim(f->email),
        .room = nb_str_trim(f->room),
        .sort = sort,
        .names = names,
        .nnames = n,
    };
    return f->is_new ? nb_department_create(nb_app_store(s->app), s->office->id, &d, s->now)
                     : nb_department_put(nb_app_store(s->app), s->office->id, &d, s->now);
}

/* The POST of the new form (stored NULL) or of the stored department. */
static void dept_post(struct nb_staff *s, json_t *stored)
{
    struct dept_form f = {.is_new = stored == NULL, .stored = stored};
    if (stored) {
        f.slug = nb_str_c(nb_staff_str(stored, "slug"));
    } else {
        f.slug = nb_str_trim(nb_staff_field(s, "slug"));
        /* "neu" is the address of this form, so no department could be reached under it. */
        if (nb_check_slug(f.slug) != NB_OK || nb_str_eq_c(f.slug, "neu")) {
            f.slug_error = msg(s, "staff_press_slug_invalid");
        } else {
            json_t *old = NULL;
            enum nb_err err = nb_department_get(nb_app_store(s->app), s->office->id, f.slug, &old);
            json_decref(old);
            if (err == NB_OK) {
                f.slug_error = msg(s, "staff_press_slug_taken");
            } else if (err != NB_ERR_NOTFOUND) {
                fail_503(s, "department.get", err);
                return;
            }
        }
    }
    int64_t sort = 0;
    if (!dept_read(s, &f, &sort)) {
        dept_render(s, 422, &f, NULL, NULL);
        return;
    }
    char object[NB_SLUG_MAX + 16], back[NB_SLUG_MAX + 48];
    snprintf(object, sizeof(object), "department/%.*s", NB_STR_FMT(f.slug));
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = dept_put(s, &f, sort);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "department.put", object,
                               f.is_new ? "created" : "changed");
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_CONFLICT && f.is_new) {
        /* Created by someone else since the form was checked. */
        f.slug_error = msg(s, "staff_press_slug_taken");
        dept_render(s, 422, &f, NULL, NULL);
        return;
    }
    if (err == NB_ERR_INPUT || err == NB_ERR_LIMIT) {
        dept_render(s, 422, &f, NULL, NULL);
        return;
    }
    if (err != NB_OK) {
        fail_503(s, "department.put", err);
        return;
    }
    snprintf(back, sizeof(back), DEPTS "/%.*s?hinweis=%s", NB_STR_FMT(f.slug),
             f.is_new ? "angelegt" : "gespeichert");
    nb_staff_redirect(s, back);
}

/* The services that name department slug as responsible, for the 409 page. */
static json_t *blocking_services(struct nb_staff *s, const char *slug)
{
    json_t *list = NULL, *out = json_array();
    if (nb_service_list(nb_app_store(s->app), s->office->id, &list) != NB_OK)
        return out;
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        if (strcmp(nb_staff_str(p, "department"), slug) != 0)
            continue;
        json_t *texts = json_object_get(p, "texts");
        json_t *shown = json_object_get(texts, nb_lang_code(s->lang));
        if (!shown)
            shown = json_object_get(texts, "de");
        char path[NB_SLUG_MAX + 16], href[NB_STAFF_URL_MAX];
        snprintf(path, sizeof(path), "/leistungen/%s", nb_staff_str(p, "slug"));
        nb_staff_url(s, path, href, sizeof(href));
        json_t *o = json_object();
        nb_staff_set_text(o, "name", nb_str_c(nb_staff_str(shown, "name")));
        json_object_set_new(o, "href", json_string(href));
        json_array_append_new(out, o);
    }
    json_decref(list);
    return out;
}

static void dept_remove_post(struct nb_staff *s, json_t *stored)
{
    const char *slug = nb_staff_str(stored, "slug");
    char object[NB_SLUG_MAX + 16], summary[64];
    snprintf(object, sizeof(object), "department/%s", slug);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    json_t *now = NULL;
    /* The contacts removed with it are counted in the same command. */
    if (err == NB_OK)
        err = nb_department_get(nb_app_store(s->app), s->office->id, nb_str_c(slug), &now);
    snprintf(summary, sizeof(summary), "removed, contacts removed with it: %zu",
             json_array_size(json_object_get(now, "contacts")));
    json_decref(now);
    if (err == NB_OK)
        err = nb_department_remove(nb_app_store(s->app), s->office->id, nb_str_c(slug), s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "department.remove", object, summary);
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_NOTFOUND) {
        not_found(s);
        return;
    }
    if (err == NB_ERR_CONFLICT) {
        char sort[24];
        struct dept_form f;
        dept_from_store(stored, sort, &f);
        json_t *blocking = blocking_services(s, slug);
        dept_render(s, 409, &f, msg(s, "staff_departments_in_use"), blocking);
        json_decref(blocking);
        return;
    }
    if (err != NB_OK) {
        fail_503(s, "department.remove", err);
        return;
    }
    nb_staff_redirect(s, DEPTS "?hinweis=entfernt");
}

/* ---- contacts: the form ---------------------------------------------------------------- */

struct contact_form {
    int64_t id; /* 0 for a new contact */
    struct nb_str name, phone, email, department, sort;
    bool is_dpo;
    struct nb_str role[NLANGS];
    const char *name_error, *phone_error, *email_error, *department_error, *sort_error, *dpo_error;
    const char *role_error[NLANGS];
    json_t *stored;      /* the stored contact when editing (borrowed) */
    json_t *departments; /* the office's departments (borrowed) */
};

/* The office's DPO into *out (NULL when none); answers 503 itself and returns false. */
static bool load_dpo(struct nb_staff *s, json_t **out)
{
    enum nb_err err = nb_contact_dpo(nb_app_store(s->app), s->office->id, out);
    if (err == NB_ERR_NOTFOUND) {
        *out = NULL;
        return true;
    }
    if (err != NB_OK)
        fail_503(s, "contact.dpo", err);
    return err == NB_OK;
}

static void contact_render(struct nb_staff *s, unsigned status, const struct contact_form *f,
                           json_t *dpo)
{
    bool is_new = f->id == 0;
    json_t *m = nb_staff_model(s, is_new ? "title_staff_contact_new" : "title_staff_contact_edit");
    char path[64], action[NB_STAFF_URL_MAX];
    if (is_new)
        snprintf(path, sizeof(path), "%s", CONTACT_NEW);
    else
        snprintf(path, sizeof(path), CONTACTS "/%lld", (long long)f->id);
    nb_staff_csrf_set(s, m, "contact", path);
    nb_staff_url(s, path, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(action));
    nb_staff_set_text(form, "name", f->name);
    nb_staff_set_text(form, "phone", f->phone);
    nb_staff_set_text(form, "email", f->email);
    nb_staff_set_text(form, "sort", f->sort);
    json_object_set_new(form, "is_dpo", json_boolean(f->is_dpo));
    nb_staff_set_error(form, "name_error", f->name_error);
    nb_staff_set_error(form, "phone_error", f->phone_error);
    nb_staff_set_error(form, "email_error", f->email_error);
    nb_staff_set_error(form, "department_error", f->department_error);
    nb_staff_set_error(form, "sort_error", f->sort_error);
    nb_staff_set_error(form, "dpo_error", f->dpo_error);
    json_object_set_new(
        form, "name_hint",
        json_string(nb_staff_text_max(s, "staff_departments_name_hint", NB_TITLE_MAX)));
    /* Name the current DPO when it is another contact: the user sees before saving that a
     * second one is refused. */
    if (dpo && json_integer_value(json_object_get(dpo, "id")) != f->id)
        json_object_set_new(form, "dpo_current",
                            json_string(nb_staff_format(s, "staff_contacts_dpo_current", "name",
                                                        nb_staff_str(dpo, "name"))));
    json_t *options = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(f->departments, i, d)
    {
        const char *slug = nb_staff_str(d, "slug");
        json_t *o = json_object();
        nb_staff_set_text(o, "value", nb_str_c(slug));
        nb_staff_set_text(o, "name", nb_str_c(lang_text(s, json_object_get(d, "name"))));
        json_object_set_new(o, "selected", json_boolean(nb_str_eq_c(f->department, slug)));
        json_array_append_new(options, o);
    }
    json_object_set_new(form, "departments", options);
    json_t *langs = json_array();
    for (size_t l = 0; l < NLANGS; l++) {
        char key[48];
        snprintf(key, sizeof(key), "staff_contacts_role_%s", form_langs[l]);
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(form_langs[l]));
        json_object_set_new(o, "legend", json_string(msg(s, key)));
        nb_staff_set_text(o, "role", f->role[l]);
        nb_staff_set_error(o, "role_error", f->role_error[l]);
        json_array_append_new(langs, o);
    }
    json_object_set_new(form, "langs", langs);
    json_object_set_new(m, "form", form);

    if (!is_new) {
        char rm_path[80];
        snprintf(rm_path, sizeof(rm_path), CONTACTS "/%lld" REMOVE, (long long)f->id);
        nb_staff_csrf_set(s, m, "remove", rm_path);
        nb_staff_url(s, rm_path, action, sizeof(action));
        json_object_set_new(m, "remove_action", json_string(action));
        json_object_set_new(m, "edit", json_true());
    }
    if (status == 422)
        json_object_set_new(m, "error", json_string(msg(s, "staff_services_errors")));
    else if (status == 409)
        json_object_set_new(m, "error", json_string(f->dpo_error));
    if (status == 200)
        set_notice(s, m);
    char back[NB_STAFF_URL_MAX];
    nb_staff_url(s, DEPTS, back, sizeof(back));
    json_object_set_new(m, "list_href", json_string(back));
    nb_staff_render(s, status, "staff_contact_edit", m);
}

static void contact_new_page(struct nb_staff *s)
{
    json_t *departments = NULL, *dpo = NULL;
    if (!load_departments(s, &departments))
        return;
    if (!load_dpo(s, &dpo)) {
        json_decref(departments);
        return;
    }
    struct nb_str pre = {0};
    if (nb_http_query_get(s->req->query, "abteilung", &s->req->arena, &pre) != NB_OK)
        pre = (struct nb_str){0};
    const struct contact_form f = {.department = pre, .departments = departments};
    contact_render(s, 200, &f, dpo);
    json_decref(dpo);
    json_decref(departments);
}

static void contact_from_store(json_t *c, char sort[24], struct contact_form *f)
{
    snprintf(sort, 24, "%lld", (long long)json_integer_value(json_object_get(c, "sort")));
    f->id = json_integer_value(json_object_get(c, "id"));
    f->name = nb_str_c(nb_staff_str(c, "name"));
    f->phone = nb_str_c(nb_staff_str(c, "phone"));
    f->email = nb_str_c(nb_staff_str(c, "email"));
    f->department = nb_str_c(nb_staff_str(c, "department"));
    f->sort = nb_str_c(sort);
    f->is_dpo = json_is_true(json_object_get(c, "is_dpo"));
    f->stored = c;
    json_t *roles = json_object_get(c, "role");
    for (size_t l = 0; l < NLANGS; l++)
        f->role[l] = nb_str_c(nb_staff_str(roles, form_langs[l]));
}

static void contact_edit_page(struct nb_staff *s, json_t *c)
{
    json_t *departments = NULL, *dpo = NULL;
    if (!load_departments(s, &departments))
        return;
    if (!load_dpo(s, &dpo)) {
        json_decref(departments);
        return;
    }
    char sort[24];
    struct contact_form f = {.departments = departments};
    contact_from_store(c, sort, &f);
    contact_render(s, 200, &f, dpo);
    json_decref(dpo);
    json_decref(departments);
}

/* Reads and checks the form; true when there is no error. */
static bool contact_read(struct nb_staff *s, struct contact_form *f, int64_t *sort)
{
    f->name = nb_staff_field(s, "name");
    f->phone = nb_staff_field(s, "phone");
    f->email = nb_staff_field(s, "email");
    f->department = nb_str_trim(nb_staff_field(s, "department"));
    f->sort = nb_str_trim(nb_staff_field(s, "sort"));
    f->is_dpo = nb_staff_field(s, "is_dpo").len > 0;
    f->name_error = line_error(s, f->name, true, "staff_contacts_name_missing");
    f->phone_error = phone_error(s, f->phone);
    f->email_error = email_error(s, f->email);
    if (!nb_staff_has_slug(f->departments, f->department))
        f->department_error = msg(s, "staff_services_department_invalid");
    f->sort_error = sort_error(s, f->sort, sort);
    bool ok = !(f->name_error || f->phone_error || f->email_error || f->department_error ||
                f->sort_error);
    for (size_t l = 0; l < NLANGS; l++) {
        char k[24];
        snprintf(k, sizeof(k), "role_%s", form_langs[l]);
        f->role[l] = nb_staff_field(s, k);
        f->role_error[l] = line_error(s, f->role[l], false, NULL);
        ok = ok && !f->role_error[l];
    }
    return ok;
}

/* Stores the form: roles in German and English as given, further languages as stored. */
static enum nb_err contact_put(struct nb_staff *s, struct contact_form *f, int64_t sort)
{
    struct nb_store_lang_text roles[NB_LANGS_MAX];
    size_t n = lang_texts(f->role, json_object_get(f->stored, "role"), roles);
    const struct nb_store_contact c = {
        .department = f->department,
        .name = nb_str_trim(f->name),
        .phone = nb_str_trim(f->phone),
        .email = nb_str_trim(f->email),
        .is_dpo = f->is_dpo,
        .sort = sort,
        .roles = roles,
        .nroles = n,
    };
    if (f->id == 0)
        return nb_contact_add(nb_app_store(s->app), s->office->id, &c, s->now, &f->id);
    return nb_contact_update(nb_app_store(s->app), s->office->id, f->id, &c, s->now);
}

/* The POST of the new form (stored NULL) or of the stored contact. */
static void contact_post(struct nb_staff *s, json_t *stored)
{
    json_t *departments = NULL, *dpo = NULL;
    if (!load_departments(s, &departments))
        return;
    if (!load_dpo(s, &dpo)) {
        json_decref(departments);
        return;
    }
    struct contact_form f = {.stored = stored, .departments = departments};
    if (stored)
        f.id = json_integer_value(json_object_get(stored, "id"));
    int64_t sort = 0;
    bool ok = contact_read(s, &f, &sort);
    /* A second DPO is refused, naming the one the office has. */
    bool dpo_taken = f.is_dpo && dpo && json_integer_value(json_object_get(dpo, "id")) != f.id;
    if (dpo_taken)
        f.dpo_error =
            nb_staff_format(s, "staff_contacts_dpo_taken", "name", nb_staff_str(dpo, "name"));
    if (!ok || dpo_taken) {
        contact_render(s, ok ? 409 : 422, &f, dpo);
        goto done;
    }
    bool is_new = f.id == 0;
    char object[48], summary[NB_SLUG_MAX + 64], back[80];
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = contact_put(s, &f, sort);
    if (err == NB_OK) {
        snprintf(object, sizeof(object), "contact/%lld", (long long)f.id);
        snprintf(summary, sizeof(summary), "%s, department %.*s%s", is_new ? "added" : "changed",
                 NB_STR_FMT(f.department), f.is_dpo ? ", data-protection officer" : "");
        err = nb_staff_journal(s, tx, s->account_name, is_new ? "contact.add" : "contact.update",
                               object, summary);
    }
    err = nb_staff_end(s, &tx, err, true);
    if (err != NB_OK && is_new)
        f.id = 0; /* the id was never committed */
    if (err == NB_ERR_CONFLICT) {
        /* Another request marked a DPO in the meantime. */
        json_decref(dpo);
        dpo = NULL;
        if (!load_dpo(s, &dpo))
            goto done;
        f.dpo_error = nb_staff_format(s, "staff_contacts_dpo_taken", "name",
                                      dpo ? nb_staff_str(dpo, "name") : "");
        contact_render(s, 409, &f, dpo);
        goto done;
    }
    if (err == NB_ERR_NOTFOUND && !is_new) {
        json_t *again = NULL;
        if (nb_contact_get(nb_app_store(s->app), s->office->id, f.id, &again) == NB_ERR_NOTFOUND) {
            not_found(s);
            goto done;
        }
        json_decref(again);
    }
    if (err == NB_ERR_NOTFOUND) {
        /* The department was removed meanwhile. */
        f.department_error = msg(s, "staff_services_department_invalid");
        contact_render(s, 422, &f, dpo);
        goto done;
    }
    if (err == NB_ERR_INPUT || err == NB_ERR_LIMIT) {
        contact_render(s, 422, &f, dpo);
        goto done;
    }
    if (err != NB_OK) {
        fail_503(s, is_new ? "contact.add" : "contact.update", err);
        goto done;
    }
    snprintf(back, sizeof(back), CONTACTS "/%lld?hinweis=%s", (long long)f.id,
             is_new ? "kontakt-angelegt" : "kontakt-gespeichert");
    nb_staff_redirect(s, back);
done:
    json_decref(dpo);
    json_decref(departments);
}

static void contact_remove_post(struct nb_staff *s, json_t *stored)
{
    int64_t id = json_integer_value(json_object_get(stored, "id"));
    const char *dept = nb_staff_str(stored, "department");
    char object[48], summary[NB_SLUG_MAX + 32], back[NB_SLUG_MAX + 48];
    snprintf(object, sizeof(object), "contact/%lld", (long long)id);
    snprintf(summary, sizeof(summary), "removed from department %s", dept);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_contact_remove(nb_app_store(s->app), s->office->id, id, s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "contact.remove", object, summary);
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_NOTFOUND) {
        not_found(s);
        return;
    }
    if (err != NB_OK) {
        fail_503(s, "contact.remove", err);
        return;
    }
    snprintf(back, sizeof(back), DEPTS "/%s?hinweis=kontakt-entfernt", dept);
    nb_staff_redirect(s, back);
}

/* ---- routes --------------------------------------------------------------------------- */

static void route_departments(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    departments_list(s);
}

static void route_dept_new(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    if (s->req->method == NB_HTTP_POST)
        dept_post(s, NULL);
    else
        dept_new_page(s);
}

/* The department of /abteilungen/SLUG[/...] into *d; answers 404 or 503 itself. */
static bool route_dept_load(struct nb_staff *s, const struct nb_route_params *p, json_t **d)
{
    *d = NULL;
    if (nb_str_is_slug(p->v[0]))
        return dept_load(s, p->v[0], d);
    not_found(s);
    return false;
}

static void route_dept(struct nb_staff *s, const struct nb_route_params *p)
{
    json_t *d;
    if (!route_dept_load(s, p, &d))
        return;
    if (s->req->method == NB_HTTP_POST)
        dept_post(s, d);
    else
        dept_edit_page(s, d);
    json_decref(d);
}

static void route_dept_remove(struct nb_staff *s, const struct nb_route_params *p)
{
    json_t *d;
    if (!route_dept_load(s, p, &d))
        return;
    dept_remove_post(s, d);
    json_decref(d);
}

static void route_contact_new(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    if (s->req->method == NB_HTTP_POST)
        contact_post(s, NULL);
    else
        contact_new_page(s);
}

/* /ansprechpersonen/ID and /ansprechpersonen/ID/loeschen. One address per contact: an id
 * with leading zeros is not found. */
static void route_contact(struct nb_staff *s, const struct nb_route_params *p)
{
    struct nb_str id_v = p->v[0];
    uint64_t id = 0;
    json_t *c = NULL;
    if (id_v.len == 0 || id_v.ptr[0] == '0' || !nb_str_to_u64(id_v, ID_MAX, &id)) {
        not_found(s);
        return;
    }
    if (!contact_load(s, (int64_t)id, &c))
        return;
    if (s->req->method != NB_HTTP_POST)
        contact_edit_page(s, c);
    else if (nb_str_eq_c(nb_staff_last_segment(s), REMOVE + 1))
        contact_remove_post(s, c);
    else
        contact_post(s, c);
    json_decref(c);
}

static bool dept_found(struct nb_staff *s, const struct nb_route_params *p)
{
    json_t *d;
    bool ok = route_dept_load(s, p, &d);
    json_decref(d);
    return ok;
}

static bool contact_found(struct nb_staff *s, const struct nb_route_params *p)
{
    struct nb_str id_v = p->v[0];
    uint64_t id = 0;
    json_t *c = NULL;
    if (id_v.len == 0 || id_v.ptr[0] == '0' || !nb_str_to_u64(id_v, ID_MAX, &id)) {
        not_found(s);
        return false;
    }
    bool ok = contact_load(s, (int64_t)id, &c);
    json_decref(c);
    return ok;
}

static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, DEPTS, NB_STAFF_CONTENT, false, route_departments, NULL},
    {NB_HTTP_GET, DEPT_NEW, NB_STAFF_CONTENT, false, route_dept_new, NULL},
    {NB_HTTP_POST, DEPT_NEW, NB_STAFF_CONTENT, true, route_dept_new, NULL},
    {NB_HTTP_GET, DEPTS "/{slug}", NB_STAFF_CONTENT, false, route_dept, NULL},
    {NB_HTTP_POST, DEPTS "/{slug}", NB_STAFF_CONTENT, true, route_dept, dept_found},
    {NB_HTTP_POST, DEPTS "/{slug}" REMOVE, NB_STAFF_CONTENT, true, route_dept_remove, dept_found},
    {NB_HTTP_GET, CONTACT_NEW, NB_STAFF_CONTENT, false, route_contact_new, NULL},
    {NB_HTTP_POST, CONTACT_NEW, NB_STAFF_CONTENT, true, route_contact_new, NULL},
    {NB_HTTP_GET, CONTACTS "/{id}", NB_STAFF_CONTENT, false, route_contact, NULL},
    {NB_HTTP_POST, CONTACTS "/{id}", NB_STAFF_CONTENT, true, route_contact, contact_found},
    {NB_HTTP_POST, CONTACTS "/{id}" REMOVE, NB_STAFF_CONTENT, true, route_contact, contact_found},
};
const struct nb_staff_routes nb_staff_departments_routes =
    NB_STAFF_ROUTES("staff_departments.c", rows);
