/*
 * changeset.c — the moments and ids the change capture records of a statement's
 * rows (see changeset.h). Plain C, unit-tested in test/unit/test_changeset.c and
 * fuzzed in test/fuzz/fuzz_changeset.c.
 */
#include "core/changeset.h"

#include <stdlib.h>

/* The span of a value (see changeset.h). */
bool
wc_moment_span(wc_moment_kind kind, int64_t value, wc_span *out)
{
	int64_t		t,
				r,
				before,
				after;

	switch (kind)
	{
		case WC_MOMENT_TIMESTAMPTZ:
		case WC_MOMENT_TIMESTAMP:
			if (value < WC_MIN_TIMESTAMP || value >= WC_END_TIMESTAMP)
				return false;	/* -infinity, infinity */
			r = value % WC_USECS_PER_HOUR;
			if (r < 0)
				r += WC_USECS_PER_HOUR;
			t = value - r;
			before = kind == WC_MOMENT_TIMESTAMPTZ ? 0 : 15;
			after = kind == WC_MOMENT_TIMESTAMPTZ ? 1 : 16;
			break;
		case WC_MOMENT_DATE:
			if (value < WC_MIN_TIMESTAMP / WC_USECS_PER_DAY || value > WC_END_TIMESTAMP / WC_USECS_PER_DAY)
				return false;	/* -infinity, infinity, or no timestamp */
			t = value * WC_USECS_PER_DAY;
			before = 15;
			after = 39;
			break;
		default:
			return false;
	}
	if (t < WC_MIN_TIMESTAMP + before * WC_USECS_PER_HOUR ||
		t >= WC_END_TIMESTAMP - after * WC_USECS_PER_HOUR)
		return false;			/* the span would leave the valid timestamps */
	out->lo = t - before * WC_USECS_PER_HOUR;
	out->hi = t + after * WC_USECS_PER_HOUR;
	return true;
}

/* Orders spans by their start, then their end. */
static int
span_cmp(const void *a, const void *b)
{
	const wc_span *x = a,
			   *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return 0;
}

/* Sorts and merges spans that overlap or touch (see changeset.h). */
size_t
wc_spans_merge(wc_span *spans, size_t n)
{
	size_t		k = 0;

	if (n == 0)
		return 0;
	qsort(spans, n, sizeof(wc_span), span_cmp);
	for (size_t i = 1; i < n; i++)
	{
		if (spans[i].lo <= spans[k].hi)
		{
			if (spans[i].hi > spans[k].hi)
				spans[k].hi = spans[i].hi;
		}
		else
			spans[++k] = spans[i];
	}
	return k + 1;
}

/* Whether merged spans cover each of the spans (see changeset.h). */
bool
wc_spans_cover(const wc_span *merged, size_t n, const wc_span *spans, size_t m)
{
	for (size_t i = 0; i < m; i++)
	{
		size_t		lo = 0,
					hi = n;

		/* the last merged span starting at or before this one's start */
		while (lo < hi)
		{
			size_t		mid = lo + (hi - lo) / 2;

			if (merged[mid].lo <= spans[i].lo)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0 || merged[lo - 1].hi < spans[i].hi)
			return false;
	}
	return true;
}

/* Orders ids. */
static int
id_cmp(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a,
				y = *(const int64_t *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* Sorts ids and drops repeats (see changeset.h). */
size_t
wc_ids_unique(int64_t *ids, size_t n)
{
	size_t		k = 0;

	if (n == 0)
		return 0;
	qsort(ids, n, sizeof(int64_t), id_cmp);
	for (size_t i = 1; i < n; i++)
		if (ids[i] != ids[k])
			ids[++k] = ids[i];
	return k + 1;
}
