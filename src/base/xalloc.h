/* xalloc.h: memory for long-lived objects under the one OOM policy (CONVENTIONS.md): the
 * server's own structures (daemon, pools, connection records) are few and small, so a failed
 * allocation of one is logged and aborts. Request memory comes from arenas, whose budgets
 * answer a hostile request with a limit instead. */
#ifndef NB_BASE_XALLOC_H
#define NB_BASE_XALLOC_H

#include <stddef.h>

/* Zeroed memory for n objects of size bytes (calloc, so n * size is overflow-checked); never
 * NULL: on failure logs event=<what>.oom and aborts. Free with free(). */
void *nb_xalloc_zeroed(size_t n, size_t size, const char *what);

#endif
