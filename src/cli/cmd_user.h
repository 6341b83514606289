/* cmd_user.h: "notbetrieb user add" and "notbetrieb user reset".
 *
 * Both print a one-time setup link (path /intern/einrichten/<token>, valid 24 hours) that the
 * administrator hands to the person; the command line does not know the address under which
 * the server is reached, so it prints the path and says to put that address in front.
 * There are no default accounts: the first admin is made with user add. */
#ifndef NB_CLI_CMD_USER_H
#define NB_CLI_CMD_USER_H

#include "base/config.h"

/* user add --office SLUG --role ROLE [--data DIR] NAME: creates the account (c->args[0]) in
 * the office (empty --office: the only office of the instance). Exit 0 with the link on
 * stdout; 1 when the data directory, the office or a free name is missing; 2 for a missing or
 * unknown role, a malformed name, or no --office where several offices exist. Blocks on I/O. */
int nb_cmd_user_add(const struct nb_config *c);

/* user reset [--office SLUG] [--data DIR] NAME: makes the account unusable until a new setup
 * is completed (password, authenticator and recovery codes are forgotten at once) and prints
 * the new link. Without --office the name is looked up in every office; when several have
 * it, exit 2 asking for --office. Exit 1 when there is no such account or office. */
int nb_cmd_user_reset(const struct nb_config *c);

#endif
