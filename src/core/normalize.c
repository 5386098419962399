/*
 * normalize.c — values of legacy tables as they were meant (see normalize.h).
 */
#include "core/normalize.h"

#include <string.h>

/*
 * utf8_next: the code point at s[*i..len) and the index after it; a byte that does
 * not start a well-formed sequence is returned as itself (0x80..0xFF) and counts
 * as one byte, so that nothing is lost or read past len.
 */
static uint32_t
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	unsigned char c = s[*i];
	int			n;
	uint32_t	cp;
	size_t		k;

	if (c < 0x80)
	{
		(*i)++;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 1, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 2, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 3, cp = c & 0x07;
	else
	{
		(*i)++;
		return 0x110000 | c;	/* not a code point: copied as the byte */
	}
	if (len - *i < (size_t) n + 1)
	{
		(*i)++;
		return 0x110000 | c;	/* cut short */
	}
	for (k = 1; k <= (size_t) n; k++)
	{
		unsigned char b = s[*i + k];

		if ((b & 0xC0) != 0x80)
		{
			(*i)++;
			return 0x110000 | c;
		}
		cp = (cp << 6) | (b & 0x3F);
	}
	/* overlong, surrogate or out-of-range forms are bytes too */
	if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
	{
		(*i)++;
		return 0x110000 | c;
	}
	*i += (size_t) n + 1;
	return cp;
}

/* put: appends byte c to out (size bytes, room kept for the NUL), counting what would be written. */
static inline void
put(char *out, size_t size, size_t *n, char c)
{
	if (*n + 1 < size)
		out[*n] = c;
	(*n)++;
}

/* put_cp: appends code point cp (or the raw byte of a non-code point) as UTF-8. */
static void
put_cp(char *out, size_t size, size_t *n, uint32_t cp)
{
	if (cp > 0x10FFFF)
		put(out, size, n, (char) (cp & 0xFF));
	else if (cp < 0x80)
		put(out, size, n, (char) cp);
	else if (cp < 0x800)
	{
		put(out, size, n, (char) (0xC0 | (cp >> 6)));
		put(out, size, n, (char) (0x80 | (cp & 0x3F)));
	}
	else if (cp < 0x10000)
	{
		put(out, size, n, (char) (0xE0 | (cp >> 12)));
		put(out, size, n, (char) (0x80 | ((cp >> 6) & 0x3F)));
		put(out, size, n, (char) (0x80 | (cp & 0x3F)));
	}
	else
	{
		put(out, size, n, (char) (0xF0 | (cp >> 18)));
		put(out, size, n, (char) (0x80 | ((cp >> 12) & 0x3F)));
		put(out, size, n, (char) (0x80 | ((cp >> 6) & 0x3F)));
		put(out, size, n, (char) (0x80 | (cp & 0x3F)));
	}
}

/*
 * fold: what a code point stands for: the ASCII character of a full-width form
 * (U+FF01..U+FF5E), ' ' for a blank (tab, line breaks, no-break space, the
 * ideographic and other Unicode spaces, a NUL of padding), '-' for a dash or
 * minus sign (U+2010..U+2015, U+2212, U+FE63); anything else unchanged.
 */
static uint32_t
fold(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFEE0;
	if (cp == 0 || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
		cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
		cp == 0xFEFF)
		return ' ';
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63)
		return '-';
	return cp;
}

/*
 * wc_normalize: s[0..len) as it was meant: full-width forms made ASCII, every
 * kind of blank a space, every dash a hyphen, blanks at both ends (padding)
 * dropped and runs of blanks inside made one; with WC_NORM_COMPACT the blanks
 * and hyphens inside are dropped too and ASCII letters upper-cased (account,
 * card and ID numbers). Other characters are copied, malformed UTF-8 bytes as
 * they are. Writes at most size - 1 bytes and a NUL (when size > 0) and returns
 * the length of the whole result, as snprintf does: a result >= size was cut.
 */
size_t
wc_normalize(const char *s, size_t len, int flags, char *out, size_t size)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0,
				n = 0;
	bool		blank = false;	/* a blank is pending (written before the next character) */

	while (i < len)
	{
		uint32_t	cp = fold(utf8_next(u, len, &i));

		if (cp == ' ')
		{
			blank = n > 0;
			continue;
		}
		if ((flags & WC_NORM_COMPACT) && cp == '-')
			continue;
		if (blank && !(flags & WC_NORM_COMPACT))
			put(out, size, &n, ' ');
		blank = false;
		if ((flags & WC_NORM_COMPACT) && cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		put_cp(out, size, &n, cp);
	}
	if (size > 0)
		out[n < size ? n : size - 1] = '\0';
	return n;
}

/* wc_is_plain_digits: s[0..len) is one or more ASCII digits and nothing else (needs no normalizing). */
bool
wc_is_plain_digits(const char *s, size_t len)
{
	size_t		i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}
