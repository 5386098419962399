/*
 * summaries.c — the C glue of the summaries kept at write time (src/alerts/45_summaries.sql):
 * wagecheck._settled_at(), when a month's payments reached its net (src/core/settle.c), and
 * wagecheck._wage_month_sync(), the statement-level trigger on pay_sheet, pay_line and
 * wage_payment that keeps wage_month and the summaries kept with it.
 *
 * The trigger reads the statement's transition tables in one pass (only their key columns)
 * and runs plans prepared once per backend. Two kinds of statement add to the summary rows
 * instead of recomputing them, in one statement each:
 *   - new payments whose moments all come after the last payment of their month (the
 *     common case: payments arrive in time order) are appended to the month's lists, paid
 *     and known_to grow, settled_at is computed only for a month not settled yet (a month
 *     settled stays settled at the same moment when later payments are appended); their
 *     rows of payment_off_card are inserted;
 *   - new pay lines that correct no line, are corrected by none and have no payment yet
 *     (wagecheck's own foreign keys make this every new line but a correction; replica-mode
 *     loads can break it) are added to their month, inserting it when new
 *     (INSERT ... ON CONFLICT in key order, as the recomputation locks); the workers' sums
 *     (worker_pay) and the months per sheet worker (sheet_worker) grow in the same
 *     statement, which also ends the attendance_unpaid rows of the months that came
 *     (deleted where there, else a row put in their place and deleted by one more
 *     statement, so that a concurrent writer of the attendance waits and sees the month).
 * Both take each month's row lock before they read it (ON CONFLICT / UPDATE re-read the
 * latest version), so concurrent writers of a month add in turn, as with the
 * recomputation, which serialises on the same lock. New lines and payments (a clerk's or
 * device's row, a COPY of up to KEYED_ROWS) are written by key instead
 * (src/alerts/wage_keyed.c: no plan to check, start and end; a COPY's rows summed per
 * summary row, each written once in key order), the corrections among new lines
 * recomputed apart, and a few new sheets look for their lines by pay_line's index; each
 * falls back to its statement when the summaries are not tables it can write by key.
 * Every other statement (an update, a
 * delete, payments that fall between those recorded, corrections) recomputes the keys it
 * touched with wagecheck._wage_month_refresh(), as before (new pay sheets only when a
 * line already names one of them: a restore may load lines before their sheets); a
 * TRUNCATE rebuilds. In replica mode, a statement of lines or payments whose rows name a
 * sheet, line or worker that is not there waits for that table's writers first
 * (src/alerts/load_order.c) and recomputes its keys; lines lock their workers FOR KEY SHARE.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "alerts/kept_plans.h"
#include "alerts/load_order.h"
#include "alerts/wage_keyed.h"
#include "core/outflow.h"
#include "enforce/paid_shared.h"
#include "core/settle.h"
#include "trigcheck.h"
#include "trigowner.h"
#include "nls.h"

#define FN "wagecheck._wage_month_sync()"

/* _settled_at(net, paid_ats, paid_each) by numeric arithmetic: for amounts that are not whole cents. */
static Datum
settled_at_numeric(Datum net, Datum *ats, bool *at_null, Datum *each, bool *each_null, int n, bool *isnull)
{
	Datum		zero = DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
	Datum		sum = zero;
	bool		have = false,
				found = false;
	TimestampTz best = 0;

	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, net, zero)) <= 0)
	{
		*isnull = false;
		return TimestampTzGetDatum(DT_NOBEGIN);
	}
	for (int i = 0; i < n; i++)
	{
		if (!each_null[i])
		{
			sum = DirectFunctionCall2(numeric_add, sum, each[i]);
			have = true;
		}
		if (have && !at_null[i] && DatumGetInt32(DirectFunctionCall2(numeric_cmp, sum, net)) >= 0 &&
			(!found || DatumGetTimestampTz(ats[i]) < best))
		{
			best = DatumGetTimestampTz(ats[i]);
			found = true;
		}
	}
	*isnull = !found;
	return TimestampTzGetDatum(best);
}

/* cents: a numeric Datum as whole cents; false when it is not one (NaN, sub-cent, out of range). */
static bool
cents(Datum d, int64 *c)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);

	return wc_numeric_cents((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), c) == WC_CENTS_OK;
}

PG_FUNCTION_INFO_V1(wagecheck_settled_at);
/* _settled_at(net, paid_ats, paid_each): when the payments (in list order) reached net; -infinity when nothing is due. */
Datum
wagecheck_settled_at(PG_FUNCTION_ARGS)
{
	Datum	   *ats = NULL,
			   *each = NULL;
	bool	   *at_null = NULL,
			   *each_null = NULL;
	int			nat = 0,
				neach = 0,
				n;
	int64		net;
	int64	   *ats_c,
			   *each_c;
	bool	   *an,
			   *en;
	bool		whole = true,
				isnull;
	int64		at = 0;
	Datum		result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* as the SQL did: NULL <= 0 is no answer, nor is sum >= NULL */
	if (!PG_ARGISNULL(1))
		deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TIMESTAMPTZOID, sizeof(TimestampTz), FLOAT8PASSBYVAL,
						  TYPALIGN_DOUBLE, &ats, &at_null, &nat);
	if (!PG_ARGISNULL(2))
		deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), NUMERICOID, -1, false, TYPALIGN_INT, &each, &each_null, &neach);
	/* unnest() of the two arrays pads the shorter one with NULLs */
	n = Max(nat, neach);
	ats_c = palloc0(sizeof(int64) * Max(n, 1));
	each_c = palloc0(sizeof(int64) * Max(n, 1));
	an = palloc(sizeof(bool) * Max(n, 1));
	en = palloc(sizeof(bool) * Max(n, 1));
	whole = cents(PG_GETARG_DATUM(0), &net);
	for (int i = 0; i < n; i++)
	{
		an[i] = i >= nat || at_null[i];
		en[i] = i >= neach || each_null[i];
		if (!an[i])
			ats_c[i] = DatumGetTimestampTz(ats[i]);
		if (!en[i] && whole)
			whole = cents(each[i], &each_c[i]);
	}
	if (whole)
	{
		switch (wc_settled_at(net, ats_c, an, each_c, en, n, &at))
		{
			case WC_SETTLED_AT:
				PG_RETURN_TIMESTAMPTZ(at);
			case WC_SETTLED_NOTHING_DUE:
				PG_RETURN_TIMESTAMPTZ(DT_NOBEGIN);
			case WC_SETTLED_NEVER:
				PG_RETURN_NULL();
			case WC_SETTLED_OVERFLOW:
				break;
		}
	}
	/* the padded elements for the numeric path */
	{
		Datum	   *a2 = palloc0(sizeof(Datum) * Max(n, 1)),
				   *e2 = palloc0(sizeof(Datum) * Max(n, 1));

		for (int i = 0; i < n; i++)
		{
			if (!an[i])
				a2[i] = ats[i];
			if (!en[i])
				e2[i] = each[i];
		}
		result = settled_at_numeric(PG_GETARG_DATUM(0), a2, an, e2, en, n, &isnull);
	}
	if (isnull)
		PG_RETURN_NULL();
	return result;
}

/* The tables the trigger keeps wage_month from. */
typedef enum wm_table
{
	WM_SHEET,
	WM_LINE,
	WM_PAYMENT,
	WM_TABLES
} wm_table;

static wc_table_ref wm_refs[WM_TABLES] = {WC_TABLE_REF("pay_sheet"), WC_TABLE_REF("pay_line"),
WC_TABLE_REF("wage_payment")};

/* The plans, prepared once per backend. */
typedef enum wm_plan
{
	P_REFRESH_SHEET,			/* $1 sheet ids, $2 their projects, $3 their months: recompute their lines' keys */
	P_REFRESH_LINE,				/* $1 sheet ids, $2 worker ids (pairs), $3 corrected line ids */
	P_REFRESH_PAYMENT,			/* $1 line ids */
	P_REFRESH_PAYMENT_REST,		/* $1 line ids, but the keys $2 $3 $4 (appended already) */
	P_PAYMENT_LOCK,				/* $1 the new payments' line ids: lock their months in key order */
	P_PAYMENT_ADD,				/* $1-$5 new payments (id, line, amount, paid_at, created_at): append
								 * them to their months where they come last, and insert their rows
								 * of payment_off_card */
	P_LINE_ADD,					/* $1-$7 new lines (id, sheet, worker, days, payable, net, created_at): add them */
	P_LINE_ONE,					/* $1-$7 as P_LINE_ADD, of a single line: values, not arrays */
	P_UNPAID_LOCK,				/* $1 $2 $3 keys with a wage month now, no attendance_unpaid row: locked */
	P_UNPAID_GONE,				/* $1 $2 $3 those keys: their attendance_unpaid rows go */
	P_SHEET_LINES,				/* $1 sheet ids: has any of them a line? */
	P_PLANS
} wm_plan;

#define KEYS_OF_LINES \
	"SELECT DISTINCT s.project_id, l.worker_id, s.period" \
	"  FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id" \
	" WHERE l.line_id = ANY ($1)"
/* (no call without keys: a new sheet has no line yet) */
#define REFRESH(keys) \
	"SELECT wagecheck._wage_month_refresh(array_agg(x.project_id), array_agg(x.worker_id), array_agg(x.period))" \
	"  FROM (" keys ") x HAVING count(*) > 0"

/*
 * The pieces P_LINE_ADD and P_LINE_ONE share: the months added to (inserted, or added to
 * under the row lock ON CONFLICT takes, RETURNING whether each was new), a worker's month
 * and year in worker_pay and the months per sheet worker added to, the attendance_unpaid
 * row of a month that came.
 */
#define MONTH_INSERT \
	"INSERT INTO wagecheck.wage_month AS w" \
	"       (project_id, worker_id, period, employer_id, days, payable, net, paid, paid_ats, paid_each," \
	"        known_to, settled_at)"
#define MONTH_ADD \
	"ON CONFLICT (project_id, worker_id, period) DO UPDATE" \
	"   SET employer_id = least(w.employer_id, excluded.employer_id), days = w.days + excluded.days," \
	"       payable = w.payable + excluded.payable, net = w.net + excluded.net," \
	"       known_to = greatest(w.known_to, excluded.known_to)," \
	"       settled_at = wagecheck._settled_at(w.net + excluded.net, w.paid_ats, w.paid_each)" \
	" RETURNING w.project_id, w.worker_id, w.period, w.xmax = 0 AS added),"
#define MONTH_AND_YEAR \
	"(VALUES ('month', up.period), ('year', date_trunc('year', up.period)::date)) k(span, period)"
/* (high: the sum over WP06's half limits, as _worker_pay_rows computes it; see once/45_summaries.sql) */
#define WORKER_PAY_HIGH(span, sum) \
	"CASE " span " WHEN 'month' THEN (" sum ")::numeric(14,2) > 25000 ELSE (" sum ")::numeric(14,2) > 150000 END"
#define WORKER_PAY_ADD \
	"ON CONFLICT (worker_id, span, period) DO UPDATE" \
	"   SET payable = t.payable + excluded.payable, entries = t.entries + excluded.entries," \
	"       high = " WORKER_PAY_HIGH("t.span", "t.payable + excluded.payable") "),"
#define SHEET_WORKER_ADD "ON CONFLICT (project_id, worker_id) DO UPDATE SET months = t.months + excluded.months),"
#define UNPAID_OF_UP "(t.period, t.project_id, t.worker_id) = (up.period, up.project_id, up.worker_id)"

static const wc_kept_sql wm_sql[P_PLANS] = {
	[P_REFRESH_SHEET] = {REFRESH("SELECT DISTINCT u.project_id, l.worker_id, u.period"
								 "  FROM unnest($1::bigint[], $2::bigint[], $3::date[]) u(sheet_id, project_id, period)"
								 "  JOIN wagecheck.pay_line l ON l.sheet_id = u.sheet_id"),
	3, {INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID}},
	[P_REFRESH_LINE] = {REFRESH("SELECT s.project_id, u.worker_id, s.period"
								"  FROM unnest($1::bigint[], $2::bigint[]) u(sheet_id, worker_id)"
								"  JOIN wagecheck.pay_sheet s ON s.sheet_id = u.sheet_id"
								" UNION "
								"SELECT s.project_id, k.worker_id, s.period"
								"  FROM wagecheck.pay_line k JOIN wagecheck.pay_sheet s ON s.sheet_id = k.sheet_id"
								" WHERE k.line_id = ANY ($3)"),
	3, {INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}},
	[P_REFRESH_PAYMENT] = {REFRESH(KEYS_OF_LINES), 1, {INT8ARRAYOID}},
	[P_REFRESH_PAYMENT_REST] = {REFRESH(KEYS_OF_LINES
										" EXCEPT SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::date[])"),
	4, {INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID}},
	[P_PAYMENT_LOCK] = {
		"SELECT 1 FROM wagecheck.wage_month w"
		" WHERE (w.project_id, w.worker_id, w.period) IN"
		"       (SELECT s.project_id, l.worker_id, s.period"
		"          FROM wagecheck.pay_line l"
		"          JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id"
		"         WHERE l.line_id = ANY ($1))"
		" ORDER BY w.project_id, w.worker_id, w.period"
		"   FOR UPDATE OF w",
	1, {INT8ARRAYOID}},
	/*
	 * (a placeholder, known_to infinity, is another writer's recomputation under way: the
	 * lock waited for it, and it is gone or replaced by then; the condition is re-read on
	 * the latest version of the row)
	 */
	[P_PAYMENT_ADD] = {
		/* the new payments (from the transition table) with their months' keys, read once */
		"WITH p AS MATERIALIZED ("
		"  SELECT u.payment_id, u.amount, u.paid_at, u.created_at, s.project_id, l.worker_id, s.period,"
		"         s.employer_id"
		"    FROM unnest($1::bigint[], $2::bigint[], $3::numeric[], $4::timestamptz[], $5::timestamptz[])"
		"         u(payment_id, line_id, amount, paid_at, created_at)"
		"    JOIN wagecheck.pay_line l ON l.line_id = u.line_id"
		"    JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id),"
		" a AS ("
		"  SELECT p.project_id, p.worker_id, p.period, sum(p.amount) AS amount, count(*) AS n,"
		"         array_agg(p.paid_at ORDER BY p.paid_at, p.payment_id) AS ats,"
		"         array_agg(p.amount ORDER BY p.paid_at, p.payment_id) AS each,"
		"         max(greatest(p.created_at, p.paid_at)) AS known, min(p.paid_at) AS first_at"
		"    FROM p"
		"   GROUP BY 1, 2, 3),"
		" up AS ("
		" UPDATE wagecheck.wage_month w"
		"    SET paid = w.paid + a.amount, paid_ats = w.paid_ats || a.ats, paid_each = w.paid_each || a.each,"
		"        known_to = greatest(w.known_to, a.known),"
		"        settled_at = CASE WHEN w.settled_at IS NOT NULL THEN w.settled_at"
		"                          ELSE wagecheck._settled_at(w.net, w.paid_ats || a.ats, w.paid_each || a.each) END"
		"   FROM a"
		"  WHERE (w.project_id, w.worker_id, w.period) = (a.project_id, a.worker_id, a.period)"
		"    AND w.known_to < 'infinity'::timestamptz"
		"    AND (cardinality(w.paid_ats) = 0 OR w.paid_ats[cardinality(w.paid_ats)] < a.first_at)"
		" RETURNING a.n, a.project_id, a.worker_id, a.period),"
		/*
		 * the payments' rows of payment_off_card, in the same statement (one statement a
		 * payment): the method and card as written, each payment read by its id
		 */
		" oc AS ("
		" INSERT INTO wagecheck.payment_off_card"
		" SELECT p.project_id, p.worker_id, p.period, p.payment_id, p.employer_id, p.amount, y.method, p.paid_at,"
		"        p.created_at,"
		"        CASE WHEN y.method = 'cash' THEN 'cash'"
		"             WHEN k.wage_card IS NULL THEN 'worker has no registered card'"
		"             ELSE 'not the worker''s registered card' END"
		"   FROM p"
		"   JOIN wagecheck.wage_payment y ON y.payment_id = p.payment_id"
		"   JOIN wagecheck.worker k ON k.worker_id = p.worker_id"
		"  WHERE (y.method <> 'account' OR y.card IS NULL OR k.wage_card IS NULL"
		"         OR y.card OPERATOR(wagecheck.<>) k.wage_card)"
		" ORDER BY 1, 2, 3, 4"
		" ON CONFLICT DO NOTHING)"
		" SELECT coalesce(sum(up.n), 0)::bigint, array_agg(up.project_id), array_agg(up.worker_id),"
		"        array_agg(up.period)"
		"   FROM up",
	5, {INT8ARRAYOID, INT8ARRAYOID, NUMERICARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID}},
	[P_LINE_ADD] = {
		"WITH n AS MATERIALIZED ("
		"  SELECT s.project_id, u.worker_id, s.period, s.employer_id, u.days, u.payable, u.net,"
		"         greatest(u.created_at, s.created_at) AS known,"
		"         EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = u.line_id)"
		"         OR EXISTS (SELECT 1 FROM wagecheck.wage_payment y WHERE y.line_id = u.line_id) AS other"
		"    FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::numeric[], $5::numeric[], $6::numeric[],"
		"                $7::timestamptz[]) u(line_id, sheet_id, worker_id, days, payable, net, created_at)"
		"    JOIN wagecheck.pay_sheet s ON s.sheet_id = u.sheet_id),"
		" g AS ("
		"  SELECT n.project_id, n.worker_id, n.period, min(n.employer_id) AS employer_id,"
		"         coalesce(sum(n.days), 0) AS days, sum(n.payable) AS payable, sum(n.net) AS net,"
		"         max(n.known) AS known"
		"    FROM n"
		"   WHERE NOT EXISTS (SELECT 1 FROM n WHERE n.other)"
		"   GROUP BY 1, 2, 3),"
		" up AS ("
		"  " MONTH_INSERT
		"  SELECT g.project_id, g.worker_id, g.period, g.employer_id, g.days, g.payable, g.net, 0,"
		"         '{}'::timestamptz[], '{}'::numeric(14,2)[], g.known,"
		"         CASE WHEN g.net <= 0 THEN '-infinity'::timestamptz END"
		"    FROM g"
		"   ORDER BY 1, 2, 3"
		"  " MONTH_ADD
		" wp AS ("
		"  INSERT INTO wagecheck.worker_pay AS t (worker_id, span, period, payable, entries, high)"
		"  SELECT up.worker_id, k.span, k.period, sum(g.payable), count(*) FILTER (WHERE up.added),"
		"         " WORKER_PAY_HIGH("k.span", "sum(g.payable)")
		"    FROM up JOIN g ON (g.project_id, g.worker_id, g.period) = (up.project_id, up.worker_id, up.period)"
		"   CROSS JOIN LATERAL " MONTH_AND_YEAR
		"   GROUP BY 1, 2, 3"
		"  HAVING sum(g.payable) <> 0 OR count(*) FILTER (WHERE up.added) <> 0"
		"   ORDER BY 1, 2, 3"
		"  " WORKER_PAY_ADD
		" sw AS ("
		"  INSERT INTO wagecheck.sheet_worker AS t (project_id, worker_id, months)"
		"  SELECT up.project_id, up.worker_id, count(*) FROM up WHERE up.added GROUP BY 1, 2 ORDER BY 1, 2"
		"  " SHEET_WORKER_ADD
		/*
		 * the months that came end their attendance_unpaid rows: those there go now (each
		 * locked by its delete, re-read on its latest version when a writer of the
		 * attendance changed it meanwhile); the keys without one are returned, for
		 * P_UNPAID_LOCK and P_UNPAID_GONE
		 */
		" un AS ("
		"  DELETE FROM wagecheck.attendance_unpaid t"
		"   USING up"
		"   WHERE up.added AND " UNPAID_OF_UP
		"  RETURNING t.period, t.project_id, t.worker_id)"
		" SELECT NOT EXISTS (SELECT 1 FROM n WHERE n.other),"
		"        array_agg(up.project_id), array_agg(up.worker_id), array_agg(up.period)"
		"   FROM up"
		"  WHERE up.added"
		"    AND NOT EXISTS (SELECT 1 FROM un"
		"                     WHERE (un.period, un.project_id, un.worker_id) = (up.period, up.project_id, up.worker_id))",
	7, {INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, NUMERICARRAYOID, NUMERICARRAYOID, NUMERICARRAYOID,
	TIMESTAMPTZARRAYOID}},
	/*
	 * P_LINE_ADD for a single new line (a clerk's row): its parameters as values, no
	 * arrays to unnest, no grouping; the same writes
	 */
	[P_LINE_ONE] = {
		"WITH o AS MATERIALIZED ("
		"  SELECT EXISTS (SELECT 1 FROM wagecheck.pay_line c WHERE c.corrects_line_id = $1)"
		"         OR EXISTS (SELECT 1 FROM wagecheck.wage_payment y WHERE y.line_id = $1) AS other),"
		" up AS ("
		"  " MONTH_INSERT
		"  SELECT s.project_id, $3, s.period, s.employer_id, coalesce($4, 0), $5, $6, 0,"
		"         '{}'::timestamptz[], '{}'::numeric(14,2)[], greatest($7, s.created_at),"
		"         CASE WHEN $6 <= 0 THEN '-infinity'::timestamptz END"
		"    FROM wagecheck.pay_sheet s, o"
		"   WHERE s.sheet_id = $2 AND NOT o.other"
		"  " MONTH_ADD
		" wp AS ("
		"  INSERT INTO wagecheck.worker_pay AS t (worker_id, span, period, payable, entries, high)"
		"  SELECT up.worker_id, k.span, k.period, $5, CASE WHEN up.added THEN 1 ELSE 0 END,"
		"         " WORKER_PAY_HIGH("k.span", "$5::numeric")
		"    FROM up"
		"   CROSS JOIN LATERAL " MONTH_AND_YEAR
		"   WHERE $5 <> 0 OR up.added"
		"  " WORKER_PAY_ADD
		" sw AS ("
		"  INSERT INTO wagecheck.sheet_worker AS t (project_id, worker_id, months)"
		"  SELECT up.project_id, up.worker_id, 1 FROM up WHERE up.added"
		"  " SHEET_WORKER_ADD
		" un AS ("
		"  DELETE FROM wagecheck.attendance_unpaid t"
		"   USING up"
		"   WHERE up.added AND " UNPAID_OF_UP
		"  RETURNING 1)"
		" SELECT (SELECT NOT o.other FROM o),"
		"        array_agg(up.project_id), array_agg(up.worker_id), array_agg(up.period)"
		"   FROM up"
		"  WHERE up.added AND NOT EXISTS (SELECT 1 FROM un)",
	7, {INT8OID, INT8OID, INT8OID, NUMERICOID, NUMERICOID, NUMERICOID, TIMESTAMPTZOID}},
	/*
	 * the new months without an attendance_unpaid row: one is put in their place in key
	 * order unless one is there by then (waiting for a writer of the attendance that is
	 * adding it), so that a later writer of the attendance waits for this one and sees its
	 * month; P_UNPAID_GONE then removes them all
	 */
	[P_UNPAID_LOCK] = {
		"INSERT INTO wagecheck.attendance_unpaid (period, project_id, worker_id)"
		" SELECT u.period, u.project_id, u.worker_id"
		"   FROM unnest($1::bigint[], $2::bigint[], $3::date[]) u(project_id, worker_id, period)"
		"  ORDER BY 1, 2, 3"
		" ON CONFLICT DO NOTHING",
	3, {INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID}},
	/* (read after P_LINE_ADD's lock, with a fresh snapshot: each key looked up by its index) */
	[P_UNPAID_GONE] = {
		"DELETE FROM wagecheck.attendance_unpaid t"
		" USING unnest($1::bigint[], $2::bigint[], $3::date[]) k(project_id, worker_id, period)"
		" WHERE (t.period, t.project_id, t.worker_id) = (k.period, k.project_id, k.worker_id)",
	3, {INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID}},
	[P_SHEET_LINES] = {"SELECT 1 FROM wagecheck.pay_line l WHERE l.sheet_id = ANY ($1) LIMIT 1", 1, {INT8ARRAYOID}},
};

static SPIPlanPtr wm_plans[P_PLANS];

/* run_nulls: executes plan p with nulls as SPI_execute_plan takes them; SPI is connected. */
static void
run_nulls(wm_plan p, Datum *values, const char *nulls, int expect)
{
	wc_kept_run(&wm_sql[p], &wm_plans[p], values, nulls, expect, "wage_month");
}

/* run: executes plan p with no NULL argument. */
static void
run(wm_plan p, Datum *values, int expect)
{
	run_nulls(p, values, NULL, expect);
}

/*
 * read_cols: appends the columns attnums[0..n) of every row of a transition table to
 * cols[0..n); a row with a NULL in nonnull_from or later columns adds nothing to them.
 */
static void
read_cols(Tuplestorestate *rows, TupleDesc desc, const int *attnums, wc_datum_col *cols, int n)
{
	TupleTableSlot *slot;

	if (rows == NULL)
		return;
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		isnull;
		Datum		first = slot_getattr(slot, attnums[0], &isnull);

		/* the first column keys the row; a column after it may be NULL (corrects_line_id) */
		if (isnull)
			continue;
		wc_col_add(&cols[0], first, false);
		for (int i = 1; i < n; i++)
		{
			Datum		d = slot_getattr(slot, attnums[i], &isnull);

			if (!isnull)
				wc_col_add(&cols[i], d, false);
		}
	}
	ExecDropSingleTupleTableSlot(slot);
}

/* The TRUNCATE of an input table: what is left of the other two (payments truncated alone leave the lines). */
static const char *const wm_truncate_sql =
"TRUNCATE wagecheck.wage_month, wagecheck.worker_pay, wagecheck.payment_off_card, wagecheck.sheet_worker,"
"         wagecheck.attendance_unpaid;"
"INSERT INTO wagecheck.wage_month SELECT * FROM wagecheck._wage_month_rows(NULL, NULL, NULL);"
"INSERT INTO wagecheck.worker_pay SELECT * FROM wagecheck._worker_pay_rows();"
"INSERT INTO wagecheck.sheet_worker SELECT * FROM wagecheck._sheet_worker_rows();"
"INSERT INTO wagecheck.payment_off_card SELECT * FROM wagecheck._payment_off_card_rows(NULL, NULL, NULL);"
"INSERT INTO wagecheck.attendance_unpaid SELECT * FROM wagecheck._attendance_unpaid_rows(NULL, NULL, NULL);";

static Datum numeric_array(const wc_datum_col *c);

/* The columns of new payments that P_PAYMENT_ADD appends, read from the transition table. */
#define PC_COLS 5
static const char *const wm_payment_names[PC_COLS] = {"payment_id", "line_id", "amount", "paid_at", "created_at"};
static const Oid wm_payment_types[PC_COLS] = {INT8OID, INT8OID, NUMERICOID, TIMESTAMPTZOID, TIMESTAMPTZOID};

/* read_payments: the new payments' columns (numerics copied out of the slot, NULLs kept). */
static void
read_payments(TriggerData *td, Tuplestorestate *rows, wc_datum_col *cols)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(td->tg_relation), &TTSOpsMinimalTuple);
	int			att[PC_COLS];

	for (int c = 0; c < PC_COLS; c++)
		att[c] = wc_trigger_column(td, FN, wm_payment_names[c], wm_payment_types[c]);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
		for (int c = 0; c < PC_COLS; c++)
		{
			bool		isnull;
			Datum		d = slot_getattr(slot, att[c], &isnull);

			if (wm_payment_types[c] == NUMERICOID && !isnull)
				d = datumCopy(d, false, -1);
			wc_col_add(&cols[c], d, isnull);
		}
	ExecDropSingleTupleTableSlot(slot);
}

/*
 * payments_added: the insert path of new payments (cols: read_payments'); false when some
 * month must be recomputed, keys[0..3) then the months that were appended (NULL arrays:
 * none), which the recomputation leaves alone. (A payment without a line in the table, as
 * a load in replica mode may write, is covered by no month: its keys are recomputed.)
 */
static bool
payments_added(const wc_datum_col *cols, Datum *keys, bool *keys_null)
{
	bool		isnull;
	Datum		covered;
	Datum		values[PC_COLS];
	int			n = cols[0].n;

	for (int c = 0; c < PC_COLS; c++)
		values[c] = wm_payment_types[c] == NUMERICOID ? numeric_array(&cols[c])
			: wc_col_array(&cols[c], wm_payment_types[c]);
	if (n > 1)
		run(P_PAYMENT_LOCK, &values[1], SPI_OK_SELECT);
	/* (the rows of payment_off_card before any recomputation: it replaces those of the months it recomputes) */
	run(P_PAYMENT_ADD, values, SPI_OK_SELECT);
	if (SPI_processed != 1)
		elog(ERROR, "wagecheck: appending payments to wagecheck.wage_month returned %llu rows",
			 (unsigned long long) SPI_processed);
	covered = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull && DatumGetInt64(covered) == (int64) n)
		return true;
	for (int i = 0; i < 3; i++)
	{
		keys[i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 2, &keys_null[i]);
		if (!keys_null[i])
			keys[i] = SPI_datumTransfer(keys[i], false, -1);	/* outlives the result (SPI_finish is later) */
	}
	return false;
}

/* a statement of up to this many new lines or payments is written by key (src/alerts/wage_keyed.c) */
#define KEYED_ROWS 100000

/*
 * payments_keyed: a statement's new payments appended to their months by key
 * (src/alerts/wage_keyed.c): how many were appended (their months' keys in months[0..3)),
 * -1 when P_PAYMENT_LOCK and P_PAYMENT_ADD must run (cols: read_payments').
 */
static int
payments_keyed(TriggerData *td, Tuplestorestate *rows, const wc_datum_col *cols, wc_datum_col *months)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	int			matt = wc_trigger_column(td, FN, "method", TEXTOID);
	int			catt = 0;
	int			n = cols[0].n,
				i = 0;
	TupleTableSlot *slot;
	wc_payment_in *p;

	if (n > KEYED_ROWS)
		return -1;
	for (int c = 1; c < PC_COLS; c++)
		for (int r = 0; r < n; r++)
			if (cols[c].isnull[r])
				return -1;
	for (int a = 0; a < desc->natts; a++)
		if (!TupleDescAttr(desc, a)->attisdropped && strcmp(NameStr(TupleDescAttr(desc, a)->attname), "card") == 0)
			catt = a + 1;
	/* (a bank card: int8-like, compared as a bigint) */
	if (catt == 0 || TupleDescAttr(desc, catt - 1)->attlen != 8 || !TupleDescAttr(desc, catt - 1)->attbyval)
		return -1;
	p = palloc(sizeof(wc_payment_in) * n);
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_rescan(rows);
	/* (read_payments read the same rows in the same order) */
	while (i < n && tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		isnull;
		Datum		d;

		p[i].payment_id = cols[0].isnull[i] ? 0 : DatumGetInt64(cols[0].v[i]);
		p[i].line_id = DatumGetInt64(cols[1].v[i]);
		p[i].amount = cols[2].v[i];
		p[i].paid_at = DatumGetTimestampTz(cols[3].v[i]);
		p[i].created_at = DatumGetTimestampTz(cols[4].v[i]);
		d = slot_getattr(slot, matt, &isnull);
		p[i].method = isnull ? NULL : TextDatumGetCString(d);
		d = slot_getattr(slot, catt, &p[i].card_null);
		p[i].card = p[i].card_null ? 0 : DatumGetInt64(d);
		i++;
	}
	ExecDropSingleTupleTableSlot(slot);
	if (i != n)
		elog(ERROR, "wagecheck: a payment's row is missing from its statement's new rows");
	/* (a payment without a method: left to the statements) */
	return wc_payments_keyed(p, n, months, td->tg_relation, rows);
}

/* The columns of new pay lines that P_LINE_ADD adds, read from the transition table. */
typedef enum wm_line_col
{
	LC_ID,
	LC_SHEET,
	LC_WORKER,
	LC_DAYS,
	LC_PAYABLE,
	LC_NET,
	LC_CREATED,
	LC_COLS
} wm_line_col;

static const char *const wm_line_names[LC_COLS] = {"line_id", "sheet_id", "worker_id", "days", "payable", "net",
"created_at"};
static const Oid wm_line_types[LC_COLS] = {INT8OID, INT8OID, INT8OID, NUMERICOID, NUMERICOID, NUMERICOID,
TIMESTAMPTZOID};

/*
 * read_lines: the new lines' columns (numerics copied out of the slot), those of the
 * corrections apart (corr[0..3): their sheet, worker and corrected line); false when one of
 * them names no line, sheet or worker (none does in wagecheck.pay_line: NOT NULL). *n: the
 * rows.
 */
static bool
read_lines(TriggerData *td, Tuplestorestate *rows, wc_datum_col *cols, wc_datum_col *corr, int *n)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	TupleTableSlot *slot;
	int			att[LC_COLS];
	int			catt = wc_trigger_column(td, FN, "corrects_line_id", INT8OID);
	bool		plain = true;

	for (int c = 0; c < LC_COLS; c++)
		att[c] = wc_trigger_column(td, FN, wm_line_names[c], wm_line_types[c]);
	*n = 0;
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_rescan(rows);
	while (plain && tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		corrects;
		Datum		corrected = slot_getattr(slot, catt, &corrects);
		Datum		d[LC_COLS];
		bool		isnull[LC_COLS];

		corrects = !corrects;
		for (int c = 0; c < LC_COLS; c++)
		{
			d[c] = slot_getattr(slot, att[c], &isnull[c]);
			if (isnull[c] && c != LC_DAYS)
				plain = false;	/* (days may be NULL: counted as none, as the recomputation sums it) */
		}
		(*n)++;
		if (!plain)
			break;
		if (corrects)
		{
			wc_col_add(&corr[0], d[LC_SHEET], false);
			wc_col_add(&corr[1], d[LC_WORKER], false);
			wc_col_add(&corr[2], corrected, false);
			continue;
		}
		for (int c = 0; c < LC_COLS; c++)
			wc_col_add(&cols[c], wm_line_types[c] == NUMERICOID && !isnull[c] ? datumCopy(d[c], false, -1) : d[c],
					   isnull[c]);
	}
	ExecDropSingleTupleTableSlot(slot);
	return plain;
}

/* numeric_array: a column of numerics (NULLs kept) as numeric[]. */
static Datum
numeric_array(const wc_datum_col *c)
{
	int			dims[1] = {c->n};
	int			lbs[1] = {1};

	return PointerGetDatum(construct_md_array(c->v, c->isnull, 1, dims, lbs, NUMERICOID, -1, false, TYPALIGN_INT));
}

/*
 * lines_added: the insert path of new pay lines (none a correction); false when nothing
 * was added (the keys must be recomputed). mixed: the statement's corrections are
 * recomputed apart, so the lines are added by key or not at all.
 */
static bool
lines_added(const wc_datum_col *cols, bool mixed)
{
	HeapTuple	r;
	TupleDesc	rd;
	bool		isnull;
	Datum		values[LC_COLS];
	Datum		keys[3];
	bool		null_keys = false;

	if (cols[0].n == 1 && !mixed)
	{
		char		nulls[LC_COLS];
		wc_line_in	l;

		/* a clerk's line: written by key when the summaries allow it */
		l.line_id = DatumGetInt64(cols[LC_ID].v[0]);
		l.sheet_id = DatumGetInt64(cols[LC_SHEET].v[0]);
		l.worker_id = DatumGetInt64(cols[LC_WORKER].v[0]);
		l.days = cols[LC_DAYS].v[0];
		l.days_null = cols[LC_DAYS].isnull[0];
		l.payable = cols[LC_PAYABLE].v[0];
		l.net = cols[LC_NET].v[0];
		l.created_at = DatumGetTimestampTz(cols[LC_CREATED].v[0]);
		switch (wc_line_one_keyed(&l))
		{
			case 1:
				return true;
			case 0:
				return false;
			default:
				break;
		}

		for (int c = 0; c < LC_COLS; c++)
		{
			values[c] = cols[c].v[0];
			nulls[c] = cols[c].isnull[0] ? 'n' : ' ';
		}
		run_nulls(P_LINE_ONE, values, nulls, SPI_OK_SELECT);
	}
	else
	{
		int			n = cols[0].n;
		bool	   *left = palloc0(sizeof(bool) * n);
		int			keyed = -1;
		wc_datum_col rest[LC_COLS];

		/* a COPY's lines: written by key when the summaries allow it, those it leaves by P_LINE_ADD */
		if (n <= KEYED_ROWS)
		{
			wc_line_in *l = palloc(sizeof(wc_line_in) * n);

			for (int i = 0; i < n; i++)
			{
				l[i].line_id = DatumGetInt64(cols[LC_ID].v[i]);
				l[i].sheet_id = DatumGetInt64(cols[LC_SHEET].v[i]);
				l[i].worker_id = DatumGetInt64(cols[LC_WORKER].v[i]);
				l[i].days = cols[LC_DAYS].v[i];
				l[i].days_null = cols[LC_DAYS].isnull[i];
				l[i].payable = cols[LC_PAYABLE].v[i];
				l[i].net = cols[LC_NET].v[i];
				l[i].created_at = DatumGetTimestampTz(cols[LC_CREATED].v[i]);
			}
			keyed = wc_lines_keyed(l, n, left);
			if (keyed == 0)
				return false;
		}
		if (keyed < 0 && mixed)
			return false;
		if (keyed == 1)
		{
			/* the lines left: a statement of their own (their keys are not those written by key) */
			memset(rest, 0, sizeof(rest));
			for (int i = 0; i < n; i++)
				if (left[i])
					for (int c = 0; c < LC_COLS; c++)
						wc_col_add(&rest[c], cols[c].v[i], cols[c].isnull[i]);
			if (rest[0].n == 0)
				return true;
			cols = rest;
		}
		for (int c = 0; c < LC_COLS; c++)
			values[c] = wm_line_types[c] == NUMERICOID ? numeric_array(&cols[c])
				: wc_col_array(&cols[c], wm_line_types[c]);
		run(P_LINE_ADD, values, SPI_OK_SELECT);
	}
	if (SPI_processed != 1)
		elog(ERROR, "wagecheck: adding pay lines to wagecheck.wage_month returned %llu rows",
			 (unsigned long long) SPI_processed);
	r = SPI_tuptable->vals[0];
	rd = SPI_tuptable->tupdesc;
	if (!DatumGetBool(SPI_getbinval(r, rd, 1, &isnull)))
		return false;
	for (int i = 0; i < 3; i++)
	{
		keys[i] = SPI_getbinval(r, rd, i + 2, &isnull);
		null_keys |= isnull;
		if (!isnull)
			keys[i] = PointerGetDatum(DatumGetArrayTypePCopy(keys[i]));	/* outlives the result */
	}
	/*
	 * the months that came with no attendance_unpaid row to delete: a row put in their
	 * place (or one a writer of the attendance was adding, waited for), then read again
	 * with a fresh snapshot and deleted
	 */
	if (!null_keys)
	{
		run(P_UNPAID_LOCK, keys, SPI_OK_INSERT);
		run(P_UNPAID_GONE, keys, SPI_OK_DELETE);
	}
	return true;
}

/* The parents a load may write rows before (src/alerts/load_order.c), and the children a new parent looks for. */
static const wc_key_index wm_sheets = {"pay_sheet", "pay_sheet_pkey", "sheet_id"};
static const wc_key_index wm_lines = {"pay_line", "pay_line_pkey", "line_id"};
static const wc_key_index wm_workers = {"worker", "worker_pkey", "worker_id"};
static const wc_key_index wm_sheet_lines = {"pay_line", "pay_line_sheet_id_idx", "sheet_id"};
static const wc_key_index wm_line_payments = {"wage_payment", "wage_payment_line_id_idx", "line_id"};

/* read_int8s: the bigint column att of rows (NULLs left out), into a palloc'd array; *n its length. */
static int64 *
read_int8s(Tuplestorestate *rows, TupleDesc desc, int att, int *n)
{
	wc_datum_col c = {0};
	int64	   *v;

	read_cols(rows, desc, &att, &c, 1);
	v = palloc(sizeof(int64) * Max(c.n, 1));
	*n = 0;
	for (int i = 0; i < c.n; i++)
		if (!c.isnull[i])
			v[(*n)++] = DatumGetInt64(c.v[i]);
	return v;
}

/*
 * parents_waited: in replica mode (no foreign key checked), whether the new rows of a pay
 * line statement name a sheet, corrected line or worker that is not there, or those of a
 * payment statement a line or a line's worker; if so, after waiting for the writers of
 * those tables (src/alerts/load_order.c), in one order: pay_sheet, pay_line, worker. The
 * statement's keys are then recomputed, with new snapshots.
 */
static bool
parents_waited(TriggerData *td, wm_table t, Tuplestorestate *news)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	int64	   *workers;
	int			nw,
				mw;
	bool		waited = false;

	if (t == WM_LINE)
	{
		int			ns;
		int64	   *sheets = read_int8s(news, desc, wc_trigger_column(td, FN, "sheet_id", INT8OID), &ns);
		int			ms = wc_parents_missing(&wm_sheets, sheets, &ns, NULL, NULL);

		int			nc;
		int64	   *corrected = read_int8s(news, desc, wc_trigger_column(td, FN, "corrects_line_id", INT8OID), &nc);
		int			mc;

		if (ms != 0)
			wc_parents_wait(&wm_sheets, sheets, Max(ms, 0), gettext_noop("new pay lines"));
		/* (a correction before the line it corrects, which another loader may be writing) */
		mc = nc > 0 ? wc_parents_missing(&wm_lines, corrected, &nc, NULL, NULL) : 0;
		if (mc != 0)
			wc_parents_wait(&wm_lines, corrected, Max(mc, 0), gettext_noop("new pay lines"));
		workers = read_int8s(news, desc, wc_trigger_column(td, FN, "worker_id", INT8OID), &nw);
		waited = ms != 0 || mc != 0;
	}
	else
	{
		int			nl;
		int64	   *lines = read_int8s(news, desc, wc_trigger_column(td, FN, "line_id", INT8OID), &nl);
		int			ml;

		workers = palloc(sizeof(int64) * Max(nl, 1));
		ml = wc_parents_missing(&wm_lines, lines, &nl, "worker_id", workers);
		if (ml != 0)
			wc_parents_wait(&wm_lines, lines, Max(ml, 0), gettext_noop("new payments"));
		waited = ml != 0;
		/* (the workers of the lines found) */
		nw = ml < 0 ? 0 : nl - ml;
		workers += Max(ml, 0);
	}
	mw = wc_parents_missing(&wm_workers, workers, &nw, NULL, NULL);
	if (mw != 0)
		wc_parents_wait(&wm_workers, workers, Max(mw, 0),
						t == WM_LINE ? gettext_noop("new pay lines") : gettext_noop("new payments"));
	/*
	 * (lines hold their workers FOR KEY SHARE, as pay_line's foreign key would: a change of
	 * a worker's card waits for them and recomputes their months too)
	 */
	if (t == WM_LINE)
		wc_parents_share(&wm_workers, workers + Max(mw, 0), nw - Max(mw, 0));
	return waited || mw != 0;
}

/* new sheets up to this many are looked for in pay_line by its index, not by P_SHEET_LINES */
#define SHEETS_PROBED 16

/* The body of wagecheck_wage_month_sync(). */
static Datum
wage_month_sync(PG_FUNCTION_ARGS)
{
	TriggerData *td = wc_trigger_data(fcinfo, FN);
	wm_table	t;
	TupleDesc	desc;
	Tuplestorestate *olds,
			   *news;
	wc_datum_col		cols[3];
	Datum		values[3];
	int			att[3];
	bool		waited;

	wc_trigger_when(td, FN, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE | WC_TG_TRUNCATE,
					gettext_noop("an AFTER ... FOR EACH STATEMENT"));
	t = (wm_table) wc_trigger_on_tables(td, FN, wm_refs, WM_TABLES, "pay_sheet, pay_line or wage_payment");
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
	{
		wc_trigger_sql_settings();
		if (SPI_execute(wm_truncate_sql, false, 0) < 0)
			elog(ERROR, "wagecheck: rebuilding wagecheck.wage_month after TRUNCATE failed");
		SPI_finish();
		return PointerGetDatum(NULL);
	}
	wc_trigger_transitions(td, FN, &olds, &news);
	desc = RelationGetDescr(td->tg_relation);
	memset(cols, 0, sizeof(cols));

	/*
	 * (a load in replica mode: rows before their parents, which concurrent loaders may be
	 * writing; when it waited for them, the keys are recomputed below)
	 */
	waited = news != NULL && t != WM_SHEET && SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA &&
		parents_waited(td, t, news);
	/* new rows only: the insert paths */
	if (!waited && TRIGGER_FIRED_BY_INSERT(td->tg_event) && t != WM_SHEET)
	{
		bool		done;

		if (t == WM_LINE)
		{
			wc_datum_col lcols[LC_COLS];
			wc_datum_col ccols[3];
			int			n;

			memset(lcols, 0, sizeof(lcols));
			memset(ccols, 0, sizeof(ccols));
			done = read_lines(td, news, lcols, ccols, &n);
			if (n == 0)
			{
				SPI_finish();
				return PointerGetDatum(NULL);	/* no row written: nothing changed */
			}
			/*
			 * (corrections recompute: a statement of corrections alone, as a whole; the
			 * corrections of a statement whose other lines were added, apart)
			 */
			if (done && lcols[0].n > 0 && lines_added(lcols, ccols[0].n > 0))
			{
				/*
				 * (REPEATABLE READ, SERIALIZABLE: the lines were added as having no payment
				 * in the transaction's snapshot; one a load committed since fails the
				 * transaction)
				 */
				if (IsolationUsesXactSnapshot())
				{
					int64	   *ids = palloc(sizeof(int64) * lcols[LC_ID].n);

					for (int i = 0; i < lcols[LC_ID].n; i++)
						ids[i] = DatumGetInt64(lcols[LC_ID].v[i]);
					wc_children_raced(&wm_line_payments, ids, lcols[LC_ID].n,
									  gettext_noop("a new pay line"));
				}
				if (ccols[0].n > 0)
				{
					values[0] = wc_col_array(&ccols[0], INT8OID);
					values[1] = wc_col_array(&ccols[1], INT8OID);
					values[2] = wc_col_array(&ccols[2], INT8OID);
					run(P_REFRESH_LINE, values, SPI_OK_SELECT);
				}
				SPI_finish();
				return PointerGetDatum(NULL);
			}
		}
		else
		{
			Datum		rest[4];
			char		rest_nulls[4] = {' ', ' ', ' ', ' '};
			bool		keys_null[3];
			wc_datum_col pcols[PC_COLS];
			wc_datum_col lines = {0};
			wc_datum_col appended[3];
			int			keyed;

			memset(pcols, 0, sizeof(pcols));
			memset(appended, 0, sizeof(appended));
			read_payments(td, news, pcols);
			if (pcols[0].n == 0)
			{
				SPI_finish();
				return PointerGetDatum(NULL);	/* no row written: nothing changed */
			}
			keyed = payments_keyed(td, news, pcols, appended);
			if (keyed == pcols[0].n)
			{
				SPI_finish();
				return PointerGetDatum(NULL);
			}
			if (keyed >= 0)
				for (int i = 0; i < 3; i++)
				{
					/* (the months appended to, left alone by the recomputation; none: NULL) */
					keys_null[i] = appended[i].n == 0;
					if (!keys_null[i])
						rest[i + 1] = wc_col_array(&appended[i], i < 2 ? INT8OID : DATEOID);
				}
			if (keyed >= 0 || !payments_added(pcols, &rest[1], keys_null))
			{
				/* the months of the new payments that were not appended, each recomputed once */
				for (int i = 0; i < pcols[1].n; i++)
					if (!pcols[1].isnull[i])
						wc_col_add(&lines, pcols[1].v[i], false);
				rest[0] = wc_col_array(&lines, INT8OID);
				for (int i = 0; i < 3; i++)
					rest_nulls[i + 1] = keys_null[i] ? 'n' : ' ';
				run_nulls(P_REFRESH_PAYMENT_REST, rest, rest_nulls, SPI_OK_SELECT);
			}
			SPI_finish();
			return PointerGetDatum(NULL);
		}
		memset(cols, 0, sizeof(cols));
	}

	/* the keys of the old and new rows, recomputed */
	switch (t)
	{
		case WM_SHEET:
			att[0] = wc_trigger_column(td, FN, "sheet_id", INT8OID);
			att[1] = wc_trigger_column(td, FN, "project_id", INT8OID);
			att[2] = wc_trigger_column(td, FN, "period", DATEOID);
			read_cols(olds, desc, att, cols, 3);
			read_cols(news, desc, att, cols, 3);
			values[0] = wc_col_array(&cols[0], INT8OID);
			values[1] = wc_col_array(&cols[1], INT8OID);
			values[2] = wc_col_array(&cols[2], DATEOID);
			/* (all three are NOT NULL: a row with a NULL would leave the arrays out of step) */
			if (cols[1].n != cols[0].n || cols[2].n != cols[0].n)
				elog(ERROR, "wagecheck: a pay sheet without project or month");
			/*
			 * new sheets have no lines, but where a load wrote lines before their sheet
			 * (a restore, replica mode): one probe before the recomputation
			 */
			if (olds == NULL)
			{
				int			have = cols[0].n <= SHEETS_PROBED ? wc_sheets_have_lines(cols[0].v, cols[0].n) : -1;

				if (have < 0)
				{
					run(P_SHEET_LINES, values, SPI_OK_SELECT);
					have = SPI_processed > 0;
				}
				if (!have)
				{
					/* (REPEATABLE READ, SERIALIZABLE: lines a load committed since the snapshot fail the transaction) */
					if (IsolationUsesXactSnapshot())
					{
						int64	   *ids = palloc(sizeof(int64) * cols[0].n);

						for (int i = 0; i < cols[0].n; i++)
							ids[i] = DatumGetInt64(cols[0].v[i]);
						wc_children_raced(&wm_sheet_lines, ids, cols[0].n,
										  gettext_noop("a new pay sheet"));
					}
					break;
				}
			}
			run(P_REFRESH_SHEET, values, SPI_OK_SELECT);
			break;
		case WM_LINE:
			{
				wc_datum_col		corrected = {0};
				int			catt;

				/* (sheet_id, worker_id) pairs; the corrected lines apart */
				att[0] = wc_trigger_column(td, FN, "sheet_id", INT8OID);
				att[1] = wc_trigger_column(td, FN, "worker_id", INT8OID);
				catt = wc_trigger_column(td, FN, "corrects_line_id", INT8OID);
				read_cols(olds, desc, att, cols, 2);
				read_cols(news, desc, att, cols, 2);
				read_cols(olds, desc, &catt, &corrected, 1);
				read_cols(news, desc, &catt, &corrected, 1);
				if (cols[1].n != cols[0].n)
					elog(ERROR, "wagecheck: a pay line without worker");
				values[0] = wc_col_array(&cols[0], INT8OID);
				values[1] = wc_col_array(&cols[1], INT8OID);
				values[2] = wc_col_array(&corrected, INT8OID);
				run(P_REFRESH_LINE, values, SPI_OK_SELECT);
			}
			break;
		case WM_PAYMENT:
			att[0] = wc_trigger_column(td, FN, "line_id", INT8OID);
			read_cols(olds, desc, att, cols, 1);
			read_cols(news, desc, att, cols, 1);
			values[0] = wc_col_array(&cols[0], INT8OID);
			run(P_REFRESH_PAYMENT, values, SPI_OK_SELECT);
			break;
		default:
			elog(ERROR, "wagecheck: unexpected table");
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(wagecheck_wage_month_sync);
/* Trigger on pay_sheet, pay_line and wage_payment (AFTER each statement): keeps wage_month. */
Datum
wagecheck_wage_month_sync(PG_FUNCTION_ARGS)
{
	Datum		r = wc_trigger_run_as_owner(wage_month_sync, fcinfo, 0);

	/*
	 * (what the statement's checks kept of its payments' lines is its own: gone with it,
	 * whatever ran; an error forgets it with its transaction or subtransaction)
	 */
	wc_paid_lines_forget();
	return r;
}
