/* Unit tests for http/multipart: boundary parameter, part iteration, lookup and the
 * nb_http_form_field entry point; each limit on both sides; malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "http/multipart.h"

static struct nb_arena arena;
static struct nb_buf buf;

static int setup(void **state)
{
    (void)state;
    nb_arena_init(&arena, 8u << 20);
    nb_buf_init(&buf, 4u << 20);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    nb_buf_free(&buf);
    nb_arena_fini(&arena);
    return 0;
}

static struct nb_str S(const char *s) {
    return nb_str_c(s);
}

static void
assert_str(struct nb_str got, const char *want)
{
    if (!nb_str_eq_c(got, want))
        fail_msg("got \"%.*s\", want \"%s\"", NB_STR_FMT(got), want);
}

static void assert_bytes(struct nb_str got, const char *want, size_t len)
{
    if (got.len != len || (len && memcmp(got.ptr, want, len) != 0))
        fail_msg("got %zu bytes \"%.*s\", want %zu bytes", got.len, NB_STR_FMT(got), len);
}

/* ---- building bodies -------------------------------------------------------------------- */

#define B "----nbBoundary7MA4YWxk"

static void add(const char *s)
{
    nb_buf_add_c(&buf, s);
}

/* A text part: delimiter line, Content-Disposition, blank line, value, CRLF. */
static void add_field(const char *name, const char *value)
{
    add("--" B "\r\nContent-Disposition: form-data; name=\"");
    add(name);
    add("\"\r\n\r\n");
    add(value);
    add("\r\n");
}

static void add_close(void)
{
    add("--" B "--\r\n");
}

static struct nb_str body(void)
{
    assert_int_equal(buf.err, NB_OK);
    return nb_buf_str(&buf);
}

static enum nb_err check(struct nb_str b)
{
    return nb_http_multipart_check(b, S(B));
}

static enum nb_err check_c(const char *b)
{
    return nb_http_multipart_check(S(b), S("xyz"));
}

/* ---- boundary parameter ----------------------------------------------------------------- */

static enum nb_err boundary(const char *ct, struct nb_str *out)
{
    return nb_http_multipart_boundary(S(ct), out);
}

static void test_boundary(void **state)
{
    (void)state;
    struct nb_str b;
    assert_int_equal(boundary("multipart/form-data; boundary=" B, &b), NB_OK);
    assert_str(b, B);
    assert_int_equal(boundary("Multipart/Form-Data;BOUNDARY=abc", &b), NB_OK);
    assert_str(b, "abc");
    assert_int_equal(boundary("multipart/form-data; charset=\"ut\\\"f\"; boundary=x ; a=b", &b),
                     NB_OK);
    assert_str(b, "x");
    /* Quoted: the characters that a token cannot hold, and an inner space. */
    assert_int_equal(boundary("multipart/form-data; boundary=\"a b:c=d?(e)/f,g\"", &b), NB_OK);
    assert_str(b, "a b:c=d?(e)/f,g");

    /* 1 and 70 characters, token and quoted; 71 refused. */
    char ct[200];
    const char *pre = "multipart/form-data; boundary=";
    size_t np = strlen(pre);
    memcpy(ct, pre, np);
    assert_int_equal(boundary("multipart/form-data; boundary=1", &b), NB_OK);
    assert_int_equal(b.len, 1);
    memset(ct + np, 'k', NB_HTTP_BOUNDARY_MAX);
    ct[np + NB_HTTP_BOUNDARY_MAX] = '\0';
    assert_int_equal(boundary(ct, &b), NB_OK);
    assert_int_equal(b.len, NB_HTTP_BOUNDARY_MAX);
    ct[np + NB_HTTP_BOUNDARY_MAX] = 'k';
    ct[np + NB_HTTP_BOUNDARY_MAX + 1] = '\0';
    assert_int_equal(boundary(ct, &b), NB_ERR_INPUT);
    assert_int_equal(b.len, 0);
    ct[np] = '"';
    memset(ct + np + 1, 'q', NB_HTTP_BOUNDARY_MAX);
    ct[np + 1 + NB_HTTP_BOUNDARY_MAX] = '"';
    ct[np + 2 + NB_HTTP_BOUNDARY_MAX] = '\0';
    assert_int_equal(boundary(ct, &b), NB_OK);
    assert_int_equal(b.len, NB_HTTP_BOUNDARY_MAX);
    ct[np + 1 + NB_HTTP_BOUNDARY_MAX] = 'q';
    ct[np + 2 + NB_HTTP_BOUNDARY_MAX] = '"';
    ct[np + 3 + NB_HTTP_BOUNDARY_MAX] = '\0';
    assert_int_equal(boundary(ct, &b), NB_ERR_INPUT);

    assert_int_equal(boundary("multipart/form-data", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; charset=utf-8", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=\"\"", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=a; boundary=a", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/mixed; boundary=a", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("application/x-www-form-urlencoded; boundary=a", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=\"ab \"", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=\"abc", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=\"a\\\\b\"", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=a!b", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=a b", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary = ab", &b), NB_ERR_INPUT);
    assert_int_equal(boundary("multipart/form-data; boundary=ab x", &b), NB_ERR_INPUT);
}

/* ---- well-formed bodies ----------------------------------------------------------------- */

/* Binary content with NUL, CRLF, "--" and near-delimiters that are not the boundary: with a
 * space before it, and CRLF "--" and all of the boundary but its last character. */
static const char pdf[] = "%PDF-1.4\0\x01\xff\r\n--\r\n-- " B "\r\n----nbBoundary7MA4YWx\r\n"
                          "\r\n--\r\n";

static void build_notice(void)
{
    add_field("title", "Wasserrohrbruch");
    add_field("empty", "");
    add_field("title_de", "\u00C4rger \u00FCber Stra\u00DFe");
    add_field("title_ar", "\xD8\xA5\xD8\xB4\xD8\xB9\xD8\xA7\xD8\xB1");
    add("--" B "\r\ncontent-disposition: form-data; name=\"att\"; filename=\"plan v2.pdf\"\r\n"
        "Content-Type: application/pdf\r\nX-Other: ignored\r\n\r\n");
    nb_buf_add(&buf, pdf, sizeof(pdf) - 1);
    add("\r\n");
    add_close();
}

static void test_parts(void **state)
{
    (void)state;
    build_notice();
    struct nb_str b = body();
    struct nb_http_multipart_iter it;
    struct nb_http_part p;
    nb_http_multipart_iter(&it, b, S(B));

    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_str(p.name, "title");
    assert_str(p.body, "Wasserrohrbruch");
    assert_false(p.has_filename);
    assert_int_equal(p.filename.len, 0);
    assert_int_equal(p.content_type.len, 0);
    /* Views into the body, no copies. */
    assert_true(p.body.ptr > b.ptr && p.body.ptr < b.ptr + b.len);

    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_str(p.name, "empty");
    assert_int_equal(p.body.len, 0);

    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_str(p.name, "title_de");
    assert_str(p.body, "\u00C4rger \u00FCber Stra\u00DFe");

    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_str(p.body, "\xD8\xA5\xD8\xB4\xD8\xB9\xD8\xA7\xD8\xB1");

    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_str(p.name, "att");
    assert_true(p.has_filename);
    assert_str(p.filename, "plan v2.pdf");
    assert_str(p.content_type, "application/pdf");
    assert_bytes(p.body, pdf, sizeof(pdf) - 1);

    assert_int_equal(nb_http_multipart_next(&it, &p), NB_ERR_NOTFOUND);
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_ERR_NOTFOUND);
    assert_int_equal(it.count, 5);
    assert_int_equal(check(b), NB_OK);
}

static void test_quoted_boundary(void **state)
{
    (void)state;
    const char *ct = "multipart/form-data; boundary=\"a b:c=d?\"";
    const char *bd = "--a b:c=d?\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n"
                     "1\r\n--a b:c=d?--\r\n";
    struct nb_str bnd, v;
    assert_int_equal(nb_http_multipart_boundary(S(ct), &bnd), NB_OK);
    assert_int_equal(nb_http_multipart_get(S(bd), bnd, "x", &v), NB_OK);
    assert_str(v, "1");
    assert_int_equal(nb_http_form_field(S(ct), S(bd), "x", &arena, &v), NB_OK);
    assert_str(v, "1");
}

static void test_framing(void **state)
{
    (void)state;
    struct nb_str v;
    /* Preamble and epilogue are ignored, even when they mention the boundary. */
    const char *pre = "This is a preamble --xyz\r\n--xyz\r\n"
                      "Content-Disposition: form-data; name=a\r\n\r\nv\r\n--xyz--\r\n"
                      "epilogue\r\n--xyz\r\nanything";
    assert_int_equal(nb_http_multipart_get(S(pre), S("xyz"), "a", &v), NB_OK);
    assert_str(v, "v");
    /* Transport padding after delimiters; no CRLF after the closing one; unquoted name. */
    const char *pad = "--xyz \t\r\nContent-Disposition:form-data;name=a ; filename=\"f;\\x\"\r\n"
                      "\r\nv\r\n--xyz\t\r\nContent-Disposition: form-data; name=b\r\n\r\n"
                      "\r\n--xyz-- \t";
    struct nb_http_multipart_iter it;
    struct nb_http_part p;
    nb_http_multipart_iter(&it, S(pad), S("xyz"));
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_str(p.name, "a");
    assert_str(p.filename, "f;\\x"); /* a backslash is not an escape */
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_str(p.name, "b");
    assert_int_equal(p.body.len, 0);
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_ERR_NOTFOUND);
    /* An empty form (what browsers send when no field has a name). */
    assert_int_equal(check_c("--xyz--\r\n"), NB_OK);
    assert_int_equal(check_c("--xyz--"), NB_OK);
    /* A value holding the boundary not at the start of a line, and a longer boundary. */
    const char *inner = "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n"
                        "x--xyz--\r\n-xyz\r\n--xy\r\n\r\n--xyz--";
    assert_int_equal(nb_http_multipart_get(S(inner), S("xyz"), "a", &v), NB_OK);
    assert_str(v, "x--xyz--\r\n-xyz\r\n--xy\r\n");
}

/* ---- malformed -------------------------------------------------------------------------- */

#define CD "Content-Disposition: form-data; name=\"a\"\r\n"

static void test_malformed(void **state)
{
    (void)state;
    /* Missing closing delimiter: at the end, or only the first delimiter. */
    assert_int_equal(check_c("--xyz\r\n" CD "\r\nv\r\n"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "\r\nv\r\n--xyz\r\n" CD "\r\nw"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "\r\nv\r\n--xyz"), NB_ERR_INPUT);
    assert_int_equal(check_c(""), NB_ERR_INPUT);
    assert_int_equal(check_c("no delimiter at all"), NB_ERR_INPUT);
    /* The boundary in the middle of a line is no delimiter (so the close is missing). */
    assert_int_equal(check_c("--xyz\r\n" CD "\r\nv--xyz--\r\n"), NB_ERR_INPUT);
    /* ... and when the first delimiter is not at the start of a line, all before the closing
     * one is preamble: an empty form. */
    assert_int_equal(check_c("x--xyz\r\n" CD "\r\nv\r\n--xyz--"), NB_OK);
    /* LF-only line endings, anywhere. */
    assert_int_equal(check_c("--xyz\nContent-Disposition: form-data; name=a\n\nv\n--xyz--\n"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name=a\n\r\nv\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "\nv\r\n--xyz--"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "\r\nv\n--xyz--"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name=a\r\r\nv\r\n--xyz--"),
                     NB_ERR_INPUT);
    /* Content-Disposition missing, twice, not form-data, without a usable name. */
    assert_int_equal(check_c("--xyz\r\nContent-Type: text/plain\r\n\r\nv\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n\r\nv\r\n--xyz--"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD CD "\r\nv\r\n--xyz--"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: attachment; name=a\r\n\r\n\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data\r\n\r\n\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(
        check_c("--xyz\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n\r\n--xyz--"),
        NB_ERR_INPUT);
    assert_int_equal(
        check_c("--xyz\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n\r\n--xyz--"),
        NB_ERR_INPUT);
    assert_int_equal(
        check_c("--xyz\r\nContent-Disposition: form-data; name=a; filename=x; filename=y\r\n"
                "\r\n\r\n--xyz--"),
        NB_ERR_INPUT);
    assert_int_equal(
        check_c("--xyz\r\nContent-Disposition: form-data; name=\"a\r\n\r\n\r\n--xyz--"),
        NB_ERR_INPUT);
    assert_int_equal(
        check_c("--xyz\r\nContent-Disposition: form-data; name=a b\r\n\r\n\r\n--xyz--"),
        NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name =a\r\n\r\n\r\n--xyz--"),
                     NB_ERR_INPUT);
    /* Content-Type twice; a header line without ':' or with a bad name; folding. */
    assert_int_equal(check_c("--xyz\r\n" CD "Content-Type: a/b\r\ncontent-type: a/b\r\n\r\n"
                             "\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "junk\r\n\r\n\r\n--xyz--"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "X Y: z\r\n\r\n\r\n--xyz--"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD " folded\r\n\r\n\r\n--xyz--"), NB_ERR_INPUT);
    /* A delimiter inside the headers (the blank line is missing). */
    assert_int_equal(check_c("--xyz\r\n" CD "--xyz--\r\n"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "--xyz: 1\r\n\r\n\r\n--xyz--"), NB_ERR_INPUT);
    /* Anything but padding and CRLF after a delimiter; junk after the closing one. */
    assert_int_equal(check_c("--xyzz\r\n" CD "\r\nv\r\n--xyz--"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "\r\nv\r\n--xyzz\r\n" CD "\r\nw\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "\r\nv\r\n--xyz--junk"), NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\n" CD "\r\nv\r\n--xyz-\r\n"), NB_ERR_INPUT);
    /* Names: invalid UTF-8, control characters, also in filenames. */
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name=\"a\xff\"\r\n\r\n"
                             "\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name=\"\xC3\"\r\n\r\n"
                             "\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name=\"a\tb\"\r\n\r\n"
                             "\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name=\"a\x7f\"\r\n\r\n"
                             "\r\n--xyz--"),
                     NB_ERR_INPUT);
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name=a; "
                             "filename=\"\xed\xa0\x80\"\r\n\r\n\r\n--xyz--"),
                     NB_ERR_INPUT);
    static const char nul[] = "--xyz\r\nContent-Disposition: form-data; name=\"a\0b\"\r\n\r\n"
                              "\r\n--xyz--";
    assert_int_equal(nb_http_multipart_check((struct nb_str){nul, sizeof(nul) - 1}, S("xyz")),
                     NB_ERR_INPUT);
    /* A valid UTF-8 name is fine. */
    assert_int_equal(check_c("--xyz\r\nContent-Disposition: form-data; name=\"\xC3\xBC\"\r\n\r\n"
                             "\r\n--xyz--"),
                     NB_OK);

    /* Errors stick: the part before the broken one is returned, then only the error. */
    struct nb_http_multipart_iter it;
    struct nb_http_part p;
    nb_http_multipart_iter(&it, S("--xyz\r\n" CD "\r\nv\r\n--xyz\r\nbroken\r\n\r\n\r\n--xyz--"),
                           S("xyz"));
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_ERR_INPUT);
    assert_int_equal(p.name.len, 0);
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_ERR_INPUT);
    /* A bad boundary given to the iterator. */
    assert_int_equal(nb_http_multipart_check(S("----\r\n" CD "\r\n\r\n----"), S("")), NB_ERR_INPUT);
}

static void test_duplicates(void **state)
{
    (void)state;
    /* Documented: of several parts with one name the first wins; the iterator sees all. */
    add_field("lang", "de");
    add_field("lang", "en");
    add_close();
    struct nb_str b = body(), v;
    assert_int_equal(nb_http_multipart_get(b, S(B), "lang", &v), NB_OK);
    assert_str(v, "de");
    assert_int_equal(
        nb_http_form_field(S("multipart/form-data; boundary=" B), b, "lang", &arena, &v), NB_OK);
    assert_str(v, "de");
    struct nb_http_multipart_iter it;
    struct nb_http_part p;
    nb_http_multipart_iter(&it, b, S(B));
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_str(p.body, "en");
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_ERR_NOTFOUND);
}

/* ---- limits ----------------------------------------------------------------------------- */

static void test_limit_parts(void **state)
{
    (void)state;
    for (unsigned i = 0; i < NB_HTTP_FORM_FIELDS_MAX; i++)
        add_field("f", "v");
    add_close();
    assert_int_equal(check(body()), NB_OK);

    nb_buf_reset(&buf);
    for (unsigned i = 0; i < NB_HTTP_FORM_FIELDS_MAX; i++)
        add_field("f", "v");
    add_field("last", "v");
    add_close();
    assert_int_equal(check(body()), NB_ERR_LIMIT);
    struct nb_str v;
    assert_int_equal(nb_http_multipart_get(body(), S(B), "f", &v), NB_ERR_LIMIT);
    /* The limit is about parts, not about the position of the one asked for. */
    assert_int_equal(nb_http_multipart_get(body(), S(B), "last", &v), NB_ERR_LIMIT);
    struct nb_http_multipart_iter it;
    struct nb_http_part p;
    nb_http_multipart_iter(&it, body(), S(B));
    for (unsigned i = 0; i < NB_HTTP_FORM_FIELDS_MAX; i++)
        assert_int_equal(nb_http_multipart_next(&it, &p), NB_OK);
    assert_int_equal(nb_http_multipart_next(&it, &p), NB_ERR_LIMIT);
}

/* A body with one part whose header block (lines with their CRLFs, without the blank line)
 * is exactly size bytes, padded by an X-Pad header. */
static struct nb_str header_block(size_t size)
{
    nb_buf_reset(&buf);
    add("--" B "\r\n");
    size_t start = buf.len;
    add(CD "X-Pad: ");
    size_t pad = size - (buf.len - start) - 2;
    for (size_t i = 0; i < pad; i++)
        nb_buf_add_char(&buf, 'p');
    add("\r\n");
    assert_int_equal(buf.len - start, size);
    add("\r\nv\r\n");
    add_close();
    return body();
}

static void test_limit_header(void **state)
{
    (void)state;
    assert_int_equal(check(header_block(NB_HTTP_PART_HEADER_MAX)), NB_OK);
    assert_int_equal(check(header_block(NB_HTTP_PART_HEADER_MAX + 1)), NB_ERR_LIMIT);
    /* One header line too long, also when the body ends inside it. */
    nb_buf_reset(&buf);
    add("--xyz\r\n" CD "X-Long: ");
    for (size_t i = 0; i < NB_HTTP_PART_HEADER_MAX; i++)
        nb_buf_add_char(&buf, 'l');
    assert_int_equal(nb_http_multipart_check(body(), S("xyz")), NB_ERR_LIMIT);
    add("\r\n\r\nv\r\n--xyz--");
    assert_int_equal(nb_http_multipart_check(body(), S("xyz")), NB_ERR_LIMIT);
    /* The limit applies per part: two parts with big headers are fine. */
    nb_buf_reset(&buf);
    for (int k = 0; k < 2; k++) {
        add("--" B "\r\n" CD "X-Pad: ");
        for (size_t i = 0; i < NB_HTTP_PART_HEADER_MAX - 100; i++)
            nb_buf_add_char(&buf, 'p');
        add("\r\n\r\nv\r\n");
    }
    add_close();
    assert_int_equal(check(body()), NB_OK);
}

static void test_limit_body(void **state)
{
    (void)state;
    add("--" B "\r\n" CD "\r\n");
    size_t tail = strlen("\r\n--" B "--");
    while (buf.len < NB_HTTP_BODY_MAX - tail)
        nb_buf_add_char(&buf, 'b');
    add("\r\n--" B "--");
    assert_int_equal(buf.len, NB_HTTP_BODY_MAX);
    assert_int_equal(check(body()), NB_OK);
    add(" ");
    assert_int_equal(check(body()), NB_ERR_LIMIT);
}

/* ---- lookup and the form field entry point --------------------------------------------- */

static void test_get(void **state)
{
    (void)state;
    build_notice();
    struct nb_str b = body(), v;
    assert_int_equal(nb_http_multipart_get(b, S(B), "title", &v), NB_OK);
    assert_str(v, "Wasserrohrbruch");
    assert_int_equal(nb_http_multipart_get(b, S(B), "att", &v), NB_OK);
    assert_bytes(v, pdf, sizeof(pdf) - 1);
    assert_int_equal(nb_http_multipart_get(b, S(B), "missing", &v), NB_ERR_NOTFOUND);
    assert_int_equal(nb_http_multipart_get(b, S(B), "Title", &v), NB_ERR_NOTFOUND);
    assert_int_equal(nb_http_multipart_get(b, S(B), "", &v), NB_ERR_NOTFOUND);
    /* The whole body is validated, even behind the part asked for. */
    struct nb_str cut = {b.ptr, b.len - 4};
    assert_int_equal(nb_http_multipart_get(cut, S(B), "title", &v), NB_ERR_INPUT);
}

static void test_form_field(void **state)
{
    (void)state;
    const char *mp = "multipart/form-data; boundary=" B;
    build_notice();
    struct nb_str b = body(), v;
    assert_int_equal(nb_http_form_field(S(mp), b, "title_ar", &arena, &v), NB_OK);
    assert_str(v, "\xD8\xA5\xD8\xB4\xD8\xB9\xD8\xA7\xD8\xB1");
    assert_int_equal(v.ptr[v.len], '\0'); /* a NUL-terminated copy */
    assert_true(v.ptr < b.ptr || v.ptr >= b.ptr + b.len);
    assert_int_equal(nb_http_form_field(S(mp), b, "empty", &arena, &v), NB_OK);
    assert_int_equal(v.len, 0);
    assert_int_equal(v.ptr[0], '\0');
    /* File parts are read with the iterator only. */
    assert_int_equal(nb_http_form_field(S(mp), b, "att", &arena, &v), NB_ERR_INPUT);
    assert_int_equal(nb_http_form_field(S(mp), b, "nope", &arena, &v), NB_ERR_NOTFOUND);
    nb_buf_reset(&buf);
    add("--" B "\r\nContent-Disposition: form-data; name=\"notes\"; filename=\"a.txt\"\r\n\r\n"
        "plain text\r\n");
    add_close();
    assert_int_equal(nb_http_multipart_get(body(), S(B), "notes", &v), NB_OK);
    assert_str(v, "plain text");
    assert_int_equal(nb_http_form_field(S(mp), body(), "notes", &arena, &v), NB_ERR_INPUT);
    nb_buf_reset(&buf);
    build_notice();
    b = body();
    /* Content types: parameters and case, missing boundary, others refused. */
    assert_int_equal(
        nb_http_form_field(S("MULTIPART/form-data ; boundary=\"" B "\""), b, "title", &arena, &v),
        NB_OK);
    assert_str(v, "Wasserrohrbruch");
    assert_int_equal(nb_http_form_field(S("multipart/form-data"), b, "title", &arena, &v),
                     NB_ERR_INPUT);
    assert_int_equal(
        nb_http_form_field(S("multipart/form-data; boundary=other"), b, "title", &arena, &v),
        NB_ERR_INPUT);
    assert_int_equal(nb_http_form_field(S("text/plain"), S("title=x"), "title", &arena, &v),
                     NB_ERR_INPUT);
    assert_int_equal(nb_http_form_field(S(""), S("title=x"), "title", &arena, &v), NB_ERR_INPUT);
    assert_int_equal(nb_http_form_field(S("multipart/mixed; boundary=" B), b, "title", &arena, &v),
                     NB_ERR_INPUT);

    /* Urlencoded goes to nb_http_form_get. */
    const char *ue = "application/x-www-form-urlencoded; charset=UTF-8";
    assert_int_equal(
        nb_http_form_field(S(ue), S("a=1&title=%C3%84+b&title=2"), "title", &arena, &v), NB_OK);
    assert_str(v, "\xC3\x84 b");
    assert_int_equal(nb_http_form_field(S(ue), S("a=1"), "title", &arena, &v), NB_ERR_NOTFOUND);
    assert_int_equal(nb_http_form_field(S(ue), S("a=%zz&title=1"), "title", &arena, &v),
                     NB_ERR_INPUT);

    /* Text rules for multipart values: CRLF and tab are fine, other controls and bad UTF-8
     * are not. */
    nb_buf_reset(&buf);
    add_field("text", "line 1\r\n\tline 2");
    add_field("bad", "\xC3\x28");
    add_field("ctl", "a\x01");
    add_close();
    b = body();
    assert_int_equal(nb_http_form_field(S(mp), b, "text", &arena, &v), NB_OK);
    assert_str(v, "line 1\r\n\tline 2");
    assert_int_equal(nb_http_form_field(S(mp), b, "bad", &arena, &v), NB_ERR_INPUT);
    assert_int_equal(nb_http_form_field(S(mp), b, "ctl", &arena, &v), NB_ERR_INPUT);
    static const char nulv[] = "--xyz\r\n" CD "\r\na\0b\r\n--xyz--";
    assert_int_equal(nb_http_form_field(S("multipart/form-data; boundary=xyz"),
                                        (struct nb_str){nulv, sizeof(nulv) - 1}, "a", &arena, &v),
                     NB_ERR_INPUT);

    /* The arena budget: NB_ERR_NOMEM, never a crash. */
    struct nb_arena tiny;
    nb_arena_init(&tiny, 8);
    nb_buf_reset(&buf);
    add_field("long", "a value much longer than the budget of the arena");
    add_close();
    assert_int_equal(nb_http_form_field(S(mp), body(), "long", &tiny, &v), NB_ERR_NOMEM);
    nb_arena_fini(&tiny);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_boundary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoted_boundary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_framing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_field, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
