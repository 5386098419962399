/*
 * fuzz_outflow.c — libFuzzer harness of the enforcing triggers' parsers: money
 * as text and in numeric's stored form, direction and purpose words, masking.
 * Properties: no crash on any input; an amount that parses formats back to text
 * that parses to the same cents; the outflow verdict is defined for every word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/outflow.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	char		buf[64];
	int64_t		c,
				c2;
	wc_outflow_verdict v;
	size_t		n;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (wc_parse_cents(s, &c) == WC_CENTS_OK)
	{
		wc_format_cents(c, buf, sizeof(buf));
		if (wc_parse_cents(buf, &c2) != WC_CENTS_OK || c2 != c)
			abort();
	}
	if (wc_numeric_cents(data, size, &c) == WC_CENTS_OK)
	{
		wc_format_cents(c, buf, sizeof(buf));
		if (wc_parse_cents(buf, &c2) != WC_CENTS_OK || c2 != c)
			abort();
	}
	v = wc_outflow_decide(wc_parse_purpose(s, size), (wc_payee) (size % 4));
	if (v != WC_OUT_OK && v != WC_OUT_AC03 && v != WC_OUT_NOT_OWN_CARD)
		abort();
	(void) wc_parse_direction(s, size);
	if (wc_parse_method(s, size) > WC_METHOD_UNKNOWN)
		abort();
	{
		char	   *m = malloc(size + 1);

		if (m)
		{
			n = wc_mask_account(s, size, m, size + 1);
			if (n > size)
				abort();
			free(m);
		}
	}
	free(s);
	return 0;
}
