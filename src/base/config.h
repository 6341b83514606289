/* config.h: the typed table of runtime options.
 *
 * One table (config.c) names every option with its type, default and help text; it drives
 * command-line parsing, each subcommand's --help and docs/options.md. A subcommand states
 * which options it takes as a bit set; anything else is refused with a clear message.
 * Values are copied into struct nb_config, which owns no heap memory. */
#ifndef NB_BASE_CONFIG_H
#define NB_BASE_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "base/limits.h"

enum nb_opt_id {
    NB_OPT_DATA = 1u << 0,        /* --data DIR */
    NB_OPT_LISTEN = 1u << 1,      /* --listen ADDR:PORT */
    NB_OPT_OFFICE = 1u << 2,      /* --office SLUG */
    NB_OPT_TEMPLATES = 1u << 3,   /* --templates DIR */
    NB_OPT_JSON = 1u << 4,        /* --data JSON for template render (a file) */
    NB_OPT_PARTIALS = 1u << 5,    /* --partials DIR */
    NB_OPT_NAME = 1u << 6,        /* --name TEXT */
    NB_OPT_LAND = 1u << 7,        /* --land CODE */
    NB_OPT_THREADS = 1u << 8,     /* --threads N */
    NB_OPT_LOG_LEVEL = 1u << 9,   /* --log-level LEVEL */
    NB_OPT_HOST = 1u << 10,       /* --host NAME */
    NB_OPT_ROLE = 1u << 11,       /* --role ROLE */
    NB_OPT_CHECKPOINT = 1u << 12, /* --checkpoint TEXT */
    /* --trusted-proxy ADDR[,ADDR...] */
    NB_OPT_TRUSTED_PROXY = 1u << 13,
    NB_OPT_WORKERS = 1u << 20,    /* --workers N */
    NB_OPT_QUEUE = 1u << 21,      /* --queue N */
};

struct nb_config {
    char data[NB_CONFIG_PATH_MAX];      /* data directory; default "./data" */
    char listen[128];                   /* ADDR:PORT; default 127.0.0.1:8080 */
    char office[64];                    /* office slug; empty = the only office */
    char templates[NB_CONFIG_PATH_MAX]; /* template override directory; empty = none */
    char json[NB_CONFIG_PATH_MAX];      /* template render: JSON data file */
    char partials[NB_CONFIG_PATH_MAX];  /* template render: partials directory */
    char name[256];                     /* init: the office's name */
    char land[8];                       /* init: two-letter Land code */
    char host[256];                     /* init: host name the office answers on */
    char role[16];                      /* user add: admin, editor, caseworker or dpo */
    char checkpoint[512];               /* journal verify: a checkpoint written down earlier */
    char trusted_proxy[1024];           /* addresses, comma-separated, each valid (base/addr.h);
                                         * default "127.0.0.1,::1"; empty = none */
    unsigned threads;                   /* HTTP event threads; 0 = one per core */
    unsigned workers;                   /* threads for blocking work; 0 = one per core */
    unsigned queue;                     /* requests waiting for a worker; 0 = default */
    char log_level[8];                  /* debug, info, warn, error */
    bool help;                          /* --help was given */
    int nargs;                          /* positional arguments */
    const char *args[NB_CONFIG_ARGS_MAX];
};

struct nb_command_spec {
    const char *name;     /* "serve", "template render" */
    const char *synopsis; /* "[--data DIR] [--listen ADDR:PORT]" */
    const char *summary;  /* one line */
    unsigned opts;        /* bit set of enum nb_opt_id */
    int min_args, max_args;
};

/* Sets every option to its default. */
void nb_config_defaults(struct nb_config *c);

/* Parses argv (after the subcommand words) for the command. On NB_ERR_INPUT a message in
 * plain words has been written to err. argv strings must outlive c (positional args point
 * into argv). */
NB_MUST_USE enum nb_err nb_config_parse(struct nb_config *c, const struct nb_command_spec *cmd,
                                        int argc, char **argv, FILE *err);

/* Writes the command's usage and the help of each of its options. */
void nb_config_help(const struct nb_command_spec *cmd, FILE *out);

#endif
