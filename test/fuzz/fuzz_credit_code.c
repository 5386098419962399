/*
 * fuzz_credit_code.c — libFuzzer harness of the credit code parser: no crash, and
 * every accepted input is made of admitted characters only (fuzz_admitted.h),
 * re-parses from its canonical form to the same value (parse(format(parse(x))) ==
 * parse(x)), is not all zeros, and the canonical form passes the binary-input
 * path. abort() on violation.
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
	char		s[WC_CREDIT_CODE_LEN + 1];
	wc_compact	c;
	wc_credit_code v,
				v2;
	int32_t		region;

	if (wc_credit_code_parse((const char *) data, size, &v, detail) != WC_IDENT_OK)
	{
		if (memchr(detail, '\0', sizeof(detail)) == NULL)
			abort();
		return 0;
	}
	if (!fuzz_only_admitted(data, size))
		abort();
	wc_credit_code_format(&v, s);
	if (strlen(s) != WC_CREDIT_CODE_LEN || strspn(s, "0") == WC_CREDIT_CODE_LEN)
		abort();
	if (wc_credit_code_parse(s, strlen(s), &v2, NULL) != WC_IDENT_OK ||
		memcmp(v.b, v2.b, WC_CREDIT_CODE_BYTES) != 0)
		abort();
	if (!wc_ident_is_canonical(s, strlen(s), &c) ||
		wc_credit_code_from_compact(&c, &v2, NULL) != WC_IDENT_OK ||
		memcmp(v.b, v2.b, WC_CREDIT_CODE_BYTES) != 0)
		abort();
	region = wc_credit_code_region(&v);
	if (region != -1 && !wc_province_code_valid(region / 10000))
		abort();
	return 0;
}
