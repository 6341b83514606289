/* compress.c: zlib and libbrotlienc, both one-shot into a capped buffer. */
#include "view/compress.h"

#include <brotli/encode.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

enum nb_err nb_compress_gzip(const void *src, size_t len, struct nb_buf *out)
{
    if (len > UINT_MAX / 2)
        return NB_ERR_LIMIT;
    z_stream z = {0};
    /* 15 window bits + 16 selects the gzip wrapper. */
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NB_ERR_NOMEM;
    uLong bound = deflateBound(&z, (uLong)len);
    unsigned char *dst = malloc(bound);
    if (!dst) {
        deflateEnd(&z);
        return NB_ERR_NOMEM;
    }
    z.next_in = (Bytef *)(uintptr_t)src;
    z.avail_in = (uInt)len;
    z.next_out = dst;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t n = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(dst);
        return NB_ERR_INTERNAL;
    }
    nb_buf_add(out, dst, n);
    free(dst);
    return out->err;
}

enum nb_err nb_compress_brotli(const void *src, size_t len, struct nb_buf *out)
{
    size_t bound = BrotliEncoderMaxCompressedSize(len);
    if (bound == 0)
        return NB_ERR_LIMIT;
    unsigned char *dst = malloc(bound);
    if (!dst)
        return NB_ERR_NOMEM;
    size_t n = bound;
    if (!BrotliEncoderCompress(7, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, len, src, &n, dst)) {
        free(dst);
        return NB_ERR_INTERNAL;
    }
    nb_buf_add(out, dst, n);
    free(dst);
    return out->err;
}
