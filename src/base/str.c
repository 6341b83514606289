/* str.c: string views. Bounded, no allocation. */
#include "base/str.h"

#include <string.h>

#include "base/limits.h"

struct nb_str nb_str_c(const char *s)
{
    return (struct nb_str){s ? s : "", s ? strlen(s) : 0};
}

bool nb_str_eq(struct nb_str a, struct nb_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool nb_str_eq_c(struct nb_str a, const char *b)
{
    return nb_str_eq(a, nb_str_c(b));
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool nb_str_eq_nocase(struct nb_str a, struct nb_str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (lower(a.ptr[i]) != lower(b.ptr[i]))
            return false;
    return true;
}

bool nb_str_starts(struct nb_str s, struct nb_str prefix)
{
    return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

bool nb_str_ends(struct nb_str s, struct nb_str suffix)
{
    return s.len >= suffix.len &&
           (suffix.len == 0 || memcmp(s.ptr + s.len - suffix.len, suffix.ptr, suffix.len) == 0);
}

ptrdiff_t nb_str_find(struct nb_str s, char c)
{
    const char *p = s.len ? memchr(s.ptr, c, s.len) : NULL;
    return p ? p - s.ptr : -1;
}

struct nb_str nb_str_trim(struct nb_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
        s.ptr++;
        s.len--;
    }
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

struct nb_str nb_str_cut(struct nb_str s, char sep, struct nb_str *head)
{
    ptrdiff_t i = nb_str_find(s, sep);
    if (i < 0) {
        *head = s;
        return (struct nb_str){NULL, 0};
    }
    *head = (struct nb_str){s.ptr, (size_t)i};
    return (struct nb_str){s.ptr + i + 1, s.len - (size_t)i - 1};
}

bool nb_str_to_u64(struct nb_str s, uint64_t max, uint64_t *out)
{
    if (s.len == 0 || s.len > 20)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c < '0' || c > '9')
            return false;
        uint64_t d = (uint64_t)(c - '0');
        if (d > max || v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool nb_str_is_slug(struct nb_str s)
{
    if (s.len == 0 || s.len > NB_SLUG_MAX || s.ptr[0] == '-' || s.ptr[s.len - 1] == '-')
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}
