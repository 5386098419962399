/*
 * trigger_guard.c — a SECURITY DEFINER trigger function writes as the owner of
 * wagecheck's tables, so it refuses to run on any table but those it was written
 * for: a table of wagecheck's own schema (where only the owner creates tables),
 * and, when one is named, exactly that table.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "access/trigger_guard.h"

/* wc_trigger_on_own_table: raises 39P01 unless the trigger fires on a table of the function's schema (named table, when given). */
void
wc_trigger_on_own_table(FunctionCallInfo fcinfo, const char *fname, const char *table)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel = td->tg_relation;
	Oid			own_schema = get_func_namespace(fcinfo->flinfo->fn_oid);

	if (RelationGetNamespace(rel) != own_schema)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() fires only on tables of schema %s, not on %s.%s", fname,
						get_namespace_name(own_schema), get_namespace_name(RelationGetNamespace(rel)),
						RelationGetRelationName(rel)),
				 errhint("The extension creates the triggers that call it; it is not for other tables.")));
	if (table != NULL && strcmp(RelationGetRelationName(rel), table) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() fires only on %s.%s, not on %s", fname,
						get_namespace_name(own_schema), table, RelationGetRelationName(rel)),
				 errhint("The extension creates the triggers that call it; it is not for other tables.")));
}
