/* staff_state.c: the back-office form for the office's operating state and the banner note
 * of the public site (/intern/betriebszustand), for the roles with NB_ACT_STATE_EDIT.
 *
 * The form is plain HTML: a radio group for the state, the local Berlin date and time it
 * holds since, and one note each in German and English. A POST that fails validation gets
 * the form back with 422, the values as typed and a message next to each wrong field; a
 * valid one sets the state, writes "office.state" to the journal, asks the worker to render
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

#define PATH "/betriebszustand"

static const enum nb_office_state states[] = {NB_OFFICE_NORMAL, NB_OFFICE_STOERUNG,
                                              NB_OFFICE_NOTBETRIEB, NB_OFFICE_WIEDERANLAUF,
                                              NB_OFFICE_RESTORED};

/* What the form shows: values as text (as typed or as stored) and one message per field. */
struct form {
    struct nb_str state, date, time, note_de, note_en;
    const char *state_error, *date_error, *time_error, *note_de_error, *note_en_error;
};

static void render_form(struct nb_staff *s, unsigned status, const struct form *f,
                        const char *notice)
{
    json_t *m = nb_staff_model(s, "title_staff_state");
    nb_staff_csrf_set(s, m, "state", PATH);
    char action[NB_STAFF_URL_MAX];
    nb_staff_url(s, PATH, action, sizeof(action));
    json_t *form = json_object();
    json_object_set_new(form, "action", json_string(action));
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        const char *name = nb_office_state_name(states[i]);
        char key[48];
        snprintf(key, sizeof(key), "state_%s", name);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", name, "label",
                                              nb_i18n_get(s->lang, key), "checked",
                                              nb_str_eq_c(f->state, name)));
    }
    json_object_set_new(form, "states", list);
    nb_staff_set_text(form, "date", f->date);
    nb_staff_set_text(form, "time", f->time);
    nb_staff_set_text(form, "note_de", f->note_de);
    nb_staff_set_text(form, "note_en", f->note_en);
    nb_staff_set_error(form, "state_error", f->state_error);
    nb_staff_set_error(form, "date_error", f->date_error);
    nb_staff_set_error(form, "time_error", f->time_error);
    nb_staff_set_error(form, "note_de_error", f->note_de_error);
    nb_staff_set_error(form, "note_en_error", f->note_en_error);
    json_object_set_new(form, "note_hint",
                        json_string(nb_staff_text_max(s, "staff_state_note_hint", NB_NOTE_MAX)));
    json_object_set_new(m, "form", form);
    if (status == 422)
        json_object_set_new(m, "error", json_string(nb_i18n_get(s->lang, "staff_state_errors")));
    if (notice)
        json_object_set_new(m, "notice", json_string(notice));
    nb_staff_render(s, status, "staff_state", m);
}

/* The form filled with what the store holds now. */
static void state_page(struct nb_staff *s)
{
    json_t *o = NULL;
    if (nb_office_get(nb_app_store(s->app), s->office->id, &o) != NB_OK) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    const char *state = json_string_value(json_object_get(o, "state"));
    struct nb_civil_local l;
    nb_civil_berlin_local(json_integer_value(json_object_get(o, "state_since")), &l);
    char date[NB_CIVIL_DATE_SIZE], hhmm[NB_CIVIL_HHMM_SIZE];
    nb_civil_fmt_date(date, sizeof(date), l.date);
    nb_civil_fmt_hhmm(hhmm, sizeof(hhmm), l.hour * 60 + l.minute);
    json_t *notes = json_object_get(o, "state_note");
    const char *de = json_string_value(json_object_get(notes, "de"));
    const char *en = json_string_value(json_object_get(notes, "en"));
    struct form f = {
        .state = nb_str_c(state ? state : ""),
        .date = nb_str_c(date),
        .time = nb_str_c(hhmm),
        .note_de = nb_str_c(de ? de : ""),
        .note_en = nb_str_c(en ? en : ""),
    };
    struct nb_str q;
    const char *notice = NULL;
    if (nb_http_query_get(s->req->query, "hinweis", &s->req->arena, &q) == NB_OK &&
        nb_str_eq_c(q, "gespeichert"))
        notice = nb_i18n_get(s->lang, "staff_state_saved");
    render_form(s, 200, &f, notice);
    json_decref(o);
}

/* The message for a note, or NULL when it may be stored (empty means no note). */
static const char *note_error(struct nb_staff *s, struct nb_str note)
{
    return nb_staff_check_message(s, nb_check_line(nb_str_trim(note), NB_NOTE_MAX, false),
                                  "staff_state_note_long", NB_NOTE_MAX, "staff_state_note_invalid");
}

static void state_post(struct nb_staff *s)
{
    struct form f = {
        .state = nb_staff_field(s, "state"),
        .date = nb_staff_field(s, "date"),
        .time = nb_staff_field(s, "time"),
        .note_de = nb_staff_field(s, "note_de"),
        .note_en = nb_staff_field(s, "note_en"),
    };
    enum nb_office_state st = NB_OFFICE_NORMAL;
    if (nb_office_state_parse(f.state, &st) != NB_OK)
        f.state_error = nb_i18n_get(s->lang, "staff_state_state_invalid");
    int32_t date = 0;
    int minute = 0;
    bool date_ok = nb_civil_parse_date(f.date, &date) == NB_OK;
    if (!date_ok)
        f.date_error = nb_i18n_get(s->lang, "staff_state_date_invalid");
    /* "24:00" is the end of a day in opening hours, not a moment a state begins. */
    bool time_ok = nb_civil_parse_hhmm(f.time, &minute) == NB_OK && minute < 1440;
    if (!time_ok)
        f.time_error = nb_i18n_get(s->lang, "staff_state_time_invalid");
    int64_t since = 0;
    if (date_ok && time_ok) {
        struct nb_civil_ymd ymd = nb_civil_ymd(date);
        if (nb_civil_berlin_to_utc(ymd.year, ymd.month, ymd.day, minute / 60, minute % 60, &since,
                                   NULL) != NB_OK ||
            nb_check_time(since) != NB_OK)
            f.date_error = nb_i18n_get(s->lang, "staff_state_date_invalid");
        else if (since > s->now)
            f.date_error = nb_i18n_get(s->lang, "staff_state_date_future");
    }
    f.note_de_error = note_error(s, f.note_de);
    f.note_en_error = note_error(s, f.note_en);
    if (f.state_error || f.date_error || f.time_error || f.note_de_error || f.note_en_error) {
        render_form(s, 422, &f, NULL);
        return;
    }

    /* An empty note is no note: the store keeps only notes with text. */
    struct nb_store_lang_text notes[2];
    size_t n = 0;
    struct nb_str de = nb_str_trim(f.note_de), en = nb_str_trim(f.note_en);
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
