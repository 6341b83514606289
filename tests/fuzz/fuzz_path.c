/* fuzz_path.c: libFuzzer harness for the request path parser of http/parse.
 *
 * The input is a raw request path. Beyond the sanitizers it checks the contract of an
 * accepted path: the decoded path starts with '/', is valid UTF-8 without controls or
 * backslash, is no longer than the input, and is exactly its segments joined by '/'; no
 * segment is empty, ".", ".." or holds a '/'; the segment limit holds. A refused path leaves
 * the result empty. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nb_arena a;
    nb_arena_init(&a, 1u << 20);
    struct nb_http_path p;
    enum nb_err err = nb_http_path_parse((struct nb_str){(const char *)data, size}, &a, &p);
    if (err != NB_OK) {
        if ((err != NB_ERR_INPUT && err != NB_ERR_LIMIT) || p.nseg || p.decoded.len)
            abort();
        nb_arena_fini(&a);
        return 0;
    }
    struct nb_str d = p.decoded;
    if (d.len == 0 || d.len > size || d.ptr[0] != '/' || !nb_utf8_valid(d.ptr, d.len) ||
        p.nseg > NB_HTTP_PATH_SEGMENTS_MAX)
        abort();
    for (size_t i = 0; i < d.len; i++) {
        unsigned char c = (unsigned char)d.ptr[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            abort();
    }
    size_t pos = 1; /* the segments, joined by '/', must give back the decoded path */
    for (size_t k = 0; k < p.nseg; k++) {
        struct nb_str s = p.seg[k];
        if (s.len == 0 || memchr(s.ptr, '/', s.len) || nb_str_eq_c(s, ".") ||
            nb_str_eq_c(s, "..") || s.ptr != d.ptr + pos)
            abort();
        pos += s.len + 1;
    }
    size_t want = p.nseg ? pos - 1 + (p.trailing_slash ? 1 : 0) : 1;
    if (want != d.len || (p.trailing_slash && (p.nseg == 0 || d.ptr[d.len - 1] != '/')))
        abort();
    nb_arena_fini(&a);
    return 0;
}
