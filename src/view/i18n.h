/* i18n.h: user-interface text in German and English, looked up per request.
 *
 * Every text has a key and its German wording in src/view/messages.def (the source that
 * xgettext reads, as msgctxt and msgid). Translations live in po/LANG.po, compiled by
 * msgfmt into a .mo catalog that the build embeds in the binary. nb_i18n_init loads them
 * once at start; after that everything here is read-only and safe from any thread. No
 * process-global locale is touched and no system locale needs to be installed.
 *
 * Languages of the user interface are enum nb_lang. Content (notices) may have further
 * language variants; those are data, not UI languages. */
#ifndef NB_VIEW_I18N_H
#define NB_VIEW_I18N_H

#include <jansson.h>
#include <stdbool.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"

enum nb_lang { NB_LANG_DE, NB_LANG_EN, NB_LANG_COUNT };

/* "de" or "en". */
const char *nb_lang_code(enum nb_lang lang);
/* Parses "de" or "en"; false for anything else. */
bool nb_lang_parse(struct nb_str code, enum nb_lang *out);

/* Loads the built-in catalogs. Returns NB_ERR_INPUT when a catalog is malformed. Call once
 * before any thread uses the functions below. */
NB_MUST_USE enum nb_err nb_i18n_init(void);
void nb_i18n_fini(void);

/* The text of key in lang; German when the catalog lacks it. An unknown key returns the
 * key itself (and is caught by the test that checks templates against messages.def). */
const char *nb_i18n_get(enum nb_lang lang, const char *key);

/* All texts of lang as one JSON object {key: text}; borrowed reference, immutable, valid
 * until nb_i18n_fini. Views put it under "t" so that templates write {{t.key}}. */
json_t *nb_i18n_table(enum nb_lang lang);

/* Number of keys that lang's catalog does not translate (0 for German). */
size_t nb_i18n_missing(enum nb_lang lang, struct nb_buf *names);

/* Appends the text of key with each "{name}" replaced by the matching value; args are
 * name, value pairs ended by NULL. Values are inserted as they are: escaping is the job of
 * the template that shows the result. */
void nb_i18n_format(struct nb_buf *out, enum nb_lang lang, const char *key, ...)
    __attribute__((sentinel));

#endif
