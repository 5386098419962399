/*
 * fuzz_msgfmt.c — libFuzzer harness of the PL/pgSQL messages' formats: any format
 * either is refused or expands to exactly the length the sizing call gave, terminated,
 * whatever the buffer's size; the input's first byte picks the number of arguments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgfmt.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *args[] = {"一", NULL, "%s", "", "%1$s"};
	int			nargs;
	char	   *f,
			   *out;
	size_t		len,
				len2,
				cap;
	WcMsgfmtStatus st;

	if (size == 0)
		return 0;
	nargs = data[0] % 6;
	f = malloc(size);
	memcpy(f, data + 1, size - 1);
	f[size - 1] = '\0';
	st = wc_msgfmt(f, nargs, args, NULL, 0, &len);
	if (st == WC_MSGFMT_OK)
	{
		out = malloc(len + 1);
		if (wc_msgfmt(f, nargs, args, out, len + 1, &len2) != WC_MSGFMT_OK || len2 != len
			|| strlen(out) != len)
			abort();
		free(out);
		cap = len / 2 + 1;
		out = malloc(cap);
		if (wc_msgfmt(f, nargs, args, out, cap, &len2) != WC_MSGFMT_OK || strlen(out) != cap - 1)
			abort();
		free(out);
	}
	free(f);
	return 0;
}
