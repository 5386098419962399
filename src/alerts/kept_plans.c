/*
 * kept_plans.c — the statements of the summaries' C triggers (wage_month, attendance_month,
 * outflow_unmatched), each prepared on its first use and kept for the backend's life, and
 * the columns of Datums the triggers collect from their transition tables and pass to them
 * as arrays.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "alerts/kept_plans.h"
#include "trigowner.h"

/*
 * kept_prepare: stmt prepared into *plan on its first use (a generic plan unless stmt asks
 * otherwise: a custom plan, which looks cheaper for an array of keys, would be planned again
 * on every call) and kept; the settings of the triggers' statements made.
 */
static void
kept_prepare(const wc_kept_sql *stmt, SPIPlanPtr *plan, const char *summary)
{
	wc_trigger_sql_settings();
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare_cursor(stmt->sql, stmt->nargs, (Oid *) stmt->types,
										   stmt->options ? stmt->options : CURSOR_OPT_GENERIC_PLAN);

		if (p == NULL)
			elog(ERROR, "wagecheck: preparing a statement keeping wagecheck.%s failed: %s",
				 summary, SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		*plan = p;
	}
}

/* wc_kept_run: executes stmt, prepared into *plan on its first use (kept_prepare); fails unless SPI returns expect. SPI is connected. */
void
wc_kept_run(const wc_kept_sql *stmt, SPIPlanPtr *plan, Datum *values, const char *nulls, int expect,
			const char *summary)
{
	int			rc;

	kept_prepare(stmt, plan, summary);
	rc = SPI_execute_plan(*plan, values, nulls, false, 0);
	if (rc != expect)
		elog(ERROR, "wagecheck: a statement keeping wagecheck.%s failed: %s",
			 summary, SPI_result_code_string(rc));
}

/*
 * wc_kept_run_latest: wc_kept_run of a SELECT with a new snapshot, as READ COMMITTED would
 * read, whatever the transaction's isolation level (what committed since its snapshot).
 */
void
wc_kept_run_latest(const wc_kept_sql *stmt, SPIPlanPtr *plan, Datum *values, const char *nulls,
				   const char *summary)
{
	int			rc;

	kept_prepare(stmt, plan, summary);
	rc = SPI_execute_snapshot(*plan, values, nulls, GetLatestSnapshot(), InvalidSnapshot, false, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "wagecheck: a statement reading wagecheck.%s failed: %s",
			 summary, SPI_result_code_string(rc));
}

/* wc_col_add: appends d (or a NULL) to the column. */
void
wc_col_add(wc_datum_col *c, Datum d, bool isnull)
{
	if (c->n == c->cap)
	{
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = c->v ? repalloc_huge(c->v, sizeof(Datum) * c->cap) : palloc(sizeof(Datum) * c->cap);
		c->isnull = c->isnull ? repalloc_huge(c->isnull, sizeof(bool) * c->cap) : palloc(sizeof(bool) * c->cap);
	}
	c->isnull[c->n] = isnull;
	c->v[c->n++] = d;
}

/* wc_datums_array: n Datums (isnull may be NULL: none is) as a one-dimensional array of elemtype: bigint, date, timestamptz or text. */
Datum
wc_datums_array(Datum *v, const bool *isnull, int n, Oid elemtype)
{
	int			dims[1] = {n};
	int			lbs[1] = {1};

	switch (elemtype)
	{
		case INT8OID:
			return PointerGetDatum(construct_md_array(v, (bool *) isnull, 1, dims, lbs, INT8OID, sizeof(int64),
													  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		case DATEOID:
			return PointerGetDatum(construct_md_array(v, (bool *) isnull, 1, dims, lbs, DATEOID, sizeof(DateADT),
													  true, TYPALIGN_INT));
		case TIMESTAMPTZOID:
			return PointerGetDatum(construct_md_array(v, (bool *) isnull, 1, dims, lbs, TIMESTAMPTZOID,
													  sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		case TEXTOID:
			return PointerGetDatum(construct_md_array(v, (bool *) isnull, 1, dims, lbs, TEXTOID, -1, false,
													  TYPALIGN_INT));
	}
	elog(ERROR, "wagecheck: no array of type %u for a summary statement", elemtype);
	pg_unreachable();
}

/* wc_col_array: the column as an array of elemtype, NULLs kept. */
Datum
wc_col_array(const wc_datum_col *c, Oid elemtype)
{
	return wc_datums_array(c->v, c->isnull, c->n, elemtype);
}
