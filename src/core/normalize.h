/*
 * normalize.h — what a clerk or a bank wrote, made comparable: full-width forms
 * made ASCII, blanks, dashes and padding straightened (wc_normalize); dates and
 * times written as text read into numbers (wc_parse_moment). No PostgreSQL
 * header: unit-tested in test/unit and fuzzed in test/fuzz.
 */
#ifndef WC_CORE_NORMALIZE_H
#define WC_CORE_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* wc_normalize flags */
#define WC_NORM_COMPACT		1	/* drop the blanks and hyphens inside too, upper-case ASCII letters */

extern size_t wc_normalize(const char *s, size_t len, int flags, char *out, size_t size);
extern bool wc_is_plain_digits(const char *s, size_t len);

#endif							/* WC_CORE_NORMALIZE_H */
