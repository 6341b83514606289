/* config.c: the option table and its parser.
 *
 * Options are "--name VALUE" or "--name=VALUE"; "--" ends options. Every value is checked
 * for length against its field; an over-long value is an error, never silently cut. */
#include "base/config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/addr.h"
#include "base/limits.h"
#include "base/str.h"

/* T_ADDRS: a string that must be a list of addresses (base/addr.h). */
enum opt_type { T_STR, T_UINT, T_ADDRS };

struct opt {
    enum nb_opt_id id;
    const char *name;
    const char *arg;
    enum opt_type type;
    size_t offset, size;
    const char *def;
    const char *help;
    unsigned max; /* T_UINT: the largest value accepted */
};

#define F(field) offsetof(struct nb_config, field), sizeof(((struct nb_config *)0)->field)

static const struct opt opts[] = {
    {NB_OPT_DATA, "data", "DIR", T_STR, F(data), "./data",
     "directory of the database, keys and office files", 0},
    {NB_OPT_LISTEN, "listen", "ADDR:PORT", T_STR, F(listen), "127.0.0.1:8080",
     "address and port to serve HTTP on (IPv6 as [::1]:8080)", 0},
    {NB_OPT_OFFICE, "office", "SLUG", T_STR, F(office), "",
     "office to act on; may be left out when the instance has only one", 0},
    {NB_OPT_TEMPLATES, "templates", "DIR", T_STR, F(templates), "",
     "directory whose *.mustache files override the built-in templates", 0},
    {NB_OPT_JSON, "data", "JSON", T_STR, F(json), "", "JSON file with the view model", 0},
    {NB_OPT_PARTIALS, "partials", "DIR", T_STR, F(partials), "",
     "directory of partials, NAME.mustache each", 0},
    {NB_OPT_NAME, "name", "TEXT", T_STR, F(name), "", "the office's name as citizens know it", 0},
    {NB_OPT_LAND, "land", "CODE", T_STR, F(land), "MV",
     "the office's Land for public holidays: BW BY BE BB HB HH HE MV NI NW RP SL SN ST SH TH", 0},
    {NB_OPT_HOST, "host", "NAME", T_STR, F(host), "",
     "host name on which the office answers at \"/\" (for instances with several offices)", 0},
    {NB_OPT_ROLE, "role", "ROLE", T_STR, F(role), "",
     "the account's role: admin, editor, caseworker or dpo", 0},
    {NB_OPT_CHECKPOINT, "checkpoint", "TEXT", T_STR, F(checkpoint), "",
     "a checkpoint printed earlier by 'journal checkpoint', to detect a rewritten tail", 0},
    {NB_OPT_THREADS, "threads", "N", T_UINT, F(threads), "0",
     "HTTP worker threads (0: one per processor core, at most 64)", NB_HTTP_THREADS_MAX},
    {NB_OPT_TRUSTED_PROXY, "trusted-proxy", "ADDR[,ADDR...]", T_ADDRS, F(trusted_proxy),
     "127.0.0.1,::1",
     "proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: numeric IPv4 or IPv6 "
     "addresses, comma-separated, at most 16; '' trusts none",
     0},
    {NB_OPT_LOG_LEVEL, "log-level", "LEVEL", T_STR, F(log_level), "info",
     "least level logged: debug, info, warn or error", 0},
};

static enum nb_err set_value(struct nb_config *c, const struct opt *o, const char *v, FILE *err)
{
    char *field = (char *)c + o->offset;
    if (o->type == T_UINT) {
        uint64_t n;
        if (!nb_str_to_u64(nb_str_c(v), o->max, &n)) {
            fprintf(err, "--%s: expected a whole number from 0 to %u, got '%s'\n", o->name, o->max,
                    v);
            return NB_ERR_INPUT;
        }
        unsigned u = (unsigned)n;
        memcpy(field, &u, sizeof(u));
        return NB_OK;
    }
    if (o->type == T_ADDRS) {
        struct nb_addr_list list;
        struct nb_str bad = {"", 0};
        switch (nb_addr_list_parse(nb_str_c(v), &list, &bad)) {
        case NB_OK:
            break;
        case NB_ERR_LIMIT:
            fprintf(err, "--%s: at most %u addresses\n", o->name, NB_HTTP_TRUSTED_PROXIES_MAX);
            return NB_ERR_INPUT;
        default:
            fprintf(err, "--%s: '%.*s' is not a numeric IPv4 or IPv6 address\n", o->name,
                    NB_STR_FMT(bad));
            return NB_ERR_INPUT;
        }
    }
    size_t len = strlen(v);
    if (len >= o->size) {
        fprintf(err, "--%s: value too long (at most %zu bytes)\n", o->name, o->size - 1);
        return NB_ERR_INPUT;
    }
    memcpy(field, v, len + 1);
    return NB_OK;
}

void nb_config_defaults(struct nb_config *c)
{
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        if (set_value(c, &opts[i], opts[i].def, stderr) != NB_OK)
            __builtin_trap(); /* a default that does not fit is a bug in the table */
}

static const struct opt *find(unsigned allowed, const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        if ((allowed & opts[i].id) && strlen(opts[i].name) == len &&
            memcmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

enum nb_err nb_config_parse(struct nb_config *c, const struct nb_command_spec *cmd, int argc,
                            char **argv, FILE *err)
{
    bool only_args = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_args && strcmp(a, "--") == 0) {
            only_args = true;
            continue;
        }
        if (!only_args && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            c->help = true;
            continue;
        }
        if (!only_args && a[0] == '-' && a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
            const struct opt *o = find(cmd->opts, name, nlen);
            if (!o) {
                fprintf(err, "%s: unknown option '--%.*s' (see --help)\n", cmd->name, (int)nlen,
                        name);
                return NB_ERR_INPUT;
            }
            const char *v = eq ? eq + 1 : NULL;
            if (!v) {
                if (i + 1 >= argc) {
                    fprintf(err, "%s: option --%s needs a value %s\n", cmd->name, o->name, o->arg);
                    return NB_ERR_INPUT;
                }
                v = argv[++i];
            }
            if (set_value(c, o, v, err) != NB_OK)
                return NB_ERR_INPUT;
            continue;
        }
        if (c->nargs >= cmd->max_args || c->nargs >= NB_CONFIG_ARGS_MAX) {
            fprintf(err, "%s: unexpected argument '%s' (see --help)\n", cmd->name, a);
            return NB_ERR_INPUT;
        }
        c->args[c->nargs++] = a;
    }
    if (!c->help && c->nargs < cmd->min_args) {
        fprintf(err, "%s: missing argument; usage: notbetrieb %s %s\n", cmd->name, cmd->name,
                cmd->synopsis);
        return NB_ERR_INPUT;
    }
    return NB_OK;
}

void nb_config_help(const struct nb_command_spec *cmd, FILE *out)
{
    fprintf(out, "usage: notbetrieb %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->summary);
    bool any = false;
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        const struct opt *o = &opts[i];
        if (!(cmd->opts & o->id))
            continue;
        if (!any)
            fprintf(out, "\noptions:\n");
        any = true;
        char left[64];
        snprintf(left, sizeof(left), "--%s %s", o->name, o->arg);
        fprintf(out, "  %-24s %s", left, o->help);
        if (o->def[0] && o->type != T_UINT)
            fprintf(out, " (default: %s)", o->def);
        fprintf(out, "\n");
    }
    fprintf(out, "  %-24s %s\n", "--help", "show this text");
}
