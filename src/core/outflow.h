/*
 * outflow.h — the decisions of the enforcing triggers as pure functions:
 * direction and purpose words of bank files, the outflow verdict (AC03/WP04),
 * money in cents, pay-line arithmetic. No PostgreSQL header.
 */
#ifndef WC_CORE_OUTFLOW_H
#define WC_CORE_OUTFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum wc_direction
{
	WC_DIR_UNKNOWN = 0,
	WC_DIR_IN,
	WC_DIR_OUT
} wc_direction;

typedef enum wc_purpose
{
	WC_PURPOSE_NONE = 0,		/* not given */
	WC_PURPOSE_WAGE,			/* wage to a worker */
	WC_PURPOSE_CASH,			/* cash withdrawal */
	WC_PURPOSE_INFLOW,			/* labour cost or top-up (an inflow word) */
	WC_PURPOSE_OTHER			/* anything else: transfer, refund, fee ... */
} wc_purpose;

typedef enum wc_payee
{
	WC_PAYEE_NONE = 0,			/* no counterparty account given */
	WC_PAYEE_ROSTERED,			/* own registered card of a worker on this project's roster */
	WC_PAYEE_OTHER_WORKER,		/* registered card of a worker not on this project's roster */
	WC_PAYEE_NOT_WORKER_CARD	/* not a registered wage card at all */
} wc_payee;

typedef enum wc_method
{
	WC_METHOD_NONE = 0,			/* not given */
	WC_METHOD_ACCOUNT,			/* from the dedicated account to the worker's card */
	WC_METHOD_CASH,				/* in cash */
	WC_METHOD_OTHER_ACCOUNT,	/* from some other account */
	WC_METHOD_UNKNOWN			/* a word wagecheck does not know */
} wc_method;

/*
 * The verdict on an outflow of a dedicated account. Both kinds of bad outflow
 * break AC03, the rule whose subject is the movement (eval_ac03 reads the same
 * movements); WP04's subject is the payment record, never the movement, so
 * that one wrong wage opens one alert per rule.
 */
typedef enum wc_outflow_verdict
{
	WC_OUT_OK = 0,
	WC_OUT_AC03,				/* money leaves other than as a wage to a rostered worker */
	WC_OUT_NOT_OWN_CARD			/* a wage, but not into a worker's own registered card (AC03 too) */
} wc_outflow_verdict;

typedef enum wc_payline_verdict
{
	WC_LINE_OK = 0,
	WC_LINE_NEGATIVE,			/* payable, deductions or net below zero */
	WC_LINE_MISMATCH			/* net <> payable - deductions */
} wc_payline_verdict;

extern const char *const wc_default_in_words[];
extern const char *const wc_default_out_words[];
extern const char *const wc_default_wage_patterns[];
extern const char *const wc_default_cash_patterns[];
extern wc_direction wc_parse_direction(const char *s, size_t len);
extern wc_direction wc_classify_direction(const char *s, size_t len, const char *const *in,
										  const char *const *out);
extern wc_purpose wc_parse_purpose(const char *s, size_t len);
extern wc_purpose wc_classify_purpose(const char *s, size_t len, const char *const *wage,
									  const char *const *cash);
extern wc_method wc_parse_method(const char *s, size_t len);
extern wc_outflow_verdict wc_outflow_decide(wc_purpose purpose, wc_payee payee);
extern int	wc_parse_cents(const char *s, int64_t *cents);
extern int	wc_numeric_cents(const unsigned char *data, size_t len, int64_t *cents);
extern bool wc_balance_apply(int64_t balance, wc_direction dir, int64_t amount, int64_t *after);
extern wc_payline_verdict wc_payline_check(int64_t payable, int64_t deductions, int64_t net);
extern size_t wc_format_cents(int64_t cents, char *buf, size_t size);
extern size_t wc_mask_account(const char *s, size_t len, char *buf, size_t size);

/* wc_parse_cents results */
#define WC_CENTS_OK			0
#define WC_CENTS_SYNTAX		(-1)
#define WC_CENTS_SUBCENT	(-2)
#define WC_CENTS_OVERFLOW	(-3)

#endif							/* WC_CORE_OUTFLOW_H */
