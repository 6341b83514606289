/* migrations.c: the schema, as an ordered list of steps.
 *
 * Entry i brings the database from version i to i + 1; store.c applies each missing entry in
 * its own transaction and records it in schema_migrations. A released entry is never edited:
 * a change to the schema is a new entry at the end.
 *
 * Invariants the schema keeps:
 *   - Every table except offices, the instance-wide journal and its checkpoints (and the
 *     bookkeeping table schema_migrations) has office_id.
 *     A child row names its parent by (office_id, parent_id) against UNIQUE (office_id, id), so
 *     no row can hang below a parent of another office.
 *   - Versions of notices and legal pages are append-only: triggers refuse UPDATE and DELETE.
 *   - Tables are STRICT, so a value of the wrong type is refused rather than converted.
 *   - Languages, slugs, dates and times are checked by the domain; the schema checks the
 *     closed vocabularies (states, kinds) and ranges. */
#include "store/sql.h"

static const char *const schema_1[] = {
    "CREATE TABLE offices ("
    "  id INTEGER PRIMARY KEY,"
    "  slug TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  land TEXT NOT NULL,"
    "  host TEXT UNIQUE,"
    "  state TEXT NOT NULL DEFAULT 'normal' CHECK (state IN"
    "    ('normal', 'stoerung', 'notbetrieb', 'wiederanlauf', 'restored')),"
    "  state_since INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  changed_at INTEGER NOT NULL"
    ") STRICT",
    "CREATE TABLE office_settings ("
    "  office_id INTEGER PRIMARY KEY NOT NULL REFERENCES offices (id),"
    "  email TEXT,"
    "  phone TEXT,"
    "  address TEXT,"
    "  changed_at INTEGER NOT NULL"
    ") STRICT",
    "CREATE TABLE office_state_notes ("
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  lang TEXT NOT NULL,"
    "  note TEXT NOT NULL,"
    "  PRIMARY KEY (office_id, lang)"
    ") STRICT",
    "CREATE TABLE notices ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  slug TEXT NOT NULL,"
    "  pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),"
    "  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),"
    "  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),"
    "  sort INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE (office_id, slug),"
    "  UNIQUE (office_id, id)"
    ") STRICT",
    "CREATE TABLE notice_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL,"
    "  notice_id INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  title TEXT NOT NULL,"
    "  body_md TEXT NOT NULL,"
    "  published_at INTEGER NOT NULL,"
    "  author TEXT NOT NULL,"
    "  UNIQUE (notice_id, lang, version),"
    "  FOREIGN KEY (office_id, notice_id) REFERENCES notices (office_id, id)"
    ") STRICT",
    "CREATE INDEX notice_versions_by_office ON notice_versions (office_id, notice_id)",
    "CREATE TRIGGER notice_versions_no_update BEFORE UPDATE ON notice_versions"
    " BEGIN SELECT RAISE(ABORT, 'notice versions are immutable'); END",
    "CREATE TRIGGER notice_versions_no_delete BEFORE DELETE ON notice_versions"
    " BEGIN SELECT RAISE(ABORT, 'notice versions are immutable'); END",
    "CREATE TABLE press_updates ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  slug TEXT NOT NULL,"
    "  published_at INTEGER NOT NULL,"
    "  published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),"
    "  created_at INTEGER NOT NULL,"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE (office_id, slug),"
    "  UNIQUE (office_id, id)"
    ") STRICT",
    "CREATE INDEX press_updates_by_date ON press_updates (office_id, published_at)",
    "CREATE TABLE press_texts ("
    "  office_id INTEGER NOT NULL,"
    "  press_id INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  body_md TEXT NOT NULL,"
    "  PRIMARY KEY (press_id, lang),"
    "  FOREIGN KEY (office_id, press_id) REFERENCES press_updates (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX press_texts_by_office ON press_texts (office_id, press_id)",
    "CREATE TABLE departments ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  slug TEXT NOT NULL,"
    "  phone TEXT,"
    "  email TEXT,"
    "  room TEXT,"
    "  sort INTEGER NOT NULL DEFAULT 0,"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE (office_id, slug),"
    "  UNIQUE (office_id, id)"
    ") STRICT",
    "CREATE TABLE department_names ("
    "  office_id INTEGER NOT NULL,"
    "  department_id INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  PRIMARY KEY (department_id, lang),"
    "  FOREIGN KEY (office_id, department_id) REFERENCES departments (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX department_names_by_office ON department_names (office_id, department_id)",
    "CREATE TABLE contacts ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL,"
    "  department_id INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  phone TEXT,"
    "  email TEXT,"
    "  is_dpo INTEGER NOT NULL DEFAULT 0 CHECK (is_dpo IN (0, 1)),"
    "  sort INTEGER NOT NULL DEFAULT 0,"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE (office_id, id),"
    "  FOREIGN KEY (office_id, department_id) REFERENCES departments (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX contacts_by_department ON contacts (office_id, department_id)",
    "CREATE UNIQUE INDEX contacts_one_dpo ON contacts (office_id) WHERE is_dpo = 1",
    "CREATE TABLE contact_roles ("
    "  office_id INTEGER NOT NULL,"
    "  contact_id INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  PRIMARY KEY (contact_id, lang),"
    "  FOREIGN KEY (office_id, contact_id) REFERENCES contacts (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX contact_roles_by_office ON contact_roles (office_id, contact_id)",
    "CREATE TABLE hours_weekly ("
    "  office_id INTEGER NOT NULL,"
    "  department_id INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('phone', 'counter')),"
    "  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
    "  start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),"
    "  end_min INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),"
    "  CHECK (start_min < end_min),"
    "  PRIMARY KEY (department_id, kind, weekday, start_min),"
    "  FOREIGN KEY (office_id, department_id) REFERENCES departments (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX hours_weekly_by_office ON hours_weekly (office_id, department_id)",
    "CREATE TABLE hours_exceptions ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL,"
    "  department_id INTEGER NOT NULL,"
    "  day TEXT NOT NULL,"
    "  closed INTEGER NOT NULL CHECK (closed IN (0, 1)),"
    "  changed_at INTEGER NOT NULL,"
    "  UNIQUE (department_id, day),"
    "  UNIQUE (office_id, id),"
    "  FOREIGN KEY (office_id, department_id) REFERENCES departments (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX hours_exceptions_by_office ON hours_exceptions (office_id, department_id)",
    "CREATE TABLE hours_exception_slots ("
    "  office_id INTEGER NOT NULL,"
    "  exception_id INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('phone', 'counter')),"
    "  start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),"
    "  end_min INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),"
    "  CHECK (start_min < end_min),"
    "  PRIMARY KEY (exception_id, kind, start_min),"
    "  FOREIGN KEY (office_id, exception_id) REFERENCES hours_exceptions (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX hours_exception_slots_by_office"
    "  ON hours_exception_slots (office_id, exception_id)",
    "CREATE TABLE hours_exception_notes ("
    "  office_id INTEGER NOT NULL,"
    "  exception_id INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  note TEXT NOT NULL,"
    "  PRIMARY KEY (exception_id, lang),"
    "  FOREIGN KEY (office_id, exception_id) REFERENCES hours_exceptions (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX hours_exception_notes_by_office"
    "  ON hours_exception_notes (office_id, exception_id)",
    "CREATE TABLE services ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  slug TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN"
    "    ('online', 'restricted', 'paper', 'appointment', 'suspended', 'other_office')),"
    "  department_id INTEGER,"
    "  other_office TEXT,"
    "  sort INTEGER NOT NULL DEFAULT 0,"
    "  changed_at INTEGER NOT NULL,"
    "  CHECK ((state = 'other_office') = (other_office IS NOT NULL)),"
    "  UNIQUE (office_id, slug),"
    "  UNIQUE (office_id, id),"
    /* No action on delete: a department that still carries services cannot go. */
    "  FOREIGN KEY (office_id, department_id) REFERENCES departments (office_id, id)"
    ") STRICT",
    "CREATE INDEX services_by_department ON services (office_id, department_id)",
    "CREATE TABLE service_texts ("
    "  office_id INTEGER NOT NULL,"
    "  service_id INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  description_md TEXT NOT NULL,"
    "  fallback_md TEXT NOT NULL,"
    "  PRIMARY KEY (service_id, lang),"
    "  FOREIGN KEY (office_id, service_id) REFERENCES services (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX service_texts_by_office ON service_texts (office_id, service_id)",
    "CREATE TABLE page_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('imprint', 'privacy', 'accessibility', 'phishing')),"
    "  lang TEXT NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1),"
    "  title TEXT NOT NULL,"
    "  body_md TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  author TEXT NOT NULL,"
    "  UNIQUE (office_id, kind, lang, version)"
    ") STRICT",
    "CREATE TRIGGER page_versions_no_update BEFORE UPDATE ON page_versions"
    " BEGIN SELECT RAISE(ABORT, 'page versions are immutable'); END",
    "CREATE TRIGGER page_versions_no_delete BEFORE DELETE ON page_versions"
    " BEGIN SELECT RAISE(ABORT, 'page versions are immutable'); END",
    NULL,
};

/* The journal of every state change, and its signed checkpoints (domain/journal.h).
 * Both are instance-wide, not per office: the hash chain runs through every office's
 * entries in one sequence, so office_id is nullable here (NULL for instance-level events)
 * and the checkpoints carry none. Hashes and signatures are lower-case hex. Neither table
 * may be changed or pruned: triggers refuse UPDATE and DELETE. */
static const char *const schema_2[] = {
    "CREATE TABLE journal ("
    "  seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
    "  at INTEGER NOT NULL,"
    "  office_id INTEGER REFERENCES offices (id),"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object TEXT NOT NULL,"
    "  summary TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64)"
    ") STRICT",
    "CREATE INDEX journal_by_office ON journal (office_id, seq)",
    "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
    " BEGIN SELECT RAISE(ABORT, 'journal entries are immutable'); END",
    "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal"
    " BEGIN SELECT RAISE(ABORT, 'journal entries are immutable'); END",
    "CREATE TABLE journal_checkpoints ("
    "  id INTEGER PRIMARY KEY,"
    "  seq INTEGER NOT NULL CHECK (seq >= 1),"
    "  hash TEXT NOT NULL CHECK (length(hash) = 64),"
    "  signature TEXT NOT NULL CHECK (length(signature) = 128),"
    "  created_at INTEGER NOT NULL"
    ") STRICT",
    "CREATE INDEX journal_checkpoints_by_seq ON journal_checkpoints (seq)",
    "CREATE TRIGGER journal_checkpoints_no_update BEFORE UPDATE ON journal_checkpoints"
    " BEGIN SELECT RAISE(ABORT, 'journal checkpoints are immutable'); END",
    "CREATE TRIGGER journal_checkpoints_no_delete BEFORE DELETE ON journal_checkpoints"
    " BEGIN SELECT RAISE(ABORT, 'journal checkpoints are immutable'); END",
    NULL,
};

/* Staff accounts, their one-time setup links and the login throttle (domain/account.h).
 * Secrets are never stored in clear except the TOTP secret, which the server needs to compute
 * codes: passwords as argon2id strings, setup tokens and recovery codes as BLAKE2b hashes. */
static const char *const schema_3[] = {
    "CREATE TABLE accounts ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'caseworker', 'dpo')),"
    "  state TEXT NOT NULL DEFAULT 'setup' CHECK (state IN ('setup', 'active', 'disabled')),"
    "  password_hash TEXT,"
    "  totp_secret TEXT,"
    "  totp_last_step INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  changed_at INTEGER NOT NULL,"
    "  CHECK (state <> 'active' OR (password_hash IS NOT NULL AND totp_secret IS NOT NULL)),"
    "  UNIQUE (office_id, name),"
    "  UNIQUE (office_id, id)"
    ") STRICT",
    "CREATE INDEX accounts_by_name ON accounts (name)",
    "CREATE TABLE account_setup_links ("
    "  office_id INTEGER NOT NULL,"
    "  account_id INTEGER NOT NULL UNIQUE,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  pending_totp TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  FOREIGN KEY (office_id, account_id) REFERENCES accounts (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX account_setup_links_by_office ON account_setup_links (office_id, account_id)",
    "CREATE TABLE account_recovery_codes ("
    "  office_id INTEGER NOT NULL,"
    "  account_id INTEGER NOT NULL,"
    "  code_hash TEXT NOT NULL,"
    "  used_at INTEGER,"
    "  PRIMARY KEY (account_id, code_hash),"
    "  FOREIGN KEY (office_id, account_id) REFERENCES accounts (office_id, id)"
    "    ON DELETE CASCADE"
    ") STRICT",
    "CREATE INDEX account_recovery_codes_by_office"
    "  ON account_recovery_codes (office_id, account_id)",
    "CREATE TABLE login_throttle ("
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('account', 'addr')),"
    "  key TEXT NOT NULL,"
    "  failures INTEGER NOT NULL CHECK (failures >= 0),"
    "  last_failure_at INTEGER NOT NULL,"
    "  PRIMARY KEY (office_id, kind, key)"
    ") STRICT",
    NULL,
};

/* Staff sessions (domain/session.h). The session id itself is never stored: token_hash is
 * the hex of its BLAKE2b-256 hash, so a copy of the database opens no session. csrf_key is
 * the hex of the session's 32-byte CSRF secret. account_id names a row of accounts (schema_3)
 * by its integer id but has no foreign key yet, since the two tables were written apart; a
 * later entry recreates this table with FOREIGN KEY (office_id, account_id) REFERENCES
 * accounts (office_id, id) ON DELETE CASCADE (sessions are disposable: the rebuild may drop
 * them, which logs everyone out once). */
static const char *const schema_4[] = {
    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  account_id INTEGER NOT NULL CHECK (account_id > 0),"
    "  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),"
    "  csrf_key TEXT NOT NULL CHECK (length(csrf_key) = 64),"
    "  created_at INTEGER NOT NULL,"
    "  last_seen_at INTEGER NOT NULL,"
    "  client TEXT NOT NULL CHECK (length(client) <= 45),"
    "  user_agent TEXT NOT NULL CHECK (length(user_agent) <= 32),"
    "  CHECK (last_seen_at >= created_at),"
    "  UNIQUE (office_id, id)"
    ") STRICT",
    "CREATE INDEX sessions_by_account ON sessions (office_id, account_id)",
    NULL,
};

/* The sign-in throttle of domain/throttle.h replaces login_throttle (its counters keyed on
 * the name as typed; they are disposable, so they are dropped, not carried over).
 * signin_throttle holds one counter per (office, kind, key): kind 'pair' (a name and a client
 * address; key "a<account id>|<address>" or "u<keyed hash of the name>|<address>"), 'addr'
 * (a client address), 'net' (an IPv6 /64), 'known' (a pair that signed in; count unused),
 * 'budget' (key 'general' or 'reserve': password checks in the window starting at at).
 * signin_failures holds the failed sign-ins not yet journalled, per window, actor (account
 * name or 'unknown') and address ('' for the sum of further addresses). */
static const char *const schema_5[] = {
    "DROP TABLE login_throttle",
    "CREATE TABLE signin_throttle ("
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('pair', 'addr', 'net', 'known', 'budget')),"
    "  key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 96),"
    "  count INTEGER NOT NULL CHECK (count >= 0),"
    "  at INTEGER NOT NULL,"
    "  PRIMARY KEY (office_id, kind, key)"
    ") STRICT",
    "CREATE INDEX signin_throttle_by_at ON signin_throttle (kind, at)",
    "CREATE TABLE signin_failures ("
    "  office_id INTEGER NOT NULL REFERENCES offices (id),"
    "  window_start INTEGER NOT NULL,"
    "  actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),"
    "  addr TEXT NOT NULL CHECK (length(addr) <= 45),"
    "  failures INTEGER NOT NULL CHECK (failures > 0),"
    "  PRIMARY KEY (office_id, window_start, actor, addr)"
    ") STRICT",
    "CREATE INDEX signin_failures_by_window ON signin_failures (window_start)",
    NULL,
};

static const struct nb_migration migrations[] = {
    {"offices, notices, press updates, departments, contacts, hours, services, legal pages",
     schema_1},
    {"journal and checkpoints", schema_2},
    {"staff accounts, setup links, login throttle", schema_3},
    {"staff sessions", schema_4},
    {"sign-in throttle per name and address, budget, aggregated failures", schema_5},
};

const struct nb_migration *nb_migrations_get(size_t *count)
{
    *count = sizeof(migrations) / sizeof(migrations[0]);
    return migrations;
}
