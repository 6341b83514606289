/* str.h: (pointer, length) string views.
 *
 * A view does not own its bytes and need not be NUL-terminated. NUL-terminated strings
 * appear only at libc and library boundaries. */
#ifndef NB_BASE_STR_H
#define NB_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nb_str {
    const char *ptr;
    size_t len;
};

#define NB_STR(lit) ((struct nb_str){(lit), sizeof(lit) - 1})
#define NB_STR_FMT(s) (int)(s).len, (s).ptr /* for "%.*s" */

/* View of a NUL-terminated string; s may be NULL (empty view). */
struct nb_str nb_str_c(const char *s);
bool nb_str_eq(struct nb_str a, struct nb_str b);
bool nb_str_eq_c(struct nb_str a, const char *b);
/* ASCII case-insensitive comparison (header names, tokens). */
bool nb_str_eq_nocase(struct nb_str a, struct nb_str b);
bool nb_str_starts(struct nb_str s, struct nb_str prefix);
bool nb_str_ends(struct nb_str s, struct nb_str suffix);
/* Index of the first c in s, or -1. */
ptrdiff_t nb_str_find(struct nb_str s, char c);
/* Removes ASCII spaces and tabs at both ends. */
struct nb_str nb_str_trim(struct nb_str s);
/* Splits s at the first sep: head gets the part before, the result is the rest after sep
 * (empty view with ptr NULL when sep does not occur: then head is all of s). */
struct nb_str nb_str_cut(struct nb_str s, char sep, struct nb_str *head);

/* Parses an unsigned decimal number of at most max; only digits, no sign, no spaces, at
 * least one digit. Returns false on anything else, including overflow. */
bool nb_str_to_u64(struct nb_str s, uint64_t max, uint64_t *out);

/* True when s is a slug: 1..NB_SLUG_MAX bytes of [a-z0-9-], not starting or ending in '-'. */
bool nb_str_is_slug(struct nb_str s);

#endif
