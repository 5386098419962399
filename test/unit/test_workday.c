/*
 * test_workday.c — working-day arithmetic of src/core/workday.c: hand-checked
 * dates across the 2024 and 2025 holiday blocks and swapped weekends, and a
 * randomized comparison with a naive day-by-day walk.
 */
#include <stdlib.h>

#include "core/workday.h"
#include "unit.h"

#define D(y, m, d) wc_day_from_ymd((y), (m), (d))
#define LO (-2451545)			/* roughly 4713 BC, like PostgreSQL's lower bound */
#define HI 2147483000

/* The official 2024 Spring Festival and 2025 National Day arrangements. */
static WcOverride official[] = {
	{0, true},					/* 2024-02-04 work (filled in by main) */
	{0, false}, {0, false}, {0, false}, {0, false},	/* 2024-02-10..13 */
	{0, false}, {0, false}, {0, false}, {0, false},	/* 2024-02-14..17 */
	{0, true},					/* 2024-02-18 work */
	{0, true},					/* 2025-09-28 work */
	{0, false}, {0, false}, {0, false}, {0, false},	/* 2025-10-01..04 */
	{0, false}, {0, false}, {0, false}, {0, false},	/* 2025-10-05..08 */
	{0, true},					/* 2025-10-11 work */
};

/* Fills in the day numbers of the official overrides. */
static WcWorkCalendar
official_calendar(void)
{
	WcWorkCalendar cal = {official, (int) (sizeof(official) / sizeof(official[0]))};
	int			i;

	official[0].day = D(2024, 2, 4);
	for (i = 0; i < 8; i++)
		official[1 + i].day = D(2024, 2, 10) + i;
	official[9].day = D(2024, 2, 18);
	official[10].day = D(2025, 9, 28);
	for (i = 0; i < 8; i++)
		official[11 + i].day = D(2025, 10, 1) + i;
	official[19].day = D(2025, 10, 11);
	return cal;
}

/* Naive is_working_day: a linear search of the overrides. */
static bool
naive_working(const WcWorkCalendar *cal, int32_t d)
{
	for (int i = 0; i < cal->n; i++)
		if (cal->ov[i].day == d)
			return cal->ov[i].work;
	return wc_weekday(d) < 5;
}

/* Naive add_working_days: one day at a time. */
static int32_t
naive_add(const WcWorkCalendar *cal, int32_t d, int count)
{
	int			step = count < 0 ? -1 : 1;

	while (count != 0)
	{
		d += step;
		if (naive_working(cal, d))
			count -= step;
	}
	return d;
}

/* Naive working_days_between: counts (a, b] one day at a time. */
static int64_t
naive_between(const WcWorkCalendar *cal, int32_t a, int32_t b)
{
	int64_t		n = 0;

	for (int32_t d = (a < b ? a : b) + 1; d <= (a < b ? b : a); d++)
		n += naive_working(cal, d);
	return a <= b ? n : -n;
}

static void
test_calendar_conversion(void)
{
	int			y,
				m,
				d;

	CHECK_INT(D(2000, 1, 1), 0);
	CHECK_INT(D(1999, 12, 31), -1);
	CHECK_INT(D(2000, 3, 1), 60);
	CHECK_INT(wc_weekday(D(2000, 1, 1)), 5);	/* Saturday */
	CHECK_INT(wc_weekday(D(2024, 2, 10)), 5);	/* Saturday */
	CHECK_INT(wc_weekday(D(2025, 10, 1)), 2);	/* Wednesday */
	CHECK_INT(wc_weekday(D(1949, 10, 1)), 5);	/* Saturday */
	CHECK_INT(wc_weekday(D(-4713, 11, 24)), 0);	/* JD 0 was a Monday */
	for (int32_t day = D(1600, 1, 1); day < D(2400, 12, 31); day += 13)
	{
		wc_ymd_from_day(day, &y, &m, &d);
		if (D(y, m, d) != day)
		{
			CHECK_INT(D(y, m, d), day);
			break;
		}
	}
	wc_ymd_from_day(D(2100, 2, 28) + 1, &y, &m, &d);
	CHECK(y == 2100 && m == 3 && d == 1);	/* 2100 is not a leap year */
	wc_ymd_from_day(D(2024, 2, 28) + 1, &y, &m, &d);
	CHECK(y == 2024 && m == 2 && d == 29);
}

static void
test_official_blocks(void)
{
	WcWorkCalendar cal = official_calendar();
	int32_t		r;

	/* 2024 Spring Festival: 02-10..17 off, Sundays 02-04 and 02-18 worked */
	CHECK(wc_is_working_day(&cal, D(2024, 2, 4)));
	CHECK(!wc_is_working_day(&cal, D(2024, 2, 12)));	/* a Monday off */
	CHECK(wc_is_working_day(&cal, D(2024, 2, 9)));
	CHECK(!wc_is_working_day(&cal, D(2024, 2, 3)));	/* plain Saturday */
	CHECK_INT(wc_add_working_days(&cal, D(2024, 2, 9), 1, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, D(2024, 2, 18));
	CHECK_INT(wc_add_working_days(&cal, D(2024, 2, 18), -1, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, D(2024, 2, 9));
	CHECK_INT(wc_add_working_days(&cal, D(2024, 2, 2), 1, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, D(2024, 2, 4));
	CHECK_INT(wc_add_working_days(&cal, D(2024, 2, 12), 0, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, D(2024, 2, 12));	/* zero days: the day itself */
	CHECK_INT(wc_working_days_between(&cal, D(2024, 2, 9), D(2024, 2, 18)), 1);
	CHECK_INT(wc_working_days_between(&cal, D(2024, 2, 18), D(2024, 2, 9)), -1);
	CHECK_INT(wc_working_days_between(&cal, D(2024, 2, 1), D(2024, 2, 29)), 17);
	/* 2025 National Day and Mid-Autumn: 10-01..08 off, 09-28 and 10-11 worked */
	CHECK_INT(wc_working_days_between(&cal, D(2025, 9, 26), D(2025, 10, 12)), 6);
	CHECK_INT(wc_add_working_days(&cal, D(2025, 9, 30), 1, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, D(2025, 10, 9));
	CHECK_INT(wc_add_working_days(&cal, D(2025, 9, 26), 6, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, D(2025, 10, 11));
	CHECK_INT(wc_add_working_days(&cal, D(2025, 10, 11), -6, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, D(2025, 9, 26));
	/* 60 working days from filing on 2024-01-02 (no holidays in the set before 02-04) */
	CHECK_INT(wc_add_working_days(&cal, D(2024, 1, 2), 60, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, naive_add(&cal, D(2024, 1, 2), 60));
	/* pay day moves earlier off holidays and rest days, stays on worked weekends */
	CHECK_INT(wc_pay_day(&cal, D(2024, 2, 15), LO, &r), WC_WORK_OK);
	CHECK_INT(r, D(2024, 2, 9));
	CHECK_INT(wc_pay_day(&cal, D(2024, 2, 4), LO, &r), WC_WORK_OK);
	CHECK_INT(r, D(2024, 2, 4));
	CHECK_INT(wc_pay_day(&cal, D(2024, 2, 3), LO, &r), WC_WORK_OK);
	CHECK_INT(r, D(2024, 2, 2));
	CHECK_INT(wc_pay_day(&cal, D(2025, 10, 5), LO, &r), WC_WORK_OK);
	CHECK_INT(r, D(2025, 9, 30));
	CHECK_INT(wc_pay_day(&cal, D(2025, 10, 10), LO, &r), WC_WORK_OK);
	CHECK_INT(r, D(2025, 10, 10));
}

static void
test_range_limits(void)
{
	WcWorkCalendar empty = {NULL, 0};
	int32_t		r = 12345;

	CHECK_INT(wc_add_working_days(&empty, 0, 5, LO, 3, &r), WC_WORK_OUT_OF_RANGE);
	CHECK_INT(wc_add_working_days(&empty, 0, -2000000000LL, LO, HI, &r), WC_WORK_OUT_OF_RANGE);
	CHECK_INT(wc_add_working_days(&empty, 0, 2000000000LL, LO, HI, &r), WC_WORK_OUT_OF_RANGE);
	CHECK_INT(r, 12345);		/* untouched on failure */
	CHECK_INT(wc_pay_day(&empty, D(2000, 1, 1), D(2000, 1, 1), &r), WC_WORK_OUT_OF_RANGE);
	/* without overrides: 5 per week, closed form and walk agree far away */
	CHECK_INT(wc_add_working_days(&empty, D(2000, 1, 3), 5 * 52000, LO, HI, &r), WC_WORK_OK);
	CHECK_INT(r, D(2000, 1, 3) + 7 * 52000);
	CHECK_INT(wc_working_days_between(&empty, D(2000, 1, 3), r), 5 * 52000);
	CHECK_INT(wc_working_days_between(&empty, LO, HI), naive_between(&empty, LO, LO + 70) +
			  wc_working_days_between(&empty, LO + 70, HI));
}

/* Random override sets; every function agrees with the naive walk. */
static void
test_random(void)
{
	static WcOverride ov[400];
	int			mismatches = 0;

	srand(20240210);
	for (int round = 0; round < 200; round++)
	{
		WcWorkCalendar cal = {ov, 0};
		int32_t		base = D(2020, 1, 1) + rand() % 200;
		int32_t		d = base;

		/* sorted, unique overrides, sometimes dense blocks, sometimes sparse */
		while (cal.n < (int) (sizeof(ov) / sizeof(ov[0])) && d < base + 2000)
		{
			d += 1 + (rand() % 4 == 0 ? rand() % 40 : 0);
			ov[cal.n].day = d;
			ov[cal.n].work = rand() % 3 == 0;
			cal.n++;
		}
		for (int k = 0; k < 60; k++)
		{
			int32_t		a = base - 100 + rand() % 2300;
			int32_t		b = base - 100 + rand() % 2300;
			int			n = rand() % 600 - 300;
			int32_t		r,
						want;

			if (wc_is_working_day(&cal, a) != naive_working(&cal, a))
				mismatches++;
			if (wc_working_days_between(&cal, a, b) != naive_between(&cal, a, b))
				mismatches++;
			want = naive_add(&cal, a, n);
			if (wc_add_working_days(&cal, a, n, LO, HI, &r) != WC_WORK_OK || r != want)
				mismatches++;
			/* the count is additive: it inverts a forward step, and a backward
			 * step taken from a working day */
			if ((n >= 0 || naive_working(&cal, a)) && wc_working_days_between(&cal, a, r) != n)
				mismatches++;
			if (wc_working_days_between(&cal, a, b) + wc_working_days_between(&cal, b, r) !=
				wc_working_days_between(&cal, a, r))
				mismatches++;
			want = naive_working(&cal, b) ? b : naive_add(&cal, b, -1);
			if (wc_pay_day(&cal, b, LO, &r) != WC_WORK_OK || r != want)
				mismatches++;
		}
	}
	CHECK_INT(mismatches, 0);
}

int
main(void)
{
	test_calendar_conversion();
	test_official_blocks();
	test_range_limits();
	test_random();
	UNIT_DONE();
}
