/* compress.h: gzip and brotli encodings of rendered pages, made once per publish. */
#ifndef NB_VIEW_COMPRESS_H
#define NB_VIEW_COMPRESS_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/* Appends the gzip (RFC 1952) encoding of src to out, at the best compression level. */
NB_MUST_USE enum nb_err nb_compress_gzip(const void *src, size_t len, struct nb_buf *out);

/* Appends the brotli (RFC 7932) encoding of src to out. Quality 7: measured on the demo
 * site (183 pages), quality 10 made the front page 4 % smaller but the whole render ten
 * times slower (about 1 s against 0.1 s), and a publish must be live within a second. */
NB_MUST_USE enum nb_err nb_compress_brotli(const void *src, size_t len, struct nb_buf *out);

#endif
