/*
 * capture.h — what the change capture (capture.c) remembers of the changes a transaction
 * recorded in wagecheck.input_change, and how it records one, for the triggers that record
 * changes of their own; and the count of relcache invalidations this backend processed, by
 * which what was found of a table (its OIDs, its columns) is known to hold still.
 */
#ifndef WAGECHECK_CAPTURE_H
#define WAGECHECK_CAPTURE_H

#include "postgres.h"

#include "core/changeset.h"

extern bool wc_change_recorded(const char *table, char op, const int64 *projects, int np,
							   const wc_span *spans, int m);
extern bool wc_change_append(const char *table, char op, const int64 *projects, int np,
							 const wc_span *spans, int m);
extern uint64 wc_relcache_invalidations(void);
extern void wc_change_note(const char *table, char op, const int64 *projects, int np,
						   const wc_span *spans, int m);

#endif							/* WAGECHECK_CAPTURE_H */
