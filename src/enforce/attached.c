/*
 * attached.c — the tables of dedicated accounts attached with wagecheck.attach()
 * (kind wage_account): which ones there are, asked once until a relcache
 * invalidation (attach and detach create and drop triggers, which invalidate
 * their table everywhere), each with a prepared query; and whether one of them
 * has every account of a project closed, asked before wages, a payment or a
 * movement of the project are recorded.
 */
#include "postgres.h"

#include "access/relation.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "catalog_watch.h"
#include "enforce/enforce.h"
#include "trigowner.h"

/* An attached table of accounts and its query: (accounts, open accounts) of project $1 / code $2. */
typedef struct attached_table
{
	Oid			relid;
	SPIPlanPtr	plan;
} attached_table;

static attached_table *tables = NULL;
static int	ntables = 0;

/*
 * wc_relcache_generation() when the list was built (0: never): it holds while no relcache
 * invalidation came since (plans in use are not freed until it is built again).
 */
static uint64 built_at = 0;

/* is_integer: an int2, int4 or int8 column (after looking through domains). */
static bool
is_integer(Oid typid)
{
	Oid			base = getBaseType(typid);

	return base == INT2OID || base == INT4OID || base == INT8OID;
}

/*
 * table_plan: the prepared query of one attached table of accounts, from the
 * mapping of its enforcing trigger; NULL when the table has none of kind
 * wage_account (anymore). It locks the project's rows FOR SHARE.
 */
static SPIPlanPtr
table_plan(Oid relid, Oid enforce_fn)
{
	Relation	rel = relation_open(relid, AccessShareLock);
	TriggerDesc *td = rel->trigdesc;
	SPIPlanPtr	plan = NULL;
	int			i;

	for (i = 0; td != NULL && i < td->numtriggers && plan == NULL; i++)
	{
		Trigger    *tg = &td->triggers[i];
		char	   *relname;
		wc_map		map;
		Form_pg_attribute project,
					closed;
		Oid			types[2] = {INT8OID, TEXTOID};
		char	   *sql;

		if (tg->tgfoid != enforce_fn || tg->tgnargs < 1 || strcmp(tg->tgargs[0], "wage_account") != 0)
			continue;
		relname = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
											 RelationGetRelationName(rel));
		memset(&map, 0, sizeof(map));
		wc_resolve_mapping(RelationGetDescr(rel), relname, tg->tgnargs, tg->tgargs, &map);
		project = TupleDescAttr(RelationGetDescr(rel), map.attnum[WC_R_PROJECT] - 1);
		closed = TupleDescAttr(RelationGetDescr(rel), map.attnum[WC_R_CLOSED_ON] - 1);
		/* a project column holds the project id (integer) or its code (text, blanks around it) */
		sql = psprintf("SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE a.c IS NULL)"
					   " FROM (SELECT %s AS c FROM %s WHERE %s FOR SHARE) AS a",
					   quote_identifier(NameStr(closed->attname)), relname,
					   is_integer(project->atttypid)
					   ? psprintf("%s = $1", quote_identifier(NameStr(project->attname)))
					   : psprintf("pg_catalog.btrim(%s::pg_catalog.text, E' \\t') = $2",
								  quote_identifier(NameStr(project->attname))));
		wc_trigger_sql_settings();
		plan = SPI_prepare(sql, 2, types);
		if (plan == NULL)
			elog(ERROR, "wagecheck: SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "wagecheck: SPI_keepplan failed");
	}
	relation_close(rel, AccessShareLock);
	return plan;
}

/* build: (re)reads the list of attached tables of accounts and prepares their queries; SPI connected. */
static void
build(void)
{
	int			i,
				rc;
	uint64		n,
				seen = wc_relcache_generation();
	Oid			enforce_fn;
	Oid		   *relids;
	bool		isnull;

	for (i = 0; i < ntables; i++)
		SPI_freeplan(tables[i].plan);
	ntables = 0;
	built_at = 0;
	wc_trigger_sql_settings();
	rc = SPI_execute("SELECT DISTINCT tg.tgrelid, tg.tgfoid FROM pg_catalog.pg_trigger tg"
					 " WHERE tg.tgfoid = 'wagecheck.enforce()'::pg_catalog.regprocedure"
					 " AND NOT tg.tgisinternal AND tg.tgrelid <> 'wagecheck.wage_account'::pg_catalog.regclass"
					 " ORDER BY 1", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "wagecheck: attached tables lookup failed: %s", SPI_result_code_string(rc));
	n = SPI_processed;
	if (n == 0)
	{
		built_at = seen;
		return;
	}
	relids = palloc(sizeof(Oid) * n);
	enforce_fn = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	for (i = 0; i < (int) n; i++)
		relids[i] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	if (tables == NULL)
		tables = MemoryContextAlloc(TopMemoryContext, sizeof(attached_table) * n);
	else
		tables = repalloc(tables, sizeof(attached_table) * n);
	for (i = 0; i < (int) n; i++)
	{
		SPIPlanPtr	plan = table_plan(relids[i], enforce_fn);

		if (plan == NULL)
			continue;
		tables[ntables].relid = relids[i];
		tables[ntables].plan = plan;
		ntables++;
	}
	/* (an invalidation that arrived while building, a lock taken, means build again) */
	built_at = seen;
}

/* Are there tables of accounts attached with wagecheck.attach()? SPI must be connected. */
bool
wc_attached_accounts_exist(void)
{
	if (built_at != wc_relcache_generation())
		build();
	return ntables > 0;
}

/*
 * Is it known, without a query, that no table of accounts is attached? (False when the
 * list must be read again: the caller connects SPI and asks wc_attached_accounts_closed.)
 */
bool
wc_attached_accounts_none(void)
{
	return built_at == wc_relcache_generation() && ntables == 0;
}

/*
 * The first attached table of accounts that lists accounts of the project
 * (project_id, or its code) and has all of them closed, or InvalidOid. The
 * project's rows of every such table are locked FOR SHARE, so a closure in
 * progress is waited for and then seen. SPI must be connected.
 */
Oid
wc_attached_accounts_closed(int64 project_id, const char *code)
{
	Datum		args[2];
	Oid			closed_in = InvalidOid;
	int			i;

	if (!wc_attached_accounts_exist())
		return InvalidOid;
	args[0] = Int64GetDatum(project_id);
	args[1] = CStringGetTextDatum(code);
	for (i = 0; i < ntables; i++)
	{
		bool		isnull;
		int64		accounts,
					open;
		int			rc;

		wc_trigger_sql_settings();
		rc = SPI_execute_plan(tables[i].plan, args, NULL, false, 0);

		if (rc != SPI_OK_SELECT)
			elog(ERROR, "wagecheck: accounts lookup in an attached table failed: %s", SPI_result_code_string(rc));
		accounts = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		open = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		if (accounts > 0 && open == 0 && closed_in == InvalidOid)
			closed_in = tables[i].relid;
	}
	return closed_in;
}
