/*
 * enforce.c — wagecheck.enforce(), the C trigger that makes the rules that can be
 * checked as a row arrives hold: dedicated-account outflows (AC03, WP04), no
 * overdraft (AC06), real-name pay lines and payments (RN01), pay-line arithmetic
 * (PS01) and paid lines never edited, account closure (AC05). The same function
 * serves wagecheck's own tables and legacy tables attached with wagecheck.attach().
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

#include "enforce/enforce.h"
#include "errcodes.h"
#include "trigcheck.h"

static int	closure_notice_days = 30;

/* eff_mode: the mode that applies to a row of a project with enforcement_mode pm ('r'/'a'). */
static wc_mode
eff_mode(const wc_map *map, char pm)
{
	if (map->mode != WC_MODE_PROJECT)
		return map->mode;
	return pm == 'a' ? WC_MODE_ALERT : WC_MODE_REJECT;
}

/* subject_id: the row's mapped id as text, or "" when none. */
static char *
subject_id(wc_map *map, TupleTableSlot *slot)
{
	char	   *s;

	return wc_get_text(map, slot, WC_R_ID, &s) ? s : "";
}

/* trimmed: s without surrounding blanks (in place). */
static char *
trimmed(char *s)
{
	char	   *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* field4 of the advisory lock tag of a project's wage ledger (SQL advisory locks use 1 and 2) */
#define WC_LEDGER_LOCK_FIELD4 0x5743

/*
 * ledger_lock: a transaction lock on the wage ledger of a project. Recording
 * wages takes it shared, closing an account (of wagecheck or of an attached
 * table) exclusively, so a closure waits for wages being recorded and then
 * counts them as owed (READ COMMITTED reads what they committed).
 */
static void
ledger_lock(int64 project_id, LOCKMODE mode)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) ((uint64) project_id >> 32), (uint32) project_id,
						 WC_LEDGER_LOCK_FIELD4);
	(void) LockAcquire(&tag, mode, false, false);
}

/* rel_label: a table's schema-qualified name, for messages. */
static char *
rel_label(Oid relid)
{
	char	   *name = get_rel_name(relid);

	if (name == NULL)
		return psprintf("table %u", relid);
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
}

/* spi_select: runs a cached plan with arguments inside its own SPI connection level. */
static void
spi_select(int slot, const char *sql, int nargs, const Oid *types, Datum *args)
{
	int			rc = SPI_execute_plan(wc_plan(slot, sql, nargs, types), args, NULL, false, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "wagecheck: lookup failed: %s", SPI_result_code_string(rc));
}

/*
 * project_lookup: project id, code and mode of a row's sheet or project key;
 * cached for the statement when cached (callers whose trigger has no
 * statement-level part, which forgets the cache, look it up afresh).
 */
static wc_lookup *
project_lookup(wc_map *map, TupleTableSlot *slot, bool cached)
{
	static wc_lookup fresh;
	char		key[96];
	char	   *s = NULL;
	int64		n = 0;
	wc_lookup  *l;
	bool		found;
	Datum		arg;
	Oid			type;
	int			plan;
	const char *sql;

	if (map->attnum[WC_R_SHEET])
	{
		if (!wc_get_int64(map, slot, WC_R_SHEET, &n))
			return NULL;
		snprintf(key, sizeof(key), "S" INT64_FORMAT, n);
		plan = WC_P_SHEET;
		sql = "SELECT s.project_id, p.code, p.enforcement_mode FROM wagecheck.pay_sheet s"
			" JOIN wagecheck.project p USING (project_id) WHERE s.sheet_id = $1";
		type = INT8OID;
		arg = Int64GetDatum(n);
	}
	else if (map->is_int[WC_R_PROJECT])
	{
		if (!wc_get_int64(map, slot, WC_R_PROJECT, &n))
			return NULL;
		snprintf(key, sizeof(key), "J" INT64_FORMAT, n);
		plan = WC_P_PROJECT_BY_ID;
		sql = "SELECT project_id, code, enforcement_mode FROM wagecheck.project WHERE project_id = $1";
		type = INT8OID;
		arg = Int64GetDatum(n);
	}
	else
	{
		if (!wc_get_text(map, slot, WC_R_PROJECT, &s))
			return NULL;
		s = trimmed(s);
		if (strlen(s) > 80)
			return NULL;
		snprintf(key, sizeof(key), "C%s", s);
		plan = WC_P_PROJECT_BY_CODE;
		sql = "SELECT project_id, code, enforcement_mode FROM wagecheck.project WHERE code = $1";
		type = TEXTOID;
		arg = CStringGetTextDatum(s);
	}
	if (cached)
	{
		l = wc_lookup_find(key, &found);
		if (found)
			return l->found ? l : NULL;
	}
	else
		l = &fresh;
	SPI_connect();
	spi_select(plan, sql, 1, &type, &arg);
	l->found = SPI_processed > 0;
	if (l->found)
	{
		bool		isnull;

		l->n1 = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		strlcpy(l->text1, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), sizeof(l->text1));
		l->mode = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3)[0];
	}
	SPI_finish();
	return l->found ? l : NULL;
}

/*
 * worker_lookup: is the worker (by worker_id or resident ID text) on the
 * project's roster? n1 = worker_id, text1 = name, flag = rostered (cached).
 */
static wc_lookup *
worker_lookup(wc_map *map, TupleTableSlot *slot, int64 project_id, char **label)
{
	char		key[96];
	char	   *s = NULL;
	int64		n = 0;
	wc_lookup  *l;
	bool		found;
	Datum		args[2];
	Oid			types[2] = {INT8OID, INT8OID};

	if (map->is_int[WC_R_WORKER])
	{
		if (!wc_get_int64(map, slot, WC_R_WORKER, &n))
			return NULL;
		snprintf(key, sizeof(key), "W" INT64_FORMAT ":" INT64_FORMAT, project_id, n);
		*label = psprintf("worker " INT64_FORMAT, n);
	}
	else
	{
		if (!wc_get_text(map, slot, WC_R_WORKER, &s))
			return NULL;
		s = trimmed(s);
		snprintf(key, sizeof(key), "R" INT64_FORMAT ":%.70s", project_id, s);
		*label = psprintf("ID %s", wc_masked(s));
	}
	l = wc_lookup_find(key, &found);
	if (!found)
	{
		SPI_connect();
		args[0] = Int64GetDatum(project_id);
		if (s == NULL)
		{
			args[1] = Int64GetDatum(n);
			spi_select(WC_P_WORKER_BY_ID,
					   "SELECT w.worker_id, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
					   " WHERE r.project_id = $1 AND r.worker_id = w.worker_id)"
					   " FROM wagecheck.worker w WHERE w.worker_id = $2", 2, types, args);
		}
		else
		{
			types[1] = TEXTOID;
			args[1] = CStringGetTextDatum(s);
			spi_select(WC_P_WORKER_BY_RID,
					   "SELECT w.worker_id, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
					   " WHERE r.project_id = $1 AND r.worker_id = w.worker_id)"
					   " FROM wagecheck.worker w WHERE w.resident_id OPERATOR(wagecheck.=) CASE"
					   " WHEN wagecheck.is_valid_resident_id($2) THEN $2::wagecheck.resident_id END",
					   2, types, args);
		}
		l->found = SPI_processed > 0;
		if (l->found)
		{
			bool		isnull;

			l->n1 = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
			strlcpy(l->text1, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), sizeof(l->text1));
			l->flag = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
		}
		SPI_finish();
	}
	if (l->found)
		*label = psprintf("%s (worker " INT64_FORMAT ")", l->text1, l->n1);
	return l;
}

/*
 * payee_lookup: whose registered card is this counterparty account (bytes
 * account[0..len), trimmed), and is he on the project's roster? Cached per
 * statement and project: a nightly file pays the same cards over and over.
 */
static wc_payee
payee_lookup(int64 project_id, const char *account, int len, wc_payee_entry **out)
{
	wc_payee_entry *e = wc_payee_find(project_id, account, len);

	if (e == NULL)
	{
		Oid			types[2] = {INT8OID, TEXTOID};
		Datum		args[2];
		bool		found,
					isnull;

		args[0] = Int64GetDatum(project_id);
		args[1] = PointerGetDatum(cstring_to_text_with_len(account, len));
		SPI_connect();
		spi_select(WC_P_PAYEE,
				   "SELECT w.worker_id, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
				   " WHERE r.project_id = $1 AND r.worker_id = w.worker_id) AS rostered"
				   " FROM wagecheck.worker w WHERE w.wage_card OPERATOR(wagecheck.=) CASE"
				   " WHEN wagecheck.is_valid_bank_card($2) THEN $2::wagecheck.bank_card END"
				   " ORDER BY 3 DESC, 1 LIMIT 1", 2, types, args);
		found = SPI_processed > 0;
		/* only now, with the answer at hand, does the cache get an entry */
		e = wc_payee_store(project_id, account, len, found);
		if (found)
		{
			e->worker->worker_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
			strlcpy(e->worker->name, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), sizeof(e->worker->name));
			e->rostered = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
		}
		SPI_finish();
	}
	*out = e;
	if (e->worker == NULL)
		return WC_PAYEE_NOT_WORKER_CARD;
	return e->rostered ? WC_PAYEE_ROSTERED : WC_PAYEE_OTHER_WORKER;
}

/* trim_n: s[0..*len) without surrounding blanks (no copy). */
static const char *
trim_n(const char *s, int *len)
{
	while (*len > 0 && (*s == ' ' || *s == '\t'))
		s++, (*len)--;
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

/* Movements of a dedicated account: closed account, outflow rule, running balance. */
static void
check_account_txn(TriggerData *td, wc_map *map, TupleTableSlot *slot)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	int64		amount,
				after;
	char	   *s;
	wc_direction dir;
	wc_account *acct;
	wc_mode		mode;
	wc_violation v;
	const char *code;

	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_WC_TXN_EDITED),
				 errmsg("a booked movement of a dedicated wage account cannot be changed or deleted"),
				 errdetail("Table %s, movement %s.", map->relname, subject_id(map, slot)),
				 errhint("Book a reversing movement instead.")));
	if (!wc_get_cents(map, slot, WC_R_AMOUNT, &amount))
		return;
	if (map->attnum[WC_R_DIRECTION])
	{
		const char *dp = "";
		int			dlen = 0;

		wc_get_textn(map, slot, WC_R_DIRECTION, &dp, &dlen);
		dir = wc_parse_direction(dp, dlen);
		if (dir == WC_DIR_UNKNOWN)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("direction \"%.*s\" of a movement in %s is neither in nor out", dlen, dp, map->relname),
					 errhint("Directions are written in/out, C/D, 收/付 or 贷/借.")));
		if (amount < 0)
			amount = -amount;
	}
	else
	{
		dir = amount < 0 ? WC_DIR_OUT : WC_DIR_IN;
		if (amount < 0)
			amount = -amount;
	}
	if (amount == 0)
		return;

	if (map->is_int[WC_R_ACCOUNT])
	{
		int64		id;

		if (!wc_get_int64(map, slot, WC_R_ACCOUNT, &id))
			return;
		acct = wc_account_get(true, id, NULL);
	}
	else
	{
		if (!wc_get_text(map, slot, WC_R_ACCOUNT, &s))
			return;
		acct = wc_account_get(false, 0, trimmed(s));
	}
	if (acct == NULL || !acct->known)
		return;					/* not a dedicated account under supervision */

	mode = eff_mode(map, acct->project_mode);
	code = acct->project_code;
	memset(&v, 0, sizeof(v));
	v.subject_kind = "account_txn";
	v.project_id = acct->project_id;
	v.amount = amount;

	if (acct->closed)
	{
		v.subject_id = subject_id(map, slot);
		v.rule = "AC05";
		v.sqlstate = ERRCODE_WC_ACCOUNT_CLOSED;
		v.message = psprintf("the dedicated wage account of project %s is closed", code);
		v.detail = acct->closed_in == InvalidOid
			? psprintf("Project %s, account " INT64_FORMAT ": %s of %s on a closed account.",
					   code, acct->account_id, dir == WC_DIR_IN ? "inflow" : "outflow",
					   wc_cents_str(amount))
			: psprintf("Project %s, account " INT64_FORMAT ": %s of %s; every account of the project in %s is closed.",
					   code, acct->account_id, dir == WC_DIR_IN ? "inflow" : "outflow",
					   wc_cents_str(amount), rel_label(acct->closed_in));
		v.hint = "A closed account takes no movements; use the project's open dedicated account.";
		wc_report(mode, relid, &v);
	}

	if (dir == WC_DIR_OUT)
	{
		wc_purpose purpose = WC_PURPOSE_NONE;
		wc_payee	payee = WC_PAYEE_NONE;
		wc_payee_entry *l = NULL;
		const char *cpp = NULL;
		int			cplen = 0;
		char	   *cp;
		const char *purpose_text = NULL;
		char	   *to;
		wc_outflow_verdict verdict;
		const char *pp;
		int			plen;

		if (wc_get_textn(map, slot, WC_R_PURPOSE, &pp, &plen))
		{
			purpose = wc_parse_purpose(pp, plen);
			purpose_text = pp;
		}
		else
			plen = 0;
		if (wc_get_textn(map, slot, WC_R_COUNTERPARTY, &cpp, &cplen))
		{
			/* the lookup reads the bytes in place; a message copies the first 71 */
			cplen = Min(cplen, 71);
			cpp = trim_n(cpp, &cplen);
			if (cplen > 0)
				payee = payee_lookup(acct->project_id, cpp, cplen, &l);
		}
		if (l && l->worker)
			v.worker = l->worker->name;
		verdict = wc_outflow_decide(purpose, payee);
		if (verdict != WC_OUT_OK)
		{
			/* only a violation pays for building its message */
			v.subject_id = subject_id(map, slot);
			cp = pnstrdup(cpp ? cpp : "", cplen);
			to = payee == WC_PAYEE_NONE ? "no account (cash)" :
				(l && l->worker) ? psprintf("card %s of %s (worker " INT64_FORMAT ")", wc_masked(cp), l->worker->name, l->worker->worker_id) :
				psprintf("account %s", wc_masked(cp));
		}
		else
			to = NULL;

		switch (verdict)
		{
			case WC_OUT_OK:
				break;
			case WC_OUT_AC03:
				v.rule = "AC03";
				v.sqlstate = ERRCODE_WC_ACCOUNT_OUTFLOW;
				if (purpose == WC_PURPOSE_CASH)
					v.message = psprintf("cash may not be withdrawn from the dedicated wage account of project %s", code);
				else if (payee == WC_PAYEE_OTHER_WORKER)
					v.message = psprintf("the dedicated wage account of project %s may not pay a worker who is not on its roster", code);
				else
					v.message = psprintf("money may leave the dedicated wage account of project %s only as wages to its rostered workers", code);
				v.detail = psprintf("Project %s, account " INT64_FORMAT ": outflow of %s to %s, purpose \"%.*s\".",
									code, acct->account_id, wc_cents_str(amount), to,
									purpose_text ? plen : 0, purpose_text ? purpose_text : "");
				v.hint = "Pay other costs from the contractor's general account; wages go to each worker's own registered card.";
				wc_report(mode, relid, &v);
				break;
			case WC_OUT_WP04:
				v.rule = "WP04";
				v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
				v.message = psprintf("wages from the dedicated account of project %s must go to the worker's own registered card", code);
				v.detail = payee == WC_PAYEE_NONE
					? psprintf("Project %s, account " INT64_FORMAT ": wage of %s with no receiving account (cash).",
							   code, acct->account_id, wc_cents_str(amount))
					: psprintf("Project %s, account " INT64_FORMAT ": wage of %s to %s, which is not the registered wage card of any worker.",
							   code, acct->account_id, wc_cents_str(amount), to);
				v.hint = "Register the worker's own card (wagecheck.worker.wage_card) and pay into it.";
				wc_report(mode, relid, &v);
				break;
		}
	}

	if (!wc_balance_apply(acct->balance, dir, amount, &after) ||
		after > WC_BALANCE_MAX_CENTS || after < -WC_BALANCE_MAX_CENTS)
		wc_balance_range_error(acct, dir == WC_DIR_IN ? "inflow" : "outflow", amount);
	if (dir == WC_DIR_OUT && after < 0)
	{
		v.subject_id = subject_id(map, slot);
		v.rule = "AC06";
		v.sqlstate = ERRCODE_WC_ACCOUNT_OVERDRAWN;
		v.message = psprintf("the dedicated wage account of project %s does not hold enough money for this payment", code);
		v.detail = psprintf("Project %s, account " INT64_FORMAT ": balance %s, outflow %s%s%s.",
							code, acct->account_id, wc_cents_str(acct->balance), wc_cents_str(amount),
							v.worker ? " to " : "", v.worker ? v.worker : "");
		v.hint = "The owner must pay labour cost into the account first.";
		wc_report(mode, relid, &v);
	}
	wc_account_set_balance(acct, after);
}

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
 * accounts_closed: is the dedicated account of a project closed? It is when the
 * project has accounts in wagecheck.wage_account and none is open (n2 =
 * InvalidOid), or when a table of accounts attached with wagecheck.attach()
 * lists accounts of the project and all of them are closed (n2 = that table).
 * NULL while the project has an open account. The account rows are locked FOR
 * SHARE first, then the project's ledger lock is taken shared: a closure in
 * progress is waited for and then seen; a closure starting later waits for
 * these wages and counts them. Cached for the statement when cached (callers
 * whose trigger has no statement-level part, which forgets the cache, ask afresh).
 */
static wc_lookup *
accounts_closed(int64 project_id, const char *code, bool cached)
{
	static wc_lookup fresh;
	char		key[96];
	bool		found = false;
	wc_lookup  *l;
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(project_id);
	bool		isnull;
	uint64		i;
	int64		accounts;
	bool		open = false;
	Oid			legacy;

	if (cached)
	{
		snprintf(key, sizeof(key), "A" INT64_FORMAT, project_id);
		l = wc_lookup_find(key, &found);
		if (found)
			return l->flag ? l : NULL;
	}
	else
		l = &fresh;
	SPI_connect();
	spi_select(WC_P_ACCT_SHARE,
			   "SELECT a.closed_on IS NULL FROM wagecheck.wage_account a"
			   " WHERE a.project_id = $1 FOR SHARE", 1, &type, &arg);
	accounts = (int64) SPI_processed;
	for (i = 0; i < SPI_processed; i++)
		if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)))
			open = true;
	legacy = wc_attached_accounts_closed(project_id, code);
	l->found = true;
	l->n1 = accounts;
	l->flag = (accounts > 0 && !open) || legacy != InvalidOid;
	l->n2 = (accounts > 0 && !open) ? InvalidOid : legacy;
	SPI_finish();
	/* after the account rows, so it never waits holding what a closure needs */
	ledger_lock(project_id, ShareLock);
	return l->flag ? l : NULL;
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
	char	   *what = change ? psprintf(" changed after closure (%s)", change) : "";

	v->rule = "AC05";
	v->sqlstate = ERRCODE_WC_ACCOUNT_CLOSED;
	v->message = psprintf("the dedicated wage account of project %s is closed: no wages can be paid from it", code);
	v->detail = closed->n2 == InvalidOid
		? psprintf("Project %s, %s, payment of %s%s.", code, worker, wc_cents_str(amount), what)
		: psprintf("Project %s, %s, payment of %s%s: every account of the project in %s is closed.",
				   code, worker, wc_cents_str(amount), what, rel_label((Oid) closed->n2));
	v->hint = "A payment after closure means the account was closed too early; reopen it before paying.";
	wc_report(mode, relid, v);
}

/* line_paid: has a payment been recorded against pay line line_id? */
static bool
line_paid(int64 line_id)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(line_id);
	bool		paid;

	SPI_connect();
	spi_select(WC_P_LINE_PAID,
			   "SELECT 1 FROM wagecheck.wage_payment WHERE line_id = $1 LIMIT 1", 1, &type, &arg);
	paid = SPI_processed > 0;
	SPI_finish();
	return paid;
}

/* line_net: what a pay-sheet line row owes: its net, else payable minus deductions (0 when no payable). */
static int64
line_net(wc_map *map, TupleTableSlot *slot)
{
	int64		payable,
				deductions = 0,
				net;

	if (wc_get_cents(map, slot, WC_R_NET, &net))
		return net;
	if (!wc_get_cents(map, slot, WC_R_PAYABLE, &payable))
		return 0;
	wc_get_cents(map, slot, WC_R_DEDUCTIONS, &deductions);
	return payable - deductions;
}

/* Pay-sheet lines: paid lines frozen, arithmetic, real name, corrections, closed account. */
static void
check_pay_line(TriggerData *td, wc_map *map, TupleTableSlot *slot)
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
	bool		found;
	wc_lookup  *closed;
	char	   *change = NULL;

	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event) && map->mode == WC_MODE_PROJECT &&
		wc_get_int64(map, map->oldslot, WC_R_ID, &id) && line_paid(id))
		ereport(ERROR,
				(errcode(ERRCODE_WC_PAID_LINE_EDITED),
				 errmsg("pay-sheet line " INT64_FORMAT " has been paid and cannot be %s", id,
						TRIGGER_FIRED_BY_DELETE(td->tg_event) ? "deleted" : "changed"),
				 errdetail("The wage ledger is kept for at least 3 years as written."),
				 errhint("Insert a correcting line that references it in corrects_line_id.")));
	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		return;

	if ((p = project_lookup(map, slot, true)) == NULL)
		return;					/* unknown project: not under supervision (or a foreign key says so) */
	if (!wc_get_cents(map, slot, WC_R_PAYABLE, &payable))
		return;
	wc_get_cents(map, slot, WC_R_DEDUCTIONS, &deductions);
	has_net = wc_get_cents(map, slot, WC_R_NET, &net);
	w = worker_lookup(map, slot, p->n1, &wlabel);
	if (w == NULL)
		return;

	mode = eff_mode(map, p->mode);
	memset(&v, 0, sizeof(v));
	v.subject_kind = "pay_line";
	v.subject_id = subject_id(map, slot);
	v.project_id = p->n1;
	v.amount = has_net ? net : payable - deductions;
	v.worker = wlabel;

	if (wc_payline_check(payable, deductions, has_net ? net : payable - deductions) != WC_LINE_OK)
	{
		v.rule = "PS01";
		v.sqlstate = ERRCODE_WC_PAY_LINE_ARITHMETIC;
		v.message = wc_payline_check(payable, deductions, has_net ? net : payable - deductions) == WC_LINE_NEGATIVE
			? psprintf("pay-sheet line for %s has a negative amount", wlabel)
			: psprintf("pay-sheet line for %s does not add up: net pay must be payable minus deductions", wlabel);
		v.detail = psprintf("Project %s, %s: payable %s, deductions %s, net %s.", p->text1, wlabel,
							wc_cents_str(payable), wc_cents_str(deductions),
							has_net ? wc_cents_str(net) : "(none)");
		/* wagecheck's own ledger never takes a line that does not add up */
		wc_report(map->mode == WC_MODE_PROJECT ? WC_MODE_REJECT : mode, relid, &v);
	}

	if (!w->found || !w->flag)
	{
		v.rule = "RN01";
		v.sqlstate = ERRCODE_WC_NOT_ON_ROSTER;
		v.message = psprintf("%s is not on the real-name roster of project %s", wlabel, p->text1);
		v.detail = psprintf("Project %s, %s, net pay %s: wages are recorded only for workers registered on the project's roster.",
							p->text1, wlabel, wc_cents_str(v.amount));
		v.hint = w->found ? "Add the worker to the project's roster (wagecheck.roster) first."
			: "Register the worker by real name (wagecheck.worker) and on the project's roster first.";
		wc_report(mode, relid, &v);
	}

	if (wc_get_int64(map, slot, WC_R_CORRECTS, &id))
	{
		Oid			type = INT8OID;
		Datum		arg = Int64GetDatum(id);
		bool		ok;

		SPI_connect();
		spi_select(WC_P_CORRECTS,
				   "SELECT l.worker_id, s.project_id FROM wagecheck.pay_line l"
				   " JOIN wagecheck.pay_sheet s USING (sheet_id) WHERE l.line_id = $1", 1, &type, &arg);
		ok = SPI_processed == 0 ||	/* the foreign key reports a missing line */
			(w->found &&
			 DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &found)) == w->n1 &&
			 DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &found)) == p->n1);
		SPI_finish();
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_WC_BAD_CORRECTION),
					 errmsg("pay-sheet line " INT64_FORMAT " may only be corrected by a line for the same worker and project", id),
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
		if (change == NULL && (was = line_net(map, map->oldslot)) < v.amount)
			change = psprintf("raised from %s", wc_cents_str(was));
		else if (change != NULL)
			change = psprintf("changed %s", change);
	}
	if ((TRIGGER_FIRED_BY_INSERT(td->tg_event) || change != NULL) &&
		(closed = accounts_closed(p->n1, p->text1, true)) != NULL)
	{
		char	   *what = change ? psprintf(" (%s after closure)", change) : "";

		v.rule = "AC05";
		v.sqlstate = ERRCODE_WC_ACCOUNT_CLOSED;
		v.message = psprintf("the dedicated wage account of project %s is closed: no new wages can be recorded", p->text1);
		v.detail = closed->n2 == InvalidOid
			? psprintf("Project %s, %s, net pay %s%s.", p->text1, wlabel, wc_cents_str(v.amount), what)
			: psprintf("Project %s, %s, net pay %s%s: every account of the project in %s is closed.",
					   p->text1, wlabel, wc_cents_str(v.amount), what, rel_label((Oid) closed->n2));
		v.hint = "Wages owed after closure mean the account was closed too early; reopen it.";
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

	if ((p = project_lookup(map, slot, true)) == NULL)
		return;					/* not a project under supervision */
	if ((w = worker_lookup(map, slot, p->n1, &wlabel)) == NULL)
		return;					/* no worker named: nothing to check against */
	wc_get_cents(map, slot, WC_R_AMOUNT, &amount);
	if (wc_get_textn(map, slot, WC_R_METHOD, &mp, &mlen))
	{
		method = wc_parse_method(mp, mlen);
		if (method == WC_METHOD_UNKNOWN)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("payment method \"%.*s\" in %s is not one wagecheck knows", mlen, mp, map->relname),
					 errhint("Methods are written account/专户代发/银行代发, cash/现金 or other_account/他户代发.")));
	}
	if (wc_get_text(map, slot, WC_R_CARD, &card))
	{
		card = trimmed(card);
		if (*card == '\0')
			card = NULL;
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

	mode = eff_mode(map, p->mode);
	memset(&v, 0, sizeof(v));
	v.subject_kind = "payment";
	v.subject_id = subject_id(map, slot);
	v.project_id = p->n1;
	v.amount = amount;
	v.worker = wlabel;
	if (!w->found || !w->flag)
	{
		v.rule = "RN01";
		v.sqlstate = ERRCODE_WC_NOT_ON_ROSTER;
		v.message = psprintf("%s is not on the real-name roster of project %s", wlabel, p->text1);
		v.detail = psprintf("Project %s, %s, payment of %s: wages are paid only to workers registered on the project's roster.",
							p->text1, wlabel, wc_cents_str(amount));
		v.hint = w->found ? "Add the worker to the project's roster (wagecheck.roster) first."
			: "Register the worker by real name (wagecheck.worker) and on the project's roster first.";
		wc_report(mode, relid, &v);
	}
	if (method == WC_METHOD_CASH || method == WC_METHOD_OTHER_ACCOUNT)
	{
		v.rule = "WP04";
		v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
		v.message = psprintf("wages of project %s must be paid from the dedicated account into the worker's own card, not by %s",
							 p->text1, method == WC_METHOD_CASH ? "cash" : "another account");
		v.detail = psprintf("Project %s, %s, payment of %s.", p->text1, wlabel, wc_cents_str(amount));
		v.hint = "Pay through the project's dedicated wage account into the worker's registered card.";
		wc_report(mode, relid, &v);
	}
	else if (!matches)
	{
		v.rule = "WP04";
		v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
		v.message = psprintf("wages of project %s must go to the worker's own registered card", p->text1);
		v.detail = psprintf("Project %s, %s, payment of %s to %s; registered card: %s.", p->text1, wlabel,
							wc_cents_str(amount), card ? wc_masked(card) : "no card",
							own ? wc_masked(own) : "none");
		v.hint = own ? "Pay into the worker's registered card." : "Register the worker's own wage card first.";
		wc_report(mode, relid, &v);
	}
	/* a new payment, or an update of its money (not of a note), after closure */
	change = payment_change(td, map);
	if ((TRIGGER_FIRED_BY_INSERT(td->tg_event) || change != NULL) &&
		(closed = accounts_closed(p->n1, p->text1, true)) != NULL)
		report_paid_after_closure(mode, relid, &v, p->text1, closed, wlabel, amount, change);
}

/* Wage payments: real name (RN01), the worker's own registered card (WP04), an open account (AC05). */
static void
check_wage_payment(TriggerData *td, wc_map *map, TupleTableSlot *slot)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	int64		line,
				amount = 0;
	char	   *method = NULL,
			   *card = NULL,
			   *code,
			   *name,
			   *own;
	Oid			type = INT8OID;
	Datum		arg;
	wc_violation v;
	wc_mode		mode;
	bool		rostered,
				isnull;
	int64		project_id,
				worker_id;
	HeapTuple	r;
	TupleDesc	rd;
	wc_lookup  *closed;
	char	   *change;
	MemoryContext caller;

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		return;
	if (map->attnum[WC_R_LINE] == 0)
	{
		check_payment_direct(td, map, slot);
		return;
	}
	if (!wc_get_int64(map, slot, WC_R_LINE, &line))
		return;
	wc_get_cents(map, slot, WC_R_AMOUNT, &amount);
	wc_get_text(map, slot, WC_R_METHOD, &method);
	wc_get_text(map, slot, WC_R_CARD, &card);
	arg = Int64GetDatum(line);
	caller = CurrentMemoryContext;
	SPI_connect();
	spi_select(WC_P_PAYMENT_LINE,
			   "SELECT l.worker_id, s.project_id, p.code, p.enforcement_mode, w.name, w.wage_card::text,"
			   " EXISTS (SELECT 1 FROM wagecheck.roster r WHERE r.project_id = s.project_id"
			   " AND r.worker_id = l.worker_id)"
			   " FROM wagecheck.pay_line l JOIN wagecheck.pay_sheet s USING (sheet_id)"
			   " JOIN wagecheck.project p ON p.project_id = s.project_id"
			   " JOIN wagecheck.worker w ON w.worker_id = l.worker_id WHERE l.line_id = $1", 1, &type, &arg);
	if (SPI_processed == 0)
	{
		SPI_finish();
		return;					/* the foreign key reports a missing line */
	}
	r = SPI_tuptable->vals[0];
	rd = SPI_tuptable->tupdesc;
	worker_id = DatumGetInt64(SPI_getbinval(r, rd, 1, &isnull));
	project_id = DatumGetInt64(SPI_getbinval(r, rd, 2, &isnull));
	code = SPI_getvalue(r, rd, 3);
	mode = eff_mode(map, SPI_getvalue(r, rd, 4)[0]);
	name = SPI_getvalue(r, rd, 5);
	own = SPI_getvalue(r, rd, 6);
	rostered = DatumGetBool(SPI_getbinval(r, rd, 7, &isnull));
	/* copy out of SPI memory (a palloc here would go with it at SPI_finish) */
	code = MemoryContextStrdup(caller, code);
	name = MemoryContextStrdup(caller, psprintf("%s (worker " INT64_FORMAT ")", name, worker_id));
	own = own ? MemoryContextStrdup(caller, own) : NULL;
	SPI_finish();

	memset(&v, 0, sizeof(v));
	v.subject_kind = "payment";
	v.subject_id = subject_id(map, slot);
	v.project_id = project_id;
	v.amount = amount;
	v.worker = name;
	if (!rostered)
	{
		v.rule = "RN01";
		v.sqlstate = ERRCODE_WC_NOT_ON_ROSTER;
		v.message = psprintf("%s is not on the real-name roster of project %s", name, code);
		v.detail = psprintf("Project %s, %s, payment of %s against pay-sheet line " INT64_FORMAT ".",
							code, name, wc_cents_str(amount), line);
		v.hint = "Add the worker to the project's roster (wagecheck.roster) first.";
		wc_report(mode, relid, &v);
	}
	if (method && strcmp(method, "account") != 0)
	{
		v.rule = "WP04";
		v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
		v.message = psprintf("wages of project %s must be paid from the dedicated account into the worker's own card, not by %s",
							 code, strcmp(method, "cash") == 0 ? "cash" : "another account");
		v.detail = psprintf("Project %s, %s, payment of %s.", code, name, wc_cents_str(amount));
		v.hint = "Pay through the project's dedicated wage account into the worker's registered card.";
		wc_report(mode, relid, &v);
	}
	else if (card == NULL || own == NULL || strcmp(card, own) != 0)
	{
		v.rule = "WP04";
		v.sqlstate = ERRCODE_WC_PAYEE_NOT_OWN_CARD;
		v.message = psprintf("wages of project %s must go to the worker's own registered card", code);
		v.detail = psprintf("Project %s, %s, payment of %s to %s; registered card: %s.", code, name,
							wc_cents_str(amount), card ? wc_masked(card) : "no card",
							own ? wc_masked(own) : "none");
		v.hint = own ? "Pay into the worker's registered card." : "Register the worker's own wage card first.";
		wc_report(mode, relid, &v);
	}
	/* wagecheck's own payments have no statement-level trigger to forget a cached answer */
	change = payment_change(td, map);
	if ((TRIGGER_FIRED_BY_INSERT(td->tg_event) || change != NULL) &&
		(closed = accounts_closed(project_id, code, false)) != NULL)
		report_paid_after_closure(mode, relid, &v, code, closed, name, amount, change);
}

/* Dedicated accounts: balance kept from movements; closure only after notice and with nothing owed (AC05). */
static void
check_wage_account(TriggerData *td, wc_map *map)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	char	   *ob = NULL,
			   *nb = NULL,
			   *code,
			   *sid;
	bool		oldnull,
				newnull,
				nnull,
				notice_null;
	Datum		closed,
				notice;
	int64		project_id = 0,
				owed = 0;
	wc_lookup  *p;
	int			workers = 0;
	wc_violation v;
	wc_mode		mode;
	Oid			type = INT8OID;
	Datum		arg;

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

	slot_getattr(map->oldslot, map->attnum[WC_R_CLOSED_ON], &oldnull);
	closed = slot_getattr(map->slot, map->attnum[WC_R_CLOSED_ON], &newnull);
	if (!oldnull || newnull)
		return;					/* not a closure */
	notice = slot_getattr(map->slot, map->attnum[WC_R_NOTICE_ON], &notice_null);
	/* an infinite closure or notice date cannot be judged (an attached table may hold one) */
	if (DATE_NOT_FINITE(DatumGetDateADT(closed)) || (!notice_null && DATE_NOT_FINITE(DatumGetDateADT(notice))))
	{
		wc_role		bad = DATE_NOT_FINITE(DatumGetDateADT(closed)) ? WC_R_CLOSED_ON : WC_R_NOTICE_ON;

		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s of a dedicated wage account in %s must be a finite date, not %s",
						NameStr(TupleDescAttr(map->desc, map->attnum[bad] - 1)->attname), map->relname,
						OutputFunctionCall(&map->out[bad], bad == WC_R_CLOSED_ON ? closed : notice)),
				 errdetail("Account %s.", subject_id(map, map->slot)),
				 errhint("Record the day the account was closed and the first day of its public notice.")));
	}

	if ((p = project_lookup(map, map->slot, false)) == NULL)
		return;					/* not a project under supervision */
	project_id = p->n1;
	code = pstrdup(p->text1);
	mode = eff_mode(map, p->mode);
	sid = subject_id(map, map->slot);
	ledger_lock(project_id, ExclusiveLock);		/* wages being recorded commit first */
	arg = Int64GetDatum(project_id);
	SPI_connect();
	spi_select(WC_P_OWED,
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

	if (notice_null)
	{
		v.message = psprintf("the dedicated wage account of project %s cannot be closed without a %d-day public notice",
							 code, closure_notice_days);
		v.detail = psprintf("Project %s, account %s: no public notice of closure recorded.", code, sid);
		v.hint = psprintf("Record %s when the notice is posted; close the account when it has ended.",
						  NameStr(TupleDescAttr(map->desc, map->attnum[WC_R_NOTICE_ON] - 1)->attname));
		wc_report(mode, relid, &v);
	}
	else if ((int64) DatumGetDateADT(closed) < (int64) DatumGetDateADT(notice) + closure_notice_days)
	{
		v.message = psprintf("the dedicated wage account of project %s cannot be closed before its public notice ends",
							 code);
		v.detail = psprintf("Project %s, account %s: notice posted %s runs %d days; closure asked for %s.",
							code, sid, OutputFunctionCall(&map->out[WC_R_NOTICE_ON], notice),
							closure_notice_days, OutputFunctionCall(&map->out[WC_R_CLOSED_ON], closed));
		v.hint = "Close the account on or after the last day of the notice.";
		wc_report(mode, relid, &v);
	}
	if (owed > 0)
	{
		v.amount = owed;
		v.message = psprintf("the dedicated wage account of project %s cannot be closed while wages are owed", code);
		v.detail = psprintf("Project %s, account %s: %s owed to %d worker%s.", code, sid, wc_cents_str(owed),
							workers, workers == 1 ? "" : "s");
		v.hint = "Pay every worker's wages first (see wagecheck.project_wages_owed).";
		wc_report(mode, relid, &v);
	}
}

/*
 * check_new_table: the statement-level pass over a transition table of inserted
 * movements (COPY keeps its multi-row inserts: no BEFORE ROW trigger is needed),
 * each checked in insertion order against the running balance; then the
 * balances are written once.
 */
static void
check_new_table(TriggerData *td, wc_map *map)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(map->desc, &TTSOpsMinimalTuple);
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext, "wagecheck row",
												 ALLOCSET_DEFAULT_SIZES);
	MemoryContext old;

	tuplestore_rescan(td->tg_newtable);
	while (tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
	{
		slot_getsomeattrs(slot, map->maxatt);
		old = MemoryContextSwitchTo(rowcxt);
		check_account_txn(td, map, slot);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	ExecDropSingleTupleTableSlot(slot);
	MemoryContextDelete(rowcxt);
}

/*
 * rules_owner: the owner of wagecheck's tables. The checks run as this role
 * (like foreign-key checks run as the table owner): they see the whole roster
 * whatever the writer's row-level scope, and a bank feed's role needs no
 * privilege on accounts or violations to be checked.
 */
static Oid
rules_owner(void)
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
	const char *usage = "a BEFORE INSERT, UPDATE or DELETE FOR EACH ROW or an AFTER INSERT, UPDATE or DELETE FOR EACH STATEMENT";
	const char *name = td->tg_trigger->tgname;
	Oid			nsp;

	if (TRIGGER_FIRED_FOR_ROW(td->tg_event))
		wc_trigger_when(td, fn, WC_TG_BEFORE | WC_TG_ROW | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE, usage);
	else
		wc_trigger_when(td, fn, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE, usage);
	wc_trigger_plain_table(td, fn);
	nsp = get_namespace_oid("wagecheck", true);
	if (RelationGetNamespace(td->tg_relation) != nsp &&
		strcmp(name, "wagecheck_enforce_row") != 0 && strcmp(name, "wagecheck_enforce_statement") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("wagecheck.enforce() fires only on tables attached with wagecheck.attach(), not through trigger \"%s\" on %s",
						name, wc_rel_label(td->tg_relation)),
				 errhint("Attach the table with wagecheck.attach(table, kind, columns, mode): it checks the mapping and lists the table in wagecheck.attached.")));
}

PG_FUNCTION_INFO_V1(wagecheck_enforce);
/* The enforcing trigger: row checks of its mapped kind; the statement-level call checks new movements and writes balances. */
Datum
wagecheck_enforce(PG_FUNCTION_ARGS)
{
	Oid			save_uid;
	int			save_ctx;
	volatile Datum result = (Datum) 0;

	check_firing(wc_trigger_data(fcinfo, "wagecheck.enforce()"));
	GetUserIdAndSecContext(&save_uid, &save_ctx);
	SetUserIdAndSecContext(rules_owner(), save_ctx | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		result = enforce_as_owner(fcinfo);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_uid, save_ctx);
	}
	PG_END_TRY();
	return result;
}

/* The body of wagecheck.enforce(), running as the owner of wagecheck's tables. */
static Datum
enforce_as_owner(FunctionCallInfo fcinfo)
{
	TriggerData *td;
	wc_map	   *map;
	HeapTuple	tup;

	td = (TriggerData *) fcinfo->context;
	if (TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
	{
		if (TRIGGER_FIRED_AFTER(td->tg_event))
		{
			if (td->tg_newtable != NULL && TRIGGER_FIRED_BY_INSERT(td->tg_event))
			{
				map = wc_get_map(td);
				if (map->kind == WC_KIND_ACCOUNT_TXN)
					check_new_table(td, map);
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
	switch (map->kind)
	{
		case WC_KIND_ACCOUNT_TXN:
			check_account_txn(td, map, map->slot);
			break;
		case WC_KIND_PAY_LINE:
			check_pay_line(td, map, map->slot);
			break;
		case WC_KIND_WAGE_PAYMENT:
			check_wage_payment(td, map, map->slot);
			break;
		case WC_KIND_WAGE_ACCOUNT:
			check_wage_account(td, map);
			break;
	}
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
							NULL, &closure_notice_days, 30, 0, 3650, PGC_SUSET, 0, NULL, NULL, NULL);
	wc_enforce_init();
}
