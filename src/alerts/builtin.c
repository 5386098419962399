/*
 * builtin.c — tells rows shipped by the install script from rows users add.
 */
#include "postgres.h"

#include "commands/extension.h"
#include "fmgr.h"

PG_FUNCTION_INFO_V1(wagecheck_creating_extension);
/* True while CREATE/ALTER EXTENSION runs a script: the default of rule.builtin. */
Datum
wagecheck_creating_extension(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(creating_extension);
}
