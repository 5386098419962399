/*
 * settle.c — when a month's payments reached its net pay (see settle.h).
 */
#include "core/settle.h"

wc_settled
wc_settled_at(int64_t net, const int64_t *ats, const bool *at_null,
			  const int64_t *each, const bool *each_null, size_t n, int64_t *at)
{
	int64_t		sum = 0;
	bool		have_sum = false,
				found = false;
	int64_t		best = 0;

	if (net <= 0)
		return WC_SETTLED_NOTHING_DUE;
	for (size_t i = 0; i < n; i++)
	{
		if (!each_null[i])
		{
			if (__builtin_add_overflow(sum, each[i], &sum))
				return WC_SETTLED_OVERFLOW;
			have_sum = true;
		}
		/* min() over every moment whose running sum reached the net, as the SQL did */
		if (have_sum && sum >= net && !at_null[i] && (!found || ats[i] < best))
		{
			best = ats[i];
			found = true;
		}
	}
	if (!found)
		return WC_SETTLED_NEVER;
	*at = best;
	return WC_SETTLED_AT;
}
