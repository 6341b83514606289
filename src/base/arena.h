/* arena.h: a request-scoped allocator with a byte budget and a defer list.
 *
 * An arena hands out memory that lives until nb_arena_fini; callers never free single
 * allocations. The budget caps the bytes handed out: past it, allocation returns NULL and
 * the caller reports NB_ERR_LIMIT (a hostile request meets a limit, never the OOM killer).
 * Deferred callbacks run in reverse order at nb_arena_fini (statements, descriptors,
 * library objects). An arena is used by one thread at a time. */
#ifndef NB_BASE_ARENA_H
#define NB_BASE_ARENA_H

#include <stddef.h>
#include "base/err.h"

struct nb_arena_chunk;
struct nb_arena_defer;

struct nb_arena {
    struct nb_arena_chunk *chunks;
    struct nb_arena_defer *defers;
    size_t budget; /* bytes that may be handed out in all */
    size_t used;   /* bytes handed out so far, counted with alignment */
};

/* Prepares an empty arena with the given budget in bytes. Allocates nothing yet. */
void nb_arena_init(struct nb_arena *a, size_t budget);

/* Runs deferred callbacks (last registered first) and releases all memory. The arena may
 * be used again afterwards, with the same budget. Accepts an arena that was never used. */
void nb_arena_fini(struct nb_arena *a);

/* Returns size bytes aligned for any type, or NULL when the budget or memory runs out or
 * size is 0. The memory is not zeroed. */
void *nb_arena_alloc(struct nb_arena *a, size_t size);

/* Like nb_arena_alloc for n elements of size bytes, zeroed, with overflow check. */
void *nb_arena_calloc(struct nb_arena *a, size_t n, size_t size);

/* Copies len bytes and appends a NUL; NULL when out of budget. */
char *nb_arena_strndup(struct nb_arena *a, const char *s, size_t len);

/* Registers fn(ptr) to run at nb_arena_fini. NB_ERR_NOMEM when it cannot be recorded;
 * then fn has already been called, so that nothing leaks. */
NB_MUST_USE enum nb_err nb_arena_defer(struct nb_arena *a, void (*fn)(void *), void *ptr);

#endif
