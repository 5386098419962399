/*
 * fuzz_indicator_state.c — libFuzzer harness of the indicator state deserialiser.
 * Input: one byte choosing the kind, then the bytes to deserialise.  Properties:
 * no crash on any input; an accepted state serialises back to the same bytes;
 * its final functions and a merge with itself run without fault.
 */
#include "core/indicators.h"

#include <stdlib.h>
#include <string.h>

/* libc allocator. */
static void *
grow(void *old, size_t size, void *arg)
{
	(void) arg;
	return realloc(old, size);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wc_ind_state st,
				twice;
	wc_ind_kind kind;
	unsigned char *out;
	size_t		outlen;

	if (size < 1)
		return 0;
	kind = (wc_ind_kind) (1 + data[0] % 5);
	wc_ind_init(&st, kind, grow, NULL);
	if (wc_ind_deserialize(&st, data + 1, size - 1) != WC_IND_OK)
	{
		free(st.entries);
		return 0;
	}
	/* round trip: the accepted bytes are exactly what the writer produces */
	outlen = wc_ind_serial_size(&st);
	out = malloc(outlen);
	if (wc_ind_serialize(&st, out, outlen) != WC_IND_OK || outlen != size - 1 ||
		memcmp(out, data + 1, outlen) != 0)
		abort();
	free(out);

	/* merging with itself and computing the results must not fault */
	wc_ind_init(&twice, kind, grow, NULL);
	(void) wc_ind_merge(&twice, &st);
	(void) wc_ind_merge(&twice, &st);
	if (kind == WC_KIND_OWED)
	{
		wc_owed_result r;

		(void) wc_owed_final(&twice, &r);
		if (wc_owed_final(&st, &r) == WC_IND_OK && (r.owed > r.payable || r.longest_run > r.months_owed))
			abort();
	}
	else if (kind == WC_KIND_LABOUR)
	{
		wc_labour_result r;

		(void) wc_labour_final(&twice, &r);
		if (wc_labour_final(&st, &r) == WC_IND_OK && (r.shortfall > r.due || r.shortfall < 0))
			abort();
	}
	else if (kind == WC_KIND_ROSTER)
	{
		int64_t    *m = malloc(sizeof(int64_t) * 2 * ((size_t) twice.n + st.n + 1));
		int64_t    *w = malloc(sizeof(int64_t) * 2 * ((size_t) twice.n + st.n + 1));
		uint32_t	n;

		(void) wc_roster_final(&twice, m, w, &n);
		if (wc_roster_final(&st, m, w, &n) == WC_IND_OK)
			for (uint32_t i = 0; i < n; i++)
				if (w[i] < 0 || (i > 0 && m[i] <= m[i - 1]))
					abort();
		free(m);
		free(w);
	}
	else if (kind == WC_KIND_WAGES)
	{
		wc_wages_result r;

		(void) wc_wages_final(&twice, &r);
		if (wc_wages_final(&st, &r) == WC_IND_OK &&
			(r.workers_owed > r.workers || r.workers_paid > r.workers || r.owed < 0))
			abort();
	}
	else
	{
		wc_coverage_result r;

		(void) wc_coverage_final(&twice, &r);
		if (wc_coverage_final(&st, &r) == WC_IND_OK && r.workers != (int64_t) st.n)
			abort();
	}
	free(st.entries);
	free(twice.entries);
	return 0;
}
