/*
 * capture.c — wagecheck._input_changed(), the change capture of incremental scans:
 * a statement-level AFTER trigger that records in wagecheck.input_change the table a
 * statement wrote, the moments of the written rows (from every date and time
 * column, see src/core/changeset.c) and the projects the rows belong to. It reads
 * the transition tables in one pass, keeps the spans and ids compact as it goes,
 * and writes one row through a plan prepared once per backend (with the lookup of
 * the projects of pay lines, payments, account movements or workers).
 *
 * A statement whose rows' projects and moments an earlier statement of the same
 * transaction recorded already (same table, same operation: for each project, the
 * moments of the changes recorded for it cover the statement's) records nothing: a scan
 * reads a change when its transaction is one the scan's snapshot did not see, or when its
 * moments meet the scan's window, and takes its projects; the earlier changes are read
 * whenever this one would be and name its projects. Not when the transaction ran a scan
 * (it holds the scan lock: a scan in the same transaction reads only the changes recorded
 * after it, and trims those before), nor after a subtransaction was rolled back (it may
 * have taken the earlier changes with it). Only what names its projects by the rows' own
 * project_id is remembered (wc_change_recorded, wc_change_note: the summaries' triggers
 * record theirs the same way), or by a few sheets, lines or accounts whose projects are
 * read by key (src/alerts/keyed.c) in place of the statement's lookup, or by the enforcing
 * trigger of the same statement, which fires before this one (new pay lines and payments
 * judged by probes: the projects it read for exactly these sheets or lines, src/enforce/state.c).
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/table.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "utils/memutils.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"
#include "utils/xid8.h"
#include "storage/lock.h"
#include "miscadmin.h"

#include "alerts/capture.h"
#include "alerts/keyed.h"
#include "catalog_watch.h"
#include "compat.h"
#include "core/changeset.h"
#include "enforce/enforce.h"
#include "trigcheck.h"
#include "trigowner.h"
#include "nls.h"

#define FN "wagecheck._input_changed()"

/* How the rows of a table belong to projects (the trigger's argument). */
typedef enum capture_mode
{
	MODE_NONE,					/* "none": not limited to projects (projects NULL) */
	MODE_PROJECT,				/* "project": the rows' own project_id */
	MODE_SHEET,					/* "sheet": pay lines, through sheet_id (and corrects_line_id) */
	MODE_LINE,					/* "line": payments, through line_id */
	MODE_ACCOUNT,				/* "account": account movements, through account_id */
	MODE_WORKER,				/* "worker": workers, through their rosters and pay lines */
	MODE_COUNT
} capture_mode;

static const char *const mode_names[MODE_COUNT] = {"none", "project", "sheet", "line", "account", "worker"};
static const char *const mode_keys[MODE_COUNT] = {NULL, "project_id", "sheet_id", "line_id", "account_id", "worker_id"};

/*
 * The project of each line u.line_id, looked up by the keys' indexes (OFFSET 0 keeps the
 * lateral lookups apart: a generic plan for an array of unknown length may otherwise hash
 * every pay sheet on each statement, most of a single-row statement's cost).
 */
#define LINE_PROJECT \
	"CROSS JOIN LATERAL (SELECT l.sheet_id FROM wagecheck.pay_line l WHERE l.line_id = u.line_id OFFSET 0) l " \
	"CROSS JOIN LATERAL (SELECT s.project_id FROM wagecheck.pay_sheet s WHERE s.sheet_id = l.sheet_id OFFSET 0) s"

/* The statement writing the change, per mode: $1 table, $2 moments, $3 and $4 the keys (projects in order), $5 the operation. */
static const char *const mode_sql[MODE_COUNT] = {
	"INSERT INTO wagecheck.input_change (table_name, moments, projects, op) SELECT $1, $2, NULL, $5",
	"INSERT INTO wagecheck.input_change (table_name, moments, projects, op) SELECT $1, $2, $3, $5",
	"INSERT INTO wagecheck.input_change (table_name, moments, op, projects) SELECT $1, $2, $5, "
	"ARRAY(SELECT s.project_id FROM wagecheck.pay_sheet s WHERE s.sheet_id = ANY ($3) "
	"UNION SELECT s.project_id FROM unnest($4::bigint[]) u(line_id) " LINE_PROJECT " ORDER BY 1)",
	"INSERT INTO wagecheck.input_change (table_name, moments, op, projects) SELECT $1, $2, $5, "
	"ARRAY(SELECT DISTINCT s.project_id FROM unnest($3::bigint[]) u(line_id) " LINE_PROJECT " ORDER BY 1)",
	"INSERT INTO wagecheck.input_change (table_name, moments, op, projects) SELECT $1, $2, $5, "
	"ARRAY(SELECT DISTINCT w.project_id FROM wagecheck.wage_account w WHERE w.account_id = ANY ($3) ORDER BY 1)",
	"INSERT INTO wagecheck.input_change (table_name, moments, op, projects) SELECT $1, $2, $5, "
	"ARRAY(SELECT r.project_id FROM wagecheck.roster r WHERE r.worker_id = ANY ($3) "
	"UNION SELECT s.project_id FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s ON s.sheet_id = l.sheet_id "
	"WHERE l.worker_id = ANY ($3) ORDER BY 1)",
};

static SPIPlanPtr mode_plans[MODE_COUNT];

/* A growing array of spans or ids, compacted (sorted, merged) when it fills up. */
typedef struct capture_buf
{
	void	   *items;
	size_t		n;
	size_t		cap;
	size_t		size;			/* of one item */
	bool		spans;			/* wc_span items, else int64 ids */
} capture_buf;

/* buf_init: an empty buffer of spans or ids. */
static void
buf_init(capture_buf *b, bool spans)
{
	b->spans = spans;
	b->size = spans ? sizeof(wc_span) : sizeof(int64);
	b->cap = 256;
	b->n = 0;
	b->items = palloc(b->cap * b->size);
}

/* buf_compact: sorts the items and merges or drops repeats. */
static void
buf_compact(capture_buf *b)
{
	b->n = b->spans ? wc_spans_merge((wc_span *) b->items, b->n) : wc_ids_unique((int64_t *) b->items, b->n);
}

/* buf_room: makes room for one more item (compacting first, growing when that is not enough). */
static void
buf_room(capture_buf *b)
{
	if (b->n < b->cap)
		return;
	buf_compact(b);
	if (b->n * 2 > b->cap)
	{
		b->cap *= 2;
		b->items = repalloc_huge(b->items, b->cap * b->size);
	}
}

/* buf_add_span: adds a span, unless it repeats the last one added. */
static void
buf_add_span(capture_buf *b, const wc_span *s)
{
	wc_span    *v = (wc_span *) b->items;

	if (b->n > 0 && v[b->n - 1].lo == s->lo && v[b->n - 1].hi == s->hi)
		return;
	buf_room(b);
	((wc_span *) b->items)[b->n++] = *s;
}

/* buf_add_id: adds an id, unless it repeats the last one added. */
static void
buf_add_id(capture_buf *b, int64 id)
{
	int64	   *v = (int64 *) b->items;

	if (b->n > 0 && v[b->n - 1] == id)
		return;
	buf_room(b);
	((int64 *) b->items)[b->n++] = id;
}

/* attnum_of: the number of the bigint key column named name in desc, or 0 when it has none. */
static int
attnum_of(Relation rel, const char *name)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped || strcmp(NameStr(a->attname), name) != 0)
			continue;
		if (a->atttypid != INT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column %s of table %s has type %s, but %s reads it as bigint",
							name, RelationGetRelationName(rel), format_type_be(a->atttypid), FN)));
		return i + 1;
	}
	return 0;
}

/*
 * scan_rows: one pass over a transition table: the spans of the date and time
 * columns (when spans is given) and the ids of the key columns (when given).
 */
static void
scan_rows(Tuplestorestate *rows, TupleDesc desc, capture_buf *spans,
		  int key, capture_buf *keys, int key2, capture_buf *keys2)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);

	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		isnull;
		Datum		d;

		slot_getallattrs(slot);
		if (spans != NULL)
		{
			for (int i = 0; i < desc->natts; i++)
			{
				Form_pg_attribute a = TupleDescAttr(desc, i);
				wc_span		s;
				bool		ok;

				if (a->attisdropped || slot->tts_isnull[i])
					continue;
				d = slot->tts_values[i];
				if (a->atttypid == TIMESTAMPTZOID)
					ok = wc_moment_span(WC_MOMENT_TIMESTAMPTZ, DatumGetTimestampTz(d), &s);
				else if (a->atttypid == TIMESTAMPOID)
					ok = wc_moment_span(WC_MOMENT_TIMESTAMP, DatumGetTimestamp(d), &s);
				else if (a->atttypid == DATEOID)
					ok = wc_moment_span(WC_MOMENT_DATE, DatumGetDateADT(d), &s);
				else
					continue;
				if (ok)
					buf_add_span(spans, &s);
			}
		}
		if (key > 0)
		{
			d = slot_getattr(slot, key, &isnull);
			if (!isnull)
				buf_add_id(keys, DatumGetInt64(d));
		}
		if (key2 > 0)
		{
			d = slot_getattr(slot, key2, &isnull);
			if (!isnull)
				buf_add_id(keys2, DatumGetInt64(d));
		}
	}
	ExecDropSingleTupleTableSlot(slot);
}

/* ids_array: the ids as a bigint[]. */
static Datum
ids_array(capture_buf *b)
{
	Datum	   *elems;

	buf_compact(b);
	elems = palloc(Max(b->n, 1) * sizeof(Datum));
	for (size_t i = 0; i < b->n; i++)
		elems[i] = Int64GetDatum(((int64 *) b->items)[i]);
	return PointerGetDatum(construct_array_builtin(elems, (int) b->n, INT8OID));
}

/* spans_multirange: spans[0..n) (merged) as a tstzmultirange of closed ranges. */
static Datum
spans_multirange(const wc_span *spans, size_t n)
{
	TypeCacheEntry *rtc = lookup_type_cache(TSTZRANGEOID, TYPECACHE_RANGE_INFO);
	RangeType **ranges = palloc(Max(n, 1) * sizeof(RangeType *));

	for (size_t i = 0; i < n; i++)
	{
		RangeBound	lo = {.val = TimestampTzGetDatum(spans[i].lo), .infinite = false, .inclusive = true, .lower = true};
		RangeBound	hi = {.val = TimestampTzGetDatum(spans[i].hi), .infinite = false, .inclusive = true, .lower = false};

		ranges[i] = WC_MAKE_RANGE(rtc, &lo, &hi);
	}
	return PointerGetDatum(make_multirange(TSTZMULTIRANGEOID, rtc, (int32) n, ranges));
}

/* The scan lock (advisory lock 95946671341902, src/alerts/20_scan.sql), held in exclusive mode. */
#define SCAN_LOCK_KEY INT64CONST(95946671341902)

/* One table, operation and project whose changes this transaction recorded, and their moments. */
typedef struct recorded_key
{
	char		table[NAMEDATALEN];
	char		op;
	int64		project;
} recorded_key;

typedef struct recorded
{
	recorded_key key;
	wc_span    *spans;			/* merged; in recorded_cxt */
	int			n;
} recorded;

/*
 * At most this many spans are remembered of a table, operation and project: a statement
 * whose moments they do not cover and would make more replaces them with its own (rows each
 * of an hour apart from the others' would otherwise add a span a statement to the
 * transaction's memory, and a copy of them all). Forgetting only makes a later statement
 * record what it would have been spared.
 */
#define RECORDED_MAX_SPANS 64

/*
 * The changes recorded in this transaction (NULL: none known), and the context that holds
 * them and their spans (a child of TopTransactionContext, freed when they are forgotten).
 */
static HTAB *recorded_changes = NULL;
static MemoryContext recorded_cxt = NULL;
static bool recorded_callbacks = false;

/* forgets the recorded changes at the end of the transaction (their memory goes with it) */
static void
recorded_xact(XactEvent event, void *arg)
{
	recorded_changes = NULL;
	recorded_cxt = NULL;
}

/* forgets the recorded changes, and frees them, when a subtransaction rolls back */
static void
recorded_subxact(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	if (event != SUBXACT_EVENT_ABORT_SUB || recorded_cxt == NULL)
		return;
	MemoryContextDelete(recorded_cxt);
	recorded_changes = NULL;
	recorded_cxt = NULL;
}

/* scan_ran: whether this transaction holds the scan lock (it ran a scan, or may). */
static bool
scan_ran(void)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) (SCAN_LOCK_KEY >> 32), (uint32) SCAN_LOCK_KEY, 1);
	return LockHeldByMe(&tag, ExclusiveLock);
}

static void
recorded_key_of(recorded_key *k, const char *table, char op, int64 project)
{
	memset(k, 0, sizeof(*k));
	strlcpy(k->table, table, NAMEDATALEN);
	k->op = op;
	k->project = project;
}

/*
 * wc_change_recorded: whether this transaction recorded already, for each of the projects,
 * changes of table by op whose moments cover spans[0..m) (merged) - a change of them
 * recorded now would be read only when those are.
 */
bool
wc_change_recorded(const char *table, char op, const int64 *projects, int np, const wc_span *spans, int m)
{
	if (recorded_changes == NULL || np == 0 || scan_ran())
		return false;
	for (int i = 0; i < np; i++)
	{
		recorded_key k;
		recorded   *r;

		recorded_key_of(&k, table, op, projects[i]);
		r = hash_search(recorded_changes, &k, HASH_FIND, NULL);
		if (r == NULL || !wc_spans_cover(r->spans, r->n, spans, m))
			return false;
	}
	return true;
}

/* wc_change_note: this transaction recorded a change of table by op, of the projects and moments spans[0..m) (merged). */
void
wc_change_note(const char *table, char op, const int64 *projects, int np, const wc_span *spans, int m)
{
	MemoryContext old;

	if (!IsTransactionState())
		return;
	if (!recorded_callbacks)
	{
		RegisterXactCallback(recorded_xact, NULL);
		RegisterSubXactCallback(recorded_subxact, NULL);
		recorded_callbacks = true;
	}
	if (recorded_changes == NULL)
	{
		HASHCTL		ctl = {.keysize = sizeof(recorded_key), .entrysize = sizeof(recorded)};

		recorded_cxt = AllocSetContextCreate(TopTransactionContext, "wagecheck recorded changes",
											 ALLOCSET_SMALL_SIZES);
		ctl.hcxt = recorded_cxt;
		recorded_changes = hash_create("wagecheck recorded change keys", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	old = MemoryContextSwitchTo(recorded_cxt);
	for (int i = 0; i < np; i++)
	{
		recorded_key k;
		recorded   *r;
		bool		found;
		wc_span    *v;

		recorded_key_of(&k, table, op, projects[i]);
		r = hash_search(recorded_changes, &k, HASH_ENTER, &found);
		if (!found)
		{
			r->spans = NULL;
			r->n = 0;
		}
		if (m == 0 || (r->n > 0 && wc_spans_cover(r->spans, r->n, spans, m)))
			continue;
		if (r->n + m > RECORDED_MAX_SPANS)
		{
			if (r->spans)
				pfree(r->spans);
			r->spans = NULL;
			r->n = 0;
			if (m > RECORDED_MAX_SPANS)
				continue;
		}
		v = palloc(sizeof(wc_span) * (r->n + m));
		if (r->n > 0)
			memcpy(v, r->spans, sizeof(wc_span) * r->n);
		memcpy(v + r->n, spans, sizeof(wc_span) * m);
		if (r->spans)
			pfree(r->spans);
		r->spans = v;
		r->n = (int) wc_spans_merge(v, r->n + m);
	}
	MemoryContextSwitchTo(old);
}

/* At most this many keys of a statement have their projects read by key in C (more: by the statement's SQL). */
#define PROBE_MAX_KEYS 16

/* key_probe: a table opened to read one bigint column of a row by its bigint primary key. */
typedef struct key_probe
{
	wc_keyed	k;
	int			column;
} key_probe;

/* probe_open: wagecheck.<table> opened to read column by key; false when it is not as expected. */
static bool
probe_open(key_probe *p, const char *table, const char *key, const char *column)
{
	const char *cols[1] = {key};
	Oid			types[1] = {INT8OID};

	if (!wc_keyed_open_read(&p->k, table, 1, cols, types))
		return false;
	p->column = wc_keyed_column(&p->k, column, INT8OID);
	if (p->column < 0)
	{
		wc_keyed_close(&p->k);
		return false;
	}
	return true;
}

/* probe_get: the column of the row of id; false when there is none or the value is NULL. */
static bool
probe_get(key_probe *p, int64 id, int64 *out)
{
	Datum		key = Int64GetDatum(id);

	if (!wc_keyed_read(&p->k, &key) || p->k.found->tts_isnull[p->column])
		return false;
	*out = DatumGetInt64(p->k.found->tts_values[p->column]);
	return true;
}

/*
 * projects_by_key: the projects of a few sheets, lines (and the lines corrected, keys2) or
 * accounts, read by key as the mode's statement would find them, into projects; false
 * when a key has none (the statement then looks them up).
 */
static bool
projects_by_key(capture_mode mode, capture_buf *keys, capture_buf *keys2, capture_buf *projects)
{
	key_probe	sheet = {0},
				line = {0},
				account = {0};
	bool		ok = true;

	buf_compact(keys);
	buf_compact(keys2);
	if (mode == MODE_ACCOUNT)
		ok = probe_open(&account, "wage_account", "account_id", "project_id");
	else
		ok = probe_open(&sheet, "pay_sheet", "sheet_id", "project_id") &&
			((mode == MODE_SHEET && keys2->n == 0) || probe_open(&line, "pay_line", "line_id", "sheet_id"));
	for (size_t i = 0; ok && i < keys->n + keys2->n; i++)
	{
		bool		second = i >= keys->n;
		int64		id = second ? ((int64 *) keys2->items)[i - keys->n] : ((int64 *) keys->items)[i];
		int64		project;

		if (mode == MODE_ACCOUNT)
			ok = probe_get(&account, id, &project);
		else if (mode == MODE_SHEET && !second)
			ok = probe_get(&sheet, id, &project);
		else
			ok = probe_get(&line, id, &id) && probe_get(&sheet, id, &project);
		if (ok)
			buf_add_id(projects, project);
	}
	wc_keyed_close(&account.k);
	wc_keyed_close(&line.k);
	wc_keyed_close(&sheet.k);
	if (ok)
		buf_compact(projects);
	return ok;
}

/*
 * wagecheck.input_change as found (until a relcache invalidation of it: src/catalog_watch.c)
 * and its identity's sequence (InvalidOid: not looked up yet).
 */
static struct
{
	bool		valid;
	Oid			relid;
	Oid			seq;
}			changes;

/* change_invalidate: wagecheck.input_change (or every table) changed: look again at the next change. */
static void
change_invalidate(Oid relid)
{
	if (!OidIsValid(relid) || relid == changes.relid)
		changes.valid = false;
}

/*
 * The CHECK constraints of input_change as ExecConstraints evaluates them, prepared once
 * (ExecConstraints prepares them for each ResultRelInfo, and change_append's is new each
 * statement: parsing and planning them was most of what a change cost): in the order of
 * the table's relcache entry they were prepared from, forgotten when input_change is looked
 * up again after a relcache invalidation (the entry, and its checks, may have changed).
 * Not kept when a check calls a function not built in (one replaced later would not
 * invalidate them) or coerces to a domain (whose constraints may change): those are
 * prepared each statement, as ExecConstraints does.
 */
static struct
{
	MemoryContext cxt;			/* holds exprs; NULL: not prepared */
	ExprState **exprs;			/* NULL: prepared each statement */
	Oid			relid;
	bool		stale;			/* forget them at the next change */
	bool		busy;			/* being evaluated: a change a check writes prepares its own */
}			checks;

/* check_not_builtin: true for a function that is not built in (check_functions_in_node's callback). */
static bool
check_not_builtin(Oid func, void *context)
{
	return func >= FirstGenbkiObjectId;
}

/* checks_volatile_walker: whether the check calls a function not built in or coerces to a domain. */
static bool
checks_volatile_walker(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, CoerceToDomain) || IsA(node, SubLink) ||
		check_functions_in_node(node, check_not_builtin, context))
		return true;
	return expression_tree_walker(node, checks_volatile_walker, context);
}

/*
 * checks_prepared: input_change's CHECK constraints, prepared once (see checks) for rel,
 * the table as opened now; NULL when they are prepared for each statement (the caller
 * leaves them to ExecConstraints), or when they are being evaluated already.
 */
static ExprState **
checks_prepared(Relation rel)
{
	TupleConstr *constr = RelationGetDescr(rel)->constr;
	MemoryContext old;
	Node	  **nodes;
	bool		keep = true;

	if (checks.busy || constr == NULL || constr->num_check == 0)
		return NULL;
	if (checks.stale || checks.relid != RelationGetRelid(rel))
	{
		if (checks.cxt != NULL)
			MemoryContextDelete(checks.cxt);
		checks.cxt = NULL;
		checks.exprs = NULL;
		checks.stale = false;
	}
	if (checks.cxt != NULL)
		return checks.exprs;
	checks.cxt = AllocSetContextCreate(CacheMemoryContext, "wagecheck input_change checks", ALLOCSET_SMALL_SIZES);
	checks.relid = RelationGetRelid(rel);
	old = MemoryContextSwitchTo(checks.cxt);
	nodes = palloc(sizeof(Node *) * constr->num_check);
	for (int i = 0; i < constr->num_check && keep; i++)
	{
		nodes[i] = stringToNode(constr->check[i].ccbin);
		keep = !checks_volatile_walker(nodes[i], NULL);
	}
	if (keep)
	{
		checks.exprs = palloc(sizeof(ExprState *) * constr->num_check);
		for (int i = 0; i < constr->num_check; i++)
			checks.exprs[i] = ExecInitExpr(expression_planner((Expr *) nodes[i]), NULL);
	}
	MemoryContextSwitchTo(old);
	return checks.exprs;
}

/* The columns of wagecheck.input_change, in order, and their types. */
static const char *const change_cols[6] = {"table_name", "xid", "moments", "seq", "projects", "op"};
static const Oid change_types[6] = {TEXTOID, XID8OID, TSTZMULTIRANGEOID, INT8OID, INT8ARRAYOID, CHAROID};

/*
 * change_append: the change (values and nulls as the mode statements take them: $1 table,
 * $2 moments, $3 projects, $5 operation) appended to input_change without a statement:
 * the writing transaction and the next number of seq as their defaults give them, the
 * row's checks and index kept (ExecSimpleRelationInsert). False, with nothing written,
 * when the table is not the plain table of those columns without triggers, rules or
 * forced row security (the statement then writes it).
 */
static bool
change_append(const Datum *values, const char *nulls)
{
	Relation	rel = NULL;
	TupleDesc	desc;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	Oid			seq = InvalidOid;

	/* the table as found before, unless it changed since (then found again, once) */
	for (int tries = 0; rel == NULL; tries++)
	{
		if (!changes.valid)
		{
			Oid			nsp = wc_schema_oid();

			wc_relcache_subscribe(change_invalidate);
			changes.relid = OidIsValid(nsp) ? get_relname_relid("input_change", nsp) : InvalidOid;
			changes.seq = InvalidOid;
			checks.stale = true;
			changes.valid = OidIsValid(changes.relid);	/* (a table created later sends no invalidation) */
		}
		if (!OidIsValid(changes.relid))
			return false;
		rel = try_relation_open(changes.relid, RowExclusiveLock);
		/* (a lock taken may have brought an invalidation of it) */
		if (rel == NULL || !changes.valid)
		{
			if (rel != NULL)
				relation_close(rel, RowExclusiveLock);
			rel = NULL;
			changes.valid = false;
			if (tries > 0)
				return false;	/* the statement writes it */
		}
	}
	desc = RelationGetDescr(rel);
	if (rel->rd_rel->relkind != RELKIND_RELATION || rel->trigdesc != NULL || rel->rd_rules != NULL ||
		rel->rd_rel->relforcerowsecurity || rel->rd_rel->relispartition || desc->natts != 6)
		goto no;
	for (int i = 0; i < 6; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped || a->atttypid != change_types[i] || strcmp(NameStr(a->attname), change_cols[i]) != 0)
			goto no;
	}
	if (TupleDescAttr(desc, 3)->attidentity != ATTRIBUTE_IDENTITY_ALWAYS)
		goto no;
	if (!OidIsValid(changes.seq))
		changes.seq = getIdentitySequence(changes.relid, 4, true);
	if (!OidIsValid(seq = changes.seq))
		goto no;

	estate = CreateExecutorState();
	estate->es_output_cid = GetCurrentCommandId(true);
	rri = makeNode(ResultRelInfo);
	InitResultRelInfo(rri, rel, 0, NULL, 0);
	ExecOpenIndices(rri, false);
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
	ExecClearTuple(slot);
	slot->tts_values[0] = values[0];
	slot->tts_isnull[0] = false;
	slot->tts_values[1] = FullTransactionIdGetDatum(GetTopFullTransactionId());
	slot->tts_isnull[1] = false;
	slot->tts_values[2] = values[1];
	slot->tts_isnull[2] = nulls[1] == 'n';
	slot->tts_values[3] = Int64GetDatum(nextval_internal(seq, false));
	slot->tts_isnull[3] = false;
	slot->tts_values[4] = values[2];
	slot->tts_isnull[4] = nulls[2] == 'n';
	slot->tts_values[5] = values[4];
	slot->tts_isnull[5] = false;
	ExecStoreVirtualTuple(slot);
	/* (the checks prepared before, when they are: ExecConstraints prepares them when not) */
	rri->ri_ConstraintExprs = checks_prepared(rel);
	if (rri->ri_ConstraintExprs != NULL)
	{
		checks.busy = true;
		PG_TRY();
		{
			ExecSimpleRelationInsert(rri, estate, slot);
		}
		PG_FINALLY();
		{
			checks.busy = false;
		}
		PG_END_TRY();
	}
	else
		ExecSimpleRelationInsert(rri, estate, slot);
	CommandCounterIncrement();
	ExecDropSingleTupleTableSlot(slot);
	ExecCloseIndices(rri);
	FreeExecutorState(estate);
	table_close(rel, NoLock);
	return true;
no:
	table_close(rel, RowExclusiveLock);
	return false;
}

/*
 * wc_change_append: records in input_change a change of table by op, of projects[0..np)
 * (in order) and the moments spans[0..m) (merged), without a statement (change_append);
 * false, with nothing written, when the table is not one written that way (the caller's
 * statement then records it).
 */
bool
wc_change_append(const char *table, char op, const int64 *projects, int np, const wc_span *spans, int m)
{
	Datum		values[5] = {0};
	char		nulls[5] = {' ', 'n', ' ', 'n', ' '};
	Datum	   *ids = palloc(Max(np, 1) * sizeof(Datum));

	for (int i = 0; i < np; i++)
		ids[i] = Int64GetDatum(projects[i]);
	values[0] = CStringGetTextDatum(table);
	if (m > 0)
	{
		values[1] = spans_multirange(spans, (size_t) m);
		nulls[1] = ' ';
	}
	values[2] = PointerGetDatum(construct_array_builtin(ids, np, INT8OID));
	values[4] = CharGetDatum(op);
	return change_append(values, nulls);
}

/* capture_mode_arg: the trigger's argument. */
static capture_mode
capture_mode_arg(TriggerData *td)
{
	if (td->tg_trigger->tgnargs == 1)
		for (int m = 0; m < MODE_COUNT; m++)
			if (strcmp(td->tg_trigger->tgargs[0], mode_names[m]) == 0)
				return (capture_mode) m;
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("wagecheck._input_changed() needs one argument: none, project, sheet, line, account or worker")));
	return MODE_NONE;			/* not reached */
}

/* The body of wagecheck_input_changed(). */
static Datum
input_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = wc_trigger_data(fcinfo, FN);
	TupleDesc	desc;
	capture_mode mode;
	capture_buf spans,
				keys,
				keys2;
	int			key = 0,
				key2 = 0;
	bool		truncate;
	Datum		values[5] = {0};
	char		nulls[5] = {' ', 'n', 'n', 'n', ' '};
	MemoryContext cxt,
				old;

	/*
	 * (every event is allowed: only an AFTER statement-level firing is let through, the
	 * message's translation looked up only when it is refused - looking it up costs more
	 * than the rest of the check)
	 */
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		wc_trigger_when(td, FN, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE | WC_TG_TRUNCATE,
						gettext_noop("an AFTER ... FOR EACH STATEMENT"));
	wc_trigger_on_own_table(td, FN);
	mode = capture_mode_arg(td);
	truncate = TRIGGER_FIRED_BY_TRUNCATE(td->tg_event);
	/*
	 * the balances the enforcing trigger writes after each statement of movements change
	 * nothing a rule reads: the movements' own capture records their projects and moments,
	 * and AC06 sums the movements, not the balance
	 */
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) && wc_flushing() &&
		strcmp(RelationGetRelationName(td->tg_relation), "wage_account") == 0)
		return PointerGetDatum(NULL);
	if (!truncate)
	{
		/* a statement that wrote no row changed nothing */
		Tuplestorestate *rows = TRIGGER_FIRED_BY_DELETE(td->tg_event) ? td->tg_oldtable : td->tg_newtable;

		if (rows == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("wagecheck._input_changed() needs the statement's transition table (REFERENCING NEW TABLE / OLD TABLE)")));
		if (tuplestore_tuple_count(rows) == 0)
			return PointerGetDatum(NULL);
	}

	cxt = AllocSetContextCreate(CurrentMemoryContext, "wagecheck change capture", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	desc = RelationGetDescr(td->tg_relation);
	buf_init(&spans, true);
	buf_init(&keys, false);
	buf_init(&keys2, false);
	if (truncate)
		mode = MODE_NONE;		/* every row, every project */
	else
	{
		if (mode != MODE_NONE)
		{
			key = attnum_of(td->tg_relation, mode_keys[mode]);
			if (key == 0)
				ereport(ERROR,
						(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						 errmsg("table %s has no column %s for wagecheck._input_changed('%s')",
								RelationGetRelationName(td->tg_relation), mode_keys[mode], mode_names[mode])));
			if (mode == MODE_SHEET)
				key2 = attnum_of(td->tg_relation, "corrects_line_id");
		}
		/* moments from the new rows; projects from the new rows and the old ones */
		if (td->tg_newtable != NULL && !TRIGGER_FIRED_BY_DELETE(td->tg_event))
			scan_rows(td->tg_newtable, desc, &spans, key, &keys, key2, &keys2);
		if (td->tg_oldtable != NULL && !TRIGGER_FIRED_BY_INSERT(td->tg_event) && mode != MODE_NONE)
			scan_rows(td->tg_oldtable, desc, NULL, key, &keys, key2, &keys2);
		buf_compact(&spans);	/* (its multirange is built only when the change is written) */
		/*
		 * the new lines' sheets, the payments' lines or the movements' accounts whose projects
		 * the enforcing trigger read (taken by every statement that may use them: none is left
		 * for a later one); not for lines that correct others, whose projects it did not read
		 */
		if (TRIGGER_FIRED_BY_INSERT(td->tg_event) &&
			(mode == MODE_SHEET || mode == MODE_LINE || mode == MODE_ACCOUNT))
		{
			int64	   *projects;
			int			np;

			buf_compact(&keys);
			if (wc_enforced_take(RelationGetRelid(td->tg_relation),
								 mode == MODE_SHEET ? 's' : mode == MODE_LINE ? 'l' : 'a', td->tg_newtable,
								 (int64 *) keys.items, (int) keys.n, &projects, &np) &&
				keys2.n == 0)
			{
				keys.items = projects;
				keys.n = keys.cap = (size_t) np;
				mode = MODE_PROJECT;
			}
		}
		/* a few sheets, lines or accounts: their projects read by key, and remembered as the rows' own */
		if ((mode == MODE_SHEET || mode == MODE_LINE || mode == MODE_ACCOUNT) &&
			keys.n + keys2.n <= PROBE_MAX_KEYS)
		{
			capture_buf projects;

			buf_init(&projects, false);
			if (projects_by_key(mode, &keys, &keys2, &projects))
			{
				keys = projects;
				keys2.n = 0;
				mode = MODE_PROJECT;
			}
		}
		if (mode != MODE_NONE)
		{
			values[2] = ids_array(&keys);
			values[3] = ids_array(&keys2);
			nulls[2] = nulls[3] = ' ';
		}
	}
	values[0] = CStringGetTextDatum(RelationGetRelationName(td->tg_relation));
	values[4] = CharGetDatum(truncate ? 't' :
							 TRIGGER_FIRED_BY_INSERT(td->tg_event) ? 'i' :
							 TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? 'u' : 'd');
	/* the rows' projects and moments recorded already in this transaction: nothing to add */
	if (mode == MODE_PROJECT &&
		wc_change_recorded(RelationGetRelationName(td->tg_relation), DatumGetChar(values[4]),
						   (int64 *) keys.items, (int) keys.n, (wc_span *) spans.items, (int) spans.n))
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(cxt);
		return PointerGetDatum(NULL);
	}

	if (spans.n > 0)
	{
		values[1] = spans_multirange((wc_span *) spans.items, spans.n);
		nulls[1] = ' ';
	}
	/* what names no project or its own: written without a statement */
	if ((mode == MODE_PROJECT || mode == MODE_NONE) && change_append(values, nulls))
		goto recorded;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	wc_trigger_sql_settings();
	if (mode_plans[mode] == NULL)
	{
		Oid			types[5] = {TEXTOID, TSTZMULTIRANGEOID, INT8ARRAYOID, INT8ARRAYOID, CHAROID};
		/* a generic plan: a custom one (cheaper-looking for an array of keys) is planned on every call */
		SPIPlanPtr	plan = SPI_prepare_cursor(mode_sql[mode], 5, types, CURSOR_OPT_GENERIC_PLAN);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		mode_plans[mode] = plan;
	}
	if (SPI_execute_plan(mode_plans[mode], values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "wagecheck: recording the change of %s failed", RelationGetRelationName(td->tg_relation));
	SPI_finish();
recorded:
	if (mode == MODE_PROJECT)
		wc_change_note(RelationGetRelationName(td->tg_relation), DatumGetChar(values[4]),
					   (int64 *) keys.items, (int) keys.n, (wc_span *) spans.items, (int) spans.n);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(wagecheck_input_changed);
/* Change capture trigger: records a statement's table, moments and projects in wagecheck.input_change. */
Datum
wagecheck_input_changed(PG_FUNCTION_ARGS)
{
	return wc_trigger_run_as_owner(input_changed, fcinfo, 0);
}
