/*
 * ind_state.c — the keyed state shared by every indicator aggregate: append,
 * fold equal keys, compact (sort + fold) and merge two partial states exactly.
 */
#include "indicators.h"

#include <stdlib.h>
#include <string.h>

/* Sets up an empty state of one kind using the given allocator. */
void
wc_ind_init(wc_ind_state *st, wc_ind_kind kind, wc_ind_realloc grow, void *arg)
{
	memset(st, 0, sizeof(*st));
	st->kind = (int32_t) kind;
	st->grow = grow;
	st->grow_arg = arg;
}

/* Folds src into dst (same key): money and counts summed with overflow checks, flags OR'ed. */
static wc_ind_rc
fold(int32_t kind, wc_ind_entry *dst, const wc_ind_entry *src)
{
	int64_t		a,
				b;

	/* on overflow dst is left as it was, so the state stays valid */
	if (kind == WC_KIND_COVERAGE)
		a = dst->a | src->a;
	else if (__builtin_add_overflow(dst->a, src->a, &a))
		return WC_IND_RANGE;
	if (__builtin_add_overflow(dst->b, src->b, &b))
		return WC_IND_RANGE;
	dst->a = a;
	dst->b = b;
	return WC_IND_OK;
}

/* Whether e may follow prev in a compacted state of the kind (a roster's runs of one worker ascend with gaps). */
static bool
in_order(int32_t kind, const wc_ind_entry *prev, const wc_ind_entry *e)
{
	if (kind == WC_KIND_ROSTER && prev->key == e->key)
		return prev->b < e->a - 1;
	return prev->key < e->key;
}

/* qsort comparator of roster runs: by worker, then first month. */
static int
cmp_key_a(const void *x, const void *y)
{
	const wc_ind_entry *a = x;
	const wc_ind_entry *b = y;

	if (a->key != b->key)
		return (a->key > b->key) - (a->key < b->key);
	return (a->a > b->a) - (a->a < b->a);
}

/* qsort comparator on entry keys. */
static int
cmp_key(const void *x, const void *y)
{
	int64_t		a = ((const wc_ind_entry *) x)->key;
	int64_t		b = ((const wc_ind_entry *) y)->key;

	return (a > b) - (a < b);
}

/* Sorts all entries and folds equal keys, leaving the whole array sorted and unique. */
wc_ind_rc
wc_ind_compact(wc_ind_state *st)
{
	uint32_t	i,
				out = 0;

	if (st->nsorted == st->n)
		return WC_IND_OK;
	qsort(st->entries, st->n, sizeof(wc_ind_entry), st->kind == WC_KIND_ROSTER ? cmp_key_a : cmp_key);
	for (i = 0; i < st->n; i++)
	{
		if (st->kind == WC_KIND_ROSTER && out > 0 && st->entries[out - 1].key == st->entries[i].key &&
			st->entries[i].a - 1 <= st->entries[out - 1].b)
		{
			/* a run overlapping or adjoining the previous one of the worker: their union */
			if (st->entries[i].b > st->entries[out - 1].b)
				st->entries[out - 1].b = st->entries[i].b;
		}
		else if (st->kind != WC_KIND_ROSTER && out > 0 && st->entries[out - 1].key == st->entries[i].key)
		{
			wc_ind_rc	rc = fold(st->kind, &st->entries[out - 1], &st->entries[i]);

			if (rc != WC_IND_OK)
				return rc;
		}
		else
			st->entries[out++] = st->entries[i];
	}
	st->n = st->nsorted = out;
	return WC_IND_OK;
}

/* Makes room for one more entry, doubling the capacity. */
static wc_ind_rc
reserve_one(wc_ind_state *st)
{
	uint32_t	newcap;
	void	   *p;

	if (st->n < st->cap)
		return WC_IND_OK;
	if (st->cap >= UINT32_MAX / 2 / sizeof(wc_ind_entry))
		return WC_IND_RANGE;
	newcap = st->cap ? st->cap * 2 : 8;
	p = st->grow(st->entries, (size_t) newcap * sizeof(wc_ind_entry), st->grow_arg);
	if (p == NULL)
		return WC_IND_NOMEM;
	st->entries = p;
	st->cap = newcap;
	return WC_IND_OK;
}

/* Adds one entry: folded into the last one when the key repeats, else appended. */
wc_ind_rc
wc_ind_add(wc_ind_state *st, int64_t key, int64_t a, int64_t b)
{
	wc_ind_entry e = {key, a, b};
	wc_ind_rc	rc;

	if (st->n > 0 && st->entries[st->n - 1].key == key)
	{
		wc_ind_entry *last = &st->entries[st->n - 1];

		if (st->kind != WC_KIND_ROSTER)
			return fold(st->kind, last, &e);
		if (a >= last->a && a - 1 <= last->b)
		{
			/* a run starting within or right after the last one: extends it, order kept */
			if (b > last->b)
				last->b = b;
			return WC_IND_OK;
		}
	}
	if ((rc = reserve_one(st)) != WC_IND_OK)
		return rc;
	st->entries[st->n++] = e;
	if (st->n == 1 || (st->nsorted == st->n - 1 && in_order(st->kind, &st->entries[st->n - 2], &e)))
		st->nsorted = st->n;	/* still in order: nothing to sort later */
	else if (st->n - st->nsorted > 64 && st->n - st->nsorted > st->nsorted)
		return wc_ind_compact(st);
	return WC_IND_OK;
}

/* Records the as-of day of a state; every row and partial state of a group must agree. */
wc_ind_rc
wc_ind_set_as_of(wc_ind_state *st, int32_t as_of)
{
	if (st->has_as_of && st->as_of != as_of)
		return WC_IND_AS_OF;
	st->as_of = as_of;
	st->has_as_of = true;
	return WC_IND_OK;
}

/* Merges partial state src into dst; the result equals one pass over both inputs. */
wc_ind_rc
wc_ind_merge(wc_ind_state *dst, const wc_ind_state *src)
{
	uint32_t	i;
	wc_ind_rc	rc;

	if (dst->kind != src->kind)
		return WC_IND_KIND;
	if (src->has_as_of && (rc = wc_ind_set_as_of(dst, src->as_of)) != WC_IND_OK)
		return rc;
	for (i = 0; i < src->n; i++)
	{
		if ((rc = wc_ind_add(dst, src->entries[i].key, src->entries[i].a,
							 src->entries[i].b)) != WC_IND_OK)
			return rc;
	}
	return wc_ind_compact(dst);
}
