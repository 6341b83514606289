/* hours.c: opening hours, reachability and the week view.
 *
 * Everything is derived per local date ("plan" of a day: exception, else holiday, else the
 * weekly slots), then turned into UTC intervals with nb_civil_berlin_span, so that the
 * daylight-saving rules live in one place (base/civil.c). Reachability walks the days from
 * today, merging intervals that overlap or touch (also across midnight) into openings; the
 * first opening that has not ended yet is the answer. Invariant: a plan holds at most
 * NB_HOURS_DAY_RANGES_MAX ranges, which nb_hours_check guarantees before any walk. */
#include "domain/hours.h"

/* The holidays of one year, computed once while walking the days of that year. */
struct year_cache {
    int year; /* 0: empty */
    size_t n;
    struct nb_holiday list[NB_HOLIDAY_MAX];
};

struct plan {
    const struct nb_hours_exception *exc;
    const struct nb_holiday *holiday; /* points into the year cache */
    size_t n;
    struct nb_hours_range r[NB_HOURS_DAY_RANGES_MAX];
};

static bool range_ok(int start, int end)
{
    return start >= 0 && start < end && end <= 1440;
}

enum nb_err nb_hours_check(const struct nb_hours *h)
{
    if (!h || !nb_holiday_land_valid((int)h->land))
        return NB_ERR_INPUT;
    if ((h->nslots && !h->slots) || (h->nexceptions && !h->exceptions))
        return NB_ERR_INPUT;
    size_t per_day[8] = {0};
    bool too_many = false;
    for (size_t i = 0; i < h->nslots; i++) {
        const struct nb_hours_slot *s = &h->slots[i];
        if (s->weekday < 1 || s->weekday > 7 || !range_ok(s->start, s->end))
            return NB_ERR_INPUT;
        if (++per_day[s->weekday] > NB_HOURS_DAY_RANGES_MAX)
            too_many = true;
    }
    for (size_t i = 0; i < h->nexceptions; i++) {
        const struct nb_hours_exception *e = &h->exceptions[i];
        if (e->date < NB_CIVIL_DATE_MIN || e->date > NB_CIVIL_DATE_MAX)
            return NB_ERR_INPUT;
        if ((e->nranges && !e->ranges) || (e->note.len && !e->note.ptr))
            return NB_ERR_INPUT;
        if (e->nranges > NB_HOURS_DAY_RANGES_MAX) {
            too_many = true;
            continue;
        }
        for (size_t j = 0; j < e->nranges; j++) {
            if (!range_ok(e->ranges[j].start, e->ranges[j].end))
                return NB_ERR_INPUT;
        }
    }
    return too_many ? NB_ERR_LIMIT : NB_OK;
}

static const struct nb_holiday *holiday_of(const struct nb_hours *h, struct year_cache *yc,
                                           int32_t date)
{
    int year = nb_civil_ymd(date).year;
    if (yc->year != year) {
        yc->year = year;
        yc->n = nb_holiday_list(h->land, year, yc->list);
    }
    for (size_t i = 0; i < yc->n; i++) {
        if (yc->list[i].date == date)
            return &yc->list[i];
    }
    return NULL;
}

static void add_range(struct plan *p, int start, int end)
{
    /* Insertion by start; nb_hours_check bounds the count. */
    size_t j = p->n++;
    while (j > 0 && p->r[j - 1].start > start) {
        p->r[j] = p->r[j - 1];
        j--;
    }
    p->r[j] = (struct nb_hours_range){start, end};
}

static void merge_ranges(struct plan *p)
{
    size_t out = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (out > 0 && p->r[i].start <= p->r[out - 1].end) {
            if (p->r[i].end > p->r[out - 1].end)
                p->r[out - 1].end = p->r[i].end;
        } else {
            p->r[out++] = p->r[i];
        }
    }
    p->n = out;
}

static void plan_day(const struct nb_hours *h, struct year_cache *yc, int32_t date, struct plan *p)
{
    p->exc = NULL;
    p->n = 0;
    p->holiday = holiday_of(h, yc, date);
    for (size_t i = 0; i < h->nexceptions; i++) {
        if (h->exceptions[i].date == date) {
            p->exc = &h->exceptions[i];
            break;
        }
    }
    if (p->exc) {
        for (size_t i = 0; i < p->exc->nranges; i++)
            add_range(p, p->exc->ranges[i].start, p->exc->ranges[i].end);
    } else if (!p->holiday) {
        int wd = nb_civil_weekday(date);
        for (size_t i = 0; i < h->nslots; i++) {
            if (h->slots[i].weekday == wd)
                add_range(p, h->slots[i].start, h->slots[i].end);
        }
    }
    merge_ranges(p);
}

enum nb_err nb_hours_reach_at(const struct nb_hours *h, int64_t now, struct nb_hours_reach *out)
{
    enum nb_err err = nb_hours_check(h);
    if (err)
        return err;
    if (now < NB_CIVIL_UNIX_MIN)
        now = NB_CIVIL_UNIX_MIN;
    if (now > NB_CIVIL_UNIX_MAX)
        now = NB_CIVIL_UNIX_MAX;

    struct nb_civil_local here;
    nb_civil_berlin_local(now, &here);
    int32_t today = here.date;
    /* Openings may start up to the last day; the day after only continues an opening that
     * runs on over midnight, so that "until" is known when it ends that night. */
    int32_t last = today + NB_HOURS_HORIZON_DAYS;

    struct year_cache yc = {0};
    struct plan p;
    bool have = false; /* an opening [from, to) is being collected */
    int64_t from = 0, to = 0;
    for (int32_t date = today; date <= last + 1; date++) {
        plan_day(h, &yc, date, &p);
        bool stop = false;
        for (size_t i = 0; i < p.n && !stop; i++) {
            int64_t f, t;
            if (!nb_civil_berlin_span(date, p.r[i].start, p.r[i].end, &f, &t))
                continue;
            if (have && f <= to) {
                if (t > to)
                    to = t;
                continue;
            }
            /* A new opening starts: the one collected is the answer unless already over. */
            if ((have && to > now) || date > last) {
                stop = true;
                continue;
            }
            from = f;
            to = t;
            have = true;
        }
        if (stop)
            break;
    }

    struct nb_hours_reach r = {0};
    int64_t tomorrow = nb_civil_berlin_day_start(today + 1);
    if (have && to > now && from <= now) {
        r.open = true;
        r.has_until = to < nb_civil_berlin_day_start(last + 2);
        if (r.has_until) {
            r.until_utc = to;
            nb_civil_berlin_local(to, &r.until_local);
        }
        r.next_change_utc = r.has_until ? to : tomorrow;
    } else if (have && to > now) {
        r.has_next = true;
        r.next_utc = from;
        nb_civil_berlin_local(from, &r.next_local);
        r.next_change_utc = from;
    } else {
        r.next_change_utc = tomorrow;
    }
    *out = r;
    return NB_OK;
}

enum nb_err nb_hours_week_of(const struct nb_hours *h, int32_t date, struct nb_hours_week *out)
{
    enum nb_err err = nb_hours_check(h);
    if (err)
        return err;
    if (date < NB_CIVIL_DATE_MIN || date > NB_CIVIL_DATE_MAX)
        return NB_ERR_INPUT;

    struct year_cache yc = {0};
    struct plan p;
    int32_t monday = date - (nb_civil_weekday(date) - 1);
    out->week = nb_civil_iso_week(date);
    for (int i = 0; i < 7; i++) {
        struct nb_hours_day *d = &out->days[i];
        int32_t day = monday + i;
        plan_day(h, &yc, day, &p);
        d->date = day;
        d->weekday = i + 1;
        d->holiday_de = p.holiday ? p.holiday->name_de : NULL;
        d->holiday_en = p.holiday ? p.holiday->name_en : NULL;
        d->exception = p.exc != NULL;
        d->note = p.exc ? p.exc->note : (struct nb_str){NULL, 0};
        d->nranges = 0;
        for (size_t j = 0; j < p.n; j++) {
            int64_t f, t;
            if (nb_civil_berlin_span(day, p.r[j].start, p.r[j].end, &f, &t))
                d->ranges[d->nranges++] = p.r[j];
        }
    }
    return NB_OK;
}
