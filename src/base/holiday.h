/* holiday.h: the 16 Länder and their public holidays, computed.
 *
 * Only holidays that hold in a whole Land are listed (gesetzliche Feiertage by the Land's
 * Feiertagsgesetz, plus the Tag der Deutschen Einheit by the Einigungsvertrag). Holidays of
 * only some municipalities are NOT included:
 *  - Augsburger Friedensfest (8 August, city of Augsburg only);
 *  - Fronleichnam in the Catholic municipalities of the Sorbian area of Sachsen and in parts
 *    of Thüringen (Eichsfeld and some others).
 * One exception to that rule, chosen deliberately: Mariä Himmelfahrt (15 August) in Bayern
 * is a holiday only in municipalities with a predominantly Catholic population, but these
 * are most of them (about 1,700 of 2,056) and hold most inhabitants. It IS listed for all of
 * Bayern: a municipality without it opens that day with a dated exception (exceptions
 * override holidays in domain/hours.h), whereas a missing holiday would send citizens to
 * a closed door.
 *
 * Sundays are not listed as such (in Hessen all Sundays are statutory holidays by § 1
 * HFeiertagsG, so Ostersonntag and Pfingstsonntag are not named there); Ostersonntag and
 * Pfingstsonntag are listed for Brandenburg, whose law names them.
 *
 * The rules are those in force from 1995 (Buß- und Bettag abolished outside Sachsen) as
 * known in November 2026, each with the years it applies (see the table in holiday.c).
 * Earlier years are computed with the same rules and are not historically accurate. Not
 * included because not enacted as law when this was written: the planned one-off Berlin
 * holiday of 17 June 2028 (a Saturday) and a recurring 8 May in Berlin every five years.
 *
 * Names are static UTF-8 strings. All functions are pure and thread-safe. */
#ifndef NB_BASE_HOLIDAY_H
#define NB_BASE_HOLIDAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"

/* The Länder in the order of their German names. 0 is no Land, so that a zeroed struct is
 * caught as invalid instead of silently meaning Baden-Württemberg. */
enum nb_land {
    NB_LAND_BW = 1, /* Baden-Württemberg */
    NB_LAND_BY,     /* Bayern */
    NB_LAND_BE,     /* Berlin */
    NB_LAND_BB,     /* Brandenburg */
    NB_LAND_HB,     /* Bremen */
    NB_LAND_HH,     /* Hamburg */
    NB_LAND_HE,     /* Hessen */
    NB_LAND_MV,     /* Mecklenburg-Vorpommern */
    NB_LAND_NI,     /* Niedersachsen */
    NB_LAND_NW,     /* Nordrhein-Westfalen */
    NB_LAND_RP,     /* Rheinland-Pfalz */
    NB_LAND_SL,     /* Saarland */
    NB_LAND_SN,     /* Sachsen */
    NB_LAND_ST,     /* Sachsen-Anhalt */
    NB_LAND_SH,     /* Schleswig-Holstein */
    NB_LAND_TH,     /* Thüringen */
};
#define NB_LAND_COUNT 16

struct nb_holiday {
    int32_t date;        /* days since 1970-01-01 (base/civil.h) */
    const char *name_de; /* "Tag der Deutschen Einheit" */
    const char *name_en; /* "German Unity Day" */
};

/* True for NB_LAND_BW..NB_LAND_TH. */
bool nb_holiday_land_valid(int land);
/* Parses a two-letter code ("BY"; ASCII case ignored). NB_ERR_INPUT for anything else. */
NB_MUST_USE enum nb_err nb_holiday_land_parse(struct nb_str code, enum nb_land *land);
/* "BY"; "" for an invalid value. Never NULL. */
const char *nb_holiday_land_code(enum nb_land land);
/* "Bayern"; "" for an invalid value. Never NULL. */
const char *nb_holiday_land_name(enum nb_land land);

/* Writes the holidays of land in year (1..9999) to out, sorted by date (two on one day
 * keep the order of the table), and returns their number. An invalid land gets the days
 * that held in every Land. */
size_t nb_holiday_list(enum nb_land land, int year, struct nb_holiday out[static NB_HOLIDAY_MAX]);
/* True when date is a holiday in land; *out (may be NULL) gets the first one that day. */
bool nb_holiday_find(enum nb_land land, int32_t date, struct nb_holiday *out);
/* True when date is a holiday in land; *name_de (may be NULL) gets its German name. */
bool nb_holiday_on(enum nb_land land, int32_t date, const char **name_de);

#endif
