/*
 * attmonth.h — the accumulation behind wagecheck.attendance_month, as pure functions: the
 * first day of a date's month, and the rows a statement wrote (old rows taken away, new rows
 * added) grouped by project, worker and month, sorted by that key: per month the change of
 * its day count and the bounds of the new rows. No PostgreSQL header: dates are PostgreSQL's
 * DateADT (days since 2000-01-01, INT32_MIN/INT32_MAX for -infinity/infinity) and moments
 * its TimestampTz (microseconds since 2000-01-01 UTC).
 */
#ifndef WC_CORE_ATTMONTH_H
#define WC_CORE_ATTMONTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WC_DATE_NOBEGIN INT32_MIN
#define WC_DATE_NOEND	INT32_MAX

/* One attendance row of a statement: new (added) or old (taken away). */
typedef struct wc_att_row
{
	int64_t		project_id;
	int64_t		worker_id;
	int32_t		day;			/* DateADT */
	bool		added;			/* a new row; an old one otherwise */
	int64_t		created_at;		/* TimestampTz */
} wc_att_row;

/* One month of a worker on a project, as the statement changes it. */
typedef struct wc_att_month
{
	int64_t		project_id;
	int64_t		worker_id;
	int32_t		period;			/* first day of the month (DateADT) */
	int64_t		delta;			/* new rows minus old rows */
	int64_t		added;			/* new rows; the bounds below are theirs (when added > 0) */
	int64_t		removed;		/* old rows */
	int32_t		first_day;
	int32_t		last_day;
	int64_t		first_known;
	int64_t		known_to;
} wc_att_month;

extern int32_t wc_month_start(int32_t day);
extern size_t wc_att_group(wc_att_row *rows, size_t n, wc_att_month *out);
extern int	wc_att_month_cmp(const wc_att_month *a, const wc_att_month *b);

#endif							/* WC_CORE_ATTMONTH_H */
