/*
 * load_order.c — the wait of a load whose rows come before their parents, for the summaries
 * kept by src/alerts/summaries.c.
 *
 * In replica mode (bulk loaders) no foreign key is checked: a pay line may be written before
 * its sheet or its worker, a payment before its line or the line's worker. The summaries keep
 * such a row once its parent comes: the writer of a new sheet looks for its lines, of a new
 * line for its payments, of a new worker for his lines, each with a new snapshot. Two loaders
 * at once could still miss each other: the child's writer finds no parent (not committed yet)
 * and the parent's writer no child (not committed yet). So the writer of children whose
 * parent is missing takes a SHARE lock on the parent's table: it waits for every transaction
 * writing that table to end, and a new writer of it waits for this transaction to end (and
 * then sees its children). Its summaries are then recomputed by statements that read with new
 * snapshots, which see the parents committed meanwhile. A transaction that reads its own
 * snapshot (REPEATABLE READ, SERIALIZABLE) cannot see them: when a missing parent was
 * committed since, it fails with a serialization failure. Parents that are there are locked
 * FOR KEY SHARE where a foreign key's check would lock them (a line's worker: a change of his
 * card locks him FOR UPDATE, and so waits for the load).
 */
#include "postgres.h"

#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "storage/lmgr.h"
#include "utils/snapmgr.h"

#include "alerts/key_probe.h"
#include "alerts/keyed.h"
#include "alerts/load_order.h"
#include "nls.h"

/* keys from this many on: the index's ends read first */
#define ENDS_FIRST 8

static int
cmp_key(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * wc_parents_missing: the keys of ids[0..n) (sorted and made distinct in place; *n their
 * number then) that wagecheck.<table> has no row of, as the statements that follow see it
 * (READ COMMITTED: a new snapshot; else the transaction's), moved to the
 * front (their number returned). When col names a bigint column of the table, cols[i] is its
 * value in the row of ids[i] for each found key (the first returned are left unset; a NULL
 * reads as a key missing from the column's table, which the caller looks up). -1 when the
 * table or its index is not as wagecheck made them (the caller waits for the table anyway).
 */
int
wc_parents_missing(const wc_key_index *ix, int64 *ids, int *n, const char *col, int64 *cols)
{
	wc_key_probe p;
	Snapshot	snapshot;
	int			m = 0,
				attno = -1,
				missing = 0;
	int64		lo,
				hi;

	if (*n > 1)
		qsort(ids, *n, sizeof(int64), cmp_key);
	for (int i = 0; i < *n; i++)
		if (m == 0 || ids[i] != ids[m - 1])
			ids[m++] = ids[i];
	*n = m;
	if (!wc_key_probe_open(&p, ix->table, ix->index, ix->column))
		return -1;
	if (col != NULL && (attno = wc_key_probe_column(&p, col, INT8OID)) < 0)
	{
		wc_key_probe_close(&p);
		return -1;
	}
	/*
	 * (the snapshot the statements that follow read: a new one in READ COMMITTED, the
	 * transaction's otherwise; after what this transaction wrote so far)
	 */
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	snapshot = GetActiveSnapshot();
	/*
	 * (many keys: those outside the least and greatest the index holds are missing without
	 * looking, as new workers' ids are beyond every pay line's; a NULL key or none: all looked)
	 */
	if (m < ENDS_FIRST || !wc_key_probe_ends(&p, snapshot, &lo, &hi))
	{
		lo = PG_INT64_MIN;
		hi = PG_INT64_MAX;
	}
	for (int i = 0; i < m; i++)
	{
		int64		key = ids[i];

		if (key < lo || key > hi || !wc_key_probe_find(&p, snapshot, key))
		{
			/* (moved to the front, the found one it takes the place of kept with its column) */
			int64		v = col != NULL ? cols[missing] : 0;

			ids[i] = ids[missing];
			if (col != NULL)
				cols[i] = v;
			ids[missing++] = key;
			continue;
		}
		if (col != NULL)
			cols[i] = p.slot->tts_isnull[attno] ? 0 : DatumGetInt64(p.slot->tts_values[attno]);
	}
	PopActiveSnapshot();
	wc_key_probe_close(&p);
	return missing;
}

/*
 * wc_parents_wait: waits for every transaction writing wagecheck.<table> to end, and keeps
 * new writers of it waiting until this one ends (a SHARE lock, held to the end of the
 * transaction); missing[0..n) are the keys of the rows the caller's rows name and found
 * missing. In REPEATABLE READ and SERIALIZABLE, a serialization failure when one of them was
 * committed since the transaction's snapshot. what: the children, for the message (gettext_noop).
 */
void
wc_parents_wait(const wc_key_index *ix, const int64 *missing, int n, const char *what)
{
	Oid			relid = wc_keyed_relid(ix->table);
	wc_key_probe p;
	Snapshot	latest;

	if (!OidIsValid(relid))
		return;
	LockRelationOid(relid, ShareLock);
	if (!IsolationUsesXactSnapshot() || !wc_key_probe_open(&p, ix->table, ix->index, ix->column))
		return;
	latest = RegisterSnapshot(GetLatestSnapshot());
	for (int i = 0; i < n; i++)
		if (wc_key_probe_find(&p, latest, missing[i]))
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to a concurrent load of wagecheck.%s", ix->table),
					 errdetail("The %s name row %lld of wagecheck.%s, which a transaction committed after this one's snapshot.",
							   _(what), (long long) missing[i], ix->table),
					 errhint("Retry the transaction.")));
	UnregisterSnapshot(latest);
	wc_key_probe_close(&p);
}

/*
 * wc_children_raced: in REPEATABLE READ and SERIALIZABLE, a serialization failure when a row
 * of wagecheck.<table> whose <index> key is one of ids[0..n) is seen by a new snapshot: the
 * caller, writing their parents, found none with the transaction's snapshot (a load wrote them
 * before their parents and committed since). Nothing in READ COMMITTED, whose statements read
 * with new snapshots. what: the parents, for the message (gettext_noop).
 */
void
wc_children_raced(const wc_key_index *ix, const int64 *ids, int n, const char *what)
{
	wc_key_probe p;
	Snapshot	latest;

	if (!IsolationUsesXactSnapshot() || n == 0 || !wc_key_probe_open(&p, ix->table, ix->index, ix->column))
		return;
	latest = RegisterSnapshot(GetLatestSnapshot());
	for (int i = 0; i < n; i++)
		if (wc_key_probe_find(&p, latest, ids[i]))
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to a concurrent load of wagecheck.%s", ix->table),
					 errdetail("A row of wagecheck.%s names %s %lld and was committed after this transaction's snapshot.",
							   ix->table, _(what), (long long) ids[i]),
					 errhint("Retry the transaction.")));
	UnregisterSnapshot(latest);
	wc_key_probe_close(&p);
}

/*
 * wc_parents_share: the rows of the keys ids[0..n) that are there locked FOR KEY SHARE, as a
 * foreign key's check locks the row it names: a transaction that locks one FOR UPDATE (a
 * change of a worker's card) waits for this one to end, and then reads its rows.
 */
void
wc_parents_share(const wc_key_index *ix, const int64 *ids, int n)
{
	wc_key_probe p;

	if (n <= 0 || !wc_key_probe_open(&p, ix->table, ix->index, ix->column))
		return;
	PushActiveSnapshot(GetLatestSnapshot());
	for (int i = 0; i < n; i++)
	{
		TM_FailureData tmfd;
		TM_Result	res;

		if (!wc_key_probe_find(&p, GetActiveSnapshot(), ids[i]))
			continue;
		res = table_tuple_lock(p.rel, &p.slot->tts_tid, GetActiveSnapshot(), p.slot, GetCurrentCommandId(false),
							   LockTupleKeyShare, LockWaitBlock,
							   TUPLE_LOCK_FLAG_LOCK_UPDATE_IN_PROGRESS | TUPLE_LOCK_FLAG_FIND_LAST_VERSION, &tmfd);
		/* (a row deleted meanwhile has no rows of the caller's to see) */
		if (res != TM_Ok && res != TM_Deleted)
			elog(ERROR, "wagecheck: locking a row of wagecheck.%s by its key failed (%d)", ix->table, (int) res);
	}
	PopActiveSnapshot();
	wc_key_probe_close(&p);
}
