/*
 * ident_compare.c — comparison, hashing and sort support of the identifier types.
 * resident_id and bank_card share the int64 family, division_code the int32 one:
 * their stored values order as the types should. credit_code compares its packed
 * bytes, whose order is text order.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/sortsupport.h"

#include "ident/ident_pg.h"

/* Three-way comparison of two int64 values. */
static inline int
cmp_int64(int64 a, int64 b)
{
	return (a > b) - (a < b);
}

/* Folds an int64 into 32 bits the way hashint8 does, so equal values hash alike. */
static inline uint32
fold_int64(int64 v)
{
	uint32		lo = (uint32) v;
	uint32		hi = (uint32) (v >> 32);

	return lo ^ (v >= 0 ? hi : ~hi);
}

PG_FUNCTION_INFO_V1(wc_ident_int8_eq);
/* = for resident_id and bank_card. */
Datum
wc_ident_int8_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) == PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int8_ne);
/* <> for resident_id and bank_card. */
Datum
wc_ident_int8_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) != PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int8_lt);
/* < for resident_id and bank_card. */
Datum
wc_ident_int8_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) < PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int8_le);
/* <= for resident_id and bank_card. */
Datum
wc_ident_int8_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) <= PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int8_gt);
/* > for resident_id and bank_card. */
Datum
wc_ident_int8_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) > PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int8_ge);
/* >= for resident_id and bank_card. */
Datum
wc_ident_int8_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) >= PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int8_cmp);
/* btree support 1 for resident_id and bank_card. */
Datum
wc_ident_int8_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(cmp_int64(PG_GETARG_INT64(0), PG_GETARG_INT64(1)));
}

#if SIZEOF_DATUM < 8
/* Sort comparator where an int64 Datum is a pointer. */
static int
int8_fastcmp(Datum a, Datum b, SortSupport ssup)
{
	return cmp_int64(DatumGetInt64(a), DatumGetInt64(b));
}
#endif

PG_FUNCTION_INFO_V1(wc_ident_int8_sortsupport);
/* btree support 2 for resident_id and bank_card: the core's signed Datum comparator. */
Datum
wc_ident_int8_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

#if SIZEOF_DATUM >= 8
	ssup->comparator = ssup_datum_signed_cmp;
#else
	ssup->comparator = int8_fastcmp;
#endif
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(wc_ident_int8_hash);
/* hash support 1 for resident_id and bank_card. */
Datum
wc_ident_int8_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32(fold_int64(PG_GETARG_INT64(0)));
}

PG_FUNCTION_INFO_V1(wc_ident_int8_hash_extended);
/* hash support 2 (seeded 64-bit hash) for resident_id and bank_card. */
Datum
wc_ident_int8_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended(fold_int64(PG_GETARG_INT64(0)), PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_eq);
/* = for division_code. */
Datum
wc_ident_int4_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT32(0) == PG_GETARG_INT32(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_ne);
/* <> for division_code. */
Datum
wc_ident_int4_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT32(0) != PG_GETARG_INT32(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_lt);
/* < for division_code. */
Datum
wc_ident_int4_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT32(0) < PG_GETARG_INT32(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_le);
/* <= for division_code. */
Datum
wc_ident_int4_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT32(0) <= PG_GETARG_INT32(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_gt);
/* > for division_code. */
Datum
wc_ident_int4_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT32(0) > PG_GETARG_INT32(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_ge);
/* >= for division_code. */
Datum
wc_ident_int4_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT32(0) >= PG_GETARG_INT32(1));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_cmp);
/* btree support 1 for division_code. */
Datum
wc_ident_int4_cmp(PG_FUNCTION_ARGS)
{
	int32		a = PG_GETARG_INT32(0);
	int32		b = PG_GETARG_INT32(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_sortsupport);
/* btree support 2 for division_code: the core's int32 Datum comparator. */
Datum
wc_ident_int4_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = ssup_datum_int32_cmp;
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(wc_ident_int4_hash);
/* hash support 1 for division_code. */
Datum
wc_ident_int4_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_INT32(0));
}

PG_FUNCTION_INFO_V1(wc_ident_int4_hash_extended);
/* hash support 2 (seeded 64-bit hash) for division_code. */
Datum
wc_ident_int4_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_INT32(0), PG_GETARG_INT64(1));
}

/* Three-way comparison of two packed credit codes. */
static inline int
cmp_credit(Datum a, Datum b)
{
	return memcmp(DatumGetCreditCodeP(a)->b, DatumGetCreditCodeP(b)->b, WC_CREDIT_CODE_BYTES);
}

PG_FUNCTION_INFO_V1(wc_credit_code_eq);
/* = for credit_code. */
Datum
wc_credit_code_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_credit(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) == 0);
}

PG_FUNCTION_INFO_V1(wc_credit_code_ne);
/* <> for credit_code. */
Datum
wc_credit_code_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_credit(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) != 0);
}

PG_FUNCTION_INFO_V1(wc_credit_code_lt);
/* < for credit_code. */
Datum
wc_credit_code_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_credit(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) < 0);
}

PG_FUNCTION_INFO_V1(wc_credit_code_le);
/* <= for credit_code. */
Datum
wc_credit_code_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_credit(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) <= 0);
}

PG_FUNCTION_INFO_V1(wc_credit_code_gt);
/* > for credit_code. */
Datum
wc_credit_code_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_credit(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) > 0);
}

PG_FUNCTION_INFO_V1(wc_credit_code_ge);
/* >= for credit_code. */
Datum
wc_credit_code_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_credit(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) >= 0);
}

PG_FUNCTION_INFO_V1(wc_credit_code_cmp);
/* btree support 1 for credit_code. */
Datum
wc_credit_code_cmp(PG_FUNCTION_ARGS)
{
	int			c = cmp_credit(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1));

	PG_RETURN_INT32((c > 0) - (c < 0));
}

/* Sort comparator for credit_code. */
static int
credit_fastcmp(Datum a, Datum b, SortSupport ssup)
{
	return cmp_credit(a, b);
}

PG_FUNCTION_INFO_V1(wc_credit_code_sortsupport);
/* btree support 2 for credit_code. */
Datum
wc_credit_code_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = credit_fastcmp;
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(wc_credit_code_hash);
/* hash support 1 for credit_code. */
Datum
wc_credit_code_hash(PG_FUNCTION_ARGS)
{
	return hash_any(PG_GETARG_CREDIT_CODE_P(0)->b, WC_CREDIT_CODE_BYTES);
}

PG_FUNCTION_INFO_V1(wc_credit_code_hash_extended);
/* hash support 2 (seeded 64-bit hash) for credit_code. */
Datum
wc_credit_code_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended(PG_GETARG_CREDIT_CODE_P(0)->b, WC_CREDIT_CODE_BYTES,
							 PG_GETARG_INT64(1));
}
