/* staff_hours.c: the back-office forms for the telephone hours of the departments
 * (/intern/zeiten, NB_ACT_CONTENT_EDIT) and for the office's settings (/intern/einstellungen,
 * NB_ACT_SETTINGS_EDIT): central e-mail, telephone, postal address and the Land whose
 * public holidays apply.
 *
 * /zeiten lists the departments with their weekly telephone hours and dated exceptions;
 * /zeiten/SLUG has a table of at most two ranges per weekday ("von"/"bis", empty = none),
 * the form for one dated exception (closed, or one range instead of the weekly ones, with a
 * note per language) and a button per exception to remove it. Saving the weekly hours
 * replaces only the "phone" slots: the counter slots are read from the store and written
 * back unchanged. A day with more than two stored telephone ranges shows its first two,
 * and saving keeps only what the form shows.
 *
 * Like every staff form: role first, then the CSRF token; invalid input comes back with
 * 422, the values as typed and a message next to each wrong field; a change is journalled
 * ("hours.weekly", "hours.exception", "office.settings"), the public snapshot is rendered
 * again (nb_app_publish), and the answer is a 303 back to the form with a confirmation. */
#include "web/staff.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/holiday.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/check.h"
#include "domain/department.h"
#include "domain/hours_store.h"
#include "domain/office.h"
#include "http/parse.h"
#include "view/i18n.h"
#include "web/form.h"

#define HOURS "/zeiten"
#define SETTINGS "/einstellungen"
#define EXC "/ausnahme"
#define EXC_DELETE "/ausnahme/loeschen"
#define RANGES 2 /* ranges per weekday in the form */

/* ---- shared helpers ------------------------------------------------------------------------ */

static const char *msg(struct nb_staff *s, const char *key)
{
    return nb_i18n_get(s->lang, key);
}

static bool saved_notice(struct nb_staff *s)
{
    struct nb_str q;
    return nb_http_query_get(s->req->query, "hinweis", &s->req->arena, &q) == NB_OK &&
           nb_str_eq_c(q, "gespeichert");
}

static void fail_503(struct nb_staff *s, const char *what, enum nb_err err)
{
    nb_log_error(what, "office=%s error=%s", s->office->slug, nb_err_str(err));
    nb_staff_message(s, 503, "error_500_title", "error_500_text");
}

/* The text of a {lang: str} object in the page's language, else German, else "". */
static const char *lang_text(struct nb_staff *s, json_t *obj)
{
    const char *t = json_string_value(json_object_get(obj, nb_lang_code(s->lang)));
    if (!t)
        t = json_string_value(json_object_get(obj, "de"));
    return t ? t : "";
}

/* A range "von"/"bis" as typed: NB_OK with both minutes, NB_ERR_NOTFOUND when both are
 * empty, NB_ERR_INPUT with *error set otherwise. "24:00" may end a range, not start one. */
static enum nb_err parse_range(struct nb_staff *s, struct nb_str from, struct nb_str to, int *start,
                               int *end, const char **error)
{
    from = nb_str_trim(from);
    to = nb_str_trim(to);
    if (!from.len && !to.len)
        return NB_ERR_NOTFOUND;
    if (!from.len || !to.len) {
        *error = msg(s, "staff_hours_range_incomplete");
        return NB_ERR_INPUT;
    }
    if (nb_civil_parse_hhmm(from, start) != NB_OK || *start >= 1440 ||
        nb_civil_parse_hhmm(to, end) != NB_OK) {
        *error = msg(s, "staff_hours_time_invalid");
        return NB_ERR_INPUT;
    }
    if (*start >= *end) {
        *error = msg(s, "staff_hours_range_order");
        return NB_ERR_INPUT;
    }
    return NB_OK;
}

static const char *note_error(struct nb_staff *s, struct nb_str note)
{
    return nb_staff_check_message(s, nb_check_line(nb_str_trim(note), NB_NOTE_MAX, false),
                                  "staff_hours_note_long", NB_NOTE_MAX, "staff_hours_note_invalid");
}

/* ---- the list of departments --------------------------------------------------------------- */

/* "09:00–12:00, 13:00–15:00" of the phone slots of weekday wd, "" when none. */
static json_t *day_text(json_t *hours, int wd)
{
    char out[256];
    size_t len = 0;
    out[0] = '\0';
    size_t i;
    json_t *e;
    json_array_foreach(hours, i, e)
    {
        if (!nb_str_eq_c(nb_str_c(json_string_value(json_object_get(e, "kind"))), "phone") ||
            json_integer_value(json_object_get(e, "weekday")) != wd)
            continue;
        char a[NB_CIVIL_HHMM_SIZE], b[NB_CIVIL_HHMM_SIZE];
        nb_civil_fmt_hhmm(a, sizeof(a), (int)json_integer_value(json_object_get(e, "start")));
        nb_civil_fmt_hhmm(b, sizeof(b), (int)json_integer_value(json_object_get(e, "end")));
        int n = snprintf(out + len, sizeof(out) - len, "%s%s–%s", len ? ", " : "", a, b);
        if (n < 0 || (size_t)n >= sizeof(out) - len)
            break;
        len += (size_t)n;
    }
    return json_string(out);
}

/* The model of a department's exceptions: date, what holds, note. */
static json_t *exceptions_model(struct nb_staff *s, json_t *dept)
{
    json_t *list = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(dept, "exceptions"), i, e)
    {
        char what[128];
        if (json_is_true(json_object_get(e, "closed"))) {
            snprintf(what, sizeof(what), "%s", msg(s, "closed"));
        } else {
            size_t len = 0, k;
            json_t *slot;
            what[0] = '\0';
            json_array_foreach(json_object_get(e, "slots"), k, slot)
            {
                char a[NB_CIVIL_HHMM_SIZE], b[NB_CIVIL_HHMM_SIZE];
                nb_civil_fmt_hhmm(a, sizeof(a),
                                  (int)json_integer_value(json_object_get(slot, "start")));
                nb_civil_fmt_hhmm(b, sizeof(b),
                                  (int)json_integer_value(json_object_get(slot, "end")));
                int n = snprintf(what + len, sizeof(what) - len, "%s%s–%s", len ? ", " : "", a, b);
                if (n < 0 || (size_t)n >= sizeof(what) - len)
                    break;
                len += (size_t)n;
            }
        }
        json_t *notes = json_object_get(e, "note");
        const char *date = json_string_value(json_object_get(e, "date"));
        json_t *x = json_pack("{s:s, s:s}", "date", date ? date : "", "what", what);
        const char *note = json_string_value(json_object_get(notes, nb_lang_code(s->lang)));
        if (note && *note)
            json_object_set_new(x, "note", json_string(note));
        json_array_append_new(list, x);
    }
    return list;
}

static void hours_list(struct nb_staff *s)
{
    json_t *depts = NULL;
    enum nb_err err = nb_department_list(nb_app_store(s->app), s->office->id, &depts);
    if (err != NB_OK) {
        fail_503(s, "staff.hours", err);
        return;
    }
    json_t *m = nb_staff_model(s, "title_staff_hours");
    json_t *list = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(depts, i, d)
    {
        const char *slug = json_string_value(json_object_get(d, "slug"));
        char path[NB_SLUG_MAX + 16], href[NB_STAFF_URL_MAX];
        snprintf(path, sizeof(path), HOURS "/%s", slug ? slug : "");
        nb_staff_url(s, path, href, sizeof(href));
        json_t *days = json_array();
        for (int wd = 1; wd <= 7; wd++) {
            char key[16];
            snprintf(key, sizeof(key), "weekday_%d", wd);
            json_t *t = day_text(json_object_get(d, "hours"), wd);
            if (json_string_length(t) == 0) {
                json_decref(t);
                t = json_string(msg(s, "closed"));
            }
            json_array_append_new(days, json_pack("{s:s, s:o}", "weekday", msg(s, key), "text", t));
        }
        json_t *exc = exceptions_model(s, d);
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:o, s:b, s:o}", "slug", slug ? slug : "", "name",
                            lang_text(s, json_object_get(d, "name")), "href", href, "days", days,
                            "has_exceptions", json_array_size(exc) > 0, "exceptions", exc));
    }
    json_object_set_new(m, "departments", list);
    json_decref(depts);
    nb_staff_render(s, 200, "staff_hours", m);
}

/* ---- one department: weekly hours and exceptions ------------------------------------------- */

struct range_in {
    struct nb_str from, to;
    const char *error;
};

struct weekly_form {
    struct range_in r[7][RANGES];
};

struct exc_form {
    struct nb_str date, kind, from, to, note_de, note_en;
    const char *date_error, *kind_error, *range_error, *note_de_error, *note_en_error;
};

/* The weekly form with the stored telephone hours; times copied into the request arena. */
static void weekly_from_store(struct nb_staff *s, json_t *dept, struct weekly_form *f)
{
    memset(f, 0, sizeof(*f));
    int used[8] = {0};
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(dept, "hours"), i, e)
    {
        json_int_t wd = json_integer_value(json_object_get(e, "weekday"));
        if (!nb_str_eq_c(nb_str_c(json_string_value(json_object_get(e, "kind"))), "phone") ||
            wd < 1 || wd > 7 || used[wd] >= RANGES)
            continue;
        char a[NB_CIVIL_HHMM_SIZE], b[NB_CIVIL_HHMM_SIZE];
        nb_civil_fmt_hhmm(a, sizeof(a), (int)json_integer_value(json_object_get(e, "start")));
        nb_civil_fmt_hhmm(b, sizeof(b), (int)json_integer_value(json_object_get(e, "end")));
        struct range_in *r = &f->r[wd - 1][used[wd]++];
        r->from = nb_str_c(nb_arena_strndup(&s->req->arena, a, strlen(a)));
        r->to = nb_str_c(nb_arena_strndup(&s->req->arena, b, strlen(b)));
    }
}

static void dept_page(struct nb_staff *s, unsigned status, json_t *dept, const char *slug,
                      const struct weekly_form *w, const struct exc_form *x, const char *notice)
{
    char base[NB_SLUG_MAX + 16], path[NB_SLUG_MAX + 48], url[NB_STAFF_URL_MAX];
    snprintf(base, sizeof(base), HOURS "/%s", slug);
    json_t *m = nb_staff_model(s, "title_staff_hours_edit");
    nb_staff_csrf_set(s, m, "weekly", base);
    snprintf(path, sizeof(path), "%s" EXC, base);
    nb_staff_csrf_set(s, m, "exception", path);
    snprintf(path, sizeof(path), "%s" EXC_DELETE, base);
    nb_staff_csrf_set(s, m, "exception_delete", path);

    json_object_set_new(m, "department", json_string(lang_text(s, json_object_get(dept, "name"))));
    nb_staff_url(s, HOURS, url, sizeof(url));
    json_object_set_new(m, "list_href", json_string(url));

    json_t *weekly = json_object();
    nb_staff_url(s, base, url, sizeof(url));
    json_object_set_new(weekly, "action", json_string(url));
    json_t *days = json_array();
    for (int d = 0; d < 7; d++) {
        char key[16];
        snprintf(key, sizeof(key), "weekday_%d", d + 1);
        json_t *ranges = json_array();
        for (int r = 0; r < RANGES; r++) {
            const struct range_in *in = &w->r[d][r];
            char id[16];
            snprintf(id, sizeof(id), "w%d-%d", d + 1, r + 1);
            json_t *o = json_pack("{s:s, s:i}", "id", id, "n", r + 1);
            nb_staff_set_text(o, "from", in->from);
            nb_staff_set_text(o, "to", in->to);
            nb_staff_set_error(o, "range_err", in->error);
            json_array_append_new(ranges, o);
        }
        json_array_append_new(days, json_pack("{s:i, s:s, s:o}", "day", d + 1, "weekday",
                                              msg(s, key), "ranges", ranges));
    }
    json_object_set_new(weekly, "days", days);
    json_object_set_new(m, "weekly", weekly);

    json_t *exc = json_object();
    snprintf(path, sizeof(path), "%s" EXC, base);
    nb_staff_url(s, path, url, sizeof(url));
    json_object_set_new(exc, "action", json_string(url));
    nb_staff_set_text(exc, "date", x->date);
    json_object_set_new(exc, "closed", json_boolean(!nb_str_eq_c(x->kind, "open")));
    json_object_set_new(exc, "open", json_boolean(nb_str_eq_c(x->kind, "open")));
    nb_staff_set_text(exc, "from", x->from);
    nb_staff_set_text(exc, "to", x->to);
    nb_staff_set_text(exc, "note_de", x->note_de);
    nb_staff_set_text(exc, "note_en", x->note_en);
    nb_staff_set_error(exc, "date_error", x->date_error);
    nb_staff_set_error(exc, "kind_error", x->kind_error);
    nb_staff_set_error(exc, "range_error", x->range_error);
    nb_staff_set_error(exc, "note_de_error", x->note_de_error);
    nb_staff_set_error(exc, "note_en_error", x->note_en_error);
    json_object_set_new(exc, "note_hint",
                        json_string(nb_staff_text_max(s, "staff_hours_note_hint", NB_NOTE_MAX)));
    json_object_set_new(m, "exception", exc);

    json_t *list = exceptions_model(s, dept);
    snprintf(path, sizeof(path), "%s" EXC_DELETE, base);
    nb_staff_url(s, path, url, sizeof(url));
    json_object_set_new(m, "delete_action", json_string(url));
    json_object_set_new(m, "has_exceptions", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "exceptions", list);

    if (status == 422)
        json_object_set_new(m, "error", json_string(msg(s, "staff_hours_errors")));
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    nb_staff_render(s, status, "staff_hours_edit", m);
}

static const struct exc_form empty_exc = {.kind = {"closed", 6}};

static void weekly_post(struct nb_staff *s, json_t *dept, const char *slug)
{
    struct weekly_form f;
    memset(&f, 0, sizeof(f));
    /* The counter slots stay as stored; the phone slots are what the form says. */
    struct nb_store_slot slots[NB_HOURS_WEEK_SLOTS_MAX];
    size_t n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(dept, "hours"), i, e)
    {
        const char *kind = json_string_value(json_object_get(e, "kind"));
        if (!kind || strcmp(kind, "phone") == 0 || n == NB_HOURS_WEEK_SLOTS_MAX)
            continue;
        slots[n++] = (struct nb_store_slot){nb_str_c(kind),
                                            (int)json_integer_value(json_object_get(e, "weekday")),
                                            (int)json_integer_value(json_object_get(e, "start")),
                                            (int)json_integer_value(json_object_get(e, "end"))};
    }
    bool bad = false;
    for (int d = 0; d < 7; d++) {
        int start[RANGES], end[RANGES];
        bool have[RANGES] = {false};
        for (int r = 0; r < RANGES; r++) {
            char fn[16], tn[16];
            snprintf(fn, sizeof(fn), "from_%d_%d", d + 1, r + 1);
            snprintf(tn, sizeof(tn), "to_%d_%d", d + 1, r + 1);
            struct range_in *in = &f.r[d][r];
            in->from = nb_staff_field(s, fn);
            in->to = nb_staff_field(s, tn);
            enum nb_err err = parse_range(s, in->from, in->to, &start[r], &end[r], &in->error);
            if (err == NB_OK)
                have[r] = true;
            else if (err != NB_ERR_NOTFOUND)
                bad = true;
        }
        if (have[0] && have[1] && start[0] < end[1] && start[1] < end[0]) {
            f.r[d][1].error = msg(s, "staff_hours_range_overlap");
            bad = true;
        }
        for (int r = 0; r < RANGES && !bad; r++)
            if (have[r])
                slots[n++] = (struct nb_store_slot){NB_STR("phone"), d + 1, start[r], end[r]};
    }
    if (bad) {
        dept_page(s, 422, dept, slug, &f, &empty_exc, NULL);
        return;
    }
    char object[NB_SLUG_MAX + 16], path[NB_SLUG_MAX + 48];
    snprintf(object, sizeof(object), "department/%s", slug);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_hours_store_set_weekly(nb_app_store(s->app), s->office->id, nb_str_c(slug), slots,
                                        n, s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "hours.weekly", object,
                               "weekly telephone hours set");
    err = nb_staff_end(s, &tx, err, true);
    if (err != NB_OK) {
        fail_503(s, "staff.hours", err);
        return;
    }
    snprintf(path, sizeof(path), HOURS "/%s?hinweis=gespeichert", slug);
    nb_staff_redirect(s, path);
}

static void exception_post(struct nb_staff *s, json_t *dept, const char *slug)
{
    struct exc_form x = {
        .date = nb_staff_field(s, "date"),
        .kind = nb_staff_field(s, "kind"),
        .from = nb_staff_field(s, "from"),
        .to = nb_staff_field(s, "to"),
        .note_de = nb_staff_field(s, "note_de"),
        .note_en = nb_staff_field(s, "note_en"),
    };
    int32_t date = 0;
    struct nb_str date_s = nb_str_trim(x.date);
    if (nb_civil_parse_date(date_s, &date) != NB_OK)
        x.date_error = msg(s, "staff_hours_date_invalid");
    bool closed = nb_str_eq_c(x.kind, "closed");
    if (!closed && !nb_str_eq_c(x.kind, "open"))
        x.kind_error = msg(s, "staff_hours_kind_invalid");
    int start = 0, end = 0;
    if (!closed && !x.kind_error) {
        enum nb_err err = parse_range(s, x.from, x.to, &start, &end, &x.range_error);
        if (err == NB_ERR_NOTFOUND)
            x.range_error = msg(s, "staff_hours_range_incomplete");
    }
    x.note_de_error = note_error(s, x.note_de);
    x.note_en_error = note_error(s, x.note_en);
    if (x.date_error || x.kind_error || x.range_error || x.note_de_error || x.note_en_error) {
        struct weekly_form w;
        weekly_from_store(s, dept, &w);
        dept_page(s, 422, dept, slug, &w, &x, NULL);
        return;
    }
    struct nb_store_lang_text notes[2];
    size_t nn = 0;
    struct nb_str de = nb_str_trim(x.note_de), en = nb_str_trim(x.note_en);
    if (de.len)
        notes[nn++] = (struct nb_store_lang_text){NB_STR("de"), de};
    if (en.len)
        notes[nn++] = (struct nb_store_lang_text){NB_STR("en"), en};
    const struct nb_store_slot slot = {NB_STR("phone"), 0, start, end};
    const struct nb_store_hours_exception e = {
        .date = date_s,
        .closed = closed,
        .slots = closed ? NULL : &slot,
        .nslots = closed ? 0 : 1,
        .notes = notes,
        .nnotes = nn,
    };
    char object[NB_SLUG_MAX + 16], summary[64], path[NB_SLUG_MAX + 48];
    snprintf(object, sizeof(object), "department/%s", slug);
    snprintf(summary, sizeof(summary), "exception %.*s set (%s)", NB_STR_FMT(date_s),
             closed ? "closed" : "hours");
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_hours_store_set_exception(nb_app_store(s->app), s->office->id, nb_str_c(slug), &e,
                                           s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "hours.exception", object, summary);
    err = nb_staff_end(s, &tx, err, true);
    if (err != NB_OK) {
        fail_503(s, "staff.hours", err);
        return;
    }
    snprintf(path, sizeof(path), HOURS "/%s?hinweis=gespeichert", slug);
    nb_staff_redirect(s, path);
}

static void exception_delete_post(struct nb_staff *s, const char *slug)
{
    struct nb_str date = nb_str_trim(nb_staff_field(s, "date"));
    int32_t d = 0;
    if (nb_civil_parse_date(date, &d) != NB_OK) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    char object[NB_SLUG_MAX + 16], summary[64], path[NB_SLUG_MAX + 48];
    snprintf(object, sizeof(object), "department/%s", slug);
    snprintf(summary, sizeof(summary), "exception %.*s removed", NB_STR_FMT(date));
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_hours_store_remove_exception(nb_app_store(s->app), s->office->id, nb_str_c(slug),
                                              date, s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "hours.exception", object, summary);
    err = nb_staff_end(s, &tx, err, true);
    if (err == NB_ERR_NOTFOUND) {
        nb_staff_message(s, 404, "error_404_title", "error_404_text");
        return;
    }
    if (err != NB_OK) {
        fail_503(s, "staff.hours", err);
        return;
    }
    snprintf(path, sizeof(path), HOURS "/%s?hinweis=gespeichert", slug);
    nb_staff_redirect(s, path);
}

/* The department of /zeiten/SLUG/... into *dept and its slug into slug; answers 404 or 503
 * itself and returns false. */
static bool load_dept(struct nb_staff *s, struct nb_str slug_v, char slug[NB_SLUG_MAX + 1],
                      json_t **dept)
{
    *dept = NULL;
    if (!nb_str_is_slug(slug_v)) {
        nb_staff_not_found(s);
        return false;
    }
    snprintf(slug, NB_SLUG_MAX + 1, "%.*s", NB_STR_FMT(slug_v));
    enum nb_err err = nb_department_get(nb_app_store(s->app), s->office->id, slug_v, dept);
    if (err == NB_ERR_NOTFOUND)
        nb_staff_not_found(s);
    else if (err != NB_OK)
        fail_503(s, "staff.hours", err);
    return err == NB_OK;
}

/* /zeiten/SLUG: the department's weekly hours and exceptions, and the weekly form. */
static void route_dept(struct nb_staff *s, const struct nb_route_params *p)
{
    char slug[NB_SLUG_MAX + 1];
    json_t *dept;
    if (!load_dept(s, p->v[0], slug, &dept))
        return;
    if (s->req->method == NB_HTTP_POST) {
        weekly_post(s, dept, slug);
    } else {
        struct weekly_form w;
        weekly_from_store(s, dept, &w);
        dept_page(s, 200, dept, slug, &w, &empty_exc,
                  saved_notice(s) ? msg(s, "staff_hours_saved") : NULL);
    }
    json_decref(dept);
}

static void route_exception(struct nb_staff *s, const struct nb_route_params *p)
{
    char slug[NB_SLUG_MAX + 1];
    json_t *dept;
    if (!load_dept(s, p->v[0], slug, &dept))
        return;
    exception_post(s, dept, slug);
    json_decref(dept);
}

static void route_exception_delete(struct nb_staff *s, const struct nb_route_params *p)
{
    char slug[NB_SLUG_MAX + 1];
    json_t *dept;
    if (!load_dept(s, p->v[0], slug, &dept))
        return;
    exception_delete_post(s, slug);
    json_decref(dept);
}

/* ---- office settings ----------------------------------------------------------------------- */

/* The settings form's fields; all but the Land may be left empty. */
enum { S_EMAIL, S_PHONE, S_ADDRESS, S_LAND, S_COUNT };
static const struct nb_form_field settings_fields[S_COUNT] = {
    [S_EMAIL] = {.name = "email",
                 .kind = NB_FORM_EMAIL,
                 .max = NB_EMAIL_MAX,
                 .label_key = "email",
                 .invalid_key = "staff_settings_email_invalid"},
    [S_PHONE] = {.name = "phone",
                 .kind = NB_FORM_PHONE,
                 .max = NB_PHONE_MAX,
                 .label_key = "phone",
                 .invalid_key = "staff_settings_phone_invalid"},
    [S_ADDRESS] = {.name = "address",
                   .kind = NB_FORM_TEXT,
                   .max = NB_NOTE_MAX,
                   .label_key = "staff_settings_address",
                   .long_key = "staff_settings_address_long",
                   .invalid_key = "staff_settings_address_invalid"},
    [S_LAND] = {.name = "land",
                .kind = NB_FORM_LINE,
                .required = true,
                .max = 8,
                .label_key = "staff_settings_land",
                .invalid_key = "staff_settings_land_invalid"},
};

static void settings_page(struct nb_staff *s, unsigned status, const struct nb_form *f,
                          const char *notice)
{
    json_t *m = nb_staff_model(s, "title_staff_settings");
    nb_staff_csrf_set(s, m, "settings", SETTINGS);
    char action[NB_STAFF_URL_MAX];
    nb_staff_url(s, SETTINGS, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(action));
    json_t *lands = json_array();
    for (int l = NB_LAND_BW; l <= NB_LAND_TH; l++) {
        const char *code = nb_holiday_land_code((enum nb_land)l);
        json_array_append_new(lands, json_pack("{s:s, s:s, s:b}", "code", code, "name",
                                               nb_holiday_land_name((enum nb_land)l), "selected",
                                               nb_str_eq_c(f->v[S_LAND].text, code)));
    }
    json_object_set_new(form, "lands", lands);
    json_object_set_new(
        form, "address_hint",
        json_string(nb_staff_text_max(s, "staff_settings_address_hint", NB_NOTE_MAX)));
    json_object_set_new(m, "form", form);
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    nb_form_staff_render(s, status, "staff_settings", f, m, form);
}

static void settings_get(struct nb_staff *s)
{
    json_t *o = NULL;
    enum nb_err err = nb_office_get(nb_app_store(s->app), s->office->id, &o);
    if (err != NB_OK) {
        fail_503(s, "staff.settings", err);
        return;
    }
    json_t *st = json_object_get(o, "settings");
    struct nb_form f;
    nb_form_init(&f, settings_fields, S_COUNT, s->lang, &s->req->arena);
    nb_form_set(&f, S_EMAIL, nb_str_c(json_string_value(json_object_get(st, "email"))));
    nb_form_set(&f, S_PHONE, nb_str_c(json_string_value(json_object_get(st, "phone"))));
    nb_form_set(&f, S_ADDRESS, nb_str_c(json_string_value(json_object_get(st, "address"))));
    nb_form_set(&f, S_LAND, nb_str_c(json_string_value(json_object_get(o, "land"))));
    settings_page(s, 200, &f, saved_notice(s) ? msg(s, "staff_settings_saved") : NULL);
    json_decref(o);
}

static void settings_post(struct nb_staff *s)
{
    struct nb_form f;
    if (!nb_form_staff_read(s, &f, settings_fields, S_COUNT))
        return;
    /* Stored trimmed, and without the surrounding blank lines of an address. */
    struct nb_str email = f.v[S_EMAIL].text, phone = f.v[S_PHONE].text,
                  address = nb_str_trim(f.v[S_ADDRESS].text);
    enum nb_land land = NB_LAND_MV;
    if (!f.v[S_LAND].error && nb_holiday_land_parse(f.v[S_LAND].text, &land) != NB_OK)
        nb_form_fail(&f, S_LAND, msg(s, "staff_settings_land_invalid"));
    if (f.errors) {
        settings_page(s, 422, &f, NULL);
        return;
    }
    char object[NB_SLUG_MAX + 16], summary[64];
    snprintf(object, sizeof(object), "office/%s", s->office->slug);
    snprintf(summary, sizeof(summary), "settings saved, Land %s", nb_holiday_land_code(land));
    json_t *o = NULL;
    struct nb_store *store = nb_app_store(s->app);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_office_get(store, s->office->id, &o);
    if (err == NB_OK) {
        /* nb_office_update replaces name, Land and host: name and host stay as stored. */
        const struct nb_store_office upd = {
            .slug = nb_str_c(s->office->slug),
            .name = nb_str_c(json_string_value(json_object_get(o, "name"))),
            .land = nb_str_c(nb_holiday_land_code(land)),
            .host = nb_str_c(json_string_value(json_object_get(o, "host"))),
        };
        err = nb_office_update(store, s->office->id, &upd, s->now);
    }
    json_decref(o);
    const struct nb_store_office_settings st = {email, phone, address};
    if (err == NB_OK)
        err = nb_office_set_settings(store, s->office->id, &st, s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "office.settings", object, summary);
    err = nb_staff_end(s, &tx, err, false);
    if (err != NB_OK) {
        fail_503(s, "staff.settings", err);
        return;
    }
    /* The holidays API reads the Land the app loaded at start. Request threads read this
     * enum without a lock; a plain store of an int-sized value is fine here: a reader sees
     * the old or the new Land, and both are valid. */
    s->office->land = land;
    nb_app_publish(s->app, s->office->id);
    nb_staff_redirect(s, SETTINGS "?hinweis=gespeichert");
}

/* ---- routes ---------------------------------------------------------------------------- */

static void route_list(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    hours_list(s);
}

static void route_settings(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    if (s->req->method == NB_HTTP_POST)
        settings_post(s);
    else
        settings_get(s);
}

static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, HOURS, NB_STAFF_CONTENT, false, route_list, NULL},
    {NB_HTTP_GET, HOURS "/{slug}", NB_STAFF_CONTENT, false, route_dept, NULL},
    {NB_HTTP_POST, HOURS "/{slug}", NB_STAFF_CONTENT, true, route_dept, NULL},
    {NB_HTTP_POST, HOURS "/{slug}" EXC, NB_STAFF_CONTENT, true, route_exception, NULL},
    {NB_HTTP_POST, HOURS "/{slug}" EXC_DELETE, NB_STAFF_CONTENT, true, route_exception_delete,
     NULL},
    {NB_HTTP_GET, SETTINGS, NB_GATE_ROLE, NB_ACT_SETTINGS_EDIT, false, route_settings, NULL},
    {NB_HTTP_POST, SETTINGS, NB_GATE_ROLE, NB_ACT_SETTINGS_EDIT, true, route_settings, NULL},
};
const struct nb_staff_routes nb_staff_hours_routes = NB_STAFF_ROUTES("staff_hours.c", rows);
