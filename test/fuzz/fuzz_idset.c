/*
 * fuzz_idset.c — libFuzzer harness of the counterparty digits and id sets of the trigger
 * keeping outflow_unmatched (src/core/idset.c). The input is read as text (the digits) and
 * as two lists of small ids. Properties: no crash; the digits are exactly the input's ASCII
 * digits in order; unique sorts without repeats and keeps every id; minus leaves exactly the
 * ids of a that b lacks, in order (checked against a plain quadratic recomputation).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/changeset.h"
#include "core/idset.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
has(const int64_t *v, size_t n, int64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *digits = malloc(size + 1);
	int64_t		a[64],
				b[64],
				a0[64];
	size_t		na = 0,
				nb = 0,
				n,
				k = 0;

	n = wc_card_digits((const char *) data, size, digits);
	for (size_t i = 0; i < size; i++)
		if (data[i] >= '0' && data[i] <= '9')
		{
			if (k >= n || digits[k] != (char) data[i])
				abort();
			k++;
		}
	if (k != n)
		abort();
	free(digits);

	/* ids: each byte pair one id (a small range, so repeats and overlaps are common) */
	for (size_t i = 0; i + 1 < size && na + nb < 128; i += 2)
	{
		int64_t		id = (int64_t) (data[i + 1] % 16) - 8 + (data[i] & 0x80 ? INT64_MAX - 8 : 0);

		if (data[i] & 1)
		{
			if (na < 64)
				a[na++] = id;
		}
		else if (nb < 64)
			b[nb++] = id;
	}
	memcpy(a0, a, sizeof(int64_t) * na);
	{
		size_t		ua = wc_ids_unique(a, na),
					ub = wc_ids_unique(b, nb),
					m;

		for (size_t i = 1; i < ua; i++)
			if (a[i] <= a[i - 1])
				abort();
		for (size_t i = 0; i < na; i++)
			if (!has(a, ua, a0[i]))
				abort();
		for (size_t i = 1; i < ub; i++)
			if (b[i] <= b[i - 1])
				abort();
		{
			int64_t		want[64];
			size_t		nw = 0;

			for (size_t i = 0; i < ua; i++)
				if (!has(b, ub, a[i]))
					want[nw++] = a[i];
			m = wc_ids_minus(a, ua, b, ub);
			if (m != nw || memcmp(a, want, sizeof(int64_t) * m) != 0)
				abort();
		}
	}
	return 0;
}
