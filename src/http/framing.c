/* framing.c: the RFC 9112 header-block rules of framing.h. Counting only; the library has
 * already split the lines, so what is checked here is what it handed over. */
#include "http/framing.h"

#include <string.h>

void nb_framing_init(struct nb_framing *f)
{
    memset(f, 0, sizeof(*f));
}

void nb_framing_add(struct nb_framing *f, struct nb_str name, struct nb_str value, bool folded)
{
    if (nb_str_eq_nocase(name, NB_STR("Content-Length")))
        f->content_length++;
    else if (nb_str_eq_nocase(name, NB_STR("Transfer-Encoding")))
        f->transfer_encoding++;
    else if (nb_str_eq_nocase(name, NB_STR("Host")))
        f->host++;
    if ((name.len && memchr(name.ptr, '\r', name.len)) ||
        (value.len && memchr(value.ptr, '\r', value.len)))
        f->bare_cr = true;
    if (folded)
        f->folded = true;
}

const char *nb_framing_verdict(const struct nb_framing *f)
{
    if (f->content_length && f->transfer_encoding)
        return "cl_and_te";
    if (f->content_length > 1)
        return "cl_repeated";
    if (f->host > 1)
        return "host_repeated";
    if (f->bare_cr)
        return "bare_cr";
    if (f->folded)
        return "folded";
    return NULL;
}
