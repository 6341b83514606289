/* page.c: legal pages and phishing advice; validation in front of store_page.c. */
#include "domain/page.h"

#include "base/limits.h"
#include "domain/check.h"

static const char *const kind_names[NB_PAGE_KIND_COUNT] = {
    [NB_PAGE_IMPRINT] = "imprint",
    [NB_PAGE_PRIVACY] = "privacy",
    [NB_PAGE_ACCESSIBILITY] = "accessibility",
    [NB_PAGE_PHISHING] = "phishing",
};

const char *nb_page_kind_name(enum nb_page_kind kind)
{
    if ((unsigned)kind < NB_PAGE_KIND_COUNT)
        return kind_names[kind];
    return "imprint";
}

enum nb_err nb_page_kind_parse(struct nb_str name, enum nb_page_kind *kind)
{
    for (size_t i = 0; i < NB_PAGE_KIND_COUNT; i++) {
        if (nb_str_eq_c(name, kind_names[i])) {
            *kind = (enum nb_page_kind)i;
            return NB_OK;
        }
    }
    return NB_ERR_INPUT;
}

enum nb_err nb_page_publish(struct nb_store *s, int64_t office_id, const struct nb_store_page *p,
                            int64_t at, int64_t *version)
{
    enum nb_page_kind kind;
    enum nb_err err = nb_page_kind_parse(p->kind, &kind);
    if (!err)
        err = nb_check_lang(p->lang);
    if (!err)
        err = nb_check_line(p->title, NB_TITLE_MAX, true);
    if (!err)
        err = nb_check_text(p->body_md, NB_MARKDOWN_MAX, true);
    if (!err)
        err = nb_check_line(p->author, NB_TITLE_MAX, true);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    int64_t langs = 0;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_page_add_version(tx, office_id, p, at, version, &langs);
    if (!err && langs > (int64_t)NB_LANGS_MAX)
        err = NB_ERR_LIMIT;
    return nb_store_end(&tx, err);
}

enum nb_err nb_page_get(struct nb_store *s, int64_t office_id, struct nb_str kind, json_t **out)
{
    *out = NULL;
    enum nb_page_kind k;
    enum nb_err err = nb_page_kind_parse(kind, &k);
    if (err)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_page_get(tx, office_id, kind, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_page_history(struct nb_store *s, int64_t office_id, struct nb_str kind,
                            struct nb_str lang, size_t limit, json_t **out, int64_t *total)
{
    *out = NULL;
    *total = 0;
    enum nb_page_kind k;
    if (nb_page_kind_parse(kind, &k) != NB_OK || nb_check_lang(lang) != NB_OK)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_page_history(tx, office_id, kind, lang, limit, out, total);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_page_version(struct nb_store *s, int64_t office_id, struct nb_str kind,
                            struct nb_str lang, int64_t version, json_t **out)
{
    *out = NULL;
    enum nb_page_kind k;
    if (nb_page_kind_parse(kind, &k) != NB_OK || nb_check_lang(lang) != NB_OK || version < 1)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_page_version(tx, office_id, kind, lang, version, out);
    return nb_store_end_json(&tx, err, out);
}
