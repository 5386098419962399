/*
 * resident_id.c — GB 11643-1999 citizen identity numbers (also the social security
 * number), Hong Kong/Macau/Taiwan residence permits (810000/820000/830000) and the
 * 2023 foreigners' permanent residence card (leading 9). Stored as the 17 leading
 * digits in an int64; the check character is derived.
 */
#include "core/ident.h"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

/* The check character of 17 ASCII digits: S = sum of digit x weight, S mod 11 -> 10X98765432. */
static char
check_char_digits(const char *d)
{
	int			sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (d[i] - '0') * weights[i];
	return check_chars[sum % 11];
}

/* Writes the 17 leading digits of a stored value as ASCII. */
static void
digits17(int64_t v, char *d)
{
	for (int i = 16; i >= 0; i--)
	{
		d[i] = (char) ('0' + v % 10);
		v /= 10;
	}
}

/* The check character of a number given its 17 leading digits as an integer. */
char
wc_resident_id_check_char(int64_t v)
{
	char		d[17];

	digits17(v, d);
	return check_char_digits(d);
}

/* Checks the region part of 17 digits: province digits, residence permits, foreigners' cards. */
static bool
region_valid(const char *d, bool modern, char *detail)
{
	int			p = (d[0] - '0') * 10 + (d[1] - '0');
	int			region = 0;

	for (int i = 0; i < 6; i++)
		region = region * 10 + (d[i] - '0');
	if (modern && d[0] == '9')
	{
		int			issuer = (d[1] - '0') * 10 + (d[2] - '0');

		if (!wc_province_code_valid(issuer))
		{
			wc_ident_detail(detail, "Province code %02d (digits 2-3 of a foreigners' permanent residence card) does not exist.",
							issuer);
			return false;
		}
		return true;
	}
	if (modern && p == 83)
	{
		if (region != 830000)
		{
			wc_ident_detail(detail, "Region code %06d is not valid: 83 is used only as 830000 (Taiwan residents' residence permit).",
							region);
			return false;
		}
		return true;
	}
	if (!wc_province_code_valid(p))
	{
		wc_ident_detail(detail, "Province code %02d does not exist (the first two digits must be a province-level code).", p);
		return false;
	}
	return true;
}

/* Checks normalised input (18 characters, or an old 15-digit number) against today (YYYYMMDD). */
wc_ident_status
wc_resident_id_from_compact(const wc_compact *c, int32_t today, int64_t *out, char *detail)
{
	char		d[17];
	int64_t		v = 0;
	int32_t		birth = 0;

	if (c->len == 15)
	{
		for (int i = 0; i < 15; i++)
			if (c->s[i] < '0' || c->s[i] > '9')
			{
				wc_ident_detail(detail, "An old 15-digit number has only digits, character %d is \"%c\".",
								i + 1, c->s[i]);
				return WC_IDENT_INVALID;
			}
		for (int i = 0; i < 6; i++)
			d[i] = c->s[i];
		d[6] = '1';
		d[7] = '9';
		for (int i = 6; i < 15; i++)
			d[i + 2] = c->s[i];
	}
	else if (c->len == WC_RESIDENT_ID_LEN)
	{
		for (int i = 0; i < 17; i++)
		{
			if (c->s[i] < '0' || c->s[i] > '9')
			{
				wc_ident_detail(detail, "Character %d (\"%c\") is not a digit (only the 18th, the check character, may be X).",
								i + 1, c->s[i]);
				return WC_IDENT_INVALID;
			}
			d[i] = c->s[i];
		}
		if (c->s[17] != 'X' && (c->s[17] < '0' || c->s[17] > '9'))
		{
			wc_ident_detail(detail, "The check character must be a digit or X, not \"%c\".", c->s[17]);
			return WC_IDENT_INVALID;
		}
	}
	else
	{
		wc_ident_detail(detail, "A resident ID number has 18 characters (old numbers 15 digits), not %d.",
						c->len);
		return WC_IDENT_INVALID;
	}

	if (!region_valid(d, c->len == WC_RESIDENT_ID_LEN, detail))
		return WC_IDENT_INVALID;

	for (int i = 6; i < 14; i++)
		birth = birth * 10 + (d[i] - '0');
	if (!wc_ymd_is_date(birth))
	{
		wc_ident_detail(detail, "Birth date %08d is not a date.", birth);
		return WC_IDENT_INVALID;
	}
	if (birth < WC_RESIDENT_ID_MIN_BIRTH)
	{
		wc_ident_detail(detail, "Birth date %08d is before 1800.", birth);
		return WC_IDENT_INVALID;
	}
	if (birth > today)
	{
		wc_ident_detail(detail, "Birth date %08d is in the future.", birth);
		return WC_IDENT_INVALID;
	}

	for (int i = 0; i < 17; i++)
		v = v * 10 + (d[i] - '0');
	if (c->len == WC_RESIDENT_ID_LEN)
	{
		char		want = check_char_digits(d);

		if (c->s[17] != want)
		{
			wc_ident_detail(detail, "Check character should be %c.", want);
			return WC_IDENT_INVALID;
		}
	}
	*out = v;
	return WC_IDENT_OK;
}

/* Parses text input (any of the accepted dirty forms) into the 17 leading digits. */
wc_ident_status
wc_resident_id_parse(const char *in, size_t len, int32_t today, int64_t *out, char *detail)
{
	wc_compact	c;
	wc_ident_status st = wc_ident_compact(in, len, &c, detail);

	if (st != WC_IDENT_OK)
		return st;
	return wc_resident_id_from_compact(&c, today, out, detail);
}

/* Writes the canonical 18-character form (check character X in capitals). */
void
wc_resident_id_format(int64_t v, char out[WC_RESIDENT_ID_LEN + 1])
{
	digits17(v, out);
	out[17] = check_char_digits(out);
	out[WC_RESIDENT_ID_LEN] = '\0';
}

/* Writes the masked form: region code and last four characters, birth date hidden. */
void
wc_resident_id_mask(int64_t v, char out[WC_RESIDENT_ID_LEN + 1])
{
	wc_resident_id_format(v, out);
	for (int i = 6; i < 14; i++)
		out[i] = '*';
}

/* The birth date as YYYYMMDD. */
int32_t
wc_resident_id_birth_ymd(int64_t v)
{
	return (int32_t) ((v / 1000) % 100000000);
}

/* True if the sequence number (digit 17) is odd, which GB 11643 gives to men. */
bool
wc_resident_id_is_male(int64_t v)
{
	return (v % 10) % 2 == 1;
}

/*
 * The GB/T 2260 region of the number: its first six digits; 710000 (Taiwan) for a
 * Taiwan residents' permit (830000); the issuing province for a foreigners' card.
 */
int32_t
wc_resident_id_region(int64_t v)
{
	int32_t		region = (int32_t) (v / 100000000000LL);

	if (region / 100000 == 9)
		return (region / 1000) % 100 * 10000;
	if (region == 830000)
		return 710000;
	return region;
}

/* Age in full years on the given day, or -1 if that day precedes the birth date. */
int
wc_resident_id_age(int64_t v, int year, int month, int day)
{
	int32_t		birth = wc_resident_id_birth_ymd(v);
	int			by = birth / 10000;
	int			bmd = birth % 10000;
	int			md = month * 100 + day;

	if (year < by || (year == by && md < bmd))
		return -1;
	return year - by - (md < bmd ? 1 : 0);
}
