/*
 * card_months.c — wagecheck._wage_month_cards_raced(workers), the check that the trigger of a
 * change of workers' registered cards (wagecheck._wage_month_cards(),
 * src/alerts/45_summaries.sql) makes in REPEATABLE READ and SERIALIZABLE.
 *
 * The trigger locks the workers' rows FOR UPDATE, which waits for the transactions writing
 * pay lines of theirs (they hold the rows FOR KEY SHARE), then recomputes the months
 * (project, worker, period) of their lines. In READ COMMITTED its statements read what those
 * transactions committed. A transaction that reads its own snapshot does not: a month whose
 * first line was committed after the snapshot (its row of wage_month inserted, never locked
 * by this transaction) would keep its payments judged by the old card. So, after the lock,
 * the months of the workers as a new snapshot reads them must be those the transaction's
 * snapshot reads; where they are not, the card change fails with a serialization failure.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "alerts/kept_plans.h"
#include "nls.h"

/* The months of the workers ($1 worker ids), in one order. */
static const wc_kept_sql cm_months_sql = {
	"SELECT s.project_id, l.worker_id, s.period"
	"  FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id"
	" WHERE l.worker_id = ANY ($1)"
	" GROUP BY 1, 2, 3 ORDER BY 2, 3, 1",
	1, {INT8ARRAYOID}, 0
};

static SPIPlanPtr cm_months_plan = NULL;

/* One month of a worker's lines. */
typedef struct cm_month
{
	int64		worker_id;
	DateADT		period;
	int64		project_id;
} cm_month;

/* cm_result: the months of the last statement, in its order; their number in *n. SPI is connected. */
static cm_month *
cm_result(int *n)
{
	cm_month   *m = palloc(sizeof(cm_month) * Max(SPI_processed, 1));

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		m[i].project_id = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		m[i].worker_id = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
		m[i].period = DatumGetDateADT(SPI_getbinval(tup, desc, 3, &isnull));
	}
	*n = (int) SPI_processed;
	return m;
}

/* cm_cmp: the statement's order (worker, period, project). */
static int
cm_cmp(const cm_month *a, const cm_month *b)
{
	if (a->worker_id != b->worker_id)
		return a->worker_id < b->worker_id ? -1 : 1;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	if (a->project_id != b->project_id)
		return a->project_id < b->project_id ? -1 : 1;
	return 0;
}

/* cm_raced: the serialization failure, naming the month one snapshot has and the other not. */
static void
cm_raced(const cm_month *m)
{
	int			y,
				mo,
				d;
	char		month[16];

	if (DATE_NOT_FINITE(m->period))
		strlcpy(month, DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(m->period))), sizeof(month));
	else
	{
		j2date(m->period + POSTGRES_EPOCH_JDATE, &y, &mo, &d);
		snprintf(month, sizeof(month), "%04d-%02d", y, mo);
	}
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("could not serialize access due to a concurrent pay line of a worker whose card changed"),
			 errdetail("Pay lines of worker %lld for month %s of project %lld were added, changed or deleted by a "
					   "transaction that committed after this transaction's snapshot, while this one changed "
					   "his card.", (long long) m->worker_id, month, (long long) m->project_id),
			 errhint("Retry the transaction.")));
}

PG_FUNCTION_INFO_V1(wagecheck_wage_month_cards_raced);
/*
 * _wage_month_cards_raced(workers): in REPEATABLE READ or SERIALIZABLE, fails with a
 * serialization failure when the months of the workers' pay lines read with a new snapshot
 * differ from those of the transaction's snapshot; in READ COMMITTED (one snapshot per
 * statement) it does nothing.
 */
Datum
wagecheck_wage_month_cards_raced(PG_FUNCTION_ARGS)
{
	Datum		workers = PG_GETARG_DATUM(0);
	cm_month   *seen,
			   *now;
	int			nseen,
				nnow,
				i = 0,
				j = 0;

	if (!IsolationUsesXactSnapshot())
		PG_RETURN_VOID();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	wc_kept_run(&cm_months_sql, &cm_months_plan, &workers, NULL, SPI_OK_SELECT, "wage_month");
	seen = cm_result(&nseen);
	wc_kept_run_latest(&cm_months_sql, &cm_months_plan, &workers, NULL, "wage_month");
	now = cm_result(&nnow);
	/* both in one order: the first month only one of them has */
	while (i < nseen || j < nnow)
	{
		int			c = i >= nseen ? 1 : j >= nnow ? -1 : cm_cmp(&seen[i], &now[j]);

		if (c < 0)
			cm_raced(&seen[i]);
		if (c > 0)
			cm_raced(&now[j]);
		i++;
		j++;
	}
	SPI_finish();
	PG_RETURN_VOID();
}
