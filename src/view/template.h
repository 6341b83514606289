/* template.h: Mustache templates (the core of the Mustache specification: variables, dotted
 * names, the implicit iterator ".", sections, inverted sections, comments, partials with
 * standalone indentation, set delimiters; no lambdas, no inheritance, no dynamic names).
 *
 * A template is compiled once (at start-up or when an office's overrides are loaded) and then
 * rendered many times. A compiled template and a template set are immutable after they are
 * built; rendering only reads them and the JSON context, so any number of threads may render
 * at once, provided nobody adds to the set or changes the JSON meanwhile.
 *
 * Output rules:
 * - {{name}} escapes all five of & < > " ' (' becomes &#39;); {{{name}}} and {{&name}} write
 *   the value as it is. Raw output is always greppable as "{{{" or "{{&".
 * - Strings are written as they are, integers in decimal, reals in the shortest of %.15g and
 *   %.17g that reads back as the same number (1.21 -> "1.21"), true and false as "true" and
 *   "false"; null, a missing name, objects and lists write nothing. Numbers assume the "C"
 *   locale for LC_NUMERIC, which notbetrieb never changes.
 * - Falsy for sections: a missing name, null, false, the empty list and the empty string.
 *   Everything else, 0 included, is truthy. A list renders its section once per item with the
 *   item on top of the context stack; any other truthy value renders it once with the value on
 *   top (so {{.}} names it).
 * - A partial is looked up by name when the template is rendered; a missing partial renders
 *   as nothing. Sections and partials together nest at most NB_TEMPLATE_DEPTH_MAX deep, so a
 *   recursive partial ends with NB_ERR_LIMIT instead of overflowing the stack. */
#ifndef NB_VIEW_TEMPLATE_H
#define NB_VIEW_TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"

struct nb_tpl;
struct nb_tpl_set;

/* Compiles len bytes of src (need not be NUL-terminated; the template keeps its own copy).
 * name is only used in error messages ("template" when NULL). On success *out owns a new
 * template (nb_tpl_free it). On failure *out is NULL and, when errmsg is not NULL, one line
 * "name:line: message" is appended to errmsg:
 *   NB_ERR_INPUT  a syntax error: unclosed tag, closing tag without or not matching its
 *                 section, section left open, bad set-delimiter tag, empty or bad tag name;
 *   NB_ERR_LIMIT  src longer than NB_TEMPLATE_SRC_MAX, a tag name longer than
 *                 NB_TEMPLATE_NAME_MAX, or sections nested deeper than NB_TEMPLATE_DEPTH_MAX.
 * Long-lived memory: aborts when out of memory. Does not block. */
NB_MUST_USE enum nb_err nb_tpl_compile(const char *src, size_t len, const char *name,
                                       struct nb_tpl **out, struct nb_buf *errmsg);

/* Reads and compiles the file at path (a regular file of at most NB_TEMPLATE_SRC_MAX bytes);
 * the path is the name in error messages. Errors as nb_tpl_compile, plus NB_ERR_IO when the
 * file cannot be read (with the reason in errmsg). Blocks on file I/O. */
NB_MUST_USE enum nb_err nb_tpl_compile_file(const char *path, struct nb_tpl **out,
                                            struct nb_buf *errmsg);

/* Frees the template and sets *t to NULL; accepts t or *t NULL. */
void nb_tpl_free(struct nb_tpl **t);

/* A new empty set of named templates (pages and partials). Aborts when out of memory. */
struct nb_tpl_set *nb_tpl_set_new(void);

/* Frees the set and all its templates and sets *s to NULL; accepts s or *s NULL. */
void nb_tpl_set_free(struct nb_tpl_set **s);

/* Compiles src (as nb_tpl_compile, with name in error messages) and adds it to the set under
 * name (a NUL-terminated string, copied), replacing and freeing a template of the same name.
 * On error the set is unchanged. Not to be called while another thread uses the set. */
NB_MUST_USE enum nb_err nb_tpl_set_add(struct nb_tpl_set *s, const char *name, const char *src,
                                       size_t len, struct nb_buf *errmsg);

/* Compiles every NAME.mustache in dir (not in subdirectories; names starting with '.' are
 * skipped) and adds it under NAME, replacing templates of the same name: an office's
 * overrides loaded over the built-in templates. All or nothing: on any error the set is
 * unchanged and errmsg names the file ("dir/NAME.mustache:line: message"). Errors:
 * NB_ERR_IO (dir or a file cannot be read), and those of nb_tpl_compile. Blocks on file
 * I/O. Not to be called while another thread uses the set. */
NB_MUST_USE enum nb_err nb_tpl_set_load_dir(struct nb_tpl_set *s, const char *dir,
                                            struct nb_buf *errmsg);

/* The template named name, or NULL. The set keeps ownership; the pointer stays valid until
 * the name is replaced or the set is freed. s may be NULL (then NULL). */
const struct nb_tpl *nb_tpl_set_get(const struct nb_tpl_set *s, const char *name);

/* Renders t with ctx (borrowed, only read; NULL renders as if every name were missing),
 * appending to out. Partials are looked up in partials (may be NULL: no partials). Returns
 *   NB_ERR_LIMIT  out reached its cap, sections and partials nested deeper than
 *                 NB_TEMPLATE_DEPTH_MAX, or the render exceeded its work budget (a page's
 *                 worth of steps: nested sections over long lists that print nothing);
 *   NB_ERR_NOMEM  out could not grow;
 * or an error already sticky in out. On error out holds a partial page: discard it.
 * Allocates nothing but out's memory. Does not block. */
NB_MUST_USE enum nb_err nb_tpl_render(const struct nb_tpl *t, const struct nb_tpl_set *partials,
                                      const json_t *ctx, struct nb_buf *out);

#endif
