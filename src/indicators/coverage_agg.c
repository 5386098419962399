/*
 * coverage_agg.c — wagecheck.coverage_agg(worker, rostered, attended,
 * on_payroll, paid): distinct workers of a group by what was seen of them.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "indicators/indicators.h"

#define AGG "coverage_agg"

PG_FUNCTION_INFO_V1(wc_coverage_agg_trans);
/* Transition: ORs one row's flags into its worker's entry; rows with a NULL are ignored. */
Datum
wc_coverage_agg_trans(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;
	unsigned	flags = 0;

	if (wc_ind_row_has_null(fcinfo, 5, AGG))
		return wc_ind_unchanged(fcinfo);
	st = wc_ind_state_get(fcinfo, WC_KIND_COVERAGE, AGG);
	flags |= PG_GETARG_BOOL(2) ? WC_COV_ROSTERED : 0;
	flags |= PG_GETARG_BOOL(3) ? WC_COV_ATTENDED : 0;
	flags |= PG_GETARG_BOOL(4) ? WC_COV_ON_PAYROLL : 0;
	flags |= PG_GETARG_BOOL(5) ? WC_COV_PAID : 0;
	wc_ind_check(wc_coverage_add(st, PG_GETARG_INT64(1), flags, PG_GETARG_BOOL(5) ? 1 : 0), AGG);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(wc_coverage_agg_final);
/* Final: the wagecheck.coverage_summary of the group. */
Datum
wc_coverage_agg_final(PG_FUNCTION_ARGS)
{
	wc_ind_state *st;
	wc_coverage_result r;
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10] = {0};

	st = wc_ind_final_state(fcinfo, WC_KIND_COVERAGE, AGG, &tupdesc);
	wc_ind_check(wc_coverage_final(st, &r), AGG);
	values[0] = Int64GetDatum(r.workers);
	values[1] = Int64GetDatum(r.rostered);
	values[2] = Int64GetDatum(r.attended);
	values[3] = Int64GetDatum(r.on_payroll);
	values[4] = Int64GetDatum(r.paid);
	values[5] = Int64GetDatum(r.attended_on_payroll);
	values[6] = Int64GetDatum(r.attended_paid);
	values[7] = Int64GetDatum(r.attended_not_rostered);
	values[8] = Int64GetDatum(r.paid_not_rostered);
	values[9] = Int64GetDatum(r.payments);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
