/*
 * probe.c — what the checks of a one-row statement of pay lines or payments read (the
 * line's sheet, project, worker, roster entry, the project's open account; for an UPDATE or
 * DELETE, row by row, also whether a line is paid), read through the tables' indexes
 * without a statement. A one-row INSERT pays 20-100 µs for each SPI
 * statement its triggers run (plan check, executor start and end); these reads cost a few.
 *
 * Each read is the one the statement it replaces makes: the same snapshot (a new one after
 * a command counter increment, as SPI takes one for a statement that is not read-only), the
 * same row lock (the project's open account FOR SHARE, the latest version followed as
 * READ COMMITTED does, then the condition checked again). Whatever a probe cannot answer
 * as that statement would — a table that is not wagecheck's plain table with that index,
 * forced row security, child tables, a missing row, an account updated meanwhile, no open
 * account — it says so, and the caller runs the statement instead: nothing is waved through.
 *
 * A statement of several rows reads each sheet and project once (wc_probe_memoize: what a
 * probe of them found is kept by its key for the rest of the statement, as the statement's
 * query reads each key once under one snapshot; its rows' lines, workers and roster entries
 * are mostly each their own, read by their callers once a key); accounts are never kept
 * here: the caller locks each project's once.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "storage/bufmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "alerts/keyed.h"
#include "catalog_watch.h"
#include "core/ident.h"
#include "enforce/enforce.h"
#include "enforce/checks.h"

StaticAssertDecl(WC_PROBE_CARD_LEN == WC_BANK_CARD_MAX + 1, "a card's text fits WC_PROBE_CARD_LEN");
StaticAssertDecl(WC_PROBE_TABLES == 7, "a probe has a relation for each table it reads");

/* The tables read, and the index each is read through. */
enum
{
	PT_SHEET,					/* pay_sheet by sheet_id */
	PT_PROJECT,					/* project by project_id */
	PT_WORKER,					/* worker by worker_id */
	PT_ROSTER,					/* roster by (project_id, worker_id, ...) */
	PT_ACCOUNT,					/* wage_account by project_id, closed_on IS NULL */
	PT_LINE,					/* pay_line by line_id */
	PT_PAYMENT,					/* wage_payment by line_id */
	PT_N
};

/* Columns read, by table. */
enum
{
	PC_SHEET_PROJECT,
	PC_PROJECT_CODE,
	PC_PROJECT_MODE,
	PC_WORKER_NAME,
	PC_WORKER_CARD,
	PC_ACCOUNT_PROJECT,
	PC_ACCOUNT_CLOSED,
	PC_LINE_SHEET,
	PC_LINE_WORKER,
	PC_N
};

static const struct
{
	int			table;
	const char *name;
	Oid			type;			/* InvalidOid: wagecheck.bank_card */
}			columns[PC_N] =
{
	[PC_SHEET_PROJECT] = {PT_SHEET, "project_id", INT8OID},
	[PC_PROJECT_CODE] = {PT_PROJECT, "code", TEXTOID},
	[PC_PROJECT_MODE] = {PT_PROJECT, "enforcement_mode", TEXTOID},
	[PC_WORKER_NAME] = {PT_WORKER, "name", TEXTOID},
	[PC_WORKER_CARD] = {PT_WORKER, "wage_card", InvalidOid},
	[PC_ACCOUNT_PROJECT] = {PT_ACCOUNT, "project_id", INT8OID},
	[PC_ACCOUNT_CLOSED] = {PT_ACCOUNT, "closed_on", DATEOID},
	[PC_LINE_SHEET] = {PT_LINE, "sheet_id", INT8OID},
	[PC_LINE_WORKER] = {PT_LINE, "worker_id", INT8OID},
};

static const char *const table_names[PT_N] = {"pay_sheet", "project", "worker", "roster", "wage_account", "pay_line",
"wage_payment"};

/* The tables and indexes found (until a relcache invalidation of any of them). */
static struct
{
	bool		valid;			/* resolved, and nothing invalidated since */
	bool		usable[PT_N];	/* found as expected: it may be probed */
	Oid			relid[PT_N];
	Oid			index[PT_N];
	AttrNumber	att[PC_N];
}			found;

/*
 * probe_invalidate: any of the tables or their indexes changed (or all of them, relid
 * InvalidOid): resolve again at the next use (src/catalog_watch.c's subscriber).
 */
static void
probe_invalidate(Oid relid)
{
	if (found.valid && OidIsValid(relid))
	{
		int			t;

		for (t = 0; t < PT_N; t++)
			if (found.relid[t] == relid || found.index[t] == relid)
				break;
		if (t == PT_N)
			return;
	}
	found.valid = false;
}

/* key_column: whether index column i (0-based) is the table's column name, bigint, of bigint's btree class. */
static bool
key_column(Relation rel, Relation index, int i, const char *name)
{
	AttrNumber	a = index->rd_index->indkey.values[i];
	Form_pg_attribute att;

	if (a <= 0 || a > RelationGetDescr(rel)->natts)
		return false;
	att = TupleDescAttr(RelationGetDescr(rel), a - 1);
	return !att->attisdropped && att->atttypid == INT8OID && strcmp(NameStr(att->attname), name) == 0 &&
		index->rd_opcintype[i] == INT8OID;
}

/*
 * index_matches: whether index is the one table t is read through: a valid btree whose
 * leading key columns are those the probe searches by (a primary key of one column; the
 * roster's (project_id, worker_id, ...) without a predicate; the accounts' unique index on
 * project_id WHERE closed_on IS NULL).
 */
static bool
index_matches(Relation rel, Relation index, int t, AttrNumber closed_att)
{
	Form_pg_index ix = index->rd_index;

	if (index->rd_rel->relam != BTREE_AM_OID || !ix->indisvalid || !ix->indisready || !ix->indislive)
		return false;
	switch (t)
	{
		case PT_ROSTER:
			return ix->indnkeyatts >= 2 && key_column(rel, index, 0, "project_id") &&
				key_column(rel, index, 1, "worker_id") && RelationGetIndexPredicate(index) == NIL;
		case PT_PAYMENT:
			return key_column(rel, index, 0, "line_id") && RelationGetIndexPredicate(index) == NIL;
		case PT_ACCOUNT:
			{
				List	   *pred;
				NullTest   *nt;

				if (!ix->indisunique || ix->indnkeyatts != 1 || !key_column(rel, index, 0, "project_id"))
					return false;
				pred = RelationGetIndexPredicate(index);
				if (list_length(pred) != 1 || !IsA(linitial(pred), NullTest))
					return false;
				nt = linitial(pred);
				return nt->nulltesttype == IS_NULL && !nt->argisrow && IsA(nt->arg, Var) &&
					((Var *) nt->arg)->varattno == closed_att;
			}
		default:
			return ix->indisprimary && ix->indnkeyatts == 1 &&
				key_column(rel, index, 0, t == PT_SHEET ? "sheet_id" : t == PT_PROJECT ? "project_id" :
						   t == PT_WORKER ? "worker_id" : "line_id");
	}
}

/* resolve_table: table t's relation, columns and index into found; false when it is not as expected. */
static bool
resolve_table(int t, Oid nsp, Oid card_type)
{
	Oid			relid = get_relname_relid(table_names[t], nsp);
	Relation	rel;
	bool		ok;
	AttrNumber	closed_att = InvalidAttrNumber;
	List	   *indexes;
	ListCell   *lc;

	if (!OidIsValid(relid))
		return false;
	rel = table_open(relid, AccessShareLock);
	/* what a statement would read otherwise: child tables, rows row security hides from the owner */
	ok = rel->rd_rel->relkind == RELKIND_RELATION && !rel->rd_rel->relhassubclass &&
		!(rel->rd_rel->relrowsecurity && rel->rd_rel->relforcerowsecurity) &&
		pg_class_aclcheck(relid, wc_rules_owner(), ACL_SELECT) == ACLCHECK_OK &&
		(t != PT_ACCOUNT || pg_class_aclcheck(relid, wc_rules_owner(), ACL_UPDATE) == ACLCHECK_OK);
	for (int c = 0; ok && c < PC_N; c++)
	{
		TupleDesc	desc = RelationGetDescr(rel);
		Oid			type = OidIsValid(columns[c].type) ? columns[c].type : card_type;
		int			i;

		if (columns[c].table != t)
			continue;
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), columns[c].name) == 0)
				break;
		}
		ok = i < desc->natts && OidIsValid(type) && TupleDescAttr(desc, i)->atttypid == type;
		found.att[c] = i + 1;
		if (c == PC_ACCOUNT_CLOSED)
			closed_att = i + 1;
	}
	found.relid[t] = relid;
	found.index[t] = InvalidOid;
	indexes = ok ? RelationGetIndexList(rel) : NIL;
	foreach(lc, indexes)
	{
		Relation	index = index_open(lfirst_oid(lc), AccessShareLock);
		bool		match = index_matches(rel, index, t, closed_att);

		index_close(index, AccessShareLock);
		if (match)
		{
			found.index[t] = lfirst_oid(lc);
			break;
		}
	}
	list_free(indexes);
	table_close(rel, AccessShareLock);
	return ok && OidIsValid(found.index[t]);
}

/* resolve: finds the tables, their columns and indexes (once, until an invalidation). */
static void
resolve(void)
{
	uint64		seen;
	Oid			nsp;
	Oid			card_type;
	bool		ok,
				missing;

	wc_relcache_subscribe(probe_invalidate);
	seen = wc_relcache_generation();
	nsp = wc_schema_oid();
	ok = OidIsValid(nsp);
	missing = !ok;
	memset(&found, 0, sizeof(found));
	card_type = ok ? GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("bank_card"),
									 ObjectIdGetDatum(nsp)) : InvalidOid;
	for (int t = 0; ok && t < PT_N; t++)
		if (!(found.usable[t] = resolve_table(t, nsp, card_type)) && !OidIsValid(found.relid[t]))
			missing = true;
	/*
	 * an invalidation of any relation that arrived while resolving (a lock taken) means
	 * resolve again; so does a table not found (no invalidation names a table created later)
	 */
	found.valid = wc_relcache_generation() == seen && !missing;
}

/*
 * wc_probe_begin: readies p for the reads of one statement's checks, with the snapshot the
 * statement it replaces would take; false when the probes cannot run (the caller runs the
 * statement).
 */
bool
wc_probe_begin(wc_probe *p)
{
	bool		any = false;

	memset(p, 0, sizeof(*p));
	if (!found.valid)
		resolve();
	for (int t = 0; t < PT_N; t++)
		any |= found.usable[t];
	if (!any)
		return false;
	CommandCounterIncrement();
	p->snapshot = RegisterSnapshot(GetTransactionSnapshot());
	p->cxt = CurrentMemoryContext;
	p->active = true;
	return true;
}

/* probe_open: table t and its index opened for p (on first use); false when they changed meanwhile. */
static bool
probe_open(wc_probe *p, int t)
{
	MemoryContext oldcxt;

	if (p->rel[t] != NULL)
		return found.valid;
	if (!found.valid || !found.usable[t])
		return false;
	p->rel[t] = table_open(found.relid[t], t == PT_ACCOUNT ? RowShareLock : AccessShareLock);
	p->index[t] = index_open(found.index[t], AccessShareLock);
	/* (in the memory of the probe: a row's check may open a table in a context of its own) */
	oldcxt = MemoryContextSwitchTo(p->cxt);
	p->slot[t] = table_slot_create(p->rel[t], NULL);
	MemoryContextSwitchTo(oldcxt);
	/* (a lock taken may have brought an invalidation: what was found may be gone) */
	return found.valid && found.usable[t];
}

/* wc_probe_end: closes what p opened (the locks are kept to the transaction's end). */
void
wc_probe_end(wc_probe *p)
{
	if (!p->active)
		return;
	for (int t = 0; t < PT_N; t++)
		if (p->rel[t] != NULL)
		{
			ExecDropSingleTupleTableSlot(p->slot[t]);
			index_close(p->index[t], NoLock);
			table_close(p->rel[t], NoLock);
		}
	if (p->memo != NULL)
		hash_destroy(p->memo);
	UnregisterSnapshot(p->snapshot);
	memset(p, 0, sizeof(*p));
}

/*
 * probe_fetch: the first row of table t visible to p's snapshot whose index key starts with
 * keys[0..nkeys) into p->slot[t]; 1 found, 0 none, -1 the table cannot be read so.
 */
static int
probe_fetch(wc_probe *p, int t, int nkeys, const int64 *keys)
{
	ScanKeyData sk[2];
	IndexScanDesc scan;
	bool		hit;

	if (!probe_open(p, t))
		return -1;
	for (int i = 0; i < nkeys; i++)
		ScanKeyInit(&sk[i], i + 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(keys[i]));
	scan = index_beginscan(p->rel[t], p->index[t], p->snapshot, nkeys, 0);
	index_rescan(scan, sk, nkeys, NULL, 0);
	hit = index_getnext_slot(scan, ForwardScanDirection, p->slot[t]);
	index_endscan(scan);
	p->reads++;
	return hit ? 1 : 0;
}

/* get_int8, get_text: column c of its table's slot (false when NULL; a text palloc'd). */
static bool
get_int8(wc_probe *p, int c, int64 *out)
{
	bool		isnull;
	Datum		d = slot_getattr(p->slot[columns[c].table], found.att[c], &isnull);

	if (!isnull)
		*out = DatumGetInt64(d);
	return !isnull;
}

static bool
get_text(wc_probe *p, int c, char **out)
{
	bool		isnull;
	Datum		d = slot_getattr(p->slot[columns[c].table], found.att[c], &isnull);

	if (!isnull)
		*out = TextDatumGetCString(d);
	return !isnull;
}

/* What a probe of a statement's several rows found, by what it looked for (wc_probe_memoize). */
typedef struct probe_memo_key
{
	int64		table;			/* PT_* */
	int64		a;				/* the key */
	int64		b;				/* its second column, if any, else 0 */
} probe_memo_key;

typedef struct probe_memo
{
	probe_memo_key key;
	int64		n1;				/* a sheet's project */
	char		mode;			/* a project's mode */
	char	   *text;			/* a project's code (in the probe's memory) */
} probe_memo;

/* wc_probe_memoize: what p finds from now on is kept by its key and read once (for p's statement). */
void
wc_probe_memoize(wc_probe *p)
{
	HASHCTL		ctl;

	if (p->memo != NULL)
		return;
	ctl.keysize = sizeof(probe_memo_key);
	ctl.entrysize = sizeof(probe_memo);
	ctl.hcxt = p->cxt;
	p->memo = hash_create("wagecheck probed rows", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* memo: the entry of (table, a, b) when kept (find) or a new one to fill (!find); NULL when p keeps none or has none. */
static probe_memo *
memo(wc_probe *p, int table, int64 a, int64 b, bool find)
{
	probe_memo_key key;
	bool		present;
	probe_memo *m;

	if (p->memo == NULL)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.table = table;
	key.a = a;
	key.b = b;
	m = hash_search(p->memo, &key, find ? HASH_FIND : HASH_ENTER, &present);
	return m;
}

/* wc_probe_sheet: the project of pay sheet sheet; false when there is no such sheet (or it cannot be read so). */
bool
wc_probe_sheet(wc_probe *p, int64 sheet, int64 *project)
{
	probe_memo *m = memo(p, PT_SHEET, sheet, 0, true);

	if (m != NULL)
	{
		*project = m->n1;
		return true;
	}
	if (probe_fetch(p, PT_SHEET, 1, &sheet) != 1 || !get_int8(p, PC_SHEET_PROJECT, project))
		return false;
	if ((m = memo(p, PT_SHEET, sheet, 0, false)) != NULL)
		m->n1 = *project;
	return true;
}

/* wc_probe_line: the sheet and worker of pay line line; false when there is no such line. */
bool
wc_probe_line(wc_probe *p, int64 line, int64 *sheet, int64 *worker)
{
	return probe_fetch(p, PT_LINE, 1, &line) == 1 && get_int8(p, PC_LINE_SHEET, sheet) &&
		get_int8(p, PC_LINE_WORKER, worker);
}

/* wc_probe_project: the code (palloc'd, or kept by the probe: not to be changed) and mode (its first letter) of a project; false when none. */
bool
wc_probe_project(wc_probe *p, int64 project, char **code, char *mode)
{
	probe_memo *m = memo(p, PT_PROJECT, project, 0, true);
	char	   *s;

	if (m != NULL)
	{
		*code = m->text;
		*mode = m->mode;
		return true;
	}
	if (probe_fetch(p, PT_PROJECT, 1, &project) != 1 || !get_text(p, PC_PROJECT_CODE, code) ||
		!get_text(p, PC_PROJECT_MODE, &s))
		return false;
	*mode = s[0];
	if ((m = memo(p, PT_PROJECT, project, 0, false)) != NULL)
	{
		m->text = MemoryContextStrdup(p->cxt, *code);
		m->mode = *mode;
	}
	return true;
}

/*
 * wc_probe_worker: a worker's name (palloc'd) and registered card as its text cast writes
 * it (card[0] = '\0' when none); false when there is no such worker.
 */
bool
wc_probe_worker(wc_probe *p, int64 worker, char **name, char card[WC_PROBE_CARD_LEN])
{
	bool		isnull;
	Datum		d;

	if (probe_fetch(p, PT_WORKER, 1, &worker) != 1 || !get_text(p, PC_WORKER_NAME, name))
		return false;
	d = slot_getattr(p->slot[PT_WORKER], found.att[PC_WORKER_CARD], &isnull);
	card[0] = '\0';
	if (!isnull)
		wc_bank_card_format(DatumGetInt64(d), card);
	return true;
}

/* wc_probe_worker_card: the registered card (a bank_card, int8-like) of the worker wc_probe_worker just read; false when none. */
bool
wc_probe_worker_card(wc_probe *p, int64 *card)
{
	bool		isnull;
	Datum		d = slot_getattr(p->slot[PT_WORKER], found.att[PC_WORKER_CARD], &isnull);

	*card = isnull ? 0 : DatumGetInt64(d);
	return !isnull;
}

/* wc_probe_rostered: 1 when the worker has a roster entry of the project, 0 when not, -1 when it cannot be read so. */
int
wc_probe_rostered(wc_probe *p, int64 project, int64 worker)
{
	int64		keys[2] = {project, worker};

	return probe_fetch(p, PT_ROSTER, 2, keys);
}

/*
 * account_locked: locks the row of wage_account at tid FOR SHARE as the query's FOR SHARE
 * locks it (READ COMMITTED: its latest version, waiting for a writer in progress), into the
 * slot; false when the lock finds it deleted, updated in a way the isolation level does not
 * follow, or changed by this transaction. *moved: a newer version than the one found.
 */
static bool
account_locked(wc_probe *p, ItemPointer tid, bool *moved)
{
	TM_FailureData tmfd;
	TM_Result	res;

	res = table_tuple_lock(p->rel[PT_ACCOUNT], tid, p->snapshot, p->slot[PT_ACCOUNT], GetCurrentCommandId(true),
						   LockTupleShare, LockWaitBlock,
						   IsolationUsesXactSnapshot() ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION, &tmfd);
	*moved = res == TM_Ok && tmfd.traversed;
	return res == TM_Ok;
}

/* account_of: whether the account row in the slot is the project's (and, when open_only, open). */
static bool
account_of(wc_probe *p, int64 project, bool open_only)
{
	int64		proj;
	bool		isnull;

	if (!get_int8(p, PC_ACCOUNT_PROJECT, &proj) || proj != project)
		return false;
	(void) slot_getattr(p->slot[PT_ACCOUNT], found.att[PC_ACCOUNT_CLOSED], &isnull);
	return isnull || !open_only;
}

/* tid_add: tid appended to tids[0..*n) (room for *cap, doubled when full); the array, perhaps moved. */
static ItemPointerData *
tid_add(ItemPointerData *tids, int *n, int *cap, ItemPointer tid)
{
	if (*n == *cap)
	{
		*cap *= 2;
		tids = repalloc(tids, sizeof(ItemPointerData) * *cap);
	}
	tids[(*n)++] = *tid;
	return tids;
}

/*
 * accounts_all: the project's accounts when none is open, as WC_ACCOUNTS_SQL counts them
 * then: every row of the project (found by the index wage_account_project, or by a scan of the
 * table when it is not there as expected), each locked FOR SHARE; a row a concurrent update
 * moved to another project is locked but not counted, as the query's recheck leaves it out.
 * False when a lock cannot be taken as the query takes it: the query answers then.
 */
static bool
accounts_all(wc_probe *p, int64 project, int64 *accounts)
{
	ScanKeyData key;
	TableScanDesc scan;
	ItemPointerData *tids;
	int			n = 0,
				cap = 8;
	Oid			indexid = wc_keyed_relid("wage_account_project");
	Relation	index = NULL;

	tids = palloc(sizeof(ItemPointerData) * cap);
	if (OidIsValid(indexid))
	{
		index = index_open(indexid, AccessShareLock);
		/* (a plain btree on project_id of this table, as created) */
		if (index->rd_index->indrelid != RelationGetRelid(p->rel[PT_ACCOUNT]) ||
			index->rd_rel->relam != BTREE_AM_OID || index->rd_index->indnkeyatts < 1 ||
			index->rd_index->indkey.values[0] != found.att[PC_ACCOUNT_PROJECT] ||
			index->rd_opcintype[0] != INT8OID ||
			!heap_attisnull(index->rd_indextuple, Anum_pg_index_indpred, NULL))
		{
			index_close(index, AccessShareLock);
			index = NULL;
		}
	}
	if (index != NULL)
	{
		IndexScanDesc iscan = index_beginscan(p->rel[PT_ACCOUNT], index, p->snapshot, 1, 0);

		ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(project));
		index_rescan(iscan, &key, 1, NULL, 0);
		while (index_getnext_slot(iscan, ForwardScanDirection, p->slot[PT_ACCOUNT]))
			tids = tid_add(tids, &n, &cap, &p->slot[PT_ACCOUNT]->tts_tid);
		index_endscan(iscan);
		index_close(index, AccessShareLock);
	}
	else
	{
		ScanKeyInit(&key, found.att[PC_ACCOUNT_PROJECT], BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(project));
		scan = table_beginscan(p->rel[PT_ACCOUNT], p->snapshot, 1, &key);
		while (table_scan_getnextslot(scan, ForwardScanDirection, p->slot[PT_ACCOUNT]))
			tids = tid_add(tids, &n, &cap, &p->slot[PT_ACCOUNT]->tts_tid);
		table_endscan(scan);
	}
	*accounts = 0;
	for (int i = 0; i < n; i++)
	{
		bool		moved;

		if (!account_locked(p, &tids[i], &moved))
			return false;
		if (!moved || account_of(p, project, false))
			(*accounts)++;
	}
	pfree(tids);
	return true;
}

/*
 * wc_probe_accounts: the project's accounts as WC_ACCOUNTS_SQL counts them (accounts: all of
 * them, or the open ones when one is open; open), their rows locked FOR SHARE as the query
 * locks them. The open account is found by the index of open accounts and locked (READ
 * COMMITTED: its latest version, the condition checked again on it): accounts = open = 1.
 * Without one, every account of the project is (accounts_all). False when a row was updated,
 * deleted or closed meanwhile in a way the query's recheck would see: the query answers then.
 */
bool
wc_probe_accounts(wc_probe *p, int64 project, int64 *accounts, int64 *open)
{
	ItemPointerData tid;
	bool		moved;
	int			r = probe_fetch(p, PT_ACCOUNT, 1, &project);

	if (r < 0)
		return false;
	if (r == 0)
	{
		*open = 0;
		return accounts_all(p, project, accounts);
	}
	if (!account_of(p, project, true))
		return false;
	tid = p->slot[PT_ACCOUNT]->tts_tid;
	if (!account_locked(p, &tid, &moved) || (moved && !account_of(p, project, true)))
		return false;
	*accounts = *open = 1;
	return true;
}

/* wc_probe_paid: 1 when a payment of pay line line is recorded, 0 when none, -1 when it cannot be read so. */
int
wc_probe_paid(wc_probe *p, int64 line)
{
	return probe_fetch(p, PT_PAYMENT, 1, &line);
}
