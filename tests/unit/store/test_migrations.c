/* Unit tests for store/: migrations on a fresh file, re-opening, refusing a newer schema,
 * the connection settings (WAL, foreign keys, synchronous=FULL), transactions and their
 * nesting, readers that do not wait for the writer, the office_id column on every table,
 * and append-only versions. Each test works on a real SQLite file in its own directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "../tmpdb.h"

static int setup(void **state)
{
    static struct tmpdb t;
    if (tmpdb_make(&t) != 0)
        return -1;
    *state = &t;
    return 0;
}

static int teardown(void **state)
{
    tmpdb_remove(*state);
    return 0;
}

/* clang-format off */
#define LIT(s) {s, sizeof(s) - 1} /* a string view as a constant initializer */
/* clang-format on */
static const struct nb_store_office office_a = {
    .slug = LIT("amt-a"), .name = LIT("Amt A"), .land = LIT("MV")};

static void test_fresh_file(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    assert_non_null(s);
    struct nb_store_info info;
    assert_int_equal(nb_store_info(s, &info), NB_OK);
    assert_true(nb_store_schema_version() >= 1);
    assert_int_equal(info.schema_version, nb_store_schema_version());
    assert_true(info.wal);
    assert_true(info.foreign_keys);
    assert_int_equal(info.synchronous, 2); /* FULL */
    assert_int_equal(info.busy_timeout_ms, NB_STORE_BUSY_MS);
    nb_store_close(&s);
    assert_null(s);
    nb_store_close(&s); /* accepts NULL */

    sqlite3 *raw = tmpdb_raw(t);
    assert_non_null(raw);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM schema_migrations"),
                     nb_store_schema_version());
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM pragma_journal_mode"
                                    " WHERE journal_mode = 'wal'"),
                     1);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'offices'"),
                     1);
    sqlite3_close(raw);
}

static void test_reopen_is_noop(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    nb_store_close(&s);
    sqlite3 *raw = tmpdb_raw(t);
    /* The schema cookie changes with every schema change: a second migration run would
     * move it. */
    long long cookie = tmpdb_int(raw, "PRAGMA schema_version");
    long long applied = tmpdb_int(raw, "SELECT sum(applied_at) FROM schema_migrations");
    sqlite3_close(raw);
    assert_true(cookie > 0);

    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    nb_store_close(&s);
    raw = tmpdb_raw(t);
    assert_int_equal(tmpdb_int(raw, "PRAGMA schema_version"), cookie);
    assert_int_equal(tmpdb_int(raw, "SELECT sum(applied_at) FROM schema_migrations"), applied);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM schema_migrations"),
                     nb_store_schema_version());
    sqlite3_close(raw);
}

static void test_newer_schema_refused(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    nb_store_close(&s);
    sqlite3 *raw = tmpdb_raw(t);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "INSERT INTO schema_migrations (version, description, applied_at)"
             " VALUES (%d, 'from the future', 0)",
             nb_store_schema_version() + 1);
    assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
    long long cookie = tmpdb_int(raw, "PRAGMA schema_version");
    sqlite3_close(raw);

    s = (struct nb_store *)&s; /* must be reset to NULL on failure */
    assert_int_equal(nb_store_open(t->path, &s), NB_ERR_CONFLICT);
    assert_null(s);

    raw = tmpdb_raw(t);
    assert_int_equal(tmpdb_int(raw, "PRAGMA schema_version"), cookie);
    assert_int_equal(tmpdb_int(raw, "SELECT max(version) FROM schema_migrations"),
                     nb_store_schema_version() + 1);
    sqlite3_close(raw);
}

static void test_bad_paths(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(NULL, &s), NB_ERR_INPUT);
    assert_int_equal(nb_store_open("", &s), NB_ERR_INPUT);
    assert_int_equal(nb_store_open(":memory:", &s), NB_ERR_INPUT);
    assert_null(s);
    /* A file that is not a database is refused, not overwritten. */
    FILE *f = fopen(t->path, "w");
    assert_non_null(f);
    for (int i = 0; i < 64; i++)
        fputs("this is not a database, only a text file of some length\n", f);
    fclose(f);
    assert_int_equal(nb_store_open(t->path, &s), NB_ERR_DB);
    assert_null(s);
    /* A directory cannot be opened either. */
    assert_int_not_equal(nb_store_open(t->dir, &s), NB_OK);
    assert_null(s);
}

static int64_t office_count(struct nb_store *s)
{
    struct nb_store_tx *tx;
    int64_t n = -1;
    assert_int_equal(nb_store_begin(s, NB_STORE_READ, &tx), NB_OK);
    assert_int_equal(nb_store_office_count(tx, &n), NB_OK);
    assert_int_equal(nb_store_end(&tx, NB_OK), NB_OK);
    return n;
}

static void test_transactions(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    struct nb_store_tx *tx, *inner, *read;
    int64_t id = 0, n = 0;

    /* Rolled back: nothing stays. */
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_OK);
    assert_int_equal(nb_store_office_insert(tx, &office_a, 100, &id), NB_OK);
    nb_store_rollback(&tx);
    assert_null(tx);
    nb_store_rollback(&tx); /* accepts NULL */
    assert_int_equal(office_count(s), 0);

    /* nb_store_end with an error rolls back and passes the error on. */
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_OK);
    assert_int_equal(nb_store_office_insert(tx, &office_a, 100, &id), NB_OK);
    assert_int_equal(nb_store_end(&tx, NB_ERR_INPUT), NB_ERR_INPUT);
    assert_null(tx);
    assert_int_equal(office_count(s), 0);

    /* A nested write rolled back leaves the outer one's work; a nested read sees the
     * outer write's uncommitted rows. */
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_OK);
    assert_int_equal(nb_store_office_insert(tx, &office_a, 100, &id), NB_OK);
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &inner), NB_OK);
    const struct nb_store_office b = {
        .slug = NB_STR("amt-b"), .name = NB_STR("Amt B"), .land = NB_STR("BY")};
    assert_int_equal(nb_store_office_insert(inner, &b, 100, NULL), NB_OK);
    nb_store_rollback(&inner);
    assert_int_equal(nb_store_begin(s, NB_STORE_READ, &read), NB_OK);
    assert_int_equal(nb_store_office_count(read, &n), NB_OK);
    assert_int_equal(n, 1);
    /* A read transaction cannot write, even nested in a write. */
    assert_int_equal(nb_store_office_insert(read, &b, 100, NULL), NB_ERR_INTERNAL);
    assert_int_equal(nb_store_commit(&read), NB_OK);
    assert_int_equal(nb_store_commit(&tx), NB_OK);
    assert_null(tx);
    assert_int_equal(office_count(s), 1);

    /* A write may not begin inside a read of the same store. */
    assert_int_equal(nb_store_begin(s, NB_STORE_READ, &read), NB_OK);
    tx = (struct nb_store_tx *)&tx;
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_ERR_INTERNAL);
    assert_null(tx);
    assert_int_equal(nb_store_end(&read, NB_OK), NB_OK);

    /* A unique key taken is a conflict, and the transaction stays usable. */
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_OK);
    assert_int_equal(nb_store_office_insert(tx, &office_a, 100, NULL), NB_ERR_CONFLICT);
    assert_int_equal(nb_store_office_insert(tx, &b, 100, NULL), NB_OK);
    assert_int_equal(nb_store_end(&tx, NB_OK), NB_OK);
    assert_int_equal(office_count(s), 2);
    nb_store_close(&s);
}

struct reader_arg {
    struct nb_store *s;
    int64_t seen;
    enum nb_err err;
};

static void *reader(void *p)
{
    struct reader_arg *a = p;
    struct nb_store_tx *tx;
    a->err = nb_store_begin(a->s, NB_STORE_READ, &tx);
    if (a->err == NB_OK) {
        a->err = nb_store_office_count(tx, &a->seen);
        a->err = nb_store_end(&tx, a->err);
    }
    return NULL;
}

static void test_readers_do_not_wait(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    struct nb_store_tx *tx;
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_OK);
    assert_int_equal(nb_store_office_insert(tx, &office_a, 100, NULL), NB_OK);
    /* While the write is open, another thread reads the last committed state. */
    struct reader_arg a = {.s = s, .seen = -1};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, reader, &a), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(a.err, NB_OK);
    assert_int_equal(a.seen, 0);
    assert_int_equal(nb_store_commit(&tx), NB_OK);
    assert_int_equal(pthread_create(&th, NULL, reader, &a), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(a.err, NB_OK);
    assert_int_equal(a.seen, 1);
    nb_store_close(&s);
}

static void test_foreign_keys_enforced(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    struct nb_store_tx *tx;
    const struct nb_store_notice n = {.slug = NB_STR("meldung")};
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_OK);
    /* Office 4711 does not exist: the foreign key refuses the row. */
    assert_int_not_equal(nb_store_notice_insert(tx, 4711, &n, 100), NB_OK);
    assert_int_equal(nb_store_end(&tx, NB_OK), NB_OK);
    nb_store_close(&s);
    sqlite3 *raw = tmpdb_raw(t);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM notices"), 0);
    sqlite3_close(raw);
}

static void test_every_table_has_office_id(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    nb_store_close(&s);
    sqlite3 *raw = tmpdb_raw(t);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(raw,
                                        "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite%' AND name NOT IN"
                                        " ('offices', 'schema_migrations',"
                                        /* instance-wide: the journal's one hash chain */
                                        " 'journal', 'journal_checkpoints')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int tables = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM pragma_table_info('%s') WHERE name = 'office_id'"
                 " AND \"notnull\" = 1",
                 (const char *)sqlite3_column_text(st, 0));
        if (tmpdb_int(raw, sql) != 1)
            fail_msg("table %s lacks office_id NOT NULL", sqlite3_column_text(st, 0));
        tables++;
    }
    sqlite3_finalize(st);
    sqlite3_close(raw);
    assert_true(tables >= 15);
}

static void test_versions_append_only(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    struct nb_store_tx *tx;
    int64_t office = 0, version = 0, langs = 0;
    const struct nb_store_notice n = {.slug = NB_STR("meldung")};
    const struct nb_store_notice_variant v = {NB_STR("de"), NB_STR("Titel"), NB_STR("Text"),
                                              NB_STR("Pressestelle")};
    const struct nb_store_page p = {NB_STR("imprint"), NB_STR("de"), NB_STR("Impressum"),
                                    NB_STR("Amt A"), NB_STR("Hauptamt")};
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_OK);
    assert_int_equal(nb_store_office_insert(tx, &office_a, 100, &office), NB_OK);
    assert_int_equal(nb_store_notice_insert(tx, office, &n, 100), NB_OK);
    assert_int_equal(nb_store_notice_add_version(tx, office, n.slug, &v, 200, &version, &langs),
                     NB_OK);
    assert_int_equal(version, 1);
    assert_int_equal(langs, 1);
    assert_int_equal(nb_store_page_add_version(tx, office, &p, 200, &version, &langs), NB_OK);
    assert_int_equal(version, 1);
    /* An earlier time than the newest version is refused. */
    assert_int_equal(nb_store_notice_add_version(tx, office, n.slug, &v, 199, NULL, NULL),
                     NB_ERR_CONFLICT);
    assert_int_equal(nb_store_page_add_version(tx, office, &p, 199, NULL, NULL), NB_ERR_CONFLICT);
    assert_int_equal(nb_store_end(&tx, NB_OK), NB_OK);
    nb_store_close(&s);

    sqlite3 *raw = tmpdb_raw(t);
    const char *refused[] = {
        "UPDATE notice_versions SET title = 'changed'",
        "DELETE FROM notice_versions",
        "UPDATE page_versions SET body_md = 'changed'",
        "DELETE FROM page_versions",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        assert_int_not_equal(sqlite3_exec(raw, refused[i], NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM notice_versions WHERE title = 'Titel'"),
                     1);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM page_versions WHERE body_md = 'Amt A'"),
                     1);
    sqlite3_close(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_is_noop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readers_do_not_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_keys_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_table_has_office_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_versions_append_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
