/*
 * direct.c — reads of wagecheck's tables through one of their btree indexes, and row locks,
 * without a statement (direct.h). A trigger of a one-row statement asks a few questions by
 * key; an SPI statement costs 20-100 µs of plan check, executor start-up and shutdown for
 * each, an index probe a few. Only a plain table of schema wagecheck without forced row
 * security or child tables (whose rows the statements read too), and a btree index of it
 * (valid, not partial, keys of types whose btree equality its operator family names) are read
 * this way: wc_direct_open says false for any other, and the caller asks its SQL. The reads
 * see what a statement of SPI started at the same moment would see (wc_direct_snapshot: the
 * command counter advanced, a new snapshot in READ COMMITTED); the locks are taken as
 * SELECT ... FOR UPDATE/SHARE takes them in READ COMMITTED (waiting for a writer in progress,
 * then the row's latest version).
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
#include "catalog/pg_type.h"
#include "pgstat.h"
#include "executor/tuptable.h"
#include "storage/bufmgr.h"
#include "storage/proc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "catalog_watch.h"
#include "compat.h"
#include "enforce/direct.h"
#include "trigcheck.h"

/*
 * The tables and indexes opened before, by name: their OIDs and the equality functions of the
 * index's keys (looked up in the catalogs once per backend; forgotten when the cache entry of
 * the table or the index is invalidated).
 */
#define DIRECT_KNOWN 16

typedef struct direct_known
{
	char		table[NAMEDATALEN];
	char		index[NAMEDATALEN]; /* "" for the primary key */
	Oid			relid;
	Oid			indexid;
	int			nkeys;
	RegProcedure eq[WC_DIRECT_MAX_KEYS];
} direct_known;

static direct_known known[DIRECT_KNOWN];
static int	nknown = 0;
static bool known_subscribed = false;

/* known_forget: what was found of relid (of every relation for InvalidOid) forgotten (src/catalog_watch.c). */
static void
known_forget(Oid relid)
{
	int			k = 0;

	for (int i = 0; i < nknown; i++)
		if (OidIsValid(relid) && known[i].relid != relid && known[i].indexid != relid)
			known[k++] = known[i];
	nknown = k;
}

/*
 * open_checked: the table relid and its index indexid opened in mode, when they are still the
 * wagecheck.<table> and a btree index of it of the kind this file reads; false (nothing left
 * open) otherwise.
 */
static bool
open_checked(wc_direct *d, const char *table, Oid relid, Oid indexid, LOCKMODE mode)
{
	d->rel = try_table_open(relid, mode);
	if (d->rel == NULL)
		return false;
	if (d->rel->rd_rel->relkind != RELKIND_RELATION || d->rel->rd_rel->relforcerowsecurity ||
		d->rel->rd_rel->relispartition || d->rel->rd_rel->relhassubclass ||
		strcmp(RelationGetRelationName(d->rel), table) != 0 ||
		RelationGetNamespace(d->rel) != wc_schema_oid() || !OidIsValid(indexid))
		goto no_index;
	d->index = try_relation_open(indexid, mode);
	if (d->index == NULL)
		goto no_index;
	if (d->index->rd_rel->relkind != RELKIND_INDEX || d->index->rd_index->indrelid != relid ||
		d->index->rd_rel->relam != BTREE_AM_OID ||
		!d->index->rd_index->indisvalid || !d->index->rd_index->indisready ||
		!heap_attisnull(d->index->rd_indextuple, Anum_pg_index_indpred, NULL) ||
		d->index->rd_index->indnkeyatts > WC_DIRECT_MAX_KEYS)
	{
		relation_close(d->index, mode);
		goto no_index;
	}
	return true;
no_index:
	table_close(d->rel, mode);
	d->rel = d->index = NULL;
	return false;
}

/*
 * wc_direct_open: opens wagecheck.<table> (in mode) and its index named index (its primary
 * key when index is NULL) for direct reads; false, nothing left open, when either is missing
 * or not of the kind this file reads.
 */
bool
wc_direct_open(wc_direct *d, const char *table, const char *index, LOCKMODE mode)
{
	Oid			nsp,
				relid;
	direct_known *kn = NULL;

	memset(d, 0, sizeof(*d));
	if (!known_subscribed)
	{
		wc_relcache_subscribe(known_forget);
		known_subscribed = true;
	}
	for (int i = 0; i < nknown; i++)
		if (strcmp(known[i].table, table) == 0 && strcmp(known[i].index, index ? index : "") == 0)
		{
			kn = &known[i];
			break;
		}
	if (kn != NULL)
	{
		direct_known k = *kn;	/* (opening may forget it) */

		if (!open_checked(d, table, k.relid, k.indexid, mode))
			return false;
		d->nkeys = k.nkeys;
		memcpy(d->eq, k.eq, sizeof(d->eq));
	}
	else
	{
		Oid			indexid = InvalidOid;

		nsp = wc_schema_oid();
		relid = OidIsValid(nsp) ? get_relname_relid(table, nsp) : InvalidOid;
		if (!OidIsValid(relid))
			return false;
		if (index != NULL)
			indexid = get_relname_relid(index, nsp);
		else
		{
			Relation	r = try_table_open(relid, AccessShareLock);

			if (r == NULL)
				return false;
			indexid = RelationGetPrimaryKeyIndex(r);
			table_close(r, AccessShareLock);
		}
		if (!open_checked(d, table, relid, indexid, mode))
			return false;
		d->nkeys = d->index->rd_index->indnkeyatts;
		for (int i = 0; i < d->nkeys; i++)
		{
			Oid			type = d->index->rd_opcintype[i];
			Oid			op = get_opfamily_member(d->index->rd_opfamily[i], type, type, BTEqualStrategyNumber);

			if (!OidIsValid(op) || !OidIsValid(d->eq[i] = get_opcode(op)))
			{
				relation_close(d->index, mode);
				table_close(d->rel, mode);
				memset(d, 0, sizeof(*d));
				return false;
			}
		}
		if (nknown < DIRECT_KNOWN)
		{
			kn = &known[nknown++];
			strlcpy(kn->table, table, sizeof(kn->table));
			strlcpy(kn->index, index ? index : "", sizeof(kn->index));
			kn->relid = relid;
			kn->indexid = indexid;
			kn->nkeys = d->nkeys;
			memcpy(kn->eq, d->eq, sizeof(kn->eq));
		}
	}
	if (d->index->rd_rel->relkind != RELKIND_INDEX || d->nkeys != d->index->rd_index->indnkeyatts)
	{
		relation_close(d->index, mode);
		table_close(d->rel, mode);
		memset(d, 0, sizeof(*d));
		return false;
	}
	for (int i = 0; i < d->nkeys; i++)
		d->coll[i] = d->index->rd_indcollation[i];
	d->slot = table_slot_create(d->rel, NULL);
	return true;
}

/* wc_direct_column: the attribute number of the table's column name of type type, 0 when it has none. */
int
wc_direct_column(wc_direct *d, const char *name, Oid type)
{
	return wc_rel_column(d->rel, name, type);
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
 * The rows this transaction wrote last, by their int8 key: where the version it wrote is. A
 * series of one-row statements in one transaction (a loader's) writes an account's balance at
 * each movement, and each version stays until the transaction ends: an index probe for the
 * account walks them all before it finds the one it can see. The version written last is
 * fetched instead, and used when the statement's snapshot sees it (only one version of a row
 * is visible to a snapshot, and a version written later by anyone makes it invisible); else
 * the index is probed. Forgotten at a subtransaction's abort (which may take the version and
 * the lock that kept the table from being truncated) and at the transaction's end.
 */
#define RECENT_SLOTS 256		/* a power of two */

typedef struct direct_recent
{
	LocalTransactionId lxid;
	Oid			relid;
	Oid			relnode;		/* (a table rewritten has another) */
	int64		key;
	ItemPointerData tid;
} direct_recent;

static direct_recent recent[RECENT_SLOTS];
static bool recent_callback = false;

static void
recent_forget(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		memset(recent, 0, sizeof(recent));
}

static direct_recent *
recent_slot(Oid relid, int64 key)
{
	uint32		h = (uint32) (((uint64) key * UINT64CONST(0x9E3779B97F4A7C15)) >> 32) ^ relid;

	return &recent[h & (RECENT_SLOTS - 1)];
}

/* wc_direct_wrote: this transaction wrote the row of rel whose int8 key is key, its version at tid. */
void
wc_direct_wrote(Relation rel, int64 key, ItemPointer tid)
{
	direct_recent *r = recent_slot(RelationGetRelid(rel), key);

	if (!recent_callback)
	{
		RegisterSubXactCallback(recent_forget, NULL);
		recent_callback = true;
	}
	r->lxid = MyProc->lxid;
	r->relid = RelationGetRelid(rel);
	r->relnode = WC_REL_FILENUMBER(rel);
	r->key = key;
	r->tid = *tid;
}

/*
 * wc_direct_first_id: wc_direct_first of a table opened on an index of one int8 column: the
 * version this transaction wrote last of the row (wc_direct_wrote) when the snapshot sees it,
 * else the index's answer.
 */
bool
wc_direct_first_id(wc_direct *d, Snapshot snapshot, int64 key)
{
	direct_recent *r = recent_slot(RelationGetRelid(d->rel), key);
	Datum		k = Int64GetDatum(key);

	if (recent_callback && r->lxid == MyProc->lxid && r->key == key && r->relid == RelationGetRelid(d->rel) &&
		r->relnode == WC_REL_FILENUMBER(d->rel) && d->nkeys == 1 && d->index->rd_index->indkey.values[0] != 0 &&
		d->index->rd_opcintype[0] == INT8OID)
	{
		ItemPointerData tid = r->tid;
		bool		isnull;

		if (table_tuple_fetch_row_version(d->rel, &tid, snapshot, d->slot) &&
			DatumGetInt64(slot_getattr(d->slot, d->index->rd_index->indkey.values[0], &isnull)) == key && !isnull)
			return true;
	}
	return wc_direct_first(d, snapshot, &k, 1);
}

/*
 * Reading a table whole (wc_direct_scan_begin) or probing its index for each key asked about (a
 * descent of the index and a fetch of the row each): a statement asking about DIRECT_SCAN_MIN
 * keys or more, and about at least one for every DIRECT_SCAN_SHARE rows of the larger table,
 * reads the tables; a page read by the scan is counted as DIRECT_PAGE_ROWS rows (the rows that
 * rolled-back inserts left on it are each passed over by their hint bit, far cheaper than a live
 * row read and looked up: a day's bank file of 7,700 cards took 103 ms reading a roster of 1,491
 * pages, 138 of them live, and 122 ms probing it and worker for each card).
 */
#define DIRECT_SCAN_MIN 256
#define DIRECT_SCAN_SHARE 8
#define DIRECT_PAGE_ROWS 4

/*
 * scan_rows: what reading the table whole costs, in rows: its live rows - counted by the
 * statistics collector (inserted and committed, less those deleted: not the rows of
 * transactions rolled back, which fill pages until a vacuum takes them out), else the
 * planner's estimate scaled to its size now - and its pages. (The planner's estimate alone,
 * rows per page at the last vacuum times the pages now, counts a page of dead rows as full:
 * a roster written and rolled back a hundred times looked ten times its size, and a day's
 * bank file probed both tables for every card instead of reading them.)
 */
static double
scan_rows(wc_direct *d)
{
	BlockNumber nblocks = RelationGetNumberOfBlocks(d->rel);
	PgStat_StatTabEntry *st = pgstat_fetch_stat_tabentry(RelationGetRelid(d->rel));
	double		live;

	if (st != NULL && WC_TABSTAT_LIVE(st) >= 0)
		live = Max((double) WC_TABSTAT_LIVE(st), d->rel->rd_rel->reltuples);
	else if (d->rel->rd_rel->reltuples >= 0 && d->rel->rd_rel->relpages > 0)
		live = Max(d->rel->rd_rel->reltuples / d->rel->rd_rel->relpages, 1.0) * nblocks;
	else
		live = (double) nblocks * (BLCKSZ / 64);
	return live + (double) nblocks * DIRECT_PAGE_ROWS;
}

/*
 * wc_direct_scan_pays: whether asking about nkeys keys (distinct) costs less by reading the
 * tables a and b whole (wc_direct_scan_begin: a day's bank file asks about most workers) than
 * by probing their indexes for each; b may be NULL. The one measure of the statements that
 * read worker and roster for many cards (the payees of movements, the matches of wages).
 */
bool
wc_direct_scan_pays(wc_direct *a, wc_direct *b, long nkeys)
{
	if (nkeys < DIRECT_SCAN_MIN)
		return false;
	return (double) nkeys * DIRECT_SCAN_SHARE >= Max(scan_rows(a), b ? scan_rows(b) : 0.0);
}

/*
 * wc_direct_scan_begin: starts a scan of every row of the table as snapshot sees them (the
 * rows an index scan under the same snapshot would find, in the order of the heap);
 * wc_direct_scan_next reads them one by one into d->slot (its tts_tid set).
 */
void
wc_direct_scan_begin(wc_direct *d, Snapshot snapshot)
{
	d->tscan = table_beginscan(d->rel, snapshot, 0, NULL);
}

/* wc_direct_scan_next: the next row of the table's scan in d->slot; false when there is none. */
bool
wc_direct_scan_next(wc_direct *d)
{
	return table_scan_getnextslot(d->tscan, ForwardScanDirection, d->slot);
}

/* wc_direct_scan_end: ends the table's scan. */
void
wc_direct_scan_end(wc_direct *d)
{
	if (d->tscan)
		table_endscan(d->tscan);
	d->tscan = NULL;
}

/*
 * wc_direct_hash: a hash table in the current memory context of entries of entrysize bytes
 * starting with a key of keysize bytes (a C string when strings), for about n of them: what a
 * statement reading a table once (wc_direct_scan_begin) keeps of the rows it asks about.
 */
HTAB *
wc_direct_hash(const char *name, Size keysize, Size entrysize, long n, bool strings)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = keysize;
	ctl.entrysize = entrysize;
	ctl.hcxt = CurrentMemoryContext;
	return hash_create(name, Max(n, 16), &ctl, HASH_ELEM | HASH_CONTEXT | (strings ? HASH_STRINGS : HASH_BLOBS));
}

/*
 * wc_idmap: what a statement reading a table once keeps of the rows it asks about, by a key of
 * one or two int64 (a card; a project and a worker), each with an int (the first of a list,
 * a flag): open addressing with linear probing, at most half full, in the current memory
 * context. A day's bank file looks up every row of worker and roster in such tables, for its
 * payees and again for its wages' matches: in dynahash (wc_direct_hash) those lookups took 4%
 * of the COPY, more than reading the rows; in these 2%.
 */
struct wc_idmap
{
	uint32		mask;			/* slots - 1 */
	uint32		n;
	wc_idmap_entry *slots;
};

static uint32
idmap_hash(int64 k0, int64 k1)
{
	uint64		h = (uint64) k0 * UINT64CONST(0x9E3779B97F4A7C15) + (uint64) k1;

	h ^= h >> 29;
	h *= UINT64CONST(0xBF58476D1CE4E5B9);
	h ^= h >> 32;
	return (uint32) h;
}

static wc_idmap_entry *
idmap_slot(const wc_idmap *m, int64 k0, int64 k1)
{
	uint32		i = idmap_hash(k0, k1) & m->mask;

	while (m->slots[i].used && (m->slots[i].k0 != k0 || m->slots[i].k1 != k1))
		i = (i + 1) & m->mask;
	return &m->slots[i];
}

/* wc_idmap_create: an empty map with room for about n keys (it grows past them). */
wc_idmap *
wc_idmap_create(long n)
{
	wc_idmap   *m = palloc(sizeof(wc_idmap));
	uint32		slots = 16;

	while (slots < (uint64) Max(n, 1) * 2 && slots < (1U << 30))
		slots *= 2;
	m->mask = slots - 1;
	m->n = 0;
	m->slots = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(wc_idmap_entry) * slots);
	memset(m->slots, 0, sizeof(wc_idmap_entry) * slots);
	return m;
}

/* wc_idmap_enter: the value of key (k0, k1), entered with value 0 when new (*found says which). */
int *
wc_idmap_enter(wc_idmap *m, int64 k0, int64 k1, bool *found)
{
	wc_idmap_entry *e;

	if ((m->n + 1) * 2 > m->mask + 1)
	{
		/* twice the slots, every entry moved */
		wc_idmap_entry *old = m->slots;
		uint32		nold = m->mask + 1;

		m->mask = nold * 2 - 1;
		m->slots = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(wc_idmap_entry) * nold * 2);
		memset(m->slots, 0, sizeof(wc_idmap_entry) * nold * 2);
		for (uint32 i = 0; i < nold; i++)
			if (old[i].used)
				*idmap_slot(m, old[i].k0, old[i].k1) = old[i];
		pfree(old);
	}
	e = idmap_slot(m, k0, k1);
	*found = e->used;
	if (!e->used)
	{
		e->used = true;
		e->k0 = k0;
		e->k1 = k1;
		e->value = 0;
		m->n++;
	}
	return &e->value;
}

/* wc_idmap_find: the value of key (k0, k1), NULL when it is not there. */
int *
wc_idmap_find(const wc_idmap *m, int64 k0, int64 k1)
{
	wc_idmap_entry *e = idmap_slot(m, k0, k1);

	return e->used ? &e->value : NULL;
}

/* wc_idmap_count: the keys entered. */
long
wc_idmap_count(const wc_idmap *m)
{
	return m->n;
}

/* wc_idmap_free: the map's memory freed. */
void
wc_idmap_free(wc_idmap *m)
{
	pfree(m->slots);
	pfree(m);
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
	wc_direct_scan_end(d);
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
