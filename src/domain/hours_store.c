/* hours_store.c: validation of weekly slots and exceptions in front of store_hours.c.
 *
 * The checks mirror what domain/hours.h will read back (ranges, per-day count), so that
 * anything an editor could save is something the reachability computation accepts.
 * Overlaps are refused rather than merged: two overlapping entries are almost always a typo,
 * and the editor should see it. The lists are short (at most NB_HOURS_WEEK_SLOTS_MAX), so
 * the pairwise comparison costs nothing. */
#include "domain/hours_store.h"

#include "domain/check.h"

static bool kind_valid(struct nb_str kind)
{
    return nb_str_eq_c(kind, "phone") || nb_str_eq_c(kind, "counter");
}

static bool range_valid(int start, int end)
{
    return start >= 0 && start < end && end <= 1440;
}

/* Checks slots[0..n) (weekday compared only when weekly): kinds, ranges, and per kind and
 * day no overlap and at most NB_HOURS_DAY_RANGES_MAX ranges. */
static enum nb_err check_slots(const struct nb_store_slot *slots, size_t n, bool weekly)
{
    if (n > 0 && !slots)
        return NB_ERR_INPUT;
    for (size_t i = 0; i < n; i++) {
        const struct nb_store_slot *a = &slots[i];
        if (!kind_valid(a->kind) || !range_valid(a->start_min, a->end_min))
            return NB_ERR_INPUT;
        if (weekly && (a->weekday < 1 || a->weekday > 7))
            return NB_ERR_INPUT;
    }
    for (size_t i = 0; i < n; i++) {
        const struct nb_store_slot *a = &slots[i];
        size_t same_day = 1;
        for (size_t j = 0; j < n; j++) {
            const struct nb_store_slot *b = &slots[j];
            if (j == i || !nb_str_eq(a->kind, b->kind) || (weekly && a->weekday != b->weekday))
                continue;
            if (a->start_min < b->end_min && b->start_min < a->end_min)
                return NB_ERR_INPUT;
            same_day++;
        }
        if (same_day > NB_HOURS_DAY_RANGES_MAX)
            return NB_ERR_LIMIT;
    }
    return NB_OK;
}

enum nb_err nb_hours_store_set_weekly(struct nb_store *s, int64_t office_id,
                                      struct nb_str department, const struct nb_store_slot *slots,
                                      size_t n, int64_t at)
{
    if (nb_check_slug(department) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = n > NB_HOURS_WEEK_SLOTS_MAX ? NB_ERR_LIMIT : check_slots(slots, n, true);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_hours_set_weekly(tx, office_id, department, slots, n, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_hours_store_set_exception(struct nb_store *s, int64_t office_id,
                                         struct nb_str department,
                                         const struct nb_store_hours_exception *e, int64_t at)
{
    if (nb_check_slug(department) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_date(e->date);
    /* Two kinds, each with at most a day's ranges. */
    if (!err && e->nslots > 2 * NB_HOURS_DAY_RANGES_MAX)
        err = NB_ERR_LIMIT;
    if (!err && (e->closed ? e->nslots != 0 : e->nslots == 0))
        err = NB_ERR_INPUT;
    if (!err)
        err = check_slots(e->slots, e->nslots, false);
    if (!err)
        err = nb_check_lang_texts(e->notes, e->nnotes, NB_NOTE_MAX, false, false);
    if (!err)
        err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_hours_set_exception(tx, office_id, department, e, at);
    return nb_store_end(&tx, err);
}

enum nb_err nb_hours_store_remove_exception(struct nb_store *s, int64_t office_id,
                                            struct nb_str department, struct nb_str date,
                                            int64_t at)
{
    if (nb_check_slug(department) != NB_OK || nb_check_date(date) != NB_OK)
        return NB_ERR_NOTFOUND;
    enum nb_err err = nb_check_time(at);
    if (err)
        return err;
    struct nb_store_tx *tx;
    err = nb_store_begin(s, NB_STORE_WRITE, &tx);
    if (!err)
        err = nb_store_hours_remove_exception(tx, office_id, department, date, at);
    return nb_store_end(&tx, err);
}
