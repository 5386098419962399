/*
 * fuzz_resident_id.c — libFuzzer harness of the resident ID parser: no crash, and
 * every accepted input is made of admitted characters only (fuzz_admitted.h),
 * re-parses from its canonical form to the same value (parse(format(parse(x))) ==
 * parse(x)), whose canonical form passes the binary-input path, and the accessors
 * stay in range. abort() on violation.
 */
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "fuzz_admitted.h"

#define TODAY 20261128

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One fuzz input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		detail[WC_IDENT_DETAIL_SIZE];
	char		s[WC_RESIDENT_ID_LEN + 1];
	wc_compact	c;
	int64_t		v,
				v2;
	int32_t		region;

	if (wc_resident_id_parse((const char *) data, size, TODAY, &v, detail) != WC_IDENT_OK)
	{
		if (memchr(detail, '\0', sizeof(detail)) == NULL)
			abort();
		return 0;
	}
	if (!fuzz_only_admitted(data, size))
		abort();
	wc_resident_id_format(v, s);
	if (strlen(s) != WC_RESIDENT_ID_LEN)
		abort();
	if (wc_resident_id_parse(s, strlen(s), TODAY, &v2, NULL) != WC_IDENT_OK || v2 != v)
		abort();
	if (!wc_ident_is_canonical(s, strlen(s), &c) ||
		wc_resident_id_from_compact(&c, TODAY, &v2, NULL) != WC_IDENT_OK || v2 != v)
		abort();
	if (!wc_ymd_is_date(wc_resident_id_birth_ymd(v)) ||
		wc_resident_id_birth_ymd(v) < WC_RESIDENT_ID_MIN_BIRTH || wc_resident_id_birth_ymd(v) > TODAY)
		abort();
	region = wc_resident_id_region(v);
	if (!wc_province_code_valid(region / 10000))
		abort();
	if (wc_resident_id_age(v, 2026, 11, 28) < 0)
		abort();
	wc_resident_id_mask(v, s);
	if (strlen(s) != WC_RESIDENT_ID_LEN || strncmp(s + 6, "********", 8) != 0)
		abort();
	return 0;
}
