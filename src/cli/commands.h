/* commands.h: the subcommands of the notbetrieb binary.
 *
 * Each takes the parsed options and returns the process exit code: 0 success, 1 failure
 * (a message in plain words has been written to stderr), 2 wrong usage. */
#ifndef NB_CLI_COMMANDS_H
#define NB_CLI_COMMANDS_H

#include "base/config.h"

/* The table main.c dispatches on; ends with an entry whose name is NULL. */
struct nb_command {
    struct nb_command_spec spec;
    int (*run)(const struct nb_config *c);
};
extern const struct nb_command nb_commands[];

int nb_cmd_init(const struct nb_config *c);
int nb_cmd_serve(const struct nb_config *c);
int nb_cmd_demo(const struct nb_config *c);
int nb_cmd_export_site(const struct nb_config *c);
int nb_cmd_routes(const struct nb_config *c);

#endif
