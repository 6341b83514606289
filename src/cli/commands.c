/* commands.c: the table of subcommands and the ones that act on the instance (init, serve,
 * demo, export-site). Each prints what it did or why it failed in plain words. */
#include "cli/commands.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/str.h"
#include "cli/cmd_journal.h"
#include "cli/cmd_template.h"
#include "cli/cmd_user.h"
#include "domain/demo.h"
#include "domain/demo_accounts.h"
#include "domain/journal.h"
#include "domain/office.h"
#include "web/app.h"
#include "web/site.h"

const struct nb_command nb_commands[] = {
    {{"init", "--office SLUG --name TEXT [--land CODE] [--host NAME] [--data DIR]",
      "Create the data directory and an office. Run once per office.",
      NB_OPT_DATA | NB_OPT_OFFICE | NB_OPT_NAME | NB_OPT_LAND | NB_OPT_HOST, 0, 0},
     nb_cmd_init},
    {{"serve",
      "[--data DIR] [--listen ADDR:PORT] [--threads N] [--workers N] [--queue N]"
      " [--trusted-proxy ADDR[,ADDR...]] [--log-level LEVEL]",
      "Serve the offices of the data directory over HTTP until SIGTERM.",
      NB_OPT_DATA | NB_OPT_LISTEN | NB_OPT_THREADS | NB_OPT_WORKERS | NB_OPT_QUEUE |
          NB_OPT_TRUSTED_PROXY | NB_OPT_LOG_LEVEL,
      0, 0},
     nb_cmd_serve},
    {{"demo",
      "[--data DIR] [--listen ADDR:PORT] [--threads N] [--workers N] [--queue N]"
      " [--trusted-proxy ADDR[,ADDR...]] [--log-level LEVEL]",
      "Create the demo office (an invented Amt in emergency operation) when absent, then serve.",
      NB_OPT_DATA | NB_OPT_LISTEN | NB_OPT_THREADS | NB_OPT_WORKERS | NB_OPT_QUEUE |
          NB_OPT_TRUSTED_PROXY | NB_OPT_LOG_LEVEL,
      0, 0},
     nb_cmd_demo},
    {{"export-site", "[--office SLUG] [--data DIR] DIR",
      "Write the office's public site as plain files with a SHA-256 manifest.",
      NB_OPT_DATA | NB_OPT_OFFICE, 1, 1},
     nb_cmd_export_site},
    {{"journal checkpoint", "[--data DIR]",
      "Sign the journal's current head and print it for a witness to keep.", NB_OPT_DATA, 0, 0},
     nb_cmd_journal_checkpoint},
    {{"journal verify", "[--data DIR] [--checkpoint TEXT]",
      "Check the journal's hash chain and signed checkpoints; name the first damaged entry.",
      NB_OPT_DATA | NB_OPT_CHECKPOINT, 0, 0},
     nb_cmd_journal_verify},
    {{"user add", "--office SLUG --role ROLE [--data DIR] NAME",
      "Create a staff account and print its one-time setup link (valid 24 hours).",
      NB_OPT_DATA | NB_OPT_OFFICE | NB_OPT_ROLE, 1, 1},
     nb_cmd_user_add},
    {{"user reset", "[--office SLUG] [--data DIR] NAME",
      "Lock an account until it is set up again, and print its new setup link.",
      NB_OPT_DATA | NB_OPT_OFFICE, 1, 1},
     nb_cmd_user_reset},
    {{"routes", "",
      "Print the back office's route table: method, address, who may use it, CSRF, module.", 0, 0,
      0},
     nb_cmd_routes},
    {{"template render", "FILE --data JSON [--partials DIR]",
      "Render one template with a JSON view model to standard output.",
      NB_OPT_JSON | NB_OPT_PARTIALS, 1, 1},
     nb_cmd_template_render},
    {{NULL, NULL, NULL, 0, 0, 0}, NULL},
};

static int64_t now_utc(void)
{
    return (int64_t)time(NULL);
}

static int fail(const char *what, enum nb_err err)
{
    fprintf(stderr, "notbetrieb: %s failed (%s)\n", what, nb_err_str(err));
    return 1;
}

int nb_cmd_init(const struct nb_config *c)
{
    if (!nb_str_is_slug(nb_str_c(c->office))) {
        fprintf(stderr, "init: --office needs a slug: lower-case letters, digits and '-', "
                        "e.g. --office moorwiesen\n");
        return 2;
    }
    if (nb_site_slug_reserved(c->office)) {
        fprintf(stderr, "init: '%s' is a page of the site itself; choose another slug\n",
                c->office);
        return 2;
    }
    if (!c->name[0]) {
        fprintf(stderr, "init: --name needs the office's name, e.g. --name \"Amt Moorwiesen\"\n");
        return 2;
    }
    struct nb_app *app = NULL;
    enum nb_err err = nb_app_open(c->data, true, &app);
    if (err != NB_OK)
        return fail("opening the data directory", err);
    err = nb_journal_key_ensure(c->data, NULL);
    if (err != NB_OK) {
        nb_app_close(&app);
        if (err == NB_ERR_DENIED)
            fprintf(stderr,
                    "init: the journal key %s/%s may be read by others; it is not "
                    "used (chmod 600 it after checking who could have copied it)\n",
                    c->data, NB_JOURNAL_KEY_FILE);
        return fail("creating the journal key", err);
    }
    struct nb_store_office o = {.slug = nb_str_c(c->office),
                                .name = nb_str_c(c->name),
                                .land = nb_str_c(c->land),
                                .host = c->host[0] ? nb_str_c(c->host) : (struct nb_str){NULL, 0}};
    int64_t id = 0, now = now_utc();
    char object[32 + NB_SLUG_MAX];
    snprintf(object, sizeof(object), "office/%s", c->office);
    struct nb_store_tx *tx = NULL;
    /* The office and its journal entry commit together. */
    err = nb_store_begin(nb_app_store(app), NB_STORE_WRITE, &tx);
    if (err == NB_OK)
        err = nb_office_create(nb_app_store(app), &o, now, &id);
    if (err == NB_OK) {
        const struct nb_journal_entry e = {.at = now,
                                           .office_id = id,
                                           .actor = NB_STR("cli"),
                                           .action = NB_STR("office.create"),
                                           .object = nb_str_c(object),
                                           .summary = NB_STR("office created")};
        err = nb_journal_append(tx, &e, NULL);
    }
    err = nb_store_end(&tx, err);
    nb_app_close(&app);
    if (err == NB_ERR_CONFLICT) {
        fprintf(stderr, "init: an office '%s' exists already\n", c->office);
        return 1;
    }
    if (err == NB_ERR_INPUT) {
        fprintf(stderr, "init: the name, Land or host was refused (Land: two letters such as "
                        "MV; host: a lower-case host name)\n");
        return 2;
    }
    if (err != NB_OK)
        return fail("creating the office", err);
    printf("Created office '%s' in %s. Start it with: notbetrieb serve --data %s\n", c->office,
           c->data, c->data);
    return 0;
}

static void show_account(void *ctx, const char *name, const char *role, const char *password,
                         const char *totp)
{
    (void)ctx;
    printf("  %-16s %-11s password %s  TOTP key %s\n", name, role, password, totp);
}

static int serve(const struct nb_config *c, bool demo)
{
    /* A stop signal during start-up stays pending until the server waits for it, so that
     * it too ends the process cleanly (nb_app_serve takes it with sigwait). */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct nb_app *app = NULL;
    enum nb_err err = nb_app_open(c->data, demo, &app);
    if (err == NB_ERR_NOTFOUND) {
        fprintf(stderr,
                "serve: there is no data directory %s; create it with: notbetrieb init --data %s "
                "--office SLUG --name TEXT\n",
                c->data, c->data);
        return 1;
    }
    if (err != NB_OK)
        return fail("opening the data directory", err);
    if (demo) {
        err = nb_journal_key_ensure(c->data, NULL);
        if (err != NB_OK) {
            nb_app_close(&app);
            return fail("creating the journal key", err);
        }
        err = nb_demo_create(nb_app_store(app));
        if (err == NB_OK) {
            printf("Demo staff accounts (new passwords at each start; sign in at "
                   "http://%s/intern/ with the code of an authenticator app set up with the "
                   "TOTP key):\n",
                   c->listen);
            err = nb_demo_accounts(nb_app_store(app), now_utc(), show_account, NULL);
        }
        if (err != NB_OK) {
            nb_app_close(&app);
            return fail("creating the demo office", err);
        }
    }
    err = nb_app_load_offices(app);
    if (err == NB_ERR_NOTFOUND) {
        nb_app_close(&app);
        fprintf(stderr,
                "serve: %s has no office yet; create one first with: notbetrieb init --data %s "
                "--office SLUG --name TEXT\n",
                c->data, c->data);
        return 1;
    }
    if (err == NB_OK) {
        printf("notbetrieb: serving at http://%s/\n", c->listen);
        fflush(stdout);
        err = nb_app_serve(app, c);
    }
    nb_app_close(&app);
    if (err != NB_OK)
        return fail(demo ? "demo" : "serve", err);
    return 0;
}

int nb_cmd_serve(const struct nb_config *c)
{
    return serve(c, false);
}

int nb_cmd_demo(const struct nb_config *c)
{
    return serve(c, true);
}

/* Records an export of the office slug (empty: the only office) in the journal. The
 * directory is left out of the summary: its path may name a person. */
static enum nb_err journal_export(struct nb_store *s, const char *slug, int64_t now)
{
    int64_t id = 0;
    char object[32 + NB_SLUG_MAX];
    json_t *list = NULL;
    enum nb_err err = NB_OK;
    if (slug[0]) {
        err = nb_office_id_by_slug(s, nb_str_c(slug), &id);
    } else {
        err = nb_office_list(s, &list);
        json_t *only = json_array_size(list) == 1 ? json_array_get(list, 0) : NULL;
        if (err == NB_OK && !only)
            err = NB_ERR_NOTFOUND;
        if (err == NB_OK) {
            id = json_integer_value(json_object_get(only, "id"));
            slug = json_string_value(json_object_get(only, "slug"));
        }
    }
    if (err == NB_OK &&
        (!slug || (size_t)snprintf(object, sizeof(object), "site/%s", slug) >= sizeof(object)))
        err = NB_ERR_INTERNAL;
    json_decref(list); /* slug may point into it until here */
    if (err != NB_OK)
        return err;
    const struct nb_journal_entry e = {.at = now,
                                       .office_id = id,
                                       .actor = NB_STR("cli"),
                                       .action = NB_STR("site.export"),
                                       .object = nb_str_c(object),
                                       .summary = NB_STR("public site exported as files")};
    return nb_journal_record(s, &e, NULL);
}

int nb_cmd_routes(const struct nb_config *c)
{
    (void)c;
    nb_app_routes_print(stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}

int nb_cmd_export_site(const struct nb_config *c)
{
    struct nb_app *app = NULL;
    enum nb_err err = nb_app_open(c->data, false, &app);
    if (err != NB_OK)
        return fail("opening the data directory", err);
    int64_t now = now_utc();
    /* No snapshots: the export renders the one office it writes, once. */
    err = nb_app_load_offices(app);
    if (err == NB_OK)
        err = nb_app_export_site(app, c->office, c->args[0], now);
    if (err == NB_OK)
        err = journal_export(nb_app_store(app), c->office, now);
    nb_app_close(&app);
    if (err == NB_ERR_NOTFOUND) {
        fprintf(stderr, "export-site: no such office; name it with --office SLUG\n");
        return 1;
    }
    if (err == NB_ERR_CONFLICT) {
        fprintf(stderr, "export-site: %s is not empty; export into a new folder\n", c->args[0]);
        return 1;
    }
    if (err != NB_OK)
        return fail("export-site", err);
    printf("Exported the public site to %s (checksums in %s/MANIFEST.sha256)\n", c->args[0],
           c->args[0]);
    return 0;
}
