/*
 * paid_shared.h — what the checks of a statement's new payments read of their lines
 * (src/enforce/payments.c), taken by the summaries' trigger of the same statement
 * (src/alerts/wage_keyed.c) instead of reading the lines and workers again.
 */
#ifndef WAGECHECK_PAID_SHARED_H
#define WAGECHECK_PAID_SHARED_H

#include "postgres.h"

#include "utils/rel.h"
#include "utils/snapshot.h"

extern bool wc_paid_lines_shared(Relation rel, const void *rows);
extern bool wc_paid_line_shared(int64 line, int64 *sheet, int64 *worker, bool *card_null, int64 *card);
extern Snapshot wc_paid_lines_snapshot(void);
extern Snapshot wc_snapshot_copy(Snapshot s, MemoryContext cxt);
extern void wc_paid_lines_forget(void);

#endif							/* WAGECHECK_PAID_SHARED_H */
