/*
 * unit.h — a tiny assertion kit for the plain-C unit tests of src/core.
 * Each test program ends with UNIT_DONE(), which prints "N passed, N failed".
 */
#ifndef WC_UNIT_H
#define WC_UNIT_H

#include <stdio.h>
#include <string.h>

static int	unit_passed;
static int	unit_failed;

#define CHECK(cond) \
	do { \
		if (cond) unit_passed++; \
		else { unit_failed++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
	} while (0)

#define CHECK_STR(got, want) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		if (g_ && w_ && strcmp(g_, w_) == 0) unit_passed++; \
		else { unit_failed++; printf("FAIL %s:%d: %s = \"%s\", want \"%s\"\n", \
									 __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
	} while (0)

#define CHECK_INT(got, want) \
	do { \
		long long g_ = (long long) (got), w_ = (long long) (want); \
		if (g_ == w_) unit_passed++; \
		else { unit_failed++; printf("FAIL %s:%d: %s = %lld, want %lld\n", \
									 __FILE__, __LINE__, #got, g_, w_); } \
	} while (0)

#define UNIT_DONE() \
	do { \
		printf("%d passed, %d failed\n", unit_passed, unit_failed); \
		return unit_failed == 0 ? 0 : 1; \
	} while (0)

#endif							/* WC_UNIT_H */
