/*
 * key_probe.c — rows of wagecheck's tables read by one bigint column through a btree index,
 * without a statement (the rows a statement would join, looked up one key at a time).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "alerts/key_probe.h"
#include "alerts/keyed.h"
#include "trigcheck.h"

/*
 * wc_key_probe_open: wagecheck.<table> and its index <index> (a btree, not partial, whose first
 * column is col, a bigint), opened to read; false (nothing left open) otherwise.
 */
bool
wc_key_probe_open(wc_key_probe *p, const char *table, const char *index, const char *col)
{
	Oid			relid,
				indexid;
	AttrNumber	a;

	memset(p, 0, sizeof(*p));
	/* (the OIDs by name kept across statements: keyed.c) */
	p->rel = wc_keyed_table_open(table, AccessShareLock);
	if (p->rel == NULL)
		return false;
	relid = RelationGetRelid(p->rel);
	indexid = wc_keyed_relid(index);
	if (!OidIsValid(indexid))
	{
		table_close(p->rel, AccessShareLock);
		memset(p, 0, sizeof(*p));
		return false;
	}
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

/* wc_key_probe_column: the index in p->slot of the table's column name of type type, -1 when none. */
int
wc_key_probe_column(wc_key_probe *p, const char *name, Oid type)
{
	return wc_rel_column(p->rel, name, type) - 1;
}

/* wc_key_probe_find: the first row whose indexed column is key, seen by snapshot, into p->slot (deformed). */
bool
wc_key_probe_find(wc_key_probe *p, Snapshot snapshot, int64 key)
{
	IndexScanDesc scan = index_beginscan(p->rel, p->index, snapshot, 1, 0);
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

/*
 * wc_key_probe_ends: the least and greatest key of the rows snapshot sees, read from the two
 * ends of the index; false when it sees none.
 */
bool
wc_key_probe_ends(wc_key_probe *p, Snapshot snapshot, int64 *lo, int64 *hi)
{
	AttrNumber	att = p->index->rd_index->indkey.values[0];

	for (int end = 0; end < 2; end++)
	{
		IndexScanDesc scan = index_beginscan(p->rel, p->index, snapshot, 0, 0);
		bool		found,
					isnull = true;
		Datum		key = 0;

		index_rescan(scan, NULL, 0, NULL, 0);
		found = index_getnext_slot(scan, end == 0 ? ForwardScanDirection : BackwardScanDirection, p->slot);
		if (found)
			key = slot_getattr(p->slot, att, &isnull);
		index_endscan(scan);
		/* (a NULL key sorts last: the greatest key is then unknown) */
		if (!found || isnull)
			return false;
		*(end == 0 ? lo : hi) = DatumGetInt64(key);
	}
	return true;
}

/* wc_key_probe_get: wc_key_probe_find with the active snapshot. */
bool
wc_key_probe_get(wc_key_probe *p, int64 key)
{
	return wc_key_probe_find(p, GetActiveSnapshot(), key);
}

/* wc_key_probe_close: what wc_key_probe_open opened, closed (nothing when it opened nothing). */
void
wc_key_probe_close(wc_key_probe *p)
{
	if (p->rel == NULL)
		return;
	ExecDropSingleTupleTableSlot(p->slot);
	index_close(p->index, AccessShareLock);
	table_close(p->rel, AccessShareLock);
	memset(p, 0, sizeof(*p));
}
