/*
 * scan_guard.c — how far ahead of now() wagecheck.scan() may be asked to look
 * (wagecheck.scan_future_tolerance).
 *
 * A forward scan moves each rule's high-water mark (rule_scan.scanned_to) to its
 * as_of, and every later scan before that mark is a replay that writes nothing: one
 * scan as of a moment far in the future would leave the engine frozen until then.
 * scan() refuses a moment beyond now() plus this tolerance.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "alerts/alerts.h"

/* seconds a scan's as_of may lie ahead of now() (clock skew of a caller passing its own time) */
static int	scan_future_tolerance = 300;

/* Registers the alert engine's GUCs; called once from _PG_init. */
void
wc_alerts_init(void)
{
	DefineCustomIntVariable("wagecheck.scan_future_tolerance",
							gettext_noop("How far ahead of now() wagecheck.scan() may be asked to scan."),
							gettext_noop("A forward scan moves every rule to its moment; a scan beyond now() plus this is refused."),
							&scan_future_tolerance, 300, 0, 3650 * 86400,
							PGC_SUSET, GUC_UNIT_S, NULL, NULL, NULL);
}

PG_FUNCTION_INFO_V1(wagecheck_scan_future_limit);
/* The latest moment a scan accepts: the transaction's now() plus wagecheck.scan_future_tolerance. */
Datum
wagecheck_scan_future_limit(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(GetCurrentTransactionStartTimestamp()
						  + (TimestampTz) scan_future_tolerance * USECS_PER_SEC);
}
