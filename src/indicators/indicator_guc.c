/*
 * indicator_guc.c — settings of the indicators area (wagecheck.deposit_rate).
 */
#include "postgres.h"

#include "utils/guc.h"

#include "indicators/indicators.h"

static double wc_deposit_rate = 0.02;

/* Registers the indicators' GUCs; called once from _PG_init. */
void
wc_indicators_init(void)
{
	DefineCustomRealVariable("wagecheck.deposit_rate",
							 gettext_noop("Wage guarantee deposit rate, as a share of the contract value."),
							 gettext_noop("Used by the indicator views for the deposit required (人社部发〔2021〕65号: 1%-3%, set per province)."),
							 &wc_deposit_rate, 0.02, 0.0, 1.0,
							 PGC_USERSET, 0, NULL, NULL, NULL);
}
