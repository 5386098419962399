/*
 * indicators.h — plain-C state machines of the arrears indicators (no postgres.h).
 *
 * Every indicator aggregate keeps the same kind of state: a set of entries
 * keyed by one int64 (a month index, a day number or a worker id), each holding
 * two int64 values.  Rows are appended; entries with the same key are folded
 * together (money summed with overflow checks, flags OR'ed).  Because folding is
 * commutative and associative, two partial states merge exactly, whatever the
 * order rows arrived in: this is what makes parallel (partial) aggregation and
 * a future distributed merge give the same answer as one pass.
 *
 * Money is int64 cents; every addition is checked and reports WC_IND_RANGE on
 * overflow.  Memory comes from a caller-supplied allocator so the PostgreSQL
 * glue can use the aggregate's memory context and the tests can use libc.
 */
#ifndef WC_INDICATORS_H
#define WC_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Result codes of the core functions. */
typedef enum wc_ind_rc
{
	WC_IND_OK = 0,
	WC_IND_RANGE,				/* a sum or a value does not fit (SQLSTATE 22003) */
	WC_IND_NEGATIVE,			/* a negative amount where none is allowed */
	WC_IND_SYNTAX,				/* not a decimal number (NaN, Infinity, garbage) */
	WC_IND_FRACTION,			/* an amount with fractions of a cent */
	WC_IND_KIND,				/* states of different indicators were mixed */
	WC_IND_AS_OF,				/* two different as-of dates in one group */
	WC_IND_NOMEM,				/* the allocator failed */
	WC_IND_CORRUPT				/* serialised bytes are not a valid state */
} wc_ind_rc;

/* What a state accumulates; fixes how entries fold and what the keys mean. */
typedef enum wc_ind_kind
{
	WC_KIND_OWED = 1,			/* key month index; a payable, b paid */
	WC_KIND_LABOUR = 2,			/* key day number; a due, b paid in */
	WC_KIND_COVERAGE = 3,		/* key worker id; a flags, b payments */
	WC_KIND_WAGES = 4,			/* keys 0-3 only, see ind_wages.c */
	WC_KIND_ROSTER = 5			/* key worker id; a first, b last month of a run */
} wc_ind_kind;

/* Coverage flags of one worker in one group. */
#define WC_COV_ROSTERED		0x01
#define WC_COV_ATTENDED		0x02
#define WC_COV_ON_PAYROLL	0x04
#define WC_COV_PAID			0x08
#define WC_COV_ALL			0x0F

/* Key ranges (PostgreSQL's date range: 4714-11-24 BC .. 5874897-12-31 AD). */
#define WC_DAY_MIN		(-2451545)	/* days from 2000-01-01 */
#define WC_DAY_MAX		2145031948
#define WC_MONTH_MIN	(-4713 * 12)	/* months from year 0, January = 0 */
#define WC_MONTH_MAX	(5874897 * 12 + 11)

/* One entry: a key and two values. */
typedef struct wc_ind_entry
{
	int64_t		key;
	int64_t		a;
	int64_t		b;
} wc_ind_entry;

/* Grows (or first allocates, when old is NULL) a block to size bytes; NULL on failure. */
typedef void *(*wc_ind_realloc) (void *old, size_t size, void *arg);

/* An indicator state: entries[0..nsorted) sorted with unique keys, the rest appended. */
typedef struct wc_ind_state
{
	int32_t		kind;			/* wc_ind_kind */
	int32_t		as_of;			/* day number; meaningful when has_as_of */
	bool		has_as_of;
	uint32_t	n;
	uint32_t	nsorted;
	uint32_t	cap;
	wc_ind_entry *entries;
	wc_ind_realloc grow;
	void	   *grow_arg;
} wc_ind_state;

/* ---- money (ind_money.c) ---- */
extern wc_ind_rc wc_money_parse(const char *s, int64_t *cents);
extern int	wc_money_format(int64_t cents, char *buf, size_t buflen);
extern wc_ind_rc wc_money_from_nbase(bool neg, int weight, const int16_t *digits, int ndigits,
									 int64_t *cents);

/* ---- state container (ind_state.c) ---- */
extern void wc_ind_init(wc_ind_state *st, wc_ind_kind kind, wc_ind_realloc grow, void *arg);
extern wc_ind_rc wc_ind_add(wc_ind_state *st, int64_t key, int64_t a, int64_t b);
extern wc_ind_rc wc_ind_compact(wc_ind_state *st);
extern wc_ind_rc wc_ind_merge(wc_ind_state *dst, const wc_ind_state *src);
extern wc_ind_rc wc_ind_set_as_of(wc_ind_state *st, int32_t as_of);

/* ---- serialisation (ind_serial.c) ---- */
extern size_t wc_ind_serial_size(const wc_ind_state *st);
extern wc_ind_rc wc_ind_serialize(wc_ind_state *st, unsigned char *buf, size_t buflen);
extern wc_ind_rc wc_ind_deserialize(wc_ind_state *st, const unsigned char *buf, size_t len);

/* ---- wages owed per worker (ind_owed.c) ---- */
typedef struct wc_owed_result
{
	int64_t		payable;		/* cents, all months */
	int64_t		paid;			/* cents, all months */
	int64_t		owed;			/* cents: sum over months of max(payable - paid, 0) */
	int32_t		months;			/* months with a row */
	int32_t		months_owed;	/* months with something owed */
	int32_t		longest_run;	/* longest run of consecutive months owed */
	int32_t		current_run;	/* run of months owed ending at the last month with a row */
	int64_t		longest_run_start;	/* month index of the longest run's first month */
	int64_t		oldest_unpaid;	/* month index of the oldest month owed */
	int64_t		last_month;		/* month index of the last month with a row */
} wc_owed_result;

extern wc_ind_rc wc_owed_add(wc_ind_state *st, int64_t month, int64_t payable, int64_t paid);
extern wc_ind_rc wc_owed_final(wc_ind_state *st, wc_owed_result *r);

/* ---- labour cost due and paid into the dedicated account (ind_labour.c) ---- */
typedef struct wc_labour_result
{
	int64_t		due;			/* cents due on or before as_of */
	int64_t		paid;			/* cents paid in on or before as_of */
	int64_t		shortfall;		/* cents of due not covered by payments (FIFO) */
	int64_t		not_yet_due;	/* cents scheduled after as_of */
	int32_t		days_overdue;	/* as_of - due date of the oldest uncovered due; 0 if none */
	int32_t		max_days_late;	/* longest wait of any due, settled late or still open */
	int32_t		late_count;		/* dues settled after their date or still open past it */
	bool		has_uncovered;
	int32_t		oldest_uncovered;	/* day number of the oldest uncovered due */
} wc_labour_result;

extern wc_ind_rc wc_labour_add(wc_ind_state *st, int32_t day, int64_t due, int64_t paid, int32_t as_of);
extern wc_ind_rc wc_labour_final(wc_ind_state *st, wc_labour_result *r);

/* ---- attendance versus payroll coverage (ind_coverage.c) ---- */
typedef struct wc_coverage_result
{
	int64_t		workers;		/* distinct workers seen */
	int64_t		rostered;
	int64_t		attended;
	int64_t		on_payroll;
	int64_t		paid;
	int64_t		attended_on_payroll;	/* attended and on the pay sheet */
	int64_t		attended_paid;	/* attended and paid */
	int64_t		attended_not_rostered;	/* attendance without a roster entry */
	int64_t		paid_not_rostered;	/* paid without a roster entry (RN01) */
	int64_t		payments;		/* payment rows counted */
} wc_coverage_result;

extern wc_ind_rc wc_coverage_add(wc_ind_state *st, int64_t worker, unsigned flags, int64_t payments);
extern wc_ind_rc wc_coverage_final(wc_ind_state *st, wc_coverage_result *r);

/* ---- a month's pay sheets summed, one row per worker (ind_wages.c) ---- */
typedef struct wc_wages_result
{
	int64_t		payable;		/* cents */
	int64_t		net;			/* cents */
	int64_t		paid;			/* cents */
	int64_t		owed;			/* cents: sum over rows of max(net - paid, 0) */
	int64_t		workers_owed;	/* rows with net above paid */
	int64_t		workers;		/* rows */
	int64_t		workers_paid;	/* rows with paid above 0 */
	int64_t		payments;		/* payments counted by the rows */
} wc_wages_result;

extern wc_ind_rc wc_wages_add(wc_ind_state *st, int64_t payable, int64_t net, int64_t paid, int64_t payments);
extern wc_ind_rc wc_wages_final(wc_ind_state *st, wc_wages_result *r);

/*
 * ---- workers on a roster per month (ind_roster.c) ----
 * Entries keyed by worker, a the first and b the last month index (a <= b) of a run of
 * months on the roster; a worker's runs that overlap or adjoin fold into one (their
 * union), so a state is canonical: per worker, runs ascending with gaps between them.
 */
extern wc_ind_rc wc_roster_add(wc_ind_state *st, int64_t worker, int64_t first, int64_t last);
extern wc_ind_rc wc_roster_final(wc_ind_state *st, int64_t *months, int64_t *workers, uint32_t *n);

#endif							/* WC_INDICATORS_H */
