/* office.c: offices, operating state and settings; validation in front of store_office.c.
 *
 * The Land is kept as its canonical two-letter code (base/holiday.h), since the hours and
 * holiday computation of the public site reads it back. Host names are compared in lower
 * case; at most NB_HOST_MAX bytes are lowered into a stack buffer. */
#include "domain/office.h"

#include "base/holiday.h"
#include "domain/check.h"

static const char *const state_names[] = {
    [NB_OFFICE_NORMAL] = "normal",         [NB_OFFICE_STOERUNG] = "stoerung",
    [NB_OFFICE_NOTBETRIEB] = "notbetrieb", [NB_OFFICE_WIEDERANLAUF] = "wiederanlauf",
    [NB_OFFICE_RESTORED] = "restored",
};

const char *nb_office_state_name(enum nb_office_state st)
{
    if ((unsigned)st < sizeof(state_names) / sizeof(state_names[0]))
        return state_names[st];
    return "normal";
}

enum nb_err nb_office_state_parse(struct nb_str name, enum nb_office_state *st)
{
    for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++) {
        if (nb_str_eq_c(name, state_names[i])) {
            *st = (enum nb_office_state)i;
            return NB_OK;
        }
    }
    return NB_ERR_INPUT;
}

/* Checks o and gives the copy to store: Land canonical, empty host absent. */
static enum nb_err check_office(const struct nb_store_office *o, bool with_slug,
                                struct nb_store_office *norm)
{
    *norm = *o;
    enum nb_err err = with_slug ? nb_check_slug(o->slug) : NB_OK;
    if (!err)
        err = nb_check_line(o->name, NB_TITLE_MAX, true);
    enum nb_land land = (enum nb_land)0;
    if (!err && (!o->land.ptr || nb_holiday_land_parse(o->land, &land) != NB_OK))
        err = NB_ERR_INPUT;
    if (!err)
        norm->land = nb_str_c(nb_holiday_land_code(land));
    norm->host = nb_check_opt(o->host);
    if (!err && norm->host.ptr)
        err = nb_check_host(norm->host);
    return err;
}

enum nb_err nb_office_create(struct nb_store *s, const struct nb_store_office *o, int64_t at,
                             int64_t *id)
{
    struct nb_store_office norm;
    enum nb_err err = check_office(o, true, &norm);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    int64_t count = 0;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_office_count(tx, &count);
    if (!err && count >= (int64_t)NB_OFFICES_MAX)
        err = NB_ERR_LIMIT;
    if (!err)
        err = nb_store_office_insert(tx, &norm, at, id);
    return nb_store_end(&tx, err);
}

enum nb_err nb_office_update(struct nb_store *s, int64_t office_id, const struct nb_store_office *o,
                             int64_t at)
{
    struct nb_store_office norm;
    enum nb_err err = check_office(o, false, &norm);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_office_update(tx, office_id, &norm, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_office_id_by_slug(struct nb_store *s, struct nb_str slug, int64_t *id)
{
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_office_id_by_slug(tx, slug, id);
    return nb_store_end(&tx, err);
}

/* Lower-cases host into buf (NB_HOST_MAX bytes); false when it cannot be a host of ours. */
static bool lower_host(struct nb_str host, char buf[static NB_HOST_MAX], struct nb_str *out)
{
    if (!host.ptr || host.len > NB_HOST_MAX)
        return false;
    for (size_t i = 0; i < host.len; i++) {
        char c = host.ptr[i];
        buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    *out = (struct nb_str){buf, host.len};
    return nb_check_host(*out) == NB_OK;
}

enum nb_err nb_office_id_by_host(struct nb_store *s, struct nb_str host, int64_t *id)
{
    char buf[NB_HOST_MAX];
    struct nb_str h;
    if (!lower_host(host, buf, &h))
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_office_id_by_host(tx, h, id);
    return nb_store_end(&tx, err);
}

enum nb_err nb_office_get(struct nb_store *s, int64_t office_id, json_t **out)
{
    *out = NULL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_office_get(tx, office_id, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_office_get_by_slug(struct nb_store *s, struct nb_str slug, json_t **out)
{
    *out = NULL;
    int64_t id;
    enum nb_err err = nb_office_id_by_slug(s, slug, &id);
    return err ? err : nb_office_get(s, id, out);
}

enum nb_err nb_office_get_by_host(struct nb_store *s, struct nb_str host, json_t **out)
{
    *out = NULL;
    int64_t id;
    enum nb_err err = nb_office_id_by_host(s, host, &id);
    return err ? err : nb_office_get(s, id, out);
}

enum nb_err nb_office_list(struct nb_store *s, json_t **out)
{
    *out = NULL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_office_list(tx, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_office_set_state(struct nb_store *s, int64_t office_id, struct nb_str state,
                                int64_t since, const struct nb_store_lang_text *notes, size_t n,
                                int64_t at)
{
    enum nb_office_state st;
    enum nb_err err = nb_office_state_parse(state, &st);
    if (!err)
        err = nb_check_time(at);
    if (!err)
        err = nb_check_time(since);
    if (!err && since > at)
        err = NB_ERR_INPUT;
    if (!err)
        err = nb_check_lang_texts(notes, n, NB_NOTE_MAX, false, false);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_office_set_state(tx, office_id, nb_str_c(nb_office_state_name(st)), since,
                                        notes, n, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_office_set_settings(struct nb_store *s, int64_t office_id,
                                   const struct nb_store_office_settings *st, int64_t at)
{
    struct nb_store_office_settings norm = {
        .email = nb_check_opt(st->email),
        .phone = nb_check_opt(st->phone),
        .address = nb_check_opt(st->address),
    };
    enum nb_err err = nb_check_email(norm.email, false);
    if (!err)
        err = nb_check_phone(norm.phone, false);
    if (!err)
        err = nb_check_text(norm.address, NB_NOTE_MAX, false);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_office_set_settings(tx, office_id, &norm, at);
    return nb_store_end(&tx, err);
}
