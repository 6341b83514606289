/* check.h: validation of the fields the domain stores.
 *
 * Every text that reaches the store passes one of these first. Lengths are bytes of UTF-8.
 * Each check returns NB_ERR_LIMIT when a field is longer than its limit, NB_ERR_INPUT when it
 * is malformed (invalid UTF-8, control characters, a blank required field, bad syntax), and
 * NB_OK otherwise; the limit test comes first, so an over-long field is always LIMIT.
 * A view with ptr NULL is an absent field; nb_check_opt turns an empty field into an absent
 * one, which the store keeps as NULL. Pure functions, thread-safe. */
#ifndef NB_DOMAIN_CHECK_H
#define NB_DOMAIN_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "store/store.h"

/* The limits of these fields are in base/limits.h. */

/* An empty view becomes absent (ptr NULL); an absent one stays absent. */
struct nb_str nb_check_opt(struct nb_str s);

/* One line of text: valid UTF-8, no control characters (not even tab or newline), at most
 * max bytes; with required, present and not only spaces. */
NB_MUST_USE enum nb_err nb_check_line(struct nb_str s, size_t max, bool required);
/* Text of several lines (Markdown, addresses): as nb_check_line, but tab, CR and LF are
 * allowed. */
NB_MUST_USE enum nb_err nb_check_text(struct nb_str s, size_t max, bool required);
/* A slug (nb_str_is_slug). */
NB_MUST_USE enum nb_err nb_check_slug(struct nb_str s);
/* A language tag in lower case, after the syntax of RFC 5646 as far as we use it: a primary
 * language of 2-3 letters, then subtags of 1-8 letters or digits separated by '-', where a
 * single-character subtag (such as the private-use "x") must be followed by another
 * subtag (after "x", all subtags are private use and may be single characters). Examples:
 * "de", "en", "de-x-ls", "ar", "sr-latn", "de-at". Upper case is refused
 * (NB_ERR_INPUT) so that one language has one spelling; callers lower-case what users type. */
NB_MUST_USE enum nb_err nb_check_lang(struct nb_str s);
/* A host name in lower case: labels of [a-z0-9-], 1-63 bytes, not starting or ending with
 * '-', separated by single dots; no port, no trailing dot. */
NB_MUST_USE enum nb_err nb_check_host(struct nb_str s);
/* An e-mail address local@domain: the local part of 1-64 bytes of letters, digits and
 * !#$%&'*+/=?^_`{|}~.- (no dot at either end, no two dots in a row), the domain a host name
 * with at least one dot (upper case allowed in both). Optional when required is false. */
NB_MUST_USE enum nb_err nb_check_email(struct nb_str s, bool required);
/* A telephone number as people write it: digits, spaces, and + ( ) / - ; at least three
 * digits; a "+" only at the start. Optional when required is false. */
NB_MUST_USE enum nb_err nb_check_phone(struct nb_str s, bool required);
/* A calendar date "YYYY-MM-DD" (base/civil.h). */
NB_MUST_USE enum nb_err nb_check_date(struct nb_str s);
/* An instant (unix seconds) from 1970 to the end of year 9999. */
NB_MUST_USE enum nb_err nb_check_time(int64_t t);

/* A set of per-language texts: at most NB_LANGS_MAX (NB_ERR_LIMIT), every tag valid and
 * none twice (NB_ERR_INPUT), every text a line of at most max bytes (NB_NOTE_MAX fields may
 * span lines when multiline), required ones not blank; with need_de, one of them is "de". */
NB_MUST_USE enum nb_err nb_check_lang_texts(const struct nb_store_lang_text *t, size_t n,
                                            size_t max, bool multiline, bool need_de);

/* Checks that tag occurs at most once among the n tags reached through get(items, i) and
 * whether "de" is among them; NB_ERR_INPUT on a repetition. For the structs that carry more
 * than one text per language. */
NB_MUST_USE enum nb_err nb_check_unique_langs(const void *items, size_t n,
                                              struct nb_str (*get)(const void *items, size_t i),
                                              bool *has_de);

#endif
