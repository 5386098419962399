/*
 * trigowner.c — runs the work of a statement-level trigger of many rows under a
 * resource owner of its own.
 *
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
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/tuplestore.h"

#include "trigowner.h"

/*
 * Fewer rows than this leave fewer pins in COPY's owner than it keeps in a
 * plain array (searched from its end: no chain), and a statement of one row
 * should not pay for an owner.
 */
#define OWNED_MIN_ROWS 64

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

/*
 * wc_trigger_call_owned: body(fcinfo), under a child resource owner when called
 * as a statement-level trigger with at least OWNED_MIN_ROWS transition rows.
 */
Datum
wc_trigger_call_owned(PGFunction body, FunctionCallInfo fcinfo)
{
	TriggerData *td;
	ResourceOwner parent = CurrentResourceOwner;
	ResourceOwner owner;
	Datum		result;

	if (!CALLED_AS_TRIGGER(fcinfo) || parent == NULL)
		return body(fcinfo);
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) || transition_rows(td) < OWNED_MIN_ROWS)
		return body(fcinfo);

	elog(DEBUG1, "wagecheck: trigger %s on %s: %lld rows, under a resource owner of its own",
		 td->tg_trigger->tgname, RelationGetRelationName(td->tg_relation), (long long) transition_rows(td));
	owner = ResourceOwnerCreate(parent, "wagecheck statement trigger");
	CurrentResourceOwner = owner;
	result = body(fcinfo);
	CurrentResourceOwner = parent;
	ResourceOwnerRelease(owner, RESOURCE_RELEASE_BEFORE_LOCKS, true, false);
	ResourceOwnerRelease(owner, RESOURCE_RELEASE_LOCKS, true, false);
	ResourceOwnerRelease(owner, RESOURCE_RELEASE_AFTER_LOCKS, true, false);
	ResourceOwnerDelete(owner);
	return result;
}
