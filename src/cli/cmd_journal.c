/* cmd_journal.c: the journal subcommands. Output is for an administrator and a witness:
 * plain words, the checkpoint on a line of its own so it can be copied exactly. */
#include "cli/cmd_journal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/journal.h"
#include "domain/office.h"
#include "web/app.h"

static int fail(const char *what, enum nb_err err)
{
    fprintf(stderr, "notbetrieb journal: %s failed (%s)\n", what, nb_err_str(err));
    return 1;
}

static int key_problem(const char *cmd, const char *data, enum nb_err err)
{
    if (err == NB_ERR_NOTFOUND)
        fprintf(stderr,
                "journal %s: there is no journal key %s/%s; it is made by notbetrieb init\n", cmd,
                data, NB_JOURNAL_KEY_FILE);
    else if (err == NB_ERR_DENIED)
        fprintf(stderr,
                "journal %s: the key file %s/%s may be read by others or belongs to another "
                "user; it is not used. Check who could have copied it, then: chmod 600 %s/%s\n",
                cmd, data, NB_JOURNAL_KEY_FILE, data, NB_JOURNAL_KEY_FILE);
    else
        return fail("reading the journal key", err);
    return 1;
}

static int open_app(const char *cmd, const struct nb_config *c, struct nb_app **app)
{
    enum nb_err err = nb_app_open(c->data, false, app);
    if (err == NB_ERR_NOTFOUND) {
        fprintf(stderr, "journal %s: there is no data directory %s\n", cmd, c->data);
        return 1;
    }
    if (err != NB_OK)
        return fail("opening the data directory", err);
    return 0;
}

int nb_cmd_journal_checkpoint(const struct nb_config *c)
{
    struct nb_app *app = NULL;
    int rc = open_app("checkpoint", c, &app);
    if (rc)
        return rc;
    struct nb_journal_checkpoint cp;
    enum nb_err err =
        nb_journal_checkpoint(nb_app_store(app), NB_STR("cli"), (int64_t)time(NULL), &cp);
    nb_app_close(&app);
    uint8_t pk[32];
    if (err == NB_OK)
        err = nb_journal_key_public(c->data, pk);
    if (err == NB_ERR_NOTFOUND || err == NB_ERR_DENIED)
        return key_problem("checkpoint", c->data, err);
    if (err != NB_OK)
        return fail("making the checkpoint", err);
    char line[NB_JOURNAL_CP_TEXT], fp[NB_JOURNAL_FINGERPRINT_TEXT];
    nb_journal_checkpoint_format(&cp, line);
    nb_journal_fingerprint(pk, fp);
    printf("%s\nkey %s\n", line, fp);
    printf("Give both lines to a witness (paper or mail). Check the journal against them with:\n"
           "  notbetrieb journal verify --data %s --checkpoint %s\n",
           c->data, line);
    return 0;
}

/* The number of offices of the instance. */
static enum nb_err count_offices(struct nb_app *app, size_t *out)
{
    json_t *list = NULL;
    enum nb_err err = nb_office_list(nb_app_store(app), &list);
    *out = err == NB_OK ? json_array_size(list) : 0;
    json_decref(list);
    return err;
}

int nb_cmd_journal_verify(const struct nb_config *c)
{
    struct nb_journal_checkpoint witness;
    bool have_witness = c->checkpoint[0] != '\0';
    if (have_witness && nb_journal_checkpoint_parse(nb_str_c(c->checkpoint), &witness) != NB_OK) {
        fprintf(stderr, "journal verify: --checkpoint needs a checkpoint as printed by "
                        "notbetrieb journal checkpoint, e.g. nbj1-250-1a2b3c4d-...-SIGNATURE\n");
        return 2;
    }
    struct nb_app *app = NULL;
    int rc = open_app("verify", c, &app);
    if (rc)
        return rc;
    struct nb_journal_report r;
    enum nb_err err = nb_journal_verify(nb_app_store(app), have_witness ? &witness : NULL, &r);
    size_t offices = 0;
    if (err == NB_OK && r.problem == NB_JOURNAL_INTACT && r.entries == 0)
        err = count_offices(app, &offices);
    nb_app_close(&app);
    if (err == NB_ERR_DENIED || err == NB_ERR_INPUT)
        return key_problem("verify", c->data, err);
    if (err != NB_OK)
        return fail("verify", err);
    if (r.problem != NB_JOURNAL_INTACT) {
        printf("journal verify: FAILED at entry %lld: %s\n", (long long)r.seq, r.detail);
        return 1;
    }
    /* Creating an office is journalled, so an empty journal beside offices means the
     * entries were lost: the database replaced, or written around the journal. */
    if (r.entries == 0 && offices > 0) {
        printf("journal verify: FAILED: the journal is empty, but %zu office%s exist%s; the "
               "database may have been replaced or its journal lost\n",
               offices, offices == 1 ? "" : "s", offices == 1 ? "s" : "");
        return 1;
    }
    char fp[NB_JOURNAL_FINGERPRINT_TEXT] = "none";
    if (r.have_key)
        nb_journal_fingerprint(r.pk, fp);
    char head[17];
    for (size_t i = 0; i < 8; i++)
        snprintf(head + 2 * i, 3, "%02x", r.head[i]);
    printf("journal intact: %lld entries, %lld signed checkpoints%s, head %s..., key %s\n",
           (long long)r.entries, (long long)r.checkpoints,
           have_witness ? ", matches the given checkpoint" : "", r.entries ? head : "none", fp);
    return 0;
}
