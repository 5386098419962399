/*
 * indicator_state.c — glue shared by the indicator aggregates: the internal
 * state in the aggregate memory context, its combine/serial/deserial functions
 * (one set for every indicator: the state says which one it is), and the exact
 * conversions between numeric and int64 cents.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "compat.h"
#include "indicators/indicators.h"
#include "nls.h"

/* Core allocator over a memory context (huge allocations allowed, errors thrown). */
static void *
ind_grow(void *old, size_t size, void *arg)
{
	if (size > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("indicator state too large"),
				 errdetail("The state of one group would need %zu bytes.", size),
				 errhint("Group by a finer key (project, month) to keep each group smaller.")));
	if (old == NULL)
		return MemoryContextAllocHuge((MemoryContext) arg, size);
	return repalloc_huge(old, size);
}

/* Turns a core result code into the matching ereport; returns on WC_IND_OK. */
void
wc_ind_check(wc_ind_rc rc, const char *aggname)
{
	switch (rc)
	{
		case WC_IND_OK:
			return;
		case WC_IND_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: amount out of range", aggname),
					 errdetail("Totals are kept in whole cents as 64-bit integers (at most 92233720368547758.07).")));
			break;
		case WC_IND_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: amounts must not be negative", aggname),
					 errhint("Corrections are new pay lines or transactions, not negative amounts.")));
			break;
		case WC_IND_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: amount must be a finite number", aggname)));
			break;
		case WC_IND_FRACTION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: amount has fractions of a cent", aggname),
					 errhint("Round amounts to 2 decimal places (money columns are numeric(14,2)).")));
			break;
		case WC_IND_AS_OF:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: as_of must be the same for every row of a group", aggname)));
			break;
		case WC_IND_CORRUPT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid indicator state"),
					 errdetail("The bytes are not a serialised wagecheck indicator state.")));
			break;
		case WC_IND_KIND:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator states of different aggregates cannot be combined")));
			break;
		case WC_IND_NOMEM:
			elog(ERROR, "indicator state allocation failed");
	}
}

/* True when one of arguments 1..nargs is NULL: such a row leaves the group's state as it is. */
bool
wc_ind_row_has_null(FunctionCallInfo fcinfo, int nargs, const char *aggname)
{
	for (int i = 1; i <= nargs; i++)
	{
		if (PG_ARGISNULL(i))
		{
			if (!AggCheckCallContext(fcinfo, NULL))
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("%s transition function called in non-aggregate context", aggname)));
			return true;
		}
	}
	return false;
}

/* The transition's result for a skipped row: the state passed in, NULL before the first row. */
Datum
wc_ind_unchanged(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

/* The state of a final call, checked to be of KIND, and the row type to build the result in. */
wc_ind_state *
wc_ind_final_state(FunctionCallInfo fcinfo, wc_ind_kind kind, const char *aggname, TupleDesc *tupdesc)
{
	wc_ind_state *st = (wc_ind_state *) PG_GETARG_POINTER(0);

	if (st->kind != kind)
		wc_ind_check(WC_IND_KIND, aggname);
	if (get_call_result_type(fcinfo, NULL, tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s: return type must be a row type", aggname);
	return st;
}

/* The group's state for a transition call, created on first use in the aggregate context. */
wc_ind_state *
wc_ind_state_get(FunctionCallInfo fcinfo, wc_ind_kind kind, const char *aggname)
{
	MemoryContext aggcxt;
	wc_ind_state *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s transition function called in non-aggregate context", aggname)));
	if (!PG_ARGISNULL(0))
		return (wc_ind_state *) PG_GETARG_POINTER(0);
	st = MemoryContextAlloc(aggcxt, sizeof(wc_ind_state));
	wc_ind_init(st, kind, ind_grow, aggcxt);
	return st;
}

/*
 * Cents of a numeric stored inline and uncompressed (as a table's numeric(14,2) is, with a
 * one-byte header), read where it lies: its few digits copied to an aligned buffer, no
 * detoasted copy. False when it is not such a value or not whole cents in range.
 */
static bool
inline_cents(Datum num, int64_t *cents)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(num);
	const char *p;
	size_t		len;
	uint16		h;
	int			hdr,
				weight,
				ndigits;
	bool		neg;
	int16		digits[16];

	if (!VARATT_IS_SHORT(v) && !VARATT_IS_4B_U(v))
		return false;			/* compressed or out of line */
	p = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	if (len < sizeof(uint16))
		return false;
	memcpy(&h, p, sizeof(uint16));
	if ((h & 0xC000) == 0xC000)
		return false;			/* NaN or an infinity */
	if ((h & 0xC000) == 0x8000)
	{
		neg = (h & 0x2000) != 0;
		weight = ((h & 0x0040) ? ~0x003F : 0) | (h & 0x003F);
		hdr = sizeof(uint16);
	}
	else
	{
		int16		w;

		if (len < 2 * sizeof(uint16))
			return false;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		neg = (h & 0xC000) == 0x4000;
		weight = w;
		hdr = 2 * sizeof(uint16);
	}
	ndigits = (int) ((len - hdr) / sizeof(int16));
	if (ndigits > (int) lengthof(digits))
		return false;
	memcpy(digits, p + hdr, ndigits * sizeof(int16));
	return wc_money_from_nbase(neg, weight, digits, ndigits, cents) == WC_IND_OK;
}

/* Exact cents of a numeric argument (22003 beyond int64 cents, 22023 for sub-cent or NaN). */
int64
wc_ind_cents(Datum num, const char *aggname, const char *argname)
{
	Numeric		n;
	bool		special,
				neg;
	int			weight,
				ndigits;
	const int16 *digits;
	int64_t		cents = 0;
	wc_ind_rc	rc;
	char	   *s;

	/* fastest path: a value stored inline, read where it lies */
	if (inline_cents(num, &cents))
		return cents;
	/* fast path: read the digits in place; the text form only for messages */
	n = DatumGetNumeric(num);
	WC_NUMERIC_DECODE(n, special, neg, weight, digits, ndigits);
	rc = special ? WC_IND_SYNTAX : wc_money_from_nbase(neg, weight, digits, ndigits, &cents);
	if ((Pointer) n != DatumGetPointer(num))
		pfree(n);
	if (rc == WC_IND_OK)
		return cents;
	s = DatumGetCString(DirectFunctionCall1(numeric_out, num));
	rc = wc_money_parse(s, &cents);

	if (rc == WC_IND_FRACTION || rc == WC_IND_SYNTAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s %s is not an amount in whole cents", aggname, argname, s),
				 errhint("Round amounts to 2 decimal places (money columns are numeric(14,2)).")));
	if (rc == WC_IND_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: %s %s is out of range", aggname, argname, s)));
	pfree(s);
	return cents;
}

/* numeric with scale 2 for cents. */
Datum
wc_ind_numeric(int64 cents)
{
	return NumericGetDatum(int64_div_fast_to_numeric(cents, 2));
}

/* Day number of a finite date (22008 for infinity). */
int32
wc_ind_day(DateADT d, const char *aggname, const char *argname)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s: %s must be a finite date", aggname, argname)));
	return (int32) d;
}

/* Month index (year * 12 + month - 1) of a finite date. */
int64
wc_ind_month(DateADT d, const char *aggname, const char *argname)
{
	int			y,
				m,
				day;

	j2date(wc_ind_day(d, aggname, argname) + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return (int64) y * 12 + m - 1;
}

/* First day of the month with the given index. */
DateADT
wc_ind_month_date(int64 month)
{
	int			y = (int) (month >= 0 ? month / 12 : -((-month + 11) / 12));
	int			m = (int) (month - (int64) y * 12) + 1;

	return date2j(y, m, 1) - POSTGRES_EPOCH_JDATE;
}

PG_FUNCTION_INFO_V1(wc_indicator_combine);
/* Combine function of every indicator aggregate: merges two partial states exactly. */
Datum
wc_indicator_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	wc_ind_state *dst;
	wc_ind_state *src;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("indicator combine function called in non-aggregate context")));
	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));	/* may be NULL too */
	src = (wc_ind_state *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		dst = MemoryContextAlloc(aggcxt, sizeof(wc_ind_state));
		wc_ind_init(dst, (wc_ind_kind) src->kind, ind_grow, aggcxt);
	}
	else
		dst = (wc_ind_state *) PG_GETARG_POINTER(0);
	wc_ind_check(wc_ind_merge(dst, src), "indicator combine");
	PG_RETURN_POINTER(dst);
}

PG_FUNCTION_INFO_V1(wc_indicator_serial);
/* Serial function of every indicator aggregate: the state's portable bytes. */
Datum
wc_indicator_serial(PG_FUNCTION_ARGS)
{
	wc_ind_state *st = (wc_ind_state *) PG_GETARG_POINTER(0);
	size_t		len;
	bytea	   *out;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("indicator serial function called in non-aggregate context")));
	wc_ind_check(wc_ind_compact(st), "indicator serial");
	len = wc_ind_serial_size(st);
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("indicator state too large to pass to a parallel worker")));
	out = palloc(len + VARHDRSZ);
	SET_VARSIZE(out, len + VARHDRSZ);
	wc_ind_check(wc_ind_serialize(st, (unsigned char *) VARDATA(out), len), "indicator serial");
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(wc_indicator_deserial);
/* Deserial function of every indicator aggregate: validates the bytes fully. */
Datum
wc_indicator_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(in);
	size_t		len = VARSIZE_ANY_EXHDR(in);
	wc_ind_state *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("indicator deserial function called in non-aggregate context")));
	if (len < 5)
		wc_ind_check(WC_IND_CORRUPT, "indicator deserial");
	st = palloc(sizeof(wc_ind_state));
	wc_ind_init(st, (wc_ind_kind) p[4], ind_grow, CurrentMemoryContext);
	wc_ind_check(wc_ind_deserialize(st, p, len), "indicator deserial");
	PG_RETURN_POINTER(st);
}
