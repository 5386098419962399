/*
 * fuzz_money.c — libFuzzer harness of the two ways amounts become cents:
 * the decimal-text parser and the base-10000 digit reader (PostgreSQL's numeric
 * layout).  Properties: no crash; an accepted amount formats back to text that
 * parses to the same cents; for digits, the reader and the parser of the same
 * number written out in decimal agree (same cents, or both refuse).
 */
#include "core/indicators.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes sign, weight and base-10000 digits as plain decimal text (as numeric_out would). */
static void
nbase_text(bool neg, int weight, const int16_t *d, int n, char *out)
{
	char	   *p = out;

	if (neg)
		*p++ = '-';
	if (weight < 0)
		*p++ = '0';
	for (int e = weight; e >= 0; e--)
	{
		int			i = weight - e;
		int			v = (i < n) ? d[i] : 0;

		p += sprintf(p, e == weight ? "%d" : "%04d", v);
	}
	if (weight - (n - 1) < 0)
	{
		*p++ = '.';
		for (int e = -1; e >= weight - (n - 1); e--)
		{
			int			i = weight - e;

			p += sprintf(p, "%04d", (i >= 0 && i < n) ? d[i] : 0);
		}
	}
	*p = '\0';
}

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

	/* digits: byte 0 sign, byte 1 weight (-8..7), then up to 8 digits of 2 bytes (0..9999) */
	if (size >= 2)
	{
		bool		neg = data[0] & 1;
		int			weight = (int) (data[1] % 16) - 8;
		int16_t		d[8];
		int			n = 0;
		char		text[128];
		wc_ind_rc	r1,
					r2;

		for (size_t i = 2; i + 1 < size && n < 8; i += 2)
			d[n++] = (int16_t) (((data[i] << 8) | data[i + 1]) % 10000);
		r1 = wc_money_from_nbase(neg, weight, d, n, &c);
		nbase_text(neg, weight, d, n, text);
		r2 = wc_money_parse(text, &c2);
		if ((r1 == WC_IND_OK) != (r2 == WC_IND_OK) || (r1 == WC_IND_OK && c != c2))
			abort();
	}
	return 0;
}
