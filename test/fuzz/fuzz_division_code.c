/*
 * fuzz_division_code.c — libFuzzer harness of the division code parser: no crash,
 * and every accepted input is made of admitted characters only (fuzz_admitted.h),
 * re-parses from its canonical form to the same value (parse(format(parse(x))) ==
 * parse(x)), the canonical form passes the binary-input path and the roll-up
 * contains the code. abort() on violation.
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
	char		s[WC_DIVISION_CODE_LEN + 1];
	wc_compact	c;
	int32_t		v,
				v2;

	if (wc_division_code_parse((const char *) data, size, &v, detail) != WC_IDENT_OK)
	{
		if (memchr(detail, '\0', sizeof(detail)) == NULL)
			abort();
		return 0;
	}
	if (!fuzz_only_admitted(data, size))
		abort();
	wc_division_code_format(v, s);
	if (wc_division_code_parse(s, strlen(s), &v2, NULL) != WC_IDENT_OK || v2 != v)
		abort();
	if (!wc_ident_is_canonical(s, strlen(s), &c) ||
		wc_division_code_from_compact(&c, &v2, NULL) != WC_IDENT_OK || v2 != v)
		abort();
	if (!wc_division_code_contains(wc_division_code_province(v), v) ||
		(wc_division_code_city(v) >= 0 && !wc_division_code_contains(wc_division_code_city(v), v)))
		abort();
	return 0;
}
