/* Unit tests for domain/journal: a chain of 250 entries verifies, with automatic checkpoints
 * at 100 and 200; the key file is made with mode 0600 once and refused when others may read
 * it; a checkpoint survives its one-line form; entries changed, deleted or reordered behind
 * the store's back are named by number; an entry commits or rolls back with its change. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domain/journal.h"
#include "domain/office.h"
#include "store/store.h"
#include "../tmpdb.h"

struct fix {
    struct tmpdb db;
    struct nb_store *s;
    int64_t office;
    char key[700];
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));
    if (!f || tmpdb_make(&f->db) != 0 || nb_store_open(f->db.path, &f->s) != NB_OK)
        return -1;
    snprintf(f->key, sizeof(f->key), "%s/%s", f->db.dir, NB_JOURNAL_KEY_FILE);
    const struct nb_store_office o = {NB_STR("amt-a"), NB_STR("Amt A"), NB_STR("MV"), {NULL, 0}};
    if (nb_office_create(f->s, &o, 1700000000, &f->office) != NB_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    nb_store_close(&f->s);
    unlink(f->key);
    tmpdb_remove(&f->db);
    free(f);
    return 0;
}

static void append_n(struct fix *f, int64_t from, int64_t to)
{
    char object[64];
    for (int64_t i = from; i <= to; i++) {
        snprintf(object, sizeof(object), "notice/meldung-%lld", (long long)i);
        const struct nb_journal_entry e = {.at = 1700000000 + i,
                                           .office_id = i % 3 ? f->office : 0,
                                           .actor = NB_STR("redaktion"),
                                           .action = NB_STR("notice.publish"),
                                           .object = nb_str_c(object),
                                           .summary = NB_STR("Meldung veröffentlicht")};
        int64_t seq = 0;
        assert_int_equal(nb_journal_record(f->s, &e, &seq), NB_OK);
        assert_int_equal(seq, i);
    }
}

static struct nb_journal_report verify(struct fix *f, const struct nb_journal_checkpoint *w)
{
    struct nb_journal_report r;
    assert_int_equal(nb_journal_verify(f->s, w, &r), NB_OK);
    return r;
}

static void raw_exec(struct fix *f, const char *sql)
{
    sqlite3 *raw = tmpdb_raw(&f->db);
    assert_non_null(raw);
    char *msg = NULL;
    if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(raw);
}

static void test_chain_of_250_with_checkpoints(void **state)
{
    struct fix *f = *state;
    assert_int_equal(nb_journal_key_create(f->db.dir), NB_OK);
    struct nb_journal_report r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_INTACT);
    assert_int_equal(r.entries, 0);

    append_n(f, 1, 250);
    r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_INTACT);
    assert_int_equal(r.seq, 0);
    assert_int_equal(r.entries, 250);
    assert_int_equal(r.checkpoints, 2);
    assert_true(r.have_key);

    sqlite3 *raw = tmpdb_raw(&f->db);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM journal_checkpoints"), 2);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM journal_checkpoints WHERE seq IN"
                                    " (100, 200)"),
                     2);
    /* each checkpoint names the hash of its entry */
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM journal_checkpoints c JOIN journal j"
                                    " ON j.seq = c.seq AND j.hash = c.hash"),
                     2);
    assert_int_equal(
        tmpdb_int(raw, "SELECT count(*) FROM journal WHERE seq = 1 AND prev_hash ="
                       " '0000000000000000000000000000000000000000000000000000000000000000'"),
        1);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM journal WHERE office_id IS NULL"), 83);
    /* every entry links to the one before */
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM journal a JOIN journal b"
                                    " ON b.seq = a.seq + 1 AND b.prev_hash = a.hash"),
                     249);
    /* the schema refuses changes */
    assert_int_not_equal(
        sqlite3_exec(raw, "UPDATE journal SET summary = 'x' WHERE seq = 5", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(raw, "DELETE FROM journal WHERE seq = 250", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(raw, "DELETE FROM journal_checkpoints", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(raw);

    /* the stored hash is the documented encoding */
    const struct nb_journal_entry e1 = {.at = 1700000001,
                                        .office_id = f->office,
                                        .actor = NB_STR("redaktion"),
                                        .action = NB_STR("notice.publish"),
                                        .object = NB_STR("notice/meldung-1"),
                                        .summary = NB_STR("Meldung veröffentlicht")};
    uint8_t zero[32] = {0}, h[32];
    nb_journal_entry_hash(1, &e1, zero, h);
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM journal WHERE seq = 1 AND hash = '");
    for (size_t i = 0; i < 32; i++)
        snprintf(sql + strlen(sql), 3, "%02x", h[i]);
    snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), "'");
    raw = tmpdb_raw(&f->db);
    assert_int_equal(tmpdb_int(raw, sql), 1);
    sqlite3_close(raw);
}

static void test_key_file_mode(void **state)
{
    struct fix *f = *state;
    struct stat st;
    bool created = false;
    assert_int_equal(nb_journal_key_ensure(f->db.dir, &created), NB_OK);
    assert_true(created);
    assert_int_equal(stat(f->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 32);
    uint8_t pk1[32], pk2[32];
    assert_int_equal(nb_journal_key_public(f->db.dir, pk1), NB_OK);
    /* never overwritten */
    assert_int_equal(nb_journal_key_create(f->db.dir), NB_ERR_CONFLICT);
    assert_int_equal(nb_journal_key_ensure(f->db.dir, &created), NB_OK);
    assert_false(created);
    assert_int_equal(nb_journal_key_public(f->db.dir, pk2), NB_OK);
    assert_memory_equal(pk1, pk2, 32);
    char fp[NB_JOURNAL_FINGERPRINT_TEXT];
    nb_journal_fingerprint(pk1, fp);
    assert_int_equal(strlen(fp), 39);

    append_n(f, 1, 3);
    struct nb_journal_checkpoint cp;
    assert_int_equal(nb_journal_checkpoint(f->s, NB_STR("cli"), 1700001000, &cp), NB_OK);
    assert_int_equal(cp.seq, 4);

    /* readable by the group and others: refused everywhere */
    assert_int_equal(chmod(f->key, 0644), 0);
    assert_int_equal(nb_journal_key_public(f->db.dir, pk2), NB_ERR_DENIED);
    assert_int_equal(nb_journal_key_ensure(f->db.dir, &created), NB_ERR_DENIED);
    assert_int_equal(nb_journal_checkpoint(f->s, NB_STR("cli"), 1700001001, &cp), NB_ERR_DENIED);
    struct nb_journal_report r;
    assert_int_equal(nb_journal_verify(f->s, NULL, &r), NB_ERR_DENIED);
    assert_int_equal(chmod(f->key, 0640), 0);
    assert_int_equal(nb_journal_key_public(f->db.dir, pk2), NB_ERR_DENIED);
    /* the refused checkpoint left no entry behind */
    sqlite3 *raw = tmpdb_raw(&f->db);
    assert_int_equal(tmpdb_int(raw, "SELECT max(seq) FROM journal"), 4);
    sqlite3_close(raw);

    /* the key's mode is a matter of the file, not of the data: 0600 again works */
    assert_int_equal(chmod(f->key, 0600), 0);
    r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_INTACT);
    assert_int_equal(r.checkpoints, 1);
}

static void test_missing_key_leaves_out_the_checkpoint(void **state)
{
    struct fix *f = *state;
    append_n(f, 1, 100); /* no key: the work goes on, the checkpoint is missing */
    struct nb_journal_report r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_CP_MISSING);
    assert_int_equal(r.seq, 100);
    struct nb_journal_checkpoint cp;
    assert_int_equal(nb_journal_checkpoint(f->s, NB_STR("cli"), 1700001000, &cp), NB_ERR_NOTFOUND);
}

static void test_checkpoint_text(void **state)
{
    struct fix *f = *state;
    assert_int_equal(nb_journal_key_create(f->db.dir), NB_OK);
    append_n(f, 1, 7);
    struct nb_journal_checkpoint cp, back;
    assert_int_equal(nb_journal_checkpoint(f->s, NB_STR("cli"), 1700001000, &cp), NB_OK);
    assert_int_equal(cp.seq, 8);
    char line[NB_JOURNAL_CP_TEXT];
    nb_journal_checkpoint_format(&cp, line);
    assert_memory_equal(line, "nbj1-8-", 7);
    assert_true(strlen(line) < 160);
    assert_int_equal(nb_journal_checkpoint_parse(nb_str_c(line), &back), NB_OK);
    assert_int_equal(back.seq, 8);
    assert_memory_equal(back.hash16, cp.hash16, sizeof(cp.hash16));
    assert_memory_equal(back.sig, cp.sig, sizeof(cp.sig));

    struct nb_journal_report r = verify(f, &back);
    assert_int_equal(r.problem, NB_JOURNAL_INTACT);
    append_n(f, 9, 12); /* later entries do not matter to it */
    r = verify(f, &back);
    assert_int_equal(r.problem, NB_JOURNAL_INTACT);
    assert_int_equal(r.entries, 12);

    struct nb_journal_checkpoint bad = back;
    bad.hash16[3] ^= 1;
    r = verify(f, &bad);
    assert_int_equal(r.problem, NB_JOURNAL_WITNESS_SIGNATURE);
    bad = back;
    bad.seq = 7;
    r = verify(f, &bad);
    assert_int_equal(r.problem, NB_JOURNAL_WITNESS_SIGNATURE);

    const char *wrong[] = {"",
                           "nbj1",
                           "nbj2-8-00000000-00000000-00000000-00000000-AAAA",
                           "nbj1-0-00000000-00000000-00000000-00000000-AAAA",
                           "nbj1-8-0000000-00000000-00000000-00000000-AAAA",
                           "nbj1-8-0000000g-00000000-00000000-00000000-AAAA",
                           "nbj1-8-00000000-00000000-00000000-00000000-AAAA",
                           "nbj1-x-00000000-00000000-00000000-00000000-AAAA"};
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
        assert_int_equal(nb_journal_checkpoint_parse(nb_str_c(wrong[i]), &back), NB_ERR_INPUT);
    /* a cut-off signature */
    line[strlen(line) - 1] = '\0';
    assert_int_equal(nb_journal_checkpoint_parse(nb_str_c(line), &back), NB_ERR_INPUT);
}

static void test_tampering_named(void **state)
{
    struct fix *f = *state;
    assert_int_equal(nb_journal_key_create(f->db.dir), NB_OK);
    append_n(f, 1, 20);
    raw_exec(f, "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;"
                " DROP TRIGGER journal_checkpoints_no_delete");

    raw_exec(f, "UPDATE journal SET summary = 'harmlos' WHERE seq = 7");
    struct nb_journal_report r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_CHANGED);
    assert_int_equal(r.seq, 7);
    assert_non_null(strstr(r.detail, "entry 7 "));
    raw_exec(f, "UPDATE journal SET summary = 'Meldung veröffentlicht' WHERE seq = 7");
    assert_int_equal(verify(f, NULL).problem, NB_JOURNAL_INTACT);

    /* the office of an entry is covered too */
    raw_exec(f, "UPDATE journal SET office_id = NULL WHERE seq = 4");
    r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_CHANGED);
    assert_int_equal(r.seq, 4);
    raw_exec(f, "UPDATE journal SET office_id = 1 WHERE seq = 4");

    /* two entries swap places: the first position concerned is named */
    raw_exec(f, "UPDATE journal SET seq = 1000 WHERE seq = 5; UPDATE journal SET seq = 5 WHERE"
                " seq = 11; UPDATE journal SET seq = 11 WHERE seq = 1000");
    r = verify(f, NULL);
    assert_int_equal(r.seq, 5);
    assert_int_not_equal(r.problem, NB_JOURNAL_INTACT);
    raw_exec(f, "UPDATE journal SET seq = 1000 WHERE seq = 5; UPDATE journal SET seq = 5 WHERE"
                " seq = 11; UPDATE journal SET seq = 11 WHERE seq = 1000");
    assert_int_equal(verify(f, NULL).problem, NB_JOURNAL_INTACT);

    /* a forged entry whose own hash is right but which links to entry 19, not 20 */
    sqlite3 *raw = tmpdb_raw(&f->db);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(raw, "SELECT hash FROM journal WHERE seq = 19", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char prev_hex[65];
    snprintf(prev_hex, sizeof(prev_hex), "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(raw);
    uint8_t prev[32], h[32];
    for (size_t i = 0; i < 32; i++) {
        unsigned v = 0;
        for (size_t k = 0; k < 2; k++) {
            char c = prev_hex[2 * i + k];
            v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        prev[i] = (uint8_t)v;
    }
    const struct nb_journal_entry forged = {.at = 1700000021,
                                            .actor = NB_STR("admin"),
                                            .action = NB_STR("role.change"),
                                            .object = NB_STR("account/x"),
                                            .summary = NB_STR("role changed")};
    nb_journal_entry_hash(21, &forged, prev, h);
    char sql[400];
    int n = snprintf(sql, sizeof(sql),
                     "INSERT INTO journal VALUES (21, 1700000021, NULL, 'admin', 'role.change',"
                     " 'account/x', 'role changed', '%s', '",
                     prev_hex);
    for (size_t i = 0; i < 32; i++)
        n += snprintf(sql + n, sizeof(sql) - (size_t)n, "%02x", h[i]);
    snprintf(sql + n, sizeof(sql) - (size_t)n, "')");
    raw_exec(f, sql);
    r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_LINK);
    assert_int_equal(r.seq, 21);
    raw_exec(f, "DELETE FROM journal WHERE seq = 21");
    assert_int_equal(verify(f, NULL).problem, NB_JOURNAL_INTACT);

    /* entries moved one place on: the number left free is named */
    raw_exec(f, "UPDATE journal SET seq = seq + 100 WHERE seq >= 15;"
                " UPDATE journal SET seq = seq - 99 WHERE seq >= 115");
    r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_MISSING);
    assert_int_equal(r.seq, 15);

    raw_exec(f, "DELETE FROM journal WHERE seq >= 16");
    raw_exec(f, "DELETE FROM journal WHERE seq = 12");
    r = verify(f, NULL);
    assert_int_equal(r.problem, NB_JOURNAL_MISSING);
    assert_int_equal(r.seq, 12);
}

static void test_entry_commits_with_its_change(void **state)
{
    struct fix *f = *state;
    const struct nb_journal_entry e = {.at = 1700000100,
                                       .office_id = f->office,
                                       .actor = NB_STR("admin"),
                                       .action = NB_STR("office.update"),
                                       .object = NB_STR("office/amt-a"),
                                       .summary = NB_STR("name changed")};
    struct nb_store_tx *tx;
    int64_t seq = 0;
    assert_int_equal(nb_store_begin(f->s, NB_STORE_WRITE, &tx), NB_OK);
    assert_int_equal(nb_journal_append(tx, &e, &seq), NB_OK);
    assert_int_equal(seq, 1);
    nb_store_rollback(&tx);
    assert_int_equal(nb_store_begin(f->s, NB_STORE_WRITE, &tx), NB_OK);
    assert_int_equal(nb_journal_append(tx, &e, &seq), NB_OK);
    assert_int_equal(seq, 1); /* the rolled-back entry left no trace */
    assert_int_equal(nb_store_commit(&tx), NB_OK);

    /* a read transaction cannot append */
    assert_int_equal(nb_store_begin(f->s, NB_STORE_READ, &tx), NB_OK);
    assert_int_not_equal(nb_journal_append(tx, &e, &seq), NB_OK);
    nb_store_rollback(&tx);

    struct nb_journal_entry bad = e;
    bad.action = NB_STR("Notice Publish");
    assert_int_equal(nb_journal_record(f->s, &bad, &seq), NB_ERR_INPUT);
    bad = e;
    bad.summary = NB_STR("two\nlines");
    assert_int_equal(nb_journal_record(f->s, &bad, &seq), NB_ERR_INPUT);
    bad = e;
    bad.actor = (struct nb_str){NULL, 0};
    assert_int_equal(nb_journal_record(f->s, &bad, &seq), NB_ERR_INPUT);
    bad = e;
    bad.office_id = 999; /* no such office */
    assert_int_not_equal(nb_journal_record(f->s, &bad, &seq), NB_OK);
    sqlite3 *raw = tmpdb_raw(&f->db);
    assert_int_equal(tmpdb_int(raw, "SELECT count(*) FROM journal"), 1);
    sqlite3_close(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain_of_250_with_checkpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_file_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_key_leaves_out_the_checkpoint, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampering_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_commits_with_its_change, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
