/*
 * ident.c — the normalisation every identifier type shares: ICU NFKC (full-width
 * digits and letters become ASCII), removal of spaces and hyphens, upper-casing.
 * ASCII and full-width input, the common cases, take a fast path without ICU.
 */
#include "core/ident.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#define STACK_UCHARS 128

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

/* True for the characters allowed between groups: spaces, tabs and hyphens/dashes. */
static bool
is_separator(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '-' ||
		(c >= 0x2010 && c <= 0x2015) ||	/* hyphen, non-breaking hyphen, dashes */
		c == 0x2212;			/* minus sign */
}

/*
 * ASCII fast path: for each byte, the upper-case character it contributes, 1 for a
 * separator (space, tab, hyphen) or 0 for a character that is not allowed.
 */
static const char ascii_class[128] = {
	['\t'] = 1, [' '] = 1, ['-'] = 1,
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

/* Appends one code point of normalised input to out; false (with detail) if not allowed. */
static bool
compact_add(wc_compact *out, uint32_t c, char *detail)
{
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
	{
		if (out->len < WC_IDENT_COMPACT_MAX)
			out->s[out->len] = (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : (char) c;
		out->len++;
		return true;
	}
	if (is_separator(c))
		return true;
	if (c > 0x20 && c < 0x7F)
		wc_ident_detail(detail, "Character \"%c\" is not allowed (only digits, letters, spaces and hyphens are).",
						(char) c);
	else if (c < 0x80)
		wc_ident_detail(detail, "Control character U+%04X is not allowed.", (unsigned) c);
	else
	{
		char		utf8[5];
		int			n = 0;

		if (c < 0x800)
		{
			utf8[n++] = (char) (0xC0 | (c >> 6));
			utf8[n++] = (char) (0x80 | (c & 0x3F));
		}
		else if (c < 0x10000)
		{
			utf8[n++] = (char) (0xE0 | (c >> 12));
			utf8[n++] = (char) (0x80 | ((c >> 6) & 0x3F));
			utf8[n++] = (char) (0x80 | (c & 0x3F));
		}
		else
		{
			utf8[n++] = (char) (0xF0 | (c >> 18));
			utf8[n++] = (char) (0x80 | ((c >> 12) & 0x3F));
			utf8[n++] = (char) (0x80 | ((c >> 6) & 0x3F));
			utf8[n++] = (char) (0x80 | (c & 0x3F));
		}
		utf8[n] = '\0';
		wc_ident_detail(detail, "Character \"%s\" (U+%04X) is not allowed (only digits, letters, spaces and hyphens are).",
						utf8, (unsigned) c);
	}
	return false;
}

/* Ends a compaction: an input with no significant character is a defect of its own. */
static wc_ident_status
compact_finish(wc_compact *out, char *detail)
{
	out->s[out->len < WC_IDENT_COMPACT_MAX ? out->len : WC_IDENT_COMPACT_MAX] = '\0';
	if (out->len == 0)
	{
		wc_ident_detail(detail, "The value is empty.");
		return WC_IDENT_INVALID;
	}
	return WC_IDENT_OK;
}

/* Maps a failed ICU status to ours: bad UTF-8 is the input's fault, the rest is not. */
static wc_ident_status
icu_failure(UErrorCode st, char *detail)
{
	if (st == U_INVALID_CHAR_FOUND || st == U_ILLEGAL_CHAR_FOUND || st == U_TRUNCATED_CHAR_FOUND)
	{
		wc_ident_detail(detail, "The value is not valid UTF-8.");
		return WC_IDENT_INVALID;
	}
	if (st == U_MEMORY_ALLOCATION_ERROR)
		return WC_IDENT_NOMEM;
	wc_ident_detail(detail, "ICU normalisation failed: %s.", u_errorName(st));
	return WC_IDENT_ICU_ERROR;
}

/*
 * Normalises UTF-8 input into out: NFKC, separators dropped, letters upper-cased.
 * ICU buffers start on the stack; on U_BUFFER_OVERFLOW_ERROR the second call gets a
 * heap buffer of the size the first reported, freed on every path below.
 */
wc_ident_status
wc_ident_compact(const char *in, size_t len, wc_compact *out, char *detail)
{
	UChar		u16_stack[STACK_UCHARS];
	UChar		nfkc_stack[STACK_UCHARS];
	UChar	   *u16 = u16_stack;
	UChar	   *nfkc = nfkc_stack;
	int32_t		u16len = 0;
	int32_t		nlen = 0;
	UErrorCode	st = U_ZERO_ERROR;
	const UNormalizer2 *norm;
	wc_ident_status result = WC_IDENT_OK;
	size_t		i;

	/*
	 * Fast path, no ICU: ASCII plus the full-width forms U+FF01..U+FF5E and the
	 * ideographic space U+3000, whose NFKC is the ASCII character (or space). With
	 * no other character present nothing can compose, so this equals NFKC.
	 */
	out->len = 0;
	for (i = 0; i < len; i++)
	{
		unsigned char b = (unsigned char) in[i];
		char		k;

		if (b >= 0x80)
		{
			unsigned char b1 = i + 2 < len ? (unsigned char) in[i + 1] : 0;
			unsigned char b2 = i + 2 < len ? (unsigned char) in[i + 2] : 0;

			if (b == 0xEF && b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF)
				b = (unsigned char) (b2 - 0x80 + 0x20);	/* U+FF01..U+FF3F */
			else if (b == 0xEF && b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E)
				b = (unsigned char) (b2 - 0x80 + 0x60);	/* U+FF40..U+FF5E */
			else if (b == 0xE3 && b1 == 0x80 && b2 == 0x80)
				b = ' ';		/* U+3000 */
			else
				break;
			i += 2;
		}
		k = ascii_class[b];
		if (k > 1)
		{
			if (out->len < WC_IDENT_COMPACT_MAX)
				out->s[out->len] = k;
			out->len++;
		}
		else if (k == 0)
		{
			compact_add(out, b, detail);
			return WC_IDENT_INVALID;
		}
	}
	if (i >= len)
		return compact_finish(out, detail);
	out->len = 0;

	if (len > WC_IDENT_INPUT_MAX)
	{
		wc_ident_detail(detail, "The value is too long (%zu bytes).", len);
		return WC_IDENT_INVALID;
	}

	u_strFromUTF8(u16, STACK_UCHARS, &u16len, in, (int32_t) len, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR)
	{
		st = U_ZERO_ERROR;
		u16 = malloc(((size_t) u16len + 1) * sizeof(UChar));
		if (u16 == NULL)
		{
			result = WC_IDENT_NOMEM;
			goto done;
		}
		u_strFromUTF8(u16, u16len + 1, &u16len, in, (int32_t) len, &st);
	}
	if (U_FAILURE(st))
	{
		result = icu_failure(st, detail);
		goto done;
	}

	norm = unorm2_getNFKCInstance(&st);	/* owned by ICU: never closed */
	if (U_FAILURE(st))
	{
		result = icu_failure(st, detail);
		goto done;
	}
	nlen = unorm2_normalize(norm, u16, u16len, nfkc, STACK_UCHARS, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR)
	{
		st = U_ZERO_ERROR;
		nfkc = malloc(((size_t) nlen + 1) * sizeof(UChar));
		if (nfkc == NULL)
		{
			result = WC_IDENT_NOMEM;
			goto done;
		}
		nlen = unorm2_normalize(norm, u16, u16len, nfkc, nlen + 1, &st);
	}
	if (U_FAILURE(st))
	{
		result = icu_failure(st, detail);
		goto done;
	}

	for (int32_t k = 0; k < nlen;)
	{
		UChar32		c;

		U16_NEXT(nfkc, k, nlen, c);
		if (!compact_add(out, (uint32_t) c, detail))
		{
			result = WC_IDENT_INVALID;
			goto done;
		}
	}
	result = compact_finish(out, detail);

done:
	if (u16 != u16_stack)
		free(u16);
	if (nfkc != nfkc_stack)
		free(nfkc);
	return result;
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
