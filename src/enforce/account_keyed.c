/*
 * account_keyed.c — a statement of one movement of a dedicated account (a clerk's, a bank
 * device's) judged without SPI statements: its account is found by its key and locked FOR NO
 * KEY UPDATE as wc_account_get's query locks it, its project and the payee of its counterparty
 * account (wc_payee_lookup's question) are read through their indexes (direct.c), and the new
 * balance is written to the locked row by key, as the UPDATE of wc_flush writes it (the
 * table's CHECK constraints prepared once per backend: an UPDATE prepares them again at each
 * statement).
 *
 * That UPDATE fires wage_account's triggers, and each of them does nothing for a change of the
 * balance alone: the enforcing row trigger and the change capture let the balances written
 * after a statement of movements through (wc_flushing), outflow_unmatched_upd fires only when
 * the project changes, the foreign keys' triggers only when a key does (or, of a row this
 * transaction wrote, to check again the key checked when it was written: of a constraint not
 * deferrable, that check has run). So the balance is written without firing them, and only
 * while wage_account has no trigger on UPDATE but those (balance_write_plain). A statement of
 * several movements has each of its accounts (named by id) locked and read by key at its first
 * use, in the order of its rows as wc_account_get locks them, and the balances written by key
 * at its end (account_txn.c); its payees are read through the indexes, or - a bank file asking
 * about more cards than an eighth of the workers - by one read of worker and roster
 * (wc_payee_reader_scan). What this file cannot judge - an account named by number, REPEATABLE
 * READ or SERIALIZABLE (where the UPDATE fails on a row changed since the snapshot), attached
 * tables of accounts, a row changed or gone while waiting for its lock - is judged by the SQL
 * of state.c and lookup.c, as before.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/syscache.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "catalog_watch.h"
#include "core/ident.h"
#include "core/outflow.h"
#include "enforce/account_keyed.h"
#include "enforce/card_read.h"
#include "enforce/checks.h"
#include "ident/ident_pg.h"
#include "nls.h"

/* Whether wage_account's balance may be written without its triggers, as decided at plain_at. */
static bool plain_verdict;
static uint64 plain_at = 0;		/* wc_relcache_generation() when decided (0: not yet) */

/* trigger_is: t calls wagecheck.<fn>() under the name name. */
static bool
trigger_is(const Trigger *t, const char *name, const char *fn)
{
	char	   *f;
	bool		same;

	if (strcmp(t->tgname, name) != 0)
		return false;
	f = get_func_name(t->tgfoid);
	same = f != NULL && strcmp(f, fn) == 0 &&
		get_func_namespace(t->tgfoid) == wc_schema_oid();
	if (f)
		pfree(f);
	return same;
}

/*
 * balance_write_plain: every trigger of wage_account that an UPDATE fires is one that does
 * nothing for a change of the balance alone (see the head of this file); decided once per
 * change of any relation's cache entry.
 */
static bool
balance_write_plain(Relation rel)
{
	TriggerDesc *td = rel->trigdesc;
	uint64		generation = wc_relcache_generation();

	if (plain_at == generation)
		return plain_verdict;
	plain_verdict = true;
	for (int i = 0; td != NULL && i < td->numtriggers; i++)
	{
		const Trigger *t = &td->triggers[i];

		if (!TRIGGER_FOR_UPDATE(t->tgtype) || t->tgenabled == TRIGGER_DISABLED)
			continue;
		if (t->tgisinternal && RI_FKey_trigger_type(t->tgfoid) != RI_TRIGGER_NONE && !t->tgdeferrable)
			continue;			/* a key's check: no key changes (nor is a new row's check pending) */
		if (TRIGGER_FOR_ROW(t->tgtype) && TRIGGER_FOR_BEFORE(t->tgtype) && trigger_is(t, "enforce_row", "enforce"))
			continue;			/* lets wc_flush's balances through */
		if (!TRIGGER_FOR_ROW(t->tgtype) && TRIGGER_FOR_AFTER(t->tgtype) &&
			trigger_is(t, "input_change_upd", "_input_changed"))
			continue;			/* records nothing for wc_flush's balances */
		if (TRIGGER_FOR_ROW(t->tgtype) && TRIGGER_FOR_AFTER(t->tgtype) && t->tgqual != NULL &&
			trigger_is(t, "outflow_unmatched_upd", "_outflow_unmatched_sync"))
			continue;			/* fires when the project changes */
		plain_verdict = false;
		break;
	}
	/* (an invalidation the look-ups above brought: decided again next time) */
	plain_at = generation;
	return plain_verdict;
}

/* bank_card_type: the type wagecheck.bank_card (an int64 of its digits: core/ident.h). */
static Oid
bank_card_type(void)
{
	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("bank_card"),
						   ObjectIdGetDatum(wc_schema_oid()));
}

/*
 * The CHECK constraints of wage_account, prepared once per backend (an UPDATE prepares each
 * again at every statement: the most of what a statement of one movement cost): rebuilt after a
 * change of any relation's cache entry or of a function.
 */
static MemoryContext checks_cxt = NULL;
static List *checks = NIL;		/* ExprState of each */
static ExprContext *checks_econtext = NULL;
static Oid	checks_relid = InvalidOid;
static bool checks_stale = false;	/* (freed at the next use, never while a check runs) */
static bool checks_subscribed = false;

static void
checks_reset(void)
{
	if (checks_cxt != NULL)
	{
		/* (the expression context's memory is a child of checks_cxt: both go) */
		MemoryContextDelete(checks_cxt);
		checks_cxt = NULL;
	}
	checks = NIL;
	checks_econtext = NULL;
	checks_relid = InvalidOid;
}

/* checks_rel_changed: wage_account's (or every relation's) cache entry changed (src/catalog_watch.c) */
static void
checks_rel_changed(Oid relid)
{
	if (relid == InvalidOid || relid == checks_relid)
		checks_stale = true;
}

/* checks_proc_changed: a function changed (src/catalog_watch.c) */
static void
checks_proc_changed(void)
{
	checks_stale = true;
}

/*
 * checks_hold: whether the new version of a row of rel in slot satisfies every CHECK
 * constraint of rel, as ExecConstraints evaluates them (a NULL result passes).
 */
static bool
checks_hold(Relation rel, TupleTableSlot *slot)
{
	TupleConstr *constr = rel->rd_att->constr;
	bool		hold = true;
	ListCell   *lc;

	if (!checks_subscribed)
	{
		wc_relcache_subscribe(checks_rel_changed);
		wc_syscache_subscribe(PROCOID, checks_proc_changed);
		checks_subscribed = true;
	}
	if (constr == NULL || constr->num_check == 0)
		return true;
	if (checks_cxt == NULL || checks_stale || checks_relid != RelationGetRelid(rel))
	{
		MemoryContext old;

		checks_reset();
		checks_stale = false;
		checks_cxt = AllocSetContextCreate(TopMemoryContext, "wagecheck account checks", ALLOCSET_SMALL_SIZES);
		old = MemoryContextSwitchTo(checks_cxt);
		for (int i = 0; i < constr->num_check; i++)
		{
			/* (as ExecRelCheck prepares them) */
			Expr	   *e = (Expr *) stringToNode(constr->check[i].ccbin);

			checks = lappend(checks, ExecInitExpr(expression_planner(e), NULL));
		}
		checks_econtext = CreateStandaloneExprContext();
		checks_relid = RelationGetRelid(rel);
		MemoryContextSwitchTo(old);
	}
	checks_econtext->ecxt_scantuple = slot;
	foreach(lc, checks)
	{
		if (!ExecCheck((ExprState *) lfirst(lc), checks_econtext))
		{
			hold = false;
			break;
		}
	}
	ResetExprContext(checks_econtext);
	return hold;
}

/* text_column: the text value of column att of d's row, NULL when NULL. */
static char *
text_column(wc_direct *d, int att)
{
	bool		isnull;
	Datum		v = slot_getattr(d->slot, att, &isnull);

	return isnull ? NULL : TextDatumGetCString(v);
}

/* wc_payee_reader_open: worker and roster opened for wc_payee_reader_read; false (nothing left open) when they are not as this file knows them. */
bool
wc_payee_reader_open(wc_payee_reader *pr)
{
	memset(pr, 0, sizeof(*pr));
	if (!wc_direct_open(&pr->w, "worker", "worker_wage_card_idx", AccessShareLock))
		return false;
	if (!wc_direct_open(&pr->r, "roster", "roster_project_id_worker_id_start_on_key", AccessShareLock) ||
		pr->r.nkeys < 2 || (pr->a_id = wc_direct_column(&pr->w, "worker_id", INT8OID)) == 0 ||
		(pr->a_name = wc_direct_column(&pr->w, "name", TEXTOID)) == 0 ||
		wc_direct_column(&pr->r, "project_id", INT8OID) != pr->r.index->rd_index->indkey.values[0] ||
		wc_direct_column(&pr->r, "worker_id", INT8OID) != pr->r.index->rd_index->indkey.values[1] ||
		pr->w.index->rd_opcintype[0] != bank_card_type() ||
		wc_direct_column(&pr->w, "wage_card", pr->w.index->rd_opcintype[0]) != pr->w.index->rd_index->indkey.values[0])
	{
		wc_payee_reader_close(pr);
		return false;
	}
	return true;
}

void
wc_payee_reader_close(wc_payee_reader *pr)
{
	wc_direct_close(&pr->r);
	wc_direct_close(&pr->w);
}

/*
 * wc_payee_reader_read: wc_payee_lookup's answer for the counterparty account cp[0..cplen) of
 * a movement of project project_id (the worker whose registered card it is - one on the
 * project's roster first, then the lowest id - and whether he is on the roster), read through
 * the indexes of worker and roster as snapshot sees them, and kept in the statement's cache;
 * false when the answer cannot be had this way (the lookup's SQL asks then).
 */
bool
wc_payee_reader_read(wc_payee_reader *pr, Snapshot snapshot, int64 project_id, const char *cp, int cplen)
{
	wc_compact	c;
	int64_t		card = 0;
	wc_ident_status st = wc_ident_compact_server(cp, cplen, &c, NULL);
	int			best_rostered = -1;
	int64		best_id = 0;
	char	   *best_name = NULL;
	wc_payee_entry *e;
	Datum		key;

	if (st == WC_IDENT_OK)
		st = wc_bank_card_from_compact(&c, &card, NULL);
	if (st == WC_IDENT_NOMEM || st == WC_IDENT_ICU_ERROR)
		return false;			/* (is_valid_bank_card raises these: the SQL reports them) */
	if (st != WC_IDENT_OK)
	{
		/* not a card: no worker's */
		(void) wc_payee_store(project_id, cp, cplen, false);
		return true;
	}
	key = Int64GetDatum(card);
	wc_direct_begin(&pr->w, snapshot, &key, 1);
	while (wc_direct_next(&pr->w))
	{
		bool		isnull;
		int64		id = DatumGetInt64(slot_getattr(pr->w.slot, pr->a_id, &isnull));
		Datum		rk[2];
		int			rostered;

		if (isnull)
			continue;
		rk[0] = Int64GetDatum(project_id);
		rk[1] = Int64GetDatum(id);
		rostered = wc_direct_first(&pr->r, snapshot, rk, 2) ? 1 : 0;
		/* ORDER BY rostered DESC, worker_id LIMIT 1 */
		if (rostered > best_rostered || (rostered == best_rostered && id < best_id))
		{
			best_rostered = rostered;
			best_id = id;
			best_name = text_column(&pr->w, pr->a_name);
		}
	}
	wc_direct_end(&pr->w);
	e = wc_payee_store(project_id, cp, cplen, best_rostered >= 0);
	if (best_rostered >= 0)
	{
		e->worker->worker_id = best_id;
		strlcpy(e->worker->name, best_name ? best_name : "", sizeof(e->worker->name));
		e->rostered = best_rostered == 1;
	}
	return true;
}

/*
 * wc_payee_reader_scan: wc_payee_reader_read's answers for the payees asks[0..n) (distinct
 * (project, account) pairs) by one read of worker and roster each, as snapshot sees them - the
 * workers of the cards asked about, and which of them are on the projects' rosters (card_read.c,
 * as the matches of the wages are read): a bank file of a day's wages asks about most workers,
 * and a probe of each index for each costs more. asks[i].done says which were answered (the others: the lookup's SQL).
 * False, with nothing done, when the cards asked about are too few for that.
 */
bool
wc_payee_reader_scan(wc_payee_reader *pr, Snapshot snapshot, wc_payee_ask *asks, int n)
{
	int64	   *cards = palloc(sizeof(int64) * Max(n, 1));
	char	   *is_card = palloc0(Max(n, 1));	/* 1 a card, 2 not one, 0 not known */
	wc_card_read cr;
	int			a_card,
				r_project,
				r_worker;

	/* each account's card (as wc_payee_reader_read reads it) */
	wc_card_read_init(&cr, n);
	for (int i = 0; i < n; i++)
	{
		wc_compact	c;
		int64_t		card = 0;
		wc_ident_status st = wc_ident_compact_server(asks[i].account, asks[i].len, &c, NULL);

		asks[i].done = false;
		if (st == WC_IDENT_OK)
			st = wc_bank_card_from_compact(&c, &card, NULL);
		if (st == WC_IDENT_NOMEM || st == WC_IDENT_ICU_ERROR)
			continue;			/* (the SQL reports them) */
		if (st != WC_IDENT_OK)
		{
			is_card[i] = 2;		/* not a card: no worker's */
			continue;
		}
		cards[i] = card;
		is_card[i] = 1;
		wc_card_read_ask_card(&cr, card);
	}
	if (!wc_direct_scan_pays(&pr->w, &pr->r, wc_idmap_count(cr.cards)) ||
		(a_card = wc_direct_column(&pr->w, "wage_card", pr->w.index->rd_opcintype[0])) == 0 ||
		(r_project = wc_direct_column(&pr->r, "project_id", INT8OID)) == 0 ||
		(r_worker = wc_direct_column(&pr->r, "worker_id", INT8OID)) == 0)
	{
		wc_card_read_done(&cr);
		return false;
	}
	/* the workers of those cards, then the entries of the (project, worker) pairs asked about */
	wc_card_read_workers(&cr, &pr->w, snapshot, a_card, pr->a_id, pr->a_name);
	for (int i = 0; i < n; i++)
		if (is_card[i] == 1)
			for (int w = wc_card_read_first_worker(&cr, cards[i]); w >= 0; w = cr.workers[w].next)
				wc_card_read_ask_pair(&cr, asks[i].project_id, cr.workers[w].worker_id);
	wc_card_read_entries(&cr, &pr->r, snapshot, r_project, r_worker, 0, 0);
	/* each answer: the worker of the card on the project's roster first, then the lowest id */
	for (int i = 0; i < n; i++)
	{
		int			best_rostered = -1;
		int64		best_id = 0;
		const char *best_name = NULL;
		wc_payee_entry *pe;

		if (is_card[i] == 0)
			continue;
		if (is_card[i] == 2)
		{
			(void) wc_payee_store(asks[i].project_id, asks[i].account, asks[i].len, false);
			asks[i].done = true;
			continue;
		}
		for (int w = wc_card_read_first_worker(&cr, cards[i]); w >= 0; w = cr.workers[w].next)
		{
			wc_card_worker *k = &cr.workers[w];
			int			rostered = wc_card_read_first_entry(&cr, asks[i].project_id, k->worker_id) >= 0 ? 1 : 0;

			/* ORDER BY rostered DESC, worker_id LIMIT 1 */
			if (rostered > best_rostered || (rostered == best_rostered && k->worker_id < best_id))
			{
				best_rostered = rostered;
				best_id = k->worker_id;
				best_name = k->name;
			}
		}
		pe = wc_payee_store(asks[i].project_id, asks[i].account, asks[i].len, best_rostered >= 0);
		if (best_rostered >= 0)
		{
			pe->worker->worker_id = best_id;
			strlcpy(pe->worker->name, best_name ? best_name : "", sizeof(pe->worker->name));
			pe->rostered = best_rostered == 1;
		}
		asks[i].done = true;
	}
	wc_card_read_done(&cr);
	ereport(DEBUG1, (errmsg_internal("wagecheck: payees read by one read of worker and roster: %d", n)));
	return true;
}

/*
 * wc_account_keyed_begin: for a statement of one movement of wagecheck.wage_account's account
 * id, its account locked and read and its payee looked up (counterparty cp[0..cplen), trimmed;
 * none when cplen is 0), in k->acct for the row's check; false when this file cannot (the
 * check asks its SQL; nothing is left open).
 */
bool
wc_account_keyed_begin(wc_account_keyed *k, int64 id, const char *cp, int cplen)
{
	memset(k, 0, sizeof(*k));
	if (!wc_account_keyed_possible())
		return false;
	return wc_account_keyed_begin_checked(k, id, cp, cplen);
}

/*
 * wc_account_keyed_possible: whether the accounts of this statement may be locked, read and
 * written by key at all: READ COMMITTED (in REPEATABLE READ or SERIALIZABLE the UPDATE fails
 * on a row changed since the snapshot), and no attached table of accounts (whose closures
 * wc_account_get reads).
 */
bool
wc_account_keyed_possible(void)
{
	bool		attached;

	if (IsolationUsesXactSnapshot())
		return false;
	if (wc_attached_accounts_none())
		return true;			/* (known without connecting SPI: most statements) */
	SPI_connect();
	attached = wc_attached_accounts_exist();
	SPI_finish();
	return !attached;
}

/*
 * wc_account_keyed_begin_checked: wc_account_keyed_begin once wc_account_keyed_possible said
 * true in the same statement (a statement of several movements asks it once, not for each of
 * its accounts).
 */
bool
wc_account_keyed_begin_checked(wc_account_keyed *k, int64 id, const char *cp, int cplen)
{
	Snapshot	snapshot;
	Datum		key = Int64GetDatum(id);
	TM_FailureData tmfd;
	int			a_id,
				a_project,
				a_closed,
				a_balance,
				p_code,
				p_mode;
	bool		isnull;
	wc_direct	p;
	char	   *s;

	memset(k, 0, sizeof(*k));
	if (!wc_direct_open(&k->account, "wage_account", NULL, RowShareLock))
		return false;
	if (k->account.nkeys != 1 || k->account.index->rd_opcintype[0] != INT8OID ||
		(a_id = wc_direct_column(&k->account, "account_id", INT8OID)) != k->account.index->rd_index->indkey.values[0] ||
		(a_project = wc_direct_column(&k->account, "project_id", INT8OID)) == 0 ||
		(a_closed = wc_direct_column(&k->account, "closed_on", DATEOID)) == 0 ||
		(a_balance = wc_direct_column(&k->account, "balance", NUMERICOID)) == 0 ||
		!balance_write_plain(k->account.rel))
		goto no;
	/* found and locked as SELECT ... FOR NO KEY UPDATE OF a finds and locks it */
	snapshot = wc_direct_snapshot();
	if (!wc_direct_first_id(&k->account, snapshot, id) ||
		wc_direct_lock(&k->account, &k->account.slot->tts_tid, LockTupleNoKeyExclusive, &tmfd) != TM_Ok ||
		DatumGetInt64(slot_getattr(k->account.slot, a_id, &isnull)) != id || isnull)
	{
		wc_direct_snapshot_done();
		goto no;
	}
	wc_direct_snapshot_done();
	k->balance_att = a_balance;
	k->acct.account_id = id;
	k->acct.project_id = DatumGetInt64(slot_getattr(k->account.slot, a_project, &isnull));
	(void) slot_getattr(k->account.slot, a_closed, &isnull);
	k->acct.closed = !isnull;
	s = DatumGetCString(DirectFunctionCall1(numeric_out, slot_getattr(k->account.slot, a_balance, &isnull)));
	if (isnull || wc_parse_cents(s, &k->acct.balance) != WC_CENTS_OK)
		goto no;				/* (NOT NULL, numeric(14,2): never) */

	/* what committed while the lock was waited for is seen: a new snapshot */
	snapshot = wc_direct_snapshot();
	if (!wc_direct_open(&p, "project", NULL, AccessShareLock))
	{
		wc_direct_snapshot_done();
		goto no;
	}
	key = Int64GetDatum(k->acct.project_id);
	if (p.nkeys != 1 || p.index->rd_opcintype[0] != INT8OID ||
		wc_direct_column(&p, "project_id", INT8OID) != p.index->rd_index->indkey.values[0] ||
		(p_code = wc_direct_column(&p, "code", TEXTOID)) == 0 ||
		(p_mode = wc_direct_column(&p, "enforcement_mode", TEXTOID)) == 0 ||
		!wc_direct_first(&p, snapshot, &key, 1) ||
		(s = text_column(&p, p_mode)) == NULL)
	{
		wc_direct_close(&p);
		wc_direct_snapshot_done();
		goto no;
	}
	k->acct.project_mode = s[0];
	s = text_column(&p, p_code);
	strlcpy(k->acct.project_code, s ? s : "", sizeof(k->acct.project_code));
	wc_direct_close(&p);
	snprintf(k->acct.key, sizeof(k->acct.key), "i" INT64_FORMAT, id);
	k->acct.known = true;
	k->acct.dirty = false;
	k->acct.nsaved = 0;
	k->acct.closed_in = InvalidOid;
	k->acct.created_subid = GetCurrentSubTransactionId();
	/* the payee, unless the statement has its answer already (else the check asks its SQL) */
	if (cplen > 0 && cplen <= WC_PAYEE_KEYLEN && wc_payee_find(k->acct.project_id, cp, cplen) == NULL)
	{
		wc_payee_reader pr;

		if (wc_payee_reader_open(&pr))
		{
			(void) wc_payee_reader_read(&pr, snapshot, k->acct.project_id, cp, cplen);
			wc_payee_reader_close(&pr);
		}
	}
	wc_direct_snapshot_done();
	return true;
no:
	wc_direct_close(&k->account);
	memset(k, 0, sizeof(*k));
	return false;
}

/*
 * wc_account_keyed_end: writes the balance the check left in k->acct (when it changed) to the
 * locked row, as wc_flush's UPDATE would (the value as numeric(14,2) takes it, the table's
 * constraints checked - by checks_hold, and by ExecConstraints for the error when one fails -
 * its indexes kept when the new version is not a heap-only one), and closes what
 * wc_account_keyed_begin opened; whether it wrote the balance.
 */
bool
wc_account_keyed_end(wc_account_keyed *k)
{
	Relation	rel = k->account.rel;
	EState	   *estate = NULL;
	ResultRelInfo *rri = NULL;
	TupleTableSlot *next;
	TupleDesc	desc;
	int			natts;
	ItemPointerData tid;
	bool		update_indexes;

	if (rel == NULL)
		return false;
	if (!k->acct.dirty)
	{
		wc_direct_close(&k->account);
		return false;
	}
	desc = RelationGetDescr(rel);
	natts = desc->natts;
	LockRelationOid(RelationGetRelid(rel), RowExclusiveLock);
	next = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
	slot_getallattrs(k->account.slot);
	memcpy(next->tts_values, k->account.slot->tts_values, sizeof(Datum) * natts);
	memcpy(next->tts_isnull, k->account.slot->tts_isnull, sizeof(bool) * natts);
	/* (the cents as a numeric of scale 2, held to the column's precision as its input is) */
	next->tts_values[k->balance_att - 1] =
		DirectFunctionCall2(numeric, NumericGetDatum(int64_div_fast_to_numeric(k->acct.balance, 2)),
							Int32GetDatum(TupleDescAttr(desc, k->balance_att - 1)->atttypmod));
	next->tts_isnull[k->balance_att - 1] = false;
	ExecStoreVirtualTuple(next);
	/* (ExecSimpleRelationUpdate's steps, the triggers left out: balance_write_plain) */
	CheckCmdReplicaIdentity(rel, CMD_UPDATE);
	if (!checks_hold(rel, next))
	{
		estate = CreateExecutorState();
		rri = makeNode(ResultRelInfo);
		InitResultRelInfo(rri, rel, 0, NULL, 0);
		ExecConstraints(rri, next, estate);		/* (raises the constraint's error) */
	}
	tid = k->account.slot->tts_tid;
	simple_table_tuple_update(rel, &tid, next, InvalidSnapshot, &update_indexes);
	/* (the next statement of this transaction finds it there, not by the index) */
	wc_direct_wrote(rel, k->acct.account_id, &next->tts_tid);
	if (update_indexes)
	{
		if (estate == NULL)
		{
			estate = CreateExecutorState();
			rri = makeNode(ResultRelInfo);
			InitResultRelInfo(rri, rel, 0, NULL, 0);
		}
		estate->es_output_cid = GetCurrentCommandId(true);
		ExecOpenIndices(rri, false);
		if (rri->ri_NumIndices > 0)
			list_free(ExecInsertIndexTuples(rri, next, estate, true, false, NULL, NIL));
		ExecCloseIndices(rri);
	}
	if (estate != NULL)
		FreeExecutorState(estate);
	ExecDropSingleTupleTableSlot(next);
	CommandCounterIncrement();
	k->acct.dirty = false;
	wc_direct_close(&k->account);
	return true;
}
