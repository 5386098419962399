/*
 * lunar.h — the Chinese (lunisolar) calendar: ICU's "@calendar=chinese" with a
 * table of corrections where ICU's approximate astronomy puts a month start on
 * the wrong day (see lunar.c for the table and the evidence).
 *
 * Plain C (no postgres.h). Days are counted from 2000-01-01, as in workday.h.
 * Every ICU object is opened and closed inside one call of these functions,
 * which never longjmp: no ICU handle outlives a call or leaks on an error path.
 */
#ifndef WC_CORE_LUNAR_H
#define WC_CORE_LUNAR_H

#include <stdbool.h>
#include <stdint.h>

#include <unicode/utypes.h>

/* Lunar years whose months are verified against a precise new-moon computation. */
#define WC_LUNAR_MIN_YEAR 1929
#define WC_LUNAR_MAX_YEAR 2100

/* One lunar month: its number (1-12), whether it is the leap month, its first day. */
typedef struct WcLunarMonth
{
	int			month;
	bool		leap;
	int32_t		start;
} WcLunarMonth;

/*
 * A lunar year (the one starting in Gregorian year `year`): its 12 or 13 months
 * in order, then in m[n] the first month of the next lunar year as a sentinel,
 * so month i lasts m[i + 1].start - m[i].start days.
 */
typedef struct WcLunarYear
{
	int			year;
	int			n;
	WcLunarMonth m[14];
} WcLunarYear;

/* Outcome of a lunar computation. */
typedef enum WcLunarStatus
{
	WC_LUNAR_OK = 0,
	WC_LUNAR_YEAR_RANGE,		/* year outside WC_LUNAR_MIN_YEAR..WC_LUNAR_MAX_YEAR */
	WC_LUNAR_BAD_MONTH,			/* month outside 1..12, or no such leap month that year */
	WC_LUNAR_BAD_DAY,			/* day outside 1..29 or 1..30 for that month */
	WC_LUNAR_ICU_ERROR			/* ICU failed; the UErrorCode says why */
} WcLunarStatus;

/* A month ICU gets wrong: its start day, or its number (the leap month's place). */
typedef struct WcLunarCorrection
{
	int			year;			/* lunar year (Gregorian year of its first day) */
	int			month;			/* the month as ICU (72) numbers it */
	bool		leap;
	int32_t		icu_start;		/* the day ICU gives */
	int32_t		start;			/* the official day: the new moon's day at UTC+8 */
	int			official_month;	/* the official number and leap flag */
	bool		official_leap;
	const char *evidence;		/* the new moon or solar term (UTC+8) that decides */
} WcLunarCorrection;

/* The table of corrections, sorted by start. */
extern const WcLunarCorrection *wc_lunar_corrections(int *n);

/* ICU's months of a lunar year, uncorrected (for the unit test's comparison). */
extern WcLunarStatus wc_lunar_year_icu(int year, WcLunarYear *out, UErrorCode *status);

/* The official months of a lunar year: ICU's, with the corrections applied. */
extern WcLunarStatus wc_lunar_year(int year, WcLunarYear *out, UErrorCode *status);

/* The Gregorian day of a lunar date. */
extern WcLunarStatus wc_lunar_to_day(int year, int month, bool leap, int mday,
									 int32_t *day, UErrorCode *status);

/* The lunar date of a Gregorian day. */
extern WcLunarStatus wc_lunar_from_day(int32_t day, int *year, int *month, bool *leap,
									   int *mday, UErrorCode *status);

#endif							/* WC_CORE_LUNAR_H */
