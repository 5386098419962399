/*
 * direct.c — reads of wagecheck's tables through one of their btree indexes, and row locks,
 * without a statement (direct.h). A trigger of a one-row statement asks a few questions by
 * key; an SPI statement costs 20-100 µs of plan check, executor start-up and shutdown for
 * each, an index probe a few. Only a plain table of schema wagecheck without forced row
 * security, and a btree index of it (valid, not partial, keys of types whose btree equality
 * its operator family names) are read this way: wc_direct_open says false for any other, and
 * the caller asks its SQL. The reads see what a statement of SPI started at the same moment
 * would see (wc_direct_snapshot: the command counter advanced, a new snapshot in READ
 * COMMITTED); the locks are taken as SELECT ... FOR UPDATE/SHARE takes them in READ COMMITTED
 * (waiting for a writer in progress, then the row's latest version).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "executor/tuptable.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "enforce/direct.h"

/*
 * wc_direct_open: opens wagecheck.<table> (in mode) and its index named index (its primary
 * key when index is NULL) for direct reads; false, nothing left open, when either is missing
 * or not of the kind this file reads.
 */
bool
wc_direct_open(wc_direct *d, const char *table, const char *index, LOCKMODE mode)
{
	Oid			nsp = get_namespace_oid("wagecheck", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid(table, nsp) : InvalidOid;
	Oid			indexid;

	memset(d, 0, sizeof(*d));
	if (!OidIsValid(relid))
		return false;
	d->rel = table_open(relid, mode);
	if (d->rel->rd_rel->relkind != RELKIND_RELATION || d->rel->rd_rel->relforcerowsecurity ||
		d->rel->rd_rel->relispartition)
		goto no_index;
	indexid = index == NULL ? RelationGetPrimaryKeyIndex(d->rel) : get_relname_relid(index, nsp);
	if (!OidIsValid(indexid))
		goto no_index;
	d->index = index_open(indexid, mode);
	if (d->index->rd_index->indrelid != relid || d->index->rd_rel->relam != BTREE_AM_OID ||
		!d->index->rd_index->indisvalid || !d->index->rd_index->indisready ||
		!heap_attisnull(d->index->rd_indextuple, Anum_pg_index_indpred, NULL) ||
		d->index->rd_index->indnkeyatts > WC_DIRECT_MAX_KEYS)
		goto no;
	d->nkeys = d->index->rd_index->indnkeyatts;
	for (int i = 0; i < d->nkeys; i++)
	{
		Oid			type = d->index->rd_opcintype[i];
		Oid			op = get_opfamily_member(d->index->rd_opfamily[i], type, type, BTEqualStrategyNumber);

		if (!OidIsValid(op) || !OidIsValid(d->eq[i] = get_opcode(op)))
			goto no;
		d->coll[i] = d->index->rd_indcollation[i];
	}
	d->slot = table_slot_create(d->rel, NULL);
	return true;
no:
	index_close(d->index, mode);
no_index:
	table_close(d->rel, mode);
	memset(d, 0, sizeof(*d));
	return false;
}

/* wc_direct_column: the attribute number of the table's column name of type type, 0 when it has none. */
int
wc_direct_column(wc_direct *d, const char *name, Oid type)
{
	TupleDesc	desc = RelationGetDescr(d->rel);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && att->atttypid == type && strcmp(NameStr(att->attname), name) == 0)
			return i + 1;
	}
	return 0;
}

/*
 * wc_direct_begin: starts a scan of the rows whose first nkeys index columns equal key[],
 * as snapshot sees them; wc_direct_next reads them one by one into d->slot.
 */
void
wc_direct_begin(wc_direct *d, Snapshot snapshot, const Datum *key, int nkeys)
{
	ScanKeyData sk[WC_DIRECT_MAX_KEYS];

	Assert(nkeys >= 1 && nkeys <= d->nkeys);
	for (int i = 0; i < nkeys; i++)
		ScanKeyEntryInitialize(&sk[i], 0, i + 1, BTEqualStrategyNumber, InvalidOid, d->coll[i], d->eq[i], key[i]);
	d->scan = index_beginscan(d->rel, d->index, snapshot, nkeys, 0);
	index_rescan(d->scan, sk, nkeys, NULL, 0);
}

/* wc_direct_next: the next row of the scan in d->slot; false when there is none. */
bool
wc_direct_next(wc_direct *d)
{
	return index_getnext_slot(d->scan, ForwardScanDirection, d->slot);
}

/* wc_direct_end: ends the scan (d->slot keeps the last row read). */
void
wc_direct_end(wc_direct *d)
{
	if (d->scan)
		index_endscan(d->scan);
	d->scan = NULL;
}

/* wc_direct_first: the first row whose first nkeys index columns equal key[], in d->slot; false when none. */
bool
wc_direct_first(wc_direct *d, Snapshot snapshot, const Datum *key, int nkeys)
{
	bool		found;

	wc_direct_begin(d, snapshot, key, nkeys);
	found = wc_direct_next(d);
	wc_direct_end(d);
	return found;
}

/*
 * wc_direct_lock: locks the row at tid (one read into d->slot) in mode as SELECT ... FOR <mode> does in READ
 * COMMITTED: a writer in progress is waited for, and a row updated meanwhile is locked in its
 * latest version, which is left in d->slot (tmfd->traversed says so). TM_Ok; otherwise (the row
 * gone, or changed by this transaction since the snapshot) the caller asks its SQL.
 */
TM_Result
wc_direct_lock(wc_direct *d, ItemPointer tid, LockTupleMode mode, TM_FailureData *tmfd)
{
	ItemPointerData t = *tid;
	TM_Result	res;

	res = table_tuple_lock(d->rel, &t, GetActiveSnapshot(), d->slot, GetCurrentCommandId(true),
						   mode, LockWaitBlock, TUPLE_LOCK_FLAG_FIND_LAST_VERSION, tmfd);
	if (res == TM_Invisible || res == TM_BeingModified || res == TM_WouldBlock)
		elog(ERROR, "wagecheck: locking a row of %s failed (%d)", RelationGetRelationName(d->rel), (int) res);
	return res;
}

/* wc_direct_close: releases what wc_direct_open took; the lock on the table stays to the transaction's end. */
void
wc_direct_close(wc_direct *d)
{
	if (d->rel == NULL)
		return;
	wc_direct_end(d);
	ExecDropSingleTupleTableSlot(d->slot);
	index_close(d->index, NoLock);
	table_close(d->rel, NoLock);
	memset(d, 0, sizeof(*d));
}

/*
 * wc_direct_snapshot: the snapshot a statement of SPI started now would read with (after what
 * this transaction wrote so far; a new one in READ COMMITTED), made active until
 * wc_direct_snapshot_done.
 */
Snapshot
wc_direct_snapshot(void)
{
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	return GetActiveSnapshot();
}

/* wc_direct_snapshot_done: the snapshot of wc_direct_snapshot no longer active. */
void
wc_direct_snapshot_done(void)
{
	PopActiveSnapshot();
}
