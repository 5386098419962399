/*
 * workday.h — working-day arithmetic over a sorted array of calendar overrides.
 *
 * Plain C (no postgres.h). A day is a count of days since 2000-01-01, as in
 * PostgreSQL's DateADT. A day is a working day when an override says "work",
 * a rest day when an override says "off", and otherwise a working day exactly
 * when it falls Monday to Friday. The overrides are the State Council's
 * holiday arrangements: days off, and the swapped working weekends (调休).
 */
#ifndef WC_CORE_WORKDAY_H
#define WC_CORE_WORKDAY_H

#include <stdbool.h>
#include <stdint.h>

/* One override: a day and whether it is a working day. */
typedef struct WcOverride
{
	int32_t		day;			/* days since 2000-01-01 */
	bool		work;			/* true: working day ('work'); false: day off ('off') */
} WcOverride;

/* The override set: sorted by day, no duplicates. */
typedef struct WcWorkCalendar
{
	const WcOverride *ov;
	int			n;
} WcWorkCalendar;

/* Result of an arithmetic call that may leave the representable range. */
typedef enum WcWorkStatus
{
	WC_WORK_OK = 0,
	WC_WORK_OUT_OF_RANGE		/* the result would fall outside [lo, hi] */
} WcWorkStatus;

/* Day of the week, 0 = Monday ... 6 = Sunday. */
extern int	wc_weekday(int32_t day);

/* Gregorian date <-> day number (proleptic calendar, any year). */
extern int32_t wc_day_from_ymd(int year, int month, int mday);
extern void wc_ymd_from_day(int32_t day, int *year, int *month, int *mday);

/* Index of the first override with day >= the given day (n when none). */
extern int	wc_override_lower_bound(const WcWorkCalendar *cal, int32_t day);

/* True when the day is a working day. */
extern bool wc_is_working_day(const WcWorkCalendar *cal, int32_t day);

/*
 * The count-th working day after start (count > 0), before start (count < 0),
 * or start itself (count == 0); fails when the walk would leave [lo, hi].
 */
extern WcWorkStatus wc_add_working_days(const WcWorkCalendar *cal, int32_t start,
										int64_t count, int32_t lo, int32_t hi,
										int32_t *result);

/*
 * Working days in the half-open interval (a, b] when a <= b; the negated count
 * of (b, a] when a > b: additive and antisymmetric, and it inverts a forward
 * step: wc_working_days_between(a, wc_add_working_days(a, n)) == n for n >= 0
 * (and for n < 0 when a is itself a working day).
 */
extern int64_t wc_working_days_between(const WcWorkCalendar *cal, int32_t a, int32_t b);

/*
 * The pay day of a nominal pay day: the day itself when it is a working day,
 * else the last working day before it; fails when none is found at or after lo.
 */
extern WcWorkStatus wc_pay_day(const WcWorkCalendar *cal, int32_t day, int32_t lo,
							   int32_t *result);

#endif							/* WC_CORE_WORKDAY_H */
