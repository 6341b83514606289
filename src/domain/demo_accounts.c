/* demo_accounts.c: the demo's four staff accounts, set up through the same functions as a
 * person's setup link (domain/account.h), so that the demo exercises the real path. */
#include "domain/demo_accounts.h"

#include <liboath/oath.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/demo.h"
#include "domain/office.h"

static const struct {
    const char *name;
    enum nb_account_role role;
} accounts[] = {
    {"verwaltung", NB_ROLE_ADMIN},
    {"redaktion", NB_ROLE_EDITOR},
    {"sachbearbeitung", NB_ROLE_CASEWORKER},
    {"datenschutz", NB_ROLE_DPO},
};

/* One account: a fresh link, then the setup a person would do with it. */
static enum nb_err set_up(struct nb_store *s, int64_t office, size_t i, int64_t now,
                          nb_demo_account_fn show, void *ctx)
{
    struct nb_account_link link;
    struct nb_str name = nb_str_c(accounts[i].name);
    json_t *existing = NULL;
    enum nb_err err = nb_account_find(s, office, name, &existing);
    json_decref(existing);
    if (err == NB_ERR_NOTFOUND)
        err = nb_account_create(s, office, name, accounts[i].role, now, &link);
    else if (err == NB_OK)
        err = nb_account_reset(s, office, name, now, &link);
    if (err != NB_OK)
        return err;

    struct nb_account_enrol *e = sodium_malloc(sizeof(*e));
    struct nb_account_recovery *rc = sodium_malloc(sizeof(*rc));
    char *password = sodium_malloc(64);
    if (!e || !rc || !password) {
        err = NB_ERR_NOMEM;
        goto out;
    }
    err = nb_account_setup_start(s, office, nb_str_c(link.token), now, e);
    if (err != NB_OK)
        goto out;
    /* 18 random bytes as base64url: 24 characters, never a common password. */
    unsigned char raw[18];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(password, 64, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    char code[NB_TOTP_DIGITS + 1];
    if (oath_init() != OATH_OK ||
        oath_totp_generate((const char *)e->secret, NB_TOTP_SECRET_BYTES, (time_t)now, NB_TOTP_STEP,
                           OATH_TOTP_DEFAULT_START_TIME, NB_TOTP_DIGITS, code) != OATH_OK) {
        err = NB_ERR_INTERNAL;
        goto out;
    }
    err = nb_account_setup_finish(s, office, nb_str_c(link.token), nb_str_c(password),
                                  nb_str_c(code), now, NULL, rc);
    if (err == NB_OK)
        show(ctx, e->name, nb_account_role_name(accounts[i].role), password, e->base32);
out:
    sodium_memzero(&link, sizeof(link));
    if (e)
        sodium_free(e);
    if (rc)
        sodium_free(rc);
    if (password)
        sodium_free(password);
    return err;
}

enum nb_err nb_demo_accounts(struct nb_store *s, int64_t now, nb_demo_account_fn show, void *ctx)
{
    int64_t office;
    enum nb_err err = nb_office_id_by_slug(s, NB_STR(NB_DEMO_SLUG), &office);
    for (size_t i = 0; i < sizeof(accounts) / sizeof(accounts[0]) && err == NB_OK; i++)
        err = set_up(s, office, i, now, show, ctx);
    return err;
}
