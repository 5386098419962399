/*
 * ind_roster.c — workers on a project's real-name roster per month, from its
 * entries: a worker counts once in every month one of his entries covers (his
 * entries' months united), and the count is given from each month it changes.
 * The state holds each worker's runs of months (ind_state.c unites those that
 * overlap or adjoin), so partial states merge exactly.
 */
#include "indicators.h"

#include <stdlib.h>
#include <string.h>

/* Adds one entry covering months first..last (month indexes); one with first > last covers none. */
wc_ind_rc
wc_roster_add(wc_ind_state *st, int64_t worker, int64_t first, int64_t last)
{
	if (first < WC_MONTH_MIN || first > WC_MONTH_MAX || last < WC_MONTH_MIN || last > WC_MONTH_MAX)
		return WC_IND_RANGE;
	if (first > last)
		return WC_IND_OK;
	return wc_ind_add(st, worker, first, last);
}

/* qsort comparator of changes (key = month, a = +1 or -1). */
static int
cmp_change(const void *x, const void *y)
{
	int64_t		a = ((const wc_ind_entry *) x)->key;
	int64_t		b = ((const wc_ind_entry *) y)->key;

	return (a > b) - (a < b);
}

/*
 * The counts: months[i] is a month the count changes, workers[i] the workers from it until
 * months[i + 1] (0 after the last run ends).  Both arrays hold 2 * st->n values (st->n
 * before the call); *n is set to how many were written, months ascending.  Compacts the
 * state and grows its storage to hold the changes after the runs; may be called again.
 */
wc_ind_rc
wc_roster_final(wc_ind_state *st, int64_t *months, int64_t *workers, uint32_t *n)
{
	uint32_t	i,
				nch = 0,
				out = 0;
	int64_t		count = 0;
	wc_ind_entry *ch;
	wc_ind_rc	rc;

	*n = 0;
	if ((rc = wc_ind_compact(st)) != WC_IND_OK)
		return rc;
	if (st->n == 0)
		return WC_IND_OK;
	if (st->n > UINT32_MAX / 3)
		return WC_IND_RANGE;
	if (st->cap < st->n * 3)
	{
		void	   *p = st->grow(st->entries, (size_t) st->n * 3 * sizeof(wc_ind_entry), st->grow_arg);

		if (p == NULL)
			return WC_IND_NOMEM;
		st->entries = p;
		st->cap = st->n * 3;
	}
	/* each run of a worker: +1 in its first month, -1 in the month after its last */
	ch = st->entries + st->n;
	for (i = 0; i < st->n; i++)
	{
		ch[nch++] = (wc_ind_entry) {st->entries[i].a, 1, 0};
		if (st->entries[i].b < WC_MONTH_MAX)
			ch[nch++] = (wc_ind_entry) {st->entries[i].b + 1, -1, 0};
	}
	qsort(ch, nch, sizeof(wc_ind_entry), cmp_change);
	for (i = 0; i < nch;)
	{
		int64_t		month = ch[i].key;
		int64_t		change = 0;

		for (; i < nch && ch[i].key == month; i++)
			change += ch[i].a;
		if (change == 0)
			continue;
		count += change;
		months[out] = month;
		workers[out] = count;
		out++;
	}
	*n = out;
	return WC_IND_OK;
}
