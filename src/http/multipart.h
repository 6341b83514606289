/* multipart.h: multipart/form-data bodies (RFC 7578 on RFC 2046), and one way for handlers
 * to read a form field whatever the form's encoding.
 *
 * The body is attacker-controlled. The parser walks it once with an explicit length, never
 * reads past it and copies nothing: names, filenames, content types and part bodies are views
 * into the body, which must outlive them. It is strict: CRLF line endings only, the closing
 * delimiter is required, a delimiter followed by anything but "--", transport padding (spaces
 * and tabs) and CRLF is refused. Preamble and epilogue are ignored. Nothing here blocks or
 * keeps state between calls; all functions are safe to call from many threads on different
 * data.
 *
 * Errors: NB_ERR_INPUT for malformed input, NB_ERR_LIMIT past a limit of base/limits.h
 * (more than NB_HTTP_FORM_FIELDS_MAX parts, a part header block longer than
 * NB_HTTP_PART_HEADER_MAX, a body longer than NB_HTTP_BODY_MAX). */
#ifndef NB_HTTP_MULTIPART_H
#define NB_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"

/* Finds the boundary parameter in a Content-Type header value whose media type is
 * multipart/form-data (compared without case; other parameters are skipped). The value may
 * be a token or a quoted-string; it must be 1..NB_HTTP_BOUNDARY_MAX characters of RFC 2046
 * bchars, not ending in a space (a space needs the quoted form). *boundary is a view into
 * content_type, without the quotes. NB_OK; NB_ERR_INPUT for another media type, a missing,
 * repeated, empty, too long or malformed boundary, or a malformed parameter list. */
NB_MUST_USE enum nb_err nb_http_multipart_boundary(struct nb_str content_type,
                                                   struct nb_str *boundary);

/* One part. All fields are views into the body given to the iterator. */
struct nb_http_part {
    /* The name parameter of Content-Disposition: form-data, without the quotes: non-empty,
     * valid UTF-8 without control characters (C0 including tab, DEL). Browsers write '"',
     * CR and LF in names as %22, %0D and %0A (HTML standard); those escapes are kept as they
     * are, and a backslash is an ordinary byte (no quoted-pair). */
    struct nb_str name;
    /* The filename parameter under the same rules but possibly empty (a file input with no
     * file chosen); has_filename says whether it was present, which makes the part a file
     * part. */
    struct nb_str filename;
    bool has_filename;
    /* The Content-Type header of the part, trimmed; empty when absent. */
    struct nb_str content_type;
    /* The content, raw bytes: anything but the delimiter (CRLF "--" boundary). */
    struct nb_str body;
};

/* Iterates the parts one by one. The body and the boundary must outlive the iterator. */
struct nb_http_multipart_iter {
    struct nb_str body;
    struct nb_str boundary;
    size_t pos;      /* offset of the next part's headers, once started */
    size_t count;    /* parts returned so far */
    bool started;    /* the first delimiter has been found */
    enum nb_err end; /* sticky: NB_OK while parts may follow, else what next returns */
};

void nb_http_multipart_iter(struct nb_http_multipart_iter *it, struct nb_str body,
                            struct nb_str boundary);

/* Reads the next part into *part. NB_OK; NB_ERR_NOTFOUND after the closing delimiter;
 * NB_ERR_INPUT or NB_ERR_LIMIT as above. An error is sticky: every later call returns it.
 * Part headers are "Name: value" lines; names compare without case; Content-Disposition is
 * required and must be form-data with a name parameter (parameters may be tokens or quoted
 * strings; repeated parameters, folded lines, header lines without ':' and control
 * characters other than tab are refused); Content-Type may appear once; other headers are
 * ignored. A body whose first delimiter is the closing one has no parts (browsers send this
 * for an empty form). Allocates nothing. */
NB_MUST_USE enum nb_err nb_http_multipart_next(struct nb_http_multipart_iter *it,
                                               struct nb_http_part *part);

/* Validates a whole body: NB_OK, NB_ERR_INPUT or NB_ERR_LIMIT. */
NB_MUST_USE enum nb_err nb_http_multipart_check(struct nb_str body, struct nb_str boundary);

/* Finds the first part whose name equals name (exact, case-sensitive, bytes as sent) and sets
 * *value to a view of its raw body (text or file). The whole body is validated first, so the
 * answer does not depend on where the part stands; of parts with the same name the first
 * wins. NB_OK; NB_ERR_NOTFOUND; NB_ERR_INPUT or NB_ERR_LIMIT for a malformed or oversized
 * body. Allocates nothing. */
NB_MUST_USE enum nb_err nb_http_multipart_get(struct nb_str body, struct nb_str boundary,
                                              const char *name, struct nb_str *value);

/* The one way for handlers to read a text field of a submitted form. Dispatches on the
 * Content-Type header value: application/x-www-form-urlencoded goes to nb_http_form_get
 * (http/parse.h), multipart/form-data to nb_http_multipart_get; anything else, including an
 * empty content type, is NB_ERR_INPUT. The value is a copy in a, NUL-terminated, valid UTF-8
 * without NUL and without control characters other than tab, CR and LF (else NB_ERR_INPUT).
 * A multipart field that is a file part is NB_ERR_INPUT here: file contents are read with
 * the iterator. The first field with the name wins. NB_OK; NB_ERR_NOTFOUND; NB_ERR_INPUT;
 * NB_ERR_LIMIT; NB_ERR_NOMEM when the arena budget runs out. */
NB_MUST_USE enum nb_err nb_http_form_field(struct nb_str content_type, struct nb_str body,
                                           const char *name, struct nb_arena *a,
                                           struct nb_str *value);

#endif
