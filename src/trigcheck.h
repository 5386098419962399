/*
 * trigcheck.h — the checks every C trigger of wagecheck makes before it reads a
 * row: called by the trigger manager, at the timing, level and events it was
 * written for, on the relation it was written for, and each column it reads
 * present under its name with the type it expects.
 */
#ifndef WAGECHECK_TRIGCHECK_H
#define WAGECHECK_TRIGCHECK_H

#include "postgres.h"

#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/relcache.h"

/* When a trigger may fire: OR of one timing, one level and the events allowed. */
#define WC_TG_BEFORE		0x0001
#define WC_TG_AFTER			0x0002
#define WC_TG_ROW			0x0010
#define WC_TG_STATEMENT		0x0020
#define WC_TG_INSERT		0x0100
#define WC_TG_UPDATE		0x0200
#define WC_TG_DELETE		0x0400
#define WC_TG_TRUNCATE		0x0800

/* A cached relation OID of a wagecheck table, looked up again after any relcache invalidation. */
typedef struct wc_table_ref
{
	const char *name;			/* table of schema wagecheck */
	Oid			relid;			/* InvalidOid until looked up */
	uint64		generation;		/* wc_relcache_generation() when looked up */
} wc_table_ref;

#define WC_TABLE_REF(name) {(name), InvalidOid, 0}

extern char *wc_rel_label(Relation rel);
extern TriggerData *wc_trigger_data(FunctionCallInfo fcinfo, const char *fn);
extern void wc_trigger_when(TriggerData *td, const char *fn, int allowed, const char *usage);
extern void wc_trigger_on_table(TriggerData *td, const char *fn, wc_table_ref *table);
extern int	wc_trigger_on_tables(TriggerData *td, const char *fn, wc_table_ref *tables, int n,
								 const char *names);
extern void wc_trigger_on_own_table(TriggerData *td, const char *fn);
extern void wc_trigger_plain_table(TriggerData *td, const char *fn);
extern int	wc_trigger_column(TriggerData *td, const char *fn, const char *column, Oid typid);
extern int	wc_rel_column(Relation rel, const char *name, Oid type);
extern void wc_trigger_transitions(TriggerData *td, const char *fn, Tuplestorestate **olds,
								   Tuplestorestate **news);

#endif							/* WAGECHECK_TRIGCHECK_H */
