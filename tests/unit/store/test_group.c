/* Unit tests for the group commit of store.c: commands that queue up while one holds the
 * writer share one COMMIT; a failing member rolls back alone; the last member commits even
 * when its own command was rolled back; a group that SQLite rolled back as a whole fails
 * every member; every committed command is in the file afterwards; many threads writing at
 * once lose nothing. The tests look at the store's ticket counter (sql.h) only to know that
 * the queued threads are waiting, so the groups they form are certain, not likely. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/sql.h"
#include "store/store.h"
#include "../tmpdb.h"

#define QUEUED 7 /* commands queued behind the one that holds the writer */

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

/* One command: inserts an office with slug; with rollback set it is undone instead; with
 * kill set it rolls back the whole group behind the store's back, as SQLite does itself
 * after an I/O error. */
struct job {
    struct nb_store *s;
    char slug[32];
    bool rollback, kill;
    enum nb_err err;
};

static void *run_job(void *arg)
{
    struct job *j = arg;
    struct nb_store_tx *tx;
    j->err = nb_store_begin(j->s, NB_STORE_WRITE, &tx);
    if (j->err)
        return NULL;
    struct nb_store_office o = {.slug = nb_str_c(j->slug), .name = nb_str_c(j->slug),
                                .land = NB_STR("MV")};
    int64_t id;
    enum nb_err err = nb_store_office_insert(tx, &o, 1000, &id);
    if (!err && j->kill)
        err = nb_sql_exec_plain(tx->db, "ROLLBACK");
    if (!err && j->rollback)
        err = NB_ERR_INPUT;
    j->err = nb_store_end(&tx, err);
    return NULL;
}

static uint64_t tickets(struct nb_store *s)
{
    pthread_mutex_lock(&s->write_lock);
    uint64_t n = s->next_ticket;
    pthread_mutex_unlock(&s->write_lock);
    return n;
}

static void pause_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static long long count_offices(const struct tmpdb *t, const char *like)
{
    sqlite3 *raw = tmpdb_raw(t);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM offices WHERE slug LIKE '%s'", like);
    long long n = tmpdb_int(raw, sql);
    sqlite3_close(raw);
    return n;
}

/* Holds the writer in a command of its own while QUEUED jobs start and queue behind it, then
 * commits; returns after every job has ended. jobs[0..QUEUED). */
static void run_group(struct nb_store *s, struct job *jobs, const char *first_slug,
                      enum nb_err *first_err)
{
    struct nb_store_tx *tx;
    assert_int_equal(nb_store_begin(s, NB_STORE_WRITE, &tx), NB_OK);
    uint64_t before = tickets(s);
    pthread_t tid[QUEUED];
    /* One after the other, so that the jobs' tickets, and so their order in the group, are
     * the order of the array. */
    for (int i = 0; i < QUEUED; i++) {
        jobs[i].s = s;
        assert_int_equal(pthread_create(&tid[i], NULL, run_job, &jobs[i]), 0);
        while (tickets(s) < before + (uint64_t)i + 1)
            pause_ms(1);
    }
    struct nb_store_office o = {.slug = nb_str_c(first_slug), .name = NB_STR("Erstes"),
                                .land = NB_STR("MV")};
    int64_t id;
    enum nb_err err = nb_store_office_insert(tx, &o, 1000, &id);
    *first_err = nb_store_end(&tx, err);
    for (int i = 0; i < QUEUED; i++)
        pthread_join(tid[i], NULL);
}

static void test_queued_commands_share_one_commit(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    struct nb_store_stats before, after;
    nb_store_stats(s, &before);
    struct job jobs[QUEUED] = {0};
    for (int i = 0; i < QUEUED; i++)
        snprintf(jobs[i].slug, sizeof(jobs[i].slug), "gruppe-%d", i);
    enum nb_err first;
    run_group(s, jobs, "gruppe-x", &first);
    assert_int_equal(first, NB_OK);
    for (int i = 0; i < QUEUED; i++)
        assert_int_equal(jobs[i].err, NB_OK);
    nb_store_stats(s, &after);
    assert_int_equal(after.commands - before.commands, QUEUED + 1);
    /* The first command saw others waiting and passed the writer on: one COMMIT for all. */
    assert_int_equal(after.commits - before.commits, 1);
    assert_int_equal(after.groups[QUEUED] - before.groups[QUEUED], 1);
    nb_store_close(&s);
    assert_int_equal(count_offices(t, "gruppe-%"), QUEUED + 1);
}

static void test_failing_member_rolls_back_alone(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    struct job jobs[QUEUED] = {0};
    for (int i = 0; i < QUEUED; i++)
        snprintf(jobs[i].slug, sizeof(jobs[i].slug), "teil-%d", i);
    /* One job takes a slug that an earlier member of the same group has written: its unique
     * key is taken (it sees its neighbour's work), and only it is undone. Another one rolls
     * back on its own, and the last one in line does too, which must still commit the
     * group for the others. */
    snprintf(jobs[3].slug, sizeof(jobs[3].slug), "teil-x");
    jobs[2].rollback = true;
    jobs[QUEUED - 1].rollback = true;
    enum nb_err first;
    run_group(s, jobs, "teil-x", &first);
    assert_int_equal(first, NB_OK);
    assert_int_equal(jobs[3].err, NB_ERR_CONFLICT);
    assert_int_equal(jobs[2].err, NB_ERR_INPUT);
    assert_int_equal(jobs[QUEUED - 1].err, NB_ERR_INPUT);
    for (int i = 0; i < QUEUED; i++)
        if (i != 2 && i != 3 && i != QUEUED - 1)
            assert_int_equal(jobs[i].err, NB_OK);
    nb_store_close(&s);
    assert_int_equal(count_offices(t, "teil-%"), 1 + QUEUED - 3);
    assert_int_equal(count_offices(t, "teil-2"), 0);
    assert_int_equal(count_offices(t, "teil-6"), 0);
}

static void test_lost_group_fails_every_member(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    struct job jobs[QUEUED] = {0};
    for (int i = 0; i < QUEUED; i++)
        snprintf(jobs[i].slug, sizeof(jobs[i].slug), "weg-%d", i);
    jobs[4].kill = true;
    enum nb_err first;
    run_group(s, jobs, "weg-x", &first);
    /* The members before the killer had released their savepoints, but their work went with
     * the group: none of them may be told it is durable. */
    assert_int_not_equal(first, NB_OK);
    for (int i = 0; i <= 4; i++)
        assert_int_not_equal(jobs[i].err, NB_OK);
    /* The ones after it form a new group and are kept. */
    for (int i = 5; i < QUEUED; i++)
        assert_int_equal(jobs[i].err, NB_OK);
    nb_store_close(&s);
    assert_int_equal(count_offices(t, "weg-%"), QUEUED - 5);
}

#define THREADS 8
#define PER_THREAD 40

struct writer {
    struct nb_store *s;
    int n;
    int ok;
};

static void *run_writer(void *arg)
{
    struct writer *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        struct job j = {.s = w->s};
        snprintf(j.slug, sizeof(j.slug), "last-%d-%d", w->n, i);
        run_job(&j);
        if (j.err == NB_OK)
            w->ok++;
    }
    return NULL;
}

static void test_many_writers_lose_nothing(void **state)
{
    struct tmpdb *t = *state;
    struct nb_store *s = NULL;
    assert_int_equal(nb_store_open(t->path, &s), NB_OK);
    struct nb_store_stats before, after;
    nb_store_stats(s, &before);
    pthread_t tid[THREADS];
    struct writer w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct writer){.s = s, .n = i};
        assert_int_equal(pthread_create(&tid[i], NULL, run_writer, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(tid[i], NULL);
        assert_int_equal(w[i].ok, PER_THREAD);
    }
    nb_store_stats(s, &after);
    uint64_t commands = after.commands - before.commands;
    assert_int_equal(commands, THREADS * PER_THREAD);
    /* Every command was carried by exactly one COMMIT. */
    uint64_t carried = 0;
    for (size_t k = 0; k < NB_STORE_GROUP_MAX; k++)
        carried += (after.groups[k] - before.groups[k]) * (k + 1);
    assert_int_equal(carried, commands);
    nb_store_close(&s);
    assert_int_equal(count_offices(t, "last-%"), THREADS * PER_THREAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_queued_commands_share_one_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_member_rolls_back_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_group_fails_every_member, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_writers_lose_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
