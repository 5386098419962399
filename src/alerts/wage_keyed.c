/*
 * wage_keyed.c — new pay lines and payments written to wage_month and the summaries kept
 * with it by key (src/alerts/keyed.c), without a statement: what P_LINE_ADD (P_LINE_ONE),
 * P_UNPAID_LOCK, P_UNPAID_GONE, P_PAYMENT_LOCK and P_PAYMENT_ADD of src/alerts/summaries.c
 * do, in their order and under the same row locks, with the rows they read (the line's
 * sheet, the payment's line, sheet and worker, whether a line is corrected or paid) found
 * by their indexes under the snapshot a statement would take. A clerk's or device's row
 * costs the trigger no plan to check, start and end; a COPY's rows are read once, summed
 * per summary row, and each summary row written once, each table's rows in its key order
 * (the order the statements lock in), the tables opened once for the statement.
 *
 * Each function first opens everything it writes and checks it can (tables written by key:
 * keyed.c; the indexes it reads by name, each a btree whose first column is the one read):
 * when it cannot, it returns -1 having written nothing, and the caller runs the statement
 * (so it does in a transaction of REPEATABLE READ or SERIALIZABLE: the statements fail there
 * on a summary row changed since the snapshot, where a keyed write would follow it). What
 * it finds it cannot judge before writing (a line corrected or paid already) it
 * leaves whole to the caller's recomputation; what it finds while writing (a month being
 * recomputed, payments before a month's last) it leaves to the recomputation of those
 * months alone.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "storage/lmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "alerts/keyed.h"
#include "alerts/wage_keyed.h"
#include "enforce/paid_shared.h"
#include "alerts/key_probe.h"

extern Datum wagecheck_settled_at(PG_FUNCTION_ARGS);

/* the snapshot a statement of SPI takes here: after what this transaction wrote so far */
static void
statement_snapshot(void)
{
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
}

/* ---------------------------------------------------------------------------------------
 * Values as the statements compute them
 */

static Datum
num_zero(void)
{
	return DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
}

/* num_to: a numeric as a column of typmod typmod stores it (numeric(14,2): rounded, its precision checked). */
static Datum
num_to(Datum d, int32 typmod)
{
	return typmod >= 0 ? DirectFunctionCall2(numeric, d, Int32GetDatum(typmod)) : d;
}

static Datum
num_add(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_add, a, b);
}

static int
num_cmp(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

/* settled_at: wagecheck._settled_at(net, ats, each), NULL as *isnull. */
static Datum
settled_at(Datum net, Datum ats, Datum each, bool *isnull)
{
	LOCAL_FCINFO(fcinfo, 3);
	Datum		r;

	InitFunctionCallInfoData(*fcinfo, NULL, 3, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = net;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = ats;
	fcinfo->args[1].isnull = false;
	fcinfo->args[2].value = each;
	fcinfo->args[2].isnull = false;
	r = wagecheck_settled_at(fcinfo);
	*isnull = fcinfo->isnull;
	return r;
}

/*
 * one_dim: whether an array is empty or one-dimensional from 1 (as wagecheck writes them,
 * so that || appends to its end); its elements in *v, *nulls, *n.
 */
static bool
one_dim(Datum arr, Oid elemtype, int16 len, bool byval, char align, Datum **v, bool **nulls, int *n)
{
	ArrayType  *a = DatumGetArrayTypeP(arr);

	if (ARR_NDIM(a) > 1 || (ARR_NDIM(a) == 1 && ARR_LBOUND(a)[0] != 1) || ARR_ELEMTYPE(a) != elemtype)
		return false;
	deconstruct_array(a, elemtype, len, byval, align, v, nulls, n);
	return true;
}

/* ---------------------------------------------------------------------------------------
 * New pay lines
 */

/* The columns of wage_month the two paths write. */
typedef struct wm_cols
{
	int			employer,
				days,
				payable,
				net,
				paid,
				ats,
				each,
				known_to,
				settled;
} wm_cols;

static bool
wm_columns(wc_keyed *m, wm_cols *c)
{
	c->employer = wc_keyed_column(m, "employer_id", INT8OID);
	c->days = wc_keyed_column(m, "days", NUMERICOID);
	c->payable = wc_keyed_column(m, "payable", NUMERICOID);
	c->net = wc_keyed_column(m, "net", NUMERICOID);
	c->paid = wc_keyed_column(m, "paid", NUMERICOID);
	c->ats = wc_keyed_column(m, "paid_ats", TIMESTAMPTZARRAYOID);
	c->each = wc_keyed_column(m, "paid_each", NUMERICARRAYOID);
	c->known_to = wc_keyed_column(m, "known_to", TIMESTAMPTZOID);
	c->settled = wc_keyed_column(m, "settled_at", TIMESTAMPTZOID);
	/* (the key and these: every column there is) */
	return c->employer >= 0 && c->days >= 0 && c->payable >= 0 && c->net >= 0 && c->paid >= 0 && c->ats >= 0 &&
		c->each >= 0 && c->known_to >= 0 && c->settled >= 0 && RelationGetDescr(m->rel)->natts == 12;
}

static int32
typmod_of(wc_keyed *k, int col)
{
	return TupleDescAttr(RelationGetDescr(k->rel), col)->atttypmod;
}

/*
 * upsert_count: INSERT (key, add) ... ON CONFLICT DO UPDATE SET col = col + add into a table
 * of bigint keys and a bigint. The row is looked for first (a sheet worker's row is there but
 * for his first month on the project): found, it is locked and added to as ON CONFLICT
 * would; not found, inserted as ON CONFLICT inserts (a row a concurrent writer inserted
 * meanwhile is then locked and added to).
 */
static void
upsert_count(wc_keyed *k, const Datum *key, int col, int64 add)
{
	for (;;)
	{
		if (wc_keyed_lock(k, key))
		{
			if (k->next->tts_isnull[col])
				return;			/* (NULL + n is NULL: the column is NOT NULL, never here) */
			/* (+ as the statement adds: its error when out of range) */
			k->next->tts_values[col] = DirectFunctionCall2(int8pl, k->next->tts_values[col], Int64GetDatum(add));
			wc_keyed_update(k);
			return;
		}
		wc_keyed_new(k);
		for (int i = 0; i < k->nkeys; i++)
			k->next->tts_values[k->keyatt[i] - 1] = key[i];
		k->next->tts_values[col] = Int64GetDatum(add);
		if (wc_keyed_insert(k))
			return;
		/* a concurrent writer's row: locked and added to, as ON CONFLICT does */
	}
}

/* What the line paths have open: the rows they read (sheets; is a line corrected, paid?), the summaries they write. */
typedef struct wk_lines
{
	wc_key_probe	sheet,
				corr,
				paid;
	wc_keyed	month,
				sw,
				unpaid,
				wp;
	wm_cols		c;
	int			s_project,
				s_period,
				s_employer,
				s_created,
				sw_months,
				wp_payable,
				wp_entries,
				wp_high;
	bool		fresh;			/* new months inserted without looking first (until a key is found taken) */
} wk_lines;

static void
lines_close(wk_lines *x)
{
	wc_keyed_close(&x->wp);
	wc_keyed_close(&x->unpaid);
	wc_keyed_close(&x->sw);
	wc_keyed_close(&x->month);
	wc_key_probe_close(&x->paid);
	wc_key_probe_close(&x->corr);
	wc_key_probe_close(&x->sheet);
}

/* lines_open: everything the line paths read and write, opened; false (nothing left open) when one is not as they need it. */
static bool
lines_open(wk_lines *x)
{
	static const char *const mcols[3] = {"project_id", "worker_id", "period"};
	static const Oid mtypes[3] = {INT8OID, INT8OID, DATEOID};
	static const char *const swcols[2] = {"project_id", "worker_id"};
	static const Oid swtypes[2] = {INT8OID, INT8OID};
	static const char *const ucols[3] = {"period", "project_id", "worker_id"};
	static const Oid utypes[3] = {DATEOID, INT8OID, INT8OID};
	static const char *const wcols[3] = {"worker_id", "span", "period"};
	static const Oid wtypes[3] = {INT8OID, TEXTOID, DATEOID};
	bool		opened;

	memset(x, 0, sizeof(*x));
	opened = wc_key_probe_open(&x->sheet, "pay_sheet", "pay_sheet_pkey", "sheet_id") &&
		wc_key_probe_open(&x->corr, "pay_line", "pay_line_corrected_once", "corrects_line_id") &&
		wc_key_probe_open(&x->paid, "wage_payment", "wage_payment_line_id_idx", "line_id") &&
		wc_keyed_open(&x->month, "wage_month", 3, mcols, mtypes) &&
		wc_keyed_open(&x->sw, "sheet_worker", 2, swcols, swtypes) &&
		wc_keyed_open(&x->unpaid, "attendance_unpaid", 3, ucols, utypes) &&
		wc_keyed_open(&x->wp, "worker_pay", 3, wcols, wtypes);
	if (opened)
	{
		x->s_project = wc_key_probe_column(&x->sheet, "project_id", INT8OID);
		x->s_period = wc_key_probe_column(&x->sheet, "period", DATEOID);
		x->s_employer = wc_key_probe_column(&x->sheet, "employer_id", INT8OID);
		x->s_created = wc_key_probe_column(&x->sheet, "created_at", TIMESTAMPTZOID);
		x->sw_months = wc_keyed_column(&x->sw, "months", INT8OID);
		x->wp_payable = wc_keyed_column(&x->wp, "payable", NUMERICOID);
		x->wp_entries = wc_keyed_column(&x->wp, "entries", INT8OID);
		x->wp_high = wc_keyed_column(&x->wp, "high", BOOLOID);
		opened = x->s_project >= 0 && x->s_period >= 0 && x->s_employer >= 0 && x->s_created >= 0 &&
			x->sw_months >= 0 && RelationGetDescr(x->sw.rel)->natts == 3 && x->wp_payable >= 0 &&
			x->wp_entries >= 0 && x->wp_high >= 0 && RelationGetDescr(x->wp.rel)->natts == 6 &&
			RelationGetDescr(x->unpaid.rel)->natts == 3 && wm_columns(&x->month, &x->c);
	}
	if (!opened)
		lines_close(x);
	return opened;
}

/* A month's new lines, summed: a row of P_LINE_ADD's g (and whether its month came, its attendance_unpaid row went). */
typedef struct wk_month_add
{
	int64		project;
	int64		worker;
	DateADT		period;
	bool		employer_null;
	int64		employer;
	Datum		days;			/* numeric sums, as the lines give them; days of the lines with days, 0 when none */
	Datum		payable;
	Datum		net;
	TimestampTz known;
	bool		added;
	bool		gone;
} wk_month_add;

static int
cmp_int64(int64 a, int64 b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

/* cmp_month: the order of wage_month's key (project, worker, period): the statements lock in it */
static int
cmp_month(int64 project1, int64 worker1, DateADT period1, int64 project2, int64 worker2, DateADT period2)
{
	if (project1 != project2)
		return cmp_int64(project1, project2);
	if (worker1 != worker2)
		return cmp_int64(worker1, worker2);
	return period1 < period2 ? -1 : period1 > period2 ? 1 : 0;
}

/* (P_LINE_ADD inserts the months in their key's order) */
static int
cmp_month_key(const void *a, const void *b)
{
	const wk_month_add *x = a,
			   *y = b;

	return cmp_month(x->project, x->worker, x->period, y->project, y->worker, y->period);
}

/* the order of attendance_unpaid's key, (period, project, worker): P_UNPAID_LOCK's */
static int
cmp_unpaid_key(const void *a, const void *b)
{
	const wk_month_add *x = *(wk_month_add *const *) a,
			   *y = *(wk_month_add *const *) b;

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if (x->project != y->project)
		return cmp_int64(x->project, y->project);
	return cmp_int64(x->worker, y->worker);
}

/* A row of worker_pay a statement's months add to: the worker's month or year. */
typedef struct wk_pay_add
{
	int64		worker;
	int			span;			/* 0 month, 1 year ('month' < 'year', as the key sorts them) */
	DateADT		period;
	Datum		payable;		/* numeric: the months' sums of payable */
	int64		entries;		/* the months that came */
} wk_pay_add;

/*
 * pay_high: worker_pay's high of a sum (as stored) of a span: over 25,000 a month, 150,000 a
 * year, as _worker_pay_rows computes it (the row's index entry changes only when it does)
 */
static Datum
pay_high(int span, Datum payable)
{
	Datum		bound = DirectFunctionCall1(int4_numeric, Int32GetDatum(span == 0 ? 25000 : 150000));

	return BoolGetDatum(num_cmp(payable, bound) > 0);
}

static int
cmp_pay_key(const void *a, const void *b)
{
	const wk_pay_add *x = a,
			   *y = b;

	if (x->worker != y->worker)
		return cmp_int64(x->worker, y->worker);
	if (x->span != y->span)
		return x->span - y->span;
	return x->period < y->period ? -1 : x->period > y->period ? 1 : 0;
}

/* month_add: one month's lines inserted as its row, or added to the row under the lock ON CONFLICT takes. */
static void
month_add(wk_lines *x, wk_month_add *a)
{
	wc_keyed   *m = &x->month;
	wm_cols    *c = &x->c;
	Datum		key[3] = {Int64GetDatum(a->project), Int64GetDatum(a->worker), DateADTGetDatum(a->period)};
	Datum		zero = num_zero();
	Datum		days = num_to(a->days, typmod_of(m, c->days));
	Datum		payable = num_to(a->payable, typmod_of(m, c->payable));
	Datum		net = num_to(a->net, typmod_of(m, c->net));

	for (;;)
	{
		Datum	   *v = m->next->tts_values;
		bool	   *n = m->next->tts_isnull;

		wc_keyed_new(m);
		for (int i = 0; i < 3; i++)
			v[m->keyatt[i] - 1] = key[i];
		v[c->employer] = Int64GetDatum(a->employer);
		n[c->employer] = a->employer_null;
		v[c->days] = days;
		v[c->payable] = payable;
		v[c->net] = net;
		v[c->paid] = num_to(zero, typmod_of(m, c->paid));
		v[c->ats] = PointerGetDatum(construct_empty_array(TIMESTAMPTZOID));
		v[c->each] = PointerGetDatum(construct_empty_array(NUMERICOID));
		v[c->known_to] = TimestampTzGetDatum(a->known);
		v[c->settled] = TimestampTzGetDatum(DT_NOBEGIN);
		n[c->settled] = num_cmp(a->net, zero) > 0;
		if (x->fresh && !wc_keyed_insert_fresh(m))
			x->fresh = false;
		else if (x->fresh || wc_keyed_insert(m))
		{
			a->added = true;
			return;
		}
		if (wc_keyed_lock(m, key))
		{
			Datum		sum_net;
			bool		isnull;

			if (n[c->employer] || (!a->employer_null && a->employer < DatumGetInt64(v[c->employer])))
			{
				v[c->employer] = Int64GetDatum(a->employer);
				n[c->employer] = a->employer_null;
			}
			v[c->days] = num_to(num_add(v[c->days], days), typmod_of(m, c->days));
			v[c->payable] = num_to(num_add(v[c->payable], payable), typmod_of(m, c->payable));
			sum_net = num_add(v[c->net], net);
			v[c->net] = num_to(sum_net, typmod_of(m, c->net));
			if (a->known > DatumGetTimestampTz(v[c->known_to]))
				v[c->known_to] = TimestampTzGetDatum(a->known);
			v[c->settled] = settled_at(sum_net, v[c->ats], v[c->each], &isnull);
			n[c->settled] = isnull;
			wc_keyed_update(m);
			return;
		}
		/* the row went meanwhile: inserted again, as ON CONFLICT tries again */
	}
}

/*
 * months_apply: what P_LINE_ADD (then P_UNPAID_LOCK, P_UNPAID_GONE) writes for the months
 * a[0..n) (sorted by their key, each key once), by key, table by table, each table's rows in
 * its key order: the months (up), the attendance_unpaid rows of the months that came (un),
 * the months per sheet worker (sw), the workers' months and years (wp), and a row put in the
 * place of each month that came without an attendance_unpaid row, then deleted.
 */
static void
months_apply(wk_lines *x, wk_month_add *a, int n)
{
	MemoryContext row = AllocSetContextCreate(CurrentMemoryContext, "wagecheck keyed lines", ALLOCSET_DEFAULT_SIZES);
	MemoryContext outer = MemoryContextSwitchTo(row);
	Datum		zero = num_zero();
	Datum		spans[2];
	wk_pay_add *wp;
	wk_month_add **un;
	int			nwp = 0,
				nun = 0;

	/* up: the months, in key order */
	for (int i = 0; i < n; i++)
	{
		month_add(x, &a[i]);
		MemoryContextReset(row);
	}
	/* un: the months that came end their attendance_unpaid rows, when there */
	for (int i = 0; i < n; i++)
		if (a[i].added)
		{
			Datum		ukey[3] = {DateADTGetDatum(a[i].period), Int64GetDatum(a[i].project), Int64GetDatum(a[i].worker)};

			if (wc_keyed_read(&x->unpaid, ukey) && wc_keyed_lock_read(&x->unpaid, ukey))
			{
				wc_keyed_delete(&x->unpaid);
				a[i].gone = true;
			}
			MemoryContextReset(row);
		}
	/* sw: the months that came, counted per project and worker (a's order is theirs) */
	for (int i = 0; i < n;)
	{
		int64		months = 0;
		int			j = i;

		for (; j < n && a[j].project == a[i].project && a[j].worker == a[i].worker; j++)
			months += a[j].added ? 1 : 0;
		if (months > 0)
		{
			Datum		key[2] = {Int64GetDatum(a[i].project), Int64GetDatum(a[i].worker)};

			upsert_count(&x->sw, key, x->sw_months, months);
			MemoryContextReset(row);
		}
		i = j;
	}
	MemoryContextSwitchTo(outer);

	/* wp: the workers' months and years, summed, in their key order */
	wp = palloc(sizeof(wk_pay_add) * 2 * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		int			y,
					mo,
					d;

		j2date(a[i].period + POSTGRES_EPOCH_JDATE, &y, &mo, &d);
		for (int span = 0; span < 2; span++)
		{
			wk_pay_add *p = &wp[nwp++];

			p->worker = a[i].worker;
			p->span = span;
			p->period = span == 0 ? a[i].period : date2j(y, 1, 1) - POSTGRES_EPOCH_JDATE;
			p->payable = a[i].payable;
			p->entries = a[i].added ? 1 : 0;
		}
	}
	if (nwp > 1)
		qsort(wp, nwp, sizeof(wk_pay_add), cmp_pay_key);
	spans[0] = CStringGetTextDatum("month");
	spans[1] = CStringGetTextDatum("year");
	MemoryContextSwitchTo(row);
	for (int i = 0; i < nwp;)
	{
		Datum		sum = wp[i].payable;
		int64		entries = wp[i].entries;
		int			j = i + 1;

		for (; j < nwp && cmp_pay_key(&wp[i], &wp[j]) == 0; j++)
		{
			sum = num_add(sum, wp[j].payable);
			entries += wp[j].entries;
		}
		/* (HAVING sum(payable) <> 0 OR the months that came <> 0) */
		if (entries != 0 || num_cmp(sum, zero) != 0)
		{
			Datum		wkey[3] = {Int64GetDatum(wp[i].worker), spans[wp[i].span], DateADTGetDatum(wp[i].period)};
			Datum		payable = num_to(sum, typmod_of(&x->wp, x->wp_payable));

			/*
			 * (inserted, or added to under the lock ON CONFLICT takes; a worker's year is
			 * there but for his first month of it: looked for first, then inserted)
			 */
			for (bool look = wp[i].span == 1;; look = false)
			{
				Datum	   *v = x->wp.next->tts_values;

				if (!look)
				{
					wc_keyed_new(&x->wp);
					for (int k = 0; k < 3; k++)
						v[x->wp.keyatt[k] - 1] = wkey[k];
					v[x->wp_payable] = payable;
					v[x->wp_entries] = Int64GetDatum(entries);
					v[x->wp_high] = pay_high(wp[i].span, payable);
					if (x->fresh && !wc_keyed_insert_fresh(&x->wp))
						x->fresh = false;
					else if (x->fresh || wc_keyed_insert(&x->wp))
						break;
				}
				if (wc_keyed_lock(&x->wp, wkey))
				{
					v[x->wp_payable] = num_to(num_add(v[x->wp_payable], payable), typmod_of(&x->wp, x->wp_payable));
					v[x->wp_entries] = DirectFunctionCall2(int8pl, v[x->wp_entries], Int64GetDatum(entries));
					v[x->wp_high] = pay_high(wp[i].span, v[x->wp_payable]);
					wc_keyed_update(&x->wp);
					break;
				}
			}
			MemoryContextReset(row);
		}
		i = j;
	}
	MemoryContextSwitchTo(outer);

	/*
	 * the months that came without an attendance_unpaid row, in that table's key order: one
	 * put in their place unless there (a writer of the attendance adding it waited for),
	 * then the key's row deleted (P_UNPAID_LOCK, P_UNPAID_GONE)
	 */
	un = palloc(sizeof(wk_month_add *) * Max(n, 1));
	for (int i = 0; i < n; i++)
		if (a[i].added && !a[i].gone)
			un[nun++] = &a[i];
	if (nun > 1)
		qsort(un, nun, sizeof(wk_month_add *), cmp_unpaid_key);
	MemoryContextSwitchTo(row);
	for (int i = 0; i < nun; i++)
	{
		Datum		ukey[3] = {DateADTGetDatum(un[i]->period), Int64GetDatum(un[i]->project), Int64GetDatum(un[i]->worker)};

		wc_keyed_new(&x->unpaid);
		for (int k = 0; k < 3; k++)
			x->unpaid.next->tts_values[x->unpaid.keyatt[k] - 1] = ukey[k];
		(void) wc_keyed_insert(&x->unpaid);
		if (wc_keyed_lock(&x->unpaid, ukey))
			wc_keyed_delete(&x->unpaid);
		MemoryContextReset(row);
	}
	MemoryContextSwitchTo(outer);
	MemoryContextDelete(row);
	pfree(un);
	pfree(wp);
}

/*
 * wc_lines_keyed: P_LINE_ADD of new lines (none a correction), by key: each line's sheet
 * read, whether it is corrected or paid already (a load in replica mode), then its month's
 * lines summed and written once (months_apply). 1 when done: every line added to its month
 * (or its sheet is not there: nothing to add to, as the statement's join finds none) but
 * those marked in left[] (a sheet whose month this path does not write: P_LINE_ADD adds
 * them); 0 when a line is corrected or paid (nothing written: the keys are recomputed); -1
 * when the summaries are not tables written by key (nothing written: P_LINE_ADD runs).
 */
int
wc_lines_keyed(const wc_line_in *l, int n, bool *left)
{
	wk_lines	x;
	wk_month_add *a;
	int			na = 0;
	bool		other = false;
	int64		last_sheet = 0;
	bool		have_last = false,
				have_sheet = false,
				sheet_ok = false,
				employer_null = true;
	int64		project = 0,
				employer = 0;
	DateADT		period = 0;
	TimestampTz sheet_created = 0;

	/* (REPEATABLE READ, SERIALIZABLE: the statements' writes fail on a row changed since the snapshot) */
	if (IsolationUsesXactSnapshot() || !lines_open(&x))
		return -1;
	a = palloc(sizeof(wk_month_add) * Max(n, 1));

	/* n: each line's sheet (a statement's lines come sheet by sheet: the last one kept); is any corrected or paid? */
	statement_snapshot();
	for (int i = 0; i < n && !other; i++)
	{
		left[i] = false;
		other = wc_key_probe_get(&x.corr, l[i].line_id) || wc_key_probe_get(&x.paid, l[i].line_id);
		if (other)
			break;
		if (!have_last || l[i].sheet_id != last_sheet)
		{
			have_last = true;
			last_sheet = l[i].sheet_id;
			have_sheet = wc_key_probe_get(&x.sheet, l[i].sheet_id);
			if (have_sheet)
			{
				Datum	   *v = x.sheet.slot->tts_values;
				bool	   *nl = x.sheet.slot->tts_isnull;

				/*
				 * (NOT NULL columns: a NULL is left to the statement, which refuses it; so is
				 * the year of an infinite month)
				 */
				sheet_ok = !nl[x.s_project] && !nl[x.s_period] && !nl[x.s_created] &&
					!DATE_NOT_FINITE(DatumGetDateADT(v[x.s_period]));
				if (sheet_ok)
				{
					project = DatumGetInt64(v[x.s_project]);
					period = DatumGetDateADT(v[x.s_period]);
					employer_null = nl[x.s_employer];
					employer = employer_null ? 0 : DatumGetInt64(v[x.s_employer]);
					sheet_created = DatumGetTimestampTz(v[x.s_created]);
				}
			}
		}
		if (!have_sheet)
			continue;			/* (no month to add to) */
		if (!sheet_ok)
		{
			left[i] = true;
			continue;
		}
		a[na].project = project;
		a[na].worker = l[i].worker_id;
		a[na].period = period;
		a[na].employer_null = employer_null;
		a[na].employer = employer;
		a[na].days = l[i].days_null ? num_zero() : l[i].days;
		a[na].payable = l[i].payable;
		a[na].net = l[i].net;
		a[na].known = Max(l[i].created_at, sheet_created);
		a[na].added = a[na].gone = false;
		na++;
	}
	PopActiveSnapshot();
	if (other)
	{
		pfree(a);
		lines_close(&x);
		return 0;
	}

	/* g: the lines of a month summed, in the key order the months are written in */
	if (na > 1)
	{
		int			m = 0;

		qsort(a, na, sizeof(wk_month_add), cmp_month_key);
		for (int i = 1; i < na; i++)
		{
			wk_month_add *g = &a[m];

			if (cmp_month_key(g, &a[i]) != 0)
			{
				a[++m] = a[i];
				continue;
			}
			/* (min(employer_id), the sums, max(known)) */
			if (!a[i].employer_null && (g->employer_null || a[i].employer < g->employer))
			{
				g->employer = a[i].employer;
				g->employer_null = false;
			}
			g->days = num_add(g->days, a[i].days);
			g->payable = num_add(g->payable, a[i].payable);
			g->net = num_add(g->net, a[i].net);
			if (a[i].known > g->known)
				g->known = a[i].known;
		}
		na = m + 1;
	}
	/*
	 * (lines bring new months, mostly: a line is a worker's month on a sheet, and a worker has
	 * one sheet of a project a month; so does a clerk's one line. A month that is there costs
	 * the insertion withdrawn, then the lookups; without looking first a new month saves the
	 * look for its key in wage_month and worker_pay)
	 */
	x.fresh = true;
	months_apply(&x, a, na);
	pfree(a);
	lines_close(&x);
	return 1;
}

/*
 * wc_line_one_keyed: P_LINE_ONE of a new line, by key (wc_lines_keyed of one line). 1 when
 * done (added to its month, or its sheet is not there: nothing to add to), 0 when the line is
 * corrected or paid (its keys are recomputed), -1 when the summaries are not tables written
 * by key or a value is out of what this path writes (nothing written: P_LINE_ONE runs).
 */
int
wc_line_one_keyed(const wc_line_in *l)
{
	bool		left = false;
	int			done = wc_lines_keyed(l, 1, &left);

	return done == 1 && left ? -1 : done;
}

/* ---------------------------------------------------------------------------------------
 * New payments
 */

/* appended: the elements v[0..n) and more[0..nmore) after them, as a one-dimensional array. */
static Datum
appended(Datum *v, bool *nulls, int n, const Datum *more, int nmore, Oid elemtype, int16 len, bool byval, char align)
{
	Datum	   *v2 = palloc(sizeof(Datum) * (n + nmore));
	bool	   *n2 = palloc(sizeof(bool) * (n + nmore));
	int			dims[1] = {n + nmore};
	int			lbs[1] = {1};

	if (n > 0)
	{
		memcpy(v2, v, sizeof(Datum) * n);
		memcpy(n2, nulls, sizeof(bool) * n);
	}
	memcpy(v2 + n, more, sizeof(Datum) * nmore);
	memset(n2 + n, false, sizeof(bool) * nmore);
	return PointerGetDatum(construct_md_array(v2, n2, 1, dims, lbs, elemtype, len, byval, align));
}

/* A new payment with its month's key: a row of P_PAYMENT_ADD's p. */
typedef struct wk_pay
{
	int64		project;
	int64		worker;
	DateADT		period;
	TimestampTz paid_at;
	int64		payment_id;
	const wc_payment_in *in;
	bool		employer_null;
	int64		employer;
	bool		off_card;		/* (a row of payment_off_card) */
	const char *reason;
} wk_pay;

static int
cmp_pay_month(const wk_pay *x, const wk_pay *y)
{
	return cmp_month(x->project, x->worker, x->period, y->project, y->worker, y->period);
}

/* the months' key order, then the order a month's payments are appended in (paid_at, payment_id) */
static int
cmp_pay_append(const void *a, const void *b)
{
	const wk_pay *x = a,
			   *y = b;
	int			c = cmp_pay_month(x, y);

	if (c != 0)
		return c;
	if (x->paid_at != y->paid_at)
		return x->paid_at < y->paid_at ? -1 : 1;
	return cmp_int64(x->payment_id, y->payment_id);
}

/* payment_off_card's key order (the month's, then payment_id) */
static int
cmp_off_card(const void *a, const void *b)
{
	const wk_pay *x = *(wk_pay *const *) a,
			   *y = *(wk_pay *const *) b;
	int			c = cmp_pay_month(x, y);

	return c != 0 ? c : cmp_int64(x->payment_id, y->payment_id);
}

/*
 * off_card_insert: a payment's row of payment_off_card, inserted unless its key has one
 * (ON CONFLICT DO NOTHING); the table's columns as P_PAYMENT_ADD writes them.
 */
static void
off_card_insert(wc_keyed *k, const int *oc, const wk_pay *p)
{
	Datum	   *v = k->next->tts_values;
	bool	   *n = k->next->tts_isnull;
	Datum		key[4] = {Int64GetDatum(p->project), Int64GetDatum(p->worker), DateADTGetDatum(p->period),
	Int64GetDatum(p->payment_id)};

	wc_keyed_new(k);
	for (int i = 0; i < 4; i++)
		v[k->keyatt[i] - 1] = key[i];
	v[oc[0]] = Int64GetDatum(p->employer);
	n[oc[0]] = p->employer_null;	/* (NOT NULL: refused, as the statement refuses it) */
	v[oc[1]] = num_to(p->in->amount, typmod_of(k, oc[1]));
	v[oc[2]] = CStringGetTextDatum(p->in->method);
	v[oc[3]] = TimestampTzGetDatum(p->in->paid_at);
	v[oc[4]] = TimestampTzGetDatum(p->in->created_at);
	v[oc[5]] = CStringGetTextDatum(p->reason);
	(void) wc_keyed_insert(k);
}

/*
 * month_seen_by: whether the version of a month locked in k->found was written by this
 * transaction or by one that had committed when cards was taken (the snapshot the payments'
 * workers' cards were read with). Another one - a card changed meanwhile, whose trigger
 * recomputed the worker's months and held this one's lock until it committed - may have
 * changed a card that was read: the month is then recomputed, with a fresh snapshot, instead
 * of appended to by the card read (its payments' rows of payment_off_card with it).
 */
static bool
month_seen_by(wc_keyed *k, Snapshot cards)
{
	bool		isnull;
	TransactionId xmin = DatumGetTransactionId(slot_getsysattr(k->found, MinTransactionIdAttributeNumber, &isnull));

	if (isnull || !TransactionIdIsNormal(xmin) || TransactionIdIsCurrentTransactionId(xmin))
		return true;
	return !XidInMVCCSnapshot(xmin, cards);
}

/* payments_close: what wc_payments_keyed opened (a table or index not opened is left alone) */
static void
payments_close(wc_keyed *offc, wc_keyed *month, wc_key_probe *worker, wc_key_probe *sheet, wc_key_probe *line)
{
	wc_keyed_close(offc);
	wc_keyed_close(month);
	wc_key_probe_close(worker);
	wc_key_probe_close(sheet);
	wc_key_probe_close(line);
}

/*
 * wc_payments_keyed: P_PAYMENT_LOCK and P_PAYMENT_ADD of new payments, by key: each
 * payment's line, sheet and worker read (the line's sheet and worker and the worker's card as
 * the enforcing trigger of the statement, rel's of transition table rows, read them when it
 * kept them: src/enforce/payments.c); the months locked in key order (a statement of one
 * payment: read first, and locked only when the payment comes after the month's last, as
 * the UPDATE's condition is), each month's payments appended at once where they all come
 * after its last (under the lock), then the payments' rows of payment_off_card inserted.
 * Returns how many payments were appended (the months they were appended to in months[0..3):
 * project, worker, period), or -1 when the summaries are not tables written by key or a
 * payment's method is not known (nothing written: the statements run). Payments not
 * appended (no line or sheet, no month, a month being recomputed, a payment before the
 * month's last) are recomputed by the caller.
 */
int
wc_payments_keyed(const wc_payment_in *in, int n, wc_datum_col *months, Relation rel, const void *rows)
{
	static const char *const mcols[3] = {"project_id", "worker_id", "period"};
	static const Oid mtypes[3] = {INT8OID, INT8OID, DATEOID};
	static const char *const ocols[4] = {"project_id", "worker_id", "period", "payment_id"};
	static const Oid otypes[4] = {INT8OID, INT8OID, DATEOID, INT8OID};
	wc_key_probe	line,
				sheet,
				worker;
	wc_keyed	month,
				offc;
	wm_cols		c;
	int			l_sheet = -1,
				l_worker = -1,
				s_project = -1,
				s_period = -1,
				s_employer = -1,
				k_card = -1;
	int			oc[6];
	bool		opened;
	wk_pay	   *p;
	wk_pay	  **off;
	int			np = 0,
				noff = 0,
				covered = 0;
	int64		last_sheet = 0;
	bool		have_last = false,
				have_sheet = false;
	MemoryContext row,
				outer;
	bool		shared;
	Snapshot	cards;			/* what the workers' cards were read with */

	/* (REPEATABLE READ, SERIALIZABLE: the statements' writes fail on a row changed since the snapshot) */
	if (IsolationUsesXactSnapshot())
		return -1;
	for (int i = 0; i < n; i++)
		if (in[i].method == NULL)
			return -1;
	/*
	 * shared: every payment's line (its sheet and worker) and the worker's card as the
	 * statement's checks read them just before (src/enforce/payments.c), not read again
	 */
	shared = wc_paid_lines_shared(rel, rows);
	cards = shared ? wc_paid_lines_snapshot() : NULL;
	shared = shared && cards != NULL;
	for (int i = 0; i < n && shared; i++)
	{
		int64		sheet_id,
					worker_id,
					card;
		bool		card_null;

		shared = wc_paid_line_shared(in[i].line_id, &sheet_id, &worker_id, &card_null, &card);
	}
	memset(&month, 0, sizeof(month));
	memset(&offc, 0, sizeof(offc));
	memset(&line, 0, sizeof(line));
	memset(&sheet, 0, sizeof(sheet));
	memset(&worker, 0, sizeof(worker));
	opened = (shared || (wc_key_probe_open(&line, "pay_line", "pay_line_pkey", "line_id") &&
						 wc_key_probe_open(&worker, "worker", "worker_pkey", "worker_id"))) &&
		wc_key_probe_open(&sheet, "pay_sheet", "pay_sheet_pkey", "sheet_id") &&
		wc_keyed_open(&month, "wage_month", 3, mcols, mtypes);
	if (opened && !shared)
	{
		TupleDesc	wd = RelationGetDescr(worker.rel);

		l_sheet = wc_key_probe_column(&line, "sheet_id", INT8OID);
		l_worker = wc_key_probe_column(&line, "worker_id", INT8OID);
		for (int i = 0; i < wd->natts; i++)
			if (!TupleDescAttr(wd, i)->attisdropped && strcmp(NameStr(TupleDescAttr(wd, i)->attname), "wage_card") == 0)
				k_card = i;
		/* (the card compared as wagecheck.<> compares bank cards: as bigints) */
		opened = l_sheet >= 0 && l_worker >= 0 && k_card >= 0 && TupleDescAttr(wd, k_card)->attlen == 8 &&
			TupleDescAttr(wd, k_card)->attbyval;
	}
	if (opened)
	{
		s_project = wc_key_probe_column(&sheet, "project_id", INT8OID);
		s_period = wc_key_probe_column(&sheet, "period", DATEOID);
		s_employer = wc_key_probe_column(&sheet, "employer_id", INT8OID);
		opened = s_project >= 0 && s_period >= 0 && s_employer >= 0 && wm_columns(&month, &c);
	}
	if (!opened)
	{
		payments_close(&offc, &month, &worker, &sheet, &line);
		return -1;
	}

	/* p: each payment's line and sheet (a statement's payments come sheet by sheet: the last one kept); its worker's card */
	p = palloc(sizeof(wk_pay) * Max(n, 1));
	off = palloc(sizeof(wk_pay *) * Max(n, 1));
	statement_snapshot();
	for (int i = 0; i < n; i++)
	{
		wk_pay	   *q = &p[np];
		int64		sheet_id,
					worker_id,
					card = 0;
		bool		have_worker,
					no_card = true;

		if (shared)
		{
			(void) wc_paid_line_shared(in[i].line_id, &sheet_id, &worker_id, &no_card, &card);
			have_worker = true;
		}
		else
		{
			if (!wc_key_probe_get(&line, in[i].line_id) || line.slot->tts_isnull[l_sheet] || line.slot->tts_isnull[l_worker])
				continue;		/* (no month: the statement's join finds none; recomputed) */
			sheet_id = DatumGetInt64(line.slot->tts_values[l_sheet]);
			worker_id = DatumGetInt64(line.slot->tts_values[l_worker]);
			have_worker = wc_key_probe_get(&worker, worker_id);
			if (have_worker)
			{
				no_card = worker.slot->tts_isnull[k_card];
				card = no_card ? 0 : DatumGetInt64(worker.slot->tts_values[k_card]);
			}
		}
		if (!have_last || sheet_id != last_sheet)
		{
			have_last = true;
			last_sheet = sheet_id;
			have_sheet = wc_key_probe_get(&sheet, sheet_id) && !sheet.slot->tts_isnull[s_project] &&
				!sheet.slot->tts_isnull[s_period];
		}
		if (!have_sheet)
			continue;
		q->project = DatumGetInt64(sheet.slot->tts_values[s_project]);
		q->worker = worker_id;
		q->period = DatumGetDateADT(sheet.slot->tts_values[s_period]);
		q->employer_null = sheet.slot->tts_isnull[s_employer];
		q->employer = q->employer_null ? 0 : DatumGetInt64(sheet.slot->tts_values[s_employer]);
		q->paid_at = in[i].paid_at;
		q->payment_id = in[i].payment_id;
		q->in = &in[i];
		q->off_card = false;
		/* oc: a payment in cash or to another card than the worker's has a row of payment_off_card */
		if (have_worker)
		{
			q->off_card = strcmp(in[i].method, "account") != 0 || in[i].card_null || no_card || in[i].card != card;
			q->reason = strcmp(in[i].method, "cash") == 0 ? "cash" :
				no_card ? "worker has no registered card" : "not the worker's registered card";
			if (q->off_card)
				off[noff++] = q;
		}
		np++;
	}
	if (!shared)
		cards = wc_snapshot_copy(GetActiveSnapshot(), CurrentMemoryContext);
	PopActiveSnapshot();
	/* payment_off_card, opened when a payment has a row there (nothing written yet: the statement runs when it cannot be) */
	if (noff > 0)
	{
		opened = wc_keyed_open(&offc, "payment_off_card", 4, ocols, otypes);
		if (opened)
		{
			oc[0] = wc_keyed_column(&offc, "employer_id", INT8OID);
			oc[1] = wc_keyed_column(&offc, "amount", NUMERICOID);
			oc[2] = wc_keyed_column(&offc, "method", TEXTOID);
			oc[3] = wc_keyed_column(&offc, "paid_at", TIMESTAMPTZOID);
			oc[4] = wc_keyed_column(&offc, "created_at", TIMESTAMPTZOID);
			oc[5] = wc_keyed_column(&offc, "reason", TEXTOID);
			opened = RelationGetDescr(offc.rel)->natts == 10;
			for (int i = 0; i < 6; i++)
				opened = opened && oc[i] >= 0;
		}
		if (!opened)
		{
			pfree(off);
			pfree(p);
			payments_close(&offc, &month, &worker, &sheet, &line);
			return -1;
		}
	}

	/* a: each month's payments in the order they are appended; the months in key order */
	if (np > 1)
	{
		qsort(p, np, sizeof(wk_pay), cmp_pay_append);
		/* (the rows of payment_off_card point into p: found again after the sort) */
		noff = 0;
		for (int i = 0; i < np; i++)
			if (p[i].off_card)
				off[noff++] = &p[i];
	}
	row = AllocSetContextCreate(CurrentMemoryContext, "wagecheck keyed payments", ALLOCSET_DEFAULT_SIZES);
	outer = MemoryContextSwitchTo(row);
	for (int i = 0; i < np;)
	{
		Datum		key[3] = {Int64GetDatum(p[i].project), Int64GetDatum(p[i].worker), DateADTGetDatum(p[i].period)};
		TimestampTz first_at = p[i].paid_at,
					known = 0;
		Datum	   *ats = NULL,
				   *each = NULL;
		bool	   *ats_null = NULL,
				   *each_null = NULL;
		int			nats = 0,
					neach = 0,
					j = i;
		int			shape = 1;

		for (; j < np && cmp_pay_month(&p[i], &p[j]) == 0; j++)
			known = Max(known, Max(p[j].in->created_at, p[j].paid_at));

		/*
		 * up: the month locked (P_PAYMENT_LOCK locks every month of a statement of several
		 * payments; one payment's month is read first, and locked only when the payment comes
		 * after its last and it is not a recomputation's placeholder), its condition read
		 * again under the lock, as the UPDATE's is
		 */
#define APPENDS(k) (shape = one_dim((k).found->tts_values[c.ats], TIMESTAMPTZOID, sizeof(TimestampTz), true, TYPALIGN_DOUBLE, \
									 &ats, &ats_null, &nats) ? 1 : -1, \
					shape == 1 && !(k).found->tts_isnull[c.known_to] && \
					DatumGetTimestampTz((k).found->tts_values[c.known_to]) < DT_NOEND && \
					(nats == 0 || (!ats_null[nats - 1] && DatumGetTimestampTz(ats[nats - 1]) < first_at)))
		if ((n > 1 ? wc_keyed_lock(&month, key) :
			 wc_keyed_read(&month, key) && APPENDS(month) && wc_keyed_lock_read(&month, key)) && APPENDS(month) &&
			month_seen_by(&month, cards) &&
			one_dim(month.found->tts_values[c.each], NUMERICOID, -1, false, TYPALIGN_INT, &each, &each_null, &neach))
		{
			Datum	   *v = month.next->tts_values;
			bool	   *nl = month.next->tts_isnull;
			Datum	   *more_ats = palloc(sizeof(Datum) * (j - i));
			Datum	   *more_each = palloc(sizeof(Datum) * (j - i));
			Datum		sum = p[i].in->amount;

			for (int k = i; k < j; k++)
			{
				if (k > i)
					sum = num_add(sum, p[k].in->amount);
				more_ats[k - i] = TimestampTzGetDatum(p[k].paid_at);
				more_each[k - i] = num_to(p[k].in->amount, typmod_of(&month, c.each));
			}
			v[c.paid] = num_to(num_add(v[c.paid], sum), typmod_of(&month, c.paid));
			v[c.ats] = appended(ats, ats_null, nats, more_ats, j - i, TIMESTAMPTZOID, sizeof(TimestampTz), true,
								TYPALIGN_DOUBLE);
			v[c.each] = appended(each, each_null, neach, more_each, j - i, NUMERICOID, -1, false, TYPALIGN_INT);
			if (known > DatumGetTimestampTz(v[c.known_to]))
				v[c.known_to] = TimestampTzGetDatum(known);
			if (nl[c.settled])
			{
				bool		isnull;

				v[c.settled] = settled_at(v[c.net], v[c.ats], v[c.each], &isnull);
				nl[c.settled] = isnull;
			}
			wc_keyed_update(&month);
			covered += j - i;
			MemoryContextSwitchTo(outer);
			wc_col_add(&months[0], key[0], false);
			wc_col_add(&months[1], key[1], false);
			wc_col_add(&months[2], key[2], false);
			MemoryContextSwitchTo(row);
		}
		else if (shape < 0 && n == 1)
		{
			/* (an array this path does not append to, nothing written: the statement runs) */
			covered = -1;
			noff = 0;
			break;
		}
#undef APPENDS
		/* (a month not appended to, whatever the reason, is recomputed) */
		MemoryContextReset(row);
		i = j;
	}

	/* oc: the payments' rows of payment_off_card, in its key order */
	if (noff > 1)
		qsort(off, noff, sizeof(wk_pay *), cmp_off_card);
	for (int i = 0; i < noff; i++)
	{
		off_card_insert(&offc, oc, off[i]);
		MemoryContextReset(row);
	}
	MemoryContextSwitchTo(outer);
	MemoryContextDelete(row);
	pfree(off);
	pfree(p);
	payments_close(&offc, &month, &worker, &sheet, &line);
	return covered;
}

/* ---------------------------------------------------------------------------------------
 * New pay sheets
 */

/*
 * wc_sheets_have_lines: P_SHEET_LINES of a few new sheets, by the index of pay_line on
 * sheet_id: 1 when a line names one of them (a load wrote lines before their sheet), 0 when
 * none does, -1 when that index is not there (P_SHEET_LINES runs).
 */
int
wc_sheets_have_lines(const Datum *sheet_ids, int n)
{
	wc_key_probe	lines;
	bool		have = false;

	if (!wc_key_probe_open(&lines, "pay_line", "pay_line_sheet_id_idx", "sheet_id"))
		return -1;
	statement_snapshot();
	for (int i = 0; i < n && !have; i++)
		have = wc_key_probe_get(&lines, DatumGetInt64(sheet_ids[i]));
	PopActiveSnapshot();
	wc_key_probe_close(&lines);
	return have ? 1 : 0;
}
