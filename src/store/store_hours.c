/* store_hours.c: weekly hours of a department and dated exceptions.
 *
 * Times are minutes after local midnight (Europe/Berlin), end exclusive; dates are local
 * calendar dates as 'YYYY-MM-DD'. The store keeps them as given: computing "open now" and
 * applying holidays is the domain's (hours.h). The weekly slots of a department are always
 * replaced as a whole, so an editor's form is one write. */
#include "store/sql.h"

static enum nb_err touch_department(struct nb_store_tx *tx, int64_t office_id, int64_t dep,
                                    int64_t at)
{
    enum nb_err err =
        nb_sql_exec(tx,
                    "UPDATE departments SET changed_at = ?1 WHERE office_id = ?2"
                    " AND id = ?3",
                    NB_SQL_ARGS(NB_SQL_I(at), NB_SQL_I(office_id), NB_SQL_I(dep)), NULL);
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_hours_set_weekly(struct nb_store_tx *tx, int64_t office_id,
                                      struct nb_str department, const struct nb_store_slot *slots,
                                      size_t n, int64_t at)
{
    int64_t dep = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_store_department_id(tx, office_id, department, &dep);
    if (!err)
        err =
            nb_sql_exec(tx, "DELETE FROM hours_weekly WHERE office_id = ?1 AND department_id = ?2",
                        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(dep)), NULL);
    for (size_t i = 0; !err && i < n; i++)
        err = nb_sql_exec(tx,
                          "INSERT INTO hours_weekly (office_id, department_id, kind, weekday,"
                          " start_min, end_min) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(dep), NB_SQL_S(slots[i].kind),
                                      NB_SQL_I(slots[i].weekday), NB_SQL_I(slots[i].start_min),
                                      NB_SQL_I(slots[i].end_min)),
                          NULL);
    if (!err)
        err = touch_department(tx, office_id, dep, at);
    return err;
}

enum nb_err nb_store_hours_set_exception(struct nb_store_tx *tx, int64_t office_id,
                                         struct nb_str department,
                                         const struct nb_store_hours_exception *e, int64_t at)
{
    int64_t dep = 0, id = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_store_department_id(tx, office_id, department, &dep);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO hours_exceptions (office_id, department_id, day, closed,"
                          " changed_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                          " ON CONFLICT (department_id, day) DO UPDATE SET"
                          " closed = excluded.closed, changed_at = excluded.changed_at",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(dep), NB_SQL_S(e->date),
                                      NB_SQL_I(e->closed), NB_SQL_I(at)),
                          NULL);
    if (!err)
        err = nb_sql_int(tx,
                         "SELECT id FROM hours_exceptions WHERE office_id = ?1"
                         " AND department_id = ?2 AND day = ?3",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(dep), NB_SQL_S(e->date)), &id);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM hours_exception_slots WHERE office_id = ?1"
                          " AND exception_id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), NULL);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM hours_exception_notes WHERE office_id = ?1"
                          " AND exception_id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), NULL);
    for (size_t i = 0; !err && i < e->nslots; i++)
        err =
            nb_sql_exec(tx,
                        "INSERT INTO hours_exception_slots (office_id, exception_id, kind,"
                        " start_min, end_min) VALUES (?1, ?2, ?3, ?4, ?5)",
                        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(e->slots[i].kind),
                                    NB_SQL_I(e->slots[i].start_min), NB_SQL_I(e->slots[i].end_min)),
                        NULL);
    for (size_t i = 0; !err && i < e->nnotes; i++)
        err = nb_sql_exec(tx,
                          "INSERT INTO hours_exception_notes (office_id, exception_id, lang, note)"
                          " VALUES (?1, ?2, ?3, ?4)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(e->notes[i].lang),
                                      NB_SQL_S(e->notes[i].text)),
                          NULL);
    if (!err)
        err = touch_department(tx, office_id, dep, at);
    return err;
}

enum nb_err nb_store_hours_remove_exception(struct nb_store_tx *tx, int64_t office_id,
                                            struct nb_str department, struct nb_str date,
                                            int64_t at)
{
    int64_t dep = 0;
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_store_department_id(tx, office_id, department, &dep);
    if (!err)
        err =
            nb_sql_exec(tx,
                        "DELETE FROM hours_exceptions WHERE office_id = ?1"
                        " AND department_id = ?2 AND day = ?3",
                        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(dep), NB_SQL_S(date)), &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = touch_department(tx, office_id, dep, at);
    return err;
}

static enum nb_err finish_exception(struct nb_store_tx *tx, int64_t office_id, json_t *e)
{
    int64_t id = json_integer_value(json_object_get(e, "id"));
    json_object_del(e, "id");
    json_t *slots, *notes;
    enum nb_err err = nb_sql_bool(e, "closed");
    if (!err)
        err = nb_sql_array(tx,
                           "SELECT kind, start_min AS start, end_min AS \"end\""
                           " FROM hours_exception_slots WHERE office_id = ?1 AND exception_id = ?2"
                           " ORDER BY kind, start_min",
                           NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), &slots);
    if (!err)
        err = nb_sql_set(e, "slots", slots);
    if (!err)
        err = nb_sql_lang_map(tx,
                              "SELECT lang, note FROM hours_exception_notes WHERE office_id = ?1"
                              " AND exception_id = ?2 ORDER BY " NB_SQL_LANG_ORDER,
                              NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), &notes);
    if (!err)
        err = nb_sql_set(e, "note", notes);
    return err;
}

enum nb_err nb_store_hours_of_department(struct nb_store_tx *tx, int64_t office_id,
                                         int64_t department_id, json_t *department)
{
    json_t *hours, *exceptions;
    enum nb_err err =
        nb_sql_array(tx,
                     "SELECT kind, weekday, start_min AS start, end_min AS \"end\""
                     " FROM hours_weekly WHERE office_id = ?1 AND department_id = ?2"
                     " ORDER BY kind, weekday, start_min",
                     NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(department_id)), &hours);
    if (!err)
        err = nb_sql_set(department, "hours", hours);
    if (!err)
        err = nb_sql_array_finished(tx,
                                    "SELECT id, day AS date, closed FROM hours_exceptions"
                                    " WHERE office_id = ?1 AND department_id = ?2 ORDER BY day",
                                    NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(department_id)),
                                    finish_exception, office_id, &exceptions);
    if (!err)
        err = nb_sql_set(department, "exceptions", exceptions);
    return err;
}
