/*
 * fuzz_admitted.h — an oracle for the identifier harnesses, written apart from
 * src/core/ident.c: the characters identifier input admits, as the manual lists
 * them (ASCII digits, letters, space and hyphen-minus; their full-width forms
 * U+FF10..U+FF19, U+FF21..U+FF3A, U+FF41..U+FF5A, U+FF0D; the ideographic space).
 */
#ifndef WC_FUZZ_ADMITTED_H
#define WC_FUZZ_ADMITTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if cp is one of the characters the manual admits. */
static bool
fuzz_admitted_char(uint32_t cp)
{
	if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
		cp == ' ' || cp == '-')
		return true;
	return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
		(cp >= 0xFF41 && cp <= 0xFF5A) || cp == 0xFF0D || cp == 0x3000;
}

/*
 * True if data is UTF-8 made of admitted characters only (shortest forms; the
 * admitted set has nothing beyond three bytes), and holds at least one that is
 * not a separator: what every accepted input must be.
 */
static bool
fuzz_only_admitted(const uint8_t *data, size_t size)
{
	bool		significant = false;

	for (size_t i = 0; i < size;)
	{
		uint32_t	cp;

		if (data[i] < 0x80)
			cp = data[i++];
		else if ((data[i] & 0xF0) == 0xE0 && i + 2 < size &&
				 (data[i + 1] & 0xC0) == 0x80 && (data[i + 2] & 0xC0) == 0x80)
		{
			cp = ((uint32_t) (data[i] & 0x0F) << 12) | ((uint32_t) (data[i + 1] & 0x3F) << 6) |
				(data[i + 2] & 0x3F);
			if (cp < 0x800)
				return false;
			i += 3;
		}
		else
			return false;
		if (!fuzz_admitted_char(cp))
			return false;
		if (cp != ' ' && cp != '-' && cp != 0xFF0D && cp != 0x3000)
			significant = true;
	}
	return significant;
}

#endif							/* WC_FUZZ_ADMITTED_H */
