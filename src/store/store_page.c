/* store_page.c: legal pages (imprint, privacy, accessibility, phishing advice), append-only.
 *
 * Every save is a new version of one (kind, language); the current text is the highest
 * version, which add_version keeps the newest by refusing an earlier time. A statement the
 * office published stays on record, as an accessibility or privacy statement must. */
#include "store/sql.h"

enum nb_err nb_store_page_add_version(struct nb_store_tx *tx, int64_t office_id,
                                      const struct nb_store_page *p, int64_t at, int64_t *version,
                                      int64_t *langs)
{
    int64_t later = 0, next = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_int(
            tx,
            "SELECT count(*) FROM page_versions WHERE office_id = ?1 AND kind = ?2"
            " AND lang = ?3 AND updated_at > ?4",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(p->kind), NB_SQL_S(p->lang), NB_SQL_I(at)),
            &later);
    if (!err && later > 0)
        err = NB_ERR_CONFLICT;
    if (!err)
        err = nb_sql_int(tx,
                         "SELECT coalesce(max(version), 0) + 1 FROM page_versions"
                         " WHERE office_id = ?1 AND kind = ?2 AND lang = ?3",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(p->kind), NB_SQL_S(p->lang)),
                         &next);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO page_versions (office_id, kind, lang, version, title,"
                          " body_md, updated_at, author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(p->kind), NB_SQL_S(p->lang),
                                      NB_SQL_I(next), NB_SQL_S(p->title), NB_SQL_S(p->body_md),
                                      NB_SQL_I(at), NB_SQL_S(p->author)),
                          NULL);
    if (!err && langs)
        err = nb_sql_int(tx,
                         "SELECT count(DISTINCT lang) FROM page_versions WHERE office_id = ?1"
                         " AND kind = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(p->kind)), langs);
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    if (!err && version)
        *version = next;
    return err;
}

enum nb_err nb_store_page_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                              json_t **out)
{
    /* lang appears twice: the first column keys the map, the second stays in the value. */
    return nb_sql_lang_map(tx,
                           "SELECT lang, lang AS lang, version, title, body_md, updated_at, author"
                           " FROM page_versions p WHERE office_id = ?1 AND kind = ?2"
                           " AND version = (SELECT max(version) FROM page_versions q"
                           "  WHERE q.office_id = p.office_id AND q.kind = p.kind"
                           "  AND q.lang = p.lang)"
                           " ORDER BY " NB_SQL_LANG_ORDER,
                           NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(kind)), out);
}

enum nb_err nb_store_page_history(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                                  struct nb_str lang, size_t limit, json_t **out, int64_t *total)
{
    *out = NULL;
    enum nb_err err = nb_sql_int(
        tx, "SELECT count(*) FROM page_versions WHERE office_id = ?1 AND kind = ?2 AND lang = ?3",
        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(kind), NB_SQL_S(lang)), total);
    if (!err)
        err = nb_sql_array(
            tx,
            "SELECT lang, version, title, updated_at, author FROM page_versions"
            " WHERE office_id = ?1 AND kind = ?2 AND lang = ?3"
            " ORDER BY version DESC LIMIT ?4",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(kind), NB_SQL_S(lang), NB_SQL_I(limit)), out);
    return err;
}

enum nb_err nb_store_page_version(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                                  struct nb_str lang, int64_t version, json_t **out)
{
    return nb_sql_object(
        tx,
        "SELECT lang, version, title, body_md, updated_at, author"
        " FROM page_versions WHERE office_id = ?1 AND kind = ?2 AND lang = ?3"
        " AND version = ?4",
        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(kind), NB_SQL_S(lang), NB_SQL_I(version)), out);
}
