/*
 * fuzz_normalize.c — libFuzzer harness of the normalization of legacy values.
 * Properties: no crash and no read past the input; the result is never longer
 * than three bytes per input byte; normalizing is idempotent (compacting, of
 * well-formed UTF-8: dropping a blank may join two stray bytes into a character);
 * the compact form holds no blank, hyphen or lower-case ASCII letter; a cut
 * result is a prefix; a moment that parses is a real date and time of day;
 * pattern matching is defined for any pattern and text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/normalize.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* well_formed: s[0..len) is UTF-8 without stray, cut or overlong sequences (a simple check). */
static int
well_formed(const uint8_t *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		int			n = s[i] < 0x80 ? 0 : (s[i] >= 0xC2 && s[i] <= 0xDF) ? 1 :
			(s[i] >= 0xE0 && s[i] <= 0xEF) ? 2 : (s[i] >= 0xF0 && s[i] <= 0xF4) ? 3 : -1;
		int			k;

		if (n < 0 || len - i < (size_t) n + 1)
			return 0;
		for (k = 1; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		if ((n == 2 && s[i] == 0xE0 && s[i + 1] < 0xA0) || (n == 2 && s[i] == 0xED && s[i + 1] >= 0xA0) ||
			(n == 3 && s[i] == 0xF0 && s[i + 1] < 0x90) || (n == 3 && s[i] == 0xF4 && s[i + 1] >= 0x90))
			return 0;
		i += (size_t) n + 1;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		cap = 3 * size + 1;
	char	   *a = malloc(cap),
			   *b = malloc(cap),
			   *c = malloc(8);
	int			flags;

	if (a == NULL || b == NULL || c == NULL)
		goto done;
	for (flags = 0; flags <= WC_NORM_COMPACT; flags++)
	{
		size_t		n = wc_normalize((const char *) data, size, flags, a, cap),
					m,
					k;

		if (n >= cap)
			abort();
		m = wc_normalize(a, n, flags, b, cap);
		if ((!(flags & WC_NORM_COMPACT) || well_formed(data, size)) && (m != n || memcmp(a, b, n) != 0))
			abort();
		if (flags & WC_NORM_COMPACT)
			for (k = 0; k < n; k++)
				if (a[k] == ' ' || a[k] == '-' || (a[k] >= 'a' && a[k] <= 'z'))
					abort();
		if (wc_normalize((const char *) data, size, flags, c, 8) != n ||
			memcmp(c, a, n < 7 ? n : 7) != 0 || c[n < 7 ? n : 7] != '\0')
			abort();
		(void) wc_is_plain_digits(a, n);
	}
	{
		int32_t		ymd,
					secs;
		char	   *p = malloc(size + 1);

		if (wc_parse_moment((const char *) data, size, &ymd, &secs) &&
			(ymd < 10000101 || ymd > 99991231 || secs < 0 || secs >= 86400))
			abort();
		/* the first bytes as a pattern against the rest: defined, and '*' matches everything */
		if (p != NULL)
		{
			size_t		k = size < 16 ? size : 16;

			memcpy(p, data, k);
			p[k] = '\0';
			(void) wc_pattern_match(p, (const char *) data + k, size - k);
			if (size - k <= WC_PATTERN_TEXT_MAX && !wc_pattern_match("*", (const char *) data + k, size - k))
				abort();
			free(p);
		}
	}
done:
	free(a);
	free(b);
	free(c);
	return 0;
}
