/*
 * payments.c — the checks of pay lines and wage payments: real-name pay lines and payments
 * (RN01), pay-line arithmetic (PS01), paid lines never edited, wages into the worker's own
 * card (WP04), nothing paid or changed after the project's accounts are closed (AC05).
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
#include "utils/inval.h"
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/lsyscache.h"
#include "miscadmin.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "utils/syscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
#include "storage/lock.h"

#include "enforce/enforce.h"
#include "enforce/checks.h"
#include "catalog_watch.h"
#include "enforce/paid_shared.h"
#include "errcodes.h"
#include "trigcheck.h"
#include "nls.h"

/*
 * changed_roles: the roles among roles[0..n) whose value an UPDATE changes, as a
 * comma-separated list of role names, or NULL when none changes; amounts
 * compare as money (800 and 800.00 are the same amount).
 */
static char *
changed_roles(wc_map *map, const wc_role *roles, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
	{
		bool		changed;

		if (map->attnum[roles[i]] == 0)
			continue;
		if (roles[i] == WC_R_AMOUNT || roles[i] == WC_R_PAYABLE ||
			roles[i] == WC_R_DEDUCTIONS || roles[i] == WC_R_NET)
		{
			int64		a = 0,
						b = 0;
			bool		ha = wc_get_cents(map, map->oldslot, roles[i], &a),
						hb = wc_get_cents(map, map->slot, roles[i], &b);

			changed = ha != hb || a != b;
		}
		else
		{
			char	   *a = NULL,
					   *b = NULL;
			bool		ha = wc_get_text(map, map->oldslot, roles[i], &a),
						hb = wc_get_text(map, map->slot, roles[i], &b);

			changed = ha != hb || (ha && strcmp(a, b) != 0);
		}
		if (changed)
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", wc_role_name(roles[i]));
	}
	return buf.len > 0 ? buf.data : NULL;
}

/* payment_change: what an UPDATE of a wage payment changes of the money paid (NULL: nothing, or not an UPDATE). */
static char *
payment_change(TriggerData *td, wc_map *map)
{
	static const wc_role money[] = {WC_R_LINE, WC_R_PROJECT, WC_R_WORKER, WC_R_AMOUNT, WC_R_METHOD, WC_R_CARD};

	if (!TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		return NULL;
	return changed_roles(map, money, lengthof(money));
}

/*
 * report_paid_after_closure: a wage payment recorded, or its money changed
 * (change: the roles an UPDATE changed), for a project whose dedicated account
 * is closed (AC05): no money can leave a closed account.
 */
static void
report_paid_after_closure(wc_mode mode, Oid relid, wc_violation *v, const char *code,
						  const wc_lookup *closed, const char *worker, int64 amount, const char *change)
{
	char	   *what = change ? wc_psprintf(" changed after closure (%s)", change) : "";

	v->rule = "AC05";
	v->sqlstate = ERRCODE_WC_ACCOUNT_CLOSED;
	v->message = wc_psprintf("the dedicated wage account of project %s is closed: no wages can be paid from it", code);
	v->detail = closed->n2 == InvalidOid
		? wc_psprintf("Project %s, %s, payment of %s%s.", code, worker, wc_cents_str(amount), what)
		: wc_psprintf("Project %s, %s, payment of %s%s: every account of the project in %s is closed.",
				   code, worker, wc_cents_str(amount), what, wc_relid_label((Oid) closed->n2));
	v->hint = _("A payment after closure means the account was closed too early; reopen it before paying.");
	wc_report(mode, relid, v);
}

/*
 * corrected_line: the worker and project of the pay line a line corrects, as WC_P_CORRECTS
 * reads them; false when there is no such line.
 */
static bool
corrected_line(int64 id, int64 *worker, int64 *project)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(id);
	bool		found,
				isnull;
	int64		sheet;

	if (wc_row_probe != NULL && wc_probe_line(wc_row_probe, id, &sheet, worker) &&
		wc_probe_sheet(wc_row_probe, sheet, project))
		return true;
	SPI_connect();
	wc_spi_select(WC_P_CORRECTS,
				  "SELECT l.worker_id, s.project_id FROM wagecheck.pay_line l"
				  " JOIN wagecheck.pay_sheet s USING (sheet_id) WHERE l.line_id = $1", 1, &type, &arg);
	found = SPI_processed > 0;
	if (found)
	{
		*worker = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		*project = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	}
	SPI_finish();
	return found;
}

/* A pay line's sheet and worker as lines_probe reads them: what the checks of its lines look up. */
typedef struct line_key
{
	int64		sheet;			/* hash key, with worker */
	int64		worker;
	wc_lookup	sheet_lookup;	/* as wc_project_lookup answers: the sheet's project, its code and mode */
	wc_lookup	worker_lookup;	/* as wc_worker_lookup answers: known, name, on the project's roster */
	wc_lookup  *accounts;		/* as wc_accounts_closed answers (the statement's lookup of the project) */
} line_key;

/*
 * The sheets and workers of the statement's new lines read by lines_probe, while the checks
 * of its lines run (NULL otherwise): each line finds what its checks look up by one hash
 * probe of its (sheet, worker), as wc_project_lookup, wc_worker_lookup and
 * wc_accounts_closed would find it in the statement's lookups.
 */
static HTAB *probed_lines = NULL;
static line_key *probed_one = NULL;	/* the same for a statement of one line (line_probe) */

/* probed_line: the key of a new line of the statement read by lines_probe or line_probe, or NULL. */
static line_key *
probed_line(TriggerData *td, wc_map *map, TupleTableSlot *slot)
{
	int64		key[2];

	if ((probed_lines == NULL && probed_one == NULL) || !TRIGGER_FIRED_BY_INSERT(td->tg_event) ||
		!map->is_int[WC_R_SHEET] || !map->is_int[WC_R_WORKER] ||
		!wc_get_int64(map, slot, WC_R_SHEET, &key[0]) || !wc_get_int64(map, slot, WC_R_WORKER, &key[1]))
		return NULL;
	if (probed_one != NULL)
		return probed_one->sheet == key[0] && probed_one->worker == key[1] ? probed_one : NULL;
	return hash_search(probed_lines, key, HASH_FIND, NULL);
}

/*
 * line_key_read: what lines_probe and line_probe read of a line's sheet and worker into k, as
 * keep_line_keys would keep it in the statement's lookups (the worker known: the probes found
 * him).
 */
static void
line_key_read(line_key *k, int64 project, const char *code, char mode, const char *name, bool rostered)
{
	memset(&k->sheet_lookup, 0, sizeof(wc_lookup));
	k->sheet_lookup.found = true;
	k->sheet_lookup.n1 = project;
	strlcpy(k->sheet_lookup.text1, code, sizeof(k->sheet_lookup.text1));
	k->sheet_lookup.mode = mode;
	memset(&k->worker_lookup, 0, sizeof(wc_lookup));
	k->worker_lookup.found = true;
	k->worker_lookup.n1 = k->worker;
	strlcpy(k->worker_lookup.text1, name, sizeof(k->worker_lookup.text1));
	k->worker_lookup.flag = rostered;
	k->accounts = NULL;
}

/* project_answer: the statement's lookup of wc_accounts_closed for project (kept already). */
static wc_lookup *
project_answer(int64 project)
{
	char		key[96];
	bool		found;
	wc_lookup  *l;

	snprintf(key, sizeof(key), "A" INT64_FORMAT, project);
	l = wc_lookup_find(key, &found);
	Assert(found);
	return l;
}

/* Pay-sheet lines: paid lines frozen, arithmetic, real name, corrections, closed account. */
void
wc_check_pay_line(TriggerData *td, wc_map *map, TupleTableSlot *slot)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	wc_lookup  *p,
			   *w;
	int64		payable,
				deductions = 0,
				net,
				id;
	bool		has_net;
	wc_mode		mode;
	wc_violation v;
	char	   *wlabel = NULL;
	wc_lookup  *closed;
	char	   *change = NULL;
	char	   *defect = NULL;
	line_key   *key;

	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event) && map->mode == WC_MODE_PROJECT &&
		wc_get_int64(map, map->oldslot, WC_R_ID, &id) && wc_line_paid(id))
		ereport(ERROR,
				(errcode(ERRCODE_WC_PAID_LINE_EDITED),
				 errmsg("pay-sheet line %lld has been paid and cannot be %s", (long long) id,
						TRIGGER_FIRED_BY_DELETE(td->tg_event) ? _("deleted") : _("changed")),
				 errdetail("The wage ledger is kept for at least 3 years as written."),
				 errhint("Insert a correcting line that references it in corrects_line_id.")));
	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		return;

	key = probed_line(td, map, slot);
	if ((p = key ? &key->sheet_lookup : wc_project_lookup(map, slot, true)) == NULL)
	{
		/* an attached table's row of no known project is refused or recorded; a foreign key answers for wagecheck's */
		if (wc_fail_closed(map))
			wc_project_unresolved(map, slot, relid, "RN01", "pay_line");
		return;
	}
	mode = wc_eff_mode(map, p->mode);
	if (!wc_get_cents(map, slot, WC_R_PAYABLE, &payable))
	{
		if (wc_fail_closed(map))
			wc_unresolved(map, slot, relid, mode, WC_R_PAYABLE, "PS01", "pay_line", p->n1, NULL,
						  _("A pay-sheet line without the wages payable cannot be checked."));
		return;
	}
	wc_get_cents(map, slot, WC_R_DEDUCTIONS, &deductions);
	has_net = wc_get_cents(map, slot, WC_R_NET, &net);
	if (key != NULL)
	{
		/* (a line of a known worker on the roster, that adds up, corrects none, of an open account: nothing to report) */
		w = &key->worker_lookup;
		if (wc_payline_check(payable, deductions, has_net ? net : payable - deductions) == WC_LINE_OK &&
			w->flag && !wc_get_int64(map, slot, WC_R_CORRECTS, &id) && !key->accounts->flag)
			return;
		wlabel = wc_psprintf("%s (worker %lld)", w->text1, (long long) w->n1);
	}
	else
		w = wc_worker_lookup(map, slot, p->n1, &wlabel, &defect);
	if (w == NULL)
	{
		if (wc_fail_closed(map))
			wc_unresolved(map, slot, relid, mode, WC_R_WORKER, "RN01", "pay_line", p->n1,
						  wc_role_text(map, slot, WC_R_WORKER),
						  defect ? wc_psprintf("Not a resident ID number: %s", defect)
						  : _("A pay-sheet line names the worker it pays."));
		return;
	}

	memset(&v, 0, sizeof(v));
	v.subject_kind = "pay_line";
	v.subject_id = wc_subject_id(map, slot);
	v.project_id = p->n1;
	v.amount = has_net ? net : payable - deductions;
	v.worker = wlabel;

	if (wc_payline_check(payable, deductions, has_net ? net : payable - deductions) != WC_LINE_OK)
	{
		v.rule = "PS01";
		v.sqlstate = ERRCODE_WC_PAY_LINE_ARITHMETIC;
		v.message = wc_payline_check(payable, deductions, has_net ? net : payable - deductions) == WC_LINE_NEGATIVE
			? wc_psprintf("pay-sheet line for %s has a negative amount", wlabel)
			: wc_psprintf("pay-sheet line for %s does not add up: net pay must be payable minus deductions", wlabel);
		v.detail = wc_psprintf("Project %s, %s: payable %s, deductions %s, net %s.", p->text1, wlabel,
							wc_cents_str(payable), wc_cents_str(deductions),
							has_net ? wc_cents_str(net) : "(none)");
		/* wagecheck's own ledger never takes a line that does not add up */
		wc_report(map->mode == WC_MODE_PROJECT ? WC_MODE_REJECT : mode, relid, &v);
	}

	if (!w->found || !w->flag)
	{
		v.rule = "RN01";
		v.sqlstate = ERRCODE_WC_NOT_ON_ROSTER;
		v.message = wc_psprintf("%s is not on the real-name roster of project %s", wlabel, p->text1);
		v.detail = wc_psprintf("Project %s, %s, net pay %s: wages are recorded only for workers registered on the project's roster.",
							p->text1, wlabel, wc_cents_str(v.amount));
		v.hint = w->found ? _("Add the worker to the project's roster (wagecheck.roster) first.")
			: _("Register the worker by real name (wagecheck.worker) and on the project's roster first.");
		wc_report(mode, relid, &v);
	}

	if (wc_get_int64(map, slot, WC_R_CORRECTS, &id))
	{
		int64		cworker,
					cproject;
		bool		ok;

		ok = !corrected_line(id, &cworker, &cproject) ||	/* the foreign key reports a missing line */
			(w->found && cworker == w->n1 && cproject == p->n1);
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_WC_BAD_CORRECTION),
					 errmsg("pay-sheet line %lld may only be corrected by a line for the same worker and project", (long long) id),
					 errdetail("Project %s, %s, net pay %s.", p->text1, wlabel, wc_cents_str(v.amount))));
	}

	/*
	 * wages recorded against a project whose account is closed (here or in an
	 * attached table): a new line, or an update raising what the line owes or
	 * moving it to another sheet, project, worker or corrected line
	 */
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		static const wc_role owner[] = {WC_R_SHEET, WC_R_PROJECT, WC_R_WORKER, WC_R_CORRECTS};
		int64		was;

		change = changed_roles(map, owner, lengthof(owner));
		if (change == NULL && (was = wc_line_net(map, map->oldslot)) < v.amount)
			change = wc_psprintf("raised from %s", wc_cents_str(was));
		else if (change != NULL)
			change = wc_psprintf("changed %s", change);
	}
	if ((TRIGGER_FIRED_BY_INSERT(td->tg_event) || change != NULL) &&
		(closed = key ? (key->accounts->flag ? key->accounts : NULL) : wc_accounts_closed(p->n1, p->text1, true)) != NULL)
	{
		char	   *what = change ? wc_psprintf(" (%s after closure)", change) : "";

		v.rule = "AC05";
		v.sqlstate = ERRCODE_WC_ACCOUNT_CLOSED;
		v.message = wc_psprintf("the dedicated wage account of project %s is closed: no new wages can be recorded", p->text1);
		v.detail = closed->n2 == InvalidOid
			? wc_psprintf("Project %s, %s, net pay %s%s.", p->text1, wlabel, wc_cents_str(v.amount), what)
			: wc_psprintf("Project %s, %s, net pay %s%s: every account of the project in %s is closed.",
					   p->text1, wlabel, wc_cents_str(v.amount), what, wc_relid_label((Oid) closed->n2));
		v.hint = _("Wages owed after closure mean the account was closed too early; reopen it.");
		wc_report(mode, relid, &v);
	}
}

/*
 * Payments of a table that names the project and the worker (a legacy payment
 * record, not tied to wagecheck's pay lines): the worker is on the project's
 * roster (RN01) and is paid from the account into his own registered card (WP04).
 */
static void
check_payment_direct(TriggerData *td, wc_map *map, TupleTableSlot *slot)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	wc_lookup  *p,
			   *w;
	char	   *wlabel = NULL,
			   *card = NULL,
			   *own = NULL;
	const char *mp = NULL;
	int			mlen = 0;
	int64		amount = 0;
	wc_method	method = WC_METHOD_NONE;
	bool		matches = false;
	wc_mode		mode;
	wc_violation v;
	wc_lookup  *closed;
	char	   *change;
	char	   *defect = NULL;

	if ((p = wc_project_lookup(map, slot, true)) == NULL)
	{
		wc_project_unresolved(map, slot, relid, "RN01", "payment");
		return;
	}
	mode = wc_eff_mode(map, p->mode);
	if ((w = wc_worker_lookup(map, slot, p->n1, &wlabel, &defect)) == NULL)
	{
		wc_unresolved(map, slot, relid, mode, WC_R_WORKER, "RN01", "payment", p->n1,
					  wc_role_text(map, slot, WC_R_WORKER),
					  defect ? wc_psprintf("Not a resident ID number: %s", defect)
					  : _("A wage payment names the worker it pays."));
		return;
	}
	if (!wc_get_cents(map, slot, WC_R_AMOUNT, &amount))
	{
		wc_unresolved(map, slot, relid, mode, WC_R_AMOUNT, "WP04", "payment", p->n1, NULL,
					  _("A wage payment without an amount cannot be checked."));
		return;
	}
	if (wc_get_textn(map, slot, WC_R_METHOD, &mp, &mlen))
	{
		method = wc_parse_method(mp, mlen);
		if (method == WC_METHOD_UNKNOWN)
		{
			char	   *n = wc_norm(mp, mlen, 0);	/* full-width letters, padding */

			method = wc_parse_method(n, strlen(n));
		}
		if (method == WC_METHOD_UNKNOWN)
		{
			wc_unresolved(map, slot, relid, mode, WC_R_METHOD, "WP04", "payment", p->n1, pnstrdup(mp, mlen),
						  _("Methods are written account/专户代发/银行代发, cash/现金 or other_account/他户代发."));
			return;
		}
	}
	if (wc_get_text(map, slot, WC_R_CARD, &card))
	{
		card = wc_trimmed(card);
		if (*card == '\0')
			card = NULL;
		else if ((defect = wc_ident_defect(card, 'c')) != NULL)
		{
			wc_unresolved(map, slot, relid, mode, WC_R_CARD, "WP04", "payment", p->n1, card,
						  wc_psprintf("Not a bank card number: %s", defect));
			return;
		}
	}
	if (w->found && method != WC_METHOD_CASH && method != WC_METHOD_OTHER_ACCOUNT)
	{
		Oid			types[2] = {INT8OID, TEXTOID};
		Datum		args[2];
		char		nulls[2] = {' ', card ? ' ' : 'n'};
		bool		isnull;
		Datum		m;
		MemoryContext caller = CurrentMemoryContext;

		args[0] = Int64GetDatum(w->n1);
		args[1] = card ? CStringGetTextDatum(card) : (Datum) 0;
		SPI_connect();
		if (SPI_execute_plan(wc_plan(WC_P_PAYMENT_CARD,
									 "SELECT w.wage_card::text, w.wage_card OPERATOR(wagecheck.=) CASE"
									 " WHEN wagecheck.is_valid_bank_card($2) THEN $2::wagecheck.bank_card END"
									 " FROM wagecheck.worker w WHERE w.worker_id = $1", 2, types),
							 args, nulls, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "wagecheck: card lookup failed");
		if (SPI_processed > 0)
		{
			own = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
			own = own ? MemoryContextStrdup(caller, own) : NULL;	/* SPI's memory goes at SPI_finish */
			m = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
			matches = !isnull && DatumGetBool(m);
		}
		SPI_finish();
	}

	memset(&v, 0, sizeof(v));
	v.subject_kind = "payment";
	v.subject_id = wc_subject_id(map, slot);
	v.project_id = p->n1;
	v.amount = amount;
	v.worker = wlabel;
	if (!w->found || !w->flag)
	{
		v.rule = "RN01";
		v.sqlstate = ERRCODE_WC_NOT_ON_ROSTER;
		v.message = wc_psprintf("%s is not on the real-name roster of project %s", wlabel, p->text1);
		v.detail = wc_psprintf("Project %s, %s, payment of %s: wages are paid only to workers registered on the project's roster.",
							p->text1, wlabel, wc_cents_str(amount));
		v.hint = w->found ? _("Add the worker to the project's roster (wagecheck.roster) first.")
			: _("Register the worker by real name (wagecheck.worker) and on the project's roster first.");
		wc_report(mode, relid, &v);
	}
	if (method == WC_METHOD_CASH || method == WC_METHOD_OTHER_ACCOUNT)
	{
		v.rule = "WP04";
		v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
		v.message = wc_psprintf("wages of project %s must be paid from the dedicated account into the worker's own card, not by %s",
							 p->text1, method == WC_METHOD_CASH ? _("cash") : _("another account"));
		v.detail = wc_psprintf("Project %s, %s, payment of %s.", p->text1, wlabel, wc_cents_str(amount));
		v.hint = _("Pay through the project's dedicated wage account into the worker's registered card.");
		wc_report(mode, relid, &v);
	}
	else if (!matches)
	{
		v.rule = "WP04";
		v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
		v.message = wc_psprintf("wages of project %s must go to the worker's own registered card", p->text1);
		v.detail = wc_psprintf("Project %s, %s, payment of %s to %s; registered card: %s.", p->text1, wlabel,
							wc_cents_str(amount), card ? wc_masked(card) : "no card",
							own ? wc_masked(own) : "none");
		v.hint = own ? _("Pay into the worker's registered card.") : _("Register the worker's own wage card first.");
		wc_report(mode, relid, &v);
	}
	/* a new payment, or an update of its money (not of a note), after closure */
	change = payment_change(td, map);
	if ((TRIGGER_FIRED_BY_INSERT(td->tg_event) || change != NULL) &&
		(closed = wc_accounts_closed(p->n1, p->text1, true)) != NULL)
		report_paid_after_closure(mode, relid, &v, p->text1, closed, wlabel, amount, change);
}

/* A pay-sheet line as the checks of its payments see it. */
typedef struct paid_line
{
	int64		line_id;		/* hash key */
	int64		worker_id;
	int64		project_id;
	char		mode;			/* the project's enforcement_mode */
	bool		rostered;
	char	   *code;			/* the project's code */
	char	   *name;			/* the worker's name */
	char	   *own;			/* the worker's registered card, or NULL */
	int64		sheet_id;		/* (read by the probes only: shared with the summaries) */
	bool		card_null;
	int64		card;			/* own, as the bank_card it is */
} paid_line;

static bool paid_line_probe(wc_probe *pr, int64 line, paid_line *e, MemoryContext cxt);

/* The lines of the statement's new payments, read at once (NULL: looked up row by row). */
static HTAB *paid_lines = NULL;

#define PAID_LINE_COLS \
	"SELECT l.line_id, l.worker_id, s.project_id, p.code, p.enforcement_mode, w.name, w.wage_card::text," \
	" EXISTS (SELECT 1 FROM wagecheck.roster r WHERE r.project_id = s.project_id" \
	" AND r.worker_id = l.worker_id)"
#define PAID_LINE_SQL PAID_LINE_COLS \
	" FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s USING (sheet_id)" \
	" JOIN wagecheck.project p ON p.project_id = s.project_id" \
	" JOIN wagecheck.worker w ON w.worker_id = l.worker_id"
/*
 * the lines of an array of ids, each looked up by its keys' indexes (OFFSET 0 keeps the
 * lateral lookups apart: a generic plan for an array of unknown length may otherwise hash
 * the whole of a small table on every statement)
 */
#define PAID_LINES_SQL PAID_LINE_COLS \
	" FROM unnest($1::bigint[]) u(line_id)," \
	" LATERAL (SELECT l.line_id, l.sheet_id, l.worker_id FROM wagecheck.pay_line l" \
	"          WHERE l.line_id = u.line_id OFFSET 0) l," \
	" LATERAL (SELECT s.project_id FROM wagecheck.pay_sheet s WHERE s.sheet_id = l.sheet_id OFFSET 0) s," \
	" LATERAL (SELECT p.code, p.enforcement_mode FROM wagecheck.project p" \
	"          WHERE p.project_id = s.project_id OFFSET 0) p," \
	" LATERAL (SELECT w.name, w.wage_card FROM wagecheck.worker w WHERE w.worker_id = l.worker_id OFFSET 0) w"

/*
 * The accounts of each project of the lines, locked FOR SHARE (as wc_accounts_closed locks
 * them) in the same query, as rows of their own after the lines' (no line id): project,
 * code, number of accounts, open ones; each project once, in project order.
 */
#define PROJECT_ACCOUNTS(x, before, after) \
	" UNION ALL SELECT " before " j.project_id, j.code, " after " a.accounts, a.open" \
	"  FROM (SELECT DISTINCT " x ".project_id, " x ".code FROM " x " ORDER BY 1) j" \
	"  CROSS JOIN LATERAL (" WC_ACCOUNTS_SQL("j.project_id") ") a"
/* a single payment's line and its project's accounts (as PAID_LINE_SQL and PROJECT_ACCOUNTS) */
#define PAID_LINE_ACCTS_SQL PAID_LINE_COLS ", a.accounts, a.open" \
	" FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s USING (sheet_id)" \
	" JOIN wagecheck.project p ON p.project_id = s.project_id" \
	" JOIN wagecheck.worker w ON w.worker_id = l.worker_id" \
	" CROSS JOIN LATERAL (" WC_ACCOUNTS_SQL("s.project_id") ") a" \
	" WHERE l.line_id = $1"
/* the lines of an array of ids (PAID_LINES_SQL), then their projects' accounts */
#define PAID_LINES_ACCTS_SQL \
	"WITH x (line_id, worker_id, project_id, code, mode, name, card, rostered) AS MATERIALIZED (" \
	PAID_LINES_SQL ")" \
	" SELECT x.*, NULL::bigint, NULL::bigint FROM x" \
	PROJECT_ACCOUNTS("x", "NULL, NULL,", "NULL, NULL, NULL, NULL,")

/* paid_line_read: the line of SPI's result row i into e (its texts in cxt). */
static void
paid_line_read(uint64 i, paid_line *e, MemoryContext cxt)
{
	HeapTuple	r = SPI_tuptable->vals[i];
	TupleDesc	rd = SPI_tuptable->tupdesc;
	bool		isnull;
	char	   *own;

	e->worker_id = DatumGetInt64(SPI_getbinval(r, rd, 2, &isnull));
	e->project_id = DatumGetInt64(SPI_getbinval(r, rd, 3, &isnull));
	e->code = MemoryContextStrdup(cxt, SPI_getvalue(r, rd, 4));
	e->mode = SPI_getvalue(r, rd, 5)[0];
	/* copied out of SPI memory (a palloc there would go with it at SPI_finish) */
	e->name = MemoryContextStrdup(cxt, SPI_getvalue(r, rd, 6));
	own = SPI_getvalue(r, rd, 7);
	e->own = own ? MemoryContextStrdup(cxt, own) : NULL;
	e->rostered = DatumGetBool(SPI_getbinval(r, rd, 8, &isnull));
}

/* payment_line: what the payment's checks need of pay line line; false when there is no such line. */
static bool
payment_line(int64 line, paid_line *out)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(line);
	bool		found;
	MemoryContext caller = CurrentMemoryContext;

	if (paid_lines != NULL)
	{
		paid_line  *e = hash_search(paid_lines, &line, HASH_FIND, NULL);

		if (e != NULL)
			*out = *e;
		return e != NULL;
	}
	if (wc_row_probe != NULL && paid_line_probe(wc_row_probe, line, out, caller))
		return true;
	SPI_connect();
	wc_spi_select(WC_P_PAYMENT_LINE, PAID_LINE_SQL " WHERE l.line_id = $1", 1, &type, &arg);
	found = SPI_processed > 0;
	if (found)
		paid_line_read(0, out, caller);
	SPI_finish();
	return found;
}

/* Wage payments: real name (RN01), the worker's own registered card (WP04), an open account (AC05). */
void
wc_check_wage_payment(TriggerData *td, wc_map *map, TupleTableSlot *slot)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	int64		line,
				amount = 0;
	char	   *method = NULL,
			   *card = NULL;
	wc_violation v;
	wc_mode		mode;
	paid_line	pl;
	wc_lookup  *closed;
	char	   *change;
	char	   *label;

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		return;
	if (map->attnum[WC_R_LINE] == 0)
	{
		check_payment_direct(td, map, slot);
		return;
	}
	if (!wc_get_int64(map, slot, WC_R_LINE, &line))
	{
		if (wc_fail_closed(map))
			wc_unresolved(map, slot, relid, map->mode, WC_R_LINE, "RN01", "payment", 0, NULL,
						  _("A wage payment names the pay-sheet line it pays."));
		return;
	}
	wc_get_cents(map, slot, WC_R_AMOUNT, &amount);
	wc_get_text(map, slot, WC_R_METHOD, &method);
	wc_get_text(map, slot, WC_R_CARD, &card);
	if (!payment_line(line, &pl))
	{
		if (wc_fail_closed(map))
			wc_project_unresolved(map, slot, relid, "RN01", "payment");
		return;					/* on wagecheck's own table the foreign key reports a missing line */
	}
	mode = wc_eff_mode(map, pl.mode);
	/* a payment to a rostered worker's own card from an open account: nothing to report */
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) && pl.rostered && (method == NULL || strcmp(method, "account") == 0) &&
		card != NULL && pl.own != NULL && strcmp(card, pl.own) == 0 &&
		wc_accounts_closed(pl.project_id, pl.code, true) == NULL)
		return;
	label = wc_psprintf("%s (worker %lld)", pl.name, (long long) pl.worker_id);

	memset(&v, 0, sizeof(v));
	v.subject_kind = "payment";
	v.subject_id = wc_subject_id(map, slot);
	v.project_id = pl.project_id;
	v.amount = amount;
	v.worker = label;
	if (!pl.rostered)
	{
		v.rule = "RN01";
		v.sqlstate = ERRCODE_WC_NOT_ON_ROSTER;
		v.message = wc_psprintf("%s is not on the real-name roster of project %s", label, pl.code);
		v.detail = wc_psprintf("Project %s, %s, payment of %s against pay-sheet line %lld.",
							pl.code, label, wc_cents_str(amount), (long long) line);
		v.hint = _("Add the worker to the project's roster (wagecheck.roster) first.");
		wc_report(mode, relid, &v);
	}
	if (method && strcmp(method, "account") != 0)
	{
		v.rule = "WP04";
		v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
		v.message = wc_psprintf("wages of project %s must be paid from the dedicated account into the worker's own card, not by %s",
							 pl.code, strcmp(method, "cash") == 0 ? _("cash") : _("another account"));
		v.detail = wc_psprintf("Project %s, %s, payment of %s.", pl.code, label, wc_cents_str(amount));
		v.hint = _("Pay through the project's dedicated wage account into the worker's registered card.");
		wc_report(mode, relid, &v);
	}
	else if (card == NULL || pl.own == NULL || strcmp(card, pl.own) != 0)
	{
		v.rule = "WP04";
		v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
		v.message = wc_psprintf("wages of project %s must go to the worker's own registered card", pl.code);
		v.detail = wc_psprintf("Project %s, %s, payment of %s to %s; registered card: %s.", pl.code, label,
							wc_cents_str(amount), card ? wc_masked(card) : "no card",
							pl.own ? wc_masked(pl.own) : "none");
		v.hint = pl.own ? _("Pay into the worker's registered card.") : _("Register the worker's own wage card first.");
		wc_report(mode, relid, &v);
	}
	/* asked once per project and statement (the statement-level trigger forgets the answer) */
	change = payment_change(td, map);
	if ((TRIGGER_FIRED_BY_INSERT(td->tg_event) || change != NULL) &&
		(closed = wc_accounts_closed(pl.project_id, pl.code, true)) != NULL)
		report_paid_after_closure(mode, relid, &v, pl.code, closed, label, amount, change);
}

/*
 * new_ids: the distinct values of an integer role in the rows of the statement's
 * transition table (NULLs left out), in the order they first come, as a bigint[] Datum; *n
 * of them, also in *out.
 */
static Datum
new_ids(TriggerData *td, wc_map *map, wc_role role, int *n, int64 **out)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(map->desc, &TTSOpsMinimalTuple);
	HASHCTL		ctl;
	HTAB	   *seen;
	Datum	   *ids;
	int			cap = 64;

	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(int64);
	ctl.hcxt = CurrentMemoryContext;
	seen = hash_create("wagecheck new ids", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ids = palloc(sizeof(Datum) * cap);
	*n = 0;
	tuplestore_rescan(td->tg_newtable);
	while (tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
	{
		int64		id;
		bool		found;

		if (!wc_get_int64(map, slot, role, &id))
			continue;
		hash_search(seen, &id, HASH_ENTER, &found);
		if (found)
			continue;
		if (*n == cap)
		{
			cap *= 2;
			ids = repalloc_huge(ids, sizeof(Datum) * cap);
		}
		ids[(*n)++] = Int64GetDatum(id);
	}
	ExecDropSingleTupleTableSlot(slot);
	hash_destroy(seen);
	*out = palloc(sizeof(int64) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
		(*out)[i] = DatumGetInt64(ids[i]);
	return PointerGetDatum(construct_array_builtin(ids, *n, INT8OID));
}

/*
 * The projects of a statement's rows read by probes, each once: its code, then (in project
 * order) its accounts as WC_ACCOUNTS_SQL counts them.
 */
typedef struct probed_project
{
	int64		project_id;		/* hash key */
	const char *code;
	int64		accounts;
	int64		open;
	wc_lookup  *answer;			/* wc_accounts_closed's, once kept */
} probed_project;

typedef struct probed_projects
{
	HTAB	   *seen;			/* project_id -> index in list + 1 */
	probed_project *list;
	int			n;
	int			cap;
} probed_projects;

/* projects_init: no project yet (in the current memory context). */
static void
projects_init(probed_projects *pp)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(int64) * 2;
	ctl.hcxt = CurrentMemoryContext;
	pp->seen = hash_create("wagecheck probed projects", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	pp->cap = 16;
	pp->n = 0;
	pp->list = palloc(sizeof(probed_project) * pp->cap);
}

/* projects_add: project (of code) among the statement's projects, once. */
static void
projects_add(probed_projects *pp, int64 project, const char *code)
{
	bool		found;

	hash_search(pp->seen, &project, HASH_ENTER, &found);
	if (found)
		return;
	if (pp->n == pp->cap)
	{
		pp->cap *= 2;
		pp->list = repalloc(pp->list, sizeof(probed_project) * pp->cap);
	}
	pp->list[pp->n].project_id = project;
	pp->list[pp->n].code = code;
	pp->n++;
}

/* project_cmp: qsort's order of projects, by id. */
static int
project_cmp(const void *a, const void *b)
{
	int64		x = ((const probed_project *) a)->project_id,
				y = ((const probed_project *) b)->project_id;

	return x < y ? -1 : x > y;
}

/*
 * projects_lock: the accounts of the statement's projects as PROJECT_ACCOUNTS reads them: each
 * project once, in project order, its open account (or every account, when none is open)
 * locked FOR SHARE. False when a probe cannot answer as the query would (the statement's query
 * runs then, and takes the same locks).
 */
static bool
projects_lock(wc_probe *pr, probed_projects *pp)
{
	qsort(pp->list, pp->n, sizeof(probed_project), project_cmp);
	for (int i = 0; i < pp->n; i++)
		if (!wc_probe_accounts(pr, pp->list[i].project_id, &pp->list[i].accounts, &pp->list[i].open))
			return false;
	return true;
}

/*
 * keep_for_capture: the statement's new rows' keys (keys[0..n): sheets, kind 's', or lines,
 * 'l') and the projects they belong to, as the probes read them, kept for the statement's
 * change capture (state.c).
 */
static void
keep_for_capture(TriggerData *td, char kind, const int64 *keys, int n, probed_projects *pp)
{
	int64	   *projects = palloc(sizeof(int64) * Max(pp->n, 1));

	for (int i = 0; i < pp->n; i++)
		projects[i] = pp->list[i].project_id;
	wc_enforced_keep(RelationGetRelid(td->tg_relation), kind, td->tg_newtable, keys, n, projects, pp->n);
}

/* projects_keep: the accounts read by projects_lock kept as the statement's query keeps them (project order). */
static void
projects_keep(probed_projects *pp)
{
	for (int i = 0; i < pp->n; i++)
		wc_accounts_closed_probed(pp->list[i].project_id, pp->list[i].code, pp->list[i].accounts,
								  pp->list[i].open);
}

/*
 * project_accounts: the rows of SPI's result that give a project's accounts (no line: a
 * NULL in column key_col) as wc_accounts_closed will answer them, after the rows are read
 * (what it calls may run statements of its own); project and code in columns proj_col
 * and proj_col + 1, the number of accounts and of open ones in acct_col and acct_col + 1.
 */
static void
project_accounts(int key_col, int proj_col, int acct_col)
{
	SPITupleTable *t = SPI_tuptable;
	uint64		n = SPI_processed;

	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	r = t->vals[i];
		bool		isnull;

		(void) SPI_getbinval(r, t->tupdesc, key_col, &isnull);
		if (!isnull)
			continue;
		wc_accounts_closed_known(DatumGetInt64(SPI_getbinval(r, t->tupdesc, proj_col, &isnull)),
								 SPI_getvalue(r, t->tupdesc, proj_col + 1),
								 DatumGetInt64(SPI_getbinval(r, t->tupdesc, acct_col, &isnull)),
								 DatumGetInt64(SPI_getbinval(r, t->tupdesc, acct_col + 1, &isnull)));
	}
}

/*
 * paid_line_probe: the line of a payment as PAID_LINE_SQL reads it (the line's sheet, project
 * and worker, his roster entry), read by probes into *e (texts in cxt); false when a probe
 * cannot answer as the query would.
 */
static bool
paid_line_probe(wc_probe *pr, int64 line, paid_line *e, MemoryContext cxt)
{
	int64		sheet,
				worker,
				project;
	char	   *code,
			   *name,
				mode,
				card[WC_PROBE_CARD_LEN];
	int			rostered;

	if (!wc_probe_line(pr, line, &sheet, &worker) || !wc_probe_sheet(pr, sheet, &project) ||
		!wc_probe_project(pr, project, &code, &mode) || !wc_probe_worker(pr, worker, &name, card) ||
		(rostered = wc_probe_rostered(pr, project, worker)) < 0)
		return false;
	e->line_id = line;
	e->worker_id = worker;
	e->project_id = project;
	e->code = MemoryContextStrdup(cxt, code);
	e->mode = mode;
	e->name = MemoryContextStrdup(cxt, name);
	e->own = card[0] != '\0' ? MemoryContextStrdup(cxt, card) : NULL;
	e->rostered = rostered == 1;
	e->sheet_id = sheet;
	e->card_null = !wc_probe_worker_card(pr, &e->card);
	return true;
}

/* ---------------------------------------------------------------------------------------
 * What the checks of a statement's new payments read of their lines (sheet, worker, the
 * worker's card), shared with the summaries' trigger of the same statement
 * (src/alerts/wage_keyed.c), which fires after this one and would read the same rows again.
 * Kept only when the probes read them (as the statement sees them), for the statement's
 * transition table (its rows, the table and the transaction name it), and forgotten when the
 * summaries take it, when the next statement's checks begin, on any invalidation of the
 * catalog (a trigger enabled, disabled, added) and at a subtransaction's abort; the summaries
 * take it only when every other trigger of the table is wagecheck's (nothing of another's
 * runs between the two).
 */
typedef struct shared_line
{
	int64		line_id;		/* hash key */
	int64		sheet_id;
	int64		worker_id;
	bool		card_null;
	int64		card;
} shared_line;

static struct
{
	bool		set;
	LocalTransactionId lxid;
	Oid			relid;
	const void *rows;
	HTAB	   *lines;			/* (in TopTransactionContext), or: */
	int			nfew;			/* a few lines, in few[] */
	shared_line few[8];
	Snapshot	snapshot;		/* what they were read with (a copy, in TopTransactionContext) */
} shared;
static bool shared_registered = false;

/* shared_invalidate: a relation's cache entry changed (src/catalog_watch.c): what is shared forgotten */
static void
shared_invalidate(Oid relid)
{
	shared.set = false;
}

static void
shared_forget_subxact(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		shared.set = false;
}

/*
 * shared_forget: what is shared forgotten (its memory freed while its transaction runs, also
 * after an invalidation or a subtransaction's abort made it unusable)
 */
static void
shared_forget(void)
{
	if (shared.lxid == MyProc->lxid)
	{
		if (shared.lines != NULL)
			hash_destroy(shared.lines);
		if (shared.snapshot != NULL)
			pfree(shared.snapshot);
	}
	memset(&shared, 0, sizeof(shared));
}

/*
 * wc_snapshot_copy: a copy of MVCC snapshot s in cxt, for telling afterwards whether a
 * transaction had committed when s was taken (XidInMVCCSnapshot); not registered, never
 * made active.
 */
Snapshot
wc_snapshot_copy(Snapshot s, MemoryContext cxt)
{
	Size		size = add_size(add_size(sizeof(SnapshotData), mul_size(sizeof(TransactionId), s->xcnt)),
								mul_size(sizeof(TransactionId), s->subxcnt > 0 ? s->subxcnt : 0));
	Snapshot	c = MemoryContextAlloc(cxt, size);

	memcpy(c, s, sizeof(SnapshotData));
	c->xip = (TransactionId *) (c + 1);
	if (s->xcnt > 0)
		memcpy(c->xip, s->xip, sizeof(TransactionId) * s->xcnt);
	c->subxip = c->xip + s->xcnt;
	if (s->subxcnt > 0)
		memcpy(c->subxip, s->subxip, sizeof(TransactionId) * s->subxcnt);
	c->regd_count = 0;
	c->active_count = 0;
	c->copied = true;
	return c;
}

/*
 * shared_keep: the lines the probes read for the statement's payments kept for its summaries,
 * with (a copy of) the snapshot they were read with, seen (in TopTransactionContext: kept)
 */
static void
shared_keep(TriggerData *td, const paid_line *read, int n, Snapshot seen)
{
	HASHCTL		ctl;

	shared_forget();
	if (!shared_registered)
	{
		wc_relcache_subscribe(shared_invalidate);
		RegisterSubXactCallback(shared_forget_subxact, NULL);
		shared_registered = true;
	}
	if (n > lengthof(shared.few))
	{
		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(shared_line);
		ctl.hcxt = TopTransactionContext;
		shared.lines = hash_create("wagecheck shared lines", n, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	for (int i = 0; i < n; i++)
	{
		shared_line *e = shared.lines != NULL ? hash_search(shared.lines, &read[i].line_id, HASH_ENTER, NULL) :
			&shared.few[shared.nfew++];

		e->line_id = read[i].line_id;
		e->sheet_id = read[i].sheet_id;
		e->worker_id = read[i].worker_id;
		e->card_null = read[i].card_null;
		e->card = read[i].card;
	}
	shared.snapshot = seen;
	shared.lxid = MyProc->lxid;
	shared.relid = RelationGetRelid(td->tg_relation);
	shared.rows = td->tg_newtable;
	shared.set = true;
}

/*
 * wc_paid_lines_shared: whether the checks of the statement of transition table rows on relid
 * (its new payments) kept what they read of the payments' lines (for wc_paid_line_shared).
 */
bool
wc_paid_lines_shared(Relation rel, const void *rows)
{
	TriggerDesc *trig = rel->trigdesc;
	Oid			nsp;

	if (!shared.set || shared.lxid != MyProc->lxid || shared.relid != RelationGetRelid(rel) || shared.rows != rows ||
		trig == NULL)
		return false;
	nsp = wc_schema_oid();
	for (int i = 0; i < trig->numtriggers; i++)
		if (!trig->triggers[i].tgisinternal && get_func_namespace(trig->triggers[i].tgfoid) != nsp)
			return false;
	return true;
}

/* wc_paid_line_shared: a line kept by the statement's checks (after wc_paid_lines_shared said true); false when not kept. */
bool
wc_paid_line_shared(int64 line, int64 *sheet, int64 *worker, bool *card_null, int64 *card)
{
	shared_line *e = NULL;

	if (shared.set && shared.lines != NULL)
		e = hash_search(shared.lines, &line, HASH_FIND, NULL);
	for (int i = 0; shared.set && shared.lines == NULL && e == NULL && i < shared.nfew; i++)
		if (shared.few[i].line_id == line)
			e = &shared.few[i];
	if (e == NULL)
		return false;
	*sheet = e->sheet_id;
	*worker = e->worker_id;
	*card_null = e->card_null;
	*card = e->card;
	return true;
}

/*
 * wc_paid_lines_snapshot: the snapshot the kept lines and cards were read with (after
 * wc_paid_lines_shared said true): a transaction it does not see may have changed a card since.
 */
Snapshot
wc_paid_lines_snapshot(void)
{
	return shared.set ? shared.snapshot : NULL;
}

/* wc_paid_lines_forget: what the statement's checks kept, forgotten (the summaries took it). */
void
wc_paid_lines_forget(void)
{
	shared_forget();
}

/*
 * payment_probe: what PAID_LINE_ACCTS_SQL reads for a statement's one new payment (its
 * line as paid_line_probe reads it, the project's accounts locked FOR SHARE) read by probes
 * into paid_lines (texts in cxt) and the statement's lookups; false (nothing kept) when a
 * probe cannot answer as the query would: the query runs then.
 */
static bool
payment_probe(TriggerData *td, int64 line, MemoryContext cxt)
{
	wc_probe	pr;
	int64		accounts,
				open;
	paid_line	pl;
	bool		ok;
	Snapshot	seen = NULL;

	ok = wc_probe_begin(&pr);
	if (ok)
	{
		ok = paid_line_probe(&pr, line, &pl, cxt) && wc_probe_accounts(&pr, pl.project_id, &accounts, &open);
		if (ok)
			seen = wc_snapshot_copy(pr.snapshot, TopTransactionContext);
		wc_probe_end(&pr);
	}
	elog(DEBUG1, ok ? "wagecheck: the new payment's line and accounts read by probes"
		 : "wagecheck: the new payment's line and accounts read by the query (a probe could not answer)");
	if (!ok)
		return false;
	*(paid_line *) hash_search(paid_lines, &line, HASH_ENTER, NULL) = pl;
	shared_keep(td, &pl, 1, seen);
	wc_accounts_closed_probed(pl.project_id, pl.code, accounts, open);
	wc_enforced_keep(RelationGetRelid(td->tg_relation), 'l', td->tg_newtable, &line, 1, &pl.project_id, 1);
	return true;
}

/*
 * payments_probe: what PAID_LINES_ACCTS_SQL reads for a statement's new payments of lines[0..n)
 * (distinct): each line as paid_line_probe reads it (its sheet, project, worker and roster
 * entry each read once for the statement), then the accounts of their projects, each project
 * once and in project order, locked FOR SHARE; kept into paid_lines (texts in cxt) and the
 * statement's lookups only when every probe answered as the query would (else nothing is
 * kept and the query runs).
 */
static bool
payments_probe(TriggerData *td, int64 *lines, int n, MemoryContext cxt)
{
	wc_probe	pr;
	paid_line  *read = palloc(sizeof(paid_line) * n);
	probed_projects pp;
	bool		ok = true;
	Snapshot	seen = NULL;

	if (!wc_probe_begin(&pr))
		return false;
	wc_probe_memoize(&pr);
	projects_init(&pp);
	for (int i = 0; ok && i < n; i++)
		if ((ok = paid_line_probe(&pr, lines[i], &read[i], cxt)))
			projects_add(&pp, read[i].project_id, read[i].code);
	ok = ok && projects_lock(&pr, &pp);
	if (ok)
		seen = wc_snapshot_copy(pr.snapshot, TopTransactionContext);
	wc_probe_end(&pr);
	elog(DEBUG1, ok ? "wagecheck: the new payments' lines and accounts read by probes (distinct lines: %d)"
		 : "wagecheck: the new payments' lines and accounts read by the query (distinct lines: %d; a probe could not answer)", n);
	if (!ok)
		return false;
	for (int i = 0; i < n; i++)
		*(paid_line *) hash_search(paid_lines, &lines[i], HASH_ENTER, NULL) = read[i];
	shared_keep(td, read, n, seen);
	projects_keep(&pp);
	keep_for_capture(td, 'l', lines, n, &pp);
	return true;
}

/*
 * wc_check_new_payments: the statement's new wage payments, checked row by row after
 * the lines they pay, and the accounts of the lines' projects (locked FOR SHARE, as AC05
 * asks), are read in one query (a payroll file pays a line a row: one query a row was
 * most of its cost); they are read by probes (probe.c) instead, each line, sheet, project,
 * worker and roster entry once, whenever the probes can answer as the query would. What is
 * read is the lines, rosters, cards and accounts as the statement sees them: nothing is
 * kept past it.
 */
void
wc_check_new_payments(TriggerData *td, wc_map *map)
{
	wc_enforced_forget();		/* (nothing kept for the capture of an earlier statement) */
	shared_forget();			/* (nor for its summaries) */
	if (map->attnum[WC_R_LINE] != 0 && map->is_int[WC_R_LINE])
	{
		HASHCTL		ctl;
		int			n;
		MemoryContext cxt = CurrentMemoryContext;
		bool		one = tuplestore_tuple_count(td->tg_newtable) == 1;
		Datum		arg = (Datum) 0;
		int64	   *ids = NULL;

		if (one)
		{
			/* (a single row: its line by its id, no array to unnest) */
			TupleTableSlot *slot = MakeSingleTupleTableSlot(map->desc, &TTSOpsMinimalTuple);
			int64		line;

			tuplestore_rescan(td->tg_newtable);
			n = tuplestore_gettupleslot(td->tg_newtable, true, false, slot) &&
				wc_get_int64(map, slot, WC_R_LINE, &line);
			if (n)
				arg = Int64GetDatum(line);
			ExecDropSingleTupleTableSlot(slot);
		}
		else
			arg = new_ids(td, map, WC_R_LINE, &n, &ids);
		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(paid_line);
		ctl.hcxt = cxt;
		paid_lines = hash_create("wagecheck paid lines", Max(n, 16), &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		if (n > 0 && !(one ? payment_probe(td, DatumGetInt64(arg), cxt) : payments_probe(td, ids, n, cxt)))
		{
			Oid			type = one ? INT8OID : INT8ARRAYOID;
			paid_line  *e = NULL;

			SPI_connect();
			if (one)
				wc_spi_select(WC_P_PAYMENT_LINE_ACCTS, PAID_LINE_ACCTS_SQL, 1, &type, &arg);
			else
				wc_spi_select(WC_P_PAYMENT_LINES, PAID_LINES_ACCTS_SQL, 1, &type, &arg);

			for (uint64 i = 0; i < SPI_processed; i++)
			{
				bool		isnull;
				int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));

				if (isnull)
					continue;	/* a project's accounts */
				e = hash_search(paid_lines, &id, HASH_ENTER, NULL);
				paid_line_read(i, e, cxt);
			}
			/* (one line: its project's accounts on its row) */
			if (one && e != NULL)
			{
				bool		isnull;

				wc_accounts_closed_known(e->project_id, e->code,
										 DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
																	 9, &isnull)),
										 DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
																	 10, &isnull)));
			}
			if (!one)
				project_accounts(1, 3, 9);
			SPI_finish();
		}
	}
	PG_TRY();
	{
		wc_check_new_rows(td, map, wc_check_wage_payment);
	}
	PG_FINALLY();
	{
		paid_lines = NULL;		/* its memory goes with the call's */
	}
	PG_END_TRY();
}

/*
 * keep_line_keys: what the checks of a line look up (wc_project_lookup by its sheet,
 * wc_worker_lookup by its project and worker), kept in the statement's lookups as the
 * statement's query or probes read it: the sheet's project, its code and mode; whether the
 * worker is known, his name, whether he is on the project's roster.
 */
static void
keep_line_keys(int64 sheet, int64 project, const char *code, char mode, int64 worker, bool known,
			   const char *name, bool rostered)
{
	char		key[96];
	bool		found;
	wc_lookup  *l;

	snprintf(key, sizeof(key), "S" INT64_FORMAT, sheet);
	l = wc_lookup_find(key, &found);
	if (!found)
	{
		l->found = true;
		l->n1 = project;
		strlcpy(l->text1, code, sizeof(l->text1));
		l->mode = mode;
	}
	snprintf(key, sizeof(key), "W" INT64_FORMAT ":" INT64_FORMAT, project, worker);
	l = wc_lookup_find(key, &found);
	if (!found)
	{
		l->found = known;
		if (known)
		{
			l->n1 = worker;
			strlcpy(l->text1, name, sizeof(l->text1));
			l->flag = rostered;
		}
	}
}

/*
 * line_probe: what WC_P_LINE_KEY_ONE reads for a statement's one new line (its sheet's
 * project, the worker, his roster entry, the project's accounts locked FOR SHARE) read by
 * probes, kept for the line's checks (probed_one) and its accounts as wc_accounts_closed_known
 * keeps them; false (nothing kept) when a probe cannot answer as the query would: the query
 * runs then.
 */
static bool
line_probe(TriggerData *td, wc_probe *pr, int64 sheet, int64 worker)
{
	int64		project,
				accounts,
				open;
	char	   *code,
			   *name,
				mode,
				card[WC_PROBE_CARD_LEN];
	int			rostered;
	line_key   *k;

	if (!wc_probe_sheet(pr, sheet, &project) || !wc_probe_project(pr, project, &code, &mode) ||
		!wc_probe_worker(pr, worker, &name, card) || (rostered = wc_probe_rostered(pr, project, worker)) < 0 ||
		!wc_probe_accounts(pr, project, &accounts, &open))
		return false;
	k = palloc(sizeof(line_key));
	k->sheet = sheet;
	k->worker = worker;
	line_key_read(k, project, code, mode, name, rostered == 1);
	wc_accounts_closed_probed(project, code, accounts, open);
	k->accounts = project_answer(project);
	probed_one = k;
	wc_enforced_keep(RelationGetRelid(td->tg_relation), 's', td->tg_newtable, &sheet, 1, &project, 1);
	return true;
}

/*
 * lines_probe: what WC_P_LINE_KEYS reads for a statement's new lines (sheets[i], workers[i],
 * i < n) read by probes: each distinct sheet and worker, each sheet's project, each worker's
 * roster entry of it once, then the accounts of their projects, each project once and in
 * project order, locked FOR SHARE; kept for the lines' checks (probed_lines) and the
 * accounts as wc_accounts_closed_known keeps them only when every probe answered as the query
 * would (else nothing is kept and the query runs).
 */
static bool
lines_probe(TriggerData *td, wc_probe *pr, Datum *sheets, Datum *workers, int n)
{
	HASHCTL		ctl;
	HTAB	   *keys;
	probed_projects pp;
	HASH_SEQ_STATUS seq;
	line_key   *k;

	ctl.keysize = sizeof(int64) * 2;
	ctl.entrysize = sizeof(line_key);
	ctl.hcxt = CurrentMemoryContext;
	keys = hash_create("wagecheck new lines' keys", Min(n, 1024), &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	wc_probe_memoize(pr);
	projects_init(&pp);
	for (int i = 0; i < n; i++)
	{
		int64		key[2] = {DatumGetInt64(sheets[i]), DatumGetInt64(workers[i])},
					project;
		bool		found;
		char	   *code,
				   *name,
					mode,
					card[WC_PROBE_CARD_LEN];
		int			rostered;

		k = hash_search(keys, key, HASH_ENTER, &found);
		if (found)
			continue;
		if (!wc_probe_sheet(pr, key[0], &project) || !wc_probe_project(pr, project, &code, &mode) ||
			!wc_probe_worker(pr, key[1], &name, card) || (rostered = wc_probe_rostered(pr, project, key[1])) < 0)
			return false;
		line_key_read(k, project, code, mode, name, rostered == 1);
		projects_add(&pp, project, code);
	}
	if (!projects_lock(pr, &pp))
		return false;
	projects_keep(&pp);
	/* each line's project's answer, the projects now in order */
	for (int i = 0; i < pp.n; i++)
		pp.list[i].answer = project_answer(pp.list[i].project_id);
	hash_seq_init(&seq, keys);
	while ((k = hash_seq_search(&seq)) != NULL)
	{
		probed_project key = {.project_id = k->sheet_lookup.n1};
		probed_project *j = bsearch(&key, pp.list, pp.n, sizeof(probed_project), project_cmp);

		Assert(j != NULL);
		k->accounts = j->answer;
	}
	probed_lines = keys;
	{
		int64	   *ids = palloc(sizeof(int64) * n);

		for (int i = 0; i < n; i++)
			ids[i] = DatumGetInt64(sheets[i]);
		keep_for_capture(td, 's', ids, n, &pp);
	}
	return true;
}

/*
 * wc_check_new_lines: the statement's new pay-sheet lines, checked row by row after
 * their sheets and workers (name, on the project's roster) and the accounts of their
 * projects (locked FOR SHARE, as AC05 asks) are read in one query into the statement's
 * lookups, where the checks find them; they are read by probes (probe.c) instead, each
 * sheet, project, worker and roster entry once, whenever the probes can answer as the query
 * would, and so are the lines corrected.
 */
void
wc_check_new_lines(TriggerData *td, wc_map *map)
{
	wc_probe	pr;
	bool		probed = false;

	probed_lines = NULL;		/* (none left over from a statement that failed) */
	probed_one = NULL;
	wc_enforced_forget();		/* (nor kept for the capture of an earlier statement) */
	if (map->attnum[WC_R_SHEET] != 0 && map->is_int[WC_R_SHEET] &&
		map->attnum[WC_R_WORKER] != 0 && map->is_int[WC_R_WORKER])
	{
		TupleTableSlot *slot = MakeSingleTupleTableSlot(map->desc, &TTSOpsMinimalTuple);
		Datum	   *sheets,
				   *workers,
					args[2];
		Oid			types[2] = {INT8ARRAYOID, INT8ARRAYOID};
		int			n = 0,
					cap = 64;

		sheets = palloc(sizeof(Datum) * cap);
		workers = palloc(sizeof(Datum) * cap);
		tuplestore_rescan(td->tg_newtable);
		while (tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
		{
			int64		sheet,
						worker;

			if (!wc_get_int64(map, slot, WC_R_SHEET, &sheet) || !wc_get_int64(map, slot, WC_R_WORKER, &worker))
				continue;
			if (n == cap)
			{
				cap *= 2;
				sheets = repalloc_huge(sheets, sizeof(Datum) * cap);
				workers = repalloc_huge(workers, sizeof(Datum) * cap);
			}
			sheets[n] = Int64GetDatum(sheet);
			workers[n++] = Int64GetDatum(worker);
		}
		ExecDropSingleTupleTableSlot(slot);
		if (n >= 1 && wc_probe_begin(&pr))
		{
			probed = n == 1 ? line_probe(td, &pr, DatumGetInt64(sheets[0]), DatumGetInt64(workers[0]))
				: lines_probe(td, &pr, sheets, workers, n);
			if (!probed)
				wc_probe_end(&pr);
		}
		if (n == 1)
			elog(DEBUG1, probed ? "wagecheck: the new pay line's sheet, worker and accounts read by probes"
				 : "wagecheck: the new pay line's sheet, worker and accounts read by the query (a probe could not answer)");
		else if (n > 1)
			elog(DEBUG1, probed ? "wagecheck: the new pay lines' sheets, workers and accounts read by probes (lines: %d)"
				 : "wagecheck: the new pay lines' sheets, workers and accounts read by the query (lines: %d; a probe could not answer)",
				 n);
		if (!probed)
		{
			SPI_connect();
			if (n == 1)
			{
				/* (a single line: its sheet, worker and accounts by their keys, no arrays) */
				types[0] = types[1] = INT8OID;
				args[0] = sheets[0];
				args[1] = workers[0];
				wc_spi_select(WC_P_LINE_KEY_ONE,
						   "SELECT s.sheet_id, s.project_id, p.code, p.enforcement_mode, $2::bigint,"
						   " w.worker_id IS NOT NULL, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
						   " WHERE r.project_id = s.project_id AND r.worker_id = $2), a.accounts, a.open"
						   " FROM wagecheck.pay_sheet s JOIN wagecheck.project p ON p.project_id = s.project_id"
						   " LEFT JOIN wagecheck.worker w ON w.worker_id = $2"
						   " CROSS JOIN LATERAL (" WC_ACCOUNTS_SQL("s.project_id") ") a"
						   " WHERE s.sheet_id = $1", 2, types, args);
			}
			else
			{
				args[0] = PointerGetDatum(construct_array_builtin(sheets, n, INT8OID));
				args[1] = PointerGetDatum(construct_array_builtin(workers, n, INT8OID));
				wc_spi_select(WC_P_LINE_KEYS,
					   "WITH x (sheet_id, project_id, code, mode, worker_id, known, name, rostered) AS MATERIALIZED ("
					   "SELECT u.sheet_id, s.project_id, p.code, p.enforcement_mode, u.worker_id,"
					   " w.worker_id IS NOT NULL, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
					   " WHERE r.project_id = s.project_id AND r.worker_id = u.worker_id)"
					   " FROM (SELECT DISTINCT * FROM unnest($1::bigint[], $2::bigint[]) v(sheet_id, worker_id)) u"
					   /* (each looked up by its key's index: see PAID_LINES_SQL) */
					   " CROSS JOIN LATERAL (SELECT s.project_id FROM wagecheck.pay_sheet s"
					   "                      WHERE s.sheet_id = u.sheet_id OFFSET 0) s"
					   " CROSS JOIN LATERAL (SELECT p.code, p.enforcement_mode FROM wagecheck.project p"
					   "                      WHERE p.project_id = s.project_id OFFSET 0) p"
					   " LEFT JOIN LATERAL (SELECT w.worker_id, w.name FROM wagecheck.worker w"
					   "                     WHERE w.worker_id = u.worker_id OFFSET 0) w ON true)"
					   " SELECT x.*, NULL::bigint, NULL::bigint FROM x"
					   /* then the accounts of the lines' projects (AC05), locked as wc_accounts_closed does */
					   PROJECT_ACCOUNTS("x", "NULL,", "NULL, NULL, NULL, NULL, NULL,"), 2, types, args);
			}
			for (uint64 i = 0; i < SPI_processed; i++)
			{
				HeapTuple	r = SPI_tuptable->vals[i];
				TupleDesc	rd = SPI_tuptable->tupdesc;
				bool		isnull,
							known;
				int64		sheet = DatumGetInt64(SPI_getbinval(r, rd, 1, &isnull));

				if (isnull)
					continue;	/* a project's accounts: read after the lines */
				known = DatumGetBool(SPI_getbinval(r, rd, 6, &isnull));
				keep_line_keys(sheet, DatumGetInt64(SPI_getbinval(r, rd, 2, &isnull)), SPI_getvalue(r, rd, 3),
							   SPI_getvalue(r, rd, 4)[0], DatumGetInt64(SPI_getbinval(r, rd, 5, &isnull)), known,
							   known ? SPI_getvalue(r, rd, 7) : NULL,
							   known && DatumGetBool(SPI_getbinval(r, rd, 8, &isnull)));
			}
			if (n != 1)
				project_accounts(1, 2, 9);
			else if (SPI_processed == 1)
			{
				HeapTuple	r = SPI_tuptable->vals[0];
				TupleDesc	rd = SPI_tuptable->tupdesc;
				bool		isnull;

				/* (its project's accounts on its row) */
				wc_accounts_closed_known(DatumGetInt64(SPI_getbinval(r, rd, 2, &isnull)), SPI_getvalue(r, rd, 3),
										 DatumGetInt64(SPI_getbinval(r, rd, 9, &isnull)),
										 DatumGetInt64(SPI_getbinval(r, rd, 10, &isnull)));
			}
			SPI_finish();
		}
	}
	if (probed)
	{
		PG_TRY();
		{
			(void) wc_run_probed(&pr, td, map, NULL, wc_check_pay_line);
		}
		PG_FINALLY();
		{
			probed_lines = NULL;	/* its memory goes with the call's */
			probed_one = NULL;
		}
		PG_END_TRY();
	}
	else
		wc_check_new_rows(td, map, wc_check_pay_line);
}
