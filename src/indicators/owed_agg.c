/*
 * owed_agg.c — wagecheck.owed_agg(month, payable, paid): wages owed per worker
 * (or any group), with the longest run of consecutive months owed.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "indicators/indicators.h"

#define AGG "owed_agg"

PG_FUNCTION_INFO_V1(wc_owed_agg_trans);
/* Transition: adds one (month, payable, paid) row; rows with a NULL are ignored. */
Datum
wc_owed_agg_trans(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;

	if (wc_ind_row_has_null(fcinfo, 3, AGG))
		return wc_ind_unchanged(fcinfo);
	st = wc_ind_state_get(fcinfo, WC_KIND_OWED, AGG);
	wc_ind_check(wc_owed_add(st,
							 wc_ind_month(PG_GETARG_DATEADT(1), AGG, "month"),
							 wc_ind_cents(PG_GETARG_DATUM(2), AGG, "payable"),
							 wc_ind_cents(PG_GETARG_DATUM(3), AGG, "paid")), AGG);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(wc_owed_agg_final);
/* Final: the wagecheck.owed_summary of the group. */
Datum
wc_owed_agg_final(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;
	wc_owed_result r;
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10] = {0};

	st = wc_ind_final_state(fcinfo, WC_KIND_OWED, AGG, &tupdesc);
	wc_ind_check(wc_owed_final(st, &r), AGG);
	values[0] = wc_ind_numeric(r.payable);
	values[1] = wc_ind_numeric(r.paid);
	values[2] = wc_ind_numeric(r.owed);
	values[3] = Int32GetDatum(r.months);
	values[4] = Int32GetDatum(r.months_owed);
	values[5] = Int32GetDatum(r.longest_run);
	values[6] = Int32GetDatum(r.current_run);
	values[7] = DateADTGetDatum(wc_ind_month_date(r.longest_run_start));
	values[8] = DateADTGetDatum(wc_ind_month_date(r.oldest_unpaid));
	values[9] = DateADTGetDatum(wc_ind_month_date(r.last_month));
	nulls[7] = nulls[8] = (r.months_owed == 0);
	nulls[9] = (r.months == 0);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
