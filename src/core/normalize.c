/*
 * normalize.c — values of legacy tables as they were meant (see normalize.h).
 */
#include "core/normalize.h"

#include <string.h>

#include "core/ident.h"

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

/* lower: an ASCII letter in lower case, any other byte unchanged. */
static inline unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char) (c - 'A' + 'a') : c;
}

/* wc_pattern_valid: a pattern wc_pattern_match takes: 1 to WC_PATTERN_MAX bytes. */
bool
wc_pattern_valid(const char *p)
{
	size_t		n = strlen(p);

	return n > 0 && n <= WC_PATTERN_MAX;
}

/*
 * wc_pattern_match: does s[0..len) match pattern p as a whole? In a pattern
 * '*' stands for any run of characters (also none), '#' for a run of one or
 * more ASCII digits ("#月工资": 11月工资), any other byte for itself, ASCII
 * letters either case. Compared in O(|p| |s|) steps whatever the pattern (no
 * backtracking); a pattern or text longer than its maximum matches nothing.
 */
/* same_ci: a[0..n) = b[0..n), ASCII letters either case. */
static bool
same_ci(const char *a, const char *b, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char) a[i]) != lower((unsigned char) b[i]))
			return false;
	return true;
}

bool
wc_pattern_match(const char *p, const char *s, size_t len)
{
	bool		prev[WC_PATTERN_TEXT_MAX + 1],
				cur[WC_PATTERN_TEXT_MAX + 1];
	size_t		plen = strlen(p),
				head,
				tail,
				i,
				j;
	const char *last = NULL;

	if (plen > WC_PATTERN_MAX || len > WC_PATTERN_TEXT_MAX)
		return false;
	/*
	 * A bank file asks this for every movement against every pattern: most
	 * patterns are words, and the words before the first and after the last
	 * wildcard settle most texts before the table below is filled.
	 */
	for (head = 0; head < plen && p[head] != '*' && p[head] != '#'; head++)
		;
	if (head == plen)
		return plen == len && same_ci(p, s, len);
	for (i = head; i < plen; i++)
		if (p[i] == '*' || p[i] == '#')
			last = p + i;
	tail = plen - (size_t) (last - p) - 1;
	if (head + tail > len || !same_ci(p, s, head) || !same_ci(last + 1, s + len - tail, tail))
		return false;
	/* prev[j]: p[0..i) matches s[0..j) */
	prev[0] = true;
	for (j = 1; j <= len; j++)
		prev[j] = false;
	for (i = 1; i <= plen; i++)
	{
		unsigned char c = (unsigned char) p[i - 1];

		cur[0] = c == '*' && prev[0];
		for (j = 1; j <= len; j++)
		{
			unsigned char t = (unsigned char) s[j - 1];

			if (c == '*')
				cur[j] = prev[j] || cur[j - 1];
			else if (c == '#')
				cur[j] = t >= '0' && t <= '9' && (prev[j - 1] || cur[j - 1]);
			else
				cur[j] = lower(c) == lower(t) && prev[j - 1];
		}
		memcpy(prev, cur, sizeof(bool) * (len + 1));
	}
	return prev[len];
}

/* wc_pattern_any: does s[0..len) match one of the NULL-terminated patterns? */
bool
wc_pattern_any(const char *const *patterns, const char *s, size_t len)
{
	int			i;

	for (i = 0; patterns[i]; i++)
		if (wc_pattern_match(patterns[i], s, len))
			return true;
	return false;
}

/* digits: reads a run of ASCII digits at s[*i..len) (at most max of them) into *v; how many. */
static int
digits(const char *s, size_t len, size_t *i, int max, int32_t *v)
{
	int			n = 0;

	*v = 0;
	while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9')
	{
		*v = *v * 10 + (s[*i] - '0');
		(*i)++;
		n++;
	}
	return n;
}

/* lit: s[*i..len) starts with word w: skips it. */
static bool
lit(const char *s, size_t len, size_t *i, const char *w)
{
	size_t		n = strlen(w);

	if (len - *i < n || memcmp(s + *i, w, n) != 0)
		return false;
	*i += n;
	return true;
}

/*
 * wc_parse_moment: a date, or a date and a time of day, written as text the
 * way legacy systems do, after wc_normalize (full-width digits, padding):
 * 20201215, 20201215100000, 202012151000, 2020-12-15, 2020/12/15, 2020.12.15,
 * 2020年12月15日, each optionally followed by a blank or T and 10:00, 10:00:00,
 * 10:00:00.123 or 10时00分[00秒]. *ymd = yyyymmdd, *secs = seconds since
 * midnight (fractions dropped). False for anything else or an impossible date
 * or time.
 */
bool
wc_parse_moment(const char *in, size_t inlen, int32_t *ymd, int32_t *secs)
{
	char		s[64];
	size_t		len,
				i = 0;
	int32_t		y,
				m,
				d,
				hh = 0,
				mi = 0,
				ss = 0,
				v;
	int			n;

	len = wc_normalize(in, inlen, 0, s, sizeof(s));
	if (len >= sizeof(s))
		return false;
	for (n = 0; (size_t) n < len && s[n] >= '0' && s[n] <= '9'; n++)
		;
	if (n == 8 || n == 12 || n == 14)
	{
		/* yyyymmdd[hhmm[ss]]: re-read the run in parts */
		i = 0;
		digits(s, len, &i, 4, &y);
		digits(s, len, &i, 2, &m);
		digits(s, len, &i, 2, &d);
		if (n >= 12)
		{
			digits(s, len, &i, 2, &hh);
			digits(s, len, &i, 2, &mi);
		}
		if (n == 14)
			digits(s, len, &i, 2, &ss);
		if (n > 8 && i != len)
			return false;
	}
	else if (n == 4)
	{
		const char *sep;

		digits(s, len, &i, 4, &y);
		if (lit(s, len, &i, "年"))
			sep = NULL;
		else if (i < len && (s[i] == '-' || s[i] == '/' || s[i] == '.'))
			sep = &s[i++];
		else
			return false;
		if (digits(s, len, &i, 2, &m) == 0)
			return false;
		if (sep ? !(i < len && s[i] == *sep && ++i) : !lit(s, len, &i, "月"))
			return false;
		if (digits(s, len, &i, 2, &d) == 0)
			return false;
		if (sep == NULL)
			lit(s, len, &i, "日");
	}
	else
		return false;
	if (y < 1000 || !wc_ymd_is_date(y * 10000 + m * 100 + d))
		return false;
	if (i < len)
	{
		/* the time of day */
		if (s[i] == ' ' || s[i] == 'T')
			i++;
		if (digits(s, len, &i, 2, &hh) == 0)
			return false;
		if (lit(s, len, &i, ":"))
		{
			if (digits(s, len, &i, 2, &mi) != 2)
				return false;
			if (lit(s, len, &i, ":"))
			{
				if (digits(s, len, &i, 2, &ss) != 2)
					return false;
				if (lit(s, len, &i, ".") && digits(s, len, &i, 9, &v) == 0)
					return false;
			}
		}
		else if (lit(s, len, &i, "时"))
		{
			if (digits(s, len, &i, 2, &mi) == 0 || !lit(s, len, &i, "分"))
				return false;
			if (i < len && (digits(s, len, &i, 2, &ss) == 0 || !lit(s, len, &i, "秒")))
				return false;
		}
		else
			return false;
		if (i != len)
			return false;
	}
	if (hh > 23 || mi > 59 || ss > 59)
		return false;
	*ymd = y * 10000 + m * 100 + d;
	*secs = hh * 3600 + mi * 60 + ss;
	return true;
}
