/* store_throttle.c: the tables signin_throttle and signin_failures (migration 5).
 *
 * Plain rows with no meaning of their own here: domain/throttle.c decides what a count and a
 * time stand for. Every statement names the office, but for the instance-wide housekeeping. */
#include "store/store_throttle.h"

#include "store/sql.h"

/* Runs one writing statement; NB_ERR_INTERNAL outside a write transaction. */
static enum nb_err write_sql(struct nb_store_tx *tx, const char *sql, const struct nb_sql_val *args,
                             size_t nargs, int *changes)
{
    enum nb_err err = nb_sql_writable(tx);
    return err ? err : nb_sql_exec(tx, sql, args, nargs, changes);
}

enum nb_err nb_store_throttle_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                                  struct nb_str key, int64_t *count, int64_t *at)
{
    json_t *row = NULL;
    enum nb_err err =
        nb_sql_object(tx,
                      "SELECT count, at FROM signin_throttle"
                      " WHERE office_id = ?1 AND kind = ?2 AND key = ?3",
                      NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(kind), NB_SQL_S(key)), &row);
    *count = 0;
    *at = 0;
    if (err == NB_ERR_NOTFOUND)
        return NB_OK;
    if (!err) {
        *count = json_integer_value(json_object_get(row, "count"));
        *at = json_integer_value(json_object_get(row, "at"));
    }
    json_decref(row);
    return err;
}

enum nb_err nb_store_throttle_put(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                                  struct nb_str key, int64_t count, int64_t at)
{
    return write_sql(tx,
                     "INSERT INTO signin_throttle (office_id, kind, key, count, at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5)"
                     " ON CONFLICT (office_id, kind, key) DO UPDATE SET"
                     " count = excluded.count, at = excluded.at",
                     NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(kind), NB_SQL_S(key),
                                 NB_SQL_I(count), NB_SQL_I(at)),
                     NULL);
}

enum nb_err nb_store_throttle_clear(struct nb_store_tx *tx, int64_t office_id, struct nb_str kind,
                                    struct nb_str key)
{
    return write_sql(tx,
                     "DELETE FROM signin_throttle WHERE office_id = ?1 AND kind = ?2"
                     " AND key = ?3",
                     NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(kind), NB_SQL_S(key)), NULL);
}

enum nb_err nb_store_throttle_expire(struct nb_store_tx *tx, int64_t failed_before,
                                     int64_t known_before, int64_t budget_before, int64_t *deleted)
{
    int changes = 0;
    enum nb_err err = write_sql(
        tx,
        "DELETE FROM signin_throttle WHERE"
        " (kind IN ('pair', 'addr', 'net') AND at < ?1)"
        " OR (kind = 'known' AND at < ?2) OR (kind = 'budget' AND at < ?3)",
        NB_SQL_ARGS(NB_SQL_I(failed_before), NB_SQL_I(known_before), NB_SQL_I(budget_before)),
        &changes);
    if (!err && deleted)
        *deleted = changes;
    return err;
}

enum nb_err nb_store_signin_failure_add(struct nb_store_tx *tx, int64_t office_id,
                                        int64_t window_start, struct nb_str actor,
                                        struct nb_str addr, int64_t max_rows)
{
    /* The address gets a row of its own when it has one already or the window has room;
     * "WHERE true" lets SQLite parse the upsert after a SELECT. */
    return write_sql(
        tx,
        "INSERT INTO signin_failures (office_id, window_start, actor, addr, failures)"
        " SELECT ?1, ?2, ?3, CASE WHEN EXISTS (SELECT 1 FROM signin_failures"
        "   WHERE office_id = ?1 AND window_start = ?2 AND actor = ?3 AND addr = ?4)"
        "   OR (SELECT count(*) FROM signin_failures WHERE office_id = ?1"
        "   AND window_start = ?2 AND addr <> '') < ?5 THEN ?4 ELSE '' END, 1 WHERE true"
        " ON CONFLICT (office_id, window_start, actor, addr) DO UPDATE SET"
        " failures = failures + 1",
        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(window_start), NB_SQL_S(actor), NB_SQL_S(addr),
                    NB_SQL_I(max_rows)),
        NULL);
}

enum nb_err nb_store_signin_failure_due(struct nb_store_tx *tx, int64_t started_before,
                                        json_t **out)
{
    return nb_sql_array(tx,
                        "SELECT office_id, window_start, actor, addr, failures"
                        " FROM signin_failures WHERE window_start < ?1"
                        " ORDER BY window_start, office_id, actor, addr = '', addr",
                        NB_SQL_ARGS(NB_SQL_I(started_before)), out);
}

enum nb_err nb_store_signin_failure_remove(struct nb_store_tx *tx, int64_t office_id,
                                           int64_t window_start, struct nb_str actor,
                                           struct nb_str addr)
{
    return write_sql(
        tx,
        "DELETE FROM signin_failures WHERE office_id = ?1"
        " AND window_start = ?2 AND actor = ?3 AND addr = ?4",
        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(window_start), NB_SQL_S(actor), NB_SQL_S(addr)),
        NULL);
}
