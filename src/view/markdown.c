/* markdown.c: cmark with safe defaults and heading shift. */
#include "view/markdown.h"

#include <cmark.h>
#include <stdlib.h>

#include "base/limits.h"
#include "base/utf8.h"

enum nb_err nb_markdown_html(struct nb_str src, int heading_shift, struct nb_buf *out)
{
    if (src.len > NB_MARKDOWN_MAX)
        return NB_ERR_LIMIT;
    if (!nb_utf8_valid(src.ptr, src.len))
        return NB_ERR_INPUT;
    /* Without CMARK_OPT_UNSAFE, cmark omits raw HTML and dangerous URLs. */
    const int opts = CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8;
    cmark_node *doc = cmark_parse_document(src.ptr, src.len, opts);
    if (!doc)
        return NB_ERR_NOMEM;
    if (heading_shift > 0) {
        cmark_iter *it = cmark_iter_new(doc);
        if (!it) {
            cmark_node_free(doc);
            return NB_ERR_NOMEM;
        }
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *n = cmark_iter_get_node(it);
            if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING) {
                int level = cmark_node_get_heading_level(n) + heading_shift;
                cmark_node_set_heading_level(n, level > 6 ? 6 : level);
            }
        }
        cmark_iter_free(it);
    }
    char *html = cmark_render_html(doc, opts);
    cmark_node_free(doc);
    if (!html)
        return NB_ERR_NOMEM;
    nb_buf_add_c(out, html);
    free(html);
    return out->err;
}
