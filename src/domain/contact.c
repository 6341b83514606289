/* contact.c: contacts and the DPO; validation in front of store_contact.c. */
#include "domain/contact.h"

#include "base/limits.h"
#include "domain/check.h"

static enum nb_err check_contact(const struct nb_store_contact *c, int64_t at,
                                 struct nb_store_contact *norm)
{
    *norm = *c;
    norm->phone = nb_check_opt(c->phone);
    norm->email = nb_check_opt(c->email);
    if (nb_check_slug(c->department) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_line(c->name, NB_TITLE_MAX, true);
    if (!err)
        err = nb_check_phone(norm->phone, false);
    if (!err)
        err = nb_check_email(norm->email, false);
    if (!err)
        err = nb_check_lang_texts(c->roles, c->nroles, NB_TITLE_MAX, false, false);
    if (!err)
        err = nb_check_time(at);
    return err;
}

enum nb_err nb_contact_add(struct nb_store *s, int64_t office_id, const struct nb_store_contact *c,
                           int64_t at, int64_t *id)
{
    struct nb_store_contact norm;
    enum nb_err err = check_contact(c, at, &norm);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_contact_add(tx, office_id, &norm, at, id);
    return nb_store_end(&tx, err);
}

enum nb_err nb_contact_update(struct nb_store *s, int64_t office_id, int64_t id,
                              const struct nb_store_contact *c, int64_t at)
{
    struct nb_store_contact norm;
    enum nb_err err = check_contact(c, at, &norm);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_contact_update(tx, office_id, id, &norm, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_contact_remove(struct nb_store *s, int64_t office_id, int64_t id, int64_t at)
{
    enum nb_err err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_contact_remove(tx, office_id, id, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_contact_get(struct nb_store *s, int64_t office_id, int64_t id, json_t **out)
{
    *out = NULL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_contact_get(tx, office_id, id, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_contact_dpo(struct nb_store *s, int64_t office_id, json_t **out)
{
    *out = NULL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_contact_dpo(tx, office_id, out);
    return nb_store_end_json(&tx, err, out);
}
