/* proxy.c: X-Forwarded-For and X-Forwarded-Proto from trusted proxies (see proxy.h).
 *
 * The lists are walked from their end backwards without copying them: a cursor over the
 * header values, last value first, each value from its end. The walk stops at the first
 * untrusted address, so its cost is bounded by NB_HTTP_FORWARDED_MAX elements, not by what
 * a client wrote further left. */
#include "http/proxy.h"

#include <string.h>

#include "base/limits.h"

/* A cursor that yields the elements of a list of header values from the right. */
struct rcursor {
    const struct nb_str *vals;
    size_t nvals;      /* values not yet entered */
    struct nb_str cur; /* the unread part of the value being read */
};

static void rcursor_init(struct rcursor *c, const struct nb_str *vals, size_t n)
{
    c->vals = vals;
    c->nvals = n;
    c->cur = (struct nb_str){"", 0};
}

/* The next non-empty element (trimmed) from the right; false when none is left. */
static bool rcursor_next(struct rcursor *c, struct nb_str *out)
{
    for (;;) {
        if (c->cur.len == 0) {
            if (c->nvals == 0)
                return false;
            c->cur = c->vals[--c->nvals];
            if (!c->cur.ptr)
                c->cur = (struct nb_str){"", 0};
            continue;
        }
        size_t end = c->cur.len, start = end;
        while (start > 0 && c->cur.ptr[start - 1] != ',')
            start--;
        struct nb_str item = nb_str_trim((struct nb_str){c->cur.ptr + start, end - start});
        /* Drop the element and its comma; a value that began with a comma leaves an empty
         * rest, which is the empty element before it. */
        c->cur.len = start > 0 ? start - 1 : 0;
        if (item.len) {
            *out = item;
            return true;
        }
    }
}

/* One element: ADDR, [IPV6], [IPV6]:PORT or IPV4:PORT. */
static bool element_addr(struct nb_str e, struct nb_addr *out)
{
    if (e.len > NB_HTTP_FORWARDED_ELEMENT_MAX)
        return false;
    struct nb_str host = e, port = {"", 0};
    if (e.ptr[0] == '[') {
        ptrdiff_t close = nb_str_find(e, ']');
        if (close < 0)
            return false;
        host = (struct nb_str){e.ptr + 1, (size_t)close - 1};
        struct nb_str after = {e.ptr + close + 1, e.len - (size_t)close - 1};
        if (after.len && (after.ptr[0] != ':' || after.len == 1))
            return false;
        if (after.len)
            port = (struct nb_str){after.ptr + 1, after.len - 1};
        if (!nb_addr_parse(host, out) || nb_str_find(host, ':') < 0)
            return false; /* brackets hold IPv6 text only */
    } else {
        ptrdiff_t colon = nb_str_find(e, ':');
        bool one_colon =
            colon >= 0 &&
            nb_str_find((struct nb_str){e.ptr + colon + 1, e.len - (size_t)colon - 1}, ':') < 0;
        if (one_colon) { /* IPv4 with a port: IPv6 text has at least two colons */
            host = (struct nb_str){e.ptr, (size_t)colon};
            port = (struct nb_str){e.ptr + colon + 1, e.len - (size_t)colon - 1};
            if (port.len == 0 || nb_str_find(host, '.') < 0)
                return false;
        }
        if (!nb_addr_parse(host, out))
            return false;
    }
    uint64_t p;
    return port.len == 0 || (port.len <= 5 && nb_str_to_u64(port, 65535, &p));
}

void nb_http_proxy_resolve(const struct nb_addr_list *trusted, const struct nb_addr *peer,
                           const struct nb_str *xff, size_t nxff, const struct nb_str *proto,
                           size_t nproto, struct nb_http_forwarded *out)
{
    memset(out, 0, sizeof(*out));
    out->client = *peer;
    out->from_proxy = nb_addr_list_has(trusted, peer);
    if (!out->from_proxy)
        return;

    struct rcursor c;
    struct nb_str e;
    rcursor_init(&c, proto, nproto);
    out->tls = rcursor_next(&c, &e) && nb_str_eq_nocase(e, NB_STR("https"));

    rcursor_init(&c, xff, nxff);
    struct nb_addr a, leftmost = *peer;
    for (size_t seen = 0; rcursor_next(&c, &e); seen++) {
        if (seen == NB_HTTP_FORWARDED_MAX || !element_addr(e, &a)) {
            out->malformed = true;
            return;
        }
        if (!nb_addr_list_has(trusted, &a)) {
            out->client = a;
            return;
        }
        leftmost = a;
    }
    out->client = leftmost; /* all trusted: the request began at a proxy */
}
