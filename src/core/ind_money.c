/*
 * ind_money.c — exact decimal text <-> int64 cents for the indicator aggregates.
 *
 * The glue hands over numeric values as their base-10000 digits (or, for error
 * messages, their text); converting them here keeps the range and precision
 * checks in one tested, fuzzed place.
 */
#include "indicators.h"

#include <stdio.h>

/* Parses "[+-]digits[.digits]" into cents; refuses sub-cent fractions and overflow. */
wc_ind_rc
wc_money_parse(const char *s, int64_t *cents)
{
	bool		neg = false;
	uint64_t	v = 0;
	int			ndigits = 0;
	int			frac = 0;
	const uint64_t limit = (uint64_t) INT64_MAX + 1;	/* magnitude of INT64_MIN */

	if (*s == '+' || *s == '-')
		neg = (*s++ == '-');
	for (; *s >= '0' && *s <= '9'; s++, ndigits++)
	{
		if (v > (limit - (uint64_t) (*s - '0')) / 10)
			return WC_IND_RANGE;
		v = v * 10 + (uint64_t) (*s - '0');
	}
	if (*s == '.')
	{
		for (s++; *s >= '0' && *s <= '9'; s++, ndigits++)
		{
			if (frac < 2)
			{
				if (v > (limit - (uint64_t) (*s - '0')) / 10)
					return WC_IND_RANGE;
				v = v * 10 + (uint64_t) (*s - '0');
				frac++;
			}
			else if (*s != '0')
				return WC_IND_FRACTION;
		}
	}
	if (*s != '\0' || ndigits == 0)
		return WC_IND_SYNTAX;
	for (; frac < 2; frac++)
	{
		if (v > limit / 10)
			return WC_IND_RANGE;
		v *= 10;
	}
	if (neg)
	{
		if (v > limit)
			return WC_IND_RANGE;
		*cents = (v == limit) ? INT64_MIN : -(int64_t) v;
	}
	else
	{
		if (v > (uint64_t) INT64_MAX)
			return WC_IND_RANGE;
		*cents = (int64_t) v;
	}
	return WC_IND_OK;
}

/* Writes cents as "[-]units.cc" into buf; returns the length snprintf reports. */
int
wc_money_format(int64_t cents, char *buf, size_t buflen)
{
	uint64_t	mag = cents < 0 ? (uint64_t) 0 - (uint64_t) cents : (uint64_t) cents;

	return snprintf(buf, buflen, "%s%llu.%02llu", cents < 0 ? "-" : "",
					(unsigned long long) (mag / 100), (unsigned long long) (mag % 100));
}

/*
 * Exact cents of a decimal given as base-10000 digits, the layout of a
 * PostgreSQL numeric: value = sum of digits[i] * 10000^(weight - i).
 */
wc_ind_rc
wc_money_from_nbase(bool neg, int weight, const int16_t *digits, int ndigits, int64_t *cents)
{
	const uint64_t limit = (uint64_t) INT64_MAX + 1;	/* magnitude of INT64_MIN */
	uint64_t	v = 0;

	if (ndigits < 0)
		return WC_IND_SYNTAX;
	for (int i = 0; i < ndigits; i++)
	{
		int			e = weight - i;
		int			d = digits[i];

		if (d < 0 || d > 9999)
			return WC_IND_SYNTAX;
		if (e >= 0 && d != 0 && e > 4)
			return WC_IND_RANGE;
		if (e < -1 && d != 0)
			return WC_IND_FRACTION;
		if (e == -1 && d % 100 != 0)
			return WC_IND_FRACTION;
	}
	/* integer groups from the top, then the group of hundredths (weight -1) */
	for (int e = weight > 4 ? 4 : weight; e >= -1; e--)
	{
		int			i = weight - e;
		uint64_t	d = (i >= 0 && i < ndigits) ? (uint64_t) digits[i] : 0;

		if (e >= 0)
		{
			if (v > (limit - d) / 10000)
				return WC_IND_RANGE;
			v = v * 10000 + d;
		}
		else
		{
			if (v > (limit - d / 100) / 100)
				return WC_IND_RANGE;
			v = v * 100 + d / 100;
		}
	}
	if (neg)
		*cents = (v == limit) ? INT64_MIN : -(int64_t) v;
	else if (v > (uint64_t) INT64_MAX)
		return WC_IND_RANGE;
	else
		*cents = (int64_t) v;
	return WC_IND_OK;
}
