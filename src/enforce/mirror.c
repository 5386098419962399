/*
 * mirror.c — wagecheck.mirror(), the C trigger of mirror mode: a legacy table
 * attached with wagecheck.attach(..., mirror => true) feeds wagecheck's own
 * table of its kind. It fires once per statement (INSERT, UPDATE, DELETE with
 * their transition tables, TRUNCATE) and writes the statement's rows with one
 * statement per table; the statements come from wagecheck._mirror_sql() and
 * are prepared once per backend and trigger. A value of the statement that
 * resolves to nothing (a legacy project key, a worker's ID, an employer's code,
 * a date) is refused by the writing statement, naming it (_mirror_refuse), or
 * recorded as a violation in alert mode: never written half-resolved. Also the
 * helpers the statements call, on the code of src/core/normalize.c and
 * src/core/outflow.c.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "catalog_watch.h"
#include "core/normalize.h"
#include "core/outflow.h"
#include "enforce/enforce.h"
#include "errcodes.h"
#include "trigcheck.h"
#include "nls.h"

#define MIRROR_EVENTS	4		/* insert, update, delete, truncate */
#define MIRROR_SMALL	64		/* rows of a statement planned with the cached plan */

/* The prepared statements of one mirroring trigger, per event. */
typedef struct mirror_plans
{
	Oid			tgoid;
	bool		ready[MIRROR_EVENTS];
	int			nwrites[MIRROR_EVENTS];
	SPIPlanPtr *writes[MIRROR_EVENTS];	/* cached plans, for a statement of a few rows */
	SPIPlanPtr *custom[MIRROR_EVENTS];	/* planned for each statement's rows */
	struct mirror_plans *next;
} mirror_plans;

static mirror_plans *all_plans = NULL;

static const char *const event_names[MIRROR_EVENTS] = {"insert", "update", "delete", "truncate"};

static int
event_index(TriggerEvent ev)
{
	if (TRIGGER_FIRED_BY_INSERT(ev))
		return 0;
	if (TRIGGER_FIRED_BY_UPDATE(ev))
		return 1;
	if (TRIGGER_FIRED_BY_DELETE(ev))
		return 2;
	return 3;
}

/* plans_for: this trigger's prepared statements of this event, prepared at the first call in this backend. */
static mirror_plans *
plans_for(TriggerData *td, int ev)
{
	mirror_plans *p;
	Oid			types[2] = {OIDOID, TEXTOID};
	Datum		vals[2];
	bool		isnull;
	Datum		arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	for (p = all_plans; p != NULL; p = p->next)
		if (p->tgoid == td->tg_trigger->tgoid)
			break;
	if (p == NULL)
	{
		p = MemoryContextAllocZero(TopMemoryContext, sizeof(mirror_plans));
		p->tgoid = td->tg_trigger->tgoid;
		p->next = all_plans;
		all_plans = p;
	}
	if (p->ready[ev])
		return p;

	vals[0] = ObjectIdGetDatum(RelationGetRelid(td->tg_relation));
	vals[1] = CStringGetTextDatum(event_names[ev]);
	if (SPI_execute_with_args("SELECT wagecheck._mirror_sql($1::regclass, $2)", 2, types, vals, NULL, true, 1)
		!= SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "wagecheck: the statements of a mirrored table could not be read");
	arr = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s is not mirrored into wagecheck's tables", wc_rel_label(td->tg_relation)),
				 errdetail("Trigger \"%s\" calls wagecheck.mirror(), but wagecheck.mirror has no row for the table.",
						   td->tg_trigger->tgname),
				 errhint("Attach the table again with wagecheck.attach(table, kind, columns, mode, mirror => true), or detach it.")));
	deconstruct_array(DatumGetArrayTypeP(arr), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	/* free what an earlier, failed preparation left */
	for (i = 0; i < p->nwrites[ev]; i++)
	{
		if (p->writes[ev][i] != NULL)
			SPI_freeplan(p->writes[ev][i]);
		if (p->custom[ev][i] != NULL)
			SPI_freeplan(p->custom[ev][i]);
		p->writes[ev][i] = p->custom[ev][i] = NULL;
	}
	p->nwrites[ev] = 0;
	if (p->writes[ev] == NULL)
	{
		p->writes[ev] = MemoryContextAllocZero(TopMemoryContext, sizeof(SPIPlanPtr) * 8);
		p->custom[ev] = MemoryContextAllocZero(TopMemoryContext, sizeof(SPIPlanPtr) * 8);
	}
	if (n > 8)
		elog(ERROR, "wagecheck: too many statements for a mirrored table");
	for (i = 0; i < n; i++)
	{
		SPIPlanPtr	plan,
					custom;
		char	   *sql;

		if (nulls[i] || VARSIZE_ANY_EXHDR(DatumGetTextPP(elems[i])) == 0)
			continue;
		sql = TextDatumGetCString(elems[i]);
		plan = SPI_prepare(sql, 1, types);
		custom = plan ? SPI_prepare_cursor(sql, 1, types, CURSOR_OPT_CUSTOM_PLAN) : NULL;
		if (plan == NULL || custom == NULL)
			elog(ERROR, "wagecheck: a statement of a mirrored table could not be prepared: %s",
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		SPI_keepplan(custom);
		p->writes[ev][p->nwrites[ev]] = plan;
		p->custom[ev][p->nwrites[ev]++] = custom;
	}
	p->ready[ev] = true;
	return p;
}

/*
 * mirror_as_owner: the body of wagecheck.mirror(), running as the owner of
 * wagecheck's tables. A row with a value that names nothing is refused by the
 * writing statement itself (wagecheck._mirror_refuse), or in alert mode
 * recorded as a violation by the first statement and left out of the writes.
 */
static void
mirror_as_owner(TriggerData *td)
{
	int			ev = event_index(td->tg_event);
	mirror_plans *p;
	Datum		src = ObjectIdGetDatum(RelationGetRelid(td->tg_relation));
	bool		many;
	int			i;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "wagecheck: SPI_connect failed");
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "wagecheck: the transition tables of the statement could not be read");
	/* a clerk's one-row INSERT whose values all resolve: written without the statement of many rows */
	if (ev == 0 && wc_mirror_one(td))
	{
		SPI_finish();
		return;
	}
	p = plans_for(td, ev);
	/*
	 * a statement of many rows is planned for its rows: a plan made for one row (a
	 * generic plan, or one built when wagecheck's tables were empty) joins a COPY's
	 * rows by nested loops; a statement of a few rows (a clerk's INSERT) runs the
	 * cached plan, whose planning would cost more than its execution. A TRUNCATE
	 * removes every row mirrored from the table: planned for them (a plan kept from
	 * when wagecheck's tables were empty scanned the removed references once for each
	 * mirrored row). Only these statements: the plans of the triggers they fire stay
	 * cached.
	 */
	many = TRIGGER_FIRED_BY_TRUNCATE(td->tg_event) ||
		(td->tg_newtable != NULL && tuplestore_tuple_count(td->tg_newtable) > MIRROR_SMALL) ||
		(td->tg_oldtable != NULL && tuplestore_tuple_count(td->tg_oldtable) > MIRROR_SMALL);
	for (i = 0; i < p->nwrites[ev]; i++)
	{
		int			rc = SPI_execute_plan(many ? p->custom[ev][i] : p->writes[ev][i], &src, NULL, false, 0);

		if (rc < 0)
			elog(ERROR, "wagecheck: a mirrored statement failed: %s", SPI_result_code_string(rc));
	}
	SPI_finish();
}

PG_FUNCTION_INFO_V1(wagecheck_mirror);
/* The mirroring trigger: AFTER each INSERT, UPDATE, DELETE or TRUNCATE statement of a table attached in mirror mode. */
Datum
wagecheck_mirror(PG_FUNCTION_ARGS)
{
	const char *fn = "wagecheck.mirror()";
	TriggerData *td = wc_trigger_data(fcinfo, fn);
	const char *name;
	Oid			save_uid;
	int			save_ctx;

	wc_trigger_when(td, fn, WC_TG_AFTER | WC_TG_STATEMENT | WC_TG_INSERT | WC_TG_UPDATE | WC_TG_DELETE | WC_TG_TRUNCATE,
					gettext_noop("an AFTER INSERT, UPDATE, DELETE or TRUNCATE FOR EACH STATEMENT"));
	wc_trigger_plain_table(td, fn);
	name = td->tg_trigger->tgname;
	if (strncmp(name, "wagecheck_mirror_", strlen("wagecheck_mirror_")) != 0 ||
		RelationGetNamespace(td->tg_relation) == wc_schema_oid())
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("wagecheck.mirror() fires only on tables attached with wagecheck.attach(..., mirror => true), not through trigger \"%s\" on %s",
						name, wc_rel_label(td->tg_relation)),
				 errhint("Attach the table with wagecheck.attach(table, kind, columns, mode, mirror => true).")));
	if (((TRIGGER_FIRED_BY_DELETE(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event)) && td->tg_oldtable == NULL) ||
		((TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event)) && td->tg_newtable == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on %s calls wagecheck.mirror() without its transition tables",
						name, wc_rel_label(td->tg_relation)),
				 errhint("Attach the table again with wagecheck.attach(..., mirror => true).")));
	GetUserIdAndSecContext(&save_uid, &save_ctx);
	SetUserIdAndSecContext(wc_rules_owner(), save_ctx | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		/* the statements name wagecheck's objects in full; nothing else is looked up in the writer's path */
		int			nest = NewGUCNestLevel();

		(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		/*
		 * the statements' estimated costs (a lookup per row and role) would have a COPY's
		 * statement compiled by JIT, which takes longer than running it
		 */
		(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		mirror_as_owner(td);
		AtEOXact_GUC(true, nest);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_uid, save_ctx);
	}
	PG_END_TRY();
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(wagecheck_mirror_text);
/* _mirror_text(v, compact): v normalized (full-width forms, padding; compact drops blanks and hyphens, upper-cases); NULL when nothing is left. */
Datum
wagecheck_mirror_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	bool		compact = PG_GETARG_BOOL(1);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	size_t		size = len + 1;
	char	   *out = palloc(size);
	size_t		n = wc_normalize(VARDATA_ANY(t), len, compact ? WC_NORM_COMPACT : 0, out, size);

	if (n >= size)
	{
		/* folding never lengthens, but be safe */
		size = n + 1;
		out = repalloc(out, size);
		n = wc_normalize(VARDATA_ANY(t), len, compact ? WC_NORM_COMPACT : 0, out, size);
	}
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, n));
}

PG_FUNCTION_INFO_V1(wagecheck_mirror_moment);
/* _mirror_moment(v): a date or date and time written as text, as a timestamp; NULL when it reads as none. */
Datum
wagecheck_mirror_moment(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int32		ymd,
				secs;
	Timestamp	ts;

	if (!wc_parse_moment(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &ymd, &secs))
		PG_RETURN_NULL();
	ts = ((Timestamp) (date2j(ymd / 10000, (ymd / 100) % 100, ymd % 100) - POSTGRES_EPOCH_JDATE) * SECS_PER_DAY
		  + secs) * USECS_PER_SEC;
	if (!IS_VALID_TIMESTAMP(ts))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMP(ts);
}

/* wc_mirror_patterns: a text[] of patterns as a NULL-terminated C array (NULL for a NULL array: the defaults); each checked. */
const char *const *
wc_mirror_patterns(ArrayType *arr, const char *role, const char *option)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				k = 0;
	const char **out;

	if (arr == NULL)
		return NULL;
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	out = palloc0(sizeof(char *) * (n + 1));
	for (i = 0; i < n; i++)
	{
		char	   *p;

		if (nulls[i])
			continue;
		p = TextDatumGetCString(elems[i]);
		if (!wc_pattern_valid(p))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("pattern \"%s\" of option \"%s\" of role \"%s\" is empty or longer than %d bytes",
							p, option, role, WC_PATTERN_MAX),
					 errhint("A pattern is a word as the bank writes it; '#' stands for a number, '*' for anything.")));
		out[k++] = p;
	}
	return (const char *const *) out;
}

/*
 * wc_mirror_word: a direction (a = in, b = out patterns), purpose (a = wage, b = cash) or
 * payment method word s (len bytes) as wagecheck's own, NULL when it reads as none; a and
 * b NULL-terminated, NULL for the defaults. Shared by _mirror_word and mirror_one.c.
 */
const char *
wc_mirror_word(const char *role, const char *s, size_t len, const char *const *a, const char *const *b)
{
	char		buf[WC_PATTERN_TEXT_MAX + 1];
	size_t		n;

	if (strcmp(role, "direction") == 0)
	{
		switch (wc_classify_direction(s, len, a, b))
		{
			case WC_DIR_IN:
				return "in";
			case WC_DIR_OUT:
				return "out";
			default:
				return NULL;
		}
	}
	if (strcmp(role, "method") == 0)
	{
		switch (wc_parse_method(s, len))
		{
			case WC_METHOD_NONE:
			case WC_METHOD_ACCOUNT:
				return "account";
			case WC_METHOD_CASH:
				return "cash";
			case WC_METHOD_OTHER_ACCOUNT:
				return "other_account";
			default:
				return NULL;
		}
	}
	if (strcmp(role, "purpose") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("role \"%s\" has no words wagecheck reads", role),
				 errhint("The roles read as words are direction, purpose and method.")));
	n = wc_normalize(s, len, 0, buf, sizeof(buf));
	if (n >= sizeof(buf))
		n = 0;
	buf[n] = '\0';
	switch (wc_classify_purpose(s, len, a, b))
	{
		case WC_PURPOSE_WAGE:
			return "wage";
		case WC_PURPOSE_CASH:
			return "cash";
		case WC_PURPOSE_INFLOW:
			return pg_strcasecmp(buf, "top_up") == 0 ? "top_up" : "labour_cost";
		default:
			/* wagecheck's own words kept; any other word, or none, is "other" */
			if (pg_strcasecmp(buf, "transfer") == 0)
				return "transfer";
			if (pg_strcasecmp(buf, "refund") == 0)
				return "refund";
			return "other";
	}
}

PG_FUNCTION_INFO_V1(wagecheck_mirror_word);
/* _mirror_word(role, v, a, b): a direction (a = in, b = out patterns), purpose (a = wage, b = cash) or payment method word as wagecheck's own; NULL when it reads as none. */
Datum
wagecheck_mirror_word(PG_FUNCTION_ARGS)
{
	char	   *role;
	text	   *t;
	const char *const *a;
	const char *const *b;
	const char *w;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	role = text_to_cstring(PG_GETARG_TEXT_PP(0));
	a = wc_mirror_patterns(PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2), role,
						   strcmp(role, "direction") == 0 ? "in" : "wage");
	b = wc_mirror_patterns(PG_ARGISNULL(3) ? NULL : PG_GETARG_ARRAYTYPE_P(3), role,
						   strcmp(role, "direction") == 0 ? "out" : "cash");
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	t = PG_GETARG_TEXT_PP(1);
	w = wc_mirror_word(role, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), a, b);
	if (w == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(w));
}

PG_FUNCTION_INFO_V1(wagecheck_mirror_refuse);
/* _mirror_refuse(tbl, key, role, value, what): raises the refusal of a row of a mirrored table whose value of a role names nothing ('': empty). */
Datum
wagecheck_mirror_refuse(PG_FUNCTION_ARGS)
{
	char	   *tbl = DatumGetCString(DirectFunctionCall1(regclassout, PG_GETARG_DATUM(0)));
	char	   *key = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *role = text_to_cstring(PG_GETARG_TEXT_PP(2));
	char	   *value = text_to_cstring(PG_GETARG_TEXT_PP(3));
	char	   *what = text_to_cstring(PG_GETARG_TEXT_PP(4));

	if (key[0] == '\0')
		key = "(null)";
	if (value[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("wagecheck cannot mirror the row %s of %s: its role \"%s\" is empty", key, tbl, role),
				 errdetail("A mirrored row is written into wagecheck's tables whole or not at all."),
				 errhint("Fill the column mapped to \"%s\", or map another column (wagecheck.attached shows the mapping).",
						 role)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("wagecheck cannot mirror the row %s of %s: \"%s\" (role \"%s\") reads as no %s",
					key, tbl, value, role, what),
			 errdetail("A mirrored row is written into wagecheck's tables whole or not at all; a value that names nothing is refused."),
			 errhint("A project is found by its code in wagecheck.project, a worker by the resident ID in wagecheck.worker, an employer by the credit code in wagecheck.enterprise, a row already mirrored by its key; dates read as 20201215, 2020-12-15 or 2020年12月15日.")));
	PG_RETURN_BOOL(false);
}
