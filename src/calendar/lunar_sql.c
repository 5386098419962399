/*
 * lunar_sql.c — SQL functions of the Chinese calendar (lunar_to_gregorian,
 * gregorian_to_lunar) over src/core/lunar.c.
 *
 * ICU handles never cross into this file: src/core/lunar.c opens and closes
 * them within one plain-C call that cannot throw, and errors are raised here
 * only after it returned, so no error path can leak an ICU object.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"

#include <unicode/utypes.h>

#include "core/lunar.h"
#include "nls.h"

/* SQLSTATE for an ICU failure: out of memory, missing ICU data, or a failure of ICU. */
static int
icu_sqlstate(UErrorCode status)
{
	switch (status)
	{
		case U_MEMORY_ALLOCATION_ERROR:
			return ERRCODE_OUT_OF_MEMORY;
		case U_MISSING_RESOURCE_ERROR:
		case U_FILE_ACCESS_ERROR:
			return ERRCODE_UNDEFINED_FILE;
		case U_ILLEGAL_ARGUMENT_ERROR:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		default:
			return ERRCODE_EXTERNAL_ROUTINE_EXCEPTION;
	}
}

/* Raises the error for a failed lunar computation of year/month/day. */
static void
report_lunar_error(WcLunarStatus rc, UErrorCode status, int year, int month, bool leap, int day)
{
	switch (rc)
	{
		case WC_LUNAR_OK:
			return;
		case WC_LUNAR_YEAR_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("lunar year %d is out of range", year),
					 errdetail("wagecheck computes the Chinese calendar for lunar years %d to %d.",
							   WC_LUNAR_MIN_YEAR, WC_LUNAR_MAX_YEAR)));
			break;
		case WC_LUNAR_BAD_MONTH:
			{
				WcLunarYear ly;
				UErrorCode	st = U_ZERO_ERROR;
				int			leap_month = 0;

				if (month < 1 || month > 12)
					ereport(ERROR,
							(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							 errmsg("lunar month %d is out of range", month),
							 errdetail("Lunar months are numbered 1 to 12; a leap month (闰月) has the number of the month before it, with leap = true.")));
				if (wc_lunar_year(year, &ly, &st) == WC_LUNAR_OK)
					for (int i = 0; i < ly.n; i++)
						if (ly.m[i].leap)
							leap_month = ly.m[i].month;
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("lunar year %d has no leap month %d", year, month),
						 leap_month ? errdetail("The leap month of lunar year %d is month %d.", year, leap_month)
						 : errdetail("Lunar year %d has no leap month.", year)));
			}
			break;
		case WC_LUNAR_BAD_DAY:
			{
				WcLunarYear ly;
				UErrorCode	st = U_ZERO_ERROR;
				int			len = 0;

				if (day >= 1 && wc_lunar_year(year, &ly, &st) == WC_LUNAR_OK)
					for (int i = 0; i < ly.n; i++)
						if (ly.m[i].month == month && ly.m[i].leap == leap)
							len = ly.m[i + 1].start - ly.m[i].start;
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("lunar day %d does not exist in %smonth %d of lunar year %d",
								day, leap ? _("leap ") : "", month, year),
						 len ? errdetail("That month has %d days.", len)
						 : errdetail("A lunar month has 29 or 30 days.")));
			}
			break;
		case WC_LUNAR_ICU_ERROR:
			ereport(ERROR,
					(errcode(icu_sqlstate(status)),
					 errmsg("ICU could not compute the Chinese calendar"),
					 errdetail("ICU error %s.", u_errorName(status))));
			break;
	}
}

PG_FUNCTION_INFO_V1(wagecheck_lunar_to_gregorian);
/* lunar_to_gregorian(year, month, day, leap): the date of a Chinese-calendar date. */
Datum
wagecheck_lunar_to_gregorian(PG_FUNCTION_ARGS)
{
	int32		year = PG_GETARG_INT32(0);
	int32		month = PG_GETARG_INT32(1);
	int32		mday = PG_GETARG_INT32(2);
	bool		leap = PG_GETARG_BOOL(3);
	int32_t		day;
	UErrorCode	status = U_ZERO_ERROR;
	WcLunarStatus rc;

	rc = wc_lunar_to_day(year, month, leap, mday, &day, &status);
	report_lunar_error(rc, status, year, month, leap, mday);
	PG_RETURN_DATEADT(day);
}

PG_FUNCTION_INFO_V1(wagecheck_gregorian_to_lunar);
/* gregorian_to_lunar(date): the Chinese-calendar year, month, day and leap flag. */
Datum
wagecheck_gregorian_to_lunar(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int			year,
				month,
				mday;
	bool		leap;
	UErrorCode	status = U_ZERO_ERROR;
	WcLunarStatus rc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("an infinite date has no lunar date")));
	rc = wc_lunar_from_day(d, &year, &month, &leap, &mday, &status);
	if (rc == WC_LUNAR_YEAR_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date %s is outside the supported lunar years",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)))),
				 errdetail("wagecheck computes the Chinese calendar for lunar years %d to %d.",
						   WC_LUNAR_MIN_YEAR, WC_LUNAR_MAX_YEAR)));
	report_lunar_error(rc, status, 0, 0, false, 0);
	values[0] = Int32GetDatum(year);
	values[1] = Int32GetDatum(month);
	values[2] = Int32GetDatum(mday);
	values[3] = BoolGetDatum(leap);
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
