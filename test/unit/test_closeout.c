/*
 * test_closeout.c — unit tests of the close-out guard's decisions (src/core/closeout.c):
 * statuses and kinds read exactly, NULL and unknown values refused, 不解决不销账.
 */
#include "core/closeout.h"
#include "unit.h"

/* Status of a NUL-terminated string (NULL: the column is NULL). */
static WcCaseStatus
status(const char *s)
{
	return wc_case_status(s, s ? strlen(s) : 0);
}

/* Kind of a NUL-terminated string (NULL: the column is NULL). */
static WcCloseKind
kind(const char *s)
{
	return wc_close_kind(s, s ? strlen(s) : 0);
}

static const WcCents unknown = {false, 0};

/* A known amount in cents. */
static WcCents
cents(int64_t c)
{
	WcCents		v = {true, c};

	return v;
}

int
main(void)
{
	int64_t		out;

	/* statuses: exact words only; NULL and the rest are not statuses */
	CHECK_INT(status("open"), WC_CASE_OPEN);
	CHECK_INT(status("closed"), WC_CASE_CLOSED);
	CHECK_INT(status(NULL), WC_CASE_NULL);
	CHECK_INT(status(""), WC_CASE_BAD);
	CHECK_INT(status("Open"), WC_CASE_BAD);
	CHECK_INT(status("open "), WC_CASE_BAD);
	CHECK_INT(status("close"), WC_CASE_BAD);
	CHECK_INT(status("closedX"), WC_CASE_BAD);
	CHECK_INT(wc_case_status("closed", 4), WC_CASE_BAD);	/* "clos" */
	CHECK_INT(wc_case_status("open", 4), WC_CASE_OPEN);
	CHECK_STR(wc_case_status_text(WC_CASE_NULL), "NULL");
	CHECK_STR(wc_case_status_text(WC_CASE_CLOSED), "closed");

	/* kinds */
	CHECK_INT(kind("repaid"), WC_CLOSE_REPAID);
	CHECK_INT(kind("police"), WC_CLOSE_POLICE);
	CHECK_INT(kind("court"), WC_CLOSE_COURT);
	CHECK_INT(kind("withdrawn"), WC_CLOSE_WITHDRAWN);
	CHECK_INT(kind("unsubstantiated"), WC_CLOSE_UNSUBSTANTIATED);
	CHECK_INT(kind(NULL), WC_CLOSE_NULL);
	CHECK_INT(kind("REPAID"), WC_CLOSE_BAD);
	CHECK_INT(kind("repai"), WC_CLOSE_BAD);

	/* blank reasons */
	CHECK(wc_text_blank(NULL, 0));
	CHECK(wc_text_blank("", 0));
	CHECK(wc_text_blank(" \t\r\n", 4));
	CHECK(!wc_text_blank("  judgment ", 11));
	CHECK(wc_text_blank("   x", 3));	/* only the given bytes count */

	/* lifecycle steps */
	CHECK_INT(wc_case_step(true, WC_CASE_NULL, WC_CASE_OPEN), WC_STEP_REGISTER_OPEN);
	CHECK_INT(wc_case_step(true, WC_CASE_OPEN, WC_CASE_CLOSED), WC_STEP_REGISTER_NOT_OPEN);
	CHECK_INT(wc_case_step(true, WC_CASE_OPEN, WC_CASE_NULL), WC_STEP_BAD_STATUS);
	CHECK_INT(wc_case_step(true, WC_CASE_OPEN, WC_CASE_BAD), WC_STEP_BAD_STATUS);
	CHECK_INT(wc_case_step(false, WC_CASE_OPEN, WC_CASE_OPEN), WC_STEP_STAY_OPEN);
	CHECK_INT(wc_case_step(false, WC_CASE_OPEN, WC_CASE_CLOSED), WC_STEP_CLOSE);
	CHECK_INT(wc_case_step(false, WC_CASE_CLOSED, WC_CASE_OPEN), WC_STEP_REOPEN);
	CHECK_INT(wc_case_step(false, WC_CASE_CLOSED, WC_CASE_CLOSED), WC_STEP_STAY_CLOSED);
	CHECK_INT(wc_case_step(false, WC_CASE_OPEN, WC_CASE_NULL), WC_STEP_BAD_STATUS);
	CHECK_INT(wc_case_step(false, WC_CASE_CLOSED, WC_CASE_NULL), WC_STEP_BAD_STATUS);
	CHECK_INT(wc_case_step(false, WC_CASE_NULL, WC_CASE_CLOSED), WC_STEP_BAD_STATUS);
	CHECK_INT(wc_case_step(false, WC_CASE_BAD, WC_CASE_OPEN), WC_STEP_BAD_STATUS);
	CHECK_INT(wc_case_step(false, WC_CASE_OPEN, WC_CASE_BAD), WC_STEP_BAD_STATUS);

	/* 不解决不销账: repaid only when the repayments reach the amount owed */
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, false, cents(8600000), cents(5000000), &out), WC_CLOSEOUT_NOT_REPAID);
	CHECK_INT(out, 3600000);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, false, cents(8600000), cents(8600000), &out), WC_CLOSEOUT_OK);
	CHECK_INT(out, 0);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, false, cents(8600000), cents(8600001), &out), WC_CLOSEOUT_OK);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, false, cents(0), cents(0), &out), WC_CLOSEOUT_OK);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, false, cents(INT64_MAX), cents(0), &out), WC_CLOSEOUT_NOT_REPAID);
	CHECK_INT(out, INT64_MAX);
	/* an amount owed it cannot read is never taken as covered */
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, true, unknown, cents(100), &out), WC_CLOSEOUT_OWED_UNKNOWN);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, true, unknown, unknown, &out), WC_CLOSEOUT_OWED_UNKNOWN);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, true, cents(-1), cents(0), &out), WC_CLOSEOUT_OWED_UNKNOWN);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, true, cents(100), unknown, &out), WC_CLOSEOUT_REPAID_UNKNOWN);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_REPAID, true, cents(100), cents(INT64_MIN), &out), WC_CLOSEOUT_REPAID_UNKNOWN);
	/* other lawful ends: a reason, whatever the money */
	CHECK_INT(wc_closeout_decide(WC_CLOSE_POLICE, false, cents(100), unknown, &out), WC_CLOSEOUT_REASON_REQUIRED);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_POLICE, true, unknown, unknown, &out), WC_CLOSEOUT_OK);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_COURT, true, cents(100), cents(0), &out), WC_CLOSEOUT_OK);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_WITHDRAWN, false, cents(0), cents(0), &out), WC_CLOSEOUT_REASON_REQUIRED);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_UNSUBSTANTIATED, true, cents(0), cents(0), &out), WC_CLOSEOUT_OK);
	/* no kind, or not a lawful one: refused even with a reason and the money repaid */
	CHECK_INT(wc_closeout_decide(WC_CLOSE_NULL, true, cents(0), cents(0), &out), WC_CLOSEOUT_KIND_MISSING);
	CHECK_INT(wc_closeout_decide(WC_CLOSE_BAD, true, cents(0), cents(0), &out), WC_CLOSEOUT_KIND_MISSING);

	UNIT_DONE();
}
