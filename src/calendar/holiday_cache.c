/*
 * holiday_cache.c — the per-backend cache of wagecheck.holiday and its invalidation.
 *
 * The table is read once into a sorted array (binary-searched by src/core/workday.c).
 * A statement-level trigger on the table calls CacheInvalidateRelcacheByRelid, so
 * every change queues a relcache invalidation of wagecheck.holiday: this backend
 * processes it at the end of the changing command (or at rollback), the others at
 * their next transaction after the commit; the subscriber of the relcache
 * invalidations subscribed here (src/catalog_watch.c) then marks the cache stale and
 * the next call reloads it.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "calendar/calendar.h"
#include "catalog_watch.h"
#include "trigcheck.h"
#include "nls.h"

#define MAX_YEAR 9999			/* wagecheck.holiday holds years 1..9999 */

static WcOverride *cache_ov;	/* in TopMemoryContext */
static WcWorkCalendar cache_cal;
static bool cache_valid;
static Oid	cache_relid = InvalidOid;
static uint64 cache_inval_count;	/* bumped by every invalidation */
static uint8 covered[MAX_YEAR / 8 + 1];	/* years with at least one row */
static uint8 noticed[MAX_YEAR / 8 + 1];	/* years already reported as missing */
static bool noticed_far;		/* a year outside 1..9999 was reported */

#define BIT_GET(map, y) (((map)[(y) / 8] >> ((y) % 8)) & 1)
#define BIT_SET(map, y) ((map)[(y) / 8] |= (uint8) (1 << ((y) % 8)))

/* Marks the cache stale when wagecheck.holiday (or everything) is invalidated. */
static void
holiday_invalidate(Oid relid)
{
	if (relid == InvalidOid || relid == cache_relid)
	{
		cache_valid = false;
		cache_inval_count++;
	}
}

/* Subscribes to the relcache invalidations that keep the holiday cache fresh. */
void
wc_calendar_init(void)
{
	wc_relcache_subscribe(holiday_invalidate);
}

/* Reads wagecheck.holiday into a new sorted array and the covered-year map. */
static void
holiday_load(void)
{
	Oid			nsp = get_namespace_oid("wagecheck", false);
	Oid			relid = get_relname_relid("holiday", nsp);
	uint64		inval_before;
	WcOverride *ov;
	uint64		n;
	int			k = 0;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"wagecheck.holiday\" does not exist"),
				 errhint("Reinstall the extension: DROP EXTENSION wagecheck; CREATE EXTENSION wagecheck.")));
	cache_relid = relid;
	inval_before = cache_inval_count;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT day, kind OPERATOR(pg_catalog.=) 'work'::pg_catalog.text"
					" FROM wagecheck.holiday ORDER BY day", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot read wagecheck.holiday");
	n = SPI_processed;
	if (n > (uint64) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("wagecheck.holiday has too many rows")));
	ov = MemoryContextAllocHuge(TopMemoryContext, mul_size(Max(n, 1), sizeof(WcOverride)));
	memset(covered, 0, sizeof(covered));
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull1,
					isnull2;
		DateADT		day = DatumGetDateADT(SPI_getbinval(tup, desc, 1, &isnull1));
		bool		work = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull2));
		int			y,
					m,
					d;

		if (isnull1 || isnull2 || DATE_NOT_FINITE(day))
			continue;			/* the table's constraints exclude these */
		ov[k].day = day;
		ov[k].work = work;
		k++;
		wc_ymd_from_day(day, &y, &m, &d);
		if (y >= 1 && y <= MAX_YEAR)
			BIT_SET(covered, y);
	}
	SPI_finish();

	if (cache_ov)
		pfree(cache_ov);
	cache_ov = ov;
	cache_cal.ov = ov;
	cache_cal.n = k;
	/* an invalidation that arrived while reading means: read again next time */
	cache_valid = (cache_inval_count == inval_before);
}

/* The holiday overrides of this backend, loaded on first use after a change. */
const WcWorkCalendar *
wc_holiday_calendar(void)
{
	if (!cache_valid)
		holiday_load();
	return &cache_cal;
}

/* Appends "y" or "y1-y2" to a list of missing years. */
static void
append_years(StringInfo buf, int first, int last)
{
	if (buf->len > 0)
		appendStringInfoString(buf, ", ");
	if (first == last)
		appendStringInfo(buf, "%d", first);
	else
		appendStringInfo(buf, "%d-%d", first, last);
}

/* Reports, once per backend and year, years of from..to without holiday rows. */
void
wc_holiday_note_years(int32 from, int32 to)
{
	int			y1,
				y2,
				m,
				d,
				run = 0;
	StringInfoData buf;

	wc_ymd_from_day(Min(from, to), &y1, &m, &d);
	wc_ymd_from_day(Max(from, to), &y2, &m, &d);
	initStringInfo(&buf);
	if ((y1 < 1 || y2 > MAX_YEAR) && !noticed_far)
	{
		noticed_far = true;
		appendStringInfoString(&buf, "years outside 1-9999");
	}
	for (int y = Max(y1, 1); y <= Min(y2, MAX_YEAR); y++)
	{
		bool		report = !BIT_GET(covered, y) && !BIT_GET(noticed, y);

		if (report)
		{
			BIT_SET(noticed, y);
			if (run == 0)
				run = y;
		}
		if (run != 0 && (!report || y == Min(y2, MAX_YEAR)))
		{
			append_years(&buf, run, report ? y : y - 1);
			run = 0;
		}
	}
	if (buf.len > 0)
		ereport(NOTICE,
				(errmsg("wagecheck.holiday has no holiday arrangement for %s: Saturday and Sunday are taken as the rest days",
						buf.data),
				 errhint("Add the State Council's holiday arrangement for that year to wagecheck.holiday.")));
	pfree(buf.data);
}

PG_FUNCTION_INFO_V1(wagecheck_holiday_changed);
/* Statement trigger on wagecheck.holiday: invalidates every backend's holiday cache. */
Datum
wagecheck_holiday_changed(PG_FUNCTION_ARGS)
{
	static wc_table_ref holiday = WC_TABLE_REF("holiday");
	TriggerData *trigdata = wc_trigger_data(fcinfo, "wagecheck.holiday_changed()");

	wc_trigger_when(trigdata, "wagecheck.holiday_changed()",
					WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE | WC_TG_TRUNCATE,
					gettext_noop("an AFTER ... FOR EACH STATEMENT"));
	wc_trigger_on_table(trigdata, "wagecheck.holiday_changed()", &holiday);
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}
