/* parse.c: bounded cursor parsers for request paths, urlencoded pairs, cookies and
 * content negotiation headers.
 *
 * Invariants: every loop advances through an input of known length and stops at its end;
 * no parser reads a byte twice except to validate before copying; allocation happens only
 * for results, from the caller's arena, sized by the input (decoding never lengthens).
 * Validation and decoding share one byte decoder (struct dec) so that what was checked is
 * exactly what is copied. */
#include "http/parse.h"

#include <stdint.h>
#include <string.h>

#include "base/utf8.h"

static const struct nb_str empty = {"", 0};

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Length of the UTF-8 sequence that starts with lead byte b (>= 0x80), or 0 when b cannot
 * start one. nb_utf8_decode then checks the continuation bytes and ranges. */
static size_t utf8_seq_len(unsigned b)
{
    if (b >= 0xC2 && b <= 0xDF)
        return 2;
    if (b >= 0xE0 && b <= 0xEF)
        return 3;
    if (b >= 0xF0 && b <= 0xF4)
        return 4;
    return 0;
}

/* ---- one percent-encoded component ------------------------------------------------------ */

enum { DEC_END = -1, DEC_BAD = -2 };

struct dec {
    const char *p;
    size_t n, i;
    bool plus; /* '+' means space (urlencoded), not in paths */
};

/* The next decoded byte (0..255), DEC_END at the end, DEC_BAD for a broken escape. */
static int dec_next(struct dec *d)
{
    if (d->i >= d->n)
        return DEC_END;
    char c = d->p[d->i];
    if (c == '%') {
        if (d->n - d->i < 3)
            return DEC_BAD;
        int hi = hexval(d->p[d->i + 1]), lo = hexval(d->p[d->i + 2]);
        if (hi < 0 || lo < 0)
            return DEC_BAD;
        d->i += 3;
        return hi * 16 + lo;
    }
    d->i++;
    if (c == '+' && d->plus)
        return ' ';
    return (unsigned char)c;
}

/* Text rule of urlencoded values: C0 controls other than tab, CR and LF, and DEL, are
 * refused (same rule as nb_utf8_has_controls, applied to decoded bytes). */
static bool kv_control(int b)
{
    return (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f;
}

/* Walks the decoded bytes of raw and checks escapes, UTF-8 and control characters without
 * storing anything. */
static enum nb_err component_check(struct nb_str raw, bool plus, bool (*bad)(int))
{
    struct dec d = {raw.ptr, raw.len, 0, plus};
    for (;;) {
        int b = dec_next(&d);
        if (b == DEC_END)
            return NB_OK;
        if (b == DEC_BAD)
            return NB_ERR_INPUT;
        if (b < 0x80) {
            if (bad(b))
                return NB_ERR_INPUT;
            continue;
        }
        size_t need = utf8_seq_len((unsigned)b);
        if (need == 0)
            return NB_ERR_INPUT;
        char seq[4] = {(char)b, 0, 0, 0};
        for (size_t k = 1; k < need; k++) {
            int c = dec_next(&d);
            if (c < 0)
                return NB_ERR_INPUT;
            seq[k] = (char)c;
        }
        uint32_t cp;
        if (nb_utf8_decode(seq, need, &cp) != need)
            return NB_ERR_INPUT;
    }
}

/* Decodes raw into a copy in the arena; the caller has checked raw with component_check. */
static enum nb_err component_decode(struct nb_str raw, bool plus, struct nb_arena *a,
                                    struct nb_str *out)
{
    if (raw.len == 0) {
        *out = empty;
        return NB_OK;
    }
    char *dst = nb_arena_alloc(a, raw.len + 1);
    if (!dst)
        return NB_ERR_NOMEM;
    struct dec d = {raw.ptr, raw.len, 0, plus};
    size_t n = 0;
    for (int b; (b = dec_next(&d)) != DEC_END;) {
        if (b == DEC_BAD)
            return NB_ERR_INPUT;
        dst[n++] = (char)b;
    }
    dst[n] = '\0';
    *out = (struct nb_str){dst, n};
    return NB_OK;
}

/* True when the decoded bytes of raw equal the NUL-terminated name. */
static bool component_eq(struct nb_str raw, const char *name)
{
    struct dec d = {raw.ptr, raw.len, 0, true};
    size_t k = 0;
    for (;;) {
        int b = dec_next(&d);
        if (b == DEC_END)
            return name[k] == '\0';
        if (b < 0 || name[k] == '\0' || (unsigned char)name[k] != (unsigned)b)
            return false;
        k++;
    }
}

/* ---- path ------------------------------------------------------------------------------- */

/* RFC 3986 pchar without pct-encoded: unreserved / sub-delims / ":" / "@". */
static bool is_pchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("-._~!$&'()*+,;=:@", c) != NULL;
}

static bool path_control(int b)
{
    return b < 0x20 || b == 0x7f || b == '\\';
}

static enum nb_err path_fail(struct nb_http_path *out, enum nb_err err)
{
    out->decoded = empty;
    out->nseg = 0;
    out->trailing_slash = false;
    return err;
}

enum nb_err nb_http_path_parse(struct nb_str raw, struct nb_arena *a, struct nb_http_path *out)
{
    path_fail(out, NB_OK);
    if (raw.len > NB_HTTP_URI_MAX)
        return NB_ERR_LIMIT;
    if (raw.len == 0 || raw.ptr[0] != '/')
        return NB_ERR_INPUT;

    /* Raw syntax first: only pchar, '/' and well-formed escapes that are not '/' or NUL. */
    bool escaped = false;
    for (size_t i = 0; i < raw.len; i++) {
        unsigned char c = (unsigned char)raw.ptr[i];
        if (c == '%') {
            if (raw.len - i < 3)
                return NB_ERR_INPUT;
            int hi = hexval(raw.ptr[i + 1]), lo = hexval(raw.ptr[i + 2]);
            if (hi < 0 || lo < 0)
                return NB_ERR_INPUT;
            int b = hi * 16 + lo;
            if (b == '/' || b == 0)
                return NB_ERR_INPUT;
            escaped = true;
            i += 2;
        } else if (c != '/' && !is_pchar(c)) {
            return NB_ERR_INPUT;
        }
    }

    struct nb_str d = raw;
    if (escaped) {
        enum nb_err err = component_decode(raw, false, a, &d);
        if (err)
            return path_fail(out, err);
    }

    /* Segments of the decoded path; d.ptr[0] is '/'. */
    size_t start = 1;
    for (size_t i = 1; i <= d.len; i++) {
        if (i < d.len && d.ptr[i] != '/')
            continue;
        struct nb_str seg = {d.ptr + start, i - start};
        if (seg.len == 0) {
            if (i == d.len) { /* "/" alone, or a final slash */
                out->trailing_slash = out->nseg > 0;
                break;
            }
            return path_fail(out, NB_ERR_INPUT); /* "//" */
        }
        if (nb_str_eq_c(seg, ".") || nb_str_eq_c(seg, ".."))
            return path_fail(out, NB_ERR_INPUT);
        /* seg is decoded already: its bytes are checked as they are (a '%' here came from
         * "%25" and must not be decoded twice). */
        bool ok = nb_utf8_valid(seg.ptr, seg.len);
        for (size_t k = 0; k < seg.len && ok; k++)
            ok = !path_control((unsigned char)seg.ptr[k]);
        if (!ok)
            return path_fail(out, NB_ERR_INPUT);
        if (out->nseg == NB_HTTP_PATH_SEGMENTS_MAX)
            return path_fail(out, NB_ERR_LIMIT);
        out->seg[out->nseg++] = seg;
        start = i + 1;
    }
    out->decoded = d;
    return NB_OK;
}

/* ---- urlencoded pairs ------------------------------------------------------------------- */

void nb_http_query_iter(struct nb_http_kv_iter *it, struct nb_str query)
{
    it->rest = query;
    it->count = 0;
    it->max = NB_HTTP_QUERY_PARAMS_MAX;
}

void nb_http_form_iter(struct nb_http_kv_iter *it, struct nb_str body)
{
    it->rest = body;
    it->count = 0;
    it->max = NB_HTTP_FORM_FIELDS_MAX;
}

/* Finds the next non-empty pair after it->rest without moving the iterator: false at the
 * end; else *pair and *after (what remains behind the pair). */
static bool peek_pair(const struct nb_http_kv_iter *it, struct nb_str *pair, struct nb_str *after)
{
    struct nb_str rest = it->rest;
    while (rest.len) {
        struct nb_str head;
        struct nb_str tail = nb_str_cut(rest, '&', &head);
        rest = tail.ptr ? tail : (struct nb_str){rest.ptr + rest.len, 0};
        if (head.len) {
            *pair = head;
            *after = rest;
            return true;
        }
    }
    return false;
}

static void split_pair(struct nb_str pair, struct nb_str *name, struct nb_str *value)
{
    struct nb_str v = nb_str_cut(pair, '=', name);
    *value = v.ptr ? v : empty;
}

/* The next pair, decoded; with text, its bytes must follow the text rule (kv_control, UTF-8). */
static enum nb_err kv_next(struct nb_http_kv_iter *it, struct nb_arena *a, struct nb_str *name,
                           struct nb_str *value, bool text)
{
    struct nb_str pair, after, rn, rv;
    if (!peek_pair(it, &pair, &after))
        return NB_ERR_NOTFOUND;
    if (it->count >= it->max)
        return NB_ERR_LIMIT;
    split_pair(pair, &rn, &rv);
    if (text && (component_check(rn, true, kv_control) || component_check(rv, true, kv_control)))
        return NB_ERR_INPUT;
    enum nb_err err = component_decode(rn, true, a, name);
    if (!err)
        err = component_decode(rv, true, a, value);
    if (err)
        return err;
    it->rest = after;
    it->count++;
    return NB_OK;
}

enum nb_err nb_http_kv_next(struct nb_http_kv_iter *it, struct nb_arena *a, struct nb_str *name,
                            struct nb_str *value)
{
    return kv_next(it, a, name, value, true);
}

enum nb_err nb_http_kv_next_bytes(struct nb_http_kv_iter *it, struct nb_arena *a,
                                  struct nb_str *name, struct nb_str *value)
{
    return kv_next(it, a, name, value, false);
}

static enum nb_err kv_check(struct nb_http_kv_iter *it)
{
    struct nb_str pair, after, rn, rv;
    while (peek_pair(it, &pair, &after)) {
        if (it->count >= it->max)
            return NB_ERR_LIMIT;
        split_pair(pair, &rn, &rv);
        if (component_check(rn, true, kv_control) || component_check(rv, true, kv_control))
            return NB_ERR_INPUT;
        it->rest = after;
        it->count++;
    }
    return NB_OK;
}

static enum nb_err kv_get(struct nb_http_kv_iter it, const char *name, struct nb_arena *a,
                          struct nb_str *value)
{
    struct nb_http_kv_iter check = it;
    enum nb_err err = kv_check(&check);
    if (err)
        return err;
    struct nb_str pair, after, rn, rv;
    while (peek_pair(&it, &pair, &after)) {
        split_pair(pair, &rn, &rv);
        if (component_eq(rn, name))
            return component_decode(rv, true, a, value);
        it.rest = after;
    }
    return NB_ERR_NOTFOUND;
}

enum nb_err nb_http_query_check(struct nb_str query)
{
    struct nb_http_kv_iter it;
    nb_http_query_iter(&it, query);
    return kv_check(&it);
}

enum nb_err nb_http_form_check(struct nb_str body)
{
    struct nb_http_kv_iter it;
    nb_http_form_iter(&it, body);
    return kv_check(&it);
}

enum nb_err nb_http_query_get(struct nb_str query, const char *name, struct nb_arena *a,
                              struct nb_str *value)
{
    struct nb_http_kv_iter it;
    nb_http_query_iter(&it, query);
    return kv_get(it, name, a, value);
}

enum nb_err nb_http_form_get(struct nb_str body, const char *name, struct nb_arena *a,
                             struct nb_str *value)
{
    struct nb_http_kv_iter it;
    nb_http_form_iter(&it, body);
    return kv_get(it, name, a, value);
}

/* ---- cookies ---------------------------------------------------------------------------- */

bool nb_http_is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

bool nb_http_is_token(struct nb_str s)
{
    if (s.len == 0)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!nb_http_is_tchar((unsigned char)s.ptr[i]))
            return false;
    return true;
}

/* RFC 6265 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash. */
static bool is_cookie_octet(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
           (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

enum nb_err nb_http_cookie_get(struct nb_str header, const char *name, struct nb_str *value)
{
    if (header.len > NB_HTTP_HEADER_MAX)
        return NB_ERR_LIMIT;
    for (size_t i = 0; i < header.len; i++) {
        unsigned char c = (unsigned char)header.ptr[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return NB_ERR_INPUT;
    }
    size_t count = 0;
    bool found = false;
    struct nb_str rest = header;
    for (bool more = true; more;) {
        struct nb_str part;
        rest = nb_str_cut(rest, ';', &part);
        more = rest.ptr != NULL;
        part = nb_str_trim(part);
        if (part.len == 0)
            continue;
        /* Counted before any check: the limit is about work, not about validity. */
        if (++count > NB_HTTP_COOKIES_MAX)
            return NB_ERR_LIMIT;
        struct nb_str n;
        struct nb_str v = nb_str_cut(part, '=', &n);
        if (!v.ptr || !nb_http_is_token(n))
            continue;
        if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"') {
            v.ptr++;
            v.len -= 2;
        }
        bool ok = true;
        for (size_t i = 0; i < v.len && ok; i++)
            ok = is_cookie_octet((unsigned char)v.ptr[i]);
        if (!ok || found || !nb_str_eq_c(n, name))
            continue;
        found = true;
        *value = v.len ? v : empty;
    }
    return found ? NB_OK : NB_ERR_NOTFOUND;
}

/* ---- content negotiation ---------------------------------------------------------------- */

/* RFC 9110 qvalue: "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ], as thousandths. */
static bool parse_qvalue(struct nb_str s, unsigned *q)
{
    if (s.len == 0 || s.len > 5 || (s.ptr[0] != '0' && s.ptr[0] != '1'))
        return false;
    unsigned v = (unsigned)(s.ptr[0] - '0') * 1000u;
    if (s.len > 1) {
        if (s.ptr[1] != '.')
            return false;
        unsigned scale = 100;
        for (size_t i = 2; i < s.len; i++, scale /= 10) {
            char c = s.ptr[i];
            if (c < '0' || c > '9' || (v == 1000u && c != '0'))
                return false;
            v += (unsigned)(c - '0') * scale;
        }
    }
    *q = v;
    return true;
}

/* Splits one list element "value;param=x;q=0.5" into its trimmed value and q (1000 when
 * absent). False when the q parameter is malformed. */
static bool list_elem(struct nb_str elem, struct nb_str *val, unsigned *q)
{
    struct nb_str params = nb_str_cut(elem, ';', val);
    *val = nb_str_trim(*val);
    *q = 1000;
    for (bool more = params.ptr != NULL; more;) {
        struct nb_str p;
        params = nb_str_cut(params, ';', &p);
        more = params.ptr != NULL;
        struct nb_str pn;
        struct nb_str pv = nb_str_cut(nb_str_trim(p), '=', &pn);
        if (!nb_str_eq_nocase(nb_str_trim(pn), NB_STR("q")))
            continue;
        if (!pv.ptr || !parse_qvalue(nb_str_trim(pv), q))
            return false;
    }
    return true;
}

/* Specificity of range for the media type full ("text/html") whose subtype wildcard is
 * group: 2 exact, 1 any subtype of the type, 0 any type, -1 no match. */
static int range_match(struct nb_str range, struct nb_str full, struct nb_str group)
{
    if (nb_str_eq_nocase(range, full))
        return 2;
    if (nb_str_eq_nocase(range, group))
        return 1;
    if (nb_str_eq_c(range, "*/*"))
        return 0;
    return -1;
}

bool nb_http_accept_json(struct nb_str accept)
{
    int spec_json = -1, spec_html = -1;
    unsigned q_json = 0, q_html = 0;
    struct nb_str rest = accept;
    for (bool more = true; more;) {
        struct nb_str elem, range;
        unsigned q;
        rest = nb_str_cut(rest, ',', &elem);
        more = rest.ptr != NULL;
        if (!list_elem(elem, &range, &q) || range.len == 0)
            continue;
        int s = range_match(range, NB_STR("application/json"), NB_STR("application/*"));
        if (s > spec_json) {
            spec_json = s;
            q_json = q;
        }
        s = range_match(range, NB_STR("text/html"), NB_STR("text/*"));
        if (s > spec_html) {
            spec_html = s;
            q_html = q;
        }
    }
    return spec_json >= 0 && q_json > q_html;
}

unsigned nb_http_accept_encoding(struct nb_str accept_encoding)
{
    int gzip = -1, br = -1, any = -1; /* q of the first mention, -1 when not mentioned */
    struct nb_str rest = accept_encoding;
    for (bool more = true; more;) {
        struct nb_str elem, coding;
        unsigned q;
        rest = nb_str_cut(rest, ',', &elem);
        more = rest.ptr != NULL;
        if (!list_elem(elem, &coding, &q))
            continue;
        int *slot = NULL;
        if (nb_str_eq_nocase(coding, NB_STR("gzip")) || nb_str_eq_nocase(coding, NB_STR("x-gzip")))
            slot = &gzip;
        else if (nb_str_eq_nocase(coding, NB_STR("br")))
            slot = &br;
        else if (nb_str_eq_c(coding, "*"))
            slot = &any;
        if (slot && *slot < 0)
            *slot = (int)q;
    }
    unsigned set = 0;
    if (gzip > 0 || (gzip < 0 && any > 0))
        set |= NB_HTTP_ENC_GZIP;
    if (br > 0 || (br < 0 && any > 0))
        set |= NB_HTTP_ENC_BR;
    return set;
}

bool nb_http_media_type_is(struct nb_str content_type, const char *type)
{
    struct nb_str mt;
    (void)nb_str_cut(content_type, ';', &mt);
    return nb_str_eq_nocase(nb_str_trim(mt), nb_str_c(type));
}
