/*
 * fuzz_caseno.c — libFuzzer harness: any input either fails to parse or parses to
 * parts whose canonical form formats, and re-parses to the same parts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/caseno.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	WcCaseno	a,
				b;
	char		buf[WC_CASENO_BUFSIZE];

	if (wc_caseno_parse((const char *) data, size, &a) != WC_CASENO_OK)
		return 0;
	if (wc_caseno_format(&a, buf) != WC_CASENO_OK)
		abort();
	if (wc_caseno_parse(buf, strlen(buf), &b) != WC_CASENO_OK)
		abort();
	if (strcmp(a.unit, b.unit) != 0 || a.year != b.year || a.seq != b.seq)
		abort();
	return 0;
}
