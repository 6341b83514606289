/* store.c: opening the database, migrations, and transactions.
 *
 * Owns the connections: one writer, whose mutex is held for the whole of an outermost write
 * transaction, and a small pool of readers (query_only) handed out one per read transaction.
 * Each thread keeps a stack of its open transactions (tls_top); a begin that finds one on the
 * same store nests as a SAVEPOINT on that connection instead of taking a lock the thread
 * already holds. Transaction control is plain SQL text of ours; no data is ever part of it. */
#include "store/sql.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"

static _Thread_local struct nb_store_tx *tls_top;

int nb_store_schema_version(void)
{
    size_t n;
    (void)nb_migrations_get(&n);
    return (int)n;
}

/* Settings every connection shares. DEFENSIVE refuses writes that could corrupt the file
 * through SQL (writable_schema and the like); an untrusted schema may not call functions. */
static enum nb_err configure(sqlite3 *db, bool writer)
{
    /* Extended codes tell a taken unique key from a failed CHECK (nb_sql_fail). */
    int rc = sqlite3_extended_result_codes(db, 1);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(db, NB_STORE_BUSY_MS);
    if (rc == SQLITE_OK)
        rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, (int *)NULL);
    if (rc != SQLITE_OK)
        return nb_sql_fail(db, rc, "configure");
    if (writer)
        return nb_sql_exec_plain(db, "PRAGMA synchronous = FULL");
    return nb_sql_exec_plain(db, "PRAGMA query_only = ON");
}

static enum nb_err open_conn(const char *path, sqlite3 **out)
{
    *out = NULL;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        enum nb_err err = nb_sql_fail(db, rc, "open");
        sqlite3_close(db);
        return err;
    }
    *out = db;
    return NB_OK;
}

/* Switches the file to WAL (a property of the file, kept across opens) and checks that the
 * switch took: on file systems without shared memory SQLite silently stays in another mode. */
static enum nb_err enable_wal(struct nb_store_tx *tx)
{
    sqlite3_stmt *st;
    bool row = false;
    enum nb_err err = nb_sql_prepare(tx, "PRAGMA journal_mode = WAL", NULL, 0, &st);
    if (!err)
        err = nb_sql_step(tx, st, &row);
    if (!err) {
        const char *mode = row ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (!mode || strcmp(mode, "wal") != 0) {
            nb_log_error("store.wal", "reason=not_enabled mode=%s", mode ? mode : "none");
            err = NB_ERR_DB;
        }
    }
    sqlite3_finalize(st);
    return err;
}

/* Applies one missing migration per transaction until the file is current. Each step
 * re-reads the version under BEGIN IMMEDIATE, so two processes opening the same fresh file
 * cannot both apply a step. */
static enum nb_err migrate(struct nb_store_tx *tx, const char *path, int *version)
{
    size_t count;
    const struct nb_migration *m = nb_migrations_get(&count);
    for (;;) {
        enum nb_err err = nb_sql_exec_plain(tx->db, "BEGIN IMMEDIATE");
        if (err)
            return err;
        err = nb_sql_exec_plain(tx->db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                        "  version INTEGER PRIMARY KEY,"
                                        "  description TEXT NOT NULL,"
                                        "  applied_at INTEGER NOT NULL"
                                        ") STRICT");
        int64_t have = 0;
        if (!err)
            err = nb_sql_int(tx, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL, 0,
                             &have);
        if (!err && have > (int64_t)count) {
            char p[256];
            nb_log_error("store.schema_too_new",
                         "path=%s found=%lld supported=%zu hint=\"use the notbetrieb release "
                         "that wrote this file, or a newer one\"",
                         nb_log_value(p, sizeof(p), path, strlen(path)), (long long)have, count);
            err = NB_ERR_CONFLICT;
        }
        if (!err && have == (int64_t)count) {
            *version = (int)have;
            return nb_sql_exec_plain(tx->db, "COMMIT");
        }
        if (!err)
            for (const char *const *step = m[have].steps; !err && *step; step++)
                err = nb_sql_exec_plain(tx->db, *step);
        if (!err)
            err = nb_sql_exec(tx,
                              "INSERT INTO schema_migrations (version, description, applied_at)"
                              " VALUES (?1, ?2, unixepoch())",
                              NB_SQL_ARGS(NB_SQL_I(have + 1), NB_SQL_C(m[have].description)), NULL);
        if (!err)
            err = nb_sql_exec_plain(tx->db, "COMMIT");
        if (err) {
            if (!sqlite3_get_autocommit(tx->db))
                (void)sqlite3_exec(tx->db, "ROLLBACK", NULL, NULL, NULL);
            return err;
        }
        nb_log_info("store.migrated", "version=%lld", (long long)(have + 1));
    }
}

static void close_all(struct nb_store *s)
{
    for (size_t i = 0; i < NB_SQL_READERS; i++) {
        if (s->readers[i].db && sqlite3_close(s->readers[i].db) != SQLITE_OK)
            nb_log_error("store.close", "reason=statements_left conn=reader");
        s->readers[i].db = NULL;
    }
    if (s->writer && sqlite3_close(s->writer) != SQLITE_OK)
        nb_log_error("store.close", "reason=statements_left conn=writer");
    s->writer = NULL;
}

enum nb_err nb_store_open(const char *path, struct nb_store **out)
{
    *out = NULL;
    if (!path || !path[0] || strcmp(path, ":memory:") == 0) {
        nb_log_error("store.open", "reason=path_not_a_file");
        return NB_ERR_INPUT;
    }
    struct nb_store *s = calloc(1, sizeof(*s));
    if (!s)
        abort(); /* long-lived allocation: one OOM policy */
    enum nb_err err = open_conn(path, &s->writer);
    if (!err)
        err = configure(s->writer, true);
    struct nb_store_tx boot = {.store = s, .db = s->writer, .mode = NB_STORE_WRITE};
    if (!err)
        err = enable_wal(&boot);
    if (!err)
        err = migrate(&boot, path, &s->schema_version);
    for (size_t i = 0; !err && i < NB_SQL_READERS; i++) {
        err = open_conn(path, &s->readers[i].db);
        if (!err)
            err = configure(s->readers[i].db, false);
    }
    if (err) {
        close_all(s);
        free(s);
        return err;
    }
    if (pthread_mutex_init(&s->write_lock, NULL) != 0 ||
        pthread_mutex_init(&s->pool_lock, NULL) != 0 || pthread_cond_init(&s->pool_free, NULL) != 0)
        abort();
    *out = s;
    return NB_OK;
}

void nb_store_close(struct nb_store **sp)
{
    if (!sp || !*sp)
        return;
    struct nb_store *s = *sp;
    close_all(s);
    pthread_mutex_destroy(&s->write_lock);
    pthread_mutex_destroy(&s->pool_lock);
    pthread_cond_destroy(&s->pool_free);
    free(s);
    *sp = NULL;
}

static struct nb_store_tx *enclosing(const struct nb_store *s)
{
    for (struct nb_store_tx *t = tls_top; t; t = t->parent)
        if (t->store == s)
            return t;
    return NULL;
}

static struct nb_sql_reader *take_reader(struct nb_store *s)
{
    pthread_mutex_lock(&s->pool_lock);
    for (;;) {
        for (size_t i = 0; i < NB_SQL_READERS; i++) {
            if (!s->readers[i].busy) {
                s->readers[i].busy = true;
                pthread_mutex_unlock(&s->pool_lock);
                return &s->readers[i];
            }
        }
        pthread_cond_wait(&s->pool_free, &s->pool_lock);
    }
}

static void give_reader(struct nb_store *s, struct nb_sql_reader *r)
{
    pthread_mutex_lock(&s->pool_lock);
    r->busy = false;
    pthread_cond_signal(&s->pool_free);
    pthread_mutex_unlock(&s->pool_lock);
}

/* Lets go of the connection or lock the transaction held and frees it. */
static void release(struct nb_store_tx *tx)
{
    if (!tx->nested) {
        if (tx->reader)
            give_reader(tx->store, tx->reader);
        else
            pthread_mutex_unlock(&tx->store->write_lock);
    }
    tls_top = tx->parent;
    free(tx);
}

enum nb_err nb_store_begin(struct nb_store *s, enum nb_store_mode mode, struct nb_store_tx **out)
{
    *out = NULL;
    struct nb_store_tx *outer = enclosing(s);
    if (outer && outer->mode == NB_STORE_READ && mode == NB_STORE_WRITE) {
        nb_log_error("store.begin", "reason=write_inside_read");
        return NB_ERR_INTERNAL;
    }
    struct nb_store_tx *tx = calloc(1, sizeof(*tx));
    if (!tx)
        return NB_ERR_NOMEM;
    tx->store = s;
    tx->mode = mode;
    tx->parent = tls_top;
    enum nb_err err;
    if (outer) {
        tx->nested = true;
        tx->db = outer->db;
        err = nb_sql_exec_plain(tx->db, "SAVEPOINT nb");
    } else if (mode == NB_STORE_WRITE) {
        pthread_mutex_lock(&s->write_lock);
        tx->db = s->writer;
        err = nb_sql_exec_plain(tx->db, "BEGIN IMMEDIATE");
        if (err)
            pthread_mutex_unlock(&s->write_lock);
    } else {
        tx->reader = take_reader(s);
        tx->db = tx->reader->db;
        err = nb_sql_exec_plain(tx->db, "BEGIN");
        if (err)
            give_reader(s, tx->reader);
    }
    if (err) {
        free(tx);
        return err;
    }
    tls_top = tx;
    *out = tx;
    return NB_OK;
}

static void check_top(const struct nb_store_tx *tx)
{
    if (tx != tls_top) {
        /* Ending an outer transaction while an inner one is open, or on another thread,
         * would leave a lock or savepoint behind: a bug, not an input. */
        nb_log_error("store.end", "reason=not_innermost");
        abort();
    }
}

/* Undoes the transaction's work. SQLite may already have rolled back the whole transaction
 * after an I/O or memory error; then there is nothing left to undo here, and the outermost
 * COMMIT will report it. */
static void undo(struct nb_store_tx *tx)
{
    if (sqlite3_get_autocommit(tx->db))
        return;
    if (tx->nested)
        (void)sqlite3_exec(tx->db, "ROLLBACK TO nb; RELEASE nb", NULL, NULL, NULL);
    else
        (void)sqlite3_exec(tx->db, "ROLLBACK", NULL, NULL, NULL);
}

enum nb_err nb_store_commit(struct nb_store_tx **txp)
{
    struct nb_store_tx *tx = *txp;
    check_top(tx);
    enum nb_err err;
    if (tx->nested)
        err = sqlite3_get_autocommit(tx->db) ? NB_ERR_DB : nb_sql_exec_plain(tx->db, "RELEASE nb");
    else
        err = nb_sql_exec_plain(tx->db, "COMMIT");
    if (err)
        undo(tx);
    release(tx);
    *txp = NULL;
    return err;
}

void nb_store_rollback(struct nb_store_tx **txp)
{
    if (!txp || !*txp)
        return;
    struct nb_store_tx *tx = *txp;
    check_top(tx);
    undo(tx);
    release(tx);
    *txp = NULL;
}

enum nb_err nb_store_end(struct nb_store_tx **txp, enum nb_err err)
{
    if (!txp || !*txp)
        return err;
    if (err) {
        nb_store_rollback(txp);
        return err;
    }
    return nb_store_commit(txp);
}

enum nb_err nb_store_end_json(struct nb_store_tx **txp, enum nb_err err, json_t **out)
{
    err = nb_store_end(txp, err);
    if (err) {
        json_decref(*out);
        *out = NULL;
    }
    return err;
}

static enum nb_err pragma_int(struct nb_store_tx *tx, const char *sql, int64_t *v)
{
    return nb_sql_int(tx, sql, NULL, 0, v);
}

enum nb_err nb_store_info(struct nb_store *s, struct nb_store_info *out)
{
    memset(out, 0, sizeof(*out));
    /* The caller's own write transaction already holds the lock; a read one does not, and
     * runs on a reader, whose settings are not the ones asked for. */
    struct nb_store_tx *outer = enclosing(s);
    if (outer && outer->mode != NB_STORE_WRITE)
        outer = NULL;
    if (!outer)
        pthread_mutex_lock(&s->write_lock);
    struct nb_store_tx tx = {.store = s, .db = outer ? outer->db : s->writer};
    int64_t fk = 0, sync = 0, busy = 0, version = 0;
    enum nb_err err = pragma_int(&tx, "PRAGMA foreign_keys", &fk);
    if (!err)
        err = pragma_int(&tx, "PRAGMA synchronous", &sync);
    if (!err)
        err = pragma_int(&tx, "PRAGMA busy_timeout", &busy);
    if (!err)
        err = pragma_int(&tx, "SELECT max(version) FROM schema_migrations", &version);
    sqlite3_stmt *st = NULL;
    bool row = false;
    if (!err)
        err = nb_sql_prepare(&tx, "PRAGMA journal_mode", NULL, 0, &st);
    if (!err)
        err = nb_sql_step(&tx, st, &row);
    if (!err && row) {
        const char *mode = (const char *)sqlite3_column_text(st, 0);
        out->wal = mode && strcmp(mode, "wal") == 0;
    }
    sqlite3_finalize(st);
    if (!outer)
        pthread_mutex_unlock(&s->write_lock);
    out->foreign_keys = fk == 1;
    out->synchronous = (int)sync;
    out->busy_timeout_ms = (int)busy;
    out->schema_version = (int)version;
    return err;
}
