/* form.h: back-office forms as tables of fields. Private to web/ (like staff.h).
 *
 * A form is an array of struct nb_form_field, one row per field: its name (also the id of
 * its control), its kind, its limits, whether it is required, the language of its content
 * and the catalog keys (src/view/messages.def) of its messages. One call reads the POST
 * body (parsed once per request, the CSRF token included), checks every field
 * (domain/check.h), and leaves in struct nb_form the values as typed (to show again), the
 * typed values (for the command) and one message per wrong field. nb_form_values and
 * nb_form_summary turn that into the view model: name / name_error / name_lang members,
 * and the error summary at the top of the form (templates/staff_form_errors.mustache) that
 * names and links each wrong field, as GOV.UK's error summary does.
 *
 * Bytes a field cannot hold are never dropped: a field with invalid UTF-8 or a control
 * character (C0 or DEL; tab, CR and LF are allowed in NB_FORM_TEXT only) is wrong with a
 * message that names it by its label, and the value shown again has each such byte
 * replaced by U+FFFD. A field that is absent from the body is empty.
 *
 * Memory: everything a form holds lives in the arena it was given (the request's) and
 * borrows the descriptor, which is static. Nothing here blocks or keeps global state. */
#ifndef NB_WEB_FORM_H
#define NB_WEB_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "view/i18n.h"

struct nb_staff;

enum nb_form_kind {
    NB_FORM_LINE,   /* one line of text (nb_check_line, at most max bytes); trimmed */
    NB_FORM_TEXT,   /* several lines, Markdown or an address (nb_check_text); kept as typed */
    NB_FORM_SLUG,   /* an address part (nb_check_slug); trimmed */
    NB_FORM_CHOICE, /* one of the values in choices; num is its index */
    NB_FORM_BOOL,   /* a checkbox or a named button: on when sent with a value */
    NB_FORM_INT,    /* a decimal number in [min, imax], optional leading '-'; num */
    NB_FORM_DATE,   /* YYYY-MM-DD (base/civil.h); num is the day number */
    NB_FORM_TIME,   /* HH:MM; num is the minute of the day, at most imax (0: 23:59) */
    NB_FORM_PHONE,  /* a telephone number (nb_check_phone), at most max bytes; trimmed */
    NB_FORM_EMAIL,  /* an e-mail address (nb_check_email), at most max bytes; trimmed */
};

struct nb_form_field {
    const char *name; /* in the body, the control's id, and the id of its message (name-error) */
    enum nb_form_kind kind;
    bool required;
    size_t max;                 /* bytes (LINE, TEXT, PHONE, EMAIL) */
    int64_t min, imax;          /* INT range; TIME: imax minutes */
    const char *const *choices; /* CHOICE: the values, ended by NULL */
    const char *lang;           /* language of the content ("en"), NULL: the page's */
    const char *anchor;         /* id the summary links to, NULL: name (a radio group: its first) */
    const char *label_key;      /* the field's label: names it in byte messages */
    const char *missing_key;    /* required and empty; NULL: invalid_key */
    const char *long_key;       /* over max, with {max}; NULL: invalid_key */
    const char *invalid_key;    /* anything else the check refuses */
};

struct nb_form_value {
    struct nb_str shown; /* as typed (or as stored), valid UTF-8, NUL-terminated */
    struct nb_str text;  /* the typed text: trimmed where the kind says, "" when absent */
    int64_t num;         /* INT, DATE, TIME, CHOICE (see the kinds) */
    bool on;             /* BOOL */
    const char *error;   /* the field's message, NULL when it is valid */
};

struct nb_form {
    const struct nb_form_field *fields; /* borrowed, static */
    size_t n;
    struct nb_form_value v[NB_FORM_FIELDS_MAX];
    size_t errors; /* fields with a message */
    enum nb_lang lang;
    struct nb_arena *arena;
};

/* A POST body decoded once into (name, value) pairs of raw bytes (escapes resolved, nothing
 * checked), in the order sent. Multipart file parts are left out. */
struct nb_form_body {
    size_t n;
    bool non_text; /* a name or value holds invalid UTF-8 or a control other than tab, CR, LF */
    struct nb_str name[NB_HTTP_FORM_FIELDS_MAX], value[NB_HTTP_FORM_FIELDS_MAX];
};

/* Decodes body by its Content-Type (urlencoded or multipart/form-data) into *out, allocated
 * in a; an empty body is a form without fields. NB_ERR_INPUT when it cannot be decoded at all (another or no content type, a broken
 * %-escape, malformed multipart); NB_ERR_LIMIT past NB_HTTP_FORM_FIELDS_MAX fields;
 * NB_ERR_NOMEM when the arena runs out. Never fails for the bytes inside a value. */
NB_MUST_USE enum nb_err nb_form_body_parse(struct nb_str content_type, struct nb_str body,
                                           struct nb_arena *a, struct nb_form_body **out);
/* The raw value of the first pair called name; false when there is none. */
bool nb_form_body_get(const struct nb_form_body *b, const char *name, struct nb_str *value);

/* Starts f for the n fields (n <= NB_FORM_FIELDS_MAX, else aborts: a descriptor is code)
 * with every value empty, its messages in lang, its copies in a. */
void nb_form_init(struct nb_form *f, const struct nb_form_field *fields, size_t n,
                  enum nb_lang lang, struct nb_arena *a);
/* Sets field i to a stored value (GET): shown and text, as for a typed one, unchecked. */
void nb_form_set(struct nb_form *f, size_t i, struct nb_str value);
/* Reads every field from b (NULL: an empty body) and checks it. Returns NB_OK when every
 * field is valid, NB_ERR_INPUT when one or more have a message, NB_ERR_NOMEM. */
NB_MUST_USE enum nb_err nb_form_read(struct nb_form *f, const struct nb_form_body *b);
/* A message of the handler's own for field i (a date in the future, a taken slug); a field
 * keeps its first message. msg is borrowed (static or in the arena). */
void nb_form_fail(struct nb_form *f, size_t i, const char *msg);
/* The index of the field called name; n when there is none. */
size_t nb_form_index(const struct nb_form *f, const char *name);

/* Sets in obj, for each field: name (shown), name_error (when wrong) and name_lang (when
 * the field has a language). NB_ERR_NOMEM when jansson fails. */
NB_MUST_USE enum nb_err nb_form_values(const struct nb_form *f, json_t *obj);
/* The model of the error summary: NULL when no field is wrong; else
 * {"title": "Es gibt ein Problem", "items": [{"href": "#anchor", "text": message}, ...]}
 * in the order of the fields. New reference, NULL also when jansson fails (logged). */
json_t *nb_form_summary(const struct nb_form *f);

/* ---- in a back-office request -------------------------------------------------------- */

/* The request's body decoded once (kept in s); the CSRF check and every form read it.
 * Errors as nb_form_body_parse. */
NB_MUST_USE enum nb_err nb_form_staff_body(struct nb_staff *s, const struct nb_form_body **out);
/* Does the form posted to path (below /intern) read its body through this layer? Forms
 * that do report bytes that are no text on their field; the others still read single
 * fields with nb_staff_field, which cannot, so nb_staff_csrf_ok refuses a body with such
 * bytes for them, as it always did, rather than let a field count as empty. */
bool nb_form_staff_reads(const char *path);
/* nb_form_init in the request's language and arena, and nb_form_read from its body.
 * False when the body cannot be read at all: the answer is then given (400, 413 for too
 * many fields, 500 when memory runs out). True otherwise, with f->errors wrong fields. */
bool nb_form_staff_read(struct nb_staff *s, struct nb_form *f, const struct nb_form_field *fields,
                        size_t n);
/* The answer to a body that cannot be read (err from nb_form_staff_body). */
void nb_form_staff_refuse(struct nb_staff *s, enum nb_err err);
/* Renders template tpl (nb_staff_render) with page model m (consumed), the form's values
 * put into form_obj (a member of m: nb_form_values) and its summary as m.error_summary.
 * When jansson fails the answer is a 500 instead, never a page that lacks a field. */
void nb_form_staff_render(struct nb_staff *s, unsigned status, const char *tpl,
                          const struct nb_form *f, json_t *m, json_t *form_obj);

#endif
