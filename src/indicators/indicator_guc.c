/*
 * indicator_guc.c — settings of the indicators area (wagecheck.deposit_rate,
 * wagecheck.timezone).
 */
#include "postgres.h"

#include "pgtime.h"
#include "utils/guc.h"

#include "indicators/indicators.h"

static double wc_deposit_rate = 0.02;
static char *wc_timezone = NULL;

/* check hook of wagecheck.timezone: a time zone the server knows, by name. */
static bool
wc_check_timezone(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || (*newval)[0] == '\0' || pg_tzset(*newval) == NULL)
	{
		GUC_check_errdetail("Time zone \"%s\" is not recognized.", *newval ? *newval : "");
		GUC_check_errhint("Give a time zone name of the IANA database, such as Asia/Shanghai.");
		return false;
	}
	return true;
}

/* Registers the indicators' GUCs; called once from _PG_init. */
void
wc_indicators_init(void)
{
	DefineCustomRealVariable("wagecheck.deposit_rate",
							 gettext_noop("Wage guarantee deposit rate, as a share of the contract value."),
							 gettext_noop("Used by the indicator views for the deposit required (人社部发〔2021〕65号: 1%-3%, set per province)."),
							 &wc_deposit_rate, 0.02, 0.0, 1.0,
							 PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("wagecheck.timezone",
							   gettext_noop("Time zone of the local-time columns of the views for BI tools."),
							   gettext_noop("The *_local columns beside the timestamptz ones show the moment in this zone, whatever the session's TimeZone."),
							   &wc_timezone, "Asia/Shanghai",
							   PGC_USERSET, 0, wc_check_timezone, NULL, NULL);
}
