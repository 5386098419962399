/*
 * lunar.c — Chinese calendar months from ICU's "@calendar=chinese", corrected
 * where ICU's approximate astronomy misplaces a new moon that falls within
 * minutes of midnight Beijing time (UTC+8).
 *
 * The corrections were found by test/unit/test_lunar.c, which computes every
 * new moon of 1929-2100 with Meeus' algorithm (Astronomical Algorithms, ch. 49,
 * all periodic and planetary terms, with ΔT) and compares ICU's month starts
 * against the day of each new moon at UTC+8; it fails if ICU and this table
 * ever disagree with that reference again (for instance after an ICU upgrade).
 */
#include "core/lunar.h"

#include <stddef.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "core/workday.h"

#define MS_PER_DAY 86400000.0
#define MS_2000 946684800000.0	/* 2000-01-01 00:00 UTC in ms since 1970 */
#define CHINESE_YEAR_OFFSET 2637	/* ICU extended year = Gregorian year + 2637 */


/*
 * Months ICU 72 gets wrong, 1929-2100: all that test/unit/test_lunar.c finds.
 * A month starts on the day (UTC+8) of its new moon, and in a year of 13 months
 * the first month without a principal solar term (中气) is the leap month
 * (GB/T 33661-2017, 农历的编算和颁行). Each instant is the reference's (Meeus
 * ch. 49 for new moons, ch. 25 with VSOP87 for solar terms, ΔT by Espenak &
 * Meeus) in Beijing time. 2057's new moon falls 2 s before midnight, inside the
 * uncertainty of ΔT for 2057: it follows the reference, and is flagged in the test.
 */
static const struct
{
	int			year,
				month;
	bool		leap;
	int			icu_y,
				icu_m,
				icu_d;
	int			y,
				m,
				d;
	int			official_month;
	bool		official_leap;
	const char *evidence;
}			correction_src[] = {
	/* month starts: ICU's day is one off from the new moon's */
	{1954, 1, false, 1954, 2, 4, 1954, 2, 3, 1, false, "new moon 1954-02-03 23:55:20"},	/* 春节 */
	{1955, 2, false, 1955, 2, 23, 1955, 2, 22, 2, false, "new moon 1955-02-22 23:54:22"},
	{1998, 12, false, 1999, 1, 18, 1999, 1, 17, 12, false, "new moon 1999-01-17 23:46:14"},
	{2012, 7, false, 2012, 8, 18, 2012, 8, 17, 7, false, "new moon 2012-08-17 23:54:30"},
	{2018, 10, false, 2018, 11, 7, 2018, 11, 8, 10, false, "new moon 2018-11-08 00:02:03"},
	{2027, 1, false, 2027, 2, 7, 2027, 2, 6, 1, false, "new moon 2027-02-06 23:56:03"},	/* 春节 */
	{2030, 1, false, 2030, 2, 2, 2030, 2, 3, 1, false, "new moon 2030-02-03 00:07:28"},	/* 春节 */
	{2057, 9, false, 2057, 9, 29, 2057, 9, 28, 9, false, "new moon 2057-09-28 23:59:58"},
	{2070, 2, false, 2070, 3, 13, 2070, 3, 12, 2, false, "new moon 2070-03-12 23:51:58"},
	/* 1987: 处暑 falls after midnight, so the month of 07-26 has no principal term: 闰六月 */
	{1987, 7, false, 1987, 7, 26, 1987, 7, 26, 6, true, "principal term 1987-08-24 00:09:47"},
	{1987, 7, true, 1987, 8, 24, 1987, 8, 24, 7, false, "principal term 1987-08-24 00:09:47"},
	{0, 0, false, 0, 0, 0, 0, 0, 0, 0, false, NULL}
};

#define N_CORRECTIONS ((int) (sizeof(correction_src) / sizeof(correction_src[0])) - 1)

static WcLunarCorrection corrections[N_CORRECTIONS > 0 ? N_CORRECTIONS : 1];
static bool corrections_ready;

/* The table of corrections, with day numbers filled in on first use. */
const WcLunarCorrection *
wc_lunar_corrections(int *n)
{
	if (!corrections_ready)
	{
		for (int i = 0; i < N_CORRECTIONS; i++)
		{
			corrections[i].year = correction_src[i].year;
			corrections[i].month = correction_src[i].month;
			corrections[i].leap = correction_src[i].leap;
			corrections[i].icu_start = wc_day_from_ymd(correction_src[i].icu_y,
													   correction_src[i].icu_m,
													   correction_src[i].icu_d);
			corrections[i].start = wc_day_from_ymd(correction_src[i].y, correction_src[i].m,
												   correction_src[i].d);
			corrections[i].official_month = correction_src[i].official_month;
			corrections[i].official_leap = correction_src[i].official_leap;
			corrections[i].evidence = correction_src[i].evidence;
		}
		corrections_ready = true;
	}
	*n = N_CORRECTIONS;
	return corrections;
}

/* Opens a Chinese calendar in UTC, so that ICU's day boundaries are our days. */
static UCalendar *
open_chinese(UErrorCode *status)
{
	static const UChar utc[] = {'U', 'T', 'C', 0};

	return ucal_open(utc, -1, "en@calendar=chinese", UCAL_DEFAULT, status);
}

/* Reads ICU's lunar fields at noon of a day. */
static void
fields_at(UCalendar *cal, int32_t day, int *ext_year, int *month, bool *leap, int *mday,
		  UErrorCode *status)
{
	ucal_setMillis(cal, MS_2000 + ((double) day + 0.5) * MS_PER_DAY, status);
	*ext_year = ucal_get(cal, UCAL_EXTENDED_YEAR, status);
	*month = ucal_get(cal, UCAL_MONTH, status) + 1;
	*leap = ucal_get(cal, UCAL_IS_LEAP_MONTH, status) != 0;
	*mday = ucal_get(cal, UCAL_DATE, status);
}

/* Fills a year's months from an open calendar; ICU status reports failures. */
static WcLunarStatus
year_from_icu(UCalendar *cal, int year, WcLunarYear *out, UErrorCode *status)
{
	int			ext,
				month,
				mday;
	bool		leap;
	int32_t		start;

	ucal_clear(cal);
	ucal_set(cal, UCAL_EXTENDED_YEAR, year + CHINESE_YEAR_OFFSET);
	ucal_set(cal, UCAL_MONTH, 0);
	ucal_set(cal, UCAL_IS_LEAP_MONTH, 0);
	ucal_set(cal, UCAL_DATE, 1);
	start = (int32_t) ((ucal_getMillis(cal, status) - MS_2000) / MS_PER_DAY);
	if (U_FAILURE(*status))
		return WC_LUNAR_ICU_ERROR;
	out->year = year;
	out->n = 0;
	for (;;)
	{
		fields_at(cal, start, &ext, &month, &leap, &mday, status);
		if (U_FAILURE(*status))
			return WC_LUNAR_ICU_ERROR;
		if (mday != 1 || out->n > 13 ||
			(ext != year + CHINESE_YEAR_OFFSET && (ext != year + CHINESE_YEAR_OFFSET + 1 || out->n < 12)))
		{
			*status = U_INTERNAL_PROGRAM_ERROR;	/* ICU's months do not chain */
			return WC_LUNAR_ICU_ERROR;
		}
		out->m[out->n].month = month;
		out->m[out->n].leap = leap;
		out->m[out->n].start = start;
		if (ext != year + CHINESE_YEAR_OFFSET)
			break;				/* the sentinel: next year's first month */
		out->n++;
		/* a lunar month has 29 or 30 days */
		fields_at(cal, start + 29, &ext, &month, &leap, &mday, status);
		if (U_FAILURE(*status))
			return WC_LUNAR_ICU_ERROR;
		start += (mday == 1) ? 29 : 30;
	}
	return WC_LUNAR_OK;
}

/* ICU's months of a lunar year, uncorrected. */
WcLunarStatus
wc_lunar_year_icu(int year, WcLunarYear *out, UErrorCode *status)
{
	UCalendar  *cal;
	WcLunarStatus rc;

	if (year < WC_LUNAR_MIN_YEAR || year > WC_LUNAR_MAX_YEAR)
		return WC_LUNAR_YEAR_RANGE;
	cal = open_chinese(status);
	if (U_FAILURE(*status))
	{
		if (cal)
			ucal_close(cal);
		return WC_LUNAR_ICU_ERROR;
	}
	rc = year_from_icu(cal, year, out, status);
	ucal_close(cal);
	return rc;
}

/* Corrected years already computed in this process (ICU's astronomy is slow). */
static WcLunarYear year_cache[WC_LUNAR_MAX_YEAR - WC_LUNAR_MIN_YEAR + 1];
static bool year_cached[WC_LUNAR_MAX_YEAR - WC_LUNAR_MIN_YEAR + 1];

/* The official months of a lunar year: ICU's with the corrections applied. */
WcLunarStatus
wc_lunar_year(int year, WcLunarYear *out, UErrorCode *status)
{
	WcLunarStatus rc;
	const WcLunarCorrection *c;
	int			nc;

	if (year >= WC_LUNAR_MIN_YEAR && year <= WC_LUNAR_MAX_YEAR &&
		year_cached[year - WC_LUNAR_MIN_YEAR])
	{
		*out = year_cache[year - WC_LUNAR_MIN_YEAR];
		return WC_LUNAR_OK;
	}
	rc = wc_lunar_year_icu(year, out, status);
	if (rc != WC_LUNAR_OK)
		return rc;
	c = wc_lunar_corrections(&nc);
	for (int i = 0; i <= out->n; i++)
	{
		int			y = (i == out->n) ? year + 1 : year;

		for (int k = 0; k < nc; k++)
			if (c[k].year == y && c[k].month == out->m[i].month &&
				c[k].leap == out->m[i].leap && c[k].icu_start == out->m[i].start)
			{
				out->m[i].start = c[k].start;
				out->m[i].month = c[k].official_month;
				out->m[i].leap = c[k].official_leap;
				break;
			}
	}
	year_cache[year - WC_LUNAR_MIN_YEAR] = *out;
	year_cached[year - WC_LUNAR_MIN_YEAR] = true;
	return WC_LUNAR_OK;
}

/* The Gregorian day of a lunar date. */
WcLunarStatus
wc_lunar_to_day(int year, int month, bool leap, int mday, int32_t *day, UErrorCode *status)
{
	WcLunarYear ly;
	WcLunarStatus rc;

	if (year < WC_LUNAR_MIN_YEAR || year > WC_LUNAR_MAX_YEAR)
		return WC_LUNAR_YEAR_RANGE;
	if (month < 1 || month > 12)
		return WC_LUNAR_BAD_MONTH;
	if (mday < 1 || mday > 30)
		return WC_LUNAR_BAD_DAY;
	rc = wc_lunar_year(year, &ly, status);
	if (rc != WC_LUNAR_OK)
		return rc;
	for (int i = 0; i < ly.n; i++)
	{
		if (ly.m[i].month == month && ly.m[i].leap == leap)
		{
			if (mday > ly.m[i + 1].start - ly.m[i].start)
				return WC_LUNAR_BAD_DAY;
			*day = ly.m[i].start + mday - 1;
			return WC_LUNAR_OK;
		}
	}
	return WC_LUNAR_BAD_MONTH;
}

/* The lunar date of a Gregorian day. */
WcLunarStatus
wc_lunar_from_day(int32_t day, int *year, int *month, bool *leap, int *mday,
				  UErrorCode *status)
{
	WcLunarYear ly;
	WcLunarStatus rc;
	int			y;

	/* the lunar year starting in the day's Gregorian year, or the one before */
	wc_ymd_from_day(day, &y, month, mday);
	if (y - 1 > WC_LUNAR_MAX_YEAR || y < WC_LUNAR_MIN_YEAR)
		return WC_LUNAR_YEAR_RANGE;
	if (y > WC_LUNAR_MAX_YEAR)
		y = WC_LUNAR_MAX_YEAR;
	rc = wc_lunar_year(y, &ly, status);
	if (rc == WC_LUNAR_OK && day < ly.m[0].start)
	{
		if (y == WC_LUNAR_MIN_YEAR)
			return WC_LUNAR_YEAR_RANGE;
		rc = wc_lunar_year(--y, &ly, status);
	}
	if (rc != WC_LUNAR_OK)
		return rc;
	if (day >= ly.m[ly.n].start)
		return WC_LUNAR_YEAR_RANGE;	/* only after the last supported year */
	for (int i = ly.n - 1; i >= 0; i--)
	{
		if (day >= ly.m[i].start)
		{
			*year = y;
			*month = ly.m[i].month;
			*leap = ly.m[i].leap;
			*mday = day - ly.m[i].start + 1;
			return WC_LUNAR_OK;
		}
	}
	return WC_LUNAR_YEAR_RANGE;		/* not reached: day >= m[0].start */
}
