/* store.c: opening the database, migrations, and transactions with group commit.
 *
 * Owns the connections: one writer, used by one command at a time in ticket order, and a
 * small pool of readers (query_only) handed out one per read transaction. Each thread keeps
 * a stack of its open transactions (tls_top); a begin that finds one on the same store nests
 * as a SAVEPOINT on that connection instead of waiting for a turn the thread already has.
 *
 * Group commit: the writer keeps one transaction (the group) open across commands. A command
 * takes its turn (ticket), opens the group when none is open (BEGIN IMMEDIATE), runs inside
 * SAVEPOINT nb_cmd, releases it or rolls it back, and then either passes the turn on to the
 * next ticket, joining the group's member list and waiting for its COMMIT, or, being the last
 * (no ticket waits, or the group is full), COMMITs and wakes every member with the result.
 * The COMMIT runs without the lock, so the commands that arrive meanwhile take tickets and
 * form the next group. When SQLite has rolled back the whole group itself (an I/O error, a
 * full disk), every member learns it at once, and the group is gone.
 * Transaction control is plain SQL text of ours; no data is ever part of it. */
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
        pthread_cond_init(&s->write_turn, NULL) != 0 ||
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
    pthread_cond_destroy(&s->write_turn);
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

/* ---- the writer's turn and the group ---------------------------------------------------- */

/* Waits until this thread owns the writer connection. */
static void take_turn(struct nb_store *s)
{
    pthread_mutex_lock(&s->write_lock);
    uint64_t ticket = s->next_ticket++;
    while (s->serving != ticket)
        pthread_cond_wait(&s->write_turn, &s->write_lock);
    pthread_mutex_unlock(&s->write_lock);
}

/* Ends the open group with err for all of its members. Called with write_lock held. */
static void settle(struct nb_store *s, enum nb_err err)
{
    for (struct nb_sql_member *m = s->members; m; m = m->next) {
        m->err = err;
        m->done = true;
    }
    s->members = NULL;
    s->nmembers = 0;
    s->group_open = false;
}

/* Ends the turn of the owner of the connection. The command's own outcome is err (NB_OK when
 * its savepoint was released, so it joins the group). Returns the command's final result:
 * its own error, or the group's. */
static enum nb_err end_turn(struct nb_store_tx *tx, enum nb_err err)
{
    struct nb_store *s = tx->store;
    /* SQLite may have rolled back the whole group after an I/O or memory error: then the
     * members before this command have lost their work as well. */
    bool lost = s->group_open && sqlite3_get_autocommit(s->writer);
    pthread_mutex_lock(&s->write_lock);
    s->stats.commands++;
    if (lost) {
        nb_log_error("store.group_lost", "members=%zu", s->nmembers);
        settle(s, NB_ERR_DB);
        if (!err)
            err = NB_ERR_DB;
    }
    bool member = !err && s->group_open;
    if (member) {
        tx->member.next = s->members;
        s->members = &tx->member;
        s->nmembers++;
    }
    bool waiting = s->next_ticket != s->serving + 1;
    if (s->group_open && (!waiting || s->nmembers >= NB_STORE_GROUP_MAX)) {
        /* The last of the group commits it; new commands queue for the next turn meanwhile. */
        pthread_mutex_unlock(&s->write_lock);
        enum nb_err cerr = nb_sql_exec_plain(s->writer, "COMMIT");
        if (cerr && !sqlite3_get_autocommit(s->writer))
            (void)sqlite3_exec(s->writer, "ROLLBACK", NULL, NULL, NULL);
        pthread_mutex_lock(&s->write_lock);
        size_t n = s->nmembers;
        s->stats.commits++;
        if (n)
            s->stats.groups[(n < NB_STORE_GROUP_MAX ? n : NB_STORE_GROUP_MAX) - 1]++;
        settle(s, cerr);
    }
    s->serving++;
    pthread_cond_broadcast(&s->write_turn);
    if (member) {
        while (!tx->member.done)
            pthread_cond_wait(&s->write_turn, &s->write_lock);
        err = tx->member.err;
    }
    pthread_mutex_unlock(&s->write_lock);
    return err;
}

/* Opens the group when none is open and the command's savepoint; on failure the turn is
 * given up. */
static enum nb_err begin_command(struct nb_store_tx *tx)
{
    struct nb_store *s = tx->store;
    take_turn(s);
    enum nb_err err = NB_OK;
    if (!s->group_open) {
        err = nb_sql_exec_plain(s->writer, "BEGIN IMMEDIATE");
        if (!err)
            s->group_open = true; /* only the owner of the turn reads or writes it */
    }
    if (!err)
        err = nb_sql_exec_plain(s->writer, "SAVEPOINT nb_cmd");
    if (err)
        (void)end_turn(tx, err);
    return err;
}

/* ---- transactions --------------------------------------------------------------------------- */

/* Hands back the reader of a read transaction and frees the transaction. */
static void release(struct nb_store_tx *tx)
{
    if (!tx->nested && tx->reader)
        give_reader(tx->store, tx->reader);
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
        tx->db = s->writer;
        err = begin_command(tx);
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
         * would leave a turn or savepoint behind: a bug, not an input. */
        nb_log_error("store.end", "reason=not_innermost");
        abort();
    }
}

/* Undoes the transaction's own work. SQLite may already have rolled back the whole
 * transaction after an I/O or memory error; then there is nothing left to undo here (and
 * end_turn tells the group). */
static void undo(struct nb_store_tx *tx)
{
    if (sqlite3_get_autocommit(tx->db))
        return;
    if (tx->nested)
        (void)sqlite3_exec(tx->db, "ROLLBACK TO nb; RELEASE nb", NULL, NULL, NULL);
    else if (tx->reader)
        (void)sqlite3_exec(tx->db, "ROLLBACK", NULL, NULL, NULL);
    else
        (void)sqlite3_exec(tx->db, "ROLLBACK TO nb_cmd; RELEASE nb_cmd", NULL, NULL, NULL);
}

/* Ends the transaction with its own outcome err (NB_OK: keep its work) and frees it. */
static enum nb_err finish(struct nb_store_tx *tx, enum nb_err err)
{
    check_top(tx);
    if (!err) {
        const char *sql = tx->nested ? "RELEASE nb" : tx->reader ? "COMMIT" : "RELEASE nb_cmd";
        err = sqlite3_get_autocommit(tx->db) ? NB_ERR_DB : nb_sql_exec_plain(tx->db, sql);
    }
    if (err)
        undo(tx);
    /* A command's turn ends before the transaction leaves the thread's stack: end_turn may
     * wait for the group's COMMIT, and tx stays the thread's top until then. */
    if (!tx->nested && !tx->reader)
        err = end_turn(tx, err);
    release(tx);
    return err;
}

enum nb_err nb_store_commit(struct nb_store_tx **txp)
{
    enum nb_err err = finish(*txp, NB_OK);
    *txp = NULL;
    return err;
}

void nb_store_rollback(struct nb_store_tx **txp)
{
    if (!txp || !*txp)
        return;
    (void)finish(*txp, NB_ERR_INTERNAL);
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

void nb_store_stats(struct nb_store *s, struct nb_store_stats *out)
{
    pthread_mutex_lock(&s->write_lock);
    *out = s->stats;
    pthread_mutex_unlock(&s->write_lock);
}

enum nb_err nb_store_info(struct nb_store *s, struct nb_store_info *out)
{
    memset(out, 0, sizeof(*out));
    /* A command of its own (nested in the caller's write transaction when there is one) runs
     * on the writer; a read transaction would run on a reader, whose settings are not the
     * ones asked for. */
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    int64_t fk = 0, sync = 0, busy = 0, version = 0;
    err = pragma_int(tx, "PRAGMA foreign_keys", &fk);
    if (!err)
        err = pragma_int(tx, "PRAGMA synchronous", &sync);
    if (!err)
        err = pragma_int(tx, "PRAGMA busy_timeout", &busy);
    if (!err)
        err = pragma_int(tx, "SELECT max(version) FROM schema_migrations", &version);
    sqlite3_stmt *st = NULL;
    bool row = false;
    if (!err)
        err = nb_sql_prepare(tx, "PRAGMA journal_mode", NULL, 0, &st);
    if (!err)
        err = nb_sql_step(tx, st, &row);
    if (!err && row) {
        const char *mode = (const char *)sqlite3_column_text(st, 0);
        out->wal = mode && strcmp(mode, "wal") == 0;
    }
    sqlite3_finalize(st);
    err = nb_store_end(&tx, err);
    out->foreign_keys = fk == 1;
    out->synchronous = (int)sync;
    out->busy_timeout_ms = (int)busy;
    out->schema_version = (int)version;
    return err;
}
