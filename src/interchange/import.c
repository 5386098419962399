/*
 * import.c — wagecheck.import_bank_statement: a bank statement (camt.053, camt.054 or a
 * bank's own layout described by a row of wagecheck.bank_profile) read as a stream
 * (core/xmlio.c, libxml2's xmlTextReader: one entry in memory at a time) into
 * wagecheck.account_txn, where the enforcing trigger checks every movement.
 *
 * One result row per entry: inserted (with its txn_id), duplicate (the account already has
 * a movement with the bank's entry reference, from this file or an earlier one) or refused
 * with the reason. Entries go in by batches of 2,500, each one INSERT in a subtransaction; a
 * batch that fails is halved and each half done again, down to the entries that fail, so one
 * bad entry costs only itself. The accounts met are locked for the transaction (advisory lock), so two
 * imports of the same file one beside the other still add nothing twice.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "core/outflow.h"
#include "core/xmlio.h"
#include "interchange/interchange.h"
#include "nls.h"

/*
 * Entries per INSERT. Each statement writes a new version of the account's balance row,
 * which every later foreign-key check of the transaction walks past, so statements of 1,000
 * made an import of 500,000 quadratic; and the statement trigger that keeps the unmatched
 * outflows (alerts) costs more than linearly in the rows of a statement, so statements of
 * 10,000 were slower still (100,000 entries: 18.6 s by 1,000, over 150 s by 10,000, 10.1 s
 * by 2,500, test/bench/bench_xml.sh's fixture).
 */
#define WC_IMPORT_BATCH 2500
#define WC_IMPORT_LOCK_CLASS 1464027480	/* 0x57434958, "WCIX": advisory locks of imported accounts */

typedef struct wc_map_entry
{
	char	   *key;
	char	   *value;
} wc_map_entry;

typedef struct wc_bank_profile
{
	wcx_profile p;
	char	   *currency;		/* expected currency; NULL: any */
	int			ndir;
	wc_map_entry *dir;
	int			npur;
	wc_map_entry *pur;
} wc_bank_profile;

/* One entry of the batch being built. */
typedef struct wc_import_row
{
	int64		ordinal;
	int			line;
	char	   *ref;
	char	   *account;
	int64		account_id;
	char	   *direction;		/* in / out */
	int64		cents;
	char	   *cp_account;
	char	   *cp_name;
	char	   *purpose;
	char	   *booked;
	char	   *reason;			/* refused before the insert, or by it */
	int64		txn_id;			/* 0: not inserted */
	bool		sent;			/* part of the INSERT */
} wc_import_row;

typedef struct wc_import
{
	MemoryContext fncxt;
	MemoryContext batchcxt;
	ReturnSetInfo *rsinfo;
	SPIPlanPtr	insert_plan;
	SPIPlanPtr	account_plan;
	wc_import_row rows[WC_IMPORT_BATCH];
	int			n;
	/* the last account looked up */
	char	   *last_account;
	int64		last_account_id;	/* 0: not a dedicated account */
} wc_import;

static char *
dup_or_null(MemoryContext cxt, const char *s)
{
	return s ? MemoryContextStrdup(cxt, s) : NULL;
}

/* Reads the profile row and its value maps (SPI connected). */
static void
load_profile(const char *name, wc_bank_profile *bp, MemoryContext cxt)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	int			rc,
				i;
	TupleDesc	desc;
	HeapTuple	tup;

	args[0] = CStringGetTextDatum(name);
	rc = SPI_execute_with_args(
							   "SELECT namespace, entry_path, account_path, ref_path, amt_path, currency_path, "
							   "       direction_path, booked_path, purpose_path, account_in_path, account_out_path, "
							   "       name_in_path, name_out_path, currency "
							   "  FROM wagecheck.bank_profile WHERE name OPERATOR(pg_catalog.=) $1",
							   1, argtypes, args, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("bank statement profile \"%s\" does not exist", name),
				 errdetail("No row of wagecheck.bank_profile is named \"%s\".", name),
				 errhint("The shipped profiles are camt.053, camt.054 and cn.bank.sample; a bank's own layout is added as a row.")));
	desc = SPI_tuptable->tupdesc;
	tup = SPI_tuptable->vals[0];
	bp->p.ns = dup_or_null(cxt, SPI_getvalue(tup, desc, 1));
	bp->p.entry_path = dup_or_null(cxt, SPI_getvalue(tup, desc, 2));
	bp->p.account_path = dup_or_null(cxt, SPI_getvalue(tup, desc, 3));
	for (i = 0; i < WCX_F_COUNT; i++)
		bp->p.field_path[i] = dup_or_null(cxt, SPI_getvalue(tup, desc, 4 + i));
	bp->currency = dup_or_null(cxt, SPI_getvalue(tup, desc, 4 + WCX_F_COUNT));

	rc = SPI_execute_with_args(
							   "SELECT 'd', m.key, m.value FROM wagecheck.bank_profile p, "
							   "       pg_catalog.jsonb_each_text(p.direction_map) m WHERE p.name OPERATOR(pg_catalog.=) $1 "
							   "UNION ALL "
							   "SELECT 'p', m.key, m.value FROM wagecheck.bank_profile p, "
							   "       pg_catalog.jsonb_each_text(p.purpose_map) m WHERE p.name OPERATOR(pg_catalog.=) $1",
							   1, argtypes, args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	bp->dir = MemoryContextAllocZero(cxt, sizeof(wc_map_entry) * (SPI_processed + 1));
	bp->pur = MemoryContextAllocZero(cxt, sizeof(wc_map_entry) * (SPI_processed + 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		char	   *kind = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		wc_map_entry *m = kind[0] == 'd' ? &bp->dir[bp->ndir++] : &bp->pur[bp->npur++];

		m->key = dup_or_null(cxt, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
		m->value = dup_or_null(cxt, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3));
	}
}

/* The value key maps to, else the value of "*", else NULL. */
static const char *
map_value(const wc_map_entry *m, int n, const char *key)
{
	int			i;
	const char *dflt = NULL;

	for (i = 0; i < n; i++)
	{
		if (key && m[i].key && strcmp(m[i].key, key) == 0)
			return m[i].value;
		if (m[i].key && strcmp(m[i].key, "*") == 0)
			dflt = m[i].value;
	}
	return dflt;
}

/* The dedicated account numbered account (0 if none), locked for the transaction. */
static int64
account_id(wc_import *im, const char *account)
{
	Datum		args[1];
	int			rc;
	bool		isnull;
	int64		id = 0;

	if (im->last_account && strcmp(im->last_account, account) == 0)
		return im->last_account_id;
	args[0] = CStringGetTextDatum(account);
	rc = SPI_execute_plan(im->account_plan, args, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed > 0)
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			id = DatumGetInt64(d);
	}
	if (im->last_account)
		pfree(im->last_account);
	im->last_account = MemoryContextStrdup(im->fncxt, account);
	im->last_account_id = id;
	return id;
}

/* A text[] of the sent rows' field at offset off (char * in wc_import_row). */
static Datum
text_array(wc_import *im, int first, int count, size_t off)
{
	Datum	   *d = palloc(sizeof(Datum) * count);
	bool	   *nulls = palloc(sizeof(bool) * count);
	int			dims[1],
				lbs[1] = {1};
	int			i,
				k = 0;

	for (i = first; i < first + count; i++)
	{
		char	   *s = *(char **) ((char *) &im->rows[i] + off);

		if (!im->rows[i].sent)
			continue;
		nulls[k] = s == NULL;
		d[k] = s ? CStringGetTextDatum(s) : (Datum) 0;
		k++;
	}
	dims[0] = k;
	return PointerGetDatum(construct_md_array(d, nulls, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
}

static Datum
int8_array(wc_import *im, int first, int count, size_t off)
{
	Datum	   *d = palloc(sizeof(Datum) * count);
	int			i,
				k = 0;

	for (i = first; i < first + count; i++)
	{
		if (!im->rows[i].sent)
			continue;
		d[k++] = Int64GetDatum(*(int64 *) ((char *) &im->rows[i] + off));
	}
	return PointerGetDatum(construct_array(d, k, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * Inserts the sent rows among rows[first .. first+count-1] in one statement in a
 * subtransaction; true if it went in (txn_id set on the inserted, the others are
 * duplicates); false with reason set on the single row when count is 1.
 */
static bool
insert_rows(wc_import *im, int first, int count)
{
	MemoryContext oldcontext = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile bool ok = false;
	Datum		args[9];
	int			i;
	volatile int nsent = 0;

	for (i = first; i < first + count; i++)
		nsent += im->rows[i].sent;
	if (nsent == 0)
		return true;
	args[0] = int8_array(im, first, count, offsetof(wc_import_row, ordinal));
	args[1] = int8_array(im, first, count, offsetof(wc_import_row, account_id));
	args[2] = text_array(im, first, count, offsetof(wc_import_row, direction));
	args[3] = int8_array(im, first, count, offsetof(wc_import_row, cents));
	args[4] = text_array(im, first, count, offsetof(wc_import_row, cp_account));
	args[5] = text_array(im, first, count, offsetof(wc_import_row, cp_name));
	args[6] = text_array(im, first, count, offsetof(wc_import_row, purpose));
	args[7] = text_array(im, first, count, offsetof(wc_import_row, booked));
	args[8] = text_array(im, first, count, offsetof(wc_import_row, ref));

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcontext);
	PG_TRY();
	{
		int			rc = SPI_execute_plan(im->insert_plan, args, NULL, false, 0);
		uint64		k;

		if (rc != SPI_OK_SELECT)
			elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
		for (k = 0; k < SPI_processed; k++)
		{
			bool		n1,
						n2;
			int64		ord = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 1, &n1));
			int64		txn = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 2, &n2));

			for (i = first; i < first + count; i++)
				if (im->rows[i].sent && im->rows[i].ordinal == ord && !n2)
					im->rows[i].txn_id = txn;
		}
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcontext);
		CurrentResourceOwner = oldowner;
		ok = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcontext);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcontext);
		CurrentResourceOwner = oldowner;
		/*
		 * Not an entry's fault: a cancel or timeout, a deadlock or serialization
		 * failure, lack of resources, the operator, the system: the import fails.
		 */
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
			ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_TRANSACTION_ROLLBACK ||
			ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_INSUFFICIENT_RESOURCES ||
			ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION ||
			ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_SYSTEM_ERROR ||
			ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_INTERNAL_ERROR ||
			ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_PROGRAM_LIMIT_EXCEEDED)
			ReThrowError(edata);
		for (i = first; i < first + count; i++)
			im->rows[i].txn_id = 0;
		if (nsent == 1)
			for (i = first; i < first + count; i++)
				if (im->rows[i].sent)
					im->rows[i].reason = edata->detail
						? psprintf("%s (%s) %s", edata->message, unpack_sql_state(edata->sqlerrcode), edata->detail)
						: psprintf("%s (%s)", edata->message, unpack_sql_state(edata->sqlerrcode));
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return ok;
}

/*
 * Inserts rows[first .. first+count-1]; a part that fails is halved and each half done
 * again in its own subtransaction, down to the single entry that fails (its reason kept):
 * k bad entries cost about k * log2(count) statements, the good ones go in in order.
 */
static void
insert_split(wc_import *im, int first, int count)
{
	int			half;

	CHECK_FOR_INTERRUPTS();
	if (insert_rows(im, first, count) || count == 1)
		return;
	half = count / 2;
	insert_split(im, first, half);
	insert_split(im, first + half, count - half);
}

/* Inserts the batch and emits its result rows. */
static void
flush_batch(wc_import *im)
{
	int			i;
	MemoryContext old = MemoryContextSwitchTo(im->batchcxt);

	if (im->n > 0)
		insert_split(im, 0, im->n);
	for (i = 0; i < im->n; i++)
	{
		wc_import_row *r = &im->rows[i];
		Datum		values[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};
		const char *status;

		if (r->reason)
			status = "refused";
		else if (r->txn_id != 0)
			status = "inserted";
		else
			status = "duplicate";
		values[0] = Int64GetDatum(r->ordinal);
		values[1] = Int32GetDatum(r->line);
		nulls[1] = r->line <= 0;
		values[2] = r->ref ? CStringGetTextDatum(r->ref) : (Datum) 0;
		nulls[2] = r->ref == NULL;
		values[3] = r->account ? CStringGetTextDatum(r->account) : (Datum) 0;
		nulls[3] = r->account == NULL;
		values[4] = CStringGetTextDatum(status);
		values[5] = Int64GetDatum(r->txn_id);
		nulls[5] = r->txn_id == 0;
		values[6] = r->reason ? CStringGetTextDatum(r->reason) : (Datum) 0;
		nulls[6] = r->reason == NULL;
		tuplestore_putvalues(im->rsinfo->setResult, im->rsinfo->setDesc, values, nulls);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(im->batchcxt);
	im->n = 0;
}

/* Fills the next batch row from an entry; refusals that need no insert are decided here. */
static void
add_entry(wc_import *im, const wc_bank_profile *bp, const wcx_entry *e)
{
	wc_import_row *r = &im->rows[im->n++];
	MemoryContext old = MemoryContextSwitchTo(im->batchcxt);
	const char *dir;
	const char *code;
	bool		in;
	int			rc;

	memset(r, 0, sizeof(*r));
	r->ordinal = e->ordinal;
	r->line = e->line;
	r->ref = dup_or_null(im->batchcxt, e->field[WCX_F_REF]);
	r->account = dup_or_null(im->batchcxt, e->account);
	if (r->ref == NULL || r->ref[0] == '\0')
		r->reason = _("the entry has no bank reference (the key that keeps an import from adding it twice)");
	else if (r->account == NULL || r->account[0] == '\0')
		r->reason = _("no account precedes the entry in the statement");
	else if ((r->account_id = account_id(im, r->account)) == 0)
		r->reason = psprintf(_("account %s is not a dedicated wage account known to wagecheck"), r->account);
	else if ((code = e->field[WCX_F_DIRECTION]) == NULL ||
			 (dir = map_value(bp->dir, bp->ndir, code)) == NULL ||
			 (strcmp(dir, "in") != 0 && strcmp(dir, "out") != 0))
		r->reason = psprintf(_("direction \"%s\" is not in the profile's direction map"), code ? code : "");
	else if (e->field[WCX_F_AMOUNT] == NULL ||
			 (rc = wc_parse_cents(e->field[WCX_F_AMOUNT], &r->cents)) != WC_CENTS_OK || r->cents <= 0)
		r->reason = psprintf(_("amount \"%s\" is not a positive amount of yuan with at most two decimals"),
							 e->field[WCX_F_AMOUNT] ? e->field[WCX_F_AMOUNT] : "");
	else if (bp->currency && e->field[WCX_F_CURRENCY] && strcmp(bp->currency, e->field[WCX_F_CURRENCY]) != 0)
		r->reason = psprintf(_("the entry is in %s, not in %s"), e->field[WCX_F_CURRENCY], bp->currency);
	else if (e->field[WCX_F_BOOKED] == NULL)
		r->reason = _("the entry has no booking date");
	else
	{
		const char *pur = map_value(bp->pur, bp->npur, e->field[WCX_F_PURPOSE]);

		in = strcmp(dir, "in") == 0;
		r->direction = pstrdup(dir);
		r->purpose = pstrdup(pur ? pur : (in ? "labour_cost" : "other"));
		r->booked = pstrdup(e->field[WCX_F_BOOKED]);
		r->cp_account = dup_or_null(im->batchcxt, e->field[in ? WCX_F_ACCOUNT_IN : WCX_F_ACCOUNT_OUT]);
		r->cp_name = dup_or_null(im->batchcxt, e->field[in ? WCX_F_NAME_IN : WCX_F_NAME_OUT]);
		r->sent = true;
	}
	MemoryContextSwitchTo(old);
}

static const char *const insert_sql =
"WITH e AS ("
"  SELECT * FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.int8[]), "
"         pg_catalog.unnest($3::pg_catalog.text[]), pg_catalog.unnest($4::pg_catalog.int8[]), "
"         pg_catalog.unnest($5::pg_catalog.text[]), pg_catalog.unnest($6::pg_catalog.text[]), "
"         pg_catalog.unnest($7::pg_catalog.text[]), pg_catalog.unnest($8::pg_catalog.text[]), "
"         pg_catalog.unnest($9::pg_catalog.text[])) "
"         AS e(ord, account_id, direction, cents, cpa, cpn, purpose, booked, ref)), "
" pick AS (SELECT DISTINCT ON (account_id, ref) * FROM e ORDER BY account_id, ref, ord), "
" new AS (SELECT * FROM pick p WHERE NOT EXISTS (SELECT FROM wagecheck.account_txn t "
"          WHERE t.account_id OPERATOR(pg_catalog.=) p.account_id AND t.bank_ref OPERATOR(pg_catalog.=) p.ref)), "
" ins AS (INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, "
"          counterparty_name, purpose, booked_at, bank_ref) "
"        SELECT account_id, direction, cents::pg_catalog.numeric OPERATOR(pg_catalog./) 100, cpa, cpn, purpose, "
"               booked::pg_catalog.timestamptz, ref FROM new ORDER BY ord "
"        RETURNING txn_id, account_id, bank_ref) "
"SELECT n.ord, i.txn_id FROM new n JOIN ins i "
"    ON i.account_id OPERATOR(pg_catalog.=) n.account_id AND i.bank_ref OPERATOR(pg_catalog.=) n.ref";

static const char *const account_sql =
"SELECT a.account_id, pg_catalog.pg_advisory_xact_lock(" CppAsString2(WC_IMPORT_LOCK_CLASS) ", "
"       (a.account_id OPERATOR(pg_catalog.%) 2147483647)::pg_catalog.int4) "
"  FROM wagecheck.wage_account a WHERE a.account_no OPERATOR(pg_catalog.=) $1";

PG_FUNCTION_INFO_V1(wagecheck_import_bank_statement);
/* Imports a bank statement: one result row per entry (inserted, duplicate or refused). */
Datum
wagecheck_import_bank_statement(PG_FUNCTION_ARGS)
{
	text	   *doc = PG_GETARG_TEXT_PP(0);
	char	   *profile = text_to_cstring(PG_GETARG_TEXT_PP(1));
	wc_import  *im;
	wc_bank_profile bp;
	size_t		len;
	const char *u;
	PgXmlErrorContext *cxt;
	wcx_reader *volatile reader = NULL;
	Oid			ins_types[9] = {INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID, INT8ARRAYOID, TEXTARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	Oid			acct_types[1] = {TEXTOID};

	InitMaterializedSRF(fcinfo, 0);
	im = palloc0(sizeof(wc_import));
	im->fncxt = CurrentMemoryContext;
	im->rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	im->batchcxt = AllocSetContextCreate(CurrentMemoryContext, "wagecheck import batch", ALLOCSET_DEFAULT_SIZES);
	u = wc_xml_utf8(doc, &len);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	memset(&bp, 0, sizeof(bp));
	load_profile(profile, &bp, im->fncxt);
	im->insert_plan = SPI_prepare(insert_sql, 9, ins_types);
	im->account_plan = SPI_prepare(account_sql, 1, acct_types);
	if (im->insert_plan == NULL || im->account_plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));

	cxt = wc_xml_begin();
	PG_TRY();
	{
		char		msg[WCX_MSG_SIZE];
		wcx_entry	e;
		int			rc;

		reader = wcx_reader_open(u, len, &bp.p, msg, sizeof(msg));
		if (reader == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("the bank statement cannot be read"),
					 errdetail("%s (profile %s).", msg, profile),
					 errhint("wagecheck reads no document type declaration, entity or external file.")));
		while ((rc = wcx_reader_next(reader, &e)) == WCX_ENTRY)
		{
			CHECK_FOR_INTERRUPTS();
			add_entry(im, &bp, &e);
			if (im->n == WC_IMPORT_BATCH)
				flush_batch(im);
		}
		if (rc == WCX_ERROR)
		{
			int			line;
			const char *err = wcx_reader_error(reader, &line);

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("the bank statement is not a well-formed document of profile %s", profile),
					 errdetail("Line %d: %s.", line, err ? err : "?"),
					 errhint("Nothing of the statement was imported.")));
		}
		flush_batch(im);
	}
	PG_CATCH();
	{
		wcx_reader_close(reader);
		pg_xml_done(cxt, true);
		PG_RE_THROW();
	}
	PG_END_TRY();
	wcx_reader_close(reader);
	pg_xml_done(cxt, false);
	SPI_finish();
	MemoryContextDelete(im->batchcxt);
	return (Datum) 0;
}
