/* snapshot.c: immutable page table with precompressed bodies and prebuilt responses.
 *
 * Pages live in an array in insertion order (export walks it) and are found through an
 * open-addressing hash index over the path. Compression is skipped for bodies where it
 * does not save at least a tenth, since the client then gains nothing. */
#include "web/snapshot.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/limits.h"
#include "http/server.h"
#include "view/compress.h"
#include "base/civil.h"

/* Public pages may be cached for a minute, then revalidated (cheap with the ETag): short
 * enough that a correction reaches readers quickly in a crisis. */
#define CACHE_CONTROL "public, max-age=60"
/* JSON chosen by Accept at an HTML URL: the browser's own cache only (see nb_snapshot_add). */
#define CACHE_CONTROL_BY_ACCEPT "private, max-age=60"
#define VARY_BOTH "Accept, Accept-Encoding"
#define VARY_ENCODING "Accept-Encoding"

struct entry {
    char *path;
    char *body;
    struct nb_snapshot_page page;
};

#define NERRORS NB_SNAPSHOT_ERRORS

struct nb_snapshot {
    struct entry *entries;
    size_t n, cap;
    size_t *index;                                   /* slots hold entry number + 1; 0 = empty */
    size_t nslots;                                   /* power of two, at least twice n */
    struct nb_str errors[NB_LANG_COUNT][NERRORS][2]; /* owned copies */
    _Atomic long refs;
};

static uint64_t hash(struct nb_str s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.ptr[i];
        h *= 1099511628211ull;
    }
    return h;
}

enum nb_err nb_snapshot_new(struct nb_snapshot **out)
{
    struct nb_snapshot *s = calloc(1, sizeof(*s));
    if (!s)
        return NB_ERR_NOMEM;
    atomic_init(&s->refs, 1);
    *out = s;
    return NB_OK;
}

static void free_page(struct nb_snapshot_page *p)
{
    for (int e = 0; e < NB_ENC_COUNT; e++) {
        nb_http_prebuilt_free(&p->resp[e]);
        nb_http_prebuilt_free(&p->not_modified[e]);
        nb_http_prebuilt_free(&p->by_accept[e]);
        nb_http_prebuilt_free(&p->by_accept_nm[e]);
    }
}

static void snapshot_free(struct nb_snapshot *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free_page(&s->entries[i].page);
        free(s->entries[i].path);
        free(s->entries[i].body);
    }
    for (unsigned l = 0; l < NB_LANG_COUNT; l++)
        for (size_t k = 0; k < NERRORS; k++)
            for (int j = 0; j < 2; j++)
                free((char *)s->errors[l][k][j].ptr);
    free(s->entries);
    free(s->index);
    free(s);
}

void nb_snapshot_ref(struct nb_snapshot *s)
{
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
}

void nb_snapshot_unref(void *p)
{
    struct nb_snapshot *s = p;
    if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
        snapshot_free(s);
}

static size_t lookup_slot(const struct nb_snapshot *s, struct nb_str path)
{
    size_t mask = s->nslots - 1;
    for (size_t i = (size_t)hash(path) & mask;; i = (i + 1) & mask) {
        size_t e = s->index[i];
        if (e == 0 || nb_str_eq_c(path, s->entries[e - 1].path))
            return i;
    }
}

static enum nb_err reindex(struct nb_snapshot *s, size_t nslots)
{
    size_t *index = calloc(nslots, sizeof(*index));
    if (!index)
        return NB_ERR_NOMEM;
    free(s->index);
    s->index = index;
    s->nslots = nslots;
    for (size_t i = 0; i < s->n; i++)
        s->index[lookup_slot(s, nb_str_c(s->entries[i].path))] = i + 1;
    return NB_OK;
}

const struct nb_snapshot_page *nb_snapshot_get(const struct nb_snapshot *s, struct nb_str path)
{
    if (!s || s->nslots == 0)
        return NULL;
    size_t e = s->index[lookup_slot(s, path)];
    return e ? &s->entries[e - 1].page : NULL;
}

static struct nb_http_prebuilt *build(unsigned status, const char *content_type, const char *body,
                                      size_t len, const struct nb_http_header_kv *h, size_t nh)
{
    return nb_http_prebuilt_new(status, content_type, body, len, h, nh);
}

/* What one page's responses are built from: the identity bytes and the compressed ones
 * (z[enc] where use[enc]). */
struct body_set {
    const char *content_type, *lang, *date;
    const char *body;
    size_t len;
    const struct nb_buf *z;
    const bool *use;
};

/* Builds the 200 and 304 responses of every encoding with the given Vary and
 * Cache-Control into resp and nm. */
static enum nb_err build_set(const struct nb_snapshot_page *p, const struct body_set *b,
                             const char *vary, const char *cache_control,
                             struct nb_http_prebuilt *resp[NB_ENC_COUNT],
                             struct nb_http_prebuilt *nm[NB_ENC_COUNT])
{
    struct nb_http_header_kv h[8];
    size_t nh = 0;
    size_t etag_at = nh;
    h[nh++] = (struct nb_http_header_kv){"ETag", p->etags[NB_ENC_IDENTITY]};
    h[nh++] = (struct nb_http_header_kv){"Last-Modified", b->date};
    h[nh++] = (struct nb_http_header_kv){"Cache-Control", cache_control};
    h[nh++] = (struct nb_http_header_kv){"Vary", vary};
    if (b->lang)
        h[nh++] = (struct nb_http_header_kv){"Content-Language", b->lang};
    for (int enc = 0; enc < NB_ENC_COUNT; enc++) {
        if (!b->use[enc])
            continue;
        h[etag_at].value = p->etags[enc];
        nm[enc] = build(304, NULL, NULL, 0, h, nh);
        if (enc == NB_ENC_IDENTITY) {
            resp[enc] = build(200, b->content_type, b->body, b->len, h, nh);
        } else {
            h[nh] =
                (struct nb_http_header_kv){"Content-Encoding", enc == NB_ENC_GZIP ? "gzip" : "br"};
            resp[enc] = build(200, b->content_type, b->z[enc].ptr, b->z[enc].len, h, nh + 1);
        }
        if (!resp[enc] || !nm[enc])
            return NB_ERR_NOMEM;
    }
    return NB_OK;
}

enum nb_err nb_snapshot_add(struct nb_snapshot *s, const struct nb_snapshot *prev, const char *path,
                            const char *content_type, const char *lang, enum nb_snapshot_neg neg,
                            const char *body, size_t len, int64_t now)
{
    if (nb_snapshot_get(s, nb_str_c(path)))
        return NB_ERR_CONFLICT;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct entry *e = realloc(s->entries, cap * sizeof(*e));
        if (!e)
            return NB_ERR_NOMEM;
        s->entries = e;
        s->cap = cap;
    }
    if ((s->n + 1) * 2 > s->nslots && reindex(s, s->nslots ? s->nslots * 2 : 128) != NB_OK)
        return NB_ERR_NOMEM;

    struct entry *e = &s->entries[s->n];
    memset(e, 0, sizeof(*e));
    struct nb_snapshot_page *p = &e->page;
    e->path = strdup(path);
    e->body = malloc(len + 1);
    if (!e->path || !e->body) {
        free(e->path);
        free(e->body);
        return NB_ERR_NOMEM;
    }
    memcpy(e->body, body, len);
    e->body[len] = '\0';
    p->body = e->body;
    p->len = len;

    unsigned char digest[16];
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)body, len, NULL, 0);
    char hex[33];
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    /* Each encoding is a representation of its own with a validator of its own (RFC 9110
     * 8.8.3); the suffix keeps them apart while one hash stands for the content. */
    static const char *const suffix[NB_ENC_COUNT] = {"", "-gz", "-br"};
    for (int enc = 0; enc < NB_ENC_COUNT; enc++)
        snprintf(p->etags[enc], sizeof(p->etags[enc]), "\"%s%s\"", hex, suffix[enc]);

    p->last_modified = now;
    const struct nb_snapshot_page *old = prev ? nb_snapshot_get(prev, nb_str_c(path)) : NULL;
    if (old && strcmp(old->etags[NB_ENC_IDENTITY], p->etags[NB_ENC_IDENTITY]) == 0)
        p->last_modified = old->last_modified;
    char date[40];
    nb_civil_fmt_http_date(date, sizeof(date), p->last_modified);

    /* Compressed once; each set of responses below shares the bytes. */
    struct nb_buf z[NB_ENC_COUNT];
    bool use[NB_ENC_COUNT] = {true, false, false};
    enum nb_err err = NB_OK;
    for (int enc = NB_ENC_GZIP; enc <= NB_ENC_BR; enc++) {
        nb_buf_init(&z[enc], len + 1024);
        if (err != NB_OK)
            continue;
        err = enc == NB_ENC_GZIP ? nb_compress_gzip(body, len, &z[enc])
                                 : nb_compress_brotli(body, len, &z[enc]);
        if (err == NB_ERR_LIMIT)
            err = NB_OK; /* larger than the original: serve identity */
        else if (err == NB_OK)
            use[enc] = z[enc].len + len / 10 < len;
    }
    struct body_set bs = {content_type, lang, date, body, len, z, use};
    if (err == NB_OK)
        err = build_set(p, &bs, neg == NB_SNAPSHOT_HTML ? VARY_BOTH : VARY_ENCODING, CACHE_CONTROL,
                        p->resp, p->not_modified);
    /* The JSON twin chosen by Accept at the HTML URL: the same bytes, but only the browser's
     * own cache may keep them, since a shared cache that ignores Vary would hand them to
     * browsers asking for the page; the ".json" URL itself stays public. */
    if (err == NB_OK && neg == NB_SNAPSHOT_JSON_TWIN)
        err = build_set(p, &bs, VARY_BOTH, CACHE_CONTROL_BY_ACCEPT, p->by_accept, p->by_accept_nm);
    for (int enc = NB_ENC_GZIP; enc <= NB_ENC_BR; enc++)
        nb_buf_free(&z[enc]);
    if (err != NB_OK) {
        free_page(p);
        free(e->path);
        free(e->body);
        return err;
    }
    s->n++;
    s->index[lookup_slot(s, nb_str_c(path))] = s->n;
    return NB_OK;
}

const unsigned nb_snapshot_error_statuses[NB_SNAPSHOT_ERRORS] = {400, 404, 405, 413,
                                                                 414, 431, 500, 503};

static int error_index(unsigned status)
{
    for (size_t k = 0; k < NERRORS; k++)
        if (nb_snapshot_error_statuses[k] == status)
            return (int)k;
    return -1;
}

enum nb_err nb_snapshot_add_error(struct nb_snapshot *s, enum nb_lang lang, unsigned status,
                                  bool json, const char *body, size_t len)
{
    int k = error_index(status);
    if (k < 0 || (unsigned)lang >= NB_LANG_COUNT)
        return NB_ERR_INTERNAL;
    char *copy = malloc(len + 1);
    if (!copy)
        return NB_ERR_NOMEM;
    memcpy(copy, body, len);
    copy[len] = '\0';
    free((char *)s->errors[lang][k][json].ptr);
    s->errors[lang][k][json] = (struct nb_str){copy, len};
    return NB_OK;
}

struct nb_str nb_snapshot_error(const struct nb_snapshot *s, enum nb_lang lang, unsigned status,
                                bool json)
{
    int k = error_index(status);
    if (!s || k < 0 || (unsigned)lang >= NB_LANG_COUNT || !s->errors[lang][k][json].ptr)
        return (struct nb_str){"", 0};
    return s->errors[lang][k][json];
}

enum nb_err nb_snapshot_each(const struct nb_snapshot *s,
                             enum nb_err (*fn)(void *ctx, const char *path,
                                               const struct nb_snapshot_page *p),
                             void *ctx)
{
    for (size_t i = 0; i < s->n; i++) {
        enum nb_err err = fn(ctx, s->entries[i].path, &s->entries[i].page);
        if (err)
            return err;
    }
    return NB_OK;
}

size_t nb_snapshot_count(const struct nb_snapshot *s)
{
    return s->n;
}
