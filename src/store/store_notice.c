/* store_notice.c: notices and their append-only versions.
 *
 * A notice is a slug with flags; its text lives only in notice_versions, one row per
 * (language, version), never changed once written. The current text of a language is its
 * highest version; add_version refuses a publication time before that version's, so the
 * highest version is also the newest. A notice is visible when published = 1 and it has at
 * least one version. */
#include "store/sql.h"

#define NOTICE_SELECT                                                                              \
    "SELECT n.id AS id, n.slug AS slug, n.pinned AS pinned, n.archived AS archived,"               \
    " n.published AS published, n.sort AS sort, n.created_at AS created_at,"                       \
    " n.changed_at AS changed_at,"                                                                 \
    " (SELECT max(v.published_at) FROM notice_versions v"                                          \
    "   WHERE v.office_id = n.office_id AND v.notice_id = n.id) AS updated_at"                     \
    " FROM notices n"

static enum nb_err notice_id(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                             int64_t *id)
{
    return nb_sql_int(tx, "SELECT id FROM notices WHERE office_id = ?1 AND slug = ?2",
                      NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)), id);
}

enum nb_err nb_store_notice_insert(struct nb_store_tx *tx, int64_t office_id,
                                   const struct nb_store_notice *n, int64_t at)
{
    /* Not touched: a notice without a version shows nothing, so the "Stand" stays. */
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO notices (office_id, slug, pinned, archived, published,"
                          " sort, created_at, changed_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?6)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(n->slug), NB_SQL_I(n->pinned),
                                      NB_SQL_I(n->archived), NB_SQL_I(n->sort), NB_SQL_I(at)),
                          NULL);
    return err;
}

static enum nb_err update_one(struct nb_store_tx *tx, int64_t office_id, const char *sql,
                              const struct nb_sql_val *args, size_t nargs, int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx, sql, args, nargs, &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_notice_update(struct nb_store_tx *tx, int64_t office_id,
                                   const struct nb_store_notice *n, int64_t at)
{
    return update_one(tx, office_id,
                      "UPDATE notices SET pinned = ?1, archived = ?2, sort = ?3, changed_at = ?4"
                      " WHERE office_id = ?5 AND slug = ?6",
                      NB_SQL_ARGS(NB_SQL_I(n->pinned), NB_SQL_I(n->archived), NB_SQL_I(n->sort),
                                  NB_SQL_I(at), NB_SQL_I(office_id), NB_SQL_S(n->slug)),
                      at);
}

enum nb_err nb_store_notice_set_published(struct nb_store_tx *tx, int64_t office_id,
                                          struct nb_str slug, bool published, int64_t at)
{
    return update_one(
        tx, office_id,
        "UPDATE notices SET published = ?1, changed_at = ?2"
        " WHERE office_id = ?3 AND slug = ?4",
        NB_SQL_ARGS(NB_SQL_I(published), NB_SQL_I(at), NB_SQL_I(office_id), NB_SQL_S(slug)), at);
}

enum nb_err nb_store_notice_add_version(struct nb_store_tx *tx, int64_t office_id,
                                        struct nb_str slug, const struct nb_store_notice_variant *v,
                                        int64_t at, int64_t *version, int64_t *langs)
{
    int64_t id = 0, later = 0, next = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = notice_id(tx, office_id, slug, &id);
    if (!err)
        err = nb_sql_int(
            tx,
            "SELECT count(*) FROM notice_versions WHERE office_id = ?1"
            " AND notice_id = ?2 AND lang = ?3 AND published_at > ?4",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(v->lang), NB_SQL_I(at)),
            &later);
    if (!err && later > 0)
        err = NB_ERR_CONFLICT;
    if (!err)
        err = nb_sql_int(tx,
                         "SELECT coalesce(max(version), 0) + 1 FROM notice_versions"
                         " WHERE office_id = ?1 AND notice_id = ?2 AND lang = ?3",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(v->lang)), &next);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO notice_versions (office_id, notice_id, lang, version,"
                          " title, body_md, published_at, author)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(v->lang),
                                      NB_SQL_I(next), NB_SQL_S(v->title), NB_SQL_S(v->body_md),
                                      NB_SQL_I(at), NB_SQL_S(v->author)),
                          NULL);
    if (!err)
        err = nb_sql_exec(tx,
                          "UPDATE notices SET published = 1, changed_at = max(changed_at, ?1)"
                          " WHERE office_id = ?2 AND id = ?3",
                          NB_SQL_ARGS(NB_SQL_I(at), NB_SQL_I(office_id), NB_SQL_I(id)), NULL);
    if (!err && langs)
        err = nb_sql_int(tx,
                         "SELECT count(DISTINCT lang) FROM notice_versions"
                         " WHERE office_id = ?1 AND notice_id = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), langs);
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    if (!err && version)
        *version = next;
    return err;
}

/* Adds "variants" to the notice object n (which still carries its internal "id", removed
 * here). Rows come per language, highest version first: the first row of a language is its
 * variant, and every row goes into that variant's "versions". */
static enum nb_err add_variants(struct nb_store_tx *tx, int64_t office_id, json_t *n)
{
    int64_t id = json_integer_value(json_object_get(n, "id"));
    json_object_del(n, "id");
    json_t *variants = json_object();
    if (!variants)
        return NB_ERR_NOMEM;
    enum nb_err err = nb_sql_set(n, "variants", variants); /* n holds it from here on */
    if (err)
        return err;
    sqlite3_stmt *st;
    err = nb_sql_prepare(tx,
                         "SELECT lang, version, title, body_md, published_at, author"
                         " FROM notice_versions WHERE office_id = ?1 AND notice_id = ?2"
                         " ORDER BY " NB_SQL_LANG_ORDER ", version DESC",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), &st);
    json_t *versions = NULL; /* of the language being read; owned by its variant */
    while (!err) {
        bool row;
        err = nb_sql_step(tx, st, &row);
        if (err || !row)
            break;
        const char *lang = (const char *)sqlite3_column_text(st, 0);
        if (!lang) {
            err = NB_ERR_DB;
            break;
        }
        json_t *variant = json_object_get(variants, lang);
        if (!variant) {
            err = nb_sql_row(st, 0, &variant);
            if (!err)
                err = nb_sql_set(variants, lang, variant);
            if (!err) {
                versions = json_array();
                err = nb_sql_set(variant, "versions", versions);
            }
            if (err)
                break;
        }
        json_t *ver;
        err = nb_sql_row(st, 1, &ver);
        if (!err && json_array_append_new(versions, ver) != 0)
            err = NB_ERR_NOMEM;
    }
    sqlite3_finalize(st);
    return err;
}

static enum nb_err finish_notice(struct nb_store_tx *tx, int64_t office_id, json_t *n)
{
    enum nb_err err = nb_sql_bool(n, "pinned");
    if (!err)
        err = nb_sql_bool(n, "archived");
    if (!err)
        err = nb_sql_bool(n, "published");
    if (!err)
        err = add_variants(tx, office_id, n);
    return err;
}

enum nb_err nb_store_notice_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                                json_t **out)
{
    return nb_sql_object_finished(tx, NOTICE_SELECT " WHERE n.office_id = ?1 AND n.slug = ?2",
                                  NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)), finish_notice,
                                  office_id, out);
}

enum nb_err nb_store_notice_list(struct nb_store_tx *tx, int64_t office_id, bool published_only,
                                 json_t **out)
{
    return nb_sql_array_finished(
        tx,
        NOTICE_SELECT " WHERE n.office_id = ?1 AND (?2 = 0 OR (n.published = 1"
                      " AND EXISTS (SELECT 1 FROM notice_versions v"
                      "  WHERE v.office_id = n.office_id AND v.notice_id = n.id)))"
                      " ORDER BY n.pinned DESC, n.sort, updated_at DESC, n.slug",
        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(published_only)), finish_notice, office_id, out);
}
