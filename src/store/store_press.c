/* store_press.c: press updates with one text per language.
 *
 * Unlike notices, press updates are edited in place: a correction replaces the text of its
 * language. published_at is the date the update carries (and the ISO week it is filed under);
 * changed_at records the last edit. */
#include "store/sql.h"

#define PRESS_SELECT                                                                               \
    "SELECT id, slug, published_at, published, created_at, changed_at FROM press_updates"

static enum nb_err press_id(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                            int64_t *id)
{
    return nb_sql_int(tx, "SELECT id FROM press_updates WHERE office_id = ?1 AND slug = ?2",
                      NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)), id);
}

static enum nb_err put_text(struct nb_store_tx *tx, int64_t office_id, int64_t id,
                            const struct nb_store_press_text *t)
{
    return nb_sql_exec(tx,
                       "INSERT INTO press_texts (office_id, press_id, lang, title, body_md)"
                       " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (press_id, lang)"
                       " DO UPDATE SET title = excluded.title, body_md = excluded.body_md",
                       NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(t->lang),
                                   NB_SQL_S(t->title), NB_SQL_S(t->body_md)),
                       NULL);
}

enum nb_err nb_store_press_insert(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                                  int64_t published_at, const struct nb_store_press_text *texts,
                                  size_t n, int64_t at)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(
            tx,
            "INSERT INTO press_updates (office_id, slug, published_at, published,"
            " created_at, changed_at) VALUES (?1, ?2, ?3, 1, ?4, ?4)",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug), NB_SQL_I(published_at), NB_SQL_I(at)),
            NULL);
    int64_t id = err ? 0 : sqlite3_last_insert_rowid(tx->db);
    for (size_t i = 0; !err && i < n; i++)
        err = put_text(tx, office_id, id, &texts[i]);
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_press_set_text(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                                    const struct nb_store_press_text *t, int64_t at, int64_t *langs)
{
    int64_t id = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = press_id(tx, office_id, slug, &id);
    if (!err)
        err = put_text(tx, office_id, id, t);
    if (!err)
        err = nb_sql_exec(tx,
                          "UPDATE press_updates SET changed_at = ?1 WHERE office_id = ?2"
                          " AND id = ?3",
                          NB_SQL_ARGS(NB_SQL_I(at), NB_SQL_I(office_id), NB_SQL_I(id)), NULL);
    if (!err && langs)
        err = nb_sql_int(tx,
                         "SELECT count(*) FROM press_texts WHERE office_id = ?1"
                         " AND press_id = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), langs);
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_press_set_published(struct nb_store_tx *tx, int64_t office_id,
                                         struct nb_str slug, bool published, int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(
            tx,
            "UPDATE press_updates SET published = ?1, changed_at = ?2"
            " WHERE office_id = ?3 AND slug = ?4",
            NB_SQL_ARGS(NB_SQL_I(published), NB_SQL_I(at), NB_SQL_I(office_id), NB_SQL_S(slug)),
            &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

/* Replaces the internal "id" of a press object by its "texts". */
static enum nb_err finish_press(struct nb_store_tx *tx, int64_t office_id, json_t *p)
{
    int64_t id = json_integer_value(json_object_get(p, "id"));
    json_object_del(p, "id");
    json_t *texts;
    enum nb_err err = nb_sql_bool(p, "published");
    if (!err)
        err = nb_sql_lang_map(tx,
                              "SELECT lang, title, body_md FROM press_texts"
                              " WHERE office_id = ?1 AND press_id = ?2 ORDER BY " NB_SQL_LANG_ORDER,
                              NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), &texts);
    if (!err)
        err = nb_sql_set(p, "texts", texts);
    return err;
}

enum nb_err nb_store_press_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                               json_t **out)
{
    return nb_sql_object_finished(tx, PRESS_SELECT " WHERE office_id = ?1 AND slug = ?2",
                                  NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)), finish_press,
                                  office_id, out);
}

enum nb_err nb_store_press_list(struct nb_store_tx *tx, int64_t office_id, bool published_only,
                                json_t **out)
{
    return nb_sql_array_finished(tx,
                                 PRESS_SELECT " WHERE office_id = ?1 AND (?2 = 0 OR published = 1)"
                                              " ORDER BY published_at DESC, slug DESC",
                                 NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(published_only)),
                                 finish_press, office_id, out);
}
