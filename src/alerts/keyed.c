/*
 * keyed.c — writes to a derived table (a summary of schema wagecheck) by its primary key
 * without a statement. A one-row write to an input table changes one summary row or two;
 * an UPDATE through SPI costs more to plan check, start and end than the change itself.
 * Here the row is found through the primary key, its latest version locked as UPDATE
 * would lock it (waiting for a writer in progress, following a concurrent update to the
 * newest version), and its new version written with the table's indexes kept, as the
 * logical replication apply does (ExecSimpleRelationUpdate). Only a plain table with that
 * primary key and without triggers, rules or forced row security is written this way:
 * wc_keyed_open says false for any other, and the caller writes it by SQL.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "alerts/keyed.h"
#include "catalog_watch.h"
#include "trigcheck.h"

/* keyed_eq: the equality function of a key column's type, InvalidOid for a type not used as a key. */
static RegProcedure
keyed_eq(Oid type)
{
	switch (type)
	{
		case INT8OID:
			return F_INT8EQ;
		case INT4OID:
			return F_INT4EQ;
		case DATEOID:
			return F_DATE_EQ;
		case TIMESTAMPTZOID:
			return F_TIMESTAMPTZ_EQ;
		case TEXTOID:
			return F_TEXTEQ;
	}
	return InvalidOid;
}

/* ---------------------------------------------------------------------------------------
 * What a statement would look up again (the table's OID by its name; that its primary key is
 * the btree on the columns asked, their attribute numbers), kept across statements until the
 * catalog says the relation changed: a relcache invalidation of the table or of any relation
 * (a table, an index, renamed, dropped, altered) or a change of a schema forgets it. Only
 * OIDs and attribute numbers are kept: each statement opens and locks the relations again,
 * and checks again what a relcache entry says without a look-up (triggers, rules, row
 * security), unless it takes the executor state an earlier statement of its transaction kept
 * (below), made after that check while no relcache invalidation came since.
 */

#define KEYED_NAMES 48
#define KEYED_SHAPES 24

typedef struct keyed_name
{
	Oid			relid;			/* InvalidOid: a free slot */
	char		name[NAMEDATALEN];
} keyed_name;

typedef struct keyed_shape
{
	Oid			relid;			/* InvalidOid: a free slot */
	Oid			pk;
	int			nkeys;
	char		cols[WC_KEYED_MAX_KEYS][NAMEDATALEN];
	Oid			types[WC_KEYED_MAX_KEYS];
	AttrNumber	keyatt[WC_KEYED_MAX_KEYS];
} keyed_shape;

static keyed_name keyed_names[KEYED_NAMES];
static keyed_shape keyed_shapes[KEYED_SHAPES];
static uint64 keyed_generation;		/* counts the invalidations received (relcache, schemas) */
static bool keyed_subscribed;

/* keyed_invalidate: a relation's cached lookups forgotten (all of them for InvalidOid; src/catalog_watch.c) */
static void
keyed_invalidate(Oid relid)
{
	keyed_generation++;
	for (int i = 0; i < KEYED_NAMES; i++)
		if (!OidIsValid(relid) || keyed_names[i].relid == relid)
			keyed_names[i].relid = InvalidOid;
	for (int i = 0; i < KEYED_SHAPES; i++)
		if (!OidIsValid(relid) || keyed_shapes[i].relid == relid || keyed_shapes[i].pk == relid)
			keyed_shapes[i].relid = InvalidOid;
}

/* keyed_forget_all: a schema changed (renamed, dropped): every name looked up again */
static void
keyed_forget_all(void)
{
	keyed_invalidate(InvalidOid);
}

/*
 * wc_keyed_relid: the OID of the relation wagecheck.<name> (a table or an index), InvalidOid
 * when there is none; looked up once and kept until the catalog changes it (not locked: the
 * caller opens it).
 */
Oid
wc_keyed_relid(const char *name)
{
	Oid			nsp,
				relid;
	int			free = -1;

	if (!keyed_subscribed)
	{
		wc_relcache_subscribe(keyed_invalidate);
		wc_syscache_subscribe(NAMESPACEOID, keyed_forget_all);
		keyed_subscribed = true;
	}
	for (int i = 0; i < KEYED_NAMES; i++)
	{
		if (!OidIsValid(keyed_names[i].relid))
		{
			if (free < 0)
				free = i;
		}
		else if (strcmp(keyed_names[i].name, name) == 0)
			return keyed_names[i].relid;
	}
	nsp = wc_schema_oid();
	relid = OidIsValid(nsp) ? get_relname_relid(name, nsp) : InvalidOid;
	if (OidIsValid(relid) && free >= 0 && strlen(name) < NAMEDATALEN)
	{
		strlcpy(keyed_names[free].name, name, NAMEDATALEN);
		keyed_names[free].relid = relid;
	}
	return relid;
}

/*
 * wc_keyed_table_open: wagecheck.<name> opened and locked as table_open does, found by its
 * cached OID (found again by name when the catalog changed while the lock was waited for);
 * NULL when there is no such table.
 */
Relation
wc_keyed_table_open(const char *name, LOCKMODE lockmode)
{
	for (int tries = 0;; tries++)
	{
		uint64		generation = keyed_generation;
		Oid			relid = wc_keyed_relid(name);
		Relation	rel;

		if (!OidIsValid(relid))
			return NULL;
		rel = try_table_open(relid, lockmode);
		/* (an invalidation received while locking: the name may name another table by now) */
		if (generation == keyed_generation || tries > 0)
		{
			if (rel != NULL && tries > 0)
			{
				Oid			nsp = wc_schema_oid();

				if (!OidIsValid(nsp) || get_relname_relid(name, nsp) != relid)
				{
					table_close(rel, lockmode);
					return NULL;
				}
			}
			return rel;
		}
		if (rel != NULL)
			table_close(rel, lockmode);
	}
}

/* keyed_shape_find: the primary key and key attributes checked for rel and these columns before, or NULL */
static keyed_shape *
keyed_shape_find(Oid relid, int nkeys, const char *const *cols, const Oid *types)
{
	for (int i = 0; i < KEYED_SHAPES; i++)
	{
		keyed_shape *sh = &keyed_shapes[i];
		bool		same;

		if (sh->relid != relid || sh->nkeys != nkeys)
			continue;
		same = true;
		for (int k = 0; k < nkeys && same; k++)
			same = sh->types[k] == types[k] && strcmp(sh->cols[k], cols[k]) == 0;
		if (same)
			return sh;
	}
	return NULL;
}

/* keyed_shape_keep: what keyed_open checked of a table kept, in a free slot (or the first) */
static void
keyed_shape_keep(Oid relid, Oid pk, int nkeys, const char *const *cols, const Oid *types, const AttrNumber *keyatt)
{
	keyed_shape *sh = &keyed_shapes[0];

	for (int i = 0; i < KEYED_SHAPES; i++)
		if (!OidIsValid(keyed_shapes[i].relid))
		{
			sh = &keyed_shapes[i];
			break;
		}
	sh->relid = relid;
	sh->pk = pk;
	sh->nkeys = nkeys;
	for (int k = 0; k < nkeys; k++)
	{
		strlcpy(sh->cols[k], cols[k], NAMEDATALEN);
		sh->types[k] = types[k];
		sh->keyatt[k] = keyatt[k];
	}
}

/* ---------------------------------------------------------------------------------------
 * Executor state kept for the transaction. A table written by key in one statement is mostly
 * written again by the next (a clerk's or a device's one-row statements): the executor state
 * of a table opened for writes (its result relation with its indexes open, each index's
 * information built) is kept when the statement closes the table, and taken again by the
 * next statement that opens the same table while no relcache invalidation came since
 * (wc_relcache_generation: a change of the table, of its indexes, triggers or rules, in this
 * transaction or committed by another). Between statements it holds no reference to a
 * relation (DDL in the same transaction - TRUNCATE, ALTER TABLE - finds none in use): a
 * statement that takes it locks the table again, gets each relation again from the relcache
 * (the same entries, or the state is dropped), and its own slots and command id. It lives in
 * the transaction's memory and is forgotten at its end, and all of it when a subtransaction
 * aborts (the locks it took may be gone): then its memory is freed at once (a loop that
 * rolls back a subtransaction a row would otherwise keep a state a row to its end), but
 * that of a state a statement of an enclosing subtransaction still uses, which is freed
 * when it closes it.
 */

#ifndef RELCACHE_FORCE_RELEASE	/* (a build whose relcache entries go with their last reference) */
#define KEYED_KEPT 8
#else
#define KEYED_KEPT 0
#endif

typedef struct keyed_kept
{
	Oid			relid;			/* InvalidOid: a free place */
	bool		in_use;			/* taken by a statement that has not closed it yet */
	SubTransactionId subid;		/* the subtransaction that took it last */
	uint64		generation;		/* wc_relcache_generation() when made */
	wc_keyed	k;				/* rel, pk, estate, rri, nkeys, keyatt (no slots) */
} keyed_kept;

static keyed_kept kept[Max(KEYED_KEPT, 1)];
static LocalTransactionId kept_lxid = InvalidLocalTransactionId;
static bool kept_callback = false;

/*
 * kept_forget: a subtransaction aborted: nothing kept is taken again. The states no statement
 * uses, and those the statements it rolled back took (never closed), are freed; one a
 * statement of an enclosing subtransaction took is freed when that closes it (kept_close).
 */
static void
kept_forget(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	for (int i = 0; i < KEYED_KEPT && kept_lxid == MyProc->lxid; i++)
		if (OidIsValid(kept[i].relid) && (!kept[i].in_use || kept[i].subid >= mySubid))
			MemoryContextDelete(kept[i].k.estate->es_query_cxt);
	memset(kept, 0, sizeof(kept));
}

/* kept_drop: the state kept in h freed (it holds no reference to a relation). */
static void
kept_drop(keyed_kept *h)
{
	FreeExecutorState(h->k.estate);
	memset(h, 0, sizeof(*h));
}

/* kept_relation: relid's relcache entry referenced again, when it is still rel; false (no reference kept) otherwise. */
static bool
kept_relation(Oid relid, Relation rel)
{
	Relation	r = RelationIdGetRelation(relid);

	if (r == rel)
		return true;
	if (r != NULL)
		RelationClose(r);
	return false;
}

/*
 * kept_take: the executor state kept of relid (primary key pk on keyatt), free and made since
 * the last relcache invalidation, taken into k: the table locked, its relations referenced,
 * its slots made; false when there is none (or it no longer holds: dropped).
 */
static bool
kept_take(Oid relid, Oid pk, int nkeys, const AttrNumber *keyatt, wc_keyed *k)
{
	keyed_kept *h = NULL;
	int			i;

	if (kept_lxid != MyProc->lxid)
		return false;
	for (i = 0; i < KEYED_KEPT && h == NULL; i++)
		if (kept[i].relid == relid && !kept[i].in_use && RelationGetRelid(kept[i].k.pk) == pk &&
			kept[i].k.nkeys == nkeys && memcmp(kept[i].k.keyatt, keyatt, sizeof(AttrNumber) * nkeys) == 0)
			h = &kept[i];
	if (h == NULL)
		return false;
	/* (as table_open: locked first; a lock taken anew may bring invalidations) */
	LockRelationOid(relid, RowExclusiveLock);
	if (h->generation != wc_relcache_generation() || !kept_relation(relid, h->k.rel))
	{
		kept_drop(h);
		return false;
	}
	if (!kept_relation(pk, h->k.pk))
	{
		RelationClose(h->k.rel);
		kept_drop(h);
		return false;
	}
	for (i = 0; i < h->k.rri->ri_NumIndices; i++)
		if (!kept_relation(RelationGetRelid(h->k.rri->ri_IndexRelationDescs[i]), h->k.rri->ri_IndexRelationDescs[i]))
			break;
	if (i < h->k.rri->ri_NumIndices)
	{
		while (--i >= 0)
			RelationClose(h->k.rri->ri_IndexRelationDescs[i]);
		RelationClose(h->k.pk);
		RelationClose(h->k.rel);
		kept_drop(h);
		return false;
	}
	h->in_use = true;
	h->subid = GetCurrentSubTransactionId();
	*k = h->k;
	k->kept = (int) (h - kept) + 1;
	k->estate->es_output_cid = GetCurrentCommandId(true);
	ResetPerTupleExprContext(k->estate);
	k->found = table_slot_create(k->rel, NULL);
	k->next = MakeSingleTupleTableSlot(RelationGetDescr(k->rel), &TTSOpsVirtual);
	return true;
}

/*
 * kept_make: the executor state of k (opened for writes by this statement: rel, pk, nkeys,
 * keyatt set) made in the transaction's memory and kept, in use until k is closed; false
 * when no place is free (the caller makes it for the statement only).
 */
static bool
kept_make(wc_keyed *k)
{
	keyed_kept *h = NULL;
	MemoryContext cxt;
	uint64		generation = wc_relcache_generation();	/* (before the indexes are looked at) */

	if (kept_lxid != MyProc->lxid)
	{
		memset(kept, 0, sizeof(kept));
		kept_lxid = MyProc->lxid;
	}
	for (int i = 0; i < KEYED_KEPT && h == NULL; i++)
		if (!OidIsValid(kept[i].relid))
			h = &kept[i];
	if (h == NULL)
		return false;
	if (!kept_callback)
	{
		RegisterSubXactCallback(kept_forget, NULL);
		kept_callback = true;
	}
	cxt = MemoryContextSwitchTo(TopTransactionContext);
	k->estate = CreateExecutorState();
	MemoryContextSwitchTo(k->estate->es_query_cxt);
	k->estate->es_output_cid = GetCurrentCommandId(true);
	k->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(k->rri, k->rel, 0, NULL, 0);
	/* (as for INSERT ... ON CONFLICT: wc_keyed_insert checks the primary key before it writes) */
	ExecOpenIndices(k->rri, true);
	MemoryContextSwitchTo(cxt);
	h->relid = RelationGetRelid(k->rel);
	h->in_use = true;
	h->subid = GetCurrentSubTransactionId();
	h->generation = generation;
	h->k = *k;
	k->kept = (int) (h - kept) + 1;
	return true;
}

/*
 * kept_close: k's relations' references released (its slots dropped already), its executor
 * state kept for the next statement, or freed when a subtransaction's abort forgot it.
 */
static void
kept_close(wc_keyed *k)
{
	keyed_kept *h = &kept[k->kept - 1];

	/* (the locks stay to the transaction's end, as wc_keyed_close leaves them) */
	for (int i = 0; i < k->rri->ri_NumIndices; i++)
		RelationClose(k->rri->ri_IndexRelationDescs[i]);
	RelationClose(k->pk);
	RelationClose(k->rel);
	if (kept_lxid == MyProc->lxid && h->in_use && h->k.estate == k->estate)
		h->in_use = false;
	else
		FreeExecutorState(k->estate);
	memset(k, 0, sizeof(*k));
}

/*
 * wc_keyed_reuse: k opened for keyed writes with the executor state kept for the transaction
 * (see above) of table relid with primary key pk on keyatt; false when there is none (the
 * caller opens it).
 */
bool
wc_keyed_reuse(Oid relid, Oid pk, int nkeys, const AttrNumber *keyatt, wc_keyed *k)
{
	memset(k, 0, sizeof(*k));
	return kept_take(relid, pk, nkeys, keyatt, k);
}

/*
 * keyed_open: wagecheck.<table> opened (for keyed writes when write) when it is a plain
 * table whose primary key is a btree on cols (of types), in that order, and, to be
 * written, has no triggers, rules or forced row security; false (nothing left open)
 * otherwise.
 */
static bool
keyed_open(wc_keyed *k, const char *table, int nkeys, const char *const *cols, const Oid *types, bool write)
{
	LOCKMODE	lockmode = write ? RowExclusiveLock : AccessShareLock;
	keyed_shape *sh;
	Oid			pk;
	TupleDesc	desc;

	memset(k, 0, sizeof(*k));
	if (nkeys < 1 || nkeys > WC_KEYED_MAX_KEYS)
		return false;
	/* (executor state kept for the transaction: the shape as checked when it was made) */
	if (write && kept_lxid == MyProc->lxid)
	{
		Oid			relid = wc_keyed_relid(table);

		if (OidIsValid(relid) && (sh = keyed_shape_find(relid, nkeys, cols, types)) != NULL &&
			kept_take(relid, sh->pk, nkeys, sh->keyatt, k))
			return true;
		memset(k, 0, sizeof(*k));
	}
	k->rel = wc_keyed_table_open(table, lockmode);
	if (k->rel == NULL)
		return false;
	desc = RelationGetDescr(k->rel);
	if (k->rel->rd_rel->relkind != RELKIND_RELATION || k->rel->rd_rel->relispartition ||
		(write && (k->rel->trigdesc != NULL || k->rel->rd_rules != NULL || k->rel->rd_rel->relforcerowsecurity)))
	{
		table_close(k->rel, lockmode);
		memset(k, 0, sizeof(*k));
		return false;
	}
	/* (the table is locked: its cached shape is what the catalog says now) */
	sh = keyed_shape_find(RelationGetRelid(k->rel), nkeys, cols, types);
	if (sh != NULL)
	{
		k->pk = index_open(sh->pk, lockmode);
		memcpy(k->keyatt, sh->keyatt, sizeof(AttrNumber) * nkeys);
	}
	else
	{
		if (!OidIsValid(pk = RelationGetPrimaryKeyIndex(k->rel)))
		{
			table_close(k->rel, lockmode);
			memset(k, 0, sizeof(*k));
			return false;
		}
		k->pk = index_open(pk, lockmode);
		if (k->pk->rd_rel->relam != BTREE_AM_OID || k->pk->rd_index->indnkeyatts != nkeys)
			goto no;
		for (int i = 0; i < nkeys; i++)
		{
			AttrNumber	a = k->pk->rd_index->indkey.values[i];
			Form_pg_attribute att;

			if (a <= 0 || a > desc->natts || !OidIsValid(keyed_eq(types[i])))
				goto no;
			att = TupleDescAttr(desc, a - 1);
			if (att->attisdropped || att->atttypid != types[i] || strcmp(NameStr(att->attname), cols[i]) != 0 ||
				k->pk->rd_opcintype[i] != types[i])
				goto no;
			k->keyatt[i] = a;
		}
		keyed_shape_keep(RelationGetRelid(k->rel), pk, nkeys, cols, types, k->keyatt);
	}
	k->nkeys = nkeys;
	wc_keyed_prepare(k, write);
	return true;
no:
	index_close(k->pk, lockmode);
	table_close(k->rel, lockmode);
	memset(k, 0, sizeof(*k));
	return false;
}

/*
 * wc_keyed_prepare: the executor state (for writes) and the slots of k, whose table, primary
 * key and key attributes are set and checked: the last step of opening it, by name here or
 * by OIDs found before.
 */
void
wc_keyed_prepare(wc_keyed *k, bool write)
{
	if (write && kept_make(k))
		;						/* (kept for the transaction) */
	else if (write)
	{
		k->estate = CreateExecutorState();
		k->estate->es_output_cid = GetCurrentCommandId(true);
		k->rri = makeNode(ResultRelInfo);
		InitResultRelInfo(k->rri, k->rel, 0, NULL, 0);
		/* (as for INSERT ... ON CONFLICT: wc_keyed_insert checks the primary key before it writes) */
		ExecOpenIndices(k->rri, true);
	}
	k->found = table_slot_create(k->rel, NULL);
	k->next = MakeSingleTupleTableSlot(RelationGetDescr(k->rel), &TTSOpsVirtual);
}

/*
 * wc_keyed_open: opens wagecheck.<table> for keyed writes when it is a plain table without
 * triggers, rules or forced row security whose primary key is a btree on cols (of types),
 * in that order; false (nothing left open) otherwise.
 */
bool
wc_keyed_open(wc_keyed *k, const char *table, int nkeys, const char *const *cols, const Oid *types)
{
	return keyed_open(k, table, nkeys, cols, types, true);
}

/*
 * wc_keyed_open_read: opens wagecheck.<table> (any plain table with that primary key,
 * triggers or not) for wc_keyed_read only.
 */
bool
wc_keyed_open_read(wc_keyed *k, const char *table, int nkeys, const char *const *cols, const Oid *types)
{
	return keyed_open(k, table, nkeys, cols, types, false);
}

/* keyed_keys: the scan keys of key (one Datum a key column), compared in the key's collations. */
static void
keyed_keys(wc_keyed *k, const Datum *key, ScanKey sk)
{
	TupleDesc	desc = RelationGetDescr(k->rel);

	for (int i = 0; i < k->nkeys; i++)
	{
		ScanKeyInit(&sk[i], i + 1, BTEqualStrategyNumber,
					keyed_eq(TupleDescAttr(desc, k->keyatt[i] - 1)->atttypid), key[i]);
		sk[i].sk_collation = k->pk->rd_indcollation[i];
	}
}

/* keyed_copy: the found row's values copied into k->next. */
static void
keyed_copy(wc_keyed *k)
{
	int			natts = RelationGetDescr(k->rel)->natts;

	slot_getallattrs(k->found);
	ExecClearTuple(k->next);
	memcpy(k->next->tts_values, k->found->tts_values, sizeof(Datum) * natts);
	memcpy(k->next->tts_isnull, k->found->tts_isnull, sizeof(bool) * natts);
	ExecStoreVirtualTuple(k->next);
}

/*
 * wc_keyed_column: the index in k->found and k->next of the table's column name of type
 * type, -1 when it has none.
 */
int
wc_keyed_column(wc_keyed *k, const char *name, Oid type)
{
	return wc_rel_column(k->rel, name, type) - 1;
}

/*
 * wc_keyed_read: reads the latest committed version of the row of key (or this
 * transaction's own) without locking it, as an UPDATE reads a row before its condition
 * says whether to lock it: false when the key has no row; otherwise as wc_keyed_lock,
 * but the row may not be passed to wc_keyed_update.
 */
bool
wc_keyed_read(wc_keyed *k, const Datum *key)
{
	ScanKeyData sk[WC_KEYED_MAX_KEYS];
	Snapshot	snapshot = RegisterSnapshot(GetLatestSnapshot());
	IndexScanDesc scan;
	bool		found;

	keyed_keys(k, key, sk);
	scan = index_beginscan(k->rel, k->pk, snapshot, k->nkeys, 0);
	index_rescan(scan, sk, k->nkeys, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, k->found);
	index_endscan(scan);
	UnregisterSnapshot(snapshot);
	if (found)
		keyed_copy(k);
	return found;
}

/*
 * wc_keyed_lock: finds the row of key (one Datum a key column) and locks its latest version
 * FOR NO KEY UPDATE, as an UPDATE by the key would: a version being written by another
 * transaction is waited for, one updated or deleted meanwhile sends the search back to
 * the index. False when the key has no row. Otherwise the row is in k->found and a copy of
 * its values in k->next, for the caller to change and pass to wc_keyed_update.
 */
bool
wc_keyed_lock(wc_keyed *k, const Datum *key)
{
	ScanKeyData sk[WC_KEYED_MAX_KEYS];

	keyed_keys(k, key, sk);
	for (;;)
	{
		SnapshotData dirty;
		IndexScanDesc scan;
		TransactionId xwait = InvalidTransactionId;
		bool		found;
		TM_FailureData tmfd;
		TM_Result	res;

		InitDirtySnapshot(dirty);
		scan = index_beginscan(k->rel, k->pk, &dirty, k->nkeys, 0);
		index_rescan(scan, sk, k->nkeys, NULL, 0);
		found = index_getnext_slot(scan, ForwardScanDirection, k->found);
		if (found)
			xwait = TransactionIdIsValid(dirty.xmin) ? dirty.xmin : dirty.xmax;
		index_endscan(scan);
		if (!found)
			return false;
		if (TransactionIdIsValid(xwait))
		{
			XactLockTableWait(xwait, NULL, NULL, XLTW_None);
			continue;
		}
		PushActiveSnapshot(GetLatestSnapshot());
		res = table_tuple_lock(k->rel, &k->found->tts_tid, GetLatestSnapshot(), k->found,
							   GetCurrentCommandId(false), LockTupleNoKeyExclusive, LockWaitBlock, 0, &tmfd);
		PopActiveSnapshot();
		if (res == TM_Updated || res == TM_Deleted)
			continue;
		if (res != TM_Ok)
			elog(ERROR, "wagecheck: locking a row of %s by its key failed (%d)",
				 RelationGetRelationName(k->rel), (int) res);
		break;
	}
	keyed_copy(k);
	return true;
}

/*
 * wc_keyed_update: writes k->next as the new version of the row wc_keyed_lock locked
 * (its not-null constraints checked, its indexes kept), and makes it visible to what
 * runs next in the transaction.
 */
void
wc_keyed_update(wc_keyed *k)
{
	ExecSimpleRelationUpdate(k->rri, k->estate, NULL, k->found, k->next);
	ResetPerTupleExprContext(k->estate);
	CommandCounterIncrement();
	k->estate->es_output_cid = GetCurrentCommandId(true);
}

/* wc_keyed_delete: deletes the row wc_keyed_lock locked, and makes that visible to what runs next. */
void
wc_keyed_delete(wc_keyed *k)
{
	ExecSimpleRelationDelete(k->rri, k->estate, NULL, k->found);
	ResetPerTupleExprContext(k->estate);
	CommandCounterIncrement();
	k->estate->es_output_cid = GetCurrentCommandId(true);
}

/*
 * wc_keyed_new: k->next emptied, for the caller to fill with a new row's values (every
 * column: none is NULL) before wc_keyed_insert.
 */
void
wc_keyed_new(wc_keyed *k)
{
	int			natts = RelationGetDescr(k->rel)->natts;

	ExecClearTuple(k->next);
	memset(k->next->tts_isnull, false, sizeof(bool) * natts);
	ExecStoreVirtualTuple(k->next);
}

/*
 * keyed_insert_speculative: k->next inserted speculatively (its constraints checked) and
 * withdrawn when the primary key's insertion finds its key taken; true when it stays.
 */
static bool
keyed_insert_speculative(wc_keyed *k, List *arbiters)
{
	TupleTableSlot *slot = k->next;
	uint32		token;
	bool		taken = false;
	List	   *recheck;

	if (k->rel->rd_att->constr)
		ExecConstraints(k->rri, slot, k->estate);
	token = SpeculativeInsertionLockAcquire(GetCurrentTransactionId());
	table_tuple_insert_speculative(k->rel, slot, k->estate->es_output_cid, 0, NULL, token);
	recheck = ExecInsertIndexTuples(k->rri, slot, k->estate, false, true, &taken, arbiters);
	table_tuple_complete_speculative(k->rel, slot, token, !taken);
	SpeculativeInsertionLockRelease(GetCurrentTransactionId());
	list_free(recheck);
	ResetPerTupleExprContext(k->estate);
	return !taken;
}

/*
 * wc_keyed_insert: inserts k->next unless its key has a row, as INSERT ... ON CONFLICT DO
 * NOTHING does: the primary key is checked first (waiting for a writer of the key in
 * progress), the row inserted speculatively, and withdrawn when a concurrent writer took
 * the key meanwhile (then checked again). False when the key has a row: the caller locks
 * it (wc_keyed_lock) and updates it.
 */
bool
wc_keyed_insert(wc_keyed *k)
{
	List	   *arbiters = list_make1_oid(RelationGetRelid(k->pk));

	for (;;)
	{
		ItemPointerData conflict;

		if (!ExecCheckIndexConstraints(k->rri, k->next, k->estate, &conflict, arbiters))
		{
			ResetPerTupleExprContext(k->estate);
			list_free(arbiters);
			return false;
		}
		if (keyed_insert_speculative(k, arbiters))
			break;
	}
	list_free(arbiters);
	CommandCounterIncrement();
	k->estate->es_output_cid = GetCurrentCommandId(true);
	return true;
}

/*
 * wc_keyed_insert_fresh: k->next inserted as wc_keyed_insert inserts it, but without looking
 * for its key first (for rows that are new mostly, as the months a COPY brings): inserted
 * speculatively and withdrawn when the primary key's insertion finds the key taken (a row
 * there, or a concurrent writer's, not waited for). True when inserted; false when the key
 * was taken (nothing written): the caller goes on as ON CONFLICT does (wc_keyed_insert,
 * which looks first and waits, then wc_keyed_lock).
 */
bool
wc_keyed_insert_fresh(wc_keyed *k)
{
	List	   *arbiters = list_make1_oid(RelationGetRelid(k->pk));
	bool		inserted = keyed_insert_speculative(k, arbiters);

	list_free(arbiters);
	if (!inserted)
		return false;
	CommandCounterIncrement();
	k->estate->es_output_cid = GetCurrentCommandId(true);
	return true;
}

/*
 * wc_keyed_lock_read: the row wc_keyed_read just read (its latest committed version, or this
 * transaction's) locked as wc_keyed_lock locks it, without looking for it again: locked by
 * its place when no one changed it since (a writer in progress waited for); found again by
 * wc_keyed_lock when it was updated or deleted meanwhile. The result as wc_keyed_lock's,
 * k->next a copy of the locked row.
 */
bool
wc_keyed_lock_read(wc_keyed *k, const Datum *key)
{
	TM_FailureData tmfd;
	TM_Result	res;

	PushActiveSnapshot(GetLatestSnapshot());
	res = table_tuple_lock(k->rel, &k->found->tts_tid, GetLatestSnapshot(), k->found, GetCurrentCommandId(false),
						   LockTupleNoKeyExclusive, LockWaitBlock, 0, &tmfd);
	PopActiveSnapshot();
	if (res != TM_Ok)
		return wc_keyed_lock(k, key);
	keyed_copy(k);
	return true;
}

/*
 * wc_keyed_share: the row wc_keyed_read found locked FOR KEY SHARE, as SELECT ... FOR KEY
 * SHARE locks it in READ COMMITTED: a transaction holding a lock that conflicts (a FOR
 * UPDATE, a delete) is waited for and the newest version locked; an update in progress
 * that keeps the key is not waited for (the version read and the one being written are
 * both locked, as heap_lock_tuple does). Concurrent holders of FOR KEY SHARE or FOR NO KEY
 * UPDATE do not wait for it. True with the version locked in k->found and its values in
 * k->next (for wc_keyed_update_read); false, nothing locked, when the row was deleted
 * meanwhile: the caller reads it again.
 */
bool
wc_keyed_share(wc_keyed *k)
{
	TM_FailureData tmfd;
	TM_Result	res;

	PushActiveSnapshot(GetLatestSnapshot());
	res = table_tuple_lock(k->rel, &k->found->tts_tid, GetActiveSnapshot(), k->found, GetCurrentCommandId(false),
						   LockTupleKeyShare, LockWaitBlock,
						   TUPLE_LOCK_FLAG_LOCK_UPDATE_IN_PROGRESS | TUPLE_LOCK_FLAG_FIND_LAST_VERSION, &tmfd);
	PopActiveSnapshot();
	if (res == TM_Deleted || res == TM_Updated)
		return false;
	if (res != TM_Ok)
		elog(ERROR, "wagecheck: locking a row of %s by its key failed (%d)", RelationGetRelationName(k->rel), (int) res);
	keyed_copy(k);
	return true;
}

/*
 * wc_keyed_update_read: writes k->next as the new version of the row wc_keyed_read found,
 * as an UPDATE writes the version it read, without locking it first (wc_keyed_lock then
 * wc_keyed_update write the row twice: its lock, then its new version): a writer of the
 * row in progress is waited for; true when the version read was still the latest and is
 * replaced (its constraints checked, its indexes kept, the change made visible to what
 * runs next, as wc_keyed_update); false, with nothing written, when another transaction
 * updated or deleted it meanwhile: the caller reads it again and decides again, as an
 * UPDATE rechecks its condition on the newest version.
 */
bool
wc_keyed_update_read(wc_keyed *k)
{
	TM_FailureData tmfd;
	LockTupleMode lockmode;
	bool		update_indexes;
	TM_Result	res;

	CheckCmdReplicaIdentity(k->rel, CMD_UPDATE);
	if (k->rel->rd_att->constr)
		ExecConstraints(k->rri, k->next, k->estate);
	res = table_tuple_update(k->rel, &k->found->tts_tid, k->next, GetCurrentCommandId(true), k->estate->es_snapshot,
							 InvalidSnapshot, true, &tmfd, &lockmode, &update_indexes);
	if (res == TM_Updated || res == TM_Deleted)
		return false;
	if (res != TM_Ok)
		elog(ERROR, "wagecheck: updating a row of %s by its key failed (%d)", RelationGetRelationName(k->rel), (int) res);
	if (update_indexes && k->rri->ri_NumIndices > 0)
		list_free(ExecInsertIndexTuples(k->rri, k->next, k->estate, true, false, NULL, NIL));
	ResetPerTupleExprContext(k->estate);
	CommandCounterIncrement();
	k->estate->es_output_cid = GetCurrentCommandId(true);
	return true;
}

/* wc_keyed_close: releases what wc_keyed_open took (executor state kept for the transaction stays); the locks are kept to the transaction's end. */
void
wc_keyed_close(wc_keyed *k)
{
	if (k->rel == NULL)
		return;
	ExecDropSingleTupleTableSlot(k->next);
	ExecDropSingleTupleTableSlot(k->found);
	if (k->kept > 0)
	{
		kept_close(k);
		return;
	}
	if (k->rri != NULL)
	{
		ExecCloseIndices(k->rri);
		FreeExecutorState(k->estate);
	}
	index_close(k->pk, NoLock);
	table_close(k->rel, NoLock);
	memset(k, 0, sizeof(*k));
}
