/* form.c: the form layer of the back office (form.h).
 *
 * The body is decoded once into raw (name, value) pairs; checking the bytes is the job of
 * each field, so that one wrong byte costs only its own field, and the CSRF token is found
 * even when another field holds a control character. What a field shows again is always
 * valid UTF-8 without controls other than tab, CR and LF: wrong bytes become U+FFFD. */
#include "web/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/log.h"
#include "base/utf8.h"
#include "domain/check.h"
#include "http/multipart.h"
#include "http/parse.h"
#include "http/server.h"
#include "web/staff.h"

/* ---- the body ---------------------------------------------------------------------------- */

static enum nb_err parse_urlencoded(struct nb_str body, struct nb_arena *a, struct nb_form_body *b)
{
    struct nb_http_kv_iter it;
    nb_http_form_iter(&it, body);
    for (;;) {
        struct nb_str name, value;
        enum nb_err err = nb_http_kv_next_bytes(&it, a, &name, &value);
        if (err == NB_ERR_NOTFOUND)
            return NB_OK;
        if (err)
            return err;
        b->name[b->n] = name;
        b->value[b->n] = value;
        b->n++;
    }
}

static enum nb_err parse_multipart(struct nb_str content_type, struct nb_str body,
                                   struct nb_form_body *b)
{
    struct nb_str boundary;
    enum nb_err err = nb_http_multipart_boundary(content_type, &boundary);
    if (err)
        return err;
    struct nb_http_multipart_iter it;
    nb_http_multipart_iter(&it, body, boundary);
    struct nb_http_part part;
    while ((err = nb_http_multipart_next(&it, &part)) == NB_OK) {
        if (part.has_filename)
            continue; /* files are read with the iterator by the forms that take them */
        b->name[b->n] = part.name;
        b->value[b->n] = part.body;
        b->n++;
    }
    return err == NB_ERR_NOTFOUND ? NB_OK : err;
}

enum nb_err nb_form_body_parse(struct nb_str content_type, struct nb_str body, struct nb_arena *a,
                               struct nb_form_body **out)
{
    *out = NULL;
    struct nb_form_body *b = nb_arena_alloc(a, sizeof(*b));
    if (!b)
        return NB_ERR_NOMEM;
    b->n = 0;
    b->non_text = false;
    /* Both parsers stop at NB_HTTP_FORM_FIELDS_MAX pairs, the size of the arrays. */
    enum nb_err err;
    if (body.len == 0)
        err = NB_OK; /* a POST without fields: an empty form, whatever its content type */
    else if (nb_http_media_type_is(content_type, "application/x-www-form-urlencoded"))
        err = parse_urlencoded(body, a, b);
    else if (nb_http_media_type_is(content_type, "multipart/form-data"))
        err = parse_multipart(content_type, body, b);
    else
        err = NB_ERR_INPUT;
    if (err)
        return err;
    for (size_t i = 0; i < b->n && !b->non_text; i++)
        b->non_text = !nb_utf8_valid(b->name[i].ptr, b->name[i].len) ||
                      !nb_utf8_valid(b->value[i].ptr, b->value[i].len) ||
                      nb_utf8_has_controls(b->name[i].ptr, b->name[i].len) ||
                      nb_utf8_has_controls(b->value[i].ptr, b->value[i].len);
    *out = b;
    return NB_OK;
}

bool nb_form_body_get(const struct nb_form_body *b, const char *name, struct nb_str *value)
{
    for (size_t i = 0; b && i < b->n; i++) {
        if (nb_str_eq_c(b->name[i], name)) {
            *value = b->value[i];
            return true;
        }
    }
    return false;
}

/* ---- one field ------------------------------------------------------------------------------ */

enum bytes { BYTES_OK, BYTES_UTF8, BYTES_CONTROL };

static bool is_control(uint32_t c, bool multiline)
{
    if (c == '\t' || c == '\n' || c == '\r')
        return !multiline;
    return c < 0x20 || c == 0x7f;
}

/* Copies raw into the arena as valid UTF-8: each byte that starts no valid sequence becomes
 * U+FFFD, and so does each control other than tab, CR and LF. *found says what was wrong
 * first: invalid UTF-8 outranks a control character. */
static enum nb_err sanitize(struct nb_arena *a, struct nb_str raw, bool multiline,
                            struct nb_str *out, enum bytes *found)
{
    static const char fffd[] = "\xef\xbf\xbd";
    *found = BYTES_OK;
    if (raw.len > (SIZE_MAX - 1) / 3)
        return NB_ERR_LIMIT;
    char *dst = nb_arena_alloc(a, raw.len * 3 + 1);
    if (!dst)
        return NB_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < raw.len;) {
        uint32_t cp;
        size_t k = nb_utf8_decode(raw.ptr + i, raw.len - i, &cp);
        if (k == 0) {
            *found = BYTES_UTF8;
            memcpy(dst + n, fffd, 3);
            n += 3;
            i++;
            continue;
        }
        if (is_control(cp, true)) {
            if (*found == BYTES_OK)
                *found = BYTES_CONTROL;
            memcpy(dst + n, fffd, 3);
            n += 3;
        } else {
            if (is_control(cp, multiline) && *found == BYTES_OK)
                *found = BYTES_CONTROL;
            memcpy(dst + n, raw.ptr + i, k);
            n += k;
        }
        i += k;
    }
    dst[n] = '\0';
    *out = (struct nb_str){dst, n};
    return NB_OK;
}

static const char *text_of(struct nb_form *f, const char *key)
{
    return nb_i18n_get(f->lang, key);
}

/* The catalog text of key with {name} filled in, copied into the arena ("" on failure). */
static const char *format(struct nb_form *f, const char *key, const char *name, const char *value)
{
    struct nb_buf b;
    nb_buf_init(&b, 4096);
    nb_i18n_format(&b, f->lang, key, name, value, (char *)NULL);
    const char *out =
        b.err == NB_OK ? nb_arena_strndup(f->arena, b.ptr ? b.ptr : "", b.len) : NULL;
    nb_buf_free(&b);
    return out ? out : "";
}

static const char *message(struct nb_form *f, const struct nb_form_field *d, enum nb_err err)
{
    if (err == NB_ERR_LIMIT && d->long_key) {
        char num[24];
        snprintf(num, sizeof(num), "%zu", d->max);
        return format(f, d->long_key, "max", num);
    }
    /* Every kind that can fail its check has an invalid_key; BOOL cannot fail it. */
    return d->invalid_key ? text_of(f, d->invalid_key) : d->name;
}

static bool parse_int(struct nb_str s, int64_t min, int64_t max, int64_t *out)
{
    bool neg = s.len && s.ptr[0] == '-';
    struct nb_str digits = neg ? (struct nb_str){s.ptr + 1, s.len - 1} : s;
    uint64_t u;
    if (!nb_str_to_u64(digits, (uint64_t)INT64_MAX, &u))
        return false;
    int64_t v = neg ? -(int64_t)u : (int64_t)u;
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* Checks the text of field d (bytes already valid) and sets v->num or v->on; the error. */
static enum nb_err check(const struct nb_form_field *d, struct nb_form_value *v)
{
    struct nb_str t = v->text;
    switch (d->kind) {
    case NB_FORM_LINE:
        return nb_check_line(t, d->max, false);
    case NB_FORM_TEXT:
        return nb_check_text(t, d->max, false);
    case NB_FORM_SLUG:
        return nb_check_slug(t);
    case NB_FORM_CHOICE:
        for (size_t i = 0; d->choices && d->choices[i]; i++) {
            if (nb_str_eq_c(t, d->choices[i])) {
                v->num = (int64_t)i;
                return NB_OK;
            }
        }
        return NB_ERR_INPUT;
    case NB_FORM_BOOL:
        v->on = true;
        return NB_OK;
    case NB_FORM_INT:
        return parse_int(t, d->min, d->imax, &v->num) ? NB_OK : NB_ERR_INPUT;
    case NB_FORM_DATE: {
        int32_t date;
        if (nb_civil_parse_date(t, &date) != NB_OK)
            return NB_ERR_INPUT;
        v->num = date;
        return NB_OK;
    }
    case NB_FORM_TIME: {
        int minute;
        int64_t max = d->imax ? d->imax : 1439;
        if (nb_civil_parse_hhmm(t, &minute) != NB_OK || minute > max)
            return NB_ERR_INPUT;
        v->num = minute;
        return NB_OK;
    }
    case NB_FORM_PHONE:
        if (t.len > d->max)
            return NB_ERR_LIMIT;
        return nb_check_phone(t, true);
    case NB_FORM_EMAIL:
        if (t.len > d->max)
            return NB_ERR_LIMIT;
        return nb_check_email(t, true);
    }
    return NB_ERR_INPUT;
}

static bool trims(enum nb_form_kind kind)
{
    return kind != NB_FORM_TEXT && kind != NB_FORM_BOOL;
}

/* Reads one field from its raw bytes (raw.ptr NULL: absent). */
static enum nb_err read_field(struct nb_form *f, size_t i, struct nb_str raw)
{
    const struct nb_form_field *d = &f->fields[i];
    struct nb_form_value *v = &f->v[i];
    enum bytes found;
    enum nb_err err = sanitize(f->arena, raw.ptr ? raw : (struct nb_str){"", 0},
                               d->kind == NB_FORM_TEXT, &v->shown, &found);
    if (err == NB_ERR_NOMEM)
        return err;
    const char *label = d->label_key ? text_of(f, d->label_key) : d->name;
    if (err == NB_OK && found == BYTES_UTF8) {
        nb_form_fail(f, i, format(f, "form_field_utf8", "field", label));
        return NB_OK;
    }
    /* Tab, CR and LF are the line check's to report (a line has no line breaks). */
    if (err == NB_OK && found == BYTES_CONTROL &&
        (d->kind == NB_FORM_TEXT || nb_utf8_has_controls(raw.ptr, raw.len))) {
        nb_form_fail(f, i, format(f, "form_field_control", "field", label));
        return NB_OK;
    }
    v->text = trims(d->kind) ? nb_str_trim(v->shown) : v->shown;
    if (err == NB_OK && d->kind == NB_FORM_BOOL) {
        v->on = raw.len > 0;
        return NB_OK;
    }
    if (err == NB_OK && nb_str_trim(v->text).len == 0) {
        if (d->required)
            nb_form_fail(f, i, text_of(f, d->missing_key ? d->missing_key : d->invalid_key));
        return NB_OK;
    }
    if (err == NB_OK)
        err = check(d, v);
    if (err)
        nb_form_fail(f, i, message(f, d, err));
    return NB_OK;
}

/* ---- the form -------------------------------------------------------------------------------- */

void nb_form_init(struct nb_form *f, const struct nb_form_field *fields, size_t n,
                  enum nb_lang lang, struct nb_arena *a)
{
    if (n > NB_FORM_FIELDS_MAX)
        abort(); /* a descriptor is code: NB_FORM_FIELDS_MAX is the one to raise */
    memset(f, 0, sizeof(*f));
    f->fields = fields;
    f->n = n;
    f->lang = lang;
    f->arena = a;
    for (size_t i = 0; i < n; i++)
        f->v[i].shown = f->v[i].text = (struct nb_str){"", 0};
}

void nb_form_set(struct nb_form *f, size_t i, struct nb_str value)
{
    struct nb_str shown;
    enum bytes found;
    if (i >= f->n || sanitize(f->arena, value, true, &shown, &found) != NB_OK)
        return;
    f->v[i].shown = shown;
    f->v[i].text = trims(f->fields[i].kind) ? nb_str_trim(shown) : shown;
}

enum nb_err nb_form_read(struct nb_form *f, const struct nb_form_body *b)
{
    for (size_t i = 0; i < f->n; i++) {
        struct nb_str raw = {NULL, 0};
        nb_form_body_get(b, f->fields[i].name, &raw);
        enum nb_err err = read_field(f, i, raw);
        if (err)
            return err;
    }
    return f->errors ? NB_ERR_INPUT : NB_OK;
}

void nb_form_fail(struct nb_form *f, size_t i, const char *msg)
{
    if (i >= f->n || !msg || f->v[i].error)
        return;
    f->v[i].error = msg;
    f->errors++;
}

size_t nb_form_index(const struct nb_form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return i;
    return f->n;
}

/* Sets obj.key to value.ptr (value is NUL-terminated) or to the C string s. */
static bool set(json_t *obj, const char *key, const char *value, size_t len)
{
    return json_object_set_new(obj, key, json_stringn(value, len)) == 0;
}

enum nb_err nb_form_values(const struct nb_form *f, json_t *obj)
{
    char key[96];
    for (size_t i = 0; i < f->n; i++) {
        const struct nb_form_field *d = &f->fields[i];
        const struct nb_form_value *v = &f->v[i];
        bool ok = true;
        if (d->kind == NB_FORM_BOOL)
            ok = json_object_set_new(obj, d->name, json_boolean(v->on)) == 0;
        else
            ok = set(obj, d->name, v->shown.ptr, v->shown.len);
        if (ok && v->error) {
            snprintf(key, sizeof(key), "%s_error", d->name);
            ok = set(obj, key, v->error, strlen(v->error));
        }
        if (ok && d->lang) {
            snprintf(key, sizeof(key), "%s_lang", d->name);
            ok = set(obj, key, d->lang, strlen(d->lang));
        }
        if (!ok)
            return NB_ERR_NOMEM;
    }
    return NB_OK;
}

json_t *nb_form_summary(const struct nb_form *f)
{
    if (!f->errors)
        return NULL;
    json_t *items = json_array();
    json_t *out = json_pack("{s:s, s:o}", "title", nb_i18n_get(f->lang, "form_summary_title"),
                            "items", items);
    if (!out) {
        nb_log_error("form.summary", "error=%s", nb_err_str(NB_ERR_NOMEM));
        return NULL;
    }
    for (size_t i = 0; i < f->n; i++) {
        if (!f->v[i].error)
            continue;
        const char *id = f->fields[i].anchor ? f->fields[i].anchor : f->fields[i].name;
        char href[96];
        snprintf(href, sizeof(href), "#%s", id);
        if (json_array_append_new(items, json_pack("{s:s, s:s}", "href", href, "text",
                                                   f->v[i].error)) != 0) {
            nb_log_error("form.summary", "error=%s", nb_err_str(NB_ERR_NOMEM));
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* ---- in a back-office request ------------------------------------------------------------ */

enum nb_err nb_form_staff_body(struct nb_staff *s, const struct nb_form_body **out)
{
    if (!s->body_read) {
        struct nb_form_body *b = NULL;
        s->body_err = nb_form_body_parse(nb_http_header(s->req, "Content-Type"), s->req->body,
                                         &s->req->arena, &b);
        s->body = b;
        s->body_read = true;
    }
    *out = s->body;
    return s->body_err;
}

bool nb_form_staff_reads(const char *path)
{
    /* The editors on this layer; the others join as they move (and the route table will
     * say it per route). */
    static const char *const prefixes[] = {"/betriebszustand", "/presse", "/meldungen",
                                           "/einstellungen"};
    struct nb_str p = nb_str_c(path);
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        struct nb_str pre = nb_str_c(prefixes[i]);
        if (nb_str_starts(p, pre) && (p.len == pre.len || p.ptr[pre.len] == '/'))
            return true;
    }
    return false;
}

bool nb_form_staff_read(struct nb_staff *s, struct nb_form *f, const struct nb_form_field *fields,
                        size_t n)
{
    nb_form_init(f, fields, n, s->lang, &s->req->arena);
    const struct nb_form_body *b;
    enum nb_err err = nb_form_staff_body(s, &b);
    if (err == NB_OK)
        err = nb_form_read(f, b);
    if (err == NB_OK || (err == NB_ERR_INPUT && s->body))
        return true;
    nb_form_staff_refuse(s, err);
    return false;
}

void nb_form_staff_refuse(struct nb_staff *s, enum nb_err err)
{
    if (err == NB_ERR_LIMIT)
        nb_staff_message(s, 413, "error_413_title", "form_too_many_fields");
    else if (err == NB_ERR_INPUT)
        nb_staff_message(s, 400, "error_400_title", "form_unreadable");
    else
        nb_staff_message(s, 500, "error_500_title", "error_500_text");
}

void nb_form_staff_render(struct nb_staff *s, unsigned status, const char *tpl,
                          const struct nb_form *f, json_t *m, json_t *form_obj)
{
    json_t *summary = nb_form_summary(f);
    bool ok = nb_form_values(f, form_obj) == NB_OK && (!f->errors || summary) &&
              (!summary || json_object_set_new(m, "error_summary", summary) == 0);
    if (!ok) {
        nb_log_error("form.model", "template=%s error=%s", tpl, nb_err_str(NB_ERR_NOMEM));
        json_decref(m);
        nb_staff_message(s, 500, "error_500_title", "error_500_text");
        return;
    }
    nb_staff_render(s, status, tpl, m);
}
