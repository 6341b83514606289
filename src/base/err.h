/* err.h: the one error enum of notbetrieb.
 *
 * Every fallible function returns enum nb_err; NB_OK (0) is success. Exactly one
 * function (nb_http_status_of in http/) maps an error to an HTTP status; exactly one
 * (nb_err_str) names it for logs. */
#ifndef NB_BASE_ERR_H
#define NB_BASE_ERR_H

enum nb_err {
    NB_OK = 0,
    NB_ERR_NOMEM,    /* an allocation failed or a byte budget ran out */
    NB_ERR_LIMIT,    /* input is larger than a stated limit */
    NB_ERR_INPUT,    /* input is malformed or invalid */
    NB_ERR_NOTFOUND, /* the object asked for does not exist */
    NB_ERR_CONFLICT, /* the object exists already or changed meanwhile */
    NB_ERR_DENIED,   /* the actor may not do this */
    NB_ERR_IO,       /* a file or socket operation failed */
    NB_ERR_DB,       /* the store failed */
    NB_ERR_INTERNAL, /* a bug: an invariant did not hold */
};

#define NB_MUST_USE __attribute__((warn_unused_result))

/* Short stable name for logs ("nomem", "limit", ...). Never NULL. */
const char *nb_err_str(enum nb_err err);

#endif
