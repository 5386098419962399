/*
 * closure.c — the checks of a dedicated wage account itself: closed only after the public
 * notice (wagecheck.closure_notice_days) and with no wages owed (AC05).
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
#include "lib/stringinfo.h"
#include "storage/lock.h"

#include "enforce/enforce.h"
#include "enforce/checks.h"
#include "errcodes.h"
#include "trigcheck.h"
#include "nls.h"

int			wc_closure_notice_days = 30;

/* Dedicated accounts: balance kept from movements; closure only after notice and with nothing owed (AC05). */
void
wc_check_wage_account(TriggerData *td, wc_map *map)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	char	   *ob = NULL,
			   *nb = NULL,
			   *code,
			   *sid;
	bool		nnull,
				notice_null;
	DateADT		closed = 0,
				notice = 0;
	int			oldrc,
				newrc,
				noticerc;
	int64		project_id = 0,
				owed = 0;
	wc_lookup  *p;
	int			workers = 0;
	wc_violation v;
	wc_mode		mode;
	Oid			type = INT8OID;
	Datum		arg;
	StringInfoData grounds,
				detail;
	const char *hint = NULL;

	if (!TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		return;
	wc_get_text(map, map->oldslot, WC_R_BALANCE, &ob);
	wc_get_text(map, map->slot, WC_R_BALANCE, &nb);
	if (!wc_flushing() && (ob == NULL) != (nb == NULL || strcmp(ob, nb) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_WC_BALANCE_DERIVED),
				 errmsg("the balance of a dedicated wage account is kept by wagecheck from its movements"),
				 errdetail("Balance %s, new value %s.", ob ? ob : "NULL", nb ? nb : "NULL"),
				 errhint("Insert the movement into wagecheck.account_txn instead.")));

	/* dates of a date column, or written as text ('20201215', '2020-12-15', '2020年12月15日') */
	oldrc = wc_get_date(map, map->oldslot, WC_R_CLOSED_ON, &closed);
	newrc = wc_get_date(map, map->slot, WC_R_CLOSED_ON, &closed);
	if (oldrc != 0 || newrc == 0)
		return;					/* not a closure */
	noticerc = wc_get_date(map, map->slot, WC_R_NOTICE_ON, &notice);
	notice_null = noticerc == 0;
	if (newrc < 0 || noticerc < 0)
	{
		wc_role		bad = newrc < 0 ? WC_R_CLOSED_ON : WC_R_NOTICE_ON;

		wc_unresolved(map, map->slot, relid, map->mode, bad, "AC05", "wage_account", 0,
					  wc_role_text(map, map->slot, bad),
					  _("Dates are written as dates, or as text such as 20201215, 2020-12-15 or 2020年12月15日."));
		return;
	}
	/* an infinite closure or notice date cannot be judged (an attached table may hold one) */
	if (DATE_NOT_FINITE(closed) || (!notice_null && DATE_NOT_FINITE(notice)))
	{
		wc_role		bad = DATE_NOT_FINITE(closed) ? WC_R_CLOSED_ON : WC_R_NOTICE_ON;

		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s of a dedicated wage account in %s must be a finite date, not %s",
						NameStr(TupleDescAttr(map->desc, map->attnum[bad] - 1)->attname), map->relname,
						wc_role_text(map, map->slot, bad)),
				 errdetail("Account %s.", wc_subject_id(map, map->slot)),
				 errhint("Record the day the account was closed and the first day of its public notice.")));
	}

	if ((p = wc_project_lookup(map, map->slot, false)) == NULL)
	{
		if (wc_fail_closed(map))
			wc_project_unresolved(map, map->slot, relid, "AC05", "wage_account");
		return;					/* wagecheck's own accounts: the foreign key answers */
	}
	project_id = p->n1;
	code = pstrdup(p->text1);
	mode = wc_eff_mode(map, p->mode);
	sid = wc_subject_id(map, map->slot);
	wc_ledger_lock(project_id, ExclusiveLock);		/* wages being recorded commit first */
	arg = Int64GetDatum(project_id);
	SPI_connect();
	wc_spi_select(WC_P_OWED,
			   "SELECT coalesce(sum(owed), 0)::text, count(DISTINCT worker_id) FILTER (WHERE owed > 0)"
			   " FROM wagecheck.project_wages_owed($1)", 1, &type, &arg);
	if (wc_parse_cents(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), &owed) != WC_CENTS_OK)
		elog(ERROR, "wagecheck: wages owed are not money");
	workers = (int) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &nnull));
	SPI_finish();

	memset(&v, 0, sizeof(v));
	v.rule = "AC05";
	v.sqlstate = ERRCODE_WC_ACCOUNT_CLOSURE;
	v.subject_kind = "project";
	v.subject_id = psprintf(INT64_FORMAT, project_id);
	v.project_id = project_id;
	v.amount = PG_INT64_MIN;

	/* every ground at once, so that the clerk learns in one answer what stands in the way */
	initStringInfo(&grounds);
	initStringInfo(&detail);
	if (notice_null)
	{
		appendStringInfoString(&grounds, wc_psprintf("no %d-day public notice has been posted", wc_closure_notice_days));
		appendStringInfoString(&detail, _(" No public notice of closure recorded."));
		hint = wc_psprintf("Record %s when the notice is posted; close the account when it has ended.",
						   NameStr(TupleDescAttr(map->desc, map->attnum[WC_R_NOTICE_ON] - 1)->attname));
	}
	else if ((int64) closed < (int64) notice + wc_closure_notice_days)
	{
		appendStringInfoString(&grounds, _("its public notice has not ended"));
		appendStringInfoString(&detail,
							   wc_psprintf(" Notice posted %s runs %d days; closure asked for %s.",
										   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(notice))),
										   wc_closure_notice_days, DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(closed)))));
		hint = _("Close the account on or after the last day of the notice.");
	}
	if (owed > 0)
	{
		appendStringInfoString(&grounds, grounds.len > 0 ? _("; ") : "");
		appendStringInfoString(&grounds, _("wages are owed"));
		appendStringInfoString(&detail, workers == 1
							   ? wc_psprintf(" %s owed to %d worker.", wc_cents_str(owed), workers)
							   : wc_psprintf(" %s owed to %d workers.", wc_cents_str(owed), workers));
		v.amount = owed;
		hint = hint ? psprintf("%s %s", hint, _("Pay every worker's wages first (see wagecheck.project_wages_owed)."))
			: _("Pay every worker's wages first (see wagecheck.project_wages_owed).");
	}
	if (grounds.len == 0)
		return;
	v.message = wc_psprintf("the dedicated wage account of project %s cannot be closed: %s", code, grounds.data);
	v.detail = wc_psprintf("Project %s, account %s:%s", code, sid, detail.data);
	v.hint = hint;
	wc_report(mode, relid, &v);
}
