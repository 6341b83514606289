/* log.c: structured single-line logging to stderr. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static enum nb_log_level min_level = NB_LOG_INFO;

void nb_log_set_level(enum nb_log_level level)
{
    min_level = level;
}

static const char *level_name(enum nb_log_level l)
{
    switch (l) {
    case NB_LOG_DEBUG: return "debug";
    case NB_LOG_INFO: return "info";
    case NB_LOG_WARN: return "warn";
    case NB_LOG_ERROR: return "error";
    }
    return "info";
}

void nb_log(enum nb_log_level level, const char *event, const char *fmt, ...)
{
    if (level < min_level)
        return;
    char line[2048];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof(line), "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s event=%s",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, level_name(level), event);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
    if (fmt && fmt[0] && len < sizeof(line) - 2) {
        line[len++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
        va_end(ap);
        if (m > 0)
            len += (size_t)m < sizeof(line) - len ? (size_t)m : sizeof(line) - len - 1;
    }
    if (len >= sizeof(line) - 1)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

const char *nb_log_value(char *out, size_t n, const char *s, size_t len)
{
    if (n < 3) {
        if (n)
            out[0] = '\0';
        return out;
    }
    int bare = len > 0;
    for (size_t i = 0; i < len && bare; i++) {
        unsigned char c = (unsigned char)s[i];
        bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '@';
    }
    size_t o = 0;
    if (bare) {
        for (size_t i = 0; i < len && o < n - 1; i++)
            out[o++] = s[i];
        out[o] = '\0';
        return out;
    }
    out[o++] = '"';
    /* Each unit written at o must leave room for the closing quote and the NUL. */
    for (size_t i = 0; i < len && o < n - 2; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            if (o >= n - 3)
                break;
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            out[o++] = '?';
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}
