/*
 * keyed.h — reads and writes by primary key without a statement: a summary row found,
 * locked and rewritten in place of an UPDATE the SPI would plan and start; a row of any
 * table read by its key in place of a SELECT.
 */
#ifndef WAGECHECK_KEYED_H
#define WAGECHECK_KEYED_H

#include "postgres.h"

#include "executor/executor.h"
#include "executor/tuptable.h"
#include "utils/rel.h"

#define WC_KEYED_MAX_KEYS 4

/* A derived table opened for keyed writes. */
typedef struct wc_keyed
{
	Relation	rel;
	Relation	pk;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *found;		/* the locked row, deformed */
	TupleTableSlot *next;		/* its new version, filled by the caller */
	int			nkeys;
	AttrNumber	keyatt[WC_KEYED_MAX_KEYS];	/* the key columns' attribute numbers */
	int			kept;			/* 1 + its place among the executor states kept for the transaction; 0: none */
} wc_keyed;

extern Oid	wc_keyed_relid(const char *name);
extern Relation wc_keyed_table_open(const char *name, LOCKMODE lockmode);
extern bool wc_keyed_open(wc_keyed *k, const char *table, int nkeys, const char *const *cols,
						  const Oid *types);
extern bool wc_keyed_open_read(wc_keyed *k, const char *table, int nkeys, const char *const *cols,
							   const Oid *types);
extern int	wc_keyed_column(wc_keyed *k, const char *name, Oid type);
extern bool wc_keyed_read(wc_keyed *k, const Datum *key);
extern bool wc_keyed_lock(wc_keyed *k, const Datum *key);
extern void wc_keyed_update(wc_keyed *k);
extern void wc_keyed_delete(wc_keyed *k);
extern void wc_keyed_new(wc_keyed *k);
extern bool wc_keyed_insert(wc_keyed *k);
extern bool wc_keyed_insert_fresh(wc_keyed *k);
extern bool wc_keyed_lock_read(wc_keyed *k, const Datum *key);
extern bool wc_keyed_share(wc_keyed *k);
extern bool wc_keyed_update_read(wc_keyed *k);
extern void wc_keyed_prepare(wc_keyed *k, bool write);
extern bool wc_keyed_reuse(Oid relid, Oid pk, int nkeys, const AttrNumber *keyatt, wc_keyed *k);
extern void wc_keyed_close(wc_keyed *k);

#endif							/* WAGECHECK_KEYED_H */
