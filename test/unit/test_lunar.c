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

/* Formats a day number as "YYYY-MM-DD". */
static const char *
format_day(int32_t day, char *buf, size_t len)
{
	int			y,
				m,
				d;

	wc_ymd_from_day(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
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
	/* the Sun: example 25.b (1992-10-13 0h TD: 199°54'21.818") and 27.a (June solstice
	 * 1962: JDE 2437837.39245), and the March equinox 2024 (03:06 UTC) */
	CHECK(fabs(meeus_sun_longitude(2448908.5) - 199.906060) < 1.0 / 3600);
	CHECK(fabs(meeus_solar_term_jde(90, 2437837.0) - 2437837.39245) < 60.0 / 86400);
	CHECK(fabs((meeus_solar_term_beijing(0, 2460390.0) - 2460389.5 - 8.0 / 24) * 1440 -
			   (3 * 60 + 6)) < 1.5);
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
						strncmp(corr[c].evidence, "new moon ", 9) == 0 &&
						strcmp(corr[c].evidence + 9, format_jd(nm, buf, sizeof(buf))) == 0;
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

/*
 * Month numbering against the rule of GB/T 33661-2017: the month holding the
 * winter solstice is month 11; in a year from one such month to the next that
 * holds 13 months, the first month without a principal solar term (中气) is the
 * leap month, numbered as the month before it. Solar terms come from Meeus ch. 25
 * with VSOP87 (about 30 s): a principal term within 5 minutes of midnight at the
 * start of a month of a 13-month year is reported as too close to call.
 */
#define NM_MAX 2300
#define ZQ_MAX 2300

static void
test_month_numbering(void)
{
	static int	nm[NM_MAX],
				label[NM_MAX];	/* month number, negated for a leap month */
	static int	zq[ZQ_MAX];
	static double zq_jd[ZQ_MAX];
	int			n_nm = 0,
				n_zq = 0,
				checked = 0,
				wrong = 0,
				close_calls = 0,
				icu_wrong = 0;
	double		k0 = round((WC_LUNAR_MIN_YEAR - 2 - 2000) * 12.3685);
	double		ws0 = 2451545.0 + (WC_LUNAR_MIN_YEAR - 2 - 2000) * 365.2422 + 355;
	char		buf[32];

	for (double k = k0; n_nm < NM_MAX; k++)
		nm[n_nm++] = meeus_day(meeus_new_moon_beijing(k));
	for (int m = 0; n_zq < ZQ_MAX; m++)
	{
		zq_jd[n_zq] = meeus_solar_term_beijing(fmod(270.0 + 30.0 * m, 360.0), ws0 + m * 30.4368);
		zq[n_zq] = meeus_day(zq_jd[n_zq]);
		n_zq++;
	}
	for (int j = 0; j < NM_MAX; j++)
		label[j] = 0;
	/* each winter solstice is zq[12 * s]; number the months of each such year */
	for (int s = 0; 12 * (s + 1) < n_zq; s++)
	{
		int			a = -1,
					b = -1,
					month = 11,
					leap_done = 0;

		for (int j = 0; j + 1 < n_nm; j++)
		{
			if (nm[j] <= zq[12 * s] && zq[12 * s] < nm[j + 1])
				a = j;
			if (nm[j] <= zq[12 * (s + 1)] && zq[12 * (s + 1)] < nm[j + 1])
				b = j;
		}
		if (a < 0 || b < 0 || b + 1 >= n_nm)
			break;
		for (int j = a; j < b; j++)
		{
			int			has_zq = 0;

			for (int z = 12 * s; z <= 12 * (s + 1); z++)
			{
				has_zq |= nm[j] <= zq[z] && zq[z] < nm[j + 1];
				/* a principal term near midnight of a month's first day */
				if ((zq[z] == nm[j] || zq[z] + 1 == nm[j]) && b - a == 13 &&
					fabs(zq_jd[z] - 2451544.5 - (double) nm[j]) * 1440 < 5 && j > a)
				{
					close_calls++;
					printf("  close to midnight: principal term %s UTC+8, month starting that day or the next\n",
						   format_jd(zq_jd[z], buf, sizeof(buf)));
				}
			}
			if (j > a && b - a == 13 && !has_zq && !leap_done)
			{
				label[j] = -(month == 1 ? 12 : month - 1);
				leap_done = 1;
				continue;
			}
			label[j] = month;
			month = month == 12 ? 1 : month + 1;
		}
	}
	for (int year = WC_LUNAR_MIN_YEAR; year <= WC_LUNAR_MAX_YEAR; year++)
	{
		WcLunarYear ly,
					raw;
		UErrorCode	st = U_ZERO_ERROR;
		int			ncorr;
		const WcLunarCorrection *corr = wc_lunar_corrections(&ncorr);

		if (wc_lunar_year(year, &ly, &st) != WC_LUNAR_OK ||
			wc_lunar_year_icu(year, &raw, &st) != WC_LUNAR_OK || raw.n != ly.n)
			continue;			/* reported by test_all_months */
		for (int i = 0; i < ly.n; i++)
		{
			int			j = 0;

			while (j < n_nm && nm[j] != ly.m[i].start)
				j++;
			checked++;
			if (j == n_nm || label[j] != (ly.m[i].leap ? -ly.m[i].month : ly.m[i].month))
			{
				wrong++;
				printf("FAIL %d month %d%s: reference says %d%s\n", year, ly.m[i].month,
					   ly.m[i].leap ? " (leap)" : "", j < n_nm ? abs(label[j]) : 0,
					   j < n_nm && label[j] < 0 ? " (leap)" : "");
			}
			else if (label[j] != (raw.m[i].leap ? -raw.m[i].month : raw.m[i].month))
			{
				int			found = 0;

				icu_wrong++;
				printf("  ICU: %d month %d%s from %s numbered wrong: reference says %d%s: corrected\n",
					   year, raw.m[i].month, raw.m[i].leap ? " (leap)" : "",
					   format_day(raw.m[i].start, buf, sizeof(buf)), abs(label[j]),
					   label[j] < 0 ? " (leap)" : "");
				/* the table records it, with the principal term that decides */
				for (int c = 0; c < ncorr; c++)
				{
					if (corr[c].year != year || corr[c].month != raw.m[i].month ||
						corr[c].leap != raw.m[i].leap || corr[c].icu_start != raw.m[i].start ||
						strncmp(corr[c].evidence, "principal term ", 15) != 0)
						continue;
					for (int z = 0; z < n_zq; z++)
						if (zq[z] >= nm[j] - 31 && zq[z] <= nm[j + 1] + 31 &&
							strcmp(corr[c].evidence + 15, format_jd(zq_jd[z], buf, sizeof(buf))) == 0)
							found++;
				}
				CHECK_INT(found, 1);
			}
		}
	}
	printf("  %d month numbers of %d-%d checked against the leap-month rule: %d wrong in raw ICU, "
		   "%d after correction, %d principal terms too close to midnight to call\n",
		   checked, WC_LUNAR_MIN_YEAR, WC_LUNAR_MAX_YEAR, icu_wrong, wrong, close_calls);
	CHECK_INT(wrong, 0);
	CHECK(checked > 2100);
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
		{1987, 6, 1, true, 1987, 7, 26},	/* 闰六月 1987: ICU says month 7 */
		{1987, 7, 7, false, 1987, 8, 30},	/* 七夕 1987: ICU says 08-01 */
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
	/* an ICU failure is reported as such, with ICU's status kept for the caller */
	{
		WcLunarYear ly;

		st = U_MEMORY_ALLOCATION_ERROR;
		CHECK_INT(wc_lunar_year_icu(2024, &ly, &st), WC_LUNAR_ICU_ERROR);
		CHECK(st == U_MEMORY_ALLOCATION_ERROR);
	}
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
	test_month_numbering();
	test_anchors();
	test_errors();
	test_roundtrip();
	UNIT_DONE();
}
