/* fuzz_template.c: libFuzzer harness for view/template.
 *
 * The input is split at NUL bytes: the template, then the JSON data, then partials named
 * "0", "1", ... (the template itself is also the partial "main", so recursion is reachable).
 * Every input is compiled and, when it compiles, rendered into a buffer capped at 64 KiB.
 * Beyond the sanitizers, it checks the contract: a failed compile returns INPUT or LIMIT
 * with a message naming the template, and rendering returns OK or LIMIT and never leaves
 * more than the cap in the buffer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "view/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PARTS_MAX 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *seg[PARTS_MAX];
    size_t len[PARTS_MAX];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= size && n < PARTS_MAX; i++) {
        if (i == size || p[i] == '\0') {
            seg[n] = p + start;
            len[n++] = i - start;
            start = i + 1;
        }
    }

    struct nb_buf msg, out;
    nb_buf_init(&msg, 4096);
    nb_buf_init(&out, 64u * 1024u);
    struct nb_tpl *t = NULL;
    struct nb_tpl_set *set = nb_tpl_set_new();
    json_t *ctx = NULL;

    enum nb_err err = nb_tpl_compile(seg[0], len[0], "fuzz", &t, &msg);
    if (err != NB_OK) {
        if ((err != NB_ERR_INPUT && err != NB_ERR_LIMIT) || t || msg.len == 0 ||
            strncmp(msg.ptr, "fuzz:", 5) != 0)
            abort();
        goto done;
    }
    if (nb_tpl_set_add(set, "main", seg[0], len[0], NULL) != NB_OK)
        abort(); /* compiled once, must compile again */
    for (size_t k = 2; k < n; k++) {
        char name[2] = {(char)('0' + k - 2), '\0'};
        nb_buf_reset(&msg);
        err = nb_tpl_set_add(set, name, seg[k], len[k], &msg);
        if (err != NB_OK && msg.len == 0)
            abort();
    }
    if (n > 1 && len[1])
        ctx = json_loadb(seg[1], len[1], JSON_DECODE_ANY, NULL);

    err = nb_tpl_render(t, set, ctx, &out);
    if ((err != NB_OK && err != NB_ERR_LIMIT) || out.len > out.max)
        abort();

done:
    json_decref(ctx);
    nb_tpl_free(&t);
    nb_tpl_set_free(&set);
    nb_buf_free(&msg);
    nb_buf_free(&out);
    return 0;
}
