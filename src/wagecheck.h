/*
 * wagecheck.h — declarations shared by the PostgreSQL glue of every area.
 */
#ifndef WAGECHECK_H
#define WAGECHECK_H

#define WAGECHECK_VERSION "0.1.0"

#endif							/* WAGECHECK_H */
