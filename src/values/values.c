/*
 * values.c — the guards of wagecheck's money columns and business dates: the
 * CHECK constraints of src/values/once/20_constraints.sql call them, so that NaN, infinity
 * and dates far from any wage case are refused with a message naming the
 * column, instead of "Failing row contains (...)". Business dates run from
 * 2000-01-01 to 2099-12-31, business times over the same days in Beijing time.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "values/values.h"
#include "nls.h"

/* The first and last business day, as DateADT (days since 2000-01-01). */
#define WC_FIRST_DAY	((DateADT) 0)
#define WC_LAST_DAY		((DateADT) 36524)	/* 2099-12-31 */
/* Beijing time is UTC+8 all year (no daylight saving since 1991). */
#define WC_BEIJING_OFFSET	(INT64CONST(8) * USECS_PER_HOUR)
/* Business times: from 2000-01-01 00:00 to before 2100-01-01 00:00, Beijing time. */
#define WC_FIRST_TIME	((TimestampTz) (-WC_BEIJING_OFFSET))
#define WC_END_TIME		((TimestampTz) ((int64) (WC_LAST_DAY + 1) * USECS_PER_DAY - WC_BEIJING_OFFSET))

/* wc_plausible_time: is t a business time (2000-01-01 to 2099-12-31, Beijing time)? */
bool
wc_plausible_time(TimestampTz t)
{
	return t >= WC_FIRST_TIME && t < WC_END_TIME;
}

/* The units the tables' checks name (the SQL of src/values), for the message catalogue. */
static const char *const units[] pg_attribute_unused() = {
	gettext_noop("yuan"), gettext_noop("hours"), gettext_noop("days")
};

/* refuse: raises the check violation of a guard, with the fields a client reads. */
static void pg_attribute_noreturn()
refuse(const char *tab, const char *col, const char *guard, const char *msg, const char *detail)
{
	char	   *conname = psprintf("%s_%s_%s", tab, col, guard);

	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg_internal("%s", msg),
			 errdetail_internal("%s", detail),
			 err_generic_string(PG_DIAG_SCHEMA_NAME, "wagecheck"),
			 err_generic_string(PG_DIAG_TABLE_NAME, tab),
			 err_generic_string(PG_DIAG_COLUMN_NAME, col),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, conname)));
}

PG_FUNCTION_INFO_V1(wc_check_finite);
/* Guard of a numeric column (value, table, column, unit): true, or an error for NaN or infinity. */
Datum
wc_check_finite(PG_FUNCTION_ARGS)
{
	Numeric		v = PG_GETARG_NUMERIC(0);
	char	   *tab,
			   *col,
			   *unit;

	if (likely(!numeric_is_nan(v) && !numeric_is_inf(v)))
		PG_RETURN_BOOL(true);
	tab = text_to_cstring(PG_GETARG_TEXT_PP(1));
	col = text_to_cstring(PG_GETARG_TEXT_PP(2));
	unit = text_to_cstring(PG_GETARG_TEXT_PP(3));
	refuse(tab, col, "finite",
		   psprintf(_("%s.%s must be a finite number%s%s, not %s"), tab, col,
					unit[0] ? _(" of ") : "", unit[0] ? _(unit) : "", numeric_normalize(v)),
		   strcmp(unit, "yuan") == 0
		   ? psprintf(_("Check constraint \"%s_%s_finite\": NaN and infinity are not amounts of money."), tab, col)
		   : psprintf(_("Check constraint \"%s_%s_finite\": NaN and infinity are not quantities."), tab, col));
}

PG_FUNCTION_INFO_V1(wc_check_positive_fen);
/*
 * Guard of an amount that must be positive (value, table, column): true, or an
 * error for zero, a negative amount, NaN or infinity. The column keeps whole fen,
 * so an amount typed under half a fen arrives here as 0.00: the message says so.
 */
Datum
wc_check_positive_fen(PG_FUNCTION_ARGS)
{
	Numeric		v = PG_GETARG_NUMERIC(0);
	char	   *tab,
			   *col;
	int			cmp = 0;

	if (likely(!numeric_is_nan(v) && !numeric_is_inf(v)))
	{
		cmp = DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v), NumericGetDatum(int64_to_numeric(0))));
		if (likely(cmp > 0))
			PG_RETURN_BOOL(true);
	}
	tab = text_to_cstring(PG_GETARG_TEXT_PP(1));
	col = text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (numeric_is_nan(v) || numeric_is_inf(v))
		refuse(tab, col, "positive",
			   psprintf(_("%s.%s must be a finite number of yuan, not %s"), tab, col, numeric_normalize(v)),
			   psprintf(_("Check constraint \"%s_%s_positive\": NaN and infinity are not amounts of money."), tab, col));
	if (cmp == 0)
		refuse(tab, col, "positive",
			   psprintf(_("%s.%s must be at least 0.01 yuan, not 0.00"), tab, col),
			   psprintf(_("Check constraint \"%s_%s_positive\": amounts are kept in whole fen (0.01 yuan), so an amount under 0.005 yuan rounds to 0.00."), tab, col));
	refuse(tab, col, "positive",
		   psprintf(_("%s.%s must be positive, not %s"), tab, col, numeric_normalize(v)),
		   psprintf(_("Check constraint \"%s_%s_positive\": amounts here are positive (a movement's direction says which way the money goes)."), tab, col));
}

/* plausible_detail: the detail of a refused business date or time. */
static char *
plausible_detail(const char *tab, const char *col)
{
	return psprintf(_("Check constraint \"%s_%s_plausible\": business dates run from 2000-01-01 to 2099-12-31 (Beijing time); infinity is never one."),
					tab, col);
}

/* Raises the error of check constraint <tab>_<col>_plausible unless d is a business date. */
void
wc_require_plausible_date(DateADT d, const char *tab, const char *col)
{
	if (DATE_NOT_FINITE(d) || d < WC_FIRST_DAY || d > WC_LAST_DAY)
		refuse(tab, col, "plausible",
			   psprintf(_("%s.%s must be a date from 2000-01-01 to 2099-12-31, not %s"), tab, col,
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)))),
			   plausible_detail(tab, col));
}

PG_FUNCTION_INFO_V1(wc_check_plausible_date);
/* Guard of a business date (value, table, column): true, or an error for infinity or a date outside 2000-2099. */
Datum
wc_check_plausible_date(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);

	if (unlikely(DATE_NOT_FINITE(d) || d < WC_FIRST_DAY || d > WC_LAST_DAY))
		wc_require_plausible_date(d, text_to_cstring(PG_GETARG_TEXT_PP(1)), text_to_cstring(PG_GETARG_TEXT_PP(2)));
	PG_RETURN_BOOL(true);
}

PG_FUNCTION_INFO_V1(wc_check_plausible_time);
/* Guard of a business time (value, table, column): true, or an error for infinity or a time outside 2000-2099 (Beijing time). */
Datum
wc_check_plausible_time(PG_FUNCTION_ARGS)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(0);
	char	   *tab,
			   *col;

	if (likely(!TIMESTAMP_NOT_FINITE(t) && t >= WC_FIRST_TIME && t < WC_END_TIME))
		PG_RETURN_BOOL(true);
	tab = text_to_cstring(PG_GETARG_TEXT_PP(1));
	col = text_to_cstring(PG_GETARG_TEXT_PP(2));
	refuse(tab, col, "plausible",
		   psprintf(_("%s.%s must be a time from 2000-01-01 to 2099-12-31 (Beijing time), not %s"), tab, col,
					DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t)))),
		   plausible_detail(tab, col));
}
