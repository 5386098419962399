/*
 * compat.h — every difference between supported PostgreSQL versions, in one place.
 * Target: PostgreSQL 15 (Debian 12); 16+ adds soft input errors.
 */
#ifndef WAGECHECK_COMPAT_H
#define WAGECHECK_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "wagecheck requires PostgreSQL 15 or later"
#endif

#if PG_VERSION_NUM < 160000
/* PostgreSQL 15 has no soft input errors: report them as hard errors. */
#define WC_ERRSAVE(escontext, ...)	ereport(ERROR, __VA_ARGS__)
#define WC_ESCONTEXT(fcinfo)		((struct Node *) NULL)
#define WC_SOFT_ERROR_OCCURRED(escontext) false
#else
#include "nodes/miscnodes.h"
#define WC_ERRSAVE(escontext, ...)	errsave(escontext, __VA_ARGS__)
#define WC_ESCONTEXT(fcinfo)		((fcinfo)->context)
#define WC_SOFT_ERROR_OCCURRED(escontext) SOFT_ERROR_OCCURRED(escontext)
#endif

/* The live rows the statistics collector counts of a table (renamed in PostgreSQL 16). */
#if PG_VERSION_NUM < 160000
#define WC_TABSTAT_LIVE(entry)		((entry)->n_live_tuples)
#else
#define WC_TABSTAT_LIVE(entry)		((entry)->live_tuples)
#endif

/* The number of a relation's file (RelFileNode became RelFileLocator in PostgreSQL 16). */
#if PG_VERSION_NUM < 160000
#define WC_REL_FILENUMBER(rel)		((rel)->rd_node.relNode)
#else
#define WC_REL_FILENUMBER(rel)		((rel)->rd_locator.relNumber)
#endif

/*
 * On-disk layout of numeric (src/backend/utils/adt/numeric.c), unchanged since
 * PostgreSQL 9.1 because pg_upgrade keeps numeric data as it is: after the
 * varlena header, a uint16 header; short form (bits 15-14 = 10): sign bit 13,
 * weight in bits 6-0 (bit 6 the sign); long form (00 positive, 01 negative): an
 * int16 weight follows; 11 marks NaN and the infinities.  Then int16 base-10000
 * digits.  WC_NUMERIC_DECODE reads a detoasted numeric without calling numeric.c.
 */
#define WC_NUMERIC_DECODE(num, special, neg, weight, digits, ndigits) \
	do { \
		const char *p_ = VARDATA(num); \
		uint16		h_; \
		int			hdr_; \
		memcpy(&h_, p_, sizeof(uint16)); \
		(special) = (h_ & 0xC000) == 0xC000; \
		if ((h_ & 0xC000) == 0x8000) \
		{ \
			(neg) = (h_ & 0x2000) != 0; \
			(weight) = ((h_ & 0x0040) ? ~0x003F : 0) | (h_ & 0x003F); \
			hdr_ = sizeof(uint16); \
		} \
		else \
		{ \
			int16		w_; \
			memcpy(&w_, p_ + sizeof(uint16), sizeof(int16)); \
			(neg) = (h_ & 0xC000) == 0x4000; \
			(weight) = w_; \
			hdr_ = sizeof(uint16) + sizeof(int16); \
		} \
		(digits) = (const int16 *) (p_ + hdr_); \
		(ndigits) = (int) ((VARSIZE(num) - VARHDRSZ - hdr_) / sizeof(int16)); \
	} while (0)

/* make_range() takes a soft-error context since PostgreSQL 16. */
#if PG_VERSION_NUM < 160000
#define WC_MAKE_RANGE(typcache, lower, upper)	make_range((typcache), (lower), (upper), false)
#else
#define WC_MAKE_RANGE(typcache, lower, upper)	make_range((typcache), (lower), (upper), false, NULL)
#endif

#endif							/* WAGECHECK_COMPAT_H */
