/*
 * kept_plans.h — what the summaries' C triggers share: their statements, prepared once per
 * backend and kept, and the growing columns of Datums they pass to them as arrays.
 */
#ifndef WAGECHECK_KEPT_PLANS_H
#define WAGECHECK_KEPT_PLANS_H

#include "postgres.h"

#include "executor/spi.h"

#define WC_KEPT_MAX_ARGS 9

/* One statement: its text, argument types, and cursor options (0: a generic plan). */
typedef struct wc_kept_sql
{
	const char *sql;
	int			nargs;
	Oid			types[WC_KEPT_MAX_ARGS];
	int			options;
} wc_kept_sql;

/* A growing column of Datums, with NULL flags. */
typedef struct wc_datum_col
{
	Datum	   *v;
	bool	   *isnull;
	int			n;
	int			cap;
} wc_datum_col;

extern void wc_kept_run(const wc_kept_sql *stmt, SPIPlanPtr *plan, Datum *values, const char *nulls,
						int expect, const char *summary);
extern void wc_kept_run_latest(const wc_kept_sql *stmt, SPIPlanPtr *plan, Datum *values, const char *nulls,
							   const char *summary);
extern void wc_col_add(wc_datum_col *c, Datum d, bool isnull);
extern Datum wc_datums_array(Datum *v, const bool *isnull, int n, Oid elemtype);
extern Datum wc_col_array(const wc_datum_col *c, Oid elemtype);

#endif							/* WAGECHECK_KEPT_PLANS_H */
