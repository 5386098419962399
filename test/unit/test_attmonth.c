/*
 * test_attmonth.c — unit tests of attendance_month's accumulation: months of dates
 * (against a day-by-day calendar) and the grouping of a statement's rows (against a
 * naive recount).
 */
#include "unit.h"

#include <stdlib.h>

#include "core/attmonth.h"

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* the naive recount of one month from rows */
static wc_att_month
recount(const wc_att_row *rows, size_t n, int64_t p, int64_t w, int32_t period)
{
	wc_att_month m = {p, w, period, 0, 0, 0, 0, 0, 0, 0};

	for (size_t i = 0; i < n; i++)
	{
		const wc_att_row *r = &rows[i];

		if (r->project_id != p || r->worker_id != w || wc_month_start(r->day) != period)
			continue;
		if (!r->added)
		{
			m.removed++;
			m.delta--;
			continue;
		}
		if (m.added == 0 || r->day < m.first_day)
			m.first_day = r->day;
		if (m.added == 0 || r->day > m.last_day)
			m.last_day = r->day;
		if (m.added == 0 || r->created_at < m.first_known)
			m.first_known = r->created_at;
		if (m.added == 0 || r->created_at > m.known_to)
			m.known_to = r->created_at;
		m.added++;
		m.delta++;
	}
	return m;
}

int
main(void)
{
	/* months of known dates (DateADT: days from 2000-01-01) */
	CHECK_INT(wc_month_start(0), 0);
	CHECK_INT(wc_month_start(30), 0);		/* 2000-01-31 */
	CHECK_INT(wc_month_start(31), 31);		/* 2000-02-01 */
	CHECK_INT(wc_month_start(59), 31);		/* 2000-02-29 (a leap day of a 400th year) */
	CHECK_INT(wc_month_start(60), 60);		/* 2000-03-01 */
	CHECK_INT(wc_month_start(-1), -31);		/* 1999-12-31 */
	CHECK_INT(wc_month_start(8840), 8826);	/* 2024-03-15 -> 2024-03-01 */
	CHECK_INT(wc_month_start(WC_DATE_NOBEGIN), WC_DATE_NOBEGIN);
	CHECK_INT(wc_month_start(WC_DATE_NOEND), WC_DATE_NOEND);
	/* the ends of PostgreSQL's dates: 4713-11-24 BC (a month of the proleptic calendar) and 5874897-12-31 */
	CHECK_INT(wc_month_start(-2451545), -2451545 - 23);
	CHECK_INT(wc_month_start(2145031948), 2145031948 - 30);

	/* every day from 1600-01-01 to 2400-12-31 against a day-by-day calendar */
	{
		static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int32_t		day = -146097;	/* 1600-01-01: 400 years before 2000-01-01 */
		int32_t		start = day;
		int			bad = 0;

		for (int y = 1600; y <= 2400; y++)
			for (int m = 0; m < 12; m++)
			{
				int			len = mdays[m] + (m == 1 && leap(y));

				start = day;
				for (int d = 0; d < len; d++, day++)
					if (wc_month_start(day) != start)
						bad++;
			}
		CHECK_INT(bad, 0);
		CHECK_INT(start, 146097 + 335);	/* 2400-12-01: 2400-01-01 is 146097, a leap year */
	}

	/* grouping: a new day, a second row of the same month, a late row, a row taken away */
	{
		wc_att_row	rows[] = {
			{7, 2, 8840, true, 500},	/* 2024-03-15 */
			{7, 1, 8841, true, 300},
			{7, 1, 8828, true, 900},	/* 2024-03-03, known later: a late row */
			{7, 1, 8860, true, 100},	/* 2024-04-04 */
			{6, 1, 8840, false, 0},
			{7, 1, 8829, false, 0},
		};
		wc_att_month out[6];
		size_t		k = wc_att_group(rows, 6, out);

		CHECK_INT(k, 4);
		CHECK_INT(out[0].project_id, 6);
		CHECK_INT(out[0].delta, -1);
		CHECK_INT(out[0].added, 0);
		CHECK_INT(out[0].removed, 1);
		CHECK_INT(out[1].worker_id, 1);
		CHECK_INT(out[1].period, 8826);
		CHECK_INT(out[1].delta, 1);
		CHECK_INT(out[1].added, 2);
		CHECK_INT(out[1].removed, 1);
		CHECK_INT(out[1].first_day, 8828);
		CHECK_INT(out[1].last_day, 8841);
		CHECK_INT(out[1].first_known, 300);
		CHECK_INT(out[1].known_to, 900);
		CHECK_INT(out[2].period, 8857);		/* 2024-04-01 */
		CHECK_INT(out[2].added, 1);
		CHECK_INT(out[3].worker_id, 2);
		CHECK_INT(out[3].delta, 1);
		CHECK_INT(wc_att_group(rows, 0, out), 0);
	}

	/* random statements against the naive recount */
	{
		int			bad = 0;

		srand(11);
		for (int round = 0; round < 300; round++)
		{
			size_t		n = 1 + rand() % 60,
						k;
			wc_att_row *rows = malloc(sizeof(wc_att_row) * n);
			wc_att_row *copy = malloc(sizeof(wc_att_row) * n);
			wc_att_month *out = malloc(sizeof(wc_att_month) * n);
			int64_t		total = 0;

			for (size_t i = 0; i < n; i++)
			{
				rows[i].project_id = rand() % 3;
				rows[i].worker_id = rand() % 3;
				rows[i].day = 8800 + rand() % 90;
				rows[i].added = rand() % 3 != 0;
				rows[i].created_at = rand() % 1000;
				copy[i] = rows[i];
				total += rows[i].added ? 1 : -1;
			}
			k = wc_att_group(rows, n, out);
			for (size_t i = 0; i < k; i++)
			{
				wc_att_month r = recount(copy, n, out[i].project_id, out[i].worker_id, out[i].period);

				total -= out[i].delta;
				if (i > 0 && wc_att_month_cmp(&out[i - 1], &out[i]) >= 0)
					bad++;
				if (r.delta != out[i].delta || r.added != out[i].added || r.removed != out[i].removed ||
					(r.added > 0 && (r.first_day != out[i].first_day || r.last_day != out[i].last_day ||
									 r.first_known != out[i].first_known || r.known_to != out[i].known_to)))
					bad++;
			}
			if (total != 0)
				bad++;
			free(rows);
			free(copy);
			free(out);
		}
		CHECK_INT(bad, 0);
	}
	UNIT_DONE();
}
