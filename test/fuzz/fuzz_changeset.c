/*
 * fuzz_changeset.c — libFuzzer harness of src/core/changeset.c. The input is read
 * as (kind, value) pairs: each value's span, when there is one, lies within the
 * valid timestamps and holds the value's hour; the merged spans are sorted,
 * apart, and cover exactly the points of the spans merged (checked at their
 * ends); distinct ids are strictly increasing and the same set.
 */
#include "core/changeset.h"

#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* covered: some span of v[0..n) holds t. */
static bool
covered(const wc_span *v, size_t n, int64_t t)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].lo <= t && t <= v[i].hi)
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		n = size / 9,
				m = 0,
				k;
	wc_span    *spans = malloc((n + 1) * sizeof(wc_span));
	wc_span    *orig = malloc((n + 1) * sizeof(wc_span));
	int64_t    *ids = malloc((n + 1) * sizeof(int64_t));

	for (size_t i = 0; i < n; i++)
	{
		wc_moment_kind kind = (wc_moment_kind) (data[i * 9] % 3);
		int64_t		value;
		wc_span		s;

		memcpy(&value, data + i * 9 + 1, sizeof(value));
		if (kind == WC_MOMENT_DATE)
			value = (int32_t) value;
		ids[i] = value;
		if (wc_moment_span(kind, value, &s))
		{
			if (s.lo < WC_MIN_TIMESTAMP || s.hi >= WC_END_TIMESTAMP || s.lo > s.hi)
				abort();
			if (kind != WC_MOMENT_DATE && !(s.lo <= value && value <= s.hi))
				abort();
			spans[m] = orig[m] = s;
			m++;
		}
	}
	k = wc_spans_merge(spans, m);
	if (k > m)
		abort();
	for (size_t i = 0; i < k; i++)
	{
		if (spans[i].lo > spans[i].hi || (i > 0 && spans[i].lo <= spans[i - 1].hi))
			abort();
	}
	for (size_t i = 0; i < m; i++)
		if (!covered(spans, k, orig[i].lo) || !covered(spans, k, orig[i].hi))
			abort();
	for (size_t i = 0; i < k; i++)
		if (!covered(orig, m, spans[i].lo) || !covered(orig, m, spans[i].hi))
			abort();
	k = wc_ids_unique(ids, n);
	for (size_t i = 1; i < k; i++)
		if (ids[i - 1] >= ids[i])
			abort();
	for (size_t i = 0; i < n; i++)
	{
		int64_t		want;
		bool		found = false;

		memcpy(&want, data + i * 9 + 1, sizeof(want));
		if (data[i * 9] % 3 == WC_MOMENT_DATE)
			want = (int32_t) want;
		for (size_t j = 0; j < k && !found; j++)
			found = ids[j] == want;
		if (!found)
			abort();
	}
	free(spans);
	free(orig);
	free(ids);
	return 0;
}
