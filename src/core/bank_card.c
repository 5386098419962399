/*
 * bank_card.c — worker wage card numbers: 12-19 digits ending in a Luhn check
 * digit. Stored in an int64 as (length - 12) << 60 | the leading digits, so the
 * value orders by length, then numerically; leading zeros survive.
 */
#include "core/ident.h"

#define PAYLOAD_BITS	60
#define PAYLOAD_MASK	((INT64_C(1) << PAYLOAD_BITS) - 1)

/* The Luhn check digit that should follow digits[0..len-1]. */
int
wc_luhn_check_digit(const char *digits, int len)
{
	int			sum = 0;
	bool		dbl = true;

	for (int i = len - 1; i >= 0; i--, dbl = !dbl)
	{
		int			x = digits[i] - '0';

		if (dbl)
		{
			x *= 2;
			if (x > 9)
				x -= 9;
		}
		sum += x;
	}
	return (10 - sum % 10) % 10;
}

/* Checks normalised input: 12-19 digits, not all zeros, whose last is the Luhn check digit. */
wc_ident_status
wc_bank_card_from_compact(const wc_compact *c, int64_t *out, char *detail)
{
	int64_t		payload = 0;
	int			want;
	int			zeros = 0;

	for (int i = 0; i < c->len && i < WC_IDENT_COMPACT_MAX; i++)
		if (c->s[i] < '0' || c->s[i] > '9')
		{
			wc_ident_detail(detail, "Character %d (\"%c\") is not a digit.", i + 1, c->s[i]);
			return WC_IDENT_INVALID;
		}
	if (c->len < WC_BANK_CARD_MIN || c->len > WC_BANK_CARD_MAX)
	{
		wc_ident_detail(detail, "A bank card number has 12 to 19 digits, not %d.", c->len);
		return WC_IDENT_INVALID;
	}
	while (zeros < c->len && c->s[zeros] == '0')
		zeros++;
	if (zeros == c->len)
	{
		/* a placeholder, not a card: the Luhn check alone would let it pass */
		wc_ident_detail(detail, "A bank card number cannot be all zeros.");
		return WC_IDENT_INVALID;
	}
	want = wc_luhn_check_digit(c->s, c->len - 1);
	if (c->s[c->len - 1] - '0' != want)
	{
		wc_ident_detail(detail, "Check digit should be %d (Luhn).", want);
		return WC_IDENT_INVALID;
	}
	for (int i = 0; i < c->len - 1; i++)
		payload = payload * 10 + (c->s[i] - '0');
	*out = ((int64_t) (c->len - WC_BANK_CARD_MIN) << PAYLOAD_BITS) | payload;
	return WC_IDENT_OK;
}

/* Parses text input (any of the accepted dirty forms) into the packed number. */
wc_ident_status
wc_bank_card_parse(const char *in, size_t len, int64_t *out, char *detail)
{
	wc_compact	c;
	wc_ident_status st = wc_ident_compact(in, len, &c, detail);

	if (st != WC_IDENT_OK)
		return st;
	return wc_bank_card_from_compact(&c, out, detail);
}

/* Writes the canonical form (digits only) and returns its length. */
int
wc_bank_card_format(int64_t v, char out[WC_BANK_CARD_MAX + 1])
{
	int			len = (int) (v >> PAYLOAD_BITS) + WC_BANK_CARD_MIN;
	int64_t		payload = v & PAYLOAD_MASK;

	for (int i = len - 2; i >= 0; i--)
	{
		out[i] = (char) ('0' + payload % 10);
		payload /= 10;
	}
	out[len - 1] = (char) ('0' + wc_luhn_check_digit(out, len - 1));
	out[len] = '\0';
	return len;
}

/* Writes the masked form "6222 **** **** 1234": first and last four digits, length hidden. */
void
wc_bank_card_mask(int64_t v, char out[WC_BANK_CARD_MASK_LEN + 1])
{
	char		s[WC_BANK_CARD_MAX + 1];
	int			len = wc_bank_card_format(v, s);
	static const char middle[] = " **** **** ";

	for (int i = 0; i < 4; i++)
		out[i] = s[i];
	for (int i = 0; i < 11; i++)
		out[4 + i] = middle[i];
	for (int i = 0; i < 4; i++)
		out[15 + i] = s[len - 4 + i];
	out[WC_BANK_CARD_MASK_LEN] = '\0';
}
