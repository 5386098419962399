/*
 * trigowner.h — a statement-level trigger of many rows runs under a resource
 * owner of its own (see trigowner.c).
 */
#ifndef WAGECHECK_TRIGOWNER_H
#define WAGECHECK_TRIGOWNER_H

#include "postgres.h"

#include "fmgr.h"

extern Datum wc_trigger_call_owned(PGFunction body, FunctionCallInfo fcinfo);

#endif
