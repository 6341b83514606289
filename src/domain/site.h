/* site.h: everything the public site of one office shows, as one JSON document.
 *
 * nb_site_load reads the office in one read transaction, so the document is one consistent
 * snapshot even while editors write. The public-site renderer (web/site.h) consumes it;
 * the read-only JSON API may serve parts of it. Only public content is in it: unpublished
 * notices and withdrawn press updates are left out.
 *
 * Conventions: times are JSON integers of unix seconds (UTC); the renderer shows them in
 * Europe/Berlin. Per-language text is an object keyed by language tag ("de", "de-x-ls",
 * "en", ...), German first, then by tag; a language may be missing, so the renderer falls
 * back to "de". "str|null" marks the only fields that may be null; every other key is
 * always present with the type given. Arrays may be empty.
 *
 * {
 *   "changed_at": int,          the "Stand": newest visible change of anything below
 *   "office": {
 *     "id": int, "slug": str, "name": str,
 *     "land": str,              two-letter code of the Land, upper case ("MV")
 *     "host": str|null,
 *     "state": str,             "normal" | "stoerung" | "notbetrieb" | "wiederanlauf" |
 *                               "restored"
 *     "state_since": int,
 *     "state_note": {lang: str},
 *     "created_at": int, "changed_at": int,
 *     "settings": {"email": str|null, "phone": str|null, "address": str|null}
 *                               (address may hold newlines)
 *   },
 *   "notices": [                published notices: pinned first, then by sort, then
 *                               newest update first
 *     {
 *       "slug": str, "pinned": bool, "archived": bool, "published": true, "sort": int,
 *       "created_at": int, "changed_at": int,
 *       "updated_at": int,      newest version's published_at over all languages
 *       "variants": {lang: {
 *         "lang": str, "version": int, "title": str, "body_md": str,
 *         "published_at": int, "author": str,
 *         "versions": [         every version of this language, newest first;
 *                               versions[0] is the variant itself
 *           {"lang": str, "version": int, "title": str, "body_md": str,
 *            "published_at": int, "author": str}
 *         ]
 *       }}
 *     }
 *   ],
 *   "press": [                  published press updates, newest published_at first
 *     {
 *       "slug": str, "published_at": int, "published": true,
 *       "created_at": int, "changed_at": int,
 *       "iso_year": int, "iso_week": int,   ISO week of published_at in Europe/Berlin
 *       "texts": {lang: {"title": str, "body_md": str}}
 *     }
 *   ],
 *   "services": [               by sort, then slug
 *     {
 *       "slug": str,
 *       "state": str,           "online" | "restricted" | "paper" | "appointment" |
 *                               "suspended" | "other_office"
 *       "department": str|null, slug of the responsible department
 *       "other_office": str|null,  name of the office that took over; set exactly when
 *                               state is "other_office"
 *       "sort": int, "changed_at": int,
 *       "texts": {lang: {"name": str, "description_md": str, "fallback_md": str}}
 *                               (description_md and fallback_md may be "")
 *     }
 *   ],
 *   "departments": [            by sort, then slug
 *     {
 *       "slug": str, "name": {lang: str},
 *       "phone": str|null, "email": str|null, "room": str|null,
 *       "sort": int, "changed_at": int,
 *       "contacts": [ contact ],     by sort, then name
 *       "hours": [                   weekly slots, by kind, weekday, start
 *         {"kind": "phone"|"counter", "weekday": int (1 = Monday .. 7),
 *          "start": int, "end": int}  minutes after local midnight, end exclusive,
 *                                     0 <= start < end <= 1440
 *       ],
 *       "exceptions": [              by date
 *         {"date": "YYYY-MM-DD", "closed": bool,
 *          "slots": [{"kind": str, "start": int, "end": int}],  empty when closed
 *          "note": {lang: str}}
 *       ]
 *     }
 *   ],
 *   "dpo": contact | null,      the data-protection officer (also listed in its department)
 *   "pages": {                  each key always present; {} when the page has no text yet
 *     "imprint": {lang: page}, "privacy": {lang: page},
 *     "accessibility": {lang: page}, "phishing": {lang: page}
 *   }
 * }
 * contact: {"id": int, "department": str (slug), "name": str, "role": {lang: str},
 *           "phone": str|null, "email": str|null, "is_dpo": bool, "sort": int,
 *           "changed_at": int}
 * page:    {"lang": str, "version": int, "title": str, "body_md": str, "updated_at": int,
 *           "author": str}
 *
 * Public holidays are not in the document: they follow from "land" (base/holiday.h). */
#ifndef NB_DOMAIN_SITE_H
#define NB_DOMAIN_SITE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* The document of the office with that slug. *out is the caller's on NB_OK, NULL
 * otherwise. NB_ERR_NOTFOUND when there is no such office (also for a malformed slug),
 * NB_ERR_NOMEM, NB_ERR_DB. Blocks on disk I/O; safe from any thread. */
NB_MUST_USE enum nb_err nb_site_load(struct nb_store *s, const char *office_slug, json_t **out);
/* The same for an office id. */
NB_MUST_USE enum nb_err nb_site_load_id(struct nb_store *s, int64_t office_id, json_t **out);

#endif
