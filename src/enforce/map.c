/*
 * map.c — which column of a table plays which role for an enforcing trigger.
 *
 * The mapping travels in the trigger's own arguments (kind, mode, "role=column"
 * pairs), so no catalog table is read per row: it is resolved against the
 * relation's tuple descriptor once per backend, cached by trigger OID, and
 * dropped when the relation's relcache entry is invalidated (ALTER TABLE,
 * CREATE/DROP TRIGGER, ...).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/datetime.h"
#include "datatype/timestamp.h"

#include "catalog_watch.h"
#include "core/normalize.h"
#include "enforce/enforce.h"
#include "values/values.h"
#include "errcodes.h"
#include "nls.h"

typedef enum wc_class
{
	WC_CLS_ANY,					/* any type, read through its output function */
	WC_CLS_KEY,					/* integer id or text-like key */
	WC_CLS_TEXT,				/* text, varchar, char or a wagecheck identifier type */
	WC_CLS_NUMBER,				/* numeric or integer */
	WC_CLS_INT,					/* integer */
	WC_CLS_DATE,				/* date, or a date written as text */
	WC_CLS_MOMENT				/* timestamptz, timestamp, date, or one written as text */
} wc_class;

#define K(k) (1u << (k))
#define ALL_KINDS (K(WC_KIND_ACCOUNT_TXN) | K(WC_KIND_PAY_LINE) | K(WC_KIND_WAGE_PAYMENT) | K(WC_KIND_WAGE_ACCOUNT))

static const struct
{
	const char *name;
	wc_class	cls;
	unsigned	kinds;			/* kinds the role belongs to */
	unsigned	required;		/* kinds that must map it */
}			roles[WC_NROLES] = {
	[WC_R_ID] = {"id", WC_CLS_ANY, K(WC_KIND_ACCOUNT_TXN) | K(WC_KIND_PAY_LINE) | K(WC_KIND_WAGE_PAYMENT) | K(WC_KIND_WAGE_ACCOUNT), K(WC_KIND_WAGE_PAYMENT) | K(WC_KIND_WAGE_ACCOUNT)},
	[WC_R_ACCOUNT] = {"account", WC_CLS_KEY, K(WC_KIND_ACCOUNT_TXN), K(WC_KIND_ACCOUNT_TXN)},
	[WC_R_DIRECTION] = {"direction", WC_CLS_TEXT, K(WC_KIND_ACCOUNT_TXN), 0},
	[WC_R_AMOUNT] = {"amount", WC_CLS_NUMBER, K(WC_KIND_ACCOUNT_TXN) | K(WC_KIND_WAGE_PAYMENT), K(WC_KIND_ACCOUNT_TXN) | K(WC_KIND_WAGE_PAYMENT)},
	[WC_R_COUNTERPARTY] = {"counterparty", WC_CLS_TEXT, K(WC_KIND_ACCOUNT_TXN), 0},
	[WC_R_COUNTERPARTY_NAME] = {"counterparty_name", WC_CLS_TEXT, K(WC_KIND_ACCOUNT_TXN), 0},
	[WC_R_PURPOSE] = {"purpose", WC_CLS_TEXT, K(WC_KIND_ACCOUNT_TXN), 0},
	[WC_R_SHEET] = {"sheet", WC_CLS_INT, K(WC_KIND_PAY_LINE), 0},
	[WC_R_PROJECT] = {"project", WC_CLS_KEY, K(WC_KIND_PAY_LINE) | K(WC_KIND_WAGE_PAYMENT) | K(WC_KIND_WAGE_ACCOUNT), K(WC_KIND_WAGE_ACCOUNT)},
	[WC_R_WORKER] = {"worker", WC_CLS_KEY, K(WC_KIND_PAY_LINE) | K(WC_KIND_WAGE_PAYMENT), K(WC_KIND_PAY_LINE)},
	[WC_R_PAYABLE] = {"payable", WC_CLS_NUMBER, K(WC_KIND_PAY_LINE), K(WC_KIND_PAY_LINE)},
	[WC_R_DEDUCTIONS] = {"deductions", WC_CLS_NUMBER, K(WC_KIND_PAY_LINE), 0},
	[WC_R_NET] = {"net", WC_CLS_NUMBER, K(WC_KIND_PAY_LINE), 0},
	[WC_R_CORRECTS] = {"corrects", WC_CLS_INT, K(WC_KIND_PAY_LINE), 0},
	[WC_R_LINE] = {"line", WC_CLS_INT, K(WC_KIND_WAGE_PAYMENT), 0},
	[WC_R_METHOD] = {"method", WC_CLS_TEXT, K(WC_KIND_WAGE_PAYMENT), 0},
	[WC_R_CARD] = {"card", WC_CLS_TEXT, K(WC_KIND_WAGE_PAYMENT), K(WC_KIND_WAGE_PAYMENT)},
	[WC_R_CLOSED_ON] = {"closed_on", WC_CLS_DATE, K(WC_KIND_WAGE_ACCOUNT), K(WC_KIND_WAGE_ACCOUNT)},
	[WC_R_NOTICE_ON] = {"notice_on", WC_CLS_DATE, K(WC_KIND_WAGE_ACCOUNT), K(WC_KIND_WAGE_ACCOUNT)},
	[WC_R_BALANCE] = {"balance", WC_CLS_NUMBER, K(WC_KIND_WAGE_ACCOUNT), 0},
	[WC_R_AT] = {"at", WC_CLS_MOMENT, ALL_KINDS, 0},
	[WC_R_KNOWN_AT] = {"known_at", WC_CLS_MOMENT, ALL_KINDS, 0},
};

/* The options of a role's value map ("role.option=value" arguments). */
typedef enum wc_option
{
	WC_O_DIR_IN, WC_O_DIR_OUT, WC_O_WAGE, WC_O_CASH, WC_O_SIGN, WC_NOPTIONS
} wc_option;

static const struct
{
	wc_role		role;
	const char *name;
}			options[WC_NOPTIONS] = {
	[WC_O_DIR_IN] = {WC_R_DIRECTION, "in"},
	[WC_O_DIR_OUT] = {WC_R_DIRECTION, "out"},
	[WC_O_WAGE] = {WC_R_PURPOSE, "wage"},
	[WC_O_CASH] = {WC_R_PURPOSE, "cash"},
	[WC_O_SIGN] = {WC_R_AMOUNT, "sign"},
};

static const char *const kind_names[] = {"account_txn", "pay_line", "wage_payment", "wage_account"};

static HTAB *map_cache = NULL;

/* Name of a role, as written in mappings. */
const char *
wc_role_name(wc_role role)
{
	return roles[role].name;
}

/* Forgets the mappings of an invalidated relation (all when relid is 0; src/catalog_watch.c). */
static void
map_invalidate(Oid relid)
{
	HASH_SEQ_STATUS seq;
	wc_map	   *m;

	if (map_cache == NULL)
		return;
	hash_seq_init(&seq, map_cache);
	while ((m = hash_seq_search(&seq)) != NULL)
		if (relid == InvalidOid || m->relid == relid)
			m->valid = false;
}

/* is_integer_type: int2, int4 or int8 (after looking through domains). */
static bool
is_integer_type(Oid base)
{
	return base == INT2OID || base == INT4OID || base == INT8OID;
}

/* is_text_like: text, varchar, bpchar, or a type of the wagecheck schema (identifier types). */
static bool
is_text_like(Oid typid, Oid base)
{
	HeapTuple	tp;
	bool		ours = false;

	if (base == TEXTOID || base == VARCHAROID || base == BPCHAROID)
		return true;
	tp = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
	if (HeapTupleIsValid(tp))
	{
		Oid			nsp = ((Form_pg_type) GETSTRUCT(tp))->typnamespace;

		ours = (nsp == wc_schema_oid());
		ReleaseSysCache(tp);
	}
	return ours;
}

/* class_ok: does a column of type typid fit a role of class cls? */
static bool
class_ok(wc_class cls, Oid typid)
{
	Oid			base = getBaseType(typid);

	switch (cls)
	{
		case WC_CLS_ANY:
			return true;
		case WC_CLS_KEY:
			return is_integer_type(base) || is_text_like(typid, base);
		case WC_CLS_TEXT:
			return is_text_like(typid, base);
		case WC_CLS_NUMBER:
			return base == NUMERICOID || is_integer_type(base);
		case WC_CLS_INT:
			return is_integer_type(base);
		case WC_CLS_DATE:
			return base == DATEOID || base == TEXTOID || base == VARCHAROID || base == BPCHAROID;
		case WC_CLS_MOMENT:
			return base == TIMESTAMPTZOID || base == TIMESTAMPOID || base == DATEOID ||
				base == TEXTOID || base == VARCHAROID || base == BPCHAROID;
	}
	return false;
}

static const char *const class_names[] = {
	gettext_noop("any type"), gettext_noop("an integer or text type"), gettext_noop("a text type"),
	gettext_noop("numeric or an integer type"), gettext_noop("an integer type"),
	gettext_noop("date, or a date written as text"),
	gettext_noop("timestamptz, timestamp or date, or one written as text")
};

/* list_add: appends a copy of value to a NULL-terminated list (palloc'd in the current context). */
static const char **
list_add(const char **list, const char *value)
{
	int			n = 0;
	const char **l;

	while (list && list[n])
		n++;
	l = list ? repalloc(list, sizeof(char *) * (n + 2)) : palloc(sizeof(char *) * 2);
	l[n] = pstrdup(value);
	l[n + 1] = NULL;
	return l;
}

/* in_list: is value one of list's entries? */
static bool
in_list(const char **list, const char *value)
{
	int			i;

	for (i = 0; list && list[i]; i++)
		if (strcmp(list[i], value) == 0)
			return true;
	return false;
}

/*
 * map_option: one "role.option=value" argument of a value map: a pattern of
 * a direction or purpose, or the sign of amounts; raises for an unknown
 * option or a value the option cannot take.
 */
static void
map_option(wc_map *map, const char *relname, const char *arg, const char *dot, const char *eq)
{
	int			r,
				o;
	const char *value = eq + 1;

	for (r = 0; r < WC_NROLES; r++)
		if (strlen(roles[r].name) == (size_t) (dot - arg) && strncmp(roles[r].name, arg, dot - arg) == 0)
			break;
	for (o = 0; o < WC_NOPTIONS; o++)
		if ((int) options[o].role == r && strlen(options[o].name) == (size_t) (eq - dot - 1) &&
			strncmp(options[o].name, dot + 1, eq - dot - 1) == 0)
			break;
	if (r == WC_NROLES || !(roles[r].kinds & K(map->kind)) || o == WC_NOPTIONS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%.*s\" is not an option of a value map of kind %s", (int) (eq - arg), arg,
						kind_names[map->kind]),
				 errhint("A direction maps \"in\" and \"out\", a purpose \"wage\" and \"cash\", an amount its \"sign\".")));
	if (o == WC_O_SIGN)
	{
		if (strcmp(value, "minus_is_out") != 0 && strcmp(value, "minus_is_in") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the sign of role \"amount\" in the mapping of %s is \"%s\", not minus_is_out or minus_is_in",
							relname, value)));
		map->minus_is_in = strcmp(value, "minus_is_in") == 0;
		return;
	}
	if (!wc_pattern_valid(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value \"%s\" of \"%.*s\" in the mapping of %s is empty or longer than %d bytes",
						value, (int) (eq - arg), arg, relname, WC_PATTERN_MAX)));
	switch ((wc_option) o)
	{
		case WC_O_DIR_IN:
			map->dir_in = list_add(map->dir_in, value);
			break;
		case WC_O_DIR_OUT:
			map->dir_out = list_add(map->dir_out, value);
			break;
		case WC_O_WAGE:
			map->wage = list_add(map->wage, value);
			break;
		case WC_O_CASH:
			map->cash = list_add(map->cash, value);
			break;
		default:
			break;
	}
}

/* check_value_maps: a value map is whole and speaks of a mapped column. */
static void
check_value_maps(wc_map *map, const char *relname)
{
	int			i;

	if ((map->dir_in || map->dir_out) && map->attnum[WC_R_DIRECTION] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the mapping of %s has a value map for role \"direction\" but names no column for it", relname)));
	if ((map->dir_in == NULL) != (map->dir_out == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the value map of role \"direction\" in the mapping of %s needs both \"in\" and \"out\"", relname),
				 errhint("For example {\"direction\": {\"column\": \"jdbz\", \"in\": [\"2\", \"贷\"], \"out\": [\"1\", \"借\"]}}.")));
	for (i = 0; map->dir_in && map->dir_in[i]; i++)
		if (in_list(map->dir_out, map->dir_in[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value \"%s\" of role \"direction\" in the mapping of %s is both in and out",
							map->dir_in[i], relname)));
	if ((map->wage || map->cash) && map->attnum[WC_R_PURPOSE] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the mapping of %s has a value map for role \"purpose\" but names no column for it", relname)));
	if (map->minus_is_in && map->attnum[WC_R_DIRECTION] != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the sign of role \"amount\" in the mapping of %s applies only without a \"direction\" column", relname)));
	if (map->minus_is_in && map->attnum[WC_R_AMOUNT] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the mapping of %s has a value map for role \"amount\" but names no column for it", relname)));
}

/*
 * Resolves trigger arguments (kind, mode, "role=column"...) against a tuple
 * descriptor into map; raises a clear error for every defect. relname names
 * the table in messages.
 */
void
wc_resolve_mapping(TupleDesc desc, const char *relname, int nargs, char **args, wc_map *map)
{
	int			i,
				k;

	if (nargs < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("enforcing trigger on %s needs a kind and a mode as its first arguments", relname)));
	for (k = 0; k < (int) lengthof(kind_names); k++)
		if (strcmp(args[0], kind_names[k]) == 0)
			break;
	if (k == (int) lengthof(kind_names))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown kind \"%s\" for an enforcing trigger", args[0]),
				 errhint("Kinds are account_txn, pay_line, wage_payment and wage_account.")));
	map->kind = (wc_kind) k;
	if (strcmp(args[1], "project") == 0)
		map->mode = WC_MODE_PROJECT;
	else if (strcmp(args[1], "reject") == 0)
		map->mode = WC_MODE_REJECT;
	else if (strcmp(args[1], "alert") == 0)
		map->mode = WC_MODE_ALERT;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown enforcement mode \"%s\"", args[1]),
				 errhint("Modes are reject and alert.")));
	memset(map->attnum, 0, sizeof(map->attnum));
	map->dir_in = map->dir_out = map->wage = map->cash = NULL;
	map->minus_is_in = false;
	memset(&map->dir_memo, 0, sizeof(map->dir_memo));
	memset(&map->purpose_memo, 0, sizeof(map->purpose_memo));

	for (i = 2; i < nargs; i++)
	{
		char	   *eq = strchr(args[i], '=');
		int			r;
		int			a;
		const char *col;

		if (eq == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("mapping entry \"%s\" is not of the form role=column", args[i])));
		{
			const char *dot = memchr(args[i], '.', eq - args[i]);

			if (dot != NULL)
			{
				map_option(map, relname, args[i], dot, eq);
				continue;
			}
		}
		for (r = 0; r < WC_NROLES; r++)
			if (strlen(roles[r].name) == (size_t) (eq - args[i]) &&
				strncmp(roles[r].name, args[i], eq - args[i]) == 0)
				break;
		if (r == WC_NROLES || !(roles[r].kinds & K(map->kind)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%.*s\" is not a column role of kind %s", (int) (eq - args[i]), args[i],
							kind_names[map->kind])));
		if (map->attnum[r] != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("column role \"%s\" is mapped twice", roles[r].name)));
		col = eq + 1;
		for (a = 0; a < desc->natts; a++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, a);

			if (!att->attisdropped && strcmp(NameStr(att->attname), col) == 0)
				break;
		}
		if (a == desc->natts)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of table %s does not exist", col, relname),
					 errdetail("The mapping names it for role \"%s\".", roles[r].name)));
		if (!class_ok(roles[r].cls, TupleDescAttr(desc, a)->atttypid))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of table %s has type %s, but role \"%s\" needs %s",
							col, relname, format_type_be(TupleDescAttr(desc, a)->atttypid),
							roles[r].name, _(class_names[roles[r].cls]))));
		map->attnum[r] = (AttrNumber) (a + 1);
	}

	check_value_maps(map, relname);
	for (i = 0; i < WC_NROLES; i++)
		if ((roles[i].required & K(map->kind)) && map->attnum[i] == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the mapping of %s as %s does not name a column for role \"%s\"",
							relname, kind_names[map->kind], roles[i].name)));
	if (map->kind == WC_KIND_PAY_LINE && map->attnum[WC_R_SHEET] == 0 && map->attnum[WC_R_PROJECT] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the mapping of %s as pay_line names neither a \"project\" nor a \"sheet\" column", relname)));
	if (map->kind == WC_KIND_WAGE_PAYMENT && map->attnum[WC_R_LINE] == 0 &&
		(map->attnum[WC_R_PROJECT] == 0 || map->attnum[WC_R_WORKER] == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the mapping of %s as wage_payment names neither a \"line\" column nor both a \"project\" and a \"worker\" column", relname),
				 errhint("A payment is checked against the worker it pays and the project's roster.")));
	if (map->mode == WC_MODE_ALERT && map->attnum[WC_R_ID] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alert mode needs an \"id\" column in the mapping of %s", relname),
				 errdetail("Each recorded violation names the row it is about.")));
	if (map->mode == WC_MODE_PROJECT && map->attnum[WC_R_ACCOUNT] == 0 &&
		map->attnum[WC_R_SHEET] == 0 && map->attnum[WC_R_PROJECT] == 0 && map->attnum[WC_R_LINE] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mode \"project\" needs a column that leads to the project")));
}

/* Finds (or builds) the cached mapping of the firing trigger. */
wc_map *
wc_get_map(TriggerData *trigdata)
{
	Trigger    *tg = trigdata->tg_trigger;
	Relation	rel = trigdata->tg_relation;
	wc_map	   *map;
	bool		found;
	int			r;

	if (map_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(wc_map);
		ctl.hcxt = CacheMemoryContext;
		map_cache = hash_create("wagecheck trigger mappings", 16, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		wc_relcache_subscribe(map_invalidate);
	}
	map = hash_search(map_cache, &tg->tgoid, HASH_ENTER, &found);
	if (found && map->valid)
		return map;
	if (!found)
		map->cxt = NULL;
	if (map->cxt)
		MemoryContextReset(map->cxt);
	else
		map->cxt = AllocSetContextCreate(CacheMemoryContext, "wagecheck trigger mapping",
										 ALLOCSET_SMALL_SIZES);
	map->valid = false;
	map->maxatt = 0;
	map->relid = RelationGetRelid(rel);
	map->relname = MemoryContextStrdup(map->cxt,
									   quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
																  RelationGetRelationName(rel)));
	{
		MemoryContext old = MemoryContextSwitchTo(map->cxt);

		/* the value maps live as long as the mapping */
		wc_resolve_mapping(RelationGetDescr(rel), map->relname, tg->tgnargs, tg->tgargs, map);
		map->desc = CreateTupleDescCopy(RelationGetDescr(rel));
		map->slot = MakeSingleTupleTableSlot(map->desc, &TTSOpsHeapTuple);
		map->oldslot = MakeSingleTupleTableSlot(map->desc, &TTSOpsHeapTuple);
		MemoryContextSwitchTo(old);
	}
	for (r = 0; r < WC_NROLES; r++)
	{
		Oid			typid,
					outfn;
		bool		isvarlena;

		if (map->attnum[r] == 0)
			continue;
		map->maxatt = Max(map->maxatt, map->attnum[r]);
		typid = TupleDescAttr(RelationGetDescr(rel), map->attnum[r] - 1)->atttypid;
		map->base[r] = getBaseType(typid);
		map->is_int[r] = is_integer_type(map->base[r]);
		getTypeOutputInfo(typid, &outfn, &isvarlena);
		fmgr_info_cxt(outfn, &map->out[r], map->cxt);
	}
	map->valid = true;
	return map;
}

/* Value of a role as text (output function); false when NULL or not mapped. */
bool
wc_get_text(wc_map *map, TupleTableSlot *slot, wc_role role, char **out)
{
	bool		isnull;
	Datum		d;

	if (map->attnum[role] == 0)
		return false;
	d = slot_getattr(slot, map->attnum[role], &isnull);
	if (isnull)
		return false;
	*out = OutputFunctionCall(&map->out[role], d);
	return true;
}

/* Raises the error for a money role's value that is not a whole number of cents (rc of wc_numeric_cents). */
void
wc_cents_error(wc_map *map, wc_role role, Datum d, int rc)
{
	if (rc == WC_CENTS_SUBCENT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount %s in %s has fractions of a cent", OutputFunctionCall(&map->out[role], d), map->relname),
				 errdetail("Column role \"%s\".", wc_role_name(role))));
	if (rc == WC_CENTS_OVERFLOW_INT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("amount in column %s is out of range", wc_role_name(role))));
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("amount %s in %s is not a finite amount of money", OutputFunctionCall(&map->out[role], d), map->relname)));
}

/* moment_of_text: a date or date and time written as text, as a timestamp of the session's zone. */
static bool
moment_of_text(const char *s, size_t len, Timestamp *out)
{
	int32		ymd,
				secs;

	if (!wc_parse_moment(s, len, &ymd, &secs))
		return false;
	*out = ((Timestamp) (date2j(ymd / 10000, (ymd / 100) % 100, ymd % 100) - POSTGRES_EPOCH_JDATE) * SECS_PER_DAY
			+ secs) * USECS_PER_SEC;
	return IS_VALID_TIMESTAMP(*out);
}

/*
 * wc_get_moment: the value of a time role (at, known_at) as a timestamptz:
 * 1, or 0 when NULL or not mapped, -1 when text that is no date or time. A
 * timestamp, a date or text without a zone is a moment of the session's zone,
 * as a timestamp column cast to timestamptz would be.
 */
int
wc_get_moment(wc_map *map, TupleTableSlot *slot, wc_role role, TimestampTz *out)
{
	Datum		d;
	Timestamp	ts;

	if (!wc_get_datum(map, slot, role, &d))
		return 0;
	switch (map->base[role])
	{
		case TIMESTAMPTZOID:
			*out = DatumGetTimestampTz(d);
			return 1;
		case TIMESTAMPOID:
			*out = DatumGetTimestampTz(DirectFunctionCall1(timestamp_timestamptz, d));
			return 1;
		case DATEOID:
			*out = DatumGetTimestampTz(DirectFunctionCall1(date_timestamptz, d));
			return 1;
		default:
			{
				const char *p = "";
				int			len = 0;

				wc_get_textn(map, slot, role, &p, &len);
				if (!moment_of_text(p, len, &ts))
					return -1;
				*out = DatumGetTimestampTz(DirectFunctionCall1(timestamp_timestamptz, TimestampGetDatum(ts)));
				return 1;
			}
	}
}

/* wc_get_date: the value of a date role as a date: 1, or 0 when NULL or not mapped, -1 when text that is no date. */
int
wc_get_date(wc_map *map, TupleTableSlot *slot, wc_role role, DateADT *out)
{
	Datum		d;
	const char *p = "";
	int			len = 0;
	int32		ymd,
				secs;

	if (!wc_get_datum(map, slot, role, &d))
		return 0;
	if (map->base[role] == DATEOID)
	{
		*out = DatumGetDateADT(d);
		return 1;
	}
	wc_get_textn(map, slot, role, &p, &len);
	if (!wc_parse_moment(p, len, &ymd, &secs) || secs != 0)
		return -1;
	*out = date2j(ymd / 10000, (ymd / 100) % 100, ymd % 100) - POSTGRES_EPOCH_JDATE;
	return 1;
}

/*
 * wc_check_moment: is the value of a time role a business time, 2000-01-01 to
 * 2099-12-31? 1 yes, 0 NULL or not mapped, -1 text that is no date or time,
 * -2 a time outside the range. Checked on every row of a load, so without a
 * time zone's rules: a timestamp, date or text by its own calendar day.
 */
int
wc_check_moment(wc_map *map, TupleTableSlot *slot, wc_role role)
{
	Datum		d;
	const char *p = "";
	int			len = 0;
	int32		ymd,
				secs;

	if (!wc_get_datum(map, slot, role, &d))
		return 0;
	switch (map->base[role])
	{
		case TIMESTAMPTZOID:
			return wc_plausible_time(DatumGetTimestampTz(d)) ? 1 : -2;
		case TIMESTAMPOID:
			return DatumGetTimestamp(d) >= 0 && DatumGetTimestamp(d) < (Timestamp) 36525 * USECS_PER_DAY ? 1 : -2;
		case DATEOID:
			return DatumGetDateADT(d) >= 0 && DatumGetDateADT(d) < 36525 ? 1 : -2;
		default:
			wc_get_textn(map, slot, role, &p, &len);
			if (!wc_parse_moment(p, len, &ymd, &secs))
				return -1;
			return ymd >= 20000101 && ymd <= 20991231 ? 1 : -2;
	}
}
