/*
 * catalog_watch.c — the one relcache callback of wagecheck (and one syscache callback for
 * each system cache a cache of wagecheck needs to hear of), fanned out to the functions
 * subscribed (see catalog_watch.h).
 *
 * Subscribing is done by a cache before it first looks anything up (or by its area when the
 * library loads), and is idempotent: a function is told once per invalidation however many
 * times it subscribed. The callbacks run while invalidations are processed: a subscriber
 * only marks what it keeps as stale (it may not raise an error, nor read the catalogs).
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "utils/inval.h"
#include "utils/syscache.h"

#include "catalog_watch.h"

/* Room for the subscribers: the caches of wagecheck are a fixed set, well under these. */
#define WATCH_RELCACHE_SUBSCRIBERS 16
#define WATCH_SYSCACHE_SUBSCRIBERS 8

/* The relcache invalidations processed since the callback was registered (never 0: 0 may mean "never built"). */
static uint64 generation = 1;
static bool relcache_registered = false;
static wc_relcache_fn rel_subscribers[WATCH_RELCACHE_SUBSCRIBERS];
static int	nrel_subscribers = 0;

static struct
{
	int			cacheid;
	wc_syscache_fn fn;
}			sys_subscribers[WATCH_SYSCACHE_SUBSCRIBERS];
static int	nsys_subscribers = 0;

/* relcache_changed: the relcache callback: counted, and told to every subscriber. */
static void
relcache_changed(Datum arg, Oid relid)
{
	generation++;
	for (int i = 0; i < nrel_subscribers; i++)
		rel_subscribers[i] (relid);
}

/* watch_relcache: registers the relcache callback (once per backend). */
static void
watch_relcache(void)
{
	if (!relcache_registered)
	{
		CacheRegisterRelcacheCallback(relcache_changed, (Datum) 0);
		relcache_registered = true;
	}
}

/*
 * wc_relcache_generation: the count of relcache invalidations (of any relation) this backend
 * has processed; what was found of the catalogs while it stayed the same still holds. Starts
 * counting at the first call.
 */
uint64
wc_relcache_generation(void)
{
	watch_relcache();
	return generation;
}

/* wc_relcache_subscribe: fn is told of every relcache invalidation from now on. */
void
wc_relcache_subscribe(wc_relcache_fn fn)
{
	watch_relcache();
	for (int i = 0; i < nrel_subscribers; i++)
		if (rel_subscribers[i] == fn)
			return;
	if (nrel_subscribers == WATCH_RELCACHE_SUBSCRIBERS)
		elog(ERROR, "wagecheck: more than %d subscribers of relcache invalidations", WATCH_RELCACHE_SUBSCRIBERS);
	rel_subscribers[nrel_subscribers++] = fn;
}

/* syscache_changed: the syscache callback: told to the subscribers of that cache. */
static void
syscache_changed(Datum arg, int cacheid, uint32 hashvalue)
{
	for (int i = 0; i < nsys_subscribers; i++)
		if (sys_subscribers[i].cacheid == cacheid)
			sys_subscribers[i].fn();
}

/*
 * wc_syscache_subscribe: fn is told of every change of a row of system cache cacheid (a
 * SysCacheIdentifier: NAMESPACEOID, PROCOID, ...) from now on; one callback per cache.
 */
void
wc_syscache_subscribe(int cacheid, wc_syscache_fn fn)
{
	bool		watched = false;

	for (int i = 0; i < nsys_subscribers; i++)
		if (sys_subscribers[i].cacheid == cacheid)
		{
			if (sys_subscribers[i].fn == fn)
				return;
			watched = true;
		}
	if (nsys_subscribers == WATCH_SYSCACHE_SUBSCRIBERS)
		elog(ERROR, "wagecheck: more than %d subscribers of syscache invalidations", WATCH_SYSCACHE_SUBSCRIBERS);
	if (!watched)
		CacheRegisterSyscacheCallback(cacheid, syscache_changed, (Datum) 0);
	sys_subscribers[nsys_subscribers].cacheid = cacheid;
	sys_subscribers[nsys_subscribers].fn = fn;
	nsys_subscribers++;
}

/* The OID of schema wagecheck as last looked up (InvalidOid: look it up). */
static Oid	schema_oid = InvalidOid;

/* schema_changed: a row of pg_namespace changed: the schema looked up again at the next call. */
static void
schema_changed(void)
{
	schema_oid = InvalidOid;
}

/*
 * wc_schema_oid: the OID of schema wagecheck (InvalidOid when there is none), without a
 * catalog lookup per call: looked up again only after a change of pg_namespace (the extension
 * dropped and created again, the schema renamed).
 */
Oid
wc_schema_oid(void)
{
	if (!OidIsValid(schema_oid))
	{
		wc_syscache_subscribe(NAMESPACEOID, schema_changed);
		schema_oid = get_namespace_oid("wagecheck", true);
	}
	return schema_oid;
}
