/*
 * enforce.c — wagecheck.enforce(), the C trigger that makes the rules that can be
 * checked as a row arrives hold: dedicated-account outflows (AC03, WP04), no
 * overdraft (AC06), real-name pay lines and payments (RN01), pay-line arithmetic
 * (PS01) and paid lines never edited, account closure (AC05). The same function
 * serves wagecheck's own tables and legacy tables attached with wagecheck.attach().
 * This file dispatches each call to the checks of its kind of rows: account_txn.c,
 * payments.c, closure.c; lookup.c holds what they look up.
 */

#include "postgres.h"

#include "access/htup_details.h"
#include "access/relation.h"
#include "executor/tuptable.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "miscadmin.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "utils/syscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
#include "storage/lock.h"

#include "catalog_watch.h"
#include "enforce/enforce.h"
#include "enforce/checks.h"
#include "errcodes.h"
#include "trigcheck.h"
#include "trigowner.h"
#include "nls.h"

/*
 * wc_rules_owner: the owner of wagecheck's tables. The checks run as this role
 * (like foreign-key checks run as the table owner): they see the whole roster
 * whatever the writer's row-level scope, and a bank feed's role needs no
 * privilege on accounts or violations to be checked.
 */
Oid
wc_rules_owner(void)
{
	static Oid	owner = InvalidOid;

	if (!OidIsValid(owner))
	{
		Oid			nsp = get_namespace_oid("wagecheck", false);
		Oid			rel = get_relname_relid("violation", nsp);
		HeapTuple	tp = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));

		if (!HeapTupleIsValid(tp))
			elog(ERROR, "wagecheck: table wagecheck.violation is missing");
		owner = ((Form_pg_class) GETSTRUCT(tp))->relowner;
		ReleaseSysCache(tp);
	}
	return owner;
}

static Datum enforce_as_owner(FunctionCallInfo fcinfo);

/*
 * check_firing: enforce() runs BEFORE each row or AFTER each statement of an
 * INSERT, UPDATE or DELETE, on an ordinary table that is wagecheck's own or
 * attached with wagecheck.attach() (which names its triggers so); anything
 * else is refused before the checks run as the owner of wagecheck's tables.
 */
static void
check_firing(TriggerData *td)
{
	const char *fn = "wagecheck.enforce()";
	const char *usage = gettext_noop("a BEFORE INSERT, UPDATE or DELETE FOR EACH ROW or an AFTER INSERT, UPDATE or DELETE FOR EACH STATEMENT");
	const char *name = td->tg_trigger->tgname;
	Oid			nsp;

	if (TRIGGER_FIRED_FOR_ROW(td->tg_event))
		wc_trigger_when(td, fn, WC_TG_BEFORE | WC_TG_ROW | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE, usage);
	else
		wc_trigger_when(td, fn, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE, usage);
	wc_trigger_plain_table(td, fn);
	nsp = wc_schema_oid();
	if (RelationGetNamespace(td->tg_relation) != nsp &&
		strcmp(name, "wagecheck_enforce_row") != 0 && strcmp(name, "wagecheck_enforce_statement") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("wagecheck.enforce() fires only on tables attached with wagecheck.attach(), not through trigger \"%s\" on %s",
						name, wc_rel_label(td->tg_relation)),
				 errhint("Attach the table with wagecheck.attach(table, kind, columns, mode): it checks the mapping and lists the table in wagecheck.attached.")));
}

/* The body of wagecheck_enforce(). */
static Datum
enforce_statement_or_row(PG_FUNCTION_ARGS)
{
	check_firing(wc_trigger_data(fcinfo, "wagecheck.enforce()"));
	/* the balances written by wc_flush (nothing but the balance changes): let through unread */
	if (wc_flushing() && TRIGGER_FIRED_FOR_ROW(((TriggerData *) fcinfo->context)->tg_event) &&
		TRIGGER_FIRED_BY_UPDATE(((TriggerData *) fcinfo->context)->tg_event) &&
		strcmp(RelationGetRelationName(((TriggerData *) fcinfo->context)->tg_relation), "wage_account") == 0 &&
		RelationGetNamespace(((TriggerData *) fcinfo->context)->tg_relation) == wc_schema_oid())
		return PointerGetDatum(((TriggerData *) fcinfo->context)->tg_newtuple);
	/* (its statements' names pinned to pg_catalog and wagecheck: src/trigowner.c) */
	return wc_trigger_run_as_owner(enforce_as_owner, fcinfo, 0);
}

PG_FUNCTION_INFO_V1(wagecheck_enforce);
/* The enforcing trigger: row checks of its mapped kind; the statement-level call checks new movements and writes balances. */
Datum
wagecheck_enforce(PG_FUNCTION_ARGS)
{
	return enforce_statement_or_row(fcinfo);
}

/* The body of wagecheck.enforce(), running as the owner of wagecheck's tables. */
static Datum
enforce_as_owner(FunctionCallInfo fcinfo)
{
	TriggerData *td;
	wc_map	   *map;
	HeapTuple	tup;

	td = (TriggerData *) fcinfo->context;
	wc_set_current_row(NULL, NULL, false);	/* none left over from a call that failed */
	if (TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
	{
		if (TRIGGER_FIRED_AFTER(td->tg_event))
		{
			if (td->tg_newtable != NULL && TRIGGER_FIRED_BY_INSERT(td->tg_event))
			{
				map = wc_get_map(td);
				if (map->kind == WC_KIND_ACCOUNT_TXN)
					wc_check_new_table(td, map);
				else if (map->kind == WC_KIND_PAY_LINE)
					wc_check_new_lines(td, map);
				else if (map->kind == WC_KIND_WAGE_PAYMENT)
					wc_check_new_payments(td, map);
			}
			wc_flush();
		}
		return PointerGetDatum(NULL);
	}
	if (!TRIGGER_FIRED_BEFORE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("wagecheck.enforce() must be fired BEFORE each row, or AFTER each statement")));
	map = wc_get_map(td);
	tup = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
	ExecStoreHeapTuple(tup, map->slot, false);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event))
		ExecStoreHeapTuple(td->tg_trigtuple, map->oldslot, false);
	wc_set_current_row(map, map->slot, TRIGGER_FIRED_BY_INSERT(td->tg_event));
	if (!TRIGGER_FIRED_BY_DELETE(td->tg_event))
		wc_check_times(td, map, map->slot);
	switch (map->kind)
	{
		case WC_KIND_ACCOUNT_TXN:
			wc_check_account_txn(td, map, map->slot);
			break;
		case WC_KIND_PAY_LINE:
			wc_check_row_probed(td, map, map->slot, wc_check_pay_line);
			break;
		case WC_KIND_WAGE_PAYMENT:
			wc_check_row_probed(td, map, map->slot, wc_check_wage_payment);
			break;
		case WC_KIND_WAGE_ACCOUNT:
			wc_check_wage_account(td, map);
			break;
	}
	wc_set_current_row(NULL, NULL, false);
	ExecClearTuple(map->slot);
	ExecClearTuple(map->oldslot);
	return PointerGetDatum(tup);
}

PG_FUNCTION_INFO_V1(wagecheck_check_mapping);
/* Checks a mapping (trigger arguments) against a table: the same check the trigger makes. */
Datum
wagecheck_check_mapping(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	char	  **args;
	Relation	rel;
	wc_map		map;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	args = palloc(sizeof(char *) * (n + 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("mapping entries may not be NULL")));
		args[i] = TextDatumGetCString(elems[i]);
	}
	rel = try_relation_open(relid, AccessShareLock);
	if (rel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	memset(&map, 0, sizeof(map));
	wc_resolve_mapping(RelationGetDescr(rel),
					   quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												  RelationGetRelationName(rel)),
					   n, args, &map);
	relation_close(rel, AccessShareLock);
	PG_RETURN_VOID();
}

/* Registers the GUCs and callbacks of the enforcing triggers; called from _PG_init. */
void
wc_enforce_guc_init(void)
{
	DefineCustomIntVariable("wagecheck.closure_notice_days",
							gettext_noop("Days of public notice before a dedicated wage account may be closed (AC05)."),
							NULL, &wc_closure_notice_days, 30, 0, 3650, PGC_SUSET, 0, NULL, NULL, NULL);
	wc_enforce_init();
}
