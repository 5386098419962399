/*
 * fuzz_workday.c — libFuzzer harness of src/core/workday.c, the working-day arithmetic
 * behind add_working_days, working_days_between, pay_day and is_working_day (which the
 * case ledger's and the alert engine's deadlines use). The input is a 13-byte header
 * (start day, count, second day, flags) and then 3-byte overrides (offset from the start
 * day, work or off) that make the calendar. Properties: no crash or undefined behaviour
 * for any date PostgreSQL can store and any int4 count; each function agrees with a
 * day-by-day walk over the same calendar when the walk is short; the n-th working day
 * after a day is a working day with exactly n working days up to it; the pay day is the
 * last working day on or before the day; day numbers and dates convert both ways.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/workday.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* PostgreSQL's date range in days since 2000-01-01 (as src/calendar/workday_sql.c). */
#define DATE_LO (-2451545)
#define DATE_HI 2145031948
#define MAX_OV 256
#define WALK_LIMIT 1000

static int32_t
read32(const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, 4);
	return (int32_t) v;
}

static int32_t
clamp(int64_t d, int64_t lo, int64_t hi)
{
	return (int32_t) (d < lo ? lo : d > hi ? hi : d);
}

/* by_day: orders overrides by day. */
static int
by_day(const void *a, const void *b)
{
	int32_t		x = ((const WcOverride *) a)->day,
				y = ((const WcOverride *) b)->day;

	return (x > y) - (x < y);
}

/* naive_working: the day's override by linear search, else Monday-Friday (day 0 was a Saturday). */
static int
naive_working(const WcWorkCalendar *cal, int64_t day)
{
	for (int i = 0; i < cal->n; i++)
		if (cal->ov[i].day == day)
			return cal->ov[i].work;
	return ((day % 7 + 7 + 5) % 7) < 5;
}

/* naive_add: the |count|-th working day after or before start, walking day by day; -1 when out of [lo, hi]. */
static int
naive_add(const WcWorkCalendar *cal, int64_t start, int64_t count, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t		d = start,
				left = count < 0 ? -count : count,
				step = count < 0 ? -1 : 1;

	while (left > 0)
	{
		d += step;
		if (d < lo || d > hi)
			return -1;
		if (naive_working(cal, d))
			left--;
	}
	*out = d;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	WcOverride	ov[MAX_OV];
	WcWorkCalendar cal = {ov, 0};
	int32_t		start,
				b,
				lo = DATE_LO,
				hi = DATE_HI,
				result;
	int64_t		count,
				walked;
	uint8_t		flags;
	int			k;
	WcWorkStatus st;

	if (size < 13)
		return 0;
	flags = data[12];
	/* mostly days near 2000-2050, sometimes anywhere in PostgreSQL's range */
	if (flags & 1)
		start = (int32_t) ((uint32_t) read32(data) % 20000);
	else
		start = (int32_t) (DATE_LO + (int64_t) ((uint32_t) read32(data) % ((uint32_t) (DATE_HI - DATE_LO) + 1)));
	count = (flags & 2) ? (int16_t) read32(data + 4) % 200 : read32(data + 4);
	if (flags & 4)
		b = clamp((int64_t) start + (int16_t) read32(data + 8), DATE_LO, DATE_HI);
	else
		b = clamp((int64_t) DATE_LO + (uint32_t) read32(data + 8) % ((uint32_t) (DATE_HI - DATE_LO) + 1), DATE_LO, DATE_HI);
	if (flags & 8)
	{
		/* tight bounds: the result may fall outside them */
		lo = clamp((int64_t) start - 60, DATE_LO, DATE_HI);
		hi = clamp((int64_t) start + 60, DATE_LO, DATE_HI);
	}

	/* the calendar: unique overrides around the start day, sorted (the last of a day wins) */
	for (size_t off = 13; off + 3 <= size && cal.n < MAX_OV; off += 3)
	{
		int16_t		delta;
		int32_t		day;

		memcpy(&delta, data + off, 2);
		day = clamp((int64_t) start + delta / 8, DATE_LO, DATE_HI);
		for (k = 0; k < cal.n && ov[k].day != day; k++)
			;
		ov[k].day = day;
		ov[k].work = data[off + 2] & 1;
		if (k == cal.n)
			cal.n++;
	}
	qsort(ov, cal.n, sizeof(ov[0]), by_day);

	/* date conversion round trip */
	{
		int			y,
					m,
					d;

		wc_ymd_from_day(start, &y, &m, &d);
		if (m < 1 || m > 12 || d < 1 || d > 31 || wc_day_from_ymd(y, m, d) != start)
			abort();
	}

	if (wc_is_working_day(&cal, start) != naive_working(&cal, start) ||
		wc_is_working_day(&cal, b) != naive_working(&cal, b))
		abort();

	/* add_working_days */
	st = wc_add_working_days(&cal, start, count, lo, hi, &result);
	if (st == WC_WORK_OK)
	{
		if (result < lo || result > hi)
			abort();
		if (count == 0 && result != start)
			abort();
		if (count > 0 && (!wc_is_working_day(&cal, result) ||
						  wc_working_days_between(&cal, start, result) != count))
			abort();
		/* before start: |count| working days in [result, start) */
		if (count < 0 && (!wc_is_working_day(&cal, result) || result >= start ||
						  wc_working_days_between(&cal, result - 1, start - 1) != -count))
			abort();
	}
	else if (st != WC_WORK_OUT_OF_RANGE || count == 0)
		abort();
	if (count >= -WALK_LIMIT && count <= WALK_LIMIT)
	{
		int			r = naive_add(&cal, start, count, lo, hi, &walked);

		if ((r == 0) != (st == WC_WORK_OK) || (r == 0 && walked != result))
			abort();
	}

	/* working_days_between: antisymmetric; a short span agrees with counting day by day */
	{
		int64_t		n = wc_working_days_between(&cal, start, b);

		if (n != -wc_working_days_between(&cal, b, start))
			abort();
		if ((int64_t) b - start <= WALK_LIMIT && (int64_t) start - b <= WALK_LIMIT)
		{
			int64_t		c = 0,
						from = start < b ? start : b,
						to = start < b ? b : start;

			for (int64_t d = from + 1; d <= to; d++)
				c += naive_working(&cal, d);
			if (n != (start < b ? c : -c))
				abort();
		}
	}

	/* pay_day: the last working day on or before the day */
	st = wc_pay_day(&cal, b, lo < b ? lo : b, &result);
	if (st == WC_WORK_OK)
	{
		if (result > b || !wc_is_working_day(&cal, result) ||
			wc_working_days_between(&cal, result, b) != 0)
			abort();
	}
	else if (st != WC_WORK_OUT_OF_RANGE || wc_is_working_day(&cal, b))
		abort();
	return 0;
}
