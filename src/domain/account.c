/* account.c: accounts, setup links, passwords, TOTP and recovery codes.
 *
 * Invariants: an account is "active" only with a password hash and a TOTP secret (the schema
 * checks it too); a setup link exists at most once per account and is deleted when used; no
 * secret but the TOTP key is ever stored in clear. The slow argon2id work runs outside any
 * store transaction, so a login does not hold the write lock for 0.1 s: the setup reads and
 * checks in one transaction, hashes, then re-checks and writes in a second. */
#include "domain/account.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "domain/check.h"
#include "store/store_account.h"
#include "base/resource.h"

static const char *const role_names[] = {
    [NB_ROLE_ADMIN] = "admin",
    [NB_ROLE_EDITOR] = "editor",
    [NB_ROLE_CASEWORKER] = "caseworker",
    [NB_ROLE_DPO] = "dpo",
};

const char *nb_account_role_name(enum nb_account_role role)
{
    if ((unsigned)role < sizeof(role_names) / sizeof(role_names[0]))
        return role_names[role];
    return "caseworker";
}

enum nb_err nb_account_role_parse(struct nb_str name, enum nb_account_role *role)
{
    for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++) {
        if (nb_str_eq_c(name, role_names[i])) {
            *role = (enum nb_account_role)i;
            return NB_OK;
        }
    }
    return NB_ERR_INPUT;
}

/* ---- libraries ---------------------------------------------------------------------------- */

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static bool crypto_ok;
/* An argon2id hash of a random password: checked against when there is no account, so that a
 * wrong name costs the same time as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];

static void crypto_start(void)
{
    if (sodium_init() < 0 || oath_init() != OATH_OK)
        return;
    unsigned char pw[16];
    randombytes_buf(pw, sizeof(pw));
    crypto_ok = crypto_pwhash_str(dummy_hash, (const char *)pw, sizeof(pw),
                                  crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                  crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

static enum nb_err crypto_ready(void)
{
    pthread_once(&crypto_once, crypto_start);
    return crypto_ok ? NB_OK : NB_ERR_INTERNAL;
}

/* ---- names -------------------------------------------------------------------------------- */

/* Checks a login name and lowers it into out (NB_ACCOUNT_NAME_MAX + 1 bytes). */
static enum nb_err norm_name(struct nb_str in, char *out, struct nb_str *norm)
{
    if (!in.ptr || in.len == 0)
        return NB_ERR_INPUT;
    if (in.len > NB_ACCOUNT_NAME_MAX)
        return NB_ERR_LIMIT;
    for (size_t i = 0; i < in.len; i++) {
        char c = in.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return NB_ERR_INPUT;
        out[i] = c;
    }
    out[in.len] = '\0';
    *norm = (struct nb_str){out, in.len};
    return NB_OK;
}

/* ---- password rules ----------------------------------------------------------------------- */

#define FOLD_MAX 1024u

/* Lowers ASCII and Latin-1 capitals (Ä Ö Ü and the rest of U+00C0..U+00DE) and capital sharp
 * s into out (FOLD_MAX bytes): enough for the German and English passwords of the list. A
 * fold never grows the text. False for invalid UTF-8 or text that does not fit. */
static bool fold(struct nb_str in, char *out, size_t *outlen)
{
    size_t n = 0;
    if (!in.ptr) {
        *outlen = 0;
        return true;
    }
    if (in.len >= FOLD_MAX)
        return false;
    for (size_t i = 0; i < in.len;) {
        uint32_t cp;
        size_t used = nb_utf8_decode(in.ptr + i, in.len - i, &cp);
        if (used == 0)
            return false;
        i += used;
        if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
            cp += 0x20;
        else if (cp == 0x1E9E)
            cp = 0xDF;
        n += nb_utf8_encode(cp, out + n);
    }
    *outlen = n;
    return true;
}

static bool contains(const char *hay, size_t haylen, const char *needle, size_t len)
{
    return len > 0 && memmem(hay, haylen, needle, len) != NULL;
}

static bool is_common(const char *pw, size_t len)
{
    const struct nb_resource *r = nb_resource_get("lists/common-passwords.txt");
    if (!r)
        return false;
    struct nb_str rest = {r->data, r->len};
    char line[FOLD_MAX];
    while (rest.ptr && rest.len > 0) {
        struct nb_str head;
        rest = nb_str_cut(rest, '\n', &head);
        if (head.len > 0 && head.ptr[head.len - 1] == '\r')
            head.len--;
        if (head.len == 0 || head.ptr[0] == '#')
            continue;
        size_t n;
        if (fold(head, line, &n) && n == len && memcmp(line, pw, len) == 0)
            return true;
    }
    return false;
}

/* True when pw contains a word of text (split at anything but letters and digits) of at least
 * five code points. text is folded already. */
static bool contains_word(const char *pw, size_t len, const char *text, size_t tlen)
{
    size_t i = 0;
    while (i < tlen) {
        while (i < tlen && !((unsigned char)text[i] >= 0x80 || (text[i] >= 'a' && text[i] <= 'z') ||
                             (text[i] >= '0' && text[i] <= '9')))
            i++;
        size_t start = i;
        while (i < tlen && ((unsigned char)text[i] >= 0x80 || (text[i] >= 'a' && text[i] <= 'z') ||
                            (text[i] >= '0' && text[i] <= '9')))
            i++;
        if (nb_utf8_count(text + start, i - start) >= 5 &&
            contains(pw, len, text + start, i - start))
            return true;
    }
    return false;
}

enum nb_password_verdict nb_account_password_check(struct nb_str password,
                                                   struct nb_str office_name,
                                                   struct nb_str office_slug)
{
    if (!password.ptr || !nb_utf8_valid(password.ptr, password.len) ||
        nb_utf8_has_controls(password.ptr, password.len) ||
        memchr(password.ptr, '\t', password.len) || memchr(password.ptr, '\n', password.len) ||
        memchr(password.ptr, '\r', password.len))
        return NB_PASSWORD_INVALID;
    size_t cps = nb_utf8_count(password.ptr, password.len);
    if (cps < NB_PASSWORD_MIN)
        return NB_PASSWORD_SHORT;
    if (cps > NB_PASSWORD_MAX)
        return NB_PASSWORD_LONG;
    char pw[FOLD_MAX], name[FOLD_MAX], slug[FOLD_MAX];
    size_t pwlen, namelen = 0, sluglen = 0;
    if (!fold(password, pw, &pwlen))
        return NB_PASSWORD_INVALID;
    if (is_common(pw, pwlen))
        return NB_PASSWORD_COMMON;
    bool have_name = fold(office_name, name, &namelen);
    bool have_slug = fold(office_slug, slug, &sluglen);
    if ((have_name &&
         (contains(pw, pwlen, name, namelen) || contains_word(pw, pwlen, name, namelen))) ||
        (have_slug &&
         (contains(pw, pwlen, slug, sluglen) || contains_word(pw, pwlen, slug, sluglen))))
        return NB_PASSWORD_OFFICE;
    return NB_PASSWORD_OK;
}

/* ---- tokens, codes and hashes -------------------------------------------------------------- */

#define HASH_HEX (crypto_generichash_BYTES * 2 + 1)

/* Hex of the BLAKE2b-256 hash of a setup token; NB_ERR_NOTFOUND for a malformed token. */
static enum nb_err token_hash(struct nb_str token, char hex[HASH_HEX])
{
    unsigned char bin[32], h[crypto_generichash_BYTES];
    size_t binlen = 0;
    if (!token.ptr || token.len != NB_ACCOUNT_TOKEN_LEN ||
        sodium_base642bin(bin, sizeof(bin), token.ptr, token.len, NULL, &binlen, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        binlen != sizeof(bin))
        return NB_ERR_NOTFOUND;
    crypto_generichash(h, sizeof(h), bin, sizeof(bin), NULL, 0);
    sodium_bin2hex(hex, HASH_HEX, h, sizeof(h));
    return NB_OK;
}

/* A fresh link: random token, its hash in hex, the expiry. */
static enum nb_err new_link(int64_t now, struct nb_account_link *link, char hex[HASH_HEX])
{
    unsigned char bin[32];
    randombytes_buf(bin, sizeof(bin));
    sodium_bin2base64(link->token, sizeof(link->token), bin, sizeof(bin),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bin, sizeof(bin));
    link->expires_at = now + NB_SETUP_LINK_SECONDS;
    return token_hash(nb_str_c(link->token), hex);
}

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
#define CODE_CHARS 16u

/* The 16 code characters of a recovery code as typed, or false. */
static bool norm_code(struct nb_str in, char out[CODE_CHARS])
{
    size_t n = 0;
    for (size_t i = 0; in.ptr && i < in.len; i++) {
        char c = in.ptr[i];
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c == 'O')
            c = '0';
        else if (c == 'I' || c == 'L')
            c = '1';
        if (n == CODE_CHARS || c == '\0' || !memchr(crockford, c, sizeof(crockford) - 1))
            return false;
        out[n++] = c;
    }
    return n == CODE_CHARS;
}

static void code_hash(int64_t account_id, const char code[CODE_CHARS], char hex[HASH_HEX])
{
    unsigned char buf[8 + CODE_CHARS], h[crypto_generichash_BYTES];
    for (int i = 0; i < 8; i++)
        buf[i] = (unsigned char)((uint64_t)account_id >> (8 * i));
    memcpy(buf + 8, code, CODE_CHARS);
    crypto_generichash(h, sizeof(h), buf, sizeof(buf), NULL, 0);
    sodium_bin2hex(hex, HASH_HEX, h, sizeof(h));
    sodium_memzero(buf, sizeof(buf));
}

/* Ten fresh codes in rc (printed form) and their hashes in hex. */
static void new_codes(int64_t account_id, struct nb_account_recovery *rc,
                      char hex[NB_ACCOUNT_RECOVERY_CODES][HASH_HEX])
{
    for (size_t k = 0; k < NB_ACCOUNT_RECOVERY_CODES; k++) {
        unsigned char bits[10]; /* 80 bits = 16 characters of 5 bits */
        char code[CODE_CHARS];
        randombytes_buf(bits, sizeof(bits));
        for (size_t i = 0; i < CODE_CHARS; i++) {
            size_t bit = i * 5;
            unsigned v = ((unsigned)bits[bit / 8] << 8) |
                         (bit / 8 + 1 < sizeof(bits) ? bits[bit / 8 + 1] : 0u);
            code[i] = crockford[(v >> (11 - bit % 8)) & 31u];
        }
        char *p = rc->codes[k];
        for (size_t i = 0, j = 0; i < CODE_CHARS; i++) {
            if (i > 0 && i % 4 == 0)
                p[j++] = '-';
            p[j++] = code[i];
        }
        p[NB_ACCOUNT_RECOVERY_LEN] = '\0';
        code_hash(account_id, code, hex[k]);
        sodium_memzero(bits, sizeof(bits));
        sodium_memzero(code, sizeof(code));
    }
}

/* ---- TOTP --------------------------------------------------------------------------------- */

/* The step of code among the steps of now-1..now+1 later than last, or -1. */
static int64_t totp_match(const unsigned char *secret, struct nb_str code, int64_t now,
                          int64_t last)
{
    if (!code.ptr || code.len != NB_TOTP_DIGITS || now < 0)
        return -1;
    for (size_t i = 0; i < code.len; i++)
        if (code.ptr[i] < '0' || code.ptr[i] > '9')
            return -1;
    int64_t cur = now / NB_TOTP_STEP, found = -1;
    for (int64_t step = cur - 1; step <= cur + 1; step++) {
        char want[NB_TOTP_DIGITS + 1];
        if (step <= last || step < 0)
            continue;
        if (oath_totp_generate((const char *)secret, NB_TOTP_SECRET_BYTES,
                               (time_t)(step * NB_TOTP_STEP), NB_TOTP_STEP,
                               OATH_TOTP_DEFAULT_START_TIME, NB_TOTP_DIGITS, want) != OATH_OK)
            return -1;
        if (found < 0 && sodium_memcmp(want, code.ptr, NB_TOTP_DIGITS) == 0)
            found = step;
    }
    return found;
}

static bool secret_of(const char *hex, unsigned char out[NB_TOTP_SECRET_BYTES])
{
    size_t n = 0;
    return hex &&
           sodium_hex2bin(out, NB_TOTP_SECRET_BYTES, hex, strlen(hex), NULL, &n, NULL) == 0 &&
           n == NB_TOTP_SECRET_BYTES;
}

/* Appends s percent-encoded (RFC 3986 unreserved characters stay) to buf at *n. */
static bool put_pct(char *buf, size_t cap, size_t *n, const char *s, size_t len, bool encode)
{
    static const char hexd[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool plain = !encode || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (*n + (plain ? 1 : 3) >= cap)
            return false;
        if (plain) {
            buf[(*n)++] = (char)c;
        } else {
            buf[(*n)++] = '%';
            buf[(*n)++] = hexd[c >> 4];
            buf[(*n)++] = hexd[c & 15];
        }
    }
    buf[*n] = '\0';
    return true;
}

static enum nb_err fill_enrol(const char *issuer, const char *name,
                              const unsigned char secret[NB_TOTP_SECRET_BYTES],
                              struct nb_account_enrol *e)
{
    char *b32 = NULL;
    size_t b32len = 0;
    if (oath_base32_encode((const char *)secret, NB_TOTP_SECRET_BYTES, &b32, &b32len) != OATH_OK)
        return NB_ERR_INTERNAL;
    while (b32len > 0 && b32[b32len - 1] == '=')
        b32len--;
    if (b32len >= sizeof(e->base32)) {
        free(b32);
        return NB_ERR_INTERNAL;
    }
    memcpy(e->base32, b32, b32len);
    e->base32[b32len] = '\0';
    sodium_memzero(b32, b32len);
    free(b32);
    memcpy(e->secret, secret, NB_TOTP_SECRET_BYTES);
    snprintf(e->name, sizeof(e->name), "%s", name);
    size_t n = 0, cap = sizeof(e->uri);
    bool ok = put_pct(e->uri, cap, &n, "otpauth://totp/", 15, false) &&
              put_pct(e->uri, cap, &n, issuer, strlen(issuer), true) &&
              put_pct(e->uri, cap, &n, ":", 1, false) &&
              put_pct(e->uri, cap, &n, name, strlen(name), true) &&
              put_pct(e->uri, cap, &n, "?secret=", 8, false) &&
              put_pct(e->uri, cap, &n, e->base32, strlen(e->base32), false) &&
              put_pct(e->uri, cap, &n, "&issuer=", 8, false) &&
              put_pct(e->uri, cap, &n, issuer, strlen(issuer), true) &&
              put_pct(e->uri, cap, &n, "&algorithm=SHA1&digits=6&period=30", 34, false);
    return ok ? NB_OK : NB_ERR_LIMIT;
}

/* ---- accounts ----------------------------------------------------------------------------- */

static enum nb_err account_get(struct nb_store_tx *tx, int64_t office_id, struct nb_str name,
                               json_t **acc)
{
    char buf[NB_ACCOUNT_NAME_MAX + 1];
    struct nb_str norm;
    *acc = NULL;
    enum nb_err err = norm_name(name, buf, &norm);
    if (err)
        return NB_ERR_NOTFOUND;
    return nb_store_account_get(tx, office_id, norm, acc);
}

static int64_t jint(const json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

enum nb_err nb_account_create(struct nb_store *s, int64_t office_id, struct nb_str name,
                              enum nb_account_role role, int64_t now, struct nb_account_link *link)
{
    char buf[NB_ACCOUNT_NAME_MAX + 1], hex[HASH_HEX];
    struct nb_str norm;
    enum nb_err err = norm_name(name, buf, &norm);
    if (!err)
        err = nb_check_time(now);
    if (!err)
        err = crypto_ready();
    if (!err)
        err = new_link(now, link, hex);
    if (err)
        return err;
    struct nb_store_tx *tx;
    json_t *office = NULL;
    int64_t id = 0;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_office_get(tx, office_id, &office);
    json_decref(office);
    if (!err)
        err = nb_store_account_insert(tx, office_id, norm, nb_str_c(nb_account_role_name(role)),
                                      now, &id);
    if (!err)
        err = nb_store_setup_put(tx, office_id, id, nb_str_c(hex), now, link->expires_at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_account_reset(struct nb_store *s, int64_t office_id, struct nb_str name, int64_t now,
                             struct nb_account_link *link)
{
    char hex[HASH_HEX];
    enum nb_err err = nb_check_time(now);
    if (!err)
        err = crypto_ready();
    if (!err)
        err = new_link(now, link, hex);
    if (err)
        return err;
    struct nb_store_tx *tx;
    json_t *acc = NULL;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = account_get(tx, office_id, name, &acc);
    int64_t id = jint(acc, "id");
    json_decref(acc);
    if (!err)
        err = nb_store_account_clear(tx, office_id, id, now);
    if (!err)
        err = nb_store_setup_put(tx, office_id, id, nb_str_c(hex), now, link->expires_at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_account_office_of(struct nb_store *s, struct nb_str name, int64_t *office_id)
{
    char buf[NB_ACCOUNT_NAME_MAX + 1];
    struct nb_str norm;
    if (norm_name(name, buf, &norm) != NB_OK)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx;
    json_t *list = NULL;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_account_offices(tx, norm, &list);
    if (!err && json_array_size(list) == 0)
        err = NB_ERR_NOTFOUND;
    if (!err && json_array_size(list) > 1)
        err = NB_ERR_CONFLICT;
    if (!err)
        *office_id = jint(json_array_get(list, 0), "office_id");
    json_decref(list);
    return nb_store_end(&tx, err);
}

/* The account object without secrets, with recovery_left; by name when name.ptr, else by id. */
static enum nb_err public_account(struct nb_store *s, int64_t office_id, struct nb_str name,
                                  int64_t id, json_t **out)
{
    struct nb_store_tx *tx;
    json_t *acc = NULL;
    int64_t left = 0;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = name.ptr ? account_get(tx, office_id, name, &acc)
                       : nb_store_account_get_by_id(tx, office_id, id, &acc);
    if (!err)
        err = nb_store_recovery_left(tx, office_id, jint(acc, "id"), &left);
    if (!err) {
        json_object_del(acc, "password_hash");
        json_object_del(acc, "totp_secret");
        json_object_del(acc, "totp_last_step");
        if (json_object_set_new(acc, "recovery_left", json_integer(left)) != 0)
            err = NB_ERR_NOMEM;
    }
    *out = acc;
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_account_find(struct nb_store *s, int64_t office_id, struct nb_str name, json_t **out)
{
    if (!name.ptr) {
        *out = NULL;
        return NB_ERR_NOTFOUND;
    }
    return public_account(s, office_id, name, 0, out);
}

enum nb_err nb_account_get(struct nb_store *s, int64_t office_id, int64_t account_id, json_t **out)
{
    return public_account(s, office_id, (struct nb_str){NULL, 0}, account_id, out);
}

enum nb_err nb_account_list(struct nb_store *s, int64_t office_id, int64_t now, json_t **out)
{
    *out = NULL;
    enum nb_err err = nb_check_time(now);
    if (err)
        return err;
    struct nb_store_tx *tx = NULL;
    err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_account_list(tx, office_id, now - NB_SESSION_IDLE_SECONDS,
                                    now - NB_SESSION_ABSOLUTE_SECONDS, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_account_count(struct nb_store *s, int64_t *n)
{
    struct nb_store_tx *tx;
    enum nb_err err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_account_count(tx, n);
    return nb_store_end(&tx, err);
}

enum nb_err nb_account_set_role(struct nb_store *s, int64_t office_id, struct nb_str name,
                                enum nb_account_role role, int64_t now)
{
    struct nb_store_tx *tx;
    json_t *acc = NULL;
    enum nb_err err = nb_check_time(now);
    if (!err)
        err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    err = account_get(tx, office_id, name, &acc);
    if (!err)
        err = nb_store_account_set_role(tx, office_id, jint(acc, "id"),
                                        nb_str_c(nb_account_role_name(role)), now);
    json_decref(acc);
    return nb_store_end(&tx, err);
}

enum nb_err nb_account_disable(struct nb_store *s, int64_t office_id, struct nb_str name,
                               int64_t now)
{
    struct nb_store_tx *tx;
    json_t *acc = NULL;
    enum nb_err err = nb_check_time(now);
    if (!err)
        err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    err = account_get(tx, office_id, name, &acc);
    if (!err)
        err = nb_store_account_disable(tx, office_id, jint(acc, "id"), now);
    json_decref(acc);
    return nb_store_end(&tx, err);
}

/* ---- setup -------------------------------------------------------------------------------- */

/* The live link of token (not expired) as a setup link object. */
static enum nb_err live_link(struct nb_store_tx *tx, int64_t office_id, const char *hex,
                             int64_t now, json_t **link)
{
    enum nb_err err = nb_store_setup_get(tx, office_id, nb_str_c(hex), link);
    if (!err && now >= jint(*link, "expires_at"))
        err = NB_ERR_NOTFOUND;
    if (err) {
        json_decref(*link);
        *link = NULL;
    }
    return err;
}

enum nb_err nb_account_setup_start(struct nb_store *s, int64_t office_id, struct nb_str token,
                                   int64_t now, struct nb_account_enrol *e)
{
    char hex[HASH_HEX];
    enum nb_err err = crypto_ready();
    if (!err)
        err = token_hash(token, hex);
    if (err)
        return err;
    struct nb_store_tx *tx;
    json_t *link = NULL, *office = NULL;
    unsigned char secret[NB_TOTP_SECRET_BYTES];
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = live_link(tx, office_id, hex, now, &link);
    if (!err)
        err = nb_store_office_get(tx, office_id, &office);
    if (!err && !secret_of(jstr(link, "pending_totp"), secret)) {
        char shex[NB_TOTP_SECRET_BYTES * 2 + 1];
        randombytes_buf(secret, sizeof(secret));
        sodium_bin2hex(shex, sizeof(shex), secret, sizeof(secret));
        err = nb_store_setup_set_pending(tx, office_id, nb_str_c(hex), nb_str_c(shex));
        sodium_memzero(shex, sizeof(shex));
    }
    if (!err)
        err = fill_enrol(jstr(office, "name"), jstr(link, "name"), secret, e);
    sodium_memzero(secret, sizeof(secret));
    json_decref(link);
    json_decref(office);
    return nb_store_end(&tx, err);
}

enum nb_err nb_account_setup_finish(struct nb_store *s, int64_t office_id, struct nb_str token,
                                    struct nb_str password, struct nb_str totp_code, int64_t now,
                                    const struct nb_journal_entry *record,
                                    struct nb_account_recovery *rc)
{
    char hex[HASH_HEX];
    enum nb_err err = crypto_ready();
    if (!err)
        err = token_hash(token, hex);
    if (err)
        return err;
    /* First pass: read and check everything, without the write lock. */
    struct nb_store_tx *tx;
    json_t *link = NULL, *office = NULL;
    unsigned char secret[NB_TOTP_SECRET_BYTES];
    int64_t step = -1;
    err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = live_link(tx, office_id, hex, now, &link);
    if (!err)
        err = nb_store_office_get(tx, office_id, &office);
    if (!err && !secret_of(jstr(link, "pending_totp"), secret))
        err = NB_ERR_NOTFOUND;
    if (!err && nb_account_password_check(password, nb_str_c(jstr(office, "name")),
                                          nb_str_c(jstr(office, "slug"))) != NB_PASSWORD_OK)
        err = NB_ERR_INPUT;
    if (!err && (step = totp_match(secret, totp_code, now, -1)) < 0)
        err = NB_ERR_DENIED;
    int64_t account_id = jint(link, "account_id");
    char pending[NB_TOTP_SECRET_BYTES * 2 + 1] = "";
    if (!err)
        snprintf(pending, sizeof(pending), "%s", jstr(link, "pending_totp"));
    json_decref(link);
    json_decref(office);
    link = NULL;
    err = nb_store_end(&tx, err);
    sodium_memzero(secret, sizeof(secret));
    if (err)
        return err;

    char phash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(phash, password.ptr, password.len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return NB_ERR_NOMEM;
    char codes_hex[NB_ACCOUNT_RECOVERY_CODES][HASH_HEX];
    struct nb_str hashes[NB_ACCOUNT_RECOVERY_CODES];
    new_codes(account_id, rc, codes_hex);
    for (size_t i = 0; i < NB_ACCOUNT_RECOVERY_CODES; i++)
        hashes[i] = nb_str_c(codes_hex[i]);

    /* Second pass: the link must still be the one checked (not used or replaced meanwhile). */
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = live_link(tx, office_id, hex, now, &link);
    if (!err && (jint(link, "account_id") != account_id || !jstr(link, "pending_totp") ||
                 strcmp(jstr(link, "pending_totp"), pending) != 0))
        err = NB_ERR_NOTFOUND;
    json_decref(link);
    if (!err)
        err = nb_store_account_activate(tx, office_id, account_id, nb_str_c(phash),
                                        nb_str_c(pending), step, now);
    if (!err)
        err = nb_store_recovery_put(tx, office_id, account_id, hashes, NB_ACCOUNT_RECOVERY_CODES);
    if (!err)
        err = nb_store_setup_remove(tx, office_id, account_id);
    if (!err && record)
        err = nb_journal_append(tx, record, NULL);
    err = nb_store_end(&tx, err);
    sodium_memzero(pending, sizeof(pending));
    if (err)
        sodium_memzero(rc, sizeof(*rc));
    return err;
}

/* ---- login -------------------------------------------------------------------------------- */

enum nb_err nb_account_check_password(struct nb_store *s, int64_t office_id, struct nb_str name,
                                      struct nb_str password)
{
    enum nb_err err = crypto_ready();
    if (err)
        return err;
    char hash[crypto_pwhash_STRBYTES];
    snprintf(hash, sizeof(hash), "%s", dummy_hash);
    bool real = false;
    struct nb_store_tx *tx;
    json_t *acc = NULL;
    err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = account_get(tx, office_id, name, &acc);
    if (!err && nb_str_eq_c(nb_str_c(jstr(acc, "state")), "active") && jstr(acc, "password_hash") &&
        strlen(jstr(acc, "password_hash")) < sizeof(hash)) {
        snprintf(hash, sizeof(hash), "%s", jstr(acc, "password_hash"));
        real = true;
    }
    json_decref(acc);
    err = nb_store_end(&tx, err);
    if (err && err != NB_ERR_NOTFOUND)
        return err;
    /* Over-long input cannot be a stored password; still spend the time of a check. */
    size_t len = password.ptr ? password.len : 0;
    if (len > 4 * NB_PASSWORD_MAX) {
        len = 4 * NB_PASSWORD_MAX;
        real = false;
    }
    bool match = crypto_pwhash_str_verify(hash, password.ptr ? password.ptr : "", len) == 0;
    return real && match ? NB_OK : NB_ERR_DENIED;
}

enum nb_err nb_account_check_totp(struct nb_store *s, int64_t office_id, struct nb_str name,
                                  struct nb_str code, int64_t now)
{
    enum nb_err err = crypto_ready();
    if (err)
        return err;
    struct nb_store_tx *tx;
    json_t *acc = NULL;
    unsigned char secret[NB_TOTP_SECRET_BYTES];
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    err = account_get(tx, office_id, name, &acc);
    if (!err && (!nb_str_eq_c(nb_str_c(jstr(acc, "state")), "active") ||
                 !secret_of(jstr(acc, "totp_secret"), secret)))
        err = NB_ERR_DENIED;
    int64_t step = -1;
    if (!err && (step = totp_match(secret, code, now, jint(acc, "totp_last_step"))) < 0)
        err = NB_ERR_DENIED;
    if (!err)
        err = nb_store_account_use_step(tx, office_id, jint(acc, "id"), step);
    sodium_memzero(secret, sizeof(secret));
    json_decref(acc);
    err = nb_store_end(&tx, err);
    return err == NB_ERR_NOTFOUND || err == NB_ERR_CONFLICT ? NB_ERR_DENIED : err;
}

enum nb_err nb_account_use_recovery(struct nb_store *s, int64_t office_id, struct nb_str name,
                                    struct nb_str code, int64_t now, int64_t *left)
{
    char norm[CODE_CHARS], hex[HASH_HEX];
    if (!norm_code(code, norm))
        return NB_ERR_DENIED;
    struct nb_store_tx *tx;
    json_t *acc = NULL;
    int64_t n = 0;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (err)
        return err;
    err = account_get(tx, office_id, name, &acc);
    if (!err && !nb_str_eq_c(nb_str_c(jstr(acc, "state")), "active"))
        err = NB_ERR_DENIED;
    if (!err) {
        code_hash(jint(acc, "id"), norm, hex);
        err = nb_store_recovery_use(tx, office_id, jint(acc, "id"), nb_str_c(hex), now);
    }
    if (!err)
        err = nb_store_recovery_left(tx, office_id, jint(acc, "id"), &n);
    json_decref(acc);
    sodium_memzero(norm, sizeof(norm));
    err = nb_store_end(&tx, err);
    if (!err && left)
        *left = n;
    return err == NB_ERR_NOTFOUND ? NB_ERR_DENIED : err;
}
