/* sql.c: statement helpers of the SQLite backend.
 *
 * Owns the mapping from SQLite result codes to enum nb_err and from result rows to jansson
 * values. Every parameter is bound, never spliced into SQL text. Text columns are turned
 * into JSON strings with their length, so embedded NULs cannot cut them short; the domain
 * admits only valid UTF-8, and a row that is not (a damaged file) fails as NB_ERR_DB rather
 * than reaching a page. */
#include "store/sql.h"

#include <limits.h>
#include <string.h>

#include "base/log.h"

enum nb_err nb_sql_fail(sqlite3 *db, int rc, const char *what)
{
    enum nb_err err;
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        err = NB_ERR_NOMEM;
        break;
    case SQLITE_TOOBIG:
        err = NB_ERR_LIMIT;
        break;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        err = NB_ERR_IO;
        break;
    case SQLITE_CONSTRAINT:
        switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            err = NB_ERR_CONFLICT;
            break;
        case SQLITE_CONSTRAINT_TRIGGER:
            err = NB_ERR_DENIED;
            break;
        default:
            err = NB_ERR_INPUT;
            break;
        }
        break;
    default:
        err = NB_ERR_DB;
        break;
    }
    /* Constraint refusals are expected outcomes (a taken slug); log them quietly. */
    enum nb_log_level level = (rc & 0xff) == SQLITE_CONSTRAINT ? NB_LOG_DEBUG : NB_LOG_ERROR;
    char msg[256];
    const char *m = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    nb_log(level, "store.sql", "what=%s rc=%d err=%s msg=%s", what, rc, nb_err_str(err),
           nb_log_value(msg, sizeof(msg), m, strlen(m)));
    return err;
}

enum nb_err nb_sql_exec_plain(sqlite3 *db, const char *sql)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? NB_OK : nb_sql_fail(db, rc, "exec");
}

static int bind_one(sqlite3_stmt *st, int idx, const struct nb_sql_val *v)
{
    if (v->type == NB_SQL_INT)
        return sqlite3_bind_int64(st, idx, v->i);
    if (v->s.ptr == NULL)
        return sqlite3_bind_null(st, idx);
    if (v->s.len > INT_MAX)
        return SQLITE_TOOBIG;
    /* The view outlives the statement: the helpers finish with it inside the call. */
    return sqlite3_bind_text(st, idx, v->s.ptr, (int)v->s.len, SQLITE_STATIC);
}

enum nb_err nb_sql_prepare(struct nb_store_tx *tx, const char *sql, const struct nb_sql_val *args,
                           size_t nargs, sqlite3_stmt **st)
{
    *st = NULL;
    int rc = sqlite3_prepare_v2(tx->db, sql, -1, st, NULL);
    if (rc != SQLITE_OK)
        return nb_sql_fail(tx->db, rc, "prepare");
    if ((size_t)sqlite3_bind_parameter_count(*st) != nargs) {
        nb_log_error("store.bind", "expected=%d given=%zu", sqlite3_bind_parameter_count(*st),
                     nargs);
        return NB_ERR_INTERNAL;
    }
    for (size_t i = 0; i < nargs; i++) {
        rc = bind_one(*st, (int)i + 1, &args[i]);
        if (rc != SQLITE_OK)
            return nb_sql_fail(tx->db, rc, "bind");
    }
    return NB_OK;
}

enum nb_err nb_sql_step(struct nb_store_tx *tx, sqlite3_stmt *st, bool *row)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *row = true;
        return NB_OK;
    }
    *row = false;
    return rc == SQLITE_DONE ? NB_OK : nb_sql_fail(tx->db, rc, "step");
}

enum nb_err nb_sql_exec(struct nb_store_tx *tx, const char *sql, const struct nb_sql_val *args,
                        size_t nargs, int *changes)
{
    sqlite3_stmt *st;
    enum nb_err err = nb_sql_prepare(tx, sql, args, nargs, &st);
    bool row = true;
    while (!err && row)
        err = nb_sql_step(tx, st, &row);
    if (!err && changes)
        *changes = sqlite3_changes(tx->db);
    sqlite3_finalize(st);
    return err;
}

enum nb_err nb_sql_int(struct nb_store_tx *tx, const char *sql, const struct nb_sql_val *args,
                       size_t nargs, int64_t *out)
{
    sqlite3_stmt *st;
    bool row = false;
    enum nb_err err = nb_sql_prepare(tx, sql, args, nargs, &st);
    if (!err)
        err = nb_sql_step(tx, st, &row);
    if (!err && (!row || sqlite3_column_type(st, 0) == SQLITE_NULL))
        err = NB_ERR_NOTFOUND;
    if (!err)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return err;
}

static json_t *column_value(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_NULL:
        return json_null();
    default: {
        const char *t = (const char *)sqlite3_column_text(st, i);
        int n = sqlite3_column_bytes(st, i);
        return t ? json_stringn(t, (size_t)n) : json_string("");
    }
    }
}

enum nb_err nb_sql_row(sqlite3_stmt *st, int first, json_t **out)
{
    *out = NULL;
    json_t *o = json_object();
    if (!o)
        return NB_ERR_NOMEM;
    int n = sqlite3_column_count(st);
    for (int i = first; i < n; i++) {
        json_t *v = column_value(st, i);
        if (!v) {
            /* jansson refuses only invalid UTF-8 here, short of memory */
            json_decref(o);
            nb_log_error("store.row", "column=%s reason=invalid_text", sqlite3_column_name(st, i));
            return NB_ERR_DB;
        }
        if (json_object_set_new(o, sqlite3_column_name(st, i), v) != 0) {
            json_decref(o);
            return NB_ERR_NOMEM;
        }
    }
    *out = o;
    return NB_OK;
}

enum nb_err nb_sql_object(struct nb_store_tx *tx, const char *sql, const struct nb_sql_val *args,
                          size_t nargs, json_t **out)
{
    *out = NULL;
    sqlite3_stmt *st;
    bool row = false;
    enum nb_err err = nb_sql_prepare(tx, sql, args, nargs, &st);
    if (!err)
        err = nb_sql_step(tx, st, &row);
    if (!err && !row)
        err = NB_ERR_NOTFOUND;
    if (!err)
        err = nb_sql_row(st, 0, out);
    sqlite3_finalize(st);
    return err;
}

enum nb_err nb_sql_array(struct nb_store_tx *tx, const char *sql, const struct nb_sql_val *args,
                         size_t nargs, json_t **out)
{
    *out = NULL;
    json_t *a = json_array();
    if (!a)
        return NB_ERR_NOMEM;
    sqlite3_stmt *st;
    bool row = true;
    enum nb_err err = nb_sql_prepare(tx, sql, args, nargs, &st);
    while (!err) {
        err = nb_sql_step(tx, st, &row);
        if (err || !row)
            break;
        json_t *o;
        err = nb_sql_row(st, 0, &o);
        if (!err && json_array_append_new(a, o) != 0)
            err = NB_ERR_NOMEM;
    }
    sqlite3_finalize(st);
    if (err)
        json_decref(a);
    else
        *out = a;
    return err;
}

enum nb_err nb_sql_object_finished(struct nb_store_tx *tx, const char *sql,
                                   const struct nb_sql_val *args, size_t nargs,
                                   nb_sql_finish_fn finish, int64_t office_id, json_t **out)
{
    json_t *o;
    enum nb_err err = nb_sql_object(tx, sql, args, nargs, &o);
    if (!err)
        err = finish(tx, office_id, o);
    if (err) {
        json_decref(o);
        o = NULL;
    }
    *out = o;
    return err;
}

enum nb_err nb_sql_array_finished(struct nb_store_tx *tx, const char *sql,
                                  const struct nb_sql_val *args, size_t nargs,
                                  nb_sql_finish_fn finish, int64_t office_id, json_t **out)
{
    json_t *list;
    enum nb_err err = nb_sql_array(tx, sql, args, nargs, &list);
    size_t i;
    json_t *row;
    if (!err)
        json_array_foreach(list, i, row)
        {
            err = finish(tx, office_id, row);
            if (err)
                break;
        }
    if (err) {
        json_decref(list);
        list = NULL;
    }
    *out = list;
    return err;
}

enum nb_err nb_sql_lang_map(struct nb_store_tx *tx, const char *sql, const struct nb_sql_val *args,
                            size_t nargs, json_t **out)
{
    *out = NULL;
    json_t *m = json_object();
    if (!m)
        return NB_ERR_NOMEM;
    sqlite3_stmt *st;
    bool row = true;
    enum nb_err err = nb_sql_prepare(tx, sql, args, nargs, &st);
    while (!err) {
        err = nb_sql_step(tx, st, &row);
        if (err || !row)
            break;
        const char *lang = (const char *)sqlite3_column_text(st, 0);
        if (!lang) {
            err = NB_ERR_DB;
            break;
        }
        json_t *v;
        if (sqlite3_column_count(st) == 2) {
            v = column_value(st, 1);
            if (!v)
                err = NB_ERR_DB;
        } else {
            err = nb_sql_row(st, 1, &v);
        }
        if (!err && json_object_set_new(m, lang, v) != 0)
            err = NB_ERR_NOMEM;
    }
    sqlite3_finalize(st);
    if (err)
        json_decref(m);
    else
        *out = m;
    return err;
}

static enum nb_err to_bool(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return NB_ERR_INTERNAL;
    if (json_is_boolean(v))
        return NB_OK;
    return json_object_set_new(o, key, json_boolean(json_integer_value(v) != 0)) == 0
               ? NB_OK
               : NB_ERR_NOMEM;
}

enum nb_err nb_sql_bool(json_t *obj, const char *key)
{
    if (json_is_object(obj))
        return to_bool(obj, key);
    size_t i;
    json_t *el;
    json_array_foreach(obj, i, el)
    {
        enum nb_err err = to_bool(el, key);
        if (err)
            return err;
    }
    return NB_OK;
}

enum nb_err nb_sql_set(json_t *obj, const char *key, json_t *val)
{
    if (!val)
        return NB_ERR_NOMEM;
    return json_object_set_new(obj, key, val) == 0 ? NB_OK : NB_ERR_NOMEM;
}

enum nb_err nb_sql_writable(const struct nb_store_tx *tx)
{
    if (tx->mode == NB_STORE_WRITE)
        return NB_OK;
    nb_log_error("store.readonly", "reason=write_in_read_transaction");
    return NB_ERR_INTERNAL;
}

enum nb_err nb_sql_touch(struct nb_store_tx *tx, int64_t office_id, int64_t at)
{
    int changes = 0;
    enum nb_err err =
        nb_sql_exec(tx, "UPDATE offices SET changed_at = max(changed_at, ?1) WHERE id = ?2",
                    NB_SQL_ARGS(NB_SQL_I(at), NB_SQL_I(office_id)), &changes);
    return !err && changes == 0 ? NB_ERR_NOTFOUND : err;
}
