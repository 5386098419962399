/*
 * values.h — the guards of business dates and amounts (values.c), for C triggers that
 * read a value before the table's checks see it.
 */
#ifndef WC_VALUES_H
#define WC_VALUES_H

#include "postgres.h"

#include "utils/date.h"
#include "datatype/timestamp.h"

/* Raises the error of check constraint <tab>_<col>_plausible unless d is a business date. */
extern void wc_require_plausible_date(DateADT d, const char *tab, const char *col);
/* Is t a business time (2000-01-01 to 2099-12-31, Beijing time)? */
extern bool wc_plausible_time(TimestampTz t);

#endif							/* WC_VALUES_H */
