/* staff_state.c: the back-office form for the office's operating state and the banner note
 * of the public site (/intern/betriebszustand), for the roles with NB_ACT_STATE_EDIT.
 *
 * The form is plain HTML, described by a table of fields (web/form.h): a radio group for the
 * state, the local Berlin date and time it holds since, and one note each in German and
 * English. A POST that fails validation gets the form back with 422, the values as typed,
 * a message next to each wrong field and a summary of them at the top; a valid one sets the state, writes "office.state" to the journal, asks the worker to render
 * the public snapshot again (nb_app_publish) and redirects back to the form (303). */
#include "web/staff.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/check.h"
#include "domain/office.h"
#include "http/parse.h"
#include "view/i18n.h"
#include "web/form.h"

#define PATH "/betriebszustand"

static const enum nb_office_state states[] = {NB_OFFICE_NORMAL, NB_OFFICE_STOERUNG,
                                              NB_OFFICE_NOTBETRIEB, NB_OFFICE_WIEDERANLAUF,
                                              NB_OFFICE_RESTORED};

/* The form's fields; the radio group's summary link goes to its first button. */
enum { F_STATE, F_DATE, F_TIME, F_NOTE_DE, F_NOTE_EN, F_COUNT };
static const char *const state_choices[] = {"normal", "stoerung", "notbetrieb", "wiederanlauf",
                                            "restored", NULL};
static const struct nb_form_field fields[F_COUNT] = {
    [F_STATE] = {.name = "state", .kind = NB_FORM_CHOICE, .required = true,
                 .choices = state_choices, .anchor = "state-normal",
                 .label_key = "staff_state_state", .invalid_key = "staff_state_state_invalid"},
    [F_DATE] = {.name = "date", .kind = NB_FORM_DATE, .required = true,
                .label_key = "staff_state_date", .invalid_key = "staff_state_date_invalid"},
    /* "24:00" is the end of a day in opening hours, not a moment a state begins. */
    [F_TIME] = {.name = "time", .kind = NB_FORM_TIME, .required = true, .imax = 1439,
                .label_key = "staff_state_time", .invalid_key = "staff_state_time_invalid"},
    [F_NOTE_DE] = {.name = "note_de", .kind = NB_FORM_LINE, .max = NB_NOTE_MAX, .lang = "de",
                   .label_key = "staff_state_note_de", .long_key = "staff_state_note_long",
                   .invalid_key = "staff_state_note_invalid"},
    [F_NOTE_EN] = {.name = "note_en", .kind = NB_FORM_LINE, .max = NB_NOTE_MAX, .lang = "en",
                   .label_key = "staff_state_note_en", .long_key = "staff_state_note_long",
                   .invalid_key = "staff_state_note_invalid"},
};

static void render_form(struct nb_staff *s, unsigned status, const struct nb_form *f,
                        const char *notice)
{
    json_t *m = nb_staff_model(s, "title_staff_state");
    nb_staff_csrf_set(s, m, "state", PATH);
    char action[NB_STAFF_URL_MAX];
    nb_staff_url(s, PATH, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(m, "form", form);
    json_object_set_new(form, "action", json_string(action));
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        const char *name = nb_office_state_name(states[i]);
        char key[48];
        snprintf(key, sizeof(key), "state_%s", name);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", name, "label",
                                              nb_i18n_get(s->lang, key), "checked",
                                              nb_str_eq_c(f->v[F_STATE].text, name)));
    }
    json_object_set_new(form, "states", list);
    json_object_set_new(form, "note_hint",
                        json_string(nb_staff_text_max(s, "staff_state_note_hint", NB_NOTE_MAX)));
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    nb_form_staff_render(s, status, "staff_state", f, m, form);
}

/* The form filled with what the store holds now. */
static void state_page(struct nb_staff *s)
{
    json_t *o = NULL;
    if (nb_office_get(nb_app_store(s->app), s->office->id, &o) != NB_OK) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    struct nb_civil_local l;
    nb_civil_berlin_local(json_integer_value(json_object_get(o, "state_since")), &l);
    char date[NB_CIVIL_DATE_SIZE], hhmm[NB_CIVIL_HHMM_SIZE];
    nb_civil_fmt_date(date, sizeof(date), l.date);
    nb_civil_fmt_hhmm(hhmm, sizeof(hhmm), l.hour * 60 + l.minute);
    json_t *notes = json_object_get(o, "state_note");
    struct nb_form f;
    nb_form_init(&f, fields, F_COUNT, s->lang, &s->req->arena);
    nb_form_set(&f, F_STATE, nb_str_c(json_string_value(json_object_get(o, "state"))));
    nb_form_set(&f, F_DATE, nb_str_c(date));
    nb_form_set(&f, F_TIME, nb_str_c(hhmm));
    nb_form_set(&f, F_NOTE_DE, nb_str_c(json_string_value(json_object_get(notes, "de"))));
    nb_form_set(&f, F_NOTE_EN, nb_str_c(json_string_value(json_object_get(notes, "en"))));
    json_decref(o);
    struct nb_str q;
    const char *notice = NULL;
    if (nb_http_query_get(s->req->query, "hinweis", &s->req->arena, &q) == NB_OK &&
        nb_str_eq_c(q, "gespeichert"))
        notice = nb_i18n_get(s->lang, "staff_state_saved");
    render_form(s, 200, &f, notice);
}

static void state_post(struct nb_staff *s)
{
    struct nb_form f;
    if (!nb_form_staff_read(s, &f, fields, F_COUNT))
        return;
    enum nb_office_state st = NB_OFFICE_NORMAL;
    int64_t since = 0;
    if (!f.v[F_STATE].error && nb_office_state_parse(f.v[F_STATE].text, &st) != NB_OK)
        nb_form_fail(&f, F_STATE, nb_i18n_get(s->lang, "staff_state_state_invalid"));
    if (!f.v[F_DATE].error && !f.v[F_TIME].error) {
        struct nb_civil_ymd ymd = nb_civil_ymd((int32_t)f.v[F_DATE].num);
        int minute = (int)f.v[F_TIME].num;
        if (nb_civil_berlin_to_utc(ymd.year, ymd.month, ymd.day, minute / 60, minute % 60, &since,
                                   NULL) != NB_OK ||
            nb_check_time(since) != NB_OK)
            nb_form_fail(&f, F_DATE, nb_i18n_get(s->lang, "staff_state_date_invalid"));
        else if (since > s->now)
            nb_form_fail(&f, F_DATE, nb_i18n_get(s->lang, "staff_state_date_future"));
    }
    if (f.errors) {
        render_form(s, 422, &f, NULL);
        return;
    }

    /* An empty note is no note: the store keeps only notes with text. */
    struct nb_store_lang_text notes[2];
    size_t n = 0;
    struct nb_str de = f.v[F_NOTE_DE].text, en = f.v[F_NOTE_EN].text;
    if (de.len)
        notes[n++] = (struct nb_store_lang_text){NB_STR("de"), de};
    if (en.len)
        notes[n++] = (struct nb_store_lang_text){NB_STR("en"), en};
    const char *name = nb_office_state_name(st);
    char object[NB_SLUG_MAX + 16], summary[64];
    snprintf(object, sizeof(object), "office/%s", s->office->slug);
    snprintf(summary, sizeof(summary), "state set to %s", name);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_staff_begin(s, &tx);
    if (err == NB_OK)
        err = nb_office_set_state(nb_app_store(s->app), s->office->id, nb_str_c(name), since, notes,
                                  n, s->now);
    if (err == NB_OK)
        err = nb_staff_journal(s, tx, s->account_name, "office.state", object, summary);
    err = nb_staff_end(s, &tx, err, true);
    if (err != NB_OK) {
        nb_log_error("staff.state", "office=%s error=%s", s->office->slug, nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    nb_staff_redirect(s, PATH "?hinweis=gespeichert");
}

static void route_page(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    state_page(s);
}

static void route_post(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    state_post(s);
}

static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, PATH, NB_GATE_ROLE, NB_ACT_STATE_EDIT, false, route_page, NULL},
    {NB_HTTP_POST, PATH, NB_GATE_ROLE, NB_ACT_STATE_EDIT, true, route_post, NULL},
};
const struct nb_staff_routes nb_staff_state_routes = NB_STAFF_ROUTES("staff_state.c", rows);
