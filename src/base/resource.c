/* resource.c: lookup of built-in files by name. A linear scan: there are a few dozen and
 * lookups happen at start-up only. */
#include "base/resource.h"

#include <string.h>

const struct nb_resource *nb_resource_get(const char *name)
{
    for (unsigned i = 0; i < nb_resources_count; i++)
        if (strcmp(nb_resources[i].name, name) == 0)
            return &nb_resources[i];
    return NULL;
}
