/*
 * ind_labour.c — labour cost (人工费用) due by the schedule against what the owner
 * paid into the dedicated account, as of one day (AC02).  Payments settle the
 * oldest due first (FIFO); a payment before a due date is a credit.
 */
#include "indicators.h"

#include <string.h>

/*
 * Adds a schedule row (due > 0) and/or an inflow (paid > 0) on one day, as of
 * as_of.  Inflows after as_of were not known then and are left out; dues after
 * as_of are kept as "not yet due".
 */
wc_ind_rc
wc_labour_add(wc_ind_state *st, int32_t day, int64_t due, int64_t paid, int32_t as_of)
{
	wc_ind_rc	rc;

	if (day < WC_DAY_MIN || day > WC_DAY_MAX || as_of < WC_DAY_MIN || as_of > WC_DAY_MAX)
		return WC_IND_RANGE;
	if (due < 0 || paid < 0)
		return WC_IND_NEGATIVE;
	if ((rc = wc_ind_set_as_of(st, as_of)) != WC_IND_OK)
		return rc;
	if (day > as_of)
		paid = 0;
	if (due == 0 && paid == 0)
		return WC_IND_OK;
	return wc_ind_add(st, day, due, paid);
}

/* Counts one due that waited `wait` days (settled late or still open). */
static void
note_late(wc_labour_result *r, int64_t wait)
{
	if (wait <= 0)
		return;
	r->late_count++;
	if (wait > r->max_days_late)
		r->max_days_late = (int32_t) wait;
}

/* Computes due, paid, shortfall and lateness as of the state's as-of day. */
wc_ind_rc
wc_labour_final(wc_ind_state *st, wc_labour_result *r)
{
	wc_ind_rc	rc;
	uint32_t	di = 0;			/* the oldest due not yet settled */
	int64_t		rem = 0;		/* what is left of it */
	int32_t		as_of = st->as_of;

	memset(r, 0, sizeof(*r));
	if ((rc = wc_ind_compact(st)) != WC_IND_OK)
		return rc;
	if (!st->has_as_of)
		return WC_IND_OK;

	/* totals; position di on the first due on or before as_of */
	for (uint32_t i = 0; i < st->n; i++)
	{
		const wc_ind_entry *e = &st->entries[i];

		if (e->key <= as_of)
		{
			if (__builtin_add_overflow(r->due, e->a, &r->due) ||
				__builtin_add_overflow(r->paid, e->b, &r->paid))
				return WC_IND_RANGE;
		}
		else if (__builtin_add_overflow(r->not_yet_due, e->a, &r->not_yet_due))
			return WC_IND_RANGE;
	}
	while (di < st->n && st->entries[di].key <= as_of && st->entries[di].a == 0)
		di++;
	if (di < st->n && st->entries[di].key <= as_of)
		rem = st->entries[di].a;

	/* each payment, in date order, settles the oldest dues */
	for (uint32_t pj = 0; pj < st->n && st->entries[pj].key <= as_of; pj++)
	{
		int64_t		pay = st->entries[pj].b;

		while (pay > 0 && rem > 0)
		{
			int64_t		take = pay < rem ? pay : rem;

			pay -= take;
			rem -= take;
			if (rem == 0)
			{
				note_late(r, (int64_t) st->entries[pj].key - st->entries[di].key);
				for (di++; di < st->n && st->entries[di].key <= as_of && st->entries[di].a == 0; di++)
					;
				if (di < st->n && st->entries[di].key <= as_of)
					rem = st->entries[di].a;
			}
		}
	}

	/* what is left is the shortfall; its oldest part sets the days overdue */
	if (rem > 0)
	{
		r->has_uncovered = true;
		r->oldest_uncovered = (int32_t) st->entries[di].key;
		r->days_overdue = (int32_t) (as_of - st->entries[di].key);
		r->shortfall = rem;
		note_late(r, (int64_t) as_of - st->entries[di].key);
		for (di++; di < st->n && st->entries[di].key <= as_of; di++)
		{
			r->shortfall += st->entries[di].a;	/* <= due: cannot overflow */
			if (st->entries[di].a > 0)
				note_late(r, (int64_t) as_of - st->entries[di].key);
		}
	}
	return WC_IND_OK;
}
