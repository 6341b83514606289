/* store_service.c: the catalogue of services with state, fallback text and the responsible
 * department.
 *
 * The responsible department is referenced by (office_id, department_id), so a service can
 * only name a department of its own office; the caller gives the department's slug. */
#include "store/sql.h"

#define SERVICE_SELECT                                                                             \
    "SELECT s.id AS id, s.slug AS slug, s.state AS state, d.slug AS department,"                   \
    " s.other_office AS other_office, s.sort AS sort, s.changed_at AS changed_at"                  \
    " FROM services s LEFT JOIN departments d"                                                     \
    " ON d.office_id = s.office_id AND d.id = s.department_id"

enum nb_err nb_store_service_put(struct nb_store_tx *tx, int64_t office_id,
                                 const struct nb_store_service *svc, int64_t at)
{
    int64_t dep = 0, id = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err && svc->department.ptr)
        err = nb_store_department_id(tx, office_id, svc->department, &dep);
    struct nb_sql_val dep_val =
        svc->department.ptr ? NB_SQL_I(dep) : NB_SQL_S(((struct nb_str){0}));
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO services (office_id, slug, state, department_id,"
                          " other_office, sort, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                          " ON CONFLICT (office_id, slug) DO UPDATE SET state = excluded.state,"
                          " department_id = excluded.department_id,"
                          " other_office = excluded.other_office, sort = excluded.sort,"
                          " changed_at = excluded.changed_at",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(svc->slug),
                                      NB_SQL_S(svc->state), dep_val, NB_SQL_S(svc->other_office),
                                      NB_SQL_I(svc->sort), NB_SQL_I(at)),
                          NULL);
    if (!err)
        err = nb_sql_int(tx, "SELECT id FROM services WHERE office_id = ?1 AND slug = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(svc->slug)), &id);
    if (!err)
        err = nb_sql_exec(tx, "DELETE FROM service_texts WHERE office_id = ?1 AND service_id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), NULL);
    for (size_t i = 0; !err && i < svc->ntexts; i++) {
        const struct nb_store_service_text *t = &svc->texts[i];
        err = nb_sql_exec(tx,
                          "INSERT INTO service_texts (office_id, service_id, lang, name,"
                          " description_md, fallback_md) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id), NB_SQL_S(t->lang),
                                      NB_SQL_S(t->name), NB_SQL_S(t->description_md),
                                      NB_SQL_S(t->fallback_md)),
                          NULL);
    }
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

enum nb_err nb_store_service_remove(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                                    int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx, "DELETE FROM services WHERE office_id = ?1 AND slug = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)), &changes);
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = nb_sql_touch(tx, office_id, at);
    return err;
}

static enum nb_err finish_service(struct nb_store_tx *tx, int64_t office_id, json_t *s)
{
    int64_t id = json_integer_value(json_object_get(s, "id"));
    json_object_del(s, "id");
    json_t *texts;
    enum nb_err err = nb_sql_lang_map(tx,
                                      "SELECT lang, name, description_md, fallback_md"
                                      " FROM service_texts WHERE office_id = ?1"
                                      " AND service_id = ?2 ORDER BY " NB_SQL_LANG_ORDER,
                                      NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(id)), &texts);
    if (!err)
        err = nb_sql_set(s, "texts", texts);
    return err;
}

enum nb_err nb_store_service_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str slug,
                                 json_t **out)
{
    return nb_sql_object_finished(tx, SERVICE_SELECT " WHERE s.office_id = ?1 AND s.slug = ?2",
                                  NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(slug)), finish_service,
                                  office_id, out);
}

enum nb_err nb_store_service_list(struct nb_store_tx *tx, int64_t office_id, json_t **out)
{
    return nb_sql_array_finished(tx,
                                 SERVICE_SELECT " WHERE s.office_id = ?1 ORDER BY s.sort, s.slug",
                                 NB_SQL_ARGS(NB_SQL_I(office_id)), finish_service, office_id, out);
}
