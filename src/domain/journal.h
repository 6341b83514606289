/* journal.h: the tamper-evident journal of every state change, and its signed checkpoints.
 *
 * Every state change (publish, edit, login, role change, export, ...) appends one entry in
 * the same write transaction as the change, so both commit or neither does. Failed sign-ins
 * change nothing but counters; they are journalled as counts per window (domain/throttle.h).
 * Entries form one instance-wide hash chain, numbered 1, 2, 3, ... without gaps. Each entry
 * holds the BLAKE2b-256 hash of the entry before it (32 zero bytes for entry 1) and its own
 * hash over this canonical byte encoding (all integers big-endian, every text preceded by
 * its length, so no two different entries encode alike):
 *
 *     "NBJ1"                      4 bytes, format tag
 *     seq                         u64
 *     at                          i64 (unix seconds, UTC; two's complement)
 *     office                      u8 0 (instance-level), or u8 1 followed by office id i64
 *     actor, action, object,      each u32 byte length followed by the UTF-8 bytes
 *     summary
 *     prev_hash                   32 bytes
 *
 *     hash = BLAKE2b-256(encoding)   (libsodium crypto_generichash, no key)
 *
 * Summaries name what happened, never whom it concerned: no names, addresses or case
 * contents, since the journal is never pruned.
 *
 * Checkpoints. The instance holds an Ed25519 key: DATA/journal.key, the 32-byte seed, mode
 * 0600, created once with O_EXCL and never used when the group or others can read it or
 * another user owns it. Whenever entry 100, 200, ... is appended, and on demand, the head is
 * signed. The signed message is 40 bytes:
 *
 *     "notbetrieb-jrnl1" (16 bytes) || seq (u64) || first 16 bytes of the head hash
 *
 * A checkpoint is written for people as one line:
 *
 *     nbj1-SEQ-XXXXXXXX-XXXXXXXX-XXXXXXXX-XXXXXXXX-SIGNATURE
 *
 * with the 16 hash bytes in hex (four groups of eight digits) and the 64-byte signature in
 * unpadded base64url (86 characters; it may itself contain '-', so it is everything after
 * the sixth '-'). Verification recomputes the chain up to SEQ and compares those first 16
 * bytes. Why 16 bytes suffice: to pass such a checkpoint with a rewritten history an
 * attacker needs a chain whose head agrees with a given 128-bit value, a second preimage of
 * BLAKE2b truncated to 128 bits (about 2^128 work); the entries before the checkpoint are
 * fixed once it is handed to a witness, so the birthday bound (2^64) would only matter to
 * someone who prepared two colliding histories before the checkpoint was taken, and the
 * signature binds the 16 bytes to the sequence number and the instance key. The witness
 * also notes the key's fingerprint (first 16 bytes of BLAKE2b-256 of the public key, hex in
 * groups of four), so a replaced key is noticed.
 *
 * All functions block on disk I/O. Errors: NB_ERR_INPUT / NB_ERR_LIMIT for a malformed entry
 * or checkpoint text, NB_ERR_NOTFOUND for a missing key file, NB_ERR_DENIED for a key file
 * that is readable by others, owned by someone else or not a regular file, NB_ERR_CONFLICT
 * for a key file that exists already, NB_ERR_IO, NB_ERR_DB, NB_ERR_NOMEM. */
#ifndef NB_DOMAIN_JOURNAL_H
#define NB_DOMAIN_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "store/store.h"

/* The limits of an entry's texts and the checkpoint interval are in base/limits.h. */
#define NB_JOURNAL_HASH_BYTES 32u
#define NB_JOURNAL_CP_HASH_BYTES 16u /* of the head hash, in a checkpoint */
#define NB_JOURNAL_SIG_BYTES 64u
/* Buffer for a checkpoint line (about 150 characters) and a key fingerprint (39). */
#define NB_JOURNAL_CP_TEXT 192u
#define NB_JOURNAL_FINGERPRINT_TEXT 40u
/* The key file inside the data directory. */
#define NB_JOURNAL_KEY_FILE "journal.key"

struct nb_journal_entry {
    int64_t at;            /* unix seconds, UTC */
    int64_t office_id;     /* 0 for an instance-level event */
    struct nb_str actor;   /* account name, "system" or "cli"; a line */
    struct nb_str action;  /* token of [a-z0-9._-], e.g. "notice.publish" */
    struct nb_str object;  /* text id, e.g. "notice/it-sicherheitsvorfall"; a line */
    struct nb_str summary; /* one line without personal data */
};

/* Appends e inside the caller's write transaction tx (one SELECT of the head, one INSERT);
 * when the new entry's number is a multiple of NB_JOURNAL_CHECKPOINT_EVERY it also signs
 * and stores a checkpoint with the key in the database's directory (a missing or unusable
 * key is logged and leaves that checkpoint out, which verify then reports, rather than
 * refusing the office's work). *seq (may be NULL) gets the entry's number. Views are
 * borrowed for the call. */
NB_MUST_USE enum nb_err nb_journal_append(struct nb_store_tx *tx, const struct nb_journal_entry *e,
                                          int64_t *seq);
/* nb_journal_append in a write transaction of its own (nested when the thread has one). */
NB_MUST_USE enum nb_err nb_journal_record(struct nb_store *s, const struct nb_journal_entry *e,
                                          int64_t *seq);

/* The hash of entry seq with fields e and previous hash prev (the encoding above). */
void nb_journal_entry_hash(int64_t seq, const struct nb_journal_entry *e,
                           const uint8_t prev[NB_JOURNAL_HASH_BYTES],
                           uint8_t out[NB_JOURNAL_HASH_BYTES]);

/* Creates a new key in dir (O_CREAT | O_EXCL, mode 0600). NB_ERR_CONFLICT when the file
 * exists already; nothing is changed then. */
NB_MUST_USE enum nb_err nb_journal_key_create(const char *dir);
/* Creates the key when absent; otherwise checks that it can be used. *created (may be NULL)
 * tells which. */
NB_MUST_USE enum nb_err nb_journal_key_ensure(const char *dir, bool *created);
/* The public key of the key in dir (the secret half is wiped before return). */
NB_MUST_USE enum nb_err nb_journal_key_public(const char *dir, uint8_t pk[32]);
/* "abcd:ef01:...": first 16 bytes of BLAKE2b-256(pk) in hex groups of four. */
void nb_journal_fingerprint(const uint8_t pk[32], char out[NB_JOURNAL_FINGERPRINT_TEXT]);

struct nb_journal_checkpoint {
    int64_t seq;                              /* the head entry it covers */
    uint8_t hash16[NB_JOURNAL_CP_HASH_BYTES]; /* first bytes of that entry's hash */
    uint8_t sig[NB_JOURNAL_SIG_BYTES];        /* Ed25519 over the message above */
};

/* Signs the current head inside tx and stores the checkpoint. NB_ERR_NOTFOUND when the
 * journal is empty or the key is missing. *out (may be NULL) gets it. */
NB_MUST_USE enum nb_err nb_journal_checkpoint_tx(struct nb_store_tx *tx, int64_t at,
                                                 struct nb_journal_checkpoint *out);
/* The on-demand checkpoint: appends a "journal.checkpoint" entry by actor, then signs and
 * stores the new head, in one transaction. */
NB_MUST_USE enum nb_err nb_journal_checkpoint(struct nb_store *s, struct nb_str actor, int64_t at,
                                              struct nb_journal_checkpoint *out);
/* Writes the one-line form (NUL-terminated). */
void nb_journal_checkpoint_format(const struct nb_journal_checkpoint *cp,
                                  char out[NB_JOURNAL_CP_TEXT]);
/* Parses the one-line form (surrounding blanks and upper-case hex accepted); NB_ERR_INPUT
 * for anything else. The signature is not checked here. */
NB_MUST_USE enum nb_err nb_journal_checkpoint_parse(struct nb_str text,
                                                    struct nb_journal_checkpoint *cp);

enum nb_journal_problem {
    NB_JOURNAL_INTACT = 0,
    NB_JOURNAL_MISSING,           /* an entry number is absent: deleted */
    NB_JOURNAL_CHANGED,           /* an entry's fields do not match its own hash */
    NB_JOURNAL_LINK,              /* an entry does not follow the one before: inserted/reordered */
    NB_JOURNAL_CP_MISSING,        /* no stored checkpoint at a multiple of 100 */
    NB_JOURNAL_CP_MISMATCH,       /* a stored checkpoint names another hash than the chain has */
    NB_JOURNAL_CP_SIGNATURE,      /* a stored checkpoint's signature is invalid */
    NB_JOURNAL_NO_KEY,            /* checkpoints exist but the key file is missing */
    NB_JOURNAL_SHORTER,           /* a checkpoint covers entries that are no longer there */
    NB_JOURNAL_WITNESS_SIGNATURE, /* the given checkpoint is not signed by this instance */
    NB_JOURNAL_WITNESS_MISMATCH,  /* entries up to the given checkpoint were rewritten */
};

struct nb_journal_report {
    enum nb_journal_problem problem;
    int64_t seq;                         /* the first entry concerned; 0 when intact */
    char detail[256];                    /* the problem in plain words, or empty */
    int64_t entries;                     /* entries checked (all of them when intact) */
    int64_t checkpoints;                 /* stored checkpoints checked */
    uint8_t head[NB_JOURNAL_HASH_BYTES]; /* recomputed hash of the last entry checked */
    bool have_key;
    uint8_t pk[32]; /* the instance's public key, when have_key */
};

/* Recomputes the whole chain and checks every stored checkpoint (hash and signature) and,
 * when witness is not NULL, that checkpoint too. Reports the first problem by entry number
 * in *r (NB_OK is returned also when a problem was found; errors are failures to check:
 * NB_ERR_DB, NB_ERR_DENIED for an unsafe key file, ...). Reads one snapshot. */
NB_MUST_USE enum nb_err nb_journal_verify(struct nb_store *s,
                                          const struct nb_journal_checkpoint *witness,
                                          struct nb_journal_report *r);

#endif
