/* tmpdb.h: a database file in a fresh temporary directory, for unit tests of the store and
 * the domain. tmpdb_make creates the directory (under $TMPDIR or /tmp); tmpdb_remove deletes
 * the database with its WAL and shared-memory files and the directory. Also a raw SQLite
 * connection for tests that look at the file behind the store's back. */
#ifndef NB_TESTS_TMPDB_H
#define NB_TESTS_TMPDB_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct tmpdb {
    char dir[512];
    char path[600];
};

static inline int tmpdb_make(struct tmpdb *t)
{
    const char *base = getenv("TMPDIR");
    if (!base || !base[0])
        base = "/tmp";
    snprintf(t->dir, sizeof(t->dir), "%s/nb-test-XXXXXX", base);
    if (!mkdtemp(t->dir))
        return -1;
    snprintf(t->path, sizeof(t->path), "%s/notbetrieb.db", t->dir);
    return 0;
}

static inline void tmpdb_remove(struct tmpdb *t)
{
    char p[620];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", t->path, suffix[i]);
        unlink(p);
    }
    rmdir(t->dir);
}

/* Opens the file without the store, for looking behind its back. NULL on failure. */
static inline sqlite3 *tmpdb_raw(const struct tmpdb *t)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/* The first column of the first row of sql as an integer; -1 when there is none. */
static inline long long tmpdb_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

#endif
