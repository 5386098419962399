/*
 * test_indicators.c — unit tests of the indicator state machines in src/core:
 * money parsing, owed runs, labour-cost FIFO, coverage, exact merging of partial
 * states in any split and order, and the serialised form.
 */
#include "core/indicators.h"
#include "unit.h"

#include <stdlib.h>

/* libc allocator for the states under test. */
static void *
grow(void *old, size_t size, void *arg)
{
	(void) arg;
	return realloc(old, size);
}

/* A fresh state of one kind. */
static wc_ind_state
fresh(wc_ind_kind kind)
{
	wc_ind_state st;

	wc_ind_init(&st, kind, grow, NULL);
	return st;
}

/* Month index of year-month (January = 1). */
static int64_t
ym(int y, int m)
{
	return (int64_t) y * 12 + m - 1;
}

/* Parses s, returning cents or a sentinel on error. */
static int64_t
cents(const char *s)
{
	int64_t		c = -999999;

	if (wc_money_parse(s, &c) != WC_IND_OK)
		return -999999;
	return c;
}

static void
test_money(void)
{
	int64_t		c;
	char		buf[32];

	CHECK_INT(cents("0"), 0);
	CHECK_INT(cents("12.5"), 1250);
	CHECK_INT(cents("12.50"), 1250);
	CHECK_INT(cents("12.500000"), 1250);
	CHECK_INT(cents("-0.01"), -1);
	CHECK_INT(cents("+7"), 700);
	CHECK_INT(cents(".5"), 50);
	CHECK_INT(cents("5."), 500);
	CHECK_INT(cents("92233720368547758.07"), INT64_MAX);
	CHECK_INT(cents("-92233720368547758.08"), INT64_MIN);
	CHECK_INT(wc_money_parse("92233720368547758.08", &c), WC_IND_RANGE);
	CHECK_INT(wc_money_parse("-92233720368547758.09", &c), WC_IND_RANGE);
	CHECK_INT(wc_money_parse("100000000000000000000", &c), WC_IND_RANGE);
	CHECK_INT(wc_money_parse("1.001", &c), WC_IND_FRACTION);
	CHECK_INT(wc_money_parse("1.0000001", &c), WC_IND_FRACTION);
	CHECK_INT(wc_money_parse("NaN", &c), WC_IND_SYNTAX);
	CHECK_INT(wc_money_parse("Infinity", &c), WC_IND_SYNTAX);
	CHECK_INT(wc_money_parse("", &c), WC_IND_SYNTAX);
	CHECK_INT(wc_money_parse(".", &c), WC_IND_SYNTAX);
	CHECK_INT(wc_money_parse("-", &c), WC_IND_SYNTAX);
	CHECK_INT(wc_money_parse("1e5", &c), WC_IND_SYNTAX);
	CHECK_INT(wc_money_parse("1 ", &c), WC_IND_SYNTAX);
	wc_money_format(1250, buf, sizeof buf);
	CHECK_STR(buf, "12.50");
	wc_money_format(-1, buf, sizeof buf);
	CHECK_STR(buf, "-0.01");
	wc_money_format(INT64_MIN, buf, sizeof buf);
	CHECK_STR(buf, "-92233720368547758.08");
	CHECK_INT(cents(buf), INT64_MIN);
}

static void
test_nbase(void)
{
	int64_t		c = 0;
	const int16_t d1[] = {12, 3456, 7800};	/* 123456.78 */
	const int16_t d2[] = {5000};	/* 0.5 */
	const int16_t d3[] = {1, 50};	/* 0.000100 50: weight -1 -> 0.0001 */
	const int16_t d4[] = {9, 2233, 7203, 6854, 7758, 700};	/* 92233720368547758.07 */
	const int16_t d5[] = {9, 2233, 7203, 6854, 7758, 800};
	const int16_t d6[] = {7};		/* 7 x 10000^3 */
	const int16_t d7[] = {1, 0, 0, 0, 0, 1};	/* 1e20 + ... */
	const int16_t bad[] = {10000};

	CHECK_INT(wc_money_from_nbase(false, 1, d1, 3, &c), WC_IND_OK);
	CHECK_INT(c, 12345678);
	CHECK_INT(wc_money_from_nbase(true, 1, d1, 3, &c), WC_IND_OK);
	CHECK_INT(c, -12345678);
	CHECK_INT(wc_money_from_nbase(false, -1, d2, 1, &c), WC_IND_OK);
	CHECK_INT(c, 50);
	CHECK_INT(wc_money_from_nbase(false, -1, d3, 2, &c), WC_IND_FRACTION);
	CHECK_INT(wc_money_from_nbase(false, -2, d2, 1, &c), WC_IND_FRACTION);
	CHECK_INT(wc_money_from_nbase(false, 4, d4, 6, &c), WC_IND_OK);
	CHECK_INT(c, INT64_MAX);
	CHECK_INT(wc_money_from_nbase(false, 4, d5, 6, &c), WC_IND_RANGE);
	CHECK_INT(wc_money_from_nbase(true, 4, d5, 6, &c), WC_IND_OK);
	CHECK_INT(c, INT64_MIN);
	CHECK_INT(wc_money_from_nbase(false, 3, d6, 1, &c), WC_IND_OK);
	CHECK_INT(c, 700000000000000LL);	/* 7e12 yuan */
	CHECK_INT(wc_money_from_nbase(false, 5, d7, 6, &c), WC_IND_RANGE);
	CHECK_INT(wc_money_from_nbase(false, 30000, d6, 1, &c), WC_IND_RANGE);
	CHECK_INT(wc_money_from_nbase(false, 0, bad, 1, &c), WC_IND_SYNTAX);
	CHECK_INT(wc_money_from_nbase(false, 0, d1, 0, &c), WC_IND_OK);	/* zero has no digits */
	CHECK_INT(c, 0);
}

static void
test_owed(void)
{
	wc_ind_state st = fresh(WC_KIND_OWED);
	wc_owed_result r;

	/* Jan paid, Feb-Apr owed (Mar partly), May paid, Jun owed, Aug owed (Jul missing) */
	CHECK_INT(wc_owed_add(&st, ym(2024, 1), 500000, 500000), WC_IND_OK);
	CHECK_INT(wc_owed_add(&st, ym(2024, 3), 500000, 200000), WC_IND_OK);
	CHECK_INT(wc_owed_add(&st, ym(2024, 2), 500000, 0), WC_IND_OK);
	CHECK_INT(wc_owed_add(&st, ym(2024, 4), 300000, 0), WC_IND_OK);
	CHECK_INT(wc_owed_add(&st, ym(2024, 5), 500000, 600000), WC_IND_OK);	/* overpaid */
	CHECK_INT(wc_owed_add(&st, ym(2024, 6), 100, 0), WC_IND_OK);
	CHECK_INT(wc_owed_add(&st, ym(2024, 8), 100, 0), WC_IND_OK);
	CHECK_INT(wc_owed_add(&st, ym(2024, 4), 0, 100000), WC_IND_OK);	/* a second row for April */
	CHECK_INT(wc_owed_final(&st, &r), WC_IND_OK);
	CHECK_INT(r.payable, 2300200);
	CHECK_INT(r.paid, 1400000);
	CHECK_INT(r.owed, 500000 + 300000 + 200000 + 100 + 100);	/* May's overpayment pays no other month */
	CHECK_INT(r.months, 7);
	CHECK_INT(r.months_owed, 5);
	CHECK_INT(r.longest_run, 3);
	CHECK_INT(r.longest_run_start, ym(2024, 2));
	CHECK_INT(r.oldest_unpaid, ym(2024, 2));
	CHECK_INT(r.current_run, 1);
	CHECK_INT(r.last_month, ym(2024, 8));

	/* year boundary: Dec and Jan are consecutive */
	free(st.entries);
	st = fresh(WC_KIND_OWED);
	wc_owed_add(&st, ym(2024, 12), 10, 0);
	wc_owed_add(&st, ym(2025, 1), 10, 0);
	wc_owed_final(&st, &r);
	CHECK_INT(r.longest_run, 2);
	CHECK_INT(r.current_run, 2);

	/* refusals */
	CHECK_INT(wc_owed_add(&st, ym(2024, 1), -1, 0), WC_IND_NEGATIVE);
	CHECK_INT(wc_owed_add(&st, ym(2024, 1), 0, -1), WC_IND_NEGATIVE);
	CHECK_INT(wc_owed_add(&st, WC_MONTH_MAX + 1, 0, 0), WC_IND_RANGE);
	CHECK_INT(wc_owed_add(&st, ym(2024, 1), INT64_MAX, 0), WC_IND_OK);
	CHECK_INT(wc_owed_add(&st, ym(2024, 1), 1, 0), WC_IND_RANGE);	/* sum overflows */
	free(st.entries);

	/* empty state */
	st = fresh(WC_KIND_OWED);
	CHECK_INT(wc_owed_final(&st, &r), WC_IND_OK);
	CHECK_INT(r.months, 0);
	CHECK_INT(r.months_owed, 0);
	free(st.entries);
}

static void
test_labour(void)
{
	wc_ind_state st = fresh(WC_KIND_LABOUR);
	wc_labour_result r;

	/* dues of 1000 on days 10, 40, 70; as of day 100 */
	wc_labour_add(&st, 10, 100000, 0, 100);
	wc_labour_add(&st, 40, 100000, 0, 100);
	wc_labour_add(&st, 70, 100000, 0, 100);
	wc_labour_add(&st, 130, 100000, 0, 100);	/* not yet due */
	wc_labour_add(&st, 5, 0, 50000, 100);	/* early half */
	wc_labour_add(&st, 25, 0, 100000, 100);	/* settles day 10 late by 15, half of day 40 */
	wc_labour_add(&st, 40, 0, 50000, 100);	/* settles day 40 on its due date */
	wc_labour_add(&st, 90, 0, 30000, 100);	/* part of day 70 */
	wc_labour_add(&st, 120, 0, 999999, 100);	/* after as_of: unknown then */
	CHECK_INT(wc_labour_final(&st, &r), WC_IND_OK);
	CHECK_INT(r.due, 300000);
	CHECK_INT(r.paid, 230000);
	CHECK_INT(r.shortfall, 70000);
	CHECK_INT(r.not_yet_due, 100000);
	CHECK_INT(r.has_uncovered, 1);
	CHECK_INT(r.oldest_uncovered, 70);
	CHECK_INT(r.days_overdue, 30);
	CHECK_INT(r.max_days_late, 30);
	CHECK_INT(r.late_count, 2);		/* day 10 (15 late) and day 70 (open, 30) */
	free(st.entries);

	/* fully prepaid: nothing late; due today unpaid: shortfall but 0 days overdue */
	st = fresh(WC_KIND_LABOUR);
	wc_labour_add(&st, 1, 0, 500, 50);
	wc_labour_add(&st, 20, 500, 0, 50);
	wc_labour_add(&st, 50, 300, 0, 50);
	wc_labour_final(&st, &r);
	CHECK_INT(r.shortfall, 300);
	CHECK_INT(r.days_overdue, 0);
	CHECK_INT(r.late_count, 0);
	CHECK_INT(r.oldest_uncovered, 50);
	CHECK_INT(wc_labour_add(&st, 1, 1, 0, 51), WC_IND_AS_OF);
	CHECK_INT(wc_labour_add(&st, 1, -1, 0, 50), WC_IND_NEGATIVE);
	CHECK_INT(wc_labour_add(&st, WC_DAY_MAX + 1, 1, 0, 50), WC_IND_RANGE);
	free(st.entries);

	/* nothing paid at all */
	st = fresh(WC_KIND_LABOUR);
	wc_labour_add(&st, 10, 700, 0, 45);
	wc_labour_final(&st, &r);
	CHECK_INT(r.paid, 0);
	CHECK_INT(r.shortfall, 700);
	CHECK_INT(r.days_overdue, 35);
	free(st.entries);

	/* no rows: no as-of, zeros */
	st = fresh(WC_KIND_LABOUR);
	CHECK_INT(wc_labour_final(&st, &r), WC_IND_OK);
	CHECK_INT(r.due + r.paid + r.shortfall + r.days_overdue, 0);
}

static unsigned char *ser(wc_ind_state *st, size_t *len);
static uint64_t next(void);

/* Workers on a roster per month: the changes against counting each month's distinct workers. */
static void
test_roster(void)
{
	wc_ind_state st;
	int64_t		months[64],
				workers[64];
	uint32_t	n;

	st = fresh(WC_KIND_ROSTER);
	CHECK_INT(wc_roster_final(&st, months, workers, &n), WC_IND_OK);
	CHECK_INT(n, 0);
	wc_roster_add(&st, 7, 10, 12);	/* worker 7: 10-12 and 12-14 overlap, 15-15 adjoins: one run 10-15 */
	wc_roster_add(&st, 7, 12, 14);
	wc_roster_add(&st, 7, 15, 15);
	wc_roster_add(&st, 8, 11, 11);	/* worker 8: 11, then 14 after a gap */
	wc_roster_add(&st, 8, 14, 14);
	wc_roster_add(&st, 9, 13, 12);	/* starts after it ends: no month */
	CHECK_INT(wc_roster_add(&st, 9, WC_MONTH_MAX + 1, 0), WC_IND_RANGE);
	CHECK_INT(wc_ind_compact(&st), WC_IND_OK);
	CHECK_INT(st.n, 3);			/* worker 7: one run; worker 8: two */
	CHECK_INT(wc_roster_final(&st, months, workers, &n), WC_IND_OK);
	/* 10: 1, 11: 2, 12: 1, 14: 2, 15: 1, 16: 0 */
	CHECK_INT(n, 6);
	CHECK(months[0] == 10 && workers[0] == 1 && months[1] == 11 && workers[1] == 2);
	CHECK(months[2] == 12 && workers[2] == 1 && months[3] == 14 && workers[3] == 2);
	CHECK(months[4] == 15 && workers[4] == 1 && months[5] == 16 && workers[5] == 0);
	free(st.entries);

	/* random rosters: the count in each month equals the distinct workers covering it */
	for (int round = 0; round < 50; round++)
	{
		int			nent = 1 + (int) (next() % 60);
		int64_t		ent[60][3];
		int64_t    *m = malloc(sizeof(int64_t) * 2 * (size_t) nent);
		int64_t    *w = malloc(sizeof(int64_t) * 2 * (size_t) nent);
		bool		ok = true;

		st = fresh(WC_KIND_ROSTER);
		for (int i = 0; i < nent; i++)
		{
			ent[i][0] = (int64_t) (next() % 8);
			ent[i][1] = 100 + (int64_t) (next() % 24);
			ent[i][2] = ent[i][1] - 2 + (int64_t) (next() % 12);
			ok &= wc_roster_add(&st, ent[i][0], ent[i][1], ent[i][2]) == WC_IND_OK;
		}
		ok &= wc_roster_final(&st, m, w, &n) == WC_IND_OK;
		for (int64_t month = 95; month < 140; month++)
		{
			int64_t		expect = 0,
						got = 0;

			for (int64_t worker = 0; worker < 8; worker++)
				for (int i = 0; i < nent; i++)
					if (ent[i][0] == worker && ent[i][1] <= month && month <= ent[i][2])
					{
						expect++;
						break;
					}
			for (uint32_t k = 0; k < n && m[k] <= month; k++)
				got = w[k];
			ok &= got == expect;
		}
		for (uint32_t k = 1; k < n; k++)
			ok &= m[k - 1] < m[k] && w[k - 1] != w[k];
		CHECK(ok);
		free(m);
		free(w);
		free(st.entries);
	}
}

/* A month's pay sheets summed: the SQL sums and counts it replaces, overflow, the byte form. */
static void
test_wages(void)
{
	wc_ind_state st = fresh(WC_KIND_WAGES);
	wc_ind_state back = fresh(WC_KIND_WAGES);
	wc_wages_result r;
	unsigned char *buf;
	size_t		len;

	CHECK_INT(wc_wages_final(&st, &r), WC_IND_OK);	/* no rows: zeros */
	CHECK_INT(r.workers, 0);
	CHECK_INT(wc_wages_add(&st, 100000, 90000, 90000, 1), WC_IND_OK);	/* paid in full */
	CHECK_INT(wc_wages_add(&st, 50000, 45000, 20000, 2), WC_IND_OK);	/* owed 250.00 */
	CHECK_INT(wc_wages_add(&st, 30000, 30000, 0, 0), WC_IND_OK);	/* owed 300.00, unpaid */
	CHECK_INT(wc_wages_add(&st, 10000, 8000, 9000, 1), WC_IND_OK);	/* overpaid: owes nothing */
	CHECK_INT(wc_wages_add(&st, -5000, -5000, 0, 0), WC_IND_OK);	/* a negative correction month */
	CHECK_INT(wc_wages_add(&st, 1, 1, 1, -1), WC_IND_NEGATIVE);
	CHECK_INT(wc_wages_final(&st, &r), WC_IND_OK);
	CHECK_INT(r.payable, 185000);
	CHECK_INT(r.net, 168000);
	CHECK_INT(r.paid, 119000);
	CHECK_INT(r.owed, 25000 + 30000);
	CHECK_INT(r.workers_owed, 2);
	CHECK_INT(r.workers, 5);
	CHECK_INT(r.workers_paid, 3);
	CHECK_INT(r.payments, 4);
	/* overflow leaves the state as it was */
	CHECK_INT(wc_wages_add(&st, INT64_MAX, 0, 0, 0), WC_IND_RANGE);
	CHECK_INT(wc_wages_add(&st, 0, INT64_MIN, INT64_MAX, 0), WC_IND_RANGE);
	CHECK_INT(wc_wages_final(&st, &r), WC_IND_OK);
	CHECK_INT(r.payable, 185000);
	CHECK_INT(r.workers, 5);
	/* the byte form: four entries, all or none, owed and counts not negative */
	buf = ser(&st, &len);
	CHECK_INT(len, 16 + 4 * 24);
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_OK);
	CHECK_INT(wc_wages_final(&back, &r), WC_IND_OK);
	CHECK_INT(r.owed, 55000);
	free(back.entries);
	back = fresh(WC_KIND_WAGES);
	buf[12] = 3;				/* three entries */
	CHECK_INT(wc_ind_deserialize(&back, buf, 16 + 3 * 24), WC_IND_CORRUPT);
	buf[12] = 4;
	buf[16 + 24 + 16 + 7] = 0x80;	/* negative owed */
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_CORRUPT);
	buf[16 + 24 + 16 + 7] = 0;
	buf[16 + 2 * 24 + 8] = 9;	/* 9 workers owed of 5 */
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_CORRUPT);
	free(back.entries);
	free(buf);
	free(st.entries);
}

static void
test_coverage(void)
{
	wc_ind_state st = fresh(WC_KIND_COVERAGE);
	wc_coverage_result r;

	wc_coverage_add(&st, 1, WC_COV_ROSTERED, 0);
	wc_coverage_add(&st, 2, WC_COV_ROSTERED, 0);
	wc_coverage_add(&st, 3, WC_COV_ROSTERED, 0);
	for (int d = 0; d < 20; d++)
	{
		wc_coverage_add(&st, 1, WC_COV_ATTENDED, 0);
		wc_coverage_add(&st, 2, WC_COV_ATTENDED, 0);
		wc_coverage_add(&st, 4, WC_COV_ATTENDED, 0);	/* not on the roster */
	}
	wc_coverage_add(&st, 1, WC_COV_ON_PAYROLL, 0);
	wc_coverage_add(&st, 1, WC_COV_PAID, 2);
	wc_coverage_add(&st, 2, WC_COV_ON_PAYROLL, 0);
	wc_coverage_add(&st, 5, WC_COV_PAID, 1);	/* paid, never rostered */
	CHECK_INT(wc_coverage_final(&st, &r), WC_IND_OK);
	CHECK_INT(r.workers, 5);
	CHECK_INT(r.rostered, 3);
	CHECK_INT(r.attended, 3);
	CHECK_INT(r.on_payroll, 2);
	CHECK_INT(r.paid, 2);
	CHECK_INT(r.attended_on_payroll, 2);
	CHECK_INT(r.attended_paid, 1);
	CHECK_INT(r.attended_not_rostered, 1);
	CHECK_INT(r.paid_not_rostered, 1);
	CHECK_INT(r.payments, 3);
	CHECK_INT(wc_coverage_add(&st, 1, 0x10, 0), WC_IND_RANGE);
	CHECK_INT(wc_coverage_add(&st, 1, 0, -1), WC_IND_NEGATIVE);
	free(st.entries);
}

/* Deterministic pseudo-random numbers for the property tests. */
static uint64_t rng = 88172645463325252ULL;
static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Adds a random row of the given kind to st. */
static wc_ind_rc
add_random(wc_ind_state *st, wc_ind_kind kind, uint64_t x)
{
	switch (kind)
	{
		case WC_KIND_OWED:
			return wc_owed_add(st, ym(2023, 1) + (int64_t) (x % 30), (int64_t) (x >> 8) % 1000000,
							   (x & 64) ? (int64_t) (x >> 20) % 1000000 : 0);
		case WC_KIND_LABOUR:
			return wc_labour_add(st, 8000 + (int32_t) (x % 400), (x & 1) ? (int64_t) (x >> 8) % 500000 : 0,
								 (x & 2) ? (int64_t) (x >> 30) % 500000 : 0, 8300);
		case WC_KIND_COVERAGE:
			return wc_coverage_add(st, (int64_t) (x % 3000), (unsigned) (x >> 12) & WC_COV_ALL,
								   (int64_t) (x >> 20) % 3);
		case WC_KIND_ROSTER:
			return wc_roster_add(st, (int64_t) (x % 500), 100 + (int64_t) ((x >> 12) % 24),
								 98 + (int64_t) ((x >> 20) % 40));
		case WC_KIND_WAGES:
			return wc_wages_add(st, (int64_t) (x >> 8) % 1000000, (int64_t) (x >> 12) % 900000,
								(x & 64) ? (int64_t) (x >> 20) % 1000000 : 0, (int64_t) (x >> 40) % 3);
	}
	return WC_IND_KIND;
}

/* Serialises st into a fresh malloc'ed buffer. */
static unsigned char *
ser(wc_ind_state *st, size_t *len)
{
	unsigned char *buf = malloc(wc_ind_serial_size(st));

	if (wc_ind_serialize(st, buf, wc_ind_serial_size(st)) != WC_IND_OK)
	{
		free(buf);
		return NULL;
	}
	*len = wc_ind_serial_size(st);
	return buf;
}

/* One pass over N rows versus 3 partial states (round-robin split) merged through bytes. */
static void
test_merge_exact(wc_ind_kind kind, int nrows)
{
	wc_ind_state whole = fresh(kind);
	wc_ind_state part[3] = {fresh(kind), fresh(kind), fresh(kind)};
	wc_ind_state merged = fresh(kind);
	unsigned char *a,
			   *b;
	size_t		la,
				lb;
	bool		ok = true;

	for (int i = 0; i < nrows; i++)
	{
		uint64_t	x = next();

		ok &= add_random(&whole, kind, x) == WC_IND_OK;
		ok &= add_random(&part[next() % 3], kind, x) == WC_IND_OK;
	}
	CHECK(ok);
	/* merge in reverse order, each partial state passing through its byte form */
	for (int p = 2; p >= 0; p--)
	{
		wc_ind_state back = fresh(kind);
		unsigned char *bytes = ser(&part[p], &la);

		CHECK(bytes != NULL);
		CHECK_INT(wc_ind_deserialize(&back, bytes, la), WC_IND_OK);
		CHECK_INT(wc_ind_merge(&merged, &back), WC_IND_OK);
		free(bytes);
		free(back.entries);
		free(part[p].entries);
	}
	a = ser(&whole, &la);
	b = ser(&merged, &lb);
	CHECK(a && b && la == lb && memcmp(a, b, la) == 0);
	if (kind == WC_KIND_OWED)
	{
		wc_owed_result r1, r2;

		wc_owed_final(&whole, &r1);
		wc_owed_final(&merged, &r2);
		CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
		CHECK(r1.months_owed > 0);
	}
	else if (kind == WC_KIND_LABOUR)
	{
		wc_labour_result r1, r2;

		wc_labour_final(&whole, &r1);
		wc_labour_final(&merged, &r2);
		CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
		CHECK(r1.shortfall == (r1.due > r1.paid ? r1.due - r1.paid : 0));
	}
	else if (kind == WC_KIND_ROSTER)
	{
		int64_t    *m1 = malloc(sizeof(int64_t) * 2 * (whole.n + 1)),
				   *w1 = malloc(sizeof(int64_t) * 2 * (whole.n + 1)),
				   *m2 = malloc(sizeof(int64_t) * 2 * (merged.n + 1)),
				   *w2 = malloc(sizeof(int64_t) * 2 * (merged.n + 1));
		uint32_t	n1,
					n2;

		CHECK_INT(wc_roster_final(&whole, m1, w1, &n1), WC_IND_OK);
		CHECK_INT(wc_roster_final(&merged, m2, w2, &n2), WC_IND_OK);
		CHECK(n1 == n2 && n1 > 10 && memcmp(m1, m2, n1 * sizeof(int64_t)) == 0 &&
			  memcmp(w1, w2, n1 * sizeof(int64_t)) == 0);
		free(m1);
		free(w1);
		free(m2);
		free(w2);
	}
	else if (kind == WC_KIND_WAGES)
	{
		wc_wages_result r1, r2;

		wc_wages_final(&whole, &r1);
		wc_wages_final(&merged, &r2);
		CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
		CHECK_INT(r1.workers, nrows);
		CHECK(r1.workers_owed > 0 && r1.workers_owed < nrows && r1.owed >= r1.net - r1.paid);
	}
	else
	{
		wc_coverage_result r1, r2;

		wc_coverage_final(&whole, &r1);
		wc_coverage_final(&merged, &r2);
		CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
		CHECK(r1.workers > 2900 && r1.workers <= 3000);
	}
	free(a);
	free(b);
	free(whole.entries);
	free(merged.entries);
}

static void
test_serial(void)
{
	wc_ind_state st = fresh(WC_KIND_LABOUR);
	wc_ind_state back;
	unsigned char *buf;
	size_t		len;

	wc_labour_add(&st, 30, 100, 0, 40);
	wc_labour_add(&st, 10, 0, 50, 40);
	buf = ser(&st, &len);
	CHECK_INT(len, 16 + 2 * 24);

	back = fresh(WC_KIND_OWED);
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_KIND);
	back = fresh(WC_KIND_LABOUR);
	CHECK_INT(wc_ind_deserialize(&back, buf, len - 1), WC_IND_CORRUPT);
	CHECK_INT(wc_ind_deserialize(&back, buf, 3), WC_IND_CORRUPT);
	buf[0] = 'X';
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_CORRUPT);
	buf[0] = 'W';
	buf[16] = 40;				/* first key 40 == second key 30? no: 40 > 30, out of order */
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_CORRUPT);
	buf[16] = 10;
	buf[16 + 24 + 8 + 7] = 0x80;	/* negative due */
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_CORRUPT);
	buf[16 + 24 + 8 + 7] = 0;
	buf[12] = 3;				/* entry count disagrees with the length */
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_CORRUPT);
	buf[12] = 2;
	CHECK_INT(wc_ind_deserialize(&back, buf, len), WC_IND_OK);
	CHECK_INT(back.n, 2);
	CHECK_INT(back.as_of, 40);
	free(back.entries);
	free(buf);

	/* merging states of different kinds or as-of days is refused */
	{
		wc_ind_state o = fresh(WC_KIND_OWED), l2 = fresh(WC_KIND_LABOUR);

		wc_labour_add(&l2, 1, 1, 0, 41);
		CHECK_INT(wc_ind_merge(&o, &st), WC_IND_KIND);
		CHECK_INT(wc_ind_merge(&st, &l2), WC_IND_AS_OF);
		free(l2.entries);
	}
	free(st.entries);
}

int
main(void)
{
	test_money();
	test_nbase();
	test_owed();
	test_labour();
	test_coverage();
	test_wages();
	test_roster();
	test_serial();
	for (int round = 0; round < 5; round++)
	{
		test_merge_exact(WC_KIND_OWED, 2000 + round * 100);
		test_merge_exact(WC_KIND_LABOUR, 3000);
		test_merge_exact(WC_KIND_COVERAGE, 20000);
		test_merge_exact(WC_KIND_WAGES, 5000);
		test_merge_exact(WC_KIND_ROSTER, 3000);
	}
	UNIT_DONE();
}
