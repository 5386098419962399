/*
 * fuzz_settle.c — libFuzzer harness of settled_at (src/core/settle.c). The input
 * is read as a net, then (moment, amount, flags) triples. Properties: no crash;
 * the answer equals a plain recomputation (running sums in __int128, every
 * prefix looked at); a list already settled stays settled at the same moment
 * when later payments are appended (what the summary's insert path relies on).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/settle.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the plain recomputation: the minimum moment of the prefixes whose sum reached net */
static wc_settled
plain(int64_t net, const int64_t *ats, const bool *an, const int64_t *each, const bool *en, size_t n,
	  int64_t *at)
{
	__int128	sum = 0;
	bool		have = false,
				found = false;

	if (net <= 0)
		return WC_SETTLED_NOTHING_DUE;
	for (size_t i = 0; i < n; i++)
	{
		if (!en[i])
		{
			sum += each[i];
			have = true;
			if (sum > INT64_MAX || sum < INT64_MIN)
				return WC_SETTLED_OVERFLOW;
		}
		if (have && sum >= net && !an[i] && (!found || ats[i] < *at))
		{
			*at = ats[i];
			found = true;
		}
	}
	return found ? WC_SETTLED_AT : WC_SETTLED_NEVER;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t		net,
				ats[64],
				each[64],
				a1 = 0,
				a2 = 0;
	bool		an[64],
				en[64];
	size_t		n = 0;
	wc_settled	r1,
				r2;

	if (size < 8)
		return 0;
	memcpy(&net, data, 8);
	if (data[0] & 1)
		net = (int64_t) (net % 1000000);	/* small nets reach often */
	data += 8;
	size -= 8;
	while (size >= 17 && n < 64)
	{
		memcpy(&ats[n], data, 8);
		memcpy(&each[n], data + 8, 8);
		if (data[16] & 4)
			each[n] = each[n] % 100000;
		an[n] = (data[16] & 1) != 0;
		en[n] = (data[16] & 2) != 0;
		data += 17;
		size -= 17;
		n++;
	}
	r1 = wc_settled_at(net, ats, an, each, en, n, &a1);
	r2 = plain(net, ats, an, each, en, n, &a2);
	if (r1 != r2 || (r1 == WC_SETTLED_AT && a1 != a2))
		abort();
	/* settled on a prefix in time order: appending later payments keeps the moment */
	if (n > 1 && r1 == WC_SETTLED_AT)
	{
		bool		sorted = true;

		for (size_t i = 1; i < n; i++)
			if (an[i] || an[i - 1] || ats[i] <= ats[i - 1])
				sorted = false;
		for (size_t k = 1; sorted && k < n; k++)
		{
			int64_t		b = 0;
			bool		positive = true;

			for (size_t i = 0; i < n; i++)
				if (en[i] || each[i] <= 0)
					positive = false;
			if (!positive)
				break;
			if (wc_settled_at(net, ats, an, each, en, k, &b) == WC_SETTLED_AT && b != a1)
				abort();
		}
	}
	return 0;
}
