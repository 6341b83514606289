/* store_journal.c: rows of the journal and of its signed checkpoints.
 *
 * The store only keeps and returns the rows; computing and checking hashes and signatures is
 * domain/journal.c's job, so that a row changed behind the store's back is still returned
 * as it is (the verifier must see tampered rows, not have them filtered out). */
#include "store/store_journal.h"

#include <string.h>

#include "store/sql.h"

/* Copies a column of hex text into out (n + 1 bytes), or leaves it empty when the column is
 * not exactly n characters. */
static void copy_hex(sqlite3_stmt *st, int col, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    int len = sqlite3_column_bytes(st, col);
    out[0] = '\0';
    if (t && len >= 0 && (size_t)len == n) {
        memcpy(out, t, n);
        out[n] = '\0';
    }
}

static struct nb_str column_str(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    int len = sqlite3_column_bytes(st, col);
    if (!t || len < 0)
        return (struct nb_str){"", 0};
    return (struct nb_str){(const char *)t, (size_t)len};
}

enum nb_err nb_store_journal_head(struct nb_store_tx *tx, int64_t *seq,
                                  char hash[NB_STORE_HASH_HEX + 1])
{
    sqlite3_stmt *st;
    bool row = false;
    enum nb_err err =
        nb_sql_prepare(tx, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", NULL, 0, &st);
    if (!err)
        err = nb_sql_step(tx, st, &row);
    if (!err && !row)
        err = NB_ERR_NOTFOUND;
    if (!err) {
        *seq = sqlite3_column_int64(st, 0);
        copy_hex(st, 1, hash, NB_STORE_HASH_HEX);
    }
    sqlite3_finalize(st);
    return err;
}

enum nb_err nb_store_journal_insert(struct nb_store_tx *tx, const struct nb_store_journal_row *r)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(
            tx,
            "INSERT INTO journal (seq, at, office_id, actor, action, object, summary,"
            " prev_hash, hash) VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6, ?7, ?8, ?9)",
            NB_SQL_ARGS(NB_SQL_I(r->seq), NB_SQL_I(r->at), NB_SQL_I(r->office_id),
                        NB_SQL_S(r->actor), NB_SQL_S(r->action), NB_SQL_S(r->object),
                        NB_SQL_S(r->summary), NB_SQL_C(r->prev_hash), NB_SQL_C(r->hash)),
            NULL);
    return err;
}

/* Steps through the rows of a prepared SELECT of the journal's nine columns. */
static enum nb_err each_row(struct nb_store_tx *tx, sqlite3_stmt *st, enum nb_err err,
                            bool (*fn)(void *ctx, const struct nb_store_journal_row *r), void *ctx)
{
    bool row = true;
    while (!err && row) {
        err = nb_sql_step(tx, st, &row);
        if (err || !row)
            break;
        struct nb_store_journal_row r;
        r.seq = sqlite3_column_int64(st, 0);
        r.at = sqlite3_column_int64(st, 1);
        r.office_id = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 2);
        r.actor = column_str(st, 3);
        r.action = column_str(st, 4);
        r.object = column_str(st, 5);
        r.summary = column_str(st, 6);
        copy_hex(st, 7, r.prev_hash, NB_STORE_HASH_HEX);
        copy_hex(st, 8, r.hash, NB_STORE_HASH_HEX);
        row = fn(ctx, &r);
    }
    sqlite3_finalize(st);
    return err;
}

enum nb_err nb_store_journal_each(struct nb_store_tx *tx,
                                  bool (*fn)(void *ctx, const struct nb_store_journal_row *r),
                                  void *ctx)
{
    sqlite3_stmt *st = NULL;
    enum nb_err err = nb_sql_prepare(tx,
                                     "SELECT seq, at, office_id, actor, action, object, summary,"
                                     " prev_hash, hash FROM journal ORDER BY seq",
                                     NULL, 0, &st);
    return each_row(tx, st, err, fn, ctx);
}

/* An empty filter value must bind '' rather than SQL NULL, which would match nothing. */
static struct nb_str text_or_empty(struct nb_str s)
{
    return s.ptr ? s : (struct nb_str){"", 0};
}

enum nb_err nb_store_journal_find(struct nb_store_tx *tx, const struct nb_store_journal_filter *f,
                                  bool (*fn)(void *ctx, const struct nb_store_journal_row *r),
                                  void *ctx)
{
    if (f->office_id <= 0 || f->offset < 0)
        return NB_ERR_INPUT;
    sqlite3_stmt *st = NULL;
    enum nb_err err =
        nb_sql_prepare(tx,
                       "SELECT seq, at, office_id, actor, action, object, summary, prev_hash, hash"
                       " FROM journal WHERE office_id = ?1 AND (?2 = '' OR action = ?2)"
                       " AND (?3 = '' OR actor = ?3) AND at >= ?4 AND at < ?5"
                       " ORDER BY seq DESC LIMIT ?6 OFFSET ?7",
                       NB_SQL_ARGS(NB_SQL_I(f->office_id), NB_SQL_S(text_or_empty(f->action)),
                                   NB_SQL_S(text_or_empty(f->actor)), NB_SQL_I(f->from),
                                   NB_SQL_I(f->to), NB_SQL_I(f->limit), NB_SQL_I(f->offset)),
                       &st);
    return each_row(tx, st, err, fn, ctx);
}

enum nb_err nb_store_journal_checkpoint_insert(struct nb_store_tx *tx, int64_t seq,
                                               const char *hash, const char *signature, int64_t at)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(
            tx,
            "INSERT INTO journal_checkpoints (seq, hash, signature, created_at)"
            " VALUES (?1, ?2, ?3, ?4)",
            NB_SQL_ARGS(NB_SQL_I(seq), NB_SQL_C(hash), NB_SQL_C(signature), NB_SQL_I(at)), NULL);
    return err;
}

enum nb_err nb_store_journal_checkpoint_list(struct nb_store_tx *tx, json_t **out)
{
    return nb_sql_array(tx,
                        "SELECT id, seq, hash, signature, created_at FROM journal_checkpoints"
                        " ORDER BY seq, id",
                        NULL, 0, out);
}

enum nb_err nb_store_journal_dir(struct nb_store_tx *tx, char *out, size_t n)
{
    const char *path = sqlite3_db_filename(tx->db, "main");
    if (!path || !path[0])
        return NB_ERR_INTERNAL;
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 1;
    const char *dir = slash ? path : ".";
    if (slash == path)
        len = 1; /* the root directory */
    if (len + 1 > n)
        return NB_ERR_LIMIT;
    memcpy(out, dir, len);
    out[len] = '\0';
    return NB_OK;
}
