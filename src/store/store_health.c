/* store_health.c: file identity, writability and the figures of a health check.
 *
 * The path comes from SQLite (sqlite3_db_filename of the writer), so nothing in the store's
 * own struct changes. Comparing device and inode of the path catches both a removed file
 * (stat fails with ENOENT) and one replaced by a rename (another inode). */
#include "store/store_health.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "store/sql.h"
#include "store/store_journal.h"

const char *nb_store_path(struct nb_store *s)
{
    const char *p = sqlite3_db_filename(s->writer, "main");
    return p ? p : "";
}

enum nb_err nb_store_file_identify(struct nb_store *s, struct nb_store_file *out)
{
    struct stat st;
    if (stat(nb_store_path(s), &st) != 0)
        return NB_ERR_IO;
    *out = (struct nb_store_file){st.st_dev, st.st_ino};
    return NB_OK;
}

enum nb_store_file_state nb_store_file_check(struct nb_store *s, const struct nb_store_file *f)
{
    struct stat st;
    if (stat(nb_store_path(s), &st) != 0)
        return errno == ENOENT || errno == ENOTDIR ? NB_STORE_FILE_REMOVED : NB_STORE_FILE_REPLACED;
    return st.st_dev == f->dev && st.st_ino == f->ino ? NB_STORE_FILE_OK : NB_STORE_FILE_REPLACED;
}

const char *nb_store_file_state_str(enum nb_store_file_state st)
{
    switch (st) {
    case NB_STORE_FILE_OK:
        return "ok";
    case NB_STORE_FILE_REMOVED:
        return "removed";
    case NB_STORE_FILE_REPLACED:
        return "replaced";
    }
    return "?";
}

bool nb_store_readonly(struct nb_store *s)
{
    const char *path = nb_store_path(s);
    if (sqlite3_db_readonly(s->writer, "main") != 0 || access(path, W_OK) != 0)
        return true;
    char dir[NB_CONFIG_PATH_MAX + 32];
    int n = snprintf(dir, sizeof(dir), "%s", path);
    if (n < 0 || (size_t)n >= sizeof(dir))
        return true;
    return access(dirname(dir), W_OK) != 0;
}

static enum nb_err count_offices(struct nb_store_tx *tx, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    bool row = false;
    enum nb_err err = nb_sql_prepare(tx, "SELECT count(*) FROM offices", NULL, 0, &st);
    if (!err)
        err = nb_sql_step(tx, st, &row);
    if (!err)
        *out = row ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return err;
}

void nb_store_health(struct nb_store *s, const struct nb_store_file *f, struct nb_store_health *out)
{
    memset(out, 0, sizeof(*out));
    out->file = nb_store_file_check(s, f);
    out->writable = !nb_store_readonly(s);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = count_offices(tx, &out->offices);
    if (!err) {
        char hash[NB_STORE_HASH_HEX + 1];
        err = nb_store_journal_head(tx, &out->journal_seq, hash);
        if (err == NB_ERR_NOTFOUND) {
            out->journal_seq = 0;
            err = NB_OK;
        }
    }
    nb_store_rollback(&tx);
    out->readable = err == NB_OK;
}
