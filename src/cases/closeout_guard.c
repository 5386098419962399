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
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "errcodes.h"

/* Value of a named column of a case row (NULL-aware). */
static Datum
col(HeapTuple tuple, TupleDesc desc, const char *name, bool *isnull)
{
	int			n = SPI_fnumber(desc, name);

	if (n <= 0)
		elog(ERROR, "column \"%s\" missing from the case ledger", name);
	return SPI_getbinval(tuple, desc, n, isnull);
}

/* Text of a named column, or NULL. */
static char *
col_text(HeapTuple tuple, TupleDesc desc, const char *name)
{
	int			n = SPI_fnumber(desc, name);

	if (n <= 0)
		elog(ERROR, "column \"%s\" missing from the case ledger", name);
	return SPI_getvalue(tuple, desc, n);
}

/* True when a text is NULL or only blanks. */
static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* True when a column differs between two versions of the row. */
static bool
col_changed(HeapTuple a, HeapTuple b, TupleDesc desc, int attnum)
{
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
	bool		na,
				nb;
	Datum		da = SPI_getbinval(a, desc, attnum, &na);
	Datum		db = SPI_getbinval(b, desc, attnum, &nb);

	if (na || nb)
		return na != nb;
	return !datumIsEqual(da, db, att->attbyval, att->attlen);
}

/*
 * Sum of the repayments recorded against a case, read with a fresh snapshot
 * (read_only = false) so that a reversal committed while this UPDATE waited for
 * the case row is counted.
 */
static Numeric
repaid_sum(Datum case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		args[1];
	bool		isnull;
	Numeric		result;

	if (plan == NULL)
	{
		plan = SPI_prepare("SELECT coalesce(sum(amount), 0)::numeric FROM wagecheck.case_repayment"
						   " WHERE case_id = $1", 1, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
	}
	args[0] = case_id;
	if (SPI_execute_plan(plan, args, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "repayment sum failed");
	result = DatumGetNumeric(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	/* copy out of SPI memory */
	return DatumGetNumeric(datumCopy(NumericGetDatum(result), false, -1));
}

/* Refuses a close-out as 'repaid' while the repayments fall short of the amount owed. */
static void
check_repaid(HeapTuple newtup, TupleDesc desc)
{
	bool		isnull;
	Datum		case_id = col(newtup, desc, "case_id", &isnull);
	Datum		owed = col(newtup, desc, "amount_owed", &isnull);
	Numeric		repaid;
	char	   *case_no = col_text(newtup, desc, "case_no");

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	repaid = repaid_sum(case_id);
	SPI_finish();

	/* NaN (written past the checks) sorts above every number: it must not pass for repaid */
	if (numeric_is_nan(repaid) || numeric_is_nan(DatumGetNumeric(owed)))
		ereport(ERROR,
				(errcode(ERRCODE_WC_CASE_NOT_REPAID),
				 errmsg("case %s cannot be closed out: its amounts are not numbers", case_no),
				 errdetail("Repaid %s of %s owed.", numeric_normalize(repaid), numeric_normalize(DatumGetNumeric(owed))),
				 errhint("Reverse the repayment recorded as NaN and record what was paid.")));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(repaid), owed)) < 0)
	{
		Datum		outstanding = DirectFunctionCall2(numeric_sub, owed, NumericGetDatum(repaid));

		ereport(ERROR,
				(errcode(ERRCODE_WC_CASE_NOT_REPAID),
				 errmsg("case %s cannot be closed out: wages are still owed", case_no),
				 errdetail("Repaid %s of %s owed; %s outstanding.",
						   numeric_normalize(repaid),
						   numeric_normalize(DatumGetNumeric(owed)),
						   numeric_normalize(DatumGetNumeric(outstanding))),
				 errhint("Record the repayments first (不解决不销账), or close the case as police, court, withdrawn or unsubstantiated with a reason.")));
	}
}

PG_FUNCTION_INFO_V1(wc_case_closeout_guard);
/* BEFORE INSERT OR UPDATE trigger on case_ledger: the lifecycle and close-out rules above. */
Datum
wc_case_closeout_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	oldtup,
				newtup;
	char	   *old_status,
			   *new_status,
			   *case_no;
	static const char *const fixed[] = {"case_id", "case_no", "unit_code", "case_year", "case_seq",
	"filed_on", "source", "complaint_id", "registered_at"};

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("case_closeout_guard() was not called by the trigger manager")));
	if (!TRIGGER_FIRED_BEFORE(trigdata->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) || TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("case_closeout_guard() must be a BEFORE INSERT OR UPDATE FOR EACH ROW trigger")));

	desc = trigdata->tg_relation->rd_att;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		newtup = trigdata->tg_trigtuple;
		new_status = col_text(newtup, desc, "status");
		if (new_status == NULL || strcmp(new_status, "open") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
					 errmsg("a case is registered open, not \"%s\"", new_status ? new_status : "NULL"),
					 errhint("Register the case, record its repayments, then close it out.")));
		return PointerGetDatum(newtup);
	}

	oldtup = trigdata->tg_trigtuple;
	newtup = trigdata->tg_newtuple;
	old_status = col_text(oldtup, desc, "status");
	new_status = col_text(newtup, desc, "status");
	case_no = col_text(oldtup, desc, "case_no");

	for (int i = 0; i < lengthof(fixed); i++)
		if (col_changed(oldtup, newtup, desc, SPI_fnumber(desc, fixed[i])))
			ereport(ERROR,
					(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
					 errmsg("column %s of case %s cannot change once the case is registered",
							fixed[i], case_no),
					 errhint("Register a new case, or record the correction in the case's contact log.")));

	if (strcmp(old_status, "closed") == 0)
	{
		if (strcmp(new_status, "open") == 0)
		{
			bool		n1,
						n2;
			int32		oldc = DatumGetInt32(col(oldtup, desc, "reopen_count", &n1));
			int32		newc = DatumGetInt32(col(newtup, desc, "reopen_count", &n2));

			if (newc != oldc + 1 || blank(col_text(newtup, desc, "reopen_reason")))
				ereport(ERROR,
						(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
						 errmsg("case %s can be reopened only with a reason, counted in reopen_count", case_no),
						 errhint("Use wagecheck.reopen_case(case_id, reason).")));
			return PointerGetDatum(newtup);
		}
		for (int a = 1; a <= desc->natts; a++)
			if (!TupleDescAttr(desc, a - 1)->attisdropped && col_changed(oldtup, newtup, desc, a))
				ereport(ERROR,
						(errcode(ERRCODE_WC_CASE_CLOSED),
						 errmsg("case %s is closed and cannot be changed", case_no),
						 errdetail("Column %s was to change.", NameStr(TupleDescAttr(desc, a - 1)->attname)),
						 errhint("Reopen the case first with wagecheck.reopen_case(case_id, reason).")));
		return PointerGetDatum(newtup);
	}

	/* the case was open */
	if (strcmp(new_status, "closed") == 0)
	{
		char	   *kind = col_text(newtup, desc, "close_kind");
		bool		n_closed,
					n_reopened;
		TimestampTz closed_at = DatumGetTimestampTz(col(newtup, desc, "closed_at", &n_closed));
		TimestampTz reopened_at = DatumGetTimestampTz(col(oldtup, desc, "reopened_at", &n_reopened));

		/* the history moves forward: no closing dated before the last reopening */
		if (!n_closed && !n_reopened && closed_at < reopened_at)
			ereport(ERROR,
					(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
					 errmsg("case %s cannot be closed at %s, before it was reopened (%s)", case_no,
							col_text(newtup, desc, "closed_at"), col_text(oldtup, desc, "reopened_at"))));

		if (kind != NULL && strcmp(kind, "repaid") == 0)
			check_repaid(newtup, desc);
		else if (blank(col_text(newtup, desc, "close_reason")))
			ereport(ERROR,
					(errcode(ERRCODE_WC_CLOSE_REASON_REQUIRED),
					 errmsg("case %s can end as \"%s\" only with a written reason", case_no,
							kind ? kind : "NULL"),
					 errhint("Give close_reason: the police referral, the judgment, the withdrawal or the finding.")));
	}
	else if (col_changed(oldtup, newtup, desc, SPI_fnumber(desc, "reopen_count")))
		ereport(ERROR,
				(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
				 errmsg("case %s is open: there is nothing to reopen", case_no)));
	return PointerGetDatum(newtup);
}
