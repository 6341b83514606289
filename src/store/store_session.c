/* store_session.c: the sessions table (schema_4).
 *
 * Every statement names office_id, so that a hash or row id of another office matches
 * nothing. The id of a session never reaches this file, only its hash. */
#include "store/store_session.h"

#include "store/sql.h"

#define SESSION_COLUMNS "id, account_id, created_at, last_seen_at, client, user_agent"

enum nb_err nb_store_session_insert(struct nb_store_tx *tx, int64_t office_id,
                                    const struct nb_store_session *s, int64_t *id)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO sessions (office_id, account_id, token_hash, csrf_key,"
                          " created_at, last_seen_at, client, user_agent)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(s->account_id),
                                      NB_SQL_S(s->token_hash), NB_SQL_S(s->csrf_key),
                                      NB_SQL_I(s->created_at), NB_SQL_S(s->client),
                                      NB_SQL_S(s->user_agent)),
                          NULL);
    if (!err && id)
        *id = sqlite3_last_insert_rowid(tx->db);
    return err;
}

enum nb_err nb_store_session_get(struct nb_store_tx *tx, int64_t office_id,
                                 struct nb_str token_hash, json_t **out)
{
    return nb_sql_object(tx,
                         "SELECT " SESSION_COLUMNS ", csrf_key FROM sessions"
                         " WHERE office_id = ?1 AND token_hash = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(token_hash)), out);
}

enum nb_err nb_store_session_touch(struct nb_store_tx *tx, int64_t office_id, int64_t id,
                                   int64_t at)
{
    int64_t found = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_int(tx, "SELECT id FROM sessions WHERE office_id = ?1 AND id = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), &found);
    if (!err)
        err = nb_sql_exec(tx,
                          "UPDATE sessions SET last_seen_at = ?3"
                          " WHERE office_id = ?1 AND id = ?2 AND last_seen_at < ?3",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_I(at)), NULL);
    return err;
}

enum nb_err nb_store_session_delete(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                    int64_t id)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM sessions WHERE office_id = ?1 AND id = ?2"
                          " AND (?3 = 0 OR account_id = ?3)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_I(account_id)),
                          &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    return err;
}

enum nb_err nb_store_session_delete_hash(struct nb_store_tx *tx, int64_t office_id,
                                         struct nb_str token_hash)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx, "DELETE FROM sessions WHERE office_id = ?1 AND token_hash = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(token_hash)), &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    return err;
}

enum nb_err nb_store_session_delete_all(struct nb_store_tx *tx, int64_t office_id,
                                        int64_t account_id, int *n)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM sessions WHERE office_id = ?1"
                          " AND (?2 = 0 OR account_id = ?2)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id)), n);
    return err;
}

enum nb_err nb_store_session_list(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                  int64_t seen_after, int64_t created_after, json_t **out)
{
    return nb_sql_array(tx,
                        "SELECT " SESSION_COLUMNS " FROM sessions"
                        " WHERE office_id = ?1 AND account_id = ?2"
                        " AND last_seen_at > ?3 AND created_at > ?4"
                        " ORDER BY last_seen_at DESC, id DESC",
                        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id), NB_SQL_I(seen_after),
                                    NB_SQL_I(created_after)),
                        out);
}

enum nb_err nb_store_session_purge(struct nb_store_tx *tx, int64_t seen_after,
                                   int64_t created_after, int *n)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx, "DELETE FROM sessions WHERE last_seen_at <= ?1 OR created_at <= ?2",
                          NB_SQL_ARGS(NB_SQL_I(seen_after), NB_SQL_I(created_after)), n);
    return err;
}
