/* Unit tests for view/template: escaping, values, truthiness, limits on both sides, syntax
 * errors with their line numbers, template sets and directory overrides, partial
 * indentation, and every case of the Mustache specification found in
 * $NB_SOURCE_ROOT/../shared/testdata/mustache-spec (skipped when that folder is absent). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limits.h"
#include "view/template.h"

/* Renders src with the JSON text data (NULL: no context) and partials; returns the result
 * code and leaves the output in out (caller frees). */
static enum nb_err render(const char *src, const char *data, const struct nb_tpl_set *partials,
                          struct nb_buf *out)
{
    struct nb_tpl *t = NULL;
    struct nb_buf err;
    nb_buf_init(&err, 1024);
    enum nb_err e = nb_tpl_compile(src, strlen(src), "t", &t, &err);
    if (e != NB_OK)
        fail_msg("compile failed: %s", err.ptr ? err.ptr : "");
    json_t *ctx = NULL;
    if (data) {
        json_error_t je;
        ctx = json_loads(data, JSON_DECODE_ANY, &je);
        if (!ctx)
            fail_msg("bad test data: %s", je.text);
    }
    e = nb_tpl_render(t, partials, ctx, out);
    json_decref(ctx);
    nb_tpl_free(&t);
    assert_null(t);
    nb_buf_free(&err);
    return e;
}

static enum nb_err add(struct nb_tpl_set *set, const char *name, const char *src)
{
    return nb_tpl_set_add(set, name, src, strlen(src), NULL);
}

/* Asserts that src renders to expected. */
static void check(const char *src, const char *data, const struct nb_tpl_set *partials,
                  const char *expected)
{
    struct nb_buf out;
    nb_buf_init(&out, NB_PAGE_MAX);
    assert_int_equal(render(src, data, partials, &out), NB_OK);
    if (strcmp(nb_buf_str(&out).ptr, expected) != 0)
        fail_msg("template [%s]\n  expected [%s]\n  got      [%s]", src, expected,
                 nb_buf_str(&out).ptr);
    nb_buf_free(&out);
}

/* Asserts that src fails to compile with err and a message starting with prefix. */
static void check_error(const char *src, enum nb_err err, const char *prefix)
{
    struct nb_tpl *t = (struct nb_tpl *)1;
    struct nb_buf msg;
    nb_buf_init(&msg, 1024);
    assert_int_equal(nb_tpl_compile(src, strlen(src), "t", &t, &msg), err);
    assert_null(t);
    assert_non_null(msg.ptr);
    if (strncmp(msg.ptr, prefix, strlen(prefix)) != 0)
        fail_msg("template [%s]: message [%s] does not start with [%s]", src, msg.ptr, prefix);
    nb_buf_free(&msg);
}

static void test_escaping(void **state)
{
    (void)state;
    const char *data = "{\"x\": \"a&b<c>d\\\"e'f\"}";
    check("{{x}}", data, NULL, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    check("{{ x }}", data, NULL, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    check("{{{x}}}", data, NULL, "a&b<c>d\"e'f");
    check("{{&x}}", data, NULL, "a&b<c>d\"e'f");
    check("{{=<% %>=}}<%x%>|<%{x}%>|<%&x%>", data, NULL,
          "a&amp;b&lt;c&gt;d&quot;e&#39;f|a&b<c>d\"e'f|a&b<c>d\"e'f");
    /* Escaped output is never re-read as a tag. */
    check("{{x}}", "{\"x\": \"{{x}}\"}", NULL, "{{x}}");
}

static void test_values(void **state)
{
    (void)state;
    check("{{a}} {{b}} {{c}} {{d}}", "{\"a\": -42, \"b\": 9007199254740993, \"c\": 0, \"d\": 1.5}",
          NULL, "-42 9007199254740993 0 1.5");
    check("{{a}} {{b}} {{c}}", "{\"a\": 1.21, \"b\": 0.1, \"c\": 0.30000000000000004}", NULL,
          "1.21 0.1 0.30000000000000004");
    check("{{a}} {{b}}", "{\"a\": 1e300, \"b\": -2.5e-7}", NULL, "1e+300 -2.5e-07");
    check("{{t}} {{f}} [{{n}}] [{{o}}] [{{l}}] [{{m}}]",
          "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"k\": 1}, \"l\": [1]}", NULL,
          "true false [] [] [] []");
    /* Without a context every name is missing. */
    check("a{{x}}b{{#x}}c{{/x}}{{^x}}d{{/x}}{{.}}", NULL, NULL, "abd");
    /* A key present with null hides the same key further down the stack. */
    check("{{#s}}[{{a}}]{{/s}}", "{\"a\": \"outer\", \"s\": {\"a\": null}}", NULL, "[]");
}

static void test_truthiness(void **state)
{
    (void)state;
    const char *src = "{{#v}}T{{/v}}{{^v}}F{{/v}}";
    check(src, "{\"v\": \"\"}", NULL, "F");
    check(src, "{\"v\": \"x\"}", NULL, "T");
    check(src, "{\"v\": 0}", NULL, "T");
    check(src, "{\"v\": 0.0}", NULL, "T");
    check(src, "{\"v\": {}}", NULL, "T");
    check(src, "{\"v\": []}", NULL, "F");
    check(src, "{\"v\": [false]}", NULL, "T");
    check(src, "{\"v\": null}", NULL, "F");
    check(src, "{\"v\": false}", NULL, "F");
    check(src, "{}", NULL, "F");
    /* A list item of null is still pushed: {{.}} names it, not the parent. */
    check("{{#l}}({{.}}){{/l}}", "{\"l\": [null, 1, \"a\"]}", NULL, "()(1)(a)");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    check_error("a\nb\nc {{x", NB_ERR_INPUT, "t:3: ");
    check_error("{{{x}}", NB_ERR_INPUT, "t:1: ");
    check_error("{{#a}}\n{{/b}}", NB_ERR_INPUT, "t:2: closing tag 'b' does not match section 'a'");
    check_error("x\n\n{{/a}}", NB_ERR_INPUT, "t:3: closing tag 'a' has no open section");
    check_error("x\n{{#a}}\n{{#b}}\n{{/b}}\n", NB_ERR_INPUT, "t:2: section 'a' is not closed");
    check_error("\n{{=<% =}}", NB_ERR_INPUT, "t:2: bad delimiter");
    check_error("{{= a=b c =}}", NB_ERR_INPUT, "t:1: bad delimiter");
    check_error("{{=a b c=}}", NB_ERR_INPUT, "t:1: bad delimiter");
    check_error("{{=<% %>=}}\n<%x}}", NB_ERR_INPUT, "t:2: tag is not closed");
    check_error("{{}}", NB_ERR_INPUT, "t:1: empty tag name");
    check_error("{{#}}{{/}}", NB_ERR_INPUT, "t:1: empty tag name");
    check_error("{{a b}}", NB_ERR_INPUT, "t:1: tag name contains");
    check_error("{{a..b}}", NB_ERR_INPUT, "t:1: tag name 'a..b' has an empty part");
    check_error("{{.a}}", NB_ERR_INPUT, "t:1: ");
    check_error("{{a.}}", NB_ERR_INPUT, "t:1: ");
    check_error("{{> }}", NB_ERR_INPUT, "t:1: empty tag name");
    /* errmsg may be NULL */
    struct nb_tpl *t;
    assert_int_equal(nb_tpl_compile("{{", 2, NULL, &t, NULL), NB_ERR_INPUT);
    assert_null(t);
}

static void test_source_limits(void **state)
{
    (void)state;
    size_t n = NB_TEMPLATE_SRC_MAX + 1;
    char *src = malloc(n);
    assert_non_null(src);
    memset(src, 'x', n);
    struct nb_tpl *t;
    assert_int_equal(nb_tpl_compile(src, n - 1, "big", &t, NULL), NB_OK); /* at the limit */
    nb_tpl_free(&t);
    struct nb_buf msg;
    nb_buf_init(&msg, 1024);
    assert_int_equal(nb_tpl_compile(src, n, "big", &t, &msg), NB_ERR_LIMIT); /* one past */
    assert_null(t);
    assert_non_null(strstr(msg.ptr, "big: template larger than"));
    nb_buf_free(&msg);

    /* Tag names: NB_TEMPLATE_NAME_MAX bytes accepted, one more refused. */
    char name[NB_TEMPLATE_NAME_MAX + 8];
    memcpy(name, "{{", 2);
    memset(name + 2, 'n', NB_TEMPLATE_NAME_MAX);
    memcpy(name + 2 + NB_TEMPLATE_NAME_MAX, "}}", 3);
    assert_int_equal(nb_tpl_compile(name, strlen(name), "t", &t, NULL), NB_OK);
    nb_tpl_free(&t);
    memset(name + 2, 'n', NB_TEMPLATE_NAME_MAX + 1);
    memcpy(name + 3 + NB_TEMPLATE_NAME_MAX, "}}", 3);
    assert_int_equal(nb_tpl_compile(name, strlen(name), "t", &t, NULL), NB_ERR_LIMIT);

    /* Empty source: renders as nothing. */
    assert_int_equal(nb_tpl_compile(NULL, 0, "t", &t, NULL), NB_OK);
    struct nb_buf out;
    nb_buf_init(&out, 16);
    assert_int_equal(nb_tpl_render(t, NULL, NULL, &out), NB_OK);
    assert_int_equal(out.len, 0);
    nb_tpl_free(&t);
    nb_tpl_free(&t); /* NULL accepted */
    nb_tpl_free(NULL);
    nb_buf_free(&out);
    free(src);
}

/* "{{#a}}" n times, "x", "{{/a}}" n times. */
static char *nested(unsigned n)
{
    struct nb_buf b;
    nb_buf_init(&b, 1u << 20);
    for (unsigned i = 0; i < n; i++)
        nb_buf_add_c(&b, "{{#a}}");
    nb_buf_add_c(&b, "x");
    for (unsigned i = 0; i < n; i++)
        nb_buf_add_c(&b, "{{/a}}");
    return nb_buf_take(&b, NULL);
}

static void test_depth_limit(void **state)
{
    (void)state;
    struct nb_tpl *t;
    struct nb_buf out, msg;
    nb_buf_init(&out, 1024);
    nb_buf_init(&msg, 1024);

    /* Sections: NB_TEMPLATE_DEPTH_MAX deep compile and render, one more does not compile. */
    char *src = nested(NB_TEMPLATE_DEPTH_MAX);
    check(src, "{\"a\": true}", NULL, "x");
    free(src);
    src = nested(NB_TEMPLATE_DEPTH_MAX + 1);
    assert_int_equal(nb_tpl_compile(src, strlen(src), "t", &t, &msg), NB_ERR_LIMIT);
    assert_non_null(strstr(msg.ptr, "nested deeper"));
    free(src);

    /* Sections plus partials count together. */
    struct nb_tpl_set *set = nb_tpl_set_new();
    assert_int_equal(add(set, "p", "y"), NB_OK);
    src = nested(NB_TEMPLATE_DEPTH_MAX - 1);
    char *with_partial = malloc(strlen(src) + 8);
    assert_non_null(with_partial);
    char *x = strchr(src, 'x');
    snprintf(with_partial, strlen(src) + 8, "%.*s{{>p}}%s", (int)(x - src), src, x + 1);
    check(with_partial, "{\"a\": true}", set, "y");
    assert_int_equal(add(set, "p", "{{>q}}"), NB_OK);
    assert_int_equal(add(set, "q", "z"), NB_OK);
    nb_buf_reset(&out);
    assert_int_equal(render(with_partial, "{\"a\": true}", set, &out), NB_ERR_LIMIT);
    assert_int_equal(add(set, "p", "{{#a}}y{{/a}}"), NB_OK); /* a section one too deep */
    nb_buf_reset(&out);
    assert_int_equal(render(with_partial, "{\"a\": true}", set, &out), NB_ERR_LIMIT);
    free(src);
    free(with_partial);

    /* A partial that includes itself ends with a limit, not a crash. */
    assert_int_equal(add(set, "self", "a{{>self}}"), NB_OK);
    nb_buf_reset(&out);
    assert_int_equal(render("{{>self}}", "{}", set, &out), NB_ERR_LIMIT);
    assert_int_equal(add(set, "self", "{{#a}}{{>self}}{{/a}}"), NB_OK);
    nb_buf_reset(&out);
    assert_int_equal(render("{{>self}}", "{\"a\": [1]}", set, &out), NB_ERR_LIMIT);

    nb_tpl_set_free(&set);
    assert_null(set);
    nb_tpl_set_free(&set);
    nb_buf_free(&out);
    nb_buf_free(&msg);
}

static void test_output_cap_and_work(void **state)
{
    (void)state;
    struct nb_buf out;
    nb_buf_init(&out, 5);
    assert_int_equal(render("{{x}}", "{\"x\": \"abcde\"}", NULL, &out), NB_OK); /* at the cap */
    assert_string_equal(out.ptr, "abcde");
    nb_buf_reset(&out);
    assert_int_equal(render("{{x}}", "{\"x\": \"ab<\"}", NULL, &out), NB_ERR_LIMIT); /* 5 + 1 */
    nb_buf_reset(&out);
    assert_int_equal(render("{{#l}}ab{{/l}}", "{\"l\": [1, 2, 3]}", NULL, &out), NB_ERR_LIMIT);
    nb_buf_free(&out);

    /* 200^3 iterations of an empty body meet the work budget instead of spinning. */
    struct nb_buf data;
    nb_buf_init(&data, 8192);
    nb_buf_add_c(&data, "{\"l\": [0");
    for (int i = 1; i < 200; i++)
        nb_buf_printf(&data, ",%d", i);
    nb_buf_add_c(&data, "]}");
    nb_buf_init(&out, NB_PAGE_MAX);
    assert_int_equal(render("{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}", data.ptr, NULL, &out),
                     NB_ERR_LIMIT);
    /* Two levels are 4 * 10^4 steps: fine. */
    nb_buf_reset(&out);
    assert_int_equal(render("{{#l}}{{#l}}{{/l}}{{/l}}.", data.ptr, NULL, &out), NB_OK);
    assert_string_equal(out.ptr, ".");
    nb_buf_free(&data);

    /* Partials that include the next one twice, 30 levels: 2^30 visits without a list. */
    struct nb_tpl_set *set = nb_tpl_set_new();
    for (int i = 0; i < 30; i++) {
        char name[8], body[40];
        snprintf(name, sizeof(name), "p%d", i);
        snprintf(body, sizeof(body), "{{>p%d}}{{>p%d}}", i + 1, i + 1);
        assert_int_equal(add(set, name, body), NB_OK);
    }
    nb_buf_reset(&out);
    assert_int_equal(render("{{>p0}}", NULL, set, &out), NB_ERR_LIMIT);
    nb_tpl_set_free(&set);
    nb_buf_free(&out);
}

static void test_partial_indentation(void **state)
{
    (void)state;
    struct nb_tpl_set *set = nb_tpl_set_new();
    assert_int_equal(add(set, "inner", "x\n  {{>leaf}}\ny\n"), NB_OK);
    assert_int_equal(add(set, "leaf", "L1\nL2\n"), NB_OK);
    /* Standalone partials inside standalone partials: indentation adds up. */
    check("  {{>inner}}\n", "{}", set, "  x\n    L1\n    L2\n  y\n");
    /* Inline partial: no indentation, also not for its own standalone partials' base. */
    check("- {{>inner}}", "{}", set, "- x\n  L1\n  L2\ny\n");
    /* A closing tag that is not standalone keeps its line start inside the section. */
    assert_int_equal(add(set, "sec", "{{#a}}x\n{{/a}}y"), NB_OK);
    check("  {{>sec}}\n", "{\"a\": true}", set, "  x\n  y");
    check("  {{>sec}}\n", "{\"a\": false}", set, "  y");
    /* Interpolated data is not indented; empty lines of the partial are. */
    assert_int_equal(add(set, "data", "{{{v}}}\n\nz"), NB_OK);
    check("\t{{>data}}\n", "{\"v\": \"1\\n2\"}", set, "\t1\n2\n\t\n\tz");
    nb_tpl_set_free(&set);
}

static void test_set_add_replaces(void **state)
{
    (void)state;
    struct nb_tpl_set *set = nb_tpl_set_new();
    assert_null(nb_tpl_set_get(set, "p"));
    assert_null(nb_tpl_set_get(NULL, "p"));
    assert_int_equal(add(set, "p", "one"), NB_OK);
    check("[{{>p}}]", "{}", set, "[one]");
    const struct nb_tpl *first = nb_tpl_set_get(set, "p");
    assert_non_null(first);
    assert_int_equal(add(set, "p", "two"), NB_OK);
    check("[{{>p}}]", "{}", set, "[two]");
    /* A failed add leaves the old template in place. */
    struct nb_buf msg;
    nb_buf_init(&msg, 256);
    assert_int_equal(nb_tpl_set_add(set, "p", "\n{{#x}}", 7, &msg), NB_ERR_INPUT);
    assert_string_equal(msg.ptr, "p:2: section 'x' is not closed");
    check("[{{>p}}]", "{}", set, "[two]");
    check("[{{>missing}}]", "{}", set, "[]");
    nb_buf_free(&msg);
    nb_tpl_set_free(&set);
}

static void write_file(const char *dir, const char *name, const char *content)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    assert_int_equal(fclose(f), 0);
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void test_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/nb_tpl_XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "page.mustache", "<h1>{{title}}</h1>{{>footer}}");
    write_file(dir, "footer.mustache", "<footer>office</footer>");
    write_file(dir, "notes.txt", "{{not a template");
    write_file(dir, ".hidden.mustache", "{{#broken");
    write_file(dir, ".mustache", "{{#broken");

    struct nb_tpl_set *set = nb_tpl_set_new();
    assert_int_equal(add(set, "footer", "<footer>built-in</footer>"), NB_OK);
    assert_int_equal(add(set, "header", "<header>"), NB_OK);
    struct nb_buf msg;
    nb_buf_init(&msg, 1024);
    assert_int_equal(nb_tpl_set_load_dir(set, dir, &msg), NB_OK);
    assert_null(nb_tpl_set_get(set, "notes"));
    assert_null(nb_tpl_set_get(set, ".hidden"));
    assert_null(nb_tpl_set_get(set, ""));
    assert_non_null(nb_tpl_set_get(set, "header")); /* not overridden: kept */
    const struct nb_tpl *page = nb_tpl_set_get(set, "page");
    assert_non_null(page);
    struct nb_buf out;
    nb_buf_init(&out, 1024);
    json_t *ctx = json_pack("{s:s}", "title", "A&B");
    assert_int_equal(nb_tpl_render(page, set, ctx, &out), NB_OK);
    assert_string_equal(out.ptr, "<h1>A&amp;B</h1><footer>office</footer>"); /* override won */

    /* A broken file: error names file and line, and nothing is replaced. */
    write_file(dir, "footer.mustache", "<footer>new</footer>");
    write_file(dir, "zz.mustache", "ok\n{{/nope}}");
    nb_buf_reset(&msg);
    assert_int_equal(nb_tpl_set_load_dir(set, dir, &msg), NB_ERR_INPUT);
    char expect[600];
    snprintf(expect, sizeof(expect), "%s/zz.mustache:2: ", dir);
    if (strncmp(msg.ptr, expect, strlen(expect)) != 0)
        fail_msg("message [%s]", msg.ptr);
    nb_buf_reset(&out);
    assert_int_equal(nb_tpl_render(nb_tpl_set_get(set, "page"), set, ctx, &out), NB_OK);
    assert_string_equal(out.ptr, "<h1>A&amp;B</h1><footer>office</footer>");
    snprintf(expect, sizeof(expect), "%s/zz.mustache", dir);
    assert_int_equal(unlink(expect), 0);

    /* A directory named like a template is an error. */
    char sub[600];
    snprintf(sub, sizeof(sub), "%s/sub.mustache", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    nb_buf_reset(&msg);
    assert_int_equal(nb_tpl_set_load_dir(set, dir, &msg), NB_ERR_IO);
    assert_non_null(strstr(msg.ptr, "not a regular file"));
    rmdir(sub);

    /* Now it loads, and replaces. */
    nb_buf_reset(&msg);
    assert_int_equal(nb_tpl_set_load_dir(set, dir, &msg), NB_OK);
    nb_buf_reset(&out);
    assert_int_equal(nb_tpl_render(nb_tpl_set_get(set, "page"), set, ctx, &out), NB_OK);
    assert_string_equal(out.ptr, "<h1>A&amp;B</h1><footer>new</footer>");

    /* A missing directory. */
    nb_buf_reset(&msg);
    assert_int_equal(nb_tpl_set_load_dir(set, "/nonexistent/nb-templates", &msg), NB_ERR_IO);
    assert_non_null(strstr(msg.ptr, "/nonexistent/nb-templates: cannot open directory"));

    /* nb_tpl_compile_file */
    struct nb_tpl *t;
    nb_buf_reset(&msg);
    assert_int_equal(nb_tpl_compile_file("/nonexistent/x.mustache", &t, &msg), NB_ERR_IO);
    assert_null(t);

    json_decref(ctx);
    nb_buf_free(&out);
    nb_buf_free(&msg);
    nb_tpl_set_free(&set);
    remove_tree(dir);
}

/* ---- the Mustache specification ---- */

struct spec_run {
    unsigned total, passed;
    struct nb_buf report;
};

static void spec_case(struct spec_run *run, const char *file, json_t *tc)
{
    const char *name = json_string_value(json_object_get(tc, "name"));
    json_t *tpl = json_object_get(tc, "template");
    json_t *expected = json_object_get(tc, "expected");
    json_t *partials = json_object_get(tc, "partials");
    run->total++;
    if (!name || !json_is_string(tpl) || !json_is_string(expected)) {
        nb_buf_printf(&run->report, "%s: case %u: malformed\n", file, run->total);
        return;
    }
    struct nb_buf msg, out;
    nb_buf_init(&msg, 4096);
    nb_buf_init(&out, NB_PAGE_MAX);
    struct nb_tpl_set *set = nb_tpl_set_new();
    struct nb_tpl *t = NULL;
    enum nb_err err =
        nb_tpl_compile(json_string_value(tpl), json_string_length(tpl), name, &t, &msg);
    const char *pname;
    json_t *psrc;
    json_object_foreach(partials, pname, psrc)
    {
        if (!err)
            err =
                nb_tpl_set_add(set, pname, json_string_value(psrc), json_string_length(psrc), &msg);
    }
    if (!err)
        err = nb_tpl_render(t, set, json_object_get(tc, "data"), &out);
    if (err) {
        nb_buf_printf(&run->report, "%s: %s: error %s %s\n", file, name, nb_err_str(err),
                      msg.ptr ? msg.ptr : "");
    } else if (out.len != json_string_length(expected) ||
               memcmp(nb_buf_str(&out).ptr, json_string_value(expected), out.len) != 0) {
        nb_buf_printf(&run->report, "%s: %s:\n  expected [%s]\n  got      [%s]\n", file, name,
                      json_string_value(expected), nb_buf_str(&out).ptr);
    } else {
        run->passed++;
    }
    nb_tpl_free(&t);
    nb_tpl_set_free(&set);
    nb_buf_free(&msg);
    nb_buf_free(&out);
}

static void test_mustache_spec(void **state)
{
    (void)state;
    const char *root = getenv("NB_SOURCE_ROOT");
    if (!root)
        skip();
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/../shared/testdata/mustache-spec", root);
    DIR *d = opendir(dir);
    if (!d) {
        print_message("no Mustache spec at %s: skipped\n", dir);
        skip();
    }
    struct spec_run run = {0};
    nb_buf_init(&run.report, 1u << 20);
    unsigned files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '~' || e->d_name[0] == '.' || len < 6 ||
            strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        json_error_t je;
        json_t *doc = json_load_file(path, 0, &je);
        if (!doc) {
            nb_buf_printf(&run.report, "%s: cannot load: %s\n", e->d_name, je.text);
            run.total++;
            continue;
        }
        files++;
        size_t i;
        json_t *tc;
        json_array_foreach(json_object_get(doc, "tests"), i, tc) spec_case(&run, e->d_name, tc);
        json_decref(doc);
    }
    closedir(d);
    print_message("Mustache spec: %u files, %u of %u cases passed\n", files, run.passed, run.total);
    if (run.passed != run.total || run.total == 0)
        fail_msg("failing spec cases:\n%s", nb_buf_str(&run.report).ptr);
    nb_buf_free(&run.report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_truthiness),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_source_limits),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_output_cap_and_work),
        cmocka_unit_test(test_partial_indentation),
        cmocka_unit_test(test_set_add_replaces),
        cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_mustache_spec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
