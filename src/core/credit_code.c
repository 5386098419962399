/*
 * credit_code.c — GB 32100-2015 unified social credit codes: 18 characters from
 * 0-9 and the capitals without I, O, S, V, Z (values 0-30). The 17 leading
 * characters are packed five bits each, big-endian, into 11 bytes, so byte order
 * is text order; the check character is derived.
 */
#include "core/ident.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* The value 0-30 of a code character, or -1 if GB 32100 does not use it. */
int
wc_credit_char_value(char c)
{
	static const signed char letters[26] = {
		/* A  B   C   D   E   F   G   H   I   J   K   L   M */
		10, 11, 12, 13, 14, 15, 16, 17, -1, 18, 19, 20, 21,
		/* N  O   P   Q   R   S   T   U   V   W   X   Y   Z */
		22, -1, 23, 24, 25, -1, 26, 27, -1, 28, 29, 30, -1
	};

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return letters[c - 'A'];
	return -1;
}

/* The check character of 17 valid code characters: (31 - S mod 31) mod 31. */
char
wc_credit_check_char(const char *s17)
{
	int			sum = 0;

	for (int i = 0; i < 17; i++)
		sum += wc_credit_char_value(s17[i]) * weights[i];
	return alphabet[(31 - sum % 31) % 31];
}

/* Packs 17 character values, five bits each, most significant first. */
static void
pack(const char *s17, wc_credit_code *out)
{
	int			pos = 0;

	for (int i = 0; i < WC_CREDIT_CODE_BYTES; i++)
		out->b[i] = 0;
	for (int i = 0; i < 17; i++)
	{
		int			v = wc_credit_char_value(s17[i]);

		for (int bit = 4; bit >= 0; bit--, pos++)
			if (v & (1 << bit))
				out->b[pos / 8] |= (uint8_t) (0x80 >> (pos % 8));
	}
}

/* Checks normalised input: 18 characters of the code alphabet, not all zeros, with the right check character. */
wc_ident_status
wc_credit_code_from_compact(const wc_compact *c, wc_credit_code *out, char *detail)
{
	char		want;
	int			zeros = 0;

	if (c->len != WC_CREDIT_CODE_LEN)
	{
		wc_ident_detail(detail, "A unified social credit code has 18 characters, not %d.", c->len);
		return WC_IDENT_INVALID;
	}
	for (int i = 0; i < WC_CREDIT_CODE_LEN; i++)
		if (wc_credit_char_value(c->s[i]) < 0)
		{
			wc_ident_detail(detail, "Character %d (\"%c\") is not used in credit codes (I, O, S, V and Z are left out).",
							i + 1, c->s[i]);
			return WC_IDENT_INVALID;
		}
	while (zeros < WC_CREDIT_CODE_LEN && c->s[zeros] == '0')
		zeros++;
	if (zeros == WC_CREDIT_CODE_LEN)
	{
		/* a placeholder, not a code: its check character (0) alone would let it pass */
		wc_ident_detail(detail, "A unified social credit code cannot be all zeros.");
		return WC_IDENT_INVALID;
	}
	want = wc_credit_check_char(c->s);
	if (c->s[17] != want)
	{
		wc_ident_detail(detail, "Check character should be %c.", want);
		return WC_IDENT_INVALID;
	}
	pack(c->s, out);
	return WC_IDENT_OK;
}

/* Parses text input (any of the accepted dirty forms) into the packed code. */
wc_ident_status
wc_credit_code_parse(const char *in, size_t len, wc_credit_code *out, char *detail)
{
	wc_compact	c;
	wc_ident_status st = wc_ident_compact(in, len, &c, detail);

	if (st != WC_IDENT_OK)
		return st;
	return wc_credit_code_from_compact(&c, out, detail);
}

/* Writes the canonical 18-character form. */
void
wc_credit_code_format(const wc_credit_code *v, char out[WC_CREDIT_CODE_LEN + 1])
{
	int			pos = 0;

	for (int i = 0; i < 17; i++)
	{
		int			x = 0;

		for (int bit = 0; bit < 5; bit++, pos++)
			x = (x << 1) | ((v->b[pos / 8] >> (7 - pos % 8)) & 1);
		out[i] = alphabet[x < 31 ? x : 0];
	}
	out[17] = wc_credit_check_char(out);
	out[WC_CREDIT_CODE_LEN] = '\0';
}

/* The registering authority's division code (characters 3-8), or -1 if it is not one. */
int32_t
wc_credit_code_region(const wc_credit_code *v)
{
	char		s[WC_CREDIT_CODE_LEN + 1];
	int32_t		region = 0;

	wc_credit_code_format(v, s);
	for (int i = 2; i < 8; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		region = region * 10 + (s[i] - '0');
	}
	return wc_province_code_valid(region / 10000) ? region : -1;
}
