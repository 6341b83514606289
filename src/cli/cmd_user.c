/* cmd_user.c: the account commands of the administrator.
 *
 * The link's path follows the public site's layout (web/app.c): the office that was created
 * first and every office with its own host name are served at the root, the others under
 * /SLUG. The token appears only on stdout, never in a log line. */
#include "cli/cmd_user.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "base/log.h"
#include "domain/account.h"
#include "domain/journal.h"
#include "domain/office.h"
#include "web/app.h"

static int fail(const char *cmd, const char *what, enum nb_err err)
{
    fprintf(stderr, "%s: %s failed (%s)\n", cmd, what, nb_err_str(err));
    return 1;
}

static int open_app(const char *cmd, const struct nb_config *c, struct nb_app **app)
{
    enum nb_err err = nb_app_open(c->data, false, app);
    if (err == NB_ERR_NOTFOUND) {
        fprintf(stderr,
                "%s: there is no data directory %s; create it with: notbetrieb init --data %s "
                "--office SLUG --name TEXT\n",
                cmd, c->data, c->data);
        return 1;
    }
    if (err != NB_OK)
        return fail(cmd, "opening the data directory", err);
    return 0;
}

/* Prints the slugs of all offices, comma-separated, to stderr. */
static void list_slugs(const json_t *list)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        fprintf(stderr, "%s%s", i ? ", " : "", json_string_value(json_object_get(o, "slug")));
    }
}

/* Resolves c->office (empty: the only office) to an id. Returns an exit code, 0 on success. */
static int resolve_office(const char *cmd, struct nb_store *s, const char *slug, int64_t *id)
{
    json_t *list = NULL;
    enum nb_err err = nb_office_list(s, &list);
    if (err != NB_OK)
        return fail(cmd, "listing the offices", err);
    int rc = 0;
    if (json_array_size(list) == 0) {
        fprintf(stderr, "%s: there is no office yet; create one first with: notbetrieb init\n",
                cmd);
        rc = 1;
    } else if (!slug[0] && json_array_size(list) > 1) {
        fprintf(stderr, "%s: this instance has several offices; name one with --office SLUG (",
                cmd);
        list_slugs(list);
        fprintf(stderr, ")\n");
        rc = 2;
    } else if (!slug[0]) {
        *id = json_integer_value(json_object_get(json_array_get(list, 0), "id"));
    } else if (nb_office_id_by_slug(s, nb_str_c(slug), id) != NB_OK) {
        fprintf(stderr, "%s: there is no office '%s' (offices: ", cmd, slug);
        list_slugs(list);
        fprintf(stderr, ")\n");
        rc = 1;
    }
    json_decref(list);
    return rc;
}

/* Writes the path prefix of the office's pages ("" or "/slug") into base and its slug. */
static enum nb_err office_base(struct nb_store *s, int64_t id, char *base, size_t cap, char *slug,
                               size_t slugcap)
{
    json_t *list = NULL, *office = NULL;
    enum nb_err err = nb_office_list(s, &list);
    if (err == NB_OK)
        err = nb_office_get(s, id, &office);
    if (err == NB_OK) {
        int64_t first = id;
        size_t i;
        json_t *o;
        json_array_foreach(list, i, o)
        {
            int64_t oid = json_integer_value(json_object_get(o, "id"));
            if (oid < first)
                first = oid;
        }
        const char *sl = json_string_value(json_object_get(office, "slug"));
        snprintf(slug, slugcap, "%s", sl);
        if (first == id || json_string_value(json_object_get(office, "host")))
            base[0] = '\0';
        else
            snprintf(base, cap, "/%s", sl);
    }
    json_decref(list);
    json_decref(office);
    return err;
}

static void print_link(const char *base, const struct nb_account_link *l)
{
    char until[64] = "";
    struct tm tm;
    time_t t = (time_t)l->expires_at;
    if (gmtime_r(&t, &tm))
        strftime(until, sizeof(until), "%Y-%m-%d %H:%M UTC", &tm);
    printf("One-time setup link, valid for 24 hours (until %s):\n\n"
           "  %s" NB_ACCOUNT_SETUP_PATH "%s\n\n"
           "Put the address of this server in front of it (for example\n"
           "https://amt.example%s" NB_ACCOUNT_SETUP_PATH "...) and give it to the person only,\n"
           "over a channel you trust. Whoever opens it first chooses the password and the\n"
           "authenticator app of the account; the link then stops working.\n",
           until, base, l->token, base);
}

static bool name_ok(const char *cmd, enum nb_err err, const char *name)
{
    if (err == NB_ERR_INPUT || err == NB_ERR_LIMIT) {
        fprintf(stderr,
                "%s: '%s' is not a login name: use 1-%u of a-z, 0-9, '.', '_' and '-', "
                "starting with a letter or digit (e.g. m.mueller)\n",
                cmd, name, NB_ACCOUNT_NAME_MAX);
        return false;
    }
    return true;
}

/* Writes the account change to the journal inside its transaction tx; the object names the
 * account (lower case, as stored), the summary holds no personal data. */
static enum nb_err record(struct nb_store_tx *tx, int64_t office, const char *action,
                          const char *name, const char *summary)
{
    char obj[NB_ACCOUNT_NAME_MAX + 16];
    size_t n = (size_t)snprintf(obj, sizeof(obj), "account/%s", name);
    for (size_t i = 8; i < n && i < sizeof(obj); i++)
        if (obj[i] >= 'A' && obj[i] <= 'Z')
            obj[i] = (char)(obj[i] - 'A' + 'a');
    struct nb_journal_entry e = {(int64_t)time(NULL), office, NB_STR("cli"), nb_str_c(action),
                                 nb_str_c(obj), nb_str_c(summary)};
    return nb_journal_append(tx, &e, NULL);
}

int nb_cmd_user_add(const struct nb_config *c)
{
    const char *cmd = "user add";
    const char *name = c->args[0];
    enum nb_account_role role;
    if (!c->role[0]) {
        fprintf(stderr, "%s: --role is needed: admin, editor, caseworker or dpo\n", cmd);
        return 2;
    }
    if (nb_account_role_parse(nb_str_c(c->role), &role) != NB_OK) {
        fprintf(stderr, "%s: unknown role '%s'; choose admin, editor, caseworker or dpo\n", cmd,
                c->role);
        return 2;
    }
    struct nb_app *app = NULL;
    int rc = open_app(cmd, c, &app);
    if (rc)
        return rc;
    struct nb_store *s = nb_app_store(app);
    int64_t office = 0;
    char base[80] = "", slug[80] = "";
    struct nb_account_link link;
    rc = resolve_office(cmd, s, c->office, &office);
    enum nb_err err = NB_OK;
    if (!rc) {
        char summary[64];
        snprintf(summary, sizeof(summary), "account created with role %s",
                 nb_account_role_name(role));
        struct nb_store_tx *tx = NULL;
        err = nb_store_begin(s, NB_STORE_WRITE, &tx);
        if (err == NB_OK)
            err = nb_account_create(s, office, nb_str_c(name), role, (int64_t)time(NULL), &link);
        if (err == NB_OK)
            err = record(tx, office, "account.create", name, summary);
        err = nb_store_end(&tx, err);
    }
    if (!rc && err == NB_OK)
        err = office_base(s, office, base, sizeof(base), slug, sizeof(slug));
    nb_app_close(&app);
    if (rc)
        return rc;
    if (!name_ok(cmd, err, name))
        return 2;
    if (err == NB_ERR_CONFLICT) {
        fprintf(stderr,
                "%s: the office already has an account '%s'; to give it a new setup link use: "
                "notbetrieb user reset %s\n",
                cmd, name, name);
        return 1;
    }
    if (err != NB_OK)
        return fail(cmd, "creating the account", err);
    char lower[NB_ACCOUNT_NAME_MAX + 1]; /* the name as stored */
    size_t n = 0;
    for (; name[n] && n < NB_ACCOUNT_NAME_MAX; n++)
        lower[n] = (char)(name[n] >= 'A' && name[n] <= 'Z' ? name[n] - 'A' + 'a' : name[n]);
    lower[n] = '\0';
    printf("Created the account '%s' (%s) of office '%s'.\n", lower, nb_account_role_name(role),
           slug);
    print_link(base, &link);
    sodium_memzero(&link, sizeof(link));
    return 0;
}

int nb_cmd_user_reset(const struct nb_config *c)
{
    const char *cmd = "user reset";
    const char *name = c->args[0];
    struct nb_app *app = NULL;
    int rc = open_app(cmd, c, &app);
    if (rc)
        return rc;
    struct nb_store *s = nb_app_store(app);
    int64_t office = 0;
    char base[80] = "", slug[80] = "";
    struct nb_account_link link;
    enum nb_err err = NB_OK;
    if (c->office[0]) {
        rc = resolve_office(cmd, s, c->office, &office);
    } else {
        err = nb_account_office_of(s, nb_str_c(name), &office);
        if (err == NB_ERR_CONFLICT) {
            fprintf(stderr,
                    "%s: several offices have an account '%s'; name one with --office SLUG\n", cmd,
                    name);
            rc = 2;
        } else if (err == NB_ERR_NOTFOUND) {
            fprintf(stderr, "%s: no office has an account '%s'\n", cmd, name);
            rc = 1;
        } else if (err != NB_OK) {
            rc = fail(cmd, "looking up the account", err);
        }
    }
    if (!rc) {
        struct nb_store_tx *tx = NULL;
        err = nb_store_begin(s, NB_STORE_WRITE, &tx);
        if (err == NB_OK)
            err = nb_account_reset(s, office, nb_str_c(name), (int64_t)time(NULL), &link);
        if (err == NB_OK)
            err = record(tx, office, "account.reset", name,
                         "credentials cleared, new setup link issued");
        err = nb_store_end(&tx, err);
    }
    if (!rc && err == NB_OK)
        err = office_base(s, office, base, sizeof(base), slug, sizeof(slug));
    nb_app_close(&app);
    if (rc)
        return rc;
    if (err == NB_ERR_NOTFOUND) {
        fprintf(stderr, "%s: the office '%s' has no account '%s'\n", cmd, c->office, name);
        return 1;
    }
    if (err != NB_OK)
        return fail(cmd, "resetting the account", err);
    printf("Reset the account '%s' of office '%s': its password, authenticator app and recovery\n"
           "codes no longer work, and it cannot log in until the new setup is completed.\n",
           name, slug);
    print_link(base, &link);
    sodium_memzero(&link, sizeof(link));
    return 0;
}
