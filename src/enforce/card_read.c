/*
 * card_read.c — one read of worker and roster for the cards of many movements, as a snapshot
 * sees them: the workers whose registered card is one of the cards asked about, then the
 * roster entries of the (project, worker) pairs asked about. A bank file of a day's wages
 * asks about most workers, and a probe of each index for each card costs more than reading
 * the two tables (wc_direct_scan_pays decides). The payees of a statement of movements
 * (wc_payee_reader_scan, account_keyed.c: a worker's name, and whether he is on the project's
 * roster) and the matches of its wages (scan_matches, src/alerts/outflow.c: the entries known
 * by a wage's moment, and the rows to lock) are each answered from such a read.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "enforce/card_read.h"

/* wc_card_read_init: an empty read for about ncards cards. */
void
wc_card_read_init(wc_card_read *cr, long ncards)
{
	memset(cr, 0, sizeof(*cr));
	cr->cards = wc_idmap_create(ncards);
}

/* wc_card_read_ask_card: the workers of this card are wanted (a bank_card's int64). */
void
wc_card_read_ask_card(wc_card_read *cr, int64 card)
{
	bool		found;
	int		   *first = wc_idmap_enter(cr->cards, card, 0, &found);

	if (!found)
		*first = -1;
}

/*
 * wc_card_read_workers: reads worker (opened in w) whole: each row whose card (column a_card,
 * of type bank_card) was asked about is kept, its id (column a_id), its tid, and its name
 * (column a_name, text) unless a_name is 0.
 */
void
wc_card_read_workers(wc_card_read *cr, wc_direct *w, Snapshot snapshot, int a_card, int a_id, int a_name)
{
	int			cap = 0;
	bool		isnull;

	wc_direct_scan_begin(w, snapshot);
	while (wc_direct_scan_next(w))
	{
		Datum		v = slot_getattr(w->slot, a_card, &isnull);
		int64		id;
		int		   *first;
		wc_card_worker *k;

		if (isnull || (first = wc_idmap_find(cr->cards, DatumGetInt64(v), 0)) == NULL)
			continue;
		id = DatumGetInt64(slot_getattr(w->slot, a_id, &isnull));
		if (isnull)
			continue;
		if (cr->nworkers == cap)
		{
			cap = cap ? cap * 2 : 256;
			cr->workers = cr->workers ? repalloc_huge(cr->workers, sizeof(wc_card_worker) * cap)
				: palloc(sizeof(wc_card_worker) * cap);
		}
		k = &cr->workers[cr->nworkers];
		k->worker_id = id;
		k->name = NULL;
		if (a_name != 0)
		{
			v = slot_getattr(w->slot, a_name, &isnull);
			k->name = isnull ? NULL : TextDatumGetCString(v);
		}
		k->tid = w->slot->tts_tid;
		k->next = *first;
		*first = cr->nworkers++;
	}
	wc_direct_scan_end(w);
	cr->pairs = wc_idmap_create(cr->nworkers);
}

/* wc_card_read_ask_pair: the entries of this (project, worker) pair are wanted (after wc_card_read_workers). */
void
wc_card_read_ask_pair(wc_card_read *cr, int64 project_id, int64 worker_id)
{
	bool		found;
	int		   *first = wc_idmap_enter(cr->pairs, project_id, worker_id, &found);

	if (!found)
		*first = -1;
}

/*
 * wc_card_read_entries: reads roster (opened in r) whole, unless no pair was asked about: each
 * entry of a pair asked about (columns r_project, r_worker) is kept, its tid, and its id and
 * moment (columns r_id, r_created) unless those are 0.
 */
void
wc_card_read_entries(wc_card_read *cr, wc_direct *r, Snapshot snapshot, int r_project, int r_worker,
					 int r_id, int r_created)
{
	int			cap = 0;
	bool		isnull;

	if (wc_idmap_count(cr->pairs) == 0)
		return;
	wc_direct_scan_begin(r, snapshot);
	while (wc_direct_scan_next(r))
	{
		bool		pnull,
					wnull;
		int64		project = DatumGetInt64(slot_getattr(r->slot, r_project, &pnull)),
					worker = DatumGetInt64(slot_getattr(r->slot, r_worker, &wnull));
		int		   *first;
		wc_card_entry *e;

		if (pnull || wnull || (first = wc_idmap_find(cr->pairs, project, worker)) == NULL)
			continue;
		if (cr->nentries == cap)
		{
			cap = cap ? cap * 2 : 256;
			cr->entries = cr->entries ? repalloc_huge(cr->entries, sizeof(wc_card_entry) * cap)
				: palloc(sizeof(wc_card_entry) * cap);
		}
		e = &cr->entries[cr->nentries];
		e->roster_id = r_id ? DatumGetInt64(slot_getattr(r->slot, r_id, &isnull)) : 0;
		e->created = 0;
		e->created_null = true;
		if (r_created)
			e->created = DatumGetTimestampTz(slot_getattr(r->slot, r_created, &e->created_null));
		e->tid = r->slot->tts_tid;
		e->next = *first;
		*first = cr->nentries++;
	}
	wc_direct_scan_end(r);
}

/* wc_card_read_first_worker: the first worker of a card asked about, -1 when none (or not asked). */
int
wc_card_read_first_worker(const wc_card_read *cr, int64 card)
{
	int		   *first = wc_idmap_find(cr->cards, card, 0);

	return first ? *first : -1;
}

/* wc_card_read_first_entry: the first entry of a pair asked about, -1 when none (or not asked). */
int
wc_card_read_first_entry(const wc_card_read *cr, int64 project_id, int64 worker_id)
{
	int		   *first = cr->pairs ? wc_idmap_find(cr->pairs, project_id, worker_id) : NULL;

	return first ? *first : -1;
}

/* wc_card_read_done: the maps freed (the lists stay in the memory context). */
void
wc_card_read_done(wc_card_read *cr)
{
	if (cr->pairs)
		wc_idmap_free(cr->pairs);
	if (cr->cards)
		wc_idmap_free(cr->cards);
	cr->pairs = cr->cards = NULL;
}
