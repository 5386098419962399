/*
 * idset.c — counterparty digits and sets of ids for the trigger keeping outflow_unmatched
 * (see idset.h).
 */
#include "core/idset.h"

size_t
wc_card_digits(const char *s, size_t len, char *out)
{
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			out[n++] = s[i];
	return n;
}

size_t
wc_ids_minus(int64_t *a, size_t na, const int64_t *b, size_t nb)
{
	size_t		k = 0,
				j = 0;

	for (size_t i = 0; i < na; i++)
	{
		while (j < nb && b[j] < a[i])
			j++;
		if (j < nb && b[j] == a[i])
			continue;
		a[k++] = a[i];
	}
	return k;
}
