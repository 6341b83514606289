/* department.c: departments; validation in front of store_department.c. */
#include "domain/department.h"

#include "base/limits.h"
#include "domain/check.h"

enum nb_err nb_department_put(struct nb_store *s, int64_t office_id,
                              const struct nb_store_department *d, int64_t at)
{
    struct nb_store_department norm = *d;
    norm.phone = nb_check_opt(d->phone);
    norm.email = nb_check_opt(d->email);
    norm.room = nb_check_opt(d->room);
    enum nb_err err = nb_check_slug(d->slug);
    if (!err)
        err = nb_check_phone(norm.phone, false);
    if (!err)
        err = nb_check_email(norm.email, false);
    if (!err)
        err = nb_check_text(norm.room, NB_NOTE_MAX, false);
    if (!err && d->nnames == 0)
        err = NB_ERR_INPUT;
    if (!err)
        err = nb_check_lang_texts(d->names, d->nnames, NB_TITLE_MAX, false, true);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_department_put(tx, office_id, &norm, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_department_create(struct nb_store *s, int64_t office_id,
                           const struct nb_store_department *d, int64_t at)
{
    if (nb_check_slug(d->slug) != NB_OK)
        return NB_ERR_INPUT;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err) {
        json_t *old = NULL;
        err = nb_store_department_get(tx, office_id, d->slug, &old);
        json_decref(old);
        err = err == NB_OK ? NB_ERR_CONFLICT : err == NB_ERR_NOTFOUND ? NB_OK : err;
    }
    if (!err)
        err = nb_department_put(s, office_id, d, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_department_remove(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                 int64_t at)
{
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_department_remove(tx, office_id, slug, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_department_get(struct nb_store *s, int64_t office_id, struct nb_str slug,
                              json_t **out)
{
    *out = NULL;
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_department_get(tx, office_id, slug, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_department_list(struct nb_store *s, int64_t office_id, json_t **out)
{
    *out = NULL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_department_list(tx, office_id, out);
    return nb_store_end_json(&tx, err, out);
}
