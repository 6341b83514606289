/* journal.c: appending to the hash chain, the instance key, checkpoints and verification.
 *
 * Owns the canonical encoding (journal.h) and the key file. The secret key lives only in
 * sodium_malloc memory for the duration of one signature and is freed (which wipes it)
 * right after; nothing keeps it between calls, so a long-running server holds no secret
 * for the journal except while it signs. Rows are read back exactly as stored so that the
 * verifier sees what an attacker left. */
#include "domain/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.h"
#include "base/log.h"
#include "domain/check.h"
#include "store/store_journal.h"

#define SEED_BYTES 32u
static const char sign_tag[16] = {'n', 'o', 't', 'b', 'e', 't', 'r', 'i',
                                  'e', 'b', '-', 'j', 'r', 'n', 'l', '1'};

/* ---- encoding ---- */

static void put_u64(crypto_generichash_state *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (56 - 8 * i));
    crypto_generichash_update(h, b, sizeof(b));
}

static void put_text(crypto_generichash_state *h, struct nb_str s)
{
    unsigned char b[4];
    uint32_t n = (uint32_t)s.len; /* texts are far below 4 GiB: SQLite's own limit is 1 GB */
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(n >> (24 - 8 * i));
    crypto_generichash_update(h, b, sizeof(b));
    if (s.len)
        crypto_generichash_update(h, (const unsigned char *)s.ptr, s.len);
}

void nb_journal_entry_hash(int64_t seq, const struct nb_journal_entry *e,
                           const uint8_t prev[NB_JOURNAL_HASH_BYTES],
                           uint8_t out[NB_JOURNAL_HASH_BYTES])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, NB_JOURNAL_HASH_BYTES);
    crypto_generichash_update(&h, (const unsigned char *)"NBJ1", 4);
    put_u64(&h, (uint64_t)seq);
    put_u64(&h, (uint64_t)e->at);
    unsigned char flag = e->office_id != 0;
    crypto_generichash_update(&h, &flag, 1);
    if (flag)
        put_u64(&h, (uint64_t)e->office_id);
    put_text(&h, e->actor);
    put_text(&h, e->action);
    put_text(&h, e->object);
    put_text(&h, e->summary);
    crypto_generichash_update(&h, prev, NB_JOURNAL_HASH_BYTES);
    crypto_generichash_final(&h, out, NB_JOURNAL_HASH_BYTES);
}

static void to_hex(const uint8_t *bin, size_t n, char *out, size_t outlen)
{
    sodium_bin2hex(out, outlen, bin, n);
}

/* Strict lower- or upper-case hex of exactly n bytes. */
static bool from_hex(const char *hex, size_t hexlen, uint8_t *out, size_t n)
{
    size_t got = 0;
    const char *end = NULL;
    if (hexlen != 2 * n)
        return false;
    return sodium_hex2bin(out, n, hex, hexlen, NULL, &got, &end) == 0 && got == n &&
           end == hex + hexlen;
}

/* ---- entries ---- */

static enum nb_err check_action(struct nb_str a)
{
    if (!a.ptr || a.len == 0)
        return NB_ERR_INPUT;
    if (a.len > NB_JOURNAL_ACTION_MAX)
        return NB_ERR_LIMIT;
    for (size_t i = 0; i < a.len; i++) {
        char c = a.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return NB_ERR_INPUT;
    }
    return NB_OK;
}

static enum nb_err check_entry(const struct nb_journal_entry *e)
{
    enum nb_err err = nb_check_time(e->at);
    if (!err && e->office_id < 0)
        err = NB_ERR_INPUT;
    if (!err)
        err = nb_check_line(e->actor, NB_JOURNAL_ACTOR_MAX, true);
    if (!err)
        err = check_action(e->action);
    if (!err)
        err = nb_check_line(e->object, NB_JOURNAL_OBJECT_MAX, true);
    if (!err)
        err = nb_check_line(e->summary, NB_JOURNAL_SUMMARY_MAX, true);
    return err;
}

enum nb_err nb_journal_append(struct nb_store_tx *tx, const struct nb_journal_entry *e,
                              int64_t *seq)
{
    enum nb_err err = check_entry(e);
    if (err)
        return err;
    if (sodium_init() < 0)
        return NB_ERR_INTERNAL;
    struct nb_store_journal_row r = {.at = e->at,
                                     .office_id = e->office_id,
                                     .actor = e->actor,
                                     .action = e->action,
                                     .object = e->object,
                                     .summary = e->summary};
    uint8_t prev[NB_JOURNAL_HASH_BYTES] = {0}, hash[NB_JOURNAL_HASH_BYTES];
    int64_t head = 0;
    err = nb_store_journal_head(tx, &head, r.prev_hash);
    if (err == NB_ERR_NOTFOUND) {
        head = 0;
        err = NB_OK;
    } else if (!err && !from_hex(r.prev_hash, strlen(r.prev_hash), prev, sizeof(prev))) {
        /* Only a hand-edited database gets here; appending to it would hide the damage. */
        nb_log_error("journal.append", "error=head_hash_malformed seq=%" PRId64, head);
        err = NB_ERR_DB;
    }
    if (err)
        return err;
    r.seq = head + 1;
    to_hex(prev, sizeof(prev), r.prev_hash, sizeof(r.prev_hash));
    nb_journal_entry_hash(r.seq, e, prev, hash);
    to_hex(hash, sizeof(hash), r.hash, sizeof(r.hash));
    err = nb_store_journal_insert(tx, &r);
    if (!err && r.seq % NB_JOURNAL_CHECKPOINT_EVERY == 0) {
        enum nb_err cerr = nb_journal_checkpoint_tx(tx, e->at, NULL);
        if (cerr == NB_ERR_NOTFOUND || cerr == NB_ERR_DENIED || cerr == NB_ERR_INPUT ||
            cerr == NB_ERR_IO)
            nb_log_error("journal.checkpoint",
                         "error=%s seq=%" PRId64
                         " hint=\"the key file DATA/journal.key is missing or unusable\"",
                         nb_err_str(cerr), r.seq);
        else
            err = cerr;
    }
    if (!err && seq)
        *seq = r.seq;
    return err;
}

enum nb_err nb_journal_record(struct nb_store *s, const struct nb_journal_entry *e, int64_t *seq)
{
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_journal_append(tx, e, seq);
    return nb_store_end(&tx, err);
}

/* ---- the key ---- */

static enum nb_err key_path(const char *dir, char *out, size_t n)
{
    int w = snprintf(out, n, "%s/%s", dir, NB_JOURNAL_KEY_FILE);
    return (w < 0 || (size_t)w >= n) ? NB_ERR_LIMIT : NB_OK;
}

enum nb_err nb_journal_key_create(const char *dir)
{
    char path[1100];
    enum nb_err err = key_path(dir, path, sizeof(path));
    if (err)
        return err;
    if (sodium_init() < 0)
        return NB_ERR_INTERNAL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return NB_ERR_CONFLICT;
        nb_log_error("journal.key", "error=create errno=%d", errno);
        return NB_ERR_IO;
    }
    unsigned char *seed = sodium_malloc(SEED_BYTES);
    if (!seed) {
        close(fd);
        unlink(path);
        return NB_ERR_NOMEM;
    }
    randombytes_buf(seed, SEED_BYTES);
    err = nb_fd_write_all(fd, seed, SEED_BYTES);
    sodium_free(seed);
    if (!err && fsync(fd) != 0)
        err = NB_ERR_IO;
    if (close(fd) != 0 && !err)
        err = NB_ERR_IO;
    if (err) {
        nb_log_error("journal.key", "error=write errno=%d", errno);
        unlink(path);
    }
    return err;
}

/* Loads the key in dir: *sk (sodium_malloc, 64 bytes; the caller sodium_frees it) may be
 * NULL when only pk is wanted. */
static enum nb_err key_load(const char *dir, unsigned char **sk, uint8_t pk[32])
{
    char path[1100];
    enum nb_err err = key_path(dir, path, sizeof(path));
    if (err)
        return err;
    if (sodium_init() < 0)
        return NB_ERR_INTERNAL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return NB_ERR_NOTFOUND;
        nb_log_error("journal.key", "error=open errno=%d", errno);
        return errno == ELOOP ? NB_ERR_DENIED : NB_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        err = NB_ERR_IO;
    } else if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 || st.st_uid != geteuid()) {
        nb_log_error("journal.key",
                     "error=unsafe mode=%04o hint=\"the key file must be a "
                     "regular file of this user with mode 0600 (chmod 600)\"",
                     (unsigned)(st.st_mode & 07777));
        err = NB_ERR_DENIED;
    } else if (st.st_size != (off_t)SEED_BYTES) {
        nb_log_error("journal.key", "error=size size=%lld", (long long)st.st_size);
        err = NB_ERR_INPUT;
    }
    unsigned char *seed = NULL, *key = NULL;
    if (!err) {
        seed = sodium_malloc(SEED_BYTES);
        key = sodium_malloc(crypto_sign_SECRETKEYBYTES);
        if (!seed || !key)
            err = NB_ERR_NOMEM;
    }
    size_t got = 0;
    if (!err)
        err = nb_fd_read_full(fd, seed, SEED_BYTES, &got);
    if (!err && got != SEED_BYTES)
        err = NB_ERR_IO; /* shorter than fstat said: changed while we read */
    close(fd);
    if (!err && crypto_sign_seed_keypair(pk, key, seed) != 0)
        err = NB_ERR_INTERNAL;
    if (seed)
        sodium_free(seed);
    if (!err && sk) {
        *sk = key;
        key = NULL;
    }
    if (key)
        sodium_free(key);
    return err;
}

enum nb_err nb_journal_key_ensure(const char *dir, bool *created)
{
    if (created)
        *created = false;
    enum nb_err err = nb_journal_key_create(dir);
    if (!err && created)
        *created = true;
    if (err == NB_ERR_CONFLICT) {
        uint8_t pk[32];
        err = key_load(dir, NULL, pk);
    }
    return err;
}

enum nb_err nb_journal_key_public(const char *dir, uint8_t pk[32])
{
    return key_load(dir, NULL, pk);
}

void nb_journal_fingerprint(const uint8_t pk[32], char out[NB_JOURNAL_FINGERPRINT_TEXT])
{
    uint8_t h[32];
    char hex[33];
    crypto_generichash(h, sizeof(h), pk, 32, NULL, 0);
    to_hex(h, 16, hex, sizeof(hex));
    size_t o = 0;
    for (size_t i = 0; i < 32; i++) {
        if (i && i % 4 == 0)
            out[o++] = ':';
        out[o++] = hex[i];
    }
    out[o] = '\0';
}

/* ---- checkpoints ---- */

static void sign_message(int64_t seq, const uint8_t hash16[NB_JOURNAL_CP_HASH_BYTES],
                         uint8_t msg[40])
{
    memcpy(msg, sign_tag, 16);
    for (int i = 0; i < 8; i++)
        msg[16 + i] = (uint8_t)((uint64_t)seq >> (56 - 8 * i));
    memcpy(msg + 24, hash16, NB_JOURNAL_CP_HASH_BYTES);
}

static bool signature_ok(const uint8_t pk[32], int64_t seq, const uint8_t *hash16,
                         const uint8_t sig[NB_JOURNAL_SIG_BYTES])
{
    uint8_t msg[40];
    sign_message(seq, hash16, msg);
    return crypto_sign_verify_detached(sig, msg, sizeof(msg), pk) == 0;
}

enum nb_err nb_journal_checkpoint_tx(struct nb_store_tx *tx, int64_t at,
                                     struct nb_journal_checkpoint *out)
{
    char dir[1024], hex[NB_STORE_HASH_HEX + 1], sighex[NB_STORE_SIG_HEX + 1];
    struct nb_journal_checkpoint cp;
    uint8_t hash[NB_JOURNAL_HASH_BYTES], pk[32], msg[40];
    unsigned char *sk = NULL;
    enum nb_err err = nb_store_journal_head(tx, &cp.seq, hex);
    if (!err && !from_hex(hex, strlen(hex), hash, sizeof(hash)))
        err = NB_ERR_DB;
    if (!err)
        err = nb_store_journal_dir(tx, dir, sizeof(dir));
    if (!err)
        err = key_load(dir, &sk, pk);
    if (!err) {
        memcpy(cp.hash16, hash, NB_JOURNAL_CP_HASH_BYTES);
        sign_message(cp.seq, cp.hash16, msg);
        if (crypto_sign_detached(cp.sig, NULL, msg, sizeof(msg), sk) != 0)
            err = NB_ERR_INTERNAL;
    }
    if (sk)
        sodium_free(sk);
    if (!err) {
        to_hex(cp.sig, sizeof(cp.sig), sighex, sizeof(sighex));
        err = nb_store_journal_checkpoint_insert(tx, cp.seq, hex, sighex, at);
    }
    if (!err && out)
        *out = cp;
    return err;
}

enum nb_err nb_journal_checkpoint(struct nb_store *s, struct nb_str actor, int64_t at,
                                  struct nb_journal_checkpoint *out)
{
    const struct nb_journal_entry e = {.at = at,
                                       .actor = actor,
                                       .action = NB_STR("journal.checkpoint"),
                                       .object = NB_STR("journal"),
                                       .summary = NB_STR("signed checkpoint of the journal head")};
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_journal_append(tx, &e, NULL);
    if (!err)
        err = nb_journal_checkpoint_tx(tx, at, out);
    return nb_store_end(&tx, err);
}

void nb_journal_checkpoint_format(const struct nb_journal_checkpoint *cp,
                                  char out[NB_JOURNAL_CP_TEXT])
{
    char hex[2 * NB_JOURNAL_CP_HASH_BYTES + 1];
    char sig[sodium_base64_ENCODED_LEN(NB_JOURNAL_SIG_BYTES,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    to_hex(cp->hash16, sizeof(cp->hash16), hex, sizeof(hex));
    sodium_bin2base64(sig, sizeof(sig), cp->sig, sizeof(cp->sig),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, NB_JOURNAL_CP_TEXT, "nbj1-%" PRId64 "-%.8s-%.8s-%.8s-%.8s-%s", cp->seq, hex,
             hex + 8, hex + 16, hex + 24, sig);
}

enum nb_err nb_journal_checkpoint_parse(struct nb_str text, struct nb_journal_checkpoint *cp)
{
    struct nb_str rest = nb_str_trim(text), field;
    if (rest.len == 0 || rest.len >= NB_JOURNAL_CP_TEXT)
        return NB_ERR_INPUT;
    rest = nb_str_cut(rest, '-', &field);
    if (!nb_str_eq_nocase(field, NB_STR("nbj1")))
        return NB_ERR_INPUT;
    rest = nb_str_cut(rest, '-', &field);
    uint64_t seq = 0;
    if (!nb_str_to_u64(field, (uint64_t)INT64_MAX, &seq) || seq == 0)
        return NB_ERR_INPUT;
    cp->seq = (int64_t)seq;
    for (size_t g = 0; g < 4; g++) {
        rest = nb_str_cut(rest, '-', &field);
        if (!field.ptr || !from_hex(field.ptr, field.len, cp->hash16 + 4 * g, 4))
            return NB_ERR_INPUT;
    }
    /* everything after the sixth '-' is the signature (base64url may contain '-') */
    size_t got = 0;
    const char *end = NULL;
    if (!rest.ptr || rest.len == 0 ||
        sodium_base642bin(cp->sig, sizeof(cp->sig), rest.ptr, rest.len, NULL, &got, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        got != sizeof(cp->sig) || end != rest.ptr + rest.len)
        return NB_ERR_INPUT;
    return NB_OK;
}

/* ---- verification ---- */

struct verify {
    struct nb_journal_report *r;
    const struct nb_journal_checkpoint *witness;
    json_t *cps; /* stored checkpoints by seq */
    size_t next_cp;
    int64_t expect;
    uint8_t prev[NB_JOURNAL_HASH_BYTES];
};

static bool problem(struct verify *v, enum nb_journal_problem p, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool problem(struct verify *v, enum nb_journal_problem p, int64_t seq, const char *fmt, ...)
{
    v->r->problem = p;
    v->r->seq = seq;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->r->detail, sizeof(v->r->detail), fmt, ap);
    va_end(ap);
    return false;
}

/* Checks the stored checkpoints of entry seq, whose recomputed hash is hash. */
static bool check_checkpoints(struct verify *v, int64_t seq, const uint8_t *hash)
{
    bool seen = false;
    while (v->next_cp < json_array_size(v->cps)) {
        json_t *c = json_array_get(v->cps, v->next_cp);
        if (json_integer_value(json_object_get(c, "seq")) != seq)
            break;
        v->next_cp++;
        seen = true;
        const char *h = json_string_value(json_object_get(c, "hash"));
        const char *s = json_string_value(json_object_get(c, "signature"));
        uint8_t stored[NB_JOURNAL_HASH_BYTES], sig[NB_JOURNAL_SIG_BYTES];
        if (!h || !from_hex(h, strlen(h), stored, sizeof(stored)) ||
            sodium_memcmp(stored, hash, sizeof(stored)) != 0)
            return problem(v, NB_JOURNAL_CP_MISMATCH, seq,
                           "the stored checkpoint of entry %" PRId64
                           " names another hash than the journal has: entries up to it were "
                           "rewritten, or the checkpoint was",
                           seq);
        if (!v->r->have_key)
            return problem(v, NB_JOURNAL_NO_KEY, seq,
                           "the checkpoint of entry %" PRId64
                           " cannot be checked: the key file %s is missing",
                           seq, NB_JOURNAL_KEY_FILE);
        if (!s || !from_hex(s, strlen(s), sig, sizeof(sig)) ||
            !signature_ok(v->r->pk, seq, stored, sig))
            return problem(v, NB_JOURNAL_CP_SIGNATURE, seq,
                           "the stored checkpoint of entry %" PRId64
                           " has no valid signature of this instance's key",
                           seq);
        v->r->checkpoints++;
    }
    if (!seen && seq % NB_JOURNAL_CHECKPOINT_EVERY == 0)
        return problem(v, NB_JOURNAL_CP_MISSING, seq,
                       "the automatic checkpoint of entry %" PRId64 " is missing", seq);
    if (v->witness && v->witness->seq == seq &&
        sodium_memcmp(v->witness->hash16, hash, NB_JOURNAL_CP_HASH_BYTES) != 0)
        return problem(v, NB_JOURNAL_WITNESS_MISMATCH, seq,
                       "entries up to %" PRId64
                       " no longer hash to the given checkpoint: the journal was rewritten "
                       "at or before entry %" PRId64,
                       seq, seq);
    return true;
}

static bool verify_row(void *ctx, const struct nb_store_journal_row *row)
{
    struct verify *v = ctx;
    int64_t seq = v->expect;
    if (row->seq != seq)
        return problem(v, NB_JOURNAL_MISSING, seq,
                       "entry %" PRId64 " is missing (deleted); the next stored entry is %" PRId64,
                       seq, row->seq);
    const struct nb_journal_entry e = {.at = row->at,
                                       .office_id = row->office_id,
                                       .actor = row->actor,
                                       .action = row->action,
                                       .object = row->object,
                                       .summary = row->summary};
    uint8_t stored_prev[NB_JOURNAL_HASH_BYTES], stored[NB_JOURNAL_HASH_BYTES],
        hash[NB_JOURNAL_HASH_BYTES];
    bool prev_ok =
        from_hex(row->prev_hash, strlen(row->prev_hash), stored_prev, sizeof(stored_prev));
    bool hash_ok = from_hex(row->hash, strlen(row->hash), stored, sizeof(stored));
    if (prev_ok) {
        nb_journal_entry_hash(seq, &e, stored_prev, hash);
        hash_ok = hash_ok && sodium_memcmp(hash, stored, sizeof(hash)) == 0;
    }
    if (!prev_ok || !hash_ok)
        return problem(v, NB_JOURNAL_CHANGED, seq,
                       "entry %" PRId64 " was changed or moved: its fields do not match its hash",
                       seq);
    if (sodium_memcmp(stored_prev, v->prev, sizeof(stored_prev)) != 0)
        return problem(v, NB_JOURNAL_LINK, seq,
                       "entry %" PRId64 " does not follow entry %" PRId64
                       ": an entry was inserted, replaced or moved here",
                       seq, seq - 1);
    memcpy(v->prev, hash, sizeof(hash));
    memcpy(v->r->head, hash, sizeof(hash));
    v->r->entries = seq;
    v->expect = seq + 1;
    return check_checkpoints(v, seq, hash);
}

enum nb_err nb_journal_verify(struct nb_store *s, const struct nb_journal_checkpoint *witness,
                              struct nb_journal_report *r)
{
    memset(r, 0, sizeof(*r));
    if (sodium_init() < 0)
        return NB_ERR_INTERNAL;
    struct verify v = {.r = r, .witness = witness, .expect = 1};
    struct nb_store_tx *tx;
    char dir[1024];
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_journal_dir(tx, dir, sizeof(dir));
    if (!err) {
        err = key_load(dir, NULL, r->pk);
        r->have_key = err == NB_OK;
        if (err == NB_ERR_NOTFOUND)
            err = NB_OK;
    }
    if (!err)
        err = nb_store_journal_checkpoint_list(tx, &v.cps);
    bool go = true;
    if (!err && witness) {
        if (!r->have_key)
            go = problem(&v, NB_JOURNAL_NO_KEY, witness->seq,
                         "the checkpoint cannot be checked: the key file %s is missing",
                         NB_JOURNAL_KEY_FILE);
        else if (!signature_ok(r->pk, witness->seq, witness->hash16, witness->sig))
            go = problem(&v, NB_JOURNAL_WITNESS_SIGNATURE, witness->seq,
                         "the given checkpoint of entry %" PRId64
                         " is not signed by this instance's key (mistyped, or the key was "
                         "replaced)",
                         witness->seq);
    }
    if (!err && go)
        err = nb_store_journal_each(tx, verify_row, &v);
    if (!err && r->problem == NB_JOURNAL_INTACT) {
        int64_t head = v.expect - 1;
        if (v.next_cp < json_array_size(v.cps)) {
            json_t *c = json_array_get(v.cps, v.next_cp);
            problem(&v, NB_JOURNAL_SHORTER, head + 1,
                    "the journal ends at entry %" PRId64 " but a stored checkpoint covers entry "
                    "%" JSON_INTEGER_FORMAT ": entries from %" PRId64 " on were deleted",
                    head, json_integer_value(json_object_get(c, "seq")), head + 1);
        } else if (witness && witness->seq > head) {
            problem(&v, NB_JOURNAL_SHORTER, head + 1,
                    "the journal ends at entry %" PRId64 " but the given checkpoint covers "
                    "entry %" PRId64 ": entries from %" PRId64 " on were deleted",
                    head, witness->seq, head + 1);
        }
    }
    json_decref(v.cps);
    nb_store_rollback(&tx);
    return err;
}
