/* markdown.h: CommonMark to HTML for notices, press updates and legal pages (cmark).
 *
 * Raw HTML in the source is never passed through (cmark's safe mode replaces it with a
 * comment), and links or images with javascript:, vbscript:, file: or data: URLs other
 * than images are dropped by cmark. Headings are shifted so that a notice rendered under
 * an h2 starts its own sections at h3: heading levels become min(level + shift, 6). */
#ifndef NB_VIEW_MARKDOWN_H
#define NB_VIEW_MARKDOWN_H

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"

/* Appends the HTML of src to out. NB_ERR_LIMIT when src exceeds NB_MARKDOWN_MAX,
 * NB_ERR_INPUT when it is not valid UTF-8, NB_ERR_NOMEM when cmark fails. */
NB_MUST_USE enum nb_err nb_markdown_html(struct nb_str src, int heading_shift, struct nb_buf *out);

#endif
