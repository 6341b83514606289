/* Unit tests for web/form: every kind of field on both sides of its limits, required
 * fields, control characters and invalid UTF-8 (reported on the field by its label, shown
 * again as U+FFFD, never an empty field), decoding urlencoded and multipart bodies once,
 * and the view model with its error summary. The catalogs are the real ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/str.h"
#include "view/i18n.h"
#include "../i18n_setup.h"
#include "web/form.h"

#define URLENC "application/x-www-form-urlencoded"
#define FFFD "\xef\xbf\xbd"

static const char *const abc[] = {"a", "b", "c", NULL};

/* One field of each kind. The message keys are real catalog keys; which one a field shows
 * tells the tests which check answered. */
enum { L, T, S, C, B, I, D, H, H24, P, E, N };
static const struct nb_form_field fields[N] = {
    [L] = {.name = "line", .kind = NB_FORM_LINE, .required = true, .max = 5, .lang = "en",
           .label_key = "staff_state_note_de", .missing_key = "staff_press_title_missing",
           .long_key = "staff_state_note_long", .invalid_key = "staff_state_note_invalid"},
    [T] = {.name = "text", .kind = NB_FORM_TEXT, .max = 5, .label_key = "staff_press_body_de",
           .long_key = "staff_press_body_long", .invalid_key = "staff_press_body_invalid"},
    [S] = {.name = "slug", .kind = NB_FORM_SLUG, .invalid_key = "staff_press_slug_invalid"},
    [C] = {.name = "choice", .kind = NB_FORM_CHOICE, .choices = abc, .anchor = "choice-a",
           .invalid_key = "staff_state_state_invalid"},
    [B] = {.name = "bool", .kind = NB_FORM_BOOL},
    [I] = {.name = "int", .kind = NB_FORM_INT, .min = -5, .imax = 10,
           .invalid_key = "staff_state_date_invalid"},
    [D] = {.name = "date", .kind = NB_FORM_DATE, .invalid_key = "staff_state_date_invalid"},
    [H] = {.name = "time", .kind = NB_FORM_TIME, .imax = 1439,
           .invalid_key = "staff_state_time_invalid"},
    [H24] = {.name = "end", .kind = NB_FORM_TIME, .imax = 1440,
             .invalid_key = "staff_state_time_invalid"},
    [P] = {.name = "phone", .kind = NB_FORM_PHONE, .max = 12,
           .long_key = "staff_state_note_long", .invalid_key = "staff_state_note_invalid"},
    [E] = {.name = "email", .kind = NB_FORM_EMAIL, .max = 12,
           .long_key = "staff_state_note_long", .invalid_key = "staff_state_note_invalid"},
};

struct run {
    struct nb_arena arena;
    struct nb_form form;
};

/* Reads the urlencoded body into a fresh form of all fields; "line" is required, so bodies
 * that test other fields carry line=ok. */
static enum nb_err read_body(struct run *r, enum nb_lang lang, const char *body)
{
    nb_arena_init(&r->arena, 1u << 20);
    struct nb_form_body *b = NULL;
    assert_int_equal(nb_form_body_parse(nb_str_c(URLENC), nb_str_c(body), &r->arena, &b), NB_OK);
    nb_form_init(&r->form, fields, N, lang, &r->arena);
    return nb_form_read(&r->form, b);
}

static const char *err_of(struct run *r, size_t i)
{
    return r->form.v[i].error;
}

static void assert_str(struct nb_str s, const char *want)
{
    assert_int_equal(s.len, strlen(want));
    assert_memory_equal(s.ptr, want, s.len);
}

/* The field i is valid after body (with line=ok added). */
static void ok(size_t i, const char *body)
{
    struct run r;
    char full[512];
    snprintf(full, sizeof(full), "line=ok&%s", body);
    assert_int_equal(read_body(&r, NB_LANG_DE, full), NB_OK);
    assert_null(err_of(&r, i));
    nb_arena_fini(&r.arena);
}

/* The field i has the message of key after body. */
static void wrong(size_t i, const char *body, const char *key)
{
    struct run r;
    char full[512];
    snprintf(full, sizeof(full), "line=ok&%s", body);
    assert_int_equal(read_body(&r, NB_LANG_DE, full), NB_ERR_INPUT);
    assert_non_null(err_of(&r, i));
    assert_int_equal(r.form.errors, 1);
    if (strchr(nb_i18n_get(NB_LANG_DE, key), '{')) {
        char max[32];
        snprintf(max, sizeof(max), "höchstens %zu Byte", fields[i].max); /* {max} filled in */
        assert_non_null(strstr(err_of(&r, i), max));
    } else
        assert_string_equal(err_of(&r, i), nb_i18n_get(NB_LANG_DE, key));
    nb_arena_fini(&r.arena);
}

static void test_line(void **state)
{
    (void)state;
    struct run r;
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=+abcde+"), NB_OK);
    assert_str(r.form.v[L].text, "abcde"); /* trimmed */
    assert_str(r.form.v[L].shown, " abcde ");
    nb_arena_fini(&r.arena);
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=abcdef"), NB_ERR_INPUT);
    assert_non_null(strstr(err_of(&r, L), "höchstens 5 Byte"));
    nb_arena_fini(&r.arena);
    /* Required: absent, empty and blank are missing. */
    const char *missing[] = {"", "line=", "line=++%09"};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(read_body(&r, NB_LANG_DE, missing[k]), NB_ERR_INPUT);
        assert_string_equal(err_of(&r, L), nb_i18n_get(NB_LANG_DE, "staff_press_title_missing"));
        nb_arena_fini(&r.arena);
    }
    /* A line break or a tab inside a line is the line check's to report. */
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=a%0Ab"), NB_ERR_INPUT);
    assert_string_equal(err_of(&r, L), nb_i18n_get(NB_LANG_DE, "staff_state_note_invalid"));
    nb_arena_fini(&r.arena);
}

static void test_text(void **state)
{
    (void)state;
    ok(T, "text=a%0D%0Ab%09"); /* 5 bytes with CR, LF and tab */
    wrong(T, "text=a%0D%0Ab%09c", "staff_press_body_long");
    ok(T, "text="); /* not required */
    struct run r;
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=ok&text=+a+"), NB_OK);
    assert_str(r.form.v[T].text, " a "); /* kept as typed */
    nb_arena_fini(&r.arena);
}

static void test_slug_choice_bool(void **state)
{
    (void)state;
    char body[128];
    snprintf(body, sizeof(body), "slug=%.*s", (int)NB_SLUG_MAX,
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    ok(S, body);
    snprintf(body, sizeof(body), "slug=%.*s", (int)NB_SLUG_MAX + 1,
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    wrong(S, body, "staff_press_slug_invalid");
    wrong(S, "slug=Gross", "staff_press_slug_invalid");
    wrong(S, "slug=-a", "staff_press_slug_invalid");

    struct run r;
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=ok&choice=c&bool=1"), NB_OK);
    assert_int_equal(r.form.v[C].num, 2);
    assert_true(r.form.v[B].on);
    nb_arena_fini(&r.arena);
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=ok&bool="), NB_OK);
    assert_false(r.form.v[B].on); /* sent without a value */
    nb_arena_fini(&r.arena);
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=ok"), NB_OK);
    assert_false(r.form.v[B].on); /* not sent */
    nb_arena_fini(&r.arena);
    wrong(C, "choice=d", "staff_state_state_invalid");
    wrong(C, "choice=A", "staff_state_state_invalid");
}

static void test_int_date_time(void **state)
{
    (void)state;
    ok(I, "int=-5");
    ok(I, "int=10");
    wrong(I, "int=-6", "staff_state_date_invalid");
    wrong(I, "int=11", "staff_state_date_invalid");
    wrong(I, "int=1x", "staff_state_date_invalid");
    wrong(I, "int=--1", "staff_state_date_invalid");
    wrong(I, "int=99999999999999999999", "staff_state_date_invalid");
    struct run r;
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=ok&int=-5&time=23:59&end=24:00"), NB_OK);
    assert_int_equal(r.form.v[I].num, -5);
    assert_int_equal(r.form.v[H].num, 1439);
    assert_int_equal(r.form.v[H24].num, 1440);
    nb_arena_fini(&r.arena);
    wrong(H, "time=24:00", "staff_state_time_invalid");
    wrong(H, "time=7:5", "staff_state_time_invalid");
    wrong(H24, "end=24:01", "staff_state_time_invalid");

    ok(D, "date=2024-02-29");
    wrong(D, "date=2023-02-29", "staff_state_date_invalid");
    wrong(D, "date=29.02.2024", "staff_state_date_invalid");
}

static void test_phone_email(void **state)
{
    (void)state;
    ok(P, "phone=%2B49+30+1234"); /* "+49 30 1234": 11 bytes */
    ok(P, "phone=030+12345678"); /* 12 bytes */
    wrong(P, "phone=030+123456789", "staff_state_note_long");
    wrong(P, "phone=12", "staff_state_note_invalid");
    wrong(P, "phone=1%2B23", "staff_state_note_invalid");
    ok(E, "email=ab%40cd.de");
    ok(E, "email=abcde%40def.de"); /* 12 bytes */
    wrong(E, "email=abcdef%40def.de", "staff_state_note_long");
    wrong(E, "email=a%40b", "staff_state_note_invalid");
    ok(E, "email="); /* not required */
}

/* A control character or invalid UTF-8 in one field: its message names it by its label,
 * the others stay valid, and the value comes back with U+FFFD for each wrong byte. */
static void bytes_case(size_t field, const char *body, const char *key, const char *shown)
{
    struct run r;
    assert_int_equal(read_body(&r, NB_LANG_DE, body), NB_ERR_INPUT);
    assert_int_equal(r.form.errors, 1);
    const char *msg = err_of(&r, field);
    assert_non_null(msg);
    const char *label = nb_i18n_get(NB_LANG_DE, fields[field].label_key);
    assert_int_equal(strncmp(msg, label, strlen(label)), 0);
    assert_non_null(strstr(msg, key));
    assert_str(r.form.v[field].shown, shown);
    nb_arena_fini(&r.arena);
}

static void test_control_characters(void **state)
{
    (void)state;
    const char *codes[] = {"%00", "%0B", "%7F", "%1B", "%01", "%1F"};
    for (size_t k = 0; k < sizeof(codes) / sizeof(codes[0]); k++) {
        char body[64];
        snprintf(body, sizeof(body), "line=a%sb", codes[k]);
        bytes_case(L, body, "Steuerzeichen", "a" FFFD "b");
        snprintf(body, sizeof(body), "line=ok&text=a%s", codes[k]);
        bytes_case(T, body, "Steuerzeichen", "a" FFFD);
    }
    /* Only the control character is replaced: the line breaks of a text stay. */
    bytes_case(T, "line=ok&text=%0A%00%0A", "Steuerzeichen", "\n" FFFD "\n");
    /* A value of nothing but a control character is not an empty (missing) field. */
    bytes_case(L, "line=%00", "Steuerzeichen", FFFD);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    bytes_case(L, "line=%FF", "UTF-8", FFFD);
    bytes_case(L, "line=%C3%28", "UTF-8", FFFD "(");
    bytes_case(L, "line=%C0%AF", "UTF-8", FFFD FFFD);     /* overlong "/" */
    bytes_case(L, "line=%ED%A0%80", "UTF-8", FFFD FFFD FFFD); /* a surrogate */
    bytes_case(T, "line=ok&text=%E4", "UTF-8", FFFD);      /* Latin-1 */
    /* Invalid UTF-8 is named before a control character in the same field. */
    bytes_case(T, "line=ok&text=%00%FF", "UTF-8", FFFD FFFD);
    /* Valid multi-byte text passes. */
    ok(L, "");
    struct run r;
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=%C3%A4%E2%82%AC"), NB_OK); /* "ä€" */
    assert_str(r.form.v[L].text, "ä€");
    nb_arena_fini(&r.arena);
}

static void test_body(void **state)
{
    (void)state;
    struct nb_arena a;
    nb_arena_init(&a, 1u << 22);
    struct nb_form_body *b = NULL;
    struct nb_str v;
    /* Urlencoded: escapes and '+' decoded, bytes kept as they are, the first name wins. */
    assert_int_equal(
        nb_form_body_parse(nb_str_c(URLENC "; charset=utf-8"), nb_str_c("a=1+%002&&a=3&b"), &a, &b),
        NB_OK);
    assert_int_equal(b->n, 3);
    assert_true(nb_form_body_get(b, "a", &v));
    assert_int_equal(v.len, 4);
    assert_memory_equal(v.ptr, "1 \0" "2", 4);
    assert_true(nb_form_body_get(b, "b", &v));
    assert_int_equal(v.len, 0);
    assert_false(nb_form_body_get(b, "c", &v));
    /* Multipart: text parts read, file parts left out, raw bytes kept. */
    const char mp[] = "--XyZ\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nx\x0by\r\n"
                      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
                      "Content-Type: text/plain\r\n\r\nfile\r\n--XyZ--\r\n";
    assert_int_equal(nb_form_body_parse(nb_str_c("multipart/form-data; boundary=XyZ"),
                                        (struct nb_str){mp, sizeof(mp) - 1}, &a, &b),
                     NB_OK);
    assert_int_equal(b->n, 1);
    assert_true(nb_form_body_get(b, "t", &v));
    assert_str(v, "x\x0by");
    assert_false(nb_form_body_get(b, "f", &v));
    /* An empty body is an empty form, whatever its type. */
    assert_int_equal(nb_form_body_parse(nb_str_c(""), nb_str_c(""), &a, &b), NB_OK);
    assert_int_equal(b->n, 0);
    /* What cannot be decoded at all. */
    const char *bad[][2] = {
        {URLENC, "a=%zz"},
        {URLENC, "a=%4"},
        {"text/plain", "a=1"},
        {"", "a=1"},
        {"multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data\r\n\r\n"
                                              "x\r\n--XyZ--\r\n"},
        {"multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; "
                                              "name=\"a\"\r\n\r\nx"},
        {"multipart/form-data", "--XyZ--\r\n"},
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        b = (struct nb_form_body *)&a; /* must be reset */
        assert_int_equal(nb_form_body_parse(nb_str_c(bad[k][0]), nb_str_c(bad[k][1]), &a, &b),
                         NB_ERR_INPUT);
        assert_null(b);
    }
    /* NB_HTTP_FORM_FIELDS_MAX pairs, and one more. */
    static char many[NB_HTTP_FORM_FIELDS_MAX * 4 + 8];
    size_t n = 0;
    for (size_t k = 0; k < NB_HTTP_FORM_FIELDS_MAX; k++)
        n += (size_t)snprintf(many + n, sizeof(many) - n, "a=%s", k + 1 < NB_HTTP_FORM_FIELDS_MAX ? "&" : "");
    assert_int_equal(nb_form_body_parse(nb_str_c(URLENC), nb_str_c(many), &a, &b), NB_OK);
    assert_int_equal(b->n, NB_HTTP_FORM_FIELDS_MAX);
    snprintf(many + n, sizeof(many) - n, "&b");
    assert_int_equal(nb_form_body_parse(nb_str_c(URLENC), nb_str_c(many), &a, &b), NB_ERR_LIMIT);
    nb_arena_fini(&a);
}

static void test_model_and_summary(void **state)
{
    (void)state;
    struct run r;
    /* No error: no summary. */
    assert_int_equal(read_body(&r, NB_LANG_DE, "line=ok&bool=1"), NB_OK);
    assert_null(nb_form_summary(&r.form));
    json_t *obj = json_object();
    assert_int_equal(nb_form_values(&r.form, obj), NB_OK);
    assert_string_equal(json_string_value(json_object_get(obj, "line")), "ok");
    assert_string_equal(json_string_value(json_object_get(obj, "line_lang")), "en");
    assert_true(json_is_true(json_object_get(obj, "bool")));
    assert_null(json_object_get(obj, "line_error"));
    assert_null(json_object_get(obj, "text_lang"));
    json_decref(obj);
    nb_arena_fini(&r.arena);

    /* Three wrong fields, one with the handler's own message: in the order of the table,
     * each linking to its anchor, the message next to the field the same as in the list. */
    assert_int_equal(read_body(&r, NB_LANG_EN, "text=%1B&choice=x"), NB_ERR_INPUT);
    nb_form_fail(&r.form, nb_form_index(&r.form, "date"), "date in the future");
    nb_form_fail(&r.form, nb_form_index(&r.form, "date"), "second message is ignored");
    nb_form_fail(&r.form, nb_form_index(&r.form, "nope"), "no such field");
    assert_int_equal(r.form.errors, 4);
    json_t *sum = nb_form_summary(&r.form);
    assert_non_null(sum);
    assert_string_equal(json_string_value(json_object_get(sum, "title")), "There is a problem");
    json_t *items = json_object_get(sum, "items");
    assert_int_equal(json_array_size(items), 4);
    const char *hrefs[] = {"#line", "#text", "#choice-a", "#date"};
    for (size_t k = 0; k < 4; k++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(items, k), "href")),
                            hrefs[k]);
    obj = json_object();
    assert_int_equal(nb_form_values(&r.form, obj), NB_OK);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "text")),
                        json_string_value(json_object_get(obj, "text_error")));
    assert_non_null(strstr(json_string_value(json_object_get(obj, "text_error")),
                           "Text (German, Markdown): "));
    assert_string_equal(json_string_value(json_object_get(obj, "date_error")),
                        "date in the future");
    assert_string_equal(json_string_value(json_object_get(obj, "text")), FFFD);
    json_decref(obj);
    json_decref(sum);
    nb_arena_fini(&r.arena);

    /* German title; stored values (GET) shown unchecked, bytes made safe all the same. */
    nb_arena_init(&r.arena, 1u << 20);
    nb_form_init(&r.form, fields, N, NB_LANG_DE, &r.arena);
    nb_form_set(&r.form, L, nb_str_c(" stored "));
    nb_form_set(&r.form, T, nb_str_c("a\x01"));
    assert_str(r.form.v[L].text, "stored");
    assert_str(r.form.v[T].shown, "a" FFFD);
    assert_int_equal(r.form.errors, 0);
    nb_form_fail(&r.form, L, "x");
    sum = nb_form_summary(&r.form);
    assert_string_equal(json_string_value(json_object_get(sum, "title")), "Es gibt ein Problem");
    json_decref(sum);
    nb_arena_fini(&r.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_slug_choice_bool),
        cmocka_unit_test(test_int_date_time),
        cmocka_unit_test(test_phone_email),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_body),
        cmocka_unit_test(test_model_and_summary),
    };
    return cmocka_run_group_tests(tests, i18n_setup, i18n_teardown);
}
