/*
 * report.c — what happens to a rule violation: in reject mode an ERROR with the
 * rule's SQLSTATE; in alert mode a wagecheck.violation row (the alert engine
 * turns it into an alert) and the offending row goes in.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/timestamp.h"

#include "catalog_watch.h"
#include "enforce/enforce.h"
#include "values/values.h"
#include "nls.h"

/* Cents as "1234.56", palloc'd. */
char *
wc_cents_str(int64 cents)
{
	char	   *buf = palloc(32);

	wc_format_cents(cents, buf, 32);
	return buf;
}

/* An account or card number with all but its first and last 4 characters hidden, palloc'd. */
char *
wc_masked(const char *s)
{
	size_t		len = strlen(s);
	char	   *buf = palloc(len + 1);

	wc_mask_account(s, len, buf, len + 1);
	return buf;
}

/* json_field: appends ,"name":"value" (value JSON-escaped) when value is set. */
static void
json_field(StringInfo buf, const char *name, const char *value)
{
	if (value == NULL)
		return;
	appendStringInfo(buf, "%s\"%s\":", buf->len > 1 ? "," : "", name);
	escape_json(buf, value);
}

/* The row being checked (for the moment its violations are recorded at), or NULL. */
static wc_map *current_map = NULL;
static TupleTableSlot *current_slot = NULL;
static bool current_new = false;

/*
 * wc_set_current_row: the row the checks that follow are about (NULL, NULL:
 * none); is_new when it is being inserted (an update happens now, whatever
 * the row's own moment).
 */
void
wc_set_current_row(wc_map *map, TupleTableSlot *slot, bool is_new)
{
	current_map = map;
	current_slot = slot;
	current_new = is_new;
}

/*
 * row_moment: when the current row's violation occurred: its knowledge time
 * (known_at) if mapped, else the moment of a new row (at: a bank's
 * transaction time; created_at on wagecheck's tables); false when neither is
 * known (now()).
 */
static bool
row_moment(TimestampTz *at)
{
	if (current_map == NULL)
		return false;
	/* a time outside 2000..2099 was refused or recorded as such (wc_check_times): now() */
	return (wc_get_moment(current_map, current_slot, WC_R_KNOWN_AT, at) > 0 ||
			(current_new && wc_get_moment(current_map, current_slot, WC_R_AT, at) > 0)) &&
		wc_plausible_time(*at);
}

/*
 * The columns of wagecheck.violation a violation is written into, in the order of the
 * INSERT of WC_P_VIOLATION's arguments (after the id it takes from its identity).
 */
enum
{
	VC_ID, VC_RULE, VC_KIND, VC_SUBJECT, VC_PROJECT, VC_DETAILS, VC_SOURCE, VC_AT, VC_N
};
static const struct
{
	const char *name;
	Oid			type;
}			vcols[VC_N] =
{
	{"violation_id", INT8OID}, {"rule_code", TEXTOID}, {"subject_kind", TEXTOID},
	{"subject_id", TEXTOID}, {"project_id", INT8OID}, {"details", JSONBOID},
	{"source", REGCLASSOID}, {"occurred_at", TIMESTAMPTZOID}
};

/* wagecheck.violation as found (until a relcache invalidation of it): its columns, its identity's sequence. */
static struct
{
	bool		valid;			/* looked for, and nothing invalidated since */
	bool		usable;			/* found as expected: rows are written without a statement */
	Oid			relid;
	Oid			seq;
	AttrNumber	att[VC_N];
}			viol;

/* violation_invalidate: wagecheck.violation (or every table) changed: look again at the next violation. */
static void
violation_invalidate(Oid relid)
{
	if (!OidIsValid(relid) || relid == viol.relid)
		viol.valid = false;
}

/*
 * viol_resolve: finds wagecheck.violation: a plain table whose columns are the eight the
 * INSERT writes (the id by its identity), and none else.
 */
static void
viol_resolve(void)
{
	Oid			nsp = wc_schema_oid();
	Relation	rel;
	TupleDesc	desc;
	int			seen = 0;

	wc_relcache_subscribe(violation_invalidate);
	memset(&viol, 0, sizeof(viol));
	viol.relid = OidIsValid(nsp) ? get_relname_relid("violation", nsp) : InvalidOid;
	viol.valid = true;
	if (!OidIsValid(viol.relid))
		return;
	rel = table_open(viol.relid, AccessShareLock);
	desc = RelationGetDescr(rel);
	viol.usable = rel->rd_rel->relkind == RELKIND_RELATION;
	for (int i = 0; i < desc->natts && viol.usable; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		int			c;

		if (att->attisdropped)
			continue;
		for (c = 0; c < VC_N && strcmp(NameStr(att->attname), vcols[c].name) != 0; c++)
			;
		viol.usable = c < VC_N && att->atttypid == vcols[c].type && att->attgenerated == '\0' &&
			(c == VC_ID) == (att->attidentity != '\0');
		if (viol.usable)
		{
			viol.att[c] = i + 1;
			seen++;
		}
	}
	viol.usable = viol.usable && seen == VC_N;
	if (viol.usable)
		viol.seq = getIdentitySequence(viol.relid, viol.att[VC_ID], true);
	viol.usable = viol.usable && OidIsValid(viol.seq);
	table_close(rel, AccessShareLock);
}

/*
 * violation_write: the violation row (values of its columns but the id, in vcols' order)
 * written without a statement, as the INSERT of wc_report writes it: its id the identity's
 * next value, its checks and indexes kept. False, nothing written, when the INSERT could do
 * more than that: triggers or rules on insert, row security that applies, no privilege.
 */
static bool
violation_write(Datum *values, bool *nulls)
{
	Relation	rel;
	TriggerDesc *trig;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	bool		plain;

	if (!viol.valid)
		viol_resolve();
	if (!viol.usable)
		return false;
	rel = table_open(viol.relid, RowExclusiveLock);
	trig = rel->trigdesc;
	plain = viol.valid && viol.usable && rel->rd_rules == NULL &&
		(trig == NULL || !(trig->trig_insert_before_row || trig->trig_insert_after_row ||
						   trig->trig_insert_instead_row || trig->trig_insert_before_statement ||
						   trig->trig_insert_after_statement || trig->trig_insert_new_table)) &&
		!(rel->rd_att->constr && rel->rd_att->constr->has_generated_stored) &&
		check_enable_rls(viol.relid, InvalidOid, true) != RLS_ENABLED &&
		pg_class_aclcheck(viol.relid, GetUserId(), ACL_INSERT) == ACLCHECK_OK;
	if (!plain)
	{
		table_close(rel, RowExclusiveLock);
		return false;
	}
	estate = CreateExecutorState();
	estate->es_output_cid = GetCurrentCommandId(true);
	rri = makeNode(ResultRelInfo);
	InitResultRelInfo(rri, rel, 0, NULL, 0);
	ExecOpenIndices(rri, false);
	slot = ExecInitExtraTupleSlot(estate, RelationGetDescr(rel), &TTSOpsVirtual);
	ExecClearTuple(slot);
	for (int i = 0; i < RelationGetDescr(rel)->natts; i++)
		slot->tts_isnull[i] = true;
	slot->tts_values[viol.att[VC_ID] - 1] = Int64GetDatum(nextval_internal(viol.seq, false));
	slot->tts_isnull[viol.att[VC_ID] - 1] = false;
	for (int c = VC_RULE; c < VC_N; c++)
	{
		slot->tts_values[viol.att[c] - 1] = values[c - 1];
		slot->tts_isnull[viol.att[c] - 1] = nulls[c - 1];
	}
	ExecStoreVirtualTuple(slot);
	ExecSimpleRelationInsert(rri, estate, slot);
	ExecCloseIndices(rri);
	ExecResetTupleTable(estate->es_tupleTable, false);
	FreeExecutorState(estate);
	table_close(rel, NoLock);
	return true;
}

/* Raises the violation (reject) or records it and lets the row in (alert). */
void
wc_report(wc_mode mode, Oid source, const wc_violation *v)
{
	StringInfoData details;
	Oid			types[7] = {TEXTOID, TEXTOID, TEXTOID, INT8OID, TEXTOID, OIDOID, TIMESTAMPTZOID};
	Datum		args[7];
	char		nulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};
	int			rc;
	TimestampTz at,
				own;

	/*
	 * The texts were translated when they were built (wc_psprintf, _(): the
	 * session's lc_messages); raised as they are, so that they are not looked
	 * up a second time. A violation recorded in alert mode keeps them likewise.
	 */
	if (mode != WC_MODE_ALERT)
		ereport(ERROR,
				(errcode(v->sqlstate),
				 errmsg_internal("%s", v->message),
				 v->detail ? errdetail_internal("%s", v->detail) : 0,
				 v->hint ? errhint("%s", v->hint) : 0));

	initStringInfo(&details);
	appendStringInfoChar(&details, '{');
	json_field(&details, "message", v->message);
	json_field(&details, "detail", v->detail);
	if (v->amount != PG_INT64_MIN)
		appendStringInfo(&details, ",\"amount\":%s", wc_cents_str(v->amount));
	json_field(&details, "worker", v->worker);
	json_field(&details, "sqlstate", unpack_sql_state(v->sqlstate));
	if (current_map != NULL && current_map->attnum[WC_R_KNOWN_AT] != 0 &&
		wc_get_moment(current_map, current_slot, WC_R_AT, &own) > 0)
		json_field(&details, "at", timestamptz_to_str(own));
	appendStringInfoChar(&details, '}');

	args[0] = CStringGetTextDatum(v->rule);
	args[1] = CStringGetTextDatum(v->subject_kind);
	args[2] = CStringGetTextDatum(v->subject_id ? v->subject_id : "");
	args[3] = Int64GetDatum(v->project_id);
	if (v->project_id == 0)
		nulls[3] = 'n';
	args[4] = CStringGetTextDatum(details.data);
	args[5] = ObjectIdGetDatum(source);
	/* the row's own time, so that a back-dated file opens its alerts on the facts' dates */
	if (row_moment(&at))
		args[6] = TimestampTzGetDatum(at);
	else
		nulls[6] = 'n';

	/* written by the statement's values without the statement when nothing else would run */
	{
		Datum		values[VC_N - 1];
		bool		isnull[VC_N - 1];

		for (int i = 0; i < VC_N - 1; i++)
		{
			values[i] = args[i];
			isnull[i] = nulls[i] == 'n';
		}
		values[VC_DETAILS - 1] = DirectFunctionCall1(jsonb_in, CStringGetDatum(details.data));
		/* coalesce($7, now()) */
		if (isnull[VC_AT - 1])
			values[VC_AT - 1] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
		isnull[VC_AT - 1] = false;
		if (violation_write(values, isnull))
		{
			elog(DEBUG1, "wagecheck: violation of %s recorded without a statement", v->rule);
			return;
		}
	}
	SPI_connect();
	rc = SPI_execute_plan(wc_plan(WC_P_VIOLATION,
								  "INSERT INTO wagecheck.violation"
								  " (rule_code, subject_kind, subject_id, project_id, details, source, occurred_at)"
								  " VALUES ($1, $2, $3, $4, $5::jsonb, $6::regclass, coalesce($7, now()))", 7, types),
						  args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "wagecheck: recording violation failed: %s", SPI_result_code_string(rc));
	SPI_finish();
}
