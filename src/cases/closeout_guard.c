/*
 * closeout_guard.c — the close-out guard of the case ledger (销号, 不解决不销账).
 *
 * BEFORE INSERT OR UPDATE trigger on wagecheck.case_ledger:
 *  - a case is registered open;
 *  - its number, unit, filing date and source never change;
 *  - a closing is not dated before the last reopening;
 *  - open -> closed as 'repaid' only when the repayments recorded against the
 *    case reach the amount owed (WC050); the other lawful ends (police, court,
 *    withdrawn, unsubstantiated) need a written reason (WC052);
 *  - a closed case does not change (WC051) except by reopening, which must count
 *    itself (reopen_count + 1) and give a reason (WC040).
 * Repayment reversals lock the case row and are refused on closed cases, so a
 * close-out cannot race with a reversal.
 * It fires only on wagecheck.case_ledger, reads each column by name after
 * checking its type, and refuses what it cannot judge: a NULL or unknown status
 * (23502, 23514), a close-out as repaid with the amount owed NULL (23502) or not
 * in whole cents (22023). The decisions are in src/core/closeout.c.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "core/closeout.h"
#include "core/outflow.h"
#include "errcodes.h"
#include "trigcheck.h"
#include "nls.h"

#define FN "case_closeout_guard()"

static wc_table_ref case_ledger = WC_TABLE_REF("case_ledger");

/* Value of a column (number checked by wc_trigger_column), NULL-aware. */
static Datum
col(HeapTuple tuple, TupleDesc desc, int attnum, bool *isnull)
{
	return heap_getattr(tuple, attnum, desc, isnull);
}

/* A text column of a row as a C string, or NULL. */
static char *
col_text(HeapTuple tuple, TupleDesc desc, int attnum)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, attnum, desc, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* Status of a row (its status column is text). */
static WcCaseStatus
row_status(HeapTuple tuple, TupleDesc desc, int attnum, char **text)
{
	*text = col_text(tuple, desc, attnum);
	return wc_case_status(*text, *text ? strlen(*text) : 0);
}

/* True when a text column is NULL or only blanks. */
static bool
blank(HeapTuple tuple, TupleDesc desc, int attnum)
{
	char	   *s = col_text(tuple, desc, attnum);

	return wc_text_blank(s, s ? strlen(s) : 0);
}

/* True when a column differs between two versions of the row. */
static bool
col_changed(HeapTuple a, HeapTuple b, TupleDesc desc, int attnum)
{
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
	bool		na,
				nb;
	Datum		da = heap_getattr(a, attnum, desc, &na);
	Datum		db = heap_getattr(b, attnum, desc, &nb);

	if (na || nb)
		return na != nb;
	return !datumIsEqual(da, db, att->attbyval, att->attlen);
}

/* Cents of a numeric Datum; unknown when it is NaN, infinite, sub-cent or out of range. */
static WcCents
numeric_cents(Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	WcCents		c;

	c.known = wc_numeric_cents((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v),
							   &c.cents) == WC_CENTS_OK;
	if (!c.known)
		c.cents = 0;
	return c;
}

/* Cents as the numeric text of messages (trailing zeros dropped: 50000, 123.5). */
static char *
cents_text(int64 cents)
{
	return numeric_normalize(int64_div_fast_to_numeric(cents, 2));
}

/*
 * Sum of the repayments recorded against a case, read with a fresh snapshot
 * (read_only = false) so that a reversal committed while this UPDATE waited for
 * the case row is counted.
 */
static WcCents
repaid_sum(int64 case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		args[1];
	bool		isnull;
	Datum		sum;
	WcCents		result;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plan == NULL)
	{
		plan = SPI_prepare("SELECT coalesce(sum(amount), 0)::numeric FROM wagecheck.case_repayment"
						   " WHERE case_id = $1", 1, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
	}
	args[0] = Int64GetDatum(case_id);
	if (SPI_execute_plan(plan, args, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "repayment sum failed");
	sum = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	result = isnull ? (WcCents) {false, 0} : numeric_cents(sum);
	SPI_finish();
	return result;
}

/* The column numbers the guard reads, each checked for its type. */
typedef struct ledger_cols
{
	int			case_id,
				case_no,
				status,
				close_kind,
				close_reason,
				closed_at,
				amount_owed,
				reopen_count,
				reopen_reason,
				reopened_at;
} ledger_cols;

/* The columns that never change once a case is registered, with their types. */
static const struct
{
	const char *name;
	Oid			type;
}			fixed[] = {
	{"case_id", INT8OID}, {"case_no", TEXTOID}, {"unit_code", TEXTOID}, {"case_year", INT4OID},
	{"case_seq", INT4OID}, {"filed_on", DATEOID}, {"source", TEXTOID}, {"complaint_id", INT8OID},
	{"registered_at", TIMESTAMPTZOID}
};

/* Refuses a row whose status is NULL or not a status of the ledger. */
static void
refuse_status(WcCaseStatus st, const char *text, const char *case_no)
{
	if (st == WC_CASE_NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("the status of case %s cannot be NULL", case_no ? case_no : "(new)"),
				 errdetail("A case is open or closed."),
				 errhint("Close a case with wagecheck.close_case() and reopen it with wagecheck.reopen_case().")));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("case %s cannot have status \"%s\"", case_no ? case_no : "(new)", text),
			 errdetail("A case is open or closed.")));
}

/* Refuses a close-out the core does not let stand; returns when it may. */
static void
check_close(HeapTuple newtup, TupleDesc desc, const ledger_cols *c, const char *case_no)
{
	char	   *kind_text = col_text(newtup, desc, c->close_kind);
	WcCloseKind kind = wc_close_kind(kind_text, kind_text ? strlen(kind_text) : 0);
	bool		owed_null = true;
	Datum		owed_d = (Datum) 0;
	WcCents		owed = {false, 0},
				repaid = {false, 0};
	int64		outstanding;

	if (kind == WC_CLOSE_REPAID)
	{
		bool		id_null;
		Datum		case_id = col(newtup, desc, c->case_id, &id_null);

		owed_d = col(newtup, desc, c->amount_owed, &owed_null);
		if (owed_null)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("case %s cannot be closed out as repaid: its amount owed is NULL", case_no),
					 errdetail("Whether the repayments cover the wages owed cannot be judged (不解决不销账)."),
					 errhint("Keep the amount owed the case was registered with.")));
		if (id_null)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("case %s cannot be closed out as repaid without its case_id", case_no)));
		owed = numeric_cents(owed_d);
		repaid = repaid_sum(DatumGetInt64(case_id));
	}
	switch (wc_closeout_decide(kind, !blank(newtup, desc, c->close_reason), owed, repaid, &outstanding))
	{
		case WC_CLOSEOUT_OK:
			return;
		case WC_CLOSEOUT_KIND_MISSING:
			if (kind == WC_CLOSE_NULL)
				ereport(ERROR,
						(errcode(ERRCODE_NOT_NULL_VIOLATION),
						 errmsg("case %s cannot be closed without saying how it ended (close_kind)", case_no),
						 errhint("Close it as repaid, police, court, withdrawn or unsubstantiated with wagecheck.close_case().")));
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("case %s cannot end as \"%s\"", case_no, kind_text),
					 errhint("A case ends as repaid, police, court, withdrawn or unsubstantiated.")));
			break;
		case WC_CLOSEOUT_OWED_UNKNOWN:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("case %s cannot be closed out as repaid: its amount owed %s is not an amount in whole cents",
							case_no, DatumGetCString(DirectFunctionCall1(numeric_out, owed_d))),
					 errdetail("Whether the repayments cover the wages owed cannot be judged (不解决不销账).")));
			break;
		case WC_CLOSEOUT_REPAID_UNKNOWN:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("case %s cannot be closed out as repaid: its repayments do not add up to an amount in whole cents",
							case_no),
					 errdetail("Whether the repayments cover the wages owed cannot be judged (不解决不销账).")));
			break;
		case WC_CLOSEOUT_NOT_REPAID:
			ereport(ERROR,
					(errcode(ERRCODE_WC_CASE_NOT_REPAID),
					 errmsg("case %s cannot be closed out: wages are still owed", case_no),
					 errdetail("Repaid %s of %s owed; %s outstanding.",
							   cents_text(repaid.cents), cents_text(owed.cents), cents_text(outstanding)),
					 errhint("Record the repayments first (不解决不销账), or close the case as police, court, withdrawn or unsubstantiated with a reason.")));
			break;
		case WC_CLOSEOUT_REASON_REQUIRED:
			ereport(ERROR,
					(errcode(ERRCODE_WC_CLOSE_REASON_REQUIRED),
					 errmsg("case %s can end as \"%s\" only with a written reason", case_no, kind_text),
					 errhint("Give close_reason: the police referral, the judgment, the withdrawal or the finding.")));
			break;
	}
}

PG_FUNCTION_INFO_V1(wc_case_closeout_guard);
/* BEFORE INSERT OR UPDATE trigger on case_ledger: the lifecycle and close-out rules above. */
Datum
wc_case_closeout_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = wc_trigger_data(fcinfo, FN);
	TupleDesc	desc;
	HeapTuple	oldtup,
				newtup;
	char	   *old_text,
			   *new_text,
			   *case_no;
	WcCaseStatus old_status,
				new_status;
	ledger_cols c;
	int			fixed_att[lengthof(fixed)];

	wc_trigger_when(trigdata, FN, WC_TG_BEFORE | WC_TG_ROW | WC_TG_INSERT | WC_TG_UPDATE,
					gettext_noop("a BEFORE INSERT OR UPDATE FOR EACH ROW"));
	wc_trigger_on_table(trigdata, FN, &case_ledger);
	desc = RelationGetDescr(trigdata->tg_relation);
	c.status = wc_trigger_column(trigdata, FN, "status", TEXTOID);

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		newtup = trigdata->tg_trigtuple;
		new_status = row_status(newtup, desc, c.status, &new_text);
		switch (wc_case_step(true, WC_CASE_NULL, new_status))
		{
			case WC_STEP_REGISTER_OPEN:
				return PointerGetDatum(newtup);
			case WC_STEP_REGISTER_NOT_OPEN:
				ereport(ERROR,
						(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
						 errmsg("a case is registered open, not \"%s\"", new_text),
						 errhint("Register the case, record its repayments, then close it out.")));
				break;
			default:
				refuse_status(new_status, new_text, NULL);
		}
		return PointerGetDatum(newtup);
	}

	c.case_id = wc_trigger_column(trigdata, FN, "case_id", INT8OID);
	c.case_no = wc_trigger_column(trigdata, FN, "case_no", TEXTOID);
	c.close_kind = wc_trigger_column(trigdata, FN, "close_kind", TEXTOID);
	c.close_reason = wc_trigger_column(trigdata, FN, "close_reason", TEXTOID);
	c.closed_at = wc_trigger_column(trigdata, FN, "closed_at", TIMESTAMPTZOID);
	c.amount_owed = wc_trigger_column(trigdata, FN, "amount_owed", NUMERICOID);
	c.reopen_count = wc_trigger_column(trigdata, FN, "reopen_count", INT4OID);
	c.reopen_reason = wc_trigger_column(trigdata, FN, "reopen_reason", TEXTOID);
	c.reopened_at = wc_trigger_column(trigdata, FN, "reopened_at", TIMESTAMPTZOID);
	for (int i = 0; i < lengthof(fixed); i++)
		fixed_att[i] = wc_trigger_column(trigdata, FN, fixed[i].name, fixed[i].type);

	oldtup = trigdata->tg_trigtuple;
	newtup = trigdata->tg_newtuple;
	case_no = col_text(oldtup, desc, c.case_no);
	if (case_no == NULL)
		case_no = "(without number)";
	old_status = row_status(oldtup, desc, c.status, &old_text);
	new_status = row_status(newtup, desc, c.status, &new_text);

	for (int i = 0; i < lengthof(fixed); i++)
		if (col_changed(oldtup, newtup, desc, fixed_att[i]))
			ereport(ERROR,
					(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
					 errmsg("column %s of case %s cannot change once the case is registered",
							fixed[i].name, case_no),
					 errhint("Register a new case, or record the correction in the case's contact log.")));

	switch (wc_case_step(false, old_status, new_status))
	{
		case WC_STEP_BAD_STATUS:
			if (old_status == WC_CASE_NULL || old_status == WC_CASE_BAD)
				refuse_status(old_status, old_text, case_no);
			refuse_status(new_status, new_text, case_no);
			break;
		case WC_STEP_REOPEN:
			{
				bool		n1,
							n2;
				int32		oldc = DatumGetInt32(col(oldtup, desc, c.reopen_count, &n1));
				int32		newc = DatumGetInt32(col(newtup, desc, c.reopen_count, &n2));

				if (n1 || n2 || oldc == PG_INT32_MAX || newc != oldc + 1 ||
					blank(newtup, desc, c.reopen_reason))
					ereport(ERROR,
							(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
							 errmsg("case %s can be reopened only with a reason, counted in reopen_count", case_no),
							 errhint("Use wagecheck.reopen_case(case_id, reason).")));
				return PointerGetDatum(newtup);
			}
		case WC_STEP_STAY_CLOSED:
			for (int a = 1; a <= desc->natts; a++)
				if (!TupleDescAttr(desc, a - 1)->attisdropped && col_changed(oldtup, newtup, desc, a))
					ereport(ERROR,
							(errcode(ERRCODE_WC_CASE_CLOSED),
							 errmsg("case %s is closed and cannot be changed", case_no),
							 errdetail("Column %s was to change.", NameStr(TupleDescAttr(desc, a - 1)->attname)),
							 errhint("Reopen the case first with wagecheck.reopen_case(case_id, reason).")));
			return PointerGetDatum(newtup);
		case WC_STEP_CLOSE:
			{
				bool		n_closed,
							n_reopened;
				TimestampTz closed_at = DatumGetTimestampTz(col(newtup, desc, c.closed_at, &n_closed));
				TimestampTz reopened_at = DatumGetTimestampTz(col(oldtup, desc, c.reopened_at, &n_reopened));

				/* the history moves forward: no closing dated before the last reopening */
				if (!n_closed && !n_reopened && closed_at < reopened_at)
					ereport(ERROR,
							(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
							 errmsg("case %s cannot be closed at %s, before it was reopened (%s)", case_no,
									DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(closed_at))),
									DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(reopened_at))))));
				check_close(newtup, desc, &c, case_no);
			}
			break;
		case WC_STEP_STAY_OPEN:
			if (col_changed(oldtup, newtup, desc, c.reopen_count))
				ereport(ERROR,
						(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
						 errmsg("case %s is open: there is nothing to reopen", case_no)));
			break;
		case WC_STEP_REGISTER_OPEN:
		case WC_STEP_REGISTER_NOT_OPEN:
			elog(ERROR, "an update taken for a registration");
	}
	return PointerGetDatum(newtup);
}
