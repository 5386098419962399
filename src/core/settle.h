/*
 * settle.h — the arithmetic of the wage_month summary as pure functions: when a
 * month's payments (in time order) reached its net pay (settled_at). Amounts
 * are cents, moments PostgreSQL's microseconds since 2000-01-01 UTC (-infinity
 * and infinity are INT64_MIN and INT64_MAX). No PostgreSQL header.
 */
#ifndef WC_CORE_SETTLE_H
#define WC_CORE_SETTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum wc_settled
{
	WC_SETTLED_AT = 0,			/* reached at *at */
	WC_SETTLED_NOTHING_DUE,		/* net not positive: -infinity */
	WC_SETTLED_NEVER,			/* the payments never reached the net: NULL */
	WC_SETTLED_OVERFLOW			/* a running sum left int64: ask numeric arithmetic */
} wc_settled;

/*
 * wc_settled_at: the earliest moment ats[i] at which the running sum of each[0..i]
 * (in list order) is at least net; a NULL moment (at_null) is never a candidate,
 * a NULL amount (each_null) adds nothing, and the sum is NULL (no candidate)
 * until the first amount that is not NULL, as SQL's sum() OVER (ORDER BY n).
 */
extern wc_settled wc_settled_at(int64_t net, const int64_t *ats, const bool *at_null,
								const int64_t *each, const bool *each_null, size_t n, int64_t *at);

#endif							/* WC_CORE_SETTLE_H */
