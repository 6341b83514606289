/* resource.h: files built into the binary (templates, CSS, message catalogs, the list of
 * common passwords).
 *
 * The build turns the files listed in templates/, static/, po/ and lists/ into nb_resources
 * (tools/embed.c), so that one binary carries everything it serves. Names are the paths
 * relative to the source root ("templates/page.mustache", "static/site.css", "po/en.mo").
 * The data is immutable, lives for the whole process and ends in a NUL not counted in len. */
#ifndef NB_BASE_RESOURCE_H
#define NB_BASE_RESOURCE_H

#include <stddef.h>

struct nb_resource {
    const char *name;
    const char *data;
    size_t len;
};

extern const struct nb_resource nb_resources[];
extern const unsigned nb_resources_count;

/* The resource of that name, or NULL. */
const struct nb_resource *nb_resource_get(const char *name);

#endif
