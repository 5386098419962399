/*
 * fuzz_bank_card.c — libFuzzer harness of the bank card parser: no crash, and every
 * accepted input is made of admitted characters only (fuzz_admitted.h), re-parses
 * from its canonical form to the same value (parse(format(parse(x))) == parse(x)),
 * is not all zeros, the canonical form passes the binary-input path and the mask
 * keeps the first and last four digits. abort() on violation.
 */
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "fuzz_admitted.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One fuzz input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		detail[WC_IDENT_DETAIL_SIZE];
	char		s[WC_BANK_CARD_MAX + 1];
	char		m[WC_BANK_CARD_MASK_LEN + 1];
	wc_compact	c;
	int64_t		v,
				v2;
	int			len;

	if (wc_bank_card_parse((const char *) data, size, &v, detail) != WC_IDENT_OK)
	{
		if (memchr(detail, '\0', sizeof(detail)) == NULL)
			abort();
		return 0;
	}
	if (!fuzz_only_admitted(data, size))
		abort();
	len = wc_bank_card_format(v, s);
	if (len < WC_BANK_CARD_MIN || len > WC_BANK_CARD_MAX || (int) strlen(s) != len ||
		strspn(s, "0") == (size_t) len)
		abort();
	if (wc_bank_card_parse(s, (size_t) len, &v2, NULL) != WC_IDENT_OK || v2 != v)
		abort();
	if (!wc_ident_is_canonical(s, (size_t) len, &c) ||
		wc_bank_card_from_compact(&c, &v2, NULL) != WC_IDENT_OK || v2 != v)
		abort();
	wc_bank_card_mask(v, m);
	if (strncmp(m, s, 4) != 0 || strcmp(m + 15, s + len - 4) != 0)
		abort();
	return 0;
}
