/* store_account.c: accounts, setup links, recovery codes and throttle counters.
 *
 * Every statement names the office, so an account of another office is simply not found.
 * Updates that must hit exactly one row report NB_ERR_NOTFOUND when they changed none. The
 * account object never holds a secret: only nb_store_account_secret reads one, straight into
 * the caller's buffer. */
#include "store/store_account.h"

#include <string.h>

#include "store/sql.h"

#define ACCOUNT_SELECT "SELECT id, name, role, state, created_at, changed_at FROM accounts"

/* NB_ERR_NOTFOUND when an update that names one row changed none. */
static enum nb_err one_row(enum nb_err err, int changes)
{
    if (!err && changes == 0)
        err = NB_ERR_NOTFOUND;
    return err;
}

/* Prepares sql with args and steps to its first row: NB_ERR_NOTFOUND when there is none. The
 * caller finalizes *st (also after an error). */
static enum nb_err first_row(struct nb_store_tx *tx, const char *sql, const struct nb_sql_val *args,
                             size_t nargs, sqlite3_stmt **st)
{
    bool row = false;
    enum nb_err err = nb_sql_prepare(tx, sql, args, nargs, st);
    if (!err)
        err = nb_sql_step(tx, *st, &row);
    return !err && !row ? NB_ERR_NOTFOUND : err;
}

/* Copies the text of column col of the current row into buf (cap bytes with the NUL), "" and
 * *len 0 for NULL; NB_ERR_LIMIT when it does not fit. The one place a secret leaves SQLite. */
static enum nb_err column_into(sqlite3_stmt *st, int col, char *buf, size_t cap, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    *len = 0;
    if (cap == 0)
        return NB_ERR_LIMIT;
    buf[0] = '\0';
    if (n >= cap)
        return NB_ERR_LIMIT;
    if (t) {
        memcpy(buf, t, n);
        buf[n] = '\0';
        *len = n;
    }
    return NB_OK;
}

enum nb_err nb_store_account_insert(struct nb_store_tx *tx, int64_t office_id, struct nb_str name,
                                    struct nb_str role, int64_t at, int64_t *id)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(
            tx,
            "INSERT INTO accounts (office_id, name, role, created_at, changed_at)"
            " VALUES (?1, ?2, ?3, ?4, ?4)",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(name), NB_SQL_S(role), NB_SQL_I(at)), NULL);
    int64_t new_id = 0;
    if (!err)
        err = nb_sql_int(tx, "SELECT id FROM accounts WHERE office_id = ?1 AND name = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(name)), &new_id);
    if (!err && id)
        *id = new_id;
    return err;
}

enum nb_err nb_store_account_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str name,
                                 json_t **out)
{
    return nb_sql_object(tx, ACCOUNT_SELECT " WHERE office_id = ?1 AND name = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(name)), out);
}

enum nb_err nb_store_account_get_by_id(struct nb_store_tx *tx, int64_t office_id,
                                       int64_t account_id, json_t **out)
{
    return nb_sql_object(tx, ACCOUNT_SELECT " WHERE office_id = ?1 AND id = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id)), out);
}

enum nb_err nb_store_account_offices(struct nb_store_tx *tx, struct nb_str name, json_t **out)
{
    return nb_sql_array(tx,
                        "SELECT o.id AS office_id, o.slug AS slug FROM accounts a"
                        " JOIN offices o ON o.id = a.office_id WHERE a.name = ?1 ORDER BY o.slug",
                        NB_SQL_ARGS(NB_SQL_S(name)), out);
}

enum nb_err nb_store_account_list(struct nb_store_tx *tx, int64_t office_id, int64_t seen_after,
                                  int64_t created_after, json_t **out)
{
    return nb_sql_array(
        tx,
        "SELECT a.id AS id, a.name AS name, a.role AS role, a.state AS state,"
        " (SELECT count(*) FROM sessions s WHERE s.office_id = a.office_id"
        " AND s.account_id = a.id AND s.last_seen_at > ?2 AND s.created_at > ?3)"
        " AS sessions FROM accounts a WHERE a.office_id = ?1 ORDER BY a.name",
        NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(seen_after), NB_SQL_I(created_after)), out);
}

enum nb_err nb_store_account_count(struct nb_store_tx *tx, int64_t *n)
{
    return nb_sql_int(tx, "SELECT count(*) FROM accounts", NULL, 0, n);
}

enum nb_err nb_store_account_set_role(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                      struct nb_str role, int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(
            tx,
            "UPDATE accounts SET role = ?3, changed_at = ?4"
            " WHERE office_id = ?1 AND id = ?2",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id), NB_SQL_S(role), NB_SQL_I(at)),
            &changes);
    return one_row(err, changes);
}

enum nb_err nb_store_account_disable(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                     int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "UPDATE accounts SET state = 'disabled', changed_at = ?3"
                          " WHERE office_id = ?1 AND id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id), NB_SQL_I(at)),
                          &changes);
    return one_row(err, changes);
}

enum nb_err nb_store_account_clear(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                   int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "UPDATE accounts SET state = 'setup', password_hash = NULL,"
                          " totp_secret = NULL, totp_last_step = 0, changed_at = ?3"
                          " WHERE office_id = ?1 AND id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id), NB_SQL_I(at)),
                          &changes);
    err = one_row(err, changes);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM account_recovery_codes WHERE office_id = ?1"
                          " AND account_id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id)), NULL);
    return err;
}

enum nb_err nb_store_account_activate(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                      struct nb_str password_hash, struct nb_str totp_secret,
                                      int64_t totp_step, int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "UPDATE accounts SET state = 'active', password_hash = ?3,"
                          " totp_secret = ?4, totp_last_step = ?5, changed_at = ?6"
                          " WHERE office_id = ?1 AND id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id),
                                      NB_SQL_S(password_hash), NB_SQL_S(totp_secret),
                                      NB_SQL_I(totp_step), NB_SQL_I(at)),
                          &changes);
    return one_row(err, changes);
}

enum nb_err nb_store_account_use_step(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                      int64_t step)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "UPDATE accounts SET totp_last_step = ?3"
                          " WHERE office_id = ?1 AND id = ?2 AND totp_last_step < ?3",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id), NB_SQL_I(step)),
                          &changes);
    if (!err && changes == 0)
        err = NB_ERR_CONFLICT;
    return err;
}

enum nb_err nb_store_setup_put(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                               struct nb_str token_hash, int64_t at, int64_t expires_at)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM account_setup_links WHERE office_id = ?1"
                          " AND account_id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id)), NULL);
    if (!err)
        err = nb_sql_exec(tx,
                          "INSERT INTO account_setup_links (office_id, account_id, token_hash,"
                          " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id),
                                      NB_SQL_S(token_hash), NB_SQL_I(at), NB_SQL_I(expires_at)),
                          NULL);
    return err;
}

enum nb_err nb_store_setup_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str token_hash,
                               json_t **out)
{
    return nb_sql_object(tx,
                         "SELECT l.account_id AS account_id, a.name AS name,"
                         " l.expires_at AS expires_at"
                         " FROM account_setup_links l JOIN accounts a"
                         " ON a.office_id = l.office_id AND a.id = l.account_id"
                         " WHERE l.office_id = ?1 AND l.token_hash = ?2",
                         NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(token_hash)), out);
}

enum nb_err nb_store_setup_pending(struct nb_store_tx *tx, int64_t office_id,
                                   struct nb_str token_hash, char *buf, size_t cap, size_t *len)
{
    *len = 0;
    sqlite3_stmt *st;
    enum nb_err err = first_row(tx,
                                "SELECT pending_totp FROM account_setup_links"
                                " WHERE office_id = ?1 AND token_hash = ?2",
                                NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(token_hash)), &st);
    if (!err)
        err = column_into(st, 0, buf, cap, len);
    sqlite3_finalize(st);
    return err;
}

enum nb_err nb_store_setup_set_pending(struct nb_store_tx *tx, int64_t office_id,
                                       struct nb_str token_hash, struct nb_str totp_secret)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(
            tx,
            "UPDATE account_setup_links SET pending_totp = ?3"
            " WHERE office_id = ?1 AND token_hash = ?2",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(token_hash), NB_SQL_S(totp_secret)),
            &changes);
    return one_row(err, changes);
}

enum nb_err nb_store_setup_remove(struct nb_store_tx *tx, int64_t office_id, int64_t account_id)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM account_setup_links WHERE office_id = ?1"
                          " AND account_id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id)), &changes);
    return one_row(err, changes);
}

enum nb_err nb_store_recovery_put(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                  const struct nb_str *hashes, size_t n)
{
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(tx,
                          "DELETE FROM account_recovery_codes WHERE office_id = ?1"
                          " AND account_id = ?2",
                          NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id)), NULL);
    for (size_t i = 0; !err && i < n; i++)
        err = nb_sql_exec(
            tx,
            "INSERT INTO account_recovery_codes (office_id, account_id, code_hash)"
            " VALUES (?1, ?2, ?3)",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id), NB_SQL_S(hashes[i])), NULL);
    return err;
}

enum nb_err nb_store_recovery_use(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                  struct nb_str hash, int64_t at)
{
    int changes = 0;
    enum nb_err err = nb_sql_writable(tx);
    if (!err)
        err = nb_sql_exec(
            tx,
            "UPDATE account_recovery_codes SET used_at = ?4 WHERE office_id = ?1"
            " AND account_id = ?2 AND code_hash = ?3 AND used_at IS NULL",
            NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id), NB_SQL_S(hash), NB_SQL_I(at)),
            &changes);
    return one_row(err, changes);
}

enum nb_err nb_store_recovery_left(struct nb_store_tx *tx, int64_t office_id, int64_t account_id,
                                   int64_t *n)
{
    return nb_sql_int(tx,
                      "SELECT count(*) FROM account_recovery_codes WHERE office_id = ?1"
                      " AND account_id = ?2 AND used_at IS NULL",
                      NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_I(account_id)), n);
}

enum nb_err nb_store_account_secret(struct nb_store_tx *tx, int64_t office_id, struct nb_str name,
                                    enum nb_store_secret which, char *buf, size_t cap,
                                    struct nb_store_credential *out)
{
    *out = (struct nb_store_credential){0};
    sqlite3_stmt *st;
    enum nb_err err =
        first_row(tx,
                  which == NB_STORE_SECRET_PASSWORD
                      ? "SELECT id, state = 'active', totp_last_step, password_hash FROM accounts"
                        " WHERE office_id = ?1 AND name = ?2"
                      : "SELECT id, state = 'active', totp_last_step, totp_secret FROM accounts"
                        " WHERE office_id = ?1 AND name = ?2",
                  NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(name)), &st);
    if (!err) {
        out->account_id = sqlite3_column_int64(st, 0);
        out->active = sqlite3_column_int(st, 1) != 0;
        out->totp_last_step = sqlite3_column_int64(st, 2);
        err = column_into(st, 3, buf, cap, &out->len);
    }
    sqlite3_finalize(st);
    return err;
}

enum nb_err nb_store_account_id(struct nb_store_tx *tx, int64_t office_id, struct nb_str name,
                                int64_t *id)
{
    return nb_sql_int(tx, "SELECT id FROM accounts WHERE office_id = ?1 AND name = ?2",
                      NB_SQL_ARGS(NB_SQL_I(office_id), NB_SQL_S(name)), id);
}
