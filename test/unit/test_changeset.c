/*
 * test_changeset.c — unit tests of src/core/changeset.c: the spans of dates and
 * times recorded by the change capture, merging spans, distinct ids.
 */
#include "core/changeset.h"
#include "unit.h"

#define H WC_USECS_PER_HOUR
#define D WC_USECS_PER_DAY

int
main(void)
{
	wc_span s;
	wc_span v[8];
	int64_t ids[8];
	size_t n;

	/* timestamptz 2000-01-01 10:30 UTC: the hour 10:00-11:00 */
	CHECK(wc_moment_span(WC_MOMENT_TIMESTAMPTZ, 10 * H + H / 2, &s));
	CHECK_INT(s.lo, 10 * H);
	CHECK_INT(s.hi, 11 * H);
	/* on the hour: that hour */
	CHECK(wc_moment_span(WC_MOMENT_TIMESTAMPTZ, 10 * H, &s));
	CHECK_INT(s.lo, 10 * H);
	CHECK_INT(s.hi, 11 * H);
	/* before 2000: the hour is floored, not truncated toward zero */
	CHECK(wc_moment_span(WC_MOMENT_TIMESTAMPTZ, -1, &s));
	CHECK_INT(s.lo, -H);
	CHECK_INT(s.hi, 0);
	CHECK(wc_moment_span(WC_MOMENT_TIMESTAMPTZ, -H, &s));
	CHECK_INT(s.lo, -H);
	/* timestamp 10:30 (any zone UTC-12..UTC+14): 10:00 read as UTC, 15 h before, 16 h after */
	CHECK(wc_moment_span(WC_MOMENT_TIMESTAMP, 10 * H + 1, &s));
	CHECK_INT(s.lo, 10 * H - 15 * H);
	CHECK_INT(s.hi, 10 * H + 16 * H);
	/* date 2000-01-03: its midnight as UTC, 15 h before, 39 h after */
	CHECK(wc_moment_span(WC_MOMENT_DATE, 2, &s));
	CHECK_INT(s.lo, 2 * D - 15 * H);
	CHECK_INT(s.hi, 2 * D + 39 * H);
	CHECK(wc_moment_span(WC_MOMENT_DATE, -1, &s));
	CHECK_INT(s.lo, -D - 15 * H);
	/* infinities and values no scan's moment reaches */
	CHECK(!wc_moment_span(WC_MOMENT_TIMESTAMPTZ, INT64_MAX, &s));
	CHECK(!wc_moment_span(WC_MOMENT_TIMESTAMPTZ, INT64_MIN, &s));
	CHECK(!wc_moment_span(WC_MOMENT_TIMESTAMP, INT64_MAX, &s));
	CHECK(!wc_moment_span(WC_MOMENT_DATE, INT32_MAX, &s));
	CHECK(!wc_moment_span(WC_MOMENT_DATE, INT32_MIN, &s));
	CHECK(!wc_moment_span(WC_MOMENT_DATE, 200000000, &s));
	CHECK(!wc_moment_span(WC_MOMENT_TIMESTAMPTZ, WC_END_TIMESTAMP - 1, &s));
	CHECK(!wc_moment_span(WC_MOMENT_DATE, WC_MIN_TIMESTAMP / D, &s));
	CHECK(wc_moment_span(WC_MOMENT_TIMESTAMPTZ, WC_END_TIMESTAMP - 2 * H, &s));
	CHECK(!wc_moment_span((wc_moment_kind) 9, 0, &s));

	/* merging: unsorted, overlapping, touching, contained, apart */
	v[0] = (wc_span) {50, 60};
	v[1] = (wc_span) {0, 10};
	v[2] = (wc_span) {10, 20};		/* touches [0, 10] */
	v[3] = (wc_span) {5, 8};		/* inside */
	v[4] = (wc_span) {21, 30};		/* apart by one */
	v[5] = (wc_span) {55, 70};
	n = wc_spans_merge(v, 6);
	CHECK_INT(n, 3);
	CHECK_INT(v[0].lo, 0);
	CHECK_INT(v[0].hi, 20);
	CHECK_INT(v[1].lo, 21);
	CHECK_INT(v[1].hi, 30);
	CHECK_INT(v[2].lo, 50);
	CHECK_INT(v[2].hi, 70);
	CHECK_INT(wc_spans_merge(v, 0), 0);
	v[0] = (wc_span) {1, 1};
	CHECK_INT(wc_spans_merge(v, 1), 1);

	/* covering: each span within one merged span */
	{
		wc_span		m[3] = {{0, 20}, {21, 30}, {50, 70}};
		wc_span		s[3];

		s[0] = (wc_span) {0, 20};
		s[1] = (wc_span) {55, 60};
		CHECK(wc_spans_cover(m, 3, s, 2));
		s[0] = (wc_span) {20, 21};	/* across the gap between two spans */
		CHECK(!wc_spans_cover(m, 3, s, 1));
		s[0] = (wc_span) {-1, 5};	/* before the first */
		CHECK(!wc_spans_cover(m, 3, s, 1));
		s[0] = (wc_span) {60, 71};	/* past the last */
		CHECK(!wc_spans_cover(m, 3, s, 1));
		s[0] = (wc_span) {31, 31};	/* between */
		CHECK(!wc_spans_cover(m, 3, s, 1));
		s[0] = (wc_span) {30, 30};
		s[1] = (wc_span) {70, 70};
		s[2] = (wc_span) {40, 40};	/* one of three not covered */
		CHECK(wc_spans_cover(m, 3, s, 2));
		CHECK(!wc_spans_cover(m, 3, s, 3));
		CHECK(wc_spans_cover(m, 3, s, 0));
		CHECK(!wc_spans_cover(m, 0, s, 1));
	}

	/* distinct ids */
	ids[0] = 7; ids[1] = 3; ids[2] = 7; ids[3] = -1; ids[4] = 3; ids[5] = 3;
	n = wc_ids_unique(ids, 6);
	CHECK_INT(n, 3);
	CHECK_INT(ids[0], -1);
	CHECK_INT(ids[1], 3);
	CHECK_INT(ids[2], 7);
	CHECK_INT(wc_ids_unique(ids, 0), 0);
	ids[0] = INT64_MAX; ids[1] = INT64_MIN;
	n = wc_ids_unique(ids, 2);
	CHECK_INT(n, 2);
	CHECK(ids[0] == INT64_MIN && ids[1] == INT64_MAX);
	UNIT_DONE();
}
