/*
 * holiday_guard.c — keeps the official arrangements shipped in wagecheck.holiday
 * as shipped: pg_dump saves only the rows users added (WHERE NOT shipped) and
 * CREATE EXTENSION brings the shipped ones back, so a change to a shipped row
 * would be silently lost by a dump and restore (or break the restore): it is
 * refused instead, except inside wagecheck's own install and upgrade scripts.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/rel.h"

#include "catalog/pg_type.h"

#include "errcodes.h"
#include "trigcheck.h"
#include "values/values.h"
#include "nls.h"

#define FN "wagecheck.holiday_guard()"

static wc_table_ref holiday = WC_TABLE_REF("holiday");

/* A boolean column of a row, NULL counting as false. */
static bool
row_flag(HeapTuple tuple, int attnum, TupleDesc desc)
{
	bool		isnull;
	Datum		v = heap_getattr(tuple, attnum, desc, &isnull);

	return !isnull && DatumGetBool(v);
}

/* Raises the refusal to change, delete or truncate (tuple NULL) shipped rows. */
static void
refuse(HeapTuple tuple, TupleDesc desc, int day_att, const char *action)
{
	bool		isnull = true;
	Datum		day = tuple ? heap_getattr(tuple, day_att, desc, &isnull) : (Datum) 0;

	ereport(ERROR,
			(errcode(ERRCODE_WC_SHIPPED_HOLIDAY),
			 isnull ? errmsg("cannot %s the holiday arrangements shipped with wagecheck", action)
			 : errmsg("cannot %s the holiday arrangement of %s shipped with wagecheck", action,
					  DatumGetCString(DirectFunctionCall1(date_out, day))),
			 errdetail("Rows with shipped = true are the State Council's published arrangements; pg_dump keeps only the rows users added, so a change to a shipped row would be lost on restore."),
			 errhint("Shipped rows change only with a wagecheck upgrade; add rows for the years that are not shipped.")));
}

/* Raises the refusal to mark a row as shipped. */
static void
refuse_mark(HeapTuple tuple, TupleDesc desc, int day_att)
{
	bool		isnull = true;
	Datum		day = heap_getattr(tuple, day_att, desc, &isnull);

	ereport(ERROR,
			(errcode(ERRCODE_WC_SHIPPED_HOLIDAY),
			 errmsg("cannot mark the holiday arrangement of %s as shipped",
					isnull ? "(null)" : DatumGetCString(DirectFunctionCall1(date_out, day))),
			 errdetail("shipped = true is reserved for the arrangements installed with wagecheck; rows users add keep shipped = false so that pg_dump saves them."),
			 errhint("Leave out the shipped column, or set it to false.")));
}

/* require_plausible_day: a new row's day must be a business date (refused as holiday_day_plausible is). */
static void
require_plausible_day(HeapTuple tuple, TupleDesc desc, int day_att)
{
	bool		isnull;
	Datum		day = heap_getattr(tuple, day_att, desc, &isnull);

	if (!isnull)
		wc_require_plausible_date(DatumGetDateADT(day), "holiday", "day");
}

PG_FUNCTION_INFO_V1(wagecheck_holiday_guard);
/* Trigger on wagecheck.holiday: refuses changes to shipped rows outside extension scripts, and days outside 2000-2099. */
Datum
wagecheck_holiday_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = wc_trigger_data(fcinfo, FN);
	TupleDesc	desc;
	int			shipped_att,
				day_att;

	/* each row of INSERT, UPDATE or DELETE, and TRUNCATE (a statement: it has no row) */
	if (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		wc_trigger_when(trigdata, FN, WC_TG_BEFORE | WC_TG_ROW | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE,
						gettext_noop("a BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW or a BEFORE TRUNCATE"));
	else
		wc_trigger_when(trigdata, FN, WC_TG_BEFORE | WC_TG_STATEMENT | WC_TG_TRUNCATE,
						gettext_noop("a BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW or a BEFORE TRUNCATE"));
	wc_trigger_on_table(trigdata, FN, &holiday);
	if (creating_extension)
		return PointerGetDatum(TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ?
							   (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
								trigdata->tg_newtuple : trigdata->tg_trigtuple) : NULL);
	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		refuse(NULL, NULL, 0, _("truncate"));

	desc = RelationGetDescr(trigdata->tg_relation);
	shipped_att = wc_trigger_column(trigdata, FN, "shipped", BOOLOID);
	day_att = wc_trigger_column(trigdata, FN, "day", DATEOID);
	if (!TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		require_plausible_day(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple
							  : trigdata->tg_trigtuple, desc, day_att);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		if (row_flag(trigdata->tg_trigtuple, shipped_att, desc))
			refuse_mark(trigdata->tg_trigtuple, desc, day_att);
		return PointerGetDatum(trigdata->tg_trigtuple);
	}
	/* UPDATE or DELETE: the old row decides; an UPDATE may not set shipped either */
	if (row_flag(trigdata->tg_trigtuple, shipped_att, desc))
		refuse(trigdata->tg_trigtuple, desc, day_att,
			   TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? _("change") : _("delete"));
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		if (row_flag(trigdata->tg_newtuple, shipped_att, desc))
			refuse_mark(trigdata->tg_newtuple, desc, day_att);
		return PointerGetDatum(trigdata->tg_newtuple);
	}
	return PointerGetDatum(trigdata->tg_trigtuple);
}
