/*
 * indicators.h — PostgreSQL glue shared by the indicator aggregates: state
 * allocation in the aggregate's memory context, numeric/date conversion and
 * the mapping of core result codes to SQLSTATEs.
 */
#ifndef WC_INDICATORS_GLUE_H
#define WC_INDICATORS_GLUE_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"

#include "core/indicators.h"

extern void wc_indicators_init(void);
extern bool wc_ind_row_has_null(FunctionCallInfo fcinfo, int nargs, const char *aggname);
extern Datum wc_ind_unchanged(FunctionCallInfo fcinfo);
extern wc_ind_state *wc_ind_state_get(FunctionCallInfo fcinfo, wc_ind_kind kind, const char *aggname);
extern wc_ind_state *wc_ind_final_state(FunctionCallInfo fcinfo, wc_ind_kind kind, const char *aggname,
										TupleDesc *tupdesc);
extern void wc_ind_check(wc_ind_rc rc, const char *aggname);
extern int64 wc_ind_cents(Datum num, const char *aggname, const char *argname);
extern Datum wc_ind_numeric(int64 cents);
extern int32 wc_ind_day(DateADT d, const char *aggname, const char *argname);
extern int64 wc_ind_month(DateADT d, const char *aggname, const char *argname);
extern DateADT wc_ind_month_date(int64 month);

#endif							/* WC_INDICATORS_GLUE_H */
