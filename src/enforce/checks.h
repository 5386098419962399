/*
 * checks.h — what the files of the enforcing trigger share among themselves (enforce.c
 * dispatches; account_txn.c, payments.c and closure.c check; lookup.c looks up).
 */
#ifndef WC_ENFORCE_CHECKS_H
#define WC_ENFORCE_CHECKS_H

#include "enforce/enforce.h"
#include "storage/lockdefs.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

/* lookup.c */
extern wc_mode wc_eff_mode(const wc_map *map, char pm);
extern char *wc_subject_id(wc_map *map, TupleTableSlot *slot);
extern char *wc_trimmed(char *s);
extern char *wc_norm(const char *s, size_t len, int flags);
extern bool wc_fail_closed(const wc_map *map);
extern void wc_check_times(TriggerData *td, wc_map *map, TupleTableSlot *slot);
extern void wc_unresolved(wc_map *map, TupleTableSlot *slot, Oid relid, wc_mode mode, wc_role role,
						  const char *rule, const char *subject_kind, int64 project_id,
						  const char *value, const char *why);
extern void wc_ledger_lock(int64 project_id, LOCKMODE mode);
extern char *wc_relid_label(Oid relid);
extern void wc_spi_select(int slot, const char *sql, int nargs, const Oid *types, Datum *args);
extern wc_lookup *wc_project_lookup(wc_map *map, TupleTableSlot *slot, bool cached);
extern wc_lookup *wc_worker_lookup(wc_map *map, TupleTableSlot *slot, int64 project_id, char **label,
								   char **defect);
extern char *wc_ident_defect(const char *s, char kind);
extern char *wc_role_text(wc_map *map, TupleTableSlot *slot, wc_role role);
extern void wc_project_unresolved(wc_map *map, TupleTableSlot *slot, Oid relid, const char *rule,
								  const char *subject_kind);
extern wc_payee wc_payee_lookup(int64 project_id, const char *account, int len, wc_payee_entry **out);
extern const char *wc_trim_n(const char *s, int *len);
extern wc_lookup *wc_accounts_closed(int64 project_id, const char *code, bool cached);
extern void wc_accounts_closed_known(int64 project_id, const char *code, int64 accounts, int64 open);
extern void wc_accounts_closed_probed(int64 project_id, const char *code, int64 accounts, int64 open);
/*
 * WC_ACCOUNTS_SQL(project): one row, the project's accounts in wagecheck.wage_account
 * (accounts: their number, or of the open ones when one is open) and the open ones (open),
 * locked FOR SHARE: the open ones, found by their index (what a closure would change);
 * every one only when none is open (what a reopening would change).
 */
#define WC_ACCOUNTS_SQL(project) \
	"SELECT CASE WHEN o.open > 0 THEN o.open" \
	"            ELSE (SELECT count(*) FROM (SELECT 1 FROM wagecheck.wage_account c" \
	"                                         WHERE c.project_id = " project " FOR SHARE OF c) c) END AS accounts," \
	"       o.open" \
	"  FROM (SELECT count(*) AS open FROM (SELECT 1 FROM wagecheck.wage_account a" \
	"                                       WHERE a.project_id = " project " AND a.closed_on IS NULL" \
	"                                       FOR SHARE OF a) a) o"
extern bool wc_line_paid(int64 line_id);
extern int64 wc_line_net(wc_map *map, TupleTableSlot *slot);

/* the check of one row of a statement */
typedef void (*wc_row_check) (TriggerData *td, wc_map *map, TupleTableSlot *slot);

/* account_txn.c */
extern void wc_check_new_rows(TriggerData *td, wc_map *map, wc_row_check check);
extern void wc_check_account_txn(TriggerData *td, wc_map *map, TupleTableSlot *slot);
extern void wc_check_new_table(TriggerData *td, wc_map *map);

/* payments.c */
extern void wc_check_pay_line(TriggerData *td, wc_map *map, TupleTableSlot *slot);
extern void wc_check_wage_payment(TriggerData *td, wc_map *map, TupleTableSlot *slot);
extern void wc_check_new_lines(TriggerData *td, wc_map *map);
extern void wc_check_new_payments(TriggerData *td, wc_map *map);

/* probe.c: the reads of a one-row statement's checks through the indexes, without a statement */
#define WC_PROBE_TABLES 7
#define WC_PROBE_CARD_LEN 20	/* a bank card's digits and the terminating zero */
typedef struct wc_probe
{
	bool		active;
	Snapshot	snapshot;
	MemoryContext cxt;			/* where its slots are */
	int			reads;			/* rows looked for by it */
	struct HTAB *memo;			/* what it read, by key (wc_probe_memoize), or NULL */
	Relation	rel[WC_PROBE_TABLES];
	Relation	index[WC_PROBE_TABLES];
	TupleTableSlot *slot[WC_PROBE_TABLES];
} wc_probe;
extern bool wc_probe_begin(wc_probe *p);
extern void wc_probe_end(wc_probe *p);
extern void wc_probe_memoize(wc_probe *p);
extern bool wc_probe_sheet(wc_probe *p, int64 sheet, int64 *project);
extern bool wc_probe_line(wc_probe *p, int64 line, int64 *sheet, int64 *worker);
extern bool wc_probe_project(wc_probe *p, int64 project, char **code, char *mode);
extern bool wc_probe_worker(wc_probe *p, int64 worker, char **name, char card[WC_PROBE_CARD_LEN]);
extern bool wc_probe_worker_card(wc_probe *p, int64 *card);
extern int	wc_probe_rostered(wc_probe *p, int64 project, int64 worker);
extern bool wc_probe_accounts(wc_probe *p, int64 project, int64 *accounts, int64 *open);
extern int	wc_probe_paid(wc_probe *p, int64 line);

/* lookup.c: the probe the checks of the row at hand read by when they can, or NULL (they query) */
extern wc_probe *wc_row_probe;
extern int	wc_run_probed(wc_probe *pr, TriggerData *td, wc_map *map, TupleTableSlot *slot, wc_row_check check);
extern void wc_check_row_probed(TriggerData *td, wc_map *map, TupleTableSlot *slot, wc_row_check check);

/* closure.c */
extern int wc_closure_notice_days;
extern void wc_check_wage_account(TriggerData *td, wc_map *map);

#endif
