/* site.c: assembles the public document of one office (shape in site.h) from the store,
 * inside one read transaction so that no half-finished edit shows. */
#include "domain/site.h"

#include "domain/check.h"
#include "domain/page.h"
#include "domain/press.h"

static enum nb_err put(json_t *doc, const char *key, json_t *val)
{
    if (!val)
        return NB_ERR_NOMEM;
    return json_object_set_new(doc, key, val) == 0 ? NB_OK : NB_ERR_NOMEM;
}

static enum nb_err load(struct nb_store_tx *tx, int64_t office_id, json_t *doc)
{
    json_t *office, *notices, *press, *services, *departments, *dpo, *pages, *page;
    enum nb_err err = nb_store_office_get(tx, office_id, &office);
    if (!err)
        err = put(doc, "changed_at", json_incref(json_object_get(office, "changed_at")));
    if (!err)
        err = put(doc, "office", office);
    if (!err)
        err = nb_store_notice_list(tx, office_id, true, &notices);
    if (!err)
        err = put(doc, "notices", notices);
    if (!err)
        err = nb_store_press_list(tx, office_id, true, &press);
    if (!err)
        err = put(doc, "press", press);
    if (!err)
        err = nb_press_add_week(press);
    if (!err)
        err = nb_store_service_list(tx, office_id, &services);
    if (!err)
        err = put(doc, "services", services);
    if (!err)
        err = nb_store_department_list(tx, office_id, &departments);
    if (!err)
        err = put(doc, "departments", departments);
    if (!err) {
        err = nb_store_contact_dpo(tx, office_id, &dpo);
        if (err == NB_ERR_NOTFOUND) {
            dpo = json_null();
            err = NB_OK;
        }
    }
    if (!err)
        err = put(doc, "dpo", dpo);
    if (!err)
        err = put(doc, "pages", pages = json_object());
    for (int k = 0; !err && k < NB_PAGE_KIND_COUNT; k++) {
        const char *kind = nb_page_kind_name((enum nb_page_kind)k);
        err = nb_store_page_get(tx, office_id, nb_str_c(kind), &page);
        if (!err)
            err = put(pages, kind, page);
    }
    return err;
}

enum nb_err nb_site_load_id(struct nb_store *s, int64_t office_id, json_t **out)
{
    *out = json_object();
    if (!*out)
        return NB_ERR_NOMEM;
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = load(tx, office_id, *out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_site_load(struct nb_store *s, const char *office_slug, json_t **out)
{
    *out = NULL;
    struct nb_str slug = nb_str_c(office_slug);
    if (nb_check_slug(slug) != NB_OK)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    int64_t id = 0;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_office_id_by_slug(tx, slug, &id);
    /* Nested in the same snapshot, so the office cannot change between lookup and load. */
    if (!err)
        err = nb_site_load_id(s, id, out);
    return nb_store_end_json(&tx, err, out);
}
