/*
 * test_settle.c — unit tests of settled_at: when a month's payments reached its net.
 */
#include <stdint.h>

#include "unit.h"

#include "core/settle.h"

int
main(void)
{
	int64_t		at = -1;
	int64_t		ats[] = {100, 200, 300, 400};
	int64_t		each[] = {5000, 3000, 2000, 1000};
	bool		no[] = {false, false, false, false};
	bool		null1[] = {false, true, false, false};

	/* nothing due: -infinity, whatever was paid */
	CHECK_INT(wc_settled_at(0, ats, no, each, no, 4, &at), WC_SETTLED_NOTHING_DUE);
	CHECK_INT(wc_settled_at(-1, ats, no, each, no, 0, &at), WC_SETTLED_NOTHING_DUE);

	/* reached exactly, reached within a payment, never reached, no payment */
	CHECK_INT(wc_settled_at(8000, ats, no, each, no, 4, &at), WC_SETTLED_AT);
	CHECK_INT(at, 200);
	CHECK_INT(wc_settled_at(8001, ats, no, each, no, 4, &at), WC_SETTLED_AT);
	CHECK_INT(at, 300);
	CHECK_INT(wc_settled_at(1, ats, no, each, no, 4, &at), WC_SETTLED_AT);
	CHECK_INT(at, 100);
	CHECK_INT(wc_settled_at(11001, ats, no, each, no, 4, &at), WC_SETTLED_NEVER);
	CHECK_INT(wc_settled_at(1, ats, no, each, no, 0, &at), WC_SETTLED_NEVER);

	/* a NULL amount adds nothing; a NULL moment is no candidate */
	CHECK_INT(wc_settled_at(8000, ats, no, each, null1, 4, &at), WC_SETTLED_AT);
	CHECK_INT(at, 400);
	CHECK_INT(wc_settled_at(8000, ats, null1, each, no, 4, &at), WC_SETTLED_AT);
	CHECK_INT(at, 300);

	/* the earliest moment among those reached, in whatever order the list is */
	{
		int64_t		ats2[] = {400, 100, 300};
		int64_t		each2[] = {6000, 1000, 1000};

		CHECK_INT(wc_settled_at(6000, ats2, no, each2, no, 3, &at), WC_SETTLED_AT);
		CHECK_INT(at, 100);
		CHECK_INT(wc_settled_at(8000, ats2, no, each2, no, 3, &at), WC_SETTLED_AT);
		CHECK_INT(at, 300);
	}

	/* a refund (negative amount) can take the sum below the net again: the first reach counts */
	{
		int64_t		ats3[] = {100, 200, 300};
		int64_t		each3[] = {5000, -5000, 1000};

		CHECK_INT(wc_settled_at(5000, ats3, no, each3, no, 3, &at), WC_SETTLED_AT);
		CHECK_INT(at, 100);
		CHECK_INT(wc_settled_at(5001, ats3, no, each3, no, 3, &at), WC_SETTLED_NEVER);
	}

	/* -infinity and infinity are moments like any other */
	{
		int64_t		ats4[] = {INT64_MIN, INT64_MAX};
		int64_t		each4[] = {1, 1};

		CHECK_INT(wc_settled_at(1, ats4, no, each4, no, 2, &at), WC_SETTLED_AT);
		CHECK(at == INT64_MIN);
		CHECK_INT(wc_settled_at(2, ats4, no, each4, no, 2, &at), WC_SETTLED_AT);
		CHECK(at == INT64_MAX);
	}

	/* a running sum outside int64 is left to numeric arithmetic */
	{
		int64_t		big[] = {INT64_MAX, 1};

		CHECK_INT(wc_settled_at(INT64_MAX, ats, no, big, no, 1, &at), WC_SETTLED_AT);
		CHECK_INT(at, 100);
		CHECK_INT(wc_settled_at(1, ats, no, big, no, 2, &at), WC_SETTLED_OVERFLOW);
	}
	UNIT_DONE();
}
