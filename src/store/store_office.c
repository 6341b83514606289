/* store_office.c: offices, their operating state, state notes and settings.
 *
 * The offices table is the only one without office_id; its id is the office id every other
 * table carries. changed_at here is the office's "Stand": every visible change anywhere in
 * the office moves it forward (nb_sql_touch). */
#include "store/sql.h"

#define OFFICE_COLUMNS "id, slug, name, land, host, state, state_since, created_at, changed_at"

enum nb_err nb_store_office_insert(struct nb_store_tx *tx, const struct nb_store_office *o,
                                   int64_t at, int64_t *id)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO offices (slug, name, land, host, state, state_since,"
                          " created_at, changed_at) VALUES (?1, ?2, ?3, ?4, 'normal', ?5, ?5, ?5)",
                          NB_SQL_ARGS(NB_SQL_S(o->slug), NB_SQL_S(o->name), NB_SQL_S(o->land),
                                      NB_SQL_S(o->host), NB_SQL_I(at)),
                          NULL);
    if (!err && id)
        *id = sqlite3_last_insert_rowid(tx->db);
    return err;
}

enum nb_err nb_store_office_update(struct nb_store_tx *tx, int64_t office_id,
                                   const struct nb_store_office *o, int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx, "UPDATE offices SET name = ?1, land = ?2, host = ?3 WHERE id = ?4",
                          NB_SQL_ARGS(NB_SQL_S(o->name), NB_SQL_S(o->land), NB_SQL_S(o->host),
                                      NB_SQL_I(office_id)),
                          &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_office_count(struct nb_store_tx *tx, int64_t *n)
{
    return nb_sql_int(tx, "SELECT count(*) FROM offices", NULL, 0, n);
}

enum nb_err nb_store_office_id_by_slug(struct nb_store_tx *tx, struct nb_str slug, int64_t *id)
{
    return nb_sql_int(tx, "SELECT id FROM offices WHERE slug = ?1", NB_SQL_ARGS(NB_SQL_S(slug)),
                      id);
}

enum nb_err nb_store_office_id_by_host(struct nb_store_tx *tx, struct nb_str host, int64_t *id)
{
    return nb_sql_int(tx, "SELECT id FROM offices WHERE host = ?1", NB_SQL_ARGS(NB_SQL_S(host)),
                      id);
}

enum nb_err nb_store_office_get(struct nb_store_tx *tx, int64_t office_id, json_t **out)
{
    *out = NULL;
    json_t *o = NULL, *notes = NULL, *settings = NULL;
    enum nb_err err = nb_sql_object(tx, "SELECT " OFFICE_COLUMNS " FROM offices WHERE id = ?1",
                                    NB_SQL_ARGS(NB_SQL_I(office_id)), &o);
    if (!err)
        err = nb_sql_lang_map(tx,
                              "SELECT lang, note FROM office_state_notes WHERE office_id = ?1"
                              " ORDER BY " NB_SQL_LANG_ORDER,
                              NB_SQL_ARGS(NB_SQL_I(office_id)), &notes);
    if (!err)
        err = nb_sql_set(o, "state_note", notes);
    if (!err)
        err = nb_sql_object(tx,
                            "SELECT s.email AS email, s.phone AS phone, s.address AS address"
                            " FROM offices o LEFT JOIN office_settings s ON s.office_id = o.id"
                            " WHERE o.id = ?1",
                            NB_SQL_ARGS(NB_SQL_I(office_id)), &settings);
    if (!err)
        err = nb_sql_set(o, "settings", settings);
    if (err) {
        json_decref(o);
        return err;
    }
    *out = o;
    return NB_OK;
}

enum nb_err nb_store_office_list(struct nb_store_tx *tx, json_t **out)
{
    return nb_sql_array(tx, "SELECT " OFFICE_COLUMNS " FROM offices ORDER BY slug", NULL, 0, out);
}

enum nb_err nb_store_office_set_state(struct nb_store_tx *tx, int64_t office_id,
                                      struct nb_str state, int64_t since,
                                      const struct nb_store_lang_text *notes, size_t n, int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx, "UPDATE offices SET state = ?1, state_since = ?2 WHERE id = ?3",
                          NB_SQL_ARGS(NB_SQL_S(state), NB_SQL_I(since), NB_SQL_I(office_id)),
                          &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = nb_sql_exec(tx, "DELETE FROM office_state_notes WHERE office_id = ?1",
                          NB_SQL_ARGS(NB_SQL_I(office_id)), NULL);
    for (size_t i = 0; !err && i < n; i++)
        err = nb_sql_exec(
            tx,
            "INSERT INTO office_state_notes (office_id, lang, note)"
            " VALUES (?1, ?2, ?3)",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(notes[i].lang), NB_SQL_S(notes[i].text)),
            NULL);
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_office_set_settings(struct nb_store_tx *tx, int64_t office_id,
                                         const struct nb_store_office_settings *st, int64_t at)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO office_settings (office_id, email, phone, address,"
                          " changed_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                          " ON CONFLICT (office_id) DO UPDATE SET email = excluded.email,"
                          " phone = excluded.phone, address = excluded.address,"
                          " changed_at = excluded.changed_at",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(st->email), NB_SQL_S(st->phone),
                                      NB_SQL_S(st->address), NB_SQL_I(at)),
                          NULL);
    if (err == NB_ERR_CONFLICT)
        err = NB_ERR_NOTFOUND; /* the foreign key: no such office */
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}
