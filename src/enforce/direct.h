/*
 * direct.h — reads of wagecheck's tables through one of their btree indexes, and row locks,
 * without a statement: what a trigger of a one-row statement looks up by key (an account, a
 * project, a worker's card, a roster entry, a candidate of outflow_unmatched) costs a probe of
 * an index instead of an SPI statement's plan check, executor start-up and shutdown.
 */
#ifndef WAGECHECK_DIRECT_H
#define WAGECHECK_DIRECT_H

#include "postgres.h"

#include "access/genam.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "utils/hsearch.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

#define WC_DIRECT_MAX_KEYS 3

/* A table of schema wagecheck and one of its btree indexes, opened for direct reads. */
typedef struct wc_direct
{
	Relation	rel;
	Relation	index;
	int			nkeys;			/* the index's key columns */
	RegProcedure eq[WC_DIRECT_MAX_KEYS];	/* the equality function of each key column */
	Oid			coll[WC_DIRECT_MAX_KEYS];
	TupleTableSlot *slot;		/* the row found, deformed on demand */
	IndexScanDesc scan;
	TableScanDesc tscan;		/* a scan of the whole table (wc_direct_scan_begin) */
} wc_direct;

extern bool wc_direct_open(wc_direct *d, const char *table, const char *index, LOCKMODE mode);
extern int	wc_direct_column(wc_direct *d, const char *name, Oid type);
extern void wc_direct_begin(wc_direct *d, Snapshot snapshot, const Datum *key, int nkeys);
extern bool wc_direct_next(wc_direct *d);
extern void wc_direct_end(wc_direct *d);
extern bool wc_direct_first(wc_direct *d, Snapshot snapshot, const Datum *key, int nkeys);
extern void wc_direct_wrote(Relation rel, int64 key, ItemPointer tid);
extern bool wc_direct_first_id(wc_direct *d, Snapshot snapshot, int64 key);
extern bool wc_direct_scan_pays(wc_direct *a, wc_direct *b, long nkeys);
extern void wc_direct_scan_begin(wc_direct *d, Snapshot snapshot);
extern bool wc_direct_scan_next(wc_direct *d);
extern void wc_direct_scan_end(wc_direct *d);
extern HTAB *wc_direct_hash(const char *name, Size keysize, Size entrysize, long n, bool strings);
/* a map of int64 keys (one or two) to an int (wc_idmap_create) */
typedef struct wc_idmap_entry
{
	int64		k0;
	int64		k1;
	int			value;
	bool		used;
} wc_idmap_entry;
typedef struct wc_idmap wc_idmap;

extern wc_idmap *wc_idmap_create(long n);
extern int *wc_idmap_enter(wc_idmap *m, int64 k0, int64 k1, bool *found);
extern int *wc_idmap_find(const wc_idmap *m, int64 k0, int64 k1);
extern long wc_idmap_count(const wc_idmap *m);
extern void wc_idmap_free(wc_idmap *m);
extern TM_Result wc_direct_lock(wc_direct *d, ItemPointer tid, LockTupleMode mode, TM_FailureData *tmfd);
extern void wc_direct_close(wc_direct *d);
extern Snapshot wc_direct_snapshot(void);
extern void wc_direct_snapshot_done(void);

#endif							/* WAGECHECK_DIRECT_H */
