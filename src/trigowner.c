/*
 * trigowner.c — the context wagecheck's triggers run their work in.
 *
 * A statement-level firing of many rows runs under a resource owner of its own.
 * COPY keeps the slots of its multi-insert buffer (up to a thousand, each
 * pinning the target table's tuple descriptor) in the portal's resource owner
 * until after the AFTER triggers ran. That owner keeps many pins in a hash with
 * linear probing, and a thousand pins of one descriptor make one long chain:
 * every descriptor pinned meanwhile by a trigger (each index probe, each unique
 * check of a summary row written) may walk it. Under a child owner the
 * trigger's pins stay in a small array of their own. At the end the child is
 * released as a committed subtransaction's owner is: its locks pass to the
 * parent, and a resource left open is reported. On error, the abort of the
 * transaction or subtransaction releases it with its parent.
 *
 * The summaries' and the change capture's triggers run as the owner of
 * wagecheck's tables, switched to here as the enforcing trigger switches, not
 * by SECURITY DEFINER: a function's SET clauses are made and undone at every
 * call, which costs a one-row statement written by key (no SQL statement at
 * all) about as much as its writes. The settings their statements need -
 * names looked up in pg_catalog and wagecheck only, no JIT (a bulk statement's
 * estimated cost would have it compiled, which takes longer than running it),
 * optionally the joins in the order written - are made by
 * wc_trigger_sql_settings before a call's first statement is prepared or run,
 * and undone at the end of the call; after an error the abort of the
 * transaction or subtransaction undoes them.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/tuplestore.h"

#include "enforce/enforce.h"
#include "trigowner.h"

/*
 * Fewer rows than this leave fewer pins in COPY's owner than it keeps in a
 * plain array (searched from its end: no chain), and a statement of one row
 * should not pay for an owner.
 */
#define OWNED_MIN_ROWS 64

/* The call running as the owner: whether one is, its flags, the GUC nesting level of its settings (-1: none made). */
static bool as_owner = false;
static int	as_owner_flags = 0;
static int	settings_nest = -1;

/* The rows of the statement's transition tables, the larger of the two. */
static int64
transition_rows(TriggerData *td)
{
	int64		n = 0;

	if (td->tg_newtable != NULL)
		n = tuplestore_tuple_count(td->tg_newtable);
	if (td->tg_oldtable != NULL)
		n = Max(n, tuplestore_tuple_count(td->tg_oldtable));
	return n;
}

/* owner_push: a child resource owner made current for a statement-level firing of OWNED_MIN_ROWS rows or more; NULL otherwise. */
static ResourceOwner
owner_push(FunctionCallInfo fcinfo)
{
	TriggerData *td;
	ResourceOwner owner;

	if (!CALLED_AS_TRIGGER(fcinfo) || CurrentResourceOwner == NULL)
		return NULL;
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) || transition_rows(td) < OWNED_MIN_ROWS)
		return NULL;
	elog(DEBUG1, "wagecheck: trigger %s on %s: %lld rows, under a resource owner of its own",
		 td->tg_trigger->tgname, RelationGetRelationName(td->tg_relation), (long long) transition_rows(td));
	owner = ResourceOwnerCreate(CurrentResourceOwner, "wagecheck statement trigger");
	CurrentResourceOwner = owner;
	return owner;
}

/* owner_pop: owner released as a committed subtransaction's, its parent current again. */
static void
owner_pop(ResourceOwner owner)
{
	CurrentResourceOwner = ResourceOwnerGetParent(owner);
	ResourceOwnerRelease(owner, RESOURCE_RELEASE_BEFORE_LOCKS, true, false);
	ResourceOwnerRelease(owner, RESOURCE_RELEASE_LOCKS, true, false);
	ResourceOwnerRelease(owner, RESOURCE_RELEASE_AFTER_LOCKS, true, false);
	ResourceOwnerDelete(owner);
}

/*
 * wc_trigger_call_owned: body(fcinfo), under a child resource owner when called
 * as a statement-level trigger with at least OWNED_MIN_ROWS transition rows.
 */
Datum
wc_trigger_call_owned(PGFunction body, FunctionCallInfo fcinfo)
{
	ResourceOwner owner = owner_push(fcinfo);
	Datum		result = body(fcinfo);

	if (owner != NULL)
		owner_pop(owner);
	return result;
}

/*
 * wc_trigger_run_as_owner: body(fcinfo) as the owner of wagecheck's tables (when
 * called as a trigger: body refuses any other call), under a resource owner of
 * its own for many rows; flags (WC_TRIGGER_*) say the settings its statements
 * need.
 */
Datum
wc_trigger_run_as_owner(PGFunction body, FunctionCallInfo fcinfo, int flags)
{
	bool		saved_as_owner = as_owner;
	int			saved_flags = as_owner_flags;
	int			saved_nest = settings_nest;
	Oid			save_uid;
	int			save_ctx;
	ResourceOwner owner;
	volatile Datum result = (Datum) 0;

	if (!CALLED_AS_TRIGGER(fcinfo))
		return body(fcinfo);
	owner = owner_push(fcinfo);
	GetUserIdAndSecContext(&save_uid, &save_ctx);
	SetUserIdAndSecContext(wc_rules_owner(), save_ctx | SECURITY_LOCAL_USERID_CHANGE);
	as_owner = true;
	as_owner_flags = flags;
	settings_nest = -1;
	PG_TRY();
	{
		result = body(fcinfo);
		if (settings_nest >= 0)
			AtEOXact_GUC(true, settings_nest);
	}
	PG_FINALLY();
	{
		as_owner = saved_as_owner;
		as_owner_flags = saved_flags;
		settings_nest = saved_nest;
		SetUserIdAndSecContext(save_uid, save_ctx);
	}
	PG_END_TRY();
	if (owner != NULL)
		owner_pop(owner);
	return result;
}

/*
 * wc_trigger_sql_settings: the settings of the call running as the owner made,
 * unless made already (or no such call runs: a SECURITY DEFINER caller has its
 * own); called before a statement is prepared or run.
 */
void
wc_trigger_sql_settings(void)
{
	if (!as_owner || settings_nest >= 0)
		return;
	settings_nest = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, wagecheck, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	if (as_owner_flags & WC_TRIGGER_JOINS_AS_WRITTEN)
		(void) set_config_option("join_collapse_limit", "1", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
								 false);
}
