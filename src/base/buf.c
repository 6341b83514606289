/* buf.c: capped buffer with sticky error. Growth doubles, bounded by max. */
#include "base/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_buf_init(struct nb_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->err = NB_OK;
}

void nb_buf_free(struct nb_buf *b)
{
    free(b->ptr);
    nb_buf_init(b, b->max);
}

void nb_buf_reset(struct nb_buf *b)
{
    b->len = 0;
    b->err = NB_OK;
    if (b->ptr)
        b->ptr[0] = '\0';
}

/* Makes room for extra more bytes plus the NUL; false (and err set) when it cannot. */
static int grow(struct nb_buf *b, size_t extra)
{
    if (b->err)
        return 0;
    if (extra > b->max - b->len || b->len > b->max) {
        b->err = NB_ERR_LIMIT;
        return 0;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (b->max < SIZE_MAX && cap > b->max + 1)
        cap = b->max + 1;
    char *p = realloc(b->ptr, cap);
    if (!p) {
        b->err = NB_ERR_NOMEM;
        return 0;
    }
    b->ptr = p;
    b->cap = cap;
    return 1;
}

void nb_buf_add(struct nb_buf *b, const void *ptr, size_t len)
{
    if (!grow(b, len))
        return;
    if (len)
        memcpy(b->ptr + b->len, ptr, len);
    b->len += len;
    b->ptr[b->len] = '\0';
}

void nb_buf_add_str(struct nb_buf *b, struct nb_str s)
{
    nb_buf_add(b, s.ptr, s.len);
}

void nb_buf_add_c(struct nb_buf *b, const char *s)
{
    nb_buf_add(b, s, strlen(s));
}

void nb_buf_add_char(struct nb_buf *b, char c)
{
    nb_buf_add(b, &c, 1);
}

void nb_buf_vprintf(struct nb_buf *b, const char *fmt, va_list ap)
{
    if (b->err)
        return;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        b->err = NB_ERR_INTERNAL;
        return;
    }
    if (!grow(b, (size_t)n))
        return;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void nb_buf_printf(struct nb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void nb_buf_add_html(struct nb_buf *b, struct nb_str s)
{
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < s.len; i++) {
        const char *rep;
        switch (s.ptr[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        nb_buf_add(b, s.ptr + run, i - run);
        nb_buf_add_c(b, rep);
        run = i + 1;
    }
    nb_buf_add(b, s.ptr + run, s.len - run);
}

void nb_buf_add_url(struct nb_buf *b, struct nb_str s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            nb_buf_add_char(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            nb_buf_add(b, e, 3);
        }
    }
}

struct nb_str nb_buf_str(const struct nb_buf *b)
{
    return (struct nb_str){b->ptr ? b->ptr : "", b->len};
}

char *nb_buf_take(struct nb_buf *b, size_t *len)
{
    if (b->err) {
        nb_buf_free(b);
        return NULL;
    }
    if (!b->ptr) {
        if (!grow(b, 0))
            return NULL;
        b->ptr[0] = '\0'; /* grow() does not terminate: the caller gets "" */
    }
    char *p = b->ptr;
    if (len)
        *len = b->len;
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
