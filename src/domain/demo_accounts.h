/* demo_accounts.h: staff accounts of the demo office, one per role, for trying the back
 * office at once. Each start of `notbetrieb demo` gives them new passwords and new TOTP
 * secrets and shows them on the terminal; a real office gets setup links instead
 * (notbetrieb user add), never printed passwords. */
#ifndef NB_DOMAIN_DEMO_ACCOUNTS_H
#define NB_DOMAIN_DEMO_ACCOUNTS_H

#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Called once per account with what a person needs to sign in. */
typedef void (*nb_demo_account_fn)(void *ctx, const char *name, const char *role,
                                   const char *password, const char *totp_base32);

/* Creates (or resets) the four accounts of the demo office (domain/demo.h) at now, sets each
 * up with a random password and a new TOTP secret, and calls show for each. The TOTP code of
 * now's 30-second step counts as used by the setup: the first sign-in takes the app's next
 * code. NB_ERR_NOTFOUND when the demo office does not exist. */
NB_MUST_USE enum nb_err nb_demo_accounts(struct nb_store *s, int64_t now, nb_demo_account_fn show,
                                         void *ctx);

#endif
