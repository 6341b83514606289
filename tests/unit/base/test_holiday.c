/* Unit tests for base/holiday: Land codes both ways, the count of holidays of every Land in
 * every year 2015-2030 against an independent description per Land, hand-checked tables for
 * 2021 and 2025, the dated changes of the law (one year before and after each), and the
 * movable days against published dates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/civil.h"
#include "base/holiday.h"

static bool has(enum nb_land land, int y, int m, int d, const char *name_de)
{
    const char *name = NULL;
    if (!nb_holiday_on(land, nb_civil_days(y, m, d), &name))
        return false;
    assert_non_null(name);
    if (name_de)
        assert_string_equal(name, name_de);
    return true;
}

static void test_land_codes(void **state)
{
    (void)state;
    const char *codes[] = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV",
                           "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"};
    for (int i = 0; i < NB_LAND_COUNT; i++) {
        enum nb_land land = NB_LAND_BW;
        assert_int_equal(nb_holiday_land_parse(nb_str_c(codes[i]), &land), NB_OK);
        assert_int_equal(land, i + 1);
        assert_true(nb_holiday_land_valid(land));
        assert_string_equal(nb_holiday_land_code(land), codes[i]);
        assert_true(strlen(nb_holiday_land_name(land)) > 5);
    }
    enum nb_land land = NB_LAND_BW;
    assert_int_equal(nb_holiday_land_parse(NB_STR("by"), &land), NB_OK);
    assert_int_equal(land, NB_LAND_BY);
    assert_int_equal(nb_holiday_land_parse(NB_STR("Mv"), &land), NB_OK);
    assert_int_equal(land, NB_LAND_MV);
    const char *bad[] = {"", "B", "BYY", "XX", "B ", " B", "DE", "\xc3\x9c"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(nb_holiday_land_parse(nb_str_c(bad[i]), &land), NB_ERR_INPUT);
    assert_int_equal(land, NB_LAND_MV); /* untouched on error */
    assert_string_equal(nb_holiday_land_name(NB_LAND_TH), "Thüringen");
    assert_string_equal(nb_holiday_land_name(NB_LAND_BW), "Baden-Württemberg");
    assert_string_equal(nb_holiday_land_code((enum nb_land)0), "");
    assert_string_equal(nb_holiday_land_code((enum nb_land)17), "");
    assert_string_equal(nb_holiday_land_name((enum nb_land)0), "");
    assert_false(nb_holiday_land_valid(0));
    assert_false(nb_holiday_land_valid(17));
}

/* What each Land has on top of the nine nationwide days, written per Land (the module
 * writes it per holiday). */
static size_t expected_count(enum nb_land land, int y)
{
    size_t n = 9;
    switch (land) {
    case NB_LAND_BW: /* Drei Könige, Fronleichnam, Allerheiligen */
        n += 3;
        break;
    case NB_LAND_BY: /* Drei Könige, Fronleichnam, Mariä Himmelfahrt, Allerheiligen */
        n += 4;
        break;
    case NB_LAND_BE: /* Frauentag since 2019; 8 May 2020 and 2025 */
        n += (y >= 2019) + (y == 2020 || y == 2025);
        break;
    case NB_LAND_BB: /* Ostersonntag, Pfingstsonntag, Reformationstag */
        n += 3;
        break;
    case NB_LAND_HB:
    case NB_LAND_HH:
    case NB_LAND_NI:
    case NB_LAND_SH: /* Reformationstag since 2018, and in 2017 */
        n += (y >= 2017);
        break;
    case NB_LAND_HE: /* Fronleichnam */
        n += 1;
        break;
    case NB_LAND_MV: /* Reformationstag; Frauentag since 2023 */
        n += 1 + (y >= 2023);
        break;
    case NB_LAND_NW:
    case NB_LAND_RP: /* Fronleichnam, Allerheiligen */
        n += 2;
        break;
    case NB_LAND_SL: /* Fronleichnam, Mariä Himmelfahrt, Allerheiligen */
        n += 3;
        break;
    case NB_LAND_SN: /* Reformationstag, Buß- und Bettag */
        n += 2;
        break;
    case NB_LAND_ST: /* Drei Könige, Reformationstag */
        n += 2;
        break;
    case NB_LAND_TH: /* Reformationstag; Weltkindertag since 2019 */
        n += 1 + (y >= 2019);
        break;
    }
    /* 2017: Reformationstag in the Länder that do not have it anyway. */
    if (y == 2017 &&
        (land == NB_LAND_BW || land == NB_LAND_BY || land == NB_LAND_BE || land == NB_LAND_HE ||
         land == NB_LAND_NW || land == NB_LAND_RP || land == NB_LAND_SL))
        n++;
    return n;
}

static void test_every_land_every_year(void **state)
{
    (void)state;
    for (int l = NB_LAND_BW; l <= NB_LAND_TH; l++) {
        for (int y = 2015; y <= 2030; y++) {
            struct nb_holiday list[NB_HOLIDAY_MAX];
            size_t n = nb_holiday_list((enum nb_land)l, y, list);
            assert_int_equal(n, expected_count((enum nb_land)l, y));
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(nb_civil_ymd(list[i].date).year, y);
                assert_non_null(list[i].name_de);
                assert_non_null(list[i].name_en);
                assert_true(strlen(list[i].name_de) > 0 && strlen(list[i].name_en) > 0);
                /* Sorted, and no two on one day in these years. */
                if (i > 0)
                    assert_true(list[i - 1].date < list[i].date);
                struct nb_holiday found;
                assert_true(nb_holiday_find((enum nb_land)l, list[i].date, &found));
                assert_string_equal(found.name_de, list[i].name_de);
            }
            /* Every day of the year: a holiday exactly when listed. */
            size_t seen = 0;
            for (int32_t d = nb_civil_days(y, 1, 1); d <= nb_civil_days(y, 12, 31); d++) {
                if (nb_holiday_on((enum nb_land)l, d, NULL))
                    seen++;
            }
            assert_int_equal(seen, n);
            /* The nine nationwide days. */
            int32_t e = nb_civil_easter(y);
            assert_true(has((enum nb_land)l, y, 1, 1, "Neujahr"));
            assert_true(nb_holiday_on((enum nb_land)l, e - 2, NULL));
            assert_true(nb_holiday_on((enum nb_land)l, e + 1, NULL));
            assert_true(has((enum nb_land)l, y, 5, 1, "Tag der Arbeit"));
            assert_true(nb_holiday_on((enum nb_land)l, e + 39, NULL));
            assert_true(nb_holiday_on((enum nb_land)l, e + 50, NULL));
            assert_true(has((enum nb_land)l, y, 10, 3, "Tag der Deutschen Einheit"));
            assert_true(has((enum nb_land)l, y, 12, 25, "1. Weihnachtstag"));
            assert_true(has((enum nb_land)l, y, 12, 26, "2. Weihnachtstag"));
            assert_false(has((enum nb_land)l, y, 12, 24, NULL));       /* Heiligabend is not */
            assert_false(has((enum nb_land)l, y, 12, 31, NULL));       /* nor Silvester */
            assert_false(nb_holiday_on((enum nb_land)l, e - 3, NULL)); /* Gründonnerstag */
        }
    }
}

/* Counted by hand from the rules (base 9 + the Land's own days). */
static void test_count_tables(void **state)
{
    (void)state;
    /*                         BW  BY  BE  BB  HB  HH  HE  MV  NI  NW  RP  SL  SN  ST  SH  TH */
    const size_t in2021[16] = {12, 13, 10, 12, 10, 10, 10, 10, 10, 11, 11, 12, 11, 11, 10, 11};
    const size_t in2025[16] = {12, 13, 11, 12, 10, 10, 10, 11, 10, 11, 11, 12, 11, 11, 10, 11};
    const size_t in2017[16] = {13, 14, 10, 12, 10, 10, 11, 10, 10, 12, 12, 13, 11, 11, 10, 10};
    for (int l = 0; l < 16; l++) {
        struct nb_holiday list[NB_HOLIDAY_MAX];
        assert_int_equal(nb_holiday_list((enum nb_land)(l + 1), 2021, list), in2021[l]);
        assert_int_equal(nb_holiday_list((enum nb_land)(l + 1), 2025, list), in2025[l]);
        assert_int_equal(nb_holiday_list((enum nb_land)(l + 1), 2017, list), in2017[l]);
    }
}

static void test_dated_changes(void **state)
{
    (void)state;
    /* Reformationstag: everywhere in 2017. */
    for (int l = NB_LAND_BW; l <= NB_LAND_TH; l++)
        assert_true(has((enum nb_land)l, 2017, 10, 31, "Reformationstag"));
    /* HB HH NI SH: not in 2016, from 2018 on. */
    enum nb_land north[] = {NB_LAND_HB, NB_LAND_HH, NB_LAND_NI, NB_LAND_SH};
    for (int i = 0; i < 4; i++) {
        assert_false(has(north[i], 2016, 10, 31, NULL));
        assert_true(has(north[i], 2018, 10, 31, "Reformationstag"));
        assert_true(has(north[i], 2030, 10, 31, "Reformationstag"));
    }
    /* The eastern Länder throughout, the others only in 2017. */
    enum nb_land east[] = {NB_LAND_BB, NB_LAND_MV, NB_LAND_SN, NB_LAND_ST, NB_LAND_TH};
    for (int i = 0; i < 5; i++) {
        assert_true(has(east[i], 2015, 10, 31, "Reformationstag"));
        assert_true(has(east[i], 2021, 10, 31, "Reformationstag"));
    }
    enum nb_land rest[] = {NB_LAND_BW, NB_LAND_BY, NB_LAND_BE, NB_LAND_HE,
                           NB_LAND_NW, NB_LAND_RP, NB_LAND_SL};
    for (int i = 0; i < 7; i++) {
        assert_false(has(rest[i], 2016, 10, 31, NULL));
        assert_false(has(rest[i], 2018, 10, 31, NULL));
    }
    /* Frauentag: BE from 2019, MV from 2023, nowhere else. */
    assert_false(has(NB_LAND_BE, 2018, 3, 8, NULL));
    assert_true(has(NB_LAND_BE, 2019, 3, 8, "Internationaler Frauentag"));
    assert_false(has(NB_LAND_MV, 2022, 3, 8, NULL));
    assert_true(has(NB_LAND_MV, 2023, 3, 8, "Internationaler Frauentag"));
    assert_false(has(NB_LAND_BB, 2023, 3, 8, NULL));
    assert_false(has(NB_LAND_TH, 2023, 3, 8, NULL));
    /* Weltkindertag: TH from 2019. */
    assert_false(has(NB_LAND_TH, 2018, 9, 20, NULL));
    assert_true(has(NB_LAND_TH, 2019, 9, 20, "Weltkindertag"));
    assert_false(has(NB_LAND_SN, 2019, 9, 20, NULL));
    /* Tag der Befreiung: Berlin in 2020 and 2025 only. */
    assert_false(has(NB_LAND_BE, 2019, 5, 8, NULL));
    assert_true(has(NB_LAND_BE, 2020, 5, 8, "Tag der Befreiung"));
    assert_false(has(NB_LAND_BE, 2021, 5, 8, NULL));
    assert_true(has(NB_LAND_BE, 2025, 5, 8, "Tag der Befreiung"));
    assert_false(has(NB_LAND_BE, 2026, 5, 8, NULL));
    assert_false(has(NB_LAND_BE, 2030, 5, 8, NULL));
    assert_false(has(NB_LAND_BB, 2025, 5, 8, NULL));
    /* Not included: Berlin 17 June 2028 (planned, not enacted). */
    assert_false(has(NB_LAND_BE, 2028, 6, 17, NULL));
}

static void test_movable_and_regional(void **state)
{
    (void)state;
    /* 2021 (Easter 4 April). */
    assert_true(has(NB_LAND_MV, 2021, 4, 2, "Karfreitag"));
    assert_true(has(NB_LAND_MV, 2021, 4, 5, "Ostermontag"));
    assert_true(has(NB_LAND_MV, 2021, 5, 13, "Christi Himmelfahrt"));
    assert_true(has(NB_LAND_MV, 2021, 5, 24, "Pfingstmontag"));
    assert_false(has(NB_LAND_MV, 2021, 4, 4, NULL)); /* Ostersonntag: BB only */
    assert_true(has(NB_LAND_BB, 2021, 4, 4, "Ostersonntag"));
    assert_true(has(NB_LAND_BB, 2021, 5, 23, "Pfingstsonntag"));
    assert_false(has(NB_LAND_HE, 2021, 5, 23, NULL));
    assert_true(has(NB_LAND_BW, 2021, 6, 3, "Fronleichnam"));
    enum nb_land fron[] = {NB_LAND_BW, NB_LAND_BY, NB_LAND_HE, NB_LAND_NW, NB_LAND_RP, NB_LAND_SL};
    for (int i = 0; i < 6; i++)
        assert_true(has(fron[i], 2025, 6, 19, "Fronleichnam"));
    assert_false(has(NB_LAND_SN, 2021, 6, 3, NULL)); /* only parts of SN: not listed */
    assert_false(has(NB_LAND_TH, 2021, 6, 3, NULL)); /* only parts of TH: not listed */
    /* Drei Könige. */
    assert_true(has(NB_LAND_ST, 2021, 1, 6, "Heilige Drei Könige"));
    assert_true(has(NB_LAND_BY, 2021, 1, 6, "Heilige Drei Könige"));
    assert_false(has(NB_LAND_SN, 2021, 1, 6, NULL));
    /* Mariä Himmelfahrt: SL, and BY by choice (see holiday.h); not Augsburg's 8 August. */
    assert_true(has(NB_LAND_SL, 2021, 8, 15, "Mariä Himmelfahrt"));
    assert_true(has(NB_LAND_BY, 2021, 8, 15, "Mariä Himmelfahrt"));
    assert_false(has(NB_LAND_BW, 2021, 8, 15, NULL));
    assert_false(has(NB_LAND_BY, 2021, 8, 8, NULL));
    /* Allerheiligen. */
    assert_true(has(NB_LAND_NW, 2021, 11, 1, "Allerheiligen"));
    assert_false(has(NB_LAND_MV, 2021, 11, 1, NULL));
    /* Buß- und Bettag in SN: the Wednesday before 23 November. */
    assert_true(has(NB_LAND_SN, 2021, 11, 17, "Buß- und Bettag"));
    assert_false(has(NB_LAND_BY, 2021, 11, 17, NULL));
    const int buss[16] = {18, 16, 22, 21, 20, 18, 17, 16, 22, 20, 19, 18, 17, 22, 21, 20};
    for (int y = 2015; y <= 2030; y++)
        assert_true(has(NB_LAND_SN, y, 11, buss[y - 2015], "Buß- und Bettag"));
    for (int y = 1995; y <= 2100; y++) {
        struct nb_holiday list[NB_HOLIDAY_MAX];
        size_t n = nb_holiday_list(NB_LAND_SN, y, list);
        size_t found = 0;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(list[i].name_de, "Buß- und Bettag") != 0)
                continue;
            found++;
            struct nb_civil_ymd d = nb_civil_ymd(list[i].date);
            assert_int_equal(nb_civil_weekday(list[i].date), 3);
            assert_int_equal(d.month, 11);
            assert_true(d.day >= 16 && d.day <= 22);
        }
        assert_int_equal(found, 1);
    }
}

static void test_full_list_by_2021(void **state)
{
    (void)state;
    struct nb_holiday list[NB_HOLIDAY_MAX];
    size_t n = nb_holiday_list(NB_LAND_BY, 2021, list);
    struct {
        int m, d;
        const char *de, *en;
    } want[] = {
        {1, 1, "Neujahr", "New Year's Day"},
        {1, 6, "Heilige Drei Könige", "Epiphany"},
        {4, 2, "Karfreitag", "Good Friday"},
        {4, 5, "Ostermontag", "Easter Monday"},
        {5, 1, "Tag der Arbeit", "Labour Day"},
        {5, 13, "Christi Himmelfahrt", "Ascension Day"},
        {5, 24, "Pfingstmontag", "Whit Monday"},
        {6, 3, "Fronleichnam", "Corpus Christi"},
        {8, 15, "Mariä Himmelfahrt", "Assumption Day"},
        {10, 3, "Tag der Deutschen Einheit", "German Unity Day"},
        {11, 1, "Allerheiligen", "All Saints' Day"},
        {12, 25, "1. Weihnachtstag", "Christmas Day"},
        {12, 26, "2. Weihnachtstag", "Second Day of Christmas"},
    };
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(list[i].date, nb_civil_days(2021, want[i].m, want[i].d));
        assert_string_equal(list[i].name_de, want[i].de);
        assert_string_equal(list[i].name_en, want[i].en);
    }
}

static void test_invalid_land_and_years(void **state)
{
    (void)state;
    struct nb_holiday list[NB_HOLIDAY_MAX];
    /* An invalid Land gets the days that held everywhere. */
    assert_int_equal(nb_holiday_list((enum nb_land)0, 2021, list), 9);
    assert_int_equal(nb_holiday_list((enum nb_land)99, 2017, list), 10);
    assert_false(nb_holiday_on((enum nb_land)0, nb_civil_days(2021, 11, 1), NULL));
    /* Years at and past the ends do not fail. */
    assert_true(nb_holiday_list(NB_LAND_BY, 1, list) > 0);
    assert_true(nb_holiday_list(NB_LAND_BY, 9999, list) > 0);
    assert_int_equal(nb_holiday_list(NB_LAND_BY, 100000, list),
                     nb_holiday_list(NB_LAND_BY, 9999, list));
    assert_false(nb_holiday_on(NB_LAND_BY, INT32_MAX, NULL));
    assert_false(nb_holiday_on(NB_LAND_BY, INT32_MIN, NULL));
    const char *name = "unchanged";
    assert_false(nb_holiday_on(NB_LAND_BY, nb_civil_days(2021, 10, 15), &name));
    assert_string_equal(name, "unchanged");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_land_codes),
        cmocka_unit_test(test_every_land_every_year),
        cmocka_unit_test(test_count_tables),
        cmocka_unit_test(test_dated_changes),
        cmocka_unit_test(test_movable_and_regional),
        cmocka_unit_test(test_full_list_by_2021),
        cmocka_unit_test(test_invalid_land_and_years),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
