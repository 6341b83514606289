/* store_journal.h: the stored rows of the journal and its checkpoints (see domain/journal.h
 * for what they mean and how they are hashed and signed).
 *
 * Kept apart from store.h so the journal can be read and written without touching the
 * shared header. The journal is instance-wide: one sequence 1, 2, 3, ... across all offices;
 * office_id is 0 in these structs for an instance-level entry (stored as SQL NULL). Hashes
 * are 64 lower-case hex digits, signatures 128. The store checks nothing about them beyond
 * their length; the rows are append-only (the schema refuses UPDATE and DELETE).
 * Errors as in store.h; all functions block on disk I/O. */
#ifndef NB_STORE_STORE_JOURNAL_H
#define NB_STORE_STORE_JOURNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

#define NB_STORE_HASH_HEX 64 /* hex digits of a 32-byte hash */
#define NB_STORE_SIG_HEX 128 /* hex digits of a 64-byte Ed25519 signature */

struct nb_store_journal_row {
    int64_t seq, at;
    int64_t office_id; /* 0 = instance-level */
    struct nb_str actor, action, object, summary;
    char prev_hash[NB_STORE_HASH_HEX + 1]; /* NUL-terminated hex */
    char hash[NB_STORE_HASH_HEX + 1];
};

/* The newest entry's sequence number and hash. NB_ERR_NOTFOUND when the journal is empty. */
NB_MUST_USE enum nb_err nb_store_journal_head(struct nb_store_tx *tx, int64_t *seq,
                                              char hash[NB_STORE_HASH_HEX + 1]);

/* Appends r (all fields as given; the caller computed seq and the hashes). NB_ERR_CONFLICT
 * when r->seq is taken. Needs a write transaction. */
NB_MUST_USE enum nb_err nb_store_journal_insert(struct nb_store_tx *tx,
                                                const struct nb_store_journal_row *r);

/* Calls fn for every entry in ascending seq order until it returns false. The row and its
 * views are valid during the call only. Rows whose hashes are not 64 characters cannot
 * exist (the schema checks) but would be passed with empty hash strings. */
NB_MUST_USE enum nb_err
nb_store_journal_each(struct nb_store_tx *tx,
                      bool (*fn)(void *ctx, const struct nb_store_journal_row *r), void *ctx);

/* Which of one office's entries nb_store_journal_find returns. */
struct nb_store_journal_filter {
    int64_t office_id;    /* > 0: only this office's entries, never instance-level ones */
    struct nb_str action; /* exact match; empty for any */
    struct nb_str actor;  /* exact match; empty for any */
    int64_t from, to;     /* at in [from, to), unix seconds; INT64_MIN / INT64_MAX: open */
    int64_t limit;        /* rows at most; -1 for all */
    int64_t offset;       /* rows to skip, >= 0 */
};

/* Calls fn for the entries of f->office_id that pass f, newest (highest seq) first, until it
 * returns false. The row and its views are valid during the call only. NB_ERR_INPUT when
 * f->office_id is not positive or offset is negative. Uses the index by office and seq. */
NB_MUST_USE enum nb_err
nb_store_journal_find(struct nb_store_tx *tx, const struct nb_store_journal_filter *f,
                      bool (*fn)(void *ctx, const struct nb_store_journal_row *r), void *ctx);

/* Stores a signed checkpoint of entry seq whose hash is hash. Needs a write transaction. */
NB_MUST_USE enum nb_err nb_store_journal_checkpoint_insert(struct nb_store_tx *tx, int64_t seq,
                                                           const char *hash, const char *signature,
                                                           int64_t at);

/* Every stored checkpoint, by seq then id: array of {id int, seq int, hash str,
 * signature str, created_at int}. */
NB_MUST_USE enum nb_err nb_store_journal_checkpoint_list(struct nb_store_tx *tx, json_t **out);

/* The directory that holds the database file (where the journal key lives), written to
 * out as a NUL-terminated path. NB_ERR_LIMIT when it does not fit in n bytes. */
NB_MUST_USE enum nb_err nb_store_journal_dir(struct nb_store_tx *tx, char *out, size_t n);

#endif
