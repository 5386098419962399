/*
 * import.c — wagecheck.import_bank_statement: a bank statement (camt.053, camt.054 or a
 * bank's own layout described by a row of wagecheck.bank_profile) read as a stream
 * (core/xmlio.c, libxml2's push parser: one entry in memory at a time) into
 * wagecheck.account_txn, where the enforcing trigger checks every movement. The statement
 * comes as text, or as a large object read 64 kB at a time (never whole in memory).
 *
 * One result row per entry: inserted (with its txn_id), duplicate (the account already has
 * a movement with the bank's entry reference, from this file or an earlier one) or refused
 * with the reason. Entries go in by batches of WC_IMPORT_BATCH: one query finds the batch's
 * duplicates, one INSERT adds the rest. The whole document goes in in one subtransaction;
 * if an entry's INSERT fails, everything is rolled back and the document read again with
 * each batch in a subtransaction of its own, a batch that fails halved down to the entries
 * that fail, so one bad entry costs only itself. Memory: the batch (reset after each) and
 * the result rows (a tuplestore that spills to disk), whatever the number of entries. The
 * accounts met are locked for the transaction (advisory lock), so two imports of the same
 * file one beside the other still add nothing twice.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "libpq/libpq-fs.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "core/outflow.h"
#include "core/xmlio.h"
#include "interchange/interchange.h"
#include "nls.h"

/*
 * Entries per batch: one duplicate query and one INSERT each. Every INSERT writes a new
 * version of the account's balance row (enforcing trigger), which the foreign-key checks of
 * the later rows of the transaction walk past, so fewer, larger statements are cheaper; the
 * batch's rows and strings (a few MB) are all the import holds besides the document.
 */
#define WC_IMPORT_BATCH 50000
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
	bool		sent;			/* to be inserted (not refused, not a duplicate) */
} wc_import_row;

typedef struct wc_import
{
	MemoryContext fncxt;
	MemoryContext batchcxt;
	ReturnSetInfo *rsinfo;
	ResourceOwner owner;		/* the function's: the result store's temporary file is its */
	const wc_bank_profile *bp;
	const char *profile;
	const char *doc;			/* the document in memory, or */
	size_t		len;
	Oid			lo;				/* a large object read 64 kB at a time (doc NULL) */
	int32		lofd;
	SPIPlanPtr	insert_plan;
	SPIPlanPtr	dup_plan;
	SPIPlanPtr	account_plan;
	bool		careful;		/* each INSERT in a subtransaction of its own */
	bool		inserting;		/* an INSERT of entries is running: its error is an entry's */
	wc_import_row *rows;		/* WC_IMPORT_BATCH */
	int			n;
	char	   *arena;			/* the batch's strings, one after the other */
	size_t		arena_left;
	char	   *batch_account;	/* the batch's copy of the last account number */
	/* the last account looked up */
	char	   *last_account;
	int64		last_account_id;	/* 0: not a dedicated account */
} wc_import;

static char *
dup_or_null(MemoryContext cxt, const char *s)
{
	return s ? MemoryContextStrdup(cxt, s) : NULL;
}

/* A copy of s among the batch's strings (64 kB blocks of the batch context); NULL stays NULL. */
static char *
batch_strdup(wc_import *im, const char *s)
{
	size_t		n;
	char	   *r;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if (im->arena_left < n)
	{
		size_t		size = Max(n, 65536);

		im->arena = MemoryContextAlloc(im->batchcxt, size);
		im->arena_left = size;
	}
	r = im->arena;
	memcpy(r, s, n);
	im->arena += n;
	im->arena_left -= n;
	return r;
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
	MemoryContext cxt = CurrentMemoryContext;
	Datum		args[1];
	int			rc;
	bool		isnull;
	int64		id = 0;

	if (im->last_account && strcmp(im->last_account, account) == 0)
		return im->last_account_id;
	args[0] = CStringGetTextDatum(account);
	rc = SPI_execute_plan(im->account_plan, args, NULL, false, 1);
	MemoryContextSwitchTo(cxt);		/* SPI leaves its own context current */
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed > 0)
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			id = DatumGetInt64(d);
	}
	SPI_freetuptable(SPI_tuptable);
	if (im->last_account)
		pfree(im->last_account);
	im->last_account = MemoryContextStrdup(im->fncxt, account);
	im->last_account_id = id;
	return id;
}

/* A text[] of the sent rows' field at offset off (char * in wc_import_row), built in place. */
static Datum
text_array(wc_import *im, int first, int count, size_t off)
{
	Size		nbytes = 0,
				overhead;
	int			i,
				k = 0,
				nnull = 0;
	ArrayType  *a;
	char	   *ptr;
	bits8	   *bitmap;
	int			bitmask = 1;

	for (i = first; i < first + count; i++)
	{
		char	   *s = *(char **) ((char *) &im->rows[i] + off);

		if (!im->rows[i].sent)
			continue;
		k++;
		if (s == NULL)
			nnull++;
		else
			nbytes = add_size(nbytes, INTALIGN(VARHDRSZ + strlen(s)));
	}
	overhead = nnull > 0 ? ARR_OVERHEAD_WITHNULLS(1, k) : ARR_OVERHEAD_NONULLS(1);
	a = palloc0(add_size(overhead, nbytes));
	SET_VARSIZE(a, overhead + nbytes);
	a->ndim = 1;
	a->dataoffset = nnull > 0 ? overhead : 0;
	a->elemtype = TEXTOID;
	ARR_DIMS(a)[0] = k;
	ARR_LBOUND(a)[0] = 1;
	ptr = ARR_DATA_PTR(a);
	bitmap = ARR_NULLBITMAP(a);
	for (i = first; i < first + count; i++)
	{
		char	   *s = *(char **) ((char *) &im->rows[i] + off);

		if (!im->rows[i].sent)
			continue;
		if (s != NULL)
		{
			size_t		len = strlen(s);

			SET_VARSIZE(ptr, VARHDRSZ + len);
			memcpy(ptr + VARHDRSZ, s, len);
			ptr += INTALIGN(VARHDRSZ + len);
			if (bitmap)
				*bitmap |= bitmask;
		}
		if (bitmap)
		{
			bitmask <<= 1;
			if (bitmask == 0x100)
			{
				bitmap++;
				bitmask = 1;
			}
		}
	}
	return PointerGetDatum(a);
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
 * Marks as duplicates the sent rows whose (account, reference) an earlier row of the batch
 * has, then those the account already has (one query for the batch, an index probe per
 * row): what is left is sent to the INSERT.
 */
static int
cmp_row_key(const void *a, const void *b)
{
	const wc_import_row *x = *(wc_import_row *const *) a;
	const wc_import_row *y = *(wc_import_row *const *) b;
	int			c;

	if (x->account_id != y->account_id)
		return x->account_id < y->account_id ? -1 : 1;
	c = strcmp(x->ref, y->ref);
	if (c != 0)
		return c;
	return x->ordinal < y->ordinal ? -1 : (x->ordinal > y->ordinal ? 1 : 0);
}

static void
mark_duplicates(wc_import *im)
{
	wc_import_row **sorted = palloc(sizeof(wc_import_row *) * im->n);
	int			nsent = 0,
				i,
				k;
	Datum		args[2];
	int			rc;
	uint64		j;

	for (i = 0; i < im->n; i++)
		if (im->rows[i].sent)
			sorted[nsent++] = &im->rows[i];
	if (nsent == 0)
		return;
	qsort(sorted, nsent, sizeof(wc_import_row *), cmp_row_key);
	for (k = 1; k < nsent; k++)
		if (sorted[k]->account_id == sorted[k - 1]->account_id &&
			strcmp(sorted[k]->ref, sorted[k - 1]->ref) == 0)
			sorted[k]->sent = false;
	pfree(sorted);

	args[0] = int8_array(im, 0, im->n, offsetof(wc_import_row, account_id));
	args[1] = text_array(im, 0, im->n, offsetof(wc_import_row, ref));
	rc = SPI_execute_plan(im->dup_plan, args, NULL, true, 0);
	MemoryContextSwitchTo(im->batchcxt);	/* SPI leaves its own context current */
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	/* the rows found, by their place among the sent rows (1-based, ascending) */
	i = 0;
	k = 0;
	for (j = 0; j < SPI_processed; j++)
	{
		bool		isnull;
		int64		at = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[j], SPI_tuptable->tupdesc, 1, &isnull));

		for (; i < im->n; i++)
		{
			if (!im->rows[i].sent)
				continue;
			if (++k == at)
			{
				im->rows[i].sent = false;
				i++;
				break;
			}
		}
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * One INSERT of the sent rows among rows[first .. first+count-1]; txn_id set on each
 * (RETURNING gives the rows in the order they were sent). An error propagates.
 */
static void
insert_sent(wc_import *im, int first, int count)
{
	Datum		args[8];
	int			rc,
				i = first;
	uint64		k;

	args[0] = int8_array(im, first, count, offsetof(wc_import_row, account_id));
	args[1] = text_array(im, first, count, offsetof(wc_import_row, direction));
	args[2] = int8_array(im, first, count, offsetof(wc_import_row, cents));
	args[3] = text_array(im, first, count, offsetof(wc_import_row, cp_account));
	args[4] = text_array(im, first, count, offsetof(wc_import_row, cp_name));
	args[5] = text_array(im, first, count, offsetof(wc_import_row, purpose));
	args[6] = text_array(im, first, count, offsetof(wc_import_row, booked));
	args[7] = text_array(im, first, count, offsetof(wc_import_row, ref));
	im->inserting = true;
	rc = SPI_execute_plan(im->insert_plan, args, NULL, false, 0);
	MemoryContextSwitchTo(im->batchcxt);
	im->inserting = false;
	if (rc != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	for (k = 0; k < SPI_processed; k++)
	{
		bool		n1,
					n2;
		int64		txn = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 1, &n1));
		int64		acct = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 2, &n2));
		char	   *ref = SPI_getvalue(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 3);

		/* the next sent row with this account and reference (a BEFORE trigger may skip one) */
		for (; i < first + count; i++)
			if (im->rows[i].sent && im->rows[i].account_id == acct && ref && strcmp(im->rows[i].ref, ref) == 0)
			{
				if (!n1)
					im->rows[i].txn_id = txn;
				i++;
				break;
			}
	}
	SPI_freetuptable(SPI_tuptable);
}

/* An error a bad entry cannot cause: a cancel, deadlock, lack of resources, the system. */
static bool
error_is_systemic(const ErrorData *edata)
{
	return edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_TRANSACTION_ROLLBACK ||
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_INSUFFICIENT_RESOURCES ||
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION ||
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_SYSTEM_ERROR ||
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_INTERNAL_ERROR ||
		ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_PROGRAM_LIMIT_EXCEEDED;
}

/*
 * Careful mode: inserts the sent rows among rows[first .. first+count-1] in one statement
 * in a subtransaction; true if it went in; false with reason set on the single row when
 * only one was sent.
 */
static bool
insert_rows(wc_import *im, int first, int count)
{
	MemoryContext oldcontext = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile bool ok = false;
	int			i;
	volatile int nsent = 0;

	for (i = first; i < first + count; i++)
		nsent += im->rows[i].sent;
	if (nsent == 0)
		return true;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcontext);
	PG_TRY();
	{
		insert_sent(im, first, count);
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
		im->inserting = false;
		if (error_is_systemic(edata))
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
 * Careful mode: inserts rows[first .. first+count-1]; a part that fails is halved and each
 * half done again in its own subtransaction, down to the single entry that fails (its
 * reason kept): k bad entries cost about k * log2(count) statements, the good ones go in
 * in order.
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
	ResourceOwner owner = CurrentResourceOwner;

	if (im->n > 0)
	{
		mark_duplicates(im);
		if (im->careful)
			insert_split(im, 0, im->n);
		else
		{
			for (i = 0; i < im->n && !im->rows[i].sent; i++)
				;
			if (i < im->n)
				insert_sent(im, 0, im->n);
		}
	}
	/* the result store outlives the subtransaction we may be in: its file is the function's */
	CurrentResourceOwner = im->owner;
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
	CurrentResourceOwner = owner;
	MemoryContextSwitchTo(old);
	MemoryContextReset(im->batchcxt);
	im->n = 0;
	im->arena_left = 0;
	im->batch_account = NULL;
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
	r->ref = batch_strdup(im, e->field[WCX_F_REF]);
	if (e->account && !(im->batch_account && strcmp(im->batch_account, e->account) == 0))
		im->batch_account = batch_strdup(im, e->account);
	r->account = e->account ? im->batch_account : NULL;
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
		/* the direction and purpose are the profile's strings, kept for the whole import */
		r->direction = (char *) dir;
		r->purpose = (char *) (pur ? pur : (in ? "labour_cost" : "other"));
		r->booked = batch_strdup(im, e->field[WCX_F_BOOKED]);
		r->cp_account = batch_strdup(im, e->field[in ? WCX_F_ACCOUNT_IN : WCX_F_ACCOUNT_OUT]);
		r->cp_name = batch_strdup(im, e->field[in ? WCX_F_NAME_IN : WCX_F_NAME_OUT]);
		r->sent = true;
	}
	MemoryContextSwitchTo(old);
}

static const char *const dup_sql =
"SELECT e.i FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.text[])) "
"       WITH ORDINALITY AS e(account_id, ref, i) "
" WHERE (SELECT true FROM wagecheck.account_txn t WHERE t.account_id OPERATOR(pg_catalog.=) e.account_id "
"           AND t.bank_ref OPERATOR(pg_catalog.=) e.ref LIMIT 1) "
" ORDER BY e.i";

static const char *const insert_sql =
"INSERT INTO wagecheck.account_txn (account_id, direction, amount, counterparty_account, "
"       counterparty_name, purpose, booked_at, bank_ref) "
"SELECT account_id, direction, cents::pg_catalog.numeric OPERATOR(pg_catalog./) 100, cpa, cpn, purpose, "
"       booked::pg_catalog.timestamptz, ref "
"  FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.text[]), "
"         pg_catalog.unnest($3::pg_catalog.int8[]), pg_catalog.unnest($4::pg_catalog.text[]), "
"         pg_catalog.unnest($5::pg_catalog.text[]), pg_catalog.unnest($6::pg_catalog.text[]), "
"         pg_catalog.unnest($7::pg_catalog.text[]), pg_catalog.unnest($8::pg_catalog.text[])) "
"       AS e(account_id, direction, cents, cpa, cpn, purpose, booked, ref) "
"RETURNING txn_id, account_id, bank_ref";

static const char *const account_sql =
"SELECT a.account_id, pg_catalog.pg_advisory_xact_lock(" CppAsString2(WC_IMPORT_LOCK_CLASS) ", "
"       (a.account_id OPERATOR(pg_catalog.%) 2147483647)::pg_catalog.int4) "
"  FROM wagecheck.wage_account a WHERE a.account_no OPERATOR(pg_catalog.=) $1";

/*
 * The next chunk of the large object (wcx_read_fn): lo_read, with its privilege check,
 * called by the reader between two chunks of parsing, never from inside libxml2.
 */
static int
read_lo_chunk(void *arg, char *dst, int cap)
{
	wc_import  *im = arg;
	bytea	   *b = DatumGetByteaPP(DirectFunctionCall2(be_loread, Int32GetDatum(im->lofd), Int32GetDatum(cap)));
	int			n = VARSIZE_ANY_EXHDR(b);

	memcpy(dst, VARDATA_ANY(b), n);
	pfree(b);
	return n;
}

/* Reads the whole document, batch by batch (an error propagates, the reader freed). */
static void
read_document(wc_import *im)
{
	PgXmlErrorContext *cxt;
	wcx_reader *volatile reader = NULL;

	/* a large object is opened (SELECT privilege checked) for each reading */
	if (im->doc == NULL)
		im->lofd = DatumGetInt32(DirectFunctionCall2(be_lo_open, ObjectIdGetDatum(im->lo), Int32GetDatum(INV_READ)));
	cxt = wc_xml_begin();
	PG_TRY();
	{
		char		msg[WCX_MSG_SIZE];
		wcx_entry	e;
		int			rc;

		if (im->doc)
			reader = wcx_reader_open(im->doc, im->len, &im->bp->p, msg, sizeof(msg));
		else
			reader = wcx_reader_open_io(read_lo_chunk, im, NULL, &im->bp->p, msg, sizeof(msg));
		if (reader == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("the bank statement cannot be read"),
					 errdetail("%s (profile %s).", msg, im->profile),
					 errhint("wagecheck reads no document type declaration, entity or external file.")));
		while ((rc = wcx_reader_next(reader, &e)) == WCX_ENTRY)
		{
			CHECK_FOR_INTERRUPTS();
			add_entry(im, im->bp, &e);
			if (im->n == WC_IMPORT_BATCH)
				flush_batch(im);
		}
		if (rc == WCX_ERROR)
		{
			int			line;
			const char *err = wcx_reader_error(reader, &line);

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("the bank statement is not a well-formed document of profile %s", im->profile),
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
	if (im->doc == NULL)
		DirectFunctionCall1(be_lo_close, Int32GetDatum(im->lofd));
}

/*
 * Imports a bank statement (doc, or the large object lo when doc is NULL): one result row
 * per entry (inserted, duplicate or refused). The whole document first goes in in one
 * subtransaction, a statement per batch; if an entry's INSERT fails, that is rolled back,
 * the results so far dropped, and the document read again with each batch in a
 * subtransaction of its own, halved down to the bad entries.
 */
static void
import_statement(FunctionCallInfo fcinfo, text *doc, Oid lo, char *profile)
{
	wc_import  *im;
	wc_bank_profile bp;
	Oid			ins_types[8] = {INT8ARRAYOID, TEXTARRAYOID, INT8ARRAYOID, TEXTARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	Oid			dup_types[2] = {INT8ARRAYOID, TEXTARRAYOID};
	Oid			acct_types[1] = {TEXTOID};
	MemoryContext fncxt = CurrentMemoryContext;
	volatile bool done = false;

	InitMaterializedSRF(fcinfo, 0);
	im = palloc0(sizeof(wc_import));
	im->fncxt = fncxt;
	im->rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	im->owner = CurrentResourceOwner;
	im->batchcxt = AllocSetContextCreate(fncxt, "wagecheck import batch", ALLOCSET_DEFAULT_SIZES);
	im->rows = palloc(sizeof(wc_import_row) * WC_IMPORT_BATCH);
	im->profile = profile;
	im->bp = &bp;
	if (doc)
		im->doc = wc_xml_utf8(doc, &im->len);
	im->lo = lo;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	memset(&bp, 0, sizeof(bp));
	load_profile(profile, &bp, im->fncxt);
	SPI_freetuptable(SPI_tuptable);
	/* generic plans: a custom one would copy the batch's arrays into itself as constants */
	im->insert_plan = SPI_prepare_cursor(insert_sql, 8, ins_types, CURSOR_OPT_GENERIC_PLAN);
	im->dup_plan = SPI_prepare_cursor(dup_sql, 2, dup_types, CURSOR_OPT_GENERIC_PLAN);
	im->account_plan = SPI_prepare(account_sql, 1, acct_types);
	if (im->insert_plan == NULL || im->dup_plan == NULL || im->account_plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));

	/* the whole document in one subtransaction */
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(fncxt);
	PG_TRY();
	{
		read_document(im);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(fncxt);
		CurrentResourceOwner = im->owner;
		done = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(fncxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(fncxt);
		CurrentResourceOwner = im->owner;
		if (!im->inserting || error_is_systemic(edata))
			ReThrowError(edata);
		FreeErrorData(edata);
	}
	PG_END_TRY();

	if (!done)
	{
		/* an entry was refused by the INSERT: again, carefully */
		tuplestore_clear(im->rsinfo->setResult);
		MemoryContextReset(im->batchcxt);
		im->n = 0;
		im->arena_left = 0;
		im->batch_account = NULL;
		im->inserting = false;
		if (im->last_account)
			pfree(im->last_account);
		im->last_account = NULL;
		im->careful = true;
		read_document(im);
	}
	SPI_finish();
	MemoryContextDelete(im->batchcxt);
}

PG_FUNCTION_INFO_V1(wagecheck_import_bank_statement);
/* Imports a bank statement given as text: one result row per entry. */
Datum
wagecheck_import_bank_statement(PG_FUNCTION_ARGS)
{
	import_statement(fcinfo, PG_GETARG_TEXT_PP(0), InvalidOid, text_to_cstring(PG_GETARG_TEXT_PP(1)));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(wagecheck_import_bank_statement_lo);
/* Imports a bank statement stored as a large object, streamed: one result row per entry. */
Datum
wagecheck_import_bank_statement_lo(PG_FUNCTION_ARGS)
{
	import_statement(fcinfo, NULL, PG_GETARG_OID(0), text_to_cstring(PG_GETARG_TEXT_PP(1)));
	return (Datum) 0;
}
