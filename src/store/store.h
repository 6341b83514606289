/* store.h: the only door to stored data.
 *
 * The store keeps every record of every office in one SQLite database (WAL, foreign keys on,
 * synchronous=FULL) and knows nothing of what the records mean: the domain (src/domain/)
 * validates all input before it calls a write function here, and the schema's constraints
 * are a second line, not the first. No SQL leaves src/store/.
 *
 * Offices. Every record belongs to exactly one office, and every function below that reads or
 * writes office data takes the office id and uses it in each statement, so a slug or id of
 * another office simply is not found (NB_ERR_NOTFOUND). Child rows reference their parent by
 * (office_id, parent_id), so the schema itself refuses a row that crosses offices.
 *
 * Transactions. All access happens inside a transaction (struct nb_store_tx):
 *   - NB_STORE_WRITE: one command. Writes go through one connection, used by one command at a
 *     time in the order the commands began (BEGIN IMMEDIATE, so another process waits up to
 *     NB_STORE_BUSY_MS instead of failing later). Each command runs in a SAVEPOINT of a group
 *     transaction: when it ends, it hands the connection to the next command that waits, and
 *     the last command of the group (none waits any more, or NB_STORE_GROUP_MAX have joined)
 *     COMMITs the whole group with one fsync at synchronous=FULL. nb_store_commit returns
 *     only when that COMMIT is done: NB_OK means the command is durable. A command that fails
 *     (or is rolled back) undoes its own savepoint only, never its neighbours' work; when the
 *     group's COMMIT fails, every command of the group gets the error and none is kept.
 *     Consequences for callers: a command sees the changes of the commands before it in its
 *     group (the order is the order of nb_store_begin), and it must not wait for another
 *     thread's write while it holds the connection (between begin and commit).
 *   - NB_STORE_READ: runs on one of a few read connections and sees one consistent snapshot
 *     of what was committed; it does not wait for writers.
 * Transactions nest per thread: a begin on a thread that already has a write transaction on
 * the same store opens a SAVEPOINT on that connection (read or write), so domain functions
 * that run their own transaction can be composed inside a larger one, which is how a change
 * and its journal entry form one command. A write cannot be begun inside a read of the same
 * store (NB_ERR_INTERNAL): begin the write first. A transaction is ended on the thread that
 * began it, innermost first.
 *
 * Text parameters are struct nb_str views; a view with ptr NULL stores SQL NULL (for the
 * fields documented as optional). Times are unix seconds (UTC). Languages are tags such as
 * "de", "de-x-ls" (Leichte Sprache), "en".
 *
 * Records come back as jansson values; the caller owns the reference (json_decref). Keys and
 * types are given with each function; "int" is a JSON integer, "str|null" may be null.
 * Per-language text is an object keyed by the language tag, German first, then by tag.
 *
 * Errors: NB_ERR_NOTFOUND (no such record in this office), NB_ERR_CONFLICT (a unique key is
 * taken, or a record is still referenced), NB_ERR_INPUT (a constraint refused a value the
 * domain should have refused), NB_ERR_DENIED (an immutable row was to be changed),
 * NB_ERR_NOMEM, NB_ERR_DB (anything else; logged with SQLite's message).
 * All functions block on disk I/O. */
#ifndef NB_STORE_STORE_H
#define NB_STORE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"

/* How long a connection waits for another process's lock before NB_ERR_DB. */
#define NB_STORE_BUSY_MS 5000

struct nb_store;
struct nb_store_tx;

enum nb_store_mode { NB_STORE_READ, NB_STORE_WRITE };

/* Opens (creating when absent) the database file at path and applies every migration it
 * lacks, each in its own transaction. path must name a file (":memory:" is refused: the read
 * connections could not see it). NB_ERR_CONFLICT when the file was written by a newer
 * notbetrieb (its schema version is above nb_store_schema_version()): nothing is changed and a
 * log line names both versions. NB_ERR_DB when the file is not a database or WAL cannot be
 * enabled. *out is the store on NB_OK, NULL otherwise. */
NB_MUST_USE enum nb_err nb_store_open(const char *path, struct nb_store **out);

/* Closes all connections and frees the store; sets *s to NULL; accepts NULL and *s NULL.
 * No transaction may be open. */
void nb_store_close(struct nb_store **s);

/* The schema version this binary writes (the number of migrations it knows). */
int nb_store_schema_version(void);

struct nb_store_info {
    int schema_version; /* applied migrations in the open database */
    bool wal;           /* journal_mode is WAL */
    bool foreign_keys;  /* enforced (the readers are set up by the same code) */
    int synchronous;    /* PRAGMA synchronous: 2 = FULL */
    int busy_timeout_ms;
};

/* Counters of the group commit since open, for benchmarks and tests. groups[k] counts the
 * COMMITs that carried k + 1 commands (the last bucket also counts larger ones). */
struct nb_store_stats {
    uint64_t commands; /* outermost write transactions that ended */
    uint64_t commits;  /* group COMMITs that ran */
    uint64_t groups[NB_STORE_GROUP_MAX];
};
/* A copy of the counters; thread-safe. */
void nb_store_stats(struct nb_store *s, struct nb_store_stats *out);

/* Reads the settings in effect on the writing connection, for health checks and tests.
 * Runs as a command without changes (or inside the caller's own write transaction). */
NB_MUST_USE enum nb_err nb_store_info(struct nb_store *s, struct nb_store_info *out);

/* Begins a transaction (see above). *tx is NULL on error. */
NB_MUST_USE enum nb_err nb_store_begin(struct nb_store *s, enum nb_store_mode mode,
                                       struct nb_store_tx **tx);
/* Commits and frees the transaction, setting *tx to NULL. On failure everything was rolled
 * back and the transaction is freed all the same. */
NB_MUST_USE enum nb_err nb_store_commit(struct nb_store_tx **tx);
/* Rolls back and frees the transaction; accepts NULL and *tx NULL. */
void nb_store_rollback(struct nb_store_tx **tx);
/* The one-exit form: commits when err is NB_OK, else rolls back; returns err, or the commit's
 * error. Accepts *tx NULL (then returns err). */
NB_MUST_USE enum nb_err nb_store_end(struct nb_store_tx **tx, enum nb_err err);

/* nb_store_end for a transaction that produced *out: on any error (err, or the end's own)
 * releases *out and sets it to NULL, so the caller gets a value exactly when NB_OK. */
NB_MUST_USE enum nb_err nb_store_end_json(struct nb_store_tx **tx, enum nb_err err, json_t **out);

/* ---- Records written by the domain. All views are borrowed for the call. ---- */

/* A text in one language: state notes, department names, contact roles, exception notes. */
struct nb_store_lang_text {
    struct nb_str lang;
    struct nb_str text;
};

/* ---- Offices ----
 * Office object:
 *   id int, slug str, name str, land str (two letters, "MV"), host str|null,
 *   state str ("normal", "stoerung", "notbetrieb", "wiederanlauf", "restored"),
 *   state_since int, state_note {lang: str}, created_at int,
 *   changed_at int (newest visible change of anything of this office),
 *   settings {email str|null, phone str|null, address str|null} */
struct nb_store_office {
    struct nb_str slug, name, land;
    struct nb_str host; /* optional */
};
struct nb_store_office_settings {
    struct nb_str email, phone, address; /* each optional; address may span lines */
};

/* A new office in state "normal" since at. NB_ERR_CONFLICT when slug or host is taken. */
NB_MUST_USE enum nb_err nb_store_office_insert(struct nb_store_tx *tx,
                                               const struct nb_store_office *o, int64_t at,
                                               int64_t *id);
/* Changes name, land and host (the slug stays). */
NB_MUST_USE enum nb_err nb_store_office_update(struct nb_store_tx *tx, int64_t office_id,
                                               const struct nb_store_office *o, int64_t at);
NB_MUST_USE enum nb_err nb_store_office_count(struct nb_store_tx *tx, int64_t *n);
NB_MUST_USE enum nb_err nb_store_office_id_by_slug(struct nb_store_tx *tx, struct nb_str slug,
                                                   int64_t *id);
NB_MUST_USE enum nb_err nb_store_office_id_by_host(struct nb_store_tx *tx, struct nb_str host,
                                                   int64_t *id);
NB_MUST_USE enum nb_err nb_store_office_get(struct nb_store_tx *tx, int64_t office_id,
                                            json_t **out);
/* Array of office objects without state_note and settings, by slug. */
NB_MUST_USE enum nb_err nb_store_office_list(struct nb_store_tx *tx, json_t **out);
/* Sets the operating state and replaces the state notes with notes[0..n). */
NB_MUST_USE enum nb_err nb_store_office_set_state(struct nb_store_tx *tx, int64_t office_id,
                                                  struct nb_str state, int64_t since,
                                                  const struct nb_store_lang_text *notes, size_t n,
                                                  int64_t at);
NB_MUST_USE enum nb_err nb_store_office_set_settings(struct nb_store_tx *tx, int64_t office_id,
                                                     const struct nb_store_office_settings *st,
                                                     int64_t at);

/* ---- Notices ----
 * Notice object:
 *   slug str, pinned bool, archived bool, published bool, sort int, created_at int,
 *   changed_at int, updated_at int|null (newest version's published_at),
 *   variants {lang: variant}
 * Variant: the newest version of that language, plus its history:
 *   lang str, version int, title str, body_md str, published_at int, author str,
 *   versions [ {version int, title str, body_md str, published_at int, author str} ]
 *     (every version of that language, newest first; versions[0] is the variant itself)
 * A version, once written, is never changed or deleted (the schema refuses it). */
struct nb_store_notice {
    struct nb_str slug;
    bool pinned, archived;
    int64_t sort; /* ascending */
};
struct nb_store_notice_variant {
    struct nb_str lang, title, body_md, author;
};

/* A notice without versions, not published. NB_ERR_CONFLICT when the slug is taken. */
NB_MUST_USE enum nb_err nb_store_notice_insert(struct nb_store_tx *tx, int64_t office_id,
                                               const struct nb_store_notice *n, int64_t at);
/* Sets pinned, archived and sort of the notice named by n->slug. */
NB_MUST_USE enum nb_err nb_store_notice_update(struct nb_store_tx *tx, int64_t office_id,
                                               const struct nb_store_notice *n, int64_t at);
/* Shows (true) or hides (false) the notice; its versions stay. */
NB_MUST_USE enum nb_err nb_store_notice_set_published(struct nb_store_tx *tx, int64_t office_id,
                                                      struct nb_str slug, bool published,
                                                      int64_t at);
/* Appends version (newest + 1) of v->lang published at at, and publishes the notice.
 * NB_ERR_CONFLICT when at lies before that language's newest version. *langs (may be NULL)
 * gets the number of languages the notice has afterwards. */
NB_MUST_USE enum nb_err nb_store_notice_add_version(struct nb_store_tx *tx, int64_t office_id,
                                                    struct nb_str slug,
                                                    const struct nb_store_notice_variant *v,
                                                    int64_t at, int64_t *version, int64_t *langs);
NB_MUST_USE enum nb_err nb_store_notice_get(struct nb_store_tx *tx, int64_t office_id,
                                            struct nb_str slug, json_t **out);
/* Array of notice objects: pinned first, then by sort, then newest update first. With
 * published_only, only published notices that have at least one version. */
NB_MUST_USE enum nb_err nb_store_notice_list(struct nb_store_tx *tx, int64_t office_id,
                                             bool published_only, json_t **out);

/* ---- Press updates ----
 * Press object: slug str, published_at int, published bool, created_at int, changed_at int,
 *   texts {lang: {title str, body_md str}} */
struct nb_store_press_text {
    struct nb_str lang, title, body_md;
};

/* A published press update with texts[0..n) (n >= 1). NB_ERR_CONFLICT on a taken slug. */
NB_MUST_USE enum nb_err nb_store_press_insert(struct nb_store_tx *tx, int64_t office_id,
                                              struct nb_str slug, int64_t published_at,
                                              const struct nb_store_press_text *texts, size_t n,
                                              int64_t at);
/* Adds or replaces the text of one language. *langs (may be NULL) gets the number of
 * languages the update has afterwards. */
NB_MUST_USE enum nb_err nb_store_press_set_text(struct nb_store_tx *tx, int64_t office_id,
                                                struct nb_str slug,
                                                const struct nb_store_press_text *t, int64_t at,
                                                int64_t *langs);
NB_MUST_USE enum nb_err nb_store_press_set_published(struct nb_store_tx *tx, int64_t office_id,
                                                     struct nb_str slug, bool published,
                                                     int64_t at);
NB_MUST_USE enum nb_err nb_store_press_get(struct nb_store_tx *tx, int64_t office_id,
                                           struct nb_str slug, json_t **out);
/* Array of press objects, newest published_at first (then by slug, descending). */
NB_MUST_USE enum nb_err nb_store_press_list(struct nb_store_tx *tx, int64_t office_id,
                                            bool published_only, json_t **out);

/* ---- Departments, contacts, hours ----
 * Department object:
 *   slug str, name {lang: str}, phone str|null, email str|null, room str|null, sort int,
 *   changed_at int,
 *   contacts [contact] (by sort, then name),
 *   hours [ {kind str ("phone"|"counter"), weekday int (1 = Monday .. 7), start int,
 *            end int} ] (minutes after local midnight, end exclusive; by kind, weekday, start)
 *   exceptions [ {date str ("YYYY-MM-DD", local), closed bool,
 *                 slots [ {kind str, start int, end int} ], note {lang: str}} ] (by date)
 * Contact object:
 *   id int, department str (slug), name str, role {lang: str}, phone str|null,
 *   email str|null, is_dpo bool, sort int, changed_at int */
struct nb_store_department {
    struct nb_str slug;
    struct nb_str phone, email, room; /* optional */
    int64_t sort;
    const struct nb_store_lang_text *names; /* replaces all names */
    size_t nnames;
};
struct nb_store_contact {
    struct nb_str department; /* slug */
    struct nb_str name;
    struct nb_str phone, email; /* optional */
    bool is_dpo;                /* at most one per office (NB_ERR_CONFLICT) */
    int64_t sort;
    const struct nb_store_lang_text *roles; /* replaces all roles */
    size_t nroles;
};
struct nb_store_slot {
    struct nb_str kind; /* "phone" or "counter" */
    int weekday;        /* 1..7; ignored in exceptions */
    int start_min, end_min;
};
struct nb_store_hours_exception {
    struct nb_str date; /* YYYY-MM-DD */
    bool closed;
    const struct nb_store_slot *slots; /* the day's hours instead of the weekly ones */
    size_t nslots;
    const struct nb_store_lang_text *notes;
    size_t nnotes;
};

/* Creates the department or replaces all of its fields and names (keyed by slug). */
NB_MUST_USE enum nb_err nb_store_department_put(struct nb_store_tx *tx, int64_t office_id,
                                                const struct nb_store_department *d, int64_t at);
/* Removes the department with its contacts and hours. NB_ERR_CONFLICT while a service
 * names it as responsible. */
NB_MUST_USE enum nb_err nb_store_department_remove(struct nb_store_tx *tx, int64_t office_id,
                                                   struct nb_str slug, int64_t at);
NB_MUST_USE enum nb_err nb_store_department_get(struct nb_store_tx *tx, int64_t office_id,
                                                struct nb_str slug, json_t **out);
/* Array of department objects by sort, then slug. */
NB_MUST_USE enum nb_err nb_store_department_list(struct nb_store_tx *tx, int64_t office_id,
                                                 json_t **out);

NB_MUST_USE enum nb_err nb_store_contact_add(struct nb_store_tx *tx, int64_t office_id,
                                             const struct nb_store_contact *c, int64_t at,
                                             int64_t *id);
NB_MUST_USE enum nb_err nb_store_contact_update(struct nb_store_tx *tx, int64_t office_id,
                                                int64_t id, const struct nb_store_contact *c,
                                                int64_t at);
NB_MUST_USE enum nb_err nb_store_contact_remove(struct nb_store_tx *tx, int64_t office_id,
                                                int64_t id, int64_t at);
NB_MUST_USE enum nb_err nb_store_contact_get(struct nb_store_tx *tx, int64_t office_id, int64_t id,
                                             json_t **out);
/* The office's data-protection officer as a contact object; NB_ERR_NOTFOUND when none. */
NB_MUST_USE enum nb_err nb_store_contact_dpo(struct nb_store_tx *tx, int64_t office_id,
                                             json_t **out);

/* Replaces the department's weekly slots with slots[0..n). */
NB_MUST_USE enum nb_err nb_store_hours_set_weekly(struct nb_store_tx *tx, int64_t office_id,
                                                  struct nb_str department,
                                                  const struct nb_store_slot *slots, size_t n,
                                                  int64_t at);
/* Creates or replaces the department's exception for e->date. */
NB_MUST_USE enum nb_err nb_store_hours_set_exception(struct nb_store_tx *tx, int64_t office_id,
                                                     struct nb_str department,
                                                     const struct nb_store_hours_exception *e,
                                                     int64_t at);
NB_MUST_USE enum nb_err nb_store_hours_remove_exception(struct nb_store_tx *tx, int64_t office_id,
                                                        struct nb_str department,
                                                        struct nb_str date, int64_t at);

/* ---- Services ----
 * Service object:
 *   slug str, state str ("online", "restricted", "paper", "appointment", "suspended",
 *   "other_office"), department str|null (slug of the responsible department),
 *   other_office str|null (set exactly when state is "other_office"), sort int,
 *   changed_at int, texts {lang: {name str, description_md str, fallback_md str}} */
struct nb_store_service_text {
    struct nb_str lang, name, description_md, fallback_md;
};
struct nb_store_service {
    struct nb_str slug, state;
    struct nb_str department;   /* optional: slug */
    struct nb_str other_office; /* optional */
    int64_t sort;
    const struct nb_store_service_text *texts; /* replaces all texts */
    size_t ntexts;
};

/* Creates the service or replaces all its fields and texts (keyed by slug).
 * NB_ERR_NOTFOUND when the department does not exist in this office. */
NB_MUST_USE enum nb_err nb_store_service_put(struct nb_store_tx *tx, int64_t office_id,
                                             const struct nb_store_service *svc, int64_t at);
NB_MUST_USE enum nb_err nb_store_service_remove(struct nb_store_tx *tx, int64_t office_id,
                                                struct nb_str slug, int64_t at);
NB_MUST_USE enum nb_err nb_store_service_get(struct nb_store_tx *tx, int64_t office_id,
                                             struct nb_str slug, json_t **out);
/* Array of service objects by sort, then slug. */
NB_MUST_USE enum nb_err nb_store_service_list(struct nb_store_tx *tx, int64_t office_id,
                                              json_t **out);

/* ---- Legal pages (imprint, privacy, accessibility, phishing) ----
 * Page variant object: lang str, version int, title str, body_md str, updated_at int,
 *   author str. Each save appends a version; versions are never changed or deleted. */
struct nb_store_page {
    struct nb_str kind; /* "imprint", "privacy", "accessibility", "phishing" */
    struct nb_str lang, title, body_md, author;
};

/* Appends version (newest + 1) of the page's language, updated at at. NB_ERR_CONFLICT when
 * at lies before that language's newest version. *langs (may be NULL) gets the number of
 * languages the page has afterwards. */
NB_MUST_USE enum nb_err nb_store_page_add_version(struct nb_store_tx *tx, int64_t office_id,
                                                  const struct nb_store_page *p, int64_t at,
                                                  int64_t *version, int64_t *langs);
/* The newest version of each language of the page: {lang: page variant}, possibly empty. */
NB_MUST_USE enum nb_err nb_store_page_get(struct nb_store_tx *tx, int64_t office_id,
                                          struct nb_str kind, json_t **out);
/* The newest limit versions of one language, newest first, as page variant objects without
 * body_md (possibly an empty array); *total gets how many versions the language has. */
NB_MUST_USE enum nb_err nb_store_page_history(struct nb_store_tx *tx, int64_t office_id,
                                              struct nb_str kind, struct nb_str lang, size_t limit,
                                              json_t **out, int64_t *total);
/* One version of one language as a page variant object. NB_ERR_NOTFOUND when there is none. */
NB_MUST_USE enum nb_err nb_store_page_version(struct nb_store_tx *tx, int64_t office_id,
                                              struct nb_str kind, struct nb_str lang,
                                              int64_t version, json_t **out);

#endif
