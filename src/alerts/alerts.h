/*
 * alerts.h — declarations of the alert engine's C glue shared with the module entry.
 */
#ifndef WAGECHECK_ALERTS_H
#define WAGECHECK_ALERTS_H

extern void wc_alerts_init(void);

#endif							/* WAGECHECK_ALERTS_H */
