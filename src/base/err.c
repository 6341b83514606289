/* err.c: names of the error codes, for logs and messages. */
#include "base/err.h"

const char *nb_err_str(enum nb_err err)
{
    switch (err) {
    case NB_OK:
        return "ok";
    case NB_ERR_NOMEM:
        return "nomem";
    case NB_ERR_LIMIT:
        return "limit";
    case NB_ERR_INPUT:
        return "input";
    case NB_ERR_NOTFOUND:
        return "notfound";
    case NB_ERR_CONFLICT:
        return "conflict";
    case NB_ERR_DENIED:
        return "denied";
    case NB_ERR_IO:
        return "io";
    case NB_ERR_DB:
        return "db";
    case NB_ERR_INTERNAL:
        return "internal";
    }
    return "unknown";
}
