/*
 * fuzz_attmonth.c — libFuzzer harness of attendance_month's accumulation: the input is a
 * statement's rows (17 bytes each). Properties: no crash; the months come out in strictly
 * increasing key order; each month's first day is its own month's start and no later than
 * any of its days; the deltas sum to new minus old rows; the bounds hold every new row.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/attmonth.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		n = size / 17,
				k,
				j = 0;
	wc_att_row *rows,
			   *copy;
	wc_att_month *out;
	int64_t		total = 0;

	if (n == 0)
		return 0;
	rows = malloc(sizeof(wc_att_row) * n);
	copy = malloc(sizeof(wc_att_row) * n);
	out = malloc(sizeof(wc_att_month) * n);
	if (!rows || !copy || !out)
		abort();
	for (size_t i = 0; i < n; i++)
	{
		const uint8_t *b = data + i * 17;
		int32_t		day;
		int64_t		at;

		memcpy(&day, b + 4, 4);
		memcpy(&at, b + 8, 8);
		rows[i].project_id = b[0] % 4;
		rows[i].worker_id = b[1] % 4;
		/* mostly days near today, sometimes any date PostgreSQL has (4713 BC to 5874897 AD) */
		rows[i].day = (b[2] & 1) ? (int32_t) (-2451545 + (int64_t) ((uint32_t) day % 2147483494u))
			: 8800 + (day & 0x3ff);
		rows[i].added = (b[3] & 1) != 0;
		rows[i].created_at = at;
		total += rows[i].added ? 1 : -1;
		copy[i] = rows[i];
		(void) b[16];
	}
	k = wc_att_group(rows, n, out);
	if (k == 0 || k > n)
		abort();
	for (size_t i = 0; i < k; i++)
	{
		total -= out[i].delta;
		if (out[i].delta != out[i].added - out[i].removed)
			abort();
		if (i > 0 && wc_att_month_cmp(&out[i - 1], &out[i]) >= 0)
			abort();
		if (wc_month_start(out[i].period) != out[i].period)
			abort();
		if (out[i].added > 0 && (out[i].first_day > out[i].last_day || out[i].first_known > out[i].known_to ||
								 wc_month_start(out[i].first_day) != out[i].period ||
								 wc_month_start(out[i].last_day) != out[i].period))
			abort();
	}
	if (total != 0)
		abort();
	/* every row falls in its month, within its bounds */
	for (size_t i = 0; i < n; i++)
	{
		wc_att_month key = {copy[i].project_id, copy[i].worker_id, wc_month_start(copy[i].day)};

		for (j = 0; j < k && wc_att_month_cmp(&out[j], &key) != 0; j++)
			;
		if (j == k)
			abort();
		if (wc_month_start(copy[i].day) > copy[i].day || wc_month_start(copy[i].day) < copy[i].day - 30)
			abort();
		if (copy[i].added && (copy[i].day < out[j].first_day || copy[i].day > out[j].last_day ||
							  copy[i].created_at < out[j].first_known || copy[i].created_at > out[j].known_to))
			abort();
	}
	free(rows);
	free(copy);
	free(out);
	return 0;
}
