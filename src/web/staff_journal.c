/* staff_journal.c: the office's journal in the back office. GET /intern/journal lists the
 * entries of this office, newest first, filtered by action, actor and local dates and paged;
 * GET /intern/journal.csv exports them with the same filters as CSV (view/csv.h).
 *
 * Only entries whose office is the request's office are shown: instance-level entries
 * (office NULL, "cli" and "system" work) and other offices' entries are never read here,
 * because the store query is bound to s->office->id. Reading needs NB_ACT_JOURNAL_READ,
 * exporting NB_ACT_JOURNAL_EXPORT (docs/roles.md).
 *
 * The export is a GET, so that the browser's download and the filter links work without
 * JavaScript, yet it is recorded as "journal.export": who carried the office's history out
 * of the system is itself part of that history. A cross-site GET cannot trigger it for a
 * signed-in user, since the session cookie is SameSite=Strict. */
#include "web/staff.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/journal.h"
#include "http/parse.h"
#include "store/store_journal.h"
#include "view/csv.h"
#include "view/i18n.h"

/* The filters of the request: texts as given (for the form and the links) and the store
 * filter they mean. */
struct query {
    struct nb_str action, actor, from, to;
    uint64_t page; /* 1.. */
    struct nb_store_journal_filter f;
};

/* A parameter of the query string, trimmed; empty when absent. */
static struct nb_str param(struct nb_staff *s, const char *name)
{
    struct nb_str v;
    if (nb_http_query_get(s->req->query, name, &s->req->arena, &v) != NB_OK)
        return (struct nb_str){"", 0};
    return nb_str_trim(v);
}

/* Reads the filters. False for a malformed date or page and for texts longer than the
 * journal allows (no entry could match them). Dates are days of Europe/Berlin: "from"
 * starts at its local midnight, "to" includes its whole day. */
static bool read_query(struct nb_staff *s, struct query *q)
{
    q->action = param(s, "action");
    q->actor = param(s, "actor");
    q->from = param(s, "from");
    q->to = param(s, "to");
    if (q->action.len > NB_JOURNAL_ACTION_MAX || q->actor.len > NB_JOURNAL_ACTOR_MAX)
        return false;
    q->f = (struct nb_store_journal_filter){.office_id = s->office->id,
                                            .action = q->action,
                                            .actor = q->actor,
                                            .from = INT64_MIN,
                                            .to = INT64_MAX,
                                            .limit = -1,
                                            .offset = 0};
    int32_t day;
    if (q->from.len > 0) {
        if (nb_civil_parse_date(q->from, &day) != NB_OK)
            return false;
        q->f.from = nb_civil_berlin_day_start(day);
    }
    if (q->to.len > 0) {
        if (nb_civil_parse_date(q->to, &day) != NB_OK)
            return false;
        q->f.to = day >= NB_CIVIL_DATE_MAX ? INT64_MAX : nb_civil_berlin_day_start(day + 1);
    }
    q->page = 1;
    struct nb_str page = param(s, "page");
    if (page.len > 0 && (!nb_str_to_u64(page, NB_JOURNAL_PAGES_MAX, &q->page) || q->page == 0))
        return false;
    return true;
}

/* prefix/intern + path with the filters that are set and, above 1, the page; in the
 * request arena. "" when it does not fit (then the link leads to the unfiltered list). */
static const char *query_url(struct nb_staff *s, const char *path, const struct query *q,
                             uint64_t page)
{
    char base[NB_STAFF_URL_MAX];
    nb_staff_url(s, path, base, sizeof(base));
    struct nb_buf b;
    nb_buf_init(&b, NB_HTTP_URI_MAX);
    nb_buf_add_c(&b, base);
    const struct {
        const char *name;
        struct nb_str value;
    } p[] = {{"action", q->action}, {"actor", q->actor}, {"from", q->from}, {"to", q->to}};
    char sep = '?';
    for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
        if (p[i].value.len == 0)
            continue;
        nb_buf_add_char(&b, sep);
        nb_buf_add_c(&b, p[i].name);
        nb_buf_add_char(&b, '=');
        nb_buf_add_url(&b, p[i].value);
        sep = '&';
    }
    if (page > 1)
        nb_buf_printf(&b, "%cpage=%" PRIu64, sep, page);
    char *out = b.err == NB_OK && b.ptr ? nb_arena_strndup(&s->req->arena, b.ptr, b.len) : NULL;
    nb_buf_free(&b);
    return out ? out : "";
}

/* A JSON string of a stored text; "" for text that is not UTF-8 (the store keeps what was
 * written, and the page must still render). */
static json_t *text(struct nb_str v)
{
    json_t *j = json_stringn(v.ptr, v.len);
    return j ? j : json_string("");
}

/* ---- page ------------------------------------------------------------------------------------ */

struct page_rows {
    enum nb_lang lang;
    json_t *rows;
    size_t n; /* rows seen, one more than shown when there is a next page */
};

static bool add_row(void *ctx, const struct nb_store_journal_row *r)
{
    struct page_rows *c = ctx;
    if (++c->n > NB_JOURNAL_PAGE_ROWS)
        return false;
    char when[32];
    nb_staff_time_text(c->lang, r->at, when, sizeof(when));
    json_t *row = json_object();
    json_object_set_new(row, "seq", json_integer(r->seq));
    json_object_set_new(row, "time_text", json_string(when));
    json_object_set_new(row, "actor", text(r->actor));
    json_object_set_new(row, "action", text(r->action));
    json_object_set_new(row, "object", text(r->object));
    json_object_set_new(row, "summary", text(r->summary));
    json_array_append_new(c->rows, row);
    return true;
}

/* A catalog text with one placeholder filled in by a number, in the request arena. */
static const char *format_n(struct nb_staff *s, const char *key, const char *name, int64_t n)
{
    char num[24];
    snprintf(num, sizeof(num), "%" PRId64, n);
    struct nb_buf b;
    nb_buf_init(&b, 1024);
    nb_i18n_format(&b, s->lang, key, name, num, (char *)NULL);
    char *out = b.err == NB_OK && b.ptr ? nb_arena_strndup(&s->req->arena, b.ptr, b.len) : NULL;
    nb_buf_free(&b);
    return out ? out : "";
}

/* Whether the chain is intact: only the verdict and the first entry concerned are shown;
 * the details are for `notbetrieb journal verify` on the command line. */
static json_t *chain_state(struct nb_staff *s)
{
    /* nb_journal_verify reads and rehashes the whole instance-wide chain on every view of
     * this page. At the scale of an office in emergency operation (thousands of entries,
     * milliseconds) that is fine and always current; should the journal grow into the
     * millions, this wants the result of the last check kept instead. */
    struct nb_journal_report r;
    enum nb_err err = nb_journal_verify(nb_app_store(s->app), NULL, &r);
    if (err != NB_OK) {
        nb_log_error("staff.journal_verify", "error=%s", nb_err_str(err));
        return json_pack("{s:b, s:s}", "intact", 0, "text",
                         nb_i18n_get(s->lang, "staff_journal_unchecked"));
    }
    if (r.problem == NB_JOURNAL_INTACT)
        return json_pack("{s:b, s:s}", "intact", 1, "text",
                         nb_i18n_get(s->lang, "staff_journal_intact"));
    return json_pack("{s:b, s:s, s:I}", "intact", 0, "text",
                     format_n(s, "staff_journal_broken", "seq", r.seq), "problem_seq",
                     (json_int_t)r.seq);
}

static void page(struct nb_staff *s, struct query *q)
{
    struct page_rows c = {.lang = s->lang, .rows = json_array()};
    /* One row more than a page tells whether there is a next one. */
    q->f.limit = NB_JOURNAL_PAGE_ROWS + 1;
    q->f.offset = (int64_t)((q->page - 1) * NB_JOURNAL_PAGE_ROWS);
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_store_begin(nb_app_store(s->app), NB_STORE_READ, &tx);
    if (err == NB_OK)
        err = nb_store_journal_find(tx, &q->f, add_row, &c);
    err = nb_store_end(&tx, err);
    if (err != NB_OK) {
        json_decref(c.rows);
        nb_log_error("staff.journal", "error=%s", nb_err_str(err));
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    char action_url[NB_STAFF_URL_MAX];
    nb_staff_url(s, "/journal", action_url, sizeof(action_url));
    json_t *m = nb_staff_model(s, "title_staff_journal");
    json_object_set_new(m, "chain", chain_state(s));
    json_object_set_new(m, "filter",
                        json_pack("{s:o, s:o, s:o, s:o, s:s}", "action", text(q->action), "actor",
                                  text(q->actor), "from", text(q->from), "to", text(q->to),
                                  "action_url", action_url));
    json_object_set_new(m, "entries", c.rows);
    if (c.n == 0)
        json_object_set_new(m, "empty", json_true());
    json_t *paging = json_object();
    json_object_set_new(paging, "text",
                        json_string(format_n(s, "staff_journal_page", "page", (int64_t)q->page)));
    if (q->page > 1)
        json_object_set_new(paging, "prev", json_string(query_url(s, "/journal", q, q->page - 1)));
    if (c.n > NB_JOURNAL_PAGE_ROWS && q->page < NB_JOURNAL_PAGES_MAX)
        json_object_set_new(paging, "next", json_string(query_url(s, "/journal", q, q->page + 1)));
    json_object_set_new(m, "paging", paging);
    if (nb_staff_may(s->role, NB_ACT_JOURNAL_EXPORT))
        json_object_set_new(m, "csv_url", json_string(query_url(s, "/journal.csv", q, 0)));
    nb_staff_render(s, 200, "staff_journal", m);
}

/* ---- CSV ------------------------------------------------------------------------------------- */

struct csv_rows {
    struct nb_buf *b;
    int64_t n;
};

static bool add_csv(void *ctx, const struct nb_store_journal_row *r)
{
    struct csv_rows *c = ctx;
    /* ISO 8601 local time with its offset: readable, and unambiguous in the autumn hour. */
    struct nb_civil_local l;
    nb_civil_berlin_local(r->at, &l);
    char d[NB_CIVIL_DATE_SIZE], when[40], seq[24];
    nb_civil_fmt_date(d, sizeof(d), l.date);
    snprintf(when, sizeof(when), "%sT%02d:%02d:%02d+%02d:00", d, l.hour, l.minute, l.second,
             l.offset / 3600);
    snprintf(seq, sizeof(seq), "%" PRId64, r->seq);
    const struct nb_str f[] = {nb_str_c(seq), nb_str_c(when), r->actor,
                               r->action,     r->object,      r->summary};
    nb_csv_row(c->b, f, sizeof(f) / sizeof(f[0]));
    c->n++;
    return c->b->err == NB_OK;
}

static void export_csv(struct nb_staff *s, struct query *q)
{
    struct nb_buf b;
    nb_buf_init(&b, NB_JOURNAL_EXPORT_MAX);
    static const struct nb_str header[] = {{"seq", 3},    {"time", 4},   {"actor", 5},
                                           {"action", 6}, {"object", 6}, {"summary", 7}};
    nb_csv_row(&b, header, sizeof(header) / sizeof(header[0]));
    struct csv_rows c = {.b = &b};
    struct nb_store_tx *tx = NULL;
    enum nb_err err = nb_store_begin(nb_app_store(s->app), NB_STORE_READ, &tx);
    if (err == NB_OK)
        err = nb_store_journal_find(tx, &q->f, add_csv, &c);
    err = nb_store_end(&tx, err);
    if (err == NB_OK)
        err = b.err;
    if (err != NB_OK) {
        nb_buf_free(&b);
        nb_log_error("staff.journal_export", "error=%s", nb_err_str(err));
        if (err == NB_ERR_LIMIT)
            nb_staff_message(s, 413, "error_413_title", "staff_journal_export_too_large");
        else
            nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    size_t len = 0;
    char *body = nb_buf_take(&b, &len);
    nb_buf_free(&b);
    /* On failure the defer has freed body already. */
    if (!body || nb_arena_defer(&s->req->arena, free, body) != NB_OK) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    struct nb_civil_local today;
    nb_civil_berlin_local(s->now, &today);
    char date[NB_CIVIL_DATE_SIZE], disposition[NB_SLUG_MAX + 80];
    nb_civil_fmt_date(date, sizeof(date), today.date);
    /* The slug is [a-z0-9-] (nb_str_is_slug): the file name needs no escaping. */
    snprintf(disposition, sizeof(disposition), "attachment; filename=\"journal-%s-%s.csv\"",
             s->office->slug, date);
    /* The export is on record before it leaves: no record, no export. A HEAD carries
     * nothing out. */
    if (s->req->method == NB_HTTP_GET) {
        char summary[64];
        snprintf(summary, sizeof(summary), "exported %" PRId64 " entries as CSV", c.n);
        err = nb_staff_begin(s, &tx);
        if (err == NB_OK)
            err = nb_staff_journal(s, tx, s->account_name, "journal.export", "journal", summary);
        if (nb_staff_end(s, &tx, err, false) != NB_OK) {
            nb_staff_message(s, 503, "error_500_title", "error_500_text");
            return;
        }
    }
    s->res->status = 200;
    s->res->content_type = "text/csv; charset=utf-8";
    s->res->body = body;
    s->res->len = len;
    nb_staff_header(s, "Content-Disposition", disposition);
    nb_staff_header(s, "Cache-Control", "no-store");
}

/* ---- route ----------------------------------------------------------------------------------- */

static void route_page(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    struct query q;
    if (read_query(s, &q))
        page(s, &q);
    else
        nb_staff_message(s, 400, "error_400_title", "staff_journal_bad_filter");
}

static void route_csv(struct nb_staff *s, const struct nb_route_params *p)
{
    (void)p;
    struct query q;
    if (read_query(s, &q))
        export_csv(s, &q);
    else
        nb_staff_message(s, 400, "error_400_title", "staff_journal_bad_filter");
}

static const struct nb_staff_route rows[] = {
    {NB_HTTP_GET, "/journal", NB_GATE_ROLE, NB_ACT_JOURNAL_READ, false, route_page, NULL},
    {NB_HTTP_GET, "/journal.csv", NB_GATE_ROLE, NB_ACT_JOURNAL_EXPORT, false, route_csv, NULL},
};
const struct nb_staff_routes nb_staff_journal_routes = NB_STAFF_ROUTES("staff_journal.c", rows);
