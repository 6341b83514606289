/* xalloc.c: the aborting allocator of xalloc.h. */
#include "base/xalloc.h"

#include <stdlib.h>

#include "base/log.h"

void *nb_xalloc_zeroed(size_t n, size_t size, const char *what)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        nb_log_error("alloc.oom", "what=%s n=%zu size=%zu", what, n, size);
        abort();
    }
    return p;
}
