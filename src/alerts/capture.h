/*
 * capture.h — what the change capture (capture.c) remembers of the changes a transaction
 * recorded in wagecheck.input_change, and how it records one, for the triggers that record
 * changes of their own.
 */
#ifndef WAGECHECK_CAPTURE_H
#define WAGECHECK_CAPTURE_H

#include "postgres.h"

#include "core/changeset.h"

extern bool wc_change_recorded(const char *table, char op, const int64 *projects, int np,
							   const wc_span *spans, int m);
extern bool wc_change_append(const char *table, char op, const int64 *projects, int np,
							 const wc_span *spans, int m);
extern void wc_change_note(const char *table, char op, const int64 *projects, int np,
						   const wc_span *spans, int m);

#endif							/* WAGECHECK_CAPTURE_H */
