/* notice.c: notices and their versions; validation in front of store_notice.c.
 *
 * The language count is checked after the version is appended, inside the same
 * transaction, so the check sees what the store really holds; a refusal rolls it back. */
#include "domain/notice.h"

#include "base/limits.h"
#include "domain/check.h"

static enum nb_err check_notice(const struct nb_store_notice *n, int64_t at)
{
    enum nb_err err = nb_check_slug(n->slug);
    return err ? err : nb_check_time(at);
}

enum nb_err nb_notice_create(struct nb_store *s, int64_t office_id, const struct nb_store_notice *n,
                             int64_t at)
{
    enum nb_err err = check_notice(n, at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_notice_insert(tx, office_id, n, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_notice_update(struct nb_store *s, int64_t office_id, const struct nb_store_notice *n,
                             int64_t at)
{
    if (nb_check_slug(n->slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_notice_update(tx, office_id, n, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_notice_publish(struct nb_store *s, int64_t office_id, struct nb_str slug,
                              const struct nb_store_notice_variant *v, int64_t at, int64_t *version)
{
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_lang(v->lang);
    if (!err)
        err = nb_check_line(v->title, NB_TITLE_MAX, true);
    if (!err)
        err = nb_check_text(v->body_md, NB_MARKDOWN_MAX, true);
    if (!err)
        err = nb_check_line(v->author, NB_TITLE_MAX, true);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    int64_t langs = 0;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_notice_add_version(tx, office_id, slug, v, at, version, &langs);
    if (!err && langs > (int64_t)NB_LANGS_MAX)
        err = NB_ERR_LIMIT;
    return nb_store_end(&tx, err);
}

enum nb_err nb_notice_set_published(struct nb_store *s, int64_t office_id, struct nb_str slug,
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
        err = nb_store_notice_set_published(tx, office_id, slug, published, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_notice_get(struct nb_store *s, int64_t office_id, struct nb_str slug, json_t **out)
{
    *out = NULL;
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_notice_get(tx, office_id, slug, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_notice_list(struct nb_store *s, int64_t office_id, bool published_only, json_t **out)
{
    *out = NULL;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_notice_list(tx, office_id, published_only, out);
    return nb_store_end_json(&tx, err, out);
}
