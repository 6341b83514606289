/* multipart.c: multipart/form-data parsing (RFC 7578, RFC 2046 section 5.1.1) and the form
 * field entry point that dispatches on the content type.
 *
 * Invariants: the body is walked forwards once per iteration with an explicit length; every
 * index is checked against the length before the byte is read; nothing is copied except the
 * value that nb_http_form_field returns. The iterator's error is sticky, so a caller that
 * ignores one error cannot read parts behind a malformed one. Header parameters follow
 * RFC 9110's grammar (*( OWS ";" OWS [ name "=" value ] )); in Content-Disposition a quoted
 * value ends at the next '"' because browsers percent-escape quotes and do not use
 * quoted-pair there. */
#include "http/multipart.h"

#include <stdint.h>
#include <string.h>

#include "base/utf8.h"
#include "http/parse.h"

#define NONE SIZE_MAX

static const struct nb_str empty = {"", 0};

/* ---- header parameters ------------------------------------------------------------------ */

struct cur {
    const char *p;
    size_t n, i;
};

static void skip_ows(struct cur *c)
{
    while (c->i < c->n && (c->p[c->i] == ' ' || c->p[c->i] == '\t'))
        c->i++;
}

/* A non-empty run of tchar; false when there is none. */
static bool read_token(struct cur *c, struct nb_str *out)
{
    size_t start = c->i;
    while (c->i < c->n && nb_http_is_tchar((unsigned char)c->p[c->i]))
        c->i++;
    *out = (struct nb_str){c->p + start, c->i - start};
    return out->len > 0;
}

/* A token or a quoted-string; *out is the raw content without the quotes. With escapes, a
 * backslash in a quoted-string quotes the next byte (which is kept, with the backslash). */
static enum nb_err read_value(struct cur *c, bool escapes, struct nb_str *out)
{
    if (c->i < c->n && c->p[c->i] == '"') {
        size_t start = ++c->i;
        while (c->i < c->n && c->p[c->i] != '"') {
            if (escapes && c->p[c->i] == '\\')
                c->i++;
            c->i++;
        }
        if (c->i >= c->n)
            return NB_ERR_INPUT;
        *out = (struct nb_str){c->p + start, c->i - start};
        c->i++;
        return NB_OK;
    }
    return read_token(c, out) ? NB_OK : NB_ERR_INPUT;
}

/* The next parameter: NB_OK with *name and *value, NB_ERR_NOTFOUND at the end, NB_ERR_INPUT
 * for anything outside the grammar. */
static enum nb_err next_param(struct cur *c, bool escapes, struct nb_str *name,
                              struct nb_str *value)
{
    for (;;) {
        skip_ows(c);
        if (c->i == c->n)
            return NB_ERR_NOTFOUND;
        if (c->p[c->i] != ';')
            return NB_ERR_INPUT;
        c->i++;
        skip_ows(c);
        if (c->i == c->n || c->p[c->i] == ';')
            continue; /* empty parameter, allowed by the grammar */
        if (!read_token(c, name) || c->i == c->n || c->p[c->i] != '=')
            return NB_ERR_INPUT;
        c->i++;
        return read_value(c, escapes, value);
    }
}

/* RFC 2046 bcharsnospace. */
static bool is_bchar_nospace(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("'()+_,-./:=?", c) != NULL;
}

static bool is_boundary(struct nb_str b)
{
    if (b.len == 0 || b.len > NB_HTTP_BOUNDARY_MAX || b.ptr[b.len - 1] == ' ')
        return false;
    for (size_t i = 0; i < b.len; i++)
        if (b.ptr[i] != ' ' && !is_bchar_nospace((unsigned char)b.ptr[i]))
            return false;
    return true;
}

enum nb_err nb_http_multipart_boundary(struct nb_str content_type, struct nb_str *boundary)
{
    *boundary = empty;
    if (!nb_http_media_type_is(content_type, "multipart/form-data"))
        return NB_ERR_INPUT;
    ptrdiff_t semi = nb_str_find(content_type, ';');
    if (semi < 0)
        return NB_ERR_INPUT;
    struct cur c = {content_type.ptr, content_type.len, (size_t)semi};
    struct nb_str name, value, found = {NULL, 0};
    enum nb_err err;
    while ((err = next_param(&c, true, &name, &value)) == NB_OK) {
        if (!nb_str_eq_nocase(name, NB_STR("boundary")))
            continue;
        if (found.ptr)
            return NB_ERR_INPUT;
        found = value;
    }
    if (err != NB_ERR_NOTFOUND || !found.ptr || !is_boundary(found))
        return NB_ERR_INPUT;
    *boundary = found;
    return NB_OK;
}

/* ---- parts ------------------------------------------------------------------------------ */

/* Names and filenames: valid UTF-8 without any control character (not even tab). */
static bool is_name_text(struct nb_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return nb_utf8_valid(s.ptr, s.len);
}

static enum nb_err parse_disposition(struct nb_str value, struct nb_http_part *part)
{
    struct cur c = {value.ptr, value.len, 0};
    struct nb_str type, pn, pv;
    if (!read_token(&c, &type) || !nb_str_eq_nocase(type, NB_STR("form-data")))
        return NB_ERR_INPUT;
    bool has_name = false;
    enum nb_err err;
    while ((err = next_param(&c, false, &pn, &pv)) == NB_OK) {
        if (nb_str_eq_nocase(pn, NB_STR("name"))) {
            if (has_name || pv.len == 0 || !is_name_text(pv))
                return NB_ERR_INPUT;
            has_name = true;
            part->name = pv;
        } else if (nb_str_eq_nocase(pn, NB_STR("filename"))) {
            if (part->has_filename || !is_name_text(pv))
                return NB_ERR_INPUT;
            part->has_filename = true;
            part->filename = pv.len ? pv : empty;
        }
        /* Other parameters (filename*, which RFC 7578 section 4.2 forbids senders to use)
         * are ignored. */
    }
    if (err != NB_ERR_NOTFOUND || !has_name)
        return NB_ERR_INPUT;
    return NB_OK;
}

/* Offset of the next delimiter (CRLF "--" boundary) at or after from, or NONE. */
static size_t find_delim(struct nb_str body, size_t from, struct nb_str b)
{
    size_t need = 4 + b.len;
    size_t i = from;
    while (i < body.len && body.len - i >= need) {
        const char *cr = memchr(body.ptr + i, '\r', body.len - i - need + 1);
        if (!cr)
            return NONE;
        i = (size_t)(cr - body.ptr);
        if (body.ptr[i + 1] == '\n' && body.ptr[i + 2] == '-' && body.ptr[i + 3] == '-' &&
            memcmp(body.ptr + i + 4, b.ptr, b.len) == 0)
            return i;
        i++;
    }
    return NONE;
}

/* What follows a boundary at offset p: "--" and optional padding, then the end or CRLF and
 * the epilogue (*closed), or padding and CRLF before the next part (*next). */
static enum nb_err after_boundary(struct nb_str body, size_t p, bool *closed, size_t *next)
{
    *closed = false;
    if (body.len - p >= 2 && body.ptr[p] == '-' && body.ptr[p + 1] == '-') {
        *closed = true;
        p += 2;
    }
    while (p < body.len && (body.ptr[p] == ' ' || body.ptr[p] == '\t'))
        p++;
    if (*closed && p == body.len)
        return NB_OK;
    if (body.len - p < 2 || body.ptr[p] != '\r' || body.ptr[p + 1] != '\n')
        return NB_ERR_INPUT;
    *next = p + 2;
    return NB_OK;
}

/* The end of the header line starting at p: *e is the offset of its CR. start is where the
 * part's header block began; the block must end within NB_HTTP_PART_HEADER_MAX bytes. */
static enum nb_err line_end(struct nb_str body, size_t start, size_t p, size_t *e)
{
    for (size_t i = p;; i++) {
        if (i + 2 - start > NB_HTTP_PART_HEADER_MAX)
            return NB_ERR_LIMIT;
        if (i >= body.len)
            return NB_ERR_INPUT;
        unsigned char c = (unsigned char)body.ptr[i];
        if (c == '\r') {
            if (i + 1 >= body.len || body.ptr[i + 1] != '\n')
                return NB_ERR_INPUT;
            *e = i;
            return NB_OK;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return NB_ERR_INPUT;
    }
}

static enum nb_err header_line(struct nb_str line, struct nb_str boundary, bool *seen_type,
                               bool *seen_disp, struct nb_http_part *part)
{
    /* A line that starts like a delimiter is one that lost its part's blank line. */
    if (line.len >= 2 + boundary.len && line.ptr[0] == '-' && line.ptr[1] == '-' &&
        memcmp(line.ptr + 2, boundary.ptr, boundary.len) == 0)
        return NB_ERR_INPUT;
    struct nb_str hname;
    struct nb_str value = nb_str_cut(line, ':', &hname);
    if (!value.ptr || !nb_http_is_token(hname))
        return NB_ERR_INPUT;
    value = nb_str_trim(value);
    if (nb_str_eq_nocase(hname, NB_STR("Content-Disposition"))) {
        if (*seen_disp)
            return NB_ERR_INPUT;
        *seen_disp = true;
        return parse_disposition(value, part);
    }
    if (nb_str_eq_nocase(hname, NB_STR("Content-Type"))) {
        if (*seen_type)
            return NB_ERR_INPUT;
        *seen_type = true;
        part->content_type = value.len ? value : empty;
    }
    return NB_OK;
}

void nb_http_multipart_iter(struct nb_http_multipart_iter *it, struct nb_str body,
                            struct nb_str boundary)
{
    it->body = body;
    it->boundary = boundary;
    it->pos = 0;
    it->count = 0;
    it->started = false;
    it->end = NB_OK;
}

static enum nb_err fail(struct nb_http_multipart_iter *it, enum nb_err err)
{
    it->end = err;
    return err;
}

/* Finds the first delimiter, at the very start or after the preamble's CRLF. */
static enum nb_err start(struct nb_http_multipart_iter *it)
{
    struct nb_str body = it->body, b = it->boundary;
    if (b.len == 0 || b.len > NB_HTTP_BOUNDARY_MAX)
        return NB_ERR_INPUT;
    if (body.len > NB_HTTP_BODY_MAX)
        return NB_ERR_LIMIT;
    size_t after;
    if (body.len >= 2 + b.len && body.ptr[0] == '-' && body.ptr[1] == '-' &&
        memcmp(body.ptr + 2, b.ptr, b.len) == 0) {
        after = 2 + b.len;
    } else {
        size_t d = find_delim(body, 0, b);
        if (d == NONE)
            return NB_ERR_INPUT;
        after = d + 4 + b.len;
    }
    bool closed;
    enum nb_err err = after_boundary(body, after, &closed, &it->pos);
    if (err)
        return err;
    it->started = true;
    return closed ? NB_ERR_NOTFOUND : NB_OK;
}

enum nb_err nb_http_multipart_next(struct nb_http_multipart_iter *it, struct nb_http_part *part)
{
    *part = (struct nb_http_part){empty, empty, false, empty, empty};
    if (it->end)
        return it->end;
    if (!it->started) {
        enum nb_err err = start(it);
        if (err)
            return fail(it, err);
    }
    if (it->count >= NB_HTTP_FORM_FIELDS_MAX)
        return fail(it, NB_ERR_LIMIT);

    struct nb_str body = it->body;
    size_t p = it->pos;
    bool seen_type = false, seen_disp = false;
    for (;;) {
        if (body.len - p >= 2 && body.ptr[p] == '\r' && body.ptr[p + 1] == '\n') {
            p += 2; /* the blank line that ends the headers */
            break;
        }
        /* A folded line (obsolete) starts with a space and so has no token name. */
        size_t e;
        enum nb_err err = line_end(body, it->pos, p, &e);
        if (!err)
            err = header_line((struct nb_str){body.ptr + p, e - p}, it->boundary, &seen_type,
                              &seen_disp, part);
        if (err)
            return fail(it, err);
        p = e + 2;
    }
    if (!seen_disp)
        return fail(it, NB_ERR_INPUT);

    size_t d = find_delim(body, p, it->boundary);
    if (d == NONE)
        return fail(it, NB_ERR_INPUT); /* no closing delimiter */
    bool closed;
    enum nb_err err = after_boundary(body, d + 4 + it->boundary.len, &closed, &it->pos);
    if (err)
        return fail(it, err);
    part->body = d > p ? (struct nb_str){body.ptr + p, d - p} : empty;
    it->count++;
    if (closed)
        it->end = NB_ERR_NOTFOUND;
    return NB_OK;
}

enum nb_err nb_http_multipart_check(struct nb_str body, struct nb_str boundary)
{
    struct nb_http_multipart_iter it;
    nb_http_multipart_iter(&it, body, boundary);
    struct nb_http_part part;
    enum nb_err err;
    while ((err = nb_http_multipart_next(&it, &part)) == NB_OK)
        ;
    return err == NB_ERR_NOTFOUND ? NB_OK : err;
}

/* The first part called name, after validating the whole body. */
static enum nb_err find_part(struct nb_str body, struct nb_str boundary, const char *name,
                             struct nb_http_part *part)
{
    enum nb_err err = nb_http_multipart_check(body, boundary);
    if (err)
        return err;
    struct nb_http_multipart_iter it;
    nb_http_multipart_iter(&it, body, boundary);
    while ((err = nb_http_multipart_next(&it, part)) == NB_OK)
        if (nb_str_eq_c(part->name, name))
            return NB_OK;
    return err;
}

enum nb_err nb_http_multipart_get(struct nb_str body, struct nb_str boundary, const char *name,
                                  struct nb_str *value)
{
    struct nb_http_part part;
    enum nb_err err = find_part(body, boundary, name, &part);
    if (!err)
        *value = part.body;
    return err;
}

/* ---- one entry point for form fields ---------------------------------------------------- */

enum nb_err nb_http_form_field(struct nb_str content_type, struct nb_str body, const char *name,
                               struct nb_arena *a, struct nb_str *value)
{
    if (nb_http_media_type_is(content_type, "application/x-www-form-urlencoded"))
        return nb_http_form_get(body, name, a, value);
    if (!nb_http_media_type_is(content_type, "multipart/form-data"))
        return NB_ERR_INPUT;
    struct nb_str boundary;
    struct nb_http_part part;
    enum nb_err err = nb_http_multipart_boundary(content_type, &boundary);
    if (!err)
        err = find_part(body, boundary, name, &part);
    if (err)
        return err;
    /* Same text rule as urlencoded values: textareas send CRLF line breaks. */
    struct nb_str v = part.body;
    if (part.has_filename || !nb_utf8_valid(v.ptr, v.len) || nb_utf8_has_controls(v.ptr, v.len))
        return NB_ERR_INPUT;
    if (v.len == 0) {
        *value = empty;
        return NB_OK;
    }
    char *copy = nb_arena_strndup(a, v.ptr, v.len);
    if (!copy)
        return NB_ERR_NOMEM;
    *value = (struct nb_str){copy, v.len};
    return NB_OK;
}
