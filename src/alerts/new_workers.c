/*
 * new_workers.c — wagecheck._wage_month_workers(), the trigger that recomputes the months of
 * new workers' pay lines (wage_month, payment_off_card).
 *
 * Where pay_line's foreign key is checked, a new worker has no line. A load in replica mode
 * checks none: a worker's lines and their payments may come before him, and WP04's rows of
 * those payments (judged by his card) are written when he comes. The trigger looks for his
 * lines by pay_line's index on worker_id, which costs a registration one probe per worker;
 * only when some are there do its statements run. A loader writing lines of a worker not
 * there yet waits for the writers of wagecheck.worker (src/alerts/load_order.c), so this
 * trigger sees those lines once committed, or the loader sees the worker.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "alerts/kept_plans.h"
#include "alerts/load_order.h"
#include "trigcheck.h"
#include "trigowner.h"
#include "nls.h"

#define FN "wagecheck._wage_month_workers()"

static wc_table_ref nw_worker = WC_TABLE_REF("worker");
static const wc_key_index nw_lines = {"pay_line", "pay_line_worker_id_idx", "worker_id"};

/* The months of the workers' lines ($1 worker ids), recomputed. */
static const wc_kept_sql nw_refresh_sql = {
	"SELECT wagecheck._wage_month_refresh(array_agg(x.project_id), array_agg(x.worker_id), array_agg(x.period))"
	"  FROM (SELECT DISTINCT s.project_id, l.worker_id, s.period"
	"          FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id"
	"         WHERE l.worker_id = ANY ($1)) x"
	" HAVING count(*) > 0",
	1, {INT8ARRAYOID}, 0
};
static SPIPlanPtr nw_refresh_plan = NULL;

static const wc_kept_sql nw_raced_sql = {"SELECT wagecheck._wage_month_cards_raced($1)", 1, {INT8ARRAYOID}, 0};
static SPIPlanPtr nw_raced_plan = NULL;

/* The body of wagecheck_wage_month_workers(). */
static Datum
wage_month_workers(PG_FUNCTION_ARGS)
{
	TriggerData *td = wc_trigger_data(fcinfo, FN);
	Tuplestorestate *olds,
			   *news;
	TupleTableSlot *slot;
	int			att;
	int64	   *ids;
	int			n = 0,
				cap = 64,
				missing;

	wc_trigger_when(td, FN, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT,
					gettext_noop("an AFTER INSERT ... FOR EACH STATEMENT"));
	wc_trigger_on_table(td, FN, &nw_worker);
	wc_trigger_transitions(td, FN, &olds, &news);
	att = wc_trigger_column(td, FN, "worker_id", INT8OID);
	ids = palloc(sizeof(int64) * cap);
	slot = MakeSingleTupleTableSlot(RelationGetDescr(td->tg_relation), &TTSOpsMinimalTuple);
	tuplestore_rescan(news);
	while (tuplestore_gettupleslot(news, true, false, slot))
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, att, &isnull);

		if (isnull)
			continue;
		if (n == cap)
			ids = repalloc_huge(ids, sizeof(int64) * (cap *= 2));
		ids[n++] = DatumGetInt64(d);
	}
	ExecDropSingleTupleTableSlot(slot);
	if (n == 0)
		return PointerGetDatum(NULL);
	/* (the workers without a line, as the statements that follow read pay_line: all, mostly) */
	missing = wc_parents_missing(&nw_lines, ids, &n, NULL, NULL);
	if (missing == n)
	{
		/* (REPEATABLE READ, SERIALIZABLE: lines a load committed since the snapshot fail the transaction) */
		wc_children_raced(&nw_lines, ids, n, gettext_noop("a new worker"));
		return PointerGetDatum(NULL);
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		Datum		workers;
		Datum	   *v = palloc(sizeof(Datum) * n);

		for (int i = 0; i < n; i++)
			v[i] = Int64GetDatum(ids[i]);
		workers = wc_datums_array(v, NULL, n, INT8OID);
		if (IsolationUsesXactSnapshot())
			wc_kept_run(&nw_raced_sql, &nw_raced_plan, &workers, NULL, SPI_OK_SELECT, "wage_month");
		wc_kept_run(&nw_refresh_sql, &nw_refresh_plan, &workers, NULL, SPI_OK_SELECT, "wage_month");
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(wagecheck_wage_month_workers);
/* Trigger on worker (AFTER INSERT, each statement): the months of new workers' lines recomputed. */
Datum
wagecheck_wage_month_workers(PG_FUNCTION_ARGS)
{
	return wc_trigger_run_as_owner(wage_month_workers, fcinfo, 0);
}
