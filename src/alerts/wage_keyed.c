/*
 * wage_keyed.c — a one-row statement on pay_line or wage_payment written to wage_month and
 * the summaries kept with it by key (src/alerts/keyed.c), without a statement: what
 * P_LINE_ONE and P_PAYMENT_ADD of src/alerts/summaries.c do for one row, in their order and
 * under the same row locks, with the rows they read (the line's sheet, the payment's line,
 * sheet and worker, whether a line is corrected or paid) found by their indexes under the
 * snapshot a statement would take. A clerk's or device's row costs the trigger no plan to
 * check, start and end.
 *
 * Each function first opens everything it writes and checks it can (tables written by key:
 * keyed.c; the indexes it reads by name, each a btree whose first column is the one read):
 * when it cannot, it returns -1 having written nothing, and the caller runs the statement.
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

extern Datum wagecheck_settled_at(PG_FUNCTION_ARGS);

/* ---------------------------------------------------------------------------------------
 * Reads of the input tables by an index (the rows a statement would join)
 */

/* An input table opened to read rows by one bigint column through an index. */
typedef struct wk_probe
{
	Relation	rel;
	Relation	index;
	TupleTableSlot *slot;
} wk_probe;

/*
 * probe_open: wagecheck.<table> and its index <index> (a btree, not partial, whose first
 * column is col, a bigint), opened to read; false (nothing left open) otherwise.
 */
static bool
probe_open(wk_probe *p, const char *table, const char *index, const char *col)
{
	Oid			nsp = get_namespace_oid("wagecheck", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid(table, nsp) : InvalidOid;
	Oid			indexid = OidIsValid(nsp) ? get_relname_relid(index, nsp) : InvalidOid;
	AttrNumber	a;

	memset(p, 0, sizeof(*p));
	if (!OidIsValid(relid) || !OidIsValid(indexid))
		return false;
	p->rel = table_open(relid, AccessShareLock);
	p->index = index_open(indexid, AccessShareLock);
	a = p->index->rd_index->indnkeyatts >= 1 ? p->index->rd_index->indkey.values[0] : 0;
	if (p->rel->rd_rel->relkind != RELKIND_RELATION || p->index->rd_index->indrelid != relid ||
		p->index->rd_rel->relam != BTREE_AM_OID || !heap_attisnull(p->index->rd_indextuple, Anum_pg_index_indpred, NULL) ||
		a <= 0 || a > RelationGetDescr(p->rel)->natts ||
		TupleDescAttr(RelationGetDescr(p->rel), a - 1)->atttypid != INT8OID ||
		strcmp(NameStr(TupleDescAttr(RelationGetDescr(p->rel), a - 1)->attname), col) != 0 ||
		p->index->rd_opcintype[0] != INT8OID)
	{
		index_close(p->index, AccessShareLock);
		table_close(p->rel, AccessShareLock);
		memset(p, 0, sizeof(*p));
		return false;
	}
	p->slot = table_slot_create(p->rel, NULL);
	return true;
}

/* probe_column: the index in p->slot of the table's column name of type type, -1 when none. */
static int
probe_column(wk_probe *p, const char *name, Oid type)
{
	TupleDesc	desc = RelationGetDescr(p->rel);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && att->atttypid == type && strcmp(NameStr(att->attname), name) == 0)
			return i;
	}
	return -1;
}

/* probe_get: the first row whose indexed column is key, seen by the active snapshot, into p->slot. */
static bool
probe_get(wk_probe *p, int64 key)
{
	IndexScanDesc scan = index_beginscan(p->rel, p->index, GetActiveSnapshot(), 1, 0);
	ScanKeyData sk;
	bool		found;

	ScanKeyInit(&sk, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(key));
	index_rescan(scan, &sk, 1, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, p->slot);
	index_endscan(scan);
	if (found)
		slot_getallattrs(p->slot);
	return found;
}

static void
probe_close(wk_probe *p)
{
	if (p->rel == NULL)
		return;
	ExecDropSingleTupleTableSlot(p->slot);
	index_close(p->index, AccessShareLock);
	table_close(p->rel, AccessShareLock);
	memset(p, 0, sizeof(*p));
}

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

/* appended: the elements v[0..n) and one more, as a one-dimensional array. */
static Datum
appended(Datum *v, bool *nulls, int n, Datum last, Oid elemtype, int16 len, bool byval, char align)
{
	Datum	   *v2 = palloc(sizeof(Datum) * (n + 1));
	bool	   *n2 = palloc(sizeof(bool) * (n + 1));
	int			dims[1] = {n + 1};
	int			lbs[1] = {1};

	if (n > 0)
	{
		memcpy(v2, v, sizeof(Datum) * n);
		memcpy(n2, nulls, sizeof(bool) * n);
	}
	v2[n] = last;
	n2[n] = false;
	return PointerGetDatum(construct_md_array(v2, n2, 1, dims, lbs, elemtype, len, byval, align));
}

/* ---------------------------------------------------------------------------------------
 * A new pay line
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

/* upsert_count: INSERT (key, 1) ... ON CONFLICT DO UPDATE SET col = col + 1 into a table of two bigint keys and a bigint. */
static void
upsert_count(wc_keyed *k, const Datum *key, int col)
{
	for (;;)
	{
		wc_keyed_new(k);
		for (int i = 0; i < k->nkeys; i++)
			k->next->tts_values[k->keyatt[i] - 1] = key[i];
		k->next->tts_values[col] = Int64GetDatum(1);
		if (wc_keyed_insert(k))
			return;
		if (wc_keyed_lock(k, key))
		{
			if (k->next->tts_isnull[col])
				return;			/* (NULL + 1 is NULL: the column is NOT NULL, never here) */
			/* (+ as the statement adds: its error when out of range) */
			k->next->tts_values[col] = DirectFunctionCall2(int8pl, k->next->tts_values[col], Int64GetDatum(1));
			wc_keyed_update(k);
			return;
		}
		/* the row went meanwhile: inserted again, as ON CONFLICT tries again */
	}
}

/*
 * wc_line_one_keyed: P_LINE_ONE of a new line, by key. 1 when done (added to its month, or
 * its sheet is not there: nothing to add to), 0 when the line is corrected or paid (its keys
 * are recomputed), -1 when the summaries are not tables written by key or a value is out
 * of what this path writes (nothing written: P_LINE_ONE runs).
 */
int
wc_line_one_keyed(const wc_line_in *l)
{
	static const char *const mcols[3] = {"project_id", "worker_id", "period"};
	static const Oid mtypes[3] = {INT8OID, INT8OID, DATEOID};
	static const char *const swcols[2] = {"project_id", "worker_id"};
	static const Oid swtypes[2] = {INT8OID, INT8OID};
	static const char *const ucols[3] = {"period", "project_id", "worker_id"};
	static const Oid utypes[3] = {DATEOID, INT8OID, INT8OID};
	static const char *const wcols[3] = {"worker_id", "span", "period"};
	static const Oid wtypes[3] = {INT8OID, TEXTOID, DATEOID};
	wk_probe	sheet,
				corr,
				paid;
	wc_keyed	month,
				sw,
				unpaid;
	wc_keyed	wp;
	wm_cols		c;
	int			s_project,
				s_period,
				s_employer,
				s_created,
				sw_months,
				wp_payable,
				wp_entries;
	int			done = -1;
	bool		opened;

	memset(&month, 0, sizeof(month));
	memset(&sw, 0, sizeof(sw));
	memset(&unpaid, 0, sizeof(unpaid));
	memset(&wp, 0, sizeof(wp));
	memset(&sheet, 0, sizeof(sheet));
	memset(&corr, 0, sizeof(corr));
	memset(&paid, 0, sizeof(paid));
	opened = probe_open(&sheet, "pay_sheet", "pay_sheet_pkey", "sheet_id") &&
		probe_open(&corr, "pay_line", "pay_line_corrected_once", "corrects_line_id") &&
		probe_open(&paid, "wage_payment", "wage_payment_line_id_idx", "line_id") &&
		wc_keyed_open(&month, "wage_month", 3, mcols, mtypes) &&
		wc_keyed_open(&sw, "sheet_worker", 2, swcols, swtypes) &&
		wc_keyed_open(&unpaid, "attendance_unpaid", 3, ucols, utypes) && wc_keyed_open(&wp, "worker_pay", 3, wcols, wtypes);
	if (opened)
	{
		s_project = probe_column(&sheet, "project_id", INT8OID);
		s_period = probe_column(&sheet, "period", DATEOID);
		s_employer = probe_column(&sheet, "employer_id", INT8OID);
		s_created = probe_column(&sheet, "created_at", TIMESTAMPTZOID);
		sw_months = wc_keyed_column(&sw, "months", INT8OID);
		wp_payable = wc_keyed_column(&wp, "payable", NUMERICOID);
		wp_entries = wc_keyed_column(&wp, "entries", INT8OID);
		opened = s_project >= 0 && s_period >= 0 && s_employer >= 0 && s_created >= 0 && sw_months >= 0 &&
			RelationGetDescr(sw.rel)->natts == 3 && wp_payable >= 0 && wp_entries >= 0 &&
			RelationGetDescr(wp.rel)->natts == 5 && RelationGetDescr(unpaid.rel)->natts == 3 &&
			wm_columns(&month, &c);
	}
	if (opened)
	{
		bool		other,
					have_sheet,
					sheet_nulls = false;
		int64		project = 0,
					employer = 0;
		bool		employer_null = true;
		DateADT		period = 0;
		TimestampTz known = l->created_at;

		/* o: is the line corrected or paid already (a load in replica mode)? its sheet */
		statement_snapshot();
		other = probe_get(&corr, l->line_id) || probe_get(&paid, l->line_id);
		have_sheet = !other && probe_get(&sheet, l->sheet_id);
		if (have_sheet)
		{
			Datum	   *v = sheet.slot->tts_values;
			bool	   *n = sheet.slot->tts_isnull;

			/* (NOT NULL columns: a NULL is left to the statement, which refuses it) */
			sheet_nulls = n[s_project] || n[s_period] || n[s_created];
			project = DatumGetInt64(v[s_project]);
			period = DatumGetDateADT(v[s_period]);
			employer_null = n[s_employer];
			if (!employer_null)
				employer = DatumGetInt64(v[s_employer]);
			if (!sheet_nulls && DatumGetTimestampTz(v[s_created]) > known)
				known = DatumGetTimestampTz(v[s_created]);
		}
		PopActiveSnapshot();
		if (other)
			done = 0;
		else if (!have_sheet)
			done = 1;			/* (no month to add to: as the statement's join finds none) */
		else if (!sheet_nulls && !DATE_NOT_FINITE(period))	/* (the year of an infinite month: left to the statement) */
		{
			Datum		key[3] = {Int64GetDatum(project), Int64GetDatum(l->worker_id), DateADTGetDatum(period)};
			Datum		zero = num_zero();
			Datum		days = num_to(l->days_null ? zero : l->days, typmod_of(&month, c.days));
			bool		added = false,
						gone = false;

			/* up: the month inserted, or added to under the lock ON CONFLICT takes */
			for (;;)
			{
				Datum	   *v = month.next->tts_values;
				bool	   *n = month.next->tts_isnull;

				wc_keyed_new(&month);
				for (int i = 0; i < 3; i++)
					v[month.keyatt[i] - 1] = key[i];
				v[c.employer] = Int64GetDatum(employer);
				n[c.employer] = employer_null;
				v[c.days] = days;
				v[c.payable] = num_to(l->payable, typmod_of(&month, c.payable));
				v[c.net] = num_to(l->net, typmod_of(&month, c.net));
				v[c.paid] = num_to(zero, typmod_of(&month, c.paid));
				v[c.ats] = PointerGetDatum(construct_empty_array(TIMESTAMPTZOID));
				v[c.each] = PointerGetDatum(construct_empty_array(NUMERICOID));
				v[c.known_to] = TimestampTzGetDatum(known);
				v[c.settled] = TimestampTzGetDatum(DT_NOBEGIN);
				n[c.settled] = num_cmp(l->net, zero) > 0;
				if (wc_keyed_insert(&month))
				{
					added = true;
					break;
				}
				if (wc_keyed_lock(&month, key))
				{
					Datum		sum_net;
					bool		isnull;

					if (n[c.employer] || (!employer_null && employer < DatumGetInt64(v[c.employer])))
					{
						v[c.employer] = Int64GetDatum(employer);
						n[c.employer] = employer_null;
					}
					v[c.days] = num_to(num_add(v[c.days], days), typmod_of(&month, c.days));
					v[c.payable] = num_to(num_add(v[c.payable], num_to(l->payable, typmod_of(&month, c.payable))),
										  typmod_of(&month, c.payable));
					sum_net = num_add(v[c.net], num_to(l->net, typmod_of(&month, c.net)));
					v[c.net] = num_to(sum_net, typmod_of(&month, c.net));
					if (known > DatumGetTimestampTz(v[c.known_to]))
						v[c.known_to] = TimestampTzGetDatum(known);
					v[c.settled] = settled_at(sum_net, v[c.ats], v[c.each], &isnull);
					n[c.settled] = isnull;
					wc_keyed_update(&month);
					break;
				}
			}
			/* un: the month that came ends its attendance_unpaid row, when there */
			if (added)
			{
				Datum		ukey[3] = {key[2], key[0], key[1]};

				if (wc_keyed_read(&unpaid, ukey) && wc_keyed_lock(&unpaid, ukey))
				{
					wc_keyed_delete(&unpaid);
					gone = true;
				}
				/* sw: one more month of the worker on the project's sheets */
				upsert_count(&sw, key, sw_months);
			}
			/* wp: the worker's month and year */
			if (added || num_cmp(l->payable, zero) != 0)
			{
				int			y,
							mo,
							d;
				Datum		payable = num_to(l->payable, typmod_of(&wp, wp_payable));

				j2date(period + POSTGRES_EPOCH_JDATE, &y, &mo, &d);
				for (int span = 0; span < 2; span++)
				{
					Datum		wkey[3] = {Int64GetDatum(l->worker_id), CStringGetTextDatum(span == 0 ? "month" : "year"),
					DateADTGetDatum(span == 0 ? period : date2j(y, 1, 1) - POSTGRES_EPOCH_JDATE)};

					for (;;)
					{
						Datum	   *v = wp.next->tts_values;

						wc_keyed_new(&wp);
						for (int i = 0; i < 3; i++)
							v[wp.keyatt[i] - 1] = wkey[i];
						v[wp_payable] = payable;
						v[wp_entries] = Int64GetDatum(added ? 1 : 0);
						if (wc_keyed_insert(&wp))
							break;
						if (wc_keyed_lock(&wp, wkey))
						{
							v[wp_payable] = num_to(num_add(v[wp_payable], payable), typmod_of(&wp, wp_payable));
							v[wp_entries] = DirectFunctionCall2(int8pl, v[wp_entries], Int64GetDatum(added ? 1 : 0));
							wc_keyed_update(&wp);
							break;
						}
					}
				}
			}
			/*
			 * a month that came without an attendance_unpaid row: one put in its place
			 * unless there (a writer of the attendance adding it waited for), then the
			 * key's row deleted (P_UNPAID_LOCK, P_UNPAID_GONE)
			 */
			if (added && !gone)
			{
				Datum		ukey[3] = {key[2], key[0], key[1]};

				wc_keyed_new(&unpaid);
				for (int i = 0; i < 3; i++)
					unpaid.next->tts_values[unpaid.keyatt[i] - 1] = ukey[i];
				(void) wc_keyed_insert(&unpaid);
				if (wc_keyed_lock(&unpaid, ukey))
					wc_keyed_delete(&unpaid);
			}
			done = 1;
		}
	}
	wc_keyed_close(&wp);
	wc_keyed_close(&unpaid);
	wc_keyed_close(&sw);
	wc_keyed_close(&month);
	probe_close(&paid);
	probe_close(&corr);
	probe_close(&sheet);
	return done;
}

/* ---------------------------------------------------------------------------------------
 * A new payment
 */

/*
 * wc_payment_one_keyed: P_PAYMENT_ADD of one payment, by key: 1 when it was appended to its
 * month, 0 when it was not (no month, a month being recomputed, or the payment falls before
 * the month's last: recomputed), -1 when the summaries are not tables written by key or the
 * payment has a row of payment_off_card to write (nothing written: P_PAYMENT_ADD runs).
 */
int
wc_payment_one_keyed(const wc_payment_in *p)
{
	static const char *const mcols[3] = {"project_id", "worker_id", "period"};
	static const Oid mtypes[3] = {INT8OID, INT8OID, DATEOID};
	wk_probe	line,
				sheet,
				worker;
	wc_keyed	month;
	wm_cols		c;
	int			l_sheet = -1,
				l_worker = -1,
				s_project = -1,
				s_period = -1,
				k_card = -1;
	int			done = -1;
	bool		opened;

	memset(&month, 0, sizeof(month));
	memset(&line, 0, sizeof(line));
	memset(&sheet, 0, sizeof(sheet));
	memset(&worker, 0, sizeof(worker));
	opened = probe_open(&line, "pay_line", "pay_line_pkey", "line_id") &&
		probe_open(&sheet, "pay_sheet", "pay_sheet_pkey", "sheet_id") &&
		probe_open(&worker, "worker", "worker_pkey", "worker_id") &&
		wc_keyed_open(&month, "wage_month", 3, mcols, mtypes);
	if (opened)
	{
		TupleDesc	wd = RelationGetDescr(worker.rel);

		l_sheet = probe_column(&line, "sheet_id", INT8OID);
		l_worker = probe_column(&line, "worker_id", INT8OID);
		s_project = probe_column(&sheet, "project_id", INT8OID);
		s_period = probe_column(&sheet, "period", DATEOID);
		for (int i = 0; i < wd->natts; i++)
			if (!TupleDescAttr(wd, i)->attisdropped && strcmp(NameStr(TupleDescAttr(wd, i)->attname), "wage_card") == 0)
				k_card = i;
		/* (the card compared as wagecheck.<> compares bank cards: as bigints) */
		opened = l_sheet >= 0 && l_worker >= 0 && s_project >= 0 && s_period >= 0 && k_card >= 0 &&
			TupleDescAttr(wd, k_card)->attlen == 8 && TupleDescAttr(wd, k_card)->attbyval &&
			wm_columns(&month, &c);
	}
	if (opened)
	{
		bool		have,
					off_card = false;
		int64		project = 0,
					worker_id = 0;
		DateADT		period = 0;

		/* p: the payment's line and sheet; its worker's card */
		statement_snapshot();
		have = probe_get(&line, p->line_id) && !line.slot->tts_isnull[l_sheet] && !line.slot->tts_isnull[l_worker];
		if (have)
		{
			worker_id = DatumGetInt64(line.slot->tts_values[l_worker]);
			have = probe_get(&sheet, DatumGetInt64(line.slot->tts_values[l_sheet])) &&
				!sheet.slot->tts_isnull[s_project] && !sheet.slot->tts_isnull[s_period];
		}
		if (have)
		{
			project = DatumGetInt64(sheet.slot->tts_values[s_project]);
			period = DatumGetDateADT(sheet.slot->tts_values[s_period]);
			/* oc: a payment in cash or to another card than the worker's has a row of payment_off_card */
			if (probe_get(&worker, worker_id))
				off_card = strcmp(p->method, "account") != 0 || p->card_null || worker.slot->tts_isnull[k_card] ||
					p->card != DatumGetInt64(worker.slot->tts_values[k_card]);
		}
		PopActiveSnapshot();
		if (!have)
			done = 0;			/* (no month: the statement's join finds none; recomputed) */
		else if (!off_card)
		{
			Datum		key[3] = {Int64GetDatum(project), Int64GetDatum(worker_id), DateADTGetDatum(period)};
			TimestampTz known = Max(p->created_at, p->paid_at);
			Datum	   *ats = NULL,
					   *each = NULL;
			bool	   *ats_null = NULL,
					   *each_null = NULL;
			int			nats = 0,
						neach = 0;
			int			shape = 1;

			/*
			 * up: the month's row read, and locked only when the payment comes after its
			 * last (and it is not a recomputation's placeholder), then read again under the
			 * lock, as the UPDATE's condition is
			 */
#define APPENDS(k) (shape = one_dim((k).found->tts_values[c.ats], TIMESTAMPTZOID, sizeof(TimestampTz), true, TYPALIGN_DOUBLE, \
									 &ats, &ats_null, &nats) ? 1 : -1, \
					shape == 1 && !(k).found->tts_isnull[c.known_to] && \
					DatumGetTimestampTz((k).found->tts_values[c.known_to]) < DT_NOEND && \
					(nats == 0 || (!ats_null[nats - 1] && DatumGetTimestampTz(ats[nats - 1]) < p->paid_at)))
			if (wc_keyed_read(&month, key) && APPENDS(month) && wc_keyed_lock(&month, key) && APPENDS(month) &&
				one_dim(month.found->tts_values[c.each], NUMERICOID, -1, false, TYPALIGN_INT, &each, &each_null, &neach))
			{
				Datum	   *v = month.next->tts_values;
				bool	   *n = month.next->tts_isnull;

				v[c.paid] = num_to(num_add(v[c.paid], p->amount), typmod_of(&month, c.paid));
				v[c.ats] = appended(ats, ats_null, nats, TimestampTzGetDatum(p->paid_at), TIMESTAMPTZOID,
									sizeof(TimestampTz), true, TYPALIGN_DOUBLE);
				v[c.each] = appended(each, each_null, neach, num_to(p->amount, typmod_of(&month, c.each)),
									 NUMERICOID, -1, false, TYPALIGN_INT);
				if (known > DatumGetTimestampTz(v[c.known_to]))
					v[c.known_to] = TimestampTzGetDatum(known);
				if (n[c.settled])
				{
					bool		isnull;

					v[c.settled] = settled_at(v[c.net], v[c.ats], v[c.each], &isnull);
					n[c.settled] = isnull;
				}
				wc_keyed_update(&month);
				done = 1;
			}
			else
				done = shape < 0 ? -1 : 0;
#undef APPENDS
		}
	}
	wc_keyed_close(&month);
	probe_close(&worker);
	probe_close(&sheet);
	probe_close(&line);
	return done;
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
	wk_probe	lines;
	bool		have = false;

	if (!probe_open(&lines, "pay_line", "pay_line_sheet_id_idx", "sheet_id"))
		return -1;
	statement_snapshot();
	for (int i = 0; i < n && !have; i++)
		have = probe_get(&lines, DatumGetInt64(sheet_ids[i]));
	PopActiveSnapshot();
	probe_close(&lines);
	return have ? 1 : 0;
}
