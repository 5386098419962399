/*
 * load_order.h — the wait of a load whose rows come before their parents (src/alerts/load_order.c).
 */
#ifndef WAGECHECK_LOAD_ORDER_H
#define WAGECHECK_LOAD_ORDER_H

#include "postgres.h"

/* A table of wagecheck's and its btree index on one bigint column. */
typedef struct wc_key_index
{
	const char *table;
	const char *index;
	const char *column;
} wc_key_index;

extern int	wc_parents_missing(const wc_key_index *ix, int64 *ids, int *n, const char *col, int64 *cols);
extern void wc_parents_wait(const wc_key_index *ix, const int64 *missing, int n, const char *what);
extern void wc_children_raced(const wc_key_index *ix, const int64 *ids, int n, const char *what);
extern void wc_parents_share(const wc_key_index *ix, const int64 *ids, int n);

#endif							/* WAGECHECK_LOAD_ORDER_H */
