/* sql.h: internals of the SQLite backend, shared by the files of src/store/ only.
 *
 * Nothing outside src/store/ includes this header: it is where SQLite types and SQL text
 * live. Every statement is run through the helpers below with bound parameters; SQL text is
 * always a string literal of ours. Values come back as jansson objects whose keys are the
 * column names (or aliases) of the query, so the SQL of each store file states the JSON keys
 * that store.h documents. */
#ifndef NB_STORE_SQL_H
#define NB_STORE_SQL_H

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* Read connections kept open beside the one writer. WAL lets them read while the writer
 * writes; four cover the back office and snapshot building, which are the only readers
 * (public pages are served from memory). */
#define NB_SQL_READERS 4

struct nb_sql_reader {
    sqlite3 *db;
    bool busy; /* handed out to a transaction; guarded by nb_store.pool_lock */
};

/* The writer connection is used by one command at a time, in the order the commands asked
 * for it (tickets). A command runs inside a SAVEPOINT of the group transaction that is open
 * on the connection; when it is done it hands the connection to the next waiting command, or,
 * when none waits (or the group is full), COMMITs the whole group and tells every member the
 * result. So the commands that queued up during one COMMIT share the next one. */
struct nb_sql_member {
    struct nb_sql_member *next;
    enum nb_err err; /* the group's result, set when done */
    bool done;
};

struct nb_store {
    sqlite3 *writer;            /* the one connection that writes */
    pthread_mutex_t write_lock; /* guards everything of the group below */
    pthread_cond_t write_turn;  /* broadcast when serving moves on or a group ends */
    uint64_t next_ticket;       /* the ticket the next writer gets */
    uint64_t serving;           /* the ticket that owns the connection now */
    bool group_open;            /* BEGIN IMMEDIATE has run and no COMMIT yet */
    struct nb_sql_member *members; /* released commands of the open group */
    size_t nmembers;
    struct nb_store_stats stats;
    struct nb_sql_reader readers[NB_SQL_READERS];
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_free; /* signalled when a reader is handed back */
    int schema_version;
};

struct nb_store_tx {
    struct nb_store *store;
    sqlite3 *db;
    struct nb_sql_reader *reader; /* the reader to hand back, or NULL on the writer */
    enum nb_store_mode mode;
    bool nested;                /* runs inside a SAVEPOINT of an enclosing transaction */
    struct nb_store_tx *parent; /* enclosing transaction of this thread, on any store */
    struct nb_sql_member member; /* an outermost write: its place in the group */
};

/* One bound parameter. NB_SQL_TEXT with s.ptr == NULL binds SQL NULL. */
enum nb_sql_type { NB_SQL_INT, NB_SQL_TEXT };
struct nb_sql_val {
    enum nb_sql_type type;
    int64_t i;
    struct nb_str s;
};

#define NB_SQL_I(x) ((struct nb_sql_val){.type = NB_SQL_INT, .i = (int64_t)(x)})
#define NB_SQL_S(x) ((struct nb_sql_val){.type = NB_SQL_TEXT, .s = (x)})
#define NB_SQL_C(x) ((struct nb_sql_val){.type = NB_SQL_TEXT, .s = nb_str_c(x)})
/* Expands to "array, count" for the helpers below: NB_SQL_ARGS(NB_SQL_I(id), NB_SQL_S(slug)) */
#define NB_SQL_ARGS(...)                                                                           \
    (const struct nb_sql_val[]){__VA_ARGS__},                                                      \
        sizeof((const struct nb_sql_val[]){__VA_ARGS__}) / sizeof(struct nb_sql_val)

/* Maps a SQLite result code to our error and logs it with what was being done. Unique and
 * primary-key violations and foreign keys that still point at a row are NB_ERR_CONFLICT, CHECK
 * and NOT NULL violations NB_ERR_INPUT, a trigger's refusal NB_ERR_DENIED. */
enum nb_err nb_sql_fail(sqlite3 *db, int rc, const char *what);

/* Runs a statement without parameters, or several separated by ';' (schema, pragmas,
 * transaction control only). */
NB_MUST_USE enum nb_err nb_sql_exec_plain(sqlite3 *db, const char *sql);

/* Prepares sql and binds args. The caller finalizes *st (also after an error, when set). */
NB_MUST_USE enum nb_err nb_sql_prepare(struct nb_store_tx *tx, const char *sql,
                                       const struct nb_sql_val *args, size_t nargs,
                                       sqlite3_stmt **st);

/* Steps once: NB_OK with *row true when a row is ready, *row false when done. */
NB_MUST_USE enum nb_err nb_sql_step(struct nb_store_tx *tx, sqlite3_stmt *st, bool *row);

/* Runs sql to its end, ignoring rows. *changes (may be NULL) gets the rows changed. */
NB_MUST_USE enum nb_err nb_sql_exec(struct nb_store_tx *tx, const char *sql,
                                    const struct nb_sql_val *args, size_t nargs, int *changes);

/* First column of the first row as an integer. NB_ERR_NOTFOUND when there is no row or the
 * value is NULL. */
NB_MUST_USE enum nb_err nb_sql_int(struct nb_store_tx *tx, const char *sql,
                                   const struct nb_sql_val *args, size_t nargs, int64_t *out);

/* The first row as an object (column name -> value). NB_ERR_NOTFOUND when there is none. */
NB_MUST_USE enum nb_err nb_sql_object(struct nb_store_tx *tx, const char *sql,
                                      const struct nb_sql_val *args, size_t nargs, json_t **out);

/* All rows as an array of objects (possibly empty). */
NB_MUST_USE enum nb_err nb_sql_array(struct nb_store_tx *tx, const char *sql,
                                     const struct nb_sql_val *args, size_t nargs, json_t **out);

/* Completes one row object in place: adds its nested pieces (names per language, versions,
 * ...) and drops columns that are internal (ids). */
typedef enum nb_err (*nb_sql_finish_fn)(struct nb_store_tx *tx, int64_t office_id, json_t *row);

/* nb_sql_object, then finish on the row; nb_sql_array, then finish on each row in order.
 * After any error *out is NULL and nothing is leaked. */
NB_MUST_USE enum nb_err nb_sql_object_finished(struct nb_store_tx *tx, const char *sql,
                                               const struct nb_sql_val *args, size_t nargs,
                                               nb_sql_finish_fn finish, int64_t office_id,
                                               json_t **out);
NB_MUST_USE enum nb_err nb_sql_array_finished(struct nb_store_tx *tx, const char *sql,
                                              const struct nb_sql_val *args, size_t nargs,
                                              nb_sql_finish_fn finish, int64_t office_id,
                                              json_t **out);

/* Rows whose first column is a language tag, as an object keyed by it. With two columns the
 * value is the second column ({"de": "Bürgerbüro"}); with more, an object of the other
 * columns ({"de": {"title": ..., "body_md": ...}}). Key order follows the rows. */
NB_MUST_USE enum nb_err nb_sql_lang_map(struct nb_store_tx *tx, const char *sql,
                                        const struct nb_sql_val *args, size_t nargs, json_t **out);

/* The current row as an object, starting at column first. */
NB_MUST_USE enum nb_err nb_sql_row(sqlite3_stmt *st, int first, json_t **out);

/* Turns the integer member key of obj (or of each object in an array) into true/false. */
NB_MUST_USE enum nb_err nb_sql_bool(json_t *obj, const char *key);

/* Sets obj[key] to val, taking the reference; NB_ERR_NOMEM when jansson cannot. */
NB_MUST_USE enum nb_err nb_sql_set(json_t *obj, const char *key, json_t *val);

/* NB_ERR_INTERNAL unless tx may write. */
NB_MUST_USE enum nb_err nb_sql_writable(const struct nb_store_tx *tx);

/* Moves the office's changed_at forward to at (never back): every visible change calls it,
 * so the site's "Stand" also covers removals. */
NB_MUST_USE enum nb_err nb_sql_touch(struct nb_store_tx *tx, int64_t office_id, int64_t at);

/* Pieces of a department object, built by store_contact.c and store_hours.c for
 * store_department.c: the department's contacts array, and its hours and exceptions. */
NB_MUST_USE enum nb_err nb_store_contact_of_department(struct nb_store_tx *tx, int64_t office_id,
                                                       int64_t department_id, json_t **out);
NB_MUST_USE enum nb_err nb_store_hours_of_department(struct nb_store_tx *tx, int64_t office_id,
                                                     int64_t department_id, json_t *department);
/* Id of the office's department with that slug, or NB_ERR_NOTFOUND. */
NB_MUST_USE enum nb_err nb_store_department_id(struct nb_store_tx *tx, int64_t office_id,
                                               struct nb_str slug, int64_t *id);

/* Language order of every per-language list: German first, the rest by tag. */
#define NB_SQL_LANG_ORDER "lang <> 'de', lang"

/* Migrations (migrations.c): entry i brings the schema to version i + 1. Entries are only
 * ever appended; a released entry is never edited or renumbered. */
struct nb_migration {
    const char *description;
    const char *const *steps; /* SQL statements without parameters, NULL-terminated */
};
const struct nb_migration *nb_migrations_get(size_t *count);

#endif
