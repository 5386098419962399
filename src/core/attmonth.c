/*
 * attmonth.c — the accumulation behind wagecheck.attendance_month (see attmonth.h).
 */
#include "core/attmonth.h"

#include <stdlib.h>

/* days from 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm) */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		era;
	unsigned	yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned) (y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t) doe - 719468;
}

/* the civil year and month of a day counted from 1970-01-01 */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m)
{
	int64_t		era;
	unsigned	doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned) (z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t) yoe + era * 400 + (*m <= 2);
}

/* the PostgreSQL epoch (2000-01-01) in days from 1970-01-01 */
#define PG_EPOCH_DAYS 10957

/* wc_month_start: the first day of the day's month; the infinities stay what they are. */
int32_t
wc_month_start(int32_t day)
{
	int64_t		y;
	unsigned	m;

	if (day == WC_DATE_NOBEGIN || day == WC_DATE_NOEND)
		return day;
	civil_from_days((int64_t) day + PG_EPOCH_DAYS, &y, &m);
	return (int32_t) (days_from_civil(y, m, 1) - PG_EPOCH_DAYS);
}

static int
cmp64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* wc_att_month_cmp: the order of the summary's primary key (project, worker, month). */
int
wc_att_month_cmp(const wc_att_month *a, const wc_att_month *b)
{
	int			c = cmp64(a->project_id, b->project_id);

	if (c == 0)
		c = cmp64(a->worker_id, b->worker_id);
	if (c == 0)
		c = cmp64(a->period, b->period);
	return c;
}

static int
row_cmp(const void *x, const void *y)
{
	const wc_att_row *a = x,
			   *b = y;
	int			c = cmp64(a->project_id, b->project_id);

	if (c == 0)
		c = cmp64(a->worker_id, b->worker_id);
	if (c == 0)
		c = cmp64(wc_month_start(a->day), wc_month_start(b->day));
	return c;
}

/*
 * wc_att_group: sorts rows[0..n) by project, worker and month, and writes one entry per
 * month to out (room for n entries), in that order; returns the number written.
 */
size_t
wc_att_group(wc_att_row *rows, size_t n, wc_att_month *out)
{
	size_t		k = 0;

	if (n == 0)
		return 0;
	qsort(rows, n, sizeof(wc_att_row), row_cmp);
	for (size_t i = 0; i < n; i++)
	{
		const wc_att_row *r = &rows[i];
		int32_t		period = wc_month_start(r->day);
		wc_att_month *g = k > 0 ? &out[k - 1] : NULL;

		if (g == NULL || g->project_id != r->project_id || g->worker_id != r->worker_id || g->period != period)
		{
			g = &out[k++];
			g->project_id = r->project_id;
			g->worker_id = r->worker_id;
			g->period = period;
			g->delta = g->added = g->removed = 0;
			g->first_day = g->last_day = 0;
			g->first_known = g->known_to = 0;
		}
		if (!r->added)
		{
			g->removed++;
			g->delta--;
			continue;
		}
		if (g->added == 0)
		{
			g->first_day = g->last_day = r->day;
			g->first_known = g->known_to = r->created_at;
		}
		else
		{
			if (r->day < g->first_day)
				g->first_day = r->day;
			if (r->day > g->last_day)
				g->last_day = r->day;
			if (r->created_at < g->first_known)
				g->first_known = r->created_at;
			if (r->created_at > g->known_to)
				g->known_to = r->created_at;
		}
		g->added++;
		g->delta++;
	}
	return k;
}
