/*
 * ind_owed.c — wages owed per worker: amounts payable and paid per month, the
 * months owed, and the longest run of consecutive months owed (WP02, WP03, BL01).
 */
#include "indicators.h"

#include <string.h>

/* Adds one month's payable and paid cents (both >= 0) for the group's worker. */
wc_ind_rc
wc_owed_add(wc_ind_state *st, int64_t month, int64_t payable, int64_t paid)
{
	if (month < WC_MONTH_MIN || month > WC_MONTH_MAX)
		return WC_IND_RANGE;
	if (payable < 0 || paid < 0)
		return WC_IND_NEGATIVE;
	return wc_ind_add(st, month, payable, paid);
}

/*
 * Computes the result.  A month is owed when its payable exceeds what was paid
 * against it; an overpayment of one month does not pay another.  A run is a
 * sequence of owed months with no month missing in between.
 */
wc_ind_rc
wc_owed_final(wc_ind_state *st, wc_owed_result *r)
{
	wc_ind_rc	rc;
	int32_t		run = 0;

	memset(r, 0, sizeof(*r));
	if ((rc = wc_ind_compact(st)) != WC_IND_OK)
		return rc;
	for (uint32_t i = 0; i < st->n; i++)
	{
		const wc_ind_entry *e = &st->entries[i];
		int64_t		owed = e->a > e->b ? e->a - e->b : 0;

		if (__builtin_add_overflow(r->payable, e->a, &r->payable) ||
			__builtin_add_overflow(r->paid, e->b, &r->paid) ||
			__builtin_add_overflow(r->owed, owed, &r->owed))
			return WC_IND_RANGE;
		r->months++;
		if (owed > 0)
		{
			if (r->months_owed++ == 0)
				r->oldest_unpaid = e->key;
			run = (run > 0 && e->key == st->entries[i - 1].key + 1) ? run + 1 : 1;
			if (run > r->longest_run)
			{
				r->longest_run = run;
				r->longest_run_start = e->key - run + 1;
			}
		}
		else
			run = 0;
		r->last_month = e->key;
	}
	r->current_run = run;
	return WC_IND_OK;
}
