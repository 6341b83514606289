/* staff_versions.c: the history of texts that are published in immutable versions (the
 * standing pages and the notices, per language): the table on the editor that lists the
 * newest NB_HISTORY_ROWS versions, and the read-only page of one version with its rendered
 * text, its Markdown source and links to the versions before and after it.
 *
 * The callers load the versions (the store keeps them for good) and check the role; this
 * file only shapes what the staff sees, the same way for every kind of text. */
#include <stdio.h>

#include "base/buf.h"
#include "view/i18n.h"
#include "web/staff.h"

/* The address of version n of text t. */
static void version_url(struct nb_staff *s, const struct nb_staff_versioned *t, int64_t n,
                        char *out, size_t size)
{
    char path[NB_STAFF_URL_MAX];
    snprintf(path, sizeof(path), "%s/versionen/%lld", t->base, (long long)n);
    nb_staff_url(s, path, out, size);
}

json_t *nb_staff_history_model(struct nb_staff *s, const struct nb_staff_versioned *t,
                               json_t *versions)
{
    json_t *rows = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(versions, i, v)
    {
        if (i == NB_HISTORY_ROWS)
            break;
        int64_t n = json_integer_value(json_object_get(v, "version"));
        char href[NB_STAFF_URL_MAX], at[40];
        version_url(s, t, n, href, sizeof(href));
        nb_staff_time_text(s->lang, json_integer_value(json_object_get(v, t->time_key)), at,
                           sizeof(at));
        json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:b}", "version", (json_int_t)n, "href", href,
                                "published_at", at, "lang", t->lang, "current", n == t->total);
        nb_staff_set_text(row, "author", nb_str_c(nb_staff_str(v, "author")));
        nb_staff_set_text(row, "title", nb_str_c(nb_staff_str(v, "title")));
        json_array_append_new(rows, row);
    }
    json_t *h = json_pack("{s:o}", "versions", rows);
    int64_t older = t->total - (int64_t)json_array_size(rows);
    if (older > 0) {
        char num[24];
        snprintf(num, sizeof(num), "%lld", (long long)older);
        json_object_set_new(
            h, "older",
            json_string(nb_staff_format(s, "staff_version_history_older", "count", num)));
    }
    return h;
}

void nb_staff_version_page(struct nb_staff *s, const struct nb_staff_versioned *t, json_t *v,
                           const struct nb_staff_version_view *view)
{
    const char *html =
        nb_staff_markdown(s, nb_str_c(nb_staff_str(v, "body_md")), view->heading_shift);
    if (!html) {
        nb_staff_message(s, 503, "error_500_title", "error_500_text");
        return;
    }
    int64_t n = json_integer_value(json_object_get(v, "version"));
    json_t *m = nb_staff_model(s, "staff_version");
    json_object_set_new(json_object_get(m, "page"), "title", json_string(view->title));
    char at[40], href[NB_STAFF_URL_MAX];
    nb_staff_time_text(s->lang, json_integer_value(json_object_get(v, t->time_key)), at,
                       sizeof(at));
    json_t *shown = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b}", "subject_label",
                              view->subject_label, "subject", view->subject, "lang", t->lang,
                              "lang_label", view->lang_label, "version", (json_int_t)n,
                              "published_at", at, "html", html, "current", n == t->total);
    nb_staff_set_text(shown, "title", nb_str_c(nb_staff_str(v, "title")));
    nb_staff_set_text(shown, "author", nb_str_c(nb_staff_str(v, "author")));
    nb_staff_set_text(shown, "body", nb_str_c(nb_staff_str(v, "body_md")));
    json_object_set_new(m, "shown", shown);
    if (n > 1) {
        version_url(s, t, n - 1, href, sizeof(href));
        json_object_set_new(m, "older_href", json_string(href));
    }
    if (n < t->total) {
        version_url(s, t, n + 1, href, sizeof(href));
        json_object_set_new(m, "newer_href", json_string(href));
    }
    nb_staff_url(s, t->base, href, sizeof(href));
    json_object_set_new(m, "back",
                        json_pack("{s:s, s:s}", "href", href, "label", view->back_label));
    nb_staff_render(s, 200, "staff_version", m);
}
