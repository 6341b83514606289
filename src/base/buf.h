/* buf.h: a growable byte buffer with a cap and a sticky error.
 *
 * Appends never fail loudly: the first failure (out of memory, or the cap reached) is kept
 * in err, later appends do nothing, and the caller checks err once at the end. The content
 * is always NUL-terminated when ptr is not NULL. A buffer owns its memory; nb_buf_free
 * releases it. */
#ifndef NB_BASE_BUF_H
#define NB_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/err.h"
#include "base/str.h"

struct nb_buf {
    char *ptr;
    size_t len;
    size_t cap;      /* allocated bytes, including room for the NUL */
    size_t max;      /* most bytes of content allowed */
    enum nb_err err; /* NB_OK, NB_ERR_NOMEM or NB_ERR_LIMIT; sticky */
};

/* An empty buffer that will hold at most max bytes. Allocates nothing yet. */
void nb_buf_init(struct nb_buf *b, size_t max);
void nb_buf_free(struct nb_buf *b);
/* Empties the buffer and clears the error; keeps the memory. */
void nb_buf_reset(struct nb_buf *b);

void nb_buf_add(struct nb_buf *b, const void *ptr, size_t len);
void nb_buf_add_str(struct nb_buf *b, struct nb_str s);
void nb_buf_add_c(struct nb_buf *b, const char *s);
void nb_buf_add_char(struct nb_buf *b, char c);
/* Formatted append for our own values (numbers, dates). Never pass user data as fmt. */
void nb_buf_printf(struct nb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nb_buf_vprintf(struct nb_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Appends s with the five HTML-significant characters & < > " ' escaped. */
void nb_buf_add_html(struct nb_buf *b, struct nb_str s);
/* Appends s percent-encoded for a URL path segment or query value (RFC 3986 unreserved
 * characters stay as they are). */
void nb_buf_add_url(struct nb_buf *b, struct nb_str s);

/* The content as a view (valid until the next append). */
struct nb_str nb_buf_str(const struct nb_buf *b);
/* Hands the content to the caller (free() it) and empties the buffer; NULL on error. */
char *nb_buf_take(struct nb_buf *b, size_t *len);

#endif
