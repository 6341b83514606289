/* holiday.c: the holiday table of the Länder.
 *
 * One row per rule: when the day falls (fixed date, days after Easter Sunday, or the
 * Buß- und Bettag rule), in which Länder, and in which years. A holiday whose Länder or
 * years changed has one row per period; rows never overlap for one Land, so a list holds
 * each holiday once. Sources are the Feiertagsgesetze of the Länder; each row says what it
 * rests on where that is not obvious. Adding a new holiday means adding a row and a test. */
#include "base/holiday.h"

#include "base/civil.h"

enum when {
    FIXED,  /* a: month, b: day */
    EASTER, /* a: days after Easter Sunday (negative: before) */
    BUSS,   /* the Wednesday before 23 November */
};

struct rule {
    enum when when;
    int a, b;
    unsigned lands; /* bit (1 << enum nb_land); bit 0 stands for "no valid Land" */
    int from, to;   /* years, inclusive; 0 = open */
    const char *de, *en;
};

#define L(x) (1u << NB_LAND_##x)
/* Every Land, and bit 0 so that an invalid Land gets the nationwide days. */
#define ALL 0x1ffffu

static const struct rule rules[] = {
    {FIXED, 1, 1, ALL, 0, 0, "Neujahr", "New Year's Day"},
    /* Baden-Württemberg, Bayern and Sachsen-Anhalt, throughout the supported years. */
    {FIXED, 1, 6, L(BW) | L(BY) | L(ST), 0, 0, "Heilige Drei Könige", "Epiphany"},
    /* Berlin: FTG amended January 2019, first held 8 March 2019. */
    {FIXED, 3, 8, L(BE), 2019, 0, "Internationaler Frauentag", "International Women's Day"},
    /* Mecklenburg-Vorpommern: FTG M-V amended in 2022, first held 8 March 2023. */
    {FIXED, 3, 8, L(MV), 2023, 0, "Internationaler Frauentag", "International Women's Day"},
    {EASTER, -2, 0, ALL, 0, 0, "Karfreitag", "Good Friday"},
    /* Brandenburg names Easter and Whit Sunday in its Feiertagsgesetz; no other Land does
     * (Hessen makes every Sunday a holiday, see holiday.h). */
    {EASTER, 0, 0, L(BB), 0, 0, "Ostersonntag", "Easter Sunday"},
    {EASTER, 1, 0, ALL, 0, 0, "Ostermontag", "Easter Monday"},
    {FIXED, 5, 1, ALL, 0, 0, "Tag der Arbeit", "Labour Day"},
    /* Berlin, one-off: 75th (2020) and 80th (2025) anniversary of the end of the Second
     * World War in Europe, each enacted by its own amendment of the FTG. */
    {FIXED, 5, 8, L(BE), 2020, 2020, "Tag der Befreiung", "Liberation Day"},
    {FIXED, 5, 8, L(BE), 2025, 2025, "Tag der Befreiung", "Liberation Day"},
    {EASTER, 39, 0, ALL, 0, 0, "Christi Himmelfahrt", "Ascension Day"},
    {EASTER, 49, 0, L(BB), 0, 0, "Pfingstsonntag", "Whit Sunday"},
    {EASTER, 50, 0, ALL, 0, 0, "Pfingstmontag", "Whit Monday"},
    /* Land-wide only here; in parts of Sachsen and Thüringen by local rule (not listed). */
    {EASTER, 60, 0, L(BW) | L(BY) | L(HE) | L(NW) | L(RP) | L(SL), 0, 0, "Fronleichnam",
     "Corpus Christi"},
    /* Saarland land-wide; Bayern see holiday.h (listed for the whole Land on purpose). */
    {FIXED, 8, 15, L(BY) | L(SL), 0, 0, "Mariä Himmelfahrt", "Assumption Day"},
    /* Thüringen: ThürFtG amended in 2019, first held 20 September 2019. */
    {FIXED, 9, 20, L(TH), 2019, 0, "Weltkindertag", "World Children's Day"},
    {FIXED, 10, 3, ALL, 0, 0, "Tag der Deutschen Einheit", "German Unity Day"},
    /* Reformationstag: the five eastern Länder since 1990/91; Bremen, Hamburg,
     * Niedersachsen and Schleswig-Holstein permanently since 2018 (laws of 2018), and like
     * every other Land in 2017 (500 years of the Reformation, one-off in all Länder). */
    {FIXED, 10, 31, L(BB) | L(MV) | L(SN) | L(ST) | L(TH), 0, 0, "Reformationstag",
     "Reformation Day"},
    {FIXED, 10, 31, L(HB) | L(HH) | L(NI) | L(SH), 2017, 0, "Reformationstag", "Reformation Day"},
    {FIXED, 10, 31, L(BW) | L(BY) | L(BE) | L(HE) | L(NW) | L(RP) | L(SL) | 1u, 2017, 2017,
     "Reformationstag", "Reformation Day"},
    {FIXED, 11, 1, L(BW) | L(BY) | L(NW) | L(RP) | L(SL), 0, 0, "Allerheiligen", "All Saints' Day"},
    /* Sachsen only since 1995 (abolished elsewhere to fund the long-term care insurance). */
    {BUSS, 0, 0, L(SN), 0, 0, "Buß- und Bettag", "Day of Repentance and Prayer"},
    {FIXED, 12, 25, ALL, 0, 0, "1. Weihnachtstag", "Christmas Day"},
    {FIXED, 12, 26, ALL, 0, 0, "2. Weihnachtstag", "Second Day of Christmas"},
};

static const char *const codes[NB_LAND_COUNT + 1] = {
    "",   "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV",
    "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH",
};

static const char *const names[NB_LAND_COUNT + 1] = {
    "",
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
};

bool nb_holiday_land_valid(int land)
{
    return land >= NB_LAND_BW && land <= NB_LAND_TH;
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

enum nb_err nb_holiday_land_parse(struct nb_str code, enum nb_land *land)
{
    if (code.len != 2)
        return NB_ERR_INPUT;
    for (int i = NB_LAND_BW; i <= NB_LAND_TH; i++) {
        if (upper(code.ptr[0]) == codes[i][0] && upper(code.ptr[1]) == codes[i][1]) {
            *land = (enum nb_land)i;
            return NB_OK;
        }
    }
    return NB_ERR_INPUT;
}

const char *nb_holiday_land_code(enum nb_land land)
{
    return nb_holiday_land_valid((int)land) ? codes[land] : "";
}

const char *nb_holiday_land_name(enum nb_land land)
{
    return nb_holiday_land_valid((int)land) ? names[land] : "";
}

/* The Wednesday before 23 November (between 16 and 22 November): the Wednesday before the
 * last Sunday of the church year. */
static int32_t buss_und_bettag(int year)
{
    int32_t nov23 = nb_civil_days(year, 11, 23);
    int back = (nb_civil_weekday(nov23) - 3 + 7) % 7;
    return nov23 - (back == 0 ? 7 : back);
}

size_t nb_holiday_list(enum nb_land land, int year, struct nb_holiday out[static NB_HOLIDAY_MAX])
{
    if (year < NB_CIVIL_YEAR_MIN)
        year = NB_CIVIL_YEAR_MIN;
    if (year > NB_CIVIL_YEAR_MAX)
        year = NB_CIVIL_YEAR_MAX;
    unsigned bit = nb_holiday_land_valid((int)land) ? 1u << land : 1u;
    int32_t easter = nb_civil_easter(year);
    size_t n = 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0] && n < NB_HOLIDAY_MAX; i++) {
        const struct rule *r = &rules[i];
        if (!(r->lands & bit) || (r->from && year < r->from) || (r->to && year > r->to))
            continue;
        int32_t date;
        switch (r->when) {
        case FIXED:
            date = nb_civil_days(year, r->a, r->b);
            break;
        case EASTER:
            date = easter + r->a;
            break;
        case BUSS:
        default:
            date = buss_und_bettag(year);
            break;
        }
        /* Insertion keeps the list sorted and stable; it never holds more than 16. */
        size_t j = n++;
        while (j > 0 && out[j - 1].date > date) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = (struct nb_holiday){date, r->de, r->en};
    }
    return n;
}

bool nb_holiday_find(enum nb_land land, int32_t date, struct nb_holiday *out)
{
    struct nb_holiday list[NB_HOLIDAY_MAX];
    size_t n = nb_holiday_list(land, nb_civil_ymd(date).year, list);
    for (size_t i = 0; i < n; i++) {
        if (list[i].date == date) {
            if (out)
                *out = list[i];
            return true;
        }
    }
    return false;
}

bool nb_holiday_on(enum nb_land land, int32_t date, const char **name_de)
{
    struct nb_holiday h;
    if (!nb_holiday_find(land, date, &h))
        return false;
    if (name_de)
        *name_de = h.name_de;
    return true;
}
