/*
 * ind_coverage.c — attendance versus payroll: which workers of a group were on
 * the roster, attended, were on the pay sheet and were paid (RN01, RN04, WP01).
 */
#include "indicators.h"

#include <string.h>

/* Adds what one row says of one worker: flags (WC_COV_*) and payment rows. */
wc_ind_rc
wc_coverage_add(wc_ind_state *st, int64_t worker, unsigned flags, int64_t payments)
{
	if (flags & ~(unsigned) WC_COV_ALL)
		return WC_IND_RANGE;
	if (payments < 0)
		return WC_IND_NEGATIVE;
	return wc_ind_add(st, worker, (int64_t) flags, payments);
}

/* Counts distinct workers by what was seen of them. */
wc_ind_rc
wc_coverage_final(wc_ind_state *st, wc_coverage_result *r)
{
	wc_ind_rc	rc;

	memset(r, 0, sizeof(*r));
	if ((rc = wc_ind_compact(st)) != WC_IND_OK)
		return rc;
	for (uint32_t i = 0; i < st->n; i++)
	{
		int64_t		f = st->entries[i].a;

		r->workers++;
		r->rostered += (f & WC_COV_ROSTERED) != 0;
		r->attended += (f & WC_COV_ATTENDED) != 0;
		r->on_payroll += (f & WC_COV_ON_PAYROLL) != 0;
		r->paid += (f & WC_COV_PAID) != 0;
		r->attended_on_payroll += (f & (WC_COV_ATTENDED | WC_COV_ON_PAYROLL)) == (WC_COV_ATTENDED | WC_COV_ON_PAYROLL);
		r->attended_paid += (f & (WC_COV_ATTENDED | WC_COV_PAID)) == (WC_COV_ATTENDED | WC_COV_PAID);
		r->attended_not_rostered += (f & (WC_COV_ATTENDED | WC_COV_ROSTERED)) == WC_COV_ATTENDED;
		r->paid_not_rostered += (f & (WC_COV_PAID | WC_COV_ROSTERED)) == WC_COV_PAID;
		if (__builtin_add_overflow(r->payments, st->entries[i].b, &r->payments))
			return WC_IND_RANGE;
	}
	return WC_IND_OK;
}
