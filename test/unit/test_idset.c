/*
 * test_idset.c — unit tests of the counterparty digits and id sets of the trigger keeping
 * outflow_unmatched (src/core/idset.c).
 */
#include <stdint.h>

#include "unit.h"

#include "core/changeset.h"
#include "core/idset.h"

int
main(void)
{
	char		out[64];
	size_t		n;

	/* digits only, in order: blanks, hyphens, letters and multibyte characters go */
	n = wc_card_digits("6222 0200-0000 0000 018", 23, out);
	CHECK_INT(n, 19);
	CHECK(memcmp(out, "6222020000000000018", 19) == 0);
	n = wc_card_digits("\xef\xbc\x96\xef\xbc\x92" "12x3", 10, out);	/* full-width 6 and 2 are not [0-9] */
	CHECK_INT(n, 3);
	CHECK(memcmp(out, "123", 3) == 0);
	CHECK_INT(wc_card_digits("", 0, out), 0);
	CHECK_INT(wc_card_digits("abc", 3, out), 0);
	CHECK_INT(wc_card_digits("12\0" "34", 5, out), 4);	/* counted by length, not by NUL */

	/* unique: sorted, repeats dropped; already sorted input left as it is */
	{
		int64_t		ids[] = {5, 3, 5, -1, 3, INT64_MAX, INT64_MIN, 0};

		n = wc_ids_unique(ids, 8);
		CHECK_INT(n, 6);
		CHECK(ids[0] == INT64_MIN && ids[1] == -1 && ids[2] == 0 && ids[3] == 3 && ids[4] == 5 &&
			  ids[5] == INT64_MAX);
	}
	{
		int64_t		ids[] = {1, 1, 2, 7, 7, 7};

		CHECK_INT(wc_ids_unique(ids, 6), 3);
		CHECK(ids[0] == 1 && ids[1] == 2 && ids[2] == 7);
		CHECK_INT(wc_ids_unique(ids, 0), 0);
		CHECK_INT(wc_ids_unique(ids, 1), 1);
	}

	/* minus: what b holds leaves a, the rest stays in order */
	{
		int64_t		a[] = {1, 2, 3, 5, 8, 13};
		int64_t		b[] = {0, 2, 5, 6, 13, 20};

		n = wc_ids_minus(a, 6, b, 6);
		CHECK_INT(n, 3);
		CHECK(a[0] == 1 && a[1] == 3 && a[2] == 8);
	}
	{
		int64_t		a[] = {4, 9};
		int64_t		b[] = {4, 9};

		CHECK_INT(wc_ids_minus(a, 2, b, 0), 2);
		CHECK_INT(wc_ids_minus(a, 2, b, 2), 0);
		CHECK_INT(wc_ids_minus(a, 0, b, 2), 0);
	}
	UNIT_DONE();
}
