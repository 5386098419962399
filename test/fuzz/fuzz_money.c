/*
 * fuzz_money.c — libFuzzer harness of the decimal-to-cents parser used by the
 * indicator aggregates: no crash; every accepted amount formats back to text
 * that parses to the same cents.
 */
#include "core/indicators.h"

#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	char		buf[32];
	int64_t		c,
				c2;

	memcpy(s, data, size);
	s[size] = '\0';
	if (wc_money_parse(s, &c) == WC_IND_OK)
	{
		wc_money_format(c, buf, sizeof buf);
		if (wc_money_parse(buf, &c2) != WC_IND_OK || c2 != c)
			abort();
	}
	free(s);
	return 0;
}
