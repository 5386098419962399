/*
 * ind_serial.c — portable byte form of an indicator state (for parallel workers
 * and, later, other nodes).  Layout, little-endian:
 *   "WCI" version(1) | kind u8 | has_as_of u8 | 0 0 | as_of i32 | n u32 | n x (key, a, b) i64
 * Entries are written compacted (keys strictly ascending; a roster's runs of one worker
 * ascending with gaps between them).  The reader accepts
 * exactly what the writer can produce and nothing else.
 */
#include "indicators.h"

#include <string.h>

#define HEADER_SIZE 16
#define ENTRY_SIZE 24

/* Writes v little-endian into p. */
static void
put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char) (v >> (8 * i));
}

/* Reads a little-endian 64-bit value. */
static uint64_t
get64(const unsigned char *p)
{
	uint64_t	v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Writes v little-endian into p. */
static void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char) (v >> (8 * i));
}

/* Reads a little-endian 32-bit value. */
static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

/* Bytes needed to serialise st once compacted (an upper bound before compaction). */
size_t
wc_ind_serial_size(const wc_ind_state *st)
{
	return HEADER_SIZE + (size_t) st->n * ENTRY_SIZE;
}

/* Compacts st and writes it into buf, which holds wc_ind_serial_size(st) bytes. */
wc_ind_rc
wc_ind_serialize(wc_ind_state *st, unsigned char *buf, size_t buflen)
{
	wc_ind_rc	rc;

	if ((rc = wc_ind_compact(st)) != WC_IND_OK)
		return rc;
	if (buflen < wc_ind_serial_size(st))
		return WC_IND_RANGE;
	memcpy(buf, "WCI\001", 4);
	buf[4] = (unsigned char) st->kind;
	buf[5] = st->has_as_of ? 1 : 0;
	buf[6] = buf[7] = 0;
	put32(buf + 8, st->has_as_of ? (uint32_t) st->as_of : 0);
	put32(buf + 12, st->n);
	for (uint32_t i = 0; i < st->n; i++)
	{
		unsigned char *p = buf + HEADER_SIZE + (size_t) i * ENTRY_SIZE;

		put64(p, (uint64_t) st->entries[i].key);
		put64(p + 8, (uint64_t) st->entries[i].a);
		put64(p + 16, (uint64_t) st->entries[i].b);
	}
	return WC_IND_OK;
}

/* Whether one entry holds values the add functions of its kind could have produced. */
static bool
entry_valid(const wc_ind_state *st, const wc_ind_entry *e)
{
	switch (st->kind)
	{
		case WC_KIND_OWED:
			return e->key >= WC_MONTH_MIN && e->key <= WC_MONTH_MAX && e->a >= 0 && e->b >= 0;
		case WC_KIND_LABOUR:
			return e->key >= WC_DAY_MIN && e->key <= WC_DAY_MAX && e->a >= 0 && e->b >= 0 &&
				(e->key <= st->as_of || e->b == 0);
		case WC_KIND_COVERAGE:
			return e->a >= 0 && e->a <= WC_COV_ALL && e->b >= 0;
		case WC_KIND_WAGES:		/* amounts of key 0 and paid of any sign; owed and counts not */
			return e->key >= 0 && e->key <= 3 && (e->key == 0 || e->b >= 0) && (e->key < 2 || e->a >= 0);
		case WC_KIND_ROSTER:
			return e->a >= WC_MONTH_MIN && e->a <= e->b && e->b <= WC_MONTH_MAX;
	}
	return false;
}

/*
 * Reads a state written by wc_ind_serialize into st (initialised, empty, of the
 * expected kind); WC_IND_CORRUPT for any byte string the writer cannot produce.
 */
wc_ind_rc
wc_ind_deserialize(wc_ind_state *st, const unsigned char *buf, size_t len)
{
	uint32_t	n;
	int32_t		as_of;

	if (st->kind < WC_KIND_OWED || st->kind > WC_KIND_ROSTER ||
		len < HEADER_SIZE || memcmp(buf, "WCI\001", 4) != 0)
		return WC_IND_CORRUPT;
	if (buf[4] != (unsigned char) st->kind)
		return WC_IND_KIND;
	if (buf[5] > 1 || buf[6] != 0 || buf[7] != 0)
		return WC_IND_CORRUPT;
	as_of = (int32_t) get32(buf + 8);
	n = get32(buf + 12);
	if ((len - HEADER_SIZE) % ENTRY_SIZE != 0 || (len - HEADER_SIZE) / ENTRY_SIZE != n)
		return WC_IND_CORRUPT;
	if (buf[5] == 1)
	{
		if (st->kind != WC_KIND_LABOUR || as_of < WC_DAY_MIN || as_of > WC_DAY_MAX)
			return WC_IND_CORRUPT;
	}
	else if (as_of != 0 || (st->kind == WC_KIND_LABOUR && n > 0))
		return WC_IND_CORRUPT;
	if (st->kind == WC_KIND_WAGES && n != 0 && n != 4)
		return WC_IND_CORRUPT;	/* keys 0-3, all or none */
	st->has_as_of = buf[5] == 1;
	st->as_of = as_of;
	if (n > 0)
	{
		void	   *p = st->grow(st->entries, (size_t) n * sizeof(wc_ind_entry), st->grow_arg);

		if (p == NULL)
			return WC_IND_NOMEM;
		st->entries = p;
		st->cap = n;
	}
	st->n = st->nsorted = 0;
	for (uint32_t i = 0; i < n; i++)
	{
		const unsigned char *p = buf + HEADER_SIZE + (size_t) i * ENTRY_SIZE;
		wc_ind_entry e;

		e.key = (int64_t) get64(p);
		e.a = (int64_t) get64(p + 8);
		e.b = (int64_t) get64(p + 16);
		if (!entry_valid(st, &e) ||
			(i > 0 && (st->kind == WC_KIND_ROSTER && e.key == st->entries[i - 1].key
					   ? e.a - 1 <= st->entries[i - 1].b	/* a worker's runs: ascending, with gaps */
					   : e.key <= st->entries[i - 1].key)))
			return WC_IND_CORRUPT;
		st->entries[i] = e;
		st->n = st->nsorted = i + 1;
	}
	/* a month's sums: no more workers owed or paid than workers */
	if (st->kind == WC_KIND_WAGES && n == 4 &&
		(st->entries[2].a > st->entries[2].b || st->entries[3].a > st->entries[2].b))
		return WC_IND_CORRUPT;
	return WC_IND_OK;
}
