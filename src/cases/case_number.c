/*
 * case_number.c — case numbers of the ledger (UNIT-YYYY-NNNNN): SQL access to the
 * plain-C formatter/parser and the BEFORE INSERT trigger that allocates the number.
 *
 * Allocation is one INSERT ... ON CONFLICT DO UPDATE on case_number_counter: the
 * row lock serialises concurrent registrations of the same unit and year, and the
 * counter rolls back with a failed registration, so numbers have no gaps.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/date.h"

#include "compat.h"
#include "core/caseno.h"
#include "errcodes.h"
#include "values/values.h"
#include "trigcheck.h"
#include "nls.h"

#define FN "case_number_assign()"

static wc_table_ref case_ledger = WC_TABLE_REF("case_ledger");

/* Fills a WcCaseno from SQL arguments, reporting a bad part as 22023. */
static void
caseno_from_parts(text *unit, int32 year, int32 seq, WcCaseno *c)
{
	char	   *u = text_to_cstring(unit);
	WcCasenoStatus s = wc_caseno_check_unit(u, strlen(u));

	if (s == WC_CASENO_OK)
	{
		strlcpy(c->unit, u, sizeof(c->unit));
		c->year = year;
		c->seq = seq;
		if (year < WC_CASENO_YEAR_MIN || year > WC_CASENO_YEAR_MAX)
			s = WC_CASENO_BAD_YEAR;
		else if (seq < 1 || seq > WC_CASENO_SEQ_MAX)
			s = WC_CASENO_BAD_SEQ;
	}
	if (s != WC_CASENO_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid case number part: unit \"%s\", year %d, sequence %d", u, year, seq),
				 errdetail("%s.", _(wc_caseno_status_text(s)))));
}

/* Parses text as a case number, reporting defects as 22P02. */
static void
caseno_parse_or_error(const char *str, WcCaseno *c)
{
	WcCasenoStatus s = wc_caseno_parse(str, strlen(str), c);

	if (s != WC_CASENO_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for a case number: \"%s\"", str),
				 errdetail("%s.", _(wc_caseno_status_text(s))),
				 errhint("A case number reads UNIT-YYYY-NNNNN, for example LYLS-2020-00042.")));
}

PG_FUNCTION_INFO_V1(wc_case_number);
/* case_number(unit, year, seq): the canonical case number of its parts. */
Datum
wc_case_number(PG_FUNCTION_ARGS)
{
	WcCaseno	c;
	char		buf[WC_CASENO_BUFSIZE];

	caseno_from_parts(PG_GETARG_TEXT_PP(0), PG_GETARG_INT32(1), PG_GETARG_INT32(2), &c);
	if (wc_caseno_format(&c, buf) != WC_CASENO_OK)
		elog(ERROR, "case number parts checked but not formattable");
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

PG_FUNCTION_INFO_V1(wc_case_number_parts);
/* case_number_parts(text): unit, year and sequence of a (loosely written) case number. */
Datum
wc_case_number_parts(PG_FUNCTION_ARGS)
{
	char	   *str = text_to_cstring(PG_GETARG_TEXT_PP(0));
	WcCaseno	c;
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	caseno_parse_or_error(str, &c);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "case_number_parts must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = CStringGetTextDatum(c.unit);
	values[1] = Int32GetDatum(c.year);
	values[2] = Int32GetDatum(c.seq);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* Bumps the unit/year counter to at least seq (or by one when seq is 0); returns the number. */
static int32
counter_next(const char *unit, int32 year, int32 seq)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {TEXTOID, INT4OID, INT4OID};
	Datum		args[3];
	bool		isnull;
	Datum		d;

	if (plan == NULL)
	{
		plan = SPI_prepare("INSERT INTO wagecheck.case_number_counter AS c (unit_code, year, last_seq)"
						   " VALUES ($1, $2, greatest($3, 1))"
						   " ON CONFLICT (unit_code, year) DO UPDATE SET last_seq ="
						   " CASE WHEN $3 = 0 THEN c.last_seq + 1 ELSE greatest(c.last_seq, $3) END"
						   " RETURNING last_seq", 3, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
	}
	args[0] = CStringGetTextDatum(unit);
	args[1] = Int32GetDatum(year);
	args[2] = Int32GetDatum(seq);
	if (SPI_execute_plan(plan, args, NULL, false, 1) != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
		elog(ERROR, "case number counter update failed");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return DatumGetInt32(d);
}

PG_FUNCTION_INFO_V1(wc_case_number_assign);
/* BEFORE INSERT trigger on case_ledger: allocates (or checks and records) the case number. */
Datum
wc_case_number_assign(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = wc_trigger_data(fcinfo, FN);
	TupleDesc	desc;
	HeapTuple	tuple;
	int			a_no,
				a_unit,
				a_year,
				a_seq,
				a_filed;
	bool		isnull;
	char	   *unit;
	int			y,
				m,
				d;
	WcCaseno	c;
	char		buf[WC_CASENO_BUFSIZE];
	int			cols[3];
	Datum		vals[3];
	bool		nulls[3] = {false, false, false};

	wc_trigger_when(trigdata, FN, WC_TG_BEFORE | WC_TG_ROW | WC_TG_INSERT, gettext_noop("a BEFORE INSERT FOR EACH ROW"));
	wc_trigger_on_table(trigdata, FN, &case_ledger);
	tuple = trigdata->tg_trigtuple;
	desc = trigdata->tg_relation->rd_att;
	/* the number and its parts are written back: each column must have the type written */
	a_no = wc_trigger_column(trigdata, FN, "case_no", TEXTOID);
	a_unit = wc_trigger_column(trigdata, FN, "unit_code", TEXTOID);
	a_year = wc_trigger_column(trigdata, FN, "case_year", INT4OID);
	a_seq = wc_trigger_column(trigdata, FN, "case_seq", INT4OID);
	a_filed = wc_trigger_column(trigdata, FN, "filed_on", DATEOID);

	unit = SPI_getvalue(tuple, desc, a_unit);
	if (unit == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a case needs the unit that registers it (unit_code)")));
	(void) SPI_getbinval(tuple, desc, a_filed, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a case needs its filing date (filed_on)")));
	/* the year of the number: refuse first what the table's check would (infinity, 4713 BC) */
	wc_require_plausible_date(DatumGetDateADT(SPI_getbinval(tuple, desc, a_filed, &isnull)),
							  "case_ledger", "filed_on");
	j2date(DatumGetDateADT(SPI_getbinval(tuple, desc, a_filed, &isnull)) + POSTGRES_EPOCH_JDATE,
		   &y, &m, &d);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		char	   *given = SPI_getvalue(tuple, desc, a_no);

		if (given == NULL)
		{
			caseno_from_parts(cstring_to_text(unit), y, 1, &c);
			c.seq = counter_next(unit, y, 0);
		}
		else
		{
			/* a number from an existing ledger: must name this unit and filing year */
			caseno_parse_or_error(given, &c);
			if (strcmp(c.unit, unit) != 0 || c.year != y)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("case number \"%s\" does not belong to unit %s and filing year %d",
								given, unit, y),
						 errhint("Leave case_no empty to have the next number of the unit allocated.")));
			(void) counter_next(unit, y, c.seq);
		}
	}
	SPI_finish();

	if (wc_caseno_format(&c, buf) != WC_CASENO_OK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("unit %s has run out of case numbers for %d", unit, y)));
	cols[0] = a_no;
	vals[0] = CStringGetTextDatum(buf);
	cols[1] = a_year;
	vals[1] = Int32GetDatum(y);
	cols[2] = a_seq;
	vals[2] = Int32GetDatum(c.seq);
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 3, cols, vals, nulls));
}
