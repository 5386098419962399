/*
 * roster_months_agg.c — wagecheck.roster_months_agg(worker, start_on, end_on,
 * today): the workers on a project's roster per month, as the months the count
 * changes and the count from each (a worker once per month, whatever his entries).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"

#include "indicators/indicators.h"
#include "nls.h"

#define AGG "roster_months_agg"

PG_FUNCTION_INFO_V1(wc_roster_months_agg_trans);
/*
 * Transition: adds one roster entry, from the month of start_on to the month of the
 * earlier of end_on (NULL: open) and today; rows without worker, start_on or today
 * are ignored.
 */
Datum
wc_roster_months_agg_trans(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;
	DateADT		last;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4))
	{
		if (!AggCheckCallContext(fcinfo, NULL))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("%s transition function called in non-aggregate context", AGG)));
		return wc_ind_unchanged(fcinfo);
	}
	st = wc_ind_state_get(fcinfo, WC_KIND_ROSTER, AGG);
	last = PG_GETARG_DATEADT(4);
	if (!PG_ARGISNULL(3) && PG_GETARG_DATEADT(3) < last)
		last = PG_GETARG_DATEADT(3);
	wc_ind_check(wc_roster_add(st, PG_GETARG_INT64(1),
							   wc_ind_month(PG_GETARG_DATEADT(2), AGG, "start_on"),
							   wc_ind_month(last, AGG, "end_on")), AGG);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(wc_roster_months_agg_final);
/* Final: the wagecheck.roster_months of the group (months ascending). */
Datum
wc_roster_months_agg_final(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;
	TupleDesc	tupdesc;
	int64	   *months;
	int64	   *counts;
	Datum	   *mdat;
	Datum	   *cdat;
	uint32		n;
	Datum		values[2];
	bool		nulls[2] = {0};

	st = wc_ind_final_state(fcinfo, WC_KIND_ROSTER, AGG, &tupdesc);
	months = palloc(sizeof(int64) * 2 * ((Size) st->n + 1));
	counts = palloc(sizeof(int64) * 2 * ((Size) st->n + 1));
	wc_ind_check(wc_roster_final(st, months, counts, &n), AGG);
	mdat = palloc(sizeof(Datum) * ((Size) n + 1));
	cdat = palloc(sizeof(Datum) * ((Size) n + 1));
	for (uint32 i = 0; i < n; i++)
	{
		mdat[i] = DateADTGetDatum(wc_ind_month_date(months[i]));
		cdat[i] = Int64GetDatum(counts[i]);
	}
	values[0] = PointerGetDatum(construct_array(mdat, (int) n, DATEOID, sizeof(DateADT), true, TYPALIGN_INT));
	values[1] = PointerGetDatum(construct_array(cdat, (int) n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
