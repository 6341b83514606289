/* fuzz_query.c: libFuzzer harness for the urlencoded parsers of http/parse (query strings
 * and form bodies).
 *
 * The whole input is a query string (and, separately, a form body). Beyond the sanitizers it
 * checks the contract: validation, iteration and lookup agree with each other; every decoded
 * name and value is valid UTF-8 without NUL or refused controls, is no longer than the input,
 * and is NUL-terminated; the limits hold. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(struct nb_str s, size_t max)
{
    if (s.len > max || !s.ptr || s.ptr[s.len] != '\0' || !nb_utf8_valid(s.ptr, s.len) ||
        memchr(s.ptr, '\0', s.len) || nb_utf8_has_controls(s.ptr, s.len))
        abort();
}

static void run(struct nb_str in, bool form)
{
    struct nb_arena a;
    nb_arena_init(&a, 1u << 22);
    enum nb_err check = form ? nb_http_form_check(in) : nb_http_query_check(in);
    if (check != NB_OK && check != NB_ERR_INPUT && check != NB_ERR_LIMIT)
        abort();

    struct nb_http_kv_iter it;
    if (form)
        nb_http_form_iter(&it, in);
    else
        nb_http_query_iter(&it, in);
    struct nb_str name, value, first = {NULL, 0}, first_value = {NULL, 0};
    enum nb_err err;
    while ((err = nb_http_kv_next(&it, &a, &name, &value)) == NB_OK) {
        check_text(name, in.len);
        check_text(value, in.len);
        if (!first.ptr) {
            first = name;
            first_value = value;
        }
    }
    if (it.count > it.max)
        abort();
    /* Iterating to the end succeeds exactly when the whole input validates. */
    if ((err == NB_ERR_NOTFOUND) != (check == NB_OK) || (err != NB_ERR_NOTFOUND && err != check))
        abort();

    if (check == NB_OK && first.ptr && !memchr(first.ptr, '\0', first.len)) {
        /* The first pair with a name is what lookup returns for that name. */
        struct nb_str got;
        err = form ? nb_http_form_get(in, first.ptr, &a, &got)
                   : nb_http_query_get(in, first.ptr, &a, &got);
        if (err != NB_OK || !nb_str_eq(got, first_value))
            abort();
    }
    struct nb_str v;
    err = form ? nb_http_form_get(in, "q", &a, &v) : nb_http_query_get(in, "q", &a, &v);
    if (check != NB_OK ? err != check : (err != NB_OK && err != NB_ERR_NOTFOUND))
        abort();
    if (err == NB_OK)
        check_text(v, in.len);
    nb_arena_fini(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nb_str in = {(const char *)data, size};
    run(in, false);
    run(in, true);
    return 0;
}
