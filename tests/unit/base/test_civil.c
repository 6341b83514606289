/* Unit tests for base/civil: day numbers against an independent day counter, ISO weeks
 * against the Thursday rule, Easter against published dates, Europe/Berlin switches against
 * instants checked with an independent tz database, wall-clock spans on switch days, and
 * formatting and parsing on both sides of their limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/civil.h"

/* Our own month lengths, independent of the module. */
static int test_month_len(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return (m == 2 && leap) ? 29 : len[m - 1];
}

static void test_anchors(void **state)
{
    (void)state;
    assert_int_equal(nb_civil_days(1970, 1, 1), 0);
    assert_int_equal(nb_civil_days(1969, 12, 31), -1);
    assert_int_equal(nb_civil_days(2000, 3, 1), 11017);
    assert_int_equal(nb_civil_days(1900, 1, 1), -25567);
    assert_int_equal(nb_civil_days(2021, 10, 15), 18915);
    assert_int_equal(nb_civil_days(1, 1, 1), NB_CIVIL_DATE_MIN);
    assert_int_equal(nb_civil_days(9999, 12, 31), NB_CIVIL_DATE_MAX);
    assert_int_equal(nb_civil_weekday(0), 4);                           /* Thursday */
    assert_int_equal(nb_civil_weekday(nb_civil_days(2021, 10, 15)), 5); /* Friday */
    assert_int_equal(nb_civil_weekday(nb_civil_days(2021, 10, 31)), 7); /* Sunday */
    assert_int_equal(nb_civil_weekday(nb_civil_days(1900, 1, 1)), 1);   /* Monday */
    assert_int_equal(nb_civil_weekday(-1), 3);
    assert_int_equal(nb_civil_weekday(INT32_MIN), nb_civil_weekday(INT32_MIN + 7));
}

/* Every day of 1900-2100 against a counter that steps through our own calendar. */
static void test_round_trip_1900_2100(void **state)
{
    (void)state;
    int32_t n = nb_civil_days(1900, 1, 1);
    int wd = 1; /* 1900-01-01 was a Monday */
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            assert_int_equal(nb_civil_days_in_month(y, m), test_month_len(y, m));
            for (int d = 1; d <= test_month_len(y, m); d++) {
                assert_int_equal(nb_civil_days(y, m, d), n);
                struct nb_civil_ymd back = nb_civil_ymd(n);
                assert_int_equal(back.year, y);
                assert_int_equal(back.month, m);
                assert_int_equal(back.day, d);
                assert_int_equal(nb_civil_weekday(n), wd);
                assert_true(nb_civil_valid(y, m, d));
                n++;
                wd = wd % 7 + 1;
            }
            assert_false(nb_civil_valid(y, m, test_month_len(y, m) + 1));
        }
    }
    assert_int_equal(n, nb_civil_days(2101, 1, 1));
}

static void test_valid_and_checked(void **state)
{
    (void)state;
    int32_t d = 123;
    assert_true(nb_civil_valid(2024, 2, 29));
    assert_false(nb_civil_valid(2023, 2, 29));
    assert_false(nb_civil_valid(1900, 2, 29));
    assert_true(nb_civil_valid(2000, 2, 29));
    assert_false(nb_civil_valid(2021, 0, 1));
    assert_false(nb_civil_valid(2021, 13, 1));
    assert_false(nb_civil_valid(2021, 1, 0));
    assert_false(nb_civil_valid(0, 1, 1));
    assert_true(nb_civil_valid(1, 1, 1));
    assert_true(nb_civil_valid(9999, 12, 31));
    assert_false(nb_civil_valid(10000, 1, 1));
    assert_int_equal(nb_civil_from_ymd(2023, 2, 29, &d), NB_ERR_INPUT);
    assert_int_equal(d, 123); /* untouched on error */
    assert_int_equal(nb_civil_from_ymd(2024, 2, 29, &d), NB_OK);
    assert_int_equal(d, nb_civil_days(2024, 3, 1) - 1);
    /* Unchecked input stays in range instead of overflowing. */
    int32_t c = nb_civil_days(INT32_MAX, 99, 99);
    assert_true(c >= NB_CIVIL_DATE_MIN && c <= NB_CIVIL_DATE_MAX);
    c = nb_civil_days(INT32_MIN, -5, -5);
    assert_true(c >= NB_CIVIL_DATE_MIN && c <= NB_CIVIL_DATE_MAX);
}

/* The independent rule: a date's ISO week is the week of its Thursday; its ISO year is the
 * Thursday's calendar year, and the week number counts Thursdays of that year. */
static struct nb_civil_week thursday_rule(int32_t date)
{
    int32_t thu = date + (4 - nb_civil_weekday(date));
    int y = nb_civil_ymd(thu).year;
    return (struct nb_civil_week){y, (thu - nb_civil_days(y, 1, 1)) / 7 + 1};
}

static void test_iso_week_boundaries(void **state)
{
    (void)state;
    for (int y = 2015; y <= 2031; y++) {
        /* Every day from 20 December of the year before to 10 January. */
        for (int32_t d = nb_civil_days(y - 1, 12, 20); d <= nb_civil_days(y, 1, 10); d++) {
            struct nb_civil_week got = nb_civil_iso_week(d), want = thursday_rule(d);
            assert_int_equal(got.year, want.year);
            assert_int_equal(got.week, want.week);
        }
    }
    /* And every day of the whole range of years, for good measure. */
    for (int32_t d = nb_civil_days(2014, 1, 1); d <= nb_civil_days(2032, 12, 31); d++) {
        struct nb_civil_week got = nb_civil_iso_week(d), want = thursday_rule(d);
        assert_int_equal(got.year, want.year);
        assert_int_equal(got.week, want.week);
    }
    struct {
        int y, m, d, iy, iw;
    } cases[] = {
        {2020, 12, 31, 2020, 53}, {2021, 1, 3, 2020, 53},   {2021, 1, 4, 2021, 1},
        {2019, 12, 30, 2020, 1},  {2021, 10, 15, 2021, 41}, {2026, 12, 31, 2026, 53},
        {2027, 1, 3, 2026, 53},   {2027, 1, 4, 2027, 1},    {2016, 1, 3, 2015, 53},
        {2024, 12, 30, 2025, 1},  {9999, 12, 31, 9999, 52}, {1, 1, 1, 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct nb_civil_week w =
            nb_civil_iso_week(nb_civil_days(cases[i].y, cases[i].m, cases[i].d));
        assert_int_equal(w.year, cases[i].iy);
        assert_int_equal(w.week, cases[i].iw);
    }
}

static void test_iso_weeks_and_monday(void **state)
{
    (void)state;
    for (int y = 1900; y <= 2100; y++) {
        /* 53 weeks when the year starts on a Thursday, or a leap year on a Wednesday. */
        int jan1 = nb_civil_weekday(nb_civil_days(y, 1, 1));
        bool leap = test_month_len(y, 2) == 29;
        int want = (jan1 == 4 || (leap && jan1 == 3)) ? 53 : 52;
        assert_int_equal(nb_civil_iso_weeks(y), want);
    }
    assert_int_equal(nb_civil_iso_weeks(2020), 53);
    assert_int_equal(nb_civil_iso_weeks(2021), 52);
    assert_int_equal(nb_civil_iso_weeks(2026), 53);
    for (int y = 2015; y <= 2031; y++) {
        for (int w = 1; w <= nb_civil_iso_weeks(y); w++) {
            int32_t mon = -1;
            assert_int_equal(nb_civil_iso_monday(y, w, &mon), NB_OK);
            assert_int_equal(nb_civil_weekday(mon), 1);
            struct nb_civil_week back = nb_civil_iso_week(mon);
            assert_int_equal(back.year, y);
            assert_int_equal(back.week, w);
            back = nb_civil_iso_week(mon + 6);
            assert_int_equal(back.week, w);
        }
    }
    int32_t mon = 0;
    assert_int_equal(nb_civil_iso_monday(2020, 1, &mon), NB_OK);
    assert_int_equal(mon, nb_civil_days(2019, 12, 30));
    assert_int_equal(nb_civil_iso_monday(2020, 53, &mon), NB_OK);
    assert_int_equal(mon, nb_civil_days(2020, 12, 28));
    assert_int_equal(nb_civil_iso_monday(2021, 53, &mon), NB_ERR_INPUT); /* 52 weeks only */
    assert_int_equal(nb_civil_iso_monday(2021, 0, &mon), NB_ERR_INPUT);
    assert_int_equal(nb_civil_iso_monday(2020, 54, &mon), NB_ERR_INPUT);
    assert_int_equal(nb_civil_iso_monday(0, 1, &mon), NB_ERR_INPUT);
    assert_int_equal(nb_civil_iso_monday(10000, 1, &mon), NB_ERR_INPUT);
}

static void test_easter(void **state)
{
    (void)state;
    struct {
        int y, m, d;
    } known[] = {
        {2019, 4, 21}, {2021, 4, 4},  {2024, 3, 31}, {2025, 4, 20}, {2038, 4, 25}, {2008, 3, 23},
        {2011, 4, 24}, {2015, 4, 5},  {2016, 3, 27}, {2017, 4, 16}, {2018, 4, 1},  {2020, 4, 12},
        {2022, 4, 17}, {2023, 4, 9},  {2026, 4, 5},  {2027, 3, 28}, {2028, 4, 16}, {2029, 4, 1},
        {2030, 4, 21}, {1943, 4, 25}, {2285, 3, 22}, {1954, 4, 18}, {2000, 4, 23},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        assert_int_equal(nb_civil_easter(known[i].y),
                         nb_civil_days(known[i].y, known[i].m, known[i].d));
    /* Always a Sunday from 22 March to 25 April. */
    for (int y = 1583; y <= 9999; y++) {
        int32_t e = nb_civil_easter(y);
        assert_int_equal(nb_civil_weekday(e), 7);
        assert_true(e >= nb_civil_days(y, 3, 22) && e <= nb_civil_days(y, 4, 25));
    }
}

static void assert_local(int64_t utc, int y, int mo, int d, int h, int mi, int s, int off)
{
    struct nb_civil_local l;
    nb_civil_berlin_local(utc, &l);
    assert_int_equal(l.year, y);
    assert_int_equal(l.month, mo);
    assert_int_equal(l.day, d);
    assert_int_equal(l.hour, h);
    assert_int_equal(l.minute, mi);
    assert_int_equal(l.second, s);
    assert_int_equal(l.offset, off);
    assert_int_equal(l.dst, off == 7200);
    assert_int_equal(l.date, nb_civil_days(y, mo, d));
    assert_int_equal(l.weekday, nb_civil_weekday(l.date));
}

/* Switch instants checked against an independent tz database (date -u -d ... +%s). */
static void test_dst_switches(void **state)
{
    (void)state;
    assert_int_equal(nb_civil_berlin_dst_start(2021), 1616893200); /* 2021-03-28T01:00Z */
    assert_int_equal(nb_civil_berlin_dst_end(2021), 1635642000);   /* 2021-10-31T01:00Z */
    assert_int_equal(nb_civil_berlin_dst_start(2026), 1774746000); /* 2026-03-29T01:00Z */
    assert_int_equal(nb_civil_berlin_dst_end(2026), 1792890000);   /* 2026-10-25T01:00Z */
    int64_t sw[] = {1616893200, 1635642000, 1774746000, 1792890000};
    int before[] = {3600, 7200, 3600, 7200};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(nb_civil_berlin_offset(sw[i] - 1), before[i]);
        assert_int_equal(nb_civil_berlin_offset(sw[i]), 10800 - before[i]);
    }
    assert_local(1616893199, 2021, 3, 28, 1, 59, 59, 3600);
    assert_local(1616893200, 2021, 3, 28, 3, 0, 0, 7200);
    assert_local(1635641999, 2021, 10, 31, 2, 59, 59, 7200);
    assert_local(1635642000, 2021, 10, 31, 2, 0, 0, 3600);
    assert_local(1774745999, 2026, 3, 29, 1, 59, 59, 3600);
    assert_local(1774746000, 2026, 3, 29, 3, 0, 0, 7200);
    assert_local(1792889999, 2026, 10, 25, 2, 59, 59, 7200);
    assert_local(1792890000, 2026, 10, 25, 2, 0, 0, 3600);
    assert_local(1634274000, 2021, 10, 15, 7, 0, 0, 7200); /* 2021-10-15T05:00Z */
    assert_local(0, 1970, 1, 1, 1, 0, 0, 3600);
    assert_local(-1, 1970, 1, 1, 0, 59, 59, 3600);
    assert_local(1609455600, 2021, 1, 1, 0, 0, 0, 3600); /* 2020-12-31T23:00Z */
    /* Every switch 1996-2100: last Sundays of March and October at 01:00 UTC. */
    for (int y = 1996; y <= 2100; y++) {
        int64_t s = nb_civil_berlin_dst_start(y), e = nb_civil_berlin_dst_end(y);
        int32_t sd = (int32_t)(s / 86400), ed = (int32_t)(e / 86400);
        assert_int_equal(s % 86400, 3600);
        assert_int_equal(e % 86400, 3600);
        assert_int_equal(nb_civil_weekday(sd), 7);
        assert_int_equal(nb_civil_weekday(ed), 7);
        assert_int_equal(nb_civil_ymd(sd).month, 3);
        assert_int_equal(nb_civil_ymd(sd + 7).month, 4);
        assert_int_equal(nb_civil_ymd(ed).month, 10);
        assert_int_equal(nb_civil_ymd(ed + 7).month, 11);
    }
    /* Hostile instants are clamped, not overflowed. */
    struct nb_civil_local l;
    nb_civil_berlin_local(INT64_MAX, &l);
    assert_int_equal(l.year, 10000); /* 9999-12-31T23:59:59Z is 00:59:59 local next day */
    nb_civil_berlin_local(INT64_MIN, &l);
    assert_int_equal(l.year, 1);
    assert_int_equal(nb_civil_berlin_offset(INT64_MIN), 3600);
}

static void test_to_utc(void **state)
{
    (void)state;
    int64_t u = 0;
    enum nb_civil_fold f = NB_CIVIL_REPEATED;
    assert_int_equal(nb_civil_berlin_to_utc(2021, 10, 15, 7, 0, &u, &f), NB_OK);
    assert_int_equal(u, 1634274000);
    assert_int_equal(f, NB_CIVIL_UNIQUE);
    /* Spring gap: 02:30 does not exist; read with UTC+1, so 03:30 CEST = 01:30 UTC. */
    assert_int_equal(nb_civil_berlin_to_utc(2021, 3, 28, 2, 30, &u, &f), NB_OK);
    assert_int_equal(u, 1616893200 + 1800);
    assert_int_equal(f, NB_CIVIL_SKIPPED);
    assert_int_equal(nb_civil_berlin_to_utc(2021, 3, 28, 1, 59, &u, &f), NB_OK);
    assert_int_equal(u, 1616893200 - 60);
    assert_int_equal(f, NB_CIVIL_UNIQUE);
    assert_int_equal(nb_civil_berlin_to_utc(2021, 3, 28, 3, 0, &u, &f), NB_OK);
    assert_int_equal(u, 1616893200);
    assert_int_equal(f, NB_CIVIL_UNIQUE);
    /* Autumn: 02:30 happens twice; the first (CEST) is meant: 00:30 UTC. */
    assert_int_equal(nb_civil_berlin_to_utc(2021, 10, 31, 2, 30, &u, &f), NB_OK);
    assert_int_equal(u, 1635642000 - 1800);
    assert_int_equal(f, NB_CIVIL_REPEATED);
    assert_int_equal(nb_civil_berlin_to_utc(2021, 10, 31, 1, 59, &u, &f), NB_OK);
    assert_int_equal(u, 1635642000 - 3600 - 60); /* 01:59 CEST = 23:59 UTC */
    assert_int_equal(f, NB_CIVIL_UNIQUE);
    assert_int_equal(nb_civil_berlin_to_utc(2021, 10, 31, 3, 0, &u, NULL), NB_OK);
    assert_int_equal(u, 1635642000 + 3600);
    /* Invalid input. */
    u = 42;
    assert_int_equal(nb_civil_berlin_to_utc(2021, 2, 29, 12, 0, &u, &f), NB_ERR_INPUT);
    assert_int_equal(nb_civil_berlin_to_utc(2021, 10, 15, 24, 0, &u, &f), NB_ERR_INPUT);
    assert_int_equal(nb_civil_berlin_to_utc(2021, 10, 15, 12, 60, &u, &f), NB_ERR_INPUT);
    assert_int_equal(nb_civil_berlin_to_utc(2021, 10, 15, -1, 0, &u, &f), NB_ERR_INPUT);
    assert_int_equal(u, 42);
    /* Round trip every quarter hour of 2021 and 2026: local -> UTC gives the instant back,
     * except the second pass of the repeated hour, which maps to the first. */
    for (int year = 2021; year <= 2026; year += 5) {
        int64_t start = (int64_t)nb_civil_days(year, 1, 1) * 86400;
        int64_t end = (int64_t)nb_civil_days(year + 1, 1, 1) * 86400;
        int64_t autumn = nb_civil_berlin_dst_end(year);
        for (int64_t t = start; t < end; t += 900) {
            struct nb_civil_local l;
            nb_civil_berlin_local(t, &l);
            assert_int_equal(
                nb_civil_berlin_to_utc(l.year, l.month, l.day, l.hour, l.minute, &u, &f), NB_OK);
            if (t >= autumn && t < autumn + 3600) {
                assert_int_equal(f, NB_CIVIL_REPEATED);
                assert_int_equal(u, t - 3600);
            } else {
                assert_int_equal(u, t);
            }
        }
    }
}

static void assert_span(int32_t date, int s, int e, int64_t want_from, int64_t want_to)
{
    int64_t from = -1, to = -1;
    assert_true(nb_civil_berlin_span(date, s, e, &from, &to));
    assert_int_equal(from, want_from);
    assert_int_equal(to, want_to);
}

static void test_span(void **state)
{
    (void)state;
    int32_t spring = nb_civil_days(2021, 3, 28), autumn = nb_civil_days(2021, 10, 31);
    int64_t sp = 1616893200, au = 1635642000; /* the switch instants */
    /* An ordinary summer day: 09:00-12:00 CEST is 07:00-10:00 UTC. */
    int32_t d = nb_civil_days(2021, 10, 15);
    assert_span(d, 540, 720, (int64_t)d * 86400 + 7 * 3600, (int64_t)d * 86400 + 10 * 3600);
    /* A winter day: 00:00-24:00 CET is 23:00 UTC the day before to 23:00 UTC. */
    d = nb_civil_days(2021, 12, 1);
    assert_span(d, 0, 1440, (int64_t)d * 86400 - 3600, (int64_t)d * 86400 + 23 * 3600);
    /* Spring: 01:00-04:00 is 00:00-02:00 UTC (two hours). */
    assert_span(spring, 60, 240, sp - 3600, sp + 3600);
    /* Spring: 02:30-04:00 opens when the clock jumps to 03:00. */
    assert_span(spring, 150, 240, sp, sp + 3600);
    /* Spring: 01:00-02:30 ends when the clock jumps. */
    assert_span(spring, 60, 150, sp - 3600, sp);
    /* Spring: the skipped hour itself is empty. */
    int64_t from = 7, to = 7;
    assert_false(nb_civil_berlin_span(spring, 120, 180, &from, &to));
    assert_false(nb_civil_berlin_span(spring, 125, 170, &from, &to));
    assert_int_equal(from, 7);
    /* Spring: a whole day is 23 hours. */
    assert_span(spring, 0, 1440, (int64_t)spring * 86400 - 3600,
                (int64_t)spring * 86400 + 22 * 3600);
    /* Autumn: 01:00-04:00 is 23:00 UTC to 03:00 UTC (four hours). */
    assert_span(autumn, 60, 240, au - 2 * 3600, au + 2 * 3600);
    /* Autumn: 02:30-03:30 runs from the first 02:30 (00:30 UTC) to 03:30 CET (02:30 UTC). */
    assert_span(autumn, 150, 210, au - 1800, au + 5400);
    /* Autumn: 02:00-02:30 from the first 02:00 to the second 02:30. */
    assert_span(autumn, 120, 150, au - 3600, au + 1800);
    /* Autumn: a whole day is 25 hours. */
    assert_span(autumn, 0, 1440, (int64_t)autumn * 86400 - 7200,
                (int64_t)autumn * 86400 + 23 * 3600);
    /* Bad ranges. */
    assert_false(nb_civil_berlin_span(d, 600, 600, &from, &to));
    assert_false(nb_civil_berlin_span(d, 600, 599, &from, &to));
    assert_false(nb_civil_berlin_span(d, -1, 600, &from, &to));
    assert_false(nb_civil_berlin_span(d, 0, 1441, &from, &to));
    assert_true(nb_civil_berlin_span(d, 0, 1440, &from, &to));
    /* Day starts. */
    assert_int_equal(nb_civil_berlin_day_start(spring), (int64_t)spring * 86400 - 3600);
    assert_int_equal(nb_civil_berlin_day_start(spring + 1), (int64_t)(spring + 1) * 86400 - 7200);
    assert_int_equal(nb_civil_berlin_day_start(autumn), (int64_t)autumn * 86400 - 7200);
    assert_int_equal(nb_civil_berlin_day_start(autumn + 1), (int64_t)(autumn + 1) * 86400 - 3600);
}

static void test_format(void **state)
{
    (void)state;
    char b[64];
    int32_t d = nb_civil_days(2021, 10, 15);
    assert_int_equal(nb_civil_fmt_date(b, sizeof b, d), 10);
    assert_string_equal(b, "2021-10-15");
    assert_int_equal(nb_civil_fmt_date_de(b, sizeof b, d), 10);
    assert_string_equal(b, "15.10.2021");
    assert_int_equal(nb_civil_fmt_date_de(b, sizeof b, nb_civil_days(7, 1, 2)), 10);
    assert_string_equal(b, "02.01.0007");
    assert_int_equal(nb_civil_fmt_hhmm(b, sizeof b, 540), 5);
    assert_string_equal(b, "09:00");
    assert_int_equal(nb_civil_fmt_hhmm(b, sizeof b, 0), 5);
    assert_string_equal(b, "00:00");
    assert_int_equal(nb_civil_fmt_hhmm(b, sizeof b, 1439), 5);
    assert_string_equal(b, "23:59");
    assert_int_equal(nb_civil_fmt_hhmm(b, sizeof b, 1440), 5);
    assert_string_equal(b, "24:00");
    assert_int_equal(nb_civil_fmt_hhmm(b, sizeof b, 5000), 5);
    assert_string_equal(b, "24:00");
    assert_int_equal(nb_civil_fmt_rfc3339(b, sizeof b, 1634274000), 20);
    assert_string_equal(b, "2021-10-15T05:00:00Z");
    assert_int_equal(nb_civil_fmt_rfc3339(b, sizeof b, -1), 20);
    assert_string_equal(b, "1969-12-31T23:59:59Z");
    assert_int_equal(nb_civil_fmt_http_date(b, sizeof b, 1634274000), 29);
    assert_string_equal(b, "Fri, 15 Oct 2021 05:00:00 GMT");
    assert_int_equal(nb_civil_fmt_http_date(b, sizeof b, 784111777), 29); /* RFC 9110's */
    assert_string_equal(b, "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_int_equal(nb_civil_fmt_http_date(b, sizeof b, 951782400), 29);
    assert_string_equal(b, "Tue, 29 Feb 2000 00:00:00 GMT");
    /* Clamped. */
    assert_int_equal(nb_civil_fmt_rfc3339(b, sizeof b, INT64_MIN), 20);
    assert_string_equal(b, "0001-01-01T00:00:00Z");
    assert_int_equal(nb_civil_fmt_rfc3339(b, sizeof b, INT64_MAX), 20);
    assert_string_equal(b, "9999-12-31T23:59:59Z");
    assert_int_equal(nb_civil_fmt_date(b, sizeof b, INT32_MIN), 10);
    assert_string_equal(b, "0001-01-01");
    /* Buffer sizes: exactly enough is accepted, one less refused with "". */
    char small[NB_CIVIL_HTTP_DATE_SIZE];
    assert_int_equal(nb_civil_fmt_date(small, NB_CIVIL_DATE_SIZE, d), 10);
    assert_int_equal(nb_civil_fmt_date(small, NB_CIVIL_DATE_SIZE - 1, d), 0);
    assert_string_equal(small, "");
    assert_int_equal(nb_civil_fmt_date_de(small, NB_CIVIL_DATE_DE_SIZE - 1, d), 0);
    assert_int_equal(nb_civil_fmt_hhmm(small, NB_CIVIL_HHMM_SIZE, 61), 5);
    assert_string_equal(small, "01:01");
    assert_int_equal(nb_civil_fmt_hhmm(small, NB_CIVIL_HHMM_SIZE - 1, 61), 0);
    assert_int_equal(nb_civil_fmt_rfc3339(small, NB_CIVIL_RFC3339_SIZE, 0), 20);
    assert_string_equal(small, "1970-01-01T00:00:00Z");
    assert_int_equal(nb_civil_fmt_rfc3339(small, NB_CIVIL_RFC3339_SIZE - 1, 0), 0);
    assert_int_equal(nb_civil_fmt_http_date(small, NB_CIVIL_HTTP_DATE_SIZE, 0), 29);
    assert_string_equal(small, "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_int_equal(nb_civil_fmt_http_date(small, NB_CIVIL_HTTP_DATE_SIZE - 1, 0), 0);
    assert_string_equal(small, "");
    assert_int_equal(nb_civil_fmt_http_date(NULL, 0, 0), 0); /* size 0 writes nothing */
}

static void test_parse(void **state)
{
    (void)state;
    int32_t d = -5;
    int m = -5;
    assert_int_equal(nb_civil_parse_date(NB_STR("2021-10-15"), &d), NB_OK);
    assert_int_equal(d, nb_civil_days(2021, 10, 15));
    assert_int_equal(nb_civil_parse_date(NB_STR("2024-02-29"), &d), NB_OK);
    assert_int_equal(nb_civil_parse_date(NB_STR("0001-01-01"), &d), NB_OK);
    assert_int_equal(d, NB_CIVIL_DATE_MIN);
    const char *bad_dates[] = {"2023-02-29", "2021-13-01", "2021-00-10",  "2021-10-32",
                               "0000-01-01", "2021-1-15",  "2021-10-15 ", " 2021-10-15",
                               "2021/10/15", "20211015",   "2021-10-1x",  "+021-10-15",
                               "",           "2021-10-150"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++)
        assert_int_equal(nb_civil_parse_date(nb_str_c(bad_dates[i]), &d), NB_ERR_INPUT);
    assert_int_equal(nb_civil_parse_hhmm(NB_STR("09:00"), &m), NB_OK);
    assert_int_equal(m, 540);
    assert_int_equal(nb_civil_parse_hhmm(NB_STR("00:00"), &m), NB_OK);
    assert_int_equal(m, 0);
    assert_int_equal(nb_civil_parse_hhmm(NB_STR("23:59"), &m), NB_OK);
    assert_int_equal(m, 1439);
    assert_int_equal(nb_civil_parse_hhmm(NB_STR("24:00"), &m), NB_OK);
    assert_int_equal(m, 1440);
    const char *bad_times[] = {"24:01", "25:00", "12:60",  "9:00",  "09:0", "09-00",
                               "0900",  "",      "09:00 ", "-1:00", "ab:cd"};
    for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++)
        assert_int_equal(nb_civil_parse_hhmm(nb_str_c(bad_times[i]), &m), NB_ERR_INPUT);
    assert_int_equal(m, 1440); /* untouched on error */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_round_trip_1900_2100),
        cmocka_unit_test(test_valid_and_checked),
        cmocka_unit_test(test_iso_week_boundaries),
        cmocka_unit_test(test_iso_weeks_and_monday),
        cmocka_unit_test(test_easter),
        cmocka_unit_test(test_dst_switches),
        cmocka_unit_test(test_to_utc),
        cmocka_unit_test(test_span),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
