/* Unit tests for base/config: defaults, both option spellings, refusals with a message that
 * names the option, value lengths on both sides of each field's size, --threads, positional
 * arguments, "--" and --help. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/limits.h"

static const struct nb_command_spec serve = {
    "serve",  "[--data DIR] [--threads N]",
    "Serve.", NB_OPT_DATA | NB_OPT_LISTEN | NB_OPT_THREADS | NB_OPT_LOG_LEVEL,
    0,        0};
static const struct nb_command_spec init = {
    "init",    "--office SLUG --name TEXT",
    "Create.", NB_OPT_DATA | NB_OPT_OFFICE | NB_OPT_NAME | NB_OPT_LAND,
    0,         0};
static const struct nb_command_spec export = {
    "export-site", "[--data DIR] DIR [DIR]", "Export.", NB_OPT_DATA, 1, 2};
static const struct nb_command_spec render = {
    "template render", "FILE --data JSON", "Render.", NB_OPT_JSON | NB_OPT_PARTIALS, 1, 1};
static const struct nb_command_spec proxied = {
    "serve", "[--trusted-proxy ADDR[,ADDR...]]", "Serve.", NB_OPT_TRUSTED_PROXY, 0, 0};
static const struct nb_command_spec many = {"many", "ARG...", "Many.", 0, 0, 100};

static char msg[1024]; /* what the last parse wrote to its err stream */

/* Parses a NULL-terminated list of arguments into c (after defaults); keeps the message. */
static enum nb_err parse_v(struct nb_config *c, const struct nb_command_spec *cmd, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    char *text = NULL;
    size_t size = 0;
    FILE *err = open_memstream(&text, &size);
    assert_non_null(err);
    nb_config_defaults(c);
    enum nb_err e = nb_config_parse(c, cmd, argc, argv, err);
    assert_int_equal(fclose(err), 0);
    snprintf(msg, sizeof(msg), "%s", text ? text : "");
    free(text);
    return e;
}

#define PARSE(c, cmd, ...) parse_v((c), (cmd), (char *[]){__VA_ARGS__, NULL})

/* The parse succeeded and wrote nothing. */
#define assert_ok(e)                                                                               \
    do {                                                                                           \
        assert_int_equal((e), NB_OK);                                                              \
        assert_string_equal(msg, "");                                                              \
    } while (0)

/* The parse was refused with a message that contains each of the given words. */
static void assert_refused_with(enum nb_err e, const char *word1, const char *word2)
{
    assert_int_equal(e, NB_ERR_INPUT);
    if (!strstr(msg, word1) || (word2 && !strstr(msg, word2)))
        fail_msg("message '%s' lacks '%s' or '%s'", msg, word1, word2 ? word2 : "");
}

/* What nb_config_help writes for cmd; the caller frees it. */
static char *help_text(const struct nb_command_spec *cmd)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    nb_config_help(cmd, out);
    assert_int_equal(fclose(out), 0);
    return text;
}

static void test_defaults(void **state)
{
    (void)state;
    struct nb_config c;
    memset(&c, 0x5A, sizeof(c));
    nb_config_defaults(&c);
    assert_string_equal(c.data, "./data");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.office, "");
    assert_string_equal(c.templates, "");
    assert_string_equal(c.json, "");
    assert_string_equal(c.partials, "");
    assert_string_equal(c.name, "");
    assert_string_equal(c.land, "MV");
    assert_int_equal(c.threads, 0);
    assert_string_equal(c.log_level, "info");
    assert_false(c.help);
    assert_int_equal(c.nargs, 0);

    /* no arguments at all: the defaults stand */
    char *none[] = {NULL};
    assert_ok(parse_v(&c, &serve, none));
    assert_string_equal(c.data, "./data");
    assert_int_equal(c.nargs, 0);
}

static void test_both_spellings(void **state)
{
    (void)state;
    struct nb_config c;
    assert_ok(PARSE(&c, &serve, "--data", "/srv/nb", "--listen=[::1]:9000"));
    assert_string_equal(c.data, "/srv/nb");
    assert_string_equal(c.listen, "[::1]:9000");
    assert_string_equal(c.log_level, "info"); /* others keep their default */

    assert_ok(PARSE(&c, &serve, "--data=/a", "--log-level", "debug"));
    assert_string_equal(c.data, "/a");
    assert_string_equal(c.log_level, "debug");

    /* the value after '=' is taken whole, '=' and all; an empty one is a value */
    assert_ok(PARSE(&c, &init, "--name=a=b c", "--office="));
    assert_string_equal(c.name, "a=b c");
    assert_string_equal(c.office, "");

    /* a separate value may start with '-' */
    assert_ok(PARSE(&c, &init, "--name", "--x"));
    assert_string_equal(c.name, "--x");

    /* the last one wins */
    assert_ok(PARSE(&c, &serve, "--data", "one", "--data=two"));
    assert_string_equal(c.data, "two");

    /* the same word maps to the field of the command's option */
    assert_ok(PARSE(&c, &render, "view.json", "--data", "model.json"));
    assert_string_equal(c.json, "model.json");
    assert_string_equal(c.data, "./data");
    assert_int_equal(c.nargs, 1);
    assert_string_equal(c.args[0], "view.json");
}

static void test_unknown_option(void **state)
{
    (void)state;
    struct nb_config c;
    assert_refused_with(PARSE(&c, &serve, "--bogus"), "serve", "--bogus");
    assert_refused_with(PARSE(&c, &serve, "--bogus=1"), "--bogus", NULL);
    assert_null(strstr(msg, "=1"));                                        /* the name only */
    assert_refused_with(PARSE(&c, &serve, "--Data", "x"), "--Data", NULL); /* case matters */
    assert_refused_with(PARSE(&c, &serve, "--dat", "x"), "--dat'", NULL);  /* no prefixes */
    assert_refused_with(PARSE(&c, &serve, "--datax", "x"), "--datax", NULL);
    assert_refused_with(PARSE(&c, &serve, "--=x"), "unknown", NULL);
}

static void test_option_not_for_command(void **state)
{
    (void)state;
    struct nb_config c;
    /* --threads exists, but init does not take it */
    assert_refused_with(PARSE(&c, &init, "--threads", "4"), "init", "--threads");
    assert_int_equal(c.threads, 0);
    assert_refused_with(PARSE(&c, &serve, "--office=x"), "serve", "--office");
    assert_string_equal(c.office, "");
    assert_refused_with(PARSE(&c, &export, "--templates", "/t"), "--templates", NULL);
    assert_refused_with(PARSE(&c, &many, "--data", "x"), "--data", NULL);
}

static void test_missing_value(void **state)
{
    (void)state;
    struct nb_config c;
    assert_refused_with(PARSE(&c, &serve, "--data"), "--data", "DIR");
    assert_refused_with(PARSE(&c, &serve, "--listen", "a:1", "--threads"), "--threads", NULL);
    assert_string_equal(c.listen, "a:1");
}

/* An option with a value of exactly len bytes. */
static enum nb_err parse_len(struct nb_config *c, const struct nb_command_spec *cmd,
                             const char *opt, size_t len)
{
    char *v = malloc(len + 1);
    assert_non_null(v);
    memset(v, 'v', len);
    v[len] = '\0';
    char name[64];
    snprintf(name, sizeof(name), "%s", opt);
    char file[] = "file"; /* for the commands that need an argument */
    enum nb_err e = cmd->min_args ? PARSE(c, cmd, name, v, file) : PARSE(c, cmd, name, v);
    free(v);
    return e;
}

static void test_value_length(void **state)
{
    (void)state;
    struct nb_config c;
    struct {
        const struct nb_command_spec *cmd;
        const char *opt;
        size_t size;
        size_t offset;
    } fields[] = {
        {&serve, "--data", sizeof(c.data), offsetof(struct nb_config, data)},
        {&serve, "--listen", sizeof(c.listen), offsetof(struct nb_config, listen)},
        {&serve, "--log-level", sizeof(c.log_level), offsetof(struct nb_config, log_level)},
        {&init, "--office", sizeof(c.office), offsetof(struct nb_config, office)},
        {&init, "--name", sizeof(c.name), offsetof(struct nb_config, name)},
        {&init, "--land", sizeof(c.land), offsetof(struct nb_config, land)},
        {&render, "--data", sizeof(c.json), offsetof(struct nb_config, json)},
        {&render, "--partials", sizeof(c.partials), offsetof(struct nb_config, partials)},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const char *field = (const char *)&c + fields[i].offset;
        /* size - 1 bytes: accepted whole */
        assert_ok(parse_len(&c, fields[i].cmd, fields[i].opt, fields[i].size - 1));
        assert_int_equal(strlen(field), fields[i].size - 1);
        assert_int_equal(field[0], 'v');
        /* size bytes: refused, never cut; the field keeps its default */
        assert_refused_with(parse_len(&c, fields[i].cmd, fields[i].opt, fields[i].size),
                            fields[i].opt, "too long");
        assert_int_not_equal(field[0], 'v');
    }
    /* with '=' as well */
    assert_ok(PARSE(&c, &init, "--land=1234567"));
    assert_string_equal(c.land, "1234567");
    assert_refused_with(PARSE(&c, &init, "--land=12345678"), "--land", "7");
    assert_string_equal(c.land, "MV");
}

static void test_threads(void **state)
{
    (void)state;
    struct nb_config c;
    assert_ok(PARSE(&c, &serve, "--threads", "0"));
    assert_int_equal(c.threads, 0);
    assert_ok(PARSE(&c, &serve, "--threads=8"));
    assert_int_equal(c.threads, 8);
    assert_ok(PARSE(&c, &serve, "--threads", "64"));
    assert_int_equal(c.threads, 64);
    static const char *const bad[] = {
        "65",   "1024", "", "-1", "+1", " 4", "4 ", "4x", "0x10", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char arg[64];
        snprintf(arg, sizeof(arg), "--threads=%s", bad[i]);
        assert_refused_with(PARSE(&c, &serve, arg), "--threads", "number");
        assert_int_equal(c.threads, 0);
    }
}

static void test_positional(void **state)
{
    (void)state;
    struct nb_config c;
    assert_refused_with(PARSE(&c, &export, "--data", "d"), "missing argument", "export-site");
    assert_ok(PARSE(&c, &export, "out"));
    assert_int_equal(c.nargs, 1);
    assert_string_equal(c.args[0], "out");
    assert_ok(PARSE(&c, &export, "one", "--data", "d", "two")); /* options between */
    assert_int_equal(c.nargs, 2);
    assert_string_equal(c.args[0], "one");
    assert_string_equal(c.args[1], "two");
    assert_string_equal(c.data, "d");
    assert_refused_with(PARSE(&c, &export, "a", "b", "c"), "unexpected argument", "'c'");
    assert_refused_with(PARSE(&c, &serve, "x"), "serve", "'x'"); /* max 0 */

    /* a single '-' and a short option are arguments, not options */
    assert_ok(PARSE(&c, &export, "-"));
    assert_string_equal(c.args[0], "-");

    /* never more than NB_CONFIG_ARGS_MAX, whatever the command allows */
    char *args[NB_CONFIG_ARGS_MAX + 2];
    char words[NB_CONFIG_ARGS_MAX + 1][4];
    for (int i = 0; i < NB_CONFIG_ARGS_MAX + 1; i++) {
        snprintf(words[i], sizeof(words[i]), "a%d", i);
        args[i] = words[i];
    }
    args[NB_CONFIG_ARGS_MAX] = NULL;
    assert_ok(parse_v(&c, &many, args));
    assert_int_equal(c.nargs, NB_CONFIG_ARGS_MAX);
    args[NB_CONFIG_ARGS_MAX] = words[NB_CONFIG_ARGS_MAX];
    args[NB_CONFIG_ARGS_MAX + 1] = NULL;
    assert_refused_with(parse_v(&c, &many, args), "unexpected argument", NULL);
    assert_true(c.nargs <= NB_CONFIG_ARGS_MAX);
}

static void test_double_dash(void **state)
{
    (void)state;
    struct nb_config c;
    assert_ok(PARSE(&c, &export, "--data", "d", "--", "--data"));
    assert_string_equal(c.data, "d");
    assert_int_equal(c.nargs, 1);
    assert_string_equal(c.args[0], "--data");

    assert_ok(PARSE(&c, &export, "--", "--help"));
    assert_false(c.help);
    assert_string_equal(c.args[0], "--help");

    assert_ok(PARSE(&c, &export, "--", "--"));
    assert_string_equal(c.args[0], "--");

    assert_refused_with(PARSE(&c, &export, "--"), "missing argument", NULL);
    assert_refused_with(PARSE(&c, &export, "--", "a", "b", "c"), "unexpected", NULL);
}

static void test_help(void **state)
{
    (void)state;
    struct nb_config c;
    assert_ok(PARSE(&c, &serve, "--help"));
    assert_true(c.help);
    assert_ok(PARSE(&c, &serve, "-h"));
    assert_true(c.help);
    /* --help excuses missing arguments */
    assert_ok(PARSE(&c, &export, "--help"));
    assert_true(c.help);
    assert_ok(PARSE(&c, &serve, "--data", "x"));
    assert_false(c.help);

    char *text = help_text(&serve);
    assert_non_null(strstr(text, "usage: notbetrieb serve"));
    assert_non_null(strstr(text, "--threads N"));
    assert_non_null(strstr(text, "--listen ADDR:PORT"));
    assert_non_null(strstr(text, "(default: 127.0.0.1:8080)"));
    assert_non_null(strstr(text, "--help"));
    assert_null(strstr(text, "--office")); /* only the command's options */
    free(text);
}

static void test_trusted_proxy(void **state)
{
    (void)state;
    struct nb_config c;
    nb_config_defaults(&c);
    assert_string_equal(c.trusted_proxy, "127.0.0.1,::1");
    assert_ok(PARSE(&c, &proxied, "--trusted-proxy", "10.0.0.2, 2001:db8::2"));
    assert_string_equal(c.trusted_proxy, "10.0.0.2, 2001:db8::2");
    assert_ok(PARSE(&c, &proxied, "--trusted-proxy="));
    assert_string_equal(c.trusted_proxy, ""); /* trusts none */

    assert_refused_with(PARSE(&c, &proxied, "--trusted-proxy", "nginx.local"), "--trusted-proxy",
                        "'nginx.local' is not a numeric IPv4 or IPv6 address");
    assert_refused_with(PARSE(&c, &proxied, "--trusted-proxy", "127.0.0.1,,::1"), "--trusted-proxy",
                        "'' is not a numeric");
    assert_refused_with(PARSE(&c, &proxied, "--trusted-proxy=10.0.0.0/8"), "'10.0.0.0/8'", NULL);
    /* the option is refused where a command does not take it */
    assert_refused_with(PARSE(&c, &init, "--trusted-proxy", "::1"), "unknown option", NULL);

    /* Both sides of NB_HTTP_TRUSTED_PROXIES_MAX. */
    char list[1024];
    size_t len = 0;
    for (unsigned i = 0; i < NB_HTTP_TRUSTED_PROXIES_MAX; i++)
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s10.0.0.%u", i ? "," : "", i);
    assert_ok(PARSE(&c, &proxied, "--trusted-proxy", list));
    snprintf(list + len, sizeof(list) - len, ",10.0.0.200");
    char expected[64];
    snprintf(expected, sizeof(expected), "at most %u addresses", NB_HTTP_TRUSTED_PROXIES_MAX);
    assert_refused_with(PARSE(&c, &proxied, "--trusted-proxy", list), expected, NULL);

    char *text = help_text(&proxied);
    assert_non_null(strstr(text, "--trusted-proxy ADDR[,ADDR...]"));
    assert_non_null(strstr(text, "(default: 127.0.0.1,::1)"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),       cmocka_unit_test(test_both_spellings),
        cmocka_unit_test(test_unknown_option), cmocka_unit_test(test_option_not_for_command),
        cmocka_unit_test(test_missing_value),  cmocka_unit_test(test_value_length),
        cmocka_unit_test(test_threads),        cmocka_unit_test(test_positional),
        cmocka_unit_test(test_double_dash),    cmocka_unit_test(test_help),
        cmocka_unit_test(test_trusted_proxy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
