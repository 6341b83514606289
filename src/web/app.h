/* app.h: the running instance: data directory, store, offices and their public sites.
 *
 * An app owns the store, one template set per office (the built-in templates with the
 * office's overrides from DATA/offices/SLUG/templates, NAME.mustache each) and the current
 * in-memory snapshot of each office's public site. A worker thread renders a snapshot
 * again when the office's content changes (nb_app_publish) and when what the site says
 * depends on the clock ("reachable until 12:00" turns into "closed"); requests are served
 * from the snapshot alone.
 *
 * Which office answers a request: an office with a host name answers on that host at "/";
 * otherwise the default office (the first one created) answers at "/", every other office
 * under "/SLUG/". */
#ifndef NB_WEB_APP_H
#define NB_WEB_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/config.h"
#include "base/err.h"

struct nb_app;
struct nb_store;

/* Opens the data directory: with create, makes it (mode 0700) when absent. Opens the store
 * (migrating it) and loads the built-in templates. Offices are loaded by
 * nb_app_load_offices. */
NB_MUST_USE enum nb_err nb_app_open(const char *data_dir, bool create, struct nb_app **out);
void nb_app_close(struct nb_app **app);

struct nb_store *nb_app_store(struct nb_app *app);

/* Loads every office and its templates without rendering a site (nb_app_serve renders
 * them, export-site the one office it writes). NB_ERR_NOTFOUND when the instance has no
 * office yet (run init or demo first). Call once per app. */
NB_MUST_USE enum nb_err nb_app_load_offices(struct nb_app *app);
/* nb_app_load_offices, then renders each office's site once into its snapshot, on the
 * caller's thread: for running the handlers in-process without nb_app_serve (the fuzz
 * harness). Blocks for the renders. */
NB_MUST_USE enum nb_err nb_app_load(struct nb_app *app, int64_t now);

/* Serves HTTP on c->listen until SIGTERM or SIGINT, then stops cleanly. Listens at once;
 * the worker renders every office's site, and until an office's first snapshot is in, its
 * public pages answer 503 "being prepared" with Retry-After (the back office works
 * meanwhile). A stop signal ends a render in progress at its next page. */
NB_MUST_USE enum nb_err nb_app_serve(struct nb_app *app, const struct nb_config *c);

/* Marks the office's site as changed: the worker renders it again at once. Thread-safe. */
void nb_app_publish(struct nb_app *app, int64_t office_id);

/* Writes the public site of the office (slug; NULL or "" when the instance has one office)
 * into dir as plain files for any web server, rendered for the root of a host, with a
 * SHA-256 manifest (MANIFEST.sha256, the format of sha256sum). dir must be absent or
 * empty. Needs the offices loaded (nb_app_load_offices is enough: it renders on its own). */
NB_MUST_USE enum nb_err nb_app_export_site(struct nb_app *app, const char *slug, const char *dir,
                                           int64_t now);

/* Writes the back office's route table to out, one row a line: method, address, who may
 * use it, whether a POST needs the form's token, and the module (notbetrieb routes). */
void nb_app_routes_print(FILE *out);

#endif
