/* app.c: lifecycle of the instance, rendering of office sites into snapshots, the worker
 * that renders again when content or the clock requires it, and export-site.
 *
 * Rendering never happens on a request path: when serving starts, on nb_app_publish and at
 * each office's next_change, the worker loads the office's content in one read
 * transaction, renders every page and swaps the new snapshot in under the office's mutex.
 * The server listens before the first render, and until an office's first snapshot is in
 * its public pages say that the site is being prepared (public.c). A failed render keeps
 * the previous snapshot and is tried again a minute later; a stop signal ends a render at
 * its next page. */
#include "web/app_priv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fd.h"
#include "base/log.h"
#include "domain/office.h"
#include "domain/site.h"
#include "domain/throttle.h"
#include "store/store.h"
#include "view/i18n.h"
#include "base/resource.h"
#include "view/template.h"
#include "web/site.h"

static int64_t now_utc(void)
{
    return (int64_t)time(NULL);
}

/* ---- templates ---------------------------------------------------------------------------- */

/* Adds every built-in template ("templates/NAME.mustache") to set. */
static enum nb_err add_builtin(struct nb_tpl_set *set)
{
    struct nb_buf err;
    nb_buf_init(&err, 1024);
    for (unsigned i = 0; i < nb_resources_count; i++) {
        const struct nb_resource *r = &nb_resources[i];
        struct nb_str name = nb_str_c(r->name);
        if (!nb_str_starts(name, NB_STR("templates/")) || !nb_str_ends(name, NB_STR(".mustache")))
            continue;
        char n[128];
        snprintf(n, sizeof(n), "%.*s", (int)(name.len - 10 - 9), name.ptr + 10);
        if (nb_tpl_set_add(set, n, r->data, r->len, &err) != NB_OK) {
            char v[512];
            nb_log_error("template.builtin", "name=%s error=%s", n,
                         nb_log_value(v, sizeof(v), err.ptr ? err.ptr : "?", err.len));
            nb_buf_free(&err);
            return NB_ERR_INTERNAL;
        }
    }
    nb_buf_free(&err);
    return NB_OK;
}

/* The office's template set: built-in ones, replaced by the files in its override folder. */
static enum nb_err office_templates(struct nb_app *app, struct nb_office_rt *o)
{
    o->tpl = nb_tpl_set_new();
    if (!o->tpl)
        return NB_ERR_NOMEM;
    enum nb_err err = add_builtin(o->tpl);
    char dir[NB_CONFIG_PATH_MAX + 128];
    snprintf(dir, sizeof(dir), "%s/offices/%s/templates", app->data, o->slug);
    struct stat st;
    if (err == NB_OK && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
        struct nb_buf msg;
        nb_buf_init(&msg, 1024);
        err = nb_tpl_set_load_dir(o->tpl, dir, &msg);
        char v[512];
        if (err != NB_OK)
            nb_log_error("template.override", "office=%s error=%s", o->slug,
                         nb_log_value(v, sizeof(v), msg.ptr ? msg.ptr : "?", msg.len));
        else
            nb_log_info("template.override", "office=%s dir=%s", o->slug, dir);
        nb_buf_free(&msg);
    }
    return err;
}

/* ---- rendering ---------------------------------------------------------------------------- */

struct collect {
    struct nb_snapshot *snap;
    const struct nb_snapshot *prev;
    int64_t now;
    atomic_bool *stop; /* checked between pages */
    bool stopped;      /* the render ended because of *stop */
};

static enum nb_err collect_page(void *ctx, const char *path, const char *type, const char *lang,
                                enum nb_snapshot_neg neg, const char *body, size_t len)
{
    struct collect *c = ctx;
    if (atomic_load_explicit(c->stop, memory_order_relaxed)) {
        c->stopped = true;
        return NB_ERR_INTERNAL; /* ends the render; render_office tells it from a failure */
    }
    return nb_snapshot_add(c->snap, c->prev, path, type, lang, neg, body, len, c->now);
}

static enum nb_err collect_error(void *ctx, enum nb_lang lang, unsigned status, bool json,
                                 const char *body, size_t len)
{
    struct collect *c = ctx;
    return nb_snapshot_add_error(c->snap, lang, status, json, body, len);
}

/* Renders the office's site at now into a new snapshot and swaps it in. */
static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum nb_err render_office(struct nb_app *app, struct nb_office_rt *o, int64_t now)
{
    int64_t started = monotonic_ms();
    json_t *site = NULL;
    enum nb_err err = nb_site_load(app->store, o->slug, &site);
    if (err != NB_OK) {
        nb_log_error("site.load", "office=%s error=%s", o->slug, nb_err_str(err));
        return err;
    }
    struct nb_snapshot *prev = nb_office_snapshot(o);
    struct collect c = {.prev = prev, .now = now, .stop = &app->stop_render};
    err = nb_snapshot_new(&c.snap);
    int64_t next = INT64_MAX;
    if (err == NB_OK) {
        struct nb_site_out out = {collect_page, collect_error, &c};
        err = nb_site_render(o->tpl, site, o->base, now, &out, &next);
    }
    json_decref(site);
    nb_snapshot_unref(prev);
    if (err != NB_OK && c.stopped) {
        size_t pages = nb_snapshot_count(c.snap);
        nb_snapshot_unref(c.snap);
        nb_log_info("site.render.stopped", "office=%s pages=%zu ms=%lld", o->slug, pages,
                    (long long)(monotonic_ms() - started));
        return err;
    }
    if (err != NB_OK) {
        nb_snapshot_unref(c.snap);
        nb_log_error("site.render", "office=%s error=%s", o->slug, nb_err_str(err));
        atomic_store(&o->render_failed, true);
        o->next_change = now + NB_RENDER_RETRY_SECONDS;
        return err;
    }
    pthread_mutex_lock(&o->mu);
    struct nb_snapshot *old = o->snap;
    o->snap = c.snap;
    o->snap_at = now_utc();
    pthread_mutex_unlock(&o->mu);
    atomic_store(&o->render_failed, false);
    nb_snapshot_unref(old);
    o->next_change = next;
    nb_log_info("site.render", "office=%s pages=%zu ms=%lld next_change=%lld", o->slug,
                nb_snapshot_count(c.snap), (long long)(monotonic_ms() - started),
                (long long)(next == INT64_MAX ? 0 : next));
    return NB_OK;
}

struct nb_snapshot *nb_office_snapshot(struct nb_office_rt *o)
{
    pthread_mutex_lock(&o->mu);
    struct nb_snapshot *s = o->snap;
    if (s)
        nb_snapshot_ref(s);
    pthread_mutex_unlock(&o->mu);
    return s;
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

enum nb_err nb_app_open(const char *data_dir, bool create, struct nb_app **out)
{
    *out = NULL;
    if (strlen(data_dir) >= NB_CONFIG_PATH_MAX - 32)
        return NB_ERR_LIMIT;
    if (sodium_init() < 0)
        return NB_ERR_INTERNAL;
    if (create && mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
        nb_log_error("app.data", "error=mkdir errno=%d", errno);
        return NB_ERR_IO;
    }
    struct stat st;
    if (stat(data_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        nb_log_error("app.data", "error=missing hint=\"run notbetrieb init or demo first\"");
        return NB_ERR_NOTFOUND;
    }
    enum nb_err err = nb_i18n_init();
    if (err != NB_OK)
        return err;
    struct nb_app *app = calloc(1, sizeof(*app));
    if (!app)
        return NB_ERR_NOMEM;
    snprintf(app->data, sizeof(app->data), "%s", data_dir);
    pthread_mutex_init(&app->mu, NULL);
    pthread_cond_init(&app->cv, NULL);
    char db[NB_CONFIG_PATH_MAX + 32];
    snprintf(db, sizeof(db), "%s/notbetrieb.db", data_dir);
    err = nb_store_open(db, &app->store);
    if (err == NB_OK)
        err = nb_store_file_identify(app->store, &app->db_file);
    if (err != NB_OK) {
        nb_app_close(&app);
        return err;
    }
    if (nb_store_readonly(app->store))
        nb_log_error("store.readonly",
                     "path=%s hint=\"the database file or its directory is not writable by this "
                     "user: every change will be refused with 503\"",
                     db);
    *out = app;
    return NB_OK;
}

void nb_app_close(struct nb_app **ap)
{
    struct nb_app *app = *ap;
    if (!app)
        return;
    nb_http_stop(&app->http);
    for (size_t i = 0; i < app->noffices; i++) {
        struct nb_office_rt *o = &app->offices[i];
        nb_snapshot_unref(o->snap);
        nb_tpl_set_free(&o->tpl);
        pthread_mutex_destroy(&o->mu);
    }
    free(app->offices);
    nb_store_close(&app->store);
    pthread_mutex_destroy(&app->mu);
    pthread_cond_destroy(&app->cv);
    free(app);
    nb_i18n_fini();
    *ap = NULL;
}

struct nb_store *nb_app_store(struct nb_app *app)
{
    return app->store;
}

enum nb_err nb_app_load_offices(struct nb_app *app)
{
    json_t *list = NULL;
    enum nb_err err = nb_office_list(app->store, &list);
    if (err != NB_OK)
        return err;
    size_t n = json_array_size(list);
    if (n == 0) {
        json_decref(list);
        nb_log_error("app.load", "error=no_office hint=\"run notbetrieb init or demo first\"");
        return NB_ERR_NOTFOUND;
    }
    app->offices = calloc(n, sizeof(*app->offices));
    if (!app->offices) {
        json_decref(list);
        return NB_ERR_NOMEM;
    }
    /* The default office is the one created first. */
    size_t first = 0;
    for (size_t i = 1; i < n; i++)
        if (json_integer_value(json_object_get(json_array_get(list, i), "id")) <
            json_integer_value(json_object_get(json_array_get(list, first), "id")))
            first = i;
    for (size_t k = 0; k < n && err == NB_OK; k++) {
        size_t i = k == 0 ? first : (k <= first ? k - 1 : k);
        json_t *j = json_array_get(list, i);
        struct nb_office_rt *o = &app->offices[app->noffices++];
        pthread_mutex_init(&o->mu, NULL);
        o->id = json_integer_value(json_object_get(j, "id"));
        snprintf(o->slug, sizeof(o->slug), "%s", json_string_value(json_object_get(j, "slug")));
        snprintf(o->name, sizeof(o->name), "%s", json_string_value(json_object_get(j, "name")));
        const char *host = json_string_value(json_object_get(j, "host"));
        snprintf(o->host, sizeof(o->host), "%s", host ? host : "");
        if (k == 0 || o->host[0])
            o->base[0] = '\0';
        else
            snprintf(o->base, sizeof(o->base), "/%s", o->slug);
        const char *land = json_string_value(json_object_get(j, "land"));
        if (nb_holiday_land_parse(nb_str_c(land), &o->land) != NB_OK)
            err = NB_ERR_INPUT;
        if (err == NB_OK)
            err = office_templates(app, o);
    }
    json_decref(list);
    return err;
}

enum nb_err nb_app_load(struct nb_app *app, int64_t now)
{
    enum nb_err err = nb_app_load_offices(app);
    for (size_t i = 0; i < app->noffices && err == NB_OK; i++)
        err = render_office(app, &app->offices[i], now);
    return err;
}

void nb_app_publish(struct nb_app *app, int64_t office_id)
{
    pthread_mutex_lock(&app->mu);
    for (size_t i = 0; i < app->noffices; i++)
        if (app->offices[i].id == office_id)
            app->offices[i].dirty = true;
    pthread_cond_signal(&app->cv);
    pthread_mutex_unlock(&app->mu);
}

/* The worker: sleeps until an office is dirty or due, renders it, and repeats. */
static void *worker(void *arg)
{
    struct nb_app *app = arg;
    int64_t next_flush = 0;
    pthread_mutex_lock(&app->mu);
    while (!app->stopping) {
        int64_t now = now_utc(), due = INT64_MAX;
        if (now >= next_flush) {
            /* Failed sign-ins of windows that are over go to the journal, stale throttle
             * counters go (domain/throttle.h); then the offices are looked at again. */
            pthread_mutex_unlock(&app->mu);
            if (nb_throttle_flush(app->store, now, false, NULL) != NB_OK)
                nb_log_error("signin.flush", "error=store");
            next_flush = now + NB_THROTTLE_WINDOW_SECONDS;
            pthread_mutex_lock(&app->mu);
            continue;
        }
        struct nb_office_rt *todo = NULL;
        for (size_t i = 0; i < app->noffices && !todo; i++) {
            struct nb_office_rt *o = &app->offices[i];
            if (o->dirty || o->next_change <= now)
                todo = o;
            else if (o->next_change < due)
                due = o->next_change;
        }
        if (todo) {
            todo->dirty = false;
            pthread_mutex_unlock(&app->mu);
            (void)render_office(app, todo, now);
            pthread_mutex_lock(&app->mu);
            continue;
        }
        /* Wake at the due instant, and at least hourly, so that a clock set forward or
         * back is noticed. */
        int64_t wake = due < now + 3600 ? due : now + 3600;
        if (next_flush < wake)
            wake = next_flush;
        struct timespec ts = {.tv_sec = (time_t)wake, .tv_nsec = 0};
        pthread_cond_timedwait(&app->cv, &app->mu, &ts);
    }
    pthread_mutex_unlock(&app->mu);
    return NULL;
}

enum nb_err nb_app_serve(struct nb_app *app, const struct nb_config *c)
{
    /* Signals are taken by this thread with sigwait; every thread started from here on
     * inherits the mask and never sees them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    pthread_t tid;
    if (pthread_create(&tid, NULL, worker, app) != 0)
        return NB_ERR_INTERNAL;
    struct nb_http_app http_app = {app, nb_public_handle, nb_public_error, nb_public_blocking};
    struct nb_http_options opt = {.listen = c->listen,
                                  .threads = c->threads,
                                  .workers = c->workers,
                                  .queue = c->queue,
                                  .trusted_proxy = c->trusted_proxy};
    enum nb_err err = nb_http_start(&opt, &http_app, &app->http);
    if (err == NB_OK) {
        nb_log_info("http.listen", "url=http://%s/ offices=%zu", c->listen, app->noffices);
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            sig = -1;
        nb_log_info("http.stop", "signal=%d", sig);
        atomic_store(&app->stop_render, true);
        nb_http_stop(&app->http);
    }
    atomic_store(&app->stop_render, true);
    pthread_mutex_lock(&app->mu);
    app->stopping = true;
    pthread_cond_signal(&app->cv);
    pthread_mutex_unlock(&app->mu);
    pthread_join(tid, NULL);
    /* Nothing counted is lost on a clean stop: every window still open is journalled. */
    if (nb_throttle_flush(app->store, now_utc(), true, NULL) != NB_OK)
        nb_log_error("signin.flush", "error=store");
    return err;
}

/* ---- export-site -------------------------------------------------------------------------- */

struct exporter {
    const char *dir;
    struct nb_buf manifest;
};

/* Creates the parent folders of path (relative to e->dir) as needed. */
static enum nb_err make_parents(const char *full, size_t from)
{
    char tmp[NB_CONFIG_PATH_MAX + 1024];
    snprintf(tmp, sizeof(tmp), "%s", full);
    for (size_t i = from; tmp[i]; i++) {
        if (tmp[i] != '/')
            continue;
        tmp[i] = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return NB_ERR_IO;
        tmp[i] = '/';
    }
    return NB_OK;
}

static enum nb_err write_file(struct exporter *e, const char *rel, const char *body, size_t len)
{
    char full[NB_CONFIG_PATH_MAX + 1024];
    int n = snprintf(full, sizeof(full), "%s/%s", e->dir, rel);
    if (n < 0 || (size_t)n >= sizeof(full))
        return NB_ERR_LIMIT;
    if (make_parents(full, strlen(e->dir) + 1) != NB_OK)
        return NB_ERR_IO;
    int fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        nb_log_error("export.write", "error=open errno=%d", errno);
        return NB_ERR_IO;
    }
    if (nb_fd_write_all(fd, body, len) != NB_OK) {
        close(fd);
        return NB_ERR_IO;
    }
    if (fsync(fd) != 0 || close(fd) != 0)
        return NB_ERR_IO;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)body, len);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    nb_buf_printf(&e->manifest, "%s  %s\n", hex, rel);
    return e->manifest.err;
}

/* "/" -> "index.html", "/presse" -> "presse/index.html", "/feed.atom" -> "feed.atom". */
static enum nb_err export_page(void *ctx, const char *path, const char *type, const char *lang,
                               enum nb_snapshot_neg neg, const char *body, size_t len)
{
    (void)type, (void)lang, (void)neg;
    char rel[1024];
    const char *p = path[0] == '/' ? path + 1 : path;
    size_t plen = strlen(p);
    const char *slash = strrchr(path, '/');
    bool has_ext = slash && strchr(slash, '.');
    if (plen == 0 || p[plen - 1] == '/')
        snprintf(rel, sizeof(rel), "%sindex.html", p);
    else if (has_ext)
        snprintf(rel, sizeof(rel), "%s", p);
    else
        snprintf(rel, sizeof(rel), "%s/index.html", p);
    return write_file(ctx, rel, body, len);
}

static enum nb_err export_error(void *ctx, enum nb_lang lang, unsigned status, bool json,
                                const char *body, size_t len)
{
    if (json || status != 404)
        return NB_OK; /* a static server needs only the page for unknown paths */
    char rel[32];
    snprintf(rel, sizeof(rel), "%s404.html", lang == NB_LANG_DE ? "" : "en/");
    return write_file(ctx, rel, body, len);
}

enum nb_err nb_app_export_site(struct nb_app *app, const char *slug, const char *dir, int64_t now)
{
    struct nb_office_rt *o = NULL;
    for (size_t i = 0; i < app->noffices; i++)
        if (!slug || !slug[0] ? app->noffices == 1 : strcmp(app->offices[i].slug, slug) == 0)
            o = &app->offices[i];
    if (!o)
        return NB_ERR_NOTFOUND;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return NB_ERR_IO;
    /* Refuse to mix with existing files: the manifest must describe exactly the export. */
    DIR *d = opendir(dir);
    if (!d)
        return NB_ERR_IO;
    bool empty = true;
    for (struct dirent *de = readdir(d); de && empty; de = readdir(d))
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    closedir(d);
    if (!empty)
        return NB_ERR_CONFLICT;
    int64_t started = monotonic_ms();
    json_t *site = NULL;
    enum nb_err err = nb_site_load(app->store, o->slug, &site);
    if (err != NB_OK)
        return err;
    struct exporter e = {.dir = dir};
    nb_buf_init(&e.manifest, 16u * 1024 * 1024);
    struct nb_site_out out = {export_page, export_error, &e};
    err = nb_site_render(o->tpl, site, "", now, &out, NULL);
    json_decref(site);
    if (err == NB_OK) {
        struct nb_str m = nb_buf_str(&e.manifest);
        struct nb_buf copy;
        nb_buf_init(&copy, m.len + 1);
        nb_buf_add_str(&copy, m);
        e.manifest.len = 0;
        err = write_file(&e, "MANIFEST.sha256", copy.ptr ? copy.ptr : "", copy.len);
        nb_buf_free(&copy);
    }
    nb_buf_free(&e.manifest);
    if (err == NB_OK)
        nb_log_info("site.export", "office=%s ms=%lld", o->slug,
                    (long long)(monotonic_ms() - started));
    return err;
}
