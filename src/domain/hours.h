/* hours.h: telephone and counter hours, and whether an office can be reached.
 *
 * An office states weekly slots in local time (Europe/Berlin, base/civil.h), dated
 * exceptions, and its Land. For one local date the hours are, in this order:
 *  1. the exception for that date, if any: its ranges replace the weekly slots (no ranges:
 *     closed). An exception also overrides a holiday, so that an office in emergency
 *     operation can open on a holiday, or a Bavarian municipality without Mariä Himmelfahrt
 *     can open on 15 August (base/holiday.h);
 *  2. closed on a public holiday of the Land (base/holiday.h);
 *  3. the weekly slots of that weekday.
 * Ranges of a day that overlap or touch are merged (09:00-12:00 and 12:00-15:00 make one
 * range to 15:00); so are openings that run on across midnight.
 *
 * A range is read as local wall-clock time, as nb_civil_berlin_span says: on the days
 * summer time starts or ends, a range covers the instants the office's clock shows it, as
 * one unbroken interval (01:00-04:00 lasts two hours on the last Sunday of March and four
 * on the last Sunday of October; a range inside the skipped hour is empty and shown as
 * closed).
 *
 * Nothing here allocates or blocks: the caller owns struct nb_hours and everything it
 * points to, which must stay valid during a call; results are written to caller structs
 * and point only into the caller's data or static strings. Thread-safe. */
#ifndef NB_DOMAIN_HOURS_H
#define NB_DOMAIN_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/civil.h"
#include "base/err.h"
#include "base/holiday.h"
#include "base/limits.h"
#include "base/str.h"

/* NB_HOURS_DAY_RANGES_MAX and NB_HOURS_HORIZON_DAYS are in base/limits.h. */

/* Minutes of the local day: 0 <= start < end <= 1440 (1440 is the following midnight). */
struct nb_hours_range {
    int start;
    int end;
};

/* A weekly slot: weekday 1 = Monday .. 7 = Sunday. */
struct nb_hours_slot {
    int weekday;
    int start;
    int end;
};

/* The hours of one local date, replacing the weekly slots and any holiday. */
struct nb_hours_exception {
    int32_t date;                        /* local date, days since 1970-01-01 */
    const struct nb_hours_range *ranges; /* nranges == 0: closed all day */
    size_t nranges;
    struct nb_str note; /* shown with the day; empty for none */
};

struct nb_hours {
    const struct nb_hours_slot *slots;
    size_t nslots;
    /* At most one per date; when a date has several, the first one counts. */
    const struct nb_hours_exception *exceptions;
    size_t nexceptions;
    enum nb_land land;
};

/* Whether the office can be reached at an instant. */
struct nb_hours_reach {
    bool open;
    /* open: the instant the current opening ends (until_utc, until_local; an opening that
     * ends at 24:00 shows as 00:00 of the next day). has_until is false when the opening
     * runs on past the horizon (a 24-hour service). */
    bool has_until;
    int64_t until_utc;
    struct nb_civil_local until_local;
    /* closed: the next opening within the horizon, if any (has_next). */
    bool has_next;
    int64_t next_utc;
    struct nb_civil_local next_local;
    /* The next instant at which this answer changes: until_utc or next_utc; without them,
     * the next local midnight, when the horizon moves on and must be searched again. */
    int64_t next_change_utc;
};

/* One day of the week view. */
struct nb_hours_day {
    int32_t date;
    int weekday;            /* 1 = Monday .. 7 = Sunday */
    const char *holiday_de; /* the day's holiday, NULL for none (static string) */
    const char *holiday_en;
    bool exception;     /* an exception sets this day's hours */
    struct nb_str note; /* the exception's note (points into the caller's data) */
    size_t nranges;     /* 0: closed */
    struct nb_hours_range ranges[NB_HOURS_DAY_RANGES_MAX]; /* merged, sorted */
};

struct nb_hours_week {
    struct nb_civil_week week;   /* ISO year and week */
    struct nb_hours_day days[7]; /* Monday first */
};

/* Checks the input: land valid; every slot's weekday 1..7 and every range 0 <= start <
 * end <= 1440; exception dates within base/civil.h's range; pointers present where counts
 * are not 0. NB_ERR_INPUT for any of these; NB_ERR_LIMIT when one weekday or one exception
 * has more than NB_HOURS_DAY_RANGES_MAX ranges. The functions below check too. */
NB_MUST_USE enum nb_err nb_hours_check(const struct nb_hours *h);

/* Whether the office is open at instant now (Unix seconds, UTC; clamped to the supported
 * range), until when, or when it next opens, searching the local days from today to
 * NB_HOURS_HORIZON_DAYS ahead. Finding no opening is a valid answer (has_next false).
 * Errors as nb_hours_check; *out is only written on NB_OK. */
NB_MUST_USE enum nb_err nb_hours_reach_at(const struct nb_hours *h, int64_t now,
                                          struct nb_hours_reach *out);

/* The week view of the ISO week that holds local date date: per day its date, weekday,
 * holiday, exception note and merged ranges (ranges that are empty in reality, inside the
 * hour skipped in spring, are left out). Errors as nb_hours_check, and NB_ERR_INPUT for a
 * date outside base/civil.h's range. */
NB_MUST_USE enum nb_err nb_hours_week_of(const struct nb_hours *h, int32_t date,
                                         struct nb_hours_week *out);

#endif
