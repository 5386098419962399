/*
 * state.c — what an enforcing trigger remembers within one statement.
 *
 * A bulk load (a bank's nightly COPY) must not UPDATE the account row once per
 * movement: same-transaction updates of one row grow a HOT chain and make the
 * load quadratic. Instead the first movement of an account in a statement locks
 * its row (FOR NO KEY UPDATE, so concurrent sessions wait and cannot overdraw)
 * and reads its balance; each movement is checked against the running balance
 * held here; the statement-level AFTER trigger writes each touched balance once
 * (wc_flush). Lookups (payee cards, rosters, sheets) are cached for the
 * statement too. Subtransaction aborts roll the running balances back; a
 * transaction cannot commit with balances left unwritten.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "storage/proc.h"
#include "common/hashfn.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "catalog_watch.h"
#include "enforce/enforce.h"
#include "nls.h"
#include "trigowner.h"

/* load8: 8 bytes at p, any alignment. */
static inline uint64
load8(const char *p)
{
	uint64		c;

	memcpy(&c, p, 8);
	return c;
}

/*
 * payee_hash: hash of a project and the counterparty bytes, read in place 8 at
 * a time (the last 8 overlapping), with no copy of the key: a nightly file
 * looks up every wage's card, so this runs once per movement.
 */
static inline uint32
payee_hash(int64 project_id, const char *account, int len)
{
	uint64		h = (uint64) project_id * UINT64CONST(0x9E3779B97F4A7C15) ^ (uint64) len;
	int			i;

	if (len >= 8)
	{
		for (i = 0; i + 8 < len; i += 8)
		{
			h = (h ^ load8(account + i)) * UINT64CONST(0xFF51AFD7ED558CCD);
			h ^= h >> 32;
		}
		h = (h ^ load8(account + len - 8)) * UINT64CONST(0xC4CEB9FE1A85EC53);
	}
	else
		for (i = 0; i < len; i++)
			h = (h ^ (unsigned char) account[i]) * UINT64CONST(0xC4CEB9FE1A85EC53);
	h ^= h >> 33;			/* fmix64 of MurmurHash3 */
	h *= UINT64CONST(0xFF51AFD7ED558CCD);
	h ^= h >> 33;
	h *= UINT64CONST(0xC4CEB9FE1A85EC53);
	h ^= h >> 33;
	return (uint32) h;
}

/* same_bytes: a[0..len) = b[0..len), 8 bytes at a time (the last 8 overlapping). */
static inline bool
same_bytes(const char *a, const char *b, int len)
{
	int			i;

	if (len < 8)
		return memcmp(a, b, len) == 0;
	for (i = 0; i + 8 < len; i += 8)
		if (load8(a + i) != load8(b + i))
			return false;
	return load8(a + len - 8) == load8(b + len - 8);
}

/*
 * The payee cache: open addressing with linear probing over 64-byte slots,
 * keyed by (project, counterparty bytes) compared in place, at most half full.
 */
#define WC_LINE 64
StaticAssertDecl(sizeof(wc_payee_entry) == WC_LINE, "a payee slot is one 64-byte cache line");

typedef struct payee_table
{
	uint32		mask;			/* slots - 1 */
	uint32		used;
	wc_payee_entry *slots;
} payee_table;

static MemoryContext stmt_cxt = NULL;
static HTAB *accounts = NULL;
static HTAB *lookups = NULL;
static payee_table *payees = NULL;
static wc_payee_entry payee_scratch;	/* answer for an account too long to cache */
static wc_payee_worker payee_scratch_worker;
static bool flushing = false;
static wc_account *recent[16];	/* accounts by id already seen in this statement */
static int64 recent_id[16];		/* their ids, scanned without touching the entries */
static int	nrecent = 0;
static SPIPlanPtr plans[WC_NPLANS];	/* one per WC_P_* slot of enforce.h */

static wc_account *account_keep(const char *key, bool by_id);

/* Prepares (once per backend) and returns the plan of a slot; SPI must be connected. */
SPIPlanPtr
wc_plan(int slot, const char *sql, int nargs, const Oid *argtypes)
{
	wc_trigger_sql_settings();
	if (plans[slot] == NULL)
	{
		/* generic plans: planned once, not again on each call while a custom plan looks cheaper */
		SPIPlanPtr	p = SPI_prepare_cursor(sql, nargs, (Oid *) argtypes, CURSOR_OPT_GENERIC_PLAN);

		if (p == NULL)
			elog(ERROR, "wagecheck: SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(p) != 0)
			elog(ERROR, "wagecheck: SPI_keepplan failed");
		plans[slot] = p;
	}
	return plans[slot];
}

/* Creates the statement's table of lookups on first use (small: a one-row statement keeps a few). */
static void
ensure_lookups(void)
{
	HASHCTL		ctl;

	if (stmt_cxt == NULL)
		stmt_cxt = AllocSetContextCreate(TopMemoryContext, "wagecheck statement state",
										 ALLOCSET_DEFAULT_SIZES);
	if (lookups == NULL)
	{
		ctl.keysize = sizeof(((wc_lookup *) 0)->key);
		ctl.entrysize = sizeof(wc_lookup);
		ctl.hcxt = stmt_cxt;
		lookups = hash_create("wagecheck lookups", 16, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
}

/* Creates the statement's hash tables on first use. */
static void
ensure_tables(void)
{
	HASHCTL		ctl;

	ensure_lookups();
	if (accounts == NULL)
	{
		ctl.keysize = sizeof(((wc_account *) 0)->key);
		ctl.entrysize = sizeof(wc_account);
		ctl.hcxt = stmt_cxt;
		accounts = hash_create("wagecheck accounts", 16, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
}

/* Forgets everything the statement remembered. */
static void
reset_state(void)
{
	nrecent = 0;
	accounts = NULL;
	lookups = NULL;
	payees = NULL;
	if (stmt_cxt)
		MemoryContextReset(stmt_cxt);
}

/*
 * The account of a movement, by id or by account number: on first use in the
 * statement its row is locked and read; then served from memory.
 */
wc_account *
wc_account_get(bool by_id, int64 id, const char *number)
{
	char		key[sizeof(((wc_account *) 0)->key)];
	wc_account *a;
	Datum		arg;
	Oid			argtype;
	int			rc;

	if (by_id)
	{
		int			i;

		for (i = 0; i < nrecent; i++)
			if (recent_id[i] == id)
				return recent[i];
		snprintf(key, sizeof(key), "i" INT64_FORMAT, id);
	}
	else
	{
		if (strlen(number) > 40)
			return NULL;		/* longer than any dedicated account number */
		snprintf(key, sizeof(key), "n%s", number);
	}
	ensure_tables();
	a = hash_search(accounts, key, HASH_FIND, NULL);
	if (a)
		return a;

	SPI_connect();
	if (by_id)
	{
		argtype = INT8OID;
		arg = Int64GetDatum(id);
		rc = SPI_execute_plan(wc_plan(WC_P_ACCT_BY_ID,
									  "SELECT a.account_id, a.project_id, a.closed_on IS NOT NULL, a.balance::text,"
									  " p.code, p.enforcement_mode"
									  " FROM wagecheck.wage_account a JOIN wagecheck.project p USING (project_id)"
									  " WHERE a.account_id = $1 FOR NO KEY UPDATE OF a", 1, &argtype),
							  &arg, NULL, false, 1);
	}
	else
	{
		argtype = TEXTOID;
		arg = CStringGetTextDatum(number);
		rc = SPI_execute_plan(wc_plan(WC_P_ACCT_BY_NO,
									  "SELECT a.account_id, a.project_id, a.closed_on IS NOT NULL, a.balance::text,"
									  " p.code, p.enforcement_mode"
									  " FROM wagecheck.wage_account a JOIN wagecheck.project p USING (project_id)"
									  " WHERE a.account_id = coalesce((SELECT account_id FROM wagecheck.wage_account"
									  " WHERE account_no = $1), (SELECT CASE WHEN count(*) = 1 THEN min(account_id) END"
									  " FROM wagecheck.wage_account WHERE upper(translate(account_no, ' -', '')) = $1))"
									  " FOR NO KEY UPDATE OF a", 1, &argtype),
							  &arg, NULL, false, 1);
	}
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "wagecheck: account lookup failed: %s", SPI_result_code_string(rc));
	a = account_keep(key, by_id);
	SPI_finish();
	return a;
}

/*
 * account_keep: the account of the statement under key, from the first row of SPI's result
 * (account_id, project_id, closed?, balance as text, project code, mode; no row: unknown);
 * SPI is connected.
 */
static wc_account *
account_keep(const char *key, bool by_id)
{
	wc_account *a;
	bool		found;

	a = hash_search(accounts, key, HASH_ENTER, &found);
	a->known = SPI_processed > 0;
	a->dirty = false;
	a->nsaved = 0;
	a->created_subid = GetCurrentSubTransactionId();
	if (a->known)
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *s;

		a->account_id = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
		a->project_id = DatumGetInt64(SPI_getbinval(t, d, 2, &isnull));
		a->closed = DatumGetBool(SPI_getbinval(t, d, 3, &isnull));
		s = SPI_getvalue(t, d, 4);
		if (wc_parse_cents(s, &a->balance) != WC_CENTS_OK)
			elog(ERROR, "wagecheck: balance \"%s\" of account " INT64_FORMAT " is not money", s, a->account_id);
		strlcpy(a->project_code, SPI_getvalue(t, d, 5), sizeof(a->project_code));
		a->project_mode = SPI_getvalue(t, d, 6)[0];
		a->closed_in = InvalidOid;
		if (!a->closed)
		{
			/* an attached table of accounts may have closed every account of the project */
			a->closed_in = wc_attached_accounts_closed(a->project_id, a->project_code);
			a->closed = a->closed_in != InvalidOid;
		}
	}
	if (by_id && a->known && nrecent < (int) lengthof(recent))
	{
		recent_id[nrecent] = a->account_id;
		recent[nrecent++] = a;
	}
	return a;
}

/*
 * wc_account_get_paying: wc_account_get(true, id, NULL) for a statement of one movement to
 * the counterparty account cp[0..cplen) (trimmed, 1 to WC_PAYEE_KEYLEN bytes): the account's
 * row locked and read, and the payee (wc_payee_lookup's question, same answer) looked up, in
 * one query; both kept for the statement. Only when the account's row is not locked by
 * another transaction (SKIP LOCKED): a payee looked up before waiting for one could miss what
 * it committed, so then wc_account_get waits and the row's check asks for the payee after.
 */
wc_account *
wc_account_get_paying(int64 id, const char *cp, int cplen)
{
	char		key[sizeof(((wc_account *) 0)->key)];
	wc_account *a;
	Datum		args[2];
	Oid			types[2] = {INT8OID, TEXTOID};
	int			rc;
	bool		card,
				isnull;
	int64		worker_id = 0;
	char		name[sizeof(((wc_payee_worker *) 0)->name)];
	bool		rostered = false;

	for (int i = 0; i < nrecent; i++)
		if (recent_id[i] == id)
			return recent[i];
	snprintf(key, sizeof(key), "i" INT64_FORMAT, id);
	ensure_tables();
	a = hash_search(accounts, key, HASH_FIND, NULL);
	if (a)
		return a;
	args[0] = Int64GetDatum(id);
	args[1] = PointerGetDatum(cstring_to_text_with_len(cp, cplen));
	SPI_connect();
	rc = SPI_execute_plan(wc_plan(WC_P_ACCT_PAYEE,
								  "SELECT a.account_id, a.project_id, a.closed_on IS NOT NULL, a.balance::text,"
								  " p.code, p.enforcement_mode, x.worker_id, x.name, x.rostered"
								  " FROM wagecheck.wage_account a JOIN wagecheck.project p USING (project_id)"
								  " LEFT JOIN LATERAL (SELECT w.worker_id, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
								  "   WHERE r.project_id = a.project_id AND r.worker_id = w.worker_id) AS rostered"
								  "   FROM wagecheck.worker w WHERE w.wage_card OPERATOR(wagecheck.=) CASE"
								  "   WHEN wagecheck.is_valid_bank_card($2) THEN $2::wagecheck.bank_card END"
								  "   ORDER BY 3 DESC, 1 LIMIT 1) x ON true"
								  " WHERE a.account_id = $1 FOR NO KEY UPDATE OF a SKIP LOCKED", 2, types),
						  args, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "wagecheck: account lookup failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
	{
		/* locked by another transaction (or no such account): as any other statement */
		SPI_finish();
		return wc_account_get(true, id, NULL);
	}
	/* the payee first: account_keep may run other statements */
	card = SPI_processed > 0;
	if (card)
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;

		worker_id = DatumGetInt64(SPI_getbinval(t, d, 7, &isnull));
		card = !isnull;
		if (card)
		{
			strlcpy(name, SPI_getvalue(t, d, 8), sizeof(name));
			rostered = DatumGetBool(SPI_getbinval(t, d, 9, &isnull));
		}
	}
	a = account_keep(key, true);
	if (a->known)
	{
		/* only now, with the answer at hand, does the cache get an entry */
		wc_payee_entry *e = wc_payee_store(a->project_id, cp, cplen, card);

		if (card)
		{
			e->worker->worker_id = worker_id;
			strlcpy(e->worker->name, name, sizeof(e->worker->name));
			e->rostered = rostered;
		}
	}
	SPI_finish();
	return a;
}

/* Sets the running balance, remembering the value before each open subtransaction. */
void
wc_account_set_balance(wc_account *acct, int64 balance)
{
	SubTransactionId sub = GetCurrentSubTransactionId();

	if (sub != acct->created_subid &&
		(acct->nsaved == 0 || acct->saved_subid[acct->nsaved - 1] != sub))
	{
		if (acct->nsaved == lengthof(acct->saved_subid))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many nested savepoints around movements of one wage account in one statement")));
		acct->saved_subid[acct->nsaved] = sub;
		acct->saved_balance[acct->nsaved] = acct->balance;
		acct->nsaved++;
	}
	acct->balance = balance;
	acct->dirty = true;
}

/* A cached lookup by key; *found tells whether it was there already. */
wc_lookup *
wc_lookup_find(const char *key, bool *found)
{
	char		k[sizeof(((wc_lookup *) 0)->key)];

	ensure_lookups();
	strlcpy(k, key, sizeof(k));
	return hash_search(lookups, k, HASH_ENTER, found);
}

/* payee_slot: the slot holding the key, or the empty slot where it belongs. */
static inline wc_payee_entry *
payee_slot(const payee_table *t, uint32 hash, int64 project_id, const char *account, int len)
{
	uint32		i = hash & t->mask;

	for (;;)
	{
		wc_payee_entry *e = &t->slots[i];

		if (e->len == 0 ||
			(e->hash == hash && e->project_id == project_id && e->len == len &&
			 same_bytes(e->account, account, len)))
			return e;
		i = (i + 1) & t->mask;
	}
}

/* The cached payee answer for a project's counterparty account, or NULL when not cached yet. */
wc_payee_entry *
wc_payee_find(int64 project_id, const char *account, int len)
{
	wc_payee_entry *e;

	if (payees == NULL || len > WC_PAYEE_KEYLEN || len <= 0)
		return NULL;
	e = payee_slot(payees, payee_hash(project_id, account, len), project_id, account, len);
	return e->len ? e : NULL;
}

/* payee_slots: n empty slots in the statement's memory, each on a cache line of its own. */
static wc_payee_entry *
payee_slots(uint32 n)
{
	char	   *p = MemoryContextAllocZero(stmt_cxt, sizeof(wc_payee_entry) * n + WC_LINE);

	return (wc_payee_entry *) TYPEALIGN(WC_LINE, p);
}

/* payee_grow: doubles the table, moving every entry. */
static void
payee_grow(payee_table *t)
{
	wc_payee_entry *old = t->slots;
	uint32		n = t->mask + 1,
				i;

	t->slots = payee_slots(n * 2);
	t->mask = n * 2 - 1;
	for (i = 0; i < n; i++)
		if (old[i].len)
			*payee_slot(t, old[i].hash, old[i].project_id, old[i].account, old[i].len) = old[i];
	/* the old slots go with the statement's memory */
}

/*
 * wc_payee_reserve: room in the statement's cache for n more answers, made at once (a bank file
 * of thousands of cards would otherwise double the table a dozen times, each time on fresh
 * zeroed memory).
 */
void
wc_payee_reserve(long n)
{
	uint32		slots = 256;

	ensure_tables();
	if (payees == NULL)
	{
		payees = MemoryContextAlloc(stmt_cxt, sizeof(payee_table));
		payees->used = 0;
		payees->mask = 0;
		payees->slots = NULL;
	}
	/* at most half full, as payee_grow keeps it */
	while (slots < (uint64) (payees->used + n) * 2 && slots < (1U << 30))
		slots *= 2;
	if (slots <= payees->mask + 1)
		return;
	if (payees->slots == NULL)
	{
		payees->slots = payee_slots(slots);
		payees->mask = slots - 1;
		return;
	}
	while (payees->mask + 1 < slots)
		payee_grow(payees);
}

/*
 * An entry to fill with the answer for a project's counterparty account: in the
 * statement's cache (call it only once the answer is at hand, so a failed lookup
 * leaves nothing behind), or a scratch entry when the account is too long to cache.
 */
wc_payee_entry *
wc_payee_store(int64 project_id, const char *account, int len, bool is_card)
{
	wc_payee_entry *e;
	uint32		hash;

	ensure_tables();
	if (len > WC_PAYEE_KEYLEN || len <= 0)
	{
		memset(&payee_scratch, 0, sizeof(payee_scratch));
		payee_scratch.worker = is_card ? &payee_scratch_worker : NULL;
		return &payee_scratch;
	}
	if (payees == NULL)
		wc_payee_reserve(1);
	if ((payees->used + 1) * 2 > payees->mask + 1)
		payee_grow(payees);
	hash = payee_hash(project_id, account, len);
	e = payee_slot(payees, hash, project_id, account, len);
	if (e->len == 0)
	{
		payees->used++;
		e->hash = hash;
		e->project_id = project_id;
		e->len = (uint8) len;
		memcpy(e->account, account, len);
	}
	e->rostered = false;
	e->worker = is_card ? MemoryContextAllocZero(stmt_cxt, sizeof(wc_payee_worker)) : NULL;
	return e;
}

/*
 * Raises the error of a movement that would take an account's balance beyond what
 * wagecheck.wage_account.balance holds, naming the account and the amounts.
 */
void
wc_balance_range_error(const wc_account *acct, const char *what, int64 amount)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("balance of wage account %lld of project %s would exceed 999999999999.99 yuan",
					(long long) acct->account_id, acct->project_code),
			 errdetail("Project %s, account %lld: balance %s, %s of %s.",
					   acct->project_code, (long long) acct->account_id, wc_cents_str(acct->balance), what,
					   wc_cents_str(amount)),
			 errhint("Check the amount: a balance is kept in numeric(14,2), below one trillion yuan.")));
}

/* True while wc_flush writes balances (the account trigger lets those through). */
bool
wc_flushing(void)
{
	return flushing;
}

/*
 * flush_run: the UPDATE of the balances: of one account (a statement of one movement) by its
 * key - the generic plan of the arrays' join hashes the whole table of accounts on every
 * statement - else of the arrays args (ids, balances); SPI is connected.
 */
static int
flush_run(Datum *args, bool one)
{
	Oid			types[2] = {INT8ARRAYOID, TEXTARRAYOID};
	Oid			types1[2] = {INT8OID, TEXTOID};

	if (one)
		return SPI_execute_plan(wc_plan(WC_P_FLUSH_ONE,
										"UPDATE wagecheck.wage_account a SET balance = $2::numeric"
										" WHERE a.account_id = $1", 2, types1),
								args, NULL, false, 0);
	return SPI_execute_plan(wc_plan(WC_P_FLUSH,
									"UPDATE wagecheck.wage_account a SET balance = u.balance::numeric"
									"  FROM unnest($1, $2) u(account_id, balance)"
									" WHERE a.account_id = u.account_id", 2, types),
							args, NULL, false, 0);
}

/* flush_write: runs flush_run with the account trigger told it is the balances being written. */
static void
flush_write(Datum *args, bool one)
{
	PG_TRY();
	{
		int			rc;

		flushing = true;
		SPI_connect();
		rc = flush_run(args, one);
		if (rc != SPI_OK_UPDATE)
			elog(ERROR, "wagecheck: balance update failed: %s", SPI_result_code_string(rc));
		SPI_finish();
	}
	PG_FINALLY();
	{
		flushing = false;
	}
	PG_END_TRY();
}

/*
 * Statement end: writes each touched balance once, all in one UPDATE (one statement
 * for the account table's own triggers, however many accounts a bank file moved),
 * then forgets the statement.
 */
void
wc_flush(void)
{
	HASH_SEQ_STATUS seq;
	wc_account *a;
	Datum	   *ids,
			   *balances;
	int			n = 0;

	if (accounts == NULL)
	{
		reset_state();
		return;
	}
	ids = palloc(sizeof(Datum) * Max(hash_get_num_entries(accounts), 1));
	balances = palloc(sizeof(Datum) * Max(hash_get_num_entries(accounts), 1));
	hash_seq_init(&seq, accounts);
	while ((a = hash_seq_search(&seq)) != NULL)
	{
		if (!a->known || !a->dirty)
			continue;
		ids[n] = Int64GetDatum(a->account_id);
		balances[n] = CStringGetTextDatum(wc_cents_str(a->balance));
		n++;
	}
	if (n > 0)
	{
		Datum		args[2];

		if (n == 1)
		{
			args[0] = ids[0];
			args[1] = balances[0];
		}
		else
		{
			args[0] = PointerGetDatum(construct_array_builtin(ids, n, INT8OID));
			args[1] = PointerGetDatum(construct_array_builtin(balances, n, TEXTOID));
		}
		flush_write(args, n == 1);
	}
	reset_state();
}

/*
 * The keys (sheets or lines) of the new rows of the latest statement whose enforcing trigger
 * read their projects by probes, and those projects, for the change capture of the same
 * statement (which fires after it): it records the statement's projects without reading
 * them again. Taken once; forgotten at the end of the transaction, when a subtransaction
 * rolls back, and on any relcache invalidation (a trigger enabled or disabled).
 */
static struct
{
	bool		set;
	LocalTransactionId lxid;
	Oid			relid;
	char		kind;			/* 's': keys are sheets, 'l': lines */
	const void *rows;			/* the statement's transition table */
	int			nkeys;
	int64	   *keys;			/* sorted, distinct */
	int			nprojects;
	int64	   *projects;		/* sorted, distinct */
}			enforced;

/* int64_order: qsort's order of int64s. */
static int
int64_order(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

/* sorted_distinct: v[0..n) sorted, repeats dropped; the new n. */
static int
sorted_distinct(int64 *v, int n)
{
	int			m = 0;

	qsort(v, n, sizeof(int64), int64_order);
	for (int i = 0; i < n; i++)
		if (m == 0 || v[m - 1] != v[i])
			v[m++] = v[i];
	return m;
}

/*
 * wc_enforced_forget: nothing is kept for the change capture (from a callback: its memory
 * is freed by the next wc_enforced_keep or take, or goes with the transaction's).
 */
void
wc_enforced_forget(void)
{
	enforced.set = false;
}

/* enforced_invalidated: a relation's cache entry changed (a trigger enabled or disabled): nothing kept. */
static void
enforced_invalidated(Oid relid)
{
	wc_enforced_forget();
}

/* enforced_free: forgets what is kept, and frees it (kept in this transaction, forgotten or not). */
static void
enforced_free(void)
{
	if (enforced.lxid == MyProc->lxid)
	{
		if (enforced.keys != NULL)
			pfree(enforced.keys);
		if (enforced.projects != NULL)
			pfree(enforced.projects);
	}
	memset(&enforced, 0, sizeof(enforced));
}

/*
 * wc_enforced_keep: the statement of transition table rows on relid, whose new rows have the
 * keys (of kind) and belong to the projects (as its probes read them), kept for its change
 * capture; copies are kept.
 */
void
wc_enforced_keep(Oid relid, char kind, const void *rows, const int64 *keys, int nkeys,
				 const int64 *projects, int nprojects)
{
	enforced_free();
	if (nkeys <= 0 || nprojects <= 0)
		return;
	enforced.keys = MemoryContextAlloc(TopTransactionContext, sizeof(int64) * nkeys);
	enforced.projects = MemoryContextAlloc(TopTransactionContext, sizeof(int64) * nprojects);
	memcpy(enforced.keys, keys, sizeof(int64) * nkeys);
	memcpy(enforced.projects, projects, sizeof(int64) * nprojects);
	enforced.nkeys = sorted_distinct(enforced.keys, nkeys);
	enforced.nprojects = sorted_distinct(enforced.projects, nprojects);
	enforced.lxid = MyProc->lxid;
	enforced.relid = relid;
	enforced.kind = kind;
	enforced.rows = rows;
	enforced.set = true;
}

/*
 * wc_enforced_take: the projects of the statement of transition table rows on relid whose new
 * rows have exactly the keys keys[0..nkeys) (sorted, distinct) of kind, when its enforcing
 * trigger kept them (into *projects, palloc'd, sorted and distinct; *nprojects of them); false
 * otherwise. What was kept is forgotten either way.
 */
bool
wc_enforced_take(Oid relid, char kind, const void *rows, const int64 *keys, int nkeys,
				 int64 **projects, int *nprojects)
{
	bool		same = enforced.set && enforced.lxid == MyProc->lxid && enforced.relid == relid &&
		enforced.kind == kind && enforced.rows == rows && enforced.nkeys == nkeys &&
		memcmp(enforced.keys, keys, sizeof(int64) * nkeys) == 0;

	if (same)
	{
		*projects = palloc(sizeof(int64) * enforced.nprojects);
		memcpy(*projects, enforced.projects, sizeof(int64) * enforced.nprojects);
		*nprojects = enforced.nprojects;
	}
	enforced_free();
	return same;
}

/* Transaction end: nothing may stay unwritten; then forget everything. */
static void
xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (accounts)
			{
				HASH_SEQ_STATUS seq;
				wc_account *a;

				hash_seq_init(&seq, accounts);
				while ((a = hash_seq_search(&seq)) != NULL)
					if (a->known && a->dirty)
					{
						hash_seq_term(&seq);
						ereport(ERROR,
								(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
								 errmsg("balance of wage account %lld was not written", (long long) a->account_id),
								 errdetail("The statement-level part of the enforcing trigger did not run."),
								 errhint("Enable both triggers of wagecheck on the table, or neither.")));
					}
			}
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			reset_state();
			flushing = false;
			memset(&enforced, 0, sizeof(enforced));	/* (its memory goes with the transaction's) */
			break;
	}
}

/* Subtransaction end: roll running balances back, forget accounts locked inside it. */
static void
subxact_callback(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	HASH_SEQ_STATUS seq;
	wc_account *a;

	if (event == SUBXACT_EVENT_ABORT_SUB)
		wc_enforced_forget();
	if (accounts == NULL)
	{
		/* (lookups may be kept without accounts: forgotten with the statement that failed) */
		if (event == SUBXACT_EVENT_ABORT_SUB)
		{
			lookups = NULL;
			payees = NULL;
		}
		return;
	}
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		nrecent = 0;
		hash_seq_init(&seq, accounts);
		while ((a = hash_seq_search(&seq)) != NULL)
		{
			if (a->created_subid >= mySubid)
			{
				hash_search(accounts, a->key, HASH_REMOVE, NULL);
				continue;
			}
			while (a->nsaved > 0 && a->saved_subid[a->nsaved - 1] >= mySubid)
			{
				a->nsaved--;
				a->balance = a->saved_balance[a->nsaved];
			}
		}
		lookups = NULL;			/* its memory goes with the next reset */
		payees = NULL;
		flushing = false;
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		hash_seq_init(&seq, accounts);
		while ((a = hash_seq_search(&seq)) != NULL)
		{
			if (a->created_subid == mySubid)
				a->created_subid = parentSubid;
			if (a->nsaved > 0 && a->saved_subid[a->nsaved - 1] == mySubid)
			{
				if ((a->nsaved >= 2 && a->saved_subid[a->nsaved - 2] == parentSubid) ||
					a->created_subid == parentSubid)
					a->nsaved--;	/* the parent already remembers an older value */
				else
					a->saved_subid[a->nsaved - 1] = parentSubid;
			}
		}
	}
}

/* Registers the transaction callbacks and the relcache invalidations' subscriber; called from _PG_init. */
void
wc_enforce_init(void)
{
	RegisterXactCallback(xact_callback, NULL);
	RegisterSubXactCallback(subxact_callback, NULL);
	wc_relcache_subscribe(enforced_invalidated);
}
