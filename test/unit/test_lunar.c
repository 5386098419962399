/*
 * test_lunar.c — the Chinese calendar of src/core/lunar.c against a precise
 * reference: every month start of lunar years 1929-2100 must be the day, in
 * Beijing time (UTC+8), of the corresponding new moon computed with Meeus'
 * algorithm (meeus.h). Prints where raw ICU disagrees with the reference (the
 * corrections table of lunar.c) and the new moons too close to midnight to call.
 */
#include <math.h>
#include <stdlib.h>

#include "core/lunar.h"
#include "core/workday.h"
#include "meeus.h"
#include "unit.h"

#define D(y, m, d) wc_day_from_ymd((y), (m), (d))

/* Formats a Beijing-time Julian date as "YYYY-MM-DD hh:mm:ss". */
static const char *
format_jd(double jd, char *buf, size_t len)
{
	int			day = meeus_day(jd),
				y,
				m,
				d;
	double		secs = round((jd - 2451544.5 - day) * 86400.0);

	if (secs >= 86400)
	{
		secs -= 86400;
		day++;
	}
	wc_ymd_from_day(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int) secs / 3600,
			 (int) secs / 60 % 60, (int) secs % 60);
	return buf;
}

/* The reference itself: Meeus' worked example and published instants. */
static void
test_reference(void)
{
	/* lunation numbers (k = 0 is the new moon of 2000-01-06) */
	double		k2021 = round((2021.11 - 2000) * 12.3685);
	double		k2027 = round((2027.10 - 2000) * 12.3685);

	/* Astronomical Algorithms, example 49.a: 1977 February, k = -283 */
	CHECK(fabs(meeus_new_moon_jde(-283) - 2443192.65118) < 0.00001);
	/* ΔT: 63.8 s in 2000 (observed 63.83 s), about 29 s in 1950 */
	CHECK(fabs(meeus_delta_t(2000.0) - 63.86) < 0.01);
	CHECK(fabs(meeus_delta_t(1950.0) - 29.07) < 0.01);
	/* the 2021 Spring Festival new moon: 2021-02-11 19:05 UTC = 2021-02-12 03:05 UTC+8 */
	CHECK_INT(meeus_day(meeus_new_moon_beijing(k2021)), D(2021, 2, 12));
	CHECK(fabs(fmod(meeus_new_moon_beijing(k2021) - 2451544.5, 1.0) * 1440 - (3 * 60 + 5.6)) < 1.5);
	/* 2027-02-06 15:56 UTC = 23:56 UTC+8: Spring Festival 2027 is on 02-06 */
	CHECK_INT(meeus_day(meeus_new_moon_beijing(k2027)), D(2027, 2, 6));
	CHECK(fabs(fmod(meeus_new_moon_beijing(k2027) - 2451544.5, 1.0) * 1440 - (23 * 60 + 56)) < 1.5);
}

/*
 * Every month of 1929-2100, corrected, against the reference; raw ICU compared
 * too, to list what the corrections table fixes.
 */
static void
test_all_months(void)
{
	double		k = round((WC_LUNAR_MIN_YEAR - 2000) * 12.3685) - 3;
	int			months = 0,
				wrong = 0,
				icu_wrong = 0,
				marginal = 0,
				ncorr;
	const WcLunarCorrection *corr = wc_lunar_corrections(&ncorr);
	char		buf[32];

	/* find the lunation of the first month of 1929 */
	{
		WcLunarYear first;
		UErrorCode	st = U_ZERO_ERROR;

		CHECK_INT(wc_lunar_year(WC_LUNAR_MIN_YEAR, &first, &st), WC_LUNAR_OK);
		while (meeus_day(meeus_new_moon_beijing(k)) < first.m[0].start - 14)
			k++;
	}
	for (int year = WC_LUNAR_MIN_YEAR; year <= WC_LUNAR_MAX_YEAR; year++)
	{
		WcLunarYear ly,
					raw;
		UErrorCode	st = U_ZERO_ERROR;

		if (wc_lunar_year(year, &ly, &st) != WC_LUNAR_OK ||
			wc_lunar_year_icu(year, &raw, &st) != WC_LUNAR_OK)
		{
			printf("FAIL year %d: ICU error %s\n", year, u_errorName(st));
			wrong++;
			continue;
		}
		CHECK(ly.n == 12 || ly.n == 13);
		for (int i = 0; i <= ly.n; i++, k++)
		{
			double		nm = meeus_new_moon_beijing(k);
			int			ref = meeus_day(nm);
			double		from_midnight = (nm - 2451544.5 - ref) * 86400.0;	/* seconds */

			if (from_midnight > 43200)
				from_midnight -= 86400;
			if (i == ly.n)
			{
				k--;			/* the sentinel is next year's first month */
				continue;
			}
			months++;
			if (fabs(from_midnight) < 60)
			{
				marginal++;
				printf("  close to midnight: %d month %d%s new moon %s UTC+8 (%+.0f s)\n",
					   year, ly.m[i].month, ly.m[i].leap ? " (leap)" : "",
					   format_jd(nm, buf, sizeof(buf)), from_midnight);
			}
			if (ly.m[i].start != ref)
			{
				int			y,
							m,
							d;

				wc_ymd_from_day(ly.m[i].start, &y, &m, &d);
				printf("FAIL %d month %d%s starts %04d-%02d-%02d, new moon %s UTC+8\n",
					   year, ly.m[i].month, ly.m[i].leap ? " (leap)" : "", y, m, d,
					   format_jd(nm, buf, sizeof(buf)));
				wrong++;
			}
			if (raw.m[i].start != ref)
			{
				int			y,
							m,
							d,
							found = 0;

				icu_wrong++;
				wc_ymd_from_day(raw.m[i].start, &y, &m, &d);
				printf("  ICU: %d month %d%s on %04d-%02d-%02d, new moon %s UTC+8: corrected\n",
					   year, raw.m[i].month, raw.m[i].leap ? " (leap)" : "", y, m, d,
					   format_jd(nm, buf, sizeof(buf)));
				/* the table records this month, the fixed day and the instant */
				for (int c = 0; c < ncorr; c++)
					found += corr[c].year == year && corr[c].month == raw.m[i].month &&
						corr[c].leap == raw.m[i].leap && corr[c].start == ref &&
						strcmp(corr[c].new_moon, format_jd(nm, buf, sizeof(buf))) == 0;
				CHECK_INT(found, 1);
			}
		}
	}
	printf("  %d months of %d-%d checked: %d wrong in raw ICU, %d after correction, "
		   "%d new moons within 60 s of midnight\n",
		   months, WC_LUNAR_MIN_YEAR, WC_LUNAR_MAX_YEAR, icu_wrong, wrong, marginal);
	CHECK_INT(wrong, 0);
	CHECK(months > 2100);
}

/* Known dates: the anchors, festivals in the shipped holiday data, leap months. */
static void
test_anchors(void)
{
	static const struct
	{
		int			y,
					lm,
					ld;
		bool		leap;
		int			gy,
					gm,
					gd;
	}			known[] = {
		{2021, 1, 1, false, 2021, 2, 12},	/* the anchors */
		{2024, 1, 1, false, 2024, 2, 10},
		{2025, 1, 1, false, 2025, 1, 29},
		{2027, 1, 1, false, 2027, 2, 6},	/* ICU says 02-07: corrected */
		{2030, 1, 1, false, 2030, 2, 3},	/* ICU says 02-02: corrected */
		{1954, 1, 1, false, 1954, 2, 3},	/* ICU says 02-04: corrected */
		{2026, 1, 1, false, 2026, 2, 17},
		{2024, 1, 15, false, 2024, 2, 24},	/* 元宵 */
		{2024, 5, 5, false, 2024, 6, 10},	/* 端午, off in the 2024 arrangement */
		{2024, 8, 15, false, 2024, 9, 17},	/* 中秋 */
		{2025, 5, 5, false, 2025, 5, 31},
		{2025, 8, 15, false, 2025, 10, 6},
		{2026, 5, 5, false, 2026, 6, 19},
		{2026, 8, 15, false, 2026, 9, 25},
		{2020, 4, 1, true, 2020, 5, 23},	/* 闰四月 2020 */
		{2023, 2, 1, true, 2023, 3, 22},	/* 闰二月 2023 */
		{2025, 6, 1, true, 2025, 7, 25},	/* 闰六月 2025 */
		{2033, 11, 1, true, 2033, 12, 22},	/* 闰十一月 2033 (the "2033 problem") */
		{2012, 7, 7, false, 2012, 8, 23},	/* 七夕 2012: month 7 corrected */
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
	{
		int32_t		day = 0;
		UErrorCode	st = U_ZERO_ERROR;
		int			y,
					m,
					d;
		bool		leap;

		CHECK_INT(wc_lunar_to_day(known[i].y, known[i].lm, known[i].leap, known[i].ld, &day, &st),
				  WC_LUNAR_OK);
		if (day != D(known[i].gy, known[i].gm, known[i].gd))
			printf("FAIL lunar %d-%d%s-%d\n", known[i].y, known[i].lm, known[i].leap ? "L" : "",
				   known[i].ld);
		CHECK_INT(day, D(known[i].gy, known[i].gm, known[i].gd));
		CHECK_INT(wc_lunar_from_day(day, &y, &m, &leap, &d, &st), WC_LUNAR_OK);
		CHECK(y == known[i].y && m == known[i].lm && leap == known[i].leap && d == known[i].ld);
	}
}

/* Bad arguments are rejected with the right status. */
static void
test_errors(void)
{
	int32_t		day = 4242;
	UErrorCode	st = U_ZERO_ERROR;
	int			y,
				m,
				d;
	bool		leap;

	CHECK_INT(wc_lunar_to_day(1928, 1, false, 1, &day, &st), WC_LUNAR_YEAR_RANGE);
	CHECK_INT(wc_lunar_to_day(2101, 1, false, 1, &day, &st), WC_LUNAR_YEAR_RANGE);
	CHECK_INT(wc_lunar_to_day(2024, 0, false, 1, &day, &st), WC_LUNAR_BAD_MONTH);
	CHECK_INT(wc_lunar_to_day(2024, 13, false, 1, &day, &st), WC_LUNAR_BAD_MONTH);
	CHECK_INT(wc_lunar_to_day(2024, 4, true, 1, &day, &st), WC_LUNAR_BAD_MONTH);	/* no leap month */
	CHECK_INT(wc_lunar_to_day(2024, 1, false, 0, &day, &st), WC_LUNAR_BAD_DAY);
	CHECK_INT(wc_lunar_to_day(2024, 1, false, 31, &day, &st), WC_LUNAR_BAD_DAY);
	/* month 12 of 2026 is short (29 days) if and only if the reference says so */
	{
		WcLunarYear ly;
		int			len;

		CHECK_INT(wc_lunar_year(2026, &ly, &st), WC_LUNAR_OK);
		len = ly.m[ly.n].start - ly.m[ly.n - 1].start;
		CHECK_INT(len, 29);		/* 2027-01-08 to 2027-02-05 */
		CHECK_INT(wc_lunar_to_day(2026, 12, false, 30, &day, &st), WC_LUNAR_BAD_DAY);
		CHECK_INT(day, 4242);	/* untouched on failure */
		/* the 2026-27 eve (除夕): the last day of month 12, the day before 2027-02-06 */
		CHECK_INT(wc_lunar_to_day(2026, 12, false, 29, &day, &st), WC_LUNAR_OK);
		CHECK_INT(day, D(2027, 2, 5));
	}
	CHECK_INT(wc_lunar_from_day(D(1929, 2, 9), &y, &m, &leap, &d, &st), WC_LUNAR_YEAR_RANGE);
	CHECK_INT(wc_lunar_from_day(D(1929, 2, 10), &y, &m, &leap, &d, &st), WC_LUNAR_OK);
	CHECK(y == 1929 && m == 1 && d == 1);
	CHECK_INT(wc_lunar_from_day(D(2101, 1, 28), &y, &m, &leap, &d, &st), WC_LUNAR_OK);
	CHECK(y == 2100 && m == 12);
	CHECK_INT(wc_lunar_from_day(D(2101, 12, 31), &y, &m, &leap, &d, &st), WC_LUNAR_YEAR_RANGE);
	CHECK_INT(wc_lunar_from_day(D(1, 1, 1), &y, &m, &leap, &d, &st), WC_LUNAR_YEAR_RANGE);
	CHECK(st == U_ZERO_ERROR);
}

/* Gregorian -> lunar -> Gregorian is the identity on every 3rd day of 1929-2100. */
static void
test_roundtrip(void)
{
	int			bad = 0,
				n = 0;

	for (int32_t day = D(1929, 2, 10); day < D(2101, 1, 29); day += 3, n++)
	{
		int			y,
					m,
					d;
		bool		leap;
		int32_t		back = 0;
		UErrorCode	st = U_ZERO_ERROR;

		if (wc_lunar_from_day(day, &y, &m, &leap, &d, &st) != WC_LUNAR_OK ||
			wc_lunar_to_day(y, m, leap, d, &back, &st) != WC_LUNAR_OK || back != day)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK(n > 20000);
}

int
main(void)
{
	test_reference();
	test_all_months();
	test_anchors();
	test_errors();
	test_roundtrip();
	UNIT_DONE();
}
