/*
 * fuzz_closeout.c — libFuzzer harness of the close-out guard's decisions: any
 * bytes as status and kind, any amounts; a close-out as repaid stands only with
 * both amounts known and the repayments reaching the amount owed, and what is
 * outstanding is exactly the difference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/closeout.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads 8 bytes (zero-padded) from the input. */
static int64_t
take64(const uint8_t *data, size_t size, size_t at)
{
	uint64_t	v = 0;

	for (size_t i = 0; i < 8; i++)
		v = (v << 8) | (at + i < size ? data[at + i] : 0);
	return (int64_t) v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		split;
	const char *text;
	WcCaseStatus st;
	WcCloseKind kind;
	WcCents		owed,
				repaid;
	int64_t		out = -1;
	WcCloseoutVerdict v;

	if (size < 18)
		return 0;
	owed.known = data[0] & 1;
	repaid.known = data[0] & 2;
	owed.cents = take64(data, size, 1);
	repaid.cents = take64(data, size, 9);
	text = (const char *) data + 17;
	split = (size - 17) / 2;
	st = wc_case_status(text, split);
	kind = wc_close_kind(text + split, size - 17 - split);
	if ((st == WC_CASE_OPEN && (split != 4 || memcmp(text, "open", 4) != 0)) ||
		(st == WC_CASE_CLOSED && (split != 6 || memcmp(text, "closed", 6) != 0)))
		abort();
	(void) wc_case_step(data[0] & 4, st, wc_case_status(text + split, size - 17 - split));
	(void) wc_text_blank(text, size - 17);

	v = wc_closeout_decide(kind, data[0] & 8, owed, repaid, &out);
	if (kind == WC_CLOSE_REPAID)
	{
		bool		covered = owed.known && repaid.known && owed.cents >= 0 && repaid.cents >= 0 &&
			repaid.cents >= owed.cents;

		if ((v == WC_CLOSEOUT_OK) != covered)
			abort();
		if (v == WC_CLOSEOUT_NOT_REPAID && (out <= 0 || out != owed.cents - repaid.cents))
			abort();
	}
	else if (v == WC_CLOSEOUT_OK && (kind == WC_CLOSE_NULL || kind == WC_CLOSE_BAD || !(data[0] & 8)))
		abort();
	if (v != WC_CLOSEOUT_NOT_REPAID && out != 0)
		abort();
	return 0;
}
