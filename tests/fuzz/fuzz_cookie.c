/* fuzz_cookie.c: libFuzzer harness for the request header parsers of http/parse: the
 * Cookie header, and on the same bytes Accept, Accept-Encoding and Content-Type.
 *
 * The input is a Cookie header; the cookie asked for is "sid", and also the name of the
 * first pair when it is short. Beyond the sanitizers it checks the contract: a found value
 * lies inside the header and is made of cookie-octets; the error codes are the documented
 * ones; the negotiation helpers return only defined bits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cookie(struct nb_str h, const char *name)
{
    struct nb_str v = {NULL, 0};
    enum nb_err err = nb_http_cookie_get(h, name, &v);
    if (err == NB_OK) {
        if (v.len && (v.ptr < h.ptr || v.ptr + v.len > h.ptr + h.len))
            abort();
        for (size_t i = 0; i < v.len; i++) {
            unsigned char c = (unsigned char)v.ptr[i];
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\')
                abort();
        }
    } else if (err != NB_ERR_NOTFOUND && err != NB_ERR_INPUT && err != NB_ERR_LIMIT) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nb_str h = {(const char *)data, size};
    check_cookie(h, "sid");
    char name[64];
    size_t n = 0;
    while (n < size && n < sizeof(name) - 1 && data[n] != '=' && data[n] != '\0')
        n++;
    memcpy(name, data, n);
    name[n] = '\0';
    check_cookie(h, name);

    (void)nb_http_accept_json(h);
    if (nb_http_accept_encoding(h) & ~(unsigned)(NB_HTTP_ENC_GZIP | NB_HTTP_ENC_BR))
        abort();
    (void)nb_http_media_type_is(h, "application/x-www-form-urlencoded");
    return 0;
}
