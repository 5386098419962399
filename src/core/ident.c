/*
 * ident.c — the normalisation every identifier type shares: full-width digits and
 * letters become ASCII (as NFKC makes them), spaces and hyphens are removed,
 * letters upper-cased. Only ASCII and the full-width forms are admitted; ICU
 * names what a refused character is (a dash, a decorative digit, ...).
 */
#include "core/ident.h"

#include <stdarg.h>
#include <stdio.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

/* Writes a printf-style defect description into detail, when the caller wants one. */
void
wc_ident_detail(char *detail, const char *fmt,...)
{
	va_list		ap;

	if (detail == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, WC_IDENT_DETAIL_SIZE, fmt, ap);
	va_end(ap);
}

/*
 * What each ASCII byte contributes: the upper-case character for a digit or letter,
 * 1 for a separator (space, hyphen-minus), 0 for a character that is not admitted.
 * The full-width forms U+FF01..U+FF5E are looked up here by their ASCII equivalent.
 */
static const char ascii_class[128] = {
	[' '] = 1, ['-'] = 1,
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['A'] = 'A', ['B'] = 'B', ['C'] = 'C', ['D'] = 'D', ['E'] = 'E', ['F'] = 'F', ['G'] = 'G',
	['H'] = 'H', ['I'] = 'I', ['J'] = 'J', ['K'] = 'K', ['L'] = 'L', ['M'] = 'M', ['N'] = 'N',
	['O'] = 'O', ['P'] = 'P', ['Q'] = 'Q', ['R'] = 'R', ['S'] = 'S', ['T'] = 'T', ['U'] = 'U',
	['V'] = 'V', ['W'] = 'W', ['X'] = 'X', ['Y'] = 'Y', ['Z'] = 'Z',
	['a'] = 'A', ['b'] = 'B', ['c'] = 'C', ['d'] = 'D', ['e'] = 'E', ['f'] = 'F', ['g'] = 'G',
	['h'] = 'H', ['i'] = 'I', ['j'] = 'J', ['k'] = 'K', ['l'] = 'L', ['m'] = 'M', ['n'] = 'N',
	['o'] = 'O', ['p'] = 'P', ['q'] = 'Q', ['r'] = 'R', ['s'] = 'S', ['t'] = 'T', ['u'] = 'U',
	['v'] = 'V', ['w'] = 'W', ['x'] = 'X', ['y'] = 'Y', ['z'] = 'Z',
};

/*
 * The class (as in ascii_class) of an admitted code point, or 0: ASCII, the
 * full-width forms U+FF01..U+FF5E and the ideographic space U+3000, nothing else.
 */
static int
char_class(uint32_t c)
{
	if (c < 0x80)
		return ascii_class[c];
	if (c >= 0xFF01 && c <= 0xFF5E)
		return ascii_class[c - 0xFEE0];
	if (c == 0x3000)
		return 1;
	return 0;
}

/* Writes the UTF-8 form of code point c (at most 4 bytes) and a NUL into buf. */
static void
utf8_encode(uint32_t c, char buf[5])
{
	int			n = 0;

	if (c < 0x80)
		buf[n++] = (char) c;
	else if (c < 0x800)
	{
		buf[n++] = (char) (0xC0 | (c >> 6));
		buf[n++] = (char) (0x80 | (c & 0x3F));
	}
	else if (c < 0x10000)
	{
		buf[n++] = (char) (0xE0 | (c >> 12));
		buf[n++] = (char) (0x80 | ((c >> 6) & 0x3F));
		buf[n++] = (char) (0x80 | (c & 0x3F));
	}
	else
	{
		buf[n++] = (char) (0xF0 | (c >> 18));
		buf[n++] = (char) (0x80 | ((c >> 12) & 0x3F));
		buf[n++] = (char) (0x80 | ((c >> 6) & 0x3F));
		buf[n++] = (char) (0x80 | (c & 0x3F));
	}
	buf[n] = '\0';
}

/*
 * Writes into form the ASCII digits and letters NFKC makes of c (① -> "1",
 * Ⅹ -> "X"), and returns true, if that is all NFKC makes of it; false otherwise,
 * also when ICU fails (the character is refused either way: only the detail
 * depends on this).
 */
static bool
nfkc_ascii_form(uint32_t c, char *form, size_t size)
{
	UChar		src[2];
	UChar		dst[32];
	int32_t		srclen = 0;
	int32_t		n;
	UErrorCode	err = U_ZERO_ERROR;
	const UNormalizer2 *norm = unorm2_getNFKCInstance(&err);	/* owned by ICU */

	if (U_FAILURE(err))
		return false;
	U16_APPEND_UNSAFE(src, srclen, (UChar32) c);
	n = unorm2_normalize(norm, src, srclen, dst, (int32_t) (sizeof(dst) / sizeof(dst[0])), &err);
	if (U_FAILURE(err) || n < 1 || (size_t) n >= size)
		return false;			/* longer than any digit or letter form: none */
	for (int32_t k = 0; k < n; k++)
	{
		UChar		u = dst[k];

		if (!((u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z')))
			return false;
		form[k] = (char) u;
	}
	form[n] = '\0';
	return true;
}

/*
 * Describes why code point c is not admitted into detail: a control character, a
 * space or dash that is not a separator, a decorative form of a digit or letter
 * (NFKC would make ASCII of it, but only ASCII and full-width forms are taken), or
 * any other character. Returns WC_IDENT_INVALID.
 */
static wc_ident_status
refuse_char(uint32_t c, char *detail)
{
	char		utf8[5];
	char		form[8];

	if (c < 0x20 || c == 0x7F)
	{
		wc_ident_detail(detail, "Control character U+%04X is not allowed.", (unsigned) c);
		return WC_IDENT_INVALID;
	}
	utf8_encode(c, utf8);
	if (c < 0x80)
		wc_ident_detail(detail, "Character \"%s\" is not allowed (only digits, letters, spaces and hyphens, ASCII or full-width, are).",
						utf8);
	else if (u_hasBinaryProperty((UChar32) c, UCHAR_DASH) || u_isUWhiteSpace((UChar32) c))
		wc_ident_detail(detail, "Character \"%s\" (U+%04X) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).",
						utf8, (unsigned) c);
	else if (nfkc_ascii_form(c, form, sizeof(form)))
		wc_ident_detail(detail, "Character \"%s\" (U+%04X) is a compatibility form of \"%s\": only ASCII and full-width digits and letters are allowed.",
						utf8, (unsigned) c, form);
	else
		wc_ident_detail(detail, "Character \"%s\" (U+%04X) is not allowed (only digits, letters, spaces and hyphens, ASCII or full-width, are).",
						utf8, (unsigned) c);
	return WC_IDENT_INVALID;
}

/*
 * Decodes the UTF-8 sequence at in[*i] (len bytes in all) and advances *i past it;
 * returns the code point, or -1 for a sequence that is not well-formed UTF-8.
 */
static int32_t
utf8_next(const char *in, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *) in;
	unsigned char b = s[*i];
	int			n;
	uint32_t	c,
				min;

	if (b < 0x80)
	{
		(*i)++;
		return b;
	}
	if (b >= 0xC2 && b <= 0xDF)
		n = 1, c = b & 0x1F, min = 0x80;
	else if (b >= 0xE0 && b <= 0xEF)
		n = 2, c = b & 0x0F, min = 0x800;
	else if (b >= 0xF0 && b <= 0xF4)
		n = 3, c = b & 0x07, min = 0x10000;
	else
		return -1;
	if (len - *i <= (size_t) n)
		return -1;
	for (int k = 1; k <= n; k++)
	{
		if ((s[*i + k] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (s[*i + k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*i += (size_t) n + 1;
	return (int32_t) c;
}

/*
 * Normalises UTF-8 input into out: separators dropped, letters upper-cased,
 * full-width forms made ASCII. Only ASCII and the full-width forms (U+FF01..U+FF5E,
 * U+3000) are admitted: on them NFKC is exactly this mapping (nothing among them
 * composes), while other characters NFKC would turn into digits or letters (①, ¹,
 * 𝟏, Ⅹ) are refused, as are separators other than space and hyphen-minus.
 */
wc_ident_status
wc_ident_compact(const char *in, size_t len, wc_compact *out, char *detail)
{
	size_t		i = 0;

	out->len = 0;
	while (i < len)
	{
		unsigned char b = (unsigned char) in[i];
		int			k;

		if (b < 0x80)
		{
			k = ascii_class[b];
			i++;
		}
		else
		{
			int32_t		c = utf8_next(in, len, &i);

			if (c < 0)
			{
				wc_ident_detail(detail, "The value is not valid UTF-8.");
				return WC_IDENT_INVALID;
			}
			k = char_class((uint32_t) c);
			if (k == 0)
				return refuse_char((uint32_t) c, detail);
		}
		if (k > 1)
		{
			if (out->len < WC_IDENT_COMPACT_MAX)
				out->s[out->len] = (char) k;
			out->len++;
		}
		else if (k == 0)
			return refuse_char(b, detail);
	}
	out->s[out->len < WC_IDENT_COMPACT_MAX ? out->len : WC_IDENT_COMPACT_MAX] = '\0';
	if (out->len == 0)
	{
		wc_ident_detail(detail, "The value is empty.");
		return WC_IDENT_INVALID;
	}
	return WC_IDENT_OK;
}

/*
 * Binary input must already be canonical: ASCII digits and capital letters only.
 * Fills out as wc_ident_compact would and reports whether the bytes qualify.
 */
bool
wc_ident_is_canonical(const char *in, size_t len, wc_compact *out)
{
	out->len = 0;
	if (len == 0 || len > WC_IDENT_COMPACT_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
	{
		char		c = in[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
			return false;
		out->s[i] = c;
	}
	out->len = (int) len;
	out->s[len] = '\0';
	return true;
}

/* True if ymd (YYYYMMDD) names a real day of the proleptic Gregorian calendar. */
bool
wc_ymd_is_date(int32_t ymd)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			y = ymd / 10000;
	int			m = (ymd / 100) % 100;
	int			d = ymd % 100;
	int			last;

	if (ymd <= 0 || m < 1 || m > 12 || d < 1)
		return false;
	last = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		last = 29;
	return d <= last;
}
