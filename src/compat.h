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

#endif							/* WAGECHECK_COMPAT_H */
