/* session.c: staff sessions, their cookie, CSRF tokens and the origin check.
 *
 * The session id exists only in the cookie and, briefly, on this module's stack (wiped
 * before each function returns); the store sees its BLAKE2b-256 hash as hex. Looking a
 * session up by that hash leaks nothing through timing: an attacker cannot choose ids whose
 * hashes share a prefix with a stored one. Lookups read first and take the write lock only to
 * delete an expired session or to move last_seen_at, which happens at most once a minute per
 * session; so nb_session_lookup must not run inside a read transaction of the same store
 * (a write cannot begin there: NB_ERR_INTERNAL). */
#include "domain/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/check.h"
#include "store/store_session.h"

#define HASH_HEX_SIZE (2u * 32u + 1u)
/* Domain separation of the CSRF hash, so its key can never make a value that some other
 * keyed hash of ours would accept. */
static const char csrf_context[] = "notbetrieb csrf v1";

void nb_session_wipe(struct nb_session *s)
{
    if (s)
        sodium_memzero(s, sizeof(*s));
}

static bool contains(struct nb_str s, const char *needle)
{
    size_t n = strlen(needle);
    return s.ptr && s.len >= n && memmem(s.ptr, s.len, needle, n) != NULL;
}

void nb_session_ua_summary(struct nb_str ua, char out[NB_SESSION_UA_MAX + 1])
{
    /* Order matters: Edge and Opera also name Chrome and Safari, Chrome names Safari, and
     * Android names Linux. */
    const char *browser = "other";
    if (contains(ua, "Edg"))
        browser = "Edge";
    else if (contains(ua, "OPR/") || contains(ua, "Opera"))
        browser = "Opera";
    else if (contains(ua, "Firefox/") || contains(ua, "FxiOS/"))
        browser = "Firefox";
    else if (contains(ua, "Chrome/") || contains(ua, "CriOS/") || contains(ua, "Chromium/"))
        browser = "Chrome";
    else if (contains(ua, "Safari/"))
        browser = "Safari";
    const char *system = "other";
    if (contains(ua, "Windows"))
        system = "Windows";
    else if (contains(ua, "Android"))
        system = "Android";
    else if (contains(ua, "iPhone") || contains(ua, "iPad") || contains(ua, "iPod"))
        system = "iOS";
    else if (contains(ua, "Macintosh") || contains(ua, "Mac OS X"))
        system = "macOS";
    else if (contains(ua, "CrOS"))
        system = "ChromeOS";
    else if (contains(ua, "Linux"))
        system = "Linux";
    snprintf(out, NB_SESSION_UA_MAX + 1, "%s on %s", browser, system);
}

static enum nb_err check_client(struct nb_str c)
{
    if (!c.ptr || c.len == 0 || c.len > NB_SESSION_CLIENT_MAX)
        return NB_ERR_INPUT;
    for (size_t i = 0; i < c.len; i++) {
        char ch = c.ptr[i];
        bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
                  (ch >= 'A' && ch <= 'F') || ch == '.' || ch == ':';
        if (!ok)
            return NB_ERR_INPUT;
    }
    return NB_OK;
}

static void hash_hex(const unsigned char id[NB_SESSION_ID_BYTES], char hex[HASH_HEX_SIZE])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), id, NB_SESSION_ID_BYTES, NULL, 0);
    sodium_bin2hex(hex, HASH_HEX_SIZE, h, sizeof(h));
}

/* The hash of the id in a cookie value; false when the value is not one we could have
 * issued (wrong length, characters outside base64url, non-zero trailing bits). */
static bool cookie_hash(struct nb_str value, char hex[HASH_HEX_SIZE])
{
    unsigned char id[NB_SESSION_ID_BYTES];
    size_t len = 0;
    const char *end = NULL;
    if (!value.ptr || value.len != NB_SESSION_COOKIE_LEN ||
        sodium_base642bin(id, sizeof(id), value.ptr, value.len, NULL, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != sizeof(id) || end != value.ptr + value.len) {
        sodium_memzero(id, sizeof(id));
        return false;
    }
    hash_hex(id, hex);
    sodium_memzero(id, sizeof(id));
    return true;
}

static void copy_text(char *dst, size_t size, json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = s ? json_string_length(v) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Fills *out from a session object of the store (csrf_key included). */
static enum nb_err from_json(json_t *o, int64_t office_id, struct nb_session *out)
{
    out->id = json_integer_value(json_object_get(o, "id"));
    out->office_id = office_id;
    out->account_id = json_integer_value(json_object_get(o, "account_id"));
    out->created_at = json_integer_value(json_object_get(o, "created_at"));
    out->last_seen_at = json_integer_value(json_object_get(o, "last_seen_at"));
    copy_text(out->client, sizeof(out->client), json_object_get(o, "client"));
    copy_text(out->user_agent, sizeof(out->user_agent), json_object_get(o, "user_agent"));
    json_t *key = json_object_get(o, "csrf_key");
    size_t len = 0;
    if (!json_is_string(key) ||
        sodium_hex2bin(out->csrf_key, sizeof(out->csrf_key), json_string_value(key),
                       json_string_length(key), NULL, &len, NULL) != 0 ||
        len != sizeof(out->csrf_key))
        return NB_ERR_INTERNAL;
    return NB_OK;
}

enum nb_err nb_session_create(struct nb_store *s, int64_t office_id, int64_t account_id,
                              int64_t now, struct nb_str client, struct nb_str ua,
                              char out_cookie_value[NB_SESSION_COOKIE_SIZE],
                              struct nb_session *out_session)
{
    memset(out_cookie_value, 0, NB_SESSION_COOKIE_SIZE);
    if (out_session)
        nb_session_wipe(out_session);
    enum nb_err err = office_id > 0 && account_id > 0 ? NB_OK : NB_ERR_INPUT;
    if (!err)
        err = nb_check_time(now);
    if (!err)
        err = check_client(client);
    if (err)
        return err;
    if (sodium_init() < 0)
        return NB_ERR_INTERNAL;

    unsigned char id[NB_SESSION_ID_BYTES], key[NB_SESSION_CSRF_KEY_BYTES];
    char hash[HASH_HEX_SIZE], key_hex[HASH_HEX_SIZE], ua_sum[NB_SESSION_UA_MAX + 1];
    randombytes_buf(id, sizeof(id));
    randombytes_buf(key, sizeof(key));
    hash_hex(id, hash);
    sodium_bin2hex(key_hex, sizeof(key_hex), key, sizeof(key));
    nb_session_ua_summary(ua, ua_sum);
    const struct nb_store_session row = {
        .account_id = account_id,
        .token_hash = nb_str_c(hash),
        .csrf_key = nb_str_c(key_hex),
        .client = client,
        .user_agent = nb_str_c(ua_sum),
        .created_at = now,
    };
    int64_t row_id = 0;
    struct nb_store_tx *tx = NULL;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_session_insert(tx, office_id, &row, &row_id);
    err = nb_store_end(&tx, err);
    if (!err) {
        sodium_bin2base64(out_cookie_value, NB_SESSION_COOKIE_SIZE, id, sizeof(id),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        if (out_session) {
            out_session->id = row_id;
            out_session->office_id = office_id;
            out_session->account_id = account_id;
            out_session->created_at = now;
            out_session->last_seen_at = now;
            memcpy(out_session->client, client.ptr, client.len);
            out_session->client[client.len] = '\0';
            memcpy(out_session->user_agent, ua_sum, sizeof(ua_sum));
            memcpy(out_session->csrf_key, key, sizeof(key));
        }
    }
    sodium_memzero(id, sizeof(id));
    sodium_memzero(key, sizeof(key));
    sodium_memzero(key_hex, sizeof(key_hex));
    return err;
}

static bool expired(const struct nb_session *se, int64_t now)
{
    return now - se->last_seen_at >= NB_SESSION_IDLE_SECONDS ||
           now - se->created_at >= NB_SESSION_ABSOLUTE_SECONDS;
}

enum nb_err nb_session_lookup(struct nb_store *s, int64_t office_id, struct nb_str cookie_value,
                              int64_t now, struct nb_session *out)
{
    nb_session_wipe(out);
    char hash[HASH_HEX_SIZE];
    if (office_id <= 0 || !cookie_hash(cookie_value, hash))
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_time(now);
    if (err)
        return err;

    json_t *row = NULL;
    struct nb_store_tx *tx = NULL;
    err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_session_get(tx, office_id, nb_str_c(hash), &row);
    err = nb_store_end_json(&tx, err, &row);
    if (!err)
        err = from_json(row, office_id, out);
    json_decref(row);

    if (!err && expired(out, now)) {
        err = nb_store_begin(s, NB_STORE_WRITE, &tx);
        if (!err)
            err = nb_store_session_delete(tx, office_id, 0, out->id);
        if (err == NB_ERR_NOTFOUND) /* ended meanwhile: just as gone */
            err = NB_OK;
        err = nb_store_end(&tx, err);
        if (!err)
            err = NB_ERR_NOTFOUND;
    } else if (!err && now - out->last_seen_at >= NB_SESSION_TOUCH_SECONDS) {
        err = nb_store_begin(s, NB_STORE_WRITE, &tx);
        if (!err)
            err = nb_store_session_touch(tx, office_id, out->id, now);
        err = nb_store_end(&tx, err);
        if (!err)
            out->last_seen_at = now;
    }
    if (err)
        nb_session_wipe(out);
    return err;
}

enum nb_err nb_session_end(struct nb_store *s, int64_t office_id, struct nb_str cookie_value)
{
    char hash[HASH_HEX_SIZE];
    if (office_id <= 0 || !cookie_hash(cookie_value, hash))
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_session_delete_hash(tx, office_id, nb_str_c(hash));
    return nb_store_end(&tx, err);
}

enum nb_err nb_session_end_one(struct nb_store *s, int64_t office_id, int64_t account_id,
                               int64_t session_id)
{
    if (office_id <= 0 || account_id <= 0 || session_id <= 0)
        return NB_ERR_NOTFOUND;
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_session_delete(tx, office_id, account_id, session_id);
    return nb_store_end(&tx, err);
}

enum nb_err nb_session_end_all_of_account(struct nb_store *s, int64_t office_id, int64_t account_id,
                                          int *n)
{
    if (n)
        *n = 0;
    if (office_id <= 0 || account_id <= 0)
        return NB_ERR_INPUT;
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_session_delete_all(tx, office_id, account_id, n);
    return nb_store_end(&tx, err);
}

enum nb_err nb_session_end_all_of_office(struct nb_store *s, int64_t office_id, int *n)
{
    if (n)
        *n = 0;
    if (office_id <= 0)
        return NB_ERR_INPUT;
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_session_delete_all(tx, office_id, 0, n);
    return nb_store_end(&tx, err);
}

enum nb_err nb_session_list(struct nb_store *s, int64_t office_id, int64_t account_id, int64_t now,
                            json_t **out)
{
    *out = NULL;
    enum nb_err err = nb_check_time(now);
    if (err)
        return err;
    struct nb_store_tx *tx = NULL;
    err = nb_store_begin(s, NB_STORE_READ, &tx);
    if (!err)
        err = nb_store_session_list(tx, office_id, account_id, now - NB_SESSION_IDLE_SECONDS,
                                    now - NB_SESSION_ABSOLUTE_SECONDS, out);
    return nb_store_end_json(&tx, err, out);
}

enum nb_err nb_session_purge(struct nb_store *s, int64_t now, int *n)
{
    if (n)
        *n = 0;
    enum nb_err err = nb_check_time(now);
    if (err)
        return err;
    struct nb_store_tx *tx = NULL;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_session_purge(tx, now - NB_SESSION_IDLE_SECONDS,
                                     now - NB_SESSION_ABSOLUTE_SECONDS, n);
    return nb_store_end(&tx, err);
}

/* ---- cookie ---- */

const char *nb_session_cookie_name(bool tls)
{
    return tls ? "__Host-nb_session" : "nb_session";
}

static bool is_b64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

enum nb_err nb_session_cookie_header(char *out, size_t n, const char *value, bool tls, int max_age)
{
    if (!out || n == 0)
        return NB_ERR_LIMIT;
    out[0] = '\0';
    if (max_age < 0)
        return NB_ERR_INPUT;
    char age[32] = "";
    if (!value) {
        snprintf(age, sizeof(age), "; Max-Age=0");
    } else {
        size_t len = strnlen(value, NB_SESSION_COOKIE_LEN + 1);
        if (len == 0 || len > NB_SESSION_COOKIE_LEN)
            return NB_ERR_INPUT;
        for (size_t i = 0; i < len; i++)
            if (!is_b64url(value[i]))
                return NB_ERR_INPUT;
        if (max_age > 0)
            snprintf(age, sizeof(age), "; Max-Age=%d", max_age);
    }
    int r = snprintf(out, n, "%s=%s; Path=/%s; HttpOnly; SameSite=Strict%s",
                     nb_session_cookie_name(tls), value ? value : "", age, tls ? "; Secure" : "");
    if (r < 0 || (size_t)r >= n) {
        out[0] = '\0';
        return NB_ERR_LIMIT;
    }
    return NB_OK;
}

/* ---- CSRF ---- */

static void csrf_mac(const struct nb_session *s, struct nb_str action, char out[NB_CSRF_TOKEN_SIZE])
{
    unsigned char mac[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, s->csrf_key, sizeof(s->csrf_key), sizeof(mac));
    /* The context with its NUL, so that no action can run into it. */
    crypto_generichash_update(&st, (const unsigned char *)csrf_context, sizeof(csrf_context));
    if (action.ptr && action.len)
        crypto_generichash_update(&st, (const unsigned char *)action.ptr, action.len);
    crypto_generichash_final(&st, mac, sizeof(mac));
    sodium_bin2base64(out, NB_CSRF_TOKEN_SIZE, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(&st, sizeof(st));
    sodium_memzero(mac, sizeof(mac));
}

void nb_csrf_token(const struct nb_session *s, struct nb_str form_action,
                   char out[NB_CSRF_TOKEN_SIZE])
{
    csrf_mac(s, form_action, out);
}

bool nb_csrf_check(const struct nb_session *s, struct nb_str form_action, struct nb_str token)
{
    /* The length is public (every token has it); only the bytes are compared in constant
     * time. */
    if (!token.ptr || token.len != NB_CSRF_TOKEN_LEN)
        return false;
    char expected[NB_CSRF_TOKEN_SIZE];
    csrf_mac(s, form_action, expected);
    bool ok = sodium_memcmp(expected, token.ptr, NB_CSRF_TOKEN_LEN) == 0;
    sodium_memzero(expected, sizeof(expected));
    return ok;
}

/* ---- origin ---- */

struct authority {
    struct nb_str host;
    uint64_t port;
};

static bool host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
}

/* Parses host[:port] (host a name, an IPv4 address or a bracketed IPv6 address); a missing
 * port is the scheme's default. Refuses userinfo, paths and anything else. */
static bool parse_authority(struct nb_str a, bool tls, struct authority *out)
{
    if (!a.ptr || a.len == 0 || a.len > NB_HOST_MAX + 8)
        return false;
    size_t i = 0;
    if (a.ptr[0] == '[') {
        while (i < a.len && a.ptr[i] != ']') {
            char c = a.ptr[i];
            if (i > 0 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                           (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
                return false;
            i++;
        }
        if (i == a.len || i < 3)
            return false;
        i++; /* past ']' */
    } else {
        while (i < a.len && host_char(a.ptr[i]))
            i++;
        if (i == 0)
            return false;
    }
    out->host = (struct nb_str){a.ptr, i};
    out->port = tls ? 443 : 80;
    if (i == a.len)
        return true;
    if (a.ptr[i] != ':' || a.len - i - 1 > 5)
        return false;
    struct nb_str port = {a.ptr + i + 1, a.len - i - 1};
    return nb_str_to_u64(port, 65535, &out->port) && out->port > 0;
}

/* True when s starts with our scheme and "://" followed by an authority (up to the first
 * '/', '?' or '#' when rest_allowed, else all of it) equal to host_header's. */
static bool same_origin(struct nb_str s, struct nb_str host_header, bool tls, bool rest_allowed)
{
    struct nb_str scheme = tls ? NB_STR("https://") : NB_STR("http://");
    if (!s.ptr || s.len <= scheme.len ||
        !nb_str_eq_nocase((struct nb_str){s.ptr, scheme.len}, scheme))
        return false;
    struct nb_str auth = {s.ptr + scheme.len, s.len - scheme.len};
    if (rest_allowed) {
        size_t i = 0;
        while (i < auth.len && auth.ptr[i] != '/' && auth.ptr[i] != '?' && auth.ptr[i] != '#')
            i++;
        auth.len = i;
    }
    struct authority theirs, ours;
    if (!parse_authority(auth, tls, &theirs) ||
        !parse_authority(nb_str_trim(host_header), tls, &ours))
        return false;
    return theirs.port == ours.port && nb_str_eq_nocase(theirs.host, ours.host);
}

bool nb_origin_ok(struct nb_str origin_header, struct nb_str host_header, bool tls)
{
    return same_origin(nb_str_trim(origin_header), host_header, tls, false);
}

bool nb_origin_request_ok(struct nb_str origin_header, struct nb_str referer_header,
                          struct nb_str host_header, bool tls)
{
    if (origin_header.len > 0)
        return nb_origin_ok(origin_header, host_header, tls);
    return same_origin(nb_str_trim(referer_header), host_header, tls, true);
}
