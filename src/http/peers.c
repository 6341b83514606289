/* peers.c: connection counts per peer address in an open-addressing hash table with linear
 * probing. Removal shifts the following entries of the probe run back (no tombstones), so
 * the table never silts up however many addresses come and go. */
#include "http/peers.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/log.h"

#define SLOTS (2u * NB_HTTP_CONN_MAX) /* a power of two: the hash is masked */
_Static_assert((SLOTS & (SLOTS - 1)) == 0, "SLOTS must be a power of two");

struct slot {
    struct nb_addr addr; /* family 0: empty */
    unsigned count;
};

struct nb_http_peers {
    pthread_mutex_t mu;
    unsigned max;
    size_t used;
    unsigned char key[crypto_shorthash_KEYBYTES];
    struct slot slots[SLOTS];
};

struct nb_http_peers *nb_http_peers_new(unsigned max_per_addr)
{
    struct nb_http_peers *p = calloc(1, sizeof(*p));
    if (!p || sodium_init() < 0) {
        nb_log_error("http.oom", "what=peers");
        abort();
    }
    pthread_mutex_init(&p->mu, NULL);
    p->max = max_per_addr;
    crypto_shorthash_keygen(p->key);
    return p;
}

void nb_http_peers_free(struct nb_http_peers **p)
{
    if (!p || !*p)
        return;
    pthread_mutex_destroy(&(*p)->mu);
    free(*p);
    *p = NULL;
}

static size_t home(const struct nb_http_peers *p, const struct nb_addr *a)
{
    unsigned char in[1 + sizeof(a->bytes)], h[crypto_shorthash_BYTES];
    in[0] = a->family;
    memcpy(in + 1, a->bytes, sizeof(a->bytes));
    crypto_shorthash(h, in, sizeof(in), p->key);
    uint64_t v;
    memcpy(&v, h, sizeof(v));
    return (size_t)(v & (SLOTS - 1));
}

/* The slot of a, or the empty slot where it would go. Ends: add keeps at least half of the
 * slots empty. */
static size_t find(const struct nb_http_peers *p, const struct nb_addr *a)
{
    size_t i = home(p, a);
    while (p->slots[i].addr.family && !nb_addr_eq(&p->slots[i].addr, a))
        i = (i + 1) & (SLOTS - 1);
    return i;
}

bool nb_http_peers_full(struct nb_http_peers *p, const struct nb_addr *a)
{
    pthread_mutex_lock(&p->mu);
    bool full = p->slots[find(p, a)].count >= p->max;
    pthread_mutex_unlock(&p->mu);
    return full;
}

bool nb_http_peers_add(struct nb_http_peers *p, const struct nb_addr *a)
{
    pthread_mutex_lock(&p->mu);
    size_t i = find(p, a);
    bool ok = true;
    if (p->slots[i].addr.family) {
        p->slots[i].count++;
    } else if (p->used < SLOTS / 2) { /* at most half full: probe runs stay short */
        p->slots[i].addr = *a;
        p->slots[i].count = 1;
        p->used++;
    } else {
        ok = false;
    }
    pthread_mutex_unlock(&p->mu);
    return ok;
}

void nb_http_peers_remove(struct nb_http_peers *p, const struct nb_addr *a)
{
    pthread_mutex_lock(&p->mu);
    size_t i = find(p, a);
    if (p->slots[i].addr.family && --p->slots[i].count == 0) {
        /* Backward-shift deletion: move later entries of the run into the hole when their
         * home slot does not lie (cyclically) between the hole and where they sit. */
        size_t hole = i, j = i;
        for (;;) {
            j = (j + 1) & (SLOTS - 1);
            if (!p->slots[j].addr.family)
                break;
            size_t h = home(p, &p->slots[j].addr);
            bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
            if (stays)
                continue;
            p->slots[hole] = p->slots[j];
            hole = j;
        }
        memset(&p->slots[hole], 0, sizeof(p->slots[hole]));
        p->used--;
    }
    pthread_mutex_unlock(&p->mu);
}

unsigned nb_http_peers_count(struct nb_http_peers *p, const struct nb_addr *a)
{
    pthread_mutex_lock(&p->mu);
    unsigned n = p->slots[find(p, a)].count;
    pthread_mutex_unlock(&p->mu);
    return n;
}
