/* press.c: press updates; validation in front of store_press.c, and the ISO week of each
 * update computed in Europe/Berlin time (base/civil.h), so that an update published on
 * Sunday 23:30 local time is filed under that week, not the next one as UTC would have it. */
#include "domain/press.h"

#include "base/civil.h"
#include "base/limits.h"
#include "domain/check.h"

static enum nb_err check_text(const struct nb_store_press_text *t)
{
    enum nb_err err = nb_check_lang(t->lang);
    if (!err)
        err = nb_check_line(t->title, NB_TITLE_MAX, true);
    if (!err)
        err = nb_check_text(t->body_md, NB_MARKDOWN_MAX, true);
    return err;
}

static struct nb_str text_tag(const void *items, size_t i)
{
    return ((const struct nb_store_press_text *)items)[i].lang;
}

enum nb_err nb_press_create(struct nb_store *s, int64_t office_id, struct nb_str slug,
                            int64_t published_at, const struct nb_store_press_text *texts, size_t n,
                            int64_t at)
{
    enum nb_err err = nb_check_slug(slug);
    if (!err)
        err = nb_check_time(published_at);
    if (!err)
        err = nb_check_time(at);
    if (!err && n > NB_LANGS_MAX)
        err = NB_ERR_LIMIT;
    if (!err && (n == 0 || !texts))
        err = NB_ERR_INPUT;
    for (size_t i = 0; !err && i < n; i++)
        err = check_text(&texts[i]);
    bool has_de = false;
    if (!err)
        err = nb_check_unique_langs(texts, n, text_tag, &has_de);
    if (!err && !has_de)
        err = NB_ERR_INPUT;
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_press_insert(tx, office_id, slug, published_at, texts, n, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_press_set_text(struct nb_store *s, int64_t office_id, struct nb_str slug,
                              const struct nb_store_press_text *t, int64_t at)
{
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = check_text(t);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    int64_t langs = 0;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_press_set_text(tx, office_id, slug, t, at, &langs);
    if (!err && langs > (int64_t)NB_LANGS_MAX)
        err = NB_ERR_LIMIT;
    return nb_store_end(&tx, err);
}

enum nb_err nb_press_set_published(struct nb_store *s, int64_t office_id, struct nb_str slug,
                                   bool published, int64_t at)
{
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_press_set_published(tx, office_id, slug, published, at);
    return nb_store_end(&tx, err);
}

static enum nb_err add_week(json_t *p)
{
    struct nb_civil_local local;
    nb_civil_berlin_local(json_integer_value(json_object_get(p, "published_at")), &local);
    struct nb_civil_week w = nb_civil_iso_week(local.date);
    if (json_object_set_new(p, "iso_year", json_integer(w.year)) != 0 ||
        json_object_set_new(p, "iso_week", json_integer(w.week)) != 0)
        return NB_ERR_NOMEM;
    return NB_OK;
}

enum nb_err nb_press_add_week(json_t *press)
{
    if (json_is_object(press))
        return add_week(press);
    size_t i;
    json_t *p;
    json_array_foreach(press, i, p)
    {
        enum nb_err err = add_week(p);
        if (err)
            return err;
    }
    return NB_OK;
}

enum nb_err nb_press_get(struct nb_store *s, int64_t office_id, struct nb_str slug, json_t **out)
{
    *out = NULL;
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_press_get(tx, office_id, slug, out);
    if (!err)
        err = nb_press_add_week(*out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_press_list(struct nb_store *s, int64_t office_id, bool published_only, json_t **out)
{
    *out = NULL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_press_list(tx, office_id, published_only, out);
    if (!err)
        err = nb_press_add_week(*out);
    return nb_store_end_json(&tx, err, out);
}
