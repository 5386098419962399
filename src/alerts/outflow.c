/*
 * outflow.c — wagecheck._outflow_unmatched_sync(), the trigger that keeps
 * wagecheck.outflow_unmatched (AC03's candidates: the outflows of dedicated accounts that are
 * not wages, or wages whose account matched no card of a worker on the project's roster known
 * by the time they were booked and recorded; src/alerts/45_summaries.sql).
 *
 * An outflow's standing depends on its own row, its account's project, and the roster entries
 * of the workers whose registered card is the account's digits (a card's text is its digits,
 * so "the account as written or its digits" is "its digits": src/core/idset.c). So:
 *   - movements written (account_txn): the outflows of the statement's transition table are
 *     judged, those deleted leave; no other outflow can change;
 *   - an account moved to another project (wage_account, a row trigger that fires only when
 *     project_id changes: the balance the enforcing trigger writes after every statement
 *     fires nothing): the outflows of that account;
 *   - roster entries deleted, moved or made known at another moment (roster), workers
 *     added or their cards changed (worker): the wages of the entries' projects to the
 *     workers' cards (old and new), found by the digits of their accounts;
 *   - roster entries only added (a statement of no other change): they take no match away,
 *     so only the candidates of their projects that are wages to their workers' cards may
 *     leave (outflow_unmatched by project_id and card: most entries find none); transaction
 *     locks per (project, worker), or on all of them for many, make such a statement and one
 *     deleting or changing entries of the same pair wait for each other (lock_pairs), and a
 *     statement changing cards takes the lock on all pairs in a mode that conflicts with
 *     both (on_worker), so that it and a statement adding an entry of a worker whose card
 *     it changes wait for each other;
 *   - TRUNCATE: account_txn empties the table, roster and wage_account rebuild it.
 * Judging outflows (refresh): one statement finds the wages that match a rostered worker's
 * card and locks FOR SHARE the account, roster entry and worker of each match, in key order
 * (a writer moving the account, deleting the entry or changing the card waits for this
 * transaction and then judges the outflow again; one that did so first is waited for, and
 * the match re-checked on the row's latest version); then the outflows' rows are deleted
 * (when they may exist) and the unmatched ones inserted, each in one statement. The plans
 * are prepared once per backend, generic (a bank file of more than a thousand movements is
 * planned for its number); no catalog lookup per call, no temporary table.
 * Movements inserted (up to OU_TXNS_KEYED in a statement) and roster entries added (up to
 * OU_ENTRIES_KEYED) are judged by key instead, without those statements: the same rows read
 * through the same indexes as the statement's snapshot would see them (src/enforce/direct.c),
 * the same rows locked in the same order (a row changed while its lock was waited for sends
 * the judgement back to the statements, which read it again), the candidates inserted and
 * deleted by their key (src/alerts/keyed.c); the wages of a bank file of more cards than an
 * eighth of the workers are matched by one read of worker and roster instead of a probe of
 * each for each wage (scan_matches), and locked the same way. REPEATABLE READ and
 * SERIALIZABLE keep the statements, which read the transaction's snapshot: there a
 * statement that wrote candidates, or added roster entries, still takes the pair locks and
 * then fails with a serialization failure when, read with a new snapshot, a candidate of its
 * pairs is matched by an entry (raced_check); one that judges the wages of (project, card)
 * pairs again (entries deleted or changed, cards changed) fails when those wages, read with
 * a new snapshot, are not the ones its snapshot sees (refresh_cards), and so does one that
 * moved an account to another project (its outflows: raced_rows).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "access/genam.h"
#include "access/xact.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "alerts/keyed.h"
#include "alerts/kept_plans.h"
#include "enforce/card_read.h"
#include "enforce/direct.h"
#include "core/changeset.h"
#include "core/ident.h"
#include "core/idset.h"
#include "trigcheck.h"
#include "trigowner.h"
#include "nls.h"

#define FN "wagecheck._outflow_unmatched_sync()"

/* the statements of more entries than this are planned for their number */
#define OU_MANY 1000
/* the movements of an INSERT judged by key at most (a bulk load's: by P_MATCH, hashed) */
#define OU_TXNS_KEYED 20000

/* The tables the trigger fires on. */
typedef enum ou_table
{
	OU_TXN,
	OU_ACCOUNT,
	OU_ROSTER,
	OU_WORKER,
	OU_TABLES
} ou_table;

static wc_table_ref ou_refs[OU_TABLES] = {WC_TABLE_REF("account_txn"), WC_TABLE_REF("wage_account"),
WC_TABLE_REF("roster"), WC_TABLE_REF("worker")};

/* The plans, prepared once per backend. */
typedef enum ou_plan
{
	P_MATCH,					/* $1 txn ids, $2 accounts, $3 digits, $4 moments: the matched wages, locked */
	P_MATCH_MANY,				/* the same, planned for the number of entries */
	P_DELETE,					/* $1 txn ids: their rows go */
	P_INSERT,					/* $1 txn ids (sorted): inserted */
	P_TXNS_OF_ACCOUNT,			/* $1 account id: its outflows */
	P_WAGES_OF_PROJECTS,		/* $1 project ids, $2 cards: the wages of their accounts that may be to those cards */
	P_CARDS_OF_WORKERS,			/* $1 worker ids: their cards */
	P_PROJECTS_OF_WORKERS,		/* $1 worker ids: (project, worker) of their roster entries */
	P_SETTLE_ENTRIES,			/* $1 project ids, $2 worker ids (pairs): the candidates to the cards that match now, locked and deleted */
	P_PAIRS_OF_CARDS,			/* $1 project ids, $2 cards: (project, worker) of the workers whose card it is */
	P_RACED,					/* $1 project ids, $2 worker ids (pairs): a candidate to the card that an entry matches */
	P_PLANS
} ou_plan;

/* The columns of an outflow read for judging it: id, account, wage?, counterparty, moment known. */
#define OUTFLOW_COLS \
	"t.txn_id, t.account_id, t.purpose = 'wage', t.counterparty_account, greatest(t.created_at, t.booked_at)"
/*
 * (joined in this order - the function runs with join_collapse_limit 1 - card, worker's
 * entries, account: the generic plan would read the whole roster of the account's project,
 * whose index it estimates cheaper than the card's)
 */
#define MATCH_SQL \
	"SELECT u.txn_id" \
	"  FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::timestamptz[]) u(txn_id, account_id, card, known)" \
	"  JOIN wagecheck.worker k ON k.wage_card::text = u.card" \
	"  JOIN wagecheck.roster r ON r.worker_id = k.worker_id" \
	"  JOIN wagecheck.wage_account a ON a.account_id = u.account_id AND a.project_id = r.project_id" \
	" WHERE r.created_at <= u.known" \
	" ORDER BY a.account_id, r.roster_id, k.worker_id" \
	"   FOR SHARE OF a, r, k"

static const wc_kept_sql ou_sql[P_PLANS] = {
	[P_MATCH] = {MATCH_SQL, 4, {INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID},
	CURSOR_OPT_GENERIC_PLAN},
	[P_MATCH_MANY] = {MATCH_SQL, 4, {INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID},
	CURSOR_OPT_CUSTOM_PLAN},
	[P_DELETE] = {"DELETE FROM wagecheck.outflow_unmatched WHERE txn_id = ANY ($1)", 1, {INT8ARRAYOID},
	CURSOR_OPT_GENERIC_PLAN},
	/* (with the project of each one's account and a wage's card, each looked up by its key) */
	[P_INSERT] = {"INSERT INTO wagecheck.outflow_unmatched (txn_id, project_id, card)"
		" SELECT u.id, w.project_id, t.card FROM unnest($1::bigint[]) u(id)"
		" CROSS JOIN LATERAL (SELECT t.account_id, CASE WHEN t.purpose = 'wage' THEN"
		"                      nullif(regexp_replace(t.counterparty_account, '[^0-9]', '', 'g'), '') END AS card"
		"                       FROM wagecheck.account_txn t WHERE t.txn_id = u.id OFFSET 0) t"
		" CROSS JOIN LATERAL (SELECT w.project_id FROM wagecheck.wage_account w"
		"                      WHERE w.account_id = t.account_id OFFSET 0) w"
		" ON CONFLICT (txn_id) DO NOTHING RETURNING project_id, card", 1, {INT8ARRAYOID}, CURSOR_OPT_GENERIC_PLAN},
	[P_TXNS_OF_ACCOUNT] = {"SELECT " OUTFLOW_COLS " FROM wagecheck.account_txn t"
		" WHERE t.account_id = $1 AND t.direction = 'out'", 1, {INT8OID}, CURSOR_OPT_GENERIC_PLAN},
	/*
	 * (an account of digits only is one of the cards $2 - looked up in a hash, not compared
	 * with each - or matches none of them; the others are compared by their digits in C)
	 */
	[P_WAGES_OF_PROJECTS] = {"SELECT " OUTFLOW_COLS ", w.project_id"
		"  FROM wagecheck.wage_account w JOIN wagecheck.account_txn t ON t.account_id = w.account_id"
		" WHERE w.project_id = ANY ($1) AND t.direction = 'out' AND t.purpose = 'wage'"
		"   AND (translate(t.counterparty_account, '0123456789', '') <> ''"
		"        OR t.counterparty_account IN (SELECT unnest($2::text[])))", 2, {INT8ARRAYOID, TEXTARRAYOID},
	CURSOR_OPT_GENERIC_PLAN},
	[P_CARDS_OF_WORKERS] = {"SELECT k.worker_id, k.wage_card::text FROM wagecheck.worker k"
		" WHERE k.worker_id = ANY ($1) AND k.wage_card IS NOT NULL", 1, {INT8ARRAYOID}, CURSOR_OPT_GENERIC_PLAN},
	[P_PROJECTS_OF_WORKERS] = {"SELECT DISTINCT r.project_id, r.worker_id FROM wagecheck.roster r"
		" WHERE r.worker_id = ANY ($1)", 1, {INT8ARRAYOID}, CURSOR_OPT_GENERIC_PLAN},
	/*
	 * (the candidates of each entry's project that are wages to its worker's card, found by
	 * both - most entries have none; then, as P_MATCH, those the card of a worker on the
	 * roster known by then matches, locked in key order, and deleted: one statement. The
	 * candidates go through arrays, so that the generic plan looks each up by its key; the
	 * subquery keeps the arrays out of the rows joined.)
	 */
	[P_SETTLE_ENTRIES] = {"WITH c AS MATERIALIZED ("
		"  SELECT array_agg(o.txn_id) AS ids, array_agg(t.account_id) AS accounts, array_agg(o.card) AS cards,"
		"         array_agg(greatest(t.created_at, t.booked_at)) AS known"
		"    FROM unnest($1::bigint[], $2::bigint[]) p(project_id, worker_id)"
		"    JOIN wagecheck.worker k ON k.worker_id = p.worker_id"
		"    JOIN wagecheck.outflow_unmatched o ON o.project_id = p.project_id AND o.card = k.wage_card::text"
		"   CROSS JOIN LATERAL (SELECT t.account_id, t.created_at, t.booked_at FROM wagecheck.account_txn t"
		"                        WHERE t.txn_id = o.txn_id AND t.direction = 'out' AND t.purpose = 'wage' OFFSET 0) t),"
		" m AS ("
		"  SELECT u.txn_id"
		"    FROM (SELECT x.* FROM c CROSS JOIN LATERAL unnest(c.ids, c.accounts, c.cards, c.known)"
		"                                              x(txn_id, account_id, card, known) OFFSET 0) u"
		"    JOIN wagecheck.worker k ON k.wage_card::text = u.card"
		"    JOIN wagecheck.roster r ON r.worker_id = k.worker_id"
		"    JOIN wagecheck.wage_account a ON a.account_id = u.account_id AND a.project_id = r.project_id"
		"   WHERE r.created_at <= u.known"
		"   ORDER BY a.account_id, r.roster_id, k.worker_id"
		"     FOR SHARE OF a, r, k)"
		" DELETE FROM wagecheck.outflow_unmatched u WHERE u.txn_id IN (SELECT m.txn_id FROM m)", 2,
	{INT8ARRAYOID, INT8ARRAYOID}, CURSOR_OPT_GENERIC_PLAN},
	[P_PAIRS_OF_CARDS] = {"SELECT DISTINCT c.project_id, k.worker_id"
		"  FROM unnest($1::bigint[], $2::text[]) c(project_id, card)"
		"  JOIN wagecheck.worker k ON k.wage_card::text = c.card ORDER BY 1, 2", 2,
	{INT8ARRAYOID, TEXTARRAYOID}, CURSOR_OPT_GENERIC_PLAN},
	/* (P_SETTLE_ENTRIES's match, read only: run with a new snapshot by raced_check) */
	[P_RACED] = {"SELECT o.txn_id, o.project_id, k.worker_id"
		"  FROM unnest($1::bigint[], $2::bigint[]) p(project_id, worker_id)"
		"  JOIN wagecheck.worker k ON k.worker_id = p.worker_id"
		"  JOIN wagecheck.outflow_unmatched o ON o.project_id = p.project_id AND o.card = k.wage_card::text"
		"  JOIN wagecheck.account_txn t ON t.txn_id = o.txn_id AND t.direction = 'out' AND t.purpose = 'wage'"
		"  JOIN wagecheck.wage_account a ON a.account_id = t.account_id"
		"  JOIN wagecheck.roster r ON r.project_id = a.project_id AND r.worker_id = k.worker_id"
		" WHERE r.created_at <= greatest(t.created_at, t.booked_at)"
		" LIMIT 1", 2, {INT8ARRAYOID, INT8ARRAYOID}, CURSOR_OPT_GENERIC_PLAN},
};

static SPIPlanPtr ou_plans[P_PLANS];

/* run: executes plan p; SPI is connected. */
static void
run(ou_plan p, Datum *values, const char *nulls, int expect)
{
	wc_kept_run(&ou_sql[p], &ou_plans[p], values, nulls, expect, "outflow_unmatched");
}

/*
 * run_latest: executes plan p (a SELECT) with a new snapshot, as READ COMMITTED would read,
 * whatever the transaction's isolation level (wc_kept_run_latest); SPI is connected.
 */
static void
run_latest(ou_plan p, Datum *values)
{
	wc_kept_run_latest(&ou_sql[p], &ou_plans[p], values, NULL, "outflow_unmatched");
}

/* What a transaction that reads its own snapshot found changed since by another one. */
typedef enum ou_race
{
	RACE_MATCHED,				/* a candidate an entry matches */
	RACE_OUTFLOW,				/* an outflow recorded, changed or deleted */
	RACE_ENTRIES				/* a worker's roster entries added, changed or deleted */
} ou_race;

/*
 * raced: a serialization failure - a transaction that reads its own snapshot (REPEATABLE READ,
 * SERIALIZABLE) found, with a new one, that another one committed since what this file
 * would have judged again, and cannot judge it by a snapshot that does not see it: outflow
 * txn of project, to the card of worker, a candidate an entry matches (RACE_MATCHED); outflow
 * txn recorded, changed or deleted (RACE_OUTFLOW); roster entries of worker (RACE_ENTRIES).
 */
static void
raced(ou_race race, int64 txn, int64 project, int64 worker)
{
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("could not serialize access due to a concurrent roster entry or wage to a worker's card"),
			 race == RACE_OUTFLOW ?
			 errdetail("Outflow %lld was recorded, changed or deleted by a transaction that committed after "
					   "this transaction's snapshot, while this one changed a roster entry, a worker's card or "
					   "an account's project it is judged by.", (long long) txn) :
			 race == RACE_ENTRIES ?
			 errdetail("Roster entries of worker %lld were added, changed or deleted by a transaction that "
					   "committed after this transaction's snapshot, while this one changed his card.",
					   (long long) worker) :
			 errdetail("Outflow %lld of project %lld, a wage to the card of worker %lld, would stay a candidate of "
					   "AC03 while a roster entry of his matches it: one of the two was committed after this "
					   "transaction's snapshot.", (long long) txn, (long long) project, (long long) worker),
			 errhint("Retry the transaction.")));
}

/*
 * raced_check: in REPEATABLE READ or SERIALIZABLE, after the locks on the (project, worker)
 * pairs of projects and workers (bigint[]) were taken: a candidate of outflow_unmatched of
 * those pairs (a wage to the worker's card in the project) that an entry on the project's
 * roster matches, read with a new snapshot, is one this transaction cannot settle (the
 * other writer committed after its snapshot, and its own statements see neither the entry
 * nor the candidate): a serialization failure.
 */
static void
raced_check(Datum projects, Datum workers)
{
	Datum		args[2] = {projects, workers};
	bool		isnull;

	run_latest(P_RACED, args);
	if (SPI_processed > 0)
		raced(RACE_MATCHED, DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)),
			  DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)),
			  DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull)));
}

/* ids_array: int64 ids as a bigint[]. */
static Datum
ids_array(const int64 *ids, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Int64GetDatum(ids[i]);
	return PointerGetDatum(construct_array_builtin(d, n, INT8OID));
}

/* The outflows to judge: every id, and the wages to match (id, account, digits, moment). */
typedef struct ou_batch
{
	int64	   *ids;
	int			n;
	int			cap;
	wc_datum_col		m_ids,
				m_accounts,
				m_cards,
				m_known;
} ou_batch;

static void
batch_id(ou_batch *b, int64 id)
{
	if (b->n == b->cap)
	{
		b->cap = b->cap ? b->cap * 2 : 16;
		b->ids = b->ids ? repalloc_huge(b->ids, sizeof(int64) * b->cap) : palloc(sizeof(int64) * b->cap);
	}
	b->ids[b->n++] = id;
}

/*
 * batch_add: an outflow (id, account, a wage?, its counterparty bytes, the moment it is known
 * or NULL); a wage with digits in its counterparty is matched against the cards.
 */
static void
batch_add(ou_batch *b, int64 id, int64 account, bool wage, const char *cp, int cplen,
		  TimestampTz known, bool known_null)
{
	batch_id(b, id);
	if (wage && cp != NULL && cplen > 0)
	{
		text	   *t = (text *) palloc(VARHDRSZ + cplen);
		size_t		n = wc_card_digits(cp, cplen, VARDATA(t));

		if (n == 0)
			return;				/* no card's text is empty */
		SET_VARSIZE(t, VARHDRSZ + n);
		wc_col_add(&b->m_ids, Int64GetDatum(id), false);
		wc_col_add(&b->m_accounts, Int64GetDatum(account), false);
		wc_col_add(&b->m_cards, PointerGetDatum(t), false);
		wc_col_add(&b->m_known, TimestampTzGetDatum(known), known_null);
	}
}

/* batch_add_row: an outflow of an SPI result (OUTFLOW_COLS) added to the batch. */
static void
batch_add_row(ou_batch *b, HeapTuple tup, TupleDesc desc)
{
	bool		isnull,
				wnull,
				cnull,
				knull;
	int64		id = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
	int64		account = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
	bool		wage = DatumGetBool(SPI_getbinval(tup, desc, 3, &wnull));
	Datum		cp = SPI_getbinval(tup, desc, 4, &cnull);
	TimestampTz known = DatumGetTimestampTz(SPI_getbinval(tup, desc, 5, &knull));
	text	   *t = cnull ? NULL : DatumGetTextPP(cp);

	batch_add(b, id, account, !wnull && wage, t ? VARDATA_ANY(t) : NULL, t ? VARSIZE_ANY_EXHDR(t) : 0,
			  known, knull);
}

static void settle_raced_entries(const int64 *projects, char **cards, int n);

/*
 * refresh: judges the outflows of the batch again: the matches found and locked first, then
 * the rows of del[0..ndel) deleted (the batch's own ids when del is NULL and delete is set;
 * none for new movements) and the unmatched ones inserted.
 */
static void
refresh(ou_batch *b, bool delete, int64 *del, int ndel)
{
	int64	   *matched = NULL;
	int			nmatched = 0,
				n;

	if (b->m_ids.n > 0)
	{
		Datum		args[4];

		args[0] = wc_col_array(&b->m_ids, INT8OID);
		args[1] = wc_col_array(&b->m_accounts, INT8OID);
		args[2] = wc_col_array(&b->m_cards, TEXTOID);
		args[3] = wc_col_array(&b->m_known, TIMESTAMPTZOID);
		run(b->m_ids.n > OU_MANY ? P_MATCH_MANY : P_MATCH, args, NULL, SPI_OK_SELECT);
		if (SPI_processed > 0)
		{
			matched = palloc(sizeof(int64) * SPI_processed);
			for (uint64 i = 0; i < SPI_processed; i++)
			{
				bool		isnull;

				matched[nmatched++] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
																  SPI_tuptable->tupdesc, 1, &isnull));
			}
			nmatched = (int) wc_ids_unique(matched, nmatched);
		}
	}
	n = (int) wc_ids_unique(b->ids, b->n);
	if (delete && del == NULL)
	{
		del = b->ids;
		ndel = n;
	}
	if (delete && ndel > 0)
	{
		Datum		arg = ids_array(del, ndel);

		run(P_DELETE, &arg, NULL, SPI_OK_DELETE);
	}
	n = (int) wc_ids_minus(b->ids, n, matched, nmatched);
	if (n > 0)
	{
		Datum		arg = ids_array(b->ids, n);
		uint64		nc = 0;
		int64	   *projects;
		char	  **cards;

		run(P_INSERT, &arg, NULL, SPI_OK_INSERT_RETURNING);
		/* the candidates written that are wages to a card */
		projects = palloc(sizeof(int64) * Max(SPI_processed, 1));
		cards = palloc(sizeof(char *) * Max(SPI_processed, 1));
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			bool		pnull,
						cnull;
			Datum		card = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &cnull);

			projects[nc] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &pnull));
			if (!pnull && !cnull)
				cards[nc++] = TextDatumGetCString(card);
		}
		settle_raced_entries(projects, cards, (int) nc);
	}
}

/* The columns of account_txn an outflow is judged by (attribute numbers). */
typedef struct ou_txn_cols
{
	int			id,
				account,
				dir,
				purpose,
				cp,
				created,
				booked;
} ou_txn_cols;

/* trigger_txn_cols: those of the trigger's table. */
static void
trigger_txn_cols(TriggerData *td, ou_txn_cols *c)
{
	c->id = wc_trigger_column(td, FN, "txn_id", INT8OID);
	c->account = wc_trigger_column(td, FN, "account_id", INT8OID);
	c->dir = wc_trigger_column(td, FN, "direction", TEXTOID);
	c->purpose = wc_trigger_column(td, FN, "purpose", TEXTOID);
	c->cp = wc_trigger_column(td, FN, "counterparty_account", TEXTOID);
	c->created = wc_trigger_column(td, FN, "created_at", TIMESTAMPTZOID);
	c->booked = wc_trigger_column(td, FN, "booked_at", TIMESTAMPTZOID);
}

/* An outflow as its row holds it. */
typedef struct ou_outflow
{
	int64		id;
	int64		account;
	bool		wage;
	const char *cp;				/* the counterparty account's bytes, NULL when none */
	int			cplen;
	TimestampTz known;			/* greatest(created_at, booked_at) */
	bool		known_null;
} ou_outflow;

/*
 * read_outflow: the movement in slot: -1 without an id (the primary key: never), else its id
 * in o->id and 1 when it is an outflow of an account (the rest of *o filled), 0 when not (an
 * inflow is never a candidate; no account, no project: the recomputation's join drops it too).
 */
static int
read_outflow(TupleTableSlot *slot, const ou_txn_cols *c, ou_outflow *o)
{
	bool		isnull,
				cnull,
				bnull;
	Datum		d;
	text	   *t;
	TimestampTz booked;

	o->id = DatumGetInt64(slot_getattr(slot, c->id, &isnull));
	if (isnull)
		return -1;
	d = slot_getattr(slot, c->dir, &isnull);
	if (isnull)
		return 0;
	t = DatumGetTextPP(d);
	if (VARSIZE_ANY_EXHDR(t) != 3 || memcmp(VARDATA_ANY(t), "out", 3) != 0)
		return 0;
	d = slot_getattr(slot, c->account, &isnull);
	if (isnull)
		return 0;
	o->account = DatumGetInt64(d);
	d = slot_getattr(slot, c->purpose, &isnull);
	t = isnull ? NULL : DatumGetTextPP(d);
	o->wage = t && VARSIZE_ANY_EXHDR(t) == 4 && memcmp(VARDATA_ANY(t), "wage", 4) == 0;
	o->known = DatumGetTimestampTz(slot_getattr(slot, c->created, &cnull));
	booked = DatumGetTimestampTz(slot_getattr(slot, c->booked, &bnull));
	/* greatest(created_at, booked_at): NULLs ignored */
	if (cnull)
		o->known = booked;
	else if (!bnull && booked > o->known)
		o->known = booked;
	o->known_null = cnull && bnull;
	d = slot_getattr(slot, c->cp, &isnull);
	t = isnull ? NULL : DatumGetTextPP(d);
	o->cp = t ? VARDATA_ANY(t) : NULL;
	o->cplen = t ? VARSIZE_ANY_EXHDR(t) : 0;
	return 1;
}

/* The transition table's rows of account_txn: every id to ids (when given), the outflows to the batch. */
static void
read_txns(TriggerData *td, Tuplestorestate *rows, ou_batch *b, ou_batch *ids)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(td->tg_relation), &TTSOpsMinimalTuple);
	ou_txn_cols c;

	trigger_txn_cols(td, &c);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		ou_outflow	o;
		int			r = read_outflow(slot, &c, &o);

		if (r < 0)
			continue;
		if (ids)
			batch_id(ids, o.id);
		if (b != NULL && r > 0)
			batch_add(b, o.id, o.account, o.wage, o.cp, o.cplen, o.known, o.known_null);
	}
	ExecDropSingleTupleTableSlot(slot);
}

/*
 * Matching by key. P_MATCH for a few wages without its statement: for each wage (its account,
 * the digits of its counterparty account, the moment known) the account's project read by key,
 * the workers whose card is those digits (worker_wage_card_text), and their entries on that
 * project's roster known by then (the roster's (project, worker) key); the rows of the matches
 * then locked FOR SHARE - the account's, the entry's, the worker's - in P_MATCH's order
 * (account, entry, worker). A row changed or gone while its lock was waited for sends the
 * judgement back to the statement, which reads the latest rows again.
 */
typedef struct ou_match
{
	int64		account_id;
	int64		roster_id;
	int64		worker_id;
	int64		txn_id;
	ItemPointerData account;
	ItemPointerData entry;
	ItemPointerData worker;
} ou_match;

typedef struct ou_matches
{
	ou_match   *v;
	int			n;
	int			cap;
} ou_matches;

static int
cmp_match(const void *a, const void *b)
{
	const ou_match *x = a,
			   *y = b;

	if (x->account_id != y->account_id)
		return (x->account_id > y->account_id) - (x->account_id < y->account_id);
	if (x->roster_id != y->roster_id)
		return (x->roster_id > y->roster_id) - (x->roster_id < y->roster_id);
	return (x->worker_id > y->worker_id) - (x->worker_id < y->worker_id);
}

/* A roster entry of a worker with a card, on a project (the rows of a match but the account's). */
typedef struct ou_hit
{
	int64		roster_id;
	int64		worker_id;
	TimestampTz created;
	bool		created_null;
	ItemPointerData entry;
	ItemPointerData worker;
} ou_hit;

/*
 * The tables a match reads, opened for direct reads, and their columns; and what the last
 * match read, under the same snapshot: the candidates a roster entry settles are wages to one
 * card, mostly of one account.
 */
typedef struct ou_probe
{
	wc_direct	a,				/* wage_account, by its key */
				k,				/* worker, by wage_card::text */
				r;				/* roster, by (project_id, worker_id) */
	int			a_id,
				a_project,
				k_id,
				r_id,
				r_created;
	Snapshot	snapshot;		/* of what follows */
	bool		have_account;
	int64		account;
	bool		account_found;
	int64		project;
	ItemPointerData account_tid;
	char	   *card;			/* the entries of (project, card) read last, or NULL */
	int64		card_project;
	ou_hit	   *hits;
	int			nhits;
	int			cap;
} ou_probe;

/* probe_open: the tables of a match opened; false (nothing left open) when one is not as this file knows it. */
static bool
probe_open(ou_probe *p)
{
	memset(p, 0, sizeof(*p));
	if (!wc_direct_open(&p->a, "wage_account", NULL, RowShareLock))
		return false;
	if (!wc_direct_open(&p->k, "worker", "worker_wage_card_text", RowShareLock))
	{
		wc_direct_close(&p->a);
		return false;
	}
	if (!wc_direct_open(&p->r, "roster", "roster_project_id_worker_id_start_on_key", RowShareLock))
	{
		wc_direct_close(&p->k);
		wc_direct_close(&p->a);
		return false;
	}
	if (p->a.nkeys != 1 || p->a.index->rd_opcintype[0] != INT8OID || p->k.nkeys != 1 ||
		p->k.index->rd_opcintype[0] != TEXTOID ||
		p->r.nkeys < 2 || p->r.index->rd_opcintype[0] != INT8OID || p->r.index->rd_opcintype[1] != INT8OID ||
		(p->a_id = wc_direct_column(&p->a, "account_id", INT8OID)) != p->a.index->rd_index->indkey.values[0] ||
		(p->a_project = wc_direct_column(&p->a, "project_id", INT8OID)) == 0 ||
		(p->k_id = wc_direct_column(&p->k, "worker_id", INT8OID)) == 0 ||
		p->k.index->rd_index->indkey.values[0] != 0 ||	/* (an expression: wage_card::text) */
		(p->r_id = wc_direct_column(&p->r, "roster_id", INT8OID)) == 0 ||
		(p->r_created = wc_direct_column(&p->r, "created_at", TIMESTAMPTZOID)) == 0 ||
		wc_direct_column(&p->r, "project_id", INT8OID) != p->r.index->rd_index->indkey.values[0] ||
		wc_direct_column(&p->r, "worker_id", INT8OID) != p->r.index->rd_index->indkey.values[1])
	{
		wc_direct_close(&p->r);
		wc_direct_close(&p->k);
		wc_direct_close(&p->a);
		return false;
	}
	return true;
}

static void
probe_close(ou_probe *p)
{
	wc_direct_close(&p->r);
	wc_direct_close(&p->k);
	wc_direct_close(&p->a);
}

/*
 * probe_matches: the matches of wage txn_id (of account, to card - NULL: not a wage to a card,
 * only the account's project is read - known at known) as snapshot sees them, added to out;
 * its account's project in *project (*have_project false when the account is not there: then
 * nothing matches).
 */
static void
probe_matches(ou_probe *p, Snapshot snapshot, int64 txn_id, int64 account, const char *card,
			  TimestampTz known, bool known_null, ou_matches *out, int64 *project, bool *have_project)
{
	Datum		key;
	bool		isnull;

	if (p->snapshot != snapshot)
	{
		p->snapshot = snapshot;
		p->have_account = false;
		p->card = NULL;
	}
	if (!p->have_account || p->account != account)
	{
		p->have_account = true;
		p->account = account;
		p->account_found = wc_direct_first_id(&p->a, snapshot, account);
		if (p->account_found)
		{
			p->project = DatumGetInt64(slot_getattr(p->a.slot, p->a_project, &isnull));
			p->account_tid = p->a.slot->tts_tid;
		}
	}
	*have_project = p->account_found;
	if (!p->account_found)
		return;
	*project = p->project;
	if (card == NULL)
		return;
	if (p->card == NULL || p->card_project != p->project || strcmp(p->card, card) != 0)
	{
		/* the entries on the project's roster of the workers whose card it is */
		p->card = pstrdup(card);
		p->card_project = p->project;
		p->nhits = 0;
		key = CStringGetTextDatum(card);
		wc_direct_begin(&p->k, snapshot, &key, 1);
		while (wc_direct_next(&p->k))
		{
			Datum		rk[2];
			int64		worker = DatumGetInt64(slot_getattr(p->k.slot, p->k_id, &isnull));

			if (isnull)
				continue;
			rk[0] = Int64GetDatum(p->project);
			rk[1] = Int64GetDatum(worker);
			wc_direct_begin(&p->r, snapshot, rk, 2);
			while (wc_direct_next(&p->r))
			{
				ou_hit	   *h;

				if (p->nhits == p->cap)
				{
					p->cap = p->cap ? p->cap * 2 : 8;
					p->hits = p->hits ? repalloc(p->hits, sizeof(ou_hit) * p->cap) : palloc(sizeof(ou_hit) * p->cap);
				}
				h = &p->hits[p->nhits++];
				h->roster_id = DatumGetInt64(slot_getattr(p->r.slot, p->r_id, &isnull));
				h->worker_id = worker;
				h->created = DatumGetTimestampTz(slot_getattr(p->r.slot, p->r_created, &h->created_null));
				h->entry = p->r.slot->tts_tid;
				h->worker = p->k.slot->tts_tid;
			}
			wc_direct_end(&p->r);
		}
		wc_direct_end(&p->k);
	}
	for (int i = 0; i < p->nhits; i++)
	{
		ou_hit	   *h = &p->hits[i];
		ou_match   *m;

		/* r.created_at <= u.known (NULL on either side: no) */
		if (h->created_null || known_null || h->created > known)
			continue;
		if (out->n == out->cap)
		{
			out->cap = out->cap ? out->cap * 2 : 8;
			out->v = out->v ? repalloc(out->v, sizeof(ou_match) * out->cap) : palloc(sizeof(ou_match) * out->cap);
		}
		m = &out->v[out->n++];
		m->account_id = account;
		m->roster_id = h->roster_id;
		m->worker_id = h->worker_id;
		m->txn_id = txn_id;
		m->account = p->account_tid;
		m->entry = h->entry;
		m->worker = h->worker;
	}
}

/*
 * probe_lock: the rows of the matches locked FOR SHARE in P_MATCH's order (ORDER BY
 * a.account_id, r.roster_id, k.worker_id FOR SHARE OF a, r, k); false when one changed or went
 * meanwhile (the statement judges again).
 */
static bool
probe_lock(ou_probe *p, ou_matches *m)
{
	qsort(m->v, m->n, sizeof(ou_match), cmp_match);
	for (int i = 0; i < m->n; i++)
	{
		TM_FailureData tmfd;
		ou_match   *x = &m->v[i],
				   *prev = i > 0 ? &m->v[i - 1] : NULL;

		/* (a row locked for the match before is held already: the wages of one card share them) */
		if ((prev == NULL || !ItemPointerEquals(&prev->account, &x->account)) &&
			(wc_direct_lock(&p->a, &x->account, LockTupleShare, &tmfd) != TM_Ok || tmfd.traversed))
			return false;
		if ((prev == NULL || !ItemPointerEquals(&prev->entry, &x->entry)) &&
			(wc_direct_lock(&p->r, &x->entry, LockTupleShare, &tmfd) != TM_Ok || tmfd.traversed))
			return false;
		if ((prev == NULL || !ItemPointerEquals(&prev->worker, &x->worker)) &&
			(wc_direct_lock(&p->k, &x->worker, LockTupleShare, &tmfd) != TM_Ok || tmfd.traversed))
			return false;
	}
	return true;
}

/* An outflow found unmatched: its candidate's row. */
typedef struct ou_unmatched
{
	int64		txn_id;
	int64		project_id;
	char	   *card;			/* NULL: none */
} ou_unmatched;

static int
cmp_unmatched(const void *a, const void *b)
{
	const ou_unmatched *x = a,
			   *y = b;

	return (x->txn_id > y->txn_id) - (x->txn_id < y->txn_id);
}

/*
 * Matching a statement's many wages at once. Probing worker and roster for each wage costs
 * about a microsecond a probe; a bank file of a day's wages asks about most workers, and then
 * one read of each table under the same snapshot - the workers of the wages' cards and the
 * roster entries of their (project, worker) pairs, src/enforce/card_read.c, as the payees of the
 * movements are read - finds the same rows (scan_matches). The matches are then locked as the
 * probes' are (probe_lock).
 */
typedef struct sc_account
{
	int64		id;				/* (the key) */
	bool		found;
	int64		project;
	ItemPointerData tid;
} sc_account;

/*
 * scan_matches: the matches of outflows o[0..no) (cards[i]: the digits of a wage's account,
 * NULL: no card) found by reading worker and roster once each as snapshot sees them, added to
 * m, and the unmatched outflows (of an account that exists) to u[*nu]: probe_matches's answers
 * for each. False, with nothing done, when the wages' distinct cards are too few for the
 * reads to cost less than the probes.
 */
static bool
scan_matches(ou_probe *p, Snapshot snapshot, ou_outflow *o, char **cards, int no, ou_matches *m,
			 ou_unmatched *u, int *nu)
{
	HTAB	   *haccounts;
	wc_card_read cr;
	long		ncards;
	Oid			card_type;
	int			k_card,
				r_project,
				r_worker;
	bool		isnull;
	int64	   *ckey;
	bool	   *ckey_ok;

	/*
	 * each wage's card: the bank_card whose text (k.wage_card::text) is its digits, when one
	 * is (a card's text is its canonical form: digits that are not one match no worker's)
	 */
	ckey = palloc(sizeof(int64) * no);
	ckey_ok = palloc0(sizeof(bool) * no);
	wc_card_read_init(&cr, no);
	for (int i = 0; i < no; i++)
	{
		int64_t		v;
		char		text[WC_BANK_CARD_MAX + 1];
		size_t		len = cards[i] ? strlen(cards[i]) : 0;

		if (len == 0 || len > WC_BANK_CARD_MAX || wc_bank_card_parse(cards[i], len, &v, NULL) != WC_IDENT_OK ||
			wc_bank_card_format(v, text) != (int) len || memcmp(text, cards[i], len) != 0)
			continue;
		ckey[i] = v;
		ckey_ok[i] = true;
		wc_card_read_ask_card(&cr, v);
	}
	ncards = wc_idmap_count(cr.cards);
	card_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("bank_card"),
								ObjectIdGetDatum(RelationGetNamespace(p->k.rel)));
	if (!wc_direct_scan_pays(&p->k, &p->r, ncards) ||
		!OidIsValid(card_type) || (k_card = wc_direct_column(&p->k, "wage_card", card_type)) == 0 ||
		(r_project = wc_direct_column(&p->r, "project_id", INT8OID)) == 0 ||
		(r_worker = wc_direct_column(&p->r, "worker_id", INT8OID)) == 0)
	{
		wc_card_read_done(&cr);
		return false;
	}
	/* the workers whose card's text (k.wage_card::text: its digits) is one of the wages' */
	wc_card_read_workers(&cr, &p->k, snapshot, k_card, p->k_id, 0);
	/* each outflow's account (its project), and the (project, worker) pairs of the wages */
	haccounts = wc_direct_hash("wagecheck accounts", sizeof(int64), sizeof(sc_account), 64, false);
	for (int i = 0; i < no; i++)
	{
		bool		found;
		sc_account *a = hash_search(haccounts, &o[i].account, HASH_ENTER, &found);

		if (!found)
		{
			a->found = wc_direct_first_id(&p->a, snapshot, o[i].account);
			if (a->found)
			{
				a->project = DatumGetInt64(slot_getattr(p->a.slot, p->a_project, &isnull));
				a->tid = p->a.slot->tts_tid;
			}
		}
		if (!a->found || !ckey_ok[i])
			continue;
		for (int w = wc_card_read_first_worker(&cr, ckey[i]); w >= 0; w = cr.workers[w].next)
			wc_card_read_ask_pair(&cr, a->project, cr.workers[w].worker_id);
	}
	/* the roster entries of those pairs */
	wc_card_read_entries(&cr, &p->r, snapshot, r_project, r_worker, p->r_id, p->r_created);
	/* each outflow matched as probe_matches matches it */
	for (int i = 0; i < no; i++)
	{
		sc_account *a = hash_search(haccounts, &o[i].account, HASH_FIND, NULL);
		int			before = m->n;

		if (a == NULL || !a->found)
			continue;			/* no account, no project: no candidate */
		for (int w = ckey_ok[i] ? wc_card_read_first_worker(&cr, ckey[i]) : -1; w >= 0; w = cr.workers[w].next)
		{
			for (int x = wc_card_read_first_entry(&cr, a->project, cr.workers[w].worker_id); x >= 0;
				 x = cr.entries[x].next)
			{
				wc_card_entry *e = &cr.entries[x];
				ou_match   *mm;

				/* r.created_at <= u.known (NULL on either side: no) */
				if (e->created_null || o[i].known_null || e->created > o[i].known)
					continue;
				if (m->n == m->cap)
				{
					m->cap = m->cap ? m->cap * 2 : 8;
					m->v = m->v ? repalloc_huge(m->v, sizeof(ou_match) * m->cap) : palloc(sizeof(ou_match) * m->cap);
				}
				mm = &m->v[m->n++];
				mm->account_id = o[i].account;
				mm->roster_id = e->roster_id;
				mm->worker_id = cr.workers[w].worker_id;
				mm->txn_id = o[i].id;
				mm->account = a->tid;
				mm->entry = e->tid;
				mm->worker = cr.workers[w].tid;
			}
		}
		if (m->n > before)
			continue;			/* matched */
		u[*nu].txn_id = o[i].id;
		u[*nu].project_id = a->project;
		u[(*nu)++].card = cards[i];
	}
	hash_destroy(haccounts);
	wc_card_read_done(&cr);
	ereport(DEBUG1, (errmsg_internal("wagecheck: wages matched by one read of worker and roster: %d outflows, %ld cards",
									 no, ncards)));
	return true;
}

/*
 * on_new_txns: a statement that inserted movements (up to OU_TXNS_KEYED): their outflows
 * judged by key (matched and locked as P_MATCH would, in its order; the unmatched ones'
 * candidates inserted by key in the order of their ids, as P_INSERT does); false when this
 * cannot be done, and the statements judge them.
 */
static bool
on_new_txns(TriggerData *td, Tuplestorestate *rows)
{
	TupleTableSlot *slot;
	ou_txn_cols c;
	bool		done;
	ou_probe	p;
	ou_matches	m = {0};
	Snapshot	snapshot;
	ou_outflow *o = NULL;
	char	  **cards = NULL;
	int			no = 0,
				ocap = 0;
	ou_unmatched *u;
	int			nu = 0;

	/* (REPEATABLE READ, SERIALIZABLE: P_MATCH's locks fail on a row changed since the snapshot) */
	if (IsolationUsesXactSnapshot())
		return false;
	/* the outflows (an inflow is never a candidate), each wage's card the digits of its account */
	slot = MakeSingleTupleTableSlot(RelationGetDescr(td->tg_relation), &TTSOpsMinimalTuple);
	trigger_txn_cols(td, &c);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		if (no == ocap)
		{
			ocap = ocap ? ocap * 2 : 16;
			o = o ? repalloc_huge(o, sizeof(ou_outflow) * ocap) : palloc(sizeof(ou_outflow) * ocap);
			cards = cards ? repalloc_huge(cards, sizeof(char *) * ocap) : palloc(sizeof(char *) * ocap);
		}
		if (read_outflow(slot, &c, &o[no]) <= 0)
			continue;
		cards[no] = NULL;
		if (o[no].wage && o[no].cp != NULL)
		{
			char	   *card = palloc(o[no].cplen + 1);

			card[wc_card_digits(o[no].cp, o[no].cplen, card)] = '\0';
			/* (no card's text is empty; the candidate's card is NULL) */
			cards[no] = card[0] ? card : NULL;
		}
		o[no].cp = NULL;		/* (the slot's bytes: not kept) */
		no++;
	}
	ExecDropSingleTupleTableSlot(slot);
	if (no == 0)
		return true;
	if (!probe_open(&p))
		return false;
	u = palloc(sizeof(ou_unmatched) * no);
	snapshot = wc_direct_snapshot();
	/* (a day's bank file: one read of worker and roster; else a probe of each for each wage) */
	for (int i = scan_matches(&p, snapshot, o, cards, no, &m, u, &nu) ? no : 0; i < no; i++)
	{
		bool		have_project;
		int64		project = 0;
		int			before = m.n;

		probe_matches(&p, snapshot, o[i].id, o[i].account, cards[i], o[i].known, o[i].known_null, &m,
					  &project, &have_project);
		if (!have_project || m.n > before)
			continue;			/* no account, no project: no candidate; or matched */
		u[nu].txn_id = o[i].id;
		u[nu].project_id = project;
		u[nu++].card = cards[i];
	}
	done = m.n == 0 || probe_lock(&p, &m);
	wc_direct_snapshot_done();
	probe_close(&p);
	if (!done)
		return false;
	if (nu > 0)
	{
		wc_keyed	k;
		const char *cols[1] = {"txn_id"};
		Oid			types[1] = {INT8OID};
		int			k_project,
					k_card;

		if (!wc_keyed_open(&k, "outflow_unmatched", 1, cols, types))
			return false;
		k_project = wc_keyed_column(&k, "project_id", INT8OID);
		k_card = wc_keyed_column(&k, "card", TEXTOID);
		if (k_project < 0 || k_card < 0 || RelationGetDescr(k.rel)->natts != 3)
		{
			wc_keyed_close(&k);
			return false;
		}
		qsort(u, nu, sizeof(ou_unmatched), cmp_unmatched);
		for (int i = 0; i < nu; i++)
		{
			wc_keyed_new(&k);
			k.next->tts_values[k.keyatt[0] - 1] = Int64GetDatum(u[i].txn_id);
			k.next->tts_values[k_project] = Int64GetDatum(u[i].project_id);
			k.next->tts_values[k_card] = u[i].card ? CStringGetTextDatum(u[i].card) : (Datum) 0;
			k.next->tts_isnull[k_card] = u[i].card == NULL;
			/* ON CONFLICT (txn_id) DO NOTHING */
			(void) wc_keyed_insert(&k);
		}
		wc_keyed_close(&k);
		{
			int64	   *projects = palloc(sizeof(int64) * nu);
			char	  **with_card = palloc(sizeof(char *) * nu);
			int			nc = 0;

			for (int i = 0; i < nu; i++)
				if (u[i].card != NULL)
				{
					projects[nc] = u[i].project_id;
					with_card[nc++] = u[i].card;
				}
			settle_raced_entries(projects, with_card, nc);
		}
	}
	ereport(DEBUG1, (errmsg_internal("wagecheck: outflows judged by key: %d, %d unmatched", no, nu)));
	return true;
}

static int	cmp_id(const void *a, const void *b);

/* result_ids: the first column (bigint) of SPI's result, sorted, without repeats; *n of them. */
static int64 *
result_ids(int *n)
{
	int64	   *ids = palloc(sizeof(int64) * Max(SPI_processed, 1));
	bool		isnull;

	for (uint64 i = 0; i < SPI_processed; i++)
		ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	*n = (int) wc_ids_unique(ids, (int) SPI_processed);
	return ids;
}

/*
 * raced_rows: in REPEATABLE READ or SERIALIZABLE, plan p (whose first column is an outflow's
 * id) run again with a new snapshot must return the outflows seen[0..nseen) (sorted: its
 * rows with the transaction's snapshot), else one was recorded, changed or deleted by a
 * transaction committed since, which this one's statements cannot see: a serialization
 * failure.
 */
static void
raced_rows(ou_plan p, Datum *args, const int64 *seen, int nseen)
{
	int64	   *now;
	int			nnow,
				k = 0;

	run_latest(p, args);
	now = result_ids(&nnow);
	while (k < nseen && k < nnow && seen[k] == now[k])
		k++;
	if (k < nseen || k < nnow)
		raced(RACE_OUTFLOW, k < nnow && (k >= nseen || now[k] < seen[k]) ? now[k] : seen[k], 0, 0);
}

/*
 * result_pairs: SPI's result of (project, worker) rows (bigint, bigint) as sorted keys, the
 * project's low 32 bits above the worker's (a shared key only makes a difference unseen less
 * likely to be told apart: the counts are compared too); *n of them.
 */
static int64 *
result_pairs(int *n)
{
	int64	   *keys = palloc(sizeof(int64) * Max(SPI_processed, 1));
	bool		isnull;

	for (uint64 i = 0; i < SPI_processed; i++)
		keys[i] = (int64) (((uint64) (uint32) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc,
																		   1, &isnull)) << 32) |
						   (uint32) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2,
																&isnull)));
	*n = (int) SPI_processed;
	qsort(keys, *n, sizeof(int64), cmp_id);
	return keys;
}

/* One (project, card) whose wages are judged again. */
typedef struct ou_pair
{
	int64		project_id;
	char		card[24];		/* a card's digits: 12 to 19 */
} ou_pair;

static int
cmp_pair(const void *a, const void *b)
{
	const ou_pair *x = a,
			   *y = b;

	if (x->project_id != y->project_id)
		return x->project_id < y->project_id ? -1 : 1;
	return strcmp(x->card, y->card);
}

typedef struct ou_pairs
{
	ou_pair    *v;
	int			n;
	int			cap;
} ou_pairs;

static void
pair_add(ou_pairs *p, int64 project_id, const char *card, int len)
{
	if (len <= 0 || len >= (int) sizeof(((ou_pair *) 0)->card))
		return;					/* no card (or none wagecheck can hold) */
	if (p->n == p->cap)
	{
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = p->v ? repalloc_huge(p->v, sizeof(ou_pair) * p->cap) : palloc(sizeof(ou_pair) * p->cap);
	}
	p->v[p->n].project_id = project_id;
	memcpy(p->v[p->n].card, card, len);
	p->v[p->n].card[len] = '\0';
	p->n++;
}

/*
 * refresh_cards: judges again the wages of the pairs' projects whose account's digits are
 * the pair's card (the only outflows a roster entry or card of that worker can match).
 */
static void
refresh_cards(ou_pairs *p)
{
	int64	   *projects,
			   *seen;
	int			np = 0,
				nseen = 0;
	ou_batch	b;
	Datum		args[2];

	if (p->n == 0)
		return;
	qsort(p->v, p->n, sizeof(ou_pair), cmp_pair);
	projects = palloc(sizeof(int64) * p->n);
	for (int i = 0; i < p->n; i++)
		projects[np++] = p->v[i].project_id;
	np = (int) wc_ids_unique(projects, np);
	args[0] = ids_array(projects, np);
	{
		Datum	   *cards = palloc(sizeof(Datum) * p->n);

		for (int i = 0; i < p->n; i++)
			cards[i] = CStringGetTextDatum(p->v[i].card);
		args[1] = PointerGetDatum(construct_array_builtin(cards, p->n, TEXTOID));
	}
	run(P_WAGES_OF_PROJECTS, args, NULL, SPI_OK_SELECT);
	seen = IsolationUsesXactSnapshot() ? result_ids(&nseen) : NULL;
	memset(&b, 0, sizeof(b));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		ou_pair		key;
		Datum		d = SPI_getbinval(tup, desc, 4, &isnull);
		text	   *cp;
		char	   *buf;
		size_t		nd;

		if (isnull)
			continue;
		cp = DatumGetTextPP(d);
		key.project_id = DatumGetInt64(SPI_getbinval(tup, desc, 6, &isnull));
		buf = palloc(VARSIZE_ANY_EXHDR(cp) + 1);
		nd = wc_card_digits(VARDATA_ANY(cp), VARSIZE_ANY_EXHDR(cp), buf);
		/* (no digits, or more than a card has: no card matches) */
		if (nd == 0 || nd >= sizeof(key.card))
			continue;
		memcpy(key.card, buf, nd);
		key.card[nd] = '\0';
		pfree(buf);
		if (bsearch(&key, p->v, p->n, sizeof(ou_pair), cmp_pair) != NULL)
			batch_add_row(&b, tup, desc);
	}
	/*
	 * (REPEATABLE READ, SERIALIZABLE: a wage of these projects to these cards recorded,
	 * changed or deleted by a transaction committed since the snapshot - one whose match
	 * locked an entry this one deleted, then committed - is not seen by the statements: the
	 * wages as a new snapshot reads them must be the same)
	 */
	if (seen != NULL)
		raced_rows(P_WAGES_OF_PROJECTS, args, seen, nseen);
	refresh(&b, true, NULL, 0);
}

/* read_ids: the values of an int8 column of a transition table (NULLs left out). */
static void
read_ids(Tuplestorestate *rows, TupleDesc desc, int att, ou_batch *out)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);

	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, att, &isnull);

		if (!isnull)
			batch_id(out, DatumGetInt64(d));
	}
	ExecDropSingleTupleTableSlot(slot);
}

/* A worker's card (its digits; "" when none) as a transition table holds it. */
typedef struct ou_card
{
	int64		worker_id;
	char		card[24];
} ou_card;

static int
cmp_card(const void *a, const void *b)
{
	const ou_card *x = a,
			   *y = b;

	return (x->worker_id > y->worker_id) - (x->worker_id < y->worker_id);
}

/* pairs_of_entries: (project, the worker's card) of the given roster entries (project and worker ids). */
static void
pairs_of_entries(const int64 *projects, const int64 *workers, int n, ou_pairs *p)
{
	int64	   *w = palloc(sizeof(int64) * Max(n, 1));
	int			nw;
	Datum		arg;
	ou_card    *cards;
	int			ncards;

	if (n == 0)
		return;
	memcpy(w, workers, sizeof(int64) * n);
	nw = (int) wc_ids_unique(w, n);
	arg = ids_array(w, nw);
	run(P_CARDS_OF_WORKERS, &arg, NULL, SPI_OK_SELECT);
	ncards = (int) SPI_processed;
	if (ncards == 0)
		return;
	cards = palloc(sizeof(ou_card) * ncards);
	for (int i = 0; i < ncards; i++)
	{
		bool		isnull;
		char	   *s;

		cards[i].worker_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		s = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		strlcpy(cards[i].card, s ? s : "", sizeof(cards[i].card));
	}
	/* (one card per worker: worker_id is the key) */
	qsort(cards, ncards, sizeof(ou_card), cmp_card);
	for (int i = 0; i < n; i++)
	{
		ou_card		key;
		ou_card    *c;

		key.worker_id = workers[i];
		if ((c = bsearch(&key, cards, ncards, sizeof(ou_card), cmp_card)) != NULL)
			pair_add(p, projects[i], c->card, strlen(c->card));
	}
}

/* The roster entries (project_id, worker_id, and roster_id, created_at for an update) of a transition table. */
typedef struct ou_entry
{
	int64		roster_id;
	int64		project_id;
	int64		worker_id;
	TimestampTz created_at;
	bool		created_null;
} ou_entry;

static ou_entry *
read_entries(TriggerData *td, Tuplestorestate *rows, int *n)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	int			a_id = wc_trigger_column(td, FN, "roster_id", INT8OID),
				a_project = wc_trigger_column(td, FN, "project_id", INT8OID),
				a_worker = wc_trigger_column(td, FN, "worker_id", INT8OID),
				a_created = wc_trigger_column(td, FN, "created_at", TIMESTAMPTZOID);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	ou_entry   *v = NULL;
	int			cap = 0;

	*n = 0;
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		n1,
					n2,
					n3;
		ou_entry	e;

		e.roster_id = DatumGetInt64(slot_getattr(slot, a_id, &n1));
		e.project_id = DatumGetInt64(slot_getattr(slot, a_project, &n2));
		e.worker_id = DatumGetInt64(slot_getattr(slot, a_worker, &n3));
		e.created_at = DatumGetTimestampTz(slot_getattr(slot, a_created, &e.created_null));
		if (n1 || n2 || n3)
			continue;			/* (all NOT NULL) an entry without project or worker matches nothing */
		if (*n == cap)
		{
			cap = cap ? cap * 2 : 16;
			v = v ? repalloc_huge(v, sizeof(ou_entry) * cap) : palloc(sizeof(ou_entry) * cap);
		}
		v[(*n)++] = e;
	}
	ExecDropSingleTupleTableSlot(slot);
	return v;
}

static int
cmp_entry(const void *a, const void *b)
{
	const ou_entry *x = a,
			   *y = b;

	return (x->roster_id > y->roster_id) - (x->roster_id < y->roster_id);
}

/* entries_pairs: the (project, card) pairs of entries[0..n) whose keep flag is set. */
static void
entries_pairs(ou_entry *e, const bool *keep, int n, ou_pairs *p)
{
	int64	   *projects = palloc(sizeof(int64) * Max(n, 1)),
			   *workers = palloc(sizeof(int64) * Max(n, 1));
	int			k = 0;

	for (int i = 0; i < n; i++)
		if (keep == NULL || keep[i])
		{
			projects[k] = e[i].project_id;
			workers[k++] = e[i].worker_id;
		}
	pairs_of_entries(projects, workers, k, p);
}

/* cmp_id: int64 order, for bsearch over wc_ids_unique's output. */
static int
cmp_id(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* field4 of the advisory lock tags of a (project, worker) pair's roster entries, and of all pairs (SQL advisory locks use 1 and 2) */
#define OU_PAIR_LOCK_FIELD4 0x574F
#define OU_ALL_LOCK_FIELD4 0x5750
/* the pair locks a transaction takes at most (the lock table is shared and bounded); beyond, one on all pairs */
#define OU_PAIRS_MAX 64

static LocalTransactionId pairs_lxid = InvalidLocalTransactionId;
static int	pairs_taken;		/* pair locks taken by this transaction (an overestimate after a rollback to a savepoint) */

/*
 * lock_pairs: transaction locks that make a statement that only adds roster entries (which
 * then reads the candidates of their projects, outflow_unmatched, and not the movements) and
 * one that deletes or changes entries (whose old pairs may turn wages into candidates) of the
 * same (project, worker) pair wait for each other: so an entry added waits for the deletion
 * of another entry of its worker's on the project and then sees the candidate it left, or is
 * waited for and seen by the deletion's match (READ COMMITTED: each statement reads what
 * committed before it). A lock on each pair - ShareLock to add, RowExclusiveLock to delete,
 * which conflict only with each other - under one on all pairs in a mode that conflicts with
 * neither side's (AccessShareLock, RowShareLock). A transaction that would hold more than
 * OU_PAIRS_MAX pair locks (a bulk load, a long series of single rows) takes the lock on all
 * pairs instead, in a mode that conflicts with the other side's (ExclusiveLock to add,
 * AccessExclusiveLock to delete), and no pair lock more. (Pairs whose ids share their low 32
 * bits share a lock: that only makes one wait.)
 */
static void
lock_pairs(ou_entry *e, int n, bool adding)
{
	LOCKTAG		all;
	int64	   *keys;
	int			nk;

	if (MyProc->lxid != pairs_lxid)
	{
		pairs_lxid = MyProc->lxid;
		pairs_taken = 0;
	}
	SET_LOCKTAG_ADVISORY(all, MyDatabaseId, 0, 0, OU_ALL_LOCK_FIELD4);
	/* all pairs held against the other side already */
	if (LockHeldByMe(&all, AccessExclusiveLock) || (adding && LockHeldByMe(&all, ExclusiveLock)))
		return;
	keys = palloc(sizeof(int64) * Max(n, 1));
	for (int i = 0; i < n; i++)
		keys[i] = (int64) (((uint64) (uint32) e[i].project_id << 32) | (uint32) e[i].worker_id);
	nk = (int) wc_ids_unique(keys, n);
	if (pairs_taken + nk > OU_PAIRS_MAX)
	{
		(void) LockAcquire(&all, adding ? ExclusiveLock : AccessExclusiveLock, false, false);
		pfree(keys);
		return;
	}
	(void) LockAcquire(&all, adding ? AccessShareLock : RowShareLock, false, false);
	for (int i = 0; i < nk; i++)
	{
		LOCKTAG		tag;

		SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) ((uint64) keys[i] >> 32), (uint32) keys[i],
							 OU_PAIR_LOCK_FIELD4);
		(void) LockAcquire(&tag, adding ? ShareLock : RowExclusiveLock, false, false);
	}
	pairs_taken += nk;
	pfree(keys);
}

/*
 * settle_raced_entries: wages just made candidates (projects[i], to cards[i]) that a roster
 * entry added meanwhile matches. The entry's statement looked for candidates before these
 * were written, and this one for entries before that one committed: so the (project, worker)
 * pairs of the workers whose card it is are locked as a deletion of entries locks them
 * (lock_pairs), which waits for a transaction that adds an entry of such a pair and makes one
 * that adds it later wait for this one (and then see the candidates); after the lock, the
 * candidates of those pairs that an entry matches now are settled (P_SETTLE_ENTRIES, with a
 * new snapshot). Cards of no worker have no pair. REPEATABLE READ and SERIALIZABLE see no
 * entry committed after their snapshot: the same locks are taken, and a candidate of those
 * pairs that an entry matches now (one committed since) is a serialization failure
 * (raced_check).
 */
static void
settle_raced_entries(const int64 *projects, char **cards, int n)
{
	Datum	   *p,
			   *c,
				args[2];
	ou_entry *e;
	uint64		np;

	if (n == 0)
		return;
	p = palloc(sizeof(Datum) * n);
	c = palloc(sizeof(Datum) * n);
	for (int i = 0; i < n; i++)
	{
		p[i] = Int64GetDatum(projects[i]);
		c[i] = CStringGetTextDatum(cards[i]);
	}
	args[0] = PointerGetDatum(construct_array_builtin(p, n, INT8OID));
	args[1] = PointerGetDatum(construct_array_builtin(c, n, TEXTOID));
	run(P_PAIRS_OF_CARDS, args, NULL, SPI_OK_SELECT);
	np = SPI_processed;
	if (np == 0)
		return;
	e = palloc0(sizeof(ou_entry) * np);
	p = repalloc(p, sizeof(Datum) * np);
	c = repalloc(c, sizeof(Datum) * np);
	for (uint64 i = 0; i < np; i++)
	{
		bool		isnull;

		e[i].project_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		e[i].worker_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));
		p[i] = Int64GetDatum(e[i].project_id);
		c[i] = Int64GetDatum(e[i].worker_id);
	}
	lock_pairs(e, (int) np, false);
	args[0] = PointerGetDatum(construct_array_builtin(p, (int) np, INT8OID));
	args[1] = PointerGetDatum(construct_array_builtin(c, (int) np, INT8OID));
	if (IsolationUsesXactSnapshot())
		raced_check(args[0], args[1]);
	else
		run(P_SETTLE_ENTRIES, args, NULL, SPI_OK_DELETE);
}

/*
 * projects_with_candidates: the projects (sorted, without repeats) of which
 * outflow_unmatched holds a row, as the next statement would see it: each looked up by its
 * index without a statement (most projects have none, and then an entry added costs no
 * statement at all); how many are left in projects[].
 */
static int
projects_with_candidates(int64 *projects, int n)
{
	Oid			nsp = get_namespace_oid("wagecheck", false);
	Oid			relid = get_relname_relid("outflow_unmatched", nsp),
				indexid = get_relname_relid("outflow_unmatched_project_card", nsp);
	Relation	rel,
				index;
	TupleTableSlot *slot;
	int			k = 0;

	if (!OidIsValid(relid) || !OidIsValid(indexid))
		return n;				/* (not the table this file knows: let the statement look) */
	/* the snapshot a statement of SPI takes: after what this transaction wrote so far */
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	rel = table_open(relid, AccessShareLock);
	index = index_open(indexid, AccessShareLock);
	slot = table_slot_create(rel, NULL);
	for (int i = 0; i < n; i++)
	{
		IndexScanDesc scan = index_beginscan(rel, index, GetActiveSnapshot(), 1, 0);
		ScanKeyData key;

		ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(projects[i]));
		index_rescan(scan, &key, 1, NULL, 0);
		if (index_getnext_slot(scan, ForwardScanDirection, slot))
			projects[k++] = projects[i];
		index_endscan(scan);
	}
	ExecDropSingleTupleTableSlot(slot);
	index_close(index, AccessShareLock);
	table_close(rel, AccessShareLock);
	PopActiveSnapshot();
	return k;
}

/*
 * the entries of one statement whose candidates are settled by key at most (a bulk load's are
 * settled by P_SETTLE_ENTRIES, hashed)
 */
#define OU_ENTRIES_KEYED 1000
/* the candidates of one entry settled by key at most; more go to P_SETTLE_ENTRIES */
#define OU_CANDIDATES_KEYED 32

/*
 * settle_by_key: P_SETTLE_ENTRIES for entries e[0..n) (of projects with candidates) without its
 * statement: each entry's worker read by key, the candidates of its project to his card
 * (outflow_unmatched_project_card) that are wages (account_txn by key), their matches found and
 * locked (probe_matches, probe_lock: all of them in P_SETTLE_ENTRIES's order), and the matched
 * candidates deleted by key. False when this cannot be done (the statement settles them then).
 */
static bool
settle_by_key(ou_entry *e, int n)
{
	wc_direct	w,
				o,
				t;
	ou_probe	p;
	Snapshot	snapshot;
	Oid			card_type;
	int			w_card,
				o_id;
	ou_txn_cols tc;
	ou_matches	m = {0};
	bool		ok = true;

	if (IsolationUsesXactSnapshot() || !probe_open(&p))
		return false;
	if (!wc_direct_open(&w, "worker", NULL, AccessShareLock))
	{
		probe_close(&p);
		return false;
	}
	if (!wc_direct_open(&o, "outflow_unmatched", "outflow_unmatched_project_card", AccessShareLock))
	{
		wc_direct_close(&w);
		probe_close(&p);
		return false;
	}
	if (!wc_direct_open(&t, "account_txn", NULL, AccessShareLock))
	{
		wc_direct_close(&o);
		wc_direct_close(&w);
		probe_close(&p);
		return false;
	}
	card_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("bank_card"),
								ObjectIdGetDatum(RelationGetNamespace(w.rel)));
	if (w.nkeys != 1 || w.index->rd_opcintype[0] != INT8OID ||
		wc_direct_column(&w, "worker_id", INT8OID) != w.index->rd_index->indkey.values[0] ||
		!OidIsValid(card_type) || (w_card = wc_direct_column(&w, "wage_card", card_type)) == 0 ||
		o.nkeys != 2 || o.index->rd_opcintype[0] != INT8OID || o.index->rd_opcintype[1] != TEXTOID ||
		wc_direct_column(&o, "project_id", INT8OID) != o.index->rd_index->indkey.values[0] ||
		wc_direct_column(&o, "card", TEXTOID) != o.index->rd_index->indkey.values[1] ||
		(o_id = wc_direct_column(&o, "txn_id", INT8OID)) == 0 ||
		t.nkeys != 1 || t.index->rd_opcintype[0] != INT8OID ||
		(tc.id = wc_direct_column(&t, "txn_id", INT8OID)) != t.index->rd_index->indkey.values[0] ||
		(tc.account = wc_direct_column(&t, "account_id", INT8OID)) == 0 ||
		(tc.dir = wc_direct_column(&t, "direction", TEXTOID)) == 0 ||
		(tc.purpose = wc_direct_column(&t, "purpose", TEXTOID)) == 0 ||
		(tc.cp = wc_direct_column(&t, "counterparty_account", TEXTOID)) == 0 ||
		(tc.created = wc_direct_column(&t, "created_at", TIMESTAMPTZOID)) == 0 ||
		(tc.booked = wc_direct_column(&t, "booked_at", TIMESTAMPTZOID)) == 0)
	{
		ok = false;
		goto done;
	}
	snapshot = wc_direct_snapshot();
	for (int i = 0; i < n && ok; i++)
	{
		Datum		key[2];
		bool		isnull;
		char		card[WC_BANK_CARD_MAX + 1];
		Datum		c;
		int64		ids[OU_CANDIDATES_KEYED];
		int			nids = 0;

		key[0] = Int64GetDatum(e[i].worker_id);
		if (!wc_direct_first(&w, snapshot, key, 1))
			continue;			/* (a worker the roster's key names: always there) */
		c = slot_getattr(w.slot, w_card, &isnull);
		if (isnull)
			continue;			/* no card: no candidate is a wage to it */
		/* (k.wage_card::text: the card's digits) */
		(void) wc_bank_card_format(DatumGetInt64(c), card);
		key[0] = Int64GetDatum(e[i].project_id);
		key[1] = CStringGetTextDatum(card);
		wc_direct_begin(&o, snapshot, key, 2);
		while (ok && wc_direct_next(&o))
		{
			if (nids == OU_CANDIDATES_KEYED)
				ok = false;
			else
				ids[nids++] = DatumGetInt64(slot_getattr(o.slot, o_id, &isnull));
		}
		wc_direct_end(&o);
		for (int j = 0; j < nids && ok; j++)
		{
			Datum		tk = Int64GetDatum(ids[j]);
			ou_outflow	wage;
			bool		have_project;
			int64		project;

			/* (P_SETTLE_ENTRIES's c: the candidates that are wages out of an account) */
			if (!wc_direct_first(&t, snapshot, &tk, 1) || read_outflow(t.slot, &tc, &wage) <= 0 || !wage.wage)
				continue;
			probe_matches(&p, snapshot, ids[j], wage.account, card, wage.known, wage.known_null, &m, &project,
						  &have_project);
		}
	}
	if (ok && m.n > 0)
		ok = probe_lock(&p, &m);
	wc_direct_snapshot_done();
	if (ok && m.n > 0)
	{
		/* DELETE FROM outflow_unmatched WHERE txn_id IN (the matched), each by key */
		wc_keyed	d;
		const char *cols[1] = {"txn_id"};
		Oid			types[1] = {INT8OID};
		int64	   *ids = palloc(sizeof(int64) * m.n);
		int			nids;

		for (int i = 0; i < m.n; i++)
			ids[i] = m.v[i].txn_id;
		nids = (int) wc_ids_unique(ids, m.n);
		if (!wc_keyed_open(&d, "outflow_unmatched", 1, cols, types))
			ok = false;
		else
		{
			for (int i = 0; i < nids; i++)
			{
				Datum		key = Int64GetDatum(ids[i]);

				if (wc_keyed_lock(&d, &key))
					wc_keyed_delete(&d);
			}
			wc_keyed_close(&d);
		}
	}
	if (ok)
		ereport(DEBUG1, (errmsg_internal("wagecheck: candidates settled by key (roster entries: %d)", n)));
done:
	wc_direct_close(&t);
	wc_direct_close(&o);
	wc_direct_close(&w);
	probe_close(&p);
	return ok;
}

/*
 * on_new_entries: roster entries added (and none changed or deleted): they take no match
 * away, so only the candidates of their projects (rows of outflow_unmatched) that are wages
 * to their workers' cards may leave: found by (project, card), matched and locked as any
 * outflow judged, and deleted, in one statement; the others stay. (An entry repeated in the
 * statement finds its candidates twice: the DELETE takes each once.)
 */
static void settle_new_entries(ou_entry *e, int n);

static void
on_new_entries(ou_entry *e, int n)
{
	if (n == 0)
		return;
	lock_pairs(e, n, true);
	settle_new_entries(e, n);
	/*
	 * (REPEATABLE READ, SERIALIZABLE: a candidate committed since the snapshot, which the
	 * statements above do not see, that an entry matches now is a serialization failure)
	 */
	if (IsolationUsesXactSnapshot())
	{
		Datum	   *projects = palloc(sizeof(Datum) * n),
				   *workers = palloc(sizeof(Datum) * n);

		for (int i = 0; i < n; i++)
		{
			projects[i] = Int64GetDatum(e[i].project_id);
			workers[i] = Int64GetDatum(e[i].worker_id);
		}
		raced_check(PointerGetDatum(construct_array_builtin(projects, n, INT8OID)),
					PointerGetDatum(construct_array_builtin(workers, n, INT8OID)));
	}
}

/* settle_new_entries: on_new_entries's settling of the candidates (their pairs locked). */
static void
settle_new_entries(ou_entry *e, int n)
{
	Datum	   *projects,
			   *workers,
				args[2];

	int64	   *have;
	int			nhave,
				k = 0;

	/* the entries of projects with a candidate at all, first looked up cheaply */
	have = palloc(sizeof(int64) * n);
	for (int i = 0; i < n; i++)
		have[i] = e[i].project_id;
	nhave = projects_with_candidates(have, (int) wc_ids_unique(have, n));
	if (nhave == 0)
		return;
	/* (not a bulk load) settled by key */
	if (n <= OU_ENTRIES_KEYED)
	{
		ou_entry   *with = palloc(sizeof(ou_entry) * n);
		int			nwith = 0;

		for (int i = 0; i < n; i++)
			if (bsearch(&e[i].project_id, have, nhave, sizeof(int64), cmp_id) != NULL)
				with[nwith++] = e[i];
		if (settle_by_key(with, nwith))
			return;
	}
	projects = palloc(sizeof(Datum) * n);
	workers = palloc(sizeof(Datum) * n);
	for (int i = 0; i < n; i++)
		if (bsearch(&e[i].project_id, have, nhave, sizeof(int64), cmp_id) != NULL)
		{
			projects[k] = Int64GetDatum(e[i].project_id);
			workers[k++] = Int64GetDatum(e[i].worker_id);
		}
	args[0] = PointerGetDatum(construct_array_builtin(projects, k, INT8OID));
	args[1] = PointerGetDatum(construct_array_builtin(workers, k, INT8OID));
	run(P_SETTLE_ENTRIES, args, NULL, SPI_OK_DELETE);
}

/*
 * on_roster: entries added, deleted or changed. Wages to the workers' cards in the entries'
 * projects are judged again: of the old entries that went or now count from later or for
 * another project or worker (matches may be lost), of the new entries that came or count from
 * earlier (matches may come); an entry unchanged in these changes nothing.
 */
static void
on_roster(TriggerData *td, Tuplestorestate *olds, Tuplestorestate *news)
{
	ou_pairs	p = {0};
	int			no = 0,
				nn = 0;
	ou_entry   *o = olds ? read_entries(td, olds, &no) : NULL;
	ou_entry   *nw = news ? read_entries(td, news, &nn) : NULL;

	if (o && nw)
	{
		bool	   *keep_o = palloc0(sizeof(bool) * Max(no, 1)),
				   *keep_n = palloc0(sizeof(bool) * Max(nn, 1));

		qsort(o, no, sizeof(ou_entry), cmp_entry);
		qsort(nw, nn, sizeof(ou_entry), cmp_entry);
		/*
		 * an old entry may lose matches unless its new version is for the same project and
		 * worker and known from no later; a new one may gain some unless its old version was
		 * for the same and known from no later (a NULL moment: as NOT EXISTS reads it)
		 */
		for (int i = 0; i < no; i++)
		{
			ou_entry   *m = bsearch(&o[i], nw, nn, sizeof(ou_entry), cmp_entry);

			keep_o[i] = !(m && m->project_id == o[i].project_id && m->worker_id == o[i].worker_id &&
						  !m->created_null && !o[i].created_null && m->created_at <= o[i].created_at);
		}
		for (int i = 0; i < nn; i++)
		{
			ou_entry   *m = bsearch(&nw[i], o, no, sizeof(ou_entry), cmp_entry);

			keep_n[i] = !(m && m->project_id == nw[i].project_id && m->worker_id == nw[i].worker_id &&
						  !m->created_null && !nw[i].created_null && m->created_at <= nw[i].created_at);
		}
		/* the pairs of the old entries that may lose matches (not those of an end date set) */
		{
			ou_entry   *lose = palloc(sizeof(ou_entry) * Max(no, 1));
			int			nl = 0;

			for (int i = 0; i < no; i++)
				if (keep_o[i])
					lose[nl++] = o[i];
			if (nl > 0)
				lock_pairs(lose, nl, false);
		}
		entries_pairs(o, keep_o, no, &p);
		entries_pairs(nw, keep_n, nn, &p);
	}
	else if (o)
	{
		lock_pairs(o, no, false);
		entries_pairs(o, NULL, no, &p);
	}
	else if (nw)
	{
		on_new_entries(nw, nn);
		return;
	}
	refresh_cards(&p);
}

/* read_cards: (worker_id, card) of every row of a transition table of worker; *n of them. */
static ou_card *
read_cards(Tuplestorestate *rows, TupleDesc desc, int a_id, int a_card, FmgrInfo *out, int *n)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	ou_card    *v = NULL;
	int			cap = 0;

	*n = 0;
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		n1,
					n2;
		Datum		id = slot_getattr(slot, a_id, &n1),
					card = slot_getattr(slot, a_card, &n2);

		if (n1)
			continue;
		if (*n == cap)
		{
			cap = cap ? cap * 2 : 16;
			v = v ? repalloc_huge(v, sizeof(ou_card) * cap) : palloc(sizeof(ou_card) * cap);
		}
		v[*n].worker_id = DatumGetInt64(id);
		strlcpy(v[*n].card, n2 ? "" : OutputFunctionCall(out, card), sizeof(v[*n].card));
		(*n)++;
	}
	ExecDropSingleTupleTableSlot(slot);
	qsort(v, *n, sizeof(ou_card), cmp_card);
	return v;
}

/*
 * on_worker: workers added (a restore loads them after their roster entries) or whose card
 * changed: the wages to their cards, old and new, in the projects of their roster entries.
 */
static void
on_worker(TriggerData *td, Tuplestorestate *olds, Tuplestorestate *news)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	int			a_id = wc_trigger_column(td, FN, "worker_id", INT8OID);
	int			a_card = 0;
	Oid			outfn;
	bool		varlena;
	FmgrInfo	out;
	ou_card    *o = NULL,
			   *nw = NULL,
			   *cards;
	int			no = 0,
				nn = 0,
				ncards = 0;
	int64	   *ids;
	int			nids;
	ou_pairs	p = {0};
	Datum		arg;

	/* (wage_card is of type wagecheck.bank_card, whose text is its digits: read through its output function) */
	for (int i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped &&
			strcmp(NameStr(TupleDescAttr(desc, i)->attname), "wage_card") == 0)
			a_card = i + 1;
	if (a_card == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s needs column \"%s\", which %s does not have", FN, "wage_card",
						wc_rel_label(td->tg_relation))));
	getTypeOutputInfo(TupleDescAttr(desc, a_card - 1)->atttypid, &outfn, &varlena);
	fmgr_info(outfn, &out);
	if (olds)
		o = read_cards(olds, desc, a_id, a_card, &out, &no);
	if (news)
		nw = read_cards(news, desc, a_id, a_card, &out, &nn);
	cards = palloc(sizeof(ou_card) * Max(no + nn, 1));
	/* the cards that came or went: a worker whose card stayed the same changes nothing */
	for (int i = 0; i < nn; i++)
	{
		ou_card    *m = o ? bsearch(&nw[i], o, no, sizeof(ou_card), cmp_card) : NULL;

		if (m && strcmp(m->card, nw[i].card) == 0)
			continue;
		if (nw[i].card[0])
			cards[ncards++] = nw[i];
		if (m && m->card[0])
			cards[ncards++] = *m;
	}
	for (int i = 0; i < no; i++)
		if (o[i].card[0] && (nw == NULL || bsearch(&o[i], nw, nn, sizeof(ou_card), cmp_card) == NULL))
			cards[ncards++] = o[i];
	if (ncards == 0)
		return;
	/*
	 * cards changed: a statement adding or deleting roster entries holds the lock on all
	 * (project, worker) pairs in a weak mode (lock_pairs) until its transaction ends, and reads
	 * the cards of its workers; this one reads the entries of its workers: taken here in a
	 * mode that conflicts with both sides', it makes each wait for the other (the entries'
	 * statement then reads the new card, or this one the entries)
	 */
	if (olds != NULL)
	{
		LOCKTAG		all;

		SET_LOCKTAG_ADVISORY(all, MyDatabaseId, 0, 0, OU_ALL_LOCK_FIELD4);
		(void) LockAcquire(&all, AccessExclusiveLock, false, false);
	}
	ids = palloc(sizeof(int64) * ncards);
	for (int i = 0; i < ncards; i++)
		ids[i] = cards[i].worker_id;
	nids = (int) wc_ids_unique(ids, ncards);
	arg = ids_array(ids, nids);
	/*
	 * (REPEATABLE READ, SERIALIZABLE: the workers' entries as a new snapshot reads them - after
	 * the lock - must be those of the transaction's snapshot; compared by their count and
	 * their (project, worker) pairs)
	 */
	if (IsolationUsesXactSnapshot())
	{
		int64	   *seen,
				   *now;
		int			nseen,
					nnow;

		run(P_PROJECTS_OF_WORKERS, &arg, NULL, SPI_OK_SELECT);
		seen = result_pairs(&nseen);
		run_latest(P_PROJECTS_OF_WORKERS, &arg);
		now = result_pairs(&nnow);
		for (int i = 0; i < Max(nseen, nnow); i++)
			if (i >= nseen || i >= nnow || seen[i] != now[i])
				raced(RACE_ENTRIES, 0, 0, ((i < nnow ? now : seen)[i]) & 0xFFFFFFFF);
	}
	run(P_PROJECTS_OF_WORKERS, &arg, NULL, SPI_OK_SELECT);
	/* (a worker may be there twice, with his old and his new card: the run of his id) */
	qsort(cards, ncards, sizeof(ou_card), cmp_card);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		bool		isnull;
		ou_card		key;
		ou_card    *c;
		int64		project = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull));

		key.worker_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2, &isnull));
		if ((c = bsearch(&key, cards, ncards, sizeof(ou_card), cmp_card)) == NULL)
			continue;
		while (c > cards && c[-1].worker_id == key.worker_id)
			c--;
		for (; c < cards + ncards && c->worker_id == key.worker_id; c++)
			pair_add(&p, project, c->card, strlen(c->card));
	}
	refresh_cards(&p);
}

/* The whole table again (a TRUNCATE of the roster or of the accounts): from the raw rows. */
static const char *const ou_rebuild_sql =
"DELETE FROM wagecheck.outflow_unmatched;"
"INSERT INTO wagecheck.outflow_unmatched SELECT * FROM wagecheck._outflow_unmatched_rows(NULL) ORDER BY 1;";

static Datum sync_as_owner(PG_FUNCTION_ARGS);

/* The body of wagecheck_outflow_unmatched_sync(). */
static Datum
outflow_unmatched_sync(PG_FUNCTION_ARGS)
{
	TriggerData *td = wc_trigger_data(fcinfo, FN);
	ou_table	t;

	wc_trigger_when(td, FN, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_ROW | WC_TG_INSERT | WC_TG_UPDATE |
					WC_TG_DELETE | WC_TG_TRUNCATE,
					gettext_noop("an AFTER ... FOR EACH STATEMENT (on wage_account: AFTER UPDATE ... FOR EACH ROW)"));
	t = (ou_table) wc_trigger_on_tables(td, FN, ou_refs, OU_TABLES, "account_txn, wage_account, roster or worker");
	if ((TRIGGER_FIRED_FOR_ROW(td->tg_event) != 0) != (t == OU_ACCOUNT && !TRIGGER_FIRED_BY_TRUNCATE(td->tg_event)) ||
		(t == OU_ACCOUNT && !TRIGGER_FIRED_BY_UPDATE(td->tg_event) && !TRIGGER_FIRED_BY_TRUNCATE(td->tg_event)) ||
		(t == OU_WORKER && (TRIGGER_FIRED_BY_DELETE(td->tg_event) || TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be %s trigger", FN,
						_("an AFTER ... FOR EACH STATEMENT (on wage_account: AFTER UPDATE ... FOR EACH ROW)")),
				 errdetail("Trigger \"%s\" on %s fired it otherwise.",
						   td->tg_trigger->tgname, wc_rel_label(td->tg_relation))));

	/*
	 * as the owner of wagecheck's tables, its statements' joins in the order written (see
	 * MATCH_SQL): src/trigowner.c
	 */
	return wc_trigger_run_as_owner(sync_as_owner, fcinfo, WC_TRIGGER_JOINS_AS_WRITTEN);
}

/* The body of wagecheck._outflow_unmatched_sync(), as the owner of wagecheck's tables (its firing checked already). */
static Datum
sync_as_owner(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	ou_table	t = (ou_table) wc_trigger_on_tables(td, FN, ou_refs, OU_TABLES, "account_txn, wage_account, roster or worker");
	Tuplestorestate *olds,
			   *news;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
	{
		wc_trigger_sql_settings();
		if (SPI_execute(t == OU_TXN ? "TRUNCATE wagecheck.outflow_unmatched" : ou_rebuild_sql, false, 0) < 0)
			elog(ERROR, "wagecheck: keeping wagecheck.outflow_unmatched after TRUNCATE failed");
		SPI_finish();
		return PointerGetDatum(NULL);
	}

	if (t == OU_ACCOUNT)
	{
		/* a row whose project changed (the trigger's WHEN): the outflows of its account */
		TupleDesc	desc = RelationGetDescr(td->tg_relation);
		int			a_id = wc_trigger_column(td, FN, "account_id", INT8OID);
		bool		isnull;
		Datum		id = heap_getattr(td->tg_newtuple, a_id, desc, &isnull);
		ou_batch	b;

		if (!isnull)
		{
			int64	   *seen = NULL;
			int			nseen = 0;

			run(P_TXNS_OF_ACCOUNT, &id, NULL, SPI_OK_SELECT);
			if (IsolationUsesXactSnapshot())
				seen = result_ids(&nseen);
			memset(&b, 0, sizeof(b));
			for (uint64 i = 0; i < SPI_processed; i++)
				batch_add_row(&b, SPI_tuptable->vals[i], SPI_tuptable->tupdesc);
			/* (REPEATABLE READ, SERIALIZABLE: as refresh_cards) */
			if (seen != NULL)
				raced_rows(P_TXNS_OF_ACCOUNT, &id, seen, nseen);
			refresh(&b, true, NULL, 0);
		}
		SPI_finish();
		return PointerGetDatum(NULL);
	}

	wc_trigger_transitions(td, FN, &olds, &news);

	switch (t)
	{
		case OU_TXN:
			{
				ou_batch	b,
							gone;
				int			n;

				memset(&b, 0, sizeof(b));
				memset(&gone, 0, sizeof(gone));
				/* movements inserted: by key when they can (not a bulk load) */
				if (olds == NULL && news != NULL && tuplestore_tuple_count(news) <= OU_TXNS_KEYED &&
					on_new_txns(td, news))
					break;
				/* movements deleted or changed: their rows go (a changed one is judged again) */
				if (olds)
					read_ids(olds, RelationGetDescr(td->tg_relation),
							 wc_trigger_column(td, FN, "txn_id", INT8OID), &gone);
				if (news)
					read_txns(td, news, &b, olds ? &gone : NULL);
				n = (int) wc_ids_unique(gone.ids, gone.n);
				/* new movements (INSERT): no row of theirs exists yet */
				refresh(&b, olds != NULL, gone.ids, n);
			}
			break;
		case OU_ROSTER:
			on_roster(td, olds, news);
			break;
		case OU_WORKER:
			on_worker(td, olds, news);
			break;
		default:
			elog(ERROR, "wagecheck: unexpected table");
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(wagecheck_outflow_unmatched_sync);
/* Trigger on account_txn, roster, worker (AFTER each statement) and wage_account: keeps outflow_unmatched. */
Datum
wagecheck_outflow_unmatched_sync(PG_FUNCTION_ARGS)
{
	return outflow_unmatched_sync(fcinfo);
}
