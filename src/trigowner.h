/*
 * trigowner.h — the context wagecheck's triggers run their work in: a
 * statement of many rows under a resource owner of its own; the summaries' and
 * the change capture's triggers as the owner of wagecheck's tables, their
 * statements under pinned settings (see trigowner.c).
 */
#ifndef WAGECHECK_TRIGOWNER_H
#define WAGECHECK_TRIGOWNER_H

#include "postgres.h"

#include "fmgr.h"

/* flags of wc_trigger_run_as_owner: the statements' joins in the order written (join_collapse_limit 1) */
#define WC_TRIGGER_JOINS_AS_WRITTEN 0x01

extern Datum wc_trigger_call_owned(PGFunction body, FunctionCallInfo fcinfo);
extern Datum wc_trigger_run_as_owner(PGFunction body, FunctionCallInfo fcinfo, int flags);
extern void wc_trigger_sql_settings(void);

#endif
