/* cmd_template.c: the "template render" command. Owns nothing beyond the call: the
 * template, partials, data and output are freed before it returns. */
#include "cli/cmd_template.h"

#include <stdio.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/limits.h"
#include "view/template.h"

int nb_cmd_template_render(const struct nb_config *c)
{
    int rc = 1;
    struct nb_tpl *t = NULL;
    struct nb_tpl_set *partials = nb_tpl_set_new();
    json_t *data = NULL;
    struct nb_buf msg, out;
    nb_buf_init(&msg, 4096);
    nb_buf_init(&out, NB_PAGE_MAX);

    if (c->nargs < 1) {
        fprintf(stderr, "template render: name the template file to render\n");
        rc = 2;
        goto done;
    }
    const char *file = c->args[0];
    if (nb_tpl_compile_file(file, &t, &msg) != NB_OK) {
        fprintf(stderr, "template render: %s\n", nb_buf_str(&msg).ptr);
        goto done;
    }
    if (c->partials[0] && nb_tpl_set_load_dir(partials, c->partials, &msg) != NB_OK) {
        fprintf(stderr, "template render: partials: %s\n", nb_buf_str(&msg).ptr);
        goto done;
    }
    if (c->json[0]) {
        json_error_t je;
        data = json_load_file(c->json, JSON_DECODE_ANY, &je);
        if (!data) {
            if (je.line > 0)
                fprintf(stderr, "template render: %s:%d:%d: not valid JSON: %s\n", c->json, je.line,
                        je.column, je.text);
            else
                fprintf(stderr, "template render: %s: %s\n", c->json, je.text);
            goto done;
        }
    } else {
        data = json_object();
    }

    enum nb_err err = nb_tpl_render(t, partials, data, &out);
    if (err == NB_ERR_LIMIT && out.err == NB_ERR_LIMIT) {
        fprintf(stderr, "template render: %s: the page would be larger than %u bytes\n", file,
                NB_PAGE_MAX);
        goto done;
    }
    if (err == NB_ERR_LIMIT) {
        fprintf(stderr,
                "template render: %s: sections and partials nest deeper than %u levels "
                "(a partial that includes itself?), or the template loops too often over "
                "the data\n",
                file, NB_TEMPLATE_DEPTH_MAX);
        goto done;
    }
    if (err != NB_OK) {
        fprintf(stderr, "template render: %s: rendering failed (%s)\n", file, nb_err_str(err));
        goto done;
    }
    if (fwrite(nb_buf_str(&out).ptr, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, "template render: cannot write the output\n");
        goto done;
    }
    rc = 0;
done:
    json_decref(data);
    nb_tpl_free(&t);
    nb_tpl_set_free(&partials);
    nb_buf_free(&msg);
    nb_buf_free(&out);
    return rc;
}
