/* service.c: the service catalogue; validation in front of store_service.c.
 *
 * Absent descriptions and fallback texts are stored as empty strings, so the renderer gets
 * a string either way. The normalised copy of the texts lives on the stack: there are at
 * most NB_LANGS_MAX of them. */
#include "domain/service.h"

#include "base/limits.h"
#include "domain/check.h"

static const char *const state_names[] = {
    [NB_SERVICE_ONLINE] = "online",       [NB_SERVICE_RESTRICTED] = "restricted",
    [NB_SERVICE_PAPER] = "paper",         [NB_SERVICE_APPOINTMENT] = "appointment",
    [NB_SERVICE_SUSPENDED] = "suspended", [NB_SERVICE_OTHER_OFFICE] = "other_office",
};

const char *nb_service_state_name(enum nb_service_state st)
{
    if ((unsigned)st < sizeof(state_names) / sizeof(state_names[0]))
        return state_names[st];
    return "suspended";
}

enum nb_err nb_service_state_parse(struct nb_str name, enum nb_service_state *st)
{
    for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++) {
        if (nb_str_eq_c(name, state_names[i])) {
            *st = (enum nb_service_state)i;
            return NB_OK;
        }
    }
    return NB_ERR_INPUT;
}

static struct nb_str text_tag(const void *items, size_t i)
{
    return ((const struct nb_store_service_text *)items)[i].lang;
}

static struct nb_str or_empty(struct nb_str s)
{
    return s.ptr ? s : NB_STR("");
}

enum nb_err nb_service_put(struct nb_store *s, int64_t office_id,
                           const struct nb_store_service *svc, int64_t at)
{
    struct nb_store_service_text texts[NB_LANGS_MAX];
    struct nb_store_service norm = *svc;
    norm.department = nb_check_opt(svc->department);
    norm.other_office = nb_check_opt(svc->other_office);
    norm.texts = texts;
    enum nb_service_state st = NB_SERVICE_SUSPENDED;
    enum nb_err err = nb_check_slug(svc->slug);
    if (!err)
        err = nb_service_state_parse(svc->state, &st);
    if (!err && norm.department.ptr)
        err = nb_check_slug(norm.department) == NB_OK ? NB_OK : NB_ERR_NOTFOUND;
    if (!err && (st == NB_SERVICE_OTHER_OFFICE) != (norm.other_office.ptr != NULL))
        err = NB_ERR_INPUT;
    if (!err)
        err = nb_check_line(norm.other_office, NB_TITLE_MAX, false);
    if (!err && svc->ntexts > NB_LANGS_MAX)
        err = NB_ERR_LIMIT;
    if (!err && (svc->ntexts == 0 || !svc->texts))
        err = NB_ERR_INPUT;
    for (size_t i = 0; !err && i < svc->ntexts; i++) {
        const struct nb_store_service_text *t = &svc->texts[i];
        err = nb_check_lang(t->lang);
        if (!err)
            err = nb_check_line(t->name, NB_TITLE_MAX, true);
        if (!err)
            err = nb_check_text(t->description_md, NB_MARKDOWN_MAX, false);
        if (!err)
            err = nb_check_text(t->fallback_md, NB_MARKDOWN_MAX, false);
        if (!err)
            texts[i] = (struct nb_store_service_text){t->lang, t->name, or_empty(t->description_md),
                                                      or_empty(t->fallback_md)};
    }
    bool has_de = false;
    if (!err)
        err = nb_check_unique_langs(svc->texts, svc->ntexts, text_tag, &has_de);
    if (!err && !has_de)
        err = NB_ERR_INPUT;
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_service_put(tx, office_id, &norm, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_service_create(struct nb_store *s, int64_t office_id,
                           const struct nb_store_service *svc, int64_t at)
{
    if (nb_check_slug(svc->slug) != NB_OK)
        return NB_ERR_INPUT;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err) {
        json_t *old = NULL;
        err = nb_store_service_get(tx, office_id, svc->slug, &old);
        json_decref(old);
        err = err == NB_OK ? NB_ERR_CONFLICT : err == NB_ERR_NOTFOUND ? NB_OK : err;
    }
    if (!err)
        err = nb_service_put(s, office_id, svc, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_service_remove(struct nb_store *s, int64_t office_id, struct nb_str slug, int64_t at)
{
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_service_remove(tx, office_id, slug, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_service_get(struct nb_store *s, int64_t office_id, struct nb_str slug, json_t **out)
{
    *out = NULL;
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_service_get(tx, office_id, slug, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_service_list(struct nb_store *s, int64_t office_id, json_t **out)
{
    *out = NULL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_service_list(tx, office_id, out);
    return nb_store_end_json(&tx, err, out);
}
