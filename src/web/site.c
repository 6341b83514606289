/* site.c: view models of the public pages, rendered through templates and as JSON.
 *
 * One struct render carries what every page needs (language, URL prefix, the office's
 * common model); each page function builds its own model on top, then emit() renders it
 * twice. Content with language variants is picked for the page language, falling back to
 * German, then to any language present. Markdown becomes HTML here (view/markdown), and
 * only there is HTML inserted raw ({{{...}}}) by the templates. */
#include "web/site.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "base/holiday.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/hours.h"
#include "view/markdown.h"
#include "base/resource.h"
#include "view/template.h"
#include "web/snapshot.h"

struct render {
    const struct nb_tpl_set *tpl;
    json_t *site;
    const char *base;
    int64_t now;
    const struct nb_site_out *out;
    int64_t next_change;
    enum nb_lang lang;
    const char *code;             /* "de" or "en" */
    char prefix[NB_SLUG_MAX + 8]; /* base + "/en" for English */
    json_t *common;               /* the parts of the model every page shares */
    bool failed;                  /* a model could not be built completely (see set()) */
};

/* ---- building models ------------------------------------------------------------------- */

/* jansson reports a failed allocation (or a string that is not UTF-8) with a NULL value or
 * a non-zero result. Models are built only through these, which record it in r->failed;
 * emit() and the other writers then fail the render instead of publishing a page with a
 * field missing. set() and append() take v's reference also when they fail (jansson
 * releases it), set_ref() borrows it; a NULL object or value counts as a failure. */
static void set(struct render *r, json_t *o, const char *key, json_t *v)
{
    if (json_object_set_new(o, key, v) != 0)
        r->failed = true;
}

static void set_ref(struct render *r, json_t *o, const char *key, json_t *v)
{
    set(r, o, key, json_incref(v));
}

static void append(struct render *r, json_t *a, json_t *v)
{
    if (json_array_append_new(a, v) != 0)
        r->failed = true;
}

/* Records a value that the caller uses without set() or append(); returns it. */
static json_t *need(struct render *r, json_t *v)
{
    if (!v)
        r->failed = true;
    return v;
}

/* ---- small helpers ---------------------------------------------------------------------- */

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static json_int_t num(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* The value of a {lang: value} object for the page language: that language, else German,
 * else the first one present. NULL when the object is empty or absent. */
static json_t *pick(json_t *by_lang, const char *code, const char **picked)
{
    const char *order[] = {code, "de"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(by_lang, order[i]);
        if (v) {
            if (picked)
                *picked = order[i];
            return v;
        }
    }
    const char *k;
    json_t *v;
    json_object_foreach(by_lang, k, v)
    {
        if (picked)
            *picked = k;
        return v;
    }
    return NULL;
}

static const char *pick_str(json_t *by_lang, const char *code)
{
    const char *s = json_string_value(pick(by_lang, code, NULL));
    return s ? s : "";
}

/* A text of the catalog, formatted, as a new JSON string. */
static json_t *text(struct render *r, const char *key, ...) __attribute__((sentinel));
static json_t *text(struct render *r, const char *key, ...)
{
    /* Up to three name/value pairs: all our messages need. */
    va_list ap;
    const char *a[6] = {0};
    va_start(ap, key);
    for (int i = 0; i < 6; i++) {
        a[i] = va_arg(ap, const char *);
        if (!a[i])
            break;
    }
    va_end(ap);
    struct nb_buf b;
    nb_buf_init(&b, 4096);
    nb_i18n_format(&b, r->lang, key, a[0], a[1], a[2], a[3], a[4], a[5], (char *)NULL);
    json_t *j = b.err ? NULL : json_string(nb_buf_str(&b).ptr);
    nb_buf_free(&b);
    return need(r, j);
}

static json_t *url(struct render *r, const char *path)
{
    struct nb_buf b;
    nb_buf_init(&b, 4096);
    nb_buf_add_c(&b, r->prefix);
    nb_buf_add_c(&b, path);
    json_t *j = b.err ? NULL : json_string(b.ptr);
    nb_buf_free(&b);
    return need(r, j);
}

/* URL of a path built from parts; each part after the first is percent-encoded. */
static json_t *url2(struct render *r, const char *path, const char *seg, const char *tail)
{
    struct nb_buf b;
    nb_buf_init(&b, 4096);
    nb_buf_add_c(&b, r->prefix);
    nb_buf_add_c(&b, path);
    nb_buf_add_url(&b, nb_str_c(seg));
    if (tail)
        nb_buf_add_c(&b, tail);
    json_t *j = b.err ? NULL : json_string(b.ptr);
    nb_buf_free(&b);
    return need(r, j);
}

static json_t *markdown(struct render *r, const char *md, int shift)
{
    struct nb_buf b;
    nb_buf_init(&b, NB_PAGE_MAX);
    enum nb_err err = nb_markdown_html(nb_str_c(md), shift, &b);
    json_t *j = err != NB_OK ? NULL : json_string(b.ptr ? b.ptr : "");
    nb_buf_free(&b);
    return need(r, j);
}

/* Date and time for people: "15.10.2021, 07:30 Uhr" or "2021-10-15, 07:30". */
static json_t *when_text(struct render *r, int64_t utc, bool with_time)
{
    struct nb_civil_local l;
    nb_civil_berlin_local(utc, &l);
    char d[32], t[16], out[64];
    if (r->lang == NB_LANG_DE)
        nb_civil_fmt_date_de(d, sizeof(d), l.date);
    else
        nb_civil_fmt_date(d, sizeof(d), l.date);
    if (!with_time)
        return need(r, json_string(d));
    nb_civil_fmt_hhmm(t, sizeof(t), l.hour * 60 + l.minute);
    snprintf(out, sizeof(out), r->lang == NB_LANG_DE ? "%s, %s Uhr" : "%s, %s", d, t);
    return need(r, json_string(out));
}

static json_t *iso(int64_t utc)
{
    char b[40];
    nb_civil_fmt_rfc3339(b, sizeof(b), utc);
    return json_string(b);
}

/* Tel URI: the number with spaces, slashes and dashes removed ("+49 3841 1234-0"). */
static json_t *tel_uri(const char *phone)
{
    char b[64];
    size_t n = 0;
    for (const char *p = phone; *p && n < sizeof(b) - 1; p++)
        if ((*p >= '0' && *p <= '9') || (*p == '+' && n == 0))
            b[n++] = *p;
    b[n] = '\0';
    return json_string(b);
}

/* Endonyms of content languages and their writing direction. */
static const struct {
    const char *tag, *label;
    bool rtl;
} content_langs[] = {
    {"de", "Deutsch", false},    {"de-x-ls", "Leichte Sprache", false},
    {"en", "English", false},    {"ar", "العربية", true},
    {"fa", "فارسی", true},       {"he", "עברית", true},
    {"ur", "اردو", true},        {"tr", "Türkçe", false},
    {"uk", "Українська", false}, {"ru", "Русский", false},
    {"pl", "Polski", false},     {"fr", "Français", false},
    {"es", "Español", false},    {"it", "Italiano", false},
};

static const char *lang_label(const char *tag)
{
    for (size_t i = 0; i < sizeof(content_langs) / sizeof(content_langs[0]); i++)
        if (strcmp(content_langs[i].tag, tag) == 0)
            return content_langs[i].label;
    return tag;
}

static const char *lang_dir(const char *tag)
{
    for (size_t i = 0; i < sizeof(content_langs) / sizeof(content_langs[0]); i++)
        if (strcmp(content_langs[i].tag, tag) == 0)
            return content_langs[i].rtl ? "rtl" : "ltr";
    return "ltr";
}

/* Sets lang_attr and dir on o when content language tag differs from the page's. */
static void set_content_lang(struct render *r, json_t *o, const char *tag)
{
    if (strcmp(tag, r->code) != 0)
        set(r, o, "lang_attr", json_string(tag));
    set(r, o, "dir", json_string(lang_dir(tag)));
}

/* ---- emitting ----------------------------------------------------------------------------- */

/* Renders model (which gets the common parts and the catalog) through the template and
 * hands HTML and JSON to the output. rel is the page path below the prefix ("" = home). */
static enum nb_err emit(struct render *r, const char *rel, const char *tpl_name, json_t *model)
{
    enum nb_err err = NB_OK;
    char html_path[1024], json_path[1024];
    bool home = rel[0] == '\0';
    int n1 = snprintf(html_path, sizeof(html_path), "%s%s", r->prefix, home ? "/" : rel);
    int n2 =
        snprintf(json_path, sizeof(json_path), "%s%s%s", r->prefix, home ? "/index" : rel, ".json");
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof(html_path) || (size_t)n2 >= sizeof(json_path))
        return NB_ERR_LIMIT;

    if (json_object_update_missing(model, r->common) != 0)
        r->failed = true;
    json_t *page = json_object_get(model, "page");
    if (page)
        set(r, page, "json", json_string(json_path));

    /* The language switch points at this same page in the other language. */
    json_t *sw = json_array();
    for (unsigned l = 0; l < NB_LANG_COUNT; l++) {
        if (l == (unsigned)r->lang)
            continue;
        char href[1024];
        snprintf(href, sizeof(href), "%s%s%s", r->base, l == NB_LANG_EN ? "/en" : "",
                 home ? "/" : rel);
        append(r, sw,
               json_pack("{s:s, s:s, s:s}", "code", nb_lang_code(l), "label",
                         nb_i18n_get(l, l == NB_LANG_DE ? "lang_de" : "lang_en"), "href", href));
    }
    set(r, model, "lang_switch", sw);
    if (r->failed)
        return NB_ERR_NOMEM; /* never a page with a part of its model missing */

    char *json = json_dumps(model, JSON_COMPACT | JSON_SORT_KEYS);
    if (!json)
        return NB_ERR_NOMEM;

    const struct nb_tpl *t = nb_tpl_set_get(r->tpl, tpl_name);
    struct nb_buf b;
    nb_buf_init(&b, NB_PAGE_MAX);
    if (!t) {
        nb_log_error("site.template", "name=%s error=missing", tpl_name);
        err = NB_ERR_INPUT;
    } else {
        set_ref(r, model, "t", nb_i18n_table(r->lang));
        err = nb_tpl_render(t, r->tpl, model, &b);
        json_object_del(model, "t");
    }
    if (err == NB_OK)
        err = r->out->page(r->out->ctx, html_path, "text/html; charset=utf-8", r->code,
                           NB_SNAPSHOT_HTML, b.ptr, b.len);
    if (err == NB_OK)
        err = r->out->page(r->out->ctx, json_path, "application/json", r->code,
                           NB_SNAPSHOT_JSON_TWIN, json, strlen(json));
    nb_buf_free(&b);
    free(json);
    return err;
}

/* ---- the parts every page shares ---------------------------------------------------------- */

static const struct {
    const char *key, *label, *path;
} nav_main[] =
    {
        {"home", "nav_home", "/"},
        {"services", "nav_services", "/leistungen"},
        {"contact", "nav_contact", "/kontakt"},
        {"press", "nav_press", "/presse"},
        {"phishing", "nav_phishing", "/vorsicht-betrug"},
},
  nav_foot[] = {
      {"imprint", "nav_imprint", "/impressum"},
      {"privacy", "nav_privacy", "/datenschutz"},
      {"accessibility", "nav_accessibility", "/barrierefreiheit"},
      {"feed", "nav_feed", "/feed.atom"},
};

static json_t *nav_list(struct render *r, const char *current, bool foot)
{
    json_t *a = json_array();
    size_t n =
        foot ? sizeof(nav_foot) / sizeof(nav_foot[0]) : sizeof(nav_main) / sizeof(nav_main[0]);
    for (size_t i = 0; i < n; i++) {
        const char *key = foot ? nav_foot[i].key : nav_main[i].key;
        json_t *item = json_object();
        set(r, item, "href", url(r, foot ? nav_foot[i].path : nav_main[i].path));
        set(r, item, "label",
            json_string(nb_i18n_get(r->lang, foot ? nav_foot[i].label : nav_main[i].label)));
        if (current && strcmp(current, key) == 0)
            set(r, item, "current", json_true());
        append(r, a, item);
    }
    return a;
}

/* A page model with its title and navigation; current names the menu entry to mark. */
static json_t *page_model(struct render *r, const char *current, json_t *title)
{
    json_t *m = json_object();
    set(r, m, "page", json_pack("{s:o}", "title", title));
    set(r, m, "nav", nav_list(r, current, false));
    set(r, m, "footer", nav_list(r, current, true));
    return m;
}

/* The ISO week of a press update, as its stable page id "2021-kw50". */
static void week_id(int64_t utc, char *out, size_t n, struct nb_civil_week *w)
{
    struct nb_civil_local l;
    nb_civil_berlin_local(utc, &l);
    *w = nb_civil_iso_week(l.date);
    snprintf(out, n, "%04d-kw%02d", w->year, w->week);
}

static json_t *common_model(struct render *r, json_t *press_latest)
{
    json_t *office = json_object_get(r->site, "office");
    json_t *settings = json_object_get(office, "settings");
    json_t *o = json_pack("{s:s, s:s}", "slug", str(office, "slug"), "name", str(office, "name"));
    const char *phone = str(settings, "phone"), *email = str(settings, "email");
    const char *address = str(settings, "address");
    if (phone[0]) {
        set(r, o, "phone", json_string(phone));
        set(r, o, "phone_uri", tel_uri(phone));
    }
    if (email[0])
        set(r, o, "email", json_string(email));
    if (address[0])
        set(r, o, "address", json_string(address));

    const char *state = str(office, "state");
    char key[32];
    snprintf(key, sizeof(key), "state_%s", state);
    json_t *st = json_pack("{s:s, s:s}", "key", state, "label", nb_i18n_get(r->lang, key));
    int64_t since = num(office, "state_since");
    if (since > 0) {
        json_t *d = when_text(r, since, false);
        set(r, st, "since_text",
            text(r, "state_since", "date", json_string_value(d), (char *)NULL));
        set(r, st, "since_iso", iso(since));
        json_decref(d);
    }
    const char *note = pick_str(json_object_get(office, "state_note"), r->code);
    if (note[0])
        set(r, st, "note", json_string(note));

    int64_t changed = num(r->site, "changed_at");
    json_t *c = json_object();
    set(r, c, "lang", json_string(r->code));
    set(r, c, "office", o);
    set(r, c, "state", st);
    set(r, c, "stand",
        json_pack("{s:o, s:o}", "text", when_text(r, changed, true), "iso", iso(changed)));
    if (press_latest)
        set_ref(r, c, "press_latest", press_latest);
    json_t *urls = json_object();
    static const struct {
        const char *key, *path;
    } u[] = {{"home", "/"},
             {"press", "/presse"},
             {"services", "/leistungen"},
             {"contact", "/kontakt"},
             {"phishing", "/vorsicht-betrug"},
             {"imprint", "/impressum"},
             {"privacy", "/datenschutz"},
             {"accessibility", "/barrierefreiheit"},
             {"feed", "/feed.atom"}};
    for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
        set(r, urls, u[i].key, url(r, u[i].path));
    char css[256];
    snprintf(css, sizeof(css), "%s/static/site.css", r->base);
    set(r, urls, "css", json_string(css));
    set(r, c, "urls", urls);
    return c;
}

/* ---- notices ------------------------------------------------------------------------------ */

/* Variant tags of a notice in a stable order: the known languages first, as listed in
 * content_langs, then any others by tag. Returns the count. */
static size_t variant_order(json_t *variants, const char **tags, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof(content_langs) / sizeof(content_langs[0]) && n < max; i++)
        if (json_object_get(variants, content_langs[i].tag))
            tags[n++] = content_langs[i].tag;
    const char *k;
    json_t *v;
    json_object_foreach(variants, k, v)
    {
        bool known = false;
        for (size_t i = 0; i < n; i++)
            known = known || strcmp(tags[i], k) == 0;
        if (!known && n < max)
            tags[n++] = k;
    }
    return n;
}

static json_t *variant_links(struct render *r, json_t *notice, const char *current)
{
    const char *slug = str(notice, "slug");
    const char *tags[NB_NOTICE_VARIANTS_MAX];
    size_t n = variant_order(json_object_get(notice, "variants"), tags, NB_NOTICE_VARIANTS_MAX);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char tail[64];
        snprintf(tail, sizeof(tail), "/%s", tags[i]);
        json_t *v = json_pack("{s:s, s:s, s:o}", "lang", tags[i], "label", lang_label(tags[i]),
                              "href", url2(r, "/meldung/", slug, tail));
        if (current && strcmp(current, tags[i]) == 0)
            set(r, v, "current", json_true());
        append(r, a, v);
    }
    return a;
}

/* The model of one notice shown in one variant (tag), with heading shift for the HTML. */
static json_t *notice_model(struct render *r, json_t *notice, const char *tag, int shift)
{
    json_t *variants = json_object_get(notice, "variants");
    json_t *v = json_object_get(variants, tag);
    const char *slug = str(notice, "slug");
    int64_t at = num(v, "published_at");
    json_t *links = variant_links(r, notice, tag);
    json_t *m = json_object();
    set(r, m, "slug", json_string(slug));
    set(r, m, "lang", json_string(tag));
    set(r, m, "title", json_string(str(v, "title")));
    set(r, m, "html", markdown(r, str(v, "body_md"), shift));
    set(r, m, "version", json_integer(num(v, "version")));
    set(r, m, "published_iso", iso(at));
    set(r, m, "published_text", when_text(r, at, true));
    set(r, m, "href", url2(r, "/meldung/", slug, NULL));
    set(r, m, "history_href", url2(r, "/meldung/", slug, "/versionen"));
    set(r, m, "has_variants", json_boolean(json_array_size(links) > 1));
    set(r, m, "variants", links);
    set_content_lang(r, m, tag);
    return m;
}

/* The variant a notice shows in the page language. */
static const char *notice_default_tag(struct render *r, json_t *notice)
{
    const char *tag = NULL;
    pick(json_object_get(notice, "variants"), r->code, &tag);
    return tag;
}

/* ---- version history ---------------------------------------------------------------------- */

/* One published version of a notice, for ordering the history. */
struct hist_entry {
    json_t *ver;      /* borrowed from the site document */
    const char *lang; /* its variant's tag, borrowed */
    int64_t at, version;
};

/* Newest first; at the same instant by language, then the higher version first. */
static int hist_cmp(const void *pa, const void *pb)
{
    const struct hist_entry *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at > b->at ? -1 : 1;
    int c = strcmp(a->lang, b->lang);
    if (c != 0)
        return c;
    return a->version > b->version ? -1 : a->version < b->version;
}

/* Path of history list page k (1-based) of a notice: ".../versionen", ".../versionen/seite/2". */
static void history_rel(char *out, size_t n, const char *slug, size_t k)
{
    if (k == 1)
        snprintf(out, n, "/meldung/%s/versionen", slug);
    else
        snprintf(out, n, "/meldung/%s/versionen/seite/%zu", slug, k);
}

static json_t *history_url(struct render *r, const char *slug, size_t k)
{
    char tail[64];
    if (k == 1)
        snprintf(tail, sizeof(tail), "/versionen");
    else
        snprintf(tail, sizeof(tail), "/versionen/seite/%zu", k);
    return url2(r, "/meldung/", slug, tail);
}

/* The version history of a notice: every version of every language, newest first, listed
 * NB_HISTORY_PAGE_ROWS to a page, and one page per version that shows it. Each version is
 * listed on one page and shown on one, so the work grows linearly with the versions. */
static enum nb_err history_pages(struct render *r, json_t *notice, const char *def)
{
    const char *slug = str(notice, "slug");
    size_t nall = 0;
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(notice, "variants"), k, v) nall +=
        json_array_size(json_object_get(v, "versions"));
    if (nall == 0)
        return NB_OK;
    struct hist_entry *all = calloc(nall, sizeof(*all));
    if (!all)
        return NB_ERR_NOMEM;
    size_t at = 0;
    json_object_foreach(json_object_get(notice, "variants"), k, v)
    {
        size_t i;
        json_t *ver;
        json_array_foreach(json_object_get(v, "versions"), i, ver)
        {
            all[at++] = (struct hist_entry){ver, k, num(ver, "published_at"), num(ver, "version")};
        }
    }
    qsort(all, nall, sizeof(*all), hist_cmp);

    size_t pages = (nall + NB_HISTORY_PAGE_ROWS - 1) / NB_HISTORY_PAGE_ROWS;
    json_t *nm = notice_model(r, notice, def, 0);
    enum nb_err err = NB_OK;
    char rel[512];
    for (size_t pg = 1; pg <= pages && err == NB_OK; pg++) {
        json_t *rows = json_array();
        size_t end = pg * NB_HISTORY_PAGE_ROWS < nall ? pg * NB_HISTORY_PAGE_ROWS : nall;
        for (size_t i = (pg - 1) * NB_HISTORY_PAGE_ROWS; i < end; i++) {
            const struct hist_entry *h = &all[i];
            char tail[96];
            snprintf(tail, sizeof(tail), "/versionen/%s-%lld", h->lang, (long long)h->version);
            json_t *e =
                json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:o}", "version", (json_int_t)h->version,
                          "lang", h->lang, "lang_label", lang_label(h->lang), "published_iso",
                          iso(h->at), "published_text", when_text(r, h->at, true), "title",
                          str(h->ver, "title"), "href", url2(r, "/meldung/", slug, tail));
            set_content_lang(r, e, h->lang);
            append(r, rows, e);
        }
        json_t *title = text(r, "title_history", "title", str(nm, "title"), (char *)NULL);
        json_t *m = page_model(r, NULL, title);
        set_ref(r, m, "notice", nm);
        set(r, m, "has_versions", json_true());
        set(r, m, "versions", rows);
        if (pages > 1) {
            char a[24], b[24];
            snprintf(a, sizeof(a), "%zu", pg);
            snprintf(b, sizeof(b), "%zu", pages);
            json_t *pager = json_object();
            set(r, pager, "page", json_integer((json_int_t)pg));
            set(r, pager, "pages", json_integer((json_int_t)pages));
            set(r, pager, "text", text(r, "history_page", "page", a, "pages", b, (char *)NULL));
            if (pg > 1)
                set(r, pager, "newer", history_url(r, slug, pg - 1));
            if (pg < pages)
                set(r, pager, "older", history_url(r, slug, pg + 1));
            set(r, m, "pager", pager);
        }
        history_rel(rel, sizeof(rel), slug, pg);
        err = emit(r, rel, "history", m);
        json_decref(m);
    }
    for (size_t i = 0; i < nall && err == NB_OK; i++) {
        const struct hist_entry *h = &all[i];
        json_t *title = text(r, "title_history", "title", str(nm, "title"), (char *)NULL);
        json_t *m = page_model(r, NULL, title);
        set_ref(r, m, "notice", nm);
        char num_s[24];
        snprintf(num_s, sizeof(num_s), "%lld", (long long)h->version);
        json_t *date = when_text(r, h->at, true);
        json_t *shown =
            json_pack("{s:s, s:s, s:I, s:o, s:o, s:o}", "title", str(h->ver, "title"), "lang",
                      h->lang, "version", (json_int_t)h->version, "html",
                      markdown(r, str(h->ver, "body_md"), 1), "version_label",
                      text(r, "version_label", "version", num_s, "date", json_string_value(date),
                           (char *)NULL),
                      "history_href", history_url(r, slug, i / NB_HISTORY_PAGE_ROWS + 1));
        json_decref(date);
        set_content_lang(r, shown, h->lang);
        set(r, m, "shown", shown);
        snprintf(rel, sizeof(rel), "/meldung/%s/versionen/%s-%s", slug, h->lang, num_s);
        err = emit(r, rel, "history", m);
        json_decref(m);
    }
    json_decref(nm);
    free(all);
    return err;
}

static enum nb_err notice_pages(struct render *r, json_t *notice)
{
    const char *slug = str(notice, "slug");
    const char *def = notice_default_tag(r, notice);
    if (!def)
        return NB_OK; /* a notice without any version shows nothing */
    enum nb_err err = NB_OK;
    const char *tags[NB_NOTICE_VARIANTS_MAX];
    size_t n = variant_order(json_object_get(notice, "variants"), tags, NB_NOTICE_VARIANTS_MAX);
    char rel[512];
    /* The notice in the page language, then at its own address per variant. */
    for (size_t i = 0; i <= n && err == NB_OK; i++) {
        const char *tag = i == 0 ? def : tags[i - 1];
        json_t *nm = notice_model(r, notice, tag, 0);
        json_t *m = page_model(r, NULL, json_string(str(nm, "title")));
        set(r, m, "notice", nm);
        snprintf(rel, sizeof(rel), "/meldung/%s%s%s", slug, i == 0 ? "" : "/", i == 0 ? "" : tag);
        err = emit(r, rel, "notice", m);
        json_decref(m);
    }

    if (err == NB_OK)
        err = history_pages(r, notice, def);
    return err;
}

/* ---- hours and reachability --------------------------------------------------------------- */

/* Parses "YYYY-MM-DD" into days since 1970; false for anything else. */
static bool parse_date(const char *s, int32_t *out)
{
    struct nb_str v = nb_str_c(s);
    uint64_t y, m, d;
    if (v.len != 10 || v.ptr[4] != '-' || v.ptr[7] != '-' ||
        !nb_str_to_u64((struct nb_str){v.ptr, 4}, 9999, &y) ||
        !nb_str_to_u64((struct nb_str){v.ptr + 5, 2}, 12, &m) ||
        !nb_str_to_u64((struct nb_str){v.ptr + 8, 2}, 31, &d) ||
        !nb_civil_valid((int)y, (int)m, (int)d))
        return false;
    *out = nb_civil_days((int)y, (int)m, (int)d);
    return true;
}

/* The telephone hours of a department, in arrays the caller provides. */
struct dept_hours {
    struct nb_hours h;
    struct nb_hours_slot slots[NB_HOURS_ITEMS_MAX];
    struct nb_hours_exception ex[NB_HOURS_ITEMS_MAX];
    struct nb_hours_range ranges[NB_HOURS_ITEMS_MAX];
};

static enum nb_err dept_hours(struct render *r, json_t *dept, enum nb_land land,
                              struct dept_hours *d)
{
    memset(&d->h, 0, sizeof(d->h));
    d->h.land = land;
    d->h.slots = d->slots;
    d->h.exceptions = d->ex;
    size_t i, nr = 0;
    json_t *e;
    json_array_foreach(json_object_get(dept, "hours"), i, e)
    {
        if (strcmp(str(e, "kind"), "phone") != 0)
            continue;
        if (d->h.nslots == NB_HOURS_ITEMS_MAX)
            return NB_ERR_LIMIT;
        d->slots[d->h.nslots++] = (struct nb_hours_slot){(int)num(e, "weekday"),
                                                         (int)num(e, "start"), (int)num(e, "end")};
    }
    json_array_foreach(json_object_get(dept, "exceptions"), i, e)
    {
        if (d->h.nexceptions == NB_HOURS_ITEMS_MAX)
            return NB_ERR_LIMIT;
        struct nb_hours_exception *x = &d->ex[d->h.nexceptions];
        if (!parse_date(str(e, "date"), &x->date))
            return NB_ERR_INPUT;
        x->ranges = d->ranges + nr;
        x->nranges = 0;
        size_t j;
        json_t *s;
        if (!json_is_true(json_object_get(e, "closed")))
            json_array_foreach(json_object_get(e, "slots"), j, s)
            {
                if (strcmp(str(s, "kind"), "phone") != 0)
                    continue;
                if (nr == NB_HOURS_ITEMS_MAX)
                    return NB_ERR_LIMIT;
                d->ranges[nr++] = (struct nb_hours_range){(int)num(s, "start"), (int)num(s, "end")};
                x->nranges++;
            }
        x->note = nb_str_c(pick_str(json_object_get(e, "note"), r->code));
        d->h.nexceptions++;
    }
    return nb_hours_check(&d->h);
}

static void hhmm(int minute, char *out, size_t n)
{
    nb_civil_fmt_hhmm(out, n, minute);
}

/* "Jetzt erreichbar bis 12:00 Uhr." or "Geschlossen. Wieder erreichbar am Dienstag um
 * 13:00 Uhr." for the reach state at r->now; records when the statement changes. */
static json_t *reach_model(struct render *r, const struct nb_hours *h)
{
    struct nb_hours_reach reach;
    if (nb_hours_reach_at(h, r->now, &reach) != NB_OK)
        return NULL;
    if (reach.next_change_utc > r->now && reach.next_change_utc < r->next_change)
        r->next_change = reach.next_change_utc;
    char t[16];
    json_t *m = json_object();
    set(r, m, "open", json_boolean(reach.open));
    if (reach.open) {
        hhmm(reach.until_local.hour * 60 + reach.until_local.minute, t, sizeof(t));
        set(r, m, "until", json_string(t));
        set(r, m, "text", text(r, "reach_open_until", "time", t, (char *)NULL));
        return m;
    }
    if (!reach.has_next) {
        set(r, m, "text", text(r, "reach_closed_none", (char *)NULL));
        return m;
    }
    struct nb_civil_local today;
    nb_civil_berlin_local(r->now, &today);
    const struct nb_civil_local *n = &reach.next_local;
    hhmm(n->hour * 60 + n->minute, t, sizeof(t));
    char wd_key[16], date[32];
    snprintf(wd_key, sizeof(wd_key), "weekday_%d", n->weekday);
    const char *wd = nb_i18n_get(r->lang, wd_key);
    if (r->lang == NB_LANG_DE)
        nb_civil_fmt_date_de(date, sizeof(date), n->date);
    else
        nb_civil_fmt_date(date, sizeof(date), n->date);
    int32_t days = n->date - today.date;
    json_t *when = days == 0   ? text(r, "reach_when_today", "time", t, (char *)NULL)
                   : days == 1 ? text(r, "reach_when_tomorrow", "time", t, (char *)NULL)
                   : days < 7  ? text(r, "reach_when_week", "weekday", wd, "time", t, (char *)NULL)
                               : text(r, "reach_when_date", "weekday", wd, "date", date, "time", t,
                                      (char *)NULL);
    set(r, m, "next", iso(reach.next_utc));
    set(r, m, "text", text(r, "reach_closed_next", "when", json_string_value(when), (char *)NULL));
    json_decref(when);
    return m;
}

static json_t *week_model(struct render *r, const struct nb_hours *h, json_t **caption)
{
    struct nb_civil_local today;
    nb_civil_berlin_local(r->now, &today);
    struct nb_hours_week w;
    if (nb_hours_week_of(h, today.date, &w) != NB_OK)
        return NULL;
    json_t *days = json_array();
    char from[32], to[32];
    for (int i = 0; i < 7; i++) {
        const struct nb_hours_day *d = &w.days[i];
        char key[16], date[32], iso_d[16];
        snprintf(key, sizeof(key), "weekday_%d", d->weekday);
        if (r->lang == NB_LANG_DE)
            nb_civil_fmt_date_de(date, sizeof(date), d->date);
        else
            nb_civil_fmt_date(date, sizeof(date), d->date);
        nb_civil_fmt_date(iso_d, sizeof(iso_d), d->date);
        if (i == 0)
            snprintf(from, sizeof(from), "%s", date);
        if (i == 6)
            snprintf(to, sizeof(to), "%s", date);
        json_t *day = json_pack("{s:s, s:s, s:s}", "weekday", nb_i18n_get(r->lang, key), "date",
                                date, "date_iso", iso_d);
        if (d->date == today.date)
            set(r, day, "today", json_true());
        const char *hol = r->lang == NB_LANG_DE ? d->holiday_de : d->holiday_en;
        if (hol)
            set(r, day, "holiday", json_string(hol));
        if (d->note.len)
            set(r, day, "note", json_stringn(d->note.ptr, d->note.len));
        json_t *iv = json_array();
        for (size_t k = 0; k < d->nranges; k++) {
            char a[16], b[16];
            hhmm(d->ranges[k].start, a, sizeof(a));
            hhmm(d->ranges[k].end, b, sizeof(b));
            append(r, iv,
                   json_pack("{s:s, s:s, s:b}", "from", a, "to", b, "last", k + 1 == d->nranges));
        }
        set(r, day, "intervals", iv);
        append(r, days, day);
    }
    *caption = text(r, "week_caption", "from", from, "to", to, (char *)NULL);
    return days;
}

static json_t *contact_model(struct render *r, json_t *c)
{
    json_t *m = json_pack("{s:s}", "name", str(c, "name"));
    const char *role = pick_str(json_object_get(c, "role"), r->code);
    if (role[0])
        set(r, m, "role", json_string(role));
    const char *phone = str(c, "phone"), *email = str(c, "email");
    if (phone[0]) {
        set(r, m, "phone", json_string(phone));
        set(r, m, "phone_uri", tel_uri(phone));
    }
    if (email[0])
        set(r, m, "email", json_string(email));
    return m;
}

static enum nb_land office_land(struct render *r)
{
    enum nb_land land;
    json_t *office = json_object_get(r->site, "office");
    if (nb_holiday_land_parse(nb_str_c(str(office, "land")), &land) != NB_OK)
        return NB_LAND_MV;
    return land;
}

/* The departments with their reach state and week; the first one's reach also serves as
 * the office's (the front page shows it): list the central switchboard first. */
static enum nb_err departments_model(struct render *r, json_t **depts, json_t **dpo,
                                     json_t **first_reach)
{
    enum nb_land land = office_land(r);
    *depts = json_array();
    *dpo = NULL;
    *first_reach = NULL;
    struct dept_hours *dh = malloc(sizeof(*dh));
    if (!dh)
        return NB_ERR_NOMEM;
    enum nb_err err = NB_OK;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(r->site, "departments"), i, d)
    {
        err = dept_hours(r, d, land, dh);
        if (err != NB_OK)
            break;
        char anchor[96];
        snprintf(anchor, sizeof(anchor), "dept-%s", str(d, "slug"));
        json_t *m = json_pack("{s:s, s:s}", "anchor", anchor, "name",
                              pick_str(json_object_get(d, "name"), r->code));
        const char *phone = str(d, "phone"), *email = str(d, "email"), *room = str(d, "room");
        if (phone[0]) {
            set(r, m, "phone", json_string(phone));
            set(r, m, "phone_uri", tel_uri(phone));
        }
        if (email[0])
            set(r, m, "email", json_string(email));
        if (room[0])
            set(r, m, "room", json_string(room));
        json_t *reach = reach_model(r, &dh->h);
        json_t *caption = NULL;
        json_t *week = week_model(r, &dh->h, &caption);
        if (!reach || !week) {
            json_decref(reach);
            json_decref(week);
            json_decref(m);
            err = NB_ERR_INPUT;
            break;
        }
        if (!*first_reach)
            *first_reach = json_incref(reach);
        set(r, m, "reach", reach);
        set(r, m, "week", week);
        set(r, m, "week_caption", caption);
        json_t *contacts = json_array();
        size_t j;
        json_t *c;
        json_array_foreach(json_object_get(d, "contacts"), j, c)
        {
            json_t *cm = contact_model(r, c);
            if (json_is_true(json_object_get(c, "is_dpo")) && !*dpo)
                *dpo = json_incref(cm);
            append(r, contacts, cm);
        }
        set(r, m, "has_contacts", json_boolean(json_array_size(contacts) > 0));
        set(r, m, "contacts", contacts);
        append(r, *depts, m);
    }
    free(dh);
    /* The answer also changes at the next local midnight ("today" in the week table). */
    struct nb_civil_local l;
    nb_civil_berlin_local(r->now, &l);
    int64_t midnight = nb_civil_berlin_day_start(l.date + 1);
    if (midnight > r->now && midnight < r->next_change)
        r->next_change = midnight;
    return err;
}

/* ---- press updates ------------------------------------------------------------------------ */

/* Groups press updates (newest first) into ISO weeks, newest week first:
 * [{id, label, title, href, year, week, updates: [update]}]. */
static json_t *press_weeks(struct render *r)
{
    json_t *weeks = json_array();
    json_t *cur = NULL;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r->site, "press"), i, p)
    {
        int64_t at = num(p, "published_at");
        char id[16], y[8], w[8];
        struct nb_civil_week wk;
        week_id(at, id, sizeof(id), &wk);
        if (!cur || strcmp(str(cur, "id"), id) != 0) {
            snprintf(y, sizeof(y), "%d", wk.year);
            snprintf(w, sizeof(w), "%d", wk.week);
            cur = json_pack("{s:s, s:i, s:i, s:o, s:o, s:o, s:o}", "id", id, "year", wk.year,
                            "week", wk.week, "label",
                            text(r, "press_week", "week", w, "year", y, (char *)NULL), "title",
                            text(r, "title_press_week", "week", w, "year", y, (char *)NULL), "href",
                            url2(r, "/presse/", id, NULL), "updates", json_array());
            append(r, weeks, cur);
        }
        json_t *t = pick(json_object_get(p, "texts"), r->code, NULL);
        const char *slug = str(p, "slug");
        char tail[96];
        snprintf(tail, sizeof(tail), "#%s", slug);
        json_t *u = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "slug", slug, "anchor", slug,
                              "title", str(t, "title"), "html", markdown(r, str(t, "body_md"), 1),
                              "published_iso", iso(at), "published_text", when_text(r, at, true),
                              "href", url2(r, "/presse/", id, tail));
        append(r, json_object_get(cur, "updates"), u);
    }
    return weeks;
}

static enum nb_err press_pages(struct render *r, json_t *weeks)
{
    json_t *m = page_model(r, "press", json_string(nb_i18n_get(r->lang, "title_press")));
    set_ref(r, m, "weeks", weeks);
    enum nb_err err = emit(r, "/presse", "press", m);
    json_decref(m);
    size_t i;
    json_t *w;
    json_array_foreach(weeks, i, w)
    {
        if (err != NB_OK)
            break;
        m = page_model(r, "press", json_incref(json_object_get(w, "title")));
        set_ref(r, m, "week", w);
        set_ref(r, m, "updates", json_object_get(w, "updates"));
        char rel[64];
        snprintf(rel, sizeof(rel), "/presse/%s", str(w, "id"));
        err = emit(r, rel, "press_week", m);
        json_decref(m);
    }
    return err;
}

/* "Presseupdate KW 50", linking the newest week; NULL without press updates. */
static json_t *press_latest(struct render *r, json_t *weeks)
{
    json_t *w = json_array_get(weeks, 0);
    if (!w)
        return NULL;
    char wk[8];
    snprintf(wk, sizeof(wk), "%lld", (long long)num(w, "week"));
    return json_pack("{s:o, s:O}", "label", text(r, "press_update_week", "week", wk, (char *)NULL),
                     "href", json_object_get(w, "href"));
}

/* ---- front page, services, contact, legal pages ------------------------------------------ */

static enum nb_err home_page(struct render *r, json_t *reach)
{
    json_t *pinned = json_array(), *others = json_array(), *archived = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(r->site, "notices"), i, n)
    {
        const char *tag = notice_default_tag(r, n);
        if (!tag)
            continue;
        if (json_is_true(json_object_get(n, "pinned")) &&
            !json_is_true(json_object_get(n, "archived"))) {
            append(r, pinned, notice_model(r, n, tag, 1));
            continue;
        }
        json_t *full = notice_model(r, n, tag, 0);
        json_t *item = json_pack(
            "{s:O, s:O, s:O, s:O, s:O}", "title", json_object_get(full, "title"), "href",
            json_object_get(full, "href"), "history_href", json_object_get(full, "history_href"),
            "published_iso", json_object_get(full, "published_iso"), "published_text",
            json_object_get(full, "published_text"));
        json_decref(full);
        append(r, json_is_true(json_object_get(n, "archived")) ? archived : others, item);
    }
    json_t *m = page_model(r, "home", json_string(nb_i18n_get(r->lang, "title_home")));
    set(r, m, "pinned", pinned);
    set(r, m, "has_others", json_boolean(json_array_size(others) > 0));
    set(r, m, "others", others);
    set(r, m, "has_archived", json_boolean(json_array_size(archived) > 0));
    set(r, m, "archived", archived);
    if (reach)
        set_ref(r, m, "reach", reach);
    enum nb_err err = emit(r, "", "index", m);
    json_decref(m);
    return err;
}

static const char *const service_states[] = {"online",      "restricted", "paper",
                                             "appointment", "suspended",  "other_office"};

static enum nb_err services_page(struct render *r)
{
    json_t *legend = json_array();
    for (size_t i = 0; i < sizeof(service_states) / sizeof(service_states[0]); i++) {
        char k1[40], k2[48];
        snprintf(k1, sizeof(k1), "svc_%s", service_states[i]);
        snprintf(k2, sizeof(k2), "svc_%s_text", service_states[i]);
        append(r, legend,
               json_pack("{s:s, s:s, s:s}", "key", service_states[i], "label",
                         nb_i18n_get(r->lang, k1), "text", nb_i18n_get(r->lang, k2)));
    }
    json_t *list = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(r->site, "services"), i, s)
    {
        json_t *t = pick(json_object_get(s, "texts"), r->code, NULL);
        const char *state = str(s, "state");
        char key[40];
        snprintf(key, sizeof(key), "svc_%s", state);
        json_t *m =
            json_pack("{s:s, s:s, s:s, s:s}", "slug", str(s, "slug"), "name", str(t, "name"),
                      "state", state, "state_label", nb_i18n_get(r->lang, key));
        const char *desc = str(t, "description_md"), *fb = str(t, "fallback_md");
        if (desc[0])
            set(r, m, "description_html", markdown(r, desc, 2));
        if (fb[0])
            set(r, m, "fallback_html", markdown(r, fb, 3));
        const char *other = str(s, "other_office");
        if (other[0])
            set(r, m, "other_office", json_string(other));
        const char *dept = str(s, "department");
        if (dept[0]) {
            size_t j;
            json_t *d;
            json_array_foreach(json_object_get(r->site, "departments"), j, d)
            {
                if (strcmp(str(d, "slug"), dept) != 0)
                    continue;
                char tail[96];
                snprintf(tail, sizeof(tail), "#dept-%s", dept);
                set(r, m, "department",
                    json_pack("{s:s, s:o}", "name", pick_str(json_object_get(d, "name"), r->code),
                              "href", url2(r, "/kontakt", "", tail)));
            }
        }
        append(r, list, m);
    }
    json_t *m = page_model(r, "services", json_string(nb_i18n_get(r->lang, "title_services")));
    set(r, m, "legend", legend);
    set(r, m, "services", list);
    enum nb_err err = emit(r, "/leistungen", "services", m);
    json_decref(m);
    return err;
}

static enum nb_err contact_page(struct render *r, json_t *depts, json_t *dpo, json_t *reach)
{
    json_t *m = page_model(r, "contact", json_string(nb_i18n_get(r->lang, "title_contact")));
    set_ref(r, m, "departments", depts);
    if (dpo)
        set_ref(r, m, "dpo", dpo);
    if (reach)
        set_ref(r, m, "reach", reach);
    enum nb_err err = emit(r, "/kontakt", "contact", m);
    json_decref(m);
    return err;
}

static const struct {
    const char *kind, *path, *nav, *current;
} legal[] = {
    {"phishing", "/vorsicht-betrug", "nav_phishing", "phishing"},
    {"imprint", "/impressum", "nav_imprint", "imprint"},
    {"privacy", "/datenschutz", "nav_privacy", "privacy"},
    {"accessibility", "/barrierefreiheit", "nav_accessibility", "accessibility"},
};

static enum nb_err legal_pages(struct render *r)
{
    enum nb_err err = NB_OK;
    json_t *pages = json_object_get(r->site, "pages");
    for (size_t i = 0; i < sizeof(legal) / sizeof(legal[0]) && err == NB_OK; i++) {
        const char *tag = NULL;
        json_t *v = pick(json_object_get(pages, legal[i].kind), r->code, &tag);
        const char *title = v ? str(v, "title") : "";
        json_t *m = page_model(r, legal[i].current,
                               json_string(title[0] ? title : nb_i18n_get(r->lang, legal[i].nav)));
        json_t *page = json_object_get(m, "page");
        set(r, page, "html", markdown(r, v ? str(v, "body_md") : "", 1));
        if (v) {
            int64_t at = num(v, "updated_at");
            set(r, page, "updated_text", when_text(r, at, false));
            set(r, page, "updated_iso", iso(at));
            if (strcmp(tag, r->code) != 0) {
                set(r, page, "lang_attr", json_string(tag));
                set(r, page, "dir", json_string(lang_dir(tag)));
            }
        }
        err = emit(r, legal[i].path, "page", m);
        json_decref(m);
    }
    return err;
}

/* ---- feed and error pages ----------------------------------------------------------------- */

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* The Atom feed of the page language: every published version of every notice (in all its
 * languages) and every press update, newest first. Entry ids are tag URIs that never
 * change for the same version. */
static enum nb_err feed(struct render *r)
{
    json_t *office = json_object_get(r->site, "office");
    const char *slug = str(office, "slug");
    json_t *entries = json_array();
    int64_t updated = 0;
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(r->site, "notices"), i, n)
    {
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(n, "variants"), k, v)
        {
            size_t j;
            json_t *ver;
            json_array_foreach(json_object_get(v, "versions"), j, ver)
            {
                int64_t at = num(ver, "published_at");
                updated = max64(updated, at);
                char id[256], tail[96];
                snprintf(id, sizeof(id), "tag:notbetrieb,2021:%s/notice/%s/%s/%lld", slug,
                         str(n, "slug"), k, (long long)num(ver, "version"));
                snprintf(tail, sizeof(tail), "/versionen/%s-%lld", k,
                         (long long)num(ver, "version"));
                append(r, entries,
                       json_pack("{s:s, s:s, s:s, s:o, s:I, s:o, s:o}", "id", id, "lang", k,
                                 "title", str(ver, "title"), "updated", iso(at), "at",
                                 (json_int_t)at, "href", url2(r, "/meldung/", str(n, "slug"), tail),
                                 "html", markdown(r, str(ver, "body_md"), 1)));
            }
        }
    }
    json_array_foreach(json_object_get(r->site, "press"), i, n)
    {
        const char *tag = NULL;
        json_t *t = pick(json_object_get(n, "texts"), r->code, &tag);
        int64_t at = max64(num(n, "published_at"), num(n, "changed_at"));
        updated = max64(updated, at);
        char id[256], wk[16], tail[96];
        struct nb_civil_week w;
        week_id(num(n, "published_at"), wk, sizeof(wk), &w);
        snprintf(id, sizeof(id), "tag:notbetrieb,2021:%s/press/%s/%s", slug, str(n, "slug"),
                 r->code);
        snprintf(tail, sizeof(tail), "#%s", str(n, "slug"));
        append(r, entries,
               json_pack("{s:s, s:s, s:s, s:o, s:I, s:o, s:o}", "id", id, "lang",
                         tag ? tag : r->code, "title", str(t, "title"), "updated", iso(at), "at",
                         (json_int_t)at, "href", url2(r, "/presse/", wk, tail), "html",
                         markdown(r, str(t, "body_md"), 1)));
    }
    /* Newest first; insertion sort keeps equal times in their order. */
    size_t ne = json_array_size(entries);
    for (size_t a = 1; a < ne; a++)
        for (size_t b = a; b > 0 && num(json_array_get(entries, b - 1), "at") <
                                        num(json_array_get(entries, b), "at");
             b--) {
            json_t *x = json_incref(json_array_get(entries, b - 1));
            json_array_set(entries, b - 1, json_array_get(entries, b));
            json_array_set_new(entries, b, x);
        }
    char self[256], fid[256];
    snprintf(self, sizeof(self), "%s/feed.atom", r->prefix);
    snprintf(fid, sizeof(fid), "tag:notbetrieb,2021:%s/feed/%s", slug, r->code);
    json_t *m = json_object();
    if (json_object_update(m, r->common) != 0)
        r->failed = true;
    set(r, m, "feed",
        json_pack("{s:s, s:s, s:o, s:s}", "id", fid, "self", self, "updated",
                  iso(updated ? updated : num(r->site, "changed_at")), "title",
                  nb_i18n_get(r->lang, "feed_title")));
    set(r, m, "entries", entries);
    set_ref(r, m, "t", nb_i18n_table(r->lang));
    struct nb_buf b;
    nb_buf_init(&b, NB_PAGE_MAX * 4);
    const struct nb_tpl *t = nb_tpl_set_get(r->tpl, "feed");
    enum nb_err err = r->failed ? NB_ERR_NOMEM : t ? nb_tpl_render(t, r->tpl, m, &b) : NB_ERR_INPUT;
    if (err == NB_OK)
        err = r->out->page(r->out->ctx, self, "application/atom+xml; charset=utf-8", r->code,
                           NB_SNAPSHOT_ENCODING, b.ptr, b.len);
    nb_buf_free(&b);
    json_decref(m);
    return err;
}

static enum nb_err error_pages(struct render *r)
{
    if (!r->out->error)
        return NB_OK;
    const struct nb_tpl *t = nb_tpl_set_get(r->tpl, "error");
    if (!t)
        return NB_ERR_INPUT;
    enum nb_err err = NB_OK;
    for (size_t i = 0; i < NB_SNAPSHOT_ERRORS && err == NB_OK; i++) {
        unsigned st = nb_snapshot_error_statuses[i];
        char k_title[32], k_text[32];
        snprintf(k_title, sizeof(k_title), "error_%u_title", st);
        snprintf(k_text, sizeof(k_text), "error_%u_text", st);
        json_t *title = need(r, json_string(nb_i18n_get(r->lang, k_title)));
        json_t *msg = text(r, k_text, "max", "1 MiB", (char *)NULL);
        json_t *m = page_model(r, NULL, json_incref(title));
        if (json_object_update_missing(m, r->common) != 0)
            r->failed = true;
        set(r, m, "error",
            json_pack("{s:i, s:O, s:O}", "status", (int)st, "title", title, "text", msg));
        /* Error pages have no language twin of the same path: the switch goes home. */
        char href[256];
        snprintf(href, sizeof(href), "%s%s/", r->base, r->lang == NB_LANG_DE ? "/en" : "");
        set(r, m, "lang_switch",
            json_pack("[{s:s, s:s, s:s}]", "code", r->lang == NB_LANG_DE ? "en" : "de", "label",
                      r->lang == NB_LANG_DE ? "English" : "Deutsch", "href", href));
        json_t *j = json_pack("{s:{s:i, s:O, s:O}, s:s, s:{s:O}}", "error", "status", (int)st,
                              "title", title, "message", msg, "lang", r->code, "office", "slug",
                              json_object_get(json_object_get(r->common, "office"), "slug"));
        char *js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
        set_ref(r, m, "t", nb_i18n_table(r->lang));
        struct nb_buf b;
        nb_buf_init(&b, NB_PAGE_MAX);
        err = js && !r->failed ? nb_tpl_render(t, r->tpl, m, &b) : NB_ERR_NOMEM;
        if (err == NB_OK)
            err = r->out->error(r->out->ctx, r->lang, st, false, b.ptr, b.len);
        if (err == NB_OK)
            err = r->out->error(r->out->ctx, r->lang, st, true, js, strlen(js));
        nb_buf_free(&b);
        free(js);
        json_decref(j);
        json_decref(m);
        json_decref(title);
        json_decref(msg);
    }
    return err;
}

/* ---- everything ---------------------------------------------------------------------------- */

static enum nb_err render_lang(struct render *r)
{
    json_t *weeks = press_weeks(r);
    json_t *latest = press_latest(r, weeks);
    r->common = common_model(r, latest);
    json_decref(latest);
    json_t *depts = NULL, *dpo = NULL, *reach = NULL;
    enum nb_err err = departments_model(r, &depts, &dpo, &reach);
    if (err == NB_OK)
        err = home_page(r, reach);
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(r->site, "notices"), i, n)
    {
        if (err != NB_OK)
            break;
        err = notice_pages(r, n);
    }
    if (err == NB_OK)
        err = press_pages(r, weeks);
    if (err == NB_OK)
        err = services_page(r);
    if (err == NB_OK)
        err = contact_page(r, depts, dpo, reach);
    if (err == NB_OK)
        err = legal_pages(r);
    if (err == NB_OK)
        err = feed(r);
    if (err == NB_OK)
        err = error_pages(r);
    if (err == NB_OK && r->failed)
        err = NB_ERR_NOMEM;
    json_decref(depts);
    json_decref(dpo);
    json_decref(reach);
    json_decref(weeks);
    json_decref(r->common);
    r->common = NULL;
    return err;
}

enum nb_err nb_site_render(const struct nb_tpl_set *tpl, json_t *site, const char *base,
                           int64_t now, const struct nb_site_out *out, int64_t *next_change)
{
    if (!json_is_object(json_object_get(site, "office")) || strlen(base) > NB_SLUG_MAX + 1)
        return NB_ERR_INPUT;
    struct render r = {
        .tpl = tpl, .site = site, .base = base, .now = now, .out = out, .next_change = INT64_MAX};
    enum nb_err err = NB_OK;
    for (unsigned l = 0; l < NB_LANG_COUNT && err == NB_OK; l++) {
        r.lang = (enum nb_lang)l;
        r.code = nb_lang_code(r.lang);
        snprintf(r.prefix, sizeof(r.prefix), "%s%s", base, l == NB_LANG_DE ? "" : "/en");
        err = render_lang(&r);
    }
    if (err == NB_OK)
        err = nb_site_static(base, out);
    if (next_change)
        *next_change = r.next_change;
    return err;
}

enum nb_err nb_site_static(const char *base, const struct nb_site_out *out)
{
    const struct nb_resource *css = nb_resource_get("static/site.css");
    if (!css)
        return NB_ERR_INTERNAL;
    char path[128];
    snprintf(path, sizeof(path), "%s/static/site.css", base);
    return out->page(out->ctx, path, "text/css; charset=utf-8", NULL, NB_SNAPSHOT_ENCODING,
                     css->data, css->len);
}

bool nb_site_slug_reserved(const char *slug)
{
    static const char *const reserved[] = {
        "en",          "static",           "api",        "intern",          "meldung",
        "presse",      "leistungen",       "kontakt",    "vorsicht-betrug", "impressum",
        "datenschutz", "barrierefreiheit", "index.json", "feed.atom",       "healthz"};
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcmp(slug, reserved[i]) == 0)
            return true;
    return false;
}
