/* app_priv.h: the app's internals shared by app.c (lifecycle, rendering) and public.c
 * (serving requests). Not for other modules. */
#ifndef NB_WEB_APP_PRIV_H
#define NB_WEB_APP_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/holiday.h"
#include "base/limits.h"
#include "http/server.h"
#include "store/store_health.h"
#include "web/app.h"
#include "web/snapshot.h"

struct nb_tpl_set;

struct nb_office_rt {
    int64_t id;
    char slug[NB_SLUG_MAX + 1];
    char name[NB_TITLE_MAX + 1]; /* as at start; the staff pages show it */
    char host[256];              /* empty: served by path */
    char base[NB_SLUG_MAX + 2];  /* "" or "/slug": where its site lives */
    enum nb_land land;
    struct nb_tpl_set *tpl;
    pthread_mutex_t mu;        /* guards snap */
    struct nb_snapshot *snap;  /* current site; the app holds one reference */
    int64_t snap_at;           /* when snap was rendered (under mu); 0 before the first */
    atomic_bool render_failed; /* the last render failed: snap is older than the content */
    int64_t next_change;       /* when the site must be rendered again (worker only) */
    bool dirty;                /* content changed (under app->mu) */
};

struct nb_app {
    char data[NB_CONFIG_PATH_MAX];
    struct nb_store *store;
    struct nb_store_file db_file; /* the database file as opened (store/store_health.h) */
    struct nb_tpl_set *builtin;
    struct nb_office_rt *offices; /* offices[0] is the default office */
    size_t noffices;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    /* Set when the server is told to stop: a render in progress ends at its next page. */
    atomic_bool stop_render;
    struct nb_http_server *http;
};

/* The current snapshot of the office with a reference taken; never NULL after load. */
struct nb_snapshot *nb_office_snapshot(struct nb_office_rt *o);

/* The back office under /intern/ (staff.c): rest is the path below the office's base with
 * the language prefix removed, starting with "/intern". */
void nb_staff_handle(struct nb_app *app, struct nb_office_rt *o, enum nb_lang lang,
                     struct nb_str rest, struct nb_http_request *req, struct nb_http_response *res);

/* The HTTP callbacks (public.c). ctx is the struct nb_app. */
void nb_public_handle(void *ctx, struct nb_http_request *req, struct nb_http_response *res);
void nb_public_error(void *ctx, struct nb_http_request *req, unsigned status,
                     struct nb_http_response *res);
/* Back-office requests (/intern/ of any office, in any language) block: sign-in hashes with
 * argon2id, every page reads the store and writes journal it. Public pages do not. */
bool nb_public_blocking(void *ctx, const struct nb_http_request *req);

#endif
