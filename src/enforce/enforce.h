/*
 * enforce.h — shared declarations of the enforcing triggers: the column map of a
 * trigger (which column plays which role), the per-statement caches, and how a
 * rule violation is reported (raised, or recorded in alert mode).
 */
#ifndef WC_ENFORCE_H
#define WC_ENFORCE_H

#include "postgres.h"

#include "access/htup.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "catalog/pg_type_d.h"
#include "datatype/timestamp.h"
#include "utils/array.h"
#include "utils/date.h"

#include "core/outflow.h"

/* What kind of rows a trigger enforces. */
typedef enum wc_kind
{
	WC_KIND_ACCOUNT_TXN,		/* movements of a dedicated account */
	WC_KIND_PAY_LINE,			/* pay-sheet lines */
	WC_KIND_WAGE_PAYMENT,		/* wagecheck.wage_payment */
	WC_KIND_WAGE_ACCOUNT		/* wagecheck.wage_account (closure, balance) */
} wc_kind;

/* What happens to a violating row. */
typedef enum wc_mode
{
	WC_MODE_PROJECT,			/* the project's enforcement_mode decides */
	WC_MODE_REJECT,
	WC_MODE_ALERT
} wc_mode;

/* Column roles a trigger's mapping can name. */
typedef enum wc_role
{
	WC_R_ID,
	WC_R_ACCOUNT,
	WC_R_DIRECTION,
	WC_R_AMOUNT,
	WC_R_COUNTERPARTY,
	WC_R_COUNTERPARTY_NAME,
	WC_R_PURPOSE,
	WC_R_SHEET,
	WC_R_PROJECT,
	WC_R_WORKER,
	WC_R_PAYABLE,
	WC_R_DEDUCTIONS,
	WC_R_NET,
	WC_R_CORRECTS,
	WC_R_LINE,
	WC_R_METHOD,
	WC_R_CARD,
	WC_R_CLOSED_ON,
	WC_R_NOTICE_ON,
	WC_R_BALANCE,
	WC_R_AT,					/* the row's own moment (a bank's transaction time) */
	WC_R_KNOWN_AT,				/* when the row became known (loaded, entered) */
	WC_NROLES
} wc_role;

/* A few words and what they were classified as, kept with a mapping (values of the map's own). */
#define WC_MEMO_WORDS 16
#define WC_MEMO_WORD_LEN 30
typedef struct wc_word_memo
{
	uint8		len[WC_MEMO_WORDS];	/* 0 = empty */
	int8		verdict[WC_MEMO_WORDS];
	uint8		next;			/* the slot written next */
	char		word[WC_MEMO_WORDS][WC_MEMO_WORD_LEN];
} wc_word_memo;

/* wc_memo_find: what word s[0..len) was classified as, or -1 when it is not remembered. */
static inline int
wc_memo_find(const wc_word_memo *m, const char *s, int len)
{
	int			i;

	for (i = 0; i < WC_MEMO_WORDS; i++)
		if (m->len[i] == len && len > 0 && memcmp(m->word[i], s, len) == 0)
			return m->verdict[i];
	return -1;
}

/* wc_memo_keep: remembers a word (up to WC_MEMO_WORD_LEN bytes) and its verdict. */
static inline void
wc_memo_keep(wc_word_memo *m, const char *s, int len, int verdict)
{
	if (len <= 0 || len > WC_MEMO_WORD_LEN)
		return;
	memcpy(m->word[m->next], s, len);
	m->len[m->next] = (uint8) len;
	m->verdict[m->next] = (int8) verdict;
	m->next = (uint8) ((m->next + 1) % WC_MEMO_WORDS);
}

/* A trigger's resolved mapping: attribute number and output function per role. */
typedef struct wc_map
{
	Oid			tgoid;			/* hash key */
	Oid			relid;
	bool		valid;
	MemoryContext cxt;
	wc_kind		kind;
	wc_mode		mode;
	char	   *relname;		/* qualified, for messages */
	AttrNumber	attnum[WC_NROLES];	/* 0 = role not mapped */
	AttrNumber	maxatt;			/* highest attnum mapped: rows are deformed up to it, once */
	bool		is_int[WC_NROLES];	/* integer-typed column */
	Oid			base[WC_NROLES];	/* base type of the column */
	FmgrInfo	out[WC_NROLES];
	TupleDesc	desc;			/* copy of the relation's descriptor (not pinned) */
	TupleTableSlot *slot;		/* for the new (or only) row */
	TupleTableSlot *oldslot;	/* for the old row of an UPDATE */
	/* value maps of the mapping (NULL-terminated patterns; NULL: wagecheck's defaults) */
	const char **dir_in;
	const char **dir_out;
	const char **wage;
	const char **cash;
	bool		minus_is_in;	/* amount.sign = minus_is_in: without a direction, a negative amount comes in */
	/* the last words classified (a bank file repeats a handful of codes and purposes) */
	wc_word_memo dir_memo;
	wc_word_memo purpose_memo;
} wc_map;

/* enforce.c */
extern Oid wc_rules_owner(void);

/* map.c */
extern wc_map *wc_get_map(TriggerData *trigdata);
extern void wc_resolve_mapping(TupleDesc desc, const char *relname, int nargs, char **args, wc_map *map);
extern const char *wc_role_name(wc_role role);
extern bool wc_get_text(wc_map *map, TupleTableSlot *slot, wc_role role, char **out);
extern void wc_cents_error(wc_map *map, wc_role role, Datum d, int rc) pg_attribute_noreturn();
extern int	wc_get_moment(wc_map *map, TupleTableSlot *slot, wc_role role, TimestampTz *out);
extern int	wc_check_moment(wc_map *map, TupleTableSlot *slot, wc_role role);
extern int	wc_get_date(wc_map *map, TupleTableSlot *slot, wc_role role, DateADT *out);
extern void wc_set_current_row(wc_map *map, TupleTableSlot *slot, bool is_new);

/*
 * The role getters below run for every column of every row a bulk load brings,
 * so they are inline: a few loads from the slot's deformed values, no call.
 */

#define WC_CENTS_OVERFLOW_INT (-100)	/* wc_cents_error: integer amount * 100 overflows */

/* wc_in_place: a varlena datum readable in place (detoasted only when compressed or external). */
static pg_attribute_always_inline struct varlena *
wc_in_place(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	return unlikely(VARATT_IS_COMPRESSED(v) || VARATT_IS_EXTERNAL(v)) ? pg_detoast_datum_packed(v) : v;
}

/* wc_get_datum: the value of a mapped role; false when NULL or not mapped. */
static pg_attribute_always_inline bool
wc_get_datum(wc_map *map, TupleTableSlot *slot, wc_role role, Datum *d)
{
	bool		isnull;

	if (map->attnum[role] == 0)
		return false;
	*d = slot_getattr(slot, map->attnum[role], &isnull);
	return !isnull;
}

/*
 * Value of a role as bytes without a copy when the column is text-like and
 * stored as text (else through the output function); false when NULL or not mapped.
 */
static pg_attribute_always_inline bool
wc_get_textn(wc_map *map, TupleTableSlot *slot, wc_role role, const char **ptr, int *len)
{
	Datum		d;

	if (!wc_get_datum(map, slot, role, &d))
		return false;
	if (likely(map->base[role] == TEXTOID || map->base[role] == VARCHAROID))
	{
		struct varlena *v = wc_in_place(d);

		*ptr = VARDATA_ANY(v);
		*len = VARSIZE_ANY_EXHDR(v);
	}
	else
	{
		char	   *s = OutputFunctionCall(&map->out[role], d);

		*ptr = s;
		*len = strlen(s);
	}
	return true;
}

/* Value of an integer-typed role; false when NULL or not mapped. */
static pg_attribute_always_inline bool
wc_get_int64(wc_map *map, TupleTableSlot *slot, wc_role role, int64 *out)
{
	Datum		d;

	if (!wc_get_datum(map, slot, role, &d))
		return false;
	if (map->base[role] == INT8OID)
		*out = DatumGetInt64(d);
	else if (map->base[role] == INT4OID)
		*out = DatumGetInt32(d);
	else
		*out = DatumGetInt16(d);
	return true;
}

/* Value of a money role in cents (numeric read in its stored form); false when NULL or not mapped. */
static pg_attribute_always_inline bool
wc_get_cents(wc_map *map, TupleTableSlot *slot, wc_role role, int64 *out)
{
	Datum		d;
	int			rc;

	if (!wc_get_datum(map, slot, role, &d))
		return false;
	if (map->is_int[role])
	{
		int64		i = map->base[role] == INT8OID ? DatumGetInt64(d) :
			map->base[role] == INT4OID ? DatumGetInt32(d) : DatumGetInt16(d);

		if (unlikely(__builtin_mul_overflow(i, 100, out)))
			wc_cents_error(map, role, d, WC_CENTS_OVERFLOW_INT);
		return true;
	}
	{
		struct varlena *v = wc_in_place(d);

		rc = wc_numeric_cents((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), out);
	}
	if (unlikely(rc != WC_CENTS_OK))
		wc_cents_error(map, role, d, rc);
	return true;
}

/* A dedicated account as the current statement sees it (row locked). */
typedef struct wc_account
{
	char		key[48];		/* 'i' + id or 'n' + account number */
	bool		known;
	int64		account_id;
	int64		project_id;
	char		project_code[64];
	char		project_mode;	/* 'r' or 'a' */
	bool		closed;
	Oid			closed_in;		/* the attached table of accounts that closed it, or InvalidOid */
	int64		balance;		/* cents, running within the statement */
	bool		dirty;
	SubTransactionId created_subid;
	int			nsaved;			/* balance before changes of each open subtransaction */
	SubTransactionId saved_subid[8];
	int64		saved_balance[8];
} wc_account;

/* A cached answer of a lookup query within the statement. */
typedef struct wc_lookup
{
	char		key[96];
	bool		found;
	int64		n1;
	int64		n2;
	bool		flag;
	char		mode;
	char		text1[64];
	char		text2[64];
} wc_lookup;

/*
 * A cached answer to "whose registered wage card is this counterparty account,
 * and is he on this project's roster?" (the lookup every wage outflow needs).
 */
#define WC_PAYEE_KEYLEN 40

/* The worker whose registered card it is (kept apart: the hot entry fits a cache line). */
typedef struct wc_payee_worker
{
	int64		worker_id;
	char		name[64];
} wc_payee_worker;

/* One slot of the statement's payee table: 64 bytes, one cache line. */
typedef struct wc_payee_entry
{
	int64		project_id;
	wc_payee_worker *worker;	/* NULL: not any worker's registered card */
	uint32		hash;
	uint8		len;			/* bytes of account; 0 = empty slot */
	bool		rostered;		/* the card of a worker on the project's roster */
	char		pad[2];
	char		account[WC_PAYEE_KEYLEN];	/* trimmed counterparty bytes (len of them) */
} wc_payee_entry;

/* state.c */
extern wc_payee_entry *wc_payee_find(int64 project_id, const char *account, int len);
extern wc_payee_entry *wc_payee_store(int64 project_id, const char *account, int len, bool is_card);
extern void wc_payee_reserve(long n);
extern wc_account *wc_account_get(bool by_id, int64 id, const char *number);
extern wc_account *wc_account_get_paying(int64 id, const char *cp, int cplen);
extern void wc_enforced_keep(Oid relid, char kind, const void *rows, const int64 *keys, int nkeys,
							 const int64 *projects, int nprojects);
extern bool wc_enforced_take(Oid relid, char kind, const void *rows, const int64 *keys, int nkeys,
							 int64 **projects, int *nprojects);
extern void wc_enforced_forget(void);
extern void wc_balance_range_error(const wc_account *acct, const char *what, int64 amount) pg_attribute_noreturn();

/* The largest balance wagecheck.wage_account.balance, numeric(14,2), holds: 999999999999.99 yuan. */
#define WC_BALANCE_MAX_CENTS INT64CONST(99999999999999)

/* attached.c */
extern bool wc_attached_accounts_exist(void);
extern bool wc_attached_accounts_none(void);

/* mirror_one.c: a one-row INSERT into a mirrored table written without reading its transition table by SQL */
extern bool wc_mirror_one(TriggerData *td);
/* mirror.c: the words of a bank or payroll file, and the patterns of a value map */
extern const char *wc_mirror_word(const char *role, const char *s, size_t len, const char *const *a,
								  const char *const *b);
extern const char *const *wc_mirror_patterns(ArrayType *arr, const char *role, const char *option);
extern Oid	wc_attached_accounts_closed(int64 project_id, const char *code);
extern void wc_account_set_balance(wc_account *acct, int64 balance);
extern wc_lookup *wc_lookup_find(const char *key, bool *found);
extern void wc_flush(void);
extern bool wc_flushing(void);
extern SPIPlanPtr wc_plan(int slot, const char *sql, int nargs, const Oid *argtypes);
extern void wc_enforce_init(void);
extern void wc_enforce_guc_init(void);

/* plan slots of wc_plan */
enum
{
	WC_P_ACCT_BY_ID, WC_P_ACCT_BY_NO, WC_P_PAYEE, WC_P_SHEET, WC_P_PROJECT_BY_ID,
	WC_P_PROJECT_BY_CODE, WC_P_WORKER_BY_ID, WC_P_WORKER_BY_RID, WC_P_ACCT_SHARE,
	WC_P_CORRECTS, WC_P_LINE_PAID, WC_P_PAYMENT_LINE, WC_P_OWED, WC_P_FLUSH,
	WC_P_VIOLATION, WC_P_PAYMENT_CARD, WC_P_PAYMENT_LINES, WC_P_LINE_KEYS, WC_P_PAYEE_BATCH,
	WC_P_PAYMENT_LINE_ACCTS, WC_P_LINE_KEY_ONE, WC_P_FLUSH_ONE, WC_P_ACCT_PAYEE,
	WC_NPLANS
};

/* report.c: one rule violation, raised (reject) or recorded (alert). */
typedef struct wc_violation
{
	const char *rule;			/* AC03, WP04, RN01, AC05, AC06, PS01 */
	int			sqlstate;
	const char *subject_kind;
	const char *subject_id;
	int64		project_id;		/* 0 = unknown */
	char	   *message;
	char	   *detail;
	const char *hint;
	int64		amount;			/* cents; INT64_MIN = none */
	const char *worker;			/* for details, may be NULL */
} wc_violation;

extern void wc_report(wc_mode mode, Oid source, const wc_violation *v);
extern char *wc_cents_str(int64 cents);
extern char *wc_masked(const char *s);

#endif							/* WC_ENFORCE_H */
