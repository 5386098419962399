/*
 * wagecheck.c — module entry: PG_MODULE_MAGIC, GUC registration, version.
 *
 * Each domain area lives in its own folder of src/ (ident, calendar, enforce,
 * alerts, cases, ...); plain-C cores without postgres.h live in src/core/.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "alerts/alerts.h"
#include "calendar/calendar.h"
#include "compat.h"
#include "indicators/indicators.h"
#include "wagecheck.h"
#include "enforce/enforce.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Registers wagecheck's GUCs and per-area hooks when the library loads. */
void
_PG_init(void)
{
	wc_enforce_guc_init();
	wc_alerts_init();
	MarkGUCPrefixReserved("wagecheck");
	wc_calendar_init();
	wc_indicators_init();
}

PG_FUNCTION_INFO_V1(wagecheck_version);
/* Version of the loaded shared library, to compare with the installed SQL. */
Datum
wagecheck_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(WAGECHECK_VERSION));
}
