/*
 * changeset.h — what the change capture records of a statement's rows, as pure
 * functions: the span of time a date or time value can turn a scan's result at
 * (wc_moment_span), spans merged (wc_spans_merge) and whether some cover others
 * (wc_spans_cover), ids made distinct (wc_ids_unique). Times are PostgreSQL's: microseconds since 2000-01-01 00:00
 * UTC (timestamp, timestamptz), days since 2000-01-01 (date). No PostgreSQL header.
 */
#ifndef WC_CORE_CHANGESET_H
#define WC_CORE_CHANGESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WC_USECS_PER_HOUR INT64_C(3600000000)
#define WC_USECS_PER_DAY INT64_C(86400000000)
/* PostgreSQL's valid timestamps: 4714-11-24 BC 00:00 up to (not including) 294277-01-01 00:00 UTC */
#define WC_MIN_TIMESTAMP INT64_C(-211813488000000000)
#define WC_END_TIMESTAMP INT64_C(9223371331200000000)

/* The kinds of value a span is computed from. */
typedef enum wc_moment_kind
{
	WC_MOMENT_TIMESTAMPTZ,		/* a moment: the hour (UTC) that holds it */
	WC_MOMENT_TIMESTAMP,		/* a wall-clock time in the session's zone: its hour, UTC-12..UTC+14 */
	WC_MOMENT_DATE				/* a day: turns at its first or last midnight in any zone */
} wc_moment_kind;

/* A closed span of time [lo, hi]. */
typedef struct wc_span
{
	int64_t		lo;
	int64_t		hi;
} wc_span;

/*
 * wc_moment_span: the span during which a scan's moment can pass the value (for a
 * timestamptz the hour holding it, [h, h + 1 h]; for a timestamp its hour read as
 * UTC, [h - 15 h, h + 16 h]; for a date its midnight as UTC, [d - 15 h, d + 39 h]).
 * false for infinite values and those whose span leaves the valid timestamps: no
 * scan's moment can pass them.
 */
bool		wc_moment_span(wc_moment_kind kind, int64_t value, wc_span *out);

/* wc_spans_merge: sorts the spans and merges those that overlap or touch; returns how many remain. */
size_t		wc_spans_merge(wc_span *spans, size_t n);

/*
 * wc_spans_cover: whether every one of spans[0..m) lies within one of merged[0..n) (spans
 * as wc_spans_merge leaves them: sorted, apart). A time that meets one of the spans then
 * meets one of merged.
 */
bool		wc_spans_cover(const wc_span *merged, size_t n, const wc_span *spans, size_t m);

/* wc_ids_unique: sorts the ids and drops repeats; returns how many remain. */
size_t		wc_ids_unique(int64_t *ids, size_t n);

#endif							/* WC_CORE_CHANGESET_H */
