/*
 * workday.c — working-day arithmetic over a sorted array of calendar overrides.
 *
 * Days without an override follow the Monday-Friday week, so a stretch of days
 * free of overrides is counted in closed form and walked a whole week at a time;
 * each call costs O(log n + overrides crossed), never a scan of the whole set.
 */
#include "core/workday.h"

/* Day number of the Monday 2000-01-03; 2000-01-01 (day 0) was a Saturday. */
#define WC_MONDAY 2

/* Floor division and the matching non-negative remainder. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Day of the week, 0 = Monday ... 6 = Sunday. */
int
wc_weekday(int32_t day)
{
	int64_t		t = (int64_t) day - WC_MONDAY;

	return (int) (t - 7 * floor_div(t, 7));
}

/* Day number of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
int32_t
wc_day_from_ymd(int year, int month, int mday)
{
	int64_t		y = (int64_t) year - (month <= 2);
	int64_t		era = floor_div(y, 400);
	int64_t		yoe = y - era * 400;
	int64_t		doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - 719468 - 10957);
}

/* Proleptic Gregorian date of a day number (H. Hinnant's civil_from_days). */
void
wc_ymd_from_day(int32_t day, int *year, int *month, int *mday)
{
	int64_t		z = (int64_t) day + 10957 + 719468;
	int64_t		era = floor_div(z, 146097);
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			m = (int) (mp < 10 ? mp + 3 : mp - 9);

	*mday = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = (int) (yoe + era * 400 + (m <= 2));
}

/* Index of the first override with day >= the given day (n when none). */
int
wc_override_lower_bound(const WcWorkCalendar *cal, int32_t day)
{
	int			lo = 0,
				hi = cal->n;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (cal->ov[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* True when the day is a working day. */
bool
wc_is_working_day(const WcWorkCalendar *cal, int32_t day)
{
	int			i = wc_override_lower_bound(cal, day);

	if (i < cal->n && cal->ov[i].day == day)
		return cal->ov[i].work;
	return wc_weekday(day) < 5;
}

/* Weekdays (Mon-Fri) d with MONDAY <= d < MONDAY + t, negative for t < 0. */
static int64_t
weekdays_before(int64_t t)
{
	int64_t		w = floor_div(t, 7);
	int64_t		r = t - 7 * w;

	return 5 * w + (r < 5 ? r : 5);
}

/* Working days in (a, b] when a <= b, minus those of (b, a] when a > b. */
int64_t
wc_working_days_between(const WcWorkCalendar *cal, int32_t a, int32_t b)
{
	int64_t		count;
	int			i;
	int32_t		from = a < b ? a : b;
	int32_t		to = a < b ? b : a;

	if (a == b)
		return 0;
	count = weekdays_before((int64_t) to + 1 - WC_MONDAY) -
		weekdays_before((int64_t) from + 1 - WC_MONDAY);
	for (i = wc_override_lower_bound(cal, from + 1); i < cal->n && cal->ov[i].day <= to; i++)
	{
		bool		weekday = wc_weekday(cal->ov[i].day) < 5;

		if (cal->ov[i].work && !weekday)
			count++;
		else if (!cal->ov[i].work && weekday)
			count--;
	}
	return a < b ? count : -count;
}

/* The count-th working day after (count > 0) or before (count < 0) start. */
WcWorkStatus
wc_add_working_days(const WcWorkCalendar *cal, int32_t start, int64_t count,
					int32_t lo, int32_t hi, int32_t *result)
{
	int64_t		d = start;
	int64_t		left = count < 0 ? -count : count;
	int			step = count < 0 ? -1 : 1;
	int			i;

	if (count == 0)
	{
		*result = start;
		return WC_WORK_OK;
	}
	/* i: the next override in walking direction, strictly beyond d */
	i = wc_override_lower_bound(cal, start + (step > 0 ? 1 : 0));
	if (step < 0)
		i--;
	while (left > 0)
	{
		int64_t		gap;		/* override-free days ahead of d */
		bool		working;

		if (step > 0)
			gap = (i < cal->n ? (int64_t) cal->ov[i].day - d - 1 : INT64_MAX / 4);
		else
			gap = (i >= 0 ? d - (int64_t) cal->ov[i].day - 1 : INT64_MAX / 4);
		if (left > 5 && gap >= 7)
		{
			/* whole override-free weeks hold exactly 5 working days each */
			int64_t		weeks = gap / 7;

			if (weeks > (left - 1) / 5)
				weeks = (left - 1) / 5;
			d += step * 7 * weeks;
			left -= 5 * weeks;
			if (d > hi || d < lo)
				return WC_WORK_OUT_OF_RANGE;
			continue;
		}
		d += step;
		if (d > hi || d < lo)
			return WC_WORK_OUT_OF_RANGE;
		if (i >= 0 && i < cal->n && cal->ov[i].day == d)
		{
			working = cal->ov[i].work;
			i += step;
		}
		else
			working = wc_weekday((int32_t) d) < 5;
		if (working)
			left--;
	}
	*result = (int32_t) d;
	return WC_WORK_OK;
}

/* The day itself when it is a working day, else the last working day before it. */
WcWorkStatus
wc_pay_day(const WcWorkCalendar *cal, int32_t day, int32_t lo, int32_t *result)
{
	if (wc_is_working_day(cal, day))
	{
		*result = day;
		return WC_WORK_OK;
	}
	if (day <= lo)
		return WC_WORK_OUT_OF_RANGE;
	return wc_add_working_days(cal, day, -1, lo, day, result);
}
