/* arena.c: chunked bump allocator with a byte budget.
 *
 * Chunks come from malloc; small allocations share a chunk of NB_CHUNK bytes, large ones
 * get a chunk of their own. The budget counts bytes handed out, so the memory a request can
 * make us hold is bounded by budget plus one chunk of slack. */
#include "base/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"

#define NB_CHUNK 8192u
#define NB_ALIGN _Alignof(max_align_t)

struct nb_arena_chunk {
    struct nb_arena_chunk *next;
    size_t size; /* usable bytes in data */
    size_t off;  /* bytes used in data */
    _Alignas(max_align_t) unsigned char data[];
};

struct nb_arena_defer {
    struct nb_arena_defer *next;
    void (*fn)(void *);
    void *ptr;
};

void nb_arena_init(struct nb_arena *a, size_t budget)
{
    a->chunks = NULL;
    a->defers = NULL;
    a->budget = budget;
    a->used = 0;
}

void nb_arena_fini(struct nb_arena *a)
{
    /* Defers first: they may read memory from the arena. */
    while (a->defers) {
        struct nb_arena_defer *d = a->defers;
        a->defers = d->next;
        d->fn(d->ptr);
    }
    while (a->chunks) {
        struct nb_arena_chunk *c = a->chunks;
        a->chunks = c->next;
        free(c);
    }
    a->used = 0;
}

void *nb_arena_alloc(struct nb_arena *a, size_t size)
{
    if (size == 0 || size > NB_ALLOC_MAX)
        return NULL;
    size_t need = (size + NB_ALIGN - 1) & ~(size_t)(NB_ALIGN - 1);
    if (need > a->budget - a->used || a->used > a->budget)
        return NULL;
    struct nb_arena_chunk *c = a->chunks;
    if (!c || c->size - c->off < need) {
        size_t data = need > NB_CHUNK ? need : NB_CHUNK;
        struct nb_arena_chunk *n = malloc(sizeof(*n) + data);
        if (!n)
            return NULL;
        n->size = data;
        n->off = 0;
        if (c && need > NB_CHUNK) {
            /* A big one-off block goes behind the current chunk so that the current
             * chunk's free space stays usable for small allocations. */
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->chunks = n;
        }
        c = n;
    }
    void *p = c->data + c->off;
    c->off += need;
    a->used += need;
    return p;
}

void *nb_arena_calloc(struct nb_arena *a, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total))
        return NULL;
    void *p = nb_arena_alloc(a, total);
    if (p)
        memset(p, 0, total);
    return p;
}

char *nb_arena_strndup(struct nb_arena *a, const char *s, size_t len)
{
    if (len >= NB_ALLOC_MAX)
        return NULL;
    char *p = nb_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

enum nb_err nb_arena_defer(struct nb_arena *a, void (*fn)(void *), void *ptr)
{
    struct nb_arena_defer *d = nb_arena_alloc(a, sizeof(*d));
    if (!d) {
        fn(ptr);
        return NB_ERR_NOMEM;
    }
    d->fn = fn;
    d->ptr = ptr;
    d->next = a->defers;
    a->defers = d;
    return NB_OK;
}
