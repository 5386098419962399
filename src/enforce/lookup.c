/*
 * lookup.c — what the enforcing trigger's checks look up and share: a row's project and its
 * mode, the roster entry of a worker, the payees of a project, whether its accounts are closed
 * and a line paid, the project's wage-ledger lock, and small helpers of messages.
 */

#include "postgres.h"

#include "access/htup_details.h"
#include "access/relation.h"
#include "executor/tuptable.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "miscadmin.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "utils/syscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
#include "storage/lock.h"
#include "mb/pg_wchar.h"

#include "core/normalize.h"
#include "enforce/enforce.h"
#include "ident/ident_pg.h"
#include "enforce/checks.h"
#include "errcodes.h"
#include "trigcheck.h"
#include "nls.h"

/*
 * The probe (probe.c) of the row being checked: the checks look up by it what it can
 * answer, as their queries would, and query the rest; NULL: they query.
 */
wc_probe   *wc_row_probe = NULL;

/*
 * wc_run_probed: check(td, map, slot) with wc_row_probe set to pr (begun), or without a slot
 * the check of each new row of the statement (wc_check_new_rows); then pr is ended. Returns
 * how many rows it looked for.
 */
int
wc_run_probed(wc_probe *pr, TriggerData *td, wc_map *map, TupleTableSlot *slot, wc_row_check check)
{
	int			reads;

	PG_TRY();
	{
		wc_row_probe = pr;
		if (slot != NULL)
			check(td, map, slot);
		else
			wc_check_new_rows(td, map, check);
	}
	PG_FINALLY();
	{
		wc_row_probe = NULL;
	}
	PG_END_TRY();
	reads = pr->reads;
	wc_probe_end(pr);
	return reads;
}

/*
 * wc_check_row_probed: check(td, map, slot) with wc_row_probe set: the row-level checks of an
 * UPDATE or DELETE of pay lines or payments, whose lookups would each be a statement.
 */
void
wc_check_row_probed(TriggerData *td, wc_map *map, TupleTableSlot *slot, wc_row_check check)
{
	wc_probe	pr;
	int			reads;

	if (!wc_probe_begin(&pr))
	{
		check(td, map, slot);
		return;
	}
	reads = wc_run_probed(&pr, td, map, slot, check);
	elog(DEBUG1, "wagecheck: lookups of the changed row: %d read by probes", reads);
}

/* wc_eff_mode: the mode that applies to a row of a project with enforcement_mode pm ('r'/'a'). */
wc_mode
wc_eff_mode(const wc_map *map, char pm)
{
	if (map->mode != WC_MODE_PROJECT)
		return map->mode;
	return pm == 'a' ? WC_MODE_ALERT : WC_MODE_REJECT;
}

/* wc_subject_id: the row's mapped id as text, or "" when none. */
char *
wc_subject_id(wc_map *map, TupleTableSlot *slot)
{
	char	   *s;

	return wc_get_text(map, slot, WC_R_ID, &s) ? s : "";
}

/* wc_trimmed: s without surrounding blanks (in place). */
char *
wc_trimmed(char *s)
{
	char	   *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* wc_norm: s[0..len) normalized (wc_normalize: full-width, blanks, dashes, padding), palloc'd. */
char *
wc_norm(const char *s, size_t len, int flags)
{
	char	   *out = palloc(add_size(mul_size(len, 3), 1));

	wc_normalize(s, len, flags, out, len * 3 + 1);
	return out;
}

/*
 * wc_fail_closed: does a row this trigger cannot judge have to be refused or
 * recorded? On every attached table; wagecheck's own tables (mode "project")
 * have foreign keys and NOT NULL constraints that answer first.
 */
bool
wc_fail_closed(const wc_map *map)
{
	return map->mode != WC_MODE_PROJECT;
}

/*
 * wc_unresolved: a row of an attached table whose value of a role (value; NULL
 * when the column is NULL) wagecheck cannot resolve, why saying what it looked
 * for: refused in reject mode, recorded as a violation of rule in alert mode;
 * never let through unchecked. The message names the role, the column and the
 * value (identity and card numbers masked).
 */
void
wc_unresolved(wc_map *map, TupleTableSlot *slot, Oid relid, wc_mode mode, wc_role role,
			  const char *rule, const char *subject_kind, int64 project_id,
			  const char *value, const char *why)
{
	wc_violation v;
	const char *col = map->attnum[role] > 0
		? NameStr(TupleDescAttr(map->desc, map->attnum[role] - 1)->attname) : "";
	char	   *shown = NULL;

	if (value != NULL)
	{
		int			len = pg_mbcliplen(value, strlen(value), 64);

		shown = wc_trimmed(pnstrdup(value, len));	/* a char(n) column's padding */
		if (role == WC_R_WORKER || role == WC_R_CARD || role == WC_R_COUNTERPARTY)
			shown = wc_masked(shown);
	}
	memset(&v, 0, sizeof(v));
	v.rule = rule;
	v.sqlstate = ERRCODE_WC_UNRESOLVED;
	v.subject_kind = subject_kind;
	v.subject_id = wc_subject_id(map, slot);
	v.project_id = project_id;
	v.amount = PG_INT64_MIN;
	v.message = shown
		? wc_psprintf("wagecheck cannot resolve the value \"%s\" of role \"%s\" in a row of %s (column %s)",
					  shown, wc_role_name(role), map->relname, col)
		: wc_psprintf("a row of %s has no value for role \"%s\" (column %s is NULL): wagecheck cannot check it",
					  map->relname, wc_role_name(role), col);
	v.detail = why ? wc_psprintf("Row %s: %s", v.subject_id[0] ? v.subject_id : "(no id)", why) : NULL;
	v.hint = _("wagecheck checks every row of an attached table: correct the value, or the mapping given to wagecheck.attach().");
	wc_report(mode == WC_MODE_ALERT ? WC_MODE_ALERT : WC_MODE_REJECT, relid, &v);
}

/*
 * wc_check_times: the time roles of a row of an attached table (at, known_at)
 * written as text must read as dates or times; one that does not is refused or
 * recorded, as any value wagecheck cannot resolve. A closure's row is checked
 * when it closes (closure.c).
 */
void
wc_check_times(TriggerData *td, wc_map *map, TupleTableSlot *slot)
{
	static const wc_role times[] = {WC_R_AT, WC_R_KNOWN_AT};
	int			i;

	if (!wc_fail_closed(map) || map->kind == WC_KIND_WAGE_ACCOUNT)
		return;
	for (i = 0; i < (int) lengthof(times); i++)
	{
		int			rc;

		if (map->attnum[times[i]] == 0 || (rc = wc_check_moment(map, slot, times[i])) >= 0)
			continue;
		wc_unresolved(map, slot, RelationGetRelid(td->tg_relation), map->mode, times[i],
					  map->kind == WC_KIND_ACCOUNT_TXN ? "AC03" : "RN01",
					  map->kind == WC_KIND_ACCOUNT_TXN ? "account_txn" :
					  map->kind == WC_KIND_PAY_LINE ? "pay_line" : "payment", 0,
					  wc_role_text(map, slot, times[i]),
					  rc == -1 ? _("Times are written as timestamps or dates, or as text such as 20201215, 2020-12-15 10:00:00 or 2020年12月15日.")
					  : _("Business times run from 2000-01-01 to 2099-12-31 (Beijing time)."));
	}
}

/* field4 of the advisory lock tag of a project's wage ledger (SQL advisory locks use 1 and 2) */
#define WC_LEDGER_LOCK_FIELD4 0x5743

/*
 * wc_ledger_lock: a transaction lock on the wage ledger of a project. Recording
 * wages takes it shared, closing an account (of wagecheck or of an attached
 * table) exclusively, so a closure waits for wages being recorded and then
 * counts them as owed (READ COMMITTED reads what they committed).
 */
void
wc_ledger_lock(int64 project_id, LOCKMODE mode)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) ((uint64) project_id >> 32), (uint32) project_id,
						 WC_LEDGER_LOCK_FIELD4);
	(void) LockAcquire(&tag, mode, false, false);
}

/* wc_relid_label: a table's schema-qualified name, for messages. */
char *
wc_relid_label(Oid relid)
{
	char	   *name = get_rel_name(relid);

	if (name == NULL)
		return wc_psprintf("table %u", relid);
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
}

/* wc_spi_select: runs a cached plan with arguments inside its own SPI connection level. */
void
wc_spi_select(int slot, const char *sql, int nargs, const Oid *types, Datum *args)
{
	int			rc = SPI_execute_plan(wc_plan(slot, sql, nargs, types), args, NULL, false, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "wagecheck: lookup failed: %s", SPI_result_code_string(rc));
}

/*
 * wc_project_lookup: project id, code and mode of a row's sheet or project key;
 * cached for the statement when cached (callers whose trigger has no
 * statement-level part, which forgets the cache, look it up afresh).
 */
wc_lookup *
wc_project_lookup(wc_map *map, TupleTableSlot *slot, bool cached)
{
	static wc_lookup fresh;
	char		key[96];
	char	   *s = NULL;
	int64		n = 0;
	wc_lookup  *l;
	bool		found;
	Datum		arg;
	Oid			type;
	int			plan;
	const char *sql;

	if (map->attnum[WC_R_SHEET])
	{
		if (!wc_get_int64(map, slot, WC_R_SHEET, &n))
			return NULL;
		snprintf(key, sizeof(key), "S" INT64_FORMAT, n);
		plan = WC_P_SHEET;
		sql = "SELECT s.project_id, p.code, p.enforcement_mode FROM wagecheck.pay_sheet s"
			" JOIN wagecheck.project p USING (project_id) WHERE s.sheet_id = $1";
		type = INT8OID;
		arg = Int64GetDatum(n);
	}
	else if (map->is_int[WC_R_PROJECT])
	{
		if (!wc_get_int64(map, slot, WC_R_PROJECT, &n))
			return NULL;
		snprintf(key, sizeof(key), "J" INT64_FORMAT, n);
		plan = WC_P_PROJECT_BY_ID;
		sql = "SELECT project_id, code, enforcement_mode FROM wagecheck.project WHERE project_id = $1";
		type = INT8OID;
		arg = Int64GetDatum(n);
	}
	else
	{
		if (!wc_get_text(map, slot, WC_R_PROJECT, &s))
			return NULL;
		s = wc_norm(s, strlen(s), 0);	/* full-width forms, dashes, padding */
		if (strlen(s) > 80)
			return NULL;
		snprintf(key, sizeof(key), "C%s", s);
		plan = WC_P_PROJECT_BY_CODE;
		/* the code as written, else the one code that matches it without blanks and hyphens */
		sql = "SELECT project_id, code, enforcement_mode FROM wagecheck.project WHERE project_id ="
			" coalesce((SELECT project_id FROM wagecheck.project WHERE code = $1),"
			" (SELECT CASE WHEN count(*) = 1 THEN min(project_id) END FROM wagecheck.project"
			" WHERE upper(translate(code, ' -', '')) = upper(translate($1, ' -', ''))))";
		type = TEXTOID;
		arg = CStringGetTextDatum(s);
	}
	if (cached)
	{
		l = wc_lookup_find(key, &found);
		if (found)
			return l->found ? l : NULL;
	}
	else
		l = &fresh;
	if (plan == WC_P_SHEET && wc_row_probe != NULL)
	{
		int64		project;
		char	   *code;
		char		mode;

		if (wc_probe_sheet(wc_row_probe, n, &project) && wc_probe_project(wc_row_probe, project, &code, &mode))
		{
			l->found = true;
			l->n1 = project;
			strlcpy(l->text1, code, sizeof(l->text1));
			l->mode = mode;
			return l;
		}
	}
	SPI_connect();
	wc_spi_select(plan, sql, 1, &type, &arg);
	l->found = SPI_processed > 0;
	if (l->found)
	{
		bool		isnull;

		l->n1 = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		strlcpy(l->text1, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), sizeof(l->text1));
		l->mode = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3)[0];
	}
	SPI_finish();
	return l->found ? l : NULL;
}

/*
 * wc_worker_lookup: is the worker (by worker_id or resident ID text) on the
 * project's roster? n1 = worker_id, text1 = name, flag = rostered (cached).
 * NULL when the row names no worker, or (defect set, when asked for) names him
 * by text that is no resident ID.
 */
wc_lookup *
wc_worker_lookup(wc_map *map, TupleTableSlot *slot, int64 project_id, char **label, char **defect)
{
	char		key[96];
	char	   *s = NULL;
	int64		n = 0;
	wc_lookup  *l;
	bool		found;
	Datum		args[2];
	Oid			types[2] = {INT8OID, INT8OID};

	if (map->is_int[WC_R_WORKER])
	{
		if (!wc_get_int64(map, slot, WC_R_WORKER, &n))
			return NULL;
		snprintf(key, sizeof(key), "W" INT64_FORMAT ":" INT64_FORMAT, project_id, n);
		*label = wc_psprintf("worker %lld", (long long) n);
	}
	else
	{
		if (!wc_get_text(map, slot, WC_R_WORKER, &s))
			return NULL;
		s = wc_trimmed(s);
		if (defect != NULL && (*defect = wc_ident_defect(s, 'r')) != NULL)
			return NULL;		/* not a resident ID, even as a clerk may write one */
		snprintf(key, sizeof(key), "R" INT64_FORMAT ":%.70s", project_id, s);
		*label = wc_psprintf("ID %s", wc_masked(s));
	}
	l = wc_lookup_find(key, &found);
	if (!found && s == NULL && wc_row_probe != NULL)
	{
		char	   *name,
					card[WC_PROBE_CARD_LEN];
		int			rostered;

		if (wc_probe_worker(wc_row_probe, n, &name, card) &&
			(rostered = wc_probe_rostered(wc_row_probe, project_id, n)) >= 0)
		{
			l->found = true;
			l->n1 = n;
			strlcpy(l->text1, name, sizeof(l->text1));
			l->flag = rostered == 1;
			found = true;
		}
	}
	if (!found)
	{
		SPI_connect();
		args[0] = Int64GetDatum(project_id);
		if (s == NULL)
		{
			args[1] = Int64GetDatum(n);
			wc_spi_select(WC_P_WORKER_BY_ID,
					   "SELECT w.worker_id, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
					   " WHERE r.project_id = $1 AND r.worker_id = w.worker_id)"
					   " FROM wagecheck.worker w WHERE w.worker_id = $2", 2, types, args);
		}
		else
		{
			types[1] = TEXTOID;
			args[1] = CStringGetTextDatum(s);
			wc_spi_select(WC_P_WORKER_BY_RID,
					   "SELECT w.worker_id, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
					   " WHERE r.project_id = $1 AND r.worker_id = w.worker_id)"
					   " FROM wagecheck.worker w WHERE w.resident_id OPERATOR(wagecheck.=) CASE"
					   " WHEN wagecheck.is_valid_resident_id($2) THEN $2::wagecheck.resident_id END",
					   2, types, args);
		}
		l->found = SPI_processed > 0;
		if (l->found)
		{
			bool		isnull;

			l->n1 = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
			strlcpy(l->text1, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), sizeof(l->text1));
			l->flag = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
		}
		SPI_finish();
	}
	if (l->found)
		*label = wc_psprintf("%s (worker %lld)", l->text1, (long long) l->n1);
	return l;
}

/*
 * wc_payee_lookup: whose registered card is this counterparty account (bytes
 * account[0..len), wc_trimmed), and is he on the project's roster? Cached per
 * statement and project: a nightly file pays the same cards over and over.
 */
wc_payee
wc_payee_lookup(int64 project_id, const char *account, int len, wc_payee_entry **out)
{
	wc_payee_entry *e = wc_payee_find(project_id, account, len);

	if (e == NULL)
	{
		Oid			types[2] = {INT8OID, TEXTOID};
		Datum		args[2];
		bool		found,
					isnull;

		args[0] = Int64GetDatum(project_id);
		args[1] = PointerGetDatum(cstring_to_text_with_len(account, len));
		SPI_connect();
		wc_spi_select(WC_P_PAYEE,
				   "SELECT w.worker_id, w.name, EXISTS (SELECT 1 FROM wagecheck.roster r"
				   " WHERE r.project_id = $1 AND r.worker_id = w.worker_id) AS rostered"
				   " FROM wagecheck.worker w WHERE w.wage_card OPERATOR(wagecheck.=) CASE"
				   " WHEN wagecheck.is_valid_bank_card($2) THEN $2::wagecheck.bank_card END"
				   " ORDER BY 3 DESC, 1 LIMIT 1", 2, types, args);
		found = SPI_processed > 0;
		/* only now, with the answer at hand, does the cache get an entry */
		e = wc_payee_store(project_id, account, len, found);
		if (found)
		{
			e->worker->worker_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
			strlcpy(e->worker->name, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), sizeof(e->worker->name));
			e->rostered = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
		}
		SPI_finish();
	}
	*out = e;
	if (e->worker == NULL)
		return WC_PAYEE_NOT_WORKER_CARD;
	return e->rostered ? WC_PAYEE_ROSTERED : WC_PAYEE_OTHER_WORKER;
}

/*
 * wc_ident_defect: NULL when s is a resident ID (kind 'r') or a bank card
 * number (kind 'c') as the types read them (full-width forms, blanks, hyphens,
 * a lower-case x); else what is wrong with it, palloc'd.
 */
char *
wc_ident_defect(const char *s, char kind)
{
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	int64_t		v;
	wc_ident_status st;

	detail[0] = '\0';
	st = wc_ident_compact_server(s, strlen(s), &c, detail);
	if (st == WC_IDENT_OK)
		st = kind == 'r' ? wc_resident_id_from_compact(&c, wc_today_ymd(), &v, detail)
			: wc_bank_card_from_compact(&c, &v, detail);
	if (st == WC_IDENT_OK)
		return NULL;
	return pstrdup(detail[0] ? detail : (kind == 'r' ? _("not a resident ID number") : _("not a bank card number")));
}

/* wc_role_text: the value of a role as text, or NULL (NULL or not mapped). */
char *
wc_role_text(wc_map *map, TupleTableSlot *slot, wc_role role)
{
	char	   *s;

	return wc_get_text(map, slot, role, &s) ? s : NULL;
}

/*
 * wc_project_unresolved: a row whose project (its sheet, or project column)
 * wagecheck cannot find, reported under rule as a row of subject_kind.
 */
void
wc_project_unresolved(wc_map *map, TupleTableSlot *slot, Oid relid, const char *rule, const char *subject_kind)
{
	wc_role		role = map->attnum[WC_R_SHEET] ? WC_R_SHEET : map->attnum[WC_R_PROJECT] ? WC_R_PROJECT : WC_R_LINE;
	char	   *value = wc_role_text(map, slot, role);

	wc_unresolved(map, slot, relid, map->mode, role, rule, subject_kind, 0, value,
				  value == NULL ? _("A row names the project it belongs to.")
				  : role == WC_R_SHEET ? _("No pay sheet of wagecheck (wagecheck.pay_sheet) has this id.")
				  : role == WC_R_LINE ? _("No pay-sheet line of wagecheck (wagecheck.pay_line) has this id.")
				  : _("No project of wagecheck (wagecheck.project) has this code or id, written with or without blanks and hyphens."));
}

/* wc_trim_n: s[0..*len) without surrounding blanks (no copy). */
const char *
wc_trim_n(const char *s, int *len)
{
	while (*len > 0 && (*s == ' ' || *s == '\t'))
		s++, (*len)--;
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

/*
 * accounts_answer: the answer of wc_accounts_closed into l, from the project's accounts in
 * wagecheck.wage_account (accounts, open of them: their rows locked FOR SHARE already) and
 * the tables of accounts attached (SPI connected); then the project's ledger lock, taken
 * shared after the account rows, so it never waits holding what a closure needs.
 */
static void
accounts_answer(wc_lookup *l, int64 project_id, const char *code, int64 accounts, int64 open)
{
	Oid			legacy = wc_attached_accounts_closed(project_id, code);

	l->found = true;
	l->n1 = accounts;
	l->flag = (accounts > 0 && open == 0) || legacy != InvalidOid;
	l->n2 = (accounts > 0 && open == 0) ? InvalidOid : legacy;
	wc_ledger_lock(project_id, ShareLock);
}

/*
 * wc_accounts_closed: is the dedicated account of a project closed? It is when the
 * project has accounts in wagecheck.wage_account and none is open (n2 =
 * InvalidOid), or when a table of accounts attached with wagecheck.attach()
 * lists accounts of the project and all of them are closed (n2 = that table).
 * NULL while the project has an open account. The account rows are locked FOR
 * SHARE first, then the project's ledger lock is taken shared: a closure in
 * progress is waited for and then seen; a closure starting later waits for
 * these wages and counts them. Cached for the statement when cached (callers
 * whose trigger has no statement-level part, which forgets the cache, ask afresh);
 * the statement-level checks of new lines and payments read the accounts of their
 * projects with the lines (wc_accounts_closed_known) before they ask.
 */
wc_lookup *
wc_accounts_closed(int64 project_id, const char *code, bool cached)
{
	static wc_lookup fresh;
	char		key[96];
	bool		found = false;
	wc_lookup  *l;
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(project_id);
	bool		isnull;

	if (cached)
	{
		snprintf(key, sizeof(key), "A" INT64_FORMAT, project_id);
		l = wc_lookup_find(key, &found);
		if (found)
			return l->flag ? l : NULL;
	}
	else
		l = &fresh;
	if (wc_row_probe != NULL)
	{
		int64		accounts,
					open;

		if (wc_probe_accounts(wc_row_probe, project_id, &accounts, &open))
		{
			bool		spi = !wc_attached_accounts_none();

			if (spi)
				SPI_connect();
			accounts_answer(l, project_id, code, accounts, open);
			if (spi)
				SPI_finish();
			return l->flag ? l : NULL;
		}
	}
	SPI_connect();
	wc_spi_select(WC_P_ACCT_SHARE, WC_ACCOUNTS_SQL("$1"), 1, &type, &arg);
	accounts_answer(l, project_id, code,
					DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)),
					DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)));
	SPI_finish();
	return l->flag ? l : NULL;
}

/*
 * wc_accounts_closed_known: the project's accounts as a statement's query read them
 * (accounts, open of them; their rows locked FOR SHARE by it), kept for the statement
 * as wc_accounts_closed(project_id, code, true) answers; SPI is connected.
 */
void
wc_accounts_closed_known(int64 project_id, const char *code, int64 accounts, int64 open)
{
	char		key[96];
	bool		found;
	wc_lookup  *l;

	snprintf(key, sizeof(key), "A" INT64_FORMAT, project_id);
	l = wc_lookup_find(key, &found);
	if (!found)
		accounts_answer(l, project_id, code, accounts, open);
}

/*
 * wc_accounts_closed_probed: wc_accounts_closed_known for accounts read by a probe (probe.c),
 * SPI not connected: it is connected only when tables of accounts are attached (or their
 * list must be read again), whose queries answer for them.
 */
void
wc_accounts_closed_probed(int64 project_id, const char *code, int64 accounts, int64 open)
{
	bool		spi = !wc_attached_accounts_none();

	if (spi)
		SPI_connect();
	wc_accounts_closed_known(project_id, code, accounts, open);
	if (spi)
		SPI_finish();
}

/* wc_line_paid: has a payment been recorded against pay line line_id? */
bool
wc_line_paid(int64 line_id)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(line_id);
	bool		paid;
	int			probed;

	if (wc_row_probe != NULL && (probed = wc_probe_paid(wc_row_probe, line_id)) >= 0)
		return probed == 1;
	SPI_connect();
	wc_spi_select(WC_P_LINE_PAID,
			   "SELECT 1 FROM wagecheck.wage_payment WHERE line_id = $1 LIMIT 1", 1, &type, &arg);
	paid = SPI_processed > 0;
	SPI_finish();
	return paid;
}

/* wc_line_net: what a pay-sheet line row owes: its net, else payable minus deductions (0 when no payable). */
int64
wc_line_net(wc_map *map, TupleTableSlot *slot)
{
	int64		payable,
				deductions = 0,
				net;

	if (wc_get_cents(map, slot, WC_R_NET, &net))
		return net;
	if (!wc_get_cents(map, slot, WC_R_PAYABLE, &payable))
		return 0;
	wc_get_cents(map, slot, WC_R_DEDUCTIONS, &deductions);
	return payable - deductions;
}
