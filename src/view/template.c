/* template.c: Mustache compiler and renderer, and named template sets.
 *
 * Compiling turns the source into a flat array of nodes; a section node records the index
 * just past its body, so rendering walks the array and recurses only into section bodies and
 * partials, never deeper than NB_TEMPLATE_DEPTH_MAX. All whitespace rules of the spec
 * (standalone lines) are settled at compile time. A node carries an "indent" flag where a
 * line of the source begins; a partial included on a standalone line writes its indentation
 * there, which equals indenting every line of the partial's source as the spec describes,
 * without compiling the partial once per indentation.
 *
 * Invariants: a template owns a NUL-terminated copy of its source and every node refers into
 * it by offset; the template is never written after compile. Rendering allocates nothing but
 * the output buffer: the context stack and the indentation chain are arrays bounded by the
 * depth limit. */
#include "view/template.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.h"
#include "base/limits.h"
#include "base/str.h"

/* The work budget of one render is NB_TEMPLATE_STEPS_MAX (base/limits.h). */

enum kind {
    K_TEXT,     /* source text, written as it is */
    K_LINE,     /* nothing but a line start (before a closing tag that is not standalone) */
    K_ESCAPED,  /* {{name}} */
    K_RAW,      /* {{{name}}}, {{&name}} */
    K_SECTION,  /* {{#name}} ... {{/name}} */
    K_INVERTED, /* {{^name}} ... {{/name}} */
    K_PARTIAL,  /* {{>name}} */
};

struct node {
    enum kind kind;
    bool indent;     /* a source line starts here: write the current indentation first */
    bool standalone; /* partial: the tag stood alone on its line */
    uint32_t off;    /* text or name: offset in src */
    uint32_t len;
    uint32_t ind_off; /* partial: the whitespace before a standalone tag */
    uint32_t ind_len;
    uint32_t end; /* section: index of the first node after the body */
};

struct nb_tpl {
    char *src;
    size_t len;
    struct node *nodes;
    size_t n;
};

struct entry {
    char *name;
    size_t len;
    struct nb_tpl *tpl;
};

struct nb_tpl_set {
    struct entry *v; /* a handful to a hundred templates: searched in order */
    size_t n, cap;
};

/* Long-lived memory: out of memory or a size past NB_ALLOC_MAX ends the process. */
static void *xrealloc(void *p, size_t n, size_t size)
{
    if (size && n > NB_ALLOC_MAX / size)
        abort();
    size_t bytes = n * size;
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q)
        abort();
    return q;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static struct nb_str trim_ws(struct nb_str s)
{
    while (s.len && is_ws(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len && is_ws(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

/* ---- compiling ---- */

struct parser {
    const char *src;
    size_t len;
    const char *name;
    struct nb_buf *errmsg;
    struct nb_str open, close; /* current delimiters */
    struct node *nodes;
    size_t n, cap;
    size_t stack[NB_TEMPLATE_DEPTH_MAX]; /* node index of each open section */
    size_t depth;
    bool line_start; /* a source line began and none of it has been emitted yet */
};

static size_t line_of(const char *src, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at; i++)
        line += src[i] == '\n';
    return line;
}

static enum nb_err fail(const struct parser *p, size_t at, enum nb_err err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum nb_err fail(const struct parser *p, size_t at, enum nb_err err, const char *fmt, ...)
{
    if (p->errmsg) {
        nb_buf_printf(p->errmsg, "%s:%zu: ", p->name, line_of(p->src, at));
        va_list ap;
        va_start(ap, fmt);
        nb_buf_vprintf(p->errmsg, fmt, ap);
        va_end(ap);
    }
    return err;
}

static struct node *add_node(struct parser *p, enum kind kind, size_t off, size_t len)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->nodes = xrealloc(p->nodes, p->cap, sizeof(*p->nodes));
    }
    struct node *n = &p->nodes[p->n++];
    /* Offsets fit: the source is at most NB_TEMPLATE_SRC_MAX bytes. */
    *n = (struct node){.kind = kind, .off = (uint32_t)off, .len = (uint32_t)len};
    return n;
}

/* Nodes that write something take the pending line start. */
static void take_line_start(struct parser *p, struct node *n)
{
    n->indent = p->line_start;
    p->line_start = false;
}

static void add_text(struct parser *p, size_t from, size_t to)
{
    if (to <= from)
        return;
    take_line_start(p, add_node(p, K_TEXT, from, to - from));
    p->line_start = p->src[to - 1] == '\n';
}

/* Finds the end of a tag whose content starts at from: the close delimiter, preceded by pre
 * ('}' for {{{ }}}, '=' for {{= =}}) unless pre is 0. Sets *cend to the end of the content
 * and *tend to the end of the tag. */
static bool find_close(const struct parser *p, size_t from, char pre, size_t *cend, size_t *tend)
{
    size_t at = from;
    while (at < p->len) {
        const char *q = memmem(p->src + at, p->len - at, p->close.ptr, p->close.len);
        if (!q)
            return false;
        size_t qi = (size_t)(q - p->src);
        if (!pre) {
            *cend = qi;
            *tend = qi + p->close.len;
            return true;
        }
        if (qi > from && p->src[qi - 1] == pre) {
            *cend = qi - 1;
            *tend = qi + p->close.len;
            return true;
        }
        at = qi + 1;
    }
    return false;
}

/* A tag stands alone when only blanks share its line. pos is where the text before the tag
 * begins (the end of the previous tag). On success *line is the start of the line and *next
 * the start of the following line (or the end of the source). */
static bool standalone_at(const struct parser *p, size_t pos, size_t tag, size_t end, size_t *line,
                          size_t *next)
{
    size_t i = tag;
    while (i > pos && is_blank(p->src[i - 1]))
        i--;
    if (i > pos ? p->src[i - 1] != '\n' : !(pos == 0 || p->src[pos - 1] == '\n'))
        return false;
    size_t j = end;
    while (j < p->len && is_blank(p->src[j]))
        j++;
    if (j < p->len) {
        if (p->src[j] == '\n')
            j++;
        else if (p->src[j] == '\r' && j + 1 < p->len && p->src[j + 1] == '\n')
            j += 2;
        else
            return false;
    }
    *line = i;
    *next = j;
    return true;
}

static enum nb_err check_name(const struct parser *p, size_t at, struct nb_str nm, bool dotted)
{
    if (!nm.len)
        return fail(p, at, NB_ERR_INPUT, "empty tag name");
    if (nm.len > NB_TEMPLATE_NAME_MAX)
        return fail(p, at, NB_ERR_LIMIT, "tag name longer than %u bytes", NB_TEMPLATE_NAME_MAX);
    for (size_t i = 0; i < nm.len; i++) {
        unsigned char c = (unsigned char)nm.ptr[i];
        if (c <= ' ' || c == 0x7f)
            return fail(p, at, NB_ERR_INPUT, "tag name contains a space or control character");
    }
    if (dotted && !(nm.len == 1 && nm.ptr[0] == '.') &&
        (nm.ptr[0] == '.' || nm.ptr[nm.len - 1] == '.' || memmem(nm.ptr, nm.len, "..", 2)))
        return fail(p, at, NB_ERR_INPUT, "tag name '%.*s' has an empty part between dots",
                    NB_STR_FMT(nm));
    return NB_OK;
}

/* "{{=<% %>=}}": two delimiters separated by blanks, neither holding blanks or '='. */
static enum nb_err set_delimiters(struct parser *p, size_t at, struct nb_str body)
{
    size_t i = 0;
    while (i < body.len && !is_ws(body.ptr[i]))
        i++;
    struct nb_str open = {body.ptr, i};
    while (i < body.len && is_ws(body.ptr[i]))
        i++;
    struct nb_str close = {body.ptr + i, body.len - i};
    bool ok = open.len && close.len && nb_str_find(open, '=') < 0 && nb_str_find(close, '=') < 0;
    for (size_t k = 0; ok && k < close.len; k++)
        ok = !is_ws(close.ptr[k]);
    if (!ok)
        return fail(p, at, NB_ERR_INPUT,
                    "bad delimiter tag: expected two delimiters without spaces or '=', as in "
                    "{{=<%% %%>=}}");
    p->open = open;
    p->close = close;
    return NB_OK;
}

static enum nb_err parse_tag(struct parser *p, char sigil, size_t tag, struct nb_str body,
                             bool standalone, size_t line)
{
    enum nb_err err = NB_OK;
    size_t off = (size_t)(body.ptr - p->src);
    struct node *n;
    switch (sigil) {
    case '!':
        return NB_OK;
    case '=':
        return set_delimiters(p, tag, body);
    case '#':
    case '^':
        if ((err = check_name(p, tag, body, true)))
            return err;
        if (p->depth == NB_TEMPLATE_DEPTH_MAX)
            return fail(p, tag, NB_ERR_LIMIT, "sections nested deeper than %u levels",
                        NB_TEMPLATE_DEPTH_MAX);
        n = add_node(p, sigil == '#' ? K_SECTION : K_INVERTED, off, body.len);
        if (!standalone)
            take_line_start(p, n);
        p->stack[p->depth++] = p->n - 1;
        return NB_OK;
    case '/': {
        if ((err = check_name(p, tag, body, true)))
            return err;
        if (!p->depth)
            return fail(p, tag, NB_ERR_INPUT, "closing tag '%.*s' has no open section",
                        NB_STR_FMT(body));
        struct node *sec = &p->nodes[p->stack[p->depth - 1]];
        struct nb_str sname = {p->src + sec->off, sec->len};
        if (!nb_str_eq(sname, body))
            return fail(p, tag, NB_ERR_INPUT,
                        "closing tag '%.*s' does not match section '%.*s' opened on line %zu",
                        NB_STR_FMT(body), NB_STR_FMT(sname), line_of(p->src, sec->off));
        if (!standalone && p->line_start)
            take_line_start(p, add_node(p, K_LINE, off, 0));
        /* add_node may have moved the array: index again */
        p->nodes[p->stack[--p->depth]].end = (uint32_t)p->n;
        return NB_OK;
    }
    case '>':
        if ((err = check_name(p, tag, body, false)))
            return err;
        n = add_node(p, K_PARTIAL, off, body.len);
        n->standalone = standalone;
        if (standalone) {
            n->ind_off = (uint32_t)line;
            n->ind_len = (uint32_t)(tag - line);
        } else {
            take_line_start(p, n);
        }
        return NB_OK;
    default:
        if ((err = check_name(p, tag, body, true)))
            return err;
        take_line_start(p, add_node(p, sigil ? K_RAW : K_ESCAPED, off, body.len));
        return NB_OK;
    }
}

static enum nb_err parse(struct parser *p)
{
    size_t pos = 0;
    p->line_start = true;
    while (pos < p->len) {
        const char *o = memmem(p->src + pos, p->len - pos, p->open.ptr, p->open.len);
        if (!o) {
            add_text(p, pos, p->len);
            break;
        }
        size_t tag = (size_t)(o - p->src);
        size_t c = tag + p->open.len;
        while (c < p->len && is_ws(p->src[c]))
            c++;
        char sigil = 0;
        if (c < p->len && p->src[c] && strchr("#^/>&{!=", p->src[c]))
            sigil = p->src[c++];
        char pre = sigil == '{' ? '}' : sigil == '=' ? '=' : 0;
        size_t cend, end;
        if (!find_close(p, c, pre, &cend, &end))
            return fail(p, tag, NB_ERR_INPUT, "tag is not closed (no '%.*s%.*s' after it)",
                        pre ? 1 : 0, &pre, NB_STR_FMT(p->close));
        struct nb_str body = trim_ws((struct nb_str){p->src + c, cend - c});
        bool can_stand = sigil && sigil != '&' && sigil != '{';
        size_t line = tag, next = end;
        bool standalone = can_stand && standalone_at(p, pos, tag, end, &line, &next);
        add_text(p, pos, standalone ? line : tag);
        pos = next;
        enum nb_err err = parse_tag(p, sigil, tag, body, standalone, line);
        if (err)
            return err;
    }
    if (p->depth) {
        const struct node *sec = &p->nodes[p->stack[p->depth - 1]];
        return fail(p, sec->off, NB_ERR_INPUT, "section '%.*s' is not closed", (int)sec->len,
                    p->src + sec->off);
    }
    return NB_OK;
}

enum nb_err nb_tpl_compile(const char *src, size_t len, const char *name, struct nb_tpl **out,
                           struct nb_buf *errmsg)
{
    *out = NULL;
    if (!name)
        name = "template";
    if (len > NB_TEMPLATE_SRC_MAX) {
        if (errmsg)
            nb_buf_printf(errmsg, "%s: template larger than %u bytes", name, NB_TEMPLATE_SRC_MAX);
        return NB_ERR_LIMIT;
    }
    struct nb_tpl *t = xrealloc(NULL, 1, sizeof(*t));
    t->src = xrealloc(NULL, len + 1, 1);
    if (len)
        memcpy(t->src, src, len);
    t->src[len] = '\0';
    t->len = len;
    struct parser p = {
        .src = t->src,
        .len = len,
        .name = name,
        .errmsg = errmsg,
        .open = NB_STR("{{"),
        .close = NB_STR("}}"),
    };
    enum nb_err err = parse(&p);
    t->nodes = p.nodes;
    t->n = p.n;
    if (err) {
        nb_tpl_free(&t);
        return err;
    }
    *out = t;
    return NB_OK;
}

void nb_tpl_free(struct nb_tpl **t)
{
    if (!t || !*t)
        return;
    free((*t)->src);
    free((*t)->nodes);
    free(*t);
    *t = NULL;
}

static enum nb_err read_file(const char *path, char **data, size_t *len, struct nb_buf *errmsg)
{
    enum nb_err err = NB_OK;
    char *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err = NB_ERR_IO;
        if (errmsg)
            nb_buf_printf(errmsg, "%s: cannot open: %s", path, strerror(errno));
        goto out;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        err = NB_ERR_IO;
        if (errmsg)
            nb_buf_printf(errmsg, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_size > (off_t)NB_TEMPLATE_SRC_MAX) {
        err = NB_ERR_LIMIT;
        if (errmsg)
            nb_buf_printf(errmsg, "%s: template larger than %u bytes", path, NB_TEMPLATE_SRC_MAX);
        goto out;
    }
    size_t size = (size_t)st.st_size, got = 0;
    buf = xrealloc(NULL, size + 1, 1);
    /* Fewer bytes than fstat said: the file shrank meanwhile; what was read is parsed. */
    if (nb_fd_read_full(fd, buf, size, &got) != NB_OK) {
        err = NB_ERR_IO;
        if (errmsg)
            nb_buf_printf(errmsg, "%s: cannot read: %s", path, strerror(errno));
        goto out;
    }
    *data = buf;
    *len = got;
    buf = NULL;
out:
    free(buf);
    if (fd >= 0)
        close(fd);
    return err;
}

enum nb_err nb_tpl_compile_file(const char *path, struct nb_tpl **out, struct nb_buf *errmsg)
{
    *out = NULL;
    char *src = NULL;
    size_t len = 0;
    enum nb_err err = read_file(path, &src, &len, errmsg);
    if (!err)
        err = nb_tpl_compile(src, len, path, out, errmsg);
    free(src);
    return err;
}

/* ---- sets ---- */

struct nb_tpl_set *nb_tpl_set_new(void)
{
    struct nb_tpl_set *s = xrealloc(NULL, 1, sizeof(*s));
    *s = (struct nb_tpl_set){0};
    return s;
}

void nb_tpl_set_free(struct nb_tpl_set **s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < (*s)->n; i++) {
        free((*s)->v[i].name);
        nb_tpl_free(&(*s)->v[i].tpl);
    }
    free((*s)->v);
    free(*s);
    *s = NULL;
}

static const struct nb_tpl *find(const struct nb_tpl_set *s, struct nb_str name)
{
    if (!s)
        return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (nb_str_eq((struct nb_str){s->v[i].name, s->v[i].len}, name))
            return s->v[i].tpl;
    return NULL;
}

/* Takes ownership of t. */
static void put(struct nb_tpl_set *s, struct nb_str name, struct nb_tpl *t)
{
    for (size_t i = 0; i < s->n; i++) {
        if (nb_str_eq((struct nb_str){s->v[i].name, s->v[i].len}, name)) {
            nb_tpl_free(&s->v[i].tpl);
            s->v[i].tpl = t;
            return;
        }
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap, sizeof(*s->v));
    }
    char *copy = xrealloc(NULL, name.len + 1, 1);
    if (name.len)
        memcpy(copy, name.ptr, name.len);
    copy[name.len] = '\0';
    s->v[s->n++] = (struct entry){copy, name.len, t};
}

const struct nb_tpl *nb_tpl_set_get(const struct nb_tpl_set *s, const char *name)
{
    return find(s, nb_str_c(name));
}

enum nb_err nb_tpl_set_add(struct nb_tpl_set *s, const char *name, const char *src, size_t len,
                           struct nb_buf *errmsg)
{
    struct nb_tpl *t;
    enum nb_err err = nb_tpl_compile(src, len, name, &t, errmsg);
    if (err)
        return err;
    put(s, nb_str_c(name), t);
    return NB_OK;
}

enum nb_err nb_tpl_set_load_dir(struct nb_tpl_set *s, const char *dir, struct nb_buf *errmsg)
{
    const struct nb_str ext = NB_STR(".mustache");
    DIR *d = opendir(dir);
    if (!d) {
        if (errmsg)
            nb_buf_printf(errmsg, "%s: cannot open directory: %s", dir, strerror(errno));
        return NB_ERR_IO;
    }
    /* Loaded aside first, so that an error leaves s as it was. */
    struct nb_tpl_set *tmp = nb_tpl_set_new();
    struct nb_buf path;
    nb_buf_init(&path, 4096);
    enum nb_err err = NB_OK;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) {
                err = NB_ERR_IO;
                if (errmsg)
                    nb_buf_printf(errmsg, "%s: cannot list directory: %s", dir, strerror(errno));
            }
            break;
        }
        struct nb_str fname = nb_str_c(e->d_name);
        if (fname.ptr[0] == '.' || !nb_str_ends(fname, ext))
            continue;
        nb_buf_reset(&path);
        nb_buf_add_c(&path, dir);
        nb_buf_add_char(&path, '/');
        nb_buf_add_str(&path, fname);
        if (path.err) {
            err = path.err;
            if (errmsg)
                nb_buf_printf(errmsg, "%s: path of %s too long", dir, e->d_name);
            break;
        }
        struct nb_tpl *t;
        if ((err = nb_tpl_compile_file(path.ptr, &t, errmsg)))
            break;
        put(tmp, (struct nb_str){fname.ptr, fname.len - ext.len}, t);
    }
    closedir(d);
    if (!err) {
        for (size_t i = 0; i < tmp->n; i++) {
            put(s, (struct nb_str){tmp->v[i].name, tmp->v[i].len}, tmp->v[i].tpl);
            tmp->v[i].tpl = NULL;
        }
    }
    nb_tpl_set_free(&tmp);
    nb_buf_free(&path);
    return err;
}

/* ---- rendering ---- */

struct render {
    const struct nb_tpl_set *partials;
    struct nb_buf *out;
    const json_t *stack[NB_TEMPLATE_DEPTH_MAX + 1]; /* the root and one per open section */
    size_t nstack;
    /* Indentation of the standalone partials being rendered; the chain in effect is
     * indent[ibase..nindent). A partial that is not standalone starts a new, empty chain. */
    struct nb_str indent[NB_TEMPLATE_DEPTH_MAX];
    size_t ibase, nindent;
    unsigned depth;
    size_t steps;
};

static struct nb_str node_str(const struct nb_tpl *t, const struct node *n)
{
    return (struct nb_str){t->src + n->off, n->len};
}

static void write_indent(struct render *r)
{
    for (size_t k = r->ibase; k < r->nindent; k++)
        nb_buf_add_str(r->out, r->indent[k]);
}

/* Source text: inside an indented partial every line that starts within the text gets the
 * indentation; a line start at the text's end belongs to the next node. */
static void write_text(struct render *r, struct nb_str s)
{
    if (r->nindent == r->ibase) {
        nb_buf_add_str(r->out, s);
        return;
    }
    size_t start = 0;
    for (;;) {
        const char *nl = memchr(s.ptr + start, '\n', s.len - start);
        size_t k = nl ? (size_t)(nl - s.ptr) : s.len;
        if (!nl || k + 1 == s.len)
            break;
        nb_buf_add(r->out, s.ptr + start, k + 1 - start);
        write_indent(r);
        start = k + 1;
    }
    nb_buf_add(r->out, s.ptr + start, s.len - start);
}

/* Each context searched costs a step: deep stacks make lookups dear. */
static const json_t *lookup(struct render *r, struct nb_str name)
{
    if (name.len == 1 && name.ptr[0] == '.')
        return r->stack[r->nstack - 1];
    struct nb_str head;
    struct nb_str rest = nb_str_cut(name, '.', &head);
    const json_t *v = NULL;
    for (size_t k = r->nstack; k-- > 0;) {
        const json_t *c = r->stack[k];
        r->steps++;
        if (json_is_object(c) && (v = json_object_getn(c, head.ptr, head.len)))
            break;
    }
    /* The first part resolves against the stack, the others only against their parent. */
    while (v && rest.ptr) {
        rest = nb_str_cut(rest, '.', &head);
        v = json_is_object(v) ? json_object_getn(v, head.ptr, head.len) : NULL;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v)
        return false;
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_FALSE:
        return false;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_STRING:
        return json_string_length(v) > 0;
    default:
        return true;
    }
}

/* Shortest of %.15g and %.17g that reads back as d: 1.21 stays "1.21", 0.1+0.2 keeps its
 * 17 digits. */
static void format_real(char *buf, size_t size, double d)
{
    snprintf(buf, size, "%.15g", d);
    if (strtod(buf, NULL) != d)
        snprintf(buf, size, "%.17g", d);
}

static void write_value(struct render *r, const json_t *v, bool escape)
{
    char num[40];
    struct nb_str s;
    if (!v)
        return;
    switch (json_typeof(v)) {
    case JSON_STRING:
        s = (struct nb_str){json_string_value(v), json_string_length(v)};
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = nb_str_c(num);
        break;
    case JSON_REAL:
        format_real(num, sizeof(num), json_real_value(v));
        s = nb_str_c(num);
        break;
    case JSON_TRUE:
        s = NB_STR("true");
        break;
    case JSON_FALSE:
        s = NB_STR("false");
        break;
    default:
        return;
    }
    if (escape)
        nb_buf_add_html(r->out, s);
    else
        nb_buf_add_str(r->out, s);
}

static enum nb_err render_nodes(struct render *r, const struct nb_tpl *t, size_t from, size_t to);

/* Renders the body of the section at node i once, with top pushed on the context stack
 * unless it is NULL. */
static enum nb_err render_body(struct render *r, const struct nb_tpl *t, size_t i,
                               const json_t *top)
{
    if (r->depth >= NB_TEMPLATE_DEPTH_MAX)
        return NB_ERR_LIMIT;
    r->depth++;
    if (top)
        r->stack[r->nstack++] = top;
    enum nb_err err = render_nodes(r, t, i + 1, t->nodes[i].end);
    if (top)
        r->nstack--;
    r->depth--;
    return err;
}

static enum nb_err render_section(struct render *r, const struct nb_tpl *t, size_t i,
                                  const json_t *v)
{
    if (!truthy(v))
        return NB_OK;
    if (!json_is_array(v))
        return render_body(r, t, i, v);
    for (size_t k = 0; k < json_array_size(v); k++) {
        if (++r->steps > NB_TEMPLATE_STEPS_MAX)
            return NB_ERR_LIMIT;
        enum nb_err err = render_body(r, t, i, json_array_get(v, k));
        if (err)
            return err;
    }
    return NB_OK;
}

static enum nb_err render_partial(struct render *r, const struct nb_tpl *t, const struct node *n)
{
    const struct nb_tpl *p = find(r->partials, node_str(t, n));
    if (!p)
        return NB_OK; /* the spec: a missing partial is empty */
    if (r->depth >= NB_TEMPLATE_DEPTH_MAX)
        return NB_ERR_LIMIT;
    size_t ibase = r->ibase, nindent = r->nindent;
    if (!n->standalone)
        r->ibase = r->nindent;
    else if (n->ind_len)
        r->indent[r->nindent++] = (struct nb_str){t->src + n->ind_off, n->ind_len};
    r->depth++;
    enum nb_err err = render_nodes(r, p, 0, p->n);
    r->depth--;
    r->ibase = ibase;
    r->nindent = nindent;
    return err;
}

static enum nb_err render_nodes(struct render *r, const struct nb_tpl *t, size_t from, size_t to)
{
    size_t i = from;
    while (i < to) {
        const struct node *n = &t->nodes[i];
        enum nb_err err = NB_OK;
        if (r->out->err)
            return r->out->err;
        if (++r->steps > NB_TEMPLATE_STEPS_MAX)
            return NB_ERR_LIMIT;
        if (n->indent)
            write_indent(r);
        switch (n->kind) {
        case K_TEXT:
            write_text(r, node_str(t, n));
            break;
        case K_LINE:
            break;
        case K_ESCAPED:
        case K_RAW:
            write_value(r, lookup(r, node_str(t, n)), n->kind == K_ESCAPED);
            break;
        case K_SECTION:
            err = render_section(r, t, i, lookup(r, node_str(t, n)));
            break;
        case K_INVERTED:
            if (!truthy(lookup(r, node_str(t, n))))
                err = render_body(r, t, i, NULL);
            break;
        case K_PARTIAL:
            err = render_partial(r, t, n);
            break;
        }
        if (err)
            return err;
        i = (n->kind == K_SECTION || n->kind == K_INVERTED) ? n->end : i + 1;
    }
    return NB_OK;
}

enum nb_err nb_tpl_render(const struct nb_tpl *t, const struct nb_tpl_set *partials,
                          const json_t *ctx, struct nb_buf *out)
{
    if (out->err)
        return out->err;
    struct render r = {.partials = partials, .out = out, .nstack = 1};
    r.stack[0] = ctx;
    enum nb_err err = render_nodes(&r, t, 0, t->n);
    if (!err)
        err = out->err;
    return err;
}
