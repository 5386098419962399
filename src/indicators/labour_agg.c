/*
 * labour_agg.c — wagecheck.labour_cost_agg(on, due, paid, as_of): labour cost
 * due by the schedule against payments into the dedicated account, as of a day.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "indicators/indicators.h"

#define AGG "labour_cost_agg"

PG_FUNCTION_INFO_V1(wc_labour_agg_trans);
/* Transition: adds a schedule row (due) and/or an inflow (paid) on one day; NULL rows ignored. */
Datum
wc_labour_agg_trans(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;

	if (wc_ind_row_has_null(fcinfo, 4, AGG))
		return wc_ind_unchanged(fcinfo);
	st = wc_ind_state_get(fcinfo, WC_KIND_LABOUR, AGG);
	wc_ind_check(wc_labour_add(st,
							   wc_ind_day(PG_GETARG_DATEADT(1), AGG, "on"),
							   wc_ind_cents(PG_GETARG_DATUM(2), AGG, "due"),
							   wc_ind_cents(PG_GETARG_DATUM(3), AGG, "paid"),
							   wc_ind_day(PG_GETARG_DATEADT(4), AGG, "as_of")), AGG);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(wc_labour_agg_final);
/* Final: the wagecheck.labour_cost_summary of the group. */
Datum
wc_labour_agg_final(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;
	wc_labour_result r;
	TupleDesc	tupdesc;
	Datum		values[9];
	bool		nulls[9] = {0};

	st = wc_ind_final_state(fcinfo, WC_KIND_LABOUR, AGG, &tupdesc);
	wc_ind_check(wc_labour_final(st, &r), AGG);
	values[0] = wc_ind_numeric(r.due);
	values[1] = wc_ind_numeric(r.paid);
	values[2] = wc_ind_numeric(r.shortfall);
	values[3] = wc_ind_numeric(r.not_yet_due);
	values[4] = Int32GetDatum(r.days_overdue);
	values[5] = Int32GetDatum(r.max_days_late);
	values[6] = Int32GetDatum(r.late_count);
	values[7] = DateADTGetDatum((DateADT) r.oldest_uncovered);
	values[8] = DateADTGetDatum((DateADT) st->as_of);
	nulls[7] = !r.has_uncovered;
	nulls[8] = !st->has_as_of;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
