/* two_offices.h: the fixture of the domain tests that need a store with two offices: a fresh
 * database file (tmpdb.h) with the offices "moorwiesen" (f->a) and "heidekrug" (f->b) of
 * MV, created at the time the test passes. Include it once per test program. */
#ifndef NB_TESTS_TWO_OFFICES_H
#define NB_TESTS_TWO_OFFICES_H

#include <stdint.h>
#include <stdlib.h>

#include "domain/office.h"
#include "store/store.h"
#include "../tmpdb.h"

struct fix {
    struct tmpdb db;
    struct nb_store *s;
    int64_t a, b; /* two offices */
};

/* cmocka setup: *state gets the fixture; -1 when anything failed. */
static inline int two_offices_setup(void **state, int64_t at)
{
    struct fix *f = calloc(1, sizeof(*f));
    if (!f || tmpdb_make(&f->db) != 0 || nb_store_open(f->db.path, &f->s) != NB_OK) {
        free(f);
        return -1;
    }
    const struct nb_store_office a = {
        NB_STR("moorwiesen"), NB_STR("Amt Moorwiesen"), NB_STR("MV"), {NULL, 0}};
    const struct nb_store_office b = {
        NB_STR("heidekrug"), NB_STR("Amt Heidekrug"), NB_STR("MV"), {NULL, 0}};
    if (nb_office_create(f->s, &a, at, &f->a) != NB_OK ||
        nb_office_create(f->s, &b, at, &f->b) != NB_OK)
        return -1;
    *state = f;
    return 0;
}

/* cmocka teardown: closes the store and removes the database with its directory. */
static inline int two_offices_teardown(void **state)
{
    struct fix *f = *state;
    nb_store_close(&f->s);
    tmpdb_remove(&f->db);
    free(f);
    return 0;
}

#endif
