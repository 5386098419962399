/*
 * report.c — what happens to a rule violation: in reject mode an ERROR with the
 * rule's SQLSTATE; in alert mode a wagecheck.violation row (the alert engine
 * turns it into an alert) and the offending row goes in.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/timestamp.h"

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
