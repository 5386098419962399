/*
 * wagecheck.c — module entry: PG_MODULE_MAGIC, GUC registration, version.
 *
 * Each domain area lives in its own folder of src/ (ident, calendar, enforce,
 * alerts, cases, ...); plain-C cores without postgres.h live in src/core/.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "alerts/alerts.h"
#include "calendar/calendar.h"
#include "compat.h"
#include "indicators/indicators.h"
#include "interchange/interchange.h"
#include "wagecheck.h"
#include "enforce/enforce.h"
#include "nls.h"
#include "core/ident.h"

PG_MODULE_MAGIC;

/* A text in wagecheck's catalogue, for the plain-C parsers' details (core/ident.h). */
static const char *
wc_translate(const char *fmt)
{
	return _(fmt);
}

void		_PG_init(void);

/* Registers wagecheck's GUCs and per-area hooks when the library loads. */
void
_PG_init(void)
{
	pg_bindtextdomain(TEXTDOMAIN);
	wc_ident_translate = wc_translate;
	wc_enforce_guc_init();
	wc_alerts_init();
	MarkGUCPrefixReserved("wagecheck");
	wc_calendar_init();
	wc_indicators_init();
	wc_interchange_init();
}

PG_FUNCTION_INFO_V1(wagecheck_version);
/* Version of the loaded shared library, to compare with the installed SQL. */
Datum
wagecheck_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(WAGECHECK_VERSION));
}

/* psprintf() of the translation of fmt in wagecheck's catalogue (see nls.h). */
char *
wc_psprintf(const char *fmt,...)
{
	const char *translated = _(fmt);
	StringInfoData buf;

	initStringInfo(&buf);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&buf, translated, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	return buf.data;
}
