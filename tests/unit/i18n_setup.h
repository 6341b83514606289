/* i18n_setup.h: cmocka group setup and teardown that load and free the built-in catalogs,
 * for the unit tests whose code looks up texts (view/i18n.h). */
#ifndef NB_TESTS_I18N_SETUP_H
#define NB_TESTS_I18N_SETUP_H

#include "view/i18n.h"

static inline int i18n_setup(void **state)
{
    (void)state;
    return nb_i18n_init() == NB_OK ? 0 : -1;
}

static inline int i18n_teardown(void **state)
{
    (void)state;
    nb_i18n_fini();
    return 0;
}

#endif
