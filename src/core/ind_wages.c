/*
 * ind_wages.c — one month's pay sheets of a project summed over its workers
 * (wagecheck.wage_month rows, one per worker): payable, net, paid and owed in
 * cents, workers owed, on the sheets and paid, and payments, in one pass.
 *
 * The state holds four entries with the fixed keys 0-3, each of two sums:
 *   0: payable, net      1: paid, owed
 *   2: workers owed, workers      3: workers paid, payments
 * so partial states fold, merge and serialise like every other indicator state.
 */
#include "indicators.h"

#include <string.h>

#define WAGES_KEYS 4

/*
 * Adds one worker's month: payable, net and paid cents (any sign, as the sums of
 * the SQL it replaces) and the number of payments (>= 0).  On overflow the state
 * is left as it was.
 */
wc_ind_rc
wc_wages_add(wc_ind_state *st, int64_t payable, int64_t net, int64_t paid, int64_t payments)
{
	int64_t		owed;
	wc_ind_entry row[WAGES_KEYS];
	int64_t		sum[WAGES_KEYS][2];
	wc_ind_rc	rc;

	if (payments < 0)
		return WC_IND_NEGATIVE;
	if (__builtin_sub_overflow(net, paid, &owed))
		return WC_IND_RANGE;
	row[0] = (wc_ind_entry) {0, payable, net};
	row[1] = (wc_ind_entry) {1, paid, owed > 0 ? owed : 0};
	row[2] = (wc_ind_entry) {2, owed > 0 ? 1 : 0, 1};
	row[3] = (wc_ind_entry) {3, paid > 0 ? 1 : 0, payments};
	if (st->n != st->nsorted && (rc = wc_ind_compact(st)) != WC_IND_OK)
		return rc;
	if (st->n == 0)
	{
		for (int k = 0; k < WAGES_KEYS; k++)
			if ((rc = wc_ind_add(st, k, row[k].a, row[k].b)) != WC_IND_OK)
				return rc;
		return WC_IND_OK;
	}
	if (st->n != WAGES_KEYS)
		return WC_IND_CORRUPT;
	/* the four entries in place: all sums checked before any is written */
	for (int k = 0; k < WAGES_KEYS; k++)
		if (__builtin_add_overflow(st->entries[k].a, row[k].a, &sum[k][0]) ||
			__builtin_add_overflow(st->entries[k].b, row[k].b, &sum[k][1]))
			return WC_IND_RANGE;
	for (int k = 0; k < WAGES_KEYS; k++)
	{
		st->entries[k].a = sum[k][0];
		st->entries[k].b = sum[k][1];
	}
	return WC_IND_OK;
}

/* The sums of the group (all zero for a state without rows). */
wc_ind_rc
wc_wages_final(wc_ind_state *st, wc_wages_result *r)
{
	wc_ind_rc	rc;

	memset(r, 0, sizeof(*r));
	if ((rc = wc_ind_compact(st)) != WC_IND_OK)
		return rc;
	if (st->n == 0)
		return WC_IND_OK;
	if (st->n != WAGES_KEYS)
		return WC_IND_CORRUPT;
	for (int k = 0; k < WAGES_KEYS; k++)
		if (st->entries[k].key != k)
			return WC_IND_CORRUPT;
	r->payable = st->entries[0].a;
	r->net = st->entries[0].b;
	r->paid = st->entries[1].a;
	r->owed = st->entries[1].b;
	r->workers_owed = st->entries[2].a;
	r->workers = st->entries[2].b;
	r->workers_paid = st->entries[3].a;
	r->payments = st->entries[3].b;
	return WC_IND_OK;
}
