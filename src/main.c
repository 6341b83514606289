/* main.c: subcommand dispatch only. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "cli/commands.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: notbetrieb COMMAND [options]\n\n"
                 "notbetrieb keeps a public office working while its IT is down.\n\ncommands:\n");
    for (const struct nb_command *c = nb_commands; c->spec.name; c++)
        fprintf(out, "  %-18s %s\n", c->spec.name, c->spec.summary);
    fprintf(out, "\nRun 'notbetrieb COMMAND --help' for the options of a command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (const struct nb_command *c = nb_commands; c->spec.name; c++) {
        /* A command name may be two words ("template render"). */
        const char *sp = strchr(c->spec.name, ' ');
        int words = 1;
        if (sp) {
            size_t first = (size_t)(sp - c->spec.name);
            if (strlen(argv[1]) != first || strncmp(argv[1], c->spec.name, first) != 0 ||
                argc < 3 || strcmp(argv[2], sp + 1) != 0)
                continue;
            words = 2;
        } else if (strcmp(argv[1], c->spec.name) != 0) {
            continue;
        }
        struct nb_config cfg;
        nb_config_defaults(&cfg);
        if (nb_config_parse(&cfg, &c->spec, argc - 1 - words, argv + 1 + words, stderr) != NB_OK)
            return 2;
        if (cfg.help) {
            nb_config_help(&c->spec, stdout);
            return 0;
        }
        if (strcmp(cfg.log_level, "debug") == 0)
            nb_log_set_level(NB_LOG_DEBUG);
        else if (strcmp(cfg.log_level, "warn") == 0)
            nb_log_set_level(NB_LOG_WARN);
        else if (strcmp(cfg.log_level, "error") == 0)
            nb_log_set_level(NB_LOG_ERROR);
        else if (strcmp(cfg.log_level, "info") != 0) {
            fprintf(stderr, "--log-level: expected debug, info, warn or error\n");
            return 2;
        }
        return c->run(&cfg);
    }
    fprintf(stderr, "notbetrieb: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
