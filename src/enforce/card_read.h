/*
 * card_read.h — one read of worker and roster for the cards of many movements (card_read.c).
 */
#ifndef WAGECHECK_CARD_READ_H
#define WAGECHECK_CARD_READ_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "enforce/direct.h"

/* A worker whose registered card is one asked about; next: the card's next worker, -1 none. */
typedef struct wc_card_worker
{
	int64		worker_id;
	char	   *name;			/* NULL unless asked for */
	ItemPointerData tid;
	int			next;
} wc_card_worker;

/* A roster entry of a (project, worker) pair asked about; next: the pair's next entry, -1 none. */
typedef struct wc_card_entry
{
	int64		roster_id;
	TimestampTz created;
	bool		created_null;
	ItemPointerData tid;
	int			next;
} wc_card_entry;

typedef struct wc_card_read
{
	wc_idmap   *cards;			/* card (a bank_card's int64) -> its first worker, -1: none */
	wc_card_worker *workers;
	int			nworkers;
	wc_idmap   *pairs;			/* (project, worker) -> its first entry, -1: none */
	wc_card_entry *entries;
	int			nentries;
} wc_card_read;

extern void wc_card_read_init(wc_card_read *cr, long ncards);
extern void wc_card_read_ask_card(wc_card_read *cr, int64 card);
extern void wc_card_read_workers(wc_card_read *cr, wc_direct *w, Snapshot snapshot, int a_card, int a_id,
								 int a_name);
extern void wc_card_read_ask_pair(wc_card_read *cr, int64 project_id, int64 worker_id);
extern void wc_card_read_entries(wc_card_read *cr, wc_direct *r, Snapshot snapshot, int r_project, int r_worker,
								 int r_id, int r_created);
extern int	wc_card_read_first_worker(const wc_card_read *cr, int64 card);
extern int	wc_card_read_first_entry(const wc_card_read *cr, int64 project_id, int64 worker_id);
extern void wc_card_read_done(wc_card_read *cr);

#endif							/* WAGECHECK_CARD_READ_H */
