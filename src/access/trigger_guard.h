/*
 * trigger_guard.h — the self-check of wagecheck's SECURITY DEFINER trigger functions.
 */
#ifndef WAGECHECK_TRIGGER_GUARD_H
#define WAGECHECK_TRIGGER_GUARD_H

#include "fmgr.h"

extern void wc_trigger_on_own_table(FunctionCallInfo fcinfo, const char *fname, const char *table);

#endif							/* WAGECHECK_TRIGGER_GUARD_H */
