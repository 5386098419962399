/*
 * ident_pg.h — PostgreSQL glue shared by the four identifier types: server-encoding
 * input handed to the plain-C core, errors reported the core way, "today".
 */
#ifndef WC_IDENT_PG_H
#define WC_IDENT_PG_H

#include "compat.h"
#include "lib/stringinfo.h"
#include "core/ident.h"

/* Storage of credit_code: the 11 packed bytes, fixed length, passed by reference. */
#define DatumGetCreditCodeP(d)		((wc_credit_code *) DatumGetPointer(d))
#define PG_GETARG_CREDIT_CODE_P(n)	DatumGetCreditCodeP(PG_GETARG_DATUM(n))

extern wc_ident_status wc_ident_compact_server(const char *str, size_t len, wc_compact *c,
											   char *detail);
extern void wc_ident_report(const char *typname, const char *str, size_t len,
							wc_ident_status st, const char *detail, struct Node *escontext);
extern bool wc_ident_recv_canonical(StringInfo buf, wc_compact *c);
extern void wc_ident_report_recv(const char *typname, const char *detail);
extern int32 wc_today_ymd(void);

#endif							/* WC_IDENT_PG_H */
