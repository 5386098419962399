/*
 * mirror_one.c — a one-row INSERT into a mirrored table, written without its
 * statement's reading of the transition table: the row's values are read in C
 * (the same normalizing, date and number reading as wagecheck._mirror_text and
 * _mirror_moment), its project and worker found through the unique indexes of
 * wagecheck.project (code) and wagecheck.worker (resident_id), and the row with
 * its mirror_ref row written by one small prepared statement (the same INSERT
 * into wagecheck's table, its triggers and keys, and the same ON CONFLICT on
 * mirror_ref as the statement of many rows).
 *
 * Only the happy path is taken here: a value this code does not read exactly as
 * the statement would (an empty required value, one that reads as nothing, a
 * project or worker not found by its code or ID, a column of another type, a
 * role with a value map) sends the row to the statement of many rows, which
 * refuses it or records it as a violation as before. The mapping each trigger's
 * path is built from is read once per backend and trigger and forgotten on a
 * relcache invalidation of any table it reads (src/catalog_watch.c).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "storage/lmgr.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/relcache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "catalog_watch.h"
#include "core/normalize.h"
#include "enforce/enforce.h"

extern Datum is_valid_resident_id(PG_FUNCTION_ARGS);
extern Datum resident_id_from_text(PG_FUNCTION_ARGS);
extern Datum is_valid_bank_card(PG_FUNCTION_ARGS);
extern Datum is_valid_credit_code(PG_FUNCTION_ARGS);
extern Datum is_valid_division_code(PG_FUNCTION_ARGS);

#define ONE_ROLES 20
#define PROJ_NONE (-1)
#define PROJ_NEW (-2)
#define PROJ_ACCOUNT (-3)
#define PROJ_LINE (-4)

typedef enum one_how
{
	H_TEXT,						/* _mirror_text(v, false) */
	H_IDENT,					/* _mirror_text(v, true) */
	H_NUMERIC,					/* a plain number, compact */
	H_MONEY,					/* a plain number, blanks and commas dropped */
	H_DATE,						/* _mirror_moment(v)::date */
	H_TIME,						/* _mirror_moment(v)::timestamptz */
	H_PROJECT,					/* wagecheck.project by its code */
	H_WORKER,					/* wagecheck.worker by the resident ID */
	H_ACCOUNT,					/* wagecheck.wage_account by its number */
	H_DIRECTION,				/* a direction word, by the value map's patterns */
	H_PURPOSE,					/* a purpose word, by the value map's patterns */
	H_METHOD,					/* a payment method word */
	H_IDENT_CHECKED,			/* a resident ID, bank card, credit or division code: compact, checked */
	H_REF						/* a pay sheet, line or movement by its mirrored key */
} one_how;

typedef struct one_role
{
	AttrNumber	att;			/* the legacy column */
	char	   *column;			/* its name, checked again at each use */
	one_how		how;
	bool		required;
	const char *const *pa;		/* a word's patterns (in or wage, out or cash), NULL the defaults */
	const char *const *pb;
	PGFunction	valid;			/* H_IDENT_CHECKED: the check of the identifier */
	const char *ref_kind;		/* H_REF: the kind named, and the id field of its mirror_ref target */
	const char *ref_field;
} one_role;

/* The one-row path of one mirroring trigger. */
typedef struct mirror_one
{
	Oid			tgoid;
	Oid			source;
	int			state;			/* 0 not read yet, 1 usable, -1 not for this table */
	AttrNumber	keyatt;
	char	   *keycol;
	bool		key_int;
	int			nroles;
	one_role	roles[ONE_ROLES];
	Oid			project_code_idx;	/* the unique indexes probed, InvalidOid when unused */
	Oid			worker_rid_idx;
	Oid			account_no_idx;
	Oid			ref_key_idx;	/* mirror_ref_key */
	Oid			line_idx;		/* the primary keys of pay_line and pay_sheet */
	Oid			sheet_idx;
	int			line_role;		/* the role of the pay line (PROJ_LINE) */
	int64		account_project;	/* the project of the account found for the row */
	Oid			relids[8];		/* what the path was built from: the source, the target, project, worker, mirror_ref,
								 * wage_account, pay_line, pay_sheet */
	Oid			seq;			/* the sequence of the target's id, InvalidOid for a natural key */
	char	   *idcol;
	char	   *kind;
	int			proj;			/* mirror_ref's project: the role of that index, PROJ_NONE or PROJ_NEW */
	int			nkeys;			/* a natural key: its columns and the role of each */
	char	   *keycols[4];
	int			keyroles[4];
	SPIPlanPtr	plan;			/* the INSERT into wagecheck's table: $1.. the roles, then the new id */
	struct mirror_one *next;
} mirror_one;

static mirror_one *all_one = NULL;

/* mirror_invalidate: the one-row paths built from relid (any, for InvalidOid) are built again at their next use. */
static void
mirror_invalidate(Oid relid)
{
	for (mirror_one *o = all_one; o != NULL; o = o->next)
	{
		if (o->state == 0)
			continue;
		for (int i = 0; i < 8; i++)
			if (!OidIsValid(relid) || o->relids[i] == relid)
			{
				o->state = 0;
				break;
			}
	}
}

/* unique_index: the valid unique btree index of relid on its one column col, InvalidOid when there is none. */
static Oid
unique_index(Oid relid, const char *col)
{
	Relation	rel = table_open(relid, AccessShareLock);
	AttrNumber	att = get_attnum(relid, col);
	List	   *idx = RelationGetIndexList(rel);
	ListCell   *lc;
	Oid			found = InvalidOid;

	foreach(lc, idx)
	{
		Relation	ir = index_open(lfirst_oid(lc), AccessShareLock);

		if (ir->rd_index->indisunique && ir->rd_index->indisvalid && ir->rd_index->indimmediate &&
			ir->rd_index->indnkeyatts == 1 && ir->rd_index->indkey.values[0] == att &&
			RelationGetIndexExpressions(ir) == NIL && RelationGetIndexPredicate(ir) == NIL && ir->rd_rel->relam == BTREE_AM_OID)
			found = RelationGetRelid(ir);
		index_close(ir, AccessShareLock);
		if (OidIsValid(found))
			break;
	}
	list_free(idx);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * probe: the bigint column result of the row of table (the index's table) whose indexed
 * column equals key, read as the statement would read it (the transaction's snapshot),
 * and its bigint column result2 into out2 when asked; false when there is none.
 */
static bool
probe2(Oid indexoid, Datum key, const char *result, int64 *out, const char *result2, int64 *out2)
{
	Relation	ir = index_open(indexoid, AccessShareLock);
	Relation	rel = table_open(ir->rd_index->indrelid, AccessShareLock);
	AttrNumber	ratt = get_attnum(RelationGetRelid(rel), result);
	Oid			eq = get_opfamily_member(ir->rd_opfamily[0], ir->rd_opcintype[0], ir->rd_opcintype[0],
										 BTEqualStrategyNumber);
	ScanKeyData sk;
	Snapshot	snap;
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	IndexScanDesc scan;
	bool		found = false,
				isnull;

	/* as the statement would see it: after the command counter's step SPI takes before a statement */
	CommandCounterIncrement();
	snap = RegisterSnapshot(GetTransactionSnapshot());
	/* (a table whose row security binds its owner too: read by the statement) */
	if (OidIsValid(eq) && ratt > 0 && !rel->rd_rel->relforcerowsecurity)
	{
		ScanKeyInit(&sk, 1, BTEqualStrategyNumber, get_opcode(eq), key);
		sk.sk_collation = ir->rd_indcollation[0];
		scan = index_beginscan(rel, ir, snap, 1, 0);
		index_rescan(scan, &sk, 1, NULL, 0);
		if (index_getnext_slot(scan, ForwardScanDirection, slot))
		{
			Datum		v = slot_getattr(slot, ratt, &isnull);

			if (!isnull)
			{
				*out = DatumGetInt64(v);
				found = true;
			}
			if (found && result2 != NULL)
			{
				AttrNumber	r2 = get_attnum(RelationGetRelid(rel), result2);

				v = r2 > 0 ? slot_getattr(slot, r2, &isnull) : (Datum) 0;
				if (r2 <= 0 || isnull)
					found = false;
				else
					*out2 = DatumGetInt64(v);
			}
		}
		index_endscan(scan);
	}
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snap);
	table_close(rel, AccessShareLock);
	index_close(ir, AccessShareLock);
	return found;
}

static bool
probe(Oid indexoid, Datum key, const char *result, int64 *out)
{
	return probe2(indexoid, key, result, out, NULL, NULL);
}

/*
 * probe_ref: the id field of the target of the row mirrored from key as kind, from the
 * first source (by oid) that has one, as _mirror_sql's lookup (kind, source_key) ORDER BY
 * source LIMIT 1 reads it; false when there is none or it has no such id.
 */
static bool
probe_ref(Oid indexoid, const char *kind, const char *key, const char *field, int64 *out)
{
	Relation	ir = index_open(indexoid, AccessShareLock);
	Relation	rel = table_open(ir->rd_index->indrelid, AccessShareLock);
	AttrNumber	satt = get_attnum(RelationGetRelid(rel), "source"),
				tatt = get_attnum(RelationGetRelid(rel), "target");
	ScanKeyData sk[2];
	Snapshot	snap;
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	IndexScanDesc scan;
	Oid			best = InvalidOid;
	Datum		target = (Datum) 0;
	bool		isnull,
				found = false;

	CommandCounterIncrement();
	snap = RegisterSnapshot(GetTransactionSnapshot());
	ScanKeyInit(&sk[0], 1, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(kind));
	sk[0].sk_collation = ir->rd_indcollation[0];
	ScanKeyInit(&sk[1], 2, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(key));
	sk[1].sk_collation = ir->rd_indcollation[1];
	scan = index_beginscan(rel, ir, snap, 2, 0);
	index_rescan(scan, sk, 2, NULL, 0);
	while (!rel->rd_rel->relforcerowsecurity && index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		Oid			src = DatumGetObjectId(slot_getattr(slot, satt, &isnull));

		if (isnull || (OidIsValid(best) && src >= best))
			continue;
		best = src;
		target = datumCopy(slot_getattr(slot, tatt, &isnull), false, -1);
		if (isnull)
			target = (Datum) 0;
	}
	index_endscan(scan);
	if (OidIsValid(best) && target != (Datum) 0)
	{
		/* (target ->> field)::bigint of an integer written by jsonb_build_object; any other to the statement */
		Jsonb	   *jb = DatumGetJsonbP(target);
		JsonbValue	vbuf;
		JsonbValue *v = JB_ROOT_IS_OBJECT(jb) ?
			getKeyJsonValueFromContainer(&jb->root, field, strlen(field), &vbuf) : NULL;

		if (v != NULL && v->type == jbvNumeric)
		{
			char	   *txt = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
			char	   *c = txt + (txt[0] == '-' ? 1 : 0);

			found = *c != '\0' && strspn(c, "0123456789") == strlen(c) && strlen(c) <= 18;
			if (found)
				*out = strtoi64(txt, NULL, 10);
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snap);
	table_close(rel, AccessShareLock);
	index_close(ir, AccessShareLock);
	return found;
}

static bool
is_text_type(Oid t)
{
	return t == TEXTOID || t == VARCHAROID;
}

static bool
is_number_type(Oid t)
{
	return t == NUMERICOID || t == INT2OID || t == INT4OID || t == INT8OID;
}

/* index_of: wagecheck.<table>'s unique index on col, the table kept in o->relids[slot]; InvalidOid when none. */
static Oid
index_of(mirror_one *o, int slot, Oid nsp, const char *table, const char *col)
{
	o->relids[slot] = get_relname_relid(table, nsp);
	return OidIsValid(o->relids[slot]) ? unique_index(o->relids[slot], col) : InvalidOid;
}

/* ref_key_index: indexoid is mirror_ref's btree on (kind, source_key), as _mirror_sql's lookups read it. */
static bool
ref_key_index(Oid indexoid, Oid mirror_ref)
{
	Relation	ir;
	bool		ok;

	if (!OidIsValid(indexoid) || !OidIsValid(mirror_ref))
		return false;
	ir = index_open(indexoid, AccessShareLock);
	ok = ir->rd_index->indrelid == mirror_ref && ir->rd_rel->relam == BTREE_AM_OID &&
		ir->rd_index->indnkeyatts == 2 && RelationGetIndexExpressions(ir) == NIL &&
		ir->rd_index->indkey.values[0] == get_attnum(mirror_ref, "kind") &&
		ir->rd_index->indkey.values[1] == get_attnum(mirror_ref, "source_key") &&
		ir->rd_opcintype[0] == TEXTOID && ir->rd_opcintype[1] == TEXTOID && ir->rd_index->indisvalid;
	index_close(ir, AccessShareLock);
	return ok;
}

/*
 * build: the one-row path of the trigger, from its mapping (wagecheck.mirror) and the
 * kind's roles (_mirror_roles): usable when the kind's mirror_ref project is a mapped
 * project (or none, or the new row's own id), each mapped role a text column read one
 * of the ways above, and no role computed from others. SPI connected.
 */
static void
build(mirror_one *o, Relation src)
{
	Oid			types[1] = {OIDOID};
	Datum		vals[1] = {ObjectIdGetDatum(o->source)};
	StringInfoData cols,
				exprs;
	char	   *kind,
			   *mode,
			   *tgt,
			   *idcol = NULL,
			   *seq = NULL,
			   *proj = NULL;
	TupleDesc	desc = RelationGetDescr(src);
	Oid			ptypes[1 + ONE_ROLES];
	char	   *ptarget[ONE_ROLES];
	bool		isnull;
	int			n,
				i;
	char	   *sql;
	SPIPlanPtr	plan;
	Oid			nsp = get_namespace_oid("wagecheck", false);

	o->state = -1;
	o->nroles = 0;
	if (o->plan != NULL)
	{
		SPI_freeplan(o->plan);
		o->plan = NULL;
	}
	o->relids[0] = o->source;
	o->relids[4] = get_relname_relid("mirror_ref", nsp);
	if (SPI_execute_with_args("SELECT m.kind, m.mode, k.target, k.id_column,"
							  " pg_catalog.pg_get_serial_sequence('wagecheck.' || pg_catalog.quote_ident(k.target), k.id_column),"
							  " pg_catalog.jsonb_typeof(m.columns -> 'key'), m.columns ->> 'key'"
							  " FROM wagecheck.mirror m JOIN wagecheck._mirror_kinds() k ON k.kind = m.kind"
							  " WHERE m.source = $1", 1, types, vals, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		return;
	kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	mode = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	tgt = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
	idcol = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4);
	seq = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5);
	if (idcol != NULL && seq == NULL)
		return;
	{
		char	   *ktype = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 6);
		char	   *kcol = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 7);
		AttrNumber	ka;
		Oid			kt;

		if (ktype == NULL || strcmp(ktype, "string") != 0 || kcol == NULL)
			return;
		ka = get_attnum(o->source, kcol);
		if (ka <= 0)
			return;
		kt = TupleDescAttr(desc, ka - 1)->atttypid;
		if (kt != INT2OID && kt != INT4OID && kt != INT8OID && !is_text_type(kt))
			return;
		o->keyatt = ka;
		o->key_int = !is_text_type(kt);
		o->keycol = MemoryContextStrdup(TopMemoryContext, kcol);
	}
	/* the project of the mirror_ref row: the kinds whose project is not found through another row */
	if (strcmp(kind, "pay_line") == 0)
		return;
	o->line_role = -1;
	o->relids[1] = get_relname_relid(tgt, nsp);
	if (!OidIsValid(o->relids[1]))
		return;

	/*
	 * each role: how it is mapped, its column, and for a value map of words ({"column": c,
	 * "in": [...], "out": [...]}, or wage and cash) its patterns as _mirror_sql reads them
	 */
	if (SPI_execute_with_args("SELECT r.role, r.target, r.how, r.required, r.fallback, pg_catalog.jsonb_typeof(j.map),"
							  " CASE pg_catalog.jsonb_typeof(j.map) WHEN 'string' THEN j.map #>> '{}' WHEN 'object' THEN j.map ->> 'column' END,"
							  " pg_catalog.jsonb_typeof(j.map) = 'object' AND (r.how NOT IN ('direction', 'purpose') OR EXISTS"
							  "  (SELECT FROM pg_catalog.jsonb_object_keys(j.map) k WHERE k NOT IN ('column', 'in', 'out', 'wage', 'cash'))),"
							  " (SELECT pg_catalog.array_agg(e) FROM pg_catalog.jsonb_array_elements_text(CASE pg_catalog.jsonb_typeof(j.map -> j.a)"
							  "  WHEN 'array' THEN j.map -> j.a WHEN 'string' THEN pg_catalog.jsonb_build_array(j.map -> j.a) END) e),"
							  " (SELECT pg_catalog.array_agg(e) FROM pg_catalog.jsonb_array_elements_text(CASE pg_catalog.jsonb_typeof(j.map -> j.b)"
							  "  WHEN 'array' THEN j.map -> j.b WHEN 'string' THEN pg_catalog.jsonb_build_array(j.map -> j.b) END) e)"
							  " FROM wagecheck.mirror m, wagecheck._mirror_roles(m.kind) r,"
							  " LATERAL (SELECT m.columns -> r.role AS map, CASE r.how WHEN 'direction' THEN 'in' ELSE 'wage' END AS a,"
							  "                 CASE r.how WHEN 'direction' THEN 'out' ELSE 'cash' END AS b) j"
							  " WHERE m.source = $1",
							  1, types, vals, NULL, true, 0) != SPI_OK_SELECT)
		return;
	initStringInfo(&cols);
	initStringInfo(&exprs);
	n = 0;
	o->proj = PROJ_NONE;
	for (i = 0; i < (int) SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		char	   *role = SPI_getvalue(tup, td, 1);
		char	   *tcol = SPI_getvalue(tup, td, 2);
		char	   *how = SPI_getvalue(tup, td, 3);
		bool		required = DatumGetBool(SPI_getbinval(tup, td, 4, &isnull));
		char	   *fb = SPI_getvalue(tup, td, 5);
		char	   *mtype = SPI_getvalue(tup, td, 6);
		char	   *mcol = SPI_getvalue(tup, td, 7);
		one_role   *r;
		AttrNumber	a;
		const char *param;

		if (fb != NULL && strncmp(fb, "s.", 2) == 0)
			return;				/* computed from other roles */
		if (fb != NULL && strcmp(fb, "MODE") == 0)
			fb = quote_literal_cstr(mode);
		if (mtype == NULL)
		{
			/* not mapped: the statement's value (the moment of the write, the default) */
			if (required)
				return;
			if (strcmp(how, "time") == 0)
				appendStringInfo(&cols, ", %s", quote_identifier(tcol)), appendStringInfoString(&exprs, ", pg_catalog.now()");
			else if (fb != NULL)
				appendStringInfo(&cols, ", %s", quote_identifier(tcol)), appendStringInfo(&exprs, ", %s", fb);
			continue;
		}
		if ((strcmp(mtype, "string") != 0 && strcmp(mtype, "object") != 0) || mcol == NULL || n >= ONE_ROLES ||
			DatumGetBool(SPI_getbinval(tup, td, 8, &isnull)))
			return;
		a = get_attnum(o->source, mcol);
		if (a <= 0)
			return;
		/*
		 * a text column; or a number's (its text, a plain number when not negative, is what
		 * the statement's n.c::numeric of a value >= 0 gives; any other goes to the statement)
		 */
		if (!is_text_type(TupleDescAttr(desc, a - 1)->atttypid) &&
			!(is_number_type(TupleDescAttr(desc, a - 1)->atttypid) &&
			  (strcmp(how, "numeric") == 0 || strcmp(how, "money") == 0)))
			return;
		r = &o->roles[n];
		r->att = a;
		r->column = MemoryContextStrdup(TopMemoryContext, mcol);
		r->required = required;
		if (strcmp(how, "text") == 0)
			r->how = H_TEXT, ptypes[n] = TEXTOID;
		else if (strcmp(how, "ident") == 0)
			r->how = H_IDENT, ptypes[n] = TEXTOID;
		else if (strcmp(how, "numeric") == 0)
			r->how = H_NUMERIC, ptypes[n] = NUMERICOID;
		else if (strcmp(how, "money") == 0)
			r->how = H_MONEY, ptypes[n] = NUMERICOID;
		else if (strcmp(how, "date") == 0)
			r->how = H_DATE, ptypes[n] = DATEOID;
		else if (strcmp(how, "time") == 0)
			r->how = H_TIME, ptypes[n] = TIMESTAMPTZOID;
		else if (strcmp(how, "project") == 0)
		{
			r->how = H_PROJECT, ptypes[n] = INT8OID;
			o->project_code_idx = index_of(o, 2, nsp, "project", "code");
			if (!OidIsValid(o->project_code_idx))
				return;
		}
		else if (strcmp(how, "direction") == 0 || strcmp(how, "purpose") == 0)
		{
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
			Datum		pa = SPI_getbinval(tup, td, 9, &isnull);
			bool		pb_null;
			Datum		pb = SPI_getbinval(tup, td, 10, &pb_null);
			bool		dir = strcmp(how, "direction") == 0;

			r->how = dir ? H_DIRECTION : H_PURPOSE, ptypes[n] = TEXTOID;
			r->pa = wc_mirror_patterns(isnull ? NULL : DatumGetArrayTypeP(pa), how, dir ? "in" : "wage");
			r->pb = wc_mirror_patterns(pb_null ? NULL : DatumGetArrayTypeP(pb), how, dir ? "out" : "cash");
			MemoryContextSwitchTo(old);
		}
		else if (strcmp(how, "method") == 0)
			r->how = H_METHOD, ptypes[n] = TEXTOID;
		else if (strcmp(how, "resident_id") == 0 || strcmp(how, "bank_card") == 0 ||
				 strcmp(how, "credit_code") == 0 || strcmp(how, "division") == 0)
		{
			r->how = H_IDENT_CHECKED, ptypes[n] = TEXTOID;
			r->valid = how[0] == 'r' ? is_valid_resident_id : how[0] == 'b' ? is_valid_bank_card :
				how[0] == 'c' ? is_valid_credit_code : is_valid_division_code;
		}
		else if (strcmp(how, "sheet") == 0 || strcmp(how, "line") == 0 || strcmp(how, "txn") == 0)
		{
			Oid			ki = get_relname_relid("mirror_ref_key", nsp);

			r->how = H_REF, ptypes[n] = INT8OID;
			r->ref_kind = how[0] == 's' ? "pay_sheet" : how[0] == 'l' ? "pay_line" : "account_txn";
			r->ref_field = how[0] == 's' ? "sheet_id" : how[0] == 'l' ? "line_id" : "txn_id";
			if (!ref_key_index(ki, o->relids[4]))
				return;
			o->ref_key_idx = ki;
			if (how[0] == 'l')
			{
				/* a payment's project: its line's sheet's */
				o->line_idx = index_of(o, 6, nsp, "pay_line", "line_id");
				o->sheet_idx = index_of(o, 7, nsp, "pay_sheet", "sheet_id");
				if (!OidIsValid(o->line_idx) || !OidIsValid(o->sheet_idx))
					return;
				o->line_role = n;
			}
		}
		else if (strcmp(how, "account") == 0)
		{
			r->how = H_ACCOUNT, ptypes[n] = INT8OID;
			o->account_no_idx = index_of(o, 5, nsp, "wage_account", "account_no");
			if (!OidIsValid(o->account_no_idx) || strcmp(kind, "account_txn") != 0)
				return;
			o->proj = PROJ_ACCOUNT;
		}
		else if (strcmp(how, "worker") == 0)
		{
			r->how = H_WORKER, ptypes[n] = INT8OID;
			o->worker_rid_idx = index_of(o, 3, nsp, "worker", "resident_id");
			if (!OidIsValid(o->worker_rid_idx))
				return;
		}
		else
			return;
		ptarget[n] = pstrdup(tcol);
		param = psprintf("$%d", 1 + n);
		appendStringInfo(&cols, ", %s", quote_identifier(tcol));
		if (strcmp(how, "time") == 0)
			appendStringInfo(&exprs, ", COALESCE(%s, pg_catalog.now())", param);
		else if (fb != NULL)
			appendStringInfo(&exprs, ", COALESCE(%s, %s)", param, fb);
		else
			appendStringInfo(&exprs, ", %s", param);
		if (strcmp(role, "project") == 0)
			proj = pstrdup(param), o->proj = n;
		n++;
	}
	if (n == 0)
		return;
	/* mirror_ref's project and target, as _mirror_sql writes them */
	if (strcmp(kind, "worker") == 0 || strcmp(kind, "enterprise") == 0)
		o->proj = PROJ_NONE;
	else if (strcmp(kind, "project") == 0)
		o->proj = PROJ_NEW;
	else if (strcmp(kind, "account_txn") == 0)
	{
		if (o->proj != PROJ_ACCOUNT)
			return;
	}
	else if (strcmp(kind, "wage_payment") == 0)
	{
		if (o->line_role < 0)
			return;
		o->proj = PROJ_LINE;
	}
	else if (proj == NULL)
		return;
	o->nkeys = 0;
	if (idcol == NULL)
	{
		Datum		kcs;
		Datum	   *elems;
		bool	   *enulls;
		int			nk;

		/* the key columns of the kind, each a mapped role */
		if (SPI_execute_with_args("SELECT k.key_columns FROM wagecheck.mirror m JOIN wagecheck._mirror_kinds() k"
								  " ON k.kind = m.kind WHERE m.source = $1", 1, types, vals, NULL, true, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			return;
		kcs = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (isnull)
			return;
		deconstruct_array(DatumGetArrayTypeP(kcs), TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &nk);
		if (nk < 1 || nk > 4)
			return;
		for (int k = 0; k < nk; k++)
		{
			char	   *c = TextDatumGetCString(elems[k]);
			int			j;

			for (j = 0; j < n; j++)
				if (strcmp(ptarget[j], c) == 0)
					break;
			if (j == n || !o->roles[j].required)
				return;
			o->keycols[k] = MemoryContextStrdup(TopMemoryContext, c);
			o->keyroles[k] = j;
		}
		o->nkeys = nk;
		o->seq = InvalidOid;
	}
	else
	{
		o->seq = DatumGetObjectId(DirectFunctionCall1(regclassin, CStringGetDatum(seq)));
		o->idcol = MemoryContextStrdup(TopMemoryContext, idcol);
		ptypes[n] = INT8OID;
	}
	o->kind = MemoryContextStrdup(TopMemoryContext, kind);
	sql = psprintf("INSERT INTO wagecheck.%s (%s%s) VALUES (%s%s)", quote_identifier(tgt),
				   idcol != NULL ? quote_identifier(idcol) : "", idcol != NULL ? cols.data : cols.data + 2,
				   idcol != NULL ? psprintf("$%d", n + 1) : "", idcol != NULL ? exprs.data : exprs.data + 2);
	plan = SPI_prepare(sql, n + (idcol != NULL ? 1 : 0), ptypes);
	if (plan == NULL)
		elog(ERROR, "wagecheck: the one-row statement of a mirrored table could not be prepared: %s",
			 SPI_result_code_string(SPI_result));
	SPI_keepplan(plan);
	o->plan = plan;
	o->nroles = n;
	o->state = 1;
}

/* plain_number: s (len bytes) is [+]digits[.digits], as the statements' pattern ^[+]?[0-9]+([.][0-9]+)?$ */
static bool
plain_number(const char *s, size_t len)
{
	size_t		i = 0,
				d;

	if (i < len && s[i] == '+')
		i++;
	for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return false;
	if (i == len)
		return true;
	if (s[i] != '.')
		return false;
	for (d = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i > d && i == len;
}

/* norm: v normalized as _mirror_text(v, compact); NULL when nothing is left. */
static char *
norm(const char *v, size_t len, bool compact)
{
	char	   *out = palloc(len + 1);
	size_t		n = wc_normalize(v, len, compact ? WC_NORM_COMPACT : 0, out, len + 1);

	if (n > len)
	{
		out = repalloc(out, n + 1);
		n = wc_normalize(v, len, compact ? WC_NORM_COMPACT : 0, out, n + 1);
	}
	if (n == 0)
		return NULL;
	out[n] = '\0';
	return out;
}

/* moment: _mirror_moment(v); false when it reads as none. */
static bool
moment(const char *v, size_t len, Timestamp *ts)
{
	int32		ymd,
				secs;

	if (!wc_parse_moment(v, len, &ymd, &secs))
		return false;
	*ts = ((Timestamp) (date2j(ymd / 10000, (ymd / 100) % 100, ymd % 100) - POSTGRES_EPOCH_JDATE) * SECS_PER_DAY
		   + secs) * USECS_PER_SEC;
	return IS_VALID_TIMESTAMP(*ts);
}

/*
 * resolve: the role's value of the row (text v, NULL for a NULL column) into *out; false
 * when it reads as nothing (the statement of many rows then refuses or records the row).
 */
static bool
resolve(mirror_one *o, one_role *r, const char *v, Datum *out, bool *isnull)
{
	size_t		len = v ? strlen(v) : 0;
	bool		raw_null = true;
	char	   *t;

	for (size_t i = 0; i < len; i++)
		if (v[i] != ' ')
		{
			raw_null = false;
			break;
		}
	*isnull = false;
	if (v == NULL)
		raw_null = true;
	if (r->how == H_DIRECTION || r->how == H_PURPOSE || r->how == H_METHOD)
	{
		/* the word of the value as it is, blanks or not (_mirror_word) */
		const char *w = v ? wc_mirror_word(r->how == H_DIRECTION ? "direction" : r->how == H_PURPOSE ? "purpose" : "method",
										   v, len, r->pa, r->pb) : NULL;

		if (w != NULL)
		{
			*out = CStringGetTextDatum(w);
			return true;
		}
		*isnull = true;
		return raw_null && !r->required;
	}
	if (raw_null)
	{
		/* nothing written: NULL (the statement's fallback), unless required */
		*isnull = true;
		return !r->required;
	}
	switch (r->how)
	{
		case H_TEXT:
		case H_IDENT:
			t = norm(v, len, r->how == H_IDENT);
			if (t == NULL)
				return false;
			*out = CStringGetTextDatum(t);
			return true;
		case H_NUMERIC:
		case H_MONEY:
			t = norm(v, len, r->how == H_NUMERIC);
			if (t == NULL)
				return false;
			if (r->how == H_MONEY)
			{
				char	   *w = t;

				for (char *c = t; *c; c++)
					if (*c != ' ' && *c != ',')
						*w++ = *c;
				*w = '\0';
			}
			if (!plain_number(t, strlen(t)))
				return false;
			*out = DirectFunctionCall3(numeric_in, CStringGetDatum(t), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
			return true;
		case H_DATE:
		case H_TIME:
			{
				Timestamp	ts;

				if (!moment(v, len, &ts))
					return false;
				*out = DirectFunctionCall1(r->how == H_DATE ? timestamp_date : timestamp_timestamptz, TimestampGetDatum(ts));
				return true;
			}
		case H_PROJECT:
			{
				int64		id;

				t = norm(v, len, false);
				if (t == NULL || !probe(o->project_code_idx, CStringGetTextDatum(t), "project_id", &id))
					return false;
				*out = Int64GetDatum(id);
				return true;
			}
		case H_ACCOUNT:
			{
				int64		id;

				t = norm(v, len, true);
				if (t == NULL || !probe2(o->account_no_idx, CStringGetTextDatum(t), "account_id", &id,
										 "project_id", &o->account_project))
					return false;
				*out = Int64GetDatum(id);
				return true;
			}
		case H_DIRECTION:
		case H_PURPOSE:
		case H_METHOD:
			return false;		/* read above */
		case H_IDENT_CHECKED:
			t = norm(v, len, true);
			if (t == NULL || !DatumGetBool(DirectFunctionCall1(r->valid, CStringGetTextDatum(t))))
				return false;
			*out = CStringGetTextDatum(t);
			return true;
		case H_REF:
			{
				int64		id;

				t = norm(v, len, false);
				if (t == NULL || !probe_ref(o->ref_key_idx, r->ref_kind, t, r->ref_field, &id))
					return false;
				*out = Int64GetDatum(id);
				return true;
			}
		case H_WORKER:
			{
				int64		id;
				Datum		x;

				t = norm(v, len, true);
				if (t == NULL)
					return false;
				x = CStringGetTextDatum(t);
				if (!DatumGetBool(DirectFunctionCall1(is_valid_resident_id, x)) ||
					!probe(o->worker_rid_idx, DirectFunctionCall1(resident_id_from_text, x), "worker_id", &id))
					return false;
				*out = Int64GetDatum(id);
				return true;
			}
	}
	return false;
}

/* column_text: the column att of slot as text (its output function), NULL for NULL. */
static char *
column_text(TupleTableSlot *slot, AttrNumber att)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);
	Oid			out;
	bool		varlena;

	if (isnull)
		return NULL;
	getTypeOutputInfo(TupleDescAttr(slot->tts_tupleDescriptor, att - 1)->atttypid, &out, &varlena);
	return OidOutputFunctionCall(out, d);
}

/* column_is: the column att of desc is still the one named col, of a type the path reads. */
static bool
column_is(TupleDesc desc, AttrNumber att, const char *col, bool text_only)
{
	Form_pg_attribute a;

	if (att < 1 || att > desc->natts)
		return false;
	a = TupleDescAttr(desc, att - 1);
	return !a->attisdropped && strcmp(NameStr(a->attname), col) == 0 &&
		(is_text_type(a->atttypid) || (!text_only && is_number_type(a->atttypid)));
}

/* json_value: v (of type typ) appended to buf as jsonb_build_object writes it. */
static void
json_value(StringInfo buf, Datum v, bool isnull, Oid typ)
{
	char		dt[MAXDATELEN + 1];

	if (isnull)
		appendStringInfoString(buf, "null");
	else if (typ == INT8OID)
		appendStringInfo(buf, INT64_FORMAT, DatumGetInt64(v));
	else if (typ == NUMERICOID)
		appendStringInfoString(buf, DatumGetCString(DirectFunctionCall1(numeric_out, v)));
	else if (typ == DATEOID || typ == TIMESTAMPTZOID)
		appendStringInfo(buf, "\"%s\"", JsonEncodeDateTime(dt, v, typ, NULL));
	else
		escape_json(buf, TextDatumGetCString(v));
}

/*
 * ref_write: the mirror_ref row (values in its columns' order) inserted without a
 * statement, as INSERT ... ON CONFLICT (source, source_key) inserts it: the primary key
 * checked first (a writer of the key in progress waited for), the row inserted
 * speculatively with every index kept, and checked again. False, with nothing written,
 * when the key has a row (the caller's statement then updates it, as ON CONFLICT DO
 * UPDATE would) or mirror_ref is not the plain table of those columns.
 */
static bool
ref_write(Oid relid, Datum *values, bool *isnull)
{
	static const char *const names[5] = {"source", "source_key", "kind", "project_id", "target"};
	static const Oid types[5] = {REGCLASSOID, TEXTOID, TEXTOID, INT8OID, JSONBOID};
	Relation	rel = table_open(relid, RowExclusiveLock);
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			pk = RelationGetPrimaryKeyIndex(rel);
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	List	   *arbiters;
	bool		written = false;

	if (rel->rd_rel->relkind != RELKIND_RELATION || rel->trigdesc != NULL || rel->rd_rules != NULL ||
		rel->rd_rel->relrowsecurity || rel->rd_rel->relispartition || desc->natts != 5 || !OidIsValid(pk))
	{
		table_close(rel, RowExclusiveLock);
		return false;
	}
	for (int i = 0; i < 5; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped || a->atttypid != types[i] || strcmp(NameStr(a->attname), names[i]) != 0)
		{
			table_close(rel, RowExclusiveLock);
			return false;
		}
	}
	estate = CreateExecutorState();
	estate->es_output_cid = GetCurrentCommandId(true);
	rri = makeNode(ResultRelInfo);
	InitResultRelInfo(rri, rel, 0, NULL, 0);
	ExecOpenIndices(rri, true);
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
	ExecClearTuple(slot);
	memcpy(slot->tts_values, values, sizeof(Datum) * 5);
	memcpy(slot->tts_isnull, isnull, sizeof(bool) * 5);
	ExecStoreVirtualTuple(slot);
	arbiters = list_make1_oid(pk);
	for (;;)
	{
		ItemPointerData conflict;
		uint32		token;
		bool		taken = false;
		List	   *recheck;

		if (!ExecCheckIndexConstraints(rri, slot, estate, &conflict, arbiters))
			break;
		if (rel->rd_att->constr)
			ExecConstraints(rri, slot, estate);
		token = SpeculativeInsertionLockAcquire(GetCurrentTransactionId());
		table_tuple_insert_speculative(rel, slot, estate->es_output_cid, 0, NULL, token);
		recheck = ExecInsertIndexTuples(rri, slot, estate, false, true, &taken, arbiters);
		table_tuple_complete_speculative(rel, slot, token, !taken);
		SpeculativeInsertionLockRelease(GetCurrentTransactionId());
		list_free(recheck);
		ResetPerTupleExprContext(estate);
		if (!taken)
		{
			written = true;
			break;
		}
	}
	list_free(arbiters);
	ExecDropSingleTupleTableSlot(slot);
	ExecCloseIndices(rri);
	FreeExecutorState(estate);
	table_close(rel, NoLock);
	if (written)
		CommandCounterIncrement();
	return written;
}

/*
 * wc_mirror_one: writes the one new row of a mirrored table's INSERT statement with its
 * mirror_ref row when every value of it resolves here; false, with nothing written, when
 * the statement of many rows is to write (or refuse) it. SPI connected, as the owner.
 */
bool
wc_mirror_one(TriggerData *td)
{
	Oid			tgoid = td->tg_trigger->tgoid;
	Relation	src = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(src);
	mirror_one *o;
	TupleTableSlot *slot;
	Datum		vals[1 + ONE_ROLES];
	char		nulls[1 + ONE_ROLES];
	bool		isnulls[1 + ONE_ROLES];
	Datum		ref[5];
	bool		refnull[5] = {false, false, false, false, false};
	StringInfoData json;
	char	   *k;
	bool		ok = true;
	int			readptr,
				rc;

	if (td->tg_newtable == NULL || tuplestore_tuple_count(td->tg_newtable) != 1)
		return false;
	for (o = all_one; o != NULL; o = o->next)
		if (o->tgoid == tgoid)
			break;
	if (o == NULL)
	{
		o = MemoryContextAllocZero(TopMemoryContext, sizeof(mirror_one));
		o->tgoid = tgoid;
		o->next = all_one;
		all_one = o;
	}
	o->source = RelationGetRelid(src);
	if (o->state == 0)
	{
		wc_relcache_subscribe(mirror_invalidate);
		build(o, src);
	}
	if (o->state != 1)
		return false;
	/* the columns as the path was built for them (a relcache invalidation also says so) */
	if (!column_is(desc, o->keyatt, o->keycol, !o->key_int) ||
		TupleDescAttr(desc, o->keyatt - 1)->atttypid == NUMERICOID)
		return false;
	for (int i = 0; i < o->nroles; i++)
		if (!column_is(desc, o->roles[i].att, o->roles[i].column,
					   o->roles[i].how != H_NUMERIC && o->roles[i].how != H_MONEY))
			return false;

	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	readptr = tuplestore_alloc_read_pointer(td->tg_newtable, EXEC_FLAG_REWIND);
	tuplestore_select_read_pointer(td->tg_newtable, readptr);
	tuplestore_rescan(td->tg_newtable);
	ok = tuplestore_gettupleslot(td->tg_newtable, true, false, slot);
	tuplestore_select_read_pointer(td->tg_newtable, 0);
	if (!ok)
	{
		ExecDropSingleTupleTableSlot(slot);
		return false;
	}
	/* the key as mirror_ref keeps it: an integer's text, or the text made comparable */
	k = column_text(slot, o->keyatt);
	if (k != NULL && !o->key_int)
		k = norm(k, strlen(k), false);
	if (k == NULL)
		ok = false;
	for (int i = 0; ok && i < o->nroles; i++)
	{
		bool		isnull;

		ok = resolve(o, &o->roles[i], column_text(slot, o->roles[i].att), &vals[i], &isnull);
		nulls[i] = isnull ? 'n' : ' ';
		isnulls[i] = isnull;
	}
	ExecDropSingleTupleTableSlot(slot);
	if (!ok)
		return false;
	if (o->proj == PROJ_LINE)
	{
		/* the payment's project: its line's sheet's, as the statement joins them */
		int64		sheet;

		if (isnulls[o->line_role] ||
			!probe(o->line_idx, vals[o->line_role], "sheet_id", &sheet) ||
			!probe(o->sheet_idx, Int64GetDatum(sheet), "project_id", &o->account_project))
			return false;
	}
	if (OidIsValid(o->seq))
	{
		vals[o->nroles] = Int64GetDatum(nextval_internal(o->seq, true));
		nulls[o->nroles] = ' ';
	}
	/*
	 * its way back first, then the row: the order the statement of many rows writes them
	 * in (its main INSERT into mirror_ref, then its data-modifying CTE), so that writers
	 * of one key or row through either path wait for each other in the same order
	 */
	initStringInfo(&json);
	appendStringInfoChar(&json, '{');
	if (OidIsValid(o->seq))
	{
		escape_json(&json, o->idcol);
		appendStringInfo(&json, ": " INT64_FORMAT, DatumGetInt64(vals[o->nroles]));
	}
	for (int i = 0; i < o->nkeys; i++)
	{
		int			j = o->keyroles[i];

		if (i > 0)
			appendStringInfoString(&json, ", ");
		escape_json(&json, o->keycols[i]);
		appendStringInfoString(&json, ": ");
		json_value(&json, vals[j], isnulls[j], SPI_getargtypeid(o->plan, j));
	}
	appendStringInfoChar(&json, '}');
	ref[0] = ObjectIdGetDatum(o->source);
	ref[1] = CStringGetTextDatum(k);
	ref[2] = CStringGetTextDatum(o->kind);
	ref[3] = o->proj >= 0 ? vals[o->proj] : o->proj == PROJ_NEW ? vals[o->nroles] :
		o->proj == PROJ_ACCOUNT || o->proj == PROJ_LINE ? Int64GetDatum(o->account_project) : (Datum) 0;
	refnull[3] = o->proj >= 0 ? isnulls[o->proj] : o->proj == PROJ_NONE;
	ref[4] = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data));
	if (!ref_write(o->relids[4], ref, refnull))
	{
		/* the key has a row already: updated by the statement, as ON CONFLICT DO UPDATE */
		Oid			types[5] = {OIDOID, TEXTOID, TEXTOID, INT8OID, JSONBOID};
		char		rn[5] = {' ', ' ', ' ', refnull[3] ? 'n' : ' ', ' '};

		if (SPI_execute_with_args("INSERT INTO wagecheck.mirror_ref (source, source_key, kind, project_id, target)"
								  " VALUES ($1::pg_catalog.regclass, $2, $3, $4, $5)"
								  " ON CONFLICT (source, source_key) DO UPDATE"
								  " SET kind = EXCLUDED.kind, project_id = EXCLUDED.project_id, target = EXCLUDED.target",
								  5, types, ref, rn, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "wagecheck: the way back of a mirrored row could not be written");
	}
	rc = SPI_execute_plan(o->plan, vals, nulls, false, 0);
	if (rc < 0)
		elog(ERROR, "wagecheck: a mirrored statement failed: %s", SPI_result_code_string(rc));
	return true;
}
