/*
 * calendar.h — the calendar area's glue shared between its C files: the
 * per-backend cache of wagecheck.holiday.
 */
#ifndef WC_CALENDAR_H
#define WC_CALENDAR_H

#include "postgres.h"

#include "core/workday.h"

/* Subscribes to the relcache invalidations that keep the holiday cache fresh. */
extern void wc_calendar_init(void);

/* The holiday overrides of this backend, loaded on first use after a change. */
extern const WcWorkCalendar *wc_holiday_calendar(void);

/*
 * Says once per backend and year, with a NOTICE, when a computation over the
 * days from..to uses a year that has no rows in wagecheck.holiday.
 */
extern void wc_holiday_note_years(int32 from, int32 to);

#endif							/* WC_CALENDAR_H */
