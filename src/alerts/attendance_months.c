/*
 * attendance_months.c — wagecheck._attendance_month_sync(), the statement-level trigger on
 * attendance that keeps attendance_month, attendance_project_month and attendance_unpaid
 * (src/alerts/45_summaries.sql describes what they hold and who reads them).
 *
 * The trigger reads the statement's transition tables once (project, worker, day,
 * created_at) and groups the rows by project, worker and month in plain C
 * (src/core/attmonth.c: sorted, one entry per month with the change of its day count and
 * the new rows' bounds). The summaries of an INSERT are written by key (src/alerts/keyed.c:
 * no statement) when they are plain tables written that way (wc_keyed_open) and the
 * transaction is READ COMMITTED, and by plans prepared once per backend, taking the months
 * as arrays in key order, when not:
 *   - an INSERT of several months (inserted_keyed; the plan P_INSERT) adds each month once,
 *     in key order, as INSERT ... ON CONFLICT adds it (concurrent writers of a month add in
 *     turn on its row; the counts are commutative); then locks (a new row, or the row
 *     there) the attendance_unpaid rows of the months that came, in that table's key
 *     order; records in input_change the projects whose months may now exist at other
 *     moments; and adds to the project months, in key order, each once, the workers who
 *     came and the new rows' latest moment and day (the row locked whether it changes or
 *     not, as ON CONFLICT ... WHERE locks it: a recomputation after a delete waits for
 *     it). The wage months of the months that came are then read (with a fresh snapshot,
 *     after the lock) through wage_month's primary key, and the attendance_unpaid rows of
 *     those that have one go again;
 *   - a one-month insert (a one-row statement: month_keyed; the plans P_ADD_DAY1 and
 *     P_INSERT1, taking the month as scalars) adds its days to the month already counted
 *     when its rows are known and dated no earlier than what the month counts (a day's
 *     attendance for a month already attended, the common case: nothing else changes, no
 *     month came, none moved its moments), as one UPDATE of the month and its project
 *     month would (read, and written only when its condition holds on the newest
 *     version; a project month it does not move locked FOR KEY SHARE and looked at again
 *     on the version locked), or inserts the month that comes, with its project month, its
 *     attendance_unpaid row and its change; a month known or dated earlier takes
 *     P_INSERT1;
 *   - an UPDATE or DELETE locks the months it touches in key order, then (with a fresh
 *     snapshot, after the lock) writes each month once: its days changed by the count,
 *     its bounds recomputed from the attendance rows left, the month deleted when no day is
 *     left, a month that came inserted (or added to, when a concurrent insert made it);
 *     then the project months, attendance_unpaid and input_change, by statements (a
 *     project month recomputed after its row is locked FOR UPDATE, which waits for every
 *     writer of one of its months: the inserters lock it too, FOR KEY SHARE when they do
 *     not change it, so those do not wait for each other);
 *   - a TRUNCATE empties the three summaries.
 * A row written by key is read, then replaced where it was the newest version
 * (wc_keyed_update_read: as an UPDATE writes the version it read, without a lock of its own
 * first), read again when another writer changed it meanwhile. The change capture of
 * attendance_month remembers, as capture.c does, the months that came whose change this
 * transaction recorded already: a one-row statement does not record it again.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/nbtree.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "alerts/capture.h"
#include "alerts/keyed.h"
#include "alerts/kept_plans.h"
#include "catalog_watch.h"
#include "core/attmonth.h"
#include "trigcheck.h"
#include "trigowner.h"
#include "nls.h"

#define FN "wagecheck._attendance_month_sync()"

static wc_table_ref am_ref = WC_TABLE_REF("attendance");

/* The plans, prepared once per backend. */
typedef enum am_plan
{
	P_INSERT,					/* months of new rows: $1-$3 keys, $4 days, $5-$8 bounds */
	P_LOCK,						/* $1-$3 keys: lock their months in key order */
	P_CHANGE,					/* $1-$3 keys, $4 change of days, $5-$8 the new rows' bounds, $9 their number */
	P_PROJECT_MONTHS,			/* $1 projects, $2 months: attendance_project_month recomputed */
	P_UNPAID_LOCK,				/* $1-$3 keys: their attendance_unpaid rows locked (placeholders) */
	P_UNPAID_DELETE,			/* $1-$3 keys: those without an attendance month or with a wage month go */
	P_CHANGE_UPDATE,			/* $1 projects, $2 $3 the new rows' created_at and days: input_change */
	P_CHANGE_DELETE,			/* $1 projects: input_change */
	P_ADD_DAY1,					/* one month of new rows, $1-$8 as P_INSERT (scalars): if it only grows */
	P_PM_MOVE1,					/* $1 project, $4 month: its project month takes $2 $3, the latest moment and day */
	P_INSERT1,					/* one month of new rows, $1-$8 as P_INSERT (scalars) */
	P_INSERT1_KNOWN,			/* the same, when the change of the month, if it comes, is recorded already */
	P_MONTH_CHANGE1,			/* $1 project, $2-$5 a month's bounds: its change recorded */
	P_MONTHS_CHANGE,			/* $1 projects, $2-$5 months' bounds: their change recorded (keyed inserts) */
	P_PLANS
} am_plan;

#define KEYS "unnest($1::bigint[], $2::bigint[], $3::date[])"
/* the months of P_INSERT: $1-$3 keys, $4 days, $5-$8 bounds (month_values) */
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

/*
 * The parts of P_INSERT1 and P_INSERT1_KNOWN: the month added ($1-$8 as P_INSERT, as
 * scalars), returning whether it came and whether its change is to be recorded (changed),
 * with its bounds; its project month; its change recorded (P_INSERT1 only); its
 * attendance_unpaid row locked when it came.
 */
#define INSERT1_UP(changed) \
	"WITH up AS (" \
	"  INSERT INTO wagecheck.attendance_month AS a" \
	"         (project_id, worker_id, period, days, known_to, last_day, first_day, first_known, extended)" \
	"  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true)" \
	"  ON CONFLICT (project_id, worker_id, period) DO UPDATE" \
	"     SET " ADD_EXCLUDED "," \
	"         extended = excluded.first_known < a.known_to OR excluded.first_day < a.first_day" \
	"  RETURNING a.days = $4 AS came, " changed " AS changed," \
	"            a.first_known, a.known_to, a.first_day, a.last_day)"
#define INSERT1_PM \
	" pm AS (" \
	"  INSERT INTO wagecheck.attendance_project_month AS m (project_id, period, workers, known_to, last_day)" \
	"  SELECT $1, $3, CASE WHEN up.came THEN 1 ELSE 0 END, $5, $6 FROM up" \
	"  ON CONFLICT (project_id, period) DO UPDATE" \
	"     SET workers = m.workers + excluded.workers," \
	"         known_to = greatest(m.known_to, excluded.known_to)," \
	"         last_day = greatest(m.last_day, excluded.last_day)" \
	"   WHERE excluded.workers <> 0 OR excluded.known_to > m.known_to OR excluded.last_day > m.last_day)"
#define INSERT1_IC \
	" ic AS (" \
	"  INSERT INTO wagecheck.input_change (table_name, moments, projects, op)" \
	"  SELECT 'attendance_month'," \
	"         tstzmultirange(" MOMENTS("up.first_known", "up.known_to", "up.first_day", "up.last_day") ")," \
	"         ARRAY[$1], 'i'" \
	"    FROM up WHERE up.changed)"
#define INSERT1_UN \
	" un AS (" \
	"  INSERT INTO wagecheck.attendance_unpaid AS t (period, project_id, worker_id)" \
	"  SELECT $3, $1, $2 FROM up WHERE up.came" \
	"  ON CONFLICT (period, project_id, worker_id) DO UPDATE SET worker_id = excluded.worker_id)"
#define INSERT1_SELECT \
	" SELECT up.came, up.changed, up.first_known, up.known_to, up.first_day, up.last_day FROM up"

static const wc_kept_sql am_sql[P_PLANS] = {
	/*
	 * A month is new when it holds only the new rows' days. extended: the statement added
	 * the month, or rows known before its latest known_to or dated before its first_day
	 * (any other new row counts only after the month's row of first_day, known by
	 * known_to, counts already; checked on the row as locked by ON CONFLICT).
	 */
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

	/*
	 * One month (a one-row statement, a device's day), its parameters as scalars, without
	 * the arrays' unnest, join, grouping and sorts. P_ADD_DAY1, the fast path: new rows that
	 * only add days to a month already there, known by and dated from what it counts (the
	 * month does not come, nor move its moments: no input_change, no attendance_unpaid), in
	 * one UPDATE of the month and its project month (the month's row lock taken before its
	 * condition is read, on its latest version; the project month written only when its
	 * latest moment or day moves, locked FOR KEY SHARE otherwise, so that a recomputation
	 * after a delete, which locks it FOR UPDATE, waits and sees the month); it returns
	 * whether it did, and whether the project month's version locked (its latest, after a
	 * recomputation waited for) is older than the rows (P_PM_MOVE1 then moves it).
	 * P_INSERT1, as P_INSERT; P_INSERT1_KNOWN, when the change of the month, if it comes, is
	 * recorded already in this transaction (see wc_change_recorded): it records none, and
	 * returns as changed a month extended that did not come (P_MONTH_CHANGE1 records it).
	 */
	[P_ADD_DAY1] = {
		"WITH up AS ("
		"  UPDATE wagecheck.attendance_month a"
		"     SET days = a.days + $4, known_to = greatest(a.known_to, $5), last_day = greatest(a.last_day, $6),"
		"         extended = false"
		"   WHERE (a.project_id, a.worker_id, a.period) = ($1, $2, $3) AND $8 >= a.known_to AND $7 >= a.first_day"
		"  RETURNING 1),"
		" pm AS ("
		"  UPDATE wagecheck.attendance_project_month m"
		"     SET known_to = greatest(m.known_to, $5), last_day = greatest(m.last_day, $6)"
		"   WHERE (m.project_id, m.period) = ($1, $3) AND ($5 > m.known_to OR $6 > m.last_day)"
		"     AND EXISTS (SELECT 1 FROM up)"
		"  RETURNING 1),"
		" sh AS ("
		"  SELECT m.known_to, m.last_day FROM wagecheck.attendance_project_month m"
		"   WHERE (m.project_id, m.period) = ($1, $3) AND EXISTS (SELECT 1 FROM up) AND NOT EXISTS (SELECT 1 FROM pm)"
		"     FOR KEY SHARE OF m)"
		" SELECT (SELECT count(*) FROM up), EXISTS (SELECT 1 FROM sh WHERE $5 > sh.known_to OR $6 > sh.last_day)",
		8, {INT8OID, INT8OID, DATEOID, INT8OID, TIMESTAMPTZOID, DATEOID, DATEOID, TIMESTAMPTZOID}},
	/* the project month of P_ADD_DAY1 when the version it locked is older than the month's rows */
	[P_PM_MOVE1] = {
		"UPDATE wagecheck.attendance_project_month m"
		"   SET known_to = greatest(m.known_to, $2), last_day = greatest(m.last_day, $3)"
		" WHERE (m.project_id, m.period) = ($1, $4) AND ($2 > m.known_to OR $3 > m.last_day)",
		4, {INT8OID, TIMESTAMPTZOID, DATEOID, DATEOID}},
	[P_INSERT1] = {
		INSERT1_UP("a.extended") "," INSERT1_PM "," INSERT1_IC "," INSERT1_UN INSERT1_SELECT,
		8, {INT8OID, INT8OID, DATEOID, INT8OID, TIMESTAMPTZOID, DATEOID, DATEOID, TIMESTAMPTZOID}},
	[P_INSERT1_KNOWN] = {
		INSERT1_UP("a.extended AND a.days <> $4") "," INSERT1_PM "," INSERT1_UN INSERT1_SELECT,
		8, {INT8OID, INT8OID, DATEOID, INT8OID, TIMESTAMPTZOID, DATEOID, DATEOID, TIMESTAMPTZOID}},
	[P_MONTH_CHANGE1] = {
		"INSERT INTO wagecheck.input_change (table_name, moments, projects, op)"
		" SELECT 'attendance_month', tstzmultirange(" MOMENTS("$2", "$3", "$4", "$5") "), ARRAY[$1], 'i'",
		5, {INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID, DATEOID, DATEOID}},
	/* the change P_INSERT's ic records, of months written by key (inserted_keyed) */
	[P_MONTHS_CHANGE] = {
		"INSERT INTO wagecheck.input_change (table_name, moments, projects, op)"
		" SELECT 'attendance_month', range_agg(" MOMENTS("u.fk", "u.kt", "u.fd", "u.ld") "),"
		"        array_agg(DISTINCT u.p ORDER BY u.p), 'i'"
		"   FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::date[], $5::date[]) u(p, fk, kt, fd, ld)"
		" HAVING count(*) > 0",
		5, {INT8ARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID, DATEARRAYOID, DATEARRAYOID}},
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

/* month_values: the months' keys, days and bounds, the parameters of P_INSERT and P_CHANGE. */
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
 * A table of schema wagecheck as found by its name and checked (wc_keyed_open, or the
 * probe of wage_month), remembered until this backend processes a relcache invalidation of
 * any relation (wc_relcache_generation, src/catalog_watch.c): it is opened again by its
 * OIDs, without looking up its name, its primary key's columns or the columns the caller
 * reads (what the caller found of those stays true while nothing was invalidated).
 */
typedef struct am_table
{
	uint64		seen;			/* the invalidations counted when found; 0: not found */
	Oid			relid;
	Oid			pk;
	int			nkeys;
	AttrNumber	keyatt[WC_KEYED_MAX_KEYS];
} am_table;

/*
 * am_table_open: t's table and primary key opened by their OIDs (lockmode), when no relcache
 * invalidation came since t was found, also none that taking the lock brought; false,
 * nothing left open, otherwise (the caller finds it by name).
 */
static bool
am_table_open(const am_table *t, LOCKMODE lockmode, Relation *rel, Relation *pk)
{
	if (t->seen == 0 || t->seen != wc_relcache_generation())
		return false;
	*rel = try_relation_open(t->relid, lockmode);
	if (*rel == NULL)
		return false;
	if (t->seen != wc_relcache_generation())
	{
		relation_close(*rel, lockmode);
		return false;
	}
	*pk = index_open(t->pk, lockmode);
	return true;
}

/* am_table_found: t is the table k opened by name, found when the invalidations counted were seen. */
static void
am_table_found(am_table *t, const wc_keyed *k, uint64 seen)
{
	t->seen = seen;
	t->relid = RelationGetRelid(k->rel);
	t->pk = RelationGetRelid(k->pk);
	t->nkeys = k->nkeys;
	memcpy(t->keyatt, k->keyatt, sizeof(t->keyatt));
}

/*
 * am_keyed_reopen: k opened for keyed writes, as wc_keyed_open opens it, by the OIDs of t
 * (am_table_open); false, nothing left open, when t may have changed since it was found (a
 * table that has a trigger, a rule or forced row security now sent an invalidation).
 */
static bool
am_keyed_reopen(const am_table *t, wc_keyed *k)
{
	memset(k, 0, sizeof(*k));
	/* (a handle the transaction holds already: src/alerts/keyed.c) */
	if (t->seen != 0 && t->seen == wc_relcache_generation() &&
		wc_keyed_reuse(t->relid, t->pk, t->nkeys, t->keyatt, k))
		return true;
	if (!am_table_open(t, RowExclusiveLock, &k->rel, &k->pk))
		return false;
	k->nkeys = t->nkeys;
	memcpy(k->keyatt, t->keyatt, sizeof(k->keyatt));
	wc_keyed_prepare(k, true);
	return true;
}

/*
 * The wage months of the keys whose attendance month came, read with a fresh snapshot
 * (after the statement that added the months locked their attendance_unpaid rows): a
 * key with one has its attendance_unpaid row deleted again (P_UNPAID_DELETE, which reads
 * the same). Read through wage_month's primary key, not by a statement: most months that
 * come have no wage month yet, and a statement for each would cost more than the rest.
 */
typedef struct wm_probe
{
	Relation	rel;
	Relation	index;
	Snapshot	snapshot;
	TupleTableSlot *slot;
} wm_probe;

/* wm_probe_open: false when wage_month or its primary key is not as expected (the keys then go to P_UNPAID_DELETE). */
static bool
wm_probe_open(wm_probe *w)
{
	static am_table found;
	uint64		seen = wc_relcache_generation();
	Oid			nsp;
	Oid			relid;
	Oid			pk;
	static const char *const cols[3] = {"project_id", "worker_id", "period"};
	static const Oid types[3] = {INT8OID, INT8OID, DATEOID};

	if (am_table_open(&found, AccessShareLock, &w->rel, &w->index))
	{
		w->snapshot = RegisterSnapshot(GetTransactionSnapshot());
		w->slot = table_slot_create(w->rel, NULL);
		return true;
	}
	found.seen = 0;
	nsp = wc_schema_oid();
	relid = OidIsValid(nsp) ? get_relname_relid("wage_month", nsp) : InvalidOid;
	if (!OidIsValid(relid))
		return false;
	w->rel = table_open(relid, AccessShareLock);
	pk = w->rel->rd_rel->relkind == RELKIND_RELATION ? RelationGetPrimaryKeyIndex(w->rel) : InvalidOid;
	if (!OidIsValid(pk))
	{
		table_close(w->rel, AccessShareLock);
		return false;
	}
	w->index = index_open(pk, AccessShareLock);
	if (w->index->rd_rel->relam != BTREE_AM_OID || w->index->rd_index->indnkeyatts != 3)
		goto no;
	for (int i = 0; i < 3; i++)
	{
		AttrNumber	a = w->index->rd_index->indkey.values[i];
		Form_pg_attribute att;

		if (a <= 0 || a > RelationGetDescr(w->rel)->natts)
			goto no;
		att = TupleDescAttr(RelationGetDescr(w->rel), a - 1);
		if (att->attisdropped || att->atttypid != types[i] || strcmp(NameStr(att->attname), cols[i]) != 0 ||
			w->index->rd_opcintype[i] != types[i])
			goto no;
	}
	w->snapshot = RegisterSnapshot(GetTransactionSnapshot());
	w->slot = table_slot_create(w->rel, NULL);
	found.seen = seen;
	found.relid = relid;
	found.pk = pk;
	return true;
no:
	index_close(w->index, AccessShareLock);
	table_close(w->rel, AccessShareLock);
	return false;
}

/* wm_probe_has: whether the key has a wage month. */
static bool
wm_probe_has(wm_probe *w, int64 project, int64 worker, DateADT period)
{
	ScanKeyData key[3];
	IndexScanDesc scan;
	bool		found;

	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(project));
	ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(worker));
	ScanKeyInit(&key[2], 3, BTEqualStrategyNumber, F_DATE_EQ, DateADTGetDatum(period));
	scan = index_beginscan(w->rel, w->index, w->snapshot, 3, 0);
	index_rescan(scan, key, 3, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, w->slot);
	index_endscan(scan);
	return found;
}

static void
wm_probe_close(wm_probe *w)
{
	ExecDropSingleTupleTableSlot(w->slot);
	UnregisterSnapshot(w->snapshot);
	index_close(w->index, AccessShareLock);
	table_close(w->rel, AccessShareLock);
}

/*
 * came_unpaid_months: the months m[idx[0..n)] (m[0..n) without idx) whose attendance month
 * came, as came_unpaid.
 */
static void
came_unpaid_months(const wc_att_month *m, const int *idx, int n)
{
	wm_probe	w;
	wc_datum_col paid[3] = {{0}};
	bool		probe;

	if (n == 0)
		return;
	probe = wm_probe_open(&w);
	for (int j = 0; j < n; j++)
	{
		const wc_att_month *x = &m[idx ? idx[j] : j];

		if (!probe || wm_probe_has(&w, x->project_id, x->worker_id, x->period))
		{
			wc_col_add(&paid[0], Int64GetDatum(x->project_id), false);
			wc_col_add(&paid[1], Int64GetDatum(x->worker_id), false);
			wc_col_add(&paid[2], DateADTGetDatum(x->period), false);
		}
	}
	if (probe)
		wm_probe_close(&w);
	/* (without the probe, every key goes to P_UNPAID_DELETE, which reads the same) */
	if (paid[0].n > 0)
	{
		Datum		pk[3] = {wc_col_array(&paid[0], INT8OID), wc_col_array(&paid[1], INT8OID),
		wc_col_array(&paid[2], DATEOID)};

		run(P_UNPAID_DELETE, pk, SPI_OK_DELETE);
	}
}

/*
 * came_unpaid: the keys (arrays of projects, workers, months) whose attendance month came:
 * their attendance_unpaid rows, locked by the statement that added the months, go again
 * where a wage month is there now.
 */
static void
came_unpaid(Datum *keys)
{
	Datum	   *k[3];
	int			n[3];
	wc_att_month *m;

	deconstruct_array(DatumGetArrayTypeP(keys[0]), INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &k[0], NULL, &n[0]);
	deconstruct_array(DatumGetArrayTypeP(keys[1]), INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &k[1], NULL, &n[1]);
	deconstruct_array(DatumGetArrayTypeP(keys[2]), DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &k[2], NULL, &n[2]);
	if (n[0] != n[1] || n[0] != n[2])
		elog(ERROR, "wagecheck: the months that came are %d projects, %d workers and %d months", n[0], n[1], n[2]);
	m = palloc_extended(sizeof(wc_att_month) * Max(n[0], 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int i = 0; i < n[0]; i++)
	{
		m[i].project_id = DatumGetInt64(k[0][i]);
		m[i].worker_id = DatumGetInt64(k[1][i]);
		m[i].period = DatumGetDateADT(k[2][i]);
	}
	came_unpaid_months(m, NULL, n[0]);
}

/*
 * month_moments: the moments from which a month of these bounds exists for a scan, as
 * MOMENTS (wagecheck._attendance_month_moments) computes them; false when a bound is not
 * a finite, valid time (the change is then not remembered).
 */
static bool
month_moments(int64 first_known, int64 known_to, DateADT first_day, DateADT last_day, wc_span *out)
{
	const int64 h = USECS_PER_HOUR;

	if (DATE_NOT_FINITE(first_day) || DATE_NOT_FINITE(last_day) || TIMESTAMP_NOT_FINITE(first_known) ||
		TIMESTAMP_NOT_FINITE(known_to) || !IS_VALID_DATE(first_day) || !IS_VALID_DATE(last_day) ||
		last_day >= (DateADT) (TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE - 1))
		return false;
	out->lo = Min(first_known, (int64) first_day * USECS_PER_DAY - 14 * h);
	out->hi = Max(known_to, ((int64) last_day + 1) * USECS_PER_DAY + 12 * h);
	return true;
}

/*
 * Whether this backend's last one-month insert made its month come: a device or clerk
 * writing the first day of a month for one worker after another would try the fast path
 * in vain each time, so a one-month insert after one that came goes the general way
 * first (which adds to a month already there just as well, in one statement).
 */
static bool am_last_came = false;

/* The summaries of a one-month insert opened for keyed writes, with their columns' indexes. */
typedef struct am_keyed
{
	wc_keyed	month;
	wc_keyed	pm;
	int			m_project,
				m_worker,
				m_period,
				m_days,
				m_known_to,
				m_last_day,
				m_first_day,
				m_first_known,
				m_extended;
	int			p_project,
				p_period,
				p_workers,
				p_known_to,
				p_last_day;
} am_keyed;

/* am_keyed_open: attendance_month and attendance_project_month opened for keyed writes; false when either is not as expected. */
static bool
am_keyed_open(am_keyed *a)
{
	static const char *const mcols[3] = {"project_id", "worker_id", "period"};
	static const Oid mtypes[3] = {INT8OID, INT8OID, DATEOID};
	static const char *const pcols[2] = {"project_id", "period"};
	static const Oid ptypes[2] = {INT8OID, DATEOID};
	/* the two tables and their columns as found before (see am_table) */
	static am_table month_found,
				pm_found;
	static am_keyed columns;	/* (its wc_keyed members unused) */
	uint64		seen = wc_relcache_generation();

	if (am_keyed_reopen(&month_found, &a->month))
	{
		if (am_keyed_reopen(&pm_found, &a->pm))
		{
			wc_keyed	month = a->month,
						pm = a->pm;

			*a = columns;
			a->month = month;
			a->pm = pm;
			return true;
		}
		wc_keyed_close(&a->month);
	}
	month_found.seen = pm_found.seen = 0;
	if (!wc_keyed_open(&a->month, "attendance_month", 3, mcols, mtypes))
		return false;
	if (!wc_keyed_open(&a->pm, "attendance_project_month", 2, pcols, ptypes))
	{
		wc_keyed_close(&a->month);
		return false;
	}
	a->m_project = wc_keyed_column(&a->month, "project_id", INT8OID);
	a->m_worker = wc_keyed_column(&a->month, "worker_id", INT8OID);
	a->m_period = wc_keyed_column(&a->month, "period", DATEOID);
	a->m_days = wc_keyed_column(&a->month, "days", INT8OID);
	a->m_known_to = wc_keyed_column(&a->month, "known_to", TIMESTAMPTZOID);
	a->m_last_day = wc_keyed_column(&a->month, "last_day", DATEOID);
	a->m_first_day = wc_keyed_column(&a->month, "first_day", DATEOID);
	a->m_first_known = wc_keyed_column(&a->month, "first_known", TIMESTAMPTZOID);
	a->m_extended = wc_keyed_column(&a->month, "extended", BOOLOID);
	a->p_project = wc_keyed_column(&a->pm, "project_id", INT8OID);
	a->p_period = wc_keyed_column(&a->pm, "period", DATEOID);
	a->p_workers = wc_keyed_column(&a->pm, "workers", INT8OID);
	a->p_known_to = wc_keyed_column(&a->pm, "known_to", TIMESTAMPTZOID);
	a->p_last_day = wc_keyed_column(&a->pm, "last_day", DATEOID);
	/* (exactly the columns the statements write: a table with another one, NOT NULL, is left to them) */
	if (a->m_project < 0 || a->m_worker < 0 || a->m_period < 0 || a->m_days < 0 || a->m_known_to < 0 ||
		a->m_last_day < 0 || a->m_first_day < 0 || a->m_first_known < 0 || a->m_extended < 0 ||
		a->p_project < 0 || a->p_period < 0 || a->p_workers < 0 || a->p_known_to < 0 || a->p_last_day < 0 ||
		RelationGetDescr(a->month.rel)->natts != 9 || RelationGetDescr(a->pm.rel)->natts != 5)
	{
		wc_keyed_close(&a->pm);
		wc_keyed_close(&a->month);
		return false;
	}
	columns = *a;
	am_table_found(&month_found, &a->month, seen);
	am_table_found(&pm_found, &a->pm, seen);
	return true;
}

/* am_keyed_close: releases what am_keyed_open took. */
static void
am_keyed_close(am_keyed *a)
{
	wc_keyed_close(&a->pm);
	wc_keyed_close(&a->month);
}

/* month_new: the month's new row (m alone: it came) in a->month.next, for wc_keyed_insert. */
static void
month_new(am_keyed *a, const wc_att_month *m)
{
	Datum	   *v;

	wc_keyed_new(&a->month);
	v = a->month.next->tts_values;
	v[a->m_project] = Int64GetDatum(m->project_id);
	v[a->m_worker] = Int64GetDatum(m->worker_id);
	v[a->m_period] = DateADTGetDatum(m->period);
	v[a->m_days] = Int64GetDatum(m->delta);
	v[a->m_known_to] = TimestampTzGetDatum(m->known_to);
	v[a->m_last_day] = DateADTGetDatum(m->last_day);
	v[a->m_first_day] = DateADTGetDatum(m->first_day);
	v[a->m_first_known] = TimestampTzGetDatum(m->first_known);
	v[a->m_extended] = BoolGetDatum(true);
}

/* pm_new: a project month's new row in a->pm.next, for wc_keyed_insert. */
static void
pm_new(am_keyed *a, int64 project, DateADT period, int64 workers, TimestampTz known_to, DateADT last_day)
{
	Datum	   *v;

	wc_keyed_new(&a->pm);
	v = a->pm.next->tts_values;
	v[a->p_project] = Int64GetDatum(project);
	v[a->p_period] = DateADTGetDatum(period);
	v[a->p_workers] = Int64GetDatum(workers);
	v[a->p_known_to] = TimestampTzGetDatum(known_to);
	v[a->p_last_day] = DateADTGetDatum(last_day);
}

/* set_max: v[i] becomes value where it is less (both timestamps or both dates, as int64 or int32). */
#define SET_MAX_TS(v, i, value) \
	do { if ((value) > DatumGetTimestampTz((v)[i])) (v)[i] = TimestampTzGetDatum(value); } while (0)
#define SET_MAX_DATE(v, i, value) \
	do { if ((value) > DatumGetDateADT((v)[i])) (v)[i] = DateADTGetDatum(value); } while (0)

/* pm_moves: whether the project month in v (a->pm's row) takes month m's latest moment or day. */
static bool
pm_moves(am_keyed *a, const Datum *v, const wc_att_month *m)
{
	return m->known_to > DatumGetTimestampTz(v[a->p_known_to]) || m->last_day > DatumGetDateADT(v[a->p_last_day]);
}

/*
 * pm_keyed: the project month of a month that came (came: one more worker) or whose
 * latest moment or day may have moved, as INSERT1_PM and P_ADD_DAY1 write it: read first
 * and written only when it changes (a project month is shared by all the project's
 * writers: the UPDATE locks it only then), inserted when it is not there. When it does not
 * move, its row is locked FOR KEY SHARE and looked at again on the version locked: a
 * recomputation of the project month after a delete or an update of another worker's
 * rows (_attendance_project_month_refresh locks it FOR UPDATE, then reads the months with
 * a fresh snapshot) then waits for this transaction and sees its month, or, when it came
 * first, is waited for here and its result read; concurrent inserters of the project month
 * do not wait for each other on that lock.
 */
static void
pm_keyed(am_keyed *a, const wc_att_month *m, bool came)
{
	Datum		pkey[2] = {Int64GetDatum(m->project_id), DateADTGetDatum(m->period)};
	wc_keyed   *k = &a->pm;

	for (;;)
	{
		Datum	   *v;

		if (!wc_keyed_read(k, pkey))
		{
			/* (not there, or deleted meanwhile: a month that came inserts it, as ON CONFLICT would) */
			if (!came)
				return;
			pm_new(a, m->project_id, m->period, 1, m->known_to, m->last_day);
			if (wc_keyed_insert(k))
				return;
			continue;
		}
		v = k->next->tts_values;
		if (!came && !pm_moves(a, v, m))
		{
			/* (deleted meanwhile: read again) */
			if (!wc_keyed_share(k))
				continue;
			if (!pm_moves(a, v, m))
				return;
		}
		if (came)
			v[a->p_workers] = DirectFunctionCall2(int8pl, v[a->p_workers], Int64GetDatum(1));
		SET_MAX_TS(v, a->p_known_to, m->known_to);
		SET_MAX_DATE(v, a->p_last_day, m->last_day);
		if (wc_keyed_update_read(k))
			return;
	}
}

/*
 * month_keyed: a one-month insert written by key (src/alerts/keyed.c) in place of
 * P_ADD_DAY1 and P_INSERT1, the summaries opened (a): its days added to the month already
 * there when its rows are known and dated no earlier than what the month counts (the month
 * read, and written only when the UPDATE's condition holds on its newest version), with
 * its project month; or the month inserted when it is not there (as ON CONFLICT does).
 * Returns 1 when the days were added, 2 when the month came (its attendance_unpaid row,
 * its change and its project month are the caller's, in the order P_INSERT1 writes them),
 * 0 when the month is there but takes rows known or dated before what it counts (P_INSERT1
 * then runs).
 */
static int
month_keyed(am_keyed *ap, const wc_att_month *m)
{
	Datum		key[3] = {Int64GetDatum(m->project_id), Int64GetDatum(m->worker_id), DateADTGetDatum(m->period)};
	wc_keyed   *k = &ap->month;
	int64		sum;
	int			done = 0;
	bool		insert_first = am_last_came;
	bool		fresh = !insert_first;	/* (an insert after the read missed: without looking again) */

	for (;;)
	{
		Datum	   *v;

		/*
		 * (after a month that came, the next one likely comes too: its insert is tried first,
		 * without looking for its key (wc_keyed_insert_fresh); a month there, or one a
		 * concurrent writer is inserting, withdraws it, and the month is then read as the
		 * UPDATE reads it, or inserted as ON CONFLICT inserts it, waiting for that writer)
		 */
		if (insert_first)
		{
			insert_first = false;
			month_new(ap, m);
			if (wc_keyed_insert_fresh(k))
			{
				done = 2;
				break;
			}
			continue;
		}
		if (!wc_keyed_read(k, key))
		{
			/*
			 * (the read just missed it: inserted without looking for the key again, then, when
			 * a writer took it meanwhile, read again and inserted as ON CONFLICT inserts it)
			 */
			month_new(ap, m);
			if (fresh ? wc_keyed_insert_fresh(k) : wc_keyed_insert(k))
			{
				done = 2;
				break;
			}
			if (fresh)
			{
				fresh = false;
				continue;
			}
			/* (there after all, inserted by a writer that committed meanwhile: P_INSERT1) */
			break;
		}
		/* the UPDATE's condition, on the version read (again on the newest when it changed meanwhile) */
		v = k->next->tts_values;
		if (m->first_known < DatumGetTimestampTz(v[ap->m_known_to]) ||
			m->first_day < DatumGetDateADT(v[ap->m_first_day]) ||
			pg_add_s64_overflow(DatumGetInt64(v[ap->m_days]), m->delta, &sum))
			break;
		v[ap->m_days] = Int64GetDatum(sum);
		SET_MAX_TS(v, ap->m_known_to, m->known_to);
		SET_MAX_DATE(v, ap->m_last_day, m->last_day);
		v[ap->m_extended] = BoolGetDatum(false);
		if (wc_keyed_update_read(k))
		{
			pm_keyed(ap, m, false);
			done = 1;
			break;
		}
	}
	return done;
}

/* unpaid_open: attendance_unpaid opened for keyed writes; false when it is not as expected. */
static bool
unpaid_open(wc_keyed *k)
{
	static const char *const cols[3] = {"period", "project_id", "worker_id"};
	static const Oid types[3] = {DATEOID, INT8OID, INT8OID};
	static am_table found;		/* (see am_table) */
	uint64		seen = wc_relcache_generation();

	if (am_keyed_reopen(&found, k))
		return true;
	found.seen = 0;
	if (!wc_keyed_open(k, "attendance_unpaid", 3, cols, types))
		return false;
	if (RelationGetDescr(k->rel)->natts != 3)
	{
		wc_keyed_close(k);
		return false;
	}
	am_table_found(&found, k, seen);
	return true;
}

/*
 * unpaid_row: the attendance_unpaid row of a month that came inserted, or locked when
 * there (as P_UNPAID_LOCK's ON CONFLICT: one deleted between the two looks is inserted).
 * A month that came has no row there mostly (its attendance month was not there): the
 * insert is tried first without looking for the key (wc_keyed_insert_fresh), then, when
 * the key is taken, as ON CONFLICT tries it (waiting for a writer of the key in progress).
 */
static void
unpaid_row(wc_keyed *k, const wc_att_month *m)
{
	Datum		key[3] = {DateADTGetDatum(m->period), Int64GetDatum(m->project_id), Int64GetDatum(m->worker_id)};
	bool		fresh = true;

	for (;;)
	{
		wc_keyed_new(k);
		/* (the primary key's columns are the table's, in its order: checked by wc_keyed_open) */
		for (int i = 0; i < 3; i++)
			k->next->tts_values[k->keyatt[i] - 1] = key[i];
		if (fresh)
		{
			fresh = false;
			if (wc_keyed_insert_fresh(k))
				return;
			continue;
		}
		if (wc_keyed_insert(k) || wc_keyed_lock(k, key))
			return;
	}
}

/*
 * unpaid_keyed: the attendance_unpaid row of a month that came inserted, or locked when
 * there (as P_UNPAID_LOCK does); false when the table is not one written by key.
 */
static bool
unpaid_keyed(const wc_att_month *m)
{
	wc_keyed	k;

	if (!unpaid_open(&k))
		return false;
	unpaid_row(&k, m);
	wc_keyed_close(&k);
	return true;
}

/* inserted1: the new rows of one month added (a one-row statement). */
static void
inserted1(const wc_att_month *m)
{
	Datum		values[8];
	wc_span		moments;
	bool		known;
	bool		isnull;
	HeapTuple	r;
	TupleDesc	d;
	bool		came,
				changed;
	int			keyed = 0;
	am_keyed	a;

	values[0] = Int64GetDatum(m->project_id);
	values[1] = Int64GetDatum(m->worker_id);
	values[2] = DateADTGetDatum(m->period);
	values[3] = Int64GetDatum(m->delta);
	values[4] = TimestampTzGetDatum(m->known_to);
	values[5] = DateADTGetDatum(m->last_day);
	values[6] = DateADTGetDatum(m->first_day);
	values[7] = TimestampTzGetDatum(m->first_known);
	if (!IsolationUsesXactSnapshot() && am_keyed_open(&a))
	{
		keyed = month_keyed(&a, m);
		/*
		 * the month came: its attendance_unpaid row locked (as P_UNPAID_LOCK), its change
		 * recorded unless this transaction has (P_MONTH_CHANGE1), its project month; then
		 * the row goes again when the month's wage month is there
		 */
		if (keyed == 2)
		{
			Datum		mc[5] = {values[0], values[7], values[4], values[6], values[5]};

			if (!unpaid_keyed(m))
			{
				Datum		k[3] = {wc_datums_array(&values[0], NULL, 1, INT8OID),
					wc_datums_array(&values[1], NULL, 1, INT8OID), wc_datums_array(&values[2], NULL, 1, DATEOID)};

				run(P_UNPAID_LOCK, k, SPI_OK_INSERT);
			}
			if (!month_moments(m->first_known, m->known_to, m->first_day, m->last_day, &moments))
				run(P_MONTH_CHANGE1, mc, SPI_OK_INSERT);
			else if (!wc_change_recorded("attendance_month", 'i', &m->project_id, 1, &moments, 1))
			{
				if (!wc_change_append("attendance_month", 'i', &m->project_id, 1, &moments, 1))
					run(P_MONTH_CHANGE1, mc, SPI_OK_INSERT);
				wc_change_note("attendance_month", 'i', &m->project_id, 1, &moments, 1);
			}
			pm_keyed(&a, m, true);
		}
		am_keyed_close(&a);
		/* (the month did not come: the next one-month insert reads its month first) */
		if (keyed == 1)
		{
			am_last_came = false;
			return;
		}
		if (keyed == 2)
		{
			came_unpaid_months(m, NULL, 1);
			am_last_came = true;
			return;
		}
	}
	else
		keyed = -1;
	if (!am_last_came && keyed < 0)
	{
		run(P_ADD_DAY1, values, SPI_OK_SELECT);
		if (SPI_processed != 1)
			elog(ERROR, "wagecheck: adding days to wagecheck.attendance_month returned %llu rows",
				 (unsigned long long) SPI_processed);
		if (DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) == 1)
		{
			/*
			 * the project month it did not move, locked FOR KEY SHARE, is older than the
			 * month's rows on the version locked (recomputed meanwhile): moved now, by a
			 * statement of its own (a fresh snapshot)
			 */
			if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)))
			{
				Datum		pv[4] = {values[0], values[4], values[5], values[2]};

				run(P_PM_MOVE1, pv, SPI_OK_UPDATE);
			}
			return;
		}
	}
	/* a month that comes holds only these rows: its change, when recorded already, is not again */
	known = month_moments(m->first_known, m->known_to, m->first_day, m->last_day, &moments) &&
		wc_change_recorded("attendance_month", 'i', &m->project_id, 1, &moments, 1);
	run(known ? P_INSERT1_KNOWN : P_INSERT1, values, SPI_OK_SELECT);
	if (SPI_processed != 1)
		elog(ERROR, "wagecheck: adding attendance to wagecheck.attendance_month returned %llu rows",
			 (unsigned long long) SPI_processed);
	r = SPI_tuptable->vals[0];
	d = SPI_tuptable->tupdesc;
	came = DatumGetBool(SPI_getbinval(r, d, 1, &isnull));
	changed = DatumGetBool(SPI_getbinval(r, d, 2, &isnull));
	am_last_came = came;
	if (changed)
	{
		bool		n[4];
		int64		fk = DatumGetTimestampTz(SPI_getbinval(r, d, 3, &n[0])),
					kt = DatumGetTimestampTz(SPI_getbinval(r, d, 4, &n[1]));
		DateADT		fd = DatumGetDateADT(SPI_getbinval(r, d, 5, &n[2])),
					ld = DatumGetDateADT(SPI_getbinval(r, d, 6, &n[3]));

		if (known)
		{
			/* (a month already there, extended: recorded by a statement of its own) */
			Datum		mc[5] = {values[0], SPI_getbinval(r, d, 3, &n[0]), SPI_getbinval(r, d, 4, &n[1]),
			SPI_getbinval(r, d, 5, &n[2]), SPI_getbinval(r, d, 6, &n[3])};

			run(P_MONTH_CHANGE1, mc, SPI_OK_INSERT);
		}
		if (!n[0] && !n[1] && !n[2] && !n[3] && month_moments(fk, kt, fd, ld, &moments))
			wc_change_note("attendance_month", 'i', &m->project_id, 1, &moments, 1);
	}
	if (came)
	{
		Datum		k[3];

		k[0] = wc_datums_array(&values[0], NULL, 1, INT8OID);
		k[1] = wc_datums_array(&values[1], NULL, 1, INT8OID);
		k[2] = wc_datums_array(&values[2], NULL, 1, DATEOID);
		came_unpaid(k);
	}
}

#define SET_MIN_TS(v, i, value) \
	do { if ((value) < DatumGetTimestampTz((v)[i])) (v)[i] = TimestampTzGetDatum(value); } while (0)
#define SET_MIN_DATE(v, i, value) \
	do { if ((value) < DatumGetDateADT((v)[i])) (v)[i] = DateADTGetDatum(value); } while (0)

/*
 * month_add_keyed: month m of a statement of several months added by key as P_INSERT's
 * ON CONFLICT adds it: its row added to when there (read, then updated: read again when
 * another writer changed it meanwhile), inserted otherwise (one deleted between the two
 * looks is inserted, one inserted meanwhile read and added to). Returns
 * whether the month came (holds only these rows: up.days = g.days); *ext, whether its
 * moments may have moved (extended, as P_INSERT sets it); *now, its bounds as written.
 */
static bool
month_add_keyed(am_keyed *a, const wc_att_month *m, bool *ext, wc_att_month *now)
{
	Datum		key[3] = {Int64GetDatum(m->project_id), Int64GetDatum(m->worker_id), DateADTGetDatum(m->period)};
	wc_keyed   *k = &a->month;
	Datum	   *v;
	bool		fresh = true;	/* (the insert after the first miss: without looking again) */

	*now = *m;
	for (;;)
	{
		if (wc_keyed_read(k, key))
		{
			v = k->next->tts_values;
			*ext = m->first_known < DatumGetTimestampTz(v[a->m_known_to]) ||
				m->first_day < DatumGetDateADT(v[a->m_first_day]);
			/* (bigint out of range as the statement's addition says it) */
			v[a->m_days] = DirectFunctionCall2(int8pl, v[a->m_days], Int64GetDatum(m->delta));
			SET_MAX_TS(v, a->m_known_to, m->known_to);
			SET_MAX_DATE(v, a->m_last_day, m->last_day);
			SET_MIN_DATE(v, a->m_first_day, m->first_day);
			SET_MIN_TS(v, a->m_first_known, m->first_known);
			v[a->m_extended] = BoolGetDatum(*ext);
			now->known_to = DatumGetTimestampTz(v[a->m_known_to]);
			now->last_day = DatumGetDateADT(v[a->m_last_day]);
			now->first_day = DatumGetDateADT(v[a->m_first_day]);
			now->first_known = DatumGetTimestampTz(v[a->m_first_known]);
			/* (updated or deleted meanwhile: read again, as ON CONFLICT follows the newest version) */
			if (wc_keyed_update_read(k))
				return DatumGetInt64(v[a->m_days]) == m->delta;
			continue;
		}
		/* (taken meanwhile: read again, and inserted as ON CONFLICT inserts it when still missing) */
		month_new(a, m);
		if (fresh ? wc_keyed_insert_fresh(k) : wc_keyed_insert(k))
		{
			*ext = true;
			return true;
		}
		fresh = false;
	}
}

/* A project month of a statement of several months: its workers that came, the latest moment and day of the new rows. */
typedef struct am_pm
{
	int64		project_id;
	DateADT		period;
	int64		workers;
	TimestampTz known_to;
	DateADT		last_day;
} am_pm;

static int
am_pm_cmp(const void *a, const void *b)
{
	const am_pm *x = a,
			   *y = b;

	if (x->project_id != y->project_id)
		return x->project_id < y->project_id ? -1 : 1;
	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	return 0;
}

/* unpaid_order_cmp: months (their indexes into the array arg) in attendance_unpaid's key order: period, project, worker. */
static int
unpaid_order_cmp(const void *a, const void *b, void *arg)
{
	const wc_att_month *m = arg;
	const wc_att_month *x = &m[*(const int *) a],
			   *y = &m[*(const int *) b];

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if (x->project_id != y->project_id)
		return x->project_id < y->project_id ? -1 : 1;
	if (x->worker_id != y->worker_id)
		return x->worker_id < y->worker_id ? -1 : 1;
	return 0;
}

/*
 * pm_add_keyed: a project month of a statement of several months written by key as
 * P_INSERT's ON CONFLICT ... WHERE writes it: its row locked when there (the SQL locks it
 * whether its condition holds or not) and changed when workers came or its latest moment
 * or day moves; inserted when not there.
 */
static void
pm_add_keyed(am_keyed *a, const am_pm *p)
{
	Datum		pkey[2] = {Int64GetDatum(p->project_id), DateADTGetDatum(p->period)};
	wc_keyed   *k = &a->pm;
	Datum	   *v;

	for (;;)
	{
		if (wc_keyed_lock(k, pkey))
		{
			v = k->next->tts_values;
			if (p->workers != 0 || p->known_to > DatumGetTimestampTz(v[a->p_known_to]) ||
				p->last_day > DatumGetDateADT(v[a->p_last_day]))
			{
				v[a->p_workers] = DirectFunctionCall2(int8pl, v[a->p_workers], Int64GetDatum(p->workers));
				SET_MAX_TS(v, a->p_known_to, p->known_to);
				SET_MAX_DATE(v, a->p_last_day, p->last_day);
				wc_keyed_update(k);
			}
			return;
		}
		pm_new(a, p->project_id, p->period, p->workers, p->known_to, p->last_day);
		if (wc_keyed_insert(k))
			return;
	}
}

/*
 * inserted_keyed: the new rows of several months added by key (src/alerts/keyed.c) in place
 * of P_INSERT, writing what it writes in the order it locks: the months in key order
 * (each once: the rows of a month are grouped already), the attendance_unpaid rows of the
 * months that came in that table's key order, the change of the months extended, the
 * project months in key order (each once, with its months' workers that came and their
 * rows' latest moment and day); then the months that came whose wage month is there now
 * (came_unpaid). False, with nothing written, when a summary is not a table written by
 * key, or the transaction reads one snapshot (REPEATABLE READ, SERIALIZABLE: a row another
 * transaction changed since fails the statement, as it should, and SERIALIZABLE sees what
 * the statement read): P_INSERT then adds them all.
 */
static bool
inserted_keyed(const wc_att_month *m, int k)
{
	am_keyed	a;
	wc_keyed	un;
	wc_att_month *now;
	bool	   *came,
			   *ext;
	int		   *order;
	int			ncame = 0,
				next = 0,
				npm = 0;
	am_pm	   *pm;
	MemoryContext per_month,
				old;

	/* (a transaction of one snapshot: the statements, which fail where it cannot see the row they write) */
	if (IsolationUsesXactSnapshot() || !am_keyed_open(&a))
		return false;
	if (!unpaid_open(&un))
	{
		am_keyed_close(&a);
		return false;
	}
	now = palloc_extended(sizeof(wc_att_month) * k, MCXT_ALLOC_HUGE);
	came = palloc_extended(sizeof(bool) * k, MCXT_ALLOC_HUGE);
	ext = palloc_extended(sizeof(bool) * k, MCXT_ALLOC_HUGE);
	order = palloc_extended(sizeof(int) * k, MCXT_ALLOC_HUGE);
	pm = palloc_extended(sizeof(am_pm) * k, MCXT_ALLOC_HUGE);
	/* (each month's scans and writes in a context of their own, emptied after it: the values are all by value) */
	per_month = AllocSetContextCreate(CurrentMemoryContext, "attendance months by key", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(per_month);
	/* the months, in key order */
	for (int i = 0; i < k; i++)
	{
		came[i] = month_add_keyed(&a, &m[i], &ext[i], &now[i]);
		if (came[i])
			order[ncame++] = i;
		if (ext[i])
			next++;
		MemoryContextReset(per_month);
	}
	/* the attendance_unpaid rows of the months that came, in that table's key order */
	qsort_arg(order, ncame, sizeof(int), unpaid_order_cmp, (void *) m);
	for (int i = 0; i < ncame; i++)
	{
		unpaid_row(&un, &m[order[i]]);
		MemoryContextReset(per_month);
	}
	MemoryContextSwitchTo(old);
	/* the change of the months extended: their projects and moments */
	if (next > 0)
	{
		int64	   *projects = palloc(sizeof(int64) * next);
		wc_span    *spans = palloc(sizeof(wc_span) * next);
		int			n = 0,
					np,
					ns;
		bool		exact = true;

		for (int i = 0; i < k; i++)
			if (ext[i])
			{
				projects[n] = now[i].project_id;
				if (!month_moments(now[i].first_known, now[i].known_to, now[i].first_day, now[i].last_day, &spans[n]))
					exact = false;
				n++;
			}
		np = (int) wc_ids_unique(projects, n);
		ns = exact ? (int) wc_spans_merge(spans, n) : 0;
		if (!exact || !wc_change_append("attendance_month", 'i', projects, np, spans, ns))
		{
			Datum	   *c[5];
			Datum		values[5];

			for (int j = 0; j < 5; j++)
				c[j] = palloc(sizeof(Datum) * next);
			n = 0;
			for (int i = 0; i < k; i++)
				if (ext[i])
				{
					c[0][n] = Int64GetDatum(now[i].project_id);
					c[1][n] = TimestampTzGetDatum(now[i].first_known);
					c[2][n] = TimestampTzGetDatum(now[i].known_to);
					c[3][n] = DateADTGetDatum(now[i].first_day);
					c[4][n] = DateADTGetDatum(now[i].last_day);
					n++;
				}
			values[0] = wc_datums_array(c[0], NULL, n, INT8OID);
			values[1] = wc_datums_array(c[1], NULL, n, TIMESTAMPTZOID);
			values[2] = wc_datums_array(c[2], NULL, n, TIMESTAMPTZOID);
			values[3] = wc_datums_array(c[3], NULL, n, DATEOID);
			values[4] = wc_datums_array(c[4], NULL, n, DATEOID);
			run(P_MONTHS_CHANGE, values, SPI_OK_INSERT);
		}
		if (exact)
			wc_change_note("attendance_month", 'i', projects, np, spans, ns);
	}
	/* the project months, in their key order, each once */
	for (int i = 0; i < k; i++)
	{
		pm[i].project_id = m[i].project_id;
		pm[i].period = m[i].period;
		pm[i].workers = came[i] ? 1 : 0;
		pm[i].known_to = m[i].known_to;
		pm[i].last_day = m[i].last_day;
	}
	qsort(pm, k, sizeof(am_pm), am_pm_cmp);
	for (int i = 0; i < k; i++)
	{
		if (npm > 0 && am_pm_cmp(&pm[npm - 1], &pm[i]) == 0)
		{
			pm[npm - 1].workers += pm[i].workers;
			pm[npm - 1].known_to = Max(pm[npm - 1].known_to, pm[i].known_to);
			pm[npm - 1].last_day = Max(pm[npm - 1].last_day, pm[i].last_day);
		}
		else
			pm[npm++] = pm[i];
	}
	old = MemoryContextSwitchTo(per_month);
	for (int i = 0; i < npm; i++)
	{
		pm_add_keyed(&a, &pm[i]);
		MemoryContextReset(per_month);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(per_month);
	wc_keyed_close(&un);
	am_keyed_close(&a);
	ereport(DEBUG1, (errmsg_internal("wagecheck: attendance months written by key: %d, %d came, %d project months",
									 k, ncame, npm)));
	/* the months that came whose wage month is there now: their attendance_unpaid rows go again */
	came_unpaid_months(m, order, ncame);
	return true;
}

/* inserted: the new rows' months added. */
static void
inserted(wc_att_month *m, int k)
{
	Datum		values[8];
	HeapTuple	r;
	bool		isnull[3];
	Datum		keys[3];

	if (k == 1)
	{
		inserted1(m);
		return;
	}
	if (inserted_keyed(m, k))
	{
		am_last_came = false;
		return;
	}
	month_values(m, k, values);
	run(P_INSERT, values, SPI_OK_SELECT);
	if (SPI_processed != 1)
		elog(ERROR, "wagecheck: adding attendance to wagecheck.attendance_month returned %llu rows",
			 (unsigned long long) SPI_processed);
	r = SPI_tuptable->vals[0];
	for (int i = 0; i < 3; i++)
		keys[i] = SPI_getbinval(r, SPI_tuptable->tupdesc, i + 1, &isnull[i]);
	am_last_came = false;
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
		came_unpaid(keys);
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

/* The body of wagecheck_attendance_month_sync(). */
static Datum
attendance_month_sync(PG_FUNCTION_ARGS)
{
	TriggerData *td = wc_trigger_data(fcinfo, FN);
	Tuplestorestate *olds,
			   *news;
	TupleDesc	desc;
	int			att[4];
	am_rows		rows = {0};
	wc_att_month *months;
	size_t		k;

	/*
	 * (every event is allowed: only an AFTER statement-level firing is let through, the
	 * message's translation looked up only when it is refused - looking it up costs more
	 * than the rest of the check)
	 */
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		wc_trigger_when(td, FN, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE | WC_TG_TRUNCATE,
						gettext_noop("an AFTER ... FOR EACH STATEMENT"));
	wc_trigger_on_table(td, FN, &am_ref);
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		wc_trigger_sql_settings();
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

PG_FUNCTION_INFO_V1(wagecheck_attendance_month_sync);
/* Trigger on attendance (AFTER each statement): keeps attendance_month and the summaries kept with it. */
Datum
wagecheck_attendance_month_sync(PG_FUNCTION_ARGS)
{
	return wc_trigger_run_as_owner(attendance_month_sync, fcinfo, 0);
}
