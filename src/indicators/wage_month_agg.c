/*
 * wage_month_agg.c — wagecheck.wage_month_agg(payable, net, paid, payments):
 * one month's pay sheets of a project summed over its wage_month rows in one
 * call per row, in whole cents (the sums and counts the indicator views need).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "indicators/indicators.h"

#define AGG "wage_month_agg"

PG_FUNCTION_INFO_V1(wc_wage_month_agg_trans);
/* Transition: adds one worker's month; rows with a NULL are ignored. */
Datum
wc_wage_month_agg_trans(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;
	int64		payable,
				net,
				paid;

	if (wc_ind_row_has_null(fcinfo, 4, AGG))
		return wc_ind_unchanged(fcinfo);
	st = wc_ind_state_get(fcinfo, WC_KIND_WAGES, AGG);
	payable = wc_ind_cents(PG_GETARG_DATUM(1), AGG, "payable");
	net = wc_ind_cents(PG_GETARG_DATUM(2), AGG, "net");
	paid = wc_ind_cents(PG_GETARG_DATUM(3), AGG, "paid");
	wc_ind_check(wc_wages_add(st, payable, net, paid, PG_GETARG_INT32(4)), AGG);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(wc_wage_month_agg_final);
/* Final: the wagecheck.wage_month_summary of the group. */
Datum
wc_wage_month_agg_final(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;
	wc_wages_result r;
	TupleDesc	tupdesc;
	Datum		values[8];
	bool		nulls[8] = {0};

	st = wc_ind_final_state(fcinfo, WC_KIND_WAGES, AGG, &tupdesc);
	wc_ind_check(wc_wages_final(st, &r), AGG);
	values[0] = wc_ind_numeric(r.payable);
	values[1] = wc_ind_numeric(r.net);
	values[2] = wc_ind_numeric(r.paid);
	values[3] = wc_ind_numeric(r.owed);
	values[4] = Int64GetDatum(r.workers_owed);
	values[5] = Int64GetDatum(r.workers);
	values[6] = Int64GetDatum(r.workers_paid);
	values[7] = Int64GetDatum(r.payments);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
