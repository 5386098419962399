/*
 * account_keyed.h — a statement of one movement judged without SPI statements: its account
 * found, locked and read by key, its payee read through indexes, its new balance written by
 * key (account_keyed.c).
 */
#ifndef WAGECHECK_ACCOUNT_KEYED_H
#define WAGECHECK_ACCOUNT_KEYED_H

#include "enforce/direct.h"
#include "enforce/enforce.h"

typedef struct wc_account_keyed
{
	wc_direct	account;		/* wage_account, its row locked in account.slot */
	int			balance_att;
	wc_account	acct;			/* what the row's check reads and changes */
} wc_account_keyed;

extern bool wc_account_keyed_begin(wc_account_keyed *k, int64 id, const char *cp, int cplen);
extern bool wc_account_keyed_possible(void);
extern bool wc_account_keyed_begin_checked(wc_account_keyed *k, int64 id, const char *cp, int cplen);
extern bool wc_account_keyed_end(wc_account_keyed *k);

/* worker and roster opened to read payees by key */
typedef struct wc_payee_reader
{
	wc_direct	w;				/* worker, by wage_card */
	wc_direct	r;				/* roster, by (project_id, worker_id) */
	int			a_id;
	int			a_name;
} wc_payee_reader;

extern bool wc_payee_reader_open(wc_payee_reader *pr);
extern bool wc_payee_reader_read(wc_payee_reader *pr, Snapshot snapshot, int64 project_id,
								 const char *cp, int cplen);
extern void wc_payee_reader_close(wc_payee_reader *pr);

/* a payee a statement of several movements asks for (wc_payee_reader_scan) */
typedef struct wc_payee_ask
{
	int64		project_id;
	const char *account;		/* the counterparty account, trimmed: len bytes */
	int			len;
	bool		done;			/* answered (in the statement's cache) */
} wc_payee_ask;

extern bool wc_payee_reader_scan(wc_payee_reader *pr, Snapshot snapshot, wc_payee_ask *asks, int n);

#endif							/* WAGECHECK_ACCOUNT_KEYED_H */
