/*
 * catalog_watch.h — one home for "the catalog changed" in a backend: the caches of
 * catalog facts wagecheck keeps (OIDs, attribute numbers, prepared shapes, verdicts) learn
 * here that a relation's cache entry was invalidated, or a row of a system cache changed.
 *
 * PostgreSQL gives a backend ten relcache callbacks, its own and every library's together
 * (MAX_RELCACHE_CALLBACKS in src/backend/utils/cache/inval.c): wagecheck takes one, here,
 * and fans it out. A cache dropped on any invalidation compares wc_relcache_generation()
 * with the value it was built at; a cache keyed by relation subscribes a function that gets
 * the relid invalidated (InvalidOid: every relation).
 */
#ifndef WAGECHECK_CATALOG_WATCH_H
#define WAGECHECK_CATALOG_WATCH_H

#include "postgres.h"

/* Told that relid's relcache entry was invalidated (InvalidOid: every relation's). */
typedef void (*wc_relcache_fn) (Oid relid);

/* Told that a row of the system cache subscribed to changed. */
typedef void (*wc_syscache_fn) (void);

extern uint64 wc_relcache_generation(void);
extern void wc_relcache_subscribe(wc_relcache_fn fn);
extern void wc_syscache_subscribe(int cacheid, wc_syscache_fn fn);
extern Oid	wc_schema_oid(void);

#endif							/* WAGECHECK_CATALOG_WATCH_H */
