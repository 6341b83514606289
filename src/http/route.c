/* route.c: segment by segment matching of a path against a route pattern. */
#include "http/route.h"

#include <string.h>

/* The next segment of s after its leading '/', and what follows it; false at the end. */
static bool next_segment(struct nb_str *s, struct nb_str *seg)
{
    if (s->len == 0 || s->ptr[0] != '/')
        return false;
    size_t i = 1;
    while (i < s->len && s->ptr[i] != '/')
        i++;
    *seg = (struct nb_str){s->ptr + 1, i - 1};
    *s = (struct nb_str){s->ptr + i, s->len - i};
    return true;
}

int nb_route_match(const char *pattern, struct nb_str path, struct nb_route_params *p)
{
    p->n = 0;
    int literals = 0;
    struct nb_str pat = nb_str_c(pattern);
    if (nb_str_eq_c(pat, "/"))
        return nb_str_eq_c(path, "/") ? 0 : -1;
    struct nb_str want, got;
    while (next_segment(&pat, &want)) {
        bool param = want.len >= 2 && want.ptr[0] == '{' && want.ptr[want.len - 1] == '}';
        bool rest = param && want.len >= 5 && memcmp(want.ptr + want.len - 4, "...}", 4) == 0;
        if (rest) {
            /* The rest of the path, without its leading '/'. */
            if (pat.len || path.len < 2 || path.ptr[0] != '/' || p->n == NB_ROUTE_PARAMS_MAX)
                return -1;
            p->v[p->n++] = (struct nb_str){path.ptr + 1, path.len - 1};
            return literals;
        }
        if (!next_segment(&path, &got) || got.len == 0)
            return -1;
        if (param) {
            if (p->n == NB_ROUTE_PARAMS_MAX)
                return -1;
            p->v[p->n++] = got;
        } else if (nb_str_eq(want, got)) {
            literals++;
        } else {
            return -1;
        }
    }
    return path.len == 0 ? literals : -1;
}
