/*
 * attendance_months.c — wagecheck._attendance_month_sync(), the statement-level trigger on
 * attendance that keeps attendance_month, attendance_project_month and attendance_unpaid
 * (src/alerts/45_summaries.sql describes what they hold and who reads them).
 *
 * The trigger reads the statement's transition tables once (project, worker, day,
 * created_at), groups the rows by project, worker and month in plain C (src/core/attmonth.c:
 * sorted, one entry per month with the change of its day count and the new rows' bounds) and
 * hands the months to plans prepared once per backend, as arrays in key order:
 *   - an INSERT first adds the days of the months already counted whose new rows are known
 *     and dated no earlier than what they count, in one UPDATE of the months and their
 *     project months (the fast path: a day's attendance for months already attended, the
 *     common case; nothing else changes: no month came, none moved its moments). The other
 *     months go in one statement (INSERT ... ON CONFLICT in key order, so concurrent
 *     writers of a month add in turn on its row lock; the counts are commutative) that also
 *     adds the workers who came to the project's months, records in input_change the
 *     projects whose months may now exist at other moments and locks the attendance_unpaid
 *     rows of the months that came; one more statement then reads those again (with a
 *     fresh snapshot, after the lock) and keeps only the ones without a wage month;
 *   - an UPDATE or DELETE locks the months it touches in key order, then (with a fresh
 *     snapshot, after the lock) writes each month once: its days changed by the count,
 *     its bounds recomputed from the attendance rows left, the month deleted when no day is
 *     left, a month that came inserted (or added to, when a concurrent insert made it);
 *     then the project months, attendance_unpaid and input_change, as before;
 *   - a TRUNCATE empties the three summaries.
 * A one-row INSERT into a month already attended is one statement; the first day of a
 * worker's month, two (three when the backend's previous one-month insert took the fast path).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "alerts/kept_plans.h"
#include "core/attmonth.h"
#include "trigcheck.h"
#include "nls.h"

#define FN "wagecheck._attendance_month_sync()"

static wc_table_ref am_ref = WC_TABLE_REF("attendance");

/* The plans, prepared once per backend. */
typedef enum am_plan
{
	P_ADD_DAYS,					/* months of new rows, $1-$8 as P_INSERT: the months that only grow */
	P_INSERT,					/* months of new rows: $1-$3 keys, $4 days, $5-$8 bounds */
	P_LOCK,						/* $1-$3 keys: lock their months in key order */
	P_CHANGE,					/* $1-$3 keys, $4 change of days, $5-$8 the new rows' bounds, $9 their number */
	P_PROJECT_MONTHS,			/* $1 projects, $2 months: attendance_project_month recomputed */
	P_UNPAID_LOCK,				/* $1-$3 keys: their attendance_unpaid rows locked (placeholders) */
	P_UNPAID_DELETE,			/* $1-$3 keys: those without an attendance month or with a wage month go */
	P_CHANGE_UPDATE,			/* $1 projects, $2 $3 the new rows' created_at and days: input_change */
	P_CHANGE_DELETE,			/* $1 projects: input_change */
	P_PLANS
} am_plan;

#define KEYS "unnest($1::bigint[], $2::bigint[], $3::date[])"
/* the months of P_ADD_DAYS and P_INSERT: $1-$3 keys, $4 days, $5-$8 bounds (month_values) */
#define MONTHS \
	"unnest($1::bigint[], $2::bigint[], $3::date[], $4::bigint[], $5::timestamptz[], $6::date[]," \
	"       $7::date[], $8::timestamptz[])"
#define MONTHS_COLUMNS "project_id, worker_id, period, days, known_to, last_day, first_day, first_known"
#define MONTHS_TYPES \
	{INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID, INT8ARRAYOID, TIMESTAMPTZARRAYOID, DATEARRAYOID, DATEARRAYOID, \
	TIMESTAMPTZARRAYOID}
/* a month's row as locked by ON CONFLICT, with the days and bounds of excluded added */
#define ADD_EXCLUDED \
	"days = a.days + excluded.days, known_to = greatest(a.known_to, excluded.known_to)," \
	" last_day = greatest(a.last_day, excluded.last_day), first_day = least(a.first_day, excluded.first_day)," \
	" first_known = least(a.first_known, excluded.first_known)"

/*
 * wagecheck._attendance_month_moments(first_known, known_to, first_day, last_day) written
 * out: the function is STRICT (so never inlined) and a call of it costs more than the rest
 * of a one-row statement
 */
#define MOMENTS(fk, kt, fd, ld) \
	"tstzrange(least(" fk ", (" fd "::timestamp AT TIME ZONE 'UTC') - interval '14 hours')," \
	" greatest(" kt ", ((" ld " + 1)::timestamp AT TIME ZONE 'UTC') + interval '12 hours'), '[]')"
#define KEY_MATCH(a, b) \
	"(" a ".project_id, " a ".worker_id, " a ".period) = (" b ".project_id, " b ".worker_id, " b ".period)"

static const wc_kept_sql am_sql[P_PLANS] = {
	/*
	 * A month is new when it holds only the new rows' days. extended: the statement added
	 * the month, or rows known before its latest known_to or dated before its first_day
	 * (any other new row counts only after the month's row of first_day, known by
	 * known_to, counts already; checked on the row as locked by ON CONFLICT).
	 */
	/*
	 * The fast path: new rows that only add days to a month already there, known by and
	 * dated from what it counts (the month does not come, nor move its moments: no
	 * input_change, no attendance_unpaid), in one UPDATE of the months and their project
	 * months (each month's row lock taken before its condition is read, on its latest
	 * version; a project month is written only when its latest moment or day moves). It
	 * returns the months it covered (their places in the arrays); the rest go the general way.
	 */
	[P_ADD_DAYS] = {
		"WITH g AS ("
		"  SELECT * FROM " MONTHS " WITH ORDINALITY g(" MONTHS_COLUMNS ", i)),"
		" up AS ("
		"  UPDATE wagecheck.attendance_month a"
		"     SET days = a.days + g.days, known_to = greatest(a.known_to, g.known_to),"
		"         last_day = greatest(a.last_day, g.last_day), extended = false"
		"    FROM g"
		"   WHERE " KEY_MATCH("a", "g") " AND g.first_known >= a.known_to AND g.first_day >= a.first_day"
		"  RETURNING g.i, g.project_id, g.period, g.known_to, g.last_day),"
		" pm AS ("
		"  UPDATE wagecheck.attendance_project_month m"
		"     SET known_to = greatest(m.known_to, x.known_to), last_day = greatest(m.last_day, x.last_day)"
		"    FROM (SELECT up.project_id, up.period, max(up.known_to) AS known_to, max(up.last_day) AS last_day"
		"            FROM up GROUP BY 1, 2) x"
		"   WHERE (m.project_id, m.period) = (x.project_id, x.period)"
		"     AND (x.known_to > m.known_to OR x.last_day > m.last_day))"
		" SELECT array_agg(up.i) FROM up",
		8, MONTHS_TYPES},
	[P_INSERT] = {
		"WITH g AS ("
		"  SELECT * FROM " MONTHS " g(" MONTHS_COLUMNS ")),"
		" up AS ("
		"  INSERT INTO wagecheck.attendance_month AS a"
		"         (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)"
		"  SELECT g.project_id, g.worker_id, g.period, g.days, g.known_to, g.last_day, g.first_day, g.first_known,"
		"         true"
		"    FROM g"
		"  ON CONFLICT (project_id, worker_id, period) DO UPDATE"
		"     SET " ADD_EXCLUDED ","
		"         extended = excluded.first_known < a.known_to OR excluded.first_day < a.first_day"
		"  RETURNING a.project_id, a.worker_id, a.period, a.days, a.extended, a.first_known, a.known_to,"
		"            a.first_day, a.last_day),"
		" j AS MATERIALIZED ("
		"  SELECT up.*, up.days = g.days AS came, g.known_to AS g_known_to, g.last_day AS g_last_day"
		"    FROM up JOIN g ON " KEY_MATCH("g", "up") "),"
		" pm AS ("
		"  INSERT INTO wagecheck.attendance_project_month AS m (project_id, period, workers, known_to, last_day)"
		"  SELECT j.project_id, j.period, count(*) FILTER (WHERE j.came), max(j.g_known_to), max(j.g_last_day)"
		"    FROM j"
		"   GROUP BY 1, 2"
		"   ORDER BY 1, 2"
		"  ON CONFLICT (project_id, period) DO UPDATE"
		"     SET workers = m.workers + excluded.workers,"
		"         known_to = greatest(m.known_to, excluded.known_to),"
		"         last_day = greatest(m.last_day, excluded.last_day)"
		"   WHERE excluded.workers <> 0 OR excluded.known_to > m.known_to OR excluded.last_day > m.last_day),"
		" ic AS ("
		"  INSERT INTO wagecheck.input_change (table_name, moments, projects, op)"
		"  SELECT 'attendance_month',"
		"         range_agg(" MOMENTS("j.first_known", "j.known_to", "j.first_day", "j.last_day") "),"
		"         array_agg(DISTINCT j.project_id ORDER BY j.project_id), 'i'"
		"    FROM j"
		"   WHERE j.extended"
		"  HAVING count(*) > 0),"
		/* the months that came: their attendance_unpaid rows locked (see P_UNPAID_DELETE) */
		" un AS ("
		"  INSERT INTO wagecheck.attendance_unpaid AS t (period, project_id, worker_id)"
		"  SELECT j.period, j.project_id, j.worker_id FROM j WHERE j.came"
		"   ORDER BY 1, 2, 3"
		"  ON CONFLICT (period, project_id, worker_id) DO UPDATE SET worker_id = excluded.worker_id)"
		" SELECT array_agg(j.project_id), array_agg(j.worker_id), array_agg(j.period)"
		"   FROM j WHERE j.came",
		8, MONTHS_TYPES},
	[P_LOCK] = {
		"SELECT 1 FROM wagecheck.attendance_month a"
		" WHERE (a.project_id, a.worker_id, a.period) IN (SELECT * FROM " KEYS ")"
		" ORDER BY a.project_id, a.worker_id, a.period"
		"   FOR UPDATE OF a",
		3, {INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID}},

	/*
	 * The months it locked are written from the rows left (read after the lock: nobody
	 * else writes them until this commits); a month that did not exist when it locked is
	 * inserted, or added to (greatest/least, as an insert adds) when a concurrent insert
	 * made it meanwhile.
	 */
	[P_CHANGE] = {
		"WITH k AS ("
		"  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::date[], $4::bigint[], $5::timestamptz[],"
		"                       $6::date[], $7::date[], $8::timestamptz[], $9::bigint[])"
		"         k(project_id, worker_id, period, delta, known_to, last_day, first_day, first_known, added)),"
		" x AS MATERIALIZED ("
		"  SELECT k.*, r.known_to AS r_known_to, r.last_day AS r_last_day, r.first_day AS r_first_day,"
		"         r.first_known AS r_first_known"
		"    FROM k CROSS JOIN LATERAL ("
		"         SELECT max(r.created_at) AS known_to, max(r.day) AS last_day, min(r.day) AS first_day,"
		"                min(r.created_at) AS first_known"
		"           FROM wagecheck.attendance r"
		"          WHERE r.project_id = k.project_id AND r.worker_id = k.worker_id"
		"            AND r.day >= k.period AND r.day < (k.period + interval '1 month')::date) r),"
		" del AS ("
		"  DELETE FROM wagecheck.attendance_month a"
		"   USING x"
		"   WHERE " KEY_MATCH("a", "x") " AND a.days + x.delta <= 0),"
		" upd AS ("
		"  UPDATE wagecheck.attendance_month a"
		"     SET days = a.days + x.delta,"
		"         known_to = coalesce(x.r_known_to, a.known_to), last_day = coalesce(x.r_last_day, a.last_day),"
		"         first_day = coalesce(x.r_first_day, a.first_day),"
		"         first_known = coalesce(x.r_first_known, a.first_known),"
		"         extended = a.extended OR x.added > 0"
		"    FROM x"
		"   WHERE " KEY_MATCH("a", "x") " AND a.days + x.delta > 0"
		"     AND (x.delta <> 0 OR x.added > 0"
		"          OR (a.known_to, a.last_day, a.first_day, a.first_known)"
		"             IS DISTINCT FROM (x.r_known_to, x.r_last_day, x.r_first_day, x.r_first_known)))"
		" INSERT INTO wagecheck.attendance_month AS a"
		"        (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)"
		" SELECT x.project_id, x.worker_id, x.period, x.delta, x.known_to, x.last_day, x.first_day, x.first_known,"
		"        true"
		"   FROM x"
		"  WHERE x.delta > 0 AND x.added > 0"
		"    AND NOT EXISTS (SELECT 1 FROM wagecheck.attendance_month a WHERE " KEY_MATCH("a", "x") ")"
		" ON CONFLICT (project_id, worker_id, period) DO UPDATE"
		"    SET " ADD_EXCLUDED ", extended = true",
		9, {INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID, INT8ARRAYOID, TIMESTAMPTZARRAYOID, DATEARRAYOID,
		DATEARRAYOID, TIMESTAMPTZARRAYOID, INT8ARRAYOID}},
	[P_PROJECT_MONTHS] = {"SELECT wagecheck._attendance_project_month_refresh($1, $2)", 2,
	{INT8ARRAYOID, DATEARRAYOID}},

	/*
	 * attendance_unpaid: the rows are locked first (a placeholder for a key without one), in
	 * key order, then those without an attendance month or with a wage month go, read with
	 * a fresh snapshot: a writer changes its summary before it locks here, so of two writers
	 * of one key the later one sees the earlier one's month (as _attendance_unpaid_sync).
	 */
	[P_UNPAID_LOCK] = {
		"INSERT INTO wagecheck.attendance_unpaid AS t (period, project_id, worker_id)"
		" SELECT u.period, u.project_id, u.worker_id FROM " KEYS " u(project_id, worker_id, period)"
		"  ORDER BY 1, 2, 3"
		" ON CONFLICT (period, project_id, worker_id) DO UPDATE SET worker_id = excluded.worker_id",
		3, {INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID}},
	/*
	 * (each key looks its rows up by their primary keys - OFFSET 0 keeps the subqueries
	 * apart - and the rows go by their TIDs: a generic plan would otherwise hash or scan
	 * whole tables for a few keys; the rows are locked by P_UNPAID_LOCK, so their TIDs hold)
	 */
	[P_UNPAID_DELETE] = {
		"DELETE FROM wagecheck.attendance_unpaid t"
		" USING (SELECT u.tid FROM " KEYS " k(project_id, worker_id, period)"
		"         CROSS JOIN LATERAL (SELECT t2.ctid AS tid FROM wagecheck.attendance_unpaid t2"
		"                              WHERE (t2.period, t2.project_id, t2.worker_id)"
		"                                    = (k.period, k.project_id, k.worker_id)"
		"                             OFFSET 0) u"
		"         WHERE NOT EXISTS (SELECT 1 FROM wagecheck.attendance_month a WHERE " KEY_MATCH("a", "k") " OFFSET 0)"
		"            OR EXISTS (SELECT 1 FROM wagecheck.wage_month w WHERE " KEY_MATCH("w", "k") " OFFSET 0)) x"
		" WHERE t.ctid = x.tid",
		3, {INT8ARRAYOID, INT8ARRAYOID, DATEARRAYOID}},
	[P_CHANGE_UPDATE] = {
		"INSERT INTO wagecheck.input_change (table_name, moments, projects, op)"
		" SELECT 'attendance_month',"
		"        (SELECT range_agg(" MOMENTS("u.at", "u.at", "u.day", "u.day") ")"
		"           FROM unnest($2::timestamptz[], $3::date[]) u(at, day)),"
		"        $1, 'u'",
		3, {INT8ARRAYOID, TIMESTAMPTZARRAYOID, DATEARRAYOID}},
	[P_CHANGE_DELETE] = {
		"INSERT INTO wagecheck.input_change (table_name, moments, projects, op)"
		" VALUES ('attendance_month', NULL, $1, 'd')",
		1, {INT8ARRAYOID}},
};

static SPIPlanPtr am_plans[P_PLANS];

/* run: executes plan p; SPI is connected. */
static void
run(am_plan p, Datum *values, int expect)
{
	wc_kept_run(&am_sql[p], &am_plans[p], values, NULL, expect, "attendance_month");
}

/* The statement's rows, grown as the transition tables are read. */
typedef struct am_rows
{
	wc_att_row *v;
	size_t		n;
	size_t		cap;
} am_rows;

/* read_rows: appends every row of a transition table (added: the new rows' table). */
static void
read_rows(Tuplestorestate *rows, TupleDesc desc, const int *att, bool added, am_rows *out)
{
	TupleTableSlot *slot;

	if (rows == NULL)
		return;
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		nulls[4];
		Datum		d[4];
		wc_att_row *r;

		for (int i = 0; i < 4; i++)
			d[i] = slot_getattr(slot, att[i], &nulls[i]);
		/* (all four are NOT NULL in wagecheck.attendance) */
		if (nulls[0] || nulls[1] || nulls[2] || nulls[3])
			elog(ERROR, "wagecheck: an attendance row without project, worker, day or created_at");
		if (out->n == out->cap)
		{
			out->cap = out->cap ? out->cap * 2 : 16;
			out->v = out->v ? repalloc_huge(out->v, sizeof(wc_att_row) * out->cap)
				: palloc(sizeof(wc_att_row) * out->cap);
		}
		r = &out->v[out->n++];
		r->project_id = DatumGetInt64(d[0]);
		r->worker_id = DatumGetInt64(d[1]);
		r->day = DatumGetDateADT(d[2]);
		r->created_at = DatumGetTimestampTz(d[3]);
		r->added = added;
	}
	ExecDropSingleTupleTableSlot(slot);
}

/* The months' columns as Datums, in key order. */
typedef struct am_cols
{
	Datum	   *project,
			   *worker,
			   *period,
			   *delta,
			   *known_to,
			   *last_day,
			   *first_day,
			   *first_known;
} am_cols;

static void
months_cols(const wc_att_month *m, int k, am_cols *c)
{
	Datum	  **all[] = {&c->project, &c->worker, &c->period, &c->delta, &c->known_to, &c->last_day, &c->first_day,
	&c->first_known};

	for (int i = 0; i < lengthof(all); i++)
		*all[i] = palloc_extended(sizeof(Datum) * Max(k, 1), MCXT_ALLOC_HUGE);
	for (int i = 0; i < k; i++)
	{
		c->project[i] = Int64GetDatum(m[i].project_id);
		c->worker[i] = Int64GetDatum(m[i].worker_id);
		c->period[i] = DateADTGetDatum(m[i].period);
		c->delta[i] = Int64GetDatum(m[i].delta);
		c->known_to[i] = TimestampTzGetDatum(m[i].known_to);
		c->last_day[i] = DateADTGetDatum(m[i].last_day);
		c->first_day[i] = DateADTGetDatum(m[i].first_day);
		c->first_known[i] = TimestampTzGetDatum(m[i].first_known);
	}
}

/* unpaid_sync: the keys' attendance month came or went: their attendance_unpaid rows. */
static void
unpaid_sync(Datum *keys)
{
	run(P_UNPAID_LOCK, keys, SPI_OK_INSERT);
	run(P_UNPAID_DELETE, keys, SPI_OK_DELETE);
}

/* month_values: the months' keys, days and bounds, the parameters of P_ADD_DAYS and P_INSERT. */
static void
month_values(const wc_att_month *m, int k, Datum *values)
{
	am_cols		c;

	months_cols(m, k, &c);
	values[0] = wc_datums_array(c.project, NULL, k, INT8OID);
	values[1] = wc_datums_array(c.worker, NULL, k, INT8OID);
	values[2] = wc_datums_array(c.period, NULL, k, DATEOID);
	values[3] = wc_datums_array(c.delta, NULL, k, INT8OID);
	values[4] = wc_datums_array(c.known_to, NULL, k, TIMESTAMPTZOID);
	values[5] = wc_datums_array(c.last_day, NULL, k, DATEOID);
	values[6] = wc_datums_array(c.first_day, NULL, k, DATEOID);
	values[7] = wc_datums_array(c.first_known, NULL, k, TIMESTAMPTZOID);
}

/*
 * days_added: the fast path; the months it did not cover are moved to the front of m,
 * their number returned.
 */
static int
days_added(wc_att_month *m, int k)
{
	Datum		values[8];
	HeapTuple	r;
	bool		isnull;
	Datum		d;
	bool	   *covered;
	int			left = 0;

	month_values(m, k, values);
	/* (one month: its row lock is the only one; more: taken in key order first, as elsewhere) */
	if (k > 1)
		run(P_LOCK, values, SPI_OK_SELECT);
	run(P_ADD_DAYS, values, SPI_OK_SELECT);
	if (SPI_processed != 1)
		elog(ERROR, "wagecheck: adding days to wagecheck.attendance_month returned %llu rows",
			 (unsigned long long) SPI_processed);
	r = SPI_tuptable->vals[0];
	d = SPI_getbinval(r, SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return k;				/* none covered */
	covered = palloc0(sizeof(bool) * k);
	{
		Datum	   *ords;
		bool	   *nulls;
		int			n;

		deconstruct_array(DatumGetArrayTypeP(d), INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &ords, &nulls, &n);
		for (int i = 0; i < n; i++)
		{
			int64		o = nulls[i] ? 0 : DatumGetInt64(ords[i]);

			if (o < 1 || o > k)
				elog(ERROR, "wagecheck: adding days to wagecheck.attendance_month covered month %lld of %d",
					 (long long) o, k);
			covered[o - 1] = true;
		}
	}
	for (int i = 0; i < k; i++)
		if (!covered[i])
			m[left++] = m[i];
	return left;
}

/*
 * Whether this backend's last one-month insert made its month come: a device or clerk
 * writing the first day of a month for one worker after another would try the fast path
 * in vain each time, so a one-month insert after one that came goes the general way
 * first (which adds to a month already there just as well, in one statement).
 */
static bool am_last_came = false;

/* inserted: the new rows' months added. */
static void
inserted(wc_att_month *m, int k)
{
	Datum		values[8];
	HeapTuple	r;
	bool		isnull[3];
	Datum		keys[3];

	if (k > 1 || !am_last_came)
	{
		k = days_added(m, k);
		if (k == 0)
		{
			am_last_came = false;
			return;
		}
	}
	month_values(m, k, values);
	run(P_INSERT, values, SPI_OK_SELECT);
	if (SPI_processed != 1)
		elog(ERROR, "wagecheck: adding attendance to wagecheck.attendance_month returned %llu rows",
			 (unsigned long long) SPI_processed);
	r = SPI_tuptable->vals[0];
	for (int i = 0; i < 3; i++)
		keys[i] = SPI_getbinval(r, SPI_tuptable->tupdesc, i + 1, &isnull[i]);
	am_last_came = k == 1 && !isnull[0];
	/*
	 * the months that came: their attendance without a wage month (their rows of
	 * attendance_unpaid were locked by the statement that added them; read again now)
	 */
	if (!isnull[0] && !isnull[1] && !isnull[2])
	{
		/* (copied out of the result before the next statement frees it) */
		keys[0] = PointerGetDatum(DatumGetArrayTypePCopy(keys[0]));
		keys[1] = PointerGetDatum(DatumGetArrayTypePCopy(keys[1]));
		keys[2] = PointerGetDatum(DatumGetArrayTypePCopy(keys[2]));
		run(P_UNPAID_DELETE, keys, SPI_OK_DELETE);
	}
}

/* changed: an update's or a delete's months (rows: the statement's rows, for the moments). */
static void
changed(const wc_att_month *m, int k, const am_rows *rows, bool update)
{
	Datum		values[9];
	Datum	   *projects = palloc_extended(sizeof(Datum) * Max(k, 1), MCXT_ALLOC_HUGE);
	int			np = 0;
	Datum	   *added = palloc_extended(sizeof(Datum) * Max(k, 1), MCXT_ALLOC_HUGE);

	month_values(m, k, values);
	for (int i = 0; i < k; i++)
		added[i] = Int64GetDatum(m[i].added);
	values[8] = wc_datums_array(added, NULL, k, INT8OID);
	/* lock the months in key order, then write each once */
	run(P_LOCK, values, SPI_OK_SELECT);
	run(P_CHANGE, values, SPI_OK_INSERT);
	/* the project months written, recomputed from their workers' months */
	{
		Datum		pm[2] = {values[0], values[2]};

		run(P_PROJECT_MONTHS, pm, SPI_OK_SELECT);
	}
	unpaid_sync(values);
	/* every project of the old and new rows (the months are in project order) */
	for (int i = 0; i < k; i++)
		if (np == 0 || DatumGetInt64(projects[np - 1]) != m[i].project_id)
			projects[np++] = Int64GetDatum(m[i].project_id);
	if (update)
	{
		/* the moments of the new rows */
		Datum	   *at = palloc(sizeof(Datum) * Max(rows->n, 1));
		Datum	   *day = palloc(sizeof(Datum) * Max(rows->n, 1));
		int			n = 0;
		Datum		ic[3];

		for (size_t i = 0; i < rows->n; i++)
			if (rows->v[i].added)
			{
				at[n] = TimestampTzGetDatum(rows->v[i].created_at);
				day[n] = DateADTGetDatum(rows->v[i].day);
				n++;
			}
		ic[0] = wc_datums_array(projects, NULL, np, INT8OID);
		ic[1] = wc_datums_array(at, NULL, n, TIMESTAMPTZOID);
		ic[2] = wc_datums_array(day, NULL, n, DATEOID);
		run(P_CHANGE_UPDATE, ic, SPI_OK_INSERT);
	}
	else
	{
		Datum		ic = wc_datums_array(projects, NULL, np, INT8OID);

		run(P_CHANGE_DELETE, &ic, SPI_OK_INSERT);
	}
}

static const char *const am_truncate_sql =
"TRUNCATE wagecheck.attendance_month, wagecheck.attendance_project_month, wagecheck.attendance_unpaid;"
"INSERT INTO wagecheck.input_change (table_name, moments, projects, op)"
" VALUES ('attendance_month', NULL, NULL, 't');";

PG_FUNCTION_INFO_V1(wagecheck_attendance_month_sync);
/* Trigger on attendance (AFTER each statement): keeps attendance_month and the summaries kept with it. */
Datum
wagecheck_attendance_month_sync(PG_FUNCTION_ARGS)
{
	TriggerData *td = wc_trigger_data(fcinfo, FN);
	Tuplestorestate *olds,
			   *news;
	TupleDesc	desc;
	int			att[4];
	am_rows		rows = {0};
	wc_att_month *months;
	size_t		k;

	wc_trigger_when(td, FN, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE | WC_TG_TRUNCATE,
					_("an AFTER ... FOR EACH STATEMENT"));
	wc_trigger_on_table(td, FN, &am_ref);
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute(am_truncate_sql, false, 0) < 0)
			elog(ERROR, "wagecheck: emptying wagecheck.attendance_month after TRUNCATE failed");
		SPI_finish();
		return PointerGetDatum(NULL);
	}
	wc_trigger_transitions(td, FN, &olds, &news);
	att[0] = wc_trigger_column(td, FN, "project_id", INT8OID);
	att[1] = wc_trigger_column(td, FN, "worker_id", INT8OID);
	att[2] = wc_trigger_column(td, FN, "day", DATEOID);
	att[3] = wc_trigger_column(td, FN, "created_at", TIMESTAMPTZOID);
	desc = RelationGetDescr(td->tg_relation);
	read_rows(olds, desc, att, false, &rows);
	/* an update or delete that wrote no row changed nothing (its new rows are none either) */
	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event) && rows.n == 0)
		return PointerGetDatum(NULL);
	read_rows(news, desc, att, true, &rows);
	if (rows.n == 0)
		return PointerGetDatum(NULL);
	months = palloc_extended(sizeof(wc_att_month) * rows.n, MCXT_ALLOC_HUGE);
	/* (grouping sorts the rows: an update's moments are read from them after, in any order) */
	k = wc_att_group(rows.v, rows.n, months);
	/* (more months than an array holds: over 134 million in one statement) */
	if (k > (size_t) MaxArraySize)
		elog(ERROR, "wagecheck: %zu attendance months in one statement, more than an array holds", k);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		inserted(months, (int) k);
	else
		changed(months, (int) k, &rows, TRIGGER_FIRED_BY_UPDATE(td->tg_event));
	SPI_finish();
	return PointerGetDatum(NULL);
}
