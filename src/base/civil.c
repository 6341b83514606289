/* civil.c: date arithmetic, ISO weeks, Easter and Europe/Berlin local time.
 *
 * Day numbers use Howard Hinnant's era-based algorithms (days_from_civil, civil_from_days),
 * which are exact for the whole proleptic Gregorian calendar and need no tables. The
 * Berlin offset is computed from the EU rule, never read from a tz database: the server
 * must answer the same on any machine, including one without /usr/share/zoneinfo.
 * Invariant: every public entry point clamps what it is given before computing, so that
 * intermediates stay within int64_t whatever the caller passes. */
#include "base/civil.h"

#include <string.h>

#define SECONDS_PER_DAY 86400

static int clamp_int(int v, int lo, int hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static int64_t clamp_unix(int64_t t)
{
    if (t < NB_CIVIL_UNIX_MIN)
        return NB_CIVIL_UNIX_MIN;
    if (t > NB_CIVIL_UNIX_MAX)
        return NB_CIVIL_UNIX_MAX;
    return t;
}

static int32_t clamp_date(int32_t date)
{
    if (date < NB_CIVIL_DATE_MIN)
        return NB_CIVIL_DATE_MIN;
    if (date > NB_CIVIL_DATE_MAX)
        return NB_CIVIL_DATE_MAX;
    return date;
}

/* Floor division: the date of an instant before 1970 is the earlier day. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Unchecked; sane for years within a few million of today. Internal callers use years just
 * outside the supported range too (the ISO year after 9999), which is why this one does not
 * clamp. */
static int32_t days_from(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

bool nb_civil_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int nb_civil_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && nb_civil_is_leap(year))
        return 29;
    return days[month - 1];
}

bool nb_civil_valid(int year, int month, int day)
{
    if (year < NB_CIVIL_YEAR_MIN || year > NB_CIVIL_YEAR_MAX)
        return false;
    return day >= 1 && day <= nb_civil_days_in_month(year, month);
}

int32_t nb_civil_days(int year, int month, int day)
{
    return days_from(clamp_int(year, NB_CIVIL_YEAR_MIN, NB_CIVIL_YEAR_MAX), clamp_int(month, 1, 12),
                     clamp_int(day, 1, 31));
}

enum nb_err nb_civil_from_ymd(int year, int month, int day, int32_t *date)
{
    if (!nb_civil_valid(year, month, day))
        return NB_ERR_INPUT;
    *date = days_from(year, month, day);
    return NB_OK;
}

struct nb_civil_ymd nb_civil_ymd(int32_t date)
{
    int64_t z = (int64_t)date + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (struct nb_civil_ymd){(int)y, (int)m, (int)d};
}

int nb_civil_weekday(int32_t date)
{
    /* 1970-01-01 was a Thursday. */
    int64_t r = ((int64_t)date % 7 + 7 + 3) % 7;
    return (int)r + 1;
}

/* The Monday of ISO week 1: the week that holds 4 January. */
static int32_t week1_monday(int year)
{
    int32_t jan4 = days_from(year, 1, 4);
    return jan4 - (nb_civil_weekday(jan4) - 1);
}

struct nb_civil_week nb_civil_iso_week(int32_t date)
{
    int year = nb_civil_ymd(date).year;
    int32_t monday = week1_monday(year + 1);
    if (date >= monday) {
        year++;
    } else {
        monday = week1_monday(year);
        if (date < monday) {
            year--;
            monday = week1_monday(year);
        }
    }
    return (struct nb_civil_week){year, (date - monday) / 7 + 1};
}

int nb_civil_iso_weeks(int year)
{
    year = clamp_int(year, NB_CIVIL_YEAR_MIN, NB_CIVIL_YEAR_MAX);
    return (week1_monday(year + 1) - week1_monday(year)) / 7;
}

enum nb_err nb_civil_iso_monday(int year, int week, int32_t *date)
{
    if (year < NB_CIVIL_YEAR_MIN || year > NB_CIVIL_YEAR_MAX)
        return NB_ERR_INPUT;
    if (week < 1 || week > nb_civil_iso_weeks(year))
        return NB_ERR_INPUT;
    *date = week1_monday(year) + 7 * (week - 1);
    return NB_OK;
}

int32_t nb_civil_easter(int year)
{
    int y = clamp_int(year, NB_CIVIL_YEAR_MIN, NB_CIVIL_YEAR_MAX);
    int a = y % 19, b = y / 100, c = y % 100;
    int d = b / 4, e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int n = h + l - 7 * m + 114;
    return days_from(y, n / 31, n % 31 + 1);
}

/* Both March and October have 31 days. */
static int32_t last_sunday(int year, int month)
{
    int32_t last = days_from(year, month, 31);
    return last - nb_civil_weekday(last) % 7;
}

int64_t nb_civil_berlin_dst_start(int year)
{
    year = clamp_int(year, NB_CIVIL_YEAR_MIN, NB_CIVIL_YEAR_MAX);
    return (int64_t)last_sunday(year, 3) * SECONDS_PER_DAY + 3600;
}

int64_t nb_civil_berlin_dst_end(int year)
{
    year = clamp_int(year, NB_CIVIL_YEAR_MIN, NB_CIVIL_YEAR_MAX);
    return (int64_t)last_sunday(year, 10) * SECONDS_PER_DAY + 3600;
}

int nb_civil_berlin_offset(int64_t utc)
{
    utc = clamp_unix(utc);
    /* The UTC year is the right one: the switches are far from New Year. */
    int year = nb_civil_ymd((int32_t)floor_div(utc, SECONDS_PER_DAY)).year;
    if (utc >= nb_civil_berlin_dst_start(year) && utc < nb_civil_berlin_dst_end(year))
        return 7200;
    return 3600;
}

void nb_civil_berlin_local(int64_t utc, struct nb_civil_local *out)
{
    utc = clamp_unix(utc);
    int offset = nb_civil_berlin_offset(utc);
    int64_t local = utc + offset;
    int32_t date = (int32_t)floor_div(local, SECONDS_PER_DAY);
    int secs = (int)(local - (int64_t)date * SECONDS_PER_DAY);
    struct nb_civil_ymd ymd = nb_civil_ymd(date);
    out->date = date;
    out->year = ymd.year;
    out->month = ymd.month;
    out->day = ymd.day;
    out->hour = secs / 3600;
    out->minute = secs / 60 % 60;
    out->second = secs % 60;
    out->weekday = nb_civil_weekday(date);
    out->offset = offset;
    out->dst = offset == 7200;
}

/* The offsets of a local date: before is in force until the switch instant (if the date
 * has one), after from then on. Without a switch both are the same and *sw is unused. */
static bool day_offsets(int32_t date, int *before, int *after, int64_t *sw)
{
    int year = nb_civil_ymd(date).year;
    int32_t spring = last_sunday(year, 3), autumn = last_sunday(year, 10);
    if (date == spring) {
        *before = 3600;
        *after = 7200;
        *sw = (int64_t)date * SECONDS_PER_DAY + 3600;
        return true;
    }
    if (date == autumn) {
        *before = 7200;
        *after = 3600;
        *sw = (int64_t)date * SECONDS_PER_DAY + 3600;
        return true;
    }
    /* Local date D spans UTC [D*86400 - o, (D+1)*86400 - o); UTC midnight of D lies inside
     * it, and a date without a switch has one offset throughout. */
    *before = *after = (date > autumn || date < spring) ? 3600 : 7200;
    *sw = 0;
    return false;
}

int64_t nb_civil_berlin_day_start(int32_t date)
{
    int before, after;
    int64_t sw;
    (void)day_offsets(date, &before, &after, &sw);
    (void)after;
    return (int64_t)date * SECONDS_PER_DAY - before;
}

enum nb_err nb_civil_berlin_to_utc(int year, int month, int day, int hour, int minute, int64_t *utc,
                                   enum nb_civil_fold *fold)
{
    if (!nb_civil_valid(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59)
        return NB_ERR_INPUT;
    int32_t date = days_from(year, month, day);
    int before, after;
    int64_t sw;
    int64_t wall = (int64_t)date * SECONDS_PER_DAY + hour * 3600 + minute * 60;
    enum nb_civil_fold kind = NB_CIVIL_UNIQUE;
    if (!day_offsets(date, &before, &after, &sw)) {
        *utc = wall - before;
    } else {
        int64_t u1 = wall - before, u2 = wall - after;
        bool v1 = u1 < sw, v2 = u2 >= sw;
        if (v1 && v2)
            kind = NB_CIVIL_REPEATED; /* u1 is the earlier one */
        else if (!v1 && !v2)
            kind = NB_CIVIL_SKIPPED; /* u1: read with the offset before the gap */
        *utc = (v2 && !v1) ? u2 : u1;
    }
    if (fold)
        *fold = kind;
    return NB_OK;
}

bool nb_civil_berlin_span(int32_t date, int start_min, int end_min, int64_t *from, int64_t *to)
{
    if (start_min < 0 || end_min > 1440 || start_min >= end_min)
        return false;
    if (date < NB_CIVIL_DATE_MIN || date > NB_CIVIL_DATE_MAX + 400)
        return false;
    int before, after;
    int64_t sw;
    int64_t base = (int64_t)date * SECONDS_PER_DAY;
    int64_t s = base + start_min * 60, e = base + end_min * 60;
    if (!day_offsets(date, &before, &after, &sw)) {
        *from = s - before;
        *to = e - before;
        return true;
    }
    /* Before the switch the clock reads with offset before, after it with offset after;
     * each part is the range read with that offset, cut at the switch. The answer is the
     * hull of the non-empty parts (the first part, when non-empty, ends before the second
     * begins). */
    int64_t a1 = s - before, b1 = e - before;
    int64_t a2 = s - after, b2 = e - after;
    if (b1 > sw)
        b1 = sw;
    if (a2 < sw)
        a2 = sw;
    bool first = a1 < b1, second = a2 < b2;
    if (!first && !second)
        return false;
    *from = first ? a1 : a2;
    *to = second ? b2 : b1;
    return true;
}

/* Formatting */

static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

static size_t too_small(char *out, size_t size)
{
    if (size > 0)
        out[0] = '\0';
    return 0;
}

size_t nb_civil_fmt_date(char *out, size_t size, int32_t date)
{
    if (size < NB_CIVIL_DATE_SIZE)
        return too_small(out, size);
    struct nb_civil_ymd d = nb_civil_ymd(clamp_date(date));
    put_digits(out, d.year, 4);
    out[4] = '-';
    put_digits(out + 5, d.month, 2);
    out[7] = '-';
    put_digits(out + 8, d.day, 2);
    out[10] = '\0';
    return 10;
}

size_t nb_civil_fmt_date_de(char *out, size_t size, int32_t date)
{
    if (size < NB_CIVIL_DATE_DE_SIZE)
        return too_small(out, size);
    struct nb_civil_ymd d = nb_civil_ymd(clamp_date(date));
    put_digits(out, d.day, 2);
    out[2] = '.';
    put_digits(out + 3, d.month, 2);
    out[5] = '.';
    put_digits(out + 6, d.year, 4);
    out[10] = '\0';
    return 10;
}

size_t nb_civil_fmt_hhmm(char *out, size_t size, int minute_of_day)
{
    if (size < NB_CIVIL_HHMM_SIZE)
        return too_small(out, size);
    int m = clamp_int(minute_of_day, 0, 1440);
    put_digits(out, m / 60, 2);
    out[2] = ':';
    put_digits(out + 3, m % 60, 2);
    out[5] = '\0';
    return 5;
}

/* The UTC date and time of day of an instant, clamped. */
static void utc_parts(int64_t utc, struct nb_civil_ymd *ymd, int32_t *date, int *secs)
{
    utc = clamp_unix(utc);
    *date = (int32_t)floor_div(utc, SECONDS_PER_DAY);
    *secs = (int)(utc - (int64_t)*date * SECONDS_PER_DAY);
    *ymd = nb_civil_ymd(*date);
}

size_t nb_civil_fmt_rfc3339(char *out, size_t size, int64_t utc)
{
    if (size < NB_CIVIL_RFC3339_SIZE)
        return too_small(out, size);
    struct nb_civil_ymd d;
    int32_t date;
    int secs;
    utc_parts(utc, &d, &date, &secs);
    (void)nb_civil_fmt_date(out, size, date);
    out[10] = 'T';
    put_digits(out + 11, secs / 3600, 2);
    out[13] = ':';
    put_digits(out + 14, secs / 60 % 60, 2);
    out[16] = ':';
    put_digits(out + 17, secs % 60, 2);
    out[19] = 'Z';
    out[20] = '\0';
    return 20;
}

size_t nb_civil_fmt_http_date(char *out, size_t size, int64_t utc)
{
    static const char wdays[7][4] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (size < NB_CIVIL_HTTP_DATE_SIZE)
        return too_small(out, size);
    struct nb_civil_ymd d;
    int32_t date;
    int secs;
    utc_parts(utc, &d, &date, &secs);
    /* "Fri, 15 Oct 2021 05:00:00 GMT" */
    memcpy(out, wdays[nb_civil_weekday(date) - 1], 3);
    out[3] = ',';
    out[4] = ' ';
    put_digits(out + 5, d.day, 2);
    out[7] = ' ';
    memcpy(out + 8, months[d.month - 1], 3);
    out[11] = ' ';
    put_digits(out + 12, d.year, 4);
    out[16] = ' ';
    put_digits(out + 17, secs / 3600, 2);
    out[19] = ':';
    put_digits(out + 20, secs / 60 % 60, 2);
    out[22] = ':';
    put_digits(out + 23, secs % 60, 2);
    memcpy(out + 25, " GMT", 5); /* with the NUL */
    return 29;
}

/* Parsing */

/* n decimal digits at s, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

enum nb_err nb_civil_parse_date(struct nb_str s, int32_t *date)
{
    if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-')
        return NB_ERR_INPUT;
    int y = digits(s.ptr, 4), m = digits(s.ptr + 5, 2), d = digits(s.ptr + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return NB_ERR_INPUT;
    return nb_civil_from_ymd(y, m, d, date);
}

enum nb_err nb_civil_parse_hhmm(struct nb_str s, int *minute_of_day)
{
    if (s.len != 5 || s.ptr[2] != ':')
        return NB_ERR_INPUT;
    int h = digits(s.ptr, 2), m = digits(s.ptr + 3, 2);
    if (h < 0 || m < 0 || h > 24 || m > 59 || (h == 24 && m != 0))
        return NB_ERR_INPUT;
    *minute_of_day = h * 60 + m;
    return NB_OK;
}
