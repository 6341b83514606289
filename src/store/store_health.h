/* store_health.h: is the store still the database file it opened, and can it write?
 *
 * SQLite keeps working on an open file that was removed or renamed over: changes then go
 * into a file nobody will open again. The server records the file's identity (device and
 * inode of its path) right after opening and compares the path with it at health checks
 * and before writes. A database that SQLite could open only for reading (a read-only file
 * or directory) is reported as such, instead of failing each write with a confusing error.
 * Kept apart from store.h so these checks touch nothing of the transaction code. */
#ifndef NB_STORE_STORE_HEALTH_H
#define NB_STORE_STORE_HEALTH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"

struct nb_store;

/* The identity of the database file as opened. */
struct nb_store_file {
    dev_t dev;
    ino_t ino;
};

/* What the path of the database names now, compared with the file opened. */
enum nb_store_file_state {
    NB_STORE_FILE_OK,
    NB_STORE_FILE_REMOVED,  /* nothing at the path any more */
    NB_STORE_FILE_REPLACED, /* another file is at the path */
};

/* Records the identity of the file at the store's path; call right after nb_store_open.
 * NB_ERR_IO when the path cannot be examined. Does not block on locks. */
NB_MUST_USE enum nb_err nb_store_file_identify(struct nb_store *s, struct nb_store_file *out);

/* Compares the path with f (one stat). Thread-safe, no locks. */
enum nb_store_file_state nb_store_file_check(struct nb_store *s, const struct nb_store_file *f);
/* "ok", "removed", "replaced". */
const char *nb_store_file_state_str(enum nb_store_file_state st);

/* True when the database was opened read-only, or its file or directory cannot be written
 * by this process (SQLite needs both: the file, and the directory for its WAL). */
bool nb_store_readonly(struct nb_store *s);

/* The path of the database file (NUL-terminated, owned by the store). */
const char *nb_store_path(struct nb_store *s);

struct nb_store_health {
    enum nb_store_file_state file;
    bool writable;       /* !nb_store_readonly */
    bool readable;       /* a read transaction could count offices and read the journal */
    int64_t offices;     /* number of offices */
    int64_t journal_seq; /* newest journal entry's seq; 0 when the journal is empty */
};

/* Fills out: the file compared with f, writability, and (in one read transaction) the
 * number of offices and the journal head. Never fails: what could not be read is marked
 * (readable false). Blocks on disk I/O and waits for a free read connection. */
void nb_store_health(struct nb_store *s, const struct nb_store_file *f,
                     struct nb_store_health *out);

#endif
