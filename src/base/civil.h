/* civil.h: calendar dates, ISO weeks, Easter and the local time of Europe/Berlin, computed.
 *
 * Pure computation: no I/O, no allocation, no locale, no tz database. A date is an int32_t
 * count of days since 1970-01-01 in the proleptic Gregorian calendar ("date" in the
 * signatures below; negative before 1970). An instant is an int64_t of Unix seconds (UTC,
 * leap seconds ignored). Dates are supported for the years NB_CIVIL_YEAR_MIN to
 * NB_CIVIL_YEAR_MAX; functions taking an instant clamp it into that range first, so that no
 * input, however hostile, overflows.
 *
 * Europe/Berlin follows the EU rule of 1996 (Directive 2000/84/EC): summer time (CEST,
 * UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC,
 * standard time (CET, UTC+1) otherwise. The rule is correct from 1996 on and as long as it
 * stays in force; before 1996 (when German summer time ended in September, and before 1980
 * when there was none) the same rule is applied and the result is historically wrong. All
 * functions are thread-safe and never block. */
#ifndef NB_BASE_CIVIL_H
#define NB_BASE_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"

/* Four-digit years keep formatting fixed-width and every intermediate far from overflow. */
#define NB_CIVIL_YEAR_MIN 1
#define NB_CIVIL_YEAR_MAX 9999
#define NB_CIVIL_DATE_MIN (-719162) /* 0001-01-01 */
#define NB_CIVIL_DATE_MAX 2932896   /* 9999-12-31 */
#define NB_CIVIL_UNIX_MIN ((int64_t)NB_CIVIL_DATE_MIN * 86400)
#define NB_CIVIL_UNIX_MAX ((int64_t)NB_CIVIL_DATE_MAX * 86400 + 86399)

/* Buffer sizes for the formatting helpers, including the NUL. */
#define NB_CIVIL_DATE_SIZE 11      /* "2021-10-15" */
#define NB_CIVIL_DATE_DE_SIZE 11   /* "15.10.2021" */
#define NB_CIVIL_HHMM_SIZE 6       /* "09:00" */
#define NB_CIVIL_RFC3339_SIZE 21   /* "2021-10-15T05:00:00Z" */
#define NB_CIVIL_HTTP_DATE_SIZE 30 /* "Fri, 15 Oct 2021 05:00:00 GMT" */

struct nb_civil_ymd {
    int year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
};

/* An ISO 8601 week: the week-numbering year (which may differ from the calendar year in
 * the first and last days of a year) and the week 1..53. Weeks start on Monday; week 1 is
 * the week holding the year's first Thursday. */
struct nb_civil_week {
    int year;
    int week;
};

/* A broken-down local time of Europe/Berlin. */
struct nb_civil_local {
    int32_t date; /* the local date, days since 1970-01-01 */
    int year, month, day;
    int hour, minute, second;
    int weekday; /* 1 = Monday .. 7 = Sunday */
    int offset;  /* seconds east of UTC: 3600 (CET) or 7200 (CEST) */
    bool dst;    /* summer time (CEST) */
};

/* What nb_civil_berlin_to_utc met. */
enum nb_civil_fold {
    NB_CIVIL_UNIQUE,   /* the local time occurs exactly once */
    NB_CIVIL_SKIPPED,  /* it does not occur (spring, 02:00-02:59 on the switch day) */
    NB_CIVIL_REPEATED, /* it occurs twice (autumn, 02:00-02:59 on the switch day) */
};

/* Calendar */

bool nb_civil_is_leap(int year);
/* 28..31, or 0 for a month outside 1..12. */
int nb_civil_days_in_month(int year, int month);
/* True when year (within NB_CIVIL_YEAR_MIN..MAX), month and day form a date. */
bool nb_civil_valid(int year, int month, int day);
/* The date of year-month-day. The arguments must pass nb_civil_valid; anything else gives
 * an unspecified date in range (never undefined behaviour). Use nb_civil_from_ymd for
 * values that come from outside. */
int32_t nb_civil_days(int year, int month, int day);
/* Like nb_civil_days, checked: NB_ERR_INPUT when nb_civil_valid fails. */
NB_MUST_USE enum nb_err nb_civil_from_ymd(int year, int month, int day, int32_t *date);
/* The year, month and day of a date. Correct for any int32_t. */
struct nb_civil_ymd nb_civil_ymd(int32_t date);
/* 1 = Monday .. 7 = Sunday. Correct for any int32_t. */
int nb_civil_weekday(int32_t date);

/* ISO 8601 week numbering */

/* The ISO week-numbering year and week of a date (2021-01-03 is 2020-W53). */
struct nb_civil_week nb_civil_iso_week(int32_t date);
/* 52 or 53: the number of weeks of ISO week-numbering year year. */
int nb_civil_iso_weeks(int year);
/* The Monday of ISO week week of ISO year year. NB_ERR_INPUT when the year is outside
 * NB_CIVIL_YEAR_MIN..MAX or week outside 1..nb_civil_iso_weeks(year). */
NB_MUST_USE enum nb_err nb_civil_iso_monday(int year, int week, int32_t *date);

/* Easter Sunday of year after the Gregorian computus (Meeus/Jones/Butcher), years
 * NB_CIVIL_YEAR_MIN..MAX (meaningful from 1583 on). */
int32_t nb_civil_easter(int year);

/* Europe/Berlin (see the top of this file for the rule and its validity) */

/* The instants summer time starts and ends in year: last Sunday of March and of October,
 * each 01:00 UTC. */
int64_t nb_civil_berlin_dst_start(int year);
int64_t nb_civil_berlin_dst_end(int year);
/* Seconds east of UTC at instant utc: 7200 from dst_start (inclusive) to dst_end
 * (exclusive), 3600 otherwise. */
int nb_civil_berlin_offset(int64_t utc);
/* The local time at instant utc. */
void nb_civil_berlin_local(int64_t utc, struct nb_civil_local *out);
/* The instant of local midnight that starts date (never skipped nor repeated: the switches
 * happen at 02:00/03:00 local). */
int64_t nb_civil_berlin_day_start(int32_t date);

/* The instant of local time year-month-day hour:minute (hour 0..23, minute 0..59).
 * NB_ERR_INPUT for an invalid date or time. The two local times that are not unique
 * follow RFC 5545 (iCalendar) and java.time, which most calendars do:
 *  - a time skipped in spring (02:00-02:59 on the last Sunday of March) is read with the
 *    offset before the gap (UTC+1), so 02:30 becomes 03:30 CEST (01:30 UTC);
 *  - a time that occurs twice in autumn (02:00-02:59 on the last Sunday of October) means
 *    the first occurrence, in summer time (02:30 becomes 00:30 UTC).
 * fold, when not NULL, is set to say which case it was. */
NB_MUST_USE enum nb_err nb_civil_berlin_to_utc(int year, int month, int day, int hour, int minute,
                                               int64_t *utc, enum nb_civil_fold *fold);

/* The instants covered by the local wall-clock range [start_min, end_min) of date
 * (minutes of the day, 0 <= start_min < end_min <= 1440; 1440 is the following midnight),
 * as one interval [*from, *to) of UTC instants. This is how opening hours are read:
 *  - the range starts at the first instant the clock shows start_min or a later time of
 *    that day, and ends at the last instant the clock shows a time before end_min;
 *  - so in spring a range 01:00-04:00 on the switch day lasts two hours, and 02:30-04:00
 *    is open from 03:00 CEST; a range inside the skipped hour (02:00-03:00) is empty;
 *  - in autumn a range 01:00-04:00 lasts four hours, and a range that starts or ends in the
 *    repeated hour runs from the start's first occurrence to the end's last occurrence
 *    (02:30-03:30 lasts two hours), so that a range is always one unbroken interval.
 * Returns false (and leaves *from, *to unchanged) when the range is empty or the
 * arguments are out of range. */
bool nb_civil_berlin_span(int32_t date, int start_min, int end_min, int64_t *from, int64_t *to);

/* Formatting into caller buffers. Each writes a NUL-terminated string and returns its
 * length; when size is too small it writes "" (if size > 0) and returns 0. Dates and
 * instants outside the supported range are clamped into it. */

/* "2021-10-15" (ISO 8601) */
size_t nb_civil_fmt_date(char *out, size_t size, int32_t date);
/* "15.10.2021" (German, DIN 5008 numeric) */
size_t nb_civil_fmt_date_de(char *out, size_t size, int32_t date);
/* "09:00" for minute 540 of the day; 1440 gives "24:00" (the end of a day). Values below
 * 0 or above 1440 are clamped. */
size_t nb_civil_fmt_hhmm(char *out, size_t size, int minute_of_day);
/* "2021-10-15T05:00:00Z" (RFC 3339, UTC) */
size_t nb_civil_fmt_rfc3339(char *out, size_t size, int64_t utc);
/* "Fri, 15 Oct 2021 05:00:00 GMT" (RFC 9110 IMF-fixdate, for Last-Modified and Date) */
size_t nb_civil_fmt_http_date(char *out, size_t size, int64_t utc);

/* Parsing of our own form fields (bounded, strict: no spaces, no signs). */

/* "YYYY-MM-DD" with a valid date. NB_ERR_INPUT otherwise. */
NB_MUST_USE enum nb_err nb_civil_parse_date(struct nb_str s, int32_t *date);
/* "HH:MM", 00:00 to 23:59, or "24:00" for the end of a day; sets the minute of the day
 * (0..1440). NB_ERR_INPUT otherwise. */
NB_MUST_USE enum nb_err nb_civil_parse_hhmm(struct nb_str s, int *minute_of_day);

#endif
