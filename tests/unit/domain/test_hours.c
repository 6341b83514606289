/* Unit tests for domain/hours: the model office (Monday to Thursday 09:00-12:00, Tuesday
 * and Thursday also 13:00-15:00, in Mecklenburg-Vorpommern) at instants given in UTC,
 * holidays and exceptions, both daylight-saving weekends of 2021 (and 2022's Monday
 * Reformationstag), night slots across the switch, the week view and input validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/civil.h"
#include "domain/hours.h"

/* An instant in UTC, from our own arithmetic (no Berlin rules involved). */
static int64_t U(int y, int m, int d, int h, int mi)
{
    return (int64_t)nb_civil_days(y, m, d) * 86400 + h * 3600 + mi * 60;
}

#define HM(h, m) ((h)*60 + (m))

static const struct nb_hours_slot model_slots[] = {
    {1, HM(9, 0), HM(12, 0)}, {2, HM(9, 0), HM(12, 0)},  {3, HM(9, 0), HM(12, 0)},
    {4, HM(9, 0), HM(12, 0)}, {2, HM(13, 0), HM(15, 0)}, {4, HM(13, 0), HM(15, 0)},
};

static struct nb_hours model(void)
{
    return (struct nb_hours){model_slots, sizeof model_slots / sizeof model_slots[0], NULL, 0,
                             NB_LAND_MV};
}

static void assert_open(const struct nb_hours *h, int64_t now, int64_t until, int hh, int mm)
{
    struct nb_hours_reach r;
    assert_int_equal(nb_hours_reach_at(h, now, &r), NB_OK);
    assert_true(r.open);
    assert_true(r.has_until);
    assert_false(r.has_next);
    assert_int_equal(r.until_utc, until);
    assert_int_equal(r.until_local.hour, hh);
    assert_int_equal(r.until_local.minute, mm);
    assert_int_equal(r.next_change_utc, until);
}

static void assert_closed(const struct nb_hours *h, int64_t now, int64_t next, int weekday, int y,
                          int m, int d, int hh, int mm)
{
    struct nb_hours_reach r;
    assert_int_equal(nb_hours_reach_at(h, now, &r), NB_OK);
    assert_false(r.open);
    assert_true(r.has_next);
    assert_int_equal(r.next_utc, next);
    assert_int_equal(r.next_local.weekday, weekday);
    assert_int_equal(r.next_local.date, nb_civil_days(y, m, d));
    assert_int_equal(r.next_local.hour, hh);
    assert_int_equal(r.next_local.minute, mm);
    assert_int_equal(r.next_change_utc, next);
}

static void test_model_week(void **state)
{
    (void)state;
    struct nb_hours h = model();
    /* October 2021 is summer time (UTC+2) until the 31st. */
    /* Tuesday 10:00 local: open until 12:00 local. */
    assert_open(&h, U(2021, 10, 12, 8, 0), U(2021, 10, 12, 10, 0), 12, 0);
    /* Tuesday 09:00 exactly: open; 08:59:59: closed, opening at 09:00. */
    assert_open(&h, U(2021, 10, 12, 7, 0), U(2021, 10, 12, 10, 0), 12, 0);
    assert_closed(&h, U(2021, 10, 12, 7, 0) - 1, U(2021, 10, 12, 7, 0), 2, 2021, 10, 12, 9, 0);
    /* Tuesday 12:30: closed, next Tuesday 13:00. */
    assert_closed(&h, U(2021, 10, 12, 10, 30), U(2021, 10, 12, 11, 0), 2, 2021, 10, 12, 13, 0);
    /* Tuesday 12:00 exactly: closed. */
    assert_closed(&h, U(2021, 10, 12, 10, 0), U(2021, 10, 12, 11, 0), 2, 2021, 10, 12, 13, 0);
    /* Tuesday 14:00: open until 15:00. */
    assert_open(&h, U(2021, 10, 12, 12, 0), U(2021, 10, 12, 13, 0), 15, 0);
    /* Wednesday 12:30: no afternoon; next Thursday 09:00. */
    assert_closed(&h, U(2021, 10, 13, 10, 30), U(2021, 10, 14, 7, 0), 4, 2021, 10, 14, 9, 0);
    /* Thursday 14:59:59 open; 15:00 exactly closed, next Monday 09:00. */
    assert_open(&h, U(2021, 10, 14, 13, 0) - 1, U(2021, 10, 14, 13, 0), 15, 0);
    assert_closed(&h, U(2021, 10, 14, 13, 0), U(2021, 10, 18, 7, 0), 1, 2021, 10, 18, 9, 0);
    /* Friday: next Monday 09:00. */
    assert_closed(&h, U(2021, 10, 15, 10, 0), U(2021, 10, 18, 7, 0), 1, 2021, 10, 18, 9, 0);
    /* Sunday just before local midnight (21:59 UTC): still Monday 09:00. */
    assert_closed(&h, U(2021, 10, 17, 21, 59), U(2021, 10, 18, 7, 0), 1, 2021, 10, 18, 9, 0);
    /* A winter Monday (UTC+1): 09:00 local is 08:00 UTC. */
    assert_open(&h, U(2021, 12, 6, 8, 0), U(2021, 12, 6, 11, 0), 12, 0);
}

static void test_model_holidays(void **state)
{
    (void)state;
    struct nb_hours h = model();
    /* Easter 2021: Thursday 1 April 15:00 -> Karfreitag, weekend, Ostermontag -> Tuesday. */
    assert_open(&h, U(2021, 4, 1, 12, 0), U(2021, 4, 1, 13, 0), 15, 0);
    assert_closed(&h, U(2021, 4, 1, 13, 0), U(2021, 4, 6, 7, 0), 2, 2021, 4, 6, 9, 0);
    /* On Ostermontag itself at 10:00 local. */
    assert_closed(&h, U(2021, 4, 5, 8, 0), U(2021, 4, 6, 7, 0), 2, 2021, 4, 6, 9, 0);
    /* Pfingstmontag 2021-05-24. */
    assert_closed(&h, U(2021, 5, 21, 10, 0), U(2021, 5, 25, 7, 0), 2, 2021, 5, 25, 9, 0);
    /* Himmelfahrt Thursday 2021-05-13: Wednesday afternoon -> next Monday. */
    assert_closed(&h, U(2021, 5, 12, 11, 0), U(2021, 5, 17, 7, 0), 1, 2021, 5, 17, 9, 0);
    /* Reformationstag 2021 is a Sunday (and the DST weekend): Monday 1 November opens
     * normally (Allerheiligen is not a holiday in MV), at 09:00 CET = 08:00 UTC. */
    assert_closed(&h, U(2021, 10, 29, 12, 0), U(2021, 11, 1, 8, 0), 1, 2021, 11, 1, 9, 0);
    /* Reformationstag 2022 is a Monday, the day after the switch: next is Tuesday. */
    assert_closed(&h, U(2022, 10, 28, 12, 0), U(2022, 11, 1, 8, 0), 2, 2022, 11, 1, 9, 0);
    /* Frauentag in MV from 2023: Wednesday 8 March 2023 is skipped, 2022 (Tuesday) not. */
    assert_closed(&h, U(2023, 3, 7, 14, 0), U(2023, 3, 9, 8, 0), 4, 2023, 3, 9, 9, 0);
    assert_closed(&h, U(2022, 3, 7, 14, 0), U(2022, 3, 8, 8, 0), 2, 2022, 3, 8, 9, 0);
    /* Same office in NW: Allerheiligen (Monday 2021-11-01) is skipped. */
    h.land = NB_LAND_NW;
    assert_closed(&h, U(2021, 10, 29, 12, 0), U(2021, 11, 2, 8, 0), 2, 2021, 11, 2, 9, 0);
}

static void test_model_dst_weekends(void **state)
{
    (void)state;
    struct nb_hours h = model();
    /* Spring 2021 (switch Sunday 28 March): Thursday 10:00 CET open until 12:00 CET. */
    assert_open(&h, U(2021, 3, 25, 9, 0), U(2021, 3, 25, 11, 0), 12, 0);
    /* Friday before: next Monday 09:00 CEST = 07:00 UTC (not 08:00). */
    assert_closed(&h, U(2021, 3, 26, 12, 0), U(2021, 3, 29, 7, 0), 1, 2021, 3, 29, 9, 0);
    /* During the switch night. */
    assert_closed(&h, U(2021, 3, 28, 0, 59), U(2021, 3, 29, 7, 0), 1, 2021, 3, 29, 9, 0);
    assert_closed(&h, U(2021, 3, 28, 1, 0), U(2021, 3, 29, 7, 0), 1, 2021, 3, 29, 9, 0);
    /* Autumn 2021 (switch Sunday 31 October), inside the repeated hour, both passes. */
    assert_closed(&h, U(2021, 10, 31, 0, 30), U(2021, 11, 1, 8, 0), 1, 2021, 11, 1, 9, 0);
    assert_closed(&h, U(2021, 10, 31, 1, 30), U(2021, 11, 1, 8, 0), 1, 2021, 11, 1, 9, 0);
    /* Monday 1 November 10:00 CET: until 12:00 CET = 11:00 UTC. */
    assert_open(&h, U(2021, 11, 1, 9, 0), U(2021, 11, 1, 11, 0), 12, 0);
}

static const struct nb_hours_range r_morning[] = {{HM(8, 0), HM(10, 0)}};
static const struct nb_hours_range r_sunday[] = {{HM(10, 0), HM(12, 0)}};

static void test_exceptions(void **state)
{
    (void)state;
    const struct nb_hours_exception exc[] = {
        /* Tuesday closed. */
        {nb_civil_days(2021, 10, 19), NULL, 0, NB_STR("Betriebsversammlung")},
        /* Friday opened specially. */
        {nb_civil_days(2021, 10, 22), r_morning, 1, NB_STR("Sondersprechstunde")},
        /* Sunday, Reformationstag, opened in emergency operation (exception beats
         * holiday); 10:00 CET after the switch = 09:00 UTC. */
        {nb_civil_days(2021, 10, 31), r_sunday, 1, NB_STR("Notbetrieb")},
        /* A second exception for the same date: ignored, the first counts. */
        {nb_civil_days(2021, 10, 19), r_morning, 1, NB_STR("ignored")},
    };
    struct nb_hours h = model();
    h.exceptions = exc;
    h.nexceptions = sizeof exc / sizeof exc[0];
    /* Monday 13:00: Tuesday is closed by exception; next Wednesday 09:00. */
    assert_closed(&h, U(2021, 10, 18, 11, 0), U(2021, 10, 20, 7, 0), 3, 2021, 10, 20, 9, 0);
    /* Thursday afternoon: Friday 08:00 by exception. */
    assert_closed(&h, U(2021, 10, 21, 13, 0), U(2021, 10, 22, 6, 0), 5, 2021, 10, 22, 8, 0);
    assert_open(&h, U(2021, 10, 22, 7, 0), U(2021, 10, 22, 8, 0), 10, 0);
    /* Saturday: Sunday 10:00 CET. */
    assert_closed(&h, U(2021, 10, 30, 12, 0), U(2021, 10, 31, 9, 0), 7, 2021, 10, 31, 10, 0);
    assert_open(&h, U(2021, 10, 31, 10, 59), U(2021, 10, 31, 11, 0), 12, 0);
    /* Sunday noon: back to the weekly slots, Monday 09:00 CET. */
    assert_closed(&h, U(2021, 10, 31, 11, 0), U(2021, 11, 1, 8, 0), 1, 2021, 11, 1, 9, 0);
}

static void test_night_slots_across_switch(void **state)
{
    (void)state;
    /* A night line: Saturday 22:00-24:00 and Sunday 00:00-06:00, and Sunday 01:00-04:00
     * inside it (merged). NW, where neither switch Sunday of 2021 is a holiday. */
    const struct nb_hours_slot slots[] = {
        {6, HM(22, 0), 1440}, {7, 0, HM(6, 0)}, {7, HM(1, 0), HM(4, 0)}};
    struct nb_hours h = {slots, 3, NULL, 0, NB_LAND_NW};
    /* Autumn: Saturday 23:00 CEST -> until Sunday 06:00 CET = 05:00 UTC (9 hours in all). */
    assert_open(&h, U(2021, 10, 30, 21, 0), U(2021, 10, 31, 5, 0), 6, 0);
    assert_closed(&h, U(2021, 10, 30, 19, 59), U(2021, 10, 30, 20, 0), 6, 2021, 10, 30, 22, 0);
    /* Spring: Saturday 23:00 CET -> until Sunday 06:00 CEST = 04:00 UTC (7 hours). */
    assert_open(&h, U(2021, 3, 27, 22, 0), U(2021, 3, 28, 4, 0), 6, 0);
    assert_open(&h, U(2021, 3, 28, 1, 0), U(2021, 3, 28, 4, 0), 6, 0);

    /* Only Sunday 01:00-04:00. */
    const struct nb_hours_slot one[] = {{7, HM(1, 0), HM(4, 0)}};
    h.slots = one;
    h.nslots = 1;
    /* Spring: 01:00 CET (00:00 UTC) to 04:00 CEST (02:00 UTC). */
    assert_closed(&h, U(2021, 3, 27, 23, 0), U(2021, 3, 28, 0, 0), 7, 2021, 3, 28, 1, 0);
    assert_open(&h, U(2021, 3, 28, 0, 30), U(2021, 3, 28, 2, 0), 4, 0);
    assert_open(&h, U(2021, 3, 28, 1, 59), U(2021, 3, 28, 2, 0), 4, 0);
    /* Autumn: 01:00 CEST (Saturday 23:00 UTC) to 04:00 CET (03:00 UTC). */
    assert_closed(&h, U(2021, 10, 30, 22, 59), U(2021, 10, 30, 23, 0), 7, 2021, 10, 31, 1, 0);
    assert_open(&h, U(2021, 10, 31, 0, 30), U(2021, 10, 31, 3, 0), 4, 0);
    assert_open(&h, U(2021, 10, 31, 1, 30), U(2021, 10, 31, 3, 0), 4, 0);
    /* After it: next Sunday 01:00 CET = 00:00 UTC. */
    assert_closed(&h, U(2021, 10, 31, 3, 0), U(2021, 11, 7, 0, 0), 7, 2021, 11, 7, 1, 0);
}

static const struct nb_hours_range r_gap[] = {{HM(2, 0), HM(3, 0)}};
static const struct nb_hours_range r_fold[] = {{HM(2, 30), HM(3, 30)}};

static void test_ranges_in_switch_hour(void **state)
{
    (void)state;
    /* 02:00-03:00 on the spring Sunday never happens: nothing to find. */
    const struct nb_hours_exception gap[] = {{nb_civil_days(2021, 3, 28), r_gap, 1, {0}}};
    struct nb_hours h = {NULL, 0, gap, 1, NB_LAND_NW};
    struct nb_hours_reach r;
    assert_int_equal(nb_hours_reach_at(&h, U(2021, 3, 27, 12, 0), &r), NB_OK);
    assert_false(r.open);
    assert_false(r.has_next);
    /* Re-render at the next local midnight (Sunday 00:00 CET = Saturday 23:00 UTC). */
    assert_int_equal(r.next_change_utc, U(2021, 3, 27, 23, 0));
    struct nb_hours_week w;
    assert_int_equal(nb_hours_week_of(&h, nb_civil_days(2021, 3, 28), &w), NB_OK);
    assert_true(w.days[6].exception);
    assert_int_equal(w.days[6].nranges, 0);
    /* 02:30-03:30 on the autumn Sunday: first 02:30 (00:30 UTC) to 03:30 CET (02:30 UTC),
     * unbroken through the second pass of 02:00-02:30. */
    const struct nb_hours_exception fold[] = {{nb_civil_days(2021, 10, 31), r_fold, 1, {0}}};
    h.exceptions = fold;
    assert_closed(&h, U(2021, 10, 30, 12, 0), U(2021, 10, 31, 0, 30), 7, 2021, 10, 31, 2, 30);
    assert_open(&h, U(2021, 10, 31, 1, 15), U(2021, 10, 31, 2, 30), 3, 30);
    assert_int_equal(nb_hours_week_of(&h, nb_civil_days(2021, 10, 31), &w), NB_OK);
    assert_int_equal(w.days[6].nranges, 1);
    assert_int_equal(w.days[6].ranges[0].start, HM(2, 30));
}

static const struct nb_hours_range r_all[] = {{0, 1440}};
static const struct nb_hours_range r_noon[] = {{HM(12, 0), HM(13, 0)}};

static void test_merge_and_horizon(void **state)
{
    (void)state;
    /* Overlapping and touching slots make one opening. */
    const struct nb_hours_slot merged[] = {
        {3, HM(11, 0), HM(13, 0)}, {3, HM(9, 0), HM(12, 0)}, {3, HM(13, 0), HM(14, 0)}};
    struct nb_hours h = {merged, 3, NULL, 0, NB_LAND_BE};
    assert_open(&h, U(2021, 10, 13, 7, 30), U(2021, 10, 13, 12, 0), 14, 0);
    struct nb_hours_week w;
    assert_int_equal(nb_hours_week_of(&h, nb_civil_days(2021, 10, 13), &w), NB_OK);
    assert_int_equal(w.days[2].nranges, 1); /* shown as one range too */
    assert_int_equal(w.days[2].ranges[0].start, HM(9, 0));
    assert_int_equal(w.days[2].ranges[0].end, HM(14, 0));

    /* Open around the clock, but closed on holidays: the opening runs on across every
     * midnight until 1. Weihnachtstag starts, 25 December 00:00 CET = 24 Dec 23:00 UTC. */
    struct nb_hours_slot always[7];
    for (int i = 0; i < 7; i++)
        always[i] = (struct nb_hours_slot){i + 1, 0, 1440};
    h = (struct nb_hours){always, 7, NULL, 0, NB_LAND_BE};
    assert_open(&h, U(2021, 10, 15, 10, 0), U(2021, 12, 24, 23, 0), 0, 0);

    /* Open on the holidays too (by exception): no end within the horizon; the answer is
     * to be computed again at the next local midnight. */
    struct nb_hours_exception open_days[2 * NB_HOLIDAY_MAX];
    struct nb_holiday list[NB_HOLIDAY_MAX];
    size_t ne = 0;
    for (int y = 2021; y <= 2022; y++) {
        size_t n = nb_holiday_list(NB_LAND_BE, y, list);
        for (size_t i = 0; i < n; i++)
            open_days[ne++] = (struct nb_hours_exception){list[i].date, r_all, 1, {0}};
    }
    h.exceptions = open_days;
    h.nexceptions = ne;
    struct nb_hours_reach r;
    assert_int_equal(nb_hours_reach_at(&h, U(2021, 10, 15, 10, 0), &r), NB_OK);
    assert_true(r.open);
    assert_false(r.has_until);
    assert_false(r.has_next);
    assert_int_equal(r.next_change_utc, U(2021, 10, 15, 22, 0)); /* 00:00 CEST */

    /* Closed for good: no slots. */
    h = (struct nb_hours){NULL, 0, NULL, 0, NB_LAND_BE};
    assert_int_equal(nb_hours_reach_at(&h, U(2021, 12, 15, 10, 0), &r), NB_OK);
    assert_false(r.open);
    assert_false(r.has_next);
    assert_int_equal(r.next_change_utc, U(2021, 12, 15, 23, 0)); /* 00:00 CET */

    /* The horizon: an opening 366 local days ahead is found, 367 days ahead is not. */
    int32_t today = nb_civil_days(2021, 10, 15);
    const struct nb_hours_exception at366[] = {{today + 366, r_noon, 1, {0}}};
    h.exceptions = at366;
    h.nexceptions = 1;
    assert_int_equal(nb_hours_reach_at(&h, U(2021, 10, 15, 10, 0), &r), NB_OK);
    assert_true(r.has_next);
    assert_int_equal(r.next_local.date, today + 366);
    assert_int_equal(r.next_local.hour, 12);
    const struct nb_hours_exception at367[] = {{today + 367, r_noon, 1, {0}}};
    h.exceptions = at367;
    assert_int_equal(nb_hours_reach_at(&h, U(2021, 10, 15, 10, 0), &r), NB_OK);
    assert_false(r.has_next);

    /* Hostile instants are clamped, not overflowed. */
    h = model();
    assert_int_equal(nb_hours_reach_at(&h, INT64_MAX, &r), NB_OK);
    assert_int_equal(nb_hours_reach_at(&h, INT64_MIN, &r), NB_OK);
}

static void test_week_view(void **state)
{
    (void)state;
    struct nb_hours h = model();
    struct nb_hours_week w;
    /* 2021-W14 (5-11 April), asked for by its Wednesday: Ostermontag closed. */
    assert_int_equal(nb_hours_week_of(&h, nb_civil_days(2021, 4, 7), &w), NB_OK);
    assert_int_equal(w.week.year, 2021);
    assert_int_equal(w.week.week, 14);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(w.days[i].date, nb_civil_days(2021, 4, 5) + i);
        assert_int_equal(w.days[i].weekday, i + 1);
        assert_false(w.days[i].exception);
        assert_int_equal(w.days[i].note.len, 0);
    }
    assert_string_equal(w.days[0].holiday_de, "Ostermontag");
    assert_string_equal(w.days[0].holiday_en, "Easter Monday");
    assert_int_equal(w.days[0].nranges, 0);
    assert_null(w.days[1].holiday_de);
    assert_int_equal(w.days[1].nranges, 2);
    assert_int_equal(w.days[1].ranges[0].start, HM(9, 0));
    assert_int_equal(w.days[1].ranges[0].end, HM(12, 0));
    assert_int_equal(w.days[1].ranges[1].start, HM(13, 0));
    assert_int_equal(w.days[1].ranges[1].end, HM(15, 0));
    assert_int_equal(w.days[2].nranges, 1);
    assert_int_equal(w.days[3].nranges, 2);
    assert_int_equal(w.days[4].nranges, 0);
    assert_int_equal(w.days[5].nranges, 0);
    assert_int_equal(w.days[6].nranges, 0);

    /* 2021-W43 with exceptions, asked for by its Sunday: Reformationstag opened. */
    const struct nb_hours_exception exc[] = {
        {nb_civil_days(2021, 10, 26), NULL, 0, NB_STR("Betriebsversammlung")},
        {nb_civil_days(2021, 10, 31), r_sunday, 1, NB_STR("Notbetrieb")},
    };
    h.exceptions = exc;
    h.nexceptions = 2;
    assert_int_equal(nb_hours_week_of(&h, nb_civil_days(2021, 10, 31), &w), NB_OK);
    assert_int_equal(w.week.week, 43);
    assert_int_equal(w.days[0].date, nb_civil_days(2021, 10, 25));
    assert_int_equal(w.days[0].nranges, 1);
    assert_true(w.days[1].exception);
    assert_int_equal(w.days[1].nranges, 0);
    assert_int_equal(w.days[1].note.len, strlen("Betriebsversammlung"));
    assert_memory_equal(w.days[1].note.ptr, "Betriebsversammlung", w.days[1].note.len);
    assert_true(w.days[6].exception);
    assert_string_equal(w.days[6].holiday_de, "Reformationstag");
    assert_int_equal(w.days[6].nranges, 1);
    assert_int_equal(w.days[6].ranges[0].start, HM(10, 0));

    /* Year boundary: 2021-01-03 belongs to 2020-W53, whose Friday is Neujahr. */
    h = model();
    assert_int_equal(nb_hours_week_of(&h, nb_civil_days(2021, 1, 3), &w), NB_OK);
    assert_int_equal(w.week.year, 2020);
    assert_int_equal(w.week.week, 53);
    assert_int_equal(w.days[0].date, nb_civil_days(2020, 12, 28));
    assert_string_equal(w.days[4].holiday_de, "Neujahr");
    assert_int_equal(nb_hours_week_of(&h, NB_CIVIL_DATE_MAX + 1, &w), NB_ERR_INPUT);
}

static void test_validation(void **state)
{
    (void)state;
    struct nb_hours_reach r;
    struct nb_hours_week w;
    struct nb_hours h = model();
    assert_int_equal(nb_hours_check(&h), NB_OK);
    assert_int_equal(nb_hours_check(NULL), NB_ERR_INPUT);
    /* Slots: start < end, 0..1440, weekday 1..7; the edges themselves are fine. */
    struct {
        int wd, s, e;
        enum nb_err want;
    } cases[] = {
        {1, 0, 1440, NB_OK},         {7, 1439, 1440, NB_OK},      {1, 600, 600, NB_ERR_INPUT},
        {1, 601, 600, NB_ERR_INPUT}, {1, -1, 600, NB_ERR_INPUT},  {1, 0, 1441, NB_ERR_INPUT},
        {0, 540, 600, NB_ERR_INPUT}, {8, 540, 600, NB_ERR_INPUT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct nb_hours_slot s = {cases[i].wd, cases[i].s, cases[i].e};
        h = (struct nb_hours){&s, 1, NULL, 0, NB_LAND_MV};
        assert_int_equal(nb_hours_check(&h), cases[i].want);
        assert_int_equal(nb_hours_reach_at(&h, 0, &r), cases[i].want);
        assert_int_equal(nb_hours_week_of(&h, 0, &w), cases[i].want);
    }
    /* Land. */
    h = model();
    h.land = (enum nb_land)0;
    assert_int_equal(nb_hours_reach_at(&h, 0, &r), NB_ERR_INPUT);
    h.land = (enum nb_land)17;
    assert_int_equal(nb_hours_check(&h), NB_ERR_INPUT);
    /* Missing arrays. */
    h = model();
    h.slots = NULL;
    assert_int_equal(nb_hours_check(&h), NB_ERR_INPUT);
    h = model();
    h.nexceptions = 1;
    assert_int_equal(nb_hours_check(&h), NB_ERR_INPUT);
    /* Exceptions: bad range, missing ranges, date out of range. */
    const struct nb_hours_range bad[] = {{HM(10, 0), HM(9, 0)}};
    struct nb_hours_exception e = {nb_civil_days(2021, 10, 19), bad, 1, {0}};
    h = model();
    h.exceptions = &e;
    h.nexceptions = 1;
    assert_int_equal(nb_hours_check(&h), NB_ERR_INPUT);
    e.ranges = NULL;
    assert_int_equal(nb_hours_check(&h), NB_ERR_INPUT);
    e = (struct nb_hours_exception){NB_CIVIL_DATE_MAX + 1, NULL, 0, {0}};
    assert_int_equal(nb_hours_check(&h), NB_ERR_INPUT);
    e = (struct nb_hours_exception){nb_civil_days(2021, 10, 19), NULL, 0, {NULL, 3}};
    assert_int_equal(nb_hours_check(&h), NB_ERR_INPUT);
    /* Ranges per day: NB_HOURS_DAY_RANGES_MAX accepted, one more refused. */
    struct nb_hours_slot many[NB_HOURS_DAY_RANGES_MAX + 1];
    struct nb_hours_range manyr[NB_HOURS_DAY_RANGES_MAX + 1];
    for (int i = 0; i <= (int)NB_HOURS_DAY_RANGES_MAX; i++) {
        many[i] = (struct nb_hours_slot){2, i * 100, i * 100 + 50};
        manyr[i] = (struct nb_hours_range){i * 100, i * 100 + 50};
    }
    h = (struct nb_hours){many, NB_HOURS_DAY_RANGES_MAX, NULL, 0, NB_LAND_MV};
    assert_int_equal(nb_hours_check(&h), NB_OK);
    assert_int_equal(nb_hours_week_of(&h, nb_civil_days(2021, 10, 12), &w), NB_OK);
    assert_int_equal(w.days[1].nranges, NB_HOURS_DAY_RANGES_MAX);
    h.nslots = NB_HOURS_DAY_RANGES_MAX + 1;
    assert_int_equal(nb_hours_check(&h), NB_ERR_LIMIT);
    assert_int_equal(nb_hours_reach_at(&h, 0, &r), NB_ERR_LIMIT);
    e = (struct nb_hours_exception){
        nb_civil_days(2021, 10, 19), manyr, NB_HOURS_DAY_RANGES_MAX, {0}};
    h = model();
    h.exceptions = &e;
    h.nexceptions = 1;
    assert_int_equal(nb_hours_check(&h), NB_OK);
    e.nranges = NB_HOURS_DAY_RANGES_MAX + 1;
    assert_int_equal(nb_hours_check(&h), NB_ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_week),
        cmocka_unit_test(test_model_holidays),
        cmocka_unit_test(test_model_dst_weekends),
        cmocka_unit_test(test_exceptions),
        cmocka_unit_test(test_night_slots_across_switch),
        cmocka_unit_test(test_ranges_in_switch_hour),
        cmocka_unit_test(test_merge_and_horizon),
        cmocka_unit_test(test_week_view),
        cmocka_unit_test(test_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
