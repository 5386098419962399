/*
 * wage_keyed.h — new pay lines and payments written to wage_month and the summaries kept
 * with it by key (src/alerts/keyed.c), without the statements of src/alerts/summaries.c.
 */
#ifndef WAGECHECK_WAGE_KEYED_H
#define WAGECHECK_WAGE_KEYED_H

#include "postgres.h"

#include "alerts/kept_plans.h"
#include "utils/rel.h"

/* A new pay line (no correction), as P_LINE_ONE takes it. */
typedef struct wc_line_in
{
	int64		line_id;
	int64		sheet_id;
	int64		worker_id;
	Datum		days;			/* numeric; days_null when NULL */
	bool		days_null;
	Datum		payable;		/* numeric */
	Datum		net;			/* numeric */
	TimestampTz created_at;
} wc_line_in;

/* A new payment, as P_PAYMENT_ADD takes it, with the method and card it was made with. */
typedef struct wc_payment_in
{
	int64		payment_id;
	int64		line_id;
	Datum		amount;			/* numeric */
	TimestampTz paid_at;
	TimestampTz created_at;
	const char *method;
	bool		card_null;
	int64		card;			/* a bank_card (int8-like) */
} wc_payment_in;

extern int	wc_line_one_keyed(const wc_line_in *l);
extern int	wc_lines_keyed(const wc_line_in *l, int n, bool *left);
extern int	wc_payments_keyed(const wc_payment_in *p, int n, wc_datum_col *months, Relation rel, const void *rows);
extern int	wc_sheets_have_lines(const Datum *sheet_ids, int n);

#endif							/* WAGECHECK_WAGE_KEYED_H */
