/* store_contact.c: contacts of a department, their roles per language, and the DPO.
 *
 * A contact is addressed by its numeric id together with the office id, so an id guessed
 * from another office finds nothing. A partial unique index keeps at most one data-protection
 * officer per office. */
#include "store/sql.h"

#define CONTACT_SELECT                                                                             \
    "SELECT c.id AS id, d.slug AS department, c.name AS name, c.phone AS phone,"                   \
    " c.email AS email, c.is_dpo AS is_dpo, c.sort AS sort, c.changed_at AS changed_at"            \
    " FROM contacts c JOIN departments d ON d.office_id = c.office_id AND d.id = c.department_id"

static enum nb_err put_roles(struct nb_store_tx *tx, int64_t office_id, int64_t id,
                             const struct nb_store_contact *c)
{
    enum nb_err err = nb_sql_exec(tx,
                                  "DELETE FROM contact_roles WHERE office_id = ?1"
                                  " AND contact_id = ?2",
                                  NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), NULL);
    for (size_t i = 0; !err && i < c->nroles; i++)
        err = nb_sql_exec(tx,
                          "INSERT INTO contact_roles (office_id, contact_id, lang, role)"
                          " VALUES (?1, ?2, ?3, ?4)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(c->roles[i].lang),
                                      NB_SQL_S(c->roles[i].text)),
                          NULL);
    return err;
}

enum nb_err nb_store_contact_add(struct nb_store_tx *tx, int64_t office_id,
                                 const struct nb_store_contact *c, int64_t at, int64_t *id)
{
    int64_t dep = 0, cid = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_store_department_id(tx, office_id, c->department, &dep);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO contacts (office_id, department_id, name, phone, email,"
                          " is_dpo, sort, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(dep), NB_SQL_S(c->name),
                                      NB_SQL_S(c->phone), NB_SQL_S(c->email), NB_SQL_I(c->is_dpo),
                                      NB_SQL_I(c->sort), NB_SQL_I(at)),
                          NULL);
    if (!err) {
        cid = sqlite3_last_insert_rowid(tx->db);
        err = put_roles(tx, office_id, cid, c);
    }
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    if (!err && id)
        *id = cid;
    return err;
}

enum nb_err nb_store_contact_update(struct nb_store_tx *tx, int64_t office_id, int64_t id,
                                    const struct nb_store_contact *c, int64_t at)
{
    int64_t dep = 0;
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_store_department_id(tx, office_id, c->department, &dep);
    if (!err)
        err = nb_sql_exec(tx,
                          "UPDATE contacts SET department_id = ?1, name = ?2, phone = ?3,"
                          " email = ?4, is_dpo = ?5, sort = ?6, changed_at = ?7"
                          " WHERE office_id = ?8 AND id = ?9",
                          NB_SQL_ARGS(NB_SQL_I(dep), NB_SQL_S(c->name), NB_SQL_S(c->phone),
                                      NB_SQL_S(c->email), NB_SQL_I(c->is_dpo), NB_SQL_I(c->sort),
                                      NB_SQL_I(at), NB_SQL_I(office_id), NB_SQL_I(id)),
                          &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = put_roles(tx, office_id, id, c);
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_contact_remove(struct nb_store_tx *tx, int64_t office_id, int64_t id,
                                    int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx, "DELETE FROM contacts WHERE office_id = ?1 AND id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

static enum nb_err finish_contact(struct nb_store_tx *tx, int64_t office_id, json_t *c)
{
    json_t *roles;
    enum nb_err err = nb_sql_bool(c, "is_dpo");
    if (!err)
        err = nb_sql_lang_map(tx,
                              "SELECT lang, role FROM contact_roles WHERE office_id = ?1"
                              " AND contact_id = ?2 ORDER BY " NB_SQL_LANG_ORDER,
                              NB_SQL_ARGS(NB_SQL_I(office_id),
                                          NB_SQL_I(json_integer_value(json_object_get(c, "id")))),
                              &roles);
    if (!err)
        err = nb_sql_set(c, "role", roles);
    return err;
}

enum nb_err nb_store_contact_get(struct nb_store_tx *tx, int64_t office_id, int64_t id,
                                 json_t **out)
{
    return nb_sql_object_finished(tx, CONTACT_SELECT " WHERE c.office_id = ?1 AND c.id = ?2",
                                  NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), finish_contact,
                                  office_id, out);
}

enum nb_err nb_store_contact_dpo(struct nb_store_tx *tx, int64_t office_id, json_t **out)
{
    return nb_sql_object_finished(tx, CONTACT_SELECT " WHERE c.office_id = ?1 AND c.is_dpo = 1",
                                  NB_SQL_ARGS(NB_SQL_I(office_id)), finish_contact, office_id, out);
}

enum nb_err nb_store_contact_of_department(struct nb_store_tx *tx, int64_t office_id,
                                           int64_t department_id, json_t **out)
{
    return nb_sql_array_finished(tx,
                                 CONTACT_SELECT " WHERE c.office_id = ?1 AND c.department_id = ?2"
                                                " ORDER BY c.sort, c.name, c.id",
                                 NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(department_id)),
                                 finish_contact, office_id, out);
}
