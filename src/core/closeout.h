/*
 * closeout.h — the decisions of the case ledger's close-out guard (销号,
 * 不解决不销账), in plain C (no postgres.h): which lifecycle step a change of a
 * case row is, and whether a close-out may stand. Statuses and kinds come as the
 * bytes of their columns (NULL when the column is NULL); amounts as cents.
 */
#ifndef WC_CORE_CLOSEOUT_H
#define WC_CORE_CLOSEOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status of a case row. */
typedef enum WcCaseStatus
{
	WC_CASE_NULL = 0,			/* the column is NULL */
	WC_CASE_OPEN,
	WC_CASE_CLOSED,
	WC_CASE_BAD					/* anything but open or closed */
} WcCaseStatus;

/* How a case ended (close_kind). */
typedef enum WcCloseKind
{
	WC_CLOSE_NULL = 0,			/* the column is NULL */
	WC_CLOSE_REPAID,
	WC_CLOSE_POLICE,
	WC_CLOSE_COURT,
	WC_CLOSE_WITHDRAWN,
	WC_CLOSE_UNSUBSTANTIATED,
	WC_CLOSE_BAD				/* none of the lawful ends */
} WcCloseKind;

/* The lifecycle step of a change: the guard's next check depends on it. */
typedef enum WcCaseStep
{
	WC_STEP_BAD_STATUS = 0,		/* old or new status NULL or unknown: refused */
	WC_STEP_REGISTER_OPEN,		/* insert of an open case */
	WC_STEP_REGISTER_NOT_OPEN,	/* insert of a case that is not open: refused */
	WC_STEP_STAY_OPEN,			/* open -> open */
	WC_STEP_CLOSE,				/* open -> closed */
	WC_STEP_REOPEN,				/* closed -> open */
	WC_STEP_STAY_CLOSED			/* closed -> closed */
} WcCaseStep;

/* Verdict on a close-out. */
typedef enum WcCloseoutVerdict
{
	WC_CLOSEOUT_OK = 0,
	WC_CLOSEOUT_KIND_MISSING,	/* closed without a (lawful) close_kind */
	WC_CLOSEOUT_OWED_UNKNOWN,	/* closed as repaid, amount owed NULL or not whole cents: cannot judge */
	WC_CLOSEOUT_REPAID_UNKNOWN, /* closed as repaid, repayments not whole cents: cannot judge */
	WC_CLOSEOUT_NOT_REPAID,		/* closed as repaid, repayments short of the amount owed */
	WC_CLOSEOUT_REASON_REQUIRED /* another lawful end without a written reason */
} WcCloseoutVerdict;

/* An amount in cents, or unknown (NULL, NaN, fractions of a cent, out of range). */
typedef struct WcCents
{
	bool		known;
	int64_t		cents;
} WcCents;

extern WcCaseStatus wc_case_status(const char *s, size_t len);
extern WcCloseKind wc_close_kind(const char *s, size_t len);
extern bool wc_text_blank(const char *s, size_t len);
extern WcCaseStep wc_case_step(bool insert, WcCaseStatus old_status, WcCaseStatus new_status);
extern WcCloseoutVerdict wc_closeout_decide(WcCloseKind kind, bool reason_given, WcCents owed,
											WcCents repaid, int64_t *outstanding);
extern const char *wc_case_status_text(WcCaseStatus s);

#endif							/* WC_CORE_CLOSEOUT_H */
