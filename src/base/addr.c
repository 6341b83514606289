/* addr.c: numeric IP addresses. inet_pton does the reading: it accepts exactly the numeric
 * forms and never consults a resolver. */
#include "base/addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static void set_v6(struct nb_addr *out, const unsigned char b[16])
{
    if (memcmp(b, v4_mapped, sizeof(v4_mapped)) == 0) {
        out->family = 4;
        memcpy(out->bytes, b + 12, 4);
        return;
    }
    out->family = 6;
    memcpy(out->bytes, b, 16);
}

bool nb_addr_parse(struct nb_str s, struct nb_addr *out)
{
    memset(out, 0, sizeof(*out));
    char text[NB_ADDR_TEXT];
    if (!s.ptr || s.len == 0 || s.len >= sizeof(text) || memchr(s.ptr, '\0', s.len))
        return false;
    memcpy(text, s.ptr, s.len);
    text[s.len] = '\0';
    unsigned char b[16];
    if (inet_pton(AF_INET, text, b) == 1) {
        out->family = 4;
        memcpy(out->bytes, b, 4);
        return true;
    }
    if (inet_pton(AF_INET6, text, b) == 1) {
        set_v6(out, b);
        return true;
    }
    return false;
}

bool nb_addr_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct nb_addr *out)
{
    memset(out, 0, sizeof(*out));
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)sa;
        out->family = 4;
        memcpy(out->bytes, &a->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)(const void *)sa;
        set_v6(out, a->sin6_addr.s6_addr);
        return true;
    }
    return false;
}

const char *nb_addr_format(const struct nb_addr *a, char out[NB_ADDR_TEXT])
{
    out[0] = '\0';
    int af = a->family == 4 ? AF_INET : a->family == 6 ? AF_INET6 : 0;
    if (!af || !inet_ntop(af, a->bytes, out, NB_ADDR_TEXT))
        out[0] = '\0';
    return out;
}

bool nb_addr_eq(const struct nb_addr *a, const struct nb_addr *b)
{
    return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

enum nb_err nb_addr_list_parse(struct nb_str text, struct nb_addr_list *out, struct nb_str *bad)
{
    memset(out, 0, sizeof(*out));
    if (nb_str_trim(text).len == 0)
        return NB_OK;
    struct nb_str rest = text, item;
    for (;;) {
        struct nb_str after = nb_str_cut(rest, ',', &item);
        item = nb_str_trim(item);
        enum nb_err err = NB_OK;
        struct nb_addr a;
        if (!nb_addr_parse(item, &a))
            err = NB_ERR_INPUT;
        else if (out->n == NB_HTTP_TRUSTED_PROXIES_MAX)
            err = NB_ERR_LIMIT;
        if (err != NB_OK) {
            if (bad)
                *bad = item;
            memset(out, 0, sizeof(*out));
            return err;
        }
        out->addr[out->n++] = a;
        if (!after.ptr)
            return NB_OK;
        rest = after;
    }
}

bool nb_addr_list_has(const struct nb_addr_list *list, const struct nb_addr *a)
{
    if (!list)
        return false;
    for (size_t i = 0; i < list->n; i++)
        if (nb_addr_eq(&list->addr[i], a))
            return true;
    return false;
}
