/*
 * trigcheck.c — the checks every C trigger of wagecheck makes before it reads a
 * row (see trigcheck.h). A trigger function can be named in CREATE TRIGGER on
 * any table by anyone who may execute it, or called like any function: each of
 * these misuses is refused with a clear error instead of a Datum being read as
 * what it is not.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "catalog_watch.h"
#include "trigcheck.h"
#include "nls.h"

/* The relation's schema-qualified name, for messages (a temporary table's name alone). */
char *
wc_rel_label(Relation rel)
{
	if (isAnyTempNamespace(RelationGetNamespace(rel)))
		return pstrdup(quote_identifier(RelationGetRelationName(rel)));
	return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
									  RelationGetRelationName(rel));
}

/* The trigger data of a call; refuses a call that does not come from the trigger manager. */
TriggerData *
wc_trigger_data(FunctionCallInfo fcinfo, const char *fn)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s was not called by the trigger manager", fn),
				 errhint("It is a trigger function: it runs only from CREATE TRIGGER ... EXECUTE FUNCTION.")));
	return (TriggerData *) fcinfo->context;
}

/*
 * Refuses a firing at a timing, level or event outside allowed (WC_TG_* bits); usage says
 * what is allowed (untranslated, gettext_noop: translated only when the firing is refused).
 */
void
wc_trigger_when(TriggerData *td, const char *fn, int allowed, const char *usage)
{
	TriggerEvent ev = td->tg_event;
	int			timing = TRIGGER_FIRED_BEFORE(ev) ? WC_TG_BEFORE :
		TRIGGER_FIRED_AFTER(ev) ? WC_TG_AFTER : 0;
	int			level = TRIGGER_FIRED_FOR_ROW(ev) ? WC_TG_ROW : WC_TG_STATEMENT;
	int			event = TRIGGER_FIRED_BY_INSERT(ev) ? WC_TG_INSERT :
		TRIGGER_FIRED_BY_UPDATE(ev) ? WC_TG_UPDATE :
		TRIGGER_FIRED_BY_DELETE(ev) ? WC_TG_DELETE :
		TRIGGER_FIRED_BY_TRUNCATE(ev) ? WC_TG_TRUNCATE : 0;

	if (!(allowed & timing) || !(allowed & level) || !(allowed & event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be %s trigger", fn, _(usage)),
				 errdetail("Trigger \"%s\" on %s fired it otherwise.",
						   td->tg_trigger->tgname, wc_rel_label(td->tg_relation))));
}

/* Refuses a firing on any relation but the wagecheck table the trigger was written for. */
void
wc_trigger_on_table(TriggerData *td, const char *fn, wc_table_ref *table)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	uint64		generation = wc_relcache_generation();

	if (OidIsValid(table->relid) && table->generation == generation && table->relid == relid)
		return;
	/* looked up again after any invalidation, so a reused OID is never taken for the table */
	{
		Oid			nsp = wc_schema_oid();

		table->relid = OidIsValid(nsp) ? get_relname_relid(table->name, nsp) : InvalidOid;
		table->generation = generation;
	}
	if (table->relid != relid)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s fires only on wagecheck.%s, not on %s", fn, table->name,
						wc_rel_label(td->tg_relation)),
				 errhint("It is the trigger of that table and cannot judge the rows of another.")));
}

/*
 * The index in tables[0..n) of the table a trigger fired on; refuses any other
 * (names: the tables in words, for the message).
 */
int
wc_trigger_on_tables(TriggerData *td, const char *fn, wc_table_ref *tables, int n, const char *names)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	Oid			nsp = InvalidOid;
	bool		looked = false;
	uint64		generation = wc_relcache_generation();

	for (int i = 0; i < n; i++)
	{
		wc_table_ref *table = &tables[i];

		if (!OidIsValid(table->relid) || table->generation != generation)
		{
			/* looked up again after any invalidation, so a reused OID is never taken for the table */
			if (!looked)
			{
				nsp = wc_schema_oid();
				looked = true;
			}
			table->relid = OidIsValid(nsp) ? get_relname_relid(table->name, nsp) : InvalidOid;
			table->generation = generation;
		}
		if (table->relid == relid)
			return i;
	}
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("%s fires only on wagecheck.%s, not on %s", fn, names,
					wc_rel_label(td->tg_relation)),
			 errhint("It is the trigger of that table and cannot judge the rows of another.")));
	return -1;					/* not reached */
}

/* Refuses a firing on a relation outside schema wagecheck, or on one that is not a table. */
void
wc_trigger_on_own_table(TriggerData *td, const char *fn)
{
	Oid			nsp = wc_schema_oid();

	if (!OidIsValid(nsp) || RelationGetNamespace(td->tg_relation) != nsp)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s fires only on wagecheck's own tables, not on %s", fn, wc_rel_label(td->tg_relation)),
				 errhint("It is installed by the extension; it cannot be attached to other tables.")));
	wc_trigger_plain_table(td, fn);
}

/* Refuses a firing on a foreign table, view or partitioned parent: only the rows of an ordinary table are judged. */
void
wc_trigger_plain_table(TriggerData *td, const char *fn)
{
	char		kind = td->tg_relation->rd_rel->relkind;

	if (kind != RELKIND_RELATION)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s cannot judge the rows of %s: it is not an ordinary table", fn,
						wc_rel_label(td->tg_relation)),
				 errdetail("%s", kind == RELKIND_FOREIGN_TABLE ? "It is a foreign table." :
						   kind == RELKIND_VIEW ? "It is a view." :
						   kind == RELKIND_PARTITIONED_TABLE ? "It is a partitioned table." :
						   "It is not a table.")));
}

/*
 * The number of the column named column of the firing relation, refused unless
 * it is there with type typid (a Datum is never read as another type).
 */
int
wc_trigger_column(TriggerData *td, const char *fn, const char *column, Oid typid)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || strcmp(NameStr(att->attname), column) != 0)
			continue;
		if (att->atttypid != typid)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of %s has type %s, but %s reads it as %s", column,
							wc_rel_label(td->tg_relation), format_type_be(att->atttypid), fn,
							format_type_be(typid))));
		return i + 1;
	}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("%s needs column \"%s\", which %s does not have", fn, column,
					wc_rel_label(td->tg_relation))));
	return 0;					/* not reached */
}

/* wc_rel_column: the attribute number of rel's column name of type type, 0 when it has none. */
int
wc_rel_column(Relation rel, const char *name, Oid type)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && att->atttypid == type && strcmp(NameStr(att->attname), name) == 0)
			return i + 1;
	}
	return 0;
}

/*
 * wc_trigger_transitions: the statement's old rows (NULL for an INSERT) and new rows (NULL
 * for a DELETE); fails when the trigger was created without the REFERENCING clause its event
 * needs. For AFTER ... FOR EACH STATEMENT triggers of INSERT, UPDATE and DELETE.
 */
void
wc_trigger_transitions(TriggerData *td, const char *fn, Tuplestorestate **olds, Tuplestorestate **news)
{
	*olds = TRIGGER_FIRED_BY_INSERT(td->tg_event) ? NULL : td->tg_oldtable;
	*news = TRIGGER_FIRED_BY_DELETE(td->tg_event) ? NULL : td->tg_newtable;
	if ((*olds == NULL && !TRIGGER_FIRED_BY_INSERT(td->tg_event)) ||
		(*news == NULL && !TRIGGER_FIRED_BY_DELETE(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s needs the statement's transition table (REFERENCING NEW TABLE / OLD TABLE)", fn),
				 errdetail("Trigger \"%s\" on %s was created without it.",
						   td->tg_trigger->tgname, wc_rel_label(td->tg_relation)),
				 errhint("Create the trigger again with REFERENCING OLD TABLE and NEW TABLE, as wagecheck's install script does.")));
}
