/*
 * workday_sql.c — SQL functions of working-day arithmetic (is_working_day,
 * add_working_days, working_days_between, pay_day) over the cached holiday table.
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "calendar/calendar.h"
#include "nls.h"

#define DATE_LO ((int32) (DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE))
#define DATE_HI ((int32) (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE - 1))

/* Rejects 'infinity' and '-infinity', which have no working days. */
static void
check_finite(DateADT d)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("working-day arithmetic needs a finite date, not \"%s\"",
						DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity")));
}

/* Raises the error of a result beyond PostgreSQL's date range. */
static void
report_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("date out of range"),
			 errdetail("The working day asked for falls outside the dates PostgreSQL can store.")));
}

PG_FUNCTION_INFO_V1(wagecheck_is_working_day);
/* is_working_day(date): a working day per the holiday table, else Monday-Friday. */
Datum
wagecheck_is_working_day(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	const WcWorkCalendar *cal;

	check_finite(d);
	cal = wc_holiday_calendar();
	wc_holiday_note_years(d, d);
	PG_RETURN_BOOL(wc_is_working_day(cal, d));
}

PG_FUNCTION_INFO_V1(wagecheck_add_working_days);
/* add_working_days(date, int): the n-th working day after (n < 0: before) a date. */
Datum
wagecheck_add_working_days(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	int32		n = PG_GETARG_INT32(1);
	const WcWorkCalendar *cal;
	int32		result;

	check_finite(d);
	cal = wc_holiday_calendar();
	if (wc_add_working_days(cal, d, n, DATE_LO, DATE_HI, &result) != WC_WORK_OK)
		report_out_of_range();
	wc_holiday_note_years(d, result);
	PG_RETURN_DATEADT(result);
}

PG_FUNCTION_INFO_V1(wagecheck_working_days_between);
/* working_days_between(a, b): working days in (a, b], negated when b < a. */
Datum
wagecheck_working_days_between(PG_FUNCTION_ARGS)
{
	DateADT		a = PG_GETARG_DATEADT(0);
	DateADT		b = PG_GETARG_DATEADT(1);
	const WcWorkCalendar *cal;

	check_finite(a);
	check_finite(b);
	cal = wc_holiday_calendar();
	wc_holiday_note_years(a, b);
	/* |result| <= days between two valid dates < 2^31: always fits */
	PG_RETURN_INT32((int32) wc_working_days_between(cal, a, b));
}

PG_FUNCTION_INFO_V1(wagecheck_pay_day);
/* pay_day(date): the date when it is a working day, else the last working day before it. */
Datum
wagecheck_pay_day(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	const WcWorkCalendar *cal;
	int32		result;

	check_finite(d);
	cal = wc_holiday_calendar();
	if (wc_pay_day(cal, d, DATE_LO, &result) != WC_WORK_OK)
		report_out_of_range();
	wc_holiday_note_years(result, d);
	PG_RETURN_DATEADT(result);
}
