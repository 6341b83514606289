/* i18n.c: message catalogs from messages.def (German) and embedded .mo files.
 *
 * The .mo format (GNU gettext): a header of 32-bit words in the writer's byte order, then
 * tables of (length, offset) for originals and translations. An entry with context is
 * stored as "context\x04msgid". We look each of our keys up once at start and keep an
 * array of pointers into the embedded catalog, so lookups at run time are a table index. */
#include "view/i18n.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "base/log.h"
#include "base/resource.h"

struct msg {
    const char *key;
    const char *de;
};

static const struct msg msgs[] = {
#define NB_MSG(key, de) {key, de},
#include "view/messages.def"
#undef NB_MSG
};
#define NMSGS (sizeof(msgs) / sizeof(msgs[0]))

static const char *texts[NB_LANG_COUNT][NMSGS];
static json_t *tables[NB_LANG_COUNT];
static const char *const codes[NB_LANG_COUNT] = {"de", "en"};

const char *nb_lang_code(enum nb_lang lang)
{
    return (unsigned)lang < NB_LANG_COUNT ? codes[lang] : "de";
}

bool nb_lang_parse(struct nb_str code, enum nb_lang *out)
{
    for (unsigned i = 0; i < NB_LANG_COUNT; i++)
        if (nb_str_eq_c(code, codes[i])) {
            *out = (enum nb_lang)i;
            return true;
        }
    return false;
}

struct mo {
    const unsigned char *data;
    size_t len;
    bool swap;
    uint32_t n, orig, trans;
};

static uint32_t word(const struct mo *m, size_t off)
{
    uint32_t v;
    memcpy(&v, m->data + off, 4);
    return m->swap ? __builtin_bswap32(v) : v;
}

/* Reads entry i of the table at tab: false when it points outside the catalog. */
static bool entry(const struct mo *m, uint32_t tab, uint32_t i, struct nb_str *s)
{
    size_t at = (size_t)tab + (size_t)i * 8;
    if (at + 8 > m->len)
        return false;
    uint32_t len = word(m, at), off = word(m, at + 4);
    if ((size_t)off + len + 1 > m->len || m->data[(size_t)off + len] != '\0')
        return false;
    *s = (struct nb_str){(const char *)m->data + off, len};
    return true;
}

static enum nb_err mo_open(struct mo *m, const struct nb_resource *r)
{
    m->data = (const unsigned char *)r->data;
    m->len = r->len;
    if (m->len < 28)
        return NB_ERR_INPUT;
    uint32_t magic;
    memcpy(&magic, m->data, 4);
    if (magic == 0x950412deu)
        m->swap = false;
    else if (magic == 0xde120495u)
        m->swap = true;
    else
        return NB_ERR_INPUT;
    m->n = word(m, 8);
    m->orig = word(m, 12);
    m->trans = word(m, 16);
    if (m->n > 100000)
        return NB_ERR_INPUT;
    return NB_OK;
}

/* Loads one language: every key whose "key\x04German" appears with a non-empty
 * translation gets it; the rest fall back to German. */
static enum nb_err load(enum nb_lang lang, const struct nb_resource *r)
{
    struct mo m;
    if (mo_open(&m, r) != NB_OK)
        return NB_ERR_INPUT;
    for (uint32_t i = 0; i < m.n; i++) {
        struct nb_str o, t;
        if (!entry(&m, m.orig, i, &o) || !entry(&m, m.trans, i, &t))
            return NB_ERR_INPUT;
        ptrdiff_t sep = nb_str_find(o, '\x04');
        if (sep < 0 || t.len == 0)
            continue; /* the header, or an entry without context: not ours */
        struct nb_str key = {o.ptr, (size_t)sep};
        struct nb_str de = {o.ptr + sep + 1, o.len - (size_t)sep - 1};
        for (size_t k = 0; k < NMSGS; k++) {
            if (!nb_str_eq_c(key, msgs[k].key))
                continue;
            /* A translation of older German wording is stale: keep German until a
             * translator confirms it (msgmerge marks such entries fuzzy). */
            if (nb_str_eq_c(de, msgs[k].de))
                texts[lang][k] = t.ptr;
            break;
        }
    }
    return NB_OK;
}

enum nb_err nb_i18n_init(void)
{
    for (size_t k = 0; k < NMSGS; k++)
        for (unsigned l = 0; l < NB_LANG_COUNT; l++)
            texts[l][k] = l == NB_LANG_DE ? msgs[k].de : NULL;
    for (unsigned l = 1; l < NB_LANG_COUNT; l++) {
        char name[32];
        snprintf(name, sizeof(name), "po/%s.mo", codes[l]);
        const struct nb_resource *r = nb_resource_get(name);
        if (r && load((enum nb_lang)l, r) != NB_OK) {
            nb_log_error("i18n.catalog", "lang=%s error=malformed", codes[l]);
            return NB_ERR_INPUT;
        }
    }
    for (unsigned l = 0; l < NB_LANG_COUNT; l++) {
        json_t *t = json_object();
        if (!t)
            return NB_ERR_NOMEM;
        for (size_t k = 0; k < NMSGS; k++)
            if (json_object_set_new(t, msgs[k].key,
                                    json_string(nb_i18n_get((enum nb_lang)l, msgs[k].key))) != 0) {
                json_decref(t);
                return NB_ERR_NOMEM;
            }
        json_decref(tables[l]);
        tables[l] = t;
    }
    return NB_OK;
}

void nb_i18n_fini(void)
{
    for (unsigned l = 0; l < NB_LANG_COUNT; l++) {
        json_decref(tables[l]);
        tables[l] = NULL;
    }
}

static ptrdiff_t index_of(const char *key)
{
    /* messages.def is kept sorted by key (checked by the unit test), so search it. */
    size_t lo = 0, hi = NMSGS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(msgs[mid].key, key);
        if (c == 0)
            return (ptrdiff_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const char *nb_i18n_get(enum nb_lang lang, const char *key)
{
    ptrdiff_t k = index_of(key);
    if (k < 0)
        return key;
    if ((unsigned)lang >= NB_LANG_COUNT)
        lang = NB_LANG_DE;
    const char *t = texts[lang][k];
    return t ? t : msgs[k].de;
}

json_t *nb_i18n_table(enum nb_lang lang)
{
    return tables[(unsigned)lang < NB_LANG_COUNT ? lang : NB_LANG_DE];
}

size_t nb_i18n_missing(enum nb_lang lang, struct nb_buf *names)
{
    size_t n = 0;
    for (size_t k = 0; k < NMSGS; k++)
        if (!texts[lang][k]) {
            n++;
            if (names) {
                nb_buf_add_c(names, msgs[k].key);
                nb_buf_add_char(names, ' ');
            }
        }
    return n;
}

void nb_i18n_format(struct nb_buf *out, enum nb_lang lang, const char *key, ...)
{
    const char *t = nb_i18n_get(lang, key);
    while (*t) {
        const char *open = strchr(t, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!close) {
            nb_buf_add_c(out, t);
            return;
        }
        nb_buf_add(out, t, (size_t)(open - t));
        struct nb_str name = {open + 1, (size_t)(close - open - 1)};
        const char *value = NULL;
        va_list ap;
        va_start(ap, key);
        for (const char *n = va_arg(ap, const char *); n; n = va_arg(ap, const char *)) {
            const char *v = va_arg(ap, const char *);
            if (nb_str_eq_c(name, n)) {
                value = v;
                break;
            }
        }
        va_end(ap);
        if (value)
            nb_buf_add_c(out, value);
        else
            nb_buf_add(out, open, (size_t)(close - open + 1));
        t = close + 1;
    }
}
