/* check.c: field validation for the domain. Bounded loops over (pointer, length) views; no
 * allocation. The syntax rules are deliberately narrower than the standards they cite: what
 * an office publishes has to be typed and read by people, not round-trip every legal
 * oddity of RFC 5322 or RFC 5646. */
#include "domain/check.h"

#include "base/civil.h"
#include "base/utf8.h"

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return is_lower(c) || (c >= 'A' && c <= 'Z');
}

struct nb_str nb_check_opt(struct nb_str s)
{
    return s.len == 0 ? (struct nb_str){NULL, 0} : s;
}

static bool blank(struct nb_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] != ' ' && s.ptr[i] != '\t' && s.ptr[i] != '\n' && s.ptr[i] != '\r')
            return false;
    return true;
}

static enum nb_err check_text(struct nb_str s, size_t max, bool required, bool multiline)
{
    if (!s.ptr)
        return required ? NB_ERR_INPUT : NB_OK;
    if (s.len > max)
        return NB_ERR_LIMIT;
    if (!nb_utf8_valid(s.ptr, s.len) || nb_utf8_has_controls(s.ptr, s.len))
        return NB_ERR_INPUT;
    if (!multiline)
        for (size_t i = 0; i < s.len; i++)
            if (s.ptr[i] == '\t' || s.ptr[i] == '\n' || s.ptr[i] == '\r')
                return NB_ERR_INPUT;
    if (required && blank(s))
        return NB_ERR_INPUT;
    return NB_OK;
}

enum nb_err nb_check_line(struct nb_str s, size_t max, bool required)
{
    return check_text(s, max, required, false);
}

enum nb_err nb_check_text(struct nb_str s, size_t max, bool required)
{
    return check_text(s, max, required, true);
}

enum nb_err nb_check_slug(struct nb_str s)
{
    if (!s.ptr)
        return NB_ERR_INPUT;
    if (s.len > NB_SLUG_MAX)
        return NB_ERR_LIMIT;
    return nb_str_is_slug(s) ? NB_OK : NB_ERR_INPUT;
}

enum nb_err nb_check_lang(struct nb_str s)
{
    if (!s.ptr)
        return NB_ERR_INPUT;
    if (s.len > NB_LANG_TAG_MAX)
        return NB_ERR_LIMIT;
    struct nb_str rest = s, sub;
    size_t index = 0;
    bool need_more = false;  /* the previous subtag was a singleton */
    bool in_private = false; /* after "x": every subtag is private use, 1-8 characters */
    while (rest.ptr) {
        rest = nb_str_cut(rest, '-', &sub);
        if (sub.len == 0 || sub.len > 8)
            return NB_ERR_INPUT;
        for (size_t i = 0; i < sub.len; i++) {
            char c = sub.ptr[i];
            if (index == 0 ? !is_lower(c) : !(is_lower(c) || is_digit(c)))
                return NB_ERR_INPUT;
        }
        if (index == 0 && (sub.len < 2 || sub.len > 3))
            return NB_ERR_INPUT;
        need_more = index > 0 && sub.len == 1 && !in_private;
        if (need_more && sub.ptr[0] == 'x')
            in_private = true;
        index++;
    }
    return need_more ? NB_ERR_INPUT : NB_OK;
}

enum nb_err nb_check_host(struct nb_str s)
{
    if (!s.ptr)
        return NB_ERR_INPUT;
    if (s.len > NB_HOST_MAX)
        return NB_ERR_LIMIT;
    if (s.len == 0)
        return NB_ERR_INPUT;
    struct nb_str rest = s, label;
    while (rest.ptr) {
        rest = nb_str_cut(rest, '.', &label);
        if (label.len == 0 || label.len > 63 || label.ptr[0] == '-' ||
            label.ptr[label.len - 1] == '-')
            return NB_ERR_INPUT;
        for (size_t i = 0; i < label.len; i++)
            if (!(is_lower(label.ptr[i]) || is_digit(label.ptr[i]) || label.ptr[i] == '-'))
                return NB_ERR_INPUT;
    }
    return NB_OK;
}

static bool atext(char c)
{
    if (is_alpha(c) || is_digit(c))
        return true;
    for (const char *p = "!#$%&'*+/=?^_`{|}~-"; *p; p++)
        if (*p == c)
            return true;
    return false;
}

/* Like a host name, but letters of either case and at least two labels. */
static bool mail_domain(struct nb_str d)
{
    if (d.len == 0 || nb_str_find(d, '.') < 0)
        return false;
    struct nb_str rest = d, label;
    while (rest.ptr) {
        rest = nb_str_cut(rest, '.', &label);
        if (label.len == 0 || label.len > 63 || label.ptr[0] == '-' ||
            label.ptr[label.len - 1] == '-')
            return false;
        for (size_t i = 0; i < label.len; i++)
            if (!(is_alpha(label.ptr[i]) || is_digit(label.ptr[i]) || label.ptr[i] == '-'))
                return false;
    }
    return true;
}

enum nb_err nb_check_email(struct nb_str s, bool required)
{
    if (!s.ptr)
        return required ? NB_ERR_INPUT : NB_OK;
    if (s.len > NB_EMAIL_MAX)
        return NB_ERR_LIMIT;
    struct nb_str local;
    struct nb_str domain = nb_str_cut(s, '@', &local);
    if (!domain.ptr || nb_str_find(domain, '@') >= 0 || local.len == 0 || local.len > 64)
        return NB_ERR_INPUT;
    if (local.ptr[0] == '.' || local.ptr[local.len - 1] == '.')
        return NB_ERR_INPUT;
    for (size_t i = 0; i < local.len; i++) {
        char c = local.ptr[i];
        if (c == '.' ? local.ptr[i + 1] == '.' : !atext(c))
            return NB_ERR_INPUT;
    }
    return mail_domain(domain) ? NB_OK : NB_ERR_INPUT;
}

enum nb_err nb_check_phone(struct nb_str s, bool required)
{
    if (!s.ptr)
        return required ? NB_ERR_INPUT : NB_OK;
    if (s.len > NB_PHONE_MAX)
        return NB_ERR_LIMIT;
    size_t digits = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (is_digit(c))
            digits++;
        else if (c == '+' ? i != 0 : !(c == ' ' || c == '(' || c == ')' || c == '/' || c == '-'))
            return NB_ERR_INPUT;
    }
    return digits >= 3 ? NB_OK : NB_ERR_INPUT;
}

enum nb_err nb_check_date(struct nb_str s)
{
    int32_t date;
    if (!s.ptr)
        return NB_ERR_INPUT;
    return nb_civil_parse_date(s, &date) == NB_OK ? NB_OK : NB_ERR_INPUT;
}

enum nb_err nb_check_time(int64_t t)
{
    return t >= 0 && t <= NB_CIVIL_UNIX_MAX ? NB_OK : NB_ERR_INPUT;
}

enum nb_err nb_check_unique_langs(const void *items, size_t n,
                                  struct nb_str (*get)(const void *items, size_t i), bool *has_de)
{
    *has_de = false;
    for (size_t i = 0; i < n; i++) {
        struct nb_str a = get(items, i);
        if (nb_str_eq_c(a, "de"))
            *has_de = true;
        for (size_t j = 0; j < i; j++)
            if (nb_str_eq(a, get(items, j)))
                return NB_ERR_INPUT;
    }
    return NB_OK;
}

static struct nb_str lang_text_tag(const void *items, size_t i)
{
    return ((const struct nb_store_lang_text *)items)[i].lang;
}

enum nb_err nb_check_lang_texts(const struct nb_store_lang_text *t, size_t n, size_t max,
                                bool multiline, bool need_de)
{
    if (n > NB_LANGS_MAX)
        return NB_ERR_LIMIT;
    if (n > 0 && !t)
        return NB_ERR_INPUT;
    for (size_t i = 0; i < n; i++) {
        enum nb_err err = nb_check_lang(t[i].lang);
        if (!err)
            err = multiline ? nb_check_text(t[i].text, max, true)
                            : nb_check_line(t[i].text, max, true);
        if (err)
            return err;
    }
    bool has_de;
    enum nb_err err = nb_check_unique_langs(t, n, lang_text_tag, &has_de);
    if (!err && need_de && !has_de)
        err = NB_ERR_INPUT;
    return err;
}
