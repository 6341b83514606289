/* store_department.c: departments and their names per language.
 *
 * A department object gathers the department's contacts, weekly hours and dated exceptions
 * (built in store_contact.c and store_hours.c), so a caller gets one department in one piece.
 * Removing a department removes its contacts and hours with it (ON DELETE CASCADE) but not
 * the services it is responsible for: those block the removal. */
#include "store/sql.h"

#define DEPARTMENT_SELECT "SELECT id, slug, phone, email, room, sort, changed_at FROM departments"

enum nb_err nb_store_department_id(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                                   int64_t *id)
{
    return nb_sql_int(tx, "SELECT id FROM departments WHERE office_id = ?1 AND slug = ?2",
                      NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)), id);
}

enum nb_err nb_store_department_put(struct nb_store_tx *tx, int64_t office_id,
                                    const struct nb_store_department *d, int64_t at)
{
    int64_t id = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO departments (office_id, slug, phone, email, room, sort,"
                          " changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                          " ON CONFLICT (office_id, slug) DO UPDATE SET phone = excluded.phone,"
                          " email = excluded.email, room = excluded.room, sort = excluded.sort,"
                          " changed_at = excluded.changed_at",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(d->slug), NB_SQL_S(d->phone),
                                      NB_SQL_S(d->email), NB_SQL_S(d->room), NB_SQL_I(d->sort),
                                      NB_SQL_I(at)),
                          NULL);
    if (!err)
        err = nb_store_department_id(tx, office_id, d->slug, &id);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM department_names WHERE office_id = ?1"
                          " AND department_id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), NULL);
    for (size_t i = 0; !err && i < d->nnames; i++)
        err = nb_sql_exec(tx,
                          "INSERT INTO department_names (office_id, department_id, lang, name)"
                          " VALUES (?1, ?2, ?3, ?4)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(d->names[i].lang),
                                      NB_SQL_S(d->names[i].text)),
                          NULL);
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_department_remove(struct nb_store_tx *tx, int64_t office_id,
                                       struct nb_str slug, int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx, "DELETE FROM departments WHERE office_id = ?1 AND slug = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)), &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

/* Completes a department row: names, contacts, hours; drops the internal id. */
static enum nb_err finish_department(struct nb_store_tx *tx, int64_t office_id, json_t *d)
{
    int64_t id = json_integer_value(json_object_get(d, "id"));
    json_object_del(d, "id");
    json_t *names, *contacts;
    enum nb_err err = nb_sql_lang_map(tx,
                                      "SELECT lang, name FROM department_names"
                                      " WHERE office_id = ?1 AND department_id = ?2"
                                      " ORDER BY " NB_SQL_LANG_ORDER,
                                      NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), &names);
    if (!err)
        err = nb_sql_set(d, "name", names);
    if (!err)
        err = nb_store_contact_of_department(tx, office_id, id, &contacts);
    if (!err)
        err = nb_sql_set(d, "contacts", contacts);
    if (!err)
        err = nb_store_hours_of_department(tx, office_id, id, d);
    return err;
}

enum nb_err nb_store_department_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                                    json_t **out)
{
    return nb_sql_object_finished(tx, DEPARTMENT_SELECT " WHERE office_id = ?1 AND slug = ?2",
                                  NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)),
                                  finish_department, office_id, out);
}

enum nb_err nb_store_department_list(struct nb_store_tx *tx, int64_t office_id, json_t **out)
{
    return nb_sql_array_finished(tx, DEPARTMENT_SELECT " WHERE office_id = ?1 ORDER BY sort, slug",
                                 NB_SQL_ARGS(NB_SQL_I(office_id)), finish_department, office_id,
                                 out);
}
