/*
 * key_probe.h — rows of wagecheck's tables read by one bigint column through a btree index
 * (src/alerts/key_probe.c).
 */
#ifndef WAGECHECK_KEY_PROBE_H
#define WAGECHECK_KEY_PROBE_H

#include "postgres.h"

#include "executor/tuptable.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

/* A table opened to read rows by one bigint column through an index. */
typedef struct wc_key_probe
{
	Relation	rel;
	Relation	index;
	TupleTableSlot *slot;
} wc_key_probe;

extern bool wc_key_probe_open(wc_key_probe *p, const char *table, const char *index, const char *col);
extern int	wc_key_probe_column(wc_key_probe *p, const char *name, Oid type);
extern bool wc_key_probe_find(wc_key_probe *p, Snapshot snapshot, int64 key);
extern bool wc_key_probe_get(wc_key_probe *p, int64 key);
extern bool wc_key_probe_ends(wc_key_probe *p, Snapshot snapshot, int64 *lo, int64 *hi);
extern void wc_key_probe_close(wc_key_probe *p);

#endif							/* WAGECHECK_KEY_PROBE_H */
