/*
 * division_code.c — GB/T 2260 administrative division codes: six digits, province
 * (1-2), prefecture/city (3-4), county (5-6). Codes are never reused, so validity
 * is the province digits, not membership in today's list. Stored as int32.
 */
#include "core/ident.h"

#include <stdio.h>

/* True for the two-digit province-level codes of GB/T 2260 (incl. 71 Taiwan, 81/82 HK/Macau). */
bool
wc_province_code_valid(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
		(p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
		p == 71 || p == 81 || p == 82;
}

/* Checks normalised input: six digits with a province-level code in front. */
wc_ident_status
wc_division_code_from_compact(const wc_compact *c, int32_t *out, char *detail)
{
	int32_t		v = 0;

	if (c->len != WC_DIVISION_CODE_LEN)
	{
		wc_ident_detail(detail, "A division code has 6 digits, not %d.", c->len);
		return WC_IDENT_INVALID;
	}
	for (int i = 0; i < WC_DIVISION_CODE_LEN; i++)
	{
		if (c->s[i] < '0' || c->s[i] > '9')
		{
			wc_ident_detail(detail, "Character %d (\"%c\") is not a digit.", i + 1, c->s[i]);
			return WC_IDENT_INVALID;
		}
		v = v * 10 + (c->s[i] - '0');
	}
	if (!wc_province_code_valid(v / 10000))
	{
		wc_ident_detail(detail, "Province code %02d does not exist (the first two digits must be a province-level code).", v / 10000);
		return WC_IDENT_INVALID;
	}
	*out = v;
	return WC_IDENT_OK;
}

/* Parses text input (any of the accepted dirty forms) into a division code. */
wc_ident_status
wc_division_code_parse(const char *in, size_t len, int32_t *out, char *detail)
{
	wc_compact	c;
	wc_ident_status st = wc_ident_compact(in, len, &c, detail);

	if (st != WC_IDENT_OK)
		return st;
	return wc_division_code_from_compact(&c, out, detail);
}

/* Writes the canonical six-digit form. */
void
wc_division_code_format(int32_t code, char out[WC_DIVISION_CODE_LEN + 1])
{
	for (int i = WC_DIVISION_CODE_LEN - 1; i >= 0; i--)
	{
		out[i] = (char) ('0' + code % 10);
		code /= 10;
	}
	out[WC_DIVISION_CODE_LEN] = '\0';
}

/* 1 for a province-level code (xx0000), 2 for a prefecture/city (xxyy00), 3 for a county. */
int
wc_division_code_level(int32_t code)
{
	if (code % 10000 == 0)
		return 1;
	if (code % 100 == 0)
		return 2;
	return 3;
}

/* The province-level code the division belongs to. */
int32_t
wc_division_code_province(int32_t code)
{
	return code / 10000 * 10000;
}

/* The prefecture/city code of a city or county, or -1 for a province-level code. */
int32_t
wc_division_code_city(int32_t code)
{
	return wc_division_code_level(code) == 1 ? -1 : code / 100 * 100;
}

/* The code itself for a county-level code, or -1 for a province or city. */
int32_t
wc_division_code_county(int32_t code)
{
	return wc_division_code_level(code) == 3 ? code : -1;
}

/* True if inner lies within outer (a division contains itself): a prefix test. */
bool
wc_division_code_contains(int32_t outer, int32_t inner)
{
	switch (wc_division_code_level(outer))
	{
		case 1:
			return outer / 10000 == inner / 10000;
		case 2:
			return outer / 100 == inner / 100;
		default:
			return outer == inner;
	}
}
