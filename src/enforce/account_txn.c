/*
 * account_txn.c — the checks of dedicated-account movements: an outflow only as a wage into
 * a rostered worker's own card (AC03), no overdraft (AC06, checked per statement over
 * the new movements), movements after closure (AC05).
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

#include "core/normalize.h"
#include "enforce/account_keyed.h"
#include "enforce/enforce.h"
#include "enforce/checks.h"
#include "errcodes.h"
#include "trigcheck.h"
#include "nls.h"
#include "core/person_name.h"
#include "mb/pg_wchar.h"

/*
 * WP04, the payee's name: a wage into a rostered worker's registered card that the bank
 * books under another person's name (the counterparty name of the movement) is not paid
 * to the worker himself. Names are compared by their ICU keys (core/person_name.c: NFKC,
 * traditional to simplified, the separators of minority names and spaces left out).
 */
static void
check_payee_name(wc_map *map, TupleTableSlot *slot, wc_mode mode, Oid relid, wc_violation *v,
				 wc_account *acct, const char *code, int64 amount, wc_payee_entry *l,
				 const char *cpp, int cplen)
{
	const char *np;
	int			nlen;
	const char *reg = l->worker->name;
	size_t		reglen = strlen(reg);
	char	   *given;

	if (!wc_get_textn(map, slot, WC_R_COUNTERPARTY_NAME, &np, &nlen))
		return;
	np = wc_trim_n(np, &nlen);
	/* nothing to compare, or a registered name cut at its buffer's size */
	if (nlen <= 0 || reglen + 1 >= sizeof(l->worker->name))
		return;
	/* the same bytes: the common case, without ICU */
	if ((size_t) nlen == reglen && memcmp(np, reg, reglen) == 0)
		return;
	if (GetDatabaseEncoding() == PG_UTF8)
		given = pnstrdup(np, nlen);
	else
	{
		given = pg_server_to_any(np, nlen, PG_UTF8);
		if (given == np)
			given = pnstrdup(np, nlen);
		reg = pg_server_to_any(reg, (int) reglen, PG_UTF8);
		reglen = strlen(reg);
	}
	if (wc_person_name_same(given, strlen(given), reg, reglen))
		return;
	v->subject_id = wc_subject_id(map, slot);
	v->rule = "WP04";
	v->sqlstate = ERRCODE_WC_PAYEE_NAME_MISMATCH;
	v->message = wc_psprintf("a wage from the dedicated account of project %s was received under another name than the worker's", code);
	v->detail = wc_psprintf("Project %s, account %lld: wage of %s to card %s of %s (worker %lld), received by \"%.*s\".",
						 code, (long long) acct->account_id, wc_cents_str(amount),
						 wc_masked(pnstrdup(cpp, cplen)), l->worker->name,
						 (long long) l->worker->worker_id, nlen, np);
	v->hint = _("Wages go to the worker himself: check whose card it is and correct the registered card or name.");
	wc_report(mode, relid, v);
}

/* The account of a statement of one movement, locked and read by key (account_keyed.c), or NULL. */
static wc_account *keyed_account = NULL;

/*
 * The accounts (by id) of a statement of several movements, locked and read by key
 * (account_keyed.c) each at its first use - in the order of the statement's rows, the order in
 * which wc_account_get locks them - and their balances written by key at the statement's end;
 * found by their ids in an open-addressing table. Past KEYED_MAX accounts, or once one cannot
 * be had by key, the statement's other accounts are locked, read and written by the SQL of
 * state.c as before (each account only one way: one found by key stays so).
 */
#define KEYED_MAX 256
#define KEYED_SLOTS 512			/* a power of two, twice KEYED_MAX */
static wc_account_keyed *keyed_many[KEYED_MAX];
static int	nkeyed = 0;
static bool keyed_more = false; /* accounts not found yet may still be had by key */
static MemoryContext keyed_cxt = NULL;	/* (lives to the statement's end) */
static int64 slot_id[KEYED_SLOTS];
static int	slot_at[KEYED_SLOTS];	/* index in keyed_many, -1: empty */

/* keyed_slot: the slot of account id in the table (its own, or the empty one it would take). */
static int
keyed_slot(int64 id)
{
	uint32		h = (uint32) ((uint64) id * UINT64CONST(0x9E3779B97F4A7C15) >> 32) & (KEYED_SLOTS - 1);

	while (slot_at[h] >= 0 && slot_id[h] != id)
		h = (h + 1) & (KEYED_SLOTS - 1);
	return h;
}

/*
 * statement_account: the account id of a movement of this statement: the one of a statement
 * of one movement, one of the accounts had by key, a new one had by key (locked now, at its
 * first use), or wc_account_get's.
 */
static wc_account *
statement_account(int64 id)
{
	int			h;

	if (keyed_account != NULL && keyed_account->account_id == id)
		return keyed_account;
	if (nkeyed == 0 && !keyed_more)
		return wc_account_get(true, id, NULL);
	h = keyed_slot(id);
	if (slot_at[h] >= 0)
		return &keyed_many[slot_at[h]]->acct;
	if (keyed_more && nkeyed < KEYED_MAX)
	{
		MemoryContext old = MemoryContextSwitchTo(keyed_cxt);
		wc_account_keyed *k = palloc(sizeof(wc_account_keyed));
		bool		ok = wc_account_keyed_begin_checked(k, id, NULL, 0);

		MemoryContextSwitchTo(old);
		if (ok)
		{
			keyed_many[nkeyed] = k;
			slot_id[h] = id;
			slot_at[h] = nkeyed++;
			return &k->acct;
		}
		pfree(k);
		keyed_more = false;		/* (the rest by the SQL) */
	}
	return wc_account_get(true, id, NULL);
}

/* Movements of a dedicated account: closed account, outflow rule, running balance. */
void
wc_check_account_txn(TriggerData *td, wc_map *map, TupleTableSlot *slot)
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
				 errdetail("Table %s, movement %s.", map->relname, wc_subject_id(map, slot)),
				 errhint("Book a reversing movement instead.")));
	/* the account first: a row wagecheck cannot place is refused or recorded, never let through */
	if (map->is_int[WC_R_ACCOUNT])
	{
		int64		id;

		if (!wc_get_int64(map, slot, WC_R_ACCOUNT, &id))
		{
			if (wc_fail_closed(map))
				wc_unresolved(map, slot, relid, map->mode, WC_R_ACCOUNT, "AC03", "account_txn", 0, NULL,
							  _("A movement names the dedicated account it belongs to."));
			return;
		}
		acct = statement_account(id);
		if ((acct == NULL || !acct->known) && wc_fail_closed(map))
			wc_unresolved(map, slot, relid, map->mode, WC_R_ACCOUNT, "AC03", "account_txn", 0,
						  psprintf(INT64_FORMAT, id), _("No dedicated wage account (wagecheck.wage_account) has this id."));
	}
	else
	{
		const char *ap;
		int			alen;

		if (!wc_get_textn(map, slot, WC_R_ACCOUNT, &ap, &alen))
		{
			if (wc_fail_closed(map))
				wc_unresolved(map, slot, relid, map->mode, WC_R_ACCOUNT, "AC03", "account_txn", 0, NULL,
							  _("A movement names the dedicated account it belongs to."));
			return;
		}
		/* what a bank wrote: blanks, hyphens, full-width digits, padding */
		s = wc_is_plain_digits(ap, alen) ? pnstrdup(ap, alen) : wc_norm(ap, alen, WC_NORM_COMPACT);
		acct = wc_account_get(false, 0, s);
		if ((acct == NULL || !acct->known) && wc_fail_closed(map))
			wc_unresolved(map, slot, relid, map->mode, WC_R_ACCOUNT, "AC03", "account_txn", 0, pnstrdup(ap, alen),
						  _("No dedicated wage account (wagecheck.wage_account) has this number, written with or without blanks and hyphens."));
	}
	if (acct == NULL || !acct->known)
		return;					/* recorded above (alert mode), or wagecheck's own foreign key answers */
	mode = wc_eff_mode(map, acct->project_mode);

	if (!wc_get_cents(map, slot, WC_R_AMOUNT, &amount))
	{
		if (wc_fail_closed(map))
			wc_unresolved(map, slot, relid, mode, WC_R_AMOUNT, "AC03", "account_txn", acct->project_id, NULL,
						  _("A movement without an amount cannot be checked against the account's balance."));
		return;
	}
	if (map->attnum[WC_R_DIRECTION])
	{
		const char *dp = "";
		int			dlen = 0;
		bool		given = wc_get_textn(map, slot, WC_R_DIRECTION, &dp, &dlen);

		/* the mapping's value map, else wagecheck's words; normalized (full-width forms, padding) */
		int			memo = given ? wc_memo_find(&map->dir_memo, dp, dlen) : -1;

		if (!given)
			dir = WC_DIR_UNKNOWN;
		else if (memo >= 0)
			dir = (wc_direction) memo;
		else
		{
			dir = wc_classify_direction(dp, dlen, map->dir_in, map->dir_out);
			wc_memo_keep(&map->dir_memo, dp, dlen, (int) dir);
		}
		if (dir == WC_DIR_UNKNOWN)
		{
			if (!wc_fail_closed(map))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("direction \"%.*s\" of a movement in %s is neither in nor out", dlen, dp, map->relname),
						 errhint("Directions are written in/out, C/D, 收/付 or 贷/借.")));
			wc_unresolved(map, slot, relid, mode, WC_R_DIRECTION, "AC03", "account_txn", acct->project_id,
						  given ? pnstrdup(dp, dlen) : NULL,
						  map->dir_in ? _("The value map of the direction names neither it as in nor as out.")
						  : _("Directions are written in/out, C/D, 收/付 or 贷/借; a value map in the mapping names others."));
			return;
		}
		if (amount < 0)
			amount = -amount;
	}
	else
	{
		/* a signed amount: minus is out, or in when the mapping says so */
		dir = (amount < 0) != map->minus_is_in ? WC_DIR_OUT : WC_DIR_IN;
		if (amount < 0)
			amount = -amount;
	}
	if (amount == 0)
		return;

	code = acct->project_code;
	memset(&v, 0, sizeof(v));
	v.subject_kind = "account_txn";
	v.project_id = acct->project_id;
	v.amount = amount;

	if (acct->closed)
	{
		v.subject_id = wc_subject_id(map, slot);
		v.rule = "AC05";
		v.sqlstate = ERRCODE_WC_ACCOUNT_CLOSED;
		v.message = wc_psprintf("the dedicated wage account of project %s is closed", code);
		v.detail = acct->closed_in == InvalidOid
			? wc_psprintf("Project %s, account %lld: %s of %s on a closed account.",
					   code, (long long) acct->account_id, dir == WC_DIR_IN ? _("inflow") : _("outflow"),
					   wc_cents_str(amount))
			: wc_psprintf("Project %s, account %lld: %s of %s; every account of the project in %s is closed.",
					   code, (long long) acct->account_id, dir == WC_DIR_IN ? _("inflow") : _("outflow"),
					   wc_cents_str(amount), wc_relid_label(acct->closed_in));
		v.hint = _("A closed account takes no movements; use the project's open dedicated account.");
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
			int			memo = wc_memo_find(&map->purpose_memo, pp, plen);

			if (memo >= 0)
				purpose = (wc_purpose) memo;
			else
			{
				purpose = wc_classify_purpose(pp, plen, map->wage, map->cash);
				wc_memo_keep(&map->purpose_memo, pp, plen, (int) purpose);
			}
			purpose_text = pp;
		}
		else
			plen = 0;
		if (wc_get_textn(map, slot, WC_R_COUNTERPARTY, &cpp, &cplen))
		{
			/* the lookup reads the bytes in place; a message copies the first 71 */
			cplen = Min(cplen, 71);
			cpp = wc_trim_n(cpp, &cplen);
			if (cplen > 0)
				payee = wc_payee_lookup(acct->project_id, cpp, cplen, &l);
		}
		if (l && l->worker)
			v.worker = l->worker->name;
		verdict = wc_outflow_decide(purpose, payee);
		if (verdict != WC_OUT_OK)
		{
			/* only a violation pays for building its message */
			v.subject_id = wc_subject_id(map, slot);
			cp = pnstrdup(cpp ? cpp : "", cplen);
			to = payee == WC_PAYEE_NONE ? "no account (cash)" :
				(l && l->worker) ? wc_psprintf("card %s of %s (worker %lld)", wc_masked(cp), l->worker->name, (long long) l->worker->worker_id) :
				wc_psprintf("account %s", wc_masked(cp));
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
					v.message = wc_psprintf("cash may not be withdrawn from the dedicated wage account of project %s", code);
				else if (payee == WC_PAYEE_OTHER_WORKER)
					v.message = wc_psprintf("the dedicated wage account of project %s may not pay a worker who is not on its roster", code);
				else
					v.message = wc_psprintf("money may leave the dedicated wage account of project %s only as wages to its rostered workers", code);
				v.detail = wc_psprintf("Project %s, account %lld: outflow of %s to %s, purpose \"%.*s\".",
									code, (long long) acct->account_id, wc_cents_str(amount), to,
									purpose_text ? plen : 0, purpose_text ? purpose_text : "");
				v.hint = _("Pay other costs from the contractor's general account; wages go to each worker's own registered card.");
				wc_report(mode, relid, &v);
				break;
			case WC_OUT_NOT_OWN_CARD:
				/* AC03, as eval_ac03 reads it: WP04 is the rule of the payment record */
				v.rule = "AC03";
				v.sqlstate = ERRCODE_WC_ACCOUNT_OUTFLOW;
				v.message = wc_psprintf("wages from the dedicated account of project %s must go to the worker's own registered card", code);
				v.detail = payee == WC_PAYEE_NONE
					? wc_psprintf("Project %s, account %lld: wage of %s with no receiving account (cash).",
							   code, (long long) acct->account_id, wc_cents_str(amount))
					: wc_psprintf("Project %s, account %lld: wage of %s to %s, which is not the registered wage card of any worker.",
							   code, (long long) acct->account_id, wc_cents_str(amount), to);
				v.hint = _("Register the worker's own card (wagecheck.worker.wage_card) and pay into it.");
				wc_report(mode, relid, &v);
				break;
		}
		if (verdict == WC_OUT_OK && payee == WC_PAYEE_ROSTERED && l && l->worker)
			check_payee_name(map, slot, mode, relid, &v, acct, code, amount, l, cpp, cplen);
	}

	if (!wc_balance_apply(acct->balance, dir, amount, &after) ||
		after > WC_BALANCE_MAX_CENTS || after < -WC_BALANCE_MAX_CENTS)
		wc_balance_range_error(acct, dir == WC_DIR_IN ? _("inflow") : _("outflow"), amount);
	if (dir == WC_DIR_OUT && after < 0)
	{
		v.subject_id = wc_subject_id(map, slot);
		v.rule = "AC06";
		v.sqlstate = ERRCODE_WC_ACCOUNT_OVERDRAWN;
		v.message = wc_psprintf("the dedicated wage account of project %s does not hold enough money for this payment", code);
		v.detail = wc_psprintf("Project %s, account %lld: balance %s, outflow %s%s%s.",
							code, (long long) acct->account_id, wc_cents_str(acct->balance), wc_cents_str(amount),
							v.worker ? _(" to ") : "", v.worker ? v.worker : "");
		v.hint = _("The owner must pay labour cost into the account first.");
		wc_report(mode, relid, &v);
	}
	wc_account_set_balance(acct, after);
}

/* A (project, counterparty) whose payee a statement of several movements asks for. */
typedef struct payee_key
{
	int64		project_id;
	int			len;
	const char *account;
} payee_key;

static int
payee_key_cmp(const void *a, const void *b)
{
	const payee_key *x = a,
			   *y = b;
	int			c;

	if (x->project_id != y->project_id)
		return x->project_id < y->project_id ? -1 : 1;
	c = memcmp(x->account, y->account, Min(x->len, y->len));
	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/*
 * prefetch_payees: before the rows of a statement of several movements are checked, the
 * payees of all their counterparty accounts are looked up (the same answer as
 * wc_payee_lookup's, per project and account: read through the indexes of worker and roster,
 * else in one query) and put in the statement's cache: a COPY of a day's wages asks once, not
 * once per card. Each row's account is found (and locked) as its check would, in the same
 * order; a row whose account cannot be found is left to its check.
 * A statement of one movement finds its account (by id) and payee in one query, or without
 * any (keyed_begin).
 */
static void
prefetch_payees(TriggerData *td, wc_map *map, TupleTableSlot *slot)
{
	payee_key  *keys = NULL;
	int			n = 0,
				cap = 0,
				k = 0;
	Datum	   *projects,
			   *accounts;
	bool	   *found;
	Oid			types[2] = {INT8ARRAYOID, TEXTARRAYOID};
	Datum		args[2];

	if (map->attnum[WC_R_COUNTERPARTY] == 0 || keyed_account != NULL)
		return;
	if (tuplestore_tuple_count(td->tg_newtable) == 1)
	{
		/* one movement (a clerk's, a device's): its account and payee in one query */
		const char *cpp;
		int			cplen;
		int64		id;

		tuplestore_rescan(td->tg_newtable);
		if (map->is_int[WC_R_ACCOUNT] && tuplestore_gettupleslot(td->tg_newtable, true, false, slot) &&
			wc_get_textn(map, slot, WC_R_COUNTERPARTY, &cpp, &cplen))
		{
			cplen = Min(cplen, 71);
			cpp = wc_trim_n(cpp, &cplen);
			if (cplen > 0 && cplen <= WC_PAYEE_KEYLEN && wc_get_int64(map, slot, WC_R_ACCOUNT, &id))
				(void) wc_account_get_paying(id, cpp, cplen);
		}
		return;
	}
	if (tuplestore_tuple_count(td->tg_newtable) < 2)
		return;
	tuplestore_rescan(td->tg_newtable);
	while (tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
	{
		wc_account *acct = NULL;
		const char *cpp;
		int			cplen;

		if (!wc_get_textn(map, slot, WC_R_COUNTERPARTY, &cpp, &cplen))
			continue;
		cplen = Min(cplen, 71);
		cpp = wc_trim_n(cpp, &cplen);
		if (cplen <= 0 || cplen > WC_PAYEE_KEYLEN)
			continue;			/* (not cached: looked up by its row) */
		if (map->is_int[WC_R_ACCOUNT])
		{
			int64		id;

			if (wc_get_int64(map, slot, WC_R_ACCOUNT, &id))
				acct = statement_account(id);
		}
		else
		{
			const char *ap;
			int			alen;

			if (wc_get_textn(map, slot, WC_R_ACCOUNT, &ap, &alen))
				acct = wc_account_get(false, 0, wc_is_plain_digits(ap, alen) ? pnstrdup(ap, alen)
									  : wc_norm(ap, alen, WC_NORM_COMPACT));
		}
		if (acct == NULL || !acct->known || wc_payee_find(acct->project_id, cpp, cplen) != NULL)
			continue;
		if (n == cap)
		{
			cap = cap ? cap * 2 : 64;
			keys = keys ? repalloc_huge(keys, sizeof(payee_key) * cap) : palloc(sizeof(payee_key) * cap);
		}
		keys[n].project_id = acct->project_id;
		keys[n].len = cplen;
		keys[n].account = pnstrdup(cpp, cplen);
		n++;
	}
	if (n == 0)
		return;
	qsort(keys, n, sizeof(payee_key), payee_key_cmp);
	for (int i = 1; i < n; i++)
		if (payee_key_cmp(&keys[i], &keys[k]) != 0)
			keys[++k] = keys[i];
	n = k + 1;
	wc_payee_reserve(n);
	/* read through the indexes of worker and roster; the query asks for those that cannot be */
	{
		wc_payee_reader pr;

		if (wc_payee_reader_open(&pr))
		{
			Snapshot	snapshot = wc_direct_snapshot();
			int			left = 0;
			wc_payee_ask *asks = palloc(sizeof(wc_payee_ask) * n);

			/* (a day's bank file: one read of worker and roster; else a probe of each for each) */
			for (int i = 0; i < n; i++)
			{
				asks[i].project_id = keys[i].project_id;
				asks[i].account = keys[i].account;
				asks[i].len = keys[i].len;
			}
			if (wc_payee_reader_scan(&pr, snapshot, asks, n))
			{
				for (int i = 0; i < n; i++)
					if (!asks[i].done)
						keys[left++] = keys[i];
			}
			else
				for (int i = 0; i < n; i++)
					if (!wc_payee_reader_read(&pr, snapshot, keys[i].project_id, keys[i].account, keys[i].len))
						keys[left++] = keys[i];
			wc_direct_snapshot_done();
			wc_payee_reader_close(&pr);
			n = left;
			if (n == 0)
				return;
		}
	}
	projects = palloc(sizeof(Datum) * n);
	accounts = palloc(sizeof(Datum) * n);
	found = palloc0(sizeof(bool) * n);
	for (int i = 0; i < n; i++)
	{
		projects[i] = Int64GetDatum(keys[i].project_id);
		accounts[i] = PointerGetDatum(cstring_to_text_with_len(keys[i].account, keys[i].len));
	}
	args[0] = PointerGetDatum(construct_array_builtin(projects, n, INT8OID));
	args[1] = PointerGetDatum(construct_array_builtin(accounts, n, TEXTOID));
	SPI_connect();
	wc_spi_select(WC_P_PAYEE_BATCH,
				  "SELECT u.i, x.worker_id, x.name, x.rostered"
				  "  FROM unnest($1, $2) WITH ORDINALITY u(project_id, account, i)"
				  " CROSS JOIN LATERAL (SELECT w.worker_id, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
				  "                      WHERE r.project_id = u.project_id AND r.worker_id = w.worker_id) AS rostered"
				  "                       FROM wagecheck.worker w WHERE w.wage_card OPERATOR(wagecheck.=) CASE"
				  "                       WHEN wagecheck.is_valid_bank_card(u.account) THEN u.account::wagecheck.bank_card END"
				  "                      ORDER BY 3 DESC, 1 LIMIT 1) x", 2, types, args);
	/* the answers, then the keys without one (no worker's card) */
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	t = SPI_tuptable->vals[r];
		TupleDesc	d = SPI_tuptable->tupdesc;
		bool		isnull;
		int64		i = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull)) - 1;
		wc_payee_entry *e;

		if (i < 0 || i >= n)
			continue;
		e = wc_payee_store(keys[i].project_id, keys[i].account, keys[i].len, true);
		e->worker->worker_id = DatumGetInt64(SPI_getbinval(t, d, 2, &isnull));
		strlcpy(e->worker->name, SPI_getvalue(t, d, 3), sizeof(e->worker->name));
		e->rostered = DatumGetBool(SPI_getbinval(t, d, 4, &isnull));
		found[i] = true;
	}
	for (int i = 0; i < n; i++)
		if (!found[i])
			(void) wc_payee_store(keys[i].project_id, keys[i].account, keys[i].len, false);
	SPI_finish();
}

/*
 * keyed_begin: a statement of one movement of an account named by its id: the account locked
 * and read, and the payee of its counterparty looked up, without a statement
 * (wc_account_keyed_begin); false when not such a statement, or when that cannot be done.
 */
static bool
keyed_begin(TriggerData *td, wc_map *map, TupleTableSlot *slot, wc_account_keyed *k)
{
	const char *cpp = NULL;
	int			cplen = 0;
	int64		id;
	bool		ok;

	if (tuplestore_tuple_count(td->tg_newtable) != 1 || !map->is_int[WC_R_ACCOUNT])
		return false;
	tuplestore_rescan(td->tg_newtable);
	if (!tuplestore_gettupleslot(td->tg_newtable, true, false, slot) ||
		!wc_get_int64(map, slot, WC_R_ACCOUNT, &id))
		return false;
	if (map->attnum[WC_R_COUNTERPARTY] != 0 && wc_get_textn(map, slot, WC_R_COUNTERPARTY, &cpp, &cplen))
	{
		/* as the row's check reads it */
		cplen = Min(cplen, 71);
		cpp = wc_trim_n(cpp, &cplen);
	}
	ok = wc_account_keyed_begin(k, id, cpp, Max(cplen, 0));
	ExecClearTuple(slot);
	return ok;
}

/*
 * wc_check_new_rows: the statement-level pass over a transition table of inserted rows
 * (COPY keeps its multi-row inserts: no BEFORE ROW trigger is needed), each checked
 * by check in insertion order, in a memory context reset after each row.
 */
void
wc_check_new_rows(TriggerData *td, wc_map *map, wc_row_check check)
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
		wc_set_current_row(map, slot, true);
		wc_check_times(td, map, slot);
		check(td, map, slot);
		wc_set_current_row(NULL, NULL, false);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	ExecDropSingleTupleTableSlot(slot);
	MemoryContextDelete(rowcxt);
}

/*
 * keep_for_capture: the accounts of the statement's movements, locked and read by key (one,
 * or those of keyed_many), with their projects, kept for the statement's change capture
 * (state.c): a project read under the account's lock stays the account's until the
 * transaction ends. Nothing is kept when an account is not known.
 */
static void
keep_for_capture(TriggerData *td, const wc_account *one)
{
	int			n = one != NULL ? 1 : nkeyed;
	int64	   *ids;
	int64	   *projects;

	if (n == 0)
		return;
	ids = palloc(sizeof(int64) * n);
	projects = palloc(sizeof(int64) * n);
	for (int i = 0; i < n; i++)
	{
		const wc_account *a = one != NULL ? one : &keyed_many[i]->acct;

		if (!a->known)
			return;
		ids[i] = a->account_id;
		projects[i] = a->project_id;
	}
	wc_enforced_keep(RelationGetRelid(td->tg_relation), 'a', td->tg_newtable, ids, n, projects, n);
}

/*
 * wc_check_new_table: the new movements of a statement, their payees looked up together
 * first (prefetch_payees), then each checked in insertion order against the running
 * balance; then the balances are written once: by key those of the accounts had by key (a
 * statement of one movement's, or of several movements' accounts named by id), the others by
 * wc_flush.
 */
void
wc_check_new_table(TriggerData *td, wc_map *map)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(map->desc, &TTSOpsMinimalTuple);
	wc_account_keyed k;

	/* (what it opens lives to the statement's end: not in the payees' context) */
	keyed_account = NULL;
	nkeyed = 0;
	keyed_more = false;
	if (keyed_begin(td, map, slot, &k))
		keyed_account = &k.acct;
	else if (tuplestore_tuple_count(td->tg_newtable) > 1 && map->is_int[WC_R_ACCOUNT] &&
			 wc_account_keyed_possible())
	{
		keyed_more = true;
		keyed_cxt = CurrentMemoryContext;
		memset(slot_at, -1, sizeof(slot_at));
	}
	PG_TRY();
	{
		MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "wagecheck payees", ALLOCSET_DEFAULT_SIZES);
		MemoryContext old = MemoryContextSwitchTo(cxt);

		prefetch_payees(td, map, slot);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(cxt);
		ExecDropSingleTupleTableSlot(slot);
		wc_check_new_rows(td, map, wc_check_account_txn);
		if (keyed_account != NULL && wc_account_keyed_end(&k))
			ereport(DEBUG1, (errmsg_internal("wagecheck: balance of account %lld written by key",
											 (long long) k.acct.account_id)));
		for (int i = 0; i < nkeyed; i++)
			(void) wc_account_keyed_end(keyed_many[i]);
		if (nkeyed > 0)
			ereport(DEBUG1, (errmsg_internal("wagecheck: accounts of %d movements locked, read and written by key: %d",
											 (int) tuplestore_tuple_count(td->tg_newtable), nkeyed)));
		keep_for_capture(td, keyed_account != NULL ? &k.acct : NULL);
	}
	PG_FINALLY();
	{
		keyed_account = NULL;
		nkeyed = 0;
		keyed_more = false;
	}
	PG_END_TRY();
}
