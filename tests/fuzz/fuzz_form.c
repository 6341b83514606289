/* fuzz_form.c: libFuzzer harness for the whole form decoding path: nb_http_form_field with
 * its dispatch on the content type, the urlencoded parser behind it and http/multipart.
 *
 * The input is a Content-Type value, a newline, and the body (no newline: all of it is the
 * content type, the body is empty). Beyond the sanitizers it checks the contract: the
 * boundary is 1..70 bytes inside the content type; every part is a view inside the body with
 * a valid name; iteration, validation and lookup agree (the first part with a name is what
 * lookup returns); form_field returns NUL-terminated UTF-8 text without refused controls, or
 * one of the documented errors; the part limit holds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "http/multipart.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(struct nb_str s, struct nb_str outer)
{
    if (s.len == 0)
        return true;
    return s.ptr >= outer.ptr && s.len <= outer.len &&
           (size_t)(s.ptr - outer.ptr) <= outer.len - s.len;
}

static void check_text(struct nb_str s, size_t max)
{
    if (s.len > max || !s.ptr || s.ptr[s.len] != '\0' || !nb_utf8_valid(s.ptr, s.len) ||
        memchr(s.ptr, '\0', s.len) || nb_utf8_has_controls(s.ptr, s.len))
        abort();
}

static void check_name(struct nb_str s, bool may_be_empty)
{
    if ((!may_be_empty && s.len == 0) || !nb_utf8_valid(s.ptr, s.len))
        abort();
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.ptr[i] < 0x20 || s.ptr[i] == 0x7f)
            abort();
}

static void field(struct nb_str ct, struct nb_str body, const char *name, struct nb_arena *a)
{
    struct nb_str v;
    enum nb_err err = nb_http_form_field(ct, body, name, a, &v);
    if (err == NB_OK)
        check_text(v, body.len);
    else if (err != NB_ERR_NOTFOUND && err != NB_ERR_INPUT && err != NB_ERR_LIMIT)
        abort();
}

static void multipart(struct nb_str ct, struct nb_str body, struct nb_arena *a)
{
    struct nb_str boundary;
    enum nb_err err = nb_http_multipart_boundary(ct, &boundary);
    if (err != NB_OK) {
        if (err != NB_ERR_INPUT || boundary.len != 0)
            abort();
        return;
    }
    if (boundary.len == 0 || boundary.len > NB_HTTP_BOUNDARY_MAX || !inside(boundary, ct))
        abort();

    enum nb_err check = nb_http_multipart_check(body, boundary);
    if (check != NB_OK && check != NB_ERR_INPUT && check != NB_ERR_LIMIT)
        abort();

    struct nb_http_multipart_iter it;
    nb_http_multipart_iter(&it, body, boundary);
    struct nb_http_part part, first = {{NULL, 0}, {NULL, 0}, false, {NULL, 0}, {NULL, 0}};
    while ((err = nb_http_multipart_next(&it, &part)) == NB_OK) {
        check_name(part.name, false);
        if (part.has_filename)
            check_name(part.filename, true);
        else if (part.filename.len)
            abort();
        if (!inside(part.name, body) || !inside(part.filename, body) ||
            !inside(part.content_type, body) || !inside(part.body, body))
            abort();
        if (!first.name.ptr)
            first = part;
    }
    if (it.count > NB_HTTP_FORM_FIELDS_MAX)
        abort();
    /* Iterating to the end succeeds exactly when the whole body validates; errors stick. */
    if ((err == NB_ERR_NOTFOUND) != (check == NB_OK) || (err != NB_ERR_NOTFOUND && err != check))
        abort();
    if (nb_http_multipart_next(&it, &part) != err)
        abort();

    if (check == NB_OK && first.name.ptr) {
        char *name = nb_arena_strndup(a, first.name.ptr, first.name.len);
        if (!name)
            abort();
        struct nb_str got;
        if (nb_http_multipart_get(body, boundary, name, &got) != NB_OK ||
            got.ptr != first.body.ptr || got.len != first.body.len)
            abort();
        err = nb_http_form_field(ct, body, name, a, &got);
        bool text = !first.has_filename && nb_utf8_valid(first.body.ptr, first.body.len) &&
                    !nb_utf8_has_controls(first.body.ptr, first.body.len);
        if (text ? err != NB_OK || !nb_str_eq(got, first.body) : err != NB_ERR_INPUT)
            abort();
    } else if (check != NB_OK) {
        struct nb_str got;
        if (nb_http_multipart_get(body, boundary, "title", &got) != check)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *nl = memchr(p, '\n', size);
    size_t ctlen = nl ? (size_t)(nl - p) : size;
    struct nb_str ct = {p, ctlen};
    struct nb_str body = {nl ? nl + 1 : p + size, nl ? size - ctlen - 1 : 0};

    struct nb_arena a;
    nb_arena_init(&a, 1u << 22);
    static const char *const names[] = {"title", "body", "lang", "a", ""};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        field(ct, body, names[i], &a);
    multipart(ct, body, &a);

    /* The urlencoded path, whatever the content type says. */
    struct nb_http_kv_iter it;
    nb_http_form_iter(&it, body);
    struct nb_str n, v;
    enum nb_err err;
    while ((err = nb_http_kv_next(&it, &a, &n, &v)) == NB_OK) {
        check_text(n, body.len);
        check_text(v, body.len);
    }
    if (err != NB_ERR_NOTFOUND && err != NB_ERR_INPUT && err != NB_ERR_LIMIT && err != NB_ERR_NOMEM)
        abort();
    if (nb_http_media_type_is(ct, "application/x-www-form-urlencoded") &&
        (err == NB_ERR_NOTFOUND) != (nb_http_form_check(body) == NB_OK))
        abort();
    nb_arena_fini(&a);
    return 0;
}
