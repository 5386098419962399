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

/* longest pattern and text wc_pattern_match compares (bytes); longer text matches no pattern */
#define WC_PATTERN_MAX	64
#define WC_PATTERN_TEXT_MAX	256
extern bool wc_pattern_valid(const char *p);
extern bool wc_pattern_match(const char *p, const char *s, size_t len);
extern bool wc_pattern_any(const char *const *patterns, const char *s, size_t len);

extern bool wc_parse_moment(const char *s, size_t len, int32_t *ymd, int32_t *secs);

#endif							/* WC_CORE_NORMALIZE_H */
