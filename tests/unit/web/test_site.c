/* Unit tests for web/site: the demo office (a real SQLite file, the real domain content) is
 * rendered with the built-in templates at chosen instants and every page collected.
 * Covers what "reachable now" says around the telephone hours, holidays of MV and the
 * changes of summer time; the next_change instants; the HTML/JSON twins; escaping of the
 * office name; raw HTML and javascript: URLs in Markdown; the Atom feed; and templates
 * that are missing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "domain/demo.h"
#include "domain/hours_store.h"
#include "domain/notice.h"
#include "domain/office.h"
#include "domain/press.h"
#include "domain/site.h"
#include "store/store.h"
#include "view/i18n.h"
#include "base/resource.h"
#include "view/template.h"
#include "web/site.h"
#include "../tmpdb.h"

/* ---- collecting output ---------------------------------------------------------------- */

struct page {
    char *path, *type, *lang; /* lang NULL when none */
    enum nb_snapshot_neg neg;
    char *body;
    size_t len;
};

struct err_page {
    enum nb_lang lang;
    unsigned status;
    bool json;
    char *body;
};

struct pages {
    struct page *v;
    size_t n, cap;
    struct err_page *e;
    size_t ne, ecap;
    size_t fail_after; /* make the out fail after this many pages; 0: never */
};

static char *dup_n(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    assert_non_null(d);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

static const struct page *find_page(const struct pages *p, const char *path)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].path, path) == 0)
            return &p->v[i];
    return NULL;
}

static enum nb_err collect_page(void *ctx, const char *path, const char *type, const char *lang,
                                enum nb_snapshot_neg neg, const char *body, size_t len)
{
    struct pages *p = ctx;
    if (p->fail_after && p->n == p->fail_after)
        return NB_ERR_LIMIT;
    /* The snapshot refuses a second page at the same path: so do we. */
    if (find_page(p, path))
        fail_msg("page %s emitted twice", path);
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, p->cap * sizeof(*p->v));
        assert_non_null(p->v);
    }
    struct page *pg = &p->v[p->n++];
    pg->path = dup_n(path, strlen(path));
    pg->type = dup_n(type, strlen(type));
    pg->lang = lang ? dup_n(lang, strlen(lang)) : NULL;
    pg->neg = neg;
    pg->body = dup_n(body, len);
    pg->len = len;
    return NB_OK;
}

static enum nb_err collect_error(void *ctx, enum nb_lang lang, unsigned status, bool json,
                                 const char *body, size_t len)
{
    struct pages *p = ctx;
    for (size_t i = 0; i < p->ne; i++)
        if (p->e[i].lang == lang && p->e[i].status == status && p->e[i].json == json)
            fail_msg("error page %u/%d/%d emitted twice", status, (int)lang, (int)json);
    if (p->ne == p->ecap) {
        p->ecap = p->ecap ? p->ecap * 2 : 32;
        p->e = realloc(p->e, p->ecap * sizeof(*p->e));
        assert_non_null(p->e);
    }
    p->e[p->ne++] = (struct err_page){lang, status, json, dup_n(body, len)};
    return NB_OK;
}

static void pages_free(struct pages *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].path);
        free(p->v[i].type);
        free(p->v[i].lang);
        free(p->v[i].body);
    }
    for (size_t i = 0; i < p->ne; i++)
        free(p->e[i].body);
    free(p->v);
    free(p->e);
    memset(p, 0, sizeof(*p));
}

/* The body of the page at path; fails the test when there is none. */
static const char *body(const struct pages *p, const char *path)
{
    const struct page *pg = find_page(p, path);
    if (!pg)
        fail_msg("no page at %s", path);
    return pg->body;
}

static bool is_html(const struct page *pg)
{
    return strncmp(pg->type, "text/html", 9) == 0;
}

static bool is_json(const struct page *pg)
{
    return strcmp(pg->type, "application/json") == 0;
}

static void assert_contains(const char *hay, const char *needle, const char *where)
{
    if (!strstr(hay, needle))
        fail_msg("%s lacks \"%s\"", where, needle);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, l = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + l, needle))
        n++;
    return n;
}

static json_t *parse(const char *path, const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        fail_msg("%s is no JSON: %s (line %d)", path, je.text, je.line);
    return j;
}

/* ---- fixture -------------------------------------------------------------------------- */

struct fix {
    struct tmpdb db;
    struct nb_store *s;
    int64_t office;
    struct nb_tpl_set *tpl;
    json_t *site;
};

/* The built-in templates, as the app loads them, except the one named skip (may be NULL). */
static struct nb_tpl_set *builtin_set(const char *skip)
{
    struct nb_tpl_set *set = nb_tpl_set_new();
    assert_non_null(set);
    size_t added = 0;
    for (unsigned i = 0; i < nb_resources_count; i++) {
        const struct nb_resource *r = &nb_resources[i];
        size_t nl = strlen(r->name);
        if (strncmp(r->name, "templates/", 10) != 0 || nl < 10 + 9 ||
            strcmp(r->name + nl - 9, ".mustache") != 0)
            continue;
        char name[128];
        snprintf(name, sizeof(name), "%.*s", (int)(nl - 10 - 9), r->name + 10);
        if (skip && strcmp(name, skip) == 0)
            continue;
        struct nb_buf msg;
        nb_buf_init(&msg, 1024);
        if (nb_tpl_set_add(set, name, r->data, r->len, &msg) != NB_OK)
            fail_msg("built-in template %s: %s", name, msg.ptr ? msg.ptr : "?");
        nb_buf_free(&msg);
        added++;
    }
    assert_true(added >= 10);
    if (skip)
        assert_null(nb_tpl_set_get(set, skip));
    return set;
}

static void reload(struct fix *f)
{
    json_decref(f->site);
    f->site = NULL;
    assert_int_equal(nb_site_load(f->s, NB_DEMO_SLUG, &f->site), NB_OK);
    assert_non_null(f->site);
}

static int group_setup(void **state)
{
    (void)state;
    return nb_i18n_init() == NB_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    nb_i18n_fini();
    return 0;
}

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));
    if (!f || tmpdb_make(&f->db) != 0 || nb_store_open(f->db.path, &f->s) != NB_OK ||
        nb_demo_create(f->s) != NB_OK ||
        nb_office_id_by_slug(f->s, NB_STR(NB_DEMO_SLUG), &f->office) != NB_OK ||
        nb_site_load(f->s, NB_DEMO_SLUG, &f->site) != NB_OK)
        return -1;
    f->tpl = builtin_set(NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    json_decref(f->site);
    nb_tpl_set_free(&f->tpl);
    nb_store_close(&f->s);
    tmpdb_remove(&f->db);
    free(f);
    return 0;
}

/* Renders the office at base and now into p; returns next_change. */
static int64_t render_at(struct fix *f, const char *base, int64_t now, struct pages *p)
{
    memset(p, 0, sizeof(*p));
    const struct nb_site_out out = {collect_page, collect_error, p};
    int64_t next = 0;
    enum nb_err err = nb_site_render(f->tpl, f->site, base, now, &out, &next);
    if (err != NB_OK)
        fail_msg("nb_site_render at %lld: error %d", (long long)now, (int)err);
    assert_true(p->n > 0);
    return next;
}

static int64_t render(struct fix *f, int64_t now, struct pages *p)
{
    return render_at(f, "", now, p);
}

/* The "reach" object of the home page's JSON twin (path "/index.json" or "/en/index.json"). */
static json_t *reach_json(const struct pages *p, const char *json_path)
{
    json_t *j = parse(json_path, body(p, json_path));
    json_t *r = json_incref(json_object_get(j, "reach"));
    json_decref(j);
    if (!r)
        fail_msg("%s has no reach", json_path);
    return r;
}

/* Asserts what the front page says in both languages at now, the instant of the next
 * opening in the JSON ("" when open) and next_change. */
static void check_reach(struct fix *f, int64_t now, const char *de, const char *en,
                        const char *next_iso, int64_t next_change)
{
    struct pages p;
    int64_t next = render(f, now, &p);
    char where[64];
    snprintf(where, sizeof(where), "/ at %lld", (long long)now);
    assert_contains(body(&p, "/"), de, where);
    snprintf(where, sizeof(where), "/en/ at %lld", (long long)now);
    assert_contains(body(&p, "/en/"), en, where);
    /* The contact page shows every department's state; the first one is the front page's. */
    assert_contains(body(&p, "/kontakt"), de, "/kontakt");
    assert_contains(body(&p, "/en/kontakt"), en, "/en/kontakt");

    json_t *r = reach_json(&p, "/index.json");
    assert_string_equal(json_string_value(json_object_get(r, "text")), de);
    bool open = next_iso[0] == '\0';
    assert_true(json_is_true(json_object_get(r, "open")) == open);
    if (!open)
        assert_string_equal(json_string_value(json_object_get(r, "next")), next_iso);
    else
        assert_null(json_object_get(r, "next"));
    json_decref(r);
    r = reach_json(&p, "/en/index.json");
    assert_string_equal(json_string_value(json_object_get(r, "text")), en);
    json_decref(r);
    if (next != next_change)
        fail_msg("at %lld: next_change %lld, expected %lld", (long long)now, (long long)next,
                 (long long)next_change);
    pages_free(&p);
}

/* ---- reachability --------------------------------------------------------------------- */

/* Tuesday 16.11.2021 (CET, UTC+1): 09:00-12:00 and 13:00-15:00. */
static void test_reach_tuesday(void **state)
{
    struct fix *f = *state;
    const int64_t t1000 = 1637053200; /* 10:00 local = 09:00 UTC */
    /* Open; the answer changes when the morning hours end (11:00 UTC). */
    check_reach(f, t1000, "Jetzt erreichbar bis 12:00 Uhr.", "Open now until 12:00.", "",
                1637060400);
    /* At that instant: closed, open again this afternoon (12:00 UTC). */
    check_reach(f, 1637060400, "Geschlossen. Wieder erreichbar heute um 13:00 Uhr.",
                "Closed. Reachable again today at 13:00.", "2021-11-16T12:00:00Z", 1637064000);
    check_reach(f, 1637064000, "Jetzt erreichbar bis 15:00 Uhr.", "Open now until 15:00.", "",
                1637071200);
    /* 15:00 local: Wednesday 09:00 is next, but local midnight (23:00 UTC) comes first, when
     * "heute"/"morgen" and the week table's "today" change. */
    check_reach(f, 1637071200, "Geschlossen. Wieder erreichbar morgen um 09:00 Uhr.",
                "Closed. Reachable again tomorrow at 09:00.", "2021-11-17T08:00:00Z", 1637103600);
    /* One second before the end of the morning hours: still open. */
    check_reach(f, 1637060399, "Jetzt erreichbar bis 12:00 Uhr.", "Open now until 12:00.", "",
                1637060400);
}

/* Thursday 18.11.2021 15:00 local: closed until Monday. */
static void test_reach_thursday(void **state)
{
    struct fix *f = *state;
    check_reach(f, 1637244000, "Geschlossen. Wieder erreichbar am Montag um 09:00 Uhr.",
                "Closed. Reachable again on Monday at 09:00.", "2021-11-22T08:00:00Z",
                1637276400 /* midnight, 2021-11-18T23:00Z */);
    /* The office's own exception: closed on Thursday 30.12.2021, so from Wednesday noon the
     * next opening is Monday 03.01.2022, five days later. */
    check_reach(f, 1640775600 /* Wed 29.12.2021 12:00 CET */,
                "Geschlossen. Wieder erreichbar am Montag um 09:00 Uhr.",
                "Closed. Reachable again on Monday at 09:00.", "2022-01-03T08:00:00Z",
                1640818800 /* 2021-12-29T23:00Z */);
    /* Friday 24.12.2021 (not a holiday) after the hours: Monday 27.12. */
    check_reach(f, 1640358000 /* Fri 24.12.2021 16:00 CET */,
                "Geschlossen. Wieder erreichbar am Montag um 09:00 Uhr.",
                "Closed. Reachable again on Monday at 09:00.", "2021-12-27T08:00:00Z",
                1640386800 /* 2021-12-24T23:00Z */);
}

/* Exceptions of the first department (the front page's): closed days push the next opening
 * a week or more ahead, which shows its date; an opening on a holiday counts. */
static void test_reach_exceptions(void **state)
{
    struct fix *f = *state;
    /* A copy: reload() frees the document it points into. */
    char dept[128];
    const char *slug = json_string_value(
        json_object_get(json_array_get(json_object_get(f->site, "departments"), 0), "slug"));
    assert_non_null(slug);
    snprintf(dept, sizeof(dept), "%s", slug);
    const char *closed_days[] = {"2021-12-27", "2021-12-28", "2021-12-29"};
    for (size_t i = 0; i < 3; i++) {
        const struct nb_store_hours_exception e = {.date = nb_str_c(closed_days[i]),
                                                   .closed = true};
        assert_int_equal(
            nb_hours_store_set_exception(f->s, f->office, nb_str_c(dept), &e, 1640000000), NB_OK);
    }
    reload(f);
    /* Friday 24.12.2021 16:00 CET: 27.-30.12. closed, the next opening is ten days ahead. */
    check_reach(f, 1640358000,
                "Geschlossen. Wieder erreichbar am Montag, 03.01.2022, um 09:00 Uhr.",
                "Closed. Reachable again on Monday, 2022-01-03, at 09:00.", "2022-01-03T08:00:00Z",
                1640386800);

    /* Open on Christmas Day (a Saturday and a holiday) 10:00-12:00. */
    const struct nb_store_slot slot = {NB_STR("phone"), 0, 600, 720};
    const struct nb_store_lang_text note = {NB_STR("de"), NB_STR("Notdienst an Weihnachten")};
    const struct nb_store_hours_exception open = {
        .date = NB_STR("2021-12-25"), .slots = &slot, .nslots = 1, .notes = &note, .nnotes = 1};
    assert_int_equal(
        nb_hours_store_set_exception(f->s, f->office, nb_str_c(dept), &open, 1640000001), NB_OK);
    reload(f);
    check_reach(f, 1640358000, "Geschlossen. Wieder erreichbar morgen um 10:00 Uhr.",
                "Closed. Reachable again tomorrow at 10:00.", "2021-12-25T09:00:00Z", 1640386800);
    check_reach(f, 1640426400 /* Sat 25.12.2021 11:00 CET */, "Jetzt erreichbar bis 12:00 Uhr.",
                "Open now until 12:00.", "", 1640430000);
    struct pages p;
    (void)render(f, 1640426400, &p);
    assert_contains(body(&p, "/kontakt"), "Notdienst an Weihnachten", "/kontakt");
    /* The English page falls back to the German note. */
    assert_contains(body(&p, "/en/kontakt"), "Notdienst an Weihnachten", "/en/kontakt");
    pages_free(&p);
}

/* Good Friday 15.04.2022 18:00 CEST: Easter Monday is a holiday, next is Tuesday. */
static void test_reach_holiday_weekend(void **state)
{
    struct fix *f = *state;
    check_reach(f, 1650038400, "Geschlossen. Wieder erreichbar am Dienstag um 09:00 Uhr.",
                "Closed. Reachable again on Tuesday at 09:00.", "2022-04-19T07:00:00Z",
                1650060000 /* 2022-04-15T22:00Z, local midnight in summer time */);
    /* Maundy Thursday afternoon already points past the long weekend. */
    check_reach(f, 1649941200 /* Thu 14.04.2022 15:00 CEST */,
                "Geschlossen. Wieder erreichbar am Dienstag um 09:00 Uhr.",
                "Closed. Reachable again on Tuesday at 09:00.", "2022-04-19T07:00:00Z", 1649973600);
    /* Easter Monday at 10:00, an ordinary Monday's opening hour: closed. */
    check_reach(f, 1650268800 /* Mon 18.04.2022 10:00 CEST */,
                "Geschlossen. Wieder erreichbar morgen um 09:00 Uhr.",
                "Closed. Reachable again tomorrow at 09:00.", "2022-04-19T07:00:00Z", 1650319200);
    struct pages p;
    (void)render(f, 1650038400, &p);
    assert_contains(body(&p, "/kontakt"), "Karfreitag", "/kontakt in Easter week");
    assert_contains(body(&p, "/en/kontakt"), "Good Friday", "/en/kontakt in Easter week");
    pages_free(&p);
}

/* Reformationstag (31 October) is a holiday in MV: on a Sunday in 2021, on a Monday in
 * 2022, both on the weekend summer time ends. */
static void test_reach_reformationstag(void **state)
{
    struct fix *f = *state;
    /* Sunday 31.10.2021 12:00 CET: Monday 01.11. (no holiday in MV) 09:00 CET. */
    check_reach(f, 1635678000, "Geschlossen. Wieder erreichbar morgen um 09:00 Uhr.",
                "Closed. Reachable again tomorrow at 09:00.", "2021-11-01T08:00:00Z",
                1635721200 /* 2021-10-31T23:00Z */);
    struct pages p;
    (void)render(f, 1635678000, &p);
    assert_contains(body(&p, "/kontakt"), "Reformationstag", "/kontakt on 31.10.2021");
    assert_contains(body(&p, "/en/kontakt"), "Reformation Day", "/en/kontakt on 31.10.2021");
    pages_free(&p);

    /* Thursday 27.10.2022 15:00 CEST: Monday 31.10. is skipped, Tuesday 09:00 CET. */
    check_reach(f, 1666875600, "Geschlossen. Wieder erreichbar am Dienstag um 09:00 Uhr.",
                "Closed. Reachable again on Tuesday at 09:00.", "2022-11-01T08:00:00Z",
                1666908000 /* 2022-10-27T22:00Z */);
    /* Sunday 30.10.2022 12:00 CET. */
    check_reach(f, 1667127600, "Geschlossen. Wieder erreichbar am Dienstag um 09:00 Uhr.",
                "Closed. Reachable again on Tuesday at 09:00.", "2022-11-01T08:00:00Z",
                1667170800 /* 2022-10-30T23:00Z */);
    /* Monday 31.10.2022 10:00 CET: inside the usual hours, but a holiday. */
    check_reach(f, 1667206800, "Geschlossen. Wieder erreichbar morgen um 09:00 Uhr.",
                "Closed. Reachable again tomorrow at 09:00.", "2022-11-01T08:00:00Z",
                1667257200 /* 2022-10-31T23:00Z */);
    (void)render(f, 1667206800, &p);
    assert_contains(body(&p, "/kontakt"), "Reformationstag", "/kontakt on 31.10.2022");
    pages_free(&p);
}

/* Following next_change from instant to instant across the end of summer time 2021 (Sunday
 * 31.10., 03:00 CEST -> 02:00 CET) and its start 2022 (Sunday 27.03., 02:00 CET -> 03:00
 * CEST): every instant is the next local midnight or the next change of the hours, in
 * UTC. */
static void walk(struct fix *f, int64_t start, const int64_t *expected, size_t n)
{
    int64_t now = start;
    for (size_t i = 0; i < n; i++) {
        struct pages p;
        int64_t next = render(f, now, &p);
        pages_free(&p);
        if (next != expected[i])
            fail_msg("step %zu from %lld: next_change %lld, expected %lld", i, (long long)now,
                     (long long)next, (long long)expected[i]);
        assert_true(next > now);
        now = next;
    }
}

static void test_next_change_dst(void **state)
{
    struct fix *f = *state;
    /* From Thursday 28.10.2021 14:00 CEST. */
    const int64_t autumn[] = {
        1635426000, /* Thu 15:00 CEST = 13:00Z: phone hours end */
        1635458400, /* Fri 00:00 CEST = Thu 22:00Z */
        1635544800, /* Sat 00:00 CEST = Fri 22:00Z */
        1635631200, /* Sun 00:00 CEST = Sat 22:00Z */
        1635721200, /* Mon 00:00 CET = Sun 23:00Z: the day had 25 hours */
        1635753600, /* Mon 09:00 CET = 08:00Z: opens */
        1635764400, /* Mon 12:00 CET = 11:00Z: closes */
        1635807600, /* Tue 00:00 CET = Mon 23:00Z */
    };
    walk(f, 1635422400, autumn, sizeof(autumn) / sizeof(autumn[0]));
    assert_int_equal(autumn[4] - autumn[3], 25 * 3600);

    /* From Thursday 24.03.2022 14:30 CET. */
    const int64_t spring[] = {
        1648130400, /* Thu 15:00 CET = 14:00Z */
        1648162800, /* Fri 00:00 CET = Thu 23:00Z */
        1648249200, /* Sat 00:00 CET = Fri 23:00Z */
        1648335600, /* Sun 00:00 CET = Sat 23:00Z */
        1648418400, /* Mon 00:00 CEST = Sun 22:00Z: the day had 23 hours */
        1648450800, /* Mon 09:00 CEST = 07:00Z */
        1648461600, /* Mon 12:00 CEST = 10:00Z */
    };
    walk(f, 1648128600, spring, sizeof(spring) / sizeof(spring[0]));
    assert_int_equal(spring[4] - spring[3], 23 * 3600);

    /* Thursday 28.10.2021 15:00 CEST: the next opening is after the switch, 09:00 CET. */
    check_reach(f, 1635426000, "Geschlossen. Wieder erreichbar am Montag um 09:00 Uhr.",
                "Closed. Reachable again on Monday at 09:00.", "2021-11-01T08:00:00Z", 1635458400);
}

/* ---- pages ---------------------------------------------------------------------------- */

static bool has_key_t(json_t *j)
{
    const char *k;
    json_t *v;
    size_t i;
    if (json_is_object(j)) {
        json_object_foreach(j, k, v)
        {
            if (strcmp(k, "t") == 0 || has_key_t(v))
                return true;
        }
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        {
            if (has_key_t(v))
                return true;
        }
    }
    return false;
}

/* The JSON twin's path of an HTML page. */
static void twin_path(const char *html, char *out, size_t n)
{
    size_t l = strlen(html);
    if (l > 0 && html[l - 1] == '/')
        snprintf(out, n, "%sindex.json", html);
    else
        snprintf(out, n, "%s.json", html);
}

static void check_twins(const struct pages *p, const char *base, const char *slug)
{
    size_t nhtml = 0, njson = 0;
    size_t blen = strlen(base);
    for (size_t i = 0; i < p->n; i++) {
        const struct page *pg = &p->v[i];
        if (strncmp(pg->path, base, blen) != 0 || pg->path[blen] != '/')
            fail_msg("page %s is not below %s/", pg->path, base);
        bool en = strncmp(pg->path + blen, "/en/", 4) == 0;
        if (is_html(pg)) {
            nhtml++;
            assert_int_equal(pg->neg, NB_SNAPSHOT_HTML);
            assert_non_null(pg->lang);
            assert_string_equal(pg->lang, en ? "en" : "de");
            char tp[1100];
            twin_path(pg->path, tp, sizeof(tp));
            const struct page *tw = find_page(p, tp);
            if (!tw || !is_json(tw))
                fail_msg("HTML page %s has no JSON twin %s", pg->path, tp);
            assert_contains(pg->body, "<html", pg->path);
            assert_contains(pg->body, "</html>", pg->path);
        } else if (is_json(pg)) {
            njson++;
            assert_int_equal(pg->neg, NB_SNAPSHOT_JSON_TWIN);
            json_t *j = parse(pg->path, pg->body);
            json_t *office = json_object_get(j, "office");
            if (!json_is_object(office))
                fail_msg("%s has no office", pg->path);
            assert_string_equal(json_string_value(json_object_get(office, "slug")), slug);
            const char *lang = json_string_value(json_object_get(j, "lang"));
            if (!lang)
                fail_msg("%s has no lang", pg->path);
            assert_string_equal(lang, en ? "en" : "de");
            if (has_key_t(j))
                fail_msg("%s holds the text catalog (key \"t\")", pg->path);
            /* A page names its own JSON address. */
            const char *self =
                json_string_value(json_object_get(json_object_get(j, "page"), "json"));
            if (self)
                assert_string_equal(self, pg->path);
            json_decref(j);
        }
    }
    assert_int_equal(nhtml, njson);
    assert_true(nhtml >= 20);

    /* Error pages: every status in both languages, as HTML and as JSON. */
    const unsigned statuses[] = {400, 404, 405, 413, 414, 431, 500, 503};
    assert_int_equal(p->ne, 2 * 2 * sizeof(statuses) / sizeof(statuses[0]));
    for (size_t i = 0; i < p->ne; i++) {
        if (!p->e[i].json) {
            assert_contains(p->e[i].body, "</html>", "error page");
            continue;
        }
        json_t *j = parse("error page", p->e[i].body);
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(j, "office"), "slug")), slug);
        assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "error"), "status")),
                         p->e[i].status);
        assert_string_equal(json_string_value(json_object_get(j, "lang")),
                            nb_lang_code(p->e[i].lang));
        assert_false(has_key_t(j));
        json_decref(j);
    }
}

static void test_twins(void **state)
{
    struct fix *f = *state;
    struct pages p;
    (void)render(f, 1637053200, &p);
    check_twins(&p, "", NB_DEMO_SLUG);

    /* The pages of the demo, in both languages. */
    const char *expected[] = {
        "/",
        "/index.json",
        "/en/",
        "/en/index.json",
        "/presse",
        "/presse/2021-kw50",
        "/presse/2021-kw42.json",
        "/en/presse/2021-kw50",
        "/meldung/it-sicherheitsvorfall",
        "/meldung/it-sicherheitsvorfall/de",
        "/meldung/it-sicherheitsvorfall/de-x-ls",
        "/en/meldung/it-sicherheitsvorfall/en.json",
        "/meldung/it-sicherheitsvorfall/versionen",
        "/meldung/it-sicherheitsvorfall/versionen/de-3",
        "/meldung/it-sicherheitsvorfall/versionen/de-1.json",
        "/meldung/datenschutz-erstinformation",
        "/leistungen",
        "/kontakt",
        "/vorsicht-betrug",
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit.json",
        "/en/barrierefreiheit",
        "/feed.atom",
        "/en/feed.atom",
        "/static/site.css",
    };
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
        if (!find_page(&p, expected[i]))
            fail_msg("no page %s", expected[i]);
    const struct page *css = find_page(&p, "/static/site.css");
    assert_string_equal(css->type, "text/css; charset=utf-8");
    assert_null(css->lang);

    /* The language switch of a page points at the same page in the other language. */
    assert_contains(body(&p, "/leistungen"), "href=\"/en/leistungen\"", "/leistungen");
    assert_contains(body(&p, "/en/leistungen"), "href=\"/leistungen\"", "/en/leistungen");
    pages_free(&p);
}

/* An office served under "/slug": every path below it, twins and all. */
static void test_base_path(void **state)
{
    struct fix *f = *state;
    struct pages p;
    (void)render_at(f, "/" NB_DEMO_SLUG, 1637053200, &p);
    check_twins(&p, "/" NB_DEMO_SLUG, NB_DEMO_SLUG);
    assert_contains(body(&p, "/kranichmoor/"), "Jetzt erreichbar bis 12:00 Uhr.", "/kranichmoor/");
    assert_non_null(find_page(&p, "/kranichmoor/index.json"));
    assert_non_null(find_page(&p, "/kranichmoor/en/index.json"));
    assert_non_null(find_page(&p, "/kranichmoor/static/site.css"));
    assert_contains(body(&p, "/kranichmoor/"), "href=\"/kranichmoor/static/site.css\"",
                    "/kranichmoor/");
    pages_free(&p);
}

/* ---- escaping ------------------------------------------------------------------------- */

#define NASTY "<script>&\"'"
#define NASTY_ESCAPED "&lt;script&gt;&amp;&quot;&#39;"

static void test_escaping(void **state)
{
    struct fix *f = *state;
    const char *name = "Amt " NASTY " Kranichmoor";
    const struct nb_store_office o = {
        NB_STR(NB_DEMO_SLUG), nb_str_c(name), NB_STR("MV"), {NULL, 0}};
    assert_int_equal(nb_office_update(f->s, f->office, &o, 1640300000), NB_OK);
    reload(f);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(f->site, "office"), "name")), name);

    struct pages p;
    (void)render(f, 1640300000, &p);
    size_t checked = 0;
    for (size_t i = 0; i < p.n; i++) {
        const struct page *pg = &p.v[i];
        if (is_json(pg)) {
            /* JSON carries the name as it is, through the serialiser. */
            json_t *j = parse(pg->path, pg->body);
            assert_string_equal(
                json_string_value(json_object_get(json_object_get(j, "office"), "name")), name);
            json_decref(j);
            continue;
        }
        if (!is_html(pg) && strncmp(pg->type, "application/atom+xml", 20) != 0)
            continue;
        if (strstr(pg->body, NASTY))
            fail_msg("%s holds the office name unescaped", pg->path);
        assert_contains(pg->body, NASTY_ESCAPED, pg->path);
        checked++;
    }
    assert_true(checked >= 20);
    for (size_t i = 0; i < p.ne; i++)
        if (!p.e[i].json) {
            if (strstr(p.e[i].body, NASTY))
                fail_msg("error page %u holds the office name unescaped", p.e[i].status);
            assert_contains(p.e[i].body, NASTY_ESCAPED, "error page");
        }
    pages_free(&p);
}

/* A second office with nothing but a name, served under its slug: its pages render (no
 * departments: no reachability) and escape its name too. */
static void test_empty_office(void **state)
{
    struct fix *f = *state;
    const struct nb_store_office o = {
        NB_STR("leer"), NB_STR("Amt <b>Leer</b> & \"Söhne\""), NB_STR("BE"), {NULL, 0}};
    int64_t id;
    assert_int_equal(nb_office_create(f->s, &o, 1000, &id), NB_OK);
    const struct nb_store_notice_variant v = {NB_STR("de"), NB_STR("Titel <i>kursiv</i>"),
                                              NB_STR("Text"), NB_STR("Pressestelle")};
    const struct nb_store_notice n = {.slug = NB_STR("hinweis"), .pinned = true};
    assert_int_equal(nb_notice_create(f->s, id, &n, 2000), NB_OK);
    assert_int_equal(nb_notice_publish(f->s, id, n.slug, &v, 2000, NULL), NB_OK);
    json_t *site = NULL;
    assert_int_equal(nb_site_load(f->s, "leer", &site), NB_OK);
    json_decref(f->site);
    f->site = site;

    struct pages p;
    int64_t next = render_at(f, "/leer", 1637053200, &p);
    check_twins(&p, "/leer", "leer");
    /* Without hours, only the local midnight changes the page. */
    assert_int_equal(next, 1637103600);
    const char *home = body(&p, "/leer/");
    assert_contains(home, "Amt &lt;b&gt;Leer&lt;/b&gt; &amp; &quot;Söhne&quot;", "/leer/");
    assert_contains(home, "Titel &lt;i&gt;kursiv&lt;/i&gt;", "/leer/");
    assert_null(strstr(home, "<b>Leer"));
    assert_null(strstr(home, "<i>kursiv"));
    assert_null(strstr(home, "Jetzt erreichbar"));
    assert_non_null(find_page(&p, "/leer/meldung/hinweis"));
    pages_free(&p);
}

/* ---- Markdown --------------------------------------------------------------------------- */

static void test_markdown_unsafe(void **state)
{
    struct fix *f = *state;
    const char *md = "Vor dem Skript.\n"
                     "\n"
                     "<script>alert(1)</script>\n"
                     "\n"
                     "Im Satz <script>alert(1)</script> und [x](javascript:alert(1)) und "
                     "<img src=x onerror=alert(1)> und [y](JAVASCRIPT:alert(1)).\n"
                     "\n"
                     "<div onclick=\"alert(1)\">Block</div>\n";
    const struct nb_store_notice n = {.slug = NB_STR("skript"), .pinned = true};
    assert_int_equal(nb_notice_create(f->s, f->office, &n, 1640300000), NB_OK);
    const struct nb_store_notice_variant de = {NB_STR("de"), NB_STR("Skripttest"), nb_str_c(md),
                                               NB_STR("Test")};
    const struct nb_store_notice_variant en = {NB_STR("en"), NB_STR("Script test"), nb_str_c(md),
                                               NB_STR("Test")};
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &de, 1640300000, NULL), NB_OK);
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &en, 1640300000, NULL), NB_OK);
    /* A second version, so that the history pages show the body too. */
    assert_int_equal(nb_notice_publish(f->s, f->office, n.slug, &de, 1640300100, NULL), NB_OK);
    const struct nb_store_press_text pt = {NB_STR("de"), NB_STR("Presse-Skript"), nb_str_c(md)};
    assert_int_equal(
        nb_press_create(f->s, f->office, NB_STR("skript"), 1640300000, &pt, 1, 1640300000), NB_OK);
    reload(f);

    struct pages p;
    (void)render(f, 1640300200, &p);
    /* The notice is there, with its harmless text and the link text. */
    const char *page = body(&p, "/meldung/skript");
    assert_contains(page, "Vor dem Skript.", "/meldung/skript");
    assert_contains(page, "Im Satz", "/meldung/skript");
    assert_contains(page, ">x</a>", "/meldung/skript"); /* the link text stays, the URL goes */
    assert_contains(body(&p, "/"), "Vor dem Skript.", "/");
    assert_contains(body(&p, "/meldung/skript/versionen/de-1"), "Vor dem Skript.",
                    "/meldung/skript/versionen/de-1");
    assert_contains(body(&p, "/presse/2021-kw51"), "Vor dem Skript.", "/presse/2021-kw51");
    assert_contains(body(&p, "/feed.atom"), "Vor dem Skript.", "/feed.atom");

    const char *bad[] = {"<script", "javascript:", "JAVASCRIPT:", "<img", "onerror=", "onclick="};
    size_t seen = 0;
    for (size_t i = 0; i < p.n; i++) {
        const struct page *pg = &p.v[i];
        if (strcmp(pg->type, "text/css; charset=utf-8") == 0)
            continue;
        for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
            if (strstr(pg->body, bad[k]))
                fail_msg("%s contains \"%s\"", pg->path, bad[k]);
        seen += strstr(pg->body, "Vor dem Skript.") != NULL;
    }
    /* German and English home, notice pages, histories, press, feeds, and their twins. */
    assert_true(seen >= 20);
    pages_free(&p);
}

/* ---- feed ----------------------------------------------------------------------------- */

static void check_feed(const char *path, const char *feed, size_t entries)
{
    if (strncmp(feed, "<?xml version=\"1.0\" encoding=\"utf-8\"?>", 38) != 0)
        fail_msg("%s does not start with the XML declaration", path);
    assert_int_equal(count(feed, "<feed "), 1);
    size_t len = strlen(feed);
    while (len > 0 && (feed[len - 1] == '\n' || feed[len - 1] == ' '))
        len--;
    assert_true(len > 7 && memcmp(feed + len - 7, "</feed>", 7) == 0);
    if (count(feed, "<entry") != entries || count(feed, "</entry>") != entries)
        fail_msg("%s: %zu <entry> and %zu </entry>, expected %zu", path, count(feed, "<entry"),
                 count(feed, "</entry>"), entries);
    /* Markup of the content is escaped: no element but the feed's own. */
    assert_int_equal(count(feed, "<content"), entries);
    assert_int_equal(count(feed, "<p>"), 0);
    /* Balanced tags of every element the feed uses. */
    const char *el[] = {"title", "id", "updated", "content", "author", "name"};
    for (size_t i = 0; i < sizeof(el) / sizeof(el[0]); i++) {
        char open[32], close[32];
        snprintf(open, sizeof(open), "<%s>", el[i]);
        snprintf(close, sizeof(close), "</%s>", el[i]);
        size_t no = count(feed, open), nc = count(feed, close);
        if (strcmp(el[i], "content") == 0)
            no = count(feed, "<content ");
        if (no != nc)
            fail_msg("%s: %zu <%s> but %zu </%s>", path, no, el[i], nc, el[i]);
    }
    /* Newest first: the <updated> of the entries do not increase (RFC 3339 in UTC sorts as
     * text), and every entry id is unique. */
    char prev[32] = "9999";
    const char *e = feed;
    size_t n = 0;
    while ((e = strstr(e, "<entry")) != NULL) {
        const char *end = strstr(e, "</entry>");
        assert_non_null(end);
        const char *u = strstr(e, "<updated>");
        assert_true(u && u < end);
        char cur[32];
        snprintf(cur, sizeof(cur), "%.20s", u + 9);
        if (strcmp(cur, prev) > 0)
            fail_msg("%s: entry %zu (%s) is newer than the one before (%s)", path, n, cur, prev);
        memcpy(prev, cur, sizeof(prev));
        const char *id = strstr(e, "<id>");
        assert_true(id && id < end);
        const char *id_end = strstr(id, "</id>");
        char needle[300];
        snprintf(needle, sizeof(needle), "%.*s", (int)(id_end - id + 5), id);
        if (count(feed, needle) != 1)
            fail_msg("%s: id %s is not unique", path, needle);
        e = end;
        n++;
    }
    assert_int_equal(n, entries);
}

static void test_feed(void **state)
{
    struct fix *f = *state;
    size_t expected = json_array_size(json_object_get(f->site, "press"));
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(f->site, "notices"), i, n)
    {
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(n, "variants"), k, v)
        {
            expected += json_array_size(json_object_get(v, "versions"));
        }
    }
    assert_true(expected > 9 + 3 * 3); /* press updates, and notices with histories */

    struct pages p;
    (void)render(f, 1640300000, &p);
    const struct page *de = find_page(&p, "/feed.atom"), *en = find_page(&p, "/en/feed.atom");
    assert_non_null(de);
    assert_non_null(en);
    assert_string_equal(de->type, "application/atom+xml; charset=utf-8");
    assert_int_equal(de->neg, NB_SNAPSHOT_ENCODING);
    check_feed(de->path, de->body, expected);
    check_feed(en->path, en->body, expected);
    assert_contains(de->body, "xml:lang=\"de\"", "/feed.atom");
    assert_contains(en->body, "xml:lang=\"en\"", "/en/feed.atom");
    assert_contains(de->body,
                    "<link rel=\"self\" type=\"application/atom+xml\" href=\"/feed.atom\"/>",
                    "/feed.atom");
    /* The feed's own <updated> is the newest entry's: the incident notice of 23.12.2021. */
    assert_contains(de->body, "<updated>2021-12-23T09:00:00Z</updated>", "/feed.atom");
    pages_free(&p);
}

/* ---- failures ------------------------------------------------------------------------- */

static void test_missing_template(void **state)
{
    struct fix *f = *state;
    const char *names[] = {"index",    "notice",  "history", "press", "press_week",
                           "services", "contact", "page",    "feed",  "error"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct nb_tpl_set *set = builtin_set(names[i]);
        struct pages p = {0};
        const struct nb_site_out out = {collect_page, collect_error, &p};
        int64_t next = 0;
        enum nb_err err = nb_site_render(set, f->site, "", 1637053200, &out, &next);
        if (err != NB_ERR_INPUT)
            fail_msg("without template %s: error %d, expected NB_ERR_INPUT", names[i], (int)err);
        pages_free(&p);
        nb_tpl_set_free(&set);
        assert_null(set);
    }
    /* An empty set, and no set at all. */
    struct nb_tpl_set *empty = nb_tpl_set_new();
    struct pages p = {0};
    const struct nb_site_out out = {collect_page, collect_error, &p};
    int64_t next;
    assert_int_equal(nb_site_render(empty, f->site, "", 1637053200, &out, &next), NB_ERR_INPUT);
    pages_free(&p);
    assert_int_equal(nb_site_render(NULL, f->site, "", 1637053200, &out, &next), NB_ERR_INPUT);
    pages_free(&p);
    nb_tpl_set_free(&empty);
}

static void test_bad_input(void **state)
{
    struct fix *f = *state;
    struct pages p = {0};
    const struct nb_site_out out = {collect_page, collect_error, &p};
    int64_t next;
    /* Content without an office. */
    json_t *bad = json_pack("{s:i}", "changed_at", 1);
    assert_int_equal(nb_site_render(f->tpl, bad, "", 1637053200, &out, &next), NB_ERR_INPUT);
    json_decref(bad);
    assert_int_equal(p.n, 0);
    /* A base longer than any slug. */
    char base[200];
    memset(base, 'a', sizeof(base) - 1);
    base[0] = '/';
    base[sizeof(base) - 1] = '\0';
    assert_int_equal(nb_site_render(f->tpl, f->site, base, 1637053200, &out, &next), NB_ERR_INPUT);
    assert_int_equal(p.n, 0);

    /* An error of the output ends the rendering with that error. */
    p.fail_after = 5;
    assert_int_equal(nb_site_render(f->tpl, f->site, "", 1637053200, &out, &next), NB_ERR_LIMIT);
    assert_int_equal(p.n, 5);
    pages_free(&p);

    /* The site document is not changed by rendering. */
    json_t *copy = json_deep_copy(f->site);
    (void)render(f, 1637053200, &p);
    pages_free(&p);
    assert_true(json_equal(copy, f->site));
    json_decref(copy);
}

/* jansson's allocations during a render, counted; the one numbered fail_at fails. */
static size_t alloc_count, alloc_fail_at;

static void *counting_malloc(size_t n)
{
    if (++alloc_count == alloc_fail_at)
        return NULL;
    return malloc(n);
}

/* A failed allocation while building a view model fails the render: a render is either
 * complete, byte for byte the same as without the failure, or an error. Never a page with
 * a field silently missing. */
static void test_model_alloc_failure(void **state)
{
    struct fix *f = *state;
    struct pages ref;
    alloc_count = 0;
    alloc_fail_at = 0;
    json_set_alloc_funcs(counting_malloc, free);
    (void)render(f, 1637053200, &ref);
    size_t total = alloc_count;
    assert_true(total > 1000);
    /* A spread of allocations across the whole render, the first ones included. */
    size_t failed = 0, step = total / 12 + 1;
    for (size_t at = 1; at <= total; at += at < 8 ? 1 : step) {
        struct pages p = {0};
        const struct nb_site_out out = {collect_page, collect_error, &p};
        int64_t next;
        alloc_count = 0;
        alloc_fail_at = at;
        enum nb_err err = nb_site_render(f->tpl, f->site, "", 1637053200, &out, &next);
        alloc_fail_at = 0;
        if (err != NB_OK) {
            assert_int_equal(err, NB_ERR_NOMEM);
            failed++;
        } else {
            assert_int_equal(p.n, ref.n);
            for (size_t i = 0; i < p.n; i++) {
                assert_string_equal(p.v[i].path, ref.v[i].path);
                if (p.v[i].len != ref.v[i].len || memcmp(p.v[i].body, ref.v[i].body, p.v[i].len))
                    fail_msg("allocation %zu failed: %s differs", at, p.v[i].path);
            }
        }
        pages_free(&p);
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(failed > 0);
    pages_free(&ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reach_tuesday, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reach_thursday, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reach_exceptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reach_holiday_weekend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reach_reformationstag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_change_dst, setup, teardown),
        cmocka_unit_test_setup_teardown(test_twins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_base_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_office, setup, teardown),
        cmocka_unit_test_setup_teardown(test_markdown_unsafe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_template, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_model_alloc_failure, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
