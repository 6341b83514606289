/* bench-write: durable commands through the write path against bare SQLite commits, in one
 * run on the same disk.
 *
 *   bench-write [DIR] [THREADS] [COMMANDS_PER_THREAD]   (defaults: ., 16, 100)
 *
 * notbetrieb: THREADS threads each run COMMANDS_PER_THREAD staff-style commands, each one
 * write transaction that publishes a new version of a notice (title and about 1 KiB of
 * Markdown, through the domain) and appends its journal entry, committed durably at
 * synchronous=FULL by the group commit of store.c.
 * Reference: one connection to another SQLite file in the same folder (WAL,
 * synchronous=FULL), committing one row of the same size per transaction, as many rows as
 * the commands above, which is what a store without group commit costs at best.
 * Prints both rates, their ratio (target >= 1.0) and how many commands one COMMIT carried
 * (median, and the largest group). Both files are made in a fresh folder under DIR and
 * removed afterwards: DIR must be on the disk to be measured (not tmpfs). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "domain/journal.h"
#include "domain/notice.h"
#include "domain/office.h"
#include "store/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char body[1024 + 1];

struct worker {
    struct nb_store *s;
    int64_t office;
    int n, per_thread;
    int failed;
};

static void *run(void *arg)
{
    struct worker *w = arg;
    char slug[32], title[64], object[64];
    snprintf(slug, sizeof(slug), "bank-%d", w->n);
    snprintf(object, sizeof(object), "notice/%s", slug);
    for (int i = 0; i < w->per_thread; i++) {
        snprintf(title, sizeof(title), "Stand %d der Meldung %d", i, w->n);
        const struct nb_store_notice_variant v = {NB_STR("de"), nb_str_c(title), nb_str_c(body),
                                                  NB_STR("bench")};
        int64_t at = 1700000000 + i, version = 0;
        struct nb_store_tx *tx;
        enum nb_err err = nb_store_begin(w->s, NB_STORE_WRITE, &tx);
        if (!err)
            err = nb_notice_publish(w->s, w->office, nb_str_c(slug), &v, at, &version);
        if (!err) {
            const struct nb_journal_entry e = {at, w->office, NB_STR("bench"),
                                               NB_STR("notice.publish"), nb_str_c(object),
                                               NB_STR("version of de")};
            err = nb_journal_append(tx, &e, NULL);
        }
        if (nb_store_end(&tx, err) != NB_OK)
            w->failed++;
    }
    return NULL;
}

static int bare(const char *path, int rows, double *seconds)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    int rc = sqlite3_exec(db,
                          "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                          "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT, body TEXT,"
                          " summary TEXT)",
                          NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO t (title, body, summary) VALUES (?1, ?2, ?3)", -1,
                                &st, NULL);
    double t0 = now_s();
    for (int i = 0; rc == SQLITE_OK && i < rows; i++) {
        char title[64];
        snprintf(title, sizeof(title), "Stand %d der Meldung", i);
        rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_text(st, 1, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, "version of de", -1, SQLITE_STATIC);
        if (rc == SQLITE_OK && sqlite3_step(st) != SQLITE_DONE)
            rc = SQLITE_ERROR;
        sqlite3_reset(st);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    *seconds = now_s() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *base = argc > 1 ? argv[1] : ".";
    int threads = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 16;
    int per_thread = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 100;
    if (threads < 1 || threads > 256 || per_thread < 1 || per_thread > 100000) {
        fprintf(stderr, "bench-write: THREADS 1..256, COMMANDS_PER_THREAD 1..100000\n");
        return 2;
    }
    nb_log_set_level(NB_LOG_WARN);
    for (size_t i = 0; i < sizeof(body) - 1; i++)
        body[i] = (char)("Das Buergerbuero bleibt geschlossen. "[i % 37]);
    char dir[4096], db[4200], ref[4200];
    snprintf(dir, sizeof(dir), "%s/nb-bench-write-XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("bench-write: mkdtemp");
        return 1;
    }
    snprintf(db, sizeof(db), "%s/notbetrieb.db", dir);
    snprintf(ref, sizeof(ref), "%s/bare.db", dir);

    struct nb_store *s = NULL;
    int64_t office = 0;
    enum nb_err err = nb_store_open(db, &s);
    if (!err)
        err = nb_journal_key_create(dir);
    const struct nb_store_office o = {NB_STR("bank"), NB_STR("Amt Bank"), NB_STR("MV"), {0}};
    if (!err)
        err = nb_office_create(s, &o, 1700000000, &office);
    for (int t = 0; !err && t < threads; t++) {
        char slug[32];
        snprintf(slug, sizeof(slug), "bank-%d", t);
        const struct nb_store_notice n = {.slug = nb_str_c(slug)};
        err = nb_notice_create(s, office, &n, 1700000000);
    }
    if (err) {
        fprintf(stderr, "bench-write: set-up failed: %s\n", nb_err_str(err));
        return 1;
    }
    struct nb_store_stats before, after;
    nb_store_stats(s, &before);
    pthread_t tid[256];
    struct worker w[256];
    double t0 = now_s();
    for (int t = 0; t < threads; t++) {
        w[t] = (struct worker){.s = s, .office = office, .n = t, .per_thread = per_thread};
        pthread_create(&tid[t], NULL, run, &w[t]);
    }
    int failed = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tid[t], NULL);
        failed += w[t].failed;
    }
    double nb_s = now_s() - t0;
    nb_store_stats(s, &after);
    nb_store_close(&s);

    int total = threads * per_thread;
    double bare_s = 0;
    if (failed || bare(ref, total, &bare_s) != 0) {
        fprintf(stderr, "bench-write: %d commands failed, or the reference failed\n", failed);
        return 1;
    }
    uint64_t commits = after.commits - before.commits, seen = 0, median = 0, largest = 0;
    uint64_t groups = 0;
    for (size_t k = 0; k < NB_STORE_GROUP_MAX; k++)
        groups += after.groups[k] - before.groups[k];
    for (size_t k = 0; k < NB_STORE_GROUP_MAX; k++) {
        uint64_t c = after.groups[k] - before.groups[k];
        if (c && !median && (seen + c) * 2 >= groups)
            median = k + 1;
        seen += c;
        if (c)
            largest = k + 1;
    }
    double nb_rate = total / nb_s, bare_rate = total / bare_s;
    printf("durable writes, synchronous=FULL, %d threads x %d commands (%d in all)\n", threads,
           per_thread, total);
    printf("notbetrieb commands (notice version + journal entry): %8.0f /s  (%.2f s)\n", nb_rate,
           nb_s);
    printf("bare SQLite single-row commits, same size:            %8.0f /s  (%.2f s)\n",
           bare_rate, bare_s);
    printf("ratio notbetrieb/bare: %.2f (target >= 1.0)\n", nb_rate / bare_rate);
    printf("COMMITs: %llu for %d commands; commands per COMMIT: median %llu, largest %llu%s\n",
           (unsigned long long)commits, total, (unsigned long long)median,
           (unsigned long long)largest, largest == NB_STORE_GROUP_MAX ? " (the cap)" : "");
    char rm[4300];
    const char *suffix[] = {"notbetrieb.db", "notbetrieb.db-wal", "notbetrieb.db-shm", "bare.db",
                            "bare.db-wal", "bare.db-shm", NB_JOURNAL_KEY_FILE};
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(rm, sizeof(rm), "%s/%s", dir, suffix[i]);
        unlink(rm);
    }
    rmdir(dir);
    return 0;
}
